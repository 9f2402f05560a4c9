//! `stance summarize`: the actor × proposal matrix of a prediction file, overall and per period.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use stance_corpus::Lines;
use stance_infer::summary::{Matrix, Period, Summary};

/// Arguments of `stance summarize`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The output of `stance score` (JSON Lines; `-` for standard input).
    #[arg(value_name = "PREDICTIONS")]
    pub predictions: PathBuf,
    /// Also aggregate per day, ISO week or month of the articles' dates.
    #[arg(long, value_enum)]
    pub by: Option<By>,
    /// The field of each record holding the article's date.
    #[arg(long, default_value = "date")]
    pub date_field: String,
    /// Write the matrix as CSV (one row per period, actor and proposal) to this file.
    #[arg(long, value_name = "OUT.csv")]
    pub csv: Option<PathBuf>,
    /// Draw a heatmap of net stance (and a timeline with --by) as SVG.
    #[arg(long, value_name = "OUT.svg")]
    pub plot: Option<PathBuf>,
}

/// Periods of `--by`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    /// Calendar days.
    Day,
    /// ISO weeks (Monday to Sunday).
    Week,
    /// Calendar months.
    Month,
}

/// Runs `stance summarize`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let period = args.by.map(|b| match b {
        By::Day => Period::Day,
        By::Week => Period::Week,
        By::Month => Period::Month,
    });
    let mut summary = Summary::default();
    let mut lines = Lines::open(&args.predictions)?;
    loop {
        let at = format!("{}:{}", lines.name(), lines.line() + 1);
        let Some(line) = lines.next_line()? else {
            break;
        };
        let record: serde_json::Value =
            serde_json::from_slice(line).with_context(|| format!("{at}: not a JSON record"))?;
        summary
            .add(&record, &args.date_field, period)
            .map_err(|e| anyhow::anyhow!("{at}: {e}"))?;
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} articles, {} with errors{}",
        summary.articles,
        summary.errors,
        if period.is_some() {
            format!(", {} with stances but no date", summary.undated)
        } else {
            String::new()
        }
    )?;
    print_matrix(&mut out, &summary, "all articles", &summary.overall)?;
    for (p, matrix) in &summary.periods {
        print_matrix(&mut out, &summary, p, matrix)?;
    }
    if let Some(path) = &args.csv {
        let mut file = stance_corpus::Output::create(path)?;
        {
            let mut w = csv::Writer::from_writer(&mut file);
            w.write_record([
                "period",
                "actor",
                "actor_name",
                "proposal",
                "proposal_name",
                "support",
                "oppose",
                "neutral",
                "n",
                "net",
                "mean_p_support",
                "mean_p_oppose",
                "mean_p_neutral",
            ])?;
            let all = std::iter::once(("all", &summary.overall))
                .chain(summary.periods.iter().map(|(p, m)| (p.as_str(), m)));
            for (p, matrix) in all {
                for (k, c) in matrix {
                    w.write_record([
                        p.to_owned(),
                        k.actor.clone(),
                        summary.name(&k.actor).to_owned(),
                        k.proposal.clone(),
                        summary.name(&k.proposal).to_owned(),
                        c.count("support").to_string(),
                        c.count("oppose").to_string(),
                        c.count("neutral").to_string(),
                        c.n.to_string(),
                        format!("{:.4}", c.net()),
                        format!("{:.4}", c.mean_probability("support")),
                        format!("{:.4}", c.mean_probability("oppose")),
                        format!("{:.4}", c.mean_probability("neutral")),
                    ])?;
                }
            }
            w.flush()?;
        }
        file.finish()?;
    }
    if let Some(path) = &args.plot {
        crate::plot::write_svg(&summary, path)?;
    }
    Ok(())
}

fn print_matrix(
    out: &mut impl Write,
    summary: &Summary,
    title: &str,
    matrix: &Matrix,
) -> std::io::Result<()> {
    writeln!(out, "\n{title}:")?;
    writeln!(
        out,
        "  {:<24} {:<30} {:>7} {:>6} {:>7} {:>6} {:>6}",
        "actor", "proposal", "support", "oppose", "neutral", "net", "p(sup)"
    )?;
    let mut rows: Vec<_> = matrix.iter().collect();
    rows.sort_by(|a, b| b.1.n.cmp(&a.1.n).then(a.0.cmp(b.0)));
    for (k, c) in rows {
        writeln!(
            out,
            "  {:<24} {:<30} {:>7} {:>6} {:>7} {:>+6.2} {:>6.2}",
            summary.name(&k.actor),
            summary.name(&k.proposal),
            c.count("support"),
            c.count("oppose"),
            c.count("neutral"),
            c.net(),
            c.mean_probability("support")
        )?;
    }
    Ok(())
}
