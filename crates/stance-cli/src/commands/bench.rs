//! `stance bench`: throughput of each stage of the feature pipeline on a corpus, per thread count.
//!
//! Every stage's output is checked after every run (the token count, the matrix's shape, the
//! same result for every thread count), so a stage that breaks cannot look fast.

use std::io::{self, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use rayon::prelude::*;
use serde::Serialize;
use stance_features::analyzer::{Analyzer, AnalyzerBuffer, AnalyzerParams, NgramRange, WordParams};
use stance_features::vectorize::{
    CountParams, DocFrequency, HashingParams, HashingVectorizer, TfidfParams,
};

use crate::input::{self, FormatArgs};

/// The five sample articles of the peace-talks corpus, one document each: the corpus when none
/// is given.
const SAMPLE_ARTICLES: [&str; 5] = [
    include_str!("../../../../corpora/peace-talks/articles/000_fd3a616ef928046d.txt"),
    include_str!("../../../../corpora/peace-talks/articles/001_6a413cfa2226c47e.txt"),
    include_str!("../../../../corpora/peace-talks/articles/002_9bb6b57b2843eddc.txt"),
    include_str!("../../../../corpora/peace-talks/articles/003_4e20828765b51fc9.txt"),
    include_str!("../../../../corpora/peace-talks/articles/004_35f9a6c6c541f104.txt"),
];

/// Runs measured per stage and thread count, at least.
const MIN_RUNS: usize = 3;

/// Arguments of `stance bench`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The corpus: a text file with one document per line, or `-` for standard input
    /// (default: the five sample articles built into the binary).
    #[arg(value_name = "CORPUS")]
    pub input: Option<PathBuf>,
    /// How the corpus holds its documents.
    #[command(flatten)]
    pub format: FormatArgs,
    /// The thread counts to measure, comma-separated.
    #[arg(
        long,
        value_name = "N,...",
        value_delimiter = ',',
        default_value = "1,2",
        value_parser = clap::value_parser!(u16).range(1..)
    )]
    pub threads: Vec<u16>,
    /// Print one JSON object per stage and thread count (keys stage, threads, mb_per_s,
    /// docs_per_s, tokens_per_s, bytes, docs, tokens, seconds) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Repeat each measurement until this many seconds have passed (and at least 3 times);
    /// the fastest run counts.
    #[arg(long, value_name = "S", default_value_t = 1.0, value_parser = parse_seconds)]
    pub min_seconds: f64,
}

/// Parses a non-negative number of seconds.
fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!("expected a number of seconds >= 0, got {s:?}")),
    }
}

/// A measured stage of the pipeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// The default word analyzer over every document, counting tokens.
    Tokenize,
    /// `TfidfVectorizer()` fit_transform, f64.
    TfidfUnigram,
    /// `TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)` fit_transform, f64.
    TfidfBigram,
    /// `HashingVectorizer()` transform, f64.
    Hashing,
}

impl Stage {
    const ALL: [Stage; 4] = [
        Stage::Tokenize,
        Stage::TfidfUnigram,
        Stage::TfidfBigram,
        Stage::Hashing,
    ];

    fn name(self) -> &'static str {
        match self {
            Stage::Tokenize => "tokenize",
            Stage::TfidfUnigram => "tfidf_unigram",
            Stage::TfidfBigram => "tfidf_bigram",
            Stage::Hashing => "hashing",
        }
    }
}

/// What a stage produced: enough to tell a real result from a broken one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Output {
    /// Tokens counted.
    Tokens(usize),
    /// The shape and stored values of a matrix.
    Matrix {
        rows: usize,
        cols: usize,
        nnz: usize,
    },
}

/// The corpus and every stage's configuration, set up before timing.
struct Bench {
    docs: Vec<String>,
    bytes: usize,
    tokens: usize,
    analyzer: Analyzer,
    unigram: TfidfParams,
    bigram: TfidfParams,
    hashing: HashingVectorizer,
}

impl Bench {
    fn new(docs: Vec<String>) -> anyhow::Result<Bench> {
        ensure!(!docs.is_empty(), "the corpus has no documents");
        let analyzer = AnalyzerParams::default().check()?;
        let mut buf = AnalyzerBuffer::default();
        let tokens = docs
            .iter()
            .map(|doc| count_features(&analyzer, doc, &mut buf))
            .sum();
        ensure!(tokens > 0, "the corpus has no tokens");
        let bigram = TfidfParams {
            count: CountParams {
                analyzer: AnalyzerParams::Word(WordParams {
                    ngram_range: NgramRange::new(1, 2)?,
                    ..WordParams::default()
                }),
                min_df: DocFrequency::Count(2),
                ..CountParams::default()
            },
            sublinear_tf: true,
            ..TfidfParams::default()
        };
        Ok(Bench {
            bytes: docs.iter().map(String::len).sum(),
            docs,
            tokens,
            analyzer,
            unigram: TfidfParams::default(),
            bigram,
            hashing: HashingParams::default().check()?,
        })
    }

    /// Runs `stage` once on the current thread pool: its time and its checked output.
    fn run(&self, stage: Stage) -> anyhow::Result<(Duration, Output)> {
        let docs = &self.docs[..];
        let start = Instant::now();
        let (elapsed, output) = match stage {
            Stage::Tokenize => {
                let tokens: usize = docs
                    .par_iter()
                    .map_init(AnalyzerBuffer::default, |buf, doc| {
                        count_features(&self.analyzer, doc, buf)
                    })
                    .sum();
                (start.elapsed(), Output::Tokens(tokens))
            }
            Stage::TfidfUnigram | Stage::TfidfBigram => {
                let params = match stage {
                    Stage::TfidfUnigram => &self.unigram,
                    _ => &self.bigram,
                };
                let (_, m) = params.fit_transform::<f64, _>(docs)?;
                let elapsed = start.elapsed();
                (elapsed, matrix_output(m.rows(), m.cols(), m.nnz()))
            }
            Stage::Hashing => {
                let m = self.hashing.transform::<f64, _>(docs);
                let elapsed = start.elapsed();
                (elapsed, matrix_output(m.rows(), m.cols(), m.nnz()))
            }
        };
        match output {
            Output::Tokens(n) => ensure!(
                n == self.tokens,
                "counted {n} tokens, expected {}",
                self.tokens
            ),
            Output::Matrix { rows, cols, nnz } => ensure!(
                rows == docs.len() && cols > 0 && nnz > 0,
                "a {rows} × {cols} matrix with {nnz} values for {} documents",
                docs.len()
            ),
        }
        Ok((elapsed, output))
    }
}

/// The features of `doc` under `analyzer`.
fn count_features(analyzer: &Analyzer, doc: &str, buf: &mut AnalyzerBuffer) -> usize {
    let mut n = 0;
    analyzer.for_each_feature(doc, buf, |_| n += 1);
    n
}

fn matrix_output(rows: usize, cols: usize, nnz: usize) -> Output {
    Output::Matrix { rows, cols, nnz }
}

/// One measurement, as printed with `--json`.
#[derive(Debug, Serialize)]
struct Record {
    stage: &'static str,
    threads: usize,
    mb_per_s: f64,
    docs_per_s: f64,
    tokens_per_s: f64,
    bytes: usize,
    docs: usize,
    tokens: usize,
    seconds: f64,
}

/// Runs `stance bench`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let (docs, source) = match &args.input {
        Some(path) => (
            input::read_documents(path, args.format.format())?,
            path.display().to_string(),
        ),
        None => (
            SAMPLE_ARTICLES.iter().map(|s| s.to_string()).collect(),
            "the built-in sample articles".to_owned(),
        ),
    };
    let bench = Bench::new(docs).with_context(|| format!("cannot benchmark {source}"))?;
    let mut threads: Vec<usize> = args.threads.iter().map(|&n| usize::from(n)).collect();
    threads.sort_unstable();
    threads.dedup();
    let pools = threads
        .iter()
        .map(|&n| Ok((n, super::thread_pool(Some(n))?)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    eprintln!(
        "corpus: {source}: {} documents, {} bytes, {} tokens",
        bench.docs.len(),
        bench.bytes,
        bench.tokens
    );
    let mut out = io::stdout().lock();
    if !args.json {
        writeln!(
            out,
            "{:<14} {:>7} {:>10} {:>12} {:>14} {:>9}",
            "stage", "threads", "MB/s", "docs/s", "tokens/s", "speed-up"
        )?;
    }
    for stage in Stage::ALL {
        let mut single: Option<f64> = None;
        let mut first: Option<Output> = None;
        for (n, pool) in &pools {
            let (seconds, output) =
                super::install(pool.as_ref(), || measure(&bench, stage, args.min_seconds))
                    .with_context(|| format!("stage {} with {n} threads", stage.name()))?;
            match first {
                None => first = Some(output),
                Some(want) if want != output => bail!(
                    "stage {} with {n} threads gave {output:?}, but {want:?} with {} threads",
                    stage.name(),
                    threads[0]
                ),
                Some(_) => {}
            }
            if *n == 1 {
                single = Some(seconds);
            }
            let record = Record {
                stage: stage.name(),
                threads: *n,
                mb_per_s: bench.bytes as f64 / 1e6 / seconds,
                docs_per_s: bench.docs.len() as f64 / seconds,
                tokens_per_s: bench.tokens as f64 / seconds,
                bytes: bench.bytes,
                docs: bench.docs.len(),
                tokens: bench.tokens,
                seconds,
            };
            if args.json {
                serde_json::to_writer(&mut out, &record)?;
                writeln!(out)?;
            } else {
                let speedup = single.map_or("-".to_owned(), |s| format!("{:.2}x", s / seconds));
                writeln!(
                    out,
                    "{:<14} {:>7} {:>10.1} {:>12.0} {:>14.0} {:>9}",
                    record.stage,
                    record.threads,
                    record.mb_per_s,
                    record.docs_per_s,
                    record.tokens_per_s,
                    speedup
                )?;
            }
            out.flush()?;
        }
    }
    Ok(())
}

/// Runs `stage` at least [`MIN_RUNS`] times and for at least `min_seconds`: the fastest run's
/// seconds (never 0) and its output.
fn measure(bench: &Bench, stage: Stage, min_seconds: f64) -> anyhow::Result<(f64, Output)> {
    let start = Instant::now();
    let mut best = Duration::MAX;
    let mut runs = 0;
    loop {
        let (elapsed, output) = bench.run(stage)?;
        best = best.min(elapsed);
        runs += 1;
        if runs >= MIN_RUNS && start.elapsed().as_secs_f64() >= min_seconds {
            return Ok((best.as_secs_f64().max(1e-9), output));
        }
    }
}
