//! The cleaner: scraped article text → the article's own lines, with a map back to the original
//! and the audit trail of every dropped line.
//!
//! Scraped pages are lines: headline, dateline, one line per paragraph, then the page's chrome
//! (comment forms, share buttons, newsletter prompts, lists of other stories). The cleaner
//! therefore decides per line, never inside one, so every kept line is an unmodified slice of
//! the original (whitespace-trimmed) and the offset map is a short list of [`Piece`]s. Rules look
//! at a line and its neighbours, never at the article's words, which is why they stay
//! conservative: when in doubt, a line is kept. The rules are listed on [`Cleaner`].

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

use super::rules::{AddressPart, LineRules};
use crate::Error;
use crate::swar::{HIGH_BITS, splat, zero_bytes};

/// Why a line was dropped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DropReason {
    /// A comment, newsletter, share, cookie or navigation prompt ("Leave a Reply", "0 comments",
    /// "Subscribe to ...", "Back To Top", "You may also like").
    #[default]
    Boilerplate,
    /// A line of a list of other stories, each cut off with "..." or "…".
    Teaser,
    /// A heading already seen earlier in the text.
    RepeatedHeading,
    /// Part of a postal address block.
    AddressBlock,
    /// A site name, byline, source or agency credit ("RT.com", "Source: BBC", "AP/ABC").
    Metadata,
}

/// How a [`LineMatch`] or [`DropRule`] compares its text with a line. All comparisons ignore
/// case and the whitespace around the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The whole line.
    Exact,
    /// The start of the line.
    Prefix,
    /// Anywhere in the line.
    Contains,
    /// A regular expression (`regex` crate syntax) searched in the line; anchor it with `^`/`$`.
    Regex,
}

/// A line pattern, as in `{"type": "prefix", "text": "Sponsored by"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineMatch {
    /// How `text` is compared.
    #[serde(rename = "type")]
    pub kind: MatchKind,
    /// The text or regular expression.
    pub text: String,
}

/// A line pattern that drops the lines it matches, with the reason recorded for them:
/// `{"type": "exact", "text": "Most read", "reason": "boilerplate"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DropRule {
    /// How `text` is compared.
    #[serde(rename = "type")]
    pub kind: MatchKind,
    /// The text or regular expression.
    pub text: String,
    /// The reason recorded for dropped lines (default `boilerplate`).
    #[serde(default)]
    pub reason: DropReason,
}

/// Settings of the cleaner. Every field has a default; [`check`](Self::check) compiles them
/// into a [`Cleaner`].
///
/// | field | default | meaning |
/// |---|---|---|
/// | `boilerplate` | `true` | built-in prompt patterns |
/// | `metadata` | `true` | built-in site-name, byline and credit patterns |
/// | `address_blocks` | `true` | drop address blocks |
/// | `teasers` | `true` | drop runs of cut-off lines |
/// | `repeated_headings` | `true` | drop repeated headings |
/// | `drop` | `[]` | extra [`DropRule`]s, checked before the built-in rules |
/// | `keep` | `[]` | [`LineMatch`]es for lines never to drop |
/// | `max_boilerplate_words` | 40 | longer lines are never boilerplate or metadata (≥ 1) |
/// | `max_metadata_words` | 8 | longer lines are never metadata (≥ 1) |
/// | `teaser_min_run` | 2 | cut-off lines in a row that make a teaser list (≥ 1) |
/// | `teaser_min_words` | 5 | shorter cut-off lines do not count as teasers |
/// | `max_heading_words` | 20 | longer lines are not headings (≥ 1) |
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CleanParams {
    /// Apply the built-in prompt patterns.
    pub boilerplate: bool,
    /// Apply the built-in site-name, byline and credit patterns.
    pub metadata: bool,
    /// Drop address blocks.
    pub address_blocks: bool,
    /// Drop runs of cut-off lines.
    pub teasers: bool,
    /// Drop headings already seen.
    pub repeated_headings: bool,
    /// Extra rules, checked (in order) before the built-in ones.
    pub drop: Vec<DropRule>,
    /// Lines no rule may drop.
    pub keep: Vec<LineMatch>,
    /// Lines with more words are never dropped as boilerplate or metadata.
    pub max_boilerplate_words: usize,
    /// Lines with more words are never dropped as metadata.
    pub max_metadata_words: usize,
    /// How many cut-off lines in a row make a teaser list.
    pub teaser_min_run: usize,
    /// Cut-off lines with fewer words do not count towards a teaser list.
    pub teaser_min_words: usize,
    /// Lines with more words are not headings.
    pub max_heading_words: usize,
}

impl Default for CleanParams {
    fn default() -> Self {
        Self {
            boilerplate: true,
            metadata: true,
            address_blocks: true,
            teasers: true,
            repeated_headings: true,
            drop: Vec::new(),
            keep: Vec::new(),
            max_boilerplate_words: 40,
            max_metadata_words: 8,
            teaser_min_run: 2,
            teaser_min_words: 5,
            max_heading_words: 20,
        }
    }
}

impl CleanParams {
    /// Validates the settings and compiles the patterns.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a limit of 0 or a pattern that does not compile, naming the
    /// field and the pattern's index.
    pub fn check(&self) -> Result<Cleaner, Error> {
        for (name, value) in [
            ("max_boilerplate_words", self.max_boilerplate_words),
            ("max_metadata_words", self.max_metadata_words),
            ("teaser_min_run", self.teaser_min_run),
            ("max_heading_words", self.max_heading_words),
        ] {
            if value == 0 {
                return Err(Error::InvalidValue {
                    what: name,
                    value: "0".to_owned(),
                    expected: "an integer >= 1".to_owned(),
                });
            }
        }
        let drop = self
            .drop
            .iter()
            .enumerate()
            .map(|(i, rule)| Ok((compile("drop", i, rule.kind, &rule.text)?, rule.reason)))
            .collect::<Result<Vec<_>, Error>>()?;
        let keep = self
            .keep
            .iter()
            .enumerate()
            .map(|(i, rule)| compile("keep", i, rule.kind, &rule.text))
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(Cleaner {
            params: self.clone(),
            rules: builtin_rules().clone(),
            drop,
            keep,
        })
    }
}

/// One pattern of `field` (at `index`) as a case-insensitive regular expression.
fn compile(field: &'static str, index: usize, kind: MatchKind, text: &str) -> Result<Regex, Error> {
    let text = text.trim();
    let escaped = regex::escape(text);
    let pattern = match kind {
        MatchKind::Exact => format!("(?i)^{escaped}$"),
        MatchKind::Prefix => format!("(?i)^{escaped}"),
        MatchKind::Contains => format!("(?i){escaped}"),
        MatchKind::Regex => format!("(?i){text}"),
    };
    Regex::new(&pattern).map_err(|e| Error::InvalidValue {
        what: field,
        value: text.to_owned(),
        expected: format!("a valid regular expression at index {index}: {e}"),
    })
}

fn builtin_rules() -> &'static LineRules {
    static RULES: OnceLock<LineRules> = OnceLock::new();
    RULES.get_or_init(LineRules::new)
}

/// A validated, compiled [`CleanParams`].
///
/// It keeps or drops whole lines (trimmed, blank lines ignored). A line is dropped by the first
/// rule that claims it:
///
/// 1. a [`keep`](CleanParams::keep) rule protects it from everything below;
/// 2. a user [`drop`](CleanParams::drop) rule, with the reason it names;
/// 3. [`DropReason::AddressBlock`]: two or more consecutive address-like lines including a street
///    or a postcode line (one such line alone is kept);
/// 4. [`DropReason::Teaser`]: a run of [`teaser_min_run`](CleanParams::teaser_min_run)
///    consecutive lines each cut off with "..." or "…" (a list of other stories); one such line,
///    or a quotation ending `..."`, is kept;
/// 5. [`DropReason::Boilerplate`] and [`DropReason::Metadata`]: built-in patterns anchored to
///    the line, applied only to lines of at most
///    [`max_boilerplate_words`](CleanParams::max_boilerplate_words) words, so a paragraph that
///    mentions "subscribe" or "cookies" is never dropped; bylines are not looked for on the
///    first line, where the headline stands;
/// 6. [`DropReason::RepeatedHeading`]: a heading-like line (at most
///    [`max_heading_words`](CleanParams::max_heading_words) words, no final full stop, comma,
///    colon or semicolon) equal, up to case and spacing, to an earlier kept heading.
#[derive(Clone, Debug)]
pub struct Cleaner {
    params: CleanParams,
    rules: LineRules,
    drop: Vec<(Regex, DropReason)>,
    keep: Vec<Regex>,
}

impl Default for Cleaner {
    fn default() -> Self {
        CleanParams::default()
            .check()
            .expect("the default cleaner settings are valid")
    }
}

/// Cleans `text` with the default settings.
///
/// ```
/// use stance_features::text::{clean, DropReason};
///
/// let page = "Truce talks resume\n\nKyiv and Moscow met on Monday.\n\nLeave a Reply\n";
/// let cleaned = clean(page);
/// assert_eq!(cleaned.text, "Truce talks resume\n\nKyiv and Moscow met on Monday.");
/// assert_eq!(cleaned.dropped[0].reason, DropReason::Boilerplate);
/// assert_eq!(&page[cleaned.dropped[0].span.clone()], "Leave a Reply");
/// // "Monday" in the cleaned text, found in the original.
/// let at = cleaned.text.find("Monday").unwrap();
/// let original = cleaned.original_span(at..at + 6).unwrap();
/// assert_eq!(&page[original], "Monday");
/// ```
pub fn clean(text: &str) -> Cleaned {
    static DEFAULT: OnceLock<Cleaner> = OnceLock::new();
    DEFAULT.get_or_init(Cleaner::default).clean(text)
}

/// A kept line: where it lies in the cleaned text and in the original.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    /// Its line number in the original (1-based).
    pub line: usize,
    /// Its byte span in [`Cleaned::text`].
    pub clean: Range<usize>,
    /// Its byte span in the original text (the same bytes).
    pub original: Range<usize>,
}

/// A dropped line and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DroppedLine {
    /// Its line number in the original (1-based).
    pub line: usize,
    /// Its byte span in the original, without surrounding whitespace.
    pub span: Range<usize>,
    /// The rule that dropped it.
    pub reason: DropReason,
}

impl DroppedLine {
    /// The dropped line's text in `original` (the text that was cleaned); `None` for another
    /// text too short for the span.
    pub fn text<'a>(&self, original: &'a str) -> Option<&'a str> {
        original.get(self.span.clone())
    }
}

/// The result of cleaning: the kept lines, the map back to the original, and the dropped lines.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cleaned {
    /// The kept lines, trimmed, joined by `\n`, or by `\n\n` where the original had a blank
    /// line or dropped lines between them.
    pub text: String,
    /// One piece per kept line, in order.
    pub pieces: Vec<Piece>,
    /// The dropped lines, in order (blank lines are neither kept nor listed).
    pub dropped: Vec<DroppedLine>,
}

impl Cleaned {
    /// The original byte offset of byte `offset` of the cleaned text; an offset on a line
    /// separator maps to the start of the next kept line. `None` past the end, or when nothing
    /// was kept.
    pub fn original_offset(&self, offset: usize) -> Option<usize> {
        if offset > self.text.len() {
            return None;
        }
        let i = self.pieces.partition_point(|p| p.clean.end < offset);
        match self.pieces.get(i) {
            Some(p) => Some(p.original.start + offset.saturating_sub(p.clean.start)),
            None => self.pieces.last().map(|p| p.original.end),
        }
    }

    /// The original byte span of a span of the cleaned text. A span over several kept lines
    /// maps to the span from the first's start to the last's end, taking in what lay between
    /// them in the original: only the whitespace trimmed off the line ends when they are joined
    /// by `\n` (a sentence continued on the next line), dropped lines too across a `\n\n`.
    /// Ends on a separator are pulled in to the nearest kept text. `None` for a span outside
    /// the text or reversed.
    pub fn original_span(&self, span: Range<usize>) -> Option<Range<usize>> {
        if span.start > span.end || span.end > self.text.len() {
            return None;
        }
        if span.is_empty() {
            let at = self.original_offset(span.start)?;
            return Some(at..at);
        }
        let first = &self.pieces[self.pieces.partition_point(|p| p.clean.end <= span.start)];
        let start = first.original.start + span.start.saturating_sub(first.clean.start);
        let last = &self.pieces[self.pieces.partition_point(|p| p.clean.start < span.end) - 1];
        let end = last.original.start + (span.end.min(last.clean.end) - last.clean.start);
        Some(start..end.max(start))
    }
}

/// A non-blank line of the input.
struct Line {
    /// 1-based line number.
    number: usize,
    /// Trimmed byte span.
    span: Range<usize>,
    /// Whether a blank line comes between it and the previous non-blank line.
    blank_before: bool,
    /// Whitespace-separated words.
    words: usize,
}

impl Cleaner {
    /// The settings this cleaner was built from.
    pub fn params(&self) -> &CleanParams {
        &self.params
    }

    /// Cleans `text` by the rules listed on [`Cleaner`].
    pub fn clean(&self, text: &str) -> Cleaned {
        let lines = split_lines(text);
        let reasons = self.decide(text, &lines);
        let mut out = Cleaned {
            text: String::with_capacity(text.len()),
            ..Cleaned::default()
        };
        let mut gap = false;
        for (line, reason) in lines.iter().zip(reasons) {
            if let Some(reason) = reason {
                out.dropped.push(DroppedLine {
                    line: line.number,
                    span: line.span.clone(),
                    reason,
                });
                gap = true;
                continue;
            }
            if !out.pieces.is_empty() {
                out.text.push_str(if gap || line.blank_before {
                    "\n\n"
                } else {
                    "\n"
                });
            }
            let start = out.text.len();
            out.text.push_str(&text[line.span.clone()]);
            out.pieces.push(Piece {
                line: line.number,
                clean: start..out.text.len(),
                original: line.span.clone(),
            });
            gap = false;
        }
        out
    }

    /// The reason each line is dropped, or `None` to keep it.
    fn decide(&self, text: &str, lines: &[Line]) -> Vec<Option<DropReason>> {
        let p = &self.params;
        let line_text = |i: usize| &text[lines[i].span.clone()];
        let protected: Vec<bool> = (0..lines.len())
            .map(|i| self.keep.iter().any(|r| r.is_match(line_text(i))))
            .collect();
        let mut reasons: Vec<Option<DropReason>> = (0..lines.len())
            .map(|i| {
                if protected[i] {
                    return None;
                }
                self.drop
                    .iter()
                    .find(|(r, _)| r.is_match(line_text(i)))
                    .map(|&(_, reason)| reason)
            })
            .collect();
        let mut claim = |range: Range<usize>, reason: DropReason| {
            for i in range {
                if !protected[i] && reasons[i].is_none() {
                    reasons[i] = Some(reason);
                }
            }
        };
        if p.address_blocks {
            for block in runs(lines.len(), |i| {
                lines[i].words <= 10 && self.rules.address_part(line_text(i)).is_some()
            }) {
                let anchored = block.clone().any(|i| {
                    matches!(
                        self.rules.address_part(line_text(i)),
                        Some(AddressPart::Street | AddressPart::Locality)
                    )
                });
                if block.len() >= 2 && anchored {
                    claim(block, DropReason::AddressBlock);
                }
            }
        }
        if p.teasers {
            for run in runs(lines.len(), |i| {
                lines[i].words >= p.teaser_min_words && is_cut_off(line_text(i))
            }) {
                if run.len() >= p.teaser_min_run {
                    claim(run, DropReason::Teaser);
                }
            }
        }
        for i in 0..lines.len() {
            if protected[i] || reasons[i].is_some() || lines[i].words > p.max_boilerplate_words {
                continue;
            }
            let line = line_text(i);
            if p.boilerplate && self.rules.is_boilerplate(line) {
                reasons[i] = Some(DropReason::Boilerplate);
            } else if p.metadata && lines[i].words <= p.max_metadata_words {
                let byline = i > 0 && !ends_with_stop(line) && self.rules.is_byline(line);
                if byline || self.rules.is_metadata(line) {
                    reasons[i] = Some(DropReason::Metadata);
                }
            }
        }
        if p.repeated_headings {
            let mut seen = FxHashSet::default();
            for (i, line) in lines.iter().enumerate() {
                if reasons[i].is_some() || line.words > p.max_heading_words {
                    continue;
                }
                let heading = line_text(i);
                if heading.ends_with(['.', ',', ';', ':']) {
                    continue;
                }
                let key = heading_key(heading);
                if !seen.insert(key) && !protected[i] {
                    reasons[i] = Some(DropReason::RepeatedHeading);
                }
            }
        }
        reasons
    }
}

/// The non-blank lines of `text`, trimmed; `\n`, `\r\n` and `\r` end a line.
fn split_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut blank_before = false;
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut number = 0;
    while start <= bytes.len() {
        let (end, words) = scan_line(text, start);
        number += 1;
        let raw = &text[start..end];
        let trimmed = raw.trim_start();
        let left = start + (raw.len() - trimmed.len());
        let trimmed = trimmed.trim_end();
        if trimmed.is_empty() {
            blank_before = true;
        } else {
            lines.push(Line {
                number,
                span: left..left + trimmed.len(),
                blank_before,
                words,
            });
            blank_before = false;
        }
        if end == bytes.len() {
            break;
        }
        start = if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
            end + 2
        } else {
            end + 1
        };
    }
    lines
}

/// The end of the line starting at byte `start` of `text` (the first `\n` or `\r`, or the end of
/// the text) and its whitespace-separated words, as `split_whitespace().count()` counts them, in
/// one pass: ASCII bytes are classified by a comparison, only other characters are decoded (the
/// cleaner scans every byte of every article here, so this is one of its hot loops).
fn scan_line(text: &str, start: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let (mut words, mut in_word, mut i) = (0, false, start);
    while i < bytes.len() {
        // Eight ASCII bytes without a line end at a time: a bit per byte, as in `word_starts`.
        if let Some(chunk) = bytes.get(i..i + 8) {
            let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            // Printable ASCII (0x20..=0x7f), nearly every block of text: no line end, and the
            // space is the only whitespace. (Subtracting 0x20 from each byte sets a high bit, by
            // a wrap, only in a byte below 0x20 or above one; `w` flags bytes from 0x80. A
            // borrow runs upwards only, so the lowest byte flagged is the first such byte.)
            let special = (w | w.wrapping_sub(splat(0x20))) & HIGH_BITS;
            // A byte not a space, XORed with one, is not zero: adding 0x7f sets its high bit
            // (exactly, in the bytes below 0x80 up to the first special one: a carry also runs
            // upwards only, and none leaves such a byte).
            let word = (w ^ splat(b' ')).wrapping_add(splat(0x7f)) & HIGH_BITS;
            if special == 0 {
                let (starts, ends_in_word) = count_word_starts(word, in_word);
                words += starts;
                in_word = ends_in_word;
                i += 8;
                continue;
            }
            if w & HIGH_BITS == 0
                && (zero_bytes(w ^ splat(b'\n')) | zero_bytes(w ^ splat(b'\r'))) == 0
            {
                let (starts, ends_in_word) = word_starts(w, in_word);
                words += starts;
                in_word = ends_in_word;
                i += 8;
                continue;
            }
            // The printable bytes before the first special one (a line end, a control byte, a
            // multi-byte character) at once, rather than one at a time until the block has
            // passed it; the special byte is taken alone below.
            let k = (special.trailing_zeros() / 8) as usize;
            if k > 0 {
                let word = word & ((1u64 << (8 * k)) - 1);
                words += count_word_starts(word, in_word).0;
                in_word = word >> (8 * k - 1) != 0;
                i += k;
            }
        }
        let b = bytes[i];
        let (space, len) = if b.is_ascii() {
            if b == b'\n' || b == b'\r' {
                break;
            }
            // `char::is_whitespace` on ASCII: tab, line feed, vertical tab, form feed, carriage
            // return, space.
            (matches!(b, b'\t'..=b'\r' | b' '), 1)
        } else {
            // A multi-byte character never holds a line-ending byte, so it is skipped whole.
            let c = text[i..].chars().next().unwrap_or(' ');
            (c.is_whitespace(), c.len_utf8())
        };
        words += usize::from(!space && !in_word);
        in_word = !space;
        i += len;
    }
    (i, words)
}

/// Words starting in eight ASCII bytes holding no line end (little-endian: byte `k` is bits
/// `8k..8k + 8`), given whether a word runs into them; and whether one runs out of them.
fn word_starts(w: u64, in_word: bool) -> (usize, bool) {
    // ASCII whitespace but line ends: space, tab, vertical tab, form feed.
    let space = zero_bytes(w ^ splat(b' '))
        | zero_bytes(w ^ splat(b'\t'))
        | zero_bytes(w ^ splat(0x0B))
        | zero_bytes(w ^ splat(0x0C));
    count_word_starts(!space & HIGH_BITS, in_word)
}

/// Words starting in eight bytes whose bytes in words (not whitespace) have their high bit set
/// in `word` (and no other bit set), given whether a word runs into them; and whether one runs
/// out of them.
#[inline(always)]
fn count_word_starts(word: u64, in_word: bool) -> (usize, bool) {
    // Whether the byte before each one is in a word (the word running in, for the first).
    let word_before = (word << 8) | if in_word { 0x80 } else { 0 };
    // The flags are high bits only: shifted down to one per byte, a multiplication sums them
    // into the top byte (a `count_ones` is a dozen instructions without the POPCNT extension,
    // which the baseline x86-64 target lacks).
    let starts = ((word & !word_before) >> 7).wrapping_mul(0x0101_0101_0101_0101) >> 56;
    (starts as usize, word >> 63 == 1)
}

/// Maximal runs of consecutive indices in `0..n` satisfying `pred`.
fn runs(n: usize, pred: impl Fn(usize) -> bool) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for i in 0..=n {
        match (i < n && pred(i), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// A line cut off mid-sentence by an ellipsis ("... that signals a...", "conflict ..."), not a
/// quotation or sentence that ends in one deliberately (`..."`, `?...`).
fn is_cut_off(line: &str) -> bool {
    let Some(rest) = line.strip_suffix("...").or_else(|| line.strip_suffix('…')) else {
        return false;
    };
    rest.trim_end()
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || matches!(c, ',' | '%' | '-' | '–' | '—'))
}

/// Whether a line ends like a sentence (so it is no byline or heading).
fn ends_with_stop(line: &str) -> bool {
    line.ends_with(['.', '!', '?', '"', '”', '’'])
}

/// A heading compared up to case and spacing.
fn heading_key(heading: &str) -> String {
    let mut key = String::with_capacity(heading.len());
    for word in heading.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        if word.is_ascii() {
            // The same as below for ASCII, without decoding characters.
            key.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            key.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_split_on_every_line_ending() {
        let text = "a\r\n\r\n b \rc\n\n\nd";
        let lines = split_lines(text);
        let got: Vec<(usize, &str, bool)> = lines
            .iter()
            .map(|l| (l.number, &text[l.span.clone()], l.blank_before))
            .collect();
        assert_eq!(
            got,
            [
                (1, "a", false),
                (3, "b", true),
                (4, "c", false),
                (7, "d", true)
            ]
        );
    }

    #[test]
    fn cut_off_lines() {
        let cases = [
            ("a deal that signals a...", true),
            ("related to the Ukraine conflict ...", true),
            ("fronts in North…", true),
            ("\"We will see...\"", false),
            ("Is this the end?...", false),
            ("...", false),
            ("He said no.", false),
        ];
        for (line, expected) in cases {
            assert_eq!(is_cut_off(line), expected, "{line:?}");
        }
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        let cases = [
            "",
            " ",
            "one",
            "  two  words ",
            "tab\tand\u{0B}vertical\u{0C}feed\rreturn",
            "no\u{A0}break\u{2009}thin\u{3000}ideographic\u{85}next line",
            "\u{1C}\u{1F} control bytes are no whitespace",
            "“Quoted” – dashes — and café",
            "\u{200B}zero-width space is no whitespace",
        ];
        let expected = |text: &str, start: usize| {
            let end = text[start..]
                .find(['\n', '\r'])
                .map_or(text.len(), |k| start + k);
            (end, text[start..end].split_whitespace().count())
        };
        for line in cases {
            assert_eq!(scan_line(line, 0), expected(line, 0), "{line:?}");
            let two = format!("x {line}\ny z");
            assert_eq!(scan_line(&two, 2), expected(&two, 2), "{two:?}");
        }
        // Every arrangement of the bytes that matter in eight-byte blocks, and at their edges.
        let alphabet = [
            'a', ' ', '\t', '\u{0B}', '\u{0C}', '\n', '\r', '-', '\u{1F}', '!', '\u{7F}', 'é', '’',
            ' ', 'a', '~',
        ];
        let mut state = 0x1234_5678_9abc_def0_u64;
        for len in 0..40 {
            for _ in 0..200 {
                let text: String = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        alphabet[(state % 16) as usize]
                    })
                    .collect();
                for start in (0..text.len().min(3)).filter(|&k| text.is_char_boundary(k)) {
                    assert_eq!(scan_line(&text, start), expected(&text, start), "{text:?}");
                }
            }
        }
        // Every character, alone and between two letters.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let alone = c.to_string();
            let between = format!("a{c}b");
            assert_eq!(scan_line(&alone, 0), expected(&alone, 0), "{c:?}");
            assert_eq!(scan_line(&between, 0), expected(&between, 0), "{c:?}");
        }
    }

    #[test]
    fn heading_keys_ignore_case_and_spacing() {
        let cases = [
            ("Most  Read", "most read"),
            ("ÉTAT  d’Urgence", "état d’urgence"),
            (" The   UN\u{A0}Plan ", "the un plan"),
        ];
        for (heading, expected) in cases {
            assert_eq!(heading_key(heading), expected, "{heading:?}");
        }
    }

    #[test]
    fn runs_are_maximal() {
        let flags = [true, true, false, true, false, false, true];
        assert_eq!(runs(flags.len(), |i| flags[i]), [0..2, 3..4, 6..7]);
        assert!(runs(0, |_| true).is_empty());
    }
}
