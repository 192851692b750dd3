//! Choosing the best instance for each task of a run (tasks of one spec, placed in order).
//!
//! Two ways to the same answer. The index: instances are grouped into buckets by the values
//! of the chain's leading attribute spreads (e.g. one bucket per zone), and each bucket keeps
//! its feasible instances in a heap ordered by the instance-local rules (binpack, instance
//! spread, random, tie-break). Only the instance that receives a task changes its key, and an
//! instance that stops fitting never fits again within the run (every task of a run needs the
//! same), so each task costs a scan of the buckets plus two heap operations. Chains the index
//! cannot serve (an attribute spread after a local rule) scan every instance per task. Both
//! compare the same full key ([`full_key`]), which is what explanations show.

use super::rank::{draw, Rule, KEY_LEN, SALT_RANDOM, SALT_TIE};
use super::state::State;
use super::Placement;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

pub type Key = [i64; KEY_LEN];

/// Tasks of the spec's group per value of each attribute the chain spreads on (indexed like
/// the chain's rules; empty maps for other rules).
pub fn spread_counts(
    p: &Placement,
    state: &State,
    spec: usize,
) -> Vec<HashMap<Option<String>, u32>> {
    let s = &p.specs[spec];
    s.chain
        .rules
        .iter()
        .map(|r| {
            let mut m = HashMap::new();
            if let Rule::SpreadAttribute { attribute } = r {
                for (i, n) in p.cluster.nodes.iter().enumerate() {
                    let c = state.usage[i].group_count(s.group);
                    *m.entry(n.attribute(attribute).map(str::to_string))
                        .or_insert(0) += c;
                }
            }
            m
        })
        .collect()
}

/// The instance's rank key for the spec: one number per rule (lower is better), then the
/// tie-break. `counts` come from [`spread_counts`].
pub fn full_key(
    p: &Placement,
    state: &State,
    spec: usize,
    node: usize,
    counts: &[HashMap<Option<String>, u32>],
) -> Key {
    let mut k = local_key(p, state, spec, node);
    let s = &p.specs[spec];
    for (j, r) in s.chain.rules.iter().enumerate() {
        if let Rule::SpreadAttribute { attribute } = r {
            let v = p.cluster.nodes[node]
                .attribute(attribute)
                .map(str::to_string);
            k[j] = counts[j].get(&v).copied().unwrap_or(0) as i64;
        }
    }
    k
}

/// The key with only the instance-local rules filled in (attribute spreads left at 0).
fn local_key(p: &Placement, state: &State, spec: usize, node: usize) -> Key {
    let s = &p.specs[spec];
    let n = &p.cluster.nodes[node];
    let u = &state.usage[node];
    let count = u.group_count(s.group);
    let mut k = [0i64; KEY_LEN];
    for (j, r) in s.chain.rules.iter().enumerate() {
        k[j] = match r {
            Rule::BinpackCpu => n.registered.cpu.saturating_sub(u.cpu) as i64,
            Rule::BinpackMemory => n.registered.memory_mib.saturating_sub(u.memory) as i64,
            Rule::SpreadInstance => count as i64,
            Rule::Random => draw(p.seed, SALT_RANDOM, node, s.group, count),
            Rule::SpreadAttribute { .. } => 0,
        };
    }
    k[s.chain.rules.len()] = draw(p.seed, SALT_TIE, node, s.group, count);
    k
}

/// Places the tasks of one spec, in order.
pub(super) fn place_run(p: &mut Placement, spec: usize, tasks: &[u32]) {
    if tasks.is_empty() {
        return;
    }
    if !p.specs[spec].broken.is_empty() {
        for &t in tasks {
            p.record(t, None);
        }
        return;
    }
    if p.specs[spec].chain.indexable() {
        indexed(p, spec, tasks)
    } else {
        scan(p, spec, tasks)
    }
}

fn feasible(p: &Placement, t: u32, node: usize) -> bool {
    p.rejection_in(&p.state, t as usize, node).is_none()
}

/// [`feasible`] with the static `memberOf` verdicts taken from the placement's cache: the same
/// stages in the same order, the expensive one evaluated once per instance and expression.
fn feasible_cached(
    p: &mut Placement,
    spec: usize,
    t: u32,
    node: usize,
    dynamic: &[super::filter::Constraint],
) -> bool {
    let s = &p.specs[spec];
    if super::filter::eligibility(&p.cluster.nodes[node], s.launch.provider()).is_err() {
        return false;
    }
    if !still_feasible(p, t, node, dynamic) {
        return false;
    }
    p.static_constraints_hold(spec, node)
}

struct Bucket {
    /// Value ids (see `values` in [`indexed`]) of the leading attribute spreads.
    values: Vec<u32>,
    heap: BinaryHeap<Reverse<(Key, usize)>>,
}

/// Whether `node` can still take another task of the run after one landed on it: only its
/// resources and the constraints that depend on placed tasks can have changed.
fn still_feasible(
    p: &Placement,
    t: u32,
    node: usize,
    dynamic: &[super::filter::Constraint],
) -> bool {
    let s = &p.specs[p.tasks[t as usize].spec];
    let n = &p.cluster.nodes[node];
    let u = &p.state.usage[node];
    let names = |x: u32| p.tasks[x as usize].id();
    let group_of = |x: u32| p.specs[p.tasks[x as usize].spec].group;
    super::filter::resources(n, u, &s.demand, &names).is_ok()
        && super::filter::constraints(n, u, s.group, dynamic, &p.groups, &names, &group_of).is_ok()
}

fn indexed(p: &mut Placement, spec: usize, tasks: &[u32]) {
    let rules = p.specs[spec].chain.rules.clone();
    let dynamic: Vec<super::filter::Constraint> = p.specs[spec]
        .constraints
        .iter()
        .filter(|c| c.is_dynamic())
        .cloned()
        .collect();
    let group = p.specs[spec].group;
    let prefix = rules.iter().position(Rule::is_local).unwrap_or(rules.len());
    // Attribute values as small ids, per leading spread rule: value_of[j][node].
    let mut value_of: Vec<Vec<u32>> = Vec::with_capacity(prefix);
    let mut counts: Vec<Vec<u32>> = Vec::with_capacity(prefix);
    for r in &rules[..prefix] {
        let Rule::SpreadAttribute { attribute } = r else {
            unreachable!("prefix rules spread on attributes")
        };
        let mut ids: HashMap<Option<&str>, u32> = HashMap::new();
        let mut of = Vec::with_capacity(p.cluster.nodes.len());
        let mut c: Vec<u32> = Vec::new();
        for (i, n) in p.cluster.nodes.iter().enumerate() {
            let next = ids.len() as u32;
            let id = *ids.entry(n.attribute(attribute)).or_insert(next);
            if id as usize == c.len() {
                c.push(0);
            }
            c[id as usize] += p.state.usage[i].group_count(group);
            of.push(id);
        }
        value_of.push(of);
        counts.push(c);
    }
    let probe = tasks[0];
    let mut bucket_of: HashMap<Vec<u32>, usize> = HashMap::new();
    let mut buckets: Vec<Bucket> = Vec::new();
    let mut node_bucket = vec![usize::MAX; p.cluster.nodes.len()];
    for (node, slot) in node_bucket.iter_mut().enumerate() {
        if !feasible_cached(p, spec, probe, node, &dynamic) {
            continue;
        }
        let values: Vec<u32> = value_of.iter().map(|v| v[node]).collect();
        let b = *bucket_of.entry(values.clone()).or_insert_with(|| {
            buckets.push(Bucket {
                values,
                heap: BinaryHeap::new(),
            });
            buckets.len() - 1
        });
        *slot = b;
        buckets[b]
            .heap
            .push(Reverse((local_key(p, &p.state, spec, node), node)));
    }
    for (i, &t) in tasks.iter().enumerate() {
        let mut best: Option<(Key, usize, usize)> = None;
        for (b, bucket) in buckets.iter().enumerate() {
            let Some(Reverse((local, node))) = bucket.heap.peek() else {
                continue;
            };
            let mut k = *local;
            for j in 0..prefix {
                k[j] = counts[j][bucket.values[j] as usize] as i64;
            }
            if best.is_none_or(|(bk, bn, _)| (k, *node) < (bk, bn)) {
                best = Some((k, *node, b));
            }
        }
        let Some((_, node, b)) = best else {
            for &rest in &tasks[i..] {
                p.record(rest, None);
            }
            return;
        };
        p.record(t, Some(node));
        for j in 0..prefix {
            counts[j][buckets[b].values[j] as usize] += 1;
        }
        // The chosen instance is still the top of its bucket: update its key in place (one
        // sift) or drop it when it can take no more of this run.
        debug_assert_eq!(node_bucket[node], b);
        let keep = still_feasible(p, t, node, &dynamic);
        let new_key = keep.then(|| local_key(p, &p.state, spec, node));
        if let Some(mut top) = buckets[b].heap.peek_mut() {
            match new_key {
                Some(k) => top.0 = (k, node),
                None => {
                    std::collections::binary_heap::PeekMut::pop(top);
                }
            }
        }
    }
}

fn scan(p: &mut Placement, spec: usize, tasks: &[u32]) {
    let mut counts = spread_counts(p, &p.state, spec);
    for &t in tasks {
        let mut best: Option<(Key, usize)> = None;
        for node in 0..p.cluster.nodes.len() {
            if !feasible(p, t, node) {
                continue;
            }
            let k = full_key(p, &p.state, spec, node, &counts);
            if best.is_none_or(|b| (k, node) < b) {
                best = Some((k, node));
            }
        }
        let node = best.map(|(_, n)| n);
        p.record(t, node);
        if let Some(n) = node {
            let rules = p.specs[spec].chain.rules.clone();
            for (j, r) in rules.iter().enumerate() {
                if let Rule::SpreadAttribute { attribute } = r {
                    let v = p.cluster.nodes[n].attribute(attribute).map(str::to_string);
                    *counts[j].entry(v).or_insert(0) += 1;
                }
            }
        }
    }
}
