//! Standard output and error that never panic, and text that cannot drive the terminal.
//!
//! `print!` panics when the output goes away (`ecsplan place plan.json | head -1` closes the
//! pipe) or cannot be written (a full disk). Here a closed pipe ends the program quietly, with
//! the status of a program stopped by SIGPIPE (141), which shells expect of `cmd | head`;
//! any other write error is reported on standard error with exit status 2 (unreadable input or
//! an unusable output). Messages on standard error are best effort: when it cannot be written
//! either, they are dropped.
//!
//! Plans are user text, and names printed to a terminal could carry ESC sequences, carriage
//! returns, BEL or C1 controls that rewrite the screen. Human output (`out!`, `outln!`,
//! `note!`) escapes every control character except the line feed (`\e`, `\r`, `\u{9b}`),
//! and bidirectional overrides; [`Clean`] escapes line feeds and tabs too, for names and
//! findings put into a line. JSON and exported files (`raw!`) are written as they are: serde
//! escapes control characters in JSON strings, and the exporters escape theirs.

use std::fmt;
use std::io::{self, Write};

/// Exit status for a closed output pipe: 128 + SIGPIPE, as if the signal had stopped us.
pub const BROKEN_PIPE: i32 = 141;

/// Writes human text to standard output, escaped.
macro_rules! out {
    ($($t:tt)*) => { $crate::output::human(format_args!($($t)*), false) };
}

/// `out!` with a line feed.
macro_rules! outln {
    () => { $crate::output::human(format_args!(""), true) };
    ($($t:tt)*) => { $crate::output::human(format_args!($($t)*), true) };
}

/// Writes text to standard output as it is (JSON, exported files).
macro_rules! raw {
    ($($t:tt)*) => { $crate::output::raw(format_args!($($t)*)) };
}

/// A line on standard error, escaped; dropped when standard error cannot be written.
macro_rules! note {
    ($($t:tt)*) => { $crate::output::note(format_args!($($t)*)) };
}

pub fn human(args: fmt::Arguments, newline: bool) {
    let mut s = escape_controls(&args.to_string(), false);
    if newline {
        s.push('\n');
    }
    write_out(s.as_bytes());
}

pub fn raw(args: fmt::Arguments) {
    match args.as_str() {
        Some(s) => write_out(s.as_bytes()),
        None => write_out(args.to_string().as_bytes()),
    }
}

pub fn note(args: fmt::Arguments) {
    let mut s = escape_controls(&args.to_string(), false);
    s.push('\n');
    let _ = io::stderr().write_all(s.as_bytes());
}

fn write_out(bytes: &[u8]) {
    if let Err(e) = io::stdout().lock().write_all(bytes) {
        fail(e);
    }
}

/// Flushes standard output at the end; its errors are the program's too.
pub fn finish() {
    if let Err(e) = io::stdout().lock().flush() {
        fail(e);
    }
}

/// Ends the program after a write error on standard output.
pub fn fail(e: io::Error) -> ! {
    if e.kind() == io::ErrorKind::BrokenPipe {
        std::process::exit(BROKEN_PIPE);
    }
    let _ = writeln!(io::stderr(), "ecsplan: cannot write the output: {e}");
    std::process::exit(2);
}

/// User text for one line of a terminal: every control character escaped, line feeds and tabs
/// included.
pub struct Clean<'a>(pub &'a str);

impl fmt::Display for Clean<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&escape_controls(self.0, true))
    }
}

/// `s` with control characters written as escapes. `line_feeds`: escape `\n` and `\t` too.
/// The engine's, so that the review's Markdown file escapes what the terminal does.
pub use engine::api::text::escape_controls;

/// A finding of `file` on one line, escaped: `FILE:LINE:COLUMN: error [code] path: message`
/// when it has a position, else the finding alone.
pub fn finding_line(file: &str, f: &engine::api::findings::Finding) -> String {
    let text = match (f.line, f.column) {
        (Some(_), Some(_)) => f.in_file(file),
        _ => f.to_string(),
    };
    Clean(&text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_pads_the_escaped_text() {
        assert_eq!(format!("[{:<8}]", Clean("a\u{7f}")), "[a\\u{7f} ]");
    }
}
