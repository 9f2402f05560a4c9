//! Opening inputs and outputs: files or standard streams (`-`), gzip read and written
//! transparently, output files written whole or not at all.
//!
//! An input is gzip when its first two bytes are the gzip magic number, whatever its name (so
//! a compressed standard input works too); an output is gzip when its name ends in `.gz`. Gzip
//! output carries no file name and no time stamp, so the same records give the same bytes.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use flate2::Compression;
use flate2::bufread::MultiGzDecoder;
use flate2::write::GzEncoder;

use crate::error::Error;

/// The name under which an input or output appears in messages: `<stdin>`/`<stdout>` for `-`,
/// else the path as given.
pub fn display_name(path: &Path, stdio: &str) -> String {
    if is_stdio(path) {
        stdio.to_owned()
    } else {
        path.display().to_string()
    }
}

/// Whether `path` is `-`, standard input or output.
pub fn is_stdio(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Opens `path` (`-` for standard input) for buffered reading, decompressing gzip.
pub fn open(path: &Path) -> Result<Box<dyn BufRead + Send>, Error> {
    open_counted(path, Arc::default())
}

/// [`open`], adding to `count` every byte read from the file or stream itself (before any
/// decompression), so that progress can be told against the file's size.
fn open_counted(path: &Path, count: Arc<AtomicU64>) -> Result<Box<dyn BufRead + Send>, Error> {
    let name = display_name(path, "<stdin>");
    let raw: Box<dyn BufRead + Send> = if is_stdio(path) {
        Box::new(BufReader::with_capacity(
            1 << 16,
            Counted {
                inner: io::stdin(),
                count,
            },
        ))
    } else {
        let file = File::open(path).map_err(|e| Error::io("open", &name, e))?;
        Box::new(BufReader::with_capacity(
            1 << 16,
            Counted { inner: file, count },
        ))
    };
    decompress(raw, &name)
}

/// A reader adding the bytes read through it to a shared count.
struct Counted<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// `reader` itself, or a decoder of it if it starts with the gzip magic number.
pub fn decompress(
    mut reader: Box<dyn BufRead + Send>,
    name: &str,
) -> Result<Box<dyn BufRead + Send>, Error> {
    let head = reader.fill_buf().map_err(|e| Error::io("read", name, e))?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            MultiGzDecoder::new(reader),
        )))
    } else {
        Ok(reader)
    }
}

/// Reads a text file line by line into one reused buffer, counting lines from 1.
///
/// The buffer holds the line without its `\n` and without a `\r` before it; a UTF-8 byte-order
/// mark at the start of the first line is dropped.
pub struct Lines {
    reader: Box<dyn BufRead + Send>,
    name: String,
    line: u64,
    buf: Vec<u8>,
    /// Bytes read from the file or stream itself, when opened here.
    raw: Option<Arc<AtomicU64>>,
    /// Bytes of the lines read so far, line ends included.
    read: u64,
}

impl Lines {
    /// Opens `path` (`-` for standard input; gzip decompressed).
    pub fn open(path: &Path) -> Result<Lines, Error> {
        let raw = Arc::default();
        let reader = open_counted(path, Arc::clone(&raw))?;
        let mut lines = Lines::new(reader, display_name(path, "<stdin>"));
        lines.raw = Some(raw);
        Ok(lines)
    }

    /// Reads `reader`, called `name` in messages.
    pub fn new(reader: Box<dyn BufRead + Send>, name: String) -> Lines {
        Lines {
            reader,
            name,
            line: 0,
            buf: Vec::with_capacity(1 << 12),
            raw: None,
            read: 0,
        }
    }

    /// How far reading has got, in bytes of the input: of the file or stream itself for one
    /// opened with [`Lines::open`] (compressed bytes for gzip; it moves in steps of the read
    /// buffer, and reaches the file's size at its end), else of the lines read.
    pub fn consumed(&self) -> u64 {
        self.raw
            .as_ref()
            .map_or(self.read, |raw| raw.load(Ordering::Relaxed))
    }

    /// The input's name in messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The number of the line last read (0 before the first).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Reads the next line: `Ok(Some(bytes))`, or `Ok(None)` at the end of the input.
    pub fn next_line(&mut self) -> Result<Option<&[u8]>, Error> {
        self.buf.clear();
        let n = read_line(&mut *self.reader, &mut self.buf)
            .map_err(|e| Error::io("read", &self.name, e))?;
        if n == 0 {
            return Ok(None);
        }
        self.read += n as u64;
        self.line += 1;
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        let mut line = self.buf.as_slice();
        if self.line == 1 {
            line = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line);
        }
        Ok(Some(line))
    }
}

/// [`BufRead::read_until`] a line feed: the bytes up to and including the next `\n` (or the
/// end of the input) appended to `buf`, and how many. The search is `memchr`'s, which reads
/// the buffer many bytes at a time where the standard library's looks at two words at a time.
fn read_line(reader: &mut dyn BufRead, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut n = 0;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let (used, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (i + 1, true),
            None => (available.len(), available.is_empty()),
        };
        buf.extend_from_slice(&available[..used]);
        reader.consume(used);
        n += used;
        if done {
            return Ok(n);
        }
    }
}

/// Decodes a line of a legacy text file: UTF-8 when it is valid UTF-8, else Windows-1252 (the
/// superset of Latin-1 that old corpora were saved in; every byte has a meaning).
pub fn decode_legacy(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// An output: a file written under a temporary name in its directory and renamed into place
/// by [`Output::finish`] (dropped unfinished, it is removed), or standard output for `-`;
/// gzip-compressed when the name ends in `.gz`.
pub struct Output {
    sink: Sink,
    name: String,
    temp: Option<PathBuf>,
    dest: PathBuf,
}

enum Sink {
    Plain(BufWriter<Box<dyn Write + Send>>),
    Gzip(GzEncoder<BufWriter<Box<dyn Write + Send>>>),
    Done,
}

impl Output {
    /// Starts writing `path` (`-` for standard output).
    pub fn create(path: &Path) -> Result<Output, Error> {
        let name = display_name(path, "<stdout>");
        let (raw, temp): (Box<dyn Write + Send>, Option<PathBuf>) = if is_stdio(path) {
            (Box::new(io::stdout()), None)
        } else {
            let file_name = path.file_name().ok_or_else(|| Error::Options {
                reason: format!("{name} is not a file name"),
            })?;
            let mut temp_name = std::ffi::OsString::from(".");
            temp_name.push(file_name);
            temp_name.push(format!(".{}.tmp", std::process::id()));
            let temp = path.with_file_name(temp_name);
            let file = File::create(&temp).map_err(|e| Error::io("create", &name, e))?;
            (Box::new(file), Some(temp))
        };
        let buffered = BufWriter::with_capacity(1 << 16, raw);
        let gzip = path.extension().is_some_and(|x| x == "gz");
        let sink = if gzip {
            // No name and no time stamp in the header: the bytes depend on the records only.
            Sink::Gzip(
                flate2::GzBuilder::new()
                    .mtime(0)
                    .write(buffered, Compression::default()),
            )
        } else {
            Sink::Plain(buffered)
        };
        Ok(Output {
            sink,
            name,
            temp,
            dest: path.to_owned(),
        })
    }

    /// The output's name in messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Writes `bytes`.
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let result = match &mut self.sink {
            Sink::Plain(w) => w.write_all(bytes),
            Sink::Gzip(w) => w.write_all(bytes),
            Sink::Done => Ok(()),
        };
        result.map_err(|e| Error::io("write", &self.name, e))
    }

    /// Flushes everything and, for a file, moves it into place (replacing any file there).
    pub fn finish(mut self) -> Result<(), Error> {
        let sink = std::mem::replace(&mut self.sink, Sink::Done);
        let name = self.name.clone();
        let result = (|| {
            let buffered = match sink {
                Sink::Plain(w) => w,
                Sink::Gzip(w) => w.finish()?,
                Sink::Done => return Ok(()),
            };
            let mut raw = buffered.into_inner().map_err(|e| e.into_error())?;
            raw.flush()
        })();
        result.map_err(|e| Error::io("write", &name, e))?;
        if let Some(temp) = self.temp.take() {
            if let Err(e) = fs::rename(&temp, &self.dest) {
                let _ = fs::remove_file(&temp);
                return Err(Error::io("write", &name, e));
            }
        }
        Ok(())
    }
}

/// Writing through `std::io::Write` (to `serde_json::to_writer`, `write!`): errors are the
/// system's, without the output's name.
impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::Plain(w) => w.write(buf),
            Sink::Gzip(w) => w.write(buf),
            Sink::Done => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Plain(w) => w.flush(),
            Sink::Gzip(w) => w.flush(),
            Sink::Done => Ok(()),
        }
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if let Some(temp) = &self.temp {
            // Unfinished: best effort, the error that got us here is the one to report.
            let _ = fs::remove_file(temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(bytes: &[u8]) -> Vec<(u64, Vec<u8>)> {
        let mut lines = Lines::new(Box::new(io::Cursor::new(bytes.to_vec())), "t".into());
        let mut out = Vec::new();
        while let Some(line) = lines.next_line().unwrap() {
            let line = line.to_vec();
            out.push((lines.line(), line));
        }
        out
    }

    #[test]
    fn lines_drop_line_ends_and_a_leading_bom() {
        let cases: [(&[u8], &[&[u8]]); 5] = [
            (b"a\nb\n", &[b"a", b"b"]),
            (b"a\r\nb", &[b"a", b"b"]),
            (
                b"\xef\xbb\xbfa\n\n\xef\xbb\xbfb\n",
                &[b"a", b"", b"\xef\xbb\xbfb"],
            ),
            (b"", &[]),
            (b"\n", &[b""]),
        ];
        for (input, want) in cases {
            let got = lines_of(input);
            let lines: Vec<&[u8]> = got.iter().map(|(_, l)| l.as_slice()).collect();
            assert_eq!(lines, want, "{input:?}");
            let numbers: Vec<u64> = got.iter().map(|(n, _)| *n).collect();
            assert_eq!(numbers, (1..=want.len() as u64).collect::<Vec<_>>());
        }
    }

    #[test]
    fn legacy_lines_fall_back_to_windows_1252() {
        assert_eq!(decode_legacy("Kyiv – ok".as_bytes()), "Kyiv – ok");
        assert_eq!(decode_legacy(b"caf\xe9 \x91q\x92 \x96"), "café ‘q’ –");
    }

    #[test]
    fn outputs_are_whole_files_and_gzip_is_deterministic() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("out.jsonl");
        let mut out = Output::create(&plain).unwrap();
        out.write_all(b"{}\n").unwrap();
        assert!(!plain.exists(), "not in place before finish");
        out.finish().unwrap();
        assert_eq!(fs::read(&plain).unwrap(), b"{}\n");

        let mut out = Output::create(&plain).unwrap();
        out.write_all(b"partial").unwrap();
        drop(out);
        assert_eq!(
            fs::read(&plain).unwrap(),
            b"{}\n",
            "an unfinished write changes nothing"
        );
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );

        let gz = dir.path().join("out.jsonl.gz");
        let mut bytes = Vec::new();
        for _ in 0..2 {
            let mut out = Output::create(&gz).unwrap();
            out.write_all(b"{\"a\":1}\n").unwrap();
            out.finish().unwrap();
            bytes.push(fs::read(&gz).unwrap());
        }
        assert_eq!(bytes[0], bytes[1]);
        assert_eq!(&bytes[0][..2], b"\x1f\x8b");
        let mut lines = Lines::open(&gz).unwrap();
        assert_eq!(lines.next_line().unwrap(), Some(&b"{\"a\":1}"[..]));
        assert_eq!(lines.next_line().unwrap(), None);
    }

    /// A reader that hands out at most `step` bytes a read and is interrupted before every
    /// other read.
    struct Choppy {
        data: Vec<u8>,
        at: usize,
        step: usize,
        interrupt: bool,
    }

    impl std::io::Read for Choppy {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            self.interrupt = !self.interrupt;
            if self.interrupt {
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            let n = self.step.min(out.len()).min(self.data.len() - self.at);
            out[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    #[test]
    fn lines_are_read_as_read_until_reads_them() {
        let mut seed = 7u64;
        let mut inputs: Vec<Vec<u8>> = vec![vec![], b"\n".to_vec(), b"no newline".to_vec()];
        for len in [1, 5, 40, 300] {
            inputs.push(
                (0..len)
                    .map(|_| {
                        seed = seed
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        b"ab\n\r\xff "[(seed >> 59) as usize % 6]
                    })
                    .collect(),
            );
        }
        for data in &inputs {
            for (capacity, step) in [(1, 1), (2, 3), (7, 5), (64, 64), (8192, 13)] {
                let chop = |data: &Vec<u8>| {
                    std::io::BufReader::with_capacity(
                        capacity,
                        Choppy {
                            data: data.clone(),
                            at: 0,
                            step,
                            interrupt: false,
                        },
                    )
                };
                let (mut ours, mut std_reader) = (chop(data), chop(data));
                loop {
                    let (mut a, mut b) = (b"kept".to_vec(), b"kept".to_vec());
                    let n = read_line(&mut ours, &mut a).expect("interruptions are retried");
                    let m = std_reader.read_until(b'\n', &mut b).expect("the same");
                    assert_eq!(
                        (n, &a),
                        (m, &b),
                        "{data:?}, capacity {capacity}, step {step}"
                    );
                    if n == 0 {
                        break;
                    }
                }
            }
        }
    }
}
