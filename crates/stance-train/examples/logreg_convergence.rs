//! How far `logreg` gets at each iteration limit: fits the `logreg` classifier of a training
//! configuration on stance's own features at several `max_iter` values and prints, per limit,
//! one JSON line with the iterations run, whether the gradient tolerance was reached, the
//! objective and its gradient norm at the fitted weights, and the predicted label of every row
//! of each dev file. Used by `benches/baselines/convergence.py` (EVALUATION.md, "Convergence").
//!
//! ```text
//! cargo run --release -p stance-train --example logreg_convergence -- \
//!     CONFIG.json TRAIN.jsonl MAX_ITER[,MAX_ITER...] [--mtx DIR] [DEV.jsonl...]
//! ```
//!
//! `CONFIG.json` is a `TrainConfig` as JSON (a model's `manifest.parameters` from `stance inspect
//! --json`) whose classifier is `logreg`; the example files are `document`, `target` or `pair`
//! examples as `stance import` writes them. With `--mtx DIR` the training and dev rows are also
//! written as Matrix Market files (`DIR/train.mtx`, `DIR/dev-<i>.mtx`, the f32 values printed in
//! full) with `DIR/labels.json`, so another tool can fit on exactly these features.

use std::fs;
use std::io::Write;
use std::time::Instant;

use linfa::ParamGuard;
use linfa::traits::Fit;
use serde_json::{Value, json};
use sprs::CsMat;
use stance_infer::template::Input;
use stance_train::dataset::sparse_dataset;
use stance_train::logreg::{LogisticRegressionParams, LogisticRegressionValidParams};
use stance_train::train::{ClassifierParams, TrainConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mtx = match args.iter().position(|a| a == "--mtx") {
        Some(i) => {
            let dir = args.remove(i + 1);
            args.remove(i);
            Some(dir)
        }
        None => None,
    };
    if args.len() < 3 {
        return Err(
            "usage: CONFIG.json TRAIN.jsonl MAX_ITER[,..] [--mtx DIR] [DEV.jsonl...]".into(),
        );
    }
    let config: TrainConfig = serde_json::from_str(&fs::read_to_string(&args[0])?)?;
    let ClassifierParams::Logreg(params) = &config.classifier else {
        return Err("the configuration's classifier is not logreg".into());
    };
    let limits: Vec<u64> = args[2]
        .split(',')
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let train = read_examples(&args[1])?;
    let devs: Vec<Vec<Value>> = args[3..]
        .iter()
        .map(|p| read_examples(p))
        .collect::<Result<_, _>>()?;

    let mut labels: Vec<String> = train.iter().map(label).collect();
    labels.sort_unstable();
    labels.dedup();
    let y: Vec<usize> = train
        .iter()
        .map(|e| labels.binary_search(&label(e)).expect("a collected label"))
        .collect();
    let inputs: Vec<Input<'_>> = train.iter().map(input).collect::<Result<_, _>>()?;
    let template = config.template.fit(&inputs)?;
    let x = template.transform(&inputs)?;
    let dev_x: Vec<CsMat<f32>> = devs
        .iter()
        .map(|rows| {
            let inputs: Vec<Input<'_>> = rows.iter().map(input).collect::<Result<_, _>>()?;
            Ok::<_, Box<dyn std::error::Error>>(template.transform(&inputs)?)
        })
        .collect::<Result<_, _>>()?;
    if let Some(dir) = &mtx {
        fs::create_dir_all(dir)?;
        write_mtx(&format!("{dir}/train.mtx"), &x)?;
        for (i, m) in dev_x.iter().enumerate() {
            write_mtx(&format!("{dir}/dev-{i}.mtx"), m)?;
        }
        let dev_labels: Vec<Vec<String>> = devs
            .iter()
            .map(|rows| rows.iter().map(label).collect())
            .collect();
        fs::write(
            format!("{dir}/labels.json"),
            json!({"labels": labels, "train": y, "dev": dev_labels,
                   "features": template.feature_names()})
            .to_string(),
        )?;
    }
    let data = sparse_dataset(x, y)?;
    let out = std::io::stdout();
    for max_iter in limits {
        let started = Instant::now();
        let model = LogisticRegressionParams(LogisticRegressionValidParams {
            max_iter,
            n_classes: labels.len(),
            ..params.clone()
        })
        .check()?
        .fit(&data)?;
        let seconds = started.elapsed().as_secs_f64();
        let linear = model.to_linear(labels.clone())?;
        let predictions: Vec<Vec<&str>> = dev_x
            .iter()
            .map(|m| {
                linear
                    .predict_rows(m)
                    .into_iter()
                    .map(|c| labels[c].as_str())
                    .collect()
            })
            .collect();
        let line = json!({
            "max_iter": max_iter,
            "n_iter": model.n_iter,
            "converged": model.converged,
            "objective": model.objective,
            "gradient_norm": model.gradient_norm,
            "seconds": seconds,
            "predictions": predictions,
        });
        writeln!(out.lock(), "{line}")?;
    }
    Ok(())
}

/// The examples of a JSON-lines file.
fn read_examples(path: &str) -> Result<Vec<Value>, Box<dyn std::error::Error>> {
    fs::read_to_string(path)?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| Ok(serde_json::from_str(l)?))
        .collect()
}

fn label(example: &Value) -> String {
    match &example["label"] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn text<'a>(example: &'a Value, key: &str) -> Result<&'a str, Box<dyn std::error::Error>> {
    example[key]
        .as_str()
        .ok_or_else(|| format!("an example without a string {key:?}").into())
}

/// The template input of an example; a `target_span` in code points becomes a byte range.
fn input(example: &Value) -> Result<Input<'_>, Box<dyn std::error::Error>> {
    match example["task"].as_str() {
        Some("document") => Ok(Input::Document {
            text: text(example, "text")?,
        }),
        Some("target") => {
            let t = text(example, "text")?;
            let byte = |cp: u64| {
                t.char_indices()
                    .nth(cp as usize)
                    .map_or(t.len(), |(b, _)| b)
            };
            let target_span = match &example["target_span"] {
                Value::Array(v) if v.len() == 2 => {
                    let (a, b) = (v[0].as_u64().unwrap_or(0), v[1].as_u64().unwrap_or(0));
                    Some(byte(a)..byte(b))
                }
                _ => None,
            };
            Ok(Input::Target {
                text: t,
                target: text(example, "target")?,
                target_span,
            })
        }
        Some("pair") => Ok(Input::Pair {
            text_a: text(example, "text_a")?,
            text_b: text(example, "text_b")?,
        }),
        other => Err(format!("task {other:?} is not supported here").into()),
    }
}

/// `m` as a Matrix Market coordinate file (1-based), every f32 value printed so that it reads
/// back exactly.
fn write_mtx(path: &str, m: &CsMat<f32>) -> std::io::Result<()> {
    assert!(m.is_csr(), "rows of a CSR matrix");
    let mut s = String::new();
    s.push_str("%%MatrixMarket matrix coordinate real general\n");
    s.push_str(&format!("{} {} {}\n", m.rows(), m.cols(), m.nnz()));
    for (i, row) in m.outer_iterator().enumerate() {
        for (j, &v) in row.iter() {
            s.push_str(&format!("{} {} {:e}\n", i + 1, j + 1, v));
        }
    }
    fs::write(path, s)
}
