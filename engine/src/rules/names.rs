//! Names: family, container, volume and port mapping names, and their uniqueness
//! (`task_definition_parameters.md`, "Family", "Name", "Volumes", "Port mappings").

use super::{finding, Facts};
use crate::findings::{Finding, JsonPath};
use std::collections::HashMap;

/// What is wrong with a name that must be 1–`max` letters, digits, `-` and `_`, if anything.
pub(crate) fn plain_name_problem(s: &str, max: usize) -> Option<String> {
    if s.is_empty() {
        return Some("is empty".into());
    }
    if s.len() > max {
        return Some(format!(
            "has {} characters; at most {max} are allowed",
            s.len()
        ));
    }
    let bad: String = s
        .chars()
        .filter(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        .fold(String::new(), |mut acc, c| {
            if !acc.contains(c) {
                acc.push(c);
            }
            acc
        });
    (!bad.is_empty()).then(|| {
        format!(
            "contains {:?}; only letters, digits, - and _ are allowed",
            bad
        )
    })
}

/// A suggestion that keeps the allowed characters and turns the rest into `-`.
pub(crate) fn cleaned(s: &str, max: usize) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    out.truncate(max);
    if out.is_empty() {
        "app".into()
    } else {
        out
    }
}

pub(super) fn task_definition(f: &Facts, out: &mut Vec<Finding>) {
    let td = f.td;
    if let Some(p) = plain_name_problem(&td.family, 255) {
        out.push(finding(
            "family-name",
            f.path.key("family"),
            format!("the family \"{}\" {p}", td.family),
            format!("use \"{}\"", cleaned(&td.family, 255)),
        ));
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, c, p) in f.containers() {
        if let Some(problem) = plain_name_problem(&c.name, 255) {
            out.push(finding(
                "container-name",
                p.key("name"),
                format!("the container name \"{}\" {problem}", c.name),
                format!("use \"{}\"", cleaned(&c.name, 255)),
            ));
        }
        if c.name.is_empty() {
            continue;
        }
        if let Some(first) = seen.insert(c.name.as_str(), i) {
            seen.insert(c.name.as_str(), first);
            out.push(finding(
                "duplicate-container-name",
                p.key("name"),
                format!("containers {first} and {i} are both named \"{}\"", c.name),
                format!("rename one, e.g. \"{}-{i}\"", c.name),
            ));
        }
    }
    let mut volumes: HashMap<&str, usize> = HashMap::new();
    for (i, v) in td.volumes.iter().enumerate() {
        let Some(name) = v.name.as_deref() else {
            continue;
        };
        let p = f.path.key("volumes").index(i).key("name");
        if let Some(problem) = plain_name_problem(name, 255) {
            out.push(finding(
                "volume-name",
                p.clone(),
                format!("the volume name \"{name}\" {problem}"),
                format!(
                    "use \"{}\" (and the same in mountPoints)",
                    cleaned(name, 255)
                ),
            ));
        }
        if let Some(first) = volumes.insert(name, i) {
            volumes.insert(name, first);
            out.push(finding(
                "duplicate-volume-name",
                p,
                format!("volumes {first} and {i} are both named \"{name}\""),
                "give each volume its own name",
            ));
        }
    }
    port_mapping_names(f, out);
}

/// Port mapping names (Service Connect): up to 64 of `a-z0-9_-`, not starting with `-`, unique
/// in the task definition.
fn port_mapping_names(f: &Facts, out: &mut Vec<Finding>) {
    let mut seen: HashMap<&str, JsonPath> = HashMap::new();
    for (_, c, p) in f.containers() {
        for (j, pm) in c.port_mappings.iter().enumerate() {
            let Some(name) = pm.extra.get("name").and_then(|v| v.as_str()) else {
                continue;
            };
            let path = p.key("portMappings").index(j).key("name");
            let ok = !name.is_empty()
                && name.len() <= 64
                && !name.starts_with('-')
                && name.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                });
            if !ok {
                let suggestion: String = name
                    .to_ascii_lowercase()
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                            c
                        } else {
                            '-'
                        }
                    })
                    .collect::<String>()
                    .trim_start_matches('-')
                    .chars()
                    .take(64)
                    .collect();
                out.push(finding(
                    "port-mapping-name",
                    path.clone(),
                    format!("the port mapping name \"{name}\" must be 1-64 characters of a-z, 0-9, - and _, not starting with -"),
                    format!("use \"{}\"", if suggestion.is_empty() { "http".to_string() } else { suggestion }),
                ));
            }
            if let Some(first) = seen.get(name) {
                out.push(finding(
                    "duplicate-port-mapping-name",
                    path,
                    format!("the port mapping name \"{name}\" is already used at {first}"),
                    "give each named port mapping its own name",
                ));
            } else {
                seen.insert(name, path);
            }
        }
    }
}
