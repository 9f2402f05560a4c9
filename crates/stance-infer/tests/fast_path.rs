//! The one-row fast path of word n-gram templates (`FittedTemplate::row_into`) gives the rows
//! of the general path (`FittedTemplate::transform`) bit for bit, and the shipped sentiment
//! model the same probabilities both ways, on every sentence of the sample articles and of
//! FNC-1's bodies when that dataset is present.

use std::path::{Path, PathBuf};

use stance_features::analyzer::{
    AnalyzerParams, CharParams, Language, NgramRange, Normalization, Preprocess, StopWords,
    StripAccents, TokenPattern, WordParams,
};
use stance_features::text::{CleanParams, SentenceParams, SentenceSplitter};
use stance_features::vectorize::{DocFrequency, Norm, TfidfParams};
use stance_infer::linear::{LinearModel, Link};
use stance_infer::template::{
    Block, Extra, FittedTemplate, Input, RowScratch, Source, Task, TemplateParams,
};
use stance_infer::{Model, PredictScratch};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Strings that stress preprocessing, the token rule and the key packing.
const TRICKY: &[&str] = &[
    "",
    "   \t\n ",
    "a",
    "I",
    "ok",
    "The truce, the TRUCE and the Truce.",
    "truce truce truce truce truce truce truce truce truce",
    "the the the the the the",
    "Moscow rejected the truce; Kyiv backed the ceasefire.",
    "Moscow rejected the ceasefire and Moscow rejected the truce",
    "don't won't can't it's Zelensky's",
    "İstanbul İSTANBUL istanbul",
    "STRASSE Straße straße",
    "ﬁnance ﬀ ｆｕｌｌｗｉｄｔｈ ²³",
    "café cafe\u{301} CAFÉ naïve NAÏVE",
    "ΟΔΟΣ οδος Σίσυφος",
    "Ǆemal ǅemal ǆemal",
    "日本語のテキスト と 中文文本",
    "x_y__z _ __ a_b 123 4567 1st 2nd",
    "emoji 🙂🙂 peace🕊talks",
    "abcdefgh abcdefghi abcdefghijklmnop abcdefghijklmnopq internationalisation",
    "ABCDEFGH ABCDEFGHI ABCDEFGHIJKLMNOP ABCDEFGHIJKLMNOPQ INTERNATIONALISATION Internationalisation",
    "Abcdefgh_1 ABCDEFGH_1 @Zz [Aa] `Yy` ~Xx{",
    "a b c a b c a b c",
    "peace-talks cease-fire U.S.-led U.N. E.U.",
    "negotiations negotiation negotiate negotiating negotiated",
    "Putin Trump Starmer Macron Zelenskyy Zelenskiy Witkoff",
    // Counts past the term-frequency table (16), of unigrams and bigrams.
    "the talks the talks the talks the talks the talks the talks the talks the talks the talks \
     the talks the talks the talks the talks the talks the talks the talks the talks the talks",
];

/// The files of the repository folder `dir` whose extension is `ext`, sorted; at least one.
fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let dir = repo().join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .{ext} files in {}", dir.display());
    files
}

/// The sentences of the sample articles: cleaned and split as `stance score` does.
fn sample_sentences() -> Vec<String> {
    let cleaner = CleanParams::default().check().unwrap();
    let splitter = SentenceSplitter::new(SentenceParams::default());
    let mut out = Vec::new();
    for f in files("corpora/peace-talks/articles", "txt") {
        let text = std::fs::read_to_string(&f).unwrap();
        let clean = cleaner.clean(&text).text;
        out.extend(
            splitter
                .split(&clean)
                .into_iter()
                .map(|s| clean[s].to_owned()),
        );
    }
    out
}

/// Each sentence paired with the next, as `pair` inputs.
fn adjacent_pairs(sentences: &[String]) -> Vec<Input<'_>> {
    sentences
        .windows(2)
        .map(|w| Input::Pair {
            text_a: &w[0],
            text_b: &w[1],
        })
        .collect()
}

fn words(params: WordParams) -> TfidfParams {
    let mut t = TfidfParams::default();
    t.count.analyzer = AnalyzerParams::Word(params);
    t
}

fn range(min: usize, max: usize) -> NgramRange {
    NgramRange::new(min, max).unwrap()
}

fn document(vectorizer: TfidfParams) -> TemplateParams {
    TemplateParams {
        task: Task::Document,
        blocks: vec![Block {
            prefix: "text".into(),
            source: Source::Text,
            vectorizer,
        }],
        extras: vec![],
    }
}

/// Document templates the fast path takes, each with a name.
fn fast_templates() -> Vec<(&'static str, TemplateParams)> {
    let english = StopWords::Builtin {
        language: Language::English,
    };
    let mut shipped = words(WordParams {
        ngram_range: range(1, 2),
        ..WordParams::default()
    });
    shipped.sublinear_tf = true;
    shipped.count.min_df = DocFrequency::Count(2);
    let mut trigrams = words(WordParams {
        stop_words: english.clone(),
        stemmer: stance_features::analyzer::Stemming::Snowball {
            language: Language::English,
        },
        ngram_range: range(1, 3),
        ..WordParams::default()
    });
    trigrams.sublinear_tf = true;
    let mut no_unigrams = words(WordParams {
        ngram_range: range(2, 3),
        ..WordParams::default()
    });
    no_unigrams.count.binary = true;
    no_unigrams.use_idf = false;
    no_unigrams.norm = Norm::L1;
    let mut unicode = words(WordParams {
        preprocess: Preprocess {
            normalization: Normalization::Nfkc,
            lowercase: false,
            strip_accents: StripAccents::Unicode,
        },
        ngram_range: range(1, 2),
        ..WordParams::default()
    });
    unicode.norm = Norm::None;
    unicode.smooth_idf = false;
    let mut ascii = words(WordParams {
        preprocess: Preprocess {
            normalization: Normalization::Nfc,
            lowercase: true,
            strip_accents: StripAccents::Ascii,
        },
        stop_words: StopWords::List {
            words: vec!["the".into(), "and".into()],
        },
        ngram_range: range(1, 4),
        ..WordParams::default()
    });
    ascii.count.max_features = Some(500);
    vec![
        ("shipped sentiment recipe", document(shipped)),
        ("stop words, stemming, 1-3-grams", document(trigrams)),
        ("2-3-grams, binary, no idf, l1", document(no_unigrams)),
        ("nfkc, accents, no lowercase, no norm", document(unicode)),
        ("nfc, ascii, a stop list, 1-4-grams", document(ascii)),
    ]
}

/// The bits of a matrix: its structure and every value's bits.
fn matrix_bits(m: &sprs::CsMat<f32>) -> (Vec<usize>, Vec<usize>, Vec<u32>) {
    (
        m.indptr().raw_storage().to_vec(),
        m.indices().to_vec(),
        m.data().iter().map(|v| v.to_bits()).collect(),
    )
}

/// A linear model over the features of `t` with pseudo-random weights, of `k` classes.
fn random_linear(t: &FittedTemplate, k: usize) -> LinearModel {
    let mut x = 0x2545_f491_4f6c_dd1d_u64 ^ k as u64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 40) as f32 / (1u64 << 24) as f32 * 8.0 - 4.0
    };
    let coef = (0..t.n_features() * k).map(|_| next()).collect();
    let intercept = (0..k).map(|_| next()).collect();
    let labels = (0..k).map(|i| format!("c{i}")).collect();
    LinearModel::new(labels, t.n_features(), coef, intercept, Link::Softmax).unwrap()
}

/// Asserts that `scores_into` gives the scores of each input's row of the general path, bit
/// for bit, for models of 2, 3 and 4 classes (the fixed-size sums and the general one).
fn assert_scores_match(name: &str, t: &FittedTemplate, inputs: &[Input<'_>]) {
    let x = t.transform_general(inputs).unwrap();
    let mut scratch = RowScratch::default();
    let (mut expected, mut scores) = (Vec::new(), Vec::new());
    for k in [2, 3, 4] {
        let linear = random_linear(t, k);
        for (i, input) in inputs.iter().enumerate() {
            let row = x.outer_view(i).unwrap();
            linear.scores_of_parts(row.indices(), row.data(), &mut expected);
            t.scores_into(input, &mut scratch, &linear, &mut scores)
                .unwrap();
            let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
            assert_eq!(
                bits(&scores),
                bits(&expected),
                "{name}, {k} classes: {input:?}"
            );
        }
    }
}

/// Asserts that `row_into` gives each input's row of the vectorizers' `transform`, and that
/// `transform` (through the blocks' fast tables) gives that matrix, bit for bit; and that
/// `scores_into` gives the scores of those rows.
fn assert_rows_match(name: &str, t: &FittedTemplate, inputs: &[Input<'_>]) {
    assert_scores_match(name, t, inputs);
    let x = t.transform_general(inputs).unwrap();
    assert_eq!(
        matrix_bits(&t.transform(inputs).unwrap()),
        matrix_bits(&x),
        "{name}: transform"
    );
    let mut scratch = RowScratch::default();
    let (mut columns, mut values) = (Vec::new(), Vec::new());
    for (i, input) in inputs.iter().enumerate() {
        t.row_into(input, &mut scratch, &mut columns, &mut values)
            .unwrap();
        let row = x.outer_view(i).unwrap();
        assert_eq!(columns, row.indices(), "{name}: columns of {input:?}");
        let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
        assert_eq!(
            bits(&values),
            bits(row.data()),
            "{name}: values of {input:?}"
        );
    }
}

#[test]
fn fast_rows_are_the_general_rows() {
    let sentences = sample_sentences();
    // Fitted on every other sentence, so the rest holds unknown tokens and unknown n-grams.
    let train: Vec<Input<'_>> = sentences
        .iter()
        .step_by(2)
        .map(|s| Input::Document { text: s })
        .collect();
    let test: Vec<Input<'_>> = sentences
        .iter()
        .map(String::as_str)
        .chain(TRICKY.iter().copied())
        // Texts met again (a batch copies their rows), in another order.
        .chain(TRICKY.iter().rev().copied())
        .chain(sentences.iter().take(3).map(String::as_str))
        .map(|text| Input::Document { text })
        .collect();
    for (name, params) in fast_templates() {
        let t = params.fit(&train).unwrap();
        assert!(t.has_fast_path(), "{name}: no fast path");
        assert_rows_match(name, &t, &test);
    }
}

#[test]
fn several_blocks_are_placed_at_their_offsets() {
    let sentences = sample_sentences();
    let pairs = adjacent_pairs(&sentences);
    let mut params = TemplateParams::default_for(Task::Pair);
    params.extras.clear();
    let t = params.fit(&pairs[..pairs.len() / 2]).unwrap();
    assert!(t.has_fast_path());
    assert_rows_match("pair blocks", &t, &pairs);
}

#[test]
fn other_templates_take_the_general_path_and_agree() {
    let sentences = sample_sentences();
    let docs: Vec<Input<'_>> = sentences
        .iter()
        .map(|s| Input::Document { text: s })
        .collect();
    let mut char_wb = TfidfParams::default();
    char_wb.count.analyzer = AnalyzerParams::CharWb(CharParams {
        ngram_range: range(2, 4),
        ..CharParams::default()
    });
    let regex = words(WordParams {
        token_pattern: TokenPattern::Regex {
            pattern: r"\w+".into(),
        },
        ngram_range: range(1, 2),
        ..WordParams::default()
    });
    let mut with_extra = TemplateParams::default_for(Task::Pair);
    with_extra.extras = vec![Extra::PairSimilarity {
        vectorizer: TfidfParams::default(),
    }];
    let pairs = adjacent_pairs(&sentences);
    for (name, params, inputs) in [
        ("char_wb", document(char_wb), &docs),
        ("custom token pattern", document(regex), &docs),
        ("an extra block", with_extra, &pairs),
    ] {
        let t = params.fit(&inputs[..40]).unwrap();
        assert!(!t.has_fast_path(), "{name}: took the fast path");
        assert_rows_match(name, &t, &inputs[..60]);
    }
}

#[test]
fn the_wrong_task_is_refused_on_both_paths() {
    let t = fast_templates()
        .remove(1)
        .1
        .fit(&[Input::Document { text: "a truce" }])
        .unwrap();
    assert!(t.has_fast_path());
    let pair = Input::Pair {
        text_a: "a",
        text_b: "b",
    };
    let mut scratch = RowScratch::default();
    let fast = t
        .row_into(&pair, &mut scratch, &mut Vec::new(), &mut Vec::new())
        .unwrap_err();
    let general = t.transform(std::slice::from_ref(&pair)).unwrap_err();
    assert_eq!(fast.to_string(), general.to_string());
    let linear = random_linear(&t, 3);
    let scores = t
        .scores_into(&pair, &mut scratch, &linear, &mut Vec::new())
        .unwrap_err();
    assert_eq!(scores.to_string(), general.to_string());
    assert_eq!(
        fast.to_string(),
        "example 0: a pair example given to a document template"
    );
}

/// Every sentence's probabilities from the shipped sentiment model: (general, fast).
fn both_ways(model: &Model, sentences: &[&str]) {
    let t = model.template();
    let inputs: Vec<Input<'_>> = sentences
        .iter()
        .map(|&text| Input::Document { text })
        .collect();
    let x = t.transform_general(&inputs).unwrap();
    let mut scratch = PredictScratch::default();
    let mut row_scratch = RowScratch::default();
    let (mut scores, mut fast) = (Vec::new(), Vec::new());
    for (i, input) in inputs.iter().enumerate() {
        model
            .linear()
            .scores_into(x.outer_view(i).unwrap(), &mut scores);
        model.linear().link_apply(&mut scores);
        model
            .probabilities_into(input, &mut scratch, &mut fast)
            .unwrap();
        assert_eq!(scores, fast, "{input:?}");
        // As `stance score` computes them: the row handed to the dot product in place.
        t.scores_into(input, &mut row_scratch, model.linear(), &mut fast)
            .unwrap();
        model.linear().link_apply(&mut fast);
        assert_eq!(scores, fast, "{input:?}");
    }
    let predicted = model.predict(&inputs, 3).unwrap();
    for (i, p) in predicted.iter().enumerate() {
        model
            .linear()
            .scores_into(x.outer_view(i).unwrap(), &mut scores);
        model.linear().link_apply(&mut scores);
        assert_eq!(p.probabilities, scores, "{:?}", inputs[i]);
    }
}

#[test]
fn the_shipped_sentiment_model_gives_the_same_probabilities() {
    let model = Model::load(&repo().join("models/news-sentiment/model.stance")).unwrap();
    assert!(model.template().has_fast_path());
    let sentences = sample_sentences();
    let mut all: Vec<&str> = sentences.iter().map(String::as_str).collect();
    all.extend(TRICKY);
    both_ways(&model, &all);
}

#[test]
fn the_shipped_sentiment_model_on_fnc1_bodies() {
    let path = repo().join("../shared/datasets/fnc1/train_bodies.csv");
    if !path.exists() {
        eprintln!("skipped: {} is absent", path.display());
        return;
    }
    let model = Model::load(&repo().join("models/news-sentiment/model.stance")).unwrap();
    let cleaner = CleanParams::default().check().unwrap();
    let splitter = SentenceSplitter::new(SentenceParams::default());
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let mut sentences = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        let clean = cleaner.clean(&record[1]).text;
        sentences.extend(
            splitter
                .split(&clean)
                .into_iter()
                .map(|s| clean[s].to_owned()),
        );
    }
    assert!(sentences.len() > 30_000, "{} sentences", sentences.len());
    let all: Vec<&str> = sentences.iter().map(String::as_str).collect();
    both_ways(&model, &all);
}

/// The shipped stance model's template (task `mention`: word n-gram blocks over the text left
/// of, between and right of the two mentions and over their sentence, plus extra blocks) gives
/// the same matrix through its blocks' fast tables as through its vectorizers, on every
/// written example of the peace-talks corpus.
#[test]
fn mention_blocks_through_fast_tables_are_the_vectorizers_rows() {
    let model = Model::load(&repo().join("models/peace-talks-stance/model.stance")).unwrap();
    let mut examples = Vec::new();
    for file in files("corpora/peace-talks/written", "jsonl") {
        for line in std::fs::read_to_string(&file).unwrap().lines() {
            let doc: stance_corpus::AnnotatedDocument = serde_json::from_str(line).unwrap();
            examples.extend(doc.mention_examples());
        }
    }
    let inputs: Vec<Input<'_>> = examples
        .iter()
        .enumerate()
        .map(|(i, e)| Input::from_example(e, i).unwrap())
        .collect();
    assert!(inputs.len() > 800, "{} examples", inputs.len());
    let t = model.template();
    let general = t.transform_general(&inputs).unwrap();
    assert_eq!(
        matrix_bits(&t.transform(&inputs).unwrap()),
        matrix_bits(&general)
    );
    // Row by row too, as scoring calls it (an article's pairs at a time).
    for (i, input) in inputs.iter().enumerate().step_by(7) {
        let one = t.transform(std::slice::from_ref(input)).unwrap();
        let row = general.outer_view(i).unwrap();
        assert_eq!(one.outer_view(0).unwrap().indices(), row.indices());
    }
}

/// Pieces of the texts of [`non_ascii_texts_read_in_their_preprocessed_copy`]: ASCII and
/// non-ASCII words of every key length (up to 8 bytes, 9 to 16, longer), capitals that
/// lowercasing changes (one of them into a longer string and a split word), compatibility
/// characters that normalization rewrites, a combining accent, and the punctuation that makes
/// most news sentences non-ASCII.
const PIECES: &[&str] = &[
    "truce",
    "Truce",
    "TALKS",
    "ceasefire",
    "Ceasefires",
    "internationalisation",
    "café",
    "CAFÉ",
    "naïveté",
    "Zelenskyy’s",
    "Київ",
    "КИЇВ",
    "переговоры",
    "ПЕРЕГОВОРЫ",
    "İstanbul",
    "Σίσυφος",
    "ΟΔΟΣ",
    "straße",
    "ﬁnance",
    "ｆｕｌｌ",
    "e\u{301}",
    "日本語",
    "é",
    "a",
    "x_1",
    "2026",
    " ",
    " ",
    " ",
    ", ",
    " — ",
    " “",
    "” ",
    "\u{a0}",
    "-",
];

/// A text of `n` pieces picked by `seed`.
fn piece_text(seed: u64, n: usize) -> String {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            PIECES[(x >> 33) as usize % PIECES.len()]
        })
        .collect()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// A non-ASCII text is preprocessed into a copy whose tokens are scanned and looked up in
    /// place (the fast path's third way, after ASCII text read in place and the analyzer's own
    /// tokens): its rows are the general path's, whatever the preprocessing, for vocabularies
    /// that hold non-ASCII tokens and n-grams of every key length.
    #[test]
    fn non_ascii_texts_read_in_their_preprocessed_copy(seed in 1u64..u64::MAX) {
        let train_texts: Vec<String> = (0..120)
            .map(|i| piece_text(seed.wrapping_add(i), 30))
            .collect();
        let train: Vec<Input<'_>> = train_texts
            .iter()
            .map(|s| Input::Document { text: s })
            .collect();
        let test_texts: Vec<String> = (0..40)
            .map(|i| piece_text(seed ^ (i + 1) << 32, 1 + i as usize))
            .chain(TRICKY.iter().map(|s| s.to_string()))
            .collect();
        let test: Vec<Input<'_>> = test_texts
            .iter()
            .map(|s| Input::Document { text: s })
            .collect();
        for (name, params) in fast_templates() {
            let t = params.fit(&train).unwrap();
            proptest::prop_assert!(t.has_fast_path(), "{}: no fast path", name);
            assert_rows_match(name, &t, &test);
        }
    }
}
