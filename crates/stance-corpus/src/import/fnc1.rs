//! FNC-1 (Fake News Challenge, stage 1): a stances file (`Headline`, `Body ID`, `Stance`) and a
//! bodies file (`Body ID`, `articleBody`), both CSV with a header.
//!
//! Which file is which is told by its header, so they may be given in any order, and several
//! of each (e.g. the training and competition files) may be given together. The bodies are
//! read first and kept in memory (1,683 bodies, 3.7 MB for the training set); then the stances
//! are read in order, each becoming a `pair` example: `id` = `fnc1:<stances file>:<row>` with
//! `_stances` dropped from the file name (`fnc1:train:1`), `text_a` = the headline, `text_b` =
//! the body, `label` = the stance (absent in an unlabelled stances file), `group` = the body ID.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};

use super::csv_rows::CsvRows;
use super::{Source, Step, file_stem};
use crate::error::Error;
use crate::example::{Example, Input};

/// One stances file: its rows and the columns.
struct Stances {
    rows: CsvRows,
    prefix: String,
    headline: usize,
    body_id: usize,
    stance: Option<usize>,
}

struct Fnc1 {
    bodies: HashMap<String, String>,
    /// Where each body ID was found, for messages.
    bodies_from: String,
    stances: VecDeque<Stances>,
}

/// Reads the bodies files and opens the stances files of `paths`.
pub(crate) fn open(paths: &[PathBuf]) -> Result<Box<dyn Source>, Error> {
    let mut bodies = HashMap::new();
    let mut bodies_from = Vec::new();
    let mut stances = VecDeque::new();
    for path in paths {
        let rows = CsvRows::open(path, b',')?;
        if rows.find("articleBody").is_some() {
            bodies_from.push(rows.name().to_owned());
            read_bodies(rows, &mut bodies)?;
        } else if rows.find("Headline").is_some() {
            stances.push_back(stances_file(path, rows)?);
        } else {
            return Err(Error::Input {
                path: rows.name().to_owned(),
                line: Some(1),
                reason: "neither a stances file (column \"Headline\") nor a bodies file (column \"articleBody\")".into(),
            });
        }
    }
    if bodies_from.is_empty() || stances.is_empty() {
        return Err(Error::Options {
            reason: "fnc1 needs a stances file (Headline, Body ID, Stance) and a bodies file (Body ID, articleBody)".into(),
        });
    }
    Ok(Box::new(Fnc1 {
        bodies,
        bodies_from: bodies_from.join(", "),
        stances,
    }))
}

fn stances_file(path: &Path, rows: CsvRows) -> Result<Stances, Error> {
    let stem = file_stem(path);
    let stem = stem.strip_suffix("_stances").unwrap_or(&stem);
    Ok(Stances {
        prefix: format!("fnc1:{stem}"),
        headline: rows.column("Headline")?,
        body_id: rows.column("Body ID")?,
        stance: rows.find("Stance"),
        rows,
    })
}

/// Reads every body of `rows` into `bodies`: a bad row or a repeated ID stops the import,
/// since the stances that point to it could not be joined.
fn read_bodies(mut rows: CsvRows, bodies: &mut HashMap<String, String>) -> Result<(), Error> {
    let id = rows.column("Body ID")?;
    let body = rows.column("articleBody")?;
    while let Some(row) = rows.next_row() {
        let row = row?;
        let fatal = |e: Error| match e {
            Error::Corpus {
                path,
                line,
                field,
                reason,
            } => Error::Input {
                path,
                line: Some(line),
                reason: match field {
                    Some(field) => format!("field {field:?}: {reason}"),
                    None => reason,
                },
            },
            other => other,
        };
        row.check_width().map_err(fatal)?;
        let key = row.non_empty(id).map_err(fatal)?.trim().to_owned();
        let text = row.get(body).map_err(fatal)?.to_owned();
        if bodies.insert(key.clone(), text).is_some() {
            return Err(fatal(
                row.error(Some(id), format!("body ID {key} appears twice")),
            ));
        }
    }
    Ok(())
}

impl Source for Fnc1 {
    fn read_row(&mut self, out: &mut VecDeque<Result<Example, Error>>) -> Step {
        while let Some(file) = self.stances.front_mut() {
            let Some(row) = file.rows.next_row() else {
                self.stances.pop_front();
                continue;
            };
            let row = match row {
                Ok(row) => row,
                Err(e) => {
                    out.push_back(Err(e));
                    return Step::Stop;
                }
            };
            let example = (|| {
                row.check_width()?;
                let body_id = row.non_empty(file.body_id)?.trim();
                let body = self.bodies.get(body_id).ok_or_else(|| {
                    row.error(
                        Some(file.body_id),
                        format!("no body with ID {body_id} in {}", self.bodies_from),
                    )
                })?;
                let mut example = Example::new(
                    format!("{}:{}", file.prefix, row.number()),
                    Input::Pair {
                        text_a: row.non_empty(file.headline)?.to_owned(),
                        text_b: body.clone(),
                    },
                )
                .with_group(body_id);
                if let Some(stance) = file.stance {
                    example.label = Some(row.non_empty(stance)?.to_owned());
                }
                Ok(example)
            })();
            out.push_back(example);
            return Step::Row;
        }
        Step::End
    }
}
