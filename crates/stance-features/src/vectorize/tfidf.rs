//! `TfidfVectorizer`: counts, then scikit-learn's `TfidfTransformer` (IDF fixed at fit time).

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sprs::CsMat;

use super::count::{CountParams, CountVectorizer, Counted, fit_counts};
use super::terms::DocCounts;
use super::vocabulary::Vocabulary;
use super::{Element, Weighting, counts_to_csr, counts_to_parts};
use crate::Error;
use crate::analyzer::Analyzer;

/// Row normalization (scikit-learn's `norm`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Norm {
    /// Divide by the sum of absolute values.
    L1,
    /// Divide by the Euclidean length.
    #[default]
    L2,
    /// Leave rows as they are.
    None,
}

impl Norm {
    /// Normalizes one row in place; an all-zero row is left alone, as in scikit-learn.
    pub fn apply(self, row: &mut [f64]) {
        let norm = match self {
            Norm::None => return,
            Norm::L1 => row.iter().map(|v| v.abs()).sum::<f64>(),
            Norm::L2 => row.iter().map(|v| v * v).sum::<f64>().sqrt(),
        };
        if norm != 0.0 {
            for v in row {
                *v /= norm;
            }
        }
    }
}

/// scikit-learn's `TfidfVectorizer` parameters.
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `count` | [`CountParams::default`] | analyzer, `min_df`, `max_df`, `max_features`, `vocabulary`, `binary` |
/// | `norm` | `l2` | row normalization |
/// | `use_idf` | `true` | multiply by inverse document frequency |
/// | `smooth_idf` | `true` | idf = ln((1 + n) / (1 + df)) + 1, else ln(n / df) + 1 |
/// | `sublinear_tf` | `false` | tf = 1 + ln(tf) |
///
/// ```
/// use stance_features::vectorize::TfidfParams;
///
/// let docs = ["Moscow rejects the truce", "Kyiv backs the truce"];
/// let (fitted, matrix) = TfidfParams::default().fit_transform::<f64, _>(&docs)?;
/// assert_eq!(fitted.feature_names(), ["backs", "kyiv", "moscow", "rejects", "the", "truce"]);
/// assert_eq!(matrix.shape(), (2, 6));
/// # Ok::<(), stance_features::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TfidfParams {
    /// The counting parameters.
    pub count: CountParams,
    /// Row normalization.
    pub norm: Norm,
    /// Weight by inverse document frequency.
    pub use_idf: bool,
    /// Add one to every document frequency, as if one extra document held every term.
    pub smooth_idf: bool,
    /// Replace tf with 1 + ln(tf).
    pub sublinear_tf: bool,
}

impl Default for TfidfParams {
    fn default() -> Self {
        TfidfParams {
            count: CountParams::default(),
            norm: Norm::L2,
            use_idf: true,
            smooth_idf: true,
            sublinear_tf: false,
        }
    }
}

/// A fitted `TfidfVectorizer`: vocabulary and IDF.
#[derive(Clone, Debug)]
pub struct TfidfVectorizer {
    params: TfidfParams,
    count: CountVectorizer,
    idf: Option<Vec<f64>>,
}

impl TfidfParams {
    /// Validates every parameter and compiles the analyzer.
    pub fn check(&self) -> Result<Analyzer, Error> {
        self.count.check()
    }

    /// Learns vocabulary and IDF from `docs`.
    pub fn fit<D: AsRef<str> + Sync>(&self, docs: &[D]) -> Result<TfidfVectorizer, Error> {
        let (analyzer, idf, counted) = self.fit_blocks(docs)?;
        Ok(self.fitted(analyzer, counted.names.build(), idf))
    }

    /// Learns vocabulary and IDF from `docs` and returns their TF-IDF matrix. The
    /// vocabulary's look-up table is built while the matrix is.
    pub fn fit_transform<T: Element, D: AsRef<str> + Sync>(
        &self,
        docs: &[D],
    ) -> Result<(TfidfVectorizer, CsMat<T>), Error> {
        let (analyzer, idf, counted) = self.fit_blocks(docs)?;
        let Counted {
            names,
            blocks,
            columns,
            ..
        } = counted;
        let n_columns = names.len();
        // The matrix's arrays first: on one thread they then come before the table's in memory
        // (the allocator gives them fresh pages). sprs' check of the matrix, on one thread,
        // then runs while the table is built (mostly on one thread too).
        let parts = counts_to_parts(&blocks, &columns, n_columns, self.weighting(idf.as_deref()));
        let (matrix, vocabulary) = rayon::join(|| parts.into_matrix(), || names.build());
        Ok((self.fitted(analyzer, vocabulary, idf), matrix))
    }

    /// Counts `docs`, learning the vocabulary's names and the IDF.
    fn fit_blocks<D: AsRef<str> + Sync>(
        &self,
        docs: &[D],
    ) -> Result<(Analyzer, Option<Vec<f64>>, Counted), Error> {
        let analyzer = self.check()?;
        let counted = fit_counts(&self.count, &analyzer, docs)?;
        let idf = self
            .use_idf
            .then(|| idf_from_df(&counted.df, docs.len(), self.smooth_idf));
        Ok((analyzer, idf, counted))
    }

    fn fitted(
        &self,
        analyzer: Analyzer,
        vocabulary: Vocabulary,
        idf: Option<Vec<f64>>,
    ) -> TfidfVectorizer {
        TfidfVectorizer {
            params: self.clone(),
            count: CountVectorizer::fitted(self.count.clone(), analyzer, vocabulary),
            idf,
        }
    }

    /// How counts become values, with the IDF `idf`.
    fn weighting<'a>(&self, idf: Option<&'a [f64]>) -> Weighting<'a> {
        Weighting {
            binary: self.count.binary,
            sublinear_tf: self.sublinear_tf,
            idf,
            norm: self.norm,
        }
    }
}

/// scikit-learn's IDF: ln(n / df) + 1, with one added to n and every df when smoothing.
fn idf_from_df(df: &[u64], n_docs: usize, smooth: bool) -> Vec<f64> {
    let s = if smooth { 1.0 } else { 0.0 };
    let n = n_docs as f64 + s;
    // In parallel: a logarithm per column (150,000 columns with FNC-1's bigrams) would
    // otherwise run on one thread between the count and the matrix.
    df.par_iter()
        .with_min_len(4096)
        .map(|&d| (n / (d as f64 + s)).ln() + 1.0)
        .collect()
}

impl TfidfVectorizer {
    /// A fitted vectorizer from its parameters, a saved vocabulary (column order kept) and, when
    /// `use_idf`, the saved IDF.
    pub fn from_parts<S: AsRef<str>>(
        params: TfidfParams,
        vocabulary: &[S],
        idf: Option<Vec<f64>>,
    ) -> Result<TfidfVectorizer, Error> {
        let count = CountVectorizer::from_vocabulary(params.count.clone(), vocabulary)?;
        match (&idf, params.use_idf) {
            (Some(v), true) if v.len() == vocabulary.len() => {}
            (None, false) => {}
            (v, _) => {
                return Err(Error::IdfLength {
                    idf: v.as_ref().map_or(0, Vec::len),
                    vocabulary: if params.use_idf { vocabulary.len() } else { 0 },
                });
            }
        }
        Ok(TfidfVectorizer { params, count, idf })
    }

    /// The parameters it was fitted with.
    pub fn params(&self) -> &TfidfParams {
        &self.params
    }

    /// The learned vocabulary.
    pub fn vocabulary(&self) -> &Vocabulary {
        self.count.vocabulary()
    }

    /// Feature names in column order.
    pub fn feature_names(&self) -> Vec<String> {
        self.count.feature_names()
    }

    /// The IDF of each column (`idf_`), when `use_idf`.
    pub fn idf(&self) -> Option<&[f64]> {
        self.idf.as_deref()
    }

    /// The underlying count vectorizer (its analyzer and vocabulary).
    pub fn counter(&self) -> &CountVectorizer {
        &self.count
    }

    /// The TF-IDF matrix of `docs`, with the IDF learned at fit time.
    pub fn transform<T: Element, D: AsRef<str> + Sync>(&self, docs: &[D]) -> CsMat<T> {
        self.matrix(&self.count.count(docs), &[])
    }

    fn matrix<T: Element>(&self, blocks: &[DocCounts], columns: &[Option<Vec<u32>>]) -> CsMat<T> {
        let weighting = self.params.weighting(self.idf.as_deref());
        counts_to_csr(blocks, columns, self.vocabulary().len(), weighting)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norms() {
        let mut r = [3.0, -4.0];
        Norm::L2.apply(&mut r);
        assert_eq!(r, [0.6, -0.8]);
        let mut r = [1.0, -3.0];
        Norm::L1.apply(&mut r);
        assert_eq!(r, [0.25, -0.75]);
        let mut z = [0.0, 0.0];
        Norm::L2.apply(&mut z);
        assert_eq!(z, [0.0, 0.0]);
    }

    #[test]
    fn idf_formula() {
        let idf = idf_from_df(&[1, 3], 3, true);
        assert!((idf[0] - ((4.0f64 / 2.0).ln() + 1.0)).abs() < 1e-15);
        assert_eq!(idf[1], 1.0);
        assert_eq!(idf_from_df(&[3], 3, false), [1.0]);
    }

    #[test]
    fn transform_reuses_fitted_idf() {
        let docs = ["truce talks", "truce", "talks stall"];
        let (fitted, fit_m) = TfidfParams::default()
            .fit_transform::<f64, _>(&docs)
            .unwrap();
        let again: CsMat<f64> = fitted.transform(&docs);
        assert_eq!(fit_m, again);
        let restored = TfidfVectorizer::from_parts(
            TfidfParams::default(),
            &fitted.feature_names(),
            fitted.idf().map(<[f64]>::to_vec),
        )
        .unwrap();
        assert_eq!(restored.transform::<f64, _>(&docs), fit_m);
        assert!(matches!(
            TfidfVectorizer::from_parts(TfidfParams::default(), &["a"], None),
            Err(Error::IdfLength { .. })
        ));
    }
}
