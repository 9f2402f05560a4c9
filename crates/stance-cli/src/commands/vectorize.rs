//! `stance vectorize`: documents → `matrix.mtx` + `vocabulary.txt`, with scikit-learn's
//! `TfidfVectorizer` or `HashingVectorizer` and their option names.

use std::fmt::Display;
use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Instant;

use anyhow::Context;
use clap::ValueEnum;
use sprs::CsMat;
use stance_features::analyzer::{
    AnalyzerParams, CharParams, Language, NgramRange, Preprocess, Stemming, StopWords,
    StripAccents, TokenPattern, WordParams,
};
use stance_features::vectorize::{
    CountParams, DocFrequency, Element, HashingParams, HashingVectorizer, Norm, TfidfParams,
};

use super::UsageError;
use crate::input::{self, FormatArgs};
use crate::output::{self, Staged};

/// Arguments of `stance vectorize`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The documents: a text file with one document per line, a directory of `.txt` files (one
    /// document per file, recursively, in path order), or `-` for standard input.
    #[arg(value_name = "INPUT")]
    pub input: PathBuf,
    /// The directory to write matrix.mtx and vocabulary.txt into (created if missing).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,
    /// How the input holds its documents.
    #[command(flatten)]
    pub format: FormatArgs,
    /// The matrix's value type.
    #[arg(long, value_enum, default_value_t = Dtype::F64)]
    pub dtype: Dtype,
    /// Threads to use (default: all cores); the output does not depend on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// The vectorizer.
    #[command(flatten)]
    pub vectorizer: VectorizerArgs,
}

/// The vectorizer's options of `stance vectorize`, named after scikit-learn's parameters.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Vectorizer options (scikit-learn's names)")]
pub struct VectorizerArgs {
    /// What a feature is: word n-grams, character n-grams, or character n-grams inside words.
    #[arg(long, value_enum, default_value_t = AnalyzerKind::Word)]
    pub analyzer: AnalyzerKind,
    /// The n-gram sizes, MIN,MAX (inclusive).
    #[arg(long, value_name = "MIN,MAX", default_value = "1,1", value_parser = NgramRange::from_str)]
    pub ngram_range: NgramRange,
    /// The token rule of the word analyzer, a regular expression in Rust's regex syntax (default:
    /// scikit-learn's (?u)\b\w\w+\b, with Python's \w).
    #[arg(long, value_name = "REGEX")]
    pub token_pattern: Option<String>,
    /// Remove this language's built-in stop words (word analyzer only); `english` is
    /// scikit-learn's list.
    #[arg(long, value_name = "LANGUAGE", value_parser = Language::from_str)]
    pub stop_words: Option<Language>,
    /// Stem word tokens with this language's Snowball stemmer (word analyzer only).
    #[arg(long, value_name = "LANGUAGE", value_parser = Language::from_str)]
    pub stem: Option<Language>,
    /// Remove accents: `ascii` drops every non-ASCII character after NFKD, `unicode` every
    /// combining mark.
    #[arg(long, value_enum, value_name = "HOW")]
    pub strip_accents: Option<AccentsArg>,
    /// Keep case (scikit-learn's lowercase=False).
    #[arg(long)]
    pub no_lowercase: bool,
    /// Ignore terms in fewer documents: an integer is a number of documents, a number with a
    /// point (0.01, 1.0) a fraction of them.
    #[arg(long, value_name = "N|FRACTION", default_value = "1", value_parser = DocFrequency::from_str, conflicts_with = "hashing")]
    pub min_df: DocFrequency,
    /// Ignore terms in more documents: an integer is a number of documents, a number with a
    /// point (0.5, 1.0) a fraction of them.
    #[arg(long, value_name = "N|FRACTION", default_value = "1.0", value_parser = DocFrequency::from_str, conflicts_with = "hashing")]
    pub max_df: DocFrequency,
    /// Keep only the N terms with the highest counts over the corpus.
    #[arg(long, value_name = "N", conflicts_with = "hashing")]
    pub max_features: Option<usize>,
    /// Count presence (1) instead of occurrences.
    #[arg(long)]
    pub binary: bool,
    /// Row normalization.
    #[arg(long, value_enum, default_value_t = NormArg::L2)]
    pub norm: NormArg,
    /// Do not weight by inverse document frequency (use_idf=False).
    #[arg(long, conflicts_with = "hashing")]
    pub no_idf: bool,
    /// Do not add one to document frequencies (smooth_idf=False).
    #[arg(long, conflicts_with = "hashing")]
    pub no_smooth_idf: bool,
    /// Use 1 + ln(tf) instead of tf.
    #[arg(long, conflicts_with = "hashing")]
    pub sublinear_tf: bool,
    /// Use HashingVectorizer with this many columns instead of TfidfVectorizer; no
    /// vocabulary.txt is written.
    #[arg(long, value_name = "N_FEATURES")]
    pub hashing: Option<usize>,
    /// With --hashing: every feature adds +1 (alternate_sign=False), instead of the sign of its
    /// hash.
    #[arg(long, requires = "hashing")]
    pub no_alternate_sign: bool,
}

/// scikit-learn's `analyzer`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AnalyzerKind {
    /// Word n-grams.
    Word,
    /// Character n-grams over the whole text.
    Char,
    /// Character n-grams inside words padded with spaces.
    #[value(name = "char_wb")]
    CharWb,
}

/// scikit-learn's `strip_accents`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AccentsArg {
    /// NFKD, then drop non-ASCII characters.
    Ascii,
    /// NFKD, then drop combining marks.
    Unicode,
}

/// scikit-learn's `norm`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum NormArg {
    /// Divide each row by the sum of its absolute values.
    L1,
    /// Divide each row by its Euclidean length.
    L2,
    /// No normalization.
    None,
}

/// scikit-learn's `dtype`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Dtype {
    /// 32-bit floats.
    F32,
    /// 64-bit floats.
    F64,
}

/// The vectorizer the arguments describe.
#[derive(Clone, Debug)]
enum Vectorizer {
    Tfidf(TfidfParams),
    Hashing(HashingVectorizer),
}

impl VectorizerArgs {
    /// The analyzer these arguments describe.
    fn analyzer(&self) -> Result<AnalyzerParams, UsageError> {
        let preprocess = Preprocess {
            lowercase: !self.no_lowercase,
            strip_accents: match self.strip_accents {
                None => StripAccents::None,
                Some(AccentsArg::Ascii) => StripAccents::Ascii,
                Some(AccentsArg::Unicode) => StripAccents::Unicode,
            },
            ..Preprocess::default()
        };
        let ngram_range = self.ngram_range;
        if self.analyzer == AnalyzerKind::Word {
            return Ok(AnalyzerParams::Word(WordParams {
                preprocess,
                token_pattern: match &self.token_pattern {
                    Some(pattern) => TokenPattern::Regex {
                        pattern: pattern.clone(),
                    },
                    None => TokenPattern::Default,
                },
                stop_words: match self.stop_words {
                    Some(language) => StopWords::Builtin { language },
                    None => StopWords::None,
                },
                stemmer: match self.stem {
                    Some(language) => Stemming::Snowball { language },
                    None => Stemming::None,
                },
                ngram_range,
            }));
        }
        for (given, flag) in [
            (self.token_pattern.is_some(), "--token-pattern"),
            (self.stop_words.is_some(), "--stop-words"),
            (self.stem.is_some(), "--stem"),
        ] {
            if given {
                return Err(UsageError(format!(
                    "{flag} applies to --analyzer word only, not {}",
                    self.analyzer
                        .to_possible_value()
                        .expect("no analyzer is hidden")
                        .get_name()
                )));
            }
        }
        let params = CharParams {
            preprocess,
            ngram_range,
        };
        Ok(match self.analyzer {
            AnalyzerKind::Char => AnalyzerParams::Char(params),
            _ => AnalyzerParams::CharWb(params),
        })
    }

    /// The vectorizer these arguments describe, validated by the library.
    fn vectorizer(&self) -> Result<Vectorizer, UsageError> {
        let analyzer = self.analyzer()?;
        let norm = match self.norm {
            NormArg::L1 => Norm::L1,
            NormArg::L2 => Norm::L2,
            NormArg::None => Norm::None,
        };
        let invalid = |e: stance_features::Error| UsageError(e.to_string());
        if let Some(n_features) = self.hashing {
            let params = HashingParams {
                analyzer,
                n_features,
                alternate_sign: !self.no_alternate_sign,
                norm,
                binary: self.binary,
            };
            return Ok(Vectorizer::Hashing(params.check().map_err(invalid)?));
        }
        let params = TfidfParams {
            count: CountParams {
                analyzer,
                min_df: self.min_df,
                max_df: self.max_df,
                max_features: self.max_features,
                vocabulary: None,
                binary: self.binary,
            },
            norm,
            use_idf: !self.no_idf,
            smooth_idf: !self.no_smooth_idf,
            sublinear_tf: self.sublinear_tf,
        };
        params.check().map_err(invalid)?;
        Ok(Vectorizer::Tfidf(params))
    }
}

/// What a run produced, for the summary line.
struct Summary {
    features: usize,
    nnz: usize,
}

/// Runs `stance vectorize`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let start = Instant::now();
    let vectorizer = args.vectorizer.vectorizer()?;
    let pool = super::thread_pool(args.threads.map(usize::from))?;
    let docs = input::read_documents(&args.input, args.format.format())?;
    let summary = match args.dtype {
        Dtype::F32 => vectorize::<f32>(&vectorizer, &docs, pool.as_ref(), &args.output)?,
        Dtype::F64 => vectorize::<f64>(&vectorizer, &docs, pool.as_ref(), &args.output)?,
    };
    eprintln!(
        "stance vectorize: {} documents, {} features, {} non-zeros in {:.3} s -> {}",
        docs.len(),
        summary.features,
        summary.nnz,
        start.elapsed().as_secs_f64(),
        args.output.display()
    );
    Ok(())
}

/// Vectorizes `docs` into values of type `T` and writes the files into `dir`.
fn vectorize<T: Element + Display>(
    vectorizer: &Vectorizer,
    docs: &[String],
    pool: Option<&rayon::ThreadPool>,
    dir: &Path,
) -> anyhow::Result<Summary> {
    let (matrix, names): (CsMat<T>, Option<Vec<String>>) =
        super::install(pool, || -> anyhow::Result<_> {
            Ok(match vectorizer {
                Vectorizer::Tfidf(params) => {
                    let (fitted, matrix) = params.fit_transform::<T, _>(docs)?;
                    (matrix, Some(fitted.feature_names()))
                }
                Vectorizer::Hashing(hashing) => (hashing.transform::<T, _>(docs), None),
            })
        })
        .context("cannot vectorize the documents")?;
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let matrix_file = Staged::write(&dir.join("matrix.mtx"), |out| {
        output::write_matrix_market(out, &matrix)
    })?;
    let vocabulary_path = dir.join("vocabulary.txt");
    let vocabulary_file = names
        .as_deref()
        .map(|names| Staged::write(&vocabulary_path, |out| output::write_vocabulary(out, names)))
        .transpose()?;
    matrix_file.commit()?;
    match vocabulary_file {
        Some(file) => file.commit()?,
        None => match fs::remove_file(&vocabulary_path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| {
                    format!("cannot remove the stale {}", vocabulary_path.display())
                });
            }
            _ => {}
        },
    }
    Ok(Summary {
        features: matrix.cols(),
        nnz: matrix.nnz(),
    })
}
