//! Multinomial and complement naive Bayes on sparse counts, as scikit-learn's `MultinomialNB`
//! and `ComplementNB` define them, with probabilities computed in log space.
//!
//! linfa-bayes is not used for probabilities: it exponentiates joint likelihoods before
//! normalizing, which overflows to infinity on long documents. Here the joint log-likelihoods
//! are the scores of a [`LinearModel`] (feature log-probabilities as weights, log priors as
//! intercepts), and the softmax of the scores is the posterior, computed stably.

use linfa::ParamGuard;
use linfa::dataset::{DatasetBase, Records};
use linfa::traits::{Fit, PredictInplace};
use ndarray::Array1;
use serde::{Deserialize, Serialize};
use stance_infer::linear::{LinearModel, Link};

use crate::Error;
use crate::dataset::{SparseRecords, index_labels, n_classes};

/// Which naive Bayes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NbKind {
    /// Multinomial naive Bayes with fitted class priors (`MultinomialNB`).
    #[default]
    Multinomial,
    /// Complement naive Bayes (`ComplementNB`, Rennie et al. 2003), suited to unbalanced classes.
    Complement,
}

/// Checked naive Bayes parameters.
///
/// | parameter | default | range |
/// |---|---|---|
/// | `kind` | `multinomial` | `multinomial`, `complement` |
/// | `alpha` | 1.0 | > 0: additive smoothing |
/// | `n_classes` | 0 | classes to fit (0: the largest target + 1) |
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NaiveBayesValidParams {
    /// Which naive Bayes.
    pub kind: NbKind,
    /// Additive smoothing.
    pub alpha: f64,
    /// Number of classes, when some may be absent from the targets.
    pub n_classes: usize,
}

impl Default for NaiveBayesValidParams {
    fn default() -> Self {
        NaiveBayesValidParams {
            kind: NbKind::Multinomial,
            alpha: 1.0,
            n_classes: 0,
        }
    }
}

/// Naive Bayes parameters, checked by [`ParamGuard::check`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NaiveBayesParams(pub NaiveBayesValidParams);

impl ParamGuard for NaiveBayesParams {
    type Checked = NaiveBayesValidParams;
    type Error = Error;

    fn check_ref(&self) -> Result<&Self::Checked, Error> {
        if !(self.0.alpha.is_finite() && self.0.alpha > 0.0) {
            return Err(Error::InvalidParameter {
                name: "alpha",
                value: self.0.alpha.to_string(),
                expected: "a positive number",
            });
        }
        Ok(&self.0)
    }

    fn check(self) -> Result<Self::Checked, Error> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// A fitted naive Bayes: its joint log-likelihood is a linear function of the counts.
#[derive(Clone, Debug, PartialEq)]
pub struct NaiveBayes {
    /// Feature log-probabilities as weights, log priors as intercepts, labelled by class index.
    linear: LinearModel,
}

impl NaiveBayes {
    /// The number of classes.
    pub fn n_classes(&self) -> usize {
        self.linear.labels().len()
    }

    /// The model as a [`LinearModel`] with `labels`.
    pub fn to_linear(&self, labels: Vec<String>) -> Result<LinearModel, Error> {
        Ok(self.linear.clone().with_labels(labels)?)
    }

    /// Class probabilities of every row of `x`, row-major.
    pub fn predict_proba(&self, x: &SparseRecords) -> Vec<f32> {
        self.linear.predict_proba_rows(x.matrix())
    }
}

impl Fit<SparseRecords, Array1<usize>, Error> for NaiveBayesValidParams {
    type Object = NaiveBayes;

    fn fit(
        &self,
        dataset: &DatasetBase<SparseRecords, Array1<usize>>,
    ) -> Result<NaiveBayes, Error> {
        let x = dataset.records.matrix();
        let y = dataset
            .targets
            .as_slice()
            .expect("a standard-layout target array");
        let k = n_classes(y, self.n_classes);
        if k < 2 || x.rows() == 0 {
            return Err(Error::Data {
                reason: format!(
                    "naive Bayes needs examples of two classes or more ({} examples, {k} classes)",
                    x.rows()
                ),
            });
        }
        let d = x.cols();
        let weights = dataset.weights();
        // Per-class feature totals and class totals, in f64.
        let mut fc = vec![0.0f64; d * k];
        let mut class_count = vec![0.0f64; k];
        for (i, row) in x.outer_iterator().enumerate() {
            let c = y[i];
            let w = weights.map_or(1.0, |w| f64::from(w[i]));
            class_count[c] += w;
            for (j, &v) in row.iter() {
                if v < 0.0 || !v.is_finite() {
                    return Err(Error::Data {
                        reason: format!(
                            "naive Bayes needs non-negative counts; row {i}, column {j} holds {v}"
                        ),
                    });
                }
                fc[j * k + c] += w * f64::from(v);
            }
        }
        let alpha = self.alpha;
        let mut coef = vec![0.0f32; d * k];
        let intercept;
        match self.kind {
            NbKind::Multinomial => {
                let mut totals = vec![0.0f64; k];
                for j in 0..d {
                    for c in 0..k {
                        totals[c] += fc[j * k + c] + alpha;
                    }
                }
                for j in 0..d {
                    for c in 0..k {
                        coef[j * k + c] = ((fc[j * k + c] + alpha).ln() - totals[c].ln()) as f32;
                    }
                }
                let n: f64 = class_count.iter().sum();
                intercept = class_count
                    .iter()
                    .map(|&m| {
                        if m > 0.0 {
                            (m / n).ln() as f32
                        } else {
                            f32::MIN
                        }
                    })
                    .collect::<Vec<_>>();
                if intercept.contains(&f32::MIN) {
                    return Err(Error::Data {
                        reason: "a class has no training examples".into(),
                    });
                }
            }
            NbKind::Complement => {
                // The complement of class c: every class but c.
                let all: Vec<f64> = (0..d).map(|j| fc[j * k..j * k + k].iter().sum()).collect();
                let mut totals = vec![0.0f64; k];
                for j in 0..d {
                    for c in 0..k {
                        totals[c] += all[j] + alpha - fc[j * k + c];
                    }
                }
                for j in 0..d {
                    for c in 0..k {
                        let comp = all[j] + alpha - fc[j * k + c];
                        coef[j * k + c] = -(comp.ln() - totals[c].ln()) as f32;
                    }
                }
                intercept = vec![0.0; k];
            }
        }
        Ok(NaiveBayes {
            linear: LinearModel::new(index_labels(k), d, coef, intercept, Link::Softmax)?,
        })
    }
}

impl PredictInplace<SparseRecords, Array1<usize>> for NaiveBayes {
    fn predict_inplace(&self, x: &SparseRecords, y: &mut Array1<usize>) {
        for (target, class) in y.iter_mut().zip(self.linear.predict_rows(x.matrix())) {
            *target = class;
        }
    }

    fn default_target(&self, x: &SparseRecords) -> Array1<usize> {
        Array1::zeros(x.nsamples())
    }
}
