//! How moments are written, and the scrubber's steps. Pure functions, tested natively.

use engine::api::sim::schedule::{civil_from_days, weekday, Instant};

/// `200` → `+3m 20s`, `0` → `+0s`, `3720` → `+1h 02m 00s`.
pub fn elapsed(t: u32) -> String {
    let (h, m, s) = (t / 3600, t % 3600 / 60, t % 60);
    match (h, m) {
        (0, 0) => format!("+{s}s"),
        (0, _) => format!("+{m}m {s:02}s"),
        _ => format!("+{h}h {m:02}m {s:02}s"),
    }
}

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// The wall clock (UTC) `t` seconds after `start`: `Mon 14:05`.
pub fn wall(start: Instant, t: u32) -> String {
    let at = start + t as i64;
    let days = at.div_euclid(86_400);
    let sod = at.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}",
        DAYS[weekday(days) as usize % 7],
        sod / 3600,
        sod % 3600 / 60
    )
}

/// The date of `start`: `2026-11-23`.
pub fn date(start: Instant) -> String {
    let (y, m, d) = civil_from_days(start.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The scrubber's arrow-key step for a run of `duration` seconds: the smallest of 1, 2, 5,
/// 10, 15, 30 s, 1, 2, 5, 10 min that gives at most ~1000 steps.
pub fn step(duration: u32) -> u32 {
    const STEPS: [u32; 10] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600];
    STEPS
        .into_iter()
        .find(|s| duration / s <= 1000)
        .unwrap_or(600)
}

/// Where a scrubber key goes from `t` (None: not the scrubber's key). `big`: PageUp/PageDown
/// move a tenth of the run.
pub fn key_target(key: &str, t: u32, duration: u32) -> Option<u32> {
    let s = step(duration);
    let tenth = (duration / 10).max(s);
    Some(match key {
        "ArrowRight" | "ArrowUp" => t.saturating_add(s).min(duration),
        "ArrowLeft" | "ArrowDown" => t.saturating_sub(s),
        "PageUp" => t.saturating_add(tenth).min(duration),
        "PageDown" => t.saturating_sub(tenth),
        "Home" => 0,
        "End" => duration,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_are_written_as_elapsed_time_or_wall_clock() {
        assert_eq!(elapsed(0), "+0s");
        assert_eq!(elapsed(200), "+3m 20s");
        assert_eq!(elapsed(3720), "+1h 02m 00s");
        // 2026-01-05 was a Monday.
        let monday = engine::api::sim::schedule::parse_instant("2026-01-05T00:00:00Z").unwrap();
        assert_eq!(wall(monday, 0), "Mon 00:00");
        assert_eq!(wall(monday, 14 * 3600 + 5 * 60 + 59), "Mon 14:05");
        assert_eq!(wall(monday, 86_400 + 60), "Tue 00:01");
        assert_eq!(date(monday), "2026-01-05");
    }

    #[test]
    fn keys_step_through_the_run() {
        assert_eq!(step(600), 1);
        assert_eq!(step(1500), 2);
        assert_eq!(step(86_400), 120);
        assert_eq!(key_target("ArrowRight", 0, 86_400), Some(120));
        assert_eq!(key_target("ArrowLeft", 60, 86_400), Some(0));
        assert_eq!(key_target("End", 5, 600), Some(600));
        assert_eq!(key_target("Home", 5, 600), Some(0));
        assert_eq!(key_target("PageUp", 590, 600), Some(600));
        assert_eq!(key_target("PageDown", 100, 600), Some(40));
        assert_eq!(key_target("x", 5, 600), None);
    }
}
