//! The report as one self-contained HTML page: inline CSS, no script, no external resource,
//! laid out for the screen and for print (tables do not split rows across pages, headings stay
//! with what follows). The page offers it as a download.

use super::doc::{document, Block};
use super::Report;
use crate::text::escape_html as escape;

const CSS: &str = "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1b1f24;max-width:1100px;margin:2em auto;padding:0 1em}\
h1{font-size:1.6em;border-bottom:2px solid #1b1f24;padding-bottom:.2em}\
h2{font-size:1.25em;margin-top:1.8em;border-bottom:1px solid #c8ccd1}\
h3{font-size:1.05em;margin-top:1.2em}\
table{border-collapse:collapse;width:100%;margin:.6em 0 1em;font-size:.92em}\
th,td{border:1px solid #c8ccd1;padding:.25em .45em;text-align:left;vertical-align:top}\
th{background:#eef1f4}\
tr:nth-child(even) td{background:#f8f9fa}\
code{font:.9em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eef1f4;padding:0 .2em;border-radius:3px;word-break:break-all}\
strong{color:#a40e26}\
@media print{body{margin:0;max-width:none;font-size:10pt}h2,h3{break-after:avoid}tr,li{break-inside:avoid}thead{display:table-header-group}th,tr:nth-child(even) td{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

/// Escaped text with the report's `code` spans and `**bold**` made elements.
fn inline(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str("<code>");
            out.push_str(&escape(part));
            out.push_str("</code>");
        } else {
            for (j, p) in part.split("**").enumerate() {
                if j % 2 == 1 {
                    out.push_str("<strong>");
                    out.push_str(&escape(p));
                    out.push_str("</strong>");
                } else {
                    out.push_str(&escape(p));
                }
            }
        }
    }
    out
}

/// The report as a standalone HTML page (inline style, no script), for `--format html`.
pub fn render_html(r: &Report) -> String {
    let title = if r.plan.name.is_empty() {
        r.plan.file.clone()
    } else {
        r.plan.name.clone()
    };
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>Architecture review: {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        escape(&title)
    );
    out.push_str(&render_html_body(r));
    out.push_str("</body>\n</html>\n");
    out
}

/// The report's body alone (what [`render_html`] puts between `<body>` and `</body>`): every
/// text escaped, no script, no style, so the page can show it inside its own view.
pub fn render_html_body(r: &Report) -> String {
    let mut out = String::new();
    for b in document(r) {
        match b {
            Block::Heading(level, t) => {
                out.push_str(&format!("<h{level}>{}</h{level}>\n", inline(&t)));
            }
            Block::Para(t) => out.push_str(&format!("<p>{}</p>\n", inline(&t))),
            Block::List(items) => {
                out.push_str("<ul>\n");
                for i in items {
                    out.push_str(&format!("<li>{}</li>\n", inline(&i)));
                }
                out.push_str("</ul>\n");
            }
            Block::Table { head, rows } => {
                out.push_str("<table>\n<thead><tr>");
                for h in &head {
                    out.push_str(&format!("<th>{}</th>", inline(h)));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for r in &rows {
                    out.push_str("<tr>");
                    for c in r {
                        out.push_str(&format!("<td>{}</td>", inline(c)));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
        }
    }
    out
}
