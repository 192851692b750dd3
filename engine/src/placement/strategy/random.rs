//! `random` (`task-placement-strategies.md`, "Strategy types": "Tasks are placed randomly"), and
//! the tie-break after the chain.
//!
//! AWS specifies neither the draw nor how ECS chooses among instances the chain leaves equal.
//! The planner draws a number per (instance, group, tasks of the group already on the
//! instance) from the seed (`settings.seed` or `--seed`): the same plan and seed always give
//! the same placement, and an instance's draw changes each time it receives a task of the
//! group, so `random` does not keep choosing the same instance. `random` and the tie-break use
//! different salts, so they are independent. Lower draws rank first. Scale-in under `random`
//! draws per (instance, group, task).

use crate::cluster::InstanceIx;
pub use crate::seeded::mix;

/// The seeded draw for (instance, group, count); `salt` separates the `random` rule from the
/// tie-break. A number in [0, 2⁶²).
pub fn draw(seed: u64, salt: u64, node: InstanceIx, group: u32, count: u32) -> i64 {
    let h =
        mix(seed ^ mix(salt ^ mix(((node.0 as u64) << 32) ^ ((group as u64) << 8) ^ count as u64)));
    (h >> 2) as i64
}

pub const SALT_RANDOM: u64 = 0x5241_4e44;
pub const SALT_TIE: u64 = 0x5449_4553;

/// The `random` rule's value: the draw for the group's `count` tasks on the instance.
pub fn value(seed: u64, node: InstanceIx, group: u32, count: u32) -> i64 {
    draw(seed, SALT_RANDOM, node, group, count)
}

/// The tie-break after the chain, of the same kind with its own salt.
pub fn tie_break(seed: u64, node: InstanceIx, group: u32, count: u32) -> i64 {
    draw(seed, SALT_TIE, node, group, count)
}

/// Scale-in under `random`: a draw per running task.
pub fn stop_value(seed: u64, node: InstanceIx, group: u32, task: u32) -> i64 {
    draw(seed, SALT_RANDOM, node, group, task)
}

/// A draw as a number in [0, 1) for display.
pub fn unit(v: i64) -> f64 {
    v as f64 / (1u64 << 62) as f64
}

/// `random draw 0.412`.
pub fn describe(value: i64) -> String {
    format!("random draw {:.3}", unit(value))
}

/// `seeded draw 0.087`.
pub fn describe_tie_break(value: i64) -> String {
    format!("seeded draw {:.3}", unit(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_are_repeatable_independent_and_change_as_tasks_land() {
        // The same inputs, the same draw, on every platform (no OS randomness).
        assert_eq!(value(1, InstanceIx(3), 0, 0), value(1, InstanceIx(3), 0, 0));
        // Another seed, instance, group or count: another draw.
        let base = value(1, InstanceIx(3), 0, 0);
        for other in [
            value(2, InstanceIx(3), 0, 0),
            value(1, InstanceIx(4), 0, 0),
            value(1, InstanceIx(3), 1, 0),
            value(1, InstanceIx(3), 0, 1),
        ] {
            assert_ne!(base, other);
        }
        // random and the tie-break are separate draws.
        assert_ne!(
            value(1, InstanceIx(3), 0, 0),
            tie_break(1, InstanceIx(3), 0, 0)
        );
        // In [0, 1) when shown.
        for n in 0..100 {
            let u = unit(value(7, InstanceIx(n), 0, 0));
            assert!((0.0..1.0).contains(&u), "{u}");
        }
    }
}
