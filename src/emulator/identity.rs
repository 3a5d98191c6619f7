//! The emulated identity endpoints, apart from the spec-driven actions: the three instance
//! metadata services and the three STS role assumptions, which hand out temporary credentials
//! that the action routes then accept, with their security token, until they expire.
//!
//! | endpoint | answers |
//! | --- | --- |
//! | `GET /latest/meta-data/cam/security-credentials/[<role>]` | Tencent CVM role: the role name, or `TmpSecretId`, `TmpSecretKey`, `Token`, `ExpiredTime`, `Expiration`, `Code` |
//! | `PUT /latest/api/token`, `GET /latest/meta-data/ram/security-credentials/[<role>]` | Alibaba ECS: an IMDSv2 token (`X-aliyun-ecs-metadata-token-ttl-seconds`, 1 to 21600), the role name, or `AccessKeyId`, `AccessKeySecret`, `SecurityToken`, `Expiration`, `LastUpdated`, `Code` |
//! | `PUT /meta-data/latest/api/token`, `GET /openstack/latest/securitykey` | Huawei ECS: a token (`X-Metadata-Token-Ttl-Seconds`), then `credential.access`, `.secret`, `.securitytoken`, `.expires_at` |
//! | TC3 `AssumeRole` (service `sts`, version `2018-08-13`) | Tencent STS, signed with the Tencent key (or temporary credentials) |
//! | RPC `AssumeRole` (version `2015-04-01`) | Alibaba STS, ACS3 or V2 signed |
//! | `POST /v3.0/OS-CREDENTIAL/securitytokens` (`assume_role`) | Huawei IAM, with an IAM token or AK/SK |
//!
//! The metadata services report the role [`EmulatorConfig::role_name`]; a metadata session
//! token is optional unless [`EmulatorConfig::metadata_token_required`]. Temporary
//! credentials last [`EmulatorConfig::temp_credentials_lifetime_secs`] (metadata) or the
//! `DurationSeconds` asked (STS, within the vendor's range: Tencent 1 to 43200, Alibaba 900 to
//! 43200, Huawei 900 to 86400). They are test values: key ids `AKIDtmp…` (Tencent),
//! `STS.emu…` (Alibaba), `HWTMP…` (Huawei), random hex secrets and tokens.
//! [`StateSnapshot::credentials_issued`](super::StateSnapshot::credentials_issued) counts them
//! per `provider/source`.

use std::borrow::Cow;

use serde_json::{Value, json};

use super::config::{EmulatorConfig, KeyPair};
use super::handler::Shared;
use super::responses::{self, request_id};
use super::state::{State, TempKey};
use super::verify::tencent::parse_tc3_auth;
use super::wire::{Incoming, Outgoing, Reject, auth_params, get};
use crate::meta::Family;
use crate::runtime::time_fmt::iso8601;

/// An identity endpoint.
#[derive(Debug)]
pub(crate) enum Route {
    TencentRole(Option<String>),
    AlibabaToken,
    AlibabaRole(Option<String>),
    HuaweiToken,
    HuaweiSecurityKey,
    TencentSts,
    AlibabaSts,
    HuaweiSts,
}

const TENCENT_ROLES: &str = "/latest/meta-data/cam/security-credentials/";
const ALIBABA_ROLES: &str = "/latest/meta-data/ram/security-credentials/";

/// Whether the request is for an identity endpoint.
pub(crate) fn route(req: &Incoming, params: &[(String, String)]) -> Option<Route> {
    let rest = |prefix: &str| {
        let r = req.path.strip_prefix(prefix)?;
        Some((!r.is_empty()).then(|| r.to_owned()))
    };
    match req.method.as_str() {
        "GET" => {
            if let Some(role) = rest(TENCENT_ROLES) {
                return Some(Route::TencentRole(role));
            }
            if let Some(role) = rest(ALIBABA_ROLES) {
                return Some(Route::AlibabaRole(role));
            }
            if req.path == "/openstack/latest/securitykey" {
                return Some(Route::HuaweiSecurityKey);
            }
        }
        "PUT" if req.path == "/latest/api/token" => return Some(Route::AlibabaToken),
        "PUT" if req.path == "/meta-data/latest/api/token" => return Some(Route::HuaweiToken),
        "POST" if req.path == "/v3.0/OS-CREDENTIAL/securitytokens" => {
            return Some(Route::HuaweiSts);
        }
        _ => {}
    }
    if req.header("x-tc-action").map(str::trim) == Some("AssumeRole")
        && parse_tc3_auth(req).is_ok_and(|a| a.service == "sts")
    {
        return Some(Route::TencentSts);
    }
    let action = req.header("x-acs-action").or_else(|| get(params, "Action"));
    let version = req
        .header("x-acs-version")
        .or_else(|| get(params, "Version"));
    if action == Some("AssumeRole") && version == Some("2015-04-01") {
        return Some(Route::AlibabaSts);
    }
    None
}

/// Answers an identity request.
pub(crate) fn handle(
    shared: &Shared,
    route: Route,
    req: &Incoming,
    params: &[(String, String)],
) -> Outgoing {
    let now = shared.config.clock.now_unix();
    let mut st = shared.lock();
    match route {
        Route::TencentRole(role) => metadata(shared, &mut st, "tencent", role, None, now),
        Route::AlibabaRole(role) => {
            let t = req.header("x-aliyun-ecs-metadata-token");
            metadata(shared, &mut st, "alibaba", role, Some(t), now)
        }
        Route::HuaweiSecurityKey => {
            let t = req.header("x-metadata-token");
            let role = Some(shared.config.role_name.clone());
            metadata(shared, &mut st, "huawei", role, Some(t), now)
        }
        Route::AlibabaToken => session_token(
            shared,
            &mut st,
            req,
            "x-aliyun-ecs-metadata-token-ttl-seconds",
            now,
        ),
        Route::HuaweiToken => {
            session_token(shared, &mut st, req, "x-metadata-token-ttl-seconds", now)
        }
        Route::TencentSts => sts(shared, &mut st, Family::TencentTc3, req, params, now),
        Route::AlibabaSts => sts(shared, &mut st, Family::AlibabaRpc, req, params, now),
        Route::HuaweiSts => sts(shared, &mut st, Family::HuaweiRest, req, params, now),
    }
}

fn text(status: u16, body: impl Into<String>) -> Outgoing {
    Outgoing {
        status,
        headers: vec![("Content-Type".into(), "text/plain".into())],
        body: body.into().into_bytes(),
    }
}

fn session_token(
    shared: &Shared,
    st: &mut State,
    req: &Incoming,
    ttl_header: &str,
    now: i64,
) -> Outgoing {
    let ttl = req
        .header(ttl_header)
        .and_then(|v| v.trim().parse::<i64>().ok());
    let Some(ttl) = ttl.filter(|t| (1..=21_600).contains(t)) else {
        return text(400, format!("{ttl_header} must be 1 to 21600 seconds"));
    };
    let token = shared.config.ids.next_hex(24);
    st.metadata_tokens.retain(|_, exp| *exp > now);
    st.metadata_tokens.insert(token.clone(), now + ttl);
    text(200, token)
}

/// A metadata credentials answer. `token`: `None` for Tencent (no session tokens), else the
/// session token header as received.
fn metadata(
    shared: &Shared,
    st: &mut State,
    provider: &'static str,
    role: Option<String>,
    token: Option<Option<&str>>,
    now: i64,
) -> Outgoing {
    let cfg = &shared.config;
    if let Some(t) = token {
        let valid = t.is_some_and(|t| st.metadata_tokens.get(t).is_some_and(|exp| *exp > now));
        if (t.is_some() || cfg.metadata_token_required) && !valid {
            return text(
                401,
                "Unauthorized: a valid metadata session token is required",
            );
        }
    }
    let Some(role) = role else {
        return text(200, cfg.role_name.clone());
    };
    if role != cfg.role_name {
        return text(
            404,
            format!("no role `{role}` is attached to this instance"),
        );
    }
    let exp = now + cfg.temp_credentials_lifetime_secs;
    let k = issue(cfg, st, provider, "metadata", exp);
    let body = match provider {
        "tencent" => json!({
            "TmpSecretId": k.id, "TmpSecretKey": k.secret, "Token": k.token,
            "ExpiredTime": exp, "Expiration": iso8601(exp), "Code": "Success",
        }),
        "alibaba" => json!({
            "AccessKeyId": k.id, "AccessKeySecret": k.secret, "SecurityToken": k.token,
            "Expiration": iso8601(exp), "LastUpdated": iso8601(now), "Code": "Success",
        }),
        _ => huawei_credential(&k, exp),
    };
    Outgoing::json(200, &body)
}

/// Issued credentials, returned in the clear to put in an answer.
struct Issued {
    id: String,
    secret: String,
    token: String,
}

fn issue(
    cfg: &EmulatorConfig,
    st: &mut State,
    provider: &'static str,
    source: &str,
    exp: i64,
) -> Issued {
    let ids = cfg.ids.as_ref();
    let id = match provider {
        "tencent" => format!("AKIDtmp{}", ids.next_hex(12)),
        "alibaba" => format!("STS.emu{}", ids.next_hex(12)),
        _ => format!("HWTMP{}", ids.next_hex(12).to_ascii_uppercase()),
    };
    let issued = Issued {
        id,
        secret: ids.next_hex(20),
        token: format!(
            "{}{}",
            if provider == "alibaba" { "CAIS" } else { "tmp" },
            ids.next_hex(32)
        ),
    };
    st.temp_keys.insert(
        issued.id.clone(),
        TempKey {
            provider,
            secret: issued.secret.clone().into(),
            token: issued.token.clone().into(),
            expires_at: exp,
        },
    );
    *st.issued.entry(format!("{provider}/{source}")).or_default() += 1;
    issued
}

fn huawei_credential(k: &Issued, exp: i64) -> Value {
    let s = iso8601(exp);
    json!({"credential": {
        "access": k.id, "secret": k.secret, "securitytoken": k.token,
        "expires_at": format!("{}.000000Z", &s[..s.len() - 1]),
    }})
}

/// The key a request of `family` is signed with: the configured one, or temporary credentials
/// this emulator issued (then the request must carry their security token and they must not
/// have expired). An unknown id gets the configured key, which the verifier then refuses.
pub(crate) fn key_for<'a>(
    cfg: &'a EmulatorConfig,
    st: &State,
    family: Family,
    req: &Incoming,
    params: &[(String, String)],
    now: i64,
) -> Result<Cow<'a, KeyPair>, Reject> {
    let auth_kv = |prefix: &str| {
        req.header("authorization")
            .and_then(|a| a.strip_prefix(prefix))
            .map(auth_params)
            .unwrap_or_default()
    };
    let (configured, id, presented, provider) = match family {
        Family::TencentApi2 => (
            &cfg.tencent,
            get(params, "SecretId").map(str::to_owned),
            get(params, "Token"),
            "tencent",
        ),
        Family::TencentTc3 => (
            &cfg.tencent,
            parse_tc3_auth(req).ok().map(|a| a.secret_id),
            req.header("x-tc-token"),
            "tencent",
        ),
        Family::AlibabaRpc => (
            &cfg.alibaba,
            get(&auth_kv("ACS3-HMAC-SHA256 "), "Credential")
                .or_else(|| get(params, "AccessKeyId"))
                .map(str::to_owned),
            req.header("x-acs-security-token")
                .or_else(|| get(params, "SecurityToken")),
            "alibaba",
        ),
        Family::HuaweiRest => (
            &cfg.huawei,
            get(&auth_kv("SDK-HMAC-SHA256 "), "Access").map(str::to_owned),
            req.header("x-security-token"),
            "huawei",
        ),
    };
    let Some(t) = id
        .filter(|id| *id != configured.id)
        .and_then(|id| Some((st.temp_keys.get(&id)?, id)))
        .filter(|(t, _)| t.provider == provider)
    else {
        return Ok(Cow::Borrowed(configured));
    };
    let (t, id) = t;
    if t.expires_at <= now {
        return Err(token_reject(family, true));
    }
    let token_ok =
        presented.is_some_and(|p| super::wire::ct_eq(p.as_bytes(), t.token.expose().as_bytes()));
    if !token_ok {
        return Err(token_reject(family, false));
    }
    Ok(Cow::Owned(KeyPair::new(id, t.secret.clone())))
}

fn token_reject(family: Family, expired: bool) -> Reject {
    let what = if expired {
        "the temporary credentials have expired"
    } else {
        "the security token is missing or does not match the temporary access key"
    };
    match family {
        Family::TencentTc3 => Reject::new(
            "AuthFailure.TokenFailure",
            format!("Token failure: {what}."),
            200,
        ),
        Family::TencentApi2 => Reject::new("4100", format!("token failure: {what}"), 200),
        Family::AlibabaRpc if expired => Reject::new(
            "InvalidSecurityToken.Expired",
            "Specified SecurityToken is expired.",
            403,
        ),
        Family::AlibabaRpc => Reject::new(
            "InvalidSecurityToken.MismatchWithAccessKey",
            "Specified SecurityToken mismatch with the AccessKey.",
            403,
        ),
        Family::HuaweiRest => Reject::new(
            "APIG.0301",
            format!("Incorrect IAM authentication information: {what}"),
            401,
        ),
    }
}

/// An STS role assumption: authenticated like an action of the family, then checked and
/// answered.
fn sts(
    shared: &Shared,
    st: &mut State,
    family: Family,
    req: &Incoming,
    params: &[(String, String)],
    now: i64,
) -> Outgoing {
    let cfg = &shared.config;
    let rid = request_id(family, cfg.ids.as_ref());
    let refuse = |r: Reject| match family {
        Family::HuaweiRest => Outgoing::json(
            r.status,
            &json!({"error": {"code": r.code, "message": r.message, "title": "Bad Request"}}),
        )
        .with_header("X-Request-Id", rid.as_str()),
        _ => responses::error(family, &r, req.host(), &rid),
    };
    if let Err(r) = super::handler::authenticate(shared, st, family, req, params, now) {
        return refuse(r);
    }
    let asked = match family {
        Family::TencentTc3 => tencent_request(req),
        Family::AlibabaRpc => alibaba_request(params),
        _ => huawei_request(req),
    };
    let (duration, role) = match asked {
        Ok(a) => a,
        Err(r) => return refuse(r),
    };
    let exp = now + duration;
    match family {
        Family::TencentTc3 => {
            let k = issue(cfg, st, "tencent", "sts", exp);
            let body = json!({"Response": {
                "Credentials": {"Token": k.token, "TmpSecretId": k.id, "TmpSecretKey": k.secret},
                "ExpiredTime": exp, "Expiration": iso8601(exp), "RequestId": rid,
            }});
            responses::success(family, &body, &rid)
        }
        Family::AlibabaRpc => {
            let k = issue(cfg, st, "alibaba", "sts", exp);
            let body = json!({
                "RequestId": rid,
                "AssumedRoleUser": {"Arn": role, "AssumedRoleId": format!("{}:{}", cfg.ids.next_hex(8), role)},
                "Credentials": {
                    "AccessKeyId": k.id, "AccessKeySecret": k.secret,
                    "SecurityToken": k.token, "Expiration": iso8601(exp),
                },
            });
            responses::success(family, &body, &rid)
        }
        _ => {
            let k = issue(cfg, st, "huawei", "sts", exp);
            let mut out = Outgoing::json(201, &huawei_credential(&k, exp));
            out.headers.push(("X-Request-Id".into(), rid));
            out
        }
    }
}

fn session_name_ok(s: &str, max: usize) -> bool {
    (2..=max).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
}

fn duration(
    v: Option<i64>,
    default: i64,
    range: std::ops::RangeInclusive<i64>,
) -> Result<i64, String> {
    let d = v.unwrap_or(default);
    if range.contains(&d) {
        Ok(d)
    } else {
        Err(format!(
            "DurationSeconds {d} is not within {} to {}",
            range.start(),
            range.end()
        ))
    }
}

/// Tencent: the JSON body's `RoleArn`, `RoleSessionName`, `DurationSeconds`.
fn tencent_request(req: &Incoming) -> Result<(i64, String), Reject> {
    let bad = |c: &str, m: String| Reject::new(c, m, 200);
    let v: Value = serde_json::from_slice(&req.body)
        .map_err(|e| bad("InvalidParameter", format!("the body is not JSON: {e}")))?;
    let arn = v.get("RoleArn").and_then(Value::as_str).unwrap_or_default();
    if !(arn.starts_with("qcs::cam::uin/") && arn.contains(":role")) {
        return Err(bad(
            "InvalidParameterValue",
            format!(
                "RoleArn `{arn}` is not a role resource description (qcs::cam::uin/<uin>:roleName/<name>)"
            ),
        ));
    }
    let session = v
        .get("RoleSessionName")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !session_name_ok(session, 128) {
        return Err(bad(
            "InvalidParameterValue",
            "RoleSessionName must be 2 to 128 characters of [\\w+=,.@-]".to_owned(),
        ));
    }
    let d = duration(
        v.get("DurationSeconds").and_then(Value::as_i64),
        7200,
        1..=43_200,
    )
    .map_err(|m| bad("InvalidParameterValue", m))?;
    Ok((d, arn.to_owned()))
}

/// Alibaba: the `RoleArn`, `RoleSessionName`, `DurationSeconds` parameters.
fn alibaba_request(params: &[(String, String)]) -> Result<(i64, String), Reject> {
    let bad = |c: &str, m: String| Reject::new(c, m, 400);
    let arn = get(params, "RoleArn").ok_or_else(|| {
        bad(
            "MissingRoleArn",
            "RoleArn is mandatory for this action.".to_owned(),
        )
    })?;
    if !(arn.starts_with("acs:ram::") && arn.contains(":role/")) {
        return Err(bad(
            "InvalidParameter.RoleArn",
            format!("The parameter RoleArn `{arn}` is wrongly formed."),
        ));
    }
    let session = get(params, "RoleSessionName").ok_or_else(|| {
        bad(
            "MissingRoleSessionName",
            "RoleSessionName is mandatory for this action.".to_owned(),
        )
    })?;
    if !session_name_ok(session, 64) {
        return Err(bad(
            "InvalidParameter.RoleSessionName",
            "RoleSessionName must be 2 to 64 characters of [\\w.@-]".to_owned(),
        ));
    }
    let asked = get(params, "DurationSeconds")
        .map(|d| {
            d.parse::<i64>().map_err(|_| {
                bad(
                    "InvalidParameter.DurationSeconds",
                    format!("DurationSeconds `{d}` is not an integer"),
                )
            })
        })
        .transpose()?;
    let d = duration(asked, 3600, 900..=43_200)
        .map_err(|m| bad("InvalidParameter.DurationSeconds", m))?;
    let account = arn
        .trim_start_matches("acs:ram::")
        .split(':')
        .next()
        .unwrap_or_default();
    let name = arn.rsplit('/').next().unwrap_or_default();
    Ok((
        d,
        format!("acs:ram::{account}:assumed-role/{name}/{session}"),
    ))
}

/// Huawei: `auth.identity` with method `assume_role`, an agency and a domain.
fn huawei_request(req: &Incoming) -> Result<(i64, String), Reject> {
    let bad = |m: String| Reject::new("400", m, 400);
    let v: Value = serde_json::from_slice(&req.body)
        .map_err(|e| bad(format!("The request body is not JSON: {e}")))?;
    let id = v
        .pointer("/auth/identity")
        .ok_or_else(|| bad("auth.identity is required".to_owned()))?;
    let methods = id.get("methods").and_then(Value::as_array);
    if !methods.is_some_and(|m| m.iter().any(|x| x == "assume_role")) {
        return Err(bad(
            "auth.identity.methods must be [\"assume_role\"]".to_owned()
        ));
    }
    let role = id
        .get("assume_role")
        .ok_or_else(|| bad("auth.identity.assume_role is required".to_owned()))?;
    let agency = role
        .get("agency_name")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    let domain = role
        .get("domain_name")
        .or_else(|| role.get("domain_id"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    let (Some(agency), Some(domain)) = (agency, domain) else {
        return Err(bad(
            "assume_role needs agency_name and domain_name or domain_id".to_owned(),
        ));
    };
    let d = duration(
        role.get("duration_seconds").and_then(Value::as_i64),
        900,
        900..=86_400,
    )
    .map_err(bad)?;
    Ok((d, format!("{domain}/{agency}")))
}
