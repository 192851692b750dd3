//! User text (names from a plan, messages that quote them) made safe for the formats the
//! planner writes. A plan may name a service `<script>`, or hide an ESC or a right-to-left
//! override (U+202E) in it; the engine, the page and the command line escape it the same way,
//! with these two functions.

use std::fmt::Write;

/// `&`, `<`, `>`, `"` and `'` as entities, and the characters XML 1.0 does not allow (control
/// characters other than the line feed, U+FFFE, U+FFFF) as U+FFFD: safe in HTML and SVG text
/// and quoted attributes, and in XML (the review's JUnit file).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c.is_control() && c != '\n') || c == '\u{fffe}' || c == '\u{ffff}' => {
                out.push('\u{fffd}')
            }
            c => out.push(c),
        }
    }
    out
}

/// `s` with the characters that rewrite a terminal or reorder a line written as visible
/// escapes (`\e`, `\r`, `\u{202e}`): C0 controls, DEL, C1 controls (`\u{9b}` is a CSI), line
/// and paragraph separators, and the bidirectional embeddings, overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069). The line feed and the tab stay, unless `line_feeds`.
/// Used for what `ecsplan` prints and for the review's Markdown, so a file shows what a
/// terminal does.
pub fn escape_controls(s: &str, line_feeds: bool) -> String {
    if !s.chars().any(|c| needs_escape(c, line_feeds)) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !needs_escape(c, line_feeds) {
            out.push(c);
            continue;
        }
        let _ = match c {
            '\0' => out.write_str("\\0"),
            '\u{7}' => out.write_str("\\a"),
            '\u{8}' => out.write_str("\\b"),
            '\t' => out.write_str("\\t"),
            '\n' => out.write_str("\\n"),
            '\u{b}' => out.write_str("\\v"),
            '\u{c}' => out.write_str("\\f"),
            '\r' => out.write_str("\\r"),
            '\u{1b}' => out.write_str("\\e"),
            c => write!(out, "\\u{{{:x}}}", c as u32),
        };
    }
    out
}

fn needs_escape(c: char, line_feeds: bool) -> bool {
    match c {
        '\n' | '\t' => line_feeds,
        '\0'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup_and_replaces_what_xml_refuses() {
        for (given, want) in [
            ("web", "web"),
            ("<script>", "&lt;script&gt;"),
            ("a & b", "a &amp; b"),
            (r#"x="1""#, "x=&quot;1&quot;"),
            ("it's", "it&#39;s"),
            (
                "<a href=\"x\">'&'</a>",
                "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
            ),
            ("\u{1b}[2J", "\u{fffd}[2J"),
            ("a\0b\u{7f}c\u{9b}d", "a\u{fffd}b\u{fffd}c\u{fffd}d"),
            ("tab\there\r", "tab\u{fffd}here\u{fffd}"),
            ("two\nlines", "two\nlines"),
            ("\u{fffe}\u{ffff}", "\u{fffd}\u{fffd}"),
            ("café ☕ 𝄞 \u{a0}", "café ☕ 𝄞 \u{a0}"),
        ] {
            assert_eq!(escape_html(given), want, "{given:?}");
        }
    }

    #[test]
    fn controls_are_written_as_escapes_and_text_is_not() {
        for (given, line_feeds, want) in [
            (
                "web\u{1b}]0;pwned\u{7}\r\0\u{9b}2J\u{202e}x\n",
                false,
                "web\\e]0;pwned\\a\\r\\0\\u{9b}2J\\u{202e}x\n",
            ),
            ("a\tb\nc", false, "a\tb\nc"),
            ("a\tb\nc", true, "a\\tb\\nc"),
            (
                "\u{2066}iso\u{2069}\u{2028}",
                false,
                "\\u{2066}iso\\u{2069}\\u{2028}",
            ),
            ("\u{8}\u{b}\u{c}\u{7f}", false, "\\b\\v\\f\\u{7f}"),
            ("café ☕ 𝄞 \u{a0} <b>", true, "café ☕ 𝄞 \u{a0} <b>"),
        ] {
            assert_eq!(escape_controls(given, line_feeds), want, "{given:?}");
        }
        // Escaping twice changes nothing more: `ecsplan` prints the escaped Markdown as is.
        let once = escape_controls("x\u{1b}\u{202e}", false);
        assert_eq!(escape_controls(&once, false), once);
    }
}
