//! What every CLI test needs: a temporary directory to run the `stance` binary in, and
//! assertions on the outcome. Each test binary uses a different part of it.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

/// A temporary directory to run `stance` in.
pub struct Sandbox {
    dir: TempDir,
}

/// The outcome of one run of `stance`.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: TempDir::new().expect("a temporary directory"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create a test directory");
        }
        std::fs::write(path, contents).expect("write a test input");
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name))
            .unwrap_or_else(|e| panic!("cannot read {name}: {e}"))
    }

    pub fn read_bytes(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).unwrap_or_else(|e| panic!("cannot read {name}: {e}"))
    }

    /// The names of the files in directory `name`, sorted.
    pub fn files(&self, name: &str) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.path(name))
            .expect("an output directory")
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    /// Runs `stance args...` in the sandbox with `stdin` as its standard input.
    pub fn run_with_stdin(&self, args: &[&str], stdin: impl AsRef<[u8]>) -> Run {
        let mut child = Command::new(env!("CARGO_BIN_EXE_stance"))
            .args(args)
            .current_dir(self.dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start stance");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_ref())
            .unwrap();
        let Output {
            status,
            stdout,
            stderr,
        } = child.wait_with_output().expect("run stance");
        Run {
            code: status.code(),
            stdout: String::from_utf8(stdout).expect("UTF-8 stdout"),
            stderr: String::from_utf8(stderr).expect("UTF-8 stderr"),
        }
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_stdin(args, "")
    }
}

impl Run {
    /// Asserts that the run succeeded.
    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(self.code, Some(0), "stance failed: {self:#?}");
        self
    }

    /// Asserts that the run failed with exit code `code` and a message containing every one of
    /// `needles`.
    #[track_caller]
    pub fn fails(self, code: i32, needles: &[&str]) -> Run {
        assert_eq!(self.code, Some(code), "wrong exit code: {self:#?}");
        for needle in needles {
            assert!(
                self.stderr.contains(needle),
                "stderr lacks {needle:?}: {self:#?}"
            );
        }
        self
    }
}

/// Defines a test that gets a fresh [`Sandbox`].
#[macro_export]
macro_rules! clitest {
    ($name:ident, |$sandbox:ident| $body:block) => {
        #[test]
        fn $name() {
            let $sandbox = Sandbox::new();
            $body
        }
    };
}
