//! The syntax tree of a cluster query.
//!
//! The tree is *typed*: a literal is checked against its subject when it is parsed (a
//! `runningTasksCount` value must be a whole number, a `registeredAt` value a date), so
//! evaluation never re-parses query text and never meets a value it cannot compare. Every
//! literal keeps the text the user wrote, which is what [`Display`](std::fmt::Display)
//! prints back and what two trees are compared on.
//!
//! Parentheses are not kept: `(a or b) and c` and the canonical print of its tree differ only
//! in spacing. The printer adds exactly the parentheses that precedence needs, so
//! `parse(&expr.to_string()) == Ok(expr)` for every tree that [`parse`](super::parse) returns.

use std::fmt;

use super::lexer;
use super::values::{Timestamp, Version};

/// The attributes that ECS sets on every container instance by itself.
///
/// Useful for completion in an editor; any other name after `attribute:` is a custom attribute.
pub const BUILTIN_ATTRIBUTES: &[&str] = &[
    "ecs.ami-id",
    "ecs.availability-zone",
    "ecs.instance-type",
    "ecs.os-type",
    "ecs.os-family",
    "ecs.cpu-architecture",
    "ecs.vpc-id",
    "ecs.subnet-id",
];

/// A whole query: terms joined by `and`, `or` and `not(...)`.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// One `subject operator [argument]` test.
    Term(Term),
    /// `not(expr)` or `!(expr)`.
    Not(Box<Expr>),
    /// `a and b` or `a && b`.
    And(Box<Expr>, Box<Expr>),
    /// `a or b` or `a || b`.
    Or(Box<Expr>, Box<Expr>),
}

/// One test of a container instance, such as `attribute:ecs.instance-type =~ t2.*`.
///
/// [`parse`](super::parse) only builds terms whose operator is valid for the subject and whose
/// argument has the shape the operator takes. A term assembled by hand that breaks those rules
/// evaluates to `false` instead of panicking.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// What is looked up on the instance.
    pub subject: Subject,
    /// How it is compared.
    pub op: Op,
    /// What it is compared with (nothing for `exists` / `!exists`).
    pub arg: Arg,
}

/// The field of a container instance that a term looks at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    /// `attribute:NAME`: a built-in (`ecs.instance-type`, ...) or custom attribute.
    Attribute(String),
    /// `ec2InstanceId`.
    Ec2InstanceId,
    /// `registeredAt`: when the instance registered with the cluster.
    RegisteredAt,
    /// `runningTasksCount`.
    RunningTasksCount,
    /// `agentConnected`: `true` or `false`.
    AgentConnected,
    /// `agentVersion`: a dotted version such as `1.14.5`.
    AgentVersion,
    /// `task:group`: the task groups of the tasks already on the instance.
    TaskGroup,
}

/// A comparison operator, in its canonical spelling (see [`Op::symbol`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// `==`, `equals`
    Eq,
    /// `!=`, `not_equals`
    Ne,
    /// `>`, `greater_than`
    Gt,
    /// `>=`, `greater_than_equal`
    Ge,
    /// `<`, `less_than`
    Lt,
    /// `<=`, `less_than_equal`
    Le,
    /// `exists`
    Exists,
    /// `!exists`, `not_exists`
    NotExists,
    /// `in`
    In,
    /// `!in`, `not_in`
    NotIn,
    /// `=~`, `matches`
    Matches,
    /// `!~`, `not_matches`
    NotMatches,
}

/// The shape of argument an operator takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArgShape {
    None,
    Single,
    List,
    Pattern,
}

/// The right-hand side of a term.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// For `exists` and `!exists`.
    None,
    /// For `==`, `!=`, `>`, `>=`, `<`, `<=`.
    Value(Value),
    /// For `in` and `!in`.
    List(Vec<Value>),
    /// For `=~` and `!~`.
    Pattern(Pattern),
}

/// A literal, as written, plus its meaning for the subject it was written against.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    text: String,
    pub(crate) typed: Typed,
}

/// The meaning of a literal, decided once at parse time.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Typed {
    /// Compared as text (attributes, instance ids, task groups).
    Text,
    /// `runningTasksCount`.
    Count(u32),
    /// `agentVersion`.
    Version(Version),
    /// `registeredAt`.
    Time(Timestamp),
    /// `agentConnected`.
    Bool(bool),
}

impl Value {
    pub(crate) fn new(text: String, typed: Typed) -> Value {
        Value { text, typed }
    }

    /// The literal exactly as written, without surrounding quotes.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// A compiled regular expression for `=~` / `!~`, kept with its source text.
///
/// Two patterns are equal when their sources are equal.
#[derive(Clone)]
pub struct Pattern {
    source: String,
    /// The source wrapped as `\A(?:source)\z`: a value matches only if the whole value does.
    pub(crate) anchored: regex_lite::Regex,
}

impl Pattern {
    pub(crate) fn new(source: String, anchored: regex_lite::Regex) -> Pattern {
        Pattern { source, anchored }
    }

    /// The regular expression as written, without surrounding quotes.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the whole of `value` matches (Java's `Pattern.matches`, not a substring search).
    pub fn is_match(&self, value: &str) -> bool {
        self.anchored.is_match(value)
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.source == other.source
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

impl Op {
    /// Every operator, in the order of the AWS operator table.
    pub const ALL: [Op; 12] = [
        Op::Eq,
        Op::Ne,
        Op::Gt,
        Op::Ge,
        Op::Lt,
        Op::Le,
        Op::Exists,
        Op::NotExists,
        Op::In,
        Op::NotIn,
        Op::Matches,
        Op::NotMatches,
    ];

    /// The canonical (shortest) spelling, used by `Display`.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Exists => "exists",
            Op::NotExists => "!exists",
            Op::In => "in",
            Op::NotIn => "!in",
            Op::Matches => "=~",
            Op::NotMatches => "!~",
        }
    }

    /// The spelled-out alias (`equals`, `not_in`, ...). `exists` and `in` are their own word.
    pub fn word(self) -> &'static str {
        match self {
            Op::Eq => "equals",
            Op::Ne => "not_equals",
            Op::Gt => "greater_than",
            Op::Ge => "greater_than_equal",
            Op::Lt => "less_than",
            Op::Le => "less_than_equal",
            Op::Exists => "exists",
            Op::NotExists => "not_exists",
            Op::In => "in",
            Op::NotIn => "not_in",
            Op::Matches => "matches",
            Op::NotMatches => "not_matches",
        }
    }

    pub(crate) fn shape(self) -> ArgShape {
        match self {
            Op::Exists | Op::NotExists => ArgShape::None,
            Op::In | Op::NotIn => ArgShape::List,
            Op::Matches | Op::NotMatches => ArgShape::Pattern,
            Op::Eq | Op::Ne | Op::Gt | Op::Ge | Op::Lt | Op::Le => ArgShape::Single,
        }
    }

    /// True for the operators that hold when something is *not* the case (`!=`, `!in`, `!~`,
    /// `!exists`).
    pub fn is_negative(self) -> bool {
        matches!(self, Op::Ne | Op::NotIn | Op::NotMatches | Op::NotExists)
    }
}

/// Operators valid for `agentConnected` and `ec2InstanceId` (AWS's table).
const IDENTITY_OPS: &[Op] = &[
    Op::Eq,
    Op::Ne,
    Op::In,
    Op::NotIn,
    Op::Matches,
    Op::NotMatches,
];
/// Operators valid for `agentVersion`, `registeredAt` and `runningTasksCount` (AWS's table).
const ORDERED_OPS: &[Op] = &[Op::Eq, Op::Ne, Op::Gt, Op::Ge, Op::Lt, Op::Le];
/// Our choice for `task:group`, where AWS lists no operators: the set-membership tests the
/// [`InstanceFacts`](super::InstanceFacts) trait can answer. `=~` would need the list of
/// groups on the instance, and ordering a group name makes no sense.
const GROUP_OPS: &[Op] = &[Op::Eq, Op::Ne, Op::In, Op::NotIn];

impl Subject {
    /// The operators this subject accepts. `attribute:` accepts all of them.
    pub fn valid_ops(&self) -> &'static [Op] {
        match self {
            Subject::Attribute(_) => &Op::ALL,
            Subject::Ec2InstanceId | Subject::AgentConnected => IDENTITY_OPS,
            Subject::RegisteredAt | Subject::RunningTasksCount | Subject::AgentVersion => {
                ORDERED_OPS
            }
            Subject::TaskGroup => GROUP_OPS,
        }
    }

    /// Whether `op` may follow this subject.
    pub fn allows(&self, op: Op) -> bool {
        self.valid_ops().contains(&op)
    }

    /// The name used in explanations: the attribute name itself for attributes
    /// (`ecs.instance-type`), the subject keyword otherwise.
    pub fn short_name(&self) -> &str {
        match self {
            Subject::Attribute(name) => name,
            other => other.keyword(),
        }
    }

    fn keyword(&self) -> &'static str {
        match self {
            Subject::Attribute(_) => "attribute:",
            Subject::Ec2InstanceId => "ec2InstanceId",
            Subject::RegisteredAt => "registeredAt",
            Subject::RunningTasksCount => "runningTasksCount",
            Subject::AgentConnected => "agentConnected",
            Subject::AgentVersion => "agentVersion",
            Subject::TaskGroup => "task:group",
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Attribute(name) => write!(f, "attribute:{name}"),
            other => f.write_str(other.keyword()),
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// Writes a literal bare when the lexer would read it back as the same single literal, and
/// quoted otherwise (with `"` if the text contains `'`).
fn write_literal(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    if lexer::reads_back_bare(text) {
        f.write_str(text)
    } else if text.contains('\'') {
        write!(f, "\"{text}\"")
    } else {
        write!(f, "'{text}'")
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_literal(f, &self.text)
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_literal(f, &self.source)
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::None => Ok(()),
            Arg::Value(v) => v.fmt(f),
            Arg::Pattern(p) => p.fmt(f),
            Arg::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    item.fmt(f)?;
                }
                f.write_str("]")
            }
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.subject, self.op)?;
        if !matches!(self.arg, Arg::None) {
            write!(f, " {}", self.arg)?;
        }
        Ok(())
    }
}

/// Printing precedence: `or` binds loosest, then `and`; terms and `not(...)` are atoms.
fn precedence(e: &Expr) -> u8 {
    match e {
        Expr::Or(..) => 1,
        Expr::And(..) => 2,
        Expr::Term(_) | Expr::Not(_) => 3,
    }
}

fn write_operand(f: &mut fmt::Formatter<'_>, e: &Expr, min: u8) -> fmt::Result {
    if precedence(e) < min {
        write!(f, "({e})")
    } else {
        write!(f, "{e}")
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Both connectives associate to the left, so a right operand of the same connective
        // needs parentheses to come back as the same tree.
        match self {
            Expr::Term(t) => t.fmt(f),
            Expr::Not(inner) => write!(f, "not({inner})"),
            Expr::And(l, r) => {
                write_operand(f, l, 2)?;
                f.write_str(" and ")?;
                write_operand(f, r, 3)
            }
            Expr::Or(l, r) => {
                write_operand(f, l, 1)?;
                f.write_str(" or ")?;
                write_operand(f, r, 2)
            }
        }
    }
}
