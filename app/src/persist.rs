//! The plan saved in the browser (localStorage), byte for byte as [`Plan::to_json`] writes it.
//!
//! On start the saved plan opens if it loads; otherwise (corrupt text, a newer schema version,
//! not a plan) it is moved aside to its own key, never dropped, and the default plan opens
//! with a banner that says what happened. Only the last [`REJECTED_KEEP`] copies kept aside
//! stay: older ones would slowly fill the browser's storage quota.
//!
//! Opening another plan (a share link, a file, a paste, a sample) keeps the plan it replaces
//! in a list of recent plans ([`RECENT_KEY`], the last [`RECENT_LIMIT`], newest first), which
//! the import dialog shows with a way to restore each: autosave then overwrites the saved plan
//! without losing it. When the browser's quota is full, the oldest entries go first.
//!
//! Deciding is pure ([`judge`], [`aside_key`], [`rejected_to_remove`], [`with_recent`]) and
//! unit-tested; only [`start`], [`save`], [`recent`] and [`keep_recent`] touch the browser.
//!
//! Learn mode's progress is kept the same way under its own key ([`PROGRESS_KEY`]): a saved
//! progress that cannot be read is moved aside ([`PROGRESS_REJECTED_PREFIX`], the last
//! [`REJECTED_KEEP`] copies too) and Learn starts from none, with a banner.

use crate::samples;
use engine::api::findings::{Finding, JsonPath};
use engine::api::learn::progress::{self, Progress};
use engine::api::plan::Plan;

/// Where the current plan is saved.
pub const PLAN_KEY: &str = "ecs-planner.plan.v1";
/// Saved plans that could not be opened are kept under `<prefix><n>`, n = 1, 2, ...
pub const REJECTED_PREFIX: &str = "ecs-planner.plan.rejected.";
/// Where Learn's progress is saved (`engine::api::learn::progress`, versioned inside).
pub const PROGRESS_KEY: &str = "ecs-planner.learn.progress.v1";
/// Saved progress that could not be read is kept under `<prefix><n>`.
pub const PROGRESS_REJECTED_PREFIX: &str = "ecs-planner.learn.progress.rejected.";
/// How many copies kept aside stay (the newest).
pub const REJECTED_KEEP: usize = 3;
/// Plans replaced by opening another, newest first: a JSON list of
/// `{"name", "keptAt" (ms since 1970), "why", "plan" (the plan's JSON text)}`.
pub const RECENT_KEY: &str = "ecs-planner.recent.v1";
/// How many recent plans are kept.
pub const RECENT_LIMIT: usize = 10;

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
    /// Learn's progress (empty when none is saved or it could not be read).
    pub progress: Progress,
    /// Saved progress that could not be read, and where it was kept.
    pub progress_rejected: Option<Rejected>,
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

/// The number of a `<prefix><n>` key.
fn rejected_number(prefix: &str, key: &str) -> Option<u64> {
    key.strip_prefix(prefix)?.parse().ok()
}

/// The key for the next plan kept aside (see [`aside_key_in`]).
pub fn aside_key<'a>(keys: impl IntoIterator<Item = &'a str>) -> String {
    aside_key_in(REJECTED_PREFIX, keys)
}

/// The key for the next copy kept aside under `prefix`: one past the highest number in use, so
/// that numbers keep telling which copy is newer after old ones were removed.
pub fn aside_key_in<'a>(prefix: &str, keys: impl IntoIterator<Item = &'a str>) -> String {
    let n = keys
        .into_iter()
        .filter_map(|k| rejected_number(prefix, k))
        .max()
        .unwrap_or(0);
    format!("{prefix}{}", n + 1)
}

/// The plans kept aside beyond the newest [`REJECTED_KEEP`] (see [`rejected_to_remove_in`]).
pub fn rejected_to_remove<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    rejected_to_remove_in(REJECTED_PREFIX, keys)
}

/// The copies kept aside under `prefix` beyond the newest [`REJECTED_KEEP`]: to be removed.
pub fn rejected_to_remove_in<'a>(
    prefix: &str,
    keys: impl IntoIterator<Item = &'a str>,
) -> Vec<String> {
    let mut numbered: Vec<(u64, &str)> = keys
        .into_iter()
        .filter_map(|k| rejected_number(prefix, k).map(|n| (n, k)))
        .collect();
    numbered.sort_unstable_by_key(|n| std::cmp::Reverse(n.0));
    numbered
        .into_iter()
        .skip(REJECTED_KEEP)
        .map(|(_, k)| k.to_string())
        .collect()
}

/// A plan replaced by opening another one.
#[derive(Debug, Clone, PartialEq)]
pub struct RecentPlan {
    pub name: String,
    /// When it was replaced, ms since 1970.
    pub kept_at: f64,
    /// What replaced it: "the share link", "file plan.json".
    pub why: String,
    /// The plan's JSON text.
    pub plan: String,
}

impl RecentPlan {
    fn to_value(&self) -> serde_json::Value {
        serde_json::json!({"name": self.name, "keptAt": self.kept_at, "why": self.why, "plan": self.plan})
    }

    fn from_value(v: &serde_json::Value) -> Option<RecentPlan> {
        Some(RecentPlan {
            name: v.get("name")?.as_str()?.to_string(),
            kept_at: v.get("keptAt")?.as_f64()?,
            why: v.get("why")?.as_str()?.to_string(),
            plan: v.get("plan")?.as_str()?.to_string(),
        })
    }
}

/// Reads the recent list (entries that cannot be read are left out; text that is not a list
/// reads as none).
pub fn parse_recent(text: &str) -> Vec<RecentPlan> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Array(items)) => {
            items.iter().filter_map(RecentPlan::from_value).collect()
        }
        _ => Vec::new(),
    }
}

/// The list's text.
pub fn recent_text(list: &[RecentPlan]) -> String {
    serde_json::Value::Array(list.iter().map(RecentPlan::to_value).collect()).to_string()
}

/// The list with `entry` first: an entry of the same plan text moves up instead of being
/// listed twice, and the list keeps [`RECENT_LIMIT`] entries.
pub fn with_recent(mut list: Vec<RecentPlan>, entry: RecentPlan) -> Vec<RecentPlan> {
    list.retain(|r| r.plan != entry.plan);
    list.insert(0, entry);
    list.truncate(RECENT_LIMIT);
    list
}

/// Whether saved text reads as Learn progress: the progress, or the first error.
pub fn judge_progress(saved: &str) -> Result<Progress, Box<Finding>> {
    progress::read(saved).map_err(|f| {
        Box::new(f.into_iter().next().unwrap_or_else(|| {
            Finding::error(
                "unreadable-progress",
                JsonPath::root(),
                "the progress could not be read",
            )
        }))
    })
}

/// Reads the saved progress, moving it aside when it cannot be read.
fn start_progress(store: &web_sys::Storage) -> (Progress, Option<Rejected>) {
    let Ok(Some(saved)) = store.get_item(PROGRESS_KEY) else {
        return (Progress::default(), None);
    };
    match judge_progress(&saved) {
        Ok(p) => (p, None),
        Err(finding) => {
            let keys = storage_keys(store);
            let key = aside_key_in(PROGRESS_REJECTED_PREFIX, keys.iter().map(String::as_str));
            let moved = store.set_item(&key, &saved).is_ok();
            if moved {
                let _ = store.remove_item(PROGRESS_KEY);
                let mut keys = keys;
                keys.push(key.clone());
                let old = rejected_to_remove_in(
                    PROGRESS_REJECTED_PREFIX,
                    keys.iter().map(String::as_str),
                );
                for k in old {
                    let _ = store.remove_item(&k);
                }
            }
            let rejected = Rejected {
                kept_at: moved.then_some(key),
                text: saved,
                finding: *finding,
            };
            (Progress::default(), Some(rejected))
        }
    }
}

/// Writes Learn's progress to [`PROGRESS_KEY`].
pub fn save_progress(json: &str) -> Result<(), String> {
    let store = storage().ok_or("local storage is not available")?;
    store
        .set_item(PROGRESS_KEY, json)
        .map_err(|_| "the browser refused to save the learn progress".to_string())
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
        progress: Progress::default(),
        progress_rejected: None,
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
    let (progress, progress_rejected) = start_progress(&store);
    let with_progress = move |s: Startup| Startup {
        progress,
        progress_rejected,
        ..s
    };
    let saved = match store.get_item(PLAN_KEY) {
        Ok(Some(text)) => text,
        Ok(None) => return with_progress(fresh(None, true, None)),
        Err(_) => {
            return with_progress(fresh(
                None,
                false,
                Some("the saved plan could not be read from local storage".into()),
            ))
        }
    };
    with_progress(match judge(&saved) {
        Ok(plan) => Startup {
            plan,
            from_saved: true,
            rejected: None,
            autosave: true,
            storage_problem: None,
            progress: Progress::default(),
            progress_rejected: None,
        },
        Err(finding) => {
            let keys = storage_keys(&store);
            let key = aside_key(keys.iter().map(String::as_str));
            let moved = store.set_item(&key, &saved).is_ok();
            if moved {
                let mut keys = keys;
                keys.push(key.clone());
                for old in rejected_to_remove(keys.iter().map(String::as_str)) {
                    let _ = store.remove_item(&old);
                }
            }
            let rejected = Rejected {
                kept_at: moved.then_some(key),
                text: saved,
                finding: *finding,
            };
            // When it could not be kept aside, it stays where it is and nothing overwrites it.
            fresh(Some(rejected), moved, None)
        }
    })
}

/// Every key in local storage.
fn storage_keys(store: &web_sys::Storage) -> Vec<String> {
    let n = store.length().unwrap_or(0);
    (0..n).filter_map(|i| store.key(i).ok().flatten()).collect()
}

/// The recent plans, newest first.
pub fn recent() -> Vec<RecentPlan> {
    storage()
        .and_then(|s| s.get_item(RECENT_KEY).ok().flatten())
        .map(|t| parse_recent(&t))
        .unwrap_or_default()
}

/// Puts a replaced plan at the top of the recent list. When the storage quota is full, the
/// oldest entries are dropped until it fits; an error when even the plan alone does not.
pub fn keep_recent(entry: RecentPlan) -> Result<(), String> {
    let store = storage().ok_or("local storage is not available")?;
    let mut list = with_recent(recent(), entry);
    loop {
        if store.set_item(RECENT_KEY, &recent_text(&list)).is_ok() {
            return Ok(());
        }
        if list.len() <= 1 {
            return Err(
                "the browser has no room to keep the plan that was replaced (local storage full?)"
                    .into(),
            );
        }
        list.pop();
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
    fn progress_reads_back_and_a_bad_one_is_rejected() {
        let mut p = Progress::default();
        p.answer("where-web-5-lands", false, 1_000);
        assert_eq!(judge_progress(&p.to_json()), Ok(p));
        assert_eq!(judge_progress("{").unwrap_err().code, "json-syntax");
        assert_eq!(
            judge_progress(&default_plan().to_json()).unwrap_err().code,
            "not-progress"
        );
        assert_eq!(
            aside_key_in(PROGRESS_REJECTED_PREFIX, []),
            "ecs-planner.learn.progress.rejected.1"
        );
    }

    #[test]
    fn aside_keys_never_overwrite() {
        assert_eq!(aside_key([]), "ecs-planner.plan.rejected.1");
        let taken = [
            "ecs-planner.plan.v1",
            "ecs-planner.plan.rejected.2",
            "ecs-planner.plan.rejected.7",
            "ecs-planner.plan.rejected.x",
        ];
        assert_eq!(aside_key(taken), "ecs-planner.plan.rejected.8");
    }

    #[test]
    fn only_the_newest_copies_kept_aside_stay() {
        let keys: Vec<String> = (1..=6)
            .map(|n| format!("{REJECTED_PREFIX}{n}"))
            .chain(["ecs-planner.plan.v1".to_string()])
            .collect();
        let mut gone = rejected_to_remove(keys.iter().map(String::as_str));
        gone.sort();
        assert_eq!(
            gone,
            [
                "ecs-planner.plan.rejected.1",
                "ecs-planner.plan.rejected.2",
                "ecs-planner.plan.rejected.3"
            ]
        );
        assert!(rejected_to_remove(keys[..3].iter().map(String::as_str)).is_empty());
    }

    fn entry(name: &str, plan: &str) -> RecentPlan {
        RecentPlan {
            name: name.into(),
            kept_at: 1.0,
            why: "the share link".into(),
            plan: plan.into(),
        }
    }

    #[test]
    fn recent_plans_are_newest_first_unique_and_limited() {
        let mut list = Vec::new();
        for i in 0..12 {
            list = with_recent(list, entry(&format!("p{i}"), &format!("{{\"n\": {i}}}")));
        }
        assert_eq!(list.len(), RECENT_LIMIT);
        assert_eq!(list[0].name, "p11");
        assert_eq!(list[9].name, "p2");
        let list = with_recent(list, entry("again", "{\"n\": 5}"));
        assert_eq!(list.len(), RECENT_LIMIT);
        assert_eq!(list[0].name, "again");
        assert_eq!(list.iter().filter(|r| r.plan == "{\"n\": 5}").count(), 1);
        // The stored text reads back; damaged text reads as no entries, not an error.
        assert_eq!(parse_recent(&recent_text(&list)), list);
        assert!(parse_recent("{not json").is_empty());
        assert_eq!(
            parse_recent("[{\"name\": 1}, {\"name\": \"a\", \"keptAt\": 2, \"why\": \"w\", \"plan\": \"{}\"}]").len(),
            1
        );
    }
}
