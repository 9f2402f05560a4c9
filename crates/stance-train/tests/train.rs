//! The training pipeline end to end on a small mention corpus written for this test: every
//! classifier fits, predicts its training data, saves deterministically, and cross-validates.

use stance_features::vectorize::DocFrequency;
use stance_infer::Model;
use stance_infer::template::{Input, MentionInput, Task, TemplateParams};
use stance_train::metrics::Metric;
use stance_train::train::{
    ClassifierParams, Labelled, TrainConfig, cross_validate, nested_cross_validate, train,
};

const CORPUS: &[(&str, &str, &str, &str)] = &[
    (
        "Moscow rejected the truce outright.",
        "Moscow",
        "truce",
        "oppose",
    ),
    (
        "Kyiv backed the ceasefire on Monday.",
        "Kyiv",
        "ceasefire",
        "support",
    ),
    (
        "London welcomed the peacekeeping force plan.",
        "London",
        "peacekeeping force",
        "support",
    ),
    (
        "The Kremlin dismissed the peacekeepers as a provocation.",
        "The Kremlin",
        "peacekeepers",
        "oppose",
    ),
    (
        "Paris hosted talks on the security guarantees.",
        "Paris",
        "security guarantees",
        "neutral",
    ),
    (
        "Washington proposed a minerals deal.",
        "Washington",
        "minerals deal",
        "support",
    ),
    (
        "Budapest refused to support new sanctions.",
        "Budapest",
        "sanctions",
        "oppose",
    ),
    (
        "Delegates from Berlin discussed the sanctions.",
        "Berlin",
        "sanctions",
        "neutral",
    ),
    (
        "Warsaw endorsed the ceasefire proposal.",
        "Warsaw",
        "ceasefire",
        "support",
    ),
    (
        "Moscow condemned the plan for peacekeepers.",
        "Moscow",
        "peacekeepers",
        "oppose",
    ),
    (
        "Ottawa attended a meeting about the truce.",
        "Ottawa",
        "truce",
        "neutral",
    ),
    (
        "Rome considered the security guarantees.",
        "Rome",
        "security guarantees",
        "neutral",
    ),
];

fn data() -> Labelled<'static> {
    let inputs = CORPUS
        .iter()
        .map(|(text, actor, proposal, _)| {
            let a = text.find(actor).unwrap();
            let p = text.find(proposal).unwrap();
            Input::Mention(MentionInput {
                text,
                actor: "x",
                proposal: "y",
                actor_span: a..a + actor.len(),
                proposal_span: p..p + proposal.len(),
                sentence_span: None,
            })
        })
        .collect();
    let labels: Vec<&str> = CORPUS.iter().map(|c| c.3).collect();
    let groups = Some((0..CORPUS.len()).map(|i| format!("doc{}", i / 2)).collect());
    Labelled::new(inputs, &labels, groups).unwrap()
}

fn config(classifier: &str) -> TrainConfig {
    let mut template = TemplateParams::default_for(Task::Mention);
    for block in &mut template.blocks {
        block.vectorizer.count.min_df = DocFrequency::Count(1);
    }
    let mut classifier = ClassifierParams::by_name(classifier).unwrap();
    if let ClassifierParams::Logreg(p) = &mut classifier {
        p.c = 10.0;
    }
    TrainConfig {
        template,
        classifier,
        seed: 7,
    }
}

#[test]
fn every_classifier_learns_its_training_data() {
    let data = data();
    for name in ["logreg", "nb", "nbsvm", "linfa-logreg"] {
        let model = train(&config(name), &data, serde_json::json!({"test": true})).unwrap();
        assert_eq!(model.manifest().classifier, name);
        assert_eq!(model.manifest().labels, ["neutral", "oppose", "support"]);
        let predictions = model.predict(&data.inputs, 3).unwrap();
        let correct = predictions
            .iter()
            .zip(&data.y)
            .filter(|(p, y)| p.class == **y)
            .count();
        assert!(correct >= 11, "{name}: {correct} of 12 training examples");
    }
}

#[test]
fn training_is_deterministic_and_the_model_round_trips() {
    let data = data();
    let a = train(&config("logreg"), &data, serde_json::Value::Null).unwrap();
    let b = train(&config("logreg"), &data, serde_json::Value::Null).unwrap();
    let bytes = a.to_bytes().unwrap();
    assert_eq!(bytes, b.to_bytes().unwrap());
    let loaded = Model::from_bytes(bytes, "mem").unwrap();
    assert_eq!(
        loaded.predict(&data.inputs, 2).unwrap(),
        a.predict(&data.inputs, 2).unwrap()
    );
}

#[test]
fn cross_validation_keeps_groups_together_and_covers_every_example() {
    let data = data();
    let mut calls = Vec::new();
    let cv = cross_validate(&config("nb"), &data, 3, |f, k| calls.push((f, k))).unwrap();
    assert_eq!(calls, [(0, 3), (1, 3), (2, 3), (3, 3)]);
    assert_eq!(cv.folds.len(), 3);
    assert_eq!(cv.pooled.macro_avg.support, 12);
    let per_fold: usize = cv.folds.iter().map(|r| r.macro_avg.support).sum();
    assert_eq!(per_fold, 12);
    let again = cross_validate(&config("nb"), &data, 3, |_, _| {}).unwrap();
    assert_eq!(again.predictions, cv.predictions);
    assert!(cross_validate(&config("nb"), &data, 1, |_, _| {}).is_err());
}

#[test]
fn nested_cross_validation_chooses_inside_each_outer_fold() {
    let data = data();
    // One point: nothing to choose, so the outer folds give plain CV's predictions.
    let plain = cross_validate(&config("logreg"), &data, 3, |_, _| {}).unwrap();
    let nested =
        nested_cross_validate(&[config("logreg")], &data, 3, 2, Metric::MacroF1, |_, _| {})
            .unwrap();
    assert_eq!(nested.cv.predictions, plain.predictions);
    assert_eq!(nested.cv.fold_of, plain.fold_of);
    assert_eq!(nested.chosen, [0, 0, 0]);

    // Two points: each outer fold picks the better inner score (the first on ties).
    let mut weak = config("logreg");
    if let ClassifierParams::Logreg(p) = &mut weak.classifier {
        p.c = 1e-4;
    }
    let points = [weak, config("logreg")];
    let mut calls = Vec::new();
    let nested = nested_cross_validate(&points, &data, 3, 2, Metric::Accuracy, |f, k| {
        calls.push((f, k))
    })
    .unwrap();
    assert_eq!(calls, [(0, 3), (1, 3), (2, 3), (3, 3)]);
    assert_eq!(nested.inner_scores.len(), 3);
    for (scores, &chosen) in nested.inner_scores.iter().zip(&nested.chosen) {
        let scores: Vec<f64> = scores.iter().map(|s| s.unwrap()).collect();
        let best = if scores[1] > scores[0] { 1 } else { 0 };
        assert_eq!(chosen, best, "{scores:?}");
    }
    assert_eq!(nested.cv.pooled.macro_avg.support, 12);
    // A metric the labels do not fit scores nothing, and the first point is kept.
    let nested = nested_cross_validate(&points, &data, 3, 2, Metric::FncScore, |_, _| {}).unwrap();
    assert_eq!(nested.chosen, [0, 0, 0]);
    assert!(nested.inner_scores.iter().flatten().all(Option::is_none));
    assert!(nested_cross_validate(&[], &data, 3, 2, Metric::Accuracy, |_, _| {}).is_err());
}
