//! Shared steps of the board browser tests (`board_*.rs`): pointer drags through WebDriver's
//! pointer actions (mouse and touch: ChromeDriver does not fire HTML5 drag and drop, and the
//! board does not use it), keys, focus, and the plans the tests start from.

#![allow(dead_code)] // each test binary uses a different subset

use std::time::Duration;

use e2e::{Browser, TIMEOUT};
use fantoccini::actions::{
    InputSource, KeyAction, KeyActions, MouseActions, PointerAction, TouchActions,
    MOUSE_BUTTON_LEFT,
};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::json;

use crate::shell_common::{count, open, sample, READY};

/// Mouse or finger.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Pointer {
    Mouse,
    Touch,
}

/// The element matching `css`, brought into view if it is not.
pub async fn element(b: &Browser, css: &str) -> Element {
    scroll_to(b, css).await;
    b.wait_for(css, TIMEOUT).await;
    // Drag sources and targets may be below the fold: bring them into view first, but leave
    // the page alone when the point WebDriver will use (the centre of the part in view) is the
    // element's (a tall target such as a zone lane would otherwise scroll the source out; a
    // target half under the fixed transport bar is scrolled). Cards out of view are laid out
    // only when they come into view (content-visibility), so let the page settle after.
    let scrolled = b
        .js(
            "const el = document.querySelector(arguments[0]); const r = el.getBoundingClientRect();
             const x = (Math.max(r.left, 0) + Math.min(r.right, innerWidth)) / 2;
             const y = (Math.max(r.top, 0) + Math.min(r.bottom, innerHeight)) / 2;
             const hit = r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth
               && el.contains(document.elementFromPoint(x, y));
             if (!hit) el.scrollIntoView({block: 'center', inline: 'center'}); return !hit;",
            vec![json!(css)],
        )
        .await;
    if scrolled == json!(true) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    b.client()
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("find `{css}`: {e}"))
}

/// A big board draws only the cards near the view: when nothing matches `css`, scrolls the
/// page down from the top, a screen at a time, until something does (or the end); whether it
/// was found.
pub async fn scroll_to(b: &Browser, css: &str) -> bool {
    b.js(
        "const sel = arguments[0]; if (document.querySelector(sel)) return true;\
         return new Promise(r => { window.scrollTo(0, 0);\
           const next = f => requestAnimationFrame(() => requestAnimationFrame(f));\
           const step = () => { if (document.querySelector(sel)) { document.querySelector(sel).scrollIntoView({block: 'center'}); return r(true); }\
             if (scrollY + innerHeight >= document.documentElement.scrollHeight - 1) return r(false);\
             scrollBy(0, innerHeight); next(step); };\
           next(step); });",
        vec![json!(css)],
    )
    .await
        == json!(true)
}

fn steps(from: Element, to: Option<Element>, release: bool) -> Vec<PointerAction> {
    let mut v = vec![
        PointerAction::MoveToElement {
            element: from,
            duration: None,
            x: 0.0,
            y: 0.0,
        },
        PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        },
        // Past the 5 px threshold first, then to the target in a few moves.
        PointerAction::MoveBy {
            duration: Some(Duration::from_millis(60)),
            x: 8.0,
            y: 8.0,
        },
    ];
    if let Some(to) = to {
        v.push(PointerAction::MoveToElement {
            element: to,
            duration: Some(Duration::from_millis(250)),
            x: 0.0,
            y: 0.0,
        });
    }
    if release {
        v.push(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    }
    v
}

/// Performs pointer actions with the mouse or a finger.
pub async fn perform(b: &Browser, kind: Pointer, actions: Vec<PointerAction>) {
    let r = match kind {
        Pointer::Mouse => {
            let mut a = MouseActions::new("mouse".into());
            for s in actions {
                a = a.then(s);
            }
            b.client().perform_actions(a).await
        }
        Pointer::Touch => {
            let mut a = TouchActions::new("finger".into());
            for s in actions {
                a = a.then(s);
            }
            b.client().perform_actions(a).await
        }
    };
    r.unwrap_or_else(|e| panic!("pointer actions ({kind:?}): {e}"));
}

/// Drags the element matching `from` onto the one matching `to` and lets go.
pub async fn drag(b: &Browser, from: &str, to: &str, kind: Pointer) {
    let f = element(b, from).await;
    let t = element(b, to).await;
    perform(b, kind, steps(f, Some(t), true)).await;
}

/// Presses on `from` and moves over `to` without letting go (see [`release`]).
pub async fn drag_and_hold(b: &Browser, from: &str, to: &str) {
    let f = element(b, from).await;
    let t = element(b, to).await;
    perform(b, Pointer::Mouse, steps(f, Some(t), false)).await;
}

/// Lets go of the mouse button held by [`drag_and_hold`] where the pointer is.
pub async fn release(b: &Browser) {
    perform(
        b,
        Pointer::Mouse,
        vec![PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        }],
    )
    .await;
}

/// Presses one key (a character, or a [`Key`]) with optional modifiers.
pub async fn press(b: &Browser, key: impl Into<char>, modifiers: &[Key]) {
    let key: char = key.into();
    let mut k = KeyActions::new("keyboard".into());
    for m in modifiers {
        k = k.then(KeyAction::Down { value: (*m).into() });
    }
    k = k
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    for m in modifiers.iter().rev() {
        k = k.then(KeyAction::Up { value: (*m).into() });
    }
    b.client()
        .perform_actions(k)
        .await
        .unwrap_or_else(|e| panic!("press {key:?}: {e}"));
}

/// Types text with the keyboard.
pub async fn type_text(b: &Browser, text: &str) {
    for c in text.chars() {
        press(b, c, &[]).await;
    }
}

/// Whether the focused element matches `css`.
pub async fn focused_is(b: &Browser, css: &str) -> bool {
    b.js(
        "const a = document.activeElement; return !!a && a.matches(arguments[0]);",
        vec![json!(css)],
    )
    .await
    .as_bool()
    .unwrap_or(false)
}

/// Presses Tab until the focused element matches `css` (at most `limit` times): how a
/// keyboard user gets somewhere.
pub async fn tab_to(b: &Browser, css: &str, limit: usize) {
    for _ in 0..limit {
        if focused_is(b, css).await {
            return;
        }
        press(b, Key::Tab, &[]).await;
    }
    let at = b
        .js(
            "const a = document.activeElement; return a ? a.outerHTML.slice(0, 200) : null;",
            vec![],
        )
        .await;
    panic!("`{css}` not reached with {limit} Tabs; focus is on {at}");
}

/// Waits until the live status line contains `text`, and returns it.
pub async fn wait_status(b: &Browser, text: &str) -> String {
    let expr = format!(
        "(document.querySelector('[data-testid=status]') || {{}}).textContent.includes({})",
        json!(text)
    );
    b.wait_until(&expr, TIMEOUT).await;
    b.text("[data-testid=status]").await
}

/// Instances per zone, as `[(zone, count)]` in lane order.
pub async fn lane_counts(b: &Browser) -> Vec<(String, u64)> {
    crate::shell_common::instances_per_zone(b).await
}

/// The default plan with 16 workers of 2 GiB: more than four m5.large hold, so some wait.
pub fn crowded_plan() -> String {
    sample("two-az-web.json").replacen("\"desiredCount\": 3", "\"desiredCount\": 16", 1)
}

/// How many tasks the tray holds.
pub async fn unplaced(b: &Browser) -> u64 {
    count(b, "[data-testid=unplaced-task]").await
}

pub const LANE_A: &str = "[data-testid=lane][data-az='us-east-1a']";
pub const LANE_B: &str = "[data-testid=lane][data-az='us-east-1b']";

/// The palette item for an instance type, after searching for it.
pub async fn palette_item(b: &Browser, instance_type: &str) -> String {
    let input = b.wait_for("[data-testid=palette-search]", TIMEOUT).await;
    input.clear().await.expect("clear the search");
    input
        .send_keys(instance_type)
        .await
        .expect("type in the search");
    let css = format!("[data-testid=palette-item][data-instance-type='{instance_type}']");
    b.wait_for(&css, TIMEOUT).await;
    css
}

/// Runs a Chrome DevTools Protocol command and returns its result.
pub async fn cdp(b: &Browser, cmd: &str, params: serde_json::Value) -> serde_json::Value {
    b.cdp(cmd, params).await
}

/// Emulates a media feature for the page, e.g. `prefers-reduced-motion: reduce`.
pub async fn emulate_media(b: &Browser, feature: &str, value: &str) {
    b.emulate_media(feature, value).await
}

/// Saved work (the sample plan with one instance draining), then a damaged share link opened
/// over it: the state the share-link tests check the banner and the saved plan from.
pub async fn open_damaged_link_over_saved_work(b: &Browser) {
    open(b).await;
    b.click("[data-testid=instance][data-instance-id='i-0b2e4d6f8a0c20004'] [data-testid=drain]")
        .await;
    b.wait_for("[data-testid=draining]", TIMEOUT).await;
    b.open("about:blank").await;
    b.open("/#plan=v1.AAAA").await;
    b.wait_for(READY, TIMEOUT).await;
}
