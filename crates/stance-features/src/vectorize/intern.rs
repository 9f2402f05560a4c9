//! A byte-string interner: one arena, one hash table, no allocation per lookup.
//!
//! Each table entry carries the string's length and first eight bytes, so looking up a word of
//! up to eight bytes (most words) touches the table alone, never the arena: interning is bound by
//! cache misses, and this removes one or two of them per token.

use hashbrown::HashTable;
use rayon::prelude::*;
use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;

/// Sixteen bytes, so that four entries share a cache line.
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// See [`prefix`]: with `len`, the whole of a string of up to eight bytes.
    prefix: u64,
    len: u32,
    id: u32,
}

/// Maps byte strings to dense ids `0..len` in order of first appearance.
#[derive(Clone, Debug, Default)]
pub(crate) struct Interner {
    arena: Vec<u8>,
    /// (start, end) of each string in `arena`, by id.
    spans: Vec<(usize, usize)>,
    table: HashTable<Entry>,
    /// A direct-mapped cache in front of `table` for [`intern`](Self::intern), indexed by hash
    /// bits: strings of up to eight bytes only, so an entry alone identifies its string. Frequent
    /// words stay in it, and a hit skips the table's probe.
    front: Vec<Entry>,
}

/// Entries of the front cache (64 KiB).
const FRONT: usize = 1 << 12;

/// A word that, together with the length, identifies a string of up to eight bytes (and
/// summarizes a longer one), read without a call to `memcpy`: overlapping reads from both ends.
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
        u32_at(0) | (u32_at(n - 4) << 32)
    } else if n > 0 {
        u64::from(bytes[0]) | (u64::from(bytes[n / 2]) << 8) | (u64::from(bytes[n - 1]) << 16)
    } else {
        0
    }
}

/// For up to eight bytes (most words), a folded multiply of the [`prefix`] word and the length;
/// longer strings go through FxHash.
#[inline(always)]
fn hash(bytes: &[u8]) -> u64 {
    if bytes.len() <= 8 {
        let x = prefix(bytes) ^ (bytes.len() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let m = u128::from(x) * 0x2d35_8dcc_aa6c_78a5;
        (m as u64) ^ ((m >> 64) as u64)
    } else {
        FxBuildHasher.hash_one(bytes)
    }
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

    #[inline(always)]
    fn find(&self, hash: u64, bytes: &[u8]) -> Option<&Entry> {
        let p = prefix(bytes);
        let len = bytes.len() as u32;
        self.table.find(hash, |e| {
            e.prefix == p && e.len == len && (len <= 8 || self.resolve(e.id) == bytes)
        })
    }

    /// The id of `bytes`, if interned.
    #[inline]
    pub(crate) fn get(&self, bytes: &[u8]) -> Option<u32> {
        self.find(hash(bytes), bytes).map(|e| e.id)
    }

    /// An interner of distinct strings already laid out in `arena`: string `i` (id `i`) is
    /// `arena[spans[i].0..spans[i].1]`. The hashes are computed in parallel and the table is
    /// sized once, so nothing is copied or rehashed.
    pub(crate) fn from_distinct(arena: Vec<u8>, spans: Vec<(usize, usize)>) -> Interner {
        let hashes: Vec<u64> = spans
            .par_iter()
            .map(|&(start, end)| hash(&arena[start..end]))
            .collect();
        let mut table = HashTable::with_capacity(spans.len());
        for (id, (&(start, end), &h)) in spans.iter().zip(&hashes).enumerate() {
            let bytes = &arena[start..end];
            let entry = Entry {
                prefix: prefix(bytes),
                len: u32::try_from(bytes.len()).expect("a term shorter than 4 GiB"),
                id: u32::try_from(id).expect("fewer than 2^32 distinct terms"),
            };
            table.insert_unique(h, entry, |e| {
                let (start, end) = spans[e.id as usize];
                hash(&arena[start..end])
            });
        }
        Interner {
            arena,
            spans,
            table,
            front: Vec::new(),
        }
    }

    fn insert(&mut self, h: u64, bytes: &[u8], id: u32) {
        let len = u32::try_from(bytes.len()).expect("a term shorter than 4 GiB");
        let start = self.arena.len();
        self.arena.extend_from_slice(bytes);
        self.spans.push((start, self.arena.len()));
        let entry = Entry {
            prefix: prefix(bytes),
            len,
            id,
        };
        let (arena, spans) = (&self.arena, &self.spans);
        self.table.insert_unique(h, entry, |e| {
            let (start, end) = spans[e.id as usize];
            hash(&arena[start..end])
        });
    }

    /// The id of `bytes`, interning it if new; the flag says whether it was new.
    ///
    /// Inlined: a string of up to eight bytes found in the front cache (most tokens) costs a
    /// hash, one load and a compare; everything else goes through [`intern_slow`](Self::intern_slow).
    #[inline(always)]
    pub(crate) fn intern(&mut self, bytes: &[u8]) -> (u32, bool) {
        let h = hash(bytes);
        if bytes.len() <= 8
            && let Some(e) = self.front.get(front_slot(h))
            && e.len as usize == bytes.len()
            && e.prefix == prefix(bytes)
        {
            return (e.id, false);
        }
        self.intern_slow(h, bytes)
    }

    /// [`intern`](Self::intern) past the front cache: the table's probe, an insert if new, and
    /// the front cache's update (it is allocated here, on first use).
    #[inline(never)]
    fn intern_slow(&mut self, h: u64, bytes: &[u8]) -> (u32, bool) {
        let (id, new) = match self.find(h, bytes) {
            Some(e) => (e.id, false),
            None => {
                let id = u32::try_from(self.spans.len()).expect("fewer than 2^32 distinct terms");
                self.insert(h, bytes, id);
                (id, true)
            }
        };
        if bytes.len() <= 8 {
            if self.front.is_empty() {
                self.front = vec![
                    Entry {
                        prefix: 0,
                        len: u32::MAX,
                        id: 0,
                    };
                    FRONT
                ];
            }
            self.front[front_slot(h)] = Entry {
                prefix: prefix(bytes),
                len: bytes.len() as u32,
                id,
            };
        }
        (id, new)
    }
}

/// The front cache's slot of a string with hash `h`: the top bits (hashbrown places entries by
/// the low bits, so these are independent of the table's position).
#[inline(always)]
fn front_slot(h: u64) -> usize {
    (h >> (64 - FRONT.trailing_zeros())) as usize
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

    /// More short strings than the front cache has entries, so that they evict each other:
    /// every look-up still gives the string's own id.
    #[test]
    fn short_strings_through_the_front_cache() {
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
