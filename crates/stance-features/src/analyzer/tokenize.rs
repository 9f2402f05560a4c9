//! The token rule: scikit-learn's default `(?u)\b\w\w+\b` on a hand-written fast path, or a
//! custom regular expression.
//!
//! With the default pattern a token is a maximal run of at least two `\w` characters (the `\b`
//! on both sides makes the greedy `\w+` stop only at the end of a run), so no regex engine is
//! needed: a byte table answers ASCII and the generated Python tables answer the rest.

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::unicode::is_word_char;
use crate::Error;
use crate::swar::{HIGH_BITS, in_range, splat};

/// How a preprocessed text is cut into tokens.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TokenPattern {
    /// scikit-learn's default `(?u)\b\w\w+\b`, with `\w` exactly as Python's `re` defines it.
    #[default]
    Default,
    /// A regular expression in Rust's `regex` syntax (its Unicode tables, not Python's). As in
    /// scikit-learn, a pattern with one capturing group yields the group, not the whole match.
    Regex {
        /// The pattern.
        pattern: String,
    },
}

/// A compiled [`TokenPattern`].
#[derive(Clone, Debug)]
pub(crate) enum Tokenizer {
    Default,
    Regex { regex: Regex, group: bool },
}

impl Tokenizer {
    pub(crate) fn new(pattern: &TokenPattern) -> Result<Tokenizer, Error> {
        match pattern {
            TokenPattern::Default => Ok(Tokenizer::Default),
            TokenPattern::Regex { pattern } => {
                let regex = Regex::new(pattern).map_err(|e| Error::InvalidTokenPattern {
                    pattern: pattern.clone(),
                    reason: e.to_string(),
                })?;
                let groups = regex.captures_len() - 1;
                if groups > 1 {
                    return Err(Error::InvalidTokenPattern {
                        pattern: pattern.clone(),
                        reason: format!("{groups} capturing groups; at most one is allowed"),
                    });
                }
                Ok(Tokenizer::Regex {
                    regex,
                    group: groups == 1,
                })
            }
        }
    }

    /// Calls `f(start, end)` with the byte span of every token of `text`, in order.
    ///
    /// Both rules fill the same small array of spans a batch at a time (see [`Spans`]), and
    /// `f` is called from one place only: the compiler then inlines it into the scan, whatever
    /// its size (a callback called from two places, one per rule, stays a call per token: the
    /// vectorizer's counting paid about 15 instructions a token for it).
    #[inline]
    pub(crate) fn for_each(&self, text: &str, mut f: impl FnMut(usize, usize)) {
        let mut spans = match self {
            Tokenizer::Default => Spans::Default(DefaultScan::new(text)),
            Tokenizer::Regex { regex, group: true } => Spans::Group(regex.captures_iter(text)),
            Tokenizer::Regex {
                regex,
                group: false,
            } => Spans::Whole(regex.find_iter(text)),
        };
        let mut found = [(0usize, 0usize); BATCH];
        while let Some(k) = spans.next_batch(&mut found) {
            for &(start, end) in &found[..k] {
                f(start, end);
            }
        }
    }
}

/// The most spans a batch holds: the default rule's tokens ending in one block of 64 bytes (a
/// run from the previous block, then one in every other byte).
const BATCH: usize = 33;

/// The token spans of a text under either rule, a batch at a time.
enum Spans<'r, 't> {
    Default(DefaultScan<'t>),
    /// A pattern with one capturing group: the group's spans.
    Group(regex::CaptureMatches<'r, 't>),
    /// A pattern without groups: the matches' spans.
    Whole(regex::Matches<'r, 't>),
}

impl Spans<'_, '_> {
    /// The next batch of spans in `found[..k]`, `Some(k)` (`k` may be 0), or `None` when the
    /// text is done.
    #[inline(always)]
    fn next_batch(&mut self, found: &mut [(usize, usize); BATCH]) -> Option<usize> {
        match self {
            Spans::Default(scan) => scan.next_block(found),
            Spans::Group(captures) => fill(
                found,
                captures.map(|caps| match caps.get(1) {
                    Some(m) => (m.start(), m.end()),
                    // Python's findall yields '' for a group that did not take part in the match.
                    None => {
                        let m = caps.get(0).expect("group 0 always matches");
                        (m.start(), m.start())
                    }
                }),
            ),
            Spans::Whole(matches) => fill(found, matches.map(|m| (m.start(), m.end()))),
        }
    }
}

/// Up to [`BATCH`] spans of `spans` into `found`: how many, or `None` when there are none left.
fn fill(
    found: &mut [(usize, usize); BATCH],
    spans: impl Iterator<Item = (usize, usize)>,
) -> Option<usize> {
    let mut k = 0;
    for (slot, span) in found.iter_mut().zip(spans) {
        *slot = span;
        k += 1;
    }
    (k > 0).then_some(k)
}

/// Word-character runs of two or more characters.
///
/// The text is scanned 64 bytes at a time: a bit mask marks the bytes that belong to word
/// characters (every byte of a multi-byte character gets its character's class), and runs of set
/// bits are found with `trailing_zeros`, so the cost is a few instructions per token instead of a
/// hard-to-predict branch per byte. A run is a token when it holds at least two characters
/// (bytes minus UTF-8 continuation bytes).
///
/// A block's tokens are gathered in a small array and `f` is called from one place only, so
/// that the compiler inlines it into the scan (called from each of the places a token can end,
/// it stays a call per token: 10M more instructions over the FNC-1 bodies for the scoring fast
/// path).
///
/// [`DefaultScan`] is the same scan, a block per call: [`Tokenizer::for_each`] (the
/// vectorizers) goes through it so that its callback is called from one place whichever the
/// rule. This loop stays for [`default_token_spans`](super::default_token_spans) (scoring): on
/// it the block-per-call form cost 2.8M more instructions over the FNC-1 bodies.
#[inline]
pub(crate) fn default_tokens(text: &str, mut f: impl FnMut(usize, usize)) {
    let n = text.len();
    // The tokens ending in the current block.
    let mut found = [(0usize, 0usize); BATCH];
    // A run that may continue across blocks: where it started, and its continuation bytes.
    let mut open: Option<(usize, u32)> = None;
    // Class of the continuation bytes of a character that began in the previous block.
    let mut pending = (0usize, false);
    let mut base = 0;
    while base < n {
        let k;
        (base, k) = scan_block(text, base, &mut open, &mut pending, &mut found);
        for &(start, end) in &found[..k] {
            f(start, end);
        }
    }
}

/// One block of 64 bytes (or the text's last, shorter one) of [`default_tokens`]' scan,
/// starting at `base`: writes the tokens (runs of two word characters or more) that end in the
/// block, and in the text's last block the run still open at its end, to `found` in order.
/// `open` and `pending` carry the scan's state from block to block. Returns where the next
/// block starts and how many tokens were found.
#[inline(always)]
fn scan_block(
    text: &str,
    base: usize,
    open: &mut Option<(usize, u32)>,
    pending: &mut (usize, bool),
    found: &mut [(usize, usize); BATCH],
) -> (usize, usize) {
    let mut k = 0;
    // Every run is written, and only those of two characters or more (bytes minus
    // continuation bytes) counted: no branch per run.
    let mut keep = |start: usize, end: usize, continuation: u32| {
        found[k] = (start, end);
        k += usize::from(end - start - continuation as usize >= 2);
    };
    let bytes = text.as_bytes();
    let n = bytes.len();
    let low_bits = |k: u32| if k >= 64 { u64::MAX } else { (1u64 << k) - 1 };
    let block = &bytes[base..n.min(base + 64)];
    let len = block.len();
    let (mut word, high, cont) = if block.is_ascii() {
        (ascii_word_mask_at(bytes, base, len), 0, 0)
    } else {
        block_masks(block)
    };
    if high != 0 || pending.0 > 0 {
        word |= non_ascii_word_mask(text, base, len, high & !cont, pending);
    }
    let valid = low_bits(len as u32);
    word &= valid;
    // Bit i of `shifted`: byte i - 1 is a word byte (for i = 0, the previous block's last).
    let shifted = (word << 1) | u64::from(open.is_some());
    let mut starts = word & !shifted;
    let mut ends = !word & shifted & valid;
    let continuation = |from: u32, to: u32| {
        if cont == 0 {
            0
        } else {
            (cont & low_bits(to) & !low_bits(from)).count_ones()
        }
    };
    if let Some((start, c)) = *open {
        if ends == 0 {
            // The whole block continues the run.
            *open = Some((start, c + continuation(0, len as u32)));
        } else {
            let end = ends.trailing_zeros();
            ends &= ends - 1;
            keep(start, base + end as usize, c + continuation(0, end));
            *open = None;
        }
    }
    while starts != 0 {
        let start = starts.trailing_zeros();
        starts &= starts - 1;
        if ends == 0 {
            // The run goes on into the next block.
            *open = Some((base + start as usize, continuation(start, len as u32)));
            break;
        }
        let end = ends.trailing_zeros();
        ends &= ends - 1;
        keep(
            base + start as usize,
            base + end as usize,
            continuation(start, end),
        );
    }
    let next = base + len;
    if next >= n
        && let Some((start, c)) = open.take()
    {
        keep(start, n, c);
    }
    (next, k)
}

/// The state of [`default_tokens`]' scan between blocks of 64 bytes, so that the blocks can be
/// scanned one call at a time (see [`Spans`]).
struct DefaultScan<'t> {
    text: &'t str,
    /// Where the next block starts.
    base: usize,
    /// A run that may continue across blocks: where it started, and its continuation bytes.
    open: Option<(usize, u32)>,
    /// Class of the continuation bytes of a character that began in the previous block.
    pending: (usize, bool),
}

impl<'t> DefaultScan<'t> {
    fn new(text: &'t str) -> Self {
        DefaultScan {
            text,
            base: 0,
            open: None,
            pending: (0, false),
        }
    }

    /// Scans the next block: the tokens ending in it to `found[..k]`, `Some(k)`, or `None`
    /// when the text is done.
    #[inline(always)]
    fn next_block(&mut self, found: &mut [(usize, usize); BATCH]) -> Option<usize> {
        if self.base >= self.text.len() {
            return None;
        }
        let k;
        (self.base, k) = scan_block(
            self.text,
            self.base,
            &mut self.open,
            &mut self.pending,
            found,
        );
        Some(k)
    }
}

/// Gathers the high bits of the eight bytes of `flags` into the low eight bits.
#[inline(always)]
fn movemask(flags: u64) -> u64 {
    ((flags >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// Eight bytes as a little-endian word (zero-padded), without a call to `memcpy`.
#[inline(always)]
fn load(chunk: &[u8]) -> u64 {
    match <[u8; 8]>::try_from(chunk) {
        Ok(bytes) => u64::from_le_bytes(bytes),
        Err(_) => chunk
            .iter()
            .rev()
            .fold(0u64, |word, &b| (word << 8) | u64::from(b)),
    }
}

/// [`ascii_word_mask`] of the ASCII block of `len` bytes at `base` in `bytes`, the last block
/// when shorter than 64 bytes: a block of 64 bytes, or the last one of a text of 64 bytes or
/// more (read as the 64 bytes that end the text, its mask shifted down), goes through
/// [`word_mask_64`].
#[inline]
fn ascii_word_mask_at(bytes: &[u8], base: usize, len: usize) -> u64 {
    let end = base + len;
    match end
        .checked_sub(64)
        .and_then(|from| bytes[from..end].first_chunk::<64>())
    {
        Some(last) => word_mask_64(last) >> (64 - len),
        None => ascii_word_mask(&bytes[base..end]),
    }
}

/// The `[0-9A-Za-z_]` bytes of 64 bytes, a bit per byte (bit `k` for byte `k`; a byte of any
/// value: the tests are exact on non-ASCII bytes too). Each byte is tested on its own into an
/// array of flags, a loop the compiler turns into 16-byte vector comparisons (SSE2 is part of
/// baseline x86-64); the flags are then gathered eight at a time as in [`ascii_word_mask`].
/// Under half the instructions of eight word-at-a-time tests. Public for scanners of text
/// whose word characters are all ASCII (stance-infer's in-place rows).
#[inline(always)]
pub fn word_mask_64(block: &[u8; 64]) -> u64 {
    let mut flags = [0u8; 64];
    for (flag, &c) in flags.iter_mut().zip(block) {
        // `|`, not `||`: no branch per byte, so the loop stays one vector body.
        let word = ((c | 0x20).wrapping_sub(b'a') < 26) | (c.wrapping_sub(b'0') < 10) | (c == b'_');
        *flag = u8::from(word) << 7;
    }
    let mut word = 0u64;
    for (k, eight) in flags.chunks_exact(8).enumerate() {
        word |= movemask(u64::from_le_bytes(eight.try_into().expect("8 bytes"))) << (8 * k);
    }
    word
}

/// The `[0-9A-Za-z_]` bytes of an ASCII block of at most 64 bytes.
#[inline]
fn ascii_word_mask(block: &[u8]) -> u64 {
    let mut word = 0u64;
    for (k, chunk) in block.chunks(8).enumerate() {
        let x = load(chunk);
        let lower = x | (splat(0x20));
        let is_word =
            in_range(x, b'0', b'9') | in_range(lower, b'a', b'z') | in_range(x, b'_', b'_');
        word |= movemask(is_word) << (8 * k);
    }
    word
}

/// Masks of a block of at most 64 bytes, eight bytes at a time without branches: bytes that
/// are ASCII `[0-9A-Za-z_]`, non-ASCII bytes, and UTF-8 continuation bytes.
#[inline]
fn block_masks(block: &[u8]) -> (u64, u64, u64) {
    let (mut word, mut high, mut cont) = (0u64, 0u64, 0u64);
    for (k, chunk) in block.chunks(8).enumerate() {
        let w = load(chunk);
        let x = w & !HIGH_BITS;
        let lower = x | (splat(0x20));
        let is_word =
            in_range(x, b'0', b'9') | in_range(lower, b'a', b'z') | in_range(x, b'_', b'_');
        let hi = w & HIGH_BITS;
        let shift = 8 * k;
        word |= movemask(is_word & !hi) << shift;
        high |= movemask(hi) << shift;
        cont |= movemask(hi & !(w << 1)) << shift;
    }
    (word, high, cont)
}

/// The bytes of non-ASCII word characters in a block, given the block's lead bytes. `pending`
/// carries the class of a character cut by the block boundary: (bytes still to come, is word).
fn non_ascii_word_mask(
    text: &str,
    base: usize,
    len: usize,
    mut leads: u64,
    pending: &mut (usize, bool),
) -> u64 {
    let low_bits = |k: usize| if k >= 64 { u64::MAX } else { (1u64 << k) - 1 };
    let mut word = 0u64;
    // The tail of a character that started in the previous block.
    let (left, is_word) = *pending;
    if left > 0 && is_word {
        word |= low_bits(left.min(len));
    }
    *pending = (left.saturating_sub(len), is_word);
    while leads != 0 {
        let i = leads.trailing_zeros() as usize;
        leads &= leads - 1;
        let c = char_at(text, base + i);
        let end = i + c.len_utf8();
        let w = is_word_char(c);
        if w {
            word |= low_bits(end.min(len)) & !low_bits(i);
        }
        if end > len {
            *pending = (end - len, w);
        }
    }
    word
}

#[inline]
fn char_at(text: &str, i: usize) -> char {
    text[i..]
        .chars()
        .next()
        .expect("the scan only stops on char boundaries")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(t: &Tokenizer, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        t.for_each(text, |s, e| out.push(text[s..e].to_string()));
        out
    }

    /// The definition, one character at a time: maximal runs of two or more word characters.
    fn reference(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut run = String::new();
        for c in text.chars().chain(std::iter::once(' ')) {
            if is_word_char(c) {
                run.push(c);
            } else {
                if run.chars().count() >= 2 {
                    out.push(run.clone());
                }
                run.clear();
            }
        }
        out
    }

    #[test]
    fn block_scan_agrees_with_the_definition_across_block_edges() {
        let pieces = [
            "a",
            "bc",
            "é",
            "ж",
            "北京",
            " ",
            ",",
            "’",
            "\u{301}",
            "_",
            "9",
            "🇺🇦",
            "\u{a0}",
            // A run longer than a block, so that whole blocks continue a run.
            "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123",
        ];
        let mut seed = 7u64;
        for _ in 0..2000 {
            let mut text = String::new();
            let len = (seed % 150) as usize;
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            assert_eq!(
                tokens(&Tokenizer::Default, &text),
                reference(&text),
                "{text:?}"
            );
            let mut gathered = Vec::new();
            default_tokens(&text, |s, e| gathered.push(text[s..e].to_string()));
            assert_eq!(gathered, reference(&text), "gathered: {text:?}");
        }
    }

    #[test]
    fn whole_block_masks_are_the_word_at_a_time_masks() {
        // Every byte value, in several orders, and the last blocks of texts of every length
        // around one and two blocks.
        let all: Vec<u8> = (0..=255u8).collect();
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        let mut shuffled = all.clone();
        for _ in 0..50 {
            for i in (1..shuffled.len()).rev() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                shuffled.swap(i, (x % (i as u64 + 1)) as usize);
            }
            for block in all.chunks(64).chain(shuffled.chunks(64)) {
                let block: &[u8; 64] = block.try_into().unwrap();
                let expected = block
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| b.is_ascii_alphanumeric() || **b == b'_')
                    .fold(0u64, |m, (i, _)| m | 1 << i);
                assert_eq!(word_mask_64(block), expected, "{block:?}");
                if block.is_ascii() {
                    assert_eq!(ascii_word_mask(block), expected);
                }
            }
        }
        let text: Vec<u8> = b"Kyiv_2026 rejects the truce; a 3-point plan, (U.S.) said: __x__ "
            .iter()
            .cycle()
            .take(200)
            .copied()
            .collect();
        for n in 0..=200 {
            let bytes = &text[..n];
            let mut base = 0;
            while base < n {
                let len = (n - base).min(64);
                assert_eq!(
                    ascii_word_mask_at(bytes, base, len),
                    ascii_word_mask(&bytes[base..base + len]),
                    "{n} {base}"
                );
                base += len;
            }
        }
    }

    #[test]
    fn block_masks_classify_every_byte() {
        let block: Vec<u8> = (0..=255u8).collect();
        for chunk in block.chunks(64) {
            let (word, high, cont) = block_masks(chunk);
            if chunk.is_ascii() {
                assert_eq!(ascii_word_mask(chunk), word);
            }
            for (i, &b) in chunk.iter().enumerate() {
                let bit = |m: u64| m >> i & 1 == 1;
                assert_eq!(bit(word), b.is_ascii_alphanumeric() || b == b'_', "{b:#x}");
                assert_eq!(bit(high), b >= 0x80, "{b:#x}");
                assert_eq!(bit(cont), b & 0xc0 == 0x80, "{b:#x}");
            }
        }
        let (word, _, _) = block_masks(b"ab_9 -Z");
        assert_eq!(word, 0b100_1111);
    }

    #[test]
    fn default_rule_matches_python() {
        let t = Tokenizer::Default;
        let cases: &[(&str, &[&str])] = &[
            ("", &[]),
            ("a b c", &[]),
            ("don't stop", &["don", "stop"]),
            ("snake_case __init__ x_", &["snake_case", "__init__", "x_"]),
            (
                "3.14 and 2,000 in 1953",
                &["14", "and", "000", "in", "1953"],
            ),
            ("cease-fire", &["cease", "fire"]),
            ("i\u{307}stanbul", &["stanbul"]),
            ("Зеленский, Київ", &["Зеленский", "Київ"]),
            ("北京 和 東京", &["北京", "東京"]),
            ("²³ ½ Ⅻ ١٢٣", &["²³", "١٢٣"]),
            ("हिन्दी", &[]),
            ("a\u{a0}bc\u{2009}de", &["bc", "de"]),
            ("👍🏽 🇺🇦 ok", &["ok"]),
        ];
        for (text, want) in cases {
            assert_eq!(tokens(&t, text), *want, "{text:?}");
        }
    }

    /// A pattern's spans come in batches of [`BATCH`]: texts with no match, one, a batch's
    /// worth and several batches give every match, in order, with and without a group (an
    /// optional group that does not take part yields an empty span at the match's start).
    #[test]
    fn regex_spans_across_batches() {
        for pattern in [r"[a-z]+", r"([a-z]+)[0-9]?", r"[0-9]([a-z]+)?"] {
            let regex = Regex::new(pattern).unwrap();
            let group = regex.captures_len() == 2;
            let t = Tokenizer::new(&TokenPattern::Regex {
                pattern: pattern.into(),
            })
            .unwrap();
            for n in [0, 1, BATCH - 1, BATCH, BATCH + 1, 3 * BATCH + 5] {
                let text: String = (0..n).map(|i| format!("w{i}x ")).collect::<String>() + "!";
                let want: Vec<(usize, usize)> = if group {
                    regex
                        .captures_iter(&text)
                        .map(|c| match c.get(1) {
                            Some(m) => (m.start(), m.end()),
                            None => (c.get(0).unwrap().start(), c.get(0).unwrap().start()),
                        })
                        .collect()
                } else {
                    regex
                        .find_iter(&text)
                        .map(|m| (m.start(), m.end()))
                        .collect()
                };
                let mut got = Vec::new();
                t.for_each(&text, |s, e| got.push((s, e)));
                assert_eq!(got, want, "{pattern} {n}");
            }
        }
    }

    #[test]
    fn regex_rule_uses_its_single_group() {
        let t = Tokenizer::new(&TokenPattern::Regex {
            pattern: r"(\w+)'s".into(),
        })
        .unwrap();
        assert_eq!(tokens(&t, "Russia's and Kyiv's"), ["Russia", "Kyiv"]);
        let bad = Tokenizer::new(&TokenPattern::Regex {
            pattern: r"(a)(b)".into(),
        });
        assert!(matches!(bad, Err(Error::InvalidTokenPattern { .. })));
        let bad = Tokenizer::new(&TokenPattern::Regex {
            pattern: r"(".into(),
        });
        assert!(matches!(bad, Err(Error::InvalidTokenPattern { .. })));
    }
}
