//! The token rule on a text read in place (see [`fast`](super::fast)): a text whose word
//! characters are all ASCII, because it is ASCII or because its only non-ASCII characters are
//! separators. There the default rule `\b\w\w+\b` is simply "every maximal run of two or more
//! bytes of `[0-9A-Za-z_]`": a non-ASCII byte belongs to a character that is not a word
//! character, and every word character is one byte.
//!
//! [`default_token_spans`](stance_features::analyzer::default_token_spans) scans any UTF-8
//! text: it counts the characters of a run (so it tracks continuation bytes), tests each block
//! for non-ASCII bytes, and hands the spans over through an array. Here, with none of that to
//! do, the scan is a word mask per 64 bytes, from which the runs of a single byte are removed
//! before the runs are read (so no run is tested for its length), and the spans go straight to
//! the caller's closure.

use stance_features::analyzer::word_mask_64;

/// Calls `f(start, end)` with the byte span of every token of `text`, in order, for a text
/// whose word characters are all ASCII (see the module documentation): the same spans as
/// `default_token_spans` gives on such a text.
#[inline(always)]
pub(crate) fn in_place_tokens(text: &[u8], mut f: impl FnMut(usize, usize)) {
    let n = text.len();
    if n == 0 {
        return;
    }
    let mut base = 0;
    let mut word = block_mask(text, 0);
    // Byte `base - 1`: whether it is a word byte, and whether it belongs to a run of two or
    // more (then the run is open, from `open`).
    let (mut last, mut kept_last, mut open) = (0u64, 0u64, 0usize);
    loop {
        let next_base = base + 64;
        let next = if next_base < n {
            block_mask(text, next_base)
        } else {
            0
        };
        // Word bytes with a word byte next to them: the runs of two bytes or more.
        let keep = word & ((word << 1) | last | (word >> 1) | (next << 63));
        // Bit i of `before`: byte i - 1 is kept (for i = 0, the previous block's last).
        let before = (keep << 1) | kept_last;
        let mut starts = keep & !before;
        let mut ends = !keep & before;
        // Runs alternate with gaps, so each end closes the run that started last: the open
        // run for the block's first end when there is one, else the block's first start.
        // Taken without a branch: with no start left, `start` is past the block, and unused.
        let mut next_start = || {
            let start = base + starts.trailing_zeros() as usize;
            starts &= starts.wrapping_sub(1);
            start
        };
        let mut start = if kept_last != 0 { open } else { next_start() };
        while ends != 0 {
            let end = base + ends.trailing_zeros() as usize;
            ends &= ends - 1;
            // The one call of `f`, so that it is inlined here.
            f(start, end);
            start = next_start();
        }
        // A run that reaches the block's last byte stays open.
        open = start;
        kept_last = keep >> 63;
        last = word >> 63;
        if next_base >= n && kept_last == 0 {
            return;
        }
        // Past the text's last block only when a run reaches its last byte: the next (and
        // final) pass, over no byte at `n`, ends that run there.
        base = next_base;
        word = next;
    }
}

/// The word bytes (`[0-9A-Za-z_]`) of the block of `text` at `base` (below its length): 64
/// bytes, or the text's last ones, the bits past its end clear.
#[inline(always)]
fn block_mask(text: &[u8], base: usize) -> u64 {
    let n = text.len();
    if let Some(block) = text.get(base..).and_then(<[u8]>::first_chunk::<64>) {
        return word_mask_64(block);
    }
    let len = n - base;
    if let Some(from) = n.checked_sub(64) {
        // The 64 bytes that end the text, those before `base` shifted out.
        let block = text[from..].first_chunk::<64>().expect("64 bytes");
        word_mask_64(block) >> (64 - len)
    } else {
        short_mask(text)
    }
}

/// [`block_mask`] of a whole text shorter than 64 bytes, padded with zeros (not word bytes).
#[inline(never)]
fn short_mask(text: &[u8]) -> u64 {
    let mut block = [0u8; 64];
    block[..text.len()].copy_from_slice(text);
    word_mask_64(&block)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::xorshift;
    use stance_features::analyzer::default_token_spans;

    fn spans(text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        in_place_tokens(text.as_bytes(), |s, e| out.push((s, e)));
        out
    }

    fn reference(text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        default_token_spans(text, |s, e| out.push((s, e)));
        out
    }

    /// Texts of ASCII words, single word bytes, punctuation and the separators a text read in
    /// place may hold, of every length around the 64-byte blocks, get the general rule's spans.
    #[test]
    fn tokens_are_the_default_rules() {
        const PIECES: &[&str] = &[
            "a",
            "I",
            "s",
            "_",
            "9",
            "ab",
            "Kyiv",
            "x_1",
            "__",
            "2026",
            "talks",
            "TRUCE",
            "internationalisation",
            " ",
            " ",
            "  ",
            ".",
            "'",
            "-",
            ",\n",
            "\u{2019}",
            "\u{2014}",
            "\u{a0}",
            "\u{201c}",
            "…",
            "\t",
            "~",
            "\u{7f}",
        ];
        let mut x = 0x853c_49e6_748f_ea9b_u64;
        let mut texts: Vec<String> = Vec::new();
        for i in 0..4000 {
            let pieces = (xorshift(&mut x) % 60) as usize;
            let mut text = String::new();
            for _ in 0..pieces {
                let r = xorshift(&mut x) as usize;
                // Sometimes mostly word pieces (long runs across blocks), sometimes mostly not.
                let k = if i % 3 == 0 { r % 14 } else { r % PIECES.len() };
                text.push_str(PIECES[k]);
            }
            texts.push(text);
        }
        // Runs of every length ending at and crossing every block boundary.
        for len in 0..200 {
            for run in [1, 2, 3, 63, 64, 65, 130] {
                let mut text = " ".repeat(len);
                text.push_str(&"w".repeat(run));
                texts.push(text.clone());
                text.push('.');
                texts.push(text.clone());
                texts.push(format!("a{text}b"));
            }
        }
        for text in &texts {
            assert_eq!(spans(text), reference(text), "{text:?}");
        }
    }
}
