//! Every crate root of the repository (library, binaries, build script, generator, fuzz
//! targets) forbids `unsafe` code, and the workspace lint says so too.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    out.sort();
    out
}

#[test]
fn every_crate_root_forbids_unsafe_code() {
    let mut roots: Vec<String> = [
        "src/lib.rs",
        "src/bin/cloudbackup/main.rs",
        "build.rs",
        "codegen/src/lib.rs",
        "codegen/src/main.rs",
    ]
    .map(str::to_owned)
    .to_vec();
    for p in rust_files(&root().join("fuzz/fuzz_targets")) {
        roots.push(p.strip_prefix(root()).unwrap().display().to_string());
    }
    assert!(roots.len() > 5, "the fuzz targets are found: {roots:?}");
    let missing: Vec<&String> = roots
        .iter()
        .filter(|r| !read(r).contains("#![forbid(unsafe_code)]"))
        .collect();
    assert!(
        missing.is_empty(),
        "no #![forbid(unsafe_code)] in {missing:?}"
    );
}

#[test]
fn the_manifests_forbid_unsafe_code() {
    let ws = read("Cargo.toml");
    assert!(ws.contains("[workspace.lints.rust]\nunsafe_code = \"forbid\""));
    for member in ["Cargo.toml", "codegen/Cargo.toml"] {
        assert!(
            read(member).contains("[lints]\nworkspace = true"),
            "{member}"
        );
    }
    let fuzz = read("fuzz/Cargo.toml");
    assert!(fuzz.contains("[lints.rust]\nunsafe_code = \"forbid\""));
    // Its own workspace: `cargo test --workspace` neither builds nor needs libFuzzer.
    assert!(fuzz.contains("\n[workspace]\n"));
    assert!(!ws.contains("\"fuzz\""));
}
