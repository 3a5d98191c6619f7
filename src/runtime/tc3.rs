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
    hex32, hmac_sha256, hmac_sha256_keyed, hmac_sha256_with, push_lower, push_sha256_hex,
};
use super::encode::canonical_query;
use super::request::{
    HttpMethod, OperationContext, SignError, Signed, SignedRequest, SigningSteps, WireRequest,
    find_header,
};
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

/// Signs a TC3 call.
///
/// `Content-Type` is taken from `req.headers` if present, else `application/json` (POST) or
/// `application/x-www-form-urlencoded` (GET); the value sent is the value signed. POST sends
/// `req.body` (or `{}` if `None`) and takes no parameters; GET takes no body. Headers sent:
/// `Authorization`, `Content-Type`, `Host`, `X-TC-Action`, `X-TC-Timestamp`, `X-TC-Version`,
/// then `X-TC-Region`, `X-TC-Token`, `X-TC-Language` when set, then the action headers.
/// The scope service is `ctx.service`; the scope date is the UTC date of `timestamp`.
pub fn sign_tc3(
    ctx: &OperationContext,
    req: &WireRequest,
    creds: &TencentCredentials,
    timestamp: i64,
    opts: &Tc3Options,
    cache: &Tc3KeyCache,
) -> Result<Signed, SignError> {
    let version = ctx.version.as_deref().ok_or(SignError::MissingVersion)?;
    if !(req.path.is_empty() || req.path == "/") {
        return Err(SignError::Unsupported("TC3 requests go to path /"));
    }
    let (query, body, default_ct) = match req.method {
        HttpMethod::Post => {
            if !req.params.is_empty() {
                return Err(SignError::Unsupported(
                    "TC3 POST carries a JSON body, not parameters",
                ));
            }
            let body = req.body.clone().unwrap_or_else(|| b"{}".to_vec());
            (String::new(), body, "application/json")
        }
        HttpMethod::Get => {
            if req.body.is_some() {
                return Err(SignError::Unsupported("TC3 GET cannot carry a body"));
            }
            let q = canonical_query(&req.params);
            (q, Vec::new(), "application/x-www-form-urlencoded")
        }
    };
    let content_type = find_header(&req.headers, "content-type").unwrap_or(default_ct);
    let host = ctx.endpoint.host.as_str();
    let signed_headers = if opts.sign_action_header {
        "content-type;host;x-tc-action"
    } else {
        "content-type;host"
    };

    // One buffer, no intermediate strings (benches/signing.rs measures this path).
    let mut canonical_request = String::with_capacity(
        64 + query.len() + content_type.len() + host.len() + ctx.action.len() + 64,
    );
    canonical_request.push_str(req.method.as_str());
    canonical_request.push_str("\n/\n");
    canonical_request.push_str(&query);
    canonical_request.push_str("\ncontent-type:");
    push_lower(&mut canonical_request, content_type.trim());
    canonical_request.push_str("\nhost:");
    push_lower(&mut canonical_request, host.trim());
    canonical_request.push('\n');
    if opts.sign_action_header {
        canonical_request.push_str("x-tc-action:");
        push_lower(&mut canonical_request, ctx.action.trim());
        canonical_request.push('\n');
    }
    canonical_request.push('\n');
    canonical_request.push_str(signed_headers);
    canonical_request.push('\n');
    push_sha256_hex(&mut canonical_request, &body);

    let service = ctx.service.as_str();
    let timestamp_str = timestamp.to_string();
    let mut string_to_sign = String::with_capacity(128 + service.len());
    string_to_sign.push_str("TC3-HMAC-SHA256\n");
    string_to_sign.push_str(&timestamp_str);
    string_to_sign.push('\n');
    let scope_start = string_to_sign.len();
    push_utc_date(&mut string_to_sign, timestamp);
    let date_end = string_to_sign.len();
    string_to_sign.push('/');
    string_to_sign.push_str(service);
    string_to_sign.push_str("/tc3_request");
    let scope_end = string_to_sign.len();
    string_to_sign.push('\n');
    push_sha256_hex(&mut string_to_sign, canonical_request.as_bytes());
    let date = &string_to_sign[scope_start..date_end];
    let scope = &string_to_sign[scope_start..scope_end];
    let mac = cache.sign(
        creds.secret_key().expose(),
        date,
        service,
        string_to_sign.as_bytes(),
    );
    let signature = hex32(&mac);
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
    authorization.push_str(&signature);

    let mut headers: Vec<(String, String)> = vec![
        ("Authorization".into(), authorization),
        ("Content-Type".into(), content_type.to_owned()),
        ("Host".into(), host.to_owned()),
        ("X-TC-Action".into(), ctx.action.clone()),
        ("X-TC-Timestamp".into(), timestamp_str),
        ("X-TC-Version".into(), version.to_owned()),
    ];
    if let Some(region) = &ctx.region {
        headers.push(("X-TC-Region".into(), region.clone()));
    }
    if let Some(token) = creds.token() {
        headers.push(("X-TC-Token".into(), token.expose().to_owned()));
    }
    if let Some(lang) = &opts.language {
        headers.push(("X-TC-Language".into(), lang.clone()));
    }
    headers.extend(
        req.headers
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("content-type"))
            .cloned(),
    );
    let mut url = ctx.endpoint.url("/");
    url.reserve(query.len() + 1);
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
