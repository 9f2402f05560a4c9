#![allow(missing_docs)] // the criterion_group macro generates an undocumented function

//! Criterion benchmarks of stance-features on FNC-1's article bodies (or the sample articles):
//! tokenize (the default analyzer), TF-IDF fit_transform (unigrams; (1,2)-grams with min_df=2 and
//! sublinear tf), transform with a fitted vocabulary, and hashing. Each reports bytes of text per
//! second and checks its output so a broken stage cannot look fast.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use stance_benches::{bigram_params, corpus};
use stance_features::analyzer::{AnalyzerBuffer, AnalyzerParams};
use stance_features::vectorize::{HashingParams, TfidfParams};
use std::hint::black_box;
use std::time::Duration;

/// The allocator of the `stance` binary, so that the figures compare.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool")
}

fn benches(c: &mut Criterion) {
    let corpus = corpus();
    let docs = &corpus.docs;
    let analyzer = AnalyzerParams::default().check().expect("default analyzer");
    let mut buf = AnalyzerBuffer::default();
    let mut expected_tokens = 0usize;
    for d in docs {
        analyzer.for_each_feature(d, &mut buf, |_| expected_tokens += 1);
    }
    assert!(expected_tokens > docs.len(), "the corpus has tokens");
    let unigram = TfidfParams::default();
    let bigram = bigram_params();
    let fitted = unigram.fit(docs).expect("fit on the corpus");
    let hashing = HashingParams::default().check().expect("default hashing");

    let mut group = c.benchmark_group("features");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Bytes(corpus.bytes()));

    group.bench_function("tokenize", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for d in docs {
                analyzer.for_each_feature(d, &mut buf, |t| n += black_box(t).len().min(1));
            }
            assert_eq!(n, expected_tokens);
        })
    });

    for threads in [1, 2] {
        let pool = pool(threads);
        group.bench_function(
            format!("tfidf_unigram_fit_transform/threads={threads}"),
            |b| {
                b.iter(|| {
                    let (_, m) = pool
                        .install(|| unigram.fit_transform::<f64, _>(docs))
                        .expect("fit on the corpus");
                    assert_eq!(m.rows(), docs.len());
                })
            },
        );
        group.bench_function(
            format!("tfidf_bigram_fit_transform/threads={threads}"),
            |b| {
                b.iter(|| {
                    let (_, m) = pool
                        .install(|| bigram.fit_transform::<f64, _>(docs))
                        .expect("fit on the corpus");
                    assert_eq!(m.rows(), docs.len());
                })
            },
        );
        group.bench_function(format!("tfidf_unigram_transform/threads={threads}"), |b| {
            b.iter(|| {
                let m = pool.install(|| fitted.transform::<f64, _>(docs));
                assert_eq!(m.rows(), docs.len());
            })
        });
        group.bench_function(format!("hashing/threads={threads}"), |b| {
            b.iter(|| {
                let m = pool.install(|| hashing.transform::<f64, _>(docs));
                assert_eq!(m.rows(), docs.len());
            })
        });
    }
    group.finish();
}

criterion_group!(features, benches);
criterion_main!(features);
