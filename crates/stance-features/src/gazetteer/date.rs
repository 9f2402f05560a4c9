//! A calendar date, parsed from ISO 8601 `YYYY-MM-DD`: all a dated role needs, without a date crate.

use std::fmt;
use std::str::FromStr;

use crate::Error;

/// A day of the proleptic Gregorian calendar, years 1 to 9999. Dates order chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The date `year-month-day`, or `None` when there is no such day.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let valid = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Parses the date at the start of an ISO 8601 date-time (`2025-04-23T16:08:00Z` gives
    /// 2025-04-23), as articles' `date` fields often carry a time.
    pub fn parse_prefix(text: &str) -> Result<Date, Error> {
        let head = text.get(..10).unwrap_or(text);
        let rest = &text[head.len()..];
        if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
            return Err(invalid(text));
        }
        head.parse()
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

fn invalid(text: &str) -> Error {
    Error::InvalidValue {
        what: "date",
        value: text.to_string(),
        expected: "an ISO 8601 date YYYY-MM-DD that exists in the calendar".to_string(),
    }
}

impl FromStr for Date {
    type Err = Error;

    /// Parses exactly `YYYY-MM-DD`.
    fn from_str(text: &str) -> Result<Date, Error> {
        let b = text.as_bytes();
        let shape = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape {
            return Err(invalid(text));
        }
        let num = |r: std::ops::Range<usize>| text[r].parse::<u16>().map_err(|_| invalid(text));
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        Date::new(year, month as u8, day as u8).ok_or_else(|| invalid(text))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_and_refuses_invalid_dates() {
        type Ymd = Option<(u16, u8, u8)>;
        let cases: &[(&str, Ymd)] = &[
            ("2024-07-05", Some((2024, 7, 5))),
            ("2024-02-29", Some((2024, 2, 29))),
            ("2000-02-29", Some((2000, 2, 29))),
            ("1900-02-29", None),
            ("2025-02-29", None),
            ("2025-04-31", None),
            ("2025-13-01", None),
            ("2025-00-10", None),
            ("0000-01-01", None),
            ("2025-4-1", None),
            ("2025/04/01", None),
            ("2025-04-01x", None),
            ("", None),
        ];
        for &(text, expected) in cases {
            let got = text
                .parse::<Date>()
                .ok()
                .map(|d| (d.year(), d.month(), d.day()));
            assert_eq!(got, expected, "{text}");
        }
    }

    #[test]
    fn parses_the_date_of_a_date_time_and_orders_and_prints() {
        let d = Date::parse_prefix("2025-04-23T16:08:00+10:00").unwrap();
        assert_eq!(d.to_string(), "2025-04-23");
        assert!(Date::parse_prefix("2025-04-23X").is_err());
        assert!(d < "2025-04-24".parse().unwrap());
        assert!(d > "2024-12-31".parse().unwrap());
    }
}
