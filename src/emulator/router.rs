//! Which action a request is for: by the vendor host in `Host` when there is one, else by the
//! family's markers.

use super::verify::tencent::parse_tc3_auth;
use super::wire::{Incoming, Reject, get};
use crate::meta::{Family, ServiceInfo};
use crate::registry::ActionEntry;

/// Where a request goes.
#[derive(Debug)]
pub(crate) enum Route {
    /// A spec'd action.
    Action(&'static ActionEntry),
    /// The emulated Huawei IAM token endpoint.
    IamTokens,
    /// `/_emulator/...`.
    Admin,
    /// An instance metadata or STS endpoint (not spec-driven: `identity.rs`).
    Identity(super::identity::Route),
}

/// A routing failure, answered in the shape of the family the markers pointed to.
#[derive(Debug)]
pub(crate) struct RouteError {
    pub(crate) family: Family,
    pub(crate) reject: Reject,
}

fn serves_host(s: &ServiceInfo, host: &str) -> bool {
    s.global_host.is_some_and(|h| h.eq_ignore_ascii_case(host))
        || s.regions.iter().any(|(_, h)| h.eq_ignore_ascii_case(host))
}

/// Entries of `family` named `action`, restricted to the services of `host` when it is a
/// vendor host.
fn candidates(
    all: &[&'static ActionEntry],
    family: Family,
    action: &str,
    host: &str,
) -> Vec<&'static ActionEntry> {
    let mut v: Vec<_> = all
        .iter()
        .copied()
        .filter(|e| e.service.family == family && e.action.name == action)
        .collect();
    if is_vendor_host(all, host) {
        v.retain(|e| serves_host(e.service, host));
    }
    v
}

/// Whether `host` is a host of some spec'd service (rather than the emulator's own address).
fn is_vendor_host(all: &[&'static ActionEntry], host: &str) -> bool {
    all.iter().any(|e| serves_host(e.service, host))
}

fn services(v: &[&'static ActionEntry]) -> String {
    v.iter()
        .map(|e| format!("{}/{}", e.service.provider, e.service.service))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Routes a request. `params` are the decoded query and form parameters.
pub(crate) fn route(
    req: &Incoming,
    params: &[(String, String)],
    all: &[&'static ActionEntry],
) -> Result<Route, RouteError> {
    if req.path.starts_with("/_emulator/") {
        return Ok(Route::Admin);
    }
    if req.method == "POST" && req.path == "/v3/auth/tokens" {
        return Ok(Route::IamTokens);
    }
    if let Some(r) = super::identity::route(req, params) {
        return Ok(Route::Identity(r));
    }
    let host = req.host_without_port();
    if let Some(action) = req.header("x-tc-action") {
        return route_tc3(all, req, action.trim(), host);
    }
    if req.path == "/v2/index.php" {
        return route_api2(all, params, host);
    }
    let acs_action = req.header("x-acs-action").or_else(|| get(params, "Action"));
    let acs_version = req
        .header("x-acs-version")
        .or_else(|| get(params, "Version"));
    if let (Some(action), Some(version)) = (acs_action, acs_version) {
        return route_alibaba(all, action, version, host);
    }
    route_huawei(all, req, host)
}

fn route_tc3(
    all: &[&'static ActionEntry],
    req: &Incoming,
    action: &str,
    host: &str,
) -> Result<Route, RouteError> {
    let fail = |code: &str, m: String| RouteError {
        family: Family::TencentTc3,
        reject: Reject::new(code, m, 200),
    };
    let mut v = candidates(all, Family::TencentTc3, action, host);
    if let Ok(auth) = parse_tc3_auth(req) {
        v.retain(|e| e.service.signing_name == auth.service);
    }
    let version = req.header("x-tc-version").unwrap_or_default();
    match v.as_slice() {
        [] => Err(fail(
            "InvalidAction",
            format!("The action `{action}` is not found for the service in the credential scope."),
        )),
        [e] if e.service.version.is_some_and(|sv| sv != version) => Err(fail(
            "NoSuchVersion",
            format!(
                "The API version `{version}` does not exist for {}.",
                e.path()
            ),
        )),
        [e] => Ok(Route::Action(e)),
        many => Err(fail(
            "InvalidAction",
            format!(
                "The action `{action}` is served by several services ({}): sign with the service's credential scope.",
                services(many)
            ),
        )),
    }
}

fn route_api2(
    all: &[&'static ActionEntry],
    params: &[(String, String)],
    host: &str,
) -> Result<Route, RouteError> {
    let fail = |code: u32, m: String| RouteError {
        family: Family::TencentApi2,
        reject: Reject::new(code.to_string(), m, 200),
    };
    let Some(action) = get(params, "Action") else {
        return Err(fail(4000, "missing `Action` parameter".into()));
    };
    match candidates(all, Family::TencentApi2, action, host).as_slice() {
        [] => Err(fail(
            4000,
            format!("the action `{action}` is not emulated for this host"),
        )),
        [e] => Ok(Route::Action(e)),
        many => Err(fail(
            4000,
            format!(
                "the action `{action}` exists in several services ({}): send the vendor host (e.g. redis.api.qcloud.com) in the Host header",
                services(many)
            ),
        )),
    }
}

fn route_alibaba(
    all: &[&'static ActionEntry],
    action: &str,
    version: &str,
    host: &str,
) -> Result<Route, RouteError> {
    let fail = |code: &str, status: u16, m: String| RouteError {
        family: Family::AlibabaRpc,
        reject: Reject::new(code, m, status),
    };
    let v = candidates(all, Family::AlibabaRpc, action, host);
    if v.is_empty() {
        return Err(fail(
            "InvalidAction.NotFound",
            404,
            format!("Specified api is not found, please check your url and method: {action}"),
        ));
    }
    let matching: Vec<_> = v
        .iter()
        .copied()
        .filter(|e| e.service.version == Some(version))
        .collect();
    match matching.as_slice() {
        [] => Err(fail(
            "NoSuchVersion",
            400,
            format!("Specified parameter Version {version} is not valid for {action}."),
        )),
        [e] => Ok(Route::Action(e)),
        many => Err(fail(
            "InvalidAction.NotFound",
            404,
            format!(
                "The action {action} (version {version}) exists in several services ({}): send the vendor host in the Host header.",
                services(many)
            ),
        )),
    }
}

fn route_huawei(
    all: &[&'static ActionEntry],
    req: &Incoming,
    host: &str,
) -> Result<Route, RouteError> {
    let v: Vec<_> = all
        .iter()
        .copied()
        .filter(|e| {
            e.service.family == Family::HuaweiRest
                && e.action.method.as_str() == req.method
                && crate::codec::path_params(e.action.path, &req.path).is_some()
        })
        .collect();
    let narrowed: Vec<_> = if is_vendor_host(all, host) {
        v.iter()
            .copied()
            .filter(|e| serves_host(e.service, host))
            .collect()
    } else {
        v
    };
    match narrowed.as_slice() {
        [e] => Ok(Route::Action(e)),
        [] => Err(RouteError {
            family: Family::HuaweiRest,
            reject: Reject::new(
                "APIG.0101",
                format!(
                    "The API does not exist or has not been published in the environment: no emulated action matches {} {} (and no Tencent/Alibaba markers were found)",
                    req.method, req.path
                ),
                404,
            ),
        }),
        many => Err(RouteError {
            family: Family::HuaweiRest,
            reject: Reject::new(
                "APIG.0101",
                format!(
                    "{} {} is served by several services ({}): send the vendor host in the Host header",
                    req.method,
                    req.path,
                    services(many)
                ),
                404,
            ),
        }),
    }
}
