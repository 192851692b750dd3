//! The app shell draws the cluster: the default plan, the samples (menu, paste, file input,
//! drop), a task's explanation, and the tablet-width layout.

mod shell_common;

use std::time::Instant;

use e2e::{report, Harness, TIMEOUT};
use fantoccini::Locator;
use serde_json::json;
use shell_common::*;

#[tokio::test]
async fn default_plan_renders_two_zones_of_two_instances_and_seven_tasks() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;

    let started = Instant::now();
    b.open("/").await;
    b.wait_for(READY, TIMEOUT).await;
    measured(
        "navigation to #board[data-ready=true] (WebDriver round trips included)",
        started.elapsed(),
    );
    let in_page = b
        .js(
            "return document.querySelector('#board').dataset.readyMs;",
            vec![],
        )
        .await;
    report(&format!(
        "board ready at performance.now() = {} ms",
        in_page.as_str().unwrap_or("?")
    ));

    assert_eq!(
        instances_per_zone(&b).await,
        vec![("us-east-1a".to_string(), 2), ("us-east-1b".to_string(), 2)]
    );
    assert_eq!(
        count(&b, "[data-testid=instance] [data-testid=task]").await,
        7
    );
    assert_eq!(
        count(&b, "[data-testid=task]").await,
        7,
        "no task outside the instances"
    );
    assert_eq!(plan_name(&b).await, "Two-AZ web cluster");
    assert_eq!(
        b.text("[data-testid=status]").await,
        "7 tasks placed on 4 instances in 2 zones"
    );
    let live = b
        .js(
            "return document.querySelector('[data-testid=status]').getAttribute('aria-live');",
            vec![],
        )
        .await;
    assert_eq!(live, json!("polite"));

    // Every task is a block in both bars, sized by its reservation, labelled with its family.
    assert_eq!(count(&b, "[data-testid=instance] .meter .block").await, 14);
    let labels = b
        .js("return Array.from(document.querySelectorAll('.block')).map(e => e.textContent.trim()).filter(t => t).length;", vec![])
        .await;
    assert_eq!(
        labels,
        json!(14),
        "every block carries its family's label, not just a colour"
    );
    assert_eq!(count(&b, "[data-testid=legend] li").await, 2);
    assert_eq!(count(&b, "[data-testid=service]").await, 2);
    assert!(count(&b, "[data-testid=task-definition]").await >= 2);
    assert_eq!(
        b.js(
            "return document.querySelector('[data-testid=unplaced]').dataset.count;",
            vec![]
        )
        .await,
        json!("0")
    );
    // Full ids in the title, a shortened one on the card.
    let id = b
        .js("const e = document.querySelector('[data-testid=instance] .instance-id'); return [e.title, e.textContent];", vec![])
        .await;
    assert_eq!(id, json!(["i-0a1f3c5e7b9d10001", "i-…d10001"]));

    let shot = b.screenshot("default-view.png").await;
    report(&format!("screenshot: {}", shot.display()));
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn pasting_the_fargate_sample_shows_ten_fargate_tasks_in_three_zones() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    paste_import(&b, &sample("fargate-spot.json")).await;
    wait_plan_name(&b, "Fargate with a Spot share").await;
    wait_count(
        &b,
        "[data-testid=lane] [data-testid=fargate] [data-testid=task]",
        10,
    )
    .await;
    let per_lane = b
        .js(
            "return Array.from(document.querySelectorAll('[data-testid=lane]'))\
               .map(l => l.querySelectorAll('[data-launch=FARGATE]').length);",
            vec![],
        )
        .await;
    let per_lane: Vec<u64> = per_lane
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(per_lane.len(), 3, "three zones: {per_lane:?}");
    assert!(
        per_lane.iter().all(|n| *n > 0),
        "every zone runs Fargate tasks: {per_lane:?}"
    );
    assert_eq!(count(&b, "[data-testid=instance]").await, 0);
    assert_eq!(
        b.text("[data-testid=status]").await,
        "10 Fargate tasks in 3 zones"
    );
    b.wait_for_absent("[data-testid=import-dialog]", TIMEOUT)
        .await;
    b.screenshot("fargate-view.png").await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn a_real_file_in_the_file_input_shows_the_mixed_plan() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(
        dir.path(),
        "mixed-memberof.json",
        &sample("mixed-memberof.json"),
    );
    file_import(&b, &path).await;
    wait_plan_name(&b, "Mixed instance types with memberOf").await;
    wait_count(&b, "[data-testid=instance]", 7).await;
    assert_eq!(count(&b, "[data-testid=lane]").await, 3);
    let zones: u64 = instances_per_zone(&b)
        .await
        .iter()
        .filter(|(_, n)| *n > 0)
        .count() as u64;
    assert_eq!(zones, 3, "7 instances in 3 zones");
    b.screenshot("mixed-view.png").await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn a_file_dropped_on_the_page_is_imported() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    drop_file(&b, "fargate-spot.json", &sample("fargate-spot.json")).await;
    wait_plan_name(&b, "Fargate with a Spot share").await;
    wait_count(&b, "[data-launch=FARGATE]", 10).await;
    // A dropped file that is not a plan opens the dialog with the reason.
    drop_file(&b, "notes.json", "[1, 2, 3]").await;
    let findings = import_findings(&b).await;
    assert_eq!(findings[0]["code"], json!("not-a-plan"), "{findings:?}");
    assert!(b
        .text("[data-testid=import-error]")
        .await
        .contains("notes.json"));
    assert_eq!(plan_name(&b).await, "Fargate with a Spot share");
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn the_sample_menu_opens_each_sample() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    let loaded = resources(&b).await;
    let menu = b.wait_for("[data-testid=sample-select]", TIMEOUT).await;
    menu.select_by_value("mixed-memberof")
        .await
        .expect("choose the mixed sample");
    wait_plan_name(&b, "Mixed instance types with memberOf").await;
    wait_count(&b, "[data-testid=instance]", 7).await;
    let menu = b
        .client()
        .find(Locator::Css("[data-testid=sample-select]"))
        .await
        .unwrap();
    assert_eq!(
        menu.prop("value").await.unwrap().as_deref(),
        Some(""),
        "the menu goes back to its prompt"
    );
    menu.select_by_value("two-az-web")
        .await
        .expect("choose the default sample");
    wait_plan_name(&b, "Two-AZ web cluster").await;
    wait_count(&b, "[data-testid=task]", 7).await;
    assert_eq!(
        resources(&b).await,
        loaded,
        "samples are embedded: no request after the page loaded"
    );
    assert!(loaded.iter().all(|r| !r.contains("/plans/")), "{loaded:?}");
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn dark_mode_follows_the_system() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    let background = "getComputedStyle(document.body).backgroundColor";
    assert_eq!(
        b.js(&format!("return {background};"), vec![]).await,
        json!("rgb(244, 245, 247)")
    );
    emulate_color_scheme(&b, "dark").await;
    b.wait_until(&format!("{background} === 'rgb(18, 21, 28)'"), TIMEOUT)
        .await;
    b.click("[data-testid=task][data-task-id='worker-1']").await;
    b.wait_for("[data-testid=explain]", TIMEOUT).await;
    b.screenshot("default-view-dark.png").await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn clicking_a_task_shows_why_it_is_there() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    b.click("[data-testid=task][data-task-id='web-1']").await;
    b.wait_for("[data-testid=explain]", TIMEOUT).await;
    // Every instance gets a verdict, exactly one is chosen: the one the task is on.
    assert_eq!(
        count(&b, "[data-testid=explain] [data-testid=verdict]").await,
        4
    );
    assert_eq!(
        count(&b, "[data-testid=explain] [data-testid=verdict].chosen").await,
        1
    );
    let host = b
        .js("return document.querySelector('[data-testid=task][data-task-id=\"web-1\"]').closest('[data-testid=instance]').dataset.instanceId;", vec![])
        .await;
    let chosen = b
        .js(
            "return document.querySelector('[data-testid=verdict].chosen').dataset.instanceId;",
            vec![],
        )
        .await;
    assert_eq!(host, chosen);
    let pressed = b.js("return document.querySelector('[data-task-id=\"web-1\"]').getAttribute('aria-pressed');", vec![]).await;
    assert_eq!(pressed, json!("true"));
    b.screenshot("task-explained.png").await;
    b.click("[data-testid=task][data-task-id='web-1']").await;
    b.wait_for_absent("[data-testid=explain]", TIMEOUT).await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn the_board_fits_a_tablet_width() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    b.client().set_window_size(820, 1180).await.expect("resize");
    open(&b).await;
    let fits = b
        .js(
            "return document.documentElement.scrollWidth <= window.innerWidth;",
            vec![],
        )
        .await;
    assert_eq!(fits, json!(true), "no horizontal scrolling at tablet width");
    b.screenshot("tablet-view.png").await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn unplaced_tasks_show_in_the_tray_with_reasons_and_draining_instances_are_marked() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    // 16 workers of 2 GiB do not fit on four m5.large (one of them draining).
    let text = sample("two-az-web.json")
        .replacen("\"desiredCount\": 3", "\"desiredCount\": 16", 1)
        .replacen(
            "\"availabilityZone\": \"us-east-1b\", \"capacityProvider\"",
            "\"availabilityZone\": \"us-east-1b\", \"status\": \"DRAINING\", \"capacityProvider\"",
            1,
        );
    assert!(text.contains("DRAINING"));
    paste_import(&b, &text).await;
    b.wait_for("[data-testid=unplaced].has-tasks", TIMEOUT)
        .await;
    let draining = b
        .js(
            "return Array.from(document.querySelectorAll('[data-testid=instance]'))\
               .filter(i => i.querySelector('[data-testid=draining]')).map(i => i.dataset.instanceId);",
            vec![],
        )
        .await;
    assert_eq!(draining, json!(["i-0b2e4d6f8a0c20003"]));
    let unplaced = count(&b, "[data-testid=unplaced-task]").await;
    assert!(unplaced > 0);
    // Tasks with identical reasons are one group that says why once.
    let groups = count(&b, "[data-testid=unplaced-group]").await;
    assert!(
        groups > 0 && groups < unplaced,
        "{groups} groups of {unplaced} tasks"
    );
    let silent = b
        .js("return Array.from(document.querySelectorAll('[data-testid=unplaced-group]')).filter(g => !g.querySelector('.reasons li')).length;", vec![])
        .await;
    assert_eq!(silent, json!(0), "every group says why");
    let status = b.text("[data-testid=status]").await;
    assert!(
        status.ends_with(&format!("{unplaced} tasks could not be placed")),
        "{status}"
    );
    let worker = b
        .js("return document.querySelector('[data-testid=service][data-service=worker] td').textContent;", vec![])
        .await;
    assert_eq!(worker, json!(format!("{}/16", 16 - unplaced)));
    b.screenshot("unplaced-view.png").await;
    assert_clean_console(&b).await;
    b.close().await;
}

/// Presses Ctrl+Z (with Shift: redo) through WebDriver's keyboard.
async fn ctrl_z(b: &e2e::Browser, shift: bool) {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    use fantoccini::key::Key;
    let mut keys = KeyActions::new("keyboard".into()).then(KeyAction::Down {
        value: Key::Control.into(),
    });
    if shift {
        keys = keys.then(KeyAction::Down {
            value: Key::Shift.into(),
        });
    }
    keys = keys
        .then(KeyAction::Down { value: 'z' })
        .then(KeyAction::Up { value: 'z' });
    if shift {
        keys = keys.then(KeyAction::Up {
            value: Key::Shift.into(),
        });
    }
    keys = keys.then(KeyAction::Up {
        value: Key::Control.into(),
    });
    b.client()
        .perform_actions(keys)
        .await
        .expect("press Ctrl+Z");
}

#[tokio::test]
async fn draining_an_instance_replaces_its_tasks_and_undo_redo_walk_back_and_forth() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    assert_eq!(
        b.js(
            "return document.querySelector('[data-testid=undo]').disabled;",
            vec![]
        )
        .await,
        json!(true),
        "nothing to undo yet"
    );
    let on =
        |id: &str| format!("[data-testid=instance][data-instance-id='{id}'] [data-testid=task]");
    let busy = "i-0b2e4d6f8a0c20004";
    assert_eq!(count(&b, &on(busy)).await, 4);
    b.click(&format!(
        "[data-testid=instance][data-instance-id='{busy}'] [data-testid=drain]"
    ))
    .await;
    b.wait_for(
        &format!("[data-testid=instance][data-instance-id='{busy}'] [data-testid=draining]"),
        TIMEOUT,
    )
    .await;
    assert_eq!(
        count(&b, &on(busy)).await,
        0,
        "a draining instance takes no tasks"
    );
    let title = b
        .js(
            "return document.querySelector('[data-testid=undo]').title;",
            vec![],
        )
        .await;
    assert!(
        title
            .as_str()
            .unwrap()
            .contains(&format!("set {busy} to DRAINING")),
        "{title}"
    );
    // The change is saved like any other.
    reload(&b).await;
    b.wait_for(
        &format!("[data-testid=instance][data-instance-id='{busy}'] [data-testid=draining]"),
        TIMEOUT,
    )
    .await;

    // Undo history lives in the page: open a sample, then walk back and forth.
    paste_import(&b, &sample("fargate-spot.json")).await;
    wait_plan_name(&b, "Fargate with a Spot share").await;
    b.click("[data-testid=undo]").await;
    wait_plan_name(&b, "Two-AZ web cluster").await;
    b.wait_for(
        &format!("[data-testid=instance][data-instance-id='{busy}'] [data-testid=draining]"),
        TIMEOUT,
    )
    .await;
    ctrl_z(&b, true).await;
    wait_plan_name(&b, "Fargate with a Spot share").await;
    ctrl_z(&b, false).await;
    wait_plan_name(&b, "Two-AZ web cluster").await;
    b.click(&format!(
        "[data-testid=instance][data-instance-id='{busy}'] [data-testid=drain]"
    ))
    .await;
    // ACTIVE again, it takes no running task back (ECS does not move running tasks)...
    b.wait_until(
        &format!("!document.querySelector(\"[data-testid=instance][data-instance-id='{busy}'] [data-testid=draining]\")"),
        TIMEOUT,
    )
    .await;
    assert_eq!(count(&b, &on(busy)).await, 0);
    // ...until the plan is placed afresh, as on a new cluster.
    b.click("[data-testid=place-afresh]").await;
    wait_count(&b, &on(busy), 4).await;
    assert_eq!(
        b.js(
            "return document.querySelector('[data-testid=redo]').disabled;",
            vec![]
        )
        .await,
        json!(true),
        "a new change clears what could be redone"
    );
    assert_clean_console(&b).await;
    b.close().await;
}
