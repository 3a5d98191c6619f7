//! Alibaba Cloud RPC signing V3, `ACS3-HMAC-SHA256` (protocols.md §4).
//!
//! Parameters go in the sorted RFC 3986 query string; `host`, `content-type` and every
//! `x-acs-*` header are signed; the signature is lowercase hex HMAC-SHA256 under the raw
//! AccessKeySecret of `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request.

use super::clock::NonceSource;
use super::credentials::AlibabaCredentials;
use super::crypto::{hmac_sha256, sha256_hex};
use super::encode::{canonical_query, percent_encode_path};
use super::request::{
    OperationContext, SignError, Signed, SignedRequest, SigningSteps, WireRequest, find_header,
};
use super::time_fmt::iso8601;

fn is_signed_header(lower: &str) -> bool {
    lower == "host" || lower == "content-type" || lower.starts_with("x-acs-")
}

/// Signs an Alibaba RPC call with ACS3-HMAC-SHA256.
///
/// Headers added: `host`, `x-acs-action` (`ctx.action`), `x-acs-version` (`ctx.version`,
/// required), `x-acs-date` (ISO 8601 of `timestamp`), `x-acs-signature-nonce`
/// (`nonce.next_hex(16)`), `x-acs-content-sha256`, `x-acs-security-token` (STS only), and
/// `content-type` when there is a body (from `req.headers`, else `application/json`). Action
/// headers are sent too and signed when they are `host`, `content-type` or `x-acs-*`. Region
/// parameters (`RegionId`) are the generated code's business: they are ordinary `params`.
pub fn sign_acs3(
    ctx: &OperationContext,
    req: &WireRequest,
    creds: &AlibabaCredentials,
    timestamp: i64,
    nonce: &dyn NonceSource,
) -> Result<Signed, SignError> {
    let version = ctx.version.as_deref().ok_or(SignError::MissingVersion)?;
    let body = req.body.clone().unwrap_or_default();
    let payload_hash = sha256_hex(&body);
    let path = if req.path.is_empty() { "/" } else { &req.path };
    let path = percent_encode_path(path);
    let query = canonical_query(&req.params);

    let mut headers: Vec<(String, String)> = vec![
        ("host".into(), ctx.endpoint.host.clone()),
        ("x-acs-action".into(), ctx.action.clone()),
        ("x-acs-version".into(), version.to_owned()),
        ("x-acs-date".into(), iso8601(timestamp)),
        ("x-acs-signature-nonce".into(), nonce.next_hex(16)),
        ("x-acs-content-sha256".into(), payload_hash.clone()),
    ];
    if let Some(token) = creds.security_token() {
        headers.push(("x-acs-security-token".into(), token.expose().to_owned()));
    }
    if req.body.is_some() && find_header(&req.headers, "content-type").is_none() {
        headers.push(("content-type".into(), "application/json".into()));
    }
    for (k, v) in &req.headers {
        if !headers.iter().any(|(h, _)| h.eq_ignore_ascii_case(k)) {
            headers.push((k.clone(), v.clone()));
        }
    }

    let mut signed: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_owned()))
        .filter(|(k, _)| is_signed_header(k))
        .collect();
    signed.sort();
    let canonical_headers: String = signed.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed_headers = signed
        .iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical_request = format!(
        "{}\n{path}\n{query}\n{canonical_headers}\n{signed_headers}\n{payload_hash}",
        req.method.as_str()
    );
    let string_to_sign = format!(
        "ACS3-HMAC-SHA256\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let signature = hex::encode(hmac_sha256(
        creds.access_key_secret().expose().as_bytes(),
        string_to_sign.as_bytes(),
    ));
    headers.insert(
        0,
        (
            "Authorization".into(),
            format!(
                "ACS3-HMAC-SHA256 Credential={},SignedHeaders={signed_headers},Signature={signature}",
                creds.access_key_id()
            ),
        ),
    );
    let mut url = ctx.endpoint.url(&path);
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query);
    }
    Ok(Signed {
        steps: SigningSteps {
            canonical_request,
            string_to_sign,
            signature,
        },
        request: SignedRequest {
            method: req.method,
            url,
            headers,
            body,
        },
    })
}
