//! The vendors' profile files: credentials, the role or instance role a profile designates, and
//! the profile's region.
//!
//! - Tencent (TCCLI): `~/.tccli/<profile>.credential` (JSON `secretId`, `secretKey`, `token`,
//!   `role-arn` + `role-session-name`, or `"type": "cvm-role"` for the CVM role) and
//!   `~/.tccli/<profile>.configure` (JSON `_sys_param.region`; older files have a top-level
//!   `region`), as `tccli/configure.py` and the generated `parse_global_arg` read them
//!   (tencentcloud-cli, read 2026-12-04); then the SDKs' INI file
//!   `~/.tencentcloud/credentials` (or `TENCENTCLOUD_CREDENTIALS_FILE`), section
//!   `[<profile>]`, keys `secret_id`, `secret_key` (tencentcloud-sdk-go
//!   `common/profile_provider.go`).
//! - Alibaba (aliyun CLI): `~/.aliyun/config.json` (or `ALIBABA_CLOUD_CONFIG_FILE`), the
//!   profile named by `current`; modes `AK`, `StsToken`, `RamRoleArn` (`ram_role_arn`,
//!   `ram_session_name`, `expired_seconds`, `sts_region`), `ChainableRamRoleArn`
//!   (`source_profile`), `EcsRamRole` (`ram_role_name`); region `region_id`
//!   (credentials-go `providers/cli_profile.go`, read 2026-12-04; the other modes, OIDC,
//!   CloudSSO, OAuth and External, are refused with their name).
//! - Huawei (SDK): `~/.huaweicloud/credentials` (or `HUAWEICLOUD_SDK_CREDENTIALS_FILE`), INI
//!   section `[basic]` (regional services), keys `ak`, `sk`, `security_token`
//!   (huaweicloud-sdk-go-v3 README "Profile" and `core/auth/provider/profile_provider.go`,
//!   read 2026-12-04). The file has no region and no named profiles.

#[cfg(any(feature = "tencent", feature = "huawei"))]
use std::collections::BTreeMap;
#[cfg(feature = "alibaba")]
use std::time::Duration;

#[cfg(any(feature = "tencent", feature = "alibaba"))]
use serde_json::Value;

use super::Env;
use super::Found;
#[cfg(any(feature = "tencent", feature = "alibaba"))]
use super::metadata::InstanceMetadata;
#[cfg(any(feature = "tencent", feature = "alibaba"))]
use super::sts::AssumeRole;

/// What a profile gives: credentials (or how to get them) and a region.
#[derive(Debug, Default)]
pub(crate) struct Profile {
    pub(crate) found: Option<Found>,
    #[cfg(any(feature = "tencent", feature = "alibaba"))]
    pub(crate) region: Option<String>,
}

/// Reads a file named by the variable `var` if set, else `rel` under the home directory.
/// `Ok(None)`: it does not exist. Records the path shown in errors in `files`.
pub(crate) fn read(
    env: &Env,
    var: Option<&str>,
    rel: &str,
    files: &mut Vec<String>,
) -> Result<Option<(String, String)>, String> {
    let path = match (var.and_then(|v| env.var(v)), env.home()) {
        (Some(p), _) => std::path::PathBuf::from(p),
        (None, Some(home)) => home.join(rel),
        (None, None) => {
            files.push(format!("~/{rel} (no home directory)"));
            return Ok(None);
        }
    };
    let shown = path.display().to_string();
    files.push(shown.clone());
    match std::fs::read_to_string(&path) {
        Ok(s) => Ok(Some((shown, s))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {shown}: {}", e.kind())),
    }
}

#[cfg(any(feature = "tencent", feature = "alibaba"))]
fn json(shown: &str, text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("{shown} is not JSON (line {})", e.line()))
}

#[cfg(any(feature = "tencent", feature = "alibaba"))]
fn json_str(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}

/// The `key = value` pairs of one `[section]` of an INI file.
#[cfg(any(feature = "tencent", feature = "huawei"))]
fn ini_section(text: &str, name: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut inside = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(s) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            inside = s.trim() == name;
            continue;
        }
        if inside && let Some((k, v)) = line.split_once('=') {
            let v = v.trim().trim_matches('"');
            if !v.is_empty() {
                out.insert(k.trim().to_owned(), v.to_owned());
            }
        }
    }
    out
}

/// The TCCLI profile `name`, then the SDK INI file.
#[cfg(feature = "tencent")]
pub(crate) fn tencent(env: &Env, name: &str, files: &mut Vec<String>) -> Result<Profile, String> {
    use crate::runtime::TencentCredentials;
    let mut p = Profile::default();
    if let Some((shown, text)) = read(env, None, &format!(".tccli/{name}.configure"), files)? {
        let v = json(&shown, &text)?;
        p.region = v
            .get("_sys_param")
            .and_then(|s| json_str(s, "region"))
            .or_else(|| json_str(&v, "region"));
    }
    if let Some((shown, text)) = read(env, None, &format!(".tccli/{name}.credential"), files)? {
        let v = json(&shown, &text)?;
        if json_str(&v, "type").as_deref() == Some("cvm-role") {
            p.found = Some(Found::Metadata(InstanceMetadata::new()));
            return Ok(p);
        }
        let (Some(id), Some(key)) = (json_str(&v, "secretId"), json_str(&v, "secretKey")) else {
            return Err(format!("{shown} has no secretId and secretKey"));
        };
        let mut c = TencentCredentials::new(id, key);
        if let Some(t) = json_str(&v, "token") {
            c = c.with_token(t);
        }
        p.found = Some(match json_str(&v, "role-arn") {
            Some(arn) => {
                let mut role = AssumeRole::role_arn(arn);
                if let Some(s) = json_str(&v, "role-session-name") {
                    role = role.session_name(s);
                }
                Found::Role {
                    base: c.into(),
                    role,
                }
            }
            None => Found::Static(c.into()),
        });
        return Ok(p);
    }
    let ini = read(
        env,
        Some("TENCENTCLOUD_CREDENTIALS_FILE"),
        ".tencentcloud/credentials",
        files,
    )?;
    if let Some((shown, text)) = ini {
        let section = ini_section(&text, name);
        match (section.get("secret_id"), section.get("secret_key")) {
            (Some(id), Some(key)) => {
                let c = TencentCredentials::new(id.clone(), key.as_str());
                p.found = Some(Found::Static(c.into()));
            }
            _ => {
                return Err(format!(
                    "{shown} has no secret_id and secret_key in [{name}]"
                ));
            }
        }
    }
    Ok(p)
}

/// The aliyun CLI profile `name` (default: the file's `current`).
#[cfg(feature = "alibaba")]
pub(crate) fn alibaba(
    env: &Env,
    name: Option<&str>,
    files: &mut Vec<String>,
) -> Result<Profile, String> {
    let Some((shown, text)) = read(
        env,
        Some("ALIBABA_CLOUD_CONFIG_FILE"),
        ".aliyun/config.json",
        files,
    )?
    else {
        return Ok(Profile::default());
    };
    let v = json(&shown, &text)?;
    let name = name
        .map(str::to_owned)
        .or_else(|| json_str(&v, "current"))
        .unwrap_or_else(|| "default".to_owned());
    let profiles = v.get("profiles").and_then(Value::as_array);
    let by_name = |n: &str| {
        profiles.and_then(|ps| {
            ps.iter()
                .find(|p| p.get("name").and_then(Value::as_str) == Some(n))
        })
    };
    let profile = by_name(&name).ok_or_else(|| format!("{shown} has no profile `{name}`"))?;
    let found = alibaba_mode(&shown, &name, profile, &by_name, 0)?;
    Ok(Profile {
        found: Some(found),
        region: json_str(profile, "region_id"),
    })
}

#[cfg(feature = "alibaba")]
fn alibaba_mode<'v>(
    shown: &str,
    name: &str,
    p: &'v Value,
    by_name: &dyn Fn(&str) -> Option<&'v Value>,
    depth: u8,
) -> Result<Found, String> {
    use crate::runtime::AlibabaCredentials;
    let keys = || match (
        json_str(p, "access_key_id"),
        json_str(p, "access_key_secret"),
    ) {
        (Some(id), Some(secret)) => Ok(AlibabaCredentials::new(id, secret)),
        _ => Err(format!(
            "profile `{name}` in {shown} has no access_key_id and access_key_secret"
        )),
    };
    let role = || {
        let arn = json_str(p, "ram_role_arn")
            .ok_or_else(|| format!("profile `{name}` in {shown} has no ram_role_arn"))?;
        let mut r = AssumeRole::role_arn(arn);
        if let Some(s) = json_str(p, "ram_session_name") {
            r = r.session_name(s);
        }
        if let Some(d) = p
            .get("expired_seconds")
            .and_then(Value::as_u64)
            .filter(|d| *d > 0)
        {
            r = r.duration(Duration::from_secs(d));
        }
        if let Some(region) = json_str(p, "sts_region") {
            r = r.region(region);
        }
        Ok::<_, String>(r)
    };
    let mode = json_str(p, "mode").unwrap_or_else(|| "AK".to_owned());
    Ok(match mode.as_str() {
        "AK" => Found::Static(keys()?.into()),
        "StsToken" => {
            let token = json_str(p, "sts_token")
                .ok_or_else(|| format!("profile `{name}` in {shown} has no sts_token"))?;
            Found::Static(keys()?.with_security_token(token).into())
        }
        "RamRoleArn" => Found::Role {
            base: keys()?.into(),
            role: role()?,
        },
        "ChainableRamRoleArn" => {
            let source = json_str(p, "source_profile")
                .ok_or_else(|| format!("profile `{name}` in {shown} has no source_profile"))?;
            let sp = by_name(&source).filter(|_| depth < 4).ok_or_else(|| {
                format!("profile `{name}` in {shown}: no usable source profile `{source}`")
            })?;
            match alibaba_mode(shown, &source, sp, by_name, depth + 1)? {
                Found::Static(base) => Found::Role {
                    base,
                    role: role()?,
                },
                _ => {
                    return Err(format!(
                        "profile `{name}` in {shown}: source profile `{source}` must hold keys (AK or StsToken)"
                    ));
                }
            }
        }
        "EcsRamRole" => {
            let mut m = InstanceMetadata::new();
            if let Some(r) = json_str(p, "ram_role_name") {
                m = m.role_name(r);
            }
            Found::Metadata(m)
        }
        other => {
            return Err(format!(
                "profile `{name}` in {shown} has mode `{other}`; supported: AK, StsToken, RamRoleArn, ChainableRamRoleArn, EcsRamRole"
            ));
        }
    })
}

/// The `[basic]` section of the Huawei SDK credentials file.
#[cfg(feature = "huawei")]
pub(crate) fn huawei(env: &Env, files: &mut Vec<String>) -> Result<Profile, String> {
    use crate::runtime::HuaweiCredentials;
    use crate::runtime::credentials::Secret;
    let Some((shown, text)) = read(
        env,
        Some("HUAWEICLOUD_SDK_CREDENTIALS_FILE"),
        ".huaweicloud/credentials",
        files,
    )?
    else {
        return Ok(Profile::default());
    };
    let s = ini_section(&text, "basic");
    let (Some(ak), Some(sk)) = (s.get("ak"), s.get("sk")) else {
        return Err(format!("{shown} has no ak and sk in [basic]"));
    };
    let c = HuaweiCredentials::AkSk {
        access_key: ak.clone(),
        secret_key: Secret::new(sk.as_str()),
        security_token: s.get("security_token").map(|t| Secret::new(t.as_str())),
    };
    Ok(Profile {
        found: Some(Found::Static(c.into())),
        #[cfg(any(feature = "tencent", feature = "alibaba"))]
        region: None,
    })
}
