//! The Gantt view of a run: one row per task, old and new deployments grouped, each task's
//! states as bars over time (a pattern and a word per state, and a legend: never colour
//! alone), a cursor at the scrubbed second; a click on a track seeks there.
//!
//! The rows are built once per run as one HTML string (a few hundred tasks, several bars
//! each); only the cursor follows the scrubber.

use std::fmt::Write as _;

use engine::api::sim::{EventKind, SimEvent, TaskLife, TaskState, Timeline};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::events::Clock;
use super::moment_board::{state_class, state_name};
use super::{escape, use_time, Run};
use engine::api::sort::sort_by_key;

/// At most this many rows are drawn.
pub const MAX_ROWS: usize = 400;

/// A group of rows: one deployment of one service.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub service: String,
    pub deployment: u32,
    pub task_definition: String,
    /// The newest deployment of its service.
    pub new: bool,
    /// Indices into the timeline's tasks.
    pub tasks: Vec<usize>,
}

/// The tasks to show, grouped by service and deployment (old before new). A deployment run
/// shows only the deployed service.
pub fn groups(tl: &Timeline, only: Option<&str>) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for (k, t) in tl.tasks.iter().enumerate() {
        if only.is_some_and(|s| s != &*t.service) {
            continue;
        }
        match out
            .iter_mut()
            .find(|g| *g.service == *t.service && g.deployment == t.deployment)
        {
            Some(g) => g.tasks.push(k),
            None => out.push(Group {
                service: t.service.to_string(),
                deployment: t.deployment,
                task_definition: t.task_definition.to_string(),
                new: false,
                tasks: vec![k],
            }),
        }
    }
    // Services in order of first appearance, deployments in order.
    let services: Vec<String> = {
        let mut v: Vec<String> = Vec::new();
        for g in &out {
            if !v.contains(&g.service) {
                v.push(g.service.clone());
            }
        }
        v
    };
    sort_by_key(&mut out, |g| {
        (services.iter().position(|s| *s == g.service), g.deployment)
    });
    for s in &services {
        if let Some(newest) = out
            .iter()
            .filter(|g| &g.service == s)
            .map(|g| g.deployment)
            .max()
        {
            for g in out.iter_mut().filter(|g| &g.service == s) {
                g.new = g.deployment == newest;
            }
        }
    }
    out
}

/// The deployments the circuit breaker failed, as (service, deployment), from the engine's
/// events.
pub fn failed_deployments(events: &[SimEvent]) -> Vec<(String, u32)> {
    events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::DeploymentFailed { deployment } => {
                Some((e.service.as_deref()?.to_string(), deployment))
            }
            _ => None,
        })
        .collect()
}

/// A bar: `[from, to)` seconds in `state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bar {
    pub from: u32,
    pub to: u32,
    pub state: TaskState,
}

/// A task's bars up to `duration`: each state until the next; STOPPED ends the row.
pub fn bars(life: &TaskLife, duration: u32) -> Vec<Bar> {
    let mut out = Vec::new();
    for (k, &(from, state)) in life.states.iter().enumerate() {
        if state == TaskState::Stopped || from >= duration {
            break;
        }
        let to = life
            .states
            .get(k + 1)
            .map_or(duration, |n| n.0)
            .min(duration);
        if to > from {
            out.push(Bar { from, to, state });
        }
    }
    out
}

/// Axis ticks: a round step giving at most eight.
pub fn ticks(duration: u32) -> Vec<u32> {
    const STEPS: [u32; 16] = [
        1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600,
    ];
    let step = STEPS
        .into_iter()
        .find(|s| duration / s < 8)
        .unwrap_or(43_200);
    (0..=duration / step).map(|k| k * step).collect()
}

fn pct(t: u32, duration: u32) -> f64 {
    t as f64 * 100.0 / duration.max(1) as f64
}

/// Where a task ran, short for the row's label (`i-0ab12 1a`, `Spot 1b`, `Fargate 1c`) and in
/// full for its title (`on i-0ab… (asg-provider) in eu-west-1a`, `on FARGATE_SPOT in
/// eu-west-1b`); a task never placed says which capacity provider it waited for.
pub fn where_of(life: &TaskLife) -> (String, String) {
    let cp = life.capacity_provider.as_deref();
    let az = life.availability_zone.as_deref();
    let short = match (&life.instance, cp) {
        (Some(i), _) => crate::labels::short_id(i),
        (None, Some("FARGATE_SPOT")) => "Spot".into(),
        (None, Some("FARGATE")) => "Fargate".into(),
        (None, Some(cp)) => cp.to_string(),
        // The EC2 launch type, never placed (Fargate tasks always have a provider).
        (None, None) => "not placed".into(),
    };
    let short = match az {
        Some(az) => format!("{short} {}", super::moment_board::zone_short(az)),
        None => short,
    };
    let on = match (&life.instance, cp) {
        (Some(i), Some(cp)) => format!("{i} ({cp})"),
        (Some(i), None) => i.to_string(),
        (None, Some(cp)) => cp.to_string(),
        (None, None) => String::new(),
    };
    let full = match az {
        Some(az) => format!("on {on} in {az}"),
        None if cp.is_some() => format!("never placed: waited for {on}"),
        None => "never placed".into(),
    };
    (short, full)
}

/// Every group and row as HTML.
pub fn gantt_html(run: &Run, clock: &Clock) -> (String, usize) {
    let tl = run.index.timeline();
    let duration = run.duration();
    let only = run.deployed.as_ref().map(|d| d.service.as_str());
    let rolled_back = run
        .deployed
        .as_ref()
        .is_some_and(|d| d.outcome == engine::api::sim::DeployOutcome::RolledBack);
    let failed = failed_deployments(&tl.events);
    let mut out = String::new();
    let mut rows = 0;
    let mut total = 0;
    for g in groups(tl, only) {
        total += g.tasks.len();
        if rows >= MAX_ROWS {
            continue;
        }
        let age = if g.new { "new" } else { "old" };
        let failed = failed
            .iter()
            .any(|(svc, d)| *svc == g.service && *d == g.deployment);
        let title = format!(
            "{} tasks of {}: deployment {} ({}){}",
            if failed {
                "Failed"
            } else if g.new {
                "New"
            } else {
                "Old"
            },
            g.service,
            g.deployment,
            g.task_definition,
            if g.new && rolled_back {
                ", the rollback"
            } else {
                ""
            }
        );
        let _ = write!(
            out,
            "<li class=\"gantt-group {age}\" data-testid=\"gantt-group\" data-new=\"{}\" data-deployment=\"{}\"><h4 class=\"gantt-group-title\">{} <span class=\"count\">{}</span></h4><ul class=\"gantt-rows\">",
            g.new,
            g.deployment,
            escape(&title),
            g.tasks.len()
        );
        for &k in &g.tasks {
            if rows >= MAX_ROWS {
                break;
            }
            rows += 1;
            let life = &tl.tasks[k];
            let start = life.states.first().map_or(0, |s| s.0);
            let summary: Vec<String> = life
                .states
                .iter()
                .map(|(t, s)| format!("{} at {}", state_name(*s), clock.at(*t)))
                .collect();
            let (where_, full) = where_of(life);
            let _ = write!(
                out,
                "<li class=\"gantt-row {age}\" data-testid=\"gantt-row\" data-task-id=\"{}\" data-new=\"{}\" data-start=\"{start}\" data-capacity-provider=\"{}\" data-az=\"{}\"><span class=\"gantt-label\" title=\"{} {}\">{}<span class=\"gantt-where\">{}</span></span><span class=\"visually-hidden\">: {}, {}.</span><span class=\"gantt-track\" aria-hidden=\"true\">",
                escape(&life.task),
                g.new,
                escape(life.capacity_provider.as_deref().unwrap_or_default()),
                escape(life.availability_zone.as_deref().unwrap_or_default()),
                escape(&life.task),
                escape(&full),
                escape(&life.task),
                escape(&where_),
                escape(&full),
                escape(&summary.join(", ")),
            );
            for b in bars(life, duration) {
                let _ = write!(
                    out,
                    "<span class=\"gantt-bar {}\" data-state=\"{}\" style=\"left:{:.3}%;width:{:.3}%\" title=\"{}: {} from {} to {}\"><span class=\"bar-label\">{}</span></span>",
                    state_class(b.state),
                    state_name(b.state),
                    pct(b.from, duration),
                    pct(b.to - b.from, duration),
                    escape(&life.task),
                    state_name(b.state),
                    clock.at(b.from),
                    clock.at(b.to),
                    state_name(b.state),
                );
            }
            out.push_str("</span></li>");
        }
        out.push_str("</ul></li>");
    }
    (out, total)
}

const LEGEND: [TaskState; 6] = [
    TaskState::Provisioning,
    TaskState::Pending,
    TaskState::Activating,
    TaskState::Running,
    TaskState::Deactivating,
    TaskState::Stopping,
];

/// The second a click at `x` (client px) on a track means.
fn seek_target(ev: &leptos::ev::MouseEvent, duration: u32) -> Option<u32> {
    let el = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let row = el.closest(".gantt-row").ok()??;
    let track = row.query_selector(".gantt-track").ok()??;
    // A click on the label goes to the task's start.
    if el.closest(".gantt-label").ok().flatten().is_some() {
        return row.get_attribute("data-start")?.parse().ok();
    }
    let r = track.get_bounding_client_rect();
    if r.width() <= 0.0 {
        return None;
    }
    let f = ((ev.client_x() as f64 - r.left()) / r.width()).clamp(0.0, 1.0);
    Some((f * duration as f64).round() as u32)
}

/// The Gantt of the run on screen.
#[component]
pub fn Gantt() -> impl IntoView {
    let time = use_time();
    let built = Memo::new(move |_| {
        time.run.with(|r| {
            r.as_ref().map(|r| {
                let clock = r.0.clone_clock();
                let (html, total) = gantt_html(&r.0, &clock);
                let axis: Vec<(f64, String)> = ticks(r.0.duration())
                    .into_iter()
                    .map(|t| (pct(t, r.0.duration()), clock.at(t)))
                    .collect();
                (html, total, axis, r.0.duration())
            })
        })
    });
    let cursor = move || {
        let t = time.t.get();
        let d = built.with(|b| b.as_ref().map_or(1, |b| b.3));
        // A transform moves the cursor on its own layer: the bars under it are not repainted.
        format!("transform: translateX({:.4}%)", pct(t.min(d), d))
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(d) = built.with_untracked(|b| b.as_ref().map(|b| b.3)) else {
            return;
        };
        if let Some(t) = seek_target(&ev, d) {
            time.playing.set(false);
            time.seek(t);
        }
    };
    view! {
        {move || {
            built
                .get()
                .map(|(html, total, axis, _)| {
                    let shown = total.min(MAX_ROWS);
                    view! {
                        <section class="gantt" data-testid="gantt" aria-labelledby="gantt-title" aria-describedby="gantt-hint">
                            <h3 id="gantt-title">"Tasks over time " <span class="count">{total}</span></h3>
                            <p class="hint" id="gantt-hint">
                                {if shown < total {
                                    format!("The first {shown} of {total} tasks. ")
                                } else {
                                    String::new()
                                }}
                                "Click a track to go to that moment (the scrubber does it with the keyboard)."
                            </p>
                            <ul class="gantt-legend" aria-label="Task states">
                                {LEGEND
                                    .iter()
                                    .map(|s| {
                                        view! {
                                            <li>
                                                <span class=format!("gantt-swatch {}", state_class(*s)) aria-hidden="true"></span>
                                                {state_name(*s)}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                            <div class="gantt-body" on:click=on_click>
                                <div class="gantt-axis" aria-hidden="true">
                                    {axis
                                        .into_iter()
                                        .map(|(p, label)| {
                                            view! { <span class="gantt-tick" style=format!("left: {p:.3}%")>{label}</span> }
                                        })
                                        .collect_view()}
                                </div>
                                <ul class="gantt-groups" inner_html=html></ul>
                                <div class="gantt-overlay" aria-hidden="true">
                                    <div class="gantt-cursor" data-testid="gantt-cursor" style=cursor></div>
                                </div>
                            </div>
                        </section>
                    }
                })
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::api::placement::PlaceOptions;
    use engine::api::sim::{deploy, DeployRequest};

    #[test]
    fn bars_end_at_stopped_and_ticks_are_round() {
        let life = TaskLife {
            task: "web-5".into(),
            service: "web".into(),
            task_definition: "web:2".into(),
            deployment: 2,
            instance: None,
            capacity_provider: None,
            availability_zone: None,
            states: vec![
                (10, TaskState::Provisioning),
                (10, TaskState::Pending),
                (40, TaskState::Running),
                (100, TaskState::Stopping),
                (130, TaskState::Stopped),
            ],
        };
        let b = bars(&life, 600);
        assert_eq!(
            b.iter().map(|b| (b.from, b.to)).collect::<Vec<_>>(),
            [(10, 40), (40, 100), (100, 130)]
        );
        assert_eq!(bars(&life, 50).last().map(|b| b.to), Some(50));
        assert_eq!(ticks(400), [0, 60, 120, 180, 240, 300, 360]);
        assert_eq!(ticks(86_400).len(), 5);
        assert_eq!(ticks(0), [0]);
    }

    #[test]
    fn a_row_names_its_capacity_provider_and_zone() {
        let life = |instance: Option<&str>, cp: Option<&str>, az: Option<&str>| TaskLife {
            task: "api-7".into(),
            service: "api".into(),
            task_definition: "api:1".into(),
            deployment: 1,
            instance: instance.map(Into::into),
            capacity_provider: cp.map(Into::into),
            availability_zone: az.map(Into::into),
            states: vec![(0, TaskState::Running)],
        };
        let (short, full) = where_of(&life(None, Some("FARGATE_SPOT"), Some("eu-west-1b")));
        assert_eq!(short, "Spot 1b");
        assert_eq!(full, "on FARGATE_SPOT in eu-west-1b");
        let (short, full) = where_of(&life(None, Some("FARGATE"), Some("eu-west-1c")));
        assert_eq!(
            (short.as_str(), full.as_str()),
            ("Fargate 1c", "on FARGATE in eu-west-1c")
        );
        let (_, full) = where_of(&life(Some("i-0abc"), Some("asg-cp"), Some("eu-west-1a")));
        assert_eq!(full, "on i-0abc (asg-cp) in eu-west-1a");
        let (_, full) = where_of(&life(None, Some("FARGATE_SPOT"), None));
        assert_eq!(full, "never placed: waited for FARGATE_SPOT");
    }

    #[test]
    fn failed_deployments_are_read_from_their_events() {
        let ev = |kind: EventKind, message: &str| SimEvent {
            t: 60,
            kind,
            service: Some("web".into()),
            task: None,
            instance: None,
            message: message.into(),
        };
        let f = failed_deployments(&[
            ev(
                EventKind::DeploymentFailed { deployment: 2 },
                "deployment 2 FAILED: the circuit breaker counted 3",
            ),
            ev(EventKind::Stuck, "deployment 3 FAILED"),
            ev(EventKind::RollbackImpossible { failed: 4 }, "no rollback"),
        ]);
        assert_eq!(f, [("web".to_string(), 2)]);
    }

    #[test]
    fn a_deployment_has_old_and_new_groups_of_its_service() {
        let plan = crate::persist::default_plan();
        let r = deploy(
            &plan,
            &DeployRequest::new("web", None),
            &PlaceOptions::for_plan(&plan),
        )
        .unwrap();
        let g = groups(&r.timeline, Some("web"));
        assert_eq!(g.len(), 2, "{g:?}");
        assert!(!g[0].new && g[1].new);
        assert_eq!(g[0].tasks.len(), 4);
        let index = engine::api::sim::MomentIndex::new(&plan, r.timeline);
        let run = super::super::tests::run_of(&plan, index);
        let (html, total) = gantt_html(&run, &run.clone_clock());
        assert_eq!(total, g[0].tasks.len() + g[1].tasks.len());
        assert_eq!(html.matches("data-testid=\"gantt-row\"").count(), total);
        assert!(html.contains("data-state=\"RUNNING\""));
    }
}
