//! Labelled examples: what models are trained and evaluated on, one line per example.
//!
//! The four tasks share `id`, `task`, `label` and `group`; what the model reads differs and is
//! an [`Input`]. An unlabelled example (`label` absent) is what `stance predict` reads.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::error::FieldError;
use crate::json::{
    Entries, Entry, Record, check_quote, one_of, opt_str, optional_span, optional_string,
    required_span, required_string,
};
use crate::span::Span;

/// What an example asks a model: the four tasks of stance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Task {
    /// A label for a whole text (sentiment, subjectivity).
    Document,
    /// The stance of a text towards a target named in words (SemEval-2016, VAST, NewsMTSC).
    Target,
    /// The stance of a text (an article body) towards another (a headline or claim): FNC-1,
    /// Emergent.
    Pair,
    /// The stance of an actor mention towards a proposal mention in a text: the peace-talks
    /// corpus.
    Mention,
}

impl Task {
    /// Every task, in order.
    pub const ALL: [Task; 4] = [Task::Document, Task::Target, Task::Pair, Task::Mention];

    /// The task's name in files: `document`, `target`, `pair` or `mention`.
    pub const fn name(self) -> &'static str {
        match self {
            Task::Document => "document",
            Task::Target => "target",
            Task::Pair => "pair",
            Task::Mention => "mention",
        }
    }

    fn names() -> [(&'static str, Task); 4] {
        Task::ALL.map(|task| (task.name(), task))
    }
}

impl fmt::Display for Task {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Task {
    type Err = String;

    fn from_str(s: &str) -> Result<Task, String> {
        Task::ALL
            .into_iter()
            .find(|task| task.name() == s)
            .ok_or_else(|| {
                format!("unknown task {s:?}: expected document, target, pair or mention")
            })
    }
}

impl Serialize for Task {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Task {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Task, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

/// What the model reads for one example, by task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// `document`: a text.
    Document {
        /// The text to label.
        text: String,
    },
    /// `target`: a text and the target the stance is towards.
    Target {
        /// The text.
        text: String,
        /// The target in words, e.g. `Hillary Clinton`.
        target: String,
        /// Where the target occurs in `text`, if it does.
        target_span: Option<Span>,
    },
    /// `pair`: a headline or claim and a body.
    Pair {
        /// The headline or claim.
        text_a: String,
        /// The body (or the article headline, for Emergent).
        text_b: String,
    },
    /// `mention`: an actor mention and a proposal mention in a text.
    Mention {
        /// The text (a whole article or paragraph).
        text: String,
        /// The actor's gazetteer id, e.g. `russia`.
        actor: String,
        /// The proposal's gazetteer id, e.g. `ceasefire`.
        proposal: String,
        /// The actor's mention in `text`.
        actor_span: Span,
        /// The proposal's mention in `text`.
        proposal_span: Span,
        /// The sentence holding the mentions, if known.
        sentence_span: Option<Span>,
        /// The text under `actor_span`, if given (it must match).
        actor_text: Option<String>,
        /// The text under `proposal_span`, if given (it must match).
        proposal_text: Option<String>,
    },
}

impl Input {
    /// The task this input belongs to.
    pub fn task(&self) -> Task {
        match self {
            Input::Document { .. } => Task::Document,
            Input::Target { .. } => Task::Target,
            Input::Pair { .. } => Task::Pair,
            Input::Mention { .. } => Task::Mention,
        }
    }
}

/// One labelled (or unlabelled) example of a task.
///
/// ```
/// use stance_corpus::{Example, Input, Span, Task};
///
/// let line = r#"{"id": "pt-w-0001", "task": "mention", "text": "Moscow rejected the truce.", "actor": "russia", "proposal": "ceasefire", "actor_span": [0, 6], "proposal_span": [20, 25], "label": "oppose", "group": "pt-w-0001"}"#;
/// let example: Example = serde_json::from_str(line).unwrap();
/// assert_eq!(example.task(), Task::Mention);
/// let Input::Mention { text, proposal_span, .. } = &example.input else { unreachable!() };
/// assert_eq!(proposal_span.slice(text), Some("truce"));
/// assert_eq!(example.label.as_deref(), Some("oppose"));
///
/// let pair = Example::new("fnc1:train:1", Input::Pair {
///     text_a: "Police find mass graves".into(),
///     text_b: "Danny Boyle is directing".into(),
/// })
/// .with_label("unrelated")
/// .with_group("712");
/// assert_eq!(
///     serde_json::to_string(&pair).unwrap(),
///     r#"{"id":"fnc1:train:1","task":"pair","text_a":"Police find mass graves","text_b":"Danny Boyle is directing","label":"unrelated","group":"712"}"#
/// );
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// The example's identifier: the source's id, or `<source>:<line or row>`.
    pub id: String,
    /// What the model reads.
    pub input: Input,
    /// The label, verbatim from the source; `None` for an unlabelled example.
    pub label: Option<String>,
    /// Examples of one group are never split across cross-validation folds.
    pub group: Option<String>,
    /// The fields not named above, in their original order.
    pub extra: Map<String, Value>,
}

/// What a reader of examples may be told.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExampleOptions {
    /// The task every example must have: a record of another task is an error, and a record
    /// without `task` is taken to be of this one. Without it, `task` is required.
    pub task: Option<Task>,
}

impl Example {
    /// An unlabelled example without a group.
    pub fn new(id: impl Into<String>, input: Input) -> Example {
        Example {
            id: id.into(),
            input,
            label: None,
            group: None,
            extra: Map::new(),
        }
    }

    /// The same example with `label`.
    pub fn with_label(mut self, label: impl Into<String>) -> Example {
        self.label = Some(label.into());
        self
    }

    /// The same example in `group`.
    pub fn with_group(mut self, group: impl Into<String>) -> Example {
        self.group = Some(group.into());
        self
    }

    /// The example's task.
    pub fn task(&self) -> Task {
        self.input.task()
    }

    fn entries(&self) -> Entries<'_> {
        let mut known = vec![
            ("id", Some(Entry::Str(&self.id))),
            ("task", Some(Entry::Str(self.task().name()))),
        ];
        match &self.input {
            Input::Document { text } => known.push(("text", Some(Entry::Str(text)))),
            Input::Target {
                text,
                target,
                target_span,
            } => known.extend([
                ("text", Some(Entry::Str(text))),
                ("target", Some(Entry::Str(target))),
                ("target_span", target_span.map(Entry::Span)),
            ]),
            Input::Pair { text_a, text_b } => known.extend([
                ("text_a", Some(Entry::Str(text_a))),
                ("text_b", Some(Entry::Str(text_b))),
            ]),
            Input::Mention {
                text,
                actor,
                proposal,
                actor_span,
                proposal_span,
                sentence_span,
                actor_text,
                proposal_text,
            } => known.extend([
                ("text", Some(Entry::Str(text))),
                ("actor", Some(Entry::Str(actor))),
                ("proposal", Some(Entry::Str(proposal))),
                ("actor_span", Some(Entry::Span(*actor_span))),
                ("proposal_span", Some(Entry::Span(*proposal_span))),
                ("sentence_span", sentence_span.map(Entry::Span)),
                ("actor_text", opt_str(actor_text)),
                ("proposal_text", opt_str(proposal_text)),
            ]),
        }
        known.push(("label", opt_str(&self.label)));
        known.push(("group", opt_str(&self.group)));
        Entries {
            known,
            extra: &self.extra,
        }
    }
}

/// The fields of a task's input, in the order their slots are numbered.
fn input_fields(task: Task) -> &'static [&'static str] {
    match task {
        Task::Document => &["text"],
        Task::Target => &["text", "target", "target_span"],
        Task::Pair => &["text_a", "text_b"],
        Task::Mention => &[
            "text",
            "actor",
            "proposal",
            "actor_span",
            "proposal_span",
            "sentence_span",
            "actor_text",
            "proposal_text",
        ],
    }
}

impl Record for Example {
    type Options = ExampleOptions;

    fn from_json(
        mut object: Map<String, Value>,
        options: &ExampleOptions,
    ) -> Result<Example, FieldError> {
        let task = match object.get("task") {
            None | Some(Value::Null) => options.task.ok_or_else(|| {
                FieldError::new(
                    "task",
                    "missing (required: document, target, pair or mention)",
                )
            })?,
            Some(value) => one_of(Some(value.clone()), "task", &Task::names())?,
        };
        if let Some(expected) = options.task {
            if task != expected {
                return Err(FieldError::new(
                    "task",
                    format!(
                        "is {:?} but {:?} examples were expected",
                        task.name(),
                        expected.name()
                    ),
                ));
            }
        }
        object.shift_remove("task");
        let names = input_fields(task);
        let mut slots: [Option<Value>; 8] = Default::default();
        let (mut id, mut label, mut group) = (None, None, None);
        let mut extra = Map::new();
        for (name, value) in object {
            match name.as_str() {
                "id" => id = Some(value),
                "label" => label = Some(value),
                "group" => group = Some(value),
                other => match names.iter().position(|n| *n == other) {
                    Some(i) => slots[i] = Some(value),
                    None => {
                        extra.insert(name, value);
                    }
                },
            }
        }
        let id = required_string(id, "id")?;
        let [s0, s1, s2, s3, s4, s5, s6, s7] = slots;
        let input = match task {
            Task::Document => Input::Document {
                text: required_string(s0, "text")?,
            },
            Task::Target => {
                let text = required_string(s0, "text")?;
                let len = text.chars().count();
                Input::Target {
                    target: required_string(s1, "target")?,
                    target_span: optional_span(s2, "target_span", len)?,
                    text,
                }
            }
            Task::Pair => Input::Pair {
                text_a: required_string(s0, "text_a")?,
                text_b: required_string(s1, "text_b")?,
            },
            Task::Mention => {
                let text = required_string(s0, "text")?;
                let len = text.chars().count();
                let input = Input::Mention {
                    actor: required_string(s1, "actor")?,
                    proposal: required_string(s2, "proposal")?,
                    actor_span: required_span(s3, "actor_span", len)?,
                    proposal_span: required_span(s4, "proposal_span", len)?,
                    sentence_span: optional_span(s5, "sentence_span", len)?,
                    actor_text: optional_string(s6, "actor_text")?,
                    proposal_text: optional_string(s7, "proposal_text")?,
                    text,
                };
                if let Input::Mention {
                    text,
                    actor_span,
                    proposal_span,
                    actor_text,
                    proposal_text,
                    ..
                } = &input
                {
                    check_quote(text, *actor_span, actor_text.as_deref(), "actor_text")?;
                    check_quote(
                        text,
                        *proposal_span,
                        proposal_text.as_deref(),
                        "proposal_text",
                    )?;
                }
                input
            }
        };
        Ok(Example {
            id,
            input,
            label: optional_string(label, "label")?,
            group: optional_string(group, "group")?,
            extra,
        })
    }
}

impl Serialize for Example {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.entries().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Example {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Example, D::Error> {
        let object = Map::deserialize(deserializer)?;
        Example::from_json(object, &ExampleOptions::default()).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str, task: Option<Task>) -> Result<Example, FieldError> {
        match serde_json::from_str(line).unwrap() {
            Value::Object(object) => Example::from_json(object, &ExampleOptions { task }),
            _ => panic!("not an object"),
        }
    }

    #[test]
    fn every_task_round_trips() {
        let lines = [
            r#"{"id":"mr:pos:1","task":"document","text":"a gem","label":"pos"}"#,
            r#"{"id":"101","task":"target","text":"dear lord #SemST","target":"Atheism","label":"AGAINST","opinion_towards":"OTHER"}"#,
            r#"{"id":"g1","task":"target","text":"Winner wrote","target":"Winner","target_span":[0,6],"label":"4.0","group":"s1"}"#,
            r#"{"id":"fnc1:train:1","task":"pair","text_a":"h","text_b":"b","label":"unrelated","group":"712"}"#,
            r#"{"id":"d:0","task":"mention","text":"Moscow rejected the truce.","actor":"russia","proposal":"ceasefire","actor_span":[0,6],"proposal_span":[20,25],"sentence_span":[0,26],"actor_text":"Moscow","proposal_text":"truce","label":"oppose","group":"d"}"#,
            r#"{"id":"u","task":"document","text":"unlabelled"}"#,
        ];
        for line in lines {
            let example = read(line, None).unwrap();
            assert_eq!(serde_json::to_string(&example).unwrap(), line);
        }
    }

    #[test]
    fn bad_examples_name_their_field() {
        let cases = [
            (r#"{"id":"a","text":"t"}"#, None, "task", "missing"),
            (
                r#"{"id":"a","task":"essay","text":"t"}"#,
                None,
                "task",
                "\"essay\" is not one of",
            ),
            (
                r#"{"id":"a","task":"pair","text_a":"t","text_b":"u"}"#,
                Some(Task::Target),
                "task",
                "\"target\" examples were expected",
            ),
            (
                r#"{"id":"a","task":"target","text":"t"}"#,
                None,
                "target",
                "missing",
            ),
            (
                r#"{"id":"a","task":"target","text":"t","target":"x","target_span":[0,2]}"#,
                None,
                "target_span",
                "ends past the text (1 code points)",
            ),
            (
                r#"{"id":"a","task":"pair","text_a":"t","text_b":7}"#,
                None,
                "text_b",
                "found a number",
            ),
            (r#"{"task":"document","text":"t"}"#, None, "id", "missing"),
            (
                r#"{"id":"a","task":"document","text":"t","label":1}"#,
                None,
                "label",
                "found a number",
            ),
            (
                r#"{"id":"a","task":"mention","text":"Kyiv ok","actor":"ukraine","proposal":"p","actor_span":[0,4],"proposal_span":[5,9]}"#,
                None,
                "proposal_span",
                "span [5, 9] ends past the text (7 code points)",
            ),
            (
                r#"{"id":"a","task":"mention","text":"Kyiv ok","actor":"ukraine","proposal":"p","actor_span":[3,1],"proposal_span":[5,7]}"#,
                None,
                "actor_span",
                "starts after it ends",
            ),
            (
                r#"{"id":"a","task":"mention","text":"Kyiv ok","actor":"ukraine","proposal":"p","actor_span":[0,4],"proposal_span":[5,7],"actor_text":"Kiev"}"#,
                None,
                "actor_text",
                "covers \"Kyiv\"",
            ),
            (
                r#"{"id":"a","task":"mention","text":"Kyiv ok","proposal":"p","actor_span":[0,4],"proposal_span":[5,7]}"#,
                None,
                "actor",
                "missing",
            ),
        ];
        for (line, task, field, reason) in cases {
            let err = read(line, task).unwrap_err();
            assert_eq!(err.field.as_deref(), Some(field), "{line}");
            assert!(err.reason.contains(reason), "{line}: {err}");
        }
    }

    #[test]
    fn a_reader_told_the_task_accepts_records_without_one() {
        let example = read(r#"{"id":"a","text":"t"}"#, Some(Task::Document)).unwrap();
        assert_eq!(example.task(), Task::Document);
        assert_eq!(
            serde_json::to_string(&example).unwrap(),
            r#"{"id":"a","task":"document","text":"t"}"#
        );
    }

    #[test]
    fn fields_of_other_tasks_pass_through() {
        let line = r#"{"id":"a","task":"document","text":"t","target":"kept","text_a":1}"#;
        assert_eq!(
            serde_json::to_string(&read(line, None).unwrap()).unwrap(),
            line
        );
    }

    #[test]
    fn tasks_parse_and_print() {
        for task in Task::ALL {
            assert_eq!(task.to_string().parse::<Task>(), Ok(task));
        }
        assert!("Document".parse::<Task>().is_err());
    }
}
