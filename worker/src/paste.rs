//! Text pasted into a task definition's JSON view: describe-task-definition output, a
//! CloudFormation template or a docker-compose file becomes a RegisterTaskDefinition request
//! (`engine::api::import`); a whole plan, a CreateService or RunTask request is sent to Import…
//! instead; anything else is pasted as it is. It runs here, in the engine worker, because the
//! importers and their YAML parser would otherwise be the largest engine part of the page's
//! first load (docs/performance.md); the page pastes JSON task definitions itself, at once.

use engine::api::export::register_task_definition;
use engine::api::import::{self, Format};
use serde_json::{json, Value};

/// What a paste becomes: `{"as": "asIs" | "converted" | "refused", ...}` (see
/// `protocol::import::CONVERT_PASTE`). The task definition keeps `family` (it is edited in
/// place).
pub fn convert(text: &str, family: &str) -> Value {
    let format = import::detect(text);
    let from = match format {
        Format::DescribeTaskDefinition => "describe-task-definition output",
        Format::CloudFormation => "a CloudFormation template",
        Format::Compose => "a docker-compose file",
        Format::Plan | Format::CreateService | Format::RunTask => {
            let what = match format {
                Format::Plan => "a whole plan",
                Format::CreateService => "a CreateService request",
                _ => "a RunTask request",
            };
            return json!({
                "as": "refused",
                "message": format!("That is {what}, not a task definition: open it with Import… in the toolbar."),
            });
        }
        Format::RegisterTaskDefinition | Format::Unknown => return json!({ "as": "asIs" }),
    };
    let options = import::Options {
        family: Some(family.to_string()),
    };
    let Ok(imported) = import::import_as(text, format, &options) else {
        return json!({ "as": "asIs" });
    };
    let Some(td) = imported.task_definitions.first() else {
        return json!({ "as": "refused", "message": format!("{from} with no task definition in it") });
    };
    let mut notes: Vec<String> = imported
        .notes
        .iter()
        .map(|n| match n.line {
            Some(l) => format!("line {l}: {}", n.message),
            None => n.message.clone(),
        })
        .collect();
    let mut td = td.clone();
    if td.family != family && !family.is_empty() {
        notes.push(format!(
            "family kept as {family} (the source says {}): this editor changes {family}",
            td.family
        ));
        td.family = family.to_string();
    }
    let more = imported.task_definitions.len() - 1;
    if more > 0 {
        notes.push(format!(
            "{more} more task definition(s) in it: import the file to add them all"
        ));
    }
    json!({
        "as": "converted",
        "json": register_task_definition(&td),
        "from": from,
        "notes": notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pastes_of_other_formats_are_converted_or_sent_to_import() {
        let compose = "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"8080:80\"\n";
        let c = convert(compose, "shop");
        assert_eq!(c["as"], "converted");
        assert_eq!(c["from"], "a docker-compose file");
        assert_eq!(c["json"]["family"], "shop");
        assert_eq!(c["json"]["containerDefinitions"][0]["image"], "nginx:1.27");
        let described = r#"{"taskDefinition": {"family": "api", "revision": 4, "status": "ACTIVE",
            "containerDefinitions": [{"name": "api", "image": "nginx:1.27", "memory": 256}]}}"#;
        let c = convert(described, "api");
        assert_eq!(c["as"], "converted");
        assert!(c["json"].get("revision").is_none());
        assert!(
            !c["notes"].as_array().unwrap().is_empty(),
            "says what was dropped"
        );
        assert_eq!(convert("\"memory\": \"512\"", "web")["as"], "asIs");
        assert_eq!(
            convert(r#"{"family": "x", "containerDefinitions": []}"#, "web")["as"],
            "asIs"
        );
        let r = convert(r#"{"schemaVersion": 1}"#, "web");
        assert_eq!(r["as"], "refused");
        assert!(r["message"].as_str().unwrap().contains("Import…"));
    }
}
