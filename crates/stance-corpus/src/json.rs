//! Helpers shared by the record types: taking typed fields out of a JSON object with an error
//! that names the field, and the `Record` trait the readers and writers work with.
//!
//! Records are read through a `serde_json::Map` rather than derived `Deserialize` impls so that
//! every error names its field and its JSON type, and so that unknown fields can be kept in
//! their original order (serde's `flatten` buffers and re-types them).

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::FieldError;
use crate::span::Span;

/// A record type of a JSON Lines file: read from one JSON object, written as one.
pub trait Record: Serialize + Sized {
    /// What a reader may be told about the records (for examples, the task they must have).
    type Options: Clone + Default;

    /// Reads a record from the JSON object `object`, checking every field.
    fn from_json(object: Map<String, Value>, options: &Self::Options) -> Result<Self, FieldError>;
}

/// Parses one line of JSON Lines into an object: the line must be UTF-8, not blank, valid
/// JSON, and an object.
pub(crate) fn parse_object(line: &[u8]) -> Result<Map<String, Value>, FieldError> {
    let text = std::str::from_utf8(line).map_err(|e| {
        FieldError::record(format!(
            "invalid UTF-8 at byte {} of the line",
            e.valid_up_to() + 1
        ))
    })?;
    if text.trim().is_empty() {
        return Err(FieldError::record(
            "blank line (every line must hold a record)",
        ));
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        let position = format!(" at line {} column {}", e.line(), e.column());
        let message = message.strip_suffix(&position).unwrap_or(&message);
        FieldError::record(format!("invalid JSON at column {}: {message}", e.column()))
    })?;
    match value {
        Value::Object(object) => Ok(object),
        other => Err(FieldError::record(format!(
            "expected a JSON object, found {}",
            kind(&other)
        ))),
    }
}

/// The kind of a JSON value, for messages: "a string", "null", ...
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The string `value` of `field`, which is required.
pub(crate) fn required_string(value: Option<Value>, field: &str) -> Result<String, FieldError> {
    match value {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(FieldError::new(
            field,
            format!("expected a string, found {}", kind(&other)),
        )),
        None => Err(missing(field)),
    }
}

/// The string `value` of `field`, which may be absent or null.
pub(crate) fn optional_string(
    value: Option<Value>,
    field: &str,
) -> Result<Option<String>, FieldError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        other => required_string(other, field).map(Some),
    }
}

/// The span `value` of `field`, which is required, checked against a text of `len` code points.
pub(crate) fn required_span(
    value: Option<Value>,
    field: &str,
    len: usize,
) -> Result<Span, FieldError> {
    let value = value.ok_or_else(|| missing(field))?;
    checked_span(&value, field, len)
}

/// The span `value` of `field`, which may be absent or null, checked against a text of `len`
/// code points.
pub(crate) fn optional_span(
    value: Option<Value>,
    field: &str,
    len: usize,
) -> Result<Option<Span>, FieldError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(value) => checked_span(&value, field, len).map(Some),
    }
}

fn checked_span(value: &Value, field: &str, len: usize) -> Result<Span, FieldError> {
    let span = Span::from_value(value, field)?;
    span.check(len)
        .map_err(|reason| FieldError::new(field, reason))?;
    Ok(span)
}

/// The error for a required field that is absent.
pub(crate) fn missing(field: &str) -> FieldError {
    FieldError::new(field, "missing (required)")
}

/// Checks that the optional `quoted` text equals the part of `text` under `span`.
pub(crate) fn check_quote(
    text: &str,
    span: Span,
    quoted: Option<&str>,
    field: &str,
) -> Result<(), FieldError> {
    match (quoted, span.slice(text)) {
        (Some(quoted), Some(covered)) if quoted != covered => Err(FieldError::new(
            field,
            format!("is {quoted:?} but the span {span} covers {covered:?}"),
        )),
        _ => Ok(()),
    }
}

/// Reads a value of one of the fixed names of a closed set (stance, sentiment, task...).
pub(crate) fn one_of<T: Copy>(
    value: Option<Value>,
    field: &str,
    names: &[(&str, T)],
) -> Result<T, FieldError> {
    let name = required_string(value, field)?;
    names
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, t)| t)
        .ok_or_else(|| {
            let allowed: Vec<String> = names.iter().map(|(n, _)| format!("{n:?}")).collect();
            FieldError::new(
                field,
                format!("{name:?} is not one of {}", allowed.join(", ")),
            )
        })
}

/// Reads an array of objects, each with `read`; fields of element `i` are named
/// `field[i].name` in errors.
pub(crate) fn array_of<T>(
    value: Option<Value>,
    field: &str,
    mut read: impl FnMut(Map<String, Value>) -> Result<T, FieldError>,
) -> Result<Vec<T>, FieldError> {
    let items = match value {
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(FieldError::new(
                field,
                format!("expected an array, found {}", kind(&other)),
            ));
        }
        None => return Err(missing(field)),
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| match item {
            Value::Object(object) => read(object).map_err(|e| e.within(&format!("{field}[{i}]"))),
            other => Err(FieldError::new(
                format!("{field}[{i}]"),
                format!("expected an object, found {}", kind(&other)),
            )),
        })
        .collect()
}

/// Serializes a map of the known fields (those that are `Some`) then the extra ones.
pub(crate) struct Entries<'a> {
    /// The known fields, in the order they are written.
    pub known: Vec<(&'static str, Option<Entry<'a>>)>,
    /// The fields the record did not know, in their original order (names of known fields
    /// are skipped).
    pub extra: &'a Map<String, Value>,
}

/// The value of one known field.
pub(crate) enum Entry<'a> {
    Str(&'a str),
    Span(Span),
}

impl Serialize for Entries<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        for (name, entry) in &self.known {
            match entry {
                Some(Entry::Str(s)) => map.serialize_entry(name, s)?,
                Some(Entry::Span(span)) => map.serialize_entry(name, span)?,
                None => {}
            }
        }
        for (name, value) in self.extra {
            // A known name put into `extra` by hand would make a duplicate key.
            if !self.known.iter().any(|(known, _)| known == name) {
                map.serialize_entry(name, value)?;
            }
        }
        map.end()
    }
}

/// `Some(Entry::Str)` of an optional string.
pub(crate) fn opt_str(s: &Option<String>) -> Option<Entry<'_>> {
    s.as_deref().map(Entry::Str)
}

/// The high bit of every byte of a word.
const HIGH: u64 = 0x8080_8080_8080_8080;
/// Eight copies of byte `b`.
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// The high bit set in exactly the bytes of `x` that JSON must escape: `"`, `\` and the control
/// characters below U+0020 (bytes of multi-byte characters are never flagged).
#[inline(always)]
fn escaped_bytes(x: u64) -> u64 {
    let low = !HIGH;
    // Exact per-byte tests: no carry or borrow crosses a byte.
    let zero = |y: u64| !(((y & low) + low) | y | low);
    // (b | 0x80) - 0x20 keeps its high bit exactly when b & 0x7f >= 0x20.
    let control = !((x | HIGH) - splat(0x20)) & !x & HIGH;
    zero(x ^ splat(b'"')) | zero(x ^ splat(b'\\')) | control
}

/// Appends `s` to `out` as a JSON string, escaped exactly as `serde_json` escapes it (`\"`,
/// `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other control characters as `\u00xx`, everything else as
/// is). Eight bytes are checked at a time, so long texts (the evidence sentences of a stance)
/// cost a fraction of `serde_json`'s byte-by-byte loop.
///
/// ```
/// let mut out = Vec::new();
/// stance_corpus::push_json_str(&mut out, "Kyiv said \"no\"\n");
/// assert_eq!(out, br#""Kyiv said \"no\"\n""#);
/// ```
pub fn push_json_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // Bytes before `start` are written; `i` is where the search goes on.
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let flags = escaped_bytes(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
            if flags == 0 {
                i += 8;
                continue;
            }
            i += (flags.trailing_zeros() / 8) as usize;
        } else if !matches!(bytes[i], b'"' | b'\\' | 0..=0x1f) {
            i += 1;
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        push_escape(out, bytes[i]);
        i += 1;
        start = i;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// The escape of one byte that needs one.
fn push_escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match b {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x0c => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        _ => {
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ]);
            return;
        }
    };
    out.extend_from_slice(&[b'\\', short]);
}

#[cfg(test)]
mod escape_tests {
    use super::*;
    use proptest::prelude::*;

    fn ours(s: &str) -> String {
        let mut out = Vec::new();
        push_json_str(&mut out, s);
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn every_byte_escapes_as_serde_json_escapes_it() {
        for c in (0u32..0x300).filter_map(char::from_u32) {
            for s in [
                c.to_string(),
                format!("abcdefg{c}"),
                format!("{c}abcdefghijklmno{c}{c}"),
            ] {
                assert_eq!(ours(&s), serde_json::to_string(&s).unwrap(), "{s:?}");
            }
        }
    }

    #[test]
    fn texts_as_serde_json_writes_them() {
        for s in [
            "",
            "\"",
            "\\\\\"\"",
            "Zelensky said: \"We will not cede Crimea\".\r\n\tEnd\u{7f}\u{1f}\u{0}",
            "Kyiv’s “plan” — 🇺🇦 \u{2028}\u{2029} \u{a0}",
            "a\u{8}b\u{c}c\u{b}d\u{1b}[0m",
        ] {
            assert_eq!(ours(s), serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    proptest! {
        #[test]
        fn any_text_as_serde_json_writes_it(s in any::<String>()) {
            prop_assert_eq!(ours(&s), serde_json::to_string(&s).unwrap());
        }

        #[test]
        fn ascii_with_escapes_as_serde_json_writes_it(s in "[\\x00-\\x7f]{0,80}") {
            prop_assert_eq!(ours(&s), serde_json::to_string(&s).unwrap());
        }
    }
}
