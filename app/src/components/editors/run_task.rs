//! Running standalone tasks of a task definition (a RunTask request in the plan): drag the task
//! definition from the side panel onto the cluster board (pointer events), or use its
//! "Run tasks…" action and choose how many (the keyboard way). Either is one `RunTask` edit.

use engine::api::edit::Edit;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::EditorCtx;
use crate::store::{use_store, Command, Store};

/// RunTask starts 1 to 10 tasks per call.
pub const MAX_COUNT: u32 = 10;

/// The `family:revision` of `taskDefinitions[index]`.
pub fn reference(store: Store, index: usize) -> Option<String> {
    store.plan().with_untracked(|p| {
        let td = p.task_definitions.get(index)?;
        Some(format!(
            "{}:{}",
            td.family,
            engine::api::export::revision_of(p, index)
        ))
    })
}

/// Runs `count` tasks of `taskDefinitions[index]`.
fn run(store: Store, index: usize, count: u32) {
    if let Some(task_definition) = reference(store, index) {
        store.execute(Command::Edit(Edit::RunTask {
            task_definition,
            count,
        }));
    }
}

/// "Run tasks…": a count and a Run button.
#[component]
pub fn RunTasks(index: usize) -> impl IntoView {
    let store = use_store();
    let open = RwSignal::new(false);
    let count = RwSignal::new(1u32);
    let input: NodeRef<leptos::html::Input> = NodeRef::new();
    let editor = use_context::<EditorCtx>();
    let submit = move || {
        let n = count.get_untracked().clamp(1, MAX_COUNT);
        let task_definition = reference(store, index);
        if let Some(task_definition) = task_definition {
            let edit = Edit::RunTask {
                task_definition,
                count: n,
            };
            let ok = match editor {
                Some(ctx) => ctx.commit(store, edit),
                None => {
                    store.execute(Command::Edit(edit));
                    true
                }
            };
            if ok {
                open.set(false);
            }
        }
    };
    Effect::new(move |_| {
        if open.get() {
            if let Some(i) = input.get() {
                let _ = i.focus();
                i.select();
            }
        }
    });
    view! {
        <div class="run-tasks" data-testid="run-tasks">
            <Show
                when=move || open.get()
                fallback=move || {
                    view! {
                        <button
                            type="button"
                            class="small"
                            data-testid="run-tasks-open"
                            title="Run standalone tasks of this task definition (or drag it onto the board)"
                            on:click=move |_| open.set(true)
                        >
                            "Run tasks…"
                        </button>
                    }
                }
            >
                <form
                    class="run-form"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        submit();
                    }
                >
                    <label>
                        "Tasks to run "
                        <input
                            type="number"
                            min="1"
                            max=MAX_COUNT
                            class="num"
                            data-testid="run-tasks-count"
                            node_ref=input
                            prop:value=move || count.get().to_string()
                            on:input=move |ev| {
                                if let Ok(n) = event_target_value(&ev).trim().parse::<u32>() {
                                    count.set(n.clamp(1, MAX_COUNT));
                                }
                            }
                            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                                if ev.key() == "Escape" {
                                    ev.stop_propagation();
                                    open.set(false);
                                }
                            }
                        />
                    </label>
                    <button type="submit" class="small primary" data-testid="run-tasks-submit">"Run"</button>
                    <button type="button" class="small" on:click=move |_| open.set(false)>"Cancel"</button>
                </form>
            </Show>
        </div>
    }
}

/// A task definition being dragged toward the board.
#[derive(Debug, Clone, PartialEq)]
struct TdDrag {
    index: usize,
    label: String,
    pointer: i32,
    start: (f64, f64),
    started: bool,
}

/// The drag of task definitions onto the board: call [`TaskDefDrags::pointer_down`] from a
/// source; render [`TaskDefDragGhost`] once.
#[derive(Clone, Copy)]
pub struct TaskDefDrags {
    drag: RwSignal<Option<TdDrag>>,
    pos: RwSignal<(f64, f64)>,
    over_board: RwSignal<bool>,
}

/// How far the pointer moves before a press becomes a drag (CSS px).
const THRESHOLD: f64 = 5.0;

fn set_body_class(name: &str, on: bool) {
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let list = body.class_list();
        let _ = if on {
            list.add_1(name)
        } else {
            list.remove_1(name)
        };
    }
}

/// Whether the point is over the cluster board (its zones).
fn over_board(x: f64, y: f64) -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.element_from_point(x as f32, y as f32))
        .and_then(|e| e.closest("#board").ok().flatten())
        .is_some()
}

impl TaskDefDrags {
    pub fn pointer_down(&self, ev: &web_sys::PointerEvent, index: usize, label: String) {
        if ev.button() != 0 || !ev.is_primary() {
            return;
        }
        ev.prevent_default();
        self.drag.set(Some(TdDrag {
            index,
            label,
            pointer: ev.pointer_id(),
            start: (ev.client_x() as f64, ev.client_y() as f64),
            started: false,
        }));
    }
}

pub fn provide_task_def_drags() -> TaskDefDrags {
    let store = use_store();
    let d = TaskDefDrags {
        drag: RwSignal::new(None),
        pos: RwSignal::new((0.0, 0.0)),
        over_board: RwSignal::new(false),
    };
    provide_context(d);
    let end = move || {
        d.drag.set(None);
        d.over_board.set(false);
        set_body_class("taskdef-dragging", false);
        set_body_class("taskdef-over", false);
    };
    let on_move = window_event_listener(ev::pointermove, move |ev| {
        let Some(mut g) = d.drag.get_untracked() else {
            return;
        };
        if ev.pointer_id() != g.pointer {
            return;
        }
        let (x, y) = (ev.client_x() as f64, ev.client_y() as f64);
        if !g.started {
            if (x - g.start.0).hypot(y - g.start.1) < THRESHOLD {
                return;
            }
            g.started = true;
            d.drag.set(Some(g));
            set_body_class("taskdef-dragging", true);
        }
        ev.prevent_default();
        d.pos.set((x, y));
        let over = over_board(x, y);
        if over != d.over_board.get_untracked() {
            d.over_board.set(over);
            set_body_class("taskdef-over", over);
        }
    });
    let on_up = window_event_listener(ev::pointerup, move |ev| {
        let Some(g) = d.drag.get_untracked() else {
            return;
        };
        if ev.pointer_id() != g.pointer {
            return;
        }
        let over = g.started && over_board(ev.client_x() as f64, ev.client_y() as f64);
        end();
        // The page's live line says what the RunTask edit did.
        if over {
            run(store, g.index, 1);
        }
    });
    let on_cancel = window_event_listener(ev::pointercancel, move |_| end());
    let on_key = window_event_listener(ev::keydown, move |ev| {
        if ev.key() == "Escape" && d.drag.get_untracked().is_some() {
            end();
        }
    });
    on_cleanup(move || {
        on_move.remove();
        on_up.remove();
        on_cancel.remove();
        on_key.remove();
    });
    d
}

pub fn use_task_def_drags() -> TaskDefDrags {
    expect_context::<TaskDefDrags>()
}

/// The label that follows the pointer.
#[component]
pub fn TaskDefDragGhost() -> impl IntoView {
    let d = use_task_def_drags();
    view! {
        {move || {
            d.drag
                .get()
                .filter(|g| g.started)
                .map(|g| {
                    view! {
                        <div
                            class="drag-ghost taskdef-ghost"
                            class:can-drop=move || d.over_board.get()
                            aria-hidden="true"
                            data-testid="taskdef-ghost"
                            style=move || {
                                let (x, y) = d.pos.get();
                                format!("transform: translate({}px, {}px)", x + 14.0, y + 10.0)
                            }
                        >
                            {format!("Run {}", g.label)}
                        </div>
                    }
                })
        }}
    }
}

/// The drag handle of a task definition row.
#[component]
pub fn TaskDefHandle(index: usize, label: String) -> impl IntoView {
    let d = use_task_def_drags();
    let l = label.clone();
    view! {
        <span
            class="td-handle"
            data-testid="taskdef-handle"
            title="Drag onto the board to run a task"
            aria-hidden="true"
            on:pointerdown=move |ev: web_sys::PointerEvent| {
                if let Some(t) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                    let _ = t.release_pointer_capture(ev.pointer_id());
                }
                d.pointer_down(&ev, index, l.clone())
            }
        >
            "⠿"
        </span>
    }
}
