//! Finding mentions: the trie walked from each word start, boundaries and case checked on
//! hits only, then role nouns, possessives and metonyms handled around the hit.

use super::compile::{Gazetteer, Rule};
use super::date::Date;
use super::mention::{How, Mention, RoleMatch, Target};
use super::schema::ActorKind;
use super::words::{Start, between_key, key_of, word_key_at};
use super::{ActorId, RoleId};
use crate::swar::{HIGH_BITS, in_range, splat};

/// ASCII letters and digits: the word characters of the ASCII fast path.
static ASCII_WORD: [bool; 128] = {
    let mut t = [false; 128];
    let mut i = 0;
    while i < 128 {
        t[i] = (i as u8).is_ascii_alphanumeric();
        i += 1;
    }
    t
};

/// What a byte starting a character is, for the scan from word to word. The values are chosen
/// for the common path: a word character is at least [`LOWER`], and whether it is upper case
/// is the low bit, with no branch.
const SEPARATOR: u8 = 0;
/// An ASCII lower-case letter or digit.
const LOWER: u8 = 2;
/// An ASCII upper-case letter.
const UPPER: u8 = 3;
/// The first byte of a non-ASCII character.
const NON_ASCII: u8 = 4;

/// The class of each byte: [`SEPARATOR`], [`LOWER`], [`UPPER`] or [`NON_ASCII`].
static CLASS: [u8; 256] = {
    let mut t = [NON_ASCII; 256];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        t[i] = if b.is_ascii_uppercase() {
            UPPER
        } else if b.is_ascii_alphanumeric() {
            LOWER
        } else {
            SEPARATOR
        };
        i += 1;
    }
    t
};

/// Whether the character starting at byte `i` of `text` is a letter or digit.
#[inline]
pub(super) fn is_word_at(text: &str, i: usize) -> bool {
    match text.as_bytes().get(i) {
        None => false,
        Some(&b) if b < 0x80 => ASCII_WORD[b as usize],
        Some(_) => text[i..].chars().next().is_some_and(char::is_alphanumeric),
    }
}

/// Whether the character ending at byte `i` of `text` is a letter or digit.
#[inline]
pub(super) fn is_word_before(text: &str, i: usize) -> bool {
    match i.checked_sub(1).map(|j| text.as_bytes()[j]) {
        None => false,
        Some(b) if b < 0x80 => ASCII_WORD[b as usize],
        Some(_) => text[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric),
    }
}

/// Whether the non-ASCII character at byte `i` is a letter or digit, with a fast answer for
/// the punctuation and spaces of U+2000–U+203F (dashes, curly quotes) and the no-break space.
#[inline]
fn non_ascii_word(text: &str, i: usize) -> (bool, usize) {
    let b = text.as_bytes();
    if b[i] == 0xE2 && b.get(i + 1) == Some(&0x80) {
        return (false, 3);
    }
    if b[i] == 0xC2 && b.get(i + 1) == Some(&0xA0) {
        return (false, 2);
    }
    let ch = text[i..]
        .chars()
        .next()
        .expect("a character at a char boundary");
    (ch.is_alphanumeric(), ch.len_utf8())
}

/// The eight bytes of `bytes` at `i` as a little-endian word, if there are eight. The test is
/// on the length of the rest, which for an `i` known to be in the text is one comparison: the
/// `i..i + 8` range of [`swar::word_at`](crate::swar::word_at) also needs an overflow check,
/// which on the path of every word costs five instructions more.
#[inline(always)]
fn eight_at(bytes: &[u8], i: usize) -> Option<u64> {
    let rest = bytes.get(i..)?;
    rest.first_chunk::<8>().map(|c| u64::from_le_bytes(*c))
}

/// For eight ASCII bytes, 0x80 in each byte that is not a letter or digit.
#[inline]
fn non_word_bytes(x: u64) -> u64 {
    let digit = in_range(x, b'0', b'9');
    let alpha = in_range(x | splat(0x20), b'a', b'z');
    !(digit | alpha) & HIGH_BITS
}

/// The end of the word characters starting at `i`: eight ASCII bytes at a time, one character
/// at a time around non-ASCII text.
#[inline]
fn word_end(text: &str, mut i: usize) -> usize {
    let b = text.as_bytes();
    while let Some(x) = eight_at(b, i) {
        if x & splat(0x80) != 0 {
            break;
        }
        let stop = non_word_bytes(x);
        if stop != 0 {
            return i + (stop.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            if !ASCII_WORD[c as usize] {
                break;
            }
            i += 1;
        } else {
            let (word, len) = non_ascii_word(text, i);
            if !word {
                break;
            }
            i += len;
        }
    }
    i
}

/// The end and the [`word_key`](super::words::word_key) of the word starting at `start`, and
/// where the next word may start (past the ASCII character ending the word, when there is
/// one): from one load of eight bytes when the text has them and they are ASCII.
#[inline(always)]
fn measure(text: &str, start: usize) -> (usize, u64, usize) {
    let bytes = text.as_bytes();
    if let Some(x) = eight_at(bytes, start) {
        if x & HIGH_BITS == 0 {
            let stop = non_word_bytes(x);
            if stop != 0 {
                // The bytes below the first stop: its high bit and the bits under it, less a
                // byte.
                let len = (stop.trailing_zeros() / 8) as usize;
                let mask = (stop ^ (stop - 1)) >> 8;
                return (start + len, key_of(x, mask, len), start + len + 1);
            }
            let end = word_end(text, start + 8);
            return (end, key_of(x, u64::MAX, end - start), end);
        }
    }
    let end = word_end(text, start);
    (end, word_key_at(bytes, start, end), end)
}

/// For a word character at non-ASCII byte `i`, whether it is upper case; for another
/// character, its length.
#[inline(never)]
fn non_ascii_start(text: &str, i: usize) -> Result<bool, usize> {
    let (word, len) = non_ascii_word(text, i);
    if word {
        Ok(text[i..].chars().next().is_some_and(char::is_uppercase))
    } else {
        Err(len)
    }
}

/// A word of the text (a maximal run of letters and digits, or what follows a mention ending
/// inside one).
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
    /// See [`word_key`](super::words::word_key).
    key: u64,
    /// Whether its first character is upper case.
    capital: bool,
}

/// The previous word when capitalized (the first word of a garbled name if the next one
/// fits): its span, or an `end` of 0 when there is none (no word ends at 0).
#[derive(Debug, Clone, Copy, Default)]
struct Prev {
    start: usize,
    end: usize,
}

impl Prev {
    /// The previous word `w` when capitalized, else none.
    #[inline(always)]
    fn of(w: &Word) -> Prev {
        if w.capital {
            Prev {
                start: w.start,
                end: w.end,
            }
        } else {
            Prev::default()
        }
    }

    /// Whether the word starting at `start` follows this one after one space (a garbled name
    /// may end with it).
    #[inline(always)]
    fn adjacent(self, text: &[u8], start: usize) -> bool {
        self.end != 0 && self.end + 1 == start && text[self.end] == b' '
    }
}

/// The first word starting at or after `i`.
#[inline(always)]
fn word_from(text: &str, mut i: usize) -> Option<Word> {
    let bytes = text.as_bytes();
    while i < bytes.len() {
        let b = bytes[i];
        let capital = if b < 0x80 {
            if !ASCII_WORD[b as usize] {
                i += 1;
                continue;
            }
            b.is_ascii_uppercase()
        } else {
            match non_ascii_start(text, i) {
                Ok(capital) => capital,
                Err(len) => {
                    i += len;
                    continue;
                }
            }
        };
        let (end, key, _) = measure(text, i);
        return Some(Word {
            start: i,
            end,
            key,
            capital,
        });
    }
    None
}

/// `end` moved past a possessive ("Russia's", "Kyiv’s", "allies'") when one follows.
pub(super) fn possessive_end(text: &str, end: usize) -> usize {
    let rest = &text.as_bytes()[end..];
    let ends_in_s = end > 0 && text.as_bytes()[end - 1].eq_ignore_ascii_case(&b's');
    let candidate = if rest.starts_with(b"'s") || rest.starts_with(b"'S") {
        end + 2
    } else if rest.starts_with("\u{2019}s".as_bytes()) || rest.starts_with("\u{2019}S".as_bytes()) {
        end + 4
    } else if ends_in_s && rest.starts_with(b"'") {
        end + 1
    } else if ends_in_s && rest.starts_with("\u{2019}".as_bytes()) {
        end + 3
    } else {
        return end;
    };
    if is_word_at(text, candidate) {
        end
    } else {
        candidate
    }
}

/// Whether the word at `start` is the second half of "pro-X" or "anti-X".
fn is_attitude(text: &str, start: usize) -> bool {
    let before = &text.as_bytes()[..start];
    [&b"pro-"[..], &b"anti-"[..]].iter().any(|p| {
        before.len() >= p.len()
            && before[before.len() - p.len()..].eq_ignore_ascii_case(p)
            && !is_word_before(text, start - p.len())
    })
}

/// The position after the spaces (at least one) following `i`, if any.
fn after_spaces(text: &str, i: usize) -> Option<usize> {
    let n = text.as_bytes()[i..]
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    (n > 0).then_some(i + n)
}

/// Whether `before` (a prefix of `text`) ends with one of `phrases` as whole words.
fn ends_with_phrase(text: &str, before: &str, phrases: &[String]) -> bool {
    let b = before.as_bytes();
    phrases.iter().any(|p| {
        let p = p.as_bytes();
        b.len() >= p.len()
            && b[b.len() - p.len()..].eq_ignore_ascii_case(p)
            && !is_word_before(text, b.len() - p.len())
    })
}

/// Whether the word before `start` is a possessive ("Trump's", "Trump’s", "allies'").
fn after_possessive(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end();
    before.ends_with("'s")
        || before.ends_with("\u{2019}s")
        || before.ends_with("s'")
        || before.ends_with("s\u{2019}")
}

/// How a capital or seat of government is used where it is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PlaceUse {
    /// It stands for the government ("Moscow rejected").
    Government,
    /// It names the place ("talks in London").
    Place,
    /// A dateline in capitals ("KYIV -"): not a mention.
    Dateline,
}

/// Whether `before` (a prefix of `text`) ends with the word "the".
fn ends_with_the(text: &str, before: &str) -> bool {
    let b = before.as_bytes();
    b.len() >= 3
        && b[b.len() - 3..].eq_ignore_ascii_case(b"the")
        && !is_word_before(text, b.len() - 3)
}

/// When `before` (a prefix of `text`) ends with one to three capitalized words and "and" or
/// "or" ("in China and| Europe"), the start of the first of those words.
fn coordinated_with(text: &str, before: &str) -> Option<usize> {
    let b = before.as_bytes();
    let conjunction = [&b"and"[..], &b"or"[..]].into_iter().find(|c| {
        b.len() > c.len()
            && b[b.len() - c.len()..].eq_ignore_ascii_case(c)
            && !is_word_before(text, b.len() - c.len())
    })?;
    let mut first = None;
    let mut rest = text[..b.len() - conjunction.len()].trim_end();
    for _ in 0..3 {
        let word_start = rest
            .char_indices()
            .rev()
            .take_while(|&(_, c)| c.is_alphanumeric() || c == '.')
            .last()
            .map(|(i, _)| i)?;
        if !rest[word_start..].starts_with(char::is_uppercase) {
            break;
        }
        first = Some(word_start);
        if !rest[..word_start].ends_with(' ') {
            break;
        }
        rest = &rest[..word_start - 1];
    }
    first
}

impl Gazetteer {
    /// The mentions of actors and proposals in `text`, in order of position, not overlapping:
    /// exact spellings (leftmost-longest, on word boundaries), role nouns after a country word,
    /// seats, metonyms outside locative contexts, and garbled two-word person names. `date` (the
    /// article's) chooses who holds a role ("the British prime minister"). Allocation: only the
    /// returned vector; see [`find_into`](Self::find_into) to reuse one.
    pub fn find<'t>(&self, text: &'t str, date: Option<Date>) -> Vec<Mention<'t>> {
        let mut out = Vec::new();
        self.find_into(text, date, &mut out);
        out
    }

    /// As [`find`](Self::find), into `out` (cleared first), so that a caller looping over many
    /// texts reuses one vector.
    pub fn find_into<'t>(&self, text: &'t str, date: Option<Date>, out: &mut Vec<Mention<'t>>) {
        out.clear();
        Scan {
            g: self,
            text,
            date,
        }
        .run(out);
    }

    /// Who holds `role` of `of` on `date`; without a date, the holder only when a single person
    /// is listed for the role.
    pub fn holder(&self, role: RoleId, of: ActorId, date: Option<Date>) -> Option<ActorId> {
        let mut held = self
            .holdings
            .iter()
            .filter(|h| h.role == role && h.of == of);
        match date {
            Some(d) => held.find(|h| h.covers(d)).map(|h| h.holder),
            None => {
                let first = held.next()?.holder;
                held.all(|h| h.holder == first).then_some(first)
            }
        }
    }

    /// The mention of `role` of `of`: its holder when known, else the country.
    fn role_mention<'t>(
        &self,
        text: &'t str,
        span: std::ops::Range<usize>,
        role: RoleId,
        of: ActorId,
        date: Option<Date>,
        how: How,
    ) -> Mention<'t> {
        let holder = self.holder(role, of, date);
        Mention {
            target: Target::Actor(holder.unwrap_or(of)),
            text: &text[span.clone()],
            span,
            how,
            role: Some(RoleMatch { role, of, holder }),
        }
    }

    /// How the place name at `start..end` is used. A dateline in capitals ("KYIV -") is no
    /// mention; it names the place after a locative word ("in Paris") unless a longer phrase
    /// says otherwise ("according to the Kremlin"), after a coordination with a place ("in
    /// China and Europe"), or before a locative word ("the London talks"); otherwise it stands
    /// for the government ("Moscow rejected").
    fn place_use(&self, text: &str, start: usize, end: usize) -> PlaceUse {
        let word = &text.as_bytes()[start..end];
        if word.len() > 1 && !word.iter().any(u8::is_ascii_lowercase) {
            return PlaceUse::Dateline;
        }
        // "London-based" is written without a space, "the London talks" with one.
        let next = after_spaces(text, end);
        let followed = self.locative_after.iter().any(|w| {
            let at = if w.starts_with('-') { Some(end) } else { next };
            let Some(at) = at else { return false };
            let (rest, w) = (&text.as_bytes()[at..], w.as_bytes());
            rest.len() >= w.len()
                && rest[..w.len()].eq_ignore_ascii_case(w)
                && !is_word_at(text, at + w.len())
        });
        if followed {
            return PlaceUse::Place;
        }
        let place_before = |before: &str| {
            !ends_with_phrase(text, before, &self.not_locative_before)
                && ends_with_phrase(text, before, &self.locative_before)
        };
        let before = text[..start].trim_end();
        let place = place_before(before)
            || coordinated_with(text, before)
                .is_some_and(|first| place_before(text[..first].trim_end()));
        if place {
            PlaceUse::Place
        } else {
            PlaceUse::Government
        }
    }

    /// Whether `person` holds `role` (of any country or organisation) on `date`, or, without a
    /// date, at any time listed; the country or organisation when so.
    fn held_by(&self, person: ActorId, role: RoleId, date: Option<Date>) -> Option<ActorId> {
        self.holdings
            .iter()
            .find(|h| h.holder == person && h.role == role && date.is_none_or(|d| h.covers(d)))
            .map(|h| h.of)
    }

    /// The country or organisation a qualifier-capable rule stands for.
    fn qualifier(&self, rule: Rule) -> Option<ActorId> {
        match rule {
            Rule::Alias(a) | Rule::Adjective(a)
                if self.actors[a.index()].kind != ActorKind::Person =>
            {
                Some(a)
            }
            Rule::Seat(s) => Some(self.seats[s as usize].of),
            _ => None,
        }
    }
}

/// One pass over one text.
struct Scan<'g, 't> {
    g: &'g Gazetteer,
    text: &'t str,
    date: Option<Date>,
}

impl<'t> Scan<'_, 't> {
    /// One pass over the words: each word start that may begin a pattern is walked in the
    /// trie; each pair of adjacent capitalized words is tried as a garbled name. Most words do
    /// neither: this loop only measures them; [`visit`](Self::visit) handles the others. A
    /// word that passes the first-word filter is visited only when it is a whole pattern or
    /// its first bytes start one ([`may_begin`](super::words::FirstWords::may_begin)), and a
    /// pair of capitalized words only when one of them is a word of a two-word name: a visit
    /// that finds nothing leaves the state as this loop does, so skipping it changes nothing.
    fn run(&self, out: &mut Vec<Mention<'t>>) {
        let (text, g) = (self.text, self.g);
        let bytes = text.as_bytes();
        let mut prev = Prev::default();
        let mut i = 0;
        while i < bytes.len() {
            let class = CLASS[bytes[i] as usize];
            if class == SEPARATOR {
                i += 1;
                continue;
            }
            let capital = if class < NON_ASCII {
                class & 1 == 1
            } else {
                match non_ascii_start(text, i) {
                    Ok(capital) => capital,
                    Err(len) => {
                        i += len;
                        continue;
                    }
                }
            };
            let (end, key, resume) = measure(text, i);
            let may_start = g.first_words.may_start(key);
            let w = Word {
                start: i,
                end,
                key,
                capital,
            };
            if self.worth_visiting(&w, may_start, prev) {
                (i, prev) = self.visit(w, may_start, prev, out);
            } else {
                prev = if capital {
                    Prev { start: i, end }
                } else {
                    Prev::default()
                };
                i = resume;
            }
        }
    }

    /// Whether the word `w`, after `prev`, needs a [`visit`](Self::visit): it may begin a
    /// pattern (`may_start`, the first-word filter's answer, and its first bytes), or it is a
    /// capitalized word that may end a garbled name after `prev`.
    #[inline(always)]
    fn worth_visiting(&self, w: &Word, may_start: bool, prev: Prev) -> bool {
        (may_start
            && self
                .g
                .first_words
                .may_begin(w.key, self.text.as_bytes(), w.start, w.end - w.start))
            || (w.capital
                && self.garbled_may_end(prev, w.start)
                && self.garbled_may_fit(prev, w.key))
    }

    /// Whether a garbled name may end with a capitalized word starting at `start` after
    /// `prev`.
    #[inline(always)]
    fn garbled_may_end(&self, prev: Prev, start: usize) -> bool {
        !self.g.fuzzy.is_empty() && prev.adjacent(self.text.as_bytes(), start)
    }

    /// Whether `prev` or the word after it, whose key is `key`, may be a word of a two-word
    /// name: the first test of [`garbled`](Self::garbled), made before the visit (most pairs
    /// of capitalized words, "Prime Minister", "White House", fail it).
    #[inline(always)]
    fn garbled_may_fit(&self, prev: Prev, key: u64) -> bool {
        let fuzzy = &self.g.fuzzy;
        fuzzy.may_contain(key)
            || fuzzy.may_contain(word_key_at(self.text.as_bytes(), prev.start, prev.end))
    }

    /// The word `w`, where a pattern may start (`may_start`) or a garbled name end after
    /// `prev`, and the words after it while they are measured already and need the same: the
    /// mentions they start. Returns where to go on and the previous word.
    #[inline(never)]
    fn visit(
        &self,
        mut w: Word,
        mut may_start: bool,
        mut prev: Prev,
        out: &mut Vec<Mention<'t>>,
    ) -> (usize, Prev) {
        let (text, g) = (self.text, self.g);
        let bytes = text.as_bytes();
        loop {
            let (start, end, key) = (w.start, w.end, w.key);
            // The next word, when measured to rule out a pattern of two words or more.
            let mut next = None;
            let hit = match g.first_words.start(key, may_start) {
                Start::No => None,
                Start::Walk => self.longest(start),
                Start::Pair => {
                    next = word_from(text, end);
                    match next {
                        Some(n)
                            if g.first_words.may_pair(
                                key,
                                between_key(bytes, end, n.start),
                                n.key,
                            ) =>
                        {
                            self.longest(start)
                        }
                        _ => None,
                    }
                }
            };
            if w.capital && self.garbled_may_end(prev, start) {
                if let Some(i) = self.garbled(prev, &w, hit, out) {
                    return (i, Prev::default());
                }
            }
            let i = match hit {
                Some((pid, hit_end)) => self.hit(start, pid, hit_end, out),
                None => end,
            };
            prev = Prev::of(&w);
            // Go on with the next word here when it is measured already.
            let Some(n) = next else { return (i, prev) };
            if i != end {
                return (i, prev);
            }
            may_start = g.first_words.may_start(n.key);
            if !self.worth_visiting(&n, may_start, prev) {
                return (n.end, Prev::of(&n));
            }
            w = n;
        }
    }

    /// A garbled two-word name ending with the word `w` (exact match `hit`) after the
    /// capitalized word `prev` one space before it: records it and returns where to go on. The
    /// exact mentions it overlaps must be aliases of the same person inside it: the one `prev`
    /// starts, if any, is the last in `out` (every mention starts at the word whose visit
    /// records it, and none is recorded between the two words). Never inlined: it is rare, and
    /// out of the loop it takes no registers from the common path.
    #[inline(never)]
    fn garbled(
        &self,
        prev: Prev,
        w: &Word,
        hit: Option<(usize, usize)>,
        out: &mut Vec<Mention<'t>>,
    ) -> Option<usize> {
        let (text, g) = (self.text, self.g);
        let bytes = text.as_bytes();
        let (a_start, a_end) = (prev.start, prev.end);
        let (start, end) = (w.start, w.end);
        if !(g.fuzzy.may_contain(word_key_at(bytes, a_start, a_end)) || g.fuzzy.may_contain(w.key))
        {
            return None;
        }
        let person = g
            .fuzzy
            .garbled(&bytes[a_start..a_end], &bytes[start..end])?;
        let own = |rule: Rule| rule == Rule::Alias(person);
        if let Some((pid, hit_end)) = hit {
            if !own(g.patterns[pid].rule) || hit_end > end {
                return None;
            }
        }
        if let Some(m) = out.last().filter(|m| m.span.start == a_start) {
            if m.target != Target::Actor(person) || m.how != How::Alias || m.span.end > a_end {
                return None;
            }
            out.pop();
        }
        let end = possessive_end(text, end);
        out.push(Mention {
            target: Target::Actor(person),
            span: a_start..end,
            text: &text[a_start..end],
            how: How::Fuzzy,
            role: None,
        });
        Some(end)
    }

    /// The longest acceptable pattern starting at `start`: its id and end.
    #[inline]
    fn longest(&self, start: usize) -> Option<(usize, usize)> {
        let mut best = None;
        self.g
            .trie
            .walk(&self.text.as_bytes()[start..], |len, spellings| {
                let end = start + len;
                if let Some(&pid) = spellings
                    .iter()
                    .find(|&&pid| self.accept(pid as usize, start, end))
                {
                    best = Some((pid as usize, end));
                }
            });
        best
    }

    /// Whether pattern `pid` found at `start..end` ends on a word boundary and has the right case.
    #[inline]
    fn accept(&self, pid: usize, start: usize, end: usize) -> bool {
        let p = &self.g.patterns[pid];
        (!p.word_end || !is_word_at(self.text, end))
            && (!p.exact || &self.text.as_bytes()[start..end] == p.text.as_bytes())
    }

    /// Records what pattern `pid` at `start..end` stands for; returns where to go on.
    fn hit(&self, start: usize, pid: usize, end: usize, out: &mut Vec<Mention<'t>>) -> usize {
        let (g, text) = (self.g, self.text);
        let rule = g.patterns[pid].rule;
        let actor = |a: ActorId, end: usize, how: How| Mention {
            target: Target::Actor(a),
            span: start..end,
            text: &text[start..end],
            how,
            role: None,
        };
        match rule {
            Rule::Discard | Rule::Exclude(_) => end,
            Rule::Term(p) => {
                out.push(Mention {
                    target: Target::Proposal(p),
                    span: start..end,
                    text: &text[start..end],
                    how: How::Term,
                    role: None,
                });
                end
            }
            Rule::RoleNoun(role) => match self.postposed_qualifier(start, end, role) {
                Some((of, q_end)) => {
                    out.push(g.role_mention(text, start..q_end, role, of, self.date, How::Role));
                    q_end
                }
                None => {
                    if !g.patterns[pid].plural {
                        if let Some(m) = self.bare_role(start, end, role, out) {
                            out.push(m);
                        }
                    }
                    end
                }
            },
            Rule::Alias(_) | Rule::Metonym(_) | Rule::Adjective(_) | Rule::Seat(_) => {
                let end = possessive_end(text, end);
                if is_attitude(text, start) {
                    // "pro-Russian president", "anti-American": an attitude, not the actor.
                    return end;
                }
                if let Some(of) = g.qualifier(rule) {
                    if let Some((role, r_end)) = self.following_role_noun(end) {
                        out.push(g.role_mention(
                            text,
                            start..r_end,
                            role,
                            of,
                            self.date,
                            How::Role,
                        ));
                        return r_end;
                    }
                }
                match rule {
                    Rule::Alias(a) => out.push(actor(a, end, How::Alias)),
                    Rule::Metonym(a) => match g.place_use(text, start, end) {
                        PlaceUse::Government => out.push(actor(a, end, How::Metonym)),
                        PlaceUse::Place => out.push(actor(a, end, How::Place)),
                        PlaceUse::Dateline => {}
                    },
                    Rule::Seat(s) => {
                        let seat = g.seats[s as usize];
                        match (g.place_use(text, start, end), seat.role) {
                            (PlaceUse::Government, Some(role)) => out.push(g.role_mention(
                                text,
                                start..end,
                                role,
                                seat.of,
                                self.date,
                                How::Seat,
                            )),
                            (PlaceUse::Government, None) => {
                                out.push(actor(seat.of, end, How::Seat))
                            }
                            (PlaceUse::Place, _) => out.push(actor(seat.of, end, How::Place)),
                            (PlaceUse::Dateline, _) => {}
                        }
                    }
                    _ => {}
                }
                end
            }
        }
    }

    /// A role noun with no country word, after "the" ("the Prime Minister", "the
    /// vice-president"): the person it refers to is the nearest earlier mention in the text of
    /// someone holding that role on the article's date (without a date, ever), or of the same
    /// role. None when there is no such mention, or when a name follows in apposition ("the
    /// prime minister, Keir Starmer"), which is a mention of its own.
    fn bare_role(
        &self,
        start: usize,
        end: usize,
        role: RoleId,
        out: &[Mention<'t>],
    ) -> Option<Mention<'t>> {
        let (g, text) = (self.g, self.text);
        // Only roles people hold: "the government" has no holder to refer back to.
        if !ends_with_the(text, text[..start].trim_end())
            || !g.holdings.iter().any(|h| h.role == role)
        {
            return None;
        }
        let mut next = end;
        if text.as_bytes().get(next) == Some(&b',') {
            next += 1;
        }
        if let Some((pid, _)) = after_spaces(text, next).and_then(|at| self.longest(at)) {
            if let Rule::Alias(a) = g.patterns[pid].rule {
                if g.actors[a.index()].kind == ActorKind::Person {
                    return None;
                }
            }
        }
        let end = possessive_end(text, end);
        let resolved = out.iter().rev().find_map(|m| match (m.role, m.target) {
            (Some(r), _) if r.role == role => Some((r.holder, r.of)),
            (_, Target::Actor(a)) if g.actors[a.index()].kind == ActorKind::Person => {
                g.held_by(a, role, self.date).map(|of| (Some(a), of))
            }
            _ => None,
        });
        let (holder, of) = resolved?;
        Some(Mention {
            target: Target::Actor(holder.unwrap_or(of)),
            span: start..end,
            text: &text[start..end],
            how: How::Role,
            role: Some(RoleMatch { role, of, holder }),
        })
    }

    /// A role noun right after a qualifier ending at `end` ("Russian| foreign minister").
    fn following_role_noun(&self, end: usize) -> Option<(RoleId, usize)> {
        let next = after_spaces(self.text, end)?;
        match self.longest(next) {
            Some((pid, r_end)) => match self.g.patterns[pid].rule {
                Rule::RoleNoun(role) => Some((role, r_end)),
                _ => None,
            },
            None => None,
        }
    }

    /// A qualifier after a role noun of `role` at `start..end` ("president| of France", "of the
    /// United States"; for a located role also "officials| in Kyiv", "in the Kremlin", unless a
    /// possessive owns the noun: "Trump's administration in the Russian capital"): its country
    /// and end.
    fn postposed_qualifier(
        &self,
        start: usize,
        end: usize,
        role: RoleId,
    ) -> Option<(ActorId, usize)> {
        let bytes = self.text.as_bytes();
        let rest = &bytes[end..];
        let located = if rest.len() > 4 && rest[..4].eq_ignore_ascii_case(b" of ") {
            false
        } else if self.g.located_roles[role.index()]
            && rest.len() > 4
            && rest[..4].eq_ignore_ascii_case(b" in ")
            && !after_possessive(self.text, start)
        {
            true
        } else {
            return None;
        };
        let mut q = end + 4;
        if bytes[q..].len() > 4 && bytes[q..q + 4].eq_ignore_ascii_case(b"the ") {
            q += 4;
        }
        let (pid, q_end) = self.longest(q)?;
        match self.g.patterns[pid].rule {
            Rule::Metonym(a) if located => Some((a, q_end)),
            rule @ Rule::Seat(_) => self.g.qualifier(rule).map(|of| (of, q_end)),
            rule @ Rule::Alias(_) if !located => self.g.qualifier(rule).map(|of| (of, q_end)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The matcher with no filter: the trie walked from every word start, each word measured
    /// where it is reached, the previous capitalized word kept with the index of the mention it
    /// starts, and every pair of capitalized words tried as a garbled name.
    fn reference<'t>(g: &Gazetteer, text: &'t str, date: Option<Date>) -> Vec<Mention<'t>> {
        let scan = Scan { g, text, date };
        let mut out = Vec::new();
        let mut prev: Option<(usize, usize, Option<usize>)> = None;
        let mut i = 0;
        while i < text.len() {
            let ch = text[i..].chars().next().expect("a character");
            if !ch.is_alphanumeric() {
                i += ch.len_utf8();
                continue;
            }
            let (start, capital) = (i, ch.is_uppercase());
            let end = text[start..]
                .find(|c: char| !c.is_alphanumeric())
                .map_or(text.len(), |j| start + j);
            let hit = scan.longest(start);
            if !g.fuzzy.is_empty() && capital {
                if let Some(next) = reference_garbled(&scan, prev, start, end, hit, &mut out) {
                    prev = None;
                    i = next;
                    continue;
                }
            }
            let before = out.len();
            i = match hit {
                Some((pid, hit_end)) => scan.hit(start, pid, hit_end, &mut out),
                None => end,
            };
            prev = capital.then(|| {
                let own = (out.len() > before && out[before].span.start == start).then_some(before);
                (start, end, own)
            });
        }
        out
    }

    /// [`Scan::garbled`] as it was, for [`reference`].
    fn reference_garbled<'t>(
        scan: &Scan<'_, 't>,
        prev: Option<(usize, usize, Option<usize>)>,
        start: usize,
        end: usize,
        hit: Option<(usize, usize)>,
        out: &mut Vec<Mention<'t>>,
    ) -> Option<usize> {
        let (text, g) = (scan.text, scan.g);
        let (a_start, a_end, a_mention) = prev?;
        if a_end + 1 != start || text.as_bytes()[a_end] != b' ' {
            return None;
        }
        let bytes = text.as_bytes();
        let person = g
            .fuzzy
            .garbled(&bytes[a_start..a_end], &bytes[start..end])?;
        if let Some((pid, hit_end)) = hit {
            if g.patterns[pid].rule != Rule::Alias(person) || hit_end > end {
                return None;
            }
        }
        if let Some(k) = a_mention {
            let m = &out[k];
            if k + 1 != out.len()
                || m.target != Target::Actor(person)
                || m.how != How::Alias
                || m.span.end > a_end
            {
                return None;
            }
            out.pop();
        }
        let end = possessive_end(text, end);
        out.push(Mention {
            target: Target::Actor(person),
            span: a_start..end,
            text: &text[a_start..end],
            how: How::Fuzzy,
            role: None,
        });
        Some(end)
    }

    /// Patterns whose first words start other patterns only, or also stand alone, with
    /// punctuation, case-sensitive spellings and non-ASCII letters in them.
    const TRICKY: &str = r#"
discard = ["in Paris Hilton", "the White Stripes"]

[[actors]]
id = "usa"
name = "United States"
kind = "country"
aliases = ["United States", "U.S.", { text = "US", case = "sensitive" }, "the U.S. of A"]
adjectives = ["American"]
metonyms = ["Washington"]

[[actors]]
id = "russia"
name = "Russia"
kind = "country"
aliases = ["Russia", "the Russian Federation"]
adjectives = ["Russian"]
metonyms = ["Moscow"]

[[actors]]
id = "france"
name = "France"
kind = "country"
aliases = ["France", "la République"]
metonyms = ["Paris", "Élysée Palace"]

[[actors]]
id = "putin"
name = "Vladimir Putin"
kind = "person"
country = "russia"
aliases = ["Vladimir Putin", "Putin"]
roles = [{ role = "head_of_state", of = "russia", from = "2012-05-07" }]

[[actors]]
id = "macron"
name = "Emmanuel Macron"
kind = "person"
country = "france"
aliases = ["Emmanuel Macron", "Macron"]
roles = [{ role = "head_of_state", of = "france", from = "2017-05-14" }]

[[actors]]
id = "rutte"
name = "Mark Rutte"
kind = "person"
aliases = ["Mark Rutte", "Rutte", "Mark"]

[[roles]]
id = "head_of_state"
nouns = ["president", "presidents", "head of state"]

[[seats]]
names = ["the Kremlin", "the Élysée", "No. 10", { text = "No 10", case = "sensitive" }]
of = "russia"
role = "head_of_state"

[[seats]]
names = ["the White House", "White House"]
of = "usa"
role = "head_of_state"

[[proposals]]
id = "ceasefire"
name = "Ceasefire"
terms = ["in agreement", "in-person talks", "the truce", "no-fly zone", "U.N. resolution", "cease-fire"]
exclude = ["the truce talks"]

[metonymy]
locative_before = ["in", "at"]
not_locative_before = ["according to{| the}"]
"#;

    /// Texts around those patterns: at the ends of the text, in other cases, with other
    /// characters between the words, and non-ASCII text next to them.
    const TRICKY_TEXTS: [&str; 15] = [
        "the Kremlin said. The Kremlin said. THE KREMLIN. the  Kremlin, the\nKremlin, the\tKremlin",
        "According to the Kremlin, the U.S. and the U.S. of A met in Paris; the",
        "in Paris Hilton in Paris in agreement in-person talks in",
        "the Élysée and Élysée Palace; the élysée, the ÉLYSÉE, «the Élysée», the Élysées",
        "No. 10, No 10, no 10, NO 10, No.10, No. 100, US and us, U.S.-led, u.s.",
        "the truce talks, the truce, the truces, the truce’s end, the White House’s line",
        "the White Stripes and the White House; White House; the white house",
        "Vladimir Putin, Vladimir Putinn, Vladimir Putim said; Emanuel Macron, Emmanuel Macrom",
        "Putin Vladimir; Vladimir  Putin; President Putin; the president said; the president’s",
        "Élysée, über the Kremlin — the Kremlin’s “the White House” the\u{a0}Kremlin the\u{2009}Kremlin",
        "the Russian Federation, the Russian, the Russians, a no-fly zone, a no-fly zones",
        "cease-fire, cease-fires, U.N. resolution, U.N resolution, la République, la république",
        "Mark Ruttes said; Mark Rutte; Mark Rute; Mark Putim; Vladimir Rutte; MARK RUTTTE.",
        "the",
        "in",
    ];

    #[test]
    fn the_matcher_finds_what_walking_from_every_word_finds() {
        let g = Gazetteer::from_toml(TRICKY, "tricky.toml").expect("the fixture compiles");
        let shipped = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../corpora/peace-talks/gazetteer.toml"
        ))
        .expect("the shipped gazetteer");
        let shipped = Gazetteer::from_toml(&shipped, "gazetteer.toml").expect("it compiles");
        let date = Some("2025-04-23".parse().expect("a date"));
        for g in [&g, &shipped] {
            let all = TRICKY_TEXTS.join(" ");
            for text in TRICKY_TEXTS.iter().copied().chain([all.as_str()]) {
                // Every suffix and prefix: each word in turn starts and ends the text.
                for at in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                    for piece in [&text[at..], &text[..at]] {
                        assert_eq!(
                            g.find(piece, date),
                            reference(g, piece, date),
                            "in {piece:?}"
                        );
                    }
                }
            }
        }
        // Not vacuous: the fixture's multi-word patterns are found ("THE KREMLIN" is taken for
        // a dateline).
        let found: Vec<&str> = g
            .find(TRICKY_TEXTS[0], date)
            .iter()
            .map(|m| m.text)
            .collect();
        assert_eq!(found, ["the Kremlin", "The Kremlin"]);
    }

    #[test]
    fn the_shipped_gazetteer_finds_on_the_sample_articles_what_walking_every_word_finds() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpora/peace-talks");
        let source = std::fs::read_to_string(format!("{root}/gazetteer.toml")).expect("read");
        let g = Gazetteer::from_toml(&source, "gazetteer.toml").expect("it compiles");
        let mut articles: Vec<_> = std::fs::read_dir(format!("{root}/articles"))
            .expect("the sample articles")
            .map(|e| e.expect("an entry").path())
            .collect();
        articles.sort();
        assert!(articles.len() >= 5);
        let mut mentions = 0;
        for path in articles {
            let text = std::fs::read_to_string(&path).expect("an article");
            for date in [None, Some("2025-04-23".parse().expect("a date"))] {
                let found = g.find(&text, date);
                assert_eq!(found, reference(&g, &text, date), "in {path:?}");
                mentions += found.len();
            }
        }
        assert!(mentions > 100, "{mentions} mentions");
    }

    /// Pieces of text around the fixture's and the shipped gazetteer's spellings: their words,
    /// words that share a first word or first bytes with them, others, and the characters
    /// that may lie between words.
    const PIECES: [&str; 48] = [
        "the",
        "The",
        "THE",
        "Kremlin",
        "kremlin",
        "White",
        "House",
        "house",
        "U",
        "S",
        "N",
        "UN",
        "in",
        "In",
        "Paris",
        "agreement",
        "Élysée",
        "élysée",
        "No",
        "10",
        "100",
        "Vladimir",
        "Putin",
        "Putinn",
        "Putim",
        "Mark",
        "Rutte",
        "Rute",
        "Emmanuel",
        "Macron",
        "president",
        "prime",
        "minister",
        "Russian",
        "Federation",
        "cease",
        "fire",
        "truce",
        "talks",
        "economy",
        "Krem",
        "Whit",
        "thee",
        "Theresa",
        "inn",
        "über",
        "Zelensky",
        "Kyiv",
    ];

    /// Characters between pieces: most often one space.
    const GAPS: [&str; 14] = [
        " ", " ", " ", " ", "  ", ". ", ".", "-", "'s ", "’s ", ", ", "\u{a0}", "\n", "'",
    ];

    /// Texts of up to 40 pieces with gaps (sometimes none) between them.
    fn texts() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop::collection::vec((0..PIECES.len(), 0..GAPS.len() + 1), 0..40).prop_map(|parts| {
            let mut text = String::new();
            for (piece, gap) in parts {
                text.push_str(PIECES[piece]);
                text.push_str(GAPS.get(gap).copied().unwrap_or(""));
            }
            text
        })
    }

    proptest::proptest! {
        /// The matcher with its filters (first words, first bytes, two-word pairs, garbled
        /// names tested before the visit) finds what walking from every word start finds, on
        /// texts dense with the patterns' words and near misses of them.
        #[test]
        fn the_filtered_scan_agrees_with_walking_every_word(text in texts()) {
            let g = Gazetteer::from_toml(TRICKY, "tricky.toml").expect("the fixture compiles");
            let date = Some("2025-04-23".parse().expect("a date"));
            proptest::prop_assert_eq!(g.find(&text, date), reference(&g, &text, date));
        }
    }

    #[test]
    fn measured_words_agree_with_a_char_by_char_scan() {
        // Words of every length around the eight bytes read at once, followed by runs of
        // separators of every length, ASCII and not, and by text ending anywhere.
        let words = [
            "a",
            "Kyiv",
            "Putin7",
            "Zelensky",
            "ceasefires",
            "Élysée",
            "x9",
        ];
        let gaps = [
            "", " ", ", ", ".  ", " - ", "\n\n", "!?;:()[]", "’", " \u{a0}", "_", "/",
        ];
        let mut texts = Vec::new();
        for (i, a) in words.iter().enumerate() {
            for gap in gaps {
                for b in &words[i % 3..] {
                    for tail in ["", gap, "z", "Ünder"] {
                        texts.push(format!("{a}{gap}{b}{tail}"));
                        texts.push(format!("{gap}{a}{gap}{gap}{b}{tail}"));
                    }
                }
            }
        }
        for text in &texts {
            let bytes = text.as_bytes();
            let word_at = |i: usize| text.is_char_boundary(i) && is_word_at(text, i);
            for start in (0..text.len()).filter(|&i| word_at(i)) {
                let (end, key, resume) = measure(text, start);
                let slow = text[start..]
                    .find(|c: char| !c.is_alphanumeric())
                    .map_or(text.len(), |j| start + j);
                assert_eq!(end, slow, "{text:?} from {start}");
                assert_eq!(key, word_key_at(bytes, start, end), "{text:?} from {start}");
                // The scan goes on at `resume`: past separators only, never past a word start.
                let next = (end..text.len())
                    .find(|&i| word_at(i))
                    .unwrap_or(text.len());
                assert!(
                    end <= resume && resume <= next,
                    "{text:?} from {start}: resume {resume}, word end {end}, next word {next}"
                );
                assert!(
                    bytes[end..resume]
                        .iter()
                        .all(|&b| CLASS[b as usize] == SEPARATOR),
                    "{text:?} from {start}: skips {:?}",
                    &text[end..resume]
                );
            }
        }
    }

    #[test]
    fn word_ends_agree_with_a_char_by_char_scan() {
        let texts = [
            "Zelensky, said",
            "internationally-recognised",
            "abcdefghijklmnopqrstuvwxyz0123456789 x",
            "Élysée’s",
            "Kyiv’s forces",
            "x",
            "",
            "über9 ok",
            "A_b",
            "[@`{/:",
        ];
        for text in texts {
            for start in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let slow = text[start..]
                    .find(|c: char| !c.is_alphanumeric())
                    .map_or(text.len(), |j| start + j);
                assert_eq!(word_end(text, start), slow, "{text:?} from {start}");
            }
        }
    }
}
