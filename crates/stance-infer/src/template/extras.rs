//! Extra blocks: features computed without an n-gram vocabulary of their own.

use serde::{Deserialize, Serialize};
use sprs::CsMat;
use stance_features::vectorize::{TfidfParams, TfidfVectorizer};

use super::ColumnNames;
use super::Views;
use super::by_target::ByTarget;
use super::cues::{PairCues, PairCuesParams};
use super::input::{Input, Task};
use super::lexicon::{Lexicon, LexiconParams};
use crate::Error;
use crate::artefact::{Artefact, ArtefactWriter};

/// An extra block of a template.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Extra {
    /// `lex:`: stance-cue classes left of, between and right of a mention pair, and their
    /// negated forms (`mention`).
    Lexicon(LexiconParams),
    /// `geo:`: which mention comes first, the number of words between them, and punctuation,
    /// quotation marks and contrast words between them (`mention`).
    MentionGeometry,
    /// `id:`: the actor's and the proposal's gazetteer ids, as seen in training (`mention`).
    Identity {
        /// Add `id:actor=<id>`.
        actor: bool,
        /// Add `id:proposal=<id>`.
        proposal: bool,
    },
    /// `sim:`: cosine similarity of the TF-IDF vectors of the two texts (one vectorizer fitted on
    /// both) and the overlap of their vocabulary terms, as values and as thresholds (`pair`).
    PairSimilarity {
        /// The vectorizer the similarity is measured with.
        vectorizer: TfidfParams,
    },
    /// `tgt:`: whether the target phrase occurs in the text (`target`).
    TargetMarkers,
    /// `<prefix>:<target>|<term>`: the text's n-grams crossed with the target, one vocabulary
    /// and IDF per target seen in training (`target`); see [`ByTarget`].
    ByTarget {
        /// Prefix of the block's feature names; unique in a template.
        prefix: String,
        /// The vectorizer fitted for each target.
        #[serde(default)]
        vectorizer: TfidfParams,
    },
    /// `cue:`: hedging and refuting words, question marks and negation of the headline, and
    /// negation in the headline but not the claim (`pair`); see [`PairCues`].
    PairCues(PairCuesParams),
}

const GEOMETRY: &[&str] = &[
    "actor_first",
    "proposal_first",
    "gap=0",
    "gap=1-2",
    "gap=3-5",
    "gap=6-10",
    "gap=11+",
    "punct_between",
    "quote_between",
    "contrast_between",
];
const CONTRAST: &[&str] = &[
    "but", "while", "whereas", "although", "though", "however", "yet", "despite",
];
const THRESHOLDS: [f32; 5] = [0.05, 0.1, 0.2, 0.3, 0.5];
const TARGET: &[&str] = &["in_text", "not_in_text", "span_given"];

impl Extra {
    /// The prefix of the block's feature names.
    pub fn prefix(&self) -> &str {
        match self {
            Extra::ByTarget { prefix, .. } => prefix,
            Extra::PairCues(_) => "cue",
            Extra::Lexicon(_) => "lex",
            Extra::MentionGeometry => "geo",
            Extra::Identity { .. } => "id",
            Extra::PairSimilarity { .. } => "sim",
            Extra::TargetMarkers => "tgt",
        }
    }

    pub(super) fn check(&self, task: Task) -> Result<(), Error> {
        let wanted = match self {
            Extra::Lexicon(_) | Extra::MentionGeometry | Extra::Identity { .. } => Task::Mention,
            Extra::PairSimilarity { vectorizer } => {
                vectorizer.check()?;
                Task::Pair
            }
            Extra::TargetMarkers => Task::Target,
            Extra::ByTarget { prefix, vectorizer } => {
                if prefix.is_empty() || prefix.contains(':') {
                    return Err(Error::Template {
                        reason: format!(
                            "block prefix {prefix:?} must be non-empty and have no ':'"
                        ),
                    });
                }
                vectorizer.check()?;
                Task::Target
            }
            Extra::PairCues(params) => {
                PairCues::new(params)?;
                Task::Pair
            }
        };
        if task != wanted {
            return Err(Error::Template {
                reason: format!(
                    "the {:?} block reads {} examples, not {} examples",
                    self.prefix(),
                    wanted.name(),
                    task.name()
                ),
            });
        }
        if let Extra::Lexicon(params) = self {
            Lexicon::new(params)?;
        }
        Ok(())
    }

    pub(super) fn fit(&self, views: &Views<'_>) -> Result<FittedExtra, Error> {
        Ok(match self {
            Extra::Lexicon(params) => FittedExtra::Lexicon(Box::new(Lexicon::new(params)?)),
            Extra::MentionGeometry => FittedExtra::Geometry,
            Extra::Identity { actor, proposal } => {
                let ids = |want: bool, f: for<'x> fn(&super::MentionInput<'x>) -> &'x str| {
                    let mut ids: Vec<String> = if want {
                        views
                            .inputs()
                            .iter()
                            .filter_map(|i| match i {
                                Input::Mention(m) => Some(f(m).to_owned()),
                                _ => None,
                            })
                            .collect()
                    } else {
                        Vec::new()
                    };
                    ids.sort_unstable();
                    ids.dedup();
                    ids
                };
                FittedExtra::Identity {
                    actors: ids(*actor, |m| m.actor),
                    proposals: ids(*proposal, |m| m.proposal),
                }
            }
            Extra::PairSimilarity { vectorizer } => {
                let both: Vec<&str> = views
                    .texts(super::Source::TextA)
                    .into_iter()
                    .chain(views.texts(super::Source::TextB))
                    .collect();
                FittedExtra::PairSimilarity(Box::new(vectorizer.fit(&both)?))
            }
            Extra::TargetMarkers => FittedExtra::TargetMarkers,
            Extra::PairCues(params) => FittedExtra::PairCues(Box::new(PairCues::new(params)?)),
            Extra::ByTarget { prefix, vectorizer } => {
                FittedExtra::ByTarget(Box::new(ByTarget::fit(prefix, vectorizer, views)?))
            }
        })
    }

    pub(super) fn read(&self, a: &Artefact, prefix: &str) -> Result<FittedExtra, Error> {
        let list = |name: &str| -> Result<Vec<String>, Error> {
            Ok(a.strings(&format!("{prefix}.{name}"))?
                .into_iter()
                .map(str::to_owned)
                .collect())
        };
        Ok(match self {
            Extra::Identity { .. } => FittedExtra::Identity {
                actors: list("actors")?,
                proposals: list("proposals")?,
            },
            Extra::PairSimilarity { vectorizer } => {
                let vocabulary = a.strings(&format!("{prefix}.vocabulary"))?;
                let idf_name = format!("{prefix}.idf");
                let idf = if a.has(&idf_name) {
                    Some(a.f64s(&idf_name)?)
                } else {
                    None
                };
                let fitted = TfidfVectorizer::from_parts(vectorizer.clone(), &vocabulary, idf)
                    .map_err(|e| Error::Corrupt {
                        origin: a.origin().to_owned(),
                        reason: format!("block \"sim\": {e}"),
                    })?;
                FittedExtra::PairSimilarity(Box::new(fitted))
            }
            Extra::ByTarget {
                prefix: p,
                vectorizer,
            } => FittedExtra::ByTarget(Box::new(ByTarget::read(p, vectorizer, a, prefix)?)),
            // Nothing learned: the parameters are all there is.
            other => other.fit_static()?,
        })
    }

    fn fit_static(&self) -> Result<FittedExtra, Error> {
        Ok(match self {
            Extra::Lexicon(params) => FittedExtra::Lexicon(Box::new(Lexicon::new(params)?)),
            Extra::MentionGeometry => FittedExtra::Geometry,
            Extra::TargetMarkers => FittedExtra::TargetMarkers,
            Extra::PairCues(params) => FittedExtra::PairCues(Box::new(PairCues::new(params)?)),
            Extra::Identity { .. } | Extra::PairSimilarity { .. } | Extra::ByTarget { .. } => {
                unreachable!("learned extras are read from their sections")
            }
        })
    }
}

/// A fitted extra block.
#[derive(Clone, Debug)]
pub enum FittedExtra {
    /// The compiled lexicon.
    Lexicon(Box<Lexicon>),
    /// Mention geometry (nothing learned).
    Geometry,
    /// The ids seen in training, sorted.
    Identity {
        /// Actor ids.
        actors: Vec<String>,
        /// Proposal ids.
        proposals: Vec<String>,
    },
    /// The similarity vectorizer.
    PairSimilarity(Box<TfidfVectorizer>),
    /// Target markers (nothing learned).
    TargetMarkers,
    /// One vectorizer per target.
    ByTarget(Box<ByTarget>),
    /// The compiled pair-cue lexicon.
    PairCues(Box<PairCues>),
}

impl FittedExtra {
    /// The prefix of its feature names.
    pub fn prefix(&self) -> &str {
        match self {
            FittedExtra::ByTarget(b) => b.prefix(),
            FittedExtra::PairCues(_) => "cue",
            FittedExtra::Lexicon(_) => "lex",
            FittedExtra::Geometry => "geo",
            FittedExtra::Identity { .. } => "id",
            FittedExtra::PairSimilarity(_) => "sim",
            FittedExtra::TargetMarkers => "tgt",
        }
    }

    /// The number of columns.
    pub fn len(&self) -> usize {
        match self {
            FittedExtra::Lexicon(l) => l.len(),
            FittedExtra::Geometry => GEOMETRY.len(),
            FittedExtra::Identity { actors, proposals } => actors.len() + proposals.len(),
            FittedExtra::PairSimilarity(_) => 2 + 2 * THRESHOLDS.len(),
            FittedExtra::TargetMarkers => TARGET.len(),
            FittedExtra::ByTarget(b) => b.len(),
            FittedExtra::PairCues(c) => c.len(),
        }
    }

    /// Whether it has no column.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(super) fn write(&self, w: &mut ArtefactWriter, prefix: &str) -> Result<(), Error> {
        match self {
            FittedExtra::Identity { actors, proposals } => {
                w.strings(&format!("{prefix}.actors"), actors)?;
                w.strings(&format!("{prefix}.proposals"), proposals)
            }
            FittedExtra::PairSimilarity(v) => {
                w.strings(&format!("{prefix}.vocabulary"), v.vocabulary().names())?;
                match v.idf() {
                    Some(idf) => w.f64s(&format!("{prefix}.idf"), idf),
                    None => Ok(()),
                }
            }
            FittedExtra::ByTarget(b) => b.write(w, prefix),
            _ => Ok(()),
        }
    }

    /// The block's rows for `views`' inputs (local column numbers).
    pub(super) fn transform(&self, views: &Views<'_>) -> CsMat<f32> {
        let rows = views.inputs().len();
        let mut indptr = Vec::with_capacity(rows + 1);
        let mut indices = Vec::new();
        let mut data = Vec::new();
        indptr.push(0);
        let mut row: Vec<(usize, f32)> = Vec::new();
        let similarity = match self {
            FittedExtra::PairSimilarity(v) => Some(pair_similarities(v, views)),
            FittedExtra::ByTarget(b) => return b.transform(views),
            _ => None,
        };
        let mut scratch = Vec::new();
        for index in 0..rows {
            row.clear();
            match self {
                FittedExtra::Lexicon(lexicon) => {
                    let m = &views.mentions()[index];
                    scratch.clear();
                    lexicon.features([&m.left, &m.between, &m.right], &mut scratch);
                    row.extend(scratch.iter().map(|&c| (c, 1.0)));
                }
                FittedExtra::Geometry => {
                    let m = &views.mentions()[index];
                    row.push((usize::from(!m.actor_first), 1.0));
                    row.push((2 + gap_bucket(word_count(&m.gap)), 1.0));
                    if m.gap
                        .chars()
                        .any(|c| matches!(c, ',' | ';' | ':' | '(' | ')' | '–' | '—'))
                    {
                        row.push((7, 1.0));
                    }
                    if m.gap
                        .chars()
                        .any(|c| matches!(c, '"' | '“' | '”' | '«' | '»'))
                    {
                        row.push((8, 1.0));
                    }
                    let lower = m.gap.to_lowercase();
                    if lower
                        .split(|c: char| !c.is_alphanumeric())
                        .any(|w| CONTRAST.contains(&w))
                    {
                        row.push((9, 1.0));
                    }
                }
                FittedExtra::Identity { actors, proposals } => {
                    if let Input::Mention(m) = &views.inputs()[index] {
                        if let Ok(i) = actors.binary_search_by(|a| a.as_str().cmp(m.actor)) {
                            row.push((i, 1.0));
                        }
                        if let Ok(i) = proposals.binary_search_by(|p| p.as_str().cmp(m.proposal)) {
                            row.push((actors.len() + i, 1.0));
                        }
                    }
                }
                FittedExtra::PairSimilarity(_) => {
                    let (cosine, overlap) = similarity.as_ref().expect("computed above")[index];
                    for (base, value) in [(0usize, cosine), (1, overlap)] {
                        if value != 0.0 {
                            row.push((base, value));
                        }
                    }
                    for (k, t) in THRESHOLDS.iter().enumerate() {
                        if cosine >= *t {
                            row.push((2 + k, 1.0));
                        }
                    }
                    for (k, t) in THRESHOLDS.iter().enumerate() {
                        if overlap >= *t {
                            row.push((2 + THRESHOLDS.len() + k, 1.0));
                        }
                    }
                }
                FittedExtra::ByTarget(_) => unreachable!("returned above"),
                FittedExtra::PairCues(cues) => {
                    if let Input::Pair { text_a, text_b } = &views.inputs()[index] {
                        scratch.clear();
                        cues.features(text_a, text_b, &mut scratch);
                        row.extend(scratch.iter().map(|&c| (c, 1.0)));
                    }
                }
                FittedExtra::TargetMarkers => {
                    if let Input::Target {
                        text,
                        target,
                        target_span,
                    } = &views.inputs()[index]
                    {
                        let found = !target.trim().is_empty()
                            && text.to_lowercase().contains(&target.trim().to_lowercase());
                        row.push((usize::from(!found), 1.0));
                        if target_span.is_some() {
                            row.push((2, 1.0));
                        }
                    }
                }
            }
            row.sort_unstable_by_key(|&(c, _)| c);
            indices.extend(row.iter().map(|&(c, _)| c));
            data.extend(row.iter().map(|&(_, v)| v));
            indptr.push(indices.len());
        }
        CsMat::new((rows, self.len()), indptr, indices, data)
    }
}

/// The number of words (runs of alphanumeric characters) in `text`.
fn word_count(text: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for c in text.chars() {
        let word = c.is_alphanumeric();
        if word && !in_word {
            count += 1;
        }
        in_word = word;
    }
    count
}

fn gap_bucket(words: usize) -> usize {
    match words {
        0 => 0,
        1..=2 => 1,
        3..=5 => 2,
        6..=10 => 3,
        _ => 4,
    }
}

/// (cosine, overlap) of each pair's two texts.
fn pair_similarities(v: &TfidfVectorizer, views: &Views<'_>) -> Vec<(f32, f32)> {
    let a = v.transform::<f64, _>(&views.texts(super::Source::TextA));
    let b = v.transform::<f64, _>(&views.texts(super::Source::TextB));
    (0..views.inputs().len())
        .map(|i| {
            let ra = a.outer_view(i).expect("one row per input");
            let rb = b.outer_view(i).expect("one row per input");
            let dot = ra.dot(&rb);
            let na = ra.dot(&ra).sqrt();
            let nb = rb.dot(&rb).sqrt();
            let cosine = if na > 0.0 && nb > 0.0 {
                dot / (na * nb)
            } else {
                0.0
            };
            let shared = ra.iter().filter(|(c, _)| rb.get(*c).is_some()).count();
            let union = ra.nnz() + rb.nnz() - shared;
            let overlap = if union > 0 {
                shared as f64 / union as f64
            } else {
                0.0
            };
            (cosine as f32, overlap as f32)
        })
        .collect()
}

impl ColumnNames for FittedExtra {
    /// Appends the name of column `i` to `out`.
    fn push_name(&self, i: usize, out: &mut String) {
        match self {
            FittedExtra::Lexicon(l) => l.push_name(i, out),
            FittedExtra::Geometry => out.push_str(GEOMETRY[i]),
            FittedExtra::Identity { actors, proposals } => match actors.get(i) {
                Some(a) => {
                    out.push_str("actor=");
                    out.push_str(a);
                }
                None => {
                    out.push_str("proposal=");
                    out.push_str(&proposals[i - actors.len()]);
                }
            },
            FittedExtra::PairSimilarity(_) => match i {
                0 => out.push_str("cosine"),
                1 => out.push_str("overlap"),
                _ => {
                    let t = THRESHOLDS[(i - 2) % THRESHOLDS.len()];
                    let what = if i - 2 < THRESHOLDS.len() {
                        "cosine"
                    } else {
                        "overlap"
                    };
                    out.push_str(&format!("{what}>={t}"));
                }
            },
            FittedExtra::TargetMarkers => out.push_str(TARGET[i]),
            FittedExtra::ByTarget(b) => b.push_name(i, out),
            FittedExtra::PairCues(c) => c.push_name(i, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_gaps() {
        for (text, words, bucket) in [
            ("", 0, 0),
            (" , ", 0, 0),
            (" rejected the ", 2, 1),
            (" has, on Monday, firmly rejected any ", 6, 3),
            ("один два три", 3, 2),
        ] {
            assert_eq!(word_count(text), words, "{text:?}");
            assert_eq!(gap_bucket(words), bucket, "{text:?}");
        }
    }
}
