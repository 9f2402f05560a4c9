//! Properties that must hold for any input: analyzers never panic, token spans lie on char
//! boundaries and slice the original text, and results do not depend on the number of threads.

use proptest::prelude::*;
use sprs::CsMat;
use stance_features::analyzer::{
    AnalyzerParams, CharParams, Language, NgramRange, Normalization, Preprocess, Stemming,
    StopWords, StripAccents, TokenPattern, WordParams,
};
use stance_features::vectorize::{CountParams, DocFrequency, HashingParams, TfidfParams};

fn preprocess_strategy() -> impl Strategy<Value = Preprocess> {
    (0..3u8, any::<bool>(), 0..3u8).prop_map(|(n, lowercase, s)| Preprocess {
        normalization: [Normalization::None, Normalization::Nfc, Normalization::Nfkc][n as usize],
        lowercase,
        strip_accents: [
            StripAccents::None,
            StripAccents::Ascii,
            StripAccents::Unicode,
        ][s as usize],
    })
}

/// Text drawn from all of Unicode, and text dense in the characters that change length or
/// class under preprocessing.
fn text_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        proptest::collection::vec(
            prop::sample::select(vec![
                "İ", "ı", "Σ", "ς", "K", "Å", "ﬁ", "e\u{301}", "\u{301}", "ß", "ẞ", "²", "北京",
                " ", "\u{a0}", "\t\n", "’", "a", "AB", "_", "9", "🇺🇦", "ǅ", "ᾼ", "ﾊﾟ", "가",
            ]),
            0..40
        )
        .prop_map(|v| v.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn word_tokens_slice_the_input(text in text_strategy(), pre in preprocess_strategy()) {
        let analyzer = AnalyzerParams::Word(WordParams { preprocess: pre, ..WordParams::default() })
            .check()
            .unwrap();
        for token in analyzer.tokens(&text).unwrap() {
            prop_assert!(text.is_char_boundary(token.span.start));
            prop_assert!(text.is_char_boundary(token.span.end));
            prop_assert!(token.span.start < token.span.end, "{:?}", token);
            prop_assert!(token.span.end <= text.len());
            let _ = &text[token.span.clone()];
        }
        // A token that preprocessing did not change is exactly the text it spans.
        if pre.is_noop() {
            for token in analyzer.tokens(&text).unwrap() {
                prop_assert_eq!(&text[token.span.clone()], token.text.as_ref());
            }
        }
    }

    #[test]
    fn every_analyzer_accepts_any_text(text in text_strategy(), pre in preprocess_strategy(), kind in 0..3u8) {
        let range = NgramRange::new(1, 3).unwrap();
        let params = match kind {
            0 => AnalyzerParams::Word(WordParams {
                preprocess: pre,
                ngram_range: range,
                stop_words: StopWords::Builtin { language: Language::English },
                stemmer: Stemming::Snowball { language: Language::English },
                ..WordParams::default()
            }),
            1 => AnalyzerParams::Char(CharParams { preprocess: pre, ngram_range: range }),
            _ => AnalyzerParams::CharWb(CharParams { preprocess: pre, ngram_range: range }),
        };
        let analyzer = params.check().unwrap();
        let features = analyzer.analyze(&text);
        // Vectorizing the same text counts exactly those features.
        let docs = [text.as_str()];
        let counts = CountParams { analyzer: params, ..CountParams::default() };
        match counts.fit_transform::<f64, _>(&docs) {
            Ok((_, m)) => prop_assert_eq!(m.data().iter().sum::<f64>() as usize, features.len()),
            Err(_) => prop_assert!(features.is_empty()),
        }
    }
}

fn corpus() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/sklearn/corpus.json"
    );
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let docs: Vec<String> = serde_json::from_value(value["documents"].clone()).unwrap();
    // Enough documents that every thread gets several blocks.
    (0..8)
        .flat_map(|k| docs.iter().map(move |d| format!("{d} {k}")))
        .collect()
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
fn output_is_bit_identical_for_any_number_of_threads() {
    let docs = corpus();
    let configs = [
        TfidfParams::default(),
        // The benchmark's (1, 2)-gram configuration: terms ordered by token ranks.
        TfidfParams {
            count: CountParams {
                analyzer: AnalyzerParams::Word(WordParams {
                    ngram_range: NgramRange::new(1, 2).unwrap(),
                    ..WordParams::default()
                }),
                min_df: DocFrequency::Count(2),
                ..CountParams::default()
            },
            sublinear_tf: true,
            ..TfidfParams::default()
        },
        TfidfParams {
            count: CountParams {
                analyzer: AnalyzerParams::Word(WordParams {
                    ngram_range: NgramRange::new(1, 3).unwrap(),
                    stop_words: StopWords::Builtin {
                        language: Language::English,
                    },
                    ..WordParams::default()
                }),
                min_df: DocFrequency::Count(2),
                max_features: Some(500),
                ..CountParams::default()
            },
            sublinear_tf: true,
            ..TfidfParams::default()
        },
        TfidfParams {
            count: CountParams {
                analyzer: AnalyzerParams::CharWb(CharParams {
                    ngram_range: NgramRange::new(2, 4).unwrap(),
                    ..CharParams::default()
                }),
                ..CountParams::default()
            },
            ..TfidfParams::default()
        },
    ];
    for params in &configs {
        let (one, m1) = in_pool(1, || params.fit_transform::<f64, _>(&docs)).unwrap();
        let t1 = in_pool(1, || one.transform::<f64, _>(&docs));
        for threads in [2, 3, 4] {
            let (many, mn) = in_pool(threads, || params.fit_transform::<f64, _>(&docs)).unwrap();
            assert_eq!(
                one.feature_names(),
                many.feature_names(),
                "{threads} threads"
            );
            assert_eq!(bits(&m1), bits(&mn), "{threads} threads: fit_transform");
            let tn = in_pool(threads, || many.transform::<f64, _>(&docs));
            assert_eq!(bits(&t1), bits(&tn), "{threads} threads: transform");
        }
        assert_eq!(bits(&m1), bits(&t1), "fit_transform = fit + transform");
    }
    let hashing = HashingParams::default().check().unwrap();
    let h1 = in_pool(1, || hashing.transform::<f64, _>(&docs));
    let h3 = in_pool(3, || hashing.transform::<f64, _>(&docs));
    assert_eq!(bits(&h1), bits(&h3));
}

#[test]
fn stemming_is_rust_stemmers_for_every_language() {
    let words = [
        "negotiations",
        "ceasefires",
        "garanties",
        "Verhandlungen",
        "переговоры",
        "müzakereler",
        "negociações",
        "förhandlingar",
        "neuvottelut",
        "tárgyalások",
        "διαπραγματεύσεις",
    ];
    for language in Language::ALL {
        let analyzer = AnalyzerParams::Word(WordParams {
            stemmer: Stemming::Snowball { language },
            ..WordParams::default()
        })
        .check()
        .unwrap();
        let algorithm = match language.name() {
            "arabic" => rust_stemmers::Algorithm::Arabic,
            "danish" => rust_stemmers::Algorithm::Danish,
            "dutch" => rust_stemmers::Algorithm::Dutch,
            "english" => rust_stemmers::Algorithm::English,
            "finnish" => rust_stemmers::Algorithm::Finnish,
            "french" => rust_stemmers::Algorithm::French,
            "german" => rust_stemmers::Algorithm::German,
            "greek" => rust_stemmers::Algorithm::Greek,
            "hungarian" => rust_stemmers::Algorithm::Hungarian,
            "italian" => rust_stemmers::Algorithm::Italian,
            "norwegian" => rust_stemmers::Algorithm::Norwegian,
            "portuguese" => rust_stemmers::Algorithm::Portuguese,
            "romanian" => rust_stemmers::Algorithm::Romanian,
            "russian" => rust_stemmers::Algorithm::Russian,
            "spanish" => rust_stemmers::Algorithm::Spanish,
            "swedish" => rust_stemmers::Algorithm::Swedish,
            "tamil" => rust_stemmers::Algorithm::Tamil,
            "turkish" => rust_stemmers::Algorithm::Turkish,
            other => panic!("{other}"),
        };
        let stemmer = rust_stemmers::Stemmer::create(algorithm);
        let text = words.join(" ");
        let want: Vec<String> = words
            .iter()
            .map(|w| stemmer.stem(&w.to_lowercase()).into_owned())
            .collect();
        assert_eq!(analyzer.analyze(&text), want, "{language}");
    }
}

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
