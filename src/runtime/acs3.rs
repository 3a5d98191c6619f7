//! Alibaba Cloud RPC signing V3, `ACS3-HMAC-SHA256` (protocols.md §4).
//!
//! Parameters go in the sorted RFC 3986 query string; `host`, `content-type` and every
//! `x-acs-*` header are signed; the signature is lowercase hex HMAC-SHA256 under the raw
//! AccessKeySecret of `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request.

use super::clock::NonceSource;
use super::credentials::AlibabaCredentials;
use super::crypto::{lower_sorted, push_headers_block, push_hex, push_sha256_hex};
use super::encode::{push_canonical_query, push_percent_encoded_path};
use super::mac_cache::MacKeyCache;
use super::request::{
    HeaderName, OperationContext, OperationRef, SignError, Signed, SignedRequest, WireRequest,
    find_header,
};
use super::scratch::{Scratch, with_scratch};
use super::time_fmt::iso8601;

fn is_signed_header(lower: &str) -> bool {
    lower == "host" || lower == "content-type" || lower.starts_with("x-acs-")
}

/// Signs an Alibaba RPC call with ACS3-HMAC-SHA256, returning the request and the steps.
///
/// Headers added: `host`, `x-acs-action` (`ctx.action`), `x-acs-version` (`ctx.version`,
/// required), `x-acs-date` (ISO 8601 of `timestamp`), `x-acs-signature-nonce`
/// (`nonce.next_hex(16)`), `x-acs-content-sha256`, `x-acs-security-token` (STS only), and
/// `content-type` when there is a body (from `req.headers`, else `application/json`). Action
/// headers are sent too and signed when they are `host`, `content-type` or `x-acs-*`. Region
/// parameters (`RegionId`) are the generated code's business: they are ordinary `params`.
/// [`sign_acs3_request`] sends the same bytes without keeping the steps.
pub fn sign_acs3(
    ctx: &OperationContext,
    req: &WireRequest,
    creds: &AlibabaCredentials,
    timestamp: i64,
    nonce: &dyn NonceSource,
) -> Result<Signed, SignError> {
    let mut s = Scratch::default();
    let keys = MacKeyCache::new();
    let (request, mac) = sign_into(
        &ctx.view(),
        req.clone(),
        creds,
        timestamp,
        nonce,
        &keys,
        &mut s,
    )?;
    Ok(s.into_hex_signed(request, &mac))
}

/// Signs as [`sign_acs3`] does, returning only the request to send: what a client sends.
/// Takes the request by value, keeps the steps in per-thread scratch buffers and the keyed
/// HMAC state in `keys`.
pub fn sign_acs3_request(
    ctx: &OperationRef<'_>,
    req: WireRequest,
    creds: &AlibabaCredentials,
    timestamp: i64,
    nonce: &dyn NonceSource,
    keys: &MacKeyCache,
) -> Result<SignedRequest, SignError> {
    with_scratch(|s| sign_into(ctx, req, creds, timestamp, nonce, keys, s)).map(|(r, _)| r)
}

fn sign_into(
    ctx: &OperationRef<'_>,
    mut req: WireRequest,
    creds: &AlibabaCredentials,
    timestamp: i64,
    nonce: &dyn NonceSource,
    keys: &MacKeyCache,
    s: &mut Scratch,
) -> Result<(SignedRequest, [u8; 32]), SignError> {
    let version = ctx.version.ok_or(SignError::MissingVersion)?;
    let has_body = req.body.is_some();
    let body = req.body.take().unwrap_or_default();
    let mut payload_hash = String::with_capacity(64);
    push_sha256_hex(&mut payload_hash, &body);
    let mut url = ctx.endpoint.url_base(req.path.len() + 64);
    let path_start = url.len();
    push_percent_encoded_path(&mut url, if req.path.is_empty() { "/" } else { &req.path });
    let path_end = url.len();
    if !req.params.is_empty() {
        url.push('?');
        push_canonical_query(&mut url, &req.params);
    }
    let path = &url[path_start..path_end];
    let query = url.get(path_end + 1..).unwrap_or_default();

    let mut headers: Vec<(HeaderName, String)> = Vec::with_capacity(10 + req.headers.len());
    // Placeholder, set once signed.
    headers.push(("Authorization".into(), String::new()));
    headers.push(("host".into(), ctx.endpoint.host.clone()));
    headers.push(("x-acs-action".into(), ctx.action.to_owned()));
    headers.push(("x-acs-version".into(), version.to_owned()));
    headers.push(("x-acs-date".into(), iso8601(timestamp)));
    headers.push(("x-acs-signature-nonce".into(), nonce.next_hex(16)));
    headers.push(("x-acs-content-sha256".into(), payload_hash));
    if let Some(token) = creds.security_token() {
        headers.push(("x-acs-security-token".into(), token.expose().to_owned()));
    }
    if has_body && find_header(&req.headers, "content-type").is_none() {
        headers.push(("content-type".into(), "application/json".into()));
    }
    for (k, v) in std::mem::take(&mut req.headers) {
        if !headers[1..].iter().any(|(h, _)| h.eq_ignore_ascii_case(&k)) {
            headers.push((HeaderName::Owned(k), v));
        }
    }

    let signed = lower_sorted(
        headers[1..]
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_str()))
            .filter(|(k, _)| is_signed_header(k)),
    );
    let canonical_request = &mut s.canonical;
    canonical_request.reserve(256 + path.len() + query.len());
    canonical_request.push_str(req.method.as_str());
    canonical_request.push('\n');
    canonical_request.push_str(path);
    canonical_request.push('\n');
    canonical_request.push_str(query);
    canonical_request.push('\n');
    let names = push_headers_block(canonical_request, &signed);
    canonical_request.push('\n');
    // The payload hash is the `x-acs-content-sha256` value.
    canonical_request.push_str(&headers[6].1);
    drop(signed);
    let signed_headers = &s.canonical[names];
    s.sts.reserve(17 + 64);
    s.sts.push_str("ACS3-HMAC-SHA256\n");
    push_sha256_hex(&mut s.sts, s.canonical.as_bytes());
    let mac = keys.hmac_sha256(creds.access_key_secret().expose(), "", s.sts.as_bytes());
    let authorization = &mut headers[0].1;
    authorization.reserve(64 + creds.access_key_id().len() + signed_headers.len() + 64);
    authorization.push_str("ACS3-HMAC-SHA256 Credential=");
    authorization.push_str(creds.access_key_id());
    authorization.push_str(",SignedHeaders=");
    authorization.push_str(signed_headers);
    authorization.push_str(",Signature=");
    push_hex(authorization, &mac);
    Ok((
        SignedRequest {
            method: req.method,
            url,
            headers,
            body,
        },
        mac,
    ))
}
