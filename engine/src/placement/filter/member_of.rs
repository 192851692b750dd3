//! Stage 3b, the `memberOf` constraint (`task-placement-constraints.md`, "Constraint types":
//! "Place tasks on container instances that satisfy an expression"), written in the cluster
//! query language (`cluster-query-language.md`, parsed and evaluated by [`crate::cql`]).
//!
//! Formula: `expression(instance) = true`, where the expression sees the instance's built-in
//! and custom attributes, its id, registration time, agent, and the tasks on it now
//! (`runningTasksCount`, `task:group`). Reason: `MemberOf placement constraint unsatisfied`,
//! with the part of the expression that failed (`ecs.instance-type is m5.large, expression
//! wants =~ t2.*`).
//!
//! An expression that reads neither `runningTasksCount` nor `task:group` is *static*: its
//! verdict on an instance changes only when the instance does, so placement may take it from a
//! cache ([`Context::verdicts`](crate::placement::pipeline::Context)).

use super::Rejection;
use crate::cluster::Node;
use crate::cql::{Expr, InstanceFacts};
use crate::placement::state::{Groups, Usage};

/// What the query language sees of an instance during placement.
pub struct Facts<'a> {
    pub node: &'a Node,
    pub usage: &'a Usage,
    pub groups: &'a Groups,
}

impl InstanceFacts for Facts<'_> {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.node.attribute(name)
    }
    fn ec2_instance_id(&self) -> &str {
        &self.node.id
    }
    fn registered_at(&self) -> Option<&str> {
        self.node.registered_at.as_deref()
    }
    fn running_tasks_count(&self) -> u32 {
        self.usage.tasks.len() as u32
    }
    fn agent_connected(&self) -> bool {
        self.node.agent_connected
    }
    fn agent_version(&self) -> Option<&str> {
        self.node.agent_version.as_deref()
    }
    fn has_task_group(&self, group: &str) -> bool {
        self.groups
            .get(group)
            .is_some_and(|g| self.usage.group_count(g) > 0)
    }
}

/// Whether the expression holds on the instance (the verdict alone).
pub fn holds(expr: &Expr, facts: &Facts) -> bool {
    expr.eval(facts)
}

/// The expression (its `source` text) holds on the instance, or why not.
pub fn check(source: &str, expr: &Expr, facts: &Facts) -> Result<(), Rejection> {
    if holds(expr, facts) {
        return Ok(());
    }
    Err(rejection(source, expr, facts))
}

/// Why the expression is false on the instance.
pub fn rejection(source: &str, expr: &Expr, facts: &Facts) -> Rejection {
    let why = expr
        .explain_false(facts)
        .unwrap_or_else(|| format!("{source} is false"));
    Rejection::MemberOf {
        expression: source.to_string(),
        why,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placement::table_tests::{groups, need, node, usage};

    #[test]
    fn member_of_table() {
        struct Case {
            name: &'static str,
            instance: &'static str,
            /// Groups of the tasks already there (0 = service:web, 1 = service:api).
            running: Vec<u32>,
            expression: &'static str,
            want: Result<(), &'static str>,
        }
        let cases = [
            Case {
                // cluster-query-language.md, "Example expressions": t2 instances.
                name: "instance type by pattern",
                instance: "t3",
                running: vec![],
                expression: "attribute:ecs.instance-type =~ t3.*",
                want: Ok(()),
            },
            Case {
                name: "another type does not match",
                instance: "m5",
                running: vec![],
                expression: "attribute:ecs.instance-type =~ t3.*",
                want: Err("memberOf: ecs.instance-type is m5.large, expression wants =~ t3.*"),
            },
            Case {
                // task-placement-constraints.md, "Custom attributes".
                name: "a custom attribute",
                instance: "gold",
                running: vec![],
                expression: "attribute:tier == gold",
                want: Ok(()),
            },
            Case {
                // cluster-query-language.md: `attribute:stack != prod` holds for an
                // instance without the attribute only under !exists (see cql/eval.rs).
                name: "an instance without the attribute",
                instance: "m5",
                running: vec![],
                expression: "attribute:tier == gold",
                want: Err("memberOf: tier is not set on this instance, expression wants == gold"),
            },
            Case {
                name: "by zone, with a list",
                instance: "t3",
                running: vec![],
                expression: "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
                want: Ok(()),
            },
            Case {
                // cluster-query-language.md: "not(task:group == database)".
                name: "away from another service's tasks",
                instance: "m5",
                running: vec![1],
                expression: "not(task:group == service:api)",
                want: Err("memberOf: task:group: instance runs a task of group service:api, expression wants not(task:group == service:api)"),
            },
            Case {
                name: "runningTasksCount reads the tasks there now",
                instance: "m5",
                running: vec![0, 1],
                expression: "runningTasksCount < 2",
                want: Err("memberOf: runningTasksCount is 2, expression wants < 2"),
            },
        ];
        let d = need().cpu(1);
        let g = groups();
        for c in cases {
            let (_, n) = node(c.instance);
            let running: Vec<(u32, u32, &_)> = c
                .running
                .iter()
                .enumerate()
                .map(|(t, grp)| (t as u32, *grp, &d))
                .collect();
            let u = usage(c.instance, &running);
            let expr = crate::cql::parse(c.expression).expect("the expression parses");
            let facts = Facts {
                node: &n,
                usage: &u,
                groups: &g,
            };
            let got = check(c.expression, &expr, &facts).map_err(|r| {
                assert_eq!(r.ecs_code(), "MemberOf placement constraint unsatisfied");
                r.to_string()
            });
            assert_eq!(got, c.want.map_err(str::to_string), "{}", c.name);
            assert_eq!(holds(&expr, &facts), got.is_ok(), "{}", c.name);
        }
    }
}
