//! `stance cv`: k-fold cross-validation of a training configuration, and a grid search.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use serde_json::json;
use stance_corpus::Task;
use stance_train::config::{build_config, default_grid, expand_grid};
use stance_train::metrics::{Metric, Report};
use stance_train::train::{cross_validate, nested_cross_validate};

use crate::commands::UsageError;
use crate::commands::eval::print_report;
use crate::data;

/// Arguments of `stance cv`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The task of the examples: document, target, pair or mention.
    #[arg(long)]
    pub task: Task,
    /// Labelled examples: files, annotated-document files or directories (repeatable).
    #[arg(long, required = true, value_name = "TRAIN")]
    pub data: Vec<PathBuf>,
    /// Number of folds (stratified by label; examples sharing a `group` stay in one fold).
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// A training configuration (TOML or JSON); its `[grid]` table is the grid of --grid.
    #[arg(long, value_name = "C.toml")]
    pub config: Option<PathBuf>,
    /// The classifier: logreg, nb, nbsvm or linfa-logreg (default: logreg).
    #[arg(long, value_name = "NAME")]
    pub classifier: Option<String>,
    /// Override one configuration value by its dotted path (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// Search a parameter grid (the config's `[grid]`, or the classifier's default grid) and
    /// report the setting with the best cross-validated score (see --select-by). The folds that
    /// choose are the folds that report, so the best score is optimistic; --nested is not.
    #[arg(long)]
    pub grid: bool,
    /// The score a grid search selects by: accuracy, macro_f1, f_avg (SemEval-2016: FAVOR and
    /// AGAINST labels) or fnc_score (FNC-1's four labels).
    #[arg(long, value_name = "METRIC", default_value = "macro_f1")]
    pub select_by: String,
    /// Nested cross-validation of the grid search: in each outer fold the grid is searched by
    /// --inner-folds CV on that fold's training part only, and the chosen setting predicts the
    /// outer test fold; the pooled outer predictions estimate the whole procedure, selection
    /// included. Implies --grid.
    #[arg(long)]
    pub nested: bool,
    /// Inner folds of --nested.
    #[arg(long, default_value_t = 4, value_name = "K")]
    pub inner_folds: usize,
    /// Write the metrics (pooled report, per-fold scores, grid results) as JSON to this file.
    #[arg(long, value_name = "M.json")]
    pub metrics_out: Option<PathBuf>,
    /// Write each example's fold as JSON Lines (`{"id": ..., "fold": 0}`, in input order), so
    /// another tool can be evaluated on the very same folds.
    #[arg(long, value_name = "FOLDS.jsonl")]
    pub folds_out: Option<PathBuf>,
    /// Skip (and report) bad records instead of stopping at the first.
    #[arg(long)]
    pub lenient: bool,
}

/// Runs `stance cv`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let file = args.config.as_deref().map(data::read_config).transpose()?;
    let (config, grid) = build_config(args.task, args.classifier.as_deref(), file, &args.sets)
        .map_err(|e| UsageError(e.to_string()))?;
    let metric = Metric::by_name(&args.select_by).ok_or_else(|| {
        UsageError(format!(
            "--select-by {:?}: expected one of {}",
            args.select_by,
            Metric::NAMES.join(", ")
        ))
    })?;
    let examples = data::load(&args.data, args.task, args.lenient)?;
    let labelled = data::labelled(&examples)?;
    eprintln!(
        "{}-fold cross-validation of {} on {} {} examples ({}){}",
        args.folds,
        config.classifier.name(),
        examples.len(),
        args.task,
        data::label_counts(&labelled),
        if labelled.groups.is_some() {
            ", grouped"
        } else {
            ""
        }
    );
    let points = if args.grid || args.nested {
        let grid = grid.unwrap_or_else(|| default_grid(&config.classifier));
        expand_grid(&config, &grid)?
    } else {
        vec![(Vec::new(), config)]
    };
    if args.nested {
        return run_nested(&args, metric, &points, &examples, &labelled);
    }
    let started = Instant::now();
    let mut results = Vec::new();
    let mut best: Option<(usize, f64)> = None;
    for (i, (settings, config)) in points.iter().enumerate() {
        let cv = cross_validate(config, &labelled, args.folds, |f, k| {
            if f < k && started.elapsed().as_secs() >= 2 {
                eprintln!("  fold {}/{k}", f + 1);
            }
        })?;
        let score = metric.of(&cv.pooled).ok_or_else(|| {
            UsageError(format!(
                "--select-by {}: the labels {:?} have no such score",
                metric.name(),
                cv.pooled.labels
            ))
        })?;
        if args.grid {
            eprintln!(
                "[{}/{}] {}: {}",
                i + 1,
                points.len(),
                settings.join(" "),
                summary(&cv.pooled)
            );
        }
        if best.is_none_or(|(_, f)| score > f) {
            best = Some((i, score));
        }
        results.push(cv);
    }
    let (best, _) = best.expect("at least one point");
    let cv = &results[best];
    let mut out = std::io::stdout().lock();
    if args.grid {
        writeln!(
            out,
            "best of {} settings: {} (by {})",
            points.len(),
            points[best].0.join(" "),
            metric.name()
        )?;
    }
    writeln!(out, "per fold (accuracy, macro F1):")?;
    for (f, r) in cv.folds.iter().enumerate() {
        writeln!(
            out,
            "  fold {}: {:.4} {:.4} ({} examples)",
            f + 1,
            r.accuracy,
            r.macro_avg.f1,
            r.macro_avg.support
        )?;
    }
    writeln!(out, "\npooled out-of-fold predictions:")?;
    print_report(&cv.pooled, &mut out)?;
    if let Some(path) = &args.folds_out {
        write_folds(path, &examples, &cv.fold_of)?;
    }
    if let Some(path) = &args.metrics_out {
        let grid: Vec<serde_json::Value> = points
            .iter()
            .zip(&results)
            .map(|((settings, _), r)| grid_entry(settings, &r.pooled))
            .collect();
        let value = json!({
            "folds": args.folds,
            "seed": points[best].1.seed,
            "grouped": labelled.groups.is_some(),
            "config": points[best].1,
            "pooled": cv.pooled.to_json(),
            "per_fold": cv.folds.iter().map(|r| r.to_json()).collect::<Vec<_>>(),
            "grid": if args.grid { json!(grid) } else { serde_json::Value::Null },
            "select_by": if args.grid { json!(metric.name()) } else { serde_json::Value::Null },
        });
        let mut file = stance_corpus::Output::create(path)?;
        serde_json::to_writer_pretty(&mut file, &value)?;
        writeln!(file)?;
        file.finish()?;
    }
    Ok(())
}

/// Every score of `report` that its labels have, on one line.
/// Writes each example's id and fold, one JSON object a line (`--folds-out`).
fn write_folds(
    path: &std::path::Path,
    examples: &[stance_corpus::Example],
    fold_of: &[usize],
) -> anyhow::Result<()> {
    let mut file = stance_corpus::Output::create(path)?;
    for (e, fold) in examples.iter().zip(fold_of) {
        serde_json::to_writer(&mut file, &json!({"id": e.id, "fold": fold}))?;
        writeln!(file)?;
    }
    file.finish()?;
    Ok(())
}

fn summary(report: &Report) -> String {
    Metric::ALL
        .iter()
        .filter_map(|m| m.of(report).map(|v| format!("{} {v:.4}", m.name())))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A grid point in the metrics JSON: its settings and every score its labels have.
fn grid_entry(settings: &[String], report: &Report) -> serde_json::Value {
    let mut entry = serde_json::Map::new();
    entry.insert("settings".into(), json!(settings));
    for m in Metric::ALL {
        if let Some(v) = m.of(report) {
            entry.insert(m.name().into(), json!(v));
        }
    }
    serde_json::Value::Object(entry)
}

/// `stance cv --nested`.
fn run_nested(
    args: &Args,
    metric: Metric,
    points: &[(Vec<String>, stance_train::train::TrainConfig)],
    examples: &[stance_corpus::Example],
    labelled: &stance_train::train::Labelled<'_>,
) -> anyhow::Result<()> {
    let configs: Vec<_> = points.iter().map(|(_, c)| c.clone()).collect();
    let started = Instant::now();
    eprintln!(
        "nested: {} settings, each scored by {}-fold CV inside every outer fold, chosen by {}",
        points.len(),
        args.inner_folds,
        metric.name()
    );
    let nested = nested_cross_validate(
        &configs,
        labelled,
        args.folds,
        args.inner_folds,
        metric,
        |f, k| {
            if f < k {
                eprintln!(
                    "  outer fold {}/{k} ({:.0} s)",
                    f + 1,
                    started.elapsed().as_secs_f64()
                );
            }
        },
    )?;
    let cv = &nested.cv;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "nested CV: {} outer folds, {} inner folds, selection by {} over {} settings",
        args.folds,
        args.inner_folds,
        metric.name(),
        points.len()
    )?;
    writeln!(out, "per outer fold (accuracy, macro F1, chosen setting):")?;
    for (f, r) in cv.folds.iter().enumerate() {
        writeln!(
            out,
            "  fold {}: {:.4} {:.4} ({} examples) {}",
            f + 1,
            r.accuracy,
            r.macro_avg.f1,
            r.macro_avg.support,
            points[nested.chosen[f]].0.join(" ")
        )?;
    }
    writeln!(out, "\npooled out-of-fold predictions:")?;
    print_report(&cv.pooled, &mut out)?;
    if let Some(path) = &args.folds_out {
        write_folds(path, examples, &cv.fold_of)?;
    }
    if let Some(path) = &args.metrics_out {
        let per_fold: Vec<serde_json::Value> = (0..args.folds)
            .map(|f| {
                json!({
                    "chosen": points[nested.chosen[f]].0,
                    "inner_scores": points.iter().zip(&nested.inner_scores[f])
                        .map(|((s, _), v)| json!({"settings": s, metric.name(): v}))
                        .collect::<Vec<_>>(),
                    "report": cv.folds[f].to_json(),
                })
            })
            .collect();
        let value = json!({
            "folds": args.folds,
            "inner_folds": args.inner_folds,
            "select_by": metric.name(),
            "seed": configs[0].seed,
            "grouped": labelled.groups.is_some(),
            "configs": configs,
            "settings": points.iter().map(|(s, _)| s).collect::<Vec<_>>(),
            "pooled": cv.pooled.to_json(),
            "nested": per_fold,
        });
        let mut file = stance_corpus::Output::create(path)?;
        serde_json::to_writer_pretty(&mut file, &value)?;
        writeln!(file)?;
        file.finish()?;
    }
    Ok(())
}
