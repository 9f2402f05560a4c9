//! Cue-word features of a pair's second text (a headline about a claim): hedging, refuting and
//! negation words, question marks, and whether the headline negates what the claim does not.
//!
//! These are the hand-written features of Ferreira & Vlachos (2016) that need no parser: a
//! headline that reports a claim ("reportedly", "claims", a question) tends to observe it, one
//! that calls it a hoax or denies it tends to be against it, and a negation in the headline but
//! not in the claim ("X did not ...") is a sign of disagreement. Bag-of-words blocks see these
//! words too, but only the ones the training headlines happen to use; a lexicon generalises to
//! the words it lists. Words are matched exactly after lowercasing (no stemming, so a lexicon
//! lists the inflections it wants); the lexicon is data saved in the model.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use stance_features::analyzer::{Analyzer, Stemming};

use super::ColumnNames;
use super::lexicon::{cue_analyzer, cue_words};
use crate::Error;

/// The lexicon of the `pair_cues` block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PairCuesParams {
    /// Cue classes by name (`hedge`, `refute`, ...): lowercase words, matched exactly.
    pub classes: BTreeMap<String, Vec<String>>,
    /// Negation words (lowercase; "n't" forms such as "didn't" are words here).
    pub negators: Vec<String>,
    /// A cue within the first `lead` words of the headline also sets `<class>@lead`.
    pub lead: usize,
}

const HEDGE: &[&str] = &[
    "reportedly",
    "allegedly",
    "alleged",
    "apparently",
    "purportedly",
    "supposedly",
    "reports",
    "report",
    "reported",
    "claims",
    "claim",
    "claimed",
    "says",
    "said",
    "according",
    "sources",
    "source",
    "rumor",
    "rumors",
    "rumour",
    "rumours",
    "rumored",
    "rumoured",
    "speculation",
    "unconfirmed",
    "unverified",
    "may",
    "might",
    "could",
    "possibly",
    "possible",
    "likely",
    "probably",
    "perhaps",
    "maybe",
    "believed",
    "appears",
    "seems",
    "suggests",
    "if",
    "whether",
];
const REFUTE: &[&str] = &[
    "hoax",
    "hoaxes",
    "fake",
    "faked",
    "false",
    "falsely",
    "untrue",
    "bogus",
    "myth",
    "debunk",
    "debunks",
    "debunked",
    "deny",
    "denies",
    "denied",
    "denial",
    "refute",
    "refutes",
    "refuted",
    "dismiss",
    "dismisses",
    "dismissed",
    "reject",
    "rejects",
    "rejected",
    "satire",
    "satirical",
    "fabricated",
    "fiction",
    "scam",
    "prank",
    "joke",
    "misleading",
    "incorrect",
    "wrong",
    "lie",
    "lies",
    "phony",
    "photoshopped",
    "doctored",
    "actually",
    "sorry",
    "nope",
    "contrary",
];
const NEGATORS: &[&str] = &[
    "not",
    "no",
    "never",
    "none",
    "nothing",
    "nobody",
    "neither",
    "nor",
    "without",
    "cannot",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "don't",
    "doesn't",
    "didn't",
    "won't",
    "wouldn't",
    "hasn't",
    "haven't",
    "hadn't",
    "can't",
    "couldn't",
    "shouldn't",
];

impl Default for PairCuesParams {
    fn default() -> Self {
        let list = |words: &[&str]| words.iter().map(|w| w.to_string()).collect();
        PairCuesParams {
            classes: [("hedge", HEDGE), ("refute", REFUTE)]
                .into_iter()
                .map(|(name, words)| (name.to_owned(), list(words)))
                .collect(),
            negators: list(NEGATORS),
            lead: 3,
        }
    }
}

/// Features after the classes' two each (`<class>`, `<class>@lead`).
const FIXED: [&str; 5] = [
    "question",
    "question_end",
    "negation@a",
    "negation@b",
    "negation@b_only",
];

/// A compiled `pair_cues` lexicon.
#[derive(Clone, Debug)]
pub struct PairCues {
    analyzer: Analyzer,
    class_names: Vec<String>,
    /// Word -> the classes it belongs to.
    words: BTreeMap<String, Vec<usize>>,
    negators: HashSet<String>,
    lead: usize,
}

impl PairCues {
    /// Compiles `params`; a cue or negator that is not one word is refused.
    pub fn new(params: &PairCuesParams) -> Result<Self, Error> {
        let analyzer = cue_analyzer(Stemming::None)?;
        let one_word = |what: &str, w: &str| -> Result<String, Error> {
            match cue_words(&analyzer, w).as_slice() {
                [word] => Ok(word.clone()),
                _ => Err(Error::Template {
                    reason: format!("pair_cues {what}: {w:?} is not one word"),
                }),
            }
        };
        let class_names: Vec<String> = params.classes.keys().cloned().collect();
        let mut words: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (class, list) in params.classes.values().enumerate() {
            for w in list {
                let word = one_word(&format!("class {:?}", class_names[class]), w)?;
                let classes = words.entry(word).or_default();
                if !classes.contains(&class) {
                    classes.push(class);
                }
            }
        }
        let negators = params
            .negators
            .iter()
            .map(|w| one_word("negator", w))
            .collect::<Result<_, _>>()?;
        Ok(PairCues {
            analyzer,
            class_names,
            words,
            negators,
            lead: params.lead,
        })
    }

    /// The number of columns: per class, the cue anywhere then in the lead; then the fixed ones.
    pub fn len(&self) -> usize {
        2 * self.class_names.len() + FIXED.len()
    }

    /// Whether there is no column (never: the fixed columns are always there).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The feature names, in column order.
    pub fn feature_names(&self) -> Vec<String> {
        (0..self.len()).map(|i| self.name(i)).collect()
    }

    fn words(&self, text: &str) -> Vec<String> {
        cue_words(&self.analyzer, text)
    }

    /// Adds to `out` the indices (into [`PairCues::feature_names`]) of the features of the pair
    /// (`a` = claim, `b` = headline), sorted and without duplicates.
    pub fn features(&self, a: &str, b: &str, out: &mut Vec<usize>) {
        let fixed = 2 * self.class_names.len();
        let words_b = self.words(b);
        for (i, w) in words_b.iter().enumerate() {
            for &class in self.words.get(w).map_or(&[][..], Vec::as_slice) {
                out.push(2 * class);
                if i < self.lead {
                    out.push(2 * class + 1);
                }
            }
        }
        if b.contains('?') {
            out.push(fixed);
        }
        if b.trim_end().ends_with('?') {
            out.push(fixed + 1);
        }
        let negated = |words: &[String]| words.iter().any(|w| self.negators.contains(w));
        let (neg_a, neg_b) = (negated(&self.words(a)), negated(&words_b));
        if neg_a {
            out.push(fixed + 2);
        }
        if neg_b {
            out.push(fixed + 3);
        }
        if neg_b && !neg_a {
            out.push(fixed + 4);
        }
        out.sort_unstable();
        out.dedup();
    }
}

impl ColumnNames for PairCues {
    /// Appends the name of feature `i` to `out`.
    fn push_name(&self, i: usize, out: &mut String) {
        match self.class_names.get(i / 2) {
            Some(class) => {
                out.push_str(class);
                if i % 2 == 1 {
                    out.push_str("@lead");
                }
            }
            None => out.push_str(FIXED[i - 2 * self.class_names.len()]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(cues: &PairCues, a: &str, b: &str) -> Vec<String> {
        let all = cues.feature_names();
        let mut out = Vec::new();
        cues.features(a, b, &mut out);
        out.into_iter().map(|i| all[i].clone()).collect()
    }

    #[test]
    fn cues_of_headlines() {
        let cues = PairCues::new(&PairCuesParams::default()).unwrap();
        assert_eq!(
            cues.feature_names(),
            [
                "hedge",
                "hedge@lead",
                "refute",
                "refute@lead",
                "question",
                "question_end",
                "negation@a",
                "negation@b",
                "negation@b_only",
            ]
        );
        let claim = "A wife of the ISIS leader was detained";
        let cases: &[(&str, &str, &[&str])] = &[
            (claim, "Lebanon detains wife of ISIS leader", &[]),
            (
                claim,
                "The Lebanese army now says it holds the wife",
                &["hedge"],
            ),
            (
                claim,
                "Iraq says woman is not the wife",
                &["hedge", "hedge@lead", "negation@b", "negation@b_only"],
            ),
            (
                claim,
                "Reportedly detained: the wife",
                &["hedge", "hedge@lead"],
            ),
            (
                claim,
                "Iraq Denies Lebanon Captured the Wife",
                &["refute", "refute@lead"],
            ),
            (
                claim,
                "Is this the wife? Man claims so",
                &["hedge", "question"],
            ),
            (
                claim,
                "The wife, or a hoax?",
                &["question", "question_end", "refute"],
            ),
            (
                claim,
                "Sorry, she Didn’t",
                &["negation@b", "negation@b_only", "refute", "refute@lead"],
            ),
            (
                "Apple won't hold an event",
                "Apple isn't holding an event",
                &["negation@a", "negation@b"],
            ),
            (
                "Apple won't hold an event",
                "An event in March",
                &["negation@a"],
            ),
        ];
        for (a, b, expected) in cases {
            let mut got = names(&cues, a, b);
            got.sort();
            let mut expected = expected.to_vec();
            expected.sort();
            assert_eq!(got, expected, "{b:?}");
        }
    }

    #[test]
    fn a_cue_of_two_words_is_refused() {
        let mut params = PairCuesParams::default();
        params
            .classes
            .insert("odd".into(), vec!["according to".into()]);
        let err = PairCues::new(&params).unwrap_err().to_string();
        assert!(err.contains("according to") && err.contains("odd"), "{err}");
        let mut params = PairCuesParams::default();
        params.negators.push("!".into());
        assert!(PairCues::new(&params).is_err());
    }
}
