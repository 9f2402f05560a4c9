//! The shipped gazetteer (`corpora/peace-talks/gazetteer.toml`) on the five sample articles:
//! it passes `check`, has every id other tools depend on, finds what a careful reader sees in
//! each article, and its fuzzy names are exactly the garbled names of the articles.

use stance_features::gazetteer::{Gazetteer, How, Mention, Target, check};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpora/peace-talks");

fn source() -> String {
    std::fs::read_to_string(format!("{ROOT}/gazetteer.toml")).expect("the shipped gazetteer")
}

fn shipped() -> Gazetteer {
    Gazetteer::from_toml(&source(), "gazetteer.toml").expect("the shipped gazetteer compiles")
}

/// The sample articles, in name order, with the date each was published (from its text).
fn articles() -> Vec<(String, String, &'static str)> {
    let names = [
        ("000_fd3a616ef928046d.txt", "2025-04-23"),
        ("001_6a413cfa2226c47e.txt", "2025-03-13"),
        ("002_9bb6b57b2843eddc.txt", "2025-09-04"),
        ("003_4e20828765b51fc9.txt", "2025-04-23"),
        ("004_35f9a6c6c541f104.txt", "2026-01-06"),
    ];
    names
        .iter()
        .map(|&(name, date)| {
            let text = std::fs::read_to_string(format!("{ROOT}/articles/{name}"))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            (name.to_string(), text, date)
        })
        .collect()
}

fn id(g: &Gazetteer, m: &Mention<'_>) -> String {
    match m.target {
        Target::Actor(a) => g.actor(a).id().to_string(),
        Target::Proposal(p) => g.proposal(p).id().to_string(),
    }
}

#[test]
fn the_shipped_gazetteer_passes_check_and_has_the_required_ids() {
    let problems = check(&source());
    assert!(problems.is_empty(), "{problems:#?}");
    let g = shipped();
    let actors = [
        "russia",
        "ukraine",
        "usa",
        "uk",
        "france",
        "germany",
        "italy",
        "poland",
        "spain",
        "netherlands",
        "belgium",
        "hungary",
        "slovakia",
        "lithuania",
        "finland",
        "canada",
        "china",
        "eu",
        "nato",
        "putin",
        "lavrov",
        "peskov",
        "zelensky",
        "trump",
        "vance",
        "rubio",
        "witkoff",
        "kellogg",
        "starmer",
        "healey",
        "lammy",
        "macron",
        "lecornu",
        "rutte",
    ];
    for a in actors {
        assert!(g.actor_id(a).is_some(), "actor {a}");
    }
    let proposals = [
        "ceasefire",
        "peacekeeping_force",
        "security_guarantees",
        "crimea_recognition",
        "territorial_concessions",
        "minerals_deal",
        "nato_membership",
        "peace_deal",
        "sanctions",
        "frozen_assets",
    ];
    for p in proposals {
        assert!(g.proposal_id(p).is_some(), "proposal {p}");
    }
    for a in g.actors() {
        if a.kind() == stance_features::gazetteer::ActorKind::Person {
            assert!(
                a.country().is_some() || !a.member_of().is_empty(),
                "{} has a country or an organisation",
                a.id()
            );
        }
    }
}

#[test]
fn roles_resolve_to_the_holder_on_the_date() {
    let g = shipped();
    let cases = [
        ("the British prime minister", "2025-04-23", "starmer"),
        ("the British prime minister", "2024-07-04", "uk"),
        ("the UK foreign secretary", "2025-04-23", "lammy"),
        ("the UK foreign secretary", "2025-10-01", "cooper"),
        ("the British deputy prime minister", "2025-10-01", "lammy"),
        ("the US president", "2018-01-01", "trump"),
        ("the US president", "2023-01-01", "biden"),
        ("the US president", "2025-02-01", "trump"),
        ("the French prime minister", "2025-10-01", "lecornu"),
        ("the French defence minister", "2024-01-01", "lecornu"),
        ("the French armed forces minister", "2025-10-01", "france"),
        ("NATO's secretary general", "2025-01-01", "rutte"),
        ("the Dutch prime minister", "2020-01-01", "rutte"),
        ("the Russian foreign minister", "2025-01-01", "lavrov"),
        ("the Kremlin spokesman", "2025-01-01", "peskov"),
        ("the German chancellor", "2025-06-01", "merz"),
        ("the German chancellor", "2024-06-01", "germany"),
        ("president of Ukraine", "2025-01-01", "zelensky"),
    ];
    for (text, date, expected) in cases {
        let mentions = g.find(text, Some(date.parse().unwrap()));
        let got: Vec<String> = mentions.iter().map(|m| id(&g, m)).collect();
        assert_eq!(got, [expected], "{text} on {date}");
        assert_eq!(mentions[0].how, How::Role, "{text}");
    }
}

/// What a careful reader sees in each article: (matched text, id), in order of appearance. The
/// finder must report each of them (it may report more).
const EXPECTED: [&[(&str, &str)]; 5] = [
    &[
        ("Kiev's", "ukraine"),
        ("security guarantees", "security_guarantees"),
        ("Trump's", "trump"),
        ("acknowledge Crimea as Russian", "crimea_recognition"),
        ("UK", "uk"),
        ("France", "france"),
        ("Kiev", "ukraine"),
        ("concede territory", "territorial_concessions"),
        ("Russia", "russia"),
        ("Western security guarantees", "security_guarantees"),
        ("London", "uk"),
        ("Paris", "france"),
        ("US President", "trump"),
        ("Donald Trump", "trump"),
        ("America", "usa"),
        ("Washington", "usa"),
        ("truce", "ceasefire"),
        ("Moscow", "russia"),
        ("European leaders", "europe"),
        ("Russian sovereignty over Crimea", "crimea_recognition"),
        (
            "freezing the hostilities along the current front lines",
            "ceasefire",
        ),
        ("cease-fire", "ceasefire"),
        ("armistice", "ceasefire"),
        ("peace agreement", "peace_deal"),
        ("Vladimir Zelensky", "zelensky"),
        ("peace plan", "peace_deal"),
        ("Marco Rubio", "rubio"),
        ("Moscow", "russia"),
        ("EU", "eu"),
        ("UK", "uk"),
        ("Paris", "france"),
        ("London", "uk"),
        ("ceasefire", "ceasefire"),
        ("deployment of Western troops", "peacekeeping_force"),
        ("Russian government", "russia"),
        ("Washington", "usa"),
        ("Russian officials", "russia"),
        ("NATO's expansion", "nato_membership"),
        ("Moscow", "russia"),
        ("Zelensky", "zelensky"),
    ],
    &[
        ("Britain", "uk"),
        ("Russia", "russia"),
        ("Vladimir Putin", "putin"),
        ("ceasefire", "ceasefire"),
        ("Kyiv", "ukraine"),
        ("Washington", "usa"),
        ("Downing Street", "uk"),
        ("Keir Starmer", "starmer"),
        ("coalition of the willing", "coalition_of_the_willing"),
        ("peacekeeping force", "peacekeeping_force"),
        ("European defense ministers", "europe"),
        ("John Healey", "healey"),
        ("French Defense Minister", "lecornu"),
        ("Sébastien Lecornu", "lecornu"),
        ("security architecture", "security_guarantees"),
        ("peace agreement", "peace_deal"),
        ("NATO", "nato"),
        ("Moscow", "russia"),
        ("ceasefire", "ceasefire"),
        ("Donald Trump’s", "trump"),
        ("post-war settlement", "peace_deal"),
        ("Ukrainian President", "zelensky"),
        ("Volodymyr Zelensky", "zelensky"),
        ("minerals deal", "minerals_deal"),
        ("UK Prime Minister", "starmer"),
        ("French President", "macron"),
        ("Emmanuel Macron", "macron"),
        ("No 10", "uk"),
        ("Russia’s Foreign Minister", "lavrov"),
        ("Sergei Lavrov", "lavrov"),
        ("NATO troops", "peacekeeping_force"),
        ("agreement on a ceasefire", "ceasefire"),
        ("Americans", "usa"),
        ("Ukrainians", "ukraine"),
        ("Healey", "healey"),
        ("Putin", "putin"),
        ("US Secretary of State", "rubio"),
        ("Marco Rubio", "rubio"),
        ("territorial issues", "territorial_concessions"),
        ("concede any land", "territorial_concessions"),
        ("Whitehall officials", "uk"),
        ("Trump", "trump"),
        ("backstop", "security_guarantees"),
        ("security guarantees", "security_guarantees"),
        ("air support", "security_guarantees"),
    ],
    &[
        ("Volodimir Zelensky", "zelensky"),
        ("Kyiv’s", "ukraine"),
        ("security assurances", "security_guarantees"),
        ("ceasefire", "ceasefire"),
        ("Vladimir Putin", "putin"),
        ("Donald Trump", "trump"),
        ("US president", "trump"),
        ("French officials", "france"),
        ("military guarantees", "security_guarantees"),
        ("air support", "security_guarantees"),
        ("Emmanuel Macron", "macron"),
        ("UK Prime Minister", "starmer"),
        ("Keira Starmer", "starmer"),
        ("NATO leader", "rutte"),
        ("Mark Ruthte", "rutte"),
        ("Elysée Palace", "france"),
        ("security guarantees", "security_guarantees"),
        ("US Special Messenger", "witkoff"),
        ("Steve Witcoof", "witkoff"),
        ("guarantors", "security_guarantees"),
        ("Mark Rute", "rutte"),
        ("Western troops", "peacekeeping_force"),
        ("UK Defense Minister", "healey"),
        ("coalition of readiness", "coalition_of_the_willing"),
        ("forces of reassurance", "peacekeeping_force"),
        ("Germany", "germany"),
        ("Russian leader", "putin"),
        ("Kim Jong Un", "kim"),
        ("peace deal", "peace_deal"),
        ("Ellise Palace", "france"),
    ],
    &[
        ("UK", "uk"),
        ("France", "france"),
        ("Germany", "germany"),
        ("Ukraine", "ukraine"),
        ("US", "usa"),
        ("ceasefire", "ceasefire"),
        ("Russia", "russia"),
        (
            "halting its military advances along the current front lines",
            "ceasefire",
        ),
        ("territorial concessions", "territorial_concessions"),
        ("US President", "trump"),
        ("Steve Witkoff", "witkoff"),
        ("Marco Rubio", "rubio"),
        ("Keith Kellogg", "kellogg"),
        ("UK Foreign Secretary", "lammy"),
        ("David Lammy", "lammy"),
        ("US Secretary of State", "rubio"),
        ("White House", "usa"),
        ("Russian President", "putin"),
        ("pause its invasion at the current front lines", "ceasefire"),
        ("territorial claims", "territorial_concessions"),
        (
            "recognition of Russian sovereignty over Crimea",
            "crimea_recognition",
        ),
        ("Ukrainian President", "zelensky"),
        ("recognizing Crimea as part of Russia", "crimea_recognition"),
        ("UK Defence Secretary", "healey"),
        ("John Healey", "healey"),
        ("truce", "ceasefire"),
        ("Ukrainians", "ukraine"),
    ],
    &[
        ("Security Pledges", "security_guarantees"),
        ("Ukraine’s", "ukraine"),
        ("international defence guarantees", "security_guarantees"),
        ("European countries", "europe"),
        ("Canada", "canada"),
        ("European Union", "eu"),
        ("NATO", "nato"),
        ("Kyiv’s", "ukraine"),
        ("UK Prime Minister", "starmer"),
        ("Sir Keir Starmer", "starmer"),
        ("ceasefire", "ceasefire"),
        ("Russian officials", "russia"),
        ("Moscow", "russia"),
        ("comprehensive settlement", "peace_deal"),
        ("Russian President", "putin"),
        ("deployment of troops", "peacekeeping_force"),
        ("US envoy", "witkoff"),
        ("Trump", "trump"),
        ("Jared Kushner", "kushner"),
        ("French President", "macron"),
        ("Elysee", "france"),
        ("US delegation", "usa"),
        ("Volodymyr Zelenskyy", "zelensky"),
        ("Zelenskyy", "zelensky"),
        ("troop deployments", "peacekeeping_force"),
        ("Britain", "uk"),
        ("coalition of the willing", "coalition_of_the_willing"),
    ],
];

#[test]
fn finds_what_a_careful_reader_sees_in_each_article() {
    let g = shipped();
    for ((name, text, date), expected) in articles().iter().zip(EXPECTED) {
        let mentions = g.find(text, Some(date.parse().unwrap()));
        let found: Vec<(&str, String)> = mentions.iter().map(|m| (m.text, id(&g, m))).collect();
        // Each expected mention, in order: a subsequence of what was found.
        let mut rest = found.iter();
        for &(t, i) in expected {
            assert!(
                rest.any(|(ft, fi)| *ft == t && fi == i),
                "{name}: ({t:?}, {i}) not found in order; found {found:#?}"
            );
        }
        for m in &mentions {
            assert_eq!(&text[m.span.clone()], m.text, "{name}");
        }
    }
}

#[test]
fn fuzzy_names_are_the_garbled_names_and_nothing_else() {
    let g = shipped();
    let expected: [&[(&str, &str)]; 5] = [
        &[],
        &[],
        &[
            ("Volodimir Zelensky", "zelensky"),
            ("Keira Starmer", "starmer"),
            ("Mark Ruthte", "rutte"),
            ("Steve Witcoof", "witkoff"),
            ("Mark Rute", "rutte"),
        ],
        &[],
        &[],
    ];
    for ((name, text, date), expected) in articles().iter().zip(expected) {
        let fuzzy: Vec<(&str, String)> = g
            .find(text, Some(date.parse().unwrap()))
            .iter()
            .filter(|m| m.how == How::Fuzzy)
            .map(|m| (m.text, id(&g, m)))
            .collect();
        let expected: Vec<(&str, String)> =
            expected.iter().map(|&(t, i)| (t, i.to_string())).collect();
        assert_eq!(fuzzy, expected, "{name}");
    }
}

#[test]
fn places_are_place_mentions_and_datelines_are_not_mentions() {
    let g = shipped();
    // (article, context, the place name inside it, its actor; None for a dateline, which must
    // not be a mention at all)
    let places: [(usize, &str, &str, Option<&str>); 12] = [
        (0, "officials in Paris last week", "Paris", Some("france")),
        (0, "LONDON, UK:", "LONDON", None),
        (0, "WASHINGTON, D.C. The", "WASHINGTON", None),
        (
            1,
            "European defense ministers in Paris",
            "Paris",
            Some("france"),
        ),
        (1, "Trip to the White House", "White House", Some("usa")),
        (1, "tensions in the Oval Office", "Oval Office", Some("usa")),
        (1, "initial trip to Washington", "Washington", Some("usa")),
        (2, "part in the Paris summit", "Paris", Some("france")),
        (2, "arrived in Paris", "Paris", Some("france")),
        (3, "will meet in London", "London", Some("uk")),
        (3, "attend the London talks", "London", Some("uk")),
        (3, "would visit Moscow", "Moscow", Some("russia")),
    ];
    let articles = articles();
    for (k, context, place, actor) in places {
        let (name, text, date) = &articles[k];
        let at = text
            .find(context)
            .unwrap_or_else(|| panic!("{name}: {context:?}"))
            + context.find(place).unwrap();
        let mentions = g.find(text, Some(date.parse().unwrap()));
        let found: Vec<(How, &str)> = mentions
            .iter()
            .filter(|m| m.span.contains(&at))
            .map(|m| (m.how, g.actor(m.actor().unwrap()).id()))
            .collect();
        let expected: Vec<(How, &str)> = actor.map(|a| (How::Place, a)).into_iter().collect();
        assert_eq!(found, expected, "{name}: {place:?} in {context:?}");
    }
}

/// Sentences for the test: split after '.', '!' or '?' followed by a space or a newline, and at
/// newlines.
fn sentences(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let after = &text[i + c.len_utf8()..];
        let end_of_sentence = c == '\n'
            || (matches!(c, '.' | '!' | '?')
                && (after.starts_with(' ') || after.starts_with('\n')));
        if end_of_sentence {
            let end = i + c.len_utf8();
            if text[start..end].trim().len() > 1 {
                out.push(start..end);
            }
            start = end;
        }
    }
    if text[start..].trim().len() > 1 {
        out.push(start..text.len());
    }
    out
}

#[test]
fn pairs_the_design_example_in_the_first_article() {
    use stance_features::gazetteer::{Window, pair_mentions};
    let g = shipped();
    let (_, text, date) = &articles()[0];
    let mentions = g.find(text, Some(date.parse().unwrap()));
    let pairs = pair_mentions(&mentions, &sentences(text), Window::Sentence).unwrap();
    let show: Vec<(String, String, &str)> = pairs
        .iter()
        .map(|p| {
            (
                id(&g, &mentions[p.actor]),
                id(&g, &mentions[p.proposal]),
                &text[p.proposal_span.clone()],
            )
        })
        .collect();
    // "Paris and London have suggested a post-ceasefire deployment of Western troops in Ukraine,
    // a scenario that the Russian government has deemed unacceptable ..."
    for actor in ["france", "uk", "ukraine", "russia"] {
        let pair = (
            actor.to_string(),
            "peacekeeping_force".to_string(),
            "deployment of Western troops",
        );
        assert!(show.contains(&pair), "{actor}: {show:#?}");
    }
    let evidence = pairs
        .iter()
        .find(|p| &text[p.proposal_span.clone()] == "deployment of Western troops")
        .map(|p| &text[p.sentence_span.clone()])
        .unwrap();
    assert!(
        evidence
            .trim_start()
            .starts_with("Paris and London have suggested"),
        "{evidence}"
    );
    assert!(evidence.contains("deemed unacceptable"), "{evidence}");
    // Moscow's accusation is a sentence of its own: no proposal there.
    assert!(!pairs.iter().any(|p| {
        text[p.sentence_span.clone()]
            .trim_start()
            .starts_with("Moscow has accused")
    }));
}
