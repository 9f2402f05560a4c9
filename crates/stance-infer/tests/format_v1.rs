//! Format-v1 compatibility: a container written by the first release, kept forever. Every later
//! release must read it and find the same sections.
//!
//! The fixture was written once with `STANCE_WRITE_FIXTURE=1 cargo test -p stance-infer --test
//! format_v1`; never regenerate it for a new format version: add a new fixture beside it.

use std::path::Path;

use stance_infer::artefact::{Artefact, ArtefactWriter, SectionKind};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/container-v1.stance"
);

fn v1_sections() -> ArtefactWriter {
    let mut w = ArtefactWriter::new();
    w.json(
        "manifest",
        &serde_json::json!({"format": "stance-model", "labels": ["support", "oppose", "neutral"], "task": "mention"}),
    )
    .unwrap();
    w.strings("vocabulary", ["<actor>", "ceasefire", "rejected", "truce"])
        .unwrap();
    w.f64s(
        "idf",
        &[
            1.0,
            1.6931471805599454,
            2.09861228866811,
            1.4054651081081644,
        ],
    )
    .unwrap();
    w.f32s("weights", &[0.5, -1.25, 3.0, -0.0]).unwrap();
    w.u32s("columns", &[0, 3, 1]).unwrap();
    w.bytes("gazetteer", "[[actors]]\nid = \"russia\"\n".as_bytes())
        .unwrap();
    w
}

#[test]
fn the_v1_fixture_reads_back() {
    if std::env::var_os("STANCE_WRITE_FIXTURE").is_some() {
        v1_sections().write_atomic(Path::new(FIXTURE)).unwrap();
    }
    let a = Artefact::read(Path::new(FIXTURE)).unwrap();
    assert_eq!(a.format_version(), 1);
    assert_eq!(a.writer_version(), "0.1.0");
    let kinds: Vec<_> = a.sections().collect();
    assert_eq!(
        kinds,
        [
            ("manifest", SectionKind::Json),
            ("vocabulary", SectionKind::Strings),
            ("idf", SectionKind::F64),
            ("weights", SectionKind::F32),
            ("columns", SectionKind::U32),
            ("gazetteer", SectionKind::Bytes),
        ]
    );
    let manifest: serde_json::Value = a.json("manifest").unwrap();
    assert_eq!(manifest["labels"][1], "oppose");
    assert_eq!(
        a.strings("vocabulary").unwrap(),
        ["<actor>", "ceasefire", "rejected", "truce"]
    );
    assert_eq!(a.f64s("idf").unwrap()[1], 1.6931471805599454);
    assert_eq!(a.f32s("weights").unwrap(), [0.5, -1.25, 3.0, -0.0]);
    assert_eq!(a.u32s("columns").unwrap(), [0, 3, 1]);
    assert_eq!(
        a.bytes("gazetteer").unwrap(),
        b"[[actors]]\nid = \"russia\"\n"
    );
}

#[test]
fn this_release_still_writes_the_v1_bytes() {
    // While the format version is 1 and the release is 0.1.0, the writer must reproduce the
    // fixture exactly: the layout is deterministic.
    if env!("CARGO_PKG_VERSION") == "0.1.0" && stance_infer::artefact::FORMAT_VERSION == 1 {
        assert_eq!(v1_sections().to_bytes(), std::fs::read(FIXTURE).unwrap());
    }
}
