//! `Settings::services`: only the selected services get code and pages, the index and the
//! selected files are the all-services ones, and a spec error anywhere still fails.

use std::path::{Path, PathBuf};

use cloudbackup_codegen::{Settings, generate};

fn real_specs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

fn only(specs: &Path, features: &[&str]) -> Settings {
    let mut settings = Settings::new(specs);
    settings.services = Some(features.iter().map(|f| (*f).to_owned()).collect());
    settings
}

#[test]
fn only_enabled_services_are_generated() {
    let all = generate(&Settings::new(real_specs())).expect("the real specs generate");
    // As build.rs passes them: every enabled feature, spelled as in `CARGO_FEATURE_*`.
    let cbs = generate(&only(
        &real_specs(),
        &["tencent_cbs", "blocking", "default"],
    ))
    .expect("the real specs generate");
    let code: Vec<&str> = cbs
        .files
        .keys()
        .map(String::as_str)
        .filter(|f| f.ends_with(".rs"))
        .collect();
    assert_eq!(code, ["_generated.rs", "tencent/cbs.rs"]);
    assert_eq!(cbs.files["_generated.rs"], all.files["_generated.rs"]);
    assert_eq!(cbs.files["tencent/cbs.rs"], all.files["tencent/cbs.rs"]);
    for (name, page) in &cbs.files {
        if let Some(rel) = name.strip_prefix("docs/") {
            assert_eq!(Some(page), all.files.get(name), "{name}");
            let service_page = rel.matches('/').count() >= 2;
            assert!(!service_page || rel.starts_with("tencent/cbs/"), "{name}");
        }
    }
    assert!(
        cbs.files
            .contains_key("docs/tencent/cbs/CreateDiskBackup.md")
    );
    assert_eq!(cbs.read, all.read);

    let none = generate(&only(&real_specs(), &["blocking"])).expect("the real specs generate");
    let code: Vec<&str> = none
        .files
        .keys()
        .map(String::as_str)
        .filter(|f| f.ends_with(".rs"))
        .collect();
    assert_eq!(code, ["_generated.rs"]);
}

#[test]
fn spec_errors_in_disabled_services_still_fail() {
    let tree = Path::new(env!("CARGO_TARGET_TMPDIR")).join("service-filter-specs");
    let _ = std::fs::remove_dir_all(&tree);
    copy_dir(&real_specs(), &tree);
    let broken = tree.join("huawei/koophone/BatchBackupInstances.yaml");
    let text = std::fs::read_to_string(&broken).expect("the koophone spec exists");
    std::fs::write(&broken, format!("{text}\nnot_a_key: [\n")).expect("writable temp tree");
    let failure = generate(&only(&tree, &["tencent-cbs"])).expect_err("the error is reported");
    assert!(
        failure.rendered.contains("BatchBackupInstances.yaml"),
        "{}",
        failure.rendered
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("writable temp tree");
    for entry in std::fs::read_dir(from).expect("readable specs") {
        let entry = entry.expect("readable specs");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("readable specs").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("writable temp tree");
        }
    }
}
