//! Snapshots of the code generated from the real specs (`specs/`), one file per service.
//! Bless with `EXPECTORATE=overwrite cargo test -p cloudbackup-codegen --test snapshots`.

use std::path::Path;

use cloudbackup_codegen::{Settings, generate};

fn specs() -> Settings {
    Settings::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs"))
}

#[test]
fn seed_services_match_snapshots() {
    let generated = match generate(&specs()) {
        Ok(g) => g,
        Err(f) => panic!("the real specs must generate:\n{}", f.rendered),
    };
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    let names: Vec<&str> = generated.files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "_generated.rs",
            "alibaba/dbs.rs",
            "huawei/koophone.rs",
            "tencent/cbs.rs",
            "tencent/redis.rs",
            "tencent/sqlserver.rs"
        ]
    );
    for (rel, code) in &generated.files {
        let path = format!("tests/snapshots/{rel}");
        if let Some(parent) = Path::new(&path).parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        expectorate::assert_contents(format!("tests/snapshots/{rel}"), code);
    }
}

#[test]
fn same_specs_same_bytes() {
    let a = generate(&specs()).map_err(|f| f.rendered).unwrap();
    let b = generate(&specs()).map_err(|f| f.rendered).unwrap();
    assert_eq!(a.files, b.files);
}

#[test]
fn every_spec_file_is_listed_for_rerun() {
    let g = generate(&specs()).map_err(|f| f.rendered).unwrap();
    let read: Vec<String> = g
        .read
        .iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    for want in [
        "specs/tencent/_provider.yaml",
        "specs/tencent/cbs/_service.yaml",
        "specs/tencent/cbs/CreateDiskBackup.yaml",
        "specs/huawei/koophone/BatchBackupInstances.yaml",
    ] {
        assert!(
            read.iter().any(|r| r.ends_with(want)),
            "{want} not in {read:?}"
        );
    }
}
