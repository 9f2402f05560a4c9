//! Radix sorts for ordering the vocabulary: integer keys instead of comparisons, a few passes
//! over the keys each.

/// Bits per digit: 2048 counters (8 KiB) stay in L1 while a pass runs.
const DIGIT_BITS: u32 = 11;

/// Sorts `items` by the bits `low..high` of `key(item)`, stably (items equal in those bits keep
/// their order): a least-significant-digit radix sort, one counting pass and one scatter pass
/// per digit. `high <= 64`.
pub(crate) fn radix_sort_by_bits<T: Copy + Default>(
    items: Vec<T>,
    low: u32,
    high: u32,
    key: impl Fn(&T) -> u64,
) -> Vec<T> {
    let mut items = items;
    let mut other = vec![T::default(); items.len()];
    let mut counts = vec![0usize; 1 << DIGIT_BITS];
    let mut shift = low;
    while shift < high {
        let width = DIGIT_BITS.min(high - shift);
        let mask = (1u64 << width) - 1;
        let digit = |item: &T| ((key(item) >> shift) & mask) as usize;
        let counts = &mut counts[..1 << width];
        counts.fill(0);
        for item in &items {
            counts[digit(item)] += 1;
        }
        // A digit shared by every item orders nothing: skip its scatter.
        if counts.contains(&items.len()) {
            shift += width;
            continue;
        }
        let mut start = 0;
        for c in counts.iter_mut() {
            let n = *c;
            *c = start;
            start += n;
        }
        for item in &items {
            let slot = &mut counts[digit(item)];
            other[*slot] = *item;
            *slot += 1;
        }
        std::mem::swap(&mut items, &mut other);
        shift += width;
    }
    items
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

/// `ids` ordered by `name(id)` in byte order (an unstable sort: distinct ids should have
/// distinct names). A radix sort by each name's [`head`], then a comparison sort of each run of
/// equal heads by the whole names.
pub(crate) fn sort_by_bytes<'a>(ids: &[u32], name: impl Fn(u32) -> &'a [u8]) -> Vec<u32> {
    let keyed: Vec<(u64, u32)> = ids.iter().map(|&id| (head(name(id)), id)).collect();
    let mut keyed = radix_sort_by_bits(keyed, 0, 64, |&(h, _)| h);
    let mut start = 0;
    while start < keyed.len() {
        let h = keyed[start].0;
        let end = start
            + keyed[start..]
                .iter()
                .position(|&(k, _)| k != h)
                .unwrap_or(keyed.len() - start);
        if end - start > 1 {
            keyed[start..end].sort_unstable_by(|a, b| name(a.1).cmp(name(b.1)));
        }
        start = end;
    }
    keyed.into_iter().map(|(_, id)| id).collect()
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

    #[test]
    fn radix_sort_matches_a_stable_sort_on_the_same_bits() {
        for (low, high) in [(0, 64), (0, 1), (3, 30), (20, 41), (60, 64), (5, 5)] {
            for n in [0, 1, 2, 17, 3000] {
                // Few distinct values in the sorted bits, so that many items tie there.
                let items: Vec<(u64, usize)> = numbers(n as u64 + 7, n)
                    .into_iter()
                    .map(|x| x & 0xF000_0000_0FF0_00F3)
                    .enumerate()
                    .map(|(i, x)| (x, i))
                    .collect();
                let mask = |x: u64| {
                    let width = high - low;
                    if width == 0 {
                        0
                    } else {
                        (x >> low) & (u64::MAX >> (64 - width))
                    }
                };
                let mut want = items.clone();
                want.sort_by_key(|&(x, _)| mask(x));
                let got = radix_sort_by_bits(items, low, high, |&(x, _)| x);
                assert_eq!(got, want, "bits {low}..{high}, {n} items");
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
