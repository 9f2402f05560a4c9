//! The built-in line rules of the cleaner: what boilerplate, metadata and address lines look
//! like, written as case-insensitive regular expressions over one whitespace-trimmed line.
//!
//! Each pattern is anchored to the whole line or to its start, because the same words inside a
//! paragraph are article text: "Russia refused to subscribe to the plan" must stay, "Subscribe to
//! get the latest posts" must go. The cleaner also applies a word limit before any of these
//! rules, so no long paragraph can be dropped by a pattern.

use std::sync::OnceLock;

use regex::{Regex, RegexSet};
use regex_syntax::hir::Hir;

use super::matchers;

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
    r"^discover more from\b",
    r"^subscribe\b",
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

/// Boilerplate prompts whose opening words are followed, within a bounded stretch of the line,
/// by their end or by a keyword: "Read more: ...", "Sign up for our newsletter", "Get the
/// latest headlines in your inbox". See [`Gapped`] for why they are not in [`BOILERPLATE`].
const BOILERPLATE_GAPPED: &[Gapped] = &[
    Gapped {
        head: r"^(read|see) (more|also)\b",
        gap: Gap::NoSentenceEnd,
        max: 120,
        tail: None,
    },
    Gapped {
        head: r"^(continue|keep) reading\b",
        gap: Gap::NoSentenceEnd,
        max: 120,
        tail: None,
    },
    Gapped {
        head: r"^(sign up|signup|register|join)\b",
        gap: Gap::AnyButNewline,
        max: 120,
        tail: Some(r"\b(newsletters?|e-?mails?|inbox|alerts|updates)\b"),
    },
    Gapped {
        head: r"^(get|receive)\b",
        gap: Gap::AnyButNewline,
        max: 160,
        tail: Some(r"\b(newsletters?|our (daily |weekly )?e-?mails?|(in|to) your inbox)\b"),
    },
];

/// A case-insensitive, start-anchored rule `head gap{0,max} tail`: opening words, at most `max`
/// characters of a class, then a pattern (or the end of the line when `tail` is `None`). The
/// definition is the one pattern [`Gapped::definition`] writes.
///
/// As one pattern, the bounded run costs the regex engine dearly: compiled, it is a copy of the
/// class for every position of the run, and the lazy DFA needs a state for every position (and
/// every partial match of the tail at each). With the four rules in the boilerplate set,
/// `stance score` spent 19 M more instructions at start-up compiling the set, and 3.5 M more
/// building DFA states on its first pass over the FNC-1 bodies. Split, each part is a
/// small pattern and the run is counted in code:
/// - every head is an alternation of words that differ before they end, so it matches a line
///   in at most one way and the run starts at one place, the head's end `e`;
/// - whether a run `line[e..p]` is allowed only gets worse as `p` grows (one more character,
///   perhaps one outside the class), so the tail's leftmost match at or after `e` (which the
///   search returns, with the text before `e` in view for its `\b`) is the only one to check,
///   and without a tail `p` is the end of the line.
///
/// The tests compare each rule with its definition on random lines.
#[derive(Clone, Copy, Debug)]
struct Gapped {
    head: &'static str,
    gap: Gap,
    max: usize,
    tail: Option<&'static str>,
}

/// The characters a [`Gapped`] rule's run may hold.
#[derive(Clone, Copy, Debug)]
enum Gap {
    /// Any character but a newline (the pattern `.`).
    AnyButNewline,
    /// Any character but `.`, `!` and `?` (the pattern `[^.!?]`).
    NoSentenceEnd,
}

impl Gapped {
    /// The rule as one case-insensitive pattern: what it means.
    #[cfg(test)]
    fn definition(&self) -> String {
        let class = match self.gap {
            Gap::AnyButNewline => ".",
            Gap::NoSentenceEnd => "[^.!?]",
        };
        let tail = self.tail.unwrap_or("$");
        format!("(?i){}{class}{{0,{}}}{tail}", self.head, self.max)
    }

    /// Whether `run`, the characters between the head and the tail, is allowed.
    fn allows(&self, run: &str) -> bool {
        let outside = match self.gap {
            Gap::AnyButNewline => run.contains('\n'),
            Gap::NoSentenceEnd => run.contains(['.', '!', '?']),
        };
        !outside && run.chars().nth(self.max).is_none()
    }
}

/// A [`Gapped`] rule with its two patterns, compiled when a line first needs them (most runs
/// never do: the boilerplate filter turns down nearly every line first).
#[derive(Clone, Debug)]
struct GappedRule {
    rule: Gapped,
    head: OnceLock<Regex>,
    tail: OnceLock<Option<Regex>>,
}

impl GappedRule {
    fn new(rule: Gapped) -> Self {
        GappedRule {
            rule,
            head: OnceLock::new(),
            tail: OnceLock::new(),
        }
    }

    fn is_match(&self, line: &str) -> bool {
        let compile = |p: &str| Regex::new(&format!("(?i){p}")).expect("built-in patterns compile");
        let head = self.head.get_or_init(|| compile(self.rule.head));
        let Some(head) = head.find(line) else {
            return false;
        };
        let start = head.end();
        let tail = self.tail.get_or_init(|| self.rule.tail.map(compile));
        let end = match tail {
            None => line.len(),
            Some(tail) => match tail.find_at(line, start) {
                Some(found) => found.start(),
                None => return false,
            },
        };
        self.rule.allows(&line[start..end])
    }
}

/// Boilerplate that may stand anywhere in a line, guarded by a word every match contains
/// (ASCII letters that no non-ASCII character matches case-insensitively: see the tests).
const BOILERPLATE_ANYWHERE: &[(&str, &[&str])] =
    &[(r"\bby submitting a (news|press) release\b", &["ubmitting"])];

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

/// The name-and-role byline, which looks along the whole line (`.*`): the definition of
/// [`matchers::is_byline_role`], which decides as this pattern does without compiling it (the
/// tests compare the two).
#[cfg(test)]
const BYLINE_ROLE: &str = r"^\p{Lu}[\p{L}'’-]*\s+\p{Lu}[\p{L}'’-]*\b.*\b(?i:editor|correspondent|reporter|journalist|staff writer|contributor|columnist)s?\b";

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
/// The definition of [`matchers::is_locality`], which decides as this pattern does without
/// compiling it (the tests compare the two).
#[cfg(test)]
const ADDRESS_LOCALITY: &str = r"^[\p{L} .'-]+,\s*[A-Z]{2}\s+\d{5}(-\d{4})?$|\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$|^\d{4,5}\s+\p{Lu}[\p{L} -]+$";
const ADDRESS_CONTACT: &str = r"(?i)^(tel|phone|telephone|fax|mobile|e-?mail)\s*[:.]?\s*\S|^\+?[\d ()./-]{7,}$|^[\w.+-]+@[\w-]+(\.[\w-]+)+$";

/// A necessary condition for a pattern to match a line, checked before the pattern: the line
/// contains one of these ASCII strings, up to ASCII case.
#[derive(Clone, Debug)]
struct Guard(Vec<Needle>);

impl Guard {
    fn contains_any(words: &[&str]) -> Guard {
        Guard(words.iter().map(|w| Needle::new(w)).collect())
    }

    fn admits(&self, line: &str) -> bool {
        self.0.iter().any(|n| n.found_in(line))
    }
}

/// An ASCII string searched for up to ASCII case (Horspool's search). Some guard word is looked
/// for in every line of every article, so the search steps through the line by the byte at the
/// end of the window: a byte that is not in the word (most bytes of a line) moves the window by
/// the word's whole length.
#[derive(Clone, Debug)]
struct Needle {
    word: Box<[u8]>,
    /// How far the window moves when this byte ends it (and the window is not a match).
    shift: [u8; 256],
}

impl Needle {
    /// The needle of `word`, an ASCII string of at most 255 bytes.
    fn new(word: &str) -> Needle {
        assert!(word.is_ascii() && word.len() < 256, "guard word {word:?}");
        let word = word.as_bytes();
        let mut shift = [word.len() as u8; 256];
        for (i, &b) in word.iter().enumerate().take(word.len().saturating_sub(1)) {
            let to_end = (word.len() - 1 - i) as u8;
            shift[usize::from(b.to_ascii_lowercase())] = to_end;
            shift[usize::from(b.to_ascii_uppercase())] = to_end;
        }
        Needle {
            word: word.into(),
            shift,
        }
    }

    /// Whether `haystack` contains the word, up to ASCII case.
    fn found_in(&self, haystack: &str) -> bool {
        let (hay, n) = (haystack.as_bytes(), self.word.len());
        let Some(last) = self.word.last() else {
            return true;
        };
        let mut end = n - 1;
        while let Some(&b) = hay.get(end) {
            if b.eq_ignore_ascii_case(last)
                && hay[end + 1 - n..=end].eq_ignore_ascii_case(&self.word)
            {
                return true;
            }
            end += usize::from(self.shift[usize::from(b)]);
        }
        false
    }
}

/// [`Needle::found_in`] one byte at a time: the tests' reference.
#[cfg(test)]
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
/// that far: most runs never need these patterns. (The two patterns with large Unicode classes,
/// the most costly to compile, are not compiled at all: see [`matchers`].)
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

/// A quick test that rules a set of start-anchored patterns out on most lines from their first
/// few bytes.
///
/// The boilerplate patterns are anchored at the start of the line, and the first word of most
/// lines already rules every one of them out ("The", "Government", "“It"): a line that the
/// filter turns down is not searched at all. That matters beyond the call: on a line holding any
/// non-ASCII character (a curly quote is enough) the regex engine gives up its lazy DFA on these
/// patterns' Unicode `\b` and runs a far slower engine over the whole line.
///
/// The filter is a lazy DFA of *relaxed* copies of the patterns, each a superset of its pattern
/// (see [`relax`] and [`prefix`]): only the first few bytes' worth of each, without look-around
/// assertions other than the start and end of the text, and with every class that holds a
/// non-ASCII character widened to all of them. So a line on which the relaxed DFA reaches its
/// dead state cannot match any pattern; and without Unicode word boundaries the DFA handles every
/// byte. The walk stops at the dead state (turned down), at a match of a relaxed pattern or
/// anything the DFA cannot decide, or at the end of the line (in those three cases the patterns
/// decide). Each thread keeps its own DFA cache, so states are worked out as lines first need
/// them.
#[derive(Clone, Debug)]
struct Prefilter {
    /// Which per-thread cache is this filter's (clones share it: they share the DFA).
    id: usize,
    dfa: regex_automata::hybrid::dfa::DFA,
}

/// The per-thread DFA caches of the filters used lately, most recent last.
struct FilterCaches(Vec<(usize, regex_automata::hybrid::dfa::Cache)>);

/// How many filters' caches a thread keeps (the built-in rules have six).
const KEPT_CACHES: usize = 16;

thread_local! {
    static FILTER_CACHES: std::cell::RefCell<FilterCaches> =
        const { std::cell::RefCell::new(FilterCaches(Vec::new())) };
}

impl Prefilter {
    /// The filter of `patterns` (the rule's patterns), or `None` when some pattern is not
    /// anchored at the start of the text or its DFA cannot be built.
    fn of<P: AsRef<str>>(patterns: &[P]) -> Option<Prefilter> {
        use regex_automata::hybrid::dfa::DFA;
        use regex_automata::nfa::thompson::{Compiler, WhichCaptures};
        use regex_syntax::hir::Look;
        use std::sync::atomic::{AtomicUsize, Ordering};

        static NEXT_ID: AtomicUsize = AtomicUsize::new(0);
        let hirs = patterns
            .iter()
            .map(|p| regex_syntax::parse(p.as_ref()).ok())
            .collect::<Option<Vec<_>>>()?;
        if !hirs
            .iter()
            .all(|h| h.properties().look_set_prefix().contains(Look::Start))
        {
            return None;
        }
        let relaxed: Vec<Hir> = hirs.into_iter().map(|h| relax(prefix(h))).collect();
        let nfa = Compiler::new()
            .configure(
                regex_automata::nfa::thompson::Config::new().which_captures(WhichCaptures::None),
            )
            .build_many_from_hir(&relaxed)
            .ok()?;
        let dfa = DFA::builder().build_from_nfa(nfa).ok()?;
        Some(Prefilter {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            dfa,
        })
    }

    /// Whether the rule may match `line`: `false` only when no line starting as it does can.
    fn admits(&self, line: &str) -> bool {
        use regex_automata::{Anchored, Input};

        FILTER_CACHES.with(|caches| {
            let FilterCaches(caches) = &mut *caches.borrow_mut();
            let cache = match caches.iter().rposition(|(id, _)| *id == self.id) {
                Some(i) => &mut caches[i].1,
                None => {
                    if caches.len() == KEPT_CACHES {
                        caches.remove(0);
                    }
                    caches.push((self.id, self.dfa.create_cache()));
                    &mut caches.last_mut().expect("just pushed").1
                }
            };
            let input = Input::new(line).anchored(Anchored::Yes);
            let Ok(mut state) = self.dfa.start_state_forward(cache, &input) else {
                return true;
            };
            for &b in line.as_bytes() {
                let Ok(next) = self.dfa.next_state(cache, state, b) else {
                    return true;
                };
                if next.is_tagged() {
                    if next.is_dead() {
                        return false;
                    }
                    if next.is_match() || next.is_quit() || next.is_unknown() {
                        return true;
                    }
                }
                state = next;
            }
            true
        })
    }
}

/// `hir` with every look-around assertion but the start and end of the text removed, and every
/// class holding a non-ASCII character widened to its ASCII part plus every non-ASCII character:
/// a superset of the lines `hir` matches, much cheaper to compile and to run as a DFA than the
/// case-folded Unicode classes.
fn relax(hir: Hir) -> Hir {
    use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, HirKind, Look};
    match hir.into_kind() {
        HirKind::Look(look @ (Look::Start | Look::End)) => Hir::look(look),
        HirKind::Look(_) => Hir::empty(),
        HirKind::Class(Class::Unicode(class))
            if class.ranges().last().is_some_and(|r| r.end() > '\x7f') =>
        {
            let mut wide = ClassUnicode::new(
                class
                    .ranges()
                    .iter()
                    .take_while(|r| r.start() <= '\x7f')
                    .map(|r| ClassUnicodeRange::new(r.start(), r.end().min('\x7f'))),
            );
            wide.push(ClassUnicodeRange::new('\u{80}', char::MAX));
            Hir::class(Class::Unicode(wide))
        }
        HirKind::Class(class) => Hir::class(class),
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => Hir::literal(literal.0),
        HirKind::Repetition(mut r) => {
            r.sub = Box::new(relax(*r.sub));
            Hir::repetition(r)
        }
        HirKind::Capture(mut c) => {
            c.sub = Box::new(relax(*c.sub));
            Hir::capture(c)
        }
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(relax).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.into_iter().map(relax).collect()),
    }
}

/// The first pieces of `hir`, a concatenation, up to the one that makes them at least
/// [`PREFIX_LEN`] bytes long. A line matching `hir` starts with a match of them, so a search
/// for them (not required to reach the end of the line) admits every line `hir` matches.
fn prefix(hir: Hir) -> Hir {
    let regex_syntax::hir::HirKind::Concat(subs) = hir.kind() else {
        return hir;
    };
    let mut kept = Vec::new();
    let mut len = 0;
    for sub in subs {
        len += sub.properties().minimum_len().unwrap_or(0);
        kept.push(sub.clone());
        if len >= PREFIX_LEN {
            break;
        }
    }
    Hir::concat(kept)
}

/// How many bytes of a line, at least, the filter's patterns look at.
const PREFIX_LEN: usize = 4;

/// The boilerplate rules: a set of start-anchored patterns and the [`Gapped`] rules, searched
/// only on the lines their [`Prefilter`] admits. (The other rule sets see only lines of a few
/// words, where the filter saves less than it costs to build.)
#[derive(Clone, Debug)]
struct Filtered {
    filter: Option<Prefilter>,
    set: RegexSet,
    gapped: Vec<GappedRule>,
}

impl Filtered {
    /// The rules of `patterns` (case-insensitive patterns) and of `gapped`; the filter is built
    /// from the patterns and the gapped rules' heads (a line that matches a gapped rule starts
    /// with a match of its head).
    fn new(patterns: &[String], gapped: &[Gapped]) -> Self {
        let mut filtered: Vec<String> = patterns.to_vec();
        filtered.extend(gapped.iter().map(|g| format!("(?i){}", g.head)));
        Filtered {
            filter: Prefilter::of(&filtered),
            set: RegexSet::new(patterns).expect("built-in cleaner patterns compile"),
            gapped: gapped.iter().copied().map(GappedRule::new).collect(),
        }
    }

    /// Whether the filter lets `line` through to the patterns.
    fn admits(&self, line: &str) -> bool {
        self.filter.as_ref().is_none_or(|f| f.admits(line))
    }

    fn is_match(&self, line: &str) -> bool {
        self.admits(line)
            && (self.set.is_match(line) || self.gapped.iter().any(|g| g.is_match(line)))
    }
}

/// The compiled built-in rules.
#[derive(Clone, Debug)]
pub(crate) struct LineRules {
    boilerplate: Filtered,
    boilerplate_anywhere: Vec<Guarded>,
    metadata: RegexSet,
    bylines: RegexSet,
    label: Regex,
    street: Regex,
    contact: Regex,
}

impl LineRules {
    /// Compiles the built-in rules (fixed patterns, tested to compile).
    pub(crate) fn new() -> Self {
        let insensitive = |patterns: &[&str]| -> Vec<String> {
            patterns.iter().map(|p| format!("(?i){p}")).collect()
        };
        let regex = |p: &str| Regex::new(p).expect("built-in patterns compile");
        let metadata: Vec<String> = metadata_patterns();
        let metadata: Vec<&str> = metadata.iter().map(String::as_str).collect();
        Self {
            boilerplate: Filtered::new(&insensitive(BOILERPLATE), BOILERPLATE_GAPPED),
            boilerplate_anywhere: BOILERPLATE_ANYWHERE
                .iter()
                .map(|&(p, words)| Guarded::new(Guard::contains_any(words), format!("(?i){p}")))
                .collect(),
            metadata: RegexSet::new(insensitive(&metadata))
                .expect("built-in cleaner patterns compile"),
            bylines: RegexSet::new(BYLINES).expect("built-in byline patterns compile"),
            label: regex(ADDRESS_LABEL),
            street: regex(ADDRESS_STREET),
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
        self.bylines.is_match(line) || matchers::is_byline_role(line)
    }

    /// Which part of an address `line` could be.
    pub(crate) fn address_part(&self, line: &str) -> Option<AddressPart> {
        if self.label.is_match(line) {
            Some(AddressPart::Label)
        } else if self.street.is_match(line) {
            Some(AddressPart::Street)
        } else if matchers::is_locality(line) {
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
        for g in &rules.boilerplate_anywhere {
            assert!(!g.regex().as_str().is_empty());
        }
    }

    #[test]
    fn needle_search_agrees_with_the_bytewise_search() {
        let needles = [
            "ubmitting a ",
            "ubmitting",
            "taff writer",
            "eee",
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
                    Needle::new(needle).found_in(&hay),
                    contains_ignore_ascii_case_bytewise(&hay, needle),
                    "{needle:?} in {hay:?}"
                );
            }
        }
        let found = |hay: &str, needle: &str| Needle::new(needle).found_in(hay);
        assert!(found("By SUBMITTING A press release", "ubmitting a "));
        assert!(found("0123456789abcdefgh", "gh"));
        assert!(!found("0123456789abcdefg", "gh"));
    }

    /// Lines of 1-6 random `pieces`, from a fixed seed.
    fn random_lines(pieces: &[&str], count: usize) -> Vec<String> {
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        (0..count)
            .map(|_| {
                let n = crate::testing::xorshift(&mut x) % 6 + 1;
                (0..n)
                    .map(|_| {
                        pieces[(crate::testing::xorshift(&mut x) % pieces.len() as u64) as usize]
                    })
                    .collect()
            })
            .collect()
    }

    /// `count` lines each made of one option of every slot, in order (a slot may offer `""`):
    /// lines shaped like a pattern's matches, with near misses in every position.
    fn slotted_lines(slots: &[&[&str]], count: usize) -> Vec<String> {
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        (0..count)
            .map(|_| {
                slots
                    .iter()
                    .map(|options| {
                        options[(crate::testing::xorshift(&mut x) % options.len() as u64) as usize]
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn prefilter_admits_every_boilerplate_line() {
        let rules = LineRules::new();
        let boilerplate = &rules.boilerplate;
        let definitions = boilerplate_set();
        assert!(boilerplate.filter.is_some());
        // Pieces of the patterns, and characters that fold onto their letters (ſ, the Kelvin
        // sign) or sit next to them, so that many lines match and many nearly do.
        let pieces = [
            "leave a ",
            "Leave A ",
            "reply",
            "comment",
            "comments",
            "post",
            "write",
            "subscribe",
            "ſubscribe",
            "SUBSCRIBE",
            "share",
            "Share this",
            "this",
            " ",
            "  ",
            "to top",
            "back",
            "12",
            " comments",
            "read more",
            "see also",
            "cookies",
            "we use",
            "this website uses",
            "sign up",
            "newsletter",
            "get",
            " our daily emails",
            "in your inbox",
            "copyright",
            "©",
            "follow us",
            "click",
            "tap",
            " here",
            "x",
            "skip to content",
            "you may also like",
            "related stories",
            "advertisement",
            "sponsored",
            "é",
            "“",
            ".",
            "!",
            "\u{212a}",
            "k",
            "reject all cookies",
            "privacy policy",
            "no more comments",
            "comments (3)",
            "you",
            "the",
            "government",
            "discover more from",
            "continue reading",
            "keep",
            "required fields are marked",
            "cancel reply",
            "tweet",
            "whatsapp",
            "telegram",
        ];
        let lines = random_lines(&pieces, 30_000);
        let mut matched = 0;
        let mut turned_down = 0;
        for line in lines.iter().map(|l| l.trim()) {
            let admitted = boilerplate.admits(line);
            if definitions.is_match(line) {
                matched += 1;
                assert!(
                    admitted,
                    "the filter turns down the boilerplate line {line:?}"
                );
            }
            turned_down += usize::from(!admitted);
        }
        assert!(matched > 1_000, "only {matched} lines matched");
        assert!(turned_down > 10_000, "only {turned_down} lines turned down");
        for line in [
            "Leave a Reply",
            "ſubscribe to our newsletter",
            "\u{212a}eep reading",
            "© 2025 The Times",
            "12 Comments",
            "X",
            "SHARE THIS ARTICLE",
        ] {
            assert!(boilerplate.is_match(line), "{line:?}");
        }
    }

    /// Each gapped rule decides as its definition, one pattern, on lines built to sit on
    /// either side of its bounds: heads (with letters that fold onto ASCII ones), runs of one-
    /// and two-byte characters around the length limit, the characters the run may not hold,
    /// and the tails' words whole, cut short or glued to a neighbour.
    #[test]
    fn gapped_rules_decide_as_their_definitions() {
        let pieces = [
            "read more",
            "see also",
            "Read More:",
            "\u{17f}ee also",
            "continue reading",
            "\u{212a}eep reading",
            "keep readings",
            "sign up",
            "signup",
            "register",
            "join",
            "get",
            "receive",
            "gets",
            " ",
            "\n",
            ".",
            "!",
            "?",
            ",",
            "’",
            "x",
            "é",
            &"a".repeat(40),
            &"é".repeat(40),
            &"word ".repeat(8),
            &"a".repeat(59),
            &"b".repeat(60),
            "newsletter",
            "newsletters",
            " newsletters",
            "ne\u{17f}letter",
            "e-mails",
            "email",
            "inbox",
            "inboxes",
            "alerts",
            "updates",
            "our daily emails",
            "our weekly e-mail",
            "our  emails",
            "in your inbox",
            "to your inbox",
            "_inbox",
        ];
        let rules: Vec<(GappedRule, Regex)> = BOILERPLATE_GAPPED
            .iter()
            .map(|g| (GappedRule::new(*g), Regex::new(&g.definition()).unwrap()))
            .collect();
        let mut x = 0x1234_5678_9abc_def1_u64;
        let mut matched = vec![0; rules.len()];
        let mut unmatched = vec![0; rules.len()];
        for _ in 0..40_000 {
            // Half the lines open with a head (the first 14 pieces).
            let n = crate::testing::xorshift(&mut x) % 9 + 1;
            let mut line = String::new();
            if crate::testing::xorshift(&mut x) % 2 == 0 {
                line.push_str(pieces[(crate::testing::xorshift(&mut x) % 14) as usize]);
            }
            for _ in 0..n {
                line.push_str(
                    pieces[(crate::testing::xorshift(&mut x) % pieces.len() as u64) as usize],
                );
            }
            for (k, (rule, definition)) in rules.iter().enumerate() {
                let expected = definition.is_match(&line);
                assert_eq!(rule.is_match(&line), expected, "rule {k} on {line:?}");
                if expected {
                    matched[k] += 1;
                } else if rule.head.get().is_some_and(|h| h.is_match(&line)) {
                    unmatched[k] += 1;
                }
            }
        }
        // Every rule is seen to match, and to fail after its head matched.
        for k in 0..rules.len() {
            assert!(matched[k] > 50, "rule {k} matched {} lines", matched[k]);
            assert!(unmatched[k] > 100, "rule {k} failed {} times", unmatched[k]);
        }
    }

    #[test]
    fn prefilter_turns_down_ordinary_lines() {
        let rules = LineRules::new();
        for line in [
            "The talks resumed in Istanbul on Monday.",
            "“It seems like a very legitimate thing,” he said.",
            "Government spokeswoman Rosario Murillo said so.",
            "Russia refused to subscribe to the plan.",
            "Posting photos of the summit was banned.",
            "Twitter accounts linked to the ministry went quiet.",
            "Kyiv rejected the proposal.",
            "Zelensky met Starmer in London.",
            "Local residents reported hearing a loud boom.",
            "We particularly liked the ceasefire proposal.",
            "Sources close to the talks said little.",
        ] {
            assert!(!rules.boilerplate.admits(line), "{line:?}");
        }
    }

    #[test]
    fn prefilter_needs_start_anchored_patterns() {
        assert!(Prefilter::of(&["^a", "b"]).is_none());
        assert!(Prefilter::of(&["a|^b"]).is_none());
        assert!(Prefilter::of(&["(", "^a"]).is_none());
        let filter = Prefilter::of(&["^a|^b", r"(?i)^abc\b"]).expect("anchored");
        for (line, admitted) in [
            ("a", true),
            ("bx", true),
            ("ABC def", true),
            ("abcdef", true),
            ("ab", true),
            ("cab", false),
            ("", true),
            ("é", false),
        ] {
            assert_eq!(filter.admits(line), admitted, "{line:?}");
        }
    }

    /// Asserts that `matcher` decides every line as `pattern` does, and that the lines hold
    /// more than a thousand matches and more than a thousand non-matches.
    fn decides_as(pattern: &Regex, matcher: fn(&str) -> bool, lines: impl Iterator<Item = String>) {
        let (mut matched, mut total) = (0, 0);
        for line in lines {
            let expected = pattern.is_match(&line);
            matched += usize::from(expected);
            total += 1;
            assert_eq!(matcher(&line), expected, "{line:?}");
        }
        assert!(
            matched > 1000 && matched < total - 1000,
            "{matched} of {total} lines matched"
        );
    }

    #[test]
    fn locality_matcher_decides_as_the_pattern() {
        let pattern = Regex::new(ADDRESS_LOCALITY).unwrap();
        // Pieces of the three branches, Unicode digits, letters, capitals and spaces, and
        // characters the classes leave out (a title-case letter, a Roman numeral, a mark).
        let pieces = [
            "London",
            "Paris",
            " ",
            ", ",
            ",",
            "SW1A",
            " 2AA",
            "2AA",
            "AA",
            "A1",
            "75008",
            "7500",
            "MA",
            " 02124",
            "-1234",
            "-",
            ".",
            "'",
            "Dorchester Center",
            "\u{0661}\u{0662}\u{0663}\u{0664}\u{0665}",
            "\u{0663}",
            "É",
            "10",
            "1",
            "A",
            "EC1A 1BB",
            "é",
            "Ö",
            "\u{A0}",
            "\t",
            "\n",
            "\u{1C5}",
            "\u{2160}",
            "e\u{301}",
            "_",
            "x",
        ];
        // The three branches' shapes: town, state and ZIP code; a UK postcode at the end;
        // a postcode, then a town.
        let us: &[&[&str]] = &[
            &[
                "Dorchester Center",
                "St. John's",
                "Città",
                "O-Town",
                "",
                "Ward 5",
                "ǅx",
                "x",
            ],
            &[",", ", ", ",\u{A0}", ";", ""],
            &["MA", "ma", "M", "MAA", "\u{C9}A", "NY"],
            &[" ", "  ", "\t", "", "\u{2009}"],
            &[
                "02124",
                "0212",
                "021245",
                "\u{0660}\u{0661}\u{0662}\u{0663}\u{0664}",
                "2124x",
            ],
            &[
                "",
                "",
                "-1234",
                "-123",
                "-12345",
                "–1234",
                "-\u{0661}234",
                "\n",
            ],
        ];
        let uk: &[&[&str]] = &[
            &["London ", "", "x", "_", "é", "London\u{A0}", "1", "ǅ"],
            &["SW", "W", "SWX", "sw", "É", ""],
            &["1", "\u{0661}", "", "X"],
            &["A", "1", "", "a", "\u{0662}"],
            &[" ", "", "  ", "\u{3000}", "-"],
            &["2", "\u{0663}", "", "Z"],
            &["AA", "A", "Aa", "BBB", "\u{C0}A", "AA\n"],
        ];
        let town: &[&[&str]] = &[
            &[
                "75008",
                "7500",
                "750",
                "750080",
                "\u{0667}\u{0665}\u{0660}\u{0660}",
                "x7500",
            ],
            &[" ", "  ", "", "\u{A0}", "\n", "-"],
            &[
                "Paris",
                "P",
                "paris",
                "Ö",
                "ǅ",
                "Ⅰ",
                "Saint-Denis",
                "Le Mans",
                "Paris 2",
                "P-",
            ],
            &["", "", " Cedex", "-", ".", "\n", "e\u{301}"],
        ];
        let lines = random_lines(&pieces, 20_000)
            .into_iter()
            .chain(slotted_lines(us, 20_000))
            .chain(slotted_lines(uk, 20_000))
            .chain(slotted_lines(town, 20_000));
        decides_as(&pattern, matchers::is_locality, lines);
    }

    #[test]
    fn byline_matcher_decides_as_the_pattern() {
        let pattern = Regex::new(BYLINE_ROLE).unwrap();
        // Names, spaces, role words in every case and with the characters that fold onto
        // their letters, word and non-word neighbours, and a line feed (`.` stops there).
        let pieces = [
            "Paul",
            "Kirby",
            "O'Brien",
            "Ng’",
            "-",
            "Jörg",
            "Łukasz",
            "Ǆemal",
            "\u{1C5}x",
            "\u{2160}",
            " ",
            "  ",
            "\u{A0}",
            "\t",
            ", ",
            "editor",
            "Editors",
            "EDITOR",
            "editorS",
            "correspondent",
            "reporter",
            "journaliſt",
            "JOURNALIST",
            "staff writer",
            "Staff  Writer",
            "contributor",
            "columnist",
            "columniſts",
            "s",
            "ſ",
            "\u{212A}",
            "digital",
            "the",
            "x",
            "_",
            "1",
            "e\u{301}",
            ".",
            "\n",
            "’",
        ];
        // The pattern's shape: a capitalised name, spaces, a second name, anything, a role.
        let shaped: &[&[&str]] = &[
            &[
                "Paul",
                "P",
                "paul",
                "Ǆemal",
                "ǅx",
                "Ⅰx",
                "Ng’",
                "O'Brien-Smith",
                "1x",
                "É",
            ],
            &[" ", "  ", "\u{A0}", "\t", "", "-", ", ", "\n"],
            &[
                "Kirby", "K", "kirby", "Ö'", "\u{212A}", "Mc-", "X_", "Ab1", "Ab’s",
            ],
            &["", "", ",", " ", "x", "_", "’", "\n", " digital ", "editor"],
            &["", " ", "the ", "-", "\n", "é"],
            &[
                "editor",
                "EDITOR",
                "Editor",
                "journaliſt",
                "staff writer",
                "staff  writer",
                "columniſt",
                "reporter",
                "correspondent",
                "contributor",
                "editorial",
                "redactor",
            ],
            &["", "s", "S", "ſ", "x", "_", ".", " ", "’", "s1", "\u{301}"],
        ];
        let lines = random_lines(&pieces, 30_000)
            .into_iter()
            .chain(slotted_lines(shaped, 40_000));
        decides_as(&pattern, matchers::is_byline_role, lines);
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
        let mut words: Vec<&str> = Vec::new();
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
                Needle::new(needle).found_in(hay),
                expected,
                "{hay:?} {needle:?}"
            );
        }
    }

    /// The boilerplate rules by their definitions, as one set without a filter.
    fn boilerplate_set() -> RegexSet {
        let plain = BOILERPLATE.iter().map(|p| format!("(?i){p}"));
        RegexSet::new(plain.chain(BOILERPLATE_GAPPED.iter().map(Gapped::definition))).unwrap()
    }

    /// The guarded and filtered rules decide as the bare patterns do.
    #[test]
    fn guards_never_change_a_decision() {
        let rules = LineRules::new();
        let bare = |p: &str| Regex::new(p).unwrap();
        let (anywhere, role, locality) = (
            bare(&format!("(?i){}", BOILERPLATE_ANYWHERE[0].0)),
            bare(BYLINE_ROLE),
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
        let boilerplate = boilerplate_set();
        for line in lines {
            assert_eq!(
                rules.boilerplate.is_match(line),
                boilerplate.is_match(line),
                "{line:?}"
            );
            assert_eq!(
                rules.boilerplate_anywhere[0].is_match(line),
                anywhere.is_match(line),
                "{line:?}"
            );
            assert_eq!(
                matchers::is_byline_role(line),
                role.is_match(line),
                "{line:?}"
            );
            assert_eq!(
                matchers::is_locality(line),
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
            bare(BYLINE_ROLE),
            bare(ADDRESS_LOCALITY),
        );
        let boilerplate = boilerplate_set();
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
                assert_eq!(
                    rules.boilerplate.is_match(line),
                    boilerplate.is_match(line),
                    "{line:?}"
                );
                let anywhere_matches = anywhere.is_match(line);
                assert_eq!(
                    rules.boilerplate_anywhere[0].is_match(line),
                    anywhere_matches,
                    "{line:?}"
                );
                if words <= 10 {
                    assert_eq!(
                        matchers::is_byline_role(line),
                        role.is_match(line),
                        "{line:?}"
                    );
                    assert_eq!(
                        matchers::is_locality(line),
                        locality.is_match(line),
                        "{line:?}"
                    );
                }
            }
        }
        assert!(checked > 1000, "{checked} lines checked");
    }
}
