//! Stable sorts that cost the page's wasm one sort routine in all, not one per element type.
//!
//! `slice::sort_by` compiles the whole standard sort (driftsort: ~4–5 KB of wasm) once per
//! element type and comparison; the page linked ~250 such functions (130 KB before
//! `wasm-opt`). These sort a list of positions instead, with the comparison behind a `dyn`
//! call, so the sort itself is compiled once, then move the elements into that order. The
//! result is the one `slice::sort_by` gives with the same comparison (both are stable: equal
//! elements keep their order), which the tests check against it. For the placement's hot
//! loops, keep the standard sort: the `dyn` comparison is slower.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `v` by `cmp`, stably: the order `v.sort_by(cmp)` gives.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = sorted_positions(v.len(), &mut |a, b| cmp(&v[a], &v[b]));
    permute(v, order);
}

/// Sorts `v` by the key `key` gives, stably: the order `v.sort_by_key(key)` gives.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` in its natural order, stably: the order `v.sort()` gives.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// The map of `pairs`, as `collect::<BTreeMap<_, _>>()` makes it (the last value of a key
/// wins), without the sort `collect` compiles for each key and value type.
pub fn map_of<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (k, v) in pairs {
        map.insert(k, v);
    }
    map
}

/// The set of `items`, as `collect::<BTreeSet<_>>()` makes it, without its sort.
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    for t in items {
        set.insert(t);
    }
    set
}

/// The positions `0..n` in the order `cmp` gives them (stable): the one monomorphic sort.
#[inline(never)]
fn sorted_positions(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Moves `v`'s elements so that `v[i]` becomes the element that was at `order[i]`, following
/// each cycle of the permutation with swaps (no copies of the elements, no `Clone`).
fn permute<T>(v: &mut [T], order: Vec<usize>) {
    let mut placed = vec![false; v.len()];
    for start in 0..v.len() {
        let mut at = start;
        while !placed[at] {
            placed[at] = true;
            let from = order[at];
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same order as the standard stable sort, with many equal keys (the pairs' second
        /// members tell equal keys apart, so a reordering of equals would show).
        // The standard `sort_by` is the reference here, as written.
        #[allow(clippy::unnecessary_sort_by)]
        #[test]
        fn sort_by_is_the_standard_stable_sort(keys in proptest::collection::vec(0u8..6, 0..200)) {
            let items: Vec<(u8, usize)> = keys.iter().copied().zip(0..).collect();
            let mut ours = items.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = items.clone();
            std.sort_by(|a, b| a.0.cmp(&b.0));
            prop_assert_eq!(&ours, &std);
            let mut ours = items.clone();
            sort_by_key(&mut ours, |a| std::cmp::Reverse(a.0));
            let mut std = items;
            std.sort_by_key(|a| std::cmp::Reverse(a.0));
            prop_assert_eq!(ours, std);
        }

        #[test]
        fn sort_is_the_standard_sort(words in proptest::collection::vec("[a-c]{0,3}", 0..100)) {
            let mut ours = words.clone();
            sort(&mut ours);
            let mut std = words;
            std.sort();
            prop_assert_eq!(ours, std);
        }
    }

    proptest! {
        #[test]
        fn maps_and_sets_are_those_collect_makes(pairs in proptest::collection::vec((0u8..20, 0u16..5), 0..60)) {
            let ours = map_of(pairs.iter().copied());
            let std: BTreeMap<u8, u16> = pairs.iter().copied().collect();
            prop_assert_eq!(ours, std);
            let ours = set_of(pairs.iter().map(|p| p.0));
            let std: BTreeSet<u8> = pairs.iter().map(|p| p.0).collect();
            prop_assert_eq!(ours, std);
        }
    }

    #[test]
    fn empty_and_single_lists_are_sorted() {
        let mut none: Vec<String> = Vec::new();
        sort(&mut none);
        assert!(none.is_empty());
        let mut one = vec!["x".to_string()];
        sort(&mut one);
        assert_eq!(one, ["x"]);
    }
}
