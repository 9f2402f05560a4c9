//! `stance gazetteer check|match`: validate a gazetteer file, or show the mentions it finds.

use std::fmt::Write as _;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::json;
use stance_features::gazetteer::{Date, Gazetteer, Mention, Target, check};

use super::UsageError;

/// Arguments of `stance gazetteer`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do with the gazetteer.
    #[command(subcommand)]
    pub action: Action,
}

/// A `stance gazetteer` action.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Validate a gazetteer file: duplicate ids and aliases, overlapping dated roles, unknown
    /// references, invalid dates and phrases, each as FILE:LINE:COLUMN. Exits with 1 when there
    /// is any problem.
    Check {
        /// The gazetteer TOML file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Print the mentions of actors and proposals the gazetteer finds in each TEXT.
    ///
    /// Offsets are Unicode code points, 0-based, end-exclusive. The table shows one mention a
    /// line: the TEXT's number (from 1), start, end, how it matched, the actor or proposal, the
    /// role and its holder for role mentions, and the matched text.
    Match {
        /// The gazetteer TOML file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The article's date (YYYY-MM-DD, or an ISO 8601 date-time): who holds a role then.
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// Print JSON lines (one object per mention) instead of a table.
        #[arg(long)]
        json: bool,
        /// The texts to search; `-` reads one text from standard input.
        #[arg(value_name = "TEXT", required = true)]
        texts: Vec<String>,
    },
}

/// Runs `stance gazetteer`.
pub fn run(args: Args) -> anyhow::Result<()> {
    match args.action {
        Action::Check { file } => run_check(&file),
        Action::Match {
            file,
            date,
            json,
            texts,
        } => {
            let date = date
                .map(|d| Date::parse_prefix(&d).map_err(|e| UsageError(format!("--date: {e}"))))
                .transpose()?;
            run_match(&file, date, json, texts)
        }
    }
}

fn read(file: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))
}

fn run_check(file: &Path) -> anyhow::Result<()> {
    let source = read(file)?;
    let problems = check(&source);
    let mut out = BufWriter::new(io::stdout().lock());
    for p in &problems {
        match (p.line, p.column) {
            (Some(l), Some(c)) => writeln!(out, "{}:{l}:{c}: {}", file.display(), Problem(p))?,
            _ => writeln!(out, "{}: {}", file.display(), Problem(p))?,
        }
    }
    if problems.is_empty() {
        let g = Gazetteer::from_toml(&source, &file.display().to_string())?;
        writeln!(
            out,
            "{}: ok: {} actors, {} proposals, {} spellings",
            file.display(),
            g.actors().len(),
            g.proposals().len(),
            g.pattern_count()
        )?;
        out.flush()?;
        return Ok(());
    }
    out.flush()?;
    anyhow::bail!("{}: {} problem(s)", file.display(), problems.len())
}

/// A problem without its position (printed before it).
struct Problem<'a>(&'a stance_features::gazetteer::Problem);

impl std::fmt::Display for Problem<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let p = self.0;
        write!(f, "{}: ", p.kind.as_str())?;
        if !p.field.is_empty() {
            write!(f, "{} = {:?}: ", p.field, p.value)?;
        }
        f.write_str(&p.reason)
    }
}

fn run_match(
    file: &Path,
    date: Option<Date>,
    json: bool,
    texts: Vec<String>,
) -> anyhow::Result<()> {
    let g = Gazetteer::from_toml(&read(file)?, &file.display().to_string())?;
    let mut out = BufWriter::new(io::stdout().lock());
    if !json {
        writeln!(out, "text\tstart\tend\thow\tid\trole\tmatched")?;
    }
    for (i, text) in texts.into_iter().enumerate() {
        let text = if text == "-" {
            let mut s = String::new();
            io::stdin()
                .read_to_string(&mut s)
                .context("cannot read standard input")?;
            s
        } else {
            text
        };
        let mentions = g.find(&text, date);
        let mut chars = CharOffsets::new(&text);
        for m in &mentions {
            let (start, end) = (chars.at(m.span.start), chars.at(m.span.end));
            if json {
                writeln!(out, "{}", record(&g, i + 1, start, end, m))?;
            } else {
                let role = role_text(&g, m);
                writeln!(
                    out,
                    "{}\t{start}\t{end}\t{}\t{}\t{role}\t{}",
                    i + 1,
                    m.how.as_str(),
                    target_id(&g, m),
                    m.text.replace(['\t', '\n', '\r'], " ")
                )?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

fn target_id<'g>(g: &'g Gazetteer, m: &Mention<'_>) -> &'g str {
    match m.target {
        Target::Actor(a) => g.actor(a).id(),
        Target::Proposal(p) => g.proposal(p).id(),
    }
}

/// `role of country → holder` for role mentions, `-` otherwise.
fn role_text(g: &Gazetteer, m: &Mention<'_>) -> String {
    let Some(r) = m.role else {
        return "-".to_string();
    };
    let mut s = format!("{} of {}", g.role_name(r.role), g.actor(r.of).id());
    if let Some(h) = r.holder {
        let _ = write!(s, " = {}", g.actor(h).id());
    }
    s
}

fn record(
    g: &Gazetteer,
    text: usize,
    start: usize,
    end: usize,
    m: &Mention<'_>,
) -> serde_json::Value {
    let mut v = json!({
        "text": text,
        "start": start,
        "end": end,
        "matched": m.text,
        "how": m.how.as_str(),
    });
    match m.target {
        Target::Actor(a) => v["actor"] = json!(g.actor(a).id()),
        Target::Proposal(p) => v["proposal"] = json!(g.proposal(p).id()),
    }
    if let Some(r) = m.role {
        v["role"] = json!({
            "role": g.role_name(r.role),
            "of": g.actor(r.of).id(),
            "holder": r.holder.map(|h| g.actor(h).id()),
        });
    }
    v
}

/// Byte offsets → code-point offsets, for increasing byte offsets.
struct CharOffsets<'t> {
    text: &'t str,
    byte: usize,
    chars: usize,
}

impl<'t> CharOffsets<'t> {
    fn new(text: &'t str) -> Self {
        CharOffsets {
            text,
            byte: 0,
            chars: 0,
        }
    }

    fn at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            *self = CharOffsets::new(self.text);
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}
