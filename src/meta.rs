//! Static descriptions of services and actions, generated from the specs.

use crate::runtime::request::HttpMethod;

/// The API family of a service: decides signing, envelopes and common errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Family {
    /// Tencent Cloud legacy API 2.0 (`*.api.qcloud.com/v2/index.php`, `Signature` parameter).
    #[cfg(feature = "tencent")]
    TencentApi2,
    /// Tencent Cloud API 3.0 (TC3-HMAC-SHA256).
    #[cfg(feature = "tencent")]
    TencentTc3,
    /// Alibaba Cloud RPC (ACS3-HMAC-SHA256, or the V2 HMAC-SHA1 signature).
    #[cfg(feature = "alibaba")]
    AlibabaRpc,
    /// Huawei Cloud REST (IAM token or SDK-HMAC-SHA256).
    #[cfg(feature = "huawei")]
    HuaweiRest,
}

impl Family {
    /// The provider whose credentials sign this family (`tencent`, `alibaba`, `huawei`): the
    /// same as the service's provider for the crate's own services, and what a service
    /// generated outside the crate (under another provider id) signs with.
    pub fn vendor(self) -> &'static str {
        match self {
            #[cfg(feature = "tencent")]
            Family::TencentApi2 | Family::TencentTc3 => "tencent",
            #[cfg(feature = "alibaba")]
            Family::AlibabaRpc => "alibaba",
            #[cfg(feature = "huawei")]
            Family::HuaweiRest => "huawei",
        }
    }
}

/// A service: its family, version and endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServiceInfo {
    /// Provider id (`tencent`).
    pub provider: &'static str,
    /// Service id (`cbs`).
    pub service: &'static str,
    /// Display title.
    pub title: &'static str,
    /// API family.
    pub family: Family,
    /// API version, for families that send one.
    pub version: Option<&'static str>,
    /// Name used in signatures (TC3 credential scope).
    pub signing_name: &'static str,
    /// Host for regions not listed.
    pub global_host: Option<&'static str>,
    /// Known regions and their hosts.
    pub regions: &'static [(&'static str, &'static str)],
    /// The resource kinds the emulator keeps for the service (`resources:` in its spec).
    pub resources: &'static [crate::registry::emulation::ResourceKind],
}

impl ServiceInfo {
    /// The host serving `region`: the listed one, else the global host, else `None`.
    pub fn host_for_region(&self, region: &str) -> Option<&'static str> {
        self.regions
            .iter()
            .find(|(r, _)| *r == region)
            .map(|(_, h)| *h)
            .or(self.global_host)
    }
}

/// A documented call limit: `max_calls` per `per_seconds`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallLimit {
    /// Calls allowed per window.
    pub max_calls: u32,
    /// Window length in seconds (1 for "per second", 86400 for "per day").
    pub per_seconds: u64,
}

/// A documented hint about the next call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FollowUp {
    /// The action to call next.
    pub action: &'static str,
    /// Seconds to wait before calling it.
    pub wait_seconds: Option<u32>,
}

/// An action: method, path, idempotency and limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActionInfo {
    /// Action name (`CreateDiskBackup`).
    pub name: &'static str,
    /// HTTP method.
    pub method: HttpMethod,
    /// Path.
    pub path: &'static str,
    /// Whether repeating the call is harmless (it has an idempotency token, or is read-only).
    pub idempotent: bool,
    /// Wire name of the idempotency-token field, if the action has one.
    pub idempotency_field: Option<&'static str>,
    /// Documented call limits.
    pub limits: &'static [CallLimit],
    /// Documented follow-up hints.
    pub follow_ups: &'static [FollowUp],
    /// The vendor page.
    pub doc_url: &'static str,
}
