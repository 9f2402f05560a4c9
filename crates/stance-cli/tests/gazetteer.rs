//! Tests of `stance gazetteer check|match`, run as the binary in a temporary directory.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;
use tempfile::TempDir;

const SHIPPED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../corpora/peace-talks/gazetteer.toml"
);

/// Runs `stance args...` in `dir` with `stdin`; returns (exit code, stdout, stderr).
fn stance(dir: &TempDir, args: &[&str], stdin: &str) -> (Option<i32>, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stance"))
        .args(args)
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start stance");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().expect("run stance");
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn check_accepts_the_shipped_gazetteer() {
    let dir = TempDir::new().unwrap();
    let (code, stdout, stderr) = stance(&dir, &["gazetteer", "check", SHIPPED], "");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.trim_end().ends_with("spellings"), "{stdout}");
    assert!(stdout.contains(": ok: "), "{stdout}");
}

#[test]
fn check_reports_problems_with_file_and_line_and_exits_1() {
    let dir = TempDir::new().unwrap();
    let toml = "[[actors]]\nid = \"uk\"\nname = \"UK\"\nkind = \"country\"\naliases = [\"Britain\"]\n\n[[actors]]\nid = \"x\"\nname = \"X\"\nkind = \"person\"\ncountry = \"ukk\"\naliases = [\"britain\"]\nroles = [{ role = \"pm\", of = \"uk\", from = \"2024-13-01\" }]\n";
    std::fs::write(dir.path().join("bad.toml"), toml).unwrap();
    let (code, stdout, stderr) = stance(&dir, &["gazetteer", "check", "bad.toml"], "");
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert!(
        lines[0].starts_with("bad.toml:11:11: unknown reference: actors[1].country"),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with("bad.toml:12:12: duplicate alias"),
        "{stdout}"
    );
    assert!(
        lines[2].starts_with("bad.toml:13:") && lines[2].contains("unknown reference"),
        "{stdout}"
    );
    assert!(
        lines[3].starts_with("bad.toml:13:") && lines[3].contains("invalid date"),
        "{stdout}"
    );
    assert!(stderr.contains("4 problem(s)"), "{stderr}");
}

#[test]
fn check_reports_a_syntax_error_and_a_missing_file() {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("broken.toml"), "[[actors]]\nid = \n").unwrap();
    let (code, stdout, _) = stance(&dir, &["gazetteer", "check", "broken.toml"], "");
    assert_eq!(code, Some(1));
    assert!(stdout.starts_with("broken.toml:2:"), "{stdout}");
    let (code, _, stderr) = stance(&dir, &["gazetteer", "check", "missing.toml"], "");
    assert_eq!(code, Some(1));
    assert!(stderr.contains("cannot read missing.toml"), "{stderr}");
}

#[test]
fn match_prints_a_table_with_code_point_offsets() {
    let dir = TempDir::new().unwrap();
    let text = "Élysée: the British prime minister said Moscow rejected the truce.";
    let (code, stdout, stderr) = stance(
        &dir,
        &[
            "gazetteer",
            "match",
            SHIPPED,
            "--date",
            "2025-04-23",
            text,
            "Mark Ruthte",
        ],
        "",
    );
    assert_eq!(code, Some(0), "{stderr}");
    let rows: Vec<Vec<&str>> = stdout.lines().map(|l| l.split('\t').collect()).collect();
    let expected: Vec<Vec<&str>> = vec![
        vec!["text", "start", "end", "how", "id", "role", "matched"],
        vec!["1", "0", "6", "seat", "france", "-", "Élysée"],
        vec![
            "1",
            "12",
            "34",
            "role",
            "starmer",
            "head_of_government of uk = starmer",
            "British prime minister",
        ],
        vec!["1", "40", "46", "metonym", "russia", "-", "Moscow"],
        vec!["1", "60", "65", "term", "ceasefire", "-", "truce"],
        vec!["2", "0", "11", "fuzzy", "rutte", "-", "Mark Ruthte"],
    ];
    assert_eq!(rows, expected);
}

#[test]
fn match_prints_json_lines_and_reads_stdin() {
    let dir = TempDir::new().unwrap();
    let (code, stdout, stderr) = stance(
        &dir,
        &[
            "gazetteer",
            "match",
            SHIPPED,
            "--json",
            "--date",
            "2022-06-01T10:00:00Z",
            "-",
        ],
        "The US president backed sanctions.",
    );
    assert_eq!(code, Some(0), "{stderr}");
    let records: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 2, "{stdout}");
    assert_eq!(records[0]["actor"], "biden");
    assert_eq!(records[0]["role"]["role"], "head_of_state");
    assert_eq!(records[0]["role"]["holder"], "biden");
    assert_eq!(
        (records[0]["start"].as_u64(), records[0]["end"].as_u64()),
        (Some(4), Some(16))
    );
    assert_eq!(records[1]["proposal"], "sanctions");
    assert_eq!(records[1]["how"], "term");
}

#[test]
fn match_refuses_a_bad_date_as_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let (code, _, stderr) = stance(
        &dir,
        &["gazetteer", "match", SHIPPED, "--date", "2025-02-30", "x"],
        "",
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--date"), "{stderr}");
}
