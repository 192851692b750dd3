//! A member of the plan read into its type and written back as the user wrote it.
//!
//! The typed views name AWS's members in the API model's order, and serde writes numbers by
//! their Rust type (`60.0` for an `f64`). A plan that is loaded and saved again, or exported,
//! should still read as it was written: [`Written`] keeps the JSON it was read from and, when
//! the value is written, puts the members in their original order and keeps a number's
//! original form (`60`, `60.0`, `6e1`) when its value did not change. Members added since come
//! after the original ones, in the type's order.

use serde::de::{DeserializeOwned, Error as _};
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use std::fmt;
use std::ops::{Deref, DerefMut};

/// A typed value with the JSON it was read from (see the module's documentation).
#[derive(Clone, Default)]
pub struct Written<T> {
    value: T,
    /// As read; `Null` for a value made in code.
    source: Value,
}

impl<T> Written<T> {
    /// A value made in code: written as serde writes it.
    pub fn new(value: T) -> Written<T> {
        Written {
            value,
            source: Value::Null,
        }
    }

    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T: DeserializeOwned> Written<T> {
    /// A value read from JSON made in code (an importer's), written back as that JSON.
    pub fn from_value(source: Value) -> Result<Written<T>, serde_json::Error> {
        let value = T::deserialize(&source)?;
        Ok(Written { value, source })
    }
}

impl<T: Serialize> Written<T> {
    /// The member as JSON, as it is written (for exports, which copy it member by member).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

impl<T> From<T> for Written<T> {
    fn from(value: T) -> Self {
        Written::new(value)
    }
}

impl<T> Deref for Written<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> DerefMut for Written<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

/// Two members are equal when their values are: the way they were written does not count.
impl<T: PartialEq> PartialEq for Written<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: fmt::Debug> fmt::Debug for Written<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Written<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let source = Value::deserialize(d)?;
        let value = T::deserialize(&source).map_err(D::Error::custom)?;
        Ok(Written { value, source })
    }
}

impl<T: Serialize> Serialize for Written<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.source.is_null() {
            return self.value.serialize(s);
        }
        let now = serde_json::to_value(&self.value).map_err(S::Error::custom)?;
        as_written(now, &self.source).serialize(s)
    }
}

/// A number as the plan writes it: `60` and `60.0` stay apart (the page shows a policy's target
/// as written), while its value is what counts (equality, [`Number::get`]).
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Number(serde_json::Number);

impl Number {
    pub fn get(&self) -> f64 {
        self.0.as_f64().unwrap_or(0.0)
    }
}

impl From<f64> for Number {
    /// A number made in code (not finite: 0).
    fn from(x: f64) -> Self {
        Number(serde_json::Number::from_f64(x).unwrap_or_else(|| 0.into()))
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// As written: `60`, `60.0`, `0.5`.
impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// `now` with the member order and number forms of `was` wherever the two agree.
fn as_written(now: Value, was: &Value) -> Value {
    match (now, was) {
        (Value::Object(now), Value::Object(was)) => {
            let mut rest: Vec<(String, Value)> = now.into_iter().collect();
            let mut out = Map::new();
            for (k, w) in was {
                if let Some(i) = rest.iter().position(|(n, _)| n == k) {
                    let (k, v) = rest.remove(i);
                    out.insert(k, as_written(v, w));
                }
            }
            out.extend(rest);
            Value::Object(out)
        }
        (Value::Array(now), Value::Array(was)) => Value::Array(
            now.into_iter()
                .enumerate()
                .map(|(i, v)| match was.get(i) {
                    Some(w) => as_written(v, w),
                    None => v,
                })
                .collect(),
        ),
        (Value::Number(n), Value::Number(w)) if same_number(&n, w) => Value::Number(w.clone()),
        (now, _) => now,
    }
}

fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
        (Some(x), Some(y), _, _) => x == y,
        (_, _, Some(x), Some(y)) => x == y,
        _ => a.as_f64() == b.as_f64(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Target {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        level: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        steps: Option<Vec<Target>>,
        #[serde(flatten)]
        extra: Map<String, Value>,
    }

    fn text<T: Serialize>(v: &T) -> String {
        serde_json::to_string(v).unwrap()
    }

    #[test]
    fn a_member_is_written_back_as_it_was_read() {
        let src = r#"{"other":1,"level":60,"max":3,"steps":[{"level":2.50,"min":1}],"min":1}"#;
        let w: Written<Target> = serde_json::from_str(src).unwrap();
        assert_eq!(w.level, Some(60.0));
        assert_eq!(
            text(&w),
            r#"{"other":1,"level":60,"max":3,"steps":[{"level":2.5,"min":1}],"min":1}"#
        );
        // Changed values are written as their type writes them; new members come last.
        let mut c = w.clone();
        c.level = Some(70.0);
        c.min = None;
        let first = c.steps.as_ref().unwrap()[0].clone();
        c.steps.as_mut().unwrap().push(first);
        assert_eq!(
            text(&c),
            r#"{"other":1,"level":70.0,"max":3,"steps":[{"level":2.5,"min":1},{"min":1,"level":2.5}]}"#
        );
        // Made in code: serde's order and forms; equality ignores how it was written.
        let made = Written::new(w.clone().into_inner());
        assert_eq!(
            text(&made),
            r#"{"min":1,"max":3,"level":60.0,"steps":[{"min":1,"level":2.5}],"other":1}"#
        );
        assert_eq!(made, w);
    }

    #[test]
    fn numbers_keep_their_form_only_while_their_value_stays() {
        let big = json!({"min": 9007199254740993i64});
        let w: Written<Target> = serde_json::from_value(big.clone()).unwrap();
        assert_eq!(serde_json::to_value(&w).unwrap(), big);
        let n = serde_json::Number::from;
        assert!(same_number(&3u64.into(), &3i64.into()));
        assert!(!same_number(
            &n(9007199254740993i64),
            &n(9007199254740992i64)
        ));
    }

    #[test]
    fn a_number_shows_as_written_and_compares_by_value() {
        let a: Number = serde_json::from_str("60").unwrap();
        let b: Number = serde_json::from_str("60.0").unwrap();
        assert_eq!((a.to_string(), b.to_string()), ("60".into(), "60.0".into()));
        assert_eq!(a, b);
        assert_eq!(a.get(), 60.0);
        assert_eq!(serde_json::to_string(&b).unwrap(), "60.0");
        assert_eq!(Number::from(f64::NAN).get(), 0.0);
    }
}
