//! Writing variants compactly: `{a|b}` alternatives in a phrase, expanded at compile time, and the
//! normal form under which two spellings count as the same alias.

/// At most this many spellings from one phrase, so that a typo cannot blow up the trie.
pub const MAX_EXPANSIONS: usize = 512;

/// At most this many bytes in one spelling: no name or term is longer, and the trie is built by
/// a recursion as deep as its longest spelling.
pub const MAX_SPELLING_BYTES: usize = 256;

/// Expands `{a|b|}` groups (an empty alternative is allowed; groups do not nest) into every
/// spelling, in order, with runs of whitespace collapsed to one space and the ends trimmed.
pub fn expand(phrase: &str) -> Result<Vec<String>, String> {
    let mut spellings: Vec<String> = raw_spellings(phrase)?
        .into_iter()
        .map(|s| {
            if spaced_once(&s) {
                s
            } else {
                collapse_general(&s)
            }
        })
        .collect();
    check_spellings(&spellings)?;
    dedup_in_order(&mut spellings);
    Ok(spellings)
}

/// The spellings of `phrase`'s `{a|b|}` groups, in order, whitespace as written.
fn raw_spellings(phrase: &str) -> Result<Vec<String>, String> {
    let mut out = vec![String::new()];
    let mut rest = phrase;
    while !rest.is_empty() {
        match rest.find(['{', '}', '|']) {
            None => {
                push_all(&mut out, rest);
                rest = "";
            }
            Some(i) => {
                push_all(&mut out, &rest[..i]);
                match rest.as_bytes()[i] {
                    b'{' => {
                        let close = rest[i + 1..]
                            .find(['{', '}'])
                            .filter(|&j| rest.as_bytes()[i + 1 + j] == b'}')
                            .ok_or_else(|| {
                                "a '{' without its '}' (groups do not nest)".to_string()
                            })?;
                        let group = &rest[i + 1..i + 1 + close];
                        let alternatives: Vec<&str> = group.split('|').collect();
                        if out.len() * alternatives.len() > MAX_EXPANSIONS {
                            return Err(format!("more than {MAX_EXPANSIONS} spellings"));
                        }
                        out = out
                            .iter()
                            .flat_map(|prefix| {
                                alternatives.iter().map(move |a| {
                                    let mut s = String::with_capacity(prefix.len() + a.len());
                                    s.push_str(prefix);
                                    s.push_str(a);
                                    s
                                })
                            })
                            .collect();
                        rest = &rest[i + 1 + close + 1..];
                    }
                    b'}' => return Err("a '}' without its '{'".to_string()),
                    _ => return Err("a '|' outside a {...} group".to_string()),
                }
            }
        }
    }
    Ok(out)
}

/// Refuses an empty spelling or one longer than [`MAX_SPELLING_BYTES`].
fn check_spellings(spellings: &[String]) -> Result<(), String> {
    if spellings.iter().any(|s| s.is_empty()) {
        return Err("a spelling is empty".to_string());
    }
    if let Some(long) = spellings.iter().find(|s| s.len() > MAX_SPELLING_BYTES) {
        return Err(format!(
            "a spelling of {} bytes; at most {MAX_SPELLING_BYTES}",
            long.len()
        ));
    }
    Ok(())
}

fn push_all(out: &mut [String], text: &str) {
    for s in out {
        s.push_str(text);
    }
}

/// `text` with runs of whitespace replaced by one space and no space at either end.
pub fn collapse_spaces(text: &str) -> String {
    if spaced_once(text) {
        return text.to_string();
    }
    collapse_general(text)
}

/// [`collapse_spaces`] by its definition: split at whitespace, joined with one space.
fn collapse_general(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether [`collapse_spaces`] leaves `text` as it is, decided without building anything:
/// ASCII text whose only whitespace is single spaces between other characters. Most spellings
/// are so; the others (and all non-ASCII text, whose whitespace needs the Unicode tables) take
/// the general path.
fn spaced_once(text: &str) -> bool {
    let b = text.as_bytes();
    b.first() != Some(&b' ')
        && b.last() != Some(&b' ')
        && !b.windows(2).any(|w| w == b"  ")
        && b.iter()
            .all(|&c| c.is_ascii() && (c == b' ' || !c.is_ascii_whitespace() && c != 0x0b))
}

/// The form under which two spellings are the same alias: ASCII-lowercased, typographic
/// apostrophes as `'`, whitespace collapsed.
pub fn normalize(text: &str) -> String {
    let mut s = collapse_spaces(text);
    if s.contains('\u{2019}') {
        s = s.replace('\u{2019}', "'");
    }
    s.make_ascii_lowercase();
    s
}

/// `text`, and when it has an apostrophe, also its spelling with the other apostrophe
/// (`'` ↔ `’`), since articles use both.
pub fn apostrophe_variants(text: &str) -> Vec<String> {
    let mut out = vec![text.to_string()];
    if text.contains('\'') {
        out.push(text.replace('\'', "\u{2019}"));
    }
    if text.contains('\u{2019}') {
        out.push(text.replace('\u{2019}', "'"));
    }
    out
}

/// Keeps the first of equal items, in order (the set borrows them instead of cloning each).
fn dedup_in_order(items: &mut Vec<String>) {
    let mut seen = rustc_hash::FxHashSet::default();
    let first: Vec<bool> = items.iter().map(|s| seen.insert(s.as_str())).collect();
    let mut keep = first.into_iter();
    items.retain(|_| keep.next().unwrap_or(true));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_groups() {
        let cases: &[(&str, &[&str])] = &[
            ("truce", &["truce"]),
            (
                "{cede|concede} {territory|land}",
                &[
                    "cede territory",
                    "cede land",
                    "concede territory",
                    "concede land",
                ],
            ),
            ("ceasefire{|s}", &["ceasefire", "ceasefires"]),
            ("concede {any |}land", &["concede any land", "concede land"]),
            ("{a|a} b", &["a b"]),
            ("  halt  to the\tfighting ", &["halt to the fighting"]),
        ];
        for &(phrase, expected) in cases {
            assert_eq!(expand(phrase).unwrap(), expected, "{phrase}");
        }
    }

    #[test]
    fn refuses_malformed_groups() {
        for phrase in [
            "{a|b",
            "a}b",
            "a|b",
            "{a{b}}",
            "{|}",
            "{a|b}{c|d}{e|f}{g|h}{i|j}{k|l}{m|n}{o|p}{q|r}{s|t}",
        ] {
            assert!(expand(phrase).is_err(), "{phrase}");
        }
    }

    #[test]
    fn refuses_a_spelling_longer_than_the_limit() {
        let at_limit = "a".repeat(MAX_SPELLING_BYTES);
        assert_eq!(expand(&at_limit).unwrap(), vec![at_limit.clone()]);
        // The phrase may be longer than the limit when each spelling is within it.
        let grouped = format!("{{{at_limit}|b}}");
        assert_eq!(
            expand(&grouped).unwrap(),
            vec![at_limit.clone(), "b".into()]
        );
        let err = expand(&format!("{{{at_limit}|b}}c")).unwrap_err();
        assert!(err.contains("a spelling of 257 bytes"), "{err}");
    }

    /// [`expand`] as first written after the groups are read: every spelling collapsed by the
    /// definition (split at whitespace, joined with one space), each cloned into the set of
    /// those seen.
    fn reference_expand(phrase: &str) -> Result<Vec<String>, String> {
        let mut spellings: Vec<String> = raw_spellings(phrase)?
            .iter()
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        check_spellings(&spellings)?;
        let mut seen = rustc_hash::FxHashSet::default();
        spellings.retain(|s| seen.insert(s.clone()));
        Ok(spellings)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// The fast expansion (no `format!`, spellings already spaced once kept as they are,
        /// no clones for the dedup) gives what the first one gave, on phrases dense in groups,
        /// repeats and every kind of whitespace, ASCII or not.
        #[test]
        fn expand_agrees_with_the_first_expansion(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "b", "Ab", " ", "  ", "\t", "\n", "\u{b}", "\u{c}", "\r", "\u{a0}",
                    "\u{2009}", "\u{1c}", "é", "{", "}", "|", "{a|b}", "{|x }", "{ a| a}", "'",
                ]),
                0..14,
            )
        ) {
            let phrase = parts.concat();
            proptest::prop_assert_eq!(expand(&phrase), reference_expand(&phrase), "{:?}", phrase);
        }
    }

    #[test]
    fn spaced_once_is_what_collapsing_leaves_alone() {
        let texts = [
            "", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "a\u{b}b", "a\u{c}b", "a\u{1c}b",
            "a\u{a0}b", "é b", "a\u{85}b", "a\rb", "a\nb",
        ];
        for text in texts {
            let reference = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_spaces(text), reference, "{text:?}");
            if spaced_once(text) {
                assert_eq!(reference, text, "{text:?}");
            }
        }
        assert!(spaced_once("the Kremlin") && spaced_once("U.S.") && spaced_once("a\u{1c}b"));
    }

    #[test]
    fn normalizes_and_adds_apostrophe_variants() {
        assert_eq!(
            normalize(" Russia\u{2019}s  Foreign Minister"),
            "russia's foreign minister"
        );
        assert_eq!(
            apostrophe_variants("NATO's expansion"),
            ["NATO's expansion", "NATO\u{2019}s expansion"]
        );
        assert_eq!(apostrophe_variants("Kremlin"), ["Kremlin"]);
    }
}
