//! Text → features for the stance toolkit: the first stage of the pipeline, before corpora,
//! models and scoring.
//!
//! [`analyzer`] turns a document into tokens and n-grams exactly as scikit-learn's
//! `CountVectorizer.build_analyzer()` does (Python's `str.lower()`, `strip_accents`, the
//! `(?u)\b\w\w+\b` token rule with Python's own `\w`, stop words, `char` and `char_wb` n-grams),
//! adds Unicode normalization and Snowball stemming, and keeps every token's span in the original
//! text. [`vectorize`] turns documents into `sprs` CSR matrices with scikit-learn's
//! `CountVectorizer`, `TfidfVectorizer` and `HashingVectorizer` semantics, in parallel and with
//! output that does not depend on the number of threads. [`text`] comes first for scraped news:
//! it cleans page boilerplate off an article and splits it into sentences, keeping offsets into
//! the original. [`gazetteer`] finds the actors and proposals a text mentions (one Aho-Corasick
//! automaton compiled from a TOML file) and pairs them by sentence.
//!
//! ```
//! use stance_features::vectorize::TfidfParams;
//!
//! let docs = ["Moscow rejected the truce.", "Kyiv welcomed the truce."];
//! let (fitted, x) = TfidfParams::default().fit_transform::<f64, _>(&docs)?;
//! assert_eq!(x.shape(), (2, fitted.vocabulary().len()));
//! let truce = fitted.vocabulary().get("truce").unwrap();
//! assert!(x.get(0, truce).is_some());
//! # Ok::<(), stance_features::Error>(())
//! ```

pub mod analyzer;
mod error;
pub mod gazetteer;
mod swar;
pub mod text;
pub mod vectorize;

pub use error::Error;

/// Helpers shared by the unit tests.
#[cfg(test)]
pub(crate) mod testing {
    /// The next value of a xorshift64 generator (Marsaglia's 13, 7, 17): cheap, reproducible
    /// pseudo-random inputs for tests that compare a fast path with its definition.
    pub(crate) fn xorshift(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }
}
