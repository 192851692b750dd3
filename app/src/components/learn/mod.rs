//! Learn mode in the page: the topics and scenarios, a scenario played on the real board or
//! time view, practice exams ([`exam`]); drawn by [`view`](mod@view) from [`html`].
//!
//! The engine does the work in the engine worker (`crate::worker`): it reads the topic list and
//! the index, plays a scenario's variant (`Played`: prompt, plan, view, choices...), grades an
//! answer (`Grade`), builds a choice's plan and says after each edit which changes the controls
//! do not allow. This module fetches the files, asks the worker, and shows the results: the
//! scenario's plan goes to the store as a Learn session (`Command::Learn`), so the board, the
//! editors and the time view show it and the user's own plan waits aside, untouched.
//!
//! State here is view state ([`LearnUi`]): what is open and what the engine last said (its JSON,
//! read where it is shown); the progress (answers, review schedule, exams) is in the store.

pub mod exam;
pub mod html;
pub mod route;
pub mod view;

use std::collections::HashMap;
use std::sync::Arc;

use engine::api::plan::Plan;
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::learn as req;
use serde_json::{json, Value};
use wasm_bindgen::JsCast;

use super::editors::Editing;
use super::time::{Scenario as Run, TimeUi};
use super::ui::Ui;
use crate::store::{Command, Store};
use crate::{web, worker};
use route::Route;

/// Where Learn's files are on the site (copied there from `public/learn/` by trunk).
pub const BASE: &str = "/learn/";

/// The scenario being played: its id, what the worker needs to play it again, and what the
/// engine showed (`Played` JSON).
#[derive(Debug, Clone)]
pub struct Playing {
    pub id: String,
    pub at: req::At,
    pub played: Value,
}

impl Playing {
    pub fn kind(&self) -> &str {
        html::text(&self.played, "kind")
    }

    pub fn view(&self) -> &str {
        html::view_of(&self.played)
    }
}

#[derive(Clone, Copy)]
pub struct LearnUi {
    /// The Learn view is open (its list, or a scenario).
    pub open: RwSignal<bool>,
    /// `{"topics": Topics, "index": Index}` as the worker read them.
    pub catalog: RwSignal<Option<Arc<Value>>>,
    pub playing: RwSignal<Option<Arc<Playing>>>,
    /// The grade of the last answer (cleared by a new scenario or variant).
    pub grade: RwSignal<Option<Arc<Value>>>,
    /// The choice whose plan is on the board ("what would have happened"), if any.
    pub shown: RwSignal<Option<String>>,
    /// Changes the scenario's controls do not allow (reach, fix), after each edit.
    pub refused: RwSignal<Vec<String>>,
    /// How many hints are shown.
    pub hints: RwSignal<usize>,
    /// What the page is waiting for ("Loading the scenario…").
    pub busy: RwSignal<Option<String>>,
    pub error: RwSignal<Option<String>>,
    /// The live region's sentence.
    pub said: RwSignal<String>,
    /// What the last export or import of the progress did (ok, sentence).
    pub note: RwSignal<(bool, String)>,
    pub exam: RwSignal<Option<exam::Exam>>,
    /// Bumped by every navigation: an answer that arrives for an older one is dropped.
    generation: StoredValue<u64>,
    /// Fetched files by URL.
    files: StoredValue<HashMap<String, String>>,
    /// The time view's scenario before Learn (put back when Learn closes), and whether a run
    /// was shown.
    time_before: StoredValue<Option<(Run, bool)>>,
    store: Store,
    ui: Ui,
    time: TimeUi,
}

impl LearnUi {
    fn new(store: Store, ui: Ui, time: TimeUi) -> LearnUi {
        LearnUi {
            open: RwSignal::new(false),
            catalog: RwSignal::new(None),
            playing: RwSignal::new(None),
            grade: RwSignal::new(None),
            shown: RwSignal::new(None),
            refused: RwSignal::new(Vec::new()),
            hints: RwSignal::new(0),
            busy: RwSignal::new(None),
            error: RwSignal::new(None),
            said: RwSignal::new(String::new()),
            note: RwSignal::new((true, String::new())),
            exam: RwSignal::new(None),
            generation: StoredValue::new(0),
            files: StoredValue::new(HashMap::new()),
            time_before: StoredValue::new(None),
            store,
            ui,
            time,
        }
    }

    /// Whether the list is shown (Learn open, no scenario played).
    pub fn at_home(&self) -> bool {
        self.open.get() && self.playing.with(Option::is_none)
    }

    /// Whether the board must not show the outcome yet: a predict scenario on the board,
    /// not answered (the chips, bars and counts would give the answer away).
    pub fn hides_outcome(&self) -> bool {
        self.grade.with(Option::is_none)
            && self.playing.with(|p| {
                p.as_ref()
                    .is_some_and(|p| p.kind() == "predict" && p.view() == "board")
            })
    }

    /// Whether `route` is what is on the screen already.
    fn showing(&self, route: &Route) -> bool {
        match route {
            Route::Home => {
                self.open.get_untracked() && self.playing.with_untracked(Option::is_none)
            }
            Route::Scenario { id, variant } => self.playing.with_untracked(|p| {
                p.as_ref()
                    .is_some_and(|p| &p.id == id && p.at.variant == *variant)
            }),
        }
    }

    /// Goes to a Learn address (a new history entry, so Back returns).
    pub fn go(&self, route: &Route) {
        let fragment = route::fragment(route);
        let same = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .is_some_and(|h| h == fragment);
        if same {
            self.open_route(route.clone());
        } else if let Some(w) = web_sys::window() {
            // The hashchange handler opens it.
            let _ = w.location().set_hash(&fragment);
        }
    }

    fn next_generation(&self) -> u64 {
        self.generation.update_value(|g| *g += 1);
        self.generation.get_value()
    }

    fn current(&self, generation: u64) -> bool {
        self.generation.try_get_value() == Some(generation)
    }

    /// Opens what a Learn address names.
    pub fn open_route(&self, route: Route) {
        if !self.open.get_untracked() {
            self.time_before.set_value(Some((
                self.time.scenario.get_untracked(),
                self.time.run.with_untracked(Option::is_some),
            )));
        }
        self.open.set(true);
        match route {
            // Leaving a running exam for the list ends it (its review shows).
            Route::Home
                if self
                    .exam
                    .with_untracked(|e| e.as_ref().is_some_and(|e| !e.finished)) =>
            {
                exam::finish(*self, false)
            }
            Route::Home => self.home(),
            Route::Scenario { id, variant } => {
                if self
                    .exam
                    .with_untracked(|e| e.as_ref().is_some_and(|e| !e.finished))
                {
                    // Leaving a running exam by address ends it.
                    self.exam.set(None);
                }
                self.play(id, variant);
            }
        }
    }

    /// Back to the list: the Learn session ends (the board is not shown).
    fn home(&self) {
        let g = self.next_generation();
        self.end_session();
        self.said.set("Learn: topics and scenarios".into());
        self.ensure_catalog(g, |_| {});
        focus_soon("learn-home-title");
    }

    fn end_session(&self) {
        self.playing.set(None);
        self.grade.set(None);
        self.shown.set(None);
        self.refused.set(Vec::new());
        self.busy.set(None);
        self.time.close();
        self.ui.selected_task.set(None);
        self.ui.editor.set(None);
        self.store.execute(Command::LeaveLearn);
    }

    /// Closes Learn: the user's own plan comes back as it was, and the time view's scenario.
    /// `rewrite_url`: take `#learn...` out of the address (not when the address changed to
    /// something else already, e.g. a share link, which must stay for its own handler).
    pub fn close(&self, rewrite_url: bool) {
        self.next_generation();
        self.end_session();
        self.exam.set(None);
        self.open.set(false);
        self.error.set(None);
        if let Some((scenario, was_shown)) =
            self.time_before.try_update_value(Option::take).flatten()
        {
            self.time.scenario.set(scenario);
            if was_shown {
                self.time.start();
            }
        }
        if rewrite_url {
            if let Some(w) = web_sys::window() {
                let l = w.location();
                let base = format!(
                    "{}{}",
                    l.pathname().unwrap_or_default(),
                    l.search().unwrap_or_default()
                );
                if let Ok(h) = w.history() {
                    let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&base));
                }
            }
        }
        self.said.set("Left Learn: your own plan is back.".into());
    }

    /// Fetches a file of the site (once).
    async fn fetch(self, url: String) -> Result<String, String> {
        if let Some(t) = self.files.with_value(|f| f.get(&url).cloned()) {
            return Ok(t);
        }
        let text = web::fetch_text(&url).await?;
        self.files
            .update_value(|f| drop(f.insert(url.clone(), text.clone())));
        Ok(text)
    }

    /// Loads the topic list and index (once), then runs `then`.
    fn ensure_catalog(&self, g: u64, then: impl FnOnce(Arc<Value>) + 'static) {
        if let Some(c) = self.catalog.get_untracked() {
            then(c);
            return;
        }
        let this = *self;
        self.busy.set(Some("Loading the topics…".into()));
        spawn_local(async move {
            let loaded = async {
                let topics = this.fetch(format!("{BASE}topics.json")).await?;
                let index = this.fetch(format!("{BASE}index.json")).await?;
                ask(req::CATALOG, &req::Catalog { topics, index }).await
            }
            .await;
            if !this.current(g) {
                return;
            }
            this.busy.set(None);
            match loaded {
                Ok(c) => {
                    let c = Arc::new(c);
                    this.catalog.set(Some(c.clone()));
                    then(c);
                }
                Err(e) => this.fail(e),
            }
        });
    }

    /// Stops what the engine worker is doing (it is restarted for the next request).
    pub fn cancel(&self) {
        self.next_generation();
        worker::restart();
        self.busy.set(None);
        self.said.set("Cancelled.".into());
    }

    fn fail(&self, e: String) {
        self.busy.set(None);
        self.said.set(e.clone());
        self.error.set(Some(e));
    }

    /// Opens variant `variant` of a scenario: fetches it (and its plan file), plays it in the
    /// engine and shows its plan on the board.
    pub fn play(&self, id: String, variant: u32) {
        let g = self.next_generation();
        let this = *self;
        self.error.set(None);
        self.ensure_catalog(g, move |catalog| {
            let Some(title) =
                html::entry(&catalog, &id).map(|e| html::text(e, "title").to_string())
            else {
                this.end_session();
                this.fail(format!(
                    "There is no scenario “{id}”: the list below has every scenario."
                ));
                return;
            };
            let file = html::entry(&catalog, &id)
                .map(|e| html::text(e, "file").to_string())
                .unwrap_or_default();
            this.busy.set(Some(format!("Loading “{title}”…")));
            spawn_local(async move {
                let played = async {
                    let url = route::resolve(&format!("{BASE}index.json"), &file);
                    let scenario = this.fetch(url.clone()).await?;
                    let plan_file =
                        match serde_json::from_str::<Value>(&scenario).ok().and_then(|v| {
                            v.get("planFile")
                                .and_then(Value::as_str)
                                .map(str::to_string)
                        }) {
                            Some(rel) => Some(this.fetch(route::resolve(&url, &rel)).await?),
                            None => None,
                        };
                    let at = req::At {
                        scenario,
                        plan_file,
                        variant,
                    };
                    let played = ask(req::PLAY, &at).await?;
                    Ok::<_, String>((at, played))
                }
                .await;
                if !this.current(g) {
                    return;
                }
                match played {
                    Ok((at, played)) => this.show(id, at, played),
                    Err(e) => this.fail(e),
                }
            });
        });
    }

    fn show(&self, id: String, at: req::At, played: Value) {
        let loaded = engine::api::plan::load_value(played["plan"].clone());
        let Some(plan) = loaded.plan else {
            self.fail(format!(
                "The scenario's plan does not load: {:?}",
                loaded.findings.first()
            ));
            return;
        };
        self.busy.set(None);
        self.grade.set(None);
        self.shown.set(None);
        self.refused.set(Vec::new());
        self.hints.set(0);
        self.time.close();
        self.ui.selected_task.set(None);
        self.ui.editor.set(None);
        let title = html::text(&played, "title").to_string();
        let p = Arc::new(Playing { id, at, played });
        self.store.execute(Command::Learn {
            plan: Box::new(plan),
            title: title.clone(),
        });
        if p.view() == "findings" {
            self.open_editor(&p.played);
        }
        self.said.set(format!(
            "{}: {title}.{}",
            html::kind_label(p.kind()),
            if html::flag(&p.played, "simulated") {
                ""
            } else {
                " Not simulated."
            }
        ));
        self.playing.set(Some(p.clone()));
        if p.kind() != "predict" {
            self.play_out(&p, None);
        }
        focus_soon("learn-title");
    }

    /// Opens the editor a fix scenario is about (the task definition or service its controls
    /// name, else the first task definition).
    fn open_editor(&self, played: &Value) {
        let names = |key: &str| {
            html::list(played, "controls").iter().find_map(|c| {
                c["control"]
                    .get(key)
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
        };
        let editing = self.store.with_plan(|plan| {
            if let Some(i) = names("family")
                .and_then(|f| plan.task_definitions.iter().position(|t| t.family == f))
            {
                return Some(Editing::TaskDefinition(i));
            }
            if let Some(s) = names("service") {
                return Some(Editing::Service(s));
            }
            (!plan.task_definitions.is_empty()).then_some(Editing::TaskDefinition(0))
        });
        self.ui.editor.set(editing);
    }

    /// Shows what the engine does with the plan on the board: the focus task's verdicts, or the
    /// deployment or simulation run in the time view. `instance`: a choice that names an
    /// instance, to bring into view.
    fn play_out(&self, p: &Playing, instance: Option<String>) {
        let view = &p.played["view"];
        match p.view() {
            "board" => {
                self.ui.selected_task.set(
                    view.get("focus")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                );
                if let Some(i) = instance {
                    request_animation_frame(move || {
                        if let Some(el) = query(&format!("[data-instance-id=\"{i}\"]")) {
                            el.scroll_into_view_with_bool(false);
                        }
                    });
                }
            }
            "deployment" => {
                self.time.scenario.set(Run::Deploy {
                    service: html::text(view, "service").to_string(),
                    to: view.get("to").and_then(Value::as_str).map(str::to_string),
                });
                self.time.start();
            }
            "simulation" => {
                let seconds = html::number(view, "seconds") as u32;
                self.time.scenario.set(Run::Simulate {
                    hours: seconds.div_ceil(3600).max(1),
                });
                self.time.start();
            }
            _ => {}
        }
    }

    /// Grades an answer (`engine::api::learn::Answer` JSON).
    pub fn answer(&self, answer: Value) {
        let Some(p) = self.playing.get_untracked() else {
            return;
        };
        let g = self.generation.get_value();
        let this = *self;
        self.busy.set(Some("The engine is grading…".into()));
        spawn_local(async move {
            let graded = ask(
                req::GRADE,
                &req::GradeAnswer {
                    at: p.at.clone(),
                    answer,
                },
            )
            .await;
            if !this.current(g) {
                return;
            }
            match graded {
                Ok(grade) => this.graded(&p, grade),
                Err(e) => this.fail(e),
            }
        });
    }

    /// Reach and fix: grades the plan as the learner left it.
    pub fn check_plan(&self) {
        let plan = self.store.with_plan(Plan::to_json);
        let plan: Value = serde_json::from_str(&plan).unwrap_or(Value::Null);
        self.answer(json!({ "plan": plan }));
    }

    fn graded(&self, p: &Playing, grade: Value) {
        self.busy.set(None);
        self.error.set(None);
        let right = html::flag(&grade, "correct");
        self.store.execute(Command::RecordAnswer {
            id: p.id.clone(),
            right,
            now: web::epoch_ms(),
        });
        let in_exam = self
            .exam
            .with_untracked(|e| e.as_ref().is_some_and(|e| !e.finished));
        let grade = Arc::new(grade);
        if in_exam {
            exam::record(*self, grade);
            return;
        }
        let explanation = html::text(&grade, "explanation");
        self.said.set(if right {
            format!("Right. {explanation}")
        } else {
            format!(
                "Not quite: the engine's answer is {}. {explanation}",
                html::text(&grade, "answer")
            )
        });
        self.grade.set(Some(grade));
        if p.kind() == "predict" {
            self.play_out(p, None);
        }
        focus_soon("learn-result-title");
    }

    /// Plays a choice on the board or time view ("what would have happened"): a choice with
    /// edits shows its plan; a choice of a value shows the start again (with the instance it
    /// names in view).
    pub fn show_choice(&self, id: String, has_plan: bool) {
        let Some(p) = self.playing.get_untracked() else {
            return;
        };
        let label = html::list(&p.played, "choices")
            .iter()
            .find(|c| html::text(c, "id") == id)
            .map_or_else(|| id.clone(), |c| html::text(c, "label").to_string());
        let title = html::text(&p.played, "title").to_string();
        if !has_plan {
            if self.shown.get_untracked().is_some() {
                self.restore_start(&p);
            }
            self.shown.set(Some(id.clone()));
            self.play_out(&p, Some(id));
            self.said.set(format!("On the board: {label}"));
            return;
        }
        let g = self.generation.get_value();
        let this = *self;
        self.busy.set(Some(format!("Playing “{label}”…")));
        spawn_local(async move {
            let plan = ask(
                req::CHOICE_PLAN,
                &req::ChoicePlan {
                    at: p.at.clone(),
                    choice: id.clone(),
                },
            )
            .await;
            if !this.current(g) {
                return;
            }
            let plan = plan.and_then(|v| {
                engine::api::plan::load_value(v)
                    .plan
                    .ok_or_else(|| "the choice's plan does not load".to_string())
            });
            match plan {
                Ok(plan) => {
                    this.busy.set(None);
                    this.store.execute(Command::Learn {
                        plan: Box::new(plan),
                        title: format!("{title} — {label}"),
                    });
                    this.shown.set(Some(id));
                    this.play_out(&p, None);
                    this.said.set(format!("Played out: {label}"));
                }
                Err(e) => this.fail(e),
            }
        });
    }

    fn restore_start(&self, p: &Playing) {
        if let Some(plan) = engine::api::plan::load_value(p.played["plan"].clone()).plan {
            self.store.execute(Command::Learn {
                plan: Box::new(plan),
                title: html::text(&p.played, "title").to_string(),
            });
        }
    }

    /// Puts the scenario's starting plan back on the board.
    pub fn show_start(&self) {
        if let Some(p) = self.playing.get_untracked() {
            self.restore_start(&p);
            self.shown.set(None);
            self.play_out(&p, None);
            self.said
                .set("The scenario's plan is back on the board.".into());
        }
    }

    /// After an edit in a reach or fix scenario: asks the engine which changes the controls
    /// do not allow (an effect on the plan's revision).
    fn watch_edits(self) {
        let revision = self.store.revision();
        Effect::new(move |_| {
            revision.track();
            let Some(p) = self.playing.get_untracked() else {
                return;
            };
            if !matches!(p.kind(), "reach" | "fix") || !self.store.learning().get_untracked() {
                return;
            }
            // The verdict was on the plan before this edit.
            if self.grade.with_untracked(Option::is_some) {
                self.grade.set(None);
            }
            let g = self.generation.get_value();
            let rev = revision.get_untracked();
            let plan: Value =
                serde_json::from_str(&self.store.with_plan(Plan::to_json)).unwrap_or(Value::Null);
            spawn_local(async move {
                let refused = ask(
                    req::PERMITS,
                    &req::Permits {
                        at: p.at.clone(),
                        plan,
                    },
                )
                .await;
                if !self.current(g) || revision.get_untracked() != rev {
                    return;
                }
                if let Ok(r) = refused {
                    let r: Vec<String> = r
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|f| html::text(f, "message").to_string())
                        .collect();
                    if let Some(first) = r.first() {
                        self.said
                            .set(format!("Not one of this scenario's controls: {first}"));
                    }
                    self.refused.set(r);
                }
            });
        });
    }
}

/// Asks the engine worker; a failure is a sentence for the page (with where the first
/// finding is, when the input is at fault).
pub async fn ask(kind: &str, payload: &impl serde::Serialize) -> Result<Value, String> {
    worker::call(kind, payload).await.map_err(sentence)
}

/// A failure of the worker as a sentence (not generic: once in the page's wasm, not once per
/// request type).
fn sentence(f: protocol::Failure) -> String {
    let at = f.findings.first().map(|x| {
        let (line, col) = (
            x.get("line").and_then(Value::as_u64),
            x.get("column").and_then(Value::as_u64),
        );
        match (html::text(x, "path"), line, col) {
            (p, Some(l), Some(c)) => format!(" ({p}, line {l}, column {c})"),
            (p, _, _) if !p.is_empty() => format!(" ({p})"),
            _ => String::new(),
        }
    });
    format!("{}{}", f.message, at.unwrap_or_default())
}

fn query(css: &str) -> Option<web_sys::Element> {
    web_sys::window()?
        .document()?
        .query_selector(css)
        .ok()
        .flatten()
}

/// Moves the focus to the element with `id` once it is drawn (headings have tabindex -1).
pub fn focus_soon(id: &'static str) {
    request_animation_frame(move || {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

/// Provides Learn and opens the address the page was opened with, if it is Learn's.
pub fn provide_learn(store: Store, ui: Ui, time: TimeUi) -> LearnUi {
    let learn = LearnUi::new(store, ui, time);
    provide_context(learn);
    learn.watch_edits();
    let current = || web_sys::window().and_then(|w| w.location().hash().ok());
    if let Some(r) = current().as_deref().and_then(route::parse) {
        learn.open_route(r);
    }
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        let hash = current().unwrap_or_default();
        match route::parse(&hash) {
            // Back from an in-page link (`#cluster`) to the scenario on the screen: nothing to do.
            Some(r) if learn.showing(&r) => {}
            Some(r) => learn.open_route(r),
            // Leaving the address for none or a share link closes Learn; an in-page link
            // (`#cluster`, `#time-title`) does not.
            None if learn.open.get_untracked()
                && (hash.is_empty() || hash.starts_with("#plan=")) =>
            {
                learn.close(false)
            }
            None => {}
        }
    });
    // Opening a plan (import, sample, link) ends the session in the store: close the view.
    Effect::new(move |_| {
        if !store.learning().get() && learn.playing.with_untracked(Option::is_some) {
            learn.close(true);
        }
    });
    learn
}

pub fn use_learn() -> LearnUi {
    expect_context::<LearnUi>()
}
