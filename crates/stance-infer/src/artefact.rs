//! The model file: a checked container of named sections.
//!
//! A model is one file so that it can be copied, embedded with `include_bytes!` and compared
//! byte for byte. The container knows nothing about models: it stores named sections (JSON
//! documents, little-endian number arrays, string lists, raw bytes) behind a header that lets a
//! reader refuse a wrong, damaged or too-new file before it looks at any section.
//!
//! # Layout (format version 1)
//!
//! All integers little-endian.
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic `\x89STANCE\n` (the high byte and the newline catch files mangled by text-mode transfers) |
//! | 4 | format version (`u32`) |
//! | 4 | CRC-32 (IEEE) of every byte after the header |
//! | 8 | number of bytes after the header (`u64`) |
//! | 16 | version of stance that wrote the file, ASCII, zero-padded |
//! | 8 | reserved, zero |
//! | 4 | number of sections (`u32`) |
//! | … | per section: name length (`u16`), name (UTF-8), kind (`u8`), offset (`u64`, from the start of the data area), length (`u64`) |
//! | … | the data area: each section's bytes, in the order written, each padded with zeros to a multiple of 8 |
//!
//! Section kinds: JSON (UTF-8 text), `f32` and `f64` arrays, `u32` arrays, string lists (a `u32`
//! count, then per string a `u32` byte length and the UTF-8 bytes) and raw bytes.
//!
//! The header's 48 bytes never change between format versions, so a reader of any version can say
//! which version and which release wrote a file it cannot read. A reader accepts versions
//! [`MIN_FORMAT_VERSION`]`..=`[`FORMAT_VERSION`]; every file a released stance wrote stays
//! readable, which the format-v1 fixture in the tests pins.
//!
//! Writing is deterministic: the same sections in the same order give the same bytes, and
//! [`ArtefactWriter::write_atomic`] replaces the destination only once the whole file is on disk.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::Error;

/// The first eight bytes of every model file.
pub const MAGIC: [u8; 8] = *b"\x89STANCE\n";
/// The format version this release writes.
pub const FORMAT_VERSION: u32 = 1;
/// The oldest format version this release reads.
pub const MIN_FORMAT_VERSION: u32 = 1;

/// Bytes in the fixed header.
const HEADER_LEN: usize = 48;
/// Bytes reserved for the writer's version string.
const WRITER_LEN: usize = 16;
/// Section data is padded to multiples of this.
const ALIGN: usize = 8;

/// What a section holds, which decides the accessor that may read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum SectionKind {
    /// A UTF-8 JSON document.
    Json = 1,
    /// Little-endian `f32` values.
    F32 = 2,
    /// Little-endian `f64` values.
    F64 = 3,
    /// Little-endian `u32` values.
    U32 = 4,
    /// A list of UTF-8 strings.
    Strings = 5,
    /// Uninterpreted bytes.
    Bytes = 6,
}

impl SectionKind {
    fn from_byte(byte: u8) -> Option<Self> {
        Some(match byte {
            1 => Self::Json,
            2 => Self::F32,
            3 => Self::F64,
            4 => Self::U32,
            5 => Self::Strings,
            6 => Self::Bytes,
            _ => return None,
        })
    }

    /// The kind's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Json => "JSON",
            Self::F32 => "f32 array",
            Self::F64 => "f64 array",
            Self::U32 => "u32 array",
            Self::Strings => "string list",
            Self::Bytes => "bytes",
        }
    }
}

/// Collects sections and writes them as one model file.
#[derive(Debug, Default, Clone)]
pub struct ArtefactWriter {
    sections: Vec<(String, SectionKind, Vec<u8>)>,
}

impl ArtefactWriter {
    /// An empty container.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `value` as a JSON section. Serialize maps as `BTreeMap`s or structs, not hash maps,
    /// or the bytes will differ from run to run.
    pub fn json<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        let bytes = serde_json::to_vec(value).map_err(|source| Error::Serialize {
            section: name.to_owned(),
            source,
        })?;
        self.push(name, SectionKind::Json, bytes)
    }

    /// Adds an array of `f32`.
    pub fn f32s(&mut self, name: &str, values: &[f32]) -> Result<(), Error> {
        let bytes = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        self.push(name, SectionKind::F32, bytes)
    }

    /// Adds an array of `f64`.
    pub fn f64s(&mut self, name: &str, values: &[f64]) -> Result<(), Error> {
        let bytes = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        self.push(name, SectionKind::F64, bytes)
    }

    /// Adds an array of `u32`.
    pub fn u32s(&mut self, name: &str, values: &[u32]) -> Result<(), Error> {
        let bytes = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        self.push(name, SectionKind::U32, bytes)
    }

    /// Adds a list of strings (vocabularies, labels).
    pub fn strings<S: AsRef<str>>(
        &mut self,
        name: &str,
        values: impl IntoIterator<Item = S>,
    ) -> Result<(), Error> {
        let mut bytes = vec![0; 4];
        let mut count = 0usize;
        for value in values {
            let value = value.as_ref().as_bytes();
            bytes.extend_from_slice(&length_u32(value.len(), name)?.to_le_bytes());
            bytes.extend_from_slice(value);
            count += 1;
        }
        bytes[..4].copy_from_slice(&length_u32(count, name)?.to_le_bytes());
        self.push(name, SectionKind::Strings, bytes)
    }

    /// Adds uninterpreted bytes.
    pub fn bytes(&mut self, name: &str, value: &[u8]) -> Result<(), Error> {
        self.push(name, SectionKind::Bytes, value.to_vec())
    }

    fn push(&mut self, name: &str, kind: SectionKind, bytes: Vec<u8>) -> Result<(), Error> {
        if name.is_empty() || name.len() > usize::from(u16::MAX) {
            return Err(Error::SectionName {
                name: name.to_owned(),
                reason: "a section name has 1 to 65535 bytes",
            });
        }
        if self.sections.iter().any(|(n, ..)| n == name) {
            return Err(Error::SectionName {
                name: name.to_owned(),
                reason: "the container already has a section of that name",
            });
        }
        self.sections.push((name.to_owned(), kind, bytes));
        Ok(())
    }

    /// The whole file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let table_len: usize = 4 + self
            .sections
            .iter()
            .map(|(name, ..)| 2 + name.len() + 1 + 8 + 8)
            .sum::<usize>();
        let data_start = padded(table_len);
        let data_len: usize = self.sections.iter().map(|(.., b)| padded(b.len())).sum();
        let mut payload = Vec::with_capacity(data_start + data_len);
        payload.extend_from_slice(&(self.sections.len() as u32).to_le_bytes());
        let mut offset = 0u64;
        for (name, kind, bytes) in &self.sections {
            payload.extend_from_slice(&(name.len() as u16).to_le_bytes());
            payload.extend_from_slice(name.as_bytes());
            payload.push(*kind as u8);
            payload.extend_from_slice(&offset.to_le_bytes());
            payload.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            offset += padded(bytes.len()) as u64;
        }
        payload.resize(data_start, 0);
        for (.., bytes) in &self.sections {
            payload.extend_from_slice(bytes);
            payload.resize(padded(payload.len()), 0);
        }

        let mut file = Vec::with_capacity(HEADER_LEN + payload.len());
        file.extend_from_slice(&MAGIC);
        file.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        file.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
        file.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        let mut writer = [0u8; WRITER_LEN];
        let version = env!("CARGO_PKG_VERSION").as_bytes();
        let n = version.len().min(WRITER_LEN);
        writer[..n].copy_from_slice(&version[..n]);
        file.extend_from_slice(&writer);
        file.extend_from_slice(&[0; 8]);
        debug_assert_eq!(file.len(), HEADER_LEN);
        file.extend_from_slice(&payload);
        file
    }

    /// Writes the file to `path`: into a temporary file in the same directory first, flushed to
    /// disk, then renamed over `path`, so `path` is either the old file or the whole new one.
    pub fn write_atomic(&self, path: &Path) -> Result<(), Error> {
        write_atomic(path, &self.to_bytes())
    }
}

/// Writes `bytes` to a temporary file beside `path` and renames it into place.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let io_error = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let file_name = path.file_name().ok_or_else(|| {
        io_error(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a file name",
        ))
    })?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(file_name);
    temp_name.push(format!(".{}.tmp", std::process::id()));
    let temp = TempFile(path.with_file_name(temp_name));
    let mut file = File::create(&temp.0).map_err(io_error)?;
    file.write_all(bytes).map_err(io_error)?;
    file.sync_all().map_err(io_error)?;
    drop(file);
    fs::rename(&temp.0, path).map_err(io_error)?;
    std::mem::forget(temp);
    Ok(())
}

/// A temporary file removed when dropped (on every error path of [`write_atomic`]).
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        // Best effort: the error being returned is the one to report.
        let _ = fs::remove_file(&self.0);
    }
}

fn padded(len: usize) -> usize {
    len.div_ceil(ALIGN) * ALIGN
}

fn length_u32(len: usize, section: &str) -> Result<u32, Error> {
    u32::try_from(len).map_err(|_| Error::SectionName {
        name: section.to_owned(),
        reason: "a string list holds fewer than 2^32 strings of fewer than 2^32 bytes each",
    })
}

/// One section's place in the data area.
#[derive(Debug, Clone)]
struct Entry {
    name: String,
    kind: SectionKind,
    start: usize,
    len: usize,
}

/// A model file read into memory and checked: magic, version, length and checksum.
#[derive(Debug, Clone)]
pub struct Artefact {
    origin: String,
    version: u32,
    writer: String,
    data: Vec<u8>,
    data_start: usize,
    sections: Vec<Entry>,
}

impl Artefact {
    /// Reads and checks the model file at `path`.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let bytes = fs::read(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::from_bytes(bytes, &path.display().to_string())
    }

    /// Checks a model file held in memory (an embedded default model, say); `origin` names it in
    /// errors.
    pub fn from_bytes(data: Vec<u8>, origin: &str) -> Result<Self, Error> {
        let corrupt = |reason: String| Error::Corrupt {
            origin: origin.to_owned(),
            reason,
        };
        if data.len() < MAGIC.len() || data[..MAGIC.len()] != MAGIC {
            return Err(Error::NotAModel {
                origin: origin.to_owned(),
            });
        }
        if data.len() < HEADER_LEN {
            return Err(Error::Truncated {
                origin: origin.to_owned(),
                expected: HEADER_LEN as u64,
                actual: data.len() as u64,
            });
        }
        let version = u32::from_le_bytes(data[8..12].try_into().expect("4 bytes"));
        let stored_crc = u32::from_le_bytes(data[12..16].try_into().expect("4 bytes"));
        let payload_len = u64::from_le_bytes(data[16..24].try_into().expect("8 bytes"));
        let writer_bytes = &data[24..24 + WRITER_LEN];
        let writer_end = writer_bytes
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(WRITER_LEN);
        let writer = String::from_utf8_lossy(&writer_bytes[..writer_end]).into_owned();
        if !(MIN_FORMAT_VERSION..=FORMAT_VERSION).contains(&version) {
            return Err(Error::UnsupportedVersion {
                origin: origin.to_owned(),
                version,
                writer,
                min: MIN_FORMAT_VERSION,
                max: FORMAT_VERSION,
            });
        }
        let expected = HEADER_LEN as u64 + payload_len;
        if (data.len() as u64) < expected {
            return Err(Error::Truncated {
                origin: origin.to_owned(),
                expected,
                actual: data.len() as u64,
            });
        }
        if (data.len() as u64) > expected {
            return Err(corrupt(format!(
                "{} bytes follow the end of the model",
                data.len() as u64 - expected
            )));
        }
        let computed = crc32fast::hash(&data[HEADER_LEN..]);
        if computed != stored_crc {
            return Err(Error::Checksum {
                origin: origin.to_owned(),
                stored: stored_crc,
                computed,
            });
        }

        // The checksum matched, so a malformed table means a writer bug or a forged file: still
        // an error, never a panic.
        let mut cursor = Cursor {
            bytes: &data[HEADER_LEN..],
            at: 0,
        };
        let count = cursor
            .u32()
            .ok_or_else(|| corrupt("no section table".into()))?;
        let mut entries = Vec::with_capacity(count.min(1 << 16) as usize);
        for index in 0..count {
            let bad = || corrupt(format!("section table entry {index} is malformed"));
            let name_len = cursor.u16().ok_or_else(bad)?;
            let name = cursor.take(usize::from(name_len)).ok_or_else(bad)?;
            let name = std::str::from_utf8(name).map_err(|_| bad())?.to_owned();
            let kind = cursor.u8().ok_or_else(bad)?;
            let kind = SectionKind::from_byte(kind)
                .ok_or_else(|| corrupt(format!("section {name:?} has unknown kind {kind}")))?;
            let start = cursor.u64().ok_or_else(bad)?;
            let len = cursor.u64().ok_or_else(bad)?;
            entries.push((name, kind, start, len));
        }
        let data_start = HEADER_LEN + padded(cursor.at);
        let data_len = (data.len() - data_start.min(data.len())) as u64;
        let mut sections = Vec::with_capacity(entries.len());
        for (name, kind, start, len) in entries {
            if start.checked_add(len).is_none_or(|end| end > data_len) {
                return Err(corrupt(format!(
                    "section {name:?} ({start}+{len} bytes) lies outside the data ({data_len} bytes)"
                )));
            }
            if sections.iter().any(|e: &Entry| e.name == name) {
                return Err(corrupt(format!("section {name:?} appears twice")));
            }
            sections.push(Entry {
                name,
                kind,
                start: start as usize,
                len: len as usize,
            });
        }
        Ok(Self {
            origin: origin.to_owned(),
            version,
            writer,
            data,
            data_start,
            sections,
        })
    }

    /// The file's format version.
    pub fn format_version(&self) -> u32 {
        self.version
    }

    /// The version of stance that wrote the file.
    pub fn writer_version(&self) -> &str {
        &self.writer
    }

    /// Where the file came from, as errors name it.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The sections' names and kinds, in file order.
    pub fn sections(&self) -> impl Iterator<Item = (&str, SectionKind)> {
        self.sections.iter().map(|e| (e.name.as_str(), e.kind))
    }

    /// Whether a section named `name` exists.
    pub fn has(&self, name: &str) -> bool {
        self.sections.iter().any(|e| e.name == name)
    }

    fn section(&self, name: &str, kind: SectionKind) -> Result<&[u8], Error> {
        let entry = self
            .sections
            .iter()
            .find(|e| e.name == name)
            .ok_or_else(|| Error::MissingSection {
                origin: self.origin.clone(),
                name: name.to_owned(),
            })?;
        if entry.kind != kind {
            return Err(Error::Corrupt {
                origin: self.origin.clone(),
                reason: format!(
                    "section {name:?} holds {}, not {}",
                    entry.kind.name(),
                    kind.name()
                ),
            });
        }
        let start = self.data_start + entry.start;
        Ok(&self.data[start..start + entry.len])
    }

    fn malformed(&self, name: &str, reason: impl Into<String>) -> Error {
        Error::Corrupt {
            origin: self.origin.clone(),
            reason: format!("section {name:?}: {}", reason.into()),
        }
    }

    /// Reads the JSON section `name` as a `T`.
    pub fn json<T: DeserializeOwned>(&self, name: &str) -> Result<T, Error> {
        let bytes = self.section(name, SectionKind::Json)?;
        serde_json::from_slice(bytes).map_err(|e| self.malformed(name, e.to_string()))
    }

    /// Reads the `f32` array `name`.
    pub fn f32s(&self, name: &str) -> Result<Vec<f32>, Error> {
        self.numbers(name, SectionKind::F32, f32::from_le_bytes)
    }

    /// Reads the `f64` array `name`.
    pub fn f64s(&self, name: &str) -> Result<Vec<f64>, Error> {
        self.numbers(name, SectionKind::F64, f64::from_le_bytes)
    }

    /// Reads the `u32` array `name`.
    pub fn u32s(&self, name: &str) -> Result<Vec<u32>, Error> {
        self.numbers(name, SectionKind::U32, u32::from_le_bytes)
    }

    fn numbers<T, const N: usize>(
        &self,
        name: &str,
        kind: SectionKind,
        decode: fn([u8; N]) -> T,
    ) -> Result<Vec<T>, Error> {
        let bytes = self.section(name, kind)?;
        if bytes.len() % N != 0 {
            return Err(self.malformed(
                name,
                format!("{} bytes is not a whole number of values", bytes.len()),
            ));
        }
        Ok(bytes
            .chunks_exact(N)
            .map(|c| decode(c.try_into().expect("chunks of N bytes")))
            .collect())
    }

    /// Reads the string list `name`, borrowing the strings from the file.
    pub fn strings(&self, name: &str) -> Result<Vec<&str>, Error> {
        let bytes = self.section(name, SectionKind::Strings)?;
        let mut cursor = Cursor { bytes, at: 0 };
        let count = cursor
            .u32()
            .ok_or_else(|| self.malformed(name, "no string count"))?;
        let mut strings = Vec::with_capacity((count as usize).min(bytes.len() / 4));
        for index in 0..count {
            let string = cursor
                .u32()
                .and_then(|len| cursor.take(len as usize))
                .ok_or_else(|| self.malformed(name, format!("string {index} is cut off")))?;
            let string = std::str::from_utf8(string)
                .map_err(|_| self.malformed(name, format!("string {index} is not UTF-8")))?;
            strings.push(string);
        }
        if cursor.at != bytes.len() {
            return Err(self.malformed(name, "bytes follow the last string"));
        }
        Ok(strings)
    }

    /// Reads the raw bytes of section `name`.
    pub fn bytes(&self, name: &str) -> Result<&[u8], Error> {
        self.section(name, SectionKind::Bytes)
    }
}

/// Reads little-endian values off a byte slice; `None` when the slice is too short.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let slice = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u16(&mut self) -> Option<u16> {
        self.take(2)
            .map(|b| u16::from_le_bytes(b.try_into().expect("2 bytes")))
    }

    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
    }

    fn u64(&mut self) -> Option<u64> {
        self.take(8)
            .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ArtefactWriter {
        let mut w = ArtefactWriter::new();
        w.json(
            "manifest",
            &serde_json::json!({"task": "mention", "labels": ["a", "b"]}),
        )
        .unwrap();
        w.f32s("weights", &[1.5, -2.0, 0.0]).unwrap();
        w.f64s("idf", &[1.0, 2.25]).unwrap();
        w.u32s("ids", &[7, 0, u32::MAX]).unwrap();
        w.strings("vocabulary", ["truce", "", "ceasefire\n", "Кремль"])
            .unwrap();
        w.bytes("gazetteer", b"[[actors]]").unwrap();
        w
    }

    #[test]
    fn sections_read_back_as_written() {
        let bytes = sample().to_bytes();
        assert_eq!(bytes.len() % 8, 0);
        let a = Artefact::from_bytes(bytes, "mem").unwrap();
        assert_eq!(a.format_version(), 1);
        assert_eq!(a.writer_version(), env!("CARGO_PKG_VERSION"));
        let manifest: serde_json::Value = a.json("manifest").unwrap();
        assert_eq!(manifest["task"], "mention");
        assert_eq!(a.f32s("weights").unwrap(), [1.5, -2.0, 0.0]);
        assert_eq!(a.f64s("idf").unwrap(), [1.0, 2.25]);
        assert_eq!(a.u32s("ids").unwrap(), [7, 0, u32::MAX]);
        assert_eq!(
            a.strings("vocabulary").unwrap(),
            ["truce", "", "ceasefire\n", "Кремль"]
        );
        assert_eq!(a.bytes("gazetteer").unwrap(), b"[[actors]]");
        let names: Vec<_> = a.sections().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            [
                "manifest",
                "weights",
                "idf",
                "ids",
                "vocabulary",
                "gazetteer"
            ]
        );
    }

    #[test]
    fn same_sections_same_bytes() {
        assert_eq!(sample().to_bytes(), sample().to_bytes());
    }

    #[test]
    fn accessors_check_kind_and_presence() {
        let a = Artefact::from_bytes(sample().to_bytes(), "m.stance").unwrap();
        let err = a.f32s("idf").unwrap_err().to_string();
        assert!(
            err.contains("m.stance") && err.contains("f64 array"),
            "{err}"
        );
        let err = a.strings("labels").unwrap_err().to_string();
        assert!(err.contains("m.stance") && err.contains("labels"), "{err}");
    }

    #[test]
    fn duplicate_and_empty_names_are_refused() {
        let mut w = sample();
        assert!(w.bytes("weights", b"").is_err());
        assert!(w.bytes("", b"").is_err());
    }

    #[test]
    fn every_truncation_is_an_error() {
        let bytes = sample().to_bytes();
        for len in 0..bytes.len() {
            let err = Artefact::from_bytes(bytes[..len].to_vec(), "m").unwrap_err();
            assert!(
                matches!(err, Error::Truncated { .. } | Error::NotAModel { .. }),
                "{len}: {err}"
            );
        }
    }

    #[test]
    fn every_flipped_payload_byte_fails_the_checksum() {
        let bytes = sample().to_bytes();
        for at in HEADER_LEN..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x20;
            let err = Artefact::from_bytes(damaged, "m").unwrap_err();
            assert!(matches!(err, Error::Checksum { .. }), "{at}: {err}");
        }
    }

    #[test]
    fn newer_and_older_versions_are_refused_with_both_versions() {
        let mut bytes = sample().to_bytes();
        bytes[8..12].copy_from_slice(&7u32.to_le_bytes());
        bytes[24..40].copy_from_slice(b"9.1.0\0\0\0\0\0\0\0\0\0\0\0");
        let err = Artefact::from_bytes(bytes.clone(), "new.stance")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("new.stance") && err.contains("version 7") && err.contains("9.1.0"),
            "{err}"
        );
        assert!(err.contains("1 to 1"), "{err}");
        bytes[8..12].copy_from_slice(&0u32.to_le_bytes());
        assert!(matches!(
            Artefact::from_bytes(bytes, "old").unwrap_err(),
            Error::UnsupportedVersion { version: 0, .. }
        ));
    }

    #[test]
    fn other_files_are_not_models() {
        for bytes in [
            &b""[..],
            b"{\"task\": \"mention\"}",
            b"\x89PNG\r\n\x1a\n0000",
        ] {
            let err = Artefact::from_bytes(bytes.to_vec(), "x.json").unwrap_err();
            assert!(matches!(err, Error::NotAModel { .. }), "{err}");
        }
    }

    #[test]
    fn trailing_bytes_are_corruption() {
        let mut bytes = sample().to_bytes();
        bytes.push(0);
        let err = Artefact::from_bytes(bytes, "m").unwrap_err().to_string();
        assert!(err.contains("1 bytes follow"), "{err}");
    }

    #[test]
    fn forged_tables_are_errors_not_panics() {
        // A section table that points outside the data, with a correct checksum.
        let mut w = ArtefactWriter::new();
        w.bytes("x", b"12345678").unwrap();
        let mut bytes = w.to_bytes();
        let len_at = HEADER_LEN + 4 + 2 + 1 + 1 + 8;
        bytes[len_at..len_at + 8].copy_from_slice(&1000u64.to_le_bytes());
        let crc = crc32fast::hash(&bytes[HEADER_LEN..]);
        bytes[12..16].copy_from_slice(&crc.to_le_bytes());
        let err = Artefact::from_bytes(bytes, "m").unwrap_err().to_string();
        assert!(err.contains("outside the data"), "{err}");
    }

    #[test]
    fn atomic_write_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.stance");
        fs::write(&path, b"old").unwrap();
        sample().write_atomic(&path).unwrap();
        assert_eq!(fs::read(&path).unwrap(), sample().to_bytes());
        let entries: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(entries.len(), 1);
        let err = sample()
            .write_atomic(&dir.path().join("missing/m.stance"))
            .unwrap_err();
        assert!(err.to_string().contains("missing/m.stance"), "{err}");
    }
}
