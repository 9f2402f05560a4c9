//! A model assembled by hand (template fitted on three sentences, weights set on two cue
//! features), saved, loaded and used.

use stance_infer::linear::{LinearModel, Link};
use stance_infer::template::{Input, MentionInput, Task, TemplateParams};
use stance_infer::{Error, Manifest, Model};

fn mention(text: &str, actor: &str, proposal: &str) -> Input<'static> {
    let text: &'static str = Box::leak(text.to_owned().into_boxed_str());
    let find = |needle: &str| {
        let start = text.find(needle).unwrap();
        start..start + needle.len()
    };
    Input::Mention(MentionInput {
        text,
        actor: "russia",
        proposal: "ceasefire",
        actor_span: find(actor),
        proposal_span: find(proposal),
        sentence_span: None,
    })
}

fn model() -> Model {
    let data = [
        mention("Moscow rejected the truce.", "Moscow", "truce"),
        mention("Moscow backed the truce.", "Moscow", "truce"),
        mention("Moscow discussed the truce.", "Moscow", "truce"),
    ];
    let template = TemplateParams::default_for(Task::Mention)
        .fit(&data)
        .unwrap();
    let labels: Vec<String> = ["neutral", "oppose", "support"].map(String::from).into();
    let mut coef = vec![0.0f32; template.n_features() * 3];
    for (name, class, weight) in [
        ("lex:oppose@between", 1, 3.0),
        ("lex:support@between", 2, 3.0),
    ] {
        let column = (0..template.n_features())
            .find(|&c| template.feature_name(c) == name)
            .unwrap();
        coef[column * 3 + class] = weight;
    }
    let linear = LinearModel::new(
        labels.clone(),
        template.n_features(),
        coef,
        vec![0.5, 0.0, 0.0],
        Link::Softmax,
    )
    .unwrap();
    let manifest = Manifest {
        format: "stance-model".into(),
        stance_version: env!("CARGO_PKG_VERSION").into(),
        task: Task::Mention,
        labels,
        classifier: "hand".into(),
        parameters: serde_json::json!({"seed": 1}),
        metrics: serde_json::Value::Null,
        provenance: serde_json::json!({"examples": 3}),
    };
    Model::new(manifest, template, linear, Some("[[actors]]\n".into())).unwrap()
}

#[test]
fn predictions_follow_the_weights_and_survive_saving() {
    let m = model();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hand.stance");
    m.save(&path).unwrap();
    let loaded = Model::load(&path).unwrap();
    assert_eq!(loaded.manifest(), m.manifest());
    assert_eq!(loaded.gazetteer(), Some("[[actors]]\n"));
    assert_eq!(std::fs::read(&path).unwrap(), m.to_bytes().unwrap());
    assert_eq!(loaded.to_bytes().unwrap(), m.to_bytes().unwrap());

    let new = [
        mention(
            "Kyiv spurned and rejected the armistice.",
            "Kyiv",
            "armistice",
        ),
        mention("Kyiv has backed an armistice.", "Kyiv", "armistice"),
        mention("Kyiv attended talks on an armistice.", "Kyiv", "armistice"),
    ];
    let predictions = loaded.predict(&new, 3).unwrap();
    let labels: Vec<&str> = predictions
        .iter()
        .map(|p| m.manifest().labels[p.class].as_str())
        .collect();
    assert_eq!(labels, ["oppose", "support", "neutral"]);
    assert_eq!(
        predictions[0].top_features,
        [("lex:oppose@between".to_string(), 2.0)]
    );
    for p in &predictions {
        assert!((p.probabilities.iter().sum::<f32>() - 1.0).abs() < 1e-6);
    }
}

#[test]
fn a_model_whose_parts_disagree_is_refused() {
    let m = model();
    let mut manifest = m.manifest().clone();
    manifest.labels.reverse();
    let err = Model::new(manifest, m.template().clone(), m.linear().clone(), None).unwrap_err();
    assert!(matches!(err, Error::Model { .. }), "{err}");
}

#[test]
fn a_container_that_is_not_a_model_is_refused() {
    let mut w = stance_infer::artefact::ArtefactWriter::new();
    w.json("manifest", &serde_json::json!({"format": "something-else"}))
        .unwrap();
    let err = Model::from_bytes(w.to_bytes(), "other.bin")
        .unwrap_err()
        .to_string();
    assert!(err.contains("other.bin"), "{err}");
}

#[test]
fn top_features_per_class() {
    let top = model().top_features(5);
    assert_eq!(top.len(), 3);
    assert_eq!(top[1], [("lex:oppose@between".to_string(), 2.0)]);
    assert_eq!(top[2], [("lex:support@between".to_string(), 2.0)]);
    // Neutral has no feature weighted above the mean.
    assert!(top[0].is_empty());
}

/// A model written by the first release (format version 1), kept forever: every later release
/// must load it and predict the same. Written once with `STANCE_WRITE_FIXTURE=1 cargo test -p
/// stance-infer --test model`; never regenerate it, add a new fixture for a new format.
#[test]
fn the_format_v1_model_fixture_still_loads_and_predicts() {
    let path = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/model-v1.stance"
    ));
    if std::env::var_os("STANCE_WRITE_FIXTURE").is_some() {
        model().save(path).unwrap();
    }
    let loaded = Model::load(path).unwrap();
    assert_eq!(loaded.manifest().classifier, "hand");
    assert_eq!(loaded.manifest().labels, ["neutral", "oppose", "support"]);
    let new = [
        mention("Kyiv rejected the armistice.", "Kyiv", "armistice"),
        mention("Kyiv backed an armistice.", "Kyiv", "armistice"),
    ];
    let classes: Vec<usize> = loaded
        .predict(&new, 0)
        .unwrap()
        .iter()
        .map(|p| p.class)
        .collect();
    assert_eq!(classes, [1, 2]);
}
