//! Which spec scalar matches which vendor kind, and how the spec side is described in messages.
//!
//! | spec | matches the vendor's |
//! | --- | --- |
//! | `string` | string, binary |
//! | `int32` | integer not known to be 64-bit (an SDK's plain `int`) |
//! | `int64` | any integer (Tencent `int64` and `uint64`, an SDK's `int`) |
//! | `float64` | float |
//! | `bool` | bool |
//! | `timestamp` `rfc3339` / `local-datetime` / `date` | a timestamp of the same format (tccli `datetime_iso` / `datetime` / `date`), or a plain string (the spec refines it) |
//! | `timestamp` `epoch-seconds` / `epoch-millis` | an integer (Alibaba's epoch times); a string only for a `lenient` response field (which accepts a numeric string) |
//! | an array with `style: comma` | a string: the list is one comma-joined string on the wire |
//!
//! An enumeration (inline or a shared type of `types:`) is compared as its base type.

use crate::spec::FieldSpec;
use crate::vendor::Kind;

/// Timestamp formats carried as a JSON string.
const STRING_FORMATS: [&str; 3] = ["rfc3339", "local-datetime", "date"];
/// Timestamp formats carried as a JSON number.
const EPOCH_FORMATS: [&str; 2] = ["epoch-seconds", "epoch-millis"];

/// A spec scalar: its base type, timestamp format, and whether a response field is lenient.
#[derive(Clone, Copy, Debug)]
pub struct Scalar<'s> {
    /// `string`, `int32`, `int64`, `float64`, `bool` or `timestamp`.
    pub ty: &'s str,
    /// The timestamp `format:`.
    pub format: Option<&'s str>,
    /// `lenient: true` on a response field.
    pub lenient_response: bool,
}

impl Scalar<'_> {
    /// Whether the vendor's scalar kind carries this spec scalar.
    pub fn matches(&self, v: &Kind) -> bool {
        let format = self.format.unwrap_or_default();
        match (self.ty, v) {
            ("string", Kind::String | Kind::Binary) => true,
            ("int32", Kind::Integer { bits, .. }) => *bits != Some(64),
            ("int64", Kind::Integer { .. }) => true,
            ("float64", Kind::Float) => true,
            ("bool", Kind::Bool) => true,
            ("timestamp", Kind::Timestamp { format: vendor }) => vendor == format,
            ("timestamp", Kind::String) => {
                STRING_FORMATS.contains(&format)
                    || (EPOCH_FORMATS.contains(&format) && self.lenient_response)
            }
            ("timestamp", Kind::Integer { .. }) => EPOCH_FORMATS.contains(&format),
            _ => false,
        }
    }

    /// `string`, `timestamp (epoch-millis)`.
    pub fn describe(&self) -> String {
        match self.format {
            Some(f) if self.ty == "timestamp" => format!("timestamp ({f})"),
            _ => self.ty.to_owned(),
        }
    }
}

/// The built-in type names of the spec format (anything else names a shared type).
pub fn is_builtin(t: &str) -> bool {
    matches!(
        t,
        "string" | "int32" | "int64" | "float64" | "bool" | "timestamp" | "array" | "object"
    )
}

/// Whether a shared type of `types:` is an object (else an enumeration).
pub fn is_object(def: &FieldSpec) -> bool {
    def.fields.is_some() || def.ty.value == "object"
}

/// An array written as one comma-joined string (`style: comma`).
pub fn is_comma(f: &FieldSpec) -> bool {
    f.ty.value == "array" && f.style.as_ref().is_some_and(|s| s.value == "comma")
}

/// The spec side of a message: `string`, `array of Weekday`, `comma-joined list of Weekday (a
/// string on the wire)`, `enum Region (string)`.
pub fn describe(f: &FieldSpec, types: &[FieldSpec]) -> String {
    let ty = f.ty.value.as_str();
    let item = || f.items.as_ref().map_or("?", |i| i.ty.value.as_str());
    if is_comma(f) {
        return format!("comma-joined list of {} (a string on the wire)", item());
    }
    match ty {
        "array" => format!("array of {}", item()),
        "timestamp" => format!(
            "timestamp ({})",
            f.format.as_ref().map_or("?", |x| x.value.as_str())
        ),
        t if !is_builtin(t) => match types.iter().find(|d| type_name(d) == Some(t)) {
            Some(def) if is_object(def) => format!("object {t}"),
            Some(def) => format!("enum {t} ({})", def.ty.value),
            None => t.to_owned(),
        },
        t => t.to_owned(),
    }
}

/// The name a shared type is used by (`name:` of its entry in `types:`).
pub fn type_name(def: &FieldSpec) -> Option<&str> {
    def.name.as_ref().map(|n| n.value.as_str())
}
