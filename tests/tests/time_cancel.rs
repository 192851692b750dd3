//! Cancelling long work: a week simulated on a big plan runs in slices with a Cancel button;
//! pressing it (with the keyboard) stops the run, says what was cancelled, leaves the plan as
//! it was and the page responsive, and Run starts the simulation again.

mod board_common;
mod shell_common;

use board_common::{focused_is, press, scroll_to};
use e2e::{Browser, Harness, TIMEOUT};
use fantoccini::key::Key;
use serde_json::{json, Value};
use shell_common::*;

const ZONES: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];

/// 300 m5.large in three zones and 3 000 tasks of `web` (600 more than fit: they wait in
/// PROVISIONING and are tried again every minute): a week of it takes the simulator long
/// enough to cancel.
fn big_plan() -> String {
    plan_of(300, 3000)
}

/// `instances` m5.large in three zones and `tasks` tasks of `web`.
fn plan_of(instances: usize, tasks: usize) -> String {
    let insts: Vec<Value> = (0..instances)
        .map(|i| json!({"id": format!("i-{i:04}"), "instanceType": "m5.large", "availabilityZone": ZONES[i % 3]}))
        .collect();
    json!({
        "schemaVersion": 1,
        "name": format!("{instances} instances for a week"),
        "region": "us-east-1",
        "cluster": {"clusterName": "big", "availabilityZones": ZONES, "containerInstances": insts},
        "taskDefinitions": [{"family": "web", "containerDefinitions": [
            {"name": "web", "image": "public.ecr.aws/nginx/nginx:1", "cpu": 256, "memory": 512}]}],
        "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": tasks}]
    })
    .to_string()
}

const STATE: &str = "document.querySelector('[data-testid=time-panel]').dataset.state";

/// Sets the scenario's simulated hours (its box shows once Simulate is chosen).
async fn set_hours(b: &Browser, hours: u32) {
    b.js(
        "const h = document.querySelector('[data-testid=scenario-hours]');\
         h.value = String(arguments[0]); h.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![json!(hours)],
    )
    .await;
}

/// The time panel's state `ms` milliseconds from now.
async fn state_after(b: &Browser, ms: u64) -> Value {
    b.js(
        &format!("return await new Promise(r => setTimeout(() => r({STATE}), {ms}));"),
        vec![],
    )
    .await
}

/// Waits until the run's progress bar has moved from 0.
async fn wait_progress(b: &Browser) {
    b.wait_until(
        "Number((document.querySelector('[data-testid=run-progress]') || {value: 0}).value) > 0",
        TIMEOUT,
    )
    .await;
}

#[tokio::test]
async fn a_long_simulation_can_be_cancelled_and_run_again() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    paste_import(&b, &big_plan()).await;
    wait_plan_name(&b, "300 instances for a week").await;
    let saved_js = format!("return localStorage.getItem('{PLAN_KEY}');");
    b.wait_until(
        &format!("(localStorage.getItem('{PLAN_KEY}') || '').includes('for a week')"),
        TIMEOUT,
    )
    .await;
    let saved = b.js(&saved_js, vec![]).await;

    b.click("[data-testid=scenario-simulate]").await;
    b.wait_for("[data-testid=scenario-hours]", TIMEOUT).await;
    set_hours(&b, 168).await;
    b.click("[data-testid=scenario-run]").await;
    b.wait_until(&format!("{STATE} === 'running'"), TIMEOUT)
        .await;
    let cancel = b.wait_for("[data-testid=time-cancel]", TIMEOUT).await;
    assert_eq!(
        b.js(
            "return document.querySelector('[data-testid=run-status]').getAttribute('aria-busy');",
            vec![]
        )
        .await,
        json!("true")
    );
    // The page keeps drawing while it runs: the progress bar moves.
    wait_progress(&b).await;
    // Keyboard: focus the button, Enter.
    b.js(
        "document.querySelector('[data-testid=time-cancel]').focus();",
        vec![],
    )
    .await;
    assert!(focused_is(&b, "[data-testid=time-cancel]").await);
    drop(cancel);
    press(&b, Key::Enter, &[]).await;
    b.wait_until(&format!("{STATE} === 'idle'"), TIMEOUT).await;
    let status = b.text("[data-testid=run-status-text]").await;
    assert!(
        status.starts_with("Cancelled the simulation (168 simulated hours) at hour "),
        "{status}"
    );
    assert!(status.contains("the plan is as it was"), "{status}");
    assert_eq!(count(&b, "[data-testid=time-cancel]").await, 0);
    assert_eq!(count(&b, "[data-testid=run-progress]").await, 0);
    assert_eq!(count(&b, "[data-testid=moment-board]").await, 0);
    // Nothing more is simulated after the cancel: the state stays idle.
    let later = state_after(&b, 300).await;
    assert_eq!(later, json!("idle"));
    // The plan is as it was, on the board and saved.
    assert_eq!(plan_name(&b).await, "300 instances for a week");
    // Every instance is on the board (its lanes' counts: a big board draws only the cards
    // near the view).
    b.wait_until(
        "[...document.querySelectorAll('[data-testid=lane] .lane-title .count')]\
         .reduce((s, e) => s + parseInt(e.textContent), 0) === 300",
        TIMEOUT,
    )
    .await;
    assert_eq!(b.js(&saved_js, vec![]).await, saved);
    // The page responds: a drain takes effect and Undo takes it back.
    const DRAIN: &str = "[data-testid=instance][data-instance-id='i-0000'] [data-testid=drain]";
    // A big board draws only the cards near the view: bring the card onto the page.
    assert!(scroll_to(&b, DRAIN).await, "the board shows {DRAIN}");
    b.click(DRAIN).await;
    b.wait_for("[data-testid=draining]", TIMEOUT).await;
    b.click("[data-testid=undo]").await;
    wait_count(&b, "[data-testid=draining]", 0).await;
    b.screenshot("time-cancelled").await;

    // It runs again (a shorter run this time, to the end).
    set_hours(&b, 1).await;
    b.click("[data-testid=scenario-run]").await;
    b.wait_until(
        &format!("{STATE} === 'done'"),
        std::time::Duration::from_secs(120),
    )
    .await;
    let status = b.text("[data-testid=run-status-text]").await;
    assert!(status.starts_with("Simulated 1 h"), "{status}");
    assert_clean_console(&b).await;
    b.close().await;
}

/// Exports are written by the engine worker: while it writes, Cancel stops it (the worker is
/// ended and a new one starts for the next request), the dialog says what was cancelled, the
/// plan is unchanged, and "Write them again" writes the files.
#[tokio::test]
async fn an_export_in_the_engine_worker_can_be_cancelled_and_written_again() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    let name = plan_name(&b).await;
    b.click("[data-testid=export-open]").await;
    b.wait_for("[data-testid=export-dialog]", TIMEOUT).await;
    // The first request starts the worker (it loads its wasm): Cancel is there meanwhile.
    // (From the next frame: the request is sent by an effect after the tab's click.)
    let clicked = b
        .js(
            "return await new Promise(done => {\
               document.querySelector(\"[data-testid=export-format][data-format='terraform']\").click();\
               const t0 = performance.now();\
               const poll = () => {\
                 const c = document.querySelector('[data-testid=export-cancel]');\
                 if (c) { c.click(); done(true); }\
                 else if (document.querySelector('[data-testid=export-file]') || performance.now() - t0 > 5000) done(false);\
                 else requestAnimationFrame(poll);\
               };\
               setTimeout(() => requestAnimationFrame(poll), 0);\
             });",
            vec![],
        )
        .await;
    assert_eq!(clicked, json!(true), "Cancel shows while the worker writes");
    let note = shown_text(&b, "[data-testid=export-cancelled]").await;
    assert!(
        note.contains("Cancelled writing the terraform files; the plan is as it was."),
        "{note}"
    );
    assert_eq!(count(&b, "[data-testid=export-file]").await, 0);
    assert_eq!(plan_name(&b).await, name);
    b.click("[data-testid=export-again]").await;
    b.wait_for("[data-testid=export-file]", TIMEOUT).await;
    b.wait_for("#export-files[aria-busy=false]", TIMEOUT).await;
    let preview = b.text("[data-testid=export-preview]").await;
    assert!(preview.contains("aws_ecs_service"), "{preview}");
    assert_clean_console(&b).await;
    b.close().await;
}

/// The simulator runs in the engine worker, not on the page's thread: while a week of a big
/// plan (900 instances, 9 000 tasks, 1 800 of them waiting for room) is simulated, the page
/// keeps drawing frames as the progress bar advances and a click on the board is handled at
/// once; the edit it makes ends the run in flight and starts it again on the edited plan (the
/// progress bar starts over), and Cancel stops that one.
#[tokio::test]
async fn the_page_responds_while_the_worker_simulates() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    paste_import(&b, &plan_of(900, 9000)).await;
    wait_plan_name(&b, "900 instances for a week").await;
    b.click("[data-testid=scenario-simulate]").await;
    b.wait_for("[data-testid=scenario-hours]", TIMEOUT).await;
    set_hours(&b, 168).await;
    b.click("[data-testid=scenario-run]").await;
    b.wait_until(
        &format!("{STATE} === 'running' && Number((document.querySelector('[data-testid=run-progress]') || {{value: 0}}).value) > 0"),
        TIMEOUT,
    )
    .await;
    // Frames drawn for a second (or until the run ends) and the page's long tasks meanwhile.
    let v = b
        .js(
            "return await new Promise(done => {\
               const bar = () => Number((document.querySelector('[data-testid=run-progress]') || {value: -1}).value);\
               const long = []; const o = new PerformanceObserver(l => l.getEntries().forEach(e => long.push(Math.round(e.duration))));\
               o.observe({type: 'longtask'});\
               const p0 = bar(); let frames = 0; const t0 = performance.now();\
               const f = () => { frames++;\
                 if (bar() < 0 || performance.now() - t0 > 1000) {\
                   o.disconnect(); done([p0, bar(), frames, Math.round(performance.now() - t0), long.length ? Math.max(...long) : 0]);\
                 } else requestAnimationFrame(f); };\
               requestAnimationFrame(f);\
             });",
            vec![],
        )
        .await;
    e2e::report(&format!(
        "while the worker simulates a week of 900 instances: [progress from, to, frames, ms, longest long task ms] = {v}"
    ));
    let (p0, p1, frames) = (
        v[0].as_f64().unwrap(),
        v[1].as_f64().unwrap(),
        v[2].as_u64().unwrap(),
    );
    assert!(p1 > p0, "the progress bar advances: {v}");
    assert!(
        frames >= 3,
        "the page keeps drawing while the worker simulates: {v}"
    );
    assert_eq!(
        b.js(&format!("return {STATE};"), vec![]).await,
        json!("running")
    );

    // A click on the board is handled while the run goes on: the instance drains; the edit
    // ends the run in flight and starts it again (from 0) on the edited plan.
    const DRAIN: &str = "[data-testid=instance][data-instance-id='i-0000'] [data-testid=drain]";
    // A big board draws only the cards near the view: bring the card onto the page.
    assert!(scroll_to(&b, DRAIN).await, "the board shows {DRAIN}");
    let before = b
        .js(
            "return Number(document.querySelector('[data-testid=run-progress]').value);",
            vec![],
        )
        .await;
    let restarted = b
        .js(
            "return await new Promise(done => {\
               const bar = () => Number((document.querySelector('[data-testid=run-progress]') || {value: -1}).value);\
               const before = bar();\
               document.querySelector(arguments[0]).click();\
               const t0 = performance.now();\
               const f = () => {\
                 const drained = !!document.querySelector('[data-testid=draining]');\
                 if (drained && bar() >= 0 && bar() < before) done([drained, before, bar()]);\
                 else if (performance.now() - t0 > 10000) done([drained, before, bar()]);\
                 else requestAnimationFrame(f); };\
               requestAnimationFrame(f);\
             });",
            vec![json!(DRAIN)],
        )
        .await;
    assert_eq!(
        restarted[0],
        json!(true),
        "the drain is handled: {restarted}"
    );
    assert!(
        restarted[2].as_f64().unwrap() < restarted[1].as_f64().unwrap(),
        "the edited plan's run starts over (before the click {before}): {restarted}"
    );
    assert_eq!(
        b.js(&format!("return {STATE};"), vec![]).await,
        json!("running")
    );
    // The new run advances, then Cancel stops it.
    wait_progress(&b).await;
    b.click("[data-testid=time-cancel]").await;
    b.wait_until(&format!("{STATE} === 'idle'"), TIMEOUT).await;
    let status = b.text("[data-testid=run-status-text]").await;
    assert!(
        status.starts_with("Cancelled the simulation (168 simulated hours) at hour "),
        "{status}"
    );
    let later = state_after(&b, 500).await;
    assert_eq!(later, json!("idle"), "no answer of a cancelled run arrives");
    // The drain stays (the card may have left the page with the view: bring it back).
    const CARD: &str = "[data-testid=instance][data-instance-id='i-0000']";
    assert!(
        scroll_to(&b, &format!("{CARD} [data-testid=draining]")).await,
        "i-0000 is still draining after the cancel"
    );
    assert_eq!(count(&b, "[data-testid=draining]").await, 1);
    b.click("[data-testid=undo]").await;
    wait_count(&b, &format!("{CARD} [data-testid=draining]"), 0).await;
    assert!(
        scroll_to(&b, CARD).await,
        "i-0000 is on the board after Undo"
    );
    assert_eq!(count(&b, "[data-testid=draining]").await, 0);
    assert_clean_console(&b).await;
    b.close().await;
}
