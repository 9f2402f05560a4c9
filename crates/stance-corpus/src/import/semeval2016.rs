//! SemEval-2016 Task 6 (stance in tweets): the organisers' tab-separated files
//! `ID<TAB>Target<TAB>Tweet<TAB>Stance[<TAB>Opinion towards<TAB>Sentiment]` with a header line.
//!
//! The files are not CSV: tweets hold unbalanced double quotes, so a line is split on tabs
//! only. Lines end in `\r\n`, and the training file has a few Windows-1252 bytes in otherwise
//! UTF-8 text, so a line that is not UTF-8 is decoded as Windows-1252. Each row becomes a
//! `target` example: `id` = the organisers' ID, `text` = the tweet as given (with its `#SemST`
//! marker), `target`, `label` = the stance; `Opinion towards` and `Sentiment`, when present, are
//! kept as the fields `opinion_towards` and `sentiment`.

use std::collections::VecDeque;
use std::path::Path;

use serde_json::Value;

use super::{Source, Step};
use crate::error::Error;
use crate::example::{Example, Input};
use crate::io::{Lines, decode_legacy};

/// The columns, found by name in the header.
struct Columns {
    width: usize,
    id: usize,
    target: usize,
    tweet: usize,
    stance: usize,
    extras: Vec<(usize, &'static str)>,
}

struct Semeval {
    lines: Lines,
    columns: Columns,
}

pub(crate) fn open(path: &Path) -> Result<Box<dyn Source>, Error> {
    let mut lines = Lines::open(path)?;
    let header = match lines.next_line()? {
        Some(line) => decode_legacy(line),
        None => String::new(),
    };
    let names: Vec<&str> = header.split('\t').collect();
    let find = |name: &str| names.iter().position(|n| n.trim() == name);
    let required = |name: &str| {
        find(name).ok_or_else(|| Error::Input {
            path: lines.name().to_owned(),
            line: Some(1),
            reason: format!(
                "the header has no column {name:?} (expected ID, Target, Tweet and Stance separated by tabs; found {header:?})"
            ),
        })
    };
    let columns = Columns {
        width: names.len(),
        id: required("ID")?,
        target: required("Target")?,
        tweet: required("Tweet")?,
        stance: required("Stance")?,
        extras: [
            ("Opinion towards", "opinion_towards"),
            ("Sentiment", "sentiment"),
        ]
        .into_iter()
        .filter_map(|(column, field)| find(column).map(|i| (i, field)))
        .collect(),
    };
    Ok(Box::new(Semeval { lines, columns }))
}

impl Source for Semeval {
    fn read_row(&mut self, out: &mut VecDeque<Result<Example, Error>>) -> Step {
        let line = match self.lines.next_line() {
            Ok(Some(line)) => decode_legacy(line),
            Ok(None) => return Step::End,
            Err(e) => {
                out.push_back(Err(e));
                return Step::Stop;
            }
        };
        out.push_back(self.example(&line));
        Step::Row
    }
}

impl Semeval {
    fn example(&self, line: &str) -> Result<Example, Error> {
        let c = &self.columns;
        let error = |field: Option<&str>, reason: String| {
            Error::corpus(
                self.lines.name(),
                self.lines.line(),
                field.map(str::to_owned),
                reason,
            )
        };
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() != c.width {
            return Err(error(
                None,
                format!(
                    "the line has {} tab-separated fields but the header has {} columns",
                    fields.len(),
                    c.width
                ),
            ));
        }
        let field = |i: usize, name: &str| {
            let value = fields[i];
            if value.trim().is_empty() {
                Err(error(Some(name), "empty".into()))
            } else {
                Ok(value.to_owned())
            }
        };
        let mut example = Example::new(
            field(c.id, "ID")?,
            Input::Target {
                text: field(c.tweet, "Tweet")?,
                target: field(c.target, "Target")?,
                target_span: None,
            },
        )
        .with_label(field(c.stance, "Stance")?);
        for &(i, name) in &c.extras {
            example
                .extra
                .insert(name.to_owned(), Value::String(fields[i].to_owned()));
        }
        Ok(example)
    }
}
