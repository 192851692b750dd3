//! Shared steps of the editor and export browser tests (`editors_*.rs`, `export_*.rs`): opening
//! an editor, typing into a box the way a person does (select all, type, leave), dragging with
//! WebDriver's pointer actions, and reading the undo button's label.

#![allow(dead_code)] // each test binary uses a different subset

use std::time::Duration;

use e2e::{Browser, TIMEOUT};
use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use serde_json::{json, Value};

/// Opens a sample from the toolbar's menu and waits for its name.
pub async fn open_sample(b: &Browser, id: &str, name: &str) {
    let menu = b.wait_for("[data-testid=sample-select]", TIMEOUT).await;
    menu.select_by_value(id)
        .await
        .unwrap_or_else(|e| panic!("choose sample {id}: {e}"));
    super::shell_common::wait_plan_name(b, name).await;
}

/// Opens the editor of service `name` from the side panel.
pub async fn open_service(b: &Browser, name: &str) {
    b.click(&format!(
        "[data-testid=edit-service][data-edit='service:{name}']"
    ))
    .await;
    b.wait_for("[data-testid=service-editor]", TIMEOUT).await;
}

/// Opens the editor of `taskDefinitions[index]` from the side panel.
pub async fn open_task_definition(b: &Browser, index: usize) {
    b.click(&format!(
        "[data-testid=edit-task-definition][data-edit='task-definition:{index}']"
    ))
    .await;
    b.wait_for("[data-testid=task-definition-editor]", TIMEOUT)
        .await;
}

/// Replaces the text of the box matching `css` by typing `text` (select all, type), then
/// presses `then` (e.g. Tab to leave the box, Enter).
pub async fn type_into(b: &Browser, css: &str, text: &str, then: Option<Key>) -> Element {
    let el = b.wait_for(css, TIMEOUT).await;
    el.click()
        .await
        .unwrap_or_else(|e| panic!("focus {css}: {e}"));
    let select_all = format!("{}a{}", char::from(Key::Control), char::from(Key::Null));
    el.send_keys(&select_all)
        .await
        .unwrap_or_else(|e| panic!("select all in {css}: {e}"));
    el.send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    if let Some(k) = then {
        el.send_keys(&char::from(k).to_string())
            .await
            .unwrap_or_else(|e| panic!("press a key in {css}: {e}"));
    }
    el
}

/// The value of the first input matching `css`.
pub async fn value(b: &Browser, css: &str) -> String {
    b.wait_for(css, TIMEOUT).await;
    b.js(
        "return document.querySelector(arguments[0]).value;",
        vec![json!(css)],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// Waits until the first input matching `css` has the value `want`.
pub async fn wait_value(b: &Browser, css: &str, want: &str) {
    let expr = format!(
        "(document.querySelector({}) || {{}}).value === {}",
        json!(css),
        json!(want)
    );
    b.wait_until(&expr, TIMEOUT).await;
}

/// The `data-strategy` of every strategy in the open editor, in order.
pub async fn strategies(b: &Browser) -> Vec<String> {
    let v = b
        .js(
            "return Array.from(document.querySelectorAll('[data-testid=strategy-item]')).map(e => e.dataset.strategy);",
            vec![],
        )
        .await;
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap_or_default().to_string())
        .collect()
}

/// Waits until the strategies are `want`.
pub async fn wait_strategies(b: &Browser, want: &[&str]) {
    let expr = format!(
        "JSON.stringify(Array.from(document.querySelectorAll('[data-testid=strategy-item]')).map(e => e.dataset.strategy)) === {}",
        json!(serde_json::to_string(want).unwrap())
    );
    b.wait_until(&expr, TIMEOUT).await;
}

/// The undo button's title ("Undo: ... (Ctrl+Z)").
pub async fn undo_title(b: &Browser) -> String {
    b.js(
        "return document.querySelector('[data-testid=undo]').title;",
        vec![],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// Waits until the undo button's title contains `text`.
pub async fn wait_undo_says(b: &Browser, text: &str) {
    let expr = format!(
        "document.querySelector('[data-testid=undo]').title.includes({})",
        json!(text)
    );
    b.wait_until(&expr, TIMEOUT).await;
}

/// Presses the left button on `from`, moves by (`dx`, `dy`) in two steps, and (unless `hold`)
/// releases it: a drag with WebDriver's pointer actions (ChromeDriver fires pointer events for
/// them). With `hold`, release later with [`release`].
pub async fn drag_by(b: &Browser, from: Element, dx: f64, dy: f64, hold: bool) {
    let step = Some(Duration::from_millis(150));
    let mut actions = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: from,
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::MoveBy {
            duration: step,
            x: dx / 2.0,
            y: dy / 2.0,
        })
        .then(PointerAction::MoveBy {
            duration: step,
            x: dx - dx / 2.0,
            y: dy - dy / 2.0,
        });
    if !hold {
        actions = actions.then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    }
    b.client()
        .perform_actions(actions)
        .await
        .expect("pointer actions");
}

/// Releases the left button (after [`drag_by`] with `hold`).
pub async fn release(b: &Browser) {
    let actions = MouseActions::new("mouse".into()).then(PointerAction::Up {
        button: MOUSE_BUTTON_LEFT,
    });
    b.client()
        .perform_actions(actions)
        .await
        .expect("release the pointer");
}

/// The centre of the first element matching `css`, in viewport pixels.
pub async fn centre(b: &Browser, css: &str) -> (f64, f64) {
    b.wait_for(css, TIMEOUT).await;
    let v: Value = b
        .js(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect();\
             return [r.left + r.width / 2, r.top + r.height / 2];",
            vec![json!(css)],
        )
        .await;
    (
        v[0].as_f64().unwrap_or_default(),
        v[1].as_f64().unwrap_or_default(),
    )
}

/// Presses keys on the focused element: `keys` with `modifier` held (e.g. Alt+ArrowUp).
pub async fn chord(b: &Browser, modifier: Key, key: Key) {
    use fantoccini::actions::{KeyAction, KeyActions};
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down {
            value: modifier.into(),
        })
        .then(KeyAction::Down { value: key.into() })
        .then(KeyAction::Up { value: key.into() })
        .then(KeyAction::Up {
            value: modifier.into(),
        });
    b.client().perform_actions(keys).await.expect("press keys");
}

/// Scrolls the first element matching `css` to the top of the viewport (for screenshots).
pub async fn scroll_to(b: &Browser, css: &str) {
    b.wait_for(css, TIMEOUT).await;
    b.js(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'start'});",
        vec![json!(css)],
    )
    .await;
}
