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
use super::{InstanceIx, Placement, SpecIx, TaskIx};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// The indexes built by the runs of one [`Placement::place_tasks`](super::Placement::place_tasks)
/// call, kept for the spec's next run. A capacity provider strategy interleaves its providers'
/// tasks (`A, B, A, B, …` with equal weights), so each run is one task long; building the index
/// for every run cost a pass over every instance per task (the quota plan: 21 s to place with
/// provider strategies, 0.6 s with `launchType: EC2`). A kept index is what a fresh build would
/// give as long as no task of another spec landed on one of its instances (whose verdict or key
/// that could change): such an index is dropped and built again on the spec's next run. Tasks
/// of the same group landing elsewhere only move its attribute spread counts, kept in step.
#[derive(Default)]
pub(super) struct Runs {
    kept: Vec<(SpecIx, Index)>,
}

impl Runs {
    /// A task of `spec` (of `group`) landed on `node`: the other indexes follow.
    fn landed(&mut self, spec: SpecIx, group: u32, node: InstanceIx) {
        self.kept.retain_mut(|(s, index)| {
            if *s == spec {
                return true;
            }
            if index.watch[node.at()] {
                return false;
            }
            if index.group == group {
                for (j, c) in index.counts.iter_mut().enumerate() {
                    c[index.value_of[j][node.at()] as usize] += 1;
                }
            }
            true
        });
    }
}

/// Places the tasks of one spec, in order.
pub(super) fn place_run(p: &mut Placement, runs: &mut Runs, spec: SpecIx, tasks: &[TaskIx]) {
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
        let mut index = match runs.kept.iter().position(|(s, _)| *s == spec) {
            Some(k) => runs.kept.swap_remove(k).1,
            None => Index::build(p, spec),
        };
        index.place(p, runs, spec, tasks);
        runs.kept.push((spec, index));
    } else {
        scan(p, runs, spec, tasks)
    }
}

/// Every instance, every task: the reference the index must agree with.
fn scan(p: &mut Placement, runs: &mut Runs, spec: SpecIx, tasks: &[TaskIx]) {
    let mut prepared = strategy::prepare(&p.context(), spec);
    for &t in tasks {
        let cx = p.context();
        let mut best: Option<(Key, InstanceIx)> = None;
        for node in cx.cluster.instances() {
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
            runs.landed(spec, p.specs[spec].group, n);
        }
    }
}

struct Bucket {
    /// Value ids (see `value_of` in `indexed`) of the leading attribute spreads.
    values: Vec<u32>,
    heap: BinaryHeap<Reverse<(Key, InstanceIx)>>,
}

/// A spec's candidates: its feasible instances in buckets by the values of the chain's leading
/// attribute spreads, each a heap by the rest of the key.
struct Index {
    group: u32,
    /// The leading attribute spreads' counts (strategy::spread), with attribute values as small
    /// ids: `value_of[j][node]`, `counts[j][id]`.
    value_of: Vec<Vec<u32>>,
    counts: Vec<Vec<u32>>,
    buckets: Vec<Bucket>,
    node_bucket: Vec<usize>,
    /// Instances whose verdict or key a task landing on them could change: those that are
    /// eligible (stage 1 is static within a placement). See [`Runs`].
    watch: Vec<bool>,
}

impl Index {
    fn build(p: &mut Placement, spec: SpecIx) -> Index {
        // What is static for the spec (its launch target's eligible instances, its spreads'
        // attribute values, static memberOf verdicts) comes from the placement's cache.
        p.prepare_verdicts(spec);
        let mut kept = std::mem::take(&mut p.feasible);
        let statics = &p.static_verdicts;
        let s = &p.specs[spec];
        let rules = &s.chain.rules;
        let group = s.group;
        let prefix = rules.iter().position(Rule::is_local).unwrap_or(rules.len());
        let mut value_of: Vec<Vec<u32>> = Vec::with_capacity(prefix);
        let mut counts: Vec<Vec<u32>> = Vec::with_capacity(prefix);
        for r in &rules[..prefix] {
            let Rule::SpreadAttribute { attribute } = r else {
                unreachable!("prefix rules spread on attributes")
            };
            let ids = statics
                .attribute(attribute)
                .expect("prepare_verdicts prepares the chain's attributes");
            let mut c = vec![0u32; ids.values()];
            for &i in p.state.placed_on(group) {
                c[ids.of[i.at()] as usize] += p.state.usage[i].group_count(group);
            }
            value_of.push(ids.of.clone());
            counts.push(c);
        }
        let eligible = statics
            .eligible(s.launch.provider())
            .expect("prepare_verdicts prepares the launch target's instances");
        let cx = p.context().with_verdicts(statics);
        // An instance's bucket is numbered by its leading spreads' value ids: the first
        // spread's id, then (number so far, next id) numbered as first seen (`pairs`), so
        // finding it costs no allocation and no slice comparison per instance.
        let mut pairs: HashMap<(usize, usize, u32), usize> = HashMap::new();
        let mut bucket_of: Vec<usize> = Vec::new();
        let mut values: Vec<Vec<u32>> = Vec::new();
        // Each feasible instance with its bucket and local key, in one list; the heaps are
        // made from it at the end (each built whole, its size known, not grown and sifted
        // push by push).
        let mut entries: Vec<(usize, Reverse<(Key, InstanceIx)>)> =
            Vec::with_capacity(eligible.nodes.len());
        let n = p.cluster.nodes.len();
        let mut node_bucket = vec![usize::MAX; n];
        // Only the launch target's eligible instances (the others fail stage 1 whatever
        // lands), those that pass, with their local keys: kept between calls when the
        // placement keeps them (`feasible`).
        kept.local_keys(&cx, spec, &eligible.nodes, p.changes(), |node, local| {
            let mut key = 0usize;
            for (j, v) in value_of.iter().enumerate() {
                key = if j == 0 {
                    v[node.at()] as usize
                } else {
                    let next = pairs.len();
                    *pairs.entry((j, key, v[node.at()])).or_insert(next)
                };
            }
            if key >= bucket_of.len() {
                bucket_of.resize(key + 1, usize::MAX);
            }
            if bucket_of[key] == usize::MAX {
                bucket_of[key] = values.len();
                values.push(value_of.iter().map(|v| v[node.at()]).collect());
            }
            let b = bucket_of[key];
            node_bucket[node.at()] = b;
            entries.push((b, Reverse((local, node))));
        });
        let mut sizes = vec![0usize; values.len()];
        for (b, _) in &entries {
            sizes[*b] += 1;
        }
        let mut heaps: Vec<Vec<Reverse<(Key, InstanceIx)>>> =
            sizes.into_iter().map(Vec::with_capacity).collect();
        for (b, e) in entries {
            heaps[b].push(e);
        }
        let buckets = values
            .into_iter()
            .zip(heaps)
            .map(|(values, heap)| Bucket {
                values,
                heap: BinaryHeap::from(heap),
            })
            .collect();
        p.feasible = kept;
        Index {
            group,
            value_of,
            counts,
            buckets,
            node_bucket,
            watch: eligible.is.clone(),
        }
    }

    fn place(&mut self, p: &mut Placement, runs: &mut Runs, spec: SpecIx, tasks: &[TaskIx]) {
        let prefix = self.counts.len();
        let group = self.group;
        for (i, &t) in tasks.iter().enumerate() {
            let mut best: Option<(Key, InstanceIx, usize)> = None;
            for (b, bucket) in self.buckets.iter().enumerate() {
                let Some(Reverse((local, node))) = bucket.heap.peek() else {
                    continue;
                };
                let mut k = *local;
                for ((kj, c), v) in k.iter_mut().zip(&self.counts).zip(&bucket.values) {
                    *kj = c[*v as usize] as i64;
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
            runs.landed(spec, group, node);
            for j in 0..prefix {
                self.counts[j][self.buckets[b].values[j] as usize] += 1;
            }
            // The chosen instance is still the top of its bucket: update its key in place (one
            // sift) or drop it when it can take no more of this spec.
            debug_assert_eq!(self.node_bucket[node.at()], b);
            let cx = p.context();
            let new_key =
                passes(&cx, spec, node, Check::AGAIN).then(|| strategy::local_key(&cx, spec, node));
            if let Some(mut top) = self.buckets[b].heap.peek_mut() {
                match new_key {
                    Some(k) => top.0 = (k, node),
                    None => {
                        std::collections::binary_heap::PeekMut::pop(top);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
#[path = "select_tests.rs"]
mod tests;
