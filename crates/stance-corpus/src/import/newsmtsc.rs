//! NewsMTSC: JSON Lines, one sentence per line (`primary_gid`, `sentence_normalized`,
//! `targets`), each target with `Input.gid`, `from`, `to`, `mention`, `polarity` and optional
//! `further_mentions`.
//!
//! Every target becomes a `target` example: `id` = `Input.gid`, `text` = the sentence, `target`
//! = the mention, `target_span` = `[from, to]`, `label` = the polarity as written (`2.0`
//! negative, `4.0` neutral, `6.0` positive), `group` = `primary_gid` (targets of one sentence
//! stay in one fold); other fields of the target (`further_mentions`) are kept.
//!
//! The dataset's readme calls `to` "the last character of the target's mention", but in every
//! file published (9,524 targets of train, dev-rw and dev-mt) `sentence[from:to]` is the
//! mention: `to` is already end-exclusive. So `[from, to]` is used when it covers the mention,
//! `[from, to + 1]` when that does (the readme's reading), and anything else is an error
//! naming the target.

use std::collections::VecDeque;
use std::path::Path;

use serde_json::{Map, Value};

use super::{Source, Step};
use crate::error::{Error, FieldError};
use crate::example::{Example, Input};
use crate::io::Lines;
use crate::json::{kind, parse_object, required_string};
use crate::span::Span;

struct Newsmtsc {
    lines: Lines,
}

pub(crate) fn open(path: &Path) -> Result<Box<dyn Source>, Error> {
    Ok(Box::new(Newsmtsc {
        lines: Lines::open(path)?,
    }))
}

impl Source for Newsmtsc {
    fn read_row(&mut self, out: &mut VecDeque<Result<Example, Error>>) -> Step {
        let result = match self.lines.next_line() {
            Ok(Some(line)) => sentence(line),
            Ok(None) => return Step::End,
            Err(e) => {
                out.push_back(Err(e));
                return Step::Stop;
            }
        };
        let (name, number) = (self.lines.name().to_owned(), self.lines.line());
        match result {
            Ok(targets) => out.extend(
                targets
                    .into_iter()
                    .map(|target| target.map_err(|e| e.at(&name, number))),
            ),
            Err(e) => out.push_back(Err(e.at(&name, number))),
        }
        Step::Row
    }
}

/// The examples of one line: an error for the line as a whole, or one result per target.
fn sentence(line: &[u8]) -> Result<Vec<Result<Example, FieldError>>, FieldError> {
    let mut object = parse_object(line)?;
    let group = required_string(object.shift_remove("primary_gid"), "primary_gid")?;
    let sentence = required_string(
        object.shift_remove("sentence_normalized"),
        "sentence_normalized",
    )?;
    let targets = match object.shift_remove("targets") {
        Some(Value::Array(targets)) if !targets.is_empty() => targets,
        Some(Value::Array(_)) => {
            return Err(FieldError::new(
                "targets",
                "empty: the sentence has no target",
            ));
        }
        Some(other) => {
            return Err(FieldError::new(
                "targets",
                format!("expected an array, found {}", kind(&other)),
            ));
        }
        None => return Err(FieldError::new("targets", "missing (required)")),
    };
    let len = sentence.chars().count();
    Ok(targets
        .into_iter()
        .enumerate()
        .map(|(i, value)| {
            let field = format!("targets[{i}]");
            match value {
                Value::Object(target) => {
                    example(target, &sentence, len, &group).map_err(|e| e.within(&field))
                }
                other => Err(FieldError::new(
                    field,
                    format!("expected an object, found {}", kind(&other)),
                )),
            }
        })
        .collect())
}

fn example(
    mut target: Map<String, Value>,
    sentence: &str,
    len: usize,
    group: &str,
) -> Result<Example, FieldError> {
    let id = required_string(target.shift_remove("Input.gid"), "Input.gid")?;
    let mention = required_string(target.shift_remove("mention"), "mention")?;
    let offset = |value: Option<Value>, field: &str| match value {
        Some(Value::Number(n)) => {
            n.as_u64()
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| {
                    FieldError::new(field, format!("expected a non-negative integer, found {n}"))
                })
        }
        Some(other) => Err(FieldError::new(
            field,
            format!("expected a non-negative integer, found {}", kind(&other)),
        )),
        None => Err(FieldError::new(field, "missing (required)")),
    };
    let from = offset(target.shift_remove("from"), "from")?;
    let to = offset(target.shift_remove("to"), "to")?;
    let span = [Span::new(from, to), Span::new(from, to + 1)]
        .into_iter()
        .find(|span| span.end <= len && span.slice(sentence) == Some(mention.as_str()))
        .ok_or_else(|| {
            let found = Span::new(from, to.min(len))
                .slice(sentence)
                .map_or_else(|| "nothing".to_owned(), |s| format!("{s:?}"));
            FieldError::new(
                "to",
                format!(
                    "[from, to] = [{from}, {to}] covers {found}, not the mention {mention:?} (the sentence has {len} code points)"
                ),
            )
        })?;
    let label = match target.shift_remove("polarity") {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) if !s.trim().is_empty() => s,
        Some(other) => {
            return Err(FieldError::new(
                "polarity",
                format!("expected a number, found {}", kind(&other)),
            ));
        }
        None => return Err(FieldError::new("polarity", "missing (required)")),
    };
    let mut example = Example::new(
        id,
        Input::Target {
            text: sentence.to_owned(),
            target: mention,
            target_span: Some(span),
        },
    )
    .with_label(label)
    .with_group(group);
    example.extra = target;
    Ok(example)
}
