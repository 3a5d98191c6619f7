//! Huawei IAM token acquisition (`POST /v3/auth/tokens`) without a transport: build the
//! request, parse the response (token from the `X-Subject-Token` header, expiry from
//! `token.expires_at`), and cache tokens until shortly before they expire, judged by an
//! injected [`Clock`].

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use super::clock::Clock;
use super::credentials::Secret;
use super::decode::{DecodeError, Decoded, RawResponse, ServiceErrorParts, decode_huawei};
use super::request::{Endpoint, HttpMethod, SignedRequest};
use super::time_fmt::parse_iso8601_utc;

/// Password authentication of an IAM user.
#[derive(Debug, Clone)]
pub struct IamPasswordAuth {
    /// Account (domain) name.
    pub domain_name: String,
    /// IAM user name.
    pub user_name: String,
    /// The user's password.
    pub password: Secret,
}

/// The project a token is scoped to (KooPhone needs a project-level token).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum IamScope {
    /// By project id.
    ProjectId(String),
    /// By project name, e.g. `ap-southeast-1`.
    ProjectName(String),
}

/// The IAM endpoint of a region: `https://iam.<region>.myhuaweicloud.com`.
pub fn iam_endpoint(region: &str) -> Endpoint {
    Endpoint::https(format!("iam.{region}.myhuaweicloud.com"))
}

/// Builds the `POST /v3/auth/tokens` request for a project-scoped token.
pub fn iam_token_request(
    endpoint: &Endpoint,
    auth: &IamPasswordAuth,
    scope: &IamScope,
) -> SignedRequest {
    let project = match scope {
        IamScope::ProjectId(id) => json!({ "id": id }),
        IamScope::ProjectName(name) => json!({ "name": name }),
    };
    let body = json!({
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "domain": { "name": auth.domain_name },
                        "name": auth.user_name,
                        "password": auth.password.expose(),
                    }
                }
            },
            "scope": { "project": project }
        }
    });
    SignedRequest {
        method: HttpMethod::Post,
        url: endpoint.url("/v3/auth/tokens"),
        headers: vec![
            (
                "Content-Type".into(),
                "application/json;charset=utf8".into(),
            ),
            ("Host".into(), endpoint.host.clone()),
        ],
        body: body.to_string().into_bytes(),
    }
}

/// A token with its expiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IamToken {
    /// The token (send as `x-auth-token`).
    pub token: Secret,
    /// Expiry, Unix seconds.
    pub expires_at: i64,
}

/// Why a token response could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum IamTokenError {
    /// IAM returned an error.
    Service(ServiceErrorParts),
    /// The response could not be decoded.
    Decode(DecodeError),
}

impl fmt::Display for IamTokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Service(e) => write!(
                f,
                "IAM error {} (HTTP {}): {}",
                e.code, e.http_status, e.message
            ),
            Self::Decode(e) => write!(f, "IAM token response: {e}"),
        }
    }
}

impl std::error::Error for IamTokenError {}

fn decode_error(resp: &RawResponse, reason: &str) -> IamTokenError {
    IamTokenError::Decode(DecodeError::new(resp, reason))
}

/// Parses a token response: a 2xx (IAM answers 201) with the token in `X-Subject-Token` and
/// `token.expires_at` in the body; anything else decoded as a Huawei error.
pub fn parse_iam_token_response(resp: &RawResponse) -> Result<IamToken, IamTokenError> {
    if !(200..300).contains(&resp.status) {
        return match decode_huawei(resp) {
            Ok(Decoded::Error(e)) => Err(IamTokenError::Service(e)),
            Ok(Decoded::Success { .. }) => Err(decode_error(resp, "non-2xx status")),
            Err(e) => Err(IamTokenError::Decode(e)),
        };
    }
    let token = resp
        .header("x-subject-token")
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| decode_error(resp, "no X-Subject-Token header"))?;
    let body: Value = serde_json::from_slice(&resp.body)
        .map_err(|e| decode_error(resp, &format!("body is not JSON: {e}")))?;
    let expires_at = body
        .pointer("/token/expires_at")
        .and_then(Value::as_str)
        .and_then(parse_iso8601_utc)
        .ok_or_else(|| decode_error(resp, "no valid token.expires_at"))?;
    Ok(IamToken {
        token: Secret::new(token.trim()),
        expires_at,
    })
}

/// Default margin before expiry at which a cached token is no longer handed out (5 min).
pub const DEFAULT_REFRESH_MARGIN_SECS: i64 = 300;

/// Tokens by caller-chosen key (see [`iam_cache_key`]), valid until `refresh_margin_secs`
/// before their expiry according to the injected clock. `Debug` shows only the size.
pub struct IamTokenCache {
    clock: Arc<dyn Clock>,
    refresh_margin_secs: i64,
    entries: Mutex<HashMap<String, IamToken>>,
}

/// A cache key for a user and scope.
pub fn iam_cache_key(endpoint: &Endpoint, auth: &IamPasswordAuth, scope: &IamScope) -> String {
    let scope = match scope {
        IamScope::ProjectId(id) => format!("id:{id}"),
        IamScope::ProjectName(name) => format!("name:{name}"),
    };
    format!(
        "{}|{}|{}|{scope}",
        endpoint.host, auth.domain_name, auth.user_name
    )
}

impl IamTokenCache {
    /// A cache with the default refresh margin.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self::with_margin(clock, DEFAULT_REFRESH_MARGIN_SECS)
    }

    /// A cache that stops handing out a token `refresh_margin_secs` before it expires.
    pub fn with_margin(clock: Arc<dyn Clock>, refresh_margin_secs: i64) -> Self {
        Self {
            clock,
            refresh_margin_secs,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, IamToken>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The cached token for `key` if still fresh; a stale one is dropped.
    pub fn get(&self, key: &str) -> Option<Secret> {
        let now = self.clock.now_unix();
        let mut entries = self.lock();
        match entries.get(key) {
            Some(t) if now < t.expires_at.saturating_sub(self.refresh_margin_secs) => {
                Some(t.token.clone())
            }
            Some(_) => {
                entries.remove(key);
                None
            }
            None => None,
        }
    }

    /// Stores a token for `key`, replacing any previous one.
    pub fn insert(&self, key: impl Into<String>, token: IamToken) {
        self.lock().insert(key.into(), token);
    }

    /// Forgets the token for `key` (e.g. after the gateway rejected it).
    pub fn invalidate(&self, key: &str) {
        self.lock().remove(key);
    }

    /// Number of cached tokens, fresh or not.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl fmt::Debug for IamTokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IamTokenCache")
            .field("clock", &self.clock)
            .field("refresh_margin_secs", &self.refresh_margin_secs)
            .field("len", &self.len())
            .finish()
    }
}
