//! Tencent Cloud legacy API 2.0 signing (`*.api.qcloud.com/v2/index.php`), protocols.md §1.
//!
//! String to sign = `METHOD + host (no port) + path + "?" + request string`, where the request
//! string is every parameter (common + action, `_` in names replaced by `.`) sorted by name in
//! byte order and joined as raw `name=value&…`. `Signature = base64(HMAC(SecretKey, sts))`.
//! On the wire every value, and the signature, is RFC 3986 percent-encoded: in the query
//! for GET, in an `application/x-www-form-urlencoded` body for POST.

use std::borrow::Cow;

use base64::Engine as _;

use super::clock::NonceSource;
use super::credentials::TencentCredentials;
use super::encode::{push_percent_encoded, sort_params};
use super::mac_cache::MacKeyCache;
use super::request::{
    HeaderName, HttpMethod, OperationContext, OperationRef, SignError, Signed, SignedRequest,
    SigningSteps, WireRequest,
};
use super::scratch::{Scratch, with_scratch};

/// Which HMAC to use, and whether the `SignatureMethod` parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TencentV2Method {
    /// HMAC-SHA256, with `SignatureMethod=HmacSHA256` (the default).
    #[default]
    HmacSha256,
    /// HMAC-SHA1, with `SignatureMethod=HmacSHA1`.
    HmacSha1,
    /// HMAC-SHA1 without any `SignatureMethod` parameter (the server's default; the older
    /// documentation revision's example).
    HmacSha1Implicit,
}

impl TencentV2Method {
    fn param(self) -> Option<&'static str> {
        match self {
            Self::HmacSha256 => Some("HmacSHA256"),
            Self::HmacSha1 => Some("HmacSHA1"),
            Self::HmacSha1Implicit => None,
        }
    }
}

/// The request string: parameters sorted by name (byte order), raw `name=value` joined by `&`.
pub fn request_string(params: &[(String, String)]) -> String {
    let mut sorted = params.to_vec();
    sort_params(&mut sorted);
    let pairs: Vec<String> = sorted.iter().map(|(k, v)| format!("{k}={v}")).collect();
    pairs.join("&")
}

/// Signs an API 2.0 call, returning the request and the steps.
///
/// Common parameters added: `Action` (from `ctx.action`), `Region` (if `ctx.region`),
/// `Timestamp` (`timestamp`), `Nonce` (`nonce.next_u32()`, 0 mapped to 1 as the API wants a
/// positive integer), `SecretId`, `SignatureMethod` (per `method`), `Token` (if the
/// credentials carry one). A request body is not allowed (parameters are the body for POST).
/// [`sign_tencent_v2_request`] sends the same bytes without keeping the steps.
pub fn sign_tencent_v2(
    ctx: &OperationContext,
    req: &WireRequest,
    creds: &TencentCredentials,
    timestamp: i64,
    nonce: &dyn NonceSource,
    method: TencentV2Method,
) -> Result<Signed, SignError> {
    let mut s = Scratch::default();
    let keys = MacKeyCache::new();
    let (request, signature, canonical_start) = sign_into(
        &ctx.view(),
        req.clone(),
        creds,
        timestamp,
        nonce,
        method,
        &keys,
        &mut s,
    )?;
    Ok(Signed {
        steps: SigningSteps {
            canonical_request: s.sts[canonical_start..].to_owned(),
            string_to_sign: s.sts,
            signature: signature.as_str().to_owned(),
        },
        request,
    })
}

/// Signs as [`sign_tencent_v2`] does, returning only the request to send: what a client
/// sends. Takes the request by value, keeps the string to sign in a per-thread scratch
/// buffer and the keyed HMAC state in `keys`.
pub fn sign_tencent_v2_request(
    ctx: &OperationRef<'_>,
    req: WireRequest,
    creds: &TencentCredentials,
    timestamp: i64,
    nonce: &dyn NonceSource,
    method: TencentV2Method,
    keys: &MacKeyCache,
) -> Result<SignedRequest, SignError> {
    with_scratch(|s| sign_into(ctx, req, creds, timestamp, nonce, method, keys, s))
        .map(|(r, _, _)| r)
}

/// A base64 signature on the stack (at most 44 characters: base64 of 32 bytes).
struct Base64Sig {
    buf: [u8; 44],
    len: usize,
}

impl Base64Sig {
    fn new(mac: &[u8]) -> Self {
        let mut buf = [0u8; 44];
        let len = base64::engine::general_purpose::STANDARD
            .encode_slice(mac, &mut buf)
            .expect("44 bytes hold the base64 of 32");
        Self { buf, len }
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).expect("base64 is ASCII")
    }
}

/// The signer: string to sign into `s.sts` (the request string is its tail, from the returned
/// offset); returns the request and the signature.
#[allow(clippy::too_many_arguments)]
fn sign_into(
    ctx: &OperationRef<'_>,
    req: WireRequest,
    creds: &TencentCredentials,
    timestamp: i64,
    nonce: &dyn NonceSource,
    method: TencentV2Method,
    keys: &MacKeyCache,
    s: &mut Scratch,
) -> Result<(SignedRequest, Base64Sig, usize), SignError> {
    if req.body.is_some() {
        return Err(SignError::Unsupported(
            "API 2.0 sends parameters, not a JSON body",
        ));
    }
    let timestamp = timestamp.to_string();
    let nonce = nonce.next_u32().max(1).to_string();
    let mut params: Vec<(Cow<'_, str>, &str)> = Vec::with_capacity(8 + req.params.len());
    params.extend([
        (Cow::Borrowed("Action"), ctx.action),
        (Cow::Borrowed("Timestamp"), timestamp.as_str()),
        (Cow::Borrowed("Nonce"), nonce.as_str()),
        (Cow::Borrowed("SecretId"), creds.secret_id()),
    ]);
    if let Some(region) = ctx.region {
        params.push((Cow::Borrowed("Region"), region));
    }
    if let Some(m) = method.param() {
        params.push((Cow::Borrowed("SignatureMethod"), m));
    }
    if let Some(token) = creds.token() {
        params.push((Cow::Borrowed("Token"), token.expose()));
    }
    params.extend(req.params.iter().map(|(k, v)| {
        let k = if k.contains('_') {
            Cow::Owned(k.replace('_', "."))
        } else {
            Cow::Borrowed(k.as_str())
        };
        (k, v.as_str())
    }));
    // Byte order by name, then value (`str` orders by bytes).
    params.sort_unstable();

    let path = if req.path.is_empty() { "/" } else { &req.path };
    let host = ctx.endpoint.host_without_port();
    let len: usize = params.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
    let sts = &mut s.sts;
    sts.reserve(8 + host.len() + path.len() + len);
    sts.push_str(req.method.as_str());
    sts.push_str(host);
    sts.push_str(path);
    sts.push('?');
    let canonical_start = sts.len();
    for (i, (k, v)) in params.iter().enumerate() {
        if i > 0 {
            sts.push('&');
        }
        sts.push_str(k);
        sts.push('=');
        sts.push_str(v);
    }
    let key = creds.secret_key().expose();
    let signature = match method {
        TencentV2Method::HmacSha256 => Base64Sig::new(&keys.hmac_sha256(key, "", sts.as_bytes())),
        TencentV2Method::HmacSha1 | TencentV2Method::HmacSha1Implicit => {
            Base64Sig::new(&keys.hmac_sha1(key, "", sts.as_bytes()))
        }
    };

    let mut encoded = String::with_capacity(len + len / 4 + 64);
    for (k, v) in &params {
        push_percent_encoded(&mut encoded, k);
        encoded.push('=');
        push_percent_encoded(&mut encoded, v);
        encoded.push('&');
    }
    encoded.push_str("Signature=");
    push_percent_encoded(&mut encoded, signature.as_str());
    drop(params);
    let request = match req.method {
        HttpMethod::Get => {
            let mut url = ctx.endpoint.url_base(path.len() + 1 + encoded.len());
            url.push_str(path);
            url.push('?');
            url.push_str(&encoded);
            SignedRequest {
                method: HttpMethod::Get,
                url,
                headers: req
                    .headers
                    .into_iter()
                    .map(|(k, v)| (HeaderName::Owned(k), v))
                    .collect(),
                body: Vec::new(),
            }
        }
        HttpMethod::Post => {
            let mut headers: Vec<(HeaderName, String)> = Vec::with_capacity(1 + req.headers.len());
            headers.push((
                "Content-Type".into(),
                "application/x-www-form-urlencoded".to_owned(),
            ));
            let url = ctx.endpoint.url(path);
            headers.extend(
                req.headers
                    .into_iter()
                    .map(|(k, v)| (HeaderName::Owned(k), v)),
            );
            SignedRequest {
                method: HttpMethod::Post,
                url,
                headers,
                body: encoded.into_bytes(),
            }
        }
    };
    Ok((request, signature, canonical_start))
}
