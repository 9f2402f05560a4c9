//! Tests of `stance train`, `predict`, `eval`, `cv` and `inspect`, each in a fresh temporary
//! directory.

mod common;

use common::Sandbox;
use serde_json::Value;

/// Twelve labelled `document` examples: a tiny sentiment corpus.
fn docs(sandbox: &Sandbox) {
    let rows = [
        ("a wonderful hopeful breakthrough", "positive"),
        ("a wonderful day for peace", "positive"),
        ("hopeful talks and real progress", "positive"),
        ("progress and relief at last", "positive"),
        ("welcome relief and hopeful signs", "positive"),
        ("a wonderful agreement", "positive"),
        ("a terrible deadly attack", "negative"),
        ("deadly strikes and terrible losses", "negative"),
        ("talks collapse in anger", "negative"),
        ("anger at the deadly shelling", "negative"),
        ("terrible news and collapse", "negative"),
        ("the collapse of the truce brings anger", "negative"),
    ];
    let lines: Vec<String> = rows
        .iter()
        .enumerate()
        .map(|(i, (text, label))| {
            serde_json::json!({"id": format!("d{i}"), "task": "document", "text": text, "label": label})
                .to_string()
        })
        .collect();
    sandbox.write("train.jsonl", lines.join("\n") + "\n");
}

const MIN_DF_1: &str = "template.blocks.0.vectorizer.count.min_df=1";

clitest!(train_predict_eval_inspect, |s| {
    docs(&s);
    let run = s
        .run(&[
            "train",
            "--task",
            "document",
            "--data",
            "train.jsonl",
            "--set",
            MIN_DF_1,
            "-o",
            "m.stance",
        ])
        .ok();
    assert!(
        run.stderr
            .contains("training logreg on 12 document examples (negative 6, positive 6)"),
        "{}",
        run.stderr
    );
    // Same data, parameters and seed: the same bytes.
    s.run(&[
        "train",
        "--task",
        "document",
        "--data",
        "train.jsonl",
        "--set",
        MIN_DF_1,
        "-o",
        "again.stance",
    ])
    .ok();
    assert_eq!(s.read_bytes("m.stance"), s.read_bytes("again.stance"));

    s.write(
        "new.jsonl",
        "{\"id\": \"n1\", \"task\": \"document\", \"text\": \"a hopeful breakthrough\"}\nnot json\n{\"id\": \"n2\", \"text\": \"deadly collapse\", \"label\": \"negative\"}\n",
    );
    let run = s
        .run(&[
            "predict",
            "--model",
            "m.stance",
            "--data",
            "new.jsonl",
            "--top",
            "2",
        ])
        .ok();
    let lines: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert_eq!(lines[0]["id"], "n1");
    assert_eq!(lines[0]["label"], "positive");
    assert!(
        lines[0]["top_features"][0]["feature"]
            .as_str()
            .unwrap()
            .starts_with("text:")
    );
    let p = &lines[0]["probabilities"];
    let sum = p["positive"].as_f64().unwrap() + p["negative"].as_f64().unwrap();
    assert!((sum - 1.0).abs() < 1e-5);
    assert!(
        lines[1]["error"].as_str().unwrap().contains("new.jsonl:2"),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2]["label"], "negative");
    assert_eq!(lines[2]["gold"], "negative");
    s.run(&[
        "predict",
        "--model",
        "m.stance",
        "--data",
        "new.jsonl",
        "--strict",
    ])
    .fails(1, &["new.jsonl:2"]);

    let run = s
        .run(&[
            "eval",
            "--model",
            "m.stance",
            "--data",
            "train.jsonl",
            "--metrics-out",
            "metrics.json",
            "--predictions-out",
            "pred.jsonl",
        ])
        .ok();
    assert!(run.stdout.contains("macro avg"), "{}", run.stdout);
    let metrics: Value = serde_json::from_str(&s.read("metrics.json")).unwrap();
    for key in [
        "accuracy",
        "macro avg",
        "weighted avg",
        "positive",
        "negative",
        "confusion_matrix",
    ] {
        assert!(metrics.get(key).is_some(), "{key} missing from {metrics}");
    }
    assert_eq!(metrics["accuracy"], 1.0);
    assert_eq!(metrics["positive"]["support"], 6);
    assert_eq!(s.read("pred.jsonl").lines().count(), 12);

    let run = s.run(&["inspect", "m.stance", "--top", "3"]).ok();
    assert!(
        run.stdout.contains("task        document"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("top 3 features for positive:"),
        "{}",
        run.stdout
    );
    let run = s.run(&["inspect", "m.stance", "--json"]).ok();
    let value: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(value["manifest"]["labels"][0], "negative");
    assert_eq!(value["manifest"]["provenance"]["examples"], 12);
});

clitest!(cross_validation_and_grid_search, |s| {
    docs(&s);
    let run = s
        .run(&[
            "cv",
            "--task",
            "document",
            "--data",
            "train.jsonl",
            "--folds",
            "3",
            "--set",
            MIN_DF_1,
            "--classifier",
            "nb",
            "--metrics-out",
            "cv.json",
            "--folds-out",
            "folds.jsonl",
        ])
        .ok();
    assert!(run.stdout.contains("fold 3:"), "{}", run.stdout);
    let metrics: Value = serde_json::from_str(&s.read("cv.json")).unwrap();
    assert_eq!(metrics["pooled"]["macro avg"]["support"], 12);
    assert_eq!(metrics["per_fold"].as_array().unwrap().len(), 3);
    let folds: Vec<Value> = s
        .read("folds.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(folds.len(), 12);
    assert_eq!(folds[0]["id"], "d0");
    for f in 0..3 {
        assert_eq!(
            folds.iter().filter(|v| v["fold"] == f).count(),
            4,
            "fold {f}"
        );
    }

    s.write(
        "grid.toml",
        "[classifier]\ntype = \"nb\"\n\n[template.blocks.0.vectorizer.count]\nmin_df = 1\n\n[grid]\n\"classifier.alpha\" = [0.1, 1.0]\n\"classifier.kind\" = [\"multinomial\", \"complement\"]\n",
    );
    let run = s
        .run(&[
            "cv",
            "--task",
            "document",
            "--data",
            "train.jsonl",
            "--folds",
            "3",
            "--config",
            "grid.toml",
            "--grid",
        ])
        .ok();
    assert!(run.stdout.contains("best of 4 settings"), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("[4/4] classifier.alpha=1.0 classifier.kind=\"complement\""),
        "{}",
        run.stderr
    );

    // Selection by another score; every grid entry carries every score its labels have.
    let run = s
        .run(&[
            "cv",
            "--task",
            "document",
            "--data",
            "train.jsonl",
            "--folds",
            "3",
            "--config",
            "grid.toml",
            "--grid",
            "--select-by",
            "accuracy",
            "--metrics-out",
            "grid.json",
        ])
        .ok();
    assert!(run.stdout.contains("(by accuracy)"), "{}", run.stdout);
    let metrics: Value = serde_json::from_str(&s.read("grid.json")).unwrap();
    assert_eq!(metrics["select_by"], "accuracy");
    for entry in metrics["grid"].as_array().unwrap() {
        assert!(
            entry["accuracy"].is_number() && entry["macro_f1"].is_number(),
            "{entry}"
        );
        assert!(entry.get("f_avg").is_none(), "{entry}");
    }
    s.run(&[
        "cv",
        "--task",
        "document",
        "--data",
        "train.jsonl",
        "--folds",
        "3",
        "--grid",
        "--select-by",
        "f1",
    ])
    .fails(2, &["f_avg"]);
    s.run(&[
        "cv",
        "--task",
        "document",
        "--data",
        "train.jsonl",
        "--folds",
        "3",
        "--grid",
        "--select-by",
        "fnc_score",
    ])
    .fails(2, &["no such score"]);

    // Nested: the grid is searched inside each outer fold.
    let run = s
        .run(&[
            "cv",
            "--task",
            "document",
            "--data",
            "train.jsonl",
            "--folds",
            "3",
            "--config",
            "grid.toml",
            "--nested",
            "--inner-folds",
            "2",
            "--metrics-out",
            "nested.json",
        ])
        .ok();
    assert!(
        run.stdout
            .contains("nested CV: 3 outer folds, 2 inner folds"),
        "{}",
        run.stdout
    );
    let metrics: Value = serde_json::from_str(&s.read("nested.json")).unwrap();
    assert_eq!(metrics["pooled"]["macro avg"]["support"], 12);
    let nested = metrics["nested"].as_array().unwrap();
    assert_eq!(nested.len(), 3);
    for fold in nested {
        assert_eq!(fold["inner_scores"].as_array().unwrap().len(), 4, "{fold}");
        assert!(fold["chosen"].as_array().unwrap().len() == 2, "{fold}");
    }
});

clitest!(bad_training_input_is_reported, |s| {
    docs(&s);
    s.run(&[
        "train",
        "--task",
        "document",
        "--data",
        "train.jsonl",
        "--set",
        "classifier.c",
        "-o",
        "m.stance",
    ])
    .fails(2, &["key=value"]);
    s.run(&[
        "train",
        "--task",
        "document",
        "--data",
        "train.jsonl",
        "--classifier",
        "forest",
        "-o",
        "m.stance",
    ])
    .fails(2, &["forest"]);
    s.write(
        "unlabelled.jsonl",
        "{\"id\": \"u\", \"task\": \"document\", \"text\": \"x\"}\n",
    );
    s.run(&[
        "train",
        "--task",
        "document",
        "--data",
        "unlabelled.jsonl",
        "-o",
        "m.stance",
    ])
    .fails(1, &["\"u\" has no label"]);
    s.write("bad.jsonl", "{\"id\": \"u\", \"task\": \"document\"}\n");
    s.run(&[
        "train",
        "--task",
        "document",
        "--data",
        "bad.jsonl",
        "-o",
        "m.stance",
    ])
    .fails(1, &["bad.jsonl:1", "text"]);
    s.run(&[
        "train",
        "--task",
        "pair",
        "--data",
        "train.jsonl",
        "-o",
        "m.stance",
    ])
    .fails(1, &["train.jsonl:1"]);
    s.write("m.stance", "not a model");
    s.run(&["inspect", "m.stance"])
        .fails(1, &["m.stance", "not a stance model"]);
});

// The README's "Train and evaluate" commands, as written there.
clitest!(
    the_readme_trains_the_default_model_and_evaluates_it_on_seed,
    |s| {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let run = |args: &[&str]| {
            let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_stance"));
            let out = command.args(args).current_dir(root).output().unwrap();
            let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
            let (stdout, stderr) = (text(out.stdout), text(out.stderr));
            assert!(out.status.success(), "{args:?}: {stderr}");
            (stdout, stderr)
        };
        let model = s.path("pt.stance");
        let model = model.to_str().unwrap();
        let (cv, _) = run(&[
            "cv",
            "--task",
            "mention",
            "--data",
            "corpora/peace-talks/written",
            "--folds",
            "5",
            "--classifier",
            "logreg",
            "--grid",
        ]);
        assert!(cv.contains("best of 4 settings: classifier.c="), "{cv}");
        run(&[
            "train",
            "--task",
            "mention",
            "--data",
            "corpora/peace-talks/written",
            "--config",
            "models/peace-talks-stance/config.toml",
            "--gazetteer",
            "corpora/peace-talks/gazetteer.toml",
            "-o",
            model,
        ]);
        let metrics = s.path("m.json");
        let (report, _) = run(&[
            "eval",
            "--model",
            model,
            "--data",
            "corpora/peace-talks/seed/annotations.jsonl",
            "--metrics-out",
            metrics.to_str().unwrap(),
        ]);
        assert!(report.contains("macro avg"), "{report}");
        let metrics: Value = serde_json::from_str(&s.read("m.json")).unwrap();
        assert_eq!(metrics["macro avg"]["support"], 198);
        // Better than always answering the majority label (neutral: macro F1 0.26).
        assert!(
            metrics["macro avg"]["f1-score"].as_f64().unwrap() > 0.45,
            "{report}"
        );
        let (top, _) = run(&["inspect", model, "--top", "10"]);
        assert!(top.contains("top 10 features for oppose:"), "{top}");
    }
);
