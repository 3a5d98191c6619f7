//! Request fields from the command line: `--param Name=VALUE` (text: a scalar, or one item of
//! an array of scalars, never parsed as JSON) and `--json Name=JSON` (objects, arrays of objects,
//! or a whole array at once), turned into the wire request the typed input is read back from.

use cloudbackup::registry::{ActionEntry, DynError, FieldInfo, FieldLocation, ListStyle};
use cloudbackup::runtime::request::WireRequest;
use serde_json::{Map, Value};

/// How a field can be written on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A string, number, bool or enum: `--param`.
    Scalar,
    /// An array of those: `--param` once per item, or `--json` for all.
    ScalarArray,
    /// An object or an array of objects: `--json` only.
    Json,
}

fn is_object(ty: &str) -> bool {
    ty.starts_with("object")
}

/// The shape of a field, from its type text.
pub(crate) fn shape(f: &FieldInfo) -> Shape {
    match f.ty.strip_prefix("array of ") {
        Some(item) if is_object(item) || item.starts_with("array") => Shape::Json,
        Some(_) => Shape::ScalarArray,
        None if is_object(f.ty) => Shape::Json,
        None => Shape::Scalar,
    }
}

/// The parameter closest to a misspelled name (case differences first, then similar spelling).
fn suggestion<'a>(name: &str, fields: &'a [FieldInfo]) -> Option<&'a str> {
    if let Some(f) = fields.iter().find(|f| f.wire.eq_ignore_ascii_case(name)) {
        return Some(f.wire);
    }
    fields
        .iter()
        .map(|f| (strsim::normalized_damerau_levenshtein(name, f.wire), f.wire))
        .filter(|(score, _)| *score > 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, w)| w)
}

fn field<'a>(entry: &'a ActionEntry, name: &str) -> Result<&'a FieldInfo, DynError> {
    if let Some(f) = entry.fields.iter().find(|f| f.wire == name) {
        return Ok(f);
    }
    let hint = suggestion(name, entry.fields)
        .map(|s| format!("did you mean `{s}`? "))
        .unwrap_or_default();
    let known: Vec<&str> = entry.fields.iter().map(|f| f.wire).collect();
    Err(DynError::bad_input(format!(
        "`{name}` is not a parameter of {}; {hint}parameters: {}",
        entry.action.name,
        if known.is_empty() {
            "none".to_owned()
        } else {
            known.join(", ")
        }
    )))
}

/// Converts one text value to JSON by the field's (or item's) type text.
fn typed(f: &FieldInfo, ty: &str, v: &str) -> Result<Value, DynError> {
    let bad = |what: &str| {
        DynError::bad_input(format!(
            "`{}`: expected {what}, got {:?}",
            f.wire,
            cloudbackup::validation::shorten(v)
        ))
    };
    if ty.starts_with("int") || ty.starts_with("integer enum") {
        v.parse::<i64>()
            .map(Value::from)
            .map_err(|_| bad("an integer"))
    } else if ty.starts_with("float") {
        v.parse::<f64>()
            .ok()
            .and_then(|n| serde_json::Number::from_f64(n).map(Value::Number))
            .ok_or_else(|| bad("a number"))
    } else if ty == "bool" {
        v.parse::<bool>()
            .map(Value::from)
            .map_err(|_| bad("`true` or `false`"))
    } else {
        Ok(Value::String(v.to_owned()))
    }
}

/// A JSON scalar as parameter text (strings unquoted).
fn text(f: &FieldInfo, v: &Value) -> Result<String, DynError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(DynError::bad_input(format!(
            "`{}`: expected a string, number or bool in the JSON, got {}",
            f.wire,
            cloudbackup::validation::shorten(&v.to_string())
        ))),
    }
}

/// What the command line gave for one field.
enum Given {
    /// `--param` values, in order.
    Texts(Vec<String>),
    /// One `--json` value.
    Json(Value),
}

/// The fields given, in the order first named, checked against the action's parameters.
fn collect<'e>(
    entry: &'e ActionEntry,
    params: &[(String, String)],
    json: &[(String, String)],
) -> Result<Vec<(&'e FieldInfo, Given)>, DynError> {
    let mut given: Vec<(&FieldInfo, Given)> = Vec::new();
    for (name, v) in params {
        let f = field(entry, name)?;
        if shape(f) == Shape::Json {
            return Err(DynError::bad_input(format!(
                "`{name}` ({}) is given as JSON: write `--json '{name}=...'`",
                f.ty
            )));
        }
        match given.iter_mut().find(|(g, _)| g.wire == f.wire) {
            Some((_, Given::Texts(items))) if shape(f) == Shape::ScalarArray => {
                items.push(v.clone());
            }
            Some(_) => return Err(DynError::bad_input(format!("`{name}` is given twice"))),
            None => given.push((f, Given::Texts(vec![v.clone()]))),
        }
    }
    for (name, v) in json {
        let f = field(entry, name)?;
        if given.iter().any(|(g, _)| g.wire == f.wire) {
            return Err(DynError::bad_input(format!("`{name}` is given twice")));
        }
        let value: Value = serde_json::from_str(v).map_err(|e| {
            DynError::bad_input(format!("`{name}`: the value of --json is not JSON ({e})"))
        })?;
        let expected = if f.ty.starts_with("array") {
            value.is_array().then_some(()).ok_or("a JSON array")
        } else if is_object(f.ty) {
            value.is_object().then_some(()).ok_or("a JSON object")
        } else {
            (!value.is_array() && !value.is_object())
                .then_some(())
                .ok_or("a JSON string, number or bool")
        };
        if let Err(what) = expected {
            return Err(DynError::bad_input(format!(
                "`{name}`: expected {what} ({}), got {}",
                f.ty,
                cloudbackup::validation::shorten(v)
            )));
        }
        given.push((f, Given::Json(value)));
    }
    Ok(given)
}

/// The JSON value of a field given as text.
fn texts_to_json(f: &FieldInfo, items: &[String]) -> Result<Value, DynError> {
    match f.ty.strip_prefix("array of ") {
        Some(item_ty) => items
            .iter()
            .map(|v| typed(f, item_ty, v))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        None => typed(f, f.ty, &items[0]),
    }
}

/// Builds the request the typed input is read back from (`from_wire`).
pub(crate) fn wire(
    entry: &ActionEntry,
    params: &[(String, String)],
    json: &[(String, String)],
) -> Result<WireRequest, DynError> {
    let mut wire = WireRequest {
        method: entry.action.method,
        path: entry.action.path.to_owned(),
        params: Vec::new(),
        headers: Vec::new(),
        body: None,
    };
    let mut body = Map::new();
    let mut path_values: Vec<(&str, String)> = Vec::new();
    for (f, g) in collect(entry, params, json)? {
        // The items of a list, as parameter texts (indexed and comma-joined lists).
        let texts = |g: Given| -> Result<Vec<String>, DynError> {
            match g {
                Given::Texts(items) => Ok(items),
                Given::Json(Value::Array(items)) => items.iter().map(|v| text(f, v)).collect(),
                Given::Json(other) => Ok(vec![text(f, &other)?]),
            }
        };
        match (f.location, f.list, g) {
            (FieldLocation::Param, Some(ListStyle::Indexed(start)), g) => {
                for (i, v) in texts(g)?.into_iter().enumerate() {
                    wire.params.push((format!("{}.{}", f.wire, start + i), v));
                }
            }
            (FieldLocation::Param | FieldLocation::Header, Some(ListStyle::Comma), g) => {
                let v = texts(g)?.join(",");
                if f.location == FieldLocation::Header {
                    wire.headers.push((f.wire.to_owned(), v));
                } else {
                    wire.params.push((f.wire.to_owned(), v));
                }
            }
            (FieldLocation::Json, Some(ListStyle::Comma), g) => {
                body.insert(f.wire.to_owned(), Value::String(texts(g)?.join(",")));
            }
            (FieldLocation::Path, _, g) => {
                let v = match g {
                    Given::Texts(items) => items[0].clone(),
                    Given::Json(v) => text(f, &v)?,
                };
                path_values.push((f.wire, v));
            }
            (FieldLocation::Param | FieldLocation::Header, _, g) => {
                let v = match g {
                    Given::Texts(items) if shape(f) == Shape::Scalar => items[0].clone(),
                    Given::Texts(items) => texts_to_json(f, &items)?.to_string(),
                    Given::Json(v) if shape(f) == Shape::Scalar => text(f, &v)?,
                    Given::Json(v) => v.to_string(),
                };
                if f.location == FieldLocation::Header {
                    wire.headers.push((f.wire.to_owned(), v));
                } else {
                    wire.params.push((f.wire.to_owned(), v));
                }
            }
            (FieldLocation::Json, _, g) => {
                let v = match g {
                    Given::Texts(items) => texts_to_json(f, &items)?,
                    Given::Json(v) => v,
                };
                body.insert(f.wire.to_owned(), v);
            }
        }
    }
    let path_values: Vec<(&str, &str)> =
        path_values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    wire.path = cloudbackup::codec::fill_path(entry.action.path, &path_values);
    if !body.is_empty() {
        wire.body = Some(Value::Object(body).to_string().into_bytes());
    }
    Ok(wire)
}
