//! Long work in the engine worker can be cancelled, in every place it runs: a plan file being
//! opened from the import dialog (read and loaded in the worker, with the command line's size
//! limit), the Review view's report, and an export cancelled in its first moment. Cancel leaves
//! the plan — on the board and saved — as it was, and the next request works (a new worker).

mod shell_common;

use e2e::{Browser, Harness, TIMEOUT};
use serde_json::json;
use shell_common::*;

/// Clicks `open`, with a click on `cancel` armed for the very moment it shows (a
/// MutationObserver: before any timer or frame); returns once that click happened.
async fn cancel_as_soon_as_shown(b: &Browser, open: &str, cancel: &str) {
    click_when_shown(b, cancel).await;
    b.click(open).await;
    b.wait_until("window.__clicked === true", TIMEOUT).await;
}

/// Arms a click on `css` as soon as it is in the page (a MutationObserver: before any timer
/// or frame, so in the very first moment the button shows).
async fn click_when_shown(b: &Browser, css: &str) {
    b.js(
        "const css = arguments[0];\
         window.__clicked = false;\
         const hit = () => { const el = document.querySelector(css);\
           if (el && !window.__clicked) { window.__clicked = true; el.click(); return true; } return false; };\
         const o = new MutationObserver(() => { if (hit()) o.disconnect(); });\
         o.observe(document.body, { childList: true, subtree: true, attributes: true });",
        vec![json!(css)],
    )
    .await;
}

/// Chooses a file made in the page (`text` is JavaScript that evaluates to its contents) in
/// the import dialog's file input.
async fn choose_file(b: &Browser, name: &str, contents_js: &str) {
    open_import(b).await;
    b.js(
        &format!(
            "const dt = new DataTransfer();\
             dt.items.add(new File([{contents_js}], arguments[0], {{ type: 'application/json' }}));\
             const input = document.querySelector('[data-testid=import-file]');\
             input.files = dt.files;\
             input.dispatchEvent(new Event('change', {{ bubbles: true }}));"
        ),
        vec![json!(name)],
    )
    .await;
}

/// Waits `ms` in the page.
async fn pause(b: &Browser, ms: u64) {
    b.js(
        &format!("return await new Promise(r => setTimeout(() => r(true), {ms}));"),
        vec![],
    )
    .await;
}

#[tokio::test]
async fn a_large_plan_file_being_opened_can_be_cancelled_and_the_plan_is_unchanged() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    let saved = with_fargate_plan(&b).await;
    // A valid plan of 60 MiB (under the 64 MiB limit): the two-AZ sample with its first
    // brace followed by blanks. The worker reads and loads it while the dialog says so.
    let plan = sample("two-az-web.json");
    b.js("window.__plan = arguments[0];", vec![json!(plan)])
        .await;
    choose_file(
        &b,
        "big-plan.json",
        "'{' + ' '.repeat(60 * 1024 * 1024) + window.__plan.slice(1)",
    )
    .await;
    let busy = b
        .wait_for("[data-testid=import-busy]", TIMEOUT)
        .await
        .text()
        .await
        .unwrap();
    assert!(busy.contains("Opening big-plan.json"), "{busy}");
    b.click("[data-testid=import-cancel]").await;
    let note = b.text("[data-testid=import-cancelled]").await;
    assert_eq!(
        note,
        "Cancelled opening big-plan.json; the current plan is unchanged."
    );
    assert_eq!(count(&b, "[data-testid=import-busy]").await, 0);
    assert_eq!(count(&b, "[data-testid=import-error]").await, 0);
    // Nothing opens later either.
    pause(&b, 1500).await;
    assert_unchanged(&b, &saved).await;
    assert_eq!(
        b.text("[data-testid=import-cancelled]").await,
        note,
        "still cancelled"
    );
    b.screenshot("import-cancelled").await;

    // The same file opens when it is let finish (a new worker takes it).
    choose_file(
        &b,
        "big-plan.json",
        "'{' + ' '.repeat(60 * 1024 * 1024) + window.__plan.slice(1)",
    )
    .await;
    wait_plan_name(&b, "Two-AZ web cluster").await;
    b.wait_for_absent("[data-testid=import-dialog]", TIMEOUT)
        .await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn a_plan_file_over_the_limit_is_refused_unread_and_a_bad_one_with_its_place() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    let saved = with_fargate_plan(&b).await;
    choose_file(&b, "huge.json", "new Uint8Array(65 * 1024 * 1024).fill(32)").await;
    let findings = import_findings(&b).await;
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["code"], json!("file-too-large"));
    let text = findings[0]["text"].as_str().unwrap();
    assert!(
        text.contains(
            "huge.json is 65.0 MiB; the planner opens plan files of at most 64 MiB, as ecsplan does"
        ),
        "{text}"
    );
    assert!(text.contains("Fix: a plan is kilobytes"), "{text}");
    assert_eq!(count(&b, "[data-testid=import-busy]").await, 0);
    assert_unchanged(&b, &saved).await;

    // A broken file, loaded in the worker: its findings keep their line and column.
    let plan = sample("two-az-web.json");
    let cut = &plan[..plan.len() / 2];
    let lines = cut.lines().count();
    b.js("window.__cut = arguments[0];", vec![json!(cut)]).await;
    choose_file(&b, "cut.json", "window.__cut").await;
    b.wait_for_absent("[data-testid=import-busy]", TIMEOUT)
        .await;
    let findings = import_findings(&b).await;
    let f = findings
        .iter()
        .find(|f| f["code"] == json!("json-syntax"))
        .unwrap_or_else(|| panic!("{findings:?}"));
    let shown = f["text"].as_str().unwrap();
    assert!(shown.contains(&format!("line {lines}, column")), "{shown}");
    assert!(shown.contains("Fix:"), "{shown}");
    assert!(b
        .text("[data-testid=import-error]")
        .await
        .contains("cut.json"));
    assert_unchanged(&b, &saved).await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn the_review_can_be_cancelled_while_the_worker_computes_it() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    let saved = with_fargate_plan(&b).await;
    cancel_as_soon_as_shown(
        &b,
        "[data-testid=review-open]",
        "[data-testid=review-cancel]",
    )
    .await;
    b.wait_for("[data-testid=review][aria-busy=false]", TIMEOUT)
        .await;
    let status = b.text("[data-testid=review-status]").await;
    assert_eq!(
        status,
        "Cancelled the review; the plan is as it was. Refresh reviews it again."
    );
    assert_eq!(count(&b, "[data-testid=review-cancel]").await, 0);
    pause(&b, 1500).await;
    assert_eq!(
        count(&b, "[data-testid=review-verdict]").await,
        0,
        "no report arrives after the cancel"
    );
    assert_unchanged(&b, &saved).await;
    b.screenshot("review-cancelled").await;
    // Refresh reviews it (a new worker).
    b.click("[data-testid=review-refresh]").await;
    b.wait_for(
        "[data-testid=review][aria-busy=false] [data-testid=review-verdict]",
        TIMEOUT,
    )
    .await;
    assert_eq!(
        b.text("[data-testid=review-status]").await,
        "Up to date with the plan."
    );
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn an_export_cancelled_in_its_first_moment_stays_cancelled() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    let saved = with_fargate_plan(&b).await;
    // Cancel as soon as it shows, right after the dialog opens (before the request leaves).
    cancel_as_soon_as_shown(
        &b,
        "[data-testid=export-open]",
        "[data-testid=export-cancel]",
    )
    .await;
    let note = shown_text(&b, "[data-testid=export-cancelled]").await;
    assert!(
        note.starts_with("Cancelled writing the ") && note.contains("the plan is as it was."),
        "{note}"
    );
    pause(&b, 1500).await;
    assert_eq!(
        count(&b, "[data-testid=export-file]").await,
        0,
        "no files arrive after the cancel"
    );
    assert_eq!(count(&b, "[data-testid=export-cancelled]").await, 1);
    assert_eq!(
        b.js(
            "return document.querySelector('#export-files').getAttribute('aria-busy');",
            vec![]
        )
        .await,
        json!("false")
    );
    assert_unchanged(&b, &saved).await;
    b.click("[data-testid=export-again]").await;
    b.wait_for("[data-testid=export-file]", TIMEOUT).await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn a_large_paste_being_opened_can_be_cancelled_and_the_plan_is_unchanged() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    let saved = with_fargate_plan(&b).await;
    // 40 MiB of valid JSON pasted into the dialog: the engine worker loads it, as it does a
    // file, so the page shows Cancel instead of freezing.
    open_import(&b).await;
    b.wait_for("[data-testid=import-text]", TIMEOUT).await;
    b.js(
        "const t = document.querySelector('[data-testid=import-text]');\
         t.value = '{' + ' '.repeat(40 * 1024 * 1024) + arguments[0].slice(1);\
         t.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![json!(sample("two-az-web.json"))],
    )
    .await;
    b.click("[data-testid=import-submit]").await;
    let busy = b
        .wait_for("[data-testid=import-busy]", TIMEOUT)
        .await
        .text()
        .await
        .unwrap();
    assert!(busy.contains("Opening the pasted JSON"), "{busy}");
    b.click("[data-testid=import-cancel]").await;
    assert_eq!(
        b.text("[data-testid=import-cancelled]").await,
        "Cancelled opening the pasted JSON; the current plan is unchanged."
    );
    pause(&b, 1500).await;
    assert_unchanged(&b, &saved).await;
    // The paste is still there to try again, and a small paste opens.
    paste_import(&b, &sample("two-az-web.json")).await;
    wait_plan_name(&b, "Two-AZ web cluster").await;
    assert_clean_console(&b).await;
    b.close().await;
}
