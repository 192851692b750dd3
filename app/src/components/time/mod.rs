//! The time view: run a deployment or a simulated day in the engine, scrub through it, and see
//! the cluster, the events, the plots and the Gantt at the scrubbed moment; reshape the load
//! curve and attach scaling policies, and the simulation runs again.
//!
//! State ([`TimeUi`], in context): the scenario, the last run (the engine's timeline indexed
//! for moments, [`engine::api::sim::MomentIndex`]), the scrubbed second and whether it plays. The
//! run is view state derived from the plan: every change of the plan (an edit, undo, redo) runs
//! it again, so the timeline always belongs to the plan on screen. Only edits go to the store.
//!
//! The simulator runs in the engine worker's time lane ([`crate::worker::Lane::Time`], requests
//! `sim.day` and `sim.deploy`), not in the page: the page does not compile it in, and a long
//! day does not block the page; the worker reports every 15 simulated minutes (the progress
//! bar), Cancel ends the worker, and the page indexes the timeline it gets for its moments.

pub mod clock;
mod events;
mod fargate_chips;
mod gantt;
mod load_curve;
mod moment_board;
mod moment_lane;
mod plots_view;
mod policies;
mod transport;

use std::sync::Arc;

use engine::api::plan::Plan;
use engine::api::sim::{CostPoint, DeployOutcome, MomentIndex, Outline, Ran};
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::sim as sims;

use crate::store::{use_store, Store};
use crate::web;
use crate::worker::{self, Lane};

pub use moment_board::MomentBoard;

/// What to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scenario {
    /// A rolling (or blue/green) deployment of `service` to `to` (`family:revision`), or a
    /// forced new deployment of its task definition.
    Deploy { service: String, to: Option<String> },
    /// The plan over `hours` hours with its workload, auto scaling and capacity providers.
    Simulate { hours: u32 },
}

impl Scenario {
    pub fn describe(&self) -> String {
        match self {
            Scenario::Deploy { service, to: None } => {
                format!("a forced new deployment of {service}")
            }
            Scenario::Deploy {
                service,
                to: Some(to),
            } => format!("deploying {service} to {to}"),
            Scenario::Simulate { hours } => format!("{hours} simulated hours"),
        }
    }

    pub fn is_deploy(&self) -> bool {
        matches!(self, Scenario::Deploy { .. })
    }
}

/// How a deployment ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Deployed {
    pub outcome: DeployOutcome,
    pub reason: String,
    pub service: String,
    pub duration: u32,
}

/// A finished run.
pub struct Run {
    pub scenario: Scenario,
    /// The plan revision it was run on.
    pub revision: u64,
    pub index: MomentIndex,
    pub deployed: Option<Deployed>,
    /// The cost so far, every 15 minutes (simulations only).
    pub cost: Vec<CostPoint>,
    /// Time until the engine worker answered (simulation and sending the timeline), and from
    /// the start until the run was shown (reading and indexing the timeline too).
    pub compute_ms: f64,
    pub wall_ms: f64,
    /// Messages from the worker: its progress reports and the answer.
    pub slices: u32,
    /// The size of the worker's answer (JSON text), bytes.
    pub bytes: usize,
    /// The instant second 0 stands for (simulations read the clock from it).
    pub start: engine::api::plan::schedule::Instant,
    /// Task definition families in plan order (the colour of a task).
    pub families: Vec<String>,
    /// Service names in plan order.
    pub services: Vec<String>,
    /// The plan it ran on (the load curves and policies it shows).
    pub plan: Plan,
}

impl Run {
    pub fn duration(&self) -> u32 {
        self.index.timeline().duration
    }

    pub fn family_index(&self, task_definition: &str) -> usize {
        let family = task_definition
            .rsplit_once(':')
            .map_or(task_definition, |(f, _)| f);
        self.families.iter().position(|f| f == family).unwrap_or(0)
    }

    /// How a second of this run is written: `+3m 20s` for a deployment, `Mon 14:05` for a
    /// simulation (UTC, from the workload's start).
    pub fn clock(&self, t: u32) -> String {
        if self.scenario.is_deploy() {
            clock::elapsed(t)
        } else {
            clock::wall(self.start, t)
        }
    }
}

/// A run, compared by identity.
#[derive(Clone)]
pub struct RunRef(pub Arc<Run>);

impl PartialEq for RunRef {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// The time view's state.
#[derive(Clone, Copy)]
pub struct TimeUi {
    pub scenario: RwSignal<Scenario>,
    pub run: RwSignal<Option<RunRef>>,
    /// While a run is in the engine worker: (simulated seconds, of); (0, 0) for a deployment.
    pub progress: RwSignal<Option<(u32, u32)>>,
    /// Why the last run could not start (the engine's message).
    pub error: RwSignal<Option<String>>,
    /// What the last Cancel stopped ("the simulation of 24 simulated hours at 05:00").
    pub cancelled: RwSignal<Option<String>>,
    /// The scrubbed second.
    pub t: RwSignal<u32>,
    pub playing: RwSignal<bool>,
    /// Simulated seconds per real second while playing.
    pub speed: RwSignal<u32>,
    /// The cluster at the scrubbed second, as keys of its cards and the services' counts (the
    /// moment board builds only the cards whose key is new).
    pub moment: Memo<Option<Arc<Outline>>>,
    /// Bumped by every run, so the answer of a superseded run is ignored.
    generation: StoredValue<u64>,
    /// Bumped by every press of play, so only the newest playback loop runs.
    play_token: StoredValue<u64>,
    store: Store,
}

thread_local! {
    /// How long the last moment took in the engine (`data-perf-moment-ms` on the moment board).
    pub(crate) static MOMENT_MS: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

impl TimeUi {
    fn new(store: Store) -> TimeUi {
        let run: RwSignal<Option<RunRef>> = RwSignal::new(None);
        let t = RwSignal::new(0u32);
        let moment = Memo::new(move |_| {
            let t = t.get();
            let t0 = web::now_ms();
            let m = run.with(|r| {
                r.as_ref()
                    .map(|r| Arc::new(r.0.index.outline(t.min(r.0.duration()))))
            });
            MOMENT_MS.with(|c| c.set(web::now_ms() - t0));
            m
        });
        TimeUi {
            scenario: RwSignal::new(Scenario::Simulate { hours: 24 }),
            run,
            progress: RwSignal::new(None),
            error: RwSignal::new(None),
            cancelled: RwSignal::new(None),
            t,
            playing: RwSignal::new(false),
            speed: RwSignal::new(3600),
            moment,
            generation: StoredValue::new(0),
            play_token: StoredValue::new(0),
            store,
        }
    }

    /// Whether the board shows the cluster at the scrubbed moment (tracked).
    pub fn at_moment(&self) -> bool {
        self.run.with(Option::is_some)
    }

    /// Leaves the time view's moment: the board shows the plan again.
    pub fn close(&self) {
        self.generation.update_value(|g| *g += 1);
        self.playing.set(false);
        self.progress.set(None);
        self.run.set(None);
    }

    /// Stops the run that is in the engine worker (the worker is ended; the next run starts a
    /// new one) and says so; the plan is untouched (a run never changes it) and Run starts it
    /// again. The board shows the plan, as after Close.
    pub fn cancel(&self) {
        let Some((done, of)) = self.progress.get_untracked() else {
            return;
        };
        let scenario = self.scenario.get_untracked();
        let what = scenario.describe();
        self.close();
        worker::restart_lane(Lane::Time);
        self.error.set(None);
        self.cancelled.set(Some(if scenario.is_deploy() {
            format!("Cancelled the deployment ({what}); the plan is as it was. Run starts it again.")
        } else {
            format!(
                "Cancelled the simulation ({what}) at hour {} of {}; the plan is as it was. Run starts it again.",
                done / 3600,
                of / 3600
            )
        }));
    }

    /// Scrubs to second `t` (clamped to the run).
    pub fn seek(&self, t: u32) {
        let max = self
            .run
            .with_untracked(|r| r.as_ref().map_or(0, |r| r.0.duration()));
        self.t.set(t.min(max));
    }

    /// Runs the current scenario on the current plan.
    pub fn start(&self) {
        let generation = {
            self.generation.update_value(|g| *g += 1);
            self.generation.get_value()
        };
        self.error.set(None);
        self.cancelled.set(None);
        let store = self.store;
        let plan = store.with_plan(Clone::clone);
        let revision = store.revision().get_untracked();
        let scenario = self.scenario.get_untracked();
        let same_kind = self.run.with_untracked(|r| {
            r.as_ref()
                .is_some_and(|r| r.0.scenario.is_deploy() == scenario.is_deploy())
        });
        let this = *self;
        let finish = move |run: Run| {
            let duration = run.duration();
            if !same_kind {
                this.t.set(0);
                this.speed
                    .set(if run.scenario.is_deploy() { 30 } else { 3600 });
            } else if this.t.get_untracked() > duration {
                this.t.set(duration);
            }
            this.progress.set(None);
            this.run.set(Some(RunRef(Arc::new(run))));
        };
        // A run still in the worker is for an older plan or scenario: end it, rather than
        // wait for an answer that would be ignored.
        if self.progress.with_untracked(Option::is_some) {
            worker::restart_lane(Lane::Time);
        }
        let text = plan.to_json();
        let (kind, payload, total) = match &scenario {
            Scenario::Deploy { service, to } => (
                sims::DEPLOY,
                serde_json::to_value(sims::Deploy {
                    plan: text,
                    service: service.clone(),
                    to: to.clone(),
                }),
                0,
            ),
            Scenario::Simulate { hours } => (
                sims::DAY,
                serde_json::to_value(sims::Day {
                    plan: text,
                    hours: *hours,
                }),
                hours * 3600,
            ),
        };
        let payload = payload.unwrap_or_default();
        self.progress.set(Some((0, total)));
        let generation_now = self.generation;
        let current = move || generation_now.get_value() == generation;
        let messages = std::rc::Rc::new(std::cell::Cell::new(1u32));
        let on_progress = {
            let messages = messages.clone();
            Box::new(move |done: u64, of: u64, _: &str| {
                messages.set(messages.get() + 1);
                if current() {
                    this.progress
                        .set(Some((done.min(u64::from(u32::MAX)) as u32, of as u32)));
                }
            })
        };
        spawn_local(async move {
            let started = web::now_ms();
            let answer = worker::run::<Ran>(Lane::Time, kind, &payload, Some(on_progress)).await;
            if !current() {
                return;
            }
            let answered = web::now_ms();
            match answer {
                Ok((ran, bytes)) => {
                    let (timeline, cost, deployed) = ran.into_parts();
                    let deployed = match &scenario {
                        Scenario::Deploy { service, .. } => deployed.map(|d| Deployed {
                            outcome: d.outcome,
                            reason: d.reason,
                            service: service.clone(),
                            duration: d.duration,
                        }),
                        Scenario::Simulate { .. } => None,
                    };
                    let index = MomentIndex::new(&plan, timeline);
                    let wall = web::now_ms() - started;
                    let mut run = make_run(
                        scenario,
                        revision,
                        index,
                        deployed,
                        cost,
                        (answered - started, wall, messages.get()),
                        plan,
                    );
                    run.bytes = bytes;
                    finish(run);
                }
                Err(e) => {
                    this.error.set(Some(e.message));
                    this.progress.set(None);
                    this.run.set(None);
                }
            }
        });
    }
}

fn make_run(
    scenario: Scenario,
    revision: u64,
    index: MomentIndex,
    deployed: Option<Deployed>,
    cost: Vec<CostPoint>,
    (compute_ms, wall_ms, slices): (f64, f64, u32),
    plan: Plan,
) -> Run {
    let mut families: Vec<String> = Vec::new();
    for td in &plan.task_definitions {
        if !families.contains(&td.family) {
            families.push(td.family.clone());
        }
    }
    Run {
        scenario,
        revision,
        index,
        deployed,
        cost,
        compute_ms,
        wall_ms,
        slices,
        bytes: 0,
        start: engine::api::plan::workload::start_of(&plan),
        families,
        services: plan
            .services
            .iter()
            .map(|s| s.service_name.clone())
            .collect(),
        plan,
    }
}

pub fn provide_time(store: Store) -> TimeUi {
    let time = TimeUi::new(store);
    provide_context(time);
    // Every change of the plan runs the scenario again (while a run is shown).
    let revision = store.revision();
    Effect::new(move |_| {
        let r = revision.get();
        let stale = time
            .run
            .with_untracked(|run| run.as_ref().is_some_and(|x| x.0.revision != r));
        let running = time.progress.with_untracked(Option::is_some);
        if stale || running {
            // A scenario whose service went away cannot run again: say so.
            let gone = match time.scenario.get_untracked() {
                Scenario::Deploy { service, .. } => {
                    store.with_plan(|p| !p.services.iter().any(|s| s.service_name == service))
                }
                Scenario::Simulate { .. } => false,
            };
            if gone {
                time.close();
                time.error.set(Some(
                    "The service of the deployment is no longer in the plan.".into(),
                ));
            } else {
                time.start();
            }
        }
    });
    time
}

/// The time view writes its lists as HTML strings, escaped like the board's.
pub use engine::api::text::escape_html as escape;

pub fn use_time() -> TimeUi {
    expect_context::<TimeUi>()
}

/// The time panel: scenario, what the run said, callouts, events, plots and the Gantt, the
/// load curves and the scaling policy cards; then the transport bar (play, scrubber), which
/// stays at the bottom of the window while a run is shown. How long the run took is on the
/// panel (`data-run-ms`: until the worker answered; `data-run-wall-ms`: until shown;
/// `data-run-slices`: the worker's messages; `data-run-bytes`: its answer) for the tests.
#[component]
pub fn TimePanel() -> impl IntoView {
    let time = use_time();
    let _store = use_store();
    let state = move || {
        if time.progress.with(Option::is_some) {
            "running"
        } else if time.run.with(Option::is_some) {
            "done"
        } else {
            "idle"
        }
    };
    let perf = move |f: fn(&Run) -> String| move || time.run.with(|r| r.as_ref().map(|r| f(&r.0)));
    view! {
        <section
            id="time"
            class="time-panel"
            aria-labelledby="time-title"
            data-testid="time-panel"
            data-state=state
            data-run-ms=perf(|r| format!("{:.1}", r.compute_ms))
            data-run-wall-ms=perf(|r| format!("{:.1}", r.wall_ms))
            data-run-slices=perf(|r| r.slices.to_string())
            data-run-bytes=perf(|r| r.bytes.to_string())
            data-run-revision=perf(|r| r.revision.to_string())
        >
            <div class="time-head">
                <h2 id="time-title">"Time"</h2>
                <transport::ScenarioForm />
            </div>
            <transport::RunStatus />
            <events::Callouts />
            <div class="time-grid">
                <events::EventsList />
                <plots_view::PlotsView />
            </div>
            <gantt::Gantt />
            <div class="time-tools">
                <load_curve::LoadCurves />
                <policies::PolicyCards />
            </div>
        </section>
        <transport::Transport />
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A deployment run of `web` on `plan` (for the components' native tests).
    pub fn run_of(plan: &Plan, index: MomentIndex) -> Run {
        let duration = index.timeline().duration;
        make_run(
            Scenario::Deploy {
                service: "web".into(),
                to: None,
            },
            0,
            index,
            Some(Deployed {
                outcome: DeployOutcome::Completed,
                reason: String::new(),
                service: "web".into(),
                duration,
            }),
            Vec::new(),
            (0.0, 0.0, 1),
            plan.clone(),
        )
    }
}
