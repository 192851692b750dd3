//! Evaluating a query against one container instance, and saying why it failed.
//!
//! ## Missing values
//! An attribute the instance does not have, an unknown registration time or agent version,
//! and an instance value that cannot be read as the subject's type (an agent version of
//! `unknown`) are all *missing*. Only `!exists` holds for a missing value; every other
//! operator, the negative ones (`!=`, `!in`, `!~`) included, is false.
//!
//! That follows the AWS page on placement constraints, whose example
//! `attribute:stack != prod` lists "the instances with the custom attribute stack" except
//! those where it is `prod`: instances without `stack` are not listed. To include them, write
//! `not(attribute:stack == prod)`; `not(...)` is plain logical negation.
//!
//! ## `task:group`
//! An instance runs tasks of any number of groups, so `task:group` is a set, not a value:
//! `== g` holds when a task of group `g` runs there, `in [a, b]` when a task of any of them
//! does, `!= g` and `!in [a, b]` are their exact negations (so they hold on an empty
//! instance). AWS documents only `==` and `not(... == ...)`.
//!
//! ## Comparisons (where AWS is silent, these are our choices)
//! - `attribute:` with `==`, `!=`, `in`, `!in`: exact, case-sensitive text.
//! - `attribute:` with `<`, `<=`, `>`, `>=`: as numbers when both sides are plain decimals
//!   (`10 > 9`), otherwise as text by Unicode code points (`b > a`, `10 < 9`).
//! - `runningTasksCount`: as numbers.
//! - `agentVersion`: as dotted versions (`1.14.5 < 1.100.0`, `1.14 == 1.14.0`).
//! - `registeredAt`: as instants; a date alone covers its whole UTC day (see `values.rs`).
//! - `agentConnected`: `true` / `false`; `=~` sees those words.
//! - `=~` / `!~`: the whole value must match (Java's `Pattern.matches`), so `t2.*` matches
//!   `t2.micro` and not `xt2.micro`.

use std::borrow::Cow;
use std::cmp::Ordering;

use super::ast::{Arg, Expr, Op, Subject, Term, Typed, Value};
use super::values::{parse_decimal, Timestamp, Version};
use super::InstanceFacts;

impl Expr {
    /// Whether `inst` is a member of the group this query describes.
    pub fn eval(&self, inst: &dyn InstanceFacts) -> bool {
        match self {
            Expr::Term(term) => term.eval(inst),
            Expr::Not(inner) => !inner.eval(inst),
            Expr::And(l, r) => l.eval(inst) && r.eval(inst),
            Expr::Or(l, r) => l.eval(inst) || r.eval(inst),
        }
    }

    /// Why the query is false for `inst`, in a short sentence naming the subject, the
    /// instance's value and what the query wants; `None` when it is true.
    ///
    /// For `a and b` it explains the first false side; for `a or b` every side, joined with
    /// "; ".
    pub fn explain_false(&self, inst: &dyn InstanceFacts) -> Option<String> {
        match self {
            Expr::Term(term) => (!term.eval(inst)).then(|| term.explain(inst)),
            Expr::Not(inner) => inner.eval(inst).then(|| {
                format!(
                    "{}, expression wants not({inner})",
                    inner.why_true(inst).join(", ")
                )
            }),
            Expr::And(l, r) => l.explain_false(inst).or_else(|| r.explain_false(inst)),
            Expr::Or(l, r) => {
                let left = l.explain_false(inst)?;
                let right = r.explain_false(inst)?;
                Some(format!("{left}; {right}"))
            }
        }
    }

    /// The facts that make a true expression true (for explaining a failed `not(...)`).
    fn why_true(&self, inst: &dyn InstanceFacts) -> Vec<String> {
        match self {
            Expr::Term(term) => vec![term.describe_actual(inst)],
            Expr::Not(inner) => inner.explain_false(inst).into_iter().collect(),
            Expr::And(l, r) => {
                let mut facts = l.why_true(inst);
                facts.extend(r.why_true(inst));
                facts
            }
            Expr::Or(l, r) => {
                if l.eval(inst) {
                    l.why_true(inst)
                } else {
                    r.why_true(inst)
                }
            }
        }
    }

    /// True when the result can change as tasks are placed (`task:group`,
    /// `runningTasksCount`). Results of other queries can be cached per instance.
    pub fn depends_on_placed_tasks(&self) -> bool {
        match self {
            Expr::Term(term) => matches!(
                term.subject,
                Subject::TaskGroup | Subject::RunningTasksCount
            ),
            Expr::Not(inner) => inner.depends_on_placed_tasks(),
            Expr::And(l, r) | Expr::Or(l, r) => {
                l.depends_on_placed_tasks() || r.depends_on_placed_tasks()
            }
        }
    }

    /// The attributes the query reads (each once, in order of appearance), when it reads
    /// nothing else of the instance: its result is then a function of their values, so a
    /// caller may evaluate it once per distinct combination of values instead of once per
    /// instance (placement's cache: thousands of instances, a handful of instance types and
    /// zones). `None` when it reads another subject.
    pub fn attributes_read(&self) -> Option<Vec<&str>> {
        fn walk<'a>(e: &'a Expr, out: &mut Vec<&'a str>) -> bool {
            match e {
                Expr::Term(Term {
                    subject: Subject::Attribute(name),
                    ..
                }) => {
                    if !out.contains(&name.as_str()) {
                        out.push(name);
                    }
                    true
                }
                Expr::Term(_) => false,
                Expr::Not(inner) => walk(inner, out),
                Expr::And(l, r) | Expr::Or(l, r) => walk(l, out) && walk(r, out),
            }
        }
        let mut out = Vec::new();
        walk(self, &mut out).then_some(out)
    }
}

/// An instance's value for a subject other than `task:group`.
enum Actual<'a> {
    Missing,
    Text(&'a str),
    Count(u32),
    Bool(bool),
    Version(Version, &'a str),
    Time(i64, &'a str),
}

impl Actual<'_> {
    /// The value as the instance reports it: what `=~` sees and explanations show.
    fn as_text(&self) -> Option<Cow<'_, str>> {
        match self {
            Actual::Missing => None,
            Actual::Text(s) | Actual::Version(_, s) | Actual::Time(_, s) => Some(Cow::Borrowed(s)),
            Actual::Count(n) => Some(Cow::Owned(n.to_string())),
            Actual::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        }
    }
}

fn actual<'a>(subject: &Subject, inst: &'a dyn InstanceFacts) -> Actual<'a> {
    match subject {
        Subject::Attribute(name) => inst.attribute(name).map_or(Actual::Missing, Actual::Text),
        Subject::Ec2InstanceId => Actual::Text(inst.ec2_instance_id()),
        Subject::RunningTasksCount => Actual::Count(inst.running_tasks_count()),
        Subject::AgentConnected => Actual::Bool(inst.agent_connected()),
        Subject::AgentVersion => inst
            .agent_version()
            .and_then(|raw| Some(Actual::Version(Version::parse_lenient(raw)?, raw)))
            .unwrap_or(Actual::Missing),
        Subject::RegisteredAt => inst
            .registered_at()
            .and_then(|raw| Some(Actual::Time(Timestamp::parse(raw)?.start, raw)))
            .unwrap_or(Actual::Missing),
        // Answered through `has_task_group`; never read as a single value.
        Subject::TaskGroup => Actual::Missing,
    }
}

/// How the instance's value compares with a literal; `None` when they cannot be compared.
/// `relational` is set for `<`, `<=`, `>`, `>=`, where attributes compare numerically.
fn compare(actual: &Actual<'_>, wanted: &Value, relational: bool) -> Option<Ordering> {
    match (actual, &wanted.typed) {
        (Actual::Text(a), Typed::Text) => {
            let numbers = relational
                .then(|| Some((parse_decimal(a)?, parse_decimal(wanted.text())?)))
                .flatten();
            match numbers {
                Some((x, y)) => x.partial_cmp(&y),
                None => Some((*a).cmp(wanted.text())),
            }
        }
        (Actual::Count(a), Typed::Count(b)) => Some(a.cmp(b)),
        (Actual::Bool(a), Typed::Bool(b)) => Some(a.cmp(b)),
        (Actual::Version(a, _), Typed::Version(b)) => Some(a.cmp_to(b)),
        (Actual::Time(at, _), Typed::Time(t)) => Some(t.locate(*at)),
        _ => None,
    }
}

impl Term {
    /// Whether `inst` passes this one test.
    pub fn eval(&self, inst: &dyn InstanceFacts) -> bool {
        if self.subject == Subject::TaskGroup {
            return self.eval_group(inst);
        }
        let actual = actual(&self.subject, inst);
        let is_missing = matches!(actual, Actual::Missing);
        let cmp = |v: &Value, relational| compare(&actual, v, relational);
        match (self.op, &self.arg) {
            (Op::Exists, _) => !is_missing,
            (Op::NotExists, _) => is_missing,
            (Op::Eq, Arg::Value(v)) => cmp(v, false) == Some(Ordering::Equal),
            (Op::Ne, Arg::Value(v)) => cmp(v, false).is_some_and(Ordering::is_ne),
            (Op::Gt, Arg::Value(v)) => cmp(v, true).is_some_and(Ordering::is_gt),
            (Op::Ge, Arg::Value(v)) => cmp(v, true).is_some_and(Ordering::is_ge),
            (Op::Lt, Arg::Value(v)) => cmp(v, true).is_some_and(Ordering::is_lt),
            (Op::Le, Arg::Value(v)) => cmp(v, true).is_some_and(Ordering::is_le),
            (Op::In, Arg::List(items)) => {
                items.iter().any(|v| cmp(v, false) == Some(Ordering::Equal))
            }
            (Op::NotIn, Arg::List(items)) => {
                !is_missing
                    && items
                        .iter()
                        .all(|v| cmp(v, false).is_some_and(Ordering::is_ne))
            }
            (Op::Matches, Arg::Pattern(p)) => actual.as_text().is_some_and(|s| p.is_match(&s)),
            (Op::NotMatches, Arg::Pattern(p)) => actual.as_text().is_some_and(|s| !p.is_match(&s)),
            _ => false,
        }
    }

    fn eval_group(&self, inst: &dyn InstanceFacts) -> bool {
        let runs = |v: &Value| inst.has_task_group(v.text());
        match (self.op, &self.arg) {
            (Op::Eq, Arg::Value(v)) => runs(v),
            (Op::Ne, Arg::Value(v)) => !runs(v),
            (Op::In, Arg::List(items)) => items.iter().any(runs),
            (Op::NotIn, Arg::List(items)) => !items.iter().any(runs),
            _ => false,
        }
    }

    /// "ecs.instance-type is m5.large, expression wants =~ t2.*"
    fn explain(&self, inst: &dyn InstanceFacts) -> String {
        if self.subject == Subject::TaskGroup {
            return self.describe_actual(inst);
        }
        let wanted = match self.arg {
            Arg::None => self.op.symbol().to_string(),
            _ => format!("{} {}", self.op, self.arg),
        };
        format!("{}, expression wants {wanted}", self.describe_actual(inst))
    }

    /// The instance's value for this term's subject, in words.
    fn describe_actual(&self, inst: &dyn InstanceFacts) -> String {
        let name = self.subject.short_name();
        match &self.subject {
            Subject::TaskGroup => self.describe_groups(inst),
            Subject::Attribute(_) => match inst.attribute(name) {
                Some(v) => format!("{name} is {v}"),
                None => format!("{name} is not set on this instance"),
            },
            Subject::AgentVersion | Subject::RegisteredAt => {
                let raw = match self.subject {
                    Subject::AgentVersion => inst.agent_version(),
                    _ => inst.registered_at(),
                };
                match (raw, actual(&self.subject, inst)) {
                    (None, _) => format!("{name} is unknown for this instance"),
                    (Some(raw), Actual::Missing) => {
                        format!("{name} is {raw}, which cannot be read")
                    }
                    (Some(raw), _) => format!("{name} is {raw}"),
                }
            }
            _ => {
                let value = actual(&self.subject, inst);
                format!("{name} is {}", value.as_text().unwrap_or_default())
            }
        }
    }

    /// "task:group: instance runs no task of group service:db", or of the groups listed.
    fn describe_groups(&self, inst: &dyn InstanceFacts) -> String {
        let named: Vec<&str> = match &self.arg {
            Arg::Value(v) => vec![v.text()],
            Arg::List(items) => items.iter().map(Value::text).collect(),
            _ => Vec::new(),
        };
        let running: Vec<&str> = named
            .iter()
            .copied()
            .filter(|g| inst.has_task_group(g))
            .collect();
        match running.as_slice() {
            [] if named.len() == 1 => {
                format!("task:group: instance runs no task of group {}", named[0])
            }
            [] => format!(
                "task:group: instance runs no task of groups {}",
                named.join(", ")
            ),
            [one] => format!("task:group: instance runs a task of group {one}"),
            many => format!(
                "task:group: instance runs tasks of groups {}",
                many.join(", ")
            ),
        }
    }
}
