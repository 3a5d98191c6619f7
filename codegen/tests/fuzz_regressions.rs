//! Replays the `spec_loader` fuzz target's committed inputs as plain tests, without libFuzzer:
//! every file of `tests/fuzz_regressions/spec_loader/` (reproducers of crashes found and fixed)
//! and of the seed corpus `fuzz/corpus/spec_loader/`, parsed as each spec file type. The real
//! specs in the seed corpus parse as one of them, and the seed corpus is a current copy of
//! every spec file (`scripts/regen.sh` writes it).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cloudbackup_codegen::fresh::{stale, stale_message};

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

/// The subdirectories of `dir` that are not tooling (`_schema/`) or hidden, sorted.
fn dirs(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut v: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .filter(|(name, _)| !name.starts_with(['_', '.']))
        .collect();
    v.sort();
    v
}

/// `fuzz/corpus/spec_loader/` holds every spec file of `specs/`, current, named
/// `<provider>__provider.yaml` and `<provider>_<service>_<file>.yaml`, and nothing else.
#[test]
fn spec_loader_seeds_are_the_spec_tree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let read = |p: &Path| std::fs::read_to_string(p).unwrap();
    let mut files = BTreeMap::new();
    for (provider, pdir) in dirs(&root.join("specs")) {
        let shared = pdir.join("_provider.yaml");
        if shared.is_file() {
            files.insert(format!("{provider}__provider.yaml"), read(&shared));
        }
        for (service, sdir) in dirs(&pdir) {
            for e in std::fs::read_dir(&sdir).unwrap() {
                let p = e.unwrap().path();
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                if name.ends_with(".yaml") {
                    files.insert(format!("{provider}_{service}_{name}"), read(&p));
                }
            }
        }
    }
    assert!(files.len() >= 10, "{:?}", files.keys());
    let corpus = "fuzz/corpus/spec_loader";
    let stale = stale(&root.join(corpus), &files);
    assert!(stale.is_empty(), "{}", stale_message(corpus, &stale));
}
