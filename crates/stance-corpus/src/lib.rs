//! Corpus data model and file formats for stance: articles, labelled examples of each task and
//! annotated documents, with streaming JSON Lines readers and writers and importers for public
//! datasets. It sits between raw files and `stance-features`' analyzers; it does no feature
//! extraction itself.
//!
//! Every file is JSON Lines: one JSON object per line, UTF-8. Offsets are Unicode code points,
//! 0-based, end-exclusive, written `[start, end]` ([`Span`]). Fields a record does not know are
//! kept and written back unchanged, in their order. `FORMATS.md` in this crate is the reference
//! for users; the three record types are:
//!
//! **[`Article`]**, the input of scoring:
//!
//! ```
//! # use stance_corpus::Article;
//! let article: Article = serde_json::from_str(r#"{"id": "000_fd3a616ef928046d.txt", "text": "RT.com\n23 Apr 2025 ...", "date": "2025-04-23",
//!   "title": "Talks in Riyadh", "source": "RT.com", "url": "https://www.rt.com/news/1", "lang": "en"}"#).unwrap();
//! assert_eq!(article.lang.as_deref(), Some("en"));
//! ```
//!
//! **[`Example`]**, one labelled example of a [`Task`]: `document` (`text`), `target`
//! (`text`, `target`, optional `target_span`), `pair` (`text_a`, `text_b`) or `mention`
//! (`text`, `actor`, `proposal`, `actor_span`, `proposal_span`, optional `sentence_span`,
//! `actor_text`, `proposal_text`); `label` and `group` are optional strings:
//!
//! ```
//! # use stance_corpus::{Example, Task};
//! let lines = [
//!     r#"{"id": "mr:pos:1", "task": "document", "text": "a small gem .", "label": "pos"}"#,
//!     r#"{"id": "101", "task": "target", "text": "dear lord thank u #SemST", "target": "Atheism", "label": "AGAINST"}"#,
//!     r#"{"id": "fnc1:train:1", "task": "pair", "text_a": "Police find mass graves ...", "text_b": "Danny Boyle is ...", "label": "unrelated", "group": "712"}"#,
//!     r#"{"id": "pt-w-0001", "task": "mention", "text": "Moscow rejected the truce.", "actor": "russia", "proposal": "ceasefire", "actor_span": [0, 6], "proposal_span": [20, 25], "label": "oppose", "group": "pt-w-0001"}"#,
//! ];
//! let tasks: Vec<Task> = lines.iter().map(|l| serde_json::from_str::<Example>(l).unwrap().task()).collect();
//! assert_eq!(tasks, Task::ALL);
//! ```
//!
//! **[`AnnotatedDocument`]**, a document of the peace-talks corpus with its stances and the
//! sentiment of each sentence; [`AnnotatedDocument::mention_examples`] turns it into `mention`
//! examples:
//!
//! ```
//! # use stance_corpus::AnnotatedDocument;
//! let doc: AnnotatedDocument = serde_json::from_str(r#"{"id": "seed-000", "text": "Moscow opposes peacekeepers.", "provenance": "seed",
//!   "stances": [{"actor": "russia", "proposal": "peacekeeping_force", "stance": "oppose", "actor_span": [0, 6], "proposal_span": [15, 27]}],
//!   "sentences": [{"span": [0, 28], "sentiment": "negative"}]}"#).unwrap();
//! assert_eq!(doc.mention_examples()[0].label.as_deref(), Some("oppose"));
//! ```
//!
//! Files are read with a [`Reader`] (line by line in constant memory, gzip and standard input
//! transparently, strict or lenient [`Mode`]) and written with a [`Writer`] (whole files only,
//! deterministic bytes). Public datasets become examples through [`import`].

pub mod import;

mod annotated;
mod article;
mod articles;
mod dataset;
mod date;
mod error;
mod example;
mod io;
mod json;
mod json_line;
mod reader;
mod span;

pub use annotated::{
    AnnotatedDocument, Provenance, SentenceAnnotation, Sentiment, Stance, StanceAnnotation,
};
pub use article::Article;
pub use articles::{ArticleItem, ArticleOptions, Articles, articles};
pub use dataset::{data_files, examples, fingerprint, read_examples};
pub use date::Date;
pub use error::{Error, FieldError};
pub use example::{Example, ExampleOptions, Input, Task};
pub use io::{Lines, Output, decode_legacy, is_stdio, open};
pub use json::{Record, push_json_str};
pub use reader::{Counts, Mode, Reader, Writer, input_name};
pub use span::{CodePoints, Span};
