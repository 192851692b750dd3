//! What went wrong in a run, called out with the engine's reason ([`Callouts`]: a stuck
//! deployment, the circuit breaker and its rollback, tasks that could not be placed), each with
//! a button that takes the scrubber there; and the service events up to the scrubbed moment,
//! newest first, as the ECS console's Events tab lists them ([`EventsList`]).

use std::fmt::Write as _;

use engine::api::sim::{DeployOutcome, EventKind, SimEvent};
use leptos::prelude::*;

use std::ops::Range;

use super::{escape, use_time, Deployed, Run, RunRef};
use engine::api::sort::sort_by_key;

/// Something the user should not miss, at second `t`.
#[derive(Debug, Clone, PartialEq)]
pub struct Callout {
    /// `stuck`, `failed`, `rollback`, `rollback-impossible`, `unplaced`.
    pub kind: &'static str,
    pub t: u32,
    pub title: String,
    pub service: Option<String>,
    /// The engine's words.
    pub message: String,
    /// How many events it stands for (unplaced tasks with the same reason).
    pub count: usize,
}

/// At most this many callouts (the rest are counted).
pub const MAX_CALLOUTS: usize = 12;

/// The callouts of a run, in time order: one per stuck situation, failed deployment and
/// rollback; unplaced tasks grouped by service and reason (the first time it happened). A
/// deployment that ended stuck without a `stuck` event (it timed out) gets one from its result.
pub fn callouts(events: &[SimEvent], deployed: Option<&Deployed>) -> Vec<Callout> {
    let mut out: Vec<Callout> = Vec::new();
    for e in events {
        let (kind, title) = match e.kind {
            EventKind::Stuck => ("stuck", "Deployment stuck"),
            EventKind::DeploymentFailed { .. } => ("failed", "Deployment failed (circuit breaker)"),
            EventKind::RollbackStarted { .. } => ("rollback", "Rolling back"),
            EventKind::RollbackImpossible { .. } => ("rollback-impossible", "No rollback possible"),
            EventKind::TaskUnplaced => ("unplaced", "Tasks could not be placed"),
            _ => continue,
        };
        if kind == "unplaced" {
            if let Some(c) = out.iter_mut().find(|c| {
                c.kind == "unplaced"
                    && c.service.as_deref() == e.service.as_deref()
                    && c.message == e.message
            }) {
                c.count += 1;
                continue;
            }
        }
        out.push(Callout {
            kind,
            t: e.t,
            title: title.to_string(),
            service: e.service.as_deref().map(str::to_string),
            message: e.message.clone(),
            count: 1,
        });
    }
    if let Some(d) = deployed {
        if d.outcome == DeployOutcome::Stuck
            && !out
                .iter()
                .any(|c| c.kind == "stuck" && c.message == d.reason)
        {
            out.push(Callout {
                kind: "stuck",
                t: d.duration,
                title: "Deployment stuck".into(),
                service: Some(d.service.clone()),
                message: d.reason.clone(),
                count: 1,
            });
        }
    }
    sort_by_key(&mut out, |c| c.t);
    out
}

/// The callouts of the run on screen, with seek buttons.
#[component]
pub fn Callouts() -> impl IntoView {
    let time = use_time();
    let list = Memo::new(move |_| {
        time.run.with(|r| {
            r.as_ref()
                .map(|r| {
                    (
                        callouts(&r.0.index.timeline().events, r.0.deployed.as_ref()),
                        r.0.clone_clock(),
                    )
                })
                .unwrap_or_default()
        })
    });
    view! {
        {move || {
            let (all, clocks) = list.get();
            if all.is_empty() {
                return None;
            }
            let more = all.len().saturating_sub(MAX_CALLOUTS);
            let items = all
                .into_iter()
                .take(MAX_CALLOUTS)
                .map(|c| {
                    let at = clocks.at(c.t);
                    let t = c.t;
                    let what = match (&c.service, c.count) {
                        (Some(s), 1) => format!("service {s}, at {at}"),
                        (Some(s), n) => format!("service {s}, {n} times from {at}"),
                        (None, 1) => format!("at {at}"),
                        (None, n) => format!("{n} times from {at}"),
                    };
                    view! {
                        <li class=format!("callout callout-{}", c.kind) data-testid="callout" data-kind=c.kind data-t=t>
                            <p class="callout-title">
                                <strong>{c.title.clone()}</strong>
                                <span class="callout-when">{format!(" ({what})")}</span>
                            </p>
                            <p class="callout-message" data-testid="callout-message">{c.message.clone()}</p>
                            <button
                                type="button"
                                class="small"
                                data-testid="callout-seek"
                                aria-label=format!("Go to {at}: {}", c.title)
                                on:click=move |_| {
                                    time.playing.set(false);
                                    time.seek(t);
                                }
                            >
                                {format!("Go to {at}")}
                            </button>
                        </li>
                    }
                })
                .collect_view();
            Some(view! {
                <section class="callouts" data-testid="callouts" aria-labelledby="callouts-title">
                    <h3 id="callouts-title">"What to look at"</h3>
                    <ul class="callout-list">{items}</ul>
                    {(more > 0).then(|| view! { <p class="more">{format!("and {more} more in the events")}</p> })}
                </section>
            })
        }}
    }
}

/// A run's clock without the run (for lists built once per run).
#[derive(Clone, Default, PartialEq)]
pub struct Clock {
    deploy: bool,
    start: engine::api::plan::schedule::Instant,
}

impl Clock {
    pub fn at(&self, t: u32) -> String {
        if self.deploy {
            super::clock::elapsed(t)
        } else {
            super::clock::wall(self.start, t)
        }
    }
}

impl Run {
    pub(super) fn clone_clock(&self) -> Clock {
        Clock {
            deploy: self.scenario.is_deploy(),
            start: self.start,
        }
    }
}

/// At most this many events are listed (the newest).
pub const MAX_EVENTS: usize = 100;

/// Event indices in time order (stable), so the events up to a moment are a prefix.
pub fn time_order(events: &[SimEvent]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..events.len()).collect();
    sort_by_key(&mut order, |&k| events[k].t);
    order
}

/// How many events (in `order`) happened at or before `t`.
pub fn upto(events: &[SimEvent], order: &[usize], t: u32) -> usize {
    order.partition_point(|&k| events[k].t <= t)
}

/// The events at `range` of `order`, newest first, as list items.
fn event_items(events: &[SimEvent], order: &[usize], range: Range<usize>, clock: &Clock) -> String {
    let mut out = String::new();
    let end = range.end.min(order.len());
    for &k in order[range.start.min(end)..end].iter().rev() {
        let e = &events[k];
        let kind = e.kind.code();
        let _ = write!(
            out,
            "<li class=\"event ev-{}\" data-testid=\"event\" data-kind=\"{}\" data-t=\"{}\"><time>{}</time> <span class=\"ev-kind\">{}</span>",
            kind,
            kind,
            e.t,
            escape(&clock.at(e.t)),
            kind,
        );
        if let Some(s) = &e.service {
            let _ = write!(
                out,
                " <span class=\"ev-service\">service {}</span>",
                escape(s)
            );
        }
        if let Some(t) = &e.task {
            let _ = write!(out, " <span class=\"ev-task\">task {}</span>", escape(t));
        }
        if let Some(i) = &e.instance {
            let _ = write!(out, " <span class=\"ev-instance\">on {}</span>", escape(i));
        }
        let _ = write!(
            out,
            " <span class=\"ev-message\">{}</span></li>",
            escape(&e.message)
        );
    }
    out
}

/// The newest `MAX_EVENTS` of the first `n` events (in `order`), newest first, as list items.
pub fn events_html(events: &[SimEvent], order: &[usize], n: usize, clock: &Clock) -> String {
    event_items(events, order, shown(n), clock)
}

/// The events listed when the first `n` have happened: the newest `MAX_EVENTS` (positions in
/// the time order).
fn shown(n: usize) -> Range<usize> {
    n.saturating_sub(MAX_EVENTS)..n
}

/// How the list drawn for the first `from` events becomes the list for the first `to`: a scrub
/// step puts the events it passed on top and takes those that fell out of the newest
/// `MAX_EVENTS` off the bottom (or, backwards, the reverse), so it writes only what changed
/// instead of all 100 items; a jump with nothing in common is drawn whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListPatch {
    /// Nothing changes.
    Same,
    /// Draw the list anew.
    Whole,
    /// Remove `drop_front` items from the top and `drop_back` from the bottom, then put the
    /// events at `front` (newest first) on top and those at `back` (newest first) below the rest.
    Edit {
        drop_front: usize,
        front: Range<usize>,
        drop_back: usize,
        back: Range<usize>,
    },
}

/// The patch from the list of the first `from` events to that of the first `to`.
pub fn list_patch(from: usize, to: usize) -> ListPatch {
    let (was, now) = (shown(from), shown(to));
    if from == to {
        ListPatch::Same
    } else if now.start >= was.end || was.start >= now.end {
        ListPatch::Whole
    } else if to > from {
        ListPatch::Edit {
            drop_front: 0,
            front: from..to,
            drop_back: now.start - was.start,
            back: 0..0,
        }
    } else {
        ListPatch::Edit {
            drop_front: from - to,
            front: 0..0,
            drop_back: 0,
            back: now.start..was.start,
        }
    }
}

/// A list drawn newest first that a [`ListPatch`] edits: the page's `<ol>` and, in the tests, a
/// plain list of event positions, so that both go through the one [`ListPatch::apply`].
pub trait DrawnList {
    /// Draws the list of the first `n` events anew.
    fn redraw(&mut self, n: usize);
    /// Removes `n` items from the top.
    fn drop_front(&mut self, n: usize);
    /// Removes `n` items from the bottom.
    fn drop_back(&mut self, n: usize);
    /// Puts the events at `range`, newest first, on top.
    fn prepend(&mut self, range: Range<usize>);
    /// Puts the events at `range`, newest first, at the bottom.
    fn append(&mut self, range: Range<usize>);
}

impl ListPatch {
    /// Edits `list`, drawn for some number of events, into the list of the first `to`.
    pub fn apply(self, list: &mut impl DrawnList, to: usize) {
        match self {
            ListPatch::Same => {}
            ListPatch::Whole => list.redraw(to),
            ListPatch::Edit {
                drop_front,
                front,
                drop_back,
                back,
            } => {
                list.drop_front(drop_front);
                list.drop_back(drop_back);
                if !front.is_empty() {
                    list.prepend(front);
                }
                if !back.is_empty() {
                    list.append(back);
                }
            }
        }
    }
}

/// The page's drawn events list: its `<ol>` and what its items are drawn from.
struct DomList<'a> {
    ol: &'a web_sys::Element,
    events: &'a [SimEvent],
    order: &'a [usize],
    clock: &'a Clock,
}

impl DrawnList for DomList<'_> {
    fn redraw(&mut self, n: usize) {
        self.ol
            .set_inner_html(&events_html(self.events, self.order, n, self.clock));
    }
    fn drop_front(&mut self, n: usize) {
        for _ in 0..n {
            if let Some(c) = self.ol.first_element_child() {
                c.remove();
            }
        }
    }
    fn drop_back(&mut self, n: usize) {
        for _ in 0..n {
            if let Some(c) = self.ol.last_element_child() {
                c.remove();
            }
        }
    }
    fn prepend(&mut self, range: Range<usize>) {
        let html = event_items(self.events, self.order, range, self.clock);
        let _ = self.ol.insert_adjacent_html("afterbegin", &html);
    }
    fn append(&mut self, range: Range<usize>) {
        let html = event_items(self.events, self.order, range, self.clock);
        let _ = self.ol.insert_adjacent_html("beforeend", &html);
    }
}

/// Brings the drawn list `ol` from `from` events to `to` (see [`ListPatch`]).
fn patch_list(
    ol: &web_sys::Element,
    events: &[SimEvent],
    order: &[usize],
    from: Option<usize>,
    to: usize,
    clock: &Clock,
) {
    let patch = from.map_or(ListPatch::Whole, |f| list_patch(f, to));
    let mut list = DomList {
        ol,
        events,
        order,
        clock,
    };
    patch.apply(&mut list, to);
}

/// The events up to the scrubbed moment, newest first (redrawn only when that set changes).
#[component]
pub fn EventsList() -> impl IntoView {
    let time = use_time();
    let order = Memo::new(move |_| {
        time.run.with(|r| {
            r.as_ref()
                .map(|r| std::sync::Arc::new(time_order(&r.0.index.timeline().events)))
                .unwrap_or_default()
        })
    });
    let n = Memo::new(move |_| {
        let t = time.t.get();
        order.with(|o| {
            time.run.with(|r| {
                r.as_ref()
                    .map_or(0, |r| upto(&r.0.index.timeline().events, o, t))
            })
        })
    });
    let total = Memo::new(move |_| order.with(|o| o.len()));
    // What the list on the page shows: its element, the run and how many events (a new element
    // or run is drawn whole; a scrub step is a patch).
    let list = NodeRef::<leptos::html::Ol>::new();
    let drawn = StoredValue::new_local(None::<(web_sys::Element, RunRef, usize)>);
    Effect::new(move |_| {
        let to = n.get();
        let Some(ol) = list.get() else {
            drawn.set_value(None);
            return;
        };
        let ol: web_sys::Element = ol.into();
        order.with(|o| {
            time.run.with(|r| {
                let Some(r) = r else {
                    ol.set_inner_html("");
                    drawn.set_value(None);
                    return;
                };
                let from = drawn.with_value(|d| {
                    d.as_ref()
                        .filter(|(el, run, _)| *el == ol && run == r)
                        .map(|d| d.2)
                });
                let events = &r.0.index.timeline().events;
                patch_list(&ol, events, o, from, to, &r.0.clone_clock());
                drawn.set_value(Some((ol.clone(), r.clone(), to)));
            })
        })
    });
    view! {
        <Show when=move || time.at_moment()>
            <section class="events" data-testid="events" aria-labelledby="events-title">
                <h3 id="events-title">
                    "Events "
                    <span class="count" data-testid="events-count">
                        {move || format!("{} of {}", n.get(), total.get())}
                    </span>
                </h3>
                <p class="hint">
                    {move || {
                        if n.get() > MAX_EVENTS {
                            format!("Up to the scrubbed moment, newest first (the latest {MAX_EVENTS}).")
                        } else {
                            "Up to the scrubbed moment, newest first.".to_string()
                        }
                    }}
                </p>
                <ol
                    class="event-list"
                    data-testid="event-list"
                    tabindex="0"
                    aria-labelledby="events-title"
                    node_ref=list
                ></ol>
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The list as the positions of its events, newest first: what the `<ol>` shows, without a
    /// DOM.
    #[derive(Default)]
    struct Positions(Vec<usize>);

    impl DrawnList for Positions {
        fn redraw(&mut self, n: usize) {
            self.0 = shown(n).rev().collect();
        }
        fn drop_front(&mut self, n: usize) {
            self.0.drain(..n.min(self.0.len()));
        }
        fn drop_back(&mut self, n: usize) {
            self.0.truncate(self.0.len().saturating_sub(n));
        }
        fn prepend(&mut self, range: Range<usize>) {
            self.0.splice(0..0, range.rev());
        }
        fn append(&mut self, range: Range<usize>) {
            self.0.extend(range.rev());
        }
    }

    /// A list patched step by step, forwards, backwards and by jumps, always holds what drawing
    /// it whole would: the newest `MAX_EVENTS` events up to the moment, newest first.
    #[test]
    fn a_patched_list_is_the_list_drawn_whole() {
        let whole = |n: usize| shown(n).rev().collect::<Vec<_>>();
        let mut drawn = Positions::default();
        let mut from: Option<usize> = None;
        // Steps of every size through 0..400: one event, a scrub step's handful, jumps
        // past the list's length, back to 0.
        let mut seed = 7u64;
        let mut steps = vec![
            0, 1, 2, 3, 50, 99, 100, 101, 102, 250, 149, 150, 151, 0, 400, 301, 300,
        ];
        for _ in 0..400 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            steps.push((seed >> 33) as usize % 401);
        }
        for to in steps {
            from.map_or(ListPatch::Whole, |f| list_patch(f, to))
                .apply(&mut drawn, to);
            assert_eq!(drawn.0, whole(to), "from {from:?} to {to}");
            from = Some(to);
        }
    }

    /// A scrub step forward writes only the events it passed.
    #[test]
    fn a_step_forward_writes_only_the_events_it_passed() {
        assert_eq!(
            list_patch(300, 303),
            ListPatch::Edit {
                drop_front: 0,
                front: 300..303,
                drop_back: 3,
                back: 0..0
            }
        );
        assert_eq!(list_patch(300, 300), ListPatch::Same);
        assert_eq!(list_patch(100, 400), ListPatch::Whole);
    }

    fn ev(t: u32, kind: EventKind, service: Option<&str>, message: &str) -> SimEvent {
        SimEvent {
            t,
            kind,
            service: service.map(Into::into),
            task: None,
            instance: None,
            message: message.into(),
        }
    }

    #[test]
    fn callouts_group_unplaced_tasks_and_keep_the_engine_reason() {
        let events = vec![
            ev(
                0,
                EventKind::DeploymentStarted { deployment: 2 },
                Some("web"),
                "started",
            ),
            ev(
                10,
                EventKind::TaskUnplaced,
                Some("web"),
                "unable to place: port 80",
            ),
            ev(
                20,
                EventKind::TaskUnplaced,
                Some("web"),
                "unable to place: port 80",
            ),
            ev(30, EventKind::Stuck, Some("web"), "stuck: no room"),
            ev(
                40,
                EventKind::DeploymentFailed { deployment: 2 },
                Some("web"),
                "FAILED: 3 failures",
            ),
        ];
        let c = callouts(&events, None);
        assert_eq!(
            c.iter().map(|c| c.kind).collect::<Vec<_>>(),
            ["unplaced", "stuck", "failed"]
        );
        assert_eq!(c[0].count, 2);
        assert_eq!(c[1].message, "stuck: no room");
        // A timed-out deployment without a stuck event is called out from its result.
        let d = Deployed {
            outcome: DeployOutcome::Stuck,
            reason: "did not finish within 4h 0m".into(),
            service: "web".into(),
            duration: 14_400,
        };
        let c = callouts(&events[..1], Some(&d));
        assert_eq!(c.len(), 1);
        assert_eq!((c[0].kind, c[0].t), ("stuck", 14_400));
        // Its own stuck event is not repeated.
        let e = [ev(
            5,
            EventKind::Stuck,
            Some("web"),
            "did not finish within 4h 0m",
        )];
        assert_eq!(callouts(&e, Some(&d)).len(), 1);
    }

    #[test]
    fn events_up_to_a_moment_newest_first_and_escaped() {
        let events = vec![
            ev(0, EventKind::TaskStarted, None, "first"),
            ev(60, EventKind::TaskHealthy, Some("web"), "<second>"),
            ev(60, EventKind::TaskStopping, None, "third"),
            ev(120, EventKind::TaskStopped, None, "fourth"),
        ];
        let order = time_order(&events);
        assert_eq!(upto(&events, &order, 59), 1);
        assert_eq!(upto(&events, &order, 60), 3);
        let clock = Clock {
            deploy: true,
            start: 0,
        };
        let html = events_html(&events, &order, 3, &clock);
        let third = html.find("third").unwrap();
        let second = html.find("&lt;second&gt;").unwrap();
        assert!(third < second, "newest first: {html}");
        assert!(!html.contains("fourth"));
        assert!(html.contains("<time>+1m 00s</time>"));
        let many: Vec<SimEvent> = (0..500)
            .map(|t| ev(t, EventKind::TaskStarted, None, "m"))
            .collect();
        let o = time_order(&many);
        let h = events_html(&many, &o, 500, &clock);
        assert_eq!(h.matches("<li").count(), MAX_EVENTS);
    }
}
