//! A task as a chip: its family's colour and pattern, the family's initials (never colour
//! alone; drawn from `data-label`) and its id. After an edit, `data-change` says what placement
//! did to it (`moved`, `new`, `placed`, `displaced`).
//!
//! A board can hold tens of thousands of chips, so they are written as HTML (one string per
//! list, parsed by the browser in one go: passing every attribute from wasm one by one was
//! most of the time of a redraw) and carry no handlers and no reactive parts: the board listens
//! once for all chips (a click selects a task and shows why it is where it is; dragging it, or
//! `M`, asks where ECS would place it), and keeps `aria-pressed` of the selected one in step.

use std::collections::HashMap;
use std::fmt::Write as _;

use engine::api::board::TaskChip;
use engine::api::text::escape_html as escape;
use leptos::prelude::*;

use crate::labels;

/// A task's one-line description for tooltips and screen readers.
pub fn describe(t: &TaskChip) -> String {
    format!(
        "{} — {}:{}, {} CPU units, {} MiB ({})",
        t.id, t.family, t.revision, t.cpu, t.memory, t.group
    )
}

/// The colour-and-pattern square with the family's label.
#[component]
pub fn Swatch(family_index: usize, label: String) -> impl IntoView {
    view! {
        <span class=format!("swatch {}", labels::family_class(family_index)) aria-hidden="true">
            {label}
        </span>
    }
}

/// How a list of chips is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChipList<'a> {
    /// The families' labels (by family index).
    pub fam_labels: &'a [String],
    /// `EC2`, `FARGATE` or `UNPLACED` (`data-launch`).
    pub launch: &'a str,
    /// A `data-testid` (with `data-task-id`) for each list item, e.g. `unplaced-task`.
    pub item_testid: Option<&'a str>,
    /// The selected task (its chip is `aria-pressed="true"`).
    pub selected: Option<&'a str>,
}

impl ChipList<'_> {
    /// The `<li>` of every task, with what the last edit did to it.
    pub fn html<'t>(
        &self,
        tasks: impl IntoIterator<Item = &'t TaskChip>,
        changes: &HashMap<String, &'static str>,
    ) -> String {
        let mut out = String::new();
        for t in tasks {
            let id = escape(&t.id);
            let text = escape(&describe(t));
            let label = escape(
                self.fam_labels
                    .get(t.family_index)
                    .map_or("", String::as_str),
            );
            out.push_str("<li class=\"chip-item\"");
            if let Some(testid) = self.item_testid {
                let _ = write!(out, " data-testid=\"{testid}\" data-task-id=\"{id}\"");
            }
            let _ = write!(
                out,
                "><button type=\"button\" class=\"chip {}\" data-label=\"{label}\" data-testid=\"task\" data-task-id=\"{id}\" data-family=\"{}\" data-launch=\"{}\"",
                labels::family_class(t.family_index),
                escape(&t.family),
                self.launch,
            );
            if let Some(c) = changes.get(&t.id) {
                let _ = write!(out, " data-change=\"{c}\"");
            }
            let _ = write!(
                out,
                " aria-pressed=\"{}\" aria-label=\"{text}\" aria-keyshortcuts=\"M\" title=\"{text}\">{id}</button></li>",
                self.selected == Some(t.id.as_str())
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chip(id: &str) -> TaskChip {
        TaskChip {
            id: id.into(),
            family: "web".into(),
            revision: 2,
            family_index: 1,
            group: "service:web".into(),
            cpu: 256,
            memory: 512,
            reasons: vec![],
            provisioning: false,
        }
    }

    #[test]
    fn chips_are_escaped_marked_and_pressed() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        let labels = vec!["AP".to_string(), "WE".to_string()];
        let list = ChipList {
            fam_labels: &labels,
            launch: "EC2",
            item_testid: None,
            selected: Some("web-2"),
        };
        let changes = HashMap::from([("web-1".to_string(), "moved")]);
        let html = list.html(&[chip("web-1"), chip("web-2")], &changes);
        assert_eq!(
            html,
            "<li class=\"chip-item\"><button type=\"button\" class=\"chip fam-1 pat-1\" data-label=\"WE\" data-testid=\"task\" data-task-id=\"web-1\" data-family=\"web\" data-launch=\"EC2\" data-change=\"moved\" aria-pressed=\"false\" aria-label=\"web-1 — web:2, 256 CPU units, 512 MiB (service:web)\" aria-keyshortcuts=\"M\" title=\"web-1 — web:2, 256 CPU units, 512 MiB (service:web)\">web-1</button></li>\
             <li class=\"chip-item\"><button type=\"button\" class=\"chip fam-1 pat-1\" data-label=\"WE\" data-testid=\"task\" data-task-id=\"web-2\" data-family=\"web\" data-launch=\"EC2\" aria-pressed=\"true\" aria-label=\"web-2 — web:2, 256 CPU units, 512 MiB (service:web)\" aria-keyshortcuts=\"M\" title=\"web-2 — web:2, 256 CPU units, 512 MiB (service:web)\">web-2</button></li>"
        );
        let evil = ChipList {
            item_testid: Some("unplaced-task"),
            ..list
        }
        .html(&[chip("<img src=x onerror=alert(1)>")], &HashMap::new());
        assert!(!evil.contains("<img"), "{evil}");
        assert!(evil.contains("data-testid=\"unplaced-task\" data-task-id=\"&lt;img"));
    }
}
