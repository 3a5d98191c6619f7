//! Tencent Cloud legacy API 2.0 signing (`*.api.qcloud.com/v2/index.php`), protocols.md §1.
//!
//! String to sign = `METHOD + host (no port) + path + "?" + request string`, where the request
//! string is every parameter (common + action, `_` in names replaced by `.`) sorted by name in
//! byte order and joined as raw `name=value&…`. `Signature = base64(HMAC(SecretKey, sts))`.
//! On the wire every value, and the signature, is RFC 3986 percent-encoded: in the query
//! for GET, in an `application/x-www-form-urlencoded` body for POST.

use super::clock::NonceSource;
use super::credentials::TencentCredentials;
use super::crypto::{base64, hmac_sha1, hmac_sha256};
use super::encode::{encode_pairs, sort_params};
use super::request::{
    HttpMethod, OperationContext, SignError, Signed, SignedRequest, SigningSteps, WireRequest,
};

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

/// Signs an API 2.0 call.
///
/// Common parameters added: `Action` (from `ctx.action`), `Region` (if `ctx.region`),
/// `Timestamp` (`timestamp`), `Nonce` (`nonce.next_u32()`, 0 mapped to 1 as the API wants a
/// positive integer), `SecretId`, `SignatureMethod` (per `method`), `Token` (if the
/// credentials carry one). A request body is not allowed (parameters are the body for POST).
pub fn sign_tencent_v2(
    ctx: &OperationContext,
    req: &WireRequest,
    creds: &TencentCredentials,
    timestamp: i64,
    nonce: &dyn NonceSource,
    method: TencentV2Method,
) -> Result<Signed, SignError> {
    if req.body.is_some() {
        return Err(SignError::Unsupported(
            "API 2.0 sends parameters, not a JSON body",
        ));
    }
    let mut params: Vec<(String, String)> = vec![
        ("Action".into(), ctx.action.clone()),
        ("Timestamp".into(), timestamp.to_string()),
        ("Nonce".into(), nonce.next_u32().max(1).to_string()),
        ("SecretId".into(), creds.secret_id().to_owned()),
    ];
    if let Some(region) = &ctx.region {
        params.push(("Region".into(), region.clone()));
    }
    if let Some(m) = method.param() {
        params.push(("SignatureMethod".into(), m.into()));
    }
    if let Some(token) = creds.token() {
        params.push(("Token".into(), token.expose().to_owned()));
    }
    params.extend(
        req.params
            .iter()
            .map(|(k, v)| (k.replace('_', "."), v.clone())),
    );
    sort_params(&mut params);

    // `params` is sorted already: join it directly (same bytes as `request_string`).
    let mut canonical =
        String::with_capacity(params.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
    for (i, (k, v)) in params.iter().enumerate() {
        if i > 0 {
            canonical.push('&');
        }
        canonical.push_str(k);
        canonical.push('=');
        canonical.push_str(v);
    }
    let path = if req.path.is_empty() { "/" } else { &req.path };
    let host = ctx.endpoint.host_without_port();
    let mut sts = String::with_capacity(8 + host.len() + path.len() + canonical.len());
    sts.push_str(req.method.as_str());
    sts.push_str(host);
    sts.push_str(path);
    sts.push('?');
    sts.push_str(&canonical);
    let key = creds.secret_key().expose().as_bytes();
    let signature = match method {
        TencentV2Method::HmacSha256 => base64(&hmac_sha256(key, sts.as_bytes())),
        TencentV2Method::HmacSha1 | TencentV2Method::HmacSha1Implicit => {
            base64(&hmac_sha1(key, sts.as_bytes()))
        }
    };

    params.push(("Signature".into(), signature.clone()));
    let encoded = encode_pairs(&params);
    let base = ctx.endpoint.url(path);
    let request = match req.method {
        HttpMethod::Get => SignedRequest {
            method: HttpMethod::Get,
            url: format!("{base}?{encoded}"),
            headers: req.headers.clone(),
            body: Vec::new(),
        },
        HttpMethod::Post => {
            let mut headers = vec![(
                "Content-Type".to_owned(),
                "application/x-www-form-urlencoded".to_owned(),
            )];
            headers.extend(req.headers.iter().cloned());
            SignedRequest {
                method: HttpMethod::Post,
                url: base,
                headers,
                body: encoded.into_bytes(),
            }
        }
    };
    Ok(Signed {
        steps: SigningSteps {
            canonical_request: canonical,
            string_to_sign: sts,
            signature,
        },
        request,
    })
}
