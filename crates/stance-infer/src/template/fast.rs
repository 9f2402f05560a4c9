//! The fast path of a fitted template whose blocks are all word n-gram blocks over a text of
//! the example: one sparse row at a time, with no strings built and nothing allocated once the
//! scratch buffers have grown.
//!
//! The general path ([`FittedTemplate::transform`](super::FittedTemplate::transform)) counts a
//! batch of documents into a CSR matrix through the vectorizer, joining every n-gram into a
//! string to look it up in the vocabulary. A fitted vocabulary is fixed, though, so at load time
//! each block's feature names are split into their tokens: a token dictionary (token → id, for
//! every token of a kept n-gram) and an n-gram table (the packed ids of an n-gram → its column).
//! Scoring then tokenizes with the block's own analyzer (the same preprocessing, token rule,
//! stop words and stemming, asked for unigrams only), maps each token to its id once, and looks
//! n-grams up by integer key; a token outside the dictionary cannot be part of any kept n-gram,
//! so it breaks the n-grams around it. The counts are weighted exactly as the vectorizer weights
//! them (binary, sublinear TF, IDF, norm, in `f64`, rounded to `f32` once), in column order, so
//! the row is the general path's row bit for bit.
//!
//! An ASCII text under an analyzer that neither drops nor stems tokens (the shipped sentiment
//! model's) skips the preprocessing copy: on ASCII, normalization and accent stripping change
//! nothing and lowercasing keeps every span, so the token rule runs on the text itself (as
//! [`in_place_tokens`], which needs none of the general scan's care for multi-byte word
//! characters) and each token is looked up in [`WordKeys`], whose keys lowercase a token of
//! ASCII word bytes with one `or`. So does a text whose
//! only non-ASCII characters are [separators](SEPARATORS) (a curly quote or a dash: a quarter
//! of the tokens of news text are in such sentences) when the analyzer preprocesses by at most
//! lowercasing: such a character is not a word character and lowercasing leaves it as it is,
//! so the preprocessed text is the text with its ASCII capitals lowered, and every token, a run
//! of word characters, is ASCII. Any other text under such an analyzer (one holding `é`, a
//! Cyrillic word, an emoji) is preprocessed into a copy that goes through the general scan and
//! the token dictionary, its tokens read in the copy.
//!
//! Splitting names on spaces is sound only when tokens cannot hold a space: the default token
//! rule (`\w\w+`) guarantees it; a block with a custom token pattern, a character analyzer, a
//! source that needs the mention context, or any extra block makes the template fall back to
//! the general path.

use stance_features::analyzer::{
    Analyzer, AnalyzerBuffer, AnalyzerParams, NgramRange, Normalization, PreprocessBuffer,
    Stemming, StopWords, StripAccents, TokenPattern, WordParams, default_token_spans,
};
use stance_features::vectorize::{Norm, TfidfVectorizer};

use rustc_hash::FxHashMap;
use sprs::CsMat;
use std::collections::hash_map::Entry;

use super::scan::in_place_tokens;
use super::token_ids::{FlatMap, TokenMap, WordKeys};
use super::{Input, MentionInput, Source, TemplateParams};

/// A token outside the dictionary, or a column outside the vocabulary.
const NONE: u32 = u32::MAX;

/// Counts below this have their term frequency looked up rather than computed.
const TF_TABLE: usize = 16;

/// The n-gram table has at least this many slots per key (see [`FlatMap::sparse`]).
const NGRAM_SLOTS_PER_KEY: usize = 4;

/// The token dictionary's tables of short and medium tokens have at least this many slots per
/// key (see [`FlatMap::sparse`]).
const TOKEN_SLOTS_PER_KEY: usize = 8;

/// The fast path of a template (see the module documentation).
#[derive(Clone, Debug)]
pub(crate) struct FastTemplate {
    /// Each block's source and first column; its tables are the template's.
    blocks: Vec<(Source, usize)>,
}

/// Reusable buffers for the fast path's rows (`FastTemplate::row`), one per thread.
#[derive(Clone, Debug, Default)]
pub struct RowScratch {
    analyzer: AnalyzerBuffer,
    /// The preprocessed copy of a non-ASCII text read in place (see [`FastBlock::block_row`]).
    pre: PreprocessBuffer,
    tokens: Vec<Token>,
    hits: ColumnSet,
    /// A block's row: its columns (increasing, the block's own) and their weighted values
    /// before normalization, the first `len` of each; the buffers only grow (to the most
    /// columns of a block), so that they are written by index, never cleared or pushed to.
    columns: Vec<u32>,
    values: Vec<f64>,
    len: usize,
    /// What the row's values are divided by: the norm, or 1 for no normalization or an
    /// all-zero row (a division by 1 is exact).
    divisor: f64,
    /// A whole row, written by
    /// [`FittedTemplate::row_into_scratch`](super::FittedTemplate::row_into_scratch).
    pub(super) row_columns: Vec<usize>,
    pub(super) row_values: Vec<f32>,
}

impl RowScratch {
    /// The block row last written by [`FastBlock::block_row`]: its columns (the block's own,
    /// increasing) and their values, normalized, as the vectorizer writes them.
    #[inline(always)]
    fn block_row(&self) -> impl Iterator<Item = (u32, f32)> + '_ {
        let divisor = self.divisor;
        self.columns[..self.len]
            .iter()
            .zip(&self.values[..self.len])
            .map(move |(&c, &v)| (c, (v / divisor) as f32))
    }

    /// The row last written by
    /// [`FittedTemplate::row_into_scratch`](super::FittedTemplate::row_into_scratch): its
    /// columns (increasing) and values.
    pub(crate) fn row(&self) -> (&[usize], &[f32]) {
        (&self.row_columns, &self.row_values)
    }
}

/// The columns a row hits, each with its count, handed back in increasing order without a sort
/// of the hits: a bit per column, and a bit per 64 columns telling which words of those bits
/// are set, so that reading the set back visits only the words that hold a column. A column hit
/// again (rare in a sentence) goes to a list, sorted when the row is read.
///
/// Every bit is cleared as it is read back, so the set is empty between rows at no cost.
#[derive(Clone, Debug, Default)]
struct ColumnSet {
    /// One bit per column.
    bits: Vec<u64>,
    /// One bit per word of `bits`: whether that word has a bit set.
    summary: Vec<u64>,
    /// Every hit of a column after its first, in no order until the row is read back.
    repeats: Vec<u32>,
    /// A row was started and not read back (a panic in between): the bits may be dirty.
    open: bool,
}

impl ColumnSet {
    /// Starts a row whose columns are below `columns`, counted through the [`Hits`] returned.
    fn start(&mut self, columns: usize) -> Hits<'_> {
        if self.open {
            self.bits.fill(0);
            self.summary.fill(0);
        }
        let words = columns.div_ceil(64);
        if self.bits.len() < words {
            self.bits.resize(words, 0);
            self.summary.resize(words.div_ceil(64), 0);
        }
        self.repeats.clear();
        self.open = true;
        Hits {
            bits: &mut self.bits[..words],
            summary: &mut self.summary[..words.div_ceil(64)],
            repeats: &mut self.repeats,
            open: &mut self.open,
        }
    }
}

/// A row being counted into a [`ColumnSet`], its parts held apart (slices and a count, not a
/// reference to the set), so that the token loop can keep them in registers instead of reading
/// them back through the set at every hit (a store into the bits might, for all the compiler
/// knows, have changed them).
struct Hits<'a> {
    /// The row's words of [`ColumnSet::bits`] and [`ColumnSet::summary`].
    bits: &'a mut [u64],
    summary: &'a mut [u64],
    repeats: &'a mut Vec<u32>,
    open: &'a mut bool,
}

impl<'a> Hits<'a> {
    /// Counts a hit of `column` (below the `columns` the row was started with).
    #[inline(always)]
    fn insert(&mut self, column: u32) {
        let w = (column >> 6) as usize;
        let bit = 1u64 << (column & 63);
        let word = &mut self.bits[w];
        if *word & bit != 0 {
            repeat(self.repeats, column);
        } else {
            *word |= bit;
            self.summary[w >> 6] |= 1u64 << (w & 63);
        }
    }

    /// Writes the distinct columns hit into the start of `columns`, in increasing order, and
    /// empties the set; returns how many, and every hit of a column after its first, in
    /// increasing order. `columns` is grown to the row's number of columns (rounded up to a
    /// word of bits) if shorter, and never shrunk: no count of the columns is kept as they
    /// are hit, and the buffer is not filled again for every row.
    #[inline(always)]
    fn drain(self, columns: &mut Vec<u32>) -> (usize, &'a [u32]) {
        let Hits {
            bits,
            summary,
            repeats,
            open,
        } = self;
        if columns.len() < bits.len() * 64 {
            columns.resize(bits.len() * 64, 0);
        }
        let out = &mut columns[..];
        let mut k = 0;
        for (s, top) in summary.iter_mut().enumerate() {
            let mut top = std::mem::take(top);
            while top != 0 {
                let w = s * 64 + top.trailing_zeros() as usize;
                top &= top - 1;
                let mut word = std::mem::take(&mut bits[w]);
                while word != 0 {
                    out[k] = (w * 64) as u32 + word.trailing_zeros();
                    k += 1;
                    word &= word - 1;
                }
            }
        }
        repeats.sort_unstable();
        *open = false;
        (k, repeats)
    }
}

/// Counts a column hit again.
#[cold]
#[inline(never)]
fn repeat(repeats: &mut Vec<u32>, column: u32) {
    repeats.push(column);
}

/// A dictionary token in eight bytes (the dictionary's slots stay small, so more of it stays in
/// cache): its id with two flags in the top bits, and its column as a one-token feature.
#[derive(Clone, Copy, Debug)]
struct Token {
    /// The id (the low 30 bits; [`NO_ID`] for a token outside the dictionary), [`STARTS`] if it
    /// is the first token of an n-gram of two or more, [`FOLLOWS`] if a later one.
    tagged: u32,
    /// Its column as a one-token feature, or [`NONE`].
    unigram: u32,
}

const STARTS: u32 = 1 << 31;
const FOLLOWS: u32 = 1 << 30;
/// The id of a token outside the dictionary, above every other id.
const NO_ID: u32 = FOLLOWS - 1;

const UNKNOWN: Token = Token {
    tagged: NO_ID,
    unigram: NONE,
};

impl Token {
    fn new(id: u32) -> Token {
        Token {
            tagged: id,
            ..UNKNOWN
        }
    }

    #[inline(always)]
    fn id(self) -> u32 {
        self.tagged & NO_ID
    }

    #[inline(always)]
    fn starts(self) -> bool {
        self.tagged & STARTS != 0
    }

    #[inline(always)]
    fn follows(self) -> bool {
        self.tagged & FOLLOWS != 0
    }
}

impl Default for Token {
    fn default() -> Self {
        UNKNOWN
    }
}

/// One block's tables.
#[derive(Clone, Debug)]
pub(crate) struct FastBlock {
    /// The block's analyzer with the n-gram range set to unigrams: its final tokens.
    tokens: Analyzer,
    /// When the analyzer neither drops nor stems tokens, whether it lowercases: an ASCII text
    /// is then tokenized in place (on ASCII text, normalization and accent stripping change
    /// nothing and lowercasing keeps every span), its tokens lowercased as they are looked up;
    /// any other text is preprocessed and its copy tokenized the same way (the analyzer's
    /// features are then the tokens of the preprocessed text, as
    /// [`Analyzer::features_are_tokens`] tells), with no call per token.
    direct: Option<bool>,
    /// Whether the analyzer's preprocessing is at most lowercasing (no normalization, no
    /// accent stripping): a text whose non-ASCII characters are all [`SEPARATORS`] is then
    /// read in place as an ASCII text is (see the module documentation).
    separators: bool,
    min_n: usize,
    max_n: usize,
    /// Token string → token.
    dictionary: TokenMap<Token>,
    /// The dictionary's tokens of ASCII word bytes keyed for a text read in place, lowercased
    /// as they are looked up when the analyzer lowercases (empty when no text is read in
    /// place).
    words: WordKeys<Token>,
    /// Bits per token id in a packed n-gram key.
    bits: u32,
    /// Packed key of an n-gram of two or more tokens → column.
    ngrams: FlatMap<u64, u32>,
    /// The block's number of columns.
    columns: usize,
    binary: bool,
    sublinear_tf: bool,
    idf: Option<Vec<f64>>,
    norm: Norm,
    /// The term frequency of each count below [`TF_TABLE`].
    tf: [f64; TF_TABLE],
}

impl FastTemplate {
    /// The one-row path of a fitted template whose blocks have the fast `tables`, or `None`
    /// when some block needs the general path or reads a mention-context text.
    pub(crate) fn new(
        params: &TemplateParams,
        tables: &[Option<FastBlock>],
        offsets: &[usize],
    ) -> Option<FastTemplate> {
        if !params.extras.is_empty() || params.blocks.is_empty() {
            return None;
        }
        let blocks = params
            .blocks
            .iter()
            .zip(tables)
            .zip(offsets)
            .map(|((b, t), &offset)| {
                let context = matches!(
                    b.source,
                    Source::Left | Source::Between | Source::Right | Source::Sentence
                );
                (t.is_some() && !context).then_some((b.source, offset))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(FastTemplate { blocks })
    }

    /// Writes the feature row of `input` into `columns` (increasing) and `values`, with the
    /// blocks' `tables` (those [`FastTemplate::new`] was given); `false` when the input lacks a
    /// text a block reads (an example of another task).
    pub(crate) fn row(
        &self,
        tables: &[Option<FastBlock>],
        input: &Input<'_>,
        scratch: &mut RowScratch,
        columns: &mut Vec<usize>,
        values: &mut Vec<f32>,
    ) -> bool {
        columns.clear();
        values.clear();
        for (&(source, offset), table) in self.blocks.iter().zip(tables) {
            let Some(text) = source_text(input, source) else {
                return false;
            };
            let table = table.as_ref().expect("checked by FastTemplate::new");
            table.add_row(text, offset, scratch, columns, values);
        }
        true
    }

    /// The row of `input` as (column, value) pairs in column order, read in place from
    /// `scratch`, when the template has one block (as [`FastTemplate::row`] writes it, bit
    /// for bit); `None` for a template of several blocks or an input that lacks the block's
    /// text.
    pub(crate) fn one_block_row<'s>(
        &self,
        tables: &[Option<FastBlock>],
        input: &Input<'_>,
        scratch: &'s mut RowScratch,
    ) -> Option<impl Iterator<Item = (usize, f32)> + 's> {
        let [(source, offset)] = self.blocks[..] else {
            return None;
        };
        let text = source_text(input, source)?;
        let table = tables[0].as_ref().expect("checked by FastTemplate::new");
        table.block_row(text, scratch);
        Some(
            scratch
                .block_row()
                .map(move |(c, v)| (offset + c as usize, v)),
        )
    }
}

/// The text `source` names in `input`, for the sources that are a text of the example.
fn source_text<'a>(input: &Input<'a>, source: Source) -> Option<&'a str> {
    match (input, source) {
        (Input::Document { text }, Source::Text)
        | (Input::Target { text, .. }, Source::Text)
        | (Input::Target { target: text, .. }, Source::Target)
        | (Input::Pair { text_a: text, .. }, Source::TextA)
        | (Input::Pair { text_b: text, .. }, Source::TextB)
        | (Input::Mention(MentionInput { text, .. }), Source::Text) => Some(text),
        _ => None,
    }
}

impl FastBlock {
    /// The rows of `texts` (local columns, `columns` of them), the same as the vectorizer's
    /// `transform`.
    ///
    /// A text met earlier in the batch has its row copied: the pairs of a sentence that share
    /// their first mention share their left context, those that share their second mention
    /// their right context.
    pub(crate) fn rows(&self, texts: &[&str], columns: usize) -> CsMat<f32> {
        let mut scratch = RowScratch::default();
        let (mut row_columns, mut row_values) = (Vec::new(), Vec::new());
        let mut indptr = Vec::with_capacity(texts.len() + 1);
        let (mut indices, mut data) = (Vec::new(), Vec::new());
        let mut seen: FxHashMap<&str, usize> = FxHashMap::default();
        indptr.push(0);
        for (i, text) in texts.iter().enumerate() {
            match seen.entry(text) {
                Entry::Occupied(earlier) => {
                    let (start, end) = (indptr[*earlier.get()], indptr[*earlier.get() + 1]);
                    indices.extend_from_within(start..end);
                    data.extend_from_within(start..end);
                }
                Entry::Vacant(slot) => {
                    slot.insert(i);
                    row_columns.clear();
                    row_values.clear();
                    self.add_row(text, 0, &mut scratch, &mut row_columns, &mut row_values);
                    indices.extend_from_slice(&row_columns);
                    data.extend_from_slice(&row_values);
                }
            }
            indptr.push(indices.len());
        }
        CsMat::new((texts.len(), columns), indptr, indices, data)
    }

    /// The tables of a block's `vectorizer`, whatever text the block reads, or `None` when it
    /// needs its vectorizer (not a word analyzer with the default token rule, or a vocabulary
    /// too large for the packed keys).
    pub(crate) fn new(vectorizer: &TfidfVectorizer) -> Option<FastBlock> {
        let AnalyzerParams::Word(word) = vectorizer.counter().analyzer().params() else {
            return None;
        };
        if word.token_pattern != TokenPattern::Default {
            return None;
        }
        let (min_n, max_n) = (word.ngram_range.min_n(), word.ngram_range.max_n());
        let tokens = AnalyzerParams::Word(WordParams {
            ngram_range: NgramRange::UNIGRAMS,
            ..word.clone()
        })
        .check()
        .ok()?;
        let vocabulary = vectorizer.vocabulary();
        let mut dictionary: TokenMap<Token> = TokenMap::default();
        // First pass: every token gets an id, so that the key width is known.
        let mut grams: Vec<(Vec<u32>, u32)> = Vec::new();
        for (column, name) in vocabulary.names().enumerate() {
            let parts = name
                .split(' ')
                .map(|token| {
                    let next = dictionary.len() as u32;
                    match token {
                        "" => None,
                        token => dictionary.entry(token, || Token::new(next)).map(|t| t.id()),
                    }
                })
                .collect::<Option<Vec<u32>>>()?;
            if parts.len() < min_n || parts.len() > max_n || column >= NONE as usize {
                return None;
            }
            grams.push((parts, column as u32));
        }
        let n_tokens = dictionary.len();
        // Ids are stored plus one, so no digit of a key is zero and keys of different lengths
        // differ.
        let bits = usize::BITS - n_tokens.leading_zeros();
        if n_tokens >= NO_ID as usize || bits as usize * max_n > 64 {
            return None;
        }
        let mut by_id = vec![UNKNOWN; n_tokens];
        // Most pairs of tokens that could form a kept bigram do not (half of the look-ups while
        // scoring news), and a look-up that misses probes up to an empty slot: a sparser table
        // keeps those runs short.
        let longer = grams.iter().filter(|(parts, _)| parts.len() > 1).count();
        let mut ngrams = FlatMap::sparse(longer, NGRAM_SLOTS_PER_KEY);
        for (parts, column) in grams {
            if let [one] = parts[..] {
                by_id[one as usize].unigram = column;
            } else {
                by_id[parts[0] as usize].tagged |= STARTS;
                for &later in &parts[1..] {
                    by_id[later as usize].tagged |= FOLLOWS;
                }
                ngrams.insert(pack(&parts, bits), column);
            }
        }
        for token in dictionary.values_mut() {
            let learned = by_id[token.id() as usize];
            *token = Token {
                tagged: token.id() | (learned.tagged & (STARTS | FOLLOWS)),
                unigram: learned.unigram,
            };
        }
        let params = vectorizer.params();
        let direct = (word.stop_words == StopWords::None && word.stemmer == Stemming::None)
            .then_some(word.preprocess.lowercase);
        // Most tokens of news text outside the dictionary are looked up in vain, and such a
        // look-up probes up to an empty slot: a sparser dictionary answers them at the first.
        // When texts are read in place, most are looked up in `words` (sparse), the dictionary
        // only for the few other texts: it is left as it is, a table at most 3/4 full, which
        // saves the time and memory of rebuilding it at load.
        if direct.is_none() {
            dictionary.respace(TOKEN_SLOTS_PER_KEY);
        }
        debug_assert_eq!(direct.is_some(), tokens.features_are_tokens());
        let separators = word.preprocess.normalization == Normalization::None
            && word.preprocess.strip_accents == StripAccents::None;
        Some(FastBlock {
            tokens,
            direct,
            separators,
            min_n,
            max_n,
            words: match direct {
                Some(lower) => WordKeys::new(&dictionary, lower, TOKEN_SLOTS_PER_KEY),
                None => WordKeys::default(),
            },
            dictionary,
            bits,
            ngrams,
            columns: vocabulary.len(),
            binary: params.count.binary,
            sublinear_tf: params.sublinear_tf,
            idf: vectorizer.idf().map(<[f64]>::to_vec),
            norm: params.norm,
            tf: std::array::from_fn(|n| {
                term_frequency(n, params.count.binary, params.sublinear_tf)
            }),
        })
    }

    /// Appends the block's part of the row of `text`, its columns from `offset` on.
    fn add_row(
        &self,
        text: &str,
        offset: usize,
        scratch: &mut RowScratch,
        columns: &mut Vec<usize>,
        values: &mut Vec<f32>,
    ) {
        self.block_row(text, scratch);
        for (c, v) in scratch.block_row() {
            columns.push(offset + c as usize);
            values.push(v);
        }
    }

    /// The block's row of `text` into `scratch` (read back with [`RowScratch::block_row`]).
    fn block_row(&self, text: &str, scratch: &mut RowScratch) {
        let RowScratch {
            analyzer,
            pre,
            tokens,
            hits,
            columns,
            values,
            len,
            divisor,
            ..
        } = scratch;
        let mut hits = hits.start(self.columns);
        if (self.min_n, self.max_n) == (1, 2) {
            // Unigrams and bigrams (the shipped sentiment model): each token is looked up and
            // paired with the one before as it comes, with no token list.
            // Each path has its own closure, so that each is inlined into its token loop.
            let mut prev = UNKNOWN;
            match self.direct {
                Some(_) if self.in_place(text) => {
                    self.ascii_unigram_bigram(text, &mut hits);
                }
                Some(_) => {
                    let text = self.tokens.preprocess(text, pre).text();
                    default_token_spans(text, |start, end| {
                        let t = self.dictionary.get_in(text, start, end);
                        let t = t.copied().unwrap_or(UNKNOWN);
                        self.unigram_bigram(&mut prev, t, &mut hits);
                    });
                }
                None => self.tokens.for_each_feature(text, analyzer, |token| {
                    let t = self.dictionary.get(token).copied().unwrap_or(UNKNOWN);
                    self.unigram_bigram(&mut prev, t, &mut hits);
                }),
            }
        } else {
            tokens.clear();
            self.for_each_token(text, analyzer, pre, |t| tokens.push(t));
            self.ngram_hits(tokens, &mut hits);
        }
        let (n, repeats) = hits.drain(columns);
        *len = n;
        *divisor = match self.norm {
            Norm::None => self.weigh(&columns[..n], repeats, values, |_, _| 0.0),
            Norm::L1 => self.weigh(&columns[..n], repeats, values, |sum, v| sum + v.abs()),
            Norm::L2 => self
                .weigh(&columns[..n], repeats, values, |sum, v| sum + v * v)
                .sqrt(),
        };
        // As `Norm::apply`: an all-zero row (and any row under no norm) is left alone.
        if *divisor == 0.0 {
            *divisor = 1.0;
        }
    }

    /// Writes the weighted values of the distinct `columns` of a row, whose columns hit again
    /// are `repeats` (both increasing), into the start of `values` (grown if shorter, never
    /// shrunk); returns the fold of the values by `norm` from 0, in column order (the sum the
    /// row's norm is taken of: the same additions in the same order as `Norm::apply`, whose
    /// sum starts from a zero too, and adding one to a zero is exact).
    ///
    /// A column hit once gets the term frequency of a count of one; the repeats, merged in as
    /// the columns go by, give the count of the others.
    #[inline(always)]
    fn weigh(
        &self,
        columns: &[u32],
        repeats: &[u32],
        values: &mut Vec<f64>,
        norm: impl Fn(f64, f64) -> f64,
    ) -> f64 {
        if values.len() < columns.len() {
            values.resize(columns.len(), 0.0);
        }
        let values = &mut values[..columns.len()];
        let once = self.tf[1];
        let mut sum = 0.0;
        // The next column hit again (`NONE` is no column).
        let mut repeats = repeats.iter().copied().peekable();
        let mut next_repeat = repeats.peek().copied().unwrap_or(NONE);
        for (value, &column) in values.iter_mut().zip(columns) {
            let tf = if column == next_repeat {
                let mut count = 1;
                while repeats.next_if_eq(&column).is_some() {
                    count += 1;
                }
                next_repeat = repeats.peek().copied().unwrap_or(NONE);
                self.term_frequency(count)
            } else {
                once
            };
            let v = match &self.idf {
                Some(idf) => tf * idf[column as usize],
                None => tf,
            };
            *value = v;
            sum = norm(sum, v);
        }
        sum
    }

    /// The term frequency of a count.
    #[cold]
    fn term_frequency(&self, count: usize) -> f64 {
        match self.tf.get(count) {
            Some(&tf) => tf,
            None => term_frequency(count, self.binary, self.sublinear_tf),
        }
    }

    /// Whether `text` is read in place, its tokens ASCII and lowercased as they are looked up
    /// (when the analyzer neither drops nor stems tokens): an ASCII text, or one whose
    /// non-ASCII characters are all [`SEPARATORS`] under an analyzer that at most lowercases.
    #[inline(always)]
    fn in_place(&self, text: &str) -> bool {
        is_ascii(text) || (self.separators && only_separators(text))
    }

    /// Counts the unigram and bigram hits of a `text` read in place (see
    /// [`FastBlock::in_place`]) into `hits`, its tokens lowercased as they are looked up when
    /// the analyzer lowercases (by [`FastBlock::words`]' keys, with no test per token).
    fn ascii_unigram_bigram(&self, text: &str, hits: &mut Hits<'_>) {
        let bytes = text.as_bytes();
        let mut prev = UNKNOWN;
        in_place_tokens(bytes, |start, end| {
            // A token outside the dictionary gets the default entry, `UNKNOWN`.
            let t = self
                .words
                .get_or_default(&self.dictionary, bytes, start, end);
            self.unigram_bigram(&mut prev, t, hits);
        });
    }

    /// Counts the unigram of `t` and its bigram with the token before, `prev`, which becomes `t`.
    #[inline(always)]
    fn unigram_bigram(&self, prev: &mut Token, t: Token, hits: &mut Hits<'_>) {
        if t.unigram != NONE {
            hits.insert(t.unigram);
        }
        // One branch for both flags: `prev` starts an n-gram and `t` follows in one.
        if prev.tagged & (t.tagged << 1) & STARTS != 0 {
            let key = pack(&[prev.id(), t.id()], self.bits);
            if let Some(&column) = self.ngrams.get(key) {
                hits.insert(column);
            }
        }
        *prev = t;
    }

    /// Calls `f` with the dictionary entry of every token of `text`, in order.
    #[inline]
    fn for_each_token(
        &self,
        text: &str,
        analyzer: &mut AnalyzerBuffer,
        pre: &mut PreprocessBuffer,
        mut f: impl FnMut(Token),
    ) {
        match self.direct {
            Some(_) if self.in_place(text) => {
                let bytes = text.as_bytes();
                in_place_tokens(bytes, |start, end| {
                    f(self
                        .words
                        .get_or_default(&self.dictionary, bytes, start, end));
                });
            }
            Some(_) => {
                let text = self.tokens.preprocess(text, pre).text();
                default_token_spans(text, |start, end| {
                    f(self
                        .dictionary
                        .get_in(text, start, end)
                        .copied()
                        .unwrap_or(UNKNOWN));
                });
            }
            None => self.tokens.for_each_feature(text, analyzer, |token| {
                f(self.dictionary.get(token).copied().unwrap_or(UNKNOWN));
            }),
        }
    }

    /// Counts the columns of the n-grams of `tokens` into `hits`.
    fn ngram_hits(&self, tokens: &[Token], hits: &mut Hits<'_>) {
        for (i, first) in tokens.iter().enumerate() {
            if self.min_n == 1 && first.unigram != NONE {
                hits.insert(first.unigram);
            }
            if !first.starts() {
                continue;
            }
            let mut key = u64::from(first.id()) + 1;
            for (k, next) in tokens[i + 1..].iter().take(self.max_n - 1).enumerate() {
                if !next.follows() {
                    break;
                }
                key = (key << self.bits) | (u64::from(next.id()) + 1);
                if k + 2 >= self.min_n {
                    if let Some(&column) = self.ngrams.get(key) {
                        hits.insert(column);
                    }
                }
            }
        }
    }
}

/// Whether `text` is ASCII, as `str::is_ascii` tells: the standard test on the whole 64-byte
/// blocks (it takes the bytes after them one at a time), the rest eight bytes at a time.
#[inline]
fn is_ascii(text: &str) -> bool {
    let b = text.as_bytes();
    let (blocks, rest) = b.split_at(b.len() - b.len() % 64);
    if !blocks.is_ascii() {
        return false;
    }
    let mut words = rest.chunks_exact(8);
    let mut any = 0u64;
    for w in &mut words {
        any |= u64::from_le_bytes(w.try_into().expect("8 bytes"));
    }
    for &byte in words.remainder() {
        any |= u64::from(byte);
    }
    any & 0x8080_8080_8080_8080 == 0
}

/// The non-ASCII characters a text may hold and still be read in place (see the module
/// documentation), as inclusive ranges of code points: characters that are not word
/// characters (`\w` as the token rule defines it, Python's, nor the `regex` crate's, so that
/// no corner of either definition is leaned on) and that lowercasing leaves as they are.
/// Latin-1 punctuation and symbols; general punctuation (spaces, dashes, quotes, the ellipsis,
/// bullets, invisible format characters; not the connector punctuation U+203F, U+2040, U+2054,
/// nor U+200C and U+200D, word characters to `regex`); currency signs; arrows, mathematical
/// operators and technical symbols; box drawing, geometric shapes, miscellaneous symbols and
/// dingbats up to the dingbat digits. All are in the two windows [`only_separators`] decodes:
/// U+0080 to U+00FF (lead bytes C2, C3) and U+2000 to U+2FFF (lead byte E2). The test
/// `separators_are_neither_word_characters_nor_lowercased` checks each against the definitions.
const SEPARATORS: &[(u32, u32)] = &[
    (0x0080, 0x00a9),
    (0x00ab, 0x00b1),
    (0x00b4, 0x00b4),
    (0x00b6, 0x00b8),
    (0x00bb, 0x00bb),
    (0x00bf, 0x00bf),
    (0x00d7, 0x00d7),
    (0x00f7, 0x00f7),
    (0x2000, 0x200b),
    (0x200e, 0x203e),
    (0x2041, 0x2053),
    (0x2055, 0x2064),
    (0x2066, 0x206f),
    (0x20a0, 0x20bf),
    (0x2190, 0x23ff),
    (0x2500, 0x2775),
];

/// [`SEPARATORS`] in U+0080 to U+00FF, a bit per code point from U+0080.
const LATIN1_SEPARATORS: u128 = {
    let mut bits = 0u128;
    let mut r = 0;
    while r < SEPARATORS.len() {
        let (lo, hi) = SEPARATORS[r];
        let mut cp = lo;
        while cp <= hi {
            if cp < 0x100 {
                bits |= 1 << (cp - 0x80);
            }
            cp += 1;
        }
        r += 1;
    }
    bits
};

/// [`SEPARATORS`] in U+2000 to U+2FFF, a bit per code point from U+2000.
static E2_SEPARATORS: [u64; 64] = {
    let mut bits = [0u64; 64];
    let mut r = 0;
    while r < SEPARATORS.len() {
        let (lo, hi) = SEPARATORS[r];
        let mut cp = lo;
        while cp <= hi {
            if cp >= 0x2000 {
                let i = (cp - 0x2000) as usize;
                bits[i >> 6] |= 1 << (i & 63);
            }
            cp += 1;
        }
        r += 1;
    }
    bits
};

/// Whether every non-ASCII character of `text` is one of [`SEPARATORS`]: the text is skipped
/// eight bytes at a time up to a non-ASCII byte (the lead byte of a character, since the walk
/// steps over whole characters), whose character is decoded only as far as the windows of
/// the table need.
#[inline]
fn only_separators(text: &str) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let word = match b[i..].first_chunk::<8>() {
            Some(&eight) => u64::from_le_bytes(eight),
            None => b[i..]
                .iter()
                .rev()
                .fold(0u64, |w, &byte| (w << 8) | u64::from(byte)),
        };
        let high = word & HIGH;
        if high == 0 {
            i += 8;
            continue;
        }
        let k = i + (high.trailing_zeros() / 8) as usize;
        let lead = b[k];
        let cont = |j: usize| u32::from(b[k + j] & 0x3f);
        let separator = match lead {
            // U+0080 to U+00FF: the lead's low bit, then the continuation's six.
            0xc2 | 0xc3 => {
                i = k + 2;
                LATIN1_SEPARATORS >> ((u32::from(lead & 1) << 6) | cont(1)) & 1 != 0
            }
            // U+2000 to U+2FFF: two continuations' six bits each.
            0xe2 => {
                i = k + 3;
                let cp = ((cont(1) << 6) | cont(2)) as usize;
                E2_SEPARATORS[cp >> 6] >> (cp & 63) & 1 != 0
            }
            _ => false,
        };
        if !separator {
            return false;
        }
    }
    true
}

/// The term frequency of a count, as the vectorizer computes it.
fn term_frequency(count: usize, binary: bool, sublinear: bool) -> f64 {
    let tf = if binary { 1.0 } else { count as f64 };
    if sublinear { tf.ln() + 1.0 } else { tf }
}

/// The key of an n-gram of token ids: each id plus one, `bits` bits per id.
fn pack(ids: &[u32], bits: u32) -> u64 {
    ids.iter()
        .fold(0u64, |key, &id| (key << bits) | (u64::from(id) + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::xorshift;

    use stance_features::analyzer::{Preprocess, WordParams};
    use stance_features::vectorize::TfidfParams;

    /// The sorted distinct columns of `hits` with their counts.
    fn counted(hits: &[u32]) -> Vec<(u32, usize)> {
        let mut sorted = hits.to_vec();
        sorted.sort_unstable();
        let mut out: Vec<(u32, usize)> = Vec::new();
        for c in sorted {
            match out.last_mut() {
                Some((last, n)) if *last == c => *n += 1,
                _ => out.push((c, 1)),
            }
        }
        out
    }

    /// A unigram-and-bigram vectorizer fitted on `docs` with the shipped sentiment model's
    /// weighting (sublinear term frequency, IDF, L2 norm), and its fast tables.
    fn fitted(docs: &[&str]) -> (TfidfVectorizer, FastBlock) {
        let mut params = TfidfParams::default();
        params.count.analyzer = AnalyzerParams::Word(WordParams {
            ngram_range: NgramRange::new(1, 2).unwrap(),
            ..WordParams::default()
        });
        params.sublinear_tf = true;
        let vectorizer = params.fit(docs).unwrap();
        let block = FastBlock::new(&vectorizer).expect("fast tables");
        (vectorizer, block)
    }

    fn drained(hits: Hits<'_>) -> Vec<(u32, usize)> {
        // A buffer left longer than the row by an earlier one, as in the scratch.
        let mut columns = vec![u32::MAX; 50];
        let (n, repeats) = hits.drain(&mut columns);
        let repeats = repeats.to_vec();
        assert!(repeats.is_sorted(), "{repeats:?}");
        columns[..n]
            .iter()
            .map(|&c| (c, 1 + repeats.iter().filter(|&&r| r == c).count()))
            .collect()
    }

    #[test]
    fn column_set_counts_hits_in_column_order() {
        let mut set = ColumnSet::default();
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        // Column counts around word and summary-word boundaries, larger and smaller than the
        // rows before (one scratch serves blocks of every size).
        for columns in [1usize, 63, 64, 65, 4095, 4096, 4097, 28_238, 70, 300_000, 5] {
            for _ in 0..40 {
                let len = (xorshift(&mut x) % 90) as usize;
                let few = xorshift(&mut x) % 2 == 0;
                let hits: Vec<u32> = (0..len)
                    .map(|_| {
                        let r = xorshift(&mut x) as usize;
                        // Sometimes from a handful of columns, so that repeats are common, and
                        // always including the first and last columns.
                        match r % 7 {
                            0 => 0,
                            1 => columns as u32 - 1,
                            _ if few => (r % columns.min(5)) as u32,
                            _ => ((r >> 8) % columns) as u32,
                        }
                    })
                    .collect();
                let mut row = set.start(columns);
                for &h in &hits {
                    row.insert(h);
                }
                assert_eq!(drained(row), counted(&hits), "{columns}: {hits:?}");
            }
            // Drained, the set is empty.
            assert_eq!(drained(set.start(columns)), []);
        }
    }

    #[test]
    fn column_set_recovers_from_a_row_left_unread() {
        let mut set = ColumnSet::default();
        let mut row = set.start(1000);
        for c in [3, 999, 64, 3] {
            row.insert(c);
        }
        // No drain (as after a panic while tokenizing): the next row starts clean.
        let mut row = set.start(1000);
        for c in [5, 64] {
            row.insert(c);
        }
        assert_eq!(drained(row), [(5, 1), (64, 1)]);
        set.start(2000).insert(1500);
        let mut row = set.start(100);
        row.insert(7);
        assert_eq!(drained(row), [(7, 1)]);
        assert_eq!(drained(set.start(2000)), []);
    }

    /// Every weighting (norm, IDF or not, binary or not, sublinear or not) gives the
    /// vectorizer's rows, bit for bit, on texts with columns hit once and many times (past the
    /// term-frequency table), and with no column hit at all.
    #[test]
    fn rows_are_the_vectorizers_under_every_weighting() {
        let docs = [
            "truce talks stall truce",
            "talks resume after the truce",
            "peace peace talks",
            "the ceasefire holds",
            "Truce holds, talks go on",
        ];
        let words = [
            "truce", "talks", "peace", "the", "holds", "xyz", "truce", "truce",
        ];
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        let texts: Vec<String> = (0..300)
            .map(|i| {
                let n = (xorshift(&mut x) % (if i % 10 == 0 { 60 } else { 12 })) as usize;
                (0..n)
                    .map(|_| words[(xorshift(&mut x) >> 8) as usize % words.len()])
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .chain(["", "xyz", "!!"].map(String::from))
            .collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        for norm in [Norm::L1, Norm::L2, Norm::None] {
            for flags in 0..8 {
                let mut params = TfidfParams::default();
                params.count.analyzer = AnalyzerParams::Word(WordParams {
                    ngram_range: NgramRange::new(1, 2).unwrap(),
                    ..WordParams::default()
                });
                params.norm = norm;
                params.use_idf = flags & 1 != 0;
                params.count.binary = flags & 2 != 0;
                params.sublinear_tf = flags & 4 != 0;
                let vectorizer = params.fit(&docs).unwrap();
                let block = FastBlock::new(&vectorizer).expect("fast tables");
                let fast = block.rows(&texts, vectorizer.vocabulary().len());
                let general: CsMat<f32> = vectorizer.transform(&texts);
                let bits =
                    |m: &CsMat<f32>| m.data().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                assert_eq!(fast.indptr(), general.indptr(), "{norm:?} {flags}");
                assert_eq!(fast.indices(), general.indices(), "{norm:?} {flags}");
                assert_eq!(bits(&fast), bits(&general), "{norm:?} {flags}");
            }
        }
    }

    #[test]
    fn rows_of_many_repeats_are_the_vectorizers() {
        // Every token and every pair of tokens a column: each token of a text of two-letter
        // words hits a unigram and a bigram, most of them many times (counts past the
        // term-frequency table's), on the ASCII path and in the preprocessed copy.
        let docs = ["ab cd ab ab", "cd ab cd cd", "AB cd"];
        let (vectorizer, block) = fitted(&docs);
        let words = ["ab", "cd", "ab", "ab", "cd", "cd"];
        let mut text = String::new();
        let mut texts = Vec::new();
        for (i, w) in words.iter().cycle().take(120).enumerate() {
            // Single separators, and the odd non-ASCII one (read in the preprocessed copy).
            text.push_str(if i % 37 == 5 { "\u{a0}" } else { " " });
            text.push_str(w);
            texts.push(text.trim_start().to_owned());
            texts.push(format!("{}.", text.trim_start()));
        }
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let fast = block.rows(&texts, vectorizer.vocabulary().len());
        let general: CsMat<f32> = vectorizer.transform(&texts);
        assert_eq!(fast.indptr(), general.indptr());
        assert_eq!(fast.indices(), general.indices());
        let bits = |m: &CsMat<f32>| m.data().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&fast), bits(&general));
        // Every column hit (the two words and the four pairs of them), in the longest text.
        let mut scratch = RowScratch::default();
        block.block_row(texts[texts.len() - 2], &mut scratch);
        let columns: Vec<u32> = scratch.block_row().map(|(c, _)| c).collect();
        assert_eq!(columns, [0, 1, 2, 3, 4, 5]);
        assert_eq!(vectorizer.vocabulary().len(), 6);
    }

    /// Every character of [`SEPARATORS`], and only those, passes [`only_separators`] (alone
    /// and among ASCII); each is a word character under neither definition of `\w` and is left
    /// as it is by lowercasing, in its context, as [`Preprocess::apply`] does it.
    #[test]
    fn separators_are_neither_word_characters_nor_lowercased() {
        use stance_features::analyzer::unicode::is_word_char;
        let regex_word = regex::Regex::new(r"^\w$").unwrap();
        let lower = Preprocess::default();
        assert!(lower.lowercase && lower.normalization == Normalization::None);
        let keep = Preprocess {
            lowercase: false,
            ..lower
        };
        let mut buf = PreprocessBuffer::default();
        let mut admitted = 0;
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let listed = SEPARATORS
                .iter()
                .any(|&(lo, hi)| (lo..=hi).contains(&(c as u32)));
            let alone = c.to_string();
            let among = format!("Ab{c}cD {c}{c}x");
            assert_eq!(only_separators(&alone), c.is_ascii() || listed, "{c:?}");
            assert_eq!(only_separators(&among), c.is_ascii() || listed, "{c:?}");
            if !listed || c.is_ascii() {
                continue;
            }
            admitted += 1;
            assert!(!is_word_char(c), "{c:?} is a word character");
            assert!(!regex_word.is_match(&alone), "{c:?} is \\w to regex");
            assert_eq!(
                lower.apply(&among, &mut buf).text(),
                format!("ab{c}cd {c}{c}x"),
                "{c:?}"
            );
            assert_eq!(keep.apply(&among, &mut buf).text(), among, "{c:?}");
        }
        // The quotes, dashes and spaces of news text are in.
        for c in "\u{a0}\u{ad}£©«»×’‘“”–—…•€→■\u{200b}\u{2009}".chars() {
            assert!(only_separators(&c.to_string()), "{c:?}");
        }
        assert_eq!(
            admitted,
            SEPARATORS.iter().map(|(lo, hi)| hi - lo + 1).sum::<u32>()
        );
    }

    /// Texts of ASCII words, separators, other non-word characters (some that lowercasing
    /// changes, some that are word characters to `regex` alone), non-ASCII word characters,
    /// digits and underscores get the vectorizer's rows, under analyzers that do and do not
    /// let separators be read in place: lowercasing or not (read in place), NFKC (which
    /// rewrites the ellipsis and the no-break space) and ASCII accent stripping (which drops
    /// every non-ASCII character, joining the words around a separator).
    #[test]
    fn texts_with_separators_read_in_place_are_the_vectorizers() {
        const PIECES: &[&str] = &[
            "truce",
            "Truce",
            "TALKS",
            "peace",
            "talks",
            "don",
            "t",
            "s",
            "Kyiv",
            "Ab",
            "ab",
            "internationalisation",
            "INTERNATIONALISATION",
            "ceasefires",
            "x_1",
            "__",
            "_",
            "2026",
            "9",
            " ",
            " ",
            " ",
            "’",
            "‘",
            "“",
            "”",
            "—",
            "–",
            "…",
            "\u{a0}",
            "\u{ad}",
            "£",
            "×",
            "■",
            "\u{200b}",
            "\u{2009}",
            "«",
            "»",
            "•",
            "€",
            "\u{2054}",
            "\u{203f}",
            "\u{200d}",
            "\u{200c}",
            "\u{301}",
            "Ⓐ",
            "ⓐ",
            "\u{212a}",
            "\u{2126}",
            "²",
            "ª",
            "µ",
            "é",
            "É",
            "café",
            "Café",
            "CAFÉ",
            "Ж",
            "ж",
            "🙂",
            "ﬁ",
            "日本",
        ];
        // The first 40 pieces are ASCII or separators: a text of those and at most one other
        // piece reads in place unless that piece is not a separator, and a word next to it
        // then differs between the paths if read in place.
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        let mut text_of = |n: usize, other: bool| -> String {
            let mut pieces: Vec<&str> = (0..n)
                .map(|_| PIECES[(xorshift(&mut x) >> 8) as usize % 40])
                .collect();
            if other {
                let r = xorshift(&mut x) as usize;
                pieces.insert(r % (n + 1), PIECES[40 + (r >> 16) % (PIECES.len() - 40)]);
            }
            pieces.concat()
        };
        let docs: Vec<String> = (0..300).map(|i| text_of(30, i % 2 == 0)).collect();
        let texts: Vec<String> = (0..900).map(|i| text_of(i % 40, i % 3 == 0)).collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let in_place = texts
            .iter()
            .filter(|t| !t.is_ascii() && only_separators(t))
            .count();
        assert!(in_place > 300, "{in_place} texts with separators only");
        for (preprocess, separators) in [
            (Preprocess::default(), true),
            (
                Preprocess {
                    lowercase: false,
                    ..Preprocess::default()
                },
                true,
            ),
            (
                Preprocess {
                    normalization: Normalization::Nfkc,
                    ..Preprocess::default()
                },
                false,
            ),
            (
                Preprocess {
                    strip_accents: StripAccents::Ascii,
                    ..Preprocess::default()
                },
                false,
            ),
        ] {
            let mut params = TfidfParams::default();
            params.count.analyzer = AnalyzerParams::Word(WordParams {
                preprocess,
                ngram_range: NgramRange::new(1, 2).unwrap(),
                ..WordParams::default()
            });
            params.sublinear_tf = true;
            let docs: Vec<&str> = docs.iter().map(String::as_str).collect();
            let vectorizer = params.fit(&docs).unwrap();
            let block = FastBlock::new(&vectorizer).expect("fast tables");
            assert_eq!(block.separators, separators, "{preprocess:?}");
            let fast = block.rows(&texts, vectorizer.vocabulary().len());
            let general: CsMat<f32> = vectorizer.transform(&texts);
            for (i, text) in texts.iter().enumerate() {
                let (f, g) = (fast.outer_view(i).unwrap(), general.outer_view(i).unwrap());
                assert_eq!(f.indices(), g.indices(), "{preprocess:?}: {text:?}");
                let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(f.data()), bits(g.data()), "{preprocess:?}: {text:?}");
            }
        }
    }

    #[test]
    fn is_ascii_is_the_standard_test() {
        let base: String = "The truce, 1st_2nd \t\n~"
            .chars()
            .cycle()
            .take(200)
            .collect();
        for len in 0..=200 {
            let text = &base[..len];
            assert!(is_ascii(text), "{len}");
            // One non-ASCII character (two or three bytes) at every position.
            for at in 0..=len {
                for c in ['é', '\u{2019}', '\u{7f}'] {
                    let mut t = String::from(&text[..at]);
                    t.push(c);
                    t.push_str(&text[at..]);
                    assert_eq!(is_ascii(&t), t.is_ascii(), "{len} {at} {c:?}");
                }
            }
        }
    }
}
