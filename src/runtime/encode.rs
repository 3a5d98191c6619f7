//! Percent-encoding and parameter canonicalisation shared by the signers.
//!
//! One encoder serves every family: RFC 3986 with the unreserved set `A-Z a-z 0-9 - _ . ~`
//! kept, everything else as `%XX` with upper-case hex over the UTF-8 bytes (space → `%20`,
//! `*` → `%2A`, `~` kept). Sorting is plain byte order (upper case before lower case).

/// Whether `b` is an RFC 3986 unreserved character (`A-Z a-z 0-9 - _ . ~`).
pub fn is_unreserved(b: u8) -> bool {
    UNRESERVED[usize::from(b)]
}

/// [`is_unreserved`] as a lookup table.
static UNRESERVED: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
        i += 1;
    }
    t
};

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// `%00%01…%FF`: the escape of byte `b` is `ESCAPES[3 * b..3 * b + 3]`.
const ESCAPES: &str = {
    const BYTES: [u8; 768] = {
        let mut t = [0u8; 768];
        let mut i = 0;
        while i < 256 {
            t[3 * i] = b'%';
            t[3 * i + 1] = HEX_UPPER[i >> 4];
            t[3 * i + 2] = HEX_UPPER[i & 0x0f];
            i += 1;
        }
        t
    };
    match std::str::from_utf8(&BYTES) {
        Ok(s) => s,
        Err(_) => panic!("escapes are ASCII"),
    }
};

/// `%XX` for byte `b`.
fn escape(b: u8) -> &'static str {
    let i = 3 * usize::from(b);
    &ESCAPES[i..i + 3]
}

/// Whether `bytes[i]` starts a `%XX` escape.
fn is_escape(bytes: &[u8], i: usize) -> bool {
    bytes[i] == b'%'
        && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
        && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
}

/// Appends `s` percent-encoded (RFC 3986, upper-case hex), copying runs of unreserved
/// characters whole. In a path (`path`), `/` and existing `%XX` escapes are kept: path
/// parameters arrive encoded as segments (`a%2Fb`) and must not be encoded twice.
fn encode_into(out: &mut String, s: &str, path: bool) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if UNRESERVED[usize::from(b)] || (path && (b == b'/' || is_escape(bytes, i))) {
            continue;
        }
        // Every non-ASCII byte is escaped, so a run of kept bytes is ASCII and both of its
        // ends are character boundaries.
        if start < i {
            out.push_str(&s[start..i]);
        }
        out.push_str(escape(b));
        start = i + 1;
    }
    if start < bytes.len() {
        out.push_str(&s[start..]);
    }
}

/// Appends [`percent_encode_path`] of `path` to `out`.
pub fn push_percent_encoded_path(out: &mut String, path: &str) {
    encode_into(out, path, true);
}

/// Appends the RFC 3986 percent-encoding of `s` to `out` (see [`percent_encode`]).
pub fn push_percent_encoded(out: &mut String, s: &str) {
    encode_into(out, s, false);
}

/// Appends `s` percent-encoded twice (`enc(enc(s))`, e.g. `a b` gives `a%2520b`) to `out`,
/// in one pass: Alibaba V2's string to sign encodes the already encoded canonical query.
pub fn push_percent_encoded_twice(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if UNRESERVED[usize::from(b)] {
            continue;
        }
        if start < i {
            out.push_str(&s[start..i]);
        }
        out.push_str("%25");
        out.push_str(&escape(b)[1..]);
        start = i + 1;
    }
    if start < bytes.len() {
        out.push_str(&s[start..]);
    }
}

/// RFC 3986 percent-encoding of `s` (UTF-8), upper-case hex, only unreserved chars kept.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    encode_into(&mut out, s, false);
    out
}

/// Percent-encodes every segment of a URL path, keeping the `/` separators and the `%XX`
/// escapes already there (a segment holding an encoded path parameter stays as it is).
pub fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    encode_into(&mut out, path, true);
    out
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes `%XX` escapes (`+` is left as is). `None` on a malformed escape or if the result
/// is not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hi = hex_val(*b.get(i + 1)?)?;
            let lo = hex_val(*b.get(i + 2)?)?;
            out.push(hi << 4 | lo);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Sorts parameters by name, then value, in byte order (stable).
pub fn sort_params(params: &mut [(String, String)]) {
    params.sort_by(|a, b| {
        a.0.as_bytes()
            .cmp(b.0.as_bytes())
            .then_with(|| a.1.as_bytes().cmp(b.1.as_bytes()))
    });
}

/// `enc(name)=enc(value)` joined by `&`, in the order given.
pub fn encode_pairs(params: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_into(&mut out, k, false);
        out.push('=');
        encode_into(&mut out, v, false);
    }
    out
}

/// The canonical query string: parameters sorted with [`sort_params`], then [`encode_pairs`].
/// An empty parameter list gives `""`; an empty value gives `name=`.
pub fn canonical_query(params: &[(String, String)]) -> String {
    let len: usize = params.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
    let mut out = String::with_capacity(len + len / 4);
    push_canonical_query(&mut out, params);
    out
}

/// Appends [`canonical_query`] of `params` to `out`.
pub fn push_canonical_query(out: &mut String, params: &[(String, String)]) {
    match params {
        [] => {}
        [(k, v)] => {
            encode_into(out, k, false);
            out.push('=');
            encode_into(out, v, false);
        }
        _ => {
            // Sort references, not clones of the pairs.
            let mut sorted: Vec<&(String, String)> = params.iter().collect();
            sorted.sort_unstable_by(|a, b| {
                a.0.as_bytes()
                    .cmp(b.0.as_bytes())
                    .then_with(|| a.1.as_bytes().cmp(b.1.as_bytes()))
            });
            for (i, (k, v)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push('&');
                }
                encode_into(out, k, false);
                out.push('=');
                encode_into(out, v, false);
            }
        }
    }
}

/// Splits `a=b&c=d` and percent-decodes each side (inverse of [`encode_pairs`]).
/// `None` if any piece is malformed.
pub fn decode_pairs(query: &str) -> Option<Vec<(String, String)>> {
    if query.is_empty() {
        return Some(Vec::new());
    }
    query
        .split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=')?;
            Some((percent_decode(k)?, percent_decode(v)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_the_special_characters() {
        assert_eq!(
            percent_encode("a b+c/d=e~f*g%h"),
            "a%20b%2Bc%2Fd%3De~f%2Ag%25h"
        );
        assert_eq!(percent_encode("未命名"), "%E6%9C%AA%E5%91%BD%E5%90%8D");
        assert_eq!(percent_encode_path("/v1/a b/"), "/v1/a%20b/");
        for s in ["", "a b+c/d=e~f*g%h", "未命名x", "%", "plain"] {
            let mut twice = String::new();
            push_percent_encoded_twice(&mut twice, s);
            assert_eq!(twice, percent_encode(&percent_encode(s)), "{s}");
        }
        assert_eq!(percent_decode("%e6%9C%aa"), Some("未".into()));
        assert_eq!(percent_decode("%G0"), None);
        assert_eq!(percent_decode("%4"), None);
        assert_eq!(percent_decode("%FF"), None);
    }

    #[test]
    fn canonical_query_sorts_bytewise() {
        let p = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        let q = canonical_query(&[p("b", ""), p("a", "2"), p("Z", "x y"), p("a", "1")]);
        assert_eq!(q, "Z=x%20y&a=1&a=2&b=");
        assert_eq!(canonical_query(&[]), "");
    }
}
