//! The spec loader on arbitrary YAML: `parse_yaml` into each spec file type, and (for input
//! that parses as an action file) the whole generator on a copy of the real spec tree with
//! that action replaced. Must never panic; a failure renders its diagnostics.
#![no_main]
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use cloudbackup_codegen::diagnostics::Diagnostics;
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
        let dst = std::env::temp_dir().join(format!("cloudbackup-fuzz-specs-{}", std::process::id()));
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

/// The real action files: the one the input names (`action: X`) is replaced.
const ACTIONS: &[&str] = &[
    "tencent/cbs/CreateDiskBackup.yaml",
    "tencent/cbs/DescribeDiskBackups.yaml",
    "tencent/sqlserver/CreateBackup.yaml",
    "tencent/redis/ManualBackupInstance.yaml",
    "alibaba/dbs/CreateBackupPlan.yaml",
    "huawei/koophone/BatchBackupInstances.yaml",
];

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
    let rel = ACTIONS
        .iter()
        .find(|rel| {
            let stem = rel.rsplit('/').next().unwrap().trim_end_matches(".yaml");
            text.contains(&format!("action: {stem}"))
        })
        .unwrap_or(&ACTIONS[0]);
    let root = tree();
    let path = root.join(rel);
    let original = std::fs::read(&path).unwrap();
    std::fs::write(&path, text).unwrap();
    let result = generate(&Settings::new(root));
    std::fs::write(&path, original).unwrap();
    if let Err(f) = result {
        assert!(!f.rendered.is_empty());
    }
});
