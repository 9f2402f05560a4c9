//! SUBJ, the subjectivity dataset v1.0 (Pang & Lee 2004): `quote.tok.gt9.5000` holds 5,000
//! subjective snippets (Rotten Tomatoes) and `plot.tok.gt9.5000` 5,000 objective sentences
//! (IMDb plot summaries), one per line, as its README says. The label is the file's: a name
//! starting with `quote` (or ending in `.subjective`) → `subjective`, with `plot` (or ending in
//! `.objective`) → `objective`. The lines are read as for MR: `id` = `subj:<file>:<line>`.

use std::path::Path;

use super::{Source, file_name, mr::sentence_file};
use crate::error::Error;

pub(crate) fn open(path: &Path) -> Result<Box<dyn Source>, Error> {
    let name = file_name(path);
    let label = if name.starts_with("quote") || name.ends_with(".subjective") {
        "subjective"
    } else if name.starts_with("plot") || name.ends_with(".objective") {
        "objective"
    } else {
        return Err(Error::Input {
            path: crate::io::display_name(path, "<stdin>"),
            line: None,
            reason: "a SUBJ file's name must start with quote (subjective) or plot (objective)"
                .into(),
        });
    };
    sentence_file(path, "subj", label)
}
