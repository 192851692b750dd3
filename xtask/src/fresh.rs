//! Whether `dist/` already holds a release build of the sources, so that a second
//! `cargo xtask serve` starts at once: trunk's wasm-opt pass over the engine worker takes minutes
//! even when nothing changed.

use std::fs;
use std::path::Path;
use std::time::SystemTime;

/// Written into `dist/` after a `trunk build --release` that xtask ran succeeded. Trunk replaces
/// `dist/` as a whole on every build, so a build by hand (a debug one, say) removes it.
pub const STAMP: &str = ".xtask-release-build";

/// What the page is built from: the crates compiled to WASM (the engine with its data tables),
/// the static files, trunk's and cargo's configuration and the pinned npm tools.
const INPUTS: &[&str] = &[
    "app",
    "worker",
    "protocol",
    "engine",
    "public",
    "index.html",
    "Trunk.toml",
    "Cargo.toml",
    "Cargo.lock",
    "package.json",
    "package-lock.json",
    ".cargo",
    "rust-toolchain.toml",
];

/// Whether `dist`'s stamp is newer than every file of the inputs under `root` (a `target/`
/// directory inside them is not an input).
pub fn dist_is_current(root: &Path, dist: &Path) -> bool {
    let Some(built) = modified(&dist.join(STAMP)) else {
        return false;
    };
    if !dist.join("index.html").is_file() {
        return false;
    }
    INPUTS
        .iter()
        .all(|input| newest(&root.join(input)).is_none_or(|t| t < built))
}

/// Marks `dist` as the release build of the sources as they are now.
pub fn stamp(dist: &Path) -> std::io::Result<()> {
    fs::write(
        dist.join(STAMP),
        "dist/ was built by `cargo xtask` with `trunk build --release`\n",
    )
}

fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The newest modification time under `path` (the file itself, or every file and directory of
/// the tree but `target/`); `None` when nothing is there.
fn newest(path: &Path) -> Option<SystemTime> {
    let meta = fs::symlink_metadata(path).ok()?;
    let own = meta.modified().ok();
    if !meta.is_dir() {
        return own;
    }
    let entries = fs::read_dir(path).ok()?;
    entries
        .flatten()
        .filter(|e| e.file_name() != "target" && e.file_name() != "node_modules")
        .filter_map(|e| newest(&e.path()))
        .chain(own)
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn touch(path: &Path, at: SystemTime) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, "x").unwrap();
        fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(at)
            .unwrap();
    }

    /// A stamp newer than every source means dist/ is current; a source edited after it (deep in
    /// a crate), a missing stamp or a missing page means it is not. Files in `target/` do not
    /// count.
    #[test]
    fn dist_is_current_until_a_source_changes() {
        let root = std::env::temp_dir().join(format!("xtask-fresh-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let dist = root.join("dist");
        let t0 = SystemTime::now() - Duration::from_secs(3600);
        let at = |s: u64| t0 + Duration::from_secs(s);
        touch(&root.join("engine/src/placement/select.rs"), at(0));
        touch(&root.join("index.html"), at(0));
        touch(&dist.join("index.html"), at(10));
        assert!(
            !dist_is_current(&root, &dist),
            "no stamp: not built by xtask"
        );
        touch(&dist.join(STAMP), at(10));
        // Directories' own times count too (a file deleted): set them old as well.
        for d in ["engine/src/placement", "engine/src", "engine"] {
            fs::File::open(root.join(d))
                .unwrap()
                .set_modified(at(0))
                .unwrap();
        }
        assert!(dist_is_current(&root, &dist));
        touch(&root.join("engine/target/debug/build.log"), at(20));
        fs::File::open(root.join("engine"))
            .unwrap()
            .set_modified(at(0))
            .unwrap();
        assert!(dist_is_current(&root, &dist), "target/ is not an input");
        touch(&root.join("engine/src/placement/select.rs"), at(20));
        assert!(
            !dist_is_current(&root, &dist),
            "a source newer than the build"
        );
        touch(&dist.join(STAMP), at(30));
        assert!(dist_is_current(&root, &dist));
        fs::remove_file(dist.join("index.html")).unwrap();
        assert!(!dist_is_current(&root, &dist), "no page");
        let _ = fs::remove_dir_all(&root);
    }
}
