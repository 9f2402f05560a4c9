//! Tests of `stance import`: each runs the binary in a fresh temporary directory.

use std::io::{Read, Write};

mod common;

use common::Sandbox;

/// A SemEval-2016 file: CRLF, a Windows-1252 byte, and (row 3) a row without its stance.
const SEMEVAL: &[u8] = b"ID\tTarget\tTweet\tStance\r\n\
    1\tAtheism\tdear lord \x93bless\x94 #SemST\tAGAINST\r\n\
    2\tAtheism\tno stance here #SemST\r\n\
    3\tFeminist Movement\tequal pay now #SemST\tFAVOR\r\n";

const SEMEVAL_OUT: [&str; 2] = [
    r#"{"id":"1","task":"target","text":"dear lord “bless” #SemST","target":"Atheism","label":"AGAINST"}"#,
    r#"{"id":"3","task":"target","text":"equal pay now #SemST","target":"Feminist Movement","label":"FAVOR"}"#,
];

clitest!(help_lists_the_formats, |s| {
    let top = s.run(&["--help"]).ok();
    assert!(top.stdout.contains("import"), "{top:#?}");
    let help = s.run(&["import", "--help"]).ok();
    for needle in [
        "semeval2016",
        "fnc1",
        "newsmtsc",
        "newsmtsc-sentences",
        "--sentence-rule",
        "subj",
        "emergent",
        "vast",
        "sst",
        "--lenient",
        "--text-column",
        "--target-column",
    ] {
        assert!(help.stdout.contains(needle), "{needle}: {help:#?}");
    }
});

clitest!(strict_import_stops_at_a_bad_row_and_writes_nothing, |s| {
    s.write("s.txt", SEMEVAL);
    s.run(&["import", "semeval2016", "s.txt", "-o", "out.jsonl"])
        .fails(
            1,
            &[
                "s.txt:3: the line has 3 tab-separated fields but the header has 4 columns",
                "read 2 rows, wrote 1 examples, 1 errors",
                "out.jsonl not written",
            ],
        );
    assert!(!s.path("out.jsonl").exists());
    assert_eq!(
        std::fs::read_dir(s.path("")).unwrap().count(),
        1,
        "no temporary file left"
    );
});

clitest!(lenient_import_reports_bad_rows_and_goes_on, |s| {
    s.write("s.txt", SEMEVAL);
    let run = s
        .run(&[
            "import",
            "semeval2016",
            "s.txt",
            "-o",
            "out.jsonl",
            "--lenient",
        ])
        .ok();
    assert!(
        run.stderr
            .contains("skipped: s.txt:3: the line has 3 tab-separated fields"),
        "{run:#?}"
    );
    assert!(
        run.stderr
            .trim_end()
            .ends_with("semeval2016: read 3 rows, wrote 2 examples, 1 errors"),
        "{run:#?}"
    );
    assert_eq!(s.read("out.jsonl"), SEMEVAL_OUT.join("\n") + "\n");
});

clitest!(output_to_stdout_and_gzip_is_deterministic, |s| {
    s.write("s.txt", SEMEVAL);
    let run = s
        .run(&["import", "semeval2016", "s.txt", "-o", "-", "--lenient"])
        .ok();
    assert_eq!(run.stdout, SEMEVAL_OUT.join("\n") + "\n");
    let mut bytes = Vec::new();
    for _ in 0..2 {
        s.run(&[
            "import",
            "semeval2016",
            "s.txt",
            "-o",
            "out.jsonl.gz",
            "--lenient",
        ])
        .ok();
        bytes.push(std::fs::read(s.path("out.jsonl.gz")).unwrap());
    }
    assert_eq!(bytes[0], bytes[1], "same input, same bytes");
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes[0].as_slice())
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, SEMEVAL_OUT.join("\n") + "\n");
});

clitest!(standard_input_and_gzip_sources, |s| {
    s.run_with_stdin(
        &["import", "sst", "-", "-o", "out.jsonl"],
        b"0 bleak .\n1 warm and funny .\n",
    )
    .ok();
    assert_eq!(
        s.read("out.jsonl"),
        "{\"id\":\"sst:stdin:1\",\"task\":\"document\",\"text\":\"bleak .\",\"label\":\"0\"}\n\
         {\"id\":\"sst:stdin:2\",\"task\":\"document\",\"text\":\"warm and funny .\",\"label\":\"1\"}\n"
    );
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(b"fine .\n").unwrap();
    s.write("rt-polarity.pos.gz", gz.finish().unwrap());
    s.write("rt-polarity.neg", "dull \u{2013} very .\n");
    s.run(&[
        "import",
        "mr",
        "rt-polarity.pos.gz",
        "rt-polarity.neg",
        "-o",
        "mr.jsonl",
    ])
    .ok();
    assert_eq!(
        s.read("mr.jsonl"),
        "{\"id\":\"mr:rt-polarity.pos:1\",\"task\":\"document\",\"text\":\"fine .\",\"label\":\"pos\"}\n\
         {\"id\":\"mr:rt-polarity.neg:1\",\"task\":\"document\",\"text\":\"dull \u{2013} very .\",\"label\":\"neg\"}\n"
    );
});

clitest!(fnc1_joins_its_two_files, |s| {
    s.write(
        "train_stances.csv",
        "Headline,Body ID,Stance\n\"Truce, at last\",7,agree\nNo deal,8,unrelated\n",
    );
    s.write(
        "train_bodies.csv",
        "\u{feff}Body ID,articleBody\r\n7,\"Both sides\r\nagreed.\"\r\n8,Other news\r\n",
    );
    s.run(&[
        "import",
        "fnc1",
        "train_stances.csv",
        "train_bodies.csv",
        "-o",
        "out.jsonl",
    ])
    .ok();
    assert_eq!(
        s.read("out.jsonl"),
        "{\"id\":\"fnc1:train:1\",\"task\":\"pair\",\"text_a\":\"Truce, at last\",\"text_b\":\"Both sides\\r\\nagreed.\",\"label\":\"agree\",\"group\":\"7\"}\n\
         {\"id\":\"fnc1:train:2\",\"task\":\"pair\",\"text_a\":\"No deal\",\"text_b\":\"Other news\",\"label\":\"unrelated\",\"group\":\"8\"}\n"
    );
    s.run(&["import", "fnc1", "train_stances.csv", "-o", "out.jsonl"])
        .fails(2, &["bodies file"]);
});

clitest!(csv_takes_the_chosen_columns, |s| {
    s.write(
        "posts.tsv",
        "key\tclaim\tbody\tverdict\nk1\tA truce\tKyiv \"backs\" it\tsupport\nk2\tA truce\tMoscow does not\toppose\n",
    );
    s.run(&[
        "import",
        "csv",
        "posts.tsv",
        "--text-column",
        "body",
        "--target-column",
        "claim",
        "--label-column",
        "verdict",
        "--id-column",
        "key",
        "--group-column",
        "claim",
        "--task",
        "pair",
        "-o",
        "out.jsonl",
    ])
    .ok();
    assert_eq!(
        s.read("out.jsonl"),
        "{\"id\":\"k1\",\"task\":\"pair\",\"text_a\":\"A truce\",\"text_b\":\"Kyiv \\\"backs\\\" it\",\"label\":\"support\",\"group\":\"A truce\"}\n\
         {\"id\":\"k2\",\"task\":\"pair\",\"text_a\":\"A truce\",\"text_b\":\"Moscow does not\",\"label\":\"oppose\",\"group\":\"A truce\"}\n"
    );
    s.run(&[
        "import",
        "csv",
        "posts.tsv",
        "--text-column",
        "text",
        "-o",
        "out.jsonl",
    ])
    .fails(
        1,
        &[
            "posts.tsv:1: no column \"text\"",
            "\"key\", \"claim\", \"body\", \"verdict\"",
        ],
    );
});

/// NewsMTSC lines: a sentence with one target, and one whose three targets split 2 to 1.
const NEWSMTSC: &str = concat!(
    r#"{"primary_gid": "allsides_3_1_0_Biden_0_5", "sentence_normalized": "Biden won.", "targets": [{"Input.gid": "allsides_3_1_0_Biden_0_5", "from": 0, "to": 5, "mention": "Biden", "polarity": 6.0}]}"#,
    "\n",
    r#"{"primary_gid": "allsides_3_1_4_Cruz_0_4", "sentence_normalized": "Cruz, Lee and Paul lost.", "targets": [{"Input.gid": "x", "from": 0, "to": 4, "mention": "Cruz", "polarity": 2.0}, {"Input.gid": "y", "from": 6, "to": 9, "mention": "Lee", "polarity": 2.0}, {"Input.gid": "z", "from": 14, "to": 18, "mention": "Paul", "polarity": 4.0}]}"#,
    "\n",
);

clitest!(newsmtsc_sentences_follow_the_sentence_rule, |s| {
    s.write("n.jsonl", NEWSMTSC);
    let first = r#"{"id":"allsides_3_1_0_Biden_0_5","task":"document","text":"Biden won.","label":"positive","group":"allsides_3_1","target_labels":["positive"]}"#;
    let second = r#"{"id":"allsides_3_1_4_Cruz_0_4","task":"document","text":"Cruz, Lee and Paul lost.","label":"negative","group":"allsides_3_1","target_labels":["negative","negative","neutral"]}"#;
    let cases: [(&[&str], Vec<&str>, &str); 3] = [
        (&[], vec![first], "read 2 rows, wrote 1 examples, 0 errors"),
        (
            &["--sentence-rule", "unanimous"],
            vec![first],
            "read 2 rows, wrote 1 examples, 0 errors",
        ),
        (
            &["--sentence-rule", "majority"],
            vec![first, second],
            "read 2 rows, wrote 2 examples, 0 errors",
        ),
    ];
    for (options, want, summary) in cases {
        let mut args = vec!["import", "newsmtsc-sentences", "n.jsonl", "-o", "out.jsonl"];
        args.extend_from_slice(options);
        let run = s.run(&args).ok();
        assert!(run.stderr.contains(summary), "{options:?}: {run:#?}");
        assert_eq!(s.read("out.jsonl"), want.join("\n") + "\n", "{options:?}");
    }
    // The target format is unchanged: one example per target.
    s.run(&["import", "newsmtsc", "n.jsonl", "-o", "t.jsonl"])
        .ok();
    assert_eq!(s.read("t.jsonl").lines().count(), 4);
    s.run(&[
        "import",
        "newsmtsc",
        "n.jsonl",
        "--sentence-rule",
        "majority",
        "-o",
        "o.jsonl",
    ])
    .fails(
        2,
        &["--sentence-rule only applies to the newsmtsc-sentences format, not newsmtsc"],
    );
    s.run(&[
        "import",
        "newsmtsc-sentences",
        "n.jsonl",
        "--sentence-rule",
        "all",
        "-o",
        "o.jsonl",
    ])
    .fails(2, &["all"]);
    assert!(!s.path("o.jsonl").exists());
});

clitest!(misused_options_are_usage_errors, |s| {
    s.write("rt-polarity.pos", "fine .\n");
    s.write("posts.csv", "text\nx\n");
    let cases: [(&[&str], &[&str]); 5] = [
        (
            &[
                "import",
                "mr",
                "rt-polarity.pos",
                "--text-column",
                "t",
                "-o",
                "o.jsonl",
            ],
            &["--text-column only apply to the csv format"],
        ),
        (
            &[
                "import",
                "csv",
                "posts.csv",
                "--task",
                "target",
                "-o",
                "o.jsonl",
            ],
            &["a target column is required"],
        ),
        (
            &[
                "import",
                "csv",
                "posts.csv",
                "--task",
                "mention",
                "-o",
                "o.jsonl",
            ],
            &["cannot import mention examples"],
        ),
        (
            &[
                "import",
                "csv",
                "posts.csv",
                "--task",
                "essay",
                "-o",
                "o.jsonl",
            ],
            &["unknown task \"essay\""],
        ),
        (
            &["import", "conll", "posts.csv", "-o", "o.jsonl"],
            &["conll"],
        ),
    ];
    for (args, needles) in cases {
        s.run(args).fails(2, needles);
    }
    assert!(!s.path("o.jsonl").exists());
});

clitest!(unreadable_inputs_fail_even_when_lenient, |s| {
    s.write("rt-polarity.pos", "fine .\n");
    s.run(&[
        "import",
        "mr",
        "rt-polarity.pos",
        "missing.neg",
        "-o",
        "o.jsonl",
        "--lenient",
    ])
    .fails(
        1,
        &["cannot open missing.neg", "read 1 rows, wrote 1 examples"],
    );
    assert!(!s.path("o.jsonl").exists());
});

// The whole SemEval-2016 training data through the binary, when the datasets are present.
clitest!(full_semeval2016_through_the_binary, |s| {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/datasets/semeval2016_task6");
    if !dir.is_dir() {
        eprintln!("skipped: dataset {} not found", dir.display());
        return;
    }
    let files = [
        "trialdata-all-annotations.txt",
        "trainingdata-all-annotations.txt",
    ]
    .map(|f| dir.join(f).display().to_string());
    let run = s
        .run(&[
            "import",
            "semeval2016",
            &files[0],
            &files[1],
            "-o",
            "train.jsonl",
        ])
        .ok();
    assert!(
        run.stderr
            .contains("read 2914 rows, wrote 2914 examples, 0 errors"),
        "{run:#?}"
    );
    let text = s.read("train.jsonl");
    assert_eq!(text.lines().count(), 2914);
    assert_eq!(text.matches("\"label\":\"AGAINST\"").count(), 1395);
});
