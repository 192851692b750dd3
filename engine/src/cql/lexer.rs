//! Splits query text into tokens, one position at a time, as the parser asks.
//!
//! The query language cannot be tokenised without context: `service:production`,
//! `2018-06-18T22:28:28+00:00` and `t2.(micro|small)` are single values, yet `:`, `+`, `(` and
//! `|` mean something elsewhere. So the parser tells the lexer what it expects next (an
//! expression, an operator, a value, a connective) and the lexer reads only that kind of
//! token. Every reader *peeks*: it returns a [`Token`] without moving, and the parser calls
//! [`Lexer::consume`] once it accepts the token.
//!
//! Positions are indices into the query's characters (not bytes), so error columns are what a
//! person counts in an editor.
//!
//! A bare (unquoted) value runs until whitespace, a quote, or a `,` / `)` / `]` / `&&` / `||`
//! that is not inside brackets the value opened itself; a backslash protects the next
//! character. That keeps regular expressions such as `t2\.(micro|small)` and `[a-z]{2,3}`
//! in one piece while `not(task:group == database)` still ends the value at `)`.

use super::ast::{Op, Subject};
use super::error::ParseError;

/// The longest custom attribute name AWS accepts.
pub(crate) const MAX_ATTRIBUTE_NAME: usize = 128;

/// What the parser may be looking at.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    /// `not` or `!` at the start of an expression.
    Not,
    /// `and` or `&&`.
    And,
    /// `or` or `||`.
    Or,
    Subject(Subject),
    Op(Op),
    /// A value, quotes removed.
    Literal(String),
    /// Nothing of the kind the parser asked for.
    Other,
    Eof,
}

/// A token and where it is, as character indices `start..end`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// Every spelling of every operator, longest first so that `>=` wins over `>` and
/// `not_exists` over `not_equals`' prefix.
const OPERATOR_SPELLINGS: &[(&str, Op)] = &[
    ("greater_than_equal", Op::Ge),
    ("less_than_equal", Op::Le),
    ("greater_than", Op::Gt),
    ("not_matches", Op::NotMatches),
    ("not_equals", Op::Ne),
    ("not_exists", Op::NotExists),
    ("less_than", Op::Lt),
    ("not_in", Op::NotIn),
    ("equals", Op::Eq),
    ("exists", Op::Exists),
    ("matches", Op::Matches),
    ("!exists", Op::NotExists),
    ("!in", Op::NotIn),
    ("in", Op::In),
    ("==", Op::Eq),
    ("!=", Op::Ne),
    (">=", Op::Ge),
    ("<=", Op::Le),
    ("=~", Op::Matches),
    ("!~", Op::NotMatches),
    (">", Op::Gt),
    ("<", Op::Lt),
];

/// Subjects written as a single keyword.
const SUBJECT_KEYWORDS: &[(&str, Subject)] = &[
    ("ec2InstanceId", Subject::Ec2InstanceId),
    ("registeredAt", Subject::RegisteredAt),
    ("runningTasksCount", Subject::RunningTasksCount),
    ("agentConnected", Subject::AgentConnected),
    ("agentVersion", Subject::AgentVersion),
    ("task:group", Subject::TaskGroup),
];

/// Characters allowed in an attribute name (AWS: letters, digits, `-`, `_`, `/`, `\`, `.`).
pub(crate) fn is_attribute_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '\\' | '.')
}

/// Characters that continue a keyword: a keyword must not be followed by one of these.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_quote(c: char) -> bool {
    c == '\'' || c == '"'
}

/// The lexer: the query's characters and the current position.
#[derive(Debug, Clone)]
pub(crate) struct Lexer {
    chars: Vec<char>,
    pos: usize,
}

impl Lexer {
    pub(crate) fn new(src: &str) -> Lexer {
        Lexer {
            chars: src.chars().collect(),
            pos: 0,
        }
    }

    /// Moves past an accepted token.
    pub(crate) fn consume(&mut self, token: &Token) {
        self.pos = token.end;
    }

    /// The source text of `start..end`.
    pub(crate) fn text(&self, start: usize, end: usize) -> String {
        self.chars[start..end].iter().collect()
    }

    /// Position of the next non-whitespace character.
    fn skip_ws(&self) -> usize {
        let mut i = self.pos;
        while i < self.chars.len() && self.chars[i].is_whitespace() {
            i += 1;
        }
        i
    }

    fn starts_with_at(&self, at: usize, s: &str) -> bool {
        let mut rest = self.chars.get(at..).unwrap_or_default().iter();
        s.chars().all(|c| rest.next() == Some(&c))
    }

    /// Whether the text at `at` is the keyword `word`, not followed by more word characters.
    fn keyword_at(&self, at: usize, word: &str) -> bool {
        let end = at + word.chars().count();
        self.starts_with_at(at, word) && !self.chars.get(end).is_some_and(|&c| is_word_char(c))
    }

    fn token(tok: Tok, start: usize, end: usize) -> Token {
        Token { tok, start, end }
    }

    /// What a person would call "the thing here", for error messages: end of input, a single
    /// bracket, quote or comma, a run of operator symbols, or a word (at most 40 characters).
    pub(crate) fn found_at(&self, at: usize) -> (String, usize) {
        let Some(&first) = self.chars.get(at) else {
            return (ParseError::END_OF_INPUT.to_string(), 0);
        };
        let symbol = |c: char| "=!<>~&|".contains(c);
        let single = |c: char| "()[],'\"".contains(c) || c.is_whitespace();
        let len = if single(first) {
            1
        } else if symbol(first) {
            self.chars[at..].iter().take_while(|&&c| symbol(c)).count()
        } else {
            self.chars[at..]
                .iter()
                .take_while(|&&c| !single(c) && !symbol(c))
                .count()
        };
        let shown = len.min(40);
        let mut text = self.text(at, at + shown);
        if shown < len {
            text.push('…');
        }
        (text, len)
    }

    /// Reads the start of an expression: `(`, `not` / `!`, or a subject.
    pub(crate) fn expr_start(&self) -> Result<Token, ParseError> {
        let at = self.skip_ws();
        let Some(&c) = self.chars.get(at) else {
            return Ok(Self::token(Tok::Eof, at, at));
        };
        match c {
            '(' => return Ok(Self::token(Tok::LParen, at, at + 1)),
            '!' => return Ok(Self::token(Tok::Not, at, at + 1)),
            _ => {}
        }
        if self.keyword_at(at, "not") {
            return Ok(Self::token(Tok::Not, at, at + 3));
        }
        if self.starts_with_at(at, "attribute:") {
            return self.attribute(at, at + "attribute:".len());
        }
        for (word, subject) in SUBJECT_KEYWORDS {
            let end = at + word.len();
            let boundary = !self
                .chars
                .get(end)
                .is_some_and(|&c| is_word_char(c) || c == ':' || c == '.');
            if self.starts_with_at(at, word) && boundary {
                return Ok(Self::token(Tok::Subject(subject.clone()), at, end));
            }
        }
        Ok(Self::token(Tok::Other, at, at))
    }

    /// Reads `NAME` after `attribute:`, which starts at `name_start`.
    fn attribute(&self, at: usize, name_start: usize) -> Result<Token, ParseError> {
        let len = self.chars[name_start..]
            .iter()
            .take_while(|&&c| is_attribute_name_char(c))
            .count();
        if len == 0 {
            let (found, width) = self.found_at(name_start);
            return Err(ParseError::new(
                name_start,
                width,
                "an attribute name after attribute: (letters, digits, -, _, /, \\ or .)",
                found,
            ));
        }
        if len > MAX_ATTRIBUTE_NAME {
            let (found, _) = self.found_at(name_start);
            return Err(ParseError::new(
                name_start,
                len,
                format!("an attribute name of at most {MAX_ATTRIBUTE_NAME} characters"),
                found,
            ));
        }
        let name = self.text(name_start, name_start + len);
        Ok(Self::token(
            Tok::Subject(Subject::Attribute(name)),
            at,
            name_start + len,
        ))
    }

    /// Reads an operator in any of its spellings.
    pub(crate) fn operator(&self) -> Token {
        let at = self.skip_ws();
        for (spelling, op) in OPERATOR_SPELLINGS {
            let ends_in_letter = spelling.ends_with(|c: char| c.is_ascii_alphabetic());
            let matched = if ends_in_letter {
                self.keyword_at(at, spelling)
            } else {
                self.starts_with_at(at, spelling)
            };
            if matched {
                return Self::token(Tok::Op(*op), at, at + spelling.len());
            }
        }
        let tok = if at == self.chars.len() {
            Tok::Eof
        } else {
            Tok::Other
        };
        Self::token(tok, at, at)
    }

    /// Reads what may follow a complete term: `and` / `&&`, `or` / `||`, `)` or the end.
    pub(crate) fn connective(&self) -> Token {
        let at = self.skip_ws();
        let (tok, len) = if at == self.chars.len() {
            (Tok::Eof, 0)
        } else if self.keyword_at(at, "and") {
            (Tok::And, 3)
        } else if self.starts_with_at(at, "&&") {
            (Tok::And, 2)
        } else if self.keyword_at(at, "or") || self.starts_with_at(at, "||") {
            (Tok::Or, 2)
        } else if self.chars[at] == ')' {
            (Tok::RParen, 1)
        } else {
            (Tok::Other, 0)
        };
        Self::token(tok, at, at + len)
    }

    /// Reads one of the single-character tokens `(`, `[`, `,`, `]`, or `Other`.
    pub(crate) fn punct(&self) -> Token {
        let at = self.skip_ws();
        let tok = match self.chars.get(at) {
            None => return Self::token(Tok::Eof, at, at),
            Some('(') => Tok::LParen,
            Some('[') => Tok::LBracket,
            Some(']') => Tok::RBracket,
            Some(',') => Tok::Comma,
            Some(_) => return Self::token(Tok::Other, at, at),
        };
        Self::token(tok, at, at + 1)
    }

    /// Reads a value: quoted with `'` or `"` (no escapes: use the other quote to include
    /// one), or bare (see the module doc). Returns `Other` / `Eof` when no value starts here.
    pub(crate) fn literal(&self) -> Result<Token, ParseError> {
        let at = self.skip_ws();
        let Some(&first) = self.chars.get(at) else {
            return Ok(Self::token(Tok::Eof, at, at));
        };
        if is_quote(first) {
            let body = at + 1;
            return match self.chars[body..].iter().position(|&c| c == first) {
                Some(len) => Ok(Self::token(
                    Tok::Literal(self.text(body, body + len)),
                    at,
                    body + len + 1,
                )),
                None => Err(ParseError::new(
                    at,
                    self.chars.len() - at,
                    format!("a closing {first} to end the value that starts here"),
                    ParseError::END_OF_INPUT,
                )),
            };
        }
        let (end, _) = self.bare_end(at);
        if end == at {
            return Ok(Self::token(Tok::Other, at, at));
        }
        Ok(Self::token(Tok::Literal(self.text(at, end)), at, end))
    }

    /// Where a bare value starting at `at` ends, and whether it is self-contained: every
    /// bracket it opened closed, and no final backslash waiting to protect what follows.
    fn bare_end(&self, at: usize) -> (usize, bool) {
        let mut open: Vec<char> = Vec::new();
        let mut i = at;
        while let Some(&c) = self.chars.get(i) {
            if c.is_whitespace() || is_quote(c) {
                break;
            }
            let top = open.is_empty();
            match c {
                '\\' => {
                    i += 2;
                    continue;
                }
                '(' | '[' | '{' => open.push(c),
                ')' | ']' | '}' => {
                    let opener = match c {
                        ')' => '(',
                        ']' => '[',
                        _ => '{',
                    };
                    if open.last() == Some(&opener) {
                        open.pop();
                    } else if top && c != '}' {
                        break;
                    }
                }
                ',' if top => break,
                '&' | '|' if top && self.chars.get(i + 1) == Some(&c) => break,
                _ => {}
            }
            i += 1;
        }
        let len = self.chars.len();
        (i.min(len), open.is_empty() && i <= len)
    }
}

/// Whether `text` can be printed bare: [`Lexer::literal`] reads it back as exactly this
/// value whatever follows it (so it must close every bracket it opens, or a following `)`
/// would be taken into it). The printer quotes everything else. Values starting with `[` are
/// always quoted, since a bare one would look like a list.
pub(crate) fn reads_back_bare(text: &str) -> bool {
    let lexer = Lexer::new(text);
    let starts_plain = text
        .chars()
        .next()
        .is_some_and(|c| c != '[' && !c.is_whitespace() && !is_quote(c));
    starts_plain && lexer.bare_end(0) == (lexer.chars.len(), true)
}
