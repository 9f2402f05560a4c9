//! Properties that hold for any input: span conversions agree and round-trip, and readers and
//! importers never panic and never drop a line silently.

use std::io::Cursor;

use proptest::prelude::*;
use stance_corpus::import::{Format, Importer, SentenceRule};
use stance_corpus::{CodePoints, Example, ExampleOptions, Mode, Reader, Span};

proptest! {
    #[test]
    fn spans_and_byte_ranges_round_trip(text in "\\PC{0,40}", a in 0usize..50, b in 0usize..50) {
        let (start, end) = (a.min(b), a.max(b));
        let span = Span::new(start, end);
        let offsets = CodePoints::new(&text);
        let chars: Vec<char> = text.chars().collect();
        let range = span.byte_range(&text);
        prop_assert_eq!(&range, &offsets.byte_range(span));
        if end <= chars.len() {
            let range = range.expect("a span inside the text has a byte range");
            let want: String = chars[start..end].iter().collect();
            prop_assert_eq!(&text[range.clone()], want.as_str());
            prop_assert_eq!(Span::from_byte_range(&text, range.clone()), Some(span));
            prop_assert_eq!(offsets.span(range), Some(span));
            prop_assert!(span.check(chars.len()).is_ok());
        } else {
            prop_assert_eq!(range, None);
            prop_assert!(span.check(chars.len()).is_err());
        }
    }

    #[test]
    fn lenient_reading_gives_one_item_per_line(lines in proptest::collection::vec(
        prop_oneof![
            Just("{\"id\":\"a\",\"task\":\"document\",\"text\":\"t\"}".to_owned()),
            Just("{\"id\":\"a\",\"task\":\"mention\",\"text\":\"t\",\"actor\":\"x\",\"proposal\":\"y\",\"actor_span\":[0,1],\"proposal_span\":[0,9]}".to_owned()),
            "[ -~]{0,30}",
            "\\PC{0,10}",
        ],
        0..20,
    )) {
        let input = lines.join("\n");
        let reader = Reader::<Example>::from_reader(
            Box::new(Cursor::new(input.into_bytes())),
            "p.jsonl",
            ExampleOptions::default(),
        ).unwrap().mode(Mode::Lenient);
        let mut reader = reader;
        let items = reader.by_ref().count();
        // A final empty line is the end of the last line, not a line of its own.
        let expected = if lines.last().is_some_and(String::is_empty) { lines.len() - 1 } else { lines.len() };
        prop_assert_eq!(items, expected);
        prop_assert_eq!(reader.counts().read as usize, expected);
    }

    #[test]
    fn importers_never_panic_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let dir = tempfile::tempdir().unwrap();
        for (format, name) in [
            (Format::Semeval2016, "s.txt"),
            (Format::Newsmtsc, "n.jsonl"),
            (Format::NewsmtscSentences(SentenceRule::Majority), "ns.jsonl"),
            (Format::Mr, "m.pos"),
            (Format::Sst, "s.dev"),
            (Format::Emergent, "e.csv"),
            (Format::Vast, "v.csv"),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes).unwrap();
            if let Ok(importer) = Importer::new(&format, &[path], Mode::Lenient) {
                for item in importer.take(1000) {
                    drop(item);
                }
            }
        }
    }
}
