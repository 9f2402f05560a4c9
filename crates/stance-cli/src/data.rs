//! Reading the examples and configuration of `train`, `cv` and `eval`.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use stance_corpus::{Example, Mode, Task};
use stance_features::gazetteer::Gazetteer;
use stance_infer::template::Input;
use stance_train::train::Labelled;

/// Every example of `task` in `paths` (files, or directories of `*.jsonl`), in order. Strict
/// unless `lenient`, when bad records are reported on standard error and skipped.
pub fn load(paths: &[PathBuf], task: Task, lenient: bool) -> anyhow::Result<Vec<Example>> {
    let mode = if lenient { Mode::Lenient } else { Mode::Strict };
    let mut examples = Vec::new();
    let mut errors = Vec::new();
    for path in stance_corpus::data_files(paths)? {
        examples.extend(stance_corpus::read_examples(
            &path,
            task,
            mode,
            &mut errors,
        )?);
    }
    for e in &errors {
        eprintln!("skipped: {e}");
    }
    if !errors.is_empty() {
        eprintln!("{} bad records skipped", errors.len());
    }
    if examples.is_empty() {
        bail!("no {task} examples in {}", names(paths));
    }
    Ok(examples)
}

fn names(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The model inputs of `examples`.
pub fn inputs(examples: &[Example]) -> anyhow::Result<Vec<Input<'_>>> {
    examples
        .iter()
        .enumerate()
        .map(|(i, e)| Input::from_example(e, i).map_err(anyhow::Error::from))
        .collect()
}

/// Labelled examples for training: every example must have a label.
pub fn labelled(examples: &[Example]) -> anyhow::Result<Labelled<'_>> {
    let mut labels = Vec::with_capacity(examples.len());
    for e in examples {
        match &e.label {
            Some(label) => labels.push(label.as_str()),
            None => bail!(
                "example {:?} has no label: training and evaluation need labelled examples",
                e.id
            ),
        }
    }
    let groups = examples.iter().any(|e| e.group.is_some()).then(|| {
        examples
            .iter()
            .map(|e| e.group.clone().unwrap_or_else(|| e.id.clone()))
            .collect()
    });
    Ok(Labelled::new(inputs(examples)?, &labels, groups)?)
}

/// A config file (TOML, or JSON when it ends in `.json`) as JSON.
pub fn read_config(path: &Path) -> anyhow::Result<serde_json::Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).with_context(|| format!("{} is not valid JSON", path.display()))
    } else {
        let value: toml::Value = toml::from_str(&text)
            .with_context(|| format!("{} is not valid TOML", path.display()))?;
        Ok(serde_json::to_value(value)?)
    }
}

/// Label counts, for summaries: `label n, label n`.
pub fn label_counts(data: &Labelled<'_>) -> String {
    let mut counts = vec![0usize; data.labels.len()];
    for &y in &data.y {
        counts[y] += 1;
    }
    data.labels
        .iter()
        .zip(counts)
        .map(|(l, n)| format!("{l} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The gazetteer at `path` (TOML), checked to compile and to know every actor and proposal id
/// of the mention examples.
pub fn read_gazetteer(path: &Path, examples: &[Example]) -> anyhow::Result<String> {
    let source =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let gazetteer = Gazetteer::from_toml(&source, &path.display().to_string())?;
    let mut unknown = std::collections::BTreeSet::new();
    for e in examples {
        if let stance_corpus::Input::Mention {
            actor, proposal, ..
        } = &e.input
        {
            if gazetteer.actor_id(actor).is_none() {
                unknown.insert(format!("actor {actor:?}"));
            }
            if gazetteer.proposal_id(proposal).is_none() {
                unknown.insert(format!("proposal {proposal:?}"));
            }
        }
    }
    if !unknown.is_empty() {
        bail!(
            "{} lacks ids the examples use: {}",
            path.display(),
            unknown.into_iter().collect::<Vec<_>>().join(", ")
        );
    }
    Ok(source)
}
