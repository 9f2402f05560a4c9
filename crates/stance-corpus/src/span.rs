//! Spans: code-point offsets into a text, and their conversion to and from byte ranges.
//!
//! Files count in Unicode code points (what Python's `text[start:end]` counts) so that they mean
//! the same in every language; Rust slices strings by bytes. The conversions here are exact
//! (a byte range that does not fall on character boundaries has no span) and take the short way
//! when the text before the offset is ASCII, where code points and bytes coincide.

use std::fmt;
use std::ops::Range;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeTuple, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::FieldError;
use crate::json::kind;

/// A range of a text in Unicode code points: 0-based, `start` included, `end` excluded. In
/// JSON it is the array `[start, end]`.
///
/// ```
/// use stance_corpus::Span;
///
/// let text = "Kyiv’s ceasefire";
/// let span = Span::new(7, 16);
/// assert_eq!(span.slice(text), Some("ceasefire"));
/// assert_eq!(span.byte_range(text), Some(9..18));
/// assert_eq!(Span::from_byte_range(text, 9..18), Some(span));
/// assert_eq!(serde_json::to_string(&span).unwrap(), "[7,16]");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// The first code point covered.
    pub start: usize,
    /// One past the last code point covered.
    pub end: usize,
}

impl Span {
    /// The span `[start, end)`.
    pub const fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The number of code points covered (0 when `end < start`).
    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers nothing.
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `other` lies inside this span.
    pub const fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The byte range of `text` this span covers, or `None` if it does not fit in `text` (or
    /// `start > end`).
    pub fn byte_range(&self, text: &str) -> Option<Range<usize>> {
        if self.start > self.end {
            return None;
        }
        let start = byte_offset(text, 0, 0, self.start)?;
        let end = byte_offset(text, start, self.start, self.end)?;
        Some(start..end)
    }

    /// The part of `text` this span covers, or `None` if it does not fit in `text`.
    pub fn slice<'a>(&self, text: &'a str) -> Option<&'a str> {
        self.byte_range(text).map(|range| &text[range])
    }

    /// The span of the byte range `range` of `text`, or `None` if the range does not fall on
    /// character boundaries inside `text` (or is reversed).
    pub fn from_byte_range(text: &str, range: Range<usize>) -> Option<Span> {
        if range.start > range.end
            || !text.is_char_boundary(range.start)
            || !text.is_char_boundary(range.end)
        {
            return None;
        }
        let start = code_points(&text.as_bytes()[..range.start]);
        let end = start + code_points(&text.as_bytes()[range.start..range.end]);
        Some(Span { start, end })
    }

    /// Checks that the span is a valid range of a text of `len` code points; the message says
    /// what is wrong, as in `span [40, 90] ends past the text (52 code points)`.
    pub fn check(&self, len: usize) -> Result<(), String> {
        if self.start > self.end {
            Err(format!("span {self} starts after it ends"))
        } else if self.end > len {
            Err(format!(
                "span {self} ends past the text ({len} code points)"
            ))
        } else {
            Ok(())
        }
    }

    /// Reads a span from a JSON value, or says (for `field`) why it is not one.
    pub(crate) fn from_value(value: &Value, field: &str) -> Result<Span, FieldError> {
        let bad = || {
            FieldError::new(
                field,
                format!(
                    "expected a span [start, end] of two non-negative integers, found {}",
                    kind(value)
                ),
            )
        };
        let Value::Array(items) = value else {
            return Err(bad());
        };
        match items.as_slice() {
            [Value::Number(s), Value::Number(e)] => {
                let as_usize = |n: &serde_json::Number| n.as_u64().and_then(|n| n.try_into().ok());
                match (as_usize(s), as_usize(e)) {
                    (Some(start), Some(end)) => Ok(Span { start, end }),
                    _ => Err(FieldError::new(
                        field,
                        format!(
                            "expected a span [start, end] of two non-negative integers, found [{s}, {e}]"
                        ),
                    )),
                }
            }
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}, {}]", self.start, self.end)
    }
}

impl From<Range<usize>> for Span {
    fn from(range: Range<usize>) -> Span {
        Span::new(range.start, range.end)
    }
}

impl Serialize for Span {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut tuple = serializer.serialize_tuple(2)?;
        tuple.serialize_element(&self.start)?;
        tuple.serialize_element(&self.end)?;
        tuple.end()
    }
}

impl<'de> Deserialize<'de> for Span {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Span, D::Error> {
        struct SpanVisitor;
        impl<'de> Visitor<'de> for SpanVisitor {
            type Value = Span;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a span [start, end] of two non-negative integers")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Span, A::Error> {
                let start = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let end = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(1, &self))?;
                if seq.next_element::<de::IgnoredAny>()?.is_some() {
                    return Err(de::Error::invalid_length(3, &self));
                }
                Ok(Span { start, end })
            }
        }
        deserializer.deserialize_tuple(2, SpanVisitor)
    }
}

/// The byte offset of code point `target` of `text`, walking from byte `from`, which is the
/// offset of code point `at` (`at <= target`); `None` past the end of the text.
fn byte_offset(text: &str, from: usize, at: usize, target: usize) -> Option<usize> {
    let rest = &text.as_bytes()[from..];
    let wanted = target - at;
    // ASCII fast path: if the next `wanted` bytes are ASCII, they are `wanted` code points.
    if let Some(prefix) = rest.get(..wanted) {
        if prefix.is_ascii() {
            return Some(from + wanted);
        }
    }
    let mut seen = 0;
    for (i, _) in text[from..].char_indices() {
        if seen == wanted {
            return Some(from + i);
        }
        seen += 1;
    }
    (seen == wanted).then_some(text.len())
}

/// The number of code points in valid UTF-8 `bytes`: the bytes that do not continue a character.
fn code_points(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// Code-point ↔ byte offset conversions for many spans of one text: built once in one pass, then
/// each conversion is constant time (ASCII text) or a binary search.
///
/// Mostly-ASCII text (English news with its curly quotes and dashes) keeps only its multi-byte
/// characters, so the table stays small however long the article; text with many of them
/// (Cyrillic, Greek, CJK) keeps the byte offset of every code point.
///
/// ```
/// use stance_corpus::{CodePoints, Span};
///
/// let offsets = CodePoints::new("Zelensky – Kyiv");
/// assert_eq!(offsets.len(), 15);
/// assert_eq!(offsets.byte_range(Span::new(11, 15)), Some(13..17));
/// assert_eq!(offsets.span(13..17), Some(Span::new(11, 15)));
/// assert_eq!(offsets.span(10..17), None, "byte 10 is inside the dash");
/// ```
#[derive(Clone, Debug)]
pub struct CodePoints {
    /// Bytes in the text.
    bytes: usize,
    /// Code points in the text.
    chars: usize,
    table: Table,
}

#[derive(Clone, Debug)]
enum Table {
    /// ASCII text: byte and code-point offsets are the same.
    Ascii,
    /// Every multi-byte character: its code-point offset, and the bytes beyond one per
    /// character that it and the multi-byte characters before it take.
    Sparse(Vec<(usize, usize)>),
    /// The byte offset of every code point, then the text's length.
    Dense(Vec<usize>),
}

impl CodePoints {
    /// The offsets of `text`.
    pub fn new(text: &str) -> CodePoints {
        if text.is_ascii() {
            return CodePoints {
                bytes: text.len(),
                chars: text.len(),
                table: Table::Ascii,
            };
        }
        let chars = code_points(text.as_bytes());
        // A multi-byte character takes two words in the sparse table, any character one in
        // the dense one.
        let wide = text.chars().filter(|c| !c.is_ascii()).count();
        let table = if 2 * wide <= chars {
            let mut extra = 0;
            Table::Sparse(
                text.chars()
                    .enumerate()
                    .filter(|(_, c)| !c.is_ascii())
                    .map(|(at, c)| {
                        extra += c.len_utf8() - 1;
                        (at, extra)
                    })
                    .collect(),
            )
        } else {
            Table::Dense(
                text.char_indices()
                    .map(|(i, _)| i)
                    .chain(std::iter::once(text.len()))
                    .collect(),
            )
        };
        CodePoints {
            bytes: text.len(),
            chars,
            table,
        }
    }

    /// The number of code points in the text.
    pub fn len(&self) -> usize {
        self.chars
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.bytes == 0
    }

    /// The byte offset of code point `offset` (`len()` maps to the text's length), or `None`
    /// past the end.
    pub fn byte_offset(&self, offset: usize) -> Option<usize> {
        if offset > self.chars {
            return None;
        }
        match &self.table {
            Table::Ascii => Some(offset),
            Table::Dense(starts) => starts.get(offset).copied(),
            Table::Sparse(wide) => {
                // The multi-byte characters before code point `offset` lie wholly before it.
                let before = wide.partition_point(|&(at, _)| at < offset);
                Some(offset + before.checked_sub(1).map_or(0, |k| wide[k].1))
            }
        }
    }

    /// The code-point offset of byte `offset`, or `None` if it is not on a character boundary
    /// of the text.
    pub fn code_point_offset(&self, offset: usize) -> Option<usize> {
        if offset > self.bytes {
            return None;
        }
        match &self.table {
            Table::Ascii => Some(offset),
            Table::Dense(starts) => starts.binary_search(&offset).ok(),
            Table::Sparse(wide) => {
                // Character k ends at byte at + extra + 1 (its extra bytes included).
                let before = wide.partition_point(|&(at, extra)| at + extra < offset);
                let extra_before = before.checked_sub(1).map_or(0, |k| wide[k].1);
                if let Some(&(at, extra)) = wide.get(before) {
                    // The next multi-byte character starts at byte at + extra_before and ends
                    // past `offset`: `offset` must not fall after its first byte.
                    let start = at + extra_before;
                    if start < offset {
                        debug_assert!(offset <= at + extra);
                        return None;
                    }
                }
                Some(offset - extra_before)
            }
        }
    }

    /// The byte range covered by `span`, or `None` if it does not fit in the text.
    pub fn byte_range(&self, span: Span) -> Option<Range<usize>> {
        if span.start > span.end {
            return None;
        }
        Some(self.byte_offset(span.start)?..self.byte_offset(span.end)?)
    }

    /// The span of the byte range `range`, or `None` if it does not fall on character
    /// boundaries of the text (or is reversed).
    pub fn span(&self, range: Range<usize>) -> Option<Span> {
        if range.start > range.end {
            return None;
        }
        Some(Span::new(
            self.code_point_offset(range.start)?,
            self.code_point_offset(range.end)?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges_and_spans_agree() {
        // (text, span, byte range or None)
        let cases: [(&str, Span, Option<Range<usize>>); 9] = [
            ("abc", Span::new(0, 3), Some(0..3)),
            ("abc", Span::new(1, 1), Some(1..1)),
            ("abc", Span::new(3, 3), Some(3..3)),
            ("abc", Span::new(2, 4), None),
            ("abc", Span::new(2, 1), None),
            ("é🙂x", Span::new(1, 2), Some(2..6)),
            ("é🙂x", Span::new(0, 3), Some(0..7)),
            ("é🙂x", Span::new(3, 4), None),
            ("", Span::new(0, 0), Some(0..0)),
        ];
        for (text, span, want) in cases {
            assert_eq!(span.byte_range(text), want, "{text:?} {span}");
            let offsets = CodePoints::new(text);
            assert_eq!(offsets.byte_range(span), want, "{text:?} {span} (table)");
            if let Some(range) = want {
                assert_eq!(Span::from_byte_range(text, range.clone()), Some(span));
                assert_eq!(offsets.span(range), Some(span));
            }
        }
    }

    #[test]
    fn byte_ranges_inside_characters_have_no_span() {
        let text = "é🙂x";
        let reversed = Range { start: 3, end: 2 };
        for range in [1..2, 0..3, 2..4, 5..7, reversed, 0..9] {
            assert_eq!(
                Span::from_byte_range(text, range.clone()),
                None,
                "{range:?}"
            );
            assert_eq!(CodePoints::new(text).span(range.clone()), None, "{range:?}");
        }
    }

    #[test]
    fn every_code_point_of_a_mixed_text_round_trips() {
        let text = "a é 🙂 Київ – z";
        let offsets = CodePoints::new(text);
        assert_eq!(offsets.len(), text.chars().count());
        for (i, (byte, _)) in text.char_indices().enumerate() {
            assert_eq!(offsets.byte_offset(i), Some(byte));
            assert_eq!(offsets.code_point_offset(byte), Some(i));
            assert_eq!(Span::new(i, i).byte_range(text), Some(byte..byte));
        }
        assert_eq!(offsets.byte_offset(offsets.len()), Some(text.len()));
        assert_eq!(offsets.byte_offset(offsets.len() + 1), None);
    }

    #[test]
    fn check_explains_bad_spans() {
        assert_eq!(Span::new(0, 52).check(52), Ok(()));
        assert_eq!(
            Span::new(40, 90).check(52).unwrap_err(),
            "span [40, 90] ends past the text (52 code points)"
        );
        assert_eq!(
            Span::new(5, 4).check(52).unwrap_err(),
            "span [5, 4] starts after it ends"
        );
    }

    #[test]
    fn spans_read_from_json_values() {
        let ok = serde_json::json!([3, 7]);
        assert_eq!(Span::from_value(&ok, "s"), Ok(Span::new(3, 7)));
        for bad in [
            serde_json::json!([3]),
            serde_json::json!([3, 7, 9]),
            serde_json::json!([-1, 7]),
            serde_json::json!([1.5, 7]),
            serde_json::json!("3,7"),
            serde_json::json!({"start": 3}),
        ] {
            let err = Span::from_value(&bad, "actor_span").unwrap_err();
            assert_eq!(err.field.as_deref(), Some("actor_span"), "{bad}");
        }
        let span: Span = serde_json::from_str("[1, 2]").unwrap();
        assert_eq!(span, Span::new(1, 2));
        assert!(serde_json::from_str::<Span>("[1, 2, 3]").is_err());
    }

    #[test]
    fn code_points_agree_with_char_indices_for_every_table() {
        let texts = [
            "",
            "plain ASCII",
            // Sparse: a few multi-byte characters of every length among ASCII.
            "Zelensky – Kyiv’s “peace plan”, é, 中, 😀 and ASCII around them all",
            "– starts and ends with wide –",
            "😀",
            // Dense: mostly multi-byte characters.
            "Зеленский и Путин",
            "中文文本😀😀 a",
        ];
        for text in texts {
            let offsets = CodePoints::new(text);
            let starts: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            assert_eq!(offsets.len(), starts.len() - 1, "{text:?}");
            for (cp, &byte) in starts.iter().enumerate() {
                assert_eq!(
                    offsets.byte_offset(cp),
                    Some(byte),
                    "{text:?} code point {cp}"
                );
            }
            assert_eq!(offsets.byte_offset(starts.len()), None);
            for byte in 0..=text.len() + 1 {
                let want = starts.iter().position(|&b| b == byte);
                assert_eq!(
                    offsets.code_point_offset(byte),
                    want,
                    "{text:?} byte {byte}"
                );
            }
        }
        let kind = |t: &str| match CodePoints::new(t).table {
            Table::Ascii => "ascii",
            Table::Sparse(_) => "sparse",
            Table::Dense(_) => "dense",
        };
        assert_eq!(kind(texts[1]), "ascii");
        assert_eq!(kind(texts[2]), "sparse");
        assert_eq!(kind(texts[5]), "dense");
    }
}
