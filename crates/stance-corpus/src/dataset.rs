//! Collecting the examples of a training or evaluation run from the files a user names.
//!
//! A user points `stance train` at files and directories: example files of a task, or annotated
//! documents of the peace-talks corpus, which hold `mention` examples (one per stance) and
//! `document` examples (one per sentence, labelled with its sentiment). Which one a file is, is
//! read from its first record: annotated documents have `stances`.

use std::path::{Path, PathBuf};

use crate::annotated::AnnotatedDocument;
use crate::error::Error;
use crate::example::{Example, ExampleOptions, Task};
use crate::io::{Lines, is_stdio};
use crate::reader::{Mode, Reader, input_name};

/// The files named by `paths`: a file as itself, a directory as every `*.jsonl` and
/// `*.jsonl.gz` file below it, sorted by path, so the order of examples does not depend on the
/// file system.
pub fn data_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    for path in paths {
        if is_stdio(path) || !path.is_dir() {
            out.push(path.clone());
            continue;
        }
        let mut found = Vec::new();
        walk(path, &mut found)?;
        if found.is_empty() {
            return Err(Error::Options {
                reason: format!(
                    "{}: no *.jsonl or *.jsonl.gz file in this directory",
                    path.display()
                ),
            });
        }
        found.sort();
        out.extend(found);
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| Error::io("read", dir.display().to_string(), e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("read", dir.display().to_string(), e))?;
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.ends_with(".jsonl") || name.ends_with(".jsonl.gz") {
                out.push(path);
            }
        }
    }
    Ok(())
}

/// Whether the first record of `path` is an annotated document (it has `stances`).
fn holds_annotated_documents(path: &Path) -> Result<bool, Error> {
    if is_stdio(path) {
        return Ok(false);
    }
    let mut lines = Lines::open(path)?;
    let Some(first) = lines.next_line()? else {
        return Ok(false);
    };
    Ok(
        serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(first)
            .is_ok_and(|object| object.contains_key("stances")),
    )
}

/// The `task` examples of `path`, in file order: an example file, or a file of annotated
/// documents (for `mention` and `document`). In [`Mode::Lenient`] a bad record is one `Err` item
/// in its place and reading goes on; in strict mode it is the last item.
pub fn examples(
    path: &Path,
    task: Task,
    mode: Mode,
) -> Result<Box<dyn Iterator<Item = Result<Example, Error>> + Send>, Error> {
    if holds_annotated_documents(path)? {
        if !matches!(task, Task::Mention | Task::Document) {
            return Err(Error::Input {
                path: input_name(path),
                line: Some(1),
                reason: format!(
                    "annotated documents hold mention and document (sentence sentiment) examples, not {task} examples"
                ),
            });
        }
        let docs = Reader::<AnnotatedDocument>::open(path, ())?.mode(mode);
        Ok(Box::new(docs.flat_map(
            move |doc| -> Vec<Result<Example, Error>> {
                match doc {
                    Ok(d) if task == Task::Mention => {
                        d.mention_examples().into_iter().map(Ok).collect()
                    }
                    Ok(d) => d.sentence_examples().into_iter().map(Ok).collect(),
                    Err(e) => vec![Err(e)],
                }
            },
        )))
    } else {
        let options = ExampleOptions { task: Some(task) };
        Ok(Box::new(Reader::<Example>::open(path, options)?.mode(mode)))
    }
}

/// Reads every `task` example of `path` (see [`examples`]). In [`Mode::Lenient`], bad records
/// are pushed to `errors` and skipped; in strict mode the first one is returned.
pub fn read_examples(
    path: &Path,
    task: Task,
    mode: Mode,
    errors: &mut Vec<Error>,
) -> Result<Vec<Example>, Error> {
    let mut out = Vec::new();
    for item in examples(path, task, mode)? {
        match item {
            Ok(example) => out.push(example),
            Err(e) if mode == Mode::Lenient && e.is_record_error() => errors.push(e),
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// A fingerprint of a list of examples (FNV-1a, 64 bits, over each example's JSON line): the
/// same examples in the same order give the same fingerprint, so a model's manifest says which
/// data it was trained on.
pub fn fingerprint(examples: &[Example]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for example in examples {
        let line = serde_json::to_vec(example).expect("an example serializes");
        for byte in line.iter().chain(b"\n") {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("fnv1a64:{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotated_documents_give_mention_and_sentence_examples() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        let doc = r#"{"id": "d1", "text": "Moscow rejected the truce. Kyiv agreed.", "provenance": "written", "stances": [{"actor": "russia", "proposal": "ceasefire", "stance": "oppose", "actor_span": [0, 6], "proposal_span": [20, 25]}], "sentences": [{"span": [0, 26], "sentiment": "negative"}, {"span": [27, 39], "sentiment": "positive"}]}"#;
        std::fs::write(nested.join("docs.jsonl"), format!("{doc}\n")).unwrap();
        let plain = r#"{"id": "e1", "task": "document", "text": "a fine film", "label": "pos"}"#;
        std::fs::write(dir.path().join("plain.jsonl"), format!("{plain}\n")).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();

        let files = data_files(&[dir.path().to_owned()]).unwrap();
        assert_eq!(files.len(), 2);
        assert!(files[0].ends_with("a/b/docs.jsonl"), "{files:?}");

        let mut errors = Vec::new();
        let mentions = read_examples(&files[0], Task::Mention, Mode::Strict, &mut errors).unwrap();
        assert_eq!(mentions.len(), 1);
        assert_eq!(mentions[0].label.as_deref(), Some("oppose"));
        let sentences =
            read_examples(&files[0], Task::Document, Mode::Strict, &mut errors).unwrap();
        assert_eq!(sentences.len(), 2);
        assert_eq!(sentences[1].id, "d1:s1");
        let crate::example::Input::Document { text } = &sentences[1].input else {
            panic!()
        };
        assert_eq!(text, "Kyiv agreed.");
        assert!(read_examples(&files[0], Task::Pair, Mode::Strict, &mut errors).is_err());

        let plain = read_examples(&files[1], Task::Document, Mode::Strict, &mut errors).unwrap();
        assert_eq!(plain[0].id, "e1");
        assert!(read_examples(&files[1], Task::Target, Mode::Strict, &mut errors).is_err());
        assert!(errors.is_empty());
    }

    #[test]
    fn lenient_reading_collects_bad_records() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.jsonl");
        std::fs::write(
            &path,
            "{\"id\": \"a\", \"text\": \"one\", \"label\": \"p\"}\nnot json\n{\"id\": \"c\", \"text\": \"three\"}\n",
        )
        .unwrap();
        let mut errors = Vec::new();
        let examples = read_examples(&path, Task::Document, Mode::Lenient, &mut errors).unwrap();
        assert_eq!(examples.len(), 2);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].to_string().contains("x.jsonl:2"), "{}", errors[0]);
        assert!(read_examples(&path, Task::Document, Mode::Strict, &mut Vec::new()).is_err());
        assert!(data_files(&[dir.path().join("missing-dir-file.jsonl")]).is_ok());
    }
}
