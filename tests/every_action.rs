//! Every action of the registry, whatever its service (the hand-written lifecycle specs and the
//! imported CBS API alike), called through `ActionEntry::call` against the in-process emulator,
//! and through the `cloudbackup call` command against the emulator process, with its required
//! fields filled from the registry's `ValueType`s: the emulator answers each with an answer the
//! typed client decodes (the output type is the schema), or, for an action that reads or
//! deletes a resource by id, with that operation's documented not-found or conflict code (the
//! sample ids name no resource).

#![cfg(feature = "emulator")]

use cloudbackup::client::{RateLimitConfig, RetryPolicy, ServiceClient};
use cloudbackup::emulator::config::{
    DEFAULT_ALIBABA_ACCESS_KEY_ID, DEFAULT_ALIBABA_ACCESS_KEY_SECRET, DEFAULT_HUAWEI_TOKEN,
    DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY,
};
use cloudbackup::emulator::{Emulator, EmulatorConfig};
use cloudbackup::registry::{
    self, ActionEntry, DynError, DynErrorKind, FieldInfo, FieldLocation, ListStyle,
    ResponseFieldInfo, ValueType, WireCheckError,
};
use cloudbackup::runtime::credentials::{
    AlibabaCredentials, HuaweiCredentials, TencentCredentials,
};
use cloudbackup::runtime::request::WireRequest;
use cloudbackup::validation::Rule;
use cloudbackup::{Config, codec};
use serde_json::{Map, Value, json};

/// The instant sample timestamps name (2025-11-24T16:00:00Z).
const T0: i64 = 1_764_000_000;

/// A value of type `t`: the first enumeration value, one list item, an object with its
/// required members.
fn sample(t: &ValueType) -> Value {
    match t {
        ValueType::String => json!("sample-1"),
        ValueType::Int32 | ValueType::Int64 => json!(1),
        ValueType::Float64 => json!(1.5),
        ValueType::Bool => json!(true),
        ValueType::Timestamp(f) => f.json_of(T0, 8),
        ValueType::Enum(values) => json!(values[0]),
        ValueType::IntEnum(values) => json!(values[0]),
        ValueType::Object(members) => Value::Object(required_members(members)),
        ValueType::List(item, _) => json!([sample(item)]),
    }
}

fn required_members(members: &[ResponseFieldInfo]) -> Map<String, Value> {
    members
        .iter()
        .filter(|m| m.required)
        .map(|m| (m.name.to_owned(), sample(&m.value)))
        .collect()
}

/// A parameter's text: strings as they are, numbers and booleans written out, anything else
/// as JSON.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The fields to send with sample values: the required ones, plus those the spec's cross-field
/// rules then ask for (`required` when another field has some value), found by asking the
/// action's own validator until it asks for nothing more.
fn fields(entry: &ActionEntry) -> Vec<(&'static FieldInfo, Value)> {
    let mut set: Vec<&'static FieldInfo> = entry.fields.iter().filter(|f| f.required).collect();
    loop {
        let values: Vec<_> = set.iter().map(|f| (*f, sample(&f.value))).collect();
        let Err(WireCheckError::Invalid(errors)) = (entry.check_wire)(&wire(entry, &values)) else {
            return values;
        };
        let asked: Vec<&'static FieldInfo> = errors
            .violations()
            .iter()
            .filter(|v| v.rule == Rule::Required)
            .filter_map(|v| entry.fields.iter().find(|f| f.wire == v.field))
            .filter(|f| !set.iter().any(|s| s.wire == f.wire))
            .collect();
        if asked.is_empty() {
            return values;
        }
        set.extend(asked);
    }
}

/// The request `entry` receives with `values` set, each placed as its field says.
fn wire(entry: &ActionEntry, values: &[(&'static FieldInfo, Value)]) -> WireRequest {
    let mut w = WireRequest {
        method: entry.action.method,
        path: entry.action.path.to_owned(),
        params: Vec::new(),
        headers: Vec::new(),
        body: None,
    };
    let mut body = Map::new();
    let mut path = Vec::new();
    for (f, v) in values.iter().cloned() {
        let items = v.as_array().cloned().unwrap_or_default();
        let joined = || items.iter().map(text).collect::<Vec<_>>().join(",");
        match (f.location, f.list) {
            (FieldLocation::Json, Some(ListStyle::Comma)) => {
                body.insert(f.wire.to_owned(), json!(joined()));
            }
            (FieldLocation::Json, _) => {
                body.insert(f.wire.to_owned(), v);
            }
            (FieldLocation::Param, Some(ListStyle::Indexed(start))) => {
                for (i, item) in items.iter().enumerate() {
                    w.params
                        .push((format!("{}.{}", f.wire, start + i), text(item)));
                }
            }
            (FieldLocation::Param, Some(ListStyle::Comma)) => {
                w.params.push((f.wire.to_owned(), joined()));
            }
            (FieldLocation::Param, _) => w.params.push((f.wire.to_owned(), text(&v))),
            (FieldLocation::Header, Some(ListStyle::Comma)) => {
                w.headers.push((f.wire.to_owned(), joined()));
            }
            (FieldLocation::Header, _) => w.headers.push((f.wire.to_owned(), text(&v))),
            (FieldLocation::Path, _) => path.push((f.wire, text(&v))),
        }
    }
    let path: Vec<(&str, &str)> = path.iter().map(|(k, v)| (*k, v.as_str())).collect();
    w.path = codec::fill_path(entry.action.path, &path);
    // A JSON-body action always sends a body (`{}` when no field is set), as its client does.
    let json_body = entry
        .fields
        .iter()
        .any(|f| f.location == FieldLocation::Json)
        || (entry.service.family == cloudbackup::meta::Family::TencentTc3
            && entry.action.method == cloudbackup::runtime::request::HttpMethod::Post);
    if json_body {
        w.body = Some(Value::Object(body).to_string().into_bytes());
    }
    w
}

fn region(entry: &ActionEntry) -> &'static str {
    match entry.service.provider {
        "alibaba" => "cn-hangzhou",
        "huawei" => "ap-southeast-1",
        _ => "ap-guangzhou",
    }
}

fn client(entry: &ActionEntry, url: &str) -> ServiceClient {
    let config = Config::new()
        .endpoint(url)
        .region(region(entry))
        .retry(RetryPolicy::disabled())
        .rate_limits(RateLimitConfig::off());
    let config = match entry.service.provider {
        "tencent" => config.credentials(TencentCredentials::new(
            DEFAULT_TENCENT_SECRET_ID,
            DEFAULT_TENCENT_SECRET_KEY,
        )),
        "alibaba" => config.credentials(AlibabaCredentials::new(
            DEFAULT_ALIBABA_ACCESS_KEY_ID,
            DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
        )),
        _ => config.credentials(HuaweiCredentials::token(DEFAULT_HUAWEI_TOKEN)),
    };
    ServiceClient::new(entry.service, config).unwrap()
}

/// The codes an action answers for ids that name no resource (the sample ids name none): the
/// not-found and conflict codes of its resource reads and deletes.
fn resource_codes(entry: &ActionEntry) -> Vec<&'static str> {
    let ops = &entry.emulator;
    ops.read
        .iter()
        .flat_map(|r| [r.not_found, r.conflict])
        .chain(ops.delete.iter().map(|d| d.not_found))
        .flatten()
        .collect()
}

/// Whether an answer is acceptable for `entry`: a decoded output, or the documented code of a
/// resource read the sample ids cannot satisfy. `Err` says what was wrong.
fn judge(entry: &ActionEntry, answer: Result<Value, DynError>) -> Result<(), String> {
    match answer {
        Ok(Value::Object(_)) => Ok(()),
        Ok(other) => Err(format!("an output that is not an object: {other}")),
        Err(e) if e.kind == DynErrorKind::Service => {
            let code = e.code.clone().unwrap_or_default();
            if resource_codes(entry).contains(&code.as_str()) && entry.error(&code).is_some() {
                Ok(())
            } else {
                Err(format!("service error {code}: {e}"))
            }
        }
        Err(e) => Err(format!("{:?}: {e}", e.kind)),
    }
}

#[tokio::test]
async fn every_action_of_the_registry_is_answered_by_the_emulator() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let url = emu.base_url();
    let all = registry::all();
    assert!(!all.is_empty());
    let mut failures = Vec::new();
    let mut decoded = 0;
    for entry in &all {
        let w = wire(entry, &fields(entry));
        if let Err(e) = (entry.check_wire)(&w) {
            failures.push(format!(
                "{}: the sample request is refused: {e}",
                entry.path()
            ));
            continue;
        }
        let answer = (entry.call)(&client(entry, &url), w).await;
        decoded += usize::from(answer.is_ok());
        if let Err(why) = judge(entry, answer) {
            failures.push(format!("{}: {why}", entry.path()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Resource reads and deletes may answer not-found; everything else decodes.
    let reads = all.iter().filter(|e| !resource_codes(e).is_empty()).count();
    assert!(decoded >= all.len() - reads, "{decoded} of {}", all.len());
    // The emulator refused nothing (signature, validation): its only errors were the
    // resource codes above.
    for (path, calls) in emu.state().calls {
        let entry = all.iter().find(|e| e.path() == path).unwrap();
        for code in calls.errors.keys() {
            assert!(
                resource_codes(entry).contains(&code.as_str()),
                "{path}: the emulator answered {code}"
            );
        }
    }
}

/// The same calls through the command line: `cloudbackup call <provider> <service> <Action>
/// --param Name=value ...` against `cloudbackup emulator`.
#[cfg(feature = "cli")]
#[test]
fn every_action_is_callable_from_the_command_line() {
    use std::io::BufRead;
    use std::process::{Command, Stdio};

    let bin = env!("CARGO_BIN_EXE_cloudbackup");
    let mut emu = Command::new(bin)
        .args(["emulator", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the emulator starts");
    let mut first = String::new();
    let mut stdout = std::io::BufReader::new(emu.stdout.take().unwrap());
    stdout.read_line(&mut first).unwrap();
    let url = first.trim().rsplit(' ').next().unwrap().to_owned();
    let home =
        std::env::temp_dir().join(format!("cloudbackup-every-action-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();

    let mut failures = Vec::new();
    for entry in registry::all() {
        let mut cmd = Command::new(bin);
        cmd.args(["call", entry.service.provider, entry.service.service])
            .arg(entry.action.name)
            .args([
                "--endpoint",
                &url,
                "--region",
                region(entry),
                "--output",
                "json",
            ])
            .env("HOME", &home)
            .env("TENCENTCLOUD_SECRET_ID", DEFAULT_TENCENT_SECRET_ID)
            .env("TENCENTCLOUD_SECRET_KEY", DEFAULT_TENCENT_SECRET_KEY)
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", DEFAULT_ALIBABA_ACCESS_KEY_ID)
            .env(
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
            )
            .env("HUAWEICLOUD_IAM_TOKEN", DEFAULT_HUAWEI_TOKEN);
        for (f, v) in fields(entry) {
            // Objects and lists of objects are one `--json`; a list of scalars is one
            // `--param` per item.
            let objects = match &v {
                Value::Object(_) => true,
                Value::Array(items) => items.iter().any(|i| i.is_object() || i.is_array()),
                _ => false,
            };
            if objects {
                cmd.arg("--json").arg(format!("{}={v}", f.wire));
                continue;
            }
            let values = match (&v, f.list) {
                (Value::Array(items), Some(_)) => items.iter().map(text).collect(),
                _ => vec![text(&v)],
            };
            for value in values {
                cmd.arg("--param").arg(format!("{}={value}", f.wire));
            }
        }
        let out = cmd.output().expect("the command runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let answer = if out.status.success() {
            serde_json::from_str::<Value>(stdout.trim())
                .map_err(|e| format!("not JSON ({e}): {stdout}"))
                .map(|_| ())
        } else {
            // A documented read error of the sample ids names its code.
            let allowed = resource_codes(entry)
                .iter()
                .any(|code| stdout.contains(&format!("\"code\":\"{code}\"")));
            if allowed {
                Ok(())
            } else {
                Err(format!("exit {:?}: {stdout}{stderr}", out.status.code()))
            }
        };
        if let Err(why) = answer {
            failures.push(format!("{}: {why}", entry.path()));
        }
    }
    let _ = emu.kill();
    let _ = emu.wait();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
