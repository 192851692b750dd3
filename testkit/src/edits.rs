//! Board edits chosen by numbers, for property tests that run random sequences of the board's
//! edits (drain, add, move, remove an instance, a desired count) over a plan. One chooser for
//! every such test, so that they all explore the same edits.
//!
//! The edit is the engine's `Edit` as JSON (its `command`-tagged form): a test turns it into
//! the engine's type with `serde_json::from_value`. The plan is read as its JSON document.

use serde_json::{json, Value};

/// The instance types an added instance takes, in turn.
const TYPES: [&str; 3] = ["m5.large", "c5.xlarge", "r5.large"];

/// The edit for `(kind, pick, n)` — a kind, an instance, zone or service by position, a
/// number — when the plan (as JSON, e.g. `serde_json::to_value(&plan)`) has what it needs.
pub fn edit_of(plan: &Value, (kind, pick, n): (u8, usize, u32)) -> Option<Value> {
    let nth = |list: &Value, key: &str| -> Option<Value> {
        let items = list.as_array()?;
        let item = items.get(pick % items.len().max(1))?;
        if key.is_empty() {
            Some(item.clone())
        } else {
            item.get(key).cloned()
        }
    };
    let cluster = &plan["cluster"];
    let id = nth(&cluster["containerInstances"], "id");
    let zone = nth(&cluster["availabilityZones"], "");
    match kind % 5 {
        0 => Some(json!({"command": "setDraining", "id": id?, "draining": n % 2 == 0})),
        1 => Some(json!({
            "command": "addInstances",
            "instanceType": TYPES[n as usize % TYPES.len()],
            "availabilityZone": zone?,
            "count": 1 + n % 3,
        })),
        2 => Some(json!({"command": "moveInstance", "id": id?, "availabilityZone": zone?})),
        3 => Some(json!({"command": "removeInstance", "id": id?})),
        _ => Some(json!({
            "command": "setDesiredCount",
            "service": nth(&plan["services"], "serviceName")?,
            "desiredCount": n % 12,
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Value {
        json!({
            "cluster": {
                "availabilityZones": ["a", "b"],
                "containerInstances": [{"id": "i-1"}, {"id": "i-2"}, {"id": "i-3"}]
            },
            "services": [{"serviceName": "web"}]
        })
    }

    #[test]
    fn each_kind_names_what_the_plan_has() {
        let p = plan();
        assert_eq!(
            edit_of(&p, (0, 4, 1)),
            Some(json!({"command": "setDraining", "id": "i-2", "draining": false}))
        );
        assert_eq!(
            edit_of(&p, (1, 1, 4)),
            Some(
                json!({"command": "addInstances", "instanceType": "c5.xlarge",
                "availabilityZone": "b", "count": 2})
            )
        );
        assert_eq!(
            edit_of(&p, (2, 2, 0)),
            Some(json!({"command": "moveInstance", "id": "i-3", "availabilityZone": "a"}))
        );
        assert_eq!(
            edit_of(&p, (3, 0, 0)),
            Some(json!({"command": "removeInstance", "id": "i-1"}))
        );
        assert_eq!(
            edit_of(&p, (9, 7, 13)),
            Some(json!({"command": "setDesiredCount", "service": "web", "desiredCount": 1}))
        );
    }

    #[test]
    fn nothing_to_edit_is_no_edit() {
        let empty = json!({"cluster": {"availabilityZones": [], "containerInstances": []},
            "services": []});
        for kind in 0..5 {
            assert_eq!(edit_of(&empty, (kind, 3, 1)), None, "kind {kind}");
        }
    }
}
