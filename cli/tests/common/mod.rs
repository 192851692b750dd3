//! What every command-line test needs: run `ecsplan`, find a sample plan, write a file.
#![allow(dead_code)] // each test file uses some of these

use std::path::{Path, PathBuf};
use std::process::Command;

/// The `ecsplan` binary under test, for a test that sets up its own pipes.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ecsplan"))
}

/// Runs `ecsplan` with `args`: (exit code, stdout, stderr).
pub fn ecsplan(args: &[&str]) -> (i32, String, String) {
    let out = bin().args(args).output().unwrap();
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

/// A directory of this test process's own (test binaries are separate processes); those of
/// ended test processes are removed ([`testkit::scratch_dir`]).
pub fn temp_dir() -> PathBuf {
    testkit::scratch_dir("ecsplan-test-")
}

/// An empty directory `name` in [`temp_dir`] (emptied if an earlier run left it).
pub fn fresh_dir(name: &str) -> PathBuf {
    let dir = temp_dir().join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `content` to `name` in [`temp_dir`] and returns its path.
pub fn temp_file(name: &str, content: &str) -> String {
    write(&temp_dir(), name, content)
}

/// Writes the bytes `content` to `name` in [`temp_dir`] and returns its path.
pub fn temp_bytes(name: &str, content: &[u8]) -> String {
    write_bytes(&temp_dir(), name, content)
}

/// Writes `content` to `name` in `dir` and returns its path.
pub fn write(dir: &Path, name: &str, content: &str) -> String {
    write_bytes(dir, name, content.as_bytes())
}

/// Writes the bytes `content` to `name` in `dir` and returns its path.
pub fn write_bytes(dir: &Path, name: &str, content: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p.to_string_lossy().into_owned()
}
