//! The importers on small fixtures written for these tests (with each source's quirks), on bad
//! rows, and — when `../shared/datasets` is present — on the whole public files, against the
//! row and label counts stated in their `SOURCE.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use stance_corpus::import::{CsvOptions, Format, Importer, SentenceRule};
use stance_corpus::{Example, Input, Mode, Task};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// The examples of `files` imported as `format`, each as its JSON line.
fn import(format: Format, files: &[PathBuf]) -> Vec<String> {
    Importer::new(&format, files, Mode::Strict)
        .unwrap()
        .map(|example| serde_json::to_string(&example.unwrap()).unwrap())
        .collect()
}

fn fixtures(names: &[&str]) -> Vec<PathBuf> {
    names.iter().map(|n| fixture(n)).collect()
}

#[test]
fn semeval2016_concatenates_files_and_decodes_windows_1252() {
    let got = import(
        Format::Semeval2016,
        &fixtures(&[
            "semeval2016/trialdata-all-annotations.txt",
            "semeval2016/trainingdata-all-annotations.txt",
        ]),
    );
    let want = [
        r#"{"id":"1","task":"target","text":"@tedcruz And, #HandOverTheServer she wiped clean #SemST","target":"Hillary Clinton","label":"AGAINST","opinion_towards":"TARGET","sentiment":"NEGATIVE"}"#,
        r#"{"id":"2","task":"target","text":"Hillary is our best choice #SemST","target":"Hillary Clinton","label":"FAVOR","opinion_towards":"TARGET","sentiment":"POSITIVE"}"#,
        r#"{"id":"101","task":"target","text":"dear lord thank u for all of ur blessings #SemST","target":"Atheism","label":"AGAINST","opinion_towards":"OTHER","sentiment":"POSITIVE"}"#,
        r#"{"id":"110","task":"target","text":"RT \"...too arrogant for me.\"Í¢‘„‘îChristopher Hitchens 2/2\" #SemST","target":"Atheism","label":"NONE","opinion_towards":"OTHER","sentiment":"NEGATIVE"}"#,
        r#"{"id":"111","task":"target","text":"We need to act – now. #SemST","target":"Climate Change is a Real Concern","label":"FAVOR","opinion_towards":"TARGET","sentiment":"NEGATIVE"}"#,
    ];
    assert_eq!(got, want);
}

#[test]
fn fnc1_joins_stances_and_bodies_in_stances_order() {
    let want = [
        r#"{"id":"fnc1:train:1","task":"pair","text_a":"Police find mass graves with at least '15 bodies' near Mexico town","text_b":"Danny Boyle is directing the untitled film","label":"unrelated","group":"712"}"#,
        r#"{"id":"fnc1:train:2","task":"pair","text_a":"Hundreds of Palestinians flee floods in Gaza, as Israel opens dams","text_b":"Hundreds of Palestinians were evacuated.\n\nIsrael denied opening \"any dams\".","label":"agree","group":"158"}"#,
        r#"{"id":"fnc1:train:3","task":"pair","text_a":"Christian Bale passes on role of \"Steve Jobs\"","text_b":"Danny Boyle is directing the untitled film","label":"discuss","group":"712"}"#,
    ];
    // The files are told apart by their headers, in either order.
    for files in [
        ["fnc1/train_stances.csv", "fnc1/train_bodies.csv"],
        ["fnc1/train_bodies.csv", "fnc1/train_stances.csv"],
    ] {
        assert_eq!(import(Format::Fnc1, &fixtures(&files)), want);
    }
}

#[test]
fn newsmtsc_gives_one_example_per_target_with_end_exclusive_spans() {
    let got = import(Format::Newsmtsc, &fixtures(&["newsmtsc/sample.jsonl"]));
    let want = [
        r#"{"id":"allsides_1_2_3_Trump_0_5","task":"target","text":"Trump called it a “piece of shit” – Clinton’s aide agreed.","target":"Trump","target_span":[0,5],"label":"2.0","group":"allsides_1_2_3_Trump_0_5","further_mentions":[{"from":13,"to":15,"mention":"it"}]}"#,
        // `to` written as the last character (the readme's wording): converted.
        r#"{"id":"allsides_1_2_3_Clinton_36_44","task":"target","text":"Trump called it a “piece of shit” – Clinton’s aide agreed.","target":"Clinton’s","target_span":[36,45],"label":"4.0","group":"allsides_1_2_3_Trump_0_5"}"#,
        r#"{"id":"polusa_9_Winner_0_6","task":"target","text":"Winner wrote that she met the director.","target":"Winner","target_span":[0,6],"label":"6.0","group":"polusa_9_Winner_0_6"}"#,
    ];
    assert_eq!(got, want);
}

#[test]
fn newsmtsc_sentences_give_one_document_example_per_decided_sentence() {
    let first = [
        r#"{"id":"allsides_12_5_0_Joe Biden_0_5","task":"document","text":"Biden praised the deal.","label":"positive","group":"allsides_12_5","target_labels":["positive"]}"#,
        r#"{"id":"allsides_12_5_1_Trump_0_5","task":"document","text":"Trump and Pence attacked the plan.","label":"negative","group":"allsides_12_5","target_labels":["negative","negative"]}"#,
    ];
    // Neutral, negative, negative, positive: a majority, not unanimous.
    let majority = r#"{"id":"polusa_v1_4401_-1_3_Schumer_0_7","task":"document","text":"Schumer mocked McConnell, Ryan and Pelosi.","label":"negative","group":"polusa_v1_4401","target_labels":["neutral","negative","negative","positive"]}"#;
    // Positive and neutral: a tie, skipped by both rules. An id of another layout: no group.
    let last = r#"{"id":"other-7","task":"document","text":"Cruz spoke.","label":"neutral","target_labels":["neutral"]}"#;
    let cases = [
        (SentenceRule::Unanimous, vec![first[0], first[1], last]),
        (
            SentenceRule::Majority,
            vec![first[0], first[1], majority, last],
        ),
    ];
    for (rule, want) in cases {
        let got = import(
            Format::NewsmtscSentences(rule),
            &fixtures(&["newsmtsc/sentences.jsonl"]),
        );
        assert_eq!(got, want, "{rule}");
    }
    assert_eq!(
        "newsmtsc-sentences".parse::<Format>().unwrap(),
        Format::NewsmtscSentences(SentenceRule::Unanimous)
    );
}

#[test]
fn sentence_rules_decide_from_target_labels() {
    use SentenceRule::{Majority, Unanimous};
    let cases: [(&[&str], Option<&str>, Option<&str>); 6] = [
        (&["neutral"], Some("neutral"), Some("neutral")),
        (
            &["negative", "negative"],
            Some("negative"),
            Some("negative"),
        ),
        (&["negative", "positive"], None, None),
        (&["positive", "neutral", "positive"], None, Some("positive")),
        (&["neutral", "negative", "positive"], None, None),
        (&[], None, None),
    ];
    for (labels, unanimous, majority) in cases {
        assert_eq!(Unanimous.decide(labels), unanimous, "{labels:?}");
        assert_eq!(Majority.decide(labels), majority, "{labels:?}");
    }
    for name in SentenceRule::NAMES {
        assert_eq!(name.parse::<SentenceRule>().unwrap().name(), name);
    }
    assert!(
        "all"
            .parse::<SentenceRule>()
            .unwrap_err()
            .contains("majority")
    );
}

#[test]
fn mr_and_subj_label_by_file() {
    let got = import(
        Format::Mr,
        &fixtures(&["mr/rt-polarity.pos", "mr/rt-polarity.neg"]),
    );
    let want = [
        r#"{"id":"mr:rt-polarity.pos:1","task":"document","text":"the rock is destined to be the 21st century's new \" conan \" . ","label":"pos"}"#,
        r#"{"id":"mr:rt-polarity.pos:2","task":"document","text":"simplistic , silly and tedious café fare . ","label":"pos"}"#,
        r#"{"id":"mr:rt-polarity.neg:1","task":"document","text":"it's so laddish and juvenile , only teenage boys could possibly find it funny . ","label":"neg"}"#,
        r#"{"id":"mr:rt-polarity.neg:2","task":"document","text":"exploitative – and largely devoid of the depth or sophistication . ","label":"neg"}"#,
    ];
    assert_eq!(got, want);

    let got = import(
        Format::Subj,
        &fixtures(&["subj/plot.tok.gt9.5000", "subj/quote.tok.gt9.5000"]),
    );
    let want = [
        r#"{"id":"subj:plot.tok.gt9.5000:1","task":"document","text":"the movie begins in the past where a young boy named sam attempts to save celebi . ","label":"objective"}"#,
        r#"{"id":"subj:plot.tok.gt9.5000:2","task":"document","text":"emerging from the human psyche , graffiti removal has secured its place . ","label":"objective"}"#,
        r#"{"id":"subj:quote.tok.gt9.5000:1","task":"document","text":"smart and alert , thirteen conversations about one thing is a small gem . ","label":"subjective"}"#,
    ];
    assert_eq!(got, want);
}

#[test]
fn emergent_pairs_claims_with_headlines() {
    let got = import(
        Format::Emergent,
        &fixtures(&["emergent/url-versions-sample.csv"]),
    );
    let want = [
        r#"{"id":"116a3920-c41c","task":"pair","text_a":"Apple will sell 19 million Apple Watches in 2015","text_b":"BMO forecasts 19M Apple Watch sales in 2015, with more than half selling in holiday season","label":"observing","group":"8faeb4b0-c41b"}"#,
        r#"{"id":"8bb10fd0-b6aa","task":"pair","text_a":"Two Australian men kept a burger for 20 years","text_b":"World's oldest burger","label":"for","group":"d54aaf40-b6a8"}"#,
        r#"{"id":"00b6b660-b6a9","task":"pair","text_a":"Two Australian men kept a burger for 20 years","text_b":"\"Oldest burger\" story is a hoax","label":"against","group":"d54aaf40-b6a8"}"#,
    ];
    assert_eq!(got, want);
}

#[test]
fn vast_reads_both_layouts() {
    let got = import(
        Format::Vast,
        &fixtures(&["vast/vast_train.csv", "vast/vast_dev.csv"]),
    );
    let want = [
        r#"{"id":"4650","task":"target","text":"Regulation of corporations has been subverted.\nMoney from \"principals\" cannot be permitted.","target":"company","label":"0","group":"16621568","author":"Joseph Huben","ori_topic":"companies","ori_id":"A376-P","new_topic":"companies","type_idx":"1","seen?":"1","contains_topic?":"0"}"#,
        r#"{"id":"4651","task":"target","text":"Regulation of corporations has been subverted.\nMoney from \"principals\" cannot be permitted.","target":"democracy","label":"2","group":"16621568","author":"Joseph Huben","ori_topic":"companies","ori_id":"A376-P","new_topic":"democracy","type_idx":"4","seen?":"1","contains_topic?":"0"}"#,
        r#"{"id":"vast:vast_dev:1","task":"target","text":"The comments can \"improve the quality of work\"","target":"comment section","label":"0","seen?":"1"}"#,
        r#"{"id":"vast:vast_dev:2","task":"target","text":"Is there zero personal accountability, in today's society?","target":"obesity","label":"1","seen?":"0"}"#,
    ];
    assert_eq!(got, want);
}

#[test]
fn sst_reads_stsa_and_glue_layouts() {
    let got = import(
        Format::Sst,
        &fixtures(&["sst/stsa.binary.dev", "sst/dev.tsv"]),
    );
    let want = [
        r#"{"id":"sst:stsa.binary.dev:1","task":"document","text":"one long string of cliches .","label":"0"}"#,
        r#"{"id":"sst:stsa.binary.dev:2","task":"document","text":"it 's a charming and often affecting journey .","label":"1"}"#,
        r#"{"id":"sst:dev:1","task":"document","text":"it 's a charming and \" often affecting journey . ","label":"1"}"#,
        r#"{"id":"sst:dev:2","task":"document","text":"unflinchingly bleak and desperate ","label":"0"}"#,
    ];
    assert_eq!(got, want);
}

#[test]
fn csv_uses_the_chosen_columns() {
    let options = |task, target: Option<&str>, id: Option<&str>| CsvOptions {
        text_column: "body".into(),
        label_column: Some("verdict".into()),
        target_column: target.map(str::to_owned),
        id_column: id.map(str::to_owned),
        group_column: None,
        task,
        delimiter: None,
    };
    let cases = [
        (
            options(Task::Document, None, None),
            [
                r#"{"id":"mine:1","task":"document","text":"Kyiv backs the truce.\r\nMoscow does not.","label":"support"}"#,
                r#"{"id":"mine:2","task":"document","text":"Nothing new","label":"neutral"}"#,
            ],
        ),
        (
            options(Task::Target, Some("headline"), Some("doc")),
            [
                r#"{"id":"d1","task":"target","text":"Kyiv backs the truce.\r\nMoscow does not.","target":"Truce talks","label":"support"}"#,
                r#"{"id":"d2","task":"target","text":"Nothing new","target":"Talks, again","label":"neutral"}"#,
            ],
        ),
        (
            options(Task::Pair, Some("headline"), Some("doc")),
            [
                r#"{"id":"d1","task":"pair","text_a":"Truce talks","text_b":"Kyiv backs the truce.\r\nMoscow does not.","label":"support"}"#,
                r#"{"id":"d2","task":"pair","text_a":"Talks, again","text_b":"Nothing new","label":"neutral"}"#,
            ],
        ),
    ];
    for (options, want) in cases {
        assert_eq!(
            import(Format::Csv(options), &fixtures(&["csv/mine.csv"])),
            want
        );
    }
    for (task, target) in [
        (Task::Mention, None),
        (Task::Target, None),
        (Task::Document, Some("headline")),
    ] {
        let err = Importer::new(
            &Format::Csv(options(task, target, None)),
            &fixtures(&["csv/mine.csv"]),
            Mode::Strict,
        )
        .err()
        .expect("options refused");
        assert!(matches!(err, stance_corpus::Error::Options { .. }), "{err}");
    }
}

/// A temporary file with `content`, named `name`.
struct Temp {
    dir: tempfile::TempDir,
}

impl Temp {
    fn new() -> Temp {
        Temp {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn file(&self, name: &str, content: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        path
    }
}

/// Lenient import: each example's id or each error's message (the directory left out), and
/// the counts.
fn lenient(format: Format, files: &[PathBuf], dir: &Path) -> (Vec<String>, u64, u64, bool) {
    let mut importer = Importer::new(&format, files, Mode::Lenient).unwrap();
    let prefix = format!("{}/", dir.display());
    let got = importer
        .by_ref()
        .map(|r| match r {
            Ok(example) => example.id,
            Err(e) => e.to_string().replace(&prefix, ""),
        })
        .collect();
    let counts = importer.counts();
    (got, counts.read, counts.errors, importer.failed())
}

#[test]
fn bad_rows_name_file_line_and_field() {
    let t = Temp::new();
    let dir = t.dir.path();
    let cases: Vec<(Format, Vec<PathBuf>, Vec<&str>, u64)> = vec![
        (
            Format::Semeval2016,
            vec![t.file(
                "s.txt",
                b"ID\tTarget\tTweet\tStance\r\n1\tAtheism\tok #SemST\tNONE\r\n2\tAtheism\tno stance\r\n\r\n4\tAtheism\tx\t\r\n5\tAtheism\tfine\tFAVOR\r\n",
            )],
            vec![
                "1",
                "s.txt:3: the line has 3 tab-separated fields but the header has 4 columns",
                "s.txt:4: the line has 1 tab-separated fields but the header has 4 columns",
                "s.txt:5: field \"Stance\": empty",
                "5",
            ],
            5,
        ),
        (
            Format::Newsmtsc,
            vec![t.file(
                "n.jsonl",
                "{\"primary_gid\": \"g\", \"sentence_normalized\": \"Biden won.\", \"targets\": [{\"Input.gid\": \"a\", \"from\": 0, \"to\": 5, \"mention\": \"Biden\", \"polarity\": 6.0}, {\"Input.gid\": \"b\", \"from\": 6, \"to\": 40, \"mention\": \"won\", \"polarity\": 4.0}, {\"Input.gid\": \"c\", \"from\": 0, \"to\": 5, \"mention\": \"Biden\"}]}\n{\"primary_gid\": \"h\", \"sentence_normalized\": \"x\", \"targets\": []}\n{\"primary_gid\": 3}\n".as_bytes(),
            )],
            vec![
                "a",
                "n.jsonl:1: field \"targets[1].to\": [from, to] = [6, 40] covers \"won.\", not the mention \"won\" (the sentence has 10 code points)",
                "n.jsonl:1: field \"targets[2].polarity\": missing (required)",
                "n.jsonl:2: field \"targets\": empty: the sentence has no target",
                "n.jsonl:3: field \"primary_gid\": expected a string, found a number",
            ],
            3,
        ),
        (
            Format::NewsmtscSentences(SentenceRule::Majority),
            vec![t.file(
                "ns.jsonl",
                "{\"primary_gid\": \"g\", \"sentence_normalized\": \"Biden won.\", \"targets\": [{\"Input.gid\": \"a\", \"from\": 0, \"to\": 5, \"mention\": \"Biden\", \"polarity\": 5.0}]}\n{\"primary_gid\": \"h\", \"sentence_normalized\": \"Biden won.\", \"targets\": [{\"Input.gid\": \"b\", \"from\": 0, \"to\": 5, \"mention\": \"Biden\"}, {\"Input.gid\": \"c\", \"from\": 0, \"to\": 5, \"mention\": \"Biden\", \"polarity\": 6.0}]}\n{\"primary_gid\": \"i\", \"sentence_normalized\": \"Biden won.\", \"targets\": [{\"Input.gid\": \"d\", \"from\": 0, \"to\": 5, \"mention\": \"Biden\", \"polarity\": 6.0}]}\n".as_bytes(),
            )],
            vec![
                "ns.jsonl:1: field \"targets[0].polarity\": \"5.0\" is not a polarity: expected 2.0, 4.0 or 6.0",
                "ns.jsonl:2: field \"targets[0].polarity\": missing (required)",
                "i",
            ],
            3,
        ),
        (
            Format::Fnc1,
            vec![
                t.file("b.csv", b"Body ID,articleBody\n1,body one\n"),
                t.file("x_stances.csv", b"Headline,Body ID,Stance\nh1,1,agree\nh2,9,agree\nh3,1\n,1,discuss\n"),
            ],
            vec![
                "fnc1:x:1",
                "x_stances.csv:3: field \"Body ID\": no body with ID 9 in b.csv",
                "x_stances.csv:4: the row has 2 fields but the header has 3 columns",
                "x_stances.csv:5: field \"Headline\": empty",
            ],
            4,
        ),
        (
            Format::Mr,
            vec![t.file("m.pos", b"good\n\nfine\n")],
            vec!["mr:m.pos:1", "m.pos:2: blank line (every line must hold a sentence)", "mr:m.pos:3"],
            3,
        ),
        (
            Format::Sst,
            vec![t.file("st.dev", b"1 good\nnolabel\n0 bad\n")],
            vec![
                "sst:st.dev:1",
                "st.dev:2: expected \"<label> <sentence>\", found \"nolabel\"",
                "sst:st.dev:3",
            ],
            3,
        ),
        (
            Format::Emergent,
            vec![t.file(
                "e.csv",
                b"claimHeadline,articleHeadline,articleHeadlineStance,articleId,claimId\nc,h,for,a1,c1\nc,h,,a2,c1\nc,\"h\xff\",for,a3,c1\n",
            )],
            vec![
                "a1",
                "e.csv:3: field \"articleHeadlineStance\": empty",
                "e.csv:4: field \"articleHeadline\": invalid UTF-8 at byte 2 of the field",
            ],
            3,
        ),
    ];
    for (format, files, want, read) in cases {
        let name = format.name();
        // Ids have no ": ", messages do.
        let errors = want.iter().filter(|w| w.contains(": ")).count() as u64;
        let (got, got_read, got_errors, failed) = lenient(format, &files, dir);
        assert_eq!(got, want, "{name}");
        assert_eq!(
            (got_read, got_errors, failed),
            (read, errors, false),
            "{name}"
        );
    }
}

#[test]
fn strict_import_stops_at_the_first_bad_row() {
    let t = Temp::new();
    let file = t.file("m.neg", b"one\n\nthree\n");
    let mut importer = Importer::new(&Format::Mr, &[file], Mode::Strict).unwrap();
    let got: Vec<bool> = importer.by_ref().map(|r| r.is_ok()).collect();
    assert_eq!(got, [true, false]);
    assert_eq!(importer.counts().errors, 1);
}

#[test]
fn unreadable_inputs_end_the_import_even_when_lenient() {
    let t = Temp::new();
    let dir = t.dir.path();
    let cases: Vec<(Format, Vec<PathBuf>, &str)> = vec![
        (
            Format::Mr,
            vec![t.file("good.pos", b"a\n"), dir.join("missing.neg")],
            "cannot open",
        ),
        (
            Format::Mr,
            vec![t.file("reviews.txt", b"a\n")],
            "reviews.txt: an MR file's name must end in .pos or .neg",
        ),
        (
            Format::Emergent,
            vec![t.file("e.csv", b"claim,headline\nc,h\n")],
            "e.csv:1: no column \"claimHeadline\"; the columns are: \"claim\", \"headline\"",
        ),
        (
            Format::Semeval2016,
            vec![t.file("s.txt", b"1\tAtheism\ttweet\tNONE\n")],
            "s.txt:1: the header has no column \"ID\"",
        ),
    ];
    for (format, files, needle) in cases {
        let (got, _, _, failed) = lenient(format.clone(), &files, dir);
        assert!(failed, "{format}: {got:?}");
        let last = got.last().expect("an error");
        assert!(last.contains(needle), "{format}: {last}");
    }
    let err = Importer::new(
        &Format::Fnc1,
        &[t.file("only_stances.csv", b"Headline,Body ID,Stance\n")],
        Mode::Lenient,
    )
    .err()
    .expect("fnc1 needs bodies");
    assert!(err.to_string().contains("bodies file"), "{err}");
}

#[test]
fn gzip_sources_are_read_like_plain_ones() {
    use std::io::Write;
    let t = Temp::new();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&std::fs::read(fixture("sst/dev.tsv")).unwrap())
        .unwrap();
    let path = t.file("dev.tsv.gz", &gz.finish().unwrap());
    let plain = import(Format::Sst, &fixtures(&["sst/dev.tsv"]));
    assert_eq!(import(Format::Sst, &[path]), plain);
}

// ---------------------------------------------------------------------------------------------
// The whole public datasets, when present.

/// The folder of dataset `name` under `../shared/datasets`, or `None` (with a message) when
/// the datasets are not on this machine.
fn dataset(name: &str) -> Option<PathBuf> {
    let root = std::env::var_os("STANCE_DATASETS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/datasets"),
        PathBuf::from,
    );
    let dir = root.join(name);
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: dataset {} not found (set STANCE_DATASETS to the datasets folder)",
            dir.display()
        );
        None
    }
}

/// Imports `files` strictly: the examples, and the number of rows read.
fn import_all(format: Format, files: Vec<PathBuf>) -> (Vec<Example>, u64) {
    let mut importer = Importer::new(&format, &files, Mode::Strict).unwrap();
    let examples: Vec<Example> = importer.by_ref().collect::<Result<_, _>>().unwrap();
    (examples, importer.counts().read)
}

/// How many examples have each label.
fn label_counts(examples: &[Example]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for e in examples {
        *counts
            .entry(e.label.clone().unwrap_or_default())
            .or_default() += 1;
    }
    counts
}

fn counts(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs.iter().map(|&(l, n)| (l.to_owned(), n)).collect()
}

#[test]
fn full_semeval2016_training_data() {
    let Some(dir) = dataset("semeval2016_task6") else {
        return;
    };
    let (examples, read) = import_all(
        Format::Semeval2016,
        vec![
            dir.join("trialdata-all-annotations.txt"),
            dir.join("trainingdata-all-annotations.txt"),
        ],
    );
    assert_eq!((examples.len(), read), (2914, 2914));
    assert_eq!(
        label_counts(&examples),
        counts(&[("AGAINST", 1395), ("FAVOR", 753), ("NONE", 766)])
    );
    let mut per_target: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    for e in &examples {
        let Input::Target { target, .. } = &e.input else {
            panic!("not a target example")
        };
        let i = ["FAVOR", "AGAINST", "NONE"]
            .iter()
            .position(|l| Some(*l) == e.label.as_deref())
            .unwrap();
        per_target.entry(target.clone()).or_default()[i] += 1;
    }
    let want: BTreeMap<String, [usize; 3]> = [
        ("Atheism", [92, 304, 117]),
        ("Climate Change is a Real Concern", [212, 15, 168]),
        ("Feminist Movement", [210, 328, 126]),
        ("Hillary Clinton", [118, 393, 178]),
        ("Legalization of Abortion", [121, 355, 177]),
    ]
    .into_iter()
    .map(|(t, c)| (t.to_owned(), c))
    .collect();
    assert_eq!(per_target, want);
    let ids: Vec<&str> = [0, 99, 100, 2913].map(|i| examples[i].id.as_str()).to_vec();
    assert_eq!(ids, ["1", "100", "101", "2914"]);
    let sentiments = examples
        .iter()
        .filter(|e| e.extra["sentiment"] == "NEGATIVE")
        .count();
    assert_eq!(sentiments, 1762);
}

#[test]
fn full_fnc1_training_data() {
    let Some(dir) = dataset("fnc1") else {
        return;
    };
    let (examples, read) = import_all(
        Format::Fnc1,
        vec![dir.join("train_stances.csv"), dir.join("train_bodies.csv")],
    );
    assert_eq!((examples.len(), read), (49972, 49972));
    assert_eq!(
        label_counts(&examples),
        counts(&[
            ("agree", 3678),
            ("disagree", 840),
            ("discuss", 8909),
            ("unrelated", 36545)
        ])
    );
    let headlines: std::collections::HashSet<&str> = examples
        .iter()
        .map(|e| match &e.input {
            Input::Pair { text_a, .. } => text_a.as_str(),
            _ => panic!("not a pair"),
        })
        .collect();
    assert_eq!(headlines.len(), 1648);
    let first = &examples[0];
    assert_eq!(first.id, "fnc1:train:1");
    assert_eq!(first.group.as_deref(), Some("712"));
    assert_eq!(first.label.as_deref(), Some("unrelated"));
}

#[test]
fn full_newsmtsc_files() {
    let Some(dir) = dataset("newsmtsc") else {
        return;
    };
    let cases = [
        ("train.jsonl", 7758, [3316, 3028, 2395]),
        ("newsmtsc-rw/dev.jsonl", 320, [134, 136, 73]),
        ("newsmtsc-mt/dev.jsonl", 216, [136, 217, 89]),
    ];
    for (file, sentences, [negative, neutral, positive]) in cases {
        let (examples, read) = import_all(Format::Newsmtsc, vec![dir.join(file)]);
        assert_eq!(read, sentences, "{file}");
        assert_eq!(examples.len(), negative + neutral + positive, "{file}");
        assert_eq!(
            label_counts(&examples),
            counts(&[("2.0", negative), ("4.0", neutral), ("6.0", positive)]),
            "{file}"
        );
        for e in &examples {
            let Input::Target {
                text,
                target,
                target_span: Some(span),
            } = &e.input
            else {
                panic!("{file}: {} has no target span", e.id)
            };
            assert_eq!(span.slice(text), Some(target.as_str()), "{file}: {}", e.id);
        }
    }
}

#[test]
fn full_newsmtsc_files_as_sentences() {
    let Some(dir) = dataset("newsmtsc") else {
        return;
    };
    // (file, rule, sentences read, [negative, neutral, positive] kept)
    let cases = [
        (
            "train.jsonl",
            SentenceRule::Unanimous,
            7758,
            [2679, 2662, 2016],
        ),
        (
            "train.jsonl",
            SentenceRule::Majority,
            7758,
            [2682, 2663, 2017],
        ),
        (
            "newsmtsc-rw/dev.jsonl",
            SentenceRule::Unanimous,
            320,
            [121, 125, 66],
        ),
        (
            "newsmtsc-rw/dev.jsonl",
            SentenceRule::Majority,
            320,
            [121, 125, 66],
        ),
        (
            "newsmtsc-mt/dev.jsonl",
            SentenceRule::Unanimous,
            216,
            [34, 74, 26],
        ),
        (
            "newsmtsc-mt/dev.jsonl",
            SentenceRule::Majority,
            216,
            [36, 75, 26],
        ),
    ];
    for (file, rule, sentences, [negative, neutral, positive]) in cases {
        let (examples, read) = import_all(Format::NewsmtscSentences(rule), vec![dir.join(file)]);
        assert_eq!(read, sentences, "{file} {rule}");
        assert_eq!(
            label_counts(&examples),
            counts(&[
                ("negative", negative),
                ("neutral", neutral),
                ("positive", positive)
            ]),
            "{file} {rule}"
        );
        let ungrouped = examples.iter().filter(|e| e.group.is_none()).count();
        assert_eq!(ungrouped, 0, "{file} {rule}: every id names its article");
        assert!(examples.iter().all(|e| e.task() == Task::Document));
    }
}

#[test]
fn full_mr_and_subj() {
    if let Some(dir) = dataset("mr_sentence_polarity") {
        let (examples, read) = import_all(
            Format::Mr,
            vec![dir.join("rt-polarity.pos"), dir.join("rt-polarity.neg")],
        );
        assert_eq!(read, 10662);
        assert_eq!(
            label_counts(&examples),
            counts(&[("neg", 5331), ("pos", 5331)])
        );
    }
    if let Some(dir) = dataset("subjectivity") {
        let (examples, read) = import_all(
            Format::Subj,
            vec![
                dir.join("quote.tok.gt9.5000"),
                dir.join("plot.tok.gt9.5000"),
            ],
        );
        assert_eq!(read, 10000);
        assert_eq!(
            label_counts(&examples),
            counts(&[("objective", 5000), ("subjective", 5000)])
        );
    }
}

#[test]
fn full_emergent_training_data() {
    let Some(dir) = dataset("emergent") else {
        return;
    };
    let (examples, read) = import_all(
        Format::Emergent,
        vec![dir.join("url-versions-2015-06-14-clean-train.reconstructed.csv")],
    );
    assert_eq!(read, 2071);
    assert_eq!(
        label_counts(&examples),
        counts(&[("against", 304), ("for", 992), ("observing", 775)])
    );
    let claims: std::collections::HashSet<&str> =
        examples.iter().filter_map(|e| e.group.as_deref()).collect();
    assert_eq!(claims.len(), 240);
}

#[test]
fn full_vast_dev_data() {
    let Some(dir) = dataset("vast") else {
        return;
    };
    let (examples, read) = import_all(Format::Vast, vec![dir.join("vast_dev.csv")]);
    assert_eq!(read, 2062);
    // 0 con, 1 pro, 2 neutral.
    assert_eq!(
        label_counts(&examples),
        counts(&[("0", 684), ("1", 681), ("2", 697)])
    );
    let seen = examples.iter().filter(|e| e.extra["seen?"] == "1").count();
    assert_eq!(seen, 1043);
    let topics: std::collections::HashSet<&str> = examples
        .iter()
        .map(|e| match &e.input {
            Input::Target { target, .. } => target.as_str(),
            _ => panic!("not a target"),
        })
        .collect();
    assert_eq!(topics.len(), 497);
}

#[test]
fn full_sst_files() {
    let Some(dir) = dataset("sst2") else {
        return;
    };
    let cases = [
        ("stsa.binary.train", 3310, 3610),
        ("stsa.binary.dev", 428, 444),
        ("train_full.tsv", 29780, 37569),
        ("dev.tsv", 428, 444),
    ];
    for (file, negative, positive) in cases {
        let (examples, read) = import_all(Format::Sst, vec![dir.join(file)]);
        assert_eq!(read as usize, negative + positive, "{file}");
        assert_eq!(
            label_counts(&examples),
            counts(&[("0", negative), ("1", positive)]),
            "{file}"
        );
    }
}

/// The first member of a zip archive, inflated: the local header is 30 bytes, then the name
/// and the extra field, then the deflate stream (method 8) or the stored bytes (method 0).
fn first_zip_member(zip: &[u8]) -> Vec<u8> {
    use std::io::Read;
    assert_eq!(&zip[..4], b"PK\x03\x04", "a zip local file header");
    let u16_at = |i: usize| usize::from(u16::from_le_bytes([zip[i], zip[i + 1]]));
    let (method, name_len, extra_len) = (u16_at(8), u16_at(26), u16_at(28));
    let data = &zip[30 + name_len + extra_len..];
    let mut out = Vec::new();
    match method {
        8 => {
            flate2::read::DeflateDecoder::new(data)
                .read_to_end(&mut out)
                .unwrap();
        }
        other => panic!("zip compression method {other} not handled here"),
    }
    out
}

#[test]
fn full_vast_training_data() {
    let Some(dir) = dataset("vast") else {
        return;
    };
    let csv = first_zip_member(&std::fs::read(dir.join("vast_train.zip")).unwrap());
    let t = Temp::new();
    let path = t.file("vast_train.csv", &csv);
    let (examples, read) = import_all(Format::Vast, vec![path]);
    assert_eq!(read, 13477);
    assert_eq!(
        label_counts(&examples),
        counts(&[("0", 5595), ("1", 5327), ("2", 2555)])
    );
    let mut types: BTreeMap<String, usize> = BTreeMap::new();
    for e in &examples {
        *types
            .entry(e.extra["type_idx"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    assert_eq!(
        types,
        counts(&[("1", 2502), ("2", 2107), ("3", 6555), ("4", 2313)])
    );
    let topics: std::collections::HashSet<&str> = examples
        .iter()
        .map(|e| match &e.input {
            Input::Target { target, .. } => target.as_str(),
            _ => panic!("not a target"),
        })
        .collect();
    assert_eq!(topics.len(), 4641);
    assert_eq!(examples[0].id, "4650");
}
