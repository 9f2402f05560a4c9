//! TF-IDF `fit_transform` on the benchmark corpus at several thread counts, the counts taking
//! turns run after run, so that a busy machine slows them alike: the best time of each and its
//! speed-up over the first count.
//!
//! ```sh
//! cargo run --release -p stance-benches --example fit_threads -- bigram 1,2 20
//! ```
//!
//! Arguments: `unigram` (`TfidfVectorizer()`), `bigram` (`ngram_range=(1, 2), min_df=2,
//! sublinear_tf=True`) or `hashing` (`HashingVectorizer()`, its `transform`), the thread counts
//! (default `1,2`), the runs per count (default 10).

use stance_benches::{bigram_params, corpus};
use stance_features::vectorize::{HashingParams, TfidfParams};
use std::time::Instant;

/// The allocator of the `stance` binary, so that the figures compare.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn params(which: &str) -> Option<TfidfParams> {
    match which {
        "unigram" => Some(TfidfParams::default()),
        "bigram" => Some(bigram_params()),
        "hashing" => None,
        other => panic!("unknown configuration {other:?}: expected unigram, bigram or hashing"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let which = args.get(1).map_or("bigram", String::as_str);
    let threads: Vec<usize> = args.get(2).map_or(vec![1, 2], |s| {
        s.split(',')
            .map(|t| t.parse().expect("thread counts: N,N,..."))
            .collect()
    });
    let runs: usize = args
        .get(3)
        .map_or(10, |s| s.parse().expect("runs: a number"));
    let params = params(which);
    let hashing = HashingParams::default()
        .check()
        .expect("the default hashing parameters");
    let corpus = corpus();
    let docs = &corpus.docs;
    let pools: Vec<rayon::ThreadPool> = threads
        .iter()
        .map(|&n| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .expect("a thread pool")
        })
        .collect();
    let mut best = vec![f64::MAX; threads.len()];
    let mut shape = None;
    for _ in 0..runs {
        for (pool, best) in pools.iter().zip(&mut best) {
            let start = Instant::now();
            let this = pool.install(|| match &params {
                Some(params) => {
                    let (fitted, matrix) = params
                        .fit_transform::<f64, _>(docs)
                        .expect("fit on the corpus");
                    (matrix.shape(), matrix.nnz(), fitted.vocabulary().len())
                }
                None => {
                    let matrix = hashing.transform::<f64, _>(docs);
                    (matrix.shape(), matrix.nnz(), 0)
                }
            });
            *best = best.min(start.elapsed().as_secs_f64());
            assert_eq!(*shape.get_or_insert(this), this, "same output on every run");
        }
    }
    println!(
        "{} ({} documents, {} bytes)",
        corpus.name,
        docs.len(),
        corpus.bytes()
    );
    for (n, &b) in threads.iter().zip(&best) {
        println!(
            "{which} threads={n}: best {:.2} ms, {:.1} MB/s, speed-up {:.2}x",
            b * 1e3,
            corpus.bytes() as f64 / 1e6 / b,
            best[0] / b
        );
    }
}
