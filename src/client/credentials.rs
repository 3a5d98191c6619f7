//! Credentials for a client: explicit keys, or found in the environment and the official
//! CLIs' profile files, the way each vendor's SDK looks for them.
//!
//! | provider | environment variables | files |
//! | --- | --- | --- |
//! | Tencent | `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`, `TENCENTCLOUD_SESSION_TOKEN` (temporary) | `~/.tccli/<profile>.credential` (JSON `secretId`/`secretKey`/`token`), `~/.tencentcloud/credentials` (INI `secret_id`/`secret_key`) |
//! | Alibaba | `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, `ALIBABA_CLOUD_SECURITY_TOKEN` (STS) | `~/.aliyun/config.json` (profile `current`, or `ALIBABA_CLOUD_PROFILE`; modes `AK` and `StsToken`) |
//! | Huawei | `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, `HUAWEICLOUD_SDK_SECURITY_TOKEN` (temporary); IAM token `HUAWEICLOUD_IAM_TOKEN` | none |
//!
//! The Tencent profile is `TENCENTCLOUD_PROFILE` or `default`. Huawei's SDKs define no variable
//! for a ready IAM token; `HUAWEICLOUD_IAM_TOKEN` is this crate's. Lookups go through an
//! [`Env`], so tests inject variables and a home directory instead of touching real ones.
//! Each provider's lookup is behind its feature (`tencent`, `alibaba`, `huawei`).

use std::collections::BTreeMap;
use std::path::PathBuf;

#[cfg(any(feature = "tencent", feature = "alibaba"))]
use serde_json::Value;

use super::error::CredentialsError;
#[cfg(feature = "alibaba")]
use crate::runtime::credentials::AlibabaCredentials;
#[cfg(feature = "tencent")]
use crate::runtime::credentials::TencentCredentials;
#[cfg(feature = "huawei")]
use crate::runtime::credentials::{HuaweiCredentials, Secret};

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

    /// Finds credentials for `provider` in `env`: its environment variables first, then its
    /// CLI profile files.
    ///
    /// # Errors
    ///
    /// [`CredentialsError`] naming every variable and file looked at.
    pub fn from_env(provider: &str, env: &Env) -> Result<Self, CredentialsError> {
        match provider {
            #[cfg(feature = "tencent")]
            "tencent" => tencent_from_env(env).map(Credentials::Tencent),
            #[cfg(feature = "alibaba")]
            "alibaba" => alibaba_from_env(env).map(Credentials::Alibaba),
            #[cfg(feature = "huawei")]
            "huawei" => huawei_from_env(env).map(Credentials::Huawei),
            _ => Err(CredentialsError {
                provider: "unknown-provider",
                variables: Vec::new(),
                files: Vec::new(),
                problem: Some(format!("no credential lookup for provider `{provider}`")),
            }),
        }
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

#[cfg(any(feature = "tencent", feature = "alibaba", feature = "huawei"))]
fn err(
    provider: &'static str,
    variables: &[&str],
    files: Vec<String>,
    problem: Option<String>,
) -> CredentialsError {
    CredentialsError {
        provider,
        variables: variables.iter().map(|s| (*s).to_owned()).collect(),
        files,
        problem,
    }
}

#[cfg(any(feature = "tencent", feature = "alibaba", feature = "huawei"))]
/// A pair of variables: both set, neither, or a problem naming the missing one.
fn pair(env: &Env, a: &str, b: &str) -> Result<Option<(String, String)>, String> {
    match (env.var(a), env.var(b)) {
        (Some(x), Some(y)) => Ok(Some((x, y))),
        (None, None) => Ok(None),
        (Some(_), None) => Err(format!("{a} is set but {b} is not")),
        (None, Some(_)) => Err(format!("{b} is set but {a} is not")),
    }
}

#[cfg(any(feature = "tencent", feature = "alibaba"))]
/// Reads a file under the home directory: `Ok(None)` if it does not exist.
fn read_home_file(env: &Env, rel: &str) -> (String, Result<Option<String>, String>) {
    let Some(home) = env.home() else {
        return (format!("~/{rel} (no home directory)"), Ok(None));
    };
    let path = home.join(rel);
    let shown = path.display().to_string();
    let r = match std::fs::read_to_string(&path) {
        Ok(s) => Ok(Some(s)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {shown}: {}", e.kind())),
    };
    (shown, r)
}

#[cfg(any(feature = "tencent", feature = "alibaba"))]
fn json_str(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}

#[cfg(feature = "tencent")]
const TENCENT_VARS: &[&str] = &[
    "TENCENTCLOUD_SECRET_ID",
    "TENCENTCLOUD_SECRET_KEY",
    "TENCENTCLOUD_SESSION_TOKEN",
];

/// Tencent credentials from the environment, then `~/.tccli/<profile>.credential`, then
/// `~/.tencentcloud/credentials` (see the module docs).
///
/// # Errors
///
/// [`CredentialsError`] naming every variable and file looked at.
#[cfg(feature = "tencent")]
pub fn tencent_from_env(env: &Env) -> Result<TencentCredentials, CredentialsError> {
    let vars = &[TENCENT_VARS, &["TENCENTCLOUD_PROFILE"]].concat();
    match pair(env, TENCENT_VARS[0], TENCENT_VARS[1]) {
        Ok(Some((id, key))) => {
            let mut c = TencentCredentials::new(id, key);
            if let Some(t) = env.var(TENCENT_VARS[2]) {
                c = c.with_token(t);
            }
            return Ok(c);
        }
        Ok(None) => {}
        Err(p) => return Err(err("Tencent Cloud", vars, Vec::new(), Some(p))),
    }
    let profile = env
        .var("TENCENTCLOUD_PROFILE")
        .unwrap_or_else(|| "default".to_owned());
    let mut files = Vec::new();
    let (shown, r) = read_home_file(env, &format!(".tccli/{profile}.credential"));
    files.push(shown.clone());
    match r {
        Ok(Some(text)) => {
            let v: Value = serde_json::from_str(&text).map_err(|e| {
                err(
                    "Tencent Cloud",
                    vars,
                    files.clone(),
                    Some(format!("{shown} is not JSON (line {})", e.line())),
                )
            })?;
            match (json_str(&v, "secretId"), json_str(&v, "secretKey")) {
                (Some(id), Some(key)) => {
                    let mut c = TencentCredentials::new(id, key);
                    if let Some(t) = json_str(&v, "token") {
                        c = c.with_token(t);
                    }
                    return Ok(c);
                }
                _ => {
                    return Err(err(
                        "Tencent Cloud",
                        vars,
                        files,
                        Some(format!("{shown} has no secretId and secretKey")),
                    ));
                }
            }
        }
        Ok(None) => {}
        Err(p) => return Err(err("Tencent Cloud", vars, files, Some(p))),
    }
    let (shown, r) = read_home_file(env, ".tencentcloud/credentials");
    files.push(shown.clone());
    match r {
        Ok(Some(text)) => {
            let section = ini_section(&text, &profile);
            match (section.get("secret_id"), section.get("secret_key")) {
                (Some(id), Some(key)) => Ok(TencentCredentials::new(id.clone(), key.as_str())),
                _ => Err(err(
                    "Tencent Cloud",
                    vars,
                    files,
                    Some(format!(
                        "{shown} has no secret_id and secret_key in [{profile}]"
                    )),
                )),
            }
        }
        Ok(None) => Err(err("Tencent Cloud", vars, files, None)),
        Err(p) => Err(err("Tencent Cloud", vars, files, Some(p))),
    }
}

#[cfg(feature = "tencent")]
/// The `key = value` pairs of one `[section]` of an INI file.
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
        if inside {
            if let Some((k, v)) = line.split_once('=') {
                let v = v.trim();
                if !v.is_empty() {
                    out.insert(k.trim().to_owned(), v.to_owned());
                }
            }
        }
    }
    out
}

#[cfg(feature = "alibaba")]
const ALIBABA_VARS: &[&str] = &[
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALIBABA_CLOUD_PROFILE",
];

/// Alibaba credentials from the environment, then `~/.aliyun/config.json` (see the module
/// docs).
///
/// # Errors
///
/// [`CredentialsError`] naming every variable and file looked at.
#[cfg(feature = "alibaba")]
pub fn alibaba_from_env(env: &Env) -> Result<AlibabaCredentials, CredentialsError> {
    match pair(env, ALIBABA_VARS[0], ALIBABA_VARS[1]) {
        Ok(Some((id, secret))) => {
            let mut c = AlibabaCredentials::new(id, secret);
            if let Some(t) = env.var(ALIBABA_VARS[2]) {
                c = c.with_security_token(t);
            }
            return Ok(c);
        }
        Ok(None) => {}
        Err(p) => return Err(err("Alibaba Cloud", ALIBABA_VARS, Vec::new(), Some(p))),
    }
    let (shown, r) = read_home_file(env, ".aliyun/config.json");
    let files = vec![shown.clone()];
    let fail = |p: String| err("Alibaba Cloud", ALIBABA_VARS, files.clone(), Some(p));
    let text = match r {
        Ok(Some(t)) => t,
        Ok(None) => return Err(err("Alibaba Cloud", ALIBABA_VARS, files, None)),
        Err(p) => return Err(fail(p)),
    };
    let v: Value = serde_json::from_str(&text)
        .map_err(|e| fail(format!("{shown} is not JSON (line {})", e.line())))?;
    let name = env
        .var("ALIBABA_CLOUD_PROFILE")
        .or_else(|| json_str(&v, "current"))
        .unwrap_or_else(|| "default".to_owned());
    let profile = v
        .get("profiles")
        .and_then(Value::as_array)
        .and_then(|ps| {
            ps.iter()
                .find(|p| p.get("name").and_then(Value::as_str) == Some(name.as_str()))
        })
        .ok_or_else(|| fail(format!("{shown} has no profile `{name}`")))?;
    let mode = json_str(profile, "mode").unwrap_or_else(|| "AK".to_owned());
    match (
        mode.as_str(),
        json_str(profile, "access_key_id"),
        json_str(profile, "access_key_secret"),
    ) {
        ("AK", Some(id), Some(secret)) => Ok(AlibabaCredentials::new(id, secret)),
        ("StsToken", Some(id), Some(secret)) => {
            let token = json_str(profile, "sts_token")
                .ok_or_else(|| fail(format!("profile `{name}` in {shown} has no sts_token")))?;
            Ok(AlibabaCredentials::new(id, secret).with_security_token(token))
        }
        ("AK" | "StsToken", _, _) => Err(fail(format!(
            "profile `{name}` in {shown} has no access_key_id and access_key_secret"
        ))),
        (other, _, _) => Err(fail(format!(
            "profile `{name}` in {shown} has mode `{other}`; only AK and StsToken are supported"
        ))),
    }
}

#[cfg(feature = "huawei")]
const HUAWEI_VARS: &[&str] = &[
    "HUAWEICLOUD_SDK_AK",
    "HUAWEICLOUD_SDK_SK",
    "HUAWEICLOUD_SDK_SECURITY_TOKEN",
    "HUAWEICLOUD_IAM_TOKEN",
];

/// Huawei credentials from the environment: AK/SK (with an optional security token), else an
/// IAM token (see the module docs).
///
/// # Errors
///
/// [`CredentialsError`] naming every variable looked at.
#[cfg(feature = "huawei")]
pub fn huawei_from_env(env: &Env) -> Result<HuaweiCredentials, CredentialsError> {
    match pair(env, HUAWEI_VARS[0], HUAWEI_VARS[1]) {
        Ok(Some((ak, sk))) => {
            return Ok(HuaweiCredentials::AkSk {
                access_key: ak,
                secret_key: Secret::new(sk),
                security_token: env.var(HUAWEI_VARS[2]).map(Secret::new),
            });
        }
        Ok(None) => {}
        Err(p) => return Err(err("Huawei Cloud", HUAWEI_VARS, Vec::new(), Some(p))),
    }
    match env.var(HUAWEI_VARS[3]) {
        Some(t) => Ok(HuaweiCredentials::token(t)),
        None => Err(err("Huawei Cloud", HUAWEI_VARS, Vec::new(), None)),
    }
}
