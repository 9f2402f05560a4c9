//! Helpers shared by the record types: taking typed fields out of a JSON object with an error
//! that names the field, and the `Record` trait the readers and writers work with.
//!
//! Records are read through a `serde_json::Map` rather than derived `Deserialize` impls so that
//! every error names its field and its JSON type, and so that unknown fields can be kept in
//! their original order (serde's `flatten` buffers and re-types them).

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::FieldError;
use crate::span::Span;

/// A record type of a JSON Lines file: read from one JSON object, written as one.
pub trait Record: Serialize + Sized {
    /// What a reader may be told about the records (for examples, the task they must have).
    type Options: Clone + Default;

    /// Reads a record from the JSON object `object`, checking every field.
    fn from_json(object: Map<String, Value>, options: &Self::Options) -> Result<Self, FieldError>;
}

/// Parses one line of JSON Lines into an object: the line must be UTF-8, not blank, valid
/// JSON, and an object.
pub(crate) fn parse_object(line: &[u8]) -> Result<Map<String, Value>, FieldError> {
    let text = std::str::from_utf8(line).map_err(|e| {
        FieldError::record(format!(
            "invalid UTF-8 at byte {} of the line",
            e.valid_up_to() + 1
        ))
    })?;
    if text.trim().is_empty() {
        return Err(FieldError::record(
            "blank line (every line must hold a record)",
        ));
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        let position = format!(" at line {} column {}", e.line(), e.column());
        let message = message.strip_suffix(&position).unwrap_or(&message);
        FieldError::record(format!("invalid JSON at column {}: {message}", e.column()))
    })?;
    match value {
        Value::Object(object) => Ok(object),
        other => Err(FieldError::record(format!(
            "expected a JSON object, found {}",
            kind(&other)
        ))),
    }
}

/// The kind of a JSON value, for messages: "a string", "null", ...
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The string `value` of `field`, which is required.
pub(crate) fn required_string(value: Option<Value>, field: &str) -> Result<String, FieldError> {
    match value {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(FieldError::new(
            field,
            format!("expected a string, found {}", kind(&other)),
        )),
        None => Err(missing(field)),
    }
}

/// The string `value` of `field`, which may be absent or null.
pub(crate) fn optional_string(
    value: Option<Value>,
    field: &str,
) -> Result<Option<String>, FieldError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        other => required_string(other, field).map(Some),
    }
}

/// The span `value` of `field`, which is required, checked against a text of `len` code points.
pub(crate) fn required_span(
    value: Option<Value>,
    field: &str,
    len: usize,
) -> Result<Span, FieldError> {
    let value = value.ok_or_else(|| missing(field))?;
    checked_span(&value, field, len)
}

/// The span `value` of `field`, which may be absent or null, checked against a text of `len`
/// code points.
pub(crate) fn optional_span(
    value: Option<Value>,
    field: &str,
    len: usize,
) -> Result<Option<Span>, FieldError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(value) => checked_span(&value, field, len).map(Some),
    }
}

fn checked_span(value: &Value, field: &str, len: usize) -> Result<Span, FieldError> {
    let span = Span::from_value(value, field)?;
    span.check(len)
        .map_err(|reason| FieldError::new(field, reason))?;
    Ok(span)
}

/// The error for a required field that is absent.
pub(crate) fn missing(field: &str) -> FieldError {
    FieldError::new(field, "missing (required)")
}

/// Checks that the optional `quoted` text equals the part of `text` under `span`.
pub(crate) fn check_quote(
    text: &str,
    span: Span,
    quoted: Option<&str>,
    field: &str,
) -> Result<(), FieldError> {
    match (quoted, span.slice(text)) {
        (Some(quoted), Some(covered)) if quoted != covered => Err(FieldError::new(
            field,
            format!("is {quoted:?} but the span {span} covers {covered:?}"),
        )),
        _ => Ok(()),
    }
}

/// Reads a value of one of the fixed names of a closed set (stance, sentiment, task...).
pub(crate) fn one_of<T: Copy>(
    value: Option<Value>,
    field: &str,
    names: &[(&str, T)],
) -> Result<T, FieldError> {
    let name = required_string(value, field)?;
    names
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, t)| t)
        .ok_or_else(|| {
            let allowed: Vec<String> = names.iter().map(|(n, _)| format!("{n:?}")).collect();
            FieldError::new(
                field,
                format!("{name:?} is not one of {}", allowed.join(", ")),
            )
        })
}

/// Reads an array of objects, each with `read`; fields of element `i` are named
/// `field[i].name` in errors.
pub(crate) fn array_of<T>(
    value: Option<Value>,
    field: &str,
    mut read: impl FnMut(Map<String, Value>) -> Result<T, FieldError>,
) -> Result<Vec<T>, FieldError> {
    let items = match value {
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(FieldError::new(
                field,
                format!("expected an array, found {}", kind(&other)),
            ));
        }
        None => return Err(missing(field)),
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| match item {
            Value::Object(object) => read(object).map_err(|e| e.within(&format!("{field}[{i}]"))),
            other => Err(FieldError::new(
                format!("{field}[{i}]"),
                format!("expected an object, found {}", kind(&other)),
            )),
        })
        .collect()
}

/// Serializes a map of the known fields (those that are `Some`) then the extra ones.
pub(crate) struct Entries<'a> {
    /// The known fields, in the order they are written.
    pub known: Vec<(&'static str, Option<Entry<'a>>)>,
    /// The fields the record did not know, in their original order (names of known fields
    /// are skipped).
    pub extra: &'a Map<String, Value>,
}

/// The value of one known field.
pub(crate) enum Entry<'a> {
    Str(&'a str),
    Span(Span),
}

impl Serialize for Entries<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        for (name, entry) in &self.known {
            match entry {
                Some(Entry::Str(s)) => map.serialize_entry(name, s)?,
                Some(Entry::Span(span)) => map.serialize_entry(name, span)?,
                None => {}
            }
        }
        for (name, value) in self.extra {
            // A known name put into `extra` by hand would make a duplicate key.
            if !self.known.iter().any(|(known, _)| known == name) {
                map.serialize_entry(name, value)?;
            }
        }
        map.end()
    }
}

/// `Some(Entry::Str)` of an optional string.
pub(crate) fn opt_str(s: &Option<String>) -> Option<Entry<'_>> {
    s.as_deref().map(Entry::Str)
}
