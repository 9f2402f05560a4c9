//! Sparse records for linfa: linfa's `Records` is implemented for dense arrays only, so the
//! sparse classifiers of this crate take a CSR matrix wrapped in [`SparseRecords`], and datasets
//! are linfa's own `DatasetBase` over it.

use linfa::DatasetBase;
use linfa::dataset::Records;
use ndarray::Array1;
use sprs::CsMat;

use crate::Error;

/// A CSR matrix of examples × features, as linfa records.
#[derive(Clone, Debug, PartialEq)]
pub struct SparseRecords {
    x: CsMat<f32>,
}

impl SparseRecords {
    /// Wraps `x`, converting it to CSR when it is CSC.
    pub fn new(x: CsMat<f32>) -> Self {
        let x = if x.is_csr() { x } else { x.to_csr() };
        SparseRecords { x }
    }

    /// The matrix.
    pub fn matrix(&self) -> &CsMat<f32> {
        &self.x
    }

    /// The rows `rows`, in that order.
    pub fn select(&self, rows: &[usize]) -> Self {
        let mut indptr = Vec::with_capacity(rows.len() + 1);
        let mut indices = Vec::new();
        let mut data = Vec::new();
        indptr.push(0);
        for &r in rows {
            let row = self.x.outer_view(r).expect("row in range");
            indices.extend_from_slice(row.indices());
            data.extend_from_slice(row.data());
            indptr.push(indices.len());
        }
        SparseRecords {
            x: CsMat::new((rows.len(), self.x.cols()), indptr, indices, data),
        }
    }
}

impl Records for SparseRecords {
    type Elem = f32;

    fn nsamples(&self) -> usize {
        self.x.rows()
    }

    fn nfeatures(&self) -> usize {
        self.x.cols()
    }
}

/// A labelled sparse dataset: class indices as targets, optional per-example weights.
pub type SparseDataset = DatasetBase<SparseRecords, Array1<usize>>;

/// A dataset of `x` with class indices `y`, checked to have one target per row.
pub fn sparse_dataset(x: CsMat<f32>, y: Vec<usize>) -> Result<SparseDataset, Error> {
    if x.rows() != y.len() {
        return Err(Error::Data {
            reason: format!("{} rows but {} targets", x.rows(), y.len()),
        });
    }
    Ok(DatasetBase::new(SparseRecords::new(x), Array1::from(y)))
}

/// The number of classes of targets `y` (the largest index + 1), or `at_least` if more.
pub fn n_classes(y: &[usize], at_least: usize) -> usize {
    y.iter().map(|&c| c + 1).max().unwrap_or(0).max(at_least)
}

/// The labels `"0"`, `"1"`, ... of `k` classes known by index only.
pub fn index_labels(k: usize) -> Vec<String> {
    (0..k).map(|c| c.to_string()).collect()
}
