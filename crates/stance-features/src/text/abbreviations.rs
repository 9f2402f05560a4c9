//! The word lists the sentence splitter consults when a full stop follows a word.
//!
//! A full stop after an abbreviation is the main source of false sentence breaks in news text.
//! Rather than one flat list, each abbreviation says *how* it interacts with a boundary, because
//! "Mr." never ends a sentence, "No." ends one unless a number follows ("No. 10"), and "U.S."
//! ends one only when a word that typically opens a sentence follows ("in the U.S. The talks").

/// How a word followed by a full stop affects a sentence boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Abbreviation {
    /// A title before a name ("Gen.", "Mr.") or a Latin abbreviation used inside a sentence
    /// ("e.g.", "vs."): never ends a sentence.
    Never,
    /// Ends a sentence unless a number follows: "No. 10", "Jan. 5", "Art. 5".
    BeforeNumber,
    /// Ends a sentence only when a word that commonly opens one follows: dotted acronyms
    /// ("U.S.", "U.N.", "a.m.", "D.C.") and single initials ("Donald J. Trump").
    Ambiguous,
}

/// Titles written before a name; matched with an upper-case first letter ("Gen.", "GEN.").
const TITLES: &[&str] = &[
    "adm", "amb", "brig", "capt", "cdr", "cmdr", "col", "cpl", "dr", "fr", "ft", "gen", "gov",
    "hon", "insp", "lieut", "lt", "maj", "messrs", "mme", "mlle", "mr", "mrs", "ms", "mt", "pres",
    "prof", "pte", "rep", "reps", "rev", "sen", "sens", "sgt", "sr", "st", "supt",
];

/// Latin and editorial abbreviations used inside a sentence; matched in lower case.
const INSIDE_SENTENCE: &[&str] = &["approx", "cf", "e.g", "esp", "i.e", "incl", "viz", "vs"];

/// Abbreviations normally followed by a number; matched in any case.
const BEFORE_NUMBER: &[&str] = &[
    "apr", "art", "aug", "ch", "dec", "feb", "fig", "jan", "jul", "jun", "mar", "no", "nos", "nov",
    "oct", "p", "para", "pp", "sec", "sep", "sept", "vol",
];

/// Words that commonly open a sentence in English news; after an [`Abbreviation::Ambiguous`]
/// abbreviation, one of these means the full stop also ended the sentence.
const SENTENCE_OPENERS: &[&str] = &[
    "A",
    "According",
    "After",
    "Although",
    "An",
    "And",
    "As",
    "At",
    "Before",
    "Both",
    "But",
    "For",
    "He",
    "Her",
    "Here",
    "His",
    "How",
    "However",
    "I",
    "If",
    "In",
    "It",
    "Its",
    "Many",
    "Meanwhile",
    "Moreover",
    "Most",
    "My",
    "No",
    "Now",
    "On",
    "Our",
    "Several",
    "She",
    "Since",
    "So",
    "Some",
    "Still",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "Though",
    "We",
    "What",
    "When",
    "Where",
    "While",
    "Who",
    "Why",
    "Yet",
    "You",
];

/// Classifies the word written before a full stop (without the stop, without opening quotes or
/// brackets). `None`: an ordinary word, after which a full stop ends a sentence when an
/// upper-case letter follows.
pub(crate) fn classify(word: &str) -> Option<Abbreviation> {
    if word.is_empty() || word.len() > 8 {
        return None;
    }
    let lower = AsciiLower::new(word)?;
    let lower = lower.as_str();
    if INSIDE_SENTENCE.contains(&lower) {
        return Some(Abbreviation::Never);
    }
    if is_dotted_acronym(word) {
        return Some(Abbreviation::Ambiguous);
    }
    let first = word.as_bytes()[0];
    if word.len() == 1 && first.is_ascii_uppercase() {
        return Some(Abbreviation::Ambiguous);
    }
    if first.is_ascii_uppercase() && TITLES.contains(&lower) {
        return Some(Abbreviation::Never);
    }
    if BEFORE_NUMBER.contains(&lower) {
        return Some(Abbreviation::BeforeNumber);
    }
    None
}

/// Whether `word` opens sentences often enough that it settles an ambiguous full stop.
pub(crate) fn is_sentence_opener(word: &str) -> bool {
    SENTENCE_OPENERS.contains(&word)
}

/// "U.S", "a.m", "D.C", "Ph.D": one- or two-letter groups joined by full stops (the final stop
/// is not part of `word`).
fn is_dotted_acronym(word: &str) -> bool {
    let mut groups = 0;
    for group in word.split('.') {
        if group.is_empty() || group.len() > 2 || !group.bytes().all(|b| b.is_ascii_alphabetic()) {
            return false;
        }
        groups += 1;
    }
    groups >= 2
}

/// An ASCII word lower-cased into a fixed buffer: abbreviations are short, so classifying one
/// never allocates.
struct AsciiLower {
    buf: [u8; 8],
    len: usize,
}

impl AsciiLower {
    /// `None` when `word` is longer than the buffer or not ASCII (then it is no abbreviation).
    fn new(word: &str) -> Option<Self> {
        if word.len() > 8 || !word.is_ascii() {
            return None;
        }
        let mut buf = [0u8; 8];
        for (slot, b) in buf.iter_mut().zip(word.bytes()) {
            *slot = b.to_ascii_lowercase();
        }
        Some(Self {
            buf,
            len: word.len(),
        })
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).expect("lower-casing ASCII keeps it ASCII")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_words_before_a_full_stop() {
        let cases: &[(&str, Option<Abbreviation>)] = &[
            ("Mr", Some(Abbreviation::Never)),
            ("Gen", Some(Abbreviation::Never)),
            ("GEN", Some(Abbreviation::Never)),
            ("gen", None),
            ("St", Some(Abbreviation::Never)),
            ("e.g", Some(Abbreviation::Never)),
            ("i.e", Some(Abbreviation::Never)),
            ("vs", Some(Abbreviation::Never)),
            ("No", Some(Abbreviation::BeforeNumber)),
            ("Jan", Some(Abbreviation::BeforeNumber)),
            ("Sept", Some(Abbreviation::BeforeNumber)),
            ("U.S", Some(Abbreviation::Ambiguous)),
            ("a.m", Some(Abbreviation::Ambiguous)),
            ("D.C", Some(Abbreviation::Ambiguous)),
            ("Ph.D", Some(Abbreviation::Ambiguous)),
            ("J", Some(Abbreviation::Ambiguous)),
            ("a", None),
            ("etc", None),
            ("$1.2bn", None),
            ("rt.com", None),
            ("Russia", None),
            ("Petersburg", None),
            ("", None),
            ("Ü", None),
        ];
        for &(word, expected) in cases {
            assert_eq!(classify(word), expected, "{word:?}");
        }
    }

    #[test]
    fn openers_are_case_sensitive() {
        assert!(is_sentence_opener("The"));
        assert!(!is_sentence_opener("the"));
        assert!(!is_sentence_opener("Supreme"));
    }
}
