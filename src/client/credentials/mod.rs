//! Credentials for a client: explicit keys, the vendors' environment variables and profile
//! files, the instance's role (opt-in), a role assumed through the vendor's STS, or a provider
//! of the caller's. The order, the same for every provider, is the table "Credentials and
//! region" of the crate's README:
//!
//! 1. [`Config::credentials`](crate::Config::credentials) (or a
//!    [`Config::credentials_provider`](crate::Config::credentials_provider), or Huawei's
//!    [`Config::huawei_iam`](crate::Config::huawei_iam));
//! 2. the environment variables (skipped when [`Config::profile`](crate::Config::profile)
//!    names a profile);
//! 3. the profile files ([`files`] has their formats), which may also designate a role or the
//!    instance role;
//! 4. the instance metadata service, only when opted in ([`metadata`]);
//! 5. then, when a role is configured ([`Config::assume_role`](crate::Config::assume_role), the
//!    environment or the profile), the credentials found are exchanged for the role's
//!    temporary ones ([`sts`]), refreshed before they expire.
//!
//! | provider | environment variables |
//! | --- | --- |
//! | Tencent | `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`, `TENCENTCLOUD_TOKEN` (TCCLI's name; `TENCENTCLOUD_SESSION_TOKEN` also read), `TENCENTCLOUD_ROLE_ARN` + `TENCENTCLOUD_ROLE_SESSION_NAME`, profile `TCCLI_PROFILE` (or `TENCENTCLOUD_PROFILE`), region `TENCENTCLOUD_REGION` |
//! | Alibaba | `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, `ALIBABA_CLOUD_SECURITY_TOKEN`, `ALIBABA_CLOUD_ROLE_ARN` (+ `ALIBABA_CLOUD_ROLE_SESSION_NAME`, `ALIBABA_CLOUD_STS_REGION`), `ALIBABA_CLOUD_ECS_METADATA` (an ECS role name: opts in), `ALIBABA_CLOUD_ECS_METADATA_DISABLED`, `ALIBABA_CLOUD_IMDSV1_DISABLED`, profile `ALIBABA_CLOUD_PROFILE`, region `ALIBABA_CLOUD_REGION_ID` |
//! | Huawei | `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, `HUAWEICLOUD_SDK_SECURITY_TOKEN`; this crate's `HUAWEICLOUD_IAM_TOKEN` (a ready IAM token) and `HUAWEICLOUD_SDK_REGION` (Huawei's SDKs define no default-region variable: theirs, `HUAWEICLOUD_SDK_REGION_<SERVICE>_<REGION>`, map a region to an endpoint) |
//!
//! Sources (read 2026-12-04): TCCLI `tccli/options_define.py` and README "凭证管理"; aliyun CLI
//! `config/profile.go` and credentials-go `providers/env.go`, `providers/ecs_ram_role.go`,
//! `providers/ram_role_arn.go`; huaweicloud-sdk-go-v3 README "Environment Variables" and
//! `core/region/env_region.go`. Lookups go through an [`Env`], so tests inject variables and a
//! home directory instead of touching real ones. Each provider's lookup is behind its feature.

pub(crate) mod chain;
pub mod files;
pub mod metadata;
pub mod provider;
pub mod sts;

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::error::CredentialsError;
#[cfg(feature = "alibaba")]
use crate::runtime::credentials::AlibabaCredentials;
#[cfg(feature = "tencent")]
use crate::runtime::credentials::TencentCredentials;
#[cfg(feature = "huawei")]
use crate::runtime::credentials::{HuaweiCredentials, Secret};
#[cfg(any(feature = "tencent", feature = "alibaba"))]
use metadata::InstanceMetadata;
#[cfg(any(feature = "tencent", feature = "alibaba"))]
use sts::AssumeRole;

/// Credentials of one provider.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Credentials {
    /// Tencent Cloud (API 2.0 and TC3).
    #[cfg(feature = "tencent")]
    Tencent(TencentCredentials),
    /// Alibaba Cloud.
    #[cfg(feature = "alibaba")]
    Alibaba(AlibabaCredentials),
    /// Huawei Cloud.
    #[cfg(feature = "huawei")]
    Huawei(HuaweiCredentials),
}

impl Credentials {
    /// The provider id (`tencent`, `alibaba`, `huawei`).
    pub fn provider(&self) -> &'static str {
        match self {
            #[cfg(feature = "tencent")]
            Credentials::Tencent(_) => "tencent",
            #[cfg(feature = "alibaba")]
            Credentials::Alibaba(_) => "alibaba",
            #[cfg(feature = "huawei")]
            Credentials::Huawei(_) => "huawei",
        }
    }

    /// Finds ready credentials for `provider` in `env`: its environment variables first, then
    /// its profile files (not a role or the instance role: a client resolves those).
    ///
    /// # Errors
    ///
    /// [`CredentialsError`] naming every variable and file looked at.
    pub fn from_env(provider: &str, env: &Env) -> Result<Self, CredentialsError> {
        static_only(provider, env)
    }
}

#[cfg(feature = "tencent")]
impl From<TencentCredentials> for Credentials {
    fn from(c: TencentCredentials) -> Self {
        Credentials::Tencent(c)
    }
}

#[cfg(feature = "alibaba")]
impl From<AlibabaCredentials> for Credentials {
    fn from(c: AlibabaCredentials) -> Self {
        Credentials::Alibaba(c)
    }
}

#[cfg(feature = "huawei")]
impl From<HuaweiCredentials> for Credentials {
    fn from(c: HuaweiCredentials) -> Self {
        Credentials::Huawei(c)
    }
}

/// Where credentials are looked for: environment variables and a home directory.
///
/// [`Env::process`] reads the real ones; [`Env::new`] takes a map and a home for tests.
/// `Debug` shows only the variable names, never values.
#[derive(Clone, Default)]
pub struct Env {
    vars: Option<BTreeMap<String, String>>,
    home: Option<PathBuf>,
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Env")
            .field(
                "vars",
                &self
                    .vars
                    .as_ref()
                    .map(|m| m.keys().cloned().collect::<Vec<_>>()),
            )
            .field("home", &self.home)
            .finish()
    }
}

impl Env {
    /// The process environment and the user's home directory (`HOME`, else `USERPROFILE`).
    pub fn process() -> Self {
        let home = std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        Self { vars: None, home }
    }

    /// Injected variables and home directory (no home: no profile files are read).
    pub fn new<K, V>(vars: impl IntoIterator<Item = (K, V)>, home: Option<PathBuf>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        Self {
            vars: Some(
                vars.into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            ),
            home,
        }
    }

    /// A variable's value; unset and empty are the same.
    pub fn var(&self, name: &str) -> Option<String> {
        let v = match &self.vars {
            Some(m) => m.get(name).cloned(),
            None => std::env::var(name).ok(),
        };
        v.filter(|s| !s.trim().is_empty())
    }

    /// The home directory, if known.
    pub fn home(&self) -> Option<&std::path::Path> {
        self.home.as_deref()
    }
}

/// What the environment or a profile designates.
#[derive(Debug)]
pub(crate) enum Found {
    /// Ready credentials.
    Static(Credentials),
    /// Credentials to assume a role with (TCCLI `role-arn`, aliyun `RamRoleArn`, the role
    /// environment variables).
    #[cfg(any(feature = "tencent", feature = "alibaba"))]
    Role { base: Credentials, role: AssumeRole },
    /// The instance's role (TCCLI `"type": "cvm-role"`, aliyun `EcsRamRole`,
    /// `ALIBABA_CLOUD_ECS_METADATA`).
    #[cfg(any(feature = "tencent", feature = "alibaba"))]
    Metadata(InstanceMetadata),
}

/// The environment and profile part of the chain for one provider.
#[derive(Debug, Default)]
pub(crate) struct Lookup {
    pub(crate) found: Option<Found>,
    pub(crate) region: Option<String>,
    pub(crate) variables: Vec<&'static str>,
    pub(crate) files: Vec<String>,
}

/// The display name of a provider id.
pub(crate) fn provider_name(provider: &str) -> &'static str {
    match provider {
        "tencent" => "Tencent Cloud",
        "alibaba" => "Alibaba Cloud",
        "huawei" => "Huawei Cloud",
        _ => "unknown-provider",
    }
}

impl Lookup {
    pub(crate) fn error(&self, provider: &str, problem: Option<String>) -> CredentialsError {
        CredentialsError {
            provider: provider_name(provider),
            variables: self.variables.iter().map(|s| (*s).to_owned()).collect(),
            files: self.files.clone(),
            problem,
            request_id: None,
            raw: None,
        }
    }
}

/// A pair of variables: both set, neither, or a problem naming the missing one.
#[cfg(any(feature = "tencent", feature = "alibaba", feature = "huawei"))]
fn pair(env: &Env, a: &str, b: &str) -> Result<Option<(String, String)>, String> {
    match (env.var(a), env.var(b)) {
        (Some(x), Some(y)) => Ok(Some((x, y))),
        (None, None) => Ok(None),
        (Some(_), None) => Err(format!("{a} is set but {b} is not")),
        (None, Some(_)) => Err(format!("{b} is set but {a} is not")),
    }
}

/// The environment, then the profile files, of `provider`; `profile` (from
/// [`Config::profile`](crate::Config::profile)) skips the environment.
///
/// # Errors
///
/// [`CredentialsError`] for a half-set pair of variables or an unreadable or malformed file.
pub(crate) fn lookup(
    provider: &str,
    env: &Env,
    profile: Option<&str>,
) -> Result<Lookup, CredentialsError> {
    let mut l = Lookup::default();
    let r = match provider {
        #[cfg(feature = "tencent")]
        "tencent" => tencent(env, profile, &mut l),
        #[cfg(feature = "alibaba")]
        "alibaba" => alibaba(env, profile, &mut l),
        #[cfg(feature = "huawei")]
        "huawei" => huawei(env, profile, &mut l),
        _ => Err(format!("no credential lookup for provider `{provider}`")),
    };
    match r {
        Ok(()) => Ok(l),
        Err(p) => Err(l.error(provider, Some(p))),
    }
}

#[cfg(feature = "tencent")]
fn tencent(env: &Env, explicit: Option<&str>, l: &mut Lookup) -> Result<(), String> {
    l.variables = vec![
        "TENCENTCLOUD_SECRET_ID",
        "TENCENTCLOUD_SECRET_KEY",
        "TENCENTCLOUD_TOKEN",
        "TENCENTCLOUD_SESSION_TOKEN",
        "TENCENTCLOUD_ROLE_ARN",
        "TENCENTCLOUD_REGION",
        "TCCLI_PROFILE",
    ];
    if explicit.is_none() {
        l.region = env.var("TENCENTCLOUD_REGION");
        if let Some((id, key)) = pair(env, "TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY")? {
            let mut c = TencentCredentials::new(id, key);
            if let Some(t) = env
                .var("TENCENTCLOUD_TOKEN")
                .or_else(|| env.var("TENCENTCLOUD_SESSION_TOKEN"))
            {
                c = c.with_token(t);
            }
            l.found = Some(match env.var("TENCENTCLOUD_ROLE_ARN") {
                Some(arn) => {
                    let mut role = AssumeRole::role_arn(arn);
                    if let Some(s) = env.var("TENCENTCLOUD_ROLE_SESSION_NAME") {
                        role = role.session_name(s);
                    }
                    Found::Role {
                        base: c.into(),
                        role,
                    }
                }
                None => Found::Static(c.into()),
            });
        }
    }
    let name = explicit
        .map(str::to_owned)
        .or_else(|| env.var("TCCLI_PROFILE"))
        .or_else(|| env.var("TENCENTCLOUD_PROFILE"))
        .unwrap_or_else(|| "default".to_owned());
    let p = files::tencent(env, &name, &mut l.files)?;
    l.region = l.region.take().or(p.region);
    if l.found.is_none() {
        l.found = p.found;
    }
    Ok(())
}

#[cfg(feature = "alibaba")]
fn alibaba(env: &Env, explicit: Option<&str>, l: &mut Lookup) -> Result<(), String> {
    l.variables = vec![
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "ALIBABA_CLOUD_SECURITY_TOKEN",
        "ALIBABA_CLOUD_ROLE_ARN",
        "ALIBABA_CLOUD_ECS_METADATA",
        "ALIBABA_CLOUD_REGION_ID",
        "ALIBABA_CLOUD_PROFILE",
    ];
    let role_from_env = |env: &Env| {
        env.var("ALIBABA_CLOUD_ROLE_ARN").map(|arn| {
            let mut role = AssumeRole::role_arn(arn);
            if let Some(s) = env.var("ALIBABA_CLOUD_ROLE_SESSION_NAME") {
                role = role.session_name(s);
            }
            if let Some(r) = env.var("ALIBABA_CLOUD_STS_REGION") {
                role = role.region(r);
            }
            role
        })
    };
    if explicit.is_none() {
        l.region = env.var("ALIBABA_CLOUD_REGION_ID");
        let keys = pair(
            env,
            "ALIBABA_CLOUD_ACCESS_KEY_ID",
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        )?;
        if let Some((id, secret)) = keys {
            let mut c = AlibabaCredentials::new(id, secret);
            if let Some(t) = env.var("ALIBABA_CLOUD_SECURITY_TOKEN") {
                c = c.with_security_token(t);
            }
            l.found = Some(match role_from_env(env) {
                Some(role) => Found::Role {
                    base: c.into(),
                    role,
                },
                None => Found::Static(c.into()),
            });
        }
    }
    let name = explicit
        .map(str::to_owned)
        .or_else(|| env.var("ALIBABA_CLOUD_PROFILE"));
    let p = files::alibaba(env, name.as_deref(), &mut l.files)?;
    l.region = l.region.take().or(p.region);
    if l.found.is_none() {
        l.found = p.found;
    }
    let disabled = env
        .var("ALIBABA_CLOUD_ECS_METADATA_DISABLED")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if l.found.is_none()
        && !disabled
        && explicit.is_none()
        && let Some(role) = env.var("ALIBABA_CLOUD_ECS_METADATA")
    {
        l.found = Some(Found::Metadata(InstanceMetadata::new().role_name(role)));
    }
    if let Some(Found::Metadata(m)) = &mut l.found {
        if env
            .var("ALIBABA_CLOUD_IMDSV1_DISABLED")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        {
            m.require_token = true;
        }
        if disabled {
            return Err(
                "the profile names the ECS RAM role but ALIBABA_CLOUD_ECS_METADATA_DISABLED=true"
                    .to_owned(),
            );
        }
    }
    Ok(())
}

#[cfg(feature = "huawei")]
fn huawei(env: &Env, explicit: Option<&str>, l: &mut Lookup) -> Result<(), String> {
    l.variables = vec![
        "HUAWEICLOUD_SDK_AK",
        "HUAWEICLOUD_SDK_SK",
        "HUAWEICLOUD_SDK_SECURITY_TOKEN",
        "HUAWEICLOUD_IAM_TOKEN",
        "HUAWEICLOUD_SDK_REGION",
    ];
    if explicit.is_none() {
        l.region = env.var("HUAWEICLOUD_SDK_REGION");
        if let Some((ak, sk)) = pair(env, "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK")? {
            l.found = Some(Found::Static(
                HuaweiCredentials::AkSk {
                    access_key: ak,
                    secret_key: Secret::new(sk),
                    security_token: env.var("HUAWEICLOUD_SDK_SECURITY_TOKEN").map(Secret::new),
                }
                .into(),
            ));
        } else if let Some(t) = env.var("HUAWEICLOUD_IAM_TOKEN") {
            l.found = Some(Found::Static(HuaweiCredentials::token(t).into()));
        }
    }
    let p = files::huawei(env, &mut l.files)?;
    if l.found.is_none() {
        l.found = p.found;
    }
    Ok(())
}

/// Only ready credentials: what the environment and the profile files give without a network
/// request.
fn static_only(provider: &str, env: &Env) -> Result<Credentials, CredentialsError> {
    let l = lookup(provider, env, None)?;
    match l.found {
        Some(Found::Static(c)) => Ok(c),
        #[allow(
            unreachable_patterns,
            reason = "only Tencent and Alibaba profiles designate roles"
        )]
        Some(_) => Err(l.error(
            provider,
            Some(
                "the environment or profile designates a role: a client resolves it (Config)"
                    .to_owned(),
            ),
        )),
        None => Err(l.error(provider, None)),
    }
}

/// Tencent credentials from the environment, then the TCCLI and SDK profile files (see the
/// module docs); only ready keys (a role or the CVM role needs a client).
///
/// # Errors
///
/// [`CredentialsError`] naming every variable and file looked at.
#[cfg(feature = "tencent")]
pub fn tencent_from_env(env: &Env) -> Result<TencentCredentials, CredentialsError> {
    match static_only("tencent", env)? {
        Credentials::Tencent(c) => Ok(c),
        #[allow(unreachable_patterns, reason = "reachable with several providers")]
        _ => unreachable!("a Tencent lookup finds Tencent credentials"),
    }
}

/// Alibaba credentials from the environment, then `~/.aliyun/config.json` (see the module
/// docs); only ready keys (a role or the ECS role needs a client).
///
/// # Errors
///
/// [`CredentialsError`] naming every variable and file looked at.
#[cfg(feature = "alibaba")]
pub fn alibaba_from_env(env: &Env) -> Result<AlibabaCredentials, CredentialsError> {
    match static_only("alibaba", env)? {
        Credentials::Alibaba(c) => Ok(c),
        #[allow(unreachable_patterns, reason = "reachable with several providers")]
        _ => unreachable!("an Alibaba lookup finds Alibaba credentials"),
    }
}

/// Huawei credentials from the environment (AK/SK with an optional security token, else an IAM
/// token), then the SDK credentials file (see the module docs).
///
/// # Errors
///
/// [`CredentialsError`] naming every variable and file looked at.
#[cfg(feature = "huawei")]
pub fn huawei_from_env(env: &Env) -> Result<HuaweiCredentials, CredentialsError> {
    match static_only("huawei", env)? {
        Credentials::Huawei(c) => Ok(c),
        #[allow(unreachable_patterns, reason = "reachable with several providers")]
        _ => unreachable!("a Huawei lookup finds Huawei credentials"),
    }
}
