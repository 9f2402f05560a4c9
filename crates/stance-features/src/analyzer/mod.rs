//! Analyzers: text → preprocessed text → tokens → n-grams, exactly as scikit-learn's
//! `build_analyzer()` does, but configured as data and fast.
//!
//! An [`AnalyzerParams`] is plain serde data (every step tagged with `"type"`) that is saved inside
//! models; [`AnalyzerParams::check`] validates it once and compiles it into an [`Analyzer`].
//! The steps, in order: Unicode normalization, lowercasing, accent stripping ([`Preprocess`]);
//! then for `word` analyzers the token rule, stop words, stemming and word n-grams, and for `char`
//! and `char_wb` analyzers whitespace collapsing and character n-grams.

mod language;
mod ngram;
mod preprocess;
mod stop_words;
mod tokenize;
pub mod unicode;
#[rustfmt::skip]
mod unicode_tables;

use std::borrow::Cow;
use std::ops::Range;

use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

pub use language::Language;
pub use ngram::NgramRange;
pub use preprocess::{Normalization, Preprocess, PreprocessBuffer, Preprocessed, StripAccents};
pub use stop_words::{StopWords, builtin_list};
pub use tokenize::{TokenPattern, word_mask_64};

pub(crate) use ngram::{CharScratch, char_features};
use tokenize::Tokenizer;

use crate::Error;

/// Snowball stemming of word tokens (after stop words are removed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Stemming {
    /// No stemming (scikit-learn's behaviour).
    #[default]
    None,
    /// The Snowball stemmer of rust-stemmers for `language`.
    Snowball {
        /// The stemmer's language.
        language: Language,
    },
}

/// Settings of a `word` analyzer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WordParams {
    /// Normalization, lowercasing and accent stripping.
    pub preprocess: Preprocess,
    /// The token rule.
    pub token_pattern: TokenPattern,
    /// Words removed after tokenizing.
    pub stop_words: StopWords,
    /// Stemming of the remaining tokens.
    pub stemmer: Stemming,
    /// Word n-grams to produce.
    pub ngram_range: NgramRange,
}

/// Settings of a `char` or `char_wb` analyzer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CharParams {
    /// Normalization, lowercasing and accent stripping.
    pub preprocess: Preprocess,
    /// Character n-grams to produce.
    pub ngram_range: NgramRange,
}

/// An analyzer's configuration: scikit-learn's `analyzer` parameter and the ones that go with it.
///
/// ```
/// use stance_features::analyzer::{AnalyzerParams, NgramRange, WordParams};
///
/// let params = AnalyzerParams::Word(WordParams {
///     ngram_range: NgramRange::new(1, 2)?,
///     ..WordParams::default()
/// });
/// let analyzer = params.check()?;
/// assert_eq!(analyzer.analyze("Kyiv rejects the truce"), [
///     "kyiv", "rejects", "the", "truce", "kyiv rejects", "rejects the", "the truce",
/// ]);
/// # Ok::<(), stance_features::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnalyzerParams {
    /// Word tokens and word n-grams (`analyzer='word'`).
    Word(WordParams),
    /// Character n-grams over the whole text (`analyzer='char'`).
    Char(CharParams),
    /// Character n-grams inside words padded with spaces (`analyzer='char_wb'`).
    CharWb(CharParams),
}

impl Default for AnalyzerParams {
    fn default() -> Self {
        AnalyzerParams::Word(WordParams::default())
    }
}

impl AnalyzerParams {
    /// The preprocessing steps.
    pub fn preprocess(&self) -> &Preprocess {
        match self {
            AnalyzerParams::Word(w) => &w.preprocess,
            AnalyzerParams::Char(c) | AnalyzerParams::CharWb(c) => &c.preprocess,
        }
    }

    /// The preprocessing steps, to change them.
    pub fn preprocess_mut(&mut self) -> &mut Preprocess {
        match self {
            AnalyzerParams::Word(w) => &mut w.preprocess,
            AnalyzerParams::Char(c) | AnalyzerParams::CharWb(c) => &mut c.preprocess,
        }
    }

    /// The n-gram range.
    pub fn ngram_range(&self) -> NgramRange {
        match self {
            AnalyzerParams::Word(w) => w.ngram_range,
            AnalyzerParams::Char(c) | AnalyzerParams::CharWb(c) => c.ngram_range,
        }
    }

    /// Validates the parameters and compiles them (regex, stop-word set, stemmer).
    pub fn check(&self) -> Result<Analyzer, Error> {
        let kind = match self {
            AnalyzerParams::Word(w) => Kind::Word(WordSteps {
                tokenizer: Tokenizer::new(&w.token_pattern)?,
                stop: w.stop_words.compile(),
                stemmer: match w.stemmer {
                    Stemming::None => None,
                    Stemming::Snowball { language } => Some(Stemmer::new(language)),
                },
                ngram: w.ngram_range,
            }),
            AnalyzerParams::Char(c) => Kind::Chars {
                range: c.ngram_range,
                word_bounded: false,
            },
            AnalyzerParams::CharWb(c) => Kind::Chars {
                range: c.ngram_range,
                word_bounded: true,
            },
        };
        let features_are_tokens = match &kind {
            Kind::Word(steps) => {
                matches!(steps.tokenizer, Tokenizer::Default)
                    && steps.ngram.max_n() == 1
                    && !steps.rewrites_tokens()
            }
            Kind::Chars { .. } => false,
        };
        Ok(Analyzer {
            params: self.clone(),
            preprocess: *self.preprocess(),
            kind,
            features_are_tokens,
        })
    }
}

/// A rust-stemmers stemmer that remembers its language.
pub(crate) struct Stemmer {
    language: Language,
    inner: rust_stemmers::Stemmer,
}

impl Stemmer {
    fn new(language: Language) -> Stemmer {
        Stemmer {
            language,
            inner: rust_stemmers::Stemmer::create(language.algorithm()),
        }
    }
}

impl Clone for Stemmer {
    fn clone(&self) -> Self {
        Stemmer::new(self.language)
    }
}

impl std::fmt::Debug for Stemmer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Stemmer({})", self.language)
    }
}

/// The compiled word steps.
#[derive(Clone, Debug)]
pub(crate) struct WordSteps {
    tokenizer: Tokenizer,
    stop: Option<FxHashSet<Box<str>>>,
    stemmer: Option<Stemmer>,
    pub(crate) ngram: NgramRange,
}

impl WordSteps {
    /// Whether stop words or stemming can change a token (if not, tokens are used as found).
    pub(crate) fn rewrites_tokens(&self) -> bool {
        self.stop.is_some() || self.stemmer.is_some()
    }

    /// Whether different token sequences always join into different names. Tokens of the
    /// default rule never contain a space; a custom pattern's may, and then "a b" could be one
    /// token or two, which scikit-learn counts as one feature.
    pub(crate) fn joined_names_are_unique(&self) -> bool {
        matches!(self.tokenizer, Tokenizer::Default) || self.ngram.max_n() == 1
    }

    /// Calls `f` with each token of the preprocessed `text`, before stop words and stemming
    /// (the vectorizers cache those per distinct token).
    #[inline]
    pub(crate) fn for_each_token(&self, text: &str, mut f: impl FnMut(&str)) {
        self.tokenizer.for_each(text, |s, e| f(&text[s..e]));
    }

    /// [`for_each_token`](Self::for_each_token) for callers that read a token's bytes only
    /// (the interners): slicing the bytes skips the two character-boundary tests a `str`
    /// slice makes per token (the tokenizer's spans lie on boundaries by construction).
    #[inline]
    pub(crate) fn for_each_token_bytes(&self, text: &str, mut f: impl FnMut(&[u8])) {
        let bytes = text.as_bytes();
        self.tokenizer.for_each(text, |s, e| f(&bytes[s..e]));
    }

    /// Calls `f(start, end)` with the byte span of every token of the preprocessed `text`,
    /// before stop words and stemming: for the vectorizers' interners, which read a token's
    /// first bytes from the text around it (see `Interner::intern_in`).
    #[inline]
    pub(crate) fn for_each_token_span(&self, text: &str, f: impl FnMut(usize, usize)) {
        self.tokenizer.for_each(text, f);
    }

    /// Applies stop words and stemming to a token: `None` for a stop word.
    pub(crate) fn finish<'t>(&self, token: &'t str) -> Option<Cow<'t, str>> {
        if self.stop.as_ref().is_some_and(|s| s.contains(token)) {
            return None;
        }
        Some(match &self.stemmer {
            Some(s) => s.inner.stem(token),
            None => Cow::Borrowed(token),
        })
    }
}

#[derive(Clone, Debug)]
pub(crate) enum Kind {
    Word(WordSteps),
    /// `char` n-grams, or `char_wb` when word-bounded.
    Chars {
        range: NgramRange,
        word_bounded: bool,
    },
}

/// A validated, compiled analyzer. Cheap to share between threads.
#[derive(Clone, Debug)]
pub struct Analyzer {
    params: AnalyzerParams,
    preprocess: Preprocess,
    pub(crate) kind: Kind,
    /// Whether the features are the default rule's tokens of the preprocessed text, as found
    /// (a word analyzer of unigrams with neither stop words nor stemming).
    features_are_tokens: bool,
}

/// Reusable buffers for an [`Analyzer`], one per thread.
#[derive(Debug, Default, Clone)]
pub struct AnalyzerBuffer {
    pub(crate) pre: PreprocessBuffer,
    pub(crate) chars: CharScratch,
    word: String,
    tokens: String,
    token_ends: Vec<usize>,
}

/// A word token: its final text (after preprocessing, stop words and stemming) and the byte span
/// of the original document it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token as the model sees it.
    pub text: Cow<'a, str>,
    /// Byte offsets into the original document.
    pub span: Range<usize>,
}

impl Analyzer {
    /// The parameters this analyzer was compiled from.
    pub fn params(&self) -> &AnalyzerParams {
        &self.params
    }

    /// Preprocesses a document.
    pub fn preprocess<'a>(&self, doc: &'a str, buf: &'a mut PreprocessBuffer) -> Preprocessed<'a> {
        self.preprocess.apply(doc, buf)
    }

    /// Whether the features of a document are the tokens [`default_token_spans`] finds in its
    /// preprocessed text ([`Analyzer::preprocess`]), in order: true for a word analyzer of
    /// unigrams with the default token rule, no stop words and no stemming (scikit-learn's
    /// defaults). A caller can then take the tokens' spans and read them in the text they lie
    /// in.
    ///
    /// ```
    /// use stance_features::analyzer::{AnalyzerParams, PreprocessBuffer, default_token_spans};
    ///
    /// let analyzer = AnalyzerParams::default().check()?;
    /// assert!(analyzer.features_are_tokens());
    /// let doc = "Kyiv REJECTS İstanbul's truce";
    /// let mut buf = PreprocessBuffer::default();
    /// let text = analyzer.preprocess(doc, &mut buf).text();
    /// let mut tokens = Vec::new();
    /// default_token_spans(text, |s, e| tokens.push(&text[s..e]));
    /// assert_eq!(tokens, analyzer.analyze(doc));
    /// # Ok::<(), stance_features::Error>(())
    /// ```
    pub fn features_are_tokens(&self) -> bool {
        self.features_are_tokens
    }

    /// What a word analyzer makes of one token its token rule found: `None` for a stop word,
    /// else the token, stemmed when the analyzer stems (a character analyzer gives it back).
    /// An analyzer with the same parameters but neither stop words nor stemming finds the
    /// tokens, so a caller can keep this per distinct token and get the analyzer's own unigrams.
    pub fn finish_token<'t>(&self, token: &'t str) -> Option<Cow<'t, str>> {
        match &self.kind {
            Kind::Word(steps) => steps.finish(token),
            Kind::Chars { .. } => Some(Cow::Borrowed(token)),
        }
    }

    /// The features of `doc`, in scikit-learn's order, repeats included: what
    /// `build_analyzer()(doc)` returns.
    pub fn analyze(&self, doc: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.for_each_feature(doc, &mut AnalyzerBuffer::default(), |f| {
            out.push(f.to_string())
        });
        out
    }

    /// Calls `f` with each feature of `doc`, in scikit-learn's order, without allocating per
    /// feature once `buf` has grown.
    pub fn for_each_feature(&self, doc: &str, buf: &mut AnalyzerBuffer, mut f: impl FnMut(&str)) {
        let AnalyzerBuffer {
            pre,
            chars,
            word,
            tokens,
            token_ends,
        } = buf;
        let pre = self.preprocess.apply(doc, pre);
        match &self.kind {
            Kind::Word(steps) if steps.ngram.max_n() == 1 => {
                let pre_text = pre.text();
                if steps.rewrites_tokens() {
                    steps.tokenizer.for_each(pre_text, |s, e| {
                        if let Some(t) = steps.finish(&pre_text[s..e]) {
                            f(&t);
                        }
                    });
                } else {
                    steps
                        .tokenizer
                        .for_each(pre_text, |s, e| f(&pre_text[s..e]));
                }
            }
            Kind::Word(steps) => {
                tokens.clear();
                token_ends.clear();
                let pre_text = pre.text();
                steps.tokenizer.for_each(pre_text, |s, e| {
                    if let Some(t) = steps.finish(&pre_text[s..e]) {
                        tokens.push_str(&t);
                        token_ends.push(tokens.len());
                    }
                });
                let token = |i: usize| {
                    let start = if i == 0 { 0 } else { token_ends[i - 1] };
                    &tokens[start..token_ends[i]]
                };
                let count = token_ends.len();
                let range = steps.ngram;
                for n in range.min_n()..=range.max_n().min(count) {
                    for i in 0..=count - n {
                        if n == 1 {
                            f(token(i));
                            continue;
                        }
                        word.clear();
                        for k in i..i + n {
                            if k > i {
                                word.push(' ');
                            }
                            word.push_str(token(k));
                        }
                        f(word);
                    }
                }
            }
            Kind::Chars {
                range,
                word_bounded,
            } => char_features(pre.text(), *range, *word_bounded, chars, f),
        }
    }

    /// The word tokens of `doc` after stop words and stemming, each with its span in `doc`.
    ///
    /// Only `word` analyzers have tokens; a `char` analyzer is an error.
    pub fn tokens<'d>(&self, doc: &'d str) -> Result<Vec<Token<'d>>, Error> {
        let Kind::Word(steps) = &self.kind else {
            return Err(Error::NotAWordAnalyzer);
        };
        let mut buf = PreprocessBuffer::default();
        let pre = self.preprocess.apply(doc, &mut buf);
        let mut out = Vec::new();
        steps.tokenizer.for_each(pre.text(), |s, e| {
            if let Some(t) = steps.finish(&pre.text()[s..e]) {
                let span = pre.source_span(s..e);
                let text = if pre.is_identity() && *t == doc[span.clone()] {
                    Cow::Borrowed(&doc[span.clone()])
                } else {
                    Cow::Owned(t.into_owned())
                };
                out.push(Token { text, span });
            }
        });
        Ok(out)
    }
}

/// Calls `f(start, end)` with the byte span of every token of scikit-learn's default pattern
/// `(?u)\b\w\w+\b` in `text`, in order, with `\w` as Python defines it: the default token rule
/// on text that needs no preprocessing (or whose preprocessing keeps every span, as lowercasing
/// does to ASCII text).
///
/// ```
/// let text = "Kyiv's 3-point plan";
/// let mut tokens = Vec::new();
/// stance_features::analyzer::default_token_spans(text, |s, e| tokens.push(&text[s..e]));
/// assert_eq!(tokens, ["Kyiv", "point", "plan"]);
/// ```
pub fn default_token_spans(text: &str, f: impl FnMut(usize, usize)) {
    tokenize::default_tokens(text, f);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_round_trip_as_tagged_json() {
        let params = AnalyzerParams::Word(WordParams {
            preprocess: Preprocess {
                normalization: Normalization::Nfkc,
                lowercase: true,
                strip_accents: StripAccents::Unicode,
            },
            token_pattern: TokenPattern::Default,
            stop_words: StopWords::Builtin {
                language: Language::English,
            },
            stemmer: Stemming::Snowball {
                language: Language::English,
            },
            ngram_range: NgramRange::new(1, 2).unwrap(),
        });
        let json = serde_json::to_string(&params).unwrap();
        assert_eq!(
            json,
            r#"{"type":"word","preprocess":{"normalization":{"type":"nfkc"},"lowercase":true,"strip_accents":{"type":"unicode"}},"token_pattern":{"type":"default"},"stop_words":{"type":"builtin","language":"english"},"stemmer":{"type":"snowball","language":"english"},"ngram_range":[1,2]}"#
        );
        let back: AnalyzerParams = serde_json::from_str(&json).unwrap();
        assert_eq!(back, params);
        let char_wb: AnalyzerParams =
            serde_json::from_str(r#"{"type":"char_wb","ngram_range":[2,5]}"#).unwrap();
        assert_eq!(char_wb.ngram_range(), NgramRange::new(2, 5).unwrap());
        assert!(char_wb.preprocess().lowercase);
        assert!(serde_json::from_str::<AnalyzerParams>(r#"{"type":"word","bogus":1}"#).is_err());
    }

    #[test]
    fn tokens_keep_spans_into_the_original() {
        let analyzer = AnalyzerParams::default().check().unwrap();
        let doc = "Moscow REJECTED İstanbul's “ceasefire” plan";
        let tokens = analyzer.tokens(doc).unwrap();
        let got: Vec<(&str, &str)> = tokens
            .iter()
            .map(|t| (t.text.as_ref(), &doc[t.span.clone()]))
            .collect();
        assert_eq!(
            got,
            [
                ("moscow", "Moscow"),
                ("rejected", "REJECTED"),
                ("stanbul", "stanbul"),
                ("ceasefire", "ceasefire"),
                ("plan", "plan"),
            ]
        );
    }

    #[test]
    fn stemming_and_stop_words_apply_in_order() {
        let analyzer = AnalyzerParams::Word(WordParams {
            stop_words: StopWords::Builtin {
                language: Language::English,
            },
            stemmer: Stemming::Snowball {
                language: Language::English,
            },
            ngram_range: NgramRange::new(1, 2).unwrap(),
            ..WordParams::default()
        })
        .check()
        .unwrap();
        let stem = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
        let want_uni: Vec<String> = ["leaders", "negotiating", "ceasefires"]
            .iter()
            .map(|w| stem.stem(w).into_owned())
            .collect();
        let got = analyzer.analyze("The leaders are negotiating the ceasefires");
        assert_eq!(got[..3], want_uni[..]);
        assert_eq!(got[3], format!("{} {}", want_uni[0], want_uni[1]));
        assert_eq!(got.len(), 5);
    }

    #[test]
    fn char_analyzers_have_no_tokens() {
        let analyzer = AnalyzerParams::Char(CharParams::default()).check().unwrap();
        assert!(matches!(analyzer.tokens("x"), Err(Error::NotAWordAnalyzer)));
    }
}
