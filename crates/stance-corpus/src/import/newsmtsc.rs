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
//!
//! Read as sentences ([`Format::NewsmtscSentences`](super::Format::NewsmtscSentences)), each line
//! becomes at most one `document` example: `id` = `primary_gid`, `text` = the sentence, `label`
//! = the sentence's polarity mapped to `negative` / `neutral` / `positive`, `group` = the
//! article (see [`article`]), extra `target_labels` = the mapped polarity of each target in
//! order. A sentence's polarity is decided from its targets' by a [`SentenceRule`]; a sentence
//! the rule leaves undecided is skipped (it is read, not an error). Every target is checked as
//! in the target mode, so a bad target is an error for its line either way.

use std::collections::VecDeque;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use serde_json::{Map, Value};

use super::{Source, Step};
use crate::error::{Error, FieldError};
use crate::example::{Example, Input};
use crate::io::Lines;
use crate::json::{kind, parse_object, required_string};
use crate::span::Span;

/// How a sentence's polarity follows from the polarities of its targets (they disagree in
/// about one sentence in twenty of NewsMTSC's train file, mostly sentences with two targets).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum SentenceRule {
    /// All targets have the same polarity; a sentence whose targets disagree is skipped.
    #[default]
    Unanimous,
    /// The polarity of strictly more targets than any other; a tie is skipped.
    Majority,
}

impl SentenceRule {
    /// The names of the rules, as the command line takes them.
    pub const NAMES: [&'static str; 2] = ["unanimous", "majority"];

    /// The rule's name.
    pub fn name(self) -> &'static str {
        match self {
            SentenceRule::Unanimous => "unanimous",
            SentenceRule::Majority => "majority",
        }
    }

    /// The sentence's label from its targets' labels (never empty), or `None` when the rule
    /// leaves it undecided.
    pub fn decide<'a>(self, labels: &[&'a str]) -> Option<&'a str> {
        let first = *labels.first()?;
        match self {
            SentenceRule::Unanimous => labels.iter().all(|l| *l == first).then_some(first),
            SentenceRule::Majority => {
                let mut counts: Vec<(&'a str, usize)> = Vec::new();
                for &label in labels {
                    match counts.iter_mut().find(|(l, _)| *l == label) {
                        Some((_, n)) => *n += 1,
                        None => counts.push((label, 1)),
                    }
                }
                counts.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
                match counts[..] {
                    [(label, _)] => Some(label),
                    [(label, n), (_, m), ..] if n > m => Some(label),
                    _ => None,
                }
            }
        }
    }
}

impl fmt::Display for SentenceRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for SentenceRule {
    type Err = String;

    fn from_str(s: &str) -> Result<SentenceRule, String> {
        match s {
            "unanimous" => Ok(SentenceRule::Unanimous),
            "majority" => Ok(SentenceRule::Majority),
            _ => Err(format!(
                "unknown sentence rule {s:?}: expected one of {}",
                SentenceRule::NAMES.join(", ")
            )),
        }
    }
}

/// What each line becomes.
#[derive(Clone, Copy)]
enum Unit {
    Targets,
    Sentences(SentenceRule),
}

struct Newsmtsc {
    lines: Lines,
    unit: Unit,
}

pub(crate) fn open(path: &Path) -> Result<Box<dyn Source>, Error> {
    Ok(Box::new(Newsmtsc {
        lines: Lines::open(path)?,
        unit: Unit::Targets,
    }))
}

/// Opens `path` to read one `document` example per sentence, labelled by `rule`.
pub(crate) fn open_sentences(path: &Path, rule: SentenceRule) -> Result<Box<dyn Source>, Error> {
    Ok(Box::new(Newsmtsc {
        lines: Lines::open(path)?,
        unit: Unit::Sentences(rule),
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
        let result = match self.unit {
            Unit::Targets => result,
            Unit::Sentences(rule) => result.map(|targets| sentence_example(targets, rule)),
        };
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

/// The sentence example of a line's target examples: the errors of its bad targets, else the
/// sentence labelled by `rule` (nothing when the rule leaves it undecided).
fn sentence_example(
    targets: Vec<Result<Example, FieldError>>,
    rule: SentenceRule,
) -> Vec<Result<Example, FieldError>> {
    let (good, bad): (Vec<_>, Vec<_>) = targets.into_iter().partition(Result::is_ok);
    if !bad.is_empty() {
        return bad;
    }
    let targets: Vec<Example> = good.into_iter().flatten().collect();
    let mut labels = Vec::with_capacity(targets.len());
    for (i, target) in targets.iter().enumerate() {
        let polarity = target.label.as_deref().unwrap_or_default();
        match polarity_label(polarity) {
            Some(label) => labels.push(label),
            None => {
                return vec![Err(FieldError::new(
                    format!("targets[{i}].polarity"),
                    format!("{polarity:?} is not a polarity: expected 2.0, 4.0 or 6.0"),
                ))];
            }
        }
    }
    let Some(first) = targets.first() else {
        return Vec::new();
    };
    let Some(label) = rule.decide(&labels) else {
        return Vec::new();
    };
    let Input::Target { text, .. } = &first.input else {
        return Vec::new();
    };
    let group = first.group.clone().unwrap_or_default();
    let mut example =
        Example::new(group.clone(), Input::Document { text: text.clone() }).with_label(label);
    if let Some(article) = article(&group) {
        example = example.with_group(article);
    }
    example.extra.insert(
        "target_labels".to_owned(),
        Value::Array(labels.iter().map(|l| Value::from(*l)).collect()),
    );
    vec![Ok(example)]
}

/// The label of a NewsMTSC polarity: `2.0` negative, `4.0` neutral, `6.0` positive (written as
/// a number, or as a string holding one).
fn polarity_label(polarity: &str) -> Option<&'static str> {
    match polarity.trim().parse::<f64>().ok()? {
        2.0 => Some("negative"),
        4.0 => Some("neutral"),
        6.0 => Some("positive"),
        _ => None,
    }
}

/// The article of a sentence, from its `primary_gid`: `allsides_<a>_<b>_<sentence>_...` →
/// `allsides_<a>_<b>`, `polusa_v1_<id>_-1_<sentence>_...` → `polusa_v1_<id>` (the two layouts
/// of the dataset's ids); `None` for any other id. Sentences of one article then share a
/// cross-validation fold.
fn article(primary_gid: &str) -> Option<&str> {
    let fields = match primary_gid.split('_').next()? {
        "allsides" | "polusa" => 3,
        _ => return None,
    };
    let end = primary_gid
        .match_indices('_')
        .nth(fields - 1)
        .map(|(i, _)| i)?;
    let article = &primary_gid[..end];
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let ok = match article.split('_').collect::<Vec<_>>()[..] {
        ["allsides", a, b] => numeric(a) && numeric(b),
        ["polusa", version, id] => version.starts_with('v') && numeric(id),
        _ => false,
    };
    ok.then_some(article)
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
