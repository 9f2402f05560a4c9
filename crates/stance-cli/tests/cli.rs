//! Tests of the `stance` binary: each runs it in a fresh temporary directory.

use std::collections::BTreeSet;

use serde_json::Value;
use stance_features::vectorize::{HashingParams, TfidfParams};

mod common;

use common::Sandbox;

/// A parsed Matrix Market file: its banner, its size line and its entries (1-based).
struct Mtx {
    banner: String,
    shape: (usize, usize, usize),
    entries: Vec<(usize, usize, f64)>,
}

fn parse_mtx(text: &str) -> Mtx {
    let mut lines = text.lines();
    let banner = lines.next().expect("a banner").to_owned();
    let numbers = |line: &str| -> Vec<String> { line.split(' ').map(str::to_owned).collect() };
    let size = numbers(lines.next().expect("a size line"));
    assert_eq!(size.len(), 3, "size line {size:?}");
    let shape = (
        size[0].parse().unwrap(),
        size[1].parse().unwrap(),
        size[2].parse().unwrap(),
    );
    let entries = lines
        .map(|line| {
            let f = numbers(line);
            assert_eq!(f.len(), 3, "entry {line:?}");
            (
                f[0].parse().unwrap(),
                f[1].parse().unwrap(),
                f[2].parse().unwrap(),
            )
        })
        .collect();
    Mtx {
        banner,
        shape,
        entries,
    }
}

/// The entries of a library matrix, 1-based, row by row.
fn entries(m: &sprs::CsMat<f64>) -> Vec<(usize, usize, f64)> {
    m.iter().map(|(&v, (r, c))| (r + 1, c + 1, v)).collect()
}

const BANNER: &str = "%%MatrixMarket matrix coordinate real general";
const DOCS: [&str; 3] = [
    "Moscow rejects the truce",
    "the truce",
    "Kyiv backs the truce, the talks stall",
];

fn docs_file(sandbox: &Sandbox) {
    sandbox.write("docs.txt", DOCS.join("\n") + "\n");
}

clitest!(help_succeeds, |s| {
    let top = s.run(&["--help"]).ok();
    assert!(top.stdout.contains("vectorize") && top.stdout.contains("bench"));
    let vectorize = s.run(&["vectorize", "--help"]).ok();
    for needle in [
        "vocabulary.txt",
        "matrix.mtx",
        "--hashing",
        "--min-df",
        "--text-field",
    ] {
        assert!(
            vectorize.stdout.contains(needle),
            "{needle}: {vectorize:#?}"
        );
    }
    let bench = s.run(&["bench", "--help"]).ok();
    assert!(bench.stdout.contains("--min-seconds"));
});

clitest!(vectorize_writes_tfidf_like_scikit_learn, |s| {
    docs_file(&s);
    let run = s.run(&["vectorize", "docs.txt", "-o", "out"]).ok();
    assert!(run.stderr.contains("3 documents"), "{run:#?}");
    assert_eq!(s.files("out"), ["matrix.mtx", "vocabulary.txt"]);
    assert_eq!(
        s.read("out/vocabulary.txt"),
        "backs\nkyiv\nmoscow\nrejects\nstall\ntalks\nthe\ntruce\n"
    );
    let mtx = parse_mtx(&s.read("out/matrix.mtx"));
    assert_eq!(mtx.banner, BANNER);
    let (_, want) = TfidfParams::default()
        .fit_transform::<f64, _>(&DOCS)
        .unwrap();
    assert_eq!(mtx.shape, (3, 8, want.nnz()));
    // Shortest round-trip printing: the values read back bit for bit.
    assert_eq!(mtx.entries, entries(&want));
    // By hand: "the" and "truce" are in every document, so they weigh the same in row 2.
    let row2: Vec<_> = mtx.entries.iter().filter(|e| e.0 == 2).collect();
    assert_eq!(row2.len(), 2);
    for &&(_, col, v) in &row2 {
        assert!([7, 8].contains(&col));
        assert!((v - 0.5f64.sqrt()).abs() < 1e-12, "{v}");
    }
});

clitest!(vectorize_counts_with_options, |s| {
    s.write("docs.txt", "truce truce talks\nTalks\n");
    s.run(&[
        "vectorize",
        "docs.txt",
        "-o",
        "out",
        "--norm",
        "none",
        "--no-idf",
        "--ngram-range",
        "1,2",
        "--threads",
        "1",
    ])
    .ok();
    assert_eq!(
        s.read("out/vocabulary.txt"),
        "talks\ntruce\ntruce talks\ntruce truce\n"
    );
    assert_eq!(
        s.read("out/matrix.mtx"),
        format!("{BANNER}\n2 4 5\n1 1 1\n1 2 2\n1 3 1\n1 4 1\n2 1 1\n")
    );
    s.run(&[
        "vectorize",
        "docs.txt",
        "-o",
        "out",
        "--dtype",
        "f32",
        "--no-lowercase",
    ])
    .ok();
    assert_eq!(s.read("out/vocabulary.txt"), "Talks\ntalks\ntruce\n");
    let mtx = parse_mtx(&s.read("out/matrix.mtx"));
    assert_eq!(mtx.shape, (2, 3, 3));
    assert_eq!(mtx.entries[2], (2, 1, 1.0));
});

clitest!(vectorize_reads_stdin_and_creates_nested_output, |s| {
    s.run_with_stdin(&["vectorize", "-", "-o", "a/b/out"], "truce talks\n\n")
        .ok();
    assert_eq!(s.read("a/b/out/vocabulary.txt"), "talks\ntruce\n");
    // An empty line is an empty document: a row with no values.
    assert!(s.read("a/b/out/matrix.mtx").contains("\n2 2 2\n"));
});

clitest!(vectorize_hashing_writes_no_vocabulary, |s| {
    docs_file(&s);
    s.run(&["vectorize", "docs.txt", "-o", "out"]).ok();
    s.run(&["vectorize", "docs.txt", "-o", "out", "--hashing", "32"])
        .ok();
    assert_eq!(
        s.files("out"),
        ["matrix.mtx"],
        "the stale vocabulary is gone"
    );
    let want = HashingParams {
        n_features: 32,
        ..HashingParams::default()
    }
    .check()
    .unwrap()
    .transform::<f64, _>(&DOCS);
    let mtx = parse_mtx(&s.read("out/matrix.mtx"));
    assert_eq!(mtx.banner, BANNER);
    assert_eq!(mtx.shape, (3, 32, want.nnz()));
    assert_eq!(mtx.entries, entries(&want));
    s.run(&[
        "vectorize",
        "docs.txt",
        "-o",
        "out",
        "--hashing",
        "32",
        "--no-alternate-sign",
        "--norm",
        "none",
    ])
    .ok();
    let mtx = parse_mtx(&s.read("out/matrix.mtx"));
    assert!(mtx.entries.iter().all(|e| e.2 >= 1.0));
    let total: f64 = mtx.entries.iter().map(|e| e.2).sum();
    assert_eq!(total, 4.0 + 2.0 + 7.0, "one per token");
});

clitest!(vectorize_jsonl_field_escapes_vocabulary, |s| {
    s.write(
        "docs.jsonl",
        "{\"id\": 1, \"text\": \"a\\nb\\\\\"}\n\n{\"text\": \"ab\", \"other\": 3}\n",
    );
    s.run(&[
        "vectorize",
        "docs.jsonl",
        "--text-field",
        "text",
        "--analyzer",
        "char",
        "-o",
        "out",
    ])
    .ok();
    // Features "\n", "\\", "a", "b", one per line.
    assert_eq!(s.read("out/vocabulary.txt"), "\\n\n\\\\\na\nb\n");
    assert_eq!(parse_mtx(&s.read("out/matrix.mtx")).shape, (2, 4, 6));
});

clitest!(vectorize_csv_column, |s| {
    s.write(
        "docs.csv",
        "id,body\n1,\"truce, talks\"\n2,\"the\ntruce\"\n",
    );
    s.run(&["vectorize", "docs.csv", "--csv-column", "body", "-o", "out"])
        .ok();
    assert_eq!(s.read("out/vocabulary.txt"), "talks\nthe\ntruce\n");
    assert_eq!(parse_mtx(&s.read("out/matrix.mtx")).shape, (2, 3, 4));
    s.run(&["vectorize", "docs.csv", "--csv-column", "text", "-o", "out"])
        .fails(1, &["docs.csv", "\"text\"", "\"id\", \"body\""]);
});

clitest!(invalid_options_are_usage_errors, |s| {
    docs_file(&s);
    let v = |extra: &[&str]| {
        let mut args = vec!["vectorize", "docs.txt", "-o", "out"];
        args.extend_from_slice(extra);
        s.run(&args)
    };
    v(&["--ngram-range", "2,1"]).fails(2, &["--ngram-range", "(2, 1)"]);
    v(&["--ngram-range", "x"]).fails(2, &["--ngram-range"]);
    v(&["--min-df", "1.5"]).fails(2, &["min_df", "1.5"]);
    v(&["--max-df", "half"]).fails(2, &["--max-df"]);
    v(&["--hashing", "16", "--min-df", "2"]).fails(2, &["--hashing", "--min-df"]);
    v(&["--hashing", "0"]).fails(2, &["n_features"]);
    v(&["--no-alternate-sign"]).fails(2, &["--hashing"]);
    v(&["--stop-words", "klingon"]).fails(2, &["klingon", "english"]);
    v(&["--analyzer", "char", "--stem", "english"]).fails(2, &["--stem"]);
    v(&["--token-pattern", "("]).fails(2, &["token pattern"]);
    v(&["--threads", "0"]).fails(2, &["--threads"]);
    assert!(!s.path("out").exists());
});

clitest!(missing_input_names_the_path, |s| {
    s.run(&["vectorize", "no/such/docs.txt", "-o", "out"])
        .fails(1, &["error: ", "no/such/docs.txt"]);
    assert!(!s.path("out").exists());
});

clitest!(bad_records_name_file_line_and_field, |s| {
    s.write("docs.jsonl", "{\"text\": \"ok\"}\n{\"text\": \"cut\n");
    let jsonl = |s: &Sandbox| {
        s.run(&[
            "vectorize",
            "docs.jsonl",
            "--text-field",
            "text",
            "-o",
            "out",
        ])
    };
    jsonl(&s).fails(1, &["docs.jsonl:2", "JSON"]);
    s.write("docs.jsonl", "{\"text\": \"ok\"}\n\n{\"body\": \"x\"}\n");
    jsonl(&s).fails(1, &["docs.jsonl:3", "\"text\""]);
    s.write("docs.jsonl", "{\"text\": null}\n");
    jsonl(&s).fails(1, &["docs.jsonl:1", "\"text\"", "not a string"]);
    s.write("docs.txt", b"fine\nbad \xff byte\n");
    s.run(&["vectorize", "docs.txt", "-o", "out"])
        .fails(1, &["docs.txt:2", "UTF-8"]);
});

clitest!(failed_run_keeps_earlier_output_whole, |s| {
    docs_file(&s);
    s.run(&["vectorize", "docs.txt", "-o", "out"]).ok();
    let (matrix, vocabulary) = (s.read("out/matrix.mtx"), s.read("out/vocabulary.txt"));
    s.run(&[
        "vectorize",
        "docs.txt",
        "-o",
        "out",
        "--min-df",
        "2",
        "--max-df",
        "2",
    ])
    .fails(1, &["no terms remain"]);
    assert_eq!(s.files("out"), ["matrix.mtx", "vocabulary.txt"]);
    assert_eq!(s.read("out/matrix.mtx"), matrix);
    assert_eq!(s.read("out/vocabulary.txt"), vocabulary);
});

/// Parses `--json` bench output: one object per line with the required keys.
fn bench_records(stdout: &str) -> Vec<serde_json::Map<String, Value>> {
    stdout
        .lines()
        .map(|line| {
            let Value::Object(record) = serde_json::from_str(line).expect("a JSON line") else {
                panic!("not an object: {line}");
            };
            for key in ["stage", "threads", "mb_per_s", "docs_per_s", "tokens_per_s"] {
                assert!(record.contains_key(key), "{key} missing in {line}");
            }
            for key in ["mb_per_s", "docs_per_s", "tokens_per_s"] {
                let rate = record[key].as_f64().expect("a number");
                assert!(rate.is_finite() && rate > 0.0, "{key} in {line}");
            }
            record
        })
        .collect()
}

clitest!(bench_json_reports_every_stage_and_thread_count, |s| {
    s.write("corpus.txt", "the truce holds\nthe truce talks stall\n");
    let run = s
        .run(&[
            "bench",
            "corpus.txt",
            "--json",
            "--min-seconds",
            "0",
            "--threads",
            "1,2",
        ])
        .ok();
    let records = bench_records(&run.stdout);
    assert_eq!(records.len(), 8, "{run:#?}");
    let got: BTreeSet<(String, u64)> = records
        .iter()
        .map(|r| {
            assert_eq!(r["docs"], 2);
            assert_eq!(r["tokens"], 7);
            (
                r["stage"].as_str().unwrap().to_owned(),
                r["threads"].as_u64().unwrap(),
            )
        })
        .collect();
    let want: BTreeSet<(String, u64)> = ["tokenize", "tfidf_unigram", "tfidf_bigram", "hashing"]
        .iter()
        .flat_map(|stage| [1, 2].map(|n| (stage.to_string(), n)))
        .collect();
    assert_eq!(got, want);
});

clitest!(bench_reads_csv_columns, |s| {
    s.write("corpus.csv", "id,body\n1,the truce holds\n2,the truce\n");
    let run = s
        .run(&[
            "bench",
            "corpus.csv",
            "--csv-column",
            "body",
            "--json",
            "--min-seconds",
            "0",
            "--threads",
            "1",
        ])
        .ok();
    let records = bench_records(&run.stdout);
    assert_eq!(records.len(), 4);
    assert!(records.iter().all(|r| r["tokens"] == 5 && r["bytes"] == 24));
});

clitest!(bench_without_corpus_uses_the_sample_articles, |s| {
    let run = s
        .run(&["bench", "--min-seconds", "0", "--threads", "1"])
        .ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{run:#?}");
    assert!(lines[0].starts_with("stage") && lines[0].contains("tokens/s"));
    for (line, stage) in
        lines[1..]
            .iter()
            .zip(["tokenize", "tfidf_unigram", "tfidf_bigram", "hashing"])
    {
        assert!(line.starts_with(stage) && line.ends_with("1.00x"), "{line}");
    }
    assert!(run.stderr.contains("5 documents"), "{run:#?}");
});

clitest!(bench_refuses_a_corpus_without_tokens, |s| {
    s.write("corpus.txt", "a b\n");
    s.run(&["bench", "corpus.txt", "--min-seconds", "0"])
        .fails(1, &["corpus.txt", "no tokens"]);
    s.run(&["bench", "--text-field", "text"])
        .fails(2, &["CORPUS"]);
});

clitest!(vectorize_reads_a_directory_one_document_per_file, |s| {
    std::fs::create_dir_all(s.path("articles/nested")).unwrap();
    s.write("articles/b.txt", "the truce\nholds");
    s.write("articles/a.txt", "Moscow rejects the truce");
    s.write("articles/nested/c.txt", "Kyiv backs the talks");
    s.write("articles/notes.md", "ignored ignored");
    s.run(&[
        "vectorize",
        "articles",
        "-o",
        "out",
        "--norm",
        "none",
        "--no-idf",
    ])
    .ok();
    let vocabulary: Vec<String> = s
        .read("out/vocabulary.txt")
        .lines()
        .map(String::from)
        .collect();
    assert!(!vocabulary.contains(&"ignored".to_string()));
    let m = parse_mtx(&s.read("out/matrix.mtx"));
    // a.txt, b.txt, nested/c.txt in path order.
    assert_eq!(m.shape.0, 3);
    let holds = vocabulary.iter().position(|v| v == "holds").unwrap() + 1;
    let kyiv = vocabulary.iter().position(|v| v == "kyiv").unwrap() + 1;
    assert!(m.entries.contains(&(2, holds, 1.0)));
    assert!(m.entries.contains(&(3, kyiv, 1.0)));
});

// The README's first command: vectorize the sample articles.
clitest!(readme_vectorizes_the_sample_articles, |s| {
    let articles = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../corpora/peace-talks/articles"
    );
    let out = s.path("demo");
    let run = s
        .run(&["vectorize", articles, "-o", out.to_str().unwrap()])
        .ok();
    assert!(run.stderr.contains("5 documents"), "{run:#?}");
    let m = parse_mtx(&s.read("demo/matrix.mtx"));
    assert_eq!(m.shape.0, 5);
    let vocabulary = s.read("demo/vocabulary.txt");
    for word in ["ceasefire", "crimea", "peacekeeping", "zelensky"] {
        assert!(vocabulary.lines().any(|v| v == word), "{word}");
    }
});
