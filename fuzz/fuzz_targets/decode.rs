//! Every family's response decoder on arbitrary responses, and every generated `parse_output`
//! on each success payload. Must never panic; a decode error's excerpt stays bounded.
//!
//! Input format (readable seeds): an optional first line with a 3-digit HTTP status, then
//! optional `name: value` header lines up to a blank line, then the body. Without a status line
//! the whole input is the body and the status is 200.
#![no_main]
#![forbid(unsafe_code)]

use cloudbackup::Operation;
use cloudbackup::runtime::decode::EXCERPT_MAX;
use cloudbackup::runtime::{
    DecodeError, Decoded, RawResponse, decode_alibaba, decode_huawei, decode_tc3,
    decode_tencent_v2,
};
use cloudbackup::{alibaba, huawei, tencent};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn response(data: &[u8]) -> RawResponse {
    let status_line = data.len() >= 4
        && data[..3].iter().all(u8::is_ascii_digit)
        && data[3] == b'\n';
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

fn parse_outputs(payload: &Value) {
    let _ = tencent::cbs::CreateDiskBackupInput::parse_output(payload);
    let _ = tencent::cbs::DescribeDiskBackupsInput::parse_output(payload);
    let _ = tencent::sqlserver::CreateBackupInput::parse_output(payload);
    let _ = tencent::redis::ManualBackupInstanceInput::parse_output(payload);
    let _ = alibaba::dbs::CreateBackupPlanInput::parse_output(payload);
    let _ = huawei::koophone::BatchBackupInstancesInput::parse_output(payload);
}

fn check(result: Result<Decoded, DecodeError>) {
    match result {
        Ok(Decoded::Success { payload, .. }) => {
            assert!(payload.is_object());
            parse_outputs(&payload);
        }
        Ok(Decoded::Error(parts)) => {
            let _ = parts.code.len() + parts.message.len();
        }
        Err(e) => {
            assert!(e.excerpt.len() <= EXCERPT_MAX);
            let _ = e.to_string();
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let resp = response(data);
    check(decode_tencent_v2(&resp));
    check(decode_tc3(&resp));
    check(decode_alibaba(&resp));
    check(decode_huawei(&resp));
    // Any JSON value, not only what a decoder passes on, as a payload.
    if let Ok(v) = serde_json::from_slice::<Value>(&resp.body) {
        parse_outputs(&v);
    }
});
