//! Pure presentation helpers: how ids, families, meters and findings are written on screen.
//! No reactivity and no DOM here, so all of it is unit-tested natively.

use engine::api::board::Meter;
use engine::api::findings::Finding;

/// A container instance id short enough for a card: `i-0a1f3c5e7b9d10001` → `i-…d10001`.
/// Short ids are kept whole; the full id goes in the element's `title`.
pub fn short_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 12 {
        return id.to_string();
    }
    let tail: String = chars[chars.len() - 6..].iter().collect();
    if let Some(rest) = id.strip_prefix("i-") {
        if rest.len() > 6 {
            return format!("i-…{tail}");
        }
    }
    let head: String = chars[..5].iter().collect();
    format!("{head}…{tail}")
}

/// Initials for a task-definition family: `model-server` → `MS`, `web` → `WE`.
fn initials(family: &str) -> String {
    let words: Vec<&str> = family
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let s: String = match words.as_slice() {
        [] => "?".to_string(),
        [one] => one.chars().take(2).collect(),
        [a, b, ..] => a.chars().take(1).chain(b.chars().take(1)).collect(),
    };
    s.to_uppercase()
}

/// A short label per family (same order as `families`), unique among them, shown inside task
/// blocks and in the legend so that colour is never the only signal.
pub fn family_labels(families: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(families.len());
    for f in families {
        let base = initials(f);
        let mut label = base.clone();
        let mut n = 2;
        while out.contains(&label) {
            label = format!("{base}{n}");
            n += 1;
        }
        out.push(label);
    }
    out
}

/// The colour and pattern classes of a family: eight colours and five patterns, so that two
/// families share both only when there are more than forty.
pub fn family_class(family_index: usize) -> String {
    format!("fam-{} pat-{}", family_index % 8, family_index % 5)
}

/// A share of a meter's total as a CSS percentage (0 when the total is 0).
pub fn share(part: u32, total: u32) -> f64 {
    if total == 0 {
        0.0
    } else {
        (part as f64 * 100.0 / total as f64).min(100.0)
    }
}

/// `1024 / 2048 CPU units (50%)`.
pub fn meter_text(m: &Meter, unit: &str) -> String {
    format!("{} / {} {unit} ({:.0}%)", m.used, m.total, m.percent())
}

/// Where a finding is: `services[0].desiredCont, line 12, column 7`; for the whole document
/// (a syntax error) just the line and column.
pub fn finding_location(f: &Finding) -> String {
    let mut parts = Vec::new();
    if !f.path.0.is_empty() || f.line.is_none() {
        parts.push(f.path.to_string());
    }
    match (f.line, f.column) {
        (Some(l), Some(c)) => parts.push(format!("line {l}, column {c}")),
        (Some(l), None) => parts.push(format!("line {l}")),
        _ => {}
    }
    parts.join(", ")
}

/// The download name of an exported plan: `<plan name>.json`, without characters that file
/// systems refuse.
pub fn export_file_name(plan_name: &str) -> String {
    let cleaned: String = plan_name
        .trim()
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_control() => '-',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim_matches('.').trim();
    if cleaned.is_empty() {
        "plan.json".to_string()
    } else {
        format!("{cleaned}.json")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::api::findings::JsonPath;

    #[test]
    fn instance_ids_are_shortened_but_short_ones_kept() {
        assert_eq!(short_id("i-0a1f3c5e7b9d10001"), "i-…d10001");
        assert_eq!(short_id("i-0a1"), "i-0a1");
        assert_eq!(short_id("web-node-1"), "web-node-1");
        assert_eq!(short_id("some-very-long-host-name"), "some-…t-name");
    }

    #[test]
    fn family_labels_are_unique() {
        let fams: Vec<String> = ["web", "worker", "model-server", "webhook", "we"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(family_labels(&fams), vec!["WE", "WO", "MS", "WE2", "WE3"]);
        assert_eq!(family_labels(&["--".to_string()]), vec!["?"]);
    }

    #[test]
    fn shares_and_meters() {
        assert_eq!(share(512, 2048), 25.0);
        assert_eq!(share(1, 0), 0.0);
        assert_eq!(share(3000, 2048), 100.0);
        let m = Meter {
            used: 1024,
            total: 2048,
        };
        assert_eq!(meter_text(&m, "CPU units"), "1024 / 2048 CPU units (50%)");
        assert_eq!(family_class(9), "fam-1 pat-4");
    }

    #[test]
    fn finding_locations_and_file_names() {
        let mut f = Finding::error("x", JsonPath::root().key("services").index(0), "bad");
        assert_eq!(finding_location(&f), "services[0]");
        f.line = Some(3);
        f.column = Some(9);
        assert_eq!(finding_location(&f), "services[0], line 3, column 9");
        let mut syntax = Finding::error("json-syntax", JsonPath::root(), "bad");
        assert_eq!(finding_location(&syntax), "$");
        syntax.line = Some(1);
        syntax.column = Some(39);
        assert_eq!(finding_location(&syntax), "line 1, column 39");
        assert_eq!(
            export_file_name("Two-AZ web cluster"),
            "Two-AZ web cluster.json"
        );
        assert_eq!(export_file_name("a/b: c?"), "a-b- c-.json");
        assert_eq!(export_file_name("  "), "plan.json");
    }
}
