//! Scoring with saved stance models: the model artefact (format, load, save), sparse linear
//! prediction, explanations and article-level aggregation. It never depends on linfa or on
//! training code, so a scoring binary stays small. (Contents arrive with issues #5 and #6.)
