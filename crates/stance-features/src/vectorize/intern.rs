//! A byte-string interner: one arena, one hash table of ids, no allocation per lookup.

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;

/// Maps byte strings to dense ids `0..len` in order of first appearance.
#[derive(Clone, Debug, Default)]
pub(crate) struct Interner {
    arena: Vec<u8>,
    ends: Vec<usize>,
    table: HashTable<u32>,
}

impl Interner {
    #[inline]
    fn hash(&self, bytes: &[u8]) -> u64 {
        FxBuildHasher.hash_one(bytes)
    }

    /// The number of distinct strings.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The string with id `id`.
    #[inline]
    pub(crate) fn resolve(&self, id: u32) -> &[u8] {
        let id = id as usize;
        let start = if id == 0 { 0 } else { self.ends[id - 1] };
        &self.arena[start..self.ends[id]]
    }

    /// The id of `bytes`, if interned.
    #[inline]
    pub(crate) fn get(&self, bytes: &[u8]) -> Option<u32> {
        let hash = self.hash(bytes);
        self.table
            .find(hash, |&id| self.resolve(id) == bytes)
            .copied()
    }

    /// The id of `bytes`, interning it if new; the flag says whether it was new.
    #[inline]
    pub(crate) fn intern(&mut self, bytes: &[u8]) -> (u32, bool) {
        let hash = self.hash(bytes);
        let Interner { arena, ends, table } = self;
        let resolve = |id: u32| {
            let id = id as usize;
            let start = if id == 0 { 0 } else { ends[id - 1] };
            &arena[start..ends[id]]
        };
        if let Some(&id) = table.find(hash, |&id| resolve(id) == bytes) {
            return (id, false);
        }
        let id = u32::try_from(ends.len()).expect("fewer than 2^32 distinct terms");
        arena.extend_from_slice(bytes);
        ends.push(arena.len());
        let (arena, ends) = (&*arena, &*ends);
        table.insert_unique(hash, id, |&other| {
            let o = other as usize;
            let start = if o == 0 { 0 } else { ends[o - 1] };
            FxBuildHasher.hash_one(&arena[start..ends[o]])
        });
        (id, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_dense_and_stable() {
        let mut i = Interner::default();
        assert_eq!(i.intern(b"kyiv"), (0, true));
        assert_eq!(i.intern(b"truce"), (1, true));
        assert_eq!(i.intern(b"kyiv"), (0, false));
        assert_eq!(i.intern(b""), (2, true));
        assert_eq!(i.get(b"truce"), Some(1));
        assert_eq!(i.get(b"nato"), None);
        assert_eq!(i.resolve(1), b"truce");
        assert_eq!(i.resolve(2), b"");
        for k in 0..10_000u32 {
            i.intern(k.to_string().as_bytes());
        }
        assert_eq!(i.get(b"9999"), Some(3 + 9999));
        assert_eq!(i.len(), 10_003);
    }
}
