//! A zone's lane on the moment board. On a big cluster (more than [`WINDOW_ABOVE`] instances)
//! only the cards in and near the view are on the page, as on the plan's board
//! ([`crate::components::deferred`]): the first drawn card's top margin and the last one's
//! bottom margin (`--above`, `--below` on the lane) stand for the cards not drawn, so the lane
//! is as tall as all its cards and the scrollbar is right. Heights are measured once drawn (by
//! the card's key) and estimated from the engine's task count of a card not drawn yet.
//!
//! Why: the quota plan's moment board drew all its 1 500–5 000 cards, and a scrub step built
//! and wrote every card whose key changed (most of them, when target tracking starts and stops
//! tasks everywhere): 4–5 steps a second. A step now builds and writes only the drawn cards
//! whose key changed; cards out of view cost a key compare.

use std::collections::HashMap;
use std::sync::Arc;

use engine::api::sim::CardKey;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::moment_board::View;
use super::RunRef;
use crate::components::deferred::{self, register, schedule, unregister, Heights, Write};

/// Moment boards with more instances than this draw a window of their cards. Higher than the
/// plan board's ([`deferred::VIRTUAL_ABOVE`]): a moment's card is read-only HTML with no
/// listener or signal of its own, and `time_view`'s 80-instance deployment scrubs drawn whole
/// with ~1 ms of script a step (median), every task on the page for find-in-page and assistive
/// technology.
pub const WINDOW_ABOVE: usize = 200;

/// Whether a moment board of `instances` instances draws a window of its cards.
pub fn windowed(instances: usize) -> bool {
    instances > WINDOW_ABOVE
}

/// A card to draw: the key of what it shows, its number of tasks (for its height) and its HTML.
#[derive(Clone, Debug)]
pub struct Card {
    pub key: u64,
    pub tasks: usize,
    pub html: Arc<str>,
}

impl PartialEq for Card {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

/// The cards `[lo, hi)` of a lane whose keys are `keys` (the range clamped to them): a card in
/// `prev` (drawn before, in the same run) keeps its HTML when its key is the same, the others
/// are built by `make`. Only the cards in the range are built: a scrub step costs the window.
pub fn cards_in(
    prev: &[Card],
    keys: &[CardKey],
    (lo, hi): (usize, usize),
    make: impl Fn(&CardKey) -> String,
) -> Vec<Card> {
    let hi = hi.min(keys.len());
    let lo = lo.min(hi);
    let old: HashMap<u64, &Arc<str>> = prev.iter().map(|c| (c.key, &c.html)).collect();
    keys[lo..hi]
        .iter()
        .map(|c| Card {
            key: c.key,
            tasks: c.tasks,
            html: old
                .get(&c.key)
                .map_or_else(|| Arc::from(make(c)), |h| Arc::clone(h)),
        })
        .collect()
}

/// The drawn cards of a lane, and the run they belong to (keys hold within one run).
#[derive(Clone, PartialEq)]
struct Shown {
    run: RunRef,
    cards: Vec<Card>,
}

/// One zone's instances at the moment; `heights` are the moment board's (per run).
#[component]
pub fn MomentLane(
    az: String,
    view: Memo<Option<View>>,
    windowed: Memo<bool>,
    heights: StoredValue<Heights>,
) -> impl IntoView {
    let keys = {
        let az = az.clone();
        Memo::new(move |_| {
            view.with(|v| {
                v.as_ref()
                    .and_then(|v| v.lanes.iter().find(|l| l.az == az))
                    .map(|l| l.cards.clone())
                    .unwrap_or_default()
            })
        })
    };
    let vh = || {
        web_sys::window()
            .and_then(|w| w.inner_height().ok())
            .and_then(|v| v.as_f64())
            .unwrap_or(800.0)
    };
    // The first screen is drawn first (as many cards as could fill it), the rest of the window
    // in the frames after, as on the plan's board.
    let win = RwSignal::new((0usize, (vh() / 120.0) as usize + 1));
    let shown = Memo::new(move |prev: Option<&Option<Shown>>| {
        let range = if windowed.get() {
            win.get()
        } else {
            (0, usize::MAX)
        };
        // The view, not only this lane's keys: a new run may give a lane the same keys for
        // other cards (keys hold within one run).
        keys.with_untracked(|ks| {
            view.with(|v| {
                let v = v.as_ref()?;
                let prev = prev
                    .and_then(Option::as_ref)
                    .filter(|p| p.run == v.run)
                    .map_or(&[][..], |p| p.cards.as_slice());
                Some(Shown {
                    run: v.run.clone(),
                    cards: cards_in(prev, ks, range, |c| v.card_html(c)),
                })
            })
        })
    });
    let margins = StoredValue::new((0.0f64, 0.0f64));
    let section = NodeRef::<leptos::html::Section>::new();
    let offsets = move || {
        keys.with_untracked(|ks| {
            heights.with_value(|h| h.offsets(ks.iter().map(|c| (c.key, c.tasks))))
        })
    };
    let set_margins = move |m: (f64, f64)| {
        let Some(sec) = section.get_untracked() else {
            return;
        };
        if margins.get_value() != m {
            margins.set_value(m);
            let _ = sec.set_attribute("style", &format!("--above:{}px;--below:{}px", m.0, m.1));
        }
    };
    // Where the lane's first card starts, in the view's coordinates (below the title).
    let origin = move || {
        section
            .get_untracked()
            .and_then(|s| s.first_element_child())
            .map(|t| t.get_bounding_client_rect().bottom() + deferred::GAP)
    };
    // Measures the cards drawn and works out the window the view needs (reads the page only);
    // gives what draws it (writes), which says whether the window changed.
    let measure = move || -> Option<Write> {
        if !windowed.get_untracked() {
            return None;
        }
        let (Some(sec), Some(y)) = (section.get_untracked(), origin()) else {
            return None;
        };
        if let Ok(list) = sec.query_selector_all(":scope > .card-slot") {
            shown.with_untracked(|s| {
                let Some(s) = s else { return };
                heights.update_value(|h| {
                    for (i, c) in s.cards.iter().enumerate() {
                        let Some(slot) = list
                            .item(i as u32)
                            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                        else {
                            break;
                        };
                        // The page may not hold the window yet: only a card of the same key.
                        if slot.get_attribute("data-key") != Some(c.key.to_string()) {
                            continue;
                        }
                        if let Some(card) = slot.first_element_child() {
                            h.record(c.key, c.tasks, card.get_bounding_client_rect().height());
                        }
                    }
                });
            });
        }
        let offs = offsets();
        let end = offs.len() - 1;
        let (lo, hi) = deferred::window(&offs, -y - deferred::MARGIN, -y + vh() + deferred::MARGIN);
        let m = (offs[lo.min(end)], offs[end] - offs[hi.min(end)]);
        Some(Box::new(move || {
            set_margins(m);
            if win.get_untracked() != (lo, hi) {
                win.set((lo, hi));
                return true;
            }
            false
        }))
    };
    let id = register(std::rc::Rc::new(measure));
    Effect::new(move |_| {
        keys.track();
        if windowed.get() {
            schedule();
        } else if margins.get_value() != (0.0, 0.0) {
            set_margins((0.0, 0.0));
        }
    });
    let on_scroll = window_event_listener(leptos::ev::scroll, move |_| {
        if windowed.get_untracked() {
            schedule();
        }
    });
    on_cleanup(move || {
        on_scroll.remove();
        unregister(id);
    });
    let n = move || keys.with(Vec::len);
    view! {
        <section
            node_ref=section
            class="lane"
            data-testid="moment-lane"
            data-az=az.clone()
            aria-label=format!("Availability Zone {az}")
        >
            <h3 class="lane-title">
                <span>{az.clone()}</span>
                <span class="count">{n}</span>
            </h3>
            <For
                each=move || shown.with(|s| s.as_ref().map(|s| s.cards.clone()).unwrap_or_default())
                key=|c| c.key
                children=|c| {
                    view! { <div class="card-slot" data-key=c.key.to_string() inner_html=c.html.to_string()></div> }
                }
            />
            {move || (n() == 0).then(|| view! { <p class="empty">"No instances at this moment."</p> })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(instance: usize, key: u64, tasks: usize) -> CardKey {
        CardKey {
            instance,
            key,
            tasks,
        }
    }

    #[test]
    fn a_window_builds_only_its_new_cards() {
        let keys: Vec<CardKey> = (0..10).map(|i| key(i, 100 + i as u64, i)).collect();
        let make = |c: &CardKey| format!("card {} {}", c.instance, c.key);
        let all = cards_in(&[], &keys, (0, usize::MAX), make);
        assert_eq!(all.len(), 10);
        assert_eq!(&*all[3].html, "card 3 103");
        assert_eq!(all[3].tasks, 3);
        // A window keeps the HTML of the cards drawn before with the same key, builds the rest.
        let built = std::cell::Cell::new(0);
        let counted = |c: &CardKey| {
            built.set(built.get() + 1);
            make(c)
        };
        let mut changed = keys.clone();
        changed[5].key = 999;
        let w = cards_in(&all[2..6], &changed, (4, 8), counted);
        assert_eq!(
            w.iter().map(|c| c.key).collect::<Vec<_>>(),
            [104, 999, 106, 107]
        );
        assert_eq!(built.get(), 3, "card 4 was drawn with the same key");
        assert_eq!(&*w[1].html, "card 5 999");
        // Out of range: clamped, never a panic.
        assert!(cards_in(&all, &keys, (20, 30), make).is_empty());
        assert_eq!(cards_in(&all, &keys, (8, 3), make).len(), 0);
        assert_eq!(cards_in(&all, &keys, (8, 300), make).len(), 2);
        assert!(!windowed(WINDOW_ABOVE) && windowed(WINDOW_ABOVE + 1));
    }
}
