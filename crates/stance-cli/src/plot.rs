//! The `stance summarize --plot` figure, drawn with plotters' SVG backend from primitives
//! (rectangles, text, paths), so no font files are needed: a heatmap of the net stance of each
//! actor toward each proposal, and, when the articles have dates, a timeline of the net stance of
//! the most mentioned pairs per period.

use std::path::Path;

use anyhow::Context;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use stance_infer::summary::{PairKey, Summary};

/// Rows (actors) shown in the heatmap, at most: the most mentioned.
const MAX_ACTORS: usize = 20;
/// Pairs drawn in the timeline, at most: the most mentioned.
const MAX_LINES: usize = 8;

const CELL: i32 = 56;
const ROW: i32 = 26;
const LEFT: i32 = 190;
const TOP: i32 = 215;

/// A colour for a net stance in [-1, 1]: red (oppose) through white to blue (support).
fn net_colour(net: f64) -> RGBColor {
    let t = net.clamp(-1.0, 1.0);
    let mix = |a: u8, b: u8, f: f64| (f64::from(a) + (f64::from(b) - f64::from(a)) * f) as u8;
    if t < 0.0 {
        RGBColor(mix(255, 200, -t), mix(255, 40, -t), mix(255, 40, -t))
    } else {
        RGBColor(mix(255, 30, t), mix(255, 100, t), mix(255, 200, t))
    }
}

const PALETTE: [RGBColor; MAX_LINES] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

fn text_style(size: u32, anchor: (HPos, VPos)) -> TextStyle<'static> {
    ("sans-serif", size)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(anchor.0, anchor.1))
}

/// Writes the figure of `summary` to `path` as SVG.
pub fn write_svg(summary: &Summary, path: &Path) -> anyhow::Result<()> {
    // The actors and proposals with the most stances.
    let mut actor_n: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut proposal_n: std::collections::BTreeMap<&str, usize> = Default::default();
    for (k, c) in &summary.overall {
        *actor_n.entry(&k.actor).or_default() += c.n;
        *proposal_n.entry(&k.proposal).or_default() += c.n;
    }
    let by_count = |m: std::collections::BTreeMap<&str, usize>| {
        let mut v: Vec<(&str, usize)> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v.into_iter().map(|(k, _)| k.to_owned()).collect::<Vec<_>>()
    };
    let mut actors = by_count(actor_n);
    actors.truncate(MAX_ACTORS);
    let proposals = by_count(proposal_n);

    let heat_width = LEFT + CELL * proposals.len() as i32 + 140;
    let heat_height = TOP + ROW * actors.len() as i32 + 40;
    let timeline = summary.periods.len() >= 2;
    let timeline_height = if timeline { 420 } else { 0 };
    let width = heat_width.max(900) as u32;
    let height = (heat_height + timeline_height) as u32;

    let root = SVGBackend::new(path, (width, height)).into_drawing_area();
    root.fill(&WHITE).context("cannot draw the plot")?;
    let draw = |e: anyhow::Result<()>| e;
    draw(heatmap(&root, summary, &actors, &proposals))?;
    if timeline {
        let area = root.split_vertically(heat_height).1;
        draw(timeline_panel(&area, summary))?;
    }
    root.present()
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

fn heatmap(
    root: &Area<'_>,
    summary: &Summary,
    actors: &[String],
    proposals: &[String],
) -> anyhow::Result<()> {
    let e = |r: Result<(), DrawingAreaErrorKind<_>>| {
        r.map_err(|e| anyhow::anyhow!("cannot draw the plot: {e}"))
    };
    e(root.draw(&Text::new(
        "Net stance of each actor toward each proposal: (support − oppose) / mentions".to_owned(),
        (20, 14),
        text_style(18, (HPos::Left, VPos::Top)),
    )))?;
    for (j, p) in proposals.iter().enumerate() {
        let x = LEFT + CELL * j as i32 + CELL / 2;
        // Column labels, rotated, read bottom-up.
        let style = text_style(12, (HPos::Left, VPos::Center)).transform(FontTransform::Rotate270);
        e(root.draw(&Text::new(
            shorten(summary.name(p), 28),
            (x, TOP - 8),
            style,
        )))?;
    }
    for (i, a) in actors.iter().enumerate() {
        let y = TOP + ROW * i as i32;
        e(root.draw(&Text::new(
            shorten(summary.name(a), 28),
            (LEFT - 8, y + ROW / 2),
            text_style(12, (HPos::Right, VPos::Center)),
        )))?;
        for (j, p) in proposals.iter().enumerate() {
            let x = LEFT + CELL * j as i32;
            let key = PairKey {
                actor: a.clone(),
                proposal: p.clone(),
            };
            let corners = [(x, y), (x + CELL, y + ROW)];
            match summary.overall.get(&key) {
                Some(cell) => {
                    e(root.draw(&Rectangle::new(corners, net_colour(cell.net()).filled())))?;
                    e(root.draw(&Text::new(
                        format!("{:+.2} ({})", cell.net(), cell.n),
                        (x + CELL / 2, y + ROW / 2),
                        text_style(10, (HPos::Center, VPos::Center)),
                    )))?;
                }
                None => e(root.draw(&Rectangle::new(corners, RGBColor(245, 245, 245).filled())))?,
            }
            e(root.draw(&Rectangle::new(corners, RGBColor(200, 200, 200))))?;
        }
    }
    // The colour key.
    let kx = LEFT + CELL * proposals.len() as i32 + 30;
    for (k, net) in [1.0, 0.5, 0.0, -0.5, -1.0].into_iter().enumerate() {
        let y = TOP + 22 * k as i32;
        e(root.draw(&Rectangle::new(
            [(kx, y), (kx + 20, y + 18)],
            net_colour(net).filled(),
        )))?;
        e(root.draw(&Text::new(
            format!("{net:+.1}"),
            (kx + 26, y + 9),
            text_style(11, (HPos::Left, VPos::Center)),
        )))?;
    }
    Ok(())
}

fn timeline_panel(area: &Area<'_>, summary: &Summary) -> anyhow::Result<()> {
    let e = |r: Result<(), DrawingAreaErrorKind<_>>| {
        r.map_err(|e| anyhow::anyhow!("cannot draw the plot: {e}"))
    };
    let periods: Vec<&String> = summary.periods.keys().collect();
    let mut pairs: Vec<(&PairKey, usize)> = summary.overall.iter().map(|(k, c)| (k, c.n)).collect();
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    pairs.truncate(MAX_LINES);
    let (w, _) = area.dim_in_pixel();
    let (x0, x1, y0, y1) = (70i32, w as i32 - 260, 50i32, 370i32);
    let x_of = |i: usize| {
        if periods.len() < 2 {
            x0
        } else {
            x0 + (x1 - x0) * i as i32 / (periods.len() as i32 - 1)
        }
    };
    let y_of = |net: f64| y1 - ((net + 1.0) / 2.0 * f64::from(y1 - y0)) as i32;
    e(area.draw(&Text::new(
        "Net stance per period of the most mentioned pairs".to_owned(),
        (20, 10),
        text_style(18, (HPos::Left, VPos::Top)),
    )))?;
    for net in [-1.0, -0.5, 0.0, 0.5, 1.0] {
        let y = y_of(net);
        let grey = RGBColor(220, 220, 220);
        e(area.draw(&PathElement::new(vec![(x0, y), (x1, y)], grey)))?;
        e(area.draw(&Text::new(
            format!("{net:+.1}"),
            (x0 - 8, y),
            text_style(11, (HPos::Right, VPos::Center)),
        )))?;
    }
    let step = periods.len().div_ceil(12).max(1);
    for (i, p) in periods.iter().enumerate().step_by(step) {
        e(area.draw(&Text::new(
            (*p).clone(),
            (x_of(i), y1 + 16),
            text_style(11, (HPos::Center, VPos::Top)),
        )))?;
    }
    for (n, (key, _)) in pairs.iter().enumerate() {
        let colour = PALETTE[n];
        let points: Vec<(i32, i32)> = periods
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                summary.periods[*p]
                    .get(*key)
                    .map(|c| (x_of(i), y_of(c.net())))
            })
            .collect();
        e(area.draw(&PathElement::new(points.clone(), colour.stroke_width(2))))?;
        for p in points {
            e(area.draw(&Circle::new(p, 3, colour.filled())))?;
        }
        let ly = y0 + 22 * n as i32;
        e(area.draw(&Rectangle::new(
            [(x1 + 20, ly), (x1 + 34, ly + 12)],
            colour.filled(),
        )))?;
        e(area.draw(&Text::new(
            format!(
                "{} → {}",
                summary.name(&key.actor),
                summary.name(&key.proposal)
            ),
            (x1 + 40, ly + 6),
            text_style(11, (HPos::Left, VPos::Center)),
        )))?;
    }
    Ok(())
}

/// `name` cut to `max` characters with an ellipsis.
fn shorten(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        name.to_owned()
    } else {
        let cut: String = name.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}
