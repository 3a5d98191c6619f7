//! Keyed HMAC states for the families that sign under the raw secret (ACS3, Alibaba V2,
//! Tencent API 2.0, Huawei AK/SK): keying an HMAC hashes two key blocks, as much work as the
//! signature itself for a short string to sign, so a client keys once per secret and clones
//! the state per call.

use std::fmt;
use std::sync::Mutex;

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::Sha256;

use super::credentials::Secret;

/// Cache of keyed HMAC-SHA256 and HMAC-SHA1 states per key (`secret` + `suffix`, the suffix
/// being Alibaba V2's `&`). Bounded: cleared when it would exceed 8 entries. `Debug` shows
/// only the size.
#[derive(Default)]
pub struct MacKeyCache {
    entries: Mutex<Vec<Entry>>,
}

struct Entry {
    key: Secret,
    sha256: Hmac<Sha256>,
    sha1: Hmac<Sha1>,
}

const MAX_ENTRIES: usize = 8;

impl MacKeyCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    fn with_entry<T>(&self, secret: &str, suffix: &str, f: impl FnOnce(&Entry) -> T) -> T {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let matches = |k: &str| {
            k.len() == secret.len() + suffix.len() && k.starts_with(secret) && k.ends_with(suffix)
        };
        if let Some(e) = entries.iter().find(|e| matches(e.key.expose())) {
            return f(e);
        }
        let key = format!("{secret}{suffix}");
        let entry = Entry {
            sha256: <Hmac<Sha256> as KeyInit>::new_from_slice(key.as_bytes())
                .expect("HMAC takes any key length"),
            sha1: <Hmac<Sha1> as KeyInit>::new_from_slice(key.as_bytes())
                .expect("HMAC takes any key length"),
            key: Secret::new(key),
        };
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.push(entry);
        f(entries.last().expect("just pushed"))
    }

    /// HMAC-SHA256 of `data` under the key `secret` + `suffix`.
    pub fn hmac_sha256(&self, secret: &str, suffix: &str, data: &[u8]) -> [u8; 32] {
        let mut mac = self.with_entry(secret, suffix, |e| e.sha256.clone());
        mac.update(data);
        mac.finalize().into_bytes().into()
    }

    /// HMAC-SHA1 of `data` under the key `secret` + `suffix`.
    pub fn hmac_sha1(&self, secret: &str, suffix: &str, data: &[u8]) -> [u8; 20] {
        let mut mac = self.with_entry(secret, suffix, |e| e.sha1.clone());
        mac.update(data);
        mac.finalize().into_bytes().into()
    }

    /// Number of cached keys.
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl fmt::Debug for MacKeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MacKeyCache")
            .field("len", &self.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::crypto::{hmac_sha1, hmac_sha256};

    #[test]
    fn same_macs_as_keying_each_time() {
        let c = MacKeyCache::new();
        for _ in 0..2 {
            assert_eq!(
                c.hmac_sha256("k3y", "", b"data"),
                hmac_sha256(b"k3y", b"data")
            );
            assert_eq!(
                c.hmac_sha1("k3y", "&", b"data"),
                hmac_sha1(b"k3y&", b"data")
            );
            assert_eq!(c.hmac_sha1("k3y", "", b"data"), hmac_sha1(b"k3y", b"data"));
        }
        assert_eq!(c.len(), 2);
        assert!(!format!("{c:?}").contains("k3y"));
    }
}
