//! The target-conjoined block (`by_target`) and the pair-cue block (`pair_cues`): features,
//! unseen targets, save and load.

use stance_infer::artefact::{Artefact, ArtefactWriter};
use stance_infer::template::{Extra, FittedTemplate, Input, Task, TemplateParams, target_key};

fn target<'a>(text: &'a str, target: &'a str) -> Input<'a> {
    Input::Target {
        text,
        target,
        target_span: None,
    }
}

/// Only the by-target block, unigrams with every term kept, counts (no IDF, no norm) so the
/// values are easy to state.
fn params() -> TemplateParams {
    serde_json::from_value(serde_json::json!({
        "task": "target",
        "blocks": [],
        "extras": [{
            "type": "by_target",
            "prefix": "tw",
            "vectorizer": {"use_idf": false, "norm": "none"}
        }]
    }))
    .unwrap()
}

fn training() -> Vec<Input<'static>> {
    vec![
        target("Pray for life", "Abortion"),
        target("Life matters", "abortion "),
        target("The planet warms", "Climate  Change"),
    ]
}

fn row(t: &FittedTemplate, x: &sprs::CsMat<f32>, i: usize) -> Vec<(String, f32)> {
    x.outer_view(i)
        .unwrap()
        .iter()
        .map(|(c, &v)| (t.feature_name(c), v))
        .collect()
}

#[test]
fn keys_ignore_case_and_spacing() {
    for (raw, key) in [
        ("Abortion", "abortion"),
        ("  Climate   Change ", "climate change"),
        ("Hillary\tClinton", "hillary clinton"),
        ("", ""),
    ] {
        assert_eq!(target_key(raw), key, "{raw:?}");
    }
}

#[test]
fn each_target_has_its_own_vocabulary() {
    let data = training();
    let t = params().fit(&data).unwrap();
    assert_eq!(
        t.feature_names(),
        [
            "tw:abortion|for",
            "tw:abortion|life",
            "tw:abortion|matters",
            "tw:abortion|pray",
            "tw:climate change|planet",
            "tw:climate change|the",
            "tw:climate change|warms",
        ]
    );
    let cases: &[(Input<'_>, &[(&str, f32)])] = &[
        (
            target("life life for", "ABORTION"),
            &[("tw:abortion|for", 1.0), ("tw:abortion|life", 2.0)],
        ),
        // A word known only under another target gives nothing.
        (target("the planet", "Abortion"), &[]),
        (
            target("the planet", "climate change"),
            &[
                ("tw:climate change|planet", 1.0),
                ("tw:climate change|the", 1.0),
            ],
        ),
        // A target not seen in training gives nothing.
        (target("pray for life", "Atheism"), &[]),
    ];
    let inputs: Vec<Input<'_>> = cases.iter().map(|(i, _)| i.clone()).collect();
    let x = t.transform(&inputs).unwrap();
    assert_eq!(x.shape(), (inputs.len(), t.n_features()));
    for (i, (input, expected)) in cases.iter().enumerate() {
        let expected: Vec<(String, f32)> =
            expected.iter().map(|(n, v)| (n.to_string(), *v)).collect();
        assert_eq!(row(&t, &x, i), expected, "{input:?}");
    }
}

#[test]
fn idf_is_learned_per_target() {
    let mut p = params();
    let Extra::ByTarget { vectorizer, .. } = &mut p.extras[0] else {
        panic!("the by_target extra")
    };
    vectorizer.use_idf = true;
    // "life" is in both abortion texts (idf 1) and in none of the climate texts.
    let t = p.fit(&training()).unwrap();
    let x = t.transform(&[target("life pray", "abortion")]).unwrap();
    let values = row(&t, &x, 0);
    let life = values
        .iter()
        .find(|(n, _)| n == "tw:abortion|life")
        .unwrap()
        .1;
    let pray = values
        .iter()
        .find(|(n, _)| n == "tw:abortion|pray")
        .unwrap()
        .1;
    // Smoothed IDF: ln(3/3) + 1 = 1 and ln(3/2) + 1.
    assert!((life - 1.0).abs() < 1e-6, "{life}");
    assert!((pray - (1.5f32.ln() + 1.0)).abs() < 1e-6, "{pray}");
}

#[test]
fn a_target_whose_terms_are_all_pruned_gets_no_columns() {
    let mut p = params();
    let Extra::ByTarget { vectorizer, .. } = &mut p.extras[0] else {
        panic!("the by_target extra")
    };
    vectorizer.count.min_df = stance_features::vectorize::DocFrequency::Count(2);
    let t = p.fit(&training()).unwrap();
    // Climate change has one text: nothing reaches min_df 2.
    assert_eq!(t.feature_names(), ["tw:abortion|life"]);
}

#[test]
fn it_round_trips_through_a_model_file() {
    let data = training();
    let mut p = params();
    // With the shared block and the markers, as a real template has them.
    let default = TemplateParams::default_for(Task::Target);
    p.blocks = default.blocks;
    p.extras.extend(default.extras);
    for b in &mut p.blocks {
        b.vectorizer.count.min_df = stance_features::vectorize::DocFrequency::Count(1);
    }
    let fitted = p.fit(&data).unwrap();
    let mut w = ArtefactWriter::new();
    fitted.write(&mut w, "template").unwrap();
    let a = Artefact::from_bytes(w.to_bytes(), "mem").unwrap();
    let read = FittedTemplate::read(&a, "template").unwrap();
    assert_eq!(read.params(), fitted.params());
    assert_eq!(read.feature_names(), fitted.feature_names());
    let probe = [
        data[0].clone(),
        target("the planet is warming", "Climate Change"),
        target("unseen", "Atheism"),
    ];
    assert_eq!(
        read.transform(&probe).unwrap(),
        fitted.transform(&probe).unwrap()
    );
    let mut again = ArtefactWriter::new();
    read.write(&mut again, "template").unwrap();
    assert_eq!(again.to_bytes(), w.to_bytes());
}

#[test]
fn bad_by_target_blocks_are_refused() {
    for (extras, expected) in [
        (
            serde_json::json!([{"type": "by_target", "prefix": ""}]),
            "non-empty",
        ),
        (
            serde_json::json!([{"type": "by_target", "prefix": "a:b"}]),
            "no ':'",
        ),
        (
            serde_json::json!([{"type": "by_target", "prefix": "tgt"}, {"type": "target_markers"}]),
            "two blocks have the prefix \"tgt\"",
        ),
    ] {
        let p: TemplateParams = serde_json::from_value(
            serde_json::json!({"task": "target", "blocks": [], "extras": extras}),
        )
        .unwrap();
        let err = p.check().unwrap_err().to_string();
        assert!(err.contains(expected), "{err}");
    }
    let p: TemplateParams = serde_json::from_value(serde_json::json!({
        "task": "pair", "blocks": [], "extras": [{"type": "by_target", "prefix": "x"}]
    }))
    .unwrap();
    let err = p.check().unwrap_err().to_string();
    assert!(err.contains("target examples"), "{err}");
}

/// The `pair_cues` extra in a full pair template: named features, and the same rows after a
/// save and load.
#[test]
fn pair_cues_round_trip_through_a_model_file() {
    let mut p = TemplateParams::default_for(Task::Pair);
    p.extras.push(Extra::PairCues(Default::default()));
    for b in &mut p.blocks {
        b.vectorizer.count.min_df = stance_features::vectorize::DocFrequency::Count(1);
    }
    let data = [
        Input::Pair {
            text_a: "A burger was kept for 20 years",
            text_b: "Is this the oldest burger?",
        },
        Input::Pair {
            text_a: "A burger was kept for 20 years",
            text_b: "Sorry, the burger was not 20 years old: a hoax",
        },
    ];
    let fitted = p.fit(&data).unwrap();
    let x = fitted.transform(&data).unwrap();
    let cues = |i| -> Vec<String> {
        row(&fitted, &x, i)
            .into_iter()
            .map(|(n, _)| n)
            .filter(|n| n.starts_with("cue:"))
            .collect()
    };
    assert_eq!(cues(0), ["cue:question", "cue:question_end"]);
    assert_eq!(
        cues(1),
        [
            "cue:refute",
            "cue:refute@lead",
            "cue:negation@b",
            "cue:negation@b_only"
        ]
    );
    let mut w = ArtefactWriter::new();
    fitted.write(&mut w, "template").unwrap();
    let a = Artefact::from_bytes(w.to_bytes(), "mem").unwrap();
    let read = FittedTemplate::read(&a, "template").unwrap();
    assert_eq!(read.params(), fitted.params());
    assert_eq!(read.feature_names(), fitted.feature_names());
    assert_eq!(read.transform(&data).unwrap(), x);
}
