//! The token rule: scikit-learn's default `(?u)\b\w\w+\b` on a hand-written fast path, or a
//! custom regular expression.
//!
//! With the default pattern a token is a maximal run of at least two `\w` characters (the `\b`
//! on both sides makes the greedy `\w+` stop only at the end of a run), so no regex engine is
//! needed: a byte table answers ASCII and the generated Python tables answer the rest.

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::unicode::{ASCII_WORD, is_word_char};
use crate::Error;

/// How a preprocessed text is cut into tokens.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TokenPattern {
    /// scikit-learn's default `(?u)\b\w\w+\b`, with `\w` exactly as Python's `re` defines it.
    #[default]
    Default,
    /// A regular expression in Rust's `regex` syntax (its Unicode tables, not Python's). As in
    /// scikit-learn, a pattern with one capturing group yields the group, not the whole match.
    Regex {
        /// The pattern.
        pattern: String,
    },
}

/// A compiled [`TokenPattern`].
#[derive(Clone, Debug)]
pub(crate) enum Tokenizer {
    Default,
    Regex { regex: Regex, group: bool },
}

impl Tokenizer {
    pub(crate) fn new(pattern: &TokenPattern) -> Result<Tokenizer, Error> {
        match pattern {
            TokenPattern::Default => Ok(Tokenizer::Default),
            TokenPattern::Regex { pattern } => {
                let regex = Regex::new(pattern).map_err(|e| Error::InvalidTokenPattern {
                    pattern: pattern.clone(),
                    reason: e.to_string(),
                })?;
                let groups = regex.captures_len() - 1;
                if groups > 1 {
                    return Err(Error::InvalidTokenPattern {
                        pattern: pattern.clone(),
                        reason: format!("{groups} capturing groups; at most one is allowed"),
                    });
                }
                Ok(Tokenizer::Regex {
                    regex,
                    group: groups == 1,
                })
            }
        }
    }

    /// Calls `f(start, end)` with the byte span of every token of `text`, in order.
    #[inline]
    pub(crate) fn for_each(&self, text: &str, f: impl FnMut(usize, usize)) {
        match self {
            Tokenizer::Default => default_tokens(text, f),
            Tokenizer::Regex { regex, group } => regex_tokens(regex, *group, text, f),
        }
    }
}

/// Word-character runs of two or more characters.
#[inline]
pub(crate) fn default_tokens(text: &str, mut f: impl FnMut(usize, usize)) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    loop {
        // Skip to the next word character.
        loop {
            if i >= n {
                return;
            }
            let b = bytes[i];
            if b < 0x80 {
                if ASCII_WORD[b as usize] {
                    break;
                }
                i += 1;
            } else {
                let c = char_at(text, i);
                if is_word_char(c) {
                    break;
                }
                i += c.len_utf8();
            }
        }
        let start = i;
        let mut chars = 0usize;
        loop {
            while i < n && bytes[i] < 0x80 && ASCII_WORD[bytes[i] as usize] {
                i += 1;
                chars += 1;
            }
            if i >= n || bytes[i] < 0x80 {
                break;
            }
            let c = char_at(text, i);
            if !is_word_char(c) {
                break;
            }
            i += c.len_utf8();
            chars += 1;
        }
        if chars >= 2 {
            f(start, i);
        }
    }
}

#[inline]
fn char_at(text: &str, i: usize) -> char {
    text[i..]
        .chars()
        .next()
        .expect("the scan only stops on char boundaries")
}

fn regex_tokens(regex: &Regex, group: bool, text: &str, mut f: impl FnMut(usize, usize)) {
    if group {
        for caps in regex.captures_iter(text) {
            match caps.get(1) {
                Some(m) => f(m.start(), m.end()),
                // Python's findall yields '' for a group that did not take part in the match.
                None => {
                    let m = caps.get(0).expect("group 0 always matches");
                    f(m.start(), m.start());
                }
            }
        }
    } else {
        for m in regex.find_iter(text) {
            f(m.start(), m.end());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(t: &Tokenizer, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        t.for_each(text, |s, e| out.push(text[s..e].to_string()));
        out
    }

    #[test]
    fn default_rule_matches_python() {
        let t = Tokenizer::Default;
        let cases: &[(&str, &[&str])] = &[
            ("", &[]),
            ("a b c", &[]),
            ("don't stop", &["don", "stop"]),
            ("snake_case __init__ x_", &["snake_case", "__init__", "x_"]),
            ("3.14 and 2,000 in 1953", &["14", "and", "000", "in", "1953"]),
            ("cease-fire", &["cease", "fire"]),
            ("i\u{307}stanbul", &["stanbul"]),
            ("Зеленский, Київ", &["Зеленский", "Київ"]),
            ("北京 和 東京", &["北京", "東京"]),
            ("²³ ½ Ⅻ ١٢٣", &["²³", "١٢٣"]),
            ("हिन्दी", &[]),
            ("a\u{a0}bc\u{2009}de", &["bc", "de"]),
            ("👍🏽 🇺🇦 ok", &["ok"]),
        ];
        for (text, want) in cases {
            assert_eq!(tokens(&t, text), *want, "{text:?}");
        }
    }

    #[test]
    fn regex_rule_uses_its_single_group() {
        let t = Tokenizer::new(&TokenPattern::Regex {
            pattern: r"(\w+)'s".into(),
        })
        .unwrap();
        assert_eq!(tokens(&t, "Russia's and Kyiv's"), ["Russia", "Kyiv"]);
        let bad = Tokenizer::new(&TokenPattern::Regex {
            pattern: r"(a)(b)".into(),
        });
        assert!(matches!(bad, Err(Error::InvalidTokenPattern { .. })));
        let bad = Tokenizer::new(&TokenPattern::Regex {
            pattern: r"(".into(),
        });
        assert!(matches!(bad, Err(Error::InvalidTokenPattern { .. })));
    }
}
