//! Sparse multinomial logistic regression with L2 regularization, fitted by argmin's L-BFGS (the
//! optimizer linfa-logistic uses), speaking linfa's `Fit` and `PredictInplace`.
//!
//! The objective is scikit-learn's (`LogisticRegression(solver="lbfgs")`, version 1.1 and later):
//!
//! ```text
//! (1/S) Σᵢ sᵢ · (−log pᵢ[yᵢ])  +  ‖W‖² / (2 · C · S)
//! ```
//!
//! with `sᵢ` the example weights (class weights included) and `S` their sum; intercepts are not
//! penalized. Two classes use one weight vector and the logistic loss, as scikit-learn does (a
//! two-class softmax penalizes its weights differently and would not find the same model); more
//! classes use the full softmax.
//!
//! Each evaluation computes the scores row by row, then the gradient column by column from a
//! column-major copy of the data. Both passes are parallel and each value is summed in a fixed
//! order, so the fitted weights are the same for any number of threads.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use argmin::core::{CostFunction, Executor, Gradient, State, TerminationReason, TerminationStatus};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use linfa::ParamGuard;
use linfa::dataset::{DatasetBase, Records};
use linfa::traits::{Fit, PredictInplace};
use ndarray::Array1;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sprs::CsMat;
use stance_infer::linear::{LinearModel, Link};

use crate::Error;
use crate::dataset::{SparseRecords, index_labels, n_classes};

/// How examples of each class are weighted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassWeight {
    /// Every example weighs 1.
    #[default]
    None,
    /// Each class weighs n_examples / (n_classes × its count), as scikit-learn's `"balanced"`.
    Balanced,
    /// One weight per class index.
    Weights(Vec<f64>),
}

impl ClassWeight {
    /// The weight of each class for targets `y` over `k` classes.
    pub fn per_class(&self, y: &[usize], k: usize) -> Vec<f64> {
        match self {
            ClassWeight::None => vec![1.0; k],
            ClassWeight::Balanced => {
                let mut counts = vec![0usize; k];
                for &c in y {
                    counts[c] += 1;
                }
                counts
                    .iter()
                    .map(|&n| {
                        if n == 0 {
                            0.0
                        } else {
                            y.len() as f64 / (k as f64 * n as f64)
                        }
                    })
                    .collect()
            }
            ClassWeight::Weights(w) => w.clone(),
        }
    }
}

/// Checked parameters of [`LogisticRegression`]; build them through
/// [`LogisticRegressionParams`].
///
/// | parameter | default | range |
/// |---|---|---|
/// | `c` | 1.0 | > 0: inverse regularization strength |
/// | `class_weight` | `none` | `none`, `balanced`, or `{"weights": [...]}` (≥ 0, one per class) |
/// | `max_iter` | 100 | ≥ 1 L-BFGS iterations |
/// | `tol` | 1e-4 | > 0: stop when the gradient's norm is below it |
/// | `fit_intercept` | true | |
/// | `n_classes` | 0 | classes to fit (0: the largest target + 1) |
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogisticRegressionValidParams {
    /// Inverse regularization strength.
    pub c: f64,
    /// Class weights.
    pub class_weight: ClassWeight,
    /// Iteration limit.
    pub max_iter: u64,
    /// Gradient-norm tolerance.
    pub tol: f64,
    /// Fit an intercept per class.
    pub fit_intercept: bool,
    /// Number of classes, when some may be absent from the targets.
    pub n_classes: usize,
}

impl Default for LogisticRegressionValidParams {
    fn default() -> Self {
        LogisticRegressionValidParams {
            c: 1.0,
            class_weight: ClassWeight::None,
            max_iter: 100,
            tol: 1e-4,
            fit_intercept: true,
            n_classes: 0,
        }
    }
}

/// Parameters of [`LogisticRegression`], checked by [`ParamGuard::check`] (linfa's pattern).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LogisticRegressionParams(pub LogisticRegressionValidParams);

impl ParamGuard for LogisticRegressionParams {
    type Checked = LogisticRegressionValidParams;
    type Error = Error;

    fn check_ref(&self) -> Result<&Self::Checked, Error> {
        let p = &self.0;
        let invalid = |name, value: String, expected| {
            Err(Error::InvalidParameter {
                name,
                value,
                expected,
            })
        };
        if !(p.c.is_finite() && p.c > 0.0) {
            return invalid("c", p.c.to_string(), "a positive number");
        }
        if !(p.tol.is_finite() && p.tol > 0.0) {
            return invalid("tol", p.tol.to_string(), "a positive number");
        }
        if p.max_iter == 0 {
            return invalid("max_iter", "0".into(), "at least 1");
        }
        if let ClassWeight::Weights(w) = &p.class_weight {
            if w.iter().any(|v| !(v.is_finite() && *v >= 0.0)) {
                return invalid(
                    "class_weight",
                    format!("{w:?}"),
                    "finite weights of at least 0",
                );
            }
        }
        Ok(p)
    }

    fn check(self) -> Result<Self::Checked, Error> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// A fitted logistic regression.
#[derive(Clone, Debug, PartialEq)]
pub struct LogisticRegression {
    /// The weights, labelled by class index.
    linear: LinearModel,
    /// L-BFGS iterations run.
    pub n_iter: u64,
    /// Whether the gradient tolerance was reached before `max_iter`.
    pub converged: bool,
    /// The objective at the fitted weights.
    pub objective: f64,
    /// The Euclidean norm of the objective's gradient at the fitted weights (L-BFGS stops when
    /// it falls below `tol`).
    pub gradient_norm: f64,
    /// Why the fit is not the optimum, when it stopped before reaching the tolerance
    /// (scikit-learn's `ConvergenceWarning`); `None` when it converged.
    pub warning: Option<String>,
}

/// Whether a convergence warning was printed already (once per process, as Python shows
/// scikit-learn's `ConvergenceWarning` once).
static WARNED: AtomicBool = AtomicBool::new(false);

/// Prints `warning` on standard error, the first time only.
fn warn_once(warning: &str) {
    if !WARNED.swap(true, Ordering::Relaxed) {
        eprintln!("warning: {warning} (reported once per run)");
    }
}

impl LogisticRegression {
    /// The number of classes.
    pub fn n_classes(&self) -> usize {
        self.linear.labels().len()
    }

    /// The weights as a [`LinearModel`] with `labels` (one per class).
    pub fn to_linear(&self, labels: Vec<String>) -> Result<LinearModel, Error> {
        Ok(self.linear.clone().with_labels(labels)?)
    }

    /// Class probabilities of every row of `x`, row-major (`rows × n_classes`).
    pub fn predict_proba(&self, x: &SparseRecords) -> Vec<f32> {
        self.linear.predict_proba_rows(x.matrix())
    }
}

impl PredictInplace<SparseRecords, Array1<usize>> for LogisticRegression {
    fn predict_inplace(&self, x: &SparseRecords, y: &mut Array1<usize>) {
        for (target, class) in y.iter_mut().zip(self.linear.predict_rows(x.matrix())) {
            *target = class;
        }
    }

    fn default_target(&self, x: &SparseRecords) -> Array1<usize> {
        Array1::zeros(x.nsamples())
    }
}

impl Fit<SparseRecords, Array1<usize>, Error> for LogisticRegressionValidParams {
    type Object = LogisticRegression;

    fn fit(
        &self,
        dataset: &DatasetBase<SparseRecords, Array1<usize>>,
    ) -> Result<LogisticRegression, Error> {
        let x = dataset.records.matrix();
        let y = dataset
            .targets
            .as_slice()
            .expect("a standard-layout target array");
        let k = n_classes(y, self.n_classes);
        if k < 2 {
            return Err(Error::Data {
                reason: format!("logistic regression needs two classes or more, found {k}"),
            });
        }
        if x.rows() == 0 {
            return Err(Error::Data {
                reason: "no training examples".into(),
            });
        }
        let class_weight = self.class_weight.per_class(y, k);
        if class_weight.len() != k {
            return Err(Error::InvalidParameter {
                name: "class_weight",
                value: format!("{} weights", class_weight.len()),
                expected: "one weight per class",
            });
        }
        let example_weight = dataset.weights();
        let sw: Vec<f64> = y
            .iter()
            .enumerate()
            .map(|(i, &c)| class_weight[c] * example_weight.map_or(1.0, |w| f64::from(w[i])))
            .collect();
        let total: f64 = sw.iter().sum();
        if total <= 0.0 {
            return Err(Error::Data {
                reason: "every example has weight 0".into(),
            });
        }
        let outputs = if k == 2 { 1 } else { k };
        let problem = Objective {
            x,
            xt: x.to_csc(),
            y,
            sw,
            total,
            alpha: 1.0 / (self.c * total),
            outputs,
            d: x.cols(),
            fit_intercept: self.fit_intercept,
            cache: Mutex::new(None),
        };
        let n_params = problem.d * outputs + outputs;
        let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
            .with_tolerance_grad(self.tol)
            .and_then(|s| s.with_tolerance_cost(64.0 * f64::EPSILON))
            .map_err(|e| Error::Optimizer {
                reason: e.to_string(),
            })?;
        let result = Executor::new(problem, solver)
            .configure(|state| state.param(vec![0.0; n_params]).max_iters(self.max_iter))
            .run()
            .map_err(|e| Error::Optimizer {
                reason: e.to_string(),
            })?;
        let state = result.state();
        let n_iter = state.get_iter();
        let gradient_norm = state
            .get_gradient()
            .map_or(f64::NAN, |g| g.iter().map(|v| v * v).sum::<f64>().sqrt());
        let (converged, warning) = match state.get_termination_status() {
            TerminationStatus::Terminated(TerminationReason::SolverConverged) => (true, None),
            TerminationStatus::Terminated(TerminationReason::MaxItersReached) => (
                false,
                Some(format!(
                    "logreg did not converge: L-BFGS stopped at max_iter = {} with the gradient \
                     norm at {gradient_norm:.2e}, above tol = {:e}, so the weights are not the \
                     optimum of the objective; raise classifier.max_iter (e.g. --set \
                     classifier.max_iter=1000)",
                    self.max_iter, self.tol
                )),
            ),
            status => (
                false,
                Some(format!(
                    "logreg stopped after {n_iter} iterations before the gradient norm \
                     ({gradient_norm:.2e}) fell below tol = {:e}: {status:?}",
                    self.tol
                )),
            ),
        };
        if let Some(w) = &warning {
            warn_once(w);
        }
        let objective = state.get_best_cost();
        let best = state.get_best_param().ok_or_else(|| Error::Optimizer {
            reason: "no parameters after optimizing".into(),
        })?;
        let d = x.cols();
        let (coef, intercept) = if k == 2 {
            // One logistic weight vector w for class 1: as a two-class softmax, class 0 scores 0.
            let mut coef = vec![0.0f32; d * 2];
            for j in 0..d {
                coef[j * 2 + 1] = best[j] as f32;
            }
            (coef, vec![0.0, best[d] as f32])
        } else {
            (
                best[..d * k].iter().map(|&v| v as f32).collect(),
                best[d * k..].iter().map(|&v| v as f32).collect(),
            )
        };
        Ok(LogisticRegression {
            linear: LinearModel::new(index_labels(k), d, coef, intercept, Link::Softmax)?,
            n_iter,
            converged,
            objective,
            gradient_norm,
            warning,
        })
    }
}

/// Parameters, and the objective and gradient there.
type Evaluation = (Vec<f64>, f64, Vec<f64>);

/// The objective and its gradient, evaluated together and cached for the last parameters (the
/// line search asks for the cost and the gradient at the same point).
struct Objective<'a> {
    x: &'a CsMat<f32>,
    xt: CsMat<f32>,
    y: &'a [usize],
    sw: Vec<f64>,
    total: f64,
    alpha: f64,
    outputs: usize,
    d: usize,
    fit_intercept: bool,
    cache: Mutex<Option<Evaluation>>,
}

impl Objective<'_> {
    fn evaluate(&self, p: &[f64]) -> (f64, Vec<f64>) {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((cp, f, g)) = cache.as_ref() {
            if cp.as_slice() == p {
                return (*f, g.clone());
            }
        }
        let (f, g) = self.compute(p);
        *cache = Some((p.to_vec(), f, g.clone()));
        (f, g)
    }

    fn compute(&self, p: &[f64]) -> (f64, Vec<f64>) {
        let m = self.outputs;
        let d = self.d;
        let (w, b) = p.split_at(d * m);
        // Per row: its weighted loss and its residuals sᵢ (pᵢ − onehot(yᵢ)).
        let rows: Vec<(f64, Vec<f64>)> = (0..self.x.rows())
            .into_par_iter()
            .map(|i| {
                let row = self.x.outer_view(i).expect("row in range");
                let mut z: Vec<f64> = if self.fit_intercept {
                    b.to_vec()
                } else {
                    vec![0.0; m]
                };
                for (j, &v) in row.iter() {
                    let v = f64::from(v);
                    for (zc, wc) in z.iter_mut().zip(&w[j * m..j * m + m]) {
                        *zc += wc * v;
                    }
                }
                let s = self.sw[i];
                let y = self.y[i];
                if m == 1 {
                    // Logistic loss for class 1 against class 0.
                    let t = if y == 1 { 1.0 } else { 0.0 };
                    let zc = z[0];
                    let loss = softplus(zc) - t * zc;
                    let p1 = sigmoid(zc);
                    (s * loss, vec![s * (p1 - t)])
                } else {
                    let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    let sum: f64 = z.iter().map(|v| (v - max).exp()).sum();
                    let lse = max + sum.ln();
                    let loss = lse - z[y];
                    let residual = z
                        .iter()
                        .enumerate()
                        .map(|(c, v)| s * ((v - lse).exp() - if c == y { 1.0 } else { 0.0 }))
                        .collect();
                    (s * loss, residual)
                }
            })
            .collect();
        let scale = 1.0 / self.total;
        let mut f = rows.iter().map(|(l, _)| l).sum::<f64>() * scale;
        let mut g = vec![0.0; d * m + m];
        g[..d * m]
            .par_chunks_mut(m)
            .enumerate()
            .for_each(|(j, gj)| {
                let column = self.xt.outer_view(j).expect("column in range");
                for (i, &v) in column.iter() {
                    let v = f64::from(v);
                    for (gc, rc) in gj.iter_mut().zip(&rows[i].1) {
                        *gc += rc * v;
                    }
                }
                for (gc, wc) in gj.iter_mut().zip(&w[j * m..j * m + m]) {
                    *gc = *gc * scale + self.alpha * wc;
                }
            });
        if self.fit_intercept {
            for (_, r) in &rows {
                for (gc, rc) in g[d * m..].iter_mut().zip(r) {
                    *gc += rc;
                }
            }
            for gc in &mut g[d * m..] {
                *gc *= scale;
            }
        }
        f += 0.5 * self.alpha * w.iter().map(|v| v * v).sum::<f64>();
        (f, g)
    }
}

fn softplus(z: f64) -> f64 {
    if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    }
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

impl CostFunction for Objective<'_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, p: &Vec<f64>) -> Result<f64, argmin::core::Error> {
        Ok(self.evaluate(p).0)
    }
}

impl Gradient for Objective<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;

    fn gradient(&self, p: &Vec<f64>) -> Result<Vec<f64>, argmin::core::Error> {
        Ok(self.evaluate(p).1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::sparse_dataset;

    fn objective<'a>(x: &'a CsMat<f32>, y: &'a [usize], outputs: usize) -> Objective<'a> {
        let sw = vec![1.0; y.len()];
        Objective {
            x,
            xt: x.to_csc(),
            y,
            total: y.len() as f64,
            alpha: 1.0 / y.len() as f64,
            sw,
            outputs,
            d: x.cols(),
            fit_intercept: true,
            cache: Mutex::new(None),
        }
    }

    #[test]
    fn the_gradient_matches_finite_differences() {
        let x = CsMat::new(
            (4, 3),
            vec![0, 2, 3, 5, 6],
            vec![0, 2, 1, 0, 1, 2],
            vec![1.0f32, 0.5, 2.0, -1.0, 0.25, 3.0],
        );
        for (y, outputs) in [(vec![0, 1, 2, 1], 3), (vec![0, 1, 1, 0], 1)] {
            let o = objective(&x, &y, outputs);
            let n = 3 * outputs + outputs;
            let p: Vec<f64> = (0..n).map(|i| (i as f64 * 0.37).sin()).collect();
            let (_, g) = o.compute(&p);
            for i in 0..n {
                let h = 1e-6;
                let mut up = p.clone();
                up[i] += h;
                let mut down = p.clone();
                down[i] -= h;
                let numeric = (o.compute(&up).0 - o.compute(&down).0) / (2.0 * h);
                assert!(
                    (numeric - g[i]).abs() < 1e-6,
                    "{outputs} {i}: {numeric} vs {}",
                    g[i]
                );
            }
        }
    }

    #[test]
    fn parameters_are_checked() {
        for p in [
            LogisticRegressionValidParams {
                c: 0.0,
                ..Default::default()
            },
            LogisticRegressionValidParams {
                tol: -1.0,
                ..Default::default()
            },
            LogisticRegressionValidParams {
                max_iter: 0,
                ..Default::default()
            },
            LogisticRegressionValidParams {
                class_weight: ClassWeight::Weights(vec![1.0, f64::NAN]),
                ..Default::default()
            },
        ] {
            assert!(LogisticRegressionParams(p).check().is_err());
        }
        assert!(LogisticRegressionParams::default().check().is_ok());
    }

    #[test]
    fn a_fit_stopped_by_max_iter_says_so() {
        let x = CsMat::new(
            (6, 3),
            vec![0, 2, 3, 5, 6, 8, 9],
            vec![0, 2, 1, 0, 1, 2, 0, 1, 2],
            vec![1.0f32, 0.5, 2.0, -1.0, 0.25, 3.0, 0.5, 1.5, -2.0],
        );
        for y in [vec![0, 1, 2, 1, 0, 2], vec![0, 1, 1, 0, 1, 0]] {
            let data = sparse_dataset(x.clone(), y.clone()).unwrap();
            let fit = |max_iter| {
                LogisticRegressionParams(LogisticRegressionValidParams {
                    max_iter,
                    tol: 1e-8,
                    ..Default::default()
                })
                .check()
                .unwrap()
                .fit(&data)
                .unwrap()
            };
            let stopped = fit(2);
            assert!(!stopped.converged);
            assert_eq!(stopped.n_iter, 2);
            assert!(stopped.gradient_norm >= 1e-8);
            let warning = stopped.warning.expect("a warning");
            assert!(warning.contains("max_iter = 2"), "{warning}");
            let done = fit(1000);
            assert!(done.converged, "{} iterations", done.n_iter);
            assert!(done.n_iter > 2 && done.n_iter < 1000);
            assert_eq!(done.warning, None);
            assert!(done.objective < stopped.objective);
            // The reported objective is the objective at the fitted weights (stored in f32).
            let k = done.n_classes();
            let outputs = if k == 2 { 1 } else { k };
            let linear = done.linear.clone();
            let mut p = Vec::new();
            for j in 0..3 {
                if k == 2 {
                    p.push(f64::from(linear.weight(j, 1)));
                } else {
                    p.extend((0..k).map(|c| f64::from(linear.weight(j, c))));
                }
            }
            p.extend(
                linear.intercepts()[k - outputs..]
                    .iter()
                    .map(|&b| f64::from(b)),
            );
            let (f, _) = objective(&x, &y, outputs).compute(&p);
            assert!(
                (f - done.objective).abs() < 1e-6,
                "{f} vs {}",
                done.objective
            );
        }
    }

    #[test]
    fn balanced_weights_are_scikit_learns() {
        let w = ClassWeight::Balanced.per_class(&[0, 0, 0, 1], 2);
        assert_eq!(w, [4.0 / 6.0, 2.0]);
    }
}
