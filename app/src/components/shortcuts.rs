//! Keyboard shortcuts: the page's one key handler and the `?` sheet that lists every shortcut.
//!
//! Keys go to a drag in progress first ([`Drags::key`]: arrows, Enter, Escape), then Escape
//! closes what is open, then the shortcuts below (not while typing in a text field).

use std::cell::RefCell;

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::drag::Drags;
use super::share::ShareUi;
use super::time::TimeUi;
use super::ui::Ui;
use crate::store::{Command, Store};

/// A shortcut as the sheet lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shortcut {
    pub keys: &'static str,
    pub what: &'static str,
}

const fn s(keys: &'static str, what: &'static str) -> Shortcut {
    Shortcut { keys, what }
}

/// Every shortcut, in groups.
pub const SHORTCUTS: &[(&str, &[Shortcut])] = &[
    (
        "Anywhere",
        &[
            s("?", "Show or hide this list"),
            s("Ctrl+Z (⌘Z)", "Undo"),
            s("Shift+Ctrl+Z (Shift+⌘Z), Ctrl+Y", "Redo"),
            s("/", "Search the instance palette"),
            s(
                "R",
                "Open or close the Review: the architecture review of the plan",
            ),
            s(
                "Escape",
                "Cancel a drag; close this list, the share link or the import dialog; clear the selected task; close the Review; then close the run shown in the time view",
            ),
            s("Tab, Shift+Tab", "Go to the next or previous control"),
        ],
    ),
    (
        "Board",
        &[
            s(
                "Enter on an instance type",
                "Pick it up to add an instance: then choose a zone",
            ),
            s(
                "Enter on an instance's Move",
                "Pick the instance up to move it to another zone",
            ),
            s(
                "Enter on a task",
                "Select it: every instance shows whether it may take the task, and why",
            ),
            s(
                "M on a task",
                "Drag it with the keyboard: each instance says whether ECS could place it there",
            ),
        ],
    ),
    (
        "Editors",
        &[
            s(
                "Alt+Arrow up, Alt+Arrow down on a placement strategy",
                "Move it up or down the chain (or drag its handle)",
            ),
            s("Enter in a query box", "Apply the expression, when it parses"),
            s(
                "Ctrl+Enter (⌘Enter) in the JSON view",
                "Apply the task definition's JSON",
            ),
            s(
                "Run tasks… on a task definition",
                "Run tasks without dragging it onto the board",
            ),
            s("Escape in the export dialog", "Close it"),
        ],
    ),
    (
        "Time",
        &[
            s(
                "Arrow keys on the scrubber",
                "Step through the run (the step grows with its length)",
            ),
            s("Page Up, Page Down on the scrubber", "Move a tenth of the run"),
            s("Home, End on the scrubber", "Go to the start or the end"),
            s("Space on the scrubber", "Play or pause"),
            s(
                "←, → on a load curve",
                "Choose a point; ↑, ↓ change it (Shift: ten steps), Enter applies, Escape puts it back",
            ),
            s(
                "Enter on a scaling policy card",
                "Pick it up: choose a service with the arrow keys and press Enter to attach it",
            ),
        ],
    ),
    (
        "Learn",
        &[
            s(
                "Arrow keys in the choices",
                "Choose an answer; Enter checks it",
            ),
            s(
                "Back (Alt+←)",
                "Return from a scenario to the list",
            ),
        ],
    ),
    (
        "While dragging",
        &[
            s("Arrow keys, Tab", "Choose where to drop"),
            s("Enter, Space", "Drop there"),
            s("Escape", "Cancel"),
        ],
    ),
];

/// Whether the shortcut sheet is open.
#[derive(Clone, Copy)]
pub struct Sheet {
    pub open: RwSignal<bool>,
}

thread_local! {
    /// Where the focus was before the sheet opened.
    static BEFORE: RefCell<Option<web_sys::HtmlElement>> = const { RefCell::new(None) };
}

impl Sheet {
    pub fn toggle(&self) {
        if self.open.get_untracked() {
            self.close();
        } else {
            let active = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            BEFORE.with(|b| *b.borrow_mut() = active);
            self.open.set(true);
        }
    }

    pub fn close(&self) {
        self.open.set(false);
        if let Some(el) = BEFORE.with(|b| b.borrow_mut().take()) {
            let _ = el.focus();
        }
    }
}

pub fn provide_sheet() -> Sheet {
    let sheet = Sheet {
        open: RwSignal::new(false),
    };
    provide_context(sheet);
    sheet
}

fn in_text_field(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

/// Whether the key goes to a field that edits text (a slider such as the scrubber does not).
fn editing_text(ev: &web_sys::KeyboardEvent) -> bool {
    let Some(e) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    match e.tag_name().as_str() {
        "TEXTAREA" | "SELECT" => true,
        "INPUT" => !matches!(
            e.get_attribute("type").unwrap_or_default().as_str(),
            "range" | "checkbox" | "radio" | "button" | "submit"
        ),
        _ => false,
    }
}

fn focus_palette_search() {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("palette-search"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// The page's key handler.
pub fn install(store: Store, ui: Ui, drags: Drags, sheet: Sheet, share: ShareUi, time: TimeUi) {
    let review = super::review::use_review();
    let _ = window_event_listener(ev::keydown, move |ev| {
        if drags.key(&ev) {
            ev.prevent_default();
            return;
        }
        let key = ev.key();
        if key == "Escape" {
            // Escape closes what is open, the most recent first.
            if sheet.open.get_untracked() {
                sheet.close();
            } else if share.popover.with_untracked(Option::is_some) {
                share.popover.set(None);
            } else if ui.import_open.get_untracked() {
                ui.import_open.set(false);
                store.execute(Command::ClearImportFailure);
            } else if ui.selected_task.with_untracked(Option::is_some) {
                ui.selected_task.set(None);
            } else if review.open.get_untracked() && !editing_text(&ev) {
                review.open.set(false);
            } else if time.run.with_untracked(Option::is_some) && !editing_text(&ev) {
                // Last: the run shown in the time view (the board shows the plan again).
                time.close();
            }
            return;
        }
        if in_text_field(&ev) || ev.alt_key() {
            return;
        }
        if ev.ctrl_key() || ev.meta_key() {
            // Text fields keep their own undo (checked above).
            let cmd = match (key.to_ascii_lowercase().as_str(), ev.shift_key()) {
                ("z", false) => Command::Undo,
                ("z", true) | ("y", false) => Command::Redo,
                _ => return,
            };
            ev.prevent_default();
            store.execute(cmd);
            return;
        }
        match key.as_str() {
            "?" => {
                ev.prevent_default();
                drags.cancel();
                sheet.toggle();
            }
            "/" => {
                ev.prevent_default();
                focus_palette_search();
            }
            "r" | "R" => {
                ev.prevent_default();
                review.toggle();
            }
            _ => {}
        }
    });
}

#[component]
pub fn ShortcutsButton() -> impl IntoView {
    let sheet = expect_context::<Sheet>();
    view! {
        <button
            type="button"
            data-testid="shortcuts-open"
            aria-label="Keyboard shortcuts"
            aria-keyshortcuts="?"
            aria-expanded=move || sheet.open.get().to_string()
            aria-controls="shortcuts"
            title="Keyboard shortcuts (?)"
            on:click=move |_| sheet.toggle()
        >
            "?"
        </button>
    }
}

#[component]
pub fn ShortcutSheet() -> impl IntoView {
    let sheet = expect_context::<Sheet>();
    let close: NodeRef<leptos::html::Button> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(b) = close.get() {
            let _ = b.focus();
        }
    });
    move || {
        sheet.open.get().then(|| {
            let groups = SHORTCUTS
                .iter()
                .map(|(title, list)| {
                    let rows = list
                        .iter()
                        .map(|s| {
                            view! {
                                <tr data-testid="shortcut">
                                    <th scope="row">
                                        <kbd>{s.keys}</kbd>
                                    </th>
                                    <td>{s.what}</td>
                                </tr>
                            }
                        })
                        .collect_view();
                    view! {
                        <section>
                            <h3>{*title}</h3>
                            <table class="shortcut-table">
                                <tbody>{rows}</tbody>
                            </table>
                        </section>
                    }
                })
                .collect_view();
            view! {
                <div class="sheet-backdrop" on:click=move |_| sheet.close()></div>
                <div
                    id="shortcuts"
                    class="sheet"
                    role="dialog"
                    aria-modal="true"
                    aria-labelledby="shortcuts-title"
                    data-testid="shortcuts"
                >
                    <div class="panel-head">
                        <h2 id="shortcuts-title">"Keyboard shortcuts"</h2>
                        <button type="button" class="close" node_ref=close on:click=move |_| sheet.close()>
                            "Close"
                        </button>
                    </div>
                    <div class="sheet-groups">{groups}</div>
                </div>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sheet_lists_undo_redo_and_every_drag_key() {
        let all: Vec<&Shortcut> = SHORTCUTS.iter().flat_map(|(_, l)| l.iter()).collect();
        let has = |what: &str| all.iter().any(|s| s.what == what);
        assert!(has("Undo") && has("Redo"));
        assert!(has("Choose where to drop") && has("Drop there") && has("Cancel"));
        assert!(all.iter().any(|s| s.keys == "?"));
    }
}
