//! `drift`: the fixture spec tree `tests/fixtures/drift/specs/` against the vendor metadata
//! fixtures `tests/fixtures/vendor/` (tccli's `api.json` cut to five CBS actions, and what
//! `codegen/src/vendor/sdk_models.py` prints for the DBS SDK's `CreateBackupPlan` and
//! `DescribeFullBackupList`).
//!
//! The tree has one of each finding (missing field, extra field, type, required, nesting,
//! stale marker), in action fields and in shared types of `types:` (enumerations by their base
//! type, objects member by member, nested), timestamps of each format against tccli's
//! `datetime`/`datetime_iso`/`date` and the SDK's epoch integers, comma lists, and marked
//! divergences that are listed, not failed. The last tests run the
//! same check against the real pinned packages in `target/pyenv` (`scripts/setup-python.sh`)
//! and prove that the fixtures say what the packages say.
#![cfg(feature = "vendor")]

use std::path::{Path, PathBuf};
use std::process::Command;

use cloudbackup_codegen::drift::{self, Report, Source, compare::What};
use cloudbackup_codegen::vendor::sdk::Python;

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn tree() -> PathBuf {
    manifest().join("tests/fixtures/drift/specs")
}

fn vendor() -> PathBuf {
    manifest().join("tests/fixtures/vendor")
}

fn python() -> Python {
    let exe = manifest().join("../target/pyenv/bin/python");
    assert!(
        exe.exists(),
        "the vendor venv {} is missing: run scripts/setup-python.sh first",
        exe.display()
    );
    Python::new(exe)
}

fn run(source: &Source) -> Report {
    drift::run(&tree(), "specs", source).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn fixture_findings_match_the_committed_report() {
    let report = run(&Source::Dir(vendor()));
    expectorate::assert_contents(
        manifest().join("tests/fixtures/drift/expected.txt"),
        &report.render(),
    );
    assert!(!report.passed());
    let unexplained: Vec<(What, &str)> = report
        .findings
        .iter()
        .filter(|f| f.finding.reason.is_none())
        .map(|f| (f.finding.what, f.finding.place.as_str()))
        .collect();
    for want in [
        (What::Missing, "request.DiskBackupName"),
        (What::Missing, "response.DiskBackupSet.Encrypt"),
        (What::Missing, "request.StorageType"),
        (What::Absent, "request.Comment"),
        (What::Type, "request.Limit"),
        (What::Required, "request.DiskId"),
        (What::Nesting, "request.DiskBackupIds"),
        (What::Stale, "response.DiskBackupSet.DiskSize"),
        (What::Stale, "request.NoSuchField"),
        // Timestamps: format against format, epoch formats against integers.
        (What::Type, "request.EndTimestamp"),
        (What::Type, "types.Snapshot.LatestModifyTime"),
        // Comma lists are one string on the wire.
        (What::Nesting, "request.SnapshotIds"),
        // Shared types, resolved through `types:`, nested, found once per side.
        (What::Required, "types.Tag.Value"),
        (What::Required, "types.Placement.CageId"),
        (What::Missing, "types.Placement.ProjectName"),
        (What::Type, "types.Snapshot.DiskUsage"),
        (What::Stale, "types.Snapshot.DiskSize"),
        (What::Stale, "types.Placement.NoSuchMember"),
    ] {
        assert!(
            unexplained.contains(&want),
            "{want:?} not in {unexplained:?}"
        );
    }
    assert_eq!(unexplained.len(), 18, "{unexplained:?}");
    let explained: Vec<(What, &str)> = report
        .findings
        .iter()
        .filter(|f| f.finding.reason.is_some())
        .map(|f| (f.finding.what, f.finding.place.as_str()))
        .collect();
    for want in [
        (What::Required, "request.Region"),
        (What::Type, "response.OrderId"),
        (What::Type, "response.DiskBackupSet.CreateTime"),
        (What::Missing, "request.OwnerId"),
        (What::Missing, "response.Success"),
        (What::Absent, "action"),
        (What::Missing, "response.HttpStatusCode"),
        (What::Type, "request.DiskUsage"),
        (What::Type, "types.Snapshot.DeadlineTime"),
        (What::Type, "types.FullBackupFile.SourceEndpointPort"),
        (What::Missing, "types.Placement.CdcName"),
        (What::Missing, "types.FullBackupFile.ErrMessage"),
    ] {
        assert!(explained.contains(&want), "{want:?} not in {explained:?}");
    }
    // What matches raises nothing: comma lists against vendor strings, epoch timestamps
    // against integers, tccli's `datetime`/`datetime_iso`/`date` against the same formats,
    // shared enumerations by their base type, the shared `Filter` and `Image` member by member.
    for quiet in [
        "types.FullBackupFile.BackupObjects",
        "types.FullBackupFile.CreateTime",
        "types.FullBackupFile.FinishTime",
        "request.StartTimestamp",
        "request.Deadline",
        "types.Snapshot.CreateTime",
        "types.Snapshot.TimeStartShare",
        "types.Snapshot.SnapshotState",
        "request.BackupSetStatus",
        "request.Filters",
        "types.Filter.Name",
        "types.Filter.Values",
        "types.Image.ImageId",
    ] {
        assert!(
            report.findings.iter().all(|f| f.finding.place != quiet),
            "{quiet} should match"
        );
    }
    // A shared object is compared once per vendor object and side, whatever uses it.
    let tag_value = report
        .findings
        .iter()
        .filter(|f| f.finding.place == "types.Tag.Value")
        .count();
    assert_eq!(tag_value, 1);
    let shared: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.finding.place.starts_with("types."))
        .map(|f| f.file.as_str())
        .collect();
    assert!(
        shared.iter().all(|f| f.ends_with("/_service.yaml")),
        "{shared:?}"
    );
    let unchecked: Vec<&str> = report.unchecked.iter().map(|u| u.0.as_str()).collect();
    assert_eq!(
        unchecked,
        ["specs/huawei/koophone/", "specs/tencent/redis/"]
    );
}

/// Every finding names the spec file and the line of the field (or of `action:`).
#[test]
fn findings_point_at_the_spec_line() {
    let report = run(&Source::Dir(vendor()));
    for f in &report.findings {
        let path = tree().join(f.file.trim_start_matches("specs/"));
        let text = std::fs::read_to_string(&path).unwrap();
        let line = text
            .lines()
            .nth(usize::try_from(f.finding.line).unwrap() - 1)
            .unwrap();
        let leaf = f.finding.place.rsplit('.').next().unwrap();
        let points_at_field = line.contains(&format!("name: {leaf}"))
            || line.contains(&format!("{leaf},"))
            || line.contains(&format!("{leaf} }}"));
        // A missing member of a shared type points at the type (`types.<Type>.<member>`).
        let shared_type = f
            .finding
            .place
            .strip_prefix("types.")
            .and_then(|p| p.split('.').next());
        let points_at_container = line.starts_with("action:")
            || line.contains("name: DiskBackupSet")
            || shared_type.is_some_and(|t| line.contains(&format!("name: {t}")));
        let points_at_omission = line.contains(&format!("field: {leaf}"));
        let points_at_marker = f.finding.what == What::Stale && line.contains("drift:");
        assert!(
            points_at_field || points_at_container || points_at_marker || points_at_omission,
            "{}:{} `{line}` for {}",
            f.file,
            f.finding.line,
            f.finding.place
        );
    }
}

#[test]
fn the_command_fails_on_unexplained_differences_only() {
    let cli = |specs: &Path| {
        Command::new(env!("CARGO_BIN_EXE_cloudbackup-codegen"))
            .arg("drift")
            .arg(specs)
            .arg("--vendor")
            .arg(vendor())
            .output()
            .unwrap()
    };
    let failing = cli(&tree());
    assert_eq!(failing.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&failing.stdout);
    assert!(
        stdout.contains("CreateDiskBackup.yaml:8: request.Comment: absent from the vendor"),
        "{stdout}"
    );

    // Only the explained parts of the tree: the check passes and still lists them.
    let dir = std::env::temp_dir().join(format!("cb-drift-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for rel in [
        "tencent/_provider.yaml",
        "tencent/cbs/_service.yaml",
        "tencent/cbs/DescribeNothing.yaml",
        "tencent/redis/_service.yaml",
    ] {
        let to = dir.join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(tree().join(rel), to).unwrap();
    }
    let passing = cli(&dir);
    let stdout = String::from_utf8_lossy(&passing.stdout);
    assert!(passing.status.success(), "{stdout}");
    assert!(stdout.contains("explained: "), "{stdout}");
    assert!(
        stdout.contains("drift: 0 unexplained difference(s), 1 explained"),
        "{stdout}"
    );
}

/// The Alibaba fixture is exactly what the introspection script prints for the pinned SDK.
#[test]
fn the_alibaba_fixture_is_what_the_pinned_sdk_says() {
    let py = python();
    let out = Command::new(&py.exe)
        .arg(manifest().join("src/vendor/sdk_models.py"))
        .args([
            "alibaba",
            "alibabacloud_dbs20190306",
            "CreateBackupPlan",
            "DescribeFullBackupList",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    expectorate::assert_contents(
        vendor().join("alibaba/alibabacloud_dbs20190306.json"),
        &String::from_utf8(out.stdout).unwrap(),
    );
    let meta = py.alibaba("alibabacloud_dbs20190306", &[]).unwrap();
    assert!(
        meta.actions.len() > 20,
        "every action of the SDK: {}",
        meta.actions.len()
    );
    let request = &meta.objects[&meta.actions["CreateBackupPlan"].request];
    assert_eq!(request.fields.len(), 15);
}

/// With the real pinned packages (full tccli `api.json`, the live SDK) the fixture tree gives
/// the same report as with the cut fixtures.
#[test]
fn the_real_packages_give_the_fixture_report() {
    let py = python();
    let tccli = py.find("tccli").unwrap().expect("tccli is installed");
    assert_eq!(tccli.version.as_deref(), Some("3.1.175.1"));
    let real = run(&Source::Python(py)).render();
    let fixture = run(&Source::Dir(vendor())).render();
    assert_eq!(real, fixture);
}
