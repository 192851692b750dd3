//! The query editor of a `memberOf` constraint: the cluster query language parsed on every
//! keystroke (only the expression: the engine's parser is cheap), the error's span underlined
//! in the box itself, and what was expected, what was found and the hint underneath. The
//! expression reaches the plan (one named edit) when it parses and the user presses Enter or
//! leaves the box.

use engine::api::cql::{self, ParseError};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::model::split_span;

/// The query box. `value` is the expression in the plan; `on_commit` gets a new expression that
/// parses.
#[component]
pub fn QueryEditor(
    value: Signal<String>,
    on_commit: Callback<String>,
    #[prop(into)] id: String,
) -> impl IntoView {
    let text = RwSignal::new(value.get_untracked());
    // The plan changed under the box (undo, redo, a fix): show what it has now.
    Effect::new(move |prev: Option<String>| {
        let v = value.get();
        if prev.as_ref().is_some_and(|p| *p != v) {
            text.set(v.clone());
        }
        v
    });
    let parsed: Memo<Result<(), ParseError>> =
        Memo::new(move |_| text.with(|t| cql::parse(t).map(|_| ())));
    let backdrop: NodeRef<leptos::html::Div> = NodeRef::new();
    let sync = move |target: Option<web_sys::EventTarget>| {
        let Some(input) = target.and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(b) = backdrop.get_untracked() {
            b.set_scroll_left(input.scroll_left());
        }
    };
    let commit = move || {
        let t = text.get_untracked();
        if parsed.with_untracked(Result::is_ok) && t != value.get_untracked() {
            on_commit.run(t);
        }
    };
    let message_id = format!("{id}-message");

    view! {
        <div class="cql" data-testid="cql-editor">
            <div class="cql-box" class:invalid=move || parsed.with(Result::is_err)>
                <div class="cql-backdrop" aria-hidden="true" node_ref=backdrop>
                    {move || {
                        let t = text.get();
                        match parsed.get() {
                            Ok(()) => view! { <span>{t}</span> }.into_any(),
                            Err(e) => {
                                let (before, marked, after) = split_span(&t, e.column, e.width);
                                let empty = marked.is_empty();
                                view! {
                                    <span>{before}</span>
                                    <mark class="cql-error" class:at-end=empty data-testid="cql-error-span">
                                        {if empty { " ".to_string() } else { marked }}
                                    </mark>
                                    <span>{after}</span>
                                }
                                    .into_any()
                            }
                        }
                    }}
                </div>
                <input
                    id=id.clone()
                    type="text"
                    class="cql-input"
                    data-testid="cql-input"
                    spellcheck="false"
                    autocomplete="off"
                    placeholder="attribute:ecs.instance-type =~ t3.*"
                    aria-invalid=move || parsed.with(Result::is_err).to_string()
                    aria-describedby=message_id.clone()
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        text.set(event_target_value(&ev));
                        sync(ev.target());
                    }
                    on:keyup=move |ev| sync(ev.target())
                    on:click=move |ev| sync(ev.target())
                    on:scroll=move |ev| sync(ev.target())
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                            commit();
                        }
                    }
                    on:change=move |_| commit()
                />
            </div>
            <p class="cql-message" id=message_id data-testid="cql-message">
                {move || match parsed.get() {
                    Ok(()) => {
                        let pending = text.get() != value.get();
                        view! {
                            <span class="ok">
                                {if pending {
                                    "Parses. Press Enter or leave the box to apply it."
                                } else {
                                    "Parses."
                                }}
                            </span>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <ErrorText e /> }.into_any(),
                }}
            </p>
        </div>
    }
}

/// `column 29: expected an operator (...), found "is"`, then the hint, then that the plan keeps
/// the last expression that parsed.
#[component]
fn ErrorText(e: ParseError) -> impl IntoView {
    let found = if e.found == ParseError::END_OF_INPUT {
        e.found.clone()
    } else {
        format!("\"{}\"", e.found)
    };
    view! {
        <span class="bad" data-testid="cql-error" data-column=e.column data-width=e.width>
            <strong>{format!("Column {}: ", e.column)}</strong>
            {format!("expected {}, found {found}.", e.expected)}
        </span>
        {e.hint.map(|h| view! { <span class="hint-text" data-testid="cql-hint">{format!(" {h}")}</span> })}
        <span class="sub">"Not applied until it parses; the plan keeps the last expression that did."</span>
    }
}
