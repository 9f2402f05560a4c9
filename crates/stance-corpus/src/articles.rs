//! The articles `stance score` reads: text files, JSON Lines files (plain or gzip), directories
//! of both, or standard input, as one stream in input order.
//!
//! Scoring is a batch job, so an input that cannot be read does not stop it: it becomes an
//! [`ArticleItem`] with an `error` in its place (an unreadable file, a line that is not JSON, a
//! text field missing or not a string, an empty or oversized article), and the caller writes a
//! record for it. Invalid UTF-8 is decoded lossily and flagged in `warnings`. Only a path that
//! does not exist at all is refused up front, before anything is read.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::Error;
use crate::io::{Lines, display_name, is_stdio};
use crate::json_line;

/// How articles are read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleOptions {
    /// The JSON field holding the text.
    pub text_field: String,
    /// The JSON field holding the id (string or number).
    pub id_field: String,
    /// The JSON field holding the date.
    pub date_field: String,
    /// Articles larger than this many bytes are refused with an error record.
    pub max_bytes: usize,
}

impl Default for ArticleOptions {
    fn default() -> Self {
        ArticleOptions {
            text_field: "text".into(),
            id_field: "id".into(),
            date_field: "date".into(),
            max_bytes: 10 << 20,
        }
    }
}

/// One article, or the reason it could not be read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ArticleItem {
    /// Where it came from: `file` or `file:line`.
    pub origin: String,
    /// The article's id: its file name for a text file, the id field of a JSON line (else
    /// `file:line`).
    pub id: String,
    /// The text (empty when `error` is set).
    pub text: String,
    /// The date field, as written.
    pub date: Option<String>,
    /// Every other field of a JSON line, in its order (the id and date fields included), to be
    /// passed through to the output.
    pub extra: Map<String, Value>,
    /// Why the article could not be read.
    pub error: Option<String>,
    /// Problems that did not stop reading (invalid UTF-8 replaced).
    pub warnings: Vec<String>,
    /// Bytes of the input this article accounts for, to tell progress: a text file's size; for
    /// JSON Lines, the bytes read from the file (compressed, for gzip) since the article
    /// before, which moves in steps of the read buffer (what is read after a file's last line
    /// goes to the next article). Over a run of files they add up to [`Articles::total_bytes`],
    /// less what is read after the last article.
    pub input_bytes: u64,
}

/// The stream of articles of several inputs.
pub struct Articles {
    /// The inputs not yet opened, with their sizes (`None` for standard input).
    pending: VecDeque<(PathBuf, Option<u64>)>,
    /// The JSON Lines input being read, its size, and how much of it is accounted for.
    lines: Option<(Lines, Option<u64>, u64)>,
    options: ArticleOptions,
    total: Option<u64>,
    /// Bytes read but not yet accounted to an article (the tail of a file read after its last
    /// line), given to the next one.
    carry: u64,
}

/// The articles of `paths`, in order; a directory contributes its `*.txt`, `*.jsonl` and
/// `*.jsonl.gz` files (recursively, sorted by path). A path that does not exist is an error
/// here, before anything is read.
pub fn articles(paths: &[PathBuf], options: ArticleOptions) -> Result<Articles, Error> {
    let mut found = Vec::new();
    for path in paths {
        if is_stdio(path) {
            found.push(path.clone());
        } else if path.is_dir() {
            let mut files = Vec::new();
            walk(path, &mut files)?;
            files.sort();
            found.extend(files);
        } else if path.exists() {
            found.push(path.clone());
        } else {
            return Err(Error::Options {
                reason: format!("{}: no such file or directory", path.display()),
            });
        }
    }
    let pending: VecDeque<(PathBuf, Option<u64>)> = found
        .into_iter()
        .map(|path| {
            // A file whose size cannot be read counts as empty: reading it will say why.
            let size = (!is_stdio(&path)).then(|| std::fs::metadata(&path).map_or(0, |m| m.len()));
            (path, size)
        })
        .collect();
    let total = pending.iter().map(|(_, size)| *size).sum();
    Ok(Articles {
        pending,
        lines: None,
        options,
        total,
        carry: 0,
    })
}

impl Articles {
    /// The size in bytes of all the inputs (compressed, for gzip), as they were when the
    /// stream was opened; `None` when one is standard input.
    pub fn total_bytes(&self) -> Option<u64> {
        self.total
    }

    /// `item` with the bytes read since the article before.
    fn accounted(&mut self, mut item: ArticleItem, bytes: u64) -> ArticleItem {
        item.input_bytes = bytes + std::mem::take(&mut self.carry);
        item
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let name = dir.display().to_string();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io("read", &name, e))? {
        let path = entry.map_err(|e| Error::io("read", &name, e))?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if is_jsonl(&path) || path.extension().is_some_and(|e| e == "txt") {
            out.push(path);
        }
    }
    Ok(())
}

fn is_jsonl(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with(".jsonl") || name.ends_with(".jsonl.gz")
}

impl Iterator for Articles {
    type Item = ArticleItem;

    fn next(&mut self) -> Option<ArticleItem> {
        loop {
            if let Some((lines, size, counted)) = &mut self.lines {
                // The origin of the line about to be read: the line number after it is read
                // would borrow `lines` while the line does.
                let next_origin = format!("{}:{}", lines.name(), lines.line() + 1);
                let item = match lines.next_line() {
                    Ok(Some(line)) => json_article(line, next_origin, &self.options),
                    Ok(None) => {
                        // What is left of the file goes to the next article.
                        let read = size.unwrap_or_else(|| lines.consumed()).max(*counted);
                        self.carry += read - *counted;
                        self.lines = None;
                        continue;
                    }
                    Err(e) => {
                        let read = size.unwrap_or_else(|| lines.consumed()).max(*counted);
                        let bytes = read - *counted;
                        self.lines = None;
                        return Some(self.accounted(failed(next_origin, e.to_string()), bytes));
                    }
                };
                let now = lines.consumed();
                let bytes = now.saturating_sub(*counted);
                *counted = now.max(*counted);
                return Some(self.accounted(item, bytes));
            }
            let (path, size) = self.pending.pop_front()?;
            if is_stdio(&path) || is_jsonl(&path) {
                match Lines::open(&path) {
                    Ok(lines) => self.lines = Some((lines, size, 0)),
                    Err(e) => {
                        let item = failed(display_name(&path, "<stdin>"), e.to_string());
                        return Some(self.accounted(item, size.unwrap_or(0)));
                    }
                }
                continue;
            }
            let item = text_article(&path, &self.options);
            return Some(self.accounted(item, size.unwrap_or(0)));
        }
    }
}

fn failed(origin: String, error: String) -> ArticleItem {
    ArticleItem {
        id: origin.clone(),
        origin,
        error: Some(error),
        ..ArticleItem::default()
    }
}

/// A whole text file as one article, its id the file name.
fn text_article(path: &Path, options: &ArticleOptions) -> ArticleItem {
    let origin = path.display().to_string();
    let id = path
        .file_name()
        .map_or_else(|| origin.clone(), |n| n.to_string_lossy().into_owned());
    let mut item = ArticleItem {
        origin: origin.clone(),
        id,
        ..ArticleItem::default()
    };
    let size = std::fs::metadata(path).map(|m| m.len());
    match size {
        Ok(size) if size > options.max_bytes as u64 => {
            item.error = Some(too_large(size as usize, options));
            return item;
        }
        Err(e) => {
            item.error = Some(format!("cannot read {origin}: {e}"));
            return item;
        }
        Ok(_) => {}
    }
    match std::fs::read(path) {
        Ok(bytes) => set_text(&mut item, bytes, options),
        Err(e) => item.error = Some(format!("cannot read {origin}: {e}")),
    }
    item
}

fn too_large(size: usize, options: &ArticleOptions) -> String {
    format!(
        "the article has {size} bytes, over the limit of {} (--max-article-bytes)",
        options.max_bytes
    )
}

/// Sets the text from raw bytes: lossy UTF-8 with a warning, empty and oversized texts refused.
fn set_text(item: &mut ArticleItem, bytes: Vec<u8>, options: &ArticleOptions) {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let replaced = text
                .chars()
                .filter(|&c| c == char::REPLACEMENT_CHARACTER)
                .count();
            item.warnings.push(format!(
                "invalid UTF-8: {replaced} sequences replaced by U+FFFD"
            ));
            text
        }
    };
    check_text(item, text, options);
}

fn check_text(item: &mut ArticleItem, text: String, options: &ArticleOptions) {
    if text.len() > options.max_bytes {
        item.error = Some(too_large(text.len(), options));
    } else if text.trim().is_empty() {
        item.error = Some("the article is empty".into());
    } else {
        item.text = text;
    }
}

/// One JSON line as an article.
fn json_article(line: &[u8], origin: String, options: &ArticleOptions) -> ArticleItem {
    read_json_article(line, origin, options, true)
}

/// [`json_article`], reading the line through [`json_line`] when `try_fast` and the line is
/// plain enough, else through `serde_json` as a whole: the same article either way.
fn read_json_article(
    line: &[u8],
    origin: String,
    options: &ArticleOptions,
    try_fast: bool,
) -> ArticleItem {
    let mut item = ArticleItem {
        id: origin.clone(),
        origin,
        ..ArticleItem::default()
    };
    let owned;
    let line = match std::str::from_utf8(line) {
        Ok(line) => line,
        Err(_) => {
            owned = String::from_utf8_lossy(line).into_owned();
            item.warnings
                .push("invalid UTF-8: sequences replaced by U+FFFD".into());
            &owned
        }
    };
    // The text field is taken out of the object after the id and date fields are read, which
    // may be the same field; the fast path only answers when they are not.
    let fast = (try_fast
        && options.id_field != options.text_field
        && options.date_field != options.text_field)
        .then(|| json_line::split_text_field(line, &options.text_field))
        .flatten();
    let (mut object, mut text) = match fast {
        Some((object, text)) => (object, text),
        None => match serde_json::from_str(line) {
            Ok(Value::Object(object)) => (object, None),
            Ok(_) => {
                item.error = Some("the line is not a JSON object".into());
                return item;
            }
            Err(e) => {
                item.error = Some(format!("malformed JSON: {e}"));
                return item;
            }
        },
    };
    match object.get(&options.id_field) {
        Some(Value::String(id)) => item.id = id.clone(),
        Some(Value::Number(n)) => item.id = n.to_string(),
        _ => {}
    }
    if let Some(Value::String(date)) = object.get(&options.date_field) {
        item.date = Some(date.clone());
    }
    if text.is_none() {
        text = object.shift_remove(&options.text_field);
    }
    item.extra = object;
    match text {
        Some(Value::String(text)) => check_text(&mut item, text, options),
        Some(other) => {
            item.error = Some(format!(
                "field {:?}: expected a string, found {}",
                options.text_field,
                json_type(&other)
            ));
        }
        None => item.error = Some(format!("field {:?}: missing", options.text_field)),
    }
    item
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_lines_and_errors_in_input_order() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("sub")).unwrap();
        std::fs::write(d.join("a.txt"), "Moscow rejected the truce.").unwrap();
        std::fs::write(d.join("sub/b.txt"), b"Kyiv \xff backed it.").unwrap();
        std::fs::write(d.join("c.txt"), "  \n").unwrap();
        std::fs::write(d.join("notes.md"), "skipped").unwrap();
        std::fs::write(
            d.join("d.jsonl"),
            concat!(
                "{\"id\": 7, \"body\": \"A truce.\", \"date\": \"2025-04-23\", \"source\": \"RT\"}\n",
                "not json\n",
                "{\"id\": \"x\", \"body\": 3}\n",
                "{\"id\": \"y\"}\n",
                "{\"body\": \"long enough text here\"}\n",
            ),
        )
        .unwrap();
        let options = ArticleOptions {
            text_field: "body".into(),
            max_bytes: 20,
            ..ArticleOptions::default()
        };
        let items: Vec<ArticleItem> = articles(&[d.to_owned()], options).unwrap().collect();
        let summary: Vec<(String, Option<String>)> = items
            .iter()
            .map(|i| (i.id.clone(), i.error.clone()))
            .collect();
        let d_name = d.join("d.jsonl").display().to_string();
        assert_eq!(
            summary[0],
            (
                "a.txt".into(),
                Some("the article has 26 bytes, over the limit of 20 (--max-article-bytes)".into())
            )
        );
        assert_eq!(
            summary[1],
            ("c.txt".into(), Some("the article is empty".into()))
        );
        assert_eq!(summary[2], ("7".into(), None));
        assert_eq!(items[2].text, "A truce.");
        assert_eq!(items[2].date.as_deref(), Some("2025-04-23"));
        assert_eq!(
            items[2].extra.keys().collect::<Vec<_>>(),
            ["id", "date", "source"]
        );
        assert_eq!(summary[3].0, format!("{d_name}:2"));
        assert!(summary[3].1.as_ref().unwrap().starts_with("malformed JSON"));
        assert_eq!(
            summary[4],
            (
                "x".into(),
                Some("field \"body\": expected a string, found a number".into())
            )
        );
        assert_eq!(
            summary[5],
            ("y".into(), Some("field \"body\": missing".into()))
        );
        assert_eq!(
            summary[6],
            (
                format!("{d_name}:5"),
                Some("the article has 21 bytes, over the limit of 20 (--max-article-bytes)".into())
            )
        );
        assert_eq!(summary[7], ("b.txt".into(), None));
        assert_eq!(items[7].text, "Kyiv \u{fffd} backed it.");
        assert_eq!(items[7].warnings.len(), 1);
        assert_eq!(items.len(), 8);
    }

    #[test]
    fn a_missing_path_is_refused_up_front() {
        let err = articles(&[PathBuf::from("/no/such/dir")], ArticleOptions::default())
            .err()
            .unwrap();
        assert!(err.to_string().contains("/no/such/dir"), "{err}");
    }

    #[test]
    fn input_bytes_add_up_to_the_inputs_sizes() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // Lines enough that the read buffer (64 KiB) fills several times, plain and gzip.
        let mut jsonl = String::new();
        for i in 0..3000 {
            jsonl.push_str(&format!(
                "{{\"id\": {i}, \"text\": \"Kyiv backed the ceasefire on day {i}, officials said.\"}}\n"
            ));
        }
        jsonl.push_str("not json\n{\"id\": \"last\", \"text\": \"No newline at the end.\"}");
        std::fs::write(d.join("a.jsonl"), &jsonl).unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(jsonl.as_bytes()).unwrap();
        std::fs::write(d.join("b.jsonl.gz"), gz.finish().unwrap()).unwrap();
        std::fs::write(d.join("c.txt"), "Moscow rejected the truce.").unwrap();
        std::fs::write(d.join("d.txt"), "").unwrap();
        std::fs::write(d.join("e.jsonl"), "").unwrap();
        let sizes: u64 = ["a.jsonl", "b.jsonl.gz", "c.txt", "d.txt", "e.jsonl"]
            .iter()
            .map(|f| std::fs::metadata(d.join(f)).unwrap().len())
            .sum();
        let stream = articles(&[d.to_owned()], ArticleOptions::default()).unwrap();
        assert_eq!(stream.total_bytes(), Some(sizes));
        let items: Vec<ArticleItem> = stream.collect();
        assert_eq!(items.len(), 2 * 3002 + 2);
        assert_eq!(items.iter().map(|i| i.input_bytes).sum::<u64>(), sizes);
        // Progress moves through each file, not only at its end.
        let first_file = &items[..3002];
        let moved = first_file.iter().filter(|i| i.input_bytes > 0).count();
        assert!(moved >= 3, "{moved} steps");
        assert!(first_file.iter().map(|i| i.input_bytes).sum::<u64>() <= jsonl.len() as u64);
        // Standard input has no size.
        let stdin = articles(&[PathBuf::from("-")], ArticleOptions::default()).unwrap();
        assert_eq!(stdin.total_bytes(), None);
    }

    #[test]
    fn json_lines_read_the_same_through_the_fast_path() {
        let lines: [&[u8]; 14] = [
            br#"{"id": "a1", "date": "2025-04-23", "text": "Putin met \"Trump\".\n\nThen\u2019s", "src": "x"}"#,
            br#"{"text": "first", "id": 17, "n": [1, 2]}"#,
            br#"{"id": 12.5, "text": "a number id"}"#,
            br#"{"text": 5, "id": "x"}"#,
            br#"{"text": null}"#,
            br#"{"id": "no text"}"#,
            br#"{"text": "   ", "id": "blank"}"#,
            br#"{"text": "dup", "text": "licate"}"#,
            br#"{"text": "x"} junk"#,
            br#"[1, 2]"#,
            b"{\"text\": \"bad \xff byte\"}",
            b"{\"text\": \"raw\ttab\"}",
            br#"{"date": 20250423, "text": "a date that is not a string", "id": "d"}"#,
            br#"{"text": "x", "date": "2025-01-01", "id": "x", "id2": {"deep": [true]}}"#,
        ];
        let mut options = ArticleOptions::default();
        for round in 0..3 {
            if round == 1 {
                options.text_field = "body".into();
            }
            if round == 2 {
                options = ArticleOptions {
                    max_bytes: 12,
                    ..ArticleOptions::default()
                };
            }
            for line in lines {
                // Round 1 reads the same records from the field "body".
                let renamed;
                let line = if round == 1 {
                    renamed = String::from_utf8_lossy(line).replace("\"text\"", "\"body\"");
                    renamed.as_bytes()
                } else {
                    line
                };
                let fast = read_json_article(line, "f:1".into(), &options, true);
                let slow = read_json_article(line, "f:1".into(), &options, false);
                assert_eq!(fast, slow, "{}", String::from_utf8_lossy(line));
            }
        }
    }
}
