//! Alibaba Cloud RPC signing V2, HMAC-SHA1 `SignatureVersion=1.0` (protocols.md §3).
//!
//! All parameters (common + action) are sorted and RFC 3986 encoded into the canonicalized
//! query string; string to sign = `METHOD&%2F&` + that string encoded once more;
//! `Signature = base64(HMAC-SHA1(secret + "&", sts))`. Every parameter, and the signature,
//! is sent in the query string (GET and POST alike).

use super::clock::NonceSource;
use super::credentials::AlibabaCredentials;
use super::crypto::{base64, hmac_sha1};
use super::encode::{canonical_query, encode_pairs, percent_encode, percent_encode_path};
use super::request::{
    HttpMethod, OperationContext, SignError, Signed, SignedRequest, SigningSteps, WireRequest,
    find_header,
};
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

/// Signs an Alibaba RPC call with V2 HMAC-SHA1.
///
/// Common parameters added: `AccessKeyId`, `Action`, `Format` (`opts.format`),
/// `SignatureMethod=HMAC-SHA1`, `SignatureNonce` (`nonce.uuid_v4()`), `SignatureVersion=1.0`,
/// `Timestamp` (ISO 8601 of `timestamp`), `Version` (`ctx.version`, required) and
/// `SecurityToken` (STS only). The `Signature` is appended last to the query. A body, if
/// any, is sent as is (with the action's `Content-Type`, default `application/json`) and is
/// not signed.
pub fn sign_acs_v2(
    ctx: &OperationContext,
    req: &WireRequest,
    creds: &AlibabaCredentials,
    timestamp: i64,
    nonce: &dyn NonceSource,
    opts: &AcsV2Options,
) -> Result<Signed, SignError> {
    let version = ctx.version.as_deref().ok_or(SignError::MissingVersion)?;
    let mut params: Vec<(String, String)> = vec![
        ("AccessKeyId".into(), creds.access_key_id().to_owned()),
        ("Action".into(), ctx.action.clone()),
        ("Format".into(), opts.format.clone()),
        ("SignatureMethod".into(), "HMAC-SHA1".into()),
        ("SignatureNonce".into(), nonce.uuid_v4()),
        ("SignatureVersion".into(), "1.0".into()),
        ("Timestamp".into(), iso8601(timestamp)),
        ("Version".into(), version.to_owned()),
    ];
    if let Some(token) = creds.security_token() {
        params.push(("SecurityToken".into(), token.expose().to_owned()));
    }
    params.extend(req.params.iter().cloned());
    let canonical = canonical_query(&params);
    let sts = string_to_sign(req.method, &canonical);
    let sig = signature(creds.access_key_secret().expose(), &sts);

    let path = if req.path.is_empty() { "/" } else { &req.path };
    let sig_pair = encode_pairs(&[("Signature".to_owned(), sig.clone())]);
    let url = format!(
        "{}?{canonical}&{sig_pair}",
        ctx.endpoint.url(&percent_encode_path(path))
    );
    let mut headers = Vec::new();
    if req.body.is_some() && find_header(&req.headers, "content-type").is_none() {
        headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
    }
    headers.extend(req.headers.iter().cloned());
    Ok(Signed {
        steps: SigningSteps {
            canonical_request: canonical,
            string_to_sign: sts,
            signature: sig,
        },
        request: SignedRequest {
            method: req.method,
            url,
            headers,
            body: req.body.clone().unwrap_or_default(),
        },
    })
}
