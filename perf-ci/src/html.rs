//! The self-contained HTML report: the tables of [`crate::report`] plus SVG charts drawn with
//! plotters' SVG backend and inlined (no external file, script or font).
//!
//! Charts are horizontal bars on a logarithmic axis (figures span several orders of magnitude):
//! instruction counts per benchmark (baseline vs current) and wall-clock throughput.

use std::fmt::Write as _;

use plotters::coord::combinators::{BindKeyPoints, IntoLogRange};
use plotters::prelude::*;

use crate::report::{Report, Table};
use crate::results::Results;
use crate::units;

/// One bar pair: label, baseline value, current value.
pub type BarRow = (String, Option<f64>, Option<f64>);

const BASE_COLOR: RGBColor = RGBColor(0x9e, 0xa7, 0xb3);
const CUR_COLOR: RGBColor = RGBColor(0x1f, 0x6f, 0xd1);
const ROW_PX: u32 = 26;
const MAX_LABEL_CHARS: usize = 48;

fn short_label(label: &str) -> String {
    let count = label.chars().count();
    if count <= MAX_LABEL_CHARS {
        label.to_string()
    } else {
        let tail: String = label.chars().skip(count - (MAX_LABEL_CHARS - 1)).collect();
        format!("…{tail}")
    }
}

/// Draws a horizontal bar chart (log x axis) as an SVG document string.
/// Rows without any positive value are left out; returns `Ok(None)` if nothing is left.
pub fn bar_chart_svg(
    title: &str,
    x_desc: &str,
    rows: &[BarRow],
    fmt_value: &dyn Fn(f64) -> String,
) -> Result<Option<String>, String> {
    let rows: Vec<&BarRow> = rows
        .iter()
        .filter(|(_, b, c)| b.is_some_and(|v| v > 0.0) || c.is_some_and(|v| v > 0.0))
        .collect();
    if rows.is_empty() {
        return Ok(None);
    }
    let values = rows
        .iter()
        .flat_map(|(_, b, c)| [*b, *c])
        .flatten()
        .filter(|v| *v > 0.0);
    let (lo, hi) = values.fold((f64::MAX, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    // Start a decade below the smallest value so every bar has visible length.
    let x_lo = 10f64
        .powf((lo.log10() - 1.0).floor())
        .max(f64::MIN_POSITIVE);
    let x_hi = 10f64.powf((hi.log10() + 0.05).ceil()).max(x_lo * 10.0);
    let n = rows.len();
    // Two empty rows on top keep the legend clear of the bars.
    let y_max = ((n + 2) * 10) as i32;
    let labels: Vec<String> = rows.iter().map(|(l, _, _)| short_label(l)).collect();
    let label_px = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) as u32 * 7 + 16;
    let height = 110 + (n as u32 + 2) * ROW_PX;
    let width = 960u32.max(label_px + 480);

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        let err = |e: &dyn std::fmt::Display| format!("chart {title:?}: {e}");
        root.fill(&WHITE).map_err(|e| err(&e))?;
        // Key points at the middle of each row, top to bottom in input order.
        let key_points: Vec<i32> = (0..n).map(|i| (i * 10 + 5) as i32).collect();
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .margin_right(60)
            .x_label_area_size(40)
            .y_label_area_size(label_px)
            .build_cartesian_2d(
                (x_lo..x_hi).log_scale(),
                (0..y_max).with_key_points(key_points),
            )
            .map_err(|e| err(&e))?;
        let label_of = |y: &i32| {
            let idx = n.saturating_sub(1 + (*y / 10).max(0) as usize);
            labels.get(idx).cloned().unwrap_or_default()
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_label_formatter(&label_of)
            .x_label_formatter(&|v: &f64| fmt_value(*v))
            .x_desc(x_desc)
            .label_style(("sans-serif", 12))
            .draw()
            .map_err(|e| err(&e))?;
        // Row i (from the top) occupies y in [(n-1-i)*10, (n-1-i)*10 + 10).
        let bar = |i: usize, v: f64, upper: bool, color: RGBColor| {
            let base = ((n - 1 - i) * 10) as i32;
            let (y0, y1) = if upper {
                (base + 5, base + 9)
            } else {
                (base + 1, base + 5)
            };
            Rectangle::new([(x_lo, y0), (v, y1)], color.filled())
        };
        let has_base = rows.iter().any(|(_, b, _)| b.is_some());
        if has_base {
            chart
                .draw_series(rows.iter().enumerate().filter_map(|(i, (_, b, _))| {
                    b.filter(|v| *v > 0.0).map(|v| bar(i, v, true, BASE_COLOR))
                }))
                .map_err(|e| err(&e))?
                .label("baseline")
                .legend(|(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], BASE_COLOR.filled())
                });
        }
        chart
            .draw_series(rows.iter().enumerate().filter_map(|(i, (_, _, c))| {
                c.filter(|v| *v > 0.0)
                    .map(|v| bar(i, v, !has_base, CUR_COLOR))
            }))
            .map_err(|e| err(&e))?
            .label("current")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], CUR_COLOR.filled()));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font(("sans-serif", 12))
            .draw()
            .map_err(|e| err(&e))?;
        root.present().map_err(|e| err(&e))?;
    }
    Ok(Some(svg))
}

/// Rows for the instruction chart: every benchmark, baseline vs current.
pub fn instruction_rows(current: &Results, baseline: Option<&Results>) -> Vec<BarRow> {
    let mut keys: Vec<&String> = current.instructions.keys().collect();
    if let Some(b) = baseline {
        keys.extend(
            b.instructions
                .keys()
                .filter(|k| !current.instructions.contains_key(*k)),
        );
    }
    keys.sort();
    keys.into_iter()
        .map(|k| {
            (
                k.clone(),
                baseline
                    .and_then(|b| b.instructions.get(k))
                    .map(|v| *v as f64),
                current.instructions.get(k).map(|v| *v as f64),
            )
        })
        .collect()
}

/// Rows for the throughput charts: `(bytes/s rows, elements/s rows)`.
pub fn throughput_rows(
    current: &Results,
    baseline: Option<&Results>,
) -> (Vec<BarRow>, Vec<BarRow>) {
    let mut bytes = Vec::new();
    let mut elements = Vec::new();
    for (key, cur) in &current.wallclock {
        let base = baseline.and_then(|b| b.wallclock.get(key));
        if cur.throughput_bytes_per_s.is_some() {
            bytes.push((
                key.clone(),
                base.and_then(|b| b.throughput_bytes_per_s),
                cur.throughput_bytes_per_s,
            ));
        } else if cur.elements_per_s.is_some() {
            elements.push((
                key.clone(),
                base.and_then(|b| b.elements_per_s),
                cur.elements_per_s,
            ));
        }
    }
    (bytes, elements)
}

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Verdict markers of the markdown tables and the CSS class they map to in HTML (emoji fonts
/// are not everywhere).
const MARKERS: [(&str, &str); 4] = [
    ("❌ ", "fail"),
    ("⚠️ ", "warn"),
    ("✅ ", "pass"),
    ("🆕 ", "new"),
];

/// Markdown inline code (`x`) becomes `<code>`; verdict markers become a CSS class;
/// everything else is escaped.
fn cell_html(cell: &str) -> String {
    for (marker, class) in MARKERS {
        if let Some(rest) = cell.strip_prefix(marker) {
            return format!("<span class=\"{class}\">{}</span>", escape(rest));
        }
    }
    let mut out = String::new();
    for (i, part) in cell.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", escape(part));
        } else {
            out.push_str(&escape(part));
        }
    }
    out
}

fn table_html(t: &Table) -> String {
    let mut out = String::from("<table>\n<thead><tr>");
    for h in &t.header {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for c in row {
            let _ = write!(out, "<td>{}</td>", cell_html(c));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px;color:#1b1f24}\
table{border-collapse:collapse;margin:0.5em 0 1.5em}\
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;font-size:14px}\
th{background:#f6f8fa}td code{font-size:13px}\
.pass{color:#1a7f37}.fail{color:#cf222e;font-weight:bold}.warn{color:#9a6700}.new{color:#0969da}\
figure{margin:1em 0}svg{max-width:100%;height:auto}";

/// The full HTML page.
pub fn render(
    report: &Report,
    current: &Results,
    baseline: Option<&Results>,
) -> Result<String, String> {
    let mut out = String::new();
    let status = if report.passed { "pass" } else { "fail" };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>zerortc perf report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>zerortc perf report</h1>\n<p class=\"{status}\"><strong>{}</strong></p>\n<p>{}</p>\n",
        escape(&report.summary),
        cell_html(&report.context)
    );

    out.push_str("<h2>Charts</h2>\n");
    let ir = instruction_rows(current, baseline);
    let charts = [
        (
            "Instructions per benchmark (callgrind Ir, log scale)",
            "instructions (Ir)",
            ir,
            &(|v: f64| units::figure(v.round())) as &dyn Fn(f64) -> String,
        ),
        (
            "Wall-clock throughput, bytes (criterion median, log scale)",
            "bytes per second",
            throughput_rows(current, baseline).0,
            &|v: f64| units::bytes_per_s(v),
        ),
        (
            "Wall-clock throughput, elements (criterion median, log scale)",
            "elements per second",
            throughput_rows(current, baseline).1,
            &|v: f64| units::elements_per_s(v),
        ),
    ];
    let mut drew = false;
    for (title, x_desc, rows, fmt) in charts {
        if let Some(svg) = bar_chart_svg(title, x_desc, &rows, fmt)? {
            drew = true;
            out.push_str("<figure>\n");
            // Drop the XML prolog if any: the SVG is inlined into HTML.
            let body = svg.find("<svg").and_then(|i| svg.get(i..)).unwrap_or(&svg);
            out.push_str(body);
            out.push_str("\n</figure>\n");
        }
    }
    if !drew {
        out.push_str("<p>No figures to chart.</p>\n");
    }

    for s in &report.sections {
        if s.collapsed {
            let _ = writeln!(out, "<details><summary>{}</summary>", escape(&s.title));
        } else {
            let _ = writeln!(out, "<h2>{}</h2>", escape(&s.title));
        }
        if !s.note.is_empty() {
            let _ = writeln!(out, "<p>{}</p>", cell_html(&s.note));
        }
        if !s.table.rows.is_empty() {
            out.push_str(&table_html(&s.table));
        }
        if s.collapsed {
            out.push_str("</details>\n");
        }
    }
    out.push_str("</body>\n</html>\n");
    Ok(out)
}
