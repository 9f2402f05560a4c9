#![allow(missing_docs)] // the criterion_group macro generates an undocumented function

//! Criterion benchmark of end-to-end scoring (`Scorer::score`: clean, split sentences, find
//! mentions, pair, stance model, and the sentiment model when one is in the tree) on FNC-1's
//! article bodies (or the sample articles), at 1 and 2 threads, in bytes of article text per
//! second. The stance model is the default one, `models/peace-talks-stance/model.stance`; when
//! `models/news-sentiment/model.stance` exists a second set of benches scores with both. Each
//! iteration checks the totals of mentions, stances and sentences against a first sequential
//! pass, so a broken pipeline cannot look fast. Reading and writing files are not measured
//! here: `compare_score.py` times the whole `stance score` command.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;
use stance_benches::corpus;
use stance_infer::Model;
use stance_infer::score::{ScoreParams, Scorer};
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

criterion_group!(score, benches);
criterion_main!(score);
