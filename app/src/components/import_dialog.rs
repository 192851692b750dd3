//! Import: a file picker, a paste box, and (in `app.rs`) dropping a file on the page. A bad
//! import lists the engine's findings (path, line and column, message, fix) and leaves the
//! current plan as it was. Below them, the recent plans: every plan that opening another one
//! (a share link, a file, a paste, a sample) replaced, with a button to restore it.

use std::cell::Cell;

use engine::api::findings::{Finding, JsonPath};
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::import::{OpenPlan, MAX_PLAN_BYTES, OPEN_PLAN};
use protocol::Failure;
use wasm_bindgen::JsCast;

use super::learn::view::Live;
use super::ui::{use_ui, Ui};
use crate::labels;
use crate::persist::{self, RecentPlan};
use crate::store::{use_store, Command, ImportFailure, Origin, Store};
use crate::{web, worker};
use engine::api::text::escape_html as escape;

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
fn import_pasted(store: Store, ui: Ui, text: RwSignal<String>) {
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

#[component]
pub fn ImportDialog() -> impl IntoView {
    let store = use_store();
    let ui = use_ui();
    let text = RwSignal::new(String::new());
    // Keyboard users land in the dialog when it opens.
    let first: NodeRef<leptos::html::Input> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(input) = first.get() {
            let _ = input.focus();
        }
    });

    let pick = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            import_file(store, ui, file, false);
        }
        // Picking the same file again must fire `change` again.
        input.set_value("");
    };
    let paste = move |_| import_pasted(store, ui, text);
    let close = move |_| {
        if ui.importing.with_untracked(Option::is_some) {
            cancel_import(ui);
        }
        ui.import_open.set(false);
        store.execute(Command::ClearImportFailure);
    };

    // The file being opened (with Cancel) or what became of it, as markup: a string costs the
    // page's wasm less than a view of its own.
    let progress = Signal::derive(move || {
        let mut out = String::new();
        if let Some(name) = ui.importing.get() {
            out.push_str(&format!(
                "<p class=\"import-busy\" role=\"status\" aria-busy=\"true\" data-testid=\"import-busy\">Opening {} in the engine… <button type=\"button\" class=\"small\" data-key=\"import-cancel\" data-testid=\"import-cancel\">Cancel</button></p>",
                escape(&name)
            ));
        }
        if let Some(note) = ui.import_note.get() {
            out.push_str(&format!(
                "<p class=\"hint\" role=\"status\" data-testid=\"import-cancelled\">{}</p>",
                escape(&note)
            ));
        }
        out
    });

    view! {
        <Show when=move || ui.import_open.get()>
            <section
                id="import-dialog"
                class="import-dialog"
                role="dialog"
                aria-labelledby="import-title"
                data-testid="import-dialog"
            >
                <div class="panel-head">
                    <h2 id="import-title">"Import a plan"</h2>
                    <button type="button" class="close" on:click=close>"Close"</button>
                </div>
                <p class="hint">
                    "Choose a plan file, paste its JSON, or drop a file anywhere on the page. "
                    "The current plan stays until an import succeeds."
                </p>
                <div class="import-grid">
                    <div>
                        <label for="import-file">"Plan file (.json)"</label>
                        <input
                            id="import-file"
                            type="file"
                            accept=".json,application/json"
                            data-testid="import-file"
                            node_ref=first
                            on:change=pick
                        />
                    </div>
                    <div>
                        <label for="import-text">"Plan JSON"</label>
                        <textarea
                            id="import-text"
                            data-testid="import-text"
                            rows="8"
                            spellcheck="false"
                            placeholder="{ \"schemaVersion\": 1, ... }"
                            prop:value=move || text.get()
                            on:input=move |ev| text.set(event_target_value(&ev))
                        ></textarea>
                        <button
                            type="button"
                            data-testid="import-submit"
                            on:click=paste
                            disabled=move || text.with(|t| t.trim().is_empty())
                        >
                            "Import pasted JSON"
                        </button>
                    </div>
                </div>
                <div on:click=move |ev: leptos::ev::MouseEvent| {
                    let on_cancel = ev
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .and_then(|e| e.closest("[data-testid=import-cancel]").ok().flatten());
                    if on_cancel.is_some() {
                        cancel_import(ui);
                    }
                }>
                    <Live html=progress />
                </div>
                <ImportErrors />
                <RecentPlans />
            </section>
        </Show>
    }
}

#[component]
fn ImportErrors() -> impl IntoView {
    let store = use_store();
    move || {
        store.import_failure().get().map(|f| {
            let n = f.findings.len();
            view! {
                <div class="import-error" role="alert" data-testid="import-error">
                    <p>
                        <strong>{format!("Could not import {}", f.source)}</strong>
                        {format!(
                            " ({n} problem{}). The current plan is unchanged.",
                            if n == 1 { "" } else { "s" },
                        )}
                    </p>
                    <ul class="findings">
                        {f.findings.into_iter().map(|x| view! { <FindingItem f=x /> }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

#[component]
fn FindingItem(f: Finding) -> impl IntoView {
    view! {
        <li class="finding" data-testid="finding" data-code=f.code.clone() data-path=f.path.to_string()>
            <code class="where">{labels::finding_location(&f)}</code>
            <span class="message">{f.message.clone()}</span>
            {f.fix.clone().map(|fix| view! { <span class="fix">{format!("Fix: {fix}")}</span> })}
            <span class="code">{f.code.clone()}</span>
        </li>
    }
}

/// When a recent plan was replaced, in the browser's words.
fn when(ms: f64) -> String {
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms))
        .to_locale_string("en-GB", &wasm_bindgen::JsValue::UNDEFINED)
        .as_string()
        .unwrap_or_default()
}

/// The plans that opening another one replaced, newest first, each restorable.
#[component]
fn RecentPlans() -> impl IntoView {
    let store = use_store();
    let ui = use_ui();
    let list = Memo::new(move |_| {
        store.recent_changed().track();
        ui.import_open.track();
        persist::recent()
    });
    let restore = move |r: RecentPlan| match persist::judge(&r.plan) {
        Ok(plan) => {
            store.execute(Command::OpenPlan {
                plan: Box::new(plan),
                origin: Origin::Recent(r.name.clone()),
            });
            ui.selected_task.set(None);
            ui.import_open.set(false);
        }
        Err(f) => store.execute(Command::RejectImport(ImportFailure {
            source: format!("the recent plan {}", r.name),
            findings: vec![*f],
        })),
    };
    view! {
        <div class="recent-plans" data-testid="recent-plans">
            <h3>"Recent plans"</h3>
            <p class="hint">
                {format!(
                    "Opening a plan (a share link, a file, a sample) keeps the one it replaces here, the last {} of them, in this browser.",
                    persist::RECENT_LIMIT,
                )}
            </p>
            {move || {
                let items = list.get();
                if items.is_empty() {
                    return view! { <p class="hint" data-testid="recent-empty">"None yet."</p> }.into_any();
                }
                view! {
                    <ul>
                        {items
                            .into_iter()
                            .map(|r| {
                                let label = if r.name.is_empty() { "(unnamed plan)".to_string() } else { r.name.clone() };
                                let detail = format!("replaced by {} on {}", r.why, when(r.kept_at));
                                let again = r.clone();
                                view! {
                                    <li data-testid="recent-plan">
                                        <strong data-testid="recent-name">{label}</strong>
                                        " "
                                        <span class="hint">{detail}</span>
                                        " "
                                        <button
                                            type="button"
                                            class="small"
                                            data-testid="recent-restore"
                                            on:click=move |_| restore(again.clone())
                                        >
                                            "Restore"
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </div>
    }
}
