//! The contexts of a mention pair: the sentence with both mentions replaced by placeholder tokens,
//! cut into the text left of the first mention, between the two and right of the second.
//!
//! Placeholders make "Moscow rejected the truce" and "Kyiv rejected the ceasefire" share their
//! features: what a model should learn is the wording around the pair, not the names. They are
//! written `__actor__` and `__proposal__` because scikit-learn's token rule keeps underscores
//! inside a word, so each placeholder stays one token (and one n-gram element) for every word
//! analyzer.

use super::input::MentionInput;

/// The placeholder token for the actor mention.
pub const ACTOR_TOKEN: &str = "__actor__";
/// The placeholder token for the proposal mention.
pub const PROPOSAL_TOKEN: &str = "__proposal__";

/// The texts a mention template reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MentionContext {
    /// The sentence before the first mention, ending with its placeholder.
    pub left: String,
    /// The text between the two mentions, with both placeholders around it.
    pub between: String,
    /// The sentence after the second mention, starting with its placeholder.
    pub right: String,
    /// The whole sentence with both placeholders.
    pub sentence: String,
    /// Whether the actor mention comes first.
    pub actor_first: bool,
    /// The raw text between the two mentions (empty when they touch or overlap).
    pub gap: String,
}

impl MentionContext {
    /// The contexts of `m`, whose spans have been validated.
    pub fn new(m: &MentionInput<'_>) -> Self {
        let sentence = m.sentence_span.clone().unwrap_or(0..m.text.len());
        let actor_first =
            (m.actor_span.start, m.actor_span.end) <= (m.proposal_span.start, m.proposal_span.end);
        let (first, first_token, second, second_token) = if actor_first {
            (&m.actor_span, ACTOR_TOKEN, &m.proposal_span, PROPOSAL_TOKEN)
        } else {
            (&m.proposal_span, PROPOSAL_TOKEN, &m.actor_span, ACTOR_TOKEN)
        };
        // Overlapping mentions ("Russian sovereignty over Crimea" holding "Russian") are treated
        // as touching: the second starts where the first ends.
        let second_start = second.start.max(first.end);
        let second_end = second.end.max(second_start);
        let text = m.text;
        let before = &text[sentence.start..first.start];
        let gap = &text[first.end..second_start];
        let after = &text[second_end..sentence.end];
        let join = |parts: &[&str]| parts.join(" ");
        MentionContext {
            left: join(&[before, first_token]),
            between: join(&[first_token, gap, second_token]),
            right: join(&[second_token, after]),
            sentence: join(&[before, first_token, gap, second_token, after]),
            actor_first,
            gap: gap.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention<'a>(
        text: &'a str,
        actor: std::ops::Range<usize>,
        proposal: std::ops::Range<usize>,
        sentence: Option<std::ops::Range<usize>>,
    ) -> MentionInput<'a> {
        MentionInput {
            text,
            actor: "russia",
            proposal: "ceasefire",
            actor_span: actor,
            proposal_span: proposal,
            sentence_span: sentence,
        }
    }

    #[test]
    fn contexts_of_a_pair() {
        let text = "Intro. Moscow rejected the truce on Monday. Outro.";
        let c = MentionContext::new(&mention(text, 7..13, 27..32, Some(7..43)));
        assert_eq!(c.left, " __actor__");
        assert_eq!(c.between, "__actor__  rejected the  __proposal__");
        assert_eq!(c.right, "__proposal__  on Monday.");
        assert_eq!(
            c.sentence,
            " __actor__  rejected the  __proposal__  on Monday."
        );
        assert!(c.actor_first);
        assert_eq!(c.gap, " rejected the ");
    }

    #[test]
    fn proposal_first_and_whole_text() {
        let text = "A truce, said Kyiv";
        let c = MentionContext::new(&mention(text, 14..18, 2..7, None));
        assert!(!c.actor_first);
        assert_eq!(c.left, "A  __proposal__");
        assert_eq!(c.right, "__actor__ ");
        assert_eq!(c.gap, ", said ");
    }

    #[test]
    fn overlapping_mentions_touch() {
        let text = "Russian sovereignty over Crimea";
        let c = MentionContext::new(&mention(text, 0..7, 0..31, None));
        assert!(c.actor_first);
        assert_eq!(c.gap, "");
        assert_eq!(c.sentence, " __actor__  __proposal__ ");
    }
}
