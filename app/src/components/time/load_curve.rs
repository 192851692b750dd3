//! The load curves: each service's workload (the plan's `workload.services[NAME]`, which drives
//! the simulation: requests per second, queue messages per second, or utilisation) drawn as
//! points that can be dragged up and down. Dropping a point is one named, undoable edit
//! ([`Edit::SetWorkload`]); the time view then runs again by itself.
//!
//! Pointer: press a point, drag (the point captures the pointer), release to commit. Keyboard
//! (one tab stop per curve, the points behave as sliders): ArrowLeft/ArrowRight go to the
//! previous or next point, ArrowUp/ArrowDown change its value (Shift: ten steps), Enter
//! commits, Escape puts it back. Everything that decides a value is a pure function below.

use engine::api::edit::Edit;
use engine::api::plan::Plan;
use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::JsCast;

use crate::plots::{axis_number, axis_time, nice_top};
use crate::store::{use_store, Command};

/// How a curve's values are laid out over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// 24 hourly values, every day.
    Daily,
    /// `{t, value}` points, seconds from the start.
    Points,
    /// One value all the time.
    Value,
}

/// One draggable series of a service's workload.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    pub service: String,
    /// Where the series is inside the service's workload entry (`["requestsPerSecond"]`,
    /// `["queue", "messagesPerSecond"]`, `["cpuPercent"]`).
    pub path: Vec<&'static str>,
    pub shape: Shape,
    /// (seconds from the start, value).
    pub points: Vec<(f64, f64)>,
    /// "requests/s", "messages/s", "% CPU", "% memory".
    pub unit: &'static str,
    /// The whole workload entry of the service (what the edit replaces).
    pub load: Value,
}

/// The series of a workload entry that can be drawn and dragged.
const SERIES: [(&[&str], &str); 4] = [
    (&["requestsPerSecond"], "requests/s"),
    (&["queue", "messagesPerSecond"], "messages/s"),
    (&["cpuPercent"], "% CPU"),
    (&["memoryPercent"], "% memory"),
];

fn at_path<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(*k))
}

fn at_path_mut<'a>(v: &'a mut Value, path: &[&str]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |v, k| v.get_mut(*k))
}

/// The points of a series (`points`, `daily` or `value`), or `None` when it has none of them.
pub fn series_points(series: &Value) -> Option<(Shape, Vec<(f64, f64)>)> {
    if let Some(d) = series.get("daily").and_then(Value::as_array) {
        let pts = (0..24)
            .map(|h| {
                let v = d.get(h).and_then(Value::as_f64).unwrap_or(0.0);
                (h as f64 * 3600.0, v)
            })
            .collect();
        return Some((Shape::Daily, pts));
    }
    if let Some(p) = series.get("points").and_then(Value::as_array) {
        let pts: Vec<(f64, f64)> = p
            .iter()
            .map(|x| {
                (
                    x.get("t").and_then(Value::as_f64).unwrap_or(0.0),
                    x.get("value").and_then(Value::as_f64).unwrap_or(0.0),
                )
            })
            .collect();
        return (!pts.is_empty()).then_some((Shape::Points, pts));
    }
    let v = series.get("value").and_then(Value::as_f64)?;
    Some((Shape::Value, vec![(0.0, v)]))
}

/// Every draggable curve of the plan, services in plan order.
pub fn curves(plan: &Plan) -> Vec<Curve> {
    let Some(services) = plan
        .workload
        .as_ref()
        .and_then(|w| w.get("services"))
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for s in &plan.services {
        let Some(load) = services.get(&s.service_name) else {
            continue;
        };
        for (path, unit) in SERIES {
            let Some((shape, points)) = at_path(load, path).and_then(series_points) else {
                continue;
            };
            out.push(Curve {
                service: s.service_name.clone(),
                path: path.to_vec(),
                shape,
                points,
                unit,
                load: load.clone(),
            });
        }
    }
    out
}

/// A value as the plan stores it: at most two decimals, never negative (a utilisation stays
/// within 0–100 %).
pub fn clean_value(v: f64, unit: &str) -> f64 {
    let v = if v.is_finite() { v.max(0.0) } else { 0.0 };
    let v = if unit.starts_with('%') {
        v.min(100.0)
    } else {
        v
    };
    (v * 100.0).round() / 100.0
}

/// The workload entry with point `index` of `curve` set to `value`.
pub fn with_point(curve: &Curve, index: usize, value: f64) -> Option<Value> {
    let mut load = curve.load.clone();
    let series = at_path_mut(&mut load, &curve.path)?;
    let value = serde_json::json!(clean_value(value, curve.unit));
    let slot = match curve.shape {
        Shape::Daily => series.get_mut("daily")?.get_mut(index)?,
        Shape::Points => series.get_mut("points")?.get_mut(index)?.get_mut("value")?,
        Shape::Value => series.get_mut("value")?,
    };
    *slot = value;
    Some(load)
}

/// Where point `index` is, for people: `09:00` (daily), `+1h30` (points), `all day`.
pub fn point_label(curve: &Curve, index: usize) -> String {
    let t = curve.points.get(index).map_or(0.0, |p| p.0);
    match curve.shape {
        Shape::Daily => format!("{:02}:00", index % 24),
        Shape::Points => format!("+{}", axis_time(t)),
        Shape::Value => "all the time".to_string(),
    }
}

/// The named edit for moving point `index` of `curve` to `value` (None: nothing changes).
pub fn edit_for(curve: &Curve, index: usize, value: f64) -> Option<Edit> {
    let before = curve.points.get(index)?.1;
    let value = clean_value(value, curve.unit);
    if (value - before).abs() < 1e-9 {
        return None;
    }
    let load = with_point(curve, index, value)?;
    Some(Edit::SetWorkload {
        service: curve.service.clone(),
        workload: Some(load),
        change: Some(format!(
            "moved {} from {} to {} {}",
            point_label(curve, index),
            axis_number(before),
            axis_number(value),
            curve.unit
        )),
    })
}

/// The top of a curve's value axis: room to drag above the highest point.
pub fn top(curve: &Curve) -> f64 {
    let hi = curve.points.iter().map(|p| p.1).fold(0.0, f64::max);
    if curve.unit.starts_with('%') {
        100.0
    } else {
        nice_top((hi * 1.5).max(1.0))
    }
}

/// The keyboard step: about a fiftieth of the axis, a round number.
pub fn step(top: f64) -> f64 {
    let raw = (top / 50.0).max(0.01);
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|s| *s >= raw - 1e-12)
        .unwrap_or(10.0 * p)
}

/// The x axis: a day for daily shapes, the points' span (at least a day) otherwise.
pub fn x_max(curve: &Curve) -> f64 {
    match curve.shape {
        Shape::Daily | Shape::Value => 86_400.0,
        Shape::Points => curve.points.last().map_or(86_400.0, |p| p.0.max(86_400.0)),
    }
}

// Drawing geometry (SVG user units; the stylesheet scales the SVG to its column, keeping its
// aspect ratio so that points stay round).
const W: f64 = 420.0;
const H: f64 = 130.0;
const LEFT: f64 = 46.0;
const RIGHT: f64 = 14.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 22.0;

fn px(t: f64, x_max: f64) -> f64 {
    LEFT + (W - LEFT - RIGHT) * (t / x_max.max(1.0)).clamp(0.0, 1.0)
}

fn py(v: f64, top: f64) -> f64 {
    H - BOTTOM - (H - TOP - BOTTOM) * (v / top.max(1e-9)).clamp(0.0, 1.0)
}

/// Where a point is drawn: a value on its own sits mid-axis.
fn point_x(curve: &Curve, i: usize, x_max: f64) -> f64 {
    match curve.shape {
        Shape::Value => px(x_max / 2.0, x_max),
        _ => px(curve.points.get(i).map_or(0.0, |p| p.0), x_max),
    }
}

/// The polyline through the points as the simulation reads them: a daily shape comes back
/// to its first value at 24:00, points hold before the first and after the last.
pub fn polyline(curve: &Curve, values: &[f64], top: f64) -> String {
    let xm = x_max(curve);
    let mut pts: Vec<(f64, f64)> = Vec::new();
    match curve.shape {
        Shape::Value => {
            let v = values.first().copied().unwrap_or(0.0);
            pts.push((0.0, v));
            pts.push((xm, v));
        }
        Shape::Daily => {
            for (i, p) in curve.points.iter().enumerate() {
                pts.push((p.0, values.get(i).copied().unwrap_or(p.1)));
            }
            pts.push((xm, values.first().copied().unwrap_or(0.0)));
        }
        Shape::Points => {
            if let Some(first) = values.first() {
                pts.push((0.0, *first));
            }
            for (i, p) in curve.points.iter().enumerate() {
                pts.push((p.0, values.get(i).copied().unwrap_or(p.1)));
            }
            if let Some(last) = values.last() {
                pts.push((xm, *last));
            }
        }
    }
    pts.iter()
        .map(|(t, v)| format!("{:.1},{:.1}", px(*t, xm), py(*v, top)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A point being changed: which curve and point, its value now, and (pointer drags) where
/// the pointer went down and the value then.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Draft {
    curve: usize,
    point: usize,
    value: f64,
    pointer: Option<(i32, f64, f64)>,
}

#[component]
pub fn LoadCurves() -> impl IntoView {
    let store = use_store();
    let plan = store.plan();
    let all = Memo::new(move |_| plan.with(curves));
    // Drawn again only when the curves themselves change (which service and series, their
    // shape and number of points), not their values: a point's edit keeps its element, and
    // so the keyboard focus.
    let layout = Memo::new(move |_| {
        all.with(|c| {
            c.iter()
                .map(|c| (c.service.clone(), c.unit, c.shape, c.points.len()))
                .collect::<Vec<_>>()
        })
    });
    let draft: RwSignal<Option<Draft>> = RwSignal::new(None);
    view! {
        <section class="load-curves" aria-labelledby="load-curves-title" data-testid="load-curves">
            <h3 id="load-curves-title">"Load"</h3>
            <p class="hint" id="load-curves-hint">
                "Drag a point up or down to change the load; or focus a curve, choose a point with ←/→, change it with ↑/↓ (Shift: ×10), Enter to apply, Escape to cancel. The simulation runs again."
            </p>
            {move || {
                let n = layout.with(Vec::len);
                if n == 0 {
                    return view! {
                        <p class="hint">
                            "This plan has no workload: without load, target tracking and step scaling have no data to act on."
                        </p>
                    }
                    .into_any();
                }
                (0..n)
                    .map(|i| view! { <CurveView all index=i draft /> })
                    .collect_view()
                    .into_any()
            }}
        </section>
    }
}

/// Focuses an element (an SVG point: `SVGElement.focus`, called through JS so that no
/// other web-sys feature is needed).
fn focus(el: &web_sys::Element) {
    if let Some(f) = js_sys::Reflect::get(el, &"focus".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    {
        let _ = f.call0(el);
    }
}

/// Reads the point index from an element's `data-index`.
fn index_of(el: &web_sys::Element) -> Option<usize> {
    el.get_attribute("data-index")?.parse().ok()
}

#[component]
fn CurveView(all: Memo<Vec<Curve>>, index: usize, draft: RwSignal<Option<Draft>>) -> impl IntoView {
    let store = use_store();
    let curve = move || all.with(|c| c.get(index).cloned());
    let Some(c0) = curve() else {
        return ().into_any();
    };
    let title = format!("{}: {}", c0.service, c0.unit);
    // The focused point (roving tab stop).
    let current = RwSignal::new(0usize);
    let values = move || {
        let Some(c) = curve() else { return Vec::new() };
        let mut v: Vec<f64> = c.points.iter().map(|p| p.1).collect();
        if let Some(d) = draft.get().filter(|d| d.curve == index) {
            if let Some(x) = v.get_mut(d.point) {
                *x = d.value;
            }
        }
        v
    };
    // The axis stays as it was while a point moves.
    let axis_top = Memo::new(move |_| all.with(|c| c.get(index).map_or(1.0, top)));
    let commit = move || {
        let Some(d) = draft.get_untracked().filter(|d| d.curve == index) else {
            return;
        };
        draft.set(None);
        if let Some(e) =
            all.with_untracked(|c| c.get(index).and_then(|c| edit_for(c, d.point, d.value)))
        {
            store.execute(Command::Edit(e));
        }
    };
    let set_value = move |point: usize, value: f64| {
        let unit = all.with_untracked(|c| c.get(index).map_or("", |c| c.unit));
        let value = clean_value(value.min(axis_top.get_untracked()), unit);
        draft.update(|d| match d {
            Some(d) if d.curve == index && d.point == point => d.value = value,
            _ => {
                *d = Some(Draft {
                    curve: index,
                    point,
                    value,
                    pointer: None,
                })
            }
        });
    };
    let focus_point = move |svg: &web_sys::Element, i: usize| {
        if let Ok(Some(el)) = svg.query_selector(&format!("[data-index=\"{i}\"]")) {
            focus(&el);
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let Some(i) = index_of(&el) else { return };
        let Some(c) = curve() else { return };
        let n = c.points.len();
        let now = draft
            .get_untracked()
            .filter(|d| d.curve == index && d.point == i)
            .map_or_else(|| c.points.get(i).map_or(0.0, |p| p.1), |d| d.value);
        let s = step(axis_top.get_untracked()) * if ev.shift_key() { 10.0 } else { 1.0 };
        match ev.key().as_str() {
            "ArrowUp" => set_value(i, now + s),
            "ArrowDown" => set_value(i, now - s),
            "ArrowLeft" | "ArrowRight" => {
                let next = if ev.key() == "ArrowLeft" {
                    i.saturating_sub(1)
                } else {
                    (i + 1).min(n.saturating_sub(1))
                };
                // Moving on leaves an uncommitted change behind: put it back.
                if draft.get_untracked().is_some_and(|d| d.curve == index) {
                    draft.set(None);
                }
                current.set(next);
                if let Some(svg) = el.closest("svg").ok().flatten() {
                    focus_point(&svg, next);
                }
            }
            "Home" | "End" => {
                let next = if ev.key() == "Home" {
                    0
                } else {
                    n.saturating_sub(1)
                };
                current.set(next);
                if let Some(svg) = el.closest("svg").ok().flatten() {
                    focus_point(&svg, next);
                }
            }
            "Enter" => commit(),
            "Escape" => draft.set(None),
            _ => return,
        }
        ev.prevent_default();
        ev.stop_propagation();
    };
    let on_down = move |ev: leptos::ev::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let Some(i) = index_of(&el) else { return };
        let Some(c) = curve() else { return };
        let v = c.points.get(i).map_or(0.0, |p| p.1);
        // Value units per CSS pixel: the drawn SVG may be scaled.
        let Some(svg) = el.closest("svg").ok().flatten() else {
            return;
        };
        let h = svg.get_bounding_client_rect().height();
        if h <= 0.0 {
            return;
        }
        let per_px = axis_top.get_untracked() / ((H - TOP - BOTTOM) * h / H);
        let _ = el.set_pointer_capture(ev.pointer_id());
        ev.prevent_default();
        current.set(i);
        draft.set(Some(Draft {
            curve: index,
            point: i,
            value: v,
            pointer: Some((ev.pointer_id(), ev.client_y() as f64, per_px)),
        }));
    };
    let on_move = move |ev: leptos::ev::PointerEvent| {
        let Some(d) = draft.get_untracked().filter(|d| d.curve == index) else {
            return;
        };
        let Some((id, y0, per_px)) = d.pointer else {
            return;
        };
        if ev.pointer_id() != id {
            return;
        }
        let start = all.with_untracked(|c| {
            c.get(index)
                .and_then(|c| c.points.get(d.point))
                .map_or(0.0, |p| p.1)
        });
        let raw = start + (y0 - ev.client_y() as f64) * per_px;
        // Pointer values snap to the keyboard's step.
        let s = step(axis_top.get_untracked());
        let unit = all.with_untracked(|c| c.get(index).map_or("", |c| c.unit));
        let value = clean_value(((raw / s).round() * s).min(axis_top.get_untracked()), unit);
        draft.update(|x| {
            if let Some(x) = x {
                x.value = value;
            }
        });
    };
    let on_up = move |ev: leptos::ev::PointerEvent| {
        let pointer = draft
            .get_untracked()
            .filter(|d| d.curve == index)
            .and_then(|d| d.pointer);
        if pointer.is_some_and(|(id, _, _)| id == ev.pointer_id()) {
            commit();
        }
    };
    let on_cancel = move |_: leptos::ev::PointerEvent| {
        if draft.get_untracked().is_some_and(|d| d.curve == index) {
            draft.set(None);
        }
    };
    let line = move || {
        let v = values();
        curve().map(|c| polyline(&c, &v, axis_top.get()))
    };
    // While a point moves: its value next to it (what Enter or letting go would apply).
    let readout = move || {
        let d = draft.get().filter(|d| d.curve == index)?;
        let c = all.with(|c| c.get(index).cloned())?;
        let x = point_x(&c, d.point, x_max(&c));
        let y = py(d.value, axis_top.get());
        let anchor = if x > W * 0.8 { "end" } else { "start" };
        let dx = if anchor == "end" { -9.0 } else { 9.0 };
        Some(view! {
            <text class="load-readout" x=x + dx y=(y - 8.0).max(TOP + 10.0) text-anchor=anchor data-testid="load-readout">
                {format!("{} {}", axis_number(d.value), c.unit)}
            </text>
        })
    };
    let grid = move || {
        let t = axis_top.get();
        let xm = curve().map_or(86_400.0, |c| x_max(&c));
        let ys = [0.0, t / 2.0, t].into_iter().map(|v| {
            let y = py(v, t);
            view! {
                <g class="load-grid">
                    <line x1=LEFT x2=W - RIGHT y1=y y2=y />
                    <text x=LEFT - 6.0 y=y + 4.0 text-anchor="end">{axis_number(v)}</text>
                </g>
            }
        });
        let xs = (0..=4).map(move |k| {
            let t = xm * k as f64 / 4.0;
            view! {
                <text class="load-x" x=px(t, xm) y=H - 6.0 text-anchor="middle">{axis_time(t)}</text>
            }
        });
        view! {
            {ys.collect_view()}
            {xs.collect_view()}
        }
    };
    let value_of = move |i: usize| values().get(i).copied().unwrap_or(0.0);
    let points = move || {
        let Some(c) = all.with_untracked(|c| c.get(index).cloned()) else {
            return Vec::new();
        };
        (0..c.points.len())
            .map(|i| {
                let label = format!("{} {} at {}", c.service, c.unit, point_label(&c, i));
                let unit = c.unit;
                let cx =
                    move || all.with(|a| a.get(index).map_or(0.0, |c| point_x(c, i, x_max(c))));
                let changing =
                    move || draft.with(|d| d.is_some_and(|d| d.curve == index && d.point == i));
                view! {
                    <circle
                        class="load-point"
                        class:changing=changing
                        data-testid="load-point"
                        data-service=c.service.clone()
                        data-index=i.to_string()
                        data-value=move || value_of(i).to_string()
                        cx=cx
                        cy=move || py(value_of(i), axis_top.get())
                        r="5"
                        role="slider"
                        tabindex=move || if current.get() == i { "0" } else { "-1" }
                        aria-label=label
                        aria-valuemin="0"
                        aria-valuemax=move || axis_number(axis_top.get())
                        aria-valuenow=move || value_of(i).to_string()
                        aria-valuetext=move || format!("{} {unit}", axis_number(value_of(i)))
                        aria-describedby="load-curves-hint"
                    ></circle>
                }
            })
            .collect::<Vec<_>>()
    };
    view! {
        <figure class="load-curve" data-testid="load-curve" data-service=c0.service.clone() data-unit=c0.unit>
            <figcaption>{title}</figcaption>
            <svg
                class="load-svg"
                viewBox=format!("0 0 {W} {H}")
                on:pointerdown=on_down
                on:pointermove=on_move
                on:pointerup=on_up
                on:pointercancel=on_cancel
                on:keydown=on_key
            >
                {grid}
                <polyline class="load-line" points=line fill="none"></polyline>
                {points}
                {readout}
            </svg>
        </figure>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        crate::persist::default_plan()
    }

    #[test]
    fn the_sample_plan_has_a_daily_curve_per_service() {
        let c = curves(&plan());
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].service, "web");
        assert_eq!(c[0].unit, "requests/s");
        assert_eq!(c[0].shape, Shape::Daily);
        assert_eq!(c[0].points.len(), 24);
        assert_eq!(c[0].points[9], (9.0 * 3600.0, 260.0));
        assert_eq!(c[1].path, ["queue", "messagesPerSecond"]);
        assert_eq!(point_label(&c[0], 9), "09:00");
        assert_eq!(top(&c[0]), 1000.0);
        assert_eq!(step(1000.0), 20.0);
        assert_eq!(step(100.0), 2.0);
        assert_eq!(step(10.0), 0.2);
    }

    #[test]
    fn moving_a_point_is_an_edit_the_engine_accepts_and_undo_is_the_plan_before() {
        let p = plan();
        let c = &curves(&p)[0];
        assert_eq!(edit_for(c, 9, 260.0), None, "no change, no edit");
        let e = edit_for(c, 9, 520.004).unwrap();
        assert_eq!(
            e.describe(),
            "moved 09:00 from 260 to 520 requests/s (load of web)"
        );
        let q = engine::api::edit::apply(&p, &e).unwrap();
        let after = curves(&q);
        assert_eq!(after[0].points[9].1, 520.0);
        // Only that point changed; the other service's load stays.
        assert_eq!(after[0].points[10], c.points[10]);
        assert_eq!(after[1], curves(&p)[1]);
        assert_eq!(
            q.workload.as_ref().unwrap()["services"]["web"]["requestsPerTaskAt100Percent"],
            100
        );
    }

    #[test]
    fn points_and_values_move_too_and_odd_values_are_cleaned() {
        let load = serde_json::json!({
            "requestsPerSecond": { "points": [{"t": 0, "value": 50}, {"t": 7200, "value": 500}] }
        });
        let c = Curve {
            service: "web".into(),
            path: vec!["requestsPerSecond"],
            shape: Shape::Points,
            points: vec![(0.0, 50.0), (7200.0, 500.0)],
            unit: "requests/s",
            load,
        };
        let v = with_point(&c, 1, 640.0).unwrap();
        assert_eq!(v["requestsPerSecond"]["points"][1]["value"], 640.0);
        assert_eq!(point_label(&c, 1), "+2h");
        assert!(with_point(&c, 5, 1.0).is_none(), "no such point");
        assert_eq!(clean_value(-3.0, "requests/s"), 0.0);
        assert_eq!(clean_value(f64::NAN, "requests/s"), 0.0);
        assert_eq!(clean_value(130.0, "% CPU"), 100.0);
        assert_eq!(clean_value(1.23456, "messages/s"), 1.23);
        let flat = series_points(&serde_json::json!({ "value": 70 })).unwrap();
        assert_eq!(flat, (Shape::Value, vec![(0.0, 70.0)]));
        assert!(series_points(&serde_json::json!({ "points": [] })).is_none());
        let line = polyline(&c, &[50.0, 500.0], 1000.0);
        assert_eq!(line.split(' ').count(), 4, "{line}");
    }
}
