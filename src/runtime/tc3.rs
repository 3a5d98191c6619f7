//! Tencent Cloud API 3.0 signing, `TC3-HMAC-SHA256` (protocols.md §2).
//!
//! POST sends the JSON body bytes given and hashes exactly those bytes; GET sends the
//! parameters as a sorted RFC 3986 query and signs exactly that query string. The derived
//! signing key is cached per (secret, date, service) in a [`Tc3KeyCache`].

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

use super::credentials::TencentCredentials;
use super::crypto::{hmac_sha256, sha256_hex};
use super::encode::canonical_query;
use super::request::{
    HttpMethod, OperationContext, SignError, Signed, SignedRequest, SigningSteps, WireRequest,
    find_header,
};
use super::time_fmt::utc_date;

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

/// Cache of derived TC3 signing keys keyed by (SHA-256 of the secret key, date, service).
/// Bounded: it is cleared when it would exceed 64 entries. `Debug` shows only the size.
#[derive(Default)]
pub struct Tc3KeyCache {
    keys: Mutex<HashMap<(String, String, String), [u8; 32]>>,
}

const TC3_CACHE_MAX: usize = 64;

impl Tc3KeyCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The signing key for (`secret_key`, `date`, `service`), derived on a miss.
    pub fn signing_key(&self, secret_key: &str, date: &str, service: &str) -> [u8; 32] {
        let id = (
            sha256_hex(secret_key.as_bytes()),
            date.to_owned(),
            service.to_owned(),
        );
        let mut keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(k) = keys.get(&id) {
            return *k;
        }
        let k = derive_tc3_keys(secret_key, date, service).secret_signing;
        if keys.len() >= TC3_CACHE_MAX {
            keys.clear();
        }
        keys.insert(id, k);
        k
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
    let content_type = find_header(&req.headers, "content-type")
        .unwrap_or(default_ct)
        .to_owned();
    let host = ctx.endpoint.host.clone();

    let mut signed: Vec<(&str, String)> = vec![
        ("content-type", content_type.trim().to_ascii_lowercase()),
        ("host", host.trim().to_ascii_lowercase()),
    ];
    if opts.sign_action_header {
        signed.push(("x-tc-action", ctx.action.trim().to_ascii_lowercase()));
    }
    let canonical_headers: String = signed.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed_headers = signed.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(";");
    let canonical_request = format!(
        "{}\n/\n{}\n{}\n{}\n{}",
        req.method.as_str(),
        query,
        canonical_headers,
        signed_headers,
        sha256_hex(&body)
    );

    let date = utc_date(timestamp);
    let service = ctx.service.as_str();
    let scope = format!("{date}/{service}/tc3_request");
    let string_to_sign = format!(
        "TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let key = cache.signing_key(creds.secret_key().expose(), &date, service);
    let signature = hex::encode(hmac_sha256(&key, string_to_sign.as_bytes()));
    let authorization = format!(
        "TC3-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        creds.secret_id()
    );

    let mut headers: Vec<(String, String)> = vec![
        ("Authorization".into(), authorization),
        ("Content-Type".into(), content_type),
        ("Host".into(), host),
        ("X-TC-Action".into(), ctx.action.clone()),
        ("X-TC-Timestamp".into(), timestamp.to_string()),
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
