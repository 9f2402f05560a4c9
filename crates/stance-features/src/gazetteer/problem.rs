//! What `check` reports: each problem of a gazetteer file with where it is.

use std::fmt;
use std::ops::Range;

/// The sort of a [`Problem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProblemKind {
    /// The TOML does not parse, or a value has the wrong type or an unknown field.
    Syntax,
    /// Two actors, roles or proposals with one id.
    DuplicateId,
    /// One spelling (after normalizing case, apostrophes and spaces) given to two owners.
    DuplicateAlias,
    /// Two people holding one role of one country on the same day.
    OverlappingRoles,
    /// An id that names no actor or role, or an actor of the wrong kind.
    UnknownReference,
    /// A date that is not `YYYY-MM-DD`, does not exist, or ends before it starts.
    InvalidDate,
    /// A phrase that is empty, malformed (`{a|b` ) or does not start with a letter or digit.
    InvalidPhrase,
}

impl ProblemKind {
    /// A short name for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::Syntax => "syntax",
            ProblemKind::DuplicateId => "duplicate id",
            ProblemKind::DuplicateAlias => "duplicate alias",
            ProblemKind::OverlappingRoles => "overlapping roles",
            ProblemKind::UnknownReference => "unknown reference",
            ProblemKind::InvalidDate => "invalid date",
            ProblemKind::InvalidPhrase => "invalid phrase",
        }
    }
}

/// One problem of a gazetteer file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What sort of problem.
    pub kind: ProblemKind,
    /// 1-based line of the value in the file, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters) of the value, when known.
    pub column: Option<usize>,
    /// Which field: `actors[3].aliases[1]`, `proposals[0].terms[2]`.
    pub field: String,
    /// The value found there.
    pub value: String,
    /// What is wrong, and with what it clashes.
    pub reason: String,
}

impl Problem {
    /// A problem at byte `span` of `source` (line and column computed from it).
    pub fn at(
        kind: ProblemKind,
        source: &str,
        span: Option<Range<usize>>,
        field: impl Into<String>,
        value: impl Into<String>,
        reason: impl Into<String>,
    ) -> Problem {
        let (line, column) = match span {
            Some(span) => {
                let (l, c) = line_column(source, span.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        Problem {
            kind,
            line,
            column,
            field: field.into(),
            value: value.into(),
            reason: reason.into(),
        }
    }
}

/// The 1-based line and column (in characters) of byte `offset` of `source`.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

impl fmt::Display for Problem {
    /// `line:column: kind: field = value: reason` (without the position when unknown).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, "{line}:{column}: ")?;
        }
        write!(f, "{}: ", self.kind.as_str())?;
        if !self.field.is_empty() {
            write!(f, "{} = {:?}: ", self.field, self.value)?;
        }
        f.write_str(&self.reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_lines_and_columns() {
        let src = "a = 1\nbé = \"x\"\n";
        let cases = [
            (0, (1, 1)),
            (4, (1, 5)),
            (6, (2, 1)),
            (11, (2, 5)),
            (99, (3, 1)),
        ];
        for (offset, expected) in cases {
            assert_eq!(line_column(src, offset), expected, "{offset}");
        }
    }

    #[test]
    fn displays_position_field_value_and_reason() {
        let p = Problem::at(
            ProblemKind::UnknownReference,
            "x\ny",
            Some(2..3),
            "actors[0].country",
            "uq",
            "no actor has id \"uq\"",
        );
        assert_eq!(
            p.to_string(),
            "2:1: unknown reference: actors[0].country = \"uq\": no actor has id \"uq\""
        );
    }
}
