//! A bad import shows the engine's findings (path, line and column, message, fix) and leaves
//! the plan on screen — and in storage — as it was.

mod shell_common;

use e2e::{Harness, TIMEOUT};
use serde_json::{json, Value};
use shell_common::*;

fn finding<'a>(findings: &'a [Value], code: &str) -> &'a Value {
    findings
        .iter()
        .find(|f| f["code"] == json!(code))
        .unwrap_or_else(|| panic!("no {code} finding in {findings:?}"))
}

#[tokio::test]
async fn truncated_json_is_refused_with_its_line_and_column() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    let saved = with_fargate_plan(&b).await;
    let text = sample("two-az-web.json");
    let cut = &text[..text.len() / 2];
    let lines = cut.lines().count();
    paste_import(&b, cut).await;
    let findings = import_findings(&b).await;
    let f = finding(&findings, "json-syntax");
    let shown = f["text"].as_str().unwrap();
    assert!(shown.contains(&format!("line {lines}, column")), "{shown}");
    assert!(shown.contains("Fix:"), "{shown}");
    assert_unchanged(&b, &saved).await;
    b.screenshot("import-error.png").await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn an_unknown_field_is_refused_with_its_path_and_a_suggestion() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    let saved = with_fargate_plan(&b).await;
    let text = sample("two-az-web.json").replacen("\"desiredCount\"", "\"desiredCont\"", 1);
    let line = text
        .lines()
        .position(|l| l.contains("\"desiredCont\""))
        .unwrap()
        + 1;
    paste_import(&b, &text).await;
    let findings = import_findings(&b).await;
    let f = findings
        .iter()
        .find(|f| {
            f["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("desiredCont"))
        })
        .unwrap_or_else(|| panic!("no finding at …desiredCont: {findings:?}"));
    assert!(f["path"].as_str().unwrap().starts_with("services["), "{f}");
    let shown = f["text"].as_str().unwrap();
    assert!(shown.contains(&format!("line {line}")), "{shown}");
    assert!(
        shown.contains("desiredCount"),
        "a did-you-mean hint: {shown}"
    );
    assert_unchanged(&b, &saved).await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn a_newer_schema_version_is_refused() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    let saved = with_fargate_plan(&b).await;
    let text =
        sample("two-az-web.json").replacen("\"schemaVersion\": 1", "\"schemaVersion\": 99", 1);
    assert!(text.contains("\"schemaVersion\": 99"));
    paste_import(&b, &text).await;
    let findings = import_findings(&b).await;
    let f = finding(&findings, "newer-schema-version");
    assert_eq!(f["path"], json!("schemaVersion"));
    assert!(f["text"].as_str().unwrap().contains("line 2"), "{f}");
    assert_unchanged(&b, &saved).await;
    // The dialog stays open with the error; closing it clears the error.
    b.click("[data-testid=import-dialog] .close").await;
    b.wait_for_absent("[data-testid=import-dialog]", TIMEOUT)
        .await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn a_json_document_that_is_not_a_plan_is_refused() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    let saved = with_fargate_plan(&b).await;
    let dir = tempfile::tempdir().unwrap();
    let td =
        r#"{ "family": "web", "containerDefinitions": [ { "name": "web", "image": "nginx" } ] }"#;
    let path = write_file(dir.path(), "taskdef.json", td);
    file_import(&b, &path).await;
    let findings = import_findings(&b).await;
    let f = finding(&findings, "missing-schema-version");
    assert!(
        f["text"].as_str().unwrap().contains("task definition"),
        "the fix names what it looks like: {f}"
    );
    assert!(b
        .text("[data-testid=import-error]")
        .await
        .contains("taskdef.json"));
    assert_unchanged(&b, &saved).await;
    // A good import afterwards clears the error and closes the dialog.
    paste_import(&b, &sample("two-az-web.json")).await;
    wait_plan_name(&b, "Two-AZ web cluster").await;
    b.wait_for_absent("[data-testid=import-error]", TIMEOUT)
        .await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn the_import_dialog_takes_the_focus_and_escape_closes_it() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    b.click("[data-testid=import-open]").await;
    b.wait_until(
        "document.activeElement && document.activeElement.dataset.testid === 'import-file'",
        TIMEOUT,
    )
    .await;
    let expanded = b.js("return document.querySelector('[data-testid=import-open]').getAttribute('aria-expanded');", vec![]).await;
    assert_eq!(expanded, json!("true"));
    b.client()
        .perform_actions({
            use fantoccini::actions::{InputSource, KeyAction, KeyActions};
            KeyActions::new("keyboard".into())
                .then(KeyAction::Down {
                    value: fantoccini::key::Key::Escape.into(),
                })
                .then(KeyAction::Up {
                    value: fantoccini::key::Key::Escape.into(),
                })
        })
        .await
        .expect("press Escape");
    b.wait_for_absent("[data-testid=import-dialog]", TIMEOUT)
        .await;
    assert_clean_console(&b).await;
    b.close().await;
}
