//! The time view's plots and scaling tools in the browser: simulate a day of the default plan,
//! attach a scaling policy by dragging its card onto a service and see the tasks plot change,
//! drag a point of the load curve up and see the workload and the plot change, undo; cards and
//! points with the keyboard, a card with a finger; a click on a plot seeks without drawing the
//! plots again; a deployment's tasks plot. Screenshots of the plots are saved.

mod board_common;
mod shell_common;

use std::time::{Duration, Instant};

use board_common::{drag, element, perform, press, Pointer};
use e2e::{Browser, Harness, TIMEOUT};
use fantoccini::actions::{PointerAction, MOUSE_BUTTON_LEFT};
use fantoccini::key::Key;
use serde_json::{json, Value};
use shell_common::*;

/// A simulated day takes a few seconds on a slow machine: runs get more than the default.
const RUN: Duration = Duration::from_secs(60);

const TASKS: &str = "[data-testid=plot][data-plot=tasks]";

/// Presses `from` and moves it by `dy` CSS pixels, in steps, then lets go.
async fn drag_by(b: &Browser, from: &str, dy: f64) {
    let f = element(b, from).await;
    let mut steps = vec![
        PointerAction::MoveToElement {
            element: f,
            duration: None,
            x: 0.0,
            y: 0.0,
        },
        PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        },
    ];
    for _ in 0..4 {
        steps.push(PointerAction::MoveBy {
            duration: Some(Duration::from_millis(50)),
            x: 0.0,
            y: dy / 4.0,
        });
    }
    steps.push(PointerAction::Up {
        button: MOUSE_BUTTON_LEFT,
    });
    perform(b, Pointer::Mouse, steps).await;
}

async fn attr(b: &Browser, css: &str, name: &str) -> Option<String> {
    b.js(
        "const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;",
        vec![json!(css), json!(name)],
    )
    .await
    .as_str()
    .map(str::to_string)
}

/// The run on show: (plan revision it ran on, tasks plot fingerprint).
async fn run_now(b: &Browser) -> (String, String) {
    let v = b
        .js(
            "const p = document.querySelector('[data-testid=time-panel]');\
             const t = document.querySelector(arguments[0]);\
             return [p && p.dataset.runRevision || '', t && t.dataset.sig || ''];",
            vec![json!(TASKS)],
        )
        .await;
    (
        v[0].as_str().unwrap_or_default().to_string(),
        v[1].as_str().unwrap_or_default().to_string(),
    )
}

/// Waits for a finished run on another plan revision than `before`'s and its plots.
async fn wait_rerun(b: &Browser, before: &str) -> (String, String) {
    let t0 = Instant::now();
    b.wait_until(
        &format!(
            "(() => {{ const p = document.querySelector('[data-testid=time-panel]');\
               return p && p.dataset.state === 'done' && p.dataset.runRevision !== {}\
                 && !!document.querySelector({}); }})()",
            json!(before),
            json!(TASKS)
        ),
        RUN,
    )
    .await;
    e2e::report(&format!("re-run and plots in {:?}", t0.elapsed()));
    run_now(b).await
}

/// A series row of a plot: (lowest, highest, mean).
async fn series(b: &Browser, plot: &str, name: &str) -> (f64, f64, f64) {
    let v = b
        .js(
            "const r = document.querySelector(`[data-testid=plot][data-plot=${arguments[0]}] [data-testid=plot-series][data-name='${arguments[1]}']`);\
             return r ? [r.dataset.min, r.dataset.max, r.dataset.mean] : null;",
            vec![json!(plot), json!(name)],
        )
        .await;
    let n = |i: usize| -> f64 {
        v.get(i)
            .and_then(Value::as_str)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("series {name} of {plot}: {v}"))
    };
    (n(0), n(1), n(2))
}

async fn attached(b: &Browser, service: &str) -> Vec<String> {
    let v = b
        .js(
            "return Array.from(document.querySelectorAll(`[data-testid=policy-service][data-service='${arguments[0]}'] [data-testid=attached-policy]`)).map(e => e.dataset.name);",
            vec![json!(service)],
        )
        .await;
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

async fn screenshot_of(b: &Browser, css: &str, name: &str) {
    b.js(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'start'});",
        vec![json!(css)],
    )
    .await;
    let p = b.screenshot(name).await;
    e2e::report(&format!("screenshot {}", p.display()));
}

/// Opens the page and simulates 24 hours of the default plan.
async fn simulate_a_day(b: &Browser) -> (String, String) {
    open(b).await;
    b.click("[data-testid=scenario-simulate]").await;
    let hours = b.wait_for("[data-testid=scenario-hours]", TIMEOUT).await;
    hours.clear().await.expect("clear hours");
    hours.send_keys("24").await.expect("type hours");
    let t0 = Instant::now();
    b.click("[data-testid=scenario-run]").await;
    b.wait_until(
        &format!(
            "document.querySelector('[data-testid=time-panel]').dataset.state === 'done' && !!document.querySelector({})",
            json!(TASKS)
        ),
        RUN,
    )
    .await;
    e2e::report(&format!(
        "a simulated day and its plots in {:?}",
        t0.elapsed()
    ));
    let ms = attr(b, "[data-testid=time-plots]", "data-draw-ms").await;
    e2e::report(&format!("plots drawn in {} ms", ms.unwrap_or_default()));
    run_now(b).await
}

#[tokio::test]
async fn attaching_a_policy_and_reshaping_the_load_change_the_plots_and_undo_restores_them() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    let (rev0, sig0) = simulate_a_day(&b).await;

    // Every plot of a simulated day, each with a name, a table and one path per series.
    let plots = b
        .js(
            "return Array.from(document.querySelectorAll('[data-testid=plot]')).map(p => [p.dataset.plot, p.querySelectorAll('path.series').length, p.querySelectorAll('[data-testid=plot-series]').length, !!p.getAttribute('aria-labelledby')]);",
            vec![],
        )
        .await;
    let ids: Vec<&str> = plots
        .as_array()
        .expect("plots")
        .iter()
        .map(|p| p[0].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        ids,
        ["tasks", "cpu", "memory", "reservation", "instances", "cost"]
    );
    for p in plots.as_array().expect("plots") {
        assert!(p[1].as_u64() >= Some(1), "{p}");
        assert_eq!(p[1], p[2], "a table row per drawn series: {p}");
        assert_eq!(p[3], json!(true), "named: {p}");
    }
    screenshot_of(&b, "[data-testid=time-plots]", "time-plots-day.png").await;
    screenshot_of(
        &b,
        "[data-testid=plot][data-plot=reservation]",
        "time-plots-capacity.png",
    )
    .await;
    screenshot_of(
        &b,
        "[data-testid=plot][data-plot=cost]",
        "time-plots-cost.png",
    )
    .await;
    b.js(
        "document.documentElement.setAttribute('data-theme', 'dark');",
        vec![],
    )
    .await;
    screenshot_of(&b, "[data-testid=time-plots]", "time-plots-day-dark.png").await;
    b.js(
        "document.documentElement.removeAttribute('data-theme');",
        vec![],
    )
    .await;

    // The web service scales with its CPU policy; without it its desired count stays at 4.
    let (lo, hi, _) = series(&b, "tasks", "web desired").await;
    assert!(hi > lo, "web scales during the day: {lo}..{hi}");
    assert_eq!(attached(&b, "web").await, ["web-cpu-60"]);
    let remove = "[data-testid=policy-service][data-service=web] [data-testid=remove-policy]";
    element(&b, remove)
        .await
        .click()
        .await
        .expect("click Remove");
    let (rev1, sig1) = wait_rerun(&b, &rev0).await;
    assert_ne!(sig1, sig0, "the tasks plot changed");
    assert_eq!(series(&b, "tasks", "web desired").await.1, 4.0);
    assert!(attached(&b, "web").await.is_empty());

    // Drag the target tracking card onto the web service: attached, and the plot changes.
    drag(
        &b,
        "[data-testid=policy-card][data-card=target-cpu]",
        "[data-testid=policy-service][data-service=web]",
        Pointer::Mouse,
    )
    .await;
    let (rev2, sig2) = wait_rerun(&b, &rev1).await;
    assert_eq!(attached(&b, "web").await, ["web-cpu-60"]);
    assert_ne!(sig2, sig1, "the tasks plot changed");
    let (lo2, hi2, mean2) = series(&b, "tasks", "web desired").await;
    assert!(hi2 > 4.0 && lo2 < hi2, "web scales again: {lo2}..{hi2}");
    screenshot_of(&b, "[data-testid=policy-cards]", "time-policy-attached.png").await;

    // Drag the 18:00 point of web's load up: the workload and the plot change.
    let point = "[data-testid=load-point][data-service=web][data-index='18']";
    let v0: f64 = attr(&b, point, "data-value")
        .await
        .unwrap_or_default()
        .parse()
        .unwrap_or(0.0);
    assert_eq!(v0, 380.0);
    drag_by(&b, point, -60.0).await;
    let (rev3, sig3) = wait_rerun(&b, &rev2).await;
    let v1: f64 = attr(&b, point, "data-value")
        .await
        .unwrap_or_default()
        .parse()
        .unwrap_or(0.0);
    assert!(v1 > v0 + 100.0, "the point went up: {v0} → {v1}");
    // The plan's workload says so (the saved plan is the current one).
    b.wait_until(
        &format!(
            "JSON.parse(localStorage.getItem({})).workload.services.web.requestsPerSecond.daily[18] === {v1}",
            json!(PLAN_KEY)
        ),
        TIMEOUT,
    )
    .await;
    assert_ne!(sig3, sig2, "the tasks plot changed");
    let (_, hi3, mean3) = series(&b, "tasks", "web desired").await;
    assert!(
        hi3 >= hi2 && mean3 > mean2,
        "more load, more tasks: {hi2}/{mean2} → {hi3}/{mean3}"
    );
    screenshot_of(&b, "[data-testid=load-curves]", "time-load-dragged.png").await;

    // Undo puts the point and the plot back.
    b.js(
        "document.activeElement && document.activeElement.blur();",
        vec![],
    )
    .await;
    press(&b, 'z', &[Key::Control]).await;
    let (_, sig4) = wait_rerun(&b, &rev3).await;
    assert_eq!(sig4, sig2, "undo gives the plot before the drag");
    b.wait_until(
        &format!(
            "JSON.parse(localStorage.getItem({})).workload.services.web.requestsPerSecond.daily[18] === 380",
            json!(PLAN_KEY)
        ),
        TIMEOUT,
    )
    .await;
    b.wait_until(
        &format!(
            "document.querySelector({}).dataset.value === '380'",
            json!(point)
        ),
        TIMEOUT,
    )
    .await;

    b.assert_no_console_errors().await;
    b.close().await;
}

#[tokio::test]
async fn keyboard_and_touch_attach_cards_keys_move_points_a_click_seeks_and_a_deployment_plots_its_tasks(
) {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    let (rev0, sig0) = simulate_a_day(&b).await;

    // Card: Enter picks it up, the arrow keys choose the service, Enter attaches.
    let worker_desired = series(&b, "tasks", "worker desired").await;
    assert_eq!(
        worker_desired.0, worker_desired.1,
        "the worker has no scaling yet"
    );
    element(&b, "[data-testid=policy-card][data-card=target-cpu]").await;
    b.js(
        "document.querySelector('[data-testid=policy-card][data-card=target-cpu]').focus();",
        vec![],
    )
    .await;
    press(&b, Key::Enter, &[]).await;
    b.wait_until(
        "document.activeElement && document.activeElement.dataset.dropValue === 'web'",
        TIMEOUT,
    )
    .await;
    press(&b, Key::Down, &[]).await;
    b.wait_until(
        "document.activeElement && document.activeElement.dataset.dropValue === 'worker'",
        TIMEOUT,
    )
    .await;
    press(&b, Key::Enter, &[]).await;
    let (rev1, sig1) = wait_rerun(&b, &rev0).await;
    assert_eq!(attached(&b, "worker").await, ["worker-cpu-60"]);
    assert_ne!(sig1, sig0);
    let (lo, hi, _) = series(&b, "tasks", "worker desired").await;
    assert!(hi > lo, "the worker scales now: {lo}..{hi}");
    // A finger drags the scheduled action's card onto the worker too.
    drag(
        &b,
        "[data-testid=policy-card][data-card=scheduled]",
        "[data-testid=policy-service][data-service=worker]",
        Pointer::Touch,
    )
    .await;
    let (rev1, _) = wait_rerun(&b, &rev1).await;
    assert_eq!(
        attached(&b, "worker").await,
        ["worker-cpu-60", "worker-weekday-mornings"]
    );
    // The sidebar's services take cards too.
    drag(
        &b,
        "[data-testid=policy-card][data-card=scheduled]",
        "[data-testid=services] [data-testid=service][data-service=web]",
        Pointer::Mouse,
    )
    .await;
    let (rev1, _) = wait_rerun(&b, &rev1).await;
    assert!(
        attached(&b, "web")
            .await
            .contains(&"web-weekday-mornings".to_string()),
        "{:?}",
        attached(&b, "web").await
    );

    // Point: focus, ArrowUp three times, Escape puts it back; ArrowUp and Enter apply.
    let point = "[data-testid=load-point][data-service=web][data-index='0']";
    element(&b, point).await;
    b.js(
        "document.querySelector(arguments[0]).focus();",
        vec![json!(point)],
    )
    .await;
    let v0 = attr(&b, point, "data-value").await.unwrap_or_default();
    for _ in 0..3 {
        press(&b, Key::Up, &[]).await;
    }
    b.wait_until(
        &format!(
            "document.querySelector({}).dataset.value !== {}",
            json!(point),
            json!(v0)
        ),
        TIMEOUT,
    )
    .await;
    // The value being set is shown next to the point.
    let readout = b.text("[data-testid=load-readout]").await;
    assert!(readout.ends_with("requests/s"), "{readout}");
    screenshot_of(&b, "[data-testid=load-curves]", "time-load-keyboard.png").await;
    press(&b, Key::Escape, &[]).await;
    b.wait_until(
        &format!(
            "document.querySelector({}).dataset.value === {}",
            json!(point),
            json!(v0)
        ),
        TIMEOUT,
    )
    .await;
    assert_eq!(run_now(&b).await.0, rev1, "nothing applied");
    press(&b, Key::Up, &[]).await;
    press(&b, Key::Enter, &[]).await;
    wait_rerun(&b, &rev1).await;
    let v1: f64 = attr(&b, point, "data-value")
        .await
        .unwrap_or_default()
        .parse()
        .unwrap_or(0.0);
    let v0: f64 = v0.parse().unwrap_or(0.0);
    assert!(v1 > v0, "{v0} → {v1}");
    // The point keeps the focus, and ArrowRight goes to the next one.
    press(&b, Key::Right, &[]).await;
    b.wait_until(
        "document.activeElement && document.activeElement.dataset.index === '1'",
        TIMEOUT,
    )
    .await;

    // A click in the middle of a plot moves the cursor (and the scrubbed second) there;
    // the plots are not drawn again (the same SVG elements stay).
    b.js(
        "document.querySelectorAll('.plot-svg svg').forEach(s => s.dataset.seen = '1');",
        vec![],
    )
    .await;
    let cursor = format!("{TASKS} .plot-cursor");
    let left0 = attr(&b, &cursor, "style").await.unwrap_or_default();
    let frame = element(&b, &format!("{TASKS} .plot-frame")).await;
    perform(
        &b,
        Pointer::Mouse,
        vec![
            PointerAction::MoveToElement {
                element: frame,
                duration: None,
                x: 0.0,
                y: 0.0,
            },
            PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            },
            PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            },
        ],
    )
    .await;
    b.wait_until(
        &format!(
            "document.querySelector({}).getAttribute('style') !== {}",
            json!(cursor),
            json!(left0)
        ),
        TIMEOUT,
    )
    .await;
    assert_eq!(
        b.js(
            "return Array.from(document.querySelectorAll('.plot-svg svg')).every(s => s.dataset.seen === '1');",
            vec![],
        )
        .await,
        json!(true),
        "seeking drew no plot again"
    );
    // The line is where the click was (the middle of the frame).
    let off = b
        .js(
            "const f = document.querySelector(arguments[0] + ' .plot-frame').getBoundingClientRect();\
             const c = document.querySelector(arguments[0] + ' .plot-cursor').getBoundingClientRect();\
             return Math.abs(c.left - (f.left + f.width / 2)) / f.width;",
            vec![json!(TASKS)],
        )
        .await;
    assert!(
        off.as_f64().is_some_and(|o| o < 0.02),
        "cursor {off} of the width away from the click"
    );
    let at = b.text(&format!("{TASKS} [data-testid=plot-at]")).await;
    assert!(!at.is_empty());
    screenshot_of(&b, TASKS, "time-plot-cursor.png").await;

    // A deployment has no minute samples: its tasks plot only.
    let (rev, _) = run_now(&b).await;
    b.click("[data-testid=scenario-deploy]").await;
    b.click("[data-testid=scenario-run]").await;
    b.wait_until(
        &format!(
            "(() => {{ const p = document.querySelector('[data-testid=time-panel]');\
               return p.dataset.state === 'done' && p.dataset.runRevision === {}\
                 && document.querySelectorAll('[data-testid=plot]').length === 1\
                 && !!document.querySelector({}); }})()",
            json!(rev),
            json!(TASKS)
        ),
        RUN,
    )
    .await;
    // The new deployment's tasks come up from none to the desired count.
    let (lo, hi, _) = series(&b, "tasks", "web new running").await;
    assert_eq!((lo, hi), (0.0, 4.0));
    screenshot_of(&b, TASKS, "time-plot-deployment.png").await;

    b.assert_no_console_errors().await;
    b.close().await;
}
