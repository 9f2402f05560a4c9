#![allow(missing_docs)] // the criterion_group macro generates an undocumented function

//! Criterion benchmark of end-to-end scoring (`Scorer::score`: clean, split sentences, find
//! mentions, pair, stance model, and the sentiment model when one is in the tree) on FNC-1's
//! article bodies (or the sample articles), at 1 and 2 threads, in bytes of article text per
//! second. The stance model is the default one, `models/peace-talks-stance/model.stance`; when
//! `models/news-sentiment/model.stance` exists a second set of benches scores with both. Each
//! iteration checks the totals of mentions, stances and sentences against a first sequential
//! pass, so a broken pipeline cannot look fast. Reading and writing files are not measured
//! here: `compare_score.py` times the whole `stance score` command.
//!
//! A second group, `sentiment`, runs the sentence sentiment model alone over every sentence of
//! the cleaned articles (the work `stance score` adds with it), one thread: `fast` is the
//! one-row fast path the scorer uses (`Model::probabilities_into`), `transform` the general
//! path (one `FittedTemplate::transform` of all the sentences, then the dot products). Both must
//! give the same probabilities, which the first pass checks.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;
use stance_benches::corpus;
use stance_features::text::{CleanParams, SentenceParams, SentenceSplitter};
use stance_infer::score::{ScoreParams, Scorer};
use stance_infer::template::Input;
use stance_infer::{Model, PredictScratch};
use std::time::Duration;

/// The allocator of the `stance` binary, so that the figures compare.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// What scoring a corpus found: mentions, stances, sentences.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Totals {
    mentions: usize,
    stances: usize,
    sentences: usize,
}

impl Totals {
    fn add(self, other: Totals) -> Totals {
        Totals {
            mentions: self.mentions + other.mentions,
            stances: self.stances + other.stances,
            sentences: self.sentences + other.sentences,
        }
    }
}

fn score_all(scorer: &Scorer, docs: &[String]) -> Totals {
    docs.par_iter()
        .map(|d| {
            let s = scorer.score(d, None).expect("the article scores");
            Totals {
                mentions: s.mentions,
                stances: s.stances.len(),
                sentences: s.sentences,
            }
        })
        .reduce(Totals::default, Totals::add)
}

/// A model of the repository, `None` when the file is absent.
fn load(relative: &str) -> Option<Model> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    if !path.exists() {
        return None;
    }
    Some(Model::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn scorer(sentiment: Option<Model>) -> Scorer {
    let stance = load("models/peace-talks-stance/model.stance")
        .expect("the default stance model models/peace-talks-stance/model.stance");
    let params = ScoreParams {
        top_features: 5,
        ..ScoreParams::default()
    };
    Scorer::new(stance, sentiment, None, &params).expect("a scorer of the default models")
}

fn benches(c: &mut Criterion) {
    let corpus = corpus();
    let docs = &corpus.docs;
    let mut scorers = vec![("stance", scorer(None))];
    match load("models/news-sentiment/model.stance") {
        Some(sentiment) => scorers.push(("stance+sentiment", scorer(Some(sentiment)))),
        None => eprintln!(
            "note: models/news-sentiment/model.stance is absent; scoring with the stance model only"
        ),
    }

    let mut group = c.benchmark_group("score");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Bytes(corpus.bytes()));
    for (name, scorer) in &scorers {
        let expected = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .expect("a thread pool")
            .install(|| score_all(scorer, docs));
        eprintln!(
            "{name} on {} ({} articles, {} bytes): {expected:?}",
            corpus.name,
            docs.len(),
            corpus.bytes()
        );
        assert!(expected.mentions > 0, "the corpus has mentions");
        assert!(expected.sentences > docs.len(), "the corpus has sentences");
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("a thread pool");
            group.bench_function(format!("{name}/threads={threads}"), |b| {
                b.iter(|| assert_eq!(pool.install(|| score_all(scorer, docs)), expected))
            });
        }
    }
    group.finish();
}

/// Every sentence of the cleaned `docs`, as `stance score` splits them.
fn sentences(docs: &[String]) -> Vec<String> {
    let cleaner = CleanParams::default().check().expect("the default cleaner");
    let splitter = SentenceSplitter::new(SentenceParams::default());
    docs.iter()
        .flat_map(|d| {
            let clean = cleaner.clean(d).text;
            splitter
                .split(&clean)
                .into_iter()
                .map(|s| clean[s].to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The probabilities of every sentence through the fast path, concatenated.
fn fast(model: &Model, inputs: &[Input<'_>]) -> Vec<f32> {
    let mut scratch = PredictScratch::default();
    let mut p = Vec::new();
    let mut out = Vec::with_capacity(inputs.len() * model.linear().labels().len());
    for input in inputs {
        model
            .probabilities_into(input, &mut scratch, &mut p)
            .expect("a document input");
        out.extend_from_slice(&p);
    }
    out
}

/// The probabilities of every sentence through the general path, concatenated.
fn general(model: &Model, inputs: &[Input<'_>]) -> Vec<f32> {
    let x = model.template().transform(inputs).expect("document inputs");
    model.linear().predict_proba_rows(&x)
}

fn sentiment_benches(c: &mut Criterion) {
    let Some(model) = load("models/news-sentiment/model.stance") else {
        return;
    };
    let corpus = corpus();
    let sentences = sentences(&corpus.docs);
    let bytes: usize = sentences.iter().map(String::len).sum();
    let inputs: Vec<Input<'_>> = sentences
        .iter()
        .map(|s| Input::Document { text: s })
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread pool");
    let expected = pool.install(|| general(&model, &inputs));
    assert_eq!(pool.install(|| fast(&model, &inputs)), expected);
    eprintln!("sentiment of {} sentences ({bytes} bytes)", inputs.len());
    let mut group = c.benchmark_group("sentiment");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("fast", |b| {
        b.iter(|| assert_eq!(pool.install(|| fast(&model, &inputs)).len(), expected.len()))
    });
    group.bench_function("transform", |b| {
        b.iter(|| {
            assert_eq!(
                pool.install(|| general(&model, &inputs)).len(),
                expected.len()
            )
        })
    });
    group.finish();
}

criterion_group!(score, benches, sentiment_benches);
criterion_main!(score);
