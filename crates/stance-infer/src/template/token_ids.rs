//! Token string → id, for the fast path's token dictionary.
//!
//! Most tokens are short, so a token of at most 16 bytes is looked up as an integer key (its
//! bytes, zero-padded): hashing is one multiplication and equality one comparison, where a
//! string key costs a byte-wise hash and a `memcmp`. Padding keeps keys distinct because no
//! token holds a zero byte (the table refuses one); longer tokens use a string map.

use std::hash::{BuildHasherDefault, Hasher};

use rustc_hash::FxHashMap;

/// A hasher for integer keys whose low and high bits both depend on every input bit (hash
/// tables index with the low bits and tag with the high ones).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct MixHasher(u64);

impl Hasher for MixHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(b));
        }
    }

    #[inline]
    fn write_u64(&mut self, x: u64) {
        let mut h = (self.0 ^ x).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        h ^= h >> 32;
        h = h.wrapping_mul(0xd6e8_feb8_6659_fd93);
        h ^= h >> 32;
        self.0 = h;
    }

    #[inline]
    fn write_u128(&mut self, x: u128) {
        self.write_u64(x as u64);
        self.write_u64((x >> 64) as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map with integer keys, hashed by [`MixHasher`].
pub(crate) type IntMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<MixHasher>>;

/// Token → a value of type `V` (the fast path's token entry).
#[derive(Clone, Debug)]
pub(crate) struct TokenMap<V> {
    short: IntMap<u64, V>,
    medium: IntMap<u128, V>,
    long: FxHashMap<Box<str>, V>,
}

impl<V> Default for TokenMap<V> {
    fn default() -> Self {
        TokenMap {
            short: IntMap::default(),
            medium: IntMap::default(),
            long: FxHashMap::default(),
        }
    }
}

impl<V> TokenMap<V> {
    /// The number of tokens.
    pub(crate) fn len(&self) -> usize {
        self.short.len() + self.medium.len() + self.long.len()
    }

    /// The value of `token`, made by `new` when the token is new; `None` for a token with a
    /// zero byte.
    pub(crate) fn entry(&mut self, token: &str, new: impl FnOnce() -> V) -> Option<&mut V> {
        if token.as_bytes().contains(&0) {
            return None;
        }
        Some(match Key::of(token) {
            Key::Short(k) => self.short.entry(k).or_insert_with(new),
            Key::Medium(k) => self.medium.entry(k).or_insert_with(new),
            Key::Long => self.long.entry(token.into()).or_insert_with(new),
        })
    }

    /// The value of `token`.
    #[inline]
    pub(crate) fn get(&self, token: &str) -> Option<&V> {
        match Key::of(token) {
            Key::Short(k) => self.short.get(&k),
            Key::Medium(k) => self.medium.get(&k),
            Key::Long => self.long.get(token),
        }
    }

    /// Every value, in no particular order.
    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.short
            .values_mut()
            .chain(self.medium.values_mut())
            .chain(self.long.values_mut())
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
        let b = token.as_bytes();
        match b.len() {
            0..=8 => Key::Short(load(b)),
            9..=16 => Key::Medium(u128::from(load(&b[..8])) | (u128::from(load(&b[8..])) << 64)),
            _ => Key::Long,
        }
    }
}

/// Up to 8 bytes as a little-endian integer, zero-padded, without a call to `memcpy`.
#[inline]
fn load(b: &[u8]) -> u64 {
    let n = b.len();
    let word = |i: usize, w: usize| -> u64 {
        let mut v = 0u64;
        for k in 0..w {
            v |= u64::from(b[i + k]) << (8 * k);
        }
        v
    };
    if n >= 8 {
        u64::from_le_bytes(b[..8].try_into().expect("8 bytes"))
    } else if n >= 4 {
        // Two overlapping 4-byte reads: the second's top bytes are bytes 4.. of the token.
        let lo = u64::from(u32::from_le_bytes(b[..4].try_into().expect("4 bytes")));
        let hi = u64::from(u32::from_le_bytes(b[n - 4..].try_into().expect("4 bytes")));
        lo | ((hi >> (8 * (8 - n))) << 32)
    } else {
        word(0, n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_the_zero_padded_bytes() {
        for token in [
            "", "a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh",
        ] {
            let mut b = [0u8; 8];
            b[..token.len()].copy_from_slice(token.as_bytes());
            assert_eq!(load(token.as_bytes()), u64::from_le_bytes(b), "{token}");
        }
    }

    #[test]
    fn values_are_found_by_token() {
        let mut t: TokenMap<usize> = TokenMap::default();
        let tokens = [
            "a",
            "truce",
            "ceasefire",
            "ceasefires",
            "internationalisation",
            "негоциации",
            "truce",
            "ab",
            "abcdefgh",
            "abcdefghabcdefgh",
            "ceasefire",
            "internationalisation",
        ];
        let mut ids = Vec::new();
        for token in tokens {
            let next = t.len();
            ids.push(*t.entry(token, || next).unwrap());
        }
        assert_eq!(ids, [0, 1, 2, 3, 4, 5, 1, 6, 7, 8, 2, 4]);
        assert_eq!(t.len(), 9);
        for (token, id) in tokens.iter().zip(&ids) {
            assert_eq!(t.get(token), Some(id), "{token}");
        }
        for unknown in [
            "",
            "b",
            "truc",
            "trucee",
            "ceasefire ",
            "internationalisatio",
            "abcdefg",
            "abcdefghabcdefg",
        ] {
            assert_eq!(t.get(unknown), None, "{unknown:?}");
        }
        assert!(t.entry("a\0", || 0).is_none());
    }
}
