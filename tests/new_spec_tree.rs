//! Adding an action is one YAML file, for the crate and for its test suite: in a copy of the
//! crate,
//!
//! 1. a spec added to an existing service (`tests/fixtures/new_action/`) makes the freshness
//!    tests fail, naming `scripts/regen.sh`; after `scripts/regen.sh` the tests that iterate the
//!    registry and the spec tree pass, with no other edit; the copy passes clippy `-D warnings`
//!    and the new typed action works (an example exercises validation, encoding, decoding and
//!    errors);
//! 2. a new service without its Cargo feature (`tests/fixtures/new_service/`) fails the build
//!    with S0501 naming the line to add; with that line (and the feature in `default`) the
//!    build is clean again.
//!
//! No Rust file is edited. Only the tests that matter run in the copy (CI's time budget), in a
//! target directory of its own.

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

/// The copy of the crate and its own target directory.
struct Copy {
    dir: PathBuf,
    target: PathBuf,
}

impl Copy {
    /// Runs `program` in the copy (offline, on the copy's target directory): whether it
    /// succeeded, and its stdout and stderr.
    fn run(&self, program: &Path, args: &[&str]) -> (bool, String) {
        let out = Command::new(program)
            .args(args)
            .current_dir(&self.dir)
            .env("CARGO", env!("CARGO"))
            .env("CARGO_TARGET_DIR", &self.target)
            .env("CARGO_NET_OFFLINE", "true")
            .env_remove("RUSTFLAGS")
            .env_remove("EXPECTORATE")
            .output()
            .unwrap_or_else(|e| panic!("{} runs: {e}", program.display()));
        let text = format!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    }

    fn cargo(&self, args: &[&str]) -> (bool, String) {
        self.run(Path::new(env!("CARGO")), args)
    }

    #[track_caller]
    fn ok(&self, args: &[&str]) -> String {
        let (ok, text) = self.cargo(args);
        assert!(ok, "cargo {args:?} failed:\n{text}");
        text
    }

    #[track_caller]
    fn fails(&self, args: &[&str]) -> String {
        let (ok, text) = self.cargo(args);
        assert!(!ok, "cargo {args:?} succeeded:\n{text}");
        text
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.join(rel)).unwrap()
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.dir.join(rel), text).unwrap();
    }
}

/// The crate's tests that iterate the registry (every action, every documented error code,
/// the compiled code against its snapshot, every decoder and `parse_output`).
const CRATE_TESTS: &[&str] = &[
    "test",
    "--offline",
    "--no-fail-fast",
    "--features",
    "emulator",
    "--test",
    "generated_api",
    "--test",
    "every_error_code",
    "--test",
    "emulator",
    "--test",
    "fuzz_regressions",
];

/// The generator's tests that iterate the spec tree (snapshots and reference pages of every
/// service, schemas and every spec against them, the spec seeds of the fuzzer).
const CODEGEN_TESTS: &[&str] = &[
    "test",
    "--offline",
    "--no-fail-fast",
    "-p",
    "cloudbackup-codegen",
    "--features",
    "schema",
    "--test",
    "snapshots",
    "--test",
    "schema",
    "--test",
    "fuzz_regressions",
];

/// Everything the build and the iterating tests read: no `.git`, no `target/`.
fn copy_crate(root: &Path, copy: &Path) {
    let _ = std::fs::remove_dir_all(copy);
    std::fs::create_dir_all(copy).unwrap();
    for part in [
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "README.md",
        "clippy.toml",
    ] {
        std::fs::copy(root.join(part), copy.join(part)).unwrap();
    }
    // `benches/` and `examples/` too: the manifest declares their targets.
    for dir in [
        "src",
        "specs",
        "codegen",
        "benches",
        "examples",
        "tests",
        "docs",
        "scripts",
        "fuzz/common",
        "fuzz/corpus",
    ] {
        copy_dir(&root.join(dir), &copy.join(dir));
    }
}

/// The `cargo:` lines `cloudbackup`'s build script printed, from `cargo -vv` output
/// (`[cloudbackup 0.1.0] cargo:rerun-if-changed=specs`), in order.
fn build_script_directives(output: &str) -> Vec<&str> {
    output
        .lines()
        .filter_map(|line| line.strip_prefix("[cloudbackup "))
        .filter_map(|line| line.find("] cargo:").map(|at| &line[at + 2..]))
        .collect()
}

#[test]
fn a_new_spec_needs_no_rust_change() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let work = root.join("target/spec-tree-test");
    let copy = Copy {
        dir: work.join("crate"),
        target: work.join("target"),
    };
    copy_crate(&root, &copy.dir);

    // 1. One YAML file in an existing service.
    let fixture = root.join("tests/fixtures/new_action");
    std::fs::copy(
        fixture.join("ApplyDiskBackupPolicy.yaml"),
        copy.dir
            .join("specs/tencent/cbs/ApplyDiskBackupPolicy.yaml"),
    )
    .unwrap();
    std::fs::create_dir_all(copy.dir.join("examples")).unwrap();
    std::fs::copy(
        fixture.join("use_new_action.rs"),
        copy.dir.join("examples/use_new_action.rs"),
    )
    .unwrap();

    // The derived files are stale: the freshness tests fail and name the command.
    let stale = copy.fails(CODEGEN_TESTS);
    for want in [
        "docs/api is stale",
        "tencent/cbs/ApplyDiskBackupPolicy.md",
        "codegen/tests/snapshots is stale",
        "fuzz/corpus/spec_loader is stale",
        "run `scripts/regen.sh`",
    ] {
        assert!(stale.contains(want), "`{want}` not in:\n{stale}");
    }
    let stale = copy.fails(CRATE_TESTS);
    for want in [
        "OUT_DIR differs from the snapshot of",
        "\"tencent/cbs.rs\"]: run scripts/regen.sh",
    ] {
        assert!(stale.contains(want), "`{want}` not in:\n{stale}");
    }

    let (ok, regen) = copy.run(&copy.dir.join("scripts/regen.sh"), &[]);
    assert!(ok, "scripts/regen.sh failed:\n{regen}");
    for derived in [
        "docs/api/tencent/cbs/ApplyDiskBackupPolicy.md",
        "fuzz/corpus/spec_loader/tencent_cbs_ApplyDiskBackupPolicy.yaml",
    ] {
        assert!(copy.dir.join(derived).is_file(), "{derived} not written");
    }
    assert!(
        copy.read("codegen/tests/snapshots/tencent/cbs.rs")
            .contains("pub mod apply_disk_backup_policy"),
        "the snapshot has the new action"
    );

    // With the regenerated files, and no other edit, the iterating tests pass.
    let passed = copy.ok(CODEGEN_TESTS) + &copy.ok(CRATE_TESTS);
    for test in [
        "snapshots_are_current_for_every_service",
        "committed_reference_docs_are_current",
        "every_spec_references_and_validates_against_its_schema",
        "spec_loader_seeds_are_the_spec_tree",
        "compiled_code_is_the_snapshot",
        "registry_lists_and_checks_every_action",
        "every_documented_code_is_its_own_variant",
        "every_registry_action_is_routed_and_authenticated",
        "decode_inputs_replay",
    ] {
        assert!(
            passed.contains(&format!("test {test} ... ok")),
            "{test} did not pass:\n{passed}"
        );
    }

    // The new typed action builds clippy-clean and works.
    let example = [
        "clippy",
        "--offline",
        "-q",
        "--features",
        "emulator",
        "--example",
        "use_new_action",
        "--",
        "-D",
        "warnings",
    ];
    copy.ok(&example);
    copy.ok(&[
        "run",
        "--offline",
        "-q",
        "--features",
        "emulator",
        "--example",
        "use_new_action",
    ]);

    // A touch re-runs the build script (Cargo goes by modification times), which finds every
    // input as the last run read it and generates nothing; an edit generates again.
    // The same clippy run, with the build script's output shown (`-vv` instead of `-q`).
    let verbose = example.map(|arg| if arg == "-q" { "-vv" } else { arg });
    // (The file written again with the same bytes, as an editor saving it unchanged does.)
    let text = copy.read("specs/tencent/cbs/ApplyDiskBackupPolicy.yaml");
    copy.write("specs/tencent/cbs/ApplyDiskBackupPolicy.yaml", &text);
    let touched = copy.ok(&verbose);
    for want in [
        "Dirty cloudbackup",
        "cloudbackup-codegen: every input reads as at the last run; nothing generated",
    ] {
        assert!(touched.contains(want), "`{want}` not in:\n{touched}");
    }
    copy.write(
        "specs/tencent/cbs/ApplyDiskBackupPolicy.yaml",
        &text.replacen("\nsummary: ", "\nsummary: (edited) ", 1),
    );
    let edited = copy.ok(&verbose);
    assert!(
        edited.contains("cloudbackup-codegen: generated ") && edited.contains(" of them changed"),
        "{edited}"
    );
    // What the skipping run told Cargo (the files to watch, the warnings) is what the
    // generating run tells it.
    let told = build_script_directives(&touched);
    assert!(
        told.iter()
            .any(|line| line.starts_with("cargo:rerun-if-changed=")
                && line.ends_with("ApplyDiskBackupPolicy.yaml")),
        "the new spec is not watched:\n{touched}"
    );
    let generating = build_script_directives(&edited);
    let only = |a: &[&str], b: &[&str]| -> Vec<String> {
        a.iter()
            .filter(|line| !b.contains(line))
            .map(|line| line.to_string())
            .collect()
    };
    assert!(
        told == generating,
        "the skipping run told Cargo something else than the generating run; only skipping: \
         {:?}; only generating: {:?} (else the same lines, in another order or number)",
        only(&told, &generating),
        only(&generating, &told)
    );
    copy.write("specs/tencent/cbs/ApplyDiskBackupPolicy.yaml", &text);

    // 2. A new service without its Cargo feature: the build names the line to add.
    let service = copy.dir.join("specs/tencent/synthdisk");
    copy_dir(&root.join("tests/fixtures/new_service"), &service);
    let failed = copy.fails(&example);
    let line = r#"tencent-synthdisk = ["tencent"]"#;
    for want in [
        "error[S0501]: service `tencent/synthdisk` has no Cargo feature `tencent-synthdisk`",
        "--> specs/tencent/synthdisk/_service.yaml:4:10",
        &format!("add the line `{line}` to `[features]` in Cargo.toml"),
        r#"and `"tencent-synthdisk"` to its `default` list"#,
    ] {
        assert!(failed.contains(want), "`{want}` not in:\n{failed}");
    }
    // The line, and the feature in `default`: clean again.
    let manifest = copy.read("Cargo.toml");
    let fixed = manifest
        .replacen("[features]\n", &format!("[features]\n{line}\n"), 1)
        .replacen("default = [", "default = [\"tencent-synthdisk\", ", 1);
    assert_ne!(fixed, manifest);
    copy.write("Cargo.toml", &fixed);
    copy.ok(&example);
    copy.ok(&[
        "run",
        "--offline",
        "-q",
        "-p",
        "cloudbackup-codegen",
        "--features",
        "schema",
        "--",
        "check",
    ]);
}
