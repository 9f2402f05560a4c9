//! `stance eval`: score a model on labelled examples.

use std::io::Write;
use std::path::PathBuf;

use serde_json::json;
use stance_infer::Model;
use stance_infer::linear::probability_map;
use stance_train::metrics::Report;

use crate::data;

/// Arguments of `stance eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file.
    #[arg(long, value_name = "M")]
    pub model: PathBuf,
    /// Labelled examples of the model's task: files or directories of `*.jsonl` (repeatable).
    #[arg(long, required = true, value_name = "TEST")]
    pub data: Vec<PathBuf>,
    /// Write the metrics as JSON (scikit-learn's classification_report layout) to this file.
    #[arg(long, value_name = "M.json")]
    pub metrics_out: Option<PathBuf>,
    /// Write each example's prediction (id, label, gold, probabilities) as JSON Lines.
    #[arg(long, value_name = "PRED.jsonl")]
    pub predictions_out: Option<PathBuf>,
    /// Skip (and report) bad records instead of stopping at the first.
    #[arg(long)]
    pub lenient: bool,
}

/// Runs `stance eval`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let model = Model::load(&args.model)?;
    let task = model.manifest().task;
    let examples = data::load(&args.data, task, args.lenient)?;
    let inputs = data::inputs(&examples)?;
    let predictions = model.predict(&inputs, 0)?;
    // The report's labels: the model's, then gold labels it never learned (never predicted).
    let mut labels = model.manifest().labels.clone();
    let mut gold = Vec::with_capacity(examples.len());
    for e in &examples {
        let Some(label) = &e.label else {
            anyhow::bail!(
                "example {:?} has no label: evaluation needs labelled examples",
                e.id
            );
        };
        let index = match labels.iter().position(|l| l == label) {
            Some(i) => i,
            None => {
                labels.push(label.clone());
                labels.len() - 1
            }
        };
        gold.push(index);
    }
    let predicted: Vec<usize> = predictions.iter().map(|p| p.class).collect();
    let report = Report::new(&labels, &gold, &predicted);
    print_report(&report, &mut std::io::stdout().lock())?;
    if let Some(path) = &args.metrics_out {
        let mut out = stance_corpus::Output::create(path)?;
        serde_json::to_writer_pretty(&mut out, &report.to_json())?;
        writeln!(out)?;
        out.finish()?;
    }
    if let Some(path) = &args.predictions_out {
        let mut out = stance_corpus::Output::create(path)?;
        let model_labels = &model.manifest().labels;
        for ((e, p), g) in examples.iter().zip(&predictions).zip(&gold) {
            let probabilities = probability_map(model_labels, &p.probabilities);
            let line = json!({"id": e.id, "label": labels[p.class], "gold": labels[*g], "probabilities": probabilities});
            serde_json::to_writer(&mut out, &line)?;
            writeln!(out)?;
        }
        out.finish()?;
    }
    Ok(())
}

/// Prints a report as scikit-learn's `classification_report` text does, then the extra scores
/// and the confusion matrix.
pub fn print_report(report: &Report, out: &mut impl Write) -> std::io::Result<()> {
    let width = report
        .labels
        .iter()
        .map(|l| l.chars().count())
        .chain(["weighted avg".len()])
        .max()
        .unwrap_or(12);
    writeln!(
        out,
        "{:>width$} {:>9} {:>9} {:>9} {:>9}",
        "", "precision", "recall", "f1-score", "support"
    )?;
    writeln!(out)?;
    for (label, s) in report.labels.iter().zip(&report.per_label) {
        writeln!(
            out,
            "{label:>width$} {:>9.4} {:>9.4} {:>9.4} {:>9}",
            s.precision, s.recall, s.f1, s.support
        )?;
    }
    writeln!(out)?;
    let n = report.macro_avg.support;
    writeln!(
        out,
        "{:>width$} {:>9} {:>9} {:>9.4} {n:>9}",
        "accuracy", "", "", report.accuracy
    )?;
    for (name, s) in [
        ("macro avg", &report.macro_avg),
        ("weighted avg", &report.weighted_avg),
    ] {
        writeln!(
            out,
            "{name:>width$} {:>9.4} {:>9.4} {:>9.4} {:>9}",
            s.precision, s.recall, s.f1, s.support
        )?;
    }
    if let Some(f) = report.f_avg() {
        writeln!(out, "\nF_avg (mean F1 of FAVOR and AGAINST): {f:.4}")?;
    }
    if let Some(s) = report.fnc_score() {
        writeln!(out, "\nFNC-1 weighted score: {s:.2}% of the maximum")?;
    }
    writeln!(
        out,
        "\nconfusion matrix (rows: gold, columns: predicted; order as above):"
    )?;
    for (label, row) in report.labels.iter().zip(&report.confusion) {
        let cells: Vec<String> = row.iter().map(|c| format!("{c:>6}")).collect();
        writeln!(out, "{label:>width$} {}", cells.join(""))?;
    }
    Ok(())
}
