//! The engine in WASM against the engine native, in the same run on the same machine (issue 14:
//! "≤ 1.5× the native time"), reported (never asserted) for docs/performance.md.
//!
//! One process launches both: the engine worker of the built page (`dist/`) in headless
//! Chromium, and the same program built natively (`cargo build --profile cli -p engine-worker`,
//! or the binary named by `NATIVE_WORKER`), which answers the same protocol on stdin. Both get
//! the same `measure.engine` requests (worker/src/measure.rs), which time the engine call only,
//! inside the worker (`performance.now()`) and inside the native process (`Instant`): the plan
//! is loaded before the clock starts and the answer written after it stops. Calls alternate
//! between the two (the first of each pair swapping every round), so the ratio is taken at the
//! same load; every line carries the load average. Both sides must compute the same thing
//! (the request's `check`), which the test asserts.
//!
//! Calls, on `testkit::quota` plans generated here: placing the quota plan, `whatif
//! --lose-az`, a rolling deployment of a 5 000-task service, and two simulated hours of the
//! plan scaled down (`SIM_SCALE`, 0.1 by default) as `ecsplan simulate` runs them and as the
//! time view does (`sim.day`).
//!
//! Run, after `trunk build --release` and `cargo build --profile cli -p engine-worker`:
//! `cargo test -p e2e --test worker_speed -- --ignored --nocapture`. `ROUNDS` (2), `REPEAT` (3,
//! runs of each placement per request), `SIM_SECONDS` (7200), `QUOTA_SCALE` (1: the placement
//! plan smaller) and `ONLY` (a comma-separated list of calls) shorten it.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Duration;

use e2e::{report, Harness};
use serde_json::{json, Value};
use testkit::quota::Quota;

/// The native engine worker, answering one request line with its reply line.
struct Native {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Native {
    fn start() -> Native {
        let path = std::env::var_os("NATIVE_WORKER")
            .map(PathBuf::from)
            .unwrap_or_else(|| e2e::workspace_root().join("target/cli/engine-worker"));
        assert!(
            path.is_file(),
            "{} is missing: build it with `cargo build --profile cli -p engine-worker` \
             (or name another build with NATIVE_WORKER)",
            path.display()
        );
        let mut child = Command::new(&path)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", path.display()));
        let stdin = child.stdin.take().expect("piped");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
        let mut ready = String::new();
        stdout.read_line(&mut ready).expect("the ready line");
        assert!(ready.contains("\"ready\""), "{ready}");
        Native {
            child,
            stdin,
            stdout,
        }
    }

    /// The reply to `request` (progress lines skipped).
    fn ask(&mut self, request: &Value) -> Value {
        writeln!(self.stdin, "{request}").expect("write to the native worker");
        self.stdin.flush().expect("flush");
        loop {
            let mut line = String::new();
            let n = self.stdout.read_line(&mut line).expect("read a reply");
            assert!(n > 0, "the native worker stopped");
            let reply: Value = serde_json::from_str(&line).expect("a JSON reply");
            if reply["type"] != "progress" {
                return reply;
            }
        }
    }
}

impl Drop for Native {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The machine's load average (1 minute): the machine is shared.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().next().unwrap_or("?").to_string())
        .unwrap_or_else(|_| "?".into())
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return f64::NAN;
    }
    v[v.len() / 2]
}

/// The timed runs of a `measure.engine` reply, and its check.
fn timed(reply: &Value, side: &str) -> (Vec<f64>, String) {
    assert_eq!(reply["type"], "done", "{side}: {reply}");
    let ms = reply["result"]["ms"]
        .as_array()
        .expect("ms")
        .iter()
        .map(|m| m.as_f64().expect("a number"))
        .collect();
    let check = reply["result"]["check"].as_str().unwrap_or("").to_string();
    (ms, check)
}

fn list(xs: &[f64]) -> String {
    xs.iter()
        .map(|x| format!("{x:.0}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[tokio::test]
#[ignore = "a measurement: minutes long; run on purpose with --ignored (see the file's doc)"]
async fn wasm_against_native_in_the_same_run() {
    let Some(h) = Harness::start() else { return };
    let mut native = Native::start();
    let scale: f64 = env_or("QUOTA_SCALE", 1.0);
    let sim_scale: f64 = env_or("SIM_SCALE", 0.1);
    let rounds: usize = env_or("ROUNDS", 2);
    let repeat: u32 = env_or("REPEAT", 3);
    let sim_seconds: u32 = env_or("SIM_SECONDS", 7200);
    let only: Option<Vec<String>> = std::env::var("ONLY")
        .ok()
        .map(|s| s.split(',').map(str::to_string).collect());

    let quota = if scale < 1.0 {
        Quota::scaled(scale)
    } else {
        Quota::full()
    };
    let big = quota.plan().to_string();
    let small = Quota::scaled(sim_scale).plan().to_string();
    let worker = e2e::dist_dir().join("engine-worker_bg.wasm");
    report(&format!(
        "quota plan: {} instances, {} services, {} bytes; simulated: scale {sim_scale}, {} bytes; \
         the worker's wasm {} bytes; load {}",
        quota.instances,
        quota.services,
        big.len(),
        small.len(),
        std::fs::metadata(&worker).map(|m| m.len()).unwrap_or(0),
        load()
    ));

    let b = h.browser().await;
    b.open("/").await;
    b.js(
        "window.__plans = { big: arguments[0], small: arguments[1] }; window.__done = {};\
         window.__w = new Worker('/engine-worker-loader.js');\
         window.__w.onmessage = (ev) => { const r = JSON.parse(ev.data);\
           if (r.type === 'ready') window.__ready = true;\
           else if (r.type !== 'progress') window.__done[r.id] = ev.data; };",
        vec![json!(big), json!(small)],
    )
    .await;
    b.wait_until("window.__ready === true", Duration::from_secs(60))
        .await;

    // (name, plan, the call's fields)
    let calls: Vec<(&str, &str, Value)> = vec![
        ("place", "big", json!({"call": "place", "repeat": repeat})),
        (
            "loseAz",
            "big",
            json!({"call": "loseAz", "zone": "us-east-1a", "repeat": repeat}),
        ),
        (
            "deploy",
            "big",
            json!({"call": "deploy", "service": "big-0", "repeat": 1}),
        ),
        (
            "simulate",
            "small",
            json!({"call": "simulate", "seconds": sim_seconds, "repeat": 1}),
        ),
        (
            "day",
            "small",
            json!({"call": "day", "seconds": sim_seconds, "repeat": 1}),
        ),
    ];
    let calls: Vec<_> = calls
        .into_iter()
        .filter(|(name, ..)| only.as_ref().is_none_or(|o| o.iter().any(|x| x == name)))
        .collect();

    let mut id = 0u64;
    let mut all: Vec<(String, Vec<f64>, Vec<f64>)> = calls
        .iter()
        .map(|(n, ..)| (n.to_string(), vec![], vec![]))
        .collect();
    for round in 0..rounds {
        for (k, (name, which, fields)) in calls.iter().enumerate() {
            let mut sides: [(f64, Vec<f64>, String); 2] = Default::default();
            let before = load();
            for turn in 0..2 {
                // Round 0: native first; round 1: WASM first; and so on.
                let wasm = (turn + round) % 2 == 1;
                id += 1;
                if wasm {
                    b.js(
                        "const [id, which, fields] = arguments;\
                         window.__w.postMessage(JSON.stringify({ id, kind: 'measure.engine',\
                           payload: Object.assign({ plan: window.__plans[which] }, fields) }));",
                        vec![json!(id), json!(which), fields.clone()],
                    )
                    .await;
                    let text = b
                        .wait_until(&format!("window.__done[{id}]"), Duration::from_secs(3600))
                        .await;
                    let reply: Value =
                        serde_json::from_str(text.as_str().expect("text")).expect("JSON");
                    let (ms, check) = timed(&reply, "wasm");
                    sides[1] = (median(&ms), ms, check);
                } else {
                    let mut payload = fields.clone();
                    payload["plan"] = json!(if *which == "big" { &big } else { &small });
                    let reply = native.ask(&json!({
                        "id": id, "kind": "measure.engine", "payload": payload
                    }));
                    let (ms, check) = timed(&reply, "native");
                    sides[0] = (median(&ms), ms, check);
                }
            }
            let (n, w) = (&sides[0], &sides[1]);
            report(&format!(
                "round {round} {name}: native {:.1} ms [{}], wasm {:.1} ms [{}]: ratio {:.2}; {}; load {before} → {}",
                n.0,
                list(&n.1),
                w.0,
                list(&w.1),
                w.0 / n.0,
                n.2,
                load()
            ));
            assert_eq!(
                n.2, w.2,
                "{name}: the native engine and the engine in WASM computed different things"
            );
            all[k].1.extend(&n.1);
            all[k].2.extend(&w.1);
        }
    }
    for (name, n, w) in &all {
        report(&format!(
            "{name}: native median {:.1} ms (min {:.1}), wasm median {:.1} ms (min {:.1}): ratio of medians {:.2}, of minima {:.2}",
            median(n),
            n.iter().cloned().fold(f64::INFINITY, f64::min),
            median(w),
            w.iter().cloned().fold(f64::INFINITY, f64::min),
            median(w) / median(n),
            w.iter().cloned().fold(f64::INFINITY, f64::min)
                / n.iter().cloned().fold(f64::INFINITY, f64::min),
        ));
    }
    b.close().await;
}
