//! `CountVectorizer`: term counts over a vocabulary learned from the corpus (or given).

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sprs::CsMat;

use super::sort::sort_by_bytes;
use super::terms::{DocCounts, NONE, SpaceCounter, TermSpace};
use super::vocabulary::{Vocabulary, VocabularyCounter};
use super::{Element, Norm, Weighting, counts_to_csr, counts_to_parts, par_blocks};
use crate::Error;
use crate::analyzer::{Analyzer, AnalyzerParams};

/// A document-frequency bound: a number of documents, or a fraction of them (scikit-learn's
/// int-or-float `min_df` / `max_df`). In JSON/TOML, `2` is a count and `2.0` or `0.5` a fraction.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DocFrequency {
    /// At least / at most this many documents.
    Count(usize),
    /// At least / at most this fraction of the documents, in [0, 1].
    Fraction(f64),
}

impl std::str::FromStr for DocFrequency {
    type Err = Error;

    /// scikit-learn's rule: an integer (`"2"`) is a count, any other number (`"2.0"`, `"0.5"`)
    /// a fraction. The range of a fraction is checked when the parameters are.
    fn from_str(s: &str) -> Result<DocFrequency, Error> {
        if let Ok(count) = s.trim().parse::<usize>() {
            return Ok(DocFrequency::Count(count));
        }
        match s.trim().parse::<f64>() {
            Ok(fraction) if fraction.is_finite() => Ok(DocFrequency::Fraction(fraction)),
            _ => Err(Error::InvalidValue {
                what: "document frequency",
                value: s.to_string(),
                expected: "a number of documents (2) or a fraction of them (0.5)".into(),
            }),
        }
    }
}

impl DocFrequency {
    fn check(self, name: &'static str) -> Result<(), Error> {
        match self {
            DocFrequency::Fraction(value) if !(0.0..=1.0).contains(&value) => {
                Err(Error::InvalidDocumentFrequency { name, value })
            }
            _ => Ok(()),
        }
    }

    /// The bound in documents, for a corpus of `n_docs`.
    fn documents(self, n_docs: usize) -> f64 {
        match self {
            DocFrequency::Count(c) => c as f64,
            DocFrequency::Fraction(f) => f * n_docs as f64,
        }
    }
}

/// scikit-learn's `CountVectorizer` parameters.
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `analyzer` | word unigrams, lowercase | see [`AnalyzerParams`] |
/// | `min_df` | `1` | drop terms in fewer documents (count, or fraction in [0, 1]) |
/// | `max_df` | `1.0` | drop terms in more documents (count, or fraction in [0, 1]) |
/// | `max_features` | none | keep the terms with the highest total counts (≥ 1) |
/// | `vocabulary` | none | a fixed list of terms, in column order; disables the three above |
/// | `binary` | `false` | every non-zero count becomes 1 |
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CountParams {
    /// How documents become features.
    pub analyzer: AnalyzerParams,
    /// Minimum document frequency.
    pub min_df: DocFrequency,
    /// Maximum document frequency.
    pub max_df: DocFrequency,
    /// Keep at most this many terms, by total count.
    pub max_features: Option<usize>,
    /// A fixed vocabulary.
    pub vocabulary: Option<Vec<String>>,
    /// Count presence instead of occurrences.
    pub binary: bool,
}

impl Default for CountParams {
    fn default() -> Self {
        CountParams {
            analyzer: AnalyzerParams::default(),
            min_df: DocFrequency::Count(1),
            max_df: DocFrequency::Fraction(1.0),
            max_features: None,
            vocabulary: None,
            binary: false,
        }
    }
}

/// A fitted `CountVectorizer`.
#[derive(Clone, Debug)]
pub struct CountVectorizer {
    params: CountParams,
    analyzer: Analyzer,
    vocabulary: Vocabulary,
}

impl CountParams {
    /// Validates every parameter and compiles the analyzer.
    pub fn check(&self) -> Result<Analyzer, Error> {
        self.min_df.check("min_df")?;
        self.max_df.check("max_df")?;
        if self.max_features == Some(0) {
            return Err(Error::InvalidFeatureCount {
                name: "max_features",
                value: 0,
                reason: "must be at least 1",
            });
        }
        if let Some(v) = &self.vocabulary {
            Vocabulary::new(v)?;
        }
        self.analyzer.check()
    }

    /// Learns the vocabulary of `docs`.
    pub fn fit<D: AsRef<str> + Sync>(&self, docs: &[D]) -> Result<CountVectorizer, Error> {
        let analyzer = self.check()?;
        let counted = fit_counts(self, &analyzer, docs)?;
        Ok(CountVectorizer::fitted(
            self.clone(),
            analyzer,
            counted.names.build(),
        ))
    }

    /// Learns the vocabulary of `docs` and returns their count matrix.
    pub fn fit_transform<T: Element, D: AsRef<str> + Sync>(
        &self,
        docs: &[D],
    ) -> Result<(CountVectorizer, CsMat<T>), Error> {
        let analyzer = self.check()?;
        let Counted {
            names,
            blocks,
            columns,
            ..
        } = fit_counts(self, &analyzer, docs)?;
        let n_columns = names.len();
        // sprs checks the matrix while the vocabulary's look-up table is built (see
        // `TfidfParams::fit_transform`).
        let parts = counts_to_parts(&blocks, &columns, n_columns, self.weighting());
        let (matrix, vocabulary) = rayon::join(|| parts.into_matrix(), || names.build());
        Ok((
            CountVectorizer::fitted(self.clone(), analyzer, vocabulary),
            matrix,
        ))
    }

    fn weighting(&self) -> Weighting<'static> {
        Weighting {
            binary: self.binary,
            sublinear_tf: false,
            idf: None,
            norm: Norm::None,
        }
    }
}

impl CountVectorizer {
    pub(crate) fn fitted(
        params: CountParams,
        analyzer: Analyzer,
        vocabulary: Vocabulary,
    ) -> CountVectorizer {
        CountVectorizer {
            params,
            analyzer,
            vocabulary,
        }
    }

    /// A fitted vectorizer from its parameters and a saved vocabulary (column order kept).
    pub fn from_vocabulary<S: AsRef<str>>(
        params: CountParams,
        names: &[S],
    ) -> Result<CountVectorizer, Error> {
        let analyzer = params.check()?;
        let vocabulary = Vocabulary::new(names)?;
        Ok(CountVectorizer {
            params,
            analyzer,
            vocabulary,
        })
    }

    /// The parameters it was fitted with.
    pub fn params(&self) -> &CountParams {
        &self.params
    }

    /// The compiled analyzer.
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// The learned vocabulary.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// Feature names in column order (`get_feature_names_out`).
    pub fn feature_names(&self) -> Vec<String> {
        self.vocabulary.names().map(str::to_owned).collect()
    }

    /// The count matrix of `docs` over the fitted vocabulary.
    pub fn transform<T: Element, D: AsRef<str> + Sync>(&self, docs: &[D]) -> CsMat<T> {
        let blocks = self.count(docs);
        counts_to_csr(&blocks, &[], self.vocabulary.len(), self.params.weighting())
    }

    /// Per-block counts of `docs` in columns of the fitted vocabulary.
    pub(crate) fn count<D: AsRef<str> + Sync>(&self, docs: &[D]) -> Vec<DocCounts> {
        count_with_vocabulary(&self.analyzer, &self.vocabulary, docs)
    }
}

fn count_with_vocabulary<D: AsRef<str> + Sync>(
    analyzer: &Analyzer,
    vocabulary: &Vocabulary,
    docs: &[D],
) -> Vec<DocCounts> {
    par_blocks(
        docs,
        4,
        |_| VocabularyCounter::new(analyzer, vocabulary),
        |w, doc| w.add(doc),
    )
    .into_iter()
    .map(|w| w.out)
    .collect()
}

/// The vocabulary [`fit_counts`] learned: given, or names in column order whose look-up table
/// is yet to build (so that a caller can build it while doing something else).
pub(crate) enum Names {
    Built(Vocabulary),
    /// Distinct names: column `i` is `arena[spans[i].0..spans[i].1]`.
    Distinct(Vec<u8>, Vec<(usize, usize)>),
}

impl Names {
    /// The number of columns.
    pub(crate) fn len(&self) -> usize {
        match self {
            Names::Built(v) => v.len(),
            Names::Distinct(_, spans) => spans.len(),
        }
    }

    /// The vocabulary, with its look-up table.
    pub(crate) fn build(self) -> Vocabulary {
        match self {
            Names::Built(v) => v,
            Names::Distinct(arena, spans) => Vocabulary::from_distinct(arena, spans),
        }
    }
}

/// Counts per block of documents, and how to read them as columns of the vocabulary.
pub(crate) struct Counted {
    pub(crate) names: Names,
    pub(crate) blocks: Vec<DocCounts>,
    /// Per block, its ids → columns ([`NONE`] for pruned terms); `None` when ids are columns.
    pub(crate) columns: Vec<Option<Vec<u32>>>,
    /// Documents containing each column.
    pub(crate) df: Vec<u64>,
}

/// Counts `docs`, learns the vocabulary scikit-learn would (sorted, pruned by `min_df`, `max_df`,
/// `max_features`) or takes the fixed one, and returns the counts with their column maps.
pub(crate) fn fit_counts<D: AsRef<str> + Sync>(
    params: &CountParams,
    analyzer: &Analyzer,
    docs: &[D],
) -> Result<Counted, Error> {
    if let Some(names) = &params.vocabulary {
        let vocabulary = Vocabulary::new(names)?;
        let blocks = count_with_vocabulary(analyzer, &vocabulary, docs);
        let mut df = vec![0u64; vocabulary.len()];
        for block in &blocks {
            for &c in &block.ids {
                df[c as usize] += 1;
            }
        }
        let columns = vec![None; blocks.len()];
        return Ok(Counted {
            names: Names::Built(vocabulary),
            blocks,
            columns,
            df,
        });
    }
    let workers = par_blocks(
        docs,
        1,
        |bytes| SpaceCounter::new(analyzer, params.max_features.map(|_| params.binary), bytes),
        |w, doc| w.add(doc),
    );
    // One space of term ids for the whole corpus; the first block's ids are its ids.
    let mut workers = workers.into_iter();
    let first = workers
        .next()
        .expect("par_blocks returns at least one worker");
    let mut space = first.space;
    let (mut df, mut tf) = (first.df, first.tf);
    df.resize(space.len(), 0);
    if params.max_features.is_some() {
        tf.resize(space.len(), 0);
    }
    let mut workers = workers.peekable();
    let single = workers.peek().is_none();
    let mut blocks = vec![first.out];
    // Each block keeps its own document frequencies (see `DocCounts::df`); the first block's
    // become the corpus's, so they are copied when other blocks add to them, and moved to the
    // block at the end otherwise.
    if !single {
        // Copied in parallel, as are the other passes over every term here (a few hundred
        // thousand with bigrams) that need no order: they would otherwise run on one thread.
        blocks[0].df = Some(df.par_iter().with_min_len(1 << 14).copied().collect());
    }
    let mut maps = vec![None];
    while let Some(w) = workers.next() {
        let map = if workers.peek().is_some() {
            space.absorb(&w.space)
        } else {
            let (merged, map) = space.absorb_last(&w.space);
            space = merged;
            map
        };
        df.resize(space.len(), 0);
        for (local, &d) in w.df.iter().enumerate() {
            df[map[local] as usize] += d;
        }
        if params.max_features.is_some() {
            tf.resize(space.len(), 0);
            for (local, &t) in w.tf.iter().enumerate() {
                tf[map[local] as usize] += t;
            }
        }
        let mut out = w.out;
        out.df = Some(w.df);
        blocks.push(out);
        maps.push(Some(map));
    }
    if df.par_iter().with_min_len(1 << 14).all(|&d| d == 0) {
        return Err(Error::EmptyVocabulary);
    }
    let n_docs = docs.len();
    let max_docs = params.max_df.documents(n_docs);
    let min_docs = params.min_df.documents(n_docs);
    if max_docs < min_docs {
        return Err(Error::DocumentFrequencyRange {
            max_docs,
            min_docs,
            n_docs,
        });
    }
    let (selected, arena, spans) =
        select_terms(&space, &df, &tf, min_docs, max_docs, params.max_features);
    if selected.is_empty() {
        return Err(Error::NoTermsAfterPruning);
    }
    let mut column: Vec<u32> = rayon::iter::repeat_n(NONE, space.len())
        .with_min_len(1 << 14)
        .collect();
    for (c, &term) in selected.iter().enumerate() {
        column[term as usize] = c as u32;
    }
    let column_df = selected
        .par_iter()
        .with_min_len(1 << 14)
        .map(|&t| u64::from(df[t as usize]))
        .collect();
    if single {
        blocks[0].df = Some(df);
    }
    // The first block's ids are the space's: it takes `column` itself, once the other blocks'
    // maps are built from it.
    let mut columns: Vec<Option<Vec<u32>>> = maps
        .into_par_iter()
        .map(|map| map.map(|m| m.iter().map(|&g| column[g as usize]).collect()))
        .collect();
    columns[0] = Some(column);
    Ok(Counted {
        names: Names::Distinct(arena, spans),
        blocks,
        columns,
        df: column_df,
    })
}

/// Names written by one chunk of terms: an arena and each name's span in it.
type NamesPart = (Vec<u8>, Vec<(usize, usize)>);

/// The terms kept, sorted by name, with their names in column order (in one arena). Terms are
/// ordered by [`TermSpace::sorted_by_name`] when it can, by their names otherwise; names are written
/// in parallel.
fn select_terms(
    space: &TermSpace,
    df: &[u32],
    tf: &[u64],
    min_docs: f64,
    max_docs: f64,
    max_features: Option<usize>,
) -> (Vec<u32>, Vec<u8>, Vec<(usize, usize)>) {
    let kept: Vec<u32> = (0..space.len() as u32)
        .into_par_iter()
        .filter(|&t| {
            let d = df[t as usize];
            d > 0 && f64::from(d) >= min_docs && f64::from(d) <= max_docs
        })
        .collect();
    let mut sorted = match space.sorted_by_name(&kept) {
        Some(sorted) => sorted,
        None => sort_by_name(space, kept),
    };
    if let Some(limit) = max_features
        && sorted.len() > limit
    {
        // Highest total count first; a tie goes to the name that sorts first.
        let mut by_count: Vec<usize> = (0..sorted.len()).collect();
        by_count.sort_by_key(|&i| std::cmp::Reverse(tf[sorted[i] as usize]));
        let mut keep = vec![false; sorted.len()];
        for &i in &by_count[..limit] {
            keep[i] = true;
        }
        let mut i = 0;
        sorted.retain(|_| {
            i += 1;
            keep[i - 1]
        });
    }
    let (arena, spans) = write_names(space, &sorted);
    (sorted, arena, spans)
}

/// The names of `terms`, in order, in one arena: each chunk of terms writes its own arena in
/// parallel, then they are joined.
fn write_names(space: &TermSpace, terms: &[u32]) -> NamesPart {
    let chunk = terms
        .len()
        .div_ceil(4 * rayon::current_num_threads())
        .max(1);
    let parts: Vec<NamesPart> = terms
        .par_chunks(chunk)
        .map(|terms| {
            let mut arena = Vec::new();
            let spans = terms
                .iter()
                .map(|&t| {
                    let start = arena.len();
                    space.write_name(t, &mut arena);
                    (start, arena.len())
                })
                .collect();
            (arena, spans)
        })
        .collect();
    let mut arena = Vec::with_capacity(parts.iter().map(|p| p.0.len()).sum());
    let mut spans = Vec::with_capacity(terms.len());
    for (part, part_spans) in parts {
        let base = arena.len();
        arena.extend_from_slice(&part);
        spans.extend(part_spans.into_iter().map(|(s, e)| (base + s, base + e)));
    }
    (arena, spans)
}

/// `terms` sorted by their names (see [`sort_by_bytes`]).
fn sort_by_name(space: &TermSpace, terms: Vec<u32>) -> Vec<u32> {
    let (arena, spans) = write_names(space, &terms);
    let positions: Vec<u32> = (0..terms.len() as u32).collect();
    sort_by_bytes(&positions, |k| {
        let (start, end) = spans[k as usize];
        &arena[start..end]
    })
    .into_iter()
    .map(|k| terms[k as usize])
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dense(m: &CsMat<f64>) -> Vec<Vec<f64>> {
        m.to_dense().outer_iter().map(|r| r.to_vec()).collect()
    }

    #[test]
    fn counts_and_vocabulary_like_scikit_learn() {
        let docs = ["Kyiv rejects the truce", "the truce holds", ""];
        let (v, m) = CountParams::default()
            .fit_transform::<f64, _>(&docs)
            .unwrap();
        assert_eq!(
            v.feature_names(),
            ["holds", "kyiv", "rejects", "the", "truce"]
        );
        assert_eq!(
            dense(&m),
            [
                vec![0.0, 1.0, 1.0, 1.0, 1.0],
                vec![1.0, 0.0, 0.0, 1.0, 1.0],
                vec![0.0; 5]
            ]
        );
        let again: CsMat<f64> = v.transform(&["truce truce unknown"]);
        assert_eq!(dense(&again), [vec![0.0, 0.0, 0.0, 0.0, 2.0]]);
    }

    #[test]
    fn document_frequency_bounds() {
        let docs = ["a1 b1", "a1 c1", "a1 b1 d1"];
        let p = CountParams {
            min_df: DocFrequency::Count(2),
            max_df: DocFrequency::Fraction(0.9),
            ..CountParams::default()
        };
        assert_eq!(p.fit(&docs).unwrap().feature_names(), ["b1"]);
        let p = CountParams {
            min_df: DocFrequency::Count(3),
            max_df: DocFrequency::Count(2),
            ..CountParams::default()
        };
        assert!(matches!(
            p.fit(&docs),
            Err(Error::DocumentFrequencyRange { .. })
        ));
        let p = CountParams {
            min_df: DocFrequency::Count(2),
            ..CountParams::default()
        };
        assert_eq!(
            p.fit(&["a1 b1", "c1 d1"]).unwrap_err(),
            Error::NoTermsAfterPruning
        );
        let p = CountParams {
            max_df: DocFrequency::Fraction(1.5),
            ..CountParams::default()
        };
        assert!(matches!(
            p.fit(&docs),
            Err(Error::InvalidDocumentFrequency { .. })
        ));
        assert_eq!(
            CountParams::default().fit(&["", "a ,"]).unwrap_err(),
            Error::EmptyVocabulary
        );
    }

    #[test]
    fn vocabulary_is_in_byte_order_with_nul_bytes_and_long_shared_prefixes() {
        use crate::analyzer::{CharParams, NgramRange};
        let p = CountParams {
            analyzer: AnalyzerParams::Char(CharParams {
                ngram_range: NgramRange::new(1, 12).unwrap(),
                ..CharParams::default()
            }),
            ..CountParams::default()
        };
        let docs = ["ab\0c", "ab", "abcdefghij1", "abcdefghij0", "ab\0\0", "é\0"];
        let names = p.fit(&docs).unwrap().feature_names();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert!(names.contains(&"ab\0".to_string()) && names.contains(&"ab".to_string()));
    }

    /// The vocabulary is every feature the analyzer yields, in byte order, whichever way the
    /// terms were ordered: by token ranks (up to two tokens, none holding a byte at or below
    /// the space), or by name (longer n-grams; tokens holding a tab, a `!` or a NUL).
    #[test]
    fn vocabulary_is_every_feature_in_byte_order() {
        use crate::analyzer::{NgramRange, TokenPattern, WordParams};
        let docs = [
            "a ab abc a\tb a!b ab! a b a\0 a\0b zz z",
            "ab a abc a\tb! b b b a a\0b z zz",
            "peace talks, peace-talks; talks peace a ab",
        ];
        for (pattern, max_n) in [
            (TokenPattern::Default, 2),
            (TokenPattern::Default, 3),
            (
                TokenPattern::Regex {
                    pattern: r"[a-z!\t\x00]+".into(),
                },
                3,
            ),
            (
                TokenPattern::Regex {
                    pattern: r"[a-z!\t\x00]+".into(),
                },
                1,
            ),
            (
                TokenPattern::Regex {
                    pattern: r"[a-z]+".into(),
                },
                2,
            ),
        ] {
            let p = CountParams {
                analyzer: AnalyzerParams::Word(WordParams {
                    token_pattern: pattern.clone(),
                    ngram_range: NgramRange::new(1, max_n).unwrap(),
                    ..WordParams::default()
                }),
                ..CountParams::default()
            };
            let mut want: Vec<String> = docs
                .iter()
                .flat_map(|d| p.analyzer.check().unwrap().analyze(d))
                .collect();
            want.sort();
            want.dedup();
            let (v, m) = p.fit_transform::<f64, _>(&docs).unwrap();
            assert_eq!(v.feature_names(), want, "{pattern:?} {max_n}");
            let again: CsMat<f64> = v.transform(&docs);
            assert_eq!(m, again, "{pattern:?} {max_n}");
        }
    }

    #[test]
    fn max_features_breaks_ties_by_name() {
        let docs = ["zz yy xx xx", "ww zz"];
        let p = CountParams {
            max_features: Some(2),
            ..CountParams::default()
        };
        assert_eq!(p.fit(&docs).unwrap().feature_names(), ["xx", "zz"]);
        let p = CountParams {
            max_features: Some(2),
            binary: true,
            ..CountParams::default()
        };
        // With binary counts, total counts are document frequencies: zz (2), then a tie.
        assert_eq!(p.fit(&docs).unwrap().feature_names(), ["ww", "zz"]);
    }

    /// A custom token may contain a space, so the token "a 1" and the bigram of "a" and "1" are
    /// one feature, as in scikit-learn (which gives `['a 1']`, counts `[[1], [1], [0]]` here).
    #[test]
    fn regression_token_with_a_space_and_a_bigram_share_a_name() {
        use crate::analyzer::{NgramRange, TokenPattern, WordParams};
        let p = CountParams {
            analyzer: AnalyzerParams::Word(WordParams {
                token_pattern: TokenPattern::Regex {
                    pattern: "[a-z]+(?: [0-9]+)?|[0-9]+".into(),
                },
                ngram_range: NgramRange::new(1, 2).unwrap(),
                ..WordParams::default()
            }),
            min_df: DocFrequency::Count(2),
            ..CountParams::default()
        };
        let (v, m) = p.fit_transform::<f64, _>(&["a 1", "a, 1", "b 2"]).unwrap();
        assert_eq!(v.feature_names(), ["a 1"]);
        assert_eq!(dense(&m), [vec![1.0], vec![1.0], vec![0.0]]);
    }

    #[test]
    fn doc_frequency_parses_with_scikit_learns_int_float_rule() {
        assert_eq!("2".parse::<DocFrequency>().unwrap(), DocFrequency::Count(2));
        assert_eq!(
            "1.0".parse::<DocFrequency>().unwrap(),
            DocFrequency::Fraction(1.0)
        );
        assert_eq!(
            "0.5".parse::<DocFrequency>().unwrap(),
            DocFrequency::Fraction(0.5)
        );
        assert_eq!(
            "1e-3".parse::<DocFrequency>().unwrap(),
            DocFrequency::Fraction(0.001)
        );
        // Out of range, but a fraction: refused when the parameters are checked.
        assert_eq!(
            "1.5".parse::<DocFrequency>().unwrap(),
            DocFrequency::Fraction(1.5)
        );
        for bad in ["", "two", "inf", "NaN", "-", "1,5"] {
            assert!(bad.parse::<DocFrequency>().is_err(), "{bad}");
        }
    }

    #[test]
    fn doc_frequency_serde_distinguishes_counts_and_fractions() {
        let p: CountParams = serde_json::from_str(r#"{"min_df": 2, "max_df": 1.0}"#).unwrap();
        assert_eq!(p.min_df, DocFrequency::Count(2));
        assert_eq!(p.max_df, DocFrequency::Fraction(1.0));
    }
}
