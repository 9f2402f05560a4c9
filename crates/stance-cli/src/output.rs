//! Writing output files: whole or not at all, and in formats other tools read.
//!
//! A file is written under a temporary name in its final directory, through a `BufWriter`, and
//! renamed into place only once every file of a result is complete ([`Staged::commit`]): a run
//! that fails (a full disk, an error in a later step) leaves the earlier output as it was, not a
//! truncated file or a matrix whose vocabulary belongs to another run.

use std::fmt::Display;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use sprs::CsMat;

/// A file written under a temporary name next to its destination; removed unless committed.
#[derive(Debug)]
pub struct Staged {
    temp: PathBuf,
    dest: PathBuf,
    committed: bool,
}

impl Staged {
    /// Writes `dest`'s future content with `write` into a temporary file in the same directory.
    pub fn write(
        dest: &Path,
        write: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
    ) -> anyhow::Result<Staged> {
        let file_name = dest
            .file_name()
            .with_context(|| format!("{} is not a file name", dest.display()))?;
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(file_name);
        temp_name.push(format!(".{}.tmp", std::process::id()));
        let staged = Staged {
            temp: dest.with_file_name(temp_name),
            dest: dest.to_owned(),
            committed: false,
        };
        let result = (|| {
            let mut out = BufWriter::with_capacity(1 << 16, File::create(&staged.temp)?);
            write(&mut out)?;
            out.into_inner().map_err(|e| e.into_error())?.sync_all()
        })();
        result.with_context(|| format!("cannot write {}", dest.display()))?;
        Ok(staged)
    }

    /// Moves the file to its destination, replacing any file there.
    pub fn commit(mut self) -> anyhow::Result<()> {
        fs::rename(&self.temp, &self.dest)
            .with_context(|| format!("cannot write {}", self.dest.display()))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            // Best effort: the error that got us here is the one to report.
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// Writes `matrix` in Matrix Market coordinate format: the `%%MatrixMarket matrix coordinate
/// real general` banner, `rows cols nnz`, then one `row col value` line per stored value,
/// 1-based, row by row, each value in Rust's shortest notation that reads back to the same
/// number.
pub fn write_matrix_market<T: Display + Clone + Default>(
    out: &mut impl Write,
    matrix: &CsMat<T>,
) -> io::Result<()> {
    let csr;
    let matrix = if matrix.is_csr() {
        matrix.view()
    } else {
        csr = matrix.to_csr();
        csr.view()
    };
    writeln!(out, "%%MatrixMarket matrix coordinate real general")?;
    writeln!(out, "{} {} {}", matrix.rows(), matrix.cols(), matrix.nnz())?;
    for (row, vector) in matrix.outer_iterator().enumerate() {
        for (column, value) in vector.iter() {
            writeln!(out, "{} {} {}", row + 1, column + 1, value)?;
        }
    }
    Ok(())
}

/// Writes one feature name per line, escaping `\` as `\\`, a newline as `\n` and a carriage
/// return as `\r`, so that every feature takes exactly one line.
pub fn write_vocabulary<S: AsRef<str>>(out: &mut impl Write, names: &[S]) -> io::Result<()> {
    for name in names {
        let mut rest = name.as_ref().as_bytes();
        while let Some(i) = rest.iter().position(|b| matches!(b, b'\\' | b'\n' | b'\r')) {
            out.write_all(&rest[..i])?;
            out.write_all(match rest[i] {
                b'\\' => b"\\\\",
                b'\n' => b"\\n",
                _ => b"\\r",
            })?;
            rest = &rest[i + 1..];
        }
        out.write_all(rest)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_escapes_line_breaks_and_backslashes() {
        let mut out = Vec::new();
        write_vocabulary(&mut out, &["a\nb", "c\\", "\r", "plain"]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a\\nb\nc\\\\\n\\r\nplain\n"
        );
    }

    #[test]
    fn matrix_market_is_one_based_and_row_major() {
        let m = CsMat::new((2, 3), vec![0, 2, 3], vec![0, 2, 1], vec![0.5, 1.0, -0.25]);
        let mut out = Vec::new();
        write_matrix_market(&mut out, &m).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "%%MatrixMarket matrix coordinate real general\n2 3 3\n1 1 0.5\n1 3 1\n2 2 -0.25\n"
        );
        let mut out = Vec::new();
        write_matrix_market(&mut out, &m.to_csc()).unwrap();
        assert!(
            String::from_utf8(out)
                .unwrap()
                .ends_with("1 1 0.5\n1 3 1\n2 2 -0.25\n")
        );
    }
}
