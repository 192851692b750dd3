//! The store: one place for the domain values (the current plan) and everything the engine
//! derives from them (placement, board), plus the notices the user has to see.
//!
//! Components read through the getters and change things only through [`Store::execute`]
//! with a named [`Command`], so that undo/redo can later be a stack of commands.
//!
//! Learn mode plays its scenarios in the same store, in a session of their own: the first
//! [`Command::Learn`] puts the user's plan, its placement, origin and undo history aside, and
//! [`Command::LeaveLearn`] (or opening a plan) brings them back exactly as they were. While a
//! session is on, nothing is saved over the user's plan. Learn's progress (answers, review
//! schedule, exams) is a domain value too, saved on every change.

use std::sync::Arc;

use engine::api::board::{board, board_updated, Board};
use engine::api::edit::{self, Edit};
use engine::api::findings::Finding;
use engine::api::learn::progress::{ExamRecord, Progress};
use engine::api::placement::diff::{diff, TaskChange};
use engine::api::placement::{
    explain, place, place_afresh, place_keeping, Explanation, PlaceOptions, Placement,
};
use engine::api::plan::Plan;
use leptos::prelude::*;

pub use crate::history::History;
use crate::history::{Back, Made};
use crate::labels;
use crate::persist::{self, Rejected, Startup};

/// Where the current plan came from (shown in messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    Saved,
    Sample(&'static str),
    File(String),
    Dropped(String),
    Pasted,
    /// A share link (`#plan=v1....`).
    Link,
    /// A Learn scenario (its title).
    Learn(String),
    /// A plan restored from the recent plans (its name).
    Recent(String),
}

impl Origin {
    /// How an import failure names its input: "the pasted text", "file plan.json".
    pub fn describe(&self) -> String {
        match self {
            Origin::Default => "the default plan".into(),
            Origin::Saved => "the saved plan".into(),
            Origin::Sample(id) => format!("sample {id}"),
            Origin::File(name) | Origin::Dropped(name) => format!("file {name}"),
            Origin::Pasted => "the pasted text".into(),
            Origin::Link => "the share link".into(),
            Origin::Learn(title) => format!("the learn scenario “{title}”"),
            Origin::Recent(name) => format!("the recent plan {name}"),
        }
    }
}

/// A placement, compared by identity (a new plan always gives a new placement).
#[derive(Debug, Clone)]
pub struct Placed(pub Arc<Placement>);

impl PartialEq for Placed {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Something the user must see until they dismiss it.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// The saved plan could not be opened and was kept aside.
    RejectedSave(Rejected),
    /// Learn's saved progress could not be read and was kept aside.
    RejectedProgress(Rejected),
    /// Local storage does not work, or saving failed.
    Storage(String),
}

/// An import that did not happen: what was read and every finding that stopped it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportFailure {
    pub source: String,
    pub findings: Vec<Finding>,
}

/// What the last edit, undo or redo did to the placement (the engine's diff of the placements
/// before and after), for highlighting and the live region. Opening a plan has none.
#[derive(Debug, Clone, PartialEq)]
pub struct LastChange {
    /// The plan revision it led to (see [`Store::revision`]).
    pub revision: u64,
    /// "added 1 × m5.large in us-east-1a", "undid: ...".
    pub what: String,
    pub changes: Vec<TaskChange>,
}

/// Every change to the store.
#[derive(Debug, Clone)]
pub enum Command {
    /// Replace the current plan (import, sample, file): the engine's `Edit::Replace`.
    OpenPlan {
        plan: Box<Plan>,
        origin: Origin,
    },
    /// Change the plan with one of the engine's named edits.
    Edit(Edit),
    Undo,
    Redo,
    /// Place every task afresh, as on a new cluster (edits otherwise keep running tasks where
    /// they are, as ECS does).
    PlaceAfresh,
    /// Record an import that failed (the plan stays as it is).
    RejectImport(ImportFailure),
    ClearImportFailure,
    DismissNotice(u32),
    /// Note a problem with local storage (once per distinct message).
    ReportStorage(String),
    /// Show a Learn scenario's plan (its start, or a choice played out): the first one puts the
    /// user's own plan, placement and history aside. Undo then covers the learner's edits.
    Learn {
        plan: Box<Plan>,
        title: String,
    },
    /// End the Learn session: the user's plan, placement, origin and history come back.
    LeaveLearn,
    /// Record a Learn answer (ms since the Unix epoch): the review schedule moves.
    RecordAnswer {
        id: String,
        right: bool,
        now: u64,
    },
    RecordExam(ExamRecord),
    /// Add imported progress (for a scenario in both, the newer record wins).
    ImportProgress(Box<Progress>),
}

/// The user's own state, put aside while Learn plays a scenario.
#[derive(Debug, Clone)]
struct Aside {
    plan: Plan,
    origin: Origin,
    placed: Placed,
    history: History,
    last_change: Option<LastChange>,
}

/// The board on screen, with which of its cards the engine kept from the board before
/// (`engine::api::board::board_updated`): the board's view writes again only the others.
#[derive(Debug, Clone)]
pub struct Shown {
    pub board: Board,
    /// Counts the boards that differed from the one before.
    pub generation: u64,
    /// By instance index, the cards equal to those of generation `generation - 1`; `None`
    /// for the first board.
    pub kept: Option<Arc<Vec<bool>>>,
}

impl Shown {
    fn first(board: Board) -> Shown {
        Shown {
            board,
            generation: 0,
            kept: None,
        }
    }

    /// The board after `updated`, from the board before's generation and `kept`. An unchanged board keeps its
    /// generation and what it said of the one before (it equals the board before).
    fn after(
        generation: u64,
        kept: Option<Arc<Vec<bool>>>,
        updated: engine::api::board::Updated,
    ) -> (Shown, bool) {
        if !updated.changed {
            let shown = Shown {
                board: updated.board,
                generation,
                kept,
            };
            return (shown, false);
        }
        let shown = Shown {
            board: updated.board,
            generation: generation + 1,
            kept: Some(Arc::new(updated.kept)),
        };
        (shown, true)
    }
}

impl std::ops::Deref for Shown {
    type Target = Board;
    fn deref(&self) -> &Board {
        &self.board
    }
}

#[derive(Clone, Copy)]
pub struct Store {
    plan: RwSignal<Plan>,
    origin: RwSignal<Origin>,
    placement: RwSignal<Placed>,
    board: Memo<Shown>,
    notices: RwSignal<Vec<(u32, Notice)>>,
    import_failure: RwSignal<Option<ImportFailure>>,
    history: RwSignal<History>,
    revision: RwSignal<u64>,
    last_change: RwSignal<Option<LastChange>>,
    next_notice: StoredValue<u32>,
    autosave: StoredValue<bool>,
    /// Set while a Learn session is on.
    aside: StoredValue<Option<Aside>>,
    learning: RwSignal<bool>,
    progress: RwSignal<Progress>,
    recent_changed: RwSignal<u64>,
    kept: StoredValue<bool>,
}

impl Store {
    pub fn new(startup: Startup) -> Store {
        let plan = RwSignal::new(startup.plan);
        let placement = RwSignal::new(plan.with_untracked(opened));
        // The board after a change reuses the cards that show the same (a drop touches a few
        // of 5 000 instances), and tells whether anything changed.
        let board = Memo::new_owning(move |before: Option<Shown>| {
            placement.with(|pl| {
                plan.with(|p| match before {
                    Some(Shown {
                        board: b,
                        generation,
                        kept,
                    }) => Shown::after(generation, kept, board_updated(p, &pl.0, b)),
                    None => (Shown::first(board(p, &pl.0)), true),
                })
            })
        });
        let store = Store {
            plan,
            origin: RwSignal::new(if startup.from_saved {
                Origin::Saved
            } else {
                Origin::Default
            }),
            placement,
            board,
            notices: RwSignal::new(Vec::new()),
            import_failure: RwSignal::new(None),
            history: RwSignal::new(History::default()),
            revision: RwSignal::new(0),
            last_change: RwSignal::new(None),
            next_notice: StoredValue::new(1),
            autosave: StoredValue::new(startup.autosave),
            aside: StoredValue::new(None),
            learning: RwSignal::new(false),
            progress: RwSignal::new(startup.progress),
            recent_changed: RwSignal::new(0),
            kept: StoredValue::new(false),
        };
        if let Some(r) = startup.rejected {
            store.push_notice(Notice::RejectedSave(r));
        }
        if let Some(r) = startup.progress_rejected {
            store.push_notice(Notice::RejectedProgress(r));
        }
        if let Some(problem) = startup.storage_problem {
            store.push_notice(Notice::Storage(problem));
        }
        store
    }

    /// Saves every change of the plan to local storage (an effect: it syncs to the outside).
    /// The save waits until the change has been painted (a task queued from the next frame),
    /// so that writing a big plan does not delay the board; several changes before it are one
    /// save of the latest plan.
    pub fn autosave(self) {
        let pending = StoredValue::new(false);
        let save = move || {
            // During a Learn session the user's plan is the one aside (unchanged).
            let json = match self
                .aside
                .with_value(|a| a.as_ref().map(|a| a.plan.to_json()))
            {
                Some(json) => json,
                None => self.plan.with_untracked(Plan::to_json),
            };
            if let Err(e) = persist::save(&json) {
                self.execute(Command::ReportStorage(e));
            }
        };
        // Leaving the page before the save: save now.
        let _ = window_event_listener(leptos::ev::pagehide, move |_| {
            if pending.try_get_value() == Some(true) {
                pending.set_value(false);
                save();
            }
        });
        Effect::new(move |_| {
            self.plan.track();
            if !self.autosave.get_value() || pending.get_value() || self.learning.get_untracked() {
                return;
            }
            pending.set_value(true);
            request_animation_frame(move || {
                set_timeout(
                    move || {
                        // Not pending: saved already when the page was hidden; disposed:
                        // the app went away.
                        if pending.try_get_value() == Some(true) {
                            pending.set_value(false);
                            save();
                        }
                    },
                    std::time::Duration::ZERO,
                )
            });
        });
    }

    /// Saves Learn's progress on every change (an effect).
    pub fn save_progress(self) {
        Effect::new(move |first: Option<()>| {
            let json = self.progress.with(Progress::to_json);
            // The progress read at start is saved already.
            if first.is_none() || !self.autosave.get_value() {
                return;
            }
            if let Err(e) = persist::save_progress(&json) {
                self.execute(Command::ReportStorage(e));
            }
        });
    }

    pub fn execute(&self, cmd: Command) {
        match cmd {
            Command::OpenPlan { plan, origin } => {
                // Opening a plan is the user's own act: it ends a Learn session first.
                self.leave_learn();
                // Autosave is about to overwrite the saved plan: keep the one being replaced.
                let kept = self.autosave.get_value()
                    && !self.is_current(&plan)
                    && self.keep_replaced(&origin);
                self.kept.set_value(kept);
                if self.apply(&Edit::Replace { plan }, origin) {
                    self.import_failure.set(None);
                }
            }
            Command::Edit(e) => {
                let origin = self.origin.get_untracked();
                let before = self.placement.get_untracked();
                if self.apply(&e, origin) {
                    self.record_change(&before, e.describe());
                }
            }
            Command::Undo => self.step(true),
            Command::Redo => self.step(false),
            Command::PlaceAfresh => {
                let before = self.placement.get_untracked();
                let what = "placed every task afresh".to_string();
                self.push_past(None, Made::Afresh, what.clone());
                self.placement.set(self.plan.with_untracked(fresh));
                self.revision.update(|r| *r += 1);
                self.record_change(&before, what);
            }
            Command::RejectImport(failure) => self.import_failure.set(Some(failure)),
            Command::ClearImportFailure => self.import_failure.set(None),
            Command::DismissNotice(id) => self.notices.update(|n| n.retain(|(i, _)| *i != id)),
            Command::Learn { plan, title } => self.learn(*plan, title),
            Command::LeaveLearn => self.leave_learn(),
            Command::RecordAnswer { id, right, now } => {
                self.progress.update(|p| p.answer(&id, right, now))
            }
            Command::RecordExam(e) => self.progress.update(|p| p.exam(e)),
            Command::ImportProgress(other) => self.progress.update(|p| p.merge(*other)),
            Command::ReportStorage(msg) => {
                let seen = self
                    .notices
                    .with_untracked(|n| n.iter().any(|(_, x)| x == &Notice::Storage(msg.clone())));
                if !seen {
                    self.push_notice(Notice::Storage(msg));
                }
            }
        }
    }

    /// Shows a Learn plan, putting the user's state aside first (once per session).
    fn learn(&self, plan: Plan, title: String) {
        if self.aside.with_value(Option::is_none) {
            self.aside.set_value(Some(Aside {
                plan: self.plan.get_untracked(),
                origin: self.origin.get_untracked(),
                placed: self.placement.get_untracked(),
                history: self.history.get_untracked(),
                last_change: self.last_change.get_untracked(),
            }));
            self.learning.set(true);
        }
        self.history.set(History::starting(Made::Opened));
        self.placement.set(opened(&plan));
        self.plan.set(plan);
        self.origin.set(Origin::Learn(title));
        self.revision.update(|r| *r += 1);
        self.last_change.set(None);
        self.import_failure.set(None);
    }

    /// Brings the user's state back, if a Learn session is on.
    fn leave_learn(&self) {
        let Some(a) = self.aside.try_update_value(Option::take).flatten() else {
            return;
        };
        self.placement.set(a.placed);
        self.plan.set(a.plan);
        self.origin.set(a.origin);
        self.history.set(a.history);
        self.revision.update(|r| *r += 1);
        self.last_change.set(a.last_change);
        self.import_failure.set(None);
        self.learning.set(false);
    }

    /// Whether a Learn session is on (the plan shown is a scenario's).
    pub fn learning(&self) -> Signal<bool> {
        self.learning.into()
    }

    /// Learn's progress.
    pub fn progress(&self) -> Signal<Progress> {
        self.progress.into()
    }

    /// Puts the current plan in the recent plans (unless it is the default plan as shipped),
    /// saying what replaces it; whether it did.
    fn keep_replaced(&self, by: &Origin) -> bool {
        let (name, json, is_default) = self
            .plan
            .with_untracked(|p| (p.name.clone(), p.to_json(), *p == persist::default_plan()));
        if is_default {
            return false;
        }
        let entry = persist::RecentPlan {
            name,
            kept_at: js_sys::Date::now(),
            why: by.describe(),
            plan: json,
        };
        let kept = match persist::keep_recent(entry) {
            Ok(()) => true,
            Err(e) => {
                self.execute(Command::ReportStorage(e));
                false
            }
        };
        self.recent_changed.update(|n| *n += 1);
        kept
    }

    /// Whether the last plan opened kept the one it replaced in the recent plans.
    pub fn kept_replaced(&self) -> bool {
        self.kept.get_value()
    }

    /// Changes whenever a plan was added to the recent plans (the import dialog lists them).
    pub fn recent_changed(&self) -> Signal<u64> {
        self.recent_changed.into()
    }

    /// Applies an engine edit; the plan before it goes on the undo stack. An edit the engine
    /// refuses changes nothing and its findings are shown like a failed import.
    fn apply(&self, e: &Edit, origin: Origin) -> bool {
        let next = self.plan.with_untracked(|p| edit::apply(p, e));
        match next {
            Ok(next) => {
                let made = match e {
                    Edit::Replace { .. } => Made::Opened,
                    _ => Made::Kept,
                };
                self.push_past(Some(&next), made, e.describe());
                // Opening a plan places it (from the tasks it records as running, if any); an
                // edit keeps running tasks where they are.
                let placed = match e {
                    Edit::Replace { .. } => opened(&next),
                    _ => self.placement.with_untracked(|before| {
                        Placed(Arc::new(place_keeping(
                            &next,
                            &PlaceOptions::for_plan(&next),
                            &before.0,
                        )))
                    }),
                };
                self.placement.set(placed);
                self.plan.set(next);
                self.origin.set(origin);
                self.revision.update(|r| *r += 1);
                self.last_change.set(None);
                true
            }
            Err(findings) => {
                self.import_failure.set(Some(ImportFailure {
                    source: e.describe(),
                    findings,
                }));
                false
            }
        }
    }

    /// Puts the current state on the undo stack, the change leading to `next` (`None`: the
    /// same plan) whose placement is made `made`; redo is cleared: this is a new change.
    fn push_past(&self, next: Option<&Plan>, made: Made, what: String) {
        let (origin, placed) = (self.origin.get_untracked(), self.placement.get_untracked());
        self.plan.with_untracked(|plan| {
            let next = next.unwrap_or(plan);
            self.history
                .update(|h| h.push((plan, origin, placed), next, made, what))
        });
    }

    /// Undo (`back`) or redo one change: the plan and its placement as they were.
    fn step(&self, back: bool) {
        let was = self.origin.get_untracked();
        let before = self.placement.get_untracked();
        let Some(Back {
            plan,
            origin,
            placed,
            what,
        }) = self.plan.with_untracked(|p| {
            self.history
                .try_update(|h| h.step(back, (p, was.clone(), before.clone())))
                .flatten()
        })
        else {
            return;
        };
        let same_plan = origin == was && !what.starts_with("opened ");
        self.placement.set(placed);
        self.plan.set(plan);
        self.origin.set(origin);
        self.revision.update(|r| *r += 1);
        self.last_change.set(None);
        self.import_failure.set(None);
        // Undoing an edit re-places the same plan; undoing an import is another plan.
        if same_plan {
            let verb = if back { "undid" } else { "redid" };
            self.record_change(&before, format!("{verb}: {what}"));
        }
    }

    /// Diffs the placement before the change with the current one.
    fn record_change(&self, before: &Placed, what: String) {
        let after = self.placement.get_untracked();
        let changes = diff(&before.0, &after.0);
        self.last_change.set(Some(LastChange {
            revision: self.revision.get_untracked(),
            what,
            changes,
        }));
    }

    /// Counts every change of the plan (edits, undo, redo, imports): view state about the
    /// current plan (a message, a share link) remembers the revision it belongs to.
    pub fn revision(&self) -> Signal<u64> {
        self.revision.into()
    }

    pub fn last_change(&self) -> Signal<Option<LastChange>> {
        self.last_change.into()
    }

    pub fn origin(&self) -> Signal<Origin> {
        self.origin.into()
    }

    /// Whether `plan` is the current plan.
    pub fn is_current(&self, plan: &Plan) -> bool {
        self.plan.with_untracked(|p| p == plan)
    }

    /// Reads the current plan (untracked: for deciding what a command should be).
    pub fn with_plan<R>(&self, f: impl FnOnce(&Plan) -> R) -> R {
        self.plan.with_untracked(f)
    }

    pub fn history(&self) -> Signal<History> {
        self.history.into()
    }

    fn push_notice(&self, notice: Notice) {
        let id = self.next_notice.get_value();
        self.next_notice.set_value(id + 1);
        self.notices.update(|n| n.push((id, notice)));
    }

    /// Opens plan text if the engine loads it; otherwise records why and keeps the current
    /// plan. Returns whether it opened.
    pub fn import_text(&self, text: &str, origin: Origin) -> bool {
        let loaded = engine::api::plan::load(text);
        match loaded.plan {
            Some(plan) => {
                self.execute(Command::OpenPlan {
                    plan: Box::new(plan),
                    origin,
                });
                self.import_failure.with_untracked(Option::is_none)
            }
            None => {
                let mut findings: Vec<Finding> = loaded
                    .findings
                    .into_iter()
                    .filter(Finding::is_error)
                    .collect();
                findings.truncate(50);
                self.execute(Command::RejectImport(ImportFailure {
                    source: origin.describe(),
                    findings,
                }));
                false
            }
        }
    }

    /// The export: file name and the plan's JSON.
    pub fn export(&self) -> (String, String) {
        self.plan
            .with_untracked(|p| (labels::export_file_name(&p.name), p.to_json()))
    }

    /// The current plan (the editors read the service or task definition they edit).
    pub fn plan(&self) -> Signal<Plan> {
        self.plan.into()
    }

    pub fn plan_name(&self) -> Signal<String> {
        let plan = self.plan;
        Signal::derive(move || plan.with(|p| p.name.clone()))
    }

    /// Where the current plan came from, in words.
    pub fn origin_text(&self) -> String {
        format!("Opened from {}", self.origin.with(Origin::describe))
    }

    pub fn board(&self) -> Memo<Shown> {
        self.board
    }

    pub fn notices(&self) -> Signal<Vec<(u32, Notice)>> {
        self.notices.into()
    }

    pub fn import_failure(&self) -> Signal<Option<ImportFailure>> {
        self.import_failure.into()
    }

    /// The engine's explanation of a task, by its id (`web-3`), on the current placement.
    pub fn explain(&self, task_id: &str) -> Option<Explanation> {
        self.placement.with(|p| {
            let t = p.0.task_index(task_id)?;
            Some(explain(&p.0, t))
        })
    }
}

/// The placement of a plan on a new cluster: every task placed afresh, ignoring the tasks the
/// plan records as running.
fn fresh(plan: &Plan) -> Placed {
    Placed(Arc::new(place_afresh(plan, &PlaceOptions::for_plan(plan))))
}

/// The placement of a plan just opened (a file, a share link, a reload): from the tasks it
/// records as running (`runningTasks`, e.g. of an imported cluster), else afresh.
fn opened(plan: &Plan) -> Placed {
    Placed(Arc::new(place(plan, &PlaceOptions::for_plan(plan))))
}

pub fn provide_store(startup: Startup) -> Store {
    let store = Store::new(startup);
    provide_context(store);
    store
}

pub fn use_store() -> Store {
    expect_context::<Store>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples;

    fn startup() -> Startup {
        Startup {
            plan: persist::default_plan(),
            from_saved: false,
            rejected: None,
            autosave: false,
            storage_problem: None,
            progress: Progress::default(),
            progress_rejected: None,
        }
    }

    #[test]
    fn a_learn_session_gives_back_the_users_plan_as_it_was() {
        Owner::new().with(|| {
            let store = Store::new(startup());
            store.execute(Command::Edit(Edit::LoseZone {
                availability_zone: "us-east-1b".into(),
            }));
            let before = (
                store.with_plan(Clone::clone),
                store.origin().get(),
                store.history().get(),
                store.board().with(|b| b.board.clone()),
                store.last_change().get(),
            );
            let fargate = engine::api::plan::load(samples::find("fargate-spot").unwrap().text)
                .plan
                .unwrap();
            store.execute(Command::Learn {
                plan: Box::new(fargate.clone()),
                title: "A scenario".into(),
            });
            assert!(store.learning().get());
            assert!(store.is_current(&fargate));
            assert!(
                store.history().with(|h| h.undo_label().is_none()),
                "a fresh history"
            );
            store.execute(Command::Edit(Edit::SetDesiredCount {
                service: "orders-api".into(),
                desired_count: 3,
            }));
            assert!(store.history().with(|h| h.undo_label().is_some()));
            // Another scenario in the same session: the user's state stays aside.
            store.execute(Command::Learn {
                plan: Box::new(fargate),
                title: "Another".into(),
            });
            store.execute(Command::LeaveLearn);
            assert!(!store.learning().get());
            let after = (
                store.with_plan(Clone::clone),
                store.origin().get(),
                store.history().get(),
                store.board().with(|b| b.board.clone()),
                store.last_change().get(),
            );
            assert_eq!(after, before);
            store.execute(Command::LeaveLearn);
            assert_eq!(
                store.origin().get(),
                before.1,
                "leaving twice changes nothing"
            );
        });
    }

    #[test]
    fn opening_a_plan_ends_the_learn_session_first() {
        Owner::new().with(|| {
            let store = Store::new(startup());
            let mine = store.with_plan(Clone::clone);
            store.execute(Command::Learn {
                plan: Box::new(Plan::empty("learn")),
                title: "x".into(),
            });
            let fargate = samples::find("fargate-spot").unwrap();
            assert!(store.import_text(fargate.text, Origin::Sample(fargate.id)));
            assert!(!store.learning().get());
            store.execute(Command::Undo);
            assert!(
                store.is_current(&mine),
                "undo brings the user's own plan back"
            );
        });
    }

    #[test]
    fn answers_move_the_review_schedule() {
        Owner::new().with(|| {
            let store = Store::new(startup());
            store.execute(Command::RecordAnswer {
                id: "a".into(),
                right: false,
                now: 0,
            });
            assert_eq!(store.progress().with(|p| p.due(600_000)), ["a"]);
            let mut other = Progress::default();
            other.answer("a", true, 5);
            store.execute(Command::ImportProgress(Box::new(other)));
            assert!(store.progress().with(|p| p.due(600_000).is_empty()));
        });
    }

    #[test]
    fn imports_edits_undo_and_redo() {
        let owner = Owner::new();
        owner.with(|| {
            let store = Store::new(startup());
            let name = store.plan_name();
            assert_eq!(store.board().with(|b| b.totals.placed), 7);

            // A bad import changes nothing and says why.
            assert!(!store.import_text("{\"schemaVersion\": 99}", Origin::Pasted));
            assert_eq!(name.get(), "Two-AZ web cluster");
            let failure = store.import_failure().get().expect("a failure");
            assert_eq!(failure.findings[0].code, "newer-schema-version");
            assert!(store.history().with(|h| h.undo_label().is_none()));

            let fargate = samples::find("fargate-spot").unwrap();
            assert!(store.import_text(fargate.text, Origin::Sample(fargate.id)));
            assert!(store.import_failure().get().is_none());
            assert_eq!(store.board().with(|b| b.totals.fargate), 10);
            assert_eq!(
                store.history().with(|h| h.undo_label().map(str::to_string)),
                Some("opened Fargate with a Spot share".to_string())
            );

            store.execute(Command::Undo);
            assert_eq!(name.get(), "Two-AZ web cluster");
            assert_eq!(store.origin_text(), "Opened from the default plan");
            store.execute(Command::Redo);
            assert_eq!(name.get(), "Fargate with a Spot share");
            store.execute(Command::Undo);

            let id = "i-0b2e4d6f8a0c20004".to_string();
            store.execute(Command::Edit(Edit::SetDraining {
                id: id.clone(),
                draining: true,
            }));
            let on_it = move || {
                store.board().with(|b| {
                    b.lanes
                        .iter()
                        .flat_map(|l| &l.instances)
                        .find(|i| i.id == id)
                        .map(|i| (i.draining, i.tasks.len()))
                })
            };
            assert_eq!(on_it(), Some((true, 0)));
            assert!(
                store.history().with(|h| h.redo_label().is_none()),
                "a new edit clears redo"
            );
            store.execute(Command::Undo);
            assert_eq!(on_it(), Some((false, 4)));
            // Undo past the beginning is a no-op.
            store.execute(Command::Undo);
            store.execute(Command::Undo);
            assert_eq!(name.get(), "Two-AZ web cluster");
        });
    }

    #[test]
    fn edits_and_undo_record_what_placement_did() {
        Owner::new().with(|| {
            let store = Store::new(startup());
            assert_eq!(store.last_change().get(), None);
            store.execute(Command::Edit(Edit::LoseZone {
                availability_zone: "us-east-1b".into(),
            }));
            let c = store.last_change().get().expect("a change");
            assert_eq!(c.what, "lost us-east-1b");
            assert_eq!(c.revision, store.revision().get());
            assert!(!c.changes.is_empty());
            store.execute(Command::Undo);
            let u = store.last_change().get().expect("undo re-places");
            assert_eq!(u.what, "undid: lost us-east-1b");
            assert_eq!(u.changes.len(), c.changes.len());
            // Opening another plan is not a change of placement.
            let fargate = samples::find("fargate-spot").unwrap();
            assert!(store.import_text(fargate.text, Origin::Sample(fargate.id)));
            assert_eq!(store.last_change().get(), None);
            store.execute(Command::Undo);
            assert_eq!(store.last_change().get(), None);
        });
    }

    /// (task, instance) for every task on an instance, sorted.
    fn where_tasks_run(store: Store) -> Vec<(String, String)> {
        store.board().with_untracked(|b| {
            let mut v: Vec<(String, String)> = b
                .lanes
                .iter()
                .flat_map(|l| &l.instances)
                .flat_map(|i| i.tasks.iter().map(|t| (t.id.clone(), i.id.clone())))
                .collect();
            v.sort();
            v
        })
    }

    #[test]
    fn a_plan_with_recorded_tasks_opens_where_they_run_and_place_afresh_ignores_them() {
        // binpack on memory would put both tasks on one instance; the plan records one on each.
        let text = r#"{"schemaVersion": 1, "name": "recorded",
          "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b"], "containerInstances": [
            {"id": "i-a", "instanceType": "m5.large", "availabilityZone": "us-east-1a"},
            {"id": "i-b", "instanceType": "m5.large", "availabilityZone": "us-east-1b"}]},
          "taskDefinitions": [{"family": "web", "containerDefinitions": [{"name": "web", "image": "x", "cpu": 256, "memory": 512}]}],
          "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": 2,
            "placementStrategy": [{"type": "binpack", "field": "memory"}]}],
          "runningTasks": [
            {"group": "service:web", "taskDefinition": "web:1", "containerInstance": "i-b"},
            {"group": "service:web", "taskDefinition": "web:1", "containerInstance": "i-a"}]}"#;
        Owner::new().with(|| {
            let store = Store::new(startup());
            let where_ = move || where_tasks_run(store);
            assert!(store.import_text(text, Origin::Pasted));
            let recorded = vec![
                ("web-1".to_string(), "i-b".to_string()),
                ("web-2".to_string(), "i-a".to_string()),
            ];
            assert_eq!(where_(), recorded);
            store.execute(Command::PlaceAfresh);
            let afresh = where_();
            assert_eq!(afresh[0].1, afresh[1].1, "binpack: one instance");
            store.execute(Command::Undo);
            assert_eq!(where_(), recorded);
        });
    }

    #[test]
    fn edits_keep_running_tasks_and_place_afresh_is_undoable() {
        Owner::new().with(|| {
            let store = Store::new(startup());
            let where_ = move || where_tasks_run(store);
            let start = where_();
            let id = "i-0b2e4d6f8a0c20004".to_string();
            for draining in [true, false] {
                store.execute(Command::Edit(Edit::SetDraining {
                    id: id.clone(),
                    draining,
                }));
            }
            // Back to ACTIVE, the instance takes no tasks back: they keep running where they
            // moved to, and the last change moved nothing.
            let moved = where_();
            assert_ne!(moved, start);
            assert!(!moved.iter().any(|(_, i)| *i == id));
            let c = store.last_change().get().expect("a change");
            assert!(c.changes.is_empty(), "{:?}", c.changes);

            // Placed afresh, the plan (the same as at the start) gets the same placement.
            store.execute(Command::PlaceAfresh);
            assert_eq!(
                store.history().with(|h| h.undo_label().map(str::to_string)),
                Some("placed every task afresh".to_string())
            );
            assert_eq!(where_(), start);
            store.execute(Command::Undo);
            assert_eq!(where_(), moved);
            store.execute(Command::Redo);
            assert_eq!(where_(), start);
        });
    }

    #[test]
    fn a_refused_edit_keeps_the_plan_and_reports_findings() {
        Owner::new().with(|| {
            let store = Store::new(startup());
            store.execute(Command::Edit(Edit::RemoveInstance {
                id: "i-nope".into(),
            }));
            assert!(store.import_failure().get().is_some());
            assert_eq!(store.board().with(|b| b.totals.instances), 4);
            assert!(store.history().with(|h| h.undo_label().is_none()));
        });
    }
}
