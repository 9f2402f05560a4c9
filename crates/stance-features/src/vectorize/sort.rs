//! Sorts for ordering the vocabulary on the thread pool: a parallel partition by the top bits
//! of an integer key, then the buckets sorted in parallel.

use rayon::prelude::*;

/// Bits of the digit [`par_sort_by_top_bits`] partitions by: up to 256 buckets.
const TOP_BITS: u32 = 8;

/// Items per chunk at least when [`par_sort_by_top_bits`] counts and moves items in parallel.
const MIN_CHUNK: usize = 1 << 12;

/// Sorts `items` on the current thread pool: partitions them by the highest eight bits in
/// which their `key`s differ, then `sort_bucket` sorts each bucket, the buckets in parallel.
/// The result is sorted when `sort_bucket` sorts by an order in which `key` never decreases
/// (`key` is the head of the order).
///
/// The partition runs in parallel too: each chunk of items counts its buckets, and the output
/// is cut into one slice per (bucket, chunk), bucket by bucket and chunk by chunk within a
/// bucket, so that each chunk moves its items into slices of its own (items of a bucket keep
/// their order). A sort of the whole on one thread was most of what a fit ran on one thread
/// between counting and building the matrix.
pub(crate) fn par_sort_by_top_bits<T: Copy + Default + Send + Sync>(
    mut items: Vec<T>,
    key: impl Fn(&T) -> u64 + Sync,
    sort_bucket: impl Fn(&mut [T]) + Sync,
) -> Vec<T> {
    let Some(first) = items.first().map(&key) else {
        return items;
    };
    let differ = items
        .par_iter()
        .with_min_len(MIN_CHUNK)
        .map(|item| key(item) ^ first)
        .reduce(|| 0, |a, b| a | b);
    let high = u64::BITS - differ.leading_zeros();
    let width = TOP_BITS.min(high);
    if width == 0 {
        // Every key is the same: one bucket.
        sort_bucket(&mut items);
        return items;
    }
    let shift = high - width;
    let mask = (1u64 << width) - 1;
    let n_buckets = 1usize << width;
    let bucket = |item: &T| ((key(item) >> shift) & mask) as usize;
    let chunk_len = items
        .len()
        .div_ceil(rayon::current_num_threads())
        .max(MIN_CHUNK);
    let counts: Vec<Vec<usize>> = items
        .par_chunks(chunk_len)
        .map(|chunk| {
            let mut counts = vec![0usize; n_buckets];
            for item in chunk {
                counts[bucket(item)] += 1;
            }
            counts
        })
        .collect();
    let mut out: Vec<T> = rayon::iter::repeat_n(T::default(), items.len())
        .with_min_len(1 << 16)
        .collect();
    let mut bucket_lens = vec![0usize; n_buckets];
    {
        // Per chunk, per bucket: the places its items of that bucket go to.
        let mut places: Vec<Vec<std::slice::IterMut<'_, T>>> = (0..counts.len())
            .map(|_| Vec::with_capacity(n_buckets))
            .collect();
        let mut rest = &mut out[..];
        for (b, len) in bucket_lens.iter_mut().enumerate() {
            for (chunk_places, chunk_counts) in places.iter_mut().zip(&counts) {
                let (part, tail) = std::mem::take(&mut rest).split_at_mut(chunk_counts[b]);
                chunk_places.push(part.iter_mut());
                rest = tail;
                *len += chunk_counts[b];
            }
        }
        items
            .par_chunks(chunk_len)
            .zip(places)
            .for_each(|(chunk, mut places)| {
                for item in chunk {
                    *places[bucket(item)]
                        .next()
                        .expect("a place for each item counted") = *item;
                }
            });
    }
    let mut buckets = Vec::with_capacity(n_buckets);
    let mut rest = &mut out[..];
    for &len in &bucket_lens {
        let (b, tail) = std::mem::take(&mut rest).split_at_mut(len);
        buckets.push(b);
        rest = tail;
    }
    buckets.into_par_iter().for_each(|b| {
        if b.len() > 1 {
            sort_bucket(b);
        }
    });
    out
}

/// The first eight bytes of `bytes` as a big-endian word, zero-padded: words compare as the
/// bytes do, except that a tie leaves the rest (and the length) to compare.
#[inline]
pub(crate) fn head(bytes: &[u8]) -> u64 {
    let mut h = [0u8; 8];
    for (d, &b) in h.iter_mut().zip(bytes) {
        *d = b;
    }
    u64::from_be_bytes(h)
}

/// `ids` ordered by `name(id)` in byte order (distinct ids should have distinct names: the
/// order of equal names is unspecified). Each name's [`head`] is its key in
/// [`par_sort_by_top_bits`], and a bucket is sorted by heads, then by the whole names where
/// heads tie.
pub(crate) fn sort_by_bytes<'a>(ids: &[u32], name: impl Fn(u32) -> &'a [u8] + Sync) -> Vec<u32> {
    let keyed: Vec<(u64, u32)> = ids
        .par_iter()
        .with_min_len(MIN_CHUNK)
        .map(|&id| (head(name(id)), id))
        .collect();
    let keyed = par_sort_by_top_bits(
        keyed,
        |&(h, _)| h,
        |bucket| {
            bucket.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| name(a.1).cmp(name(b.1))))
        },
    );
    keyed
        .into_par_iter()
        .with_min_len(MIN_CHUNK)
        .map(|(_, id)| id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny deterministic generator (xorshift), so that the tests need no crate.
    fn numbers(seed: u64, n: usize) -> Vec<u64> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x
            })
            .collect()
    }

    /// On one thread and on four: the partition's result, with each bucket sorted stably by
    /// the whole key, is a stable sort by the key (items of a bucket keep their order through
    /// the partition); keys that differ in few bits, in the top bits only, in none, and fewer
    /// or more items than a chunk.
    #[test]
    fn par_sort_by_top_bits_is_a_stable_sort() {
        for threads in [1, 4] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            for mask in [u64::MAX, 0xF000_0000_0FF0_00F3, 0xFF00_0000_0000_0000, 7, 0] {
                for n in [0, 1, 2, 17, 3000, 3 * MIN_CHUNK + 5] {
                    // Few distinct keys, so that many items tie.
                    let items: Vec<(u64, usize)> = numbers(n as u64 + 7, n)
                        .into_iter()
                        .map(|x| x & mask)
                        .enumerate()
                        .map(|(i, x)| (x, i))
                        .collect();
                    let mut want = items.clone();
                    want.sort_by_key(|&(x, _)| x);
                    let got = pool.install(|| {
                        par_sort_by_top_bits(items, |&(x, _)| x, |b| b.sort_by_key(|&(x, _)| x))
                    });
                    assert_eq!(got, want, "{threads} threads, mask {mask:x}, {n} items");
                }
            }
        }
    }

    #[test]
    fn sort_by_bytes_is_byte_order() {
        let mut names: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"a".to_vec(),
            b"a\0".to_vec(),
            b"a\0\0".to_vec(),
            b"abcdefgh".to_vec(),
            b"abcdefgh\0".to_vec(),
            b"abcdefghi".to_vec(),
            b"abcdefghh".to_vec(),
            b"abcdefgg".to_vec(),
            b"\xff".to_vec(),
            b"\xc3\xa9t\xc3\xa9".to_vec(),
            b"zz".to_vec(),
        ];
        for (i, x) in numbers(3, 500).into_iter().enumerate() {
            let len = (x % 13) as usize;
            let mut name: Vec<u8> = x.to_le_bytes().iter().map(|b| b'a' + b % 3).collect();
            name.resize(len, b'b');
            name.push(i as u8);
            names.push(name);
        }
        names.sort();
        names.dedup();
        let mut shuffled: Vec<u32> = (0..names.len() as u32).collect();
        shuffled.reverse();
        shuffled.rotate_left(names.len() / 3);
        let got = sort_by_bytes(&shuffled, |id| &names[id as usize]);
        let want: Vec<u32> = (0..names.len() as u32).collect();
        assert_eq!(got, want);
    }
}
