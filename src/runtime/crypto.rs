//! Thin wrappers over the hash and HMAC primitives the signers use.

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// HMAC-SHA256 of `data` under `key`.
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so construction cannot fail.
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// HMAC-SHA1 of `data` under `key`.
pub fn hmac_sha1(key: &[u8], data: &[u8]) -> [u8; 20] {
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Lowercase hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Standard (padded) base64.
pub fn base64(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

/// Appends the lowercase hex of `bytes` to `out` (no intermediate allocation: 32 bytes at a
/// time through a stack buffer).
pub fn push_hex(out: &mut String, bytes: &[u8]) {
    out.reserve(bytes.len() * 2);
    let mut buf = [0u8; 64];
    for chunk in bytes.chunks(32) {
        for (i, &b) in chunk.iter().enumerate() {
            buf[2 * i] = HEX_LOWER[usize::from(b >> 4)];
            buf[2 * i + 1] = HEX_LOWER[usize::from(b & 0x0f)];
        }
        out.push_str(std::str::from_utf8(&buf[..2 * chunk.len()]).expect("hex is ASCII"));
    }
}

/// Appends the lowercase hex SHA-256 of `data` to `out`.
pub fn push_sha256_hex(out: &mut String, data: &[u8]) {
    push_hex(out, &Sha256::digest(data));
}

/// An HMAC-SHA256 state keyed with `key`: clone it to sign many messages under one key
/// without re-hashing the key blocks.
pub fn hmac_sha256_keyed(key: &[u8]) -> Hmac<Sha256> {
    <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes any key length")
}

/// HMAC-SHA256 of `data` under a pre-keyed state (see [`hmac_sha256_keyed`]).
pub fn hmac_sha256_with(keyed: &Hmac<Sha256>, data: &[u8]) -> [u8; 32] {
    let mut mac = keyed.clone();
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Lowercase hex of `bytes` (a digest or MAC), allocated once at its exact size.
pub fn hex32(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    push_hex(&mut s, bytes);
    s
}

/// Appends `s` lowercased (ASCII) to `out`.
pub fn push_lower(out: &mut String, s: &str) {
    let start = out.len();
    out.push_str(s);
    out[start..].make_ascii_lowercase();
}

/// Header names lowercased (borrowed when already lowercase) with trimmed values, sorted by
/// name then value: the signed-header list of ACS3 and Huawei AK/SK.
pub fn lower_sorted<'a>(
    headers: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<(std::borrow::Cow<'a, str>, &'a str)> {
    let mut v: Vec<_> = headers
        .map(|(k, v)| {
            let k = if k.bytes().any(|b| b.is_ascii_uppercase()) {
                std::borrow::Cow::Owned(k.to_ascii_lowercase())
            } else {
                std::borrow::Cow::Borrowed(k)
            };
            (k, v.trim())
        })
        .collect();
    v.sort_unstable();
    v
}

/// Appends `name:value\n` per header, then returns the `;`-joined names appended to `out`
/// after a blank line: `canonical headers \n signed headers`. Returns the byte range of the
/// signed-header list in `out`.
pub fn push_headers_block(
    out: &mut String,
    signed: &[(std::borrow::Cow<'_, str>, &str)],
) -> std::ops::Range<usize> {
    for (k, v) in signed {
        out.push_str(k);
        out.push(':');
        out.push_str(v);
        out.push('\n');
    }
    out.push('\n');
    let start = out.len();
    for (i, (k, _)) in signed.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(k);
    }
    start..out.len()
}
