//! Emulator configuration: test credentials, clock, id source, initial faults; loadable from
//! a JSON file.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use super::faults::FaultSpec;
use super::store::TransitionOverride;
use crate::runtime::clock::{Clock, NonceSource, RandomNonce, SystemClock};
use crate::runtime::credentials::Secret;

/// Default Tencent SecretId (API 2.0 and TC3).
pub const DEFAULT_TENCENT_SECRET_ID: &str = "AKIDcloudbackupEmulatorTestKey";
/// Default Tencent SecretKey.
pub const DEFAULT_TENCENT_SECRET_KEY: &str = "cloudbackup-emulator-tencent-secret";
/// Default Alibaba AccessKeyId (ACS3 and V2).
pub const DEFAULT_ALIBABA_ACCESS_KEY_ID: &str = "LTAIcloudbackupEmulator";
/// Default Alibaba AccessKeySecret.
pub const DEFAULT_ALIBABA_ACCESS_KEY_SECRET: &str = "cloudbackup-emulator-alibaba-secret";
/// Default Huawei access key (AK/SK `SDK-HMAC-SHA256`).
pub const DEFAULT_HUAWEI_ACCESS_KEY: &str = "HWCLOUDBACKUPEMULATORAK";
/// Default Huawei secret key.
pub const DEFAULT_HUAWEI_SECRET_KEY: &str = "cloudbackup-emulator-huawei-sk";
/// Default Huawei IAM account (domain) name for `POST /v3/auth/tokens`.
pub const DEFAULT_HUAWEI_IAM_DOMAIN: &str = "cloudbackup-emulator-domain";
/// Default Huawei IAM user name.
pub const DEFAULT_HUAWEI_IAM_USER: &str = "cloudbackup-emulator-user";
/// Default Huawei IAM password.
pub const DEFAULT_HUAWEI_IAM_PASSWORD: &str = "cloudbackup-emulator-password";
/// Default Huawei token accepted in `x-auth-token` besides the tokens the emulated IAM issues.
pub const DEFAULT_HUAWEI_TOKEN: &str = "cloudbackup-emulator-huawei-token";
/// Default lifetime of issued IAM tokens (24 hours, as Huawei documents).
pub const DEFAULT_TOKEN_LIFETIME_SECS: i64 = 86_400;

/// Default role of the emulated instance metadata services (Tencent CVM role, Alibaba ECS
/// RAM role; Huawei's `securitykey` has no role name).
pub const DEFAULT_ROLE_NAME: &str = "cloudbackup-emulator-role";
/// Default lifetime of the temporary credentials the metadata services hand out (1 hour).
pub const DEFAULT_TEMP_CREDENTIALS_LIFETIME_SECS: i64 = 3_600;

/// A key id and its secret. `Debug` hides the secret.
#[derive(Clone, Debug)]
pub struct KeyPair {
    /// The key id (SecretId, AccessKeyId, AK): not a secret.
    pub id: String,
    /// The secret.
    pub secret: Secret,
}

impl KeyPair {
    /// A key pair.
    pub fn new(id: impl Into<String>, secret: impl Into<Secret>) -> Self {
        Self {
            id: id.into(),
            secret: secret.into(),
        }
    }
}

/// The IAM user the emulated Huawei IAM issues tokens to. `Debug` hides the password.
#[derive(Clone, Debug)]
pub struct IamUser {
    /// Account (domain) name.
    pub domain: String,
    /// User name.
    pub user: String,
    /// Password.
    pub password: Secret,
}

/// How to run the emulator. [`Default`] gives the documented test credentials, the system
/// clock and random ids.
#[derive(Clone)]
pub struct EmulatorConfig {
    /// Tencent credentials (API 2.0 and TC3).
    pub tencent: KeyPair,
    /// Alibaba credentials (ACS3 and V2).
    pub alibaba: KeyPair,
    /// Huawei AK/SK.
    pub huawei: KeyPair,
    /// The Huawei IAM user.
    pub huawei_iam: IamUser,
    /// A Huawei token accepted without going through the emulated IAM (`None`: only issued ones).
    pub huawei_token: Option<Secret>,
    /// Lifetime of issued IAM tokens, seconds.
    pub token_lifetime_secs: i64,
    /// The role the metadata services report and hand credentials out for.
    pub role_name: String,
    /// Lifetime of the metadata services' temporary credentials, seconds (STS ones last the
    /// `DurationSeconds` asked).
    pub temp_credentials_lifetime_secs: i64,
    /// Whether the Alibaba and Huawei metadata services refuse requests without a session
    /// token (IMDSv2 only); default `false` (both accepted).
    pub metadata_token_required: bool,
    /// Time source for timestamp windows, rate limits and token expiry.
    pub clock: Arc<dyn Clock>,
    /// Source of fresh ids (request ids, backup ids).
    pub ids: Arc<dyn NonceSource>,
    /// Faults armed at start.
    pub faults: Vec<FaultSpec>,
    /// Changes of the resources' timed state moves (durations, and targets to make a task
    /// fail), applied at start; more can be added through `POST /_emulator/transitions` (a
    /// change of a move already changed replaces the earlier one).
    pub transitions: Vec<TransitionOverride>,
    /// Actions served besides the crate's own registry: services generated outside the crate
    /// with `cloudbackup-codegen` (runtime path `::cloudbackup::__private`) give their
    /// `ENTRY`s here.
    pub actions: Vec<&'static crate::registry::ActionEntry>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            tencent: KeyPair::new(DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY),
            alibaba: KeyPair::new(
                DEFAULT_ALIBABA_ACCESS_KEY_ID,
                DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
            ),
            huawei: KeyPair::new(DEFAULT_HUAWEI_ACCESS_KEY, DEFAULT_HUAWEI_SECRET_KEY),
            huawei_iam: IamUser {
                domain: DEFAULT_HUAWEI_IAM_DOMAIN.into(),
                user: DEFAULT_HUAWEI_IAM_USER.into(),
                password: DEFAULT_HUAWEI_IAM_PASSWORD.into(),
            },
            huawei_token: Some(DEFAULT_HUAWEI_TOKEN.into()),
            token_lifetime_secs: DEFAULT_TOKEN_LIFETIME_SECS,
            role_name: DEFAULT_ROLE_NAME.into(),
            temp_credentials_lifetime_secs: DEFAULT_TEMP_CREDENTIALS_LIFETIME_SECS,
            metadata_token_required: false,
            clock: Arc::new(SystemClock),
            ids: Arc::new(RandomNonce),
            faults: Vec::new(),
            transitions: Vec::new(),
            actions: Vec::new(),
        }
    }
}

impl fmt::Debug for EmulatorConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorConfig")
            .field("tencent", &self.tencent)
            .field("alibaba", &self.alibaba)
            .field("huawei", &self.huawei)
            .field("huawei_iam", &self.huawei_iam)
            .field("huawei_token", &self.huawei_token)
            .field("token_lifetime_secs", &self.token_lifetime_secs)
            .field("role_name", &self.role_name)
            .field(
                "temp_credentials_lifetime_secs",
                &self.temp_credentials_lifetime_secs,
            )
            .field("metadata_token_required", &self.metadata_token_required)
            .field("clock", &self.clock)
            .field("faults", &self.faults)
            .field("transitions", &self.transitions)
            .finish_non_exhaustive()
    }
}

/// Why a configuration file could not be used.
#[derive(Debug)]
pub enum ConfigError {
    /// The file could not be read.
    Io(std::io::Error),
    /// The JSON is malformed or has unknown fields.
    Json(serde_json::Error),
    /// A fault names an unknown action or an undocumented error.
    Fault(super::faults::FaultError),
    /// A member has the wrong shape or value, or is unknown.
    Member {
        /// The member, e.g. `huawei_token`, `faults[1]`.
        member: String,
        /// What is wrong.
        message: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(e) => write!(f, "cannot read emulator config: {e}"),
            Self::Json(e) => write!(f, "invalid emulator config: {e}"),
            Self::Fault(e) => write!(f, "invalid fault in emulator config: {e}"),
            Self::Member { member, message } => {
                write!(f, "invalid emulator config: `{member}`: {message}")
            }
        }
    }
}

impl std::error::Error for ConfigError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    id: String,
    secret: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IamFile {
    domain: String,
    user: String,
    password: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    tencent: Option<KeyFile>,
    alibaba: Option<KeyFile>,
    huawei: Option<KeyFile>,
    huawei_iam: Option<IamFile>,
    huawei_token: Option<String>,
    token_lifetime_secs: Option<i64>,
    role_name: Option<String>,
    temp_credentials_lifetime_secs: Option<i64>,
    metadata_token_required: Option<bool>,
    #[serde(default)]
    faults: Vec<FaultSpec>,
    #[serde(default)]
    transitions: Vec<TransitionOverride>,
}

/// The config file, member by member so that an error names its member (serde_json's own
/// errors give only a line and column).
fn parse_members(text: &str) -> Result<ConfigFile, ConfigError> {
    use serde_json::Value;
    let Value::Object(map) = serde_json::from_str::<Value>(text).map_err(ConfigError::Json)? else {
        return Err(ConfigError::Member {
            member: "(document)".into(),
            message: "expected a JSON object".into(),
        });
    };
    fn member<T: serde::de::DeserializeOwned>(name: &str, v: Value) -> Result<T, ConfigError> {
        serde_json::from_value(v).map_err(|e| ConfigError::Member {
            member: name.to_owned(),
            message: e.to_string(),
        })
    }
    let mut file = ConfigFile::default();
    for (name, v) in map {
        match name.as_str() {
            "tencent" => file.tencent = member(&name, v)?,
            "alibaba" => file.alibaba = member(&name, v)?,
            "huawei" => file.huawei = member(&name, v)?,
            "huawei_iam" => file.huawei_iam = member(&name, v)?,
            "huawei_token" => file.huawei_token = member(&name, v)?,
            "token_lifetime_secs" => file.token_lifetime_secs = member(&name, v)?,
            "role_name" => file.role_name = member(&name, v)?,
            "temp_credentials_lifetime_secs" => {
                file.temp_credentials_lifetime_secs = member(&name, v)?;
            }
            "metadata_token_required" => file.metadata_token_required = member(&name, v)?,
            "transitions" => file.transitions = member(&name, v)?,
            "faults" => {
                file.faults = super::faults::faults_from_json(v, true)
                    .map_err(|(member, message)| ConfigError::Member { member, message })?;
            }
            _ => {
                return Err(ConfigError::Member {
                    member: name,
                    message: "unknown member; expected one of tencent, alibaba, huawei, \
                              huawei_iam, huawei_token, token_lifetime_secs, role_name, \
                              temp_credentials_lifetime_secs, metadata_token_required, faults, \
                              transitions"
                        .into(),
                });
            }
        }
    }
    Ok(file)
}

impl EmulatorConfig {
    /// The defaults overridden by a JSON document such as
    ///
    /// ```json
    /// {
    ///   "tencent": {"id": "AKIDexample", "secret": "..."},
    ///   "alibaba": {"id": "LTAIexample", "secret": "..."},
    ///   "huawei": {"id": "HWAK", "secret": "..."},
    ///   "huawei_iam": {"domain": "d", "user": "u", "password": "..."},
    ///   "huawei_token": "static-token",
    ///   "token_lifetime_secs": 86400,
    ///   "role_name": "cloudbackup-emulator-role",
    ///   "temp_credentials_lifetime_secs": 3600,
    ///   "metadata_token_required": false,
    ///   "faults": [
    ///     {"action": "tencent/cbs/CreateDiskBackup", "count": 2,
    ///      "kind": "error", "code": "InvalidDisk.Busy"},
    ///     {"action": "alibaba/dbs/CreateBackupPlan", "kind": "latency", "millis": 200}
    ///   ],
    ///   "transitions": [
    ///     {"resource": "tencent/cbs/DiskBackup", "from": "CREATING", "after": 2},
    ///     {"resource": "huawei/koophone/Job", "from": 1, "to": -1, "after": 5}
    ///   ]
    /// }
    /// ```
    ///
    /// Every member is optional. Faults and transitions are checked against the registry.
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let file = parse_members(text)?;
        for (member, v) in [
            ("token_lifetime_secs", file.token_lifetime_secs),
            (
                "temp_credentials_lifetime_secs",
                file.temp_credentials_lifetime_secs,
            ),
        ] {
            if v.is_some_and(|l| l <= 0) {
                return Err(ConfigError::Member {
                    member: member.into(),
                    message: "must be a positive number of seconds".into(),
                });
            }
        }
        let mut c = Self::default();
        let key = |k: KeyFile| KeyPair::new(k.id, k.secret);
        if let Some(k) = file.tencent {
            c.tencent = key(k);
        }
        if let Some(k) = file.alibaba {
            c.alibaba = key(k);
        }
        if let Some(k) = file.huawei {
            c.huawei = key(k);
        }
        if let Some(i) = file.huawei_iam {
            c.huawei_iam = IamUser {
                domain: i.domain,
                user: i.user,
                password: i.password.into(),
            };
        }
        if let Some(t) = file.huawei_token {
            c.huawei_token = Some(t.into());
        }
        if let Some(l) = file.token_lifetime_secs {
            c.token_lifetime_secs = l;
        }
        if let Some(r) = file.role_name {
            c.role_name = r;
        }
        if let Some(l) = file.temp_credentials_lifetime_secs {
            c.temp_credentials_lifetime_secs = l;
        }
        if let Some(b) = file.metadata_token_required {
            c.metadata_token_required = b;
        }
        let registry = crate::registry::all();
        for f in &file.faults {
            super::faults::resolve(f, &registry).map_err(ConfigError::Fault)?;
        }
        c.faults = file.faults;
        for (i, t) in file.transitions.iter().enumerate() {
            super::store::check_override(t, &registry).map_err(|message| ConfigError::Member {
                member: format!("transitions[{i}]"),
                message,
            })?;
        }
        c.transitions = file.transitions;
        Ok(c)
    }

    /// [`EmulatorConfig::from_json`] on the contents of a file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(ConfigError::Io)?;
        Self::from_json(&text)
    }

    /// The same configuration with another clock.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The same configuration, also serving `actions` (see [`EmulatorConfig::actions`]).
    pub fn with_actions(
        mut self,
        actions: impl IntoIterator<Item = &'static crate::registry::ActionEntry>,
    ) -> Self {
        self.actions.extend(actions);
        self
    }
}
