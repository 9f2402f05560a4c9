//! Feature templates: how an example of a task becomes one sparse row.
//!
//! A template is a list of named blocks, each a TF-IDF vectorizer over one part of the example
//! (the text, the target, the context left of a mention, ...) with its own vocabulary, IDF and
//! prefix, followed by extra blocks computed without a vocabulary (cue-word lexicon, mention
//! geometry, pair similarity, target markers, actor and proposal identity). Feature names read
//! `prefix:term` (`between:rejected`, `lex:not_oppose@between`), so a model's explanations are
//! readable without the template at hand.
//!
//! The template is data ([`TemplateParams`], serde, saved in the model); fitting learns the
//! vocabularies and IDFs ([`FittedTemplate`]). Training and scoring call the same
//! [`FittedTemplate::transform`], so nothing about feature extraction exists only in training.

mod by_target;
mod cues;
mod extras;
mod fast;
mod input;
mod lexicon;
mod mention;
mod scan;
mod token_ids;

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use sprs::CsMat;
use stance_features::analyzer::{AnalyzerParams, NgramRange, WordParams};
use stance_features::vectorize::{DocFrequency, TfidfParams, TfidfVectorizer};

pub use by_target::{ByTarget, target_key};
pub use cues::{PairCues, PairCuesParams};
pub use extras::{Extra, FittedExtra};
pub use fast::RowScratch;
pub use input::{Input, MentionInput, Task};
pub use lexicon::{Lexicon, LexiconParams};
pub use mention::{ACTOR_TOKEN, MentionContext, PROPOSAL_TOKEN};

use crate::Error;
use crate::artefact::{Artefact, ArtefactWriter};
use crate::linear::LinearModel;

/// The column names of an extra block, written by appending to a string: explanations name a
/// few features per prediction, so no intermediate string is built.
pub trait ColumnNames {
    /// Appends the name of local column `i` (without the block's prefix) to `out`.
    fn push_name(&self, i: usize, out: &mut String);

    /// The name of local column `i`, without the block's prefix.
    fn name(&self, i: usize) -> String {
        let mut name = String::new();
        self.push_name(i, &mut name);
        name
    }
}
use fast::{FastBlock, FastTemplate};

/// The part of an example a block reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The text (`document`, `target`) or the whole article (`mention`).
    Text,
    /// The target phrase (`target`).
    Target,
    /// The headline or claim (`pair`).
    TextA,
    /// The body (`pair`).
    TextB,
    /// The mention sentence before the first mention, with its placeholder (`mention`).
    Left,
    /// The text between the two mentions, with both placeholders (`mention`).
    Between,
    /// The mention sentence after the second mention, with its placeholder (`mention`).
    Right,
    /// The mention sentence with both placeholders (`mention`).
    Sentence,
}

impl Source {
    fn tasks(self) -> &'static [Task] {
        match self {
            Source::Text => &[Task::Document, Task::Target, Task::Mention],
            Source::Target => &[Task::Target],
            Source::TextA | Source::TextB => &[Task::Pair],
            Source::Left | Source::Between | Source::Right | Source::Sentence => &[Task::Mention],
        }
    }
}

/// One n-gram block: a TF-IDF vectorizer over one source, its feature names prefixed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Block {
    /// Prefix of the block's feature names (`text`, `left`, ...); unique in a template.
    pub prefix: String,
    /// What the block reads.
    pub source: Source,
    /// The vectorizer.
    #[serde(default)]
    pub vectorizer: TfidfParams,
}

/// A template: the task, its n-gram blocks and its extra blocks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateParams {
    /// The task whose examples it reads.
    pub task: Task,
    /// The n-gram blocks, in column order.
    pub blocks: Vec<Block>,
    /// The extra blocks, after the n-gram blocks.
    #[serde(default)]
    pub extras: Vec<Extra>,
}

/// Word n-grams of `range`, sublinear TF, terms in at least `min_df` documents.
fn words(min: usize, max: usize, min_df: usize) -> TfidfParams {
    let mut params = TfidfParams {
        sublinear_tf: true,
        ..TfidfParams::default()
    };
    params.count.analyzer = AnalyzerParams::Word(WordParams {
        ngram_range: NgramRange::new(min, max).expect("a valid literal range"),
        ..WordParams::default()
    });
    params.count.min_df = DocFrequency::Count(min_df);
    params
}

fn block(prefix: &str, source: Source, vectorizer: TfidfParams) -> Block {
    Block {
        prefix: prefix.to_owned(),
        source,
        vectorizer,
    }
}

impl TemplateParams {
    /// The default template of `task`.
    pub fn default_for(task: Task) -> Self {
        let (blocks, extras) = match task {
            Task::Document => (vec![block("text", Source::Text, words(1, 2, 2))], vec![]),
            Task::Target => (
                vec![
                    block("text", Source::Text, words(1, 2, 2)),
                    block("target", Source::Target, words(1, 1, 1)),
                ],
                vec![Extra::TargetMarkers],
            ),
            Task::Pair => (
                vec![
                    block("a", Source::TextA, words(1, 2, 2)),
                    block("b", Source::TextB, words(1, 1, 2)),
                ],
                vec![Extra::PairSimilarity {
                    vectorizer: TfidfParams::default(),
                }],
            ),
            Task::Mention => (
                vec![
                    block("left", Source::Left, words(1, 2, 1)),
                    block("between", Source::Between, words(1, 3, 1)),
                    block("right", Source::Right, words(1, 2, 1)),
                    block("sentence", Source::Sentence, words(1, 1, 1)),
                ],
                vec![
                    Extra::Lexicon(LexiconParams::default()),
                    Extra::MentionGeometry,
                    Extra::Identity {
                        actor: false,
                        proposal: true,
                    },
                ],
            ),
        };
        TemplateParams {
            task,
            blocks,
            extras,
        }
    }

    /// Checks that every block reads a source of the task, prefixes are unique and every
    /// vectorizer and extra is valid.
    pub fn check(&self) -> Result<(), Error> {
        let bad = |reason: String| Err(Error::Template { reason });
        if self.blocks.is_empty() && self.extras.is_empty() {
            return bad("a template needs at least one block".into());
        }
        let mut prefixes: Vec<&str> = Vec::new();
        for b in &self.blocks {
            if !b.source.tasks().contains(&self.task) {
                return bad(format!(
                    "block {:?} reads {:?}, which a {} example does not have",
                    b.prefix,
                    b.source,
                    self.task.name()
                ));
            }
            if b.prefix.is_empty() || b.prefix.contains(':') {
                return bad(format!(
                    "block prefix {:?} must be non-empty and have no ':'",
                    b.prefix
                ));
            }
            b.vectorizer.check()?;
            prefixes.push(&b.prefix);
        }
        for e in &self.extras {
            e.check(self.task)?;
            prefixes.push(e.prefix());
        }
        let mut sorted = prefixes.clone();
        sorted.sort_unstable();
        if let Some(w) = sorted.windows(2).find(|w| w[0] == w[1]) {
            return bad(format!("two blocks have the prefix {:?}", w[0]));
        }
        Ok(())
    }

    /// Learns every block's vocabulary and IDF from `inputs`.
    pub fn fit(&self, inputs: &[Input<'_>]) -> Result<FittedTemplate, Error> {
        self.check()?;
        let views = Views::new(self.task, inputs)?;
        let blocks = self
            .blocks
            .iter()
            .map(|b| {
                b.vectorizer
                    .fit(&views.texts(b.source))
                    .map_err(|e| Error::Template {
                        reason: format!("block {:?}: {e}", b.prefix),
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let extras = self
            .extras
            .iter()
            .map(|e| e.fit(&views))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(FittedTemplate::assemble(self.clone(), blocks, extras))
    }
}

/// Checks that `input` is an example of `task` with valid spans; `index` names it in errors.
pub(crate) fn check_input(task: Task, input: &Input<'_>, index: usize) -> Result<(), Error> {
    if input.task() != task {
        return Err(Error::InvalidInput {
            index,
            reason: format!(
                "a {} example given to a {} template",
                input.task().name(),
                task.name()
            ),
        });
    }
    input.validate(index)
}

/// What the blocks read of each example, computed once per batch.
pub(crate) struct Views<'a> {
    inputs: &'a [Input<'a>],
    mentions: Vec<MentionContext>,
}

impl<'a> Views<'a> {
    fn new(task: Task, inputs: &'a [Input<'a>]) -> Result<Self, Error> {
        let mut mentions = Vec::new();
        for (index, input) in inputs.iter().enumerate() {
            check_input(task, input, index)?;
            if let Input::Mention(m) = input {
                mentions.push(MentionContext::new(m));
            }
        }
        Ok(Views { inputs, mentions })
    }

    pub(crate) fn inputs(&self) -> &'a [Input<'a>] {
        self.inputs
    }

    pub(crate) fn mentions(&self) -> &[MentionContext] {
        &self.mentions
    }

    pub(crate) fn texts(&self, source: Source) -> Vec<&str> {
        let mention = |f: fn(&MentionContext) -> &String| -> Vec<&str> {
            self.mentions.iter().map(|m| f(m).as_str()).collect()
        };
        match source {
            Source::Left => mention(|m| &m.left),
            Source::Between => mention(|m| &m.between),
            Source::Right => mention(|m| &m.right),
            Source::Sentence => mention(|m| &m.sentence),
            _ => self
                .inputs
                .iter()
                .map(|input| match (input, source) {
                    (Input::Document { text }, _)
                    | (Input::Target { text, .. }, Source::Text)
                    | (Input::Mention(MentionInput { text, .. }), _) => *text,
                    (Input::Target { target, .. }, _) => *target,
                    (Input::Pair { text_a, .. }, Source::TextA) => *text_a,
                    (Input::Pair { text_b, .. }, _) => *text_b,
                })
                .collect(),
        }
    }
}

/// A fitted template: the vectorizers and extras, and the column layout.
#[derive(Clone, Debug)]
pub struct FittedTemplate {
    params: TemplateParams,
    blocks: Vec<TfidfVectorizer>,
    extras: Vec<FittedExtra>,
    /// First column of each block, then of each extra, then the total.
    offsets: Vec<usize>,
    /// The one-row fast path over [`FittedTemplate::fast_blocks`], built on first use; `None`
    /// inside when a block needs the general path or reads a mention-context text.
    fast: OnceLock<Option<FastTemplate>>,
    /// Each block's fast tables, whatever its source, for [`FittedTemplate::transform`] and the
    /// one-row path; `None` for a block that needs its vectorizer. Built on first use.
    fast_blocks: OnceLock<Vec<Option<FastBlock>>>,
}

impl FittedTemplate {
    fn assemble(
        params: TemplateParams,
        blocks: Vec<TfidfVectorizer>,
        extras: Vec<FittedExtra>,
    ) -> Self {
        let mut offsets = vec![0];
        for width in blocks
            .iter()
            .map(|b| b.vocabulary().len())
            .chain(extras.iter().map(FittedExtra::len))
        {
            offsets.push(offsets.last().expect("starts with 0") + width);
        }
        FittedTemplate {
            params,
            blocks,
            extras,
            offsets,
            fast: OnceLock::new(),
            fast_blocks: OnceLock::new(),
        }
    }

    /// Builds the fast tables now rather than at first use (the blocks' tables and the
    /// one-row path over them): a scorer calls this at start-up, so that no article waits.
    pub fn prepare(&self) {
        self.fast();
    }

    fn fast_blocks(&self) -> &[Option<FastBlock>] {
        self.fast_blocks
            .get_or_init(|| self.blocks.iter().map(FastBlock::new).collect())
    }

    fn fast(&self) -> Option<&FastTemplate> {
        self.fast
            .get_or_init(|| FastTemplate::new(&self.params, self.fast_blocks(), &self.offsets))
            .as_ref()
    }

    /// Whether [`FittedTemplate::row_into`] takes the fast path: every block is a word n-gram
    /// block with the default token rule over a text of the example, and there are no extra
    /// blocks (`template/fast.rs` explains it). Otherwise it computes a one-row matrix.
    pub fn has_fast_path(&self) -> bool {
        self.fast().is_some()
    }

    /// The feature row of one input, the same as its row of [`FittedTemplate::transform`]:
    /// increasing columns and their values. `scratch` holds buffers reused from call to call.
    pub fn row_into(
        &self,
        input: &Input<'_>,
        scratch: &mut RowScratch,
        columns: &mut Vec<usize>,
        values: &mut Vec<f32>,
    ) -> Result<(), Error> {
        check_input(self.params.task, input, 0)?;
        if let Some(fast) = self.fast() {
            if fast.row(self.fast_blocks(), input, scratch, columns, values) {
                return Ok(());
            }
        }
        let x = self.transform(std::slice::from_ref(input))?;
        let row = x.outer_view(0).expect("one row per input");
        columns.clear();
        values.clear();
        columns.extend_from_slice(row.indices());
        values.extend_from_slice(row.data());
        Ok(())
    }

    /// The class scores of `linear` for one input: the same as `linear.scores_of_parts` of
    /// the row [`FittedTemplate::row_into`] gives, bit for bit. A template of one fast block
    /// (the shipped sentiment model's) hands its row to the dot product in place, without
    /// writing it out.
    pub fn scores_into(
        &self,
        input: &Input<'_>,
        scratch: &mut RowScratch,
        linear: &LinearModel,
        scores: &mut Vec<f32>,
    ) -> Result<(), Error> {
        if let Some(fast) = self.fast() {
            check_input(self.params.task, input, 0)?;
            if let Some(row) = fast.one_block_row(self.fast_blocks(), input, scratch) {
                linear.scores_of(row, scores);
                return Ok(());
            }
        }
        self.row_into_scratch(input, scratch)?;
        let (columns, values) = scratch.row();
        linear.scores_of_parts(columns, values, scores);
        Ok(())
    }

    /// [`FittedTemplate::row_into`] into `scratch`'s own row buffers, read back with
    /// [`RowScratch::row`].
    pub(crate) fn row_into_scratch(
        &self,
        input: &Input<'_>,
        scratch: &mut RowScratch,
    ) -> Result<(), Error> {
        let (mut columns, mut values) = (
            std::mem::take(&mut scratch.row_columns),
            std::mem::take(&mut scratch.row_values),
        );
        let done = self.row_into(input, scratch, &mut columns, &mut values);
        (scratch.row_columns, scratch.row_values) = (columns, values);
        done
    }

    /// The template's parameters.
    pub fn params(&self) -> &TemplateParams {
        &self.params
    }

    /// The number of columns.
    pub fn n_features(&self) -> usize {
        *self.offsets.last().expect("never empty")
    }

    /// The name of column `column`: `prefix:term`.
    pub fn feature_name(&self, column: usize) -> String {
        let part = self.offsets.partition_point(|&o| o <= column) - 1;
        let local = column - self.offsets[part];
        // Pieces pushed onto one string: explanations name several features per prediction,
        // and the formatting machinery cost more than the rest of an explanation.
        let mut name = String::with_capacity(32);
        if let Some(b) = self.blocks.get(part) {
            name.push_str(&self.params.blocks[part].prefix);
            name.push(':');
            name.push_str(b.vocabulary().name(local));
        } else {
            let e = &self.extras[part - self.blocks.len()];
            name.push_str(e.prefix());
            name.push(':');
            e.push_name(local, &mut name);
        }
        name
    }

    /// Every column's name, in order.
    pub fn feature_names(&self) -> Vec<String> {
        (0..self.n_features())
            .map(|c| self.feature_name(c))
            .collect()
    }

    /// The feature rows of `inputs`, one per input, in `f32`. A word n-gram block with the
    /// default token rule computes its rows through its fast tables (`template/fast.rs`; the
    /// same rows, bit for bit), any other through its vectorizer.
    pub fn transform(&self, inputs: &[Input<'_>]) -> Result<CsMat<f32>, Error> {
        self.transform_with(inputs, true)
    }

    /// [`FittedTemplate::transform`] with every block through its vectorizer: the reference
    /// the fast tables are tested against.
    pub fn transform_general(&self, inputs: &[Input<'_>]) -> Result<CsMat<f32>, Error> {
        self.transform_with(inputs, false)
    }

    fn transform_with(&self, inputs: &[Input<'_>], fast: bool) -> Result<CsMat<f32>, Error> {
        let views = Views::new(self.params.task, inputs)?;
        let tables = if fast { self.fast_blocks() } else { &[] };
        let parts: Vec<CsMat<f32>> = self
            .params
            .blocks
            .iter()
            .zip(&self.blocks)
            .enumerate()
            .map(|(i, (b, v))| {
                let texts = views.texts(b.source);
                match tables.get(i) {
                    Some(Some(t)) => t.rows(&texts, v.vocabulary().len()),
                    _ => v.transform::<f32, _>(&texts),
                }
            })
            .chain(self.extras.iter().map(|e| e.transform(&views)))
            .collect();
        Ok(hstack(inputs.len(), &parts, &self.offsets))
    }

    /// Writes the template into a model under section names starting with `prefix`.
    pub fn write(&self, w: &mut ArtefactWriter, prefix: &str) -> Result<(), Error> {
        w.json(&format!("{prefix}.params"), &self.params)?;
        for (i, b) in self.blocks.iter().enumerate() {
            w.strings(
                &format!("{prefix}.block.{i}.vocabulary"),
                b.vocabulary().names(),
            )?;
            if let Some(idf) = b.idf() {
                w.f64s(&format!("{prefix}.block.{i}.idf"), idf)?;
            }
        }
        for (i, e) in self.extras.iter().enumerate() {
            e.write(w, &format!("{prefix}.extra.{i}"))?;
        }
        Ok(())
    }

    /// Reads a template written by [`FittedTemplate::write`].
    pub fn read(a: &Artefact, prefix: &str) -> Result<Self, Error> {
        let params: TemplateParams = a.json(&format!("{prefix}.params"))?;
        params.check()?;
        let blocks = params
            .blocks
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let vocabulary = a.strings(&format!("{prefix}.block.{i}.vocabulary"))?;
                let idf_name = format!("{prefix}.block.{i}.idf");
                let idf = if a.has(&idf_name) {
                    Some(a.f64s(&idf_name)?)
                } else {
                    None
                };
                TfidfVectorizer::from_parts(b.vectorizer.clone(), &vocabulary, idf).map_err(|e| {
                    Error::Corrupt {
                        origin: a.origin().to_owned(),
                        reason: format!("block {:?}: {e}", b.prefix),
                    }
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let extras = params
            .extras
            .iter()
            .enumerate()
            .map(|(i, e)| e.read(a, &format!("{prefix}.extra.{i}")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(FittedTemplate::assemble(params, blocks, extras))
    }
}

/// Places the column blocks `parts` (each `rows` × its width) side by side at `offsets`.
fn hstack(rows: usize, parts: &[CsMat<f32>], offsets: &[usize]) -> CsMat<f32> {
    let nnz: usize = parts.iter().map(CsMat::nnz).sum();
    let mut indptr = Vec::with_capacity(rows + 1);
    let mut indices = Vec::with_capacity(nnz);
    let mut data = Vec::with_capacity(nnz);
    indptr.push(0);
    for row in 0..rows {
        for (part, &offset) in parts.iter().zip(offsets) {
            let r = part
                .outer_view(row)
                .expect("every part has a row per input");
            for (column, &value) in r.iter() {
                indices.push(offset + column);
                data.push(value);
            }
        }
        indptr.push(indices.len());
    }
    CsMat::new(
        (rows, *offsets.last().expect("never empty")),
        indptr,
        indices,
        data,
    )
}
