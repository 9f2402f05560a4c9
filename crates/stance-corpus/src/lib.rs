//! Corpus data model and file formats for stance: articles, labelled examples of each task and
//! mention annotations, with streaming JSONL/CSV readers and writers and importers for public
//! datasets. It sits between raw files and `stance-features`' analyzers; it does no feature
//! extraction itself. (Contents arrive with issue #3.)
