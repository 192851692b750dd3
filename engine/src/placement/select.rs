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
//!
//! The index is lazy: most runs place a few tasks on a provider's thousands of instances, so a
//! build ranks each instance by a cheap lower bound of its key (`strategy::bound_key`) and
//! leaves stages 2–3 for later. Only an instance that reaches the top of its bucket is checked
//! and given its exact key ([`Index::settle`]); the rest are never looked at again unless they
//! could be the best. An instance's verdict and key can only change when a task lands on it,
//! so checking one when it reaches the top gives what checking it at the build would have.

use super::pipeline::{may_fit, passes, static_member_of, Check, Context};
use super::state::State;
use super::strategy::{self, binpack, Key, Rule, KEY_LEN};
use super::{InstanceIx, Placement, SpecIx, TaskIx};
use std::cmp::Reverse;
use std::collections::binary_heap::PeekMut;
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
    kept: Vec<(SpecIx, AnyIndex)>,
}

impl Runs {
    /// A task of `spec` (of `group`) landed on `node`: the other indexes follow.
    fn landed(&mut self, spec: SpecIx, group: u32, node: InstanceIx) {
        self.kept
            .retain_mut(|(s, index)| *s == spec || index.follow(group, node));
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
            None => AnyIndex::build(p, spec),
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

/// A spec's index, its heaps' entries as narrow as its chain allows ([`Packed`]): most chains
/// have one instance-local rule, so two places (the rule's value and the tie-break) order
/// their candidates, 24-byte entries instead of 56 to build and sift.
enum AnyIndex {
    Narrow(Index<2>),
    Wide(Index<KEY_LEN>),
}

impl AnyIndex {
    fn build(p: &mut Placement, spec: SpecIx) -> AnyIndex {
        let rules = &p.specs[spec].chain.rules;
        let prefix = rules.iter().position(Rule::is_local).unwrap_or(rules.len());
        if rules.len() + 1 - prefix <= 2 {
            AnyIndex::Narrow(Index::build(p, spec))
        } else {
            AnyIndex::Wide(Index::build(p, spec))
        }
    }

    fn place(&mut self, p: &mut Placement, runs: &mut Runs, spec: SpecIx, tasks: &[TaskIx]) {
        match self {
            AnyIndex::Narrow(index) => index.place(p, runs, spec, tasks),
            AnyIndex::Wide(index) => index.place(p, runs, spec, tasks),
        }
    }

    /// A task of another spec (of `group`) landed on `node`: whether the index may be kept.
    fn follow(&mut self, group: u32, node: InstanceIx) -> bool {
        match self {
            AnyIndex::Narrow(index) => index.follow(group, node),
            AnyIndex::Wide(index) => index.follow(group, node),
        }
    }
}

/// The places of a local key ([`strategy::local_key`]) that can differ between instances:
/// `W` of them from the first instance-local rule's (`prefix`). The places before it (the
/// attribute spreads, kept per bucket) and after the tie-break are 0 in every local key, so
/// packed keys order candidates as their keys do.
type Packed<const W: usize> = [i64; W];

/// `key`'s places from `prefix`, `W` of them (fewer when the key ends first).
fn pack<const W: usize>(key: &Key, prefix: usize) -> Packed<W> {
    let n = W.min(KEY_LEN - prefix);
    debug_assert!(
        key[..prefix]
            .iter()
            .chain(&key[prefix + n..])
            .all(|&v| v == 0),
        "only the packed places of a local key are set"
    );
    let mut out = [0; W];
    out[..n].copy_from_slice(&key[prefix..prefix + n]);
    out
}

/// `key`'s places from `from`, `W` of them (0 past the key's end), whatever the others hold:
/// what [`strategy::local_places`] must give.
#[cfg(test)]
fn pack_unchecked<const W: usize>(key: &Key, from: usize) -> Packed<W> {
    let mut out = [0; W];
    for (i, place) in out.iter_mut().enumerate() {
        *place = key.get(from + i).copied().unwrap_or(0);
    }
    out
}

/// The local key `pack` packed.
fn unpack<const W: usize>(packed: &Packed<W>, prefix: usize) -> Key {
    let n = W.min(KEY_LEN - prefix);
    let mut key = [0; KEY_LEN];
    key[prefix..prefix + n].copy_from_slice(&packed[..n]);
    key
}

struct Bucket<const W: usize> {
    /// Value ids (see `value_of` in `indexed`) of the leading attribute spreads.
    values: Vec<u32>,
    /// Candidates with their exact keys, packed, checked (`Index::checked`) or, when the
    /// bounds are the keys, not yet.
    heap: BinaryHeap<Reverse<(Packed<W>, InstanceIx)>>,
    /// Candidates not yet looked at, by the bound of their key: its one value (at `bound_at`,
    /// binpack's free resource), the rest of the bound being below any key. Compact, so that
    /// the thousands of instances a run never reaches cost little to rank.
    bounds: BinaryHeap<Reverse<(i64, InstanceIx)>>,
}

/// A spec's candidates: its feasible instances in buckets by the values of the chain's leading
/// attribute spreads, each a heap by the rest of the key (its `W` places from `prefix`).
struct Index<const W: usize> {
    group: u32,
    /// How many leading attribute spreads: where the packed keys' places start.
    prefix: usize,
    /// The leading attribute spreads' counts (strategy::spread), with attribute values as small
    /// ids: `value_of[j][node]`, `counts[j][id]`.
    value_of: Vec<Vec<u32>>,
    counts: Vec<Vec<u32>>,
    buckets: Vec<Bucket<W>>,
    /// Instances whose verdict or key a task landing on them could change: those that are
    /// eligible (stage 1 is static within a placement). See [`Runs`].
    watch: Vec<bool>,
    /// Per instance: its `heap` entry passed stages 2–3.
    checked: Vec<bool>,
    /// Where the key is bounded (`strategy::binpack_first`): `None`, the bounds are the keys
    /// and every candidate starts in `heap`, unchecked; else every candidate starts in
    /// `bounds`.
    bound_at: Option<usize>,
}

impl<const W: usize> Index<W> {
    /// A task of another spec (of `group`) landed on `node`: the spread counts follow, and
    /// the index is dropped (false) when `node` is one of its own.
    fn follow(&mut self, group: u32, node: InstanceIx) -> bool {
        if self.watch[node.at()] {
            return false;
        }
        if self.group == group {
            for (j, c) in self.counts.iter_mut().enumerate() {
                c[self.value_of[j][node.at()] as usize] += 1;
            }
        }
        true
    }

    fn build(p: &mut Placement, spec: SpecIx) -> Index<W> {
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
        let mut numbering = Numbering::default();
        // Each instance that may fit, with the bound of its local key, in its bucket's list;
        // the heaps are made from the lists at the end (each built whole, its size known, not
        // grown and sifted push by push).
        let first_binpack = strategy::binpack_first(rules);
        let bound_at = first_binpack.map(|(j, _)| j);
        // A bucket's share of the candidates: the first spread's values split them.
        let share = eligible.nodes.len() / counts.first().map_or(1, |c| c.len().max(1)) + 1;
        let mut exact: Parts<Reverse<(Packed<W>, InstanceIx)>> = Parts::new(share);
        let mut bounded: Parts<Reverse<(i64, InstanceIx)>> = Parts::new(share);
        let n = p.cluster.nodes.len();
        let mut checked = vec![false; n];
        {
            let mut bucket_for = |node: InstanceIx| numbering.bucket(&value_of, node);
            if kept.is_on() {
                // The simulator's calls: the instances that pass, with their exact local
                // keys, kept between calls (`feasible`) and recomputed only where an instance
                // changed; every candidate starts checked in `heap`.
                kept.local_keys(&cx, spec, &eligible.nodes, p.changes(), |node, local| {
                    let b = bucket_for(node);
                    checked[node.at()] = true;
                    exact.push(b, Reverse((pack(&local, prefix), node)));
                });
            } else {
                let member_of = static_member_of(&cx, spec);
                // The bound of each candidate's key (`strategy::bound_key`), computed here
                // without building a whole key per instance: the binpack's value, or (when
                // the bound is the key) the local key's packed places (`local_places`) with
                // the group's count on the instance read from `group_counts` rather than from
                // each instance's list of groups.
                let here = match first_binpack {
                    Some(_) => Vec::new(),
                    None => group_counts(&p.state, group, n),
                };
                // Only the launch target's eligible instances: the others fail stage 1
                // whatever lands.
                for &node in &eligible.nodes {
                    if !may_fit(&cx, spec, node, &member_of) {
                        continue;
                    }
                    let b = bucket_for(node);
                    match first_binpack {
                        None => {
                            let count = here[node.at()];
                            let packed = strategy::local_places(&cx, spec, node, count, prefix);
                            exact.push(b, Reverse((packed, node)));
                        }
                        Some((_, r)) => {
                            let (at, used) = (&cx.cluster.nodes[node], &cx.state.usage[node]);
                            bounded.push(b, Reverse((binpack::value(at, used, r), node)));
                        }
                    }
                }
            }
        }
        let nb = numbering.values.len();
        let buckets = numbering
            .values
            .into_iter()
            .zip(exact.heaps(nb).zip(bounded.heaps(nb)))
            .map(|(values, (heap, bounds))| Bucket {
                values,
                heap,
                bounds,
            })
            .collect();
        p.feasible = kept;
        Index {
            group,
            prefix,
            value_of,
            counts,
            buckets,
            watch: eligible.is.clone(),
            checked,
            bound_at,
        }
    }

    /// Brings bucket `b` to a checked top with its exact key. A bound that could beat the
    /// checked top (its value at most the top's there: the rest of a bound is below any key)
    /// is taken out of `bounds`, checked and, when it passes, keyed into `heap`; an unchecked
    /// top of `heap` is checked, and dropped when it fails. Every candidate left is then
    /// ranked at or after the top, as in a build that checked and keyed every instance.
    fn settle(&mut self, cx: &Context, spec: SpecIx, b: usize) {
        let bucket = &mut self.buckets[b];
        loop {
            if let Some(j) = self.bound_at {
                let top = bucket.heap.peek().map(|Reverse((k, _))| k[j - self.prefix]);
                if let Some(Reverse((bound, node))) = bucket.bounds.peek().copied() {
                    if top.is_none_or(|t| bound <= t) {
                        bucket.bounds.pop();
                        if passes(cx, spec, node, Check::PLACE_ON_ELIGIBLE) {
                            self.checked[node.at()] = true;
                            let key = strategy::local_key(cx, spec, node);
                            bucket.heap.push(Reverse((pack(&key, self.prefix), node)));
                        }
                        continue;
                    }
                }
            }
            let Some(top) = bucket.heap.peek_mut() else {
                return;
            };
            let node = top.0 .1;
            if self.checked[node.at()] {
                return;
            }
            if passes(cx, spec, node, Check::PLACE_ON_ELIGIBLE) {
                self.checked[node.at()] = true;
            } else {
                PeekMut::pop(top);
            }
        }
    }

    fn place(&mut self, p: &mut Placement, runs: &mut Runs, spec: SpecIx, tasks: &[TaskIx]) {
        let prefix = self.counts.len();
        let group = self.group;
        for (i, &t) in tasks.iter().enumerate() {
            let cx = p.context().with_verdicts(&p.static_verdicts);
            for b in 0..self.buckets.len() {
                self.settle(&cx, spec, b);
            }
            let mut best: Option<(Key, InstanceIx, usize)> = None;
            for (b, bucket) in self.buckets.iter().enumerate() {
                let Some(Reverse((local, node))) = bucket.heap.peek() else {
                    continue;
                };
                let mut k = unpack(local, self.prefix);
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
            let cx = p.context();
            let new_key =
                passes(&cx, spec, node, Check::AGAIN).then(|| strategy::local_key(&cx, spec, node));
            if let Some(mut top) = self.buckets[b].heap.peek_mut() {
                match new_key {
                    Some(k) => top.0 = (pack(&k, self.prefix), node),
                    None => {
                        PeekMut::pop(top);
                    }
                }
            }
        }
    }
}

/// Numbers buckets as their instances are first seen. An instance's bucket is numbered by its
/// leading spreads' value ids: the first spread's id, then (number so far, next id) numbered
/// as first seen (`pairs`), so finding it costs no allocation and no slice comparison per
/// instance.
#[derive(Default)]
struct Numbering {
    pairs: HashMap<(usize, usize, u32), usize>,
    /// Per number, its bucket (`usize::MAX`: none yet).
    bucket_of: Vec<usize>,
    /// Per bucket, its value ids.
    values: Vec<Vec<u32>>,
}

impl Numbering {
    /// `node`'s bucket (`value_of` as in [`Index`]): a lookup, unless its bucket is new.
    #[inline(always)]
    fn bucket(&mut self, value_of: &[Vec<u32>], node: InstanceIx) -> usize {
        let key = match value_of {
            [] => 0,
            [v] => v[node.at()] as usize,
            _ => self.number(value_of, node),
        };
        match self.bucket_of.get(key) {
            Some(&b) if b != usize::MAX => b,
            _ => self.first_seen(key, value_of, node),
        }
    }

    /// The number of `node`'s value ids, with two or more leading spreads.
    fn number(&mut self, value_of: &[Vec<u32>], node: InstanceIx) -> usize {
        let mut key = 0usize;
        for (j, v) in value_of.iter().enumerate() {
            key = if j == 0 {
                v[node.at()] as usize
            } else {
                let next = self.pairs.len();
                *self.pairs.entry((j, key, v[node.at()])).or_insert(next)
            };
        }
        key
    }

    /// A bucket for number `key`, first seen at `node`.
    #[cold]
    fn first_seen(&mut self, key: usize, value_of: &[Vec<u32>], node: InstanceIx) -> usize {
        if key >= self.bucket_of.len() {
            self.bucket_of.resize(key + 1, usize::MAX);
        }
        self.bucket_of[key] = self.values.len();
        self.values
            .push(value_of.iter().map(|v| v[node.at()]).collect());
        self.bucket_of[key]
    }
}

/// The group's tasks on each of `n` instances, read from the instances it ran on
/// ([`State::placed_on`]): what `Usage::group_count` gives for each.
fn group_counts(state: &State, group: u32, n: usize) -> Vec<u32> {
    let mut here = vec![0u32; n];
    for &i in state.placed_on(group) {
        here[i.at()] = state.usage[i].group_count(group);
    }
    here
}

/// A build's candidates, one list per bucket, each made a heap whole at the end (its size
/// known, not grown and sifted push by push). Pushed into its bucket's list as found, rather
/// than into one list of (bucket, entry) pairs copied into parts afterwards: one copy of every
/// candidate less.
struct Parts<T> {
    lists: Vec<Vec<T>>,
    /// The capacity a bucket's list starts with.
    share: usize,
}

impl<T: Ord> Parts<T> {
    fn new(share: usize) -> Parts<T> {
        Parts {
            lists: Vec::new(),
            share,
        }
    }

    #[inline(always)]
    fn push(&mut self, bucket: usize, entry: T) {
        if bucket >= self.lists.len() {
            self.grow(bucket);
        }
        self.lists[bucket].push(entry);
    }

    #[cold]
    fn grow(&mut self, bucket: usize) {
        while self.lists.len() <= bucket {
            self.lists.push(Vec::with_capacity(self.share));
        }
    }

    /// One heap for each of `buckets` buckets (empty for those that got no entry).
    fn heaps(mut self, buckets: usize) -> impl Iterator<Item = BinaryHeap<T>> {
        self.lists
            .resize_with(buckets.max(self.lists.len()), Vec::new);
        self.lists.into_iter().map(BinaryHeap::from)
    }
}

#[cfg(test)]
#[path = "select_tests.rs"]
mod tests;
