//! Huawei IAM token acquisition for clients: `POST /v3/auth/tokens` with password auth and a
//! project scope, the token read from `X-Subject-Token`, cached by the client until shortly
//! before it expires, and dropped when the gateway rejects it (`APIG.0301`).

use std::time::Duration;

use super::credentials::provider::{
    FetchContext, ProvideCredentials, ProvideFuture, ProvidedCredentials,
};
use super::endpoint::parse_endpoint;
use super::error::{ConfigError, CredentialsError};
use super::transport;
use crate::runtime::HuaweiCredentials;
use crate::runtime::huawei_iam::{
    DEFAULT_REFRESH_MARGIN_SECS, IamPasswordAuth, IamScope, IamTokenError, iam_endpoint,
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

/// A client's token source: where to ask and what to send. The client's credentials cache
/// keeps the token until shortly before it expires (5 minutes) and drops it when the gateway
/// rejects it (`APIG.0301`).
#[derive(Debug)]
pub(crate) struct IamSource {
    auth: IamPasswordAuth,
    scope: IamScope,
    endpoint: Endpoint,
}

impl IamSource {
    pub(crate) fn new(iam: HuaweiIam, region: Option<&str>) -> Result<Self, ConfigError> {
        let endpoint = match (&iam.endpoint, region) {
            (Some(e), _) => parse_endpoint(e)?,
            (None, Some(r)) => iam_endpoint(r),
            (None, None) => {
                return Err(ConfigError::MissingRegion {
                    service: "huawei/iam".to_owned(),
                });
            }
        };
        Ok(IamSource {
            auth: iam.auth,
            scope: iam.scope,
            endpoint,
        })
    }

    async fn fetch(&self, cx: &FetchContext) -> Result<ProvidedCredentials, CredentialsError> {
        let fail = |m: String| CredentialsError::fetch("huawei", format!("IAM token: {m}"));
        let request = iam_token_request(&self.endpoint, &self.auth, &self.scope);
        let mut raw =
            transport::send_keeping(&cx.http, request, &cx.user_agent, cx.timeout, 1, |_| true)
                .await
                .map_err(|e| fail(e.to_string()))?;
        let mut refused = match parse_iam_token_response(&raw) {
            Ok(t) => {
                return Ok(ProvidedCredentials::expiring(
                    HuaweiCredentials::Token(t.token),
                    t.expires_at,
                )
                .refresh_before(Duration::from_secs(
                    DEFAULT_REFRESH_MARGIN_SECS.unsigned_abs(),
                )));
            }
            Err(IamTokenError::Service(parts)) => {
                let mut e = fail(format!(
                    "IAM refused the token request: {}: {} (HTTP {})",
                    parts.code, parts.message, parts.http_status
                ));
                e.request_id = parts.request_id;
                e
            }
            Err(other) => fail(other.to_string()),
        };
        // A refusal keeps the answer (opt-in), the password redacted should IAM echo it.
        if cx.capture_raw {
            let patterns = super::redact::of_secrets(&[self.auth.password.expose()]);
            super::redact::redact(&mut raw.body, &patterns);
            refused.raw = Some(Box::new(super::response::capture(&raw, &patterns)));
        }
        Err(refused)
    }
}

impl ProvideCredentials for IamSource {
    fn provide<'a>(&'a self, cx: &'a FetchContext) -> ProvideFuture<'a> {
        Box::pin(self.fetch(cx))
    }
}
