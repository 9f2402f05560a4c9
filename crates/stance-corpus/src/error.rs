//! The crate's error type: every error says where in which input it happened.
//!
//! A bad record is a [`Error::Corpus`] naming the file, the line and (when one field is at fault)
//! the field, so that a person can open the file at that line and fix it. Readers in lenient mode
//! skip such records and go on; the other variants concern a whole input (it cannot be opened or
//! read, or its header lacks a column) and end the reading in both modes.

use std::fmt;
use std::io;

/// Everything that can go wrong while reading, writing or importing a corpus.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A record of an input is invalid: not UTF-8, not JSON, a field missing or of the wrong
    /// type, a span outside its text, a value outside the ones the format allows.
    ///
    /// Rendered as `corpus.jsonl:17: field "actor_span": span [40, 90] ends past the text (52
    /// code points)`.
    #[error("{}", Located { path, line: *line, field: field.as_deref(), reason })]
    Corpus {
        /// The input as the user named it (`<stdin>` for standard input).
        path: String,
        /// The line (from 1) where the record starts.
        line: u64,
        /// The field (or column) at fault, e.g. `actor_span` or `stances[2].stance`.
        field: Option<String>,
        /// What is wrong, for a person.
        reason: String,
    },
    /// An input as a whole cannot be read as the format asked for (a header without a required
    /// column, a file whose name does not say its label, ...).
    #[error("{}", Located { path, line: line.unwrap_or(0), field: None, reason })]
    Input {
        /// The input as the user named it.
        path: String,
        /// The line the problem was found on, when there is one.
        line: Option<u64>,
        /// What is wrong, for a person.
        reason: String,
    },
    /// An input or output file cannot be opened, read or written.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was being done: `open`, `read`, `write`, `create`.
        action: &'static str,
        /// The file as the user named it.
        path: String,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// Options that cannot work together, found before any input is read.
    #[error("{reason}")]
    Options {
        /// What is wrong, for a person.
        reason: String,
    },
}

impl Error {
    /// Whether the error concerns one record only, so that a lenient reader can skip it and go
    /// on with the next one.
    pub fn is_record_error(&self) -> bool {
        matches!(self, Error::Corpus { .. })
    }

    /// A bad record of `path` at `line`, with the field at fault if there is one.
    pub fn corpus(
        path: impl Into<String>,
        line: u64,
        field: Option<String>,
        reason: impl Into<String>,
    ) -> Error {
        Error::Corpus {
            path: path.into(),
            line,
            field,
            reason: reason.into(),
        }
    }

    /// An I/O error on `path` while doing `action`.
    pub fn io(action: &'static str, path: impl Into<String>, source: io::Error) -> Error {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

/// A problem in one field of a record, before the reader adds the file and line: the
/// record-level result of the `from_json` functions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field at fault (`None` when the record as a whole is wrong, e.g. not an object).
    pub field: Option<String>,
    /// What is wrong, for a person.
    pub reason: String,
}

impl FieldError {
    /// A problem with `field`.
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> FieldError {
        FieldError {
            field: Some(field.into()),
            reason: reason.into(),
        }
    }

    /// A problem with the record as a whole.
    pub fn record(reason: impl Into<String>) -> FieldError {
        FieldError {
            field: None,
            reason: reason.into(),
        }
    }

    /// The same problem, one level down: the field becomes `prefix.field` (or `prefix` when
    /// there was none).
    pub fn within(mut self, prefix: &str) -> FieldError {
        self.field = Some(match self.field {
            Some(field) => format!("{prefix}.{field}"),
            None => prefix.to_owned(),
        });
        self
    }

    /// The error at `line` of `path`.
    pub fn at(self, path: &str, line: u64) -> Error {
        Error::Corpus {
            path: path.to_owned(),
            line,
            field: self.field,
            reason: self.reason,
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "field {field:?}: {}", self.reason),
            None => f.write_str(&self.reason),
        }
    }
}

impl std::error::Error for FieldError {}

/// `path:line: field "f": reason`, leaving out what is absent (line 0 = no line).
struct Located<'a> {
    path: &'a str,
    line: u64,
    field: Option<&'a str>,
    reason: &'a str,
}

impl fmt::Display for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.path)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        f.write_str(": ")?;
        if let Some(field) = self.field {
            write!(f, "field {field:?}: ")?;
        }
        f.write_str(self.reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_render_file_line_and_field() {
        let cases = [
            (
                FieldError::new(
                    "actor_span",
                    "span [40, 90] ends past the text (52 code points)",
                )
                .at("corpus.jsonl", 17),
                "corpus.jsonl:17: field \"actor_span\": span [40, 90] ends past the text (52 code points)",
            ),
            (
                FieldError::record("invalid JSON at column 3: EOF").at("a.jsonl", 2),
                "a.jsonl:2: invalid JSON at column 3: EOF",
            ),
            (
                FieldError::new("stance", "bad")
                    .within("stances[2]")
                    .at("d.jsonl", 1),
                "d.jsonl:1: field \"stances[2].stance\": bad",
            ),
            (
                Error::Input {
                    path: "x.csv".into(),
                    line: Some(1),
                    reason: "no column \"text\"".into(),
                },
                "x.csv:1: no column \"text\"",
            ),
            (
                Error::Input {
                    path: "x.pos".into(),
                    line: None,
                    reason: "which label?".into(),
                },
                "x.pos: which label?",
            ),
        ];
        for (error, want) in cases {
            assert_eq!(error.to_string(), want);
        }
    }
}
