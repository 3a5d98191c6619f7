//! Replays the `spec_loader` fuzz target's committed inputs as plain tests, without libFuzzer:
//! every file of `tests/fuzz_regressions/spec_loader/` (reproducers of crashes found and fixed)
//! and of the seed corpus `fuzz/corpus/spec_loader/`, parsed as each spec file type. The real
//! specs in the seed corpus parse as one of them.

use std::path::Path;

use cloudbackup_codegen::diagnostics::Diagnostics;
use cloudbackup_codegen::load::parse_yaml;
use cloudbackup_codegen::source::FileId;
use cloudbackup_codegen::spec::{ActionFile, ProviderFile, ServiceFile};

#[test]
fn spec_loader_inputs_replay() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut seen = 0;
    for dir in [
        "tests/fuzz_regressions/spec_loader",
        "fuzz/corpus/spec_loader",
    ] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            let mut diags = Diagnostics::default();
            let parsed = parse_yaml::<ProviderFile>(&text, FileId(0), &mut diags).is_some() as u8
                + parse_yaml::<ServiceFile>(&text, FileId(0), &mut diags).is_some() as u8
                + parse_yaml::<ActionFile>(&text, FileId(0), &mut diags).is_some() as u8;
            if dir.starts_with("fuzz/") {
                assert!(parsed >= 1, "{}: a real spec parses", p.display());
            }
            seen += 1;
        }
    }
    assert!(seen >= 10, "seed corpus present");
}
