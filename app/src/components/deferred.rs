//! Big boards: virtualised lanes. Only the instance cards in and near the view are on the page;
//! the first drawn card's top margin and the last one's bottom margin (`--above`, `--below` on
//! the lane) stand for the cards not drawn, so each lane is as tall as all its cards would be,
//! the scrollbar is right and scrolling brings the next cards in.
//!
//! Why: the quota plan (5 000 instances, 50 000 tasks) drawn whole is ~72 000 elements; style,
//! layout and the first render of them all made the page answer input only after ~3 s and
//! scroll at 12 frames a second. A window of cards costs the same whatever the cluster's size.
//!
//! A card's height is measured once it has been drawn (by its content's key, and by its number
//! of tasks); a card not drawn yet is estimated from the engine's card data: the measured
//! height of a card with as many tasks, else of the nearest count. The keyboard's drags reach
//! every card ([`instance_targets`], [`reveal`]): the lane scrolls the card into view and draws
//! it before it takes the focus.
//!
//! Small boards (up to [`VIRTUAL_ABOVE`] instances) are drawn whole: every task is reachable with
//! Tab and by assistive technology without scrolling. The board says when it draws a window.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::drag::Target;

/// Boards with more instances than this draw only the cards in and near the view.
pub const VIRTUAL_ABOVE: usize = 60;

/// The lane's gap between cards (`.lane` in styles.css): part of every card's slot.
pub const GAP: f64 = 10.0;

/// How far beyond the view, above and below, cards are drawn (a fast scroll rarely sees a gap).
pub const MARGIN: f64 = 900.0;

/// A card's height before any card was measured (a card with a handful of tasks).
const FIRST_GUESS: f64 = 200.0;

/// Whether a board of `instances` instances draws a window of its cards.
pub fn windowed(instances: usize) -> bool {
    instances > VIRTUAL_ABOVE
}

/// Card heights as drawn: by the key of what a card shows, and by its number of tasks.
#[derive(Default)]
pub struct Heights {
    by_key: HashMap<u64, f64>,
    /// (tasks, height), sorted by tasks.
    by_tasks: Vec<(usize, f64)>,
}

impl Heights {
    /// Records a drawn card's height; returns whether it differs from what was assumed. The
    /// estimate for a number of tasks is the first card measured with it, and stays: the
    /// cards far down a lane are placed by the estimates of every card above them, so an
    /// estimate that followed each card measured (a verdict line makes a card taller) would
    /// move them all, and the window with them.
    pub fn record(&mut self, key: u64, tasks: usize, height: f64) -> bool {
        let before = self.height(key, tasks);
        self.by_key.insert(key, height);
        if let Err(i) = self.by_tasks.binary_search_by_key(&tasks, |p| p.0) {
            self.by_tasks.insert(i, (tasks, height));
        }
        (before - height).abs() > 0.5
    }

    /// A card's height: measured, or estimated from cards with as many tasks (else the
    /// nearest count).
    pub fn height(&self, key: u64, tasks: usize) -> f64 {
        if let Some(h) = self.by_key.get(&key) {
            return *h;
        }
        let i = self.by_tasks.partition_point(|p| p.0 < tasks);
        let below = i.checked_sub(1).map(|j| self.by_tasks[j]);
        match (below, self.by_tasks.get(i).copied()) {
            (_, Some((b, hb))) if b == tasks => hb,
            (Some((a, ha)), Some((b, hb))) => {
                // Between two measured counts: on the line between them.
                ha + (hb - ha) * (tasks - a) as f64 / (b - a) as f64
            }
            (Some((_, h)), None) | (None, Some((_, h))) => h,
            (None, None) => FIRST_GUESS,
        }
    }

    /// Where each card's slot starts in its lane, and the lane's end: `n + 1` offsets.
    pub fn offsets(&self, cards: impl Iterator<Item = (u64, usize)>) -> Vec<f64> {
        let mut out = vec![0.0];
        let mut at = 0.0;
        for (key, tasks) in cards {
            at += self.height(key, tasks) + GAP;
            out.push(at);
        }
        out
    }
}

thread_local! {
    static HEIGHTS: RefCell<Heights> = RefCell::new(Heights::default());
    /// The keyboard's way to every card of a windowed board (set by the board).
    static BOARD: RefCell<Option<BoardHooks>> = const { RefCell::new(None) };
    /// Each lane's way to draw the card at an index, by zone.
    static LANES: RefCell<HashMap<String, Reveal>> = RefCell::new(HashMap::new());
}

/// Runs `f` with the page's card heights.
pub fn with_heights<R>(f: impl FnOnce(&mut Heights) -> R) -> R {
    HEIGHTS.with(|h| f(&mut h.borrow_mut()))
}

/// The cards `[lo, hi)` whose slots meet `[top, bottom)` (lane coordinates, px); at least one
/// card of a lane that has any (the drawn cards' margins stand for the others).
pub fn window(offsets: &[f64], top: f64, bottom: f64) -> (usize, usize) {
    let n = offsets.len().saturating_sub(1);
    if n == 0 {
        return (0, 0);
    }
    // The first card that ends below `top`, the first that starts at or below `bottom`.
    let lo = offsets[1..].partition_point(|&end| end <= top).min(n - 1);
    let hi = offsets[..n].partition_point(|&start| start < bottom);
    (lo, hi.max(lo + 1))
}

/// Runs `f` in the next animation frame, and again in the frame after while it returns true
/// (at most `left` more times); then `done`. A lane's window settles this way: the cards it
/// adds are measured in the frame after they were drawn.
pub fn frames(f: impl Fn() -> bool + Copy + 'static, done: impl Fn() + Copy + 'static, left: u32) {
    leptos::prelude::request_animation_frame(move || {
        if f() && left > 0 {
            frames(f, done, left - 1);
        } else {
            done();
        }
    });
}

/// What a lane writes to the page once every lane has measured: its margins and window;
/// whether the window changed.
pub type Write = Box<dyn FnOnce() -> bool>;

/// A lane's measure: reads the page, gives its write (none when the lane draws every card).
pub type Measure = Rc<dyn Fn() -> Option<Write>>;

thread_local! {
    /// The windowed lanes on the page (the plan's board and the moment board), by id.
    static PASSES: RefCell<Vec<(u64, Measure)>> = const { RefCell::new(Vec::new()) };
    static NEXT: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    static PENDING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A lane joins the frame's pass; its id leaves it ([`unregister`]).
pub fn register(m: Measure) -> u64 {
    let id = NEXT.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    PASSES.with(|l| l.borrow_mut().push((id, m)));
    id
}

/// A lane leaves the frame's pass (it left the page).
pub fn unregister(id: u64) {
    PASSES.with(|l| l.borrow_mut().retain(|(i, _)| *i != id));
}

/// Every lane measures, then every lane writes: one layout of the page per frame. A lane that
/// wrote before the next one read (its margins, its window) made the browser lay the page out
/// again for each lane: after a drop on the quota plan, once per lane the drop changed.
fn relayout_all() -> bool {
    let lanes: Vec<Measure> = PASSES.with(|l| l.borrow().iter().map(|(_, m)| m.clone()).collect());
    let writes: Vec<Write> = lanes.iter().filter_map(|m| m()).collect();
    // Every write runs (no short circuit): each lane draws its own window.
    let mut moved = false;
    for w in writes {
        moved |= w();
    }
    moved
}

/// One pass a frame over every lane while a window moves (the cards it adds are measured in
/// the next).
pub fn schedule() {
    if !PENDING.with(|p| p.replace(true)) {
        frames(relayout_all, || PENDING.with(|p| p.set(false)), 8);
    }
}

/// How a lane draws its card at an index, scrolled into view.
pub type Reveal = Rc<dyn Fn(usize)>;

/// Where an instance's card is: its zone and its index in the lane.
pub type Find = Box<dyn Fn(&str) -> Option<(String, usize)>>;

/// What the board gives the keyboard drag: every instance as a drop target, in lane order, and
/// where each one is (zone, index in the lane).
pub struct BoardHooks {
    pub targets: Box<dyn Fn() -> Vec<Target>>,
    pub find: Find,
}

/// Set by a windowed board (`None` when the board is drawn whole).
pub fn set_board(hooks: Option<BoardHooks>) {
    BOARD.with(|b| *b.borrow_mut() = hooks);
}

/// A lane says how to draw its card at an index (scrolled into view).
pub fn set_lane(az: &str, reveal: Option<Reveal>) {
    LANES.with(|l| match reveal {
        Some(r) => {
            l.borrow_mut().insert(az.to_string(), r);
        }
        None => {
            l.borrow_mut().remove(az);
        }
    });
}

/// Every instance of a windowed board as a drop target (`None` when the board is drawn whole:
/// the page's elements are then every target).
pub fn instance_targets() -> Option<Vec<Target>> {
    BOARD.with(|b| b.borrow().as_ref().map(|h| (h.targets)()))
}

/// Scrolls the card of instance `id` into view and draws it (in the next frame); whether there
/// is such a card.
pub fn reveal(id: &str) -> bool {
    let Some((az, index)) = BOARD.with(|b| b.borrow().as_ref().and_then(|h| (h.find)(id))) else {
        return false;
    };
    let Some(lane) = LANES.with(|l| l.borrow().get(&az).cloned()) else {
        return false;
    };
    lane(index);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lane_measures_before_any_lane_writes() {
        let log = Rc::new(RefCell::new(Vec::<String>::new()));
        let ids: Vec<u64> = (0..3)
            .map(|k| {
                let log = log.clone();
                register(Rc::new(move || {
                    log.borrow_mut().push(format!("read {k}"));
                    let log = log.clone();
                    Some(Box::new(move || {
                        log.borrow_mut().push(format!("write {k}"));
                        k == 1
                    }) as Write)
                }))
            })
            .collect();
        assert!(relayout_all(), "lane 1's window moved");
        assert_eq!(
            *log.borrow(),
            ["read 0", "read 1", "read 2", "write 0", "write 1", "write 2"]
        );
        for id in ids {
            unregister(id);
        }
        log.borrow_mut().clear();
        assert!(!relayout_all(), "no lane left");
        assert!(log.borrow().is_empty());
    }

    #[test]
    fn only_big_boards_draw_a_window() {
        assert!(!windowed(4));
        assert!(!windowed(VIRTUAL_ABOVE));
        assert!(windowed(VIRTUAL_ABOVE + 1));
        assert!(windowed(5_000));
    }

    #[test]
    fn the_window_holds_the_cards_that_meet_the_view() {
        // Five cards of 100 px (slots of 110 with the gap).
        let h = Heights::default();
        let mut m = Heights::default();
        for k in 0..5 {
            m.record(k, 1, 100.0);
        }
        let offs = m.offsets((0..5).map(|k| (k, 1)));
        assert_eq!(offs, [0.0, 110.0, 220.0, 330.0, 440.0, 550.0]);
        assert_eq!(window(&offs, 0.0, 100.0), (0, 1));
        assert_eq!(window(&offs, 105.0, 225.0), (0, 3));
        assert_eq!(window(&offs, 110.0, 220.0), (1, 2));
        assert_eq!(window(&offs, 500.0, 9_000.0), (4, 5));
        assert_eq!(
            window(&offs, 9_000.0, 10_000.0),
            (4, 5),
            "past the end: the last"
        );
        assert_eq!(
            window(&offs, -500.0, -10.0),
            (0, 1),
            "above the lane: the first"
        );
        assert_eq!(window(&[0.0], 0.0, 100.0), (0, 0), "an empty lane");
        // Nothing measured: every card is the first guess.
        assert_eq!(h.offsets([(9, 3)].into_iter())[1], FIRST_GUESS + GAP);
    }

    #[test]
    fn unmeasured_cards_are_estimated_from_cards_with_as_many_tasks() {
        let mut h = Heights::default();
        assert!(h.record(1, 2, 150.0), "differs from the first guess");
        assert!(!h.record(1, 2, 150.0), "measured again, the same");
        h.record(2, 10, 250.0);
        assert!(h.record(3, 2, 170.0), "a card taller than the estimate");
        assert_eq!(h.height(3, 2), 170.0);
        assert_eq!(h.height(1, 2), 150.0);
        assert_eq!(h.height(77, 2), 150.0, "as many tasks");
        assert_eq!(h.height(77, 6), 200.0, "between two counts");
        assert_eq!(h.height(77, 40), 250.0, "beyond the last: the nearest");
        assert_eq!(h.height(77, 0), 150.0);
    }
}
