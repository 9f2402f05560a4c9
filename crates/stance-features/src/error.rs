//! The error type of this crate.

use thiserror::Error;

/// What can go wrong configuring or fitting an analyzer or a vectorizer. Each variant carries the
/// values a person needs to fix the configuration.
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// A custom token pattern that does not compile, or has more than one capturing group.
    #[error("invalid token pattern {pattern:?}: {reason}")]
    InvalidTokenPattern {
        /// The pattern as given.
        pattern: String,
        /// Why it was refused.
        reason: String,
    },
    /// An n-gram range with `min_n` = 0 or `min_n` > `max_n`.
    #[error("invalid ngram_range ({min_n}, {max_n}): need 1 <= min_n <= max_n")]
    InvalidNgramRange {
        /// The smallest n given.
        min_n: usize,
        /// The largest n given.
        max_n: usize,
    },
    /// A `min_df` or `max_df` fraction outside [0, 1].
    #[error("invalid {name} = {value}: a fraction must lie in [0.0, 1.0]")]
    InvalidDocumentFrequency {
        /// `min_df` or `max_df`.
        name: &'static str,
        /// The value given.
        value: f64,
    },
    /// `max_df` corresponds to fewer documents than `min_df`.
    #[error(
        "max_df corresponds to {max_docs} documents, fewer than min_df's {min_docs} \
         (with {n_docs} documents)"
    )]
    DocumentFrequencyRange {
        /// Documents `max_df` allows.
        max_docs: f64,
        /// Documents `min_df` requires.
        min_docs: f64,
        /// Documents in the corpus.
        n_docs: usize,
    },
    /// `max_features` = 0, or `n_features` outside [1, 2^31 - 1].
    #[error("invalid {name} = {value}: {reason}")]
    InvalidFeatureCount {
        /// `max_features` or `n_features`.
        name: &'static str,
        /// The value given.
        value: usize,
        /// The allowed range.
        reason: &'static str,
    },
    /// A fixed vocabulary that is empty or repeats a term.
    #[error("invalid vocabulary: {reason}")]
    InvalidVocabulary {
        /// What is wrong with it.
        reason: String,
    },
    /// The IDF vector does not match the vocabulary.
    #[error("idf has {idf} values for a vocabulary of {vocabulary} terms")]
    IdfLength {
        /// Values in the IDF vector.
        idf: usize,
        /// Terms in the vocabulary.
        vocabulary: usize,
    },
    /// Fitting found no term at all (every document empty or only stop words).
    #[error("empty vocabulary: the documents contain no terms (only stop words, or empty?)")]
    EmptyVocabulary,
    /// Every term was pruned by `min_df` / `max_df`.
    #[error("after pruning, no terms remain; try a lower min_df or a higher max_df")]
    NoTermsAfterPruning,
    /// A value written as text (a command-line option, say) that does not parse.
    #[error("invalid {what} {value:?}: expected {expected}")]
    InvalidValue {
        /// What was being parsed.
        what: &'static str,
        /// The text given.
        value: String,
        /// What would have been accepted.
        expected: String,
    },
    /// Tokens were asked of a `char` or `char_wb` analyzer.
    #[error("only word analyzers produce tokens")]
    NotAWordAnalyzer,
    /// A gazetteer file with problems (see `gazetteer::check`); the first is shown.
    #[error("{path}: {}{}", first_problem(problems), more_problems(problems))]
    InvalidGazetteer {
        /// The file.
        path: String,
        /// Every problem, in file order.
        problems: Vec<crate::gazetteer::Problem>,
    },
    /// Sentence spans given for pairing that are out of order, overlap or are reversed.
    #[error("invalid sentence spans at sentence {index}: {reason}")]
    InvalidSentences {
        /// The sentence at fault.
        index: usize,
        /// What is wrong.
        reason: String,
    },
}

fn first_problem(problems: &[crate::gazetteer::Problem]) -> String {
    problems
        .first()
        .map_or_else(|| "invalid gazetteer".to_string(), ToString::to_string)
}

fn more_problems(problems: &[crate::gazetteer::Problem]) -> String {
    match problems.len() {
        0 | 1 => String::new(),
        n => format!(" (and {} more problems)", n - 1),
    }
}
