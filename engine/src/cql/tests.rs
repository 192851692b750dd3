//! Tests of the lexer's context-dependent reading; the language as a whole is tested through
//! the public API in `engine/tests/cql.rs`.

use super::lexer::{reads_back_bare, Lexer, Tok};

/// The bare or quoted value at the start of `src`, and where it ends.
fn literal(src: &str) -> (Tok, usize) {
    let token = Lexer::new(src).literal().expect("no lexer error");
    (token.tok, token.end)
}

fn lit(s: &str) -> Tok {
    Tok::Literal(s.to_string())
}

#[test]
fn bare_values_end_where_the_expression_continues() {
    let cases = [
        ("service:production and x", "service:production", 18),
        (
            "2018-06-18T22:28:28+00:00)",
            "2018-06-18T22:28:28+00:00",
            25,
        ),
        ("database)", "database", 8),
        ("t2.(micro|small))", "t2.(micro|small)", 16),
        ("[a-z]{2,3} or", "[a-z]{2,3}", 10),
        ("a,b", "a", 1),
        ("a]", "a", 1),
        ("a&&b", "a", 1),
        ("a||b", "a", 1),
        ("a|b&c", "a|b&c", 5),
        ("a\\)b)", "a\\)b", 4),
        ("x'y'", "x", 1),
        ("a}b", "a}b", 3),
        ("ab\\", "ab\\", 3),
    ];
    for (src, value, end) in cases {
        assert_eq!(literal(src), (lit(value), end), "{src:?}");
    }
}

#[test]
fn quoted_values_have_no_escapes() {
    assert_eq!(literal("'a b' x"), (lit("a b"), 5));
    assert_eq!(literal("\"it's\""), (lit("it's"), 6));
    assert_eq!(literal("'a\\' b"), (lit("a\\"), 4));
    assert_eq!(literal("''"), (lit(""), 2));
    assert!(Lexer::new("'open").literal().is_err());
}

#[test]
fn no_value_here() {
    assert_eq!(literal(""), (Tok::Eof, 0));
    assert_eq!(literal("  )"), (Tok::Other, 2));
    assert_eq!(literal(","), (Tok::Other, 0));
}

#[test]
fn bare_round_trip_check() {
    for bare in ["t2.*", "service:web", "(a|b)", "a\\ b", "1.14.5", "é"] {
        assert!(reads_back_bare(bare), "{bare:?}");
    }
    for quoted in [
        "", "a b", "a,b", "a)", "[a]", "'", "a\"", " a", "a&&b", "x||y", "(", "a(b", "x[", "{",
        "a\\",
    ] {
        assert!(!reads_back_bare(quoted), "{quoted:?}");
    }
}

#[test]
fn keywords_need_a_boundary() {
    let op = |src: &str| Lexer::new(src).operator().tok;
    assert_eq!(op("in[a]"), Tok::Op(super::Op::In));
    assert_eq!(op("inside"), Tok::Other);
    assert_eq!(op(">=3"), Tok::Op(super::Op::Ge));
    assert_eq!(op("greater_than_equal 3"), Tok::Op(super::Op::Ge));
    assert_eq!(op("not_exists"), Tok::Op(super::Op::NotExists));
    assert_eq!(op("!exists"), Tok::Op(super::Op::NotExists));
    assert_eq!(op("!existsx"), Tok::Other);
    let conn = |src: &str| Lexer::new(src).connective().tok;
    assert_eq!(conn("and(x)"), Tok::And);
    assert_eq!(conn("android"), Tok::Other);
    assert_eq!(conn("||x"), Tok::Or);
    assert_eq!(conn("order"), Tok::Other);
}

#[test]
fn found_text_is_one_thing() {
    let found = |src: &str| Lexer::new(src).found_at(0).0;
    assert_eq!(found("is t2.small"), "is");
    assert_eq!(found("=== x"), "===");
    assert_eq!(found(") and"), ")");
    assert_eq!(found("foo==bar"), "foo");
    assert_eq!(found(""), "end of input");
    assert_eq!(found(&"x".repeat(50)), format!("{}…", "x".repeat(40)));
}

/// `attributes_read` lists every attribute an expression reads, and gives up when it reads
/// anything else: placement evaluates such an expression once per combination of values.
#[test]
fn attributes_read_lists_the_attributes_or_none() {
    let cases: [(&str, Option<&[&str]>); 7] = [
        (
            "attribute:ecs.instance-type =~ m5.*",
            Some(&["ecs.instance-type"]),
        ),
        (
            "attribute:a == 1 and (attribute:b exists or not(attribute:a != 2))",
            Some(&["a", "b"]),
        ),
        ("attribute:pool in [a, b]", Some(&["pool"])),
        ("attribute:a == 1 and ec2InstanceId == i-1", None),
        ("attribute:a == 1 or agentConnected == true", None),
        ("not(registeredAt > 2020-01-01)", None),
        ("attribute:a == 1 and task:group == service:web", None),
    ];
    for (src, want) in cases {
        let expr = super::parse(src).expect("parses");
        assert_eq!(expr.attributes_read().as_deref(), want, "{src}");
    }
}
