//! Turning typed values into wire parameters and JSON, and typed response fields out of JSON.
//! Generated code implements these traits for its enums and objects.

use std::fmt;

use serde_json::Value;

mod format;
mod wire;

pub use format::{
    Comma, Date, EpochMillis, EpochSeconds, JsonFormat, JsonList, LocalDateTime, ParamFormat,
    Plain, Rfc3339, TimeFormat, optional_as, required_as, to_json_as,
};
pub use wire::{WireBuilder, WireReader, fill_path, path_params};

/// A value that can be a query, form or header parameter.
pub trait ToParam {
    /// The parameter text, before percent-encoding.
    fn to_param(&self) -> String;
}

/// A value that can be a JSON body member.
pub trait ToJson {
    /// The JSON value.
    fn to_json(&self) -> Value;
}

/// A value that can be read from a response payload.
pub trait FromJson: Sized {
    /// Reads the value. `lenient` accepts a number for a string and a numeric string for a number.
    fn from_json(v: &Value, lenient: bool) -> Result<Self, String>;
}

impl ToParam for String {
    fn to_param(&self) -> String {
        self.clone()
    }
}

impl ToParam for bool {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl ToJson for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
}

pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl FromJson for String {
    fn from_json(v: &Value, lenient: bool) -> Result<Self, String> {
        match v {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) if lenient => Ok(n.to_string()),
            other => Err(format!("expected a string, found {}", kind(other))),
        }
    }
}

impl FromJson for bool {
    fn from_json(v: &Value, lenient: bool) -> Result<Self, String> {
        match v {
            Value::Bool(b) => Ok(*b),
            Value::String(s) if lenient && (s == "true" || s == "false") => Ok(s == "true"),
            other => Err(format!("expected a boolean, found {}", kind(other))),
        }
    }
}

macro_rules! int_codec {
    ($($t:ty),*) => {$(
        impl ToParam for $t {
            fn to_param(&self) -> String {
                self.to_string()
            }
        }
        impl ToJson for $t {
            fn to_json(&self) -> Value {
                Value::from(*self)
            }
        }
        impl FromJson for $t {
            fn from_json(v: &Value, lenient: bool) -> Result<Self, String> {
                let wide = match v {
                    Value::Number(n) => n.as_i64().ok_or_else(|| format!("expected an integer, found {n}"))?,
                    Value::String(s) if lenient => s
                        .trim()
                        .parse::<i64>()
                        .map_err(|_| format!("expected an integer, found the string {:?}", crate::validation::shorten(s)))?,
                    other => return Err(format!("expected an integer, found {}", kind(other))),
                };
                <$t>::try_from(wide).map_err(|_| format!("{wide} does not fit in {}", stringify!($t)))
            }
        }
    )*};
}

int_codec!(i32, i64);

impl ToParam for f64 {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl ToJson for f64 {
    fn to_json(&self) -> Value {
        // JSON has no NaN or infinity: send `null` rather than an invalid document.
        serde_json::Number::from_f64(*self).map_or(Value::Null, Value::Number)
    }
}

impl FromJson for f64 {
    fn from_json(v: &Value, lenient: bool) -> Result<Self, String> {
        match v {
            Value::Number(n) => n
                .as_f64()
                .ok_or_else(|| format!("expected a number, found {n}")),
            Value::String(s) if lenient => s.trim().parse::<f64>().map_err(|_| {
                format!(
                    "expected a number, found the string {:?}",
                    crate::validation::shorten(s)
                )
            }),
            other => Err(format!("expected a number, found {}", kind(other))),
        }
    }
}

impl FromParam for f64 {
    fn from_param(s: &str) -> Result<Self, String> {
        s.parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .ok_or_else(|| {
                format!(
                    "expected a number, found {:?}",
                    crate::validation::shorten(s)
                )
            })
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(v: &Value, lenient: bool) -> Result<Self, String> {
        match v {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| T::from_json(item, lenient).map_err(|e| format!("item {i}: {e}")))
                .collect(),
            other => Err(format!("expected an array, found {}", kind(other))),
        }
    }
}

/// A request or response field that is missing or could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// Dotted path of the field in the payload.
    pub path: String,
    /// What was wrong.
    pub reason: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "field `{}`: {}", self.path, self.reason)
    }
}

impl std::error::Error for FieldError {}

pub(crate) fn lookup<'v>(payload: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter()
        .try_fold(payload, |v, key| v.as_object()?.get(*key))
        .filter(|v| !v.is_null())
}

/// Reads an optional field at `path`; absent or `null` gives `None`.
pub fn optional<T: FromJson + ToJson>(
    payload: &Value,
    path: &[&str],
    lenient: bool,
) -> Result<Option<T>, FieldError> {
    optional_as::<Plain, T>(payload, path, lenient)
}

/// Reads a field the spec says is always present.
pub fn required<T: FromJson + ToJson>(
    payload: &Value,
    path: &[&str],
    lenient: bool,
) -> Result<T, FieldError> {
    required_as::<Plain, T>(payload, path, lenient)
}

/// A value that can be read back from a query, form or header parameter (the emulator and the
/// CLI read requests this way).
pub trait FromParam: Sized {
    /// Parses the parameter text.
    fn from_param(s: &str) -> Result<Self, String>;
}

impl FromParam for String {
    fn from_param(s: &str) -> Result<Self, String> {
        Ok(s.to_owned())
    }
}

impl FromParam for bool {
    fn from_param(s: &str) -> Result<Self, String> {
        match s {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(format!(
                "expected `true` or `false`, found {:?}",
                crate::validation::shorten(other)
            )),
        }
    }
}

impl FromParam for i32 {
    fn from_param(s: &str) -> Result<Self, String> {
        s.parse().map_err(|_| {
            format!(
                "expected a 32-bit integer, found {:?}",
                crate::validation::shorten(s)
            )
        })
    }
}

impl FromParam for i64 {
    fn from_param(s: &str) -> Result<Self, String> {
        s.parse().map_err(|_| {
            format!(
                "expected a 64-bit integer, found {:?}",
                crate::validation::shorten(s)
            )
        })
    }
}
