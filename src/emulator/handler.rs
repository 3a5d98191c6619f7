//! The request pipeline: route → authenticate → faults → rate limit → validate → idempotency →
//! apply → answer.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{Value, json};

use super::config::EmulatorConfig;
use super::faults::{self, Armed, FaultKind, FaultSpec};
use super::responses::{self, request_id};
use super::router::{self, Route};
use super::state::State;
use super::verify::{alibaba, huawei, tencent};
use super::wire::{Incoming, Outgoing, Reject, get};
use crate::meta::Family;
use crate::registry::{ActionEntry, FieldLocation, ListStyle, WireCheckError};
use crate::runtime::request::{HttpMethod, WireRequest};

/// What to do with a request.
#[derive(Debug)]
pub(crate) enum Outcome {
    Respond(Outgoing),
    /// Close the connection without answering.
    Drop,
}

/// Configuration and state shared by all connections.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: EmulatorConfig,
    pub(crate) state: Mutex<State>,
    /// Every action served: the crate's registry and the configuration's extra actions.
    pub(crate) entries: Vec<&'static ActionEntry>,
}

impl Shared {
    pub(crate) fn new(config: EmulatorConfig) -> Result<Self, String> {
        let mut entries = crate::registry::all();
        entries.extend(config.actions.iter().copied());
        let mut state = State::default();
        for t in &config.transitions {
            super::store::check_override(t, &entries)?;
        }
        state.store.overrides = config.transitions.clone();
        for f in &config.faults {
            arm(&mut state, f, &entries).map_err(|e| e.to_string())?;
        }
        Ok(Self {
            config,
            state: Mutex::new(state),
            entries,
        })
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn now(&self) -> i64 {
        self.config.clock.now_unix()
    }
}

/// Arms a fault after checking it against the actions served.
pub(crate) fn arm(
    state: &mut State,
    spec: &FaultSpec,
    entries: &[&'static ActionEntry],
) -> Result<(), faults::FaultError> {
    let entry = faults::resolve(spec, entries)?;
    if spec.count > 0 {
        state.faults.push(Armed {
            action: entry.path(),
            remaining: spec.count,
            kind: spec.kind.clone(),
        });
    }
    Ok(())
}

/// Handles one request.
pub(crate) async fn handle(shared: &Shared, req: Incoming) -> Outcome {
    let Some(params) = req.all_params() else {
        return Outcome::Respond(Outgoing::json(
            400,
            &json!({"error": "malformed query string or form body"}),
        ));
    };
    match router::route(&req, &params, &shared.entries) {
        Err(e) => {
            let rid = request_id(e.family, shared.config.ids.as_ref());
            Outcome::Respond(responses::error(e.family, &e.reject, req.host(), &rid))
        }
        Ok(Route::Admin) => Outcome::Respond(super::admin::handle(shared, &req)),
        Ok(Route::IamTokens) => Outcome::Respond(iam(shared, &req)),
        Ok(Route::Identity(r)) => {
            Outcome::Respond(super::identity::handle(shared, r, &req, &params))
        }
        Ok(Route::Action(entry)) => call(shared, entry, &req, &params).await,
    }
}

fn iam(shared: &Shared, req: &Incoming) -> Outgoing {
    let cfg = &shared.config;
    let rid = cfg.ids.next_hex(16);
    let token = format!("MIIemulator{}", cfg.ids.next_hex(24));
    let now = shared.now();
    match huawei::issue_token(
        req,
        &cfg.huawei_iam,
        now,
        cfg.token_lifetime_secs,
        token,
        &rid,
    ) {
        huawei::IamOutcome::Issued {
            token,
            expires_at,
            response,
        } => {
            let mut st = shared.lock();
            st.tokens.retain(|_, e| *e > now);
            st.tokens.insert(token, expires_at);
            response
        }
        huawei::IamOutcome::Refused(r) => r,
    }
}

/// The pipeline after routing. Locks are never held across the latency sleep.
async fn call(
    shared: &Shared,
    entry: &'static ActionEntry,
    req: &Incoming,
    params: &[(String, String)],
) -> Outcome {
    let family = entry.service.family;
    let action = entry.path();
    let rid = request_id(family, shared.config.ids.as_ref());
    let reject = |st: &mut State, r: Reject| {
        st.count_error(&action, &r.code);
        Outcome::Respond(responses::error(family, &r, req.host(), &rid))
    };
    let (latency, drop_after) = {
        let now = shared.now();
        let mut st = shared.lock();
        st.calls(&action).received += 1;
        if let Err(r) = authenticate(shared, &mut st, family, req, params, now) {
            return reject(&mut st, r);
        }
        match st.take_fault(&action) {
            None => (None, false),
            Some(FaultKind::Latency { millis }) => (Some(millis), false),
            Some(FaultKind::DropAfterApply) => (None, true),
            Some(FaultKind::DropBeforeApply) => {
                st.calls(&action).dropped += 1;
                return Outcome::Drop;
            }
            Some(FaultKind::Http5xx { status }) => {
                st.count_error(&action, &format!("HTTP {status}"));
                return Outcome::Respond(Outgoing {
                    status,
                    headers: vec![("Content-Type".into(), "text/plain".into())],
                    body: format!("{status} emulated upstream failure\n").into_bytes(),
                });
            }
            Some(FaultKind::Error { code, message }) => {
                let info = entry.error(&code);
                let status = info
                    .and_then(|i| i.status)
                    .unwrap_or_else(|| default_error_status(family));
                let message = message
                    .or_else(|| info.map(|i| i.doc.to_owned()))
                    .unwrap_or_default();
                return reject(&mut st, Reject::new(code, message, status));
            }
        }
    };
    if let Some(ms) = latency {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    let now = shared.now();
    let mut st = shared.lock();
    if !st.admit(&action, entry.action.limits, now) {
        return reject(&mut st, throttled(entry));
    }
    let wire = rebuild_wire(entry, req, params);
    if let Err(e) = (entry.check_wire)(&wire) {
        return reject(&mut st, parameter_error(entry, &e));
    }
    let token = entry
        .action
        .idempotency_field
        .and_then(|f| token_of(&wire, f));
    let remembered = token
        .as_ref()
        .and_then(|t| st.idempotency.get(&action)?.get(t))
        .cloned();
    let body = match remembered {
        Some(r) => responses::refresh_request_id(family, &r.body, &rid),
        None => {
            let ids = shared.config.ids.as_ref();
            let applied = if entry.emulator.is_empty() {
                super::ops::Applied::default()
            } else {
                // Secrets (passwords) are used, never stored: the state snapshot shows the rest.
                let mut request = (entry.request_json)(&wire)
                    .ok()
                    .and_then(|v| v.as_object().cloned())
                    .unwrap_or_default();
                for f in entry.fields.iter().filter(|f| f.sensitive) {
                    request.remove(f.wire);
                }
                // A comma-joined list is a list to the resources (matched item by item).
                for f in entry
                    .fields
                    .iter()
                    .filter(|f| f.list == Some(ListStyle::Comma))
                {
                    if let Some(Value::String(joined)) = request.get(f.wire) {
                        let items = joined.split(',').map(|s| json!(s.trim())).collect();
                        request.insert(f.wire.to_owned(), Value::Array(items));
                    }
                }
                let scope = scope_of(family, req, params);
                let cx = super::ops::Cx {
                    entry,
                    scope: &scope,
                    request: &request,
                    now,
                    ids,
                };
                match super::ops::apply(&mut st.store, &cx) {
                    Ok(a) => a,
                    Err(r) => return reject(&mut st, r),
                }
            };
            let (body, synthesized) = {
                let mut counter = || st.next_counter();
                responses::success_body(entry, &wire, ids, &mut counter, now, applied.answer)
            };
            let primary = applied.created.into_iter().next().or(synthesized);
            let creates = !entry.action.idempotent || entry.action.idempotency_field.is_some();
            if let (true, Some(p)) = (creates, &primary) {
                st.resources
                    .entry(action.clone())
                    .or_default()
                    .push(p.clone());
            }
            if let Some(t) = token {
                st.idempotency.entry(action.clone()).or_default().insert(
                    t,
                    super::state::Remembered {
                        body: body.clone(),
                        resource: primary,
                    },
                );
            }
            body
        }
    };
    st.calls(&action).succeeded += 1;
    if drop_after {
        st.calls(&action).dropped += 1;
        return Outcome::Drop;
    }
    let rid = responses::body_request_id(family, &body).unwrap_or(rid);
    Outcome::Respond(responses::success(family, &body, &rid))
}

fn default_error_status(family: Family) -> u16 {
    match family {
        Family::TencentApi2 | Family::TencentTc3 => 200,
        _ => 400,
    }
}

/// Verifies the signature (with the configured key, or temporary credentials the identity
/// endpoints issued) or token; records the nonce (a reused one is a replay).
pub(crate) fn authenticate(
    shared: &Shared,
    st: &mut State,
    family: Family,
    req: &Incoming,
    params: &[(String, String)],
    now: i64,
) -> Result<(), Reject> {
    let cfg = &shared.config;
    let key = super::identity::key_for(cfg, st, family, req, params, now)?;
    let key = key.as_ref();
    let (nonce, window, replay) = match family {
        Family::TencentApi2 => (
            tencent::verify_v2(req, params, key, now)?,
            tencent::WINDOW_SECS,
            tencent::v2_replay(),
        ),
        Family::TencentTc3 => return tencent::verify_tc3(req, key, now),
        Family::AlibabaRpc => {
            let acs3 = req
                .header("authorization")
                .is_some_and(|a| a.starts_with("ACS3-HMAC-SHA256"));
            let nonce = if acs3 {
                alibaba::verify_acs3(req, key, now)?
            } else {
                alibaba::verify_v2(req, params, key, now)?
            };
            (nonce, alibaba::WINDOW_SECS, alibaba::replay())
        }
        Family::HuaweiRest => {
            return if req.header("authorization").is_some() {
                verify_aksk_with_lockout(st, req, key, now)
            } else if let Some(token) = req.header("x-auth-token") {
                huawei::verify_token(token, cfg.huawei_token.as_ref(), &st.tokens, now)
            } else {
                Err(Reject::new(
                    "APIG.0301",
                    "Incorrect IAM authentication information: no x-auth-token or Authorization header",
                    401,
                ))
            };
        }
    };
    if st.use_nonce(nonce, now, now + 2 * window) {
        Ok(())
    } else {
        Err(replay)
    }
}

/// Huawei locks an AK for 5 minutes after 5 AK/SK failures in a row (APIG.0301).
fn verify_aksk_with_lockout(
    st: &mut State,
    req: &Incoming,
    key: &super::config::KeyPair,
    now: i64,
) -> Result<(), Reject> {
    const MAX_FAILURES: u32 = 5;
    const LOCK_SECS: i64 = 300;
    let ak = req
        .header("authorization")
        .and_then(|a| {
            super::wire::auth_params(a.strip_prefix("SDK-HMAC-SHA256 ")?)
                .into_iter()
                .find(|(k, _)| k == "Access")
        })
        .map(|(_, v)| v)
        .unwrap_or_default();
    if st
        .ak_failures
        .get(&ak)
        .is_some_and(|(_, until)| *until > now)
    {
        return Err(Reject::new(
            "APIG.0301",
            "Incorrect IAM authentication information: AK access failed to reach the limit,forbidden",
            401,
        ));
    }
    let result = huawei::verify_aksk(req, key, now);
    if result.is_err() {
        let entry = st.ak_failures.entry(ak).or_insert((0, 0));
        entry.0 += 1;
        if entry.0 >= MAX_FAILURES {
            *entry = (0, now + LOCK_SECS);
        }
    } else {
        st.ak_failures.remove(&ak);
    }
    result
}

/// The family's throttling error, preferring a code the action documents.
fn throttled(entry: &ActionEntry) -> Reject {
    let listed = |c: &str| entry.error(c);
    match entry.service.family {
        Family::TencentApi2 => Reject::new("4400", "request count over quota", 200),
        Family::TencentTc3 => Reject::new(
            "RequestLimitExceeded",
            "The number of requests exceeds the frequency limit.",
            200,
        ),
        Family::AlibabaRpc => {
            let code = ["Throttling.Api", "Throttling.User", "Throttling"]
                .into_iter()
                .find(|c| listed(c).is_some())
                .unwrap_or("Throttling");
            let status = listed(code).and_then(|e| e.status).unwrap_or(400);
            Reject::new(code, "Request was denied due to api flow control.", status)
        }
        Family::HuaweiRest => Reject::new("APIG.1002", "Too Many Requests", 429),
    }
}

/// The family's parameter error for a request the spec's validators refused.
fn parameter_error(entry: &ActionEntry, e: &WireCheckError) -> Reject {
    let listed = |c: &str| entry.error(c);
    let missing = matches!(e, WireCheckError::Decode(fe) if fe.reason == "missing");
    let message = e.to_string();
    match entry.service.family {
        Family::TencentApi2 => Reject::new("4000", message, 200),
        Family::TencentTc3 => {
            let wanted = match e {
                WireCheckError::Decode(_) if missing => "MissingParameter",
                WireCheckError::Decode(_) => "InvalidParameter",
                WireCheckError::Invalid(_) => "InvalidParameterValue",
            };
            let code = if listed(wanted).is_some() {
                wanted
            } else {
                "InvalidParameter"
            };
            Reject::new(code, message, 200)
        }
        Family::AlibabaRpc => {
            let code = if missing {
                "MissingParameter"
            } else {
                "InvalidParameter"
            };
            let status = listed(code).and_then(|i| i.status).unwrap_or(400);
            Reject::new(code, message, status)
        }
        Family::HuaweiRest => {
            let info = entry
                .documented_errors()
                .find(|i| i.status == Some(400) && !i.code.starts_with("APIG."));
            match info {
                Some(i) => Reject::new(i.code, message, 400),
                None => Reject::new("APIG.0201", message, 400),
            }
        }
    }
}

const API2_COMMON: &[&str] = &[
    "Action",
    "Region",
    "Timestamp",
    "Nonce",
    "SecretId",
    "SignatureMethod",
    "Signature",
    "Token",
    "RequestClient",
];
const ALIBABA_COMMON: &[&str] = &[
    "AccessKeyId",
    "Action",
    "Format",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureVersion",
    "SignatureType",
    "Timestamp",
    "Version",
    "Signature",
    "SecurityToken",
    "RegionId",
];
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "x-auth-token",
    "x-tc-token",
    "x-acs-security-token",
    "x-security-token",
];

/// The [`WireRequest`] the generated `from_wire` reads: action parameters without the
/// family's common ones (unless the action declares a field of that name), headers without
/// credentials, and the JSON body.
pub(crate) fn rebuild_wire(
    entry: &ActionEntry,
    req: &Incoming,
    params: &[(String, String)],
) -> WireRequest {
    let family = entry.service.family;
    let common: &[&str] = match family {
        Family::TencentApi2 => API2_COMMON,
        Family::AlibabaRpc => ALIBABA_COMMON,
        _ => &[],
    };
    let declared = |k: &str| {
        entry
            .fields
            .iter()
            .any(|f| f.location == FieldLocation::Param && f.wire == k)
    };
    let params = params
        .iter()
        .filter(|(k, _)| !common.contains(&k.as_str()) || declared(k))
        .cloned()
        .collect();
    let headers = req
        .headers
        .iter()
        .filter(|(k, _)| !SECRET_HEADERS.contains(&k.as_str()))
        .cloned()
        .collect();
    let json_body = !req.body.is_empty() && !req.has_form_body();
    let body = match family {
        Family::TencentApi2 => None,
        Family::TencentTc3 if req.method == "GET" => None,
        Family::TencentTc3 => Some(req.body.clone()),
        _ => json_body.then(|| req.body.clone()),
    };
    WireRequest {
        method: if req.method == "GET" {
            HttpMethod::Get
        } else {
            HttpMethod::Post
        },
        path: req.path.clone(),
        params,
        headers,
        body,
    }
}

/// Whose resources a request works on: the key id it was signed with (or the IAM token's
/// holder) and the region it names.
fn scope_of(family: Family, req: &Incoming, params: &[(String, String)]) -> super::store::Scope {
    let credential = |auth: &str, key: &str| {
        super::wire::auth_params(auth)
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.split('/').next().unwrap_or_default().to_owned())
    };
    let auth = req.header("authorization").unwrap_or_default();
    let (account, region) = match family {
        Family::TencentApi2 => (get(params, "SecretId"), get(params, "Region")),
        Family::TencentTc3 => (None, req.header("x-tc-region")),
        Family::AlibabaRpc => (get(params, "AccessKeyId"), get(params, "RegionId")),
        Family::HuaweiRest => (None, None),
    };
    let account = account.map(str::to_owned).or_else(|| match family {
        Family::TencentTc3 => credential(
            auth.trim_start_matches("TC3-HMAC-SHA256").trim(),
            "Credential",
        ),
        Family::AlibabaRpc => credential(
            auth.trim_start_matches("ACS3-HMAC-SHA256").trim(),
            "Credential",
        ),
        Family::HuaweiRest => {
            credential(auth.trim_start_matches("SDK-HMAC-SHA256").trim(), "Access")
                .or_else(|| req.header("x-auth-token").map(|_| "iam-token".to_owned()))
        }
        Family::TencentApi2 => None,
    });
    super::store::Scope {
        account: account.unwrap_or_default(),
        region: region.unwrap_or_default().to_owned(),
    }
}

/// The idempotency token of a request: parameter, header or JSON member `field`.
fn token_of(wire: &WireRequest, field: &str) -> Option<String> {
    if let Some(v) = get(&wire.params, field) {
        return Some(v.to_owned());
    }
    if let Some(v) = wire.header(field) {
        return Some(v.to_owned());
    }
    let body: Value = serde_json::from_slice(wire.body.as_deref()?).ok()?;
    body.get(field).and_then(Value::as_str).map(str::to_owned)
}
