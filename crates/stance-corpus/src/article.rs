//! Articles: the input of scoring, one news text with its metadata.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::date::Date;
use crate::error::FieldError;
use crate::json::{Entries, Entry, Record, opt_str, optional_string, required_string};

/// A news article: `id` and `text` are required, `date` (ISO-8601 `YYYY-MM-DD` or an RFC 3339
/// timestamp, kept as written), `title`, `source`, `url` and `lang` optional; every other field
/// is kept in `extra` and written back unchanged, in its original order.
///
/// ```
/// use stance_corpus::Article;
///
/// let line = r#"{"id": "000_fd3a.txt", "text": "RT.com\n23 Apr 2025 ...", "date": "2025-04-23", "source": "RT.com", "words": 5}"#;
/// let article: Article = serde_json::from_str(line).unwrap();
/// assert_eq!(article.id, "000_fd3a.txt");
/// assert_eq!(article.date().unwrap().unwrap().to_string(), "2025-04-23");
/// assert_eq!(article.extra["words"], 5);
/// assert_eq!(
///     serde_json::to_string(&article).unwrap(),
///     r#"{"id":"000_fd3a.txt","text":"RT.com\n23 Apr 2025 ...","date":"2025-04-23","source":"RT.com","words":5}"#
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Article {
    /// The article's identifier.
    pub id: String,
    /// The article's text.
    pub text: String,
    /// The publication date as written: `YYYY-MM-DD` or an RFC 3339 timestamp.
    pub date: Option<String>,
    /// The headline.
    pub title: Option<String>,
    /// The outlet, e.g. `RT.com`.
    pub source: Option<String>,
    /// Where the article was published.
    pub url: Option<String>,
    /// The language, e.g. `en`.
    pub lang: Option<String>,
    /// The fields not named above, in their original order.
    pub extra: Map<String, Value>,
}

impl Article {
    /// The publication day, if the article has a date: `Some(Err(reason))` if it is not one
    /// (cannot happen for an article read by this crate, which checks it).
    pub fn date(&self) -> Option<Result<Date, String>> {
        self.date.as_deref().map(str::parse)
    }

    fn entries(&self) -> Entries<'_> {
        Entries {
            known: vec![
                ("id", Some(Entry::Str(&self.id))),
                ("text", Some(Entry::Str(&self.text))),
                ("date", opt_str(&self.date)),
                ("title", opt_str(&self.title)),
                ("source", opt_str(&self.source)),
                ("url", opt_str(&self.url)),
                ("lang", opt_str(&self.lang)),
            ],
            extra: &self.extra,
        }
    }
}

impl Record for Article {
    type Options = ();

    fn from_json(object: Map<String, Value>, _: &()) -> Result<Article, FieldError> {
        let mut fields: [Option<Value>; 7] = Default::default();
        let mut extra = Map::new();
        for (name, value) in object {
            let slot = match name.as_str() {
                "id" => 0,
                "text" => 1,
                "date" => 2,
                "title" => 3,
                "source" => 4,
                "url" => 5,
                "lang" => 6,
                _ => {
                    extra.insert(name, value);
                    continue;
                }
            };
            fields[slot] = Some(value);
        }
        let [id, text, date, title, source, url, lang] = fields;
        let article = Article {
            id: required_string(id, "id")?,
            text: required_string(text, "text")?,
            date: optional_string(date, "date")?,
            title: optional_string(title, "title")?,
            source: optional_string(source, "source")?,
            url: optional_string(url, "url")?,
            lang: optional_string(lang, "lang")?,
            extra,
        };
        if let Some(Err(reason)) = article.date() {
            return Err(FieldError::new("date", reason));
        }
        Ok(article)
    }
}

impl Serialize for Article {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.entries().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Article {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Article, D::Error> {
        let object = Map::deserialize(deserializer)?;
        Article::from_json(object, &()).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str) -> Result<Article, FieldError> {
        match serde_json::from_str(line).unwrap() {
            Value::Object(object) => Article::from_json(object, &()),
            _ => panic!("not an object"),
        }
    }

    #[test]
    fn bad_articles_name_their_field() {
        let cases = [
            (r#"{"text": "t"}"#, "id", "missing (required)"),
            (
                r#"{"id": 3, "text": "t"}"#,
                "id",
                "expected a string, found a number",
            ),
            (
                r#"{"id": "a", "text": null}"#,
                "text",
                "expected a string, found null",
            ),
            (
                r#"{"id": "a", "text": "t", "date": "23 April"}"#,
                "date",
                "is not an ISO-8601",
            ),
            (
                r#"{"id": "a", "text": "t", "url": ["x"]}"#,
                "url",
                "found an array",
            ),
        ];
        for (line, field, reason) in cases {
            let err = read(line).unwrap_err();
            assert_eq!(err.field.as_deref(), Some(field), "{line}");
            assert!(err.reason.contains(reason), "{line}: {err}");
        }
    }

    #[test]
    fn unknown_fields_keep_their_order_and_nulls_are_absent() {
        let article = read(
            r#"{"z": 1, "id": "a", "b": [true], "text": "t", "title": null, "a": {"k": "v"}}"#,
        )
        .unwrap();
        assert_eq!(article.title, None);
        assert_eq!(
            serde_json::to_string(&article).unwrap(),
            r#"{"id":"a","text":"t","z":1,"b":[true],"a":{"k":"v"}}"#
        );
    }
}
