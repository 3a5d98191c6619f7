//! Transport-neutral request and response types, and the parsing helpers the verifiers share.

use crate::runtime::encode::percent_decode;

/// A request as received.
#[derive(Debug, Clone)]
pub(crate) struct Incoming {
    /// `GET`, `POST`, ...
    pub(crate) method: String,
    /// The raw path, as received.
    pub(crate) path: String,
    /// The raw query string (after `?`), as received.
    pub(crate) query: String,
    /// Headers, names in lower case, in the order received.
    pub(crate) headers: Vec<(String, String)>,
    /// Body bytes.
    pub(crate) body: Vec<u8>,
}

impl Incoming {
    /// The first header named `name` (lower case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `Host` header.
    pub(crate) fn host(&self) -> &str {
        self.header("host").unwrap_or_default()
    }

    /// The `Host` header without any `:port`.
    pub(crate) fn host_without_port(&self) -> &str {
        let h = self.host();
        match h.rfind(':') {
            Some(i) if !h[i..].contains(']') => &h[..i],
            _ => h,
        }
    }

    /// Whether the body is a form (`application/x-www-form-urlencoded`).
    pub(crate) fn has_form_body(&self) -> bool {
        self.header("content-type").is_some_and(|c| {
            c.to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        })
    }

    /// Decoded query parameters, then decoded form-body parameters (if the body is a form).
    /// `None` when either is malformed.
    pub(crate) fn all_params(&self) -> Option<Vec<(String, String)>> {
        let mut params = parse_form(&self.query)?;
        if self.has_form_body() {
            params.extend(parse_form(std::str::from_utf8(&self.body).ok()?)?);
        }
        Some(params)
    }
}

/// A response to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outgoing {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Outgoing {
    /// A JSON response.
    pub(crate) fn json(status: u16, body: &serde_json::Value) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    /// Adds a header.
    pub(crate) fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }
}

/// Why a request is refused: a code in the family's vocabulary, a message, an HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reject {
    pub(crate) code: String,
    pub(crate) message: String,
    pub(crate) status: u16,
}

impl Reject {
    pub(crate) fn new(code: impl Into<String>, message: impl Into<String>, status: u16) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            status,
        }
    }
}

/// Splits `a=b&c=d` (query string or form body) and decodes each side, `+` meaning space.
/// A piece without `=` is a name with an empty value. `None` on a malformed escape.
pub(crate) fn parse_form(s: &str) -> Option<Vec<(String, String)>> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let dec = |x: &str| percent_decode(&x.replace('+', " "));
            Some((dec(k)?, dec(v)?))
        })
        .collect()
}

/// Splits `Credential=a, SignedHeaders=b, Signature=c` (commas, optional spaces) into pairs.
pub(crate) fn auth_params(s: &str) -> Vec<(String, String)> {
    s.split(',')
        .filter_map(|p| p.trim().split_once('='))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

/// The value of `name` in pairs.
pub(crate) fn get<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Constant-time equality (time depends only on the lengths).
pub(crate) fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_and_auth_parsing() {
        let p = parse_form("a=1+2&b=%2B&c&").unwrap();
        assert_eq!(
            p,
            vec![
                ("a".into(), "1 2".into()),
                ("b".into(), "+".into()),
                ("c".into(), String::new())
            ]
        );
        assert!(parse_form("a=%G1").is_none());
        let a = auth_params("Credential=x/y, SignedHeaders=a;b,Signature=ff");
        assert_eq!(get(&a, "SignedHeaders"), Some("a;b"));
        assert!(ct_eq(b"abc", b"abc") && !ct_eq(b"abc", b"abd") && !ct_eq(b"a", b"ab"));
    }
}
