//! The article cleaner: the five sample articles against hand-written fixtures of their dropped
//! lines, each rule on inputs of our own next to the near misses it must keep, the offset map,
//! the settings as data, and a property test.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde::Deserialize;
use stance_features::Error;
use stance_features::text::{
    CleanParams, Cleaned, DropReason, DropRule, LineMatch, MatchKind, char_spans, clean, sentences,
};

fn articles_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpora/peace-talks/articles")
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/text")
}

#[derive(Deserialize)]
struct Fixture {
    article: String,
    dropped: Vec<ExpectedDrop>,
}

#[derive(Deserialize, Debug, PartialEq)]
struct ExpectedDrop {
    line: usize,
    reason: DropReason,
    text: String,
}

/// The non-blank lines of `text` as (1-based number, trimmed text), split the way a reader
/// would: on `\n`, `\r\n` and `\r`.
fn non_blank_lines(text: &str) -> Vec<(usize, &str)> {
    text.split('\n')
        .flat_map(|l| l.strip_suffix('\r').unwrap_or(l).split('\r'))
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect()
}

/// The invariants every cleaning result keeps, whatever the input.
fn check_invariants(original: &str, cleaned: &Cleaned) {
    let lines = non_blank_lines(original);
    assert_eq!(
        cleaned.pieces.len() + cleaned.dropped.len(),
        lines.len(),
        "every non-blank line is kept or dropped"
    );
    let mut previous_end = 0;
    for piece in &cleaned.pieces {
        assert_eq!(
            &cleaned.text[piece.clean.clone()],
            &original[piece.original.clone()]
        );
        assert!(piece.original.start >= previous_end, "pieces are in order");
        previous_end = piece.original.end;
        let (_, line) = lines
            .iter()
            .find(|(n, _)| *n == piece.line)
            .expect("a kept line is a non-blank line");
        assert_eq!(&original[piece.original.clone()], *line);
    }
    for dropped in &cleaned.dropped {
        let (_, line) = lines
            .iter()
            .find(|(n, _)| *n == dropped.line)
            .expect("a dropped line is a non-blank line");
        assert_eq!(&original[dropped.span.clone()], *line);
    }
    let rebuilt: Vec<&str> = cleaned
        .pieces
        .iter()
        .map(|p| &cleaned.text[p.clean.clone()])
        .collect();
    let separators_only = cleaned
        .text
        .split(['\n'])
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>();
    assert_eq!(
        rebuilt, separators_only,
        "pieces are joined by line breaks only"
    );
}

#[test]
fn sample_articles_drop_exactly_the_hand_checked_lines() {
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures directory")
        .map(|e| e.expect("fixture entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    fixtures.sort();
    assert_eq!(fixtures.len(), 5, "one fixture per sample article");
    for path in fixtures {
        let fixture: Fixture =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read fixture"))
                .expect("parse fixture");
        let original =
            std::fs::read_to_string(articles_dir().join(&fixture.article)).expect("read article");
        let cleaned = clean(&original);
        check_invariants(&original, &cleaned);
        let got: Vec<ExpectedDrop> = cleaned
            .dropped
            .iter()
            .map(|d| ExpectedDrop {
                line: d.line,
                reason: d.reason,
                text: d.text(&original).expect("span in the article").to_owned(),
            })
            .collect();
        assert_eq!(got, fixture.dropped, "{}", fixture.article);
        // Every other non-blank line is kept, in order.
        let kept: Vec<usize> = cleaned.pieces.iter().map(|p| p.line).collect();
        let expected_kept: Vec<usize> = non_blank_lines(&original)
            .into_iter()
            .map(|(n, _)| n)
            .filter(|n| !fixture.dropped.iter().any(|d| d.line == *n))
            .collect();
        assert_eq!(kept, expected_kept, "{}", fixture.article);
    }
}

#[test]
fn kept_and_dropped_line_counts_of_the_sample_articles() {
    let cases = [
        ("000_fd3a616ef928046d.txt", 9, 15),
        ("001_6a413cfa2226c47e.txt", 12, 4),
        ("002_9bb6b57b2843eddc.txt", 23, 7),
        ("003_4e20828765b51fc9.txt", 14, 2),
        ("004_35f9a6c6c541f104.txt", 15, 5),
    ];
    for (name, kept, dropped) in cases {
        let original = std::fs::read_to_string(articles_dir().join(name)).expect("read article");
        let cleaned = clean(&original);
        assert_eq!(
            (cleaned.pieces.len(), cleaned.dropped.len()),
            (kept, dropped),
            "{name}"
        );
    }
}

#[test]
fn every_sentence_of_a_cleaned_article_maps_back_to_the_same_text() {
    for entry in std::fs::read_dir(articles_dir()).expect("articles directory") {
        let path = entry.expect("entry").path();
        let original = std::fs::read_to_string(&path).expect("read article");
        let cleaned = clean(&original);
        let spans = sentences(&cleaned.text);
        assert!(!spans.is_empty());
        for span in &spans {
            let back = cleaned.original_span(span.clone()).expect("in bounds");
            assert_eq!(&original[back], &cleaned.text[span.clone()], "{path:?}");
        }
        // Code-point offsets agree with counting characters directly.
        let chars = char_spans(&original, &[cleaned.pieces[0].original.clone()]);
        let start = original[..cleaned.pieces[0].original.start].chars().count();
        assert_eq!(chars[0].start, start);
    }
}

/// The lines `clean` drops from `input` with `params`, with their reasons.
fn dropped_with(input: &str, params: &CleanParams) -> Vec<(String, DropReason)> {
    let cleaned = params.check().expect("valid params").clean(input);
    check_invariants(input, &cleaned);
    cleaned
        .dropped
        .iter()
        .map(|d| (input[d.span.clone()].to_owned(), d.reason))
        .collect()
}

fn dropped(input: &str) -> Vec<(String, DropReason)> {
    dropped_with(input, &CleanParams::default())
}

/// Runs (input, expected dropped lines) cases: every line not listed must be kept.
fn check_table(cases: &[(&str, &[(&str, DropReason)])]) {
    for &(input, expected) in cases {
        let expected: Vec<(String, DropReason)> = expected
            .iter()
            .map(|&(text, reason)| (text.to_owned(), reason))
            .collect();
        assert_eq!(dropped(input), expected, "input: {input:?}");
    }
}

const BODY: &str = "Kyiv said on Monday it would not cede territory.";

#[test]
fn boilerplate_prompts_are_dropped() {
    use DropReason::Boilerplate as B;
    check_table(&[
        ("Leave a Reply", &[("Leave a Reply", B)]),
        ("Leave a comment", &[("Leave a comment", B)]),
        (
            "Your email address will not be published. Required fields are marked *",
            &[(
                "Your email address will not be published. Required fields are marked *",
                B,
            )],
        ),
        ("Back To Top", &[("Back To Top", B)]),
        ("Subscribe", &[("Subscribe", B)]),
        (
            "Subscribe to our newsletter",
            &[("Subscribe to our newsletter", B)],
        ),
        (
            "Sign up for our daily newsletter",
            &[("Sign up for our daily newsletter", B)],
        ),
        ("0 comments", &[("0 comments", B)]),
        ("12 Comments", &[("12 Comments", B)]),
        ("You may also like", &[("You may also like", B)]),
        (
            "You might also be interested in:",
            &[("You might also be interested in:", B)],
        ),
        ("Related stories", &[("Related stories", B)]),
        ("Share this:", &[("Share this:", B)]),
        ("Share this article", &[("Share this article", B)]),
        ("WhatsApp", &[("WhatsApp", B)]),
        ("Follow us on Telegram", &[("Follow us on Telegram", B)]),
        (
            "Read more: Putin says truce is near",
            &[("Read more: Putin says truce is near", B)],
        ),
        (
            "We use cookies to improve your experience",
            &[("We use cookies to improve your experience", B)],
        ),
        ("Accept all cookies", &[("Accept all cookies", B)]),
        (
            "Discover more from Archyworldys",
            &[("Discover more from Archyworldys", B)],
        ),
        ("Advertisement", &[("Advertisement", B)]),
        ("© 2025 Example Media", &[("© 2025 Example Media", B)]),
    ]);
    // In context, with the article kept around it.
    let page = format!("{BODY}\n\nShare this:\nFacebook\nTwitter\n\n{BODY}");
    assert_eq!(
        dropped(&page),
        [
            ("Share this:".to_owned(), B),
            ("Facebook".to_owned(), B),
            ("Twitter".to_owned(), B),
        ]
    );
}

#[test]
fn paragraphs_that_mention_boilerplate_words_are_kept() {
    let long_follow = format!(
        "Follow us, the minister told allies in Paris, {}and the coalition agreed.",
        "because the front line cannot be held without air cover, ".repeat(5)
    );
    let cases: Vec<&str> = vec![
        "Russia said it would not subscribe to any plan that left Western troops in Ukraine.",
        "Subscribers to the Kremlin's line argue that the ceasefire favours Kyiv.",
        "Comments by the Russian foreign minister drew a sharp rebuke from Kyiv.",
        "Read more closely, the plan offers Kyiv little.",
        "Share prices in Moscow rose after the announcement.",
        "The envoy said he may also like to visit Kyiv.",
        "Back to top of the agenda came the question of frozen assets.",
        &long_follow,
    ];
    for input in cases {
        assert_eq!(dropped(input), [], "{input:?}");
    }
}

#[test]
fn teaser_lists_are_dropped() {
    use DropReason::Teaser as T;
    check_table(&[
        (
            "Moscow rejects the plan for a truce in eastern...\nKyiv says new drone strikes hit an oil depot in the…",
            &[
                ("Moscow rejects the plan for a truce in eastern...", T),
                ("Kyiv says new drone strikes hit an oil depot in the…", T),
            ],
        ),
        // Blank lines between the items do not break the list.
        (
            "Leaders met in Paris to discuss the guarantees for ...\n\nThe EU will extend its sanctions on Russian oil until...\n\nA new round of talks begins in Istanbul on Monday, officials...",
            &[
                ("Leaders met in Paris to discuss the guarantees for ...", T),
                (
                    "The EU will extend its sanctions on Russian oil until...",
                    T,
                ),
                (
                    "A new round of talks begins in Istanbul on Monday, officials...",
                    T,
                ),
            ],
        ),
    ]);
    let page = format!(
        "{BODY}\nPutin says the ceasefire must come after a full peace deal, and that...\nZelensky meets Trump at the White House to discuss air support and..."
    );
    assert_eq!(dropped(&page).len(), 2);
}

#[test]
fn lines_ending_in_an_ellipsis_on_purpose_are_kept() {
    let cases = [
        // One cut-off line alone is not a list.
        format!("{BODY}\nThe talks, he said, could go on for months or even...\n{BODY}"),
        // Quotations that trail off.
        "\"We will see what happens...\"\n\"The ball is in your court...\"".to_owned(),
        "He paused. “We will see what happens…”\nThe envoy then left the room without a word…”"
            .to_owned(),
        // Short lines are dialogue, not teasers.
        "Well...\nAnd then...".to_owned(),
        // A question trailing off.
        "Is this the end?...\nWill there be peace?...".to_owned(),
    ];
    for input in &cases {
        assert_eq!(dropped(input), [], "{input:?}");
    }
}

#[test]
fn repeated_headings_are_dropped() {
    use DropReason::RepeatedHeading as R;
    check_table(&[
        (
            "Talks in Paris\nThe leaders met.\nTalks in Paris\nThey agreed.",
            &[("Talks in Paris", R)],
        ),
        (
            "Starmer Considers Trip\n\nStarmer Considers Trip\n\nThe trip is off.",
            &[("Starmer Considers Trip", R)],
        ),
        (
            "Support from nuclear powers ‘essential’\nBody text.\nSUPPORT  from nuclear powers ‘essential’",
            &[("SUPPORT  from nuclear powers ‘essential’", R)],
        ),
    ]);
}

#[test]
fn repeated_sentences_and_long_lines_are_kept() {
    let long = "Leaders of about thirty western countries take part in the Paris summit with the aim of providing security assurances to Kyiv if a ceasefire is agreed";
    let cases = [
        "The talks failed.\nThe talks failed.".to_owned(),
        "Asked about a truce:\nAsked about a truce:".to_owned(),
        format!("{long}\n{long}"),
        "Talks in Paris\nTalks in Paris today\nTalks in Paris, again".to_owned(),
    ];
    for input in &cases {
        assert_eq!(dropped(input), [], "{input:?}");
    }
}

#[test]
fn address_blocks_are_dropped() {
    use DropReason::AddressBlock as A;
    check_table(&[
        (
            "Physical Address\n304 North Cardinal St.\nDorchester Center, MA 02124",
            &[
                ("Physical Address", A),
                ("304 North Cardinal St.", A),
                ("Dorchester Center, MA 02124", A),
            ],
        ),
        (
            "Contact us:\nTel: +44 20 7946 0000\nLondon SW1A 2AA",
            &[
                ("Contact us:", A),
                ("Tel: +44 20 7946 0000", A),
                ("London SW1A 2AA", A),
            ],
        ),
        (
            "1600 Pennsylvania Avenue, NW\nWashington, DC 20500",
            &[
                ("1600 Pennsylvania Avenue, NW", A),
                ("Washington, DC 20500", A),
            ],
        ),
    ]);
}

#[test]
fn lines_that_only_look_like_addresses_are_kept() {
    let cases = [
        // One street line alone.
        format!("{BODY}\n10 Downing Street\n{BODY}"),
        // A label and contact lines without a street or postcode.
        "Contact us:\nEmail: news@example.org".to_owned(),
        // An address inside a paragraph.
        "The embassy at 304 North Cardinal St. was closed on Monday, officials said.\nDorchester Center, MA 02124 was quiet.".to_owned(),
    ];
    for input in &cases {
        assert_eq!(dropped(input), [], "{input:?}");
    }
}

#[test]
fn metadata_lines_are_dropped() {
    use DropReason::Metadata as M;
    check_table(&[
        ("RT.com", &[("RT.com", M)]),
        ("www.bbc.co.uk", &[("www.bbc.co.uk", M)]),
        ("Source: Reuters", &[("Source: Reuters", M)]),
        ("Photo: AFP", &[("Photo: AFP", M)]),
        ("AP/ABC", &[("AP/ABC", M)]),
        ("Reuters", &[("Reuters", M)]),
        ("AFP and Reuters", &[("AFP and Reuters", M)]),
        (
            "Talks resume\nBy Paul Kirby\nThe talks resumed.",
            &[("By Paul Kirby", M)],
        ),
        (
            "Talks resume\nPaul Kirby, Europe editor\nThe talks resumed.",
            &[("Paul Kirby, Europe editor", M)],
        ),
        (
            "Talks resume\nPaul KirbyDigital editor of Europe\nThe talks resumed.",
            &[("Paul KirbyDigital editor of Europe", M)],
        ),
    ]);
}

#[test]
fn lines_that_only_look_like_metadata_are_kept() {
    let cases = [
        // A sentence opening with "By".
        "Talks resume\nBy Thursday, Kyiv had agreed to the truce.",
        // A headline about an editor is the first line, where bylines do not stand.
        "Kremlin Sacks Newspaper Editor\nThe editor was dismissed on Monday.",
        // Lower case after "By".
        "Talks resume\nBy the numbers",
        // A sentence with a source in it.
        "The source: a senior official in Kyiv who asked not to be named because of the talks.",
        // Agencies in a sentence.
        "Reuters and AFP reported the strike.",
        "U.S.",
    ];
    for input in cases {
        assert_eq!(dropped(input), [], "{input:?}");
    }
}

#[test]
fn rules_can_be_turned_off() {
    let page = "RT.com\nLeave a Reply\nPhysical Address\n304 North Cardinal St.\nMoscow rejects the plan for a truce in eastern...\nKyiv says new drone strikes hit an oil depot in the…\nTalks\nTalks";
    let params = CleanParams {
        boilerplate: false,
        metadata: false,
        address_blocks: false,
        teasers: false,
        repeated_headings: false,
        ..CleanParams::default()
    };
    assert_eq!(dropped_with(page, &params), []);
    assert_eq!(dropped(page).len(), 7);
}

#[test]
fn user_rules_drop_and_keep_lines() {
    let params = CleanParams {
        drop: vec![
            DropRule {
                kind: MatchKind::Prefix,
                text: "Most read".to_owned(),
                reason: DropReason::Teaser,
            },
            DropRule {
                kind: MatchKind::Regex,
                text: r"^BDST: \d+ HRS".to_owned(),
                reason: DropReason::Metadata,
            },
            DropRule {
                kind: MatchKind::Contains,
                text: "sponsored".to_owned(),
                reason: DropReason::Boilerplate,
            },
        ],
        keep: vec![LineMatch {
            kind: MatchKind::Exact,
            text: "subscribe".to_owned(),
        }],
        ..CleanParams::default()
    };
    let page = "MOST READ today\nBDST: 1347 HRS, APR 23, 2025\nThis story is Sponsored by nobody\nSubscribe\nSubscribe now";
    assert_eq!(
        dropped_with(page, &params),
        [
            ("MOST READ today".to_owned(), DropReason::Teaser),
            (
                "BDST: 1347 HRS, APR 23, 2025".to_owned(),
                DropReason::Metadata
            ),
            (
                "This story is Sponsored by nobody".to_owned(),
                DropReason::Boilerplate
            ),
            ("Subscribe now".to_owned(), DropReason::Boilerplate),
        ]
    );
}

#[test]
fn invalid_settings_are_refused_with_the_field() {
    let bad_regex = CleanParams {
        drop: vec![DropRule {
            kind: MatchKind::Regex,
            text: "(unclosed".to_owned(),
            reason: DropReason::Boilerplate,
        }],
        ..CleanParams::default()
    };
    match bad_regex.check() {
        Err(Error::InvalidValue {
            what,
            value,
            expected,
        }) => {
            assert_eq!(what, "drop");
            assert_eq!(value, "(unclosed");
            assert!(expected.contains("index 0"), "{expected}");
        }
        other => panic!("expected InvalidValue, got {other:?}"),
    }
    let zero = CleanParams {
        teaser_min_run: 0,
        ..CleanParams::default()
    };
    assert!(matches!(
        zero.check(),
        Err(Error::InvalidValue {
            what: "teaser_min_run",
            ..
        })
    ));
    // A literal pattern with regex syntax in it is taken literally.
    let literal = CleanParams {
        keep: vec![LineMatch {
            kind: MatchKind::Exact,
            text: "(unclosed".to_owned(),
        }],
        ..CleanParams::default()
    };
    assert!(literal.check().is_ok());
}

#[test]
fn settings_are_plain_json() {
    let json = r#"{"drop": [{"type": "prefix", "text": "Most read", "reason": "teaser"}, {"type": "exact", "text": "Print"}], "keep": [{"type": "contains", "text": "Kremlin"}], "teaser_min_run": 3}"#;
    let params: CleanParams = serde_json::from_str(json).expect("parse");
    assert_eq!(params.teaser_min_run, 3);
    assert_eq!(params.drop[1].reason, DropReason::Boilerplate);
    assert_eq!(params.keep[0].kind, MatchKind::Contains);
    assert!(params.boilerplate && params.repeated_headings);
    let rule = serde_json::to_string(&params.drop[0]).expect("serialize");
    assert_eq!(
        rule,
        r#"{"type":"prefix","text":"Most read","reason":"teaser"}"#
    );
    let back: CleanParams =
        serde_json::from_str(&serde_json::to_string(&params).expect("serialize")).expect("parse");
    assert_eq!(back, params);
    assert!(serde_json::from_str::<CleanParams>(r#"{"teasers_min_run": 3}"#).is_err());
}

#[test]
fn the_offset_map_survives_separators_and_bad_spans() {
    let page = "  Title  \r\n\r\nDropped? Leave a Reply\nLeave a Reply\nBody one.\nBody two.\n";
    let cleaned = clean(page);
    assert_eq!(
        cleaned.text,
        "Title\n\nDropped? Leave a Reply\n\nBody one.\nBody two."
    );
    let cases = [
        (0..5, Some(2..7)),
        (7..15, Some(13..21)),
        (5..7, Some(13..13)),
        (0..cleaned.text.len(), Some(2..page.len() - 1)),
        (3..3, Some(5..5)),
        (0..1000, None),
    ];
    for (span, expected) in cases {
        assert_eq!(cleaned.original_span(span.clone()), expected, "{span:?}");
    }
    assert_eq!(
        cleaned.original_offset(cleaned.text.len()),
        Some(page.len() - 1)
    );
    assert_eq!(clean("").original_span(0..0), None);
    assert_eq!(clean("\n \n").pieces, []);
}

#[test]
fn a_sentence_continued_on_the_next_kept_line_maps_back_with_the_trimmed_whitespace() {
    // Found by the property test: "!" then a line starting with a lower-case letter is one
    // sentence of the cleaned text, and its original span holds the trimmed space too.
    let page = "Talks resume ! \n\u{10cc0} and go on.";
    let cleaned = clean(page);
    assert_eq!(cleaned.text, "Talks resume !\n\u{10cc0} and go on.");
    let spans = sentences(&cleaned.text);
    assert_eq!(spans.len(), 1);
    let back = cleaned.original_span(spans[0].clone()).expect("in bounds");
    assert_eq!(&page[back], page);
}

fn page_strategy() -> impl Strategy<Value = String> {
    let lines = prop::sample::select(vec![
        "Leave a Reply",
        "0 comments",
        "Physical Address",
        "304 North Cardinal St.",
        "Dorchester Center, MA 02124",
        "Moscow rejects the plan for a truce in eastern...",
        "Kyiv says new drone strikes hit an oil depot in the…",
        "Talks in Paris",
        "RT.com",
        "Kyiv said on Monday it would not cede territory.",
        "",
        "  ",
        "\r",
        "Élysée…",
        "🇺🇦",
    ]);
    prop_oneof![
        any::<String>(),
        proptest::collection::vec(
            prop_oneof![lines.prop_map(str::to_owned), any::<String>()],
            0..12
        )
        .prop_map(|v| v.join("\n")),
    ]
}

proptest! {
    #[test]
    fn cleaning_any_text_keeps_the_invariants(page in page_strategy()) {
        let cleaned = clean(&page);
        check_invariants(&page, &cleaned);
        // A sentence may continue onto the next kept line (one starting in lower case); its
        // original span then also holds the whitespace trimmed off the line ends, nothing else.
        for span in sentences(&cleaned.text) {
            let back = cleaned.original_span(span.clone()).expect("in bounds");
            let original_words: Vec<&str> = page[back].split_whitespace().collect();
            let clean_words: Vec<&str> = cleaned.text[span].split_whitespace().collect();
            prop_assert_eq!(original_words, clean_words);
        }
    }
}
