//! The export dialog: the plan as what AWS tools accept, in every format of the engine
//! (`engine::api::export::Format::ALL`) and as the plan document itself. Each format shows its files
//! with a preview; each file can be copied (the Clipboard API, or a hidden text box and
//! `execCommand("copy")` where that API is missing or refused) or downloaded, and several files
//! can be downloaded at once. Import stays in the import dialog (file, paste, drop).

use engine::api::export::{ExportFile, Format};
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::Failure;
use wasm_bindgen::{JsCast, JsValue};

use super::ui::use_ui;
use crate::store::use_store;
use crate::{web, worker};

/// What can be exported: the plan itself, or one of the engine's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Plan,
    Aws(Format),
}

impl Choice {
    pub fn all() -> Vec<Choice> {
        std::iter::once(Choice::Plan)
            .chain(Format::ALL.into_iter().map(Choice::Aws))
            .collect()
    }

    pub fn id(self) -> &'static str {
        match self {
            Choice::Plan => "plan",
            Choice::Aws(f) => f.name(),
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Choice::Plan => "Plan",
            Choice::Aws(Format::CliJson) => "Task definitions",
            Choice::Aws(Format::CreateService) => "Services",
            Choice::Aws(Format::RunTask) => "Standalone tasks",
            Choice::Aws(Format::CapacityProviders) => "Capacity providers",
            Choice::Aws(Format::AutoScaling) => "Auto scaling",
            Choice::Aws(Format::CloudFormation) => "CloudFormation",
            Choice::Aws(Format::Terraform) => "Terraform",
        }
    }

    /// How the files are used.
    pub fn usage(self) -> &'static str {
        match self {
            Choice::Plan => "The whole plan document: open it again here, or with `ecsplan` on the command line.",
            Choice::Aws(Format::CliJson) => "One RegisterTaskDefinition request per task definition: aws ecs register-task-definition --cli-input-json file://FILE",
            Choice::Aws(Format::CreateService) => "One CreateService request per service: aws ecs create-service --cli-input-json file://FILE",
            Choice::Aws(Format::RunTask) => "One RunTask request per group of standalone tasks: aws ecs run-task --cli-input-json file://FILE",
            Choice::Aws(Format::CapacityProviders) => "CreateCapacityProvider requests and the cluster's PutClusterCapacityProviders request (aws ecs create-capacity-provider / put-cluster-capacity-providers --cli-input-json).",
            Choice::Aws(Format::AutoScaling) => "Application Auto Scaling: RegisterScalableTarget, PutScalingPolicy and PutScheduledAction requests per service (aws application-autoscaling ... --cli-input-json).",
            Choice::Aws(Format::CloudFormation) => "A CloudFormation template (YAML) for the whole plan: aws cloudformation deploy --template-file FILE",
            Choice::Aws(Format::Terraform) => "Terraform (HCL) for the whole plan: aws_ecs_task_definition, aws_ecs_service, aws_appautoscaling_*.",
        }
    }

    /// What a plan without anything of this kind exports.
    pub fn nothing(self) -> &'static str {
        match self {
            Choice::Plan => "",
            Choice::Aws(Format::CliJson) => "This plan has no task definitions.",
            Choice::Aws(Format::CreateService) => "This plan has no services.",
            Choice::Aws(Format::RunTask) => {
                "This plan has no standalone tasks (run some from a task definition)."
            }
            Choice::Aws(Format::CapacityProviders) => "This plan has no capacity providers.",
            Choice::Aws(Format::AutoScaling) => "No service in this plan is auto scaled.",
            Choice::Aws(_) => "Nothing to export.",
        }
    }
}

/// The MIME type of an exported file, from its name.
pub fn mime(name: &str) -> &'static str {
    if name.ends_with(".json") {
        "application/json"
    } else if name.ends_with(".yaml") || name.ends_with(".yml") {
        "application/yaml"
    } else {
        "text/plain"
    }
}

/// `1.2 KB`, `640 bytes`.
pub fn size_text(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}

/// Copies `text` to the clipboard: the Clipboard API, else a hidden text box and
/// `execCommand("copy")`. Returns whether it worked.
async fn copy_text(text: String) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let navigator = window.navigator();
    let has_api = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if has_api {
        let promise = navigator.clipboard().write_text(&text);
        if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok() {
            return true;
        }
    }
    copy_with_text_box(&text)
}

fn copy_with_text_box(text: &str) -> bool {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let Some(body) = doc.body() else { return false };
    let Ok(area) = doc
        .create_element("textarea")
        .map(|e| e.unchecked_into::<web_sys::HtmlTextAreaElement>())
    else {
        return false;
    };
    area.set_value(text);
    let _ = area.set_attribute("readonly", "");
    let _ = area.set_attribute("style", "position: fixed; top: -1000px; opacity: 0");
    if body.append_child(&area).is_err() {
        return false;
    }
    area.select();
    let ok = doc
        .dyn_ref::<web_sys::HtmlDocument>()
        .and_then(|d| d.exec_command("copy").ok())
        .unwrap_or(false);
    area.remove();
    ok
}

/// What the dialog says when writing the files of `choice` was cancelled.
fn cancelled_text(choice: Choice) -> String {
    let name = match choice {
        Choice::Aws(format) => format.name(),
        Choice::Plan => "plan",
    };
    format!("Cancelled writing the {name} files; the plan is as it was.")
}

#[component]
pub fn ExportDialog() -> impl IntoView {
    let ui = use_ui();
    let store = use_store();
    let choice = RwSignal::new(Choice::Aws(Format::CliJson));
    let status = RwSignal::new(String::new());
    // What the dialog should show: the format and the plan document (None while closed).
    let request = Memo::new(move |_| {
        if !ui.export_open.get() {
            return None;
        }
        let plan = store.plan();
        Some((choice.get(), plan.with(|p| p.to_json())))
    });
    // The files shown, with the request they answer. The engine worker writes a format's
    // files (the exporters are not in the page's first load, docs/performance.md), so they
    // arrive a moment after a change; until then the panel is busy and shows the last files.
    let shown = RwSignal::new((None::<(Choice, String)>, Vec::<ExportFile>::new()));
    let busy = move || shown.with(|(key, _)| *key != request.get());
    // Cancel (while the worker writes): what was cancelled; "Write again" bumps `again`.
    let cancelled = RwSignal::new(None::<String>);
    let again = RwSignal::new(0u32);
    Effect::new(move |_| {
        again.track();
        let Some(key) = request.get() else {
            return;
        };
        if cancelled.with_untracked(Option::is_some)
            && shown.with_untracked(|(k, _)| k.as_ref() == Some(&key))
        {
            return; // cancelled before its request left (see `cancel`)
        }
        cancelled.set(None);
        match key.0 {
            Choice::Plan => {
                let (name, content) = store.export();
                shown.set((Some(key), vec![ExportFile { name, content }]));
            }
            Choice::Aws(format) => {
                let files = protocol::export::Files {
                    plan: key.1.clone(),
                    format: format.name().to_string(),
                };
                spawn_local(async move {
                    if cancelled.with_untracked(Option::is_some) {
                        return; // cancelled before it was sent
                    }
                    let answer = worker::call(protocol::export::FILES, &files).await;
                    if request.get_untracked().as_ref() != Some(&key)
                        || cancelled.with_untracked(Option::is_some)
                    {
                        return; // the dialog moved on, or Cancel answered it
                    }
                    let list = match answer.and_then(|v| {
                        serde_json::from_value(v)
                            .map_err(|e| Failure::new(Failure::CRASHED, e.to_string()))
                    }) {
                        Ok(list) => list,
                        Err(e) if e.code == Failure::CANCELLED => {
                            cancelled.set(Some(cancelled_text(Choice::Aws(format))));
                            Vec::new()
                        }
                        Err(e) => {
                            status.set(format!("Could not export: {e}"));
                            Vec::new()
                        }
                    };
                    shown.set((Some(key), list));
                });
            }
        }
    });
    // Cancel answers the request shown at once, on the page: pressed in the first moment, the
    // request may not have left yet (an effect sends it after the click that asked for it).
    let cancel = move || {
        worker::restart();
        if let Some(key) = request.get_untracked() {
            cancelled.set(Some(cancelled_text(key.0)));
            shown.set((Some(key), Vec::new()));
        }
    };
    let files = move || shown.with(|(_, f)| f.clone());
    // Object URLs of the downloads (kept so that the page can link to them; revoked on close).
    let links = RwSignal::new(Vec::<(String, String)>::new());
    let revoke_all = move || {
        for (_, url) in links.get_untracked() {
            web::revoke(&url);
        }
        links.set(Vec::new());
    };
    let close = move || {
        ui.export_open.set(false);
        revoke_all();
        status.set(String::new());
    };
    let download = move |f: &ExportFile| {
        if let Some(url) = web::download(&f.name, &f.content, mime(&f.name)) {
            links.update(|l| {
                if let Some(i) = l.iter().position(|(n, _)| *n == f.name) {
                    web::revoke(&l[i].1);
                    l.remove(i);
                }
                l.push((f.name.clone(), url));
            });
        }
    };
    let first: NodeRef<leptos::html::Button> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(b) = first.get() {
            let _ = b.focus();
        }
    });

    let tabs = move || {
        Choice::all()
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let selected = move || choice.get() == c;
                view! {
                    <button
                        type="button"
                        role="tab"
                        class="tab"
                        id=format!("export-tab-{}", c.id())
                        data-testid="export-format"
                        data-format=c.id()
                        aria-selected=move || selected().to_string()
                        aria-controls="export-files"
                        tabindex=move || if selected() { "0" } else { "-1" }
                        on:click=move |_| {
                            choice.set(c);
                            status.set(String::new());
                        }
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                            let all = Choice::all();
                            let n = all.len();
                            let next = match ev.key().as_str() {
                                "ArrowRight" | "ArrowDown" => (i + 1) % n,
                                "ArrowLeft" | "ArrowUp" => (i + n - 1) % n,
                                "Home" => 0,
                                "End" => n - 1,
                                _ => return,
                            };
                            ev.prevent_default();
                            choice.set(all[next]);
                            let id = format!("export-tab-{}", all[next].id());
                            if let Some(el) = web_sys::window()
                                .and_then(|w| w.document())
                                .and_then(|d| d.get_element_by_id(&id))
                                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                            {
                                let _ = el.focus();
                            }
                        }
                    >
                        {c.title()}
                    </button>
                }
            })
            .collect_view()
    };

    let file_view = move |f: ExportFile| {
        let f2 = f.clone();
        let f3 = f.clone();
        let name = f.name.clone();
        view! {
            <article class="export-file" data-testid="export-file" data-name=f.name.clone()>
                <header class="export-file-head">
                    <code class="file-name">{f.name.clone()}</code>
                    <span class="sub">{size_text(f.content.len())}</span>
                    <span class="file-actions">
                        <button
                            type="button"
                            class="small"
                            data-testid="export-copy"
                            aria-label=format!("Copy {name}")
                            on:click=move |_| {
                                let f = f2.clone();
                                spawn_local(async move {
                                    let ok = copy_text(f.content.clone()).await;
                                    status.set(if ok {
                                        format!("Copied {} to the clipboard.", f.name)
                                    } else {
                                        format!("Could not copy {}: select the text below and press Ctrl+C.", f.name)
                                    });
                                });
                            }
                        >
                            "Copy"
                        </button>
                        <button
                            type="button"
                            class="small primary"
                            data-testid="export-download"
                            aria-label=format!("Download {}", f.name)
                            on:click=move |_| {
                                download(&f3);
                                status.set(format!("Downloaded {}.", f3.name));
                            }
                        >
                            "Download"
                        </button>
                    </span>
                </header>
                <pre class="preview" data-testid="export-preview" tabindex="0" aria-label=format!("Contents of {}", f.name)>
                    {f.content.clone()}
                </pre>
            </article>
        }
    };

    view! {
        <Show when=move || ui.export_open.get()>
            <section
                id="export-dialog"
                class="import-dialog export-dialog"
                role="dialog"
                aria-labelledby="export-title"
                data-testid="export-dialog"
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Escape" {
                        ev.stop_propagation();
                        close();
                    }
                }
            >
                <div class="panel-head">
                    <h2 id="export-title">"Export"</h2>
                    <button type="button" class="close" data-testid="export-close" node_ref=first on:click=move |_| close()>
                        "Close"
                    </button>
                </div>
                <div class="tabs" role="tablist" aria-label="What to export">{tabs}</div>
                <p class="hint" data-testid="export-usage">{move || choice.get().usage()}</p>
                <div
                    id="export-files"
                    role="tabpanel"
                    aria-labelledby=move || format!("export-tab-{}", choice.get().id())
                    aria-busy=move || busy().to_string()
                >
                    {move || {
                        let list = files();
                        let n = list.len();
                        if n == 0 && busy() {
                            // The engine worker writes them; Cancel stops it (a new one
                            // starts for the next request).
                            return view! {
                                <p class="empty" data-testid="export-preparing">
                                    "Writing the files… "
                                    <button type="button" class="small" data-testid="export-cancel" on:click=move |_| cancel()>
                                        "Cancel"
                                    </button>
                                </p>
                            }
                            .into_any();
                        }
                        if let Some(what) = cancelled.get() {
                            return view! {
                                <p class="empty" data-testid="export-cancelled">
                                    {what} " "
                                    <button type="button" class="small" data-testid="export-again" on:click=move |_| {
                                        shown.set((None, Vec::new()));
                                        again.update(|n| *n += 1);
                                    }>
                                        "Write them again"
                                    </button>
                                </p>
                            }
                            .into_any();
                        }
                        if n == 0 {
                            return view! { <p class="empty" data-testid="export-empty">{choice.get().nothing()}</p> }.into_any();
                        }
                        let all = list.clone();
                        view! {
                            <div class="export-summary">
                                <span>{format!("{n} file{}", if n == 1 { "" } else { "s" })}</span>
                                {(n > 1)
                                    .then(|| {
                                        view! {
                                            <button
                                                type="button"
                                                class="small"
                                                data-testid="export-download-all"
                                                on:click=move |_| {
                                                    for f in &all {
                                                        download(f);
                                                    }
                                                    status.set(format!("Downloaded {} files.", all.len()));
                                                }
                                            >
                                                {format!("Download all {n}")}
                                            </button>
                                        }
                                    })}
                            </div>
                            <div class="export-files">{list.into_iter().map(file_view).collect_view()}</div>
                        }
                            .into_any()
                    }}
                </div>
                <p class="export-status" role="status" data-testid="export-status">
                    {move || status.get()}
                </p>
                <ul class="visually-hidden" aria-label="Downloaded files">
                    {move || {
                        links
                            .get()
                            .into_iter()
                            .map(|(name, url)| {
                                view! {
                                    <li>
                                        <a href=url data-testid="export-link" data-name=name.clone() download=name.clone()>
                                            {format!("Download {name} again")}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_engine_format_is_offered_after_the_plan() {
        let all = Choice::all();
        assert_eq!(all.len(), Format::ALL.len() + 1);
        assert_eq!(all[0], Choice::Plan);
        let ids: Vec<&str> = all.iter().map(|c| c.id()).collect();
        assert_eq!(
            ids,
            [
                "plan",
                "cli-json",
                "create-service",
                "run-task",
                "capacity-providers",
                "autoscaling",
                "cloudformation",
                "terraform"
            ]
        );
        assert!(all.iter().all(|c| !c.usage().is_empty()));
    }

    #[test]
    fn file_types_and_sizes() {
        assert_eq!(mime("web-1.taskdef.json"), "application/json");
        assert_eq!(mime("template.yaml"), "application/yaml");
        assert_eq!(mime("main.tf"), "text/plain");
        assert_eq!(size_text(640), "640 bytes");
        assert_eq!(size_text(2048), "2.0 KB");
    }
}
