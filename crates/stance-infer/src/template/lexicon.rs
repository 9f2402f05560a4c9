//! Cue-word features for mention pairs: which kinds of stance cue (support, oppose, negation,
//! attribution, condition, ...) occur left of, between and right of the two mentions, and
//! whether a support or oppose cue is negated.
//!
//! n-grams alone learn "rejected" and "backed" only from the words the training sentences happen
//! to use; a hand-written lexicon generalises to "spurned" or "championed" if it lists them, and
//! the negation flag lets a linear model tell "refused to rule out" from "ruled out". Cues are
//! matched on Snowball stems, so "rejects", "rejected" and "rejecting" are one cue; the lexicon
//! is data saved in the model, so users can extend it in a training config.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use stance_features::analyzer::{
    Analyzer, AnalyzerParams, Language, Preprocess, PreprocessBuffer, Stemming, StopWords,
    TokenPattern, WordParams,
};

use super::ColumnNames;
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
///
/// Stems are numbered (the stems of cues and negators; any other stem can match nothing), and
/// a text's words go through a per-thread cache of word → stem number, so each distinct word is
/// stemmed and looked up once per thread rather than at every mention pair of its sentence.
#[derive(Clone, Debug)]
pub struct Lexicon {
    /// Lowercase words stemmed with the English Snowball stemmer.
    analyzer: Analyzer,
    /// (class index, stem numbers of the cue), longest cues first.
    cues: Vec<(usize, Vec<u32>)>,
    /// By the number of a stem, the cues starting with it (indices into `cues`, in order).
    by_first: Vec<Vec<usize>>,
    /// The numbered stems.
    stems: FxHashMap<String, u32>,
    /// By the number of a stem, whether it is a negator.
    negator: Vec<bool>,
    class_names: Vec<String>,
    window: usize,
    /// Which lexicon this is, for the per-thread cache of word numbers (a clone has the same
    /// words, so it keeps the number).
    id: usize,
}

/// The number of a stem outside the lexicon.
const OTHER: u32 = u32::MAX;
/// The "number" of a word the analyzer drops (none is dropped by the cue analyzer, which has
/// no stop words; kept for safety).
const DROPPED: u32 = u32::MAX - 1;

/// The next [`Lexicon::id`].
static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

/// Distinct words kept in a thread's stem cache before it starts over.
const STEM_CACHE_WORDS: usize = 1 << 16;

/// A thread's cache of the words it has met: word → the number of its stem in the lexicon
/// `owner` (or [`OTHER`], [`DROPPED`]). One lexicon is in use per thread when scoring; another
/// one starts the cache over.
#[derive(Default)]
struct WordNumbers {
    owner: usize,
    numbers: FxHashMap<String, u32>,
}

thread_local! {
    static WORDS: RefCell<WordNumbers> = RefCell::new(WordNumbers::default());
}

/// The token rule of cue lexicons: words with their "n't" kept.
const CUE_TOKEN_PATTERN: &str = r"(?u)\b\w+(?:['’]t)?\b";

/// The analyzer of cue lexicons: lowercase words with their "n't" kept, stemmed by `stemmer`.
pub(super) fn cue_analyzer(stemmer: Stemming) -> Result<Analyzer, Error> {
    Ok(AnalyzerParams::Word(WordParams {
        preprocess: Preprocess::default(),
        token_pattern: TokenPattern::Regex {
            pattern: CUE_TOKEN_PATTERN.to_owned(),
        },
        stop_words: StopWords::None,
        stemmer,
        ngram_range: stance_features::analyzer::NgramRange::UNIGRAMS,
    })
    .check()?)
}

/// The token rule of [`cue_analyzer`], [`CUE_TOKEN_PATTERN`], by hand: the regular
/// expression's own matches, in order (a test compares them), found several times faster.
///
/// A match starts where a run of word characters (`\w` as the regex crate defines it)
/// starts, and takes the whole run, for a shorter run would end inside the word, where
/// `\b` fails; then `'t` or `’t` is taken too when a word boundary follows it.
fn cue_tokens<'t>(text: &'t str, mut f: impl FnMut(&'t str)) {
    // ASCII by a byte test: regex-syntax answers ASCII letters, digits and `_` at once but looks
    // every other character up in its Unicode table, spaces and punctuation included.
    let is_word = |c: char| {
        if c.is_ascii() {
            c.is_ascii_alphanumeric() || c == '_'
        } else {
            regex_syntax::is_word_character(c)
        }
    };
    let bytes = text.as_bytes();
    // Whether the character at byte `i` is a word character, and its length in bytes.
    let word_at = |i: usize| -> (bool, usize) {
        let b = bytes[i];
        if b.is_ascii() {
            (b.is_ascii_alphanumeric() || b == b'_', 1)
        } else {
            let c = text[i..].chars().next().expect("a character starts here");
            (is_word(c), c.len_utf8())
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let (word, len) = word_at(i);
        i += len;
        if !word {
            continue;
        }
        let start = i - len;
        while i < bytes.len() {
            let (word, len) = word_at(i);
            if !word {
                break;
            }
            i += len;
        }
        let rest = &text[i..];
        for apostrophe in ["'t", "’t"] {
            if let Some(after) = rest.strip_prefix(apostrophe) {
                if !after.chars().next().is_some_and(is_word) {
                    // The apostrophe and the t are consumed with the word.
                    i += apostrophe.len();
                    break;
                }
            }
        }
        f(&text[start..i]);
    }
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
        let mut stems: FxHashMap<String, u32> = FxHashMap::default();
        let mut number = |stem: &String| {
            let next = stems.len() as u32;
            *stems.entry(stem.clone()).or_insert(next)
        };
        let cues: Vec<(usize, Vec<u32>)> = cues
            .iter()
            .map(|(class, words)| (*class, words.iter().map(&mut number).collect()))
            .collect();
        let negator_numbers: Vec<u32> = negators.iter().map(&mut number).collect();
        let mut by_first = vec![Vec::new(); stems.len()];
        for (k, (_, cue)) in cues.iter().enumerate() {
            by_first[cue[0] as usize].push(k);
        }
        let mut negator = vec![false; stems.len()];
        for n in negator_numbers {
            negator[n as usize] = true;
        }
        Ok(Lexicon {
            analyzer,
            cues,
            by_first,
            stems,
            negator,
            class_names,
            window: params.negation_window,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        })
    }

    /// The number of columns: per region, per class, the cue then its negated form.
    pub fn len(&self) -> usize {
        REGIONS.len() * self.class_names.len() * 2
    }

    /// Whether there is no column (no class).
    pub fn is_empty(&self) -> bool {
        self.class_names.is_empty()
    }

    /// The feature names, in column order: per region, per class, the cue then its negated form.
    pub fn feature_names(&self) -> Vec<String> {
        (0..self.len()).map(|i| self.name(i)).collect()
    }

    /// The stem numbers of the words of `text`, as [`cue_words`] finds and stems them.
    fn stem_numbers(&self, text: &str, buf: &mut PreprocessBuffer, out: &mut Vec<u32>) {
        let straight;
        let text = if text.contains('’') {
            straight = text.replace('’', "'");
            straight.as_str()
        } else {
            text
        };
        let lower = Preprocess::default().apply(text, buf);
        WORDS.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.owner != self.id || cache.numbers.len() > STEM_CACHE_WORDS {
                cache.numbers.clear();
                cache.owner = self.id;
            }
            cue_tokens(lower.text(), |word| {
                let number = match cache.numbers.get(word) {
                    Some(&number) => number,
                    None => {
                        let number = match self.analyzer.finish_token(word) {
                            Some(stem) => self.stems.get(&*stem).copied().unwrap_or(OTHER),
                            None => DROPPED,
                        };
                        cache.numbers.insert(word.to_owned(), number);
                        number
                    }
                };
                if number != DROPPED {
                    out.push(number);
                }
            });
        });
    }

    /// Adds to `out` the indices (into [`Lexicon::feature_names`]) of the features of the three
    /// region texts, sorted and without duplicates.
    pub fn features(&self, regions: [&str; 3], out: &mut Vec<usize>) {
        let per_region = self.class_names.len() * 2;
        let mut buf = PreprocessBuffer::default();
        let mut stems = Vec::new();
        for (r, text) in regions.into_iter().enumerate() {
            stems.clear();
            self.stem_numbers(text, &mut buf, &mut stems);
            let mut at = 0;
            while at < stems.len() {
                let found = self.by_first.get(stems[at] as usize).and_then(|cues| {
                    cues.iter()
                        .map(|&k| &self.cues[k])
                        .find(|(_, cue)| stems[at..].starts_with(cue))
                });
                match found {
                    Some((class, cue)) => {
                        let from = at.saturating_sub(self.window);
                        let negated = stems[from..at]
                            .iter()
                            .any(|&s| self.negator.get(s as usize).copied().unwrap_or(false));
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

impl ColumnNames for Lexicon {
    /// Appends the name of feature `i` to `out` (explanations name a few features per
    /// prediction, so this builds no intermediate string).
    fn push_name(&self, i: usize, out: &mut String) {
        let per_region = self.class_names.len() * 2;
        let (region, class, negated) = (i / per_region, (i % per_region) / 2, i % 2 == 1);
        if negated {
            out.push_str("not_");
        }
        out.push_str(&self.class_names[class]);
        out.push('@');
        out.push_str(REGIONS[region]);
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

    /// The lexicon's features computed the plain way: every region's words stemmed by the
    /// stemming analyzer, every cue tried in order at every word, as strings.
    fn reference(params: &LexiconParams, regions: [&str; 3]) -> Vec<usize> {
        let analyzer = cue_analyzer(Stemming::Snowball {
            language: Language::English,
        })
        .unwrap();
        let mut cues: Vec<(usize, Vec<String>)> = params
            .classes
            .values()
            .enumerate()
            .flat_map(|(class, words)| words.iter().map(move |w| (class, w)))
            .map(|(class, w)| (class, cue_words(&analyzer, w)))
            .collect();
        cues.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.cmp(b)));
        let negators: Vec<String> = params
            .negators
            .iter()
            .flat_map(|w| cue_words(&analyzer, w))
            .collect();
        let per_region = params.classes.len() * 2;
        let mut out = Vec::new();
        for (r, text) in regions.into_iter().enumerate() {
            let stems = cue_words(&analyzer, text);
            let mut at = 0;
            while at < stems.len() {
                match cues.iter().find(|(_, cue)| stems[at..].starts_with(cue)) {
                    Some((class, cue)) => {
                        let from = at.saturating_sub(params.negation_window);
                        let negated = stems[from..at].iter().any(|s| negators.contains(s));
                        out.push(r * per_region + class * 2 + usize::from(negated));
                        at += cue.len();
                    }
                    None => at += 1,
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    #[test]
    fn ascii_word_characters_are_the_regex_crates() {
        for b in 0u8..128 {
            let c = char::from(b);
            assert_eq!(
                c.is_ascii_alphanumeric() || c == '_',
                regex_syntax::is_word_character(c),
                "{c:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn cue_tokens_are_the_regex_matches(
            text in "([a-zA-Z0-9_'’ .,é中ß\u{300}\u{2028}-]|\\PC){0,40}"
        ) {
            let regex = regex::Regex::new(CUE_TOKEN_PATTERN).unwrap();
            let want: Vec<&str> = regex.find_iter(&text).map(|m| m.as_str()).collect();
            let mut got = Vec::new();
            cue_tokens(&text, |t| got.push(t));
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn cue_tokens_on_apostrophes_and_marks() {
        let regex = regex::Regex::new(CUE_TOKEN_PATTERN).unwrap();
        for text in [
            "don't can'tx won’t isn't' a't 't n't o'clock rock'n'roll",
            "e\u{301}t\u{301} ﬁne Ⅷ ２３ x_y __ a-b",
            "it's 'tis ' t' ’t’ can''t",
            "",
        ] {
            let want: Vec<&str> = regex.find_iter(text).map(|m| m.as_str()).collect();
            let mut got = Vec::new();
            cue_tokens(text, |t| got.push(t));
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn features_and_names_match_the_plain_computation() {
        let params = LexiconParams::default();
        let lexicon = Lexicon::new(&params).unwrap();
        let texts = [
            "Officials said Moscow had flatly rejected the proposal",
            " did not rule out backing a ceasefire, but won’t accept ",
            "Kyiv REJECTS the plan; Washington welcomed it and is open to talks if they resume",
            "Ελλάδα ΟΔΟΣ çà et là: the minister doesn't support, isn't opposed, never endorsed",
            "",
            "rejected rejected rejecting rejects",
        ];
        let (mut cues, mut negated) = (0, 0);
        // Twice over, so that the second pass reads the stem cache.
        for _ in 0..2 {
            for a in texts {
                for b in texts {
                    let regions = [a, b, texts[2]];
                    let mut got = Vec::new();
                    lexicon.features(regions, &mut got);
                    assert_eq!(got, reference(&params, regions), "{regions:?}");
                    cues += got.len();
                    negated += got.iter().filter(|&&i| i % 2 == 1).count();
                }
            }
        }
        assert!(cues > 100 && negated > 10, "{cues} cues, {negated} negated");
        let mut names = Vec::new();
        for region in REGIONS {
            for class in params.classes.keys() {
                names.push(format!("{class}@{region}"));
                names.push(format!("not_{class}@{region}"));
            }
        }
        assert_eq!(lexicon.feature_names(), names);
        assert_eq!(lexicon.len(), names.len());
    }
}
