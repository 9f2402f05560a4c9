//! A byte-string interner: one arena, one open-addressing table, no allocation per lookup.
//!
//! Each table entry carries the string's length and first eight bytes, so looking up a word of
//! up to eight bytes (most words) touches the table alone, never the arena. The table is kept at
//! most half full and probed linearly from the slot the hash picks, so a look-up of a word the
//! table holds (nearly every token of a corpus) is a hash, one load of a slot and a compare most
//! of the time: about a third of the instructions of a probe of a general-purpose table behind a
//! cache (and no second structure to miss in).

use rayon::prelude::*;
use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;

/// Sixteen bytes, so that four slots share a cache line.
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// See [`prefix`]: with `len`, the whole of a string of up to eight bytes.
    prefix: u64,
    /// The string's length, or [`EMPTY`] for a free slot.
    len: u32,
    id: u32,
}

/// The `len` of a free slot (no string interned here is 4 GiB long).
const EMPTY: u32 = u32::MAX;

const FREE: Entry = Entry {
    prefix: 0,
    len: EMPTY,
    id: 0,
};

/// Maps byte strings to dense ids `0..len` in order of first appearance.
#[derive(Clone, Debug)]
pub(crate) struct Interner {
    arena: Vec<u8>,
    /// (start, end) of each string in `arena`, by id.
    spans: Vec<(usize, usize)>,
    /// Open addressing with linear probing: a power of two of slots, at most half full after
    /// [`intern`](Self::intern) (see [`from_distinct`](Self::from_distinct) for the exception),
    /// so that every probe sequence ends at a free slot.
    slots: Vec<Entry>,
}

impl Default for Interner {
    /// An empty interner (its table is allocated on the first insert).
    fn default() -> Self {
        Interner {
            arena: Vec::new(),
            spans: Vec::new(),
            slots: Vec::new(),
        }
    }
}

/// A word that, together with the length, identifies a string of up to eight bytes (and
/// summarizes a longer one): its first eight bytes as a little-endian word, zero-padded. Read
/// without a call to `memcpy`: overlapping reads from both ends (the bytes one by one below
/// four, where the slice patterns need no bounds checks). [`prefix_in`] reads the same word
/// from the text around the string, without a branch on its length.
#[inline(always)]
fn prefix(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    let u32_at = |i: usize| {
        u64::from(u32::from_le_bytes(
            bytes[i..i + 4].try_into().expect("4 bytes"),
        ))
    };
    if n >= 8 {
        u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes"))
    } else if n >= 4 {
        // Bytes 4..n are the top n - 4 bytes of the word read at n - 4.
        u32_at(0) | ((u32_at(n - 4) >> (8 * (8 - n))) << 32)
    } else {
        match *bytes {
            [a] => u64::from(a),
            [a, b] => u64::from(a) | (u64::from(b) << 8),
            [a, b, c] => u64::from(a) | (u64::from(b) << 8) | (u64::from(c) << 16),
            _ => 0,
        }
    }
}

/// `LOW_BYTES[n]` keeps the low `n` bytes of a word.
const LOW_BYTES: [u64; 9] = {
    let mut masks = [u64::MAX; 9];
    let mut n = 0;
    while n < 8 {
        masks[n] = (1 << (8 * n)) - 1;
        n += 1;
    }
    masks
};

/// [`prefix`] of `text[start..end]`, a string of up to eight bytes, read as the eight bytes at
/// `start` with those past `end` masked off: one load, a mask and no branch on the length (a
/// word's length is data the branch predictor cannot learn: the branches of [`prefix`] cost
/// the counting loops about two thirds of a mispredicted branch per token). Near the end of
/// the text, where eight bytes are not there to read, [`prefix`] of the string itself.
#[inline(always)]
fn prefix_in(text: &[u8], start: usize, end: usize) -> u64 {
    let n = end - start;
    debug_assert!(n <= 8);
    match text.get(start..start + 8) {
        Some(eight) => u64::from_le_bytes(eight.try_into().expect("8 bytes")) & LOW_BYTES[n],
        None => prefix(&text[start..end]),
    }
}

/// The hash of a string of up to eight bytes from its [`prefix`] word and length (so a slot's
/// entry alone gives it when the table grows): a folded multiply.
#[inline(always)]
fn short_hash(prefix: u64, len: usize) -> u64 {
    let x = prefix ^ (len as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let m = u128::from(x) * 0x2d35_8dcc_aa6c_78a5;
    (m as u64) ^ ((m >> 64) as u64)
}

/// The hash of a string whose [`prefix`] word is `prefix`: [`short_hash`] for up to eight
/// bytes (most words), FxHash of the bytes for longer strings.
#[inline(always)]
fn hash(prefix: u64, bytes: &[u8]) -> u64 {
    if bytes.len() <= 8 {
        short_hash(prefix, bytes.len())
    } else {
        FxBuildHasher.hash_one(bytes)
    }
}

/// Slots for `n` strings: a power of two, at least twice `n` (and at least 16).
fn slots_for(n: usize) -> usize {
    (2 * n).next_power_of_two().max(16)
}

impl Interner {
    /// The number of distinct strings.
    pub(crate) fn len(&self) -> usize {
        self.spans.len()
    }

    /// Every string's bytes, one after another.
    pub(crate) fn arena(&self) -> &[u8] {
        &self.arena
    }

    /// The string with id `id`.
    #[inline]
    pub(crate) fn resolve(&self, id: u32) -> &[u8] {
        let (start, end) = self.spans[id as usize];
        &self.arena[start..end]
    }

    /// The slot holding `bytes` (`Ok`), or the free slot where it would go (`Err`); `Err`
    /// past the end when the table is not allocated yet.
    #[inline(always)]
    fn probe(&self, p: u64, h: u64, bytes: &[u8]) -> Result<usize, usize> {
        let len = bytes.len() as u32;
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = h as usize & mask;
        loop {
            let Some(e) = self.slots.get(i) else {
                return Err(i);
            };
            if e.prefix == p && e.len == len && (len <= 8 || self.resolve(e.id) == bytes) {
                return Ok(i);
            }
            if e.len == EMPTY {
                return Err(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// The id of `bytes`, if interned.
    #[inline]
    pub(crate) fn get(&self, bytes: &[u8]) -> Option<u32> {
        let p = prefix(bytes);
        match self.probe(p, hash(p, bytes), bytes) {
            Ok(i) => Some(self.slots[i].id),
            Err(_) => None,
        }
    }

    /// The hash of the string in slot entry `e`.
    fn entry_hash(&self, e: &Entry) -> u64 {
        if e.len <= 8 {
            short_hash(e.prefix, e.len as usize)
        } else {
            FxBuildHasher.hash_one(self.resolve(e.id))
        }
    }

    /// Puts `e`, of hash `h` and not in the table, in the first free slot of its sequence.
    #[inline]
    fn place(slots: &mut [Entry], h: u64, e: Entry) {
        let mask = slots.len() - 1;
        let mut i = h as usize & mask;
        while slots[i].len != EMPTY {
            i = (i + 1) & mask;
        }
        slots[i] = e;
    }

    /// An interner of distinct strings already laid out in `arena`: string `i` (id `i`) is
    /// `arena[spans[i].0..spans[i].1]`. The hashes are computed in parallel and the table is
    /// sized once, so nothing is copied or rehashed. It is up to three quarters full (not
    /// half: a vocabulary is only looked up, and fewer slots are fewer fresh pages to touch);
    /// a first [`intern`](Self::intern) of a new string would grow it.
    pub(crate) fn from_distinct(arena: Vec<u8>, spans: Vec<(usize, usize)>) -> Interner {
        let entries: Vec<(u64, Entry)> = spans
            .par_iter()
            .enumerate()
            .map(|(id, &(start, end))| {
                let bytes = &arena[start..end];
                let p = prefix(bytes);
                let entry = Entry {
                    prefix: p,
                    len: u32::try_from(bytes.len()).expect("a term shorter than 4 GiB"),
                    id: u32::try_from(id).expect("fewer than 2^32 distinct terms"),
                };
                (hash(p, bytes), entry)
            })
            .collect();
        let n = spans.len();
        let mut slots = vec![FREE; (n + n / 3 + 1).next_power_of_two().max(16)];
        for &(h, e) in &entries {
            Interner::place(&mut slots, h, e);
        }
        Interner {
            arena,
            spans,
            slots,
        }
    }

    /// Doubles the table (or allocates it). Strings of up to eight bytes are placed again from
    /// their slots alone, longer ones hashed again from the arena.
    #[cold]
    #[inline(never)]
    fn grow(&mut self) {
        let mut slots = vec![FREE; slots_for(self.len() + 1)];
        for e in self.slots.iter().filter(|e| e.len != EMPTY) {
            Interner::place(&mut slots, self.entry_hash(e), *e);
        }
        self.slots = slots;
    }

    /// Interns `bytes`, known to be new, whose free slot is `free` (if the table is not
    /// allocated yet or is to grow, it grows first and the slot is found again).
    #[cold]
    #[inline(never)]
    fn insert(&mut self, p: u64, h: u64, bytes: &[u8], mut free: usize) -> u32 {
        let id = u32::try_from(self.spans.len()).expect("fewer than 2^32 distinct terms");
        let len = u32::try_from(bytes.len()).expect("a term shorter than 4 GiB");
        assert!(len != EMPTY, "a term shorter than 4 GiB");
        if 2 * (self.len() + 1) > self.slots.len() {
            self.grow();
            free = self
                .probe(p, h, bytes)
                .expect_err("a new string is not in the table");
        }
        let start = self.arena.len();
        self.arena.extend_from_slice(bytes);
        self.spans.push((start, self.arena.len()));
        self.slots[free] = Entry { prefix: p, len, id };
        id
    }

    /// The id of `bytes`, interning it if new; the flag says whether it was new.
    ///
    /// Inlined, and kept small so that the token loops that call it inline it whole: a string
    /// of up to eight bytes that the table holds (most tokens) costs its [`prefix`] word, a
    /// multiply and (mostly) one probe, which compares the slot's two fields and never reads
    /// the arena. Longer strings and new ones go out of line.
    #[inline(always)]
    pub(crate) fn intern(&mut self, bytes: &[u8]) -> (u32, bool) {
        if bytes.len() > 8 {
            return self.intern_long(bytes);
        }
        self.intern_short(prefix(bytes), bytes)
    }

    /// [`intern`](Self::intern) of `text[start..end]`, whose [`prefix`] word is read from the
    /// text without a branch on the string's length ([`prefix_in`]): for the counting loops,
    /// which have their tokens as spans of the text they lie in.
    #[inline(always)]
    pub(crate) fn intern_in(&mut self, text: &[u8], start: usize, end: usize) -> (u32, bool) {
        let bytes = &text[start..end];
        if bytes.len() > 8 {
            return self.intern_long(bytes);
        }
        self.intern_short(prefix_in(text, start, end), bytes)
    }

    /// [`intern`](Self::intern) of `bytes`, of up to eight bytes, whose [`prefix`] word is `p`.
    #[inline(always)]
    fn intern_short(&mut self, p: u64, bytes: &[u8]) -> (u32, bool) {
        debug_assert!(bytes.len() <= 8 && p == prefix(bytes));
        let h = short_hash(p, bytes.len());
        let len = bytes.len() as u32;
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = h as usize & mask;
        while let Some(e) = self.slots.get(i) {
            if e.prefix == p && e.len == len {
                return (e.id, false);
            }
            if e.len == EMPTY {
                break;
            }
            i = (i + 1) & mask;
        }
        (self.insert(p, h, bytes, i), true)
    }

    /// [`intern`](Self::intern) of a string of more than eight bytes.
    #[inline(never)]
    fn intern_long(&mut self, bytes: &[u8]) -> (u32, bool) {
        let p = prefix(bytes);
        let h = hash(p, bytes);
        match self.probe(p, h, bytes) {
            Ok(i) => (self.slots[i].id, false),
            Err(free) => (self.insert(p, h, bytes, free), true),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_differing_in_any_byte_are_different() {
        let mut i = Interner::default();
        let mut seen = Vec::new();
        for len in 0..12 {
            let base = vec![b'a'; len];
            seen.push(base.clone());
            for k in 0..len {
                let mut v = base.clone();
                v[k] = b'b';
                seen.push(v);
            }
        }
        for (n, s) in seen.iter().enumerate() {
            assert_eq!(i.intern(s), (n as u32, true), "{s:?}");
        }
        for (n, s) in seen.iter().enumerate() {
            assert_eq!(i.get(s), Some(n as u32));
        }
    }

    /// Enough short strings to grow the table many times: every look-up still gives the
    /// string's own id.
    #[test]
    fn short_strings_through_many_growths() {
        let mut i = Interner::default();
        let words: Vec<String> = (0..20_000).map(|k| format!("w{k}")).collect();
        for round in 0..3 {
            for (k, w) in words.iter().enumerate() {
                assert_eq!(i.intern(w.as_bytes()), (k as u32, round == 0), "{w}");
            }
        }
        for (k, w) in words.iter().enumerate().rev() {
            assert_eq!(i.intern(w.as_bytes()), (k as u32, false));
            assert_eq!(i.get(w.as_bytes()), Some(k as u32));
        }
        assert_eq!(i.intern(b""), (20_000, true));
        assert_eq!(i.intern(b""), (20_000, false));
        assert_eq!(i.get(b"w20000"), None);
    }

    /// Byte strings over a small alphabet (NUL and a non-ASCII byte included), short and long,
    /// so that many share a length, a [`prefix`] word or a hash slot.
    fn strings() -> impl proptest::strategy::Strategy<Value = Vec<Vec<u8>>> {
        use proptest::prelude::*;
        let byte = prop::sample::select(vec![b'a', b'b', 0u8, 0xff]);
        prop::collection::vec(prop::collection::vec(byte, 0..20), 0..400)
    }

    proptest::proptest! {
        /// The interner against a `HashMap` of the strings seen: the same ids (dense, in order of
        /// first appearance), the same answers to look-ups of strings seen or not, the same
        /// strings back; and an interner built from the distinct strings agrees with it.
        #[test]
        fn agrees_with_a_hash_map(strings in strings(), probes in strings()) {
            let mut i = Interner::default();
            let mut want: std::collections::HashMap<Vec<u8>, u32> = Default::default();
            for s in &strings {
                let next = want.len() as u32;
                let id = *want.entry(s.clone()).or_insert(next);
                proptest::prop_assert_eq!(i.intern(s), (id, id == next));
            }
            proptest::prop_assert_eq!(i.len(), want.len());
            let mut arena = Vec::new();
            let mut spans = vec![(0, 0); want.len()];
            for (s, &id) in &want {
                proptest::prop_assert_eq!(i.resolve(id), &s[..]);
                spans[id as usize] = (arena.len(), arena.len() + s.len());
                arena.extend_from_slice(s);
            }
            let built = Interner::from_distinct(arena, spans);
            for s in strings.iter().chain(&probes) {
                proptest::prop_assert_eq!(i.get(s), want.get(s).copied());
                proptest::prop_assert_eq!(built.get(s), want.get(s).copied());
            }
        }
    }

    /// The definition of [`prefix`]: the first eight bytes (or fewer), little-endian,
    /// zero-padded.
    fn padded(bytes: &[u8]) -> u64 {
        let mut word = [0u8; 8];
        for (w, &b) in word.iter_mut().zip(bytes) {
            *w = b;
        }
        u64::from_le_bytes(word)
    }

    proptest::proptest! {
        /// Strings given as spans of a text (of every length, up to its very end, where the
        /// eight bytes at a span's start are not all there): [`prefix_in`] is [`prefix`] of the
        /// span, which is the definition; and an interner fed by both ways, in turn, gives
        /// the ids of a `HashMap` and finds every string either way.
        #[test]
        fn spans_of_a_text_intern_as_their_bytes(
            text in proptest::collection::vec(
                proptest::sample::select(vec![b'a', b'b', 0u8, 0xff]), 0..40),
            spans in proptest::collection::vec((0usize..40, 0usize..12), 0..200),
        ) {
            let mut i = Interner::default();
            let mut want: std::collections::HashMap<&[u8], u32> = Default::default();
            for (k, &(start, len)) in spans.iter().enumerate() {
                let start = start.min(text.len());
                let end = (start + len).min(text.len());
                let bytes = &text[start..end];
                proptest::prop_assert_eq!(prefix(bytes), padded(bytes));
                if bytes.len() <= 8 {
                    proptest::prop_assert_eq!(prefix_in(&text, start, end), padded(bytes));
                }
                let next = want.len() as u32;
                let id = *want.entry(bytes).or_insert(next);
                let got = if k % 2 == 0 {
                    i.intern_in(&text, start, end)
                } else {
                    i.intern(bytes)
                };
                proptest::prop_assert_eq!(got, (id, id == next));
                proptest::prop_assert_eq!(i.intern_in(&text, start, end), (id, false));
                proptest::prop_assert_eq!(i.get(bytes), Some(id));
            }
        }
    }

    #[test]
    fn distinct_strings_laid_out_by_the_caller() {
        let arena = b"truceceasefirepeace".to_vec();
        let spans = vec![(5, 14), (0, 5), (14, 19)];
        let i = Interner::from_distinct(arena, spans);
        assert_eq!(i.get(b"ceasefire"), Some(0));
        assert_eq!(i.get(b"truce"), Some(1));
        assert_eq!(i.get(b"peace"), Some(2));
        assert_eq!(i.get(b"war"), None);
        assert_eq!(i.resolve(0), b"ceasefire");
    }

    #[test]
    fn ids_are_dense_and_stable() {
        let mut i = Interner::default();
        assert_eq!(i.intern(b"kyiv"), (0, true));
        assert_eq!(i.intern(b"truce"), (1, true));
        assert_eq!(i.intern(b"kyiv"), (0, false));
        assert_eq!(i.intern(b""), (2, true));
        assert_eq!(i.intern(b"peacekeeping"), (3, true));
        assert_eq!(i.intern(b"peacekeepers"), (4, true));
        assert_eq!(i.get(b"peacekeeping"), Some(3));
        assert_eq!(i.get(b"peacekeep"), None);
        assert_eq!(i.get(b"truce"), Some(1));
        assert_eq!(i.get(b"truce\0"), None);
        assert_eq!(i.get(b"nato"), None);
        assert_eq!(i.resolve(1), b"truce");
        assert_eq!(i.resolve(2), b"");
        for k in 0..10_000u32 {
            i.intern(format!("term number {k}").as_bytes());
        }
        assert_eq!(i.get(b"term number 9999"), Some(5 + 9999));
        assert_eq!(i.resolve(5 + 42), b"term number 42");
        assert_eq!(i.len(), 10_005);
    }
}
