//! What every command-line test needs: run `ecsplan`, find a sample plan, write a file.
#![allow(dead_code)] // each test file uses some of these

use std::path::PathBuf;
use std::process::Command;

/// Runs `ecsplan` with `args`: (exit code, stdout, stderr).
pub fn ecsplan(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ecsplan"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The path of a sample plan shipped in `public/plans/`.
pub fn sample(name: &str) -> String {
    format!("{}/../public/plans/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A directory of this test process's own (test binaries are separate processes).
pub fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ecsplan-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `content` to `name` in [`temp_dir`] and returns its path.
pub fn temp_file(name: &str, content: &str) -> String {
    let p = temp_dir().join(name);
    std::fs::write(&p, content).unwrap();
    p.to_string_lossy().into_owned()
}
