//! The one error a query can have: where it went wrong, what would have been valid there,
//! and what was there instead.
//!
//! Parsing stops at the first problem, because after a wrong token the rest of a short query
//! rarely means anything; the editor underlines `column .. column + width` and shows the
//! message, plus the hint when there is one ("did you mean ...").

use std::fmt;

/// Why a query could not be parsed.
///
/// `Display` reads like
/// `column 29: expected an operator (==, !=, in, =~, exists, ...), found "is"`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "column {column}: expected {expected}, found {}{}",
    Shown(found),
    HintSuffix(hint)
)]
pub struct ParseError {
    /// Where the problem starts: 1-based, counted in characters (not bytes).
    pub column: usize,
    /// How many characters the offending token spans (0 at end of input).
    pub width: usize,
    /// What would have been valid at this point, in words.
    pub expected: String,
    /// The offending token as written, or [`ParseError::END_OF_INPUT`].
    pub found: String,
    /// A likely fix, when one is obvious (a misspelt keyword, a Java-only regex feature).
    pub hint: Option<String>,
}

impl ParseError {
    /// The `found` text when the query ended too early.
    pub const END_OF_INPUT: &'static str = "end of input";

    /// An error at character index `at` (0-based).
    pub(crate) fn new(
        at: usize,
        width: usize,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> ParseError {
        ParseError {
            column: at + 1,
            width,
            expected: expected.into(),
            found: found.into(),
            hint: None,
        }
    }

    pub(crate) fn with_hint(mut self, hint: Option<String>) -> ParseError {
        self.hint = hint;
        self
    }
}

/// `found` in quotes, except the words "end of input".
struct Shown<'a>(&'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == ParseError::END_OF_INPUT {
            f.write_str(self.0)
        } else {
            write!(f, "\"{}\"", self.0)
        }
    }
}

struct HintSuffix<'a>(&'a Option<String>);

impl fmt::Display for HintSuffix<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(hint) => write!(f, "; {hint}"),
            None => Ok(()),
        }
    }
}
