//! Training stance models: feature templates per task, linfa classifiers and sparse linear
//! models behind linfa's traits, cross-validation and metrics, and writing the artefact that
//! `stance-infer` loads. (Contents arrive with issue #5.)
