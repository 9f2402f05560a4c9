//! `nbsvm`: logistic regression on naive-Bayes-scaled features (Wang & Manning 2012, "Baselines
//! and Bigrams", the NB-LR variant).
//!
//! For each class c (one against the rest), the log-count ratio
//! r_c = log((α + p_c) / ‖α + p_c‖₁) − log((α + q_c) / ‖α + q_c‖₁), with p_c and q_c the feature
//! sums over the examples in and out of class c, scales every feature; a binary logistic
//! regression is fitted on x ∘ r_c. The score w_c · (x ∘ r_c) + b_c is linear in x, so the model
//! is exported with weights w_c ∘ r_c. Wang & Manning binarize x; with our templates that is a
//! block with `binary: true, use_idf: false, norm: "none"`; any non-negative features work.
//! Two classes need one model (class 1 against class 0); more use one per class, with
//! normalized one-vs-rest probabilities.

use linfa::ParamGuard;
use linfa::traits::Fit;
use serde::{Deserialize, Serialize};
use sprs::CsMat;
use stance_infer::linear::Link;

use crate::Error;
use crate::dataset::sparse_dataset;
use crate::logreg::{LogisticRegressionParams, LogisticRegressionValidParams};

/// Parameters of `nbsvm`.
///
/// | parameter | default | range |
/// |---|---|---|
/// | `alpha` | 1.0 | > 0: smoothing of the count ratio |
/// | `logreg` | defaults of `logreg` | the logistic regression on the scaled features |
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NbsvmParams {
    /// Smoothing of the count ratio.
    pub alpha: f64,
    /// The logistic regression fitted on the scaled features.
    pub logreg: LogisticRegressionValidParams,
}

impl Default for NbsvmParams {
    fn default() -> Self {
        NbsvmParams {
            alpha: 1.0,
            logreg: LogisticRegressionValidParams::default(),
        }
    }
}

/// The fitted weights: feature-major coefficients, intercepts and the link.
pub type LinearParts = (Vec<f32>, Vec<f32>, Link);

impl NbsvmParams {
    /// Fits on `x` (non-negative) with class indices `y` over `n_classes`.
    pub fn fit(&self, x: &CsMat<f32>, y: &[usize], n_classes: usize) -> Result<LinearParts, Error> {
        if !(self.alpha.is_finite() && self.alpha > 0.0) {
            return Err(Error::InvalidParameter {
                name: "alpha",
                value: self.alpha.to_string(),
                expected: "a positive number",
            });
        }
        let logreg = LogisticRegressionParams(LogisticRegressionValidParams {
            n_classes: 2,
            ..self.logreg.clone()
        })
        .check()?;
        let d = x.cols();
        let mut sums = vec![0.0f64; d * n_classes];
        for (i, row) in x.outer_iterator().enumerate() {
            for (j, &v) in row.iter() {
                if v < 0.0 {
                    return Err(Error::Data {
                        reason: format!(
                            "nbsvm needs non-negative features; row {i}, column {j} holds {v}"
                        ),
                    });
                }
                sums[j * n_classes + y[i]] += f64::from(v);
            }
        }
        let models: Vec<usize> = if n_classes == 2 {
            vec![1]
        } else {
            (0..n_classes).collect()
        };
        let mut coef = vec![0.0f32; d * n_classes];
        let mut intercept = vec![0.0f32; n_classes];
        for &c in &models {
            // p: in class c; q: the rest (for two classes, class 0).
            let p: Vec<f64> = (0..d)
                .map(|j| self.alpha + sums[j * n_classes + c])
                .collect();
            let q: Vec<f64> = (0..d)
                .map(|j| {
                    self.alpha
                        + (0..n_classes)
                            .filter(|&o| o != c)
                            .map(|o| sums[j * n_classes + o])
                            .sum::<f64>()
                })
                .collect();
            let (np, nq): (f64, f64) = (p.iter().sum(), q.iter().sum());
            let r: Vec<f32> = p
                .iter()
                .zip(&q)
                .map(|(a, b)| ((a / np).ln() - (b / nq).ln()) as f32)
                .collect();
            let mut scaled = x.clone();
            for mut row in scaled.outer_iterator_mut() {
                for (j, v) in row.iter_mut() {
                    *v *= r[j];
                }
            }
            let targets = y.iter().map(|&t| usize::from(t == c)).collect();
            let model = logreg.fit(&sparse_dataset(scaled, targets)?)?;
            let linear = model.to_linear(vec!["rest".into(), "class".into()])?;
            for j in 0..d {
                coef[j * n_classes + c] = (linear.weight(j, 1) - linear.weight(j, 0)) * r[j];
            }
            intercept[c] = linear.intercepts()[1] - linear.intercepts()[0];
        }
        let link = if n_classes == 2 {
            Link::Softmax
        } else {
            Link::OneVsRest
        };
        Ok((coef, intercept, link))
    }
}
