//! SST (Stanford Sentiment Treebank) in its two common layouts, told apart by the first line:
//!
//! - `stsa.binary.*` / `stsa.fine.*` (Kim 2014): one `<label> <sentence>` per line, no header;
//!   `id` = `sst:<file>:<line>`;
//! - GLUE SST-2 TSV: a header line naming the columns, `sentence` and (except in the unlabelled
//!   test file) `label`, optionally `index`, which becomes the `id` (else
//!   `sst:<file>:<row>`, rows counted from 1 after the header). Fields are split on tabs only:
//!   the sentences hold unpaired double quotes.
//!
//! Each sentence becomes a `document` example with the label verbatim (`0`/`1`, or `0`-`4` for
//! the fine-grained files) and the text as written (GLUE sentences keep their final space).

use std::collections::VecDeque;
use std::path::Path;

use super::{Source, Step, file_stem};
use crate::error::Error;
use crate::example::{Example, Input};
use crate::io::{Lines, decode_legacy};

/// The columns of a GLUE file.
struct Glue {
    width: usize,
    sentence: usize,
    label: Option<usize>,
    index: Option<usize>,
}

struct Sst {
    lines: Lines,
    prefix: String,
    glue: Option<Glue>,
    /// The first line of a stsa file, read to tell the layout and not yet turned into an example.
    pending: Option<String>,
}

pub(crate) fn open(path: &Path) -> Result<Box<dyn Source>, Error> {
    let mut lines = Lines::open(path)?;
    let first = lines.next_line()?.map(decode_legacy);
    let names: Vec<&str> = first.as_deref().unwrap_or("").split('\t').collect();
    let find = |name: &str| names.iter().position(|n| n.trim() == name);
    let glue = find("sentence").map(|sentence| Glue {
        width: names.len(),
        sentence,
        label: find("label"),
        index: find("index"),
    });
    let pending = if glue.is_some() { None } else { first };
    Ok(Box::new(Sst {
        lines,
        prefix: format!("sst:{}", file_stem(path)),
        glue,
        pending,
    }))
}

impl Source for Sst {
    fn read_row(&mut self, out: &mut VecDeque<Result<Example, Error>>) -> Step {
        let (text, line) = match self.pending.take() {
            Some(text) => (text, 1),
            None => match self.lines.next_line() {
                Ok(Some(bytes)) => (decode_legacy(bytes), self.lines.line()),
                Ok(None) => return Step::End,
                Err(e) => {
                    out.push_back(Err(e));
                    return Step::Stop;
                }
            },
        };
        let error = |field: Option<&str>, reason: String| {
            Error::corpus(self.lines.name(), line, field.map(str::to_owned), reason)
        };
        out.push_back(match &self.glue {
            Some(glue) => self.glue_example(glue, &text, line, error),
            None => self.stsa_example(&text, line, error),
        });
        Step::Row
    }
}

impl Sst {
    fn stsa_example(
        &self,
        text: &str,
        line: u64,
        error: impl Fn(Option<&str>, String) -> Error,
    ) -> Result<Example, Error> {
        match text.split_once(' ') {
            Some((label, sentence)) if !label.is_empty() && !sentence.trim().is_empty() => {
                Ok(Example::new(
                    format!("{}:{line}", self.prefix),
                    Input::Document {
                        text: sentence.to_owned(),
                    },
                )
                .with_label(label))
            }
            _ => Err(error(
                None,
                format!("expected \"<label> <sentence>\", found {text:?}"),
            )),
        }
    }

    fn glue_example(
        &self,
        glue: &Glue,
        text: &str,
        line: u64,
        error: impl Fn(Option<&str>, String) -> Error,
    ) -> Result<Example, Error> {
        let fields: Vec<&str> = text.split('\t').collect();
        if fields.len() != glue.width {
            return Err(error(
                None,
                format!(
                    "the line has {} tab-separated fields but the header has {} columns",
                    fields.len(),
                    glue.width
                ),
            ));
        }
        let field = |i: usize, name: &str| {
            if fields[i].trim().is_empty() {
                Err(error(Some(name), "empty".into()))
            } else {
                Ok(fields[i].to_owned())
            }
        };
        let id = match glue.index {
            Some(i) => field(i, "index")?,
            None => format!("{}:{}", self.prefix, line - 1),
        };
        let mut example = Example::new(
            id,
            Input::Document {
                text: field(glue.sentence, "sentence")?,
            },
        );
        if let Some(i) = glue.label {
            example.label = Some(field(i, "label")?);
        }
        Ok(example)
    }
}
