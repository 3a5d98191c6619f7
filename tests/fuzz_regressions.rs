//! Replays the fuzz targets' committed inputs as plain tests, without libFuzzer: every file of
//! `tests/fuzz_regressions/<target>/` (the reproducer of each crash found and fixed) and of the
//! seed corpus `fuzz/corpus/<target>/`, through the same calls the targets make (see
//! `fuzz/fuzz_targets/`). The readable-input targets are replayed: `decode` here (optional
//! status line and headers, then the body), `spec_loader` in `codegen/tests/fuzz_regressions.rs`
//! (YAML). `encode_sign` takes `arbitrary`-encoded input: its reproducers become ordinary
//! tests in `tests/signers.rs` / `tests/encoding_props.rs`.

use std::path::{Path, PathBuf};

#[path = "../fuzz/common/decode_case.rs"]
mod decode_case;

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

#[test]
fn decode_inputs_replay() {
    let all = inputs("decode");
    assert!(all.len() >= 10, "seed corpus present");
    let successes: usize = all.iter().map(|(_, data)| decode_case::run(data)).sum();
    assert!(successes > 0, "the vendors' examples decode as successes");
}
