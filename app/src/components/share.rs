//! Share links: the Share button writes the plan into the page's URL fragment
//! (`#plan=v1.<deflate + base64url>`, made by `engine::api::share`, so it never reaches a server) and
//! copies the link. The engine worker packs and unpacks links (`protocol::share`: the
//! compression is not part of the page's first load); the button is busy meanwhile. Opening such a link shows its plan: it wins over the plan saved in the
//! browser, which goes to the recent plans of the import dialog (and Undo brings it back), and
//! a banner says so; a damaged link shows the engine's message and the plan that was open
//! stays. The fragment is removed from the address bar *before* the link is opened, so that a
//! link that stops the page is not opened again by a reload; a fragment written by Share is
//! removed when the plan changes again, so that reloading never brings back an older plan.

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::store::{use_store, Command, Origin, Store};
use crate::worker;

/// Links longer than this may be cut by chat and mail programs.
pub const LONG_LINK: usize = 8 * 1024;

/// What happened to a link the page was opened with.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkNotice {
    /// Its plan is open; `replaced` says what it replaced ("the saved plan"), if anything, and
    /// `kept` whether that is in the recent plans.
    Opened {
        replaced: Option<String>,
        kept: bool,
    },
    /// The link holds the plan that is open already.
    Same,
    /// The link could not be read: the engine's message and fix.
    Damaged {
        message: String,
        fix: Option<String>,
    },
}

/// What the Share button made.
#[derive(Debug, Clone, PartialEq)]
pub struct Shared {
    pub url: String,
    /// `None` while copying; then whether the clipboard took it.
    pub copied: Option<bool>,
    /// Why no link could be made (the engine worker failed); the plan is as it was.
    pub error: Option<String>,
}

#[derive(Clone, Copy)]
pub struct ShareUi {
    pub popover: RwSignal<Option<Shared>>,
    notice: RwSignal<Option<LinkNotice>>,
    /// While the engine worker packs or unpacks a link.
    busy: RwSignal<bool>,
    /// The plan revision the fragment in the address bar was written for.
    shared_at: StoredValue<Option<u64>>,
}

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

/// The URL without its fragment.
fn base_url() -> Option<String> {
    let l = location()?;
    Some(format!("{}{}", l.pathname().ok()?, l.search().ok()?))
}

fn replace_url(url: &str) {
    if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
}

/// Words for a banner: what the link's plan replaced.
pub fn replaced_text(origin: &Origin) -> Option<String> {
    match origin {
        Origin::Default => None,
        Origin::Saved => Some("the plan saved in this browser".to_string()),
        other => Some(format!("the plan that was open ({})", other.describe())),
    }
}

/// Opens the plan in the URL fragment, if there is one. The engine worker inflates it (the
/// compression is not part of the page's first load); the page loads the text as any plan.
fn open_from_url(store: Store, share: ShareUi) {
    let Some(hash) = location().and_then(|l| l.hash().ok()) else {
        return;
    };
    if !hash.starts_with("#plan=") {
        return;
    }
    // Out of the address bar first: whatever opening it does, a reload does not do it again.
    if let Some(base) = base_url() {
        replace_url(&base);
    }
    share.shared_at.set_value(None);
    share.busy.set(true);
    spawn_local(async move {
        let answer = worker::call(
            protocol::share::UNPACK,
            &protocol::share::Unpack { fragment: hash },
        )
        .await;
        share.busy.set(false);
        let loaded = match answer {
            Ok(v) => engine::api::plan::load(v["text"].as_str().unwrap_or_default()),
            Err(e) => {
                // The engine's finding (message and fix), or the worker's own failure.
                let f = e.findings.first();
                let text = |k: &str| f.and_then(|f| f[k].as_str()).map(str::to_string);
                share.notice.set(Some(LinkNotice::Damaged {
                    message: text("message").unwrap_or(e.message.clone()),
                    fix: text("fix"),
                }));
                return;
            }
        };
        match loaded.plan {
            Some(plan) => {
                if store.is_current(&plan) {
                    share.notice.set(Some(LinkNotice::Same));
                } else {
                    let replaced = replaced_text(&store.origin().get_untracked());
                    store.execute(Command::OpenPlan {
                        plan: Box::new(plan),
                        origin: Origin::Link,
                    });
                    let kept = store.kept_replaced();
                    share
                        .notice
                        .set(Some(LinkNotice::Opened { replaced, kept }));
                }
            }
            None => {
                let f = loaded.findings.into_iter().find(|f| f.is_error());
                share.notice.set(Some(LinkNotice::Damaged {
                    message: f
                        .as_ref()
                        .map(|f| f.message.clone())
                        .unwrap_or_else(|| "the link does not hold a plan".into()),
                    fix: f.and_then(|f| f.fix),
                }));
            }
        }
    });
}

/// Provides the share state and opens the link the page was opened with (call once the store
/// holds the saved plan).
pub fn provide_share(store: Store) -> ShareUi {
    let share = ShareUi {
        popover: RwSignal::new(None),
        notice: RwSignal::new(None),
        busy: RwSignal::new(false),
        shared_at: StoredValue::new(None),
    };
    provide_context(share);
    open_from_url(store, share);
    // A link pasted into the address bar of an open page only changes the fragment.
    let _ = window_event_listener(ev::hashchange, move |_| open_from_url(store, share));
    // A fragment written by Share goes once the plan changes (an effect: it syncs the URL).
    Effect::new(move |_| {
        let revision = store.revision().get();
        if share.shared_at.get_value().is_some_and(|at| at != revision) {
            share.shared_at.set_value(None);
            share.popover.set(None);
            if let Some(base) = base_url() {
                replace_url(&base);
            }
        }
    });
    share
}

pub fn use_share() -> ShareUi {
    expect_context::<ShareUi>()
}

/// Copies `text` to the clipboard; false when the browser refuses (no permission, no API).
async fn copy(text: &str) -> bool {
    let Some(nav) = web_sys::window().map(|w| w.navigator()) else {
        return false;
    };
    let has = js_sys::Reflect::get(&nav, &"clipboard".into())
        .map(|c| !c.is_undefined() && !c.is_null())
        .unwrap_or(false);
    if !has {
        return false;
    }
    wasm_bindgen_futures::JsFuture::from(nav.clipboard().write_text(text))
        .await
        .is_ok()
}

#[component]
pub fn ShareButton() -> impl IntoView {
    let store = use_store();
    let share = use_share();
    let click = move |_| {
        if share.busy.get_untracked() {
            return;
        }
        let revision = store.revision().get_untracked();
        let plan = store.plan().with_untracked(|p| p.to_json());
        share.busy.set(true);
        // The engine worker compresses the plan (not part of the page's first load).
        spawn_local(async move {
            let answer = worker::call(protocol::share::PACK, &protocol::share::Pack { plan }).await;
            share.busy.set(false);
            if store.revision().get_untracked() != revision {
                return; // the plan changed meanwhile: that link would not hold it
            }
            let fragment = match answer {
                Ok(v) => v["fragment"].as_str().unwrap_or_default().to_string(),
                Err(e) => {
                    share.popover.set(Some(Shared {
                        url: String::new(),
                        copied: None,
                        error: Some(e.message),
                    }));
                    return;
                }
            };
            let Some(base) = base_url() else { return };
            replace_url(&format!("{base}#{fragment}"));
            let url = location().and_then(|l| l.href().ok()).unwrap_or_default();
            share.shared_at.set_value(Some(revision));
            share.popover.set(Some(Shared {
                url: url.clone(),
                copied: None,
                error: None,
            }));
            let ok = copy(&url).await;
            share.popover.update(|p| {
                if let Some(p) = p.as_mut().filter(|p| p.url == url) {
                    p.copied = Some(ok);
                }
            });
        });
    };
    view! {
        <div class="share">
            <button
                type="button"
                data-testid="share"
                aria-expanded=move || share.popover.with(Option::is_some).to_string()
                aria-controls="share-popover"
                aria-busy=move || share.busy.get().to_string()
                title="Put the whole plan in the address (after #, never sent to a server) and copy the link"
                on:click=click
            >
                "Share"
            </button>
            <SharePopover />
        </div>
    }
}

#[component]
fn SharePopover() -> impl IntoView {
    let share = use_share();
    let input: NodeRef<leptos::html::Input> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(i) = input.get() {
            let _ = i.focus();
            i.select();
        }
    });
    move || {
        share.popover.get().map(|s| {
            let len = s.url.len();
            let status = match (&s.error, s.copied) {
                (Some(e), _) => format!("No link was made (the plan is as it was): {e}"),
                (None, None) => "Copying the link…".to_string(),
                (None, Some(true)) => "Link copied. Anyone who opens it sees this plan.".to_string(),
                (None, Some(false)) => {
                    "The browser did not let the page copy: select the link and copy it.".to_string()
                }
            };
            view! {
                <div id="share-popover" class="share-popover" role="dialog" aria-label="Share link" data-testid="share-popover">
                    <p role="status" data-testid="share-status">{status}</p>
                    <label class="visually-hidden" for="share-link">"Link to this plan"</label>
                    <input
                        id="share-link"
                        node_ref=input
                        data-testid="share-link"
                        type="text"
                        readonly
                        prop:value=s.url.clone()
                        on:focus=move |ev| {
                            if let Some(i) = ev
                                .target()
                                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                            {
                                i.select();
                            }
                        }
                    />
                    <p class="hint">
                        {format!(
                            "{} characters; the plan is in the part after #, which browsers do not send to servers.",
                            len,
                        )}
                    </p>
                    {(len > LONG_LINK)
                        .then(|| {
                            view! {
                                <p class="warn-text" data-testid="share-long">
                                    "This link is long: some chat and mail programs cut long links. Export JSON is safer for this plan."
                                </p>
                            }
                        })}
                    <button type="button" class="small" on:click=move |_| share.popover.set(None)>
                        "Close"
                    </button>
                </div>
            }
        })
    }
}

/// The banner about the link the page was opened with.
#[component]
pub fn LinkBanner() -> impl IntoView {
    let share = use_share();
    let ui = super::ui::use_ui();
    move || {
        share.notice.get().map(|n| {
            let kept = matches!(n, LinkNotice::Opened { replaced: Some(_), kept: true });
            let (class, kind, text) = match n {
                LinkNotice::Opened { replaced: None, .. } => (
                    "banner info",
                    "link-opened",
                    "Opened the plan from the link.".to_string(),
                ),
                LinkNotice::Opened {
                    replaced: Some(what),
                    kept: true,
                } => (
                    "banner info",
                    "link-opened",
                    format!(
                        "Opened the plan from the link. It replaces {what}, which is kept in Import › Recent plans (Undo, Ctrl+Z, also brings it back)."
                    ),
                ),
                LinkNotice::Opened {
                    replaced: Some(what),
                    kept: false,
                } => (
                    "banner info",
                    "link-opened",
                    format!(
                        "Opened the plan from the link. It replaces {what}: Undo (Ctrl+Z) brings that back."
                    ),
                ),
                LinkNotice::Same => (
                    "banner info",
                    "link-same",
                    "The link holds the plan that is already open.".to_string(),
                ),
                LinkNotice::Damaged { message, fix } => (
                    "banner warn",
                    "link-damaged",
                    format!(
                        "The link could not be opened: {message}.{} The plan that was open stays.",
                        fix.map(|f| format!(" Fix: {f}.")).unwrap_or_default()
                    ),
                ),
            };
            view! {
                <div class=class role="status" data-testid="link-banner" data-kind=kind>
                    <p>{text}</p>
                    <div class="banner-actions">
                        {kept.then(|| view! {
                            <button type="button" data-testid="link-recent" on:click=move |_| ui.import_open.set(true)>
                                "Recent plans"
                            </button>
                        })}
                        <button type="button" on:click=move |_| share.notice.set(None)>
                            "Dismiss"
                        </button>
                    </div>
                </div>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banners_say_what_a_link_replaced() {
        assert_eq!(replaced_text(&Origin::Default), None);
        assert_eq!(
            replaced_text(&Origin::Saved).as_deref(),
            Some("the plan saved in this browser")
        );
        assert_eq!(
            replaced_text(&Origin::Pasted).as_deref(),
            Some("the plan that was open (the pasted text)")
        );
    }
}
