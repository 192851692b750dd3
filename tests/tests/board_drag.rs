//! The board's drags with WebDriver pointer actions (mouse and touch): an instance type from
//! the palette into a zone, an instance to another zone, a task onto an instance; what
//! placement did is highlighted and announced, undo and redo follow, and a task dropped on an
//! instance that cannot take it shows the engine's reason.

mod board_common;
mod shell_common;

use board_common::*;
use e2e::{Harness, TIMEOUT};
use fantoccini::key::Key;
use serde_json::json;
use shell_common::*;

#[tokio::test]
async fn dragging_an_instance_type_into_a_zone_adds_an_instance_and_places_the_waiting_tasks() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    // A paste opens in the engine worker (its files load then); the board's edits after it
    // load nothing.
    paste_import(&b, &crowded_plan()).await;
    let loaded = resources(&b).await;
    b.wait_for("[data-testid=unplaced].has-tasks", TIMEOUT)
        .await;
    let waiting = unplaced(&b).await;
    assert!(waiting >= 2, "{waiting} tasks wait");
    // Identical reasons are said once for the group.
    assert_eq!(count(&b, "[data-testid=unplaced-group]").await, 1);

    let item = palette_item(&b, "m5.large").await;
    drag(&b, &item, LANE_B, Pointer::Mouse).await;
    let status = wait_status(&b, "Added 1 × m5.large in us-east-1b").await;
    assert_eq!(
        lane_counts(&b).await,
        vec![("us-east-1a".to_string(), 2), ("us-east-1b".to_string(), 3)]
    );
    let new_one = "[data-testid=instance][data-instance-id='i-planner0001']";
    b.wait_for(&format!("{LANE_B} {new_one}"), TIMEOUT).await;
    // Placement ran again: every task on the new instance came from elsewhere or waited, and
    // says so (colour and a word); the tasks that waited are placed.
    let on_new = count(&b, &format!("{new_one} [data-testid=task]")).await;
    assert!(on_new >= 1, "tasks on the new instance");
    assert_eq!(
        count(&b, &format!("{new_one} [data-testid=task][data-change]")).await,
        on_new
    );
    let now_waiting = unplaced(&b).await;
    assert!(
        now_waiting < waiting,
        "{now_waiting} of {waiting} still wait"
    );
    assert_eq!(
        count(&b, "[data-testid=task][data-change=placed]").await,
        waiting - now_waiting
    );
    assert!(
        status.contains("that waited were placed") || status.contains(" placed on "),
        "{status}"
    );
    let marker = b
        .js(
            "return getComputedStyle(document.querySelector('[data-change=placed]'), '::after').content;",
            vec![],
        )
        .await;
    assert_eq!(marker, json!("\"placed\""), "a word, not only a colour");
    b.screenshot("board-instance-added.png").await;

    // The highlight animates unless the system asks for reduced motion.
    let animation = "getComputedStyle(document.querySelector('[data-change]')).animationName";
    assert_eq!(
        b.js(&format!("return {animation};"), vec![]).await,
        json!("chip-flash")
    );
    emulate_media(&b, "prefers-reduced-motion", "reduce").await;
    b.wait_until(&format!("{animation} === 'none'"), TIMEOUT)
        .await;

    // The next edit that moves nothing takes the highlights away (no card is drawn again for
    // it: the chips lose their mark).
    assert!(count(&b, "[data-testid=task][data-change]").await > 0);
    b.click("[data-testid=add-zone]").await;
    wait_status(&b, "Added zone us-east-1c: no task moved").await;
    wait_count(&b, "[data-testid=task][data-change]", 0).await;

    assert_eq!(
        resources(&b).await,
        loaded,
        "no request after the plan opened"
    );
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn dragging_an_instance_to_another_zone_moves_it_then_undo_and_redo_follow() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    let id = "i-0a1f3c5e7b9d10001";
    let handle = format!("[data-testid=instance][data-instance-id='{id}'] [data-testid=move]");
    drag(&b, &handle, LANE_B, Pointer::Mouse).await;
    let status = wait_status(&b, &format!("Moved {id} to us-east-1b")).await;
    assert_eq!(
        lane_counts(&b).await,
        vec![("us-east-1a".to_string(), 1), ("us-east-1b".to_string(), 3)]
    );
    // Relaunched in the other zone, its task is placed again; the others keep running.
    assert!(
        status.contains(&format!(" moved from {id} to ")),
        "{status}"
    );
    let moved = count(&b, "[data-testid=task][data-change=moved]").await;
    assert!(moved >= 1, "moved tasks are highlighted");
    // The click that ends a drag is not a click: nothing got selected.
    assert_eq!(count(&b, "[data-testid=explain]").await, 0);
    // The Move button the press focused left with its card: the focus is on the page's body
    // (taken off the button before the card left, which spares Chrome a costly removal).
    let focus = b
        .js("return document.activeElement === document.body;", vec![])
        .await;
    assert_eq!(focus, serde_json::json!(true), "the focus is on the body");
    b.screenshot("board-instance-moved.png").await;

    // Undo (Ctrl+Z) and redo (Shift+Ctrl+Z) after a drag.
    b.js(
        "document.activeElement && document.activeElement.blur();",
        vec![],
    )
    .await;
    press(&b, 'z', &[Key::Control]).await;
    wait_status(&b, &format!("Undid: moved {id} to us-east-1b")).await;
    assert_eq!(
        lane_counts(&b).await,
        vec![("us-east-1a".to_string(), 2), ("us-east-1b".to_string(), 2)]
    );
    press(&b, 'z', &[Key::Control, Key::Shift]).await;
    wait_status(&b, &format!("Redid: moved {id} to us-east-1b")).await;
    assert_eq!(
        lane_counts(&b).await,
        vec![("us-east-1a".to_string(), 1), ("us-east-1b".to_string(), 3)]
    );
    // Dropping an instance on its own zone, or outside any zone, changes nothing.
    let handle_b =
        "[data-testid=instance][data-instance-id='i-0b2e4d6f8a0c20003'] [data-testid=move]";
    drag(&b, handle_b, "[data-testid=legend]", Pointer::Mouse).await;
    drag(&b, handle_b, LANE_B, Pointer::Mouse).await;
    assert_eq!(
        lane_counts(&b).await,
        vec![("us-east-1a".to_string(), 1), ("us-east-1b".to_string(), 3)]
    );
    assert!(b
        .text("[data-testid=status]")
        .await
        .starts_with(&format!("Redid: moved {id}")));
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn a_task_dragged_onto_an_instance_that_cannot_take_it_shows_the_reason() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    let menu = b.wait_for("[data-testid=sample-select]", TIMEOUT).await;
    menu.select_by_value("mixed-memberof")
        .await
        .expect("choose the mixed sample");
    wait_plan_name(&b, "Mixed instance types with memberOf").await;
    // admin must run where attribute:tier == tools (the t3.medium instances).
    let admin = "[data-testid=task][data-task-id='admin-1']";
    let m5 = "[data-testid=instance][data-instance-id='i-05c1a0000000000a1']";
    drag_and_hold(&b, admin, m5).await;
    // While dragging, every instance says whether the task may go there, and why not.
    b.wait_for(&format!("{m5}.drop-over"), TIMEOUT).await;
    assert_eq!(
        count(&b, "[data-testid=verdict-overlay]").await,
        count(&b, "[data-testid=instance]").await
    );
    let verdict = b.text(&format!("{m5} [data-testid=verdict-overlay]")).await;
    assert!(verdict.starts_with("✗ constraints: memberOf"), "{verdict}");
    assert_eq!(
        count(&b, "[data-testid=verdict-overlay][data-verdict=chosen]").await,
        1
    );
    assert!(count(&b, "[data-testid=verdict-overlay][data-verdict=fail]").await >= 5);
    let live = b.text("[data-testid=status]").await;
    assert!(
        live.starts_with("Dragging task admin-1: drop on instance"),
        "{live}"
    );
    b.wait_for("[data-testid=drag-ghost]", TIMEOUT).await;
    b.screenshot("board-task-drag-forbidden.png").await;
    release(&b).await;
    let status = wait_status(&b, "admin-1 cannot go on").await;
    assert!(
        status.contains("ruled out at constraints: memberOf"),
        "{status}"
    );
    // Nothing changed, and the verdicts stay on the board for the dropped task.
    assert_eq!(
        b.js(
            "return document.querySelector('[data-testid=undo]').title;",
            vec![]
        )
        .await,
        json!("Undo: opened Mixed instance types with memberOf (Ctrl+Z)")
    );
    b.wait_for("[data-testid=explain]", TIMEOUT).await;

    // A drop where ECS could place it says where ECS would place it instead.
    let tools_b = "[data-testid=instance][data-instance-id='i-07d2b0000000000b2']";
    let tools_a = "[data-testid=instance][data-instance-id='i-07d2a0000000000a2']";
    let host = b
        .js("return document.querySelector(arguments[0]).closest('[data-testid=instance]').dataset.instanceId;", vec![json!(admin)])
        .await;
    let other = if host == json!("i-07d2a0000000000a2") {
        tools_b
    } else {
        tools_a
    };
    drag(&b, admin, other, Pointer::Mouse).await;
    let status = wait_status(&b, "ECS would place admin-1 on").await;
    assert!(status.contains("cannot be pinned"), "{status}");
    b.screenshot("board-task-drop-ranked.png").await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn an_instance_type_dragged_with_a_finger_adds_an_instance() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    b.client().set_window_size(820, 1180).await.expect("resize");
    open(&b).await;
    let item = palette_item(&b, "c6g.large").await;
    drag(&b, &item, LANE_A, Pointer::Touch).await;
    wait_status(&b, "Added 1 × c6g.large in us-east-1a").await;
    assert_eq!(
        lane_counts(&b).await,
        vec![("us-east-1a".to_string(), 3), ("us-east-1b".to_string(), 2)]
    );
    assert_clean_console(&b).await;
    b.close().await;
}
