//! Turning typed values into wire parameters and JSON, and typed response fields out of JSON.
//! Generated code implements these traits for its enums and objects.

use std::fmt;

use serde_json::{Map, Value};

use crate::runtime::request::{HttpMethod, WireRequest};

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

fn kind(v: &Value) -> &'static str {
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

fn lookup<'v>(payload: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter()
        .try_fold(payload, |v, key| v.as_object()?.get(*key))
        .filter(|v| !v.is_null())
}

/// Reads an optional field at `path`; absent or `null` gives `None`.
pub fn optional<T: FromJson>(
    payload: &Value,
    path: &[&str],
    lenient: bool,
) -> Result<Option<T>, FieldError> {
    lookup(payload, path)
        .map(|v| T::from_json(v, lenient))
        .transpose()
        .map_err(|reason| FieldError {
            path: path.join("."),
            reason,
        })
}

/// Reads a field the spec says is always present.
pub fn required<T: FromJson>(
    payload: &Value,
    path: &[&str],
    lenient: bool,
) -> Result<T, FieldError> {
    optional(payload, path, lenient)?.ok_or_else(|| FieldError {
        path: path.join("."),
        reason: "missing".to_owned(),
    })
}

/// Builds a [`WireRequest`] field by field; used by generated `to_wire()` methods.
#[derive(Debug)]
pub struct WireBuilder {
    method: HttpMethod,
    path: &'static str,
    params: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    json: Option<Map<String, Value>>,
}

impl WireBuilder {
    /// A request with no fields yet; `json_body` when the action sends a JSON body (even empty).
    pub fn new(method: HttpMethod, path: &'static str, json_body: bool) -> Self {
        WireBuilder {
            method,
            path,
            params: Vec::new(),
            headers: Vec::new(),
            json: json_body.then(Map::new),
        }
    }

    /// A query or form parameter.
    pub fn param(&mut self, name: &str, v: &impl ToParam) {
        self.params.push((name.to_owned(), v.to_param()));
    }

    /// An array flattened as `name.<start>`, `name.<start+1>`, ...
    pub fn param_list<T: ToParam>(&mut self, name: &str, items: &[T], start: usize) {
        for (i, item) in items.iter().enumerate() {
            self.params
                .push((format!("{name}.{}", i + start), item.to_param()));
        }
    }

    /// A parameter carrying JSON text (arrays and objects with `flatten: json`).
    pub fn param_json(&mut self, name: &str, v: &impl ToJson) {
        self.params.push((name.to_owned(), v.to_json().to_string()));
    }

    /// A header.
    pub fn header(&mut self, name: &str, v: &impl ToParam) {
        self.headers.push((name.to_owned(), v.to_param()));
    }

    /// A JSON body member.
    pub fn json(&mut self, name: &str, v: &impl ToJson) {
        self.json
            .get_or_insert_with(Map::new)
            .insert(name.to_owned(), v.to_json());
    }

    /// The request. JSON members are serialised compactly, keys in byte order.
    pub fn finish(self) -> WireRequest {
        WireRequest {
            method: self.method,
            path: self.path.to_owned(),
            params: self.params,
            headers: self.headers,
            body: self.json.map(|m| Value::Object(m).to_string().into_bytes()),
        }
    }
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

/// Reads typed fields back out of a [`WireRequest`]; used by generated `from_wire()` methods.
#[derive(Debug)]
pub struct WireReader<'a> {
    wire: &'a WireRequest,
    json: Option<Value>,
}

fn field_err(path: &str, reason: impl Into<String>) -> FieldError {
    FieldError {
        path: path.to_owned(),
        reason: reason.into(),
    }
}

impl<'a> WireReader<'a> {
    /// A reader; fails when the body is present but is not a JSON object.
    pub fn new(wire: &'a WireRequest) -> Result<Self, FieldError> {
        let json = match &wire.body {
            Some(b) if !b.is_empty() => {
                let v: Value = serde_json::from_slice(b)
                    .map_err(|e| field_err("<body>", format!("not JSON: {e}")))?;
                if !v.is_object() {
                    return Err(field_err("<body>", "not a JSON object"));
                }
                Some(v)
            }
            _ => None,
        };
        Ok(WireReader { wire, json })
    }

    /// A query or form parameter.
    pub fn param<T: FromParam>(&self, name: &str) -> Result<Option<T>, FieldError> {
        self.wire
            .params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| T::from_param(v).map_err(|e| field_err(name, e)))
            .transpose()
    }

    /// An array flattened as `name.<start>`, `name.<start+1>`, ...; `None` when there is no item.
    pub fn param_list<T: FromParam>(
        &self,
        name: &str,
        start: usize,
    ) -> Result<Option<Vec<T>>, FieldError> {
        let mut items = Vec::new();
        loop {
            let key = format!("{name}.{}", items.len() + start);
            match self.wire.params.iter().find(|(k, _)| *k == key) {
                Some((_, v)) => items.push(T::from_param(v).map_err(|e| field_err(&key, e))?),
                None => break,
            }
        }
        Ok((!items.is_empty()).then_some(items))
    }

    /// A parameter carrying JSON text.
    pub fn param_json<T: FromJson>(&self, name: &str) -> Result<Option<T>, FieldError> {
        let Some((_, text)) = self.wire.params.iter().find(|(k, _)| k == name) else {
            return Ok(None);
        };
        let v: Value =
            serde_json::from_str(text).map_err(|e| field_err(name, format!("not JSON: {e}")))?;
        T::from_json(&v, false)
            .map(Some)
            .map_err(|e| field_err(name, e))
    }

    /// A header (case-insensitive name).
    pub fn header<T: FromParam>(&self, name: &str) -> Result<Option<T>, FieldError> {
        self.wire
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| T::from_param(v).map_err(|e| field_err(name, e)))
            .transpose()
    }

    /// A JSON body member.
    pub fn json<T: FromJson>(&self, name: &str) -> Result<Option<T>, FieldError> {
        match &self.json {
            Some(v) => optional(v, &[name], false),
            None => Ok(None),
        }
    }

    /// Turns a missing required field into an error.
    pub fn need<T>(value: Option<T>, name: &str) -> Result<T, FieldError> {
        value.ok_or_else(|| field_err(name, "missing"))
    }
}
