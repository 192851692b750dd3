//! The time view: run a deployment or a simulated day, scrub it with the pointer or the
//! keyboard, and see the cluster at that moment, the callouts and the Gantt.

mod board_common;
mod shell_common;

use std::time::Duration;

use board_common::{emulate_media, press};
use e2e::{Browser, Harness, TIMEOUT};
use fantoccini::key::Key;
use serde_json::{json, Value};
use shell_common::*;

/// A run can take a while on a cold 2-core machine (a day is simulated in slices).
const RUN_TIMEOUT: Duration = Duration::from_secs(60);

/// Chooses a deployment of `service` (forced new deployment) and runs it.
async fn run_deployment(b: &Browser, service: &str) {
    b.click("[data-testid=scenario-deploy]").await;
    b.wait_for("[data-testid=scenario-service]", TIMEOUT).await;
    b.js(
        "const s = document.querySelector('[data-testid=scenario-service]');\
         s.value = arguments[0]; s.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![json!(service)],
    )
    .await;
    b.click("[data-testid=scenario-run]").await;
    wait_run_done(b).await;
}

async fn wait_run_done(b: &Browser) {
    b.wait_until(
        "document.querySelector('[data-testid=time-panel]').dataset.state === 'done' \
         && !!document.querySelector('[data-testid=moment-board]')",
        RUN_TIMEOUT,
    )
    .await;
}

/// Sets the scrubber to `t` as a pointer drag would (an input event).
async fn scrub(b: &Browser, t: u64) {
    b.js(
        "const s = document.querySelector('[data-testid=scrubber]');\
         s.value = String(arguments[0]); s.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![json!(t)],
    )
    .await;
    let expr = format!(
        "document.querySelector('[data-testid=scrubber]').value === '{t}' && \
         document.querySelector('[data-testid=gantt-cursor]') !== null"
    );
    b.wait_until(&expr, TIMEOUT).await;
}

/// `[task, state, new]` of the web tasks on the moment board's instances.
async fn web_tasks_on_instances(b: &Browser, service: &str) -> Vec<(String, String, bool)> {
    let v = b
        .js(
            "return Array.from(document.querySelectorAll('[data-testid=moment-instance] [data-testid=moment-task]'))\
               .filter(t => t.dataset.service === arguments[0])\
               .map(t => [t.dataset.taskId, t.dataset.state, t.dataset.new === 'true']);",
            vec![json!(service)],
        )
        .await;
    v.as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            (
                r[0].as_str().unwrap_or_default().to_string(),
                r[1].as_str().unwrap_or_default().to_string(),
                r[2].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

async fn duration(b: &Browser) -> u64 {
    b.js(
        "return Number(document.querySelector('[data-testid=scrubber]').max);",
        vec![],
    )
    .await
    .as_u64()
    .unwrap_or(0)
}

async fn scrubber_value(b: &Browser) -> u64 {
    b.js(
        "return Number(document.querySelector('[data-testid=scrubber]').value);",
        vec![],
    )
    .await
    .as_u64()
    .unwrap_or(u64::MAX)
}

/// Sizes the page's viewport (not the window) to `w` × `h`.
async fn viewport(b: &Browser, w: u32, h: u32) {
    let d = b
        .js(
            "return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight];",
            vec![],
        )
        .await;
    let (dw, dh) = (d[0].as_u64().unwrap_or(0), d[1].as_u64().unwrap_or(0));
    b.client()
        .set_window_size(w + dw as u32, h + dh as u32)
        .await
        .expect("resize the window");
    b.wait_until(
        &format!("window.innerWidth === {w} && window.innerHeight === {h}"),
        TIMEOUT,
    )
    .await;
}

#[tokio::test]
async fn scrubbing_a_deployment_shows_old_then_new_tasks_and_the_gantt_has_both() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    run_deployment(&b, "web").await;
    let status = b.text("[data-testid=run-status-text]").await;
    assert!(status.starts_with("COMPLETED"), "{status}");
    // The plan's board is hidden while the moment shows; the banner says so.
    let banner = b.text("[data-testid=moment-banner]").await;
    assert!(banner.contains("Showing the cluster at"), "{banner}");
    assert!(banner.contains("Close to return to the plan"), "{banner}");
    assert!(
        b.js(
            "return document.querySelector('.plan-board').hidden;",
            vec![]
        )
        .await
        .as_bool()
        .unwrap_or(false),
        "the plan's board is hidden"
    );

    let end = duration(&b).await;
    assert!(end > 60, "a deployment takes minutes: {end}");

    // Second 0: the deployment has just started. Every RUNNING task is old; the new ones are
    // only being placed (the engine starts them in the same second).
    scrub(&b, 0).await;
    let at0 = web_tasks_on_instances(&b, "web").await;
    let running_old = at0.iter().filter(|t| t.1 == "RUNNING" && !t.2).count();
    assert_eq!(running_old, 4, "{at0:?}");
    assert!(
        at0.iter().all(|t| !t.2 || t.1 != "RUNNING"),
        "no new task runs yet: {at0:?}"
    );

    // Midway: old and new tasks side by side.
    let mid = (1..20).map(|k| end * k / 20).collect::<Vec<_>>();
    let mut both = false;
    for t in mid {
        scrub(&b, t).await;
        let tasks = web_tasks_on_instances(&b, "web").await;
        if tasks.iter().any(|t| t.2) && tasks.iter().any(|t| !t.2) {
            both = true;
            break;
        }
    }
    assert!(both, "somewhere in the middle both old and new tasks show");
    // At 1280 × 720, from the top: the banner, the moment board and the transport bar.
    viewport(&b, 1280, 720).await;
    b.js("window.scrollTo(0, 0);", vec![]).await;
    b.screenshot("time-view-deployment-midway").await;

    // A scrub step redraws only what changed: while no task changes state (seconds 2 to 10,
    // the new tasks pull their image), the moment board's DOM is left alone.
    scrub(&b, 2).await;
    let states = "Array.from(document.querySelectorAll('[data-testid=moment-task]')).map(t => t.dataset.taskId + t.dataset.state).join()";
    let before = b.js(&format!("return {states};"), vec![]).await;
    b.js(
        "window.__mutations = 0;\
         window.__observer = new MutationObserver(m => { window.__mutations += m.length; });\
         window.__observer.observe(document.querySelector('.moment-lanes'), { childList: true, subtree: true, characterData: true, attributes: true });",
        vec![],
    )
    .await;
    for t in 3..=10 {
        scrub(&b, t).await;
    }
    let after = b.js(&format!("return {states};"), vec![]).await;
    let mutations = b
        .js(
            "window.__observer.disconnect(); return window.__mutations;",
            vec![],
        )
        .await;
    if before == after {
        assert_eq!(mutations, json!(0), "no card was redrawn");
    } else {
        e2e::report(
            "tasks changed state between seconds 2 and 10: the no-redraw check was skipped",
        );
    }

    // The end: only new tasks.
    scrub(&b, end).await;
    let at_end = web_tasks_on_instances(&b, "web").await;
    assert_eq!(at_end.len(), 4, "{at_end:?}");
    assert!(at_end.iter().all(|t| t.2 && t.1 == "RUNNING"), "{at_end:?}");

    // The Gantt: a group of old and one of new tasks, four rows each at least.
    let groups = b
        .js(
            "return Array.from(document.querySelectorAll('[data-testid=gantt-group]'))\
               .map(g => [g.dataset.new, g.querySelectorAll('[data-testid=gantt-row]').length]);",
            vec![],
        )
        .await;
    let groups = groups.as_array().cloned().unwrap_or_default();
    assert!(
        groups
            .iter()
            .any(|g| g[0] == json!("false") && g[1].as_u64() >= Some(4)),
        "{groups:?}"
    );
    assert!(
        groups
            .iter()
            .any(|g| g[0] == json!("true") && g[1].as_u64() >= Some(4)),
        "{groups:?}"
    );

    // A click on a Gantt track seeks there.
    b.js(
        "document.querySelector('[data-testid=gantt]').scrollIntoView({block: 'center'});",
        vec![],
    )
    .await;
    let track = b
        .wait_for("[data-testid=gantt-row] .gantt-track", TIMEOUT)
        .await;
    track.click().await.expect("click a Gantt track");
    b.wait_until(
        &format!("Number(document.querySelector('[data-testid=scrubber]').value) < {end}"),
        TIMEOUT,
    )
    .await;
    b.screenshot("time-view-gantt").await;

    // Close: the plan's board comes back.
    b.click("[data-testid=moment-close]").await;
    b.wait_for_absent("[data-testid=moment-board]", TIMEOUT)
        .await;
    b.wait_until("!document.querySelector('.plan-board').hidden", TIMEOUT)
        .await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn a_stuck_deployment_is_called_out_with_the_engine_reason() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    // A static host port: four web tasks fill the four instances' port 80, a new one has
    // nowhere to go, and minimumHealthyPercent 100 keeps every old one.
    let text = sample("two-az-web.json").replacen("\"hostPort\": 0", "\"hostPort\": 80", 1);
    assert!(text.contains("\"hostPort\": 80"));
    paste_import(&b, &text).await;
    b.wait_for_absent("[data-testid=import-dialog]", TIMEOUT)
        .await;
    run_deployment(&b, "web").await;
    b.wait_until(
        "document.querySelector('[data-testid=run-status]').dataset.outcome === 'stuck'",
        TIMEOUT,
    )
    .await;
    let status = b.text("[data-testid=run-status-text]").await;
    assert!(status.starts_with("STUCK"), "{status}");
    let callout = b
        .text("[data-testid=callout][data-kind=stuck] [data-testid=callout-message]")
        .await;
    assert!(
        callout.contains("unable to place a task"),
        "the engine's reason: {callout}"
    );
    assert!(
        status.contains(&callout),
        "status {status} / callout {callout}"
    );
    // Its button goes to that moment, where the waiting tasks show with the reason.
    let t: u64 = b
        .js(
            "return Number(document.querySelector('[data-testid=callout][data-kind=stuck]').dataset.t);",
            vec![],
        )
        .await
        .as_u64()
        .unwrap_or(0);
    scrub(&b, 0).await;
    b.click("[data-testid=callout][data-kind=stuck] [data-testid=callout-seek]")
        .await;
    b.wait_until(
        &format!("document.querySelector('[data-testid=scrubber]').value === '{t}'"),
        TIMEOUT,
    )
    .await;
    let reason = b.text("[data-testid=moment-waiting-reason]").await;
    assert!(reason.contains("unable to place"), "{reason}");
    b.screenshot("time-view-stuck").await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn the_scrubber_moves_with_the_keyboard_and_space_plays() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    // Before any run: the time panel under the board is the scenario form alone.
    b.js(
        "document.querySelector('[data-testid=time-panel]').scrollIntoView({block: 'start'});",
        vec![],
    )
    .await;
    assert_eq!(count(&b, "[data-testid=transport]").await, 0);
    b.screenshot("time-view-idle").await;
    run_deployment(&b, "web").await;
    let end = duration(&b).await;
    b.js(
        "document.querySelector('[data-testid=scrubber]').focus();",
        vec![],
    )
    .await;
    press(&b, Key::End, &[]).await;
    b.wait_until(
        &format!("document.querySelector('[data-testid=scrubber]').value === '{end}'"),
        TIMEOUT,
    )
    .await;
    let clock = b.text("[data-testid=clock-now]").await;
    assert!(clock.starts_with('+'), "{clock}");
    press(&b, Key::Home, &[]).await;
    b.wait_until(
        "document.querySelector('[data-testid=scrubber]').value === '0'",
        TIMEOUT,
    )
    .await;
    press(&b, Key::Right, &[]).await;
    b.wait_until(
        "document.querySelector('[data-testid=scrubber]').value === '1'",
        TIMEOUT,
    )
    .await;
    press(&b, Key::PageUp, &[]).await;
    let v = scrubber_value(&b).await;
    assert!(v > 1 && v <= end, "PageUp moves a tenth: {v}");
    // Space plays (from the scrubbed second) and pauses.
    press(&b, Key::Home, &[]).await;
    press(&b, ' ', &[]).await;
    b.wait_until(
        "document.querySelector('[data-testid=play]').getAttribute('aria-pressed') === 'true'",
        TIMEOUT,
    )
    .await;
    b.wait_until(
        "Number(document.querySelector('[data-testid=scrubber]').value) > 0",
        TIMEOUT,
    )
    .await;
    press(&b, ' ', &[]).await;
    b.wait_until(
        "document.querySelector('[data-testid=play]').getAttribute('aria-pressed') === 'false'",
        TIMEOUT,
    )
    .await;
    // The scrubber has a name and says the moment in words.
    let a11y = b
        .js(
            "const s = document.querySelector('[data-testid=scrubber]');\
             return [s.getAttribute('aria-label'), s.getAttribute('aria-valuetext')];",
            vec![],
        )
        .await;
    assert_eq!(a11y[0], json!("Moment of the run"));
    assert!(
        a11y[1].as_str().is_some_and(|s| s.starts_with('+')),
        "{a11y}"
    );
    // Escape on the scrubber leaves the run: the plan's board comes back.
    b.js(
        "document.querySelector('[data-testid=scrubber]').focus();",
        vec![],
    )
    .await;
    press(&b, Key::Escape, &[]).await;
    b.wait_for_absent("[data-testid=moment-board]", TIMEOUT)
        .await;
    assert_clean_console(&b).await;
    b.close().await;
}

/// Prints (never asserts) how long a scrub step takes on a simulated day of the default plan:
/// 120 input events across the day, each until the DOM is updated (a macrotask later) and laid
/// out, and each until the next frame.
#[tokio::test]
async fn scrubbing_a_simulated_day_is_measured() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    b.click("[data-testid=scenario-simulate]").await;
    let hours = b.wait_for("[data-testid=scenario-hours]", TIMEOUT).await;
    assert_eq!(
        hours.prop("value").await.ok().flatten().as_deref(),
        Some("24")
    );
    b.click("[data-testid=scenario-run]").await;
    wait_run_done(&b).await;
    let run_ms = b
        .js(
            "const p = document.querySelector('[data-testid=time-panel]').dataset; return [p.runMs, p.runWallMs, p.runSlices];",
            vec![],
        )
        .await;
    e2e::report(&format!(
        "24 h simulation of the default plan: engine {} ms, wall {} ms, {} slices",
        run_ms[0], run_ms[1], run_ms[2]
    ));
    let end = duration(&b).await;
    assert_eq!(end, 86_400);
    let v: Value = b
        .js(
            "return (async () => {\
               const s = document.querySelector('[data-testid=scrubber]');\
               const clock = document.querySelector('[data-testid=clock-now]');\
               const macrotask = () => new Promise(r => { const c = new MessageChannel(); c.port1.onmessage = r; c.port2.postMessage(0); });\
               const frame = () => new Promise(r => requestAnimationFrame(() => r()));\
               const step = async (k, wait) => {\
                 const before = clock.textContent;\
                 const t0 = performance.now();\
                 s.value = String(k * 720); s.dispatchEvent(new Event('input', { bubbles: true }));\
                 await wait();\
                 void document.body.offsetHeight;\
                 const t1 = performance.now();\
                 return [t1 - t0, clock.textContent !== before];\
               };\
               const stats = (xs) => { const v = xs.map(x => x[0]).sort((a, b) => a - b);\
                 return { mean: v.reduce((a, b) => a + b, 0) / v.length, p50: v[v.length >> 1], p95: v[Math.floor(v.length * 0.95)], max: v[v.length - 1], changed: xs.filter(x => x[1]).length }; };\
               const dom = []; for (let k = 1; k <= 120; k++) dom.push(await step(k, macrotask));\
               s.value = '0'; s.dispatchEvent(new Event('input', { bubbles: true })); await frame();\
               const frames = []; for (let k = 1; k <= 120; k++) frames.push(await step(k, frame));\
               return { dom: stats(dom), frame: stats(frames) };\
             })();",
            vec![],
        )
        .await;
    e2e::report(&format!(
        "scrub step on a 24 h simulation (120 steps of 12 min): to the DOM updated and laid out {}; to the next frame {}",
        v["dom"], v["frame"]
    ));
    b.screenshot("time-view-simulation").await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn with_reduced_motion_playing_moves_once_a_second() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    emulate_media(&b, "prefers-reduced-motion", "reduce").await;
    open(&b).await;
    run_deployment(&b, "web").await;
    b.js(
        "const s = document.querySelector('[data-testid=speed]');\
         s.value = '30'; s.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![],
    )
    .await;
    scrub(&b, 0).await;
    b.click("[data-testid=play]").await;
    // Every value the scrubber takes for 2.5 s: steps of a whole second's worth (30 s).
    let seen = b
        .js(
            "return (async () => {\
               const s = document.querySelector('[data-testid=scrubber]');\
               const seen = [s.value];\
               const until = performance.now() + 2500;\
               while (performance.now() < until) {\
                 await new Promise(r => requestAnimationFrame(r));\
                 if (s.value !== seen[seen.length - 1]) seen.push(s.value);\
               }\
               return seen.map(Number);\
             })();",
            vec![],
        )
        .await;
    b.click("[data-testid=play]").await;
    let seen: Vec<u64> = seen
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_u64)
        .collect();
    assert!(seen.len() >= 2, "it played: {seen:?}");
    assert!(
        seen.windows(2).all(|w| w[1] >= w[0] + 30),
        "whole-second steps, not a smooth animation: {seen:?}"
    );
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn a_bad_revision_trips_the_circuit_breaker_and_rolls_back() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    // A second revision of web whose image cannot be pulled (the planner's simulated failure);
    // the default plan's web service has the circuit breaker with rollback.
    let mut plan: Value =
        serde_json::from_str(&sample("two-az-web.json")).expect("the sample is JSON");
    let web = plan["taskDefinitions"][0].clone();
    plan["taskDefinitions"]
        .as_array_mut()
        .expect("task definitions")
        .push(web);
    // The service runs revision 1 (its family alone would mean the latest, 2).
    plan["services"][0]["taskDefinition"] = json!("web:1");
    plan["settings"] = json!({ "simulation": { "failures": [
        { "taskDefinition": "web:2", "failure": "IMAGE_PULL" }
    ] } });
    paste_import(&b, &plan.to_string()).await;
    b.wait_for_absent("[data-testid=import-dialog]", TIMEOUT)
        .await;
    b.click("[data-testid=scenario-deploy]").await;
    b.wait_for(
        "[data-testid=scenario-target] option[value='web:2']",
        TIMEOUT,
    )
    .await;
    b.js(
        "const s = document.querySelector('[data-testid=scenario-target]');\
         s.value = 'web:2'; s.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![],
    )
    .await;
    b.click("[data-testid=scenario-run]").await;
    wait_run_done(&b).await;
    let status = b.text("[data-testid=run-status-text]").await;
    assert!(status.starts_with("FAILED, ROLLED BACK"), "{status}");
    let kinds = b
        .js(
            "return Array.from(document.querySelectorAll('[data-testid=callout]')).map(c => c.dataset.kind);",
            vec![],
        )
        .await;
    assert!(
        kinds
            .as_array()
            .is_some_and(|k| k.contains(&json!("failed")) && k.contains(&json!("rollback"))),
        "{kinds}"
    );
    let failed = b
        .text("[data-testid=callout][data-kind=failed] [data-testid=callout-message]")
        .await;
    assert!(failed.contains("circuit breaker"), "{failed}");
    let rollback = b
        .text("[data-testid=callout][data-kind=rollback] [data-testid=callout-message]")
        .await;
    assert!(rollback.contains("web:1"), "back to revision 1: {rollback}");
    // The Gantt has the failed deployment's tasks apart from the old ones.
    let groups = b
        .js(
            "return Array.from(document.querySelectorAll('[data-testid=gantt-group]')).map(g => g.dataset.deployment);",
            vec![],
        )
        .await;
    assert!(
        groups.as_array().is_some_and(|g| g.len() >= 3),
        "old, failed and rollback deployments: {groups}"
    );
    b.js(
        "document.querySelector('[data-testid=callouts]').scrollIntoView({block: 'start'});",
        vec![],
    )
    .await;
    b.screenshot("time-view-rollback").await;
    assert_clean_console(&b).await;
    b.close().await;
}

/// 120 scrub steps over the run (`arguments[0]` seconds), each timed in parts: the script
/// (until the microtasks are done: the engine's moment, the cards, every DOM change), style and
/// layout, and to the next frame (with paint and compositing).
const MEASURE_STEPS: &str = "return (async () => {\
               const s = document.querySelector('[data-testid=scrubber]');\
               const frame = () => new Promise(r => requestAnimationFrame(() => r()));\
               const macrotask = () => new Promise(r => { const c = new MessageChannel(); c.port1.onmessage = r; c.port2.postMessage(0); });\
               const lanes = document.querySelector('.moment-lanes');\
               let added = 0; const obs = new MutationObserver(ms => { for (const m of ms) added += m.addedNodes.length; });\
               obs.observe(lanes, { childList: true, subtree: true });\
               const xs = [], wasm = [], layout = [], engine = [], cards = [];\
               const where = [window.scrollY, window.innerHeight, document.body.scrollHeight];\
               const board = document.querySelector('[data-testid=moment-board]');\
               const clock = document.querySelector('[data-testid=clock-now]');\
               let stale = 0;\
               for (let k = 1; k <= 120; k++) {\
                 await frame();\
                 const before = clock.textContent;\
                 const t0 = performance.now();\
                 s.value = String(Math.round(k * arguments[0] / 120)); s.dispatchEvent(new Event('input', { bubbles: true }));\
                 for (let i = 0; i < 50; i++) await Promise.resolve();\
                 const t1 = performance.now();\
                 if (clock.textContent === before) stale++;\
                 void document.body.offsetHeight;\
                 const t2 = performance.now();\
                 await frame();\
                 wasm.push(t1 - t0); layout.push(t2 - t1); xs.push(performance.now() - t0);\
                 engine.push(Number(board.dataset.perfMomentMs)); cards.push(Number(board.dataset.perfBuildMs));\
               }\
               obs.disconnect();\
               const st = v => { v.sort((a, b) => a - b); return { mean: +(v.reduce((a, b) => a + b, 0) / v.length).toFixed(1), p50: +v[60].toFixed(1), p95: +v[114].toFixed(1), max: +v[119].toFixed(1) }; };\
               return { toFrame: st(xs), script: st(wasm), styleLayout: st(layout), notYetDrawnAfterMicrotasks: stale, momentInEngine: st(engine), buildingCards: st(cards), nodesAddedPerStep: added / 120, where };\
             })();";

/// Prints (never asserts) the same on a big deployment: 300 web tasks on 80 instances (the
/// Gantt draws its first 400 of 600 rows), split into the script (the engine's moment, the
/// cards, every DOM change: until the microtasks are done), style and layout, and the rest of
/// the frame (paint, raster, compositing); with the page's scroll position.
#[tokio::test]
async fn scrubbing_a_big_deployment_is_measured() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    let mut plan: Value =
        serde_json::from_str(&sample("two-az-web.json")).expect("the sample is JSON");
    let instances: Vec<Value> = (0..80)
        .map(|k| {
            json!({
                "id": format!("i-0big{k:013}"),
                "instanceType": "m5.large",
                "availabilityZone": if k % 2 == 0 { "us-east-1a" } else { "us-east-1b" },
                "capacityProvider": "shop-ondemand",
                "attributes": { "stack": "prod" }
            })
        })
        .collect();
    plan["cluster"]["containerInstances"] = json!(instances);
    let asg = &mut plan["cluster"]["capacityProviders"][0]["autoScalingGroup"];
    asg["MaxSize"] = json!(100);
    asg["DesiredCapacity"] = json!(80);
    plan["services"][0]["desiredCount"] = json!(300);
    plan["services"][0]["autoScaling"]["maxCapacity"] = json!(400);
    paste_import(&b, &plan.to_string()).await;
    b.wait_for_absent("[data-testid=import-dialog]", TIMEOUT)
        .await;
    run_deployment(&b, "web").await;
    let status = b.text("[data-testid=run-status-text]").await;
    let run_ms = b
        .js(
            "const p = document.querySelector('[data-testid=time-panel]').dataset; return p.runMs;",
            vec![],
        )
        .await;
    let rows = count(&b, "[data-testid=gantt-row]").await;
    let tasks = count(&b, "[data-testid=moment-task]").await;
    e2e::report(&format!(
        "big deployment (300 web tasks, 80 instances): {status} engine {run_ms} ms; {rows} Gantt rows, {tasks} tasks on the moment board"
    ));
    // What a user checks: the deployment went through, the Gantt shows as many rows as it
    // draws (400, of 600 task lives), and the moment board holds every running task.
    assert!(status.starts_with("COMPLETED"), "{status}");
    assert_eq!(rows, 400, "the Gantt draws at most 400 rows");
    assert!(
        tasks >= 303,
        "300 web and 3 worker tasks at second 0: {tasks}"
    );
    let end = duration(&b).await;
    // Where the page is after Run (the time panel), then at the top (the moment board).
    for place in ["at the time panel", "at the top of the page"] {
        if place.ends_with("top of the page") {
            b.js("window.scrollTo(0, 0);", vec![]).await;
        }
        let v: Value = b.js(MEASURE_STEPS, vec![json!(end)]).await;
        e2e::report(&format!(
            "scrub step on the big deployment (120 steps over {end} s), {place}: {v}"
        ));
    }
    b.screenshot("time-view-big-deployment").await;
    assert_clean_console(&b).await;
    b.close().await;
}

/// Scrubbing a simulated day shows, at each moment, the engine's moment: the same simulation
/// run natively (the page's worker runs `Ran::day` too) gives every instance's tasks and
/// states at 09:00 and 15:00 (and between), and the moment board shows exactly those.
#[tokio::test]
async fn scrubbing_a_day_shows_the_engines_moment_on_every_instance() {
    use engine::api::sim::{MomentIndex, Ran, TaskState};
    use std::collections::BTreeMap;
    let Some(h) = Harness::start() else { return };
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../public/plans/two-az-web.json"
    ))
    .expect("the default sample plan");
    let plan = engine::api::plan::load(&text)
        .plan
        .expect("the sample loads");
    let (timeline, _, _) = Ran::day(&plan, 24, |_, _| {}).into_parts();
    let index = MomentIndex::new(&plan, timeline);

    let b = h.browser().await;
    open(&b).await;
    b.click("[data-testid=scenario-simulate]").await;
    b.wait_for("[data-testid=scenario-hours]", TIMEOUT).await;
    b.click("[data-testid=scenario-run]").await;
    wait_run_done(&b).await;
    assert_eq!(duration(&b).await, 86_400);
    // instance id → [(task, state)] as the board shows them, and the Fargate and waiting counts.
    type Board = (BTreeMap<String, Vec<(String, String)>>, usize, usize);
    let mut moments: Vec<Board> = Vec::new();
    for t in [9 * 3600, 15 * 3600, 4 * 3600 + 1234, 21 * 3600 + 17] {
        scrub(&b, t).await;
        let v = b
            .js(
                "const cards = Array.from(document.querySelectorAll('[data-testid=moment-instance]'));\
                 return [cards.map(c => [c.dataset.instanceId, Array.from(c.querySelectorAll('[data-testid=moment-task]')).map(x => [x.dataset.taskId, x.dataset.state])]),\
                   document.querySelectorAll('[data-testid=moment-fargate] [data-testid=moment-task]').length,\
                   Array.from(document.querySelectorAll('[data-testid=moment-waiting-group] strong')).reduce((n, s) => n + parseInt(s.textContent), 0)];",
                vec![],
            )
            .await;
        let shown: Board = (
            v[0].as_array()
                .into_iter()
                .flatten()
                .map(|c| {
                    let tasks = c[1]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|x| {
                            (
                                x[0].as_str().unwrap().to_string(),
                                x[1].as_str().unwrap().to_string(),
                            )
                        })
                        .collect();
                    (c[0].as_str().unwrap().to_string(), tasks)
                })
                .collect(),
            v[1].as_u64().unwrap() as usize,
            v[2].as_u64().unwrap() as usize,
        );
        let m = index.at(t as u32);
        let state = |s: TaskState| {
            serde_json::to_value(s)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        };
        let want: Board = (
            m.zones
                .iter()
                .flat_map(|z| &z.instances)
                .map(|i| {
                    let tasks = i
                        .tasks
                        .iter()
                        .map(|x| (x.task.clone(), state(x.state)))
                        .collect();
                    (i.id.clone(), tasks)
                })
                .collect(),
            m.fargate.len(),
            m.waiting.len(),
        );
        assert_eq!(shown, want, "the board at {t} s is the engine's moment");
        let running =
            |b: &Board| -> usize { b.0.values().flatten().filter(|x| x.1 == "RUNNING").count() };
        assert!(running(&want) > 0, "tasks run at {t}");
        moments.push(want);
    }
    // The day changes the cluster: the board showed different moments, not one.
    assert!(moments.windows(2).any(|w| w[0] != w[1]), "{moments:?}");
    b.screenshot("time-view-day-moments").await;
    assert_clean_console(&b).await;
    b.close().await;
}

/// The events list as drawn: (the "n of total" count, each item's second, the list's markup).
async fn events_list(b: &Browser) -> (String, Vec<u64>, String) {
    let v = b
        .js(
            "const ol = document.querySelector('[data-testid=event-list]');\
             return [document.querySelector('[data-testid=events-count]').textContent,\
                     Array.from(ol.querySelectorAll('[data-testid=event]')).map(e => Number(e.dataset.t)),\
                     ol.innerHTML];",
            vec![],
        )
        .await;
    let count = v[0].as_str().unwrap_or_default().to_string();
    let ts = v[1]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default();
    (count, ts, v[2].as_str().unwrap_or_default().to_string())
}

/// A scrub step patches the events list (the events passed on top, or taken off going back)
/// rather than drawing it again: whichever way the scrubber reached a moment, the list is the
/// one drawn whole there — the events up to the moment, newest first, the latest 100.
#[tokio::test]
async fn the_events_list_is_the_same_however_the_scrubber_got_there() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    run_deployment(&b, "web").await;
    let end = duration(&b).await;
    let checks = [end / 4, end / 2, 3 * end / 4, end];
    // Drawn whole: from second 0 (no event in common) straight to the moment.
    let mut whole = Vec::new();
    for &t in &checks {
        scrub(&b, 0).await;
        scrub(&b, t).await;
        let (count, ts, html) = events_list(&b).await;
        let (n, total) = count
            .split_once(" of ")
            .map(|(n, t)| {
                (
                    n.parse::<usize>().unwrap_or(0),
                    t.parse::<usize>().unwrap_or(0),
                )
            })
            .unwrap_or_default();
        assert_eq!(ts.len(), n.min(100), "at {t}: {count}");
        assert!(n <= total, "{count}");
        assert!(
            ts.iter().all(|&s| s <= t),
            "at {t}, events after it: {ts:?}"
        );
        assert!(
            ts.windows(2).all(|w| w[0] >= w[1]),
            "newest first at {t}: {ts:?}"
        );
        whole.push(html);
    }
    assert!(!whole[3].is_empty(), "a deployment has events");
    // Patched: forwards in steps, backwards in steps, checking each moment on the way.
    scrub(&b, 0).await;
    let forward: Vec<u64> = (1..=40).map(|k| end * k / 40).collect();
    let backward: Vec<u64> = (0..40).rev().map(|k| end * k / 40).collect();
    for t in forward.into_iter().chain(backward) {
        scrub(&b, t).await;
        if let Some(k) = checks.iter().position(|&c| c == t) {
            let (_, _, html) = events_list(&b).await;
            assert_eq!(html, whole[k], "the list at {t} reached step by step");
        }
    }
}

/// Turns the stylesheet's containment off (`content-visibility`, `contain`): the page as it was
/// drawn before the time view's sections were contained.
const UNCONTAINED: &str = "* { content-visibility: visible !important; contain: none !important; }";

/// Adds (or with `None`, removes) a style element `id` with `css`, then waits three frames (a
/// section that comes into view is drawn in the frame after).
async fn page_style(b: &Browser, id: &str, css: Option<&str>) {
    b.js(
        "return (async () => { let s = document.getElementById(arguments[0]);\
           if (arguments[1] === null) { if (s) s.remove(); } else {\
             if (!s) { s = document.createElement('style'); s.id = arguments[0]; document.head.appendChild(s); }\
             s.textContent = arguments[1]; }\
           const frame = () => new Promise(r => requestAnimationFrame(() => r()));\
           await frame(); await frame(); await frame(); })();",
        vec![json!(id), json!(css)],
    )
    .await;
}

/// Every element that shows in the view: its tag, test id, box cut to the view (px, to 0.01:
/// the page's height counts the placeholders of sections never drawn) and own text.
async fn boxes(b: &Browser) -> Value {
    b.js(
        "const h = window.innerHeight, w = window.innerWidth, r = (x) => Math.round(x * 100) / 100;\
         return Array.from(document.body.getElementsByTagName('*')).flatMap(e => {\
           const b = e.getBoundingClientRect();\
           if (b.bottom <= 0 || b.top >= h || b.right <= 0 || b.left >= w || (b.width === 0 && b.height === 0)) return [];\
           const text = Array.from(e.childNodes).filter(n => n.nodeType === 3).map(n => n.data).join('');\
           return [[e.tagName, e.dataset.testid || '', r(Math.max(b.left, 0)), r(Math.max(b.top, 0)), r(Math.min(b.right, w)), r(Math.min(b.bottom, h)), text, e.scrollTop]]; });",
        vec![],
    )
    .await
}

/// The view as a PNG (base64), from Chrome.
async fn picture(b: &Browser) -> String {
    b.cdp("Page.captureScreenshot", json!({ "format": "png" }))
        .await["data"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// How many pixels of two pictures differ, and by how much at most (of 255, in a channel).
/// Rounded corners are drawn again with their edge pixels off by 1-2 when the layers under them
/// change: the same look, not the same bytes.
async fn pixels_apart(b: &Browser, x: &str, y: &str) -> (u64, u64) {
    let v = b
        .js(
            "return (async () => {\
               const load = (s) => new Promise((r, e) => { const i = new Image(); i.onload = () => r(i); i.onerror = e; i.src = 'data:image/png;base64,' + s; });\
               const px = (i) => { const c = document.createElement('canvas'); c.width = i.width; c.height = i.height;\
                 const g = c.getContext('2d'); g.drawImage(i, 0, 0); return g.getImageData(0, 0, i.width, i.height).data; };\
               const [a, b] = await Promise.all([load(arguments[0]), load(arguments[1])]);\
               if (a.width !== b.width || a.height !== b.height) return [a.width * a.height, 255];\
               const p = px(a), q = px(b); let n = 0, most = 0;\
               for (let k = 0; k < p.length; k += 4) { let d = 0;\
                 for (let c = 0; c < 4; c++) d = Math.max(d, Math.abs(p[k + c] - q[k + c]));\
                 if (d > 0) { n++; most = Math.max(most, d); } }\
               return [n, most]; })();",
            vec![json!(x), json!(y)],
        )
        .await;
    (
        v[0].as_u64().unwrap_or(u64::MAX),
        v[1].as_u64().unwrap_or(255),
    )
}

/// Scrolls `css` to the top of the view (`None`: the page's top) and waits three frames.
async fn view_at(b: &Browser, css: Option<&str>) {
    b.js(
        "return (async () => { const e = arguments[0] && document.querySelector(arguments[0]);\
           if (e) e.scrollIntoView({ block: 'start' }); else window.scrollTo(0, 0);\
           const frame = () => new Promise(r => requestAnimationFrame(() => r()));\
           await frame(); await frame(); await frame(); })();",
        vec![json!(css)],
    )
    .await;
}

/// The time view's sections are contained (`content-visibility: auto`, `contain`) so that a
/// scrub step lays out only what it changed: the page must look exactly as it did without the
/// containment. At three moments of a simulated day, the view at each section (the moment
/// board, the events, the plots, the Gantt, the load curves and policies) is the same picture,
/// pixel for pixel, with the containment and without it.
#[tokio::test]
async fn the_contained_time_view_looks_as_the_uncontained_one() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    viewport(&b, 1280, 900).await;
    open(&b).await;
    b.click("[data-testid=scenario-simulate]").await;
    b.wait_for("[data-testid=scenario-hours]", TIMEOUT).await;
    b.click("[data-testid=scenario-run]").await;
    wait_run_done(&b).await;
    // The scrollbar's thumb shows the page's height, which the placeholders of sections never
    // drawn change: not part of the picture compared.
    page_style(&b, "no-scrollbar", Some("html { scrollbar-width: none; }")).await;
    let end = duration(&b).await;
    let places = [
        None,
        Some("[data-testid=events]"),
        Some("[data-testid=time-plots] [data-plot=cpu]"),
        Some("[data-testid=gantt]"),
        Some("[data-testid=load-curves]"),
        Some("[data-testid=policy-cards]"),
    ];
    let mut pictures = Vec::new();
    for t in [end / 4, end / 2, end] {
        scrub(&b, t).await;
        for place in places {
            if let Some(p) = place {
                assert_eq!(count(&b, p).await, 1, "{p} at {t}");
            }
            view_at(&b, place).await;
            let contained = picture(&b).await;
            let contained_boxes = boxes(&b).await;
            page_style(&b, "uncontained", Some(UNCONTAINED)).await;
            view_at(&b, place).await;
            let plain = picture(&b).await;
            let plain_boxes = boxes(&b).await;
            page_style(&b, "uncontained", None).await;
            let (differ, most) = pixels_apart(&b, &contained, &plain).await;
            e2e::report(&format!(
                "at {t}, {place:?}: {} boxes in view; {differ} pixels differ, by at most {most} of 255",
                contained_boxes.as_array().map_or(0, Vec::len)
            ));
            // Every element in view is where it was, as large, with the same text; pixels may
            // differ where a contained section is drawn at a whole pixel (text and lines smoothed
            // differently, less than a pixel apart), not over 5 % of the view.
            let name = place
                .unwrap_or("top")
                .replace(|c: char| !c.is_alphanumeric(), "-");
            if contained_boxes != plain_boxes || differ > 1280 * 900 / 20 {
                b.screenshot(&format!("contained-{t}-{name}")).await;
                page_style(&b, "uncontained", Some(UNCONTAINED)).await;
                view_at(&b, place).await;
                b.screenshot(&format!("uncontained-{t}-{name}")).await;
                let first = contained_boxes
                    .as_array()
                    .into_iter()
                    .flatten()
                    .zip(plain_boxes.as_array().into_iter().flatten())
                    .find(|(a, b)| a != b);
                panic!("at {t}, the view at {place:?} differs without containment: {differ} pixels (by up to {most}); first box apart: {first:?}");
            }
            pictures.push(contained);
        }
    }
    // The pictures show the moment: the same place at another moment is another picture.
    assert_ne!(
        pictures[0],
        pictures[places.len()],
        "the top at two moments"
    );
    b.screenshot("time-view-contained").await;
    assert_clean_console(&b).await;
    b.close().await;
}
