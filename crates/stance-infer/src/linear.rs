//! Linear scoring: every classifier stance trains is exported to one weight per (feature, class)
//! and an intercept per class, so scoring is a sparse dot product whatever fitted the weights.
//!
//! Weights are stored feature-major (`coef[feature * classes + class]`): a sparse row touches
//! only the weights of its non-zero features, and each of those is one contiguous run of
//! `classes` values.

use serde::{Deserialize, Serialize};
use sprs::{CsMat, CsVecView};

use crate::Error;
use crate::artefact::{Artefact, ArtefactWriter};

/// How class scores become probabilities.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Link {
    /// Softmax over the class scores: multinomial logistic regression, and naive Bayes, whose
    /// scores are joint log-likelihoods.
    #[default]
    Softmax,
    /// A logistic sigmoid per class, normalized to sum to one: one-vs-rest models (a linear SVM
    /// whose scores were Platt-scaled into the weights).
    OneVsRest,
}

/// A fitted linear classifier.
#[derive(Clone, Debug, PartialEq)]
pub struct LinearModel {
    labels: Vec<String>,
    n_features: usize,
    coef: Vec<f32>,
    intercept: Vec<f32>,
    link: Link,
}

#[derive(Serialize, Deserialize)]
struct Shape {
    n_features: usize,
    link: Link,
}

impl LinearModel {
    /// A model from its labels, feature-major weights (`coef[feature * labels.len() + class]`)
    /// and intercepts.
    pub fn new(
        labels: Vec<String>,
        n_features: usize,
        coef: Vec<f32>,
        intercept: Vec<f32>,
        link: Link,
    ) -> Result<Self, Error> {
        let k = labels.len();
        let bad = |reason: String| Err(Error::Model { reason });
        if k < 2 {
            return bad(format!("a classifier needs at least two labels, not {k}"));
        }
        if coef.len() != n_features * k || intercept.len() != k {
            return bad(format!(
                "{} weights and {} intercepts for {n_features} features × {k} labels",
                coef.len(),
                intercept.len()
            ));
        }
        if let Some(i) = coef.iter().chain(&intercept).position(|w| !w.is_finite()) {
            return bad(format!("weight {i} is not a finite number"));
        }
        let mut sorted = labels.clone();
        sorted.sort_unstable();
        if sorted.windows(2).any(|w| w[0] == w[1]) {
            return bad("two classes have the same label".into());
        }
        Ok(LinearModel {
            labels,
            n_features,
            coef,
            intercept,
            link,
        })
    }

    /// The class labels, in score order.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The number of features a row must have.
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// The intercept of each class.
    pub fn intercepts(&self) -> &[f32] {
        &self.intercept
    }

    /// The weight of `feature` for `class`.
    pub fn weight(&self, feature: usize, class: usize) -> f32 {
        self.coef[feature * self.labels.len() + class]
    }

    /// The class scores of `row` (its dimension must be [`LinearModel::n_features`]), written
    /// into `scores`.
    pub fn scores_into(&self, row: CsVecView<'_, f32>, scores: &mut Vec<f32>) {
        self.scores_of(row.iter().map(|(f, &v)| (f, v)), scores);
    }

    /// The class scores of a row given as its increasing `columns` and their `values` (as
    /// [`FittedTemplate::row_into`](crate::template::FittedTemplate::row_into) writes them),
    /// written into `scores`: the same sums, in the same order, as [`LinearModel::scores_into`].
    ///
    /// Panics if a column is not below [`LinearModel::n_features`].
    pub fn scores_of_parts(&self, columns: &[usize], values: &[f32], scores: &mut Vec<f32>) {
        self.scores_of(columns.iter().copied().zip(values.iter().copied()), scores);
    }

    /// The class scores of `row`: the intercepts, then `weight * value` added feature by feature
    /// in row order. Two and three classes (every shipped model) run on fixed-size arrays, the
    /// same additions in the same order without a bounds check or loop per class.
    #[inline]
    pub(crate) fn scores_of(&self, row: impl Iterator<Item = (usize, f32)>, scores: &mut Vec<f32>) {
        scores.clear();
        match self.labels.len() {
            2 => scores.extend(self.fixed_scores_of::<2>(row)),
            3 => scores.extend(self.fixed_scores_of::<3>(row)),
            k => {
                scores.extend_from_slice(&self.intercept);
                for (feature, value) in row {
                    let weights = &self.coef[feature * k..feature * k + k];
                    for (s, w) in scores.iter_mut().zip(weights) {
                        *s += w * value;
                    }
                }
            }
        }
    }

    /// [`scores_of`](Self::scores_of) for a model of `K` classes. Never inlined: in a
    /// function of its own the sums stay in registers, where inlined into a caller's larger
    /// body (the sentiment of an article's sentences) they were loaded and stored again for
    /// every feature.
    #[inline(never)]
    fn fixed_scores_of<const K: usize>(&self, row: impl Iterator<Item = (usize, f32)>) -> [f32; K] {
        let mut scores: [f32; K] = self.intercept[..].try_into().expect("K intercepts");
        for (feature, value) in row {
            let weights: &[f32; K] = self.coef[feature * K..feature * K + K]
                .try_into()
                .expect("K weights");
            for c in 0..K {
                scores[c] += weights[c] * value;
            }
        }
        scores
    }

    /// Turns class scores into probabilities in place, with the model's link.
    pub fn link_apply(&self, scores: &mut [f32]) {
        self.link.apply(scores);
    }

    /// The class probabilities of `row`.
    pub fn predict_proba(&self, row: CsVecView<'_, f32>) -> Vec<f32> {
        let mut scores = Vec::with_capacity(self.labels.len());
        self.scores_into(row, &mut scores);
        self.link.apply(&mut scores);
        scores
    }

    /// The same weights under other `labels` (as many as there are classes).
    pub fn with_labels(self, labels: Vec<String>) -> Result<Self, Error> {
        LinearModel::new(
            labels,
            self.n_features,
            self.coef,
            self.intercept,
            self.link,
        )
    }

    /// Class probabilities of every row of `x`, row-major (`rows × classes`).
    pub fn predict_proba_rows(&self, x: &CsMat<f32>) -> Vec<f32> {
        let mut out = Vec::with_capacity(x.rows() * self.labels.len());
        let mut scores = Vec::with_capacity(self.labels.len());
        for row in x.outer_iterator() {
            self.scores_into(row, &mut scores);
            self.link.apply(&mut scores);
            out.extend_from_slice(&scores);
        }
        out
    }

    /// The most probable class of every row of `x`.
    pub fn predict_rows(&self, x: &CsMat<f32>) -> Vec<usize> {
        self.predict_proba_rows(x)
            .chunks(self.labels.len())
            .map(argmax)
            .collect()
    }

    /// The `k` features of `row` that push it most toward `class`, strongest first: value ×
    /// (weight for `class` − mean weight over classes). Softmax is unchanged by adding the same
    /// amount to every class's weight of a feature, so only the centred weight says how much a
    /// feature favours one class over the others.
    pub fn contributions(
        &self,
        row: CsVecView<'_, f32>,
        class: usize,
        k: usize,
    ) -> Vec<(usize, f32)> {
        if k == 0 {
            return Vec::new();
        }
        let n = self.labels.len();
        let mut out: Vec<(usize, f32)> = row
            .iter()
            .map(|(feature, &value)| {
                let weights = &self.coef[feature * n..feature * n + n];
                let mean = weights.iter().sum::<f32>() / n as f32;
                (feature, value * (weights[class] - mean))
            })
            .filter(|&(_, c)| c > 0.0)
            .collect();
        // Largest first, ties by feature: a total order (features are distinct), so selecting
        // the k largest and sorting only them gives the full sort's first k.
        let order = |a: &(usize, f32), b: &(usize, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if out.len() > k {
            out.select_nth_unstable_by(k - 1, order);
            out.truncate(k);
        }
        out.sort_unstable_by(order);
        out
    }

    /// Writes the model's sections under `prefix`.
    pub fn write(&self, w: &mut ArtefactWriter, prefix: &str) -> Result<(), Error> {
        w.json(
            &format!("{prefix}.shape"),
            &Shape {
                n_features: self.n_features,
                link: self.link,
            },
        )?;
        w.strings(&format!("{prefix}.labels"), &self.labels)?;
        w.f32s(&format!("{prefix}.coef"), &self.coef)?;
        w.f32s(&format!("{prefix}.intercept"), &self.intercept)
    }

    /// Reads a model written by [`LinearModel::write`].
    pub fn read(a: &Artefact, prefix: &str) -> Result<Self, Error> {
        let shape: Shape = a.json(&format!("{prefix}.shape"))?;
        let labels = a
            .strings(&format!("{prefix}.labels"))?
            .into_iter()
            .map(str::to_owned)
            .collect();
        LinearModel::new(
            labels,
            shape.n_features,
            a.f32s(&format!("{prefix}.coef"))?,
            a.f32s(&format!("{prefix}.intercept"))?,
            shape.link,
        )
        .map_err(|e| Error::Corrupt {
            origin: a.origin().to_owned(),
            reason: e.to_string(),
        })
    }
}

/// The index of the largest value; the first of equals (0 for an empty slice).
pub fn argmax(values: &[f32]) -> usize {
    let mut best = 0;
    for (i, v) in values.iter().enumerate() {
        if *v > values[best] {
            best = i;
        }
    }
    best
}

/// Labels and their probabilities as a JSON object, in label order (the `probabilities` field
/// of every prediction stance writes).
pub fn probability_map(
    labels: &[String],
    values: &[f32],
) -> serde_json::Map<String, serde_json::Value> {
    labels
        .iter()
        .zip(values)
        .map(|(l, p)| (l.clone(), serde_json::Value::from(*p)))
        .collect()
}

impl Link {
    /// Turns class scores into probabilities in place.
    pub fn apply(self, scores: &mut [f32]) {
        match self {
            Link::Softmax => {
                let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                let mut sum = 0.0;
                for s in scores.iter_mut() {
                    *s = (*s - max).exp();
                    sum += *s;
                }
                for s in scores.iter_mut() {
                    *s /= sum;
                }
            }
            Link::OneVsRest => {
                let mut sum = 0.0;
                for s in scores.iter_mut() {
                    *s = 1.0 / (1.0 + (-*s).exp());
                    sum += *s;
                }
                for s in scores.iter_mut() {
                    *s /= sum;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sprs::CsVec;

    fn model() -> LinearModel {
        // 3 features × 2 classes.
        LinearModel::new(
            vec!["oppose".into(), "support".into()],
            3,
            vec![2.0, -2.0, 0.5, 0.5, -1.0, 1.0],
            vec![0.0, 0.25],
            Link::Softmax,
        )
        .unwrap()
    }

    #[test]
    fn probabilities_are_the_softmax_of_the_scores() {
        let m = model();
        let row = CsVec::new(3, vec![0, 2], vec![1.0f32, 0.5]);
        let mut scores = Vec::new();
        m.scores_into(row.view(), &mut scores);
        assert_eq!(scores, [1.5, -1.25]);
        let p = m.predict_proba(row.view());
        let expected = 1.0 / (1.0 + (-2.75f32).exp());
        assert!((p[0] - expected).abs() < 1e-6, "{p:?}");
        assert!((p[0] + p[1] - 1.0).abs() < 1e-6);
    }

    #[test]
    fn scores_are_the_same_sums_for_every_class_count() {
        // Weights and values whose sums round differently in another order.
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || (crate::testing::xorshift(&mut x) % 20_001) as f32 / 7.0 - 1428.0;
        for k in 2..=5 {
            let n_features = 50;
            let coef: Vec<f32> = (0..n_features * k).map(|_| next()).collect();
            let intercept: Vec<f32> = (0..k).map(|_| next() / 100.0).collect();
            let labels = (0..k).map(|c| format!("class {c}")).collect();
            let m = LinearModel::new(
                labels,
                n_features,
                coef.clone(),
                intercept.clone(),
                Link::Softmax,
            )
            .unwrap();
            let columns: Vec<usize> = (0..n_features).step_by(3).collect();
            let values: Vec<f32> = columns.iter().map(|_| next() / 1000.0).collect();
            let mut expected = intercept.clone();
            for (&f, &v) in columns.iter().zip(&values) {
                for c in 0..k {
                    expected[c] += coef[f * k + c] * v;
                }
            }
            let mut scores = Vec::new();
            m.scores_of_parts(&columns, &values, &mut scores);
            let bits = |s: &[f32]| s.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&scores), bits(&expected), "{k} classes");
            let row = CsVec::new(n_features, columns.clone(), values.clone());
            m.scores_into(row.view(), &mut scores);
            assert_eq!(bits(&scores), bits(&expected), "{k} classes, sparse row");
        }
    }

    #[test]
    fn softmax_does_not_overflow() {
        let mut s = [1000.0f32, 0.0, -1000.0];
        Link::Softmax.apply(&mut s);
        assert_eq!(s, [1.0, 0.0, 0.0]);
    }

    #[test]
    fn contributions_use_centred_weights() {
        let m = model();
        let row = CsVec::new(3, vec![0, 1, 2], vec![1.0f32, 1.0, 1.0]);
        // Feature 1 has the same weight for both classes: it explains nothing.
        assert_eq!(m.contributions(row.view(), 0, 5), [(0, 2.0)]);
        assert_eq!(m.contributions(row.view(), 1, 5), [(2, 1.0)]);
    }

    #[test]
    fn top_contributions_are_the_first_of_the_full_sort() {
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        let (n_features, k) = (200, 3);
        // Few distinct weights, so that many contributions tie.
        let coef: Vec<f32> = (0..n_features * k)
            .map(|_| (crate::testing::xorshift(&mut x) % 9) as f32 - 4.0)
            .collect();
        let labels = (0..k).map(|c| format!("class {c}")).collect();
        let m = LinearModel::new(
            labels,
            n_features,
            coef.clone(),
            vec![0.0; k],
            Link::Softmax,
        )
        .unwrap();
        for density in [1, 3, 17] {
            let columns: Vec<usize> = (0..n_features).step_by(density).collect();
            let values: Vec<f32> = columns
                .iter()
                .map(|_| (crate::testing::xorshift(&mut x) % 3 + 1) as f32)
                .collect();
            let row = CsVec::new(n_features, columns.clone(), values.clone());
            for class in 0..k {
                let mut all: Vec<(usize, f32)> = columns
                    .iter()
                    .zip(&values)
                    .map(|(&f, &v)| {
                        let w = &coef[f * k..f * k + k];
                        (f, v * (w[class] - w.iter().sum::<f32>() / k as f32))
                    })
                    .filter(|&(_, c)| c > 0.0)
                    .collect();
                all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                for top in [0, 1, 5, 40, 1000] {
                    let want: Vec<(usize, f32)> = all.iter().take(top).copied().collect();
                    assert_eq!(m.contributions(row.view(), class, top), want, "top {top}");
                }
            }
        }
    }

    #[test]
    fn bad_shapes_are_refused() {
        let labels = || vec!["a".to_string(), "b".to_string()];
        assert!(LinearModel::new(labels(), 2, vec![0.0; 3], vec![0.0; 2], Link::Softmax).is_err());
        assert!(
            LinearModel::new(vec!["a".into()], 1, vec![0.0], vec![0.0], Link::Softmax).is_err()
        );
        assert!(
            LinearModel::new(
                vec!["a".into(), "a".into()],
                0,
                vec![],
                vec![0.0; 2],
                Link::Softmax
            )
            .is_err()
        );
        assert!(
            LinearModel::new(
                labels(),
                1,
                vec![f32::NAN, 0.0],
                vec![0.0; 2],
                Link::Softmax
            )
            .is_err()
        );
    }

    #[test]
    fn round_trip_through_a_container() {
        let mut w = ArtefactWriter::new();
        model().write(&mut w, "linear").unwrap();
        let a = Artefact::from_bytes(w.to_bytes(), "m").unwrap();
        assert_eq!(LinearModel::read(&a, "linear").unwrap(), model());
    }
}
