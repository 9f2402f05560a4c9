//! Calendar dates of articles: ISO-8601 `YYYY-MM-DD`, or the date part of an RFC 3339
//! timestamp (`2025-04-23T08:15:00Z`).
//!
//! Records keep the date string as given (a timestamp stays a timestamp when written back);
//! [`Date`] is what it means when something must compare dates, e.g. an actor's role held from
//! one date to another.

use std::fmt;
use std::str::FromStr;

/// A day of the proleptic Gregorian calendar.
///
/// ```
/// use stance_corpus::Date;
///
/// let day: Date = "2025-04-23".parse().unwrap();
/// assert_eq!(day, Date { year: 2025, month: 4, day: 23 });
/// assert_eq!("2025-04-23T08:15:00+02:00".parse::<Date>().unwrap(), day);
/// assert!("2025-02-29".parse::<Date>().is_err());
/// assert!(day < "2025-05-01".parse().unwrap());
/// assert_eq!(day.to_string(), "2025-04-23");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year, 0000 to 9999.
    pub year: u16,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, from 1.
    pub day: u8,
}

impl Date {
    /// The number of days in `month` of `year`.
    fn days_in_month(year: u16, month: u8) -> u8 {
        match month {
            4 | 6 | 9 | 11 => 30,
            2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
            2 => 28,
            _ => 31,
        }
    }
}

impl FromStr for Date {
    type Err = String;

    /// Parses `YYYY-MM-DD`, alone or followed by an RFC 3339 time (`T` or a space, `hh:mm:ss`,
    /// optional fraction, then `Z` or `±hh:mm`).
    fn from_str(s: &str) -> Result<Date, String> {
        let bad = || format!("{s:?} is not an ISO-8601 date (YYYY-MM-DD) or an RFC 3339 timestamp");
        let b = s.as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let number = |range: std::ops::Range<usize>| -> Option<u16> {
            let digits = &b[range];
            digits
                .iter()
                .all(u8::is_ascii_digit)
                .then(|| digits.iter().fold(0, |n, d| n * 10 + u16::from(d - b'0')))
        };
        let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10))
        else {
            return Err(bad());
        };
        let (month, day) = (month as u8, day as u8);
        if !(1..=12).contains(&month) || day == 0 || day > Date::days_in_month(year, month) {
            return Err(format!("{s:?} is not a day of the calendar"));
        }
        if b.len() > 10 && !is_rfc3339_time(&b[10..]) {
            return Err(bad());
        }
        Ok(Date { year, month, day })
    }
}

/// Whether `t` is `Thh:mm:ss[.fraction](Z|±hh:mm)` (a space may stand for the `T`).
fn is_rfc3339_time(t: &[u8]) -> bool {
    let two = |s: &[u8], max: u8| {
        s.len() == 2
            && s.iter().all(u8::is_ascii_digit)
            && (s[0] - b'0') * 10 + (s[1] - b'0') <= max
    };
    if t.len() < 10 || !matches!(t[0], b'T' | b't' | b' ') || t[3] != b':' || t[6] != b':' {
        return false;
    }
    if !(two(&t[1..3], 23) && two(&t[4..6], 59) && two(&t[7..9], 60)) {
        return false;
    }
    let mut rest = &t[9..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let digits = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        rest = &fraction[digits..];
    }
    match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h @ .., b':', m1, m2] => two(h, 23) && two(&[*m1, *m2], 59),
        _ => false,
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
    fn dates_and_timestamps_parse() {
        let cases = [
            ("2025-04-23", Some((2025, 4, 23))),
            ("2024-02-29", Some((2024, 2, 29))),
            ("2000-02-29", Some((2000, 2, 29))),
            ("1900-02-29", None),
            ("2025-04-31", None),
            ("2025-13-01", None),
            ("2025-00-10", None),
            ("2025-4-23", None),
            ("23/04/2025", None),
            ("2025-04-23T08:15:00Z", Some((2025, 4, 23))),
            ("2025-04-23T08:15:00.123+02:00", Some((2025, 4, 23))),
            ("2025-04-23 08:15:00-05:30", Some((2025, 4, 23))),
            ("2025-04-23T08:15:00", None),
            ("2025-04-23T25:15:00Z", None),
            ("2025-04-23T08:15:00.Z", None),
            ("2025-04-23x", None),
            ("", None),
        ];
        for (input, want) in cases {
            let got = input.parse::<Date>().ok().map(|d| (d.year, d.month, d.day));
            assert_eq!(got, want, "{input:?}");
        }
    }
}
