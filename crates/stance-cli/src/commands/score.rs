//! `stance score`: the main job. Articles in, for every actor mention its stance toward every
//! proposal it is paired with, plus the article's sentiment; one output record per input, in
//! input order, whatever the number of threads.
//!
//! Articles are read as a stream and scored in batches (bounded by count and by bytes), so
//! memory stays bounded whatever the input size. Three stages overlap: a reader thread parses
//! the input into batches, the worker threads (`--threads`) score batches in parallel at article
//! granularity and render each article's output, and a writer thread writes the rendered batches
//! in input order. Two batches are scored at once, so a thread that finishes its share of one
//! batch takes up articles of the next instead of waiting for the batch's slowest article; the
//! writer puts them back in order. The reader holds one batch in hand and one in its channel,
//! so at most four batches of articles are in memory at once, and the output does not depend on
//! the number of threads. The first batches are small, so scoring starts as soon as the first
//! articles are read.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};
use std::time::Instant;

use anyhow::{Context, bail};
use indicatif::ProgressDrawTarget;
use rayon::prelude::*;
use serde_json::Value;
use stance_corpus::{ArticleItem, ArticleOptions, Articles, Output, Task};
use stance_infer::Model;
use stance_infer::score::{ArticleScore, ScoreParams, Scorer};

use crate::commands::{UsageError, in_place_scope, thread_pool};

/// The default stance model, built into the binary (models/peace-talks-stance).
const DEFAULT_STANCE: &[u8] = include_bytes!("../../../../models/peace-talks-stance/model.stance");
/// The default sentence sentiment model, built into the binary (models/news-sentiment).
const DEFAULT_SENTIMENT: &[u8] = include_bytes!("../../../../models/news-sentiment/model.stance");

/// The version of the output records' layout.
const SCHEMA_VERSION: u32 = 1;

/// Articles scored together, at most.
const BATCH_ARTICLES: usize = 512;
/// Articles in the first batch; each batch after it doubles, up to [`BATCH_ARTICLES`].
const FIRST_BATCH_ARTICLES: usize = 16;
/// Bytes of article text scored together, at most (one article may exceed it alone).
const BATCH_BYTES: usize = 8 << 20;
/// Batches being scored at once.
const IN_FLIGHT: usize = 2;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per input article.
    Jsonl,
    /// One row per stance (tidy data); an article without stances or with an error gets one
    /// row with the stance columns empty.
    Csv,
    /// A readable summary for the terminal.
    Table,
}

/// Arguments of `stance score`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Articles: `.txt` files (one article each, id = file name), `.jsonl` / `.jsonl.gz` files
    /// (one article per line), directories of them (recursive), or `-` for standard input
    /// (JSON Lines). Default: standard input.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// A model to score with (repeatable): one `mention` model (stances) and optionally one
    /// `document` model (sentence sentiment). Default: the models built into the binary.
    #[arg(long, value_name = "M")]
    pub model: Vec<PathBuf>,
    /// A gazetteer (TOML) to find mentions with, instead of the stance model's.
    #[arg(long, value_name = "FILE")]
    pub gazetteer: Option<PathBuf>,
    /// Where to write the output (default: standard output).
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// The output format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// JSON field of the text, in JSON Lines inputs.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// JSON field of the id, in JSON Lines inputs.
    #[arg(long, default_value = "id")]
    pub id_field: String,
    /// JSON field of the publication date (ISO 8601), in JSON Lines inputs: it picks who held
    /// a role ("the British prime minister") on that day.
    #[arg(long, default_value = "date")]
    pub date_field: String,
    /// Explaining features listed per stance.
    #[arg(long, default_value_t = 5)]
    pub top_features: usize,
    /// Larger articles get an error record instead of being scored.
    #[arg(long, default_value_t = 10 << 20)]
    pub max_article_bytes: usize,
    /// Stop at the first input that cannot be read or scored, with exit code 1.
    #[arg(long)]
    pub strict: bool,
}

/// Counts for the final summary.
#[derive(Default)]
struct Totals {
    articles: usize,
    bytes: usize,
    input_bytes: u64,
    stances: usize,
    mentions: usize,
    errors: usize,
}

/// One article's output, rendered by a worker, and what the summary counts of it.
struct Rendered {
    output: Vec<u8>,
    bytes: usize,
    /// Bytes of the input the article accounts for (progress).
    input_bytes: u64,
    stances: usize,
    mentions: usize,
    /// The error record's message (`origin: reason`), for `--strict`.
    error: Option<String>,
}

/// Runs `stance score`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let scorer = scorer(&args)?;
    let pool = thread_pool(args.threads)?;
    let inputs = if args.inputs.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.inputs.clone()
    };
    let options = ArticleOptions {
        text_field: args.text_field.clone(),
        id_field: args.id_field.clone(),
        date_field: args.date_field.clone(),
        max_bytes: args.max_article_bytes,
    };
    let articles =
        stance_corpus::articles(&inputs, options).map_err(|e| UsageError(e.to_string()))?;
    let input_size = articles.total_bytes();
    let stdout = PathBuf::from("-");
    let mut out = Output::create(args.output.as_ref().unwrap_or(&stdout))?;
    let labels = scorer.stance_labels().to_vec();
    if args.format == Format::Csv {
        write_csv_header(&mut out, &labels)?;
    }
    let started = Instant::now();
    let totals = std::thread::scope(|scope| {
        let (batches, to_score) = sync_channel(1);
        let (rendered, to_write) = channel();
        // A batch is scored only with a credit; the writer hands one back per batch written.
        let (credit, credits) = sync_channel(IN_FLIGHT);
        for _ in 0..IN_FLIGHT {
            credit.send(()).expect("the channel holds every credit");
        }
        scope.spawn(move || read_batches(articles, batches));
        let writer = scope.spawn(|| write_batches(out, to_write, credit, args.strict, input_size));
        let (scorer, args, labels) = (&scorer, &args, &labels);
        in_place_scope(pool.as_ref(), |jobs| {
            for (index, batch) in to_score.into_iter().enumerate() {
                // No credit: the writer stopped (an error, which joining it returns).
                if credits.recv().is_err() {
                    break;
                }
                let rendered = rendered.clone();
                jobs.spawn(move |_| {
                    let done = render_batch(scorer, &batch, args, labels);
                    // The writer hangs up only on an error, which joining it returns.
                    let _ = rendered.send((index, done));
                });
            }
        });
        drop(rendered);
        writer.join().expect("the writer thread does not panic")
    })?;
    let seconds = started.elapsed().as_secs_f64().max(1e-9);
    eprintln!(
        "scored {} articles ({:.1} MB): {} mentions, {} stances, {} errors in {:.2} s ({:.1} MB/s, {:.0} articles/s)",
        totals.articles,
        totals.bytes as f64 / 1e6,
        totals.mentions,
        totals.stances,
        totals.errors,
        seconds,
        totals.bytes as f64 / 1e6 / seconds,
        totals.articles as f64 / seconds
    );
    Ok(())
}

/// The reader stage: `articles` in batches of at most [`BATCH_ARTICLES`] articles (fewer at
/// first) and about [`BATCH_BYTES`] bytes, until the input ends or the scoring stage stops
/// listening.
fn read_batches(mut articles: Articles, batches: SyncSender<Vec<ArticleItem>>) {
    let mut limit = FIRST_BATCH_ARTICLES;
    loop {
        let mut batch = Vec::new();
        let mut bytes = 0;
        for item in articles.by_ref() {
            bytes += item.text.len();
            batch.push(item);
            if batch.len() >= limit || bytes >= BATCH_BYTES {
                break;
            }
        }
        if batch.is_empty() || batches.send(batch).is_err() {
            return;
        }
        limit = (limit * 2).min(BATCH_ARTICLES);
    }
}

/// The scoring stage, on the worker threads: scores the readable articles of `batch` and
/// renders every article's output in the chosen format.
fn render_batch(
    scorer: &Scorer,
    batch: &[ArticleItem],
    args: &Args,
    labels: &[String],
) -> anyhow::Result<Vec<Rendered>> {
    let readable: Vec<(&str, Option<&str>)> = batch
        .iter()
        .filter(|item| item.error.is_none())
        .map(|item| (item.text.as_str(), item.date.as_deref()))
        .collect();
    let mut results = scorer.score_batch(&readable).into_iter();
    let scored: Vec<Result<ArticleScore, String>> = batch
        .iter()
        .map(|item| match &item.error {
            Some(e) => Err(e.clone()),
            None => results
                .next()
                .expect("one result per readable article")
                .map_err(|e| e.to_string()),
        })
        .collect();
    batch
        .par_iter()
        .zip(&scored)
        .map(|(item, result)| {
            // Room for the record at once: a stance-dense article's runs to hundreds of
            // kilobytes, which doubling from empty would copy about twice over.
            let stances = result.as_ref().map_or(0, |s| {
                s.stances.iter().map(|s| 2 * s.sentence.len() + 768).sum()
            });
            let mut output = Vec::with_capacity(256 + stances);
            match args.format {
                Format::Jsonl => {
                    write_record(&mut output, item, result)?;
                    output.push(b'\n');
                }
                Format::Csv => write_csv_rows(&mut output, item, result, labels)?,
                Format::Table => write_table(&mut output, item, result)?,
            }
            let (stances, mentions) = result
                .as_ref()
                .map_or((0, 0), |s| (s.stances.len(), s.mentions));
            Ok(Rendered {
                output,
                bytes: item.text.len(),
                input_bytes: item.input_bytes,
                stances,
                mentions,
                error: result
                    .as_ref()
                    .err()
                    .map(|e| format!("{}: {e}", item.origin)),
            })
        })
        .collect()
}

/// The writer stage: receives the rendered batches (numbered from 0, in any order), writes them
/// in order, hands a credit back for each one written, counts them, shows progress, and stops
/// at the first error record under `--strict`.
fn write_batches(
    mut out: Output,
    rendered: Receiver<(usize, anyhow::Result<Vec<Rendered>>)>,
    credit: SyncSender<()>,
    strict: bool,
    input_size: Option<u64>,
) -> anyhow::Result<Totals> {
    let progress = Progress::on_terminal(input_size);
    let mut totals = Totals::default();
    let mut in_order = InOrder::default();
    for (index, batch) in rendered {
        in_order.insert(index, batch);
        while let Some(batch) = in_order.pop() {
            for article in batch? {
                totals.articles += 1;
                totals.bytes += article.bytes;
                totals.input_bytes += article.input_bytes;
                totals.stances += article.stances;
                totals.mentions += article.mentions;
                if let Some(error) = article.error {
                    totals.errors += 1;
                    if strict {
                        out.flush()?;
                        bail!("{error}");
                    }
                }
                out.write_all(&article.output)?;
            }
            // The scoring stage is gone once the input has ended.
            let _ = credit.send(());
            if let Some(progress) = &progress {
                progress.show(&totals);
            }
        }
    }
    out.finish()?;
    if let Some(progress) = progress {
        progress.bar.finish_and_clear();
    }
    Ok(totals)
}

/// Items numbered 0, 1, 2, ... arriving in any order, given back in order.
struct InOrder<T> {
    waiting: BTreeMap<usize, T>,
    next: usize,
}

impl<T> Default for InOrder<T> {
    fn default() -> Self {
        InOrder {
            waiting: BTreeMap::new(),
            next: 0,
        }
    }
}

impl<T> InOrder<T> {
    /// Item `index` has arrived.
    fn insert(&mut self, index: usize, item: T) {
        assert!(
            index >= self.next && !self.waiting.contains_key(&index),
            "item {index} arrived twice"
        );
        self.waiting.insert(index, item);
    }

    /// The next item in order, if it has arrived.
    fn pop(&mut self) -> Option<T> {
        let item = self.waiting.remove(&self.next)?;
        self.next += 1;
        Some(item)
    }
}

/// The scorer of the given models, or of the built-in ones.
fn scorer(args: &Args) -> anyhow::Result<Scorer> {
    let mut stance = None;
    let mut sentiment = None;
    let models: Vec<(Model, String)> = if args.model.is_empty() {
        [
            (DEFAULT_STANCE, "the built-in stance model"),
            (DEFAULT_SENTIMENT, "the built-in sentiment model"),
        ]
        .into_iter()
        .map(|(bytes, name)| Ok((Model::from_bytes(bytes.to_vec(), name)?, name.to_owned())))
        .collect::<anyhow::Result<_>>()?
    } else {
        args.model
            .iter()
            .map(|p| Ok((Model::load(p)?, p.display().to_string())))
            .collect::<anyhow::Result<_>>()?
    };
    for (model, name) in models {
        let slot = match model.manifest().task {
            Task::Mention => &mut stance,
            Task::Document => &mut sentiment,
            other => {
                return Err(UsageError(format!(
                    "{name} is a {other} model; score takes a mention model and a document (sentiment) model"
                ))
                .into());
            }
        };
        if slot.is_some() {
            return Err(UsageError(format!(
                "{name}: two {} models given",
                model.manifest().task
            ))
            .into());
        }
        *slot = Some(model);
    }
    let stance = stance.ok_or_else(|| UsageError("no mention (stance) model given".into()))?;
    let gazetteer = match &args.gazetteer {
        Some(path) => Some((
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?,
            path.display().to_string(),
        )),
        None => None,
    };
    let params = ScoreParams {
        top_features: args.top_features,
        ..ScoreParams::default()
    };
    Ok(Scorer::new(
        stance,
        sentiment,
        gazetteer.as_ref().map(|(s, n)| (s.as_str(), n.as_str())),
        &params,
    )?)
}

/// A progress bar on standard error when it is a terminal.
/// Progress on standard error: a bar with the time left when the inputs' size is known (files),
/// else a spinner; both with the articles and megabytes of text scored and the rate (text
/// scored per second since the start).
struct Progress {
    bar: indicatif::ProgressBar,
    /// Whether the bar counts input bytes (else articles).
    sized: bool,
}

impl Progress {
    /// Progress drawn on standard error when it is a terminal; `None` otherwise.
    fn on_terminal(input_size: Option<u64>) -> Option<Progress> {
        std::io::stderr()
            .is_terminal()
            .then(|| Progress::new(input_size, ProgressDrawTarget::stderr()))
    }

    fn new(input_size: Option<u64>, target: ProgressDrawTarget) -> Progress {
        let (bar, template) = match input_size {
            Some(size) => (
                indicatif::ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::hidden()),
                "{spinner} [{bar:24}] {percent:>3}% {msg}, {eta} left",
            ),
            None => (
                indicatif::ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()),
                "{spinner} {msg} [{elapsed}]",
            ),
        };
        let progress = Progress {
            bar,
            sized: input_size.is_some(),
        };
        progress.bar.set_style(
            indicatif::ProgressStyle::with_template(template)
                .expect("a valid template")
                .progress_chars("=> "),
        );
        progress.show(&Totals::default());
        // Drawn only once styled and with its message.
        progress.bar.set_draw_target(target);
        progress
    }

    fn show(&self, totals: &Totals) {
        self.bar.set_position(if self.sized {
            totals.input_bytes
        } else {
            totals.articles as u64
        });
        let seconds = self.bar.elapsed().as_secs_f64().max(1e-3);
        self.bar.set_message(format!(
            "{} articles, {:.1} MB at {:.1} MB/s",
            totals.articles,
            totals.bytes as f64 / 1e6,
            totals.bytes as f64 / 1e6 / seconds
        ));
    }
}

/// Writes the JSON record of one article (without its line end): `schema_version`, `id`, the
/// pass-through fields of the input, then `stances`, `sentiment`, `error` and, when there are
/// any, `warnings`. A pass-through field named like one of these four gives its place to the
/// computed value; one named `schema_version` or `id` is left out.
fn write_record(
    out: &mut Vec<u8>,
    item: &ArticleItem,
    result: &Result<ArticleScore, String>,
) -> serde_json::Result<()> {
    const COMPUTED: [&str; 4] = ["stances", "sentiment", "error", "warnings"];
    let present = |name: &str| name != "warnings" || !item.warnings.is_empty();
    let write_computed = |out: &mut Vec<u8>, name: &str| -> serde_json::Result<()> {
        match (name, result) {
            ("stances", Ok(score)) => {
                out.push(b'[');
                for (i, stance) in score.stances.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    stance.write_json(out);
                }
                out.push(b']');
                Ok(())
            }
            ("stances", Err(_)) => {
                out.extend_from_slice(b"[]");
                Ok(())
            }
            ("sentiment", Ok(score)) => serde_json::to_writer(&mut *out, &score.sentiment),
            ("error", Err(e)) => serde_json::to_writer(&mut *out, &format!("{}: {e}", item.origin)),
            ("warnings", _) => serde_json::to_writer(&mut *out, &item.warnings),
            _ => {
                out.extend_from_slice(b"null");
                Ok(())
            }
        }
    };
    let key = |out: &mut Vec<u8>, name: &str| -> serde_json::Result<()> {
        out.push(b',');
        serde_json::to_writer(&mut *out, name)?;
        out.push(b':');
        Ok(())
    };
    out.extend_from_slice(format!("{{\"schema_version\":{SCHEMA_VERSION},\"id\":").as_bytes());
    serde_json::to_writer(&mut *out, &item.id)?;
    let mut written = [false; COMPUTED.len()];
    for (name, value) in &item.extra {
        if name == "schema_version" || name == "id" {
            continue;
        }
        key(out, name)?;
        match COMPUTED.iter().position(|c| c == name) {
            Some(k) if present(name) => {
                write_computed(out, name)?;
                written[k] = true;
            }
            _ => serde_json::to_writer(&mut *out, value)?,
        }
    }
    for (k, name) in COMPUTED.into_iter().enumerate() {
        if !written[k] && present(name) {
            key(out, name)?;
            write_computed(out, name)?;
        }
    }
    out.push(b'}');
    Ok(())
}

fn write_csv_header(out: &mut impl Write, labels: &[String]) -> anyhow::Result<()> {
    let mut header = vec![
        "id",
        "date",
        "actor",
        "actor_name",
        "country",
        "proposal",
        "proposal_name",
        "stance",
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>();
    header.extend(labels.iter().map(|l| format!("p_{l}")));
    header.extend(
        [
            "sentence",
            "evidence_start",
            "evidence_end",
            "actor_text",
            "actor_start",
            "actor_end",
            "proposal_text",
            "proposal_start",
            "proposal_end",
            "sentiment",
            "error",
        ]
        .map(String::from),
    );
    let mut w = csv::Writer::from_writer(out);
    w.write_record(&header)?;
    w.flush()?;
    Ok(())
}

fn write_csv_rows(
    out: &mut impl Write,
    item: &ArticleItem,
    result: &Result<ArticleScore, String>,
    labels: &[String],
) -> anyhow::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(out);
    let date = item.date.clone().unwrap_or_default();
    let empty_row = |sentiment: String, error: String| {
        let mut row = vec![item.id.clone(), date.clone()];
        row.extend(std::iter::repeat_n(String::new(), 6 + labels.len() + 9));
        row.push(sentiment);
        row.push(error);
        row
    };
    match result {
        Err(e) => w.write_record(empty_row(String::new(), format!("{}: {e}", item.origin)))?,
        Ok(score) => {
            let sentiment = score
                .sentiment
                .as_ref()
                .map(|s| s.label.clone())
                .unwrap_or_default();
            if score.stances.is_empty() {
                w.write_record(empty_row(sentiment.clone(), String::new()))?;
            }
            for s in &score.stances {
                let mut row = vec![
                    item.id.clone(),
                    date.clone(),
                    s.actor.clone(),
                    s.actor_name.clone(),
                    s.country.clone().unwrap_or_default(),
                    s.proposal.clone(),
                    s.proposal_name.clone(),
                    s.stance.clone(),
                ];
                row.extend(labels.iter().map(|l| {
                    s.probabilities
                        .get(l)
                        .and_then(Value::as_f64)
                        .map_or(String::new(), |p| format!("{p:.4}"))
                }));
                row.extend([
                    s.sentence.clone(),
                    s.evidence.start.to_string(),
                    s.evidence.end.to_string(),
                    s.actor_text.clone(),
                    s.actor_span.start.to_string(),
                    s.actor_span.end.to_string(),
                    s.proposal_text.clone(),
                    s.proposal_span.start.to_string(),
                    s.proposal_span.end.to_string(),
                    sentiment.clone(),
                    String::new(),
                ]);
                w.write_record(&row)?;
            }
        }
    }
    w.flush()?;
    Ok(())
}

fn write_table(
    out: &mut impl Write,
    item: &ArticleItem,
    result: &Result<ArticleScore, String>,
) -> anyhow::Result<()> {
    match result {
        Err(e) => writeln!(out, "{}  ERROR {}: {e}\n", item.id, item.origin)?,
        Ok(score) => {
            let sentiment = score
                .sentiment
                .as_ref()
                .map(|s| format!(", sentiment {}", s.label))
                .unwrap_or_default();
            writeln!(
                out,
                "{}  {} sentences, {} mentions, {} stances{sentiment}",
                item.id,
                score.sentences,
                score.mentions,
                score.stances.len()
            )?;
            for s in &score.stances {
                let p = s
                    .probabilities
                    .get(&s.stance)
                    .and_then(Value::as_f64)
                    .unwrap_or(0.0);
                writeln!(
                    out,
                    "  {:<22} {:<8} {:<24} {:.2}  \"{}\"",
                    s.actor_name,
                    s.stance,
                    s.proposal_name,
                    p,
                    shorten(&s.sentence, 90)
                )?;
            }
            writeln!(out)?;
        }
    }
    Ok(())
}

/// `text` on one line, cut to `max` characters with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let cut: String = one_line.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_order_gives_items_back_in_order_whatever_the_arrival() {
        let mut in_order = InOrder::default();
        let mut out = Vec::new();
        for index in [2, 0, 4, 1, 3, 6, 5] {
            in_order.insert(index, index * 10);
            while let Some(item) = in_order.pop() {
                out.push(item);
            }
            // Nothing is given back before every earlier item has arrived.
            assert_eq!(out, (0..out.len()).map(|i| i * 10).collect::<Vec<_>>());
        }
        assert_eq!(out.len(), 7);
        assert!(in_order.waiting.is_empty());
    }

    #[test]
    fn progress_counts_input_bytes_when_the_size_is_known_else_articles() {
        let totals = Totals {
            articles: 3,
            bytes: 2_500_000,
            input_bytes: 600,
            ..Totals::default()
        };
        let sized = Progress::new(Some(1000), ProgressDrawTarget::hidden());
        sized.show(&totals);
        assert_eq!(sized.bar.length(), Some(1000));
        assert_eq!(sized.bar.position(), 600);
        let message = sized.bar.message();
        assert!(message.starts_with("3 articles, 2.5 MB at "), "{message}");
        let unsized_ = Progress::new(None, ProgressDrawTarget::hidden());
        unsized_.show(&totals);
        assert_eq!(unsized_.bar.length(), None);
        assert_eq!(unsized_.bar.position(), 3);
    }

    #[test]
    #[should_panic(expected = "arrived twice")]
    fn in_order_refuses_an_item_twice() {
        let mut in_order = InOrder::default();
        in_order.insert(0, ());
        assert_eq!(in_order.pop(), Some(()));
        in_order.insert(0, ());
    }
}
