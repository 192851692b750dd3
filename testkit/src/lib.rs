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
pub mod edits;
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

/// A scratch directory of this test process's own, `<temp>/<prefix><pid>` (test binaries are
/// separate processes; the tests of one binary share it). On first use it removes the
/// directories with the same prefix that earlier test processes left, once those processes have
/// ended (checked in `/proc`; where there is no `/proc` nothing is removed), so that test runs
/// do not pile up in the temporary directory.
pub fn scratch_dir(prefix: &str) -> PathBuf {
    let tmp = std::env::temp_dir();
    let own = std::process::id();
    let proc_fs = Path::new("/proc/self").exists();
    if proc_fs {
        if let Ok(entries) = std::fs::read_dir(&tmp) {
            for e in entries.flatten() {
                let name = e.file_name();
                let Some(pid) = name
                    .to_str()
                    .and_then(|n| n.strip_prefix(prefix))
                    .and_then(|p| p.parse::<u32>().ok())
                else {
                    continue;
                };
                if pid != own && !Path::new("/proc").join(pid.to_string()).exists() {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
    }
    let dir = tmp.join(format!("{prefix}{own}"));
    std::fs::create_dir_all(&dir).expect("the temporary directory is writable");
    dir
}

#[cfg(test)]
mod tests {
    use super::scratch_dir;

    /// An ended process's directory goes, a running one's (pid 1) stays, this process's is made.
    #[test]
    fn scratch_dirs_of_ended_test_processes_are_removed() {
        if !std::path::Path::new("/proc/self").exists() {
            eprintln!("no /proc here: scratch_dir removes nothing, nothing to check");
            return;
        }
        let prefix = format!("testkit-scratch-{}-", std::process::id());
        let tmp = std::env::temp_dir();
        // Above Linux's largest pid (2^22): no process has it.
        let ended = tmp.join(format!("{prefix}4294967294"));
        let running = tmp.join(format!("{prefix}1"));
        for d in [&ended, &running] {
            std::fs::create_dir_all(d.join("left")).unwrap();
        }
        let own = scratch_dir(&prefix);
        assert!(own.is_dir());
        assert!(!ended.exists(), "an ended process's directory is removed");
        assert!(running.exists(), "a running process's directory is kept");
        for d in [&own, &running] {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}
