//! Sentence segmentation: byte spans of the sentences of a text, in one pass over its bytes.
//!
//! The splitter looks only at the few bytes that can end a sentence (`.`, `!`, `?`, a line
//! break, and the lead bytes of `…`, `。`, `！`, `？`); every other byte is skipped by a table
//! look-up, so ASCII text never decodes a character and nothing is allocated but the output.
//! It needs no model: news prose is regular enough that the word before a full stop and the
//! character after it settle nearly every case, and the rest (a lower-case sentence start, an
//! abbreviation at the very end of a sentence before an uncommon word) is cheaper to accept than
//! to learn. The rules are listed on [`SentenceSplitter`].

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::abbreviations::{Abbreviation, classify, is_sentence_opener};
use crate::swar::{HIGH_BITS, first_byte_below, first_zero_byte, splat, word_at};

/// What a line break means.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LineBreaks {
    /// A line break ends a sentence unless the next line starts with a lower-case letter:
    /// scraped news, where each headline, dateline and paragraph is a line.
    #[default]
    EndSentence,
    /// A single line break is a space; a blank line ends a sentence: hard-wrapped text.
    Wrapped,
}

/// Settings of a [`SentenceSplitter`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SentenceParams {
    /// What a line break means.
    pub line_breaks: LineBreaks,
}

/// Splits text into sentences.
///
/// At a terminal it reads the run of terminals and closing quotes or brackets (`."`, `?’`,
/// `.)`), then the whitespace after it, then the first character after that, and decides:
///
/// - without whitespace after the run there is no boundary (`3.5%`, `$1.2bn`, `U.S.,`);
/// - a lower-case letter or more punctuation next never starts a sentence (`"Why?" he asked`,
///   `e.g. the`, a spaced ellipsis `. . .`);
/// - `?`, `!` and ellipses break before anything else; `。`, `！`, `？` break whatever follows;
/// - a full stop consults the word before it: titles never break ("Gen. Kellogg", "St.
///   Petersburg"), "No."/"Jan." break unless a number follows ("No. 10"), dotted acronyms and
///   initials break only before a common sentence opener ("in the U.S. The talks" breaks, "the
///   U.S. Supreme Court" and "Donald J. Trump" do not); other words break.
///
/// Line breaks: in the sample articles every paragraph, headline and dateline is one line, and
/// headlines carry no final punctuation, so by default ([`LineBreaks::EndSentence`]) a line
/// break ends a sentence unless the next line starts in lower case (a wrapped continuation).
/// For hard-wrapped sources, [`LineBreaks::Wrapped`] treats a single line break as a space and
/// only a blank line as a boundary.
///
/// Spans exclude surrounding whitespace and are never empty; between them lies only whitespace.
///
/// ```
/// use stance_features::text::SentenceSplitter;
///
/// let text = "Gen. Kellogg met Mr. Zelensky at 9 a.m. on Monday. \"No.\" Then he left!";
/// let spans = SentenceSplitter::default().split(text);
/// let sentences: Vec<&str> = spans.iter().map(|s| &text[s.clone()]).collect();
/// assert_eq!(
///     sentences,
///     ["Gen. Kellogg met Mr. Zelensky at 9 a.m. on Monday.", "\"No.\"", "Then he left!"]
/// );
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SentenceSplitter {
    params: SentenceParams,
}

/// The sentences of `text` as byte spans, with the default settings.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    SentenceSplitter::default().split(text)
}

/// Bytes the scan stops at: possible terminals, line breaks and the lead bytes of `…` (E2),
/// `。` (E3) and `！`/`？` (EF).
const INTERESTING: [bool; 256] = {
    let mut table = [false; 256];
    table[b'.' as usize] = true;
    table[b'!' as usize] = true;
    table[b'?' as usize] = true;
    table[b'\n' as usize] = true;
    table[b'\r' as usize] = true;
    table[0xE2] = true;
    table[0xE3] = true;
    table[0xEF] = true;
    table
};

/// The first byte at or after `i` that may be [`INTERESTING`] (or the end): eight bytes at a
/// time, stopping at `!`, `.`, `?`, control characters (line breaks among them) and non-ASCII
/// bytes; the caller's table look-up settles those. (Stopping only at lead bytes of 0xE0 and
/// up, so that a curly quote stops the scan once, cost more instructions than it saved.)
#[inline]
fn next_candidate(bytes: &[u8], mut i: usize) -> usize {
    while let Some(w) = word_at(bytes, i) {
        let flags = first_byte_below(w, 0x0e)
            | first_zero_byte(w ^ splat(b'!'))
            | first_zero_byte(w ^ splat(b'.'))
            | first_zero_byte(w ^ splat(b'?'))
            | (w & HIGH_BITS);
        if flags != 0 {
            return i + (flags.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i
}

/// How a run of terminal punctuation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Terminal {
    /// A single full stop, whose meaning depends on the word before it.
    Period,
    /// `?`, `!` or an ellipsis.
    Strong,
    /// `。`, `！`, `？`: scripts without spaces, a boundary whatever follows.
    Ideographic,
}

impl SentenceSplitter {
    /// A splitter with these settings.
    pub fn new(params: SentenceParams) -> Self {
        Self { params }
    }

    /// The settings.
    pub fn params(&self) -> &SentenceParams {
        &self.params
    }

    /// The sentences of `text` as byte spans, in order.
    pub fn split(&self, text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        self.split_into(text, &mut out);
        out
    }

    /// Like [`split`](Self::split), reusing `out` (cleared first): no allocation once `out` is
    /// large enough.
    pub fn split_into(&self, text: &str, out: &mut Vec<Range<usize>>) {
        out.clear();
        let bytes = text.as_bytes();
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            if !INTERESTING[bytes[i] as usize] {
                i = next_candidate(bytes, i + 1);
                continue;
            }
            match bytes[i] {
                b'\n' | b'\r' => {
                    let after = skip_whitespace(text, i);
                    if after < bytes.len() && self.line_break_ends(text, i, after) {
                        push_trimmed(text, start..i, out);
                        start = after;
                    }
                    i = after;
                }
                _ => match terminal_at(text, i) {
                    Some(_) => {
                        let (run_end, breaks) = self.terminal_run(text, i);
                        if breaks {
                            push_trimmed(text, start..run_end, out);
                            start = run_end;
                        }
                        i = run_end;
                    }
                    None => i += 1,
                },
            }
        }
        push_trimmed(text, start..bytes.len(), out);
    }

    /// Whether the whitespace `text[from..to]`, which holds a line break and is followed by a
    /// non-space character, ends a sentence.
    fn line_break_ends(&self, text: &str, from: usize, to: usize) -> bool {
        let breaks = count_line_breaks(&text.as_bytes()[from..to]);
        if breaks >= 2 {
            return true;
        }
        match self.params.line_breaks {
            LineBreaks::EndSentence => !starts_lowercase(&text[to..]),
            LineBreaks::Wrapped => false,
        }
    }

    /// Reads the run of terminals and closers starting at the terminal at `at`; returns where
    /// the run ends and whether a sentence ends there.
    fn terminal_run(&self, text: &str, at: usize) -> (usize, bool) {
        let bytes = text.as_bytes();
        let mut end = at;
        let mut kind = Terminal::Period;
        let mut stops = 0;
        loop {
            if let Some((terminal, len)) = terminal_at(text, end) {
                match terminal {
                    '.' => stops += 1,
                    '。' | '！' | '？' => kind = Terminal::Ideographic,
                    _ if kind == Terminal::Period => kind = Terminal::Strong,
                    _ => {}
                }
                end += len;
            } else if let Some(len) = closer_at(text, end) {
                end += len;
            } else {
                break;
            }
        }
        if kind == Terminal::Period && stops > 1 {
            kind = Terminal::Strong;
        }
        if kind == Terminal::Ideographic {
            return (end, true);
        }
        let next = skip_whitespace(text, end);
        if next == end {
            // `3.5`, `U.S.,`, `Yahoo!News`: no space, no boundary (end of text included).
            return (end, false);
        }
        if next == bytes.len() {
            return (end, false);
        }
        let breaks = count_line_breaks(&bytes[end..next]);
        if breaks >= 2 || (breaks == 1 && self.params.line_breaks == LineBreaks::EndSentence) {
            // The line-break rule decides.
            return (end, false);
        }
        let rest = &text[next..];
        if starts_lowercase(rest) || rest.starts_with(['.', ',', ';', ':', '…']) {
            return (end, false);
        }
        if kind == Terminal::Strong {
            return (end, true);
        }
        let breaks = match classify(word_before(text, at)) {
            None => true,
            Some(Abbreviation::Never) => false,
            Some(Abbreviation::BeforeNumber) => !rest.as_bytes()[0].is_ascii_digit(),
            Some(Abbreviation::Ambiguous) => is_sentence_opener(leading_word(rest)),
        };
        (end, breaks)
    }
}

/// The sentence terminal starting at byte `at` and its length in bytes.
fn terminal_at(text: &str, at: usize) -> Option<(char, usize)> {
    match text.as_bytes().get(at)? {
        b'.' => Some(('.', 1)),
        b'!' => Some(('!', 1)),
        b'?' => Some(('?', 1)),
        0xE2 | 0xE3 | 0xEF => {
            let c = text[at..].chars().next()?;
            matches!(c, '…' | '。' | '！' | '？').then_some((c, c.len_utf8()))
        }
        _ => None,
    }
}

/// The length of the closing quote or bracket starting at byte `at`, if there is one.
fn closer_at(text: &str, at: usize) -> Option<usize> {
    match text.as_bytes().get(at)? {
        b'"' | b'\'' | b')' | b']' => Some(1),
        b if *b < 0x80 => None,
        _ => {
            let c = text[at..].chars().next()?;
            matches!(c, '”' | '’' | '»' | '›' | '」' | '』' | '）').then_some(c.len_utf8())
        }
    }
}

/// The first byte at or after `from` that is not whitespace (or the text's length).
fn skip_whitespace(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if !b.is_ascii_whitespace() && b != 0x0B {
                return i;
            }
            i += 1;
        } else {
            let c = text[i..].chars().next().expect("i is a char boundary");
            if !c.is_whitespace() {
                return i;
            }
            i += c.len_utf8();
        }
    }
    i
}

/// Line breaks in a run of whitespace: `\n`, `\r\n` and a lone `\r` each count once.
fn count_line_breaks(whitespace: &[u8]) -> usize {
    let mut n = 0;
    for (k, &b) in whitespace.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && whitespace.get(k + 1) != Some(&b'\n')) {
            n += 1;
        }
    }
    n
}

/// Whether `s` starts with a lower-case letter.
fn starts_lowercase(s: &str) -> bool {
    match s.as_bytes().first() {
        Some(b) if b.is_ascii() => b.is_ascii_lowercase(),
        Some(_) => s.chars().next().is_some_and(char::is_lowercase),
        None => false,
    }
}

/// The ASCII letters that `s` starts with.
fn leading_word(s: &str) -> &str {
    let len = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    &s[..len]
}

/// The word that ends just before byte `at`, without the opening quotes or brackets before it;
/// empty when it is longer than any abbreviation.
fn word_before(text: &str, at: usize) -> &str {
    const LONGEST: usize = 12;
    let bytes = text.as_bytes();
    let mut start = at;
    while start > 0 {
        let b = bytes[start - 1];
        if b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'(' | b'[') {
            break;
        }
        if at - start >= LONGEST {
            return "";
        }
        start -= 1;
    }
    if !text.is_char_boundary(start) {
        return "";
    }
    text[start..at].trim_start_matches(|c: char| !c.is_alphanumeric())
}

/// Pushes `range` without the whitespace at either end, unless nothing is left.
fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[range.clone()];
    let left = s.trim_start();
    let start = range.start + (s.len() - left.len());
    let end = start + left.trim_end().len();
    if start < end {
        out.push(start..end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_skip_never_passes_an_interesting_byte() {
        let pieces = [
            "a",
            " ",
            ".",
            "!",
            "?",
            "\n",
            "\r\n",
            "\t",
            "’",
            "…",
            "。",
            "！",
            "é",
            "ж",
            "🕊",
            "abcdefghij",
        ];
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(x % 40) {
                crate::testing::xorshift(&mut x);
                text.push_str(pieces[(x % pieces.len() as u64) as usize]);
            }
            let bytes = text.as_bytes();
            for i in 0..=bytes.len() {
                let next = next_candidate(bytes, i);
                let first = (i..bytes.len())
                    .find(|&k| INTERESTING[bytes[k] as usize])
                    .unwrap_or(bytes.len());
                assert!(
                    i <= next && next <= first,
                    "{text:?} from {i}: {next} > {first}"
                );
            }
        }
    }

    #[test]
    fn line_breaks_are_counted_once_per_line() {
        let cases: &[(&[u8], usize)] = &[
            (b" \t", 0),
            (b"\n", 1),
            (b"\r\n", 1),
            (b"\r", 1),
            (b"\n \n", 2),
            (b"\r\n\r\n", 2),
        ];
        for &(input, expected) in cases {
            assert_eq!(count_line_breaks(input), expected, "{input:?}");
        }
    }

    #[test]
    fn word_before_strips_opening_punctuation() {
        let cases = [
            ("he said \"No.", "No"),
            ("(U.S.", "U.S"),
            ("“Mr.", "Mr"),
            ("a verylongwordindeed.", ""),
            ("x.", "x"),
        ];
        for (input, expected) in cases {
            assert_eq!(word_before(input, input.len() - 1), expected, "{input:?}");
        }
    }
}
