//! The side panel: the selected task's explanation, then either the services and task
//! definitions (each opens its editor; a task definition can also be dragged onto the board or
//! run from its "Run tasks…" action) or the open editor.

use engine::api::board::{ServiceRow, TaskDefinitionRow};
use leptos::prelude::*;

use super::drag::use_drags;
use super::editors::run_task::{provide_task_def_drags, RunTasks, TaskDefDragGhost, TaskDefHandle};
use super::editors::{Editing, EditorPanel};
use super::explain::ExplainPanel;
use super::task_chip::Swatch;
use super::ui::use_ui;
use crate::labels;
use crate::store::use_store;

/// The `data-edit` key of the list button that opens an editor (focus returns there when the
/// editor closes).
pub fn edit_key(e: &Editing) -> String {
    match e {
        Editing::Service(name) => format!("service:{name}"),
        Editing::TaskDefinition(i) => format!("task-definition:{i}"),
    }
}

#[component]
pub fn Sidebar() -> impl IntoView {
    let ui = use_ui();
    provide_task_def_drags();
    let editing = move || ui.editor.with(Option::is_some);
    view! {
        <aside class="sidebar" class:editing=editing aria-label="Plan details">
            <ExplainPanel />
            <Show
                when=editing
                fallback=|| {
                    view! {
                        <ServicesList />
                        <TaskDefinitionsList />
                    }
                }
            >
                <EditorPanel />
            </Show>
            <TaskDefDragGhost />
        </aside>
    }
}

#[component]
fn ServicesList() -> impl IntoView {
    let board = use_store().board();
    // The rows as a memo: a drop changes the board but rarely a service's row, and writing
    // the 200 rows of a big plan again was a large part of the frame after each drop.
    let rows = Memo::new(move |_| board.with(|b| b.services.clone()));
    view! {
        <section class="panel" aria-labelledby="services-title">
            <h2 id="services-title">"Services"</h2>
            {move || {
                let rows = rows.get();
                if rows.is_empty() {
                    view! { <p class="empty">"No services."</p> }.into_any()
                } else {
                    view! {
                        <table class="list" data-testid="services">
                            <thead>
                                <tr>
                                    <th scope="col">"Service"</th>
                                    <th scope="col">"Placed"</th>
                                </tr>
                            </thead>
                            <tbody>{rows.into_iter().map(service_row).collect_view()}</tbody>
                        </table>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

fn service_row(s: ServiceRow) -> impl IntoView {
    let ui = use_ui();
    let drags = use_drags();
    let short = s.unplaced > 0;
    let open = Editing::Service(s.name.clone());
    let key = edit_key(&open);
    // A scaling policy card (time view) may be dropped here too.
    let accepting = move || drags.accepting("service");
    let over = {
        let name = s.name.clone();
        move || drags.is_over("service", &name)
    };
    view! {
        <tr
            data-testid="service"
            data-service=s.name.clone()
            class:drop-ok=accepting
            class:drop-over=over
            data-drop-kind="service"
            data-drop-value=s.name.clone()
            data-drop-label=format!("service {}", s.name)
        >
            <th scope="row">
                <button
                    type="button"
                    class="name link-button"
                    data-testid="edit-service"
                    data-edit=key
                    title=format!("Edit service {}", s.name)
                    on:click=move |_| ui.editor.set(Some(open.clone()))
                >
                    {s.name.clone()}
                </button>
                {s.daemon.then(|| view! { <span class="badge">"DAEMON"</span> })}
                <span class="sub">{format!("{} · {}", s.task_definition, s.launch)}</span>
                {(!s.strategy.is_empty()).then(|| view! { <span class="sub">{s.strategy.clone()}</span> })}
                {s.constraints.iter().map(|c| view! { <span class="sub constraint">{c.clone()}</span> }).collect_view()}
            </th>
            <td class:short=short title=format!("{} placed of {} desired", s.placed, s.desired)>
                {format!("{}/{}", s.placed, s.desired)}
            </td>
        </tr>
    }
}

#[component]
fn TaskDefinitionsList() -> impl IntoView {
    let board = use_store().board();
    // Written again only when a row or a family changes (not on every drop).
    let rows = Memo::new(move |_| board.with(|b| (b.task_definitions.clone(), b.families.clone())));
    view! {
        <section class="panel" aria-labelledby="taskdefs-title">
            <h2 id="taskdefs-title">"Task definitions"</h2>
            {move || {
                let (rows, families) = rows.get();
                let fam_labels = labels::family_labels(&families);
                if rows.is_empty() {
                    view! { <p class="empty">"No task definitions."</p> }.into_any()
                } else {
                    view! {
                        <p class="hint">"Drag a task definition (⠿) onto the board to run a task."</p>
                        <table class="list" data-testid="task-definitions">
                            <thead>
                                <tr>
                                    <th scope="col">"Family:revision"</th>
                                    <th scope="col">"CPU"</th>
                                    <th scope="col">"Memory"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .enumerate()
                                    .map(|(i, td)| {
                                        let label = fam_labels.get(td.family_index).cloned().unwrap_or_default();
                                        task_definition_row(i, td, label)
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// One task definition; `index` is its place in the plan's `taskDefinitions` (the board lists
/// them in that order).
fn task_definition_row(index: usize, td: TaskDefinitionRow, label: String) -> impl IntoView {
    let ui = use_ui();
    let details = format!(
        "{} · {} · {}",
        td.network_mode,
        if td.compatibilities.is_empty() {
            "EC2".to_string()
        } else {
            td.compatibilities.join(", ")
        },
        td.containers.join(", ")
    );
    let open = Editing::TaskDefinition(index);
    let key = edit_key(&open);
    let name = format!("{}:{}", td.family, td.revision);
    view! {
        <tr data-testid="task-definition" data-family=td.family.clone() data-index=index>
            <th scope="row">
                <TaskDefHandle index label=name.clone() />
                <Swatch family_index=td.family_index label />
                <button
                    type="button"
                    class="name link-button"
                    data-testid="edit-task-definition"
                    data-edit=key
                    title=format!("Edit task definition {name}")
                    on:click=move |_| ui.editor.set(Some(open.clone()))
                >
                    {name.clone()}
                </button>
                <span class="sub">{details}</span>
                <RunTasks index />
            </th>
            <td>{td.cpu}</td>
            <td>{format!("{} MiB", td.memory)}</td>
        </tr>
    }
}
