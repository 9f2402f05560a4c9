//! A trained model: manifest, feature template and linear weights in one checked file.

use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sprs::CsVecView;

use crate::Error;
use crate::artefact::{Artefact, ArtefactWriter};
use crate::linear::{LinearModel, argmax};
use crate::template::{FittedTemplate, Input, RowScratch, Task, check_input};

/// What a model is, where it came from and how well it did: the `manifest` section, shown by
/// `stance inspect`. Everything in it is deterministic (no clock time), so the same data,
/// parameters and seed give the same file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `"stance-model"`.
    pub format: String,
    /// The stance release that trained it.
    pub stance_version: String,
    /// The task of its examples.
    pub task: Task,
    /// The class labels, in score order.
    pub labels: Vec<String>,
    /// The classifier that fitted the weights (`logreg`, `nb`, ...).
    pub classifier: String,
    /// The classifier's and the training run's parameters, as given.
    #[serde(default)]
    pub parameters: serde_json::Value,
    /// Scores measured at training time (cross-validation or held-out), as the trainer wrote them.
    #[serde(default)]
    pub metrics: serde_json::Value,
    /// Where the training data came from: file names, example counts, a fingerprint of the data,
    /// the seed.
    #[serde(default)]
    pub provenance: serde_json::Value,
}

/// A model ready to score examples.
#[derive(Clone, Debug)]
pub struct Model {
    manifest: Manifest,
    template: FittedTemplate,
    linear: LinearModel,
    gazetteer: Option<String>,
}

/// One example's prediction.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    /// The index of the predicted label.
    pub class: usize,
    /// The probability of each label, in the model's label order.
    pub probabilities: Vec<f32>,
    /// The features that pushed most toward the predicted label: (name, contribution).
    pub top_features: Vec<(String, f32)>,
}

/// Reusable buffers for [`Model::probabilities_into`], one per thread: once they have grown,
/// predicting allocates nothing.
#[derive(Clone, Debug, Default)]
pub struct PredictScratch {
    row: RowScratch,
}

impl Model {
    /// Puts a model together; the template's features must be the weights' features, and the
    /// manifest's labels and task those of the parts.
    pub fn new(
        manifest: Manifest,
        template: FittedTemplate,
        linear: LinearModel,
        gazetteer: Option<String>,
    ) -> Result<Self, Error> {
        let bad = |reason: String| Err(Error::Model { reason });
        if template.n_features() != linear.n_features() {
            return bad(format!(
                "the template has {} features and the weights {}",
                template.n_features(),
                linear.n_features()
            ));
        }
        if manifest.labels != linear.labels() {
            return bad(format!(
                "the manifest lists labels {:?} and the weights {:?}",
                manifest.labels,
                linear.labels()
            ));
        }
        if manifest.task != template.params().task {
            return bad(format!(
                "the manifest says task {} and the template {}",
                manifest.task.name(),
                template.params().task.name()
            ));
        }
        Ok(Model {
            manifest,
            template,
            linear,
            gazetteer,
        })
    }

    /// The manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The same model with `metrics` recorded in its manifest (scores measured after fitting,
    /// e.g. by cross-validation).
    pub fn with_metrics(mut self, metrics: serde_json::Value) -> Self {
        self.manifest.metrics = metrics;
        self
    }

    /// The same model holding `gazetteer` (TOML), for a mention model: scoring finds mentions
    /// with the gazetteer the model was trained with.
    pub fn with_gazetteer(mut self, gazetteer: String) -> Self {
        self.gazetteer = Some(gazetteer);
        self
    }

    /// The feature template.
    pub fn template(&self) -> &FittedTemplate {
        &self.template
    }

    /// The linear weights.
    pub fn linear(&self) -> &LinearModel {
        &self.linear
    }

    /// The gazetteer (TOML) a mention model was trained with.
    pub fn gazetteer(&self) -> Option<&str> {
        self.gazetteer.as_deref()
    }

    /// The model as one file's bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        Ok(self.writer()?.to_bytes())
    }

    /// Writes the model to `path` atomically.
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        self.writer()?.write_atomic(path)
    }

    fn writer(&self) -> Result<ArtefactWriter, Error> {
        let mut w = ArtefactWriter::new();
        w.json("manifest", &self.manifest)?;
        self.template.write(&mut w, "template")?;
        self.linear.write(&mut w, "linear")?;
        if let Some(g) = &self.gazetteer {
            w.bytes("gazetteer", g.as_bytes())?;
        }
        Ok(w)
    }

    /// Reads the model file at `path`.
    pub fn load(path: &Path) -> Result<Self, Error> {
        Self::from_artefact(&Artefact::read(path)?)
    }

    /// Reads a model from memory (an embedded default); `origin` names it in errors.
    pub fn from_bytes(bytes: Vec<u8>, origin: &str) -> Result<Self, Error> {
        Self::from_artefact(&Artefact::from_bytes(bytes, origin)?)
    }

    fn from_artefact(a: &Artefact) -> Result<Self, Error> {
        let manifest: Manifest = a.json("manifest")?;
        if manifest.format != "stance-model" {
            return Err(Error::Corrupt {
                origin: a.origin().to_owned(),
                reason: format!(
                    "the manifest's format is {:?}, not \"stance-model\"",
                    manifest.format
                ),
            });
        }
        let template = FittedTemplate::read(a, "template")?;
        let linear = LinearModel::read(a, "linear")?;
        let gazetteer = if a.has("gazetteer") {
            let bytes = a.bytes("gazetteer")?;
            Some(
                String::from_utf8(bytes.to_vec()).map_err(|_| Error::Corrupt {
                    origin: a.origin().to_owned(),
                    reason: "the gazetteer section is not UTF-8".into(),
                })?,
            )
        } else {
            None
        };
        Model::new(manifest, template, linear, gazetteer).map_err(|e| Error::Corrupt {
            origin: a.origin().to_owned(),
            reason: e.to_string(),
        })
    }

    /// The `k` features with the largest centred weight for each class (weight − mean weight
    /// over classes, as [`LinearModel::contributions`] explains predictions): per class, (name,
    /// centred weight), strongest first.
    pub fn top_features(&self, k: usize) -> Vec<Vec<(String, f32)>> {
        let n = self.linear.labels().len();
        (0..n)
            .map(|class| {
                let mut best: Vec<(usize, f32)> = (0..self.linear.n_features())
                    .map(|f| {
                        let mean = (0..n).map(|c| self.linear.weight(f, c)).sum::<f32>() / n as f32;
                        (f, self.linear.weight(f, class) - mean)
                    })
                    .filter(|&(_, w)| w > 0.0)
                    .collect();
                best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                best.truncate(k);
                best.into_iter()
                    .map(|(f, w)| (self.template.feature_name(f), w))
                    .collect()
            })
            .collect()
    }

    /// Predicts every input, with up to `top_k` explaining features each.
    pub fn predict(&self, inputs: &[Input<'_>], top_k: usize) -> Result<Vec<Prediction>, Error> {
        if self.template.has_fast_path() {
            return self.predict_rows(inputs, top_k);
        }
        let x = self.template.transform(inputs)?;
        let mut scores = Vec::with_capacity(self.linear.labels().len());
        Ok(x.outer_iterator()
            .map(|row| {
                self.linear.scores_into(row, &mut scores);
                self.prediction(row, scores.clone(), top_k)
            })
            .collect())
    }

    /// [`Model::predict`] one row at a time, in parallel: the template's fast path.
    fn predict_rows(&self, inputs: &[Input<'_>], top_k: usize) -> Result<Vec<Prediction>, Error> {
        for (index, input) in inputs.iter().enumerate() {
            check_input(self.template.params().task, input, index)?;
        }
        inputs
            .par_iter()
            .map_init(PredictScratch::default, |scratch, input| {
                let mut scores = Vec::with_capacity(self.linear.labels().len());
                self.scores_of(input, scratch, &mut scores)?;
                let (columns, values) = scratch.row.row();
                let row = CsVecView::new(self.linear.n_features(), columns, values);
                Ok(self.prediction(row, scores, top_k))
            })
            .collect()
    }

    /// The prediction of `row`, whose class scores are `scores`.
    fn prediction(&self, row: CsVecView<'_, f32>, scores: Vec<f32>, top_k: usize) -> Prediction {
        let mut probabilities = scores;
        self.linear.link_apply(&mut probabilities);
        let class = argmax(&probabilities);
        let top_features = self
            .linear
            .contributions(row, class, top_k)
            .into_iter()
            .map(|(f, c)| (self.template.feature_name(f), c))
            .collect();
        Prediction {
            class,
            probabilities,
            top_features,
        }
    }

    /// The class probabilities of one input, written into `probabilities`, and the index of the
    /// most probable class: the same values as [`Model::predict`] gives, without explanations,
    /// and without allocating once `scratch` and `probabilities` have grown when the template
    /// has a fast path ([`FittedTemplate::has_fast_path`]).
    pub fn probabilities_into(
        &self,
        input: &Input<'_>,
        scratch: &mut PredictScratch,
        probabilities: &mut Vec<f32>,
    ) -> Result<usize, Error> {
        // A one-block fast row goes straight into the dot product, never written out.
        self.template
            .scores_into(input, &mut scratch.row, &self.linear, probabilities)?;
        self.linear.link_apply(probabilities);
        Ok(argmax(probabilities))
    }

    /// The class scores of one input through the template's fast path, into `scores`; its row
    /// is left in `scratch.row` ([`RowScratch::row`]).
    fn scores_of(
        &self,
        input: &Input<'_>,
        scratch: &mut PredictScratch,
        scores: &mut Vec<f32>,
    ) -> Result<(), Error> {
        self.template.row_into_scratch(input, &mut scratch.row)?;
        let (columns, values) = scratch.row.row();
        self.linear.scores_of_parts(columns, values, scores);
        Ok(())
    }
}
