//! Importers: public datasets in their published layouts turned into [`Example`]s.
//!
//! Each format reads its source files row by row (a line, or a CSV record) and gives the
//! examples in input order, with the source's ids where it has them (else
//! `<format>:<file>:<row>`, `<file>` being the file name without `.gz` and without a `.csv`,
//! `.tsv`, `.txt` or `.jsonl` extension) and the labels verbatim. An [`Importer`] is an iterator
//! of `Result<Example, Error>` that behaves like a [`Reader`](crate::Reader): strict mode stops
//! at the first error, lenient mode reports each bad row and goes on; an input that cannot be
//! read (missing file, missing column) ends it in both modes.
//!
//! ```
//! use stance_corpus::import::{Format, Importer};
//! use stance_corpus::{Input, Mode};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let pos = dir.path().join("rt-polarity.pos");
//! std::fs::write(&pos, "a small gem .\n").unwrap();
//! let neg = dir.path().join("rt-polarity.neg");
//! std::fs::write(&neg, b"flat and caf\xe9-bound .\n").unwrap();
//! let mut importer = Importer::new(&Format::Mr, &[pos, neg], Mode::Strict).unwrap();
//! let examples: Vec<_> = importer.by_ref().collect::<Result<_, _>>().unwrap();
//! assert_eq!(examples[1].id, "mr:rt-polarity.neg:1");
//! assert_eq!(examples[1].label.as_deref(), Some("neg"));
//! assert_eq!(examples[1].input, Input::Document { text: "flat and café-bound .".into() });
//! assert_eq!(importer.counts().read, 2);
//! ```

mod csv;
mod csv_rows;
mod emergent;
mod fnc1;
mod mr;
mod newsmtsc;
mod semeval2016;
mod sst;
mod subj;
mod vast;

use std::collections::VecDeque;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use self::csv::CsvOptions;
pub use self::newsmtsc::SentenceRule;

use crate::error::Error;
use crate::example::Example;
use crate::reader::{Counts, Mode};

/// A dataset layout that can be imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Format {
    /// SemEval-2016 Task 6: tab-separated `ID Target Tweet Stance [Opinion towards Sentiment]`
    /// files with a header line → `target` examples.
    Semeval2016,
    /// FNC-1: a stances CSV (`Headline`, `Body ID`, `Stance`) and a bodies CSV (`Body ID`,
    /// `articleBody`), joined by body → `pair` examples grouped by body.
    Fnc1,
    /// NewsMTSC: its JSON Lines, one sentence per line → one `target` example per target.
    Newsmtsc,
    /// NewsMTSC read as sentences: one `document` example per sentence, labelled `negative` /
    /// `neutral` / `positive` from its targets' polarities by the rule (sentences it leaves
    /// undecided are skipped).
    NewsmtscSentences(SentenceRule),
    /// MR sentence polarity: `rt-polarity.pos` and `rt-polarity.neg`, one snippet per line →
    /// `document` examples labelled `pos` / `neg`.
    Mr,
    /// SUBJ: `quote.tok.gt9.5000` (subjective) and `plot.tok.gt9.5000` (objective), one
    /// sentence per line → `document` examples labelled `subjective` / `objective`.
    Subj,
    /// Emergent: its CSV (`claimHeadline`, `articleHeadline`, `articleHeadlineStance`,
    /// `articleId`, `claimId`) → `pair` examples grouped by claim.
    Emergent,
    /// VAST: its CSV (`post`, `topic_str`, `label`, `new_id`, ...), or the 4-column derivative
    /// (`Tweet`, `Target`, `Stance`, `seen?`) → `target` examples.
    Vast,
    /// SST: `stsa.binary.*` lines (`<label> <sentence>`) or GLUE TSV (`sentence<TAB>label`
    /// with a header) → `document` examples.
    Sst,
    /// Any CSV or TSV with a header: the columns are chosen by the user.
    Csv(CsvOptions),
}

impl Format {
    /// The names of the formats, as the command line takes them.
    pub const NAMES: [&'static str; 10] = [
        "semeval2016",
        "fnc1",
        "newsmtsc",
        "newsmtsc-sentences",
        "mr",
        "subj",
        "emergent",
        "vast",
        "sst",
        "csv",
    ];

    /// The format's name.
    pub fn name(&self) -> &'static str {
        match self {
            Format::Semeval2016 => "semeval2016",
            Format::Fnc1 => "fnc1",
            Format::Newsmtsc => "newsmtsc",
            Format::NewsmtscSentences(_) => "newsmtsc-sentences",
            Format::Mr => "mr",
            Format::Subj => "subj",
            Format::Emergent => "emergent",
            Format::Vast => "vast",
            Format::Sst => "sst",
            Format::Csv(_) => "csv",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    /// Parses a format name; `csv` gets default [`CsvOptions`] (column `text`),
    /// `newsmtsc-sentences` the default [`SentenceRule`].
    fn from_str(s: &str) -> Result<Format, String> {
        Ok(match s {
            "semeval2016" => Format::Semeval2016,
            "fnc1" => Format::Fnc1,
            "newsmtsc" => Format::Newsmtsc,
            "newsmtsc-sentences" => Format::NewsmtscSentences(SentenceRule::default()),
            "mr" => Format::Mr,
            "subj" => Format::Subj,
            "emergent" => Format::Emergent,
            "vast" => Format::Vast,
            "sst" => Format::Sst,
            "csv" => Format::Csv(CsvOptions::default()),
            _ => {
                return Err(format!(
                    "unknown format {s:?}: expected one of {}",
                    Format::NAMES.join(", ")
                ));
            }
        })
    }
}

/// What reading one row of a source gave.
pub(crate) enum Step {
    /// A row was read; its examples and errors were queued.
    Row,
    /// The source has no more rows.
    End,
    /// A fatal error was queued: nothing more can be read.
    Stop,
}

/// A source of rows: pushes the examples (or errors) of its next row onto `out`.
pub(crate) trait Source: Send {
    fn read_row(&mut self, out: &mut VecDeque<Result<Example, Error>>) -> Step;
}

/// Opens one file as a source.
type Opener = dyn Fn(&Path) -> Result<Box<dyn Source>, Error> + Send;

/// Sources opened one after the other, one per file, each by `open`.
pub(crate) struct Chain {
    paths: VecDeque<PathBuf>,
    open: Box<Opener>,
    current: Option<Box<dyn Source>>,
}

impl Chain {
    pub(crate) fn new(
        paths: &[PathBuf],
        open: impl Fn(&Path) -> Result<Box<dyn Source>, Error> + Send + 'static,
    ) -> Chain {
        Chain {
            paths: paths.iter().cloned().collect(),
            open: Box::new(open),
            current: None,
        }
    }
}

impl Source for Chain {
    fn read_row(&mut self, out: &mut VecDeque<Result<Example, Error>>) -> Step {
        loop {
            if let Some(source) = &mut self.current {
                match source.read_row(out) {
                    Step::End => self.current = None,
                    step => return step,
                }
            }
            let Some(path) = self.paths.pop_front() else {
                return Step::End;
            };
            match (self.open)(&path) {
                Ok(source) => self.current = Some(source),
                Err(e) => {
                    out.push_back(Err(e));
                    return Step::Stop;
                }
            }
        }
    }
}

/// Imports the files of one dataset: an iterator of examples (or errors) in input order.
pub struct Importer {
    source: Box<dyn Source>,
    queue: VecDeque<Result<Example, Error>>,
    mode: Mode,
    counts: Counts,
    failed: bool,
    done: bool,
}

impl Importer {
    /// Prepares to import `sources` as `format`. Options that cannot work and (for formats that
    /// must see every file first, like FNC-1) unreadable files are reported here.
    pub fn new(format: &Format, sources: &[PathBuf], mode: Mode) -> Result<Importer, Error> {
        if sources.is_empty() {
            return Err(Error::Options {
                reason: format!("{format}: no source file given"),
            });
        }
        let source: Box<dyn Source> = match format {
            Format::Semeval2016 => Box::new(Chain::new(sources, semeval2016::open)),
            Format::Fnc1 => fnc1::open(sources)?,
            Format::Newsmtsc => Box::new(Chain::new(sources, newsmtsc::open)),
            &Format::NewsmtscSentences(rule) => Box::new(Chain::new(sources, move |path| {
                newsmtsc::open_sentences(path, rule)
            })),
            Format::Mr => Box::new(Chain::new(sources, mr::open)),
            Format::Subj => Box::new(Chain::new(sources, subj::open)),
            Format::Emergent => Box::new(Chain::new(sources, emergent::open)),
            Format::Vast => Box::new(Chain::new(sources, vast::open)),
            Format::Sst => Box::new(Chain::new(sources, sst::open)),
            Format::Csv(options) => csv::open(sources, options)?,
        };
        Ok(Importer {
            source,
            queue: VecDeque::new(),
            mode,
            counts: Counts::default(),
            failed: false,
            done: false,
        })
    }

    /// The rows read and the errors yielded so far.
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// Whether an input could not be read to its end (a missing file or column, an I/O error):
    /// then the output lacks rows even in lenient mode.
    pub fn failed(&self) -> bool {
        self.failed
    }
}

impl Iterator for Importer {
    type Item = Result<Example, Error>;

    fn next(&mut self) -> Option<Result<Example, Error>> {
        loop {
            if let Some(item) = self.queue.pop_front() {
                if let Err(e) = &item {
                    self.counts.errors += 1;
                    if !e.is_record_error() {
                        self.failed = true;
                    }
                    if self.mode == Mode::Strict || !e.is_record_error() {
                        self.queue.clear();
                        self.done = true;
                    }
                }
                return Some(item);
            }
            if self.done {
                return None;
            }
            match self.source.read_row(&mut self.queue) {
                Step::Row => self.counts.read += 1,
                Step::End | Step::Stop => self.done = true,
            }
        }
    }
}

/// The file part of a row id: the file name without `.gz` and without a `.csv`, `.tsv`, `.txt`
/// or `.jsonl` extension (`stdin` for standard input).
pub(crate) fn file_stem(path: &Path) -> String {
    if crate::io::is_stdio(path) {
        return "stdin".to_owned();
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    [".csv", ".tsv", ".txt", ".jsonl"]
        .iter()
        .find_map(|x| name.strip_suffix(x))
        .unwrap_or(name)
        .to_owned()
}

/// The file name of `path` (without directories and `.gz`), for recognising a dataset's files.
pub(crate) fn file_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.strip_suffix(".gz").unwrap_or(&name).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_ids_use_the_bare_file_name() {
        let cases = [
            ("data/train_stances.csv", "train_stances"),
            ("rt-polarity.pos", "rt-polarity.pos"),
            ("x/dev.tsv.gz", "dev"),
            ("quote.tok.gt9.5000", "quote.tok.gt9.5000"),
            ("-", "stdin"),
        ];
        for (path, want) in cases {
            assert_eq!(file_stem(Path::new(path)), want, "{path}");
        }
    }

    #[test]
    fn format_names_parse() {
        for name in Format::NAMES {
            assert_eq!(name.parse::<Format>().unwrap().name(), name);
        }
        assert!(
            "conll"
                .parse::<Format>()
                .unwrap_err()
                .contains("semeval2016")
        );
    }
}
