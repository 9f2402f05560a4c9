//! From labelled examples to a [`Model`]: fit the template, build the rows, fit the classifier,
//! export its weights; and cross-validation with the template refitted inside every fold, so no
//! vocabulary or IDF is learned from a test fold.

use linfa::ParamGuard;
use linfa::traits::Fit;
use serde::{Deserialize, Serialize};
use sprs::CsMat;
use stance_infer::linear::{LinearModel, Link};
use stance_infer::template::{Input, TemplateParams};
use stance_infer::{Manifest, Model};

use crate::Error;
use crate::dataset::sparse_dataset;
use crate::folds::{assign_folds, split};
use crate::linfa_logreg::LinfaLogRegParams;
use crate::logreg::{LogisticRegressionParams, LogisticRegressionValidParams};
use crate::metrics::{Metric, Report};
use crate::nb::{NaiveBayesParams, NaiveBayesValidParams};
use crate::nbsvm::NbsvmParams;

/// A classifier and its parameters (`--classifier NAME` picks the variant).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ClassifierParams {
    /// linfa-logistic's multinomial model on selected dense columns.
    LinfaLogreg(LinfaLogRegParams),
    /// Sparse multinomial logistic regression on L-BFGS.
    Logreg(LogisticRegressionValidParams),
    /// Multinomial or complement naive Bayes.
    Nb(NaiveBayesValidParams),
    /// Logistic regression on naive-Bayes-scaled features.
    Nbsvm(NbsvmParams),
}

impl ClassifierParams {
    /// The classifier's name on the command line and in the manifest.
    pub fn name(&self) -> &'static str {
        match self {
            ClassifierParams::LinfaLogreg(_) => "linfa-logreg",
            ClassifierParams::Logreg(_) => "logreg",
            ClassifierParams::Nb(_) => "nb",
            ClassifierParams::Nbsvm(_) => "nbsvm",
        }
    }

    /// The default parameters of the classifier called `name`.
    pub fn by_name(name: &str) -> Option<Self> {
        Some(match name {
            "linfa-logreg" => ClassifierParams::LinfaLogreg(LinfaLogRegParams::default()),
            "logreg" => ClassifierParams::Logreg(LogisticRegressionValidParams::default()),
            "nb" => ClassifierParams::Nb(NaiveBayesValidParams::default()),
            "nbsvm" => ClassifierParams::Nbsvm(NbsvmParams::default()),
            _ => return None,
        })
    }

    /// Fits on rows `x` with class indices `y` over `labels`, as linear weights.
    pub fn fit(
        &self,
        x: &CsMat<f32>,
        y: &[usize],
        labels: &[String],
    ) -> Result<LinearModel, Error> {
        let k = labels.len();
        let labels = labels.to_vec();
        match self {
            ClassifierParams::LinfaLogreg(p) => {
                let (coef, intercept) = p.fit(x, y, k)?;
                Ok(LinearModel::new(
                    labels,
                    x.cols(),
                    coef,
                    intercept,
                    Link::Softmax,
                )?)
            }
            ClassifierParams::Logreg(p) => {
                let params = LogisticRegressionParams(LogisticRegressionValidParams {
                    n_classes: k,
                    ..p.clone()
                })
                .check()?;
                params
                    .fit(&sparse_dataset(x.clone(), y.to_vec())?)?
                    .to_linear(labels)
            }
            ClassifierParams::Nb(p) => {
                let params = NaiveBayesParams(NaiveBayesValidParams {
                    n_classes: k,
                    ..p.clone()
                })
                .check()?;
                params
                    .fit(&sparse_dataset(x.clone(), y.to_vec())?)?
                    .to_linear(labels)
            }
            ClassifierParams::Nbsvm(p) => {
                let (coef, intercept, link) = p.fit(x, y, k)?;
                Ok(LinearModel::new(labels, x.cols(), coef, intercept, link)?)
            }
        }
    }
}

/// Everything a training run is configured by (`stance train --config`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainConfig {
    /// The feature template.
    pub template: TemplateParams,
    /// The classifier.
    pub classifier: ClassifierParams,
    /// Seed of every random choice (CV folds).
    #[serde(default)]
    pub seed: u64,
}

/// Labelled examples: inputs, their class indices and the label names.
#[derive(Clone, Debug)]
pub struct Labelled<'a> {
    /// The examples.
    pub inputs: Vec<Input<'a>>,
    /// Class index of each example.
    pub y: Vec<usize>,
    /// The label of each class index, sorted.
    pub labels: Vec<String>,
    /// The group of each example, when examples share a source.
    pub groups: Option<Vec<String>>,
}

impl<'a> Labelled<'a> {
    /// Examples with string labels; classes are the distinct labels, sorted.
    pub fn new(
        inputs: Vec<Input<'a>>,
        labels: &[&str],
        groups: Option<Vec<String>>,
    ) -> Result<Self, Error> {
        if inputs.len() != labels.len() {
            return Err(Error::Data {
                reason: format!("{} examples but {} labels", inputs.len(), labels.len()),
            });
        }
        let mut names: Vec<String> = labels.iter().map(|l| l.to_string()).collect();
        names.sort_unstable();
        names.dedup();
        let y = labels
            .iter()
            .map(|l| {
                names
                    .binary_search_by(|n| n.as_str().cmp(l))
                    .expect("a collected label")
            })
            .collect();
        Ok(Labelled {
            inputs,
            y,
            labels: names,
            groups,
        })
    }

    /// The examples at `rows`, with the same label list (so class indices keep their meaning).
    pub fn rows(&self, rows: &[usize]) -> Labelled<'a> {
        let (inputs, y) = self.subset(rows);
        Labelled {
            inputs,
            y,
            labels: self.labels.clone(),
            groups: self
                .groups
                .as_ref()
                .map(|g| rows.iter().map(|&i| g[i].clone()).collect()),
        }
    }

    fn subset(&self, rows: &[usize]) -> (Vec<Input<'a>>, Vec<usize>) {
        (
            rows.iter().map(|&i| self.inputs[i].clone()).collect(),
            rows.iter().map(|&i| self.y[i]).collect(),
        )
    }
}

/// Trains a model on `data`; `provenance` goes into the manifest as given.
pub fn train(
    config: &TrainConfig,
    data: &Labelled<'_>,
    provenance: serde_json::Value,
) -> Result<Model, Error> {
    train_with_progress(config, data, provenance, |_| {})
}

/// [`train`], telling `progress` when each stage starts (`"features"`, `"fit"`).
pub fn train_with_progress(
    config: &TrainConfig,
    data: &Labelled<'_>,
    provenance: serde_json::Value,
    mut progress: impl FnMut(&str),
) -> Result<Model, Error> {
    if data.labels.len() < 2 {
        return Err(Error::Data {
            reason: format!("training needs two labels or more, found {:?}", data.labels),
        });
    }
    progress("features");
    let template = config.template.fit(&data.inputs)?;
    let x = template.transform(&data.inputs)?;
    progress("fit");
    let linear = config.classifier.fit(&x, &data.y, &data.labels)?;
    let manifest = Manifest {
        format: "stance-model".into(),
        stance_version: env!("CARGO_PKG_VERSION").into(),
        task: config.template.task,
        labels: data.labels.clone(),
        classifier: config.classifier.name().into(),
        parameters: serde_json::to_value(config).expect("plain data serializes"),
        metrics: serde_json::Value::Null,
        provenance,
    };
    Ok(Model::new(manifest, template, linear, None)?)
}

/// The outcome of cross-validation.
#[derive(Clone, Debug)]
pub struct CvResult {
    /// One report per fold.
    pub folds: Vec<Report>,
    /// The report over every example's out-of-fold prediction.
    pub pooled: Report,
    /// The out-of-fold predicted class of each example.
    pub predictions: Vec<usize>,
    /// The fold of each example.
    pub fold_of: Vec<usize>,
}

/// Fits `config` on the training rows and predicts the test rows (class indices).
fn fit_predict(
    config: &TrainConfig,
    data: &Labelled<'_>,
    train_rows: &[usize],
    test_rows: &[usize],
) -> Result<Vec<usize>, Error> {
    let (train_inputs, train_y) = data.subset(train_rows);
    let (test_inputs, _) = data.subset(test_rows);
    let template = config.template.fit(&train_inputs)?;
    let x = template.transform(&train_inputs)?;
    let linear = config.classifier.fit(&x, &train_y, &data.labels)?;
    Ok(linear.predict_rows(&template.transform(&test_inputs)?))
}

/// The outcome of nested cross-validation.
#[derive(Clone, Debug)]
pub struct NestedCvResult {
    /// The outer folds' reports and pooled out-of-fold predictions.
    pub cv: CvResult,
    /// For each outer fold, the index of the grid point its inner CV chose.
    pub chosen: Vec<usize>,
    /// For each outer fold, each grid point's inner-CV score (`None` where the metric does not
    /// fit the labels).
    pub inner_scores: Vec<Vec<Option<f64>>>,
}

/// Nested cross-validation of a grid: in each of `k` outer folds, every point of `points` is
/// scored by `inner`-fold CV on the outer training part only (folds drawn with the point's seed,
/// grouped when `data.groups` is set), the best by `metric` (the first on ties) is refitted on
/// the whole outer training part and predicts the outer test fold. The pooled outer predictions
/// are an estimate of the whole procedure, selection included, that never looked at the
/// examples it scores. `progress(outer fold, k)` is called before each outer fold.
pub fn nested_cross_validate(
    points: &[TrainConfig],
    data: &Labelled<'_>,
    k: usize,
    inner: usize,
    metric: Metric,
    mut progress: impl FnMut(usize, usize),
) -> Result<NestedCvResult, Error> {
    let first = points.first().ok_or_else(|| Error::InvalidParameter {
        name: "grid",
        value: "0 points".into(),
        expected: "at least one grid point",
    })?;
    check_folds(k, data.inputs.len())?;
    let folds = assign_folds(&data.y, data.groups.as_deref(), k, first.seed);
    let mut predictions = vec![0usize; data.inputs.len()];
    let mut reports = Vec::with_capacity(k);
    let mut chosen = Vec::with_capacity(k);
    let mut inner_scores = Vec::with_capacity(k);
    for f in 0..k {
        progress(f, k);
        let (train_rows, test_rows) = split(&folds, f);
        let part = data.rows(&train_rows);
        let scores = points
            .iter()
            .map(|p| Ok(metric.of(&cross_validate(p, &part, inner, |_, _| {})?.pooled)))
            .collect::<Result<Vec<_>, Error>>()?;
        let best = scores
            .iter()
            .enumerate()
            .fold(None, |best: Option<(usize, f64)>, (i, s)| match (best, s) {
                (_, None) => best,
                (Some((_, b)), Some(s)) if *s <= b => best,
                (_, Some(s)) => Some((i, *s)),
            })
            .map_or(0, |(i, _)| i);
        let predicted = fit_predict(&points[best], data, &train_rows, &test_rows)?;
        let test_y: Vec<usize> = test_rows.iter().map(|&i| data.y[i]).collect();
        for (&i, &p) in test_rows.iter().zip(&predicted) {
            predictions[i] = p;
        }
        reports.push(Report::new(&data.labels, &test_y, &predicted));
        chosen.push(best);
        inner_scores.push(scores);
    }
    progress(k, k);
    Ok(NestedCvResult {
        cv: CvResult {
            pooled: Report::new(&data.labels, &data.y, &predictions),
            folds: reports,
            predictions,
            fold_of: folds,
        },
        chosen,
        inner_scores,
    })
}

fn check_folds(k: usize, n: usize) -> Result<(), Error> {
    if k < 2 || k > n {
        return Err(Error::InvalidParameter {
            name: "folds",
            value: k.to_string(),
            expected: "between 2 and the number of examples",
        });
    }
    Ok(())
}

/// k-fold cross-validation (stratified; grouped when `data.groups` is set).
pub fn cross_validate(
    config: &TrainConfig,
    data: &Labelled<'_>,
    k: usize,
    mut progress: impl FnMut(usize, usize),
) -> Result<CvResult, Error> {
    check_folds(k, data.inputs.len())?;
    let folds = assign_folds(&data.y, data.groups.as_deref(), k, config.seed);
    let mut predictions = vec![0usize; data.inputs.len()];
    let mut reports = Vec::with_capacity(k);
    for f in 0..k {
        progress(f, k);
        let (train_rows, test_rows) = split(&folds, f);
        let predicted = fit_predict(config, data, &train_rows, &test_rows)?;
        let test_y: Vec<usize> = test_rows.iter().map(|&i| data.y[i]).collect();
        for (&i, &p) in test_rows.iter().zip(&predicted) {
            predictions[i] = p;
        }
        reports.push(Report::new(&data.labels, &test_y, &predicted));
    }
    progress(k, k);
    Ok(CvResult {
        pooled: Report::new(&data.labels, &data.y, &predictions),
        folds: reports,
        predictions,
        fold_of: folds,
    })
}
