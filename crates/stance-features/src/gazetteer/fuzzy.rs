//! A conservative match of multi-word person names garbled by machine translation ("Keira
//! Starmer", "Steve Witcoof", "Mark Ruthte", "Volodimir Zelensky").
//!
//! Two adjacent capitalized words, one space apart, match a two-word name (first and last name;
//! longer aliases such as "Sir Keir Starmer" are left out, since a title is no evidence) when one
//! of them is exactly (ignoring ASCII case) a word of the name and the other is the other word
//! of the name, misspelt: same first letter, at least four letters, and at most one edit
//! away (two for words of seven letters or more). A misspelt word that is itself a word of some
//! listed name is not a misspelling, and a pair that fits two different people is left alone.
//! Exact matches come first: a fuzzy name may only swallow exact mentions of its own person (the
//! "Starmer" of "Keira Starmer").

use rustc_hash::FxHashMap;

use super::compile::{Actor, Pattern, Rule};
use super::mention::ActorId;
use super::schema::ActorKind;
use super::words::WordFilter;

/// Words longer than this are never compared (names are short).
const MAX_WORD: usize = 32;

/// The words of every two-word person alias, indexed by word.
#[derive(Debug, Clone, Default)]
pub(super) struct FuzzyIndex {
    /// Per alias: its person and its lowercase words.
    names: Vec<(ActorId, Vec<Box<[u8]>>)>,
    /// Lowercase word → (alias, position of the word in it).
    words: FxHashMap<Box<[u8]>, Vec<(u32, u32)>>,
    /// The keys of those words, to rule out most words without hashing them again.
    filter: WordFilter,
}

impl Default for WordFilter {
    fn default() -> WordFilter {
        WordFilter::new(std::iter::empty())
    }
}

impl FuzzyIndex {
    pub(super) fn new(patterns: &[Pattern], actors: &[Actor]) -> FuzzyIndex {
        let mut index = FuzzyIndex::default();
        for p in patterns {
            let Rule::Alias(a) = p.rule else { continue };
            if actors[a.index()].kind != ActorKind::Person {
                continue;
            }
            let words: Vec<Box<[u8]>> = p
                .text
                .split(' ')
                .map(|w| w.to_ascii_lowercase().into_bytes().into_boxed_slice())
                .collect();
            let simple = words.iter().all(|w| {
                !w.is_empty()
                    && w.len() <= MAX_WORD
                    && std::str::from_utf8(w).is_ok_and(|w| w.chars().all(char::is_alphabetic))
            });
            if words.len() != 2 || !simple {
                continue;
            }
            let n = index.names.len() as u32;
            for (pos, w) in words.iter().enumerate() {
                index
                    .words
                    .entry(w.clone())
                    .or_default()
                    .push((n, pos as u32));
            }
            index.names.push((a, words));
        }
        index.filter = WordFilter::new(index.words.keys().map(|w| &w[..]));
        index
    }

    /// Whether any two-word person name is indexed.
    pub(super) fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Whether a word with key `key` may be a word of some two-word name.
    #[inline]
    pub(super) fn may_contain(&self, key: u64) -> bool {
        self.filter.may_contain(key)
    }

    /// The one person whose name the words `a b` (as written) garble, if any.
    pub(super) fn garbled(&self, a: &[u8], b: &[u8]) -> Option<ActorId> {
        let mut a_buf = [0u8; MAX_WORD];
        let mut b_buf = [0u8; MAX_WORD];
        let a = lower(a, &mut a_buf)?;
        let b = lower(b, &mut b_buf)?;
        self.pair(a, b)
    }

    /// The one person whose name the lowercase words `a b` garble, if any.
    fn pair(&self, a: &[u8], b: &[u8]) -> Option<ActorId> {
        let mut found: Option<ActorId> = None;
        let mut consider = |garbled: &[u8], name_word: &[u8], person: ActorId| -> bool {
            if close(garbled, name_word) && !self.words.contains_key(garbled) {
                if found.is_some_and(|f| f != person) {
                    return false;
                }
                found = Some(person);
            }
            true
        };
        for &(n, pos) in self.words.get(a).map_or(&[][..], Vec::as_slice) {
            let (person, words) = &self.names[n as usize];
            if let Some(next) = words.get(pos as usize + 1) {
                if !consider(b, next, *person) {
                    return None;
                }
            }
        }
        for &(n, pos) in self.words.get(b).map_or(&[][..], Vec::as_slice) {
            let (person, words) = &self.names[n as usize];
            if pos > 0 && !consider(a, &words[pos as usize - 1], *person) {
                return None;
            }
        }
        found
    }
}

/// `word` lowercased (ASCII) into `buf`, or `None` when too long.
fn lower<'b>(word: &[u8], buf: &'b mut [u8; MAX_WORD]) -> Option<&'b [u8]> {
    let out = buf.get_mut(..word.len())?;
    for (o, &c) in out.iter_mut().zip(word) {
        *o = c.to_ascii_lowercase();
    }
    Some(out)
}

/// Whether `garbled` is a plausible misspelling of `word`: not equal, same first letter, both at
/// least four bytes, within one edit (two when both have seven or more bytes).
fn close(garbled: &[u8], word: &[u8]) -> bool {
    let shorter = garbled.len().min(word.len());
    if garbled == word || shorter < 4 || garbled[0] != word[0] {
        return false;
    }
    let limit = if shorter >= 7 { 2 } else { 1 };
    garbled.len().abs_diff(word.len()) <= limit && edit_distance(garbled, word) <= limit
}

/// Levenshtein distance of two short byte strings (each at most [`MAX_WORD`] bytes).
fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let mut row = [0usize; MAX_WORD + 1];
    for (j, r) in row.iter_mut().enumerate().take(b.len() + 1) {
        *r = j;
    }
    for (i, &ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = (diag + usize::from(ca != cb)).min(up + 1).min(row[j] + 1);
            diag = up;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances() {
        let cases = [
            ("rutte", "ruthte", 1),
            ("rutte", "rute", 1),
            ("witkoff", "witcoof", 2),
            ("volodymyr", "volodimir", 2),
            ("keir", "keira", 1),
            ("healey", "hill", 4),
            ("", "abc", 3),
        ];
        for (a, b, d) in cases {
            assert_eq!(edit_distance(a.as_bytes(), b.as_bytes()), d, "{a} {b}");
        }
    }

    #[test]
    fn closeness_is_conservative() {
        let cases = [
            ("ruthte", "rutte", true),
            ("witcoof", "witkoff", true),
            ("volodimir", "volodymyr", true),
            ("keira", "keir", true),
            ("hill", "healey", false),
            ("lamb", "lammy", false),
            ("tusk", "trump", false),
            ("kutte", "rutte", false),
            ("rutte", "rutte", false),
            ("xi", "xe", false),
        ];
        for (a, b, expected) in cases {
            assert_eq!(close(a.as_bytes(), b.as_bytes()), expected, "{a} {b}");
        }
    }
}
