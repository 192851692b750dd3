//! Reading the version pins that must agree: `Cargo.lock`'s `wasm-bindgen` (the crate the app links)
//! and `Trunk.toml`'s `[tools] wasm_bindgen` (the CLI trunk runs), and `Trunk.toml`'s
//! `[tools] wasm_opt` and `package-lock.json`'s `binaryen`. No TOML/JSON crates: these files are
//! simple and the xtask should compile in a few seconds.

/// Versions of `name` in a `Cargo.lock`, in file order.
pub fn cargo_lock_versions(lock: &str, name: &str) -> Vec<String> {
    let mut versions = Vec::new();
    let mut in_package = false;
    let mut current_name: Option<String> = None;
    for line in lock.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[[package]]";
            current_name = None;
            continue;
        }
        if !in_package {
            continue;
        }
        if let Some(v) = toml_string(line, "name") {
            current_name = Some(v);
        } else if let Some(v) = toml_string(line, "version") {
            if current_name.as_deref() == Some(name) {
                versions.push(v);
            }
        }
    }
    versions
}

/// The string value of `key` in the `[section]` table of a simple TOML file.
pub fn toml_value(toml: &str, section: &str, key: &str) -> Option<String> {
    let header = format!("[{section}]");
    let mut in_section = false;
    for line in toml.lines().map(str::trim) {
        if line.starts_with('[') {
            in_section = strip_comment(line).trim() == header;
            continue;
        }
        if in_section {
            if let Some(v) = toml_string(line, key) {
                return Some(v);
            }
        }
    }
    None
}

/// `key = "value"` (with an optional trailing comment) → `value`.
fn toml_string(line: &str, key: &str) -> Option<String> {
    let rest = line.strip_prefix(key)?.trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    let end = rest.find('"')?;
    Some(rest[..end].to_string())
}

fn strip_comment(line: &str) -> &str {
    line.split('#').next().unwrap_or("")
}

/// The version of `node_modules/<name>` recorded in a `package-lock.json` (lockfileVersion 2/3).
pub fn package_lock_version(lock: &str, name: &str) -> Option<String> {
    let key = format!("\"node_modules/{name}\"");
    let start = lock.find(&key)? + key.len();
    let body = &lock[start..];
    let body = &body[..body.find('}').unwrap_or(body.len())];
    let v = body.find("\"version\"")?;
    let after = &body[v + "\"version\"".len()..];
    let q1 = after.find('"')? + 1;
    let q2 = after[q1..].find('"')? + q1;
    Some(after[q1..q2].to_string())
}

/// The pinned tool versions, checked for agreement.
#[derive(Debug, PartialEq, Eq)]
pub struct Pins {
    /// `wasm-bindgen` (crate in Cargo.lock = CLI pinned in Trunk.toml).
    pub wasm_bindgen: String,
    /// The binaryen major version (`version_132` in Trunk.toml, `132.x` in package-lock.json).
    pub wasm_opt: String,
}

/// Checks that Trunk.toml's pins agree with Cargo.lock and package-lock.json.
pub fn check(trunk_toml: &str, cargo_lock: &str, package_lock: &str) -> Result<Pins, String> {
    let locked = cargo_lock_versions(cargo_lock, "wasm-bindgen");
    let locked = match locked.as_slice() {
        [one] => one.clone(),
        [] => return Err("Cargo.lock has no `wasm-bindgen` package (is the app crate in the workspace?)".into()),
        many => {
            return Err(format!(
                "Cargo.lock has several `wasm-bindgen` versions ({}); trunk can only run one wasm-bindgen CLI. \
                 Unify them (e.g. `cargo update -p wasm-bindgen`).",
                many.join(", ")
            ))
        }
    };
    let pinned = toml_value(trunk_toml, "tools", "wasm_bindgen")
        .ok_or("Trunk.toml has no `[tools] wasm_bindgen = \"...\"` pin")?;
    if pinned != locked {
        return Err(format!(
            "Trunk.toml pins wasm_bindgen = \"{pinned}\" but Cargo.lock has wasm-bindgen {locked}. \
             They must be equal (the CLI must match the crate). Set `wasm_bindgen = \"{locked}\"` in Trunk.toml \
             (and run `cargo xtask setup` to install that wasm-bindgen-cli)."
        ));
    }
    let opt = toml_value(trunk_toml, "tools", "wasm_opt")
        .ok_or("Trunk.toml has no `[tools] wasm_opt = \"version_N\"` pin")?;
    let opt_major = opt
        .strip_prefix("version_")
        .ok_or_else(|| {
            format!("Trunk.toml: wasm_opt = \"{opt}\" should look like \"version_132\"")
        })?
        .to_string();
    let npm = package_lock_version(package_lock, "binaryen")
        .ok_or("package-lock.json has no `binaryen` package (wasm-opt comes from it)")?;
    if npm.split('.').next() != Some(opt_major.as_str()) {
        return Err(format!(
            "Trunk.toml pins wasm_opt = \"{opt}\" but package-lock.json has binaryen {npm}. \
             Make them agree (binaryen {opt_major}.x in package.json, or wasm_opt = \"version_{}\").",
            npm.split('.').next().unwrap_or("?")
        ));
    }
    Ok(Pins {
        wasm_bindgen: locked,
        wasm_opt: opt_major,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "wasm-bindgen-macro",
]

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.999"
"#;

    const TRUNK: &str = r#"
[build]
target = "index.html"
offline = true

[tools]  # pinned
wasm_bindgen = "0.2.130" # must equal Cargo.lock
wasm_opt = "version_132"
"#;

    const NPM: &str = r#"{
  "packages": {
    "": { "devDependencies": { "binaryen": "132.0.0" } },
    "node_modules/binaryen": {
      "version": "132.0.0",
      "dev": true
    }
  }
}"#;

    #[test]
    fn reads_cargo_lock() {
        assert_eq!(cargo_lock_versions(LOCK, "wasm-bindgen"), ["0.2.130"]);
        assert_eq!(cargo_lock_versions(LOCK, "wasm-bindgen-macro"), ["0.2.999"]);
        assert!(cargo_lock_versions(LOCK, "leptos").is_empty());
    }

    #[test]
    fn reads_trunk_toml_and_package_lock() {
        assert_eq!(
            toml_value(TRUNK, "tools", "wasm_bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            toml_value(TRUNK, "build", "target").as_deref(),
            Some("index.html")
        );
        assert_eq!(toml_value(TRUNK, "build", "wasm_bindgen"), None);
        assert_eq!(
            package_lock_version(NPM, "binaryen").as_deref(),
            Some("132.0.0")
        );
    }

    #[test]
    fn agreeing_pins_pass() {
        let pins = check(TRUNK, LOCK, NPM).unwrap();
        assert_eq!(
            pins,
            Pins {
                wasm_bindgen: "0.2.130".into(),
                wasm_opt: "132".into()
            }
        );
    }

    #[test]
    fn wasm_bindgen_mismatch_is_explained() {
        let trunk = TRUNK.replace("0.2.130", "0.2.100");
        let err = check(&trunk, LOCK, NPM).unwrap_err();
        assert!(err.contains("wasm_bindgen = \"0.2.100\""), "{err}");
        assert!(err.contains("Cargo.lock has wasm-bindgen 0.2.130"), "{err}");
    }

    #[test]
    fn two_locked_wasm_bindgens_are_an_error() {
        let lock = format!("{LOCK}\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.100\"\n");
        let err = check(TRUNK, &lock, NPM).unwrap_err();
        assert!(err.contains("several"), "{err}");
    }

    #[test]
    fn wasm_opt_mismatch_is_explained() {
        let err = check(&TRUNK.replace("version_132", "version_108"), LOCK, NPM).unwrap_err();
        assert!(err.contains("binaryen 132.0.0"), "{err}");
    }

    /// The repository's own files agree (this is what `cargo xtask setup` checks too).
    #[test]
    fn repository_pins_agree() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap();
        let read =
            |f: &str| std::fs::read_to_string(root.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        check(
            &read("Trunk.toml"),
            &read("Cargo.lock"),
            &read("package-lock.json"),
        )
        .unwrap();
    }
}
