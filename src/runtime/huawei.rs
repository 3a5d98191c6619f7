//! Huawei Cloud REST requests: IAM token (`x-auth-token`) or AK/SK `SDK-HMAC-SHA256`
//! (protocols.md §5).

use super::clock::NonceSource;
use super::credentials::{HuaweiCredentials, Secret};
use super::crypto::{lower_sorted, push_headers_block, push_hex, push_sha256_hex};
use super::encode::{push_canonical_query, push_percent_encoded_path};
use super::mac_cache::MacKeyCache;
use super::request::{
    HeaderName, OperationContext, OperationRef, SignError, Signed, SignedRequest, WireRequest,
    find_header,
};
use super::scratch::{Scratch, with_scratch};
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

/// Authorises as [`sign_huawei`] does, returning only the request to send: what a client
/// sends. Takes the request by value, keeps the AK/SK steps in per-thread scratch buffers
/// and the keyed HMAC state in `keys`.
pub fn sign_huawei_request(
    ctx: &OperationRef<'_>,
    req: WireRequest,
    creds: &HuaweiCredentials,
    timestamp: i64,
    nonce: &dyn NonceSource,
    keys: &MacKeyCache,
) -> Result<SignedRequest, SignError> {
    match creds {
        HuaweiCredentials::Token(token) => Ok(token_request(ctx, req, token, nonce)),
        HuaweiCredentials::AkSk {
            access_key,
            secret_key,
            security_token,
        } => with_scratch(|s| {
            let key = AkSk {
                access_key,
                secret_key,
                security_token: security_token.as_ref(),
                keys,
            };
            aksk_into(ctx, req, &key, timestamp, s)
        })
        .map(|(r, _)| r),
    }
}

/// `scheme://host` + the encoded path, then `?` + the canonical query if there are
/// parameters; returns the URL and where the path ends.
fn url_of(ctx: &OperationRef<'_>, req: &WireRequest) -> (String, usize) {
    let path = if req.path.is_empty() { "/" } else { &req.path };
    let mut url = ctx.endpoint.url_base(path.len() + 64);
    push_percent_encoded_path(&mut url, path);
    let path_end = url.len();
    if !req.params.is_empty() {
        url.push('?');
        push_canonical_query(&mut url, &req.params);
    }
    (url, path_end)
}

/// Base headers shared by both modes: `Content-Type` (when a body is sent and the action set
/// none: `application/json`) followed by `Host`.
fn base_headers(
    ctx: &OperationRef<'_>,
    req: &WireRequest,
    extra: usize,
) -> Vec<(HeaderName, String)> {
    let mut headers = Vec::with_capacity(2 + extra + req.headers.len());
    if req.body.is_some() && find_header(&req.headers, "content-type").is_none() {
        headers.push(("Content-Type".into(), "application/json".to_owned()));
    }
    if find_header(&req.headers, "host").is_none() {
        headers.push(("Host".into(), ctx.endpoint.host.clone()));
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
    Ok(token_request(&ctx.view(), req.clone(), token, nonce))
}

fn token_request(
    ctx: &OperationRef<'_>,
    mut req: WireRequest,
    token: &Secret,
    nonce: &dyn NonceSource,
) -> SignedRequest {
    let mut headers = base_headers(ctx, &req, 2);
    let has_request_id = find_header(&req.headers, "x-request-id").is_some();
    let (url, _) = url_of(ctx, &req);
    headers.extend(
        std::mem::take(&mut req.headers)
            .into_iter()
            .map(|(k, v)| (HeaderName::Owned(k), v)),
    );
    headers.push(("x-auth-token".into(), token.expose().to_owned()));
    if !has_request_id {
        headers.push(("x-request-id".into(), nonce.uuid_v4()));
    }
    SignedRequest {
        method: req.method,
        url,
        headers,
        body: req.body.unwrap_or_default(),
    }
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
    let mut s = Scratch::default();
    let keys = MacKeyCache::new();
    let key = AkSk {
        access_key,
        secret_key,
        security_token,
        keys: &keys,
    };
    let (request, mac) = aksk_into(&ctx.view(), req.clone(), &key, timestamp, &mut s)?;
    Ok(s.into_hex_signed(request, &mac))
}

/// AK/SK credentials and the cache of their keyed HMAC state.
struct AkSk<'a> {
    access_key: &'a str,
    secret_key: &'a Secret,
    security_token: Option<&'a Secret>,
    keys: &'a MacKeyCache,
}

fn aksk_into(
    ctx: &OperationRef<'_>,
    mut req: WireRequest,
    key: &AkSk<'_>,
    timestamp: i64,
    s: &mut Scratch,
) -> Result<(SignedRequest, [u8; 32]), SignError> {
    let mut headers = base_headers(ctx, &req, 3);
    let body = req.body.take().unwrap_or_default();
    let date_at = headers.len();
    headers.push(("X-Sdk-Date".into(), iso8601_basic(timestamp)));
    if let Some(token) = key.security_token {
        headers.push(("X-Security-Token".into(), token.expose().to_owned()));
    }
    let (url, path_end) = url_of(ctx, &req);
    headers.extend(
        std::mem::take(&mut req.headers)
            .into_iter()
            .map(|(k, v)| (HeaderName::Owned(k), v)),
    );

    let signed = lower_sorted(
        headers
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_str()))
            .filter(|(k, _)| !k.contains('_') && !k.eq_ignore_ascii_case("authorization")),
    );
    let path = &url[ctx.endpoint.scheme.len() + 3 + ctx.endpoint.host.len()..path_end];
    let query = url.get(path_end + 1..).unwrap_or_default();
    let canonical_request = &mut s.canonical;
    canonical_request.reserve(256 + path.len() + query.len());
    canonical_request.push_str(req.method.as_str());
    canonical_request.push('\n');
    // The canonical URI: the encoded path, ending with `/`.
    canonical_request.push_str(path);
    if !path.ends_with('/') {
        canonical_request.push('/');
    }
    canonical_request.push('\n');
    canonical_request.push_str(query);
    canonical_request.push('\n');
    let names = push_headers_block(canonical_request, &signed);
    canonical_request.push('\n');
    push_sha256_hex(canonical_request, &body);
    drop(signed);
    let signed_headers = &s.canonical[names];
    let date = &headers[date_at].1;
    s.sts.reserve(16 + 18 + 64);
    s.sts.push_str("SDK-HMAC-SHA256\n");
    s.sts.push_str(date);
    s.sts.push('\n');
    push_sha256_hex(&mut s.sts, s.canonical.as_bytes());
    let mac = key
        .keys
        .hmac_sha256(key.secret_key.expose(), "", s.sts.as_bytes());
    let mut authorization =
        String::with_capacity(64 + key.access_key.len() + signed_headers.len() + 64);
    authorization.push_str("SDK-HMAC-SHA256 Access=");
    authorization.push_str(key.access_key);
    authorization.push_str(", SignedHeaders=");
    authorization.push_str(signed_headers);
    authorization.push_str(", Signature=");
    push_hex(&mut authorization, &mac);
    headers.push(("Authorization".into(), authorization));
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
