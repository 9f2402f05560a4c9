//! Tests of `stance summarize` on the output of `stance score`.

mod common;

use common::Sandbox;

/// The sample articles as dated JSON Lines (dates from their content).
fn dated_articles(s: &Sandbox) {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../corpora/peace-talks/articles"
    );
    let dates = [
        "2025-04-23",
        "2025-03-13",
        "2025-09-04",
        "2025-04-23",
        "2026-01-06",
    ];
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut lines = String::new();
    for (name, date) in names.iter().zip(dates) {
        let text = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
        lines.push_str(&serde_json::json!({"id": name, "date": date, "text": text}).to_string());
        lines.push('\n');
    }
    lines.push_str("{\"id\": \"broken\", \"date\": \"2025-04-01\"}\n");
    s.write("articles.jsonl", lines);
}

clitest!(matrix_periods_csv_and_plot, |s| {
    dated_articles(&s);
    s.run(&["score", "articles.jsonl", "-o", "pred.jsonl"]).ok();
    let run = s
        .run(&[
            "summarize",
            "pred.jsonl",
            "--by",
            "month",
            "--csv",
            "sum.csv",
            "--plot",
            "sum.svg",
        ])
        .ok();
    assert!(
        run.stdout
            .starts_with("6 articles, 1 with errors, 0 with stances but no date"),
        "{}",
        run.stdout
    );
    for period in [
        "all articles:",
        "2025-03:",
        "2025-04:",
        "2025-09:",
        "2026-01:",
    ] {
        assert!(
            run.stdout.contains(period),
            "{period} missing: {}",
            run.stdout
        );
    }
    // The CSV's overall counts add up to the stances of the predictions.
    let stances: usize = s
        .read("pred.jsonl")
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["stances"]
                .as_array()
                .unwrap()
                .len()
        })
        .sum();
    let csv_text = s.read("sum.csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let overall: usize = rows
        .iter()
        .filter(|r| &r[0] == "all")
        .map(|r| r[8].parse::<usize>().unwrap())
        .sum();
    let per_month: usize = rows
        .iter()
        .filter(|r| &r[0] != "all")
        .map(|r| r[8].parse::<usize>().unwrap())
        .sum();
    assert_eq!(overall, stances);
    assert_eq!(per_month, stances);
    for r in &rows {
        let (sup, opp, neu, n): (usize, usize, usize, usize) = (
            r[5].parse().unwrap(),
            r[6].parse().unwrap(),
            r[7].parse().unwrap(),
            r[8].parse().unwrap(),
        );
        assert_eq!(sup + opp + neu, n);
        let net: f64 = r[9].parse().unwrap();
        assert!((net - (sup as f64 - opp as f64) / n as f64).abs() < 1e-4);
    }
    let svg = s.read("sum.svg");
    assert!(svg.starts_with("<svg"), "{}", &svg[..100]);
    assert!(svg.contains("Net stance per period"));
    assert!(svg.matches("<rect").count() > 50);
    assert!(svg.contains("Ukraine"));
});

clitest!(bad_prediction_files_are_refused_with_their_line, |s| {
    s.write("pred.jsonl", "{\"id\": \"a\", \"stances\": []}\nnot json\n");
    s.run(&["summarize", "pred.jsonl"])
        .fails(1, &["pred.jsonl:2"]);
    s.write("other.jsonl", "{\"id\": \"a\", \"text\": \"x\"}\n");
    s.run(&["summarize", "other.jsonl"])
        .fails(1, &["other.jsonl:1", "stances"]);
});
