//! The engine's layers, checked from the source: every module uses only modules of a lower
//! layer, or the modules of its own layer that `docs/architecture.md`'s table allows, so nothing
//! reads upward and there is no cycle. The table is the one a reader sees in the docs; this
//! test reads it from there, so the two cannot drift apart.
//!
//! What counts as a use: a path through `crate::` (also inside `use crate::{...}`) or a
//! `super::` path that leaves the module's own top-level module, in code that is not a test
//! (files named `tests.rs` or `*_tests.rs`, and everything after a `#[cfg(test)]` line, which
//! is where this codebase keeps its test modules). Comments are not uses.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// One row of the table: the module's layer and the modules of the same layer it may use.
#[derive(Debug)]
struct Row {
    layer: u32,
    same_layer: BTreeSet<String>,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// Reads the table between `<!-- layers -->` and `<!-- /layers -->` in docs/architecture.md:
/// `| module | layer | may also use |`, the layer written as its number first (`1 model`).
fn table() -> BTreeMap<String, Row> {
    let doc = fs::read_to_string(root().join("../docs/architecture.md")).unwrap();
    let start = doc
        .find("<!-- layers -->")
        .expect("docs/architecture.md has <!-- layers -->");
    let end = doc.find("<!-- /layers -->").expect("and <!-- /layers -->");
    let mut rows = BTreeMap::new();
    for line in doc[start..end].lines() {
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if cells.len() != 3 || cells[0].starts_with("module") || cells[0].starts_with("--") {
            continue;
        }
        let module = cells[0].trim_matches('`').to_string();
        let layer: u32 = cells[1]
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("layer of {module} is not a number: {}", cells[1]));
        let same_layer = cells[2]
            .split(',')
            .map(|m| m.trim().trim_matches('`').to_string())
            .filter(|m| !m.is_empty())
            .collect();
        rows.insert(module, Row { layer, same_layer });
    }
    assert!(!rows.is_empty(), "the layer table is empty");
    rows
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a file (`sim/run.rs` → [sim, run]; `sim/mod.rs` → [sim]).
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|l| l == "mod" || l == "lib") {
        parts.pop();
    }
    parts
}

/// The code of a file that is not a test and not a comment.
fn code(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let line = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn ident_at(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The top-level modules a file's code names.
fn uses(path: &[String], code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            // `use crate::{a, b::c, d::{e, f}}`: the first name of each item at depth 1.
            let mut depth = 1;
            let mut item_start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => item_start = true,
                    c if item_start && depth == 1 && (c.is_ascii_alphabetic() || c == '_') => {
                        out.insert(ident_at(&group[j..]).to_string());
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            out.insert(ident_at(after).to_string());
        }
        rest = after;
    }
    // `super::` chains that leave the top-level module.
    let mut rest = code;
    while let Some(i) = rest.find("super::") {
        let before_ok = i == 0 || !rest[..i].ends_with("::");
        let mut after = &rest[i..];
        let mut ups = 0;
        while let Some(a) = after.strip_prefix("super::") {
            ups += 1;
            after = a;
        }
        if before_ok && ups >= path.len() {
            out.insert(ident_at(after).to_string());
        }
        rest = &rest[i + "super::".len() * ups.max(1)..];
    }
    out.remove("self");
    out.remove("");
    out
}

/// (module, module it uses) for every use in the engine's code, with the file it is in.
fn edges() -> Vec<(String, String, PathBuf)> {
    let src = root().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let rel = f.strip_prefix(&src).unwrap().to_path_buf();
        let name = rel.file_name().unwrap().to_string_lossy().to_string();
        if name == "tests.rs" || name.ends_with("_tests.rs") || name == "lib.rs" {
            continue;
        }
        let path = module_path(&rel);
        let module = path[0].clone();
        let text = fs::read_to_string(&f).unwrap();
        for used in uses(&path, &code(&text)) {
            if used != module {
                out.push((module.clone(), used, rel.clone()));
            }
        }
    }
    out
}

#[test]
fn every_module_uses_only_lower_layers_or_what_the_table_allows() {
    let table = table();
    let mut wrong = Vec::new();
    for (from, to, file) in edges() {
        let (Some(a), Some(b)) = (table.get(&from), table.get(&to)) else {
            wrong.push(format!(
                "{}: {from} uses {to}, and the table in docs/architecture.md does not list {}",
                file.display(),
                if table.contains_key(&from) {
                    &to
                } else {
                    &from
                }
            ));
            continue;
        };
        let ok = b.layer < a.layer || (b.layer == a.layer && a.same_layer.contains(&to));
        if !ok {
            wrong.push(format!(
                "{}: {from} (layer {}) uses {to} (layer {}){}",
                file.display(),
                a.layer,
                b.layer,
                if b.layer > a.layer {
                    ": that reads upward"
                } else {
                    ": the table does not allow it (add it to the row's last column if it should be)"
                }
            ));
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(wrong.is_empty(), "layer violations:\n{}", wrong.join("\n"));
}

#[test]
fn the_table_lists_every_module_of_the_crate_and_no_other() {
    let table = table();
    let lib = fs::read_to_string(root().join("src/lib.rs")).unwrap();
    let declared: BTreeSet<String> = lib
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let l = l
                .strip_prefix("pub(crate) ")
                .or(l.strip_prefix("pub "))
                .unwrap_or(l);
            l.strip_prefix("mod ")
                .map(|m| m.trim_end_matches(';').to_string())
        })
        .collect();
    let listed: BTreeSet<String> = table.keys().cloned().collect();
    assert_eq!(
        declared, listed,
        "lib.rs's modules and the table's rows differ"
    );
    for (m, row) in &table {
        for other in &row.same_layer {
            let o = table
                .get(other)
                .unwrap_or_else(|| panic!("{m} may use {other}, which is not a module"));
            assert_eq!(
                o.layer, row.layer,
                "{m}'s row lists {other}, which is in another layer"
            );
        }
    }
}

#[test]
fn the_allowed_uses_within_a_layer_have_no_cycle() {
    let table = table();
    // Depth-first search for a cycle in the same-layer graph.
    fn visit<'a>(
        m: &'a str,
        table: &'a BTreeMap<String, Row>,
        state: &mut BTreeMap<&'a str, u8>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        match state.get(m) {
            Some(2) => return None,
            Some(1) => {
                let i = stack.iter().position(|x| *x == m).unwrap();
                let mut c: Vec<String> = stack[i..].iter().map(|s| s.to_string()).collect();
                c.push(m.to_string());
                return Some(c);
            }
            _ => {}
        }
        state.insert(m, 1);
        stack.push(m);
        for next in &table[m].same_layer {
            if let Some(c) = visit(next, table, state, stack) {
                return Some(c);
            }
        }
        stack.pop();
        state.insert(m, 2);
        None
    }
    let mut state = BTreeMap::new();
    for m in table.keys() {
        if let Some(c) = visit(m, &table, &mut state, &mut Vec::new()) {
            panic!("cycle within a layer: {}", c.join(" → "));
        }
    }
}

#[test]
fn the_page_and_the_command_line_use_only_the_api() {
    // The compiler enforces it too (every other module is private to the crate); this names the
    // offending line when someone makes a module public again.
    let mut wrong = Vec::new();
    for dir in ["../app/src", "../cli/src"] {
        let mut files = Vec::new();
        sources(&root().join(dir), &mut files);
        for f in files {
            let text = fs::read_to_string(&f).unwrap();
            for (n, line) in text.lines().enumerate() {
                let line = line.split("//").next().unwrap_or_default();
                let mut rest = line;
                while let Some(i) = rest.find("engine::") {
                    let before = &rest[..i];
                    let after = &rest[i + "engine::".len()..];
                    let is_path =
                        !before.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
                    if is_path && !after.starts_with("api") {
                        wrong.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
                    }
                    rest = after;
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "uses of the engine outside engine::api:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_checker_sees_uses_in_every_form() {
    let path = vec!["sim".to_string(), "run".to_string()];
    let src = "use crate::{plan::Plan, placement::{self, Launch}};\nlet x = crate::rules::check(p);\nuse super::workload;\nuse super::super::edit::Edit;\n";
    let found = uses(&path, src);
    let want: BTreeSet<String> = ["plan", "placement", "rules", "workload", "edit"]
        .into_iter()
        .map(String::from)
        .collect();
    // `super::workload` stays inside sim (not a top-level module): only `edit` leaves it.
    let want: BTreeSet<String> = want.into_iter().filter(|m| m != "workload").collect();
    assert_eq!(found, want);
    assert!(uses(&path, &code("// crate::edit is mentioned\n")).is_empty());
    assert!(uses(&path, &code("#[cfg(test)]\nuse crate::edit;\n")).is_empty());
}
