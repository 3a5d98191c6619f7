//! Huawei Cloud REST requests: IAM token (`x-auth-token`) or AK/SK `SDK-HMAC-SHA256`
//! (protocols.md §5).

use super::clock::NonceSource;
use super::credentials::{HuaweiCredentials, Secret};
use super::crypto::{hex32, hmac_sha256, lower_sorted, push_headers_block, push_sha256_hex};
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
    let date = iso8601_basic(timestamp);
    headers.push(("X-Sdk-Date".into(), date.clone()));
    if let Some(token) = security_token {
        headers.push(("X-Security-Token".into(), token.expose().to_owned()));
    }
    headers.extend(req.headers.iter().cloned());

    let signed = lower_sorted(
        headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .filter(|(k, _)| !k.contains('_') && !k.eq_ignore_ascii_case("authorization")),
    );
    let query = canonical_query(&req.params);
    let uri = canonical_uri(&req.path);
    let mut canonical_request = String::with_capacity(256 + uri.len() + query.len());
    canonical_request.push_str(req.method.as_str());
    canonical_request.push('\n');
    canonical_request.push_str(&uri);
    canonical_request.push('\n');
    canonical_request.push_str(&query);
    canonical_request.push('\n');
    let names = push_headers_block(&mut canonical_request, &signed);
    canonical_request.push('\n');
    push_sha256_hex(&mut canonical_request, &body);
    let signed_headers = &canonical_request[names];
    let mut string_to_sign = String::with_capacity(16 + 18 + 64);
    string_to_sign.push_str("SDK-HMAC-SHA256\n");
    string_to_sign.push_str(&date);
    string_to_sign.push('\n');
    push_sha256_hex(&mut string_to_sign, canonical_request.as_bytes());
    let signature = hex32(&hmac_sha256(
        secret_key.expose().as_bytes(),
        string_to_sign.as_bytes(),
    ));
    let mut authorization =
        String::with_capacity(64 + access_key.len() + signed_headers.len() + signature.len());
    authorization.push_str("SDK-HMAC-SHA256 Access=");
    authorization.push_str(access_key);
    authorization.push_str(", SignedHeaders=");
    authorization.push_str(signed_headers);
    authorization.push_str(", Signature=");
    authorization.push_str(&signature);
    drop(signed);
    headers.push(("Authorization".into(), authorization));
    let mut url = ctx
        .endpoint
        .url(&percent_encode_path(if req.path.is_empty() {
            "/"
        } else {
            &req.path
        }));
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
