//! Plots of the time view, drawn by plotters into SVG text (its SVG backend only: no fonts, no
//! bitmaps; in the browser plotters measures label text with the page's own font). The page
//! puts the SVG into the DOM as it is and draws the moving cursor over it itself, so a plot is
//! drawn once per simulation, never per frame.
//!
//! Colours are fixed, chosen to read on the light and the dark theme; the stylesheet recolours
//! text and axes (`.plot svg text`). Every series is also told apart by its dash pattern and
//! named in a legend and a table next to the plot, so colour is never the only signal.

use plotters::prelude::*;

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stroke {
    Solid,
    Dashed,
    Dotted,
}

/// One line of a chart: `(x, y)` points in increasing `x`.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub colour: (u8, u8, u8),
    pub stroke: Stroke,
    /// Drawn as steps (a count that holds until the next sample).
    pub step: bool,
    /// On the secondary (right) axis.
    pub secondary: bool,
}

impl Line {
    pub fn new(name: impl Into<String>, colour: (u8, u8, u8), points: Vec<(f64, f64)>) -> Line {
        Line {
            name: name.into(),
            points,
            colour,
            stroke: Stroke::Solid,
            step: false,
            secondary: false,
        }
    }

    pub fn stroke(mut self, s: Stroke) -> Line {
        self.stroke = s;
        self
    }

    pub fn steps(mut self) -> Line {
        self.step = true;
        self
    }

    pub fn secondary(mut self) -> Line {
        self.secondary = true;
        self
    }

    /// The CSS `stroke-dasharray` of the legend's sample line.
    pub fn dash_css(&self) -> &'static str {
        match self.stroke {
            Stroke::Solid => "none",
            Stroke::Dashed => "6 4",
            Stroke::Dotted => "2 3",
        }
    }
}

/// Colours of the series (mid tones that read on white and on near-black).
pub const BLUE: (u8, u8, u8) = (52, 120, 220);
pub const GREEN: (u8, u8, u8) = (46, 160, 90);
pub const ORANGE: (u8, u8, u8) = (230, 130, 30);
pub const PURPLE: (u8, u8, u8) = (150, 100, 220);
pub const RED: (u8, u8, u8) = (215, 70, 70);
pub const GREY: (u8, u8, u8) = (130, 140, 155);

/// A chart to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    pub width: u32,
    pub height: u32,
    /// The x axis runs from 0 to this (seconds).
    pub x_max: f64,
    /// The y axis runs from 0 to at least this (and to the highest value).
    pub y_min_top: f64,
    pub y_unit: String,
    /// The right axis, when a line is on it.
    pub y2_unit: String,
    pub lines: Vec<Line>,
}

/// A drawn chart: the SVG text, and where the plotting area is, as fractions of the width
/// (for the cursor the page draws over it).
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub svg: String,
    pub x0: f64,
    pub x1: f64,
}

/// A round number at or above `v` for an axis top: 1, 2, 2.5 or 5 × a power of ten.
pub fn nice_top(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= v - 1e-9 {
            return m * p;
        }
    }
    10.0 * p
}

/// `3600` → `1h`, `5400` → `1h30`, `90` → `1m30`, `0` → `0`.
pub fn axis_time(secs: f64) -> String {
    let s = secs.max(0.0).round() as u64;
    let (h, m, sec) = (s / 3600, s % 3600 / 60, s % 60);
    match (h, m, sec) {
        (0, 0, 0) => "0".into(),
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m{s:02}"),
        (h, 0, _) => format!("{h}h"),
        (h, m, _) => format!("{h}h{m:02}"),
    }
}

fn axis_number(v: f64) -> String {
    if v.abs() >= 1000.0 {
        format!("{:.1}k", v / 1000.0).replace(".0k", "k")
    } else if v.fract().abs() < 1e-9 {
        format!("{v:.0}")
    } else if v.abs() < 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.1}")
    }
}

/// Steps: each value holds until the next point's x.
fn as_steps(points: &[(f64, f64)], x_max: f64) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(points.len() * 2 + 1);
    for (i, &(x, y)) in points.iter().enumerate() {
        if i > 0 {
            out.push((x, points[i - 1].1));
        }
        out.push((x, y));
    }
    if let Some(&(x, y)) = points.last() {
        if x < x_max {
            out.push((x_max, y));
        }
    }
    out
}

fn top_of<'a>(lines: impl Iterator<Item = &'a Line>, floor: f64) -> f64 {
    let m = lines
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .fold(floor, f64::max);
    nice_top(m * 1.05)
}

/// Draws a line chart. Errors of the SVG backend (none are expected when drawing into a
/// string) give an empty SVG.
pub fn line_chart(spec: &ChartSpec) -> Chart {
    let mut svg = String::new();
    let area = draw(spec, &mut svg).ok();
    let (x0, x1) = area.unwrap_or((0, spec.width as i32));
    Chart {
        svg,
        x0: x0 as f64 / spec.width as f64,
        x1: x1 as f64 / spec.width as f64,
    }
}

type DrawResult<T> = Result<T, Box<dyn std::error::Error>>;

fn draw(spec: &ChartSpec, out: &mut String) -> DrawResult<(i32, i32)> {
    let x_max = spec.x_max.max(1.0);
    let primary: Vec<&Line> = spec.lines.iter().filter(|l| !l.secondary).collect();
    let secondary: Vec<&Line> = spec.lines.iter().filter(|l| l.secondary).collect();
    let y_max = top_of(primary.iter().copied(), spec.y_min_top);
    let y2_max = top_of(secondary.iter().copied(), 1.0);
    let ink = RGBColor(90, 96, 110);
    let grid = RGBColor(150, 156, 168).mix(0.25);
    let root = SVGBackend::with_string(out, (spec.width, spec.height)).into_drawing_area();
    let mut builder = ChartBuilder::on(&root);
    builder
        .margin_top(8)
        .margin_right(if secondary.is_empty() { 12 } else { 4 })
        .margin_left(4)
        .x_label_area_size(22)
        .y_label_area_size(46);
    if !secondary.is_empty() {
        builder.right_y_label_area_size(40);
    }
    let mut chart = builder
        .build_cartesian_2d(0f64..x_max, 0f64..y_max)?
        .set_secondary_coord(0f64..x_max, 0f64..y2_max);
    let label = ("sans-serif", 11).into_font().color(&ink);
    let x_fmt = |x: &f64| axis_time(*x);
    let y_unit = spec.y_unit.clone();
    let y_fmt = move |y: &f64| {
        if y_unit.is_empty() {
            axis_number(*y)
        } else {
            format!("{}{}", axis_number(*y), y_unit)
        }
    };
    chart
        .configure_mesh()
        .x_labels(7)
        .y_labels(5)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .light_line_style(TRANSPARENT)
        .bold_line_style(grid)
        .axis_style(ink)
        .label_style(label.clone())
        .draw()?;
    if !secondary.is_empty() {
        let unit = spec.y2_unit.clone();
        let y2_fmt = move |y: &f64| format!("{}{}", axis_number(*y), unit);
        chart
            .configure_secondary_axes()
            .y_labels(5)
            .y_label_formatter(&y2_fmt)
            .axis_style(ink)
            .label_style(label)
            .draw()?;
    }
    for l in &spec.lines {
        let points = if l.step {
            as_steps(&l.points, x_max)
        } else {
            l.points.clone()
        };
        let colour = RGBColor(l.colour.0, l.colour.1, l.colour.2);
        let style = colour.stroke_width(2);
        match (l.stroke, l.secondary) {
            (Stroke::Solid, false) => {
                chart.draw_series(LineSeries::new(points, style))?;
            }
            (Stroke::Solid, true) => {
                chart.draw_secondary_series(LineSeries::new(points, style))?;
            }
            (s, false) => {
                let (size, gap) = if s == Stroke::Dashed { (6, 4) } else { (2, 3) };
                chart.draw_series(DashedLineSeries::new(points, size, gap, style))?;
            }
            (s, true) => {
                let (size, gap) = if s == Stroke::Dashed { (6, 4) } else { (2, 3) };
                chart.draw_secondary_series(DashedLineSeries::new(points, size, gap, style))?;
            }
        }
    }
    let (xs, _) = chart.plotting_area().get_pixel_range();
    root.present()?;
    Ok((xs.start, xs.end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(lines: Vec<Line>) -> ChartSpec {
        ChartSpec {
            width: 600,
            height: 180,
            x_max: 3600.0,
            y_min_top: 1.0,
            y_unit: String::new(),
            y2_unit: "%".into(),
            lines,
        }
    }

    #[test]
    fn a_chart_is_svg_with_one_path_per_line_and_its_plot_area() {
        let c = line_chart(&spec(vec![
            Line::new("desired", BLUE, vec![(0.0, 4.0), (1800.0, 6.0)]).steps(),
            Line::new("running", GREEN, vec![(0.0, 4.0), (3600.0, 5.0)]),
            Line::new("reservation", ORANGE, vec![(0.0, 50.0), (3600.0, 90.0)])
                .secondary()
                .stroke(Stroke::Dashed),
        ]));
        assert!(c.svg.starts_with("<svg"), "{}", &c.svg[..60]);
        assert!(c.svg.contains("polyline"));
        assert!(c.svg.contains("rgb(52,120,220)") || c.svg.contains("#3478DC"));
        assert!(c.x0 > 0.0 && c.x0 < 0.2 && c.x1 > 0.8 && c.x1 < 1.0, "{c:?}");
        assert!(c.svg.contains(">1h<") || c.svg.contains("1h"), "time labels");
    }

    #[test]
    fn steps_hold_values_and_axes_are_round() {
        assert_eq!(
            as_steps(&[(0.0, 1.0), (10.0, 3.0)], 20.0),
            vec![(0.0, 1.0), (10.0, 1.0), (10.0, 3.0), (20.0, 3.0)]
        );
        assert_eq!(nice_top(7.3), 10.0);
        assert_eq!(nice_top(0.0), 1.0);
        assert_eq!(nice_top(180.0), 200.0);
        assert_eq!(nice_top(2.2), 2.5);
        assert_eq!(axis_time(5400.0), "1h30");
        assert_eq!(axis_time(90.0), "1m30");
        assert_eq!(axis_time(86400.0), "24h");
        assert_eq!(axis_number(2500.0), "2.5k");
        assert_eq!(axis_number(3000.0), "3k");
        assert_eq!(axis_number(0.25), "0.25");
    }
}
