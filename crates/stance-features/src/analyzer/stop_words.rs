//! Stop words: removed after tokenizing and before stemming and n-grams, as in scikit-learn.
//!
//! `english` is scikit-learn's `ENGLISH_STOP_WORDS` (318 words), so `stop_words='english'`
//! gives scikit-learn's vocabulary. The other languages' lists, and where they come from, are in
//! `stop_words/SOURCES.md`.

use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

use super::language::Language;

/// Which words an analyzer drops.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StopWords {
    /// Keep every token.
    #[default]
    None,
    /// A built-in list.
    Builtin {
        /// The list's language.
        language: Language,
    },
    /// An explicit list, compared with the preprocessed tokens.
    List {
        /// The words.
        words: Vec<String>,
    },
}

/// The built-in stop list of `language`: one word per line, sorted.
pub fn builtin_list(language: Language) -> &'static str {
    match language {
        Language::Arabic => include_str!("stop_words/arabic.txt"),
        Language::Danish => include_str!("stop_words/danish.txt"),
        Language::Dutch => include_str!("stop_words/dutch.txt"),
        Language::English => include_str!("stop_words/english.txt"),
        Language::Finnish => include_str!("stop_words/finnish.txt"),
        Language::French => include_str!("stop_words/french.txt"),
        Language::German => include_str!("stop_words/german.txt"),
        Language::Greek => include_str!("stop_words/greek.txt"),
        Language::Hungarian => include_str!("stop_words/hungarian.txt"),
        Language::Italian => include_str!("stop_words/italian.txt"),
        Language::Norwegian => include_str!("stop_words/norwegian.txt"),
        Language::Portuguese => include_str!("stop_words/portuguese.txt"),
        Language::Romanian => include_str!("stop_words/romanian.txt"),
        Language::Russian => include_str!("stop_words/russian.txt"),
        Language::Spanish => include_str!("stop_words/spanish.txt"),
        Language::Swedish => include_str!("stop_words/swedish.txt"),
        Language::Tamil => include_str!("stop_words/tamil.txt"),
        Language::Turkish => include_str!("stop_words/turkish.txt"),
    }
}

impl StopWords {
    /// The set to filter with, or `None` when nothing is filtered.
    pub(crate) fn compile(&self) -> Option<FxHashSet<Box<str>>> {
        match self {
            StopWords::None => None,
            StopWords::Builtin { language } => Some(
                builtin_list(*language)
                    .lines()
                    .filter(|w| !w.is_empty())
                    .map(Box::from)
                    .collect(),
            ),
            StopWords::List { words } => {
                Some(words.iter().map(|w| Box::from(w.as_str())).collect())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_list_is_sorted_lowercase_and_nonempty() {
        for language in Language::ALL {
            let list = builtin_list(language);
            let words: Vec<&str> = list.lines().collect();
            assert!(words.len() >= 20, "{language}: {} words", words.len());
            assert!(
                words.windows(2).all(|w| w[0] < w[1]),
                "{language}: not sorted"
            );
            for w in &words {
                assert!(
                    !w.is_empty() && !w.contains(char::is_whitespace),
                    "{language}: {w:?}"
                );
                assert_eq!(w.to_lowercase(), *w, "{language}: {w:?}");
            }
        }
    }

    #[test]
    fn english_is_scikit_learns_list() {
        let ours = builtin_list(Language::English);
        let theirs = include_str!("../../tests/fixtures/sklearn/english_stop_words.txt");
        assert_eq!(ours.trim_end(), theirs.trim_end());
        assert_eq!(ours.lines().count(), 318);
    }
}
