//! Fitting gives the same vocabulary, IDF and matrix, bit for bit, on 1, 2 and 3 threads: the
//! per-thread term spaces are merged (absorbed, or looked up and appended) and the result must
//! not show how.

use sprs::CsMat;

use super::{CountParams, DocFrequency, TfidfParams};
use crate::analyzer::{
    AnalyzerParams, CharParams, Language, NgramRange, Stemming, StopWords, TokenPattern, WordParams,
};

/// A few hundred documents of varied length and vocabulary: common words shared by all, rare
/// ones (so that some terms are in one thread's blocks only), numbers, accents, punctuation,
/// stop words, empty and repeated documents. A fixed linear congruential generator draws them.
fn documents() -> Vec<String> {
    const COMMON: [&str; 24] = [
        "the",
        "truce",
        "talks",
        "peace",
        "kyiv",
        "moscow",
        "ceasefire",
        "and",
        "of",
        "a",
        "negotiations",
        "négociations",
        "Frieden",
        "rejects",
        "backs",
        "holds",
        "is",
        "not",
        "mediators",
        "sanctions",
        "army",
        "front",
        "deal",
        "war",
    ];
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % n
    };
    let mut docs = Vec::new();
    for d in 0..320 {
        let mut doc = String::new();
        let words = match d % 17 {
            0 => 0,
            1 => 1,
            _ => next(160),
        };
        for _ in 0..words {
            match next(10) {
                0..=5 => doc.push_str(COMMON[next(COMMON.len() as u64) as usize]),
                6 => doc.push_str(&format!("rare{}", next(400))),
                7 => doc.push_str(&format!("{}", next(50))),
                8 => doc.push_str(&format!("w{}x{}", d % 9, next(30))),
                _ => doc.push_str(["!", ",", ".", "-", "'s", "é"][next(6) as usize]),
            }
            doc.push(if next(12) == 0 { '\n' } else { ' ' });
        }
        docs.push(doc);
    }
    // Repeats, at both ends of the corpus (the first and the last block).
    docs[5] = docs[300].clone();
    docs[318] = docs[2].clone();
    docs
}

fn word(ngram: (usize, usize)) -> WordParams {
    WordParams {
        ngram_range: NgramRange::new(ngram.0, ngram.1).unwrap(),
        ..WordParams::default()
    }
}

fn in_pool<R: Send>(threads: usize, f: impl FnOnce() -> R + Send) -> R {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

fn bits(m: &CsMat<f64>) -> (Vec<usize>, Vec<usize>, Vec<u64>) {
    (
        m.indptr().raw_storage().to_vec(),
        m.indices().to_vec(),
        m.data().iter().map(|v| v.to_bits()).collect(),
    )
}

#[test]
fn one_two_and_three_threads_fit_the_same() {
    let docs = documents();
    let count = |analyzer: AnalyzerParams| CountParams {
        analyzer,
        ..CountParams::default()
    };
    let configs: Vec<(&str, TfidfParams)> = vec![
        ("unigrams", TfidfParams::default()),
        (
            "bigrams, min_df 2, sublinear tf",
            TfidfParams {
                count: CountParams {
                    min_df: DocFrequency::Count(2),
                    ..count(AnalyzerParams::Word(word((1, 2))))
                },
                sublinear_tf: true,
                ..TfidfParams::default()
            },
        ),
        (
            "bigrams only, max_df 0.3, max_features 150",
            TfidfParams {
                count: CountParams {
                    max_df: DocFrequency::Fraction(0.3),
                    max_features: Some(150),
                    ..count(AnalyzerParams::Word(word((2, 2))))
                },
                ..TfidfParams::default()
            },
        ),
        (
            "1-3-grams, stop words, stemming, min_df 0.01, max_df 40, binary max_features",
            TfidfParams {
                count: CountParams {
                    min_df: DocFrequency::Fraction(0.01),
                    max_df: DocFrequency::Count(40),
                    max_features: Some(300),
                    binary: true,
                    ..count(AnalyzerParams::Word(WordParams {
                        stop_words: StopWords::Builtin {
                            language: Language::English,
                        },
                        stemmer: Stemming::Snowball {
                            language: Language::English,
                        },
                        ..word((1, 3))
                    }))
                },
                smooth_idf: false,
                ..TfidfParams::default()
            },
        ),
        (
            "tokens with spaces (counted by name)",
            TfidfParams {
                count: count(AnalyzerParams::Word(WordParams {
                    token_pattern: TokenPattern::Regex {
                        pattern: "[a-z]+(?: [0-9]+)?|[0-9]+".into(),
                    },
                    ..word((1, 2))
                })),
                ..TfidfParams::default()
            },
        ),
        (
            "char_wb 2-4, max_features 500",
            TfidfParams {
                count: CountParams {
                    max_features: Some(500),
                    ..count(AnalyzerParams::CharWb(CharParams {
                        ngram_range: NgramRange::new(2, 4).unwrap(),
                        ..CharParams::default()
                    }))
                },
                ..TfidfParams::default()
            },
        ),
    ];
    for (name, params) in &configs {
        let (one, m1) = in_pool(1, || params.fit_transform::<f64, _>(&docs)).unwrap();
        assert!(one.vocabulary().len() > 20, "{name}: a real vocabulary");
        let idf1: Vec<u64> = one.idf().unwrap().iter().map(|v| v.to_bits()).collect();
        let counts1 = in_pool(1, || params.count.fit_transform::<f64, _>(&docs)).unwrap();
        for threads in [2, 3] {
            let (many, mn) = in_pool(threads, || params.fit_transform::<f64, _>(&docs)).unwrap();
            assert_eq!(
                one.feature_names(),
                many.feature_names(),
                "{name}: {threads} threads"
            );
            let idfn: Vec<u64> = many.idf().unwrap().iter().map(|v| v.to_bits()).collect();
            assert_eq!(idf1, idfn, "{name}: {threads} threads: idf");
            assert_eq!(bits(&m1), bits(&mn), "{name}: {threads} threads: tf-idf");
            let countsn = in_pool(threads, || params.count.fit_transform::<f64, _>(&docs)).unwrap();
            assert_eq!(
                counts1.0.feature_names(),
                countsn.0.feature_names(),
                "{name}: {threads} threads: count vocabulary"
            );
            assert_eq!(
                bits(&counts1.1),
                bits(&countsn.1),
                "{name}: {threads} threads: counts"
            );
        }
    }
}
