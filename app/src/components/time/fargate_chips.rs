//! The Fargate lane of the moment board in blocks of chips: a scrub step rebuilds and writes
//! only the blocks with a chip whose key changed.
//!
//! Why: the quota plan runs 500–1 600 tasks on Fargate, and the lane was one list written whole
//! whenever any of them changed (Fargate Spot tasks do, most steps): a thousand-odd chips built
//! and parsed again per step. The blocks are `display: contents` lists in one flex container,
//! so the chips wrap as one list, as before.
//!
//! Blocks are cut by the tasks they hold, not by position: a block ends after a task whose
//! number scrambles to a multiple of [`EVERY`] (or after [`MOST`] chips). A task that starts or
//! stops changes its own block only; a cut by position would shift every block after it.

use std::sync::Arc;

use engine::api::sim::ChipKey;

use super::moment_lane::Card;

/// One block in about this many chips ends (the mean size of a block).
pub const EVERY: u64 = 32;

/// No block holds more chips than this, whatever the tasks' numbers.
pub const MOST: usize = 128;

/// splitmix64's finaliser: spreads task numbers and keys over the bits.
fn scramble(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Where `chips` are cut into blocks: the end of each block (the last is `chips.len()`; none
/// when there are no chips).
pub fn cuts(chips: &[ChipKey]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in chips.iter().enumerate() {
        if scramble(c.task as u64).is_multiple_of(EVERY) || i + 1 - start >= MOST {
            out.push(i + 1);
            start = i + 1;
        }
    }
    if start < chips.len() {
        out.push(chips.len());
    }
    out
}

/// The blocks of `chips`: a block of `prev` (same run) keeps its HTML when its key is the
/// same, the others are built chip by chip with `chip`.
pub fn blocks(prev: &[Card], chips: &[ChipKey], chip: impl Fn(&ChipKey, &mut String)) -> Vec<Card> {
    let mut start = 0;
    cuts(chips)
        .into_iter()
        .map(|end| {
            let part = &chips[start..end];
            start = end;
            let key = part
                .iter()
                .fold(scramble(part.len() as u64), |h, c| scramble(h ^ c.key));
            let html = match prev.iter().find(|b| b.key == key) {
                Some(b) => Arc::clone(&b.html),
                None => {
                    let mut out = String::new();
                    for c in part {
                        chip(c, &mut out);
                    }
                    Arc::from(out)
                }
            };
            Card {
                key,
                tasks: part.len(),
                html,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chips(tasks: impl IntoIterator<Item = usize>) -> Vec<ChipKey> {
        tasks
            .into_iter()
            .map(|k| ChipKey {
                task: k,
                key: k as u64 * 7,
            })
            .collect()
    }

    #[test]
    fn blocks_are_cut_by_tasks_so_a_new_task_changes_one_block() {
        let all = chips(0..2_000);
        let cut = cuts(&all);
        assert_eq!(cut.last(), Some(&2_000));
        assert!(cut.windows(2).all(|w| w[0] < w[1] && w[1] - w[0] <= MOST));
        assert!(cut.len() > 20 && cut.len() < 200, "{} blocks", cut.len());
        assert!(cuts(&[]).is_empty());
        let write = |c: &ChipKey, out: &mut String| out.push_str(&format!("<li>{}</li>", c.task));
        let before = blocks(&[], &all, write);
        let whole: String = before.iter().map(|b| &*b.html).collect();
        let plain: String = all.iter().map(|c| format!("<li>{}</li>", c.task)).collect();
        assert_eq!(whole, plain, "the blocks hold every chip, in order");
        // A task gone from the middle: one block differs, the others keep their keys.
        let mut fewer = all.clone();
        fewer.remove(1_000);
        let built = std::cell::Cell::new(0);
        let after = blocks(&before, &fewer, |c, out| {
            built.set(built.get() + 1);
            write(c, out)
        });
        let new: Vec<&Card> = after.iter().filter(|b| !before.contains(b)).collect();
        assert!(new.len() <= 2, "{} blocks changed", new.len());
        assert!(built.get() <= 2 * MOST);
        let whole: String = after.iter().map(|b| &*b.html).collect();
        let plain: String = fewer
            .iter()
            .map(|c| format!("<li>{}</li>", c.task))
            .collect();
        assert_eq!(whole, plain);
    }
}
