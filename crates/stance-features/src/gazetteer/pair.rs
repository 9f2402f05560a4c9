//! Pairing: each actor mention with each proposal mention near it, the candidates a mention
//! model labels as support, oppose or neutral.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::mention::Mention;
use crate::Error;

/// How near an actor and a proposal must be to make a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Window {
    /// In the same sentence.
    #[default]
    Sentence,
    /// At most `n` sentences apart (`n` = 0 is the same sentence).
    Sentences {
        /// The largest distance, in sentences.
        n: usize,
    },
}

impl Window {
    fn reach(self) -> usize {
        match self {
            Window::Sentence => 0,
            Window::Sentences { n } => n,
        }
    }
}

/// An actor mention and a proposal mention within the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// Index of the actor mention in the mentions given.
    pub actor: usize,
    /// Index of the proposal mention.
    pub proposal: usize,
    /// Byte span of the actor mention.
    pub actor_span: Range<usize>,
    /// Byte span of the proposal mention.
    pub proposal_span: Range<usize>,
    /// Indices of the first and last sentences involved (equal within one sentence).
    pub sentences: Range<usize>,
    /// Byte span from the start of the first sentence to the end of the last: the evidence.
    pub sentence_span: Range<usize>,
}

/// Every (actor, proposal) pair of `mentions` whose sentences are within `window`, ordered by
/// actor mention then proposal mention. `sentences` are the byte spans of the text's sentences,
/// in order and not overlapping (as a sentence splitter gives them); a mention belongs to the
/// sentence containing its start, and a mention outside every sentence pairs with nothing.
pub fn pair_mentions(
    mentions: &[Mention<'_>],
    sentences: &[Range<usize>],
    window: Window,
) -> Result<Vec<Pair>, Error> {
    for (i, w) in sentences.windows(2).enumerate() {
        if w[1].start < w[0].end {
            return Err(Error::InvalidSentences {
                index: i + 1,
                reason: format!(
                    "sentence {:?} starts before the previous one {:?} ends",
                    w[1], w[0]
                ),
            });
        }
    }
    if let Some(i) = sentences.iter().position(|s| s.start > s.end) {
        return Err(Error::InvalidSentences {
            index: i,
            reason: format!("sentence {:?} ends before it starts", sentences[i]),
        });
    }
    let sentence_of = |pos: usize| {
        let i = sentences.partition_point(|s| s.end <= pos);
        (i < sentences.len() && sentences[i].start <= pos).then_some(i)
    };
    let located: Vec<Option<usize>> = mentions.iter().map(|m| sentence_of(m.span.start)).collect();
    let reach = window.reach();
    let mut pairs = Vec::new();
    for (a, am) in mentions.iter().enumerate() {
        let (Some(_), Some(sa)) = (am.actor(), located[a]) else {
            continue;
        };
        for (p, pm) in mentions.iter().enumerate() {
            let (Some(_), Some(sp)) = (pm.proposal(), located[p]) else {
                continue;
            };
            if sa.abs_diff(sp) > reach {
                continue;
            }
            let (first, last) = (sa.min(sp), sa.max(sp));
            pairs.push(Pair {
                actor: a,
                proposal: p,
                actor_span: am.span.clone(),
                proposal_span: pm.span.clone(),
                sentences: first..last,
                sentence_span: sentences[first].start..sentences[last].end,
            });
        }
    }
    Ok(pairs)
}
