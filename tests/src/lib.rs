//! Harness for the end-to-end tests: the built page (`dist/`) in headless Chromium.
//!
//! Each test starts a [`Harness`] (an in-process static server for `dist/` and a `chromedriver`
//! on free ports) and opens one or more [`Browser`]s, each a fresh Chromium profile:
//!
//! ```no_run
//! # async fn t() {
//! use std::time::Duration;
//! let Some(h) = e2e::Harness::start() else { return }; // skipped (and said why) outside CI
//! let b = h.browser().await;
//! b.open("/").await;
//! b.wait_for("[data-ready=true]", Duration::from_secs(10)).await;
//! b.screenshot("default-view").await;
//! b.assert_no_console_errors().await;
//! b.close().await;
//! # }
//! ```
//!
//! Leptos updates the DOM asynchronously: always poll ([`Browser::wait_for`],
//! [`Browser::wait_until`]), never sleep.
//!
//! Environment: `ECS_PLANNER_DIST` (default `<workspace>/dist`), `CHROME` (default
//! `/usr/bin/chromium`), `CHROMEDRIVER` (default `chromedriver` on PATH, then
//! `/usr/bin/chromedriver`), `E2E_ARTIFACTS` (default `<workspace>/target/e2e-artifacts`),
//! `E2E_BROWSERS` (tests running browsers at once, default 2). When `dist/`, Chromium or
//! ChromeDriver is missing a test prints why and passes, except under `CI=true`, where it fails.

pub mod static_server;

use std::io::Write as _;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::error::{CmdError, ErrorStatus};
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

/// The default time [`Browser::wait_for`] and friends wait for (the page, not the test, is slow
/// the first time: cold Chromium on a 2-core machine).
pub const TIMEOUT: Duration = Duration::from_secs(15);

/// The size of the page's viewport in every browser (and so of every screenshot).
pub const VIEWPORT: (u32, u32) = (1280, 800);

/// Chromium's flags. `--user-data-dir` (a fresh temporary directory) is added per browser.
pub const CHROME_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--window-size=1280,800",
];

/// Prints a line to the terminal even while libtest captures the test's output (it captures only
/// `print!`/`eprint!`), so that skips and timings show up in `cargo test` without `--nocapture`.
pub fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "[e2e] {line}");
}

fn is_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

fn test_name() -> String {
    std::thread::current().name().unwrap_or("test").to_string()
}

/// The workspace root (this crate lives in `<root>/tests`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the workspace")
        .to_path_buf()
}

/// trunk's output directory: `ECS_PLANNER_DIST` or `<workspace>/dist`.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("ECS_PLANNER_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("dist"))
}

/// Where screenshots go: `E2E_ARTIFACTS` or `<workspace>/target/e2e-artifacts`.
pub fn artifacts_dir() -> PathBuf {
    std::env::var_os("E2E_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target").join("e2e-artifacts"))
}

fn chrome_path() -> PathBuf {
    std::env::var_os("CHROME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

fn chromedriver_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMEDRIVER") {
        return Some(PathBuf::from(p));
    }
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join("chromedriver"))
        .find(|p| p.is_file());
    on_path.or_else(|| Some(PathBuf::from("/usr/bin/chromedriver")).filter(|p| p.is_file()))
}

/// Starts `chromedriver` on a port it chooses itself (`--port=0`) and returns it with that port,
/// read from its start-up line. Why not pick a free port first: between our probe and
/// chromedriver's bind another process (another test's chromedriver, a client's ephemeral port)
/// can take it; chromedriver then exits, while a connection to the port still succeeds, to
/// somebody else's server, which may be gone by the time the test opens its browser.
///
/// A chromedriver that has not said its port within 20 s is stopped and started again, twice
/// at most: one start in a few hundred stalled here once on a quiet machine, and a test should
/// not fail for it. A chromedriver that exits, or stalls three times, fails the test.
fn spawn_chromedriver(path: &Path) -> (Child, u16) {
    for attempt in 1..=3 {
        match try_spawn_chromedriver(path) {
            Ok(started) => return started,
            Err(stalled) if attempt < 3 => eprintln!("[e2e] {stalled}; starting it again"),
            Err(stalled) => panic!("{stalled}, three times"),
        }
    }
    unreachable!("the third attempt returns or panics")
}

/// One start of chromedriver: its child and port, or the stall (a panic when it exits).
fn try_spawn_chromedriver(path: &Path) -> Result<(Child, u16), String> {
    let mut child = Command::new(path)
        .arg("--port=0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let stdout = child.stdout.take().expect("chromedriver's stdout is piped");
    let (tx, rx) = std::sync::mpsc::channel();
    // Reads the start-up lines, then keeps draining stdout so that chromedriver never blocks on
    // a full pipe.
    std::thread::spawn(move || {
        use std::io::BufRead as _;
        let mut tx = Some(tx);
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(port) = line
                .split("started successfully on port ")
                .nth(1)
                .and_then(|rest| rest.trim_end_matches('.').trim().parse::<u16>().ok())
            {
                if let Some(tx) = tx.take() {
                    let _ = tx.send(port);
                }
            }
        }
    });
    match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(port) => Ok((child, port)),
        Err(_) => {
            let status = child.try_wait().ok().flatten();
            let _ = child.kill();
            let _ = child.wait();
            match status {
                Some(status) => panic!("chromedriver exited at start: {status}"),
                None => Err("chromedriver did not say its port within 20 s".to_string()),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Limiting how many tests drive browsers at once (2 cores).

static SLOTS: (Mutex<usize>, Condvar) = (Mutex::new(0), Condvar::new());

struct Slot;

impl Slot {
    fn acquire() -> Slot {
        let max = std::env::var("E2E_BROWSERS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(2usize)
            .max(1);
        let (lock, cvar) = &SLOTS;
        let mut used = lock.lock().unwrap_or_else(|e| e.into_inner());
        while *used >= max {
            used = cvar.wait(used).unwrap_or_else(|e| e.into_inner());
        }
        *used += 1;
        Slot
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let (lock, cvar) = &SLOTS;
        let mut used = lock.lock().unwrap_or_else(|e| e.into_inner());
        *used -= 1;
        cvar.notify_one();
    }
}

// ---------------------------------------------------------------------------------------------
// Harness: static server + chromedriver

/// One test's static server for `dist/` and its `chromedriver`. Dropping it stops chromedriver.
pub struct Harness {
    base_url: String,
    driver: Child,
    driver_url: String,
    chrome: PathBuf,
    _slot: Slot,
}

impl Harness {
    /// Starts the server and chromedriver. Returns `None` after printing why when `dist/`,
    /// Chromium or ChromeDriver is missing — unless `CI=true`, where that panics.
    pub fn start() -> Option<Harness> {
        let dist = dist_dir();
        let chrome = chrome_path();
        let driver = chromedriver_path();
        let mut missing = Vec::new();
        if !dist.join("index.html").is_file() {
            missing.push(format!(
                "{} (build it with `trunk build --release`, or run `cargo xtask test`)",
                dist.join("index.html").display()
            ));
        }
        if !chrome.is_file() {
            missing.push(format!(
                "Chromium at {} (set CHROME, or `cargo xtask setup --browser`)",
                chrome.display()
            ));
        }
        if driver.is_none() {
            missing.push(
                "chromedriver (set CHROMEDRIVER, or `cargo xtask setup --browser`)".to_string(),
            );
        }
        if !missing.is_empty() {
            let msg = format!("{}: missing {}", test_name(), missing.join("; "));
            if is_ci() {
                panic!("CI=true, so browser tests may not be skipped. {msg}");
            }
            report(&format!("SKIPPED {msg}"));
            return None;
        }

        let slot = Slot::acquire();
        let addr: SocketAddr =
            static_server::spawn(dist, 0).expect("start the static server for dist/");
        let (driver, port) = spawn_chromedriver(&driver.expect("checked above"));
        let mut h = Harness {
            base_url: format!("http://{addr}"),
            driver,
            driver_url: format!("http://127.0.0.1:{port}/"),
            chrome,
            _slot: slot,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = h.driver.try_wait() {
                panic!("chromedriver exited at start: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on port {port} within 20 s"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(h)
    }

    /// The absolute URL of `path` (e.g. `/`, `/plans/x.json`, `/?plan=...`) on the static server.
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") {
            path.to_string()
        } else {
            format!("{}/{}", self.base_url, path.trim_start_matches('/'))
        }
    }

    /// The WebDriver capabilities of a headless Chromium using the profile directory `profile`.
    fn capabilities(&self, profile: &Path) -> serde_json::Map<String, Value> {
        let mut args: Vec<String> = CHROME_FLAGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        // For development only (profiling, tracing): more flags, separated by spaces.
        if let Ok(extra) = std::env::var("E2E_CHROME_FLAGS") {
            args.extend(extra.split_whitespace().map(str::to_string));
        }
        match json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": self.chrome, "args": args },
            "goog:loggingPrefs": { "browser": "ALL" },
        }) {
            Value::Object(m) => m,
            _ => unreachable!("a JSON object literal"),
        }
    }

    /// A new headless Chromium with a fresh profile (empty localStorage, no history): for
    /// share-URL and first-visit tests, open a second one.
    pub async fn browser(&self) -> Browser {
        // A Chromium that fails to start on a loaded machine (its DevTools port not written in
        // time) is tried again, twice, each time with a fresh profile; the third failure fails
        // the test.
        let mut attempt = 1u64;
        let (client, profile) = loop {
            let profile = tempfile::Builder::new()
                .prefix("e2e-chromium-")
                .tempdir()
                .expect("a temporary profile dir");
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(self.capabilities(profile.path()))
                .connect(&self.driver_url)
                .await
            {
                Ok(client) => break (client, profile),
                Err(e) if attempt < 3 => {
                    report(&format!(
                        "{}: starting Chromium failed (attempt {attempt} of 3), trying again: {e}",
                        test_name()
                    ));
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(500 * attempt)).await;
                }
                Err(e) => panic!(
                    "start Chromium {} through chromedriver (3 attempts): {e}",
                    self.chrome.display()
                ),
            }
        };
        // `--window-size` sizes the window; headless Chromium still takes ~140 px of it for the
        // (invisible) browser UI. Grow the window so that the page's viewport is VIEWPORT.
        let chrome_ui = client
            .execute("return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight];", vec![])
            .await
            .ok()
            .and_then(|v| Some((v.get(0)?.as_u64()? as u32, v.get(1)?.as_u64()? as u32)));
        if let Some((dw, dh)) = chrome_ui {
            let _ = client
                .set_window_size(VIEWPORT.0 + dw, VIEWPORT.1 + dh)
                .await;
        }
        Browser {
            client,
            profile,
            base_url: self.base_url.clone(),
            logs: Mutex::new(Vec::new()),
        }
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// Browser

/// One browser console message (from chromedriver's `goog:loggingPrefs` log).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// `SEVERE`, `WARNING`, `INFO`, `DEBUG`.
    pub level: String,
    /// `console-api`, `javascript`, `network`, ...
    pub source: String,
    pub message: String,
}

impl std::fmt::Display for LogEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} [{}] {}", self.level, self.source, self.message)
    }
}

/// Console messages that fail a test: SEVERE ones (console.error, uncaught exceptions, failed
/// loads) and anything that looks like a Rust panic or a wasm trap.
pub fn console_problems(logs: &[LogEntry]) -> Vec<&LogEntry> {
    logs.iter()
        .filter(|e| {
            e.level == "SEVERE"
                || e.message.contains("panicked at")
                || e.message.contains("RuntimeError")
        })
        .collect()
}

/// A POST to one of chromedriver's own endpoints of the session: `se/log` (the browser's
/// console log) or `goog/cdp/execute` (a Chrome DevTools Protocol command).
#[derive(Debug)]
struct SessionPost {
    path: &'static str,
    body: String,
}

impl WebDriverCompatibleCommand for SessionPost {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.clone()))
    }
}

/// A headless Chromium session with its own fresh profile. Call [`Browser::close`] at the end;
/// if a test panics before that, dropping it stops its Chromium processes.
pub struct Browser {
    client: Client,
    profile: tempfile::TempDir,
    base_url: String,
    logs: Mutex<Vec<LogEntry>>,
}

impl Browser {
    /// The underlying fantoccini client, for anything the helpers do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Navigates to `path` on the static server (or an absolute URL) and waits for the load event.
    pub async fn open(&self, path: &str) {
        let url = if path.starts_with("http://") || path.starts_with("https://") {
            path.to_string()
        } else {
            format!("{}/{}", self.base_url, path.trim_start_matches('/'))
        };
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// Reloads the page (localStorage stays; it belongs to the profile).
    pub async fn reload(&self) {
        self.client.refresh().await.expect("reload");
    }

    /// The page's current URL (e.g. after the app wrote state into it).
    pub async fn current_url(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("current URL")
            .to_string()
    }

    /// Polls until an element matches `css`, and returns it. On timeout, saves a screenshot and
    /// panics with the console messages.
    pub async fn wait_for(&self, css: &str, timeout: Duration) -> Element {
        let deadline = Instant::now() + timeout;
        loop {
            match self.client.find(Locator::Css(css)).await {
                Ok(el) => return el,
                Err(e) if is_no_such_element(&e) => {}
                Err(e) => panic!("find `{css}`: {e}"),
            }
            if Instant::now() >= deadline {
                self.fail(&format!(
                    "timed out after {:?} waiting for `{css}`",
                    timeout
                ))
                .await;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Polls until no element matches `css`.
    pub async fn wait_for_absent(&self, css: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            match self.client.find_all(Locator::Css(css)).await {
                Ok(found) if found.is_empty() => return,
                Ok(_) => {}
                Err(e) => panic!("find `{css}`: {e}"),
            }
            if Instant::now() >= deadline {
                self.fail(&format!("`{css}` still present after {:?}", timeout))
                    .await;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Polls the JavaScript expression `expr` until it is truthy, and returns its value
    /// (e.g. `document.querySelectorAll('.task').length === 4 && 'ok'`).
    pub async fn wait_until(&self, expr: &str, timeout: Duration) -> Value {
        let deadline = Instant::now() + timeout;
        let script = format!("return ({expr});");
        loop {
            let v = self
                .client
                .execute(&script, vec![])
                .await
                .unwrap_or_else(|e| panic!("evaluate `{expr}`: {e}"));
            if truthy(&v) {
                return v;
            }
            if Instant::now() >= deadline {
                self.fail(&format!(
                    "timed out after {:?} waiting until `{expr}` (last value: {v})",
                    timeout
                ))
                .await;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Runs JavaScript (a function body: use `return`; arguments in `arguments[i]`).
    pub async fn js(&self, body: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(body, args)
            .await
            .unwrap_or_else(|e| panic!("run `{body}`: {e}"))
    }

    /// The text of the first element matching `css` (waiting for it).
    pub async fn text(&self, css: &str) -> String {
        self.wait_for(css, TIMEOUT)
            .await
            .text()
            .await
            .unwrap_or_else(|e| panic!("text of `{css}`: {e}"))
    }

    /// Clicks the first element matching `css` (waiting for it).
    pub async fn click(&self, css: &str) {
        self.wait_for(css, TIMEOUT)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click `{css}`: {e}"));
    }

    /// Sets `localStorage[key]` for the current page's origin (open a page first).
    pub async fn set_local_storage(&self, key: &str, value: &str) {
        self.js(
            "localStorage.setItem(arguments[0], arguments[1]);",
            vec![json!(key), json!(value)],
        )
        .await;
    }

    /// `localStorage[key]` for the current page's origin.
    pub async fn local_storage(&self, key: &str) -> Option<String> {
        self.js(
            "return localStorage.getItem(arguments[0]);",
            vec![json!(key)],
        )
        .await
        .as_str()
        .map(str::to_string)
    }

    /// Empties localStorage for the current page's origin.
    pub async fn clear_local_storage(&self) {
        self.js("localStorage.clear();", vec![]).await;
    }

    /// Saves a PNG of the viewport as `<artifacts>/<name>` (`.png` added if missing) and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self
            .client
            .screenshot()
            .await
            .unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
        let dir = artifacts_dir();
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
        let file = if name.ends_with(".png") {
            name.to_string()
        } else {
            format!("{name}.png")
        };
        let path = dir.join(file);
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        path
    }

    /// All console messages since the browser started (chromedriver hands each out once; they
    /// are kept here).
    pub async fn console_logs(&self) -> Vec<LogEntry> {
        self.pull_logs()
            .await
            .unwrap_or_else(|e| panic!("read the console log: {e}"))
    }

    async fn pull_logs(&self) -> Result<Vec<LogEntry>, CmdError> {
        let fresh = self
            .client
            .issue_cmd(SessionPost {
                path: "se/log",
                body: r#"{"type":"browser"}"#.to_string(),
            })
            .await?;
        let mut logs = self.logs.lock().unwrap_or_else(|e| e.into_inner());
        for e in fresh.as_array().into_iter().flatten() {
            let field = |k: &str| {
                e.get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            logs.push(LogEntry {
                level: field("level"),
                source: field("source"),
                message: field("message"),
            });
        }
        Ok(logs.clone())
    }

    /// Panics (with a screenshot) if the console has a SEVERE message or Rust panic text.
    pub async fn assert_no_console_errors(&self) {
        let logs = self.console_logs().await;
        let problems = console_problems(&logs);
        if !problems.is_empty() {
            let list: Vec<String> = problems.iter().map(|e| format!("  {e}")).collect();
            self.fail(&format!("console errors:\n{}", list.join("\n")))
                .await;
        }
    }

    async fn fail(&self, what: &str) -> ! {
        let shot = format!("failure-{}", sanitize(&test_name()));
        let path = match self.client.screenshot().await {
            Ok(png) => {
                let dir = artifacts_dir();
                let _ = std::fs::create_dir_all(&dir);
                let p = dir.join(format!("{shot}.png"));
                let _ = std::fs::write(&p, png);
                p.display().to_string()
            }
            Err(e) => format!("(no screenshot: {e})"),
        };
        let logs = self.pull_logs().await.unwrap_or_default();
        let console: Vec<String> = logs.iter().map(|e| format!("  {e}")).collect();
        let url = self
            .client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        panic!(
            "{what}\n  page: {url}\n  screenshot: {path}\n  console:\n{}",
            if console.is_empty() {
                "  (empty)".to_string()
            } else {
                console.join("\n")
            }
        );
    }

    /// Runs a Chrome DevTools Protocol command (through chromedriver's `goog/cdp/execute`) and
    /// returns its result: metrics, profiles, media emulation.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.client
            .issue_cmd(SessionPost {
                path: "goog/cdp/execute",
                body: json!({ "cmd": cmd, "params": params }).to_string(),
            })
            .await
            .unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }

    /// Emulates a media feature for the page, e.g. `prefers-reduced-motion: reduce` or
    /// `prefers-color-scheme: dark`.
    pub async fn emulate_media(&self, feature: &str, value: &str) {
        let features = json!({ "features": [ { "name": feature, "value": value } ] });
        self.cdp("Emulation.setEmulatedMedia", features).await;
    }

    /// Ends the session (Chromium exits) and removes the profile.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Browser {
    /// If the session was not closed (a test panicked), stop the Chromium processes that use this
    /// browser's profile — only those: the profile dir is unique to this browser.
    fn drop(&mut self) {
        let marker = format!("--user-data-dir={}", self.profile.path().display());
        let Ok(procs) = std::fs::read_dir("/proc") else {
            return;
        };
        let pids: Vec<String> = procs
            .flatten()
            .filter_map(|p| {
                let pid = p.file_name().to_str()?.parse::<u32>().ok()?;
                let cmdline = std::fs::read(p.path().join("cmdline")).ok()?;
                let cmdline = String::from_utf8_lossy(&cmdline);
                cmdline
                    .split('\0')
                    .any(|a| a == marker)
                    .then(|| pid.to_string())
            })
            .collect();
        if !pids.is_empty() {
            let _ = Command::new("kill")
                .arg("-9")
                .args(&pids)
                .stderr(Stdio::null())
                .status();
        }
    }
}

fn is_no_such_element(e: &CmdError) -> bool {
    matches!(e, CmdError::Standard(w) if w.error == ErrorStatus::NoSuchElement)
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(level: &str, message: &str) -> LogEntry {
        LogEntry {
            level: level.into(),
            source: "console-api".into(),
            message: message.into(),
        }
    }

    #[test]
    fn severe_messages_and_panics_are_problems() {
        let logs = vec![
            entry("INFO", "hello"),
            entry("WARNING", "deprecated"),
            entry(
                "SEVERE",
                "http://127.0.0.1:1/x.json - Failed to load resource: 404",
            ),
            entry("INFO", "panicked at engine/src/lib.rs:3:5: boom"),
        ];
        let p = console_problems(&logs);
        assert_eq!(p.len(), 2);
        assert!(p[1].message.contains("panicked at"));
        assert!(console_problems(&logs[..2]).is_empty());
    }

    #[test]
    fn javascript_truthiness() {
        assert!(
            !truthy(&json!(null))
                && !truthy(&json!(false))
                && !truthy(&json!(0))
                && !truthy(&json!(""))
        );
        assert!(
            truthy(&json!(1)) && truthy(&json!("x")) && truthy(&json!([])) && truthy(&json!({}))
        );
    }
}
