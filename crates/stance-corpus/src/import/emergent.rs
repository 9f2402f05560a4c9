//! Emergent (Ferreira & Vlachos 2016): a CSV of article headlines and the rumoured claims they
//! report, with columns `claimHeadline`, `articleHeadline`, `articleHeadlineStance`,
//! `articleId` and `claimId` (found by name; other columns are ignored).
//!
//! Each row becomes a `pair` example: `id` = `articleId`, `text_a` = the claim, `text_b` = the
//! article headline, `label` = the stance (`for`, `against`, `observing`), `group` = `claimId`
//! (the paper's folds never split a claim).

use std::path::Path;

use super::Source;
use super::csv_rows::{CsvRows, CsvSource};
use crate::error::Error;
use crate::example::{Example, Input};

pub(crate) fn open(path: &Path) -> Result<Box<dyn Source>, Error> {
    let rows = CsvRows::open(path, b',')?;
    let claim = rows.column("claimHeadline")?;
    let headline = rows.column("articleHeadline")?;
    let stance = rows.column("articleHeadlineStance")?;
    let article_id = rows.column("articleId")?;
    let claim_id = rows.column("claimId")?;
    Ok(CsvSource::boxed(rows, move |row| {
        Ok(Example::new(
            row.non_empty(article_id)?,
            Input::Pair {
                text_a: row.non_empty(claim)?.to_owned(),
                text_b: row.non_empty(headline)?.to_owned(),
            },
        )
        .with_label(row.non_empty(stance)?)
        .with_group(row.non_empty(claim_id)?))
    }))
}
