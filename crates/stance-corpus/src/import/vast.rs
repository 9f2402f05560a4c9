//! VAST (Allaway & McKeown 2020), zero- and few-shot stance on comments, in either of its two
//! published CSV layouts, told apart by the header:
//!
//! - the authors' files (`vast_train.csv`, ...): `post` → `text`, `topic_str` → `target`,
//!   `label` → `label` (`0` con, `1` pro, `2` neutral, verbatim), `new_id` → `id`, `arc_id` →
//!   `group` (one per post: a post's topics stay in one fold); the columns `author`,
//!   `ori_topic`, `ori_id`, `new_topic`, `type_idx`, `seen?` and `contains_topic?` are kept as
//!   fields of the same names; the preprocessed copies (`text`, `pos_text`, `text_s`, `topic`)
//!   are left out;
//! - the 4-column derivative (`Tweet`, `Target`, `Stance`, `seen?`): `id` =
//!   `vast:<file>:<row>`, `seen?` kept.
//!
//! Either way each row becomes a `target` example.

use std::path::Path;

use serde_json::Value;

use super::csv_rows::{CsvRows, CsvSource};
use super::{Source, file_stem};
use crate::error::Error;
use crate::example::{Example, Input};

/// The authors' columns kept as fields of the examples.
const KEPT: [&str; 7] = [
    "author",
    "ori_topic",
    "ori_id",
    "new_topic",
    "type_idx",
    "seen?",
    "contains_topic?",
];

pub(crate) fn open(path: &Path) -> Result<Box<dyn Source>, Error> {
    let rows = CsvRows::open(path, b',')?;
    if rows.find("post").is_some() {
        authors_layout(rows)
    } else if rows.find("Tweet").is_some() {
        derived_layout(rows, path)
    } else {
        Err(Error::Input {
            path: rows.name().to_owned(),
            line: Some(1),
            reason: format!(
                "not a VAST file: the header has neither \"post\" nor \"Tweet\" (columns: {})",
                rows.header().join(", ")
            ),
        })
    }
}

fn authors_layout(rows: CsvRows) -> Result<Box<dyn Source>, Error> {
    let post = rows.column("post")?;
    let topic = rows.column("topic_str")?;
    let label = rows.column("label")?;
    let id = rows.column("new_id")?;
    let group = rows.column("arc_id")?;
    let kept: Vec<(usize, &str)> = KEPT
        .iter()
        .filter_map(|&name| rows.find(name).map(|i| (i, name)))
        .collect();
    Ok(CsvSource::boxed(rows, move |row| {
        let mut example = Example::new(
            row.non_empty(id)?,
            Input::Target {
                text: row.non_empty(post)?.to_owned(),
                target: row.non_empty(topic)?.to_owned(),
                target_span: None,
            },
        )
        .with_label(row.non_empty(label)?)
        .with_group(row.non_empty(group)?);
        for &(i, name) in &kept {
            example
                .extra
                .insert(name.to_owned(), Value::String(row.get(i)?.to_owned()));
        }
        Ok(example)
    }))
}

fn derived_layout(rows: CsvRows, path: &Path) -> Result<Box<dyn Source>, Error> {
    let text = rows.column("Tweet")?;
    let target = rows.column("Target")?;
    let stance = rows.column("Stance")?;
    let seen = rows.find("seen?");
    let prefix = format!("vast:{}", file_stem(path));
    Ok(CsvSource::boxed(rows, move |row| {
        let mut example = Example::new(
            format!("{prefix}:{}", row.number()),
            Input::Target {
                text: row.non_empty(text)?.to_owned(),
                target: row.non_empty(target)?.to_owned(),
                target_span: None,
            },
        )
        .with_label(row.non_empty(stance)?);
        if let Some(i) = seen {
            example
                .extra
                .insert("seen?".to_owned(), Value::String(row.get(i)?.to_owned()));
        }
        Ok(example)
    }))
}
