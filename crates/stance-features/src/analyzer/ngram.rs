//! Character n-grams (`char`, `char_wb`) with scikit-learn's whitespace and padding rules.
//!
//! Word n-grams are formed over token ids by the vectorizers and over strings by
//! [`Analyzer::analyze`](super::Analyzer::analyze); both follow scikit-learn's order: all n-grams
//! of the smallest `n` first.

use serde::{Deserialize, Serialize};

use super::unicode::is_space;
use crate::Error;

/// An inclusive n-gram range, `(min_n, max_n)` as in scikit-learn's `ngram_range`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "(usize, usize)", into = "(usize, usize)")]
pub struct NgramRange {
    min_n: usize,
    max_n: usize,
}

impl NgramRange {
    /// Unigrams only.
    pub const UNIGRAMS: NgramRange = NgramRange { min_n: 1, max_n: 1 };

    /// A range with `1 <= min_n <= max_n`.
    pub fn new(min_n: usize, max_n: usize) -> Result<NgramRange, Error> {
        if min_n == 0 || min_n > max_n {
            return Err(Error::InvalidNgramRange { min_n, max_n });
        }
        Ok(NgramRange { min_n, max_n })
    }

    /// The smallest n.
    pub fn min_n(self) -> usize {
        self.min_n
    }

    /// The largest n.
    pub fn max_n(self) -> usize {
        self.max_n
    }
}

impl Default for NgramRange {
    fn default() -> Self {
        NgramRange::UNIGRAMS
    }
}

impl std::str::FromStr for NgramRange {
    type Err = Error;

    /// `"MIN,MAX"`, as in `--ngram-range 1,2`.
    fn from_str(s: &str) -> Result<NgramRange, Error> {
        let invalid = || Error::InvalidValue {
            what: "ngram range",
            value: s.to_string(),
            expected: "MIN,MAX with two integers, like 1,2".into(),
        };
        let (min, max) = s.split_once(',').ok_or_else(invalid)?;
        let min = min.trim().parse().map_err(|_| invalid())?;
        let max = max.trim().parse().map_err(|_| invalid())?;
        NgramRange::new(min, max)
    }
}

impl TryFrom<(usize, usize)> for NgramRange {
    type Error = Error;
    fn try_from((min_n, max_n): (usize, usize)) -> Result<Self, Error> {
        NgramRange::new(min_n, max_n)
    }
}

impl From<NgramRange> for (usize, usize) {
    fn from(r: NgramRange) -> Self {
        (r.min_n, r.max_n)
    }
}

/// Reusable buffers for character n-grams.
#[derive(Debug, Default, Clone)]
pub(crate) struct CharScratch {
    text: String,
    word: String,
    bounds: Vec<usize>,
}

/// Calls `f` with the `char` (or, when `word_bounded`, `char_wb`) n-grams of the preprocessed
/// `text`, in scikit-learn's order, after collapsing runs of whitespace.
pub(crate) fn char_features(
    text: &str,
    range: NgramRange,
    word_bounded: bool,
    scratch: &mut CharScratch,
    f: impl FnMut(&str),
) {
    let CharScratch {
        text: collapsed,
        word,
        bounds,
    } = scratch;
    collapse_whitespace(text, collapsed);
    if word_bounded {
        char_wb_ngrams(collapsed, range, word, bounds, f);
    } else {
        char_ngrams(collapsed, range, bounds, f);
    }
}

/// Writes `text` to `out` with every run of two or more whitespace characters replaced by one
/// space (scikit-learn's `re.sub(r"\s\s+", " ", text)`; a single whitespace character stays as is).
fn collapse_whitespace(text: &str, out: &mut String) {
    out.clear();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_space(c) && chars.peek().is_some_and(|&(_, d)| is_space(d)) {
            while chars.peek().is_some_and(|&(_, d)| is_space(d)) {
                chars.next();
            }
            out.push(' ');
        } else {
            out.push_str(&text[i..i + c.len_utf8()]);
        }
    }
}

/// Calls `f` with every character n-gram of `text` (already whitespace-collapsed), in
/// scikit-learn's order. `bounds` is scratch space.
fn char_ngrams(text: &str, range: NgramRange, bounds: &mut Vec<usize>, mut f: impl FnMut(&str)) {
    bounds.clear();
    bounds.extend(text.char_indices().map(|(i, _)| i));
    bounds.push(text.len());
    let len = bounds.len() - 1;
    for n in range.min_n..=range.max_n.min(len) {
        for i in 0..=len - n {
            f(&text[bounds[i]..bounds[i + n]]);
        }
    }
}

/// Calls `f` with the n-grams of each whitespace-separated word of `text` padded with one space
/// on each side, in scikit-learn's order (a padded word shorter than `n` is emitted once, whole,
/// and ends that word). `word` and `bounds` are scratch space.
fn char_wb_ngrams(
    text: &str,
    range: NgramRange,
    word: &mut String,
    bounds: &mut Vec<usize>,
    mut f: impl FnMut(&str),
) {
    for w in text.split(is_space).filter(|w| !w.is_empty()) {
        word.clear();
        word.push(' ');
        word.push_str(w);
        word.push(' ');
        bounds.clear();
        bounds.extend(word.char_indices().map(|(i, _)| i));
        bounds.push(word.len());
        let w_len = bounds.len() - 1;
        for n in range.min_n..=range.max_n {
            let mut offset = 0;
            f(&word[bounds[0]..bounds[n.min(w_len)]]);
            while offset + n < w_len {
                offset += 1;
                f(&word[bounds[offset]..bounds[offset + n]]);
            }
            if offset == 0 {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wb(text: &str, lo: usize, hi: usize) -> Vec<String> {
        let (mut w, mut b, mut out) = (String::new(), Vec::new(), Vec::new());
        char_wb_ngrams(
            text,
            NgramRange::new(lo, hi).unwrap(),
            &mut w,
            &mut b,
            |g| out.push(g.to_string()),
        );
        out
    }

    #[test]
    fn collapse_keeps_single_whitespace() {
        let mut out = String::new();
        for (input, want) in [
            ("a\tb", "a\tb"),
            ("a \t b", "a b"),
            ("a\u{a0}\u{a0}b\n", "a b\n"),
            ("  ", " "),
        ] {
            collapse_whitespace(input, &mut out);
            assert_eq!(out, want, "{input:?}");
        }
    }

    #[test]
    fn char_wb_pads_and_stops_short_words() {
        assert_eq!(wb("ab", 2, 3), [" a", "ab", "b ", " ab", "ab "]);
        assert_eq!(wb("a", 2, 5), [" a", "a ", " a "]);
        assert_eq!(wb("a", 3, 5), [" a "]);
        assert_eq!(wb("a", 4, 5), [" a "]);
    }

    #[test]
    fn char_ngrams_count_code_points() {
        let mut b = Vec::new();
        let mut out = Vec::new();
        char_ngrams("жx", NgramRange::new(1, 3).unwrap(), &mut b, |g| {
            out.push(g.to_string())
        });
        assert_eq!(out, ["ж", "x", "жx"]);
    }

    #[test]
    fn ngram_range_parses_min_comma_max() {
        assert_eq!("1,2".parse::<NgramRange>(), NgramRange::new(1, 2));
        assert_eq!(" 2 , 5 ".parse::<NgramRange>(), NgramRange::new(2, 5));
        for bad in ["1", "1-2", "a,b", "2,1", "0,1", "", "1,2,3"] {
            assert!(bad.parse::<NgramRange>().is_err(), "{bad}");
        }
    }

    #[test]
    fn ngram_range_is_validated() {
        assert!(NgramRange::new(0, 1).is_err());
        assert!(NgramRange::new(3, 2).is_err());
        let r: NgramRange = serde_json::from_str("[1,2]").unwrap();
        assert_eq!((r.min_n(), r.max_n()), (1, 2));
        assert!(serde_json::from_str::<NgramRange>("[2,1]").is_err());
    }
}
