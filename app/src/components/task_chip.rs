//! A task as a chip: its family's colour and pattern, the family's initials (never colour
//! alone; drawn from `data-label`) and its id. The chip has no handlers of its own (the board
//! listens once for all chips): clicking selects it and shows why it is where it is, dragging
//! it (or pressing `M`) asks where ECS would place it. After an edit, `data-change` says what
//! placement did to it (`moved`, `new`, `placed`, `displaced`).

use engine::board::TaskChip;
use leptos::prelude::*;

use super::board::BoardUi;
use super::ui::use_ui;
use crate::labels;

/// A task's one-line description for tooltips and screen readers.
pub fn describe(t: &TaskChip) -> String {
    format!(
        "{} — {}:{}, {} CPU units, {} MiB ({})",
        t.id, t.family, t.revision, t.cpu, t.memory, t.group
    )
}

/// The colour-and-pattern square with the family's label.
#[component]
pub fn Swatch(family_index: usize, label: String) -> impl IntoView {
    view! {
        <span class=format!("swatch {}", labels::family_class(family_index)) aria-hidden="true">
            {label}
        </span>
    }
}

#[component]
pub fn TaskChipView(
    task: TaskChip,
    label: String,
    #[prop(optional)] launch: &'static str,
    /// A `data-testid` for the list item (the unplaced tray's `unplaced-task`).
    #[prop(optional)]
    testid: &'static str,
) -> impl IntoView {
    let ui = use_ui();
    // Outside the board (no BoardUi) a chip shows no change.
    let board_ui = use_context::<BoardUi>();
    let id = task.id.clone();
    let pressed = {
        let id = id.clone();
        move || {
            ui.selected_task
                .with(|s| s.as_deref() == Some(id.as_str()))
                .to_string()
        }
    };
    let change = {
        let id = id.clone();
        move || board_ui.and_then(|b| b.change_of(&id))
    };
    let launch = if launch.is_empty() { "EC2" } else { launch };
    let text = describe(&task);
    view! {
        <li
            class="chip-item"
            data-testid=(!testid.is_empty()).then_some(testid)
            data-task-id=(!testid.is_empty()).then(|| id.clone())
        >
            <button
                type="button"
                class=format!("chip {}", labels::family_class(task.family_index))
                data-label=label
                data-testid="task"
                data-task-id=id.clone()
                data-family=task.family.clone()
                data-launch=launch
                data-change=change
                aria-pressed=pressed
                aria-label=text.clone()
                aria-keyshortcuts="M"
                title=text
            >
                {id.clone()}
            </button>
        </li>
    }
}
