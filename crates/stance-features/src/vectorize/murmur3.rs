//! MurmurHash3, x86 32-bit variant: the hash scikit-learn's `HashingVectorizer` uses
//! (`sklearn.utils.murmurhash3_32`), so hashed columns equal scikit-learn's.
//!
//! [`murmurhash3_32`] hashes a slice. [`murmur3_span`] hashes a key inside a larger text, the
//! way the vectorizer hashes a token: eight bytes at a time, two of the hash's 4-byte blocks per
//! load, and the last 0 to 7 bytes in one more load, masked, read in place when the text goes on
//! for eight bytes (gathered with at most three loads otherwise), instead of byte by byte.

const C1: u32 = 0xcc9e_2d51;
const C2: u32 = 0x1b87_3593;

#[inline(always)]
fn mix(k: u32) -> u32 {
    k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2)
}

/// One body block mixed into the state.
#[inline(always)]
fn round(h: u32, k: u32) -> u32 {
    (h ^ mix(k))
        .rotate_left(13)
        .wrapping_mul(5)
        .wrapping_add(0xe654_6b64)
}

/// The finalization: the length, then the avalanche.
#[inline(always)]
fn finish(mut h: u32, len: usize) -> u32 {
    h ^= len as u32;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h
}

/// MurmurHash3_x86_32 of `bytes` with `seed`, as a signed integer like scikit-learn's default.
///
/// ```
/// use stance_features::vectorize::murmurhash3_32;
/// assert_eq!(murmurhash3_32(b"foo", 0), -156908512);
/// ```
pub fn murmurhash3_32(bytes: &[u8], seed: u32) -> i32 {
    let mut h = seed;
    let mut blocks = bytes.chunks_exact(4);
    for block in &mut blocks {
        let k = u32::from_le_bytes([block[0], block[1], block[2], block[3]]);
        h = round(h, k);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        let mut k = 0u32;
        for (i, &b) in tail.iter().enumerate() {
            k |= u32::from(b) << (8 * i);
        }
        h ^= mix(k);
    }
    finish(h, bytes.len()) as i32
}

/// The eight bytes of `bytes` at `i` as a little-endian word.
#[inline(always)]
fn word(bytes: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(bytes[i..i + 8].try_into().expect("eight bytes"))
}

/// The bytes of `short` (at most seven) as a little-endian word, zero above them, read without
/// going past its end: two overlapping 4-byte loads from 4 bytes on, three 1-byte loads below
/// (the first, middle and last byte, which overlap as they may since they are ORed).
#[inline(always)]
fn load_short(short: &[u8]) -> u64 {
    let r = short.len();
    if r >= 4 {
        let first = u32::from_le_bytes(short[..4].try_into().expect("four bytes"));
        let last = u32::from_le_bytes(short[r - 4..].try_into().expect("four bytes"));
        u64::from(first) | (u64::from(last) << (8 * (r - 4)))
    } else if r > 0 {
        u64::from(short[0])
            | (u64::from(short[r / 2]) << (8 * (r / 2)))
            | (u64::from(short[r - 1]) << (8 * (r - 1)))
    } else {
        0
    }
}

/// `LOW_BYTES[r]` keeps the low `r` bytes of a word: a load instead of a variable shift.
const LOW_BYTES: [u64; 8] = {
    let mut masks = [0u64; 8];
    let mut r = 1;
    while r < 8 {
        masks[r] = (1u64 << (8 * r)) - 1;
        r += 1;
    }
    masks
};

/// MurmurHash3_x86_32 with seed 0 of `text[start..end]`, as an unsigned integer: equal to
/// [`murmurhash3_32`] of the slice, with fewer instructions. Bytes of `text` after `end` may be
/// read (and are masked off), which spares gathering the last bytes one by one; a tail block of
/// zero bytes mixes to zero, so an empty tail needs no test.
#[inline(always)]
pub(crate) fn murmur3_span(text: &[u8], start: usize, end: usize) -> u32 {
    let mut h = 0;
    let mut i = start;
    while end - i >= 8 {
        let w = word(text, i);
        h = round(round(h, w as u32), (w >> 32) as u32);
        i += 8;
    }
    let r = end - i;
    let w = if text.len() - i >= 8 {
        word(text, i) & LOW_BYTES[r & 7]
    } else {
        load_short(&text[i..end])
    };
    let (low, high) = (w as u32, (w >> 32) as u32);
    // A full block then a tail of 0 to 3 bytes, or only a tail: chosen by masks, not a branch,
    // since token lengths on either side of four make it unpredictable.
    let full = 0u32.wrapping_sub(u32::from(r >= 4));
    let h = (round(h, low) & full) | (h & !full);
    let tail = (high & full) | (low & !full);
    finish(h ^ mix(tail), end - start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        // Values from scikit-learn's documentation and tests of murmurhash3_32.
        let cases: &[(&[u8], u32, i32)] = &[
            (b"foo", 0, -156908512),
            (b"foo", 42, -1322301282),
            (b"", 0, 0),
            (b"", 1, 1364076727),
        ];
        for &(bytes, seed, want) in cases {
            assert_eq!(murmurhash3_32(bytes, seed), want, "{bytes:?} {seed}");
        }
        assert_eq!(murmur3_span(b"xfoox", 1, 4), -156908512i32 as u32);
    }

    /// Random bytes, half of them drawn from ASCII letters, digits, UTF-8 lead and continuation
    /// bytes and the extremes.
    fn random_bytes(state: &mut u64, len: usize) -> Vec<u8> {
        const PICKS: &[u8] = b"\x00\x01\x7f\x80\xc3\x89\xe2\xff@AZ[`az{_09 MmIi";
        (0..len)
            .map(|_| {
                let x = crate::testing::xorshift(state);
                if x & 1 == 0 {
                    PICKS[(x >> 8) as usize % PICKS.len()]
                } else {
                    (x >> 16) as u8
                }
            })
            .collect()
    }

    #[test]
    fn spans_of_every_length_and_offset_match_the_slice_hash() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for len in 0..=40 {
            for _ in 0..50 {
                let key = random_bytes(&mut state, len);
                // The key inside a longer buffer, at every distance from its end (0 to 9 bytes
                // after the key, so the tail is read in place or gathered), and at odd offsets.
                let want = murmurhash3_32(&key, 0) as u32;
                for before in [0, 1, 3] {
                    for after in 0..10 {
                        let mut text = random_bytes(&mut state, before);
                        text.extend_from_slice(&key);
                        text.extend(random_bytes(&mut state, after));
                        let (s, e) = (before, before + len);
                        assert_eq!(murmur3_span(&text, s, e), want, "{key:?}");
                    }
                }
            }
        }
    }
}
