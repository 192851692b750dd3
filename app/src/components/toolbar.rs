//! The header: the app, the plan's name and totals, and the actions (samples, import, export).

use leptos::prelude::*;

use super::learn::use_learn;
use super::learn::view::LearnEntry;
use super::review::ReviewEntry;
use super::share::ShareButton;
use super::shortcuts::ShortcutsButton;
use super::theme::ThemeToggle;
use super::ui::use_ui;
use crate::labels;
use crate::samples::{self, SAMPLES};
use crate::store::{use_store, Command, Origin};
use crate::web;

#[component]
pub fn Toolbar() -> impl IntoView {
    let store = use_store();
    let ui = use_ui();
    let name = store.plan_name();
    // While Learn is open, nothing may replace the plan from here (a scenario's is shown).
    let learn = use_learn();
    let learning = move || learn.open.get();

    let open_sample = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        // The menu is a launcher: it goes back to its prompt after each choice.
        event_target::<web_sys::HtmlSelectElement>(&ev).set_value("");
        if let Some(s) = samples::find(&id) {
            if store.import_text(s.text, Origin::Sample(s.id)) {
                ui.selected_task.set(None);
            } else {
                ui.import_open.set(true);
            }
        }
    };
    let export = move |_| {
        let (file_name, json) = store.export();
        if let Some(url) = web::download(&file_name, &json, "application/json") {
            if let Some((old, _)) = ui.last_export.get_untracked() {
                web::revoke(&old);
            }
            ui.last_export.set(Some((url, file_name)));
        }
    };

    view! {
        <header class="toolbar">
            <div class="brand">
                <h1>"ECS Planner"</h1>
                <p class="plan-name" data-testid="plan-name" title=move || store.origin_text()>
                    {move || {
                        let n = name.get();
                        if n.is_empty() { "Untitled plan".to_string() } else { n }
                    }}
                </p>
            </div>
            <Totals />
            <div class="actions">
                <LearnEntry />
                <ReviewEntry hidden=Signal::derive(learning) />
                <label class="sample-pick" hidden=learning>
                    <span class="visually-hidden">"Open a sample plan"</span>
                    <select data-testid="sample-select" on:change=open_sample>
                        <option value="" selected>"Samples…"</option>
                        {SAMPLES
                            .iter()
                            .map(|s| view! { <option value=s.id>{s.title}</option> })
                            .collect_view()}
                    </select>
                </label>
                <UndoRedo />
                <button
                    type="button"
                    hidden=learning
                    data-testid="import-open"
                    aria-expanded=move || ui.import_open.get().to_string()
                    aria-controls="import-dialog"
                    on:click=move |_| ui.import_open.update(|o| *o = !*o)
                >
                    "Import…"
                </button>
                <button type="button" data-testid="export" on:click=export title="Download the plan as JSON">
                    "Export JSON"
                </button>
                <button
                    type="button"
                    data-testid="export-open"
                    aria-expanded=move || ui.export_open.get().to_string()
                    aria-controls="export-dialog"
                    title="Export task definitions, services and more as AWS CLI JSON, CloudFormation or Terraform"
                    on:click=move |_| ui.export_open.update(|o| *o = !*o)
                >
                    "Export…"
                </button>
                <Show when=move || !learning()>
                    <ShareButton />
                </Show>
                <ThemeToggle />
                <ShortcutsButton />
                {move || {
                    ui.last_export
                        .get()
                        .map(|(url, file_name)| {
                            view! {
                                <a class="visually-hidden" data-testid="export-link" href=url download=file_name.clone()>
                                    {format!("Download {file_name} again")}
                                </a>
                            }
                        })
                }}
            </div>
        </header>
    }
}

/// Instances, zones, CPU and memory in use, and where the tasks went.
#[component]
fn Totals() -> impl IntoView {
    let store = use_store();
    let board = store.board();
    let item = |label: &'static str, value: String| {
        view! {
            <div class="total">
                <dt>{label}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    view! {
        <dl class="totals" data-testid="totals">
            {move || {
                board
                    .with(|b| {
                        let t = b.totals;
                        vec![
                            item("Instances", t.instances.to_string()),
                            item("Zones", b.lanes.len().to_string()),
                            item("CPU", format!("{:.0}%", labels::share(t.cpu.used, t.cpu.total))),
                            item("Memory", format!("{:.0}%", labels::share(t.memory.used, t.memory.total))),
                            item("On EC2", t.placed.to_string()),
                            item("Fargate", t.fargate.to_string()),
                            item("Unplaced", t.unplaced.to_string()),
                        ]
                    })
                    .collect_view()
            }}
        </dl>
    }
}

/// Undo and redo, each saying what it would undo or redo.
#[component]
fn UndoRedo() -> impl IntoView {
    let store = use_store();
    let history = store.history();
    let undo = move || history.with(|h| h.undo_label().map(str::to_string));
    let redo = move || history.with(|h| h.redo_label().map(str::to_string));
    let shortcut = |what: &str, label: Option<String>, keys: &str| match label {
        Some(l) => format!("{what}: {l} ({keys})"),
        None => format!("Nothing to {} ({keys})", what.to_lowercase()),
    };
    view! {
        <button
            type="button"
            data-testid="undo"
            disabled=move || undo().is_none()
            title=move || shortcut("Undo", undo(), "Ctrl+Z")
            on:click=move |_| store.execute(Command::Undo)
        >
            "Undo"
        </button>
        <button
            type="button"
            data-testid="redo"
            disabled=move || redo().is_none()
            title=move || shortcut("Redo", redo(), "Shift+Ctrl+Z")
            on:click=move |_| store.execute(Command::Redo)
        >
            "Redo"
        </button>
    }
}
