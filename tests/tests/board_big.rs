//! A big cluster (more than 60 instances): the board says that it draws only the instances in
//! and near the view, cards far down are not on the page until scrolling brings them, and their
//! buttons work once they are.

mod board_common;
mod shell_common;

use board_common::{element, wait_status};
use e2e::{Harness, TIMEOUT};
use serde_json::{json, Value};
use shell_common::*;

const ZONES: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];

/// 120 m5.large in three zones (40 a zone) and `web`: 240 tasks of 256 CPU units / 512 MiB
/// spread across zones, then instances.
fn big_plan() -> String {
    let insts: Vec<Value> = (0..120)
        .map(|i| json!({"id": format!("i-{i:04}"), "instanceType": "m5.large", "availabilityZone": ZONES[i % 3]}))
        .collect();
    json!({
        "schemaVersion": 1,
        "name": "120 instances",
        "region": "us-east-1",
        "cluster": {"clusterName": "big", "availabilityZones": ZONES, "containerInstances": insts},
        "taskDefinitions": [{"family": "web", "containerDefinitions": [
            {"name": "web", "image": "public.ecr.aws/nginx/nginx:1", "cpu": 256, "memory": 512}]}],
        "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": 240,
            "placementStrategy": [{"type": "spread", "field": "attribute:ecs.availability-zone"},
                {"type": "spread", "field": "instanceId"}]}]
    })
    .to_string()
}

const LAST: &str = "[data-testid=instance][data-instance-id='i-0117']";

#[tokio::test]
async fn a_big_cluster_draws_cards_as_they_come_into_view() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    assert_eq!(
        count(&b, "[data-testid=defer-note]").await,
        0,
        "a small board is drawn whole"
    );
    paste_import(&b, &big_plan()).await;
    b.wait_for("[data-testid=defer-note]", TIMEOUT).await;
    wait_status(&b, "240 tasks placed").await;

    // The first cards are drawn (they are in view); the last one is not on the page.
    b.wait_for(
        "[data-testid=instance][data-instance-id='i-0000'] [data-testid=task]",
        TIMEOUT,
    )
    .await;
    assert_eq!(count(&b, LAST).await, 0);
    assert!(count(&b, "[data-testid=instance]").await < 120);

    // Scrolled to the end, it is drawn with its tasks and buttons.
    b.js(
        "window.scrollTo(0, document.documentElement.scrollHeight);",
        vec![],
    )
    .await;
    b.wait_for(&format!("{LAST} [data-testid=task]"), TIMEOUT)
        .await;
    let far: Value = b
        .js(
            "return document.querySelector(arguments[0] + ' [data-testid=task]').dataset.taskId;",
            vec![json!(LAST)],
        )
        .await;
    assert_eq!(count(&b, &format!("{LAST} [data-testid=task]")).await, 2);
    assert_eq!(count(&b, &format!("{LAST} [data-testid=move]")).await, 1);

    // Drain the last instance from its button: its tasks go elsewhere, the board stays whole.
    element(&b, &format!("{LAST} [data-testid=drain]"))
        .await
        .click()
        .await
        .expect("click Drain");
    b.wait_for(&format!("{LAST} [data-testid=draining]"), TIMEOUT)
        .await;
    let status = b.text("[data-testid=status]").await;
    assert!(status.contains("240 tasks placed"), "{status}");
    // Only its two tasks move: ECS leaves running tasks where they are (the cards they went to
    // may be off the page; those drawn mark them).
    assert_eq!(status.matches(" moved from ").count(), 2, "{status}");
    assert!(!status.contains("afresh"), "{status}");
    assert!(count(&b, "[data-testid=task][data-change=moved]").await <= 2);

    // Placing afresh (as on a new cluster) reshuffles, and the live line says ECS would not.
    b.click("[data-testid=place-afresh]").await;
    let status = wait_status(&b, "Placed every task afresh").await;
    assert!(
        status.contains("of the moves come only from placing the whole plan afresh: ECS would leave those tasks running where they are"),
        "{status}"
    );
    assert!(far.as_str().is_some_and(|s| s.starts_with("web-")), "{far}");
    b.screenshot("board-big.png").await;
    assert_clean_console(&b).await;
    b.close().await;
}
