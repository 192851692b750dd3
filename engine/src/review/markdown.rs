//! The report as Markdown (GitHub's flavour: tables, `**bold**`), for a pull request comment
//! or a wiki page.

use super::doc::{document, Block};
use super::Report;
use crate::text::escape_controls;

/// Text of a table cell: no line breaks, `|` escaped.
fn cell(s: &str) -> String {
    s.replace(['\n', '\r'], " ").replace('|', "\\|")
}

/// Plain text as Markdown: characters that would start markup at the start of a line or make
/// HTML are escaped; `code` spans and `**bold**` written by the report stay.
fn text(s: &str) -> String {
    s.replace('<', "&lt;").replace('>', "&gt;")
}

/// The report as Markdown, for a pull request comment or `review.md`. Control and
/// bidirectional characters of the plan's names are written as escapes (`\e`, `\u{202e}`), as
/// `ecsplan` prints them: the file shows what the terminal does.
pub fn render_markdown(r: &Report) -> String {
    let mut out = String::new();
    for b in document(r) {
        match b {
            Block::Heading(level, t) => {
                out.push_str(&"#".repeat(level as usize));
                out.push(' ');
                out.push_str(&text(&t));
                out.push_str("\n\n");
            }
            Block::Para(t) => {
                out.push_str(&text(&t));
                out.push_str("\n\n");
            }
            Block::List(items) => {
                for i in items {
                    out.push_str("- ");
                    out.push_str(&text(&i).replace('\n', " "));
                    out.push('\n');
                }
                out.push('\n');
            }
            Block::Table { head, rows } => {
                let line = |cells: &[String]| {
                    let mut l = String::from("|");
                    for c in cells {
                        l.push(' ');
                        l.push_str(&text(&cell(c)));
                        l.push_str(" |");
                    }
                    l.push('\n');
                    l
                };
                out.push_str(&line(&head));
                out.push('|');
                for _ in &head {
                    out.push_str(" --- |");
                }
                out.push('\n');
                for r in &rows {
                    out.push_str(&line(r));
                }
                out.push('\n');
            }
        }
    }
    escape_controls(&out, false)
}
