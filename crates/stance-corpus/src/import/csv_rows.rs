//! Reading CSV (or TSV) files with a header, record by record, with errors that name the file,
//! the line where the record starts and the column.
//!
//! Quoted fields may hold delimiters, quotes (doubled) and line breaks; `\r\n` line ends and a
//! UTF-8 byte-order mark are accepted; blank lines between records hold no record. Fields are
//! checked to be UTF-8 one by one, so an error names the column that is not.
//!
//! Line numbers are counted here, not taken from the csv crate: its record positions point
//! before the line break that ends the previous record (one line early in `\r\n` files) and
//! before skipped blank lines. A [`LineCounter`] sits between the file and the csv reader and
//! notes each run of line-break bytes as it passes; a record's line is one plus the line breaks
//! before its first byte. Only the runs inside the csv reader's buffer are kept, so memory stays
//! constant.

use std::collections::VecDeque;
use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Mutex};

use ::csv::{ByteRecord, ReaderBuilder};

use super::{Source, Step};
use crate::error::Error;
use crate::example::Example;
use crate::io::{display_name, open};

/// A run of `\r` and `\n` bytes in the input: `[start, end)` holding `newlines` `\n`s.
#[derive(Clone, Copy, Debug)]
struct Run {
    start: u64,
    end: u64,
    newlines: u64,
}

/// The line breaks that went through a [`LineCounter`] and are not yet accounted for.
#[derive(Debug, Default)]
struct Breaks {
    /// Bytes passed so far.
    offset: u64,
    /// Finished runs not yet behind a record start.
    runs: VecDeque<Run>,
    /// The run still going at the end of the bytes passed so far.
    open: Option<Run>,
    /// Line breaks in the runs already dropped.
    counted: u64,
}

impl Breaks {
    fn note(&mut self, bytes: &[u8]) {
        for &b in bytes {
            let at = self.offset;
            self.offset += 1;
            if b == b'\n' || b == b'\r' {
                let run = self.open.get_or_insert(Run {
                    start: at,
                    end: at,
                    newlines: 0,
                });
                run.end = at + 1;
                run.newlines += u64::from(b == b'\n');
            } else if let Some(run) = self.open.take() {
                self.runs.push_back(run);
            }
        }
    }

    /// The line of the record the csv reader says starts at byte `start` (offsets only grow).
    fn line_at(&mut self, start: u64) -> u64 {
        while let Some(run) = self.runs.front().copied() {
            if run.end <= start {
                self.counted += run.newlines;
                self.runs.pop_front();
            } else {
                // The csv reader's start may lie inside the break run before the record.
                let inside = if run.start <= start { run.newlines } else { 0 };
                return 1 + self.counted + inside;
            }
        }
        1 + self.counted
    }
}

/// Passes the bytes of a reader through, noting the line breaks.
struct LineCounter {
    inner: Box<dyn std::io::BufRead + Send>,
    breaks: Arc<Mutex<Breaks>>,
}

impl Read for LineCounter {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        lock(&self.breaks).note(&buf[..n]);
        Ok(n)
    }
}

fn lock(breaks: &Mutex<Breaks>) -> std::sync::MutexGuard<'_, Breaks> {
    // Nothing can panic while the lock is held, so it is never poisoned; recover anyway.
    breaks.lock().unwrap_or_else(|e| e.into_inner())
}

/// The records of one CSV file with a header.
pub(crate) struct CsvRows {
    reader: ::csv::Reader<LineCounter>,
    breaks: Arc<Mutex<Breaks>>,
    line: u64,
    name: String,
    header: Vec<String>,
    record: ByteRecord,
    row: u64,
}

/// One record of a [`CsvRows`].
pub(crate) struct Row<'a> {
    rows: &'a CsvRows,
}

impl CsvRows {
    /// Opens `path` (`-` for standard input; gzip decompressed) and reads its header.
    pub(crate) fn open(path: &Path, delimiter: u8) -> Result<CsvRows, Error> {
        let name = display_name(path, "<stdin>");
        let breaks = Arc::new(Mutex::new(Breaks::default()));
        let mut reader = ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(LineCounter {
                inner: open(path)?,
                breaks: Arc::clone(&breaks),
            });
        let header = reader
            .byte_headers()
            .map_err(|e| csv_error(&name, e))?
            .iter()
            .enumerate()
            .map(|(i, h)| {
                std::str::from_utf8(h)
                    .map(str::to_owned)
                    .map_err(|_| Error::Input {
                        path: name.clone(),
                        line: Some(1),
                        reason: format!("column {} of the header is not UTF-8", i + 1),
                    })
            })
            .collect::<Result<Vec<String>, Error>>()?;
        if header.iter().all(String::is_empty) {
            return Err(Error::Input {
                path: name,
                line: Some(1),
                reason: "no header row (the file is empty)".into(),
            });
        }
        Ok(CsvRows {
            reader,
            breaks,
            line: 1,
            name,
            header,
            record: ByteRecord::new(),
            row: 0,
        })
    }

    /// The file's name in messages.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// The header's column names.
    pub(crate) fn header(&self) -> &[String] {
        &self.header
    }

    /// The index of the column `column`, if the header has it.
    pub(crate) fn find(&self, column: &str) -> Option<usize> {
        self.header.iter().position(|h| h == column)
    }

    /// The index of the column `column`, or an error listing the columns there are.
    pub(crate) fn column(&self, column: &str) -> Result<usize, Error> {
        self.find(column).ok_or_else(|| {
            let columns: Vec<String> = self.header.iter().map(|h| format!("{h:?}")).collect();
            Error::Input {
                path: self.name.clone(),
                line: Some(1),
                reason: format!(
                    "no column {column:?}; the columns are: {}",
                    columns.join(", ")
                ),
            }
        })
    }

    /// Reads the next record: `Some(Ok(row))`, `None` at the end, or an I/O error.
    pub(crate) fn next_row(&mut self) -> Option<Result<Row<'_>, Error>> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(true) => {
                self.row += 1;
                let start = self.record.position().map_or(0, |p| p.byte());
                self.line = lock(&self.breaks).line_at(start);
                Some(Ok(Row { rows: self }))
            }
            Ok(false) => None,
            Err(e) => Some(Err(csv_error(&self.name, e))),
        }
    }
}

impl<'a> Row<'a> {
    /// The line where the record starts.
    pub(crate) fn line(&self) -> u64 {
        self.rows.line
    }

    /// The record's number among the data rows, from 1.
    pub(crate) fn number(&self) -> u64 {
        self.rows.row
    }

    /// An error about this record, naming `column` if given.
    pub(crate) fn error(&self, column: Option<usize>, reason: impl Into<String>) -> Error {
        Error::corpus(
            &self.rows.name,
            self.line(),
            column.map(|c| self.rows.header[c].clone()),
            reason,
        )
    }

    /// Checks that the record has as many fields as the header.
    pub(crate) fn check_width(&self) -> Result<(), Error> {
        let (got, want) = (self.rows.record.len(), self.rows.header.len());
        if got == want {
            Ok(())
        } else {
            Err(self.error(
                None,
                format!("the row has {got} fields but the header has {want} columns"),
            ))
        }
    }

    /// The text of column `column`.
    pub(crate) fn get(&self, column: usize) -> Result<&'a str, Error> {
        let bytes = self
            .rows
            .record
            .get(column)
            .ok_or_else(|| self.error(Some(column), "missing (the row is too short)"))?;
        std::str::from_utf8(bytes).map_err(|e| {
            self.error(
                Some(column),
                format!("invalid UTF-8 at byte {} of the field", e.valid_up_to() + 1),
            )
        })
    }

    /// The text of column `column`, which must not be empty.
    pub(crate) fn non_empty(&self, column: usize) -> Result<&'a str, Error> {
        let text = self.get(column)?;
        if text.trim().is_empty() {
            Err(self.error(Some(column), "empty"))
        } else {
            Ok(text)
        }
    }
}

/// A source that turns every record of a CSV file into one example with `convert`, after
/// checking that the record is as wide as the header.
pub(crate) struct CsvSource<F> {
    rows: CsvRows,
    convert: F,
}

impl<F> CsvSource<F>
where
    F: FnMut(&Row<'_>) -> Result<Example, Error> + Send + 'static,
{
    /// A source of `rows` converted by `convert`.
    pub(crate) fn boxed(rows: CsvRows, convert: F) -> Box<dyn Source> {
        Box::new(CsvSource { rows, convert })
    }
}

impl<F> Source for CsvSource<F>
where
    F: FnMut(&Row<'_>) -> Result<Example, Error> + Send,
{
    fn read_row(&mut self, out: &mut VecDeque<Result<Example, Error>>) -> Step {
        match self.rows.next_row() {
            None => Step::End,
            Some(Err(e)) => {
                out.push_back(Err(e));
                Step::Stop
            }
            Some(Ok(row)) => {
                out.push_back(row.check_width().and_then(|()| (self.convert)(&row)));
                Step::Row
            }
        }
    }
}

/// A CSV reading error: the file could not be read (I/O), or a record could not be parsed.
fn csv_error(name: &str, error: ::csv::Error) -> Error {
    let line = error.position().map(|p| p.line());
    match error.into_kind() {
        ::csv::ErrorKind::Io(e) => Error::io("read", name, e),
        other => Error::Input {
            path: name.to_owned(),
            line,
            reason: format!("{other:?}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each record's line, number and fields, or its error.
    type Got = Result<(u64, u64, Vec<String>), String>;

    fn rows(content: &[u8]) -> Vec<Got> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, content).unwrap();
        let mut rows = CsvRows::open(&path, b',').unwrap();
        assert_eq!(rows.header(), ["id", "text"]);
        let mut out = Vec::new();
        while let Some(row) = rows.next_row() {
            let row = row.unwrap();
            out.push(
                row.check_width()
                    .and_then(|()| Ok(vec![row.get(0)?.to_owned(), row.get(1)?.to_owned()]))
                    .map(|fields| (row.line(), row.number(), fields))
                    .map_err(|e| e.to_string().replace(&path.display().to_string(), "t.csv")),
            );
        }
        out
    }

    #[test]
    fn quoted_fields_bom_and_crlf() {
        let got = rows(
            b"\xef\xbb\xbfid,text\r\n1,\"a, \"\"b\"\"\r\nc\"\r\n2,plain\r\n3\r\n4,caf\xe9\r\n",
        );
        let ok = |line, number, id: &str, text: &str| {
            Ok((line, number, vec![id.to_owned(), text.to_owned()]))
        };
        assert_eq!(
            got,
            vec![
                ok(2, 1, "1", "a, \"b\"\r\nc"),
                ok(4, 2, "2", "plain"),
                Err("t.csv:5: the row has 1 fields but the header has 2 columns".to_owned()),
                Err("t.csv:6: field \"text\": invalid UTF-8 at byte 4 of the field".to_owned()),
            ]
        );
    }

    #[test]
    fn line_numbers_count_quoted_breaks_and_blank_lines() {
        let want = |lines: &[u64]| -> Vec<u64> { lines.to_vec() };
        let cases: [(&[u8], Vec<u64>); 3] = [
            (b"id,text\n1,a\n2,\"b\nc\"\n\n3,d\n", want(&[2, 3, 6])),
            (
                b"id,text\r\n1,a\r\n2,\"b\r\nc\"\r\n\r\n3,d\r\n",
                want(&[2, 3, 6]),
            ),
            (b"\n\nid,text\n\n1,\"\n\na\"\n2,b", want(&[5, 8])),
        ];
        for (input, want) in cases {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("t.csv");
            std::fs::write(&path, input).unwrap();
            let mut rows = CsvRows::open(&path, b',').unwrap();
            let mut got = Vec::new();
            while let Some(row) = rows.next_row() {
                got.push(row.unwrap().line());
            }
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn missing_columns_are_listed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, "id,text\n").unwrap();
        let rows = CsvRows::open(&path, b',').unwrap();
        let err = rows.column("label").unwrap_err().to_string();
        assert!(
            err.ends_with(":1: no column \"label\"; the columns are: \"id\", \"text\""),
            "{err}"
        );
        std::fs::write(&path, "").unwrap();
        assert!(CsvRows::open(&path, b',').is_err());
    }
}
