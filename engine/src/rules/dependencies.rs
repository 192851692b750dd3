//! Container references and start order: `dependsOn`, `links` and `volumesFrom` name
//! containers of the task, conditions make sense for their target, and no containers wait on
//! each other in a circle (`task_definition_parameters.md`, "Container dependency"; links and
//! volumes from another container are start dependencies too, as the START condition says).

use super::{essential, finding, list, text, Facts};
use crate::findings::{Finding, JsonPath};
use crate::plan::NetworkMode;
use std::collections::{BTreeSet, HashMap};

/// One edge of the start-order graph: container `from` starts after container `to`.
struct Edge {
    from: usize,
    to: usize,
    kind: &'static str,
    path: JsonPath,
}

pub(super) fn check(f: &Facts, out: &mut Vec<Finding>) {
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, c) in f.td.container_definitions.iter().enumerate() {
        index.entry(c.name.as_str()).or_insert(i);
    }
    let names: Vec<&str> =
        f.td.container_definitions
            .iter()
            .map(|c| c.name.as_str())
            .collect();
    let mut edges: Vec<Edge> = Vec::new();
    let resolve = |name: &str,
                   path: JsonPath,
                   what: &str,
                   container: &str,
                   out: &mut Vec<Finding>|
     -> Option<usize> {
        match index.get(name) {
            Some(&t) => Some(t),
            None => {
                let hint = crate::schema::did_you_mean(name, names.iter().copied());
                out.push(finding(
                    "unknown-container",
                    path,
                    format!("container \"{container}\" {what} \"{name}\", which is not a container of {}", f.label()),
                    match hint {
                        Some(h) => format!("did you mean \"{h}\"?"),
                        None => format!("use one of: {}", names.join(", ")),
                    },
                ));
                None
            }
        }
    };
    for (i, c, p) in f.containers() {
        for (j, d) in list(&c.extra, "dependsOn").iter().enumerate() {
            let dp = p.key("dependsOn").index(j);
            let Some(target) = text(d, "containerName") else {
                continue;
            };
            let Some(t) = resolve(target, dp.key("containerName"), "depends on", &c.name, out)
            else {
                continue;
            };
            edges.push(Edge {
                from: i,
                to: t,
                kind: "dependsOn",
                path: dp.clone(),
            });
            let tc = &f.td.container_definitions[t];
            match text(d, "condition") {
                Some(cond @ ("COMPLETE" | "SUCCESS")) if essential(tc) => out.push(finding(
                    "dependency-condition-essential",
                    dp.key("condition"),
                    format!(
                        "container \"{}\" waits for \"{target}\" to {}, but \"{target}\" is essential: when an essential container exits the whole task stops",
                        c.name,
                        if cond == "SUCCESS" { "exit successfully" } else { "exit" }
                    ),
                    format!("set \"essential\": false on \"{target}\" (an init or setup container), or use the START or HEALTHY condition"),
                )),
                Some("HEALTHY") if tc.health_check.as_ref().is_none_or(|h| h.command.is_empty()) => out.push(finding(
                    "dependency-healthy-without-health-check",
                    dp.key("condition"),
                    format!("container \"{}\" waits for \"{target}\" to be HEALTHY, but \"{target}\" has no health check, so it never becomes healthy", c.name),
                    format!("add a healthCheck to \"{target}\", or use the START condition"),
                )),
                _ => {}
            }
        }
        let links = list(&c.extra, "links");
        if !links.is_empty() && f.mode != NetworkMode::Bridge {
            let mode = match f.mode {
                NetworkMode::Awsvpc => "awsvpc",
                NetworkMode::Host => "host",
                NetworkMode::None => "none",
                NetworkMode::Bridge => "bridge",
            };
            out.push(finding(
                "links-network-mode",
                p.key("links"),
                format!("container \"{}\" has links, which work only in the bridge network mode, not {mode}", c.name),
                if f.mode == NetworkMode::Awsvpc {
                    "remove links: in awsvpc mode containers of a task reach each other on localhost".to_string()
                } else {
                    "remove links, or use the bridge network mode".to_string()
                },
            ));
        }
        for (j, l) in links.iter().enumerate() {
            let Some(l) = l.as_str() else { continue };
            let target = l.split_once(':').map(|(n, _)| n).unwrap_or(l);
            let lp = p.key("links").index(j);
            if let Some(t) = resolve(target, lp.clone(), "links to", &c.name, out) {
                edges.push(Edge {
                    from: i,
                    to: t,
                    kind: "links",
                    path: lp,
                });
            }
        }
        for (j, v) in list(&c.extra, "volumesFrom").iter().enumerate() {
            let Some(src) = text(v, "sourceContainer") else {
                continue;
            };
            let vp = p.key("volumesFrom").index(j);
            if let Some(t) = resolve(
                src,
                vp.key("sourceContainer"),
                "mounts volumes from",
                &c.name,
                out,
            ) {
                edges.push(Edge {
                    from: i,
                    to: t,
                    kind: "volumesFrom",
                    path: vp,
                });
            }
        }
    }
    cycles(f, &edges, out);
}

/// Reports each circle of containers waiting on each other once, starting from its first
/// container in the task definition.
fn cycles(f: &Facts, edges: &[Edge], out: &mut Vec<Finding>) {
    let n = f.td.container_definitions.len();
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (e, edge) in edges.iter().enumerate() {
        adj[edge.from].push(e);
    }
    // Iterative depth-first search; colour 0 unvisited, 1 on the stack, 2 done.
    let mut colour = vec![0u8; n];
    let mut seen: BTreeSet<Vec<usize>> = BTreeSet::new();
    for start in 0..n {
        if colour[start] != 0 {
            continue;
        }
        // Stack of (node, next edge position); `trail` holds the edges taken.
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        let mut trail: Vec<usize> = Vec::new();
        colour[start] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&e) = adj[node].get(*next) {
                *next += 1;
                let to = edges[e].to;
                match colour[to] {
                    0 => {
                        colour[to] = 1;
                        trail.push(e);
                        stack.push((to, 0));
                    }
                    1 => {
                        // A circle: the trail from `to` back to `to`, closed by `e`.
                        let from_pos = stack.iter().position(|(x, _)| *x == to).unwrap_or(0);
                        let mut circle: Vec<usize> = trail[from_pos..].to_vec();
                        circle.push(e);
                        report(f, edges, circle, &mut seen, out);
                    }
                    _ => {}
                }
            } else {
                colour[node] = 2;
                stack.pop();
                trail.pop();
            }
        }
    }
}

fn report(
    f: &Facts,
    edges: &[Edge],
    mut circle: Vec<usize>,
    seen: &mut BTreeSet<Vec<usize>>,
    out: &mut Vec<Finding>,
) {
    let Some(first) = (0..circle.len()).min_by_key(|&k| edges[circle[k]].from) else {
        return;
    };
    circle.rotate_left(first);
    let mut key: Vec<usize> = circle.iter().map(|&e| edges[e].from).collect();
    key.sort_unstable();
    if !seen.insert(key) {
        return;
    }
    let name = |i: usize| f.td.container_definitions[i].name.as_str();
    let mut words = vec![format!("\"{}\"", name(edges[circle[0]].from))];
    for &e in &circle {
        words.push(format!("({}) \"{}\"", edges[e].kind, name(edges[e].to)));
    }
    let e0 = &edges[circle[0]];
    let message = if circle.len() == 1 {
        format!(
            "container \"{}\" waits on itself ({}), so it can never start",
            name(e0.from),
            e0.kind
        )
    } else {
        format!(
            "containers wait on each other in a circle: {}; none of them can start",
            words.join(" -> ")
        )
    };
    out.push(finding(
        "dependency-cycle",
        e0.path.clone(),
        message,
        format!(
            "remove the {} from \"{}\" to \"{}\", or another link of the circle",
            e0.kind,
            name(e0.from),
            name(e0.to)
        ),
    ));
}
