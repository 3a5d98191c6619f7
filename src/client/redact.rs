//! Keeps the caller's secrets out of what a server sends back: some services echo what they
//! received (Alibaba's `SignatureDoesNotMatch` quotes the server's string to sign, STS
//! `SecurityToken` included), and that text would otherwise reach error messages, `Debug`
//! output and logs.

use crate::client::credentials::Credentials;
use crate::runtime::encode::percent_encode;

/// What replaces a secret in a response body.
pub(crate) const REDACTED: &str = "<redacted>";

/// Secrets shorter than this are not searched for (they would match ordinary text).
const MIN_LEN: usize = 6;

/// The forms a secret can take in an echoed request: as is, percent-encoded (a query value),
/// and percent-encoded twice (a value inside an encoded string to sign).
fn forms(secret: &str) -> Vec<String> {
    let once = percent_encode(secret);
    let twice = percent_encode(&once);
    let mut v = vec![secret.to_owned(), once, twice];
    v.dedup();
    v
}

/// The byte patterns to redact. `Debug` shows only how many there are: they are secrets.
#[derive(Clone, Default)]
pub(crate) struct Patterns(Vec<Vec<u8>>);

impl std::fmt::Debug for Patterns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Patterns({} redacted)", self.0.len())
    }
}

/// The secret values of `creds` (keys, tokens), in every form they can be echoed in.
pub(crate) fn patterns(creds: &Credentials) -> Patterns {
    let secrets: Vec<&str> = match creds {
        #[cfg(feature = "tencent")]
        Credentials::Tencent(c) => {
            let mut v = vec![c.secret_key().expose()];
            v.extend(c.token().map(|t| t.expose()));
            v
        }
        #[cfg(feature = "alibaba")]
        Credentials::Alibaba(c) => {
            let mut v = vec![c.access_key_secret().expose()];
            v.extend(c.security_token().map(|t| t.expose()));
            v
        }
        #[cfg(feature = "huawei")]
        Credentials::Huawei(crate::runtime::HuaweiCredentials::Token(t)) => vec![t.expose()],
        #[cfg(feature = "huawei")]
        Credentials::Huawei(crate::runtime::HuaweiCredentials::AkSk {
            secret_key,
            security_token,
            ..
        }) => {
            let mut v = vec![secret_key.expose()];
            v.extend(security_token.as_ref().map(|t| t.expose()));
            v
        }
    };
    of_secrets(&secrets)
}

/// `secrets` (those of [`MIN_LEN`] or more), in every form they can be echoed in.
pub(crate) fn of_secrets(secrets: &[&str]) -> Patterns {
    let mut out: Vec<Vec<u8>> = secrets
        .iter()
        .copied()
        .filter(|s| s.len() >= MIN_LEN)
        .flat_map(forms)
        .map(String::into_bytes)
        .collect();
    // Longest first, so an encoded form is replaced whole before the raw form inside it.
    out.sort_by_key(|p| std::cmp::Reverse(p.len()));
    out.dedup();
    Patterns(out)
}

/// The first occurrence of `needle` (not empty) in `hay`: candidates found by their first
/// byte, so a body without the secret costs about one byte comparison per byte.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let last_start = hay.len().checked_sub(needle.len())?;
    hay[..=last_start]
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == first)
        .map(|(i, _)| i)
        .find(|&i| hay[i + 1..i + needle.len()] == *rest)
}

/// Replaces every occurrence of each pattern in `body` with [`REDACTED`].
pub(crate) fn redact(body: &mut Vec<u8>, patterns: &Patterns) {
    for p in &patterns.0 {
        if p.is_empty() || body.len() < p.len() {
            continue;
        }
        if find(body, p).is_none() {
            continue;
        }
        let mut out = Vec::with_capacity(body.len());
        let mut i = 0;
        while i < body.len() {
            if body[i..].starts_with(p) {
                out.extend_from_slice(REDACTED.as_bytes());
                i += p.len();
            } else {
                out.push(body[i]);
                i += 1;
            }
        }
        *body = out;
    }
}

#[cfg(all(test, feature = "alibaba"))]
mod tests {
    use super::*;
    use crate::runtime::AlibabaCredentials;

    #[test]
    fn every_form_of_every_secret_is_replaced() {
        let creds = Credentials::Alibaba(
            AlibabaCredentials::new("LTAIid", "the/secret+key").with_security_token("sts=token/1"),
        );
        let p = patterns(&creds);
        let mut body =
            b"a the/secret+key b sts%3Dtoken%2F1 c sts%253Dtoken%252F1 d sts=token/1 LTAIid"
                .to_vec();
        redact(&mut body, &p);
        assert_eq!(
            String::from_utf8(body).unwrap(),
            "a <redacted> b <redacted> c <redacted> d <redacted> LTAIid"
        );
        let mut short = b"abc".to_vec();
        redact(
            &mut short,
            &patterns(&Credentials::Alibaba(AlibabaCredentials::new("i", "abc"))),
        );
        assert_eq!(short, b"abc");
        assert_eq!(format!("{p:?}"), "Patterns(6 redacted)");
    }

    #[test]
    fn find_matches_windows_search() {
        let hay = b"xxabcabxabcd";
        for needle in [&b"abc"[..], b"abcd", b"d", b"xx", b"abx", b"abcdx", b"q"] {
            let naive = hay.windows(needle.len()).position(|w| w == needle);
            assert_eq!(find(hay, needle), naive, "{needle:?}");
        }
        assert_eq!(find(b"", b"a"), None);
        assert_eq!(find(b"a", b""), None);
    }
}
