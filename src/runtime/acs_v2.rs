//! Alibaba Cloud RPC signing V2, HMAC-SHA1 `SignatureVersion=1.0` (protocols.md §3).
//!
//! All parameters (common + action) are sorted and RFC 3986 encoded into the canonicalized
//! query string; string to sign = `METHOD&%2F&` + that string encoded once more;
//! `Signature = base64(HMAC-SHA1(secret + "&", sts))`. Every parameter, and the signature,
//! is sent in the query string (GET and POST alike).

use base64::Engine as _;

use super::clock::NonceSource;
use super::credentials::AlibabaCredentials;
use super::crypto::{base64, hmac_sha1};
use super::encode::{percent_encode, push_percent_encoded, push_percent_encoded_path};
use super::mac_cache::MacKeyCache;
use super::request::{
    HeaderName, HttpMethod, OperationContext, OperationRef, SignError, Signed, SignedRequest,
    SigningSteps, WireRequest, find_header,
};
use super::scratch::{Scratch, with_scratch};
use super::time_fmt::iso8601;

/// Options of the V2 signer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcsV2Options {
    /// Response `Format` parameter: `JSON` (default) or `XML`.
    pub format: String,
}

impl Default for AcsV2Options {
    fn default() -> Self {
        Self {
            format: "JSON".into(),
        }
    }
}

/// `METHOD&%2F&enc(canonicalized query)`.
pub fn string_to_sign(method: HttpMethod, canonicalized_query: &str) -> String {
    format!(
        "{}&{}&{}",
        method.as_str(),
        percent_encode("/"),
        percent_encode(canonicalized_query)
    )
}

/// `base64(HMAC-SHA1(access_key_secret + "&", string_to_sign))`.
pub fn signature(access_key_secret: &str, string_to_sign: &str) -> String {
    base64(&hmac_sha1(
        format!("{access_key_secret}&").as_bytes(),
        string_to_sign.as_bytes(),
    ))
}

/// Signs an Alibaba RPC call with V2 HMAC-SHA1, returning the request and the steps.
///
/// Common parameters added: `AccessKeyId`, `Action`, `Format` (`opts.format`),
/// `SignatureMethod=HMAC-SHA1`, `SignatureNonce` (`nonce.uuid_v4()`), `SignatureVersion=1.0`,
/// `Timestamp` (ISO 8601 of `timestamp`), `Version` (`ctx.version`, required) and
/// `SecurityToken` (STS only). The `Signature` is appended last to the query. A body, if
/// any, is sent as is (with the action's `Content-Type`, default `application/json`) and is
/// not signed. [`sign_acs_v2_request`] sends the same bytes without keeping the steps.
pub fn sign_acs_v2(
    ctx: &OperationContext,
    req: &WireRequest,
    creds: &AlibabaCredentials,
    timestamp: i64,
    nonce: &dyn NonceSource,
    opts: &AcsV2Options,
) -> Result<Signed, SignError> {
    let mut s = Scratch::default();
    let keys = MacKeyCache::new();
    let (request, mac, canonical) = sign_into(
        &ctx.view(),
        req.clone(),
        creds,
        timestamp,
        nonce,
        opts,
        &keys,
        &mut s,
    )?;
    Ok(Signed {
        steps: SigningSteps {
            canonical_request: request.url[canonical].to_owned(),
            string_to_sign: s.sts,
            signature: base64(&mac),
        },
        request,
    })
}

/// Signs as [`sign_acs_v2`] does, returning only the request to send: what a client sends.
/// Takes the request by value, keeps the string to sign in a per-thread scratch buffer and
/// the keyed HMAC state in `keys`.
pub fn sign_acs_v2_request(
    ctx: &OperationRef<'_>,
    req: WireRequest,
    creds: &AlibabaCredentials,
    timestamp: i64,
    nonce: &dyn NonceSource,
    opts: &AcsV2Options,
    keys: &MacKeyCache,
) -> Result<SignedRequest, SignError> {
    with_scratch(|s| sign_into(ctx, req, creds, timestamp, nonce, opts, keys, s)).map(|(r, _, _)| r)
}

/// The signer: string to sign into `s`; returns the request, the MAC and where the
/// canonicalized query sits in the URL.
#[allow(clippy::too_many_arguments)]
fn sign_into(
    ctx: &OperationRef<'_>,
    mut req: WireRequest,
    creds: &AlibabaCredentials,
    timestamp: i64,
    nonce: &dyn NonceSource,
    opts: &AcsV2Options,
    keys: &MacKeyCache,
    s: &mut Scratch,
) -> Result<(SignedRequest, [u8; 20], std::ops::Range<usize>), SignError> {
    let version = ctx.version.ok_or(SignError::MissingVersion)?;
    let signature_nonce = nonce.uuid_v4();
    let timestamp = iso8601(timestamp);
    let mut params: Vec<(&str, &str)> = Vec::with_capacity(9 + req.params.len());
    params.extend([
        ("AccessKeyId", creds.access_key_id()),
        ("Action", ctx.action),
        ("Format", opts.format.as_str()),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", signature_nonce.as_str()),
        ("SignatureVersion", "1.0"),
        ("Timestamp", timestamp.as_str()),
        ("Version", version),
    ]);
    if let Some(token) = creds.security_token() {
        params.push(("SecurityToken", token.expose()));
    }
    params.extend(req.params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    // Byte order by name, then value (`str` orders by bytes).
    params.sort_unstable();

    let len: usize = params.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
    let mut url = ctx.endpoint.url_base(req.path.len() + len + len / 4 + 48);
    push_percent_encoded_path(&mut url, if req.path.is_empty() { "/" } else { &req.path });
    url.push('?');
    let canonical_start = url.len();
    for (i, (k, v)) in params.iter().enumerate() {
        if i > 0 {
            url.push('&');
        }
        push_percent_encoded(&mut url, k);
        url.push('=');
        push_percent_encoded(&mut url, v);
    }
    drop(params);
    let canonical = canonical_start..url.len();
    let sts = &mut s.sts;
    sts.reserve(16 + 2 * canonical.len());
    sts.push_str(req.method.as_str());
    sts.push_str("&%2F&");
    push_percent_encoded(sts, &url[canonical.clone()]);
    let mac = keys.hmac_sha1(creds.access_key_secret().expose(), "&", sts.as_bytes());
    let mut sig = [0u8; 28];
    let n = base64::engine::general_purpose::STANDARD
        .encode_slice(mac, &mut sig)
        .expect("28 bytes hold the base64 of 20");
    url.push_str("&Signature=");
    push_percent_encoded(
        &mut url,
        std::str::from_utf8(&sig[..n]).expect("base64 is ASCII"),
    );

    let mut headers: Vec<(HeaderName, String)> = Vec::with_capacity(1 + req.headers.len());
    if req.body.is_some() && find_header(&req.headers, "content-type").is_none() {
        headers.push(("Content-Type".into(), "application/json".to_owned()));
    }
    headers.extend(
        std::mem::take(&mut req.headers)
            .into_iter()
            .map(|(k, v)| (HeaderName::Owned(k), v)),
    );
    Ok((
        SignedRequest {
            method: req.method,
            url,
            headers,
            body: req.body.take().unwrap_or_default(),
        },
        mac,
        canonical,
    ))
}
