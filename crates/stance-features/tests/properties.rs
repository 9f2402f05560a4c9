//! Properties that must hold for any input: analyzers never panic, token spans lie on char
//! boundaries and slice the original text, and results do not depend on the number of threads.

use proptest::prelude::*;
use sprs::CsMat;
use stance_features::analyzer::{
    AnalyzerParams, CharParams, Language, NgramRange, Normalization, Preprocess, Stemming,
    StopWords, StripAccents, WordParams,
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
