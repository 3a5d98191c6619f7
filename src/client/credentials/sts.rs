//! Temporary credentials of a role, obtained with other credentials from the vendor's security
//! token service: [`AssumeRole`] ([`Config::assume_role`](crate::Config::assume_role), or the
//! vendors' own environment variables and profile settings).
//!
//! | provider | request | answer | default duration |
//! | --- | --- | --- | --- |
//! | Tencent | `AssumeRole` (version `2018-08-13`, TC3 service `sts`) on `sts.tencentcloudapi.com`: `RoleArn`, `RoleSessionName`, `DurationSeconds` (≤ 43200), `ExternalId` | `Credentials.TmpSecretId`, `.TmpSecretKey`, `.Token`; `ExpiredTime` (Unix seconds) | 7200 s |
//! | Alibaba | `AssumeRole` (RPC version `2015-04-01`) on `sts.aliyuncs.com` (`sts.<region>.aliyuncs.com` with a region): `RoleArn`, `RoleSessionName`, `DurationSeconds` (≥ 900), `ExternalId` | `Credentials.AccessKeyId`, `.AccessKeySecret`, `.SecurityToken`, `.Expiration` (ISO 8601 UTC) | 3600 s |
//! | Huawei | `POST /v3.0/OS-CREDENTIAL/securitytokens` on `iam.<region>.myhuaweicloud.com` (`iam.myhuaweicloud.com` without a region), signed with the AK/SK or sent with the token: `auth.identity.methods = ["assume_role"]`, `assume_role.domain_name`, `.agency_name`, `.duration_seconds` (900 to 86400), `.session_user.name` | HTTP 201, `credential.access`, `.secret`, `.securitytoken`, `.expires_at` (ISO 8601 UTC) | 3600 s |
//!
//! The credentials are asked for again 5 minutes (at most half their lifetime) before they
//! expire. Sources (read 2026-12-04): Tencent STS `AssumeRole`
//! (<https://www.tencentcloud.com/document/product/1150/49456>) and tencentcloud-sdk-go
//! `common/role_arn_provider.go`; Alibaba STS `AssumeRole`
//! (<https://help.aliyun.com/zh/ram/developer-reference/api-sts-2015-04-01-assumerole>) and
//! credentials-go `providers/ram_role_arn.go` (default 3600 s, minimum 900 s, endpoint
//! `sts[.<region>].aliyuncs.com`); Huawei IAM "Obtaining Temporary Access Keys and Security
//! Tokens of an Agency" (<https://support.huaweicloud.com/intl/en-us/api-iam/iam_04_0101.html>).

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
#[cfg(any(feature = "tencent", feature = "huawei"))]
use serde_json::json;

use super::Credentials;
use super::provider::{
    CredentialSource, FetchContext, ProvideCredentials, ProvideFuture, ProvidedCredentials,
};
use crate::client::endpoint::parse_endpoint;
use crate::client::error::{ConfigError, CredentialsError};
use crate::client::transport;
#[cfg(any(feature = "alibaba", feature = "huawei"))]
use crate::runtime::MacKeyCache;
use crate::runtime::decode::{Decoded, RawResponse};
use crate::runtime::request::{Endpoint, HttpMethod, OperationRef, SignedRequest, WireRequest};

/// Whose role to assume.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum RoleTarget {
    /// A Tencent (`qcs::cam::uin/…:roleName/…`) or Alibaba (`acs:ram::…:role/…`) role ARN.
    Arn(String),
    /// A Huawei agency of another account.
    HuaweiAgency {
        domain_name: String,
        agency_name: String,
    },
}

/// A role to assume with the credentials the chain found (see the [module docs](self)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssumeRole {
    pub(crate) target: RoleTarget,
    pub(crate) session_name: Option<String>,
    pub(crate) duration: Option<Duration>,
    pub(crate) endpoint: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) external_id: Option<String>,
}

impl AssumeRole {
    /// A Tencent or Alibaba role, by ARN.
    pub fn role_arn(arn: impl Into<String>) -> Self {
        Self::with(RoleTarget::Arn(arn.into()))
    }

    /// A Huawei agency (`agency_name`) created by the account `domain_name`.
    pub fn huawei_agency(domain_name: impl Into<String>, agency_name: impl Into<String>) -> Self {
        Self::with(RoleTarget::HuaweiAgency {
            domain_name: domain_name.into(),
            agency_name: agency_name.into(),
        })
    }

    fn with(target: RoleTarget) -> Self {
        AssumeRole {
            target,
            session_name: None,
            duration: None,
            endpoint: None,
            region: None,
            external_id: None,
        }
    }

    /// The session name (default `cloudbackup-<unix seconds>`).
    #[must_use]
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// How long the credentials last (default: the vendor's, see the module docs).
    #[must_use]
    pub fn duration(mut self, d: Duration) -> Self {
        self.duration = Some(d);
        self
    }

    /// Asks another address (`http://127.0.0.1:PORT`: the emulator serves all three).
    #[must_use]
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// The STS region: Tencent's `Region` parameter (default `ap-guangzhou`, as the SDKs),
    /// Alibaba's regional endpoint `sts.<region>.aliyuncs.com` (default the global
    /// `sts.aliyuncs.com`, as credentials-go), Huawei's IAM region (default the client's).
    #[must_use]
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The external id the role's trust policy asks for (Tencent, Alibaba).
    #[must_use]
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }
}

/// Assumes `role` with the credentials of `base`.
#[derive(Debug)]
pub(crate) struct StsProvider {
    provider: &'static str,
    role: AssumeRole,
    region: Option<String>,
    endpoint: Endpoint,
    base: CredentialSource,
    #[cfg(any(feature = "alibaba", feature = "huawei"))]
    keys: MacKeyCache,
}

impl StsProvider {
    pub(crate) fn new(
        provider: &'static str,
        role: AssumeRole,
        client_region: Option<&str>,
        base: CredentialSource,
    ) -> Result<Self, ConfigError> {
        // Only Huawei follows the client's region (its IAM is regional); Tencent and Alibaba
        // use the SDKs' defaults unless told.
        let region = role
            .region
            .clone()
            .or_else(|| (provider == "huawei").then(|| client_region.map(str::to_owned))?);
        let bad = |why: &str| ConfigError::Role(why.to_owned());
        match (&role.target, provider) {
            (RoleTarget::Arn(_), "tencent" | "alibaba")
            | (RoleTarget::HuaweiAgency { .. }, "huawei") => {}
            (RoleTarget::Arn(_), _) => {
                return Err(bad(
                    "Huawei assumes agencies: use AssumeRole::huawei_agency",
                ));
            }
            (RoleTarget::HuaweiAgency { .. }, _) => {
                return Err(bad("an agency is a Huawei role: use AssumeRole::role_arn"));
            }
        }
        let endpoint = match (&role.endpoint, provider) {
            (Some(e), _) => parse_endpoint(e)?,
            (None, "tencent") => Endpoint::https("sts.tencentcloudapi.com"),
            (None, "alibaba") => Endpoint::https(match &region {
                Some(r) => format!("sts.{r}.aliyuncs.com"),
                None => "sts.aliyuncs.com".to_owned(),
            }),
            (None, _) => Endpoint::https(match &region {
                Some(r) => format!("iam.{r}.myhuaweicloud.com"),
                None => "iam.myhuaweicloud.com".to_owned(),
            }),
        };
        Ok(StsProvider {
            provider,
            role,
            region,
            endpoint,
            base,
            #[cfg(any(feature = "alibaba", feature = "huawei"))]
            keys: MacKeyCache::new(),
        })
    }

    fn fail(&self, problem: impl std::fmt::Display) -> CredentialsError {
        CredentialsError::fetch(
            self.provider,
            format!("assuming a role at {}: {problem}", self.endpoint.url("")),
        )
    }

    fn duration_secs(&self, default: u64) -> u64 {
        self.role.duration.map_or(default, |d| d.as_secs())
    }

    fn session(&self, now: i64) -> String {
        self.role
            .session_name
            .clone()
            .unwrap_or_else(|| format!("cloudbackup-{now}"))
    }

    async fn fetch(&self, cx: &FetchContext) -> Result<ProvidedCredentials, CredentialsError> {
        let base = self.base.get(cx).await?;
        let now = cx.clock.now_unix();
        let signed = self.sign(&base.credentials, cx, now)?;
        let mut raw =
            transport::send_keeping(&cx.http, signed, &cx.user_agent, cx.timeout, 1, |_| true)
                .await
                .map_err(|e| self.fail(e))?;
        crate::client::redact::redact(&mut raw.body, &base.patterns);
        self.parse(&raw).map_err(|mut e| {
            if cx.capture_raw {
                e.raw = Some(Box::new(crate::client::response::capture(
                    &raw,
                    &base.patterns,
                )));
            }
            e
        })
    }

    fn sign(
        &self,
        creds: &Credentials,
        #[cfg_attr(
            not(any(feature = "alibaba", feature = "huawei")),
            allow(unused_variables)
        )]
        cx: &FetchContext,
        now: i64,
    ) -> Result<SignedRequest, CredentialsError> {
        let session = self.session(now);
        #[cfg(any(feature = "tencent", feature = "alibaba"))]
        let arn = match &self.role.target {
            RoleTarget::Arn(a) => a.as_str(),
            RoleTarget::HuaweiAgency { .. } => "",
        };
        let signed = match creds {
            #[cfg(feature = "tencent")]
            Credentials::Tencent(c) => {
                let mut body = json!({
                    "RoleArn": arn,
                    "RoleSessionName": session,
                    "DurationSeconds": self.duration_secs(7200),
                });
                if let Some(x) = &self.role.external_id {
                    body["ExternalId"] = json!(x);
                }
                let mut wire = WireRequest::new(HttpMethod::Post, "/");
                wire.body = Some(body.to_string().into_bytes());
                let ctx = OperationRef {
                    endpoint: &self.endpoint,
                    action: "AssumeRole",
                    version: Some("2018-08-13"),
                    region: Some(self.region.as_deref().unwrap_or("ap-guangzhou")),
                    service: "sts",
                };
                crate::runtime::tc3::sign_tc3_request(
                    &ctx,
                    wire,
                    c,
                    now,
                    &crate::runtime::Tc3Options::default(),
                    &crate::runtime::Tc3KeyCache::new(),
                )
            }
            #[cfg(feature = "alibaba")]
            Credentials::Alibaba(c) => {
                let mut wire = WireRequest::new(HttpMethod::Post, "/");
                wire.params = vec![
                    ("RoleArn".to_owned(), arn.to_owned()),
                    ("RoleSessionName".to_owned(), session),
                    (
                        "DurationSeconds".to_owned(),
                        self.duration_secs(3600).to_string(),
                    ),
                ];
                if let Some(x) = &self.role.external_id {
                    wire.params.push(("ExternalId".to_owned(), x.clone()));
                }
                let ctx = OperationRef {
                    endpoint: &self.endpoint,
                    action: "AssumeRole",
                    version: Some("2015-04-01"),
                    region: self.region.as_deref(),
                    service: "sts",
                };
                crate::runtime::acs3::sign_acs3_request(
                    &ctx,
                    wire,
                    c,
                    now,
                    cx.nonce.as_ref(),
                    &self.keys,
                )
            }
            #[cfg(feature = "huawei")]
            Credentials::Huawei(c) => {
                let RoleTarget::HuaweiAgency {
                    domain_name,
                    agency_name,
                } = &self.role.target
                else {
                    return Err(self.fail("not an agency"));
                };
                let body = json!({"auth": {"identity": {
                    "methods": ["assume_role"],
                    "assume_role": {
                        "domain_name": domain_name,
                        "agency_name": agency_name,
                        "duration_seconds": self.duration_secs(3600),
                        "session_user": {"name": session},
                    }
                }}});
                let mut wire =
                    WireRequest::new(HttpMethod::Post, "/v3.0/OS-CREDENTIAL/securitytokens");
                wire.headers.push((
                    "Content-Type".to_owned(),
                    "application/json;charset=utf8".to_owned(),
                ));
                wire.body = Some(body.to_string().into_bytes());
                let ctx = OperationRef {
                    endpoint: &self.endpoint,
                    action: "CreateTemporaryAccessKeyByAgency",
                    version: None,
                    region: self.region.as_deref(),
                    service: "iam",
                };
                crate::runtime::huawei::sign_huawei_request(
                    &ctx,
                    wire,
                    c,
                    now,
                    cx.nonce.as_ref(),
                    &self.keys,
                )
            }
        };
        signed.map_err(|e| self.fail(e))
    }

    fn parse(&self, raw: &RawResponse) -> Result<ProvidedCredentials, CredentialsError> {
        let decoded = match self.provider {
            #[cfg(feature = "tencent")]
            "tencent" => crate::runtime::decode::decode_tc3(raw),
            #[cfg(feature = "alibaba")]
            "alibaba" => crate::runtime::decode::decode_alibaba(raw),
            #[cfg(feature = "huawei")]
            "huawei" => crate::runtime::decode::decode_huawei(raw),
            _ => return Err(self.fail("no STS for this provider")),
        };
        let (payload, request_id) = match decoded {
            Ok(Decoded::Success { payload, meta }) => (payload, meta.request_id),
            Ok(Decoded::Error(e)) => {
                let mut err = self.fail(format!(
                    "refused: {}: {} (HTTP {})",
                    e.code, e.message, e.http_status
                ));
                err.request_id = e.request_id;
                return Err(err);
            }
            Err(e) => {
                let mut err = self.fail(&e);
                err.request_id = e.request_id.clone();
                return Err(err);
            }
        };
        let parsed = self.credentials_of(&payload);
        parsed.ok_or_else(|| {
            let mut err = self.fail("the answer has no complete credentials");
            err.request_id = request_id;
            err
        })
    }

    fn credentials_of(&self, v: &Value) -> Option<ProvidedCredentials> {
        #[cfg(any(feature = "tencent", feature = "alibaba"))]
        use super::metadata::str_field;
        let p = match self.provider {
            #[cfg(feature = "tencent")]
            "tencent" => {
                let c = v.get("Credentials")?;
                let creds = crate::runtime::TencentCredentials::new(
                    str_field(c, "TmpSecretId")?,
                    str_field(c, "TmpSecretKey")?,
                )
                .with_token(str_field(c, "Token")?);
                ProvidedCredentials::expiring(creds, v.get("ExpiredTime")?.as_i64()?)
            }
            #[cfg(feature = "alibaba")]
            "alibaba" => {
                let c = v.get("Credentials")?;
                let exp =
                    crate::runtime::time_fmt::parse_iso8601_utc(&str_field(c, "Expiration")?)?;
                let creds = crate::runtime::AlibabaCredentials::new(
                    str_field(c, "AccessKeyId")?,
                    str_field(c, "AccessKeySecret")?,
                )
                .with_security_token(str_field(c, "SecurityToken")?);
                ProvidedCredentials::expiring(creds, exp)
            }
            #[cfg(feature = "huawei")]
            "huawei" => {
                let (access, secret, token, exp) = huawei_credential(v)?;
                let creds = crate::runtime::HuaweiCredentials::AkSk {
                    access_key: access,
                    secret_key: secret.into(),
                    security_token: Some(token.into()),
                };
                ProvidedCredentials::expiring(creds, exp)
            }
            _ => return None,
        };
        Some(p)
    }
}

impl ProvideCredentials for StsProvider {
    fn provide<'a>(&'a self, cx: &'a FetchContext) -> ProvideFuture<'a> {
        Box::pin(self.fetch(cx))
    }
}

/// Huawei's `{"credential": {"access", "secret", "securitytoken", "expires_at"}}` (IAM
/// security tokens and the ECS metadata `securitykey`).
#[cfg(feature = "huawei")]
pub(crate) fn huawei_credential(v: &Value) -> Option<(String, String, String, i64)> {
    use super::metadata::str_field;
    let c = v.get("credential")?;
    let exp = crate::runtime::time_fmt::parse_iso8601_utc(&str_field(c, "expires_at")?)?;
    Some((
        str_field(c, "access")?,
        str_field(c, "secret")?,
        str_field(c, "securitytoken")?,
        exp,
    ))
}

/// The provider a role assumption wraps `base` in.
pub(crate) fn provider(
    provider: &'static str,
    role: AssumeRole,
    client_region: Option<&str>,
    base: CredentialSource,
) -> Result<Arc<dyn ProvideCredentials>, ConfigError> {
    Ok(Arc::new(StsProvider::new(
        provider,
        role,
        client_region,
        base,
    )?))
}
