//! The `stance` command-line tool: argument parsing and output around the library crates.
//!
//! `main` parses the arguments with clap, runs one subcommand from [`commands`] and turns the
//! outcome into an exit code: 0 on success (a closed stdout, as in `stance bench | head -1`, is a
//! success too), 1 for an error while running, 2 for a usage error (clap's own, or a parameter
//! the library refuses before any input is read).

mod commands;
mod data;
mod input;
mod output;
mod plot;

use std::io;
use std::process::ExitCode;

use clap::Parser;

/// mimalloc keeps freed memory for reuse: the vectorizers allocate and free large buffers per
/// batch, and with the system allocator a tenth of the time went to the kernel zeroing fresh pages.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Statistical stance and sentiment classification of news.
#[derive(Debug, Parser)]
#[command(
    name = "stance",
    version,
    propagate_version = true,
    after_help = "Exit codes: 0 success (also when a batch run recorded errors for some inputs, \
                  and when the reader of the output closed it early); 1 an error that stopped the \
                  run; 2 a usage error (a bad option, a missing input path)."
)]
struct Cli {
    /// The subcommand to run.
    #[command(subcommand)]
    command: commands::Command,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            if err.chain().any(|e| e.is::<commands::UsageError>()) {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// Whether `err` comes from writing to a closed pipe: the reader has all it wanted.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
