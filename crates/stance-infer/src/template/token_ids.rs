//! Token string → id, for the fast path's token dictionary.
//!
//! Most tokens are short, so a token of at most 16 bytes is looked up as an integer key (its
//! bytes, zero-padded): hashing is one multiplication and equality one comparison, where a
//! string key costs a byte-wise hash and a `memcmp`. Padding keeps keys distinct because no
//! token holds a zero byte (the table refuses one); longer tokens use a string map.

use rustc_hash::FxHashMap;

/// Token → id.
#[derive(Clone, Debug, Default)]
pub(crate) struct TokenIds {
    short: FxHashMap<u64, u32>,
    medium: FxHashMap<u128, u32>,
    long: FxHashMap<Box<str>, u32>,
    len: u32,
}

impl TokenIds {
    /// The number of tokens.
    pub(crate) fn len(&self) -> usize {
        self.len as usize
    }

    /// The id of `token`, given the next id when it is new; `None` for a token with a zero byte.
    pub(crate) fn insert(&mut self, token: &str) -> Option<u32> {
        if token.as_bytes().contains(&0) {
            return None;
        }
        let next = self.len;
        let id = match Key::of(token) {
            Key::Short(k) => *self.short.entry(k).or_insert(next),
            Key::Medium(k) => *self.medium.entry(k).or_insert(next),
            Key::Long => *self.long.entry(token.into()).or_insert(next),
        };
        if id == next {
            self.len += 1;
        }
        Some(id)
    }

    /// The id of `token`.
    #[inline]
    pub(crate) fn get(&self, token: &str) -> Option<u32> {
        match Key::of(token) {
            Key::Short(k) => self.short.get(&k),
            Key::Medium(k) => self.medium.get(&k),
            Key::Long => self.long.get(token),
        }
        .copied()
    }
}

enum Key {
    Short(u64),
    Medium(u128),
    Long,
}

impl Key {
    #[inline]
    fn of(token: &str) -> Key {
        let bytes = token.as_bytes();
        if bytes.len() <= 8 {
            let mut b = [0u8; 8];
            b[..bytes.len()].copy_from_slice(bytes);
            Key::Short(u64::from_le_bytes(b))
        } else if bytes.len() <= 16 {
            let mut b = [0u8; 16];
            b[..bytes.len()].copy_from_slice(bytes);
            Key::Medium(u128::from_le_bytes(b))
        } else {
            Key::Long
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_dense_and_stable() {
        let mut t = TokenIds::default();
        let tokens = [
            "a",
            "truce",
            "ceasefire",
            "ceasefires",
            "internationalisation",
            "негоциации",
            "truce",
            "ab",
            "ceasefire",
            "internationalisation",
        ];
        let ids: Vec<u32> = tokens.iter().map(|t2| t.insert(t2).unwrap()).collect();
        assert_eq!(ids, [0, 1, 2, 3, 4, 5, 1, 6, 2, 4]);
        assert_eq!(t.len(), 7);
        for (token, id) in tokens.iter().zip(&ids) {
            assert_eq!(t.get(token), Some(*id), "{token}");
        }
        for unknown in [
            "",
            "b",
            "truc",
            "trucee",
            "ceasefire ",
            "internationalisatio",
        ] {
            assert_eq!(t.get(unknown), None, "{unknown:?}");
        }
        assert_eq!(t.insert("a\0"), None);
    }
}
