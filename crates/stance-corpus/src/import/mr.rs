//! MR, the sentence polarity dataset v1.0 (Pang & Lee 2005): `rt-polarity.pos` and
//! `rt-polarity.neg`, one snippet per line; the label is the file's: `.pos` → `pos`, `.neg` →
//! `neg`.
//!
//! Each line becomes a `document` example with `id` = `mr:<file>:<line>` and the line as text
//! (without its line end). The original distribution is Latin-1 with Windows-1252 dashes, NLTK's
//! copy is UTF-8: a line that is not UTF-8 is decoded as Windows-1252, so both read the same.
//! The code here is shared with SUBJ, which has the same layout.

use std::collections::VecDeque;
use std::path::Path;

use super::{Source, Step, file_name, file_stem};
use crate::error::Error;
use crate::example::{Example, Input};
use crate::io::{Lines, decode_legacy};

pub(crate) fn open(path: &Path) -> Result<Box<dyn Source>, Error> {
    let name = file_name(path);
    let label = if name.ends_with(".pos") {
        "pos"
    } else if name.ends_with(".neg") {
        "neg"
    } else {
        return Err(Error::Input {
            path: crate::io::display_name(path, "<stdin>"),
            line: None,
            reason: "an MR file's name must end in .pos or .neg (its label)".into(),
        });
    };
    sentence_file(path, "mr", label)
}

/// One sentence per line, every line labelled `label`.
struct SentenceFile {
    lines: Lines,
    prefix: String,
    label: &'static str,
}

/// Opens `path` as a file of sentences labelled `label`, with ids `<format>:<file>:<line>`.
pub(crate) fn sentence_file(
    path: &Path,
    format: &str,
    label: &'static str,
) -> Result<Box<dyn Source>, Error> {
    Ok(Box::new(SentenceFile {
        lines: Lines::open(path)?,
        prefix: format!("{format}:{}", file_stem(path)),
        label,
    }))
}

impl Source for SentenceFile {
    fn read_row(&mut self, out: &mut VecDeque<Result<Example, Error>>) -> Step {
        let text = match self.lines.next_line() {
            Ok(Some(line)) => decode_legacy(line),
            Ok(None) => return Step::End,
            Err(e) => {
                out.push_back(Err(e));
                return Step::Stop;
            }
        };
        let line = self.lines.line();
        out.push_back(if text.trim().is_empty() {
            Err(Error::corpus(
                self.lines.name(),
                line,
                None,
                "blank line (every line must hold a sentence)",
            ))
        } else {
            Ok(
                Example::new(format!("{}:{line}", self.prefix), Input::Document { text })
                    .with_label(self.label),
            )
        });
        Step::Row
    }
}
