//! The errors of stance-train.

/// An error while fitting or evaluating a model.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A classifier parameter out of its range.
    #[error("invalid parameter {name} = {value}: {expected}")]
    InvalidParameter {
        /// The parameter.
        name: &'static str,
        /// Its value.
        value: String,
        /// What it must be.
        expected: &'static str,
    },
    /// Training data a classifier cannot use.
    #[error("cannot train: {reason}")]
    Data {
        /// What is wrong.
        reason: String,
    },
    /// The optimizer failed.
    #[error("the optimizer failed: {reason}")]
    Optimizer {
        /// What argmin said.
        reason: String,
    },
    /// An error of linfa.
    #[error(transparent)]
    Linfa(#[from] linfa::Error),
    /// An error of the model or template.
    #[error(transparent)]
    Infer(#[from] stance_infer::Error),
}
