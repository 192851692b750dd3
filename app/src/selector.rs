//! CSS selectors that name an element by user text (an instance id, a task id, a service
//! name): the text is written as a CSS string with the escapes of CSSOM's "serialize a
//! string", so that a quote, a backslash or a line break in a name neither breaks the selector
//! (the lookup would fail) nor changes what it selects.

/// `value` as a double-quoted CSS string.
pub fn css_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            // CSS reads NUL as U+FFFD, so that is what an attribute holding it is matched by.
            '\0' => out.push('\u{fffd}'),
            '\u{1}'..='\u{1f}' | '\u{7f}' => out.push_str(&format!("\\{:x} ", c as u32)),
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `[name="value"]`, the value escaped.
pub fn attr(name: &str, value: &str) -> String {
    format!("[{name}={}]", css_string(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_break_or_change_a_selector() {
        assert_eq!(attr("data-task-id", "web-1"), "[data-task-id=\"web-1\"]");
        assert_eq!(
            attr("data-instance-id", "i\"] , body [x=\""),
            "[data-instance-id=\"i\\\"] , body [x=\\\"\"]"
        );
        assert_eq!(css_string("a\\b"), "\"a\\\\b\"");
        assert_eq!(
            css_string("line\nbreak\t\u{7f}"),
            "\"line\\a break\\9 \\7f \""
        );
        assert_eq!(css_string("nul\0"), "\"nul\u{fffd}\"");
        assert_eq!(css_string("café ☕"), "\"café ☕\"");
    }
}
