//! Streaming JSON Lines readers and writers of the record types.
//!
//! A [`Reader`] holds one line at a time in a reused buffer, so a file of any size is read in
//! constant memory. It is an iterator of `Result<record, Error>`: in [`Mode::Strict`] it ends
//! after the first error; in [`Mode::Lenient`] it yields each bad record's error and goes on
//! with the next line (an input that cannot be read at all still ends it). Either way nothing is
//! dropped silently: a blank line is an error too, and [`Reader::counts`] tells how many records
//! were read and how many were bad.

use std::marker::PhantomData;
use std::path::Path;

use crate::error::{Error, FieldError};
use crate::io::{Lines, Output, display_name};
use crate::json::{Record, parse_object};

/// What a reader does after a bad record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// Stop at the first error (the default).
    #[default]
    Strict,
    /// Yield each bad record's error and go on.
    Lenient,
}

/// How many records a reader or importer has seen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Records (lines, rows) read, good or bad.
    pub read: u64,
    /// Records yielded as errors.
    pub errors: u64,
}

/// Reads records of type `T` from a JSON Lines input, one line at a time.
///
/// ```
/// use stance_corpus::{Article, Mode, Reader};
///
/// let input = "{\"id\": \"a\", \"text\": \"first\"}\n\n{\"id\": \"c\"}\n{\"id\": \"d\", \"text\": \"last\"}\n";
/// let mut reader = Reader::<Article>::from_reader(Box::new(input.as_bytes()), "articles.jsonl", ())
///     .unwrap()
///     .mode(Mode::Lenient);
/// let results: Vec<_> = reader.by_ref().collect();
/// assert_eq!(results.len(), 4);
/// assert_eq!(results[1].as_ref().unwrap_err().to_string(), "articles.jsonl:2: blank line (every line must hold a record)");
/// assert_eq!(results[2].as_ref().unwrap_err().to_string(), "articles.jsonl:3: field \"text\": missing (required)");
/// assert_eq!(results[3].as_ref().unwrap().text, "last");
/// assert_eq!((reader.counts().read, reader.counts().errors), (4, 2));
/// ```
pub struct Reader<T: Record> {
    lines: Lines,
    options: T::Options,
    mode: Mode,
    counts: Counts,
    done: bool,
    record: PhantomData<fn() -> T>,
}

impl<T: Record> Reader<T> {
    /// Opens `path` (`-` for standard input; gzip is decompressed whatever the name).
    pub fn open(path: &Path, options: T::Options) -> Result<Reader<T>, Error> {
        Ok(Reader::with_lines(Lines::open(path)?, options))
    }

    /// Reads `reader`, called `name` in messages (gzip is decompressed).
    pub fn from_reader(
        reader: Box<dyn std::io::BufRead + Send>,
        name: &str,
        options: T::Options,
    ) -> Result<Reader<T>, Error> {
        let reader = crate::io::decompress(reader, name)?;
        Ok(Reader::with_lines(
            Lines::new(reader, name.to_owned()),
            options,
        ))
    }

    fn with_lines(lines: Lines, options: T::Options) -> Reader<T> {
        Reader {
            lines,
            options,
            mode: Mode::Strict,
            counts: Counts::default(),
            done: false,
            record: PhantomData,
        }
    }

    /// The same reader in `mode`.
    pub fn mode(mut self, mode: Mode) -> Reader<T> {
        self.mode = mode;
        self
    }

    /// The records read and the errors yielded so far.
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// The input's name in messages.
    pub fn name(&self) -> &str {
        self.lines.name()
    }

    fn read_next(&mut self) -> Option<Result<T, Error>> {
        let line = match self.lines.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => return None,
            Err(e) => return Some(Err(e)),
        };
        let parsed = parse_line(line, &self.options);
        let number = self.lines.line();
        Some(parsed.map_err(|e| e.at(self.lines.name(), number)))
    }
}

/// Reads the record on one line.
fn parse_line<T: Record>(line: &[u8], options: &T::Options) -> Result<T, FieldError> {
    T::from_json(parse_object(line)?, options)
}

impl<T: Record> Iterator for Reader<T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Result<T, Error>> {
        if self.done {
            return None;
        }
        let item = self.read_next();
        match &item {
            None => self.done = true,
            Some(Ok(_)) => self.counts.read += 1,
            Some(Err(e)) => {
                if e.is_record_error() {
                    self.counts.read += 1;
                }
                self.counts.errors += 1;
                self.done = self.mode == Mode::Strict || !e.is_record_error();
            }
        }
        item
    }
}

/// Writes records as JSON Lines: one compact object per line, known fields in a fixed order
/// then unknown ones in their original order, so the same records give the same bytes.
///
/// A file is written under a temporary name and moved into place by [`Writer::finish`]; `-` is
/// standard output; a name ending in `.gz` is gzip-compressed.
///
/// ```
/// use stance_corpus::{Article, Reader, Writer};
///
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("articles.jsonl.gz");
/// let mut writer = Writer::create(&path).unwrap();
/// writer.write(&Article { id: "a".into(), text: "Kyiv".into(), ..Article::default() }).unwrap();
/// writer.finish().unwrap();
/// let back: Vec<Article> = Reader::open(&path, ()).unwrap().collect::<Result<_, _>>().unwrap();
/// assert_eq!(back[0].text, "Kyiv");
/// ```
pub struct Writer<T> {
    output: Output,
    buf: Vec<u8>,
    written: u64,
    record: PhantomData<fn(&T)>,
}

impl<T: serde::Serialize> Writer<T> {
    /// Starts writing `path` (`-` for standard output).
    pub fn create(path: &Path) -> Result<Writer<T>, Error> {
        Ok(Writer {
            output: Output::create(path)?,
            buf: Vec::with_capacity(1 << 12),
            written: 0,
            record: PhantomData,
        })
    }

    /// Writes one record on one line.
    pub fn write(&mut self, record: &T) -> Result<(), Error> {
        self.buf.clear();
        serde_json::to_writer(&mut self.buf, record)
            .map_err(|e| Error::io("write", self.output.name(), std::io::Error::other(e)))?;
        self.buf.push(b'\n');
        self.output.write_all(&self.buf)?;
        self.written += 1;
        Ok(())
    }

    /// The number of records written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Completes the output: flushes it and moves a file into place.
    pub fn finish(self) -> Result<(), Error> {
        self.output.finish()
    }
}

/// The name of `path` in messages (`<stdin>` for `-`).
pub fn input_name(path: &Path) -> String {
    display_name(path, "<stdin>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Example, ExampleOptions, Task};

    fn examples(
        input: &[u8],
        mode: Mode,
        task: Option<Task>,
    ) -> (Vec<Result<String, String>>, Counts) {
        let mut reader = Reader::<Example>::from_reader(
            Box::new(std::io::Cursor::new(input.to_vec())),
            "x.jsonl",
            ExampleOptions { task },
        )
        .unwrap()
        .mode(mode);
        let got = reader
            .by_ref()
            .map(|r| r.map(|e| e.id).map_err(|e| e.to_string()))
            .collect();
        (got, reader.counts())
    }

    const INPUT: &[u8] = b"{\"id\":\"1\",\"task\":\"document\",\"text\":\"a\"}\r\n\
        \n\
        {\"id\":\"3\",\"task\":\"document\",\"text\":\"b\"\n\
        {\"id\":\"4\",\"task\":\"document\",\"text\":\"\xff\"}\n\
        [1]\n\
        {\"id\":\"6\",\"task\":\"pair\",\"text_a\":\"a\",\"text_b\":\"b\"}\n\
        {\"id\":\"7\",\"task\":\"document\",\"text\":\"c\"}";

    #[test]
    fn lenient_reading_reports_every_bad_line_and_goes_on() {
        let (got, counts) = examples(INPUT, Mode::Lenient, Some(Task::Document));
        let want: Vec<Result<String, String>> = vec![
            Ok("1".into()),
            Err("x.jsonl:2: blank line (every line must hold a record)".into()),
            Err("x.jsonl:3: invalid JSON at column 38: EOF while parsing an object".into()),
            Err("x.jsonl:4: invalid UTF-8 at byte 37 of the line".into()),
            Err("x.jsonl:5: expected a JSON object, found an array".into()),
            Err(
                "x.jsonl:6: field \"task\": is \"pair\" but \"document\" examples were expected"
                    .into(),
            ),
            Ok("7".into()),
        ];
        assert_eq!(got, want);
        assert_eq!(counts, Counts { read: 7, errors: 5 });
    }

    #[test]
    fn strict_reading_stops_at_the_first_error() {
        let (got, counts) = examples(INPUT, Mode::Strict, None);
        assert_eq!(got.len(), 2);
        assert!(
            got[1]
                .as_ref()
                .unwrap_err()
                .starts_with("x.jsonl:2: blank line")
        );
        assert_eq!(counts, Counts { read: 2, errors: 1 });
    }

    #[test]
    fn gzip_input_is_read_whatever_its_name() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"{\"id\":\"z\",\"task\":\"document\",\"text\":\"t\"}\n")
            .unwrap();
        let (got, _) = examples(&gz.finish().unwrap(), Mode::Strict, None);
        assert_eq!(got, [Ok("z".to_owned())]);
    }

    #[test]
    fn written_files_read_back_identically() {
        let dir = tempfile::tempdir().unwrap();
        let lines = [
            r#"{"id":"1","task":"target","text":"Kyiv – Київ","target":"Kyiv","target_span":[0,4],"label":"FAVOR","x":[1,{"b":2,"a":1}]}"#,
            r#"{"id":"2","task":"pair","text_a":"h","text_b":"b","group":"g"}"#,
        ];
        let input = dir.path().join("in.jsonl");
        std::fs::write(&input, lines.join("\n") + "\n").unwrap();
        let records: Vec<Example> = Reader::open(&input, ExampleOptions::default())
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for name in ["out.jsonl", "out.jsonl.gz"] {
            let out = dir.path().join(name);
            let mut writer = Writer::create(&out).unwrap();
            for record in &records {
                writer.write(record).unwrap();
            }
            assert_eq!(writer.written(), 2);
            writer.finish().unwrap();
            let mut text = String::new();
            std::io::Read::read_to_string(&mut crate::io::open(&out).unwrap(), &mut text).unwrap();
            assert_eq!(text, lines.join("\n") + "\n", "{name}");
        }
    }
}
