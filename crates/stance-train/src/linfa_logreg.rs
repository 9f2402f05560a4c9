//! `linfa-logreg`: linfa-logistic's multinomial logistic regression, on the dense matrix of the
//! columns kept by χ² or document-frequency selection.
//!
//! linfa's classifiers take dense arrays only, so this classifier keeps `k` columns, refuses
//! up front when `rows × k` values would exceed a memory budget, and maps the fitted weights
//! back to the full feature space (zero for the columns it dropped). linfa-logistic minimizes
//! −Σ log p + (α/2)‖W‖², so α = 1/C gives scikit-learn's regularization.

use linfa::DatasetBase;
use linfa::traits::Fit;
use linfa_logistic::MultiLogisticRegression;
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};
use sprs::CsMat;

use crate::Error;
use crate::select::{Selection, select_columns};

/// Parameters of `linfa-logreg`.
///
/// | parameter | default | range |
/// |---|---|---|
/// | `k` | 20000 | ≥ 1 columns kept |
/// | `selection` | `chi2` | `chi2`, `document_frequency` |
/// | `c` | 1.0 | > 0 |
/// | `max_iter` | 100 | ≥ 1 |
/// | `memory_budget_mb` | 2048 | ≥ 1: largest dense matrix allowed |
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinfaLogRegParams {
    /// Columns kept.
    pub k: usize,
    /// How columns are ranked.
    pub selection: Selection,
    /// Inverse regularization strength.
    pub c: f64,
    /// Iteration limit.
    pub max_iter: u64,
    /// Largest dense matrix allowed, in MiB.
    pub memory_budget_mb: usize,
}

impl Default for LinfaLogRegParams {
    fn default() -> Self {
        LinfaLogRegParams {
            k: 20_000,
            selection: Selection::Chi2,
            c: 1.0,
            max_iter: 100,
            memory_budget_mb: 2048,
        }
    }
}

impl LinfaLogRegParams {
    /// Fits on `x` (rows × features) with class indices `y` over `n_classes`; returns
    /// feature-major weights over all of `x`'s columns and the intercepts.
    pub fn fit(
        &self,
        x: &CsMat<f32>,
        y: &[usize],
        n_classes: usize,
    ) -> Result<(Vec<f32>, Vec<f32>), Error> {
        if self.k == 0 || self.max_iter == 0 || !(self.c.is_finite() && self.c > 0.0) {
            return Err(Error::InvalidParameter {
                name: "linfa-logreg",
                value: format!("k={} max_iter={} c={}", self.k, self.max_iter, self.c),
                expected: "k ≥ 1, max_iter ≥ 1 and c > 0",
            });
        }
        let columns = select_columns(x, y, n_classes, self.selection, self.k);
        let bytes = x.rows() as u128 * columns.len() as u128 * 4;
        let budget = self.memory_budget_mb as u128 * 1024 * 1024;
        if bytes > budget {
            return Err(Error::Data {
                reason: format!(
                    "the dense matrix for linfa-logreg ({} rows × {} columns) would take {} MiB, over the budget of {} MiB: lower k, raise memory_budget_mb, or use the sparse `logreg`",
                    x.rows(),
                    columns.len(),
                    bytes / (1024 * 1024),
                    self.memory_budget_mb
                ),
            });
        }
        let mut position = vec![usize::MAX; x.cols()];
        for (p, &c) in columns.iter().enumerate() {
            position[c] = p;
        }
        let mut dense = Array2::<f32>::zeros((x.rows(), columns.len()));
        for (i, row) in x.outer_iterator().enumerate() {
            for (j, &v) in row.iter() {
                if position[j] != usize::MAX {
                    dense[[i, position[j]]] = v;
                }
            }
        }
        let data = DatasetBase::new(dense, Array1::from(y.to_vec()));
        let fitted = MultiLogisticRegression::<f32>::default()
            .alpha(1.0 / self.c as f32)
            .max_iterations(self.max_iter)
            .fit(&data)
            .map_err(|e| Error::Optimizer {
                reason: format!("linfa-logistic: {e}"),
            })?;
        // linfa's columns are the classes present, sorted; map them to our class indices.
        let classes = fitted.classes();
        let params = fitted.params();
        let mut coef = vec![0.0f32; x.cols() * n_classes];
        for (p, &column) in columns.iter().enumerate() {
            for (l, &class) in classes.iter().enumerate() {
                coef[column * n_classes + class] = params[[p, l]];
            }
        }
        // A class absent from the training data can never be predicted.
        let mut intercept = vec![-1e4f32; n_classes];
        for (l, &class) in classes.iter().enumerate() {
            intercept[class] = fitted.intercept()[l];
        }
        Ok((coef, intercept))
    }
}
