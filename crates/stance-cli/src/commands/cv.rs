//! `stance cv`: k-fold cross-validation of a training configuration, and a grid search.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use serde_json::json;
use stance_corpus::Task;
use stance_train::config::{build_config, default_grid, expand_grid};
use stance_train::train::cross_validate;

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
    /// report the setting with the best cross-validated macro F1.
    #[arg(long)]
    pub grid: bool,
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
    let points = if args.grid {
        let grid = grid.unwrap_or_else(|| default_grid(&config.classifier));
        expand_grid(&config, &grid)?
    } else {
        vec![(Vec::new(), config)]
    };
    let started = Instant::now();
    let mut results = Vec::new();
    let mut best: Option<(usize, f64)> = None;
    for (i, (settings, config)) in points.iter().enumerate() {
        let cv = cross_validate(config, &labelled, args.folds, |f, k| {
            if f < k && started.elapsed().as_secs() >= 2 {
                eprintln!("  fold {}/{k}", f + 1);
            }
        })?;
        let macro_f1 = cv.pooled.macro_avg.f1;
        if args.grid {
            eprintln!(
                "[{}/{}] {}: macro F1 {macro_f1:.4}, accuracy {:.4}",
                i + 1,
                points.len(),
                settings.join(" "),
                cv.pooled.accuracy
            );
        }
        if best.is_none_or(|(_, f)| macro_f1 > f) {
            best = Some((i, macro_f1));
        }
        results.push(cv);
    }
    let (best, _) = best.expect("at least one point");
    let cv = &results[best];
    let mut out = std::io::stdout().lock();
    if args.grid {
        writeln!(
            out,
            "best of {} settings: {}",
            points.len(),
            points[best].0.join(" ")
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
        let mut file = stance_corpus::Output::create(path)?;
        for (e, fold) in examples.iter().zip(&cv.fold_of) {
            serde_json::to_writer(&mut file, &json!({"id": e.id, "fold": fold}))?;
            writeln!(file)?;
        }
        file.finish()?;
    }
    if let Some(path) = &args.metrics_out {
        let grid: Vec<serde_json::Value> = points
            .iter()
            .zip(&results)
            .map(|((settings, _), r)| json!({"settings": settings, "macro_f1": r.pooled.macro_avg.f1, "accuracy": r.pooled.accuracy}))
            .collect();
        let value = json!({
            "folds": args.folds,
            "seed": points[best].1.seed,
            "grouped": labelled.groups.is_some(),
            "config": points[best].1,
            "pooled": cv.pooled.to_json(),
            "per_fold": cv.folds.iter().map(|r| r.to_json()).collect::<Vec<_>>(),
            "grid": if args.grid { json!(grid) } else { serde_json::Value::Null },
        });
        let mut file = stance_corpus::Output::create(path)?;
        serde_json::to_writer_pretty(&mut file, &value)?;
        writeln!(file)?;
        file.finish()?;
    }
    Ok(())
}
