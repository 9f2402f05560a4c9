//! The subcommands: one file each, an `Args` struct and a `run` that turns the arguments into
//! library parameters and calls the library.

pub mod bench;
pub mod gazetteer;
pub mod vectorize;

use std::fmt;

use anyhow::Context;
use clap::Subcommand;

/// A subcommand of `stance`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Turn documents into a TF-IDF (or hashed) sparse matrix, as scikit-learn's vectorizers do.
    ///
    /// Reads the documents of INPUT (one per line, a JSONL field with --text-field, or a CSV
    /// column with --csv-column) and writes two files into DIR, which is created if missing:
    ///
    /// matrix.mtx: the documents × features matrix in Matrix Market coordinate format, 1-based,
    /// row by row, each value in Rust's shortest notation that reads back to the same number
    /// (scipy.io.mmread reads it).
    ///
    /// vocabulary.txt: the feature of each column, one per line; inside a feature, a backslash,
    /// a newline and a carriage return are written as \\, \n and \r. With --hashing there is
    /// no vocabulary: vocabulary.txt is not written, and one left in DIR by an earlier run is
    /// removed.
    ///
    /// Both files are written under temporary names and renamed at the end, so a failed run
    /// leaves no partial file.
    Vectorize(vectorize::Args),
    /// Measure the throughput of tokenizing and vectorizing a corpus, per stage and thread count.
    ///
    /// Stages: tokenize (the default word analyzer), tfidf_unigram (default TfidfVectorizer),
    /// tfidf_bigram (ngram_range (1, 2), min_df 2, sublinear_tf), hashing (default
    /// HashingVectorizer). Each stage runs until --min-seconds have passed and at least 3
    /// times; the fastest run is reported as MB/s, documents/s and tokens/s, where tokens are
    /// those of the default word analyzer for every stage, so rates compare across stages.
    /// Without CORPUS, the five sample articles built into the binary are the corpus.
    Bench(bench::Args),
    /// Check a gazetteer file, or show the actor and proposal mentions it finds in texts.
    ///
    /// check FILE: reports duplicate aliases, overlapping dated roles, unknown references and
    /// invalid dates with their line; exits with 1 when there is a problem.
    ///
    /// match FILE [--date D] [--json] TEXT...: prints the mentions found in each TEXT.
    Gazetteer(gazetteer::Args),
}

/// Runs `command`.
pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Vectorize(args) => vectorize::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Gazetteer(args) => gazetteer::run(args),
    }
}

/// Arguments that clap accepted but that cannot be used together or that the library refuses,
/// found before any input is read: `main` exits with 2, as for clap's own usage errors.
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// A rayon pool of `threads` threads, or `None` for rayon's global pool (all cores, or
/// `RAYON_NUM_THREADS`).
pub fn thread_pool(threads: Option<usize>) -> anyhow::Result<Option<rayon::ThreadPool>> {
    threads
        .map(|n| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .with_context(|| format!("cannot start {n} threads"))
        })
        .transpose()
}

/// Runs `f` on `pool`, or on the current pool when there is none.
pub fn install<R: Send>(pool: Option<&rayon::ThreadPool>, f: impl FnOnce() -> R + Send) -> R {
    match pool {
        Some(pool) => pool.install(f),
        None => f(),
    }
}
