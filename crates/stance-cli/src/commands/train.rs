//! `stance train`: fit a model on labelled examples and write it as one file.

use std::path::PathBuf;
use std::time::Instant;

use stance_corpus::Task;
use stance_train::config::build_config;
use stance_train::train::{cross_validate, train_with_progress};

use crate::commands::UsageError;
use crate::data;

/// Arguments of `stance train`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The task of the examples: document, target, pair or mention.
    #[arg(long)]
    pub task: Task,
    /// Training data: example files, annotated-document files, or directories of `*.jsonl`
    /// (repeatable).
    #[arg(long, required = true, value_name = "TRAIN")]
    pub data: Vec<PathBuf>,
    /// A training configuration (TOML, or JSON): template, classifier, seed.
    #[arg(long, value_name = "C.toml")]
    pub config: Option<PathBuf>,
    /// The classifier: logreg, nb, nbsvm or linfa-logreg (default: logreg).
    #[arg(long, value_name = "NAME")]
    pub classifier: Option<String>,
    /// Override one configuration value by its dotted path, e.g. `classifier.c=3` (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// The gazetteer (TOML) of a mention model, saved in the model: `stance score` finds
    /// mentions with it. Every actor and proposal id of the examples must be in it.
    #[arg(long, value_name = "FILE")]
    pub gazetteer: Option<PathBuf>,
    /// Cross-validate with this many folds first and record the scores in the model.
    #[arg(long, value_name = "K")]
    pub cv_folds: Option<usize>,
    /// Skip (and report) bad records instead of stopping at the first.
    #[arg(long)]
    pub lenient: bool,
    /// The model file to write.
    #[arg(short, long, value_name = "MODEL")]
    pub output: PathBuf,
}

/// Runs `stance train`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let file = args.config.as_deref().map(data::read_config).transpose()?;
    let (config, _) = build_config(args.task, args.classifier.as_deref(), file, &args.sets)
        .map_err(|e| UsageError(e.to_string()))?;
    let started = Instant::now();
    let examples = data::load(&args.data, args.task, args.lenient)?;
    let gazetteer = match &args.gazetteer {
        Some(path) if args.task == Task::Mention => Some(data::read_gazetteer(path, &examples)?),
        Some(_) => {
            return Err(UsageError("--gazetteer goes with --task mention".into()).into());
        }
        None => None,
    };
    let labelled = data::labelled(&examples)?;
    eprintln!(
        "training {} on {} {} examples ({})",
        config.classifier.name(),
        examples.len(),
        args.task,
        data::label_counts(&labelled)
    );
    let metrics = match args.cv_folds {
        Some(k) => {
            let cv = cross_validate(&config, &labelled, k, |f, k| {
                if f < k {
                    eprintln!("cross-validation: fold {}/{k}", f + 1);
                }
            })?;
            eprintln!(
                "cross-validation ({k} folds): accuracy {:.4}, macro F1 {:.4}",
                cv.pooled.accuracy, cv.pooled.macro_avg.f1
            );
            serde_json::json!({"cross_validation": {"folds": k, "seed": config.seed, "pooled": cv.pooled.to_json()}})
        }
        None => serde_json::Value::Null,
    };
    let files: Vec<String> = stance_corpus::data_files(&args.data)?
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let provenance = serde_json::json!({
        "data": files,
        "examples": examples.len(),
        "data_fingerprint": stance_corpus::fingerprint(&examples),
        "seed": config.seed,
    });
    let stage_started = Instant::now();
    let mut model = train_with_progress(&config, &labelled, provenance, |stage| match stage {
        "features" => eprintln!("building the feature template"),
        _ => eprintln!(
            "fitting {} ({:.1} s so far)",
            config.classifier.name(),
            stage_started.elapsed().as_secs_f64()
        ),
    })?
    .with_metrics(metrics);
    if let Some(source) = gazetteer {
        model = model.with_gazetteer(source);
    }
    model.save(&args.output)?;
    eprintln!(
        "wrote {} ({} features, {} labels) in {:.1} s",
        args.output.display(),
        model.template().n_features(),
        model.manifest().labels.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
