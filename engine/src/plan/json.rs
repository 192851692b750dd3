//! Reading the typed views of the plan's members that are documents of their own (the
//! deployment configuration, a service's auto scaling, the workload) from their JSON, member by
//! member.
//!
//! This is what serde's derive with a flattened `extra` map would do, at a fraction of the
//! page's size: serde's visitors for these types cost about 30 KB of the gzipped page, which
//! must stay under 1 MB. The members are read from the JSON value the plan document already is
//! (after the shape check, so a value of the wrong type is rare and reported by the loader);
//! members a type does not name are kept in its `extra`, in order. They are never written from
//! the types: [`super::Written`] keeps the JSON they were read from.

use serde_json::{Map, Value};

/// A value read from JSON.
pub trait Json: Sized {
    /// `v` as a `Self`, or what is wrong with it (for the loader's finding).
    fn read(v: &Value) -> Result<Self, String>;
}

fn wrong(expected: &str, v: &Value) -> String {
    let found = match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("integer `{n}`"),
        Value::String(s) => format!("string \"{s}\""),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "an object".to_string(),
    };
    format!("invalid value: {found}, expected {expected}")
}

impl Json for bool {
    fn read(v: &Value) -> Result<Self, String> {
        v.as_bool().ok_or_else(|| wrong("a boolean", v))
    }
}

impl Json for i64 {
    fn read(v: &Value) -> Result<Self, String> {
        v.as_i64().ok_or_else(|| wrong("i64", v))
    }
}

impl Json for f64 {
    fn read(v: &Value) -> Result<Self, String> {
        v.as_f64().ok_or_else(|| wrong("f64", v))
    }
}

impl Json for String {
    fn read(v: &Value) -> Result<Self, String> {
        v.as_str()
            .map(str::to_string)
            .ok_or_else(|| wrong("a string", v))
    }
}

impl<T: Json> Json for Vec<T> {
    fn read(v: &Value) -> Result<Self, String> {
        let Value::Array(items) = v else {
            return Err(wrong("a list", v));
        };
        let mut out = Vec::with_capacity(items.len());
        for x in items {
            out.push(T::read(x)?);
        }
        Ok(out)
    }
}

/// An object of members named by the user (a map keyed by name), in the order written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Named<T>(
    /// (name, value) pairs in the order written.
    pub Vec<(String, T)>,
);

impl<T> Named<T> {
    /// The member named `name`, if written.
    pub fn get(&self, name: &str) -> Option<&T> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, t)| t)
    }

    /// The members in the order written.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &T)> {
        self.0.iter().map(|(n, t)| (n, t))
    }
}

impl<T: Json> Json for Named<T> {
    fn read(v: &Value) -> Result<Self, String> {
        let Value::Object(o) = v else {
            return Err(wrong("an object", v));
        };
        let mut out = Vec::with_capacity(o.len());
        for (k, x) in o {
            match T::read(x) {
                Ok(t) => out.push((k.clone(), t)),
                Err(e) => return Err(keyed(k, e)),
            }
        }
        Ok(Named(out))
    }
}

/// The members of an object: for [`json_struct!`].
pub fn object(v: &Value) -> Result<&Map<String, Value>, String> {
    v.as_object().ok_or_else(|| wrong("an object", v))
}

/// Reads a named member into its slot: `null` is absent (as serde reads an `Option`). One copy
/// of the code per type of member, not per member.
#[inline(never)]
pub fn member<T: Json>(key: &str, x: &Value, slot: &mut Option<T>) -> Result<(), String> {
    if x.is_null() {
        *slot = None;
        return Ok(());
    }
    match T::read(x) {
        Ok(t) => {
            *slot = Some(t);
            Ok(())
        }
        Err(e) => Err(keyed(key, e)),
    }
}

/// What is wrong, where.
#[inline(never)]
fn keyed(key: &str, e: String) -> String {
    format!("{key}: {e}")
}

/// Keeps a member a type does not name.
#[inline(never)]
pub fn keep(extra: &mut Map<String, Value>, key: &str, v: &Value) {
    extra.insert(key.to_string(), v.clone());
}

/// A struct of optional members, each with its JSON name, and `extra` for the members it does
/// not name. It derives `Debug, Clone, Default, PartialEq`.
macro_rules! json_struct {
    (
        $(#[$m:meta])*
        pub struct $name:ident {
            $( $(#[$fm:meta])* pub $field:ident : $ty:ty = $key:literal, )*
        }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct $name {
            $( $(#[$fm])* pub $field: Option<$ty>, )*
            /// Members not named here, in the order written.
            pub extra: $crate::plan::Extra,
        }

        impl $crate::plan::json::Json for $name {
            fn read(v: &serde_json::Value) -> Result<Self, String> {
                let mut out = $name::default();
                for (k, x) in $crate::plan::json::object(v)? {
                    let read = match k.as_str() {
                        $( $key => $crate::plan::json::member($key, x, &mut out.$field), )*
                        _ => {
                            $crate::plan::json::keep(&mut out.extra, k, x);
                            Ok(())
                        }
                    };
                    read?;
                }
                Ok(out)
            }

        }
    };
}

/// An enum of AWS's string values (`"COUNT"`, `"StepScaling"`). It derives
/// `Debug, Clone, Copy, PartialEq, Eq`.
macro_rules! json_enum {
    (
        $(#[$m:meta])*
        pub enum $name:ident {
            $( $(#[$vm:meta])* $variant:ident = $text:literal, )*
        }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $( $(#[$vm])* $variant, )*
        }

        impl $name {
            /// As AWS writes it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )*
                }
            }
        }

        impl $crate::plan::json::Json for $name {
            fn read(v: &serde_json::Value) -> Result<Self, String> {
                match v.as_str() {
                    $( Some($text) => Ok($name::$variant), )*
                    _ => Err(format!(
                        "invalid value: {v}, expected one of {}",
                        [$($text),*].join(", ")
                    )),
                }
            }

        }
    };
}

pub(crate) use {json_enum, json_struct};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    json_struct! {
        /// A test struct.
        pub struct Target {
            pub min: i64 = "minCapacity",
            pub steps: Vec<Target> = "Steps",
        }
    }

    json_enum! {
        pub enum Kind {
            One = "ONE",
            Two = "TWO",
        }
    }

    #[test]
    fn named_members_are_typed_and_the_rest_kept_in_order() {
        let v = json!({"other": 1, "Steps": [{"minCapacity": 2, "x": true}], "minCapacity": 3, "last": "z"});
        let t = Target::read(&v).unwrap();
        assert_eq!(t.min, Some(3));
        assert_eq!(t.steps.as_ref().unwrap()[0].extra["x"], true);
        assert_eq!(t.extra.keys().collect::<Vec<_>>(), ["other", "last"]);
        assert_eq!(
            Target::read(&json!({"minCapacity": null})).unwrap().min,
            None
        );
        let e = Target::read(&json!({"minCapacity": "3"})).unwrap_err();
        assert!(
            e.contains("minCapacity") && e.contains("string \"3\""),
            "{e}"
        );
        assert_eq!(Kind::read(&json!("TWO")).unwrap(), Kind::Two);
        assert_eq!(Kind::One.as_str(), "ONE");
        assert!(Kind::read(&json!("THREE")).is_err());
    }
}
