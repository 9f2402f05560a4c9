//! The common JSON Lines article read without building its text through `serde_json`: an
//! object of plain fields whose text field is a string. The text is most of the line, and
//! `serde_json` decodes a long string through a scratch buffer that grows by doubling and is
//! copied again; here the string is scanned for its quotes and backslashes with `memchr`, its
//! runs checked for control characters and copied once into a string of the right capacity.
//! The other fields (the id, the date, whatever else passes through) are short and still parsed
//! by `serde_json`, one value at a time.
//!
//! Anything out of the ordinary makes [`split_text_field`] answer `None`, and the caller parses
//! the line with `serde_json` as a whole, so that every error message, and every edge of the
//! JSON grammar, stays `serde_json`'s own: a field written twice, arrays and objects nested as
//! deep as `serde_json`'s recursion limit (counted from the line's own object), an escape
//! that is not two characters or a well-formed `\u` sequence (surrogates paired), a control
//! character inside a string, trailing characters.

use serde_json::{Map, Value};

/// The line's object without its text field, and that field's value (`None` when the line
/// has none), or `None` when the line is not of the plain shape described in the module
/// documentation; then `serde_json::from_str` must be asked instead. `line` is one JSON Lines
/// record without its line ending.
pub(crate) fn split_text_field(
    line: &str,
    text_field: &str,
) -> Option<(Map<String, Value>, Option<Value>)> {
    let b = line.as_bytes();
    let mut i = skip_space(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_space(b, i + 1);
    let mut object = Map::new();
    let mut text = None;
    if b.get(i) == Some(&b'}') {
        i += 1;
    } else {
        loop {
            if b.get(i) != Some(&b'"') {
                return None;
            }
            let (key, after) = decode_string(line, i)?;
            i = skip_space(b, after);
            if b.get(i) != Some(&b':') {
                return None;
            }
            i = skip_space(b, i + 1);
            let is_text = key == text_field;
            if is_text && text.is_some() {
                return None;
            }
            let value = match b.get(i)? {
                b'"' if is_text => {
                    let (s, after) = decode_string(line, i)?;
                    i = after;
                    Value::String(s)
                }
                _ => {
                    let mut values =
                        serde_json::Deserializer::from_str(&line[i..]).into_iter::<Value>();
                    let value = values.next()?.ok()?;
                    // Read alone, the value may nest one level deeper than inside the line's
                    // object.
                    if depth(&value) >= MAX_DEPTH {
                        return None;
                    }
                    i += values.byte_offset();
                    value
                }
            };
            if is_text {
                text = Some(value);
            } else if object.insert(key, value).is_some() {
                return None;
            }
            i = skip_space(b, i);
            match b.get(i)? {
                b',' => i = skip_space(b, i + 1),
                b'}' => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    (skip_space(b, i) == b.len()).then_some((object, text))
}

/// How deep `serde_json` lets arrays and objects nest, counting the line's own object (its
/// recursion limit of 128 is spent by the time the 128th opens).
const MAX_DEPTH: usize = 127;

/// How many arrays and objects `value` is nested in, itself included.
fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(fields) => 1 + fields.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// The first byte at or after `i` that is not JSON whitespace.
#[inline]
fn skip_space(b: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = b.get(i) {
        i += 1;
    }
    i
}

/// The JSON string whose opening quote is at byte `open` of `line`, decoded, and the index
/// past its closing quote; `None` for a string `serde_json` might read otherwise (see the
/// module documentation) or that does not end.
fn decode_string(line: &str, open: usize) -> Option<(String, usize)> {
    let b = line.as_bytes();
    let start = open + 1;
    // One allocation: the decoded string is never longer than the rest of the line.
    let mut out: Option<String> = None;
    let mut run = start;
    loop {
        let stop = run + memchr::memchr2(b'"', b'\\', &b[run..])?;
        // Control characters must be escaped; the smallest byte of the run tells (a minimum
        // over the slice vectorizes, an early-exit search would not).
        if b[run..stop].iter().fold(u8::MAX, |m, &c| m.min(c)) < 0x20 {
            return None;
        }
        if b[stop] == b'"' {
            let s = match out {
                None => line[run..stop].to_owned(),
                Some(mut s) => {
                    s.push_str(&line[run..stop]);
                    s
                }
            };
            return Some((s, stop + 1));
        }
        let s = out.get_or_insert_with(|| String::with_capacity(b.len() - start));
        s.push_str(&line[run..stop]);
        let (c, len) = unescape(b, stop)?;
        s.push(c);
        run = stop + len;
    }
}

/// The character of the escape at byte `at` (a backslash) and the escape's length in bytes.
fn unescape(b: &[u8], at: usize) -> Option<(char, usize)> {
    let c = match *b.get(at + 1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let high = hex4(b, at + 2)?;
            return match high {
                0xD800..=0xDBFF => {
                    if b.get(at + 6..at + 8)? != b"\\u" {
                        return None;
                    }
                    let low = hex4(b, at + 8)?;
                    if !(0xDC00..=0xDFFF).contains(&low) {
                        return None;
                    }
                    let c = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                    Some((char::from_u32(c)?, 12))
                }
                0xDC00..=0xDFFF => None,
                _ => Some((char::from_u32(high)?, 6)),
            };
        }
        _ => return None,
    };
    Some((c, 2))
}

/// The four hexadecimal digits at `at` as a number.
fn hex4(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4)?
        .iter()
        .try_fold(0, |n, &d| Some(n << 4 | char::from(d).to_digit(16)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `serde_json` makes of the line, split the same way.
    fn reference(line: &str, text_field: &str) -> Result<(Map<String, Value>, Option<Value>), ()> {
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(mut object)) => {
                let text = object.shift_remove(text_field);
                Ok((object, text))
            }
            _ => Err(()),
        }
    }

    /// Checks the fast path against `serde_json` on `line`; returns whether it answered.
    fn agrees(line: &str) -> bool {
        match split_text_field(line, "text") {
            Some(fast) => {
                assert_eq!(Ok(fast), reference(line, "text"), "line {line:?}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn plain_records_take_the_fast_path_and_read_as_serde_json_reads_them() {
        let lines = [
            r#"{"id": "a1", "text": "Putin met Trump.\n\nThe \"deal\" \\ was\tsigned \u00e9 \ud83c\uddfa\ud83c\udde6 \/ \b\f\r"}"#,
            r#"{"text":"x","id":7,"date":"2025-04-23","n":-1.5e3,"ok":true,"none":null}"#,
            "  {  \"text\" :\t\"é’ ‚ 中文 \u{1F600}\" ,\r\n \"id\" : 12345678901234567890 }  ",
            r#"{}"#,
            r#"{"id": "no text here"}"#,
            r#"{"text": 5, "id": "x"}"#,
            r#"{"text": "", "id": ""}"#,
            r#"{"tëxt": "not the field", "text": "the field"}"#,
            r#"{"te\u0078t": "an escaped key is the same key", "id": "\u0041"}"#,
            r#"{"text": "\u0000 NUL escaped is fine"}"#,
            r#"{"text": "x", "tags": ["a", "b"], "meta": {"a": 1, "a": 2}}"#,
            r#"{"meta": {"a": [{"b": []}]}, "text": "x"}"#,
        ];
        for line in lines {
            assert!(agrees(line), "the fast path refused {line:?}");
        }
    }

    #[test]
    fn unusual_records_are_left_to_serde_json() {
        let lines = [
            r#"{"text": "a", "text": "b"}"#,
            r#"{"id": 1, "id": 2, "text": "x"}"#,
            r#"{"text": "lone \ud800 surrogate"}"#,
            r#"{"text": "lone \udc00 low surrogate"}"#,
            r#"{"text": "unpaired \ud800\u0041"}"#,
            "{\"text\": \"raw\tcontrol\"}",
            r#"{"text": "bad \x escape"}"#,
            r#"{"text": "short \u12"}"#,
            r#"{"text": "x"} trailing"#,
            r#"{"text": "x",}"#,
            r#"{"text" "x"}"#,
            r#"{"text": "unterminated}"#,
            r#"["text", "x"]"#,
            "\u{feff}{\"text\": \"bom\"}",
            r#"{"text": "x", "n": 01}"#,
            "",
        ];
        for line in lines {
            assert!(
                split_text_field(line, "text").is_none(),
                "the fast path took {line:?}"
            );
        }
    }

    #[test]
    fn nesting_is_read_up_to_serde_json_s_limit_and_no_further() {
        let nested = |levels: usize| {
            format!(
                r#"{{"text": "x", "deep": {}{}}}"#,
                "[".repeat(levels),
                "]".repeat(levels)
            )
        };
        assert!(agrees(&nested(MAX_DEPTH - 1)));
        assert!(reference(&nested(MAX_DEPTH), "text").is_err());
        assert!(split_text_field(&nested(MAX_DEPTH), "text").is_none());
    }

    /// Pieces of JSON lines, valid and not: put together at random, the fast path either
    /// declines or reads exactly what `serde_json` reads.
    const KEYS: [&str; 8] = [
        r#""text""#,
        r#""id""#,
        r#""date""#,
        r#""te\u0078t""#,
        r#""t\"x""#,
        r#""""#,
        r#""text "#,
        "\"\u{e9}\"",
    ];
    const VALUES: [&str; 16] = [
        r#""plain words""#,
        r#""esc \" \\ \/ \n\r\t\b\f end""#,
        r#""\u00e9\u2019\uD83D\uDE00""#,
        r#""\ud800""#,
        r#""\uDBFF\uDFFF""#,
        "\"raw é ’ 😀\"",
        "\"tab\there\"",
        "12",
        "-0.5e-3",
        "true",
        "null",
        "[1, 2]",
        r#"{"a": "b"}"#,
        r#""unterminated"#,
        r#""\q""#,
        "1e999",
    ];
    const SPACES: [&str; 5] = ["", " ", "\t", "\r\n", "  "];

    fn lines() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let field = (0..KEYS.len(), 0..VALUES.len(), 0..SPACES.len());
        (
            prop::collection::vec(field, 0..6),
            0..SPACES.len(),
            0..4usize,
        )
            .prop_map(|(fields, space, ending)| {
                let s = SPACES[space];
                let body: Vec<String> = fields
                    .iter()
                    .map(|&(k, v, sp)| format!("{}{}:{}{}", KEYS[k], SPACES[sp], s, VALUES[v]))
                    .collect();
                let end = ["}", "} ", "}x", ",}"][ending];
                format!("{s}{{{s}{}{end}", body.join(&format!("{s},")))
            })
    }

    proptest::proptest! {
        // About one line in seven is of the plain shape the fast path reads.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        #[test]
        fn the_fast_path_reads_what_serde_json_reads_or_declines(line in lines()) {
            agrees(&line);
        }
    }
}
