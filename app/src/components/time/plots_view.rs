//! The plots of a run: tasks (desired and running per service), CPU and memory utilisation,
//! CapacityProviderReservation, instances per capacity provider, and the cost so far.
//!
//! Each plot is drawn once per run (a memo on the run) into SVG text that goes into the page
//! as it is; the cursor at the scrubbed second is a separate element moved over it, so playing
//! or scrubbing never draws a plot again. Next to each plot a table names every series (its
//! colour and dash pattern) with its value at the cursor, lowest, highest and mean: the plot's
//! text alternative, and what the browser tests read. A click on a plot seeks there.

use std::sync::Arc;

use engine::api::sim::{CostPoint, Timeline};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{use_time, Run};
use crate::plots::{
    self, changes_only, line_chart, Chart, ChartSpec, Line, Stroke, BLUE, GREEN, GREY, MARKERS,
    ORANGE, PURPLE, RED,
};
use crate::web;

/// Drawn size of a plot (the stylesheet scales it to the column).
const WIDTH: u32 = 420;
const HEIGHT: u32 = 160;

/// One colour per service or capacity provider, in plan order.
const COLOURS: [(u8, u8, u8); 6] = [BLUE, ORANGE, GREEN, PURPLE, RED, GREY];

/// Dash patterns cycle with the colours, so two series never differ by colour alone.
const STROKES: [Stroke; 3] = [Stroke::Solid, Stroke::Dashed, Stroke::Dotted];

/// A part of the cost: name, value, colour, dash.
type CostPart = (&'static str, fn(&CostPoint) -> f64, (u8, u8, u8), Stroke);

/// How a plot's values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    Percent,
    Usd,
}

impl Unit {
    pub fn format(self, v: f64) -> String {
        match self {
            Unit::Count => format!("{v:.0}"),
            Unit::Percent => format!("{v:.1} %"),
            Unit::Usd => format!("${v:.2}"),
        }
    }

    /// The mean of a count is not a count.
    pub fn format_mean(self, v: f64) -> String {
        match self {
            Unit::Count => format!("{v:.2}"),
            u => u.format(v),
        }
    }
}

/// A plot to draw: what it is and its series.
#[derive(Debug, Clone, PartialEq)]
pub struct PlotSpec {
    /// A stable id (`data-plot`): tasks, cpu, memory, reservation, instances, cost.
    pub id: &'static str,
    pub title: &'static str,
    /// One sentence on what it shows (the figure's description).
    pub about: &'static str,
    pub unit: Unit,
    pub spec: ChartSpec,
}

/// A drawn plot.
#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    pub plot: PlotSpec,
    pub chart: Chart,
    /// Fingerprint of the data (`data-sig`).
    pub sig: String,
}

fn chart(width: u32, x_max: f64, unit: &str, y_min_top: f64, lines: Vec<Line>) -> ChartSpec {
    ChartSpec {
        x_start: None,
        width,
        height: HEIGHT,
        x_max,
        y_min_top,
        y_unit: unit.to_string(),
        y2_unit: String::new(),
        lines,
    }
}

fn style(line: Line, i: usize) -> Line {
    let s = STROKES[i % STROKES.len()];
    Line {
        colour: COLOURS[i % COLOURS.len()],
        ..line
    }
    .stroke(s)
    .marker(MARKERS[i % MARKERS.len()])
}

/// What to plot for a run: the tasks always; utilisation, capacity providers and cost when the
/// run simulated time (a deployment has no minute samples). `services`: names in plan order;
/// `start`: the instant second 0 stands for, when the time axis shows the wall clock.
pub fn plot_specs(
    timeline: &Timeline,
    cost: &[CostPoint],
    services: &[String],
    duration: u32,
    start: Option<i64>,
) -> Vec<PlotSpec> {
    let x_max = duration.max(1) as f64;
    let name = |i: usize| {
        services
            .get(i)
            .cloned()
            .or_else(|| timeline.services.get(i).map(|s| s.service.clone()))
            .unwrap_or_else(|| format!("service {}", i + 1))
    };
    let mut out = Vec::new();

    // Tasks: desired solid, running dashed, a colour per service.
    let mut lines = Vec::new();
    for (i, s) in timeline.services.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        let pts = |f: fn(&engine::api::sim::ServiceSample) -> u32| {
            changes_only(s.samples.iter().map(|x| (x.t as f64, f(x) as f64)))
        };
        let marker = MARKERS[i % MARKERS.len()];
        lines.push(
            Line::new(format!("{} desired", s.service), colour, pts(|x| x.desired))
                .steps()
                .marker(marker),
        );
        lines.push(
            Line::new(format!("{} running", s.service), colour, pts(|x| x.running))
                .steps()
                .stroke(Stroke::Dashed)
                .marker(marker),
        );
    }
    // A deployment: the old and the new deployment's healthy tasks of each service that
    // deployed (ServiceSample.old / .new), what minimumHealthyPercent protects.
    let deploying = timeline.minutes.is_empty();
    for (i, s) in timeline.services.iter().enumerate() {
        let deployed = s.samples.iter().any(|x| x.old.active > 0)
            && s.samples.iter().any(|x| x.new.active > 0);
        if !(deploying && deployed) {
            continue;
        }
        let colour = COLOURS[i % COLOURS.len()];
        let pts = |f: fn(&engine::api::sim::ServiceSample) -> u32| {
            changes_only(s.samples.iter().map(|x| (x.t as f64, f(x) as f64)))
        };
        lines.push(
            Line::new(
                format!("{} old running", s.service),
                colour,
                pts(|x| x.old.running),
            )
            .steps()
            .stroke(Stroke::Dotted)
            .marker(MARKERS[i % MARKERS.len()]),
        );
        lines.push(
            Line::new(
                format!("{} new running", s.service),
                colour,
                pts(|x| x.new.running),
            )
            .steps()
            .stroke(Stroke::DashDot)
            .marker(MARKERS[i % MARKERS.len()]),
        );
    }
    out.push(PlotSpec {
        id: "tasks",
        title: "Tasks",
        about: if deploying {
            "Desired (solid) and healthy running (dashed) tasks, a marker shape per service; of a service that deploys, the old (dotted) and the new deployment's (dash-dot) healthy tasks."
        } else {
            "Desired (solid) and healthy running (dashed) tasks, a marker shape per service."
        },
        unit: Unit::Count,
        spec: chart(WIDTH, x_max, "", 1.0, lines),
    });

    let minutes = &timeline.minutes;
    if !minutes.is_empty() {
        let n = minutes.iter().map(|m| m.services.len()).max().unwrap_or(0);
        for (id, title, about, memory) in [
            (
                "cpu",
                "CPU utilisation",
                "Average CPU utilisation of each service's running tasks, percent of their reservation (ECSServiceAverageCPUUtilization).",
                false,
            ),
            (
                "memory",
                "Memory utilisation",
                "Average memory utilisation of each service's running tasks, percent of their reservation (ECSServiceAverageMemoryUtilization).",
                true,
            ),
        ] {
            let lines = (0..n)
                .map(|i| {
                    let pts = minutes
                        .iter()
                        .filter_map(|m| {
                            let s = m.services.get(i)?;
                            Some((m.t as f64, if memory { s.memory } else { s.cpu }))
                        })
                        .collect();
                    style(Line::new(name(i), BLUE, pts), i)
                })
                .collect();
            out.push(PlotSpec {
                id,
                title,
                about,
                unit: Unit::Percent,
                spec: chart(WIDTH, x_max, "%", 100.0, lines),
            });
        }

        let mut providers: Vec<String> = Vec::new();
        for m in minutes {
            for p in &m.capacity_providers {
                if !providers.contains(&p.name) {
                    providers.push(p.name.clone());
                }
            }
        }
        if !providers.is_empty() {
            // Per provider: its points where `f` has a value (a provider without managed
            // scaling has no reservation).
            let series = |f: fn(&engine::api::sim::ProviderMinute) -> Option<f64>, step: bool| {
                providers
                    .iter()
                    .map(|p| {
                        let pts = minutes.iter().filter_map(|m| {
                            let v = m.capacity_providers.iter().find(|x| &x.name == p)?;
                            Some((m.t as f64, f(v)?))
                        });
                        if step {
                            changes_only(pts)
                        } else {
                            pts.collect()
                        }
                    })
                    .collect::<Vec<_>>()
            };
            let reservation = series(|p| p.reservation, false);
            let lines: Vec<_> = providers
                .iter()
                .zip(reservation)
                .enumerate()
                .filter(|(_, (_, pts))| !pts.is_empty())
                .map(|(i, (p, pts))| style(Line::new(p.clone(), BLUE, pts), i))
                .collect();
            // Only providers with managed scaling have the metric.
            if !lines.is_empty() {
                out.push(PlotSpec {
                    id: "reservation",
                    title: "CapacityProviderReservation",
                    about: "Each capacity provider's CapacityProviderReservation, the metric its managed scaling keeps at the target capacity.",
                    unit: Unit::Percent,
                    spec: chart(WIDTH, x_max, "%", 100.0, lines),
                });
            }
            let instances = series(|p| Some(p.instances as f64), true);
            let desired = series(|p| Some(p.desired as f64), true);
            let mut lines = Vec::new();
            for (i, (p, (inst, want))) in providers
                .iter()
                .zip(instances.into_iter().zip(desired))
                .enumerate()
            {
                let colour = COLOURS[i % COLOURS.len()];
                let marker = MARKERS[i % MARKERS.len()];
                lines.push(
                    Line::new(format!("{p} instances"), colour, inst)
                        .steps()
                        .marker(marker),
                );
                lines.push(
                    Line::new(format!("{p} group desired"), colour, want)
                        .steps()
                        .stroke(Stroke::Dashed)
                        .marker(marker),
                );
            }
            out.push(PlotSpec {
                id: "instances",
                title: "Instances",
                about: "Instances of each capacity provider (solid) and its Auto Scaling group's desired capacity (dashed), a marker shape per provider.",
                unit: Unit::Count,
                spec: chart(WIDTH, x_max, "", 1.0, lines),
            });
        }
    }

    if cost.len() > 1 {
        let pts = |f: fn(&CostPoint) -> f64| cost.iter().map(|c| (c.t as f64, f(c))).collect();
        let parts: [CostPart; 3] = [
            ("EC2", |c| c.ec2, BLUE, Stroke::Dashed),
            ("Fargate", |c| c.fargate, GREEN, Stroke::Dotted),
            ("Fargate Spot", |c| c.fargate_spot, ORANGE, Stroke::DashDot),
        ];
        let paid: Vec<CostPart> = parts
            .into_iter()
            .filter(|p| cost.last().is_some_and(|c| (p.1)(c) > 0.0))
            .collect();
        // One kind of capacity: its line would hide under the total's, so the total says it.
        let total = match paid.as_slice() {
            [(label, ..)] => format!("total (all {label})"),
            _ => "total".to_string(),
        };
        let mut lines = vec![Line::new(total, GREY, pts(|c| c.total))];
        if paid.len() > 1 {
            for (label, f, colour, stroke) in paid {
                lines.push(Line::new(label, colour, pts(f)).stroke(stroke));
            }
        }
        out.push(PlotSpec {
            id: "cost",
            title: "Cost so far",
            about: "What the run has cost from its start, USD (us-east-1 on-demand prices).",
            unit: Unit::Usd,
            spec: chart(WIDTH, x_max, "", 0.01, lines),
        });
    }
    for p in &mut out {
        p.spec.x_start = start;
    }
    out
}

/// Draws the plots of a run.
pub fn draw(run: &Run) -> Vec<Plot> {
    // A simulation reads the wall clock (as the scrubber does); a deployment, time since it
    // started.
    let start = (!run.scenario.is_deploy()).then_some(run.start);
    plot_specs(
        run.index.timeline(),
        &run.cost,
        &run.services,
        run.duration(),
        start,
    )
    .into_iter()
    .map(|plot| Plot {
        chart: line_chart(&plot.spec),
        sig: plots::fingerprint(&plot.spec.lines),
        plot,
    })
    .collect()
}

/// The plots of one run, compared by identity.
#[derive(Clone)]
struct Drawn {
    plots: Arc<Vec<Plot>>,
    duration: u32,
    ms: f64,
}

impl PartialEq for Drawn {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.plots, &other.plots)
    }
}

/// Where a click at `frac` of the plot's width seeks to.
pub fn seek_target(frac: f64, chart: &Chart, duration: u32) -> u32 {
    let span = chart.x1 - chart.x0;
    if span <= 0.0 || !frac.is_finite() {
        return 0;
    }
    let f = ((frac - chart.x0) / span).clamp(0.0, 1.0);
    (f * duration as f64).round() as u32
}

#[component]
pub fn PlotsView() -> impl IntoView {
    let time = use_time();
    let drawn = Memo::new(move |_| {
        time.run.with(|r| {
            r.as_ref().map(|r| {
                let t0 = web::now_ms();
                let plots = draw(&r.0);
                Drawn {
                    plots: Arc::new(plots),
                    duration: r.0.duration(),
                    ms: web::now_ms() - t0,
                }
            })
        })
    });
    let draw_ms = move || drawn.with(|d| d.as_ref().map(|d| format!("{:.1}", d.ms)));
    view! {
        <section
            class="time-plots"
            aria-labelledby="time-plots-title"
            data-testid="time-plots"
            data-draw-ms=draw_ms
        >
            <h3 id="time-plots-title">"Plots"</h3>
            {move || {
                let Some(d) = drawn.get() else {
                    return view! {
                        <p class="hint">"Run a simulation or a deployment to see its plots."</p>
                    }
                    .into_any();
                };
                d.plots
                    .iter()
                    .enumerate()
                    .map(|(i, _)| {
                        view! { <PlotFigure plots=d.plots.clone() index=i duration=d.duration /> }
                    })
                    .collect_view()
                    .into_any()
            }}
        </section>
    }
}

/// One plot with its cursor and its table.
#[component]
fn PlotFigure(plots: Arc<Vec<Plot>>, index: usize, duration: u32) -> impl IntoView {
    let time = use_time();
    let Some(p) = plots.get(index).cloned() else {
        return ().into_any();
    };
    let chart = p.chart.clone();
    let id = p.plot.id;
    let title_id = format!("plot-{id}-title");
    let about_id = format!("plot-{id}-about");
    let (labelled_by, described_by) = (title_id.clone(), about_id.clone());
    // The cursor spans the plot area and is moved by a transform of its own width (its left
    // border is the line): on a layer of its own, moving it repaints nothing of the plot.
    let cursor_box = format!(
        "left:{:.3}%;top:{:.3}%;height:{:.3}%;width:{:.3}%",
        chart.x0 * 100.0,
        chart.y0 * 100.0,
        (chart.y1 - chart.y0) * 100.0,
        (chart.x1 - chart.x0) * 100.0
    );
    let cursor_style = move || {
        let t = time.t.get().min(duration);
        let f = if duration == 0 {
            0.0
        } else {
            t as f64 / duration as f64
        };
        format!("{cursor_box};transform:translateX({:.4}%)", f * 100.0)
    };
    let on_click = {
        let c = chart.clone();
        move |ev: leptos::ev::MouseEvent| {
            let Some(el) = ev
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            else {
                return;
            };
            let r = el.get_bounding_client_rect();
            if r.width() <= 0.0 {
                return;
            }
            let frac = (ev.client_x() as f64 - r.left()) / r.width();
            time.seek(seek_target(frac, &c, duration));
        }
    };
    let unit = p.plot.unit;
    let x_max = p.plot.spec.x_max;
    let rows = p
        .plot
        .spec
        .lines
        .iter()
        .map(|l| {
            let (lo, hi) = plots::range(&l.points).unwrap_or((0.0, 0.0));
            let mean = plots::mean(&l.points, x_max, l.step).unwrap_or(0.0);
            let points = Arc::new(l.points.clone());
            let step = l.step;
            let at = move || {
                let t = time.t.get().min(duration) as f64;
                plots::value_at(&points, t, step)
                    .map_or_else(|| "–".to_string(), |v| unit.format(v))
            };
            view! {
                <tr
                    data-testid="plot-series"
                    data-name=l.name.clone()
                    data-min=lo.to_string()
                    data-max=hi.to_string()
                    data-mean=format!("{mean:.4}")
                >
                    <th scope="row">
                        <svg
                            class="swatch"
                            width="28"
                            height="10"
                            viewBox="0 0 28 10"
                            aria-hidden="true"
                            inner_html=plots::swatch_svg(l)
                        ></svg>
                        {l.name.clone()}
                    </th>
                    <td data-testid="plot-at">{at}</td>
                    <td>{unit.format(lo)}</td>
                    <td>{unit.format(hi)}</td>
                    <td>{unit.format_mean(mean)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure
            class="plot"
            data-testid="plot"
            data-plot=id
            data-sig=p.sig.clone()
            aria-labelledby=labelled_by
            aria-describedby=described_by
        >
            <figcaption>
                <span class="plot-title" id=title_id>{p.plot.title}</span>
                <span class="plot-about" id=about_id>{p.plot.about}</span>
            </figcaption>
            <div
                class="plot-frame"
                role="img"
                aria-label=format!("{}: plot; the table below lists its values", p.plot.title)
                title="Click to move the cursor here"
                on:click=on_click
            >
                <div class="plot-svg" inner_html=chart.svg.clone()></div>
                <div class="plot-cursor" aria-hidden="true" style=cursor_style></div>
            </div>
            <table class="plot-table">
                <thead>
                    <tr>
                        <th scope="col">"Series"</th>
                        <th scope="col">"At cursor"</th>
                        <th scope="col">"Lowest"</th>
                        <th scope="col">"Highest"</th>
                        <th scope="col">"Mean"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </figure>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::api::placement::PlaceOptions;
    use engine::api::sim::Progressive;

    fn day(name: &str) -> (Timeline, Vec<CostPoint>, Vec<String>) {
        let text = std::fs::read_to_string(format!(
            "{}/../public/plans/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let plan = engine::api::plan::load(&text).plan.unwrap();
        let opts = PlaceOptions::for_plan(&plan);
        let (tl, cost) = Progressive::new(&plan, 24 * 3600, &opts, 900).finish();
        let services = plan
            .services
            .iter()
            .map(|s| s.service_name.clone())
            .collect();
        (tl, cost, services)
    }

    #[test]
    fn a_simulated_day_has_every_plot_with_series_per_service_and_provider() {
        let (tl, cost, services) = day("two-az-web");
        let specs = plot_specs(&tl, &cost, &services, 86_400, Some(1_767_571_200));
        let ids: Vec<&str> = specs.iter().map(|s| s.id).collect();
        assert_eq!(
            ids,
            ["tasks", "cpu", "memory", "reservation", "instances", "cost"]
        );
        let names = |i: usize| -> Vec<String> {
            specs[i].spec.lines.iter().map(|l| l.name.clone()).collect()
        };
        assert_eq!(
            names(0),
            [
                "web desired",
                "web running",
                "worker desired",
                "worker running"
            ]
        );
        assert_eq!(names(1), ["web", "worker"]);
        assert_eq!(names(3), ["shop-ondemand"]);
        assert_eq!(names(5), ["total (all EC2)"]);
        // Series told apart without colour: no two lines of a plot share dash and marker.
        for s in &specs {
            let mut seen = Vec::new();
            for l in &s.spec.lines {
                let key = (l.stroke, l.marker);
                assert!(!seen.contains(&key), "{}: {}", s.id, l.name);
                seen.push(key);
            }
        }
        // web scales with its daily load: desired changes during the day.
        let web = &specs[0].spec.lines[0];
        let (lo, hi) = plots::range(&web.points).unwrap();
        assert!(hi > lo, "{:?}", web.points);
        // Drawing them all gives SVG with one path per series.
        let start = web_time();
        for s in &specs {
            let c = line_chart(&s.spec);
            assert_eq!(
                c.svg.matches("<path class=\"series\"").count(),
                s.spec.lines.iter().filter(|l| !l.points.is_empty()).count(),
                "{}",
                s.id
            );
            assert!(c.svg.len() < 60_000, "{}: {} bytes", s.id, c.svg.len());
        }
        eprintln!("drew {} plots in {:?}", specs.len(), start.elapsed());
    }

    #[test]
    fn a_fargate_day_has_its_cost_in_parts() {
        let (tl, cost, services) = day("fargate-spot");
        let specs = plot_specs(&tl, &cost, &services, 86_400, None);
        let ids: Vec<&str> = specs.iter().map(|s| s.id).collect();
        let cost = specs.iter().find(|s| s.id == "cost").expect("a cost plot");
        let names: Vec<&str> = cost.spec.lines.iter().map(|l| l.name.as_str()).collect();
        assert!(!ids.contains(&"reservation"), "{ids:?}");
        assert_eq!(names, ["total", "Fargate", "Fargate Spot"]);
    }

    fn web_time() -> std::time::Instant {
        std::time::Instant::now()
    }

    #[test]
    fn a_deployment_has_the_tasks_plot_only_and_clicks_seek_inside_the_plot_area() {
        let text = std::fs::read_to_string(format!(
            "{}/../public/plans/two-az-web.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let plan = engine::api::plan::load(&text).plan.unwrap();
        let opts = PlaceOptions::for_plan(&plan);
        let r = engine::api::sim::deploy(
            &plan,
            &engine::api::sim::DeployRequest::new("web", None),
            &opts,
        )
        .unwrap();
        let services: Vec<String> = plan
            .services
            .iter()
            .map(|s| s.service_name.clone())
            .collect();
        let specs = plot_specs(&r.timeline, &[], &services, r.duration_seconds, None);
        assert_eq!(specs.len(), 1);
        let names: Vec<&str> = specs[0]
            .spec
            .lines
            .iter()
            .map(|l| l.name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "web desired",
                "web running",
                "worker desired",
                "worker running",
                "web old running",
                "web new running"
            ]
        );
        // The old deployment's tasks go from 4 to 0, the new one's from 0 to 4.
        let ends = |i: usize| {
            let p = &specs[0].spec.lines[i].points;
            (p.first().map(|p| p.1), p.last().map(|p| p.1))
        };
        assert_eq!(ends(4), (Some(4.0), Some(0.0)));
        assert_eq!(ends(5).1, Some(4.0));
        let c = Chart {
            svg: String::new(),
            x0: 0.1,
            x1: 0.9,
            y0: 0.0,
            y1: 1.0,
        };
        assert_eq!(seek_target(0.5, &c, 1000), 500);
        assert_eq!(seek_target(0.0, &c, 1000), 0);
        assert_eq!(seek_target(0.95, &c, 1000), 1000);
        assert_eq!(seek_target(f64::NAN, &c, 1000), 0);
        assert_eq!(Unit::Percent.format(37.25), "37.2 %");
        assert_eq!(Unit::Usd.format(1.5), "$1.50");
        assert_eq!(Unit::Count.format_mean(4.5), "4.50");
    }
}
