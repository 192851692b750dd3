//! Stage 5, selection: the best instance for each task of a run (tasks of one spec, placed in
//! order, the cluster updated after each).
//!
//! The plain way is [`scan`]: for every task, every instance through
//! [`pipeline::passes`](super::pipeline::passes) and [`strategy::key`], the lowest key wins.
//! The index is an optimisation of exactly that, for chains whose attribute spreads come first
//! (`Chain::indexable`, most chains): instances are grouped into buckets by the values of the
//! leading attribute spreads (e.g. one bucket per zone), and each bucket keeps its feasible
//! instances in a heap ordered by the rest of the key ([`strategy::local_key`]). Only the
//! instance that receives a task changes its local key, and one that stops fitting never fits
//! again within the run (every task of a run needs the same, and only its own instance
//! changed), so each task costs a look at the top of every bucket and one heap update instead
//! of a pass over every instance. A property test checks that both choose the same instance
//! for every task.

use super::pipeline::{passes, Check};
use super::strategy::{self, Key, Rule};
use super::Placement;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// Places the tasks of one spec, in order.
pub(super) fn place_run(p: &mut Placement, spec: usize, tasks: &[u32]) {
    if tasks.is_empty() {
        return;
    }
    // Stage 0: a request that cannot be placed anywhere.
    if !p.specs[spec].placeable() {
        for &t in tasks {
            p.record(t, None);
        }
        return;
    }
    if p.specs[spec].chain.indexable() && !p.scan_only {
        indexed(p, spec, tasks)
    } else {
        scan(p, spec, tasks)
    }
}

/// Every instance, every task: the reference the index must agree with.
fn scan(p: &mut Placement, spec: usize, tasks: &[u32]) {
    let mut prepared = strategy::prepare(&p.context(), spec);
    for &t in tasks {
        let cx = p.context();
        let mut best: Option<(Key, usize)> = None;
        for node in 0..cx.cluster.nodes.len() {
            if !passes(&cx, spec, node, Check::PLACE) {
                continue;
            }
            let k = strategy::key(&cx, spec, node, &prepared);
            if best.is_none_or(|b| (k, node) < b) {
                best = Some((k, node));
            }
        }
        let node = best.map(|(_, n)| n);
        p.record(t, node);
        if let Some(n) = node {
            prepared.landed(&p.specs[spec].chain.rules, &p.cluster.nodes[n]);
        }
    }
}

struct Bucket {
    /// Value ids (see `value_of` in [`indexed`]) of the leading attribute spreads.
    values: Vec<u32>,
    heap: BinaryHeap<Reverse<(Key, usize)>>,
}

fn indexed(p: &mut Placement, spec: usize, tasks: &[u32]) {
    let rules = p.specs[spec].chain.rules.clone();
    let group = p.specs[spec].group;
    let prefix = rules.iter().position(Rule::is_local).unwrap_or(rules.len());
    // The leading attribute spreads' counts (strategy::spread), with attribute values as small
    // ids: value_of[j][node], counts[j][id].
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
    // Every instance through the whole filter once, static memberOf verdicts from the cache.
    p.prepare_verdicts(spec);
    let cx = p.context().with_verdicts(&p.static_verdicts);
    let mut bucket_of: HashMap<Vec<u32>, usize> = HashMap::new();
    let mut buckets: Vec<Bucket> = Vec::new();
    let mut node_bucket = vec![usize::MAX; p.cluster.nodes.len()];
    for (node, slot) in node_bucket.iter_mut().enumerate() {
        if !passes(&cx, spec, node, Check::PLACE) {
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
            .push(Reverse((strategy::local_key(&cx, spec, node), node)));
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
        let cx = p.context();
        let new_key =
            passes(&cx, spec, node, Check::AGAIN).then(|| strategy::local_key(&cx, spec, node));
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

#[cfg(test)]
#[path = "select_tests.rs"]
mod tests;
