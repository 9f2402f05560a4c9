//! Tests of `stance score` with the built-in model, each in a fresh temporary directory.

mod common;

use common::Sandbox;
use serde_json::Value;

fn articles_dir() -> String {
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../corpora/peace-talks/articles"
    )
    .to_owned()
}

fn records(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Code points `[start, end)` of `text`.
fn slice(text: &str, start: u64, end: u64) -> String {
    text.chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect()
}

clitest!(
    the_sample_articles_are_scored_with_evidence_in_the_original,
    |s| {
        let dir = articles_dir();
        let run = s.run(&["score", &dir]).ok();
        let records = records(&run.stdout);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(ids, names);
        assert!(run.stderr.contains("scored 5 articles"), "{}", run.stderr);
        for (r, name) in records.iter().zip(&names) {
            assert_eq!(r["schema_version"], 1);
            assert_eq!(r["error"], Value::Null);
            let sentiment = &r["sentiment"];
            let label = sentiment["label"].as_str().unwrap();
            assert!(
                ["negative", "neutral", "positive"].contains(&label),
                "{sentiment}"
            );
            assert!(
                sentiment["sentences"].as_u64().unwrap() >= 10,
                "{sentiment}"
            );
            let text = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
            let stances = r["stances"].as_array().unwrap();
            assert!(stances.len() >= 10, "{name}: {} stances", stances.len());
            for st in stances {
                let e = &st["evidence"];
                let (start, end) = (e["start"].as_u64().unwrap(), e["end"].as_u64().unwrap());
                assert_eq!(slice(&text, start, end), e["text"].as_str().unwrap());
                let a = st["actor_span"].as_array().unwrap();
                let actor = slice(&text, a[0].as_u64().unwrap(), a[1].as_u64().unwrap());
                assert_eq!(actor, st["actor_text"].as_str().unwrap());
                assert!(start <= a[0].as_u64().unwrap() && a[1].as_u64().unwrap() <= end);
                let p = st["proposal_span"].as_array().unwrap();
                assert_eq!(
                    slice(&text, p[0].as_u64().unwrap(), p[1].as_u64().unwrap()),
                    st["proposal_text"].as_str().unwrap()
                );
                let label = st["stance"].as_str().unwrap();
                assert!(["support", "oppose", "neutral"].contains(&label));
                let probabilities = st["probabilities"].as_object().unwrap();
                let sum: f64 = probabilities.values().map(|v| v.as_f64().unwrap()).sum();
                assert!((sum - 1.0).abs() < 1e-4);
                assert!(!st["top_features"].as_array().unwrap().is_empty());
            }
        }
        // The fuzzy names of the machine-translated article are found.
        let garbled: Vec<&str> = records[2]["stances"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|st| st["actor_match"] == "fuzzy")
            .map(|st| st["actor_text"].as_str().unwrap())
            .collect();
        assert!(
            !garbled.is_empty(),
            "no fuzzy actor in {}",
            records[2]["id"]
        );
    }
);

clitest!(output_does_not_depend_on_threads, |s| {
    let dir = articles_dir();
    let one = s.run(&["score", &dir, "--threads", "1"]).ok().stdout;
    let two = s.run(&["score", &dir, "--threads", "2"]).ok().stdout;
    assert_eq!(one, two);
});

clitest!(
    many_batches_keep_input_order_and_strict_stops_after_what_precedes,
    |s| {
        // More articles than one batch holds (512), with a malformed line in the second batch.
        let texts = [
            "Moscow rejected the truce on Monday.",
            "Kyiv backed the ceasefire, officials said. Markets were calm.",
            "London welcomed the peacekeeping force. Paris did not.",
            "Nothing about the talks here.",
        ];
        let mut input = String::new();
        for i in 0..1300 {
            if i == 700 {
                input.push_str("{broken\n");
            } else {
                let text = texts[i % texts.len()];
                input.push_str(&format!("{{\"id\": \"a{i}\", \"text\": \"{text}\"}}\n"));
            }
        }
        s.write("many.jsonl", &input);
        let one = s
            .run(&["score", "many.jsonl", "--threads", "1"])
            .ok()
            .stdout;
        let two = s
            .run(&["score", "many.jsonl", "--threads", "2"])
            .ok()
            .stdout;
        assert_eq!(one, two);
        let records = records(&one);
        assert_eq!(records.len(), 1300);
        for (i, r) in records.iter().enumerate() {
            if i == 700 {
                assert!(
                    r["error"].as_str().unwrap().contains("many.jsonl:701"),
                    "{r}"
                );
            } else {
                assert_eq!(r["id"], format!("a{i}"));
                assert_eq!(r["error"], Value::Null);
            }
        }
        let strict = s
            .run(&["score", "many.jsonl", "--threads", "2", "--strict"])
            .fails(1, &["many.jsonl:701"]);
        assert_eq!(
            strict.stdout,
            one.lines()
                .take(700)
                .map(|l| format!("{l}\n"))
                .collect::<String>()
        );
    }
);

clitest!(bad_inputs_become_error_records_and_the_run_goes_on, |s| {
    s.write("a.txt", "Moscow rejected the truce on Monday.");
    s.write("b.txt", "");
    s.write("c.txt", b"Kyiv backed the ceasefire \xff\xfe today.");
    s.write(
        "d.jsonl",
        concat!(
            "{\"id\": \"j1\", \"text\": \"London welcomed the peacekeeping force.\", \"source\": \"x\"}\n",
            "{\"id\": \"j2\", \"text\": 5}\n",
            "{broken\n",
            "{\"id\": \"j4\"}\n",
        ),
    );
    s.write("big.txt", "Moscow rejected the truce. ".repeat(100));
    let run = s
        .run(&[
            "score",
            "a.txt",
            "b.txt",
            "c.txt",
            "d.jsonl",
            "big.txt",
            "--max-article-bytes",
            "1000",
        ])
        .ok();
    let records = records(&run.stdout);
    let summary: Vec<(String, bool)> = records
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_owned(), r["error"].is_null()))
        .collect();
    assert_eq!(summary.len(), 8, "{summary:?}");
    assert_eq!(summary[0], ("a.txt".into(), true));
    assert_eq!(summary[1], ("b.txt".into(), false));
    assert_eq!(summary[2], ("c.txt".into(), true));
    assert!(
        records[2]["warnings"][0]
            .as_str()
            .unwrap()
            .contains("invalid UTF-8")
    );
    assert_eq!(summary[3], ("j1".into(), true));
    assert_eq!(records[3]["source"], "x");
    assert_eq!(records[3]["stances"][0]["actor"], "uk");
    assert!(records[4]["error"].as_str().unwrap().contains("d.jsonl:2"));
    assert!(
        records[4]["error"]
            .as_str()
            .unwrap()
            .contains("expected a string")
    );
    assert!(records[5]["error"].as_str().unwrap().contains("d.jsonl:3"));
    assert!(records[6]["error"].as_str().unwrap().contains("missing"));
    assert!(
        records[7]["error"]
            .as_str()
            .unwrap()
            .contains("over the limit")
    );
    assert!(run.stderr.contains("5 errors"), "{}", run.stderr);

    s.run(&["score", "a.txt", "b.txt", "--strict"])
        .fails(1, &["b.txt", "empty"]);
    s.run(&["score", "a.txt", "missing.txt"])
        .fails(2, &["missing.txt", "no such file"]);
});

clitest!(stdin_jsonl_with_named_fields_csv_and_table, |s| {
    let input = concat!(
        "{\"doc\": \"n1\", \"body\": \"The British prime minister backed a ceasefire.\", \"published\": \"2025-03-02\", \"outlet\": \"BBC\"}\n",
        "{\"doc\": \"n2\", \"body\": \"Nothing about the talks here.\", \"published\": \"2025-03-03\"}\n",
    );
    let args = [
        "score",
        "-",
        "--text-field",
        "body",
        "--id-field",
        "doc",
        "--date-field",
        "published",
    ];
    let run = s.run_with_stdin(&args, input).ok();
    let records = records(&run.stdout);
    assert_eq!(records[0]["id"], "n1");
    assert_eq!(records[0]["outlet"], "BBC");
    assert_eq!(records[0]["published"], "2025-03-02");
    let st = &records[0]["stances"][0];
    assert_eq!(st["actor"], "starmer", "{st}");
    assert_eq!(st["proposal"], "ceasefire");
    assert_eq!(records[1]["stances"], serde_json::json!([]));

    let mut csv_args = args.to_vec();
    csv_args.extend(["--format", "csv"]);
    let run = s.run_with_stdin(&csv_args, input).ok();
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert!(header.starts_with(&["id".into(), "date".into(), "actor".into()]));
    assert!(header.contains(&"p_support".into()));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][0], "n1");
    assert_eq!(&rows[0][2], "starmer");
    assert_eq!(&rows[1][0], "n2");
    assert_eq!(&rows[1][2], "");

    let mut table_args = args.to_vec();
    table_args.extend(["--format", "table"]);
    let run = s.run_with_stdin(&table_args, input).ok();
    assert!(run.stdout.contains("n1  1 sentences"), "{}", run.stdout);
    assert!(run.stdout.contains("Keir Starmer"), "{}", run.stdout);
});

#[test]
fn the_built_in_model_was_trained_on_the_current_corpus() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let model_path = format!("{root}/models/peace-talks-stance/model.stance");
    let model = stance_infer::Model::load(std::path::Path::new(&model_path)).unwrap();
    let files =
        stance_corpus::data_files(&[format!("{root}/corpora/peace-talks/written").into()]).unwrap();
    let mut examples = Vec::new();
    for f in &files {
        examples.extend(
            stance_corpus::read_examples(
                f,
                stance_corpus::Task::Mention,
                stance_corpus::Mode::Strict,
                &mut Vec::new(),
            )
            .unwrap(),
        );
    }
    assert_eq!(
        model.manifest().provenance["data_fingerprint"],
        stance_corpus::fingerprint(&examples).as_str(),
        "the written corpus changed: rebuild the model with models/peace-talks-stance/train.sh"
    );
    assert_eq!(model.manifest().stance_version, env!("CARGO_PKG_VERSION"));
    let gazetteer =
        std::fs::read_to_string(format!("{root}/corpora/peace-talks/gazetteer.toml")).unwrap();
    assert_eq!(
        model.gazetteer(),
        Some(gazetteer.as_str()),
        "the gazetteer changed: rebuild the model with models/peace-talks-stance/train.sh"
    );
}

// The README's first command.
clitest!(the_readme_scores_the_sample_articles_as_a_table, |s| {
    let run = s.run(&["score", &articles_dir(), "--format", "table"]).ok();
    let headers = run.stdout.lines().filter(|l| l.contains(".txt  ")).count();
    assert_eq!(headers, 5, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("003_4e20828765b51fc9.txt  19 sentences"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("scored 5 articles"), "{}", run.stderr);
});

clitest!(
    pass_through_fields_keep_their_order_and_yield_to_computed_ones,
    |s| {
        s.write(
        "a.jsonl",
        concat!(
            "{\"z\": 1, \"id\": \"a\", \"text\": \"Moscow rejected the truce.\", \"stances\": 5, ",
            "\"warnings\": \"kept\", \"error\": 1, \"schema_version\": 9, \"q\": {\"a\": [1, 2.5]}}\n",
            "{\"id\": \"b\", \"text\": 5, \"sentiment\": \"s\", \"top\": true}\n",
        ),
    );
        let run = s.run(&["score", "a.jsonl"]).ok();
        let records = records(&run.stdout);
        let keys = |r: &Value| r.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        // Pass-through fields in their order, after schema_version and id; a field named like a
        // computed one holds the computed value in its place; no warnings, so that one stays.
        assert_eq!(
            keys(&records[0]),
            [
                "schema_version",
                "id",
                "z",
                "stances",
                "warnings",
                "error",
                "q",
                "sentiment"
            ]
        );
        assert_eq!(records[0]["schema_version"], 1);
        assert_eq!(records[0]["warnings"], "kept");
        assert_eq!(records[0]["error"], Value::Null);
        assert_eq!(records[0]["q"]["a"][1], 2.5);
        let stances = records[0]["stances"].as_array().unwrap();
        assert_eq!(stances[0]["actor"], "russia");
        // Contributions are written as f64, the exact value of the f32 the model computed (read
        // from the text: serde_json's own float parsing may be one unit in the last place off).
        let after = run.stdout.split("\"top_features\":[[").nth(1).unwrap();
        let number = after
            .split(',')
            .nth(1)
            .unwrap()
            .trim_end_matches([']', '}']);
        let contribution: f64 = number.parse().unwrap();
        assert_eq!(f64::from(contribution as f32), contribution, "{number}");
        assert_eq!(
            keys(&records[1]),
            [
                "schema_version",
                "id",
                "sentiment",
                "top",
                "stances",
                "error"
            ]
        );
        assert_eq!(records[1]["sentiment"], Value::Null);
        assert!(records[1]["error"].as_str().unwrap().contains("a.jsonl:2"));
    }
);
