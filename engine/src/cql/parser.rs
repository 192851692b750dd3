//! A Pratt parser (after matklad's minipratt) for cluster queries.
//!
//! `and` and `or` are the only infix operators, so the binding-power table has two rows;
//! `not` is not an operator here because the language requires a parenthesised expression
//! after it, which makes `not(...)` an atom like a term or a group. Both connectives
//! associate to the left.
//!
//! | connective     | left bp | right bp |
//! |----------------|---------|----------|
//! | `or`, `\|\|`   | 1       | 2        |
//! | `and`, `&&`    | 3       | 4        |
//!
//! A term is checked as soon as its parts are known: the operator against the subject (the
//! AWS table), the literal against the subject (a count, a version, a date, a boolean), and a
//! regular expression by compiling it. So every tree that comes out can be evaluated without
//! further failure.

use regex_lite::{Regex, RegexBuilder};

use super::ast::{
    Arg, ArgShape, Expr, Op, Pattern, Subject, Term, Typed, Value, BUILTIN_ATTRIBUTES,
};
use super::error::ParseError;
use super::lexer::{Lexer, Tok, Token};
use super::values::{parse_count, Timestamp, Version};

/// The longest query ECS accepts, in characters.
pub const MAX_EXPRESSION_CHARS: usize = 2000;

/// How deeply parentheses may nest. Our limit, far above any real query; it keeps the
/// recursive parser and the recursive evaluator well inside a wasm stack.
pub const MAX_NESTING: usize = 64;

/// Bounds the compiled size of one regular expression, so that something like
/// `(a{1000}){1000}` is rejected instead of using megabytes.
const REGEX_SIZE_LIMIT: usize = 1 << 20;
const REGEX_NEST_LIMIT: u32 = 64;

const EXPECTED_SUBJECT: &str = "a subject (attribute:NAME, ec2InstanceId, registeredAt, \
     runningTasksCount, agentConnected, agentVersion or task:group), not(...) or (";
const EXPECTED_REGEX: &str = "a regular expression the planner can evaluate (Java's look-around, \
     backreferences, possessive quantifiers, atomic groups and \\p{...} classes are not supported)";

/// Parses a cluster query such as `attribute:ecs.instance-type =~ t2.* and runningTasksCount < 3`.
///
/// Never panics. Fails on the first problem, with its column.
pub fn parse(src: &str) -> Result<Expr, ParseError> {
    let len = src.chars().count();
    if len > MAX_EXPRESSION_CHARS {
        let (found, _) = Lexer::new(src).found_at(MAX_EXPRESSION_CHARS);
        return Err(ParseError::new(
            MAX_EXPRESSION_CHARS,
            len - MAX_EXPRESSION_CHARS,
            format!("end of input (an expression is limited to {MAX_EXPRESSION_CHARS} characters)"),
            found,
        ));
    }
    let mut parser = Parser {
        lx: Lexer::new(src),
        depth: 0,
    };
    let expr = parser.expr_bp(0)?;
    let next = parser.lx.connective();
    match next.tok {
        Tok::Eof => Ok(expr),
        _ => Err(parser.bad_connective(&next)),
    }
}

struct Parser {
    lx: Lexer,
    /// How many groups are open, to say whether `)` would be welcome.
    depth: usize,
}

impl Parser {
    /// The Pratt loop: an atom, then as many connectives as bind at least as tightly as
    /// `min_bp`.
    fn expr_bp(&mut self, min_bp: u8) -> Result<Expr, ParseError> {
        let mut lhs = self.atom()?;
        loop {
            let next = self.lx.connective();
            let (l_bp, r_bp) = match next.tok {
                Tok::Or => (1, 2),
                Tok::And => (3, 4),
                Tok::Eof | Tok::RParen => break,
                _ => return Err(self.bad_connective(&next)),
            };
            if l_bp < min_bp {
                break;
            }
            self.lx.consume(&next);
            let rhs = Box::new(self.expr_bp(r_bp)?);
            lhs = match next.tok {
                Tok::And => Expr::And(Box::new(lhs), rhs),
                _ => Expr::Or(Box::new(lhs), rhs),
            };
        }
        Ok(lhs)
    }

    /// A term, `( expr )` or `not( expr )`.
    fn atom(&mut self) -> Result<Expr, ParseError> {
        let start = self.lx.expr_start()?;
        match &start.tok {
            Tok::LParen => {
                self.lx.consume(&start);
                self.group(start.start)
            }
            Tok::Not => {
                self.lx.consume(&start);
                let open = self.lx.punct();
                if open.tok != Tok::LParen {
                    let negation = self.lx.text(start.start, start.end);
                    return Err(self
                        .error_at(
                            open.start,
                            "( after not: it negates a parenthesised expression",
                        )
                        .with_hint(Some(format!(
                            "write {negation}(...), as in not(task:group == database)"
                        ))));
                }
                self.lx.consume(&open);
                Ok(Expr::Not(Box::new(self.group(open.start)?)))
            }
            Tok::Subject(subject) => {
                let subject = subject.clone();
                self.lx.consume(&start);
                self.term(subject)
            }
            _ => {
                let err = self.error_at(start.start, EXPECTED_SUBJECT);
                let hint = subject_hint(&err.found);
                Err(err.with_hint(hint))
            }
        }
    }

    /// The inside of a group whose `(` was at `open_at`, and its `)`.
    fn group(&mut self, open_at: usize) -> Result<Expr, ParseError> {
        if self.depth >= MAX_NESTING {
            return Err(ParseError::new(
                open_at,
                1,
                format!("at most {MAX_NESTING} nested parentheses"),
                "(",
            ));
        }
        self.depth += 1;
        let inner = self.expr_bp(0)?;
        let close = self.lx.connective();
        if close.tok != Tok::RParen {
            return Err(self.error_at(
                close.start,
                format!(
                    "a connective (and, or) or ) to close the ( at column {}",
                    open_at + 1
                ),
            ));
        }
        self.lx.consume(&close);
        self.depth -= 1;
        Ok(inner)
    }

    /// `subject operator [argument]`, after the subject.
    fn term(&mut self, subject: Subject) -> Result<Expr, ParseError> {
        let next = self.lx.operator();
        let op = match next.tok {
            Tok::Op(op) if subject.allows(op) => op,
            Tok::Op(_) => {
                let written = self.lx.text(next.start, next.end);
                return Err(ParseError::new(
                    next.start,
                    next.end - next.start,
                    expected_operator(&subject),
                    written,
                ));
            }
            _ => {
                let err = self.error_at(next.start, expected_operator(&subject));
                let hint = operator_hint(&err.found);
                return Err(err.with_hint(hint));
            }
        };
        self.lx.consume(&next);
        let arg = match op.shape() {
            ArgShape::None => Arg::None,
            ArgShape::Single => Arg::Value(self.value(&subject, false)?),
            ArgShape::List => Arg::List(self.list(&subject)?),
            ArgShape::Pattern => Arg::Pattern(self.pattern()?),
        };
        Ok(Expr::Term(Term { subject, op, arg }))
    }

    /// A literal, typed for `subject`.
    fn value(&mut self, subject: &Subject, in_list: bool) -> Result<Value, ParseError> {
        let token = self.lx.literal()?;
        let Tok::Literal(text) = &token.tok else {
            return Err(self.error_at(token.start, expected_value(subject)));
        };
        let written = self.lx.text(token.start, token.end);
        if !in_list && written.starts_with('[') {
            return Err(ParseError::new(
                token.start,
                1,
                "a single value (a list [...] goes with in or !in)",
                "[",
            ));
        }
        let Some(typed) = typed_value(subject, text) else {
            return Err(ParseError::new(
                token.start,
                token.end - token.start,
                expected_value(subject),
                written,
            ));
        };
        self.lx.consume(&token);
        Ok(Value::new(text.clone(), typed))
    }

    /// `[value, value, ...]`: at least one value, no trailing comma.
    fn list(&mut self, subject: &Subject) -> Result<Vec<Value>, ParseError> {
        let open = self.lx.punct();
        if open.tok != Tok::LBracket {
            return Err(self.error_at(open.start, "a list such as [a, b]"));
        }
        self.lx.consume(&open);
        let mut items = Vec::new();
        loop {
            items.push(self.value(subject, true)?);
            let sep = self.lx.punct();
            match sep.tok {
                Tok::Comma => self.lx.consume(&sep),
                Tok::RBracket => {
                    self.lx.consume(&sep);
                    return Ok(items);
                }
                _ => return Err(self.error_at(sep.start, ", or ] to continue the list")),
            }
        }
    }

    /// The regular expression after `=~` / `!~`, compiled.
    fn pattern(&mut self) -> Result<Pattern, ParseError> {
        let token = self.lx.literal()?;
        let Tok::Literal(source) = &token.tok else {
            return Err(self.error_at(token.start, "a regular expression such as t2.*"));
        };
        match compile_anchored(source) {
            Ok(regex) => {
                self.lx.consume(&token);
                Ok(Pattern::new(source.clone(), regex))
            }
            Err(reason) => Err(ParseError::new(
                token.start,
                token.end - token.start,
                EXPECTED_REGEX,
                self.lx.text(token.start, token.end),
            )
            .with_hint(Some(reason))),
        }
    }

    /// An error at character index `at`, naming what is there.
    fn error_at(&self, at: usize, expected: impl Into<String>) -> ParseError {
        let (found, width) = self.lx.found_at(at);
        ParseError::new(at, width, expected, found)
    }

    /// After a complete term something other than a connective came.
    fn bad_connective(&self, next: &Token) -> ParseError {
        let expected = if self.depth > 0 {
            "a connective (and, or) or )"
        } else {
            "a connective (and, or) or end of input"
        };
        let err = self.error_at(next.start, expected);
        let hint = match err.found.as_str() {
            ")" => Some("this ) has no matching (".to_string()),
            "&" => Some("did you mean \"&&\"?".to_string()),
            "|" => Some("did you mean \"||\"?".to_string()),
            word if word.eq_ignore_ascii_case("and") || word.eq_ignore_ascii_case("or") => {
                Some(format!("did you mean \"{}\"?", word.to_ascii_lowercase()))
            }
            _ => None,
        };
        err.with_hint(hint)
    }
}

/// What may follow `subject`, in words.
fn expected_operator(subject: &Subject) -> String {
    match subject {
        Subject::Attribute(_) => "an operator (==, !=, in, =~, exists, ...)".to_string(),
        _ => {
            let ops: Vec<&str> = subject.valid_ops().iter().map(|op| op.symbol()).collect();
            format!("an operator valid for {subject} ({})", ops.join(", "))
        }
    }
}

/// What a literal for `subject` must look like, in words.
fn expected_value(subject: &Subject) -> &'static str {
    match subject {
        Subject::RunningTasksCount => "a whole number such as 2",
        Subject::AgentVersion => "an agent version such as 1.14.5",
        Subject::RegisteredAt => "a date such as 2018-06-18 or 2018-06-18T22:28:28Z",
        Subject::AgentConnected => "true or false",
        Subject::Attribute(_) | Subject::Ec2InstanceId | Subject::TaskGroup => "a value",
    }
}

/// Reads `text` as a literal for `subject`; `None` if it is not one.
fn typed_value(subject: &Subject, text: &str) -> Option<Typed> {
    Some(match subject {
        Subject::Attribute(_) | Subject::Ec2InstanceId | Subject::TaskGroup => Typed::Text,
        Subject::RunningTasksCount => Typed::Count(parse_count(text)?),
        Subject::AgentVersion => Typed::Version(Version::parse_strict(text)?),
        Subject::RegisteredAt => Typed::Time(Timestamp::parse(text)?),
        Subject::AgentConnected => match text {
            "true" => Typed::Bool(true),
            "false" => Typed::Bool(false),
            _ => return None,
        },
    })
}

/// Compiles `source` so that it must match a whole value, as Java's `Pattern.matches` does.
/// The error is a short reason, for the hint.
fn compile_anchored(source: &str) -> Result<Regex, String> {
    let build = |pattern: &str| {
        RegexBuilder::new(pattern)
            .size_limit(REGEX_SIZE_LIMIT)
            .nest_limit(REGEX_NEST_LIMIT)
            .build()
    };
    // Checked first on its own so that a pattern cannot break out of the wrapping group,
    // and before compiling so that Java syntax the regex crate would read differently
    // (possessive `a++`) is refused rather than silently misread.
    if let Some(feature) = java_only_feature(source) {
        return Err(format!(
            "{feature} is Java syntax the planner cannot evaluate"
        ));
    }
    if let Err(e) = build(source) {
        if source.starts_with(['*', '+', '?']) {
            return Err(
                "this is a regular expression, not a wildcard: write .* for \"anything\", as in t2.*"
                    .to_string(),
            );
        }
        return Err(e.to_string());
    }
    build(&format!(r"\A(?:{source})\z")).map_err(|_| {
        "the pattern cannot be anchored to the whole value (a # comment in (?x) mode?)".to_string()
    })
}

/// Names the first construct in `source` that Java's regular expressions have and ours
/// (the `regex-lite` crate) do not, or read differently.
fn java_only_feature(source: &str) -> Option<&'static str> {
    let chars: Vec<char> = source.chars().collect();
    let at = |i: usize| chars.get(i).copied();
    let mut in_class = false;
    let mut i = 0;
    while let Some(c) = at(i) {
        match c {
            '\\' => {
                match at(i + 1) {
                    Some('1'..='9') => return Some("a backreference (\\1)"),
                    Some('k') => return Some("a named backreference (\\k<name>)"),
                    Some('Q') | Some('E') => return Some("quoting with \\Q...\\E"),
                    Some('p') | Some('P') => return Some("a \\p{...} character class"),
                    Some('G') | Some('Z') => return Some("the \\G or \\Z anchor"),
                    _ => {}
                }
                i += 2;
                continue;
            }
            '[' => in_class = true,
            ']' => in_class = false,
            '&' if in_class && at(i + 1) == Some('&') => {
                return Some("character class intersection ([a-z&&[^e]])")
            }
            '(' if !in_class && at(i + 1) == Some('?') => match (at(i + 2), at(i + 3)) {
                (Some('='), _) | (Some('!'), _) => return Some("look-ahead ((?=...), (?!...))"),
                (Some('<'), Some('=')) | (Some('<'), Some('!')) => {
                    return Some("look-behind ((?<=...), (?<!...))")
                }
                (Some('>'), _) => return Some("an atomic group ((?>...))"),
                _ => {}
            },
            '*' | '+' | '?' | '}' if !in_class && at(i + 1) == Some('+') => {
                return Some("a possessive quantifier (*+, ++, ?+)")
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// A likely intended subject for a word that is not one.
fn subject_hint(found: &str) -> Option<String> {
    if found == ParseError::END_OF_INPUT {
        return None;
    }
    if found == "attribute" {
        return Some("write attribute:NAME, with no space after attribute".to_string());
    }
    if found.starts_with("memberOf") {
        return Some(
            "the expression is what goes inside memberOf(...), as in attribute:stack == prod"
                .to_string(),
        );
    }
    if BUILTIN_ATTRIBUTES.contains(&found)
        || (found.contains('.') && found.chars().all(super::lexer::is_attribute_name_char))
    {
        return Some(format!("did you mean \"attribute:{found}\"?"));
    }
    let mut candidates: Vec<String> = [
        "ec2InstanceId",
        "registeredAt",
        "runningTasksCount",
        "agentConnected",
        "agentVersion",
        "task:group",
        "not",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    candidates.extend(BUILTIN_ATTRIBUTES.iter().map(|a| format!("attribute:{a}")));
    closest(found, candidates.iter().map(String::as_str)).map(|s| format!("did you mean \"{s}\"?"))
}

/// A likely intended operator for a word or symbol that is not one.
fn operator_hint(found: &str) -> Option<String> {
    let fix = match found {
        "=" => Some("=="),
        "~=" | "~" => Some("=~"),
        "<>" | "=!" => Some("!="),
        "=>" => Some(">="),
        "=<" => Some("<="),
        _ => closest(found, Op::ALL.iter().map(|op| op.word())),
    };
    fix.map(|s| format!("did you mean \"{s}\"?"))
}

/// The candidate closest to `word` when it is close enough to be a typo: the same word in
/// another case, or within a small edit distance for words long enough to judge.
fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str> + Clone) -> Option<&'a str> {
    if let Some(same) = candidates.clone().find(|c| c.eq_ignore_ascii_case(word)) {
        return Some(same);
    }
    let budget = match word.chars().count() {
        0..=3 => return None,
        4..=6 => 1,
        _ => 2,
    };
    candidates
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|&(d, _)| d <= budget)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}
