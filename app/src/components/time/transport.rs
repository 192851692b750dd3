//! What to run ([`ScenarioForm`]), what the run said ([`RunStatus`]) and the transport bar
//! ([`Transport`]: play/pause, the scrubber, the clock, the speed).
//!
//! Scrubbing writes one signal, `time.t`; everything that depends on the moment is a memo over
//! it, so a step re-renders only what changed. Playing advances `time.t` once per animation
//! frame by `speed` simulated seconds per real second (once a second when the user asked for
//! reduced motion), and stops at the end.

use engine::api::plan::Plan;
use engine::api::sim::DeployOutcome;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::{use_time, Scenario, TimeUi};
use crate::store::use_store;
use crate::web;

/// A choice of deployment target: `value` is `family:revision` ("" forces a new deployment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetOption {
    pub value: String,
    pub label: String,
}

/// The service's current task definition as `family:revision`, when it resolves.
fn current_of(plan: &Plan, service: &str) -> Option<String> {
    let svc = plan.services.iter().find(|s| s.service_name == service)?;
    let (i, rev) = plan.resolve_task_definition(svc.task_definition.as_deref()?)?;
    Some(format!("{}:{rev}", plan.task_definitions.get(i)?.family))
}

/// What a deployment of `service` may go to: a forced new deployment, then every revision of
/// every family (the service's own family first), the current one marked.
pub fn target_options(plan: &Plan, service: &str) -> Vec<TargetOption> {
    let current = current_of(plan, service);
    let own = current
        .as_deref()
        .and_then(|c| c.rsplit_once(':'))
        .map(|(f, _)| f.to_string());
    let mut families: Vec<&str> = Vec::new();
    if let Some(f) = own.as_deref() {
        families.push(f);
    }
    for td in &plan.task_definitions {
        if !families.contains(&td.family.as_str()) {
            families.push(&td.family);
        }
    }
    let mut out = vec![TargetOption {
        value: String::new(),
        label: match &current {
            Some(c) => format!("Forced new deployment ({c})"),
            None => "Forced new deployment".into(),
        },
    }];
    for f in families {
        for (rev, _, _) in plan.revisions(f) {
            let value = format!("{f}:{rev}");
            let label = if current.as_deref() == Some(value.as_str()) {
                format!("{value} (current)")
            } else {
                value.clone()
            };
            out.push(TargetOption { value, label });
        }
    }
    out
}

/// Hours to simulate from the form's text: 1 to 168 (a week).
pub fn parse_hours(text: &str) -> Option<u32> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|h| (1..=168).contains(h))
}

/// The playback speeds offered, in simulated seconds per real second.
pub fn speed_options(deploy: bool) -> &'static [(u32, &'static str)] {
    if deploy {
        &[
            (1, "1 s/s (real time)"),
            (10, "10 s/s"),
            (30, "30 s/s"),
            (60, "1 min/s"),
            (300, "5 min/s"),
        ]
    } else {
        &[
            (60, "1 min/s"),
            (600, "10 min/s"),
            (1800, "30 min/s"),
            (3600, "1 h/s"),
            (7200, "2 h/s"),
        ]
    }
}

/// One playback step: from second `t` (and the fraction `carry` of a second not yet shown),
/// `dt_ms` real milliseconds later at `speed`: the new second, the new carry, and whether the
/// end is reached.
pub fn advance(t: u32, carry: f64, dt_ms: f64, speed: u32, duration: u32) -> (u32, f64, bool) {
    let dt = if dt_ms.is_finite() {
        dt_ms.clamp(0.0, 1000.0)
    } else {
        0.0
    };
    let total = carry + dt / 1000.0 * speed as f64;
    let whole = total.floor();
    let next = (t as f64 + whole).min(duration as f64) as u32;
    if next >= duration {
        (duration, 0.0, true)
    } else {
        (next, total - whole, false)
    }
}

/// Whether the user asked for reduced motion (`matchMedia`, read through JS reflection).
fn reduced_motion() -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    let Ok(f) = js_sys::Reflect::get(&w, &JsValue::from_str("matchMedia")) else {
        return false;
    };
    let Ok(f) = f.dyn_into::<js_sys::Function>() else {
        return false;
    };
    f.call1(&w, &JsValue::from_str("(prefers-reduced-motion: reduce)"))
        .ok()
        .and_then(|m| js_sys::Reflect::get(&m, &JsValue::from_str("matches")).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

impl TimeUi {
    /// Plays from the scrubbed second (from the start when at the end), or pauses.
    pub fn toggle_play(&self) {
        if self.playing.get_untracked() {
            self.playing.set(false);
            return;
        }
        let duration = self
            .run
            .with_untracked(|r| r.as_ref().map(|r| r.0.duration()));
        let Some(duration) = duration else { return };
        if self.t.get_untracked() >= duration {
            self.t.set(0);
        }
        self.playing.set(true);
        self.play_token.update_value(|n| *n += 1);
        let token = self.play_token.get_value();
        let reduced = reduced_motion();
        frame(*self, token, web::now_ms(), 0.0, reduced);
    }
}

/// The playback loop: one step per animation frame while this play is the current one.
fn frame(time: TimeUi, token: u64, last: f64, carry: f64, reduced: bool) {
    request_animation_frame(move || {
        if !time.playing.get_untracked() || time.play_token.get_value() != token {
            return;
        }
        let now = web::now_ms();
        // Reduced motion: the board changes once a second, not every frame.
        if reduced && now - last < 1000.0 {
            frame(time, token, last, carry, reduced);
            return;
        }
        let Some(duration) = time
            .run
            .with_untracked(|r| r.as_ref().map(|r| r.0.duration()))
        else {
            time.playing.set(false);
            return;
        };
        let (t, carry, ended) = advance(
            time.t.get_untracked(),
            carry,
            now - last,
            time.speed.get_untracked(),
            duration,
        );
        if t != time.t.get_untracked() {
            time.t.set(t);
        }
        if ended {
            time.playing.set(false);
        } else {
            frame(time, token, now, carry, reduced);
        }
    });
}

/// Deploy a service to a revision (or force a new deployment), or simulate some hours; Run;
/// Close (the board shows the plan again).
#[component]
pub fn ScenarioForm() -> impl IntoView {
    let time = use_time();
    let store = use_store();
    let plan = store.plan();
    let services = Memo::new(move |_| {
        plan.with(|p| {
            p.services
                .iter()
                .map(|s| s.service_name.clone())
                .collect::<Vec<_>>()
        })
    });
    let (kind0, service0, target0, hours0) = match time.scenario.get_untracked() {
        Scenario::Deploy { service, to } => ("deploy", service, to.unwrap_or_default(), 24),
        Scenario::Simulate { hours } => ("simulate", String::new(), String::new(), hours),
    };
    let kind = RwSignal::new(kind0);
    let chosen_service = RwSignal::new(service0);
    let target = RwSignal::new(target0);
    let hours = RwSignal::new(hours0.to_string());
    // The chosen service, or the first one when it is not in the plan (any more).
    let service = Memo::new(move |_| {
        let chosen = chosen_service.get();
        services.with(|s| {
            if s.contains(&chosen) {
                chosen
            } else {
                s.first().cloned().unwrap_or_default()
            }
        })
    });
    let targets = Memo::new(move |_| {
        let s = service.get();
        plan.with(|p| target_options(p, &s))
    });
    let target_value = move || {
        let t = target.get();
        if targets.with(|o| o.iter().any(|o| o.value == t)) {
            t
        } else {
            String::new()
        }
    };
    let hours_ok = move || hours.with(|h| parse_hours(h).is_some());
    let can_run = move || {
        time.progress.with(Option::is_none)
            && match kind.get() {
                "deploy" => !service.get().is_empty(),
                _ => hours_ok(),
            }
    };
    let run = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let scenario = if kind.get_untracked() == "deploy" {
            let s = service.get_untracked();
            if s.is_empty() {
                return;
            }
            let to = target_value();
            Scenario::Deploy {
                service: s,
                to: (!to.is_empty()).then_some(to),
            }
        } else {
            match hours.with_untracked(|h| parse_hours(h)) {
                Some(h) => Scenario::Simulate { hours: h },
                None => return,
            }
        };
        time.playing.set(false);
        time.scenario.set(scenario);
        time.start();
    };
    let radio = move |value: &'static str, label: &'static str| {
        view! {
            <label class="scenario-kind-option">
                <input
                    type="radio"
                    name="scenario-kind"
                    value=value
                    data-testid=format!("scenario-{value}")
                    prop:checked=move || kind.get() == value
                    on:change=move |_| kind.set(value)
                />
                {label}
            </label>
        }
    };
    view! {
        <form class="scenario" data-testid="scenario-form" aria-label="Scenario" on:submit=run>
            <fieldset class="scenario-kind">
                <legend class="visually-hidden">"What to run"</legend>
                {radio("deploy", "Deployment")}
                {radio("simulate", "Simulation")}
            </fieldset>
            <Show when=move || kind.get() == "deploy">
                <label class="field">
                    <span>"Service"</span>
                    <select
                        data-testid="scenario-service"
                        on:change=move |ev| chosen_service.set(event_target_value(&ev))
                    >
                        {move || {
                            let current = service.get();
                            services
                                .get()
                                .into_iter()
                                .map(|s| {
                                    let selected = s == current;
                                    view! { <option value=s.clone() selected=selected>{s.clone()}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <label class="field">
                    <span>"To"</span>
                    <select data-testid="scenario-target" on:change=move |ev| target.set(event_target_value(&ev))>
                        {move || {
                            let current = target_value();
                            targets
                                .get()
                                .into_iter()
                                .map(|o| {
                                    let selected = o.value == current;
                                    view! { <option value=o.value selected=selected>{o.label}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
            </Show>
            <Show when=move || kind.get() == "simulate">
                <label class="field">
                    <span>"Hours"</span>
                    <input
                        type="number"
                        min="1"
                        max="168"
                        step="1"
                        data-testid="scenario-hours"
                        aria-invalid=move || (!hours_ok()).to_string()
                        prop:value=move || hours.get()
                        on:input=move |ev| hours.set(event_target_value(&ev))
                    />
                </label>
            </Show>
            <button type="submit" class="primary" data-testid="scenario-run" disabled=move || !can_run()>
                "Run"
            </button>
            <Show when=move || time.progress.with(Option::is_some)>
                <button
                    type="button"
                    data-testid="time-cancel"
                    title="Stop the simulation that is running (the plan stays as it is)"
                    on:click=move |_| time.cancel()
                >
                    "Cancel"
                </button>
            </Show>
            <button
                type="button"
                data-testid="time-close"
                title="Return the board to the plan"
                disabled=move || !time.at_moment() && time.progress.with(Option::is_none)
                on:click=move |_| time.close()
            >
                "Close"
            </button>
        </form>
    }
}

/// What a finished deployment says first: `COMPLETED`, `FAILED, ROLLED BACK`, `STUCK`.
pub fn outcome_label(o: DeployOutcome) -> &'static str {
    match o {
        DeployOutcome::Completed => "COMPLETED",
        DeployOutcome::RolledBack => "FAILED, ROLLED BACK",
        DeployOutcome::Stuck => "STUCK",
    }
}

/// The run in progress, how the last one ended, or why it could not run. Announced politely
/// (the progress bar is not: it changes too often to read out).
#[component]
pub fn RunStatus() -> impl IntoView {
    let time = use_time();
    let outcome = move || {
        time.run.with(|r| {
            r.as_ref().and_then(|r| {
                r.0.deployed
                    .as_ref()
                    .map(|d| format!("{:?}", d.outcome).to_lowercase())
            })
        })
    };
    let text = move || {
        if time.progress.with(Option::is_some) {
            return format!("Running {}…", time.scenario.with(|s| s.describe()));
        }
        time.run.with(|r| match r {
            None => String::new(),
            Some(r) => {
                let r = &r.0;
                match &r.deployed {
                    Some(d) if d.outcome == DeployOutcome::Stuck => format!(
                        "{}: {} (gave up after {}).",
                        outcome_label(d.outcome),
                        d.reason,
                        clock_duration(d.duration)
                    ),
                    Some(d) => format!("{}: {}.", outcome_label(d.outcome), d.reason),
                    None => format!(
                        "Simulated {} h of “{}” from {} in {:.0} ms: {} events, {} tasks.",
                        r.duration() / 3600,
                        r.plan.name,
                        super::clock::date(r.start),
                        r.wall_ms,
                        r.index.timeline().events.len(),
                        r.index.timeline().tasks.len()
                    ),
                }
            }
        })
    };
    let progress = move || time.progress.get();
    let text = move || {
        let t = text();
        if t.is_empty() {
            time.cancelled.get().unwrap_or_default()
        } else {
            t
        }
    };
    view! {
        <div
            class="run-status"
            data-testid="run-status"
            data-outcome=outcome
            aria-busy=move || time.progress.with(Option::is_some).to_string()
        >
            <p role="status" aria-live="polite" data-testid="run-status-text">{text}</p>
            {move || {
                progress()
                    .map(|(done, of)| {
                        view! {
                            <progress
                                data-testid="run-progress"
                                max=of.max(1).to_string()
                                value=done.to_string()
                                aria-label="Simulated so far"
                            ></progress>
                        }
                    })
            }}
            {move || {
                time.error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="run-error" role="alert" data-testid="run-error">
                                {format!("Could not run: {e}")}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// `400` → `6m 40s` (the engine's wording).
fn clock_duration(secs: u32) -> String {
    engine::api::sim::duration_label(secs)
}

/// Play/pause, the scrubber (keys per [`super::clock::key_target`]; Space plays or pauses),
/// the clock and the speed. Fixed at the bottom of the window while a run is shown.
#[component]
pub fn Transport() -> impl IntoView {
    let time = use_time();
    let duration = Memo::new(move |_| time.run.with(|r| r.as_ref().map(|r| r.0.duration())));
    let is_deploy = Memo::new(move |_| {
        time.run
            .with(|r| r.as_ref().is_some_and(|r| r.0.scenario.is_deploy()))
    });
    let clock = Memo::new(move |_| {
        let t = time.t.get();
        time.run
            .with(|r| r.as_ref().map(|r| r.0.clock(t)).unwrap_or_default())
    });
    let end_clock = Memo::new(move |_| {
        time.run.with(|r| {
            r.as_ref()
                .map(|r| r.0.clock(r.0.duration()))
                .unwrap_or_default()
        })
    });
    let on_input = move |ev: leptos::ev::Event| {
        if let Ok(v) = event_target_value(&ev).parse::<f64>() {
            if v.is_finite() && v >= 0.0 {
                time.seek(v as u32);
            }
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let key = ev.key();
        if key == " " || key == "Spacebar" {
            ev.prevent_default();
            time.toggle_play();
            return;
        }
        let Some(d) = duration.get_untracked() else {
            return;
        };
        if let Some(t) = super::clock::key_target(&key, time.t.get_untracked(), d) {
            ev.prevent_default();
            time.seek(t);
        }
    };
    let speed_change = move |ev: leptos::ev::Event| {
        if let Ok(v) = event_target_value(&ev).parse::<u32>() {
            time.speed.set(v.max(1));
        }
    };
    view! {
        <Show when=move || time.at_moment()>
            <div class="transport" role="group" aria-label="Timeline" data-testid="transport">
                <button
                    type="button"
                    class="play"
                    data-testid="play"
                    aria-pressed=move || time.playing.get().to_string()
                    aria-label=move || if time.playing.get() { "Pause" } else { "Play" }
                    title="Play or pause (Space on the scrubber)"
                    on:click=move |_| time.toggle_play()
                >
                    <span aria-hidden="true">{move || if time.playing.get() { "❚❚" } else { "▶" }}</span>
                </button>
                <input
                    type="range"
                    class="scrubber"
                    data-testid="scrubber"
                    min="0"
                    step="1"
                    max=move || duration.get().unwrap_or(0).to_string()
                    prop:value=move || time.t.get().to_string()
                    aria-label="Moment of the run"
                    aria-valuetext=move || clock.get()
                    aria-keyshortcuts="ArrowLeft ArrowRight PageUp PageDown Home End Space"
                    on:input=on_input
                    on:keydown=on_key
                />
                <output class="clock" data-testid="clock" aria-label="Moment">
                    <span data-testid="clock-now">{move || clock.get()}</span>
                    <span class="clock-of">{move || format!(" of {}", end_clock.get())}</span>
                </output>
                <label class="speed">
                    <span>"Speed"</span>
                    <select data-testid="speed" on:change=speed_change>
                        {move || {
                            let now = time.speed.get();
                            speed_options(is_deploy.get())
                                .iter()
                                .map(|(v, label)| {
                                    view! { <option value=v.to_string() selected=*v == now>{*label}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn playback_advances_by_speed_and_stops_at_the_end() {
        // 16 ms at 3600 s/s is 57.6 s: 57 shown, 0.6 carried.
        let (t, carry, end) = advance(0, 0.0, 16.0, 3600, 86_400);
        assert_eq!((t, end), (57, false));
        assert!((carry - 0.6).abs() < 1e-9);
        let (t, _, end) = advance(t, carry, 16.0, 3600, 86_400);
        assert_eq!((t, end), (115, false));
        // Slow speeds accumulate fractions.
        let mut state = (0, 0.0, false);
        for _ in 0..60 {
            state = advance(state.0, state.1, 1000.0 / 60.0, 1, 600);
        }
        assert_eq!(state.0, 1);
        assert_eq!(advance(590, 0.0, 1000.0, 30, 600), (600, 0.0, true));
        // A stalled tab does not jump more than a second's worth; junk input does nothing.
        assert_eq!(advance(0, 0.0, 60_000.0, 30, 600).0, 30);
        assert_eq!(advance(5, 0.0, f64::NAN, 30, 600).0, 5);
        assert_eq!(advance(5, 0.0, -10.0, 30, 600).0, 5);
    }

    #[test]
    fn targets_list_a_forced_deployment_then_every_revision() {
        let plan = crate::persist::default_plan();
        let o = target_options(&plan, "web");
        assert_eq!(o[0].value, "");
        assert!(o[0].label.starts_with("Forced new deployment"), "{o:?}");
        assert!(o[1].value.starts_with("web:"), "{o:?}");
        assert!(o.iter().any(|x| x.label.ends_with("(current)")));
        assert!(o.iter().any(|x| x.value.starts_with("worker:")));
        // An unknown service still offers the forced deployment.
        assert_eq!(
            target_options(&plan, "nope")[0].label,
            "Forced new deployment"
        );
    }

    #[test]
    fn hours_and_speeds() {
        assert_eq!(parse_hours(" 24 "), Some(24));
        assert_eq!(parse_hours("0"), None);
        assert_eq!(parse_hours("169"), None);
        assert_eq!(parse_hours("x"), None);
        // The speeds a new run starts with are offered.
        assert!(speed_options(true).iter().any(|s| s.0 == 30));
        assert!(speed_options(false).iter().any(|s| s.0 == 3600));
    }
}
