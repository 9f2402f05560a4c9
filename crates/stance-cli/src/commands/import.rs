//! `stance import`: a public dataset in its published layout → examples as JSON Lines.

use std::path::PathBuf;

use anyhow::Context;
use stance_corpus::import::{CsvOptions, Format, Importer, SentenceRule};
use stance_corpus::{Example, Mode, Task, Writer};

use super::UsageError;

/// Arguments of `stance import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The dataset's layout.
    #[arg(value_name = "FORMAT", value_parser = clap::builder::PossibleValuesParser::new(Format::NAMES))]
    pub format: String,
    /// The dataset's files, read in this order (`-` for standard input; `.gz` files are
    /// decompressed).
    #[arg(value_name = "SRC", required = true)]
    pub sources: Vec<PathBuf>,
    /// The examples' file (JSON Lines; `-` for standard output; gzip-compressed if it ends in
    /// .gz). Written under a temporary name and renamed at the end: a failed run leaves no
    /// partial file.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: PathBuf,
    /// Report each bad row on standard error and go on, instead of stopping at the first one.
    /// The run still fails if a file cannot be read to its end.
    #[arg(long)]
    pub lenient: bool,
    /// How a `newsmtsc-sentences` import labels a sentence from its targets: `unanimous` (all
    /// targets agree; others are skipped) or `majority` (ties are skipped) [default: unanimous].
    #[arg(long, value_name = "RULE", value_parser = clap::builder::PossibleValuesParser::new(SentenceRule::NAMES))]
    pub sentence_rule: Option<String>,
    /// The columns of a `csv` import.
    #[command(flatten)]
    pub csv: CsvArgs,
}

/// The options of `stance import csv`.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Options of the csv format")]
pub struct CsvArgs {
    /// The column holding the text (the body, text_b, for --task pair) [default: text].
    #[arg(long, value_name = "NAME")]
    pub text_column: Option<String>,
    /// The column holding the label (none: unlabelled examples).
    #[arg(long, value_name = "NAME")]
    pub label_column: Option<String>,
    /// The column holding the target (the headline or claim, text_a, for --task pair).
    #[arg(long, value_name = "NAME")]
    pub target_column: Option<String>,
    /// The column holding the id (none: <file>:<row>).
    #[arg(long, value_name = "NAME")]
    pub id_column: Option<String>,
    /// The column holding the group (examples never split across folds).
    #[arg(long, value_name = "NAME")]
    pub group_column: Option<String>,
    /// The task of the examples: document, target or pair [default: document].
    #[arg(long, value_name = "TASK", value_parser = parse_task)]
    pub task: Option<Task>,
    /// The field delimiter, one character (`\t` for a tab) [default: a tab for .tsv files, else
    /// a comma].
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
}

fn parse_task(s: &str) -> Result<Task, String> {
    s.parse()
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "\\t" | "tab" => Ok(b'\t'),
        _ if s.len() == 1 => Ok(s.as_bytes()[0]),
        _ => Err(format!("{s:?} is not one ASCII character")),
    }
}

impl CsvArgs {
    /// The names of the options given.
    fn given(&self) -> Vec<&'static str> {
        [
            ("--text-column", self.text_column.is_some()),
            ("--label-column", self.label_column.is_some()),
            ("--target-column", self.target_column.is_some()),
            ("--id-column", self.id_column.is_some()),
            ("--group-column", self.group_column.is_some()),
            ("--task", self.task.is_some()),
            ("--delimiter", self.delimiter.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, given)| given.then_some(name))
        .collect()
    }
}

impl Args {
    /// The format to import, with the csv options checked.
    fn format(&self) -> Result<Format, UsageError> {
        let mut format: Format = self.format.parse().map_err(UsageError)?;
        if let Some(rule) = &self.sentence_rule {
            let Format::NewsmtscSentences(_) = format else {
                return Err(UsageError(format!(
                    "--sentence-rule only applies to the newsmtsc-sentences format, not {format}"
                )));
            };
            format = Format::NewsmtscSentences(rule.parse().map_err(UsageError)?);
        }
        let Format::Csv(_) = format else {
            let given = self.csv.given();
            if !given.is_empty() {
                return Err(UsageError(format!(
                    "{} only apply to the csv format, not {format}",
                    given.join(", ")
                )));
            }
            return Ok(format);
        };
        let defaults = CsvOptions::default();
        let csv = &self.csv;
        let options = CsvOptions {
            text_column: csv.text_column.clone().unwrap_or(defaults.text_column),
            label_column: csv.label_column.clone(),
            target_column: csv.target_column.clone(),
            id_column: csv.id_column.clone(),
            group_column: csv.group_column.clone(),
            task: csv.task.unwrap_or(defaults.task),
            delimiter: csv.delimiter,
        };
        options.check().map_err(|e| UsageError(e.to_string()))?;
        Ok(Format::Csv(options))
    }
}

/// Runs `stance import`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let format = args.format()?;
    let mode = if args.lenient {
        Mode::Lenient
    } else {
        Mode::Strict
    };
    let mut importer = Importer::new(&format, &args.sources, mode).map_err(|e| match e {
        stance_corpus::Error::Options { .. } => anyhow::Error::new(UsageError(e.to_string())),
        other => anyhow::Error::new(other),
    })?;
    let mut writer = Writer::<Example>::create(&args.output)?;
    while let Some(item) = importer.next() {
        match item {
            Ok(example) => writer.write(&example)?,
            Err(e) if args.lenient && e.is_record_error() => eprintln!("skipped: {e}"),
            Err(e) => {
                // The writer is dropped unfinished: no output file is left behind.
                let summary = summary(&format, &importer, &writer);
                return Err(e).context(format!(
                    "{summary}; stopped, {} not written",
                    args.output.display()
                ));
            }
        }
    }
    let summary = summary(&format, &importer, &writer);
    writer.finish()?;
    eprintln!("{summary}");
    Ok(())
}

/// `FORMAT: read N rows, wrote M examples, E errors`.
fn summary(format: &Format, importer: &Importer, writer: &Writer<Example>) -> String {
    let counts = importer.counts();
    format!(
        "{format}: read {} rows, wrote {} examples, {} errors",
        counts.read,
        writer.written(),
        counts.errors
    )
}
