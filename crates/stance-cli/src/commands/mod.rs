//! The subcommands: one file each, an `Args` struct and a `run` that turns the arguments into
//! library parameters and calls the library.

pub mod bench;
pub mod cv;
pub mod eval;
pub mod gazetteer;
pub mod import;
pub mod inspect;
pub mod predict;
pub mod score;
pub mod summarize;
pub mod train;
pub mod vectorize;

use std::fmt;

use anyhow::Context;
use clap::Subcommand;

/// A subcommand of `stance`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Score news articles: every actor mention's stance toward every proposal it is paired
    /// with (support, oppose, neutral, with probabilities, the evidence sentence and the
    /// features that decided), and the article's sentiment.
    ///
    /// Pipeline per article: drop page boilerplate, split sentences, find actor and proposal
    /// mentions with the gazetteer (dated roles resolved with the article's date), pair each
    /// actor with each proposal in the same sentence, label each pair with the stance model and
    /// each sentence with the sentiment model. Spans are code points of the original text.
    ///
    /// Output: one record per input article, in input order, whatever --threads. An input that
    /// cannot be read or scored (unreadable file, malformed JSON line, missing or non-string text
    /// field, empty or oversized article) gets a record with `error` naming it, and the run goes
    /// on; invalid UTF-8 is replaced and listed in `warnings`.
    ///
    /// Exit codes: 0 success (also when some inputs had errors, and when the reader of the
    /// output closes it early); 1 an error that stops the run (with --strict, the first bad
    /// input; a model that cannot be read; an output that cannot be written); 2 a usage error
    /// (unknown option, a missing input path, models of the wrong task).
    Score(score::Args),
    /// Aggregate the output of `stance score`: for each actor and proposal, the counts of
    /// support, oppose and neutral, the net stance (support − oppose) / n and the mean
    /// probabilities, over all articles and, with --by, per day, ISO week or month of the
    /// articles' dates; as a table, as CSV (--csv) and as an SVG heatmap with a timeline (--plot).
    Summarize(summarize::Args),
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
    /// Show a model: its manifest (task, labels, classifier, provenance, metrics, parameters)
    /// and the features with the largest weight for each class (weight minus the mean weight
    /// over classes, the same measure `stance score` uses for its explanations).
    Inspect(inspect::Args),
    /// Turn a public dataset into labelled examples (JSON Lines), in input order.
    ///
    /// FORMAT is one of: semeval2016 (the ID/Target/Tweet/Stance files; several concatenate),
    /// fnc1 (a stances file and a bodies file, joined by Body ID), newsmtsc (its JSON Lines; one
    /// example per target), mr (rt-polarity.pos and .neg), subj (quote.tok.gt9.5000 and
    /// plot.tok.gt9.5000), emergent (its CSV), vast (its CSV), sst (stsa.binary.* or GLUE TSV),
    /// csv (any CSV/TSV with a header; choose the columns with --text-column and the others).
    /// Ids are the source's where it has them, else <format>:<file>:<row>; labels are verbatim.
    ///
    /// A bad row stops the import with its file, line and field (exit 1) unless --lenient,
    /// which reports each bad row on standard error and goes on. The last line on standard
    /// error counts the rows read, the examples written and the errors.
    Import(import::Args),
    /// Fit a model on labelled examples and write it as one file.
    ///
    /// The examples are JSON Lines of the task (or, for mention and document, annotated
    /// documents of the peace-talks corpus: one mention example per stance, one document
    /// example per sentence with its sentiment). The model holds the feature template, the
    /// vocabularies and IDF, the linear weights and a manifest (labels, classifier, parameters,
    /// data fingerprint, seed, and with --cv-folds the cross-validated scores). The same data,
    /// parameters and seed give a byte-identical file.
    Train(train::Args),
    /// Label examples with a model: one JSON line per input line, in order, with id, label and
    /// probabilities (and gold when the example is labelled). A bad record becomes a line with
    /// an error in its place, unless --strict.
    Predict(predict::Args),
    /// Score a model on labelled examples: scikit-learn's classification report, F_avg or the
    /// FNC-1 score where the labels fit, and the confusion matrix.
    Eval(eval::Args),
    /// Cross-validate a training configuration (stratified k-fold, grouped by `group`), or
    /// search a parameter grid with --grid.
    Cv(cv::Args),
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
        Command::Score(args) => score::run(args),
        Command::Summarize(args) => summarize::run(args),
        Command::Vectorize(args) => vectorize::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Import(args) => import::run(args),
        Command::Train(args) => train::run(args),
        Command::Predict(args) => predict::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Cv(args) => cv::run(args),
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

/// Runs `f` on the current thread with a scope whose spawned jobs run on `pool`, or on the
/// current pool when there is none.
pub fn in_place_scope<'scope, R>(
    pool: Option<&rayon::ThreadPool>,
    f: impl FnOnce(&rayon::Scope<'scope>) -> R,
) -> R {
    match pool {
        Some(pool) => pool.in_place_scope(f),
        None => rayon::in_place_scope(f),
    }
}

/// Runs `f` on `pool`, or on the current pool when there is none.
pub fn install<R: Send>(pool: Option<&rayon::ThreadPool>, f: impl FnOnce() -> R + Send) -> R {
    match pool {
        Some(pool) => pool.install(f),
        None => f(),
    }
}
