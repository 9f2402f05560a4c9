//! Target-conjoined n-grams: the text's n-grams crossed with the example's target.
//!
//! A `target` model with only shared text blocks gives "#prolife" the same weight whatever the
//! target, so one linear model cannot be "one model per target", which is what SemEval-2016's
//! SVM-ngrams baseline trained. This block fits one vectorizer per target seen in training (its
//! own vocabulary and IDF, learned from that target's examples only) and lays their columns side
//! by side: an example fills only the columns of its own target, named
//! `prefix:<target>|<term>`. Next to the shared blocks, a linear model then learns general
//! weights plus per-target corrections (per-target models alone when the shared blocks are left
//! out). An example whose target was not seen in training gets no feature from this block.

use sprs::CsMat;
use stance_features::vectorize::{TfidfParams, TfidfVectorizer};

use super::ColumnNames;
use super::Views;
use super::input::Input;
use crate::Error;
use crate::artefact::{Artefact, ArtefactWriter};

/// The key a target is matched by: trimmed, lowercased, inner whitespace runs made one space.
pub fn target_key(target: &str) -> String {
    target
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A fitted target-conjoined block: one vectorizer per target, columns target after target.
#[derive(Clone, Debug)]
pub struct ByTarget {
    prefix: String,
    /// Target keys, sorted.
    targets: Vec<String>,
    /// The vectorizer of each target, in `targets` order.
    vectorizers: Vec<TfidfVectorizer>,
    /// First column of each target, then the total.
    offsets: Vec<usize>,
}

/// The (key, text) of each example; `None` for an example that is not a `target` example.
fn keyed<'a>(views: &Views<'a>) -> Vec<Option<(String, &'a str)>> {
    views
        .inputs()
        .iter()
        .map(|input| match input {
            Input::Target { text, target, .. } => Some((target_key(target), *text)),
            _ => None,
        })
        .collect()
}

impl ByTarget {
    fn assemble(prefix: &str, targets: Vec<String>, vectorizers: Vec<TfidfVectorizer>) -> Self {
        let mut offsets = vec![0];
        for v in &vectorizers {
            offsets.push(offsets.last().expect("starts with 0") + v.vocabulary().len());
        }
        ByTarget {
            prefix: prefix.to_owned(),
            targets,
            vectorizers,
            offsets,
        }
    }

    /// Fits one vectorizer per target on that target's texts. A target whose texts leave an
    /// empty vocabulary (all terms pruned by `min_df`, or fewer texts than `min_df`) gets no
    /// columns.
    pub(super) fn fit(
        prefix: &str,
        params: &TfidfParams,
        views: &Views<'_>,
    ) -> Result<Self, Error> {
        let keyed = keyed(views);
        let mut keys: Vec<&str> = keyed.iter().flatten().map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        let mut targets = Vec::new();
        let mut vectorizers = Vec::new();
        for key in keys {
            let texts: Vec<&str> = keyed
                .iter()
                .flatten()
                .filter(|(k, _)| k == key)
                .map(|(_, t)| *t)
                .collect();
            match params.fit(&texts) {
                Ok(v) => {
                    targets.push(key.to_owned());
                    vectorizers.push(v);
                }
                // Too few texts for min_df, or nothing left after pruning: no columns.
                Err(
                    stance_features::Error::EmptyVocabulary
                    | stance_features::Error::DocumentFrequencyRange { .. },
                ) => {}
                Err(e) => {
                    return Err(Error::Template {
                        reason: format!("block {prefix:?}, target {key:?}: {e}"),
                    });
                }
            }
        }
        Ok(ByTarget::assemble(prefix, targets, vectorizers))
    }

    /// The prefix of its feature names.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The number of columns.
    pub fn len(&self) -> usize {
        *self.offsets.last().expect("never empty")
    }

    /// Whether it has no column.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(super) fn write(&self, w: &mut ArtefactWriter, prefix: &str) -> Result<(), Error> {
        w.strings(&format!("{prefix}.targets"), &self.targets)?;
        for (i, v) in self.vectorizers.iter().enumerate() {
            w.strings(
                &format!("{prefix}.target.{i}.vocabulary"),
                v.vocabulary().names(),
            )?;
            if let Some(idf) = v.idf() {
                w.f64s(&format!("{prefix}.target.{i}.idf"), idf)?;
            }
        }
        Ok(())
    }

    pub(super) fn read(
        block: &str,
        params: &TfidfParams,
        a: &Artefact,
        prefix: &str,
    ) -> Result<Self, Error> {
        let targets: Vec<String> = a
            .strings(&format!("{prefix}.targets"))?
            .into_iter()
            .map(str::to_owned)
            .collect();
        if targets.windows(2).any(|w| w[0] >= w[1]) {
            return Err(Error::Corrupt {
                origin: a.origin().to_owned(),
                reason: format!("block {block:?}: its targets are not sorted and distinct"),
            });
        }
        let vectorizers = (0..targets.len())
            .map(|i| {
                let vocabulary = a.strings(&format!("{prefix}.target.{i}.vocabulary"))?;
                let idf_name = format!("{prefix}.target.{i}.idf");
                let idf = if a.has(&idf_name) {
                    Some(a.f64s(&idf_name)?)
                } else {
                    None
                };
                TfidfVectorizer::from_parts(params.clone(), &vocabulary, idf).map_err(|e| {
                    Error::Corrupt {
                        origin: a.origin().to_owned(),
                        reason: format!("block {block:?}, target {:?}: {e}", targets[i]),
                    }
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ByTarget::assemble(block, targets, vectorizers))
    }

    /// The block's rows for `views`' inputs (local column numbers).
    pub(super) fn transform(&self, views: &Views<'_>) -> CsMat<f32> {
        let keyed = keyed(views);
        let rows = keyed.len();
        // Each target's vectorizer transforms its own examples in one batch; `slot[i]` is
        // (target, row in that batch) of example `i`.
        let mut slot: Vec<Option<(usize, usize)>> = vec![None; rows];
        let mut matrices = Vec::with_capacity(self.targets.len());
        for (t, (key, v)) in self.targets.iter().zip(&self.vectorizers).enumerate() {
            let mut texts = Vec::new();
            for (i, k) in keyed.iter().enumerate() {
                if let Some((k, text)) = k {
                    if k == key {
                        slot[i] = Some((t, texts.len()));
                        texts.push(*text);
                    }
                }
            }
            matrices.push((!texts.is_empty()).then(|| v.transform::<f32, _>(&texts)));
        }
        let mut indptr = Vec::with_capacity(rows + 1);
        let mut indices = Vec::new();
        let mut data = Vec::new();
        indptr.push(0);
        for at in &slot {
            if let Some((t, local)) = *at {
                let m = matrices[t].as_ref().expect("transformed above");
                let row = m.outer_view(local).expect("one row per member");
                let offset = self.offsets[t];
                for (c, &value) in row.iter() {
                    indices.push(offset + c);
                    data.push(value);
                }
            }
            indptr.push(indices.len());
        }
        CsMat::new((rows, self.len()), indptr, indices, data)
    }
}

impl ColumnNames for ByTarget {
    /// Appends the name of feature `i` to `out`.
    fn push_name(&self, i: usize, out: &mut String) {
        let t = self.offsets.partition_point(|&o| o <= i) - 1;
        out.push_str(&self.targets[t]);
        out.push('|');
        out.push_str(self.vectorizers[t].vocabulary().name(i - self.offsets[t]));
    }
}
