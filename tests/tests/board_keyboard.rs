//! Every drag has a keyboard equivalent: pick an instance type with Enter, choose a zone with
//! the arrow keys, drop with Enter; move an instance the same way; Escape cancels; `M` on a task
//! asks every instance whether it could take it. The `?` sheet lists every shortcut.

mod board_common;
mod shell_common;

use board_common::*;
use e2e::{Harness, TIMEOUT};
use fantoccini::key::Key;
use serde_json::json;
use shell_common::*;

#[tokio::test]
async fn keyboard_only_adds_an_instance_and_moves_one() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    // `/` goes to the palette's search; Tab to the first match; Enter picks it up.
    press(&b, '/', &[]).await;
    assert!(focused_is(&b, "[data-testid=palette-search]").await);
    type_text(&b, "c5.large").await;
    b.wait_until(
        "(document.querySelector('[data-testid=palette-item]') || {}).dataset.instanceType === 'c5.large'",
        TIMEOUT,
    )
    .await;
    tab_to(
        &b,
        "[data-testid=palette-item][data-instance-type='c5.large']",
        3,
    )
    .await;
    press(&b, Key::Enter, &[]).await;
    // The first zone has the focus; the live line says what is going on.
    b.wait_until(
        "document.activeElement.dataset.az === 'us-east-1a'",
        TIMEOUT,
    )
    .await;
    let live = wait_status(&b, "Moving c5.large: Availability Zone us-east-1a (1 of 2)").await;
    assert!(live.contains("Enter drops, Escape cancels"), "{live}");
    press(&b, Key::Right, &[]).await;
    b.wait_until(
        "document.activeElement.dataset.az === 'us-east-1b'",
        TIMEOUT,
    )
    .await;
    b.wait_for(&format!("{LANE_B}.drop-over"), TIMEOUT).await;
    b.screenshot("board-keyboard-pick.png").await;
    press(&b, Key::Enter, &[]).await;
    wait_status(&b, "Added 1 × c5.large in us-east-1b").await;
    assert_eq!(
        lane_counts(&b).await,
        vec![("us-east-1a".to_string(), 2), ("us-east-1b".to_string(), 3)]
    );
    // The focus is back on the palette item.
    b.wait_until(
        "document.activeElement.dataset.instanceType === 'c5.large'",
        TIMEOUT,
    )
    .await;

    // Move an instance: Tab to its Move button, Enter, the other zone is offered first.
    let id = "i-0a1f3c5e7b9d10002";
    let handle = format!("[data-testid=instance][data-instance-id='{id}'] [data-testid=move]");
    tab_to(&b, &handle, 80).await;
    // Escape cancels and gives the focus back.
    press(&b, Key::Enter, &[]).await;
    b.wait_until(
        "document.activeElement.dataset.az === 'us-east-1b'",
        TIMEOUT,
    )
    .await;
    press(&b, Key::Escape, &[]).await;
    b.wait_until(
        &format!(
            "document.activeElement === document.querySelector({})",
            json!(handle)
        ),
        TIMEOUT,
    )
    .await;
    assert_eq!(
        lane_counts(&b).await,
        vec![("us-east-1a".to_string(), 2), ("us-east-1b".to_string(), 3)]
    );
    press(&b, Key::Enter, &[]).await;
    b.wait_until(
        "document.activeElement.dataset.az === 'us-east-1b'",
        TIMEOUT,
    )
    .await;
    press(&b, Key::Enter, &[]).await;
    wait_status(&b, &format!("Moved {id} to us-east-1b")).await;
    assert_eq!(
        lane_counts(&b).await,
        vec![("us-east-1a".to_string(), 1), ("us-east-1b".to_string(), 4)]
    );
    // The focus follows the moved instance to its new lane.
    b.wait_until(
        &format!(
            "document.activeElement === document.querySelector({})",
            json!(format!("{LANE_B} {handle}"))
        ),
        TIMEOUT,
    )
    .await;
    // And undo is a key away.
    press(&b, 'z', &[Key::Control]).await;
    wait_status(&b, &format!("Undid: moved {id} to us-east-1b")).await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn m_on_a_task_asks_every_instance_whether_it_could_take_it() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    let chip = "[data-testid=task][data-task-id='worker-1']";
    tab_to(&b, chip, 80).await;
    press(&b, 'm', &[]).await;
    let live = wait_status(&b, "Moving task worker-1: instance").await;
    assert!(live.contains("(1 of 4)"), "{live}");
    assert_eq!(count(&b, "[data-testid=verdict-overlay]").await, 4);
    press(&b, Key::Down, &[]).await;
    wait_status(&b, "(2 of 4)").await;
    let target = b
        .js("return document.activeElement.dataset.instanceId;", vec![])
        .await;
    press(&b, Key::Enter, &[]).await;
    let status = b
        .wait_until(
            "(() => { const t = document.querySelector('[data-testid=status]').textContent; return !t.startsWith('Moving') && t; })()",
            TIMEOUT,
        )
        .await;
    let status = status.as_str().unwrap_or_default().to_string();
    assert!(
        status.contains("worker-1")
            && (status.contains("ECS would place")
                || status.contains("is on")
                || status.contains("cannot go on")),
        "{status} (dropped on {target})"
    );
    // Selected now: the explanation is open, and Escape clears it.
    b.wait_for("[data-testid=explain]", TIMEOUT).await;
    press(&b, Key::Escape, &[]).await;
    b.wait_for_absent("[data-testid=explain]", TIMEOUT).await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn the_question_mark_sheet_lists_every_shortcut() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    press(&b, '?', &[Key::Shift]).await;
    b.wait_for("[data-testid=shortcuts]", TIMEOUT).await;
    let rows = count(&b, "[data-testid=shortcuts] [data-testid=shortcut]").await;
    assert!(rows >= 12, "{rows} shortcuts");
    let text = b.text("[data-testid=shortcuts]").await;
    for needle in [
        "Undo",
        "Redo",
        "Ctrl+Z",
        "Shift+Ctrl+Z",
        "Arrow keys",
        "Escape",
        "M on a task",
        "Enter on an instance type",
        "Space on the scrubber",
        "Enter on a scaling policy card",
    ] {
        assert!(
            text.contains(needle),
            "{needle} missing from the sheet:\n{text}"
        );
    }
    assert_eq!(
        b.js(
            "return document.querySelector('[data-testid=shortcuts]').getAttribute('role');",
            vec![]
        )
        .await,
        json!("dialog")
    );
    b.screenshot("board-shortcuts.png").await;
    press(&b, Key::Escape, &[]).await;
    b.wait_for_absent("[data-testid=shortcuts]", TIMEOUT).await;
    // The toolbar button opens it too.
    b.click("[data-testid=shortcuts-open]").await;
    b.wait_for("[data-testid=shortcuts]", TIMEOUT).await;
    press(&b, '?', &[Key::Shift]).await;
    b.wait_for_absent("[data-testid=shortcuts]", TIMEOUT).await;
    assert_clean_console(&b).await;
    b.close().await;
}
