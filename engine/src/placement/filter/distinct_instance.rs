//! Stage 3a, the `distinctInstance` constraint (`task-placement-constraints.md`, "Constraint
//! types": "Place each task on a different container instance").
//!
//! Formula: `tasks of the group on the instance = 0`. The group is the service's tasks, or a
//! RunTask's group (`task-groups`): another service's task does not count. Reason:
//! `DistinctInstance placement constraint unsatisfied`, naming the group's task already there
//! (the one that landed last).

use super::Rejection;
use crate::placement::state::Usage;
use crate::placement::TaskIx;

/// `group`'s tasks on the instance: none may be there. `name_of` and `group_of` read a task
/// (by index) of the placement.
#[inline]
pub fn check(
    used: &Usage,
    group: u32,
    name_of: &dyn Fn(TaskIx) -> String,
    group_of: &dyn Fn(TaskIx) -> u32,
) -> Result<(), Rejection> {
    if used.group_count(group) > 0 {
        let other = used
            .tasks
            .iter()
            .rev()
            .find(|t| group_of(**t) == group)
            .copied()
            .unwrap_or_default();
        return Err(Rejection::DistinctInstance {
            other: name_of(other),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placement::table_tests::{name, need, usage};

    #[test]
    fn distinct_instance_table() {
        struct Case {
            name: &'static str,
            /// Groups of the tasks already on the instance (0 = service:web, 1 = service:api).
            running: Vec<u32>,
            group: u32,
            want: Result<(), &'static str>,
        }
        let cases = [
            Case {
                name: "an empty instance",
                running: vec![],
                group: 0,
                want: Ok(()),
            },
            Case {
                // task-placement-constraints.md: "Place each task on a different container
                // instance" — of its own group.
                name: "another service's task does not count",
                running: vec![1],
                group: 0,
                want: Ok(()),
            },
            Case {
                name: "a task of the group is already there",
                running: vec![1, 0],
                group: 0,
                want: Err("distinctInstance: already runs web-2"),
            },
            Case {
                name: "the reason names the group's task that landed last",
                running: vec![0, 1, 0, 1],
                group: 0,
                want: Err("distinctInstance: already runs web-3"),
            },
        ];
        let d = need().cpu(1);
        for c in cases {
            let running: Vec<(u32, u32, &_)> = c
                .running
                .iter()
                .enumerate()
                .map(|(t, g)| (t as u32, *g, &d))
                .collect();
            let u = usage("m5", &running);
            let group_of = |t: crate::placement::TaskIx| c.running[t.at()];
            let got = check(&u, c.group, &name, &group_of).map_err(|r| {
                assert_eq!(
                    r.ecs_code(),
                    "DistinctInstance placement constraint unsatisfied"
                );
                r.to_string()
            });
            assert_eq!(got, c.want.map_err(str::to_string), "{}", c.name);
        }
    }
}
