//! Logistic regression against scikit-learn's LogisticRegression on the same data: the same
//! optimum (weights within 1e-3, probabilities within 1e-4). The reference fits were computed
//! once by tests/fixtures/sklearn/generate.py.

use linfa::ParamGuard;
use linfa::traits::Fit;
use serde::Deserialize;
use sprs::CsMat;
use stance_train::dataset::sparse_dataset;
use stance_train::logreg::{ClassWeight, LogisticRegressionParams, LogisticRegressionValidParams};

#[derive(Deserialize)]
struct Csr {
    shape: (usize, usize),
    indptr: Vec<usize>,
    indices: Vec<usize>,
    data: Vec<f32>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    params: serde_json::Map<String, serde_json::Value>,
    x: Csr,
    y: Vec<usize>,
    coef: Vec<Vec<f64>>,
    intercept: Vec<f64>,
    proba: Vec<Vec<f64>>,
}

#[derive(Deserialize)]
struct Fixture {
    cases: Vec<Case>,
}

#[test]
fn fits_match_scikit_learn() {
    let text = include_str!("fixtures/sklearn/logreg.json");
    let fixture: Fixture = serde_json::from_str(text).unwrap();
    assert_eq!(fixture.cases.len(), 4);
    for case in fixture.cases {
        let x = CsMat::new(case.x.shape, case.x.indptr, case.x.indices, case.x.data);
        let mut params = LogisticRegressionValidParams {
            tol: 1e-9,
            max_iter: 10_000,
            ..Default::default()
        };
        for (key, value) in &case.params {
            match key.as_str() {
                "C" => params.c = value.as_f64().unwrap(),
                "class_weight" => {
                    assert_eq!(value, "balanced");
                    params.class_weight = ClassWeight::Balanced;
                }
                "fit_intercept" => params.fit_intercept = value.as_bool().unwrap(),
                other => panic!("{}: unknown parameter {other}", case.name),
            }
        }
        let data = sparse_dataset(x, case.y.clone()).unwrap();
        let model = LogisticRegressionParams(params)
            .check()
            .unwrap()
            .fit(&data)
            .unwrap();
        assert!(
            model.converged,
            "{}: {} iterations",
            case.name, model.n_iter
        );
        let k = model.n_classes();
        let labels = (0..k).map(|c| c.to_string()).collect();
        let linear = model.to_linear(labels).unwrap();
        let d = linear.n_features();
        let mut worst = 0.0f64;
        for j in 0..d {
            if k == 2 {
                let w = f64::from(linear.weight(j, 1) - linear.weight(j, 0));
                worst = worst.max((w - case.coef[0][j]).abs());
            } else {
                for c in 0..k {
                    worst = worst.max((f64::from(linear.weight(j, c)) - case.coef[c][j]).abs());
                }
            }
        }
        assert!(worst < 1e-3, "{}: weights differ by {worst}", case.name);
        let b = linear.intercepts();
        let intercepts: Vec<f64> = if k == 2 {
            vec![f64::from(b[1] - b[0])]
        } else {
            b.iter().map(|&v| f64::from(v)).collect()
        };
        for (got, expected) in intercepts.iter().zip(&case.intercept) {
            assert!(
                (got - expected).abs() < 1e-3,
                "{}: intercept {got} vs {expected}",
                case.name
            );
        }
        let proba = model.predict_proba(data.records());
        let mut worst = 0.0f64;
        for (row, expected) in proba.chunks(k).zip(&case.proba) {
            for (p, e) in row.iter().zip(expected) {
                worst = worst.max((f64::from(*p) - e).abs());
            }
        }
        assert!(
            worst < 1e-4,
            "{}: probabilities differ by {worst}",
            case.name
        );
    }
}
