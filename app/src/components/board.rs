//! The cluster board: the instance palette, a live status line saying what placement did, one
//! lane per Availability Zone (its container instances, then its Fargate tasks), a lane to add
//! a zone, and the tray of tasks that found no place.
//!
//! Rendering is keyed: a lane is keyed by its zone and an instance card by a fingerprint of
//! everything it shows, so after an edit only the cards whose content changed are drawn anew.
//! Task chips carry no event handlers of their own: the board listens once (clicks select,
//! pointer presses start a drag, `M` starts a keyboard drag) and finds the chip from the event.
//!
//! What a task drop means (ECS has no way to pin a task): nothing changes; the status line says
//! where ECS would place the task and, on an instance that cannot take it, why not.

use crate::selector;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use engine::api::board::{Board, InstanceCard, TaskChip};
use engine::api::edit::Edit;
use engine::api::placement::diff::{describe, TaskChange};
use engine::api::placement::Explanation;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::deferred;
use super::drag::{self, use_drags, Drags, Source};
use super::instance::{self, InstanceView};
use super::palette::Palette;
use super::task_chip::{ChipList, Swatch};
use super::ui::{use_ui, Ui};
use crate::labels;
use crate::store::{use_store, Command, Store};
use crate::web;

/// How an instance looks to the focused task (the one selected or being dragged), from the
/// engine's explanation.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub passed: bool,
    /// The task is on this instance.
    pub chosen: bool,
    /// 1 = where ECS places the task; among `of` instances that passed every filter.
    pub rank: Option<u32>,
    pub of: usize,
    pub stage: Option<String>,
    pub reason: Option<String>,
    /// The strategy scores, e.g. "spread(attribute:ecs.availability-zone): 2 tasks of
    /// service:web where ... · tie-break: seeded draw 0.412".
    pub scores: String,
}

/// The focused task and every instance's verdict for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Focus {
    pub task: String,
    pub by_instance: HashMap<String, Verdict>,
    /// Where ECS places it (rank 1), if anywhere.
    pub best: Option<String>,
    /// Runs on Fargate: no instance applies.
    pub fargate: bool,
    /// Kept where it ran before the last edit: the ranks say where it would go if placed now.
    pub kept: bool,
}

impl Focus {
    pub fn of(e: &Explanation) -> Focus {
        let of = e.instances.iter().filter(|v| v.passed).count();
        let by_instance = e
            .instances
            .iter()
            .map(|v| {
                let scores = v
                    .scores
                    .iter()
                    .map(|s| format!("{}: {}", s.rule, s.text))
                    .collect::<Vec<_>>()
                    .join(" · ");
                (
                    v.instance.clone(),
                    Verdict {
                        passed: v.passed,
                        chosen: v.chosen,
                        rank: v.rank,
                        of,
                        stage: v.stage.map(|s| s.to_string()),
                        reason: v.reason.clone(),
                        scores,
                    },
                )
            })
            .collect();
        Focus {
            task: e.task.clone(),
            by_instance,
            best: e
                .instances
                .iter()
                .find(|v| v.rank == Some(1))
                .map(|v| v.instance.clone()),
            fargate: e.launch.contains("Fargate"),
            kept: e.kept,
        }
    }

    /// What dropping the task on `instance` tells: ECS decides placement, so this is where
    /// ECS would place it, or why it cannot go there. The drop changes nothing.
    pub fn drop_message(&self, instance: &str) -> String {
        let task = &self.task;
        if self.fargate {
            return format!(
                "{task} runs on AWS Fargate: it has no container instance, and placement strategies and constraints do not apply."
            );
        }
        let short = labels::short_id;
        let Some(v) = self.by_instance.get(instance) else {
            return format!("{instance} is not in this cluster.");
        };
        let pin =
            "Nothing changed: ECS chooses the instance itself, a task cannot be pinned to one.";
        if v.chosen && self.kept {
            return format!(
                "{task} is on {} already: it ran there before the last edit, and ECS does not move a running task. {pin}",
                short(instance)
            );
        }
        if v.chosen {
            return format!(
                "{task} is on {} already: ECS ranks it first of {} that passed. {pin}",
                short(instance),
                v.of
            );
        }
        if v.passed {
            let rank = v.rank.unwrap_or_default();
            if self.kept {
                let best = self.best.as_deref().map_or(String::new(), |b| {
                    format!(" (placed now, it would go on {}, rank 1)", short(b))
                });
                return format!(
                    "{task} keeps running where it is{best}; {} ranks {rank} of {}. {pin}",
                    short(instance),
                    v.of
                );
            }
            return match &self.best {
                Some(best) => format!(
                    "ECS would place {task} on {} (rank 1), not on {} (rank {rank} of {}). {pin} To steer it, change the placement strategy or add a memberOf constraint.",
                    short(best),
                    short(instance),
                    v.of
                ),
                None => format!("{} may take {task} (rank {rank} of {}). {pin}", short(instance), v.of),
            };
        }
        format!(
            "{task} cannot go on {}: ruled out at {}: {}.",
            short(instance),
            v.stage.as_deref().unwrap_or("a filter"),
            v.reason.as_deref().unwrap_or("no reason given")
        )
    }
}

/// A message about the last interaction, shown in the live line until the plan changes:
/// instead of what placement did (a task drop, which changes nothing) or after it.
#[derive(Debug, Clone, PartialEq)]
struct Note {
    revision: u64,
    text: String,
    replaces: bool,
}

/// The board's view state.
#[derive(Clone, Copy)]
pub struct BoardUi {
    note: RwSignal<Option<Note>>,
    revision: Signal<u64>,
    /// The selected or dragged task and every instance's verdict for it. A signal set only
    /// when the verdicts change: every card reads it, and an edit that leaves them alone (no
    /// task selected) then reaches no card.
    focus: RwSignal<Option<Arc<Focus>>>,
    /// What the last edit did to each task: `moved`, `new`, `placed`, `displaced`.
    changes: Memo<Arc<HashMap<String, &'static str>>>,
}

impl BoardUi {
    fn new(store: Store, ui: Ui, drags: Drags) -> BoardUi {
        let focus_id = Memo::new(move |_| {
            match drags.dragged() {
                Some((d, _)) if d.kind == "task" => return Some(d.value),
                _ => {}
            }
            ui.selected_task.get()
        });
        let computed = Memo::new(move |_| {
            let id = focus_id.get()?;
            store.explain(&id).map(|e| Arc::new(Focus::of(&e)))
        });
        let focus = RwSignal::new(None);
        Effect::new(move |_| {
            let now = computed.get();
            if focus.with_untracked(|f| *f != now) {
                focus.set(now);
            }
        });
        let changes = Memo::new(move |_| {
            Arc::new(
                store
                    .last_change()
                    .with(|c| c.as_ref().map(|c| change_kinds(&c.changes)))
                    .unwrap_or_default(),
            )
        });
        BoardUi {
            note: RwSignal::new(None),
            revision: store.revision(),
            focus,
            changes,
        }
    }

    /// What the last edit did to each task (untracked: a card's key already covers it).
    pub fn changes_untracked(&self) -> Changes {
        self.changes.get_untracked()
    }

    /// Adds a sentence after what placement did, until the plan changes.
    pub fn add_note(&self, text: String) {
        self.note.set(Some(Note {
            revision: self.revision.get_untracked(),
            text,
            replaces: false,
        }));
    }

    /// The verdict of `instance` for the focused task (tracked).
    pub fn verdict(&self, instance: &str) -> Option<(String, Verdict)> {
        self.focus.with(|f| {
            let f = f.as_ref()?;
            Some((f.task.clone(), f.by_instance.get(instance)?.clone()))
        })
    }
}

/// What the last edit did to each task, by task id.
pub type Changes = Arc<HashMap<String, &'static str>>;

/// Keeps the chips' highlights (`data-change`) in step with what the last edit did. A task
/// that moved, started or was placed is in a card the edit changed, which is written with its
/// highlight; what is left is to take the highlights of the edit before off the chips that
/// still carry them (one query for the page, not a card written again).
fn sync_changes(board_ui: BoardUi) {
    Effect::new(move |_| {
        let now = board_ui.changes.get();
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Ok(list) = doc.query_selector_all("[data-testid=task][data-change]") else {
            return;
        };
        for i in 0..list.length() {
            let Some(el) = list
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            else {
                continue;
            };
            let want = el
                .get_attribute("data-task-id")
                .and_then(|id| now.get(&id).copied());
            match want {
                Some(kind) => {
                    if el.get_attribute("data-change").as_deref() != Some(kind) {
                        let _ = el.set_attribute("data-change", kind);
                    }
                }
                None => {
                    let _ = el.remove_attribute("data-change");
                }
            }
        }
    });
}

/// A CSS string literal of `v` (for attribute selectors).
/// Marks the instance card a drag is over (`drop-over`). One effect for the board instead of
/// one subscription per card: a pointer move from card to card touches two cards, not all.
fn sync_instance_over(drags: Drags) {
    Effect::new(move |prev: Option<Option<String>>| {
        let now = drags
            .over()
            .filter(|t| t.kind == "instance")
            .map(|t| t.value);
        if prev.as_ref() == Some(&now) {
            return now;
        }
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            let toggle = |id: &str, on: bool| {
                let css = format!(
                    "[data-testid=instance]{}",
                    selector::attr("data-instance-id", id)
                );
                if let Ok(Some(el)) = doc.query_selector(&css) {
                    let _ = el.class_list().toggle_with_force("drop-over", on);
                }
            };
            if let Some(Some(old)) = &prev {
                toggle(old, false);
            }
            if let Some(id) = &now {
                toggle(id, true);
            }
        }
        now
    });
}

/// Keeps `aria-pressed` of the selected chip in step with the selection (chips subscribe to
/// nothing themselves; a new chip reads the selection when it is drawn).
fn sync_pressed(ui: Ui) {
    Effect::new(move |prev: Option<Option<String>>| {
        let now = ui.selected_task.get();
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            let set = |id: &str, v: &str| {
                let css = format!("[data-testid=task]{}", selector::attr("data-task-id", id));
                if let Ok(Some(el)) = doc.query_selector(&css) {
                    let _ = el.set_attribute("aria-pressed", v);
                }
            };
            if let Some(Some(old)) = &prev {
                set(old, "false");
            }
            if let Some(id) = &now {
                set(id, "true");
            }
        }
        now
    });
}

/// `moved`, `new`, `placed` or `displaced` per task id.
pub fn change_kinds(changes: &[TaskChange]) -> HashMap<String, &'static str> {
    changes
        .iter()
        .filter_map(|c| {
            let kind = match c {
                TaskChange::Moved { .. } => "moved",
                TaskChange::New { to: Some(_), .. } => "new",
                TaskChange::Placed { .. } => "placed",
                TaskChange::New { to: None, .. } | TaskChange::Displaced { .. } => "displaced",
                TaskChange::Removed { .. } => return None,
            };
            Some((c.task().to_string(), kind))
        })
        .collect()
}

pub fn use_board_ui() -> BoardUi {
    expect_context::<BoardUi>()
}

/// Runs a command that came from a drop and records how long it took on the board element
/// (docs/performance.md reads them), in milliseconds from before the command:
/// `data-perf-command-ms` (the command: edit, placement, diff), `data-perf-frame-ms` (the next
/// animation frame: the page has written the new board; includes the wait for the frame
/// boundary) and `data-perf-paint-ms` (a task queued from that frame: style, layout and paint
/// are done).
pub fn timed(what: &'static str, store: Store, cmd: Command) {
    let t0 = web::now_ms();
    store.execute(cmd);
    let t1 = web::now_ms();
    let set = |name: &str, value: String| {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("board"))
        {
            let _ = el.set_attribute(name, &value);
        }
    };
    set("data-perf-what", what.to_string());
    set("data-perf-command-ms", format!("{:.1}", t1 - t0));
    request_animation_frame(move || {
        let t2 = web::now_ms();
        set("data-perf-frame-ms", format!("{:.1}", t2 - t0));
        set_timeout(
            move || {
                let t3 = web::now_ms();
                set("data-perf-paint-ms", format!("{:.1}", t3 - t0));
            },
            std::time::Duration::ZERO,
        );
    });
}

/// A zone name to offer when adding one: the next letter after the existing zones of the
/// same region (`us-east-1a`, `us-east-1b` → `us-east-1c`).
pub fn next_zone(zones: &[String], region: &str) -> String {
    let base = zones
        .iter()
        .find_map(|z| {
            z.strip_suffix(|c: char| c.is_ascii_lowercase())
                .filter(|b| b.ends_with(|c: char| c.is_ascii_digit()))
        })
        .map(str::to_string)
        .unwrap_or_else(|| {
            if region.is_empty() {
                "us-east-1".to_string()
            } else {
                region.to_string()
            }
        });
    ('a'..='z')
        .map(|c| format!("{base}{c}"))
        .find(|z| !zones.contains(z))
        .unwrap_or_else(|| format!("{base}-new"))
}

/// Unplaced tasks with the same reasons, together.
#[derive(Debug, Clone, PartialEq)]
pub struct UnplacedGroup {
    pub reasons: Vec<String>,
    pub provisioning: bool,
    pub tasks: Vec<TaskChip>,
}

/// Groups unplaced tasks whose reasons (and PROVISIONING state) are identical, in the order
/// the first of each group appears.
pub fn group_unplaced(tasks: &[TaskChip]) -> Vec<UnplacedGroup> {
    let mut groups: Vec<UnplacedGroup> = Vec::new();
    for t in tasks {
        match groups
            .iter_mut()
            .find(|g| g.reasons == t.reasons && g.provisioning == t.provisioning)
        {
            Some(g) => g.tasks.push(t.clone()),
            None => groups.push(UnplacedGroup {
                reasons: t.reasons.clone(),
                provisioning: t.provisioning,
                tasks: vec![t.clone()],
            }),
        }
    }
    groups
}

/// An instance card with the key it is rendered under: a fingerprint of everything it shows,
/// so that a card is drawn again exactly when its content changed.
#[derive(Clone)]
struct CardItem {
    key: u64,
    card: Arc<InstanceCard>,
}

impl PartialEq for CardItem {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

/// A card's key: everything it shows but the highlights of the last edit (those change as
/// attributes on the chips, see [`sync_changes`], so a highlight going away rewrites no card).
fn fingerprint(card: &InstanceCard, salt: u64) -> u64 {
    let mut h = DefaultHasher::new();
    salt.hash(&mut h);
    card.id.hash(&mut h);
    card.instance_type.hash(&mut h);
    (card.draining, card.agent_connected, card.memory_estimated).hash(&mut h);
    card.capacity_provider.hash(&mut h);
    for m in [Some(card.cpu), Some(card.memory), card.gpus, card.enis] {
        m.map(|m| (m.used, m.total)).hash(&mut h);
    }
    card.ports.hash(&mut h);
    for t in &card.tasks {
        (&t.id, t.family_index, t.revision, t.cpu, t.memory, &t.group).hash(&mut h);
    }
    h.finish()
}

#[derive(Clone, PartialEq)]
struct LaneData {
    az: String,
    cards: Shared<Vec<CardItem>>,
    /// Fargate tasks with what the last edit did to them.
    fargate: Shared<Vec<(TaskChip, Option<&'static str>)>>,
}

/// A lane's list shared by the board's memos (each lane's memo takes it without a copy): equal
/// when it is the same list, else when its items are equal.
#[derive(Clone, Default)]
struct Shared<T>(Arc<T>);

impl<T: PartialEq> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || *self.0 == *other.0
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Which cards of the lanes before the board's cards are known to equal, without comparing
/// them: from the store's [`crate::store::Shown`], when the lanes were built from the board
/// just before (or this same board) with the same labels.
#[derive(Clone, Copy)]
enum Kept<'a> {
    /// Compare (the first lanes, other labels, or boards the lanes did not see).
    Unknown,
    /// The same board: every card.
    All,
    /// By instance index, from the engine.
    These(&'a [bool]),
}

impl<'a> Kept<'a> {
    /// `from`: the board generation and salt the lanes before were built from.
    fn of(
        from: Option<(u64, u64)>,
        generation: u64,
        salt: u64,
        kept: Option<&'a [bool]>,
    ) -> Kept<'a> {
        match (from, kept) {
            (Some((g, s)), _) if s == salt && g == generation => Kept::All,
            (Some((g, s)), Some(k)) if s == salt && g + 1 == generation => Kept::These(k),
            _ => Kept::Unknown,
        }
    }

    fn card(self, index: usize) -> bool {
        match self {
            Kept::Unknown => false,
            Kept::All => true,
            Kept::These(k) => k.get(index).copied().unwrap_or(false),
        }
    }
}

/// The lanes the board draws, reusing `prev`'s items where they show the same: a card the
/// engine kept keeps its item (no fingerprint of its chips: 50 000 of them at ECS's quotas);
/// another is keyed by its fingerprint and keeps the item before when equal. A lane whose
/// cards or Fargate chips are all the same keeps its list (the lane's memos then see the same
/// list, not a copy). Equal, item for item, to the lanes built without `prev` (a test checks).
fn lanes_of(
    b: &Board,
    prev: &[LaneData],
    kept: Kept,
    salt: u64,
    changes: &HashMap<String, &'static str>,
) -> Vec<LaneData> {
    // The items before by instance index (an instance that changed zone is found too).
    let mut before: Vec<Option<&CardItem>> = Vec::new();
    for c in prev.iter().flat_map(|l| l.cards.iter()) {
        let i = c.card.index.at();
        if before.len() <= i {
            before.resize(i + 1, None);
        }
        before[i] = Some(c);
    }
    let item = |c: &InstanceCard| -> CardItem {
        let old = before.get(c.index.at()).copied().flatten();
        match old {
            Some(o) if kept.card(c.index.at()) => o.clone(),
            Some(o) if *o.card == *c => CardItem {
                key: fingerprint(c, salt),
                card: o.card.clone(),
            },
            _ => CardItem {
                key: fingerprint(c, salt),
                card: Arc::new(c.clone()),
            },
        }
    };
    b.lanes
        .iter()
        .map(|l| {
            let was = prev.iter().find(|p| p.az == l.availability_zone);
            let cards: Vec<CardItem> = l.instances.iter().map(item).collect();
            // The same items (not only the same keys: a key leaves out the instance's index).
            let same_cards = was.is_some_and(|w| {
                w.cards.len() == cards.len()
                    && w.cards
                        .iter()
                        .zip(&cards)
                        .all(|(a, b)| a.key == b.key && Arc::ptr_eq(&a.card, &b.card))
            });
            let cards = match was {
                Some(w) if same_cards => w.cards.clone(),
                _ => Shared(Arc::new(cards)),
            };
            let change = |t: &TaskChip| {
                if changes.is_empty() {
                    None
                } else {
                    changes.get(&t.id).copied()
                }
            };
            let same_fargate = was.is_some_and(|w| {
                w.fargate.len() == l.fargate.len()
                    && w.fargate
                        .iter()
                        .zip(&l.fargate)
                        .all(|((t, c), n)| t == n && *c == change(n))
            });
            let fargate = match was {
                Some(w) if same_fargate => w.fargate.clone(),
                _ => Shared(Arc::new(
                    l.fargate.iter().map(|t| (t.clone(), change(t))).collect(),
                )),
            };
            LaneData {
                az: l.availability_zone.clone(),
                cards,
                fargate,
            }
        })
        .collect()
}

/// The task chip an event happened in: its id.
fn chip_of(ev: &web_sys::Event) -> Option<(String, web_sys::Element)> {
    let el = ev
        .target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("[data-testid=task]")
        .ok()??;
    Some((el.get_attribute("data-task-id")?, el))
}

/// Dragging a task: dropping it on an instance asks the engine where ECS would place it.
fn task_source(id: &str, store: Store, ui: Ui, board_ui: BoardUi) -> Source {
    let task = id.to_string();
    Source::new(
        "task",
        id,
        format!("task {id}"),
        &["instance"],
        move |_, t| {
            let text = store
                .explain(&task)
                .map(|e| Focus::of(&e).drop_message(&t.value))
                .unwrap_or_else(|| format!("{task} is no longer in the plan."));
            board_ui.note.set(Some(Note {
                revision: store.revision().get_untracked(),
                text,
                replaces: true,
            }));
            // Keep the verdicts on the board: the dropped task stays selected.
            ui.selected_task.set(Some(task.clone()));
        },
    )
    .refocus(format!(
        "[data-testid=task]{}",
        selector::attr("data-task-id", id)
    ))
}

#[component]
pub fn BoardView() -> impl IntoView {
    let store = use_store();
    let ui = use_ui();
    let drags = use_drags();
    let board_ui = BoardUi::new(store, ui, drags);
    provide_context(board_ui);
    let board = store.board();
    let fam_labels =
        Memo::new(move |_| board.with(|b| Arc::new(labels::family_labels(&b.families))));

    // What the lanes were last built from: the board's generation and the labels' salt.
    let built_from = StoredValue::new(None::<(u64, u64)>);
    let lanes = Memo::new(move |prev: Option<&Vec<LaneData>>| {
        let salt = {
            let mut h = DefaultHasher::new();
            fam_labels.with(|l| l.hash(&mut h));
            h.finish()
        };
        let changes = board_ui.changes.get();
        board.with(|b| {
            let from = built_from.get_value();
            built_from.set_value(Some((b.generation, salt)));
            lanes_of(
                &b.board,
                prev.map(Vec::as_slice).unwrap_or_default(),
                Kept::of(
                    from,
                    b.generation,
                    salt,
                    b.kept.as_deref().map(Vec::as_slice),
                ),
                salt,
                &changes,
            )
        })
    });
    sync_pressed(ui);
    sync_instance_over(drags);
    sync_changes(board_ui);
    let windowed = Memo::new(move |_| {
        deferred::windowed(lanes.with(|ls| ls.iter().map(|l| l.cards.len()).sum()))
    });
    // A windowed board tells the keyboard's drags where every card is (most are not on the
    // page).
    Effect::new(move |_| {
        if !windowed.get() {
            deferred::set_board(None);
            return;
        }
        deferred::set_board(Some(deferred::BoardHooks {
            targets: Box::new(move || {
                lanes.with_untracked(|ls| {
                    ls.iter()
                        .flat_map(|l| {
                            l.cards.iter().map(|c| drag::Target {
                                kind: "instance".into(),
                                value: c.card.id.clone(),
                                label: instance::drop_label(&c.card, &l.az),
                            })
                        })
                        .collect()
                })
            }),
            find: Box::new(move |id| {
                lanes.with_untracked(|ls| {
                    ls.iter().find_map(|l| {
                        let i = l.cards.iter().position(|c| c.card.id == id)?;
                        Some((l.az.clone(), i))
                    })
                })
            }),
        }));
    });
    on_cleanup(|| deferred::set_board(None));

    // Ready once the first board is in the DOM (effects run after rendering).
    let ready_at = RwSignal::new(None::<f64>);
    Effect::new(move |_| {
        if ready_at.get_untracked().is_none() {
            ready_at.set(Some(web::now_ms()));
        }
    });

    let status = Memo::new(move |_| {
        if let Some(h) = drags.hint() {
            return h;
        }
        let revision = store.revision().get();
        let note = board_ui
            .note
            .with(|n| n.clone().filter(|n| n.revision == revision));
        if let Some(n) = note.as_ref().filter(|n| n.replaces) {
            return n.text.clone();
        }
        let summary = board.with(|b| b.summary());
        let placed = store.last_change().with(|c| match c {
            Some(c) => format!(
                "{}: {}. {summary}",
                capitalise(&c.what),
                describe(&c.changes)
            ),
            None => summary,
        });
        match note {
            Some(n) => format!("{placed}. {}", n.text),
            None => placed,
        }
    });

    // Task chips: one listener each for the whole board.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if instance::action(&ev, store, drags) {
            return;
        }
        if let Some((id, _)) = chip_of(&ev) {
            ui.toggle_task(&id);
        }
    };
    let on_pointerdown = move |ev: leptos::ev::PointerEvent| {
        if instance::action(&ev, store, drags) {
            return;
        }
        if let Some((id, el)) = chip_of(&ev) {
            drags.pointer_down_on(&ev, &el, task_source(&id, store, ui, board_ui));
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if !(ev.key() == "m" || ev.key() == "M") || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        if let Some((id, el)) = chip_of(&ev) {
            ev.prevent_default();
            drags.pick(task_source(&id, store, ui, board_ui), Some(el));
        }
    };

    view! {
        <section
            class="board-area"
            aria-labelledby="board-title"
            on:click=on_click
            on:pointerdown=on_pointerdown
            on:keydown=on_keydown
        >
            <div class="board-head">
                <h2 id="board-title">"Cluster"</h2>
                <Legend fam_labels />
                <AddZone />
                <super::afresh::PlaceAfresh />
            </div>
            <Palette />
            <p class="status" role="status" aria-live="polite" data-testid="status">
                {move || status.get()}
            </p>
            <Show when=move || windowed.get()>
                <p class="defer-note" data-testid="defer-note">
                    {format!(
                        "A big cluster (more than {} instances): only the instances in and near the view are on the page, so that edits and scrolling stay quick. Moving a task with M reaches every instance.",
                        deferred::VIRTUAL_ABOVE,
                    )}
                </p>
            </Show>
            <div
                id="board"
                class="lanes"
                data-ready=move || ready_at.get().is_some().to_string()
                data-ready-ms=move || ready_at.get().map(|t| format!("{t:.0}"))
            >
                <For
                    each=move || lanes.with(|ls| ls.iter().map(|l| l.az.clone()).collect::<Vec<_>>())
                    key=|az| az.clone()
                    children=move |az| view! { <LaneView az lanes fam_labels windowed /> }
                />
            </div>
            <UnplacedTray fam_labels />
        </section>
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Families with their colour, pattern and label.
#[component]
fn Legend(fam_labels: Memo<Arc<Vec<String>>>) -> impl IntoView {
    let board = use_store().board();
    // Written again only when the families change, not on every drop.
    let families = Memo::new(move |_| board.with(|b| b.families.clone()));
    view! {
        <ul class="legend" aria-label="Task definition families" data-testid="legend">
            {move || {
                let l = fam_labels.get();
                families
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, family)| {
                        let label = l.get(i).cloned().unwrap_or_default();
                        view! {
                            <li>
                                <Swatch family_index=i label />
                                <span>{family}</span>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}

#[component]
fn LaneView(
    az: String,
    lanes: Memo<Vec<LaneData>>,
    fam_labels: Memo<Arc<Vec<String>>>,
    /// Only the cards in and near the view are drawn (see `deferred.rs`).
    windowed: Memo<bool>,
) -> impl IntoView {
    let store = use_store();
    let drags = use_drags();
    let ui = use_ui();
    // The lane's cards and Fargate chips, each taken from the board's lanes (not the whole
    // lane copied first: on the quota plan that was a copy and a comparison of 1 700 cards and
    // 500 chips per lane per drop more).
    let cards = {
        let az = az.clone();
        Memo::new(move |_| {
            lanes.with(|ls| {
                ls.iter()
                    .find(|l| l.az == az)
                    .map(|l| l.cards.clone())
                    .unwrap_or_default()
            })
        })
    };
    // One signal per card, set only when that card's key changes: an edit reaches the cards
    // it changed and no other (a memo per card would make every card check every edit).
    let slots = StoredValue::new(HashMap::<
        String,
        (u64, ArcRwSignal<Option<Arc<InstanceCard>>>),
    >::new());
    Effect::new(move |_| {
        cards.with(|cs| {
            slots.update_value(|m| {
                for c in cs.iter() {
                    if let Some((key, sig)) = m.get_mut(&c.card.id) {
                        if *key != c.key {
                            *key = c.key;
                            sig.set(Some(c.card.clone()));
                        }
                    }
                }
                if m.len() > cs.len() {
                    let ids: std::collections::HashSet<&str> =
                        cs.iter().map(|c| c.card.id.as_str()).collect();
                    m.retain(|id, _| ids.contains(id.as_str()));
                }
            })
        })
    });
    // A windowed board draws the lane's cards [lo, hi); the first one's top margin and the
    // last one's bottom margin are as tall as the cards above and below would be (`--above`,
    // `--below`). The first screen is drawn first (the window starts as many cards as could
    // fill it), the rest of the window in the frames after.
    let vh = || {
        web_sys::window()
            .and_then(|w| w.inner_height().ok())
            .and_then(|v| v.as_f64())
            .unwrap_or(800.0)
    };
    let win = RwSignal::new((0usize, (vh() / 120.0) as usize + 1));
    let margins = StoredValue::new((-1.0f64, -1.0f64));
    let section = NodeRef::<leptos::html::Section>::new();
    let offsets = move || {
        cards.with_untracked(|cs| {
            deferred::with_heights(|h| h.offsets(cs.iter().map(|c| (c.key, c.card.tasks.len()))))
        })
    };
    let set_margins = move |m: (f64, f64)| {
        let Some(sec) = section.get_untracked() else {
            return;
        };
        if margins.get_value() != m {
            margins.set_value(m);
            let _ = sec.set_attribute("style", &format!("--above:{}px;--below:{}px", m.0, m.1));
        }
    };
    let show = move |(lo, hi): (usize, usize), offs: &[f64]| {
        let end = offs.len() - 1;
        set_margins((offs[lo.min(end)], offs[end] - offs[hi.min(end)]));
        if win.get_untracked() != (lo, hi) {
            win.set((lo, hi));
            return true;
        }
        false
    };
    // Where the lane's first card starts, in the view's coordinates (below the title).
    let origin = move || {
        section
            .get_untracked()
            .and_then(|s| s.first_element_child())
            .map(|t| t.get_bounding_client_rect().bottom() + deferred::GAP)
    };
    // Measures the cards drawn and works out the window the view needs (reads the page only);
    // gives what draws it (writes), run once every lane has measured (`deferred::schedule`).
    let measure = move || -> Option<deferred::Write> {
        if !windowed.get_untracked() {
            return None;
        }
        let (Some(sec), Some(y)) = (section.get_untracked(), origin()) else {
            return None;
        };
        let (lo, hi) = win.get_untracked();
        if let Ok(list) = sec.query_selector_all(":scope > [data-testid=instance]") {
            // The drawn cards are the window's, in its order.
            cards.with_untracked(|cs| {
                deferred::with_heights(|h| {
                    for (i, c) in cs.iter().skip(lo).take(hi.saturating_sub(lo)).enumerate() {
                        let Some(el) = list
                            .item(i as u32)
                            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                        else {
                            break;
                        };
                        if el.get_attribute("data-instance-id").as_deref() == Some(&c.card.id) {
                            h.record(
                                c.key,
                                c.card.tasks.len(),
                                el.get_bounding_client_rect().height(),
                            );
                        }
                    }
                });
            });
        }
        let offs = offsets();
        let now = deferred::window(&offs, -y - deferred::MARGIN, -y + vh() + deferred::MARGIN);
        Some(Box::new(move || show(now, &offs)))
    };
    let pass = deferred::register(std::rc::Rc::new(measure));
    Effect::new(move |_| {
        cards.track();
        if windowed.get() {
            deferred::schedule();
        } else {
            set_margins((0.0, 0.0));
        }
    });
    let on_scroll = window_event_listener(leptos::ev::scroll, move |_| {
        if windowed.get_untracked() {
            deferred::schedule();
        }
    });
    // The keyboard's drag reaches a card not drawn: the lane scrolls it to a third of the
    // view and draws the window around it.
    let reveal: deferred::Reveal = std::rc::Rc::new(move |i| {
        let (Some(y), Some(w)) = (origin(), web_sys::window()) else {
            return;
        };
        let offs = offsets();
        let Some(&at) = offs.get(i) else { return };
        let h = vh();
        w.scroll_by_with_x_and_y(0.0, y + at - h / 3.0);
        show(deferred::window(&offs, at - h, at + h), &offs);
    });
    deferred::set_lane(&az, Some(reveal));
    {
        let az = az.clone();
        on_cleanup(move || {
            on_scroll.remove();
            deferred::unregister(pass);
            deferred::set_lane(&az, None);
        });
    }
    let fargate = {
        let az = az.clone();
        Memo::new(move |_| {
            lanes.with(|ls| {
                ls.iter()
                    .find(|l| l.az == az)
                    .map(|l| l.fargate.clone())
                    .unwrap_or_default()
            })
        })
    };
    let n = move || cards.with(|c| c.len());
    let ready = move || drags.accepting("zone");
    let over = {
        let az = az.clone();
        move || drags.is_over("zone", &az)
    };
    let lose = {
        let az = az.clone();
        move |_| {
            store.execute(Command::Edit(Edit::LoseZone {
                availability_zone: az.clone(),
            }))
        }
    };
    let lane_az = az.clone();
    view! {
        <section
            node_ref=section
            class="lane"
            class:drop-ready=ready
            class:drop-over=over
            data-testid="lane"
            data-az=az.clone()
            data-drop-kind="zone"
            data-drop-value=az.clone()
            data-drop-label=format!("Availability Zone {az}")
            tabindex="-1"
            aria-label=format!("Availability Zone {az}")
        >
            <h3 class="lane-title">
                <span>{az.clone()}</span>
                <span class="count">
                    {move || {
                        let n = n();
                        format!("{n} instance{}", if n == 1 { "" } else { "s" })
                    }}
                </span>
                <button
                    type="button"
                    class="small lose-zone"
                    data-testid="lose-zone"
                    aria-label=format!("Lose zone {az}: remove its instances")
                    title="Lose this zone: its instances go away and placement runs again"
                    disabled=move || n() == 0
                    on:click=lose
                >
                    "Lose zone"
                </button>
            </h3>
            // Keyed by instance: a card whose content changed keeps its component and writes
            // its parts again (its own memo compares the content's fingerprint).
            <For
                each=move || {
                    let (lo, hi) = if windowed.get() { win.get() } else { (0, usize::MAX) };
                    cards.with(|cs| {
                        let hi = hi.min(cs.len());
                        cs[lo.min(hi)..hi].iter().map(|c| c.card.id.clone()).collect::<Vec<_>>()
                    })
                }
                key=|id| id.clone()
                children=move |id| {
                    // A new card starts from the lane as it is; the effect above keeps it current
                    // while it is on the page.
                    let now = cards.with_untracked(|cs| cs.iter().find(|c| c.card.id == id).cloned());
                    let sig = ArcRwSignal::new(now.as_ref().map(|c| c.card.clone()));
                    slots.update_value(|m| {
                        m.insert(id.clone(), (now.map_or(0, |c| c.key), sig.clone()));
                    });
                    {
                        let id = id.clone();
                        on_cleanup(move || {
                            slots.try_update_value(|m| m.remove(&id));
                        });
                    }
                    let card = Signal::from(sig);
                    view! { <InstanceView id card az=lane_az.clone() fam_labels /> }
                }
            />
            {move || {
                let chips = fargate.get();
                (!chips.is_empty())
                    .then(|| {
                        let l = fam_labels.get_untracked();
                        let count = chips.len();
                        let selected = ui.selected_task.get_untracked();
                        let items = chip_html(
                            chips.iter().map(|(t, c)| (t, *c)),
                            &l,
                            "FARGATE",
                            None,
                            selected.as_deref(),
                        );
                        view! {
                            <div class="fargate" data-testid="fargate">
                                <h4>"AWS Fargate" <span class="count">{count}</span></h4>
                                <ul class="chips" aria-label="Fargate tasks" inner_html=items></ul>
                            </div>
                        }
                    })
            }}
            {move || {
                (n() == 0 && fargate.with(|f| f.is_empty()))
                    .then(|| view! { <p class="empty">"Nothing runs in this zone."</p> })
            }}
        </section>
    }
}

/// A small form that adds an Availability Zone (a new, empty lane).
#[component]
fn AddZone() -> impl IntoView {
    let store = use_store();
    let board = store.board();
    let suggestion = Memo::new(move |_| {
        board.with(|b| {
            let zones: Vec<String> = b
                .lanes
                .iter()
                .map(|l| l.availability_zone.clone())
                .collect();
            next_zone(&zones, "")
        })
    });
    let name = RwSignal::new(None::<String>);
    let value = move || name.get().unwrap_or_else(|| suggestion.get());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let az = value().trim().to_string();
        if !az.is_empty() {
            store.execute(Command::Edit(Edit::AddZone {
                availability_zone: az,
            }));
            name.set(None);
        }
    };
    view! {
        <form class="add-zone" data-testid="add-zone-form" on:submit=add>
            <label for="add-zone-name">"Add a zone"</label>
            <div class="add-zone-row">
                <input
                    id="add-zone-name"
                    data-testid="add-zone-name"
                    type="text"
                    spellcheck="false"
                    autocomplete="off"
                    prop:value=value
                    on:input=move |ev| name.set(Some(event_target_value(&ev)))
                />
                <button type="submit" data-testid="add-zone">"Add zone"</button>
            </div>
        </form>
    }
}

/// Tasks that could not be placed, grouped by identical reasons (the engine's).
#[component]
fn UnplacedTray(fam_labels: Memo<Arc<Vec<String>>>) -> impl IntoView {
    let ui = use_ui();
    let board = use_store().board();
    let board_ui = use_board_ui();
    let groups = Memo::new(move |_| {
        let changes = board_ui.changes.get();
        board.with(|b| {
            group_unplaced(&b.unplaced)
                .into_iter()
                .map(|g| {
                    let kinds: Vec<Option<&'static str>> = g
                        .tasks
                        .iter()
                        .map(|t| changes.get(&t.id).copied())
                        .collect();
                    (g, kinds)
                })
                .collect::<Vec<_>>()
        })
    });
    let n = Memo::new(move |_| board.with(|b| b.unplaced.len()));
    view! {
        <section
            class="unplaced"
            class:has-tasks=move || { n.get() > 0 }
            data-testid="unplaced"
            data-count=move || n.get().to_string()
            aria-labelledby="unplaced-title"
        >
            <h3 id="unplaced-title">"Unplaced tasks " <span class="count">{n}</span></h3>
            {move || {
                let groups = groups.get();
                if groups.is_empty() {
                    return view! { <p class="empty">"Every task found a place."</p> }.into_any();
                }
                let l = fam_labels.get();
                let selected = ui.selected_task.get_untracked();
                view! {
                    <ul class="unplaced-list">
                        {groups.into_iter().map(|(g, kinds)| unplaced_group(g, kinds, &l, selected.as_deref())).collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

/// Chips with what the last edit did to each, as HTML.
fn chip_html<'t>(
    tasks: impl Iterator<Item = (&'t TaskChip, Option<&'static str>)>,
    fam_labels: &[String],
    launch: &str,
    item_testid: Option<&str>,
    selected: Option<&str>,
) -> String {
    let (tasks, changes): (Vec<&TaskChip>, HashMap<String, &'static str>) = {
        let mut list = Vec::new();
        let mut changes = HashMap::new();
        for (t, c) in tasks {
            if let Some(c) = c {
                changes.insert(t.id.clone(), c);
            }
            list.push(t);
        }
        (list, changes)
    };
    ChipList {
        fam_labels,
        launch,
        item_testid,
        selected,
    }
    .html(tasks, &changes)
}

fn unplaced_group(
    g: UnplacedGroup,
    kinds: Vec<Option<&'static str>>,
    fam_labels: &[String],
    selected: Option<&str>,
) -> impl IntoView {
    let count = g.tasks.len();
    let chips = chip_html(
        g.tasks.iter().zip(kinds),
        fam_labels,
        "UNPLACED",
        Some("unplaced-task"),
        selected,
    );
    view! {
        <li class="unplaced-group" data-testid="unplaced-group" data-count=count>
            <div class="unplaced-head">
                <strong>{format!("{count} task{}", if count == 1 { "" } else { "s" })}</strong>
                {g.provisioning
                    .then(|| {
                        view! {
                            <span class="badge provisioning" title="Waiting for the capacity provider to add instances">
                                "PROVISIONING"
                            </span>
                        }
                    })}
                <ul class="chips" inner_html=chips></ul>
            </div>
            <ul class="reasons">{g.reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::api::placement::{explain, place, PlaceOptions};

    fn chip(id: &str, reasons: &[&str]) -> TaskChip {
        TaskChip {
            id: id.into(),
            family: "web".into(),
            revision: 1,
            family_index: 0,
            group: "service:web".into(),
            cpu: 256,
            memory: 512,
            reasons: reasons.iter().map(|r| r.to_string()).collect(),
            provisioning: false,
        }
    }

    #[test]
    fn identical_reasons_are_one_group() {
        let tasks = [
            chip("w-1", &["RESOURCE:MEMORY on 4 instances"]),
            chip("a-1", &["memberOf: no"]),
            chip("w-2", &["RESOURCE:MEMORY on 4 instances"]),
        ];
        let g = group_unplaced(&tasks);
        assert_eq!(g.len(), 2);
        assert_eq!(
            g[0].tasks.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
            ["w-1", "w-2"]
        );
        assert_eq!(g[1].reasons, ["memberOf: no"]);
        let mut waiting = chip("w-3", &["RESOURCE:MEMORY on 4 instances"]);
        waiting.provisioning = true;
        assert_eq!(group_unplaced(&[tasks[0].clone(), waiting]).len(), 2);
    }

    #[test]
    fn the_next_zone_follows_the_last_letter() {
        let z = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            next_zone(&z(&["us-east-1a", "us-east-1b"]), ""),
            "us-east-1c"
        );
        assert_eq!(next_zone(&z(&["eu-west-1b"]), ""), "eu-west-1a");
        assert_eq!(next_zone(&[], "ap-south-1"), "ap-south-1a");
        assert_eq!(next_zone(&[], ""), "us-east-1a");
    }

    fn default_plan() -> engine::api::plan::Plan {
        crate::persist::default_plan()
    }

    /// An instance that passes every filter for the focused task but is not where it runs.
    fn another_that_passes(f: &Focus) -> String {
        f.by_instance
            .iter()
            .find(|(_, v)| v.passed && !v.chosen)
            .map(|(id, _)| id.clone())
            .expect("another instance passes")
    }

    #[test]
    fn a_task_drop_says_where_ecs_would_place_it_or_why_not() {
        let plan = default_plan();
        let p = place(&plan, &PlaceOptions::for_plan(&plan));
        let t = p.task_index("web-1").unwrap();
        let f = Focus::of(&explain(&p, t));
        let best = f.best.clone().expect("placed");
        assert!(f.by_instance[&best].chosen);
        assert!(f.drop_message(&best).contains("already"));
        let other = another_that_passes(&f);
        let m = f.drop_message(&other);
        assert!(m.starts_with("ECS would place web-1 on"), "{m}");
        assert!(m.contains("cannot be pinned"), "{m}");

        // A draining instance is ruled out, with the engine's reason.
        let drained = engine::api::edit::apply(
            &plan,
            &Edit::SetDraining {
                id: other.clone(),
                draining: true,
            },
        )
        .unwrap();
        let p = place(&drained, &PlaceOptions::for_plan(&drained));
        let t = p.task_index("web-1").unwrap();
        let m = Focus::of(&explain(&p, t)).drop_message(&other);
        assert!(
            m.contains("ruled out at eligibility: instance is DRAINING"),
            "{m}"
        );
    }

    #[test]
    fn a_kept_task_drop_says_it_keeps_running() {
        let plan = default_plan();
        let opts = PlaceOptions::for_plan(&plan);
        let before = place(&plan, &opts);
        let grown = engine::api::edit::apply(
            &plan,
            &Edit::AddInstances {
                instance_type: "m5.large".into(),
                availability_zone: "us-east-1a".into(),
                count: 1,
                capacity_provider: None,
            },
        )
        .unwrap();
        let p = engine::api::placement::place_keeping(&grown, &opts, &before);
        let t = p.task_index("web-1").unwrap();
        let f = Focus::of(&explain(&p, t));
        assert!(f.kept);
        let here = f
            .by_instance
            .iter()
            .find(|(_, v)| v.chosen)
            .map(|(id, _)| id.clone())
            .expect("web-1 runs somewhere");
        let m = f.drop_message(&here);
        assert!(m.contains("ECS does not move a running task"), "{m}");
        let other = another_that_passes(&f);
        let m = f.drop_message(&other);
        assert!(m.starts_with("web-1 keeps running where it is"), "{m}");
    }

    /// The lanes as the board draws them, built without anything from before.
    fn plain(b: &Board, salt: u64, changes: &HashMap<String, &'static str>) -> Vec<LaneData> {
        lanes_of(b, &[], Kept::Unknown, salt, changes)
    }

    /// Lanes equal item for item: the same keys, the cards equal to the board's, the same
    /// Fargate chips and highlights.
    fn assert_same(got: &[LaneData], want: &[LaneData], b: &Board, step: &str) {
        assert_eq!(got.len(), want.len(), "{step}");
        for ((g, w), l) in got.iter().zip(want).zip(&b.lanes) {
            assert_eq!(g.az, w.az, "{step}");
            let keys = |d: &LaneData| d.cards.iter().map(|c| c.key).collect::<Vec<_>>();
            assert_eq!(keys(g), keys(w), "{step}: {}", g.az);
            for (c, card) in g.cards.iter().zip(&l.instances) {
                assert_eq!(
                    *c.card, *card,
                    "{step}: {} shows the board's card",
                    c.card.id
                );
            }
            assert_eq!(*g.fargate, *w.fargate, "{step}: {}", g.az);
        }
    }

    /// Runs `edits` one after the other as the page does (placement kept, the board updated
    /// from the one before) and checks the lanes updated with the engine's kept cards against
    /// the lanes built plainly; also the same board again (its generation seen), and a kept
    /// list that is wrong, which must show: the check fails on a stale card.
    fn check_edits(sample: &str, edits: &[Edit]) {
        use engine::api::board::{board, board_updated};
        use engine::api::edit::apply;
        use engine::api::placement::place_keeping;
        let mut plan = engine::api::plan::load(crate::samples::find(sample).unwrap().text)
            .plan
            .unwrap();
        let opts = PlaceOptions::for_plan(&plan);
        let mut p = place(&plan, &opts);
        let mut shown = board(&plan, &p);
        let salt = 7;
        let none = HashMap::new();
        let mut lanes = lanes_of(&shown, &[], Kept::Unknown, salt, &none);
        let mut reused = 0;
        for (k, e) in edits.iter().enumerate() {
            let step = format!("{sample} #{k} {e:?}");
            plan = apply(&plan, e).unwrap();
            let next = place_keeping(&plan, &opts, &p);
            let changes = change_kinds(&engine::api::placement::diff::diff(&p, &next));
            p = next;
            let u = board_updated(&plan, &p, shown);
            let got = lanes_of(&u.board, &lanes, Kept::These(&u.kept), salt, &changes);
            assert_same(&got, &plain(&u.board, salt, &changes), &u.board, &step);
            reused += u.kept.iter().filter(|&&k| k).count();
            // The same board again (the highlights' memo changed, say): every item kept.
            let again = lanes_of(&u.board, &got, Kept::All, salt, &changes);
            assert_same(&again, &got, &u.board, &step);
            lanes = got;
            shown = u.board;
        }
        if sample == "mixed-memberof" {
            assert!(reused > 0, "some cards were kept");
        }
    }

    #[test]
    fn lanes_updated_from_the_kept_cards_are_the_lanes_built_plainly() {
        let id = "i-05c1a0000000000a1".to_string();
        check_edits(
            "mixed-memberof",
            &[
                Edit::AddInstances {
                    instance_type: "m5.large".into(),
                    availability_zone: "us-west-2a".into(),
                    count: 2,
                    capacity_provider: None,
                },
                Edit::MoveInstance {
                    id: id.clone(),
                    availability_zone: "us-west-2b".into(),
                },
                Edit::SetDraining {
                    id: id.clone(),
                    draining: true,
                },
                Edit::SetDesiredCount {
                    service: "admin".into(),
                    desired_count: 5,
                },
                Edit::RemoveInstance {
                    id: "i-05c1b0000000000b1".into(),
                },
                Edit::LoseZone {
                    availability_zone: "us-west-2c".into(),
                },
            ],
        );
        check_edits(
            "fargate-spot",
            &[
                Edit::SetDesiredCount {
                    service: "orders-api".into(),
                    desired_count: 9,
                },
                Edit::SetDesiredCount {
                    service: "orders-api".into(),
                    desired_count: 2,
                },
            ],
        );
    }

    /// A kept list that says a changed card was kept gives a stale card: the comparison above
    /// would catch it (the test is not vacuous).
    #[test]
    fn a_wrong_kept_list_shows() {
        use engine::api::board::{board, board_updated};
        use engine::api::edit::apply;
        use engine::api::placement::place_keeping;
        let plan = engine::api::plan::load(crate::samples::find("mixed-memberof").unwrap().text)
            .plan
            .unwrap();
        let opts = PlaceOptions::for_plan(&plan);
        let p = place(&plan, &opts);
        let shown = board(&plan, &p);
        let none = HashMap::new();
        let lanes = lanes_of(&shown, &[], Kept::Unknown, 7, &none);
        let next_plan = apply(
            &plan,
            &Edit::SetDraining {
                id: "i-05c1a0000000000a1".into(),
                draining: true,
            },
        )
        .unwrap();
        let next = place_keeping(&next_plan, &opts, &p);
        let u = board_updated(&next_plan, &next, shown);
        assert!(u.kept.iter().any(|k| !k), "the drained card changed");
        let all = vec![true; u.kept.len()];
        let got = lanes_of(&u.board, &lanes, Kept::These(&all), 7, &none);
        let stale = got.iter().zip(&u.board.lanes).any(|(g, l)| {
            g.cards
                .iter()
                .zip(&l.instances)
                .any(|(c, card)| *c.card != *card)
        });
        assert!(stale);
    }

    #[test]
    fn change_kinds_and_fingerprints() {
        let k = change_kinds(&[
            TaskChange::Moved {
                task: "a".into(),
                from: "x".into(),
                to: "y".into(),
                afresh: false,
            },
            TaskChange::New {
                task: "b".into(),
                to: None,
            },
            TaskChange::Removed { task: "c".into() },
        ]);
        assert_eq!(k.get("a"), Some(&"moved"));
        assert_eq!(k.get("b"), Some(&"displaced"));
        assert_eq!(k.get("c"), None);

        let plan = default_plan();
        let p = place(&plan, &PlaceOptions::for_plan(&plan));
        let b = engine::api::board::board(&plan, &p);
        let card = &b.lanes[0].instances[0];
        let mut other = card.clone();
        assert_eq!(fingerprint(card, 1), fingerprint(&other, 1));
        assert_ne!(fingerprint(card, 1), fingerprint(card, 2));
        // A task more or less draws the card again (highlights do not: see sync_changes).
        other.tasks.pop();
        assert_ne!(fingerprint(card, 1), fingerprint(&other, 1));
    }
}
