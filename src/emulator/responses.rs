//! Answers in each family's envelope: errors, and successes shaped like the spec's example
//! response (when it is valid JSON) or synthesised from the spec's response fields, with fresh
//! ids.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::wire::{Outgoing, Reject};
use crate::meta::Family;
use crate::registry::{ActionEntry, ListStyle, ResponseFieldInfo, ValueType};
use crate::runtime::clock::NonceSource;
use crate::runtime::request::WireRequest;

/// A fresh request id in the family's style.
pub(crate) fn request_id(family: Family, ids: &dyn NonceSource) -> String {
    match family {
        Family::AlibabaRpc => ids.uuid_v4().to_ascii_uppercase(),
        Family::HuaweiRest => ids.next_hex(16),
        _ => ids.uuid_v4(),
    }
}

/// `codeDesc` of API 2.0 common codes.
fn api2_desc(code: &str) -> &'static str {
    match code {
        "4000" => "InvalidParameter",
        "4100" => "AuthFailure",
        "4104" => "SecretIdNotFound",
        "4400" => "RequestLimitExceeded",
        "4500" => "ReplayAttack",
        "6000" => "InternalError",
        _ => "Failure",
    }
}

/// An error in the family's shape.
pub(crate) fn error(family: Family, r: &Reject, host: &str, request_id: &str) -> Outgoing {
    match family {
        Family::TencentApi2 => {
            let code = r
                .code
                .parse::<i64>()
                .map_or_else(|_| json!(r.code), |n| json!(n));
            Outgoing::json(
                r.status,
                &json!({"code": code, "message": r.message, "codeDesc": api2_desc(&r.code)}),
            )
        }
        Family::TencentTc3 => Outgoing::json(
            r.status,
            &json!({"Response": {
                "Error": {"Code": r.code, "Message": r.message},
                "RequestId": request_id,
            }}),
        ),
        Family::AlibabaRpc => Outgoing::json(
            r.status,
            &json!({
                "RequestId": request_id,
                "HostId": host,
                "Code": r.code,
                "Message": r.message,
                "Recommend": format!("https://api.aliyun.com/troubleshoot?q={}&product=emulator&requestId={request_id}", r.code),
            }),
        )
        .with_header("x-acs-request-id", request_id),
        _ => Outgoing::json(
            r.status,
            &json!({"error_code": r.code, "error_msg": r.message, "request_id": request_id}),
        )
        .with_header("X-Request-Id", request_id),
    }
}

/// A success body, sent as is (HTTP 200).
pub(crate) fn success(family: Family, body: &Value, request_id: &str) -> Outgoing {
    let out = Outgoing::json(200, body);
    match family {
        Family::AlibabaRpc => out.with_header("x-acs-request-id", request_id),
        Family::HuaweiRest => out.with_header("X-Request-Id", request_id),
        _ => out,
    }
}

fn default_envelope(family: Family) -> Value {
    match family {
        Family::TencentApi2 => json!({"code": 0, "message": "", "codeDesc": "Success"}),
        Family::TencentTc3 => json!({"Response": {}}),
        _ => json!({}),
    }
}

/// The object that holds the response fields: `Response` for TC3, the body otherwise.
fn payload_mut(family: Family, body: &mut Value) -> Option<&mut Map<String, Value>> {
    let root = if family == Family::TencentTc3 {
        body.as_object_mut()?
            .entry("Response")
            .or_insert_with(|| json!({}))
    } else {
        body
    };
    root.as_object_mut()
}

fn is_id(leaf: &str) -> bool {
    let l = leaf.to_ascii_lowercase();
    l.ends_with("id") || l.ends_with("_id")
}

/// Request values by field name, for echoing (`instance_ids` → list; `DiskId` → one value).
fn request_values(wire: &WireRequest) -> HashMap<String, Vec<String>> {
    let mut m: HashMap<String, Vec<String>> = HashMap::new();
    for (k, v) in &wire.params {
        let name = match k.rsplit_once('.') {
            Some((base, idx)) if idx.bytes().all(|b| b.is_ascii_digit()) => base,
            _ => k.as_str(),
        };
        m.entry(name.to_owned()).or_default().push(v.clone());
    }
    let json = wire
        .body
        .as_deref()
        .and_then(|b| serde_json::from_slice::<Value>(b).ok());
    if let Some(Value::Object(o)) = json {
        for (k, v) in o {
            let items = match v {
                Value::Array(a) => a.iter().filter_map(scalar_text).collect(),
                other => scalar_text(&other).into_iter().collect(),
            };
            m.insert(k, items);
        }
    }
    m
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The object at `parents` below `obj`, made (or replaced by) an object where needed.
fn descend<'m>(obj: &'m mut Map<String, Value>, parents: &[&str]) -> &'m mut Map<String, Value> {
    let mut target = obj;
    for p in parents {
        let slot = target.entry((*p).to_owned()).or_insert_with(|| json!({}));
        if !slot.is_object() {
            *slot = json!({});
        }
        target = match slot {
            Value::Object(m) => m,
            _ => unreachable!("made an object above"),
        };
    }
    target
}

/// Builds success payloads from the response schema: request values echoed by name, fresh ids,
/// and otherwise a value of the field's type (timestamps in their format, integer enums as
/// integers), keeping what the spec's example already holds when it fits the type.
pub(crate) struct Synth<'a> {
    pub(crate) service: &'a str,
    pub(crate) family: Family,
    pub(crate) ids: &'a dyn NonceSource,
    pub(crate) counter: &'a mut dyn FnMut() -> u64,
    /// The emulator's time, for timestamps.
    pub(crate) now: i64,
    echo: HashMap<String, Vec<String>>,
    /// The first fresh id that is not a request id: the created resource.
    pub(crate) primary: Option<String>,
    /// Only complete what is missing: values already there that fit their type (the
    /// resources' answer) are kept, lists included.
    complete_only: bool,
}

/// Local date-times the emulator writes are Beijing/Shanghai time, as the Chinese vendors' are.
pub(crate) const LOCAL_OFFSET_HOURS: i8 = 8;

/// Whether `v` is a value of type `t` (for keeping an example's value).
pub(crate) fn conforms(v: &Value, t: &ValueType) -> bool {
    match t {
        ValueType::String => v.is_string(),
        ValueType::Int32 | ValueType::Int64 => v.is_i64(),
        ValueType::Float64 => v.is_number(),
        ValueType::Bool => v.is_boolean(),
        ValueType::Timestamp(f) => f.unix_of(v, LOCAL_OFFSET_HOURS).is_some(),
        ValueType::Enum(vs) => v.as_str().is_some_and(|s| vs.contains(&s)),
        ValueType::IntEnum(vs) => v.as_i64().is_some_and(|n| vs.contains(&n)),
        ValueType::Object(_) => v.is_object(),
        ValueType::List(_, ListStyle::Comma) => v.is_string(),
        ValueType::List(item, _) => v
            .as_array()
            .is_some_and(|a| a.iter().all(|x| conforms(x, item))),
    }
}

impl<'a> Synth<'a> {
    pub(crate) fn new(
        entry: &'a ActionEntry,
        wire: &WireRequest,
        ids: &'a dyn NonceSource,
        counter: &'a mut dyn FnMut() -> u64,
        now: i64,
    ) -> Self {
        Self {
            service: entry.service.service,
            family: entry.service.family,
            ids,
            counter,
            now,
            echo: request_values(wire),
            primary: None,
            complete_only: false,
        }
    }

    fn echo_of(&self, leaf: &str) -> Option<&Vec<String>> {
        self.echo
            .get(leaf)
            .or_else(|| self.echo.get(&format!("{leaf}s")))
            .filter(|v| !v.is_empty())
    }

    fn fresh_id(&mut self, leaf: &str, t: &ValueType, existing: Option<&Value>) -> Value {
        let l = leaf.to_ascii_lowercase();
        if matches!(t, ValueType::String)
            && matches!(leaf, "RequestId" | "request_id" | "requestId")
        {
            return json!(request_id(self.family, self.ids));
        }
        let v = if matches!(t, ValueType::Int32 | ValueType::Int64) {
            json!((self.counter)())
        } else if l.contains("task") || l.contains("job") || l.contains("flow") {
            json!((self.counter)().to_string())
        } else if let Some((prefix, rest)) = existing
            .and_then(Value::as_str)
            .and_then(|s| s.rsplit_once('-'))
        {
            let hex = self.ids.next_hex(rest.len().div_ceil(2).max(4));
            json!(format!(
                "{prefix}-{}",
                &hex[..rest.len().max(8).min(hex.len())]
            ))
        } else if leaf.contains("BackupPlan") {
            json!(format!("dbs{}", &self.ids.next_hex(6)))
        } else {
            json!(format!("{}-{}", self.service, self.ids.next_hex(4)))
        };
        if self.primary.is_none() {
            self.primary = scalar_text(&v);
        }
        v
    }

    /// An echoed request value converted to type `t`, when it converts.
    fn echoed(&self, leaf: &str, t: &ValueType) -> Option<Value> {
        let e = self.echo_of(leaf)?.first()?;
        let v = match t {
            ValueType::String => json!(e),
            ValueType::Int32 | ValueType::Int64 | ValueType::IntEnum(_) => {
                json!(e.parse::<i64>().ok()?)
            }
            ValueType::Enum(_) => json!(e),
            ValueType::Bool => json!(e.parse::<bool>().ok()?),
            _ => return None,
        };
        conforms(&v, t).then_some(v)
    }

    fn scalar(&mut self, leaf: &str, t: &ValueType, existing: Option<&Value>) -> Value {
        if let Some(v) = self.echoed(leaf, t) {
            return v;
        }
        let id_type = matches!(t, ValueType::String | ValueType::Int32 | ValueType::Int64);
        if id_type && is_id(leaf) {
            return self.fresh_id(leaf, t, existing);
        }
        if let Some(v) = existing.filter(|v| conforms(v, t)) {
            return v.clone();
        }
        match t {
            ValueType::Int32 | ValueType::Int64 => json!(0),
            ValueType::Float64 => json!(0.0),
            ValueType::Bool => json!(false),
            ValueType::Timestamp(f) => f.json_of(self.now, LOCAL_OFFSET_HOURS),
            ValueType::Enum(vs) => vs.first().map_or(json!(""), |v| json!(v)),
            ValueType::IntEnum(vs) => vs.first().map_or(json!(0), |v| json!(v)),
            _ => json!(""),
        }
    }

    /// A value of type `t` for the field named `leaf`.
    fn value(&mut self, leaf: &str, t: &ValueType, existing: Option<&Value>) -> Value {
        if self.complete_only {
            match (existing, t) {
                (Some(Value::Object(o)), ValueType::Object(fields)) => {
                    let mut o = o.clone();
                    self.fill(&mut o, fields);
                    return Value::Object(o);
                }
                (Some(Value::Array(items)), ValueType::List(ValueType::Object(fields), _)) => {
                    return Value::Array(
                        items
                            .iter()
                            .map(|item| {
                                let mut o = item.as_object().cloned().unwrap_or_default();
                                self.fill(&mut o, fields);
                                Value::Object(o)
                            })
                            .collect(),
                    );
                }
                (Some(v), t) if conforms(v, t) => return v.clone(),
                _ => {}
            }
        }
        match t {
            ValueType::List(item, ListStyle::Comma) => {
                if let Some(vs) = self.echo_of(leaf) {
                    return json!(vs.join(","));
                }
                existing
                    .filter(|v| conforms(v, t))
                    .cloned()
                    .unwrap_or_else(|| match item {
                        ValueType::Enum(vs) => vs.first().map_or(json!(""), |v| json!(v)),
                        _ => json!(""),
                    })
            }
            ValueType::List(ValueType::Object(fields), _)
                if existing
                    .and_then(Value::as_array)
                    .is_some_and(|a| !a.is_empty()) =>
            {
                let items = existing
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                Value::Array(
                    items
                        .into_iter()
                        .map(|item| {
                            let mut obj = item.as_object().cloned().unwrap_or_default();
                            self.fill(&mut obj, fields);
                            Value::Object(obj)
                        })
                        .collect(),
                )
            }
            ValueType::List(ValueType::Object(fields), _) => {
                let echoed = fields
                    .iter()
                    .find_map(|m| self.echo_of(m.name).map(|v| (m.name, v.clone())));
                let n = echoed.as_ref().map_or(1, |(_, v)| v.len());
                let template = existing
                    .and_then(Value::as_array)
                    .and_then(|a| a.first())
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                let items = (0..n)
                    .map(|i| {
                        let mut obj = template.clone();
                        self.fill(&mut obj, fields);
                        if let Some((name, vals)) = &echoed {
                            obj.insert((*name).to_owned(), json!(vals[i]));
                        }
                        Value::Object(obj)
                    })
                    .collect();
                Value::Array(items)
            }
            ValueType::List(item, _) => {
                if let Some(vs) = self.echo_of(leaf).cloned() {
                    let items: Vec<Value> = vs
                        .iter()
                        .map(|e| match item {
                            ValueType::Int32 | ValueType::Int64 | ValueType::IntEnum(_) => {
                                e.parse::<i64>().map_or(json!(e), |n| json!(n))
                            }
                            _ => json!(e),
                        })
                        .collect();
                    if items.iter().all(|x| conforms(x, item)) {
                        return Value::Array(items);
                    }
                }
                existing
                    .filter(|v| conforms(v, t))
                    .cloned()
                    .unwrap_or_else(|| json!([]))
            }
            ValueType::Object(fields) => {
                let mut obj = existing
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                self.fill(&mut obj, fields);
                Value::Object(obj)
            }
            scalar => self.scalar(leaf, scalar, existing),
        }
    }

    /// Sets every field in `fields` in `obj` (paths relative to it).
    pub(crate) fn fill(&mut self, obj: &mut Map<String, Value>, fields: &[ResponseFieldInfo]) {
        for f in fields {
            let segments: Vec<&str> = f.path.split('.').collect();
            let Some((leaf, parents)) = segments.split_last() else {
                continue;
            };
            let target = descend(obj, parents);
            let existing = target.get(*leaf).cloned();
            let v = self.value(f.name, &f.value, existing.as_ref());
            target.insert((*leaf).to_owned(), v);
        }
    }
}

/// The success body of `entry` for `wire` and the id of the resource it created, if any.
pub(crate) fn success_body(
    entry: &ActionEntry,
    wire: &WireRequest,
    ids: &dyn NonceSource,
    counter: &mut dyn FnMut() -> u64,
    now: i64,
    answer: Map<String, Value>,
) -> (Value, Option<String>) {
    let family = entry.service.family;
    let mut body = entry
        .example_response
        .and_then(|t| serde_json::from_str::<Value>(t).ok())
        .filter(Value::is_object)
        .unwrap_or_else(|| default_envelope(family));
    let mut synth = Synth::new(entry, wire, ids, counter, now);
    if let Some(payload) = payload_mut(family, &mut body) {
        synth.fill(payload, entry.response);
        if !answer.is_empty() {
            // The resources' answer wins over the example and the synthesis; then what it
            // leaves out (members the resources have no attribute for) is completed.
            overlay(payload, answer);
            synth.complete_only = true;
            synth.fill(payload, entry.response);
        }
        if matches!(family, Family::TencentTc3 | Family::AlibabaRpc) {
            payload.insert("RequestId".into(), json!(request_id(family, ids)));
        }
    }
    let primary = synth.primary;
    (body, primary)
}

/// Lays the resources' answer over the example body: objects merge member by member, anything
/// else replaces what the example holds.
fn overlay(target: &mut Map<String, Value>, answer: Map<String, Value>) {
    for (k, v) in answer {
        match (target.get_mut(&k), v) {
            (Some(Value::Object(t)), Value::Object(v)) => overlay(t, v),
            (_, v) => {
                target.insert(k, v);
            }
        }
    }
}

/// A remembered body with a fresh request id (idempotent replays).
pub(crate) fn refresh_request_id(family: Family, body: &Value, request_id: &str) -> Value {
    let mut body = body.clone();
    if let Some(p) = payload_mut(family, &mut body) {
        for k in ["RequestId", "request_id"] {
            if p.contains_key(k) {
                p.insert(k.into(), json!(request_id));
            }
        }
    }
    body
}

/// The request id a body carries, if any.
pub(crate) fn body_request_id(family: Family, body: &Value) -> Option<String> {
    let p = if family == Family::TencentTc3 {
        body.get("Response")?
    } else {
        body
    };
    ["RequestId", "request_id"]
        .iter()
        .find_map(|k| p.get(*k).and_then(Value::as_str))
        .map(str::to_owned)
}
