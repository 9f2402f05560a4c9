//! Evaluation metrics in scikit-learn's `classification_report(output_dict=True)` layout, plus
//! the confusion matrix and the two task scores the public benchmarks publish: SemEval-2016's
//! F_avg and FNC-1's weighted score.

use serde::Serialize;
use serde_json::{Map, Value, json};

/// The score a grid search selects by (`stance cv --select-by`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Fraction of correct predictions.
    Accuracy,
    /// Unweighted mean F1 over labels.
    MacroF1,
    /// SemEval-2016's F_avg (needs FAVOR and AGAINST labels).
    FAvg,
    /// FNC-1's weighted score (needs FNC-1's four labels).
    FncScore,
}

impl Metric {
    /// Every metric, in the order of [`Metric::NAMES`].
    pub const ALL: [Metric; 4] = [
        Metric::Accuracy,
        Metric::MacroF1,
        Metric::FAvg,
        Metric::FncScore,
    ];
    /// The names `stance cv --select-by` takes.
    pub const NAMES: [&'static str; 4] = ["accuracy", "macro_f1", "f_avg", "fnc_score"];

    /// The metric called `name` (one of [`Metric::NAMES`]).
    pub fn by_name(name: &str) -> Option<Metric> {
        let i = Metric::NAMES.iter().position(|n| *n == name)?;
        Some(Metric::ALL[i])
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        Metric::NAMES[Metric::ALL
            .iter()
            .position(|m| *m == self)
            .expect("every metric is listed")]
    }

    /// Its value on `report`, or `None` when the labels do not fit it.
    pub fn of(self, report: &Report) -> Option<f64> {
        match self {
            Metric::Accuracy => Some(report.accuracy),
            Metric::MacroF1 => Some(report.macro_avg.f1),
            Metric::FAvg => report.f_avg(),
            Metric::FncScore => report.fnc_score(),
        }
    }
}

/// Precision, recall, F1 and support of one label or one average.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Scores {
    /// Correct predictions of the label / predictions of the label (0 when there are none).
    pub precision: f64,
    /// Correct predictions of the label / examples of the label (0 when there are none).
    pub recall: f64,
    /// Harmonic mean of precision and recall (0 when both are 0).
    #[serde(rename = "f1-score")]
    pub f1: f64,
    /// Examples with the label.
    pub support: usize,
}

/// An evaluation of predictions against gold labels.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The labels, in the order of the confusion matrix.
    pub labels: Vec<String>,
    /// Per label.
    pub per_label: Vec<Scores>,
    /// Fraction of correct predictions.
    pub accuracy: f64,
    /// Unweighted mean over labels.
    pub macro_avg: Scores,
    /// Mean over labels weighted by support.
    pub weighted_avg: Scores,
    /// `confusion[gold][predicted]` counts.
    pub confusion: Vec<Vec<usize>>,
}

impl Report {
    /// Scores `predicted` against `gold` (class indices into `labels`).
    pub fn new(labels: &[String], gold: &[usize], predicted: &[usize]) -> Report {
        assert_eq!(gold.len(), predicted.len(), "one prediction per example");
        let k = labels.len();
        let mut confusion = vec![vec![0usize; k]; k];
        for (&g, &p) in gold.iter().zip(predicted) {
            confusion[g][p] += 1;
        }
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let per_label: Vec<Scores> = (0..k)
            .map(|c| {
                let tp = confusion[c][c];
                let support: usize = confusion[c].iter().sum();
                let predicted: usize = confusion.iter().map(|row| row[c]).sum();
                let precision = ratio(tp, predicted);
                let recall = ratio(tp, support);
                let f1 = if precision + recall == 0.0 {
                    0.0
                } else {
                    2.0 * precision * recall / (precision + recall)
                };
                Scores {
                    precision,
                    recall,
                    f1,
                    support,
                }
            })
            .collect();
        let n = gold.len();
        let correct: usize = (0..k).map(|c| confusion[c][c]).sum();
        let average = |weight: &dyn Fn(&Scores) -> f64| {
            let total: f64 = per_label.iter().map(weight).sum();
            let mean = |f: fn(&Scores) -> f64| {
                if total == 0.0 {
                    0.0
                } else {
                    per_label.iter().map(|s| f(s) * weight(s)).sum::<f64>() / total
                }
            };
            Scores {
                precision: mean(|s| s.precision),
                recall: mean(|s| s.recall),
                f1: mean(|s| s.f1),
                support: n,
            }
        };
        Report {
            labels: labels.to_vec(),
            macro_avg: average(&|_| 1.0),
            weighted_avg: average(&|s| s.support as f64),
            per_label,
            accuracy: ratio(correct, n),
            confusion,
        }
    }

    fn label_f1(&self, label: &str) -> Option<f64> {
        let i = self
            .labels
            .iter()
            .position(|l| l.eq_ignore_ascii_case(label))?;
        Some(self.per_label[i].f1)
    }

    /// SemEval-2016 Task 6's F_avg: the mean F1 of FAVOR and AGAINST, when both labels exist.
    pub fn f_avg(&self) -> Option<f64> {
        Some((self.label_f1("FAVOR")? + self.label_f1("AGAINST")?) / 2.0)
    }

    /// FNC-1's weighted score as a percentage of the best possible, when the labels are FNC-1's
    /// (agree, disagree, discuss, unrelated): 0.25 for telling related from unrelated right,
    /// 0.75 more for the right related label.
    pub fn fnc_score(&self) -> Option<f64> {
        let names = ["agree", "disagree", "discuss", "unrelated"];
        let index: Vec<usize> = names
            .iter()
            .map(|n| self.labels.iter().position(|l| l == n))
            .collect::<Option<_>>()?;
        if self.labels.len() != 4 {
            return None;
        }
        let unrelated = index[3];
        let (mut score, mut best) = (0.0, 0.0);
        for (g, row) in self.confusion.iter().enumerate() {
            for (p, &count) in row.iter().enumerate() {
                let count = count as f64;
                let mut s = 0.0;
                if g == p {
                    s += 0.25;
                    if g != unrelated {
                        s += 0.5;
                    }
                }
                if g != unrelated && p != unrelated {
                    s += 0.25;
                }
                score += s * count;
                best += count * if g == unrelated { 0.25 } else { 1.0 };
            }
        }
        Some(if best == 0.0 {
            0.0
        } else {
            100.0 * score / best
        })
    }

    /// The report as JSON: scikit-learn's `classification_report(output_dict=True)` keys (one
    /// per label, `accuracy`, `macro avg`, `weighted avg`), then `confusion_matrix` (rows =
    /// gold, in `labels` order), `labels`, and `f_avg` / `fnc_score` where the labels fit.
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        for (label, scores) in self.labels.iter().zip(&self.per_label) {
            out.insert(label.clone(), json!(scores));
        }
        out.insert("accuracy".into(), json!(self.accuracy));
        out.insert("macro avg".into(), json!(self.macro_avg));
        out.insert("weighted avg".into(), json!(self.weighted_avg));
        out.insert("confusion_matrix".into(), json!(self.confusion));
        out.insert("labels".into(), json!(self.labels));
        if let Some(f) = self.f_avg() {
            out.insert("f_avg".into(), json!(f));
        }
        if let Some(s) = self.fnc_score() {
            out.insert("fnc_score".into(), json!(s));
        }
        Value::Object(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn fnc_score_of_perfect_and_all_unrelated_predictions() {
        let l = labels(&["agree", "disagree", "discuss", "unrelated"]);
        let gold = [0, 1, 2, 3, 3];
        assert_eq!(Report::new(&l, &gold, &gold).fnc_score(), Some(100.0));
        // All "unrelated": only the two unrelated examples score, 0.25 each, of 3 + 0.5.
        let r = Report::new(&l, &gold, &[3; 5]);
        assert!((r.fnc_score().unwrap() - 100.0 * 0.5 / 3.5).abs() < 1e-12);
        // A related example given the wrong related label still scores 0.25.
        let r = Report::new(&l, &[0], &[2]);
        assert_eq!(r.fnc_score(), Some(25.0));
    }

    #[test]
    fn metrics_by_name() {
        let l = labels(&["AGAINST", "FAVOR", "NONE"]);
        let r = Report::new(&l, &[0, 1, 2, 0], &[0, 1, 0, 0]);
        for (name, value) in [
            ("accuracy", Some(0.75)),
            ("macro_f1", Some(r.macro_avg.f1)),
            ("f_avg", r.f_avg()),
            ("fnc_score", None),
        ] {
            let m = Metric::by_name(name).unwrap();
            assert_eq!(m.name(), name);
            assert_eq!(m.of(&r), value, "{name}");
        }
        assert_eq!(Metric::by_name("f1"), None);
    }

    #[test]
    fn f_avg_needs_favor_and_against() {
        let l = labels(&["AGAINST", "FAVOR", "NONE"]);
        let r = Report::new(&l, &[0, 1, 2, 0], &[0, 1, 0, 0]);
        let expected = (r.per_label[0].f1 + r.per_label[1].f1) / 2.0;
        assert_eq!(r.f_avg(), Some(expected));
        assert_eq!(
            Report::new(&labels(&["pos", "neg"]), &[0], &[0]).f_avg(),
            None
        );
    }
}
