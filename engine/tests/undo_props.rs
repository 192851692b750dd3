//! What the page's undo history counts on, over random plans and random runs of edits (the
//! board's instance edits and desired counts):
//! - a plan kept as a [`PlanDelta`] against its neighbour comes back exactly, either way and
//!   along the whole run (the history keeps each plan against the next one);
//! - placing after each edit again, from the same placement before, gives the same placement
//!   (tasks, where they are, every event in order): the history keeps only some placements
//!   and places the others again when undo reaches them;
//! - the board updated after each edit from the board before ([`board_after`]) is the board
//!   built whole, and says whether it changed.

use engine::api::board::{board, board_after, board_updated};
use engine::api::edit::{apply, Edit, PlanDelta};
use engine::api::placement::{place, place_keeping, PlaceOptions, Placement};
use engine::api::plan::{load_value, Plan};
use proptest::prelude::*;
use testkit::plans;

fn plan() -> impl Strategy<Value = Plan> {
    plans::plan().prop_map(|v| {
        let l = load_value(v);
        l.plan
            .unwrap_or_else(|| panic!("generated plan invalid: {:#?}", l.findings))
    })
}

/// The board edit `testkit`'s chooser picks for `pick`, as the engine's type.
fn edit_of(plan: &Plan, pick: (u8, usize, u32)) -> Option<Edit> {
    let chosen = testkit::edits::edit_of(&serde_json::to_value(plan).ok()?, pick)?;
    Some(serde_json::from_value(chosen).expect("the chooser's edit is a board edit"))
}

/// What a user sees of a placement and what explanations replay.
fn seen(plan: &Plan, p: &Placement) -> String {
    format!("{:?} {:?} {:?}", board(plan, p), p.tasks, p.events)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn undo_gets_plans_and_placements_back_exactly(
        start in plan(),
        picks in prop::collection::vec((any::<u8>(), any::<usize>(), any::<u32>()), 1..8),
    ) {
        let opts = PlaceOptions::for_plan(&start);
        let mut plans = vec![start.clone()];
        let mut placed = vec![place(&start, &opts)];
        for pick in picks {
            let now = plans.last().expect("a plan");
            let Some(e) = edit_of(now, pick) else { continue };
            let Ok(next) = apply(now, &e) else { continue };
            let p = place_keeping(&next, &opts, placed.last().expect("a placement"));
            plans.push(next);
            placed.push(p);
        }
        // Each plan against the next, restored back along the run from the last.
        let deltas: Vec<PlanDelta> = plans.windows(2).map(|w| PlanDelta::between(&w[0], &w[1])).collect();
        let mut back = plans.last().expect("a plan").clone();
        for (k, d) in deltas.iter().enumerate().rev() {
            back = d.restore(&back);
            prop_assert_eq!(&back, &plans[k]);
        }
        // And forward, each against the one before.
        for w in plans.windows(2) {
            prop_assert_eq!(&PlanDelta::between(&w[1], &w[0]).restore(&w[0]), &w[1]);
        }
        // Placed again along the run, every placement is the same.
        let mut again = place(&plans[0], &opts);
        prop_assert_eq!(seen(&plans[0], &again), seen(&plans[0], &placed[0]));
        for k in 1..plans.len() {
            again = place_keeping(&plans[k], &opts, &again);
            prop_assert_eq!(seen(&plans[k], &again), seen(&plans[k], &placed[k]));
        }
    }

    #[test]
    fn the_board_updated_after_each_edit_is_the_board_built_whole(
        start in plan(),
        picks in prop::collection::vec((any::<u8>(), any::<usize>(), any::<u32>()), 1..8),
        afresh in any::<u8>(),
    ) {
        let opts = PlaceOptions::for_plan(&start);
        let mut now = start;
        let mut p = place(&now, &opts);
        let mut shown = board(&now, &p);
        for (k, pick) in picks.into_iter().enumerate() {
            let Some(e) = edit_of(&now, pick) else { continue };
            let Ok(next) = apply(&now, &e) else { continue };
            // Now and then the same placement again (nothing changed), or one placed afresh.
            p = match (k as u8).wrapping_add(afresh) % 4 {
                0 => place(&next, &opts),
                1 => p,
                _ => place_keeping(&next, &opts, &p),
            };
            let whole = board(&next, &p);
            let before = shown.clone();
            let (after, changed) = board_after(&next, &p, shown);
            prop_assert_eq!(&after, &whole);
            prop_assert_eq!(changed, before != whole);
            // The kept cards are exactly those equal to the card of the same index before
            // (the page writes again only the others).
            let u = board_updated(&next, &p, before.clone());
            prop_assert_eq!(&u.board, &whole);
            let cards = |b: &engine::api::board::Board| {
                let mut at = vec![None; p.cluster.nodes.len()];
                for c in b.lanes.iter().flat_map(|l| &l.instances) {
                    if let Some(slot) = at.get_mut(c.index.at()) {
                        *slot = Some(c.clone());
                    }
                }
                at
            };
            let (was, is) = (cards(&before), cards(&whole));
            let plain: Vec<bool> = is
                .iter()
                .zip(&was)
                .map(|(n, w)| n.is_some() && n == w)
                .collect();
            prop_assert_eq!(u.kept, plain);
            shown = after;
            now = next;
        }
    }
}

/// The chooser reads the plan as its JSON document: on a sample plan with instances, zones and
/// services every kind of edit is chosen and applies (if the document's names drifted from the
/// chooser's, the property tests above would skip every edit and prove nothing).
#[test]
fn every_kind_of_edit_is_chosen_on_a_sample_plan() {
    let text = include_str!("../../public/plans/mixed-memberof.json");
    let plan = engine::api::plan::load(text)
        .plan
        .expect("the sample plan loads");
    for kind in 0..5u8 {
        let e = edit_of(&plan, (kind, 1, 2)).unwrap_or_else(|| panic!("kind {kind}: no edit"));
        assert!(
            apply(&plan, &e).is_ok(),
            "kind {kind}: {e:?} does not apply"
        );
    }
}
