//! `stance inspect`: what a model is (its manifest) and what it learned (the strongest features
//! of each class).

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::Context;
use stance_infer::Model;

/// Arguments of `stance inspect`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file.
    #[arg(value_name = "MODEL")]
    pub model: PathBuf,
    /// Features listed per class.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Print one JSON object (manifest, sections, top features) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `stance inspect`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let model = Model::load(&args.model)?;
    let top = model.top_features(args.top);
    let manifest = model.manifest();
    let template = model.template();
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        let classes: serde_json::Map<String, serde_json::Value> = manifest
            .labels
            .iter()
            .zip(&top)
            .map(|(label, features)| {
                let list = features
                    .iter()
                    .map(|(name, weight)| serde_json::json!({"feature": name, "weight": weight}))
                    .collect();
                (label.clone(), serde_json::Value::Array(list))
            })
            .collect();
        let value = serde_json::json!({
            "manifest": manifest,
            "n_features": template.n_features(),
            "top_features": classes,
        });
        serde_json::to_writer_pretty(&mut out, &value)?;
        writeln!(out)?;
    } else {
        writeln!(out, "model       {}", args.model.display())?;
        writeln!(out, "task        {}", manifest.task.name())?;
        writeln!(out, "labels      {}", manifest.labels.join(", "))?;
        writeln!(out, "classifier  {}", manifest.classifier)?;
        writeln!(out, "features    {}", template.n_features())?;
        writeln!(out, "trained by  stance {}", manifest.stance_version)?;
        for (key, value) in [
            ("provenance", &manifest.provenance),
            ("metrics", &manifest.metrics),
            ("parameters", &manifest.parameters),
        ] {
            if !value.is_null() {
                let text = serde_json::to_string_pretty(value).context("manifest")?;
                writeln!(out, "{key}:")?;
                for line in text.lines() {
                    writeln!(out, "  {line}")?;
                }
            }
        }
        for (label, features) in manifest.labels.iter().zip(&top) {
            writeln!(out, "\ntop {} features for {label}:", features.len())?;
            for (name, weight) in features {
                writeln!(out, "  {weight:>9.4}  {name}")?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
