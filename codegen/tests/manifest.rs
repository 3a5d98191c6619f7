//! The `[features]` reader (`cloudbackup_codegen::manifest`) against Cargo itself: on the
//! workspace's real manifests, the features and what each enables are what `cargo metadata`
//! reports.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use cloudbackup_codegen::manifest::features;

#[test]
fn the_reader_agrees_with_cargo_on_the_real_manifests() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--no-deps",
            "--offline",
            "--format-version",
            "1",
        ])
        .current_dir(&repo)
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut compared = 0;
    for package in metadata["packages"].as_array().unwrap() {
        let manifest = package["manifest_path"].as_str().unwrap();
        let by_cargo: BTreeMap<String, Vec<String>> =
            serde_json::from_value(package["features"].clone()).unwrap();
        let text = std::fs::read_to_string(manifest).unwrap();
        let ours: BTreeMap<String, Vec<String>> = features(&text)
            .unwrap_or_else(|e| panic!("{manifest}: {e:?}"))
            .features
            .into_iter()
            .map(|(name, f)| (name, f.enables))
            .collect();
        assert_eq!(ours, by_cargo, "{manifest}");
        compared += usize::from(!ours.is_empty());
    }
    assert!(compared >= 2, "both manifests declare features");
}
