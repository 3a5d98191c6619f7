//! The spec loader on arbitrary YAML: `parse_yaml` into each spec file type, and (for input
//! that parses as an action file) the whole generator on a copy of the real spec tree with
//! that action replaced. Must never panic; a failure renders its diagnostics.
//!
//! An input replaces the hand-written action it names (else the first one); actions imported
//! from vendor metadata (their `source:` is an `api.json`) use no construct the hand-written
//! ones do not, so their seeds go through the parser and replace the first action. Every
//! service is loaded and checked; code is generated for the replaced action's service only,
//! as a one-service build does (generating all 88 actions for each input made the seed corpus
//! alone take over 12 minutes).
#![no_main]
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use cloudbackup_codegen::diagnostics::Diagnostics;
use cloudbackup_codegen::ir::feature_name;
use cloudbackup_codegen::load::parse_yaml;
use cloudbackup_codegen::source::FileId;
use cloudbackup_codegen::spec::{ActionFile, ProviderFile, ServiceFile};
use cloudbackup_codegen::{Settings, generate};
use libfuzzer_sys::fuzz_target;

/// A private copy of `specs/` (made once per process).
fn tree() -> &'static PathBuf {
    static TREE: OnceLock<PathBuf> = OnceLock::new();
    TREE.get_or_init(|| {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
        let dst =
            std::env::temp_dir().join(format!("cloudbackup-fuzz-specs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dst);
        copy_dir(&src, &dst);
        dst
    })
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dst.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
}

/// Whether `path` is an action imported from vendor metadata (see the module's doc).
fn imported(path: &Path) -> bool {
    let name = path.file_name().unwrap().to_string_lossy();
    name.ends_with(".yaml")
        && !name.starts_with('_')
        && std::fs::read_to_string(path).is_ok_and(|t| {
            t.lines()
                .any(|l| l.trim_start().starts_with("url:") && l.trim_end().ends_with("/api.json"))
        })
}

/// The hand-written action files of the copy (`<provider>/<service>/<Action>.yaml`), found once.
fn actions() -> &'static [PathBuf] {
    static ACTIONS: OnceLock<Vec<PathBuf>> = OnceLock::new();
    ACTIONS.get_or_init(|| {
        let mut out = Vec::new();
        for provider in sorted_dirs(tree()) {
            for service in sorted_dirs(&provider) {
                let mut files: Vec<PathBuf> = std::fs::read_dir(&service)
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .filter(|p| {
                        let name = p.file_name().unwrap().to_string_lossy();
                        name.ends_with(".yaml") && !name.starts_with('_') && !imported(p)
                    })
                    .collect();
                files.sort();
                out.extend(files);
            }
        }
        assert!(!out.is_empty(), "the spec tree has actions");
        out
    })
}

/// The subdirectories of `dir` that are not tooling (`_schema/`), sorted.
fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !p.file_name().unwrap().to_string_lossy().starts_with('_'))
        .collect();
    out.sort();
    out
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut diags = Diagnostics::default();
    let _ = parse_yaml::<ProviderFile>(text, FileId(0), &mut diags);
    let _ = parse_yaml::<ServiceFile>(text, FileId(0), &mut diags);
    if parse_yaml::<ActionFile>(text, FileId(0), &mut diags).is_none() {
        return;
    }
    let actions = actions();
    let path = actions
        .iter()
        .find(|path| {
            let stem = path.file_stem().unwrap().to_string_lossy();
            text.contains(&format!("action: {stem}"))
        })
        .unwrap_or(&actions[0]);
    let original = std::fs::read(path).unwrap();
    std::fs::write(path, text).unwrap();
    let service = path.parent().unwrap();
    let provider = service.parent().unwrap();
    let mut settings = Settings::new(tree());
    settings.services = Some(
        [feature_name(
            &provider.file_name().unwrap().to_string_lossy(),
            &service.file_name().unwrap().to_string_lossy(),
        )]
        .into(),
    );
    let result = generate(&settings);
    std::fs::write(path, original).unwrap();
    if let Err(f) = result {
        assert!(!f.rendered.is_empty());
    }
});
