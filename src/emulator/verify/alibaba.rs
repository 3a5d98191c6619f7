//! Server-side verification of Alibaba RPC requests: ACS3-HMAC-SHA256 (`Authorization`
//! header) and V2 HMAC-SHA1 (`Signature` parameter).

use crate::emulator::config::KeyPair;
use crate::emulator::wire::{Incoming, Reject, auth_params, ct_eq, get, parse_form};
use crate::runtime::acs_v2;
use crate::runtime::crypto::{hmac_sha256, sha256_hex};
use crate::runtime::encode::canonical_query;
use crate::runtime::request::HttpMethod;
use crate::runtime::time_fmt::parse_iso8601_utc;

/// Alibaba's clock-skew window, seconds (15 minutes).
pub(crate) const WINDOW_SECS: i64 = 900;

fn err(code: &str, message: impl Into<String>) -> Reject {
    let status = match code {
        "InvalidAccessKeyId.NotFound" => 404,
        _ => 400,
    };
    Reject::new(code, message, status)
}

fn check_time(value: Option<&str>, what: &str, now: i64) -> Result<(), Reject> {
    let v = value.ok_or_else(|| {
        err(
            "MissingParameter",
            format!("{what} is mandatory for this action."),
        )
    })?;
    let t = parse_iso8601_utc(v).ok_or_else(|| {
        err(
            "InvalidTimeStamp.Format",
            format!("Specified time stamp or date value is not well formatted: {v}"),
        )
    })?;
    if (now - t).abs() > WINDOW_SECS {
        return Err(err(
            "InvalidTimeStamp.Expired",
            format!(
                "Specified time stamp or date value is expired: {v} is more than {WINDOW_SECS} s from server time."
            ),
        ));
    }
    Ok(())
}

fn check_key(id: &str, key: &KeyPair) -> Result<(), Reject> {
    if id == key.id {
        Ok(())
    } else {
        Err(err(
            "InvalidAccessKeyId.NotFound",
            format!("Specified access key is not found: {id}"),
        ))
    }
}

fn mismatch(sts: &str) -> Reject {
    err(
        "SignatureDoesNotMatch",
        format!(
            "Specified signature is not matched with our calculation. server string to sign is:{sts}"
        ),
    )
}

/// ACS3: canonical request from the received request (path as received, query re-sorted and
/// RFC 3986 encoded, the signed headers named in `Authorization`, SHA-256 of the received body).
/// Returns the nonce key.
pub(crate) fn verify_acs3(req: &Incoming, key: &KeyPair, now: i64) -> Result<String, Reject> {
    let auth = req.header("authorization").unwrap_or_default();
    let rest = auth.strip_prefix("ACS3-HMAC-SHA256 ").ok_or_else(|| {
        err(
            "IncompleteSignature",
            "The request signature does not conform to Aliyun standards.",
        )
    })?;
    let kv = auth_params(rest);
    let (Some(id), Some(signed_headers), Some(signature)) = (
        get(&kv, "Credential"),
        get(&kv, "SignedHeaders"),
        get(&kv, "Signature"),
    ) else {
        return Err(err(
            "IncompleteSignature",
            "Authorization needs Credential, SignedHeaders and Signature.",
        ));
    };
    check_key(id, key)?;
    check_time(req.header("x-acs-date"), "x-acs-date", now)?;
    let nonce = req.header("x-acs-signature-nonce").ok_or_else(|| {
        err(
            "MissingParameter",
            "x-acs-signature-nonce is mandatory for this action.",
        )
    })?;
    let names: Vec<&str> = signed_headers.split(';').collect();
    if !names.contains(&"host") {
        return Err(err(
            "IncompleteSignature",
            "The host header must be signed.",
        ));
    }
    if let Some((unsigned, _)) = req
        .headers
        .iter()
        .find(|(k, _)| k.starts_with("x-acs-") && !names.contains(&k.as_str()))
    {
        return Err(err(
            "IncompleteSignature",
            format!("The header {unsigned} must be signed."),
        ));
    }
    let payload_hash = sha256_hex(&req.body);
    if req
        .header("x-acs-content-sha256")
        .is_some_and(|h| !h.eq_ignore_ascii_case(&payload_hash))
    {
        return Err(err(
            "SignatureDoesNotMatch",
            "x-acs-content-sha256 is not the SHA-256 of the body.",
        ));
    }
    let query = parse_form(&req.query)
        .ok_or_else(|| err("InvalidParameter", "The query string is malformed."))?;
    let mut canonical_headers = String::new();
    for name in &names {
        let v = req.header(name).ok_or_else(|| {
            err(
                "IncompleteSignature",
                format!("The signed header {name} was not sent."),
            )
        })?;
        canonical_headers.push_str(&format!("{name}:{}\n", v.trim()));
    }
    let path = if req.path.is_empty() { "/" } else { &req.path };
    let canonical = format!(
        "{}\n{path}\n{}\n{canonical_headers}\n{signed_headers}\n{payload_hash}",
        req.method,
        canonical_query(&query)
    );
    let sts = format!("ACS3-HMAC-SHA256\n{}", sha256_hex(canonical.as_bytes()));
    let expected = hex::encode(hmac_sha256(key.secret.expose().as_bytes(), sts.as_bytes()));
    if !ct_eq(expected.as_bytes(), signature.as_bytes()) {
        return Err(mismatch(&sts));
    }
    Ok(format!("alibaba|{id}|{nonce}"))
}

/// V2 (HMAC-SHA1): every received parameter but `Signature` (query and form body), sorted and
/// encoded, then `METHOD&%2F&enc(...)`. Returns the nonce key.
pub(crate) fn verify_v2(
    req: &Incoming,
    params: &[(String, String)],
    key: &KeyPair,
    now: i64,
) -> Result<String, Reject> {
    let signature = get(params, "Signature")
        .ok_or_else(|| err("IncompleteSignature", "The request signature is missing."))?;
    let id = get(params, "AccessKeyId").ok_or_else(|| {
        err(
            "MissingParameter",
            "AccessKeyId is mandatory for this action.",
        )
    })?;
    check_key(id, key)?;
    match get(params, "SignatureMethod") {
        Some("HMAC-SHA1") => {}
        other => {
            return Err(err(
                "InvalidSignatureMethod",
                format!(
                    "Specified signature method is not valid: {}",
                    other.unwrap_or("")
                ),
            ));
        }
    }
    check_time(get(params, "Timestamp"), "Timestamp", now)?;
    let nonce = get(params, "SignatureNonce").ok_or_else(|| {
        err(
            "MissingParameter",
            "SignatureNonce is mandatory for this action.",
        )
    })?;
    let method = match req.method.as_str() {
        "GET" => HttpMethod::Get,
        "POST" => HttpMethod::Post,
        m => {
            return Err(err(
                "UnsupportedHTTPMethod",
                format!("Specified HTTP method {m} is not supported."),
            ));
        }
    };
    let signed: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "Signature")
        .cloned()
        .collect();
    let sts = acs_v2::string_to_sign(method, &canonical_query(&signed));
    let expected = acs_v2::signature(key.secret.expose(), &sts);
    if !ct_eq(expected.as_bytes(), signature.as_bytes()) {
        return Err(mismatch(&sts));
    }
    Ok(format!("alibaba|{id}|{nonce}"))
}

/// The answer to a reused nonce.
pub(crate) fn replay() -> Reject {
    err(
        "SignatureNonceUsed",
        "Specified signature nonce was used already.",
    )
}
