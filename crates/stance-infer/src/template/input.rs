//! What a template reads: one example of a task, with byte spans into its text.

use std::ops::Range;

use stance_corpus::{Example, Span};

pub use stance_corpus::Task;

use crate::Error;

/// One example to turn into features. Spans are byte ranges into the text (file formats use code
/// points; the corpus crate converts at the boundary).
#[derive(Clone, Debug, PartialEq)]
pub enum Input<'a> {
    /// A `document` example.
    Document {
        /// The text.
        text: &'a str,
    },
    /// A `target` example.
    Target {
        /// The text.
        text: &'a str,
        /// The target phrase.
        target: &'a str,
        /// Where the target occurs in the text, when known.
        target_span: Option<Range<usize>>,
    },
    /// A `pair` example.
    Pair {
        /// The headline or claim.
        text_a: &'a str,
        /// The body.
        text_b: &'a str,
    },
    /// A `mention` example.
    Mention(MentionInput<'a>),
}

/// An actor mention and a proposal mention in one text.
#[derive(Clone, Debug, PartialEq)]
pub struct MentionInput<'a> {
    /// The article or paragraph.
    pub text: &'a str,
    /// The actor's gazetteer id.
    pub actor: &'a str,
    /// The proposal's gazetteer id.
    pub proposal: &'a str,
    /// The actor mention.
    pub actor_span: Range<usize>,
    /// The proposal mention.
    pub proposal_span: Range<usize>,
    /// The sentence (or window) the pair was found in; the whole text when `None`.
    pub sentence_span: Option<Range<usize>>,
}

impl<'a> Input<'a> {
    /// The input of a corpus example, its code-point spans turned into byte ranges; `index`
    /// names the example in errors.
    pub fn from_example(example: &'a Example, index: usize) -> Result<Input<'a>, Error> {
        let bytes = |name: &str, text: &str, span: &Span| {
            span.byte_range(text).ok_or_else(|| Error::InvalidInput {
                index,
                reason: format!(
                    "example {:?}: {name} [{}, {}] does not fit its text",
                    example.id, span.start, span.end
                ),
            })
        };
        Ok(match &example.input {
            stance_corpus::Input::Document { text } => Input::Document { text },
            stance_corpus::Input::Target {
                text,
                target,
                target_span,
            } => Input::Target {
                text,
                target,
                target_span: target_span
                    .as_ref()
                    .map(|s| bytes("target_span", text, s))
                    .transpose()?,
            },
            stance_corpus::Input::Pair { text_a, text_b } => Input::Pair { text_a, text_b },
            stance_corpus::Input::Mention {
                text,
                actor,
                proposal,
                actor_span,
                proposal_span,
                sentence_span,
                ..
            } => Input::Mention(MentionInput {
                text,
                actor,
                proposal,
                actor_span: bytes("actor_span", text, actor_span)?,
                proposal_span: bytes("proposal_span", text, proposal_span)?,
                sentence_span: sentence_span
                    .as_ref()
                    .map(|s| bytes("sentence_span", text, s))
                    .transpose()?,
            }),
        })
    }

    /// The example's task.
    pub fn task(&self) -> Task {
        match self {
            Input::Document { .. } => Task::Document,
            Input::Target { .. } => Task::Target,
            Input::Pair { .. } => Task::Pair,
            Input::Mention(_) => Task::Mention,
        }
    }

    /// Checks that every span lies on character boundaries inside its text and that mention spans
    /// lie inside the sentence span; `index` names the example in the error.
    pub fn validate(&self, index: usize) -> Result<(), Error> {
        let bad = |reason: String| Error::InvalidInput { index, reason };
        let check = |name: &str, text: &str, span: &Range<usize>| {
            if span.start > span.end
                || span.end > text.len()
                || !text.is_char_boundary(span.start)
                || !text.is_char_boundary(span.end)
            {
                Err(bad(format!(
                    "{name} {}..{} is not a character range of the {}-byte text",
                    span.start,
                    span.end,
                    text.len()
                )))
            } else {
                Ok(())
            }
        };
        match self {
            Input::Target {
                text,
                target_span: Some(span),
                ..
            } => check("target_span", text, span),
            Input::Mention(m) => {
                check("actor_span", m.text, &m.actor_span)?;
                check("proposal_span", m.text, &m.proposal_span)?;
                if let Some(sentence) = &m.sentence_span {
                    check("sentence_span", m.text, sentence)?;
                    for (name, span) in [
                        ("actor_span", &m.actor_span),
                        ("proposal_span", &m.proposal_span),
                    ] {
                        if span.start < sentence.start || span.end > sentence.end {
                            return Err(bad(format!(
                                "{name} {}..{} lies outside sentence_span {}..{}",
                                span.start, span.end, sentence.start, sentence.end
                            )));
                        }
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}
