//! The editors of a service and of a task definition, opened from the side panel's lists.
//!
//! Every change is one of the engine's named edits through [`Store::execute`] (so undo and
//! redo cover it), and every check is the engine's: the rule findings of the current plan are
//! shown next to the field their JSON path points at ([`model::anchor`]), with the engine's
//! quick fix ([`engine::api::fix`]) one click away when there is one. An edit the engine refuses
//! (it would leave an invalid plan) changes nothing and its findings show at the top.

pub mod cql;
pub mod json_view;
pub mod model;
pub mod run_task;
pub mod service;
pub mod strategy;
pub mod task_definition;

use engine::api::edit::Edit;
use engine::api::findings::{Finding, Severity};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::ui::use_ui;
use crate::labels;
use crate::store::{use_store, Command, ImportFailure, Store};

/// What is open in the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Editing {
    /// A service, by name.
    Service(String),
    /// A task definition, by its index in the plan's `taskDefinitions`.
    TaskDefinition(usize),
}

/// What the fields of one editor share: the findings about the edited object (each with the
/// key of the field it shows next to) and the edit the engine refused last. (What an edit did
/// is announced by the page's one live line, the board's status.)
#[derive(Clone, Copy)]
pub struct EditorCtx {
    pub findings: Memo<Vec<(String, Finding)>>,
    pub refused: RwSignal<Option<ImportFailure>>,
}

impl EditorCtx {
    pub fn new(findings: Memo<Vec<(String, Finding)>>) -> EditorCtx {
        EditorCtx {
            findings,
            refused: RwSignal::new(None),
        }
    }

    /// Runs an edit; when the engine refuses it, keeps its findings to show them. Returns
    /// whether it was applied.
    pub fn commit(&self, store: Store, edit: Edit) -> bool {
        let what = edit.describe();
        store.execute(Command::Edit(edit));
        let failure = store
            .import_failure()
            .get_untracked()
            .filter(|f| f.source == what);
        let ok = failure.is_none();
        if !ok {
            // Shown here, not as a failed import.
            store.execute(Command::ClearImportFailure);
        }
        self.refused.set(failure);
        ok
    }
}

pub fn use_editor() -> EditorCtx {
    expect_context::<EditorCtx>()
}

/// The open editor (or nothing).
#[component]
pub fn EditorPanel() -> impl IntoView {
    let ui = use_ui();
    move || match ui.editor.get() {
        Some(Editing::Service(name)) => view! { <service::ServiceEditor name /> }.into_any(),
        Some(Editing::TaskDefinition(index)) => {
            view! { <task_definition::TaskDefinitionEditor index /> }.into_any()
        }
        None => ().into_any(),
    }
}

/// The editor's frame: title, close button, findings about the whole object, a refused edit.
#[component]
pub fn EditorFrame(
    title: Signal<String>,
    testid: &'static str,
    children: Children,
) -> impl IntoView {
    let ui = use_ui();
    let ctx = use_editor();
    // Focus goes to the editor when it opens, and back to the list when it closes.
    let heading: NodeRef<leptos::html::H2> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    let close = move |_: leptos::ev::MouseEvent| {
        let was = ui.editor.get_untracked();
        ui.editor.set(None);
        if let Some(e) = was {
            let selector = crate::selector::attr("data-edit", &super::sidebar::edit_key(&e));
            request_animation_frame(move || {
                let el = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.query_selector(&selector).ok().flatten())
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(el) = el {
                    let _ = el.focus();
                }
            });
        }
    };
    let counts = move || {
        ctx.findings.with(|f| {
            let n = |s: Severity| f.iter().filter(|(_, x)| x.severity == s).count();
            (n(Severity::Error), n(Severity::Warning))
        })
    };
    view! {
        <section class="panel editor" data-testid=testid aria-labelledby="editor-title">
            <div class="panel-head">
                <h2 id="editor-title" tabindex="-1" node_ref=heading>{move || title.get()}</h2>
                <button type="button" class="close" data-testid="editor-close" on:click=close>
                    "Close"
                </button>
            </div>
            <p class="editor-summary" data-testid="editor-summary">
                {move || {
                    let (e, w) = counts();
                    match (e, w) {
                        (0, 0) => "No problems found.".to_string(),
                        _ => format!("{} · {}", plural(e, "error"), plural(w, "warning")),
                    }
                }}
            </p>
            <Refused />
            <FieldFindings at=String::new() />
            {children()}
        </section>
    }
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// The last edit the engine refused, with its findings.
#[component]
fn Refused() -> impl IntoView {
    let ctx = use_editor();
    move || {
        ctx.refused.get().map(|f| {
            view! {
                <div class="import-error" role="alert" data-testid="editor-refused">
                    <p>
                        <strong>"Not applied: "</strong>
                        {f.source.clone()}
                        " would leave the plan invalid."
                    </p>
                    <ul class="findings">
                        {f
                            .findings
                            .into_iter()
                            .map(|x| {
                                view! {
                                    <li class="finding" data-testid="finding" data-code=x.code.clone()>
                                        <code class="where">{labels::finding_location(&x)}</code>
                                        <span class="message">{x.message.clone()}</span>
                                        {x.fix.clone().map(|fix| view! { <span class="fix">{format!("Fix: {fix}")}</span> })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    <button type="button" class="close" on:click=move |_| ctx.refused.set(None)>
                        "Dismiss"
                    </button>
                </div>
            }
        })
    }
}

/// The findings shown next to one field (`at` is its key, see [`model::key`]).
#[component]
pub fn FieldFindings(#[prop(into)] at: String) -> impl IntoView {
    let ctx = use_editor();
    let store = use_store();
    let at2 = at.clone();
    let mine = Memo::new(move |_| {
        ctx.findings.with(|f| {
            f.iter()
                .filter(|(k, _)| *k == at2)
                .map(|(_, x)| x.clone())
                .collect::<Vec<_>>()
        })
    });
    move || {
        let list = mine.get();
        (!list.is_empty()).then(|| {
            let items = list
                .into_iter()
                .map(|f| {
                    let fix = store
                        .plan()
                        .with_untracked(|p| engine::api::fix::quick_fix(p, &f));
                    view! { <FindingNote f fix /> }
                })
                .collect_view();
            view! { <ul class="field-findings" data-field=at.clone()>{items}</ul> }
        })
    }
}

/// One finding: severity, message, the fix in words, and the quick fix as a button.
#[component]
fn FindingNote(f: Finding, fix: Option<engine::api::fix::QuickFix>) -> impl IntoView {
    let ctx = use_editor();
    let store = use_store();
    let sev = f.severity.to_string();
    let button = fix.map(|q| {
        let label = q.label.clone();
        let edit = q.edit;
        view! {
            <button
                type="button"
                class="fix-button"
                data-testid="quick-fix"
                title=format!("Apply the fix: {label}")
                on:click=move |_| {
                    ctx.commit(store, edit.clone());
                }
            >
                {format!("Fix: {label}")}
            </button>
        }
    });
    view! {
        <li
            class=format!("field-finding {sev}")
            data-testid="field-finding"
            data-code=f.code.clone()
            data-path=f.path.to_string()
        >
            <span class="sev">{sev.clone()}</span>
            <span class="message">{f.message.clone()}</span>
            {f.fix.clone().map(|x| view! { <span class="fix">{x}</span> })}
            {button}
            <span class="code">
                {f.code.clone()}
                {f.doc.clone().map(|d| format!(" · {d}"))}
            </span>
        </li>
    }
}
