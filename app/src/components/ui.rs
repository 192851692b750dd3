//! View state: what is open, selected or being dragged. Never domain values (those are in the
//! store), so dropping all of it loses nothing.

use leptos::prelude::*;

use super::editors::Editing;

#[derive(Clone, Copy)]
pub struct Ui {
    pub import_open: RwSignal<bool>,
    /// The name of the plan file the engine worker is opening (the import dialog shows Cancel).
    pub importing: RwSignal<Option<String>>,
    /// What became of an import that did not finish (cancelled), for the import dialog.
    pub import_note: RwSignal<Option<String>>,
    /// A file is being dragged over the page.
    pub dragging_file: RwSignal<bool>,
    /// The selected task's id (its explanation shows in the side panel).
    pub selected_task: RwSignal<Option<String>>,
    /// The object URL and file name of the last export.
    pub last_export: RwSignal<Option<(String, String)>>,
    /// The service or task definition open in an editor (in the side panel).
    pub editor: RwSignal<Option<Editing>>,
    pub export_open: RwSignal<bool>,
}

impl Ui {
    fn new() -> Ui {
        Ui {
            import_open: RwSignal::new(false),
            importing: RwSignal::new(None),
            import_note: RwSignal::new(None),
            dragging_file: RwSignal::new(false),
            selected_task: RwSignal::new(None),
            last_export: RwSignal::new(None),
            editor: RwSignal::new(None),
            export_open: RwSignal::new(false),
        }
    }

    /// Selects a task, or clears the selection when it is already selected.
    pub fn toggle_task(&self, id: &str) {
        self.selected_task.update(|s| {
            *s = if s.as_deref() == Some(id) {
                None
            } else {
                Some(id.to_string())
            };
        });
    }
}

pub fn provide_ui() -> Ui {
    let ui = Ui::new();
    provide_context(ui);
    ui
}

pub fn use_ui() -> Ui {
    expect_context::<Ui>()
}
