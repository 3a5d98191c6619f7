//! `cloudbackup call`: build a request from `--param Name=value` pairs, then send it through the
//! typed client of the action (validated, signed, retried) or print it signed (`--dry-run`).

use std::process::ExitCode;
use std::sync::Arc;

use cloudbackup::client::{Config, ServiceClient};
use cloudbackup::registry::{
    self, ActionEntry, DynError, DynErrorKind, FieldInfo, FieldLocation, ListStyle,
};
use cloudbackup::runtime::clock::{FixedClock, FixedNonce, format_uuid_v4};
use cloudbackup::runtime::request::{SignedRequest, WireRequest};
use cloudbackup::validation::ValidationMode;
use serde_json::{Map, Value};

use crate::args::{CallArgs, parse_call};

/// Converts one parameter text to JSON according to the field's type text.
fn json_scalar(f: &FieldInfo, ty: &str, v: &str) -> Result<Value, DynError> {
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
    } else if ty == "bool" {
        v.parse::<bool>()
            .map(Value::from)
            .map_err(|_| bad("`true` or `false`"))
    } else if ty.starts_with("object") || ty.starts_with("array") {
        serde_json::from_str(v).map_err(|_| bad("JSON"))
    } else {
        Ok(Value::String(v.to_owned()))
    }
}

/// Builds the request the typed input is read back from (`from_wire`).
fn wire_from_params(
    entry: &ActionEntry,
    params: &[(String, String)],
) -> Result<WireRequest, DynError> {
    let mut wire = WireRequest {
        method: entry.action.method,
        path: entry.action.path.to_owned(),
        params: Vec::new(),
        headers: Vec::new(),
        body: None,
    };
    let mut json = Map::new();
    let mut path_values: Vec<(&str, &str)> = Vec::new();
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for (name, v) in params {
        let Some(f) = entry.fields.iter().find(|f| f.wire == name) else {
            let known: Vec<&str> = entry.fields.iter().map(|f| f.wire).collect();
            return Err(DynError::bad_input(format!(
                "`{name}` is not a parameter of {}; parameters: {}",
                entry.action.name,
                known.join(", ")
            )));
        };
        let n = match counts.iter_mut().find(|(k, _)| *k == f.wire) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                counts.push((f.wire, 1));
                1
            }
        };
        let is_array = f.ty.starts_with("array of ");
        if n > 1 && !is_array {
            return Err(DynError::bad_input(format!("`{}` is given twice", f.wire)));
        }
        match (f.location, f.list) {
            (FieldLocation::Param, Some(ListStyle::Indexed(start))) => {
                wire.params
                    .push((format!("{}.{}", f.wire, start + n - 1), v.clone()));
            }
            (FieldLocation::Param | FieldLocation::Header, Some(ListStyle::Comma)) => {
                let list = if f.location == FieldLocation::Param {
                    &mut wire.params
                } else {
                    &mut wire.headers
                };
                match list.iter_mut().find(|(k, _)| k == f.wire) {
                    Some((_, joined)) => {
                        joined.push(',');
                        joined.push_str(v);
                    }
                    None => list.push((f.wire.to_owned(), v.clone())),
                }
            }
            (FieldLocation::Param, _) => wire.params.push((f.wire.to_owned(), v.clone())),
            (FieldLocation::Header, _) => wire.headers.push((f.wire.to_owned(), v.clone())),
            (FieldLocation::Path, _) => path_values.push((f.wire, v.as_str())),
            (FieldLocation::Json, Some(ListStyle::Comma)) => {
                let slot = json
                    .entry(f.wire.to_owned())
                    .or_insert_with(|| Value::String(String::new()));
                if let Value::String(joined) = slot {
                    if !joined.is_empty() {
                        joined.push(',');
                    }
                    joined.push_str(v);
                }
            }
            (FieldLocation::Json, _) => {
                if let Some(item_ty) = f.ty.strip_prefix("array of ") {
                    let item = if v.trim_start().starts_with('[') && n == 1 {
                        json_scalar(f, "array", v)?
                    } else {
                        json_scalar(f, item_ty, v)?
                    };
                    let slot = json
                        .entry(f.wire.to_owned())
                        .or_insert_with(|| Value::Array(Vec::new()));
                    match (slot, item) {
                        (Value::Array(items), Value::Array(all)) => items.extend(all),
                        (Value::Array(items), one) => items.push(one),
                        _ => {}
                    }
                } else {
                    json.insert(f.wire.to_owned(), json_scalar(f, f.ty, v)?);
                }
            }
        }
    }
    wire.path = cloudbackup::codec::fill_path(entry.action.path, &path_values);
    if !json.is_empty() {
        wire.body = Some(Value::Object(json).to_string().into_bytes());
    }
    Ok(wire)
}

fn help(entry: &ActionEntry) {
    println!(
        "{} {} {}: {}\n",
        entry.service.provider, entry.service.service, entry.action.name, entry.summary
    );
    println!("parameters (--param Name=value; repeat for each array item):");
    for f in entry.fields {
        let req = if f.required { "required" } else { "optional" };
        println!("  {:<16} {:<10} {:<8} {}", f.wire, req, "", f.ty);
        if !f.doc.is_empty() {
            println!("  {:<16} {}", "", f.doc);
        }
    }
    println!("\nidempotent: {}", entry.action.idempotent);
    for l in entry.action.limits {
        println!("limit: {} calls per {} s", l.max_calls, l.per_seconds);
    }
    println!(
        "documented error codes: {}",
        entry.documented_errors().count()
    );
    println!("vendor page: {}", entry.action.doc_url);
}

/// Token-like values that must never be printed.
const SECRET_HEADERS: &[&str] = &[
    "x-tc-token",
    "x-acs-security-token",
    "x-auth-token",
    "x-security-token",
    "x-subject-token",
];
const SECRET_PARAMS: &[&str] = &["Token", "SecurityToken"];

fn redact_url(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|kv| match kv.split_once('=') {
            Some((k, _)) if SECRET_PARAMS.contains(&k) => format!("{k}=***"),
            _ => kv.to_owned(),
        })
        .collect();
    format!("{base}?{}", parts.join("&"))
}

fn print_signed(s: &SignedRequest, json: bool) {
    let headers: Vec<(String, String)> = s
        .headers
        .iter()
        .map(|(k, v)| {
            let shown = if SECRET_HEADERS.contains(&k.to_ascii_lowercase().as_str()) {
                "***"
            } else {
                v
            };
            (k.to_string(), shown.to_owned())
        })
        .collect();
    let body = String::from_utf8_lossy(&s.body);
    if json {
        let v = serde_json::json!({
            "method": s.method.as_str(),
            "url": redact_url(&s.url),
            "headers": headers,
            "body": body,
        });
        println!("{v}");
    } else {
        println!("{} {}", s.method.as_str(), redact_url(&s.url));
        for (k, v) in headers {
            println!("{k}: {v}");
        }
        println!();
        if !body.is_empty() {
            println!("{body}");
        }
    }
}

fn client(entry: &ActionEntry, a: &CallArgs) -> Result<ServiceClient, DynError> {
    let mut config = Config::new();
    if let Some(r) = &a.region {
        config = config.region(r.clone());
    }
    if let Some(e) = &a.endpoint {
        config = config.endpoint(e.clone());
    }
    if a.no_validate {
        config = config.validation(ValidationMode::Off);
    }
    if let Some(ts) = a.timestamp {
        config = config.clock(Arc::new(FixedClock(ts)));
    }
    if let Some(n) = a.nonce {
        let mut bytes = [0u8; 16];
        bytes[12..].copy_from_slice(&n.to_be_bytes());
        config = config.nonce_source(Arc::new(FixedNonce {
            number: n,
            hex: format!("{n:032x}"),
            uuid: format_uuid_v4(bytes),
        }));
    }
    ServiceClient::new(entry.service, config).map_err(|e| DynError {
        kind: if matches!(e, cloudbackup::ConfigError::Credentials(_)) {
            DynErrorKind::Credentials
        } else {
            DynErrorKind::Config
        },
        message: e.to_string(),
        code: None,
        request_id: None,
    })
}

fn execute(a: &CallArgs) -> Result<(), DynError> {
    let [provider, service, action] = a.target.as_slice() else {
        return Err(DynError::bad_input(
            "usage: cloudbackup call <provider> <service> <Action> [--param Name=value]...; see `cloudbackup list`",
        ));
    };
    let Some(entry) = registry::find(provider, service, action) else {
        return Err(DynError::bad_input(format!(
            "no action {provider}/{service}/{action} in this build; see `cloudbackup list`"
        )));
    };
    if a.help {
        help(entry);
        return Ok(());
    }
    let wire = wire_from_params(entry, &a.params)?;
    // Bad input is reported before credentials or endpoints are looked at: nothing is sent.
    if let Err(e) = (entry.check_wire)(&wire) {
        let invalid = matches!(e, registry::WireCheckError::Invalid(_));
        if !(invalid && a.no_validate) {
            return Err(DynError {
                kind: if invalid {
                    DynErrorKind::Validation
                } else {
                    DynErrorKind::BadInput
                },
                message: e.to_string(),
                code: None,
                request_id: None,
            });
        }
    }
    let client = client(entry, a)?;
    if a.dry_run {
        let signed = (entry.prepare)(&client, wire)?;
        print_signed(&signed, a.json);
        return Ok(());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| DynError::bad_input(format!("cannot start the async runtime: {e}")))?;
    let out = runtime.block_on((entry.call)(&client, wire))?;
    if a.json {
        println!("{out}");
    } else {
        println!("{} {} {}: ok", provider, service, action);
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    }
    Ok(())
}

pub(crate) fn run(argv: &[String]) -> ExitCode {
    let a = match parse_call(argv) {
        Ok(a) => a,
        Err(e) => return crate::fail(&e, false),
    };
    match execute(&a) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => crate::fail(&e, a.json),
    }
}
