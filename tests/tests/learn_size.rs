//! The page's first load stays within its budget with Learn: the files `index.html` loads
//! (wasm, JS, CSS), gzipped at level 9 as docs/performance.md measures them, are at most
//! 1 000 000 bytes; the engine worker and Learn's files are not among them (they load when a
//! view needs them). A size is a property of the built files, not a timing: it is asserted.

use std::path::Path;
use std::process::Command;

/// The budget for the first load, gzipped (README, docs/performance.md).
const BUDGET: u64 = 1_000_000;

fn gzipped(path: &Path) -> u64 {
    let out = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .unwrap_or_else(|e| panic!("gzip {}: {e}", path.display()));
    assert!(out.status.success(), "gzip {}", path.display());
    out.stdout.len() as u64
}

/// The site files `index.html` refers to (`/name.ext` in an attribute, quoted or not as the
/// minified page writes it, or in its script).
fn first_load(index: &str) -> Vec<String> {
    let mut files: Vec<String> = index
        .split(|c: char| c.is_whitespace() || "\"'=<>".contains(c))
        .filter(|s| s.starts_with('/') && !s.starts_with("//"))
        .filter(|s| [".wasm", ".js", ".css"].iter().any(|e| s.ends_with(e)))
        .map(|s| s.trim_start_matches('/').to_string())
        .collect();
    files.sort();
    files.dedup();
    files
}

#[test]
fn the_first_load_stays_within_one_megabyte_gzipped() {
    let dist = e2e::dist_dir();
    let Ok(index) = std::fs::read_to_string(dist.join("index.html")) else {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true" && v != "1"),
            "CI=true: dist/index.html is missing"
        );
        e2e::report("SKIPPED the first-load size: no dist/ (trunk build --release)");
        return;
    };
    let files = first_load(&index);
    assert!(files.iter().any(|f| f.ends_with(".wasm")), "{files:?}");
    assert!(files.iter().any(|f| f.ends_with(".js")), "{files:?}");
    assert!(files.iter().any(|f| f.ends_with(".css")), "{files:?}");
    assert!(
        !files.iter().any(|f| f.contains("engine-worker")),
        "the engine worker is not part of the first load: {files:?}"
    );
    let mut total = 0;
    for f in &files {
        let raw = std::fs::metadata(dist.join(f)).unwrap().len();
        let gz = gzipped(&dist.join(f));
        e2e::report(&format!("first load: {f}: {raw} B, {gz} B gzipped"));
        total += gz;
    }
    let worker: u64 = ["engine-worker_bg.wasm", "engine-worker.js"]
        .iter()
        .map(|f| gzipped(&dist.join(f)))
        .sum();
    e2e::report(&format!(
        "first load: {total} B gzipped of {BUDGET} ({} B left); the engine worker, loaded when a view needs it: {worker} B gzipped",
        BUDGET as i64 - total as i64
    ));
    assert!(
        total <= BUDGET,
        "the first load is {total} B gzipped, over {BUDGET}"
    );
}

#[test]
fn index_references_are_found() {
    let files = first_load(
        "<script type=\"module\">import init from '/app-1.js'; await init({ module_or_path: '/app-1_bg.wasm' });</script><link rel=\"stylesheet\" href=\"/styles-2.css\"/><link href=/app-1.js rel=modulepreload><link href=data:, rel=icon>",
    );
    assert_eq!(files, ["app-1.js", "app-1_bg.wasm", "styles-2.css"]);
}
