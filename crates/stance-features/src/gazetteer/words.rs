//! Words as the matcher sees them, and a bit filter over them.
//!
//! Every pattern starts at a word start, so a pattern can only match where the text's first
//! word (its maximal run of letters and digits) equals the pattern's first word, ignoring ASCII
//! case. A bitmap of hashed first words, small enough to stay in cache, rules out most words of
//! a text before the trie is walked; the walk, whose nodes are spread over megabytes for
//! a big gazetteer, runs only on words that might start a pattern.
//!
//! A few words pass that filter far more often than the others: "the" and "in" are a third of
//! the passes over news text, since patterns such as "the Hague" and "in agreement" start with
//! them. When every pattern starting with a word has a second word ("the" is no pattern of its
//! own), a match needs the text's next word, and the characters before it, to be those of some
//! pattern; a second filter over (first word, characters between, second word) rules out "the
//! economy" before the walk. See [`FirstWords`].
//!
//! Measuring the next word took a call out of the scan loop for each such word (about 80,000
//! of FNC-1's 638,000 words a pass, 200 instructions each). The scan loop now asks first
//! whether the word is a whole pattern (an exact set) or whether its first bytes and the two
//! after it, read from the eight bytes the loop loaded to measure the word, pass a filter of
//! the first bytes of every pattern with a second word ([`prefix_key`]; "the Kyiv" passes
//! only when some pattern starts with "the k"). 85% of those words fail it; the pair filter
//! still rules on the rest in the visit. Visits 95,600 → 21,200 a pass; `Gazetteer::find`
//! 87.4 → 78.6 M instructions over the bodies (callgrind), its simulated branch mispredictions
//! about the same (830k → 845k: the loop's new test mispredicts about as often as the
//! visits it saves did); a further pass of `stance score` 425.9 → 417.1 M.
//!
//! Tried and dropped: testing "capitalized and after a capitalized word" without branches in
//! the loop (+10.4 M a pass; +5.7 M with one branch on a cheaper part); the loop resuming at
//! the next word start found in the eight bytes instead of stepping over separators (+3.9 M,
//! mispredictions unchanged). Skipping lower-case words cannot work: spellings match in any
//! ASCII case, and lower-case "the" and "in" (57% of the words that pass the first-word
//! filter on FNC-1) start patterns such as "the Kremlin" and "in agreement".

/// The key of a word: its first eight bytes with bit 0x20 set in each (ASCII letters
/// lowercased, digits unchanged; other bytes altered alike on both sides), and its length.
#[inline]
pub(super) fn word_key(word: &[u8]) -> u64 {
    word_key_at(word, 0, word.len())
}

/// [`word_key`] of `text[start..end]`, reading eight bytes at once where the text has them.
#[inline]
pub(super) fn word_key_at(text: &[u8], start: usize, end: usize) -> u64 {
    let len = end - start;
    // The length of the rest is tested, not `start + 8`, which would need an overflow check.
    let raw = match text[start..].first_chunk::<8>() {
        Some(eight) => u64::from_le_bytes(*eight),
        None => text[start..end]
            .iter()
            .take(8)
            .enumerate()
            .fold(0, |k, (j, &b)| k | u64::from(b) << (8 * j)),
    };
    let mask = if len >= 8 {
        u64::MAX
    } else {
        (1u64 << (8 * len)) - 1
    };
    key_of(raw, mask, len)
}

/// The key of a word `len` bytes long whose first bytes (up to eight) are those of `raw`
/// under `mask` (the bytes of `raw` past the word may be anything).
#[inline(always)]
pub(super) const fn key_of(raw: u64, mask: u64, len: usize) -> u64 {
    ((raw | 0x2020_2020_2020_2020) & mask)
        ^ (len as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29)
}

/// The key of the first `min(len + 2, 8)` bytes of a word `len` bytes long and what follows
/// it, whose first eight bytes are those of `raw`: a pattern with a second word that starts
/// with that word is at least `len + 2` bytes long (its first word, one character between
/// and one of the second word), and a match of it starts with those bytes up to ASCII case.
/// The mask is one shift (the count is at least 3 bytes), with no branch.
#[inline(always)]
pub(super) fn prefix_key(raw: u64, len: usize) -> u64 {
    let bytes = (len + 2).min(8);
    key_of(raw, u64::MAX >> (64 - 8 * bytes), len)
}

/// [`word_key_at`] of `text[end..start]`, the characters between two words, with a shortcut
/// for the one space that most often is all there is.
#[inline(always)]
pub(super) fn between_key(text: &[u8], end: usize, start: usize) -> u64 {
    /// The key of " ".
    const SPACE: u64 = key_of(b' ' as u64, 0xFF, 1);
    if start == end + 1 && text[end] == b' ' {
        SPACE
    } else {
        word_key_at(text, end, start)
    }
}

/// The first word of `text`: its leading run of letters and digits.
pub(super) fn first_word(text: &str) -> &str {
    // ASCII bytes one by one (most spellings are ASCII), characters from the first other byte.
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii() {
        if !b[i].is_ascii_alphanumeric() {
            return &text[..i];
        }
        i += 1;
    }
    let end = text[i..]
        .find(|c: char| !c.is_alphanumeric())
        .map_or(text.len(), |j| i + j);
    &text[..end]
}

/// The first two words of a spelling and the characters between them: ("the", " ", "Hague")
/// for "the Hague", ("U", ".", "S") for "U.S.", ("No", ". ", "10") for "No. 10"; the second
/// word is empty when there is none ("Russia", "allies'": ("allies", "'", "")).
pub(super) fn first_two_words(text: &str) -> (&str, &str, &str) {
    let first = first_word(text);
    let rest = &text[first.len()..];
    let gap = rest.find(char::is_alphanumeric).unwrap_or(rest.len());
    (first, &rest[..gap], first_word(&rest[gap..]))
}

/// The key of two words and the characters between them, from their [`word_key`]s.
#[inline]
pub(super) fn pair_key(first: u64, between: u64, second: u64) -> u64 {
    (first.wrapping_mul(0x9FB2_1C65_1E98_DF25) ^ between)
        .wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
        .rotate_left(31)
        ^ second
}

/// What a word of the text says about a pattern starting with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Start {
    /// No pattern starts with the word.
    No,
    /// A pattern may start with it: walk the trie.
    Walk,
    /// Only patterns with a second word may start with it: walk the trie only when the
    /// text's next word, and the characters before it, pass [`FirstWords::may_pair`].
    Pair,
}

/// The first words of the patterns, and of their first two words, for ruling out word starts
/// before the trie is walked.
///
/// A match of a pattern with a second word always covers the text's first two words and the
/// characters between them whole: the pattern's first word is followed, in the pattern and so
/// in the text, by a character that is not a letter or digit, which ends the text's word there;
/// the characters between are all the text has before its next letter or digit, which the
/// pattern has too; and the second word ends the same way, or ends the pattern, where a match
/// must end on a word boundary. So the keys of the text's two words and the characters between
/// them must be those of the pattern.
#[derive(Debug, Clone)]
pub(super) struct FirstWords {
    /// Every pattern's first word.
    first: WordFilter,
    /// The keys of the first words of patterns with no second word ("Russia", "allies'"):
    /// exact, so that a common word such as "the" is never taken for one by chance.
    lone: KeySet,
    /// The first two words of every pattern with a second word, by [`pair_key`].
    pairs: WordFilter,
    /// The first bytes of every pattern with a second word, by [`prefix_key`].
    prefixes: WordFilter,
}

impl FirstWords {
    /// The filters of the patterns spelt `spellings`.
    pub(super) fn new<'a>(spellings: impl Iterator<Item = &'a str> + Clone) -> FirstWords {
        let first = WordFilter::new(spellings.clone().map(|s| first_word(s).as_bytes()));
        let mut lone = Vec::new();
        let mut pairs = Vec::new();
        let mut prefixes = Vec::new();
        for s in spellings {
            let (a, between, b) = first_two_words(s);
            let len = a.len();
            let a = word_key(a.as_bytes());
            if b.is_empty() {
                lone.push(a);
            } else {
                pairs.push(pair_key(
                    a,
                    word_key(between.as_bytes()),
                    word_key(b.as_bytes()),
                ));
                // At least `len + 2` bytes, the most `prefix_key` reads of them.
                let head = &s.as_bytes()[..(len + 2).min(8)];
                let raw = head
                    .iter()
                    .enumerate()
                    .fold(0, |k, (j, &b)| k | u64::from(b) << (8 * j));
                prefixes.push(prefix_key(raw, len));
            }
        }
        FirstWords {
            first,
            lone: KeySet::new(lone),
            pairs: WordFilter::from_keys(pairs.iter().copied()),
            prefixes: WordFilter::from_keys(prefixes.iter().copied()),
        }
    }

    /// Whether a pattern may start with the word whose key is `key`.
    #[inline(always)]
    pub(super) fn may_start(&self, key: u64) -> bool {
        self.first.may_contain(key)
    }

    /// For a word of the text `len` bytes long at `start` whose key is `key` and which passed
    /// [`may_start`](Self::may_start), whether a pattern may start there: it is the first
    /// word of a pattern of one word, or the text's first `min(len + 2, 8)` bytes pass the
    /// filter of those of the patterns with a second word (see [`prefix_key`]). Read from the
    /// word's first eight bytes, in the scan loop, this rules out "the economy" and "in
    /// March" without measuring the next word as [`may_pair`](Self::may_pair) does; with
    /// fewer than eight bytes left in the text it answers yes.
    #[inline(always)]
    pub(super) fn may_begin(&self, key: u64, text: &[u8], start: usize, len: usize) -> bool {
        self.lone.contains(key)
            || match text[start..].first_chunk::<8>() {
                Some(eight) => self
                    .prefixes
                    .may_contain(prefix_key(u64::from_le_bytes(*eight), len)),
                None => true,
            }
    }

    /// What may start with the word whose key is `key`, [`may_start`](Self::may_start) being
    /// `may_start`.
    #[inline]
    pub(super) fn start(&self, key: u64, may_start: bool) -> Start {
        if !may_start {
            Start::No
        } else if self.lone.contains(key) {
            Start::Walk
        } else {
            Start::Pair
        }
    }

    /// Whether a pattern may start with the words whose keys are `first` and `second` and the
    /// characters between them, whose [`word_key`] is `between`.
    #[inline]
    pub(super) fn may_pair(&self, first: u64, between: u64, second: u64) -> bool {
        self.pairs.may_contain(pair_key(first, between, second))
    }
}

/// An exact set of word keys: open addressing with linear probing, at most a quarter full, so
/// that a look-up (a multiplication and one or two loads) costs a fraction of a general hash
/// set's. Slot value 0 is a free slot; the key 0 is kept aside.
#[derive(Debug, Clone)]
pub(super) struct KeySet {
    slots: Vec<u64>,
    shift: u32,
    has_zero: bool,
}

impl KeySet {
    /// The set of `keys` (repeats allowed).
    pub(super) fn new(keys: Vec<u64>) -> KeySet {
        let log2 = (keys.len() * 4).next_power_of_two().trailing_zeros().max(4);
        let mut set = KeySet {
            slots: vec![0; 1 << log2],
            shift: 64 - log2,
            has_zero: false,
        };
        for key in keys {
            if key == 0 {
                set.has_zero = true;
                continue;
            }
            let mut i = set.home(key);
            while set.slots[i] != 0 && set.slots[i] != key {
                i = (i + 1) & (set.slots.len() - 1);
            }
            set.slots[i] = key;
        }
        set
    }

    /// The first slot tried for `key`.
    #[inline(always)]
    fn home(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// Whether `key` is in the set.
    #[inline]
    pub(super) fn contains(&self, key: u64) -> bool {
        if key == 0 {
            return self.has_zero;
        }
        let mut i = self.home(key);
        loop {
            match self.slots[i] {
                k if k == key => return true,
                0 => return false,
                _ => i = (i + 1) & (self.slots.len() - 1),
            }
        }
    }
}

/// A set of word keys that may answer "maybe" for a word not in it (rarely) but never "no"
/// for a word in it.
#[derive(Debug, Clone)]
pub(super) struct WordFilter {
    bits: Vec<u64>,
    shift: u32,
}

impl WordFilter {
    /// A filter holding the words of `words`: 8 to 16 bits per word, at least 4,096 bits; a
    /// 100,000-word filter (128 KiB) stays in the level-2 cache, where a bigger one would not.
    /// Each word sets two bits of one 64-bit word of the filter (a blocked Bloom filter): a
    /// look-up reads one word, and a stranger passes about one time in fifty for a full filter
    /// instead of one in ten with one bit.
    pub(super) fn new<'a>(words: impl Iterator<Item = &'a [u8]> + Clone) -> WordFilter {
        WordFilter::from_keys(words.map(word_key))
    }

    /// A filter holding the keys `keys` (see [`new`](Self::new)).
    pub(super) fn from_keys(keys: impl Iterator<Item = u64> + Clone) -> WordFilter {
        let n = keys.clone().count().max(1);
        let log2 = (n * 8).next_power_of_two().trailing_zeros().clamp(12, 26);
        let mut filter = WordFilter {
            bits: vec![0; 1 << (log2 - 6)],
            shift: 64 - (log2 - 6),
        };
        for key in keys {
            let (i, mask) = filter.slot(key);
            filter.bits[i] |= mask;
        }
        filter
    }

    /// The filter word of `key` and its two bits there.
    #[inline]
    fn slot(&self, key: u64) -> (usize, u64) {
        let h = key.wrapping_mul(0xD6E8_FEB8_6659_FD93);
        (
            (h >> self.shift) as usize,
            (1 << ((h >> 20) & 63)) | (1 << ((h >> 26) & 63)),
        )
    }

    /// Whether the word with key `key` may be in the set.
    #[inline]
    pub(super) fn may_contain(&self, key: u64) -> bool {
        let (i, mask) = self.slot(key);
        self.bits[i] & mask == mask
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_ascii_case_only() {
        assert_eq!(word_key(b"Russia"), word_key(b"RUSSIA"));
        assert_ne!(word_key(b"Russia"), word_key(b"Russian"));
        assert_ne!(word_key(b"internationally"), word_key(b"international"));
    }

    #[test]
    fn the_filter_never_misses_a_member() {
        let words: Vec<String> = (0..10_000).map(|i| format!("w{i}x")).collect();
        let filter = WordFilter::new(words.iter().map(|w| w.as_bytes()));
        assert!(
            words
                .iter()
                .all(|w| filter.may_contain(word_key(w.as_bytes())))
        );
        let strangers = (0..10_000)
            .filter(|i| filter.may_contain(word_key(format!("s{i}y").as_bytes())))
            .count();
        assert!(strangers < 500, "{strangers} false positives");
    }

    #[test]
    fn the_key_set_holds_its_keys_and_nothing_else() {
        let mut x = 0x1234_5678_9abc_def1_u64;
        let mut keys: Vec<u64> = (0..500).map(|_| crate::testing::xorshift(&mut x)).collect();
        // Keys sharing a first slot, a repeat, and the key 0.
        keys.extend((1..40u64).map(|k| k << 60));
        keys.extend([keys[3], 0]);
        for n in [0, 1, 2, 17, keys.len() - 1, keys.len()] {
            let set = KeySet::new(keys[..n].to_vec());
            for (j, &k) in keys.iter().enumerate() {
                assert_eq!(set.contains(k), keys[..n].contains(&k), "{n} keys, key {j}");
            }
            for _ in 0..500 {
                let stranger = crate::testing::xorshift(&mut x);
                assert_eq!(set.contains(stranger), keys[..n].contains(&stranger));
            }
        }
    }

    #[test]
    fn the_key_between_two_words_is_their_gap_s_word_key() {
        let texts = [
            "the Kremlin",
            "the  Kremlin",
            "a. b",
            "x\ty",
            "U.S.",
            "a b",
            "a - b",
            "a\u{a0}b",
            "ab cd",
        ];
        for text in texts {
            let b = text.as_bytes();
            for end in 0..b.len() {
                for start in end + 1..=b.len() {
                    if text.is_char_boundary(end) && text.is_char_boundary(start) {
                        assert_eq!(
                            between_key(b, end, start),
                            word_key_at(b, end, start),
                            "{text:?} {end}..{start}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_pattern_s_first_bytes_pass_the_prefix_filter_in_any_ascii_case() {
        let shipped = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../corpora/peace-talks/gazetteer.toml"
        ))
        .expect("the shipped gazetteer");
        // Every quoted string of the file, and short spellings of two words.
        let mut spellings: Vec<&str> = shipped.split('"').skip(1).step_by(2).collect();
        spellings.extend(["U.S.", "U.N", "No 10", "a b", "e-mail", "the UN", "in Kyiv"]);
        spellings.retain(|s| s.starts_with(|c: char| c.is_alphanumeric()));
        let words = FirstWords::new(spellings.iter().copied());
        let mut x = 0x5eed_1234_abcd_ef01_u64;
        let mut passed = 0;
        for s in &spellings {
            let len = first_word(s).len();
            for suffix in ["", " ", " said the", ".", "’s talks", "xyz"] {
                // Every ASCII letter of the spelling in either case, at random.
                let text: String = s
                    .chars()
                    .map(|c| {
                        crate::testing::xorshift(&mut x);
                        if x & 1 == 1 {
                            c.to_ascii_uppercase()
                        } else {
                            c.to_ascii_lowercase()
                        }
                    })
                    .chain(suffix.chars())
                    .collect();
                let key = word_key(&text.as_bytes()[..len]);
                assert!(words.may_start(key), "{text:?}");
                // A text whose first word is the spelling's: the pattern may start there.
                if first_word(&text).len() == len {
                    assert!(words.may_begin(key, text.as_bytes(), 0, len), "{text:?}");
                    passed += 1;
                }
            }
        }
        assert!(passed > 3_000, "{passed}");
        // Not vacuous: words that start patterns only with other words after them fail.
        let the = word_key(b"the");
        assert!(words.may_start(the) && !words.may_begin(the, b"the xqzvw said", 0, 3));
    }

    #[test]
    fn first_two_words_split_at_letters_and_digits() {
        let cases = [
            ("the Kremlin", ("the", " ", "Kremlin")),
            ("U.S.", ("U", ".", "S")),
            ("No. 10", ("No", ". ", "10")),
            ("cease-fire talks", ("cease", "-", "fire")),
            ("Ukraine’s", ("Ukraine", "’", "s")),
            ("the Élysée", ("the", " ", "Élysée")),
            ("allies'", ("allies", "'", "")),
            ("Russia", ("Russia", "", "")),
        ];
        for (text, expected) in cases {
            assert_eq!(first_two_words(text), expected, "{text}");
        }
    }

    /// The keys of `text`'s first two words and what lies between, as the matcher takes them.
    fn pair_keys(text: &str) -> (u64, u64, u64) {
        let (a, between, b) = first_two_words(text);
        (
            word_key(a.as_bytes()),
            word_key(between.as_bytes()),
            word_key(b.as_bytes()),
        )
    }

    #[test]
    fn a_first_word_of_patterns_with_two_words_only_needs_a_pair_that_starts_one() {
        let spellings = [
            "the Kremlin",
            "the U.S.",
            "the Élysée",
            "in agreement",
            "U.S.",
            "No. 10",
            "Russia",
            "Russia's sovereignty",
            "allies'",
            "according to the Kremlin",
        ];
        let words = FirstWords::new(spellings.iter().copied());
        let start = |w: &str| {
            let key = word_key(w.as_bytes());
            words.start(key, words.may_start(key))
        };
        // A word that is a pattern, or a pattern but for what follows it, needs the walk.
        assert_eq!(start("Russia"), Start::Walk);
        assert_eq!(start("allies"), Start::Walk);
        for w in ["the", "THE", "in", "U", "u", "No", "according"] {
            assert_eq!(start(w), Start::Pair, "{w}");
        }
        assert_eq!(start("economy"), Start::No);
        // Every pattern with a second word passes, in any ASCII case.
        for s in spellings {
            for text in [
                s.to_string(),
                s.to_ascii_uppercase(),
                s.to_ascii_lowercase(),
            ] {
                let (a, between, b) = pair_keys(&text);
                if !first_two_words(&text).2.is_empty() {
                    assert!(words.may_pair(a, between, b), "{text}");
                }
            }
        }
        // Most other pairs are ruled out: other second words, other characters between.
        let others = [
            "the economy",
            "the Kremlins",
            "the  Kremlin",
            "the\nKremlin",
            "the-Kremlin",
            "the élysée",
            "in Paris",
            "in agreements",
            "U.K.",
            "No 10",
            "No. 11",
        ];
        let passed: Vec<&str> = others
            .into_iter()
            .filter(|t| {
                let (a, between, b) = pair_keys(t);
                words.may_pair(a, between, b)
            })
            .collect();
        assert!(passed.len() <= 1, "{passed:?}");
    }

    #[test]
    fn first_word_agrees_with_a_char_by_char_scan() {
        let texts = [
            "",
            "a",
            "U.S.",
            "cease-fire",
            "Élysée Palace",
            "abcé",
            "abc’s",
            "北京 x",
            "a1_b",
            "ab\u{a0}c",
            "xyzΣ9 z",
            "9",
            " ",
            "é",
        ];
        for text in texts {
            let slow = text
                .find(|c: char| !c.is_alphanumeric())
                .map_or(text, |end| &text[..end]);
            assert_eq!(first_word(text), slow, "{text:?}");
        }
    }

    #[test]
    fn first_words() {
        let cases = [
            ("U.S.", "U"),
            ("cease-fire", "cease"),
            ("No 10", "No"),
            ("Élysée Palace", "Élysée"),
            ("truce", "truce"),
        ];
        for (text, expected) in cases {
            assert_eq!(first_word(text), expected);
        }
    }
}
