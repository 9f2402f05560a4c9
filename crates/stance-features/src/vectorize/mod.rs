//! Vectorizers with scikit-learn's names and semantics: [`CountParams`] (`CountVectorizer`),
//! [`TfidfParams`] (`TfidfVectorizer`) and [`HashingParams`] (`HashingVectorizer`).
//!
//! Output is a `sprs` CSR matrix of `f32` or `f64`. Fitting and transforming run on rayon's
//! current thread pool, a contiguous block of documents per task; the result does not depend on
//! the number of threads, bit for bit, because the vocabulary is sorted by name after counting
//! and every row is computed from its own document alone, in column order.
//!
//! One deliberate difference: when `max_features` has to choose among terms with equal total
//! counts, scikit-learn takes whatever numpy's unstable `argsort` returns (which differs between
//! CPUs); here the tie goes to the term that sorts first, so the choice is reproducible.

mod count;
mod hashing;
mod intern;
mod murmur3;
mod sort;
mod terms;
mod tfidf;
mod vocabulary;

pub use count::{CountParams, CountVectorizer, DocFrequency};
pub use hashing::{HashingParams, HashingVectorizer, hash_feature};
pub use murmur3::murmurhash3_32;
pub use tfidf::{Norm, TfidfParams, TfidfVectorizer};
pub use vocabulary::Vocabulary;

use rayon::prelude::*;
use sprs::CsMat;

use terms::DocCounts;

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// The value type of an output matrix: `f32` or `f64` (scikit-learn's `dtype`).
/// Values are computed in `f64` and rounded once at the end.
pub trait Element: sealed::Sealed + Copy + Default + Send + Sync + 'static {
    /// Rounds an `f64` to this type.
    fn from_f64(v: f64) -> Self;
}

impl Element for f32 {
    fn from_f64(v: f64) -> Self {
        v as f32
    }
}

impl Element for f64 {
    fn from_f64(v: f64) -> Self {
        v
    }
}

/// Bytes of text a block holds at least: below that, a block's own term space and merging it
/// cost more than a thread gains (scoring, for one, transforms a few sentences at a time, from
/// every thread at once).
const MIN_BLOCK_BYTES: usize = 8 << 10;

/// Runs `add` over `docs` in contiguous blocks of about equal size in bytes,
/// `blocks_per_thread` per thread of the current pool (one block when there is one thread or
/// less than two blocks' worth of text, [`MIN_BLOCK_BYTES`]), and returns the workers in
/// document order. `make` gets its block's size in bytes, so that a
/// worker can size its output once instead of growing (and copying) it.
pub(crate) fn par_blocks<D, W>(
    docs: &[D],
    blocks_per_thread: usize,
    make: impl Fn(usize) -> W + Sync + Send,
    add: impl Fn(&mut W, &str) + Sync + Send,
) -> Vec<W>
where
    D: AsRef<str> + Sync,
    W: Send,
{
    let threads = rayon::current_num_threads();
    let run = |block: &[D]| {
        let mut worker = make(block.iter().map(|d| d.as_ref().len()).sum());
        for doc in block {
            add(&mut worker, doc.as_ref());
        }
        worker
    };
    if threads <= 1 || docs.len() <= 1 {
        return vec![run(docs)];
    }
    let total: usize = docs.iter().map(|d| d.as_ref().len() + 1).sum();
    let blocks = (threads * blocks_per_thread)
        .min(docs.len())
        .min(total / MIN_BLOCK_BYTES);
    if blocks <= 1 {
        return vec![run(docs)];
    }
    // Cut where the running byte count crosses each multiple of total / blocks.
    let mut cuts = vec![0];
    let mut seen = 0;
    for (i, doc) in docs.iter().enumerate() {
        seen += doc.as_ref().len() + 1;
        if seen * blocks >= total * cuts.len() && cuts.len() < blocks && i + 1 < docs.len() {
            cuts.push(i + 1);
        }
    }
    cuts.push(docs.len());
    cuts.windows(2)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|w| run(&docs[w[0]..w[1]]))
        .collect()
}

/// `ln(n)` for n < 64, computed by `f64::ln` (so a look-up gives the same bits).
static LN_SMALL: std::sync::LazyLock<[f64; 64]> =
    std::sync::LazyLock::new(|| std::array::from_fn(|n| (n as f64).ln()));

/// How counts become values: scikit-learn's `binary`, `sublinear_tf`, IDF and `norm`, in that order.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Weighting<'a> {
    pub(crate) binary: bool,
    pub(crate) sublinear_tf: bool,
    pub(crate) idf: Option<&'a [f64]>,
    pub(crate) norm: Norm,
}

impl Weighting<'_> {
    /// The value of `n` occurrences in column `c`, before normalizing; `ln_small` is
    /// [`LN_SMALL`], fetched once by the caller.
    #[inline(always)]
    fn value(&self, c: u32, n: u32, ln_small: &[f64; 64]) -> f64 {
        let n = if self.binary { 1 } else { n };
        let mut tf = f64::from(n);
        if self.sublinear_tf {
            // Most counts are small whole numbers: their logarithms come from a table of the
            // same values (indexed by the count, not by `tf as usize`, a saturating conversion
            // of several instructions).
            tf = match ln_small.get(n as usize) {
                Some(&ln) => ln,
                None => tf.ln(),
            } + 1.0;
        }
        match self.idf {
            Some(idf) => tf * idf[c as usize],
            None => tf,
        }
    }

    /// Values of one row whose columns are sorted.
    fn row(&self, columns: &[u32], counts: &[u32], out: &mut Vec<f64>) {
        out.clear();
        let ln_small: &[f64; 64] = &LN_SMALL;
        out.extend(
            columns
                .iter()
                .zip(counts)
                .map(|(&c, &n)| self.value(c, n, ln_small)),
        );
        self.norm.apply(out);
    }
}

/// The arrays of a CSR matrix, built but not yet handed to sprs.
///
/// `CsMat::try_new` checks the whole structure on one thread (a pass over every entry), and
/// `unsafe` constructors are not allowed: a fit runs that check while another thread builds the
/// vocabulary's look-up table ([`into_matrix`](Self::into_matrix) is called inside a
/// `rayon::join`), so that neither waits alone.
pub(crate) struct CsrParts<T> {
    shape: (usize, usize),
    indptr: Vec<usize>,
    indices: Vec<usize>,
    data: Vec<T>,
}

impl<T: Element> CsrParts<T> {
    /// The matrix, after sprs' check of its structure.
    pub(crate) fn into_matrix(self) -> CsMat<T> {
        CsMat::try_new(self.shape, self.indptr, self.indices, self.data)
            .map_err(|(_, _, _, e)| e)
            .expect("rows are built with sorted, in-range, unique columns")
    }
}

/// `len` copies of `value` in a new vector, written in parallel: the output arrays are written
/// twice (zeros, then entries in scattered order), and a zeroing `vec!` of recycled memory is a
/// `memset` on the calling thread alone (12 MB of a unigram fit on FNC-1, 19 MB with bigrams).
fn filled<V: Copy + Send + Sync>(value: V, len: usize) -> Vec<V> {
    rayon::iter::repeat_n(value, len)
        .with_min_len(1 << 16)
        .collect()
}

/// Builds the CSR matrix of per-block counts (see [`counts_to_parts`]).
pub(crate) fn counts_to_csr<T: Element>(
    blocks: &[DocCounts],
    columns: &[Option<Vec<u32>>],
    n_columns: usize,
    weighting: Weighting<'_>,
) -> CsMat<T> {
    counts_to_parts(blocks, columns, n_columns, weighting).into_matrix()
}

/// Builds the arrays of the CSR matrix of per-block counts; `columns[b]` maps block `b`'s ids
/// to columns (dropping [`terms::NONE`]), and a missing map means the ids are columns. Each
/// block writes its rows straight into its own part of the output arrays, in parallel.
pub(crate) fn counts_to_parts<T: Element>(
    blocks: &[DocCounts],
    columns: &[Option<Vec<u32>>],
    n_columns: usize,
    weighting: Weighting<'_>,
) -> CsrParts<T> {
    let map = |b: usize| columns.get(b).and_then(Option::as_deref);
    // Stored entries of each block once pruned terms are dropped.
    let sizes: Vec<usize> = blocks
        .par_iter()
        .enumerate()
        .map(|(b, block)| kept_entries(block, map(b)))
        .collect();
    let nnz: usize = sizes.iter().sum();
    let n_rows: usize = blocks.iter().map(DocCounts::n_docs).sum();
    let mut indptr = vec![0usize; n_rows + 1];
    let mut indices = filled(0usize, nnz);
    let mut data = filled(T::default(), nnz);
    // Split the outputs into one disjoint part per block.
    let mut parts = Vec::with_capacity(blocks.len());
    let (mut rest_ptr, mut rest_idx, mut rest_val) =
        (&mut indptr[1..], &mut indices[..], &mut data[..]);
    let mut offset = 0;
    for (block, &size) in blocks.iter().zip(&sizes) {
        let (p, rp) = rest_ptr.split_at_mut(block.n_docs());
        let (i, ri) = rest_idx.split_at_mut(size);
        let (v, rv) = rest_val.split_at_mut(size);
        parts.push((p, i, v, offset));
        (rest_ptr, rest_idx, rest_val) = (rp, ri, rv);
        offset += size;
    }
    parts
        .into_par_iter()
        .zip(blocks.par_iter().enumerate())
        .for_each(|((ptr, idx, val, offset), (b, block))| {
            let m = map(b);
            // Sorting each row costs about log2(row length) compares per entry; a counting sort
            // of the whole block by column costs a few passes, but also one counter per column:
            // worth it only when the block has at least as many entries as there are columns.
            if idx.len() >= n_columns && idx.len() < u32::MAX as usize {
                block_rows_by_transposing(block, m, n_columns, weighting, ptr, idx, val, offset);
            } else {
                block_rows_by_sorting(block, m, weighting, ptr, idx, val, offset);
            }
        });
    CsrParts {
        shape: (n_rows, n_columns),
        indptr,
        indices,
        data,
    }
}

/// The entries of `block` whose ids `m` keeps: from the block's document frequencies when it
/// has them (a pass over its ids, not over its entries).
fn kept_entries(block: &DocCounts, m: Option<&[u32]>) -> usize {
    match (m, &block.df) {
        (None, _) => block.ids.len(),
        (Some(m), Some(df)) => m
            .iter()
            .zip(df)
            .filter(|&(&c, _)| c != terms::NONE)
            .map(|(_, &d)| d as usize)
            .sum(),
        (Some(m), None) => block
            .ids
            .iter()
            .filter(|&&id| m[id as usize] != terms::NONE)
            .count(),
    }
}

/// Writes one block's rows (see [`counts_to_csr`]), sorting each row's columns.
fn block_rows_by_sorting<T: Element>(
    block: &DocCounts,
    m: Option<&[u32]>,
    weighting: Weighting<'_>,
    ptr: &mut [usize],
    idx: &mut [usize],
    val: &mut [T],
    offset: usize,
) {
    let mut keys: Vec<u64> = Vec::new();
    let (mut cols, mut counts, mut values) = (Vec::new(), Vec::new(), Vec::new());
    let mut at = 0;
    for (d, end) in ptr.iter_mut().enumerate() {
        let (ids, ns) = block.doc(d);
        keys.clear();
        let key = |c: u32, n: u32| (u64::from(c) << 32) | u64::from(n);
        match m {
            Some(m) => keys.extend(
                ids.iter()
                    .zip(ns)
                    .map(|(&id, &n)| (m[id as usize], n))
                    .filter(|&(c, _)| c != terms::NONE)
                    .map(|(c, n)| key(c, n)),
            ),
            None => keys.extend(ids.iter().zip(ns).map(|(&c, &n)| key(c, n))),
        }
        keys.sort_unstable();
        cols.clear();
        counts.clear();
        cols.extend(keys.iter().map(|&k| (k >> 32) as u32));
        counts.extend(keys.iter().map(|&k| k as u32));
        weighting.row(&cols, &counts, &mut values);
        for (k, (&c, &v)) in cols.iter().zip(&values).enumerate() {
            idx[at + k] = c as usize;
            val[at + k] = T::from_f64(v);
        }
        at += cols.len();
        *end = offset + at;
    }
}

/// Writes one block's rows (see [`counts_to_csr`]) with their columns in order: a counting
/// sort of the block's entries by column (entries of a column keep their document order; the
/// entries per column come from the block's document frequencies when it has them), then two
/// passes over the columns in order. The first adds each value to its row's norm, so that a
/// row's norm sums its values in column order, as [`Norm::apply`] does, and the bits are the
/// same; the second computes each value again, divides it by its row's norm (by 1, exactly,
/// for an all-zero row or no norm) and puts it at the next place of its row.
#[allow(clippy::too_many_arguments)]
fn block_rows_by_transposing<T: Element>(
    block: &DocCounts,
    m: Option<&[u32]>,
    n_columns: usize,
    weighting: Weighting<'_>,
    ptr: &mut [usize],
    idx: &mut [usize],
    val: &mut [T],
    offset: usize,
) {
    let n_docs = block.n_docs();
    let column = |id: u32| m.map_or(id, |m| m[id as usize]);
    // Entries per column (at c + 1), then each column's start.
    let mut col_end = vec![0u32; n_columns + 1];
    match &block.df {
        Some(df) => {
            for (id, &d) in df.iter().enumerate() {
                let c = column(id as u32);
                if c != terms::NONE {
                    col_end[c as usize + 1] += d;
                }
            }
        }
        None => {
            for &id in &block.ids {
                let c = column(id);
                if c != terms::NONE {
                    col_end[c as usize + 1] += 1;
                }
            }
        }
    }
    for c in 1..=n_columns {
        col_end[c] += col_end[c - 1];
    }
    // By column: (document, count); col_end[c] runs from column c's start to its end. Each
    // row's start, as kept entries are counted.
    let mut by_column = vec![(0u32, 0u32); idx.len()];
    let mut row_start = Vec::with_capacity(n_docs + 1);
    row_start.push(0u32);
    let mut kept = 0u32;
    for d in 0..n_docs {
        let (ids, ns) = block.doc(d);
        for (&id, &n) in ids.iter().zip(ns) {
            let c = column(id);
            if c != terms::NONE {
                let slot = &mut col_end[c as usize];
                by_column[*slot as usize] = (d as u32, n);
                *slot += 1;
                kept += 1;
            }
        }
        row_start.push(kept);
    }
    debug_assert_eq!(
        kept as usize,
        idx.len(),
        "entries counted as the sizes were"
    );
    let ln_small: &[f64; 64] = &LN_SMALL;
    // Each row's norm, summed in column order; 1 when there is nothing to divide by.
    let mut norms = vec![0.0f64; n_docs];
    if weighting.norm != Norm::None {
        let mut begin = 0usize;
        for (c, &end) in col_end[..n_columns].iter().enumerate() {
            for &(d, n) in &by_column[begin..end as usize] {
                let v = weighting.value(c as u32, n, ln_small);
                let norm = &mut norms[d as usize];
                match weighting.norm {
                    Norm::L2 => *norm += v * v,
                    _ => *norm += v.abs(),
                }
            }
            begin = end as usize;
        }
    }
    for norm in &mut norms {
        *norm = match weighting.norm {
            Norm::L2 => norm.sqrt(),
            Norm::L1 => *norm,
            Norm::None => 1.0,
        };
        if *norm == 0.0 {
            *norm = 1.0;
        }
    }
    // Columns in order: each value, normed, to the next place of its row.
    let mut cursor: Vec<u32> = row_start[..n_docs].to_vec();
    let mut begin = 0usize;
    for (c, &end) in col_end[..n_columns].iter().enumerate() {
        for &(d, n) in &by_column[begin..end as usize] {
            let v = weighting.value(c as u32, n, ln_small) / norms[d as usize];
            let at = &mut cursor[d as usize];
            idx[*at as usize] = c;
            val[*at as usize] = T::from_f64(v);
            *at += 1;
        }
        begin = end as usize;
    }
    for (end, &e) in ptr.iter_mut().zip(&row_start[1..]) {
        *end = offset + e as usize;
    }
}

/// Concatenates per-block rows (row lengths, column indices, values) into one CSR matrix.
pub(crate) fn assemble<T: Element>(
    parts: Vec<(Vec<usize>, Vec<usize>, Vec<T>)>,
    n_columns: usize,
) -> CsMat<T> {
    let n_rows: usize = parts.iter().map(|p| p.0.len()).sum();
    let nnz: usize = parts.iter().map(|p| p.1.len()).sum();
    let mut indptr = Vec::with_capacity(n_rows + 1);
    indptr.push(0);
    let mut parts = parts.into_iter();
    // The first part's arrays become the matrix's: the others are appended, never the first.
    let (mut indices, mut data) = match parts.next() {
        Some((lens, mut idx, mut vals)) => {
            for len in lens {
                indptr.push(indptr.last().copied().unwrap_or(0) + len);
            }
            idx.reserve_exact(nnz - idx.len());
            vals.reserve_exact(nnz - vals.len());
            (idx, vals)
        }
        None => (Vec::new(), Vec::new()),
    };
    for (lens, idx, vals) in parts {
        for len in lens {
            indptr.push(indptr.last().copied().unwrap_or(0) + len);
        }
        indices.extend(idx);
        data.extend(vals);
    }
    CsMat::try_new((n_rows, n_columns), indptr, indices, data)
        .map_err(|(_, _, _, e)| e)
        .expect("rows are built with sorted, in-range, unique columns")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows of one block, built by transposing and by sorting each row.
    fn both_ways<T: Element + PartialEq + std::fmt::Debug>(
        block: &DocCounts,
        m: Option<&[u32]>,
        n_columns: usize,
        weighting: Weighting<'_>,
    ) -> [(Vec<usize>, Vec<usize>, Vec<T>); 2] {
        let nnz = match m {
            Some(m) => block
                .ids
                .iter()
                .filter(|&&id| m[id as usize] != terms::NONE)
                .count(),
            None => block.ids.len(),
        };
        assert_eq!(kept_entries(block, m), nnz);
        let run = |transpose: bool| {
            let (mut ptr, mut idx, mut val) = (
                vec![0usize; block.n_docs()],
                vec![0usize; nnz],
                vec![T::default(); nnz],
            );
            if transpose {
                block_rows_by_transposing(
                    block, m, n_columns, weighting, &mut ptr, &mut idx, &mut val, 5,
                );
            } else {
                block_rows_by_sorting(block, m, weighting, &mut ptr, &mut idx, &mut val, 5);
            }
            (ptr, idx, val)
        };
        [run(true), run(false)]
    }

    /// The rows built by transposing (values and norms computed column by column) have the
    /// bits of the rows built by sorting each row and weighting it whole, for every weighting,
    /// with pruned ids, empty rows, counts past the logarithm table and both value types, the
    /// entries per column counted from the block's document frequencies or from its entries.
    #[test]
    fn transposed_rows_have_the_bits_of_sorted_rows() {
        let n_ids = 300u32;
        let mut block = DocCounts::default();
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |k: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % k
        };
        for d in 0..60 {
            // Every fifth document is empty.
            let len = if d % 5 == 0 { 0 } else { next(40) as usize };
            let mut seen = std::collections::HashSet::new();
            for _ in 0..len {
                let id = next(u64::from(n_ids)) as u32;
                if seen.insert(id) {
                    block.ids.push(id);
                    block.counts.push(1 + next(3) as u32 * next(50) as u32);
                }
            }
            block.indptr.push(block.ids.len());
        }
        // Ids → columns: a permutation with every seventh id pruned.
        let mut map: Vec<u32> = vec![terms::NONE; n_ids as usize];
        let mut c = 0;
        for id in (0..n_ids).rev() {
            if id % 7 != 3 {
                map[id as usize] = c;
                c += 1;
            }
        }
        let n_columns = c as usize;
        let mut with_df = block.clone();
        let mut df = vec![0u32; n_ids as usize];
        for &id in &block.ids {
            df[id as usize] += 1;
        }
        with_df.df = Some(df);
        let idf: Vec<f64> = (0..n_ids)
            .map(|i| 1.0 + f64::from(i).sqrt() / 7.0)
            .collect();
        for norm in [Norm::L2, Norm::L1, Norm::None] {
            for (binary, sublinear_tf) in [(false, false), (true, false), (false, true)] {
                for idf in [Some(&idf[..]), None] {
                    let weighting = Weighting {
                        binary,
                        sublinear_tf,
                        idf,
                        norm,
                    };
                    for m in [Some(&map[..]), None] {
                        let cols = if m.is_some() {
                            n_columns
                        } else {
                            n_ids as usize
                        };
                        for block in [&block, &with_df] {
                            let [a, b] = both_ways::<f64>(block, m, cols, weighting);
                            assert_eq!(a, b, "{weighting:?} {}", m.is_some());
                            assert!(a.2.iter().all(|v| *v != 0.0));
                            let [a, b] = both_ways::<f32>(block, m, cols, weighting);
                            assert_eq!(a, b, "{weighting:?} {}", m.is_some());
                        }
                    }
                }
            }
        }
    }
}
