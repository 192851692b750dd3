//! One change to a plan in a scenario's setup, solution or choice: an engine [`Edit`] (the same
//! commands the page's board and editors make), or `set`, which writes one value at a plan path
//! (`{"command": "set", "path": "services[0].deploymentConfiguration.maximumPercent",
//! "value": 200}`) so that authors need not repeat a whole service to change one member.
//! Either way the plan is loaded again, so a step can never leave an invalid plan behind.

use crate::edit::{self, Edit};
use crate::findings::{Finding, JsonPath};
use crate::plan::Plan;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// One step of a scenario's setup, solution or choice: a named edit, or a value set at a plan path. In JSON, an edit object, or `{"command": "set", "path": …, "value": …}`.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// A named edit, as the UI makes it.
    Edit(Edit),
    /// A value written at a plan path (for members no named edit changes).
    Set {
        /// Where in the plan document.
        path: JsonPath,
        /// The JSON value written there.
        value: Value,
    },
}

impl Step {
    /// A short sentence, as the undo history says it.
    pub fn describe(&self) -> String {
        match self {
            Step::Edit(e) => e.describe(),
            Step::Set { path, value } => format!("set {path} to {value}"),
        }
    }

    /// The plan after this step, or the findings that refuse it.
    pub fn apply(&self, plan: &Plan) -> Result<Plan, Vec<Finding>> {
        match self {
            Step::Edit(e) => edit::apply(plan, e),
            Step::Set { path, value } => {
                let mut doc = serde_json::to_value(plan).map_err(|e| {
                    vec![Finding::error("internal", JsonPath::root(), e.to_string())]
                })?;
                if !set(&mut doc, &path.0, value.clone()) {
                    return Err(vec![Finding::error(
                        "learn-set-path",
                        path.clone(),
                        format!("the plan has no place {path} to set"),
                    )
                    .with_fix(
                        "name a member of an existing object or an existing list item",
                    )]);
                }
                edit::reload(doc)
            }
        }
    }
}

/// Writes `value` at `path`, creating missing object members on the way (not list items).
fn set(doc: &mut Value, path: &[crate::findings::PathSeg], value: Value) -> bool {
    use crate::findings::PathSeg;
    let Some((first, rest)) = path.split_first() else {
        *doc = value;
        return true;
    };
    match (first, doc) {
        (PathSeg::Key(k), Value::Object(m)) => {
            if rest.is_empty() {
                m.insert(k.clone(), value);
                return true;
            }
            let next = m
                .entry(k.clone())
                .or_insert_with(|| Value::Object(Default::default()));
            set(next, rest, value)
        }
        (PathSeg::Index(i), Value::Array(a)) => match a.get_mut(*i) {
            Some(next) => set(next, rest, value),
            None => false,
        },
        _ => false,
    }
}

impl Serialize for Step {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Step::Edit(e) => e.serialize(s),
            Step::Set { path, value } => serde_json::json!({
                "command": "set", "path": path.to_string(), "value": value
            })
            .serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let v = Value::deserialize(d)?;
        if v.get("command").and_then(Value::as_str) == Some("set") {
            let path = v
                .get("path")
                .and_then(Value::as_str)
                .ok_or_else(|| D::Error::custom("missing field `path`"))?;
            let path = JsonPath::parse(path)
                .ok_or_else(|| D::Error::custom(format!("bad JSON path \"{path}\"")))?;
            let value = v
                .get("value")
                .cloned()
                .ok_or_else(|| D::Error::custom("missing field `value`"))?;
            return Ok(Step::Set { path, value });
        }
        Edit::deserialize(v)
            .map(Step::Edit)
            .map_err(D::Error::custom)
    }
}
