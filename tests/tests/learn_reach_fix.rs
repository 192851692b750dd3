//! Learn: a reach scenario played on the board (a change the controls do not allow is refused
//! at once; Check grades the goal), and a fix scenario played in the task definition editor
//! until the validator's findings are gone.

mod board_common;
mod learn_common;
mod shell_common;

use board_common::*;
use e2e::{Harness, TIMEOUT};
use learn_common::*;
use serde_json::{json, Value};
use shell_common::*;

#[tokio::test]
async fn reach_a_goal_with_the_allowed_controls_on_the_board() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open_at(&b, "/#learn/survive-losing-a-zone").await;
    wait_scenario(&b, "survive-losing-a-zone").await;
    assert_eq!(n(&b, "[data-testid=instance]").await, 3);
    assert!(b
        .text("[data-testid=learn-controls]")
        .await
        .contains("m5.large"));
    // Checked as it is: the goal is not met, and the verdict says which part.
    b.click("[data-testid=learn-check]").await;
    wait_result(&b).await;
    assert!(!result_correct(&b).await);
    assert!(n(&b, "[data-testid=goal-check][data-met=false]").await >= 1);

    // An instance type the scenario does not offer: refused at once (undo takes it back).
    let xl = palette_item(&b, "m5.xlarge").await;
    drag(&b, &xl, LANE_B, Pointer::Mouse).await;
    wait_count(&b, "[data-testid=instance]", 4).await;
    assert_eq!(
        n(&b, "[data-testid=learn-result]").await,
        0,
        "an edit clears the verdict"
    );
    let refused = b.text("[data-testid=learn-refused]").await;
    assert!(refused.contains("m5.xlarge"), "{refused}");
    b.screenshot("learn-reach-refused.png").await;
    b.click("[data-testid=undo]").await;
    wait_count(&b, "[data-testid=instance]", 3).await;
    b.wait_for_absent("[data-testid=learn-refused]", SLOW).await;

    // The allowed move: one more m5.large in the zone with one.
    let large = palette_item(&b, "m5.large").await;
    drag(&b, &large, LANE_B, Pointer::Mouse).await;
    wait_count(&b, "[data-testid=instance]", 4).await;
    b.click("[data-testid=learn-check]").await;
    wait_result(&b).await;
    assert!(
        result_correct(&b).await,
        "{}",
        b.text("[data-testid=learn-result]").await
    );
    assert_eq!(n(&b, "[data-testid=goal-check][data-met=false]").await, 0);
    assert_eq!(
        progress(&b).await["scenarios"]["survive-losing-a-zone"]["lastRight"],
        json!(true)
    );
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn fix_a_task_definition_in_the_editor_until_the_findings_are_gone() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open_at(&b, "/#learn/fargate-task-definition-fix").await;
    wait_scenario(&b, "fargate-task-definition-fix").await;
    // The scenario opens the editor of the task definition it is about, with its findings.
    b.wait_for("[data-testid=task-definition-editor]", TIMEOUT)
        .await;
    b.wait_for("[data-testid=td-json]", TIMEOUT).await;
    b.screenshot("learn-fix-start.png").await;
    b.click("[data-testid=learn-check]").await;
    wait_result(&b).await;
    assert!(!result_correct(&b).await);

    // Edit the JSON: awsvpc, 512 CPU units for 4 GiB, no host port mapping.
    let text = b
        .js(
            "return document.querySelector('[data-testid=td-json]').value;",
            vec![],
        )
        .await;
    let mut td: Value = serde_json::from_str(text.as_str().unwrap()).unwrap();
    td["networkMode"] = json!("awsvpc");
    td["cpu"] = json!("512");
    td["containerDefinitions"][0]["portMappings"] = json!([{ "containerPort": 8080 }]);
    b.js(
        "const t = document.querySelector('[data-testid=td-json]'); t.value = arguments[0];\
         t.dispatchEvent(new Event('input', { bubbles: true }));\
         t.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![json!(serde_json::to_string_pretty(&td).unwrap())],
    )
    .await;
    b.wait_until(
        "(document.querySelector('[data-testid=undo]').title || '').includes('edited the JSON')",
        TIMEOUT,
    )
    .await;
    assert_eq!(n(&b, "[data-testid=learn-refused]").await, 0);
    b.click("[data-testid=learn-check]").await;
    wait_result(&b).await;
    assert!(
        result_correct(&b).await,
        "{}",
        b.text("[data-testid=learn-result]").await
    );
    assert!(b
        .text("[data-testid=learn-explanation]")
        .await
        .contains("0 errors"));
    assert_clean_console(&b).await;
    b.close().await;
}
