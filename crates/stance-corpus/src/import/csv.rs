//! Any CSV (or TSV) file with a header: the user names the columns.
//!
//! `text_column` is the text (for `pair`, the body `text_b`), `target_column` the target (for
//! `pair`, the headline or claim `text_a`), `label_column`, `id_column` and `group_column` the
//! optional rest. Without an id column, `id` = `<file>:<row>`. Other columns are not copied.
//! The delimiter is a tab for files named `*.tsv` (or `*.tsv.gz`), else a comma, unless given.

use std::path::{Path, PathBuf};

use super::csv_rows::{CsvRows, CsvSource, Row};
use super::{Chain, Source, file_name, file_stem};
use crate::error::Error;
use crate::example::{Example, Input, Task};

/// The columns and task of a generic CSV import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvOptions {
    /// The column of the text (`text_b` for `pair`). Default `text`.
    pub text_column: String,
    /// The column of the label, if any.
    pub label_column: Option<String>,
    /// The column of the target (`text_a` for `pair`): required for `target` and `pair`.
    pub target_column: Option<String>,
    /// The column of the id; without it, ids are `<file>:<row>`.
    pub id_column: Option<String>,
    /// The column of the group, if any.
    pub group_column: Option<String>,
    /// The task of the examples: `document`, `target` or `pair`. Default `document`.
    pub task: Task,
    /// The field delimiter; `None` = a tab for `.tsv` files, else a comma.
    pub delimiter: Option<u8>,
}

impl Default for CsvOptions {
    fn default() -> CsvOptions {
        CsvOptions {
            text_column: "text".to_owned(),
            label_column: None,
            target_column: None,
            id_column: None,
            group_column: None,
            task: Task::Document,
            delimiter: None,
        }
    }
}

impl CsvOptions {
    /// Checks that the options fit the task.
    pub fn check(&self) -> Result<(), Error> {
        let reason = match (self.task, &self.target_column) {
            (Task::Mention, _) => {
                "csv cannot import mention examples (they need spans): write them as JSON Lines"
            }
            (Task::Target | Task::Pair, None) => {
                "a target column is required for --task target (the target) and pair (text_a)"
            }
            (Task::Document, Some(_)) => "a target column is only used with --task target or pair",
            _ => return Ok(()),
        };
        Err(Error::Options {
            reason: reason.to_owned(),
        })
    }
}

/// The column indexes of one file.
struct Columns {
    text: usize,
    target: Option<usize>,
    label: Option<usize>,
    id: Option<usize>,
    group: Option<usize>,
}

pub(crate) fn open(paths: &[PathBuf], options: &CsvOptions) -> Result<Box<dyn Source>, Error> {
    options.check()?;
    let options = options.clone();
    Ok(Box::new(Chain::new(paths, move |path| {
        open_file(path, &options)
    })))
}

fn open_file(path: &Path, options: &CsvOptions) -> Result<Box<dyn Source>, Error> {
    let delimiter = options
        .delimiter
        .unwrap_or(if file_name(path).ends_with(".tsv") {
            b'\t'
        } else {
            b','
        });
    let rows = CsvRows::open(path, delimiter)?;
    let optional = |column: &Option<String>| column.as_deref().map(|c| rows.column(c)).transpose();
    let columns = Columns {
        text: rows.column(&options.text_column)?,
        target: optional(&options.target_column)?,
        label: optional(&options.label_column)?,
        id: optional(&options.id_column)?,
        group: optional(&options.group_column)?,
    };
    let task = options.task;
    let stem = file_stem(path);
    Ok(CsvSource::boxed(rows, move |row| {
        example(row, &columns, task, &stem)
    }))
}

fn example(row: &Row<'_>, c: &Columns, task: Task, stem: &str) -> Result<Example, Error> {
    let text = row.get(c.text)?.to_owned();
    let target = || -> Result<String, Error> {
        let column = c
            .target
            .expect("checked: target and pair have a target column");
        Ok(row.non_empty(column)?.to_owned())
    };
    let input = match task {
        Task::Target => Input::Target {
            target: target()?,
            text,
            target_span: None,
        },
        Task::Pair => Input::Pair {
            text_a: target()?,
            text_b: text,
        },
        _ => Input::Document { text },
    };
    let id = match c.id {
        Some(i) => row.non_empty(i)?.to_owned(),
        None => format!("{stem}:{}", row.number()),
    };
    let mut example = Example::new(id, input);
    if let Some(i) = c.label {
        example.label = Some(row.non_empty(i)?.to_owned());
    }
    if let Some(i) = c.group {
        example.group = Some(row.non_empty(i)?.to_owned());
    }
    Ok(example)
}
