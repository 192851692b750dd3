//! A member of the plan that is a document of its own (the deployment configuration, a
//! service's auto scaling, the workload): kept as the JSON the user wrote, checked against its
//! type when the plan is loaded, and read into its type when it is used.
//!
//! The plan is saved and exported as it was written, member order and number forms included
//! (`60` stays `60`, `60.0` stays `60.0`). The page carries no code to write these types, nor to
//! copy or compare them: a change is made to the plan document and the plan loaded again, as
//! every edit is (`crate::edit`).

use super::json::Json;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;

/// JSON of type `T` as it was written (see the module's documentation).
pub struct Written<T> {
    source: Value,
    kind: PhantomData<fn() -> T>,
}

impl<T: Json + Default> Written<T> {
    /// `source` when it reads as a `T`, or what the type refuses in it.
    pub fn from_value(source: Value) -> Result<Written<T>, String> {
        T::read(&source)?;
        Ok(Written {
            source,
            kind: PhantomData,
        })
    }

    /// The typed view (it was checked when the member was made, so it reads).
    pub fn read(&self) -> T {
        T::read(&self.source).unwrap_or_default()
    }
}

impl<T> Written<T> {
    /// The member as it is written.
    pub fn json(&self) -> &Value {
        &self.source
    }
}

impl<T> Clone for Written<T> {
    fn clone(&self) -> Self {
        Written {
            source: self.source.clone(),
            kind: PhantomData,
        }
    }
}

/// Two members are equal when they are written alike.
impl<T> PartialEq for Written<T> {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl<T> fmt::Debug for Written<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.source.fmt(f)
    }
}

impl<'de, T: Json + Default> Deserialize<'de> for Written<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let source = Value::deserialize(d)?;
        Written::from_value(source).map_err(D::Error::custom)
    }
}

impl<T> Serialize for Written<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.source.serialize(s)
    }
}

/// A number as the plan writes it: `60` and `60.0` stay apart (the page shows a policy's target
/// as written), while its value is what counts (equality, [`Number::get`]).
#[derive(Clone)]
pub struct Number(serde_json::Number);

impl Json for Number {
    fn read(v: &Value) -> Result<Self, String> {
        match v {
            Value::Number(n) => Ok(Number(n.clone())),
            other => Err(format!("invalid value: {other}, expected a number")),
        }
    }
}

impl Number {
    /// The number as a float (0 when it is not representable).
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

#[cfg(test)]
mod tests {
    use super::*;

    crate::plan::json::json_struct! {
        pub struct Target {
            pub min: i64 = "min",
            pub level: f64 = "level",
        }
    }

    #[test]
    fn a_member_is_written_back_as_it_was_read() {
        let src = r#"{"other":1,"level":60,"min":1.0e0}"#;
        let v: serde_json::Value = serde_json::from_str(src).unwrap();
        assert!(
            Written::<Target>::from_value(v.clone()).is_err(),
            "min is a whole number"
        );
        let src = r#"{"other":1,"level":60,"min":1}"#;
        let w: Written<Target> = serde_json::from_str(src).unwrap();
        let t = w.read();
        assert_eq!((t.min, t.level), (Some(1), Some(60.0)));
        assert_eq!(t.extra["other"], 1);
        assert_eq!(serde_json::to_string(&w).unwrap(), src);
    }

    #[test]
    fn a_number_shows_as_written_and_compares_by_value() {
        let a = Number::read(&serde_json::from_str("60").unwrap()).unwrap();
        let b = Number::read(&serde_json::from_str("60.0").unwrap()).unwrap();
        assert_eq!((a.to_string(), b.to_string()), ("60".into(), "60.0".into()));
        assert_eq!(a, b);
        assert_eq!(a.get(), 60.0);
        assert_eq!(Number::from(f64::NAN).get(), 0.0);
    }
}
