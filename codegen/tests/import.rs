//! `import tencent`: spec YAML from the tccli metadata fixture (five CBS actions cut from
//! tccli 3.1.175.1 by `tests/fixtures/vendor/cut_tccli.py`).
//!
//! The generator cannot compile the new spec format yet (timestamps, shared `types:`), so the
//! output is checked at the YAML level: committed expected files (bless a deliberate change
//! with `EXPECTORATE=overwrite cargo test -p cloudbackup-codegen --test import`), a parse
//! back that compares names, types, required flags and docs with the metadata, and the full
//! generator check for an imported action that uses only constructs it knows today.
#![cfg(feature = "vendor")]

use std::path::{Path, PathBuf};

use cloudbackup_codegen::import::{self, Options, Outcome, html::to_markdown};
use cloudbackup_codegen::vendor::{Kind, tccli};
use cloudbackup_codegen::{Settings, check, diagnostics::Severity};
use serde_json::Value;

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn api_json() -> PathBuf {
    manifest().join("tests/fixtures/vendor/tccli/services/cbs/v20170312/api.json")
}

/// A fresh, empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cb-import-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn options(out: &Path, actions: &[&str]) -> Options {
    Options {
        api_json: api_json(),
        service: "cbs".to_owned(),
        actions: actions.iter().map(|a| (*a).to_owned()).collect(),
        out: out.to_path_buf(),
        force: false,
        skip_existing: false,
        read: "2026-12-04".to_owned(),
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn yaml(path: &Path) -> Value {
    serde_saphyr::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn imported_specs_match_the_committed_files() {
    let out = scratch("snapshot");
    let report = import::tencent(&options(&out, &[])).unwrap();
    assert!(!report.needs_force());
    let dir = out.join("tencent/cbs");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let meta = tccli::read(&api_json()).unwrap().metadata;
    let mut want: Vec<String> = meta.actions.keys().map(|a| format!("{a}.yaml")).collect();
    want.push("_service.yaml".to_owned());
    want.sort();
    assert_eq!(names, want);
    for name in &names {
        expectorate::assert_contents(
            manifest()
                .join("tests/fixtures/vendor/expected/tencent/cbs")
                .join(name),
            &read(&dir.join(name)),
        );
    }
    let rendered = report.render().replace(&out.display().to_string(), "specs");
    expectorate::assert_contents(
        manifest().join("tests/fixtures/vendor/expected/import-report.txt"),
        &rendered,
    );
}

/// The YAML reads back as what the metadata says, field by field.
#[test]
fn imported_yaml_reads_back_as_the_metadata() {
    let out = scratch("readback");
    import::tencent(&options(&out, &[])).unwrap();
    let svc = tccli::read(&api_json()).unwrap();
    let meta = &svc.metadata;
    let service = yaml(&out.join("tencent/cbs/_service.yaml"));
    for (name, action) in &meta.actions {
        let spec = yaml(&out.join(format!("tencent/cbs/{name}.yaml")));
        assert_eq!(spec["action"], name.as_str());
        assert_eq!(spec["summary"], action.title.as_str());
        assert_eq!(
            spec["source"]["url"],
            "https://github.com/TencentCloud/tencentcloud-cli/blob/3.1.175.1/tccli/services/cbs/v20170312/api.json"
        );
        assert_eq!(spec["source"]["read"], "2026-12-04");
        for (side, object) in [("request", &action.request), ("response", &action.response)] {
            let fields = spec[side].as_array().cloned().unwrap_or_default();
            let members: Vec<_> = meta.objects[object.as_str()]
                .fields
                .iter()
                .filter(|m| !m.disabled)
                .collect();
            assert_eq!(fields.len(), members.len(), "{name} {side}");
            for (f, m) in fields.iter().zip(members) {
                assert_eq!(f["name"], m.name.as_str());
                let doc = f["doc"].as_str().unwrap_or_default();
                assert_eq!(doc, to_markdown(&m.doc), "{name}.{}", m.name);
                let required = side == "request" && m.required;
                assert_eq!(f["required"].as_bool().unwrap_or(false), required);
                check_type(f, &m.kind, side, &service);
            }
        }
        let examples = spec["examples"].as_array().cloned().unwrap_or_default();
        assert_eq!(examples.len(), action.examples.len());
        for (e, m) in examples.iter().zip(&action.examples) {
            assert_eq!(e["request"], m.request.as_str());
            assert_eq!(e["response"], m.response.as_str());
        }
    }
}

fn check_type(f: &Value, kind: &Kind, side: &str, service: &Value) {
    let ty = f["type"].as_str().unwrap();
    match kind {
        Kind::String => assert_eq!(ty, "string"),
        Kind::Integer { unsigned, .. } => {
            assert_eq!(ty, "int64");
            let min = f["range"]["min"].as_i64();
            assert_eq!(min, (*unsigned && side == "request").then_some(0), "{f}");
        }
        Kind::Float => assert_eq!(ty, "float64"),
        Kind::Bool => assert_eq!(ty, "bool"),
        Kind::Timestamp { format } => {
            assert_eq!(ty, "timestamp");
            assert_eq!(f["format"], format.as_str());
        }
        Kind::Array { items } => {
            assert_eq!(ty, "array");
            check_type(&f["items"], items, side, service);
        }
        Kind::Object { name } => {
            assert_eq!(ty, name.as_str());
            let types = service["types"].as_array().unwrap();
            assert!(
                types.iter().any(|t| t["name"] == name.as_str()),
                "{name} not in types:"
            );
        }
        Kind::Binary | Kind::Map => assert_eq!(ty, "string"),
    }
}

/// An imported action that uses only what the generator knows today passes its full check.
#[test]
fn an_imported_action_passes_the_generator_check() {
    let out = scratch("check");
    import::tencent(&options(&out, &["CreateDiskBackup"])).unwrap();
    let service = read(&out.join("tencent/cbs/_service.yaml"));
    assert!(
        !service.contains("types:"),
        "CreateDiskBackup uses no shared type"
    );
    std::fs::copy(
        manifest().join("../specs/tencent/_provider.yaml"),
        out.join("tencent/_provider.yaml"),
    )
    .unwrap();
    let (model, _, diags, sources) = check(&Settings::new(&out)).unwrap();
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.code.severity() == Severity::Error)
        .collect();
    assert!(
        errors.is_empty() && model.is_some(),
        "{}",
        cloudbackup_codegen::diagnostics::render_all(&diags, &sources)
    );
}

#[test]
fn hand_edits_are_shown_and_kept_without_force() {
    let out = scratch("force");
    let mut opts = options(&out, &["DescribeDiskBackups"]);
    import::tencent(&opts).unwrap();
    let path = out.join("tencent/cbs/DescribeDiskBackups.yaml");
    let imported = read(&path);
    let edited = imported.replacen(
        "summary: 查询备份点列表",
        "summary: Lists backup points.",
        1,
    );
    assert_ne!(edited, imported);
    std::fs::write(&path, &edited).unwrap();

    let again = import::tencent(&opts).unwrap();
    assert!(again.needs_force());
    let file = &again.files[0];
    assert_eq!(file.outcome, Outcome::Differs);
    assert_eq!(read(&path), edited, "the hand edit is kept");
    assert!(
        file.diff.contains("-summary: Lists backup points."),
        "{}",
        file.diff
    );
    assert!(
        file.diff.contains("+summary: 查询备份点列表"),
        "{}",
        file.diff
    );
    assert!(again.render().contains("rerun with --force"));

    opts.force = true;
    let forced = import::tencent(&opts).unwrap();
    assert_eq!(forced.files[0].outcome, Outcome::Overwritten);
    assert_eq!(read(&path), imported);
    let unchanged = import::tencent(&opts).unwrap();
    assert!(
        unchanged
            .files
            .iter()
            .all(|f| f.outcome == Outcome::Unchanged)
    );
}

#[test]
fn shared_types_are_added_and_hand_written_ones_kept() {
    let out = scratch("types");
    let dir = out.join("tencent/cbs");
    std::fs::create_dir_all(&dir).unwrap();
    let hand = "service: cbs\ntitle: Hand written\nfamily: tencent-tc3\nversion: \"2017-03-12\"\ntypes:\n  - name: Filter\n    type: object\n    doc: Hand-written filter.\n    fields:\n      - { name: Name, type: string, required: true, doc: The name. }\nendpoints:\n  global: cbs.tencentcloudapi.com\n";
    std::fs::write(dir.join("_service.yaml"), hand).unwrap();
    let report = import::tencent(&options(&out, &["DescribeDiskBackups"])).unwrap();
    let service = report.files.last().unwrap();
    assert_eq!(service.outcome, Outcome::Extended);
    let text = read(&dir.join("_service.yaml"));
    assert!(
        text.starts_with(hand.split("endpoints:").next().unwrap()),
        "{text}"
    );
    assert!(
        text.ends_with("endpoints:\n  global: cbs.tencentcloudapi.com\n"),
        "{text}"
    );
    assert!(text.contains("  - name: DiskBackup\n"), "{text}");
    assert_eq!(text.matches("- name: Filter").count(), 1, "{text}");
    assert!(
        report
            .render()
            .contains("shared type `Filter` is already in _service.yaml")
    );

    let mut other = options(&out, &["CreateDiskBackup"]);
    other.service = "cbs".to_owned();
    std::fs::write(
        dir.join("_service.yaml"),
        text.replace("2017-03-12", "2020-01-01"),
    )
    .unwrap();
    let err = import::tencent(&other).unwrap_err();
    assert!(
        err.contains("`version: 2020-01-01`, but the metadata is version 2017-03-12"),
        "{err}"
    );
}

#[test]
fn the_command_line_needs_force_for_a_changed_file() {
    let out = scratch("cli");
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_cloudbackup-codegen"))
            .args(["import", "tencent"])
            .arg(api_json())
            .args([
                "--service",
                "cbs",
                "--action",
                "CreateDiskBackup",
                "--read",
                "2026-12-04",
            ])
            .arg("--out")
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    assert!(run(&[]).status.success());
    let path = out.join("tencent/cbs/CreateDiskBackup.yaml");
    std::fs::write(
        &path,
        read(&path).replace("创建云硬盘备份点", "Creates a backup point."),
    )
    .unwrap();
    let refused = run(&[]);
    assert_eq!(refused.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&refused.stdout);
    assert!(stdout.contains("+summary: 创建云硬盘备份点"), "{stdout}");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    assert!(run(&["--force"]).status.success());
    assert!(read(&path).contains("summary: 创建云硬盘备份点"));
}

/// Names a service already uses: an existing shared type that fits the vendor's object is
/// reused, one that does not (an enumeration), and a type an action declares inline, make
/// the import take `<Service><Name>`; the tree then passes the generator's check, and a
/// second import reuses what the first wrote.
#[test]
fn taken_type_names_are_reused_when_they_fit_and_renamed_when_not() {
    let out = scratch("names");
    let dir = out.join("tencent/cbs");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        manifest().join("../specs/tencent/_provider.yaml"),
        out.join("tencent/_provider.yaml"),
    )
    .unwrap();
    let service = "service: cbs\ntitle: Hand written\nfamily: tencent-tc3\nversion: \"2017-03-12\"\ntypes:\n  - name: Filter\n    type: object\n    doc: Hand-written filter (fits the vendor's).\n    fields:\n      - { name: Name, type: string, required: true, doc: The name. }\n      - { name: Values, type: array, required: true, count: { min: 1 }, items: { type: string }, doc: The values. }\n  - name: Placement\n    type: string\n    doc: An enumeration that happens to be called like the vendor's object.\n    enum: [here, there]\n";
    std::fs::write(dir.join("_service.yaml"), service).unwrap();
    let hand = "action: ApplyDiskBackup\nsummary: Hand written.\nsource: { url: \"https://example.com/a\", read: \"2026-12-04\" }\nhttp: { method: POST, path: / }\nrequest:\n  - name: Labels\n    type: array\n    doc: Labels.\n    items:\n      type: object\n      type_name: Tag\n      doc: An inline type called like the vendor's `Tag`.\n      fields:\n        - { name: Key, type: string, doc: The key. }\nresponse:\n  - { name: RequestId, type: string, doc: The request. }\n";
    std::fs::write(dir.join("ApplyDiskBackup.yaml"), hand).unwrap();

    let opts = options(&out, &["DescribeSnapshots", "CreateSnapshot"]);
    let report = import::tencent(&opts).unwrap();
    let rendered = report.render();
    assert!(
        rendered.contains("shared type `Filter` is already in _service.yaml"),
        "{rendered}"
    );
    assert!(
        rendered.contains("the vendor's `Placement` is imported as `CbsPlacement`"),
        "{rendered}"
    );
    assert!(
        rendered.contains("the vendor's `Tag` is imported as `CbsTag`"),
        "{rendered}"
    );
    let text = read(&dir.join("_service.yaml"));
    assert!(text.starts_with(service), "{text}");
    for name in ["CbsPlacement", "CbsTag", "Snapshot", "Image"] {
        assert!(
            text.contains(&format!("  - name: {name}\n")),
            "{name}: {text}"
        );
    }
    assert!(text.contains("type: CbsPlacement"), "{text}");
    let create = read(&dir.join("CreateSnapshot.yaml"));
    assert!(create.contains("items: { type: CbsTag }"), "{create}");
    let describe = read(&dir.join("DescribeSnapshots.yaml"));
    assert!(describe.contains("items: { type: Filter }"), "{describe}");

    let (model, _, diags, sources) = check(&Settings::new(&out)).unwrap();
    assert!(
        model.is_some() && diags.iter().all(|d| d.code.severity() != Severity::Error),
        "{}",
        cloudbackup_codegen::diagnostics::render_all(&diags, &sources)
    );

    let again = import::tencent(&opts).unwrap();
    assert!(
        again.files.iter().all(|f| f.outcome == Outcome::Unchanged),
        "{}",
        again.render()
    );
    assert!(
        again
            .render()
            .contains("shared type `CbsPlacement` is already in _service.yaml: kept as it is for the vendor's `Placement`"),
        "{}",
        again.render()
    );
}
