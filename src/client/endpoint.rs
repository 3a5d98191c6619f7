//! Where a client sends: an explicit endpoint, or the spec's host for the region.

use super::error::ConfigError;
use crate::meta::ServiceInfo;
use crate::runtime::request::Endpoint;

/// Parses an endpoint override: `https://host[:port]`, `http://host[:port]` (emulators,
/// proxies, loopback) or a bare `host[:port]` (HTTPS). A trailing `/` is allowed; any other
/// path, query or user info is not.
///
/// # Errors
///
/// [`ConfigError::InvalidEndpoint`] saying what is wrong.
pub fn parse_endpoint(endpoint: &str) -> Result<Endpoint, ConfigError> {
    let bad = |reason: &str| ConfigError::InvalidEndpoint {
        endpoint: endpoint.to_owned(),
        reason: reason.to_owned(),
    };
    let trimmed = endpoint.trim();
    let (scheme, rest) = match trimmed.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => ("https".to_owned(), trimmed),
    };
    if scheme != "http" && scheme != "https" {
        return Err(bad("the scheme must be http or https"));
    }
    let host = rest.strip_suffix('/').unwrap_or(rest);
    if host.is_empty() {
        return Err(bad("no host"));
    }
    // 253 characters of DNS name, a colon and a port.
    if host.len() > 253 + 6 {
        return Err(bad(
            "the host is longer than a DNS name can be (253 characters)",
        ));
    }
    if !host.is_ascii() || host.bytes().any(|b| b.is_ascii_control()) {
        return Err(bad(
            "the host must be ASCII without control characters (give an IDN in punycode)",
        ));
    }
    if host.contains(['/', '?', '#', '@', ' ']) {
        return Err(bad(
            "give only scheme, host and port (no path, query or user info)",
        ));
    }
    let port = match host.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((_, after)) => after.strip_prefix(':'),
            None => return Err(bad("unclosed `[` in an IPv6 address")),
        },
        None => host.rsplit_once(':').map(|(_, p)| p),
    };
    if port.is_some_and(|p| p.parse::<u16>().is_err()) {
        return Err(bad("the port is not a number from 0 to 65535"));
    }
    Ok(Endpoint {
        scheme,
        host: host.to_ascii_lowercase(),
    })
}

/// Checks the shape of a region id (`ap-guangzhou`, `cn-hangzhou-finance`, `cn-north-4`):
/// 1 to 64 lower-case ASCII letters, digits and `-`. It is sent (`X-TC-Region`, `Region`) and
/// names a host, so anything else would fail later, less clearly.
///
/// # Errors
///
/// [`ConfigError::InvalidRegion`].
pub fn check_region(region: &str) -> Result<(), ConfigError> {
    let bad = |reason: &str| ConfigError::InvalidRegion {
        region: region.to_owned(),
        reason: reason.to_owned(),
    };
    if region.is_empty() {
        return Err(bad("empty"));
    }
    if region.len() > 64 {
        return Err(bad("longer than 64 characters"));
    }
    if !region
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(bad("use only lower-case ASCII letters, digits and `-`"));
    }
    Ok(())
}

/// The endpoint of `service`: the override if given, else the spec's host for `region`
/// ([`ServiceInfo::host_for_region`]), else the global host when no region is given.
///
/// # Errors
///
/// [`ConfigError::UnknownRegion`] for a region the spec does not serve,
/// [`ConfigError::NoEndpoint`] for a service with no published endpoint,
/// [`ConfigError::MissingRegion`], [`ConfigError::InvalidRegion`] or
/// [`ConfigError::InvalidEndpoint`].
pub fn resolve_endpoint(
    service: &ServiceInfo,
    region: Option<&str>,
    endpoint: Option<&str>,
) -> Result<Endpoint, ConfigError> {
    if let Some(r) = region {
        check_region(r)?;
    }
    if let Some(e) = endpoint {
        return parse_endpoint(e);
    }
    let name = format!("{}/{}", service.provider, service.service);
    if service.global_host.is_none() && service.regions.is_empty() {
        return Err(ConfigError::NoEndpoint { service: name });
    }
    match region {
        Some(r) => service
            .host_for_region(r)
            .map(Endpoint::https)
            .ok_or_else(|| ConfigError::UnknownRegion {
                service: name,
                region: r.to_owned(),
                known: service.regions.iter().map(|(r, _)| *r).collect(),
            }),
        None => service
            .global_host
            .map(Endpoint::https)
            .ok_or(ConfigError::MissingRegion { service: name }),
    }
}
