//! Opening a plan file, a dropped file or pasted JSON: the engine worker reads and loads the
//! text (the command line's size limit, the loader's findings) while the import dialog shows
//! the file being opened with Cancel; the current plan stays until the new one opens. A
//! cancelled or superseded opening drops its answer (each has a generation number).

use std::cell::Cell;

use engine::api::findings::{Finding, JsonPath};
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::import::{OpenPlan, MAX_PLAN_BYTES, OPEN_PLAN};
use protocol::Failure;

use super::ui::Ui;
use crate::store::{Command, ImportFailure, Origin, Store};
use crate::{web, worker};

thread_local! {
    /// The import in progress: a cancelled (or superseded) one sees another number and drops
    /// its result.
    static IMPORT: Cell<u64> = const { Cell::new(0) };
}

fn next_import() -> u64 {
    IMPORT.with(|g| {
        g.set(g.get() + 1);
        g.get()
    })
}

fn current_import() -> u64 {
    IMPORT.with(Cell::get)
}

/// Opens a picked or dropped file: the engine worker reads it (the command line's size limit,
/// the loader's findings) while the dialog shows Cancel; the current plan stays until the
/// plan opens. Opens the dialog when it fails.
pub fn import_file(store: Store, ui: Ui, file: web_sys::File, dropped: bool) {
    let name = file.name();
    let origin = if dropped {
        Origin::Dropped(name.clone())
    } else {
        Origin::File(name.clone())
    };
    let Some(generation) = begin_import(store, ui, &name, file.size() as u64, &origin) else {
        return;
    };
    ui.import_open.set(true);
    spawn_local(async move {
        let read = web::read_text(&file).await;
        if current_import() != generation {
            return; // cancelled while reading
        }
        open_in_worker(store, ui, read, name, origin, generation).await;
    });
}

/// Opens the JSON pasted in the dialog the way a file is opened: in the engine worker, with
/// the same size limit and Cancel, so that a huge paste does not freeze the page. Empties
/// the paste box once the plan opens.
pub fn import_pasted(store: Store, ui: Ui, text: RwSignal<String>) {
    let body = text.get_untracked();
    let name = "the pasted JSON".to_string();
    let Some(generation) = begin_import(store, ui, &name, body.len() as u64, &Origin::Pasted)
    else {
        return;
    };
    spawn_local(async move {
        if open_in_worker(store, ui, Ok(body), name, Origin::Pasted, generation).await {
            text.set(String::new());
        }
    });
}

/// Starts an import of `bytes` bytes: a new generation (an older import's answer is then
/// ignored), or `None` when the text is over the limit and was refused unread, as `ecsplan`
/// refuses it.
fn begin_import(store: Store, ui: Ui, name: &str, bytes: u64, origin: &Origin) -> Option<u64> {
    let generation = next_import();
    ui.import_note.set(None);
    store.execute(Command::ClearImportFailure);
    if bytes > MAX_PLAN_BYTES {
        let (message, fix) = protocol::import::too_large(name, bytes);
        let mut f = Finding::error("file-too-large", JsonPath::root(), message);
        f.fix = Some(fix.to_string());
        store.execute(Command::RejectImport(ImportFailure {
            source: origin.describe(),
            findings: vec![f],
        }));
        ui.importing.set(None);
        ui.import_open.set(true);
        return None;
    }
    ui.importing.set(Some(name.to_string()));
    Some(generation)
}

/// Has the engine worker load `read` (the loader's findings, the size limit) and opens the
/// plan it returns; whether it opened. The dialog stays open when it did not.
async fn open_in_worker(
    store: Store,
    ui: Ui,
    read: Result<String, String>,
    name: String,
    origin: Origin,
    generation: u64,
) -> bool {
    let answer = match read {
        Ok(text) => worker::call(OPEN_PLAN, &OpenPlan { text, name }).await,
        Err(e) => Err(Failure {
            code: Failure::REFUSED.into(),
            message: e.clone(),
            findings: vec![
                serde_json::json!({"code": "unreadable-file", "path": "", "message": e}),
            ],
        }),
    };
    if current_import() != generation {
        return false; // cancelled while the worker read it
    }
    ui.importing.set(None);
    let ok = match answer {
        Ok(v) => store.import_text(v["plan"].as_str().unwrap_or_default(), origin),
        Err(e) if e.code == Failure::CANCELLED => {
            ui.import_note.set(Some(format!(
                "Opening {} was stopped (the engine worker was restarted); the current plan is unchanged.",
                origin.describe()
            )));
            false
        }
        Err(e) => {
            let mut findings: Vec<Finding> = e.findings.iter().map(finding).collect();
            if findings.is_empty() {
                findings.push(Finding::error("import-failed", JsonPath::root(), e.message));
            }
            store.execute(Command::RejectImport(ImportFailure {
                source: origin.describe(),
                findings,
            }));
            false
        }
    };
    if ok {
        ui.selected_task.set(None);
    }
    ui.import_open.set(!ok);
    ok
}

/// Stops the file being opened: the engine worker is restarted and the plan stays as it was.
pub fn cancel_import(ui: Ui) {
    next_import();
    worker::restart();
    if let Some(name) = ui.importing.get_untracked() {
        ui.import_note.set(Some(format!(
            "Cancelled opening {name}; the current plan is unchanged."
        )));
    }
    ui.importing.set(None);
}

/// A finding of the worker's reply (`engine::api::findings::Finding` JSON), read field by
/// field: a derived reader costs the page's first load more than this.
fn finding(v: &serde_json::Value) -> Finding {
    let text = |k: &str| v[k].as_str().map(str::to_string);
    let mut f = Finding::error(
        v["code"].as_str().unwrap_or("import-failed"),
        v["path"]
            .as_str()
            .and_then(JsonPath::parse)
            .unwrap_or_else(JsonPath::root),
        text("message").unwrap_or_default(),
    );
    f.line = v["line"].as_u64().map(|n| n as u32);
    f.column = v["column"].as_u64().map(|n| n as u32);
    f.fix = text("fix");
    f.doc = text("doc");
    f
}
