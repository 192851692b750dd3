//! Shared steps of the app-shell browser tests (`shell_*.rs`): opening the page, reading the
//! board, importing by paste, file input and drop.

#![allow(dead_code)] // each test binary uses a different subset

use std::path::{Path, PathBuf};
use std::time::Duration;

use e2e::{Browser, TIMEOUT};
use serde_json::{json, Value};

pub const PLAN_KEY: &str = "ecs-planner.plan.v1";
pub const READY: &str = "#board[data-ready=true]";

/// The text of `css` once it is in the page.
pub async fn shown_text(b: &Browser, css: &str) -> String {
    b.wait_for(css, TIMEOUT).await.text().await.unwrap()
}

/// The text of a sample plan in `public/plans/`.
pub fn sample(name: &str) -> String {
    let path = e2e::workspace_root().join("public/plans").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Opens the page and waits for the board.
pub async fn open(b: &Browser) {
    b.open("/").await;
    b.wait_for(READY, TIMEOUT).await;
}

/// Reloads and waits for the board.
pub async fn reload(b: &Browser) {
    b.reload().await;
    b.wait_for(READY, TIMEOUT).await;
}

/// `[[az, instances], ...]` in lane order.
pub async fn instances_per_zone(b: &Browser) -> Vec<(String, u64)> {
    let v = b
        .js(
            "return Array.from(document.querySelectorAll('[data-testid=lane]'))\
               .map(l => [l.dataset.az, l.querySelectorAll('[data-testid=instance]').length]);",
            vec![],
        )
        .await;
    v.as_array()
        .expect("an array")
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap_or_default().to_string(),
                p[1].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// How many elements match `css`.
pub async fn count(b: &Browser, css: &str) -> u64 {
    b.js(
        "return document.querySelectorAll(arguments[0]).length;",
        vec![json!(css)],
    )
    .await
    .as_u64()
    .unwrap_or(0)
}

/// Waits until exactly `n` elements match `css`.
pub async fn wait_count(b: &Browser, css: &str, n: usize) {
    let expr = format!("document.querySelectorAll({}).length === {n}", json!(css));
    b.wait_until(&expr, TIMEOUT).await;
}

/// Waits until the plan's name in the header is `name`.
pub async fn wait_plan_name(b: &Browser, name: &str) {
    let expr = format!(
        "(document.querySelector('[data-testid=plan-name]') || {{}}).textContent === {}",
        json!(name)
    );
    b.wait_until(&expr, TIMEOUT).await;
}

pub async fn plan_name(b: &Browser) -> String {
    b.text("[data-testid=plan-name]").await
}

/// Opens the import dialog unless it is open.
pub async fn open_import(b: &Browser) {
    if count(b, "[data-testid=import-dialog]").await == 0 {
        b.click("[data-testid=import-open]").await;
    }
    b.wait_for("[data-testid=import-dialog]", TIMEOUT).await;
}

/// Pastes `text` into the import box (as one input event: typing 5 KB key by key is slow)
/// and presses Import.
pub async fn paste_import(b: &Browser, text: &str) {
    open_import(b).await;
    b.wait_for("[data-testid=import-text]", TIMEOUT).await;
    b.js(
        "const t = document.querySelector('[data-testid=import-text]');\
         t.value = arguments[0];\
         t.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![json!(text)],
    )
    .await;
    b.wait_until(
        "!document.querySelector('[data-testid=import-submit]').disabled",
        TIMEOUT,
    )
    .await;
    b.click("[data-testid=import-submit]").await;
    // The engine worker loads the paste: wait until the plan opened (the dialog closes) or
    // was refused (its errors show).
    b.wait_until(
        "!document.querySelector('[data-testid=import-busy]') && \
         (!document.querySelector('[data-testid=import-dialog]') || \
          !!document.querySelector('[data-testid=import-error]'))",
        TIMEOUT,
    )
    .await;
}

/// Writes `text` to `dir/name` and returns the path.
pub fn write_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    path
}

/// Picks `path` in the import dialog's file input (a real file, through WebDriver).
pub async fn file_import(b: &Browser, path: &Path) {
    open_import(b).await;
    let input = b.wait_for("[data-testid=import-file]", TIMEOUT).await;
    input
        .send_keys(path.to_str().expect("a UTF-8 path"))
        .await
        .unwrap_or_else(|e| panic!("choose {}: {e}", path.display()));
}

/// Drops a file named `name` with `text` on the page. ChromeDriver cannot drive HTML5
/// drag and drop, so the `drop` event is dispatched with a real `DataTransfer`.
pub async fn drop_file(b: &Browser, name: &str, text: &str) {
    b.js(
        "const dt = new DataTransfer();\
         dt.items.add(new File([arguments[1]], arguments[0], { type: 'application/json' }));\
         const target = document.querySelector('#board');\
         target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));\
         target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));",
        vec![json!(name), json!(text)],
    )
    .await;
}

/// The import error panel's findings: `[{code, path, text}]`, once it shows.
pub async fn import_findings(b: &Browser) -> Vec<Value> {
    b.wait_for("[data-testid=import-error] [data-testid=finding]", TIMEOUT)
        .await;
    let v = b
        .js(
            "return Array.from(document.querySelectorAll('[data-testid=import-error] [data-testid=finding]'))\
               .map(f => ({ code: f.dataset.code, path: f.dataset.path, text: f.textContent }));",
            vec![],
        )
        .await;
    v.as_array().cloned().unwrap_or_default()
}

/// Prints (never asserts) a measurement.
pub fn measured(what: &str, d: Duration) {
    e2e::report(&format!("{what}: {} ms", d.as_millis()));
}

/// Emulates `prefers-color-scheme: dark` (or light) for the page.
pub async fn emulate_color_scheme(b: &Browser, scheme: &str) {
    b.emulate_media("prefers-color-scheme", scheme).await
}

/// The page's resource requests so far (`performance` entries: URL and initiator).
pub async fn resources(b: &Browser) -> Vec<String> {
    let v = b
        .js("return performance.getEntriesByType('resource').map(e => e.initiatorType + ' ' + e.name);", vec![])
        .await;
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap_or_default().to_string())
        .collect()
}

/// No console errors or panics (the harness's check), and no warnings from the app itself
/// (Leptos warns through `console.warn`, e.g. about a signal read outside a reactive context).
/// Chromium's own warnings about trunk's HTML (preload integrity) are not the app's.
pub async fn assert_clean_console(b: &Browser) {
    let logs = b.console_logs().await;
    let noisy: Vec<_> = logs
        .iter()
        .filter(|e| e.source == "console-api" && e.level != "INFO")
        .collect();
    assert!(noisy.is_empty(), "console: {noisy:?}");
    b.assert_no_console_errors().await;
}

/// The link the Share popover shows, once it has made it.
pub async fn share_link(b: &Browser) -> String {
    b.wait_until(
        "(document.querySelector('[data-testid=share-link]') || {}).value",
        TIMEOUT,
    )
    .await
    .as_str()
    .unwrap()
    .to_string()
}

/// Opens the page with the Fargate sample as the current plan (so that "unchanged" is not
/// just "the default"), once it is saved; returns the saved plan.
pub async fn with_fargate_plan(b: &Browser) -> String {
    open(b).await;
    paste_import(b, &sample("fargate-spot.json")).await;
    wait_plan_name(b, "Fargate with a Spot share").await;
    wait_count(b, "[data-launch=FARGATE]", 10).await;
    b.wait_until(
        &format!("(localStorage.getItem('{PLAN_KEY}') || '').includes('Spot share')"),
        TIMEOUT,
    )
    .await;
    b.local_storage(PLAN_KEY).await.expect("the plan is saved")
}

/// The Fargate sample is still the plan on the board and in storage.
pub async fn assert_unchanged(b: &Browser, saved: &str) {
    assert_eq!(plan_name(b).await, "Fargate with a Spot share");
    assert_eq!(count(b, "[data-launch=FARGATE]").await, 10);
    assert_eq!(
        b.local_storage(PLAN_KEY).await.as_deref(),
        Some(saved),
        "the saved plan is untouched"
    );
}
