//! The Review view: the engine's architecture review of the current plan (`ecsplan review`),
//! computed in the engine worker (`protocol::review`; the review is not in the page's first
//! load), with its gates first, then the report's sections as the engine writes them (the body
//! of its HTML: escaped text, no script, no style). It compares the plan with the plan before
//! the user's edits, a recent plan or a file (`--against`), and downloads the report in the
//! five formats of the command line, byte for byte.
//!
//! The review runs when the view opens and when the comparison changes; after an edit the view
//! says it is out of date and Refresh reviews again (a review places, loses every zone, deploys
//! every service and simulates a day: not something to redo on every keystroke).

pub mod html;

use std::sync::Arc;

use engine::api::edit::Edit;
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::review::{Against as AgainstPlan, Review, REPORT};
use serde_json::Value;
use wasm_bindgen::JsCast;

use self::html::RecentItem;
use super::learn::html::{list, text};
use super::learn::view::Live;
use super::time::{Scenario, TimeUi};
use crate::store::{Command, Origin, Store};
use crate::{labels, persist, web, worker};

/// The view's state. The signals hold types the page already has signals of (a review shown
/// is the worker's answer as JSON): each new type held in a signal is a copy of Leptos' signal
/// code in the page's wasm.
#[derive(Clone, Copy)]
pub struct ReviewUi {
    pub open: RwSignal<bool>,
    /// The compare menu's value ([`html::against_file`]).
    against: RwSignal<String>,
    /// The text of the file compared with.
    file_text: StoredValue<Option<String>>,
    /// The plan (JSON) when the view first opened on this plan; forgotten when another plan is
    /// opened.
    before: StoredValue<Option<String>>,
    /// The worker's answer (`protocol::review::Reviewed` JSON) with the plan `revision` it is of.
    shown: RwSignal<Option<Arc<Value>>>,
    busy: RwSignal<bool>,
    /// The last review was cancelled (Cancel while the worker computed it).
    cancelled: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    /// Downloads made, `FORMAT URL NAME` each, linked again for the keyboard.
    links: RwSignal<Vec<String>>,
    generation: StoredValue<u64>,
    store: Store,
    time: TimeUi,
    /// Learn is open: its scenario's plan is not the user's, so there is nothing to review.
    learning: RwSignal<bool>,
}

impl ReviewUi {
    pub fn toggle(&self) {
        if self.open.get_untracked() {
            self.open.set(false);
        } else if !self.learning.get_untracked() {
            // "Before my edits" is the plan when the view first opened on this plan (kept
            // while the user edits, or looks at a number on the board, and comes back).
            if self.before.with_value(Option::is_none) {
                self.before.set_value(Some(self.store.export().1));
            }
            self.open.set(true);
            self.run();
            focus("review-title");
        }
    }

    /// Reviews the current plan (compared with the chosen plan) in the engine worker.
    pub fn run(&self) {
        self.generation.update_value(|g| *g += 1);
        let generation = self.generation.get_value();
        let (file, plan) = self.store.export();
        let revision = self.store.revision().get_untracked();
        let choice = self.against.get_untracked();
        let against = if choice == "before" {
            self.before.get_value().map(|plan| AgainstPlan {
                plan,
                file: "before-my-edits.json".into(),
            })
        } else if let Some(name) = html::against_file(&choice) {
            self.file_text.get_value().map(|plan| AgainstPlan {
                plan,
                file: name.to_string(),
            })
        } else {
            choice
                .strip_prefix("recent:")
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| persist::recent().into_iter().nth(i))
                .map(|r| AgainstPlan {
                    file: labels::export_file_name(&r.name),
                    plan: r.plan,
                })
        };
        let request = Review {
            plan,
            file,
            against,
            seed: None,
        };
        self.busy.set(true);
        self.cancelled.set(false);
        self.error.set(None);
        let this = *self;
        spawn_local(async move {
            if this.generation.try_get_value() != Some(generation) {
                return; // cancelled (or asked again) before it was sent
            }
            let answer = worker::call(REPORT, &request).await;
            if this.generation.try_get_value() != Some(generation) {
                return; // a newer review was asked for
            }
            this.busy.set(false);
            match answer {
                Ok(mut v) => {
                    v["revision"] = revision.into();
                    this.shown.set(Some(Arc::new(v)));
                }
                Err(e) => this.error.set(Some(e.message)),
            }
        });
    }

    /// Stops the review being computed: the engine worker is restarted (a new one takes the
    /// next request), the report shown stays, and the plan is as it was.
    pub fn cancel(&self) {
        self.generation.update_value(|g| *g += 1);
        worker::restart();
        self.busy.set(false);
        self.cancelled.set(true);
    }

    fn download(&self, format: &str) {
        let Some(file) = self.shown.with_untracked(|s| {
            s.as_ref().and_then(|s| {
                list(s, "files")
                    .iter()
                    .find(|f| text(f, "format") == format)
                    .cloned()
            })
        }) else {
            return;
        };
        let name = text(&file, "name");
        let mime = match format {
            "html" => "text/html",
            "md" => "text/markdown",
            "junit" => "application/xml",
            _ => "application/json",
        };
        if let Some(url) = web::download(name, text(&file, "content"), mime) {
            self.links.update(|l| {
                let mine = format!("{format} ");
                l.retain(|old| {
                    let keep = !old.starts_with(&mine);
                    if !keep {
                        web::revoke(old.split(' ').nth(1).unwrap_or_default());
                    }
                    keep
                });
                l.push(format!("{format} {url} {name}"));
            });
        }
    }

    /// Shows on the board or in the time view what a command of the report computes.
    fn look(&self, action: &str, arg: String) {
        match action {
            "lose-zone" => self.store.execute(Command::Edit(Edit::LoseZone {
                availability_zone: arg,
            })),
            "remove" => self
                .store
                .execute(Command::Edit(Edit::RemoveInstance { id: arg })),
            "deploy" | "simulate" => {
                self.time.scenario.set(if action == "deploy" {
                    Scenario::Deploy {
                        service: arg,
                        to: None,
                    }
                } else {
                    Scenario::Simulate { hours: 24 }
                });
                self.time.start();
            }
            _ => return,
        }
        self.open.set(false);
        focus(if action == "deploy" || action == "simulate" {
            "time-title"
        } else {
            "cluster"
        });
    }
}

/// Scrolls to and focuses the element `id` once the view has drawn.
fn focus(id: &'static str) {
    request_animation_frame(move || {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            el.scroll_into_view();
            let _ = el.focus();
        }
    });
}

pub fn provide_review(store: Store, time: TimeUi, learning: RwSignal<bool>) -> ReviewUi {
    let r = ReviewUi {
        open: RwSignal::new(false),
        against: RwSignal::new(String::new()),
        file_text: StoredValue::new(None),
        before: StoredValue::new(None),
        shown: RwSignal::new(None),
        busy: RwSignal::new(false),
        cancelled: RwSignal::new(false),
        error: RwSignal::new(None),
        links: RwSignal::new(Vec::new()),
        generation: StoredValue::new(0),
        store,
        time,
        learning,
    };
    provide_context(r);
    // Every edit sets the origin again (to the same one): only a new origin is another plan.
    let origin = store.origin();
    Effect::new(move |prev: Option<String>| {
        let now = origin.with(Origin::describe);
        if prev.is_some_and(|p| p != now) {
            r.before.set_value(None);
            r.shown.set(None);
        }
        now
    });
    r
}

pub fn use_review() -> ReviewUi {
    expect_context::<ReviewUi>()
}

/// The toolbar's entry. Its attributes are type-erased signals: each closure given to a view
/// is a copy of Leptos' reactive machinery in the page's wasm.
#[component]
pub fn ReviewEntry(hidden: Signal<bool>) -> impl IntoView {
    let r = use_review();
    let pressed = Signal::derive(move || r.open.get().to_string());
    view! {
        <button
            type="button"
            data-testid="review-open"
            hidden=hidden
            aria-pressed=pressed
            aria-keyshortcuts="R"
            title="Architecture review of this plan: gates, headroom, zone loss, deployments, a day's scaling and cost (R)"
            on:click=move |_| r.toggle()
        >
            "Review"
        </button>
    }
}

fn on_click(r: ReviewUi, ev: web_sys::MouseEvent) {
    let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("button[data-action]").ok().flatten())
    else {
        return;
    };
    let action = el.get_attribute("data-action").unwrap_or_default();
    let arg = el.get_attribute("data-arg").unwrap_or_default();
    match action.as_str() {
        "close" => r.open.set(false),
        "refresh" => r.run(),
        "cancel" => r.cancel(),
        "download" => r.download(&arg),
        a => r.look(a, arg),
    }
}

fn on_change(r: ReviewUi, ev: web_sys::Event) {
    let Some(target) = ev.target() else { return };
    if let Some(select) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
        r.against.set(select.value());
        r.run();
    } else if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        spawn_local(async move {
            match web::read_text(&file).await {
                Ok(t) => {
                    r.file_text.set_value(Some(t));
                    r.against.set(format!("file:{}", file.name()));
                    r.run();
                }
                Err(e) => r.error.set(Some(e)),
            }
        });
    }
}

/// The view, in place of the board and the side panel while `shown` (open, Learn closed).
/// Its markup is strings (`html.rs`) and its attributes type-erased signals, for the page's
/// size.
#[component]
pub fn ReviewView(shown: Signal<bool>) -> impl IntoView {
    let r = use_review();
    let revision = r.store.revision();
    let stale = move || {
        r.shown.with(|s| {
            s.as_ref()
                .is_some_and(|s| s["revision"].as_u64() != Some(revision.get()))
        })
    };
    let status = Signal::derive(move || {
        if r.busy.get() {
            "Reviewing in the engine: placement, every zone lost, a deployment of every service, a simulated day…".to_string()
        } else if r.cancelled.get() {
            "Cancelled the review; the plan is as it was. Refresh reviews it again.".to_string()
        } else if let Some(e) = r.error.get() {
            format!("The review could not be made: {e}. Refresh tries again.")
        } else if stale() {
            "Out of date: the plan changed since this review. Refresh reviews it again.".into()
        } else if r.shown.with(Option::is_some) {
            "Up to date with the plan.".into()
        } else {
            String::new()
        }
    });
    let warn = Signal::derive(move || {
        if r.error.with(Option::is_some) || stale() {
            "review-status warn".to_string()
        } else {
            "review-status".to_string()
        }
    });
    let busy = Signal::derive(move || r.busy.get().to_string());
    let stale_attr = Signal::derive(move || stale().to_string());
    let hidden = Signal::derive(move || !shown.get());
    let recent_changed = r.store.recent_changed();
    let controls = Signal::derive(move || {
        if !shown.get() {
            return String::new();
        }
        recent_changed.track();
        let recent = persist::recent();
        let items: Vec<RecentItem> = recent
            .iter()
            .map(|p| RecentItem {
                name: &p.name,
                why: &p.why,
            })
            .collect();
        let mut out = String::from("<div class=\"panel-head\"><h2 id=\"review-title\" tabindex=\"-1\" data-key=\"title\">Review</h2><button type=\"button\" class=\"close\" data-action=\"close\" data-testid=\"review-close\">Close</button></div><p class=\"hint\">The engine's architecture review of this plan, as <code>ecsplan review</code> writes it: gates, findings, headroom, zone and instance loss, deployments, a day's scaling and its cost.</p>");
        out.push_str(&html::controls(&r.against.get(), &items, r.busy.get()));
        for link in r.links.get() {
            let mut parts = link.splitn(3, ' ');
            let (format, url) = (
                parts.next().unwrap_or_default(),
                parts.next().unwrap_or_default(),
            );
            let name = engine::api::text::escape_html(parts.next().unwrap_or_default());
            out.push_str(&format!(
                "<a class=\"visually-hidden\" data-testid=\"review-link\" data-format=\"{format}\" href=\"{url}\" download=\"{name}\">Download {name} again</a>"
            ));
        }
        out
    });
    let report = Signal::derive(move || {
        if !shown.get() {
            return String::new();
        }
        r.shown.with(|s| {
            s.as_ref()
                .map(|s| {
                    format!(
                        "{}<div class=\"review-report\" data-testid=\"review-report\">{}</div>",
                        html::verdict(&s["report"]),
                        text(s, "body")
                    )
                })
                .unwrap_or_default()
        })
    });
    view! {
        <section
            id="review"
            class="review-view panel"
            aria-labelledby="review-title"
            data-testid="review"
            hidden=hidden
            aria-busy=busy
            data-stale=stale_attr
            on:click=move |ev| on_click(r, ev)
            on:change=move |ev| on_change(r, ev)
        >
            <Live html=controls />
            <p role="status" class=warn data-testid="review-status">
                {status}
            </p>
            <Live html=report />
        </section>
    }
}
