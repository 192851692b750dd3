//! The placement strategy chain: ECS ranks instances by the first strategy, breaks its ties
//! with the second, and so on, so the order matters. Each strategy has a type and a field
//! (checked by the engine's `strategy-field` rule, shown next to it); the chain is reordered by
//! dragging a handle (pointer events: mouse, pen, touch and WebDriver's pointer actions) or from
//! the keyboard (Alt+Arrow up/down on a strategy, or its Move up/Move down buttons). Each
//! change is one `SetPlacementStrategy` edit.

use engine::api::plan::{PlacementStrategy, PlacementStrategyType};
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::model::{drop_index, field_for, move_item, strategy_fields, strategy_text};
use super::FieldFindings;
use crate::store::use_store;

/// At most five strategies per service or task (the API's limit).
const MAX_STRATEGIES: usize = 5;

const KINDS: [(PlacementStrategyType, &str); 3] = [
    (PlacementStrategyType::Spread, "spread"),
    (PlacementStrategyType::Binpack, "binpack"),
    (PlacementStrategyType::Random, "random"),
];

fn kind_name(k: PlacementStrategyType) -> &'static str {
    KINDS
        .iter()
        .find(|(x, _)| *x == k)
        .map_or("spread", |(_, n)| n)
}

/// A drag in progress: the item's index and where it would land.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Drag {
    from: usize,
    to: usize,
    pointer: i32,
}

/// The chain. `items` is the plan's; `on_change` gets the new chain and what changed.
#[component]
pub fn StrategyChain(
    items: Signal<Vec<PlacementStrategy>>,
    on_change: Callback<(Vec<PlacementStrategy>, String)>,
    /// Key prefix of the findings (`placementStrategy`).
    base: &'static str,
) -> impl IntoView {
    let store = use_store();
    let count = Memo::new(move |_| items.with(Vec::len));
    let drag = RwSignal::new(None::<Drag>);
    let list: NodeRef<leptos::html::Ol> = NodeRef::new();

    // Moves `from` to `to`, says so, and puts the focus on the moved item's handle.
    let move_to = move |from: usize, to: usize| {
        let mut v = items.get_untracked();
        if from >= v.len() || to >= v.len() || from == to {
            return;
        }
        let what = strategy_text(&v[from]);
        move_item(&mut v, from, to);
        on_change.run((v, format!("moved {what} to position {}", to + 1)));
        request_animation_frame(move || {
            // The chain may be gone by then (the editor closed).
            if let Some(l) = list.try_get_untracked().flatten() {
                let sel = format!("[data-testid=strategy-item][data-index='{to}'] .handle");
                if let Ok(Some(h)) = l.query_selector(&sel) {
                    if let Ok(h) = h.dyn_into::<web_sys::HtmlElement>() {
                        let _ = h.focus();
                    }
                }
            }
        });
    };

    // The drag follows the pointer anywhere on the page.
    let middles = move || -> Vec<f64> {
        let Some(l) = list.get_untracked() else {
            return Vec::new();
        };
        let Ok(nodes) = l.query_selector_all("[data-testid=strategy-item]") else {
            return Vec::new();
        };
        (0..nodes.length())
            .filter_map(|i| nodes.item(i)?.dyn_into::<web_sys::Element>().ok())
            .map(|e| {
                let r = e.get_bounding_client_rect();
                r.top() + r.height() / 2.0
            })
            .collect()
    };
    let on_move = window_event_listener(ev::pointermove, move |ev| {
        let Some(d) = drag.get_untracked() else {
            return;
        };
        if ev.pointer_id() != d.pointer {
            return;
        }
        ev.prevent_default();
        let to = drop_index(&middles(), d.from, ev.client_y() as f64);
        if to != d.to {
            drag.set(Some(Drag { to, ..d }));
        }
    });
    let on_up = window_event_listener(ev::pointerup, move |ev| {
        let Some(d) = drag.get_untracked() else {
            return;
        };
        if ev.pointer_id() != d.pointer {
            return;
        }
        let to = drop_index(&middles(), d.from, ev.client_y() as f64);
        drag.set(None);
        move_to(d.from, to);
    });
    let on_cancel = window_event_listener(ev::pointercancel, move |_| drag.set(None));
    let on_escape = window_event_listener(ev::keydown, move |ev| {
        if ev.key() == "Escape" && drag.get_untracked().is_some() {
            drag.set(None);
        }
    });
    on_cleanup(move || {
        on_move.remove();
        on_up.remove();
        on_cancel.remove();
        on_escape.remove();
    });

    let set_item = move |i: usize, s: PlacementStrategy, what: String| {
        let mut v = items.get_untracked();
        if let Some(x) = v.get_mut(i) {
            *x = s;
            on_change.run((v, what));
        }
    };
    let add = move |_: leptos::ev::MouseEvent| {
        let mut v = items.get_untracked();
        let s = PlacementStrategy {
            kind: PlacementStrategyType::Spread,
            field: Some(if v.is_empty() {
                "attribute:ecs.availability-zone".into()
            } else {
                "instanceId".into()
            }),
        };
        let what = format!("added {}", strategy_text(&s));
        v.push(s);
        on_change.run((v, what));
    };

    let item = move |i: usize| {
        let s = Memo::new(move |_| items.with(|v| v.get(i).cloned()));
        let text = move || s.with(|s| s.as_ref().map(strategy_text).unwrap_or_default());
        let kind = move || s.with(|s| s.as_ref().map(|s| s.kind));
        let field = move || {
            s.with(|s| s.as_ref().and_then(|s| s.field.clone()))
                .unwrap_or_default()
        };
        let list_id = format!("strategy-fields-{i}");
        let field_id = format!("strategy-field-{i}");
        let options = move || {
            let k = kind().unwrap_or(PlacementStrategyType::Spread);
            store
                .plan()
                .with(|p| strategy_fields(k, p))
                .into_iter()
                .map(|f| view! { <option value=f.clone()></option> })
                .collect_view()
        };
        let change_kind = move |ev: leptos::ev::Event| {
            let name = event_target_value(&ev);
            let Some((k, _)) = KINDS.iter().find(|(_, n)| *n == name) else {
                return;
            };
            let Some(old) = s.get_untracked() else { return };
            let new = PlacementStrategy {
                kind: *k,
                field: field_for(*k, old.field.as_deref()),
            };
            let what = format!("changed {} to {}", strategy_text(&old), strategy_text(&new));
            set_item(i, new, what);
        };
        let change_field = move |ev: leptos::ev::Event| {
            let f = event_target_value(&ev).trim().to_string();
            let Some(old) = s.get_untracked() else { return };
            let new = PlacementStrategy {
                kind: old.kind,
                field: (!f.is_empty()).then_some(f),
            };
            if new != old {
                let what = format!("changed {} to {}", strategy_text(&old), strategy_text(&new));
                set_item(i, new, what);
            }
        };
        let remove = move |_: leptos::ev::MouseEvent| {
            let mut v = items.get_untracked();
            if i < v.len() {
                let what = format!("removed {}", strategy_text(&v[i]));
                v.remove(i);
                on_change.run((v, what));
            }
        };
        let keydown = move |ev: leptos::ev::KeyboardEvent| {
            if !ev.alt_key() {
                return;
            }
            let to = match ev.key().as_str() {
                "ArrowUp" if i > 0 => i - 1,
                "ArrowDown" if i + 1 < count.get_untracked() => i + 1,
                "ArrowUp" | "ArrowDown" => {
                    ev.prevent_default();
                    return;
                }
                _ => return,
            };
            ev.prevent_default();
            move_to(i, to);
        };
        let pointerdown = move |ev: leptos::ev::PointerEvent| {
            if ev.button() != 0 || !ev.is_primary() {
                return;
            }
            // No text selection or focus change while dragging.
            ev.prevent_default();
            drag.set(Some(Drag {
                from: i,
                to: i,
                pointer: ev.pointer_id(),
            }));
        };
        let dragging = move || drag.get().is_some_and(|d| d.from == i);
        let drop_before = move || {
            drag.get()
                .is_some_and(|d| d.to != d.from && d.to == i && d.to < d.from)
        };
        let drop_after = move || {
            drag.get()
                .is_some_and(|d| d.to != d.from && d.to == i && d.to > d.from)
        };
        let label = move || format!("Strategy {} of {}: {}", i + 1, count.get(), text());
        view! {
            <li
                class="strategy-item"
                class:dragging=dragging
                class:drop-before=drop_before
                class:drop-after=drop_after
                data-testid="strategy-item"
                data-index=i
                data-strategy=text
                aria-label=label
                on:keydown=keydown
            >
                <button
                    type="button"
                    class="handle"
                    data-testid="strategy-handle"
                    aria-label=move || format!("Move {} (drag, or Alt+Arrow up and down)", text())
                    title="Drag to reorder (or Alt+Arrow up/down)"
                    on:pointerdown=pointerdown
                >
                    "⠿"
                </button>
                <span class="rank" aria-hidden="true">{i + 1}</span>
                <select
                    aria-label="Strategy type"
                    data-testid="strategy-type"
                    prop:value=move || kind().map(kind_name).unwrap_or("spread")
                    on:change=change_kind
                >
                    {KINDS.iter().map(|(_, n)| view! { <option value=*n>{*n}</option> }).collect_view()}
                </select>
                <input
                    id=field_id
                    type="text"
                    class="strategy-field"
                    data-testid="strategy-field"
                    aria-label="Field"
                    list=list_id.clone()
                    placeholder=move || if kind() == Some(PlacementStrategyType::Random) { "(no field)" } else { "field" }
                    disabled=move || kind() == Some(PlacementStrategyType::Random) && field().is_empty()
                    prop:value=field
                    on:change=change_field
                />
                <datalist id=list_id>{options}</datalist>
                <span class="item-buttons">
                    <button
                        type="button"
                        class="small"
                        data-testid="strategy-up"
                        aria-label=move || format!("Move {} up", text())
                        disabled=move || i == 0
                        on:click=move |_| move_to(i, i.saturating_sub(1))
                    >
                        "↑"
                    </button>
                    <button
                        type="button"
                        class="small"
                        data-testid="strategy-down"
                        aria-label=move || format!("Move {} down", text())
                        disabled=move || { i + 1 >= count.get() }
                        on:click=move |_| move_to(i, i + 1)
                    >
                        "↓"
                    </button>
                    <button
                        type="button"
                        class="small"
                        data-testid="strategy-remove"
                        aria-label=move || format!("Remove {}", text())
                        on:click=remove
                    >
                        "✕"
                    </button>
                </span>
                <div class="item-findings">
                    <FieldFindings at=format!("{base}[{i}]") />
                    <FieldFindings at=format!("{base}[{i}].field") />
                </div>
            </li>
        }
    };

    view! {
        <div class="strategy-chain" class:is-dragging=move || drag.get().is_some()>
            <FieldFindings at=base />
            {move || {
                (count.get() == 0)
                    .then(|| {
                        view! {
                            <p class="empty">
                                "No strategy: ECS uses its default (spread across Availability Zones, then instances)."
                            </p>
                        }
                    })
            }}
            <ol class="strategies" node_ref=list data-testid="strategies" aria-label="Placement strategies, first ranks first">
                <For each=move || 0..count.get() key=|i| *i children=item />
            </ol>
            <button
                type="button"
                class="small"
                data-testid="strategy-add"
                disabled=move || { count.get() >= MAX_STRATEGIES }
                on:click=add
            >
                "Add strategy"
            </button>
        </div>
    }
}
