//! Preprocessing: Unicode normalization, lowercasing and accent stripping, with a map back to
//! the original text.
//!
//! The order is scikit-learn's (`lower()` first, then the accent function), after an optional
//! Unicode normalization that scikit-learn does not have. Lowercasing can change lengths
//! (`İ` → `i̇`, the Kelvin sign → `k`) and splits words (the combining dot of `i̇` is not `\w`),
//! so tokens are found in the *preprocessed* text, as scikit-learn finds them, and their spans are
//! mapped back through [`Preprocessed::source_span`]. An ASCII document needs no map at all, which
//! is the fast path.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use unicode_normalization::char::{canonical_combining_class, decompose_compatible};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick, is_nfkc_quick};

use super::unicode::{changes_under_lower, push_lower_char};

/// Unicode normalization applied before anything else (scikit-learn has none).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Normalization {
    /// Leave the text as it is (scikit-learn's behaviour).
    #[default]
    None,
    /// Canonical composition.
    Nfc,
    /// Compatibility composition: also folds ligatures, full-width forms, superscripts.
    Nfkc,
}

/// scikit-learn's `strip_accents`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StripAccents {
    /// Keep accents.
    #[default]
    None,
    /// NFKD, then drop every non-ASCII character (`strip_accents='ascii'`).
    Ascii,
    /// NFKD, then drop every character with a non-zero canonical combining class
    /// (`strip_accents='unicode'`).
    Unicode,
}

/// The preprocessing steps of an analyzer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Preprocess {
    /// Unicode normalization, first.
    pub normalization: Normalization,
    /// Python's `str.lower()`, second.
    pub lowercase: bool,
    /// Accent stripping, last.
    pub strip_accents: StripAccents,
}

impl Default for Preprocess {
    fn default() -> Self {
        Preprocess {
            normalization: Normalization::None,
            lowercase: true,
            strip_accents: StripAccents::None,
        }
    }
}

/// Reusable buffers for [`Preprocess::apply`], so that a loop over documents allocates nothing
/// once the buffers have grown.
#[derive(Debug, Default, Clone)]
pub struct PreprocessBuffer {
    text: String,
    normalized: String,
    segments: Vec<Segment>,
    pieces: Vec<Piece>,
}

/// A run of the normalized text that came from one run of the input.
#[derive(Debug, Clone, Copy)]
struct Segment {
    src: usize,
    inp: usize,
    unchanged: bool,
}

/// A run of the output and the run of the input it came from. Pieces tile both texts; a piece
/// ends where the next begins, and the last one is a sentinel at both ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    out: usize,
    inp: usize,
    identity: bool,
}

/// Preprocessed text, borrowed from the input when no step changed it.
#[derive(Debug, Clone, Copy)]
pub struct Preprocessed<'a> {
    text: &'a str,
    pieces: &'a [Piece],
}

impl<'a> Preprocessed<'a> {
    /// The preprocessed text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Whether byte offsets in [`text`](Self::text) are byte offsets in the input.
    pub fn is_identity(&self) -> bool {
        self.pieces.is_empty()
    }

    /// Maps a byte range of the preprocessed text to the range of the input it came from.
    ///
    /// A range inside a character that preprocessing rewrote maps to that whole character (or,
    /// after normalization, to the run of characters normalized together).
    pub fn source_span(&self, range: Range<usize>) -> Range<usize> {
        if self.pieces.is_empty() {
            return range;
        }
        let p = self.pieces;
        let first = p.partition_point(|q| q.out <= range.start).max(1) - 1;
        let start = if p[first].identity {
            p[first].inp + (range.start - p[first].out)
        } else {
            p[first].inp
        };
        if range.end <= range.start {
            return start..start;
        }
        let next = p
            .partition_point(|q| q.out < range.end)
            .clamp(1, p.len() - 1);
        let last = p[next - 1];
        let end = if last.identity {
            last.inp + (range.end - last.out)
        } else {
            p[next].inp
        };
        start..end
    }
}

impl Preprocess {
    /// Whether any step can change a text.
    pub fn is_noop(&self) -> bool {
        self.normalization == Normalization::None
            && !self.lowercase
            && self.strip_accents == StripAccents::None
    }

    /// Preprocesses `input`, using `buf` for any text that has to be rewritten.
    pub fn apply<'a>(&self, input: &'a str, buf: &'a mut PreprocessBuffer) -> Preprocessed<'a> {
        let identity = |text| Preprocessed { text, pieces: &[] };
        if self.is_noop() {
            return identity(input);
        }
        let only_lowercase =
            self.normalization == Normalization::None && self.strip_accents == StripAccents::None;
        let maps_one_to_one = if only_lowercase {
            !has_non_ascii_uppercase(input)
        } else {
            input.is_ascii()
        };
        if maps_one_to_one {
            // Normalization and accent stripping leave ASCII alone, and lowercasing ASCII keeps
            // every offset: the text maps to the input one to one.
            if !self.lowercase {
                return identity(input);
            }
            buf.text.clear();
            buf.text.push_str(input);
            buf.text.make_ascii_lowercase();
            return identity(&buf.text);
        }
        let PreprocessBuffer {
            text,
            normalized,
            segments,
            pieces,
        } = buf;
        let source: &str = match self.normalize(input, normalized, segments) {
            true => normalized,
            false => input,
        };
        text.clear();
        pieces.clear();
        for (k, seg) in segments.iter().enumerate() {
            let src_end = segments.get(k + 1).map_or(source.len(), |s| s.src);
            if seg.unchanged {
                self.rewrite_run(source, seg.src..src_end, seg.inp, text, pieces);
            } else {
                let out = text.len();
                for (i, c) in source[seg.src..src_end].char_indices() {
                    self.push_char(source, seg.src + i, c, text);
                }
                push_piece(pieces, out, seg.inp, false);
            }
        }
        push_piece(pieces, text.len(), input.len(), false);
        if text.as_str() == input {
            // Nothing changed: hand back the input itself.
            return Preprocessed {
                text: input,
                pieces: &[],
            };
        }
        Preprocessed { text, pieces }
    }

    /// Normalizes `input` into `out` when needed, and describes which runs changed.
    /// Returns whether `out` holds the source text (otherwise the input is the source).
    fn normalize(&self, input: &str, out: &mut String, segments: &mut Vec<Segment>) -> bool {
        segments.clear();
        let quick = match self.normalization {
            Normalization::None => IsNormalized::Yes,
            Normalization::Nfc => is_nfc_quick(input.chars()),
            Normalization::Nfkc => is_nfkc_quick(input.chars()),
        };
        if quick == IsNormalized::Yes {
            segments.push(Segment {
                src: 0,
                inp: 0,
                unchanged: true,
            });
            return false;
        }
        // No composition or compatibility decomposition crosses into an ASCII character, so the
        // text can be normalized in runs that each start at an ASCII character.
        out.clear();
        let bytes = input.as_bytes();
        let mut start = 0;
        while start < input.len() {
            let mut end = start + 1;
            while end < input.len() && !bytes[end].is_ascii() {
                end += 1;
            }
            while !input.is_char_boundary(end) {
                end += 1;
            }
            let run = &input[start..end];
            let src = out.len();
            match self.normalization {
                Normalization::Nfkc => out.extend(run.nfkc()),
                _ => out.extend(run.nfc()),
            }
            let unchanged = &out[src..] == run;
            match segments.last() {
                Some(last) if last.unchanged && unchanged => {}
                _ => segments.push(Segment {
                    src,
                    inp: start,
                    unchanged,
                }),
            }
            start = end;
        }
        true
    }

    /// Rewrites `source[run]`, which is byte-for-byte the input from `inp` on, character by
    /// character, so that every character unchanged by the steps maps to itself.
    fn rewrite_run(
        &self,
        source: &str,
        run: Range<usize>,
        inp: usize,
        text: &mut String,
        pieces: &mut Vec<Piece>,
    ) {
        let bytes = source.as_bytes();
        let mut i = run.start;
        while i < run.end {
            let at_inp = inp + (i - run.start);
            if bytes[i].is_ascii() {
                let mut j = i + 1;
                while j < run.end && bytes[j].is_ascii() {
                    j += 1;
                }
                let out = text.len();
                text.push_str(&source[i..j]);
                if self.lowercase {
                    text[out..].make_ascii_lowercase();
                }
                push_piece(pieces, out, at_inp, true);
                i = j;
                continue;
            }
            let c = source[i..].chars().next().expect("i is on a char boundary");
            let out = text.len();
            let identity = !self.changes(c);
            if identity {
                text.push(c);
            } else {
                self.push_char(source, i, c, text);
            }
            push_piece(pieces, out, at_inp, identity);
            i += c.len_utf8();
        }
    }

    /// Whether lowercasing or accent stripping would change the non-ASCII character `c`.
    fn changes(&self, c: char) -> bool {
        if self.lowercase && changes_under_lower(c) {
            return true;
        }
        match self.strip_accents {
            StripAccents::None => false,
            StripAccents::Ascii => true,
            StripAccents::Unicode => {
                let mut changed = false;
                let mut count = 0;
                decompose_compatible(c, |d| {
                    count += 1;
                    changed |= d != c || canonical_combining_class(d) != 0;
                });
                changed || count != 1
            }
        }
    }

    /// Appends the preprocessed form of `c` (found at byte `at` of `source`).
    fn push_char(&self, source: &str, at: usize, c: char, text: &mut String) {
        if self.strip_accents == StripAccents::None {
            if self.lowercase {
                push_lower_char(source, at, c, text);
            } else {
                text.push(c);
            }
            return;
        }
        let mut lowered = [0u8; 16];
        let mut small = String::new();
        let chars: &str = if self.lowercase {
            push_lower_char(source, at, c, &mut small);
            &small
        } else {
            c.encode_utf8(&mut lowered)
        };
        for ch in chars.chars() {
            self.push_stripped(ch, text);
        }
    }

    fn push_stripped(&self, c: char, text: &mut String) {
        if c.is_ascii() {
            text.push(c);
            return;
        }
        let keep_ascii_only = self.strip_accents == StripAccents::Ascii;
        decompose_compatible(c, |d| {
            let keep = if keep_ascii_only {
                d.is_ascii()
            } else {
                canonical_combining_class(d) == 0
            };
            if keep {
                text.push(d);
            }
        });
    }
}

/// Whether a non-ASCII character of `text` changes under `str.lower()`.
fn has_non_ascii_uppercase(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(k) = next_non_ascii(bytes, i) {
        let c = text[k..]
            .chars()
            .next()
            .expect("a char starts at a non-ASCII lead");
        if changes_under_lower(c) {
            return true;
        }
        i = k + c.len_utf8();
    }
    false
}

/// The index of the first non-ASCII byte at or after `from`: 32 bytes at a time (four words
/// ORed, one test) across ASCII, then eight bytes at a time to find it.
#[inline]
fn next_non_ascii(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 32) {
        let word =
            |k: usize| u64::from_le_bytes(chunk[8 * k..8 * k + 8].try_into().expect("eight bytes"));
        if (word(0) | word(1) | word(2) | word(3)) & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        i += 32;
    }
    while i + 8 <= bytes.len() {
        let word = u64::from_le_bytes(bytes[i..i + 8].try_into().expect("eight bytes"));
        let high = word & 0x8080_8080_8080_8080;
        if high != 0 {
            return Some(i + (high.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    bytes[i..].iter().position(|b| !b.is_ascii()).map(|k| i + k)
}

fn push_piece(pieces: &mut Vec<Piece>, out: usize, inp: usize, identity: bool) {
    if let Some(last) = pieces.last()
        && last.identity
        && identity
    {
        return; // extends the previous identity run
    }
    pieces.push(Piece { out, inp, identity });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(p: Preprocess, input: &str) -> String {
        let mut buf = PreprocessBuffer::default();
        p.apply(input, &mut buf).text().to_string()
    }

    const LOWER: Preprocess = Preprocess {
        normalization: Normalization::None,
        lowercase: true,
        strip_accents: StripAccents::None,
    };

    #[test]
    fn steps_match_scikit_learn() {
        let unicode = Preprocess {
            strip_accents: StripAccents::Unicode,
            ..LOWER
        };
        let ascii = Preprocess {
            strip_accents: StripAccents::Ascii,
            ..LOWER
        };
        let keep_case = Preprocess {
            lowercase: false,
            strip_accents: StripAccents::Unicode,
            ..LOWER
        };
        let cases = [
            (LOWER, "Café NAÏVE", "café naïve"),
            (unicode, "Café NAÏVE", "cafe naive"),
            (ascii, "Café NAÏVE", "cafe naive"),
            (unicode, "ﬁnal Œuvre", "final œuvre"),
            (ascii, "ﬁnal Œuvre 北京", "final uvre "),
            (keep_case, "Ærøskøbing Zoë", "Ærøskøbing Zoe"),
            (unicode, "İstanbul", "istanbul"),
            (LOWER, "İstanbul", "i\u{307}stanbul"),
            (unicode, "e\u{301}clair ²", "eclair 2"),
            (ascii, "Київ", ""),
            (unicode, "Київ", "ки\u{456}в"),
        ];
        for (p, input, want) in cases {
            assert_eq!(run(p, input), want, "{p:?} {input}");
        }
    }

    #[test]
    fn spans_map_back_to_the_input() {
        let input = "Die İstanbul-Straße, ΟΔΥΣΣΕΥΣ!";
        let mut buf = PreprocessBuffer::default();
        let p = Preprocess {
            strip_accents: StripAccents::Unicode,
            ..LOWER
        };
        let pre = p.apply(input, &mut buf);
        assert_eq!(pre.text(), "die istanbul-straße, οδυσσευς!");
        let find = |w: &str| {
            let s = pre.text().find(w).unwrap();
            &input[pre.source_span(s..s + w.len())]
        };
        assert_eq!(find("die"), "Die");
        assert_eq!(find("istanbul"), "İstanbul");
        assert_eq!(find("stanbul"), "stanbul");
        assert_eq!(find("straße"), "Straße");
        assert_eq!(find("οδυσσευς"), "ΟΔΥΣΣΕΥΣ");
        assert_eq!(find("!"), "!");
    }

    #[test]
    fn normalization_composes_and_maps_runs() {
        let nfc = Preprocess {
            normalization: Normalization::Nfc,
            lowercase: false,
            strip_accents: StripAccents::None,
        };
        let nfkc = Preprocess {
            normalization: Normalization::Nfkc,
            ..nfc
        };
        assert_eq!(run(nfc, "Cafe\u{301} ﬁ"), "Café ﬁ");
        assert_eq!(run(nfkc, "Cafe\u{301} ﬁ ＡＢ"), "Café fi AB");
        let input = "x Cafe\u{301} y";
        let mut buf = PreprocessBuffer::default();
        let pre = nfc.apply(input, &mut buf);
        let s = pre.text().find("Café").unwrap();
        assert_eq!(&input[pre.source_span(s..s + "Café".len())], "Cafe\u{301}");
        let y = pre.text().find('y').unwrap();
        assert_eq!(&input[pre.source_span(y..y + 1)], "y");
    }

    #[test]
    fn text_without_length_changes_needs_no_map() {
        let mut buf = PreprocessBuffer::default();
        let pre = LOWER.apply("Déjà “VU”", &mut buf);
        assert!(pre.is_identity());
        assert_eq!(pre.text(), "déjà “vu”");
        let keep = Preprocess {
            lowercase: false,
            ..LOWER
        };
        let input = "Déjà vu";
        assert!(std::ptr::eq(keep.apply(input, &mut buf).text(), input));
    }

    #[test]
    fn next_non_ascii_finds_the_first_at_every_position() {
        for len in 0..100 {
            for at in (0..len).chain([len]) {
                // ASCII, with a non-ASCII byte at `at` (none when `at` is the length) and
                // another later on.
                let mut bytes = vec![b'a'; len];
                if at < len {
                    bytes[at] = 0x80 | (at as u8);
                    if at + 40 < len {
                        bytes[at + 40] = 0xff;
                    }
                }
                for from in [0, 1, 7, 8, 31, 32, 33].into_iter().filter(|&f| f <= len) {
                    let want = bytes[from..]
                        .iter()
                        .position(|b| !b.is_ascii())
                        .map(|k| from + k);
                    assert_eq!(next_non_ascii(&bytes, from), want, "{len} {at} {from}");
                }
            }
        }
    }

    #[test]
    fn non_ascii_uppercase_is_found_anywhere() {
        for len in [0, 5, 31, 32, 33, 64, 100] {
            for capital in ["İ", "Σ", "Ǆ", "ǅ", "É", "\u{212A}"] {
                for at in [0, len / 3, len] {
                    let mut text = "x“y”é".repeat(len / 5 + 1)[..].to_string();
                    text.truncate(text.floor_char_boundary(len));
                    assert!(!has_non_ascii_uppercase(&text), "{text:?}");
                    let at = text.floor_char_boundary(at);
                    text.insert_str(at, capital);
                    assert!(has_non_ascii_uppercase(&text), "{text:?}");
                }
            }
        }
    }
}
