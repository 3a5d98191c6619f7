//! Values between a resource's attributes and an answer: converting an attribute to the type
//! a response field has, projecting a resource onto an object's members, JSON paths.

use serde_json::{Map, Value, json};

use super::responses::LOCAL_OFFSET_HOURS;
use crate::codec::TimeFormat;
use crate::registry::{ListStyle, ResponseFieldInfo, ValueType};

/// Seconds since the epoch of a time in any of the wire formats (RFC 3339, `yyyy-MM-dd
/// HH:mm:ss`, `yyyy-MM-dd`, epoch seconds, epoch milliseconds).
pub(crate) fn any_unix(v: &Value) -> Option<i64> {
    if let Some(n) = v.as_i64() {
        return Some(if n.abs() >= 100_000_000_000 {
            n / 1000
        } else {
            n
        });
    }
    [
        TimeFormat::Rfc3339,
        TimeFormat::LocalDateTime,
        TimeFormat::Date,
    ]
    .into_iter()
    .find_map(|f| f.unix_of(v, LOCAL_OFFSET_HOURS))
}

/// The text of a scalar (strings as they are, numbers and booleans written out).
pub(crate) fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `v` as a value of type `t`, when it can be one.
pub(crate) fn convert(v: &Value, t: &ValueType) -> Option<Value> {
    match t {
        ValueType::String => text(v).map(Value::String),
        ValueType::Int32 | ValueType::Int64 => match v {
            Value::Number(n) => n.as_i64().map(Value::from),
            Value::String(s) => s.trim().parse::<i64>().ok().map(Value::from),
            _ => None,
        },
        ValueType::Float64 => match v {
            Value::Number(_) => Some(v.clone()),
            Value::String(s) => s.trim().parse::<f64>().ok().map(|f| json!(f)),
            _ => None,
        },
        ValueType::Bool => match v {
            Value::Bool(_) => Some(v.clone()),
            Value::String(s) => s.parse::<bool>().ok().map(Value::Bool),
            _ => None,
        },
        ValueType::Timestamp(f) => any_unix(v).map(|u| f.json_of(u, LOCAL_OFFSET_HOURS)),
        ValueType::Enum(values) => {
            let s = text(v)?;
            values.contains(&s.as_str()).then_some(Value::String(s))
        }
        ValueType::IntEnum(values) => {
            let n = convert(v, &ValueType::Int64)?.as_i64()?;
            values.contains(&n).then_some(Value::from(n))
        }
        ValueType::Object(fields) => {
            let obj = v.as_object()?;
            Some(Value::Object(project(obj, fields)))
        }
        ValueType::List(item, ListStyle::Comma) => match v {
            Value::String(_) => Some(v.clone()),
            Value::Array(a) => {
                let parts: Option<Vec<String>> = a
                    .iter()
                    .map(|x| convert(x, item).and_then(|x| text(&x)))
                    .collect();
                parts.map(|p| Value::String(p.join(",")))
            }
            scalar => convert(scalar, item)
                .and_then(|x| text(&x))
                .map(Value::String),
        },
        ValueType::List(item, _) => match v {
            Value::Array(a) => a
                .iter()
                .map(|x| convert(x, item))
                .collect::<Option<Vec<_>>>()
                .map(Value::Array),
            Value::String(s) if !matches!(item, ValueType::String) && s.contains(',') => s
                .split(',')
                .map(|x| convert(&json!(x.trim()), item))
                .collect::<Option<Vec<_>>>()
                .map(Value::Array),
            Value::Null | Value::Object(_) => None,
            scalar => convert(scalar, item).map(|x| Value::Array(vec![x])),
        },
    }
}

/// The members of `fields` that `attrs` can answer, converted to their types, at their paths;
/// objects are projected from the same attributes, member by member.
pub(crate) fn project(
    attrs: &Map<String, Value>,
    fields: &[ResponseFieldInfo],
) -> Map<String, Value> {
    let mut out = Map::new();
    for f in fields {
        let value = match (attrs.get(f.name), &f.value) {
            (Some(v), t) => convert(v, t),
            (None, ValueType::Object(members)) => {
                let inner = project(attrs, members);
                (!inner.is_empty()).then_some(Value::Object(inner))
            }
            (None, _) => None,
        };
        if let Some(v) = value {
            set_path(&mut out, f.path, v);
        }
    }
    out
}

/// Sets `v` at the dotted `path` below `obj`, making objects on the way.
pub(crate) fn set_path(obj: &mut Map<String, Value>, path: &str, v: Value) {
    let mut target = obj;
    let mut parts = path.split('.').peekable();
    while let Some(p) = parts.next() {
        if parts.peek().is_none() {
            target.insert(p.to_owned(), v);
            return;
        }
        let slot = target.entry(p.to_owned()).or_insert_with(|| json!({}));
        if !slot.is_object() {
            *slot = json!({});
        }
        let Value::Object(next) = slot else { return };
        target = next;
    }
}

/// The response fields at `path` (an object's members, or a list of objects' members), found
/// by walking the schema.
pub(crate) fn fields_at<'f>(
    fields: &'f [ResponseFieldInfo],
    path: &str,
) -> Option<&'f [ResponseFieldInfo]> {
    if path.is_empty() {
        return Some(fields);
    }
    // Response paths may span several segments (`data.flowId`): match the longest field path
    // that prefixes what is left.
    let f = fields.iter().find(|f| {
        path == f.path
            || path
                .strip_prefix(f.path)
                .is_some_and(|r| r.starts_with('.'))
    })?;
    let rest = path[f.path.len()..].trim_start_matches('.');
    let members = match &f.value {
        ValueType::Object(m) => *m,
        ValueType::List(ValueType::Object(m), _) => *m,
        _ => return None,
    };
    fields_at(members, rest)
}
