//! The cluster query language: the expressions of `memberOf` placement constraints.
//!
//! Specified by the AWS Developer Guide pages `cluster-query-language.md` and
//! `task-placement-constraints.md` (copies in `shared/reference/aws-ecs-docs/`). This module
//! parses a query once ([`parse`]) into a typed tree ([`Expr`]) that the placement engine
//! evaluates against each container instance through the [`InstanceFacts`] trait, and that
//! can say in words why an instance was left out ([`Expr::explain_false`]).
//!
//! ```text
//! expr     := atom (("and" | "&&" | "or" | "||") atom)*
//! atom     := term | "(" expr ")" | ("not" | "!") "(" expr ")"
//! term     := subject operator [argument]
//! subject  := "attribute:" NAME | "ec2InstanceId" | "registeredAt" | "runningTasksCount"
//!           | "agentConnected" | "agentVersion" | "task:group"
//! operator := "==" | "equals" | "!=" | "not_equals" | ">" | "greater_than"
//!           | ">=" | "greater_than_equal" | "<" | "less_than" | "<=" | "less_than_equal"
//!           | "exists" | "!exists" | "not_exists" | "in" | "!in" | "not_in"
//!           | "=~" | "matches" | "!~" | "not_matches"
//! argument := literal | "[" literal ("," literal)* "]"
//! literal  := 'quoted' | "quoted" | bare
//! ```
//!
//! # Choices where AWS is silent
//! - **Precedence**: `not(...)` binds tightest, then `and`, then `or`, both left-associative
//!   (the usual rule; AWS only shows parentheses). `a or b and c` is `a or (b and c)`.
//! - **Keywords** are case-sensitive, as AWS spells them (`and`, not `AND`); the error then
//!   suggests the right spelling.
//! - **`not` needs parentheses**: `not(task:group == database)`, as in AWS's example.
//! - **Literals**: quoted with `'` or `"` without escapes (use the other quote to include
//!   one), or bare; the `lexer` module says where a bare value ends. AWS's values cannot contain
//!   quotes, so this loses nothing.
//! - **Operators per subject** follow AWS's table; `attribute:` takes every operator, and
//!   `task:group`, for which AWS lists none, takes `==`, `!=`, `in`, `!in`.
//! - **Literal types** are checked when parsing: `runningTasksCount` wants a whole number,
//!   `agentVersion` a dotted version, `registeredAt` one of the four documented date formats,
//!   `agentConnected` `true` or `false`. A query that could never match for a type reason is
//!   an error, not a silent `false`.
//! - **Missing values, comparisons and `task:group`**: see the `eval` module's doc. In short: only `!exists` holds for a missing attribute, following AWS's
//!   `attribute:stack != prod` example; ordering compares numbers, versions and instants by
//!   value and anything else as text.
//! - **Limits**: 2000 characters (`parser::MAX_EXPRESSION_CHARS`, the ECS limit), at most
//!   `parser::MAX_NESTING` nested parentheses (ours), attribute names of 1–128 characters (AWS).
//!
//! # Regular expressions: Java's syntax, Rust's engine
//! AWS evaluates `=~` with `java.util.regex.Pattern`. We use the `regex-lite` crate, whose
//! syntax is the common core of both and whose defaults match Java's: `\d`, `\w`, `\s` and
//! `(?i)` are ASCII-only in both. The pattern must match the **whole** value, like Java's
//! `Pattern.matches` (checked against AWS's examples: `t2.*` selects `t2.micro`, not
//! `m5.large`). `*` alone is not a wildcard in either language; `=~ *.large` is an error whose
//! hint says to write `.*`.
//!
//! Java features that are refused with an error naming them, because the engine lacks them or
//! would read them differently: look-ahead and look-behind (`(?=`, `(?!`, `(?<=`, `(?<!`),
//! backreferences (`\1`, `\k<name>`), atomic groups (`(?>`), possessive quantifiers (`*+`,
//! `++`, `?+`), `\Q...\E` quoting, `\p{...}` classes, class intersection (`[a-z&&[^e]]`), and
//! the `\G` / `\Z` anchors. Minor differences that remain: Java's `.` also excludes `\r` and
//! other line terminators, and `\v` is a class in Java but a vertical tab here; instance
//! values never contain such characters.

mod ast;
mod error;
mod eval;
mod lexer;
mod parser;
mod values;

#[cfg(test)]
mod tests;

pub use ast::{Arg, Expr, Op, Pattern, Subject, Term, Value, BUILTIN_ATTRIBUTES};
pub use error::ParseError;
pub use parser::parse;

/// What a query can ask about a container instance.
///
/// The placement engine implements this for its own instance type; the query language needs
/// nothing else. Built-in attributes (`ecs.instance-type`, `ecs.availability-zone`, ...) are
/// looked up through [`attribute`](InstanceFacts::attribute) like custom ones.
pub trait InstanceFacts {
    /// The value of a built-in or custom attribute (`"ecs.instance-type"` → `"m5.large"`), or
    /// `None` if the instance does not have it.
    fn attribute(&self, name: &str) -> Option<&str>;
    /// The EC2 instance id, such as `i-0abc1234`.
    fn ec2_instance_id(&self) -> &str;
    /// When the instance registered, as `2018-06-18T22:28:28Z`, `2018-06-18T22:28:28+00:00`,
    /// `2018-06-18T22:28:28` (UTC) or `2018-06-18`; `None` if unknown.
    fn registered_at(&self) -> Option<&str>;
    /// How many tasks run on the instance now.
    fn running_tasks_count(&self) -> u32;
    /// Whether the container agent is connected.
    fn agent_connected(&self) -> bool;
    /// The container agent's version, such as `1.14.5`; `None` if unknown.
    fn agent_version(&self) -> Option<&str>;
    /// Whether a task of `group` (`service:web`, `family:batch`, ...) runs on the instance.
    fn has_task_group(&self, group: &str) -> bool;
}
