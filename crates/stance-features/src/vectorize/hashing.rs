//! `HashingVectorizer`: features hashed to columns with MurmurHash3, no vocabulary, no fitting.

use serde::{Deserialize, Serialize};
use sprs::CsMat;

use super::murmur3::{murmur3_span, murmurhash3_32};
use super::{Element, Norm, assemble, par_blocks};
use crate::Error;
use crate::analyzer::{Analyzer, AnalyzerBuffer, AnalyzerParams, default_token_spans};

/// scikit-learn's `HashingVectorizer` parameters.
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `analyzer` | word unigrams, lowercase | see [`AnalyzerParams`] |
/// | `n_features` | 2^20 | number of columns, in [1, 2^31 - 1] |
/// | `alternate_sign` | `true` | the hash's sign bit gives the value's sign, so collisions cancel on average |
/// | `norm` | `l2` | row normalization |
/// | `binary` | `false` | every stored value becomes 1 |
///
/// As in scikit-learn, features whose signed hashes cancel out in a document leave an explicit
/// zero in the matrix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HashingParams {
    /// How documents become features.
    pub analyzer: AnalyzerParams,
    /// Number of columns.
    pub n_features: usize,
    /// Signed hashing.
    pub alternate_sign: bool,
    /// Row normalization.
    pub norm: Norm,
    /// Presence instead of counts.
    pub binary: bool,
}

impl Default for HashingParams {
    fn default() -> Self {
        HashingParams {
            analyzer: AnalyzerParams::default(),
            n_features: 1 << 20,
            alternate_sign: true,
            norm: Norm::L2,
            binary: false,
        }
    }
}

impl HashingParams {
    /// Validates the parameters and compiles the analyzer.
    pub fn check(&self) -> Result<HashingVectorizer, Error> {
        if self.n_features == 0 || self.n_features > i32::MAX as usize {
            return Err(Error::InvalidFeatureCount {
                name: "n_features",
                value: self.n_features,
                reason: "must lie in [1, 2^31 - 1]",
            });
        }
        Ok(HashingVectorizer {
            params: self.clone(),
            analyzer: self.analyzer.check()?,
        })
    }
}

/// The column and sign scikit-learn gives the feature `name` with `n_features` columns.
#[inline]
pub fn hash_feature(name: &[u8], n_features: usize) -> (usize, f64) {
    let h = murmurhash3_32(name, 0);
    let sign = if h >= 0 { 1.0 } else { -1.0 };
    (column(h as u32, n_features as u32) as usize, sign)
}

/// The column of the feature whose hash is `h` (as unsigned) with `n` columns: `abs(h) % n`.
///
/// scikit-learn special-cases the most negative int32, whose abs() overflows, with
/// `(2^31 - 1 - (n - 1)) % n`; that is `(2^31 - n) % n = 2^31 % n`, which the unsigned abs() gives
/// without the case. n <= 2^31 - 1 is checked, so 32-bit arithmetic is exact (and much cheaper
/// than a 64-bit division); a power of two needs no division at all.
#[inline(always)]
fn column(h: u32, n: u32) -> u32 {
    let magnitude = (h as i32).unsigned_abs();
    if n.is_power_of_two() {
        magnitude & (n - 1)
    } else {
        magnitude % n
    }
}

/// How a hash becomes a sort key: column << 1 | (1 when the value is negative).
#[derive(Clone, Copy)]
struct KeyRule {
    n_features: u32,
    /// `n_features - 1` when `n_features` is a power of two, else 0. Tested once here instead
    /// of per key in [`column`] (`is_power_of_two` is a software popcount on baseline x86-64).
    mask: u32,
    /// 1 with signed hashing, else 0: the bit of the sign to keep.
    sign: u32,
}

impl KeyRule {
    fn new(p: &HashingParams) -> KeyRule {
        let n = p.n_features as u32;
        KeyRule {
            n_features: n,
            mask: if n.is_power_of_two() { n - 1 } else { 0 },
            sign: u32::from(p.alternate_sign),
        }
    }

    #[inline(always)]
    fn key(self, h: u32) -> u32 {
        let magnitude = (h as i32).unsigned_abs();
        // n_features = 1 has mask 0 and takes the division, which gives 0 as well.
        let column = if self.mask != 0 {
            magnitude & self.mask
        } else {
            magnitude % self.n_features
        };
        (column << 1) | ((h >> 31) & self.sign)
    }
}

/// The bits of the largest key (column << 1 | sign) with `n_features` columns.
fn key_bits(n_features: usize) -> u32 {
    u32::BITS - (((n_features - 1) << 1) as u32 | 1).leading_zeros()
}

/// Documents with fewer keys are sorted by comparisons: the counting passes cost more than they
/// save on them.
const RADIX_MIN: usize = 64;

/// Sorts `keys`, all below 2^`bits`, `spare` the second buffer: by comparisons when they are
/// few, in buckets for a usual document (see [`bucket_sort`]), and for a long one by a
/// least-significant-digit radix sort, a digit per pass. The passes are as few as 8-bit digits
/// allow, and the digits 7 bits wide when that is enough (for 2^20 columns, three passes of 7
/// bits): the counts of a pass are then half as many to zero and to sum.
fn radix_sort(keys: &mut Vec<u32>, spare: &mut Vec<u32>, bits: u32) {
    if keys.len() < RADIX_MIN {
        keys.sort_unstable();
        return;
    }
    if keys.len() <= BUCKETED_MAX {
        bucket_sort(keys, spare, bits);
        return;
    }
    let passes = bits.div_ceil(8).max(1);
    let narrow = bits <= 7 * passes;
    match (passes, narrow) {
        (1, true) => radix_passes::<1, 128>(keys, spare),
        (1, false) => radix_passes::<1, 256>(keys, spare),
        (2, true) => radix_passes::<2, 128>(keys, spare),
        (2, false) => radix_passes::<2, 256>(keys, spare),
        (3, true) => radix_passes::<3, 128>(keys, spare),
        (3, false) => radix_passes::<3, 256>(keys, spare),
        (_, true) => radix_passes::<4, 128>(keys, spare),
        (_, false) => radix_passes::<4, 256>(keys, spare),
    }
}

/// Documents with at most this many keys are sorted by [`bucket_sort`]: with 256 buckets, a few
/// keys per bucket.
const BUCKETED_MAX: usize = 2048;

/// Sorts `keys`, all below 2^`bits`, with `spare` the second buffer: one counting pass on the
/// top 8 bits, which leaves the keys in 256 buckets, each below the next, then an insertion
/// sort of the whole, which moves each key only within its bucket. Random keys (hashes) put
/// `n / 256` in a bucket, so with `n` up to [`BUCKETED_MAX`] that sort moves a key a few places
/// at most: one pass and a comparison per key instead of a radix sort's two to four passes.
fn bucket_sort(keys: &mut Vec<u32>, spare: &mut Vec<u32>, bits: u32) {
    let shift = bits.saturating_sub(8);
    let bucket = |k: u32| (k >> shift) as usize & 255;
    let mut counts = [0u32; 256];
    for &k in keys.iter() {
        counts[bucket(k)] += 1;
    }
    let mut start = 0;
    for c in counts.iter_mut() {
        (*c, start) = (start, start + *c);
    }
    let n = keys.len();
    if spare.len() < n {
        spare.resize(n, 0);
    }
    for &k in keys.iter() {
        let slot = &mut counts[bucket(k)];
        spare[*slot as usize] = k;
        *slot += 1;
    }
    std::mem::swap(keys, spare);
    keys.truncate(n);
    for i in 1..n {
        let k = keys[i];
        if keys[i - 1] <= k {
            continue;
        }
        let mut j = i;
        while j > 0 && keys[j - 1] > k {
            keys[j] = keys[j - 1];
            j -= 1;
        }
        keys[j] = k;
    }
}

/// The `P` passes of [`radix_sort`] with digits of `B` values (`B` a power of two), every pass's
/// counts taken in one read of the keys.
fn radix_passes<const P: usize, const B: usize>(keys: &mut Vec<u32>, spare: &mut Vec<u32>) {
    let width = B.trailing_zeros() as usize;
    let digit = |k: u32, p: usize| (k >> (width * p)) as usize & (B - 1);
    let mut counts = [[0u32; B]; P];
    for &k in keys.iter() {
        for (p, c) in counts.iter_mut().enumerate() {
            c[digit(k, p)] += 1;
        }
    }
    // The spare buffer only grows: its stale contents are never read, as every pass writes
    // each of the first `n` slots once before the swap makes them the keys.
    let n = keys.len();
    if spare.len() < n {
        spare.resize(n, 0);
    }
    for (p, c) in counts.iter_mut().enumerate() {
        if c[digit(keys[0], p)] as usize == n {
            // Every key has the same digit here: the pass would keep the order.
            continue;
        }
        let mut start = 0;
        for n in c.iter_mut() {
            (*n, start) = (start, start + *n);
        }
        for &k in &keys[..n] {
            let slot = &mut c[digit(k, p)];
            spare[*slot as usize] = k;
            *slot += 1;
        }
        std::mem::swap(keys, spare);
    }
    // After an odd number of passes the keys are in the longer buffer.
    keys.truncate(n);
}

/// A ready `HashingVectorizer`.
#[derive(Clone, Debug)]
pub struct HashingVectorizer {
    params: HashingParams,
    analyzer: Analyzer,
}

impl HashingVectorizer {
    /// The parameters.
    pub fn params(&self) -> &HashingParams {
        &self.params
    }

    /// The hashed feature matrix of `docs`.
    pub fn transform<T: Element, D: AsRef<str> + Sync>(&self, docs: &[D]) -> CsMat<T> {
        let p = &self.params;
        let workers = par_blocks(
            docs,
            4,
            |bytes| HashWorker {
                buf: AnalyzerBuffer::default(),
                keys: Vec::new(),
                spare: Vec::new(),
                columns: Vec::new(),
                values: Vec::new(),
                lens: Vec::new(),
                // English prose stores about one value per 12 bytes: room for more, so that the
                // arrays rarely grow (and copy); untouched capacity costs no memory.
                indices: Vec::with_capacity(bytes / 6),
                data: Vec::with_capacity(bytes / 6),
            },
            |w, doc| w.add(&self.analyzer, p, doc),
        );
        let parts = workers
            .into_iter()
            .map(|w| (w.lens, w.indices, w.data))
            .collect();
        assemble(parts, p.n_features)
    }
}

struct HashWorker<T> {
    buf: AnalyzerBuffer,
    /// One key per feature occurrence: column << 1 | (1 when the sign is negative), which fits
    /// in 32 bits since a column is below 2^31 - 1.
    keys: Vec<u32>,
    /// The radix sort's second buffer.
    spare: Vec<u32>,
    /// The row's distinct columns and their values (scratch, only grown).
    columns: Vec<u32>,
    values: Vec<f64>,
    lens: Vec<usize>,
    indices: Vec<usize>,
    data: Vec<T>,
}

impl<T: Element> HashWorker<T> {
    fn add(&mut self, analyzer: &Analyzer, p: &HashingParams, doc: &str) {
        let keys = &mut self.keys;
        keys.clear();
        let rule = KeyRule::new(p);
        if analyzer.features_are_tokens() {
            // The tokens' spans, each hashed where it lies in the preprocessed text (reading
            // past its end, which a slice of the token would not allow).
            let text = analyzer.preprocess(doc, &mut self.buf.pre).text();
            let bytes = text.as_bytes();
            default_token_spans(text, |s, e| keys.push(rule.key(murmur3_span(bytes, s, e))));
        } else {
            analyzer.for_each_feature(doc, &mut self.buf, |f| {
                keys.push(rule.key(murmurhash3_32(f.as_bytes(), 0) as u32));
            });
        }
        radix_sort(keys, &mut self.spare, key_bits(p.n_features));
        // The runs of equal columns summed without a branch per key (whether a key starts a
        // new column is unpredictable): every key writes its column and its run's sum so far to
        // the run's slot, which a new column moves on. The sums are of ±1, integers, which `f64`
        // holds exactly, so converting the integer sum equals adding the ±1.0 in key order.
        // The scratch rows only grow: the first `distinct` slots are written before being read.
        let n = keys.len();
        if self.columns.len() < n {
            self.columns.resize(n, 0);
            self.values.resize(n, 0.0);
        }
        let (columns, values) = (&mut self.columns[..n], &mut self.values[..n]);
        let mut distinct = 0usize;
        let mut previous = u32::MAX;
        let mut sum = 0i64;
        for &key in keys.iter() {
            let column = key >> 1;
            let new = column != previous;
            distinct += usize::from(new);
            // 0 when the key starts a column, else all ones: keeps the run's sum.
            let keep = i64::from(new) - 1;
            sum = (sum & keep) + 1 - 2 * i64::from(key & 1);
            columns[distinct - 1] = column;
            values[distinct - 1] = sum as f64;
            previous = column;
        }
        self.indices
            .extend(columns[..distinct].iter().map(|&c| c as usize));
        let values = &mut values[..distinct];
        if p.binary {
            // scikit-learn sets every stored value to 1, cancelled collisions included.
            values.iter_mut().for_each(|v| *v = 1.0);
        }
        // A collision that cancelled out stays stored as an explicit zero, as in scikit-learn, so
        // the two matrices have the same structure, not only the same values.
        p.norm.apply(values);
        self.data.extend(values.iter().map(|&v| T::from_f64(v)));
        self.lens.push(distinct);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_signs_follow_scikit_learn() {
        // murmurhash3_32(b"foo", 0) = -156908512
        assert_eq!(hash_feature(b"foo", 1 << 18), (156908512 % (1 << 18), -1.0));
        let v = HashingParams {
            n_features: 16,
            norm: Norm::None,
            ..HashingParams::default()
        }
        .check()
        .unwrap();
        let m: CsMat<f64> = v.transform(&["foo foo bar", ""]);
        assert_eq!(m.shape(), (2, 16));
        assert_eq!(m.outer_view(1).unwrap().nnz(), 0);
        let (c, s) = hash_feature(b"foo", 16);
        assert_eq!(m.get(0, c).copied(), Some(2.0 * s));
    }

    #[test]
    fn columns_for_any_n_features_match_the_64_bit_formula() {
        let reference = |h: i32, n: i64| {
            if h == i32::MIN {
                (i64::from(i32::MAX) - (n - 1)) % n
            } else {
                i64::from(h).abs() % n
            }
        };
        for n in [
            1usize,
            2,
            3,
            1000,
            1 << 18,
            (1 << 20) + 7,
            i32::MAX as usize,
        ] {
            for name in ["foo", "", "truce", "ceasefire talks", "é"] {
                let h = murmurhash3_32(name.as_bytes(), 0);
                assert_eq!(
                    hash_feature(name.as_bytes(), n).0 as i64,
                    reference(h, n as i64)
                );
            }
        }
    }

    #[test]
    fn radix_sort_sorts_like_sort_unstable() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut spare = Vec::new();
        // Every pass count with both digit widths: 1 to 4 passes of 7 bits (2^3, 1000, 2^20, 2^27
        // columns) and of 8 bits (2^7, 2^15, 2^23, 2^31 - 1).
        for n_features in [
            1usize,
            2,
            8,
            16,
            128,
            1000,
            1 << 15,
            1 << 18,
            1 << 20,
            1 << 23,
            1 << 27,
            i32::MAX as usize,
        ] {
            let bits = key_bits(n_features);
            let max = (((n_features - 1) as u64) << 1) | 1;
            assert_eq!(u64::BITS - max.leading_zeros(), bits, "{n_features}");
            for len in [
                0,
                1,
                5,
                RADIX_MIN - 1,
                RADIX_MIN,
                300,
                BUCKETED_MAX,
                BUCKETED_MAX + 1,
                5000,
            ] {
                let mut keys: Vec<u32> = (0..len)
                    .map(|_| (crate::testing::xorshift(&mut state) % (max + 1)) as u32)
                    .collect();
                // Repeated keys, as repeated words give.
                let half = keys.len() / 2;
                keys.truncate(keys.len() - half / 2);
                keys.extend_from_within(..half / 2);
                let mut want = keys.clone();
                want.sort_unstable();
                radix_sort(&mut keys, &mut spare, bits);
                assert_eq!(keys, want, "n_features {n_features}, {len} keys");
            }
        }
    }

    #[test]
    fn columns_of_any_hash_follow_scikit_learns_formula() {
        // scikit-learn: abs(h) % n, and (2^31 - 1 - (n - 1)) % n for h = -2^31.
        let reference = |h: i32, n: i64| {
            if h == i32::MIN {
                (i64::from(i32::MAX) - (n - 1)) % n
            } else {
                i64::from(h).abs() % n
            }
        };
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut hashes = vec![0, 1, -1, 2, -2, i32::MIN, i32::MIN + 1, i32::MAX, 1 << 30];
        hashes.extend((0..2000).map(|_| crate::testing::xorshift(&mut state) as i32));
        for n in [
            1u32,
            2,
            3,
            16,
            1000,
            1 << 18,
            (1 << 20) + 7,
            1 << 30,
            i32::MAX as u32,
        ] {
            for &h in &hashes {
                let want = reference(h, i64::from(n));
                assert_eq!(i64::from(column(h as u32, n)), want, "h {h}, n {n}");
            }
        }
    }

    /// Documents that stress the token path: capitals that Python lowercases to other lengths or
    /// to several characters ('İ', the Kelvin sign), final and non-final sigma, titlecase
    /// digraphs, accents, curly quotes, underscores, digits, empty and blank documents, long
    /// tokens, and tokens of every length ending the document (where a hash cannot read past
    /// the token).
    fn tricky_docs() -> Vec<String> {
        let mut docs: Vec<String> = [
            "",
            "   ",
            "a",
            "Moscow REJECTED İstanbul's “ceasefire” plan",
            "ΟΔΥΣΣΕΥΣ ΣΊΣΥΦΟΣ σίσυφος",
            "Ǆemal ǅemal ǆemal DŽ",
            "Café CRÈME brûlée ÀÉÎÕÜ naïve",
            "‘single’ “double” «guillemets» — dash… ellipsis",
            "snake_case __init__ x_1 _ __ A_B",
            "12 345 67890 3.14 1,000,000 2nd",
            "the \u{212A}elvin sign: \u{212A}ELVIN 5\u{212A}",
            "Supercalifragilisticexpialidocious ANTIDISESTABLISHMENTARIANISM \
             floccinaucinihilipilification",
            "ÉCOLE école Ecole ECOLE",
            "tab\tand\nnewline\r\nFEED\u{c}x",
            "ﬁnancial ﬂight ＦＵＬＬ ｗｉｄｔｈ ²³",
            "日本語のテキスト 中文 한국어 العربية",
            "emoji 😀 ZWJ 👩‍👩‍👧 mixed😀Word",
        ]
        .map(String::from)
        .to_vec();
        for len in 1..=20 {
            let token = &"AbCdEfGhIjKlMnOpQrStU"[..len];
            docs.push(format!("Ends with {token}"));
            docs.push(token.to_string());
            docs.push(format!("{token}é"));
        }
        // Pseudo-random documents over ASCII and non-ASCII letters (capitals included),
        // separators and digits.
        let alphabet: Vec<char> = "aZ_9 .,-'ÉéİıΣσςǅﬁ“”\n\u{212A}x".chars().collect();
        let mut state = 0x5851_f42d_4c95_7f2d_u64;
        for len in [5, 17, 63, 64, 65, 200] {
            for _ in 0..20 {
                let doc: String = (0..len)
                    .map(|_| {
                        let x = crate::testing::xorshift(&mut state);
                        alphabet[(x % alphabet.len() as u64) as usize]
                    })
                    .collect();
                docs.push(doc);
            }
        }
        docs
    }

    /// A row as the definition gives it: the analyzer's features, each hashed to a column and a
    /// sign, summed per column in column order, then binary and the norm.
    fn reference_row(analyzer: &Analyzer, p: &HashingParams, doc: &str) -> (Vec<usize>, Vec<f64>) {
        let mut sums = std::collections::BTreeMap::new();
        for f in analyzer.analyze(doc) {
            let (column, sign) = hash_feature(f.as_bytes(), p.n_features);
            let v = if p.alternate_sign { sign } else { 1.0 };
            *sums.entry(column).or_insert(0.0) += v;
        }
        let (columns, mut values): (Vec<usize>, Vec<f64>) = sums.into_iter().unzip();
        if p.binary {
            values.iter_mut().for_each(|v| *v = 1.0);
        }
        p.norm.apply(&mut values);
        (columns, values)
    }

    /// Asserts that `p`'s transform of `docs` is every document's [`reference_row`], bit for
    /// bit.
    fn assert_rows_are_the_definition(analyzer: &Analyzer, p: &HashingParams, docs: &[String]) {
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        let m: CsMat<f64> = p.check().unwrap().transform(docs);
        assert_eq!(m.shape(), (docs.len(), p.n_features));
        for (row, doc) in docs.iter().enumerate() {
            let got = m.outer_view(row).unwrap();
            let (columns, values) = reference_row(analyzer, p, doc);
            assert_eq!(got.indices(), columns, "{doc:?} {p:?} row {row}");
            assert_eq!(bits(got.data()), bits(&values), "{doc:?} {p:?} row {row}");
        }
    }

    #[test]
    fn transform_matches_the_definition_on_tricky_documents() {
        use crate::analyzer::{
            CharParams, Language, NgramRange, Normalization, Preprocess, Stemming, StopWords,
            StripAccents, TokenPattern, WordParams,
        };
        let docs = tricky_docs();
        let word = |f: &dyn Fn(&mut WordParams)| {
            let mut w = WordParams::default();
            f(&mut w);
            AnalyzerParams::Word(w)
        };
        let english = Language::English;
        // Analyzers whose features are the tokens (hashed in place), and ones whose are not.
        let analyzers = [
            (AnalyzerParams::default(), true),
            (word(&|w| w.preprocess.lowercase = false), true),
            (
                word(&|w| {
                    w.preprocess = Preprocess {
                        normalization: Normalization::Nfkc,
                        lowercase: true,
                        strip_accents: StripAccents::Unicode,
                    }
                }),
                true,
            ),
            (
                word(&|w| w.preprocess.strip_accents = StripAccents::Ascii),
                true,
            ),
            (
                word(&|w| w.stop_words = StopWords::Builtin { language: english }),
                false,
            ),
            (
                word(&|w| w.stemmer = Stemming::Snowball { language: english }),
                false,
            ),
            (
                word(&|w| w.ngram_range = NgramRange::new(1, 2).unwrap()),
                false,
            ),
            (
                word(&|w| w.ngram_range = NgramRange::new(2, 2).unwrap()),
                false,
            ),
            (
                word(&|w| {
                    w.token_pattern = TokenPattern::Regex {
                        pattern: r"(?u)\b\w+\b".to_string(),
                    }
                }),
                false,
            ),
            (
                AnalyzerParams::CharWb(CharParams {
                    ngram_range: NgramRange::new(2, 4).unwrap(),
                    ..CharParams::default()
                }),
                false,
            ),
        ];
        for (analyzer, tokens) in analyzers {
            let compiled = analyzer.check().unwrap();
            assert_eq!(compiled.features_are_tokens(), tokens, "{analyzer:?}");
            for n_features in [16, 1000, 1 << 18, 1 << 20] {
                for (alternate_sign, binary, norm) in [
                    (true, false, Norm::L2),
                    (false, false, Norm::L2),
                    (true, true, Norm::L1),
                    (true, false, Norm::None),
                    (false, true, Norm::None),
                ] {
                    let p = HashingParams {
                        analyzer: analyzer.clone(),
                        n_features,
                        alternate_sign,
                        norm,
                        binary,
                    };
                    assert_rows_are_the_definition(&compiled, &p, &docs);
                }
            }
        }
    }

    #[test]
    fn rows_of_few_columns_match_the_definition() {
        // With 1 to 3 columns every row is runs of one column, whose signs cancel or not: the
        // branch-free row builder's sums, explicit zeros and slots at every length of key list
        // (below 64 keys, bucketed, radix-sorted).
        let words = [
            "foo", "bar", "truce", "talks", "moscow", "kyiv", "the", "a1", "zz",
        ];
        let mut state = 0x1234_5678_9abc_def1_u64;
        let mut docs: Vec<String> = vec![String::new(), "foo".into(), "foo foo".into()];
        for len in [1, 2, 3, 63, 64, 65, 500, 2048, 2049, 5000] {
            let doc: Vec<&str> = (0..len)
                .map(|_| {
                    words[(crate::testing::xorshift(&mut state) % words.len() as u64) as usize]
                })
                .collect();
            docs.push(doc.join(" "));
        }
        let compiled = AnalyzerParams::default().check().unwrap();
        for n_features in [1, 2, 3, 1 << 20] {
            for (alternate_sign, binary, norm) in [
                (true, false, Norm::L2),
                (true, false, Norm::None),
                (true, true, Norm::L1),
                (false, false, Norm::L1),
            ] {
                let p = HashingParams {
                    n_features,
                    alternate_sign,
                    norm,
                    binary,
                    ..HashingParams::default()
                };
                assert_rows_are_the_definition(&compiled, &p, &docs);
            }
        }
    }

    #[test]
    fn n_features_is_validated() {
        for n in [0, 1usize << 31] {
            let p = HashingParams {
                n_features: n,
                ..HashingParams::default()
            };
            assert!(matches!(p.check(), Err(Error::InvalidFeatureCount { .. })));
        }
    }
}
