//! Naive Bayes against scikit-learn's MultinomialNB and ComplementNB on the same counts
//! (fixtures from tests/fixtures/sklearn/generate.py), and a long document that would overflow
//! a naive implementation.

use linfa::ParamGuard;
use linfa::traits::{Fit, Predict};
use serde::Deserialize;
use sprs::CsMat;
use stance_train::dataset::sparse_dataset;
use stance_train::nb::{NaiveBayesParams, NaiveBayesValidParams, NbKind};

#[derive(Deserialize)]
struct Csr {
    shape: (usize, usize),
    indptr: Vec<usize>,
    indices: Vec<usize>,
    data: Vec<f32>,
}

#[derive(Deserialize)]
struct Expected {
    proba: Vec<Vec<f64>>,
    predict: Vec<usize>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    alpha: f64,
    x: Csr,
    y: Vec<usize>,
    multinomial: Expected,
    complement: Expected,
}

#[derive(Deserialize)]
struct Fixture {
    cases: Vec<Case>,
}

#[test]
fn probabilities_match_scikit_learn() {
    let fixture: Fixture =
        serde_json::from_str(include_str!("fixtures/sklearn/naive_bayes.json")).unwrap();
    assert_eq!(fixture.cases.len(), 2);
    for case in fixture.cases {
        let x = CsMat::new(case.x.shape, case.x.indptr, case.x.indices, case.x.data);
        let data = sparse_dataset(x, case.y).unwrap();
        for (kind, expected) in [
            (NbKind::Multinomial, &case.multinomial),
            (NbKind::Complement, &case.complement),
        ] {
            let params = NaiveBayesParams(NaiveBayesValidParams {
                kind,
                alpha: case.alpha,
                n_classes: 0,
            });
            let model = params.check().unwrap().fit(&data).unwrap();
            let proba = model.predict_proba(data.records());
            let k = model.n_classes();
            let mut worst = 0.0f64;
            for (row, e) in proba.chunks(k).zip(&expected.proba) {
                for (p, e) in row.iter().zip(e) {
                    worst = worst.max((f64::from(*p) - e).abs());
                }
            }
            assert!(
                worst < 1e-5,
                "{} {kind:?}: probabilities differ by {worst}",
                case.name
            );
            let predicted: ndarray::Array1<usize> = model.predict(&data);
            assert_eq!(
                predicted.to_vec(),
                expected.predict,
                "{} {kind:?}",
                case.name
            );
        }
    }
}

#[test]
fn long_documents_do_not_overflow() {
    // One feature counted 100,000 times: exp of the joint log-likelihood underflows to 0 for
    // both classes, so probabilities computed outside log space would be 0/0.
    let x = CsMat::new(
        (3, 2),
        vec![0, 1, 2, 3],
        vec![0, 1, 0],
        vec![3.0f32, 2.0, 100_000.0],
    );
    let data = sparse_dataset(x, vec![0, 1, 0]).unwrap();
    let model = NaiveBayesParams::default()
        .check()
        .unwrap()
        .fit(&data)
        .unwrap();
    let p = model.predict_proba(data.records());
    assert!(p.iter().all(|v| v.is_finite()), "{p:?}");
    assert!(p[4] > 0.99, "{p:?}");
}

#[test]
fn negative_values_are_refused_with_their_place() {
    let x = CsMat::new((2, 2), vec![0, 1, 2], vec![0, 1], vec![1.0f32, -0.5]);
    let data = sparse_dataset(x, vec![0, 1]).unwrap();
    let err = NaiveBayesParams::default()
        .check()
        .unwrap()
        .fit(&data)
        .unwrap_err()
        .to_string();
    assert!(err.contains("row 1, column 1"), "{err}");
}
