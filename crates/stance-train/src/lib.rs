//! Training for the stance toolkit: the classifiers that turn feature rows into the linear
//! weights `stance-infer` scores with, and the evaluation around them. linfa is the framework:
//! the sparse classifiers here implement its `Fit` and `PredictInplace` traits over
//! [`dataset::SparseRecords`], a CSR matrix wrapped as linfa records, because linfa's own
//! classifiers take dense arrays only.
//!
//! ```
//! use linfa::traits::{Fit, Predict};
//! use linfa::ParamGuard;
//! use stance_train::dataset::sparse_dataset;
//! use stance_train::logreg::LogisticRegressionParams;
//!
//! // Two features; class 1 when the first is present.
//! let x = sprs::CsMat::new((4, 2), vec![0, 1, 2, 3, 4], vec![0, 1, 0, 1], vec![1.0f32; 4]);
//! let data = sparse_dataset(x, vec![1, 0, 1, 0])?;
//! let model = LogisticRegressionParams::default().check()?.fit(&data)?;
//! let predicted: ndarray::Array1<usize> = model.predict(&data);
//! assert_eq!(predicted.to_vec(), [1, 0, 1, 0]);
//! # Ok::<(), stance_train::Error>(())
//! ```

pub mod config;
pub mod dataset;
mod error;
pub mod folds;
pub mod linfa_logreg;
pub mod logreg;
pub mod metrics;
pub mod nb;
pub mod nbsvm;
pub mod select;
pub mod train;

pub use error::Error;
