//! Byte tests on eight bytes at once in one `u64` ("SIMD within a register"), for the scanning
//! loops of the cleaner, the sentence splitter and the gazetteer. Words are read little-endian,
//! so byte `k` of the text is bits `8k..8k + 8` and the first flagged byte is found with
//! `trailing_zeros() / 8`.

/// The high bit of every byte of a word.
pub(crate) const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Eight copies of byte `b`.
pub(crate) const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// The eight bytes of `bytes` at `i` as a little-endian word, if there are eight.
#[inline(always)]
pub(crate) fn word_at(bytes: &[u8], i: usize) -> Option<u64> {
    let chunk = bytes.get(i..i + 8)?;
    Some(u64::from_le_bytes(chunk.try_into().expect("eight bytes")))
}

/// The high bit of each byte of `w` that lies in `lo..=hi`, for a word of bytes below 0x80
/// (adding `0x80 - lo` sets a byte's high bit iff the byte is at least `lo`, and carries into
/// no other byte).
#[inline(always)]
pub(crate) const fn in_range(w: u64, lo: u8, hi: u8) -> u64 {
    let at_least_lo = w.wrapping_add(splat(0x80 - lo));
    let above_hi = w.wrapping_add(splat(0x7f - hi));
    at_least_lo & !above_hi & HIGH_BITS
}

/// The high bit set in exactly the bytes of `x` that are 0 (no carry crosses bytes, so unlike
/// [`first_zero_byte`]'s test no byte is flagged wrongly).
pub(crate) const fn zero_bytes(x: u64) -> u64 {
    let low = !HIGH_BITS;
    !(((x & low) + low) | x | low)
}

/// A word whose lowest set high bit marks the first byte of `x` that is 0 (bytes above it may be
/// flagged wrongly: a borrow runs upwards), and which is 0 when no byte is. Cheaper than
/// [`zero_bytes`] where only the first such byte matters.
#[inline(always)]
pub(crate) const fn first_zero_byte(x: u64) -> u64 {
    x.wrapping_sub(splat(1)) & !x & HIGH_BITS
}

/// Like [`first_zero_byte`], for the first byte of `x` below `n` (`n` at most 0x80).
#[inline(always)]
pub(crate) const fn first_byte_below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(splat(n)) & !x & HIGH_BITS
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words built from bytes that stress borrows: 0, 1, the bound and its neighbours, 0x7f, 0x80.
    fn words() -> Vec<[u8; 8]> {
        let interesting = [
            0u8, 1, 2, 0x0d, 0x0e, 0x0f, b'.', b'/', 0x7f, 0x80, 0xe2, 0xff,
        ];
        let mut out = Vec::new();
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..20_000 {
            crate::testing::xorshift(&mut x);
            out.push(std::array::from_fn(|k| {
                interesting[((x >> (5 * k)) % interesting.len() as u64) as usize]
            }));
        }
        out
    }

    fn first(bytes: &[u8; 8], pred: impl Fn(u8) -> bool) -> Option<u32> {
        bytes.iter().position(|&b| pred(b)).map(|k| k as u32)
    }

    fn flagged_first(mask: u64) -> Option<u32> {
        (mask != 0).then(|| mask.trailing_zeros() / 8)
    }

    #[test]
    fn zero_bytes_flags_exactly_the_zero_bytes() {
        for bytes in words() {
            let mask = zero_bytes(u64::from_le_bytes(bytes));
            for (k, &b) in bytes.iter().enumerate() {
                assert_eq!((mask >> (8 * k + 7)) & 1 == 1, b == 0, "{bytes:?}");
            }
        }
    }

    #[test]
    fn first_flags_are_exact() {
        for bytes in words() {
            let w = u64::from_le_bytes(bytes);
            assert_eq!(
                flagged_first(first_zero_byte(w)),
                first(&bytes, |b| b == 0),
                "{bytes:?}"
            );
            assert_eq!(
                flagged_first(first_zero_byte(w ^ splat(b'.'))),
                first(&bytes, |b| b == b'.'),
                "{bytes:?}"
            );
            for n in [1u8, 0x0e, 0x30, 0x80] {
                assert_eq!(
                    flagged_first(first_byte_below(w, n)),
                    first(&bytes, |b| b < n),
                    "{bytes:?} below {n:#x}"
                );
            }
        }
    }

    #[test]
    fn in_range_flags_exactly_the_bytes_in_range() {
        let all: Vec<u8> = (0u8..0x80).collect();
        for (lo, hi) in [(b'0', b'9'), (b'a', b'z'), (b'_', b'_'), (0, 0x7f)] {
            for chunk in all.chunks(8) {
                let mask = in_range(u64::from_le_bytes(chunk.try_into().unwrap()), lo, hi);
                for (k, &b) in chunk.iter().enumerate() {
                    assert_eq!((mask >> (8 * k + 7)) & 1 == 1, (lo..=hi).contains(&b));
                }
            }
        }
    }

    #[test]
    fn words_are_read_little_endian() {
        let bytes = b"abcdefghi";
        assert_eq!(word_at(bytes, 1), Some(u64::from_le_bytes(*b"bcdefghi")));
        assert_eq!(word_at(bytes, 2), None);
    }
}
