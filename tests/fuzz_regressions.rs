//! Replays the fuzz targets' committed inputs as plain tests, without libFuzzer: every file of
//! `tests/fuzz_regressions/<target>/` (the reproducer of each crash found and fixed) and of the
//! seed corpus `fuzz/corpus/<target>/`, through the same calls the targets make (see
//! `fuzz/fuzz_targets/`). The readable-input targets are replayed: `decode` here (optional
//! status line and headers, then the body), `spec_loader` in `codegen/tests/fuzz_regressions.rs`
//! (YAML). `encode_sign` takes `arbitrary`-encoded input: its reproducers become ordinary
//! tests in `tests/signers.rs` / `tests/encoding_props.rs`.

use std::path::{Path, PathBuf};

use cloudbackup::Operation;
use cloudbackup::runtime::decode::EXCERPT_MAX;
use cloudbackup::runtime::{
    DecodeError, Decoded, RawResponse, decode_alibaba, decode_huawei, decode_tc3, decode_tencent_v2,
};
use cloudbackup::{alibaba, huawei, tencent};
use serde_json::Value;

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in [
        root.join("tests/fuzz_regressions").join(target),
        root.join("fuzz/corpus").join(target),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_file() {
                let data = std::fs::read(&p).unwrap();
                out.push((p, data));
            }
        }
    }
    out.sort();
    out
}

/// The `decode` target's input format.
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

fn parse_outputs(payload: &Value) {
    let _ = tencent::cbs::CreateDiskBackupInput::parse_output(payload);
    let _ = tencent::cbs::DescribeDiskBackupsInput::parse_output(payload);
    let _ = tencent::sqlserver::CreateBackupInput::parse_output(payload);
    let _ = tencent::redis::ManualBackupInstanceInput::parse_output(payload);
    let _ = alibaba::dbs::CreateBackupPlanInput::parse_output(payload);
    let _ = huawei::koophone::BatchBackupInstancesInput::parse_output(payload);
}

/// Whether the outcome is a success.
fn check(result: Result<Decoded, DecodeError>) -> bool {
    match result {
        Ok(Decoded::Success { payload, .. }) => {
            assert!(payload.is_object());
            parse_outputs(&payload);
            true
        }
        Ok(Decoded::Error(_)) => false,
        Err(e) => {
            assert!(e.excerpt.len() <= EXCERPT_MAX);
            let _ = e.to_string();
            false
        }
    }
}

#[test]
fn decode_inputs_replay() {
    let all = inputs("decode");
    assert!(all.len() >= 10, "seed corpus present");
    let mut successes = 0;
    for (_path, data) in &all {
        let resp = response(data);
        let outcomes = [
            check(decode_tencent_v2(&resp)),
            check(decode_tc3(&resp)),
            check(decode_alibaba(&resp)),
            check(decode_huawei(&resp)),
        ];
        successes += outcomes.iter().filter(|s| **s).count();
        if let Ok(v) = serde_json::from_slice::<Value>(&resp.body) {
            parse_outputs(&v);
        }
    }
    assert!(successes > 0, "the vendors' examples decode as successes");
}
