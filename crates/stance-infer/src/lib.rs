//! Scoring for the stance toolkit: the model artefact and, on top of it, sparse linear
//! prediction, explanations and article-level aggregation. It is the last library stage before
//! the CLI and deliberately has no training code and no linfa: a model is read from one checked
//! file ([`artefact`]) and scored with plain sparse dot products.
//!
//! ```
//! use stance_infer::artefact::{Artefact, ArtefactWriter};
//!
//! let mut writer = ArtefactWriter::new();
//! writer.strings("labels", ["support", "oppose", "neutral"])?;
//! writer.f32s("intercepts", &[0.1, -0.2, 0.1])?;
//! let model = Artefact::from_bytes(writer.to_bytes(), "example")?;
//! assert_eq!(model.strings("labels")?, ["support", "oppose", "neutral"]);
//! # Ok::<(), stance_infer::Error>(())
//! ```

pub mod artefact;
mod error;
pub mod linear;
mod model;
pub mod score;
pub mod summary;
pub mod template;

pub use error::Error;
pub use model::{Manifest, Model, PredictScratch, Prediction};

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
