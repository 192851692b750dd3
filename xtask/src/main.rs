//! `cargo xtask setup | serve | test | bench` — the commands in the README.
//!
//! Only std: this binary is compiled before anything else runs, so it must build in seconds.

mod fresh;
mod pins;
mod serve;

use std::env;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

type Result<T = ()> = std::result::Result<T, String>;

const TRUNK_VERSION: &str = "0.21.14";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
const ENGINE: &str = "ecs-planner-engine";
const DEFAULT_PORT: u16 = 8080;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup [--browser]   install what building needs (each step skipped when already present);
                      --browser also Chromium + ChromeDriver (needed by `test`)
  serve [--port N] [--rebuild]
                      setup, `trunk build --release` (skipped when dist/ is newer than every
                      source; --rebuild builds anyway), serve dist/ on http://127.0.0.1:8080/
  test                setup (with the browser), then fmt, clippy, engine-on-wasm32 check,
                      native tests, `trunk build --release`, browser tests; stops at the first failure
  bench               cargo bench -p ecs-planner-engine
";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let root = workspace_root();
    if let Err(e) = env::set_current_dir(&root) {
        eprintln!("xtask: cannot enter {}: {e}", root.display());
        return ExitCode::FAILURE;
    }
    prepend_tool_paths(&root);

    let result = match args.first().map(String::as_str) {
        Some("setup") => match args[1..] {
            [] => setup(&root, false),
            [ref f] if f == "--browser" => setup(&root, true),
            _ => Err(format!("unexpected arguments {:?}\n\n{USAGE}", &args[1..])),
        },
        Some("serve") => {
            let rebuild = args[1..].iter().any(|a| a == "--rebuild");
            let rest: Vec<String> = args[1..]
                .iter()
                .filter(|a| *a != "--rebuild")
                .cloned()
                .collect();
            parse_port(&rest).and_then(|port| serve_cmd(&root, port, rebuild))
        }
        Some("test") if args.len() == 1 => test(&root),
        Some("bench") => run(cargo().args(["bench", "-p", ENGINE]).args(&args[1..])),
        Some("help" | "-h" | "--help") => {
            print!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse_port(args: &[String]) -> Result<u16> {
    match args {
        [] => Ok(DEFAULT_PORT),
        [flag, port] if flag == "--port" => port
            .parse()
            .map_err(|_| format!("--port: not a port number: {port}")),
        [flag] if flag.starts_with("--port=") => {
            let port = &flag["--port=".len()..];
            port.parse()
                .map_err(|_| format!("--port: not a port number: {port}"))
        }
        _ => Err(format!("unexpected arguments {args:?}\n\n{USAGE}")),
    }
}

fn workspace_root() -> PathBuf {
    // `cargo run` sets CARGO_MANIFEST_DIR at run time too; fall back to the compile-time value.
    let manifest = env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .filter(|p| p.ends_with("xtask"))
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest
        .parent()
        .expect("xtask lives in the workspace root")
        .to_path_buf()
}

/// `node_modules/.bin` (wasm-opt from binaryen) and cargo's bin dir (trunk, wasm-bindgen) go first
/// on PATH, so that trunk finds exactly the pinned tools (a different version on PATH, e.g. Debian's
/// binaryen 108, would make it try to download).
fn prepend_tool_paths(root: &Path) {
    let mut paths = vec![root.join("node_modules/.bin"), cargo_home().join("bin")];
    if let Some(old) = env::var_os("PATH") {
        paths.extend(env::split_paths(&old));
    }
    let joined: OsString = env::join_paths(paths).expect("PATH entries are valid");
    // Single-threaded at this point; children inherit it.
    env::set_var("PATH", joined);
}

fn cargo_home() -> PathBuf {
    env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env::var_os("HOME").unwrap_or_default()).join(".cargo"))
}

fn cargo() -> Command {
    Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn is_ci() -> bool {
    env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Runs a command with inherited stdio; Err names the command when it fails.
fn run(cmd: &mut Command) -> Result {
    let shown = show(cmd);
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Runs a command, capturing stdout; None when it cannot be started or fails.
fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn show(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        let a = a.to_string_lossy();
        if a.contains(' ') {
            let _ = write!(s, " '{a}'");
        } else {
            let _ = write!(s, " {a}");
        }
    }
    s
}

fn say(step: &str, what: &str) {
    println!("[setup] {step:<24} {what}");
}

// ---------------------------------------------------------------------------------------------
// setup

fn setup(root: &Path, browser: bool) -> Result {
    // 1. The wasm32 target.
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"]));
    match installed {
        Some(list) if list.lines().any(|l| l.trim() == WASM_TARGET) => say(WASM_TARGET, "already present"),
        Some(_) => {
            run(Command::new("rustup").args(["target", "add", WASM_TARGET]))?;
            say(WASM_TARGET, "installed");
        }
        None => {
            return Err(format!(
                "`rustup` not found: install the {WASM_TARGET} target for your Rust toolchain yourself \
                 (rustup: `rustup target add {WASM_TARGET}`)"
            ))
        }
    }

    // 2. The pins agree (Trunk.toml vs Cargo.lock vs package-lock.json).
    let read = |f: &str| {
        std::fs::read_to_string(root.join(f)).map_err(|e| format!("cannot read {f}: {e}"))
    };
    let pins = pins::check(
        &read("Trunk.toml")?,
        &read("Cargo.lock")?,
        &read("package-lock.json")?,
    )?;
    say(
        "pins",
        &format!(
            "wasm-bindgen {} and wasm-opt {} agree",
            pins.wasm_bindgen, pins.wasm_opt
        ),
    );

    // 3. trunk.
    let want = format!("trunk {TRUNK_VERSION}");
    match output(Command::new("trunk").arg("--version")) {
        Some(v) if v == want => say("trunk", &format!("{TRUNK_VERSION} already present")),
        found => {
            say(
                "trunk",
                &format!(
                    "installing {TRUNK_VERSION} (found: {}; ~11 min cold)",
                    found.as_deref().unwrap_or("none")
                ),
            );
            run(cargo().args(["install", "--locked", "trunk", "--version", TRUNK_VERSION]))?;
            say("trunk", &format!("{TRUNK_VERSION} installed"));
        }
    }

    // 4. wasm-bindgen-cli, exactly Cargo.lock's wasm-bindgen. Not --locked: its lock file wants
    //    crate versions that need a newer rustc; the fallback resolver picks compatible ones.
    let want = format!("wasm-bindgen {}", pins.wasm_bindgen);
    match output(Command::new("wasm-bindgen").arg("--version")) {
        Some(v) if v == want => say(
            "wasm-bindgen-cli",
            &format!("{} already present", pins.wasm_bindgen),
        ),
        found => {
            say(
                "wasm-bindgen-cli",
                &format!(
                    "installing {} (found: {}; ~4 min cold)",
                    pins.wasm_bindgen,
                    found.as_deref().unwrap_or("none")
                ),
            );
            run(cargo()
                .args([
                    "install",
                    "wasm-bindgen-cli",
                    "--version",
                    &pins.wasm_bindgen,
                ])
                .env("CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS", "fallback"))?;
            say(
                "wasm-bindgen-cli",
                &format!("{} installed", pins.wasm_bindgen),
            );
        }
    }

    // 5. wasm-opt from the npm package binaryen (node_modules/.bin is first on PATH).
    let wasm_opt = root.join("node_modules/.bin/wasm-opt");
    let want = format!("version_{})", pins.wasm_opt);
    match output(Command::new(&wasm_opt).arg("--version")) {
        Some(v) if v.ends_with(&want) => say("wasm-opt", &format!("{v} already present")),
        _ => {
            if output(Command::new("npm").arg("--version")).is_none() {
                return Err(format!(
                    "`npm` not found. wasm-opt comes from the npm package binaryen {}: install Node.js (18 or newer) \
                     with npm (Debian/Ubuntu: `apt-get install nodejs npm`), then run this again.",
                    pins.wasm_opt
                ));
            }
            run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]))?;
            let v = output(Command::new(&wasm_opt).arg("--version")).unwrap_or_default();
            if !v.ends_with(&want) {
                return Err(format!(
                    "after `npm ci`, {} reports `{v}`, not {want}",
                    wasm_opt.display()
                ));
            }
            say("wasm-opt", &format!("{v} installed"));
        }
    }

    // 6. Dependencies in cargo's cache: trunk builds with `offline = true`.
    run(cargo().args(["fetch", "--quiet"]))?;
    say("cargo fetch", "done");

    // 7. Chromium and ChromeDriver, only for the browser tests.
    if browser {
        setup_browser()?;
    }
    Ok(())
}

fn chrome_path() -> OsString {
    env::var_os("CHROME").unwrap_or_else(|| "/usr/bin/chromium".into())
}

fn chromedriver_path() -> OsString {
    env::var_os("CHROMEDRIVER").unwrap_or_else(|| "chromedriver".into())
}

/// `Chromium 156.0.8078.79 built on Debian` / `ChromeDriver 156.0.8078.79 (...)` → `156`.
fn major_version(version_line: &str) -> Option<&str> {
    version_line.split_whitespace().find_map(|w| {
        let major = w.split('.').next()?;
        (w.contains('.') && !major.is_empty() && major.bytes().all(|b| b.is_ascii_digit()))
            .then_some(major)
    })
}

fn setup_browser() -> Result {
    let versions = || {
        (
            output(Command::new(chrome_path()).arg("--version")),
            output(Command::new(chromedriver_path()).arg("--version")),
        )
    };
    let (mut chrome, mut driver) = versions();
    if chrome.is_none() || driver.is_none() {
        let root_user = output(Command::new("id").arg("-u")).as_deref() == Some("0");
        let apt = output(Command::new("apt-get").arg("--version")).is_some();
        let overridden = env::var_os("CHROME").is_some() || env::var_os("CHROMEDRIVER").is_some();
        if apt && root_user && !overridden {
            say(
                "chromium",
                "installing chromium and chromium-driver with apt-get (~35 s)",
            );
            run(Command::new("apt-get").arg("update").arg("-q"))?;
            run(Command::new("apt-get")
                .args([
                    "install",
                    "-y",
                    "-q",
                    "--no-install-recommends",
                    "chromium",
                    "chromium-driver",
                ])
                .env("DEBIAN_FRONTEND", "noninteractive"))?;
            (chrome, driver) = versions();
        } else {
            return Err(format!(
                "the browser tests need Chromium and ChromeDriver of the same major version \
                 (found: {} = {}, {} = {}).\n\
                 Install them, on Debian/Ubuntu as root: `apt-get update && apt-get install -y --no-install-recommends chromium chromium-driver`,\n\
                 or point CHROME and CHROMEDRIVER at the binaries.",
                chrome_path().to_string_lossy(),
                chrome.as_deref().unwrap_or("missing"),
                chromedriver_path().to_string_lossy(),
                driver.as_deref().unwrap_or("missing"),
            ));
        }
    } else {
        say(
            "chromium",
            &format!("{} already present", chrome.as_deref().unwrap_or("")),
        );
    }
    let chrome = chrome.ok_or("Chromium still not runnable after installing it")?;
    let driver = driver.ok_or("ChromeDriver still not runnable after installing it")?;
    if major_version(&chrome) != major_version(&driver) {
        return Err(format!(
            "Chromium and ChromeDriver major versions differ (`{chrome}` vs `{driver}`): ChromeDriver would refuse \
             to start a session. Install matching versions (Debian: chromium and chromium-driver together)."
        ));
    }
    say("chromedriver", &format!("{driver} present"));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// serve

fn serve_cmd(root: &Path, port: u16, rebuild: bool) -> Result {
    setup(root, false)?;
    let dist = root.join("dist");
    if !rebuild && fresh::dist_is_current(root, &dist) {
        println!(
            "[build] dist/ is the release build of the sources as they are: not rebuilt (--rebuild builds anyway)"
        );
    } else {
        run(Command::new("trunk").args(["build", "--release"]))?;
        fresh::stamp(&dist).map_err(|e| format!("cannot write {}: {e}", dist.display()))?;
    }
    serve::serve(&dist, port)
}

// ---------------------------------------------------------------------------------------------
// test

struct Step {
    name: &'static str,
    run: Box<dyn Fn() -> Result>,
}

fn step(name: &'static str, run: impl Fn() -> Result + 'static) -> Step {
    Step {
        name,
        run: Box::new(run),
    }
}

fn test(root: &Path) -> Result {
    let dist = root.join("dist");
    let root_owned = root.to_path_buf();
    let dist_for_stamp = dist.clone();
    let steps = [
        step("setup", move || setup(&root_owned, true)),
        step("fmt", || {
            run(cargo().args(["fmt", "--all", "--", "--check"]))
        }),
        step("clippy", || {
            run(cargo().args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]))
            // The workspace clippy covers the app natively. A second clippy of the app for wasm32
            // (`-p app --target wasm32-unknown-unknown`) found nothing more (the app has no
            // wasm-only cfg) and cost 5.5 min cold, so it is not run.
        }),
        step("engine on wasm32", engine_on_wasm32),
        step("native tests", || {
            run(cargo().args([
                "test",
                "-p",
                ENGINE,
                "-p",
                "ecsplan",
                "-p",
                "app",
                "-p",
                "ecs-planner-protocol",
                "-p",
                "engine-worker",
                "-p",
                "xtask",
            ]))
        }),
        step("trunk build", move || {
            run(Command::new("trunk").args(["build", "--release"]))?;
            fresh::stamp(&dist_for_stamp)
                .map_err(|e| format!("cannot write the build's stamp: {e}"))
        }),
        step("browser tests", move || {
            run(cargo()
                .args(["test", "-p", "e2e"])
                .env("ECS_PLANNER_DIST", &dist))
        }),
    ];

    let started = Instant::now();
    let mut times: Vec<(&str, Duration, &str)> = Vec::new();
    let mut failure = None;
    for (i, s) in steps.iter().enumerate() {
        println!("\n==> [{}/{}] {}", i + 1, steps.len(), s.name);
        let t = Instant::now();
        let r = (s.run)();
        let took = t.elapsed();
        println!(
            "<== {} {} in {}",
            s.name,
            if r.is_ok() { "ok" } else { "FAILED" },
            secs(took)
        );
        if let Err(e) = r {
            times.push((s.name, took, "FAILED"));
            failure = Some((s.name, e));
            break;
        }
        times.push((s.name, took, "ok"));
    }
    for s in steps.iter().skip(times.len()) {
        times.push((s.name, Duration::ZERO, "not run"));
    }

    println!("\nsummary{}:", if is_ci() { " (CI=true)" } else { "" });
    for (name, took, result) in &times {
        let t = if *result == "not run" {
            "-".to_string()
        } else {
            secs(*took)
        };
        println!("  {name:<18} {t:>8}  {result}");
    }
    let total = started.elapsed();
    match failure {
        None => {
            println!("  {:<18} {:>8}  all passed", "total", secs(total));
            Ok(())
        }
        Some((name, e)) => {
            println!("  {:<18} {:>8}  FAILED at {name}", "total", secs(total));
            Err(format!("step `{name}` failed: {e}"))
        }
    }
}

fn secs(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}

/// Crates that must never be in the engine's dependency graph (it stays UI- and web-free).
fn is_web_crate(name: &str) -> bool {
    matches!(name, "wasm-bindgen" | "web-sys" | "js-sys")
        || name.starts_with("wasm-bindgen-")
        || name.starts_with("gloo")
        || name.starts_with("leptos")
}

/// The web crates in `cargo tree --prefix none` output (lines like `js-sys v0.3.77`).
fn web_crates_in_tree(tree: &str) -> Vec<String> {
    let mut found: Vec<String> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| is_web_crate(n))
        .map(str::to_string)
        .collect();
    found.sort();
    found.dedup();
    found
}

fn engine_on_wasm32() -> Result {
    run(cargo().args(["build", "-p", ENGINE, "--target", WASM_TARGET]))?;
    let mut tree = cargo();
    tree.args([
        "tree",
        "-p",
        ENGINE,
        "-e",
        "normal",
        "--target",
        WASM_TARGET,
        "--prefix",
        "none",
    ]);
    let shown = show(&tree);
    let out = tree
        .output()
        .map_err(|e| format!("cannot run `{shown}`: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`{shown}` failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let web = web_crates_in_tree(&String::from_utf8_lossy(&out.stdout));
    if !web.is_empty() {
        return Err(format!(
            "the engine must not depend on web crates, but `{shown}` lists: {}",
            web.join(", ")
        ));
    }
    println!("engine builds for {WASM_TARGET} with no web dependency");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_web_crates_in_a_tree() {
        let tree = "ecs-planner-engine v0.1.0 (/w/engine)\nserde v1.0.228\njs-sys v0.3.77\n\
                    wasm-bindgen-shared v0.2.100\ngloo-net v0.6.0\nleptos_dom v0.8.8\nweb-sys v0.3.77\n\
                    serde_json v1.0.145\njs-sys v0.3.77 (*)\n";
        assert_eq!(
            web_crates_in_tree(tree),
            [
                "gloo-net",
                "js-sys",
                "leptos_dom",
                "wasm-bindgen-shared",
                "web-sys"
            ]
        );
        assert!(
            web_crates_in_tree("ecs-planner-engine v0.1.0\nserde v1\nwasm-streamsx v1\n")
                .is_empty()
        );
    }

    #[test]
    fn reads_browser_major_versions() {
        assert_eq!(
            major_version("Chromium 156.0.8078.79 built on Debian GNU/Linux 12 (bookworm)"),
            Some("156")
        );
        assert_eq!(
            major_version("ChromeDriver 156.0.8078.79 (0123abc-refs/branch-heads/1234@{#1})"),
            Some("156")
        );
        assert_eq!(major_version("no version"), None);
    }

    #[test]
    fn parses_port() {
        assert_eq!(parse_port(&[]), Ok(8080));
        assert_eq!(parse_port(&["--port".into(), "9000".into()]), Ok(9000));
        assert_eq!(parse_port(&["--port=9001".into()]), Ok(9001));
        assert!(parse_port(&["--port".into(), "x".into()]).is_err());
    }
}
