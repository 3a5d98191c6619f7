//! Huawei IAM token acquisition for clients: `POST /v3/auth/tokens` with password auth and a
//! project scope, the token read from `X-Subject-Token`, cached until shortly before it expires
//! (the runtime's `IamTokenCache`), and dropped when the gateway rejects it (`APIG.0301`).

use std::sync::Arc;
use std::time::Duration;

use super::endpoint::parse_endpoint;
use super::error::ConfigError;
use super::transport;
use crate::runtime::clock::Clock;
use crate::runtime::credentials::Secret;
use crate::runtime::huawei_iam::{
    IamPasswordAuth, IamScope, IamTokenCache, IamTokenError, iam_cache_key, iam_endpoint,
    iam_token_request, parse_iam_token_response,
};
use crate::runtime::request::Endpoint;

/// How a Huawei client obtains IAM tokens by itself (instead of a fixed token or AK/SK).
#[derive(Clone, Debug)]
pub struct HuaweiIam {
    auth: IamPasswordAuth,
    scope: IamScope,
    endpoint: Option<String>,
}

impl HuaweiIam {
    /// Password auth of an IAM user, for a token scoped to `scope` (KooPhone needs a
    /// project-scoped token). The IAM endpoint defaults to `https://iam.<region>.myhuaweicloud.com`.
    pub fn new(auth: IamPasswordAuth, scope: IamScope) -> Self {
        HuaweiIam {
            auth,
            scope,
            endpoint: None,
        }
    }

    /// Sets the IAM endpoint (for example the emulator's `http://127.0.0.1:PORT`).
    #[must_use]
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }
}

/// A client's token source: where to ask, what to send, and the cache.
#[derive(Debug)]
pub(crate) struct IamSource {
    auth: IamPasswordAuth,
    scope: IamScope,
    endpoint: Endpoint,
    key: String,
    cache: IamTokenCache,
}

impl IamSource {
    pub(crate) fn new(
        iam: HuaweiIam,
        region: Option<&str>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, ConfigError> {
        let endpoint = match (&iam.endpoint, region) {
            (Some(e), _) => parse_endpoint(e)?,
            (None, Some(r)) => iam_endpoint(r),
            (None, None) => {
                return Err(ConfigError::MissingRegion {
                    service: "huawei/iam".to_owned(),
                });
            }
        };
        let key = iam_cache_key(&endpoint, &iam.auth, &iam.scope);
        Ok(IamSource {
            auth: iam.auth,
            scope: iam.scope,
            endpoint,
            key,
            cache: IamTokenCache::new(clock),
        })
    }

    /// A valid token: from the cache, or fetched (and cached) now.
    pub(crate) async fn token(
        &self,
        http: &reqwest::Client,
        user_agent: &str,
        timeout: Duration,
    ) -> Result<Secret, String> {
        if let Some(t) = self.cache.get(&self.key) {
            return Ok(t);
        }
        let request = iam_token_request(&self.endpoint, &self.auth, &self.scope);
        let raw = transport::send_keeping(http, request, user_agent, timeout, 1, |_| true)
            .await
            .map_err(|e| e.to_string())?;
        let token = parse_iam_token_response(&raw).map_err(|e| match e {
            IamTokenError::Service(parts) => format!(
                "IAM refused the token request: {}: {} (HTTP {})",
                parts.code, parts.message, parts.http_status
            ),
            other => other.to_string(),
        })?;
        let secret = token.token.clone();
        self.cache.insert(self.key.clone(), token);
        Ok(secret)
    }

    /// Forgets the cached token (the gateway rejected it).
    pub(crate) fn invalidate(&self) {
        self.cache.invalidate(&self.key);
    }
}
