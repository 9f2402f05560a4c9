//! `stance predict`: label examples with a model, one output line per input line, in order.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use serde_json::json;
use stance_corpus::{Example, Mode};
use stance_infer::Model;
use stance_infer::linear::probability_map;
use stance_infer::template::Input;

/// Examples scored together.
const BATCH: usize = 4096;

/// Arguments of `stance predict`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file.
    #[arg(long, value_name = "M")]
    pub model: PathBuf,
    /// Examples of the model's task (labelled or not): files or directories of `*.jsonl`
    /// (repeatable); `-` for standard input.
    #[arg(long, required = true, value_name = "EXAMPLES")]
    pub data: Vec<PathBuf>,
    /// Where to write the predictions (default: standard output).
    #[arg(short, long, value_name = "PRED.jsonl")]
    pub output: Option<PathBuf>,
    /// Features listed per prediction (`top_features`); 0 leaves them out.
    #[arg(long, default_value_t = 0)]
    pub top: usize,
    /// Stop at the first bad record (exit 1) instead of writing an `error` line for it.
    #[arg(long)]
    pub strict: bool,
}

/// Runs `stance predict`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let model = Model::load(&args.model)?;
    let task = model.manifest().task;
    let mode = if args.strict {
        Mode::Strict
    } else {
        Mode::Lenient
    };
    let stdout = PathBuf::from("-");
    let mut out = stance_corpus::Output::create(args.output.as_ref().unwrap_or(&stdout))?;
    let (mut written, mut errors) = (0usize, 0usize);
    let mut batch: Vec<Example> = Vec::with_capacity(BATCH);
    for path in stance_corpus::data_files(&args.data)? {
        for item in stance_corpus::examples(&path, task, mode)? {
            match item {
                Ok(example) => {
                    batch.push(example);
                    if batch.len() == BATCH {
                        written += flush(&model, &mut batch, args.top, &mut out)?;
                    }
                }
                Err(e) if !args.strict && e.is_record_error() => {
                    written += flush(&model, &mut batch, args.top, &mut out)?;
                    errors += 1;
                    serde_json::to_writer(&mut out, &json!({"id": null, "error": e.to_string()}))?;
                    writeln!(out)?;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
    written += flush(&model, &mut batch, args.top, &mut out)?;
    out.finish()?;
    eprintln!("predicted {written} examples; {errors} bad records");
    Ok(())
}

/// Predicts and writes `batch`, then empties it.
fn flush(
    model: &Model,
    batch: &mut Vec<Example>,
    top: usize,
    out: &mut impl Write,
) -> anyhow::Result<usize> {
    let inputs: Vec<Input<'_>> = batch
        .iter()
        .enumerate()
        .map(|(i, e)| Input::from_example(e, i))
        .collect::<Result<_, _>>()?;
    let predictions = model
        .predict(&inputs, top)
        .context("cannot score the examples")?;
    let labels = &model.manifest().labels;
    for (example, p) in batch.iter().zip(&predictions) {
        let probabilities = probability_map(labels, &p.probabilities);
        let mut line =
            json!({"id": example.id, "label": labels[p.class], "probabilities": probabilities});
        if let Some(gold) = &example.label {
            line["gold"] = json!(gold);
        }
        if top > 0 {
            line["top_features"] = p
                .top_features
                .iter()
                .map(|(name, weight)| json!({"feature": name, "weight": weight}))
                .collect();
        }
        serde_json::to_writer(&mut *out, &line)?;
        writeln!(out)?;
    }
    let n = batch.len();
    batch.clear();
    Ok(n)
}
