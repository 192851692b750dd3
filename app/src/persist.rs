//! The plan saved in the browser (localStorage), byte for byte as [`Plan::to_json`] writes it.
//!
//! On start the saved plan opens if it loads; otherwise (corrupt text, a newer schema version,
//! not a plan) it is moved aside to its own key, never dropped, and the default plan opens
//! with a banner that says what happened. Deciding is pure ([`judge`], [`aside_key`]) and
//! unit-tested; only [`start`] and [`save`] touch the browser.

use crate::samples;
use engine::api::findings::{Finding, JsonPath};
use engine::api::plan::Plan;

/// Where the current plan is saved.
pub const PLAN_KEY: &str = "ecs-planner.plan.v1";
/// Saved plans that could not be opened are kept under `<prefix><n>`, n = 1, 2, ...
pub const REJECTED_PREFIX: &str = "ecs-planner.plan.rejected.";

/// A saved plan that could not be opened, and where it was kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    /// The key that now holds the text (`None` when it could not be moved aside: then it is
    /// still under [`PLAN_KEY`] and saving is paused so that nothing overwrites it).
    pub kept_at: Option<String>,
    pub text: String,
    /// The first error the engine found.
    pub finding: Finding,
}

/// What the app opens with.
pub struct Startup {
    pub plan: Plan,
    pub from_saved: bool,
    pub rejected: Option<Rejected>,
    /// Whether changes may be written to [`PLAN_KEY`].
    pub autosave: bool,
    /// Storage that does not work at all (private mode, disabled): said once, in a banner.
    pub storage_problem: Option<String>,
}

/// Whether saved text opens as a plan: the plan, or the first error that stops it.
pub fn judge(saved: &str) -> Result<Plan, Box<Finding>> {
    let loaded = engine::api::plan::load(saved);
    if let Some(plan) = loaded.plan {
        return Ok(plan);
    }
    let first = loaded.findings.into_iter().find(Finding::is_error);
    Err(Box::new(first.unwrap_or_else(|| {
        Finding::error(
            "unreadable-plan",
            JsonPath::root(),
            "the saved plan could not be read",
        )
    })))
}

/// The first `<REJECTED_PREFIX><n>` key that is not taken.
pub fn aside_key(taken: impl Fn(&str) -> bool) -> String {
    (1u32..)
        .map(|n| format!("{REJECTED_PREFIX}{n}"))
        .find(|k| !taken(k))
        .expect("some key is free")
}

/// The built-in default plan (the first sample).
pub fn default_plan() -> Plan {
    let sample = samples::default_sample();
    engine::api::plan::load(sample.text)
        .plan
        .unwrap_or_else(|| Plan::empty(sample.title))
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads the saved plan, moving it aside when it cannot be opened.
pub fn start() -> Startup {
    let fresh = |rejected, autosave, storage_problem| Startup {
        plan: default_plan(),
        from_saved: false,
        rejected,
        autosave,
        storage_problem,
    };
    let Some(store) = storage() else {
        return fresh(
            None,
            false,
            Some(
                "this browser does not let the page use local storage, so changes are not saved"
                    .into(),
            ),
        );
    };
    let saved = match store.get_item(PLAN_KEY) {
        Ok(Some(text)) => text,
        Ok(None) => return fresh(None, true, None),
        Err(_) => {
            return fresh(
                None,
                false,
                Some("the saved plan could not be read from local storage".into()),
            )
        }
    };
    match judge(&saved) {
        Ok(plan) => Startup {
            plan,
            from_saved: true,
            rejected: None,
            autosave: true,
            storage_problem: None,
        },
        Err(finding) => {
            let key = aside_key(|k| matches!(store.get_item(k), Ok(Some(_))));
            let moved = store.set_item(&key, &saved).is_ok();
            let rejected = Rejected {
                kept_at: moved.then_some(key),
                text: saved,
                finding: *finding,
            };
            // When it could not be kept aside, it stays where it is and nothing overwrites it.
            fresh(Some(rejected), moved, None)
        }
    }
}

/// Writes the plan's JSON to [`PLAN_KEY`].
pub fn save(json: &str) -> Result<(), String> {
    let store = storage().ok_or("local storage is not available")?;
    store
        .set_item(PLAN_KEY, json)
        .map_err(|_| "the browser refused to save the plan (local storage full?)".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_saved_plan_opens() {
        let plan = default_plan();
        assert_eq!(judge(&plan.to_json()), Ok(plan));
    }

    #[test]
    fn corrupt_newer_and_foreign_texts_are_rejected_with_a_reason() {
        let e = judge("{\"schemaVersion\": 1, \"name\": ").unwrap_err();
        assert_eq!(e.code, "json-syntax");
        assert!(e.line.is_some());
        let mut newer = default_plan().to_json();
        newer = newer.replacen("\"schemaVersion\": 1", "\"schemaVersion\": 99", 1);
        assert_eq!(judge(&newer).unwrap_err().code, "newer-schema-version");
        assert_eq!(judge("[1, 2]").unwrap_err().code, "not-a-plan");
    }

    #[test]
    fn aside_keys_never_overwrite() {
        assert_eq!(aside_key(|_| false), "ecs-planner.plan.rejected.1");
        let taken = ["ecs-planner.plan.rejected.1", "ecs-planner.plan.rejected.2"];
        assert_eq!(
            aside_key(|k| taken.contains(&k)),
            "ecs-planner.plan.rejected.3"
        );
    }
}
