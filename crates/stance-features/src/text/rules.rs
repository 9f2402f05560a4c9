//! The built-in line rules of the cleaner: what boilerplate, metadata and address lines look
//! like, written as case-insensitive regular expressions over one whitespace-trimmed line.
//!
//! Each pattern is anchored to the whole line or to its start, because the same words inside a
//! paragraph are article text: "Russia refused to subscribe to the plan" must stay, "Subscribe to
//! get the latest posts" must go. The cleaner also applies a word limit before any of these
//! rules, so no long paragraph can be dropped by a pattern.

use std::sync::OnceLock;

use regex::{Regex, RegexSet};

use crate::swar::{splat, word_at, zero_bytes};

/// Prompts and navigation: comment forms, newsletter and share prompts, cookie notices,
/// "related stories" headers.
const BOILERPLATE: &[&str] = &[
    r"^leave a (reply|comment)\b",
    r"^(post|add|write|submit) a comment\b",
    r"^your email address will not be published",
    r"^required fields are marked",
    r"^(cancel reply|post comment|submit comment)$",
    r"^\d+ (comments?|responses?|replies)$",
    r"^(no|view|show|load|hide|read) (more |all )?comments$",
    r"^comments?( \(\d+\))?$",
    r"^(back|scroll back|return|go back) to top$",
    r"^skip to (main )?content$",
    r"^you (may|might) (also )?(like|be interested in|enjoy)\b",
    r"^(related|recommended|suggested|popular|trending|latest|more) (stories|articles|posts|news|reads|reading|videos|content)$",
    r"^(read|see) (more|also)\b[^.!?]{0,120}$",
    r"^(continue|keep) reading\b[^.!?]{0,120}$",
    r"^discover more from\b",
    r"^subscribe\b",
    r"^(sign up|signup|register|join)\b.{0,120}\b(newsletters?|e-?mails?|inbox|alerts|updates)\b",
    r"^(get|receive)\b.{0,160}\b(newsletters?|our (daily |weekly )?e-?mails?|(in|to) your inbox)\b",
    r"^(share|share this( article| story| post| page)?|tweet|print|e-?mail|sms|facebook|twitter|x|whatsapp|telegram|linkedin|reddit|pinterest|copy link)$",
    r"^share (this|on|via)\b",
    r"^follow us\b",
    r"^(we|this (web)?site) uses? cookies\b",
    r"^(accept|reject|allow) (all )?cookies$",
    r"^cookie (policy|settings|preferences|notice)$",
    r"^(privacy policy|terms of (use|service)|all rights reserved)\b",
    r"^(copyright\b|©)",
    r"^(advertisement|advertising|sponsored( content)?)$",
    r"^(click|tap) here\b",
];

/// Boilerplate that may stand anywhere in a line, guarded by a word every match contains
/// (ASCII letters that no non-ASCII character matches case-insensitively: see the tests).
const BOILERPLATE_ANYWHERE: &[(&str, &[&str])] = &[(
    r"\bby submitting a (news|press) release\b",
    &["ubmitting a "],
)];

/// Wire-service and agency names that appear alone on a credit line ("AP/ABC", "Reuters").
const AGENCIES: &str = r"(ap|afp|reuters|abc|bbc|cnn|dpa|ani|pti|upi|tass|ria novosti|ria|xinhua|efe|ansa|ians|bloomberg|associated press|agence france-presse|agencies|staff|wires?)";

/// Metadata lines that hold no article text: a bare site name, a source or photo credit, a
/// line of agency names. (Bylines are separate: see [`LineRules::is_byline`].)
fn metadata_patterns() -> Vec<String> {
    vec![
        r"^(www\.)?[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)*\.[a-z]{2,}$".to_owned(),
        r"^(source|sources|via|credit|credits|photo|photos|image|images|picture|pictures|photograph)\s*:\s*\S"
            .to_owned(),
        format!(r"^{AGENCIES}(\s*(/|,|&|\band\b|\bwith\b)\s*{AGENCIES})*\.?$"),
    ]
}

/// "By Paul Kirby", "Reporting by ..."; and a name followed by a newsroom role ("Paul Kirby,
/// Digital Europe editor" — in the samples scraped as "Paul KirbyDigital editor of Europe").
const BYLINES: &[&str] = &[
    r"^(?i:by)\s+\p{Lu}",
    r"(?i)^(additional )?(reporting|writing|editing) by\b",
];

/// The name-and-role byline, which looks along the whole line (`.*`); guarded by a piece of
/// each role word (pieces avoiding `s` and `k`, which `ſ` and the Kelvin sign match too).
const BYLINE_ROLE: (&str, &[&str]) = (
    r"^\p{Lu}[\p{L}'’-]*\s+\p{Lu}[\p{L}'’-]*\b.*\b(?i:editor|correspondent|reporter|journalist|staff writer|contributor|columnist)s?\b",
    &[
        "editor",
        "corre",
        "reporter",
        "journali",
        "taff writer",
        "contributor",
        "columni",
    ],
);

/// Where a line of an address block belongs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AddressPart {
    /// "Physical Address", "Contact us".
    Label,
    /// "304 North Cardinal St.", "Suite 200", "PO Box 12".
    Street,
    /// "Dorchester Center, MA 02124", "London SW1A 2AA", "75008 Paris".
    Locality,
    /// A phone number or e-mail address.
    Contact,
}

const ADDRESS_LABEL: &str = r"(?i)^((physical|mailing|postal|street|office|head office|registered office|business|our) )?address:?$|^(contact( us| information| info| details)?|location|headquarters|get in touch):?$";
const ADDRESS_STREET: &str = r"(?i)^\d{1,6}[a-z]?(-\d+)?\s+(\S+\s+){0,5}(st|street|ave|avenue|rd|road|blvd|boulevard|ln|lane|dr|drive|way|ct|court|pl|place|sq|square|hwy|highway|pkwy|parkway|terrace|crescent|close|row)\.?(\s*,.*)?$|^(suite|ste|floor|fl|unit|room|apt)\.?\s*#?\d+|^p\.?\s*o\.?\s*box\s+\d+";
const ADDRESS_LOCALITY: &str = r"^[\p{L} .'-]+,\s*[A-Z]{2}\s+\d{5}(-\d{4})?$|\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$|^\d{4,5}\s+\p{Lu}[\p{L} -]+$";
const ADDRESS_CONTACT: &str = r"(?i)^(tel|phone|telephone|fax|mobile|e-?mail)\s*[:.]?\s*\S|^\+?[\d ()./-]{7,}$|^[\w.+-]+@[\w-]+(\.[\w-]+)+$";

/// A necessary condition for a pattern to match a line, checked before the pattern.
#[derive(Clone, Copy, Debug)]
enum Guard {
    /// The line contains one of these ASCII strings, up to ASCII case.
    ContainsAny(&'static [&'static str]),
    /// [`ADDRESS_LOCALITY`]: every branch ends in a digit or an ASCII capital, or starts with
    /// a digit.
    LocalityEnds,
}

impl Guard {
    fn admits(self, line: &str) -> bool {
        match self {
            Guard::ContainsAny(words) => words.iter().any(|w| contains_ignore_ascii_case(line, w)),
            Guard::LocalityEnds => {
                let first = line.chars().next();
                let last = line.chars().next_back();
                first.is_some_and(char::is_numeric)
                    || last.is_some_and(|c| c.is_numeric() || c.is_ascii_uppercase())
            }
        }
    }
}

/// Whether `haystack` contains the ASCII string `needle`, up to ASCII case. Every line of every
/// article is searched, so when the needle starts with two letters the search looks for that
/// pair eight positions at a time and compares the needle only where the pair stands.
fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    let (hay, pattern) = (haystack.as_bytes(), needle.as_bytes());
    let n = pattern.len();
    let ([a, b, ..], true) = (pattern, hay.len() >= n) else {
        return contains_ignore_ascii_case_bytewise(haystack, needle);
    };
    if !(a.is_ascii_alphabetic() && b.is_ascii_alphabetic()) {
        return contains_ignore_ascii_case_bytewise(haystack, needle);
    }
    // Setting bit 5 folds ASCII capitals onto lower case and no other byte onto a letter.
    let fold = splat(0x20);
    let (first, second) = (splat(a | 0x20), splat(b | 0x20));
    let last = hay.len() - n;
    let matches_at = |k: usize| hay[k..k + n].eq_ignore_ascii_case(pattern);
    let mut i = 0;
    while i <= last {
        let (Some(x), Some(y)) = (word_at(hay, i), word_at(hay, i + 1)) else {
            return (i..=last).any(matches_at);
        };
        let mut pairs = zero_bytes((x | fold) ^ first) & zero_bytes((y | fold) ^ second);
        while pairs != 0 {
            let k = i + (pairs.trailing_zeros() / 8) as usize;
            if k > last {
                return false;
            }
            if matches_at(k) {
                return true;
            }
            pairs &= pairs - 1;
        }
        i += 8;
    }
    false
}

/// [`contains_ignore_ascii_case`] one byte at a time.
fn contains_ignore_ascii_case_bytewise(haystack: &str, needle: &str) -> bool {
    let (hay, needle) = (haystack.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    hay.len() >= needle.len()
        && hay[..=hay.len() - needle.len()]
            .iter()
            .enumerate()
            .any(|(i, &b)| {
                (b == lower || b == upper)
                    && hay[i + 1..i + needle.len()].eq_ignore_ascii_case(rest)
            })
}

/// A pattern run only on the lines its guard admits, and compiled only when a line first gets
/// that far: most runs never need these patterns, whose Unicode classes are slow to compile.
#[derive(Clone, Debug)]
struct Guarded {
    guard: Guard,
    pattern: String,
    regex: OnceLock<Regex>,
}

impl Guarded {
    fn new(guard: Guard, pattern: String) -> Self {
        Guarded {
            guard,
            pattern,
            regex: OnceLock::new(),
        }
    }

    /// The compiled pattern (a unit test compiles every built-in one).
    fn regex(&self) -> &Regex {
        self.regex
            .get_or_init(|| Regex::new(&self.pattern).expect("built-in patterns compile"))
    }

    fn is_match(&self, line: &str) -> bool {
        self.guard.admits(line) && self.regex().is_match(line)
    }
}

/// The compiled built-in rules.
#[derive(Clone, Debug)]
pub(crate) struct LineRules {
    boilerplate: RegexSet,
    boilerplate_anywhere: Vec<Guarded>,
    metadata: RegexSet,
    bylines: RegexSet,
    byline_role: Guarded,
    label: Regex,
    street: Regex,
    locality: Guarded,
    contact: Regex,
}

impl LineRules {
    /// Compiles the built-in rules (fixed patterns, tested to compile).
    pub(crate) fn new() -> Self {
        let insensitive = |patterns: &[String]| {
            RegexSet::new(patterns.iter().map(|p| format!("(?i){p}")))
                .expect("built-in cleaner patterns compile")
        };
        let own = |patterns: &[&str]| patterns.iter().map(|p| (*p).to_owned()).collect::<Vec<_>>();
        let regex = |p: &str| Regex::new(p).expect("built-in patterns compile");
        Self {
            boilerplate: insensitive(&own(BOILERPLATE)),
            boilerplate_anywhere: BOILERPLATE_ANYWHERE
                .iter()
                .map(|&(p, words)| Guarded::new(Guard::ContainsAny(words), format!("(?i){p}")))
                .collect(),
            metadata: insensitive(&metadata_patterns()),
            bylines: RegexSet::new(BYLINES).expect("built-in byline patterns compile"),
            byline_role: Guarded::new(Guard::ContainsAny(BYLINE_ROLE.1), BYLINE_ROLE.0.into()),
            label: regex(ADDRESS_LABEL),
            street: regex(ADDRESS_STREET),
            locality: Guarded::new(Guard::LocalityEnds, ADDRESS_LOCALITY.into()),
            contact: regex(ADDRESS_CONTACT),
        }
    }

    /// A newsletter, comment, share or navigation prompt.
    pub(crate) fn is_boilerplate(&self, line: &str) -> bool {
        self.boilerplate.is_match(line)
            || self.boilerplate_anywhere.iter().any(|g| g.is_match(line))
    }

    /// A site name, source credit or agency line.
    pub(crate) fn is_metadata(&self, line: &str) -> bool {
        self.metadata.is_match(line)
    }

    /// A byline: the caller checks it is short and has no final punctuation.
    pub(crate) fn is_byline(&self, line: &str) -> bool {
        self.bylines.is_match(line) || self.byline_role.is_match(line)
    }

    /// Which part of an address `line` could be.
    pub(crate) fn address_part(&self, line: &str) -> Option<AddressPart> {
        if self.label.is_match(line) {
            Some(AddressPart::Label)
        } else if self.street.is_match(line) {
            Some(AddressPart::Street)
        } else if self.locality.is_match(line) {
            Some(AddressPart::Locality)
        } else if self.contact.is_match(line) {
            Some(AddressPart::Contact)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_guarded_pattern_compiles() {
        let rules = LineRules::new();
        let guarded = rules
            .boilerplate_anywhere
            .iter()
            .chain([&rules.byline_role, &rules.locality]);
        for g in guarded {
            assert!(!g.regex().as_str().is_empty());
        }
    }

    #[test]
    fn pair_search_agrees_with_the_bytewise_search() {
        let needles = [
            "ubmitting a ",
            "editor",
            "corre",
            "ab",
            "Ab",
            "a",
            "",
            "1x",
            "zz",
        ];
        // Haystacks of every length up to 40 over an alphabet that makes near-misses common.
        let alphabet = [
            "u",
            "U",
            "b",
            "B",
            "m",
            "itting a ",
            "editor",
            "EDIT",
            "corr",
            "e",
            "a",
            " ",
            "’",
            "é",
            "1",
            "x",
            "z",
        ];
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..4000 {
            crate::testing::xorshift(&mut x);
            let pieces = (x % 14) as usize;
            let hay: String = (0..pieces)
                .map(|k| alphabet[((x >> (4 * k)) as usize + k) % alphabet.len()])
                .collect();
            for needle in needles {
                assert_eq!(
                    contains_ignore_ascii_case(&hay, needle),
                    contains_ignore_ascii_case_bytewise(&hay, needle),
                    "{needle:?} in {hay:?}"
                );
            }
        }
        assert!(contains_ignore_ascii_case(
            "By SUBMITTING A press release",
            "ubmitting a "
        ));
        assert!(contains_ignore_ascii_case("0123456789abcdefgh", "gh"));
        assert!(!contains_ignore_ascii_case("0123456789abcdefg", "gh"));
    }

    #[test]
    fn address_parts() {
        let rules = LineRules::new();
        let cases = [
            ("Physical Address", Some(AddressPart::Label)),
            ("Contact us:", Some(AddressPart::Label)),
            ("304 North Cardinal St.", Some(AddressPart::Street)),
            ("1600 Pennsylvania Avenue, NW", Some(AddressPart::Street)),
            ("PO Box 12", Some(AddressPart::Street)),
            ("Dorchester Center, MA 02124", Some(AddressPart::Locality)),
            ("London SW1A 2AA", Some(AddressPart::Locality)),
            ("75008 Paris", Some(AddressPart::Locality)),
            ("Tel: +44 20 7946 0000", Some(AddressPart::Contact)),
            ("news@example.org", Some(AddressPart::Contact)),
            ("The summit opened on Thursday.", None),
            ("10 Downing Street said the talks would go on.", None),
            ("30 countries", None),
        ];
        for (line, expected) in cases {
            assert_eq!(rules.address_part(line), expected, "{line:?}");
        }
    }

    /// Every letter of a guard word matches, case-insensitively, only ASCII characters, so an
    /// ASCII comparison up to case finds every match of the pattern.
    #[test]
    fn guard_words_fold_only_to_ascii() {
        let mut words: Vec<&str> = BYLINE_ROLE.1.to_vec();
        for (_, w) in BOILERPLATE_ANYWHERE {
            words.extend_from_slice(w);
        }
        for word in words {
            assert!(word.is_ascii(), "{word:?}");
            let class = Regex::new(&format!("(?i)^[{}]$", regex::escape(word))).unwrap();
            let folded: Vec<char> = ('\u{80}'..=char::MAX)
                .filter(|c| class.is_match(c.encode_utf8(&mut [0; 4])))
                .collect();
            assert!(folded.is_empty(), "{word:?} folds to {folded:?}");
        }
    }

    #[test]
    fn contains_up_to_ascii_case() {
        let cases = [
            ("By SUBMITTING A news release", "ubmitting a ", true),
            ("ubmitting a", "ubmitting a ", false),
            ("Deputy Editor", "editor", true),
            ("edito", "editor", false),
            ("", "a", false),
            ("abc", "", true),
            ("ÉDITOR é", "editor", false),
        ];
        for (hay, needle, expected) in cases {
            assert_eq!(
                contains_ignore_ascii_case(hay, needle),
                expected,
                "{hay:?} {needle:?}"
            );
        }
    }

    /// The guarded rules decide as the bare patterns do.
    #[test]
    fn guards_never_change_a_decision() {
        let rules = LineRules::new();
        let bare = |p: &str| Regex::new(p).unwrap();
        let (anywhere, role, locality) = (
            bare(&format!("(?i){}", BOILERPLATE_ANYWHERE[0].0)),
            bare(BYLINE_ROLE.0),
            bare(ADDRESS_LOCALITY),
        );
        let lines = [
            "By submitting a press release you agree to our terms.",
            "Note: by SUBMITTING A NEWS RELEASE here…",
            "by submitting a report",
            "Paul Kirby Digital Europe editor",
            "Paul KirbyDigital editor of Europe",
            "Anna Łukasz, Staff Writers",
            "Jörg Müller – Chief Correspondent",
            "Jörg Müller met the editor’s team",
            "Jane Doe, reporters",
            "Jane Doe said “no” to the columnist",
            "Dorchester Center, MA 02124",
            "London SW1A 2AA",
            "75008 Paris",
            "٧٥٠٠٨ Paris",
            "Città di Castello, PG 06012",
            "Kyiv’s envoys met in Geneva",
            "The talks resumed on 12 March 2025",
            "A line ending in OK",
            "",
        ];
        for line in lines {
            assert_eq!(
                rules.boilerplate_anywhere[0].is_match(line),
                anywhere.is_match(line),
                "{line:?}"
            );
            assert_eq!(
                rules.byline_role.is_match(line),
                role.is_match(line),
                "{line:?}"
            );
            assert_eq!(
                rules.locality.is_match(line),
                locality.is_match(line),
                "{line:?}"
            );
        }
    }

    /// The same on every line of FNC-1's article bodies (when the dataset is present) that the
    /// cleaner would put to these rules.
    #[test]
    fn guards_never_change_a_decision_on_fnc1() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/datasets/fnc1/train_bodies.jsonl"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("skipping: {path} is absent");
            return;
        };
        let rules = LineRules::new();
        let bare = |p: &str| Regex::new(p).unwrap();
        let (anywhere, role, locality) = (
            bare(&format!("(?i){}", BOILERPLATE_ANYWHERE[0].0)),
            bare(BYLINE_ROLE.0),
            bare(ADDRESS_LOCALITY),
        );
        let mut checked = 0;
        for record in text.lines() {
            let value: serde_json::Value = serde_json::from_str(record).unwrap();
            let body = value["text"].as_str().unwrap_or_default();
            for line in body.lines().map(str::trim) {
                let words = line.split_whitespace().count();
                if line.is_empty() || words > 40 {
                    continue;
                }
                checked += 1;
                let anywhere_matches = anywhere.is_match(line);
                assert_eq!(
                    rules.boilerplate_anywhere[0].is_match(line),
                    anywhere_matches,
                    "{line:?}"
                );
                if words <= 10 {
                    assert_eq!(
                        rules.byline_role.is_match(line),
                        role.is_match(line),
                        "{line:?}"
                    );
                    assert_eq!(
                        rules.locality.is_match(line),
                        locality.is_match(line),
                        "{line:?}"
                    );
                }
            }
        }
        assert!(checked > 1000, "{checked} lines checked");
    }
}
