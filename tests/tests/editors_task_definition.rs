//! The task definition editor in the built page: an invalid Fargate memory found in place and
//! fixed in one click, the JSON view's marks, fixes and conversion of pasted formats, undo and
//! redo of editor changes, and running tasks by dragging a task definition onto the board or
//! with "Run tasks…".

mod editors_common;
mod shell_common;

use e2e::TIMEOUT;
use editors_common::*;
use fantoccini::key::Key;
use serde_json::json;
use shell_common::*;

const MEMORY: &str = "[data-testid='td-memory']";
const MEMORY_FINDING: &str =
    "[data-field=memory] [data-testid=field-finding][data-code=fargate-cpu-memory]";

#[tokio::test]
async fn an_invalid_fargate_memory_is_found_in_place_and_fixed_in_one_click() {
    let Some(h) = e2e::Harness::start() else {
        return;
    };
    let b = h.browser().await;
    open(&b).await;
    open_sample(&b, "fargate-spot", "Fargate with a Spot share").await;
    open_task_definition(&b, 0).await;
    assert_eq!(value(&b, MEMORY).await, "1024");
    assert_eq!(value(&b, "[data-testid='td-cpu']").await, "512");
    b.screenshot("editor-task-definition.png").await;

    type_into(&b, MEMORY, "3000", Some(Key::Tab)).await;
    // The finding is next to the memory box, says why, and offers the fix.
    let f = b.wait_for(MEMORY_FINDING, TIMEOUT).await;
    let text = f.text().await.unwrap();
    assert!(text.contains("3000 MiB is not one of them"), "{text}");
    let in_place = b
        .js(
            "return !!document.querySelector(arguments[0]).closest('.field').querySelector(\"[data-testid='td-memory']\");",
            vec![json!(MEMORY_FINDING)],
        )
        .await;
    assert_eq!(in_place, json!(true), "the finding is in the memory field");
    assert!(b
        .text("[data-testid=editor-summary]")
        .await
        .starts_with("1 error"));
    // The JSON view marks the same problem on the memory line.
    b.wait_for(
        "[data-testid=json-finding][data-code=fargate-cpu-memory]",
        TIMEOUT,
    )
    .await;
    let fix = format!("{MEMORY_FINDING} [data-testid=quick-fix]");
    assert_eq!(b.text(&fix).await, "Fix: set memory to \"3072\"");
    scroll_to(&b, "[data-testid=task-definition-editor]").await;
    b.screenshot("editor-task-definition-finding.png").await;
    b.click(&fix).await;
    b.wait_for_absent(MEMORY_FINDING, TIMEOUT).await;
    wait_value(&b, MEMORY, "3072").await;
    b.wait_for_absent(
        "[data-testid=json-finding][data-code=fargate-cpu-memory]",
        TIMEOUT,
    )
    .await;
    assert_eq!(
        b.text("[data-testid=editor-summary]").await,
        "No problems found."
    );
    assert!(b
        .js(
            "return document.querySelector('[data-testid=td-json]').value.includes('\"memory\": \"3072\"');",
            vec![]
        )
        .await
        .as_bool()
        .unwrap());

    // Undo and redo step through the editor's changes.
    wait_undo_says(&b, "set memory to \"3072\" in task definition orders-api").await;
    b.click("[data-testid=undo]").await;
    wait_value(&b, MEMORY, "3000").await;
    b.wait_for(MEMORY_FINDING, TIMEOUT).await;
    b.click("[data-testid=undo]").await;
    wait_value(&b, MEMORY, "1024").await;
    b.click("[data-testid=redo]").await;
    wait_value(&b, MEMORY, "3000").await;
    b.click("[data-testid=redo]").await;
    wait_value(&b, MEMORY, "3072").await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn the_json_view_marks_lines_fixes_members_and_converts_pasted_compose() {
    let Some(h) = e2e::Harness::start() else {
        return;
    };
    let b = h.browser().await;
    open(&b).await;
    open_task_definition(&b, 1).await;
    let area = "[data-testid=td-json]";
    let text = value(&b, area).await;
    assert!(text.contains("\"family\": \"worker\""), "{text}");
    // A misspelt member (typed into the text: an input event per change).
    let bad = text
        .replacen("\"networkMode\"", "\"netwrokMode\"", 1)
        .replacen("\"memory\": 2048", "\"memory\": 1536", 1);
    assert!(bad.contains("netwrokMode") && bad.contains("1536"), "{bad}");
    b.js(
        "const t = document.querySelector(arguments[0]); t.value = arguments[1];\
         t.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![json!(area), json!(bad)],
    )
    .await;
    let finding = "[data-testid=json-finding][data-code=unknown-field]";
    b.wait_for(finding, TIMEOUT).await;
    let line = b
        .js(
            "return document.querySelector(arguments[0]).dataset.line;",
            vec![json!(finding)],
        )
        .await;
    let want = bad.lines().position(|l| l.contains("netwrokMode")).unwrap() + 1;
    assert_eq!(line, json!(want.to_string()), "the finding is on its line");
    b.wait_for(".gutter .gl.error", TIMEOUT).await;
    assert_eq!(b.text(".gutter .gl.error").await, want.to_string());
    assert!(b
        .js(
            "return document.querySelector('[data-testid=td-json-apply]').disabled;",
            vec![]
        )
        .await
        .as_bool()
        .unwrap());
    scroll_to(&b, ".json-view").await;
    b.screenshot("editor-task-definition-json.png").await;
    b.click(&format!("{finding} [data-testid=json-quick-fix]"))
        .await;
    b.wait_for_absent(finding, TIMEOUT).await;
    wait_undo_says(
        &b,
        "rename `netwrokMode` to `networkMode` in task definition worker",
    )
    .await;

    // Renaming the family would leave the worker service without its task definition: the
    // engine refuses the edit, the editor says why, and the plan keeps the old name.
    type_into(&b, "[data-testid=td-family]", "batch", Some(Key::Tab)).await;
    b.wait_for(
        "[data-testid=editor-refused] [data-testid=finding][data-code=unknown-task-definition]",
        TIMEOUT,
    )
    .await;
    scroll_to(&b, "[data-testid=task-definition-editor]").await;
    b.screenshot("editor-task-definition-refused.png").await;
    wait_value(&b, "[data-testid=td-family]", "worker").await;
    assert!(b
        .text("[data-testid=editor-refused]")
        .await
        .contains("Not applied"));

    // Paste a docker-compose file: converted, family kept, applied with Ctrl+Enter.
    let compose = "services:\n  worker:\n    image: public.ecr.aws/docker/library/redis:7.2\n    environment:\n      MODE: batch\n    deploy:\n      resources:\n        limits:\n          memory: 512M\n";
    b.js(
        "const t = document.querySelector(arguments[0]); t.focus(); t.select();\
         const dt = new DataTransfer(); dt.setData('text', arguments[1]);\
         t.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));",
        vec![json!(area), json!(compose)],
    )
    .await;
    b.wait_for("[data-testid=td-json-converted]", TIMEOUT).await;
    assert!(b
        .text("[data-testid=td-json-converted]")
        .await
        .starts_with("Converted from a docker-compose file."));
    let converted = value(&b, area).await;
    assert!(converted.contains("redis:7.2"), "{converted}");
    assert!(converted.contains("\"family\": \"worker\""), "{converted}");
    let el = b.wait_for(area, TIMEOUT).await;
    el.click().await.unwrap();
    chord(&b, Key::Control, Key::Enter).await;
    wait_undo_says(&b, "edited the JSON in task definition worker").await;
    b.wait_until(
        "document.querySelector('[data-testid=td-container] [data-testid=\"td-containerDefinitions[0].image\"]').value.includes('redis:7.2')",
        TIMEOUT,
    )
    .await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn tasks_run_by_dragging_a_task_definition_onto_the_board_or_from_the_keyboard() {
    let Some(h) = e2e::Harness::start() else {
        return;
    };
    let b = h.browser().await;
    open(&b).await;
    wait_count(&b, "[data-testid=task]", 7).await;

    // Keyboard: "Run tasks…", a count, Enter.
    b.click("[data-testid=task-definition][data-index='1'] [data-testid=run-tasks-open]")
        .await;
    let count_box = "[data-testid=task-definition][data-index='1'] [data-testid=run-tasks-count]";
    b.wait_until(
        &format!(
            "document.activeElement === document.querySelector({})",
            json!(count_box)
        ),
        TIMEOUT,
    )
    .await;
    type_into(&b, count_box, "2", Some(Key::Enter)).await;
    wait_count(&b, "[data-testid=task]", 9).await;
    wait_undo_says(&b, "ran 2 task(s) of worker:1").await;

    // Pointer: drag the web task definition's handle onto the board.
    let handle = b
        .wait_for(
            "[data-testid=task-definition][data-index='0'] [data-testid=taskdef-handle]",
            TIMEOUT,
        )
        .await;
    let (hx, hy) = centre(
        &b,
        "[data-testid=task-definition][data-index='0'] [data-testid=taskdef-handle]",
    )
    .await;
    let (bx, by) = centre(&b, "#board").await;
    drag_by(&b, handle, bx - hx, by - hy, true).await;
    b.wait_for("[data-testid=taskdef-ghost].can-drop", TIMEOUT)
        .await;
    b.screenshot("run-task-dragging.png").await;
    release(&b).await;
    wait_count(&b, "[data-testid=task]", 10).await;
    wait_undo_says(&b, "ran 1 task(s) of web:1").await;
    // Dropped elsewhere: nothing runs.
    let handle = b
        .wait_for(
            "[data-testid=task-definition][data-index='0'] [data-testid=taskdef-handle]",
            TIMEOUT,
        )
        .await;
    let before = undo_title(&b).await;
    drag_by(&b, handle, 0.0, 80.0, false).await;
    b.wait_for_absent("[data-testid=taskdef-ghost]", TIMEOUT)
        .await;
    assert_eq!(count(&b, "[data-testid=task]").await, 10);
    assert_eq!(undo_title(&b).await, before, "nothing ran");
    assert_clean_console(&b).await;
    b.close().await;
}
