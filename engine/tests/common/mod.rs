//! Shared helpers for tests that read the real-world fixtures in `../shared/fixtures`.
#![allow(dead_code)]

/// An independent validator for AWS requests against the raw botocore models.
pub mod botocore;

use std::path::PathBuf;

/// The fixtures directory: `$ECS_PLANNER_FIXTURES`, else `../shared/fixtures` next to the
/// workspace. `None` (with a message) when it is absent outside CI; a panic when it is absent
/// under `CI=true`, where every oracle must run.
pub fn fixtures() -> Option<PathBuf> {
    let dir = std::env::var_os("ECS_PLANNER_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../shared/fixtures"
            ))
        });
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "fixtures not found at {} (set ECS_PLANNER_FIXTURES); required under CI=true",
            dir.display()
        );
    }
    eprintln!(
        "fixtures not found at {}, skipping (set ECS_PLANNER_FIXTURES)",
        dir.display()
    );
    None
}

/// Reads and parses a JSON fixture.
pub fn json(dir: &std::path::Path, rel: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}
