//! Dragging, for every drag on the page: pointer events (mouse, pen, touch, and WebDriver's
//! pointer actions; ChromeDriver does not fire HTML5 drag-and-drop events) and the keyboard
//! equivalent of each drag.
//!
//! How to use it (see `palette.rs` and `instance.rs`):
//! - a **drop target** is any element with `data-drop-kind` and `data-drop-value` (and, for
//!   what the keyboard drag announces, `data-drop-label`), e.g. an Availability Zone lane:
//!   `data-drop-kind="zone" data-drop-value="us-east-1a"`;
//! - a **drag source** builds a [`Source`] (what is dragged, which target kinds accept it, what
//!   a drop does) and hands it to [`Drags::pointer_down`] from its `on:pointerdown`, and to
//!   [`Drags::pick`] from a click or key (the keyboard drag);
//! - while a drag is on, anything can read [`Drags::dragged`], [`Drags::accepting`] and
//!   [`Drags::is_over`] to show where a drop would work and why not.
//!
//! Pointer: the source captures the pointer (`setPointerCapture`), so the target under it is
//! found with `elementFromPoint` (the ghost that follows the pointer ignores pointer events);
//! a drag starts after the pointer moved 5 px, so a click stays a click, and the click that
//! ends a real drag is swallowed. Escape cancels.
//!
//! Keyboard: [`Drags::pick`] lists the accepting targets in page order and focuses the first;
//! arrow keys (or Tab) go to the next or previous one, Enter (or Space) drops, Escape cancels
//! and gives the focus back to the source. Clicking an accepting target also drops there. The
//! page's key handler (`shortcuts.rs`) passes every key to [`Drags::key`] first.

use crate::selector;
use std::cell::{Cell, RefCell};
use std::sync::Arc;

use gloo_events::{EventListener, EventListenerOptions, EventListenerPhase};
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// What is being dragged: a kind (`instance-type`, `instance`, `task`, ...), its value (the
/// type name, the instance id, ...) and a label for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dragged {
    pub kind: &'static str,
    pub value: String,
    pub label: String,
}

/// A drop target, read from its element's `data-drop-*` attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub kind: String,
    pub value: String,
    pub label: String,
}

/// What a drop does.
pub type OnDrop = Arc<dyn Fn(Dragged, Target) + Send + Sync>;

/// A drag source: what it drags, where it may be dropped, and what a drop does.
#[derive(Clone)]
pub struct Source {
    pub dragged: Dragged,
    /// The `data-drop-kind`s that accept it.
    pub accepts: &'static [&'static str],
    /// A target value not offered (an instance's own zone).
    pub exclude: Option<String>,
    pub on_drop: OnDrop,
    /// Where the focus goes after a keyboard drop when the source element is gone (it was
    /// re-rendered): a CSS selector.
    pub refocus: Option<String>,
}

impl Source {
    pub fn new(
        kind: &'static str,
        value: impl Into<String>,
        label: impl Into<String>,
        accepts: &'static [&'static str],
        on_drop: impl Fn(Dragged, Target) + Send + Sync + 'static,
    ) -> Source {
        Source {
            dragged: Dragged {
                kind,
                value: value.into(),
                label: label.into(),
            },
            accepts,
            exclude: None,
            on_drop: Arc::new(on_drop),
            refocus: None,
        }
    }

    pub fn exclude(mut self, value: impl Into<String>) -> Source {
        self.exclude = Some(value.into());
        self
    }

    pub fn refocus(mut self, selector: impl Into<String>) -> Source {
        self.refocus = Some(selector.into());
        self
    }

    fn accepts(&self, t: &Target) -> bool {
        self.accepts.contains(&t.kind.as_str()) && self.exclude.as_deref() != Some(&t.value)
    }
}

/// Pointer or keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Pointer,
    Keyboard,
}

/// How far (CSS px) the pointer moves before a press becomes a drag.
const THRESHOLD: f64 = 5.0;

#[derive(Default)]
struct Inner {
    source: Option<Source>,
    /// The pressed pointer: id and where it went down.
    pointer: Option<(i32, f64, f64)>,
    started: bool,
    /// Keyboard drag: the accepting targets in page order, and the current one.
    targets: Vec<Target>,
    index: usize,
    /// The click that follows the end of a pointer drag is not a click.
    swallow_click: bool,
}

thread_local! {
    /// The element a keyboard drag started from (focus goes back there). Not `Send`, so not
    /// in the reactive state.
    static SOURCE_ELEMENT: RefCell<Option<web_sys::Element>> = const { RefCell::new(None) };
    /// The keyboard drag's stops so far (a card still being drawn keeps the focus only while
    /// it is the current one).
    static STOP: Cell<u32> = const { Cell::new(0) };
}

/// The page's one drag at a time.
#[derive(Clone, Copy)]
pub struct Drags {
    active: RwSignal<Option<(Dragged, Mode)>>,
    over: RwSignal<Option<Target>>,
    /// The pointer's position while a pointer drag is on (for the ghost).
    pos: RwSignal<(f64, f64)>,
    /// Position in the keyboard drag's list: (1-based index, count).
    step: RwSignal<(usize, usize)>,
    inner: StoredValue<Inner>,
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// `"` and `\` escaped for a CSS attribute selector's quoted value.
fn target_of(el: &web_sys::Element) -> Option<Target> {
    let kind = el.get_attribute("data-drop-kind")?;
    let value = el.get_attribute("data-drop-value")?;
    let label = el
        .get_attribute("data-drop-label")
        .unwrap_or_else(|| value.clone());
    Some(Target { kind, value, label })
}

fn target_element(t: &Target) -> Option<web_sys::Element> {
    document()?
        .query_selector(&format!(
            "{}{}",
            selector::attr("data-drop-kind", &t.kind),
            selector::attr("data-drop-value", &t.value)
        ))
        .ok()
        .flatten()
}

/// Focuses the target of keyboard stop `stop` once its element is on the page (a card a
/// windowed lane draws in the next frame), and keeps the focus there for `frames` frames while
/// the lane's window settles (moving the card in the page takes its focus away), unless the
/// keyboard went on to another stop.
fn focus_when_drawn(t: Target, stop: u32, frames: u32) {
    request_animation_frame(move || {
        if STOP.with(Cell::get) != stop {
            return;
        }
        if let Some(el) = target_element(&t) {
            if document().and_then(|d| d.active_element()).as_ref() != Some(&el) {
                focus(&el);
            }
        }
        if frames > 0 {
            focus_when_drawn(t, stop, frames - 1);
        }
    });
}

fn focus(el: &web_sys::Element) {
    if let Some(h) = el.dyn_ref::<web_sys::HtmlElement>() {
        let _ = h.focus();
    }
}

/// The innermost element with a `data-drop-kind` the source accepts, from `el` outwards.
fn accepting_ancestor(el: Option<web_sys::Element>, source: &Source) -> Option<Target> {
    let mut cur = el?.closest("[data-drop-kind]").ok().flatten();
    while let Some(e) = cur {
        if let Some(t) = target_of(&e) {
            if source.accepts(&t) {
                return Some(t);
            }
        }
        cur = e
            .parent_element()
            .and_then(|p| p.closest("[data-drop-kind]").ok().flatten());
    }
    None
}

impl Drags {
    fn new() -> Drags {
        Drags {
            active: RwSignal::new(None),
            over: RwSignal::new(None),
            pos: RwSignal::new((0.0, 0.0)),
            step: RwSignal::new((0, 0)),
            inner: StoredValue::new(Inner::default()),
        }
    }

    /// What is being dragged, and how (tracked).
    pub fn dragged(&self) -> Option<(Dragged, Mode)> {
        self.active.get()
    }

    /// Whether something that drops on `kind` is being dragged (tracked).
    pub fn accepting(&self, kind: &str) -> bool {
        self.active.with(|a| a.is_some())
            && self
                .inner
                .with_value(|i| i.source.as_ref().is_some_and(|s| s.accepts.contains(&kind)))
    }

    /// The target the drag is over now (tracked).
    pub fn over(&self) -> Option<Target> {
        self.over.get()
    }

    /// Whether the drag is over this target now (tracked).
    pub fn is_over(&self, kind: &str, value: &str) -> bool {
        self.over.with(|o| {
            o.as_ref()
                .is_some_and(|t| t.kind == kind && t.value == value)
        })
    }

    /// One sentence for the live region while a drag is on (tracked).
    pub fn hint(&self) -> Option<String> {
        let (d, mode) = self.active.get()?;
        let over = self.over.get();
        Some(match (mode, over) {
            (Mode::Keyboard, Some(t)) => {
                let (i, n) = self.step.get();
                format!(
                    "Moving {}: {} ({i} of {n}). Arrow keys choose, Enter drops, Escape cancels.",
                    d.label, t.label
                )
            }
            (Mode::Keyboard, None) => format!("Moving {}.", d.label),
            (Mode::Pointer, Some(t)) => format!("Dragging {}: drop on {}.", d.label, t.label),
            (Mode::Pointer, None) => {
                format!("Dragging {}: not over a place to drop it.", d.label)
            }
        })
    }

    /// Call from a source's `on:pointerdown`: a drag starts once the pointer moves. The
    /// element the handler is on captures the pointer.
    pub fn pointer_down(&self, ev: &web_sys::PointerEvent, source: Source) {
        if let Some(el) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            self.pointer_down_on(ev, &el, source);
        }
    }

    /// [`Drags::pointer_down`] for a handler that listens for many sources (event delegation):
    /// `el` is the source element, which captures the pointer (so that a click stays on it).
    pub fn pointer_down_on(
        &self,
        ev: &web_sys::PointerEvent,
        el: &web_sys::Element,
        source: Source,
    ) {
        if ev.button() != 0 || !ev.is_primary() || self.active.get_untracked().is_some() {
            return;
        }
        let id = ev.pointer_id();
        self.inner.update_value(|i| {
            *i = Inner {
                source: Some(source),
                pointer: Some((id, ev.client_x() as f64, ev.client_y() as f64)),
                ..Inner::default()
            }
        });
        let _ = el.set_pointer_capture(id);
    }

    fn pointer_move(&self, ev: &web_sys::PointerEvent) {
        let Some((id, sx, sy)) = self.inner.with_value(|i| i.pointer) else {
            return;
        };
        if ev.pointer_id() != id {
            return;
        }
        let (x, y) = (ev.client_x() as f64, ev.client_y() as f64);
        if !self.inner.with_value(|i| i.started) {
            if (x - sx).hypot(y - sy) < THRESHOLD {
                return;
            }
            let dragged = self
                .inner
                .try_update_value(|i| {
                    i.started = true;
                    i.source.as_ref().map(|s| s.dragged.clone())
                })
                .flatten();
            let Some(d) = dragged else { return };
            self.active.set(Some((d, Mode::Pointer)));
        }
        ev.prevent_default();
        self.pos.set((x, y));
        let t = self.target_at(x, y);
        if self.over.with_untracked(|o| *o != t) {
            self.over.set(t);
        }
    }

    fn target_at(&self, x: f64, y: f64) -> Option<Target> {
        let el = document()?.element_from_point(x as f32, y as f32);
        self.inner
            .with_value(|i| i.source.as_ref().and_then(|s| accepting_ancestor(el, s)))
    }

    fn pointer_up(&self, ev: &web_sys::PointerEvent) {
        let Some((id, _, _)) = self.inner.with_value(|i| i.pointer) else {
            return;
        };
        if ev.pointer_id() != id {
            return;
        }
        if self.inner.with_value(|i| i.started) {
            // Where the last move left the pointer, the target is known: no hit test (it would
            // lay out the page before the drop).
            let (x, y) = (ev.client_x() as f64, ev.client_y() as f64);
            let t = if self.pos.get_untracked() == (x, y) {
                self.over.get_untracked()
            } else {
                self.target_at(x, y)
            };
            self.inner.update_value(|i| i.swallow_click = true);
            self.finish(t, false);
        } else {
            self.inner.update_value(|i| {
                i.pointer = None;
                i.source = None;
            });
        }
    }

    /// Starts a keyboard drag from `from` (focus returns there at the end). Returns whether
    /// there is anywhere to drop.
    pub fn pick(&self, source: Source, from: Option<web_sys::Element>) -> bool {
        let Some(doc) = document() else { return false };
        let mut targets = Vec::new();
        if let Ok(list) = doc.query_selector_all("[data-drop-kind]") {
            for k in 0..list.length() {
                let Some(el) = list
                    .item(k)
                    .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                else {
                    continue;
                };
                // A target shown in two places (a service in the time view and in the
                // sidebar) is one stop of the keyboard's round.
                if let Some(t) = target_of(&el).filter(|t| source.accepts(t)) {
                    if !targets
                        .iter()
                        .any(|x: &Target| x.kind == t.kind && x.value == t.value)
                    {
                        targets.push(t);
                    }
                }
            }
        }
        // A windowed board has most of its instances off the page: it lists them all.
        if source.accepts.contains(&"instance") {
            if let Some(mut all) = super::deferred::instance_targets() {
                all.retain(|t| source.accepts(t));
                let mut listed = Vec::with_capacity(targets.len() + all.len());
                for t in targets {
                    if t.kind != "instance" {
                        listed.push(t);
                    } else if !all.is_empty() {
                        listed.append(&mut all);
                    }
                }
                listed.append(&mut all);
                targets = listed;
            }
        }
        if targets.is_empty() {
            return false;
        }
        let first = targets[0].clone();
        let n = targets.len();
        let dragged = source.dragged.clone();
        self.inner.update_value(|i| {
            *i = Inner {
                source: Some(source),
                targets,
                index: 0,
                ..Inner::default()
            }
        });
        SOURCE_ELEMENT.with(|s| *s.borrow_mut() = from);
        self.active.set(Some((dragged, Mode::Keyboard)));
        self.go(first, 1, n);
        true
    }

    fn go(&self, t: Target, i: usize, n: usize) {
        let stop = STOP.with(|s| {
            s.set(s.get().wrapping_add(1));
            s.get()
        });
        if let Some(el) = target_element(&t) {
            focus(&el);
            el.scroll_into_view_with_bool(false);
        } else if t.kind == "instance" && super::deferred::reveal(&t.value) {
            focus_when_drawn(t.clone(), stop, 12);
        }
        self.step.set((i, n));
        self.over.set(Some(t));
    }

    fn advance(&self, by: isize) {
        let next = self
            .inner
            .try_update_value(|i| {
                let n = i.targets.len() as isize;
                if n == 0 {
                    return None;
                }
                i.index = (i.index as isize + by).rem_euclid(n) as usize;
                Some((i.targets[i.index].clone(), i.index + 1, n as usize))
            })
            .flatten();
        if let Some((t, i, n)) = next {
            self.go(t, i, n);
        }
    }

    /// Handles a key while a drag is on; returns whether it was the drag's (then the caller
    /// prevents its default).
    pub fn key(&self, ev: &web_sys::KeyboardEvent) -> bool {
        let Some((_, mode)) = self.active.get_untracked() else {
            return false;
        };
        let key = ev.key();
        if mode == Mode::Pointer {
            if key == "Escape" {
                self.finish(None, false);
                return true;
            }
            return false;
        }
        match key.as_str() {
            "ArrowRight" | "ArrowDown" => self.advance(1),
            "ArrowLeft" | "ArrowUp" => self.advance(-1),
            "Tab" => self.advance(if ev.shift_key() { -1 } else { 1 }),
            "Enter" | " " => {
                let t = self.over.get_untracked();
                self.finish(t, true);
            }
            "Escape" => self.finish(None, true),
            // Modifier presses and shortcuts pass; other keys are swallowed while picking.
            "Shift" | "Control" | "Alt" | "Meta" => return false,
            _ if ev.ctrl_key() || ev.meta_key() => return false,
            _ => {}
        }
        true
    }

    /// Cancels any drag.
    pub fn cancel(&self) {
        if self.active.get_untracked().is_some() {
            let keyboard = matches!(self.active.get_untracked(), Some((_, Mode::Keyboard)));
            self.finish(None, keyboard);
        }
    }

    /// Ends the drag: drops on `target` if there is one; a keyboard drag gives the focus back.
    fn finish(&self, target: Option<Target>, refocus: bool) {
        let source = self.inner.try_update_value(|i| {
            i.pointer = None;
            i.started = false;
            i.targets.clear();
            i.source.take()
        });
        self.active.set(None);
        self.over.set(None);
        let from = SOURCE_ELEMENT.with(|s| s.borrow_mut().take());
        let Some(source) = source.flatten() else {
            return;
        };
        if let Some(t) = target {
            (source.on_drop)(source.dragged.clone(), t);
        }
        if refocus {
            let selector = source.refocus.clone();
            // After the drop has been drawn: the source may have been drawn anew.
            request_animation_frame(move || {
                let el = from.filter(|e| e.is_connected()).or_else(|| {
                    selector.and_then(|s| document()?.query_selector(&s).ok().flatten())
                });
                if let Some(el) = el {
                    focus(&el);
                }
            });
        }
    }

    /// Clicks: the one that ends a pointer drag is swallowed; during a keyboard drag a click on
    /// an accepting target drops there, a click elsewhere cancels. Runs in the capture phase.
    fn click(&self, ev: &web_sys::MouseEvent) {
        if self.inner.with_value(|i| i.swallow_click) {
            self.inner.update_value(|i| i.swallow_click = false);
            ev.stop_propagation();
            ev.prevent_default();
            return;
        }
        if !matches!(self.active.get_untracked(), Some((_, Mode::Keyboard))) {
            return;
        }
        let el = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let t = self
            .inner
            .with_value(|i| i.source.as_ref().and_then(|s| accepting_ancestor(el, s)));
        match t {
            Some(t) => {
                ev.stop_propagation();
                ev.prevent_default();
                self.finish(Some(t), true);
            }
            None => self.finish(None, false),
        }
    }
}

/// Provides the page's [`Drags`] and listens to the window's pointer events.
pub fn provide_drags() -> Drags {
    let drags = Drags::new();
    provide_context(drags);
    let _ = window_event_listener(ev::pointermove, move |ev| drags.pointer_move(&ev));
    let _ = window_event_listener(ev::pointerup, move |ev| drags.pointer_up(&ev));
    let _ = window_event_listener(ev::pointercancel, move |_| drags.finish(None, false));
    let _ = window_event_listener(ev::pointerdown, move |_| {
        // A stale "swallow the next click" (a drag that ended without a click) goes away.
        drags.inner.update_value(|i| i.swallow_click = false);
    });
    if let Some(w) = web_sys::window() {
        // In the capture phase, so the click that ends a drag is swallowed before any card's
        // handler sees it; not passive, since `click` may cancel it.
        let opts = EventListenerOptions {
            phase: EventListenerPhase::Capture,
            passive: false,
        };
        EventListener::new_with_options(&w, "click", opts, move |ev| {
            if let Some(ev) = ev.dyn_ref::<web_sys::MouseEvent>() {
                drags.click(ev)
            }
        })
        .forget(); // lives as long as the page
    }
    drags
}

pub fn use_drags() -> Drags {
    expect_context::<Drags>()
}

/// The label that follows the pointer during a pointer drag.
#[component]
pub fn DragGhost() -> impl IntoView {
    let drags = use_drags();
    move || {
        let (d, mode) = drags.active.get()?;
        (mode == Mode::Pointer).then(|| {
            let style = move || {
                let (x, y) = drags.pos.get();
                format!("transform: translate({}px, {}px)", x + 14.0, y + 10.0)
            };
            let ok = move || drags.over.with(Option::is_some);
            view! {
                <div class="drag-ghost" class:can-drop=ok aria-hidden="true" style=style data-testid="drag-ghost">
                    {d.label}
                </div>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_refuse_other_kinds_and_their_own_place() {
        let s = Source::new("instance", "i-1", "i-1", &["zone"], |_, _| {}).exclude("us-east-1a");
        let t = |kind: &str, value: &str| Target {
            kind: kind.into(),
            value: value.into(),
            label: value.into(),
        };
        assert!(s.accepts(&t("zone", "us-east-1b")));
        assert!(!s.accepts(&t("zone", "us-east-1a")));
        assert!(!s.accepts(&t("instance", "i-2")));
        assert_eq!(crate::selector::css_string(r#"a"b\c"#), r#""a\"b\\c""#);
    }
}
