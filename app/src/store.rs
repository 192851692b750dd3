//! The store: one place for the domain values (the current plan) and everything the engine
//! derives from them (placement, board), plus the notices the user has to see.
//!
//! Components read through the getters and change things only through [`Store::execute`]
//! with a named [`Command`], so that undo/redo can later be a stack of commands.

use std::sync::Arc;

use engine::board::{board, Board};
use engine::edit::{self, Edit};
use engine::findings::Finding;
use engine::placement::{explain, place, Explanation, PlaceOptions, Placement};
use engine::plan::Plan;
use leptos::prelude::*;

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
    /// Local storage does not work, or saving failed.
    Storage(String),
}

/// An import that did not happen: what was read and every finding that stopped it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportFailure {
    pub source: String,
    pub findings: Vec<Finding>,
}

/// How many plans undo keeps.
const HISTORY_LIMIT: usize = 100;

/// The plans before and after the current one, each with what the change was, so that undo
/// and redo can say what they will do.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    past: Vec<(Plan, Origin, String)>,
    future: Vec<(Plan, Origin, String)>,
}

impl History {
    /// What undo would revert, e.g. "opened Fargate with a Spot share".
    pub fn undo_label(&self) -> Option<&str> {
        self.past.last().map(|(_, _, what)| what.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.future.last().map(|(_, _, what)| what.as_str())
    }
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
    /// Record an import that failed (the plan stays as it is).
    RejectImport(ImportFailure),
    ClearImportFailure,
    DismissNotice(u32),
    /// Note a problem with local storage (once per distinct message).
    ReportStorage(String),
}

#[derive(Clone, Copy)]
pub struct Store {
    plan: RwSignal<Plan>,
    origin: RwSignal<Origin>,
    placement: Memo<Placed>,
    board: Memo<Board>,
    notices: RwSignal<Vec<(u32, Notice)>>,
    import_failure: RwSignal<Option<ImportFailure>>,
    history: RwSignal<History>,
    next_notice: StoredValue<u32>,
    autosave: StoredValue<bool>,
}

impl Store {
    pub fn new(startup: Startup) -> Store {
        let plan = RwSignal::new(startup.plan);
        let placement = Memo::new(move |_| {
            plan.with(|p| Placed(Arc::new(place(p, &PlaceOptions::for_plan(p)))))
        });
        let board = Memo::new(move |_| placement.with(|pl| plan.with(|p| board(p, &pl.0))));
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
            next_notice: StoredValue::new(1),
            autosave: StoredValue::new(startup.autosave),
        };
        if let Some(r) = startup.rejected {
            store.push_notice(Notice::RejectedSave(r));
        }
        if let Some(problem) = startup.storage_problem {
            store.push_notice(Notice::Storage(problem));
        }
        store
    }

    /// Saves every change of the plan to local storage (an effect: it syncs to the outside).
    pub fn autosave(self) {
        Effect::new(move |_| {
            let json = self.plan.with(Plan::to_json);
            if !self.autosave.get_value() {
                return;
            }
            if let Err(e) = persist::save(&json) {
                self.execute(Command::ReportStorage(e));
            }
        });
    }

    pub fn execute(&self, cmd: Command) {
        match cmd {
            Command::OpenPlan { plan, origin } => {
                if self.apply(&Edit::Replace { plan }, origin) {
                    self.import_failure.set(None);
                }
            }
            Command::Edit(e) => {
                let origin = self.origin.get_untracked();
                self.apply(&e, origin);
            }
            Command::Undo => self.step(true),
            Command::Redo => self.step(false),
            Command::RejectImport(failure) => self.import_failure.set(Some(failure)),
            Command::ClearImportFailure => self.import_failure.set(None),
            Command::DismissNotice(id) => self.notices.update(|n| n.retain(|(i, _)| *i != id)),
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

    /// Applies an engine edit; the plan before it goes on the undo stack. An edit the engine
    /// refuses changes nothing and its findings are shown like a failed import.
    fn apply(&self, e: &Edit, origin: Origin) -> bool {
        let next = self.plan.with_untracked(|p| edit::apply(p, e));
        match next {
            Ok(next) => {
                let before = self.plan.with_untracked(Clone::clone);
                let was = self.origin.get_untracked();
                self.history.update(|h| {
                    h.past.push((before, was, e.describe()));
                    if h.past.len() > HISTORY_LIMIT {
                        h.past.remove(0);
                    }
                    h.future.clear();
                });
                self.plan.set(next);
                self.origin.set(origin);
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

    /// Undo (`back`) or redo one change.
    fn step(&self, back: bool) {
        let mut h = self.history.get_untracked();
        let from = if back { &mut h.past } else { &mut h.future };
        let Some((plan, origin, what)) = from.pop() else {
            return;
        };
        let current = self.plan.with_untracked(Clone::clone);
        let was = self.origin.get_untracked();
        let to = if back { &mut h.future } else { &mut h.past };
        to.push((current, was, what));
        self.history.set(h);
        self.plan.set(plan);
        self.origin.set(origin);
        self.import_failure.set(None);
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
        let loaded = engine::plan::load(text);
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

    pub fn plan_name(&self) -> Signal<String> {
        let plan = self.plan;
        Signal::derive(move || plan.with(|p| p.name.clone()))
    }

    /// Where the current plan came from, in words.
    pub fn origin_text(&self) -> String {
        format!("Opened from {}", self.origin.with(Origin::describe))
    }

    pub fn board(&self) -> Memo<Board> {
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
            let t = p.0.tasks.iter().position(|t| t.id() == task_id)?;
            Some(explain(&p.0, t))
        })
    }
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
        }
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
