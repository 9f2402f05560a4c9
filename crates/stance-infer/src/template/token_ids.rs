//! Token string → id, for the fast path's token dictionary, and the integer-keyed table behind it.
//!
//! Most tokens are short, so a token of at most 16 bytes is looked up as an integer key (its
//! bytes, zero-padded): hashing is one multiplication and equality one comparison, where a
//! string key costs a byte-wise hash and a `memcmp`. Padding keeps keys distinct because no
//! token holds a zero byte (the table refuses one); longer tokens use a string map.
//!
//! The integer keys go into a [`FlatMap`]: open addressing with linear probing in one array of
//! (key, value) slots at most three quarters full, so a look-up is a multiplication and a short
//! run of adjacent slots, mostly in one cache line. The tables are built once, at load time, and
//! then only read; the fill trades probe length against size (a fuller table keeps more of
//! itself in cache, and scoring misses the cache on nearly every rare word).

use rustc_hash::FxHashMap;

/// A key of a [`FlatMap`]: an integer whose zero value is never a key (it marks empty slots).
pub(crate) trait FlatKey: Copy + Eq {
    /// The value no key takes.
    const EMPTY: Self;
    /// A hash whose top bits depend on every bit of the key.
    fn hash(self) -> u64;
}

impl FlatKey for u64 {
    const EMPTY: u64 = 0;
    #[inline]
    fn hash(self) -> u64 {
        self.wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }
}

impl FlatKey for u128 {
    const EMPTY: u128 = 0;
    #[inline]
    fn hash(self) -> u64 {
        let (lo, hi) = (self as u64, (self >> 64) as u64);
        lo.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ hi.wrapping_mul(0xd6e8_feb8_6659_fd93)
    }
}

/// An open-addressing map from nonzero integer keys to values (see the module documentation).
#[derive(Clone, Debug)]
pub(crate) struct FlatMap<K, V> {
    slots: Vec<(K, V)>,
    /// 64 minus log2 of the slot count: a hash's top bits pick the first slot.
    shift: u32,
    len: usize,
}

impl<K: FlatKey, V: Copy + Default> Default for FlatMap<K, V> {
    fn default() -> Self {
        FlatMap::with_slots(8)
    }
}

impl<K: FlatKey, V: Copy + Default> FlatMap<K, V> {
    fn with_slots(slots: usize) -> Self {
        debug_assert!(slots.is_power_of_two() && slots >= 2);
        FlatMap {
            slots: vec![(K::EMPTY, V::default()); slots],
            shift: 64 - slots.trailing_zeros(),
            len: 0,
        }
    }

    /// The number of keys.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The slot holding `key`, or the empty slot where it would go.
    #[inline(always)]
    fn slot(&self, key: K) -> usize {
        let mask = self.slots.len() - 1;
        // Masked (a no-op: the shift leaves fewer bits), so that no index needs a bounds check.
        let mut i = (key.hash() >> self.shift) as usize & mask;
        loop {
            let k = self.slots[i].0;
            if k == key || k == K::EMPTY {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /// The value of `key`: the probe stops at an empty slot before it compares keys, so the
    /// zero key is never found with no test of its own.
    #[inline(always)]
    pub(crate) fn get(&self, key: K) -> Option<&V> {
        let mask = self.slots.len() - 1;
        let mut i = (key.hash() >> self.shift) as usize & mask;
        loop {
            let (k, v) = &self.slots[i];
            if *k == K::EMPTY {
                return None;
            }
            if *k == key {
                return Some(v);
            }
            i = (i + 1) & mask;
        }
    }

    /// The value of `key`, or the default value when it is absent. An empty slot holds the
    /// default value, so the probe hands back the value of the slot it stops at, whether it
    /// stopped on the key or on an empty slot: one branch per slot, taken only past a slot of
    /// another key, where [`FlatMap::get`] has a second that tells a hit from a miss (as
    /// unpredictable as the text's words).
    #[inline(always)]
    pub(crate) fn get_or_default(&self, key: K) -> V {
        let mask = self.slots.len() - 1;
        let mut i = (key.hash() >> self.shift) as usize & mask;
        loop {
            let (k, v) = self.slots[i];
            if k == key || k == K::EMPTY {
                return v;
            }
            i = (i + 1) & mask;
        }
    }

    /// The value of `key`, made by `new` when the key is new. Panics on the zero key.
    pub(crate) fn entry(&mut self, key: K, new: impl FnOnce() -> V) -> &mut V {
        assert!(key != K::EMPTY, "the zero key marks empty slots");
        let mut i = self.slot(key);
        if self.slots[i].0 != key {
            if 4 * (self.len + 1) > 3 * self.slots.len() {
                self.grow();
                i = self.slot(key);
            }
            self.slots[i] = (key, new());
            self.len += 1;
        }
        &mut self.slots[i].1
    }

    /// Inserts `key` (nonzero) with `value`, replacing any value it had.
    pub(crate) fn insert(&mut self, key: K, value: V) {
        *self.entry(key, || value) = value;
    }

    /// An empty map with at least `per_key` slots for each of `keys` keys (rounded up to a
    /// power of two), for a table built once and read often: a look-up of an absent key probes
    /// up to an empty slot, about `(1 + 1 / (1 - fill)^2) / 2` slots under linear probing, so
    /// a sparser table answers misses sooner. Sized up front, it is not rehashed as it fills.
    pub(crate) fn sparse(keys: usize, per_key: usize) -> Self {
        FlatMap::with_slots((keys * per_key).next_power_of_two().max(8))
    }

    fn grow(&mut self) {
        let old = std::mem::replace(self, FlatMap::with_slots(self.slots.len() * 2));
        for (k, v) in old.slots {
            if k != K::EMPTY {
                let i = self.slot(k);
                self.slots[i] = (k, v);
            }
        }
        self.len = old.len;
    }

    /// Every value, in no particular order.
    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.slots
            .iter_mut()
            .filter(|(k, _)| *k != K::EMPTY)
            .map(|(_, v)| v)
    }
}

/// Token → a value of type `V` (the fast path's token entry).
#[derive(Clone, Debug)]
pub(crate) struct TokenMap<V> {
    short: FlatMap<u64, V>,
    medium: FlatMap<u128, V>,
    long: FxHashMap<Box<str>, V>,
}

impl<V: Copy + Default> Default for TokenMap<V> {
    fn default() -> Self {
        TokenMap {
            short: FlatMap::default(),
            medium: FlatMap::default(),
            long: FxHashMap::default(),
        }
    }
}

impl<V: Copy + Default> TokenMap<V> {
    /// The number of tokens.
    pub(crate) fn len(&self) -> usize {
        self.short.len() + self.medium.len() + self.long.len()
    }

    /// The value of `token`, made by `new` when the token is new; `None` for a token with a
    /// zero byte or an empty token.
    pub(crate) fn entry(&mut self, token: &str, new: impl FnOnce() -> V) -> Option<&mut V> {
        if token.is_empty() || token.as_bytes().contains(&0) {
            return None;
        }
        Some(match Key::of(token) {
            Key::Short(k) => self.short.entry(k, new),
            Key::Medium(k) => self.medium.entry(k, new),
            Key::Long => self.long.entry(token.into()).or_insert_with(new),
        })
    }

    /// The value of `token`: inlined (it is called per token), but for the rare long token.
    #[inline(always)]
    pub(crate) fn get(&self, token: &str) -> Option<&V> {
        match Key::of(token) {
            Key::Short(k) => self.short.get(k),
            Key::Medium(k) => self.medium.get(k),
            Key::Long => self.get_long(token),
        }
    }

    /// The value of a token longer than 16 bytes.
    #[inline(never)]
    fn get_long(&self, token: &str) -> Option<&V> {
        self.long.get(token)
    }

    /// The value of the token `text[start..end]`, ASCII text, lowercased first when `lower`:
    /// the key is read straight from the text and lowercased eight bytes at a time, so the
    /// caller needs no lowercased copy. Only a token longer than 16 bytes is copied. (The
    /// scoring loops take [`WordKeys::get_or_default`]; this is the tests' reference for it.)
    #[cfg(test)]
    pub(crate) fn get_ascii(
        &self,
        text: &[u8],
        start: usize,
        end: usize,
        lower: bool,
    ) -> Option<&V> {
        debug_assert!(text[start..end].is_ascii());
        match Key::in_ascii_text(text, start, end, lower) {
            Key::Short(k) => self.short.get(k),
            Key::Medium(k) => self.medium.get(k),
            Key::Long => self.get_long_ascii(&text[start..end], lower),
        }
    }

    /// The value of an ASCII token longer than 16 bytes, lowercased first when `lower`. Apart
    /// (and given the token, not a closure that borrows the caller's locals), so that the
    /// caller's token loop keeps its values in registers.
    #[cold]
    #[inline(never)]
    fn get_long_ascii(&self, token: &[u8], lower: bool) -> Option<&V> {
        let owned;
        let token = if lower && token.iter().any(u8::is_ascii_uppercase) {
            owned = token.to_ascii_lowercase();
            &owned[..]
        } else {
            token
        };
        self.long
            .get(std::str::from_utf8(token).expect("ASCII is UTF-8"))
    }

    /// [`TokenMap::get_ascii`]'s value, or the default value when the token is absent, with no
    /// branch between the two (see [`FlatMap::get_or_default`]). (A tests' reference.)
    #[cfg(test)]
    pub(crate) fn get_ascii_or_default(
        &self,
        text: &[u8],
        start: usize,
        end: usize,
        lower: bool,
    ) -> V {
        debug_assert!(text[start..end].is_ascii());
        match Key::in_ascii_text(text, start, end, lower) {
            Key::Short(k) => self.short.get_or_default(k),
            Key::Medium(k) => self.medium.get_or_default(k),
            Key::Long => self
                .get_long_ascii(&text[start..end], lower)
                .copied()
                .unwrap_or_default(),
        }
    }

    /// The value of the token `text[start..end]`, as [`TokenMap::get`] finds it, with its key
    /// read straight from the text (a key is a token's bytes, whatever they are).
    #[inline(always)]
    pub(crate) fn get_in(&self, text: &str, start: usize, end: usize) -> Option<&V> {
        match Key::in_text(text.as_bytes(), start, end, |w| w) {
            Key::Short(k) => self.short.get(k),
            Key::Medium(k) => self.medium.get(k),
            Key::Long => self.get_long(&text[start..end]),
        }
    }

    /// Rebuilds the tables of short and medium tokens with at least `per_key` slots per token
    /// (see [`FlatMap::sparse`]), for a dictionary built once and read often.
    pub(crate) fn respace(&mut self, per_key: usize) {
        fn respaced<K: FlatKey, V: Copy + Default>(
            map: &FlatMap<K, V>,
            per_key: usize,
        ) -> FlatMap<K, V> {
            let mut sparse = FlatMap::sparse(map.len(), per_key);
            for &(k, v) in &map.slots {
                if k != K::EMPTY {
                    sparse.insert(k, v);
                }
            }
            sparse
        }
        self.short = respaced(&self.short, per_key);
        self.medium = respaced(&self.medium, per_key);
    }

    /// Every value, in no particular order.
    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.short
            .values_mut()
            .chain(self.medium.values_mut())
            .chain(self.long.values_mut())
    }
}

/// The tokens of a [`TokenMap`] made only of ASCII word bytes (`[0-9A-Za-z_]`), for the tokens
/// of a text read in place, which are all such: keyed as the token map keys them, each byte
/// first or-ed with `fold`. With `fold` 0x20 in every byte, that lowercases a letter, leaves a
/// digit as it is and makes `_` 0x7f, a byte no other word byte becomes: so a text token's
/// key is lowercased with one `or` (where [`TokenMap::get_ascii_or_default`] spends a handful
/// of instructions on the letters alone), and only tokens with a capital are left out, which
/// no lowercased token equals. With `fold` 0, keys are the bytes. Tokens longer than 16 bytes
/// are looked up in the token map.
#[derive(Clone, Debug)]
pub(crate) struct WordKeys<V> {
    short: FlatMap<u64, V>,
    medium: FlatMap<u128, V>,
    fold: u64,
}

/// The low `n` bytes of a word set, for `n` up to 8.
const BYTE_MASKS: [u64; 9] = {
    let mut masks = [u64::MAX; 9];
    let mut n = 0;
    while n < 8 {
        masks[n] = (1u64 << (8 * n)) - 1;
        n += 1;
    }
    masks
};

impl<V: Copy + Default> Default for WordKeys<V> {
    fn default() -> Self {
        WordKeys {
            short: FlatMap::default(),
            medium: FlatMap::default(),
            fold: 0,
        }
    }
}

impl<V: Copy + Default> WordKeys<V> {
    /// The word-byte tokens of `tokens` (see the type's documentation), lowercased as they are
    /// looked up when `lower`, in tables of at least `per_key` slots per token.
    pub(crate) fn new(tokens: &TokenMap<V>, lower: bool, per_key: usize) -> WordKeys<V> {
        let fold = if lower { 0x2020_2020_2020_2020 } else { 0 };
        let admitted = |w: u64| {
            w.to_le_bytes().iter().all(|&b| {
                b == 0
                    || b == b'_'
                    || b.is_ascii_digit()
                    || b.is_ascii_lowercase()
                    || (!lower && b.is_ascii_uppercase())
            })
        };
        // Or-ed with `fold` in its bytes only: a key's bytes are its nonzero ones.
        let folded = |w: u64| {
            let len = 8 - (w.leading_zeros() / 8) as usize;
            (w | fold) & BYTE_MASKS[len]
        };
        let short: Vec<(u64, V)> = tokens
            .short
            .slots
            .iter()
            .filter(|&&(k, _)| k != 0 && admitted(k))
            .map(|&(k, v)| (folded(k), v))
            .collect();
        let medium: Vec<(u128, V)> = tokens
            .medium
            .slots
            .iter()
            .filter(|&&(k, _)| k != 0 && admitted(k as u64) && admitted((k >> 64) as u64))
            .map(|&(k, v)| {
                // The low eight bytes of a medium token are all there.
                let (lo, hi) = ((k as u64) | fold, folded((k >> 64) as u64));
                (u128::from(lo) | (u128::from(hi) << 64), v)
            })
            .collect();
        let mut keys = WordKeys {
            short: FlatMap::sparse(short.len(), per_key),
            medium: FlatMap::sparse(medium.len(), per_key),
            fold,
        };
        for (k, v) in short {
            keys.short.insert(k, v);
        }
        for (k, v) in medium {
            keys.medium.insert(k, v);
        }
        keys
    }

    /// The value of the token `text[start..end]`, a run of ASCII word bytes, or the default
    /// value when it is absent: the same as `tokens.get_ascii_or_default(text, start, end,
    /// lower)` for the `tokens` and `lower` the keys were made with.
    #[inline(always)]
    pub(crate) fn get_or_default(
        &self,
        tokens: &TokenMap<V>,
        text: &[u8],
        start: usize,
        end: usize,
    ) -> V {
        let len = end - start;
        if len <= 8 {
            let w = word_at(text, start, end);
            self.short.get_or_default((w | self.fold) & BYTE_MASKS[len])
        } else if len <= 16 {
            let lo = word_at(text, start, start + 8) | self.fold;
            let hi = (word_at(text, start + 8, end) | self.fold) & BYTE_MASKS[len - 8];
            self.medium
                .get_or_default(u128::from(lo) | (u128::from(hi) << 64))
        } else {
            tokens
                .get_long_ascii(&text[start..end], self.fold != 0)
                .copied()
                .unwrap_or_default()
        }
    }
}

/// Eight bytes of `text` from `start`, the bytes from `end` on unspecified (to be masked off),
/// for `end - start` up to 8: one 8-byte read where the text has eight bytes there.
#[inline(always)]
fn word_at(text: &[u8], start: usize, end: usize) -> u64 {
    match text.get(start..).and_then(<[u8]>::first_chunk::<8>) {
        Some(&eight) => u64::from_le_bytes(eight),
        None => load(&text[start..end]),
    }
}

enum Key {
    Short(u64),
    Medium(u128),
    Long,
}

impl Key {
    /// The key of the token `bytes[start..end]`, read straight from the text, each eight
    /// bytes passed through `fold` (`Long` for a token of more than 16 bytes, looked up by
    /// name).
    #[inline(always)]
    fn in_text(bytes: &[u8], start: usize, end: usize, fold: impl Fn(u64) -> u64) -> Key {
        match end - start {
            n @ 0..=8 => Key::Short(fold(load_at(bytes, start, n))),
            n @ 9..=16 => {
                let lo = fold(load_at(bytes, start, 8));
                let hi = fold(load_at(bytes, start + 8, n - 8));
                Key::Medium(u128::from(lo) | (u128::from(hi) << 64))
            }
            _ => Key::Long,
        }
    }

    /// [`Key::in_text`] of an ASCII token, lowercased first when `lower` (the tests' reference
    /// for [`WordKeys`]).
    #[cfg(test)]
    fn in_ascii_text(bytes: &[u8], start: usize, end: usize, lower: bool) -> Key {
        Key::in_text(bytes, start, end, |w| {
            if lower { ascii_lowercase(w) } else { w }
        })
    }

    #[inline(always)]
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

/// The `n` (at most 8) bytes of `text` at `start` as [`load`] reads them, in one 8-byte read
/// where the text has eight bytes there.
#[inline]
fn load_at(text: &[u8], start: usize, n: usize) -> u64 {
    // `start` is at most the length, so this asks for no overflow check on `start + 8`.
    match text.get(start..).and_then(<[u8]>::first_chunk::<8>) {
        Some(&eight) => {
            let w = u64::from_le_bytes(eight);
            if n >= 8 {
                w
            } else {
                w & ((1u64 << (8 * n)) - 1)
            }
        }
        None => load(&text[start..start + n]),
    }
}

/// ASCII capitals of a word of ASCII bytes made lower case (adding `0x80 - lo` to a byte below
/// 0x80 sets its high bit iff the byte is at least `lo`, and carries into no other byte).
#[cfg(test)]
fn ascii_lowercase(w: u64) -> u64 {
    const fn splat(b: u8) -> u64 {
        u64::from_ne_bytes([b; 8])
    }
    let upper = w.wrapping_add(splat(0x80 - b'A')) & !w.wrapping_add(splat(0x80 - b'Z' - 1));
    w | ((upper & splat(0x80)) >> 2)
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
    fn keys_read_in_place_are_the_keys() {
        let text: Vec<u8> = (1..=40u8).map(|b| b.wrapping_mul(37) | 1).collect();
        for start in 0..=text.len() {
            for n in 0..=8.min(text.len() - start) {
                assert_eq!(
                    load_at(&text, start, n),
                    load(&text[start..start + n]),
                    "{start} {n}"
                );
            }
        }
    }

    #[test]
    fn flat_map_agrees_with_a_hash_map_through_growth() {
        let mut flat: FlatMap<u64, u32> = FlatMap::default();
        let mut reference = std::collections::HashMap::new();
        // Keys that share their low bits or their high bits, and a pseudo-random walk.
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        let mut keys: Vec<u64> = (1..=300).map(|i| i << 40).collect();
        keys.extend(1..=300);
        keys.extend((0..3000).map(|_| crate::testing::xorshift(&mut x) % 5000 + 1));
        for (n, &k) in keys.iter().enumerate() {
            let v = *flat.entry(k, || n as u32);
            assert_eq!(v, *reference.entry(k).or_insert(n as u32), "key {k}");
        }
        assert_eq!(flat.len(), reference.len());
        for probe in (0..6000).chain(keys.iter().map(|k| k ^ 1)) {
            assert_eq!(flat.get(probe), reference.get(&probe), "key {probe}");
            let value = reference.get(&probe).copied().unwrap_or_default();
            assert_eq!(flat.get_or_default(probe), value, "key {probe}");
        }
        flat.insert(7, 99);
        assert_eq!(flat.get(7), Some(&99));
        let mut values: Vec<u32> = flat.values_mut().map(|v| *v).collect();
        values.sort_unstable();
        assert_eq!(values.len(), flat.len());
    }

    #[test]
    fn sparse_maps_find_their_keys_without_growing() {
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        for keys in [0usize, 1, 2, 5, 100, 1000, 5000] {
            let mut flat: FlatMap<u64, u32> = FlatMap::sparse(keys, 4);
            let slots = flat.slots.len();
            assert!(
                slots >= 4 * keys && slots.is_power_of_two(),
                "{keys}: {slots}"
            );
            // Packed bigram keys: two ids of 13 bits, plus one.
            let mut reference = std::collections::HashMap::new();
            while reference.len() < keys {
                let a = crate::testing::xorshift(&mut x) % 8000 + 1;
                let b = crate::testing::xorshift(&mut x) % 8000 + 1;
                let key = (a << 13) | b;
                let value = reference.len() as u32;
                reference.entry(key).or_insert_with(|| {
                    flat.insert(key, value);
                    value
                });
            }
            assert_eq!(flat.slots.len(), slots, "{keys}: grown");
            assert_eq!(flat.len(), keys);
            for probe in (0..20_000u64).chain(reference.keys().copied()) {
                assert_eq!(
                    flat.get(probe),
                    reference.get(&probe),
                    "{keys}: key {probe}"
                );
                assert_eq!(
                    flat.get_or_default(probe),
                    reference.get(&probe).copied().unwrap_or_default(),
                    "{keys}: key {probe}"
                );
            }
        }
    }

    #[test]
    fn flat_map_wide_keys_differ_in_either_half() {
        let mut flat: FlatMap<u128, usize> = FlatMap::default();
        let keys: Vec<u128> = (1..200u128)
            .flat_map(|i| [i, i << 64, (i << 64) | i])
            .collect();
        for (n, &k) in keys.iter().enumerate() {
            flat.insert(k, n);
        }
        for (n, &k) in keys.iter().enumerate() {
            assert_eq!(flat.get(k), Some(&n));
        }
        assert_eq!(flat.get(0), None);
        assert_eq!(flat.get(1 << 100), None);
    }

    #[test]
    #[should_panic(expected = "the zero key")]
    fn flat_map_refuses_the_zero_key() {
        FlatMap::<u64, u32>::default().insert(0, 1);
    }

    #[test]
    fn ascii_lowercase_folds_only_capitals() {
        let all: Vec<u8> = (0u8..0x80).collect();
        for chunk in all.chunks(8) {
            let w = u64::from_le_bytes(chunk.try_into().unwrap());
            let expected = u64::from_le_bytes(chunk.to_ascii_lowercase().try_into().unwrap());
            assert_eq!(ascii_lowercase(w), expected, "{chunk:?}");
        }
    }

    #[test]
    fn ascii_tokens_are_found_in_place_and_lowercased() {
        let mut t: TokenMap<usize> = TokenMap::default();
        let vocabulary = [
            "a",
            "kyiv",
            "ceasefire",
            "ceasefires",
            "internationalisation",
            "abcdefgh",
            "abcdefghabcdefgh",
            "x_1",
        ];
        for (i, token) in vocabulary.iter().enumerate() {
            t.entry(token, || i);
        }
        let text =
            b"A KYIV Ceasefire ceasefireS INTERNATIONALISATION abcdefgh ABCDEFGHabcdefgh X_1 kyivx";
        let mut found = Vec::new();
        let mut start = 0;
        for word in text.split(|&b| b == b' ') {
            let end = start + word.len();
            found.push(t.get_ascii(text, start, end, true).copied());
            assert_eq!(
                t.get_ascii_or_default(text, start, end, true),
                found.last().unwrap().unwrap_or_default()
            );
            assert_eq!(
                t.get_ascii_or_default(text, start, end, false),
                t.get_ascii(text, start, end, false)
                    .copied()
                    .unwrap_or_default()
            );
            assert_eq!(
                t.get_ascii(text, start, end, false).is_some(),
                word == b"abcdefgh"
            );
            start = end + 1;
        }
        let expected: Vec<Option<usize>> = (0..8).map(Some).chain([None]).collect();
        assert_eq!(found, expected);
    }

    /// Word keys find what the token map finds for every run of ASCII word bytes, lowercased
    /// or not, with a dictionary of tokens with and without capitals, underscores, digits, the
    /// byte 0x7f (what `_` folds to) and non-ASCII bytes, of every key length, looked up at
    /// every position of a text (near its end too, where fewer than eight bytes are left).
    #[test]
    fn word_keys_find_what_the_token_map_finds() {
        const BYTES: &[u8] = b"aAbBzZ09_\x7f";
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        let mut random_token = |max: u64| -> String {
            let len = 1 + (crate::testing::xorshift(&mut x) % max) as usize;
            (0..len)
                .map(|_| {
                    let r = crate::testing::xorshift(&mut x) as usize;
                    match r % 40 {
                        0 => 'é',
                        1 => '\u{7f}',
                        _ => char::from(BYTES[(r >> 8) % (BYTES.len() - 1)]),
                    }
                })
                .collect()
        };
        let mut t: TokenMap<u32> = TokenMap::default();
        let mut text = String::new();
        for i in 0..4000 {
            let token = random_token(20);
            if i % 2 == 0 {
                let next = t.len() as u32 + 1;
                t.entry(&token, || next);
            }
            // The text holds tokens of the dictionary and others, and their case variants.
            let word = match i % 3 {
                0 => token.to_ascii_uppercase(),
                1 => token.to_ascii_lowercase(),
                _ => random_token(20),
            };
            text.push_str(&word);
            text.push(' ');
        }
        t.respace(8);
        let bytes = text.as_bytes();
        let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        let mut found = 0;
        for lower in [false, true] {
            let keys = WordKeys::new(&t, lower, 8);
            for start in 0..bytes.len() {
                let run = bytes[start..].iter().take_while(|&&b| is_word(b)).count();
                for end in start + 1..=start + run.min(24) {
                    let want = t.get_ascii(bytes, start, end, lower).copied();
                    let got = keys.get_or_default(&t, bytes, start, end);
                    assert_eq!(got, want.unwrap_or_default(), "{:?}", &text[start..end]);
                    found += usize::from(want.is_some());
                }
            }
        }
        assert!(found > 1000, "{found} tokens found");
    }

    #[test]
    fn respaced_maps_keep_every_token() {
        let mut t: TokenMap<u32> = TokenMap::default();
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        // Tokens of every key length: short, medium and long.
        let tokens: Vec<String> = (0..3000)
            .map(|i| {
                let len = 1 + (crate::testing::xorshift(&mut x) % 24) as usize;
                (0..len)
                    .map(|k| char::from(b'a' + ((i * 7 + k * 3) % 26) as u8))
                    .collect::<String>()
                    + &i.to_string()
            })
            .collect();
        for (i, token) in tokens.iter().enumerate() {
            t.entry(token, || i as u32 + 1);
        }
        let before: Vec<Option<u32>> = tokens.iter().map(|k| t.get(k).copied()).collect();
        t.respace(4);
        assert!(t.short.slots.len() >= 4 * t.short.len());
        assert!(t.medium.slots.len() >= 4 * t.medium.len());
        for (token, was) in tokens.iter().zip(before) {
            assert_eq!(t.get(token).copied(), was, "{token}");
            assert!(was.is_some());
            let b = token.as_bytes();
            assert_eq!(t.get_ascii_or_default(b, 0, b.len(), false), was.unwrap());
            let absent = format!("{token}_");
            let b = absent.as_bytes();
            assert_eq!(t.get(&absent), None, "{absent}");
            assert_eq!(t.get_ascii_or_default(b, 0, b.len(), false), 0, "{absent}");
        }
        assert_eq!(t.len(), tokens.len());
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
