//! Wire formats of values whose text depends on the spec rather than the Rust type: timestamps
//! (`format:`), comma-joined lists (`style: comma`) and JSON lists of such values. Generated
//! code names the format of each field as a marker type (`Rfc3339`, `Comma<Plain>`, ...); a
//! field without one uses [`Plain`], the type's own [`ToParam`]/[`ToJson`] conversions.

use std::marker::PhantomData;

use jiff::Timestamp;
use jiff::civil::{Date as CivilDate, DateTime};
use serde_json::Value;

use super::{FieldError, FromJson, FromParam, ToJson, ToParam, kind, lookup};
use crate::validation::shorten;

/// How a value of type `T` is written as, and read from, parameter text.
pub trait ParamFormat<T> {
    /// The parameter text, before percent-encoding.
    fn to_param(v: &T) -> String;
    /// Parses the parameter text.
    fn from_param(s: &str) -> Result<T, String>;
}

/// How a value of type `T` is written as, and read from, JSON.
pub trait JsonFormat<T> {
    /// The JSON value.
    fn to_json(v: &T) -> Value;
    /// Reads the value; `lenient` accepts a number for a string and a numeric string for a
    /// number.
    fn from_json(v: &Value, lenient: bool) -> Result<T, String>;
}

/// The type's own conversions.
#[derive(Debug)]
pub struct Plain;

impl<T: ToParam + FromParam> ParamFormat<T> for Plain {
    fn to_param(v: &T) -> String {
        v.to_param()
    }
    fn from_param(s: &str) -> Result<T, String> {
        T::from_param(s)
    }
}

impl<T: ToJson + FromJson> JsonFormat<T> for Plain {
    fn to_json(v: &T) -> Value {
        v.to_json()
    }
    fn from_json(v: &Value, lenient: bool) -> Result<T, String> {
        T::from_json(v, lenient)
    }
}

/// Timestamps as text, through both traits.
macro_rules! text_format {
    ($(#[$doc:meta])* $name:ident, $ty:ty, $write:expr, $read:expr) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name;

        impl ParamFormat<$ty> for $name {
            fn to_param(v: &$ty) -> String {
                $write(v)
            }
            fn from_param(s: &str) -> Result<$ty, String> {
                $read(s)
            }
        }

        impl JsonFormat<$ty> for $name {
            fn to_json(v: &$ty) -> Value {
                Value::String($write(v))
            }
            fn from_json(v: &Value, _lenient: bool) -> Result<$ty, String> {
                match v {
                    Value::String(s) => $read(s),
                    other => Err(format!("expected a date-time string, found {}", kind(other))),
                }
            }
        }
    };
}

fn bad_time(s: &str, what: &str) -> String {
    format!("expected {what}, found {:?}", shorten(s))
}

/// `yyyy-MM-ddTHH:mm:ss` followed by `Z` or an offset, with optional fractional seconds.
fn read_rfc3339(s: &str) -> Result<Timestamp, String> {
    let shaped = s.len() >= 20 && s.as_bytes().get(10) == Some(&b'T');
    let t = shaped.then(|| s.parse::<Timestamp>().ok()).flatten();
    t.ok_or_else(|| bad_time(s, "an RFC 3339 date-time such as 2026-12-04T03:39:43Z"))
}

/// Seconds precision, UTC, `Z` (fractions of a second are sent only when there are some).
fn write_rfc3339(t: &Timestamp) -> String {
    t.to_string()
}

/// Exactly `yyyy-MM-dd HH:mm:ss`, a real calendar date and time.
fn read_local(s: &str) -> Result<DateTime, String> {
    let b = s.as_bytes();
    let shaped = b.len() == 19
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b' ',
            13 | 16 => *c == b':',
            _ => c.is_ascii_digit(),
        });
    let parsed = shaped
        .then(|| DateTime::strptime("%Y-%m-%d %H:%M:%S", s).ok())
        .flatten();
    parsed.ok_or_else(|| {
        bad_time(
            s,
            "a date-time `yyyy-MM-dd HH:mm:ss` such as 2026-12-04 11:39:43",
        )
    })
}

fn write_local(t: &DateTime) -> String {
    t.strftime("%Y-%m-%d %H:%M:%S").to_string()
}

/// Exactly `yyyy-MM-dd`, a real calendar date.
fn read_date(s: &str) -> Result<CivilDate, String> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    let parsed = shaped.then(|| s.parse::<CivilDate>().ok()).flatten();
    parsed.ok_or_else(|| bad_time(s, "a date `yyyy-MM-dd` such as 2026-12-04"))
}

fn write_date(d: &CivilDate) -> String {
    d.to_string()
}

text_format!(
    /// `2026-12-04T03:39:43Z` (`format: rfc3339`): sent in UTC; any offset is accepted on
    /// decode.
    Rfc3339,
    Timestamp,
    write_rfc3339,
    read_rfc3339
);
text_format!(
    /// `2026-12-04 11:39:43` (`format: local-datetime`): no zone on the wire.
    LocalDateTime,
    DateTime,
    write_local,
    read_local
);
text_format!(
    /// `2026-12-04` (`format: date`).
    Date,
    CivilDate,
    write_date,
    read_date
);

/// Whole units since the Unix epoch: a JSON number, or parameter text.
macro_rules! epoch_format {
    ($(#[$doc:meta])* $name:ident, $unit:literal, $to:ident, $from:ident) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name;

        impl $name {
            fn read(n: i64, text: &dyn std::fmt::Display) -> Result<Timestamp, String> {
                Timestamp::$from(n).map_err(|_| {
                    format!(concat!("{} ", $unit, " since the epoch is out of range"), text)
                })
            }
        }

        impl ParamFormat<Timestamp> for $name {
            fn to_param(v: &Timestamp) -> String {
                v.$to().to_string()
            }
            fn from_param(s: &str) -> Result<Timestamp, String> {
                let n = s.parse::<i64>().map_err(|_| {
                    format!(concat!("expected ", $unit, " since the epoch, found {:?}"), shorten(s))
                })?;
                Self::read(n, &n)
            }
        }

        impl JsonFormat<Timestamp> for $name {
            fn to_json(v: &Timestamp) -> Value {
                Value::from(v.$to())
            }
            fn from_json(v: &Value, lenient: bool) -> Result<Timestamp, String> {
                let n: i64 = i64::from_json(v, lenient)
                    .map_err(|e| format!(concat!("{} (", $unit, " since the epoch)"), e))?;
                Self::read(n, &n)
            }
        }
    };
}

epoch_format!(
    /// Seconds since the Unix epoch (`format: epoch-seconds`).
    EpochSeconds,
    "seconds",
    as_second,
    from_second
);
epoch_format!(
    /// Milliseconds since the Unix epoch (`format: epoch-millis`).
    EpochMillis,
    "milliseconds",
    as_millisecond,
    from_millisecond
);

/// A list written as one text `a,b,c` (`style: comma`), each item in format `F`; in JSON, a
/// string. Items are trimmed on decode; an empty text is an empty list.
#[derive(Debug)]
pub struct Comma<F>(PhantomData<F>);

impl<F: ParamFormat<T>, T> ParamFormat<Vec<T>> for Comma<F> {
    fn to_param(v: &Vec<T>) -> String {
        v.iter().map(F::to_param).collect::<Vec<_>>().join(",")
    }
    fn from_param(s: &str) -> Result<Vec<T>, String> {
        if s.trim().is_empty() {
            return Ok(Vec::new());
        }
        s.split(',')
            .enumerate()
            .map(|(i, item)| F::from_param(item.trim()).map_err(|e| format!("item {i}: {e}")))
            .collect()
    }
}

impl<F: ParamFormat<T>, T> JsonFormat<Vec<T>> for Comma<F> {
    fn to_json(v: &Vec<T>) -> Value {
        Value::String(Self::to_param(v))
    }
    fn from_json(v: &Value, _lenient: bool) -> Result<Vec<T>, String> {
        match v {
            Value::String(s) => Self::from_param(s),
            other => Err(format!(
                "expected a comma-separated string, found {}",
                kind(other)
            )),
        }
    }
}

/// A JSON array whose items are in format `F`; as a parameter, the array's JSON text.
#[derive(Debug)]
pub struct JsonList<F>(PhantomData<F>);

impl<F: JsonFormat<T>, T> JsonFormat<Vec<T>> for JsonList<F> {
    fn to_json(v: &Vec<T>) -> Value {
        Value::Array(v.iter().map(F::to_json).collect())
    }
    fn from_json(v: &Value, lenient: bool) -> Result<Vec<T>, String> {
        match v {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| F::from_json(item, lenient).map_err(|e| format!("item {i}: {e}")))
                .collect(),
            other => Err(format!("expected an array, found {}", kind(other))),
        }
    }
}

impl<F: JsonFormat<T>, T> ParamFormat<Vec<T>> for JsonList<F> {
    fn to_param(v: &Vec<T>) -> String {
        Self::to_json(v).to_string()
    }
    fn from_param(s: &str) -> Result<Vec<T>, String> {
        let v: Value = serde_json::from_str(s).map_err(|e| format!("not JSON: {e}"))?;
        Self::from_json(&v, false)
    }
}

/// Reads an optional field at `path` in wire format `F`; absent or `null` gives `None`.
pub fn optional_as<F: JsonFormat<T>, T>(
    payload: &Value,
    path: &[&str],
    lenient: bool,
) -> Result<Option<T>, FieldError> {
    lookup(payload, path)
        .map(|v| F::from_json(v, lenient))
        .transpose()
        .map_err(|reason| FieldError {
            path: path.join("."),
            reason,
        })
}

/// Reads a field the spec says is always present, in wire format `F`.
pub fn required_as<F: JsonFormat<T>, T>(
    payload: &Value,
    path: &[&str],
    lenient: bool,
) -> Result<T, FieldError> {
    optional_as::<F, T>(payload, path, lenient)?.ok_or_else(|| FieldError {
        path: path.join("."),
        reason: "missing".to_owned(),
    })
}

/// `F`'s JSON of `v` (members of generated objects and outputs).
pub fn to_json_as<F: JsonFormat<T>, T>(v: &T) -> Value {
    F::to_json(v)
}

/// The wire formats of timestamps (`format:` in the spec), for tools that build values of
/// any action (the emulator).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeFormat {
    /// [`Rfc3339`].
    Rfc3339,
    /// [`LocalDateTime`].
    LocalDateTime,
    /// [`Date`].
    Date,
    /// [`EpochSeconds`].
    EpochSeconds,
    /// [`EpochMillis`].
    EpochMillis,
}

impl TimeFormat {
    /// The JSON value of the instant `unix` (seconds since the epoch) in this format; local
    /// date-times and dates are written in `offset_hours` from UTC.
    pub fn json_of(self, unix: i64, offset_hours: i8) -> Value {
        let Ok(t) = Timestamp::from_second(unix) else {
            return Value::Null;
        };
        let civil = || jiff::tz::Offset::constant(offset_hours).to_datetime(t);
        match self {
            TimeFormat::Rfc3339 => Rfc3339::to_json(&t),
            TimeFormat::LocalDateTime => LocalDateTime::to_json(&civil()),
            TimeFormat::Date => Date::to_json(&civil().date()),
            TimeFormat::EpochSeconds => EpochSeconds::to_json(&t),
            TimeFormat::EpochMillis => EpochMillis::to_json(&t),
        }
    }

    /// The instant (seconds since the epoch) of a value in this format, reading local
    /// date-times in `offset_hours` from UTC; `None` when it does not parse.
    pub fn unix_of(self, v: &Value, offset_hours: i8) -> Option<i64> {
        let off = jiff::tz::Offset::constant(offset_hours);
        match self {
            TimeFormat::Rfc3339 => Rfc3339::from_json(v, true).ok().map(|t| t.as_second()),
            TimeFormat::LocalDateTime => LocalDateTime::from_json(v, true)
                .ok()
                .and_then(|d| off.to_timestamp(d).ok())
                .map(|t| t.as_second()),
            TimeFormat::Date => Date::from_json(v, true)
                .ok()
                .and_then(|d| {
                    off.to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
                        .ok()
                })
                .map(|t| t.as_second()),
            TimeFormat::EpochSeconds => {
                EpochSeconds::from_json(v, true).ok().map(|t| t.as_second())
            }
            TimeFormat::EpochMillis => EpochMillis::from_json(v, true).ok().map(|t| t.as_second()),
        }
    }
}
