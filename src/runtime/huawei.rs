//! Huawei Cloud REST requests: IAM token (`x-auth-token`) or AK/SK `SDK-HMAC-SHA256`
//! (protocols.md §5).

use super::clock::NonceSource;
use super::credentials::{HuaweiCredentials, Secret};
use super::crypto::{hmac_sha256, sha256_hex};
use super::encode::{canonical_query, percent_encode_path};
use super::request::{
    OperationContext, SignError, Signed, SignedRequest, SigningSteps, WireRequest, find_header,
};
use super::time_fmt::iso8601_basic;

/// Result of [`sign_huawei`]: token requests have no signature steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HuaweiSigned {
    /// Authorised with `x-auth-token`.
    Token(SignedRequest),
    /// Signed with `SDK-HMAC-SHA256`.
    AkSk(Signed),
}

impl HuaweiSigned {
    /// The request to send.
    pub fn request(&self) -> &SignedRequest {
        match self {
            Self::Token(r) => r,
            Self::AkSk(s) => &s.request,
        }
    }

    /// The request to send, by value.
    pub fn into_request(self) -> SignedRequest {
        match self {
            Self::Token(r) => r,
            Self::AkSk(s) => s.request,
        }
    }
}

/// Authorises a Huawei call with the given credentials (see [`authorize_huawei_token`] and
/// [`sign_huawei_aksk`]).
pub fn sign_huawei(
    ctx: &OperationContext,
    req: &WireRequest,
    creds: &HuaweiCredentials,
    timestamp: i64,
    nonce: &dyn NonceSource,
) -> Result<HuaweiSigned, SignError> {
    match creds {
        HuaweiCredentials::Token(token) => {
            authorize_huawei_token(ctx, req, token, nonce).map(HuaweiSigned::Token)
        }
        HuaweiCredentials::AkSk {
            access_key,
            secret_key,
            security_token,
        } => sign_huawei_aksk(
            ctx,
            req,
            access_key,
            secret_key,
            security_token.as_ref(),
            timestamp,
        )
        .map(HuaweiSigned::AkSk),
    }
}

fn url_of(ctx: &OperationContext, req: &WireRequest) -> String {
    let path = if req.path.is_empty() { "/" } else { &req.path };
    let mut url = ctx.endpoint.url(&percent_encode_path(path));
    let query = canonical_query(&req.params);
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query);
    }
    url
}

/// Base headers shared by both modes: `Content-Type` (when a body is sent and the action set
/// none: `application/json`) followed by `Host`.
fn base_headers(ctx: &OperationContext, req: &WireRequest) -> Vec<(String, String)> {
    let mut headers = Vec::new();
    if req.body.is_some() && find_header(&req.headers, "content-type").is_none() {
        headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
    }
    if find_header(&req.headers, "host").is_none() {
        headers.push(("Host".to_owned(), ctx.endpoint.host.clone()));
    }
    headers
}

/// Token mode: the action's headers plus `x-auth-token`, and a fresh `x-request-id`
/// (`nonce.uuid_v4()`) unless the action supplied one. The query is sorted and RFC 3986
/// encoded; the body is sent as given.
pub fn authorize_huawei_token(
    ctx: &OperationContext,
    req: &WireRequest,
    token: &Secret,
    nonce: &dyn NonceSource,
) -> Result<SignedRequest, SignError> {
    let mut headers = base_headers(ctx, req);
    headers.extend(req.headers.iter().cloned());
    headers.push(("x-auth-token".into(), token.expose().to_owned()));
    if find_header(&req.headers, "x-request-id").is_none() {
        headers.push(("x-request-id".into(), nonce.uuid_v4()));
    }
    Ok(SignedRequest {
        method: req.method,
        url: url_of(ctx, req),
        headers,
        body: req.body.clone().unwrap_or_default(),
    })
}

/// The canonical URI: the encoded path, ending with `/`.
fn canonical_uri(path: &str) -> String {
    let mut p = percent_encode_path(if path.is_empty() { "/" } else { path });
    if !p.ends_with('/') {
        p.push('/');
    }
    p
}

/// AK/SK mode (`SDK-HMAC-SHA256`): adds `Content-Type` (if a body and none given), `Host`,
/// `X-Sdk-Date` (basic ISO 8601 of `timestamp`) and `X-Security-Token` (temporary AK/SK),
/// then signs every header sent (names containing `_` excepted, as the SDK does), including
/// the action's, and finally adds `Authorization`. No `x-request-id` is invented here: the
/// action supplies it in `req.headers` when it needs one.
pub fn sign_huawei_aksk(
    ctx: &OperationContext,
    req: &WireRequest,
    access_key: &str,
    secret_key: &Secret,
    security_token: Option<&Secret>,
    timestamp: i64,
) -> Result<Signed, SignError> {
    let body = req.body.clone().unwrap_or_default();
    let mut headers = base_headers(ctx, req);
    headers.push(("X-Sdk-Date".into(), iso8601_basic(timestamp)));
    if let Some(token) = security_token {
        headers.push(("X-Security-Token".into(), token.expose().to_owned()));
    }
    headers.extend(req.headers.iter().cloned());

    let mut signed: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_owned()))
        .filter(|(k, _)| !k.contains('_') && k != "authorization")
        .collect();
    signed.sort();
    let canonical_headers: String = signed.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed_headers = signed
        .iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical_request = format!(
        "{}\n{}\n{}\n{canonical_headers}\n{signed_headers}\n{}",
        req.method.as_str(),
        canonical_uri(&req.path),
        canonical_query(&req.params),
        sha256_hex(&body)
    );
    let date = iso8601_basic(timestamp);
    let string_to_sign = format!(
        "SDK-HMAC-SHA256\n{date}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let signature = hex::encode(hmac_sha256(
        secret_key.expose().as_bytes(),
        string_to_sign.as_bytes(),
    ));
    headers.push((
        "Authorization".into(),
        format!(
            "SDK-HMAC-SHA256 Access={access_key}, SignedHeaders={signed_headers}, Signature={signature}"
        ),
    ));
    Ok(Signed {
        steps: SigningSteps {
            canonical_request,
            string_to_sign,
            signature,
        },
        request: SignedRequest {
            method: req.method,
            url: url_of(ctx, req),
            headers,
            body,
        },
    })
}
