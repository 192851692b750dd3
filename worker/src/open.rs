//! A plan file opened from the page (the import dialog's file picker, or a file dropped on the
//! page): loaded here, in the engine worker, with the command line's size limit, so that a
//! large or hostile file keeps the page responsive and its Cancel working. The page opens the
//! plan document this returns; the loader's errors come back as findings.

use engine::api::findings::{Finding, JsonPath};
use engine::api::plan::load;
use protocol::import::{OpenPlan, MAX_PLAN_BYTES};
use protocol::Failure;
use serde_json::{json, Value};

/// The errors listed for a file that does not load (the page shows each).
const MAX_FINDINGS: usize = 50;

/// Loads the file's text as `ecsplan validate` would.
pub fn open(o: &OpenPlan) -> Result<Value, Failure> {
    if o.text.len() as u64 > MAX_PLAN_BYTES {
        return Err(refused(
            &o.name,
            vec![too_large(&o.name, o.text.len() as u64)],
        ));
    }
    let loaded = load(&o.text);
    match loaded.plan {
        Some(plan) => Ok(json!({ "plan": plan.to_json() })),
        None => {
            let mut errors: Vec<Finding> = loaded
                .findings
                .into_iter()
                .filter(Finding::is_error)
                .collect();
            errors.truncate(MAX_FINDINGS);
            Err(refused(&o.name, errors))
        }
    }
}

/// The finding for a file over the limit (the page writes the same one before reading it).
fn too_large(name: &str, bytes: u64) -> Finding {
    let (message, fix) = protocol::import::too_large(name, bytes);
    let mut f = Finding::error("file-too-large", JsonPath::root(), message);
    f.fix = Some(fix.into());
    f
}

/// The file's refusal: the first finding in the message, all of them attached.
fn refused(name: &str, findings: Vec<Finding>) -> Failure {
    crate::dispatch::refused_as(name, "opened", findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn sample() -> String {
        std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../public/plans/two-az-web.json"),
        )
        .unwrap()
    }

    fn file(text: String) -> OpenPlan {
        OpenPlan {
            text,
            name: "plan.json".into(),
        }
    }

    #[test]
    fn a_plan_file_opens_as_the_plan_document() {
        let v = open(&file(sample())).unwrap();
        let plan = load(v["plan"].as_str().unwrap()).plan.unwrap();
        assert_eq!(
            plan.to_json(),
            load(&sample()).plan.unwrap().to_json(),
            "the same plan as the file"
        );
    }

    #[test]
    fn a_broken_file_is_refused_with_positioned_findings() {
        let text = sample();
        let cut = text[..text.len() / 2].to_string();
        let e = open(&file(cut)).unwrap_err();
        assert_eq!(e.code, Failure::REFUSED);
        assert!(
            e.message.starts_with("plan.json cannot be opened: "),
            "{}",
            e.message
        );
        assert!(!e.findings.is_empty());
        assert!(
            e.findings[0]["line"].as_u64().is_some(),
            "{:?}",
            e.findings[0]
        );
    }

    #[test]
    fn a_file_over_the_command_lines_limit_is_refused_unread() {
        let big = " ".repeat(MAX_PLAN_BYTES as usize + 1);
        let e = open(&file(big)).unwrap_err();
        assert_eq!(e.findings[0]["code"], "file-too-large");
        assert!(e.message.contains("at most 64 MiB"), "{}", e.message);
    }
}
