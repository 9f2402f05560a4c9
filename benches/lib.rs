//! Corpora for the benchmarks: the `articleBody` column of FNC-1's `train_bodies.csv` from
//! `../shared/datasets` when it is there, else the five sample articles of
//! `corpora/peace-talks/articles` (with a message saying so, since the figures are then not
//! comparable with the ones recorded in `benches/README.md`).

use std::path::{Path, PathBuf};

use stance_features::analyzer::{AnalyzerParams, NgramRange, WordParams};
use stance_features::vectorize::{CountParams, DocFrequency, TfidfParams};

/// A benchmark corpus: its documents and what it is.
pub struct Corpus {
    /// One string per document.
    pub docs: Vec<String>,
    /// Where the documents came from.
    pub name: String,
}

impl Corpus {
    /// Total UTF-8 bytes of the documents.
    pub fn bytes(&self) -> u64 {
        self.docs.iter().map(|d| d.len() as u64).sum()
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("benches/ is inside the workspace")
        .to_path_buf()
}

/// The path of FNC-1's `train_bodies.csv` beside the checkout.
pub fn fnc1_bodies_path() -> PathBuf {
    workspace().join("../shared/datasets/fnc1/train_bodies.csv")
}

/// Reads the `articleBody` column of a FNC-1 bodies file.
pub fn read_fnc1_bodies(path: &Path) -> Result<Vec<String>, csv::Error> {
    let mut reader = csv::Reader::from_path(path)?;
    let headers = reader.headers()?.clone();
    let column = headers
        .iter()
        .position(|h| h == "articleBody")
        .unwrap_or(headers.len().saturating_sub(1));
    reader
        .records()
        .map(|r| r.map(|r| r.get(column).unwrap_or_default().to_string()))
        .collect()
}

/// The benchmark corpus: FNC-1 bodies if present, else the sample articles.
pub fn corpus() -> Corpus {
    let path = fnc1_bodies_path();
    match read_fnc1_bodies(&path) {
        Ok(docs) => Corpus {
            docs,
            name: "fnc1/train_bodies.csv articleBody".into(),
        },
        Err(e) => {
            eprintln!(
                "note: {} is not readable ({e}); benchmarking on the five sample articles instead",
                path.display()
            );
            sample_articles()
        }
    }
}

/// The five sample articles of `corpora/peace-talks/articles`.
pub fn sample_articles() -> Corpus {
    let dir = workspace().join("corpora/peace-talks/articles");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let docs = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .collect();
    Corpus {
        docs,
        name: "corpora/peace-talks/articles".into(),
    }
}

/// The benches' (1,2)-gram configuration: scikit-learn's `TfidfVectorizer(ngram_range=(1, 2),
/// min_df=2, sublinear_tf=True)`.
pub fn bigram_params() -> TfidfParams {
    TfidfParams {
        count: CountParams {
            analyzer: AnalyzerParams::Word(WordParams {
                ngram_range: NgramRange::new(1, 2).expect("valid range"),
                ..WordParams::default()
            }),
            min_df: DocFrequency::Count(2),
            ..CountParams::default()
        },
        sublinear_tf: true,
        ..TfidfParams::default()
    }
}
