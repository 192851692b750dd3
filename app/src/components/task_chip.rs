//! A task as a chip: its family's colour and pattern, the family's initials (never colour
//! alone) and its id. Clicking selects it and shows why it is where it is.

use engine::board::TaskChip;
use leptos::prelude::*;

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
) -> impl IntoView {
    let ui = use_ui();
    let id = task.id.clone();
    let selected = {
        let id = id.clone();
        move || ui.selected_task.with(|s| s.as_deref() == Some(id.as_str()))
    };
    let click = {
        let id = id.clone();
        move |_| ui.toggle_task(&id)
    };
    let launch = if launch.is_empty() { "EC2" } else { launch };
    view! {
        <li class="chip-item">
            <button
                type="button"
                class=format!("chip {}", labels::family_class(task.family_index))
                class:selected=selected.clone()
                data-testid="task"
                data-task-id=id.clone()
                data-family=task.family.clone()
                data-launch=launch
                aria-pressed=move || selected().to_string()
                title=describe(&task)
                on:click=click
            >
                <Swatch family_index=task.family_index label />
                <span class="chip-id">{id.clone()}</span>
            </button>
        </li>
    }
}
