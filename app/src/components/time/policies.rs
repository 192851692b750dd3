//! Scaling policy cards: target tracking (CPU, memory, ALB requests per target), step scaling
//! and a scheduled action, as the engine builds them ([`CardKind::edit`]). Drag a card onto a
//! service (or press Enter on it, choose the service with the arrow keys, Enter again) to
//! attach it: one named, undoable edit, after which the time view runs again. Each service
//! lists what is attached, with a button to remove it ([`Edit::RemoveScaling`]).
//!
//! The services are drop targets of kind `service` (see `drag.rs`), so any other list of
//! services on the page that offers the same targets takes cards too.

use crate::selector;
use engine::api::edit::{attached, AttachedKind, CardKind, Edit, ServiceScaling, CARDS};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::drag::{use_drags, Source};
use crate::store::{use_store, Command, Store};

/// The drag of a card: dropping it on a service attaches it there.
fn card_source(store: Store, card: CardKind) -> Source {
    Source::new(
        "scaling-card",
        card.id(),
        card.title(),
        &["service"],
        move |d, t| {
            let Some(card) = CardKind::from_id(&d.value) else {
                return;
            };
            let edit = store.with_plan(|p| card.edit(p, &t.value));
            store.execute(Command::Edit(edit));
        },
    )
    .refocus(selector::attr("data-card", card.id()))
}

#[component]
pub fn PolicyCards() -> impl IntoView {
    let store = use_store();
    let plan = store.plan();
    let services = Memo::new(move |_| plan.with(attached));
    let names = Memo::new(move |_| {
        services.with(|s| s.iter().map(|s| s.service.clone()).collect::<Vec<_>>())
    });
    view! {
        <section class="policy-cards" aria-labelledby="policy-cards-title" data-testid="policy-cards">
            <h3 id="policy-cards-title">"Scaling policies"</h3>
            <p class="hint" id="policy-cards-hint">
                "Drag a card onto a service to attach it; or press Enter on a card, choose the service with the arrow keys and press Enter. The simulation runs again."
            </p>
            <ul class="policy-palette" aria-label="Policy cards" aria-describedby="policy-cards-hint">
                {CARDS.into_iter().map(|card| view! { <Card card /> }).collect_view()}
            </ul>
            <ul class="policy-services" aria-label="Services">
                {move || {
                    names
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, name)| view! { <ServiceTarget services index=i name /> })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}

#[component]
fn Card(card: CardKind) -> impl IntoView {
    let store = use_store();
    let drags = use_drags();
    let picked = move || {
        drags
            .dragged()
            .is_some_and(|(d, _)| d.kind == "scaling-card" && d.value == card.id())
    };
    view! {
        <li>
            <button
                type="button"
                class="policy-card drag-handle"
                class:dragging=picked
                data-testid="policy-card"
                data-card=card.id()
                aria-label=format!("{}: {}", card.title(), card.detail())
                on:pointerdown=move |ev| drags.pointer_down(&ev, card_source(store, card))
                on:click=move |ev| {
                    let from = ev
                        .current_target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                    drags.pick(card_source(store, card), from);
                }
            >
                <span class="policy-title">{card.title()}</span>
                <span class="policy-detail">{card.detail()}</span>
            </button>
        </li>
    }
}

#[component]
fn ServiceTarget(services: Memo<Vec<ServiceScaling>>, index: usize, name: String) -> impl IntoView {
    let store = use_store();
    let drags = use_drags();
    let accepting = move || drags.accepting("service");
    let over = {
        let name = name.clone();
        move || drags.is_over("service", &name)
    };
    let me = move || services.with(|s| s.get(index).cloned());
    let range = move || {
        me().map(|s| match s.range {
            Some((lo, hi)) => format!("{lo}–{hi} tasks"),
            None => "no auto scaling".to_string(),
        })
    };
    // Policies that watch a metric need load to act on.
    let no_load = move || {
        me().filter(|s| !s.has_load && s.items.iter().any(|a| a.kind != AttachedKind::Scheduled))
            .map(|_| {
                view! {
                    <p class="hint no-load" data-testid="policy-no-load">
                        "No load in the workload: target tracking and step scaling have no metric data here and do nothing."
                    </p>
                }
            })
    };
    let items = {
        let name = name.clone();
        move || {
            let s = me()?;
            if s.items.is_empty() {
                return Some(
                    view! { <li class="hint">"Nothing attached: its desired count stays as set."</li> }
                        .into_any(),
                );
            }
            let name = name.clone();
            Some(
                s.items
                    .into_iter()
                    .map(|a| {
                        let service = name.clone();
                        let policy = a.name.clone();
                        let remove = move |_| {
                            store.execute(Command::Edit(Edit::RemoveScaling {
                                service: service.clone(),
                                name: policy.clone(),
                            }))
                        };
                        view! {
                            <li class="attached" data-testid="attached-policy" data-name=a.name.clone()>
                                <span class="attached-name">{a.name.clone()}</span>
                                <span class="attached-kind">{a.kind.label()}</span>
                                <span class="attached-detail">{a.detail.clone()}</span>
                                <button
                                    type="button"
                                    class="remove"
                                    data-testid="remove-policy"
                                    aria-label=format!("Remove {} from {}", a.name, name)
                                    on:click=remove
                                >
                                    "Remove"
                                </button>
                            </li>
                        }
                    })
                    .collect_view()
                    .into_any(),
            )
        }
    };
    view! {
        <li
            class="policy-service"
            class:drop-ok=accepting
            class:drop-over=over
            tabindex="-1"
            data-testid="policy-service"
            data-service=name.clone()
            data-drop-kind="service"
            data-drop-value=name.clone()
            data-drop-label=format!("service {name}")
            aria-label=format!("Service {name}: drop a scaling policy card here to attach it")
        >
            <div class="policy-service-head">
                <span class="policy-service-name">{name.clone()}</span>
                <span class="policy-service-range">{range}</span>
            </div>
            <ul class="attached-list" aria-label=format!("Attached to {name}")>
                {items}
            </ul>
            {no_load}
        </li>
    }
}
