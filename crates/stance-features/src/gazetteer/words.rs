//! Words as the matcher sees them, and a bit filter over them.
//!
//! Every pattern starts at a word start, so a pattern can only match where the text's first
//! word (its maximal run of letters and digits) equals the pattern's first word, ignoring ASCII
//! case. A bitmap of hashed first words, small enough to stay in cache, rules out most words of
//! a text before the trie is walked; the walk, whose nodes are spread over megabytes for
//! a big gazetteer, runs only on words that might start a pattern.

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
    let raw = match text.get(start..start + 8) {
        Some(eight) => u64::from_le_bytes(eight.try_into().expect("eight bytes")),
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
    ((raw | 0x2020_2020_2020_2020) & mask)
        ^ (len as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29)
}

/// The first word of `text`: its leading run of letters and digits.
pub(super) fn first_word(text: &str) -> &str {
    let end = text
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(text.len());
    &text[..end]
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
        let n = words.clone().count().max(1);
        let log2 = (n * 8).next_power_of_two().trailing_zeros().clamp(12, 26);
        let mut filter = WordFilter {
            bits: vec![0; 1 << (log2 - 6)],
            shift: 64 - (log2 - 6),
        };
        for w in words {
            let (i, mask) = filter.slot(word_key(w));
            filter.bits[i] |= mask;
        }
        filter
    }

    /// The filter word of `key` and its two bits there.
    #[inline]
    fn slot(&self, key: u64) -> (usize, u64) {
        let h = key.wrapping_mul(0xD6E8_FEB8_6659_FD93);
        let g = h ^ (h >> 32);
        (
            (h >> self.shift) as usize,
            (1 << (g & 63)) | (1 << ((g >> 6) & 63)),
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
