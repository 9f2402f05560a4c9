//! The fitted vocabulary (feature names in column order) and counting against it.

use super::intern::Interner;
use super::terms::{DocCounts, NONE, Tally, TokenCache};
use crate::Error;
use crate::analyzer::{Analyzer, AnalyzerBuffer, Kind, char_features};

/// Feature names in column order, with a lookup from name to column.
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    names: Interner,
}

impl Vocabulary {
    /// A vocabulary with the given names in the given column order, as scikit-learn's
    /// `vocabulary=` list: it must be non-empty and have no repeats.
    pub fn new<S: AsRef<str>>(names: &[S]) -> Result<Vocabulary, Error> {
        if names.is_empty() {
            return Err(Error::InvalidVocabulary {
                reason: "it is empty".into(),
            });
        }
        let mut interner = Interner::default();
        for (i, name) in names.iter().enumerate() {
            let (id, new) = interner.intern(name.as_ref().as_bytes());
            if !new {
                return Err(Error::InvalidVocabulary {
                    reason: format!("term {:?} appears at positions {id} and {i}", name.as_ref()),
                });
            }
        }
        Ok(Vocabulary { names: interner })
    }

    /// A vocabulary of names known to be distinct, in column order:
    /// Column `i` is `arena[spans[i].0..spans[i].1]`.
    pub(crate) fn from_distinct(arena: Vec<u8>, spans: Vec<(usize, usize)>) -> Vocabulary {
        Vocabulary {
            names: Interner::from_distinct(arena, spans),
        }
    }

    /// The number of features.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are no features.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The column of `name`.
    pub fn get(&self, name: &str) -> Option<usize> {
        self.names.get(name.as_bytes()).map(|c| c as usize)
    }

    /// The name of column `column`.
    pub fn name(&self, column: usize) -> &str {
        std::str::from_utf8(self.names.resolve(column as u32))
            .expect("vocabulary names are built from str")
    }

    /// Every name, in column order.
    pub fn names(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(|c| self.name(c))
    }

    #[inline]
    fn column(&self, bytes: &[u8]) -> u32 {
        self.names.get(bytes).unwrap_or(NONE)
    }
}

/// Counts documents against a fixed vocabulary; one per thread.
pub(crate) struct VocabularyCounter<'a> {
    analyzer: &'a Analyzer,
    vocabulary: &'a Vocabulary,
    /// Preprocessed token → id in `finals` (NONE for a stop word), computed once per token.
    cache: TokenCache,
    /// Final tokens and, for each, its column as a one-token feature.
    finals: Interner,
    final_column: Vec<u32>,
    buf: AnalyzerBuffer,
    seq: Vec<u32>,
    gram: Vec<u8>,
    tally: Tally,
    pub(crate) out: DocCounts,
}

impl<'a> VocabularyCounter<'a> {
    pub(crate) fn new(analyzer: &'a Analyzer, vocabulary: &'a Vocabulary) -> Self {
        VocabularyCounter {
            analyzer,
            vocabulary,
            cache: TokenCache::default(),
            finals: Interner::default(),
            final_column: Vec::new(),
            buf: AnalyzerBuffer::default(),
            seq: Vec::new(),
            gram: Vec::new(),
            tally: Tally::default(),
            out: DocCounts::default(),
        }
    }

    /// Counts one document's in-vocabulary features, appending its row (in columns) to `self.out`.
    pub(crate) fn add(&mut self, doc: &str) {
        let VocabularyCounter {
            analyzer,
            vocabulary,
            cache,
            finals,
            final_column,
            buf,
            seq,
            gram,
            tally,
            out,
        } = self;
        let AnalyzerBuffer { pre, chars, .. } = buf;
        let pre = analyzer.preprocess(doc, pre);
        match &analyzer.kind {
            Kind::Word(steps) if steps.ngram.max_n() == 1 && !steps.rewrites_tokens() => {
                // Tokens are the features: one lookup each.
                steps.for_each_token_bytes(pre.text(), |tok| {
                    let column = vocabulary.column(tok);
                    if column != NONE {
                        tally.add(column);
                    }
                });
            }
            Kind::Word(steps) => {
                seq.clear();
                steps.for_each_token(pre.text(), |tok| {
                    let id = cache.id(steps, tok, |t| {
                        let (id, new) = finals.intern(t.as_bytes());
                        if new {
                            final_column.push(vocabulary.column(t.as_bytes()));
                        }
                        id
                    });
                    if id != NONE {
                        seq.push(id);
                    }
                });
                let (min_n, max_n) = (steps.ngram.min_n(), steps.ngram.max_n());
                let len = seq.len();
                for n in min_n..=max_n.min(len) {
                    for i in 0..=len - n {
                        let column = if n == 1 {
                            final_column[seq[i] as usize]
                        } else {
                            gram.clear();
                            for (k, &t) in seq[i..i + n].iter().enumerate() {
                                if k > 0 {
                                    gram.push(b' ');
                                }
                                gram.extend_from_slice(finals.resolve(t));
                            }
                            vocabulary.column(gram)
                        };
                        if column != NONE {
                            tally.add(column);
                        }
                    }
                }
            }
            Kind::Chars {
                range,
                word_bounded,
            } => char_features(pre.text(), *range, *word_bounded, chars, |g| {
                let column = vocabulary.column(g.as_bytes());
                if column != NONE {
                    tally.add(column);
                }
            }),
        }
        tally.flush(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_refuses_repeats_and_emptiness() {
        let v = Vocabulary::new(&["truce", "kyiv"]).unwrap();
        assert_eq!(v.get("kyiv"), Some(1));
        assert_eq!(v.name(0), "truce");
        assert_eq!(v.names().collect::<Vec<_>>(), ["truce", "kyiv"]);
        let err = Vocabulary::new(&["a", "b", "a"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid vocabulary: term \"a\" appears at positions 0 and 2"
        );
        assert!(Vocabulary::new::<&str>(&[]).is_err());
    }
}
