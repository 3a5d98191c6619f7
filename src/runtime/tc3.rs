//! Tencent Cloud API 3.0 signing, `TC3-HMAC-SHA256` (protocols.md §2).
//!
//! POST sends the JSON body bytes given and hashes exactly those bytes; GET sends the
//! parameters as a sorted RFC 3986 query and signs exactly that query string. The derived
//! signing key is cached per (secret, date, service) in a [`Tc3KeyCache`].

use std::fmt;
use std::sync::Mutex;

use hmac::Hmac;
use sha2::Sha256;

use super::credentials::{Secret, TencentCredentials};
use super::crypto::{
    hmac_sha256, hmac_sha256_keyed, hmac_sha256_with, push_hex, push_lower, push_sha256_hex,
};
use super::encode::push_canonical_query;
use super::request::{
    HeaderName, HttpMethod, OperationContext, OperationRef, SignError, Signed, SignedRequest,
    WireRequest, find_header,
};
use super::scratch::{Scratch, with_scratch};
use super::time_fmt::push_utc_date;

/// Options of the TC3 signer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tc3Options {
    /// Also sign `x-tc-action` (current documentation revision). Default `true`; `false`
    /// signs only `content-type;host`, as the official SDK does.
    pub sign_action_header: bool,
    /// `X-TC-Language` to send (`zh-CN` / `en-US`), if any.
    pub language: Option<String>,
}

impl Default for Tc3Options {
    fn default() -> Self {
        Self {
            sign_action_header: true,
            language: None,
        }
    }
}

/// The three chained HMAC keys of TC3 key derivation.
#[derive(Clone, PartialEq, Eq)]
pub struct Tc3DerivedKeys {
    /// `HMAC("TC3" + SecretKey, date)`.
    pub secret_date: [u8; 32],
    /// `HMAC(secret_date, service)`.
    pub secret_service: [u8; 32],
    /// `HMAC(secret_service, "tc3_request")`: the signing key.
    pub secret_signing: [u8; 32],
}

impl fmt::Debug for Tc3DerivedKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Tc3DerivedKeys(***)")
    }
}

/// Derives the TC3 signing key for `date` (`YYYY-MM-DD`) and `service`.
pub fn derive_tc3_keys(secret_key: &str, date: &str, service: &str) -> Tc3DerivedKeys {
    let secret_date = hmac_sha256(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let secret_service = hmac_sha256(&secret_date, service.as_bytes());
    let secret_signing = hmac_sha256(&secret_service, b"tc3_request");
    Tc3DerivedKeys {
        secret_date,
        secret_service,
        secret_signing,
    }
}

/// Cache of derived TC3 signing keys per (secret key, date, service), each with its keyed
/// HMAC state so signing costs one HMAC over the string to sign. Bounded: it is cleared when
/// it would exceed 64 entries. The secret is held as a [`Secret`] (it lives next to the
/// credentials it came from); `Debug` shows only the size.
#[derive(Default)]
pub struct Tc3KeyCache {
    keys: Mutex<Vec<CachedKey>>,
}

struct CachedKey {
    secret: Secret,
    date: String,
    service: String,
    key: [u8; 32],
    mac: Hmac<Sha256>,
}

const TC3_CACHE_MAX: usize = 64;

impl Tc3KeyCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    fn with_entry<T>(
        &self,
        secret_key: &str,
        date: &str,
        service: &str,
        f: impl FnOnce(&CachedKey) -> T,
    ) -> T {
        let mut keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        // Most recently derived first: a client signs with one key per day.
        if let Some(k) = keys
            .iter()
            .rev()
            .find(|k| k.date == date && k.service == service && k.secret.expose() == secret_key)
        {
            return f(k);
        }
        let key = derive_tc3_keys(secret_key, date, service).secret_signing;
        if keys.len() >= TC3_CACHE_MAX {
            keys.clear();
        }
        keys.push(CachedKey {
            secret: Secret::new(secret_key),
            date: date.to_owned(),
            service: service.to_owned(),
            key,
            mac: hmac_sha256_keyed(&key),
        });
        f(keys.last().expect("just pushed"))
    }

    /// The signing key for (`secret_key`, `date`, `service`), derived on a miss.
    pub fn signing_key(&self, secret_key: &str, date: &str, service: &str) -> [u8; 32] {
        self.with_entry(secret_key, date, service, |k| k.key)
    }

    /// `HMAC(signing key, data)` for (`secret_key`, `date`, `service`), the key derived on a
    /// miss and its keyed HMAC state reused on a hit.
    pub fn sign(&self, secret_key: &str, date: &str, service: &str, data: &[u8]) -> [u8; 32] {
        self.with_entry(secret_key, date, service, |k| {
            hmac_sha256_with(&k.mac, data)
        })
    }

    /// Number of cached keys.
    pub fn len(&self) -> usize {
        self.keys.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl fmt::Debug for Tc3KeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tc3KeyCache")
            .field("len", &self.len())
            .finish()
    }
}

/// Signs a TC3 call, returning the request and the intermediate steps.
///
/// `Content-Type` is taken from `req.headers` if present, else `application/json` (POST) or
/// `application/x-www-form-urlencoded` (GET); the value sent is the value signed. POST sends
/// `req.body` (or `{}` if `None`) and takes no parameters; GET takes no body. Headers sent:
/// `Authorization`, `Content-Type`, `Host`, `X-TC-Action`, `X-TC-Timestamp`, `X-TC-Version`,
/// then `X-TC-Region`, `X-TC-Token`, `X-TC-Language` when set, then the action headers.
/// The scope service is `ctx.service`; the scope date is the UTC date of `timestamp`.
/// [`sign_tc3_request`] sends the same bytes without keeping the steps.
pub fn sign_tc3(
    ctx: &OperationContext,
    req: &WireRequest,
    creds: &TencentCredentials,
    timestamp: i64,
    opts: &Tc3Options,
    cache: &Tc3KeyCache,
) -> Result<Signed, SignError> {
    let mut s = Scratch::default();
    let (request, mac) = sign_into(
        &ctx.view(),
        req.clone(),
        creds,
        timestamp,
        opts,
        cache,
        &mut s,
    )?;
    Ok(s.into_hex_signed(request, &mac))
}

/// Signs a TC3 call as [`sign_tc3`] does, returning only the request to send: what a client
/// sends. Takes the request by value (its body and headers move into the result) and keeps
/// the canonical request and string to sign in per-thread scratch buffers.
pub fn sign_tc3_request(
    ctx: &OperationRef<'_>,
    req: WireRequest,
    creds: &TencentCredentials,
    timestamp: i64,
    opts: &Tc3Options,
    cache: &Tc3KeyCache,
) -> Result<SignedRequest, SignError> {
    with_scratch(|s| sign_into(ctx, req, creds, timestamp, opts, cache, s)).map(|(r, _)| r)
}

/// The signer: canonical request and string to sign into `s`, returns the request and MAC.
fn sign_into(
    ctx: &OperationRef<'_>,
    mut req: WireRequest,
    creds: &TencentCredentials,
    timestamp: i64,
    opts: &Tc3Options,
    cache: &Tc3KeyCache,
    s: &mut Scratch,
) -> Result<(SignedRequest, [u8; 32]), SignError> {
    let version = ctx.version.ok_or(SignError::MissingVersion)?;
    if !(req.path.is_empty() || req.path == "/") {
        return Err(SignError::Unsupported("TC3 requests go to path /"));
    }
    let host = ctx.endpoint.host.as_str();
    let mut url = String::with_capacity(ctx.endpoint.scheme.len() + host.len() + 4);
    url.push_str(&ctx.endpoint.scheme);
    url.push_str("://");
    url.push_str(host);
    url.push('/');
    let query_start = url.len() + 1;
    let (body, default_ct) = match req.method {
        HttpMethod::Post => {
            if !req.params.is_empty() {
                return Err(SignError::Unsupported(
                    "TC3 POST carries a JSON body, not parameters",
                ));
            }
            let body = req.body.take().unwrap_or_else(|| b"{}".to_vec());
            (body, "application/json")
        }
        HttpMethod::Get => {
            if req.body.is_some() {
                return Err(SignError::Unsupported("TC3 GET cannot carry a body"));
            }
            if !req.params.is_empty() {
                url.push('?');
                push_canonical_query(&mut url, &req.params);
            }
            (Vec::new(), "application/x-www-form-urlencoded")
        }
    };
    let query = url.get(query_start..).unwrap_or_default();
    let content_type = find_header(&req.headers, "content-type")
        .unwrap_or(default_ct)
        .to_owned();
    let signed_headers = if opts.sign_action_header {
        "content-type;host;x-tc-action"
    } else {
        "content-type;host"
    };

    let canonical_request = &mut s.canonical;
    canonical_request.reserve(64 + query.len() + content_type.len() + host.len() + 128);
    canonical_request.push_str(req.method.as_str());
    canonical_request.push_str("\n/\n");
    canonical_request.push_str(query);
    canonical_request.push_str("\ncontent-type:");
    push_lower(canonical_request, content_type.trim());
    canonical_request.push_str("\nhost:");
    push_lower(canonical_request, host.trim());
    canonical_request.push('\n');
    if opts.sign_action_header {
        canonical_request.push_str("x-tc-action:");
        push_lower(canonical_request, ctx.action.trim());
        canonical_request.push('\n');
    }
    canonical_request.push('\n');
    canonical_request.push_str(signed_headers);
    canonical_request.push('\n');
    push_sha256_hex(canonical_request, &body);

    let service = ctx.service;
    let timestamp_str = timestamp.to_string();
    let string_to_sign = &mut s.sts;
    string_to_sign.reserve(128 + service.len());
    string_to_sign.push_str("TC3-HMAC-SHA256\n");
    string_to_sign.push_str(&timestamp_str);
    string_to_sign.push('\n');
    let scope_start = string_to_sign.len();
    push_utc_date(string_to_sign, timestamp);
    let date_end = string_to_sign.len();
    string_to_sign.push('/');
    string_to_sign.push_str(service);
    string_to_sign.push_str("/tc3_request");
    let scope_end = string_to_sign.len();
    string_to_sign.push('\n');
    push_sha256_hex(string_to_sign, s.canonical.as_bytes());
    let string_to_sign = &s.sts;
    let date = &string_to_sign[scope_start..date_end];
    let scope = &string_to_sign[scope_start..scope_end];
    let mac = cache.sign(
        creds.secret_key().expose(),
        date,
        service,
        string_to_sign.as_bytes(),
    );
    let mut authorization = String::with_capacity(
        64 + creds.secret_id().len() + scope.len() + signed_headers.len() + 64,
    );
    authorization.push_str("TC3-HMAC-SHA256 Credential=");
    authorization.push_str(creds.secret_id());
    authorization.push('/');
    authorization.push_str(scope);
    authorization.push_str(", SignedHeaders=");
    authorization.push_str(signed_headers);
    authorization.push_str(", Signature=");
    push_hex(&mut authorization, &mac);

    let mut headers: Vec<(HeaderName, String)> = Vec::with_capacity(9 + req.headers.len());
    headers.push(("Authorization".into(), authorization));
    headers.push(("Content-Type".into(), content_type));
    headers.push(("Host".into(), host.to_owned()));
    headers.push(("X-TC-Action".into(), ctx.action.to_owned()));
    headers.push(("X-TC-Timestamp".into(), timestamp_str));
    headers.push(("X-TC-Version".into(), version.to_owned()));
    if let Some(region) = ctx.region {
        headers.push(("X-TC-Region".into(), region.to_owned()));
    }
    if let Some(token) = creds.token() {
        headers.push(("X-TC-Token".into(), token.expose().to_owned()));
    }
    if let Some(lang) = &opts.language {
        headers.push(("X-TC-Language".into(), lang.clone()));
    }
    headers.extend(
        req.headers
            .into_iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("content-type"))
            .map(|(k, v)| (HeaderName::Owned(k), v)),
    );
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
