//! MurmurHash3, x86 32-bit variant: the hash scikit-learn's `HashingVectorizer` uses
//! (`sklearn.utils.murmurhash3_32`), so hashed columns equal scikit-learn's.

const C1: u32 = 0xcc9e_2d51;
const C2: u32 = 0x1b87_3593;

#[inline]
fn mix(k: u32) -> u32 {
    k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2)
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
        h ^= mix(k);
        h = h.rotate_left(13).wrapping_mul(5).wrapping_add(0xe654_6b64);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        let mut k = 0u32;
        for (i, &b) in tail.iter().enumerate() {
            k |= u32::from(b) << (8 * i);
        }
        h ^= mix(k);
    }
    h ^= bytes.len() as u32;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h as i32
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
    }
}
