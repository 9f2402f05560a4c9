//! Scoring articles: the main job. An article is cleaned of page boilerplate, split into
//! sentences, searched for actor and proposal mentions with the gazetteer (dated roles resolved
//! with the article's date), every actor paired with every proposal near it, each pair labelled
//! by the stance model, and each sentence by the sentiment model.
//!
//! Every position in the result is a code-point span of the **original** text: the cleaner keeps
//! a map from its output back to the input, so evidence can be highlighted in the file the user
//! gave.

use std::cell::RefCell;
use std::ops::Range;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};
use stance_corpus::{CodePoints, Span, Task, push_json_str};
use stance_features::gazetteer::{Date, Gazetteer, Mention, Pair, Window, pair_mentions};
use stance_features::text::{CleanParams, Cleaned, Cleaner, SentenceParams, SentenceSplitter};

use crate::Error;
use crate::linear::{argmax, probability_map};
use crate::model::{Model, PredictScratch, Prediction};
use crate::template::{Input, MentionInput};

/// How articles are scored, besides the models.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScoreParams {
    /// The boilerplate cleaner's settings.
    pub clean: CleanParams,
    /// The sentence splitter's settings.
    pub sentences: SentenceParams,
    /// How near an actor and a proposal must be to be paired.
    pub window: Window,
    /// Explaining features listed per stance.
    pub top_features: usize,
}

/// Everything needed to score articles, built once and shared by every thread.
#[derive(Debug)]
pub struct Scorer {
    cleaner: Cleaner,
    splitter: SentenceSplitter,
    gazetteer: Gazetteer,
    stance: Model,
    sentiment: Option<Model>,
    window: Window,
    top_features: usize,
}

/// A text span of the original article: code points and the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The text.
    pub text: String,
}

/// One actor's stance toward one proposal.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StanceResult {
    /// The actor's gazetteer id.
    pub actor: String,
    /// The actor's display name.
    pub actor_name: String,
    /// The actor's country (for people), or the actor itself for a country.
    pub country: Option<String>,
    /// The proposal's gazetteer id.
    pub proposal: String,
    /// The proposal's display name.
    pub proposal_name: String,
    /// The predicted label (support, oppose, neutral).
    pub stance: String,
    /// The probability of each label.
    pub probabilities: Map<String, Value>,
    /// The sentence (or window) holding the pair, as in the original text.
    pub sentence: String,
    /// Where the sentence is in the original text.
    pub evidence: Evidence,
    /// The actor mention in the original text, code points.
    pub actor_span: Span,
    /// The actor mention as written.
    pub actor_text: String,
    /// How the actor was found: alias, metonym, place, role, seat, fuzzy.
    pub actor_match: String,
    /// The proposal mention in the original text, code points.
    pub proposal_span: Span,
    /// The proposal mention as written.
    pub proposal_text: String,
    /// The features that weighed most for the label, with their contributions (written as
    /// `f64`, the exact value of the `f32`).
    #[serde(serialize_with = "widened")]
    pub top_features: Vec<(String, f32)>,
}

impl StanceResult {
    /// Appends the JSON object of the result to `out`: the same bytes as `serde_json` writes
    /// for it, with the strings escaped eight bytes at a time ([`push_json_str`]), since a
    /// stance-dense article writes its sentences once per pair and `serde_json`'s byte-by-byte
    /// escaping took a tenth of the run.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        let key = |out: &mut Vec<u8>, name: &str| {
            out.extend_from_slice(if out.last() == Some(&b'{') {
                b"\""
            } else {
                b",\""
            });
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b"\":");
        };
        // Numbers, spans and the small probability map go through serde_json.
        out.push(b'{');
        key(out, "actor");
        push_json_str(out, &self.actor);
        key(out, "actor_name");
        push_json_str(out, &self.actor_name);
        key(out, "country");
        match &self.country {
            Some(c) => push_json_str(out, c),
            None => out.extend_from_slice(b"null"),
        }
        key(out, "proposal");
        push_json_str(out, &self.proposal);
        key(out, "proposal_name");
        push_json_str(out, &self.proposal_name);
        key(out, "stance");
        push_json_str(out, &self.stance);
        key(out, "probabilities");
        write_value(out, &self.probabilities);
        key(out, "sentence");
        push_json_str(out, &self.sentence);
        key(out, "evidence");
        out.extend_from_slice(b"{\"start\":");
        write_value(out, &self.evidence.start);
        out.extend_from_slice(b",\"end\":");
        write_value(out, &self.evidence.end);
        out.extend_from_slice(b",\"text\":");
        push_json_str(out, &self.evidence.text);
        out.push(b'}');
        key(out, "actor_span");
        write_value(out, &self.actor_span);
        key(out, "actor_text");
        push_json_str(out, &self.actor_text);
        key(out, "actor_match");
        push_json_str(out, &self.actor_match);
        key(out, "proposal_span");
        write_value(out, &self.proposal_span);
        key(out, "proposal_text");
        push_json_str(out, &self.proposal_text);
        key(out, "top_features");
        out.push(b'[');
        for (i, (name, contribution)) in self.top_features.iter().enumerate() {
            out.extend_from_slice(if i == 0 { b"[" } else { b",[" });
            push_json_str(out, name);
            out.push(b',');
            write_value(out, &f64::from(*contribution));
            out.push(b']');
        }
        out.extend_from_slice(b"]}");
    }
}

/// Appends `v` as `serde_json` writes it: for numbers, spans and string-keyed maps, which cannot
/// fail.
fn write_value<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
    serde_json::to_writer(&mut *out, v).expect("numbers, spans and string maps serialize");
}

/// `(name, f32)` pairs serialized with the numbers as `f64`: the same text as through a
/// `serde_json::Value`, which holds every number as an `f64`.
fn widened<S: serde::Serializer>(pairs: &[(String, f32)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(pairs.iter().map(|(name, v)| (name, f64::from(*v))))
}

/// The sentiment of an article: the mean of its sentences' probabilities.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SentimentResult {
    /// The label with the highest mean probability.
    pub label: String,
    /// The mean probability of each label over the sentences.
    pub probabilities: Map<String, Value>,
    /// How many sentences were scored.
    pub sentences: usize,
}

/// One scored article.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArticleScore {
    /// Every paired actor's stance toward every proposal, in text order.
    pub stances: Vec<StanceResult>,
    /// The article's sentiment, when a sentiment model is loaded and the article has sentences.
    pub sentiment: Option<SentimentResult>,
    /// Lines the cleaner dropped as boilerplate.
    pub dropped_lines: usize,
    /// Sentences of the cleaned text.
    pub sentences: usize,
    /// Actor and proposal mentions found.
    pub mentions: usize,
}

impl Scorer {
    /// A scorer with a `mention` stance model, an optional `document` sentiment model, and the
    /// gazetteer the stance model was trained with (or `gazetteer`, TOML, to override it).
    pub fn new(
        stance: Model,
        sentiment: Option<Model>,
        gazetteer: Option<(&str, &str)>,
        params: &ScoreParams,
    ) -> Result<Self, Error> {
        if stance.manifest().task != Task::Mention {
            return Err(Error::Model {
                reason: format!(
                    "the stance model is a {} model, not a mention model",
                    stance.manifest().task
                ),
            });
        }
        if let Some(s) = &sentiment {
            if s.manifest().task != Task::Document {
                return Err(Error::Model {
                    reason: format!(
                        "the sentiment model is a {} model, not a document model",
                        s.manifest().task
                    ),
                });
            }
        }
        let gazetteer = match gazetteer {
            Some((source, name)) => Gazetteer::from_toml(source, name)?,
            None => {
                let source = stance.gazetteer().ok_or_else(|| Error::Model {
                    reason: "the stance model holds no gazetteer; give one".into(),
                })?;
                Gazetteer::from_toml(source, "the model's gazetteer")?
            }
        };
        // Build the models' fast tables now, at start-up, rather than while the first articles
        // wait.
        stance.template().prepare();
        if let Some(s) = &sentiment {
            s.template().prepare();
        }
        Ok(Scorer {
            cleaner: params.clean.check()?,
            splitter: SentenceSplitter::new(params.sentences),
            gazetteer,
            stance,
            sentiment,
            window: params.window,
            top_features: params.top_features,
        })
    }

    /// The stance model's labels, in its order.
    pub fn stance_labels(&self) -> &[String] {
        &self.stance.manifest().labels
    }

    /// The gazetteer in use.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Scores one article; `date` (ISO 8601) resolves dated roles.
    pub fn score(&self, text: &str, date: Option<&str>) -> Result<ArticleScore, Error> {
        self.score_batch(&[(text, date)])
            .pop()
            .expect("one result per article")
    }

    /// Scores articles (text, date), one result per article in order, in parallel at article
    /// granularity (cleaning, sentences, mentions, stances). A sentiment model with a fast path
    /// ([`FittedTemplate::has_fast_path`](crate::template::FittedTemplate::has_fast_path): word
    /// n-grams, the shipped one) scores each article's sentences there too, one row at a time;
    /// any other goes through the sentences of all the articles in one batch afterwards, where
    /// its vectorizer is fastest. A sentence's probabilities depend on that sentence alone, so
    /// the results are the same either way and for any number of threads.
    pub fn score_batch(
        &self,
        articles: &[(&str, Option<&str>)],
    ) -> Vec<Result<ArticleScore, Error>> {
        let per_article = self
            .sentiment
            .as_ref()
            .is_some_and(|m| m.template().has_fast_path());
        let prepared: Vec<Result<Prepared, Error>> = articles
            .par_iter()
            .map(|(text, date)| self.score_one(text, *date, per_article))
            .collect();
        let (Some(model), false) = (&self.sentiment, per_article) else {
            return prepared
                .into_iter()
                .map(|r| r.map(|(score, ..)| score))
                .collect();
        };
        let inputs: Vec<Input<'_>> = prepared
            .iter()
            .flatten()
            .flat_map(|(_, clean, sentences)| {
                sentences.iter().map(|s| Input::Document {
                    text: &clean[s.clone()],
                })
            })
            .collect();
        let predictions = match model.predict(&inputs, 0) {
            Ok(p) => p,
            Err(e) => {
                let reason = e.to_string();
                return prepared
                    .into_iter()
                    .map(|r| {
                        r.and_then(|_| {
                            Err(Error::Model {
                                reason: format!("the sentiment model failed: {reason}"),
                            })
                        })
                    })
                    .collect();
            }
        };
        let labels = &model.manifest().labels;
        let mut next = predictions.iter();
        prepared
            .into_iter()
            .map(|r| {
                r.map(|(mut score, _, sentences)| {
                    let mut mean = SentimentMean::new(labels.len(), sentences.len());
                    for p in next.by_ref().take(sentences.len()) {
                        mean.add(&p.probabilities);
                    }
                    score.sentiment = mean.finish(labels);
                    score
                })
            })
            .collect()
    }

    /// Everything but the sentiment, with the cleaned text and its sentences; the sentiment too
    /// when `with_sentiment`.
    fn score_one(
        &self,
        text: &str,
        date: Option<&str>,
        with_sentiment: bool,
    ) -> Result<Prepared, Error> {
        let date = date.and_then(|d| Date::parse_prefix(d).ok());
        let cleaned = self.cleaner.clean(text);
        let clean = cleaned.text.as_str();
        let sentences = self.splitter.split(clean);
        let mentions = self.gazetteer.find(clean, date);
        let pairs = pair_mentions(&mentions, &sentences, self.window)?;
        let inputs: Vec<Input<'_>> = pairs
            .iter()
            .map(|p| {
                let (actor, proposal) = (&mentions[p.actor], &mentions[p.proposal]);
                Input::Mention(MentionInput {
                    text: clean,
                    actor: self.actor_id(actor),
                    proposal: self.proposal_id(proposal),
                    actor_span: p.actor_span.clone(),
                    proposal_span: p.proposal_span.clone(),
                    sentence_span: Some(p.sentence_span.clone()),
                })
            })
            .collect();
        // Most articles pair nothing: then neither the model nor the code-point map is built.
        let stances = if inputs.is_empty() {
            Vec::new()
        } else {
            let predictions = self.stance.predict(&inputs, self.top_features)?;
            self.stances(text, &cleaned, &mentions, &pairs, predictions)
        };
        let sentiment = match &self.sentiment {
            Some(model) if with_sentiment => {
                with_scratch(|scratch| sentiment(model, clean, &sentences, scratch))?
            }
            _ => None,
        };
        let score = ArticleScore {
            stances,
            sentiment,
            dropped_lines: cleaned.dropped.len(),
            sentences: sentences.len(),
            mentions: mentions.len(),
        };
        Ok((score, cleaned.text, sentences))
    }

    /// The stance results of the `pairs`, with their `predictions`, in the original's positions.
    fn stances(
        &self,
        text: &str,
        cleaned: &Cleaned,
        mentions: &[Mention<'_>],
        pairs: &[Pair],
        predictions: Vec<Prediction>,
    ) -> Vec<StanceResult> {
        let map = Positions::new(text, cleaned);
        let labels = &self.stance.manifest().labels;
        pairs
            .iter()
            .zip(predictions)
            .map(|(p, prediction)| {
                let (actor_m, proposal_m) = (&mentions[p.actor], &mentions[p.proposal]);
                let actor = self
                    .gazetteer
                    .actor(actor_m.actor().expect("an actor mention"));
                let proposal = self
                    .gazetteer
                    .proposal(proposal_m.proposal().expect("a proposal mention"));
                let evidence = map.evidence(p.sentence_span.clone());
                StanceResult {
                    actor: actor.id().to_owned(),
                    actor_name: actor.name().to_owned(),
                    country: actor
                        .country()
                        .map(|c| self.gazetteer.actor(c).id().to_owned()),
                    proposal: proposal.id().to_owned(),
                    proposal_name: proposal.name().to_owned(),
                    stance: labels[prediction.class].clone(),
                    probabilities: probability_map(labels, &prediction.probabilities),
                    sentence: evidence.text.clone(),
                    evidence,
                    actor_span: map.span(p.actor_span.clone()),
                    actor_text: actor_m.text.to_owned(),
                    actor_match: actor_m.how.as_str().to_owned(),
                    proposal_span: map.span(p.proposal_span.clone()),
                    proposal_text: proposal_m.text.to_owned(),
                    top_features: prediction.top_features,
                }
            })
            .collect()
    }

    fn actor_id<'a>(&'a self, m: &Mention<'_>) -> &'a str {
        self.gazetteer
            .actor(m.actor().expect("an actor mention"))
            .id()
    }

    fn proposal_id<'a>(&'a self, m: &Mention<'_>) -> &'a str {
        self.gazetteer
            .proposal(m.proposal().expect("a proposal mention"))
            .id()
    }
}

thread_local! {
    /// The sentiment model's buffers of this thread, kept from article to article.
    static SCRATCH: RefCell<PredictScratch> = RefCell::new(PredictScratch::default());
}

/// Calls `f` with this thread's [`SCRATCH`], or with fresh buffers if it is in use.
fn with_scratch<R>(f: impl FnOnce(&mut PredictScratch) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => f(&mut scratch),
        Err(_) => f(&mut PredictScratch::default()),
    })
}

/// The sentiment of the `sentences` (byte ranges) of `clean`: the mean of their probabilities.
fn sentiment(
    model: &Model,
    clean: &str,
    sentences: &[Range<usize>],
    scratch: &mut PredictScratch,
) -> Result<Option<SentimentResult>, Error> {
    let labels = &model.manifest().labels;
    let mut mean = SentimentMean::new(labels.len(), sentences.len());
    let mut probabilities = Vec::with_capacity(labels.len());
    for s in sentences {
        let input = Input::Document {
            text: &clean[s.clone()],
        };
        model
            .probabilities_into(&input, scratch, &mut probabilities)
            .map_err(|e| Error::Model {
                reason: format!("the sentiment model failed: {e}"),
            })?;
        mean.add(&probabilities);
    }
    Ok(mean.finish(labels))
}

/// The running mean of the sentences' probabilities: each one divided by the count as it is
/// added, in sentence order, so every way of scoring gives the same bits.
struct SentimentMean {
    mean: Vec<f32>,
    count: usize,
}

impl SentimentMean {
    fn new(labels: usize, count: usize) -> Self {
        SentimentMean {
            mean: vec![0.0; labels],
            count,
        }
    }

    fn add(&mut self, probabilities: &[f32]) {
        for (m, v) in self.mean.iter_mut().zip(probabilities) {
            *m += v / self.count as f32;
        }
    }

    /// The mean and its best label; `None` without sentences.
    fn finish(self, labels: &[String]) -> Option<SentimentResult> {
        if self.count == 0 {
            return None;
        }
        Some(SentimentResult {
            label: labels[argmax(&self.mean)].clone(),
            probabilities: probability_map(labels, &self.mean),
            sentences: self.count,
        })
    }
}

/// An article scored but for its sentiment, with its cleaned text and that text's sentences.
type Prepared = (ArticleScore, String, Vec<Range<usize>>);

/// Turns byte ranges of the cleaned text into code-point spans and text of the original.
struct Positions<'a> {
    original: &'a str,
    cleaned: &'a Cleaned,
    code_points: CodePoints,
}

impl<'a> Positions<'a> {
    fn new(original: &'a str, cleaned: &'a Cleaned) -> Self {
        Positions {
            original,
            cleaned,
            code_points: CodePoints::new(original),
        }
    }

    fn original(&self, range: Range<usize>) -> Range<usize> {
        self.cleaned
            .original_span(range)
            .expect("spans of the cleaned text map back to the original")
    }

    fn span(&self, range: Range<usize>) -> Span {
        self.code_points
            .span(self.original(range))
            .expect("original spans lie on character boundaries")
    }

    fn evidence(&self, range: Range<usize>) -> Evidence {
        let original = self.original(range);
        let span = self
            .code_points
            .span(original.clone())
            .expect("original spans lie on character boundaries");
        Evidence {
            start: span.start,
            end: span.end,
            text: self.original[original].to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(text: &str, country: Option<&str>, features: &[(&str, f32)]) -> StanceResult {
        let mut probabilities = Map::new();
        for (label, p) in [("neutral", 0.1f32), ("oppose", 0.2), ("support", 0.7)] {
            probabilities.insert(label.into(), Value::from(f64::from(p)));
        }
        StanceResult {
            actor: "russia".into(),
            actor_name: format!("Russia {text}"),
            country: country.map(str::to_owned),
            proposal: "crimea_recognition".into(),
            proposal_name: "Recognising Crimea as Russian".into(),
            stance: "oppose".into(),
            probabilities,
            sentence: text.into(),
            evidence: Evidence {
                start: 12,
                end: 12 + text.chars().count(),
                text: text.into(),
            },
            actor_span: Span::new(3, 9),
            actor_text: "Moscow".into(),
            actor_match: "metonym".into(),
            proposal_span: Span::new(40, 46),
            proposal_text: text.chars().take(6).collect(),
            top_features: features.iter().map(|&(n, v)| (n.to_owned(), v)).collect(),
        }
    }

    #[test]
    fn stance_results_are_written_as_serde_json_writes_them() {
        let texts = [
            "",
            "Moscow rejected the \"truce\" on Monday.",
            "Kyiv’s “plan” — a\u{a0}deal…\n\tnew line \\ back\u{1}slash \u{7f} 🇺🇦",
        ];
        let features: &[(&str, f32)] = &[
            ("between:rejected", 1.25),
            ("lexicon:not_oppose@between", -0.333_333_34),
            ("sentence:__actor__ said \"no\"", 1e-8),
            ("bias", f32::MAX),
        ];
        for text in texts {
            for country in [None, Some("ru")] {
                for k in [0, 1, features.len()] {
                    let r = result(text, country, &features[..k]);
                    let mut ours = Vec::new();
                    r.write_json(&mut ours);
                    let theirs = serde_json::to_vec(&r).unwrap();
                    assert_eq!(
                        String::from_utf8(ours).unwrap(),
                        String::from_utf8(theirs).unwrap()
                    );
                }
            }
        }
    }
}
