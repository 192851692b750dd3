//! Speed of the board in headless Chromium on the release build, reported (never asserted) for
//! docs/performance.md: navigation to an interactive board with the default plan, and
//! re-placement plus redraw after a drag on big plans (1 000 tasks on 200 instances, 10 000
//! tasks on 1 000 instances). The page records its own timings around the drop
//! (`performance.now()` before the command, after it, in the next animation frame, and in a
//! task queued from that frame, after paint) on `#board` as `data-perf-*`.
//!
//! The quota plan of issue 14 (`testkit::quota`, generated here, never a file in the repo) is
//! measured the same way by `measure_the_quota_plan`, with its opening, drains, Place afresh,
//! scrolling, memory and a simulated day; `measure_the_1000_task_board_p95` gives the median,
//! p95 and worst of 20 drops of each kind on the 1 000-task board.
//!
//! Run: `ECS_PLANNER_DIST=... cargo test -p e2e --test board_perf -- --ignored --nocapture`

mod board_common;
mod shell_common;

use std::time::{Duration, Instant};

use board_common::*;
use e2e::{report, Harness, TIMEOUT};
use serde_json::{json, Value};
use shell_common::*;

const ZONES: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];

/// `instances` m5.2xlarge in three zones and four services of `tasks / 4` tasks each (256 to
/// 1024 CPU units, 512 MiB to 2 GiB), all with `strategy`.
fn big_plan(instances: usize, tasks: usize, strategy: Value) -> String {
    let insts: Vec<Value> = (0..instances)
        .map(|i| json!({"id": format!("i-{i:06}"), "instanceType": "m5.2xlarge", "availabilityZone": ZONES[i % 3]}))
        .collect();
    let sizes = [(256, 512), (512, 1024), (128, 256), (1024, 2048)];
    let mut tds = Vec::new();
    let mut services = Vec::new();
    for (i, (cpu, mem)) in sizes.iter().enumerate() {
        tds.push(json!({"family": format!("app{i}"), "containerDefinitions": [{"name": "c", "image": "public.ecr.aws/x/app:1", "cpu": cpu, "memory": mem}]}));
        services.push(json!({"serviceName": format!("svc{i}"), "taskDefinition": format!("app{i}"), "desiredCount": tasks / 4, "placementStrategy": strategy}));
    }
    json!({
        "schemaVersion": 1,
        "name": format!("{tasks} tasks on {instances} instances"),
        "region": "us-east-1",
        "cluster": {"clusterName": "big", "availabilityZones": ZONES, "containerInstances": insts},
        "taskDefinitions": tds,
        "services": services
    })
    .to_string()
}

async fn perf(b: &e2e::Browser, what: &str) -> Value {
    b.wait_until(
        &format!(
            "(() => {{ const d = document.querySelector('#board').dataset; return d.perfWhat === {} && d.perfPaintMs && [d.perfCommandMs, d.perfFrameMs, d.perfPaintMs]; }})()",
            json!(what)
        ),
        Duration::from_secs(60),
    )
    .await
}

async fn clear_perf(b: &e2e::Browser) {
    b.js(
        "const d = document.querySelector('#board'); for (const a of ['what', 'command-ms', 'frame-ms', 'paint-ms']) d.removeAttribute('data-perf-' + a);",
        vec![],
    )
    .await;
}

/// The first sentence of the live line, shortened.
fn first(s: &str) -> String {
    s.split(". ")
        .next()
        .unwrap_or_default()
        .chars()
        .take(90)
        .collect()
}

/// Chrome's counters of main-thread time (seconds): tasks, script, style, layout.
async fn main_thread(b: &e2e::Browser) -> Vec<f64> {
    let m = cdp(b, "Performance.getMetrics", json!({})).await;
    let get = |name: &str| {
        m["metrics"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|x| x["name"] == name)
            .and_then(|x| x["value"].as_f64())
            .unwrap_or_default()
    };
    [
        "TaskDuration",
        "ScriptDuration",
        "RecalcStyleDuration",
        "LayoutDuration",
    ]
    .iter()
    .map(|n| get(n))
    .collect()
}

/// Milliseconds of main-thread work between two readings of [`main_thread`].
fn main_delta(a: &[f64], b: &[f64]) -> String {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| (y - x) * 1000.0).collect();
    format!(
        "[task {:.1}, script {:.1}, style {:.1}, layout {:.1}]",
        d[0], d[1], d[2], d[3]
    )
}

/// A pointer drag from `from` to `to`, held over the target; then the drop alone is measured:
/// the page's own timings and Chrome's main-thread counters from just before the release to
/// after the next paint (the pointer moves are not counted).
async fn measured_drop(
    b: &e2e::Browser,
    from: &str,
    to: &str,
    what: &str,
) -> (Value, String, String) {
    drag_and_hold(b, from, to).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    clear_perf(b).await;
    let m0 = main_thread(b).await;
    release(b).await;
    let page = perf(b, what).await;
    let m1 = main_thread(b).await;
    let status = b.text("[data-testid=status]").await;
    (page, main_delta(&m0, &m1), status)
}

#[tokio::test]
#[ignore = "measures, for docs/performance.md"]
async fn measure_navigation_and_drags() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    cdp(
        &b,
        "Performance.enable",
        json!({"timeDomain": "threadTicks"}),
    )
    .await;

    // Navigation to an interactive board with the default plan (the first load is cold).
    for run in 0..6 {
        b.open("about:blank").await;
        let started = Instant::now();
        b.open("/").await;
        b.wait_for(READY, TIMEOUT).await;
        let wall = started.elapsed();
        // Chrome's long animation frames since navigation (buffered): when the last one ended
        // is when the page began to answer input without a delay of more than 50 ms.
        let busy = b
            .js(
                "return new Promise(r => { setTimeout(() => r(null), 1000);\
                   new PerformanceObserver((l, o) => { o.disconnect(); const e = l.getEntries();\
                     r([Math.round(Math.max(...e.map(x => x.startTime + x.duration))), e.length,\
                       Math.round(e.reduce((a, x) => a + x.duration, 0))]); })\
                   .observe({type: 'long-animation-frame', buffered: true}); });",
                vec![],
            )
            .await;
        report(&format!(
            "open run {run}: long animation frames [last one ends at ms, count, total ms] = {busy}"
        ));
        let ready = b
            .js(
                "return document.querySelector('#board').dataset.readyMs;",
                vec![],
            )
            .await;
        let nav = b
            .js("const n = performance.getEntriesByType('navigation')[0]; return [n.responseEnd, n.domContentLoadedEventEnd, n.loadEventEnd];", vec![])
            .await;
        report(&format!(
            "navigation run {run}: board ready at performance.now() = {} ms (navigation responseEnd, DOMContentLoaded, load: {nav}); WebDriver wall {} ms",
            ready.as_str().unwrap_or("?"),
            wall.as_millis()
        ));
    }
    let sizes = b
        .js("return performance.getEntriesByType('resource').map(e => [e.name.split('/').pop(), e.transferSize, e.encodedBodySize, e.decodedBodySize]);", vec![])
        .await;
    report(&format!(
        "resources [name, transfer, encoded, decoded]: {sizes}"
    ));

    for (instances, tasks) in [(200usize, 1_000usize), (1_000, 10_000)] {
        for (name, strategy) in [
            (
                "binpack(memory)",
                json!([{"type": "binpack", "field": "memory"}]),
            ),
            (
                "spread(az), spread(instanceId)",
                json!([{"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "spread", "field": "instanceId"}]),
            ),
        ] {
            let plan = big_plan(instances, tasks, strategy);
            let started = Instant::now();
            paste_import(&b, &plan).await;
            // Big boards draw only the cards near the view (deferred.rs): wait for the lanes'
            // counts of instances and for the status line's count of placed tasks.
            b.wait_until(
                &format!("{INSTANCES} === {instances} && document.querySelector('[data-testid=status]').textContent.includes('{tasks} tasks placed')"),
                Duration::from_secs(120),
            )
            .await;
            report(&format!(
                "{tasks} tasks on {instances} instances, {name}: imported and drawn in {} ms (WebDriver wall)",
                started.elapsed().as_millis()
            ));
            for round in 0..5 {
                let item = palette_item(&b, "m5.2xlarge").await;
                let (add, add_main, changed) = measured_drop(
                    &b,
                    &item,
                    "[data-testid=lane][data-az='us-east-1a']",
                    "add instance",
                )
                .await;
                let id = format!("i-{:06}", 3 * (round + 1));
                let handle =
                    format!("[data-testid=instance][data-instance-id='{id}'] [data-testid=move]");
                let (mv, mv_main, moved) = measured_drop(
                    &b,
                    &handle,
                    "[data-testid=lane][data-az='us-east-1b']",
                    "move instance",
                )
                .await;
                report(&format!(
                    "{tasks}/{instances} {name} round {round}: add instance [command, frame, paint] ms = {add}, main thread {add_main} ({}); move instance = {mv}, main thread {mv_main} ({})",
                    first(&changed),
                    first(&moved),
                ));
            }
            // The whole plan placed again, as on a new cluster (a button, not a drag).
            clear_perf(&b).await;
            let m0 = main_thread(&b).await;
            b.click("[data-testid=place-afresh]").await;
            let afresh = perf(&b, "place afresh").await;
            let m1 = main_thread(&b).await;
            report(&format!(
                "{tasks}/{instances} {name}: place afresh [command, frame, paint] ms = {afresh}, main thread {} ({})",
                main_delta(&m0, &m1),
                first(&b.text("[data-testid=status]").await),
            ));
        }
    }
    let elements = b
        .js("return document.getElementsByTagName('*').length;", vec![])
        .await;
    report(&format!("elements on the page at the end: {elements}"));
    assert_clean_console(&b).await;
    b.close().await;
}

/// Where the time of a drop goes on a big plan: a CPU profile (Chrome DevTools Protocol) of the
/// drop of an instance type on a zone (the pointer moves before it are not profiled), summed by
/// function (self time), top 30. Build the
/// page without `wasm-opt` to see the engine's and the app's function names.
#[tokio::test]
#[ignore = "profiles, for development"]
async fn profile_a_drop() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    b.open("/").await;
    b.wait_for(READY, TIMEOUT).await;
    // PROFILE=small: 1 000 tasks on 200 instances with binpack(memory) instead; PROFILE=quota:
    // the quota plan (`testkit::quota`), placed from the plan saved in the page.
    let small = std::env::var("PROFILE").is_ok_and(|v| v == "small");
    let quota = std::env::var("PROFILE").is_ok_and(|v| v == "quota");
    if quota {
        let plan = testkit::quota::Quota::full().plan();
        b.set_local_storage(PLAN_KEY, &plan.to_string()).await;
        b.open("/").await;
        b.wait_until(&format!("{INSTANCES} === 5000"), Duration::from_secs(300))
            .await;
    }
    let (instances, tasks, strategy) = if small {
        (200, 1_000, json!([{"type": "binpack", "field": "memory"}]))
    } else {
        (
            1_000,
            10_000,
            json!([{"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "spread", "field": "instanceId"}]),
        )
    };
    if !quota {
        paste_import(&b, &big_plan(instances, tasks, strategy)).await;
        b.wait_until(
            &format!("document.querySelector('[data-testid=status]').textContent.includes('{tasks} tasks placed')"),
            Duration::from_secs(120),
        )
        .await;
    }
    // Long animation frames (Chrome's LoAF): how each long frame splits into script, style and
    // layout, and the rest of rendering.
    b.js(
        "window.__loaf = []; new PerformanceObserver(l => window.__loaf.push(...l.getEntries())).observe({type: 'long-animation-frame'});",
        vec![],
    )
    .await;
    // The pointer moves first; the profile covers the drop alone. DROP=move: an instance
    // dragged to another zone instead of an instance type dropped on one.
    let moving = std::env::var("DROP").is_ok_and(|v| v == "move");
    let (from, to, what) = if moving {
        (
            format!(
                "[data-testid=instance][data-instance-id='{}'] [data-testid=move]",
                if quota {
                    "i-00a00000000000003"
                } else {
                    "i-000003"
                }
            ),
            "[data-testid=lane][data-az='us-east-1b']",
            "move instance",
        )
    } else {
        (
            palette_item(&b, "m5.2xlarge").await,
            "[data-testid=lane][data-az='us-east-1a']",
            "add instance",
        )
    };
    drag_and_hold(&b, &from, to).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    cdp(&b, "Profiler.enable", json!({})).await;
    cdp(&b, "Profiler.setSamplingInterval", json!({"interval": 100})).await;
    clear_perf(&b).await;
    cdp(&b, "Profiler.start", json!({})).await;
    release(&b).await;
    let add = perf(&b, what).await;
    let profile = cdp(&b, "Profiler.stop", json!({})).await;
    report(&format!("add instance [command, frame, paint] ms = {add}"));
    let loaf = b
        .js(
            "return window.__loaf.map(e => { const scripts = e.scripts.reduce((a, s) => a + s.duration, 0);                const forced = e.scripts.reduce((a, s) => a + s.forcedStyleAndLayoutDuration, 0);                const end = e.startTime + e.duration;                return {duration: Math.round(e.duration), scripts: Math.round(scripts), forcedLayout: Math.round(forced),                  styleAndLayout: e.styleAndLayoutStart ? Math.round(end - e.styleAndLayoutStart) : 0,                  render: e.renderStart ? Math.round(end - e.renderStart) : 0}; });",
            vec![],
        )
        .await;
    report(&format!("long animation frames: {loaf}"));
    let nodes = profile["profile"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let samples = profile["profile"]["samples"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let deltas = profile["profile"]["timeDeltas"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut name_of = std::collections::HashMap::new();
    for n in &nodes {
        let f = &n["callFrame"];
        name_of.insert(
            n["id"].as_i64().unwrap_or_default(),
            format!(
                "{} ({})",
                f["functionName"].as_str().unwrap_or("?"),
                f["url"]
                    .as_str()
                    .unwrap_or("")
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
            ),
        );
    }
    let mut self_us: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for (s, d) in samples.iter().zip(deltas.iter()) {
        let name = name_of
            .get(&s.as_i64().unwrap_or_default())
            .cloned()
            .unwrap_or_default();
        *self_us.entry(name).or_default() += d.as_i64().unwrap_or_default();
    }
    let mut top: Vec<_> = self_us.into_iter().collect();
    top.sort_by_key(|t| std::cmp::Reverse(t.1));
    for (name, us) in top.into_iter().take(30) {
        report(&format!("{:>8.1} ms  {name}", us as f64 / 1000.0));
    }
    b.close().await;
}

/// The functions of a CDP CPU profile by self time (µs), most first.
fn self_times(profile: &Value) -> Vec<(String, i64)> {
    let p = &profile["profile"];
    let list = |k: &str| p[k].as_array().cloned().unwrap_or_default();
    let mut name_of = std::collections::HashMap::new();
    for n in list("nodes") {
        let f = &n["callFrame"];
        let url = f["url"].as_str().unwrap_or("");
        name_of.insert(
            n["id"].as_i64().unwrap_or_default(),
            format!(
                "{} ({})",
                f["functionName"].as_str().unwrap_or("?"),
                url.rsplit('/').next().unwrap_or("")
            ),
        );
    }
    let mut self_us: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for (s, d) in list("samples").iter().zip(list("timeDeltas").iter()) {
        let name = name_of
            .get(&s.as_i64().unwrap_or_default())
            .cloned()
            .unwrap_or_default();
        *self_us.entry(name).or_default() += d.as_i64().unwrap_or_default();
    }
    let mut top: Vec<_> = self_us.into_iter().collect();
    top.sort_by_key(|t| std::cmp::Reverse(t.1));
    top
}

/// Median, 95th percentile and worst of `xs` (nearest rank), in the units given.
fn spread_of(xs: &[f64]) -> String {
    let mut v: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return "no samples".into();
    }
    v.sort_by(f64::total_cmp);
    let rank = |p: f64| v[((p * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1];
    format!(
        "n {}, median {:.1}, p95 {:.1}, worst {:.1}",
        v.len(),
        rank(0.5),
        rank(0.95),
        v[v.len() - 1]
    )
}

/// `[command, frame, paint]` of a page timing as numbers.
fn triple(v: &Value) -> [f64; 3] {
    let n = |i: usize| {
        v[i].as_str()
            .and_then(|s| s.parse().ok())
            .or_else(|| v[i].as_f64())
            .unwrap_or(f64::NAN)
    };
    [n(0), n(1), n(2)]
}

/// The machine's load average (1 minute), for each figure: the machine is shared.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().next().unwrap_or("?").to_string())
        .unwrap_or_else(|_| "?".into())
}

/// Memory in the page: V8's heap in use and the page's wasm memory (the module is imported
/// again: wasm-bindgen's init returns the instance it already has).
async fn page_memory(b: &e2e::Browser) -> String {
    let m = cdp(b, "Performance.getMetrics", json!({})).await;
    let get = |name: &str| {
        m["metrics"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|x| x["name"] == name)
            .and_then(|x| x["value"].as_f64())
            .unwrap_or_default()
    };
    let heap = get("JSHeapUsedSize") / 1e6;
    let total = get("JSHeapTotalSize") / 1e6;
    let wasm = b
        .js(
            "return (async () => { const s = document.querySelector('script[data-js]');\
               const m = await import(s.dataset.js); const w = await m.default({ module_or_path: s.dataset.wasm });\
               return w.memory.buffer.byteLength; })();",
            vec![],
        )
        .await
        .as_f64()
        .unwrap_or(f64::NAN)
        / 1e6;
    format!(
        "JS heap used {heap:.1} MB (total {total:.1}), wasm memory {wasm:.1} MB: {:.1} MB",
        heap + wasm
    )
}

/// A click on `css` timed in the page like a drop (`board::timed`): the click's handler runs
/// the command synchronously; then the next animation frame and a task queued from it. A real
/// click starts with a pointer press, which clears the page's "swallow the click that ends a
/// drag" (the drops before leave it set): the script sends one first. A mouse press also
/// focuses the button in Chrome (a script's `click()` does not): the script focuses it first.
async fn timed_click(b: &e2e::Browser, css: &str) -> [f64; 3] {
    let v = b
        .js(
            "return new Promise(r => { const el = document.querySelector(arguments[0]);\
               window.dispatchEvent(new PointerEvent('pointerdown')); el.focus();\
               const t0 = performance.now(); el.click(); const t1 = performance.now();\
               requestAnimationFrame(() => { const t2 = performance.now();\
                 setTimeout(() => r([t1 - t0, t2 - t0, performance.now() - t0]), 0); }); });",
            vec![json!(css)],
        )
        .await;
    let n = |i: usize| v[i].as_f64().unwrap_or(f64::NAN);
    [n(0), n(1), n(2)]
}

/// How many instances the lanes say they have (a big board draws only the cards near the view).
const INSTANCES: &str = "[...document.querySelectorAll('[data-testid=lane] .lane-title .count')].reduce((s, e) => s + parseInt(e.textContent), 0)";

/// The id of the `k`-th instance card drawn in zone `az` (counting round the drawn ones: a big
/// board draws only the cards near the view).
async fn instance_in(b: &e2e::Browser, az: &str, k: usize) -> String {
    b.js(
        "const l = document.querySelector(`[data-testid=lane][data-az='${arguments[0]}']`);\
         const c = l.querySelectorAll('[data-testid=instance]'); return c[arguments[1] % c.length].dataset.instanceId;",
        vec![json!(az), json!(k)],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// The quota plan of issue 14 (`testkit::quota`: 5 000 instances, 200 services, ~50 000 tasks)
/// on the board: first interactive render from a saved plan, memory, drops (add, move) and
/// drains, Place afresh, scrolling the lanes, then a simulated day in the time view and its
/// scrubbing. Every figure is printed with the machine's load average (`QUOTA_SCALE=0.1` for a
/// smaller plan of the same shape; `DROPS=n` drops of each kind, 20 by default; `SCROLL=0` skips
/// the scroll; `SIMULATE=0` skips the day).
#[tokio::test]
#[ignore = "measures, for docs/performance.md"]
async fn measure_the_quota_plan() {
    let Some(h) = Harness::start() else { return };
    let scale: f64 = std::env::var("QUOTA_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let drops: usize = std::env::var("DROPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let quota = if scale < 1.0 {
        testkit::quota::Quota::scaled(scale)
    } else {
        testkit::quota::Quota::full()
    };
    let plan = quota.plan();
    let tasks = testkit::quota::task_count(&plan);
    let text = plan.to_string();
    report(&format!(
        "quota plan: {} instances, {} services, {tasks} tasks, {} bytes of JSON; load {}",
        quota.instances,
        quota.services,
        text.len(),
        load()
    ));
    let b = h.browser().await;
    cdp(
        &b,
        "Performance.enable",
        json!({"timeDomain": "threadTicks"}),
    )
    .await;
    b.open("/").await;
    b.wait_for(READY, TIMEOUT).await;
    report(&format!("default plan: {}", page_memory(&b).await));

    // (a) First interactive render: the plan saved in the browser, the page opened.
    b.set_local_storage(PLAN_KEY, &text).await;
    for run in 0..3 {
        b.open("about:blank").await;
        let started = Instant::now();
        b.open("/").await;
        let loaded = started.elapsed();
        b.wait_until(
            "document.querySelector('#board[data-ready=true]') && document.querySelector('#board').dataset.readyMs",
            Duration::from_secs(300),
        )
        .await;
        let wall = started.elapsed();
        // Chrome's long animation frames since navigation (buffered): when the last one ended
        // is when the page began to answer input without a delay of more than 50 ms.
        let busy = b
            .js(
                "return new Promise(r => { setTimeout(() => r(null), 1000);\
                   new PerformanceObserver((l, o) => { o.disconnect(); const e = l.getEntries();\
                     r([Math.round(Math.max(...e.map(x => x.startTime + x.duration))), e.length,\
                       Math.round(e.reduce((a, x) => a + x.duration, 0))]); })\
                   .observe({type: 'long-animation-frame', buffered: true}); });",
                vec![],
            )
            .await;
        report(&format!(
            "open run {run}: long animation frames [last one ends at ms, count, total ms] = {busy}"
        ));
        let ready = b
            .js(
                "const n = performance.getEntriesByType('navigation')[0]; return [document.querySelector('#board').dataset.readyMs, n.responseEnd, n.domContentLoadedEventEnd, n.loadEventEnd, document.querySelectorAll('[data-testid=instance]').length, document.querySelectorAll('[data-testid=task]').length];",
                vec![],
            )
            .await;
        report(&format!(
            "open with the quota plan, run {run}: [ready-ms, responseEnd, DOMContentLoaded, load, instance cards, task chips] = {ready}; WebDriver navigation {} ms, to ready {} ms; status: {}; load {}",
            loaded.as_millis(),
            wall.as_millis(),
            first(&b.text("[data-testid=status]").await),
            load()
        ));
    }
    let elements = b
        .js("return document.getElementsByTagName('*').length;", vec![])
        .await;
    report(&format!(
        "after opening: {} ; {elements} elements; load {}",
        page_memory(&b).await,
        load()
    ));

    // (b) Drops: an instance type onto a zone, an instance to another zone, a drain.
    let mut add = Vec::new();
    let mut mv = Vec::new();
    let mut drain = Vec::new();
    for round in 0..drops {
        let item = palette_item(&b, "m5.2xlarge").await;
        let (a, a_main, a_status) = measured_drop(
            &b,
            &item,
            "[data-testid=lane][data-az='us-east-1a']",
            "add instance",
        )
        .await;
        add.push(triple(&a));
        let id = instance_in(&b, "us-east-1c", 2 * round).await;
        let handle = format!("[data-testid=instance][data-instance-id='{id}'] [data-testid=move]");
        let (m, m_main, m_status) = measured_drop(
            &b,
            &handle,
            "[data-testid=lane][data-az='us-east-1b']",
            "move instance",
        )
        .await;
        mv.push(triple(&m));
        let id = instance_in(&b, "us-east-1a", 3 * round + 1).await;
        let button = format!("[data-testid=instance][data-instance-id='{id}'] [data-testid=drain]");
        element(&b, &button).await;
        let d = timed_click(&b, &button).await;
        drain.push(d);
        let drained = b
            .js(
                "return document.querySelector(arguments[0]).dataset.draining;",
                vec![json!(button)],
            )
            .await;
        report(&format!(
            "quota round {round} [command, frame, paint] ms: add {a} main {a_main} ({}); move {m} main {m_main} ({}); drain {d:?} (draining now: {drained}; {}); load {}",
            first(&a_status),
            first(&m_status),
            first(&b.text("[data-testid=status]").await),
            load()
        ));
    }
    for (name, xs) in [("add", &add), ("move", &mv), ("drain", &drain)] {
        let col = |i: usize| xs.iter().map(|x| x[i]).collect::<Vec<_>>();
        report(&format!(
            "quota {name}: command [{}]; frame [{}]; paint [{}]",
            spread_of(&col(0)),
            spread_of(&col(1)),
            spread_of(&col(2))
        ));
    }
    report(&format!("after the drops: {}", page_memory(&b).await));

    // (c) Place afresh, three times (the first moves the edited tasks, the next ones little).
    for run in 0..3 {
        b.js("window.scrollTo(0, 0);", vec![]).await;
        clear_perf(&b).await;
        let m0 = main_thread(&b).await;
        b.click("[data-testid=place-afresh]").await;
        let afresh = perf(&b, "place afresh").await;
        let m1 = main_thread(&b).await;
        report(&format!(
            "quota place afresh run {run}: [command, frame, paint] ms = {afresh}, main thread {} ({}); load {}",
            main_delta(&m0, &m1),
            first(&b.text("[data-testid=status]").await),
            load()
        ));
    }

    // (d) Scrolling the lanes: the page scrolled by 60 px a frame for 240 frames; the gaps
    // between frames (`SCROLL=0` skips it).
    if std::env::var("SCROLL").map_or(true, |v| v != "0") {
        let scroll = b
            .js(
                "return new Promise(r => { window.scrollTo(0, 0); const gaps = []; let last = null, k = 0;\
                   const step = (t) => { if (last !== null) gaps.push(t - last); last = t;\
                     if (k++ < 240) { window.scrollBy(0, 60); requestAnimationFrame(step); } else r(gaps); };\
                   requestAnimationFrame(step); });",
                vec![],
            )
            .await;
        let gaps: Vec<f64> = scroll
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_f64)
            .collect();
        let mean = gaps.iter().sum::<f64>() / gaps.len().max(1) as f64;
        report(&format!(
            "quota scroll, 240 frames of 60 px: frame gaps ms [{}], mean {mean:.1} ms = {:.1} fps; load {}",
            spread_of(&gaps),
            1000.0 / mean,
            load()
        ));
        report(&format!("after scrolling: {}", page_memory(&b).await));
    }

    // (f) Undo, eight times from the last edit (the history keeps every placement of a small
    // plan, and of this one only some: the others are placed again when undo reaches them),
    // then redo as many times.
    b.js("window.scrollTo(0, 0);", vec![]).await;
    for what in ["undo", "redo"] {
        let mut times = Vec::new();
        for _ in 0..8 {
            times.push(timed_click(&b, &format!("[data-testid={what}]")).await);
        }
        let col = |i: usize| times.iter().map(|x| x[i]).collect::<Vec<_>>();
        report(&format!(
            "quota {what} x8: command [{}]; frame [{}]; paint [{}]; load {}",
            spread_of(&col(0)),
            spread_of(&col(1)),
            spread_of(&col(2)),
            load()
        ));
    }
    report(&format!("after undo and redo: {}", page_memory(&b).await));

    // (e) A simulated day in the time view, then scrubbing it.
    if std::env::var("SIMULATE").is_ok_and(|v| v == "0") {
        b.close().await;
        return;
    }
    b.js("window.scrollTo(0, 0);", vec![]).await;
    b.click("[data-testid=scenario-simulate]").await;
    let hours = b.wait_for("[data-testid=scenario-hours]", TIMEOUT).await;
    hours.clear().await.expect("clear hours");
    hours.send_keys("24").await.expect("type hours");
    let started = Instant::now();
    b.click("[data-testid=scenario-run]").await;
    let limit = Duration::from_secs(
        std::env::var("SIM_LIMIT_S")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(420),
    );
    let mut sampled = false;
    loop {
        let state = b
            .js(
                "const p = document.querySelector('[data-testid=time-panel]'); return p ? [p.dataset.state, p.dataset.runMs, p.dataset.runWallMs, p.dataset.runSlices, p.dataset.runBytes] : null;",
                vec![],
            )
            .await;
        // Once, while the engine worker simulates: the page's frames for 3 s (gaps between
        // them) and its long tasks.
        if !sampled && state[0] == "running" && started.elapsed() > Duration::from_secs(10) {
            sampled = true;
            let v = b
                .js(
                    "return await new Promise(done => {                       const long = []; const o = new PerformanceObserver(l => l.getEntries().forEach(e => long.push(Math.round(e.duration))));                       o.observe({type: 'longtask'});                       const gaps = []; let last = null; const t0 = performance.now();                       const f = (t) => { if (last !== null) gaps.push(t - last); last = t;                         if (performance.now() - t0 < 3000) requestAnimationFrame(f);                         else { o.disconnect(); done([gaps, long, Number(document.querySelector('[data-testid=run-progress]').value)]); } };                       requestAnimationFrame(f); });",
                    vec![],
                )
                .await;
            let gaps: Vec<f64> = v[0]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_f64)
                .collect();
            let mean = gaps.iter().sum::<f64>() / gaps.len().max(1) as f64;
            report(&format!(
                "quota day, the page while the engine worker simulates (at {} simulated s): 3 s of frames, gaps ms [{}], mean {mean:.1} ms = {:.1} fps; long tasks ms {}; load {}",
                v[2],
                spread_of(&gaps),
                1000.0 / mean,
                v[1],
                load()
            ));
        }
        if state[0] == "done" && count(&b, "[data-testid=moment-board]").await > 0 {
            report(&format!(
                "quota 24 h simulation in the engine worker: [state, ms until answered, ms until shown, worker messages, answer bytes] = {state}; WebDriver wall {} ms; {}; load {}",
                started.elapsed().as_millis(),
                page_memory(&b).await,
                load()
            ));
            break;
        }
        if started.elapsed() > limit {
            report(&format!(
                "quota 24 h simulation not done after {} s: {state}; {}; load {}",
                limit.as_secs(),
                page_memory(&b).await,
                load()
            ));
            b.close().await;
            return;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // Where Run left the page (the time panel), then at the top (the moment board in view);
    // `SCRUB_PROFILE=1`: each with a CPU profile of the 120 steps (the functions with the most
    // self time; the profiler slows the page, and a slow page's 120 steps then outlast
    // WebDriver's script timeout).
    let profiling = std::env::var("SCRUB_PROFILE").is_ok_and(|v| v == "1");
    // `SCRUB_CSS=<rules>[|||<rules>…]`: both places again with each set of rules added to the
    // page in turn (the same page and run: stylesheets compared in the same conditions).
    let left = b.js("return window.scrollY;", vec![]).await;
    let variants: Vec<String> = std::env::var("SCRUB_CSS")
        .ok()
        .filter(|c| !c.is_empty())
        .map(|c| c.split("|||").map(str::to_string).collect())
        .unwrap_or_default();
    // Where Run left the page depends on the page's height (the bottom of the time panel, on
    // `main`); "at the plots" is the events list and the plots in view, wherever they are.
    let mut places: Vec<(String, String, Option<String>)> = vec![
        (
            "where Run left the page".into(),
            "quota-time-view.png".into(),
            None,
        ),
        (
            "at the top of the page".into(),
            "quota-time-view-top.png".into(),
            None,
        ),
        (
            "at the plots".into(),
            "quota-time-view-plots.png".into(),
            None,
        ),
    ];
    for (k, css) in variants.iter().enumerate() {
        places.push((
            format!("at the top of the page, SCRUB_CSS {k}"),
            format!("quota-time-view-top-css{k}.png"),
            Some(css.clone()),
        ));
        places.push((
            format!("at the plots, SCRUB_CSS {k}"),
            format!("quota-time-view-plots-css{k}.png"),
            Some(css.clone()),
        ));
    }
    for (place, png, css) in places {
        if let Some(css) = css {
            b.js(
                "let s = document.getElementById('scrub-css'); if (!s) { s = document.createElement('style'); s.id = 'scrub-css'; document.head.appendChild(s); } s.textContent = arguments[0];",
                vec![json!(css)],
            )
            .await;
            report(&format!("SCRUB_CSS: {css}"));
        }
        let png = png.as_str();
        if png.contains("top") {
            b.js("window.scrollTo(0, 0);", vec![]).await;
        } else if png.contains("plots") {
            b.js(
                "document.querySelector('[data-testid=events]').scrollIntoView({ block: 'start' });",
                vec![],
            )
            .await;
        } else {
            b.js("window.scrollTo(0, arguments[0]);", vec![left.clone()])
                .await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        if profiling {
            cdp(&b, "Profiler.enable", json!({})).await;
            cdp(&b, "Profiler.setSamplingInterval", json!({"interval": 200})).await;
            cdp(&b, "Profiler.start", json!({})).await;
        }
        let m0 = main_thread(&b).await;
        // Started, then waited for: a slow page's 120 steps outlast WebDriver's script timeout.
        b.js(
            "window.__scrub = null; (async () => {\
               const s = document.querySelector('[data-testid=scrubber]');\
               const frame = () => new Promise(r => requestAnimationFrame(() => r()));\
               const board = document.querySelector('[data-testid=moment-board]');\
               const gaps = [], engine = []; let last = performance.now();\
               for (let k = 1; k <= 120; k++) {\
                 s.value = String(k * 720); s.dispatchEvent(new Event('input', { bubbles: true }));\
                 await frame(); const t = performance.now(); gaps.push(t - last); last = t;\
                 engine.push(Number(board.dataset.perfMomentMs)); }\
               window.__scrub = [gaps, engine, document.querySelectorAll('[data-testid=moment-instance]').length,\
                 document.querySelectorAll('[data-testid=moment-task]').length, document.getElementsByTagName('*').length]; })();",
            vec![],
        )
        .await;
        b.wait_until("window.__scrub !== null", Duration::from_secs(600))
            .await;
        let v: Value = b.js("return window.__scrub;", vec![]).await;
        let m1 = main_thread(&b).await;
        let profile = if profiling {
            cdp(&b, "Profiler.stop", json!({})).await
        } else {
            Value::Null
        };
        let column = |i: usize| -> Vec<f64> {
            v[i].as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_f64)
                .collect()
        };
        let gaps = column(0);
        let mean = gaps.iter().sum::<f64>() / gaps.len().max(1) as f64;
        report(&format!(
            "quota scrub {place}, 120 steps of 12 min, one per frame: step ms [{}], mean {mean:.1} ms = {:.1} fps; main thread {}; the engine's moment ms [{}]; after it: {} instance cards and {} tasks on the page, {} elements; {}; load {}",
            spread_of(&gaps),
            1000.0 / mean,
            main_delta(&m0, &m1),
            spread_of(&column(1)),
            v[2],
            v[3],
            v[4],
            page_memory(&b).await,
            load()
        ));
        // Where the page's elements are (the sections a step may lay out).
        let sections = b
            .js(
                "return ['.plan-board', '.moment-board', '.time-panel', '.events', '.time-plots', '.gantt', '.load-curves', '.policy-cards', '.transport']\
                   .map(s => [s, Array.from(document.querySelectorAll(s)).reduce((n, e) => n + e.getElementsByTagName('*').length, 0)]);",
                vec![],
            )
            .await;
        report(&format!("elements by section: {sections}"));
        for (name, us) in self_times(&profile).into_iter().take(20) {
            report(&format!("{:>8.1} ms  {name}", us as f64 / 1000.0));
        }
        b.screenshot(png).await;
    }
    // The moment's lanes on the page: their top, then 4 000 px down a lane (the window follows
    // the scroll: the cards there are drawn, those above stand as a margin).
    b.js(
        "document.querySelector('[data-testid=moment-lane]').scrollIntoView({ block: 'start' });",
        vec![],
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    b.screenshot("quota-time-view-lanes.png").await;
    b.js("window.scrollBy(0, 4000);", vec![]).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let drawn = b
        .js(
            "return Array.from(document.querySelectorAll('[data-testid=moment-lane]')).map(l => [l.dataset.az, l.querySelectorAll('[data-testid=moment-instance]').length, l.getBoundingClientRect().height]);",
            vec![],
        )
        .await;
    report(&format!(
        "moment lanes 4 000 px down: [zone, cards drawn, lane height px] = {drawn}"
    ));
    b.screenshot("quota-time-view-lanes-down.png").await;
    b.close().await;
}

/// The 1 000-task board (200 instances, binpack(memory) and spread): `DROPS` (20) drops of each
/// kind, with the median, p95 and worst of each timing (the budget: every drop within one
/// frame at p95).
#[tokio::test]
#[ignore = "measures, for docs/performance.md"]
async fn measure_the_1000_task_board_p95() {
    let Some(h) = Harness::start() else { return };
    let drops: usize = std::env::var("DROPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let b = h.browser().await;
    b.open("/").await;
    b.wait_for(READY, TIMEOUT).await;
    for (name, strategy) in [
        (
            "binpack(memory)",
            json!([{"type": "binpack", "field": "memory"}]),
        ),
        (
            "spread(az), spread(instanceId)",
            json!([{"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "spread", "field": "instanceId"}]),
        ),
    ] {
        paste_import(&b, &big_plan(200, 1_000, strategy)).await;
        b.wait_until(
            &format!("{INSTANCES} === 200 && document.querySelector('[data-testid=status]').textContent.includes('1000 tasks placed')"),
            Duration::from_secs(120),
        )
        .await;
        let mut add = Vec::new();
        let mut mv = Vec::new();
        for round in 0..drops {
            let item = palette_item(&b, "m5.2xlarge").await;
            let (a, _, _) = measured_drop(
                &b,
                &item,
                "[data-testid=lane][data-az='us-east-1a']",
                "add instance",
            )
            .await;
            add.push(triple(&a));
            let id = format!("i-{:06}", 3 * (round % 60 + 1));
            let handle =
                format!("[data-testid=instance][data-instance-id='{id}'] [data-testid=move]");
            let to = ["us-east-1b", "us-east-1c"][round / 60 % 2];
            let (m, _, _) = measured_drop(
                &b,
                &handle,
                &format!("[data-testid=lane][data-az='{to}']"),
                "move instance",
            )
            .await;
            mv.push(triple(&m));
        }
        for (what, xs) in [("add", &add), ("move", &mv)] {
            let col = |i: usize| xs.iter().map(|x| x[i]).collect::<Vec<_>>();
            report(&format!(
                "1000/200 {name} {what}: command [{}]; frame [{}]; paint [{}]; load {}",
                spread_of(&col(0)),
                spread_of(&col(1)),
                spread_of(&col(2)),
                load()
            ));
        }
    }
    b.close().await;
}
