//! Spec-error UI tests: one tiny spec tree per diagnostic, compared with a blessed `.stderr`.
//!
//! Each directory `tests/spec_errors/<case>/` is a complete spec tree (`<provider>/_provider.yaml`,
//! `<provider>/<service>/_service.yaml`, `<provider>/<service>/<Action>.yaml`) with one deliberate
//! problem. The case name starts with the code it must report (`s0201-...`, `w0401-...`). The
//! rendered failure (or, when generation succeeds, the warning lines) must equal
//! `tests/spec_errors/<case>.stderr`. The diagnostics catalog of `codegen/README.md` has a
//! section per code, quoting cases' outputs, which must be current. Bless a deliberate change
//! (outputs and quotes) with `scripts/regen.sh --spec-errors` and review the diff.

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use cloudbackup_codegen::diagnostics::{Code, Severity};
use cloudbackup_codegen::features::CargoFeatures;
use cloudbackup_codegen::{Failure, Settings, generate};

/// The case with many problems, which is not named after one code.
const MANY: &str = "many-problems";

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/spec_errors")
}

/// Every case directory, sorted.
fn cases() -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(cases_dir())
        .expect("tests/spec_errors exists")
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.is_dir())
        .map(|p| {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .expect("UTF-8 case name")
                .to_owned();
            (name, p)
        })
        .collect();
    out.sort();
    out
}

/// Compares `text` with the blessed file `path` (and writes it under `EXPECTORATE=overwrite`,
/// which `scripts/regen.sh --spec-errors` sets).
#[track_caller]
fn assert_blessed(path: &Path, text: &str) {
    let blessing = std::env::var_os("EXPECTORATE").is_some();
    if !blessing && std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        eprintln!(
            "{} is not the current output; if the change is meant, run \
             `scripts/regen.sh --spec-errors` and review the diff",
            path.display()
        );
    }
    expectorate::assert_contents(path, text);
}

/// The settings of a case: its tree, displayed as `specs`, and the features of its
/// `Cargo.toml` when it has one (the crate around the specs, displayed as `Cargo.toml`).
fn settings(dir: &Path) -> Settings {
    let manifest = dir.join("Cargo.toml");
    Settings {
        specs_dir: dir.to_path_buf(),
        display_root: "specs".into(),
        runtime_path: "crate::__private".into(),
        services: None,
        cargo_features: manifest
            .is_file()
            .then(|| CargoFeatures::read(&manifest, "Cargo.toml").expect("readable Cargo.toml")),
    }
}

/// What a case produces: the rendered failure, or the warning lines when generation succeeds.
enum Outcome {
    Failed(Failure),
    Warned(Vec<String>),
}

impl Outcome {
    fn text(&self) -> String {
        match self {
            Outcome::Failed(f) => f.rendered.clone(),
            Outcome::Warned(w) => w.iter().map(|l| format!("{l}\n")).collect(),
        }
    }
}

fn run(dir: &Path) -> Outcome {
    match generate(&settings(dir)) {
        Ok(g) => Outcome::Warned(g.warnings),
        Err(f) => Outcome::Failed(f),
    }
}

/// The code a case is named after: `s0201-min-gt-max` → `S0201`.
fn expected_code(case: &str) -> Option<Code> {
    let prefix = case.split('-').next()?.to_ascii_uppercase();
    Code::ALL.iter().copied().find(|c| c.as_str() == prefix)
}

fn check_case(case: &str, dir: &Path) {
    let code = expected_code(case).unwrap_or_else(|| {
        panic!("case `{case}` must start with a catalog code, for example `s0201-...`")
    });
    let outcome = run(dir);
    let text = outcome.text();
    match (&outcome, code.severity()) {
        (Outcome::Failed(f), Severity::Error) => {
            assert!(
                f.diagnostics
                    .iter()
                    .any(|d| d.code == code && d.code.severity() == Severity::Error),
                "case `{case}`: no {} diagnostic in:\n{text}",
                code.as_str()
            );
            let header = format!("error[{}]: ", code.as_str());
            assert!(
                text.contains(&header),
                "case `{case}`: `{header}` not rendered in:\n{text}"
            );
            assert!(
                text.contains("--> specs/"),
                "case `{case}`: no location in:\n{text}"
            );
            assert!(
                text.contains(" = help: "),
                "case `{case}`: no help in:\n{text}"
            );
        }
        (Outcome::Warned(lines), Severity::Warning) => {
            let tag = format!(" [{}]", code.as_str());
            assert!(
                !lines.is_empty() && lines.iter().all(|l| l.starts_with("specs/")),
                "case `{case}`: expected `path:line:col: message [code]` lines, got:\n{text}"
            );
            assert!(
                lines.iter().any(|l| l.ends_with(&tag)),
                "case `{case}`: no {} warning in:\n{text}",
                code.as_str()
            );
        }
        (Outcome::Failed(_), Severity::Warning) => {
            panic!("case `{case}` is a warning case but generation failed:\n{text}")
        }
        (Outcome::Warned(_), Severity::Error) => {
            panic!(
                "case `{case}` expected {} but generation succeeded",
                code.as_str()
            )
        }
    }
    assert_blessed(&cases_dir().join(format!("{case}.stderr")), &text);
}

/// Every case matches its `.stderr`, reports its code, and does not panic. All cases run even
/// when one fails, and the failures are listed together.
#[test]
fn every_case_matches_its_stderr() {
    let cases = cases();
    assert!(!cases.is_empty(), "no cases under tests/spec_errors");
    let mut failed = Vec::new();
    for (case, dir) in &cases {
        if case == MANY {
            continue; // checked by `many_problems_are_reported_at_once_and_sorted`
        }
        if catch_unwind(AssertUnwindSafe(|| check_case(case, dir))).is_err() {
            failed.push(case.clone());
        }
    }
    assert!(
        failed.is_empty(),
        "failing cases: {failed:?}; if a new output is meant, bless it with \
         `scripts/regen.sh --spec-errors` and review the diff"
    );
}

/// Each `.stderr` belongs to a case directory, so a renamed case leaves no stale snapshot behind.
#[test]
fn no_orphan_snapshots() {
    let names: Vec<String> = cases().into_iter().map(|(n, _)| n).collect();
    for entry in std::fs::read_dir(cases_dir()).expect("tests/spec_errors exists") {
        let path = entry.expect("readable directory entry").path();
        if path.extension().is_some_and(|e| e == "stderr") {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            assert!(
                names.iter().any(|n| n == stem),
                "{} has no case directory",
                path.display()
            );
        }
    }
}

/// Every code of the catalog is produced by at least one case (the output is the one the
/// `.stderr` snapshots pin down; computed afresh so that blessing needs a single run).
#[test]
fn every_code_has_a_case() {
    let snapshots: Vec<String> = cases().iter().map(|(_, dir)| run(dir).text()).collect();
    let mut missing = Vec::new();
    for code in Code::ALL {
        let needle = match code.severity() {
            Severity::Error => format!("error[{}]: ", code.as_str()),
            Severity::Warning => format!(" [{}]\n", code.as_str()),
        };
        if !snapshots.iter().any(|s| s.contains(&needle)) {
            missing.push(code.as_str());
        }
    }
    assert!(missing.is_empty(), "codes without a case: {missing:?}");
}

/// The diagnostics catalog of `codegen/README.md` has a section per code of the catalog, each
/// quoting at least one case's output (``From `codegen/tests/spec_errors/<case>.stderr`:``
/// then a `text` block), and every quote is that case's current output (computed afresh, so
/// that blessing needs a single run).
#[test]
fn the_catalog_documents_every_code_and_quotes_current_outputs() {
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let text = std::fs::read_to_string(&readme).expect("codegen/README.md");
    const MARKER: &str = "From `codegen/tests/spec_errors/";
    const OPEN: &str = ".stderr`:\n\n```text\n";
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    let mut quoted = BTreeSet::new();
    while let Some(i) = rest.find(MARKER) {
        let after = &rest[i + MARKER.len()..];
        let end = after
            .find(OPEN)
            .unwrap_or_else(|| panic!("a quote is ``From `...<case>.stderr`:`` then a text block"));
        let case = after[..end].to_owned();
        let dir = cases_dir().join(&case);
        assert!(
            dir.is_dir(),
            "the catalog quotes `{case}`, which is not a case"
        );
        let block = i + MARKER.len() + end + OPEN.len();
        let len = rest[block..]
            .find("```\n")
            .expect("the quote's closing fence");
        out.push_str(&rest[..block]);
        out.push_str(&run(&dir).text());
        rest = &rest[block + len..];
        quoted.insert(case);
    }
    out.push_str(rest);
    let mut missing = Vec::new();
    for code in Code::ALL {
        let section = format!("\n### {}: ", code.as_str());
        let quotes = quoted.iter().any(|c| expected_code(c) == Some(*code));
        if !text.contains(&section) || !quotes {
            missing.push(code.as_str());
        }
    }
    assert!(
        missing.is_empty(),
        "codes without a catalog section in codegen/README.md quoting one of their cases: {missing:?}"
    );
    assert_blessed(&readme, &out);
}

/// The `--> path:line:col` locations of a rendered failure, in output order.
fn locations(rendered: &str) -> Vec<(String, u32, u32)> {
    rendered
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> "))
        .map(|loc| {
            let mut parts = loc.rsplitn(3, ':');
            let col = parts.next().and_then(|c| c.parse().ok()).expect("column");
            let line = parts.next().and_then(|c| c.parse().ok()).expect("line");
            let path = parts.next().expect("path").to_owned();
            (path, line, col)
        })
        .collect()
}

/// A tree with many problems reports all of them in one run, sorted by file, line and column:
/// files that do not load (every shape problem of each, where the parse allows) do not stop the
/// others from being resolved and checked, and a file whose only load problems are unknown
/// keys is checked further.
#[test]
fn many_problems_are_reported_at_once_and_sorted() {
    let dir = cases_dir().join(MANY);
    let Outcome::Failed(f) = run(&dir) else {
        panic!("many-problems must fail");
    };
    let mut codes: Vec<&str> = f.diagnostics.iter().map(|d| d.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    for want in [
        "S0002", "S0003", "S0104", "S0201", "S0202", "S0301", "S0302", "S0303", "W0401",
    ] {
        assert!(codes.contains(&want), "{want} missing from {codes:?}");
    }
    // The code and primary file of each rendered diagnostic, in output order.
    let rendered: Vec<(String, String)> = f
        .rendered
        .split("\n\n")
        .filter_map(|block| {
            let head = block.lines().next()?;
            let code = head
                .strip_prefix("error[")
                .or_else(|| head.strip_prefix("warning["))?
                .split(']')
                .next()?;
            Some((code.to_owned(), locations(block).first()?.0.clone()))
        })
        .collect();
    assert_eq!(rendered.len(), f.diagnostics.len());
    let by_file = |file: &str| -> Vec<&str> {
        rendered
            .iter()
            .filter(|(_, path)| *path == format!("specs/demo/disk/{file}"))
            .map(|(code, _)| code.as_str())
            .collect()
    };
    // Two shape problems in one file that does not load (not trustworthy past them) ...
    assert_eq!(by_file("ListBackups.yaml"), ["S0002", "S0002"]);
    // ... two unknown keys in another, which is then checked (W0401, S0201) ...
    assert_eq!(
        by_file("RestoreBackup.yaml"),
        ["S0002", "W0401", "S0002", "S0201"]
    );
    // ... and the resolution problems of the files that loaded.
    assert!(by_file("CreateBackup.yaml").len() >= 6, "{}", f.rendered);
    assert_eq!(by_file("DeleteBackup.yaml"), ["S0104"]);
    // Primary locations (the first `-->` after each `error[...]`/`warning[...]` header).
    let mut primaries: Vec<(String, u32, u32)> = Vec::new();
    let mut want_primary = false;
    for line in f.rendered.lines() {
        if line.starts_with("error[") || line.starts_with("warning[") {
            want_primary = true;
        } else if want_primary && let Some(loc) = locations(line).pop() {
            primaries.push(loc);
            want_primary = false;
        }
    }
    assert_eq!(primaries.len(), f.diagnostics.len());
    let mut sorted = primaries.clone();
    sorted.sort();
    assert_eq!(
        primaries, sorted,
        "diagnostics are not sorted:\n{}",
        f.rendered
    );
    // Shared files are checked once per action, but each problem is reported once.
    for (i, d) in f.diagnostics.iter().enumerate() {
        assert!(
            !f.diagnostics[..i].contains(d),
            "reported twice: {}",
            d.message
        );
    }
    let errors = f
        .diagnostics
        .iter()
        .filter(|d| d.code.severity() == Severity::Error)
        .count();
    assert!(
        f.rendered
            .ends_with(&format!("error: the specs have {errors} errors; see codegen/README.md for every diagnostic code\n")),
        "summary line missing:\n{}",
        f.rendered
    );
    assert_blessed(&cases_dir().join(format!("{MANY}.stderr")), &f.rendered);
}

/// The seed specs generate without errors or warnings, and every service has its Cargo
/// feature in the crate's manifest: the cases' problems are deliberate.
#[test]
fn seed_specs_are_clean() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut settings = settings(&repo.join("specs"));
    settings.cargo_features =
        Some(CargoFeatures::read(&repo.join("Cargo.toml"), "Cargo.toml").expect("Cargo.toml"));
    match generate(&settings) {
        Ok(g) => assert!(g.warnings.is_empty(), "warnings: {:?}", g.warnings),
        Err(f) => panic!("{}", f.rendered),
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

/// A large service directory is parsed on several threads: every file's problem is still
/// reported once, in file order, and the valid files next to them are unaffected.
#[test]
fn a_large_directory_reports_every_broken_file_once_in_order() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("large-directory");
    let _ = std::fs::remove_dir_all(&dir);
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs"),
        &dir,
    );
    let cbs = dir.join("tencent/cbs");
    let broken: Vec<String> = (0..150).map(|i| format!("Broken{i:03}")).collect();
    for name in &broken {
        std::fs::write(cbs.join(format!("{name}.yaml")), "action: [unclosed\n").unwrap();
    }
    let Outcome::Failed(f) = run(&dir) else {
        panic!("broken files must fail the run");
    };
    assert!(
        f.diagnostics.iter().all(|d| d.code.as_str() == "S0002"),
        "each broken file has the one shape error:\n{}",
        f.rendered
    );
    let files: Vec<String> = locations(&f.rendered)
        .into_iter()
        .map(|(path, ..)| path)
        .collect();
    let want: Vec<String> = broken
        .iter()
        .map(|name| format!("specs/tencent/cbs/{name}.yaml"))
        .collect();
    assert_eq!(files, want);
}

/// A shared file that does not load is reported once (no "has no valid `_service.yaml`" on top
/// of its own problem), and does not hide the problems of the other files: the services of a
/// provider whose `_provider.yaml` is broken, and the other services of the provider.
#[test]
fn a_broken_shared_file_does_not_hide_the_other_files() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("broken-shared-files");
    let _ = std::fs::remove_dir_all(&dir);
    let write = |rel: &str, text: &str| {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let action = "action: CreateBackup\nsummary: Creates a backup.\nsource: { url: \"https://example.com/x\", read: \"2026-01-01\" }\nhttp: { method: POST, path: / }\nrequest:\n  - { name: Name, type: string, length: { min: 9, max: 1 }, doc: A name. }\n";
    // Provider `a`: its `_provider.yaml` does not load; its service has an S0201.
    write("a/_provider.yaml", "provider: a\nname: [unclosed\n");
    write(
        "a/disk/_service.yaml",
        "service: disk\ntitle: Disk\nfamily: tencent-tc3\n",
    );
    write("a/disk/CreateBackup.yaml", action);
    // Provider `b`: one service's `_service.yaml` has a value of the wrong shape; the other
    // service has an S0201.
    write("b/_provider.yaml", "provider: b\nname: B\n");
    write(
        "b/disk/_service.yaml",
        "service: disk\ntitle: [Disk]\nfamily: tencent-tc3\n",
    );
    write("b/disk/CreateBackup.yaml", action);
    write(
        "b/tape/_service.yaml",
        "service: tape\ntitle: Tape\nfamily: tencent-tc3\n",
    );
    write("b/tape/CreateBackup.yaml", action);
    let Outcome::Failed(f) = run(&dir) else {
        panic!("broken files must fail the run");
    };
    let found: Vec<(String, &str)> = locations(&f.rendered)
        .into_iter()
        .map(|(path, ..)| path)
        .zip(f.diagnostics.iter().map(|d| d.code.as_str()))
        .collect();
    let want = [
        ("specs/a/_provider.yaml", "S0002"),
        ("specs/a/disk/CreateBackup.yaml", "S0201"),
        ("specs/b/disk/_service.yaml", "S0002"),
        ("specs/b/tape/CreateBackup.yaml", "S0201"),
    ];
    let want: Vec<(String, &str)> = want.iter().map(|(p, c)| ((*p).to_owned(), *c)).collect();
    assert_eq!(found, want, "{}", f.rendered);
}
