//! Cue-word features for mention pairs: which kinds of stance cue (support, oppose, negation,
//! attribution, condition, ...) occur left of, between and right of the two mentions, and
//! whether a support or oppose cue is negated.
//!
//! n-grams alone learn "rejected" and "backed" only from the words the training sentences happen
//! to use; a hand-written lexicon generalises to "spurned" or "championed" if it lists them, and
//! the negation flag lets a linear model tell "refused to rule out" from "ruled out". Cues are
//! matched on Snowball stems, so "rejects", "rejected" and "rejecting" are one cue; the lexicon
//! is data saved in the model, so users can extend it in a training config.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use stance_features::analyzer::{
    Analyzer, AnalyzerParams, Language, Preprocess, Stemming, StopWords, TokenPattern, WordParams,
};

use crate::Error;

/// The lexicon: cue classes, each a list of words or phrases, and the negators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LexiconParams {
    /// Cue classes by name (`support`, `oppose`, ...): words or phrases, matched on stems.
    pub classes: BTreeMap<String, Vec<String>>,
    /// Words that negate a cue that follows within `negation_window` tokens.
    pub negators: Vec<String>,
    /// How many tokens before a cue a negator reaches.
    pub negation_window: usize,
}

const SUPPORT: &[&str] = &[
    "support",
    "back",
    "endorse",
    "welcome",
    "propose",
    "favour",
    "favor",
    "in favour of",
    "in favor of",
    "push for",
    "call for",
    "demand",
    "insist",
    "urge",
    "offer",
    "agree",
    "accept",
    "embrace",
    "champion",
    "advocate",
    "pledge",
    "commit",
    "ready to",
    "willing to",
    "open to",
    "seek",
    "want",
    "hail",
    "praise",
    "approve",
    "sign",
    "broker",
    "lead",
    "draft",
    "press for",
    "argue for",
    "vow",
    "promise",
    "guarantee",
    "keen",
    "eager",
    "prepared to",
    "stand by",
];
const OPPOSE: &[&str] = &[
    "reject",
    "oppose",
    "opposition",
    "refuse",
    "dismiss",
    "unacceptable",
    "warn against",
    "block",
    "veto",
    "criticise",
    "criticize",
    "condemn",
    "rule out",
    "resist",
    "wary",
    "object",
    "denounce",
    "slam",
    "scrap",
    "abandon",
    "against",
    "undermine",
    "sabotage",
    "red line",
    "spurn",
    "rebuff",
    "decline",
    "balk",
    "never",
    "non-starter",
    "impossible",
    "threaten",
    "accuse",
    "attack",
    "derail",
    "torpedo",
    "stall",
    "sceptical",
    "skeptical",
    "doubt",
];
const ATTRIBUTION: &[&str] = &[
    "say",
    "said",
    "tell",
    "told",
    "according to",
    "reportedly",
    "claim",
    "allege",
    "report",
    "state",
    "announce",
    "insist",
    "add",
    "note",
    "quote",
    "source",
];
const CONDITION: &[&str] = &[
    "if",
    "unless",
    "provided",
    "only if",
    "condition",
    "conditional",
    "as long as",
    "in exchange",
    "in return",
    "so long as",
];
const NEUTRAL: &[&str] = &[
    "discuss",
    "talk",
    "meet",
    "meeting",
    "consider",
    "attend",
    "host",
    "explore",
    "negotiate",
    "negotiation",
    "debate",
    "mull",
    "weigh",
    "review",
    "study",
    "possible",
    "potential",
];
const NEGATORS: &[&str] = &[
    "not",
    "no",
    "never",
    "neither",
    "nor",
    "without",
    "cannot",
    "don't",
    "doesn't",
    "didn't",
    "won't",
    "wouldn't",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "hasn't",
    "haven't",
    "hadn't",
    "can't",
    "couldn't",
    "shouldn't",
    "refuse",
    "fail",
    "unlikely",
    "hardly",
];

impl Default for LexiconParams {
    fn default() -> Self {
        let list = |words: &[&str]| words.iter().map(|w| w.to_string()).collect();
        let classes = [
            ("support", SUPPORT),
            ("oppose", OPPOSE),
            ("attribution", ATTRIBUTION),
            ("condition", CONDITION),
            ("neutral", NEUTRAL),
        ]
        .into_iter()
        .map(|(name, words)| (name.to_owned(), list(words)))
        .collect();
        LexiconParams {
            classes,
            negators: list(NEGATORS),
            negation_window: 3,
        }
    }
}

/// The parts of a mention's sentence a cue can be found in.
pub const REGIONS: [&str; 3] = ["left", "between", "right"];

/// A compiled lexicon: every cue as a sequence of stems.
#[derive(Clone, Debug)]
pub struct Lexicon {
    analyzer: Analyzer,
    /// (class index, stems of the cue), longest cues first.
    cues: Vec<(usize, Vec<String>)>,
    class_names: Vec<String>,
    negators: Vec<String>,
    window: usize,
}

/// The analyzer of cue lexicons: lowercase words with their "n't" kept, stemmed by `stemmer`.
pub(super) fn cue_analyzer(stemmer: Stemming) -> Result<Analyzer, Error> {
    Ok(AnalyzerParams::Word(WordParams {
        preprocess: Preprocess::default(),
        token_pattern: TokenPattern::Regex {
            pattern: r"(?u)\b\w+(?:['’]t)?\b".to_owned(),
        },
        stop_words: StopWords::None,
        stemmer,
        ngram_range: stance_features::analyzer::NgramRange::UNIGRAMS,
    })
    .check()?)
}

/// The words of `text` by a [`cue_analyzer`], curly apostrophes made straight first.
pub(super) fn cue_words(analyzer: &Analyzer, text: &str) -> Vec<String> {
    analyzer.analyze(&text.replace('’', "'"))
}

impl Lexicon {
    /// Compiles `params`.
    pub fn new(params: &LexiconParams) -> Result<Self, Error> {
        let analyzer = cue_analyzer(Stemming::Snowball {
            language: Language::English,
        })?;
        let class_names: Vec<String> = params.classes.keys().cloned().collect();
        let mut cues = Vec::new();
        for (class, words) in params.classes.values().enumerate() {
            for phrase in words {
                let stems = cue_words(&analyzer, phrase);
                if stems.is_empty() {
                    return Err(Error::Template {
                        reason: format!(
                            "lexicon class {:?}: cue {phrase:?} has no word",
                            class_names[class]
                        ),
                    });
                }
                cues.push((class, stems));
            }
        }
        cues.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.cmp(b)));
        cues.dedup();
        let mut negators: Vec<String> = params
            .negators
            .iter()
            .flat_map(|w| cue_words(&analyzer, w))
            .collect();
        negators.sort();
        negators.dedup();
        Ok(Lexicon {
            analyzer,
            cues,
            class_names,
            negators,
            window: params.negation_window,
        })
    }

    /// The feature names, in column order: per region, per class, the cue then its negated form.
    pub fn feature_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        for region in REGIONS {
            for class in &self.class_names {
                names.push(format!("{class}@{region}"));
                names.push(format!("not_{class}@{region}"));
            }
        }
        names
    }

    /// Adds to `out` the indices (into [`Lexicon::feature_names`]) of the features of the three
    /// region texts, sorted and without duplicates.
    pub fn features(&self, regions: [&str; 3], out: &mut Vec<usize>) {
        let per_region = self.class_names.len() * 2;
        for (r, text) in regions.into_iter().enumerate() {
            let stems = cue_words(&self.analyzer, text);
            let mut at = 0;
            while at < stems.len() {
                let found = self
                    .cues
                    .iter()
                    .find(|(_, cue)| stems[at..].starts_with(cue));
                match found {
                    Some((class, cue)) => {
                        let from = at.saturating_sub(self.window);
                        let negated = stems[from..at]
                            .iter()
                            .any(|s| self.negators.binary_search(s).is_ok());
                        out.push(r * per_region + class * 2 + usize::from(negated));
                        at += cue.len();
                    }
                    None => at += 1,
                }
            }
        }
        out.sort_unstable();
        out.dedup();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(lexicon: &Lexicon, regions: [&str; 3]) -> Vec<String> {
        let all = lexicon.feature_names();
        let mut out = Vec::new();
        lexicon.features(regions, &mut out);
        out.into_iter().map(|i| all[i].clone()).collect()
    }

    #[test]
    fn cues_by_region_and_negation() {
        let lexicon = Lexicon::new(&LexiconParams::default()).unwrap();
        let cases: &[([&str; 3], &[&str])] = &[
            (["", " rejected the ", ""], &["oppose@between"]),
            (["", " has backed ", ""], &["support@between"]),
            (
                ["", " refused to rule out ", ""],
                &["not_oppose@between", "oppose@between"],
            ),
            (["", " did not support the ", ""], &["not_support@between"]),
            (["", " is not wary of", ""], &["not_oppose@between"]),
            (["", " won’t accept ", ""], &["not_support@between"]),
            (
                ["Officials said", " will discuss ", " if talks resume"],
                &[
                    "attribution@left",
                    "condition@right",
                    "neutral@between",
                    "neutral@right",
                ],
            ),
            (["", " is open to ", ""], &["support@between"]),
            (["", " met ", ""], &[]),
        ];
        for (regions, expected) in cases {
            let mut got = names(&lexicon, *regions);
            got.sort();
            let mut expected = expected.to_vec();
            expected.sort();
            assert_eq!(got, expected, "{regions:?}");
        }
    }

    #[test]
    fn an_empty_cue_is_refused() {
        let mut params = LexiconParams::default();
        params.classes.insert("odd".into(), vec!["!".into()]);
        assert!(Lexicon::new(&params).is_err());
    }
}
