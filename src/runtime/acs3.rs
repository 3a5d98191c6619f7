//! Alibaba Cloud RPC signing V3, `ACS3-HMAC-SHA256` (protocols.md §4).
//!
//! Parameters go in the sorted RFC 3986 query string; `host`, `content-type` and every
//! `x-acs-*` header are signed; the signature is lowercase hex HMAC-SHA256 under the raw
//! AccessKeySecret of `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request.

use super::clock::NonceSource;
use super::credentials::AlibabaCredentials;
use sha2::{Digest, Sha256};

use super::crypto::{hex32, hmac_sha256, lower_sorted, push_headers_block, push_sha256_hex};
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
    let payload_hash = hex32(&Sha256::digest(&body));
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

    let signed = lower_sorted(
        headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .filter(|(k, _)| is_signed_header(k)),
    );
    let mut canonical_request = String::with_capacity(256 + path.len() + query.len());
    canonical_request.push_str(req.method.as_str());
    canonical_request.push('\n');
    canonical_request.push_str(&path);
    canonical_request.push('\n');
    canonical_request.push_str(&query);
    canonical_request.push('\n');
    let names = push_headers_block(&mut canonical_request, &signed);
    canonical_request.push('\n');
    canonical_request.push_str(&payload_hash);
    let signed_headers = &canonical_request[names];
    let mut string_to_sign = String::with_capacity(17 + 64);
    string_to_sign.push_str("ACS3-HMAC-SHA256\n");
    push_sha256_hex(&mut string_to_sign, canonical_request.as_bytes());
    let signature = hex32(&hmac_sha256(
        creds.access_key_secret().expose().as_bytes(),
        string_to_sign.as_bytes(),
    ));
    let mut authorization = String::with_capacity(
        64 + creds.access_key_id().len() + signed_headers.len() + signature.len(),
    );
    authorization.push_str("ACS3-HMAC-SHA256 Credential=");
    authorization.push_str(creds.access_key_id());
    authorization.push_str(",SignedHeaders=");
    authorization.push_str(signed_headers);
    authorization.push_str(",Signature=");
    authorization.push_str(&signature);
    drop(signed);
    headers.insert(0, ("Authorization".into(), authorization));
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
