//! Adding an action is one YAML file: copy the crate, add a spec to the copy's `specs/`, and the
//! copy builds, passes clippy `-D warnings`, and the new typed action works (an example in the
//! copy exercises validation, encoding, decoding and errors). No Rust file is edited.

use std::path::{Path, PathBuf};
use std::process::Command;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" || name.to_string_lossy().starts_with('.') {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

fn cargo(dir: &Path, target: &Path, args: &[&str]) {
    let out = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_new_spec_needs_no_rust_change() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let work = root.join("target/spec-tree-test");
    let copy = work.join("crate");
    let _ = std::fs::remove_dir_all(&copy);
    for part in [
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "README.md",
        "clippy.toml",
    ] {
        if root.join(part).exists() {
            std::fs::create_dir_all(&copy).unwrap();
            std::fs::copy(root.join(part), copy.join(part)).unwrap();
        }
    }
    // `benches/` and `examples/` too: the manifest declares their targets.
    for dir in ["src", "specs", "codegen/src", "benches", "examples"] {
        copy_dir(&root.join(dir), &copy.join(dir));
    }
    std::fs::copy(
        root.join("codegen/Cargo.toml"),
        copy.join("codegen/Cargo.toml"),
    )
    .unwrap();
    let fixture = root.join("tests/fixtures/new_action");
    std::fs::copy(
        fixture.join("ApplyDiskBackupPolicy.yaml"),
        copy.join("specs/tencent/cbs/ApplyDiskBackupPolicy.yaml"),
    )
    .unwrap();
    std::fs::create_dir_all(copy.join("examples")).unwrap();
    std::fs::copy(
        fixture.join("use_new_action.rs"),
        copy.join("examples/use_new_action.rs"),
    )
    .unwrap();

    let target = work.join("target");
    cargo(
        &copy,
        &target,
        &[
            "clippy",
            "--offline",
            "-q",
            "--example",
            "use_new_action",
            "--",
            "-D",
            "warnings",
        ],
    );
    cargo(
        &copy,
        &target,
        &["run", "--offline", "-q", "--example", "use_new_action"],
    );
}
