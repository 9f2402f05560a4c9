//! Two of the cleaner's line patterns matched by hand: the name-and-role byline
//! ([`BYLINE_ROLE`](super::rules)) and the locality line of an address block
//! ([`ADDRESS_LOCALITY`](super::rules)).
//!
//! Both patterns are written with Unicode classes (`\p{L}`, `\p{Lu}`, Unicode `\d`, `\s`, `\b`
//! and case folding). Compiled by the regex crate, each costs several million instructions,
//! about as much as cleaning a hundred articles, and a run of ordinary news pays it as soon as
//! one short line looks like a byline or ends in a postcode. Their shape, though, is simple
//! enough to follow by hand: every repetition either stops at a character its successor cannot
//! be, or is tried at each of its few possible ends. The functions here decide exactly as the
//! patterns do, on any string (the tests compare them with the compiled patterns on generated
//! lines and, when the dataset is present, on every short line of FNC-1's bodies).
//!
//! The character classes are regex-syntax's own tables ([`Classes`]), the ones the regex crate
//! compiles the patterns from, so no Unicode property is approximated.

use std::sync::OnceLock;

use regex_syntax::hir::{Class, HirKind};

/// A set of characters as sorted, disjoint ranges.
struct CharClass(Box<[(char, char)]>);

impl CharClass {
    /// The class a one-class pattern such as `\p{L}` denotes, as regex-syntax defines it.
    fn of(pattern: &str) -> CharClass {
        let hir = regex_syntax::parse(pattern).expect("a built-in class");
        let HirKind::Class(Class::Unicode(class)) = hir.kind() else {
            panic!("{pattern:?} is not a Unicode class");
        };
        CharClass(class.iter().map(|r| (r.start(), r.end())).collect())
    }

    fn contains(&self, c: char) -> bool {
        let i = self.0.partition_point(|&(_, end)| end < c);
        self.0.get(i).is_some_and(|&(start, _)| start <= c)
    }
}

/// The Unicode classes the patterns use, built on first use (a fraction of a millisecond).
struct Classes {
    /// `\p{L}`: General_Category = Letter.
    letter: CharClass,
    /// `\p{Lu}`: General_Category = Uppercase_Letter.
    upper: CharClass,
    /// Unicode `\d`: General_Category = Decimal_Number.
    digit: CharClass,
}

fn classes() -> &'static Classes {
    static CLASSES: OnceLock<Classes> = OnceLock::new();
    CLASSES.get_or_init(|| Classes {
        letter: CharClass::of(r"\p{L}"),
        upper: CharClass::of(r"\p{Lu}"),
        digit: CharClass::of(r"\d"),
    })
}

impl Classes {
    /// `\p{L}`; on ASCII, `[A-Za-z]`.
    fn letter(&self, c: char) -> bool {
        if c.is_ascii() {
            c.is_ascii_alphabetic()
        } else {
            self.letter.contains(c)
        }
    }

    /// `\p{Lu}`; on ASCII, `[A-Z]`.
    fn upper(&self, c: char) -> bool {
        if c.is_ascii() {
            c.is_ascii_uppercase()
        } else {
            self.upper.contains(c)
        }
    }

    /// Unicode `\d`; on ASCII, `[0-9]`.
    fn digit(&self, c: char) -> bool {
        if c.is_ascii() {
            c.is_ascii_digit()
        } else {
            self.digit.contains(c)
        }
    }
}

/// Unicode `\s`: the White_Space property, which `char::is_whitespace` is.
fn space(c: char) -> bool {
    c.is_whitespace()
}

/// Unicode `\w`, as the regex crate's `\b` reads it.
fn word(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        regex_syntax::is_word_character(c)
    }
}

/// Unicode `\b` at byte `i` (a character boundary) of `text`.
fn boundary(text: &str, i: usize) -> bool {
    let before = text[..i].chars().next_back().is_some_and(word);
    let after = text[i..].chars().next().is_some_and(word);
    before != after
}

/// The role words of the byline pattern, matched case-insensitively.
const ROLES: [&str; 7] = [
    "editor",
    "correspondent",
    "reporter",
    "journalist",
    "staff writer",
    "contributor",
    "columnist",
];

/// Whether `c` matches the ASCII lower-case letter or space `w` under the regex crate's
/// case-insensitive matching (simple case folding): its two ASCII cases, and the two
/// non-ASCII characters that fold onto ASCII letters, `ſ` (onto `s`) and the Kelvin sign
/// (onto `k`).
fn folds_to(c: char, w: char) -> bool {
    c == w
        || c == w.to_ascii_uppercase()
        || (w == 's' && c == '\u{17F}')
        || (w == 'k' && c == '\u{212A}')
}

/// The end of `word` (ASCII lower case) matched case-insensitively at the start of `text`.
fn fold_prefix(text: &str, word: &str) -> Option<usize> {
    let mut chars = text.char_indices();
    for w in word.chars() {
        let (_, c) = chars.next()?;
        if !folds_to(c, w) {
            return None;
        }
    }
    Some(chars.next().map_or(text.len(), |(i, _)| i))
}

/// A character of a name in the byline pattern: `[\p{L}'’-]`.
fn name_char(c: char) -> bool {
    matches!(c, '\'' | '’' | '-') || classes().letter(c)
}

/// Whether `line` matches the name-and-role byline pattern,
/// `^\p{Lu}[\p{L}'’-]*\s+\p{Lu}[\p{L}'’-]*\b.*\b(?i:editor|…|columnist)s?\b` ("Paul Kirby,
/// Digital Europe editor").
///
/// The first name runs to the first character outside `[\p{L}'’-]`, which must be whitespace
/// (the space run, whole, then a capital). The second name may stop anywhere its `\b` holds;
/// the earliest such place leaves the most room for the role, so only it is tried. Then a role
/// word anywhere after it, on the same line of text (`.` stops at `\n`), between boundaries;
/// only the role word is case-insensitive, not the plural `s`.
pub(crate) fn is_byline_role(line: &str) -> bool {
    let classes = classes();
    let mut chars = line.chars();
    if !chars.next().is_some_and(|c| classes.upper(c)) {
        return false;
    }
    let after_name = chars.as_str().trim_start_matches(name_char);
    let after_space = after_name.trim_start_matches(space);
    if after_space.len() == after_name.len() {
        return false;
    }
    let mut chars = after_space.chars();
    if !chars.next().is_some_and(|c| classes.upper(c)) {
        return false;
    }
    let second = line.len() - chars.as_str().len();
    let name_end = line.len() - chars.as_str().trim_start_matches(name_char).len();
    let Some(start) = (second..=name_end)
        .filter(|&i| line.is_char_boundary(i))
        .find(|&i| boundary(line, i))
    else {
        return false;
    };
    let end = line[start..].find('\n').map_or(line.len(), |k| start + k);
    // The role first (its first letter turns down most places), then the boundaries.
    line[start..end].char_indices().any(|(k, c)| {
        let i = start + k;
        matches!(
            c.to_ascii_lowercase(),
            'e' | 'c' | 'r' | 'j' | 's' | '\u{17F}'
        ) && ROLES.iter().any(|role| {
            fold_prefix(&line[i..], role).is_some_and(|k| {
                let after = i + k;
                // `s?` stands outside the case-insensitive group: a lower-case `s` only.
                boundary(line, i)
                    && (boundary(line, after)
                        || (line[after..].starts_with('s') && boundary(line, after + 1)))
            })
        })
    })
}

/// Whether `line` matches the locality pattern of an address block,
/// `^[\p{L} .'-]+,\s*[A-Z]{2}\s+\d{5}(-\d{4})?$` (a US town, state and ZIP code),
/// `|\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$` (a UK postcode ends it) or
/// `|^\d{4,5}\s+\p{Lu}[\p{L} -]+$` (a postcode, then a town).
pub(crate) fn is_locality(line: &str) -> bool {
    us_town_and_zip(line) || ends_in_uk_postcode(line) || postcode_then_town(line)
}

/// `^[\p{L} .'-]+,\s*[A-Z]{2}\s+\d{5}(-\d{4})?$`. The town holds no comma, so it ends at the
/// first; every other repetition stops where its successor must start.
fn us_town_and_zip(line: &str) -> bool {
    let classes = classes();
    // The line ends in a digit: most lines are turned down here, before the search for a comma.
    if !line.chars().next_back().is_some_and(|c| classes.digit(c)) {
        return false;
    }
    let Some((town, rest)) = line.split_once(',') else {
        return false;
    };
    let town_char = |c: char| matches!(c, ' ' | '.' | '\'' | '-') || classes.letter(c);
    if town.is_empty() || !town.chars().all(town_char) {
        return false;
    }
    let rest = rest.trim_start_matches(space);
    let Some(rest) = rest
        .strip_prefix(|c: char| c.is_ascii_uppercase())
        .and_then(|r| r.strip_prefix(|c: char| c.is_ascii_uppercase()))
    else {
        return false;
    };
    let zip = rest.trim_start_matches(space);
    if zip.len() == rest.len() {
        return false;
    }
    let Some(tail) = digits(zip, 5) else {
        return false;
    };
    tail.is_empty()
        || tail
            .strip_prefix('-')
            .and_then(|t| digits(t, 4))
            .is_some_and(str::is_empty)
}

/// What follows `n` Unicode digits at the start of `text`, if it starts with them.
fn digits(text: &str, n: usize) -> Option<&str> {
    let classes = classes();
    let mut chars = text.chars();
    (0..n)
        .all(|_| chars.next().is_some_and(|c| classes.digit(c)))
        .then_some(chars.as_str())
}

/// `\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$`, read from the end: two capitals, a digit, the
/// whole space run before it (what precedes the run cannot be a space), then the outward code
/// with or without its optional last character.
fn ends_in_uk_postcode(line: &str) -> bool {
    let classes = classes();
    let Some(rest) = line
        .strip_suffix(|c: char| c.is_ascii_uppercase())
        .and_then(|r| r.strip_suffix(|c: char| c.is_ascii_uppercase()))
        .and_then(|r| r.strip_suffix(|c: char| classes.digit(c)))
    else {
        return false;
    };
    let outward = rest.trim_end_matches(space);
    let area_then_digit = |text: &str| {
        text.strip_suffix(|c: char| classes.digit(c))
            .is_some_and(|area| {
                // `\b[A-Z]{1,2}`: one or two capitals with no word character before them.
                let one = area.strip_suffix(|c: char| c.is_ascii_uppercase());
                let two = one.and_then(|r| r.strip_suffix(|c: char| c.is_ascii_uppercase()));
                [one, two]
                    .into_iter()
                    .flatten()
                    .any(|before| !before.chars().next_back().is_some_and(word))
            })
    };
    area_then_digit(outward)
        || outward
            .strip_suffix(|c: char| c.is_ascii_uppercase() || classes.digit(c))
            .is_some_and(area_then_digit)
}

/// `^\d{4,5}\s+\p{Lu}[\p{L} -]+$`: a digit run of four or five (a longer one leaves a digit
/// where the space must be), the whole space run, a capital, then letters, spaces and hyphens
/// to the end.
fn postcode_then_town(line: &str) -> bool {
    let classes = classes();
    let rest = line.trim_start_matches(|c: char| classes.digit(c));
    let count = line[..line.len() - rest.len()].chars().count();
    if !(4..=5).contains(&count) {
        return false;
    }
    let town = rest.trim_start_matches(space);
    if town.len() == rest.len() {
        return false;
    }
    let mut chars = town.chars();
    chars.next().is_some_and(|c| classes.upper(c))
        && !chars.as_str().is_empty()
        && chars
            .as_str()
            .chars()
            .all(|c| matches!(c, ' ' | '-') || classes.letter(c))
}
