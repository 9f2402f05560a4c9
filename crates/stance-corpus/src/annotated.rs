//! Annotated documents: the peace-talks corpus files, an article or a written paragraph with
//! every actor–proposal stance and every sentence's sentiment.

use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::date::Date;
use crate::error::FieldError;
use crate::example::{Example, Input};
use crate::json::{Record, array_of, one_of, optional_string, required_span, required_string};
use crate::span::Span;

/// An actor's position on a proposal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stance {
    /// `support`
    Support,
    /// `oppose`
    Oppose,
    /// `neutral`
    Neutral,
}

/// The sentiment of a sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Sentiment {
    /// `positive`
    Positive,
    /// `negative`
    Negative,
    /// `neutral`
    Neutral,
}

/// Where a document of the corpus comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Provenance {
    /// `seed`: one of the user's sample articles.
    Seed,
    /// `written`: a paragraph written for the corpus.
    Written,
}

/// The names of a closed set of values as written in files.
macro_rules! named {
    ($type:ident { $($variant:ident = $name:literal),* $(,)? }) => {
        impl $type {
            const NAMES: &'static [(&'static str, $type)] = &[$(($name, $type::$variant)),*];

            /// The name written in files.
            pub const fn name(self) -> &'static str {
                match self {
                    $($type::$variant => $name),*
                }
            }
        }

        impl std::fmt::Display for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl std::str::FromStr for $type {
            type Err = String;

            fn from_str(s: &str) -> Result<$type, String> {
                $type::NAMES
                    .iter()
                    .find(|(name, _)| *name == s)
                    .map(|&(_, value)| value)
                    .ok_or_else(|| {
                        let names: Vec<&str> = $type::NAMES.iter().map(|(name, _)| *name).collect();
                        format!("{s:?} is not one of {}", names.join(", "))
                    })
            }
        }
    };
}

named!(Stance { Support = "support", Oppose = "oppose", Neutral = "neutral" });
named!(Sentiment { Positive = "positive", Negative = "negative", Neutral = "neutral" });
named!(Provenance { Seed = "seed", Written = "written" });

/// One actor–proposal stance of a document.
#[derive(Clone, Debug, PartialEq)]
pub struct StanceAnnotation {
    /// The actor's gazetteer id, e.g. `russia`.
    pub actor: String,
    /// The proposal's gazetteer id, e.g. `peacekeeping_force`.
    pub proposal: String,
    /// The actor's position on the proposal.
    pub stance: Stance,
    /// The actor's mention in the document's text (e.g. "Moscow").
    pub actor_span: Span,
    /// The proposal's mention in the document's text (e.g. "peacekeepers").
    pub proposal_span: Span,
    /// The annotator's free text.
    pub note: Option<String>,
    /// The fields not named above, in their original order.
    pub extra: Map<String, Value>,
}

/// One sentence of a document and its sentiment.
#[derive(Clone, Debug, PartialEq)]
pub struct SentenceAnnotation {
    /// The sentence in the document's text.
    pub span: Span,
    /// The sentence's sentiment.
    pub sentiment: Sentiment,
    /// The fields not named above, in their original order.
    pub extra: Map<String, Value>,
}

/// A document of the peace-talks corpus with its stance and sentiment annotations.
///
/// `id`, `text`, `provenance`, `stances` and `sentences` are required; `date`, `title`,
/// `source`, `url` optional; spans must lie inside `text`.
///
/// ```
/// use stance_corpus::{AnnotatedDocument, Span, Stance};
///
/// let line = r#"{"id": "seed-000", "text": "Moscow rejected the truce. Kyiv agreed.", "date": "2025-04-23", "provenance": "seed",
///   "stances": [{"actor": "russia", "proposal": "ceasefire", "stance": "oppose", "actor_span": [0, 6], "proposal_span": [20, 25]}],
///   "sentences": [{"span": [0, 26], "sentiment": "negative"}, {"span": [27, 39], "sentiment": "neutral"}]}"#;
/// let doc: AnnotatedDocument = serde_json::from_str(line).unwrap();
/// assert_eq!(doc.stances[0].stance, Stance::Oppose);
///
/// let examples = doc.mention_examples();
/// assert_eq!(examples.len(), 1);
/// assert_eq!(
///     serde_json::to_string(&examples[0]).unwrap(),
///     r#"{"id":"seed-000:0","task":"mention","text":"Moscow rejected the truce. Kyiv agreed.","actor":"russia","proposal":"ceasefire","actor_span":[0,6],"proposal_span":[20,25],"sentence_span":[0,26],"label":"oppose","group":"seed-000"}"#
/// );
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct AnnotatedDocument {
    /// The document's identifier.
    pub id: String,
    /// The document's text.
    pub text: String,
    /// The publication date as written (`YYYY-MM-DD` or an RFC 3339 timestamp).
    pub date: Option<String>,
    /// The headline.
    pub title: Option<String>,
    /// The outlet.
    pub source: Option<String>,
    /// Where the article was published.
    pub url: Option<String>,
    /// A sample article or a written paragraph.
    pub provenance: Provenance,
    /// Every actor–proposal stance expressed in the text.
    pub stances: Vec<StanceAnnotation>,
    /// Every sentence of the text with its sentiment.
    pub sentences: Vec<SentenceAnnotation>,
    /// The fields not named above, in their original order.
    pub extra: Map<String, Value>,
}

impl AnnotatedDocument {
    /// One `mention` example per stance: `id` = `<doc id>:<index>`, `text` = the document's
    /// text, the spans copied, `sentence_span` = the first sentence containing the actor span
    /// (absent if none does), `label` = the stance, `group` = the document's id.
    pub fn mention_examples(&self) -> Vec<Example> {
        self.stances
            .iter()
            .enumerate()
            .map(|(i, stance)| Example {
                id: format!("{}:{i}", self.id),
                input: Input::Mention {
                    text: self.text.clone(),
                    actor: stance.actor.clone(),
                    proposal: stance.proposal.clone(),
                    actor_span: stance.actor_span,
                    proposal_span: stance.proposal_span,
                    sentence_span: self
                        .sentences
                        .iter()
                        .map(|s| s.span)
                        .find(|s| s.contains(stance.actor_span)),
                    actor_text: None,
                    proposal_text: None,
                },
                label: Some(stance.stance.name().to_owned()),
                group: Some(self.id.clone()),
                extra: Map::new(),
            })
            .collect()
    }

    /// One `document` example per annotated sentence: `id` = `<doc id>:s<index>`, `text` = the
    /// sentence, `label` = its sentiment, `group` = the document's id.
    pub fn sentence_examples(&self) -> Vec<Example> {
        self.sentences
            .iter()
            .enumerate()
            .map(|(i, sentence)| Example {
                id: format!("{}:s{i}", self.id),
                input: Input::Document {
                    text: sentence
                        .span
                        .slice(&self.text)
                        .unwrap_or_default()
                        .to_owned(),
                },
                label: Some(sentence.sentiment.name().to_owned()),
                group: Some(self.id.clone()),
                extra: Map::new(),
            })
            .collect()
    }

    /// The publication day, if the document has a date.
    pub fn date(&self) -> Option<Result<Date, String>> {
        self.date.as_deref().map(str::parse)
    }
}

fn read_stance(object: Map<String, Value>, len: usize) -> Result<StanceAnnotation, FieldError> {
    let mut fields: [Option<Value>; 6] = Default::default();
    let mut extra = Map::new();
    for (name, value) in object {
        let slot = match name.as_str() {
            "actor" => 0,
            "proposal" => 1,
            "stance" => 2,
            "actor_span" => 3,
            "proposal_span" => 4,
            "note" => 5,
            _ => {
                extra.insert(name, value);
                continue;
            }
        };
        fields[slot] = Some(value);
    }
    let [actor, proposal, stance, actor_span, proposal_span, note] = fields;
    Ok(StanceAnnotation {
        actor: required_string(actor, "actor")?,
        proposal: required_string(proposal, "proposal")?,
        stance: one_of(stance, "stance", Stance::NAMES)?,
        actor_span: required_span(actor_span, "actor_span", len)?,
        proposal_span: required_span(proposal_span, "proposal_span", len)?,
        note: optional_string(note, "note")?,
        extra,
    })
}

fn read_sentence(object: Map<String, Value>, len: usize) -> Result<SentenceAnnotation, FieldError> {
    let (mut span, mut sentiment) = (None, None);
    let mut extra = Map::new();
    for (name, value) in object {
        match name.as_str() {
            "span" => span = Some(value),
            "sentiment" => sentiment = Some(value),
            _ => {
                extra.insert(name, value);
            }
        }
    }
    Ok(SentenceAnnotation {
        span: required_span(span, "span", len)?,
        sentiment: one_of(sentiment, "sentiment", Sentiment::NAMES)?,
        extra,
    })
}

impl Record for AnnotatedDocument {
    type Options = ();

    fn from_json(object: Map<String, Value>, _: &()) -> Result<AnnotatedDocument, FieldError> {
        let mut fields: [Option<Value>; 9] = Default::default();
        let mut extra = Map::new();
        for (name, value) in object {
            let slot = match name.as_str() {
                "id" => 0,
                "text" => 1,
                "date" => 2,
                "title" => 3,
                "source" => 4,
                "url" => 5,
                "provenance" => 6,
                "stances" => 7,
                "sentences" => 8,
                _ => {
                    extra.insert(name, value);
                    continue;
                }
            };
            fields[slot] = Some(value);
        }
        let [
            id,
            text,
            date,
            title,
            source,
            url,
            provenance,
            stances,
            sentences,
        ] = fields;
        let id = required_string(id, "id")?;
        let text = required_string(text, "text")?;
        let len = text.chars().count();
        let date = optional_string(date, "date")?;
        if let Some(Err(reason)) = date.as_deref().map(str::parse::<Date>) {
            return Err(FieldError::new("date", reason));
        }
        Ok(AnnotatedDocument {
            id,
            date,
            title: optional_string(title, "title")?,
            source: optional_string(source, "source")?,
            url: optional_string(url, "url")?,
            provenance: one_of(provenance, "provenance", Provenance::NAMES)?,
            stances: array_of(stances, "stances", |o| read_stance(o, len))?,
            sentences: array_of(sentences, "sentences", |o| read_sentence(o, len))?,
            text,
            extra,
        })
    }
}

/// Writes `extra`'s entries whose names are not in `known`.
fn write_extra<M: SerializeMap>(
    map: &mut M,
    extra: &Map<String, Value>,
    known: &[&str],
) -> Result<(), M::Error> {
    for (name, value) in extra {
        if !known.contains(&name.as_str()) {
            map.serialize_entry(name, value)?;
        }
    }
    Ok(())
}

impl Serialize for StanceAnnotation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("actor", &self.actor)?;
        map.serialize_entry("proposal", &self.proposal)?;
        map.serialize_entry("stance", self.stance.name())?;
        map.serialize_entry("actor_span", &self.actor_span)?;
        map.serialize_entry("proposal_span", &self.proposal_span)?;
        if let Some(note) = &self.note {
            map.serialize_entry("note", note)?;
        }
        write_extra(
            &mut map,
            &self.extra,
            &[
                "actor",
                "proposal",
                "stance",
                "actor_span",
                "proposal_span",
                "note",
            ],
        )?;
        map.end()
    }
}

impl Serialize for SentenceAnnotation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("span", &self.span)?;
        map.serialize_entry("sentiment", self.sentiment.name())?;
        write_extra(&mut map, &self.extra, &["span", "sentiment"])?;
        map.end()
    }
}

impl Serialize for AnnotatedDocument {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("text", &self.text)?;
        for (name, value) in [
            ("date", &self.date),
            ("title", &self.title),
            ("source", &self.source),
            ("url", &self.url),
        ] {
            if let Some(value) = value {
                map.serialize_entry(name, value)?;
            }
        }
        map.serialize_entry("provenance", self.provenance.name())?;
        map.serialize_entry("stances", &self.stances)?;
        map.serialize_entry("sentences", &self.sentences)?;
        write_extra(
            &mut map,
            &self.extra,
            &[
                "id",
                "text",
                "date",
                "title",
                "source",
                "url",
                "provenance",
                "stances",
                "sentences",
            ],
        )?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for AnnotatedDocument {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<AnnotatedDocument, D::Error> {
        let object = Map::deserialize(deserializer)?;
        AnnotatedDocument::from_json(object, &()).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str) -> Result<AnnotatedDocument, FieldError> {
        match serde_json::from_str(line).unwrap() {
            Value::Object(object) => AnnotatedDocument::from_json(object, &()),
            _ => panic!("not an object"),
        }
    }

    const DOC: &str = r#"{"id":"w-1","text":"Kyiv backs peacekeepers. Moscow rejects them and the truce.","source":"written","provenance":"written","stances":[{"actor":"ukraine","proposal":"peacekeeping_force","stance":"support","actor_span":[0,4],"proposal_span":[11,23],"note":"clear","x":1},{"actor":"russia","proposal":"ceasefire","stance":"oppose","actor_span":[25,31],"proposal_span":[53,58]}],"sentences":[{"span":[0,24],"sentiment":"positive"},{"span":[25,59],"sentiment":"negative","by":"a1"}],"checked":true}"#;

    #[test]
    fn documents_round_trip_with_unknown_fields() {
        let doc = read(DOC).unwrap();
        assert_eq!(
            doc.stances[0].proposal_span.slice(&doc.text),
            Some("peacekeepers")
        );
        assert_eq!(doc.stances[1].proposal_span.slice(&doc.text), Some("truce"));
        assert_eq!(serde_json::to_string(&doc).unwrap(), DOC);
    }

    #[test]
    fn mention_examples_follow_the_spec() {
        let examples = read(DOC).unwrap().mention_examples();
        let got: Vec<String> = examples
            .into_iter()
            .map(|e| {
                let Input::Mention { sentence_span, .. } = e.input else {
                    panic!("not a mention")
                };
                format!("{} {sentence_span:?} {:?} {:?}", e.id, e.label, e.group)
            })
            .collect();
        let want = [
            "w-1:0 Some(Span { start: 0, end: 24 }) Some(\"support\") Some(\"w-1\")",
            "w-1:1 Some(Span { start: 25, end: 59 }) Some(\"oppose\") Some(\"w-1\")",
        ];
        assert_eq!(got, want);

        let mut doc = read(DOC).unwrap();
        doc.sentences.truncate(1);
        let Input::Mention { sentence_span, .. } = &doc.mention_examples()[1].input else {
            panic!("not a mention")
        };
        assert_eq!(*sentence_span, None, "no sentence holds the actor");
    }

    #[test]
    fn bad_documents_name_their_field() {
        let base = DOC;
        let cases = [
            (base.replace(r#""stance":"oppose""#, r#""stance":"against""#), "stances[1].stance", "\"against\" is not one of \"support\", \"oppose\", \"neutral\""),
            (base.replace(r#""sentiment":"positive""#, r#""sentiment":"good""#), "sentences[0].sentiment", "is not one of"),
            (base.replace(r#""proposal_span":[53,58]"#, r#""proposal_span":[53,60]"#), "stances[1].proposal_span", "span [53, 60] ends past the text (59 code points)"),
            (base.replace(r#""provenance":"written","#, ""), "provenance", "missing"),
            (base.replace(r#""provenance":"written""#, r#""provenance":"found""#), "provenance", "is not one of"),
            (base.replace(r#""actor":"russia","#, ""), "stances[1].actor", "missing"),
            (base.replace(r#""span":[0,24]"#, r#""span":"0-24""#), "sentences[0].span", "found a string"),
            (base.replace(r#""stances":["#, r#""stances":[3,"#), "stances[0]", "expected an object, found a number"),
            (base.replace(r#""sentences":[{"span":[0,24],"sentiment":"positive"},{"span":[25,59],"sentiment":"negative","by":"a1"}]"#, r#""sentences":{}"#), "sentences", "expected an array"),
        ];
        for (line, field, reason) in cases {
            assert_ne!(line, DOC, "the case must change the document: {field}");
            let err = read(&line).unwrap_err();
            assert_eq!(err.field.as_deref(), Some(field), "{line}");
            assert!(err.reason.contains(reason), "{line}: {err}");
        }
    }
}
