//! The cluster at the scrubbed moment, in place of the plan's placement while a run is shown:
//! a banner saying which moment of which run it is (Close returns to the plan), each service's
//! counts, one lane per zone with its instances and their tasks, Fargate tasks, and the tasks
//! waiting for a place with the engine's reason and the capacity provider they wait for.
//!
//! Every task names its capacity provider and zone (its title; `data-capacity-provider`,
//! `data-az`), as `simulate --json` does. Fargate tasks stay in one lane, ordered by zone, each
//! chip with its zone's short name and a `SPOT` mark on Fargate Spot: a lane per zone would
//! split a handful of chips over three more lanes.
//!
//! A lean view of its own (the plan's cards show reservations a moment does not have). Cards
//! are written as HTML and keyed by the engine's key of what they show
//! ([`engine::api::sim::Outline`]): a scrub step asks the engine for the keys only, builds the
//! cards whose key is new and redraws only those — usually few. A task shows its state as a
//! word and a border pattern, and whether it is old or new as a word, never by colour alone.

use std::fmt::Write as _;
use std::sync::Arc;

use engine::api::sim::{CardKey, Outline, ServiceAt, TaskState};
use engine::api::sim::{InstanceAt, InstanceMoment, TaskAt};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::fargate_chips;
use super::moment_lane::{self, Card, MomentLane};
use super::{escape, use_time, Run};
use crate::components::deferred::Heights;
use crate::labels;

/// `RUNNING`, `PENDING`, … as ECS writes a task's last status.
pub fn state_name(s: TaskState) -> &'static str {
    match s {
        TaskState::Provisioning => "PROVISIONING",
        TaskState::Pending => "PENDING",
        TaskState::Activating => "ACTIVATING",
        TaskState::Running => "RUNNING",
        TaskState::Deactivating => "DEACTIVATING",
        TaskState::Stopping => "STOPPING",
        TaskState::Stopped => "STOPPED",
    }
}

/// The CSS class of a state (its border or bar pattern).
pub fn state_class(s: TaskState) -> &'static str {
    match s {
        TaskState::Provisioning => "st-provisioning",
        TaskState::Pending => "st-pending",
        TaskState::Activating => "st-activating",
        TaskState::Running => "st-running",
        TaskState::Deactivating => "st-deactivating",
        TaskState::Stopping => "st-stopping",
        TaskState::Stopped => "st-stopped",
    }
}

fn instance_state(s: InstanceMoment) -> &'static str {
    match s {
        InstanceMoment::Launching => "LAUNCHING",
        InstanceMoment::Active => "ACTIVE",
        InstanceMoment::Draining => "DRAINING",
    }
}

/// What a card is drawn from: the run's families (colours, labels) and its clock, and the
/// services under deployment at the moment (only their tasks say whether they are old or new).
pub struct Look<'a> {
    pub run: &'a Run,
    pub fam_labels: &'a [String],
    pub deploying: &'a [String],
}

/// The services whose newest deployment at the moment is not their first.
pub fn deploying(m: &Outline) -> Vec<String> {
    m.services
        .iter()
        .filter(|s| s.deployment > 1)
        .map(|s| s.service.clone())
        .collect()
}

/// Where a task runs or waits to run, in words: "on FARGATE_SPOT in eu-west-1b", "waiting for
/// FARGATE_SPOT" (PROVISIONING: a task waits for its capacity provider's capacity).
pub fn placement_words(t: &TaskAt) -> Option<String> {
    let cp = t.capacity_provider.as_deref();
    if t.state == TaskState::Provisioning {
        return cp.map(|cp| format!("waiting for {cp}"));
    }
    match (cp, t.availability_zone.as_deref()) {
        (Some(cp), Some(az)) => Some(format!("on {cp} in {az}")),
        (Some(cp), None) => Some(format!("on {cp}")),
        (None, Some(az)) => Some(format!("in {az}")),
        (None, None) => None,
    }
}

/// The zone's letter part (`1b` of `eu-west-1b`): enough to tell zones apart on a chip.
pub fn zone_short(az: &str) -> &str {
    az.rsplit('-').next().unwrap_or(az)
}

/// A chip's compact marks: `SPOT` on Fargate Spot, and with `zone` (a task outside an instance
/// card: an instance's tasks are in its zone's lane already) the zone.
fn marks(t: &TaskAt, zone: bool) -> String {
    let mut out = String::new();
    if t.capacity_provider.as_deref() == Some("FARGATE_SPOT") {
        out.push_str("<span class=\"mtask-mark spot\">SPOT</span>");
    }
    if let Some(az) = t.availability_zone.as_ref().filter(|_| zone) {
        let _ = write!(
            out,
            "<span class=\"mtask-mark zone\">{}</span>",
            escape(zone_short(az))
        );
    }
    out
}

impl Look<'_> {
    /// One task as a list item: family label, id, state word, old/new, SPOT.
    pub fn task_html(&self, out: &mut String, t: &TaskAt) {
        self.chip_html(out, t, false)
    }

    /// [`Self::task_html`], with the zone on the chip when `zone`.
    fn chip_html(&self, out: &mut String, t: &TaskAt, zone: bool) {
        let fam = self.run.family_index(&t.task_definition);
        let label = self.fam_labels.get(fam).map_or("", String::as_str);
        let age = if t.new { "new" } else { "old" };
        let shows_age = self.deploying.contains(&t.service);
        let mut title = format!(
            "{} — {}, deployment {} ({age}), {} since {}",
            t.task,
            t.task_definition,
            t.deployment,
            state_name(t.state),
            self.run.clock(t.since)
        );
        if t.state == TaskState::Running {
            title.push_str(if t.healthy {
                ", healthy"
            } else {
                ", health checks pending"
            });
        }
        if let Some(w) = placement_words(t) {
            let _ = write!(title, "; {w}");
        }
        if let Some(r) = &t.reason {
            let _ = write!(title, ". Waiting: {r}");
        }
        let _ = write!(
            out,
            "<li class=\"mtask {} {}{}\" data-testid=\"moment-task\" data-task-id=\"{}\" data-service=\"{}\" data-state=\"{}\" data-new=\"{}\" data-task-definition=\"{}\" data-deployment=\"{}\" data-capacity-provider=\"{}\" data-az=\"{}\" title=\"{}\">\
             <span class=\"mtask-fam\" aria-hidden=\"true\">{}</span><span class=\"mtask-id\">{}</span>\
             <span class=\"mtask-state\">{}{}</span>{}{}</li>",
            labels::family_class(fam),
            state_class(t.state),
            if shows_age { if t.new { " new" } else { " old" } } else { "" },
            escape(&t.task),
            escape(&t.service),
            state_name(t.state),
            t.new,
            escape(&t.task_definition),
            t.deployment,
            escape(t.capacity_provider.as_deref().unwrap_or_default()),
            escape(t.availability_zone.as_deref().unwrap_or_default()),
            escape(&title),
            escape(label),
            escape(&t.task),
            state_name(t.state),
            if t.state == TaskState::Running && !t.healthy {
                " (unhealthy yet)"
            } else {
                ""
            },
            if shows_age {
                format!("<span class=\"mtask-age\">{age}</span>")
            } else {
                String::new()
            },
            marks(t, zone),
        );
    }

    /// An instance card.
    pub fn card_html(&self, i: &InstanceAt) -> String {
        let state = instance_state(i.state);
        let mut out = format!(
            "<article class=\"instance moment-instance is-{}\" data-testid=\"moment-instance\" data-instance-id=\"{}\" data-state=\"{state}\" aria-label=\"Instance {} ({}, {state}), {} task{}\">\
             <header class=\"instance-head\"><span class=\"instance-id\" title=\"{}\">{}</span><span class=\"instance-type\">{}</span>",
            state.to_ascii_lowercase(),
            escape(&i.id),
            escape(&i.id),
            escape(&i.instance_type),
            i.tasks.len(),
            if i.tasks.len() == 1 { "" } else { "s" },
            escape(&i.id),
            escape(&labels::short_id(&i.id)),
            escape(&i.instance_type),
        );
        if i.state != InstanceMoment::Active {
            let _ = write!(
                out,
                "<span class=\"badge {}\">{state}</span>",
                if i.state == InstanceMoment::Draining {
                    "draining"
                } else {
                    "provisioning"
                }
            );
        }
        out.push_str("</header>");
        if let Some(cp) = &i.capacity_provider {
            let _ = write!(out, "<p class=\"instance-cp\">{}</p>", escape(cp));
        }
        if i.tasks.is_empty() {
            out.push_str("<p class=\"no-tasks\">No tasks.</p>");
        } else {
            out.push_str("<ul class=\"mtasks\">");
            for t in &i.tasks {
                self.task_html(&mut out, t);
            }
            out.push_str("</ul>");
        }
        out.push_str("</article>");
        out
    }
}

/// A zone's instances at the moment, as the keys of their cards.
#[derive(Clone, PartialEq)]
pub struct LaneKeys {
    pub az: String,
    pub cards: Vec<CardKey>,
}

/// Waiting tasks of one capacity provider (or none: a launch type) with one reason.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitingGroup {
    pub capacity_provider: Option<String>,
    pub reason: String,
    pub tasks: Vec<String>,
}

/// Waiting tasks for the same capacity provider with the same reason, together.
pub fn group_waiting(tasks: &[TaskAt]) -> Vec<WaitingGroup> {
    let mut groups: Vec<WaitingGroup> = Vec::new();
    for t in tasks {
        let reason = t
            .reason
            .clone()
            .unwrap_or_else(|| "waiting for the scheduler".to_string());
        match groups
            .iter_mut()
            .find(|g| g.reason == reason && g.capacity_provider == t.capacity_provider)
        {
            Some(g) => g.tasks.push(t.task.clone()),
            None => groups.push(WaitingGroup {
                capacity_provider: t.capacity_provider.clone(),
                reason,
                tasks: vec![t.task.clone()],
            }),
        }
    }
    groups
}

/// What the moment board draws, per moment; equal (by keys) when nothing on it changed. Keys
/// hold within one run only. The instance cards are keys here: each lane builds the cards it
/// draws ([`View::card_html`]).
#[derive(Clone)]
pub struct View {
    pub run: super::RunRef,
    /// The moment the keys are of, the services under deployment then and the families'
    /// labels: what a card is built from.
    t: u32,
    deploying: Arc<Vec<String>>,
    fam_labels: Arc<Vec<String>>,
    pub lanes: Vec<LaneKeys>,
    /// The Fargate lane's chips in blocks ([`fargate_chips`]).
    fargate: Vec<Card>,
    waiting: Card,
}

impl PartialEq for View {
    fn eq(&self, other: &Self) -> bool {
        self.run == other.run
            && self.lanes == other.lanes
            && self.fargate == other.fargate
            && self.waiting == other.waiting
    }
}

impl View {
    /// The card of an instance of this moment (empty if the index has no such instance then).
    pub fn card_html(&self, c: &CardKey) -> String {
        let look = Look {
            run: &self.run.0,
            fam_labels: &self.fam_labels,
            deploying: &self.deploying,
        };
        self.run
            .0
            .index
            .instance_at(c.instance, self.t)
            .map(|i| look.card_html(&i))
            .unwrap_or_default()
    }

    fn instances(&self) -> usize {
        self.lanes.iter().map(|l| l.cards.len()).sum()
    }
}

/// The Fargate lane's chips, by zone (then as the engine lists them), each with its zone: what
/// the lane's blocks hold, built at once (the plain path the tests check the blocks against).
#[cfg(test)]
fn fargate_html(look: &Look, tasks: &[TaskAt]) -> String {
    let mut by_zone: Vec<&TaskAt> = tasks.iter().collect();
    by_zone.sort_by(|a, b| a.availability_zone.cmp(&b.availability_zone));
    let mut out = String::new();
    for t in by_zone {
        look.chip_html(&mut out, t, true);
    }
    out
}

/// The moment `m` of `run` as keys, with the Fargate and waiting lists: those of `prev` (the
/// last moment of the same run) when their key is the same, else built.
fn build(
    run: &super::RunRef,
    m: &Outline,
    fam_labels: Arc<Vec<String>>,
    prev: Option<&View>,
) -> View {
    let prev = prev.filter(|p| p.run == *run);
    let index = &run.0.index;
    let deploying = Arc::new(deploying(m));
    let look = Look {
        run: &run.0,
        fam_labels: &fam_labels,
        deploying: &deploying,
    };
    let lanes = m
        .zones
        .iter()
        .map(|z| LaneKeys {
            az: z.availability_zone.clone(),
            cards: z.instances.clone(),
        })
        .collect();
    let keep = |key: u64, n: usize, prev: Option<&Card>, make: &dyn Fn() -> String| match prev {
        Some(c) if c.key == key => c.clone(),
        _ => Card {
            key,
            tasks: n,
            html: Arc::from(make()),
        },
    };
    let fargate = fargate_chips::blocks(
        prev.map_or(&[][..], |p| &p.fargate),
        &m.fargate_chips,
        |c, out| {
            if let Some(task) = index.chip_at(c.task, m.t) {
                look.chip_html(out, &task, true);
            }
        },
    );
    let waiting = keep(
        m.waiting,
        m.waiting_count,
        prev.map(|p| &p.waiting),
        &|| {
            let mut out = String::new();
            for g in group_waiting(&index.waiting_at(m.t)) {
                let n = g.tasks.len();
                let _ = write!(
                out,
                "<li class=\"moment-waiting-group\" data-testid=\"moment-waiting-group\" data-capacity-provider=\"{}\"><strong>{n} task{}</strong> <span class=\"badge provisioning\">PROVISIONING</span>{} <span class=\"mtask-ids\">{}</span><p class=\"reason\" data-testid=\"moment-waiting-reason\">{}</p></li>",
                escape(g.capacity_provider.as_deref().unwrap_or_default()),
                if n == 1 { "" } else { "s" },
                g.capacity_provider.as_deref().map(|cp| format!(" <span class=\"waiting-for\" data-testid=\"moment-waiting-for\">waiting for {}</span>", escape(cp))).unwrap_or_default(),
                escape(&g.tasks.join(", ")),
                escape(&g.reason)
            );
            }
            out
        },
    );
    View {
        run: run.clone(),
        t: m.t,
        deploying,
        fam_labels,
        lanes,
        fargate,
        waiting,
    }
}

/// Closes the run; the focus (on the banner's Close, which goes away) moves to the time
/// panel's Run button.
fn close_and_refocus(time: super::TimeUi) {
    time.close();
    request_animation_frame(|| {
        let el = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| {
                d.query_selector("[data-testid=scenario-run]")
                    .ok()
                    .flatten()
            })
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(el) = el {
            let _ = el.focus();
        }
    });
}

/// The banner, the services' counts and the cluster at `time.t`.
#[component]
pub fn MomentBoard() -> impl IntoView {
    let time = use_time();
    let fam_labels = Memo::new(move |_| {
        time.run.with(|r| {
            Arc::new(
                r.as_ref()
                    .map(|r| labels::family_labels(&r.0.families))
                    .unwrap_or_default(),
            )
        })
    });
    // What the last scrub step cost in the engine and in building the cards (for the browser
    // tests' figures; the view state of a measurement, never shown).
    let perf = StoredValue::new((0.0, 0.0));
    let view_of = Memo::new(move |prev: Option<&Option<View>>| {
        let m = time.moment.get()?;
        let l = fam_labels.get();
        let t0 = crate::web::now_ms();
        let v = time.run.with(|r| {
            let r = r.as_ref()?;
            Some(build(r, &m, l, prev.and_then(|p| p.as_ref())))
        });
        let built = crate::web::now_ms() - t0;
        perf.set_value((super::MOMENT_MS.with(|c| c.get()), built));
        v
    });
    let services = Memo::new(move |_| {
        time.moment
            .with(|m| m.as_ref().map(|m| m.services.clone()).unwrap_or_default())
    });
    let clock = Memo::new(move |_| {
        let t = time.t.get();
        time.run
            .with(|r| r.as_ref().map(|r| r.0.clock(t)).unwrap_or_default())
    });
    let scenario = Memo::new(move |_| {
        time.run.with(|r| {
            r.as_ref()
                .map(|r| r.0.scenario.describe())
                .unwrap_or_default()
        })
    });
    let zones = Memo::new(move |_| {
        view_of.with(|v| {
            v.as_ref()
                .map(|v| v.lanes.iter().map(|l| l.az.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    // Big clusters draw a window of each lane's cards; the heights measured hold for one run.
    let windowed = Memo::new(move |_| {
        view_of.with(|v| moment_lane::windowed(v.as_ref().map_or(0, View::instances)))
    });
    let heights = StoredValue::new(Heights::default());
    Effect::new(move |_| {
        time.run.track();
        heights.set_value(Heights::default());
    });
    let fargate = Memo::new(move |_| {
        view_of.with(|v| v.as_ref().map(|v| v.fargate.clone()).unwrap_or_default())
    });
    let on_fargate = Memo::new(move |_| fargate.with(|b| !b.is_empty()));
    let waiting = Memo::new(move |_| view_of.with(|v| v.as_ref().map(|v| v.waiting.clone())));
    let has = |c: &Option<Card>| c.as_ref().is_some_and(|c| !c.html.is_empty());
    view! {
        <Show when=move || time.at_moment()>
            <section
                class="moment-board"
                data-testid="moment-board"
                aria-labelledby="moment-title"
                data-perf-moment-ms=move || {
                    view_of.track();
                    format!("{:.2}", perf.get_value().0)
                }
                data-perf-build-ms=move || {
                    view_of.track();
                    format!("{:.2}", perf.get_value().1)
                }
            >
                <div class="moment-banner" data-testid="moment-banner">
                    <p>
                        "Showing the cluster at "
                        <strong data-testid="moment-clock">{move || clock.get()}</strong>
                        " of "
                        {move || scenario.get()}
                        " — Close to return to the plan."
                    </p>
                    <button type="button" data-testid="moment-close" on:click=move |_| close_and_refocus(time)>
                        "Close"
                    </button>
                </div>
                <h2 id="moment-title" class="visually-hidden">"Cluster at the scrubbed moment"</h2>
                <ServiceCounts services />
                <div class="lanes moment-lanes">
                    <For
                        each=move || zones.get()
                        key=|az| az.clone()
                        children=move |az| view! { <MomentLane az view=view_of windowed heights /> }
                    />
                    <Show when=move || on_fargate.get()>
                        <section class="lane fargate" data-testid="moment-fargate" aria-label="AWS Fargate">
                            <h3 class="lane-title">"AWS Fargate"</h3>
                            // Blocks of chips (`display: contents`): one list on the page.
                            <div class="mtasks">
                                <For
                                    each=move || fargate.get()
                                    key=|b| b.key
                                    children=|b| view! { <ul class="chip-block" inner_html=b.html.to_string()></ul> }
                                />
                            </div>
                        </section>
                    </Show>
                </div>
                <section
                    class="moment-waiting"
                    class:has-tasks=move || waiting.with(has)
                    data-testid="moment-waiting"
                    aria-label="Tasks waiting for a place"
                >
                    {move || {
                        waiting.get().filter(|c| !c.html.is_empty()).map(|c| {
                            view! {
                                <h3>"Waiting for a place"</h3>
                                <ul class="moment-waiting-list" inner_html=c.html.to_string()></ul>
                            }
                        })
                    }}
                </section>
            </section>
        </Show>
    }
}

/// Where a service's row is and what it shows, as its key (a plan could name two services
/// alike: the place tells them apart).
fn row_key((i, s): &(usize, ServiceAt)) -> (usize, String, [u32; 6]) {
    (
        *i,
        s.service.clone(),
        [
            s.desired,
            s.deployment,
            s.old.running,
            s.old.active,
            s.new.running,
            s.new.active,
        ],
    )
}

/// Each service at the moment: desired, and old/new tasks healthy and active.
#[component]
fn ServiceCounts(services: Memo<Vec<ServiceAt>>) -> impl IntoView {
    view! {
        <table class="moment-services" data-testid="moment-services">
            <caption class="visually-hidden">"Services at this moment"</caption>
            <thead>
                <tr>
                    <th scope="col">"Service"</th>
                    <th scope="col">"Desired"</th>
                    <th scope="col" title="Healthy RUNNING tasks / tasks counted against maximumPercent">"Old healthy / active"</th>
                    <th scope="col" title="Of the newest deployment started by then">"New healthy / active"</th>
                </tr>
            </thead>
            <tbody>
                // Keyed by what a row shows: a scrub step replaces only the rows that changed.
                <For
                    each=move || services.get().into_iter().enumerate()
                    key=row_key
                    children=|(_, s)| {
                        view! {
                            <tr data-testid="moment-service" data-service=s.service.clone()>
                                <th scope="row">{s.service.clone()}</th>
                                <td>{s.desired}</td>
                                <td>{format!("{} / {}", s.old.running, s.old.active)}</td>
                                <td>{format!("{} / {} (deployment {})", s.new.running, s.new.active, s.deployment)}</td>
                            </tr>
                        }
                    }
                />
            </tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::api::placement::PlaceOptions;
    use engine::api::sim::{deploy, DeployRequest, MomentIndex};

    #[test]
    fn cards_say_state_and_age_in_words_and_keys_follow_content() {
        let plan = crate::persist::default_plan();
        let r = deploy(
            &plan,
            &DeployRequest::new("web", None),
            &PlaceOptions::for_plan(&plan),
        )
        .unwrap();
        let index = MomentIndex::new(&plan, r.timeline);
        let run = super::super::RunRef(Arc::new(super::super::tests::run_of(&plan, index)));
        let labels = labels::family_labels(&run.0.families);
        let m = run.0.index.outline(0);
        let dep = deploying(&m);
        assert_eq!(dep, ["web"], "web is under deployment, worker is not");
        let look = Look {
            run: &run.0,
            fam_labels: &labels,
            deploying: &dep,
        };
        let first = m.zones[0].instances[0];
        let i = run.0.index.instance_at(first.instance, 0).unwrap();
        let html = look.card_html(&i);
        assert!(html.contains("data-state=\"RUNNING\""), "{html}");
        assert!(html.contains(">RUNNING<"), "{html}");
        assert!(html.contains("data-new=\"false\""), "{html}");
        assert!(html.contains(">old<"), "{html}");
        // Same content, same key; the end of the deployment changes the card.
        assert_eq!(first, run.0.index.outline(0).zones[0].instances[0]);
        let end = run.0.index.outline(run.0.duration());
        assert_ne!(first.key, end.zones[0].instances[0].key);
        // A service not under deployment has no old/new words.
        let whole = run.0.index.at(0);
        let worker = whole
            .zones
            .iter()
            .flat_map(|z| &z.instances)
            .flat_map(|i| &i.tasks)
            .find(|t| t.service == "worker")
            .expect("a worker task");
        let mut one = String::new();
        look.task_html(&mut one, worker);
        assert!(!one.contains("mtask-age"), "{one}");
        let labels = Arc::new(labels.clone());
        let prev = build(&run, &m, labels.clone(), None);
        let again = build(&run, &run.0.index.outline(1), labels.clone(), Some(&prev));
        assert!(again == prev, "nothing changed in the first second");
        // The cards are the engine's moment's: same instances, same HTML as built from it.
        let lanes: Vec<String> = whole
            .zones
            .iter()
            .flat_map(|z| &z.instances)
            .map(|i| look.card_html(i))
            .collect();
        let shown: Vec<String> = prev
            .lanes
            .iter()
            .flat_map(|l| {
                moment_lane::cards_in(&[], &l.cards, (0, usize::MAX), |c| prev.card_html(c))
            })
            .map(|c| c.html.to_string())
            .collect();
        assert_eq!(shown, lanes);
    }

    /// The windowed path (keys per step, only the cards of a window built, the others kept
    /// from the step before by key) draws what the plain path (the engine's whole moment, every
    /// card built) draws, at every second of a deployment and for windows that move.
    #[test]
    fn a_window_of_cards_is_the_moments_cards() {
        let plan = crate::persist::default_plan();
        let r = deploy(
            &plan,
            &DeployRequest::new("web", None),
            &PlaceOptions::for_plan(&plan),
        )
        .unwrap();
        let index = MomentIndex::new(&plan, r.timeline);
        let run = super::super::RunRef(Arc::new(super::super::tests::run_of(&plan, index)));
        let labels = Arc::new(labels::family_labels(&run.0.families));
        let mut view: Option<View> = None;
        let mut drawn: Vec<Vec<Card>> = Vec::new();
        let mut changed = 0;
        for t in 0..=run.0.duration() {
            let m = run.0.index.outline(t);
            let v = build(&run, &m, labels.clone(), view.as_ref());
            let whole = run.0.index.at(t);
            let dep = deploying(&m);
            let look = Look {
                run: &run.0,
                fam_labels: &labels,
                deploying: &dep,
            };
            drawn.resize(v.lanes.len(), Vec::new());
            for (k, (lane, zone)) in v.lanes.iter().zip(&whole.zones).enumerate() {
                assert_eq!(lane.az, zone.availability_zone);
                let n = lane.cards.len();
                // A window that moves with time, over and past the lane's ends.
                let lo = (t as usize + k) % (n + 2);
                let range = (lo, lo + 1 + t as usize % 3);
                let cards =
                    moment_lane::cards_in(&drawn[k], &lane.cards, range, |c| v.card_html(c));
                let want: Vec<String> = zone
                    .instances
                    .iter()
                    .skip(range.0)
                    .take(range.1 - range.0)
                    .map(|i| look.card_html(i))
                    .collect();
                let got: Vec<String> = cards.iter().map(|c| c.html.to_string()).collect();
                assert_eq!(got, want, "zone {} at {t}, cards {range:?}", lane.az);
                for (c, i) in cards.iter().zip(zone.instances.iter().skip(range.0)) {
                    assert_eq!(c.tasks, i.tasks.len());
                }
                if drawn[k] != cards {
                    changed += 1;
                }
                drawn[k] = cards;
            }
            view = Some(v);
        }
        assert!(changed > 0, "the windows changed over the deployment");
    }

    /// The Fargate lane in blocks (chip keys per step, only the blocks with a new key built)
    /// holds what the lane built whole from the engine's moment holds, at every second of a
    /// deployment of Fargate and Fargate Spot tasks; most steps rebuild few blocks.
    #[test]
    fn the_fargate_blocks_are_the_moments_fargate_lane() {
        let plan = engine::api::plan::load(crate::samples::find("fargate-spot").unwrap().text)
            .plan
            .unwrap();
        let r = deploy(
            &plan,
            &DeployRequest::new("orders-api", None),
            &PlaceOptions::for_plan(&plan),
        )
        .unwrap();
        let index = MomentIndex::new(&plan, r.timeline);
        let run = super::super::RunRef(Arc::new(super::super::tests::run_of(&plan, index)));
        let labels = Arc::new(labels::family_labels(&run.0.families));
        let mut view: Option<View> = None;
        let mut chips = 0;
        for t in 0..=run.0.duration() {
            let m = run.0.index.outline(t);
            let v = build(&run, &m, labels.clone(), view.as_ref());
            let dep = deploying(&m);
            let look = Look {
                run: &run.0,
                fam_labels: &labels,
                deploying: &dep,
            };
            let whole = fargate_html(&look, &run.0.index.fargate_at(t));
            let blocks: String = v.fargate.iter().map(|b| &*b.html).collect();
            assert_eq!(blocks, whole, "the Fargate lane at {t}");
            assert_eq!(
                v.fargate.iter().map(|b| b.tasks).sum::<usize>(),
                m.fargate_count
            );
            chips = chips.max(m.fargate_count);
            view = Some(v);
        }
        assert!(chips >= 10, "the deployment runs on Fargate: {chips} tasks");
    }

    #[test]
    fn waiting_tasks_group_by_reason() {
        let t = |id: &str, r: Option<&str>| TaskAt {
            task: id.into(),
            service: "web".into(),
            task_definition: "web:1".into(),
            deployment: 2,
            new: true,
            state: TaskState::Provisioning,
            healthy: false,
            since: 0,
            reason: r.map(str::to_string),
            capacity_provider: Some("FARGATE_SPOT".into()),
            availability_zone: None,
        };
        let mut on_demand = t("d", Some("no room"));
        on_demand.capacity_provider = Some("FARGATE".into());
        let g = group_waiting(&[
            t("a", Some("no room")),
            t("b", None),
            t("c", Some("no room")),
            on_demand.clone(),
        ]);
        assert_eq!(g.len(), 3);
        assert_eq!(
            g[0],
            WaitingGroup {
                capacity_provider: Some("FARGATE_SPOT".into()),
                reason: "no room".into(),
                tasks: vec!["a".to_string(), "c".to_string()]
            }
        );
        assert_eq!(g[2].capacity_provider.as_deref(), Some("FARGATE"));
        // The chip's title says what it waits for.
        assert_eq!(placement_words(&on_demand).unwrap(), "waiting for FARGATE");
    }
}
