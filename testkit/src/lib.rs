//! Test helpers shared by the engine's integration tests (`engine/tests/`) and the browser
//! tests (`tests/`): where the real-world fixtures are, and an independent validator for AWS
//! requests against the official botocore models ([`botocore`]), and random plans for property
//! tests ([`plans`]).
//!
//! The fixtures (`../shared/fixtures`: botocore models, cfn-lint data, EC2 instance types) are
//! not part of the repository. A test that needs them calls [`fixtures`]: without them it is
//! skipped with a message, except under `CI=true`, where every oracle must run and a missing
//! directory fails the test.

pub mod botocore;
pub mod plans;
pub mod quota;

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The fixtures directory: `$ECS_PLANNER_FIXTURES`, else `../shared/fixtures` next to the
/// workspace. `None` (with a message on the terminal) when it is absent outside CI; a panic when
/// it is absent under `CI=true`.
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
    if matches!(std::env::var("CI").as_deref(), Ok("true" | "1")) {
        panic!(
            "fixtures not found at {} (set ECS_PLANNER_FIXTURES); required under CI=true",
            dir.display()
        );
    }
    // Straight to stderr: libtest captures only `print!`/`eprint!`, and a skip must be seen.
    let _ = writeln!(
        std::io::stderr(),
        "fixtures not found at {}, skipping (set ECS_PLANNER_FIXTURES)",
        dir.display()
    );
    None
}

/// Reads and parses a JSON fixture (`rel` is relative to the fixtures directory).
pub fn json(dir: &Path, rel: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A folder of the shared material next to the fixtures (`seeds`, the study notes;
/// `reference/aws-ecs-docs`, the stored ECS Developer Guide): `$ECS_PLANNER_SHARED/NAME`, else
/// beside `$ECS_PLANNER_FIXTURES`, else `../shared/NAME` next to the workspace. Like
/// [`fixtures`]: `None` with a message outside CI, a panic under `CI=true`.
pub fn shared(name: &str) -> Option<PathBuf> {
    let dir = if let Some(s) = std::env::var_os("ECS_PLANNER_SHARED") {
        PathBuf::from(s).join(name)
    } else if let Some(f) = std::env::var_os("ECS_PLANNER_FIXTURES") {
        PathBuf::from(f)
            .parent()
            .map(|p| p.join(name))
            .unwrap_or_else(|| PathBuf::from(name))
    } else {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared")).join(name)
    };
    if dir.is_dir() {
        return Some(dir);
    }
    if matches!(std::env::var("CI").as_deref(), Ok("true" | "1")) {
        panic!(
            "{} not found (set ECS_PLANNER_SHARED); required under CI=true",
            dir.display()
        );
    }
    let _ = writeln!(
        std::io::stderr(),
        "{} not found, skipping (set ECS_PLANNER_SHARED)",
        dir.display()
    );
    None
}
