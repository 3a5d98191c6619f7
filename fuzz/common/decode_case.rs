//! One case of the `decode` fuzz target, shared by the target (`fuzz/fuzz_targets/decode.rs`)
//! and its replay as a plain test (`tests/fuzz_regressions.rs`), so both read an input the same
//! way and make the same calls.
//!
//! Input format (readable seeds): an optional first line with a 3-digit HTTP status, then
//! optional `name: value` header lines up to a blank line, then the body. Without a status line
//! the whole input is the body and the status is 200.

use cloudbackup::registry;
use cloudbackup::runtime::decode::EXCERPT_MAX;
use cloudbackup::runtime::{
    DecodeError, Decoded, RawResponse, decode_alibaba, decode_huawei, decode_tc3, decode_tencent_v2,
};
use serde_json::Value;

/// The response an input stands for.
fn response(data: &[u8]) -> RawResponse {
    let status_line =
        data.len() >= 4 && data[..3].iter().all(u8::is_ascii_digit) && data[3] == b'\n';
    if !status_line {
        return RawResponse {
            status: 200,
            headers: Vec::new(),
            body: data.to_vec(),
        };
    }
    let status = std::str::from_utf8(&data[..3]).unwrap().parse().unwrap();
    let rest = &data[4..];
    let (head, body) = match rest.windows(2).position(|w| w == b"\n\n") {
        Some(i) => (&rest[..i], &rest[i + 2..]),
        None => (&rest[..0], rest),
    };
    let headers = String::from_utf8_lossy(head)
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    RawResponse {
        status,
        headers,
        body: body.to_vec(),
    }
}

/// Every registry action's `parse_output` on a payload: an error names a field, a success
/// is a JSON object.
fn parse_outputs(payload: &Value) {
    for entry in registry::all() {
        match (entry.parse_output)(payload) {
            Ok(out) => assert!(out.is_object(), "{}: {out}", entry.path()),
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
}

/// Checks one decoder's outcome; whether it is a success.
fn check(result: Result<Decoded, DecodeError>) -> bool {
    match result {
        Ok(Decoded::Success { payload, .. }) => {
            assert!(payload.is_object());
            parse_outputs(&payload);
            true
        }
        Ok(Decoded::Error(parts)) => {
            let _ = parts.code.len() + parts.message.len();
            false
        }
        Err(e) => {
            assert!(e.excerpt.len() <= EXCERPT_MAX);
            let _ = e.to_string();
            false
        }
    }
}

/// Runs every family's decoder on the input's response, then every `parse_output` on the body
/// if it is any JSON value; returns how many decoders saw a success. Panics on a broken
/// invariant.
pub(crate) fn run(data: &[u8]) -> usize {
    let resp = response(data);
    let successes = [
        check(decode_tencent_v2(&resp)),
        check(decode_tc3(&resp)),
        check(decode_alibaba(&resp)),
        check(decode_huawei(&resp)),
    ]
    .into_iter()
    .filter(|s| *s)
    .count();
    // Any JSON value, not only what a decoder passes on, as a payload.
    if let Ok(v) = serde_json::from_slice::<Value>(&resp.body) {
        parse_outputs(&v);
    }
    successes
}
