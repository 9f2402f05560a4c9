//! Aggregating scored articles: the actor × proposal matrix of stances, overall and per period.
//!
//! Each stance record counts once toward its (actor, proposal) cell: the counts of support,
//! oppose and neutral, the mean probability of each label, and the net stance
//! (support − oppose) / n, which runs from −1 (every mention opposes) to +1.

use std::collections::BTreeMap;

use serde_json::Value;
use stance_corpus::Date;

/// How periods are cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// One calendar day: `2025-04-23`.
    Day,
    /// One ISO 8601 week (Monday to Sunday): `2025-W17`.
    Week,
    /// One calendar month: `2025-04`.
    Month,
}

impl Period {
    /// The period holding `date`.
    pub fn key(self, date: Date) -> String {
        match self {
            Period::Day => format!("{:04}-{:02}-{:02}", date.year, date.month, date.day),
            Period::Month => format!("{:04}-{:02}", date.year, date.month),
            Period::Week => {
                let (year, week) = iso_week(date);
                format!("{year:04}-W{week:02}")
            }
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The ISO 8601 week-numbering year and week of `date`.
pub fn iso_week(date: Date) -> (i64, i64) {
    let (y, m, d) = (
        i64::from(date.year),
        i64::from(date.month),
        i64::from(date.day),
    );
    let n = days(y, m, d);
    // 1970-01-01 was a Thursday; Monday = 0.
    let weekday = (n + 3).rem_euclid(7);
    // The Thursday of this week decides the year.
    let thursday = n - weekday + 3;
    let year = if thursday < days(y, 1, 1) {
        y - 1
    } else if thursday >= days(y + 1, 1, 1) {
        y + 1
    } else {
        y
    };
    let week = (thursday - days(year, 1, 1)) / 7 + 1;
    (year, week)
}

/// The stances of one (actor, proposal) pair.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cell {
    /// Count of each label, by label.
    pub counts: BTreeMap<String, usize>,
    /// Sum of each label's probability, by label.
    probability_sums: BTreeMap<String, f64>,
    /// Stances counted.
    pub n: usize,
}

impl Cell {
    fn add(&mut self, stance: &str, probabilities: Option<&serde_json::Map<String, Value>>) {
        *self.counts.entry(stance.to_owned()).or_default() += 1;
        for (label, p) in probabilities.into_iter().flatten() {
            *self.probability_sums.entry(label.clone()).or_default() += p.as_f64().unwrap_or(0.0);
        }
        self.n += 1;
    }

    /// Stances labelled `label`.
    pub fn count(&self, label: &str) -> usize {
        self.counts.get(label).copied().unwrap_or(0)
    }

    /// The mean probability of `label` over the stances.
    pub fn mean_probability(&self, label: &str) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.probability_sums.get(label).copied().unwrap_or(0.0) / self.n as f64
        }
    }

    /// (support − oppose) / n.
    pub fn net(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            (self.count("support") as f64 - self.count("oppose") as f64) / self.n as f64
        }
    }
}

/// An (actor, proposal) key: ids, with display names.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct PairKey {
    /// The actor's id.
    pub actor: String,
    /// The proposal's id.
    pub proposal: String,
}

/// The matrix of one period (or of everything).
pub type Matrix = BTreeMap<PairKey, Cell>;

/// The aggregate of a prediction file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// Every stance.
    pub overall: Matrix,
    /// Per period, when a period was asked for and articles have dates.
    pub periods: BTreeMap<String, Matrix>,
    /// Display names of actors and proposals, by id.
    pub names: BTreeMap<String, String>,
    /// Articles read.
    pub articles: usize,
    /// Articles with stances but no usable date (counted in `overall` only).
    pub undated: usize,
    /// Records with an `error`.
    pub errors: usize,
}

impl Summary {
    /// Adds one output record of `stance score`; `date_field` names its date.
    pub fn add(
        &mut self,
        record: &Value,
        date_field: &str,
        period: Option<Period>,
    ) -> Result<(), String> {
        let object = record.as_object().ok_or("not a JSON object")?;
        self.articles += 1;
        if object.get("error").is_some_and(|e| !e.is_null()) {
            self.errors += 1;
            return Ok(());
        }
        let stances = match object.get("stances") {
            Some(Value::Array(s)) => s,
            Some(_) => return Err("field \"stances\": not an array".into()),
            None => {
                return Err(
                    "field \"stances\": missing (is this the output of stance score?)".into(),
                );
            }
        };
        let period_key = period.and_then(|p| {
            let date = object.get(date_field)?.as_str()?;
            let date: Date = date.get(..10)?.parse().ok()?;
            Some(p.key(date))
        });
        if period.is_some() && period_key.is_none() && !stances.is_empty() {
            self.undated += 1;
        }
        for (i, s) in stances.iter().enumerate() {
            let field = |name: &str| -> Result<String, String> {
                s.get(name)
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(|| format!("stances[{i}].{name}: missing or not a string"))
            };
            let key = PairKey {
                actor: field("actor")?,
                proposal: field("proposal")?,
            };
            let stance = field("stance")?;
            for (id, name) in [(&key.actor, "actor_name"), (&key.proposal, "proposal_name")] {
                if let Some(display) = s.get(name).and_then(Value::as_str) {
                    self.names
                        .entry(id.clone())
                        .or_insert_with(|| display.to_owned());
                }
            }
            let probabilities = s.get("probabilities").and_then(Value::as_object);
            self.overall
                .entry(key.clone())
                .or_default()
                .add(&stance, probabilities);
            if let Some(p) = &period_key {
                self.periods
                    .entry(p.clone())
                    .or_default()
                    .entry(key)
                    .or_default()
                    .add(&stance, probabilities);
            }
        }
        Ok(())
    }

    /// The display name of an id (the id itself when no record named it).
    pub fn name<'a>(&'a self, id: &'a str) -> &'a str {
        self.names.get(id).map_or(id, String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn iso_weeks_at_year_ends() {
        for (d, expected) in [
            ("2025-04-23", "2025-W17"),
            ("2024-12-30", "2025-W01"),
            ("2021-01-03", "2020-W53"),
            ("2026-01-06", "2026-W02"),
            ("2020-12-31", "2020-W53"),
            ("2019-12-29", "2019-W52"),
        ] {
            assert_eq!(Period::Week.key(date(d)), expected, "{d}");
        }
        assert_eq!(Period::Month.key(date("2025-04-23")), "2025-04");
        assert_eq!(Period::Day.key(date("2025-04-23")), "2025-04-23");
    }

    #[test]
    fn cells_count_and_average() {
        let mut s = Summary::default();
        let st = |stance: &str, p: f64| {
            json!({"actor": "uk", "actor_name": "United Kingdom", "proposal": "ceasefire", "proposal_name": "Ceasefire",
                   "stance": stance, "probabilities": {"support": p, "oppose": 1.0 - p, "neutral": 0.0}})
        };
        s.add(&json!({"id": "a", "date": "2025-04-23T10:00:00Z", "stances": [st("support", 0.8), st("oppose", 0.2)]}), "date", Some(Period::Month)).unwrap();
        s.add(
            &json!({"id": "b", "date": "2025-05-01", "stances": [st("support", 0.6)]}),
            "date",
            Some(Period::Month),
        )
        .unwrap();
        s.add(
            &json!({"id": "c", "stances": [st("neutral", 0.0)]}),
            "date",
            Some(Period::Month),
        )
        .unwrap();
        s.add(
            &json!({"id": "d", "error": "x.txt: empty", "stances": []}),
            "date",
            Some(Period::Month),
        )
        .unwrap();
        assert_eq!((s.articles, s.undated, s.errors), (4, 1, 1));
        let key = PairKey {
            actor: "uk".into(),
            proposal: "ceasefire".into(),
        };
        let cell = &s.overall[&key];
        assert_eq!(
            (
                cell.count("support"),
                cell.count("oppose"),
                cell.count("neutral"),
                cell.n
            ),
            (2, 1, 1, 4)
        );
        assert!((cell.net() - 0.25).abs() < 1e-12);
        assert!((cell.mean_probability("support") - 0.4).abs() < 1e-12);
        assert_eq!(s.periods.keys().collect::<Vec<_>>(), ["2025-04", "2025-05"]);
        assert!((s.periods["2025-04"][&key].net()).abs() < 1e-12);
        assert_eq!(s.name("uk"), "United Kingdom");
        assert!(
            s.add(&json!({"id": "e"}), "date", None)
                .unwrap_err()
                .contains("stances")
        );
    }
}
