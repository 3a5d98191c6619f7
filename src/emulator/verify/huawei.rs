//! Server-side verification of Huawei requests: AK/SK `SDK-HMAC-SHA256` and IAM tokens, and
//! the emulated IAM `POST /v3/auth/tokens`.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::emulator::config::{IamUser, KeyPair};
use crate::emulator::wire::{Incoming, Outgoing, Reject, auth_params, ct_eq, get, parse_form};
use crate::runtime::credentials::Secret;
use crate::runtime::crypto::{hmac_sha256, sha256_hex};
use crate::runtime::encode::canonical_query;
use crate::runtime::time_fmt::iso8601;

/// Huawei's clock-skew window, seconds (15 minutes).
pub(crate) const WINDOW_SECS: i64 = 900;

fn apig(code: &str, message: impl Into<String>) -> Reject {
    Reject::new(code, message, 401)
}

/// Parses `YYYYMMDDTHHMMSSZ`.
fn parse_basic(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let ext = format!(
        "{}-{}-{}T{}:{}:{}Z",
        s.get(0..4)?,
        s.get(4..6)?,
        s.get(6..8)?,
        s.get(9..11)?,
        s.get(11..13)?,
        s.get(13..15)?
    );
    crate::runtime::time_fmt::parse_iso8601_utc(&ext)
}

/// AK/SK: canonical request from the received request (path as received plus a final `/`,
/// query re-sorted and encoded, the headers named in `SignedHeaders`, SHA-256 of the body).
pub(crate) fn verify_aksk(req: &Incoming, key: &KeyPair, now: i64) -> Result<(), Reject> {
    let bad = |m: &str| {
        apig(
            "APIG.0301",
            format!("Incorrect IAM authentication information: {m}"),
        )
    };
    let auth = req.header("authorization").unwrap_or_default();
    let rest = auth
        .strip_prefix("SDK-HMAC-SHA256 ")
        .ok_or_else(|| bad("unsupported authorization algorithm"))?;
    let kv = auth_params(rest);
    let (Some(ak), Some(signed_headers), Some(signature)) = (
        get(&kv, "Access"),
        get(&kv, "SignedHeaders"),
        get(&kv, "Signature"),
    ) else {
        return Err(bad(
            "authorization lacks Access, SignedHeaders or Signature",
        ));
    };
    if ak != key.id {
        return Err(bad("Get secretKey failed: ak not exist"));
    }
    let date = req
        .header("x-sdk-date")
        .ok_or_else(|| bad("missing X-Sdk-Date"))?;
    let t = parse_basic(date).ok_or_else(|| bad("X-Sdk-Date is not YYYYMMDDTHHMMSSZ"))?;
    if (now - t).abs() > WINDOW_SECS {
        return Err(apig(
            "APIG.0303",
            format!(
                "Incorrect app authentication information: signature expired (X-Sdk-Date {date} is more than {WINDOW_SECS} s from server time)"
            ),
        ));
    }
    let names: Vec<&str> = signed_headers.split(';').collect();
    let mut canonical_headers = String::new();
    for name in &names {
        let v = req
            .header(name)
            .ok_or_else(|| bad(&format!("signed header {name} was not sent")))?;
        canonical_headers.push_str(&format!("{name}:{}\n", v.trim()));
    }
    let query = parse_form(&req.query).ok_or_else(|| bad("malformed query string"))?;
    let mut uri = if req.path.is_empty() {
        "/".to_owned()
    } else {
        req.path.clone()
    };
    if !uri.ends_with('/') {
        uri.push('/');
    }
    let payload = if req.header("x-sdk-content-sha256") == Some("UNSIGNED-PAYLOAD") {
        "UNSIGNED-PAYLOAD".to_owned()
    } else {
        sha256_hex(&req.body)
    };
    let canonical = format!(
        "{}\n{uri}\n{}\n{canonical_headers}\n{signed_headers}\n{payload}",
        req.method,
        canonical_query(&query)
    );
    let sts = format!(
        "SDK-HMAC-SHA256\n{date}\n{}",
        sha256_hex(canonical.as_bytes())
    );
    let expected = hex::encode(hmac_sha256(key.secret.expose().as_bytes(), sts.as_bytes()));
    if !ct_eq(expected.as_bytes(), signature.as_bytes()) {
        return Err(bad("verify aksk signature fail"));
    }
    Ok(())
}

/// Token mode: the token must be the configured one or an unexpired issued one.
pub(crate) fn verify_token(
    token: &str,
    configured: Option<&Secret>,
    issued: &HashMap<String, i64>,
    now: i64,
) -> Result<(), Reject> {
    if configured.is_some_and(|c| ct_eq(c.expose().as_bytes(), token.as_bytes())) {
        return Ok(());
    }
    match issued.get(token) {
        Some(exp) if *exp > now => Ok(()),
        Some(_) => Err(apig(
            "APIG.0301",
            "Incorrect IAM authentication information: the token expired",
        )),
        None => Err(apig(
            "APIG.0301",
            "Incorrect IAM authentication information: decrypt token fail",
        )),
    }
}

/// What the emulated IAM answers: a token to remember (with its expiry) and the response.
pub(crate) enum IamOutcome {
    Issued {
        token: String,
        expires_at: i64,
        response: Outgoing,
    },
    Refused(Outgoing),
}

fn iam_error(status: u16, message: &str, request_id: &str) -> IamOutcome {
    let title = if status == 401 {
        "Unauthorized"
    } else {
        "Bad Request"
    };
    IamOutcome::Refused(
        Outgoing::json(
            status,
            &json!({"error": {"code": status, "message": message, "title": title}}),
        )
        .with_header("X-Request-Id", request_id),
    )
}

fn fractional(t: i64) -> String {
    let s = iso8601(t);
    format!("{}.000000Z", &s[..s.len() - 1])
}

/// `POST /v3/auth/tokens` with password authentication and a project scope.
pub(crate) fn issue_token(
    req: &Incoming,
    user: &IamUser,
    now: i64,
    lifetime: i64,
    token: String,
    request_id: &str,
) -> IamOutcome {
    let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
        return iam_error(400, "The request body is not JSON.", request_id);
    };
    let u = body.pointer("/auth/identity/password/user");
    let text = |p: &str| u.and_then(|u| u.pointer(p)).and_then(Value::as_str);
    let project = body.pointer("/auth/scope/project");
    let Some(project) = project.filter(|p| p.get("id").is_some() || p.get("name").is_some()) else {
        return iam_error(
            400,
            "A project-scoped token is required: give auth.scope.project.",
            request_id,
        );
    };
    let password_ok =
        text("/password").is_some_and(|p| ct_eq(p.as_bytes(), user.password.expose().as_bytes()));
    if text("/name") != Some(user.user.as_str())
        || text("/domain/name") != Some(user.domain.as_str())
        || !password_ok
    {
        return iam_error(401, "The username or password is wrong.", request_id);
    }
    let expires_at = now + lifetime;
    let name = project
        .get("name")
        .cloned()
        .unwrap_or(json!("emulator-project"));
    let id = project
        .get("id")
        .cloned()
        .unwrap_or(json!("0emulatorproject0000000000000000"));
    let response = Outgoing::json(
        201,
        &json!({"token": {
            "expires_at": fractional(expires_at),
            "issued_at": fractional(now),
            "methods": ["password"],
            "project": {"name": name, "id": id},
            "user": {"name": user.user, "domain": {"name": user.domain}},
        }}),
    )
    .with_header("X-Subject-Token", token.clone())
    .with_header("X-Request-Id", request_id);
    IamOutcome::Issued {
        token,
        expires_at,
        response,
    }
}
