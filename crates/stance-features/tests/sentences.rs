//! Sentence segmentation: (input, expected sentences) tables for abbreviations, initials,
//! quotations, numbers, ellipses, headlines and line breaks; hand-checked counts and boundaries
//! on the five sample articles; and a property test on arbitrary text.

use std::ops::Range;
use std::path::Path;

use proptest::prelude::*;
use stance_features::text::{
    LineBreaks, SentenceParams, SentenceSplitter, char_spans, clean, sentences,
};

fn split_with(text: &str, line_breaks: LineBreaks) -> Vec<&str> {
    SentenceSplitter::new(SentenceParams { line_breaks })
        .split(text)
        .into_iter()
        .map(|s| &text[s])
        .collect()
}

fn check(cases: &[(&str, &[&str])]) {
    for &(input, expected) in cases {
        assert_eq!(
            split_with(input, LineBreaks::EndSentence),
            expected,
            "input: {input:?}"
        );
    }
}

#[test]
fn abbreviations_and_initials() {
    check(&[
        (
            "The U.S. and the U.K. agreed. The E.U. did not.",
            &["The U.S. and the U.K. agreed.", "The E.U. did not."],
        ),
        (
            "He spoke to the U.N. Security Council on Monday.",
            &["He spoke to the U.N. Security Council on Monday."],
        ),
        (
            "Sanctions were imposed by the U.S. The Kremlin responded.",
            &[
                "Sanctions were imposed by the U.S.",
                "The Kremlin responded.",
            ],
        ),
        (
            "Mr. Smith met Mrs. Jones and Dr. Brown.",
            &["Mr. Smith met Mrs. Jones and Dr. Brown."],
        ),
        (
            "Gen. Kellogg, Lt. Col. Smith and Sen. Rubio met Rep. Jones and Gov. Abbott.",
            &["Gen. Kellogg, Lt. Col. Smith and Sen. Rubio met Rep. Jones and Gov. Abbott."],
        ),
        (
            "Prof. Ivanov lives in St. Petersburg. He teaches.",
            &["Prof. Ivanov lives in St. Petersburg.", "He teaches."],
        ),
        (
            "The talks began at 9 a.m. and ended at 5 p.m. on Friday.",
            &["The talks began at 9 a.m. and ended at 5 p.m. on Friday."],
        ),
        (
            "The talks ended at 5 p.m. The leaders then left.",
            &["The talks ended at 5 p.m.", "The leaders then left."],
        ),
        (
            "A No 10 insider spoke. No. 10 declined to comment.",
            &["A No 10 insider spoke.", "No. 10 declined to comment."],
        ),
        (
            "The deadline is Jan. 15 or Feb. 1 at the latest.",
            &["The deadline is Jan. 15 or Feb. 1 at the latest."],
        ),
        (
            "Allies, e.g. France, agreed; others, i.e. Hungary, did not, etc. and so on.",
            &["Allies, e.g. France, agreed; others, i.e. Hungary, did not, etc. and so on."],
        ),
        (
            "Some allies, e.g. France or Britain, sent troops.",
            &["Some allies, e.g. France or Britain, sent troops."],
        ),
        (
            "They sent tanks, jets, etc. The army advanced.",
            &["They sent tanks, jets, etc.", "The army advanced."],
        ),
        (
            "President Donald J. Trump met Vladimir V. Putin.",
            &["President Donald J. Trump met Vladimir V. Putin."],
        ),
        (
            "Washington, D.C. is the capital.",
            &["Washington, D.C. is the capital."],
        ),
        (
            "WASHINGTON, D.C.: The talks resumed.",
            &["WASHINGTON, D.C.: The talks resumed."],
        ),
        (
            "It was Plan B. The rest failed.",
            &["It was Plan B.", "The rest failed."],
        ),
    ]);
}

#[test]
fn quotations() {
    check(&[
        (
            "\"We reject it.\" He said so.",
            &["\"We reject it.\"", "He said so."],
        ),
        (
            "He said: \"No.\" Then he left.",
            &["He said: \"No.\"", "Then he left."],
        ),
        ("“We reject it,” he said.", &["“We reject it,” he said."]),
        ("“Why?” he asked.", &["“Why?” he asked."]),
        (
            "“We reject it.” “So do we.” Both left.",
            &["“We reject it.”", "“So do we.”", "Both left."],
        ),
        (
            "‘The ball is in your court.’ Make no mistake.",
            &["‘The ball is in your court.’", "Make no mistake."],
        ),
        (
            "He said (quietly.) Then she spoke.",
            &["He said (quietly.)", "Then she spoke."],
        ),
        (
            "Healey said, “These are decisive days. The Ukrainians desire peace.”",
            &[
                "Healey said, “These are decisive days.",
                "The Ukrainians desire peace.”",
            ],
        ),
    ]);
}

#[test]
fn decimals_and_numbers() {
    check(&[
        (
            "Inflation rose 3.5% in March. The deal is worth $1.2bn.",
            &["Inflation rose 3.5% in March.", "The deal is worth $1.2bn."],
        ),
        (
            "About 1,000 troops. Then 2,000 more.",
            &["About 1,000 troops.", "Then 2,000 more."],
        ),
        (
            "It fell by 0.5 points to 1.25.",
            &["It fell by 0.5 points to 1.25."],
        ),
        ("Version 2.0.1 shipped.", &["Version 2.0.1 shipped."]),
        (
            "It ended in 2024. 15 people died.",
            &["It ended in 2024.", "15 people died."],
        ),
    ]);
}

#[test]
fn ellipses() {
    check(&[
        (
            "He paused... Then he spoke.",
            &["He paused...", "Then he spoke."],
        ),
        (
            "He paused... and then spoke.",
            &["He paused... and then spoke."],
        ),
        (
            "We will see… The talks go on.",
            &["We will see…", "The talks go on."],
        ),
        ("Wait . . . what?", &["Wait . . . what?"]),
        ("“We will see…” he said.", &["“We will see…” he said."]),
    ]);
}

#[test]
fn question_and_exclamation_marks() {
    check(&[
        (
            "Will it hold? Nobody knows! The talks go on.",
            &["Will it hold?", "Nobody knows!", "The talks go on."],
        ),
        (
            "Yahoo!News reported it. Really?!",
            &["Yahoo!News reported it.", "Really?!"],
        ),
        ("“What now?” he asked.", &["“What now?” he asked."]),
        ("Why? Because.", &["Why?", "Because."]),
        ("停火。谈判继续！好", &["停火。", "谈判继续！", "好"]),
    ]);
}

#[test]
fn headlines_and_datelines_end_at_their_line() {
    check(&[
        (
            "UK Pressures Russia for Compromise\n\nBritain has issued a warning. Failure could cost lives.",
            &[
                "UK Pressures Russia for Compromise",
                "Britain has issued a warning.",
                "Failure could cost lives.",
            ],
        ),
        (
            "RT.com\n23 Apr 2025, 16:08 GMT+10\nKiev's backers are said to be urging guarantees\nThe UK and France are open.",
            &[
                "RT.com",
                "23 Apr 2025, 16:08 GMT+10",
                "Kiev's backers are said to be urging guarantees",
                "The UK and France are open.",
            ],
        ),
        (
            "LONDON (Reuters) - The talks resumed.",
            &["LONDON (Reuters) - The talks resumed."],
        ),
        (
            "Title\r\nBody one. Body two.\r\n",
            &["Title", "Body one.", "Body two."],
        ),
        (
            "Support from nuclear-armed powers ‘essential’\n\nUkrainian President Volodymyr Zelenskyy acknowledged the progress.",
            &[
                "Support from nuclear-armed powers ‘essential’",
                "Ukrainian President Volodymyr Zelenskyy acknowledged the progress.",
            ],
        ),
    ]);
}

#[test]
fn line_breaks_inside_a_paragraph() {
    check(&[
        (
            "The talks in Paris\nresumed on Monday.",
            &["The talks in Paris\nresumed on Monday."],
        ),
        (
            "The leaders met.\nThey agreed.",
            &["The leaders met.", "They agreed."],
        ),
        (
            "Sanctions on the U.S.\nofficials were lifted.",
            &["Sanctions on the U.S.\nofficials were lifted."],
        ),
    ]);
    let wrapped =
        "The leaders met in\nParis on Monday. They agreed.\n\nNew paragraph here\nand there";
    assert_eq!(
        split_with(wrapped, LineBreaks::Wrapped),
        [
            "The leaders met in\nParis on Monday.",
            "They agreed.",
            "New paragraph here\nand there"
        ]
    );
    assert_eq!(
        split_with(wrapped, LineBreaks::EndSentence),
        [
            "The leaders met in",
            "Paris on Monday.",
            "They agreed.",
            "New paragraph here\nand there"
        ]
    );
    assert_eq!(
        split_with("Mr.\nSmith left. Gen.\n\nKellogg", LineBreaks::Wrapped),
        ["Mr.\nSmith left.", "Gen.", "Kellogg"]
    );
}

#[test]
fn whitespace_is_never_a_sentence() {
    check(&[
        ("", &[]),
        ("  \n\t \r\n", &[]),
        ("\u{a0}Hello.\u{a0}", &["Hello."]),
        ("One.  Two.", &["One.", "Two."]),
        ("One.\u{2003}Two.", &["One.", "Two."]),
        ("...", &["..."]),
        (".", &["."]),
    ]);
}

#[test]
fn split_into_reuses_the_buffer() {
    let splitter = SentenceSplitter::default();
    let mut out = Vec::with_capacity(16);
    splitter.split_into("One. Two. Three.", &mut out);
    assert_eq!(out, [0..4, 5..9, 10..16]);
    let capacity = out.capacity();
    splitter.split_into("Four. Five.", &mut out);
    assert_eq!(out, [0..5, 6..11]);
    assert_eq!(out.capacity(), capacity);
}

#[test]
fn params_are_plain_json() {
    let params: SentenceParams =
        serde_json::from_str(r#"{"line_breaks": {"type": "wrapped"}}"#).expect("parse");
    assert_eq!(params.line_breaks, LineBreaks::Wrapped);
    assert_eq!(
        serde_json::to_string(&SentenceParams::default()).expect("serialize"),
        r#"{"line_breaks":{"type":"end_sentence"}}"#
    );
}

/// (article, sentences in the raw text, sentences in the cleaned text, sentences that must be
/// found whole in the cleaned text). Counted by hand: one per headline, dateline and
/// one-sentence paragraph, plus the boundaries inside each paragraph.
const ARTICLES: &[(&str, usize, usize, &[&str])] = &[
    (
        "000_fd3a616ef928046d.txt",
        35,
        17,
        &[
            "23 Apr 2025, 16:08 GMT+10",
            "Kiev's backers are said to be urging security guarantees to be included under Trump's reported proposal to acknowledge Crimea as Russian",
            "According to the newspaper's source, the UK and France would prefer a deal with no formal territorial changes, \"like the cease-fire that ended the Korean War.\"",
            "Without a formal peace agreement, the Korean War remains technically unresolved.",
        ],
    ),
    (
        "001_6a413cfa2226c47e.txt",
        39,
        34,
        &[
            "UK Urges Russia to Compromise for Peace in Ukraine",
            "A No 10 insider conveyed that the Prime Minister’s focus this week has been squarely on securing the deal rather than planning any trips.",
            "I say to President Putin, ‘The ball is in your court.’",
            "Make no mistake—the pressure is on Putin.”",
            "The Ukrainians desire peace, and we all share that aspiration.",
        ],
    ),
    (
        "002_9bb6b57b2843eddc.txt",
        34,
        27,
        &[
            "This is a sovereign country.",
            "This is not for their solution.”",
            "“I think we will cross it all,” he said.",
            "This concept was extremely important for the Ukrainians, the source added.",
        ],
    ),
    (
        "003_4e20828765b51fc9.txt",
        21,
        19,
        &[
            "Instead, Trump’s Ukraine envoy, General Keith Kellogg, will represent the US.",
            "\"While Putin claims to have declared an Easter truce, he violated it,\" Healey remarked.",
            "\"Despite his statements about desiring peace, he has rejected a full ceasefire and continues to stall in negotiations.\"",
            "BDST: 1347 HRS, APR 23, 2025",
        ],
    ),
    (
        "004_35f9a6c6c541f104.txt",
        26,
        21,
        &[
            "Ukraine Allies: Security Pledges Boost Hope for Russia End to War",
            "US envoy Witkoff says Trump backs security guarantees",
            "Moscow is also showing few signs of compromise.",
            "The drones hit an arsenal in Russia’s Kostroma region, triggering explosions and evacuations, and an oil depot in Russia’s Lipetsk region, causing a large fire.",
        ],
    ),
];

#[test]
fn sample_articles_have_the_hand_counted_sentences() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpora/peace-talks/articles");
    for &(name, raw, cleaned_count, whole) in ARTICLES {
        let text = std::fs::read_to_string(dir.join(name)).expect("read article");
        assert_eq!(sentences(&text).len(), raw, "{name} raw");
        let cleaned = clean(&text);
        let spans = sentences(&cleaned.text);
        assert_eq!(spans.len(), cleaned_count, "{name} cleaned");
        let found: Vec<&str> = spans.iter().map(|s| &cleaned.text[s.clone()]).collect();
        for sentence in whole {
            assert!(
                found.contains(sentence),
                "{name}: {sentence:?} in {found:#?}"
            );
        }
        // Every kept line starts a sentence and ends one.
        for piece in &cleaned.pieces {
            assert!(spans.iter().any(|s| s.start == piece.clean.start), "{name}");
            assert!(spans.iter().any(|s| s.end == piece.clean.end), "{name}");
        }
    }
}

/// Text drawn from all of Unicode, and text dense in what the splitter looks at.
fn text_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        proptest::collection::vec(
            prop::sample::select(vec![
                ".", "!", "?", "…", "。", "？", "\"", "”", "’", "'", ")", " ", "\n", "\r", "\r\n",
                "\u{a0}", "\u{2003}", "\u{85}", "\t", "U.S", "Mr", "No", "J", "a.m", "The", "the",
                "3", "é", "É", "北京", "🇺🇦", "\u{301}",
            ]),
            0..60
        )
        .prop_map(|v| v.concat()),
    ]
}

fn check_spans(text: &str, spans: &[Range<usize>]) -> Result<(), TestCaseError> {
    let mut previous_end = 0;
    for span in spans {
        prop_assert!(span.start < span.end, "non-empty: {:?}", span);
        prop_assert!(span.start >= previous_end, "in order, disjoint: {:?}", span);
        prop_assert!(span.end <= text.len());
        prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        let sentence = &text[span.clone()];
        prop_assert_eq!(sentence.trim(), sentence, "trimmed");
        prop_assert!(
            text[previous_end..span.start].trim().is_empty(),
            "only whitespace between sentences"
        );
        previous_end = span.end;
    }
    prop_assert!(
        text[previous_end..].trim().is_empty(),
        "only whitespace after"
    );
    Ok(())
}

proptest! {
    #[test]
    fn spans_are_trimmed_ordered_char_boundaries(text in text_strategy()) {
        for line_breaks in [LineBreaks::EndSentence, LineBreaks::Wrapped] {
            let splitter = SentenceSplitter::new(SentenceParams { line_breaks });
            let spans = splitter.split(&text);
            check_spans(&text, &spans)?;
            let chars = char_spans(&text, &spans);
            for (bytes, chars) in spans.iter().zip(&chars) {
                prop_assert_eq!(text[bytes.clone()].chars().count(), chars.end - chars.start);
            }
        }
    }
}
