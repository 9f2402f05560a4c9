//! Reading documents, shared by the subcommands: one document per line, a string field of JSON
//! Lines, or a column of a CSV file with a header; from a file or from standard input (`-`).
//!
//! Every error names the input and, where there is one, the line (and the field or column), so
//! that a bad record in a million-line file can be found.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::Path;

use anyhow::{Context, anyhow, bail};
use serde_json::Value;

/// Options choosing how an input file holds its documents (shared by the subcommands).
#[derive(Clone, Debug, Default, clap::Args)]
pub struct FormatArgs {
    /// Read the input as JSON Lines (one object per line, blank lines skipped) and take each
    /// document from this field, which must be a string.
    #[arg(
        long,
        value_name = "FIELD",
        conflicts_with = "csv_column",
        requires = "input"
    )]
    pub text_field: Option<String>,
    /// Read the input as CSV with a header row and take the documents from this column.
    #[arg(long, value_name = "NAME", requires = "input")]
    pub csv_column: Option<String>,
}

/// How an input holds its documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format<'a> {
    /// One document per line (a final newline does not start another document; a `\r` before
    /// the newline is dropped; an empty line is an empty document).
    Lines,
    /// JSON Lines: the string `field` of each object.
    Jsonl {
        /// The field holding the text.
        field: &'a str,
    },
    /// CSV with a header row: the column named `column`.
    Csv {
        /// The column holding the text.
        column: &'a str,
    },
}

impl FormatArgs {
    /// The format these options select.
    pub fn format(&self) -> Format<'_> {
        match (&self.text_field, &self.csv_column) {
            (Some(field), _) => Format::Jsonl { field },
            (None, Some(column)) => Format::Csv { column },
            (None, None) => Format::Lines,
        }
    }
}

/// Reads every document of `path` (`-` for standard input), in order. A directory holds one
/// document per `.txt` file, found recursively and taken in path order.
pub fn read_documents(path: &Path, format: Format<'_>) -> anyhow::Result<Vec<String>> {
    if path == Path::new("-") {
        return read_from(io::stdin().lock(), "<stdin>", format);
    }
    if path.is_dir() {
        let mut files = Vec::new();
        collect_txt_files(path, &mut files)?;
        files.sort();
        return files
            .iter()
            .map(|file| {
                let bytes = std::fs::read(file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                String::from_utf8(bytes).map_err(|e| {
                    anyhow!(
                        "{}: invalid UTF-8 at byte {}",
                        file.display(),
                        e.utf8_error().valid_up_to()
                    )
                })
            })
            .collect();
    }
    let name = path.display().to_string();
    let file = File::open(path).with_context(|| format!("cannot open {name}"))?;
    read_from(BufReader::with_capacity(1 << 16, file), &name, format)
}

/// Appends the `.txt` files under `dir` to `out`.
fn collect_txt_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> anyhow::Result<()> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))?;
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot list {}", dir.display()))?
            .path();
        if path.is_dir() {
            collect_txt_files(&path, out)?;
        } else if path.extension().is_some_and(|x| x == "txt") {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads every document of `reader`, called `name` in messages.
fn read_from(reader: impl BufRead, name: &str, format: Format<'_>) -> anyhow::Result<Vec<String>> {
    let mut docs = Vec::new();
    match format {
        Format::Lines => for_each_line(reader, name, |_, line| {
            docs.push(line);
            Ok(())
        })?,
        Format::Jsonl { field } => for_each_line(reader, name, |number, line| {
            if !line.trim().is_empty() {
                docs.push(json_field(&line, field).map_err(|e| anyhow!("{name}:{number}: {e}"))?);
            }
            Ok(())
        })?,
        Format::Csv { column } => read_csv(reader, name, column, &mut docs)?,
    }
    Ok(docs)
}

/// Calls `each` with the number (from 1) and text of every line, without its line ending.
fn for_each_line(
    mut reader: impl BufRead,
    name: &str,
    mut each: impl FnMut(usize, String) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut buf = Vec::new();
    for number in 1.. {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .with_context(|| format!("cannot read {name} (line {number})"))?;
        if n == 0 {
            break;
        }
        if buf.last() == Some(&b'\n') {
            buf.pop();
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
        }
        let line = match std::str::from_utf8(&buf) {
            Ok(line) => line.to_owned(),
            Err(e) => bail!(
                "{name}:{number}: invalid UTF-8 at byte {} of the line",
                e.valid_up_to() + 1
            ),
        };
        each(number, line)?;
    }
    Ok(())
}

/// The string `field` of the JSON object `line`, or why there is none.
fn json_field(line: &str, field: &str) -> Result<String, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| {
        let msg = e.to_string();
        let position = format!(" at line {} column {}", e.line(), e.column());
        let msg = msg.strip_suffix(&position).unwrap_or(&msg);
        format!("invalid JSON at column {}: {msg}", e.column())
    })?;
    let Value::Object(mut object) = value else {
        return Err(format!(
            "expected a JSON object with a field {field:?}, found {}",
            kind(&value)
        ));
    };
    match object.remove(field) {
        Some(Value::String(text)) => Ok(text),
        Some(other) => Err(format!("field {field:?} is {}, not a string", kind(&other))),
        None => Err(format!("no field {field:?}")),
    }
}

/// The kind of a JSON value, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Appends the `column` of every record of the CSV `reader` to `docs`.
fn read_csv(
    reader: impl BufRead,
    name: &str,
    column: &str,
    docs: &mut Vec<String>,
) -> anyhow::Result<()> {
    let mut csv = csv::ReaderBuilder::new().from_reader(reader);
    let headers = csv
        .headers()
        .with_context(|| format!("cannot read the header row of {name}"))?;
    let Some(index) = headers.iter().position(|h| h == column) else {
        let columns: Vec<String> = headers.iter().map(|h| format!("{h:?}")).collect();
        bail!(
            "{name}: no column {column:?}; the columns are: {}",
            if columns.is_empty() {
                "(none)".to_owned()
            } else {
                columns.join(", ")
            }
        );
    };
    for record in csv.records() {
        let record = record.with_context(|| format!("cannot read {name}"))?;
        let text = record
            .get(index)
            .expect("csv checks that every record has as many fields as the header");
        docs.push(text.to_owned());
    }
    Ok(())
}
