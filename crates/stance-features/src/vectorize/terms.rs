//! Term ids while counting: tokens are interned once, and an n-gram is the pair
//! (id of its first n-1 tokens, id of its last token), so no n-gram string is ever built while
//! counting. Names are materialized only for the terms that survive pruning.

use rayon::prelude::*;

use super::intern::Interner;
use super::sort::{par_sort_by_top_bits, sort_by_bytes};
use crate::analyzer::{Analyzer, AnalyzerBuffer, Kind, WordSteps, char_features};

/// "No term": a stop word, or a term outside the vocabulary.
pub(crate) const NONE: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct TermDef {
    /// The term of the first n-1 tokens, or [`NONE`] for a single token.
    prefix: u32,
    /// The last token.
    token: u32,
}

/// A space of term ids: single tokens (or character n-grams) and word n-grams.
#[derive(Clone, Debug, Default)]
pub(crate) struct TermSpace {
    tokens: Interner,
    token_term: Vec<u32>,
    defs: Vec<TermDef>,
    grams: GramTable,
}

impl TermSpace {
    /// An empty space with room for `grams` n-grams of two or more tokens, so that the n-gram
    /// map does not grow (moving every entry each time it doubles) while counting.
    pub(crate) fn with_gram_capacity(grams: usize) -> TermSpace {
        TermSpace {
            defs: Vec::with_capacity(grams),
            grams: GramTable::with_capacity(grams),
            ..TermSpace::default()
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.defs.len()
    }

    /// The token id of `bytes`, creating the token and its single-token term if new.
    ///
    /// Inlined into the counting loops: a call per token (and the registers it saves) cost
    /// more than the look-up of a known token.
    #[inline(always)]
    pub(crate) fn token(&mut self, bytes: &[u8]) -> u32 {
        let (id, new) = self.tokens.intern(bytes);
        if new {
            self.new_token(id);
        }
        id
    }

    /// [`token`](Self::token) of `text[start..end]` (see [`Interner::intern_in`]).
    #[inline(always)]
    pub(crate) fn token_in(&mut self, text: &[u8], start: usize, end: usize) -> u32 {
        let (id, new) = self.tokens.intern_in(text, start, end);
        if new {
            self.new_token(id);
        }
        id
    }

    /// [`unigram_term`](Self::unigram_term) of `text[start..end]` (see
    /// [`Interner::intern_in`]).
    #[inline(always)]
    pub(crate) fn unigram_term_in(&mut self, text: &[u8], start: usize, end: usize) -> u32 {
        debug_assert!(self.grams.is_empty(), "a space without n-grams");
        let t = self.token_in(text, start, end);
        debug_assert_eq!(self.token_term[t as usize], t);
        t
    }

    /// The single-token term of the new token `id`.
    #[cold]
    #[inline(never)]
    fn new_token(&mut self, id: u32) {
        self.token_term.push(self.defs.len() as u32);
        self.defs.push(TermDef {
            prefix: NONE,
            token: id,
        });
    }

    /// The term id of the single token `bytes`, creating it if new, in a space that holds
    /// no n-grams (a counter of unigrams or character n-grams): there each token's term is
    /// created with it, so token ids are term ids and [`unigram`](Self::unigram)'s look-up is
    /// not needed.
    #[inline(always)]
    pub(crate) fn unigram_term(&mut self, bytes: &[u8]) -> u32 {
        debug_assert!(self.grams.is_empty(), "a space without n-grams");
        let t = self.token(bytes);
        debug_assert_eq!(self.token_term[t as usize], t);
        t
    }

    /// The term of the single token `token`.
    #[inline]
    pub(crate) fn unigram(&self, token: u32) -> u32 {
        self.token_term[token as usize]
    }

    /// The term `prefix` followed by the token `token`.
    #[inline]
    pub(crate) fn gram(&mut self, prefix: u32, token: u32) -> u32 {
        let next = self.defs.len() as u32;
        let id = self.grams.get_or_insert(gram_key(prefix, token), next);
        if id == next {
            self.defs.push(TermDef { prefix, token });
        }
        id
    }

    /// Appends the name of `term` (tokens joined by one space) to `out`.
    pub(crate) fn write_name(&self, term: u32, out: &mut Vec<u8>) {
        let def = self.defs[term as usize];
        if def.prefix != NONE {
            // Most n-grams are bigrams: their first token without a recursive call.
            let prefix = self.defs[def.prefix as usize];
            if prefix.prefix == NONE {
                out.extend_from_slice(self.tokens.resolve(prefix.token));
            } else {
                self.write_name(def.prefix, out);
            }
            out.push(b' ');
        }
        out.extend_from_slice(self.tokens.resolve(def.token));
    }

    /// `terms` sorted as their names sort, without building the names: by each term's
    /// sequence of token ranks (tokens sorted by name).
    ///
    /// A name is its tokens joined by spaces, and "a b" sorts before "ab" because the space
    /// sorts before any byte of a token: so when no token holds a byte at or below the space,
    /// names sort as their token sequences do, shorter first on a common start. Each term becomes
    /// one integer, (first rank + 1, second rank + 1 or 0, term id) in bit fields, and the
    /// integers are sorted. `None` when a token holds such a byte, a term has more than two
    /// tokens, or the fields do not fit in 64 bits.
    ///
    /// Without n-grams (unigrams, character n-grams) the terms are the tokens: they are sorted
    /// by the tokens' bytes where the interner holds them, without writing their names first
    /// (the names are written once, in column order, afterwards).
    pub(crate) fn sorted_by_name(&self, terms: &[u32]) -> Option<Vec<u32>> {
        // Each token has one single-token term, and n-grams are further terms.
        if self.defs.len() == self.tokens.len() {
            return Some(sort_by_bytes(terms, |term| {
                self.tokens.resolve(self.defs[term as usize].token)
            }));
        }
        let bits = |n: usize| usize::BITS - n.leading_zeros();
        let (rank_bits, term_bits) = (bits(self.tokens.len() + 1), bits(self.defs.len()));
        if self.grams.is_empty() || 2 * rank_bits + term_bits > u64::BITS {
            return None;
        }
        if self.tokens.arena().iter().any(|&b| b <= b' ') {
            return None;
        }
        let ranks = self.token_ranks();
        let keys = terms
            .par_iter()
            .map(|&term| {
                let def = self.defs[term as usize];
                let last = u64::from(ranks[def.token as usize]) + 1;
                let (first, second) = if def.prefix == NONE {
                    (last, 0)
                } else {
                    let prefix = self.defs[def.prefix as usize];
                    if prefix.prefix != NONE {
                        return None;
                    }
                    (u64::from(ranks[prefix.token as usize]) + 1, last)
                };
                Some((first << (rank_bits + term_bits)) | (second << term_bits) | u64::from(term))
            })
            .collect::<Option<Vec<u64>>>()?;
        // The rank fields identify a term (its one or two tokens): keys are distinct, and their
        // order is the order of the rank fields.
        let keys = par_sort_by_top_bits(keys, |&k| k, |b| b.sort_unstable());
        let mask = (1u64 << term_bits) - 1;
        Some(
            keys.into_par_iter()
                .with_min_len(1 << 12)
                .map(|k| (k & mask) as u32)
                .collect(),
        )
    }

    /// Each token's position among the tokens sorted by name (byte order).
    fn token_ranks(&self) -> Vec<u32> {
        let n = self.tokens.len();
        let ids: Vec<u32> = (0..n as u32).collect();
        let mut ranks = vec![0u32; n];
        for (rank, t) in sort_by_bytes(&ids, |t| self.tokens.resolve(t))
            .into_iter()
            .enumerate()
        {
            ranks[t as usize] = rank as u32;
        }
        ranks
    }

    /// [`absorb`](Self::absorb) for the last space merged into `self`: afterwards terms are
    /// only named and counted, never looked up, so `other`'s new n-grams are appended without
    /// entering the n-gram map (which then misses them). Its tokens are looked up in parallel,
    /// and only the new ones interned, in order, on one thread (so they get the ids
    /// [`absorb`](Self::absorb) gives them); its two-token n-grams, most of its terms, are
    /// looked up in parallel too, and only the new ones are appended, in order, on one thread;
    /// longer n-grams go through [`gram`](Self::gram) (a prefix that was new makes them new
    /// too, so the map's gaps cannot make it miss a term it has).
    pub(crate) fn absorb_last(mut self, other: &TermSpace) -> (TermSpace, Vec<u32>) {
        // In `found`, besides term ids: not in `self`, and left to the sequential pass.
        const NEW: u32 = u32::MAX - 1;
        const LATER: u32 = u32::MAX - 2;
        let known: Vec<Option<u32>> = (0..other.tokens.len() as u32)
            .into_par_iter()
            .with_min_len(1 << 10)
            .map(|t| self.tokens.get(other.tokens.resolve(t)))
            .collect();
        let tokens: Vec<u32> = known
            .iter()
            .zip(0..)
            .map(|(&id, t)| id.unwrap_or_else(|| self.token(other.tokens.resolve(t))))
            .collect();
        let this = &self;
        let found: Vec<u32> = other
            .defs
            .par_iter()
            .map(|def| {
                let token = tokens[def.token as usize];
                if def.prefix == NONE {
                    return this.unigram(token);
                }
                let prefix = other.defs[def.prefix as usize];
                if prefix.prefix != NONE {
                    return LATER;
                }
                let prefix = this.unigram(tokens[prefix.token as usize]);
                this.grams.get(gram_key(prefix, token)).unwrap_or(NEW)
            })
            .collect();
        let mut map = found;
        for t in 0..map.len() {
            let def = other.defs[t];
            match map[t] {
                NEW => {
                    map[t] = self.defs.len() as u32;
                    self.defs.push(TermDef {
                        prefix: map[def.prefix as usize],
                        token: tokens[def.token as usize],
                    });
                }
                LATER => map[t] = self.gram(map[def.prefix as usize], tokens[def.token as usize]),
                _ => {}
            }
        }
        (self, map)
    }

    /// Interns every term of `other` into `self`, returning `other`'s term ids → `self`'s.
    pub(crate) fn absorb(&mut self, other: &TermSpace) -> Vec<u32> {
        let tokens: Vec<u32> = (0..other.tokens.len() as u32)
            .map(|t| self.token(other.tokens.resolve(t)))
            .collect();
        let mut map = Vec::with_capacity(other.defs.len());
        for def in &other.defs {
            let token = tokens[def.token as usize];
            let term = if def.prefix == NONE {
                self.unigram(token)
            } else {
                self.gram(map[def.prefix as usize], token)
            };
            map.push(term);
        }
        map
    }
}

/// The key of an n-gram in [`TermSpace`]'s map: its prefix term and last token. Never
/// [`NO_GRAM`]: a prefix term is never [`NONE`].
#[inline]
fn gram_key(prefix: u32, token: u32) -> u64 {
    (u64::from(prefix) << 32) | u64::from(token)
}

/// The key of a free slot of a [`GramTable`].
const NO_GRAM: u64 = u64::MAX;

/// N-gram keys ([`gram_key`]) to term ids: open addressing with linear probing over a power of
/// two of slots, at most three quarters full, sized up front from the text's length (see
/// `SpaceCounter::new`) so that it rarely grows. A look-up is a multiply and (mostly) one or
/// two slots compared; a general-purpose map spent about twice the instructions on its
/// control bytes and closures, per n-gram of every document.
#[derive(Clone, Debug, Default)]
struct GramTable {
    /// (key, term) pairs; key [`NO_GRAM`] marks a free slot.
    slots: Vec<(u64, u32)>,
    len: usize,
}

impl GramTable {
    fn with_capacity(n: usize) -> GramTable {
        GramTable {
            slots: if n == 0 {
                Vec::new()
            } else {
                vec![(NO_GRAM, 0); GramTable::slots_for(n)]
            },
            len: 0,
        }
    }

    /// Slots for `n` keys: a power of two of which `n` fill at most three quarters.
    fn slots_for(n: usize) -> usize {
        (n + n / 3 + 1).next_power_of_two().max(16)
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The first slot of `key`'s probe sequence: a folded multiply's low bits.
    #[inline(always)]
    fn home(key: u64, mask: usize) -> usize {
        let m = u128::from(key) * 0x9e37_79b9_7f4a_7c15;
        ((m as u64) ^ ((m >> 64) as u64)) as usize & mask
    }

    /// The term of `key` (`Ok`), or the free slot where it would go (`Err`: any index while
    /// the table is not allocated, which [`insert`](Self::insert) then allocates).
    #[inline(always)]
    fn probe(&self, key: u64) -> Result<u32, usize> {
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = GramTable::home(key, mask);
        while let Some(&(k, term)) = self.slots.get(i) {
            if k == key {
                return Ok(term);
            }
            if k == NO_GRAM {
                break;
            }
            i = (i + 1) & mask;
        }
        Err(i)
    }

    /// The term of `key`, if present.
    #[inline]
    fn get(&self, key: u64) -> Option<u32> {
        self.probe(key).ok()
    }

    /// The term of `key`, which becomes `next` if `key` is new.
    #[inline(always)]
    fn get_or_insert(&mut self, key: u64, next: u32) -> u32 {
        match self.probe(key) {
            Ok(term) => term,
            Err(free) => {
                self.insert(key, next, free);
                next
            }
        }
    }

    /// Inserts the new `key` at its free slot `free` (found again if the table grows first).
    #[cold]
    #[inline(never)]
    fn insert(&mut self, key: u64, term: u32, mut free: usize) {
        if 4 * (self.len + 1) > 3 * self.slots.len() {
            let old = std::mem::replace(
                &mut self.slots,
                vec![(NO_GRAM, 0); GramTable::slots_for(2 * self.len + 1)],
            );
            for &(k, t) in old.iter().filter(|&&(k, _)| k != NO_GRAM) {
                let i = self.free_slot(k);
                self.slots[i] = (k, t);
            }
            free = self.free_slot(key);
        }
        self.slots[free] = (key, term);
        self.len += 1;
    }

    /// The free slot that ends the probe sequence of `key`, which is not in the table.
    fn free_slot(&self, key: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = GramTable::home(key, mask);
        while self.slots[i].0 != NO_GRAM {
            i = (i + 1) & mask;
        }
        i
    }
}

/// Stop words and stemming, applied once per distinct preprocessed token: maps each token to
/// the id its final form gets (or [`NONE`] for a stop word).
#[derive(Debug, Default)]
pub(crate) struct TokenCache {
    raw: Interner,
    ids: Vec<u32>,
}

impl TokenCache {
    /// The id of `token`'s final form, asking `intern` for it the first time `token` is seen.
    #[inline]
    pub(crate) fn id(
        &mut self,
        steps: &WordSteps,
        token: &str,
        intern: impl FnOnce(&str) -> u32,
    ) -> u32 {
        let (raw, new) = self.raw.intern(token.as_bytes());
        if new {
            let id = steps.finish(token).map_or(NONE, |t| intern(&t));
            self.ids.push(id);
        }
        self.ids[raw as usize]
    }
}

/// Sparse per-document counts over some id space, documents in order.
#[derive(Clone, Debug)]
pub(crate) struct DocCounts {
    pub(crate) indptr: Vec<usize>,
    pub(crate) ids: Vec<u32>,
    pub(crate) counts: Vec<u32>,
    /// When known, the documents of this block holding each id (indexed by id): how many
    /// entries each id has, without a pass over the entries.
    pub(crate) df: Option<Vec<u32>>,
}

impl Default for DocCounts {
    fn default() -> Self {
        DocCounts {
            indptr: vec![0],
            ids: Vec::new(),
            counts: Vec::new(),
            df: None,
        }
    }
}

impl DocCounts {
    pub(crate) fn n_docs(&self) -> usize {
        self.indptr.len() - 1
    }

    pub(crate) fn doc(&self, i: usize) -> (&[u32], &[u32]) {
        let r = self.indptr[i]..self.indptr[i + 1];
        (&self.ids[r.clone()], &self.counts[r])
    }
}

/// Dense counters with a list of the ids touched, reset after each document.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    counts: Vec<u32>,
    /// The ids counted in this document, in order of first appearance, are
    /// `touched[..n_touched]`; the slots past them are free room, so that
    /// [`add`](Self::add) can write an id at `n_touched` whether or not it is new to the
    /// document. It grows with the most ids a document has had (not with the counters: zeroing
    /// a slot per counter cost a bigram fit two million instructions).
    touched: Vec<u32>,
    n_touched: usize,
}

impl Tally {
    /// Counts one occurrence of `id`. Inlined into the counting loops, with the growth of the
    /// counters and of `touched` (rare: they double) out of line.
    ///
    /// The id is written to the next free place of `touched` every time, and that place taken
    /// only when the count was zero: about half the tokens of a document are new to it, in no
    /// order a branch predictor can learn, and a branch on it mispredicted about one token in
    /// three (of the unigram counting loop's mispredictions, a third).
    #[inline(always)]
    pub(crate) fn add(&mut self, id: u32) {
        match self.counts.get_mut(id as usize) {
            Some(count) => {
                let first = *count == 0;
                *count += 1;
                match self.touched.get_mut(self.n_touched) {
                    Some(slot) => {
                        *slot = id;
                        self.n_touched += usize::from(first);
                    }
                    None => self.touch_growing(id, first),
                }
            }
            None => self.add_growing(id),
        }
    }

    /// [`add`](Self::add) of an id past the counters: they grow first.
    #[cold]
    #[inline(never)]
    fn add_growing(&mut self, id: u32) {
        let i = id as usize;
        self.counts.resize((i + 1).next_power_of_two().max(1024), 0);
        self.counts[i] = 1;
        self.touch_growing(id, true);
    }

    /// Appends `id` to the ids touched if `first`, when `touched` has no free slot left: it
    /// grows first.
    #[cold]
    #[inline(never)]
    fn touch_growing(&mut self, id: u32, first: bool) {
        if self.n_touched == self.touched.len() {
            self.touched.resize((2 * self.touched.len()).max(256), 0);
        }
        self.touched[self.n_touched] = id;
        self.n_touched += usize::from(first);
    }

    /// [`flush`](Self::flush), adding one to each id's document count in `df` in the same
    /// pass (`df` must cover every id counted).
    pub(crate) fn flush_counting(&mut self, out: &mut DocCounts, df: &mut [u32]) {
        let touched = &self.touched[..self.n_touched];
        out.ids.extend_from_slice(touched);
        let counts = &mut self.counts;
        out.counts.extend(touched.iter().map(|&id| {
            df[id as usize] += 1;
            std::mem::take(&mut counts[id as usize])
        }));
        self.n_touched = 0;
        out.indptr.push(out.ids.len());
    }

    /// Moves this document's counts to `out`, in order of first appearance.
    pub(crate) fn flush(&mut self, out: &mut DocCounts) {
        // Two bulk appends (one capacity check each) instead of two pushes per id.
        let touched = &self.touched[..self.n_touched];
        out.ids.extend_from_slice(touched);
        let counts = &mut self.counts;
        out.counts.extend(
            touched
                .iter()
                .map(|&id| std::mem::take(&mut counts[id as usize])),
        );
        self.n_touched = 0;
        out.indptr.push(out.ids.len());
    }
}

/// Counts the terms of documents in a growing [`TermSpace`]; one per thread while fitting.
pub(crate) struct SpaceCounter<'a> {
    analyzer: &'a Analyzer,
    pub(crate) space: TermSpace,
    /// Final token ids, when stop words or stemming rewrite tokens.
    cache: TokenCache,
    buf: AnalyzerBuffer,
    seq: Vec<u32>,
    window: Vec<u32>,
    tally: Tally,
    pub(crate) out: DocCounts,
    /// Documents containing each term, and (when `totals` says how) its total count.
    pub(crate) df: Vec<u32>,
    pub(crate) tf: Vec<u64>,
    /// `None`: no totals needed; `Some(binary)`: count occurrences, or documents when binary.
    totals: Option<bool>,
}

impl<'a> SpaceCounter<'a> {
    /// A counter for a block of `bytes` bytes of text (its output is sized for it).
    pub(crate) fn new(analyzer: &'a Analyzer, totals: Option<bool>, bytes: usize) -> Self {
        // English prose has about one distinct term per 12 bytes and document with unigrams,
        // and one per 5 with (1, 2)-grams: reserve more than that, per n-gram length, so that
        // the arrays rarely grow (and copy); untouched capacity costs no memory.
        let entries = match &analyzer.kind {
            Kind::Word(steps) => bytes / 6 * (steps.ngram.max_n() - steps.ngram.min_n() + 1),
            Kind::Chars { range, .. } => bytes / 2 * (range.max_n() - range.min_n() + 1),
        };
        let out = DocCounts {
            indptr: vec![0],
            ids: Vec::with_capacity(entries),
            counts: Vec::with_capacity(entries),
            df: None,
        };
        // Distinct n-grams of two or more tokens: FNC-1's bodies hold one distinct bigram per
        // 17 bytes (3.7 MB), and smaller blocks more; capped, as distinct n-grams grow slower
        // than the text (and a bigger table only spreads the look-ups over more memory).
        let grams = match &analyzer.kind {
            Kind::Word(steps) if steps.ngram.max_n() > 1 => {
                (bytes / 17 * (steps.ngram.max_n() - 1)).min(1 << 21)
            }
            _ => 0,
        };
        SpaceCounter {
            analyzer,
            space: TermSpace::with_gram_capacity(grams),
            cache: TokenCache::default(),
            buf: AnalyzerBuffer::default(),
            seq: Vec::new(),
            window: Vec::new(),
            tally: Tally::default(),
            out,
            df: Vec::new(),
            tf: Vec::new(),
            totals,
        }
    }

    /// Counts one document, appending its row to `self.out`.
    pub(crate) fn add(&mut self, doc: &str) {
        match &self.analyzer.kind {
            Kind::Word(steps) if !steps.joined_names_are_unique() => self.add_by_name(doc),
            _ => self.add_by_ids(doc),
        }
        self.finish_document();
    }

    /// Counts each feature by its name, as scikit-learn does: needed when different token
    /// sequences can join into the same name.
    fn add_by_name(&mut self, doc: &str) {
        let SpaceCounter {
            analyzer,
            space,
            buf,
            tally,
            ..
        } = self;
        analyzer.for_each_feature(doc, buf, |f| {
            let t = space.token(f.as_bytes());
            tally.add(space.unigram(t));
        });
    }

    fn add_by_ids(&mut self, doc: &str) {
        let SpaceCounter {
            analyzer,
            space,
            cache,
            buf,
            seq,
            window,
            tally,
            ..
        } = self;
        let AnalyzerBuffer { pre, chars, .. } = buf;
        let pre = analyzer.preprocess(doc, pre);
        match &analyzer.kind {
            Kind::Word(steps) if steps.ngram.max_n() == 1 && !steps.rewrites_tokens() => {
                let text = pre.text().as_bytes();
                steps.for_each_token_span(pre.text(), |s, e| {
                    tally.add(space.unigram_term_in(text, s, e));
                });
            }
            Kind::Word(steps) => {
                seq.clear();
                if steps.rewrites_tokens() {
                    steps.for_each_token(pre.text(), |tok| {
                        let id = cache.id(steps, tok, |t| space.token(t.as_bytes()));
                        if id != NONE {
                            seq.push(id);
                        }
                    });
                } else {
                    let text = pre.text().as_bytes();
                    steps.for_each_token_span(pre.text(), |s, e| {
                        seq.push(space.token_in(text, s, e));
                    });
                }
                let (min_n, max_n) = (steps.ngram.min_n(), steps.ngram.max_n());
                let len = seq.len();
                window.clear();
                window.extend(seq.iter().map(|&t| space.unigram(t)));
                for n in 1..=max_n.min(len) {
                    let windows = len - n + 1;
                    if n > 1 {
                        for i in 0..windows {
                            window[i] = space.gram(window[i], seq[i + n - 1]);
                        }
                    }
                    if n >= min_n {
                        for &term in &window[..windows] {
                            tally.add(term);
                        }
                    }
                }
            }
            Kind::Chars {
                range,
                word_bounded,
            } => char_features(pre.text(), *range, *word_bounded, chars, |g| {
                tally.add(space.unigram_term(g.as_bytes()));
            }),
        }
    }

    /// Moves the document's counts to `out` and updates the document frequencies.
    fn finish_document(&mut self) {
        let SpaceCounter {
            space,
            tally,
            out,
            df,
            tf,
            totals,
            ..
        } = self;
        let first = out.ids.len();
        if df.len() < space.len() {
            df.resize(space.len(), 0);
        }
        tally.flush_counting(out, df);
        if let Some(binary) = *totals {
            tf.resize(space.len(), 0);
            for (&id, &n) in out.ids[first..].iter().zip(&out.counts[first..]) {
                tf[id as usize] += if binary { 1 } else { u64::from(n) };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A space holding the n-grams (all lengths from one up) of each token sequence.
    fn space(docs: &[&str], max_n: usize) -> TermSpace {
        let mut space = TermSpace::with_gram_capacity(4);
        for doc in docs {
            let seq: Vec<u32> = doc.split(' ').map(|t| space.token(t.as_bytes())).collect();
            for i in 0..seq.len() {
                let mut term = space.unigram(seq[i]);
                for &t in seq[i + 1..].iter().take(max_n - 1) {
                    term = space.gram(term, t);
                }
            }
        }
        space
    }

    fn names(space: &TermSpace) -> Vec<String> {
        (0..space.len() as u32)
            .map(|t| {
                let mut name = Vec::new();
                space.write_name(t, &mut name);
                String::from_utf8(name).unwrap()
            })
            .collect()
    }

    /// The n-gram table against a `HashMap`: keys that share their low or high halves (one
    /// prefix, many tokens, and the reverse), from an empty table (grown many times) and from
    /// one sized up front; the first term given to a key stays its term.
    #[test]
    fn gram_table_agrees_with_a_hash_map() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut keys = Vec::new();
        for _ in 0..30_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let (prefix, token) = match x % 3 {
                0 => (7, (x >> 8) as u32 % 5_000),
                1 => ((x >> 8) as u32 % 5_000, 7),
                _ => ((x >> 8) as u32 % 300, (x >> 32) as u32 % 300),
            };
            keys.push(gram_key(prefix, token));
        }
        for capacity in [0, 20_000] {
            let mut table = GramTable::with_capacity(capacity);
            let mut want = std::collections::HashMap::new();
            for (n, &key) in keys.iter().enumerate() {
                let term = *want.entry(key).or_insert(n as u32);
                assert_eq!(table.get_or_insert(key, n as u32), term);
            }
            assert_eq!(table.len, want.len());
            assert!(!table.is_empty());
            for &key in &keys {
                assert_eq!(table.get(key), want.get(&key).copied());
            }
            assert_eq!(table.get(gram_key(1 << 20, 1 << 20)), None);
        }
        assert_eq!(GramTable::default().get(gram_key(0, 0)), None);
    }

    /// A space without n-grams gives each token's term as its token id, as `unigram` does.
    #[test]
    fn unigram_terms_are_token_terms() {
        let mut space = TermSpace::default();
        for w in ["kyiv", "truce", "kyiv", "", "peacekeeping", "truce"] {
            let term = space.unigram_term(w.as_bytes());
            let token = space.token(w.as_bytes());
            assert_eq!(term, space.unigram(token));
        }
        assert_eq!(space.len(), 4);
    }

    /// Flushing with document counts gives the rows a plain flush gives, and counts each id
    /// once per document it is in, however often it occurs there.
    #[test]
    fn flush_counting_counts_documents() {
        let docs: [&[u32]; 4] = [&[3, 1, 3, 3, 0], &[], &[1, 1], &[2000, 3, 2000]];
        let (mut a, mut b) = (Tally::default(), Tally::default());
        let (mut plain, mut counted) = (DocCounts::default(), DocCounts::default());
        let mut df = vec![0u32; 2001];
        for doc in docs {
            for &id in doc {
                a.add(id);
                b.add(id);
            }
            a.flush(&mut plain);
            b.flush_counting(&mut counted, &mut df);
        }
        assert_eq!(counted.ids, plain.ids);
        assert_eq!(counted.counts, plain.counts);
        assert_eq!(counted.indptr, plain.indptr);
        assert_eq!(counted.counts, [3, 1, 1, 2, 2, 1]);
        let mut want = vec![0u32; 2001];
        (want[0], want[1], want[3], want[2000]) = (1, 2, 2, 1);
        assert_eq!(df, want);
    }

    proptest::proptest! {
        // Fewer cases than the default: each is a few thousand ids.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// The tally against its definition: per document, each id once, in order of first
        /// appearance, with its number of occurrences; ids far apart (the counters grow in
        /// the middle of a document), documents with more ids than the list of ids touched
        /// holds (it grows while a new id or a repeated one is counted), documents with no ids.
        #[test]
        fn tally_counts_in_order_of_first_appearance(
            docs in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::prop_oneof![0u32..8, 0u32..3000, 0u32..300], 0..700),
                0..5),
        ) {
            let mut tally = Tally::default();
            let mut got = DocCounts::default();
            let mut want = DocCounts::default();
            for doc in &docs {
                // Each id's place in `want`.
                let mut at = std::collections::HashMap::new();
                for &id in doc {
                    tally.add(id);
                    let k = *at.entry(id).or_insert_with(|| {
                        want.ids.push(id);
                        want.counts.push(0);
                        want.ids.len() - 1
                    });
                    want.counts[k] += 1;
                }
                tally.flush(&mut got);
                want.indptr.push(want.ids.len());
            }
            proptest::prop_assert_eq!(got.ids, want.ids);
            proptest::prop_assert_eq!(got.counts, want.counts);
            proptest::prop_assert_eq!(got.indptr, want.indptr);
        }
    }

    proptest::proptest! {
        /// [`TermSpace::sorted_by_name`], when it gives an order, is the order of the terms'
        /// names: spaces of single tokens (sorted by the tokens' bytes) and of n-grams up to
        /// three tokens (by token ranks, or `None`), a second space merged in, tokens holding
        /// bytes below, at and above the space, multi-byte characters and long shared starts;
        /// a subset of the terms, as pruning leaves.
        #[test]
        fn sorted_by_name_is_the_order_of_the_names(
            docs in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        "a", "b", "ab", "a!", "a\tb", "\0", "é", "abcdefghij", "abcdefghik",
                        "abcdefgh", "zz",
                    ]),
                    1..8,
                ),
                1..6,
            ),
            max_n in 1usize..4,
            keep in 1u32..4,
        ) {
            let docs: Vec<String> = docs.iter().map(|d| d.join(" ")).collect();
            let docs: Vec<&str> = docs.iter().map(String::as_str).collect();
            let (head, tail) = docs.split_at(docs.len() / 2);
            let (space, _) = space(head, max_n).absorb_last(&space(tail, max_n));
            let names = names(&space);
            let terms: Vec<u32> = (0..space.len() as u32).filter(|t| t % keep == 0).collect();
            let mut want = terms.clone();
            want.sort_by(|&a, &b| names[a as usize].cmp(&names[b as usize]));
            if let Some(got) = space.sorted_by_name(&terms) {
                proptest::prop_assert_eq!(got, want);
            } else {
                proptest::prop_assert!(max_n > 1);
            }
        }
    }

    /// The last space merged without entering its new n-grams into the map gives the ids
    /// and names a full merge gives: new and known tokens, known and new bigrams over new or
    /// known tokens, trigrams over known and new bigrams, a first space without n-grams.
    #[test]
    fn absorb_last_matches_absorb() {
        let firsts: [&[&str]; 3] = [&["a b c", "b c", "c a b"], &["a", "b", "c"], &["x"]];
        let others: [&[&str]; 3] = [
            &["b d a b c", "a b d", "e", "c a b", "d d d d"],
            &["a b c"],
            &["y z y", "x"],
        ];
        for first in firsts {
            for other in others {
                for max_n in [1, 2, 3, 4] {
                    let (a, b) = (space(first, max_n), space(other, max_n));
                    let mut full = a.clone();
                    let want = full.absorb(&b);
                    let (last, got) = a.absorb_last(&b);
                    assert_eq!(got, want, "{first:?} {other:?} {max_n}");
                    assert_eq!(names(&last), names(&full), "{first:?} {other:?} {max_n}");
                    // Every term of `other` keeps its name.
                    let (nb, nl) = (names(&b), names(&last));
                    for (t, &m) in got.iter().enumerate() {
                        assert_eq!(nb[t], nl[m as usize]);
                    }
                }
            }
        }
    }
}
