//! The cluster query language through its public API: AWS's documented examples, error
//! positions, precedence, the operator/subject table, printing, evaluation and explanations,
//! and property tests that the parser never panics and that printing round-trips.
//!
//! "cql.md" below is `shared/reference/aws-ecs-docs/cluster-query-language.md`,
//! "constraints.md" is `task-placement-constraints.md` in the same folder.

use std::collections::{BTreeMap, BTreeSet};

use engine::api::cql::{parse, Expr, InstanceFacts, Op, ParseError, Subject};

/// A container instance for tests, built fluently.
#[derive(Debug, Clone, Default)]
struct Inst {
    id: String,
    attrs: BTreeMap<String, String>,
    registered_at: Option<String>,
    running: u32,
    connected: bool,
    agent_version: Option<String>,
    groups: BTreeSet<String>,
}

fn inst() -> Inst {
    Inst {
        id: "i-0000".into(),
        connected: true,
        ..Inst::default()
    }
}

impl Inst {
    fn attr(mut self, name: &str, value: &str) -> Inst {
        self.attrs.insert(name.into(), value.into());
        self
    }
    fn typ(self, t: &str) -> Inst {
        self.attr("ecs.instance-type", t)
    }
    fn az(self, az: &str) -> Inst {
        self.attr("ecs.availability-zone", az)
    }
    fn id(mut self, id: &str) -> Inst {
        self.id = id.into();
        self
    }
    fn registered(mut self, at: &str) -> Inst {
        self.registered_at = Some(at.into());
        self
    }
    fn running(mut self, n: u32) -> Inst {
        self.running = n;
        self
    }
    fn connected(mut self, c: bool) -> Inst {
        self.connected = c;
        self
    }
    fn agent(mut self, v: &str) -> Inst {
        self.agent_version = Some(v.into());
        self
    }
    fn group(mut self, g: &str) -> Inst {
        self.groups.insert(g.into());
        self
    }
}

impl InstanceFacts for Inst {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }
    fn ec2_instance_id(&self) -> &str {
        &self.id
    }
    fn registered_at(&self) -> Option<&str> {
        self.registered_at.as_deref()
    }
    fn running_tasks_count(&self) -> u32 {
        self.running
    }
    fn agent_connected(&self) -> bool {
        self.connected
    }
    fn agent_version(&self) -> Option<&str> {
        self.agent_version.as_deref()
    }
    fn has_task_group(&self, group: &str) -> bool {
        self.groups.contains(group)
    }
}

fn q(src: &str) -> Expr {
    parse(src).unwrap_or_else(|e| panic!("{src:?} should parse: {e}"))
}

fn err(src: &str) -> ParseError {
    match parse(src) {
        Ok(e) => panic!("{src:?} should not parse, got {e}"),
        Err(e) => e,
    }
}

/// The tree as an S-expression, minipratt style: `(and (or A B) C)`.
fn sexp(e: &Expr) -> String {
    match e {
        Expr::Term(t) => format!("{{{t}}}"),
        Expr::Not(i) => format!("(not {})", sexp(i)),
        Expr::And(l, r) => format!("(and {} {})", sexp(l), sexp(r)),
        Expr::Or(l, r) => format!("(or {} {})", sexp(l), sexp(r)),
    }
}

fn assert_round_trip(src: &str) {
    let e = q(src);
    let printed = e.to_string();
    let again = parse(&printed).unwrap_or_else(|err| panic!("{printed:?} (from {src:?}): {err}"));
    assert_eq!(again, e, "{src:?} printed as {printed:?}");
    assert_eq!(again.to_string(), printed, "printing is a fixpoint");
}

// ---------------------------------------------------------------------------------------
// AWS's documented examples
// ---------------------------------------------------------------------------------------

#[test]
fn doc_string_equality() {
    // cql.md, "Example expressions", "Example: String Equality"
    let e = q("attribute:ecs.instance-type == t2.small");
    assert!(e.eval(&inst().typ("t2.small")));
    assert!(!e.eval(&inst().typ("t2.medium")));
    assert!(!e.eval(&inst()));
}

#[test]
fn doc_argument_list() {
    // cql.md, "Example expressions", "Example: Argument List"
    let e = q("attribute:ecs.availability-zone in [us-east-1a, us-east-1b]");
    assert!(e.eval(&inst().az("us-east-1a")));
    assert!(e.eval(&inst().az("us-east-1b")));
    assert!(!e.eval(&inst().az("us-east-1c")));
}

#[test]
fn doc_compound_expression() {
    // cql.md, "Example expressions", "Example: Compound Expression": G2 instances not in
    // us-east-1d.
    let e =
        q("attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d");
    assert!(e.eval(&inst().typ("g2.2xlarge").az("us-east-1a")));
    assert!(!e.eval(&inst().typ("g2.2xlarge").az("us-east-1d")));
    assert!(!e.eval(&inst().typ("m5.large").az("us-east-1a")));
    assert_eq!(
        sexp(&e),
        "(and {attribute:ecs.instance-type =~ g2.*} {attribute:ecs.availability-zone != us-east-1d})"
    );
}

#[test]
fn doc_task_affinity() {
    // cql.md, "Example expressions", "Example: Task Affinity"
    let e = q("task:group == service:production");
    assert!(e.eval(&inst().group("service:production")));
    assert!(!e.eval(&inst().group("service:staging")));
    assert!(!e.eval(&inst()));
}

#[test]
fn doc_task_anti_affinity() {
    // cql.md, "Example expressions", "Example: Task Anti-Affinity"
    let e = q("not(task:group == database)");
    assert!(e.eval(&inst()));
    assert!(e.eval(&inst().group("web")));
    assert!(!e.eval(&inst().group("database")));
}

#[test]
fn doc_running_task_count() {
    // cql.md, "Example expressions", "Example: Running task count"
    let e = q("runningTasksCount == 1");
    assert!(e.eval(&inst().running(1)));
    assert!(!e.eval(&inst().running(0)));
    assert!(!e.eval(&inst().running(2)));
}

#[test]
fn doc_agent_version() {
    // cql.md, "Example expressions", "Example: Amazon ECS container agent version"
    let e = q("agentVersion < 1.14.5");
    assert!(e.eval(&inst().agent("1.14.4")));
    assert!(e.eval(&inst().agent("1.9.0")));
    assert!(!e.eval(&inst().agent("1.14.5")));
    // Versions compare by number, not as text: 1.100.0 is newer than 1.14.5.
    assert!(!e.eval(&inst().agent("1.100.0")));
    assert!(!e.eval(&inst()), "an unknown version is not below anything");
}

#[test]
fn doc_registration_time() {
    // cql.md, "Example expressions", "Example: Instance registration time": registered
    // before February 13, 2018.
    let e = q("registeredAt < 2018-02-13");
    assert!(e.eval(&inst().registered("2018-02-12T23:59:59Z")));
    assert!(e.eval(&inst().registered("2017-06-01")));
    assert!(!e.eval(&inst().registered("2018-02-13T00:00:00Z")));
    assert!(!e.eval(&inst().registered("2018-02-13T10:00:00+00:00")));
    // 01:00 at +02:00 is 23:00 the day before in UTC.
    assert!(e.eval(&inst().registered("2018-02-13T01:00:00+02:00")));
    assert!(!e.eval(&inst()));
}

#[test]
fn doc_registration_date_formats() {
    // cql.md, "Expression syntax", registeredAt: the four valid date formats.
    for lit in [
        "2018-06-18T22:28:28+00:00",
        "2018-06-18T22:28:28Z",
        "2018-06-18T22:28:28",
        "2018-06-18",
    ] {
        let e = q(&format!("registeredAt == {lit}"));
        assert!(e.eval(&inst().registered("2018-06-18T22:28:28Z")), "{lit}");
        assert!(!e.eval(&inst().registered("2018-06-17T22:28:28Z")), "{lit}");
    }
}

#[test]
fn doc_ec2_instance_id() {
    // cql.md, "Example expressions", "Example: Amazon EC2 instance ID" (quoted literals)
    let e = q("ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']");
    assert!(e.eval(&inst().id("i-abcd1234")));
    assert!(e.eval(&inst().id("i-wxyx7890")));
    assert!(!e.eval(&inst().id("i-00000000")));
}

#[test]
fn doc_compound_precedence_template() {
    // cql.md, "Compound expressions": `(expression1 or expression2) and expression3`
    let e = q("(attribute:a == 1 or attribute:b == 2) and attribute:c == 3");
    assert_eq!(
        sexp(&e),
        "(and (or {attribute:a == 1} {attribute:b == 2}) {attribute:c == 3})"
    );
    assert!(e.eval(&inst().attr("b", "2").attr("c", "3")));
    assert!(!e.eval(&inst().attr("b", "2")));
}

#[test]
fn doc_all_operator_spellings() {
    // cql.md, "Expression syntax", operator table: every spelling of every operator.
    let spellings = [
        ("==", Op::Eq),
        ("equals", Op::Eq),
        ("!=", Op::Ne),
        ("not_equals", Op::Ne),
        (">", Op::Gt),
        ("greater_than", Op::Gt),
        (">=", Op::Ge),
        ("greater_than_equal", Op::Ge),
        ("<", Op::Lt),
        ("less_than", Op::Lt),
        ("<=", Op::Le),
        ("less_than_equal", Op::Le),
        ("exists", Op::Exists),
        ("!exists", Op::NotExists),
        ("not_exists", Op::NotExists),
        ("in", Op::In),
        ("!in", Op::NotIn),
        ("not_in", Op::NotIn),
        ("=~", Op::Matches),
        ("matches", Op::Matches),
        ("!~", Op::NotMatches),
        ("not_matches", Op::NotMatches),
    ];
    for (spelling, op) in spellings {
        let arg = match op {
            Op::Exists | Op::NotExists => "",
            Op::In | Op::NotIn => " [x, y]",
            _ => " x",
        };
        let Expr::Term(t) = q(&format!("attribute:a {spelling}{arg}")) else {
            panic!("{spelling}: not a term");
        };
        assert_eq!(t.op, op, "{spelling}");
    }
}

#[test]
fn doc_boolean_spellings() {
    // cql.md, "Compound expressions": &&/and, ||/or, !/not
    assert_eq!(
        q("attribute:a exists && attribute:b exists || !(attribute:c exists)"),
        q("attribute:a exists and attribute:b exists or not(attribute:c exists)")
    );
}

#[test]
fn doc_constraint_examples() {
    // constraints.md, "Example constraints": T2 instances; instances with `databases` tasks.
    let t2 = q("attribute:ecs.instance-type =~ t2.*");
    assert!(t2.eval(&inst().typ("t2.micro")));
    assert!(!t2.eval(&inst().typ("m5.large")));
    let db = q("task:group == databases");
    assert!(db.eval(&inst().group("databases")));
    assert!(!db.eval(&inst()));
}

#[test]
fn doc_os_family() {
    // constraints.md, "Built-in attributes", ecs.os-family: memberOf(attribute:ecs.os-family
    // == WINDOWS_SERVER_<OS_Release>_<FULL or CORE>); the expression is what is inside.
    let e = q("attribute:ecs.os-family == WINDOWS_SERVER_2022_FULL");
    assert!(e.eval(&inst().attr("ecs.os-family", "WINDOWS_SERVER_2022_FULL")));
    assert!(!e.eval(&inst().attr("ecs.os-family", "WINDOWS_SERVER_2019_FULL")));
}

#[test]
fn doc_filter_examples() {
    // constraints.md, "Filtering by attribute using the console", AWS CLI examples.
    // "Example: Built-in attribute"
    let e = q("attribute:ecs.instance-type == g2.2xlarge");
    assert!(e.eval(&inst().typ("g2.2xlarge")));
    // "Example: Custom attribute"
    let e = q("attribute:stack == prod");
    assert!(e.eval(&inst().attr("stack", "prod")));
    assert!(!e.eval(&inst()));
    // "Example: Exclude an attribute value": lists instances *with* the attribute stack,
    // unless it is prod. So an instance without stack is not listed.
    let e = q("attribute:stack != prod");
    assert!(e.eval(&inst().attr("stack", "dev")));
    assert!(!e.eval(&inst().attr("stack", "prod")));
    assert!(!e.eval(&inst()));
    // "Example: Multiple attribute values"
    let e = q("attribute:ecs.instance-type in [t2.small, t2.medium]");
    assert!(e.eval(&inst().typ("t2.medium")));
    assert!(!e.eval(&inst().typ("t2.large")));
    // "Example: Multiple attributes"
    let e =
        q("attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone == us-east-1a");
    assert!(e.eval(&inst().typ("t2.nano").az("us-east-1a")));
    assert!(!e.eval(&inst().typ("t2.nano").az("us-east-1b")));
}

#[test]
fn doc_custom_attribute_names() {
    // constraints.md, "Custom attributes": names of 1-128 letters, digits, -, _, /, \, .
    let name = "Team_1/sub-part\\x.y";
    let e = q(&format!("attribute:{name} == a"));
    assert!(e.eval(&inst().attr(name, "a")));
    q(&format!("attribute:{} exists", "n".repeat(128)));
    let e = err(&format!("attribute:{} exists", "n".repeat(129)));
    assert_eq!(e.column, 11);
    assert_eq!(e.expected, "an attribute name of at most 128 characters");
}

#[test]
fn doc_custom_attribute_values() {
    // constraints.md, "Custom attributes": values may contain @, :, / \ and spaces (spaces
    // need quotes in a query).
    let e = q("attribute:owner in ['team a@example', x:y/z\\w]");
    assert!(e.eval(&inst().attr("owner", "team a@example")));
    assert!(e.eval(&inst().attr("owner", "x:y/z\\w")));
    assert_round_trip("attribute:owner in ['team a@example', x:y/z\\w]");
}

// ---------------------------------------------------------------------------------------
// Regular expressions
// ---------------------------------------------------------------------------------------

#[test]
fn regex_agrees_with_java_pattern_matches() {
    // Expected columns were produced by java.util.regex.Pattern.matches(pattern, value) on
    // OpenJDK 17 for these values, in this order:
    let values = [
        "t2.micro",
        "xt2.micro",
        "T2.MICRO",
        "m5.large",
        "g2.2xlarge",
        "us-east-1a",
        "us-east-1c",
        "ab",
        "123",
        "\u{661}\u{662}\u{663}",
        "t2",
        "ü",
    ];
    let java = [
        ("t2.*", "100000000010"),
        ("g2.*", "000010000000"),
        ("t2\\.(micro|small)", "100000000000"),
        ("(?i)T2.*", "101000000010"),
        ("\\d+", "000000001000"),
        ("[a-z]+-\\d", "000000000000"),
        ("a|ab", "000000010000"),
        (".*large", "000110000000"),
        ("m5.*|c5.*", "000100000000"),
        ("us-east-1[ab]", "000001000000"),
        ("\\w+", "000000011010"),
        ("t2", "000000000010"),
    ];
    for (pattern, expected) in java {
        let e = q(&format!("attribute:v =~ '{pattern}'"));
        let got: String = values
            .iter()
            .map(|v| {
                if e.eval(&inst().attr("v", v)) {
                    '1'
                } else {
                    '0'
                }
            })
            .collect();
        assert_eq!(got, expected, "pattern {pattern}");
    }
}

#[test]
fn bare_regex_keeps_its_brackets() {
    let e = q("not(attribute:ecs.instance-type =~ t2.(micro|small)) and attribute:a exists");
    assert_eq!(
        sexp(&e),
        "(and (not {attribute:ecs.instance-type =~ t2.(micro|small)}) {attribute:a exists})"
    );
    let e = q("attribute:az =~ us-east-[0-9][a-z]{1,2}");
    assert!(e.eval(&inst().attr("az", "us-east-1a")));
    assert!(!e.eval(&inst().attr("az", "us-east-1abc")));
}

#[test]
fn not_matches_and_missing() {
    let e = q("attribute:ecs.instance-type !~ t2.*");
    assert!(e.eval(&inst().typ("m5.large")));
    assert!(!e.eval(&inst().typ("t2.micro")));
    assert!(
        !e.eval(&inst()),
        "a missing attribute matches nothing, not even !~"
    );
}

#[test]
fn regex_errors_name_the_java_feature() {
    let e = err("ec2InstanceId =~ i-(?=abc).*");
    assert_eq!(e.column, 18);
    assert_eq!(e.found, "i-(?=abc).*");
    assert!(e.expected.contains("look-around"), "{}", e.expected);
    assert_eq!(
        e.hint.as_deref(),
        Some("look-ahead ((?=...), (?!...)) is Java syntax the planner cannot evaluate")
    );
    for (pattern, feature) in [
        ("(?<=a)b", "look-behind"),
        ("(a)\\1", "backreference"),
        ("a++", "possessive"),
        ("(?>a)", "atomic group"),
        ("\\p{Alpha}+", "\\p{...}"),
        ("\\Qa.b\\E", "\\Q...\\E"),
        ("[a-z&&[^e]]", "intersection"),
    ] {
        let e = err(&format!("attribute:a =~ '{pattern}'"));
        assert_eq!(e.column, 16, "{pattern}");
        assert!(
            e.hint.as_deref().unwrap_or("").contains(feature),
            "{pattern}: {e}"
        );
    }
}

#[test]
fn regex_star_is_not_a_wildcard() {
    // AWS's examples only ever use `.*`; Java rejects a leading `*` ("Dangling meta
    // character"), and so do we, with a hint.
    let e = err("attribute:ecs.instance-type =~ *.large");
    assert_eq!(e.column, 32);
    assert_eq!(e.found, "*.large");
    assert!(e.hint.unwrap().contains("write .* for"));
}

#[test]
fn regex_that_cannot_be_anchored() {
    // In (?x) mode a # comment would swallow the anchoring we add around the pattern.
    let e = err("attribute:a =~ '(?x)a#c'");
    assert_eq!(e.column, 16);
    assert!(e.hint.unwrap().contains("cannot be anchored"));
    // Without a comment, (?x) is fine.
    assert!(q("attribute:a =~ '(?x) t2 \\. .*'").eval(&inst().attr("a", "t2.micro")));
}

#[test]
fn regex_syntax_error_has_the_literal_column() {
    let e = err("attribute:a exists and attribute:b =~ 'ab(c'");
    assert_eq!(e.column, 39);
    assert_eq!(e.width, 6);
    assert_eq!(e.found, "'ab(c'");
    assert!(e.hint.is_some());
}

// ---------------------------------------------------------------------------------------
// Errors and their columns
// ---------------------------------------------------------------------------------------

#[test]
fn error_display_format() {
    let e = err("attribute:ecs.instance-type is t2.small");
    assert_eq!(
        e.to_string(),
        "column 29: expected an operator (==, !=, in, =~, exists, ...), found \"is\""
    );
    assert_eq!(e.column, 29);
    assert_eq!(e.width, 2);
    assert_eq!(e.found, "is");
    let e = err("attribute:stack == prod and");
    assert_eq!(
        e.to_string(),
        "column 28: expected a subject (attribute:NAME, ec2InstanceId, registeredAt, \
         runningTasksCount, agentConnected, agentVersion or task:group), not(...) or (, \
         found end of input"
    );
}

/// (query, column, expected, found)
const ERRORS: &[(&str, usize, &str, &str)] = &[
    ("", 1, "a subject", "end of input"),
    ("   ", 4, "a subject", "end of input"),
    (
        "registeredAt =~ 2018.*",
        14,
        "an operator valid for registeredAt (==, !=, >, >=, <, <=)",
        "=~",
    ),
    (
        "runningTasksCount exists",
        19,
        "an operator valid for runningTasksCount (==, !=, >, >=, <, <=)",
        "exists",
    ),
    (
        "agentVersion in [1.0]",
        14,
        "an operator valid for agentVersion (==, !=, >, >=, <, <=)",
        "in",
    ),
    (
        "ec2InstanceId > i-1",
        15,
        "an operator valid for ec2InstanceId (==, !=, in, !in, =~, !~)",
        ">",
    ),
    (
        "agentConnected >= true",
        16,
        "an operator valid for agentConnected (==, !=, in, !in, =~, !~)",
        ">=",
    ),
    (
        "task:group =~ service:.*",
        12,
        "an operator valid for task:group (==, !=, in, !in)",
        "=~",
    ),
    (
        "task:group exists",
        12,
        "an operator valid for task:group (==, !=, in, !in)",
        "exists",
    ),
    (
        "runningTasksCount == one",
        22,
        "a whole number such as 2",
        "one",
    ),
    (
        "runningTasksCount < -1",
        21,
        "a whole number such as 2",
        "-1",
    ),
    (
        "runningTasksCount < 1.5",
        21,
        "a whole number such as 2",
        "1.5",
    ),
    (
        "agentVersion < 1.14.x",
        16,
        "an agent version such as 1.14.5",
        "1.14.x",
    ),
    (
        "registeredAt < 2018-02-30",
        16,
        "a date such as 2018-06-18 or 2018-06-18T22:28:28Z",
        "2018-02-30",
    ),
    (
        "registeredAt < '18 June 2018'",
        16,
        "a date such as 2018-06-18 or 2018-06-18T22:28:28Z",
        "'18 June 2018'",
    ),
    ("agentConnected == yes", 19, "true or false", "yes"),
    (
        "agentConnected in [true, nope]",
        26,
        "true or false",
        "nope",
    ),
    (
        "(attribute:stack == prod",
        25,
        "a connective (and, or) or ) to close the ( at column 1",
        "end of input",
    ),
    (
        "attribute:stack == prod)",
        24,
        "a connective (and, or) or end of input",
        ")",
    ),
    (
        "(attribute:a exists) x",
        22,
        "a connective (and, or) or end of input",
        "x",
    ),
    (
        "(attribute:a exists x)",
        21,
        "a connective (and, or) or )",
        "x",
    ),
    (
        "attribute:a == b c == d",
        18,
        "a connective (and, or) or end of input",
        "c",
    ),
    (
        "not task:group == db",
        5,
        "( after not: it negates a parenthesised expression",
        "task:group",
    ),
    (
        "!attribute:a exists",
        2,
        "( after not: it negates a parenthesised expression",
        "attribute:a",
    ),
    ("not()", 5, "a subject", ")"),
    ("attribute:x in a, b", 16, "a list such as [a, b]", "a"),
    (
        "attribute:x in [a, b",
        21,
        ", or ] to continue the list",
        "end of input",
    ),
    (
        "attribute:x in [a b]",
        19,
        ", or ] to continue the list",
        "b",
    ),
    ("attribute:x in []", 17, "a value", "]"),
    ("attribute:x in [a,]", 19, "a value", "]"),
    (
        "attribute:x == [a, b]",
        16,
        "a single value (a list [...] goes with in or !in)",
        "[",
    ),
    ("attribute:x ==", 15, "a value", "end of input"),
    ("attribute:x == )", 16, "a value", ")"),
    (
        "attribute:x == 'abc",
        16,
        "a closing ' to end the value that starts here",
        "end of input",
    ),
    (
        "attribute:x =~ \"abc",
        16,
        "a closing \" to end the value that starts here",
        "end of input",
    ),
    (
        "attribute: == x",
        11,
        "an attribute name after attribute: (letters, digits, -, _, /, \\ or .)",
        " ",
    ),
    (
        "attribute:é == x",
        11,
        "an attribute name after attribute:",
        "é",
    ),
    (
        "attribute:a@b == x",
        12,
        "an operator (==, !=, in, =~, exists, ...)",
        "@b",
    ),
    (
        "attribute:a exists and and attribute:b exists",
        24,
        "a subject",
        "and",
    ),
    ("attribute:a exists or", 22, "a subject", "end of input"),
    ("attribute:a == 'üü' xx", 21, "a connective", "xx"),
    (
        "attribute:a =~",
        15,
        "a regular expression such as t2.*",
        "end of input",
    ),
    ("task:groups == x", 1, "a subject", "task:groups"),
    ("ec2InstanceIds == x", 1, "a subject", "ec2InstanceIds"),
];

#[test]
fn error_columns() {
    for &(src, column, expected, found) in ERRORS {
        let e = err(src);
        assert_eq!(e.column, column, "{src:?}: {e}");
        assert!(e.expected.starts_with(expected), "{src:?}: {e}");
        assert_eq!(e.found, found, "{src:?}: {e}");
    }
}

#[test]
fn error_hints() {
    let cases = [
        (
            "ecs.instance-type == t2.small",
            "did you mean \"attribute:ecs.instance-type\"?",
        ),
        (
            "stack.name == prod",
            "did you mean \"attribute:stack.name\"?",
        ),
        (
            "runingTasksCount == 1",
            "did you mean \"runningTasksCount\"?",
        ),
        ("AgentVersion < 1.2", "did you mean \"agentVersion\"?"),
        ("NOT(attribute:a exists)", "did you mean \"not\"?"),
        ("attribute:a = b", "did you mean \"==\"?"),
        ("attribute:a equal b", "did you mean \"equals\"?"),
        ("attribute:a notin [b]", "did you mean \"not_in\"?"),
        (
            "attribute:a == b AND attribute:c == d",
            "did you mean \"and\"?",
        ),
        (
            "attribute:a == b & attribute:c == d",
            "did you mean \"&&\"?",
        ),
        ("attribute:a == b)", "this ) has no matching ("),
        (
            "attribute ecs.os-type == linux",
            "write attribute:NAME, with no space after attribute",
        ),
        // constraints.md, "Built-in attributes", writes memberOf(...) around the expression.
        (
            "memberOf(attribute:ecs.os-family == WINDOWS_SERVER_2022_FULL)",
            "the expression is what goes inside memberOf(...), as in attribute:stack == prod",
        ),
        (
            "not task:group == db",
            "write not(...), as in not(task:group == database)",
        ),
    ];
    for (src, hint) in cases {
        let e = err(src);
        assert_eq!(e.hint.as_deref(), Some(hint), "{src:?}: {e}");
        assert!(e.to_string().ends_with(&format!("; {hint}")), "{e}");
    }
    // No guess for short words: "is" could be anything.
    assert_eq!(err("attribute:a is b").hint, None);
}

#[test]
fn length_limit() {
    // constraints digest (ecs-semantics.md §1.4): an expression is at most 2000 characters.
    let prefix = "attribute:a == ";
    let at_limit = format!("{prefix}{}", "x".repeat(2000 - prefix.len()));
    assert_eq!(at_limit.chars().count(), 2000);
    q(&at_limit);
    let over = format!("{at_limit}y");
    let e = err(&over);
    assert_eq!(e.column, 2001);
    assert_eq!(e.found, "y");
    assert!(e.expected.contains("2000 characters"));
    // Counted in characters, not bytes.
    let wide = format!("{prefix}'{}'", "é".repeat(2000 - prefix.len() - 2));
    q(&wide);
}

#[test]
fn nesting_limit() {
    let nested = |n: usize| format!("{}attribute:a exists{}", "(".repeat(n), ")".repeat(n));
    q(&nested(64));
    let e = err(&nested(65));
    assert_eq!(e.column, 65);
    assert_eq!(e.expected, "at most 64 nested parentheses");
    let nots = |n: usize| format!("{}attribute:a exists{}", "not(".repeat(n), ")".repeat(n));
    // An even number of negations of a false term.
    assert!(!q(&nots(64)).eval(&inst()));
    assert!(q(&nots(63)).eval(&inst()));
    assert!(parse(&nots(65)).is_err());
}

// ---------------------------------------------------------------------------------------
// Precedence and the operator table
// ---------------------------------------------------------------------------------------

#[test]
fn precedence_not_and_or() {
    let cases = [
        ("attribute:a exists or attribute:b exists and attribute:c exists",
         "(or {attribute:a exists} (and {attribute:b exists} {attribute:c exists}))"),
        ("attribute:a exists and attribute:b exists or attribute:c exists",
         "(or (and {attribute:a exists} {attribute:b exists}) {attribute:c exists})"),
        ("attribute:a exists and attribute:b exists and attribute:c exists",
         "(and (and {attribute:a exists} {attribute:b exists}) {attribute:c exists})"),
        ("attribute:a exists or attribute:b exists or attribute:c exists",
         "(or (or {attribute:a exists} {attribute:b exists}) {attribute:c exists})"),
        ("attribute:a exists and (attribute:b exists or attribute:c exists)",
         "(and {attribute:a exists} (or {attribute:b exists} {attribute:c exists}))"),
        ("not(attribute:a exists) and attribute:b exists",
         "(and (not {attribute:a exists}) {attribute:b exists})"),
        ("!(attribute:a exists or attribute:b exists) || attribute:c exists && attribute:d exists",
         "(or (not (or {attribute:a exists} {attribute:b exists})) (and {attribute:c exists} {attribute:d exists}))"),
        ("((attribute:a exists))", "{attribute:a exists}"),
        ("attribute:a==b&&attribute:c!=d||runningTasksCount>=2",
         "(or (and {attribute:a == b} {attribute:c != d}) {runningTasksCount >= 2})"),
        ("not (attribute:a exists)", "(not {attribute:a exists})"),
        ("not(not(attribute:a exists))", "(not (not {attribute:a exists}))"),
    ];
    for (src, tree) in cases {
        assert_eq!(sexp(&q(src)), tree, "{src}");
    }
    // and binds tighter than or, by evaluation too: true or (false and false) is true.
    let e = q("attribute:a exists or attribute:b exists and attribute:c exists");
    assert!(e.eval(&inst().attr("a", "1")));
}

#[test]
fn operator_subject_table() {
    // cql.md, "Expression syntax": valid operators per subject. attribute: lists none, so it
    // takes all; task:group lists none, and we allow the membership tests (module doc).
    let eq_family = ["==", "!=", "in", "!in", "=~", "!~"];
    let ordered = ["==", "!=", ">", ">=", "<", "<="];
    let table: &[(&str, &[&str], &str)] = &[
        ("agentConnected", &eq_family, "true"),
        ("ec2InstanceId", &eq_family, "i-1"),
        ("agentVersion", &ordered, "1.2.3"),
        ("registeredAt", &ordered, "2018-06-18"),
        ("runningTasksCount", &ordered, "3"),
        ("task:group", &["==", "!=", "in", "!in"], "service:web"),
        (
            "attribute:ecs.instance-type",
            &[
                "==", "!=", ">", ">=", "<", "<=", "exists", "!exists", "in", "!in", "=~", "!~",
            ],
            "t2.micro",
        ),
    ];
    for &(subject, valid, value) in table {
        for op in Op::ALL {
            for spelling in [op.symbol(), op.word()] {
                let arg = match op {
                    Op::Exists | Op::NotExists => String::new(),
                    Op::In | Op::NotIn => format!(" [{value}]"),
                    _ => format!(" {value}"),
                };
                let src = format!("{subject} {spelling}{arg}");
                let allowed = valid.contains(&op.symbol());
                match parse(&src) {
                    Ok(_) => assert!(allowed, "{src} should be refused"),
                    Err(e) => {
                        assert!(!allowed, "{src} should parse: {e}");
                        assert_eq!(e.column, subject.len() + 2, "{src}");
                        assert_eq!(e.found, spelling, "{src}");
                    }
                }
            }
        }
    }
}

#[test]
fn subjects_parse_to_their_variants() {
    let subject = |src: &str| match q(src) {
        Expr::Term(t) => t.subject,
        other => panic!("{other:?}"),
    };
    assert_eq!(subject("ec2InstanceId == i-1"), Subject::Ec2InstanceId);
    assert_eq!(subject("registeredAt > 2018-06-18"), Subject::RegisteredAt);
    assert_eq!(
        subject("runningTasksCount <= 4"),
        Subject::RunningTasksCount
    );
    assert_eq!(subject("agentConnected == false"), Subject::AgentConnected);
    assert_eq!(subject("agentVersion >= 1.2"), Subject::AgentVersion);
    assert_eq!(subject("task:group != x"), Subject::TaskGroup);
    for name in engine::api::cql::BUILTIN_ATTRIBUTES {
        assert_eq!(
            subject(&format!("attribute:{name} exists")),
            Subject::Attribute(name.to_string())
        );
    }
}

// ---------------------------------------------------------------------------------------
// Values that must lex as one literal
// ---------------------------------------------------------------------------------------

#[test]
fn single_literals() {
    for (src, value) in [
        ("task:group == service:production", "service:production"),
        ("ec2InstanceId == i-abcd1234", "i-abcd1234"),
        (
            "attribute:ecs.availability-zone == us-east-1a",
            "us-east-1a",
        ),
        (
            "registeredAt == 2018-06-18T22:28:28+00:00",
            "2018-06-18T22:28:28+00:00",
        ),
        ("agentVersion == 1.14.5", "1.14.5"),
        ("attribute:path == a/b\\c", "a/b\\c"),
        ("attribute:mail == a@b.c", "a@b.c"),
        ("attribute:quoted == 'two words'", "two words"),
        ("attribute:quoted == \"it's\"", "it's"),
        ("attribute:x == a=b", "a=b"),
    ] {
        let Expr::Term(t) = q(src) else { panic!() };
        assert_eq!(t.arg.to_string().trim_matches(['\'', '"']), value, "{src}");
    }
    // A value ends before an unmatched ) and before && / ||.
    assert_eq!(
        sexp(&q(
            "not(task:group == database)&&attribute:a == b||attribute:c == d"
        )),
        "(or (and (not {task:group == database}) {attribute:a == b}) {attribute:c == d})"
    );
}

// ---------------------------------------------------------------------------------------
// Evaluation rules
// ---------------------------------------------------------------------------------------

#[test]
fn missing_attribute_semantics() {
    let none = inst();
    let some = inst().attr("stack", "dev");
    for (src, when_missing, when_dev) in [
        ("attribute:stack exists", false, true),
        ("attribute:stack !exists", true, false),
        ("attribute:stack not_exists", true, false),
        ("attribute:stack == prod", false, false),
        ("attribute:stack != prod", false, true),
        ("attribute:stack in [prod]", false, false),
        ("attribute:stack !in [prod]", false, true),
        ("attribute:stack =~ p.*", false, false),
        ("attribute:stack !~ p.*", false, true),
        ("attribute:stack > a", false, true),
        ("attribute:stack <= a", false, false),
        ("not(attribute:stack == prod)", true, true),
    ] {
        assert_eq!(
            q(src).eval(&none),
            when_missing,
            "{src} on an instance without stack"
        );
        assert_eq!(q(src).eval(&some), when_dev, "{src} on stack=dev");
    }
}

#[test]
fn attribute_ordering_numeric_or_text() {
    let gen = |v: &str| inst().attr("gen", v);
    let e = q("attribute:gen > 9");
    assert!(e.eval(&gen("10")), "numbers compare as numbers");
    assert!(e.eval(&gen("9.5")));
    assert!(!e.eval(&gen("-3")));
    assert!(
        !e.eval(&gen("1e3")),
        "not a plain decimal, so text: \"1e3\" < \"9\""
    );
    let e = q("attribute:tier >= gold");
    assert!(e.eval(&inst().attr("tier", "silver")));
    assert!(!e.eval(&inst().attr("tier", "bronze")));
    // == stays exact text even for numbers.
    assert!(!q("attribute:gen == 1.0").eval(&gen("1")));
}

#[test]
fn agent_version_and_count_rules() {
    assert!(q("agentVersion == 1.14").eval(&inst().agent("1.14.0")));
    assert!(q("agentVersion >= 1.14.5").eval(&inst().agent("1.100.0")));
    assert!(
        !q("agentVersion != 1.2").eval(&inst().agent("garbage")),
        "unreadable is missing"
    );
    assert!(q("agentVersion > 1.2").eval(&inst().agent("v1.3.0-rc1")));
    assert!(q("runningTasksCount < 3").eval(&inst().running(2)));
    assert!(q("runningTasksCount != 3").eval(&inst()));
    assert!(q("agentConnected == false").eval(&inst().connected(false)));
    assert!(q("agentConnected in [true]").eval(&inst()));
    assert!(q("agentConnected =~ t.*").eval(&inst()));
    assert!(q("ec2InstanceId =~ i-0.*").eval(&inst()));
}

#[test]
fn registered_at_date_covers_the_day() {
    let at = |t: &str| inst().registered(t);
    let noon = at("2018-02-13T12:00:00Z");
    assert!(q("registeredAt == 2018-02-13").eval(&noon));
    assert!(q("registeredAt <= 2018-02-13").eval(&noon));
    assert!(q("registeredAt >= 2018-02-13").eval(&noon));
    assert!(!q("registeredAt > 2018-02-13").eval(&noon));
    assert!(!q("registeredAt < 2018-02-13").eval(&noon));
    assert!(q("registeredAt > 2018-02-13").eval(&at("2018-02-14T00:00:00Z")));
    assert!(q("registeredAt == 2018-02-13T12:00:00+00:00").eval(&noon));
    assert!(q("registeredAt == 2018-02-13T13:00:00+01:00").eval(&noon));
    assert!(!q("registeredAt == 2018-02-13T12:00:01Z").eval(&noon));
    assert!(!q("registeredAt != 2018-02-13").eval(&at("not a date")));
}

#[test]
fn task_group_is_a_set() {
    let both = inst().group("a").group("b");
    assert!(q("task:group == a").eval(&both));
    assert!(q("task:group == b").eval(&both));
    assert!(!q("task:group != a").eval(&both));
    assert!(q("task:group != c").eval(&both));
    assert!(
        q("task:group != c").eval(&inst()),
        "an empty instance runs no task of c"
    );
    assert!(q("task:group in [c, b]").eval(&both));
    assert!(!q("task:group !in [c, b]").eval(&both));
    assert!(q("task:group not_in [c, d]").eval(&both));
}

// ---------------------------------------------------------------------------------------
// Explanations and caching hints
// ---------------------------------------------------------------------------------------

#[test]
fn explain_false_sentences() {
    let m5 = inst()
        .typ("m5.large")
        .az("us-east-1c")
        .running(3)
        .agent("1.20.0");
    let cases = [
        ("attribute:ecs.instance-type =~ t2.*", "ecs.instance-type is m5.large, expression wants =~ t2.*"),
        ("task:group == service:db", "task:group: instance runs no task of group service:db"),
        ("task:group in [a, b]", "task:group: instance runs no task of groups a, b"),
        ("attribute:stack exists", "stack is not set on this instance, expression wants exists"),
        ("attribute:stack == prod", "stack is not set on this instance, expression wants == prod"),
        ("runningTasksCount == 1", "runningTasksCount is 3, expression wants == 1"),
        ("agentVersion < 1.14.5", "agentVersion is 1.20.0, expression wants < 1.14.5"),
        ("registeredAt < 2018-02-13", "registeredAt is unknown for this instance, expression wants < 2018-02-13"),
        ("agentConnected == false", "agentConnected is true, expression wants == false"),
        ("ec2InstanceId in [i-1, 'i 2']", "ec2InstanceId is i-0000, expression wants in [i-1, 'i 2']"),
        ("attribute:ecs.availability-zone !exists", "ecs.availability-zone is us-east-1c, expression wants !exists"),
        // and: the first false side.
        ("attribute:ecs.instance-type == m5.large and attribute:ecs.availability-zone == us-east-1a",
         "ecs.availability-zone is us-east-1c, expression wants == us-east-1a"),
        // or: every side.
        ("runningTasksCount == 0 or agentVersion < 1.14.5",
         "runningTasksCount is 3, expression wants == 0; agentVersion is 1.20.0, expression wants < 1.14.5"),
        // not: what made the inner expression true.
        ("not(attribute:ecs.instance-type == m5.large)",
         "ecs.instance-type is m5.large, expression wants not(attribute:ecs.instance-type == m5.large)"),
    ];
    for (src, sentence) in cases {
        let e = q(src);
        assert!(!e.eval(&m5), "{src}");
        assert_eq!(e.explain_false(&m5).as_deref(), Some(sentence), "{src}");
    }
    let db = inst().group("database");
    assert_eq!(
        q("not(task:group == database)").explain_false(&db).as_deref(),
        Some("task:group: instance runs a task of group database, expression wants not(task:group == database)")
    );
    assert_eq!(
        q("attribute:ecs.instance-type =~ m5.*").explain_false(&m5),
        None
    );
}

#[test]
fn depends_on_placed_tasks() {
    assert!(q("task:group == a").depends_on_placed_tasks());
    assert!(q("runningTasksCount < 3").depends_on_placed_tasks());
    assert!(q("attribute:a exists and not(task:group == a)").depends_on_placed_tasks());
    assert!(
        !q("attribute:a exists or agentVersion > 1.0 or registeredAt > 2018-01-01")
            .depends_on_placed_tasks()
    );
    assert!(!q("ec2InstanceId in [i-1] and agentConnected == true").depends_on_placed_tasks());
}

// ---------------------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------------------

#[test]
fn canonical_printing() {
    let cases = [
        (
            "attribute:ecs.instance-type equals t2.small",
            "attribute:ecs.instance-type == t2.small",
        ),
        (
            "ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']",
            "ec2InstanceId in [i-abcd1234, i-wxyx7890]",
        ),
        ("attribute:a not_exists", "attribute:a !exists"),
        (
            "!(attribute:a exists)&&attribute:b matches 'x y'",
            "not(attribute:a exists) and attribute:b =~ 'x y'",
        ),
        (
            "attribute:a exists and (attribute:b exists and attribute:c exists)",
            "attribute:a exists and (attribute:b exists and attribute:c exists)",
        ),
        (
            "(attribute:a exists or attribute:b exists) and attribute:c exists",
            "(attribute:a exists or attribute:b exists) and attribute:c exists",
        ),
        (
            "attribute:a exists or (attribute:b exists and attribute:c exists)",
            "attribute:a exists or attribute:b exists and attribute:c exists",
        ),
        ("attribute:q == \"it's\"", "attribute:q == \"it's\""),
        ("attribute:q == ''", "attribute:q == ''"),
        ("attribute:q == '[x]'", "attribute:q == '[x]'"),
        ("attribute:q == 'a,b'", "attribute:q == 'a,b'"),
        ("attribute:q == 'a)'", "attribute:q == 'a)'"),
        ("attribute:q == 'a&&b'", "attribute:q == 'a&&b'"),
        ("attribute:q == '(a)'", "attribute:q == (a)"),
        // An unclosed bracket would swallow the ) of an enclosing group if printed bare.
        ("not(task:group == '(')", "not(task:group == '(')"),
        // A final backslash would protect the ) that follows if printed bare.
        (
            "not(attribute:stack == 'A\\')",
            "not(attribute:stack == 'A\\')",
        ),
    ];
    for (src, printed) in cases {
        assert_eq!(q(src).to_string(), printed, "{src}");
        assert_round_trip(src);
    }
}

#[test]
fn round_trips() {
    for src in [
        "attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d",
        "not(task:group == database)",
        "registeredAt < 2018-02-13",
        "registeredAt >= 2018-06-18T22:28:28+00:00 or registeredAt == 2018-06-18T22:28:28",
        "agentVersion < 1.14.5",
        "attribute:r =~ 't2\\.(micro|small)' and attribute:r !~ [a-z]{2,3}",
        "attribute:r =~ \"'quoted'\"",
        "attribute:a in ['x, y', z, 'with space', \"it's\"]",
        "not(not(attribute:a exists or attribute:b exists) and (attribute:c exists or attribute:d exists))",
        "attribute:a == \\'",
        "attribute:a == a\\ b",
    ] {
        assert_round_trip(src);
    }
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

mod props {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of the grammar, glued at random: reaches much deeper into the parser than
    /// arbitrary text does.
    const TOKENS: &[&str] = &[
        "attribute:",
        "attribute:ecs.instance-type",
        "attribute:stack",
        "ec2InstanceId",
        "registeredAt",
        "runningTasksCount",
        "agentConnected",
        "agentVersion",
        "task:group",
        "task:",
        "==",
        "equals",
        "!=",
        "not_equals",
        ">",
        ">=",
        "<",
        "<=",
        "greater_than",
        "less_than_equal",
        "exists",
        "!exists",
        "not_exists",
        "in",
        "!in",
        "not_in",
        "=~",
        "matches",
        "!~",
        "not_matches",
        "and",
        "&&",
        "or",
        "||",
        "not",
        "!",
        "(",
        ")",
        "[",
        "]",
        ",",
        "'",
        "\"",
        "t2.*",
        "*",
        "(?=x)",
        "a++",
        "\\",
        "\\1",
        "1",
        "-1",
        "1.14.5",
        "2018-06-18",
        "2018-06-18T22:28:28Z",
        "true",
        "false",
        "service:web",
        "i-abcd1234",
        "'two words'",
        "us-east-1a",
        "é",
        "{",
        "}",
        "&",
        "|",
        " ",
        "",
    ];

    fn token_soup() -> impl Strategy<Value = String> {
        prop::collection::vec(
            (
                prop::sample::select(TOKENS),
                prop::sample::select(&[" ", "", "  "][..]),
            ),
            0..24,
        )
        .prop_map(|parts| parts.into_iter().flat_map(|(t, sep)| [t, sep]).collect())
    }

    /// One syntactically valid term, with random spellings and quoting.
    fn term() -> impl Strategy<Value = String> {
        let text = "[A-Za-z0-9._:/@-]{1,12}";
        let spaced = "[A-Za-z0-9 ,()\\[\\]&|.]{0,10}";
        let value = prop_oneof![
            text.prop_map(|s| s.to_string()),
            text.prop_map(|s| format!("'{s}'")),
            spaced.prop_map(|s| format!("'{s}'")),
            spaced.prop_map(|s| format!("\"{s}\"")),
        ];
        let list =
            prop::collection::vec(value.clone(), 1..4).prop_map(|v| format!("[{}]", v.join(", ")));
        let regex = prop::sample::select(
            &[
                "t2.*",
                "'t2\\.(micro|small)'",
                "[a-z]+",
                "(?i)M5.*",
                "'a b'",
                "\\d{1,3}",
                "x|y",
            ][..],
        );
        let attr = prop::sample::select(
            &[
                "attribute:stack",
                "attribute:ecs.instance-type",
                "attribute:a/b\\c",
            ][..],
        );
        let date = (
            1970u32..2100,
            1u32..=12,
            1u32..=28,
            0u32..24,
            0u32..60,
            0u32..60,
            0usize..4,
        )
            .prop_map(|(y, mo, d, h, mi, s, form)| match form {
                0 => format!("{y:04}-{mo:02}-{d:02}"),
                1 => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"),
                2 => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}"),
                _ => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}+{h:02}:{mi:02}"),
            });
        let version = prop::collection::vec(0u32..200, 1..4)
            .prop_map(|v| v.iter().map(u32::to_string).collect::<Vec<_>>().join("."));
        let ordered_op =
            prop::sample::select(&["==", "!=", ">", ">=", "<", "<=", "equals", "less_than"][..]);
        let eq_op = prop::sample::select(&["==", "!=", "not_equals"][..]);
        let list_op = prop::sample::select(&["in", "!in", "not_in"][..]);
        let re_op = prop::sample::select(&["=~", "!~", "matches", "not_matches"][..]);
        prop_oneof![
            (
                attr.clone(),
                prop::sample::select(&["exists", "!exists", "not_exists"][..])
            )
                .prop_map(|(a, o)| format!("{a} {o}")),
            (attr.clone(), ordered_op.clone(), value.clone())
                .prop_map(|(a, o, v)| format!("{a} {o} {v}")),
            (attr.clone(), list_op.clone(), list.clone())
                .prop_map(|(a, o, v)| format!("{a} {o} {v}")),
            (attr, re_op.clone(), regex.clone()).prop_map(|(a, o, r)| format!("{a} {o} {r}")),
            (eq_op.clone(), value.clone()).prop_map(|(o, v)| format!("ec2InstanceId {o} {v}")),
            (re_op.clone(), regex).prop_map(|(o, r)| format!("ec2InstanceId {o} {r}")),
            (eq_op.clone(), value.clone()).prop_map(|(o, v)| format!("task:group {o} {v}")),
            (list_op, list).prop_map(|(o, v)| format!("task:group {o} {v}")),
            (ordered_op.clone(), 0u32..100).prop_map(|(o, n)| format!("runningTasksCount {o} {n}")),
            (ordered_op.clone(), version).prop_map(|(o, v)| format!("agentVersion {o} {v}")),
            (ordered_op, date).prop_map(|(o, d)| format!("registeredAt {o} {d}")),
            (eq_op, any::<bool>()).prop_map(|(o, b)| format!("agentConnected {o} {b}")),
        ]
    }

    /// A valid expression built from terms with random connectives, negations and groups.
    fn expression() -> impl Strategy<Value = String> {
        term().prop_recursive(4, 16, 3, |inner| {
            prop_oneof![
                (
                    inner.clone(),
                    prop::sample::select(&[" and ", " or ", " && ", " || ", "&&", "||"][..]),
                    inner.clone()
                )
                    .prop_map(|(l, c, r)| format!("{l}{c}{r}")),
                (
                    prop::sample::select(&["not", "!", "not "][..]),
                    inner.clone()
                )
                    .prop_map(|(n, e)| format!("{n}({e})")),
                inner.prop_map(|e| format!("( {e} )")),
            ]
        })
    }

    fn instance() -> impl Strategy<Value = Inst> {
        (
            prop::option::of("[a-z0-9.]{1,8}"),
            prop::option::of("[a-z0-9.]{1,8}"),
            any::<u8>(),
            any::<bool>(),
            prop::option::of(prop::sample::select(
                &["1.14.5", "1.2", "garbage", "v2.0.1"][..],
            )),
            prop::option::of(prop::sample::select(
                &["2018-06-18", "2020-01-01T00:00:00Z", "nope"][..],
            )),
            prop::collection::btree_set(prop::sample::select(&["a", "service:web", "x"][..]), 0..3),
        )
            .prop_map(|(stack, typ, running, connected, agent, reg, groups)| {
                let mut i = inst().running(u32::from(running)).connected(connected);
                if let Some(s) = stack {
                    i = i.attr("stack", &s);
                }
                if let Some(t) = typ {
                    i = i.typ(&t);
                }
                i.agent_version = agent.map(str::to_string);
                i.registered_at = reg.map(str::to_string);
                i.groups = groups.into_iter().map(str::to_string).collect();
                i
            })
    }

    /// What every parse result must satisfy, whatever the input.
    fn check_any(src: &str) {
        match parse(src) {
            Ok(e) => {
                let printed = e.to_string();
                let again = parse(&printed);
                assert_eq!(again.as_ref(), Ok(&e), "{src:?} printed as {printed:?}");
            }
            Err(err) => {
                let len = src.chars().count();
                assert!(err.column >= 1 && err.column <= len + 1, "{src:?}: {err}");
                assert!(!err.expected.is_empty());
                let _ = err.to_string();
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            // PROPTEST_CASES=200000 for a longer fuzzing run.
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2000),
            // Regressions worth keeping become named tests above.
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn never_panics_on_arbitrary_text(src in any::<String>()) {
            check_any(&src);
        }

        #[test]
        fn never_panics_on_printable_text(src in "[ -~]{0,80}") {
            check_any(&src);
        }

        #[test]
        fn never_panics_on_token_soup(src in token_soup()) {
            check_any(&src);
        }

        #[test]
        fn never_panics_on_damaged_valid_expressions(
            src in expression(),
            edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, prop::sample::select(TOKENS)), 1..4),
        ) {
            // Near misses are what people type: delete, duplicate or insert around a valid query.
            let mut chars: Vec<char> = src.chars().collect();
            for (at, kind, token) in edits {
                let i = at.index(chars.len() + 1);
                match kind {
                    0 if i < chars.len() => { chars.remove(i); }
                    1 if i < chars.len() => { let c = chars[i]; chars.insert(i, c); }
                    _ => { for (k, c) in token.chars().enumerate() { chars.insert(i + k, c); } }
                }
            }
            check_any(&chars.into_iter().collect::<String>());
        }

        #[test]
        fn valid_expressions_parse_and_round_trip(src in expression(), i in instance()) {
            let e = parse(&src).map_err(|err| TestCaseError::fail(format!("{src:?}: {err}")))?;
            let printed = e.to_string();
            let again = parse(&printed).map_err(|err| TestCaseError::fail(format!("{printed:?}: {err}")))?;
            prop_assert_eq!(&again, &e);
            prop_assert_eq!(again.to_string(), printed);
            let value = e.eval(&i);
            prop_assert_eq!(again.eval(&i), value);
            prop_assert_eq!(e.explain_false(&i).is_none(), value);
        }
    }
}
