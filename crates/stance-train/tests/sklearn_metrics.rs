//! The evaluation report against scikit-learn's classification_report and confusion_matrix
//! (fixtures from tests/fixtures/sklearn/generate.py).

use serde_json::Value;
use stance_train::metrics::Report;

#[test]
fn reports_match_scikit_learn() {
    let fixture: Value =
        serde_json::from_str(include_str!("fixtures/sklearn/reports.json")).unwrap();
    let cases = fixture["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 4);
    for case in cases {
        let labels: Vec<String> = serde_json::from_value(case["labels"].clone()).unwrap();
        let gold: Vec<usize> = serde_json::from_value(case["gold"].clone()).unwrap();
        let pred: Vec<usize> = serde_json::from_value(case["pred"].clone()).unwrap();
        let ours = Report::new(&labels, &gold, &pred).to_json();
        let theirs = case["report"].as_object().unwrap();
        for (key, expected) in theirs {
            let got = &ours[key];
            match expected {
                Value::Number(n) => {
                    let diff = (got.as_f64().unwrap() - n.as_f64().unwrap()).abs();
                    assert!(diff < 1e-12, "{labels:?} {key}: {got} vs {n}");
                }
                Value::Object(fields) => {
                    for (field, n) in fields {
                        let diff = (got[field].as_f64().unwrap() - n.as_f64().unwrap()).abs();
                        assert!(
                            diff < 1e-12,
                            "{labels:?} {key}.{field}: {} vs {n}",
                            got[field]
                        );
                    }
                }
                other => panic!("unexpected {other}"),
            }
        }
        assert_eq!(ours["confusion_matrix"], case["confusion_matrix"]);
    }
}
