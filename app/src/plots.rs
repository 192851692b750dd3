//! Plots of the time view, drawn by plotters into SVG text (its SVG backend only: no fonts, no
//! bitmaps; in the browser plotters measures label text with the page's own font). The page
//! puts the SVG into the DOM as it is and draws the moving cursor over it itself, so a plot is
//! drawn once per simulation, never per frame.
//!
//! Colours are fixed, chosen to read on the light and the dark theme; the stylesheet recolours
//! text and axes (`.plot svg text`). Every series is also told apart by its dash pattern and
//! named in a legend and a table next to the plot, so colour is never the only signal.

use engine::api::text::escape_html as escape;
use plotters::prelude::*;

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stroke {
    Solid,
    Dashed,
    Dotted,
    DashDot,
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
    /// Shapes along the line: with the dash pattern, what tells series apart without colour.
    pub marker: Marker,
}

/// A shape drawn along a line (and in its legend).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    None,
    Circle,
    Square,
    Triangle,
    Diamond,
}

/// Markers in order, for the n-th service or provider of a plot.
pub const MARKERS: [Marker; 4] = [
    Marker::Circle,
    Marker::Square,
    Marker::Triangle,
    Marker::Diamond,
];

/// One marker centred on (x, y), filled with `rgb`.
pub fn marker_svg(m: Marker, x: f64, y: f64, rgb: (u8, u8, u8)) -> String {
    let (r, g, b) = rgb;
    let fill = format!("fill=\"rgb({r},{g},{b})\"");
    match m {
        Marker::None => String::new(),
        Marker::Circle => format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" {fill}/>"),
        Marker::Square => format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"7\" height=\"7\" {fill}/>",
            x - 3.5,
            y - 3.5
        ),
        Marker::Triangle => format!(
            "<path d=\"M{:.1} {:.1} L{:.1} {:.1} L{:.1} {:.1} Z\" {fill}/>",
            x,
            y - 4.5,
            x + 4.5,
            y + 3.5,
            x - 4.5,
            y + 3.5
        ),
        Marker::Diamond => format!(
            "<path d=\"M{:.1} {:.1} L{:.1} {:.1} L{:.1} {:.1} L{:.1} {:.1} Z\" {fill}/>",
            x,
            y - 4.5,
            x + 4.5,
            y,
            x,
            y + 4.5,
            x - 4.5,
            y
        ),
    }
}

/// The legend's sample of a line (inside a 28 × 10 SVG): its colour, dash and marker.
pub fn swatch_svg(l: &Line) -> String {
    let (r, g, b) = l.colour;
    format!(
        "<line x1=\"0\" y1=\"5\" x2=\"28\" y2=\"5\" stroke=\"rgb({r},{g},{b})\" stroke-width=\"2.5\" stroke-dasharray=\"{}\"/>{}",
        l.dash_css(),
        marker_svg(l.marker, 14.0, 5.0, l.colour)
    )
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
            marker: Marker::None,
        }
    }

    pub fn stroke(mut self, s: Stroke) -> Line {
        self.stroke = s;
        self
    }

    pub fn marker(mut self, m: Marker) -> Line {
        self.marker = m;
        self
    }

    pub fn steps(mut self) -> Line {
        self.step = true;
        self
    }

    /// The CSS `stroke-dasharray` of the legend's sample line.
    pub fn dash_css(&self) -> &'static str {
        dash_of(self.stroke)
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
    /// The instant x = 0 stands for (UTC seconds since 1970): the time axis shows the wall
    /// clock (`08:00`, a day's name at midnight). `None`: time since the start (`2h`).
    pub x_start: Option<i64>,
}

/// A drawn chart: the SVG text, and where the plotting area is, as fractions of the width
/// and of the height (for the cursor the page draws over it, and for clicks that seek).
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub svg: String,
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
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

/// Round times for the time axis: at most 7 ticks, every 1, 2, 5, 10, 15 or 30 minutes, or
/// 1, 2, 3, 4, 6 or 12 hours, or whole days; with `start`, at round wall-clock times.
pub fn time_ticks(x_max: f64, start: Option<i64>) -> Vec<(f64, String)> {
    const STEPS: [i64; 14] = [
        60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 14_400, 21_600, 43_200, 86_400, 172_800,
    ];
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    if !(x_max.is_finite() && x_max > 0.0) {
        return vec![(0.0, axis_time(0.0))];
    }
    let end = x_max.min(1e9) as i64;
    let step = STEPS
        .into_iter()
        .find(|s| end / s <= 6)
        .unwrap_or_else(|| (nice_top(x_max / 6.0 / 86_400.0) * 86_400.0).max(1.0) as i64);
    let offset = start.unwrap_or(0);
    // The first tick at or after x = 0 that is a multiple of the step on the clock.
    let first = (step - offset.rem_euclid(step)) % step;
    (0..=100)
        .map(|k| first + k * step)
        .take_while(|t| *t <= end)
        .map(|t| {
            let label = match start {
                None => axis_time(t as f64),
                Some(s) => {
                    let at = s.saturating_add(t);
                    let sod = at.rem_euclid(86_400);
                    if sod == 0 {
                        DAYS[(at.div_euclid(86_400) + 4).rem_euclid(7) as usize].to_string()
                    } else {
                        format!("{:02}:{:02}", sod / 3600, sod % 3600 / 60)
                    }
                }
            };
            (t as f64, label)
        })
        .collect()
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

/// A value for an axis or a summary: `2.5k`, `12`, `0.25`, `37.5`.
pub fn axis_number(v: f64) -> String {
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
pub fn as_steps(points: &[(f64, f64)], x_max: f64) -> Vec<(f64, f64)> {
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

/// A step series without the points that repeat the value before them (the samples are taken
/// when anything of a service changes, so most repeat one count).
pub fn changes_only(points: impl IntoIterator<Item = (f64, f64)>) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (x, y) in points {
        match out.last() {
            Some(&(_, last)) if last == y => {}
            _ => out.push((x, y)),
        }
    }
    out
}

/// The value of a series at `x`: the last point at or before it for steps, linear between
/// points otherwise; flat before the first and after the last point.
pub fn value_at(points: &[(f64, f64)], x: f64, step: bool) -> Option<f64> {
    let first = points.first()?;
    let i = points.partition_point(|p| p.0 <= x);
    if i == 0 {
        return Some(first.1);
    }
    let (x0, y0) = points[i - 1];
    match points.get(i) {
        Some(&(x1, y1)) if !step && x1 > x0 => Some(y0 + (y1 - y0) * (x - x0) / (x1 - x0)),
        _ => Some(y0),
    }
}

/// The lowest and highest value of a series.
pub fn range(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    points.iter().fold(None, |acc, &(_, y)| match acc {
        None => Some((y, y)),
        Some((lo, hi)) => Some((f64::min(lo, y), f64::max(hi, y))),
    })
}

/// The time-weighted mean of a series over `0..x_max` (steps hold, lines interpolate).
pub fn mean(points: &[(f64, f64)], x_max: f64, step: bool) -> Option<f64> {
    let first = points.first()?;
    // `clamp` panics on a NaN bound, and a panic kills the page.
    if x_max.is_nan() || x_max <= 0.0 {
        return Some(first.1);
    }
    let mut area = first.0.clamp(0.0, x_max) * first.1;
    for w in points.windows(2) {
        let (x0, y0) = w[0];
        let (x1, y1) = w[1];
        let (a, b) = (x0.clamp(0.0, x_max), x1.clamp(0.0, x_max));
        let h = if step { y0 } else { (y0 + y1) / 2.0 };
        area += (b - a) * h;
    }
    if let Some(&(x, y)) = points.last() {
        area += (x_max - x.clamp(0.0, x_max)) * y;
    }
    Some(area / x_max)
}

/// A short fingerprint of the lines' points (FNV-1a, hex): equal data, equal fingerprint.
/// The page writes it on each plot (`data-sig`) so a test can see that a plot changed.
pub fn fingerprint(lines: &[Line]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= *b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for l in lines {
        eat(l.name.as_bytes());
        for (x, y) in &l.points {
            eat(&x.to_bits().to_le_bytes());
            eat(&y.to_bits().to_le_bytes());
        }
    }
    format!("{h:016x}")
}

fn top_of<'a>(lines: impl Iterator<Item = &'a Line>, floor: f64) -> f64 {
    let m = lines
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .filter(|y| y.is_finite())
        .fold(0.0, f64::max);
    // Room above the highest value, but a floor (100 %) is a top as it is.
    nice_top(f64::max(floor, m * 1.05))
}

/// Draws a line chart. Errors of the SVG backend (none are expected when drawing into a
/// string) give an empty SVG.
pub fn line_chart(spec: &ChartSpec) -> Chart {
    let mut svg = String::new();
    let drawn = draw(spec, &mut svg).ok();
    let full = ((0, spec.width as i32), (0, spec.height as i32));
    let ((x, y), paths) = drawn.unwrap_or((full, String::new()));
    // The series go in as one `<path>` each (plotters would draw a dashed line as hundreds
    // of segments): smaller SVG, a dash pattern per series, and a name a test can find.
    if let Some(end) = svg.rfind("</svg>") {
        svg.insert_str(end, &paths);
    }
    let (w, h) = (spec.width.max(1) as f64, spec.height.max(1) as f64);
    Chart {
        svg,
        x0: x.0 as f64 / w,
        x1: x.1 as f64 / w,
        y0: y.0 as f64 / h,
        y1: y.1 as f64 / h,
    }
}

/// `d` of an SVG path through pixel points, without repeated points and without the middle
/// of straight horizontal or vertical runs.
pub fn path_d(pixels: &[(i32, i32)]) -> String {
    let mut pts: Vec<(i32, i32)> = Vec::with_capacity(pixels.len());
    for &p in pixels {
        if pts.last() == Some(&p) {
            continue;
        }
        if pts.len() >= 2 {
            let (a, b) = (pts[pts.len() - 2], pts[pts.len() - 1]);
            let flat = a.1 == b.1 && b.1 == p.1 && (a.0 <= b.0) == (b.0 <= p.0);
            let upright = a.0 == b.0 && b.0 == p.0 && (a.1 <= b.1) == (b.1 <= p.1);
            if flat || upright {
                if let Some(last) = pts.last_mut() {
                    *last = p;
                }
                continue;
            }
        }
        pts.push(p);
    }
    let mut d = String::with_capacity(pts.len() * 10);
    for (i, (x, y)) in pts.iter().enumerate() {
        d.push_str(if i == 0 { "M" } else { " L" });
        d.push_str(&format!("{x} {y}"));
    }
    d
}

type DrawResult<T> = Result<T, Box<dyn std::error::Error>>;

/// Markers along a line with a marker.
const MARKER_COUNT: usize = 6;

/// The plotting area in pixels: (x start, x end), (y start, y end).
type PixelRange = ((i32, i32), (i32, i32));

/// Draws the axes with plotters; returns the plotting area's pixel range in x and the
/// series as SVG paths (in the same pixel space) to append.
fn draw(spec: &ChartSpec, out: &mut String) -> DrawResult<(PixelRange, String)> {
    let x_max = spec.x_max.max(1.0);
    let has_secondary = spec.lines.iter().any(|l| l.secondary);
    let y_max = top_of(spec.lines.iter().filter(|l| !l.secondary), spec.y_min_top);
    let y2_max = top_of(spec.lines.iter().filter(|l| l.secondary), 1.0);
    let ink = RGBColor(90, 96, 110);
    let grid = RGBColor(150, 156, 168).mix(0.25);
    let root = SVGBackend::with_string(out, (spec.width, spec.height)).into_drawing_area();
    let mut builder = ChartBuilder::on(&root);
    builder
        .margin_top(8)
        .margin_right(if has_secondary { 4 } else { 12 })
        .margin_left(4)
        .x_label_area_size(22)
        .y_label_area_size(46);
    if has_secondary {
        builder.right_y_label_area_size(40);
    }
    let mut chart = builder
        .build_cartesian_2d(0f64..x_max, 0f64..y_max)?
        .set_secondary_coord(0f64..x_max, 0f64..y2_max);
    let label = ("sans-serif", 12).into_font().color(&ink);
    let y_unit = spec.y_unit.clone();
    let y_fmt = move |y: &f64| format!("{}{}", axis_number(*y), y_unit);
    chart
        .configure_mesh()
        // The time axis is labelled below at round times (plotters picks decimal ones).
        .x_labels(0)
        .disable_x_mesh()
        .y_labels(5)
        .y_label_formatter(&y_fmt)
        .light_line_style(TRANSPARENT)
        .bold_line_style(grid)
        .axis_style(ink)
        .label_style(label.clone())
        .draw()?;
    if has_secondary {
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
    let mut paths = String::new();
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    for (t, label) in time_ticks(x_max, spec.x_start) {
        let (x, _) = chart.as_coord_spec().translate(&(t, 0.0));
        paths.push_str(&format!(
            "<line class=\"tick\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"rgb(150,156,168)\" stroke-opacity=\"0.25\"/><text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"12\" fill=\"rgb(90,96,110)\">{}</text>",
            ys.start,
            ys.end,
            ys.end + 15,
            escape(&label)
        ));
    }
    for (i, l) in spec.lines.iter().enumerate() {
        let points = if l.step {
            as_steps(&l.points, x_max)
        } else {
            l.points.clone()
        };
        let pixels: Vec<(i32, i32)> = points
            .iter()
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .map(|p| {
                if l.secondary {
                    chart.borrow_secondary().as_coord_spec().translate(p)
                } else {
                    chart.as_coord_spec().translate(p)
                }
            })
            .collect();
        if pixels.is_empty() {
            continue;
        }
        let (r, g, b) = l.colour;
        let dash = match l.stroke {
            Stroke::Solid => String::new(),
            s => format!(" stroke-dasharray=\"{}\"", dash_of(s)),
        };
        paths.push_str(&format!(
            "<path class=\"series\" data-series=\"{i}\" fill=\"none\" stroke=\"rgb({r},{g},{b})\" stroke-width=\"2\" stroke-linejoin=\"round\"{dash} d=\"{}\"><title>{}</title></path>",
            path_d(&pixels),
            escape(&l.name)
        ));
        if l.marker != Marker::None {
            // A few along the line, shifted per series so that lines that coincide still
            // show every marker.
            let n = spec.lines.len().max(1) as f64;
            let mut g = format!("<g class=\"markers\" data-series=\"{i}\">");
            for k in 0..MARKER_COUNT {
                let x = x_max * (k as f64 + (i as f64 + 0.5) / n) / MARKER_COUNT as f64;
                let Some(y) = value_at(&l.points, x, l.step) else {
                    continue;
                };
                if !y.is_finite() {
                    continue;
                }
                let (px, py) = if l.secondary {
                    chart.borrow_secondary().as_coord_spec().translate(&(x, y))
                } else {
                    chart.as_coord_spec().translate(&(x, y))
                };
                g.push_str(&marker_svg(l.marker, px as f64, py as f64, l.colour));
            }
            g.push_str("</g>");
            paths.push_str(&g);
        }
    }
    root.present()?;
    Ok((((xs.start, xs.end), (ys.start, ys.end)), paths))
}

fn dash_of(s: Stroke) -> &'static str {
    match s {
        Stroke::Solid => "none",
        Stroke::Dashed => "6 4",
        Stroke::Dotted => "2 3",
        Stroke::DashDot => "8 3 2 3",
    }
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
            x_start: None,
        }
    }

    #[test]
    fn a_chart_is_svg_with_one_path_per_line_and_its_plot_area() {
        let c = line_chart(&spec(vec![
            Line::new("desired", BLUE, vec![(0.0, 4.0), (1800.0, 6.0)])
                .steps()
                .marker(Marker::Square),
            Line::new("running", GREEN, vec![(0.0, 4.0), (3600.0, 5.0)]),
            Line {
                secondary: true,
                ..Line::new("reservation", ORANGE, vec![(0.0, 50.0), (3600.0, 90.0)])
            }
            .stroke(Stroke::Dashed),
        ]));
        assert!(c.svg.starts_with("<svg"), "{}", &c.svg[..60]);
        assert!(c.svg.trim_end().ends_with("</svg>"));
        // One path per series, named, with its dash pattern.
        assert_eq!(c.svg.matches("<path class=\"series\"").count(), 3);
        assert!(c.svg.contains("stroke=\"rgb(52,120,220)\""));
        assert!(c.svg.contains("stroke-dasharray=\"6 4\""));
        assert!(c.svg.contains("<title>reservation</title>"));
        // Markers along the line with one, in its colour, and the same in its legend.
        assert_eq!(c.svg.matches("<g class=\"markers\"").count(), 1);
        assert!(c.svg.matches("<rect x=").count() >= MARKER_COUNT);
        let desired = Line::new("d", BLUE, vec![]).marker(Marker::Triangle);
        assert!(swatch_svg(&desired).contains("<path d=\"M14.0 0.5"));
        assert_eq!(marker_svg(Marker::None, 1.0, 1.0, BLUE), "");
        assert!(
            c.x0 > 0.0 && c.x0 < 0.2 && c.x1 > 0.8 && c.x1 < 1.0,
            "{c:?}"
        );
        assert!(
            c.svg.contains(">1h<") || c.svg.contains("1h"),
            "time labels"
        );
        // A step line goes up at 1800 s: the path has a vertical segment there.
        let desired = c.svg.split("data-series=\"0\"").nth(1).unwrap();
        let d = desired
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let pts: Vec<(i32, i32)> = d
            .split(['M', 'L'])
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                let mut it = s.split_whitespace().map(|v| v.parse::<i32>().unwrap());
                (it.next().unwrap(), it.next().unwrap())
            })
            .collect();
        assert_eq!(pts.len(), 4, "{d}");
        assert_eq!(pts[1].0, pts[2].0, "vertical step: {d}");
        assert!(pts[2].1 < pts[1].1, "up is smaller y: {d}");
    }

    #[test]
    fn odd_input_never_panics() {
        let empty = line_chart(&spec(vec![]));
        assert!(empty.svg.starts_with("<svg"));
        let weird = line_chart(&ChartSpec {
            width: 0,
            height: 0,
            x_max: 0.0,
            y_min_top: f64::NAN,
            y_unit: "<&>".into(),
            y2_unit: String::new(),
            x_start: Some(i64::MAX),
            lines: vec![
                Line::new("nan", RED, vec![(f64::NAN, 1.0), (1.0, f64::INFINITY)]),
                Line::new("none", RED, vec![]),
            ],
        });
        assert!(weird.x0.is_finite() && weird.x1.is_finite());
        assert_eq!(value_at(&[], 3.0, true), None);
        assert_eq!(range(&[]), None);
        assert_eq!(mean(&[], 10.0, true), None);
        assert_eq!(mean(&[(0.0, 2.0)], f64::NAN, true), Some(2.0));
    }

    #[test]
    fn summaries_read_the_series_like_the_plot_draws_it() {
        let p = [(0.0, 2.0), (10.0, 4.0), (20.0, 4.0)];
        assert_eq!(value_at(&p, -5.0, true), Some(2.0));
        assert_eq!(value_at(&p, 5.0, true), Some(2.0));
        assert_eq!(value_at(&p, 5.0, false), Some(3.0));
        assert_eq!(value_at(&p, 10.0, true), Some(4.0));
        assert_eq!(value_at(&p, 99.0, false), Some(4.0));
        assert_eq!(range(&p), Some((2.0, 4.0)));
        // Steps: 2 for 10 s, then 4 for 30 s → 3.5 over 40 s.
        assert_eq!(mean(&p, 40.0, true), Some(3.5));
        // Lines: 3 on average for 10 s, then 4 → (30 + 120) / 40.
        assert_eq!(mean(&p, 40.0, false), Some(3.75));
        assert_eq!(
            changes_only([(0.0, 1.0), (5.0, 1.0), (9.0, 2.0), (12.0, 2.0)]),
            vec![(0.0, 1.0), (9.0, 2.0)]
        );
        let a = vec![Line::new("a", BLUE, p.to_vec())];
        let mut b = a.clone();
        assert_eq!(fingerprint(&a), fingerprint(&b));
        b[0].points[1].1 = 5.0;
        assert_ne!(fingerprint(&a), fingerprint(&b));
        assert_eq!(fingerprint(&a).len(), 16);
    }

    #[test]
    fn paths_drop_repeated_points_and_straight_runs() {
        assert_eq!(path_d(&[]), "");
        assert_eq!(
            path_d(&[(0, 5), (1, 5), (2, 5), (2, 5), (3, 5), (3, 2), (4, 1)]),
            "M0 5 L3 5 L3 2 L4 1"
        );
        // A run that turns back is kept.
        assert_eq!(path_d(&[(0, 5), (3, 5), (1, 5)]), "M0 5 L3 5 L1 5");
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
        let at =
            |ticks: Vec<(f64, String)>| -> Vec<f64> { ticks.into_iter().map(|t| t.0).collect() };
        assert_eq!(time_ticks(86_400.0, None).len(), 7, "every 4 h");
        assert_eq!(
            at(time_ticks(600.0, None)),
            vec![0.0, 120.0, 240.0, 360.0, 480.0, 600.0]
        );
        assert_eq!(time_ticks(0.0, None), vec![(0.0, "0".to_string())]);
        // On the wall clock: a Monday from 09:30, ticks at 12:00, 16:00, ... and the day's
        // name at midnight (2026-01-05 was a Monday).
        let monday_0930 = 1_767_571_200 + 9 * 3600 + 1800;
        let ticks = time_ticks(86_400.0, Some(monday_0930));
        assert_eq!(ticks[0], (9000.0, "12:00".to_string()));
        assert_eq!(ticks[3].1, "Tue");
        assert_eq!(ticks.len(), 6);
        assert_eq!(axis_number(2500.0), "2.5k");
        assert_eq!(axis_number(3000.0), "3k");
        assert_eq!(axis_number(0.25), "0.25");
    }
}
