//! Byte offsets to code-point offsets.
//!
//! Everything in this module works in byte offsets, which slice a `&str` directly. Corpus
//! files count Unicode code points instead (see the formats spec); [`char_spans`] converts a
//! batch of byte spans in one pass over the text.

use std::ops::Range;

/// The code-point spans of byte spans of `text`.
///
/// An offset counts the code points that start before it, so an offset inside a character
/// counts that character, and offsets past the end count the whole text; no input panics.
/// Linear in the text for spans sorted by start (as [`sentences`](super::sentences) and
/// [`Cleaned::pieces`](super::Cleaned::pieces) give them); other orders restart the count.
///
/// ```
/// use stance_features::text::char_spans;
///
/// let text = "Élysée. Kyiv.";
/// assert_eq!(char_spans(text, &[0..9, 10..15]), vec![0..7, 8..13]);
/// ```
pub fn char_spans(text: &str, spans: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut counter = CharCounter::new(text);
    spans
        .iter()
        .map(|span| {
            let start = counter.at(span.start);
            let end = counter.at(span.end);
            start..end
        })
        .collect()
}

/// Counts code points up to byte offsets asked in mostly increasing order.
struct CharCounter<'a> {
    bytes: &'a [u8],
    byte: usize,
    chars: usize,
}

impl<'a> CharCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            bytes: text.as_bytes(),
            byte: 0,
            chars: 0,
        }
    }

    /// Code points starting before byte `offset`.
    fn at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.bytes.len());
        if offset < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.bytes[self.byte..offset]
            .iter()
            .filter(|&&b| (b as i8) >= -0x40)
            .count();
        self.byte = offset;
        self.chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_in_any_order_and_never_panics() {
        let text = "a€b🇺🇦";
        type Spans = Vec<Range<usize>>;
        let cases: [(Spans, Spans); 4] = [
            (vec![0..1, 1..4, 4..5], vec![0..1, 1..2, 2..3]),
            (vec![4..5, 0..1], vec![2..3, 0..1]),
            (vec![2..3, 3..3], vec![2..2, 2..2]),
            (vec![5..13, 0..100], vec![3..5, 0..5]),
        ];
        for (spans, expected) in cases {
            assert_eq!(char_spans(text, &spans), expected, "{spans:?}");
        }
    }
}
