//! The Review view's markup, written from the engine worker's answer (`protocol::review`):
//! pure functions, tested natively. Strings rather than Leptos views for the page's size (as
//! Learn's, `learn/html.rs`); every action is a `data-action` handled by one listener.

use std::fmt::Write as _;

use serde_json::Value;

use crate::components::learn::html::{flag, list, text};
use engine::api::sort::sort;
use engine::api::text::escape_html as escape;

/// What the plan is compared with, as the compare menu's value: `""` nothing, `before` the
/// plan when the Review first opened, `recent:I` the I-th recent plan (the import dialog's
/// list), `file:NAME` a file read from the disk. A string, not an enum: each type held in a
/// signal is a copy of Leptos' signal code in the page's wasm.
pub fn against_file(against: &str) -> Option<&str> {
    against.strip_prefix("file:")
}

/// Where the page shows what a command computes, read from the command the report cites.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Look {
    /// `whatif --lose-az AZ`: the board with the zone lost (an edit; Undo brings it back).
    LoseZone(String),
    /// `whatif --remove ID`: the board without the instance.
    Remove(String),
    /// `deploy --service NAME`: the time view runs the forced new deployment.
    Deploy(String),
    /// `simulate`: the time view simulates a day.
    Simulate,
}

impl Look {
    pub fn of(command: &str) -> Option<Look> {
        let words: Vec<&str> = command.split_whitespace().collect();
        let after = |flag: &str| {
            words
                .iter()
                .position(|w| *w == flag)
                .and_then(|i| words.get(i + 1))
                .map(|w| w.to_string())
        };
        match words.get(1).copied() {
            Some("whatif") => after("--lose-az")
                .map(Look::LoseZone)
                .or_else(|| after("--remove").map(Look::Remove)),
            Some("deploy") => after("--service").map(Look::Deploy),
            Some("simulate") => Some(Look::Simulate),
            _ => None,
        }
    }

    fn attrs(&self) -> (&'static str, String, String) {
        match self {
            Look::LoseZone(az) => (
                "lose-zone",
                az.clone(),
                format!("Lose {az} on the board (Undo brings it back)"),
            ),
            Look::Remove(id) => (
                "remove",
                id.clone(),
                format!("Remove {id} on the board (Undo brings it back)"),
            ),
            Look::Deploy(s) => (
                "deploy",
                s.clone(),
                format!("Run the deployment of {s} in the time view"),
            ),
            Look::Simulate => (
                "simulate",
                String::new(),
                "Simulate the day in the time view".into(),
            ),
        }
    }

    pub fn button(&self) -> String {
        let (action, arg, label) = self.attrs();
        format!(
            "<button type=\"button\" class=\"small\" data-action=\"{action}\" data-arg=\"{}\" data-key=\"{action}-{}\" data-testid=\"review-look\">{}</button>",
            escape(&arg),
            escape(&arg),
            escape(&label)
        )
    }
}

/// A recent plan as the compare menu lists it.
pub struct RecentItem<'a> {
    pub name: &'a str,
    pub why: &'a str,
}

/// The view's controls: compare, refresh, downloads.
pub fn controls(against: &str, recent: &[RecentItem], busy: bool) -> String {
    let mut out = String::with_capacity(2048);
    out.push_str("<div class=\"review-bar\"><label>Compare with <select data-testid=\"review-against\" data-action=\"against\" data-key=\"against\">");
    let mut option = |value: &str, label: &str| {
        let _ = write!(
            out,
            "<option value=\"{}\"{}>{}</option>",
            escape(value),
            if against == value { " selected" } else { "" },
            escape(label)
        );
    };
    option("", "Nothing: this plan alone");
    option(
        "before",
        "This plan before my edits (when the Review opened)",
    );
    for (i, r) in recent.iter().enumerate() {
        let name = if r.name.is_empty() {
            "Untitled plan"
        } else {
            r.name
        };
        option(
            &format!("recent:{i}"),
            &format!("Recent: {name} (replaced by {})", r.why),
        );
    }
    if let Some(name) = against_file(against) {
        option(against, &format!("File: {name}"));
    }
    let _ = write!(
        out,
        "</select></label><label class=\"button\">Compare with a file… <input type=\"file\" accept=\".json,application/json\" class=\"visually-hidden\" data-testid=\"review-file\" data-action=\"file\"></label><button type=\"button\" data-action=\"refresh\" data-key=\"refresh\" data-testid=\"review-refresh\"{}>Refresh</button>{}</div><div class=\"review-bar\" role=\"group\" aria-label=\"Download the report\">Download the report:",
        if busy { " disabled" } else { "" },
        if busy {
            "<button type=\"button\" data-action=\"cancel\" data-key=\"cancel\" data-testid=\"review-cancel\">Cancel</button>"
        } else {
            ""
        }
    );
    for (format, label) in [
        ("html", "HTML"),
        ("md", "Markdown"),
        ("json", "JSON"),
        ("junit", "JUnit"),
        ("sarif", "SARIF"),
    ] {
        let _ = write!(
            out,
            "<button type=\"button\" class=\"small\" data-action=\"download\" data-arg=\"{format}\" data-key=\"download-{format}\" data-testid=\"review-download-{format}\"{}>{label}</button>",
            if busy { " disabled" } else { "" }
        );
    }
    out.push_str("</div>");
    out
}

/// The verdict and every gate (pass or fail, with the evidence and the command), then a
/// button for each view of the page that shows a number the report cites.
pub fn verdict(report: &Value) -> String {
    let mut out = String::with_capacity(4096);
    let summary = &report["summary"];
    let gates = list(report, "gates");
    let failed = gates.iter().filter(|g| !flag(g, "passed")).count();
    let passed = failed == 0 && summary.get("notComputed").is_none_or(Value::is_null);
    let _ = write!(
        out,
        "<section class=\"review-verdict {}\" data-testid=\"review-verdict\" data-passed=\"{passed}\" aria-labelledby=\"review-verdict-title\"><h3 id=\"review-verdict-title\">{}</h3><p data-testid=\"review-summary\">{}</p>",
        if passed { "pass" } else { "fail" },
        match (gates.is_empty(), passed) {
            (true, true) => "No gates set: nothing fails",
            (_, true) => "Every gate passes",
            (true, false) => "The plan does not load",
            (false, false) => "A gate fails",
        },
        escape(text(summary, "verdict")),
    );
    if let Some(n) = summary.get("notComputed").and_then(Value::as_str) {
        let _ = write!(out, "<p class=\"hint\">{}</p>", escape(n));
    }
    if gates.is_empty() {
        out.push_str("<p class=\"hint\">The plan sets no gates: add them under <code>settings.review.gates</code> (docs/review.md) to fail a review, as <code>ecsplan review</code> does in CI.</p>");
    } else {
        out.push_str("<ul class=\"review-gates\">");
        for g in gates {
            let ok = flag(g, "passed");
            let command = text(g, "command");
            let _ = write!(
                out,
                "<li data-testid=\"review-gate\" data-gate=\"{}\" data-passed=\"{ok}\"><span class=\"badge {}\">{}</span> <strong>{}</strong>: {} <code>{}</code>{}</li>",
                escape(text(g, "gate")),
                if ok { "pass" } else { "fail" },
                if ok { "PASS" } else { "FAIL" },
                escape(text(g, "gate")),
                escape(text(g, "evidence")),
                escape(command),
                Look::of(command).map(|l| l.button()).unwrap_or_default(),
            );
        }
        out.push_str("</ul>");
    }
    let mut looks: Vec<Look> = list(report, "checks")
        .iter()
        .filter_map(|c| Look::of(text(c, "command")))
        .collect();
    sort(&mut looks);
    looks.dedup();
    if !looks.is_empty() {
        out.push_str("<p class=\"hint\">The numbers below name the command that computes them. See them in the page:</p><p class=\"review-looks\">");
        for l in &looks {
            out.push_str(&l.button());
        }
        out.push_str("</p>");
    }
    out.push_str("</section>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn commands_lead_to_the_view_that_shows_them() {
        assert_eq!(
            Look::of("ecsplan whatif shop.json --lose-az eu-west-1a --seed 3"),
            Some(Look::LoseZone("eu-west-1a".into()))
        );
        assert_eq!(
            Look::of("ecsplan whatif shop.json --remove i-0a"),
            Some(Look::Remove("i-0a".into()))
        );
        assert_eq!(
            Look::of("ecsplan deploy 'my plan.json' --service web"),
            Some(Look::Deploy("web".into()))
        );
        assert_eq!(
            Look::of("ecsplan simulate x.json --duration 86400"),
            Some(Look::Simulate)
        );
        assert_eq!(Look::of("ecsplan whatif x.json --fit web"), None);
        assert_eq!(Look::of("ecsplan validate x.json"), None);
    }

    #[test]
    fn gates_show_pass_and_fail_with_their_evidence() {
        let report = json!({
            "summary": {"verdict": "1 of 2 gates pass"},
            "gates": [
                {"gate": "noErrors", "passed": true, "evidence": "0 errors", "command": "ecsplan validate p.json"},
                {"gate": "survivesZoneLoss", "passed": false, "evidence": "lose a: <2> unplaced", "command": "ecsplan whatif p.json --lose-az a"}
            ],
            "checks": [
                {"command": "ecsplan deploy p.json --service web"},
                {"command": "ecsplan whatif p.json --lose-az a"}
            ]
        });
        let html = verdict(&report);
        assert!(html.contains("data-passed=\"false\"") && html.contains("A gate fails"));
        assert!(html
            .contains("<span class=\"badge fail\">FAIL</span> <strong>survivesZoneLoss</strong>"));
        assert!(html.contains("&lt;2&gt;"), "escaped");
        assert_eq!(html.matches("data-action=\"lose-zone\"").count(), 2);
        assert!(html.contains("Run the deployment of web"));
        let none = verdict(&json!({"summary": {"verdict": "no gates"}, "gates": [], "checks": []}));
        assert!(none.contains("No gates set") && none.contains("data-passed=\"true\""));
    }

    #[test]
    fn the_compare_menu_keeps_its_choice() {
        let recent = [RecentItem {
            name: "shop",
            why: "file a.json",
        }];
        let html = controls("recent:0", &recent, true);
        assert!(html.contains(
            "<option value=\"recent:0\" selected>Recent: shop (replaced by file a.json)</option>"
        ));
        assert!(html.contains("data-testid=\"review-download-sarif\" disabled"));
        let html = controls("file:old.json", &[], false);
        assert!(html.contains("<option value=\"file:old.json\" selected>File: old.json</option>"));
    }
}
