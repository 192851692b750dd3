//! Placement constraints and strategies in task definitions, services and RunTask requests
//! (`task-placement-constraints.md`, `task-placement-strategies.md`,
//! `cluster-query-language.md`; limits from the API model).

use super::{finding, Facts};
use crate::findings::{Finding, JsonPath};
use crate::plan::{
    PlacementConstraint, PlacementConstraintType, PlacementStrategy, PlacementStrategyType,
    TaskDefinition,
};

/// Constraints per task, task definition and request together.
pub const MAX_CONSTRAINTS: usize = 10;
/// Strategy rules per service or RunTask request (the API model; an older guide said 4).
pub const MAX_STRATEGIES: usize = 5;

pub(super) fn task_definition(f: &Facts, out: &mut Vec<Finding>) {
    let base = f.path.key("placementConstraints");
    for (i, c) in f.td.placement_constraints.iter().enumerate() {
        let p = base.index(i);
        if c.kind == PlacementConstraintType::DistinctInstance {
            out.push(finding(
                "task-definition-constraint-type",
                p.key("type"),
                "a task definition can only hold memberOf constraints; distinctInstance belongs to the service or RunTask request",
                "move {\"type\": \"distinctInstance\"} to the service's placementConstraints",
            ));
            continue;
        }
        constraint(c, &p, out);
    }
    if f.td.placement_constraints.len() > MAX_CONSTRAINTS {
        out.push(finding(
            "too-many-constraints",
            base,
            format!(
                "{} has {} placement constraints; a task can have at most {MAX_CONSTRAINTS}",
                f.label(),
                f.td.placement_constraints.len()
            ),
            "combine memberOf expressions with and/or",
        ));
    }
}

/// One constraint on its own: an expression where it needs one, none where it takes none, and
/// an expression that parses.
fn constraint(c: &PlacementConstraint, p: &JsonPath, out: &mut Vec<Finding>) {
    let expr = c.expression.as_deref().filter(|e| !e.trim().is_empty());
    match (c.kind, expr) {
        (PlacementConstraintType::MemberOf, None) => out.push(finding(
            "constraint-expression-missing",
            p.clone(),
            "a memberOf constraint needs an expression saying which instances qualify",
            "add e.g. \"expression\": \"attribute:ecs.instance-type =~ t3.*\"",
        )),
        (PlacementConstraintType::DistinctInstance, Some(_)) => out.push(finding(
            "constraint-expression-not-allowed",
            p.key("expression"),
            "distinctInstance takes no expression",
            "remove the expression, or use a memberOf constraint for it",
        )),
        (PlacementConstraintType::MemberOf, Some(e)) => {
            if let Err(err) = crate::cql::parse(e) {
                out.push(finding(
                    "cql-syntax",
                    p.key("expression"),
                    format!("the memberOf expression does not parse at column {}: expected {}, found {}", err.column, err.expected, shown(&err.found)),
                    err.hint.clone().unwrap_or_else(|| "see the cluster query language: SUBJECT OPERATOR VALUE, joined with and/or, e.g. attribute:ecs.availability-zone in [us-east-1a, us-east-1b]".into()),
                ));
            }
        }
        (PlacementConstraintType::DistinctInstance, None) => {}
    }
}

fn shown(found: &str) -> String {
    if found == crate::cql::ParseError::END_OF_INPUT {
        found.to_string()
    } else {
        format!("\"{found}\"")
    }
}

/// Constraints and strategies of a service or RunTask request.
pub(super) fn request(
    td: Option<&TaskDefinition>,
    constraints: &[PlacementConstraint],
    strategies: &[PlacementStrategy],
    path: &JsonPath,
    on_fargate: bool,
    out: &mut Vec<Finding>,
) {
    for (i, c) in constraints.iter().enumerate() {
        constraint(c, &path.key("placementConstraints").index(i), out);
    }
    let from_td = td.map_or(0, |t| t.placement_constraints.len());
    let total = from_td + constraints.len();
    if total > MAX_CONSTRAINTS && !constraints.is_empty() {
        out.push(finding(
            "too-many-constraints",
            path.key("placementConstraints"),
            format!("{total} placement constraints ({from_td} from the task definition, {} here); a task can have at most {MAX_CONSTRAINTS}", constraints.len()),
            "combine memberOf expressions with and/or",
        ));
    }
    if strategies.len() > MAX_STRATEGIES {
        out.push(finding(
            "too-many-strategies",
            path.key("placementStrategy"),
            format!(
                "{} placement strategies; at most {MAX_STRATEGIES} are allowed",
                strategies.len()
            ),
            "keep the strategies that decide placement; later ones only break ties",
        ));
    }
    for (i, s) in strategies.iter().enumerate() {
        strategy(s, &path.key("placementStrategy").index(i), out);
    }
    if on_fargate {
        let what: Vec<&str> = [
            (!constraints.is_empty(), "placement constraints"),
            (!strategies.is_empty(), "placement strategies"),
        ]
        .into_iter()
        .filter_map(|(b, w)| b.then_some(w))
        .collect();
        if !what.is_empty() {
            out.push(finding(
                "placement-on-fargate",
                path.key(if constraints.is_empty() { "placementStrategy" } else { "placementConstraints" }),
                format!("this runs on Fargate, which places tasks itself (spread across Availability Zones); {} are not supported", super::and_list(&what)),
                format!("remove the {}, or run on EC2 capacity", super::and_list(&what)),
            ));
        }
    }
}

fn strategy(s: &PlacementStrategy, p: &JsonPath, out: &mut Vec<Finding>) {
    let field = s.field.as_deref();
    match s.kind {
        PlacementStrategyType::Binpack => {
            if !field
                .is_some_and(|f| f.eq_ignore_ascii_case("cpu") || f.eq_ignore_ascii_case("memory"))
            {
                out.push(finding(
                    "strategy-field",
                    p.key("field"),
                    match field {
                        Some(f) => format!("binpack packs by cpu or memory, not \"{f}\""),
                        None => "binpack needs a field: cpu or memory".into(),
                    },
                    "set \"field\": \"memory\" (or \"cpu\"), whichever runs out first on your instances",
                ));
            }
        }
        PlacementStrategyType::Spread => {
            let ok = field.is_some_and(|f| {
                f.eq_ignore_ascii_case("instanceId")
                    || f.eq_ignore_ascii_case("host")
                    || f.strip_prefix("attribute:")
                        .is_some_and(|a| !a.is_empty() && a.len() <= 128)
            });
            if !ok {
                out.push(finding(
                    "strategy-field",
                    p.key("field"),
                    match field {
                        Some(f) => format!("spread works on instanceId, host or attribute:NAME, not \"{f}\""),
                        None => "spread needs a field: instanceId, host or attribute:NAME".into(),
                    },
                    "use \"attribute:ecs.availability-zone\" to spread across zones, or \"instanceId\" across instances",
                ));
            }
        }
        PlacementStrategyType::Random => {
            if let Some(f) = field {
                out.push(finding(
                    "strategy-field-ignored",
                    p.key("field"),
                    format!("random ignores its field (\"{f}\")"),
                    "remove the field, or use spread or binpack if the field matters",
                ));
            }
        }
    }
}
