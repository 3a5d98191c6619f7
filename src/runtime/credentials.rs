//! Credential types. Their `Debug`/`Display` never show a secret: secrets live in [`Secret`],
//! which prints as `***` and is read only through [`Secret::expose`].

use std::fmt;

/// A secret string (key, token, password). Prints as `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value. The only way to read it; use it only to sign or send.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Tencent Cloud credentials (API 2.0 and TC3): SecretId, SecretKey and an optional
/// temporary-credential token.
#[cfg(feature = "tencent")]
#[derive(Clone, Debug)]
pub struct TencentCredentials {
    secret_id: String,
    secret_key: Secret,
    token: Option<Secret>,
}

#[cfg(feature = "tencent")]
impl TencentCredentials {
    /// Long-term credentials.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<Secret>) -> Self {
        Self {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            token: None,
        }
    }

    /// Adds a temporary-credential token (sent as `Token` / `X-TC-Token`).
    pub fn with_token(mut self, token: impl Into<Secret>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The SecretId (an identifier, not a secret).
    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    /// The SecretKey.
    pub fn secret_key(&self) -> &Secret {
        &self.secret_key
    }

    /// The temporary-credential token, if any.
    pub fn token(&self) -> Option<&Secret> {
        self.token.as_ref()
    }
}

/// Alibaba Cloud credentials: AccessKeyId, AccessKeySecret and an optional STS token.
#[cfg(feature = "alibaba")]
#[derive(Clone, Debug)]
pub struct AlibabaCredentials {
    access_key_id: String,
    access_key_secret: Secret,
    security_token: Option<Secret>,
}

#[cfg(feature = "alibaba")]
impl AlibabaCredentials {
    /// Long-term AccessKey credentials.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<Secret>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
        }
    }

    /// Adds an STS security token (sent as `SecurityToken` / `x-acs-security-token`).
    pub fn with_security_token(mut self, token: impl Into<Secret>) -> Self {
        self.security_token = Some(token.into());
        self
    }

    /// The AccessKeyId (an identifier, not a secret).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The AccessKeySecret.
    pub fn access_key_secret(&self) -> &Secret {
        &self.access_key_secret
    }

    /// The STS security token, if any.
    pub fn security_token(&self) -> Option<&Secret> {
        self.security_token.as_ref()
    }
}

/// Huawei Cloud credentials: an IAM token, or an AK/SK pair for `SDK-HMAC-SHA256`.
#[cfg(feature = "huawei")]
#[derive(Clone, Debug)]
pub enum HuaweiCredentials {
    /// An IAM (project-scoped) token, sent as `x-auth-token`.
    Token(Secret),
    /// Access key / secret key, optionally temporary (with `X-Security-Token`).
    AkSk {
        /// The access key (an identifier, not a secret).
        access_key: String,
        /// The secret key.
        secret_key: Secret,
        /// Security token of temporary AK/SK.
        security_token: Option<Secret>,
    },
}

#[cfg(feature = "huawei")]
impl HuaweiCredentials {
    /// Token credentials.
    pub fn token(token: impl Into<Secret>) -> Self {
        Self::Token(token.into())
    }

    /// Permanent AK/SK credentials.
    pub fn ak_sk(access_key: impl Into<String>, secret_key: impl Into<Secret>) -> Self {
        Self::AkSk {
            access_key: access_key.into(),
            secret_key: secret_key.into(),
            security_token: None,
        }
    }
}

#[cfg(all(test, feature = "tencent", feature = "alibaba", feature = "huawei"))]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_secrets() {
        let t = TencentCredentials::new("AKIDid", "tencent-key").with_token("tencent-tok");
        let a = AlibabaCredentials::new("LTAIid", "ali-key").with_security_token("ali-tok");
        let h = HuaweiCredentials::AkSk {
            access_key: "HWAK".into(),
            secret_key: "hw-key".into(),
            security_token: Some("hw-tok".into()),
        };
        let ht = HuaweiCredentials::token("hw-iam-token");
        let all = format!("{t:?} {a:?} {h:?} {ht:?} {}", Secret::new("plain"));
        for secret in [
            "tencent-key",
            "tencent-tok",
            "ali-key",
            "ali-tok",
            "hw-key",
            "hw-tok",
            "hw-iam-token",
            "plain",
        ] {
            assert!(!all.contains(secret), "{secret} leaked in {all}");
        }
        assert!(all.contains("AKIDid") && all.contains("***"));
        assert_eq!(t.secret_key().expose(), "tencent-key");
    }
}
