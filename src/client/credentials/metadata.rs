//! Temporary credentials of the instance's role, from the cloud's instance metadata service
//! (opt-in: [`Config::instance_metadata`](crate::Config::instance_metadata)).
//!
//! | provider | requests | answer | refreshed |
//! | --- | --- | --- | --- |
//! | Tencent (CVM role) | `GET http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/` (the role name), then `…/security-credentials/<role>` | JSON `TmpSecretId`, `TmpSecretKey`, `Token`, `ExpiredTime` (Unix seconds), `Code: "Success"` | 5 min before `ExpiredTime` |
//! | Alibaba (ECS RAM role) | `PUT http://100.100.100.200/latest/api/token` with `X-aliyun-ecs-metadata-token-ttl-seconds: 21600` (IMDSv2 token), then with `X-aliyun-ecs-metadata-token`: `GET /latest/meta-data/ram/security-credentials/` (role name) and `…/<role>` | JSON `AccessKeyId`, `AccessKeySecret`, `SecurityToken`, `Expiration` (ISO 8601 UTC), `Code: "Success"` | 3 min before `Expiration` |
//! | Huawei (ECS agency) | `PUT http://169.254.169.254/meta-data/latest/api/token` with `X-Metadata-Token-Ttl-Seconds: 21600`, then `GET /openstack/latest/securitykey` with `X-Metadata-Token` | JSON `credential`: `access`, `secret`, `securitytoken`, `expires_at` (ISO 8601 UTC) | 40 min before `expires_at` |
//!
//! Sources (read 2026-12-04): Tencent, "Querying instance metadata" and "Managing instance
//! roles" (<https://cloud.tencent.com/document/product/213/47668>) and the SDKs'
//! `CvmRoleProvider` (tencentcloud-sdk-go `common/cvm_role_provider.go`, refresh margin
//! `ExpiredTimeout = 300`); Alibaba, "Obtain a temporary authorization token"
//! (<https://help.aliyun.com/zh/ecs/user-guide/obtain-a-temporary-authorization-token>) and
//! credentials-go `providers/ecs_ram_role.go` (IMDSv2 token of 21600 s, refresh 180 s before
//! expiry, IMDSv1 fallback unless `ALIBABA_CLOUD_IMDSV1_DISABLED=true`); Huawei, "Obtaining
//! Metadata" (<https://support.huaweicloud.com/intl/en-us/usermanual-ecs/ecs_03_0166.html>) and
//! huaweicloud-sdk-go-v3 `core/auth/internal/metadata_accessor.go` (token answers 404, 405 and
//! 503 mean "no token service": continue without one) and `base_credentials.go` (refresh 40
//! min before expiry). Tencent documents no metadata token.
//!
//! Metadata requests never go through a proxy and have their own short timeout (default 2 s):
//! off the cloud, the address does not answer.

use std::time::Duration;

use serde_json::Value;

use super::provider::{FetchContext, ProvideCredentials, ProvideFuture, ProvidedCredentials};
use crate::client::endpoint::parse_endpoint;
use crate::client::error::{ConfigError, CredentialsError};
use crate::runtime::request::Endpoint;

/// The Tencent CVM metadata service.
pub const TENCENT_METADATA_ENDPOINT: &str = "http://metadata.tencentyun.com";
/// The Alibaba ECS metadata service.
pub const ALIBABA_METADATA_ENDPOINT: &str = "http://100.100.100.200";
/// The Huawei ECS metadata service.
pub const HUAWEI_METADATA_ENDPOINT: &str = "http://169.254.169.254";

/// Lifetime asked for an IMDSv2 session token (Alibaba and Huawei): 6 hours, the SDKs' value.
#[cfg(any(feature = "alibaba", feature = "huawei"))]
const TOKEN_TTL_SECS: &str = "21600";

/// Opting in to the instance's role credentials (see the [module docs](self)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceMetadata {
    pub(crate) endpoint: Option<String>,
    pub(crate) role_name: Option<String>,
    pub(crate) timeout: Duration,
    pub(crate) require_token: bool,
}

impl Default for InstanceMetadata {
    fn default() -> Self {
        Self::new()
    }
}

impl InstanceMetadata {
    /// The provider's metadata service, the role it reports, a 2 s timeout, and (Alibaba,
    /// Huawei) a session token when the service issues one.
    pub fn new() -> Self {
        InstanceMetadata {
            endpoint: None,
            role_name: None,
            timeout: Duration::from_secs(2),
            require_token: false,
        }
    }

    /// Asks another address (`http://127.0.0.1:PORT`: the emulator serves all three).
    #[must_use]
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// The role (Tencent, Alibaba) instead of the one the service lists.
    #[must_use]
    pub fn role_name(mut self, name: impl Into<String>) -> Self {
        self.role_name = Some(name.into());
        self
    }

    /// Timeout of each metadata request.
    #[must_use]
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// Alibaba and Huawei: fail when no session token can be had, instead of asking without
    /// one (Alibaba's `ALIBABA_CLOUD_IMDSV1_DISABLED=true` sets it).
    #[must_use]
    pub fn require_token(mut self, yes: bool) -> Self {
        self.require_token = yes;
        self
    }
}

/// The provider for one cloud.
#[derive(Debug)]
pub(crate) struct MetadataProvider {
    provider: &'static str,
    base: Endpoint,
    cfg: InstanceMetadata,
    http: reqwest::Client,
}

impl MetadataProvider {
    pub(crate) fn new(provider: &'static str, cfg: InstanceMetadata) -> Result<Self, ConfigError> {
        let default = match provider {
            "tencent" => TENCENT_METADATA_ENDPOINT,
            "alibaba" => ALIBABA_METADATA_ENDPOINT,
            _ => HUAWEI_METADATA_ENDPOINT,
        };
        let base = parse_endpoint(cfg.endpoint.as_deref().unwrap_or(default))?;
        let http = reqwest::Client::builder()
            .no_proxy()
            .connect_timeout(cfg.timeout)
            .build()
            .map_err(|e| ConfigError::Http(e.without_url().to_string()))?;
        Ok(MetadataProvider {
            provider,
            base,
            cfg,
            http,
        })
    }

    fn fail(&self, problem: impl std::fmt::Display) -> CredentialsError {
        CredentialsError::fetch(
            self.provider,
            format!("instance metadata at {}: {problem}", self.base.url("")),
        )
    }

    /// One request: status and body text.
    async fn ask(
        &self,
        method: reqwest::Method,
        path: &str,
        header: Option<(&str, &str)>,
    ) -> Result<(u16, String), CredentialsError> {
        let mut b = self
            .http
            .request(method, self.base.url(path))
            .timeout(self.cfg.timeout);
        if let Some((k, v)) = header {
            b = b.header(k, v);
        }
        let resp = b.send().await.map_err(|e| self.fail(e.without_url()))?;
        let status = resp.status().as_u16();
        let text = resp.text().await.map_err(|e| self.fail(e.without_url()))?;
        Ok((status, text))
    }

    /// A GET that must answer 200.
    async fn get_ok(
        &self,
        path: &str,
        header: Option<(&str, &str)>,
    ) -> Result<String, CredentialsError> {
        match self.ask(reqwest::Method::GET, path, header).await? {
            (200, body) => Ok(body),
            (404, _) => Err(self.fail(format!(
                "{path}: not found (is a role attached to the instance?)"
            ))),
            (s, _) => Err(self.fail(format!("{path}: HTTP {s}"))),
        }
    }

    /// An IMDSv2 session token: `None` when the service has none and none is required.
    #[cfg(any(feature = "alibaba", feature = "huawei"))]
    async fn session_token(
        &self,
        path: &str,
        ttl_header: &str,
    ) -> Result<Option<String>, CredentialsError> {
        let r = self
            .ask(
                reqwest::Method::PUT,
                path,
                Some((ttl_header, TOKEN_TTL_SECS)),
            )
            .await;
        match r {
            Ok((200, t)) if !t.trim().is_empty() => Ok(Some(t.trim().to_owned())),
            _ if !self.cfg.require_token => Ok(None),
            Ok((s, _)) => Err(self.fail(format!("no session token ({path}: HTTP {s})"))),
            Err(e) => Err(e),
        }
    }

    #[cfg(any(feature = "tencent", feature = "alibaba"))]
    async fn role(
        &self,
        list_path: &str,
        header: Option<(&str, &str)>,
    ) -> Result<String, CredentialsError> {
        if let Some(r) = &self.cfg.role_name {
            return Ok(r.clone());
        }
        let body = self.get_ok(list_path, header).await?;
        body.lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| self.fail("no role is attached to the instance"))
    }

    fn json(&self, body: &str) -> Result<Value, CredentialsError> {
        serde_json::from_str(body).map_err(|e| self.fail(format!("the answer is not JSON: {e}")))
    }

    #[cfg(feature = "tencent")]
    async fn tencent(&self) -> Result<ProvidedCredentials, CredentialsError> {
        const LIST: &str = "/latest/meta-data/cam/security-credentials/";
        let role = self.role(LIST, None).await?;
        let v = self.json(&self.get_ok(&format!("{LIST}{role}"), None).await?)?;
        success_code(&v).map_err(|c| self.fail(format!("role `{role}`: Code {c}")))?;
        let (id, key, token) = (
            str_field(&v, "TmpSecretId"),
            str_field(&v, "TmpSecretKey"),
            str_field(&v, "Token"),
        );
        let (Some(id), Some(key), Some(token), Some(exp)) =
            (id, key, token, v.get("ExpiredTime").and_then(Value::as_i64))
        else {
            return Err(self.fail(format!(
                "role `{role}`: no TmpSecretId, TmpSecretKey, Token and ExpiredTime"
            )));
        };
        let c = crate::runtime::TencentCredentials::new(id, key).with_token(token);
        Ok(ProvidedCredentials::expiring(c, exp).refresh_before(Duration::from_secs(300)))
    }

    #[cfg(feature = "alibaba")]
    async fn alibaba(&self) -> Result<ProvidedCredentials, CredentialsError> {
        const LIST: &str = "/latest/meta-data/ram/security-credentials/";
        const TOKEN: &str = "X-aliyun-ecs-metadata-token";
        let token = self
            .session_token(
                "/latest/api/token",
                "X-aliyun-ecs-metadata-token-ttl-seconds",
            )
            .await?;
        let header = token.as_deref().map(|t| (TOKEN, t));
        let role = self.role(LIST, header).await?;
        let v = self.json(&self.get_ok(&format!("{LIST}{role}"), header).await?)?;
        success_code(&v).map_err(|c| self.fail(format!("role `{role}`: Code {c}")))?;
        let fields = (
            str_field(&v, "AccessKeyId"),
            str_field(&v, "AccessKeySecret"),
            str_field(&v, "SecurityToken"),
            str_field(&v, "Expiration")
                .and_then(|e| crate::runtime::time_fmt::parse_iso8601_utc(&e)),
        );
        let (Some(id), Some(secret), Some(token), Some(exp)) = fields else {
            return Err(self.fail(format!(
                "role `{role}`: no AccessKeyId, AccessKeySecret, SecurityToken and Expiration"
            )));
        };
        let c = crate::runtime::AlibabaCredentials::new(id, secret).with_security_token(token);
        Ok(ProvidedCredentials::expiring(c, exp).refresh_before(Duration::from_secs(180)))
    }

    #[cfg(feature = "huawei")]
    async fn huawei(&self) -> Result<ProvidedCredentials, CredentialsError> {
        let token = self
            .session_token(
                "/meta-data/latest/api/token",
                "X-Metadata-Token-Ttl-Seconds",
            )
            .await?;
        let header = token.as_deref().map(|t| ("X-Metadata-Token", t));
        let v = self.json(&self.get_ok("/openstack/latest/securitykey", header).await?)?;
        let (access, secret, token, exp) = super::sts::huawei_credential(&v).ok_or_else(|| {
            self.fail("no credential.access, secret, securitytoken and expires_at")
        })?;
        let c = crate::runtime::HuaweiCredentials::AkSk {
            access_key: access,
            secret_key: secret.into(),
            security_token: Some(token.into()),
        };
        Ok(ProvidedCredentials::expiring(c, exp).refresh_before(Duration::from_secs(40 * 60)))
    }
}

impl ProvideCredentials for MetadataProvider {
    fn provide<'a>(&'a self, _cx: &'a FetchContext) -> ProvideFuture<'a> {
        Box::pin(async move {
            match self.provider {
                #[cfg(feature = "tencent")]
                "tencent" => self.tencent().await,
                #[cfg(feature = "alibaba")]
                "alibaba" => self.alibaba().await,
                #[cfg(feature = "huawei")]
                "huawei" => self.huawei().await,
                other => Err(self.fail(format!("no instance metadata for provider `{other}`"))),
            }
        })
    }
}

pub(crate) fn str_field(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// `Code` must be `Success` (Tencent and Alibaba metadata answers).
#[cfg(any(feature = "tencent", feature = "alibaba"))]
fn success_code(v: &Value) -> Result<(), String> {
    match v.get("Code").and_then(Value::as_str) {
        Some("Success") => Ok(()),
        Some(other) => Err(other.to_owned()),
        None => Err("missing".to_owned()),
    }
}
