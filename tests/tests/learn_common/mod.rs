//! Shared steps of the Learn browser tests (`learn_*.rs`): opening Learn and a scenario,
//! answering, reading the engine's verdict, and the progress kept in the browser.

#![allow(dead_code)] // each test binary uses a different subset

use std::time::Duration;

use e2e::{Browser, TIMEOUT};
use serde_json::{json, Value};

use crate::shell_common::{count, READY};

pub const PROGRESS_KEY: &str = "ecs-planner.learn.progress.v1";

/// Grading may run a simulation in the worker on a loaded 2-core machine.
pub const SLOW: Duration = Duration::from_secs(60);

/// The engine's answers, computed natively by the same engine (the page's must agree).
pub fn scenario_text(id: &str) -> String {
    let path = e2e::workspace_root()
        .join("public/learn/scenarios")
        .join(format!("{id}.json"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Opens the page at `path` (e.g. `/#learn/where-web-5-lands`) and waits for the board.
pub async fn open_at(b: &Browser, path: &str) {
    b.open(path).await;
    b.wait_for(READY, TIMEOUT).await;
}

/// Opens Learn from the header and waits for the topics.
pub async fn open_learn(b: &Browser) {
    b.click("[data-testid=learn-open]").await;
    b.wait_for("[data-testid=learn-topics]", SLOW).await;
}

/// Waits until the scenario `id` is shown over the board (its plan on the board).
pub async fn wait_scenario(b: &Browser, id: &str) {
    b.wait_for(
        &format!("[data-testid=learn-panel][data-id=\"{id}\"]"),
        SLOW,
    )
    .await;
    b.wait_for(READY, TIMEOUT).await;
}

/// Chooses `choice` and checks the answer; waits for the verdict.
pub async fn answer_choice(b: &Browser, choice: &str) {
    b.click(&format!(
        "[data-testid=choice][data-choice=\"{choice}\"] input"
    ))
    .await;
    b.click("[data-testid=learn-submit]").await;
    wait_result(b).await;
}

/// Types `n` and checks it.
pub async fn answer_number(b: &Browser, n: &str) {
    b.js(
        "const i = document.querySelector('[data-testid=learn-number]'); i.value = arguments[0];\
         i.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![json!(n)],
    )
    .await;
    b.click("[data-testid=learn-submit]").await;
    wait_result(b).await;
}

pub async fn wait_result(b: &Browser) {
    b.wait_for("[data-testid=learn-result]", SLOW).await;
}

/// Whether the verdict says right.
pub async fn result_correct(b: &Browser) -> bool {
    b.js(
        "return document.querySelector('[data-testid=learn-result]').dataset.correct === 'true';",
        vec![],
    )
    .await
        == json!(true)
}

/// The choice the engine marks right in the verdict.
pub async fn right_choice(b: &Browser) -> String {
    b.js(
        "return document.querySelector('[data-testid=outcome-choice][data-correct=true]').dataset.choice;",
        vec![],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// The saved progress, parsed (once it is saved: it is written right after an answer).
pub async fn progress(b: &Browser) -> Value {
    b.wait_until(
        &format!("localStorage.getItem({}) !== null", json!(PROGRESS_KEY)),
        TIMEOUT,
    )
    .await;
    b.local_storage(PROGRESS_KEY)
        .await
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null)
}

/// How many elements match `css` (re-exported for the learn tests).
pub async fn n(b: &Browser, css: &str) -> u64 {
    count(b, css).await
}

/// How a scenario variant is answered right, computed natively by the engine.
#[derive(Debug, Clone, PartialEq)]
pub enum Right {
    Choice(String),
    Number(f64),
    /// Reach and fix: by editing the plan.
    Edits,
}

/// The scenario `id`, parsed, with its plan file when it names one.
pub fn scenario(id: &str) -> engine::api::learn::Scenario {
    let mut s = engine::api::learn::Scenario::parse(&scenario_text(id))
        .unwrap_or_else(|f| panic!("{id}: {f:?}"));
    if let Some(rel) = s.plan_file().map(str::to_string) {
        let path = e2e::workspace_root()
            .join("public/learn/scenarios")
            .join(rel);
        s.resolve_plan_file(&std::fs::read_to_string(path).unwrap())
            .unwrap();
    }
    s
}

/// The right answer of variant `variant` of scenario `id`.
pub fn right_answer(id: &str, variant: u32) -> Right {
    use engine::api::learn::{Answer, Input, Kind, Val};
    let v = scenario(id).variant(variant).unwrap();
    match (v.doc.kind, v.doc.input) {
        (Kind::Reach | Kind::Fix, _) => Right::Edits,
        (_, Input::Number) => match v.question_value(0).unwrap().value {
            Val::Number(x) => Right::Number(x),
            other => panic!("{id}: a number question with {other:?}"),
        },
        _ => {
            let right = v
                .doc
                .choices
                .iter()
                .find(|c| v.grade(&Answer::Choice(c.id.clone())).unwrap().correct)
                .unwrap_or_else(|| panic!("{id}: no right choice"));
            Right::Choice(right.id.clone())
        }
    }
}

/// A choice of `id`'s variant that the engine grades wrong.
pub fn wrong_choice(id: &str, variant: u32) -> String {
    let v = scenario(id).variant(variant).unwrap();
    let right = right_answer(id, variant);
    v.doc
        .choices
        .iter()
        .map(|c| c.id.clone())
        .find(|c| Right::Choice(c.clone()) != right)
        .expect("a wrong choice")
}

/// Answers right, the way the engine computes it (choice or number).
pub async fn answer_right(b: &Browser, id: &str, variant: u32) {
    match right_answer(id, variant) {
        Right::Choice(c) => answer_choice(b, &c).await,
        Right::Number(x) => answer_number(b, &x.to_string()).await,
        Right::Edits => panic!("{id} is answered by editing the plan"),
    }
}

/// Records the downloads the page starts (file name and object URL), to read them back.
pub async fn capture_downloads(b: &Browser) {
    b.js(
        "window.__downloads = [];\
         const click = HTMLAnchorElement.prototype.click;\
         HTMLAnchorElement.prototype.click = function () {\
           if (this.download) window.__downloads.push([this.download, this.href]);\
           return click.call(this);\
         };",
        vec![],
    )
    .await;
}

/// The last download the page started: its file name and text.
pub async fn last_download(b: &Browser) -> (String, String) {
    b.wait_until(
        "window.__downloads && window.__downloads.length > 0",
        TIMEOUT,
    )
    .await;
    let v = b
        .js(
            "const [name, url] = window.__downloads[window.__downloads.length - 1];\
             return fetch(url).then(r => r.text()).then(t => [name, t]);",
            vec![],
        )
        .await;
    (
        v[0].as_str().unwrap_or_default().to_string(),
        v[1].as_str().unwrap_or_default().to_string(),
    )
}

/// The text of the live line Learn announces through.
pub async fn said(b: &Browser) -> String {
    b.js(
        "return document.querySelector('[data-testid=learn-said]').textContent;",
        vec![],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// Clicks the element matching `css` after scrolling it to the middle of the window (the time
/// view's transport bar stays at the bottom of the window while a run is shown).
pub async fn click_centred(b: &Browser, css: &str) {
    b.wait_for(css, TIMEOUT).await;
    b.js(
        "document.querySelector(arguments[0]).scrollIntoView({ block: 'center' });",
        vec![json!(css)],
    )
    .await;
    b.click(css).await;
}
