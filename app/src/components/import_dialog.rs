//! Import: a file picker, a paste box, and (in `app.rs`) dropping a file on the page. A bad
//! import lists the engine's findings (path, line and column, message, fix) and leaves the
//! current plan as it was; opening the text is [`super::open_plan`]'s. Below them, the recent
//! plans: every plan that opening another one (a share link, a file, a paste, a sample)
//! replaced, with a button to restore it.

use engine::api::findings::Finding;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::learn::view::Live;
use super::open_plan::{cancel_import, import_file, import_pasted};
use super::ui::use_ui;
use crate::labels;
use crate::persist::{self, RecentPlan};
use crate::store::{use_store, Command, ImportFailure, Origin};
use engine::api::text::escape_html as escape;

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
