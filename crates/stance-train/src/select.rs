//! Column selection for the dense linfa classifiers: scikit-learn's χ² statistic
//! (`sklearn.feature_selection.chi2`) or document frequency, keeping the `k` best columns.

use serde::{Deserialize, Serialize};
use sprs::CsMat;

/// How columns are ranked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Selection {
    /// χ² between each (non-negative) feature and the classes.
    #[default]
    Chi2,
    /// The number of rows where the feature is non-zero.
    DocumentFrequency,
}

/// scikit-learn's χ² score of each column of `x` (non-negative values) against class indices `y`
/// over `k` classes: Σ_c (observed − expected)² / expected, where observed is the column's sum
/// in class c and expected its total sum × the share of rows in class c.
pub fn chi2(x: &CsMat<f32>, y: &[usize], k: usize) -> Vec<f64> {
    let d = x.cols();
    let mut observed = vec![0.0f64; d * k];
    let mut class_rows = vec![0.0f64; k];
    for (i, row) in x.outer_iterator().enumerate() {
        class_rows[y[i]] += 1.0;
        for (j, &v) in row.iter() {
            observed[j * k + y[i]] += f64::from(v);
        }
    }
    let n = x.rows() as f64;
    (0..d)
        .map(|j| {
            let total: f64 = observed[j * k..j * k + k].iter().sum();
            (0..k)
                .map(|c| {
                    let expected = total * class_rows[c] / n;
                    if expected > 0.0 {
                        (observed[j * k + c] - expected).powi(2) / expected
                    } else {
                        0.0
                    }
                })
                .sum()
        })
        .collect()
}

/// The `k` best columns of `x` by `selection`, in increasing column order. Ties at the cut go to
/// the lower column (deterministic).
pub fn select_columns(
    x: &CsMat<f32>,
    y: &[usize],
    n_classes: usize,
    selection: Selection,
    k: usize,
) -> Vec<usize> {
    let scores: Vec<f64> = match selection {
        Selection::Chi2 => chi2(x, y, n_classes),
        Selection::DocumentFrequency => {
            let mut df = vec![0.0; x.cols()];
            for &j in x.indices() {
                df[j] += 1.0;
            }
            df
        }
    };
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    order.truncate(k);
    order.sort_unstable();
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chi2_by_hand() {
        // Column 0 only in class 0, column 1 spread evenly.
        let x = CsMat::new(
            (4, 2),
            vec![0, 2, 3, 4, 5],
            vec![0, 1, 1, 1, 1],
            vec![2.0f32, 1.0, 1.0, 1.0, 1.0],
        );
        let y = [0, 0, 1, 1];
        let s = chi2(&x, &y, 2);
        // Column 0: observed (2, 0), expected (1, 1) → 1 + 1.
        assert!((s[0] - 2.0).abs() < 1e-12);
        assert!(s[1].abs() < 1e-12);
        assert_eq!(select_columns(&x, &y, 2, Selection::Chi2, 1), [0]);
        assert_eq!(
            select_columns(&x, &y, 2, Selection::DocumentFrequency, 1),
            [1]
        );
    }
}
