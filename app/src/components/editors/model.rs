//! What the editors compute without the DOM: where a finding shows (next to the field its path
//! points at), moving an item in a chain, the field suggestions of a placement strategy, the
//! labels of changes, and how a form value is read. Unit-tested natively.

use engine::api::findings::{Finding, JsonPath, PathSeg};
use engine::api::plan::{PlacementStrategy, PlacementStrategyType, Plan};
use engine::api::sort::{sort, sort_by_key};

/// The fields the service editor draws, as path patterns (`[]` is any index).
pub const SERVICE_FIELDS: &[&str] = &[
    "desiredCount",
    "launchType",
    "capacityProviderStrategy",
    "capacityProviderStrategy[]",
    "capacityProviderStrategy[].capacityProvider",
    "capacityProviderStrategy[].base",
    "capacityProviderStrategy[].weight",
    "placementStrategy",
    "placementStrategy[]",
    "placementStrategy[].field",
    "placementConstraints",
    "placementConstraints[]",
    "placementConstraints[].expression",
    "deploymentConfiguration",
    "deploymentConfiguration.minimumHealthyPercent",
    "deploymentConfiguration.maximumPercent",
    "deploymentConfiguration.deploymentCircuitBreaker",
];

/// The fields the task definition form draws, as path patterns (`[]` is any index).
pub const TASK_DEFINITION_FIELDS: &[&str] = &[
    "family",
    "networkMode",
    "requiresCompatibilities",
    "cpu",
    "memory",
    "taskRoleArn",
    "executionRoleArn",
    "containerDefinitions",
    "containerDefinitions[]",
    "containerDefinitions[].name",
    "containerDefinitions[].image",
    "containerDefinitions[].cpu",
    "containerDefinitions[].memory",
    "containerDefinitions[].memoryReservation",
    "containerDefinitions[].essential",
    "containerDefinitions[].portMappings",
    "containerDefinitions[].portMappings[]",
    "containerDefinitions[].portMappings[].containerPort",
    "containerDefinitions[].portMappings[].hostPort",
    "containerDefinitions[].portMappings[].protocol",
    "containerDefinitions[].environment",
    "containerDefinitions[].environment[]",
    "containerDefinitions[].secrets",
    "containerDefinitions[].secrets[]",
    "containerDefinitions[].logConfiguration",
    "containerDefinitions[].logConfiguration.logDriver",
    "containerDefinitions[].logConfiguration.options",
];

/// A path as a pattern: indices written `[]`.
fn pattern(path: &[PathSeg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            PathSeg::Index(_) => s.push_str("[]"),
            PathSeg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
        }
    }
    s
}

/// Where a finding shows: the deepest field of `fields` its path (relative to the edited
/// object) is in. The empty path (`$`) is the editor as a whole.
pub fn anchor(rel: &JsonPath, fields: &[&str]) -> JsonPath {
    (0..=rel.0.len())
        .rev()
        .map(|n| &rel.0[..n])
        .find(|p| !p.is_empty() && fields.contains(&pattern(p).as_str()))
        .map(|p| JsonPath(p.to_vec()))
        .unwrap_or_default()
}

/// The part of `path` inside `base` (`services[0].desiredCount` in `services[0]` →
/// `desiredCount`), or `None` when it is elsewhere.
pub fn relative(path: &JsonPath, base: &JsonPath) -> Option<JsonPath> {
    path.0
        .strip_prefix(base.0.as_slice())
        .map(|rest| JsonPath(rest.to_vec()))
}

/// The findings about one object (`base`), each with the field it shows next to, errors first.
pub fn findings_for(
    findings: &[Finding],
    base: &JsonPath,
    fields: &[&str],
) -> Vec<(String, Finding)> {
    let mut out: Vec<(String, Finding)> = findings
        .iter()
        .filter_map(|f| {
            let rel = relative(&f.path, base)?;
            Some((key(&anchor(&rel, fields)), f.clone()))
        })
        .collect();
    sort_by_key(&mut out, |(_, f)| f.severity);
    out
}

/// A field's key in the editors: its relative path as written (`""` for the whole object).
pub fn key(path: &JsonPath) -> String {
    if path.0.is_empty() {
        String::new()
    } else {
        path.to_string()
    }
}

/// Moves the item at `from` to position `to` (both clamped to the list).
pub fn move_item<T>(items: &mut Vec<T>, from: usize, to: usize) {
    if items.is_empty() || from >= items.len() {
        return;
    }
    let to = to.min(items.len() - 1);
    let item = items.remove(from);
    items.insert(to, item);
}

/// Where an item dragged from `from` lands, given the vertical middles of every item (in list
/// order) and the pointer's `y`: before the first other item whose middle is below the pointer.
pub fn drop_index(middles: &[f64], from: usize, y: f64) -> usize {
    middles
        .iter()
        .enumerate()
        .filter(|(i, m)| *i != from && **m < y)
        .count()
}

/// A strategy in words: `spread(attribute:ecs.availability-zone)`, `random`.
pub fn strategy_text(s: &PlacementStrategy) -> String {
    let kind = match s.kind {
        PlacementStrategyType::Random => "random",
        PlacementStrategyType::Spread => "spread",
        PlacementStrategyType::Binpack => "binpack",
    };
    match &s.field {
        Some(f) => format!("{kind}({f})"),
        None => kind.to_string(),
    }
}

/// The fields a strategy type takes, for the field box's suggestions: binpack `cpu`/`memory`;
/// spread `instanceId`, `host`, the built-in attributes and the plan's custom ones.
pub fn strategy_fields(kind: PlacementStrategyType, plan: &Plan) -> Vec<String> {
    match kind {
        PlacementStrategyType::Binpack => vec!["memory".into(), "cpu".into()],
        PlacementStrategyType::Random => Vec::new(),
        PlacementStrategyType::Spread => {
            let mut v: Vec<String> = [
                "attribute:ecs.availability-zone",
                "instanceId",
                "host",
                "attribute:ecs.instance-type",
                "attribute:ecs.os-type",
                "attribute:ecs.cpu-architecture",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            let mut custom: Vec<String> = plan
                .cluster
                .container_instances
                .iter()
                .flat_map(|i| i.attributes.keys())
                .map(|k| format!("attribute:{k}"))
                .collect();
            sort(&mut custom);
            custom.dedup();
            custom.retain(|c| !v.contains(c));
            v.extend(custom);
            v
        }
    }
}

/// The default field when a strategy's type changes (keeps one that still fits).
pub fn field_for(kind: PlacementStrategyType, old: Option<&str>) -> Option<String> {
    let fits = |f: &str| match kind {
        PlacementStrategyType::Binpack => f == "cpu" || f == "memory",
        PlacementStrategyType::Spread => {
            f == "instanceId" || f == "host" || f.starts_with("attribute:")
        }
        PlacementStrategyType::Random => false,
    };
    match (kind, old) {
        (_, Some(f)) if fits(f) => Some(f.to_string()),
        (PlacementStrategyType::Binpack, _) => Some("memory".into()),
        (PlacementStrategyType::Spread, _) => Some("attribute:ecs.availability-zone".into()),
        (PlacementStrategyType::Random, _) => None,
    }
}

/// What a number box holds: nothing (the member is removed), a whole number, or something
/// that is not one (not applied).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Number {
    Empty,
    Whole(i64),
    Invalid,
}

pub fn parse_number(s: &str) -> Number {
    let t = s.trim();
    if t.is_empty() {
        Number::Empty
    } else {
        t.parse().map(Number::Whole).unwrap_or(Number::Invalid)
    }
}

/// A short label for a change: `set memory to "3072"`, `removed hostPort`.
pub fn change_label(field: &str, value: Option<&serde_json::Value>) -> String {
    match value {
        None => format!("removed {field}"),
        Some(serde_json::Value::String(s)) if s.chars().count() > 40 => {
            let short: String = s.chars().take(37).collect();
            format!("set {field} to \"{short}...\"")
        }
        Some(v) => format!("set {field} to {v}"),
    }
}

/// Where line `line` (1-based) starts in `text`, in UTF-16 code units (what a text box's
/// selection counts); past the last line, the end.
pub fn offset_of_line(text: &str, line: u32) -> usize {
    let byte = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line as usize - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    text[..byte].encode_utf16().count()
}

/// Splits `text` around the character span `column .. column + width` (1-based column): the
/// text before, the marked text, the text after. Past the end, the mark is empty.
pub fn split_span(text: &str, column: usize, width: usize) -> (String, String, String) {
    let chars: Vec<char> = text.chars().collect();
    let start = column.saturating_sub(1).min(chars.len());
    let end = (start + width).min(chars.len());
    (
        chars[..start].iter().collect(),
        chars[start..end].iter().collect(),
        chars[end..].iter().collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::api::findings::Finding;

    fn p(s: &str) -> JsonPath {
        JsonPath::parse(s).unwrap()
    }

    #[test]
    fn findings_show_next_to_the_deepest_field_drawn() {
        let a = |s: &str| key(&anchor(&p(s), TASK_DEFINITION_FIELDS));
        assert_eq!(a("memory"), "memory");
        assert_eq!(
            a("containerDefinitions[0].portMappings[1].hostPort"),
            "containerDefinitions[0].portMappings[1].hostPort"
        );
        // Not drawn: the nearest field that is.
        assert_eq!(
            a("containerDefinitions[2].healthCheck.command"),
            "containerDefinitions[2]"
        );
        assert_eq!(
            a("containerDefinitions[0].logConfiguration.options[\"awslogs-group\"]"),
            "containerDefinitions[0].logConfiguration.options"
        );
        assert_eq!(a("volumes[0].name"), "");
        assert_eq!(a("$"), "");
        let s = |x: &str| key(&anchor(&p(x), SERVICE_FIELDS));
        assert_eq!(
            s("capacityProviderStrategy[1].base"),
            "capacityProviderStrategy[1].base"
        );
        assert_eq!(s("networkConfiguration.awsvpcConfiguration"), "");
    }

    #[test]
    fn findings_of_one_object_errors_first() {
        let w = Finding::warning("w", p("services[1].deploymentConfiguration"), "w");
        let e = Finding::error("e", p("services[1].desiredCount"), "e");
        let other = Finding::error("x", p("services[0].desiredCount"), "x");
        let got = findings_for(
            &[w.clone(), other, e.clone()],
            &p("services[1]"),
            SERVICE_FIELDS,
        );
        assert_eq!(
            got,
            vec![
                ("desiredCount".to_string(), e),
                ("deploymentConfiguration".to_string(), w)
            ]
        );
    }

    #[test]
    fn moving_items_and_where_a_drag_lands() {
        let mut v = vec!['a', 'b', 'c', 'd'];
        move_item(&mut v, 0, 2);
        assert_eq!(v, ['b', 'c', 'a', 'd']);
        move_item(&mut v, 3, 0);
        assert_eq!(v, ['d', 'b', 'c', 'a']);
        move_item(&mut v, 1, 99);
        assert_eq!(v, ['d', 'c', 'a', 'b']);
        move_item(&mut v, 9, 0);
        assert_eq!(v, ['d', 'c', 'a', 'b']);
        // Items at 10, 30, 50 (middles); dragging the first below the third's middle.
        let mids = [10.0, 30.0, 50.0];
        assert_eq!(drop_index(&mids, 0, 55.0), 2);
        assert_eq!(drop_index(&mids, 0, 35.0), 1);
        assert_eq!(drop_index(&mids, 0, 5.0), 0);
        assert_eq!(drop_index(&mids, 2, 0.0), 0);
        assert_eq!(drop_index(&mids, 2, 20.0), 1);
    }

    #[test]
    fn strategy_words_fields_and_defaults() {
        let s = PlacementStrategy {
            kind: PlacementStrategyType::Spread,
            field: Some("instanceId".into()),
        };
        assert_eq!(strategy_text(&s), "spread(instanceId)");
        let plan = crate::persist::default_plan();
        let spread = strategy_fields(PlacementStrategyType::Spread, &plan);
        assert_eq!(spread[0], "attribute:ecs.availability-zone");
        assert!(
            spread.contains(&"attribute:stack".to_string()),
            "{spread:?}"
        );
        assert_eq!(
            field_for(PlacementStrategyType::Binpack, Some("instanceId")),
            Some("memory".into())
        );
        assert_eq!(
            field_for(PlacementStrategyType::Spread, Some("host")),
            Some("host".into())
        );
        assert_eq!(field_for(PlacementStrategyType::Random, Some("cpu")), None);
    }

    #[test]
    fn numbers_labels_lines_and_spans() {
        assert_eq!(parse_number(" 12 "), Number::Whole(12));
        assert_eq!(parse_number(""), Number::Empty);
        assert_eq!(parse_number("1.5"), Number::Invalid);
        assert_eq!(
            change_label("memory", Some(&serde_json::json!("3072"))),
            "set memory to \"3072\""
        );
        assert_eq!(change_label("hostPort", None), "removed hostPort");
        let text = "{\n  \"a\": 1,\n  \"b\": 2\n}";
        assert_eq!(offset_of_line(text, 1), 0);
        assert_eq!(offset_of_line(text, 3), 12);
        assert_eq!(offset_of_line(text, 99), text.chars().count());
        assert_eq!(offset_of_line("é😀\nx", 2), 4, "UTF-16 units");
        assert_eq!(
            split_span("a is b", 3, 2),
            ("a ".to_string(), "is".to_string(), " b".to_string())
        );
        assert_eq!(
            split_span("a ==", 5, 0),
            ("a ==".to_string(), String::new(), String::new())
        );
    }
}
