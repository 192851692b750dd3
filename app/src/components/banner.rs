//! Banners for what the user must know about: a saved plan that could not be opened (kept
//! aside, with its text one click away), storage that does not work.

use leptos::prelude::*;

use crate::labels;
use crate::persist::{Rejected, PLAN_KEY, REJECTED_KEEP};
use crate::store::{use_store, Command, Notice};
use crate::web;

#[component]
pub fn Banners() -> impl IntoView {
    let store = use_store();
    view! {
        <div class="banners">
            <For
                each=move || store.notices().get()
                key=|(id, _)| *id
                children=move |(id, notice)| view! { <Banner id notice /> }
            />
        </div>
    }
}

#[component]
fn Banner(id: u32, notice: Notice) -> impl IntoView {
    let store = use_store();
    let dismiss = move |_| store.execute(Command::DismissNotice(id));
    match notice {
        Notice::RejectedSave(r) => view! {
            <div class="banner warn" role="alert" data-testid="banner" data-kind="rejected-save">
                <RejectedText r=r.clone() />
                <div class="banner-actions">
                    <button
                        type="button"
                        data-testid="banner-download"
                        on:click=move |_| {
                            let name = r
                                .kept_at
                                .clone()
                                .unwrap_or_else(|| PLAN_KEY.to_string());
                            let _ = web::download(&format!("{name}.json"), &r.text, "application/json");
                        }
                    >
                        "Download the kept text"
                    </button>
                    <button type="button" on:click=dismiss>"Dismiss"</button>
                </div>
            </div>
        }
        .into_any(),
        Notice::RejectedProgress(r) => view! {
            <div class="banner warn" role="alert" data-testid="banner" data-kind="rejected-progress">
                <p>
                    <strong>"Your Learn progress saved in this browser could not be read. "</strong>
                    <span data-testid="banner-reason">
                        {r.finding.message.clone()}
                        " ("
                        <code>{labels::finding_location(&r.finding)}</code>
                        ")"
                    </span>
                    {match &r.kept_at {
                        Some(key) => format!(". Its text is kept under “{key}”; Learn starts with no progress."),
                        None => ". It could not be copied aside; Learn starts with no progress.".to_string(),
                    }}
                </p>
                <div class="banner-actions">
                    <button
                        type="button"
                        data-testid="banner-download"
                        on:click=move |_| {
                            let _ = web::download("ecs-planner-learn-progress-kept.json", &r.text, "application/json");
                        }
                    >
                        "Download the kept text"
                    </button>
                    <button type="button" on:click=dismiss>"Dismiss"</button>
                </div>
            </div>
        }
        .into_any(),
        Notice::Storage(msg) => view! {
            <div class="banner info" role="status" data-testid="banner" data-kind="storage">
                <p>{format!("Saving in this browser does not work: {msg}.")}</p>
                <div class="banner-actions">
                    <button type="button" on:click=dismiss>"Dismiss"</button>
                </div>
            </div>
        }
        .into_any(),
    }
}

#[component]
fn RejectedText(r: Rejected) -> impl IntoView {
    let kept = match &r.kept_at {
        Some(key) => format!("Its text is kept in this browser under “{key}” (the page keeps the last {REJECTED_KEEP} such copies); the default plan is open instead."),
        None => format!(
            "It could not be copied aside, so it stays under “{PLAN_KEY}” and saving is paused until you download it."
        ),
    };
    view! {
        <p>
            <strong>"The plan saved in this browser could not be opened. "</strong>
            <span data-testid="banner-reason">
                {r.finding.message.clone()}
                " ("
                <code>{labels::finding_location(&r.finding)}</code>
                ")"
            </span>
            ". "
            {kept}
        </p>
    }
}
