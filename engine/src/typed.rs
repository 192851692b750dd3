//! Typed views of JSON that has passed the shape check, with the place of a value the types
//! still refuse.
//!
//! The shape check (`schema::check`) reports nearly every problem with its path first; what is
//! left for the typed view is rare (a number out of the range of its Rust type, say). serde's
//! message names the value but not where it is, so [`locate`] looks for that value in the
//! document: the first leaf that matches is the place reported. This keeps the page small (a
//! path-tracking deserializer is instantiated for every type of the plan).

use crate::findings::{Finding, JsonPath};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `value` as a `T`, or an `invalid-value` finding at the place of the refused value (under
/// `base`).
pub fn typed<T: DeserializeOwned>(value: &Value, base: &JsonPath) -> Result<T, Box<Finding>> {
    T::deserialize(value).map_err(|e| {
        let msg = e.to_string();
        let mut path = base.clone();
        path.0.extend(locate(value, &msg).0);
        Box::new(Finding::error("invalid-value", path, msg))
    })
}

/// Where in `value` the value a serde message complains about is: the first leaf (in document
/// order) equal to the one quoted in the message, or the root when the message quotes none.
pub fn locate(value: &Value, message: &str) -> JsonPath {
    let Some(wanted) = quoted(message) else {
        return JsonPath::root();
    };
    let mut path = JsonPath::root();
    if find(value, &wanted, &mut path) {
        path
    } else {
        JsonPath::root()
    }
}

/// The value a serde message quotes: "invalid value: integer `-1`, expected u32",
/// "invalid type: string \"x\", expected u32", "unknown variant `FOO`, expected ...".
fn quoted(message: &str) -> Option<Value> {
    for (prefix, number) in [
        ("integer `", true),
        ("floating point `", true),
        ("boolean `", false),
        ("unknown variant `", false),
    ] {
        if let Some(rest) = message.split_once(prefix).map(|(_, r)| r) {
            let text = rest.split('`').next()?;
            return Some(if number {
                serde_json::from_str::<Value>(text).ok()?
            } else if prefix == "boolean `" {
                Value::Bool(text == "true")
            } else {
                Value::String(text.to_string())
            });
        }
    }
    let rest = message.split_once("string \"")?.1;
    let end = rest.rfind('"')?;
    Some(Value::String(rest[..end].to_string()))
}

fn find(v: &Value, wanted: &Value, path: &mut JsonPath) -> bool {
    use crate::findings::PathSeg;
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                path.0.push(PathSeg::Key(k.clone()));
                if find(x, wanted, path) {
                    return true;
                }
                path.0.pop();
            }
            false
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.0.push(PathSeg::Index(i));
                if find(x, wanted, path) {
                    return true;
                }
                path.0.pop();
            }
            false
        }
        Value::Number(n) => match wanted {
            Value::Number(w) => n.as_f64() == w.as_f64(),
            _ => false,
        },
        leaf => leaf == wanted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Svc {
        name: String,
        count: u32,
        kind: Option<Kind>,
        on: Option<bool>,
    }

    #[derive(Debug, Deserialize)]
    enum Kind {
        Replica,
    }

    fn fails(v: Value) -> Finding {
        *typed::<Vec<Svc>>(&v, &JsonPath::root().key("services")).unwrap_err()
    }

    #[test]
    fn a_refused_value_is_reported_where_it_is() {
        let f = fails(json!([{"name": "a", "count": 1}, {"name": "b", "count": -1}]));
        assert_eq!(f.code, "invalid-value");
        assert_eq!(f.path.to_string(), "services[1].count");
        assert!(f.message.contains("-1"), "{}", f.message);

        let f = fails(json!([{"name": "a", "count": 1, "kind": "DAEMON"}]));
        assert_eq!(f.path.to_string(), "services[0].kind");

        let f = fails(json!([{"name": "a", "count": "many"}]));
        assert_eq!(f.path.to_string(), "services[0].count");

        let f = fails(json!([{"name": "a", "count": 4294967296u64}]));
        assert_eq!(f.path.to_string(), "services[0].count");
        // Nothing quoted: the root of what was read.
        let f = fails(json!([{"count": 1}]));
        assert_eq!(f.path.to_string(), "services");
    }

    #[test]
    fn a_good_value_reads() {
        let v: Vec<Svc> = typed(
            &json!([{"name": "a", "count": 2, "on": true}]),
            &JsonPath::root(),
        )
        .unwrap();
        assert_eq!(v[0].count, 2);
    }
}
