//! Server-side verification of Tencent API 2.0 (`Signature` parameter) and TC3
//! (`Authorization: TC3-HMAC-SHA256 ...`) requests.

use crate::emulator::config::KeyPair;
use crate::emulator::wire::{Incoming, Reject, auth_params, ct_eq, get};
use crate::runtime::crypto::{base64, hmac_sha1, hmac_sha256, sha256_hex};
use crate::runtime::tc3::derive_tc3_keys;
use crate::runtime::tencent_v2::request_string;
use crate::runtime::time_fmt::utc_date;

/// Tencent's replay window, seconds (protocols.md: 5 minutes).
pub(crate) const WINDOW_SECS: i64 = 300;

fn v2(code: u32, message: impl Into<String>) -> Reject {
    Reject::new(code.to_string(), message, 200)
}

/// API 2.0: checks SecretId, Timestamp window and Signature over every received parameter
/// (HmacSHA256 when `SignatureMethod=HmacSHA256`, else HmacSHA1). Returns the nonce key.
pub(crate) fn verify_v2(
    req: &Incoming,
    params: &[(String, String)],
    key: &KeyPair,
    now: i64,
) -> Result<String, Reject> {
    let signature = get(params, "Signature").ok_or_else(|| v2(4100, "missing `Signature`"))?;
    let secret_id = get(params, "SecretId").ok_or_else(|| v2(4100, "missing `SecretId`"))?;
    if secret_id != key.id {
        return Err(v2(4104, format!("the SecretId {secret_id} does not exist")));
    }
    let ts: i64 = get(params, "Timestamp")
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| v2(4000, "`Timestamp` is missing or not an integer"))?;
    if (now - ts).abs() > WINDOW_SECS {
        return Err(v2(
            4500,
            format!(
                "request expired: Timestamp {ts} is more than {WINDOW_SECS} s from server time {now}"
            ),
        ));
    }
    let nonce = get(params, "Nonce").ok_or_else(|| v2(4000, "missing `Nonce`"))?;
    let signed: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "Signature")
        .cloned()
        .collect();
    let sts = format!(
        "{}{}{}?{}",
        req.method,
        req.host_without_port(),
        req.path,
        request_string(&signed)
    );
    let secret = key.secret.expose().as_bytes();
    let expected = match get(params, "SignatureMethod") {
        Some("HmacSHA256") => base64(&hmac_sha256(secret, sts.as_bytes())),
        _ => base64(&hmac_sha1(secret, sts.as_bytes())),
    };
    if !ct_eq(expected.as_bytes(), signature.as_bytes()) {
        return Err(v2(
            4100,
            "authentication failed: the signature does not match",
        ));
    }
    Ok(format!("tencent-v2|{secret_id}|{nonce}"))
}

/// The API 2.0 answer to a reused nonce.
pub(crate) fn v2_replay() -> Reject {
    v2(4500, "replay attack: the Nonce was already used")
}

fn tc3(code: &str, message: impl Into<String>) -> Reject {
    Reject::new(code, message, 200)
}

/// The parts of a TC3 `Authorization` header.
pub(crate) struct Tc3Auth {
    pub(crate) secret_id: String,
    pub(crate) date: String,
    pub(crate) service: String,
    signed_headers: String,
    signature: String,
}

/// Parses `TC3-HMAC-SHA256 Credential=id/date/service/tc3_request, SignedHeaders=.., Signature=..`.
pub(crate) fn parse_tc3_auth(req: &Incoming) -> Result<Tc3Auth, Reject> {
    let invalid = |m: &str| tc3("AuthFailure.InvalidAuthorization", m);
    let auth = req
        .header("authorization")
        .ok_or_else(|| invalid("missing `Authorization` header"))?;
    let rest = auth
        .strip_prefix("TC3-HMAC-SHA256 ")
        .ok_or_else(|| invalid("`Authorization` must start with TC3-HMAC-SHA256"))?;
    let kv = auth_params(rest);
    let field = |n: &str| {
        get(&kv, n)
            .map(str::to_owned)
            .ok_or_else(|| invalid(&format!("`Authorization` lacks {n}")))
    };
    let credential = field("Credential")?;
    let parts: Vec<&str> = credential.split('/').collect();
    let [id, date, service, "tc3_request"] = parts.as_slice() else {
        return Err(invalid(
            "Credential must be SecretId/Date/Service/tc3_request",
        ));
    };
    Ok(Tc3Auth {
        secret_id: (*id).to_owned(),
        date: (*date).to_owned(),
        service: (*service).to_owned(),
        signed_headers: field("SignedHeaders")?,
        signature: field("Signature")?,
    })
}

/// TC3: rebuilds the canonical request from the received request (signed-header list from
/// `Authorization`, the query exactly as received, the hash of the received body) and checks
/// the signature, the SecretId and the `X-TC-Timestamp` window.
pub(crate) fn verify_tc3(req: &Incoming, key: &KeyPair, now: i64) -> Result<(), Reject> {
    let auth = parse_tc3_auth(req)?;
    if auth.secret_id != key.id {
        return Err(tc3(
            "AuthFailure.SecretIdNotFound",
            format!("the SecretId {} does not exist", auth.secret_id),
        ));
    }
    let ts: i64 = req
        .header("x-tc-timestamp")
        .ok_or_else(|| tc3("MissingParameter", "missing `X-TC-Timestamp` header"))?
        .trim()
        .parse()
        .map_err(|_| tc3("InvalidParameter", "`X-TC-Timestamp` is not an integer"))?;
    if (now - ts).abs() > WINDOW_SECS {
        return Err(tc3(
            "AuthFailure.SignatureExpire",
            format!(
                "signature expired: X-TC-Timestamp {ts} is more than {WINDOW_SECS} s from server time {now}"
            ),
        ));
    }
    let failure = |m: String| tc3("AuthFailure.SignatureFailure", m);
    if auth.date != utc_date(ts) {
        return Err(failure(format!(
            "the credential date {} is not the UTC date of X-TC-Timestamp ({})",
            auth.date,
            utc_date(ts)
        )));
    }
    let names: Vec<&str> = auth.signed_headers.split(';').collect();
    if !names.contains(&"content-type") || !names.contains(&"host") {
        return Err(failure(
            "SignedHeaders must include content-type and host".into(),
        ));
    }
    let mut canonical_headers = String::new();
    for name in &names {
        let v = req
            .header(name)
            .ok_or_else(|| failure(format!("signed header `{name}` was not sent")))?;
        canonical_headers.push_str(&format!("{name}:{}\n", v.trim().to_ascii_lowercase()));
    }
    let payload_hash = if req.header("x-tc-content-sha256") == Some("UNSIGNED-PAYLOAD") {
        sha256_hex(b"UNSIGNED-PAYLOAD")
    } else {
        sha256_hex(&req.body)
    };
    let canonical = format!(
        "{}\n{}\n{}\n{canonical_headers}\n{}\n{payload_hash}",
        req.method, req.path, req.query, auth.signed_headers
    );
    let sts = format!(
        "TC3-HMAC-SHA256\n{ts}\n{}/{}/tc3_request\n{}",
        auth.date,
        auth.service,
        sha256_hex(canonical.as_bytes())
    );
    let keys = derive_tc3_keys(key.secret.expose(), &auth.date, &auth.service);
    let expected = hex::encode(hmac_sha256(&keys.secret_signing, sts.as_bytes()));
    if !ct_eq(expected.as_bytes(), auth.signature.as_bytes()) {
        return Err(failure(
            "the provided credentials could not be validated: the signature does not match".into(),
        ));
    }
    Ok(())
}
