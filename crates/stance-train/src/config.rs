//! Building a [`TrainConfig`] from layers: the task's defaults, a config file, `--set`
//! overrides; and expanding a parameter grid for `stance cv --grid`.
//!
//! Layers are merged as JSON: objects merge key by key, anything else replaces. A config names
//! only what it changes (`[classifier] c = 3.0`), and `--set classifier.c=3` changes one value
//! by its dotted path (array elements by index: `template.blocks.0.vectorizer.sublinear_tf=false`;
//! in a TOML file, a table keyed by an index, `[template.blocks.0.vectorizer]`, does the same).

use serde_json::{Map, Value};
use stance_infer::template::{Task, TemplateParams};

use crate::Error;
use crate::train::{ClassifierParams, TrainConfig};

/// The classifier a task uses when none is named.
pub fn default_classifier(task: Task) -> &'static str {
    match task {
        Task::Document | Task::Target | Task::Pair | Task::Mention => "logreg",
    }
}

/// A grid: dotted paths and the values each takes, searched in every combination.
pub type Grid = Vec<(String, Vec<Value>)>;

/// The configuration of a run, and the grid the config file names (`[grid]`), if any.
pub fn build_config(
    task: Task,
    classifier: Option<&str>,
    file: Option<Value>,
    sets: &[String],
) -> Result<(TrainConfig, Option<Grid>), Error> {
    let name = classifier.unwrap_or(default_classifier(task));
    let classifier = ClassifierParams::by_name(name).ok_or_else(|| Error::InvalidParameter {
        name: "classifier",
        value: name.to_owned(),
        expected: "one of linfa-logreg, logreg, nb, nbsvm",
    })?;
    let defaults = TrainConfig {
        template: TemplateParams::default_for(task),
        classifier,
        seed: 0,
    };
    let mut value = serde_json::to_value(&defaults).expect("plain data serializes");
    let mut grid = None;
    if let Some(mut file) = file {
        let object = file
            .as_object_mut()
            .ok_or_else(|| config_error("the config must be a table"))?;
        if let Some(g) = object.remove("grid") {
            grid = Some(parse_grid(g)?);
        }
        // A config naming another classifier starts from that classifier's defaults.
        if let Some(kind) = object
            .get("classifier")
            .and_then(|c| c.get("type"))
            .and_then(Value::as_str)
        {
            let params = ClassifierParams::by_name(kind).ok_or_else(|| {
                config_error(&format!(
                    "classifier.type = {kind:?}: expected one of linfa-logreg, logreg, nb, nbsvm"
                ))
            })?;
            value["classifier"] = serde_json::to_value(params).expect("plain data serializes");
        }
        merge(&mut value, file);
    }
    for set in sets {
        let (path, raw) = set
            .split_once('=')
            .ok_or_else(|| config_error(&format!("--set {set:?}: expected key=value")))?;
        set_path(&mut value, path, parse_value(raw))?;
    }
    let config = from_value(value)?;
    if config.template.task != task {
        return Err(config_error(&format!(
            "the config's template is for {} examples, not {task}",
            config.template.task
        )));
    }
    config.template.check()?;
    Ok((config, grid))
}

fn config_error(reason: &str) -> Error {
    Error::Data {
        reason: format!("configuration: {reason}"),
    }
}

fn from_value(value: Value) -> Result<TrainConfig, Error> {
    serde_json::from_value(value).map_err(|e| config_error(&e.to_string()))
}

/// A `--set` value: JSON when it parses as JSON (`3`, `true`, `[1, 2]`, `"x"`), else a string.
pub fn parse_value(raw: &str) -> Value {
    serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_owned()))
}

fn merge(base: &mut Value, layer: Value) {
    match (base, layer) {
        (Value::Object(base), Value::Object(layer)) => {
            for (key, value) in layer {
                match base.get_mut(&key) {
                    Some(slot) => merge(slot, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        // TOML cannot index a list: `[template.blocks.0.vectorizer]` is a table keyed "0",
        // which changes element 0 of the list.
        (Value::Array(items), Value::Object(layer))
            if layer
                .keys()
                .all(|k| k.parse::<usize>().is_ok_and(|i| i < items.len())) =>
        {
            for (key, value) in layer {
                let index: usize = key.parse().expect("checked above");
                merge(&mut items[index], value);
            }
        }
        (base, layer) => *base = layer,
    }
}

/// Sets the value at a dotted `path`, creating missing object keys.
pub fn set_path(root: &mut Value, path: &str, value: Value) -> Result<(), Error> {
    let mut at = root;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        at = match at {
            Value::Object(map) => {
                if last {
                    map.insert((*part).to_owned(), value);
                    return Ok(());
                }
                map.entry((*part).to_owned())
                    .or_insert_with(|| Value::Object(Map::new()))
            }
            Value::Array(items) => {
                let index: usize = part.parse().map_err(|_| {
                    config_error(&format!("{path}: {part:?} is not an index of a list"))
                })?;
                let len = items.len();
                let slot = items.get_mut(index).ok_or_else(|| {
                    config_error(&format!(
                        "{path}: index {index} is past the end of a list of {len}"
                    ))
                })?;
                if last {
                    *slot = value;
                    return Ok(());
                }
                slot
            }
            _ => {
                return Err(config_error(&format!(
                    "{path}: {part:?} is inside a value that has no fields"
                )));
            }
        };
    }
    Err(config_error("an empty --set path"))
}

fn parse_grid(value: Value) -> Result<Grid, Error> {
    let Value::Object(map) = value else {
        return Err(config_error("[grid] must be a table of lists"));
    };
    let mut grid = Grid::new();
    flatten_grid(String::new(), map, &mut grid)?;
    if grid.is_empty() {
        return Err(config_error("[grid] names no parameter"));
    }
    Ok(grid)
}

/// Accepts both `"classifier.c" = [..]` and nested tables (`[grid.classifier] c = [..]`).
fn flatten_grid(prefix: String, map: Map<String, Value>, grid: &mut Grid) -> Result<(), Error> {
    for (key, value) in map {
        let path = if prefix.is_empty() {
            key
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Array(values) if !values.is_empty() => grid.push((path, values)),
            Value::Object(inner) => flatten_grid(path, inner, grid)?,
            _ => {
                return Err(config_error(&format!(
                    "grid.{path}: expected a non-empty list of values"
                )));
            }
        }
    }
    Ok(())
}

/// The grid searched when the config names none.
pub fn default_grid(classifier: &ClassifierParams) -> Grid {
    let values = |v: &[Value]| v.to_vec();
    let n = |x: f64| Value::from(x);
    match classifier {
        ClassifierParams::Logreg(_) | ClassifierParams::LinfaLogreg(_) => vec![(
            "classifier.c".into(),
            values(&[n(0.3), n(1.0), n(3.0), n(10.0)]),
        )],
        ClassifierParams::Nb(_) => vec![
            ("classifier.alpha".into(), values(&[n(0.1), n(0.3), n(1.0)])),
            (
                "classifier.kind".into(),
                values(&["multinomial".into(), "complement".into()]),
            ),
        ],
        ClassifierParams::Nbsvm(_) => vec![
            ("classifier.alpha".into(), values(&[n(0.5), n(1.0)])),
            (
                "classifier.logreg.c".into(),
                values(&[n(0.3), n(1.0), n(3.0)]),
            ),
        ],
    }
}

/// Every combination of `grid` applied to `base`: the settings (path = value) and the config.
pub fn expand_grid(
    base: &TrainConfig,
    grid: &Grid,
) -> Result<Vec<(Vec<String>, TrainConfig)>, Error> {
    let mut out = vec![(
        Vec::new(),
        serde_json::to_value(base).expect("plain data serializes"),
    )];
    for (path, values) in grid {
        let mut next = Vec::with_capacity(out.len() * values.len());
        for (settings, config) in &out {
            for value in values {
                let mut config = config.clone();
                set_path(&mut config, path, value.clone())?;
                let mut settings = settings.clone();
                settings.push(format!("{path}={value}"));
                next.push((settings, config));
            }
        }
        out = next;
    }
    out.into_iter()
        .map(|(settings, value)| Ok((settings, from_value(value)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_merge_and_sets_override() {
        let file = serde_json::json!({"classifier": {"c": 3.0}, "seed": 4});
        let (config, grid) = build_config(
            Task::Mention,
            None,
            Some(file),
            &[
                "classifier.class_weight=balanced".into(),
                "template.blocks.0.prefix=lhs".into(),
            ],
        )
        .unwrap();
        assert!(grid.is_none());
        assert_eq!(config.seed, 4);
        let ClassifierParams::Logreg(p) = &config.classifier else {
            panic!()
        };
        assert_eq!(p.c, 3.0);
        assert_eq!(p.class_weight, crate::logreg::ClassWeight::Balanced);
        assert_eq!(config.template.blocks[0].prefix, "lhs");
    }

    #[test]
    fn a_table_keyed_by_index_changes_a_list_element() {
        let file = serde_json::json!({"template": {"blocks": {"1": {"prefix": "mid"}}}});
        let (config, _) = build_config(Task::Mention, None, Some(file), &[]).unwrap();
        assert_eq!(config.template.blocks[1].prefix, "mid");
        assert_eq!(config.template.blocks[0].prefix, "left");
    }

    #[test]
    fn a_config_can_switch_classifier_and_name_a_grid() {
        let file = serde_json::json!({"classifier": {"type": "nb", "alpha": 0.5}, "grid": {"classifier": {"alpha": [0.1, 1.0]}, "seed": [1, 2]}});
        let (config, grid) = build_config(Task::Document, Some("logreg"), Some(file), &[]).unwrap();
        let ClassifierParams::Nb(p) = &config.classifier else {
            panic!()
        };
        assert_eq!(p.alpha, 0.5);
        let grid = grid.unwrap();
        let points = expand_grid(&config, &grid).unwrap();
        assert_eq!(points.len(), 4);
        assert_eq!(points[3].0, ["classifier.alpha=1.0", "seed=2"]);
    }

    #[test]
    fn bad_configs_say_what_is_wrong() {
        for (file, sets, expected) in [
            (None, vec!["classifier.c"], "key=value"),
            (None, vec!["template.blocks.9.prefix=x"], "past the end"),
            (
                Some(serde_json::json!({"classifier": {"colour": 1}})),
                vec![],
                "colour",
            ),
            (
                Some(serde_json::json!({"classifier": {"type": "svm"}})),
                vec![],
                "svm",
            ),
            (
                Some(serde_json::json!({"template": {"task": "pair"}})),
                vec![],
                "pair",
            ),
        ] {
            let sets: Vec<String> = sets.into_iter().map(String::from).collect();
            let err = build_config(Task::Mention, None, file, &sets)
                .unwrap_err()
                .to_string();
            assert!(err.contains(expected), "{err}");
        }
        assert!(build_config(Task::Mention, Some("forest"), None, &[]).is_err());
    }
}
