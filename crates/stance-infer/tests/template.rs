//! Feature templates: fitted on a few examples, saved, read back, and applied.

use stance_features::vectorize::DocFrequency;
use stance_infer::artefact::{Artefact, ArtefactWriter};
use stance_infer::template::{FittedTemplate, Input, MentionInput, Source, Task, TemplateParams};

fn mention<'a>(text: &'a str, actor: &'a str, a: &str, proposal: &'a str, p: &str) -> Input<'a> {
    let find = |needle: &str| {
        let start = text.find(needle).expect("mention in text");
        start..start + needle.len()
    };
    Input::Mention(MentionInput {
        text,
        actor,
        proposal,
        actor_span: find(a),
        proposal_span: find(p),
        sentence_span: None,
    })
}

fn examples() -> Vec<Input<'static>> {
    vec![
        mention(
            "Moscow rejected the truce.",
            "russia",
            "Moscow",
            "ceasefire",
            "truce",
        ),
        mention(
            "Kyiv backed the ceasefire proposal.",
            "ukraine",
            "Kyiv",
            "ceasefire",
            "ceasefire",
        ),
        mention(
            "Peacekeepers, Starmer said, would not be sent without guarantees.",
            "starmer",
            "Starmer",
            "peacekeeping_force",
            "Peacekeepers",
        ),
        mention(
            "The Kremlin refused to rule out a minerals deal.",
            "russia",
            "The Kremlin",
            "minerals_deal",
            "minerals deal",
        ),
    ]
}

/// The default template of `task` with every term kept: the test corpora are a few lines.
fn small(task: Task) -> TemplateParams {
    let mut params = TemplateParams::default_for(task);
    for block in &mut params.blocks {
        block.vectorizer.count.min_df = DocFrequency::Count(1);
    }
    params
}

fn row_names(t: &FittedTemplate, x: &sprs::CsMat<f32>, row: usize) -> Vec<String> {
    x.outer_view(row)
        .unwrap()
        .iter()
        .map(|(c, _)| t.feature_name(c))
        .collect()
}

#[test]
fn mention_features_generalise_over_names() {
    let params = TemplateParams::default_for(Task::Mention);
    let data = examples();
    let t = params.fit(&data).unwrap();
    let x = t.transform(&data).unwrap();
    assert_eq!(x.shape(), (4, t.n_features()));
    let first = row_names(&t, &x, 0);
    for expected in [
        "between:__actor__ rejected the",
        "between:rejected",
        "left:__actor__",
        "right:__proposal__",
        "sentence:rejected",
        "lex:oppose@between",
        "geo:actor_first",
        "geo:gap=1-2",
        "id:proposal=ceasefire",
    ] {
        assert!(
            first.contains(&expected.to_owned()),
            "{expected} not in {first:?}"
        );
    }
    assert!(
        !first
            .iter()
            .any(|n| n.contains("moscow") || n.contains("truce")),
        "{first:?}"
    );
    let third = row_names(&t, &x, 2);
    for expected in [
        "geo:proposal_first",
        "geo:gap=0",
        "geo:punct_between",
        "lex:attribution@right",
        "lex:not_support@right",
    ] {
        assert!(
            third.contains(&expected.to_owned()),
            "{expected} not in {third:?}"
        );
    }
    let fourth = row_names(&t, &x, 3);
    assert!(
        fourth.contains(&"lex:not_oppose@between".to_owned()),
        "{fourth:?}"
    );
    // The same sentence with other names gives the same row.
    let renamed = [mention(
        "Washington rejected the armistice.",
        "usa",
        "Washington",
        "ceasefire",
        "armistice",
    )];
    let y = t.transform(&renamed).unwrap();
    assert_eq!(
        y.outer_view(0).unwrap().to_owned(),
        x.outer_view(0).unwrap().to_owned()
    );
}

#[test]
fn a_saved_template_transforms_identically() {
    for task in [Task::Mention, Task::Pair, Task::Target, Task::Document] {
        let docs = [
            "Moscow rejected the truce offered by Kyiv.",
            "Kyiv backed the ceasefire, officials said.",
            "London and Paris discussed the truce and the ceasefire.",
        ];
        let data: Vec<Input<'_>> = match task {
            Task::Mention => examples(),
            Task::Pair => docs
                .iter()
                .zip(docs.iter().rev())
                .map(|(a, b)| Input::Pair {
                    text_a: a,
                    text_b: b,
                })
                .collect(),
            Task::Target => docs
                .iter()
                .map(|t| Input::Target {
                    text: t,
                    target: "the truce",
                    target_span: None,
                })
                .collect(),
            Task::Document => docs.iter().map(|t| Input::Document { text: t }).collect(),
        };
        let fitted = small(task).fit(&data).unwrap();
        let mut w = ArtefactWriter::new();
        fitted.write(&mut w, "template").unwrap();
        let a = Artefact::from_bytes(w.to_bytes(), "mem").unwrap();
        let read = FittedTemplate::read(&a, "template").unwrap();
        assert_eq!(read.params(), fitted.params());
        assert_eq!(read.feature_names(), fitted.feature_names(), "{task:?}");
        assert_eq!(
            read.transform(&data).unwrap(),
            fitted.transform(&data).unwrap(),
            "{task:?}"
        );
        // Saving twice gives the same bytes.
        let mut again = ArtefactWriter::new();
        read.write(&mut again, "template").unwrap();
        assert_eq!(again.to_bytes(), w.to_bytes());
    }
}

#[test]
fn pair_similarity_of_identical_and_disjoint_texts() {
    let data = [
        Input::Pair {
            text_a: "truce talks resume",
            text_b: "truce talks resume",
        },
        Input::Pair {
            text_a: "truce talks resume",
            text_b: "minerals deal signed",
        },
    ];
    let t = small(Task::Pair).fit(&data).unwrap();
    let x = t.transform(&data).unwrap();
    let value = |row: usize, name: &str| {
        x.outer_view(row)
            .unwrap()
            .iter()
            .find(|(c, _)| t.feature_name(*c) == name)
            .map(|(_, v)| *v)
    };
    assert!((value(0, "sim:cosine").unwrap() - 1.0).abs() < 1e-6);
    assert_eq!(value(0, "sim:overlap"), Some(1.0));
    assert_eq!(value(0, "sim:cosine>=0.5"), Some(1.0));
    assert_eq!(value(1, "sim:cosine"), None);
    assert_eq!(value(1, "sim:cosine>=0.05"), None);
}

#[test]
fn target_markers() {
    let data = [
        Input::Target {
            text: "We back the Truce now",
            target: "the truce",
            target_span: Some(8..17),
        },
        Input::Target {
            text: "Nothing about it",
            target: "the truce",
            target_span: None,
        },
    ];
    let t = small(Task::Target).fit(&data).unwrap();
    let x = t.transform(&data).unwrap();
    let names = |row| {
        row_names(&t, &x, row)
            .into_iter()
            .filter(|n| n.starts_with("tgt:"))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(0), ["tgt:in_text", "tgt:span_given"]);
    assert_eq!(names(1), ["tgt:not_in_text"]);
}

#[test]
fn bad_templates_and_inputs_are_refused() {
    let mut params = TemplateParams::default_for(Task::Document);
    params.blocks[0].source = Source::Between;
    let err = params.check().unwrap_err().to_string();
    assert!(err.contains("Between") && err.contains("document"), "{err}");

    let mut params = TemplateParams::default_for(Task::Mention);
    params.blocks[1].prefix = "left".into();
    assert!(params.check().unwrap_err().to_string().contains("\"left\""));

    let t = TemplateParams::default_for(Task::Mention)
        .fit(&examples())
        .unwrap();
    let err = t
        .transform(&[Input::Document { text: "x" }])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("example 0") && err.contains("document"),
        "{err}"
    );
    let text = "Kyiv backed the truce";
    let out_of_range = Input::Mention(MentionInput {
        text,
        actor: "ukraine",
        proposal: "ceasefire",
        actor_span: 0..4,
        proposal_span: 16..40,
        sentence_span: None,
    });
    let err = t
        .transform(&[examples()[0].clone(), out_of_range])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("example 1") && err.contains("proposal_span"),
        "{err}"
    );
}

#[test]
fn template_json_is_pinned() {
    let json = r#"{"task":"mention","blocks":[{"prefix":"between","source":"between"}],"extras":[{"type":"mention_geometry"},{"type":"identity","actor":true,"proposal":false}]}"#;
    let params: TemplateParams = serde_json::from_str(json).unwrap();
    params.check().unwrap();
    assert_eq!(params.blocks[0].source, Source::Between);
    let back: TemplateParams =
        serde_json::from_str(&serde_json::to_string(&params).unwrap()).unwrap();
    assert_eq!(back, params);
    let default = TemplateParams::default_for(Task::Mention);
    let back: TemplateParams =
        serde_json::from_str(&serde_json::to_string(&default).unwrap()).unwrap();
    assert_eq!(back, default);
    assert!(
        serde_json::from_str::<TemplateParams>(r#"{"task":"mention","blocks":[],"colour":1}"#)
            .is_err()
    );
}

#[test]
fn a_block_left_empty_by_pruning_is_named() {
    let data = [
        Input::Document { text: "one" },
        Input::Document { text: "two" },
    ];
    let err = TemplateParams::default_for(Task::Document)
        .fit(&data)
        .unwrap_err()
        .to_string();
    assert!(err.contains("block \"text\""), "{err}");
}
