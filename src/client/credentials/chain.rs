//! The chain: from a [`Config`] to where a client's credentials come from, and its region (see
//! the [parent module](super) for the order).

use std::sync::Arc;

use super::metadata::{InstanceMetadata, MetadataProvider};
use super::provider::{CredentialSource, CredentialsCache, ProvideCredentials};
use super::{Credentials, Env, Found, lookup};
use crate::client::config::Config;
use crate::client::error::ConfigError;
use crate::meta::ServiceInfo;

/// A client's credentials and region.
#[derive(Debug)]
pub(crate) struct Resolved {
    pub(crate) source: CredentialSource,
    pub(crate) region: Option<String>,
}

/// What the first steps of the chain gave, before any role is assumed.
enum Base {
    Fixed(Credentials),
    Dynamic(Arc<dyn ProvideCredentials>),
}

fn cached(p: Arc<dyn ProvideCredentials>) -> CredentialSource {
    CredentialSource::Cached(Arc::new(CredentialsCache::new(p)))
}

/// Runs the chain for a client of `service`. Fetches nothing: dynamic sources are asked on the
/// first attempt.
///
/// # Errors
///
/// [`ConfigError::Credentials`] when nothing is found (naming every place looked at) or a
/// file is malformed; [`ConfigError::CredentialsMismatch`], [`ConfigError::Role`] for a
/// configuration that does not fit the provider.
pub(crate) fn resolve(service: &ServiceInfo, config: &Config) -> Result<Resolved, ConfigError> {
    let provider = service.family.vendor();
    let env = config.env.clone().unwrap_or_else(Env::process);
    let explicit = config.credentials.is_some() || config.credentials_provider.is_some() || {
        #[cfg(feature = "huawei")]
        {
            config.huawei_iam.is_some() && provider == "huawei"
        }
        #[cfg(not(feature = "huawei"))]
        {
            false
        }
    };
    let profile = config.profile.as_deref();
    // With explicit credentials the lookup only supplies a region: its problems do not matter.
    let looked = match lookup(provider, &env, profile) {
        Ok(l) => Some(l),
        Err(_) if explicit => None,
        Err(e) => return Err(e.into()),
    };
    let region = config
        .region
        .clone()
        .or_else(|| looked.as_ref().and_then(|l| l.region.clone()));
    #[cfg_attr(
        not(any(feature = "tencent", feature = "alibaba")),
        allow(
            unused_mut,
            reason = "only Tencent and Alibaba profiles designate roles"
        )
    )]
    let mut role_from_lookup = None;
    let base = if let Some(c) = &config.credentials {
        Base::Fixed(c.clone())
    } else if let Some(p) = &config.credentials_provider {
        Base::Dynamic(p.clone())
    } else if let Some(b) = huawei_iam(config, provider, region.as_deref())? {
        b
    } else {
        let mut l = looked.unwrap_or_default();
        match l.found.take() {
            Some(Found::Static(c)) => Base::Fixed(c),
            #[cfg(any(feature = "tencent", feature = "alibaba"))]
            Some(Found::Role { base, role }) => {
                role_from_lookup = Some(role);
                Base::Fixed(base)
            }
            #[cfg(any(feature = "tencent", feature = "alibaba"))]
            Some(Found::Metadata(m)) => {
                // The profile or environment opted in; the config's settings still apply.
                let m = match &config.instance_metadata {
                    Some(c) => InstanceMetadata {
                        role_name: c.role_name.clone().or(m.role_name),
                        require_token: c.require_token || m.require_token,
                        ..c.clone()
                    },
                    None => m,
                };
                Base::Dynamic(metadata(provider, m, config)?)
            }
            None => match &config.instance_metadata {
                Some(m) => Base::Dynamic(metadata(provider, m.clone(), config)?),
                None => {
                    return Err(l
                        .error(
                            provider,
                            Some("instance metadata is off (Config::instance_metadata)".to_owned()),
                        )
                        .into());
                }
            },
        }
    };
    let source = match base {
        Base::Fixed(c) if c.provider() != provider => {
            return Err(ConfigError::CredentialsMismatch {
                expected: provider,
                got: c.provider(),
            });
        }
        Base::Fixed(c) => CredentialSource::fixed(c),
        Base::Dynamic(p) => cached(p),
    };
    let role = config
        .assume_role
        .clone()
        .or(role_from_lookup)
        .map(|mut r| {
            r.endpoint = r.endpoint.or_else(|| config.identity_endpoint.clone());
            r
        });
    let source = match role {
        Some(role) => cached(super::sts::provider(
            provider,
            role,
            region.as_deref(),
            source,
        )?),
        None => source,
    };
    Ok(Resolved { source, region })
}

fn metadata(
    provider: &'static str,
    mut m: InstanceMetadata,
    config: &Config,
) -> Result<Arc<dyn ProvideCredentials>, ConfigError> {
    m.endpoint = m.endpoint.or_else(|| config.identity_endpoint.clone());
    Ok(Arc::new(MetadataProvider::new(provider, m)?))
}

/// Huawei's own password flow ([`Config::huawei_iam`]), for a Huawei client that has it.
#[cfg(feature = "huawei")]
fn huawei_iam(
    config: &Config,
    provider: &str,
    region: Option<&str>,
) -> Result<Option<Base>, ConfigError> {
    match &config.huawei_iam {
        Some(iam) if provider == "huawei" => Ok(Some(Base::Dynamic(Arc::new(
            crate::client::iam::IamSource::new(iam.clone(), region)?,
        )))),
        _ => Ok(None),
    }
}

#[cfg(not(feature = "huawei"))]
fn huawei_iam(_: &Config, _: &str, _: Option<&str>) -> Result<Option<Base>, ConfigError> {
    Ok(None)
}
