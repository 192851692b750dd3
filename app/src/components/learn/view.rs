//! Learn's components: the header's way in and out, the list ([`LearnHome`]) and the scenario
//! panel over the board ([`LearnPanel`]). Their markup comes from [`super::html`]; each part
//! that changes is written by [`Live`], which keeps the keyboard focus on the control that had
//! it. One listener per view handles every `data-action` (clicks, form submits, the progress
//! file), as the board does for its chips.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::learn as req;
use serde_json::json;
use wasm_bindgen::JsCast;

use super::exam::{self, SECONDS_PER_QUESTION};
use super::route::{self, Route};
use super::{ask, html, use_learn, LearnUi};
use crate::store::{use_store, Command};
use crate::web;
use engine::api::text::escape_html as escape;

/// An element whose content is `html`, rewritten when it changes. The control that had the
/// focus (found again by its `data-key`, or a link by its `href`) gets it back.
#[component]
pub fn Live(
    #[prop(into)] html: Signal<String>,
    #[prop(optional)] class: &'static str,
) -> impl IntoView {
    let node: NodeRef<leptos::html::Div> = NodeRef::new();
    Effect::new(move |_| {
        let text = html.get();
        let Some(el) = node.get() else { return };
        let doc = web_sys::window().and_then(|w| w.document());
        let focused = doc
            .as_ref()
            .and_then(|d| d.active_element())
            .filter(|a| el.contains(Some(a)))
            .and_then(|a| {
                [("data-key"), ("href")]
                    .into_iter()
                    .find_map(|k| a.get_attribute(k).map(|v| format!("[{k}=\"{v}\"]")))
            });
        el.set_inner_html(&text);
        if let Some(sel) = focused {
            if let Some(x) = el
                .query_selector(&sel)
                .ok()
                .flatten()
                .and_then(|x| x.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = x.focus();
            }
        }
    });
    view! { <div class=class node_ref=node></div> }
}

/// The element with a `data-action` the event came from, and the action.
fn action_of(ev: &web_sys::Event) -> Option<(web_sys::Element, String)> {
    let el = ev
        .target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("[data-action]")
        .ok()??;
    let a = el.get_attribute("data-action")?;
    Some((el, a))
}

fn on_click(learn: LearnUi, ev: web_sys::MouseEvent) {
    let Some((el, action)) = action_of(&ev) else {
        return;
    };
    let attr = |k: &str| el.get_attribute(k).unwrap_or_default();
    match action.as_str() {
        "hint" => learn.hints.update(|h| *h += 1),
        "check" => learn.check_plan(),
        "play-choice" => learn.show_choice(attr("data-choice"), attr("data-plan") == "true"),
        "show-start" => learn.show_start(),
        "go" => {
            if let Some(r) = route::parse(&attr("data-to")) {
                learn.go(&r);
            }
        }
        "cancel" => learn.cancel(),
        "exam-skip" => exam::next(learn),
        "exam-end" => exam::finish(learn, false),
        "exam-close" => learn.exam.set(None),
        "progress-export" => {
            let json = learn.store.progress().with_untracked(|p| p.to_json());
            if web::download("ecs-planner-learn-progress.json", &json, "application/json").is_some()
            {
                learn.note.set((
                    true,
                    "Progress exported as ecs-planner-learn-progress.json.".into(),
                ));
            }
        }
        _ => return,
    }
    ev.prevent_default();
}

fn field(form: &web_sys::Element, css: &str) -> Option<String> {
    let el = form.query_selector(css).ok()??;
    if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        return Some(i.value());
    }
    el.dyn_ref::<web_sys::HtmlSelectElement>()
        .map(|s| s.value())
}

fn on_submit(learn: LearnUi, ev: web_sys::SubmitEvent) {
    let Some((form, action)) = action_of(&ev) else {
        return;
    };
    ev.prevent_default();
    match action.as_str() {
        "answer" if learn.grade.with_untracked(Option::is_some) => {}
        "answer" => {
            if let Some(c) = field(&form, "input[name=choice]:checked") {
                learn.answer(json!({ "choice": c }));
            } else if let Some(x) = field(&form, "input[name=number]")
                .and_then(|t| t.trim().parse::<f64>().ok())
                .filter(|x| x.is_finite())
            {
                learn.answer(json!({ "number": x }));
            } else {
                learn.said.set("Choose or type an answer first.".into());
            }
        }
        "exam-start" => {
            let size = field(&form, "select")
                .and_then(|s| s.parse().ok())
                .unwrap_or(10);
            let seed = field(&form, "input[name=seed]")
                .and_then(|s| s.trim().parse::<u64>().ok())
                .unwrap_or_else(|| web::epoch_ms() % 1_000_000);
            exam::start(learn, size, seed);
        }
        _ => {}
    }
}

/// Imports a progress file picked in the list (read and checked by the engine worker).
fn on_change(learn: LearnUi, ev: web_sys::Event) {
    let Some((el, action)) = action_of(&ev) else {
        return;
    };
    let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() else {
        return;
    };
    let file = input.files().and_then(|f| f.get(0));
    if action != "progress-import" {
        return;
    }
    let Some(file) = file else { return };
    input.set_value("");
    spawn_local(async move {
        let name = file.name();
        let read = match web::read_text(&file).await {
            Ok(text) => ask(req::PROGRESS, &req::ReadProgress { text }).await,
            Err(e) => Err(e),
        };
        let progress = read.and_then(|v| {
            <engine::api::learn::progress::Progress as serde::Deserialize>::deserialize(&v)
                .map_err(|e| format!("it could not be read: {e}"))
        });
        learn.note.set(match progress {
            Ok(p) => {
                let n = p.scenarios.len();
                learn.store.execute(Command::ImportProgress(Box::new(p)));
                (
                    true,
                    format!("Imported {name}: {n} scenarios (for one in both, the newer answer is kept)."),
                )
            }
            Err(e) => (false, format!("{name} was not imported: {e}")),
        });
    });
}

fn status_html(learn: LearnUi) -> String {
    let mut out = String::new();
    if let Some(b) = learn.busy.get() {
        out.push_str(&format!(
            "<p class=\"hint busy\" data-testid=\"learn-busy\">{} <button type=\"button\" class=\"small\" data-action=\"cancel\" data-key=\"cancel\" data-testid=\"learn-cancel\">Cancel</button></p>",
            escape(&b)
        ));
    }
    if let Some(e) = learn.error.get() {
        out.push_str(&format!(
            "<p class=\"banner warn\" role=\"alert\" data-testid=\"learn-error\">{}</p>",
            escape(&e)
        ));
    }
    out
}

/// The list: what is due, the topics, the practice exam, the progress file.
#[component]
pub fn LearnHome() -> impl IntoView {
    let learn = use_learn();
    let store = use_store();
    let lists = Signal::derive(move || {
        let Some(c) = learn.catalog.get() else {
            return String::new();
        };
        store
            .progress()
            .with(|p| html::topics(&c, p, web::epoch_ms()))
    });
    let exams = Signal::derive(move || store.progress().with(html::exams_taken));
    let note = Signal::derive(move || {
        let (ok, text) = learn.note.get();
        format!(
            "<p role=\"status\" data-testid=\"progress-status\"{}>{}</p>",
            if ok { "" } else { " class=\"warn-text\"" },
            escape(&text)
        )
    });
    let exam_form = format!(
        "<form class=\"exam-start\" data-action=\"exam-start\" data-testid=\"exam-start\" aria-labelledby=\"exam-title\"><h3 id=\"exam-title\">Practice exam</h3><p class=\"hint\">Questions drawn across topics, {SECONDS_PER_QUESTION} seconds each, no hints; then your score per topic and a review of every miss.</p><label>Questions <select name=\"size\" data-testid=\"exam-size\"><option value=\"3\">3</option><option value=\"5\">5</option><option value=\"10\" selected>10</option><option value=\"20\">20</option></select></label><label>Seed <input type=\"text\" name=\"seed\" inputmode=\"numeric\" size=\"8\" placeholder=\"any\" data-testid=\"exam-seed\" aria-describedby=\"exam-seed-hint\"></label><span id=\"exam-seed-hint\" class=\"hint\">The same seed draws the same questions.</span><button type=\"submit\" class=\"primary\" data-testid=\"exam-go\">Start the exam</button></form>"
    );
    view! {
        <section
            class="learn-home"
            aria-labelledby="learn-home-title"
            data-testid="learn-home"
            on:click=move |ev| on_click(learn, ev)
            on:submit=move |ev| on_submit(learn, ev)
            on:change=move |ev| on_change(learn, ev)
        >
            <div class="learn-head">
                <h2 id="learn-home-title" tabindex="-1">"Learn"</h2>
                <p>
                    "Every topic of ECS study notes as a scenario the engine answers: predict, then watch it play on the board; reach a goal or fix a broken definition with the real editors. Your own plan waits, unchanged, until you leave."
                </p>
            </div>
            <Live html=Signal::derive(move || status_html(learn)) />
            <Live html=Signal::derive(move || exam::review_html(learn)) />
            <div class="learn-grid">
                <Live html=lists class="learn-lists" />
                <div class="learn-side">
                    <div class="panel" inner_html=exam_form></div>
                    <section class="panel" aria-labelledby="progress-title" data-testid="learn-progress">
                        <h3 id="progress-title">"Your progress"</h3>
                        <p class="hint">
                            "Kept in this browser. Export it to keep a copy or to move it to another browser; importing adds it to what is here."
                        </p>
                        <div class="learn-actions">
                            <button type="button" data-action="progress-export" data-testid="progress-export">
                                "Export progress"
                            </button>
                            <label class="button">
                                "Import progress…"
                                <input
                                    type="file"
                                    class="visually-hidden"
                                    accept=".json,application/json"
                                    data-action="progress-import"
                                    data-testid="progress-import"
                                />
                            </label>
                        </div>
                        <Live html=note />
                        <h4>"Exams taken"</h4>
                        <Live html=exams />
                    </section>
                </div>
            </div>
        </section>
    }
}

/// The scenario being played, over the board.
#[component]
pub fn LearnPanel() -> impl IntoView {
    let learn = use_learn();
    move || {
        let p = learn.playing.get()?;
        let in_exam = learn
            .exam
            .with_untracked(|e| e.as_ref().is_some_and(exam::Exam::running));
        let catalog = learn.catalog.get_untracked();
        let fixed = html::panel(&p.played, catalog.as_deref(), in_exam);
        let (played, played2) = (p.played.clone(), p.played.clone());
        let hints = Signal::derive(move || {
            if in_exam {
                String::new()
            } else {
                html::hints(&played, learn.hints.get())
            }
        });
        let result = Signal::derive(move || {
            learn.grade.get().map_or_else(String::new, |g| {
                html::result(&g, &played2, learn.shown.get().as_deref())
            })
        });
        let refused = Signal::derive(move || html::refused(&learn.refused.get()));
        let answered = move || learn.grade.with(Option::is_some);
        // Answered: the choices and the number are final.
        let section: NodeRef<leptos::html::Section> = NodeRef::new();
        Effect::new(move |_| {
            let done = answered();
            if let Some(list) = section
                .get()
                .and_then(|s| s.query_selector_all(".learn-answer input").ok())
            {
                for i in 0..list.length() {
                    if let Some(el) = list
                        .item(i)
                        .and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok())
                    {
                        el.set_disabled(done);
                    }
                }
            }
        });
        Some(view! {
            <section
                node_ref=section
                data-answered=move || answered().to_string()
                class="panel learn-panel"
                aria-labelledby="learn-title"
                data-testid="learn-panel"
                data-id=p.id.clone()
                data-kind=p.kind().to_string()
                data-variant=html::number(&p.played, "variant").to_string()
                on:click=move |ev| on_click(learn, ev)
                on:submit=move |ev| on_submit(learn, ev)
            >
                {in_exam.then(|| view! { <ExamBar /> })}
                <div inner_html=fixed></div>
                <Live html=Signal::derive(move || status_html(learn)) />
                <Live html=refused />
                <Live html=hints />
                <Live html=result />
            </section>
        })
    }
}

/// Over an exam's question: which one, the time left, skip and end.
#[component]
fn ExamBar() -> impl IntoView {
    let learn = use_learn();
    let now = RwSignal::new(web::epoch_ms());
    let handle = set_interval_with_handle(
        move || {
            let t = web::epoch_ms();
            now.set(t);
            let over = learn
                .exam
                .with_untracked(|e| e.as_ref().is_some_and(|e| e.running() && t >= e.deadline));
            if over {
                exam::finish(learn, true);
            }
        },
        std::time::Duration::from_millis(500),
    )
    .ok();
    on_cleanup(move || {
        if let Some(h) = handle {
            h.clear();
        }
    });
    let text = Signal::derive(move || {
        learn.exam.with(|e| {
            e.as_ref().map_or_else(String::new, |e| {
                format!(
                    "<strong data-testid=\"exam-question\">Question {} of {}</strong> <span data-testid=\"exam-time\">Time left {}</span>",
                    e.current + 1,
                    e.questions.len(),
                    exam::clock(e.deadline.saturating_sub(now.get()))
                )
            })
        })
    });
    view! {
        <div class="exam-bar" data-testid="exam-bar" role="group" aria-label="Practice exam">
            <Live html=text />
            <button type="button" data-action="exam-skip" data-key="exam-skip" data-testid="exam-skip">
                "Skip"
            </button>
            <button type="button" data-action="exam-end" data-key="exam-end" data-testid="exam-end">
                "End the exam"
            </button>
        </div>
    }
}

/// The header's way in and out: "Learn" (with how many scenarios are due for review), or,
/// while Learn is open, "Back to my plan".
#[component]
pub fn LearnEntry() -> impl IntoView {
    let learn = use_learn();
    let store = use_store();
    let entry = Signal::derive(move || {
        if learn.open.get() {
            return String::new();
        }
        let due = store.progress().with(|p| p.due(web::epoch_ms()).len());
        format!(
            "<a class=\"button\" href=\"{}\" data-testid=\"learn-open\" title=\"Scenarios on every ECS topic, answered and explained by the engine\">Learn{}</a>",
            route::fragment(&Route::Home),
            if due > 0 {
                format!(" <span class=\"badge due\" data-testid=\"learn-due-count\">{due} due</span>")
            } else {
                String::new()
            }
        )
    });
    view! {
        <Live html=entry class="learn-entry" />
        <Show when=move || learn.open.get()>
            <button
                type="button"
                class="primary"
                data-testid="learn-leave"
                title="Leave Learn: your own plan comes back exactly as you left it"
                on:click=move |_| learn.close(true)
            >
                "Back to my plan"
            </button>
        </Show>
    }
}
