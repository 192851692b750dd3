//! The page: toolbar, banners, the board and the side panel; and the one place that handles
//! a file dropped anywhere on the page (the HTML5 drop event).

use leptos::ev;
use leptos::prelude::*;

use super::banner::Banners;
use super::board::BoardView;
use super::import_dialog::{import_file, ImportDialog};
use super::sidebar::Sidebar;
use super::toolbar::Toolbar;
use super::ui::provide_ui;
use crate::persist;
use crate::store::{provide_store, Command};
use wasm_bindgen::JsCast;

fn dragged_files(ev: &web_sys::DragEvent) -> bool {
    ev.data_transfer()
        .map(|dt| dt.types().includes(&"Files".into(), 0))
        .unwrap_or(false)
}

fn in_text_field(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

#[component]
pub fn App() -> impl IntoView {
    let store = provide_store(persist::start());
    store.autosave();
    let ui = provide_ui();

    // Dropping a file anywhere on the page imports it.
    let _ = window_event_listener(ev::dragover, move |ev| {
        if dragged_files(&ev) {
            ev.prevent_default();
            ui.dragging_file.set(true);
        }
    });
    let _ = window_event_listener(ev::dragleave, move |ev| {
        // Leaving the window (not just moving between elements) has no related target.
        if ev.related_target().is_none() {
            ui.dragging_file.set(false);
        }
    });
    let _ = window_event_listener(ev::drop, move |ev| {
        ui.dragging_file.set(false);
        let file = ev
            .data_transfer()
            .and_then(|dt| dt.files())
            .and_then(|f| f.get(0));
        if let Some(file) = file {
            ev.prevent_default();
            import_file(store, ui, file, true);
        }
    });

    // Escape closes; Ctrl/Cmd+Z undoes, Shift+Ctrl/Cmd+Z (or Ctrl+Y) redoes; text fields keep their own undo.
    let _ = window_event_listener(ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            // Escape closes what is open: the import dialog first, then the explanation.
            if ui.import_open.get_untracked() {
                ui.import_open.set(false);
                store.execute(Command::ClearImportFailure);
            } else {
                ui.selected_task.set(None);
            }
            return;
        }
        if !(ev.ctrl_key() || ev.meta_key()) || ev.alt_key() || in_text_field(&ev) {
            return;
        }
        let cmd = match (ev.key().to_ascii_lowercase().as_str(), ev.shift_key()) {
            ("z", false) => Command::Undo,
            ("z", true) | ("y", false) => Command::Redo,
            _ => return,
        };
        ev.prevent_default();
        store.execute(cmd);
    });

    view! {
        <div id="app" class="app">
            <Toolbar />
            <Banners />
            <ImportDialog />
            <div class="layout">
                <BoardView />
                <Sidebar />
            </div>
            <Show when=move || ui.dragging_file.get()>
                <div class="drop-overlay" aria-hidden="true">
                    <p>"Drop a plan file to open it"</p>
                </div>
            </Show>
        </div>
    }
}
