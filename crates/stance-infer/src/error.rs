//! The errors of stance-infer: each names the model file (or embedded model) it concerns.

use std::path::PathBuf;

/// An error reading, checking or writing a model.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file does not start with the model magic bytes.
    #[error("{origin}: not a stance model (the file does not start with stance's model header)")]
    NotAModel {
        /// The file or embedded model.
        origin: String,
    },
    /// The file is shorter than its header says.
    #[error("{origin}: the model is truncated: {actual} bytes of {expected}")]
    Truncated {
        /// The file or embedded model.
        origin: String,
        /// Bytes the header announces.
        expected: u64,
        /// Bytes present.
        actual: u64,
    },
    /// The content does not match the checksum in the header.
    #[error(
        "{origin}: the model is corrupt: checksum {computed:08x} does not match the stored {stored:08x}"
    )]
    Checksum {
        /// The file or embedded model.
        origin: String,
        /// The checksum in the header.
        stored: u32,
        /// The checksum of the content.
        computed: u32,
    },
    /// The file's format version is outside the range this release reads.
    #[error(
        "{origin}: model format version {version} (written by stance {writer}); this stance ({}) reads format versions {min} to {max}{}",
        env!("CARGO_PKG_VERSION"),
        if *version > *max { ": upgrade stance to use it" } else { "" }
    )]
    UnsupportedVersion {
        /// The file or embedded model.
        origin: String,
        /// The file's format version.
        version: u32,
        /// The release that wrote it, from the header.
        writer: String,
        /// The oldest version this release reads.
        min: u32,
        /// The newest version this release reads.
        max: u32,
    },
    /// The checksum matched but the content is not a valid model.
    #[error("{origin}: the model is corrupt: {reason}")]
    Corrupt {
        /// The file or embedded model.
        origin: String,
        /// What is wrong.
        reason: String,
    },
    /// A section the model needs is absent.
    #[error("{origin}: the model has no section {name:?}")]
    MissingSection {
        /// The file or embedded model.
        origin: String,
        /// The section.
        name: String,
    },
    /// A section name that cannot be written.
    #[error("cannot write model section {name:?}: {reason}")]
    SectionName {
        /// The section.
        name: String,
        /// Why not.
        reason: &'static str,
    },
    /// A value that could not be serialized into a JSON section.
    #[error("cannot write model section {section:?}: {source}")]
    Serialize {
        /// The section.
        section: String,
        /// What serde_json said.
        source: serde_json::Error,
    },
    /// A feature template that cannot be used.
    #[error("invalid feature template: {reason}")]
    Template {
        /// What is wrong.
        reason: String,
    },
    /// An example that a template cannot read.
    #[error("example {index}: {reason}")]
    InvalidInput {
        /// The example's 0-based position in the batch.
        index: usize,
        /// What is wrong.
        reason: String,
    },
    /// A vectorizer, analyzer, cleaner or gazetteer refused by stance-features.
    #[error(transparent)]
    Features(#[from] stance_features::Error),
    /// Model parts that do not fit together.
    #[error("invalid model: {reason}")]
    Model {
        /// What is wrong.
        reason: String,
    },
}
