//! Big clusters: an instance card's bars and tasks are written into the page only when the card
//! comes near the view.
//!
//! Why: when an edit re-places thousands of tasks (instance-level spread reshuffles them all),
//! every card changes, and writing megabytes of HTML for cards nobody can see is most of the
//! redraw (10 000 tasks: ~1 KB of HTML each). A card of a big board is drawn with its header, a
//! one-line summary and its buttons; what its body needs (the card and the family labels) waits
//! in a table under a key (`data-pending`) until one page observer sees the card within
//! [`MARGIN`] of the view; then `instance::body_html` writes it, with the highlights of the
//! last edit as they are then.
//!
//! Small boards (up to [`DEFER_ABOVE`] instances) are drawn whole: every task is reachable with
//! Tab and by assistive technology without scrolling. The board says when it defers.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;

use engine::api::board::InstanceCard;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};

use super::board::Changes;
use super::instance::body_html;

/// Boards with more instances than this draw card bodies as they come near the view.
pub const DEFER_ABOVE: usize = 60;

/// How far outside the view a card is drawn in advance (a fast scroll rarely sees a summary).
const MARGIN: &str = "1200px 0px";

thread_local! {
    static OBSERVER: RefCell<Option<IntersectionObserver>> = const { RefCell::new(None) };
    /// The selected task, so that a body drawn late marks its chip as pressed.
    static SELECTED: RefCell<Option<String>> = const { RefCell::new(None) };
    /// What the last edit did, so that a body drawn late shows the current highlights.
    static CHANGES: RefCell<Changes> = RefCell::new(Changes::default());
    /// What each waiting card body needs, by key.
    static PENDING: RefCell<HashMap<u64, Pending>> = RefCell::new(HashMap::new());
    static NEXT: Cell<u64> = const { Cell::new(1) };
}

/// What a card body is written from (with the highlights current when it is drawn).
pub struct Pending {
    pub card: Arc<InstanceCard>,
    pub fam_labels: Arc<Vec<String>>,
}

/// Keeps what a card body needs until it is drawn; the key goes in `data-pending`.
pub fn hold(p: Pending) -> u64 {
    let key = NEXT.with(|n| {
        let k = n.get();
        n.set(k + 1);
        k
    });
    PENDING.with(|m| m.borrow_mut().insert(key, p));
    key
}

/// Forgets a waiting body (its card left the page).
pub fn release(key: u64) {
    PENDING.with(|m| m.borrow_mut().remove(&key));
}

/// Whether a board of `instances` instances defers card bodies.
pub fn defers(instances: usize) -> bool {
    instances > DEFER_ABOVE
}

/// Remembers the selected task for bodies drawn later.
pub fn set_selected(id: Option<String>) {
    SELECTED.with(|s| *s.borrow_mut() = id);
}

/// Remembers what the last edit did for bodies drawn later.
pub fn set_changes(changes: Changes) {
    CHANGES.with(|c| *c.borrow_mut() = changes);
}

/// Draws the deferred body of `card` now (no-op when it has none).
pub fn fill(card: &Element) {
    let Ok(Some(part)) = card.query_selector("[data-pending]") else {
        return;
    };
    let key = part
        .get_attribute("data-pending")
        .and_then(|k| k.parse::<u64>().ok());
    let Some(p) = key.and_then(|k| PENDING.with(|m| m.borrow_mut().remove(&k))) else {
        return;
    };
    let changes = CHANGES.with(|c| c.borrow().clone());
    let html =
        SELECTED.with(|s| body_html(&p.card, &p.fam_labels, &changes, s.borrow().as_deref()));
    part.set_inner_html(&html);
    let _ = part.remove_attribute("data-pending");
}

fn observer() -> Option<IntersectionObserver> {
    OBSERVER.with(|o| {
        if let Some(obs) = o.borrow().as_ref() {
            return Some(obs.clone());
        }
        let callback = Closure::<dyn FnMut(js_sys::Array, IntersectionObserver)>::new(
            |entries: js_sys::Array, obs: IntersectionObserver| {
                for entry in entries.iter() {
                    let Ok(entry) = entry.dyn_into::<IntersectionObserverEntry>() else {
                        continue;
                    };
                    if entry.is_intersecting() {
                        let card = entry.target();
                        fill(&card);
                        obs.unobserve(&card);
                    }
                }
            },
        );
        let init = IntersectionObserverInit::new();
        init.set_root_margin(MARGIN);
        let obs = IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &init)
            .ok()?;
        // One observer for the life of the page.
        callback.forget();
        *o.borrow_mut() = Some(obs.clone());
        Some(obs)
    })
}

/// Watches `card` and draws its body when it comes near the view; without an observer (an old
/// browser) the body is drawn at once.
pub fn observe(card: &Element) {
    match observer() {
        Some(obs) => obs.observe(card),
        None => fill(card),
    }
}

/// Draws every deferred body on the page (before printing, or for a search of the page).
pub fn fill_all() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(list) = doc.query_selector_all("[data-testid=instance]:has([data-pending])") else {
        return;
    };
    for i in 0..list.length() {
        if let Some(card) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
            fill(&card);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_big_boards_defer() {
        assert!(!defers(4));
        assert!(!defers(DEFER_ABOVE));
        assert!(defers(DEFER_ABOVE + 1));
        assert!(defers(1_000));
    }
}
