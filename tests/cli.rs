//! The `cloudbackup` binary: listing, help, `--dry-run` signing that matches the runtime's signer
//! byte for byte, exit codes, one-line errors, and no secret in any output.
#![cfg(feature = "cli")]

use std::process::{Command, Output};

use cloudbackup::Operation;
use cloudbackup::runtime::credentials::TencentCredentials;
use cloudbackup::runtime::request::{Endpoint, OperationContext};
use cloudbackup::runtime::tc3::{Tc3KeyCache, Tc3Options, sign_tc3};
use cloudbackup::tencent::cbs::CreateDiskBackupInput;

const ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA";
const KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3Cozk1qA";
const TOKEN: &str = "session-token-never-printed";

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cloudbackup"));
    cmd.args(args);
    for var in [
        "TENCENTCLOUD_SECRET_ID",
        "TENCENTCLOUD_SECRET_KEY",
        "TENCENTCLOUD_SESSION_TOKEN",
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "HUAWEICLOUD_SDK_AK",
        "HUAWEICLOUD_SDK_SK",
        "HUAWEICLOUD_IAM_TOKEN",
    ] {
        cmd.env_remove(var);
    }
    // No profile files either: point HOME at an empty directory.
    let home = std::env::temp_dir().join("cloudbackup-cli-test-home");
    std::fs::create_dir_all(&home).unwrap();
    cmd.env("HOME", &home);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the binary runs")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

const TENCENT: &[(&str, &str)] = &[
    ("TENCENTCLOUD_SECRET_ID", ID),
    ("TENCENTCLOUD_SECRET_KEY", KEY),
    ("TENCENTCLOUD_SESSION_TOKEN", TOKEN),
];

#[test]
fn list_names_every_action() {
    let o = run(&["list"], &[]);
    assert!(o.status.success());
    let (out, _) = text(&o);
    for a in cloudbackup::registry::all() {
        assert!(out.contains(a.action.name), "{out}");
    }
    let o = run(&["list", "--output", "json"], &[]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v.as_array().unwrap().len(),
        cloudbackup::registry::all().len()
    );
}

#[test]
fn action_help_comes_from_the_spec() {
    let o = run(
        &["call", "alibaba", "dbs", "CreateBackupPlan", "--help"],
        &[],
    );
    assert!(o.status.success());
    let (out, _) = text(&o);
    assert!(out.contains("UsedTime"), "{out}");
    assert!(out.contains("enum: Year|Month"), "{out}");
    assert!(out.contains("The subscription duration"), "{out}");
}

#[test]
fn dry_run_prints_the_exact_signed_request_reproducibly() {
    let args = [
        "call",
        "tencent",
        "cbs",
        "CreateDiskBackup",
        "--region",
        "ap-guangzhou",
        "--param",
        "DiskId=disk-1",
        "--dry-run",
        "--timestamp",
        "1700000000",
        "--nonce",
        "42",
    ];
    let a = run(&args, TENCENT);
    let b = run(&args, TENCENT);
    assert!(a.status.success(), "{:?}", text(&a));
    assert_eq!(a.stdout, b.stdout, "same inputs, same bytes");
    let (out, err) = text(&a);

    // The same request signed by the runtime directly.
    let wire = CreateDiskBackupInput::new("disk-1").to_wire(&mut String::new);
    let ctx = OperationContext {
        endpoint: Endpoint::https("cbs.ap-guangzhou.tencentcloudapi.com"),
        action: "CreateDiskBackup".into(),
        version: Some("2017-03-12".into()),
        region: Some("ap-guangzhou".into()),
        service: "cbs".into(),
    };
    let creds = TencentCredentials::new(ID, KEY).with_token(TOKEN);
    let signed = sign_tc3(
        &ctx,
        &wire,
        &creds,
        1_700_000_000,
        &Tc3Options::default(),
        &Tc3KeyCache::default(),
    )
    .unwrap();
    let auth = signed
        .request
        .headers
        .iter()
        .find(|(k, _)| k == "Authorization")
        .unwrap();
    assert!(out.contains(&format!("Authorization: {}", auth.1)), "{out}");
    assert!(
        out.starts_with("POST https://cbs.ap-guangzhou.tencentcloudapi.com/\n"),
        "{out}"
    );
    assert!(out.contains("{\"DiskId\":\"disk-1\"}"), "{out}");
    assert!(out.contains("X-TC-Token: ***"), "{out}");
    for secret in [KEY, TOKEN] {
        assert!(
            !out.contains(secret) && !err.contains(secret),
            "secret printed"
        );
    }
}

#[test]
fn api2_dry_run_flattens_arrays_and_hides_the_token() {
    let o = run(
        &[
            "call",
            "tencent",
            "sqlserver",
            "CreateBackup",
            "--param",
            "resourceId=mssql-1",
            "--param",
            "strategy=1",
            "--param",
            "dbList=a",
            "--param",
            "dbList=b",
            "--dry-run",
            "--output",
            "json",
            "--timestamp",
            "1700000000",
            "--nonce",
            "7",
        ],
        TENCENT,
    );
    assert!(o.status.success(), "{:?}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let url = v["url"].as_str().unwrap();
    assert!(url.contains("dbList.0=a&dbList.1=b"), "{url}");
    assert!(url.contains("Token=***"), "{url}");
    assert!(!String::from_utf8_lossy(&o.stdout).contains(TOKEN));
}

#[test]
fn exit_codes_and_one_line_errors() {
    // Unknown parameter: 2, and the valid ones are listed.
    let o = run(
        &[
            "call",
            "tencent",
            "cbs",
            "CreateDiskBackup",
            "--param",
            "Disk=1",
        ],
        TENCENT,
    );
    assert_eq!(o.status.code(), Some(2));
    let (_, err) = text(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("DiskId, DiskBackupName"), "{err}");
    // Invalid value: 2, before credentials are even looked at.
    let long = format!("DiskBackupName={}", "x".repeat(101));
    let o = run(
        &[
            "call",
            "tencent",
            "cbs",
            "CreateDiskBackup",
            "--param",
            "DiskId=d",
            "--param",
            &long,
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o)
            .1
            .contains("`DiskBackupName`: length must be at most 100")
    );
    // Wrong type: 2.
    let o = run(
        &[
            "call",
            "alibaba",
            "dbs",
            "CreateBackupPlan",
            "--param",
            "UsedTime=ten",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    // Missing credentials: 3, naming the variables looked at.
    let o = run(
        &[
            "call",
            "tencent",
            "cbs",
            "CreateDiskBackup",
            "--region",
            "ap-guangzhou",
            "--param",
            "DiskId=d",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(text(&o).1.contains("TENCENTCLOUD_SECRET_ID"));
    // Unknown region for a service without a fallback host: 3.
    let o = run(
        &[
            "call",
            "alibaba",
            "dbs",
            "CreateBackupPlan",
            "--region",
            "mars-1",
            "--dry-run",
            "--param",
            "Region=cn-hangzhou",
            "--param",
            "DatabaseType=MySQL",
            "--param",
            "InstanceClass=small",
            "--param",
            "BackupMethod=logical",
            "--param",
            "Period=Year",
            "--param",
            "UsedTime=1",
        ],
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "id"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s3cr3t-value"),
        ],
    );
    assert_eq!(o.status.code(), Some(3), "{:?}", text(&o));
    assert!(!text(&o).1.contains("s3cr3t-value"));
    // Unknown command or action: 2.
    assert_eq!(run(&["frobnicate"], &[]).status.code(), Some(2));
    assert_eq!(
        run(&["call", "tencent", "cbs", "Nope"], &[]).status.code(),
        Some(2)
    );
}

/// Starts `cloudbackup emulator --listen 127.0.0.1:0` and returns it with its base URL and its
/// stdout (kept open for the child's lifetime).
fn spawn_emulator() -> (
    std::process::Child,
    String,
    std::io::BufReader<std::process::ChildStdout>,
) {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_cloudbackup"))
        .args(["emulator", "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("emulator starts");
    let mut first = String::new();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    stdout.read_line(&mut first).unwrap();
    let url = first.trim().rsplit(' ').next().unwrap().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{first}");
    (child, url, stdout)
}

const EMULATOR_TENCENT: &[(&str, &str)] = &[
    (
        "TENCENTCLOUD_SECRET_ID",
        cloudbackup::emulator::config::DEFAULT_TENCENT_SECRET_ID,
    ),
    (
        "TENCENTCLOUD_SECRET_KEY",
        cloudbackup::emulator::config::DEFAULT_TENCENT_SECRET_KEY,
    ),
];

#[test]
fn calls_reach_the_emulator_process_and_print_typed_results() {
    let (mut emu, url, _stdout) = spawn_emulator();
    let ok = run(
        &[
            "call",
            "tencent",
            "cbs",
            "CreateDiskBackup",
            "--endpoint",
            &url,
            "--region",
            "ap-guangzhou",
            "--param",
            "DiskId=disk-1",
            "--output",
            "json",
        ],
        EMULATOR_TENCENT,
    );
    let described = run(
        &[
            "call",
            "tencent",
            "cbs",
            "DescribeDiskBackups",
            "--endpoint",
            &url,
            "--region",
            "ap-guangzhou",
            "--param",
            "DiskBackupIds=dbp-1",
            "--param",
            "Limit=5",
            "--output",
            "json",
        ],
        EMULATOR_TENCENT,
    );
    let rejected = run(
        &[
            "call",
            "tencent",
            "cbs",
            "CreateDiskBackup",
            "--endpoint",
            &url,
            "--region",
            "ap-guangzhou",
            "--param",
            "DiskId=disk-1",
        ],
        &[
            (
                "TENCENTCLOUD_SECRET_ID",
                cloudbackup::emulator::config::DEFAULT_TENCENT_SECRET_ID,
            ),
            ("TENCENTCLOUD_SECRET_KEY", "wrong-secret-value"),
        ],
    );
    let both = run(
        &[
            "call",
            "tencent",
            "cbs",
            "DescribeDiskBackups",
            "--endpoint",
            &url,
            "--region",
            "ap-guangzhou",
            "--param",
            "DiskBackupIds=dbp-1",
            "--json",
            r#"Filters=[{"Name":"disk-id","Values":["d"]}]"#,
        ],
        EMULATOR_TENCENT,
    );
    emu.kill().ok();
    emu.wait().ok();

    assert!(ok.status.success(), "{:?}", text(&ok));
    let v: serde_json::Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert!(
        v["DiskBackupId"].as_str().unwrap().starts_with("dbp-"),
        "{v}"
    );

    assert!(described.status.success(), "{:?}", text(&described));
    let v: serde_json::Value = serde_json::from_slice(&described.stdout).unwrap();
    assert!(v.get("TotalCount").is_some(), "{v}");

    assert_eq!(rejected.status.code(), Some(4), "{:?}", text(&rejected));
    let (_, err) = text(&rejected);
    assert!(err.contains("AuthFailure.SignatureFailure"), "{err}");
    assert!(!err.contains("wrong-secret-value"));

    // The cross-field rule of the new action, enforced before sending.
    assert_eq!(both.status.code(), Some(2), "{:?}", text(&both));
    assert!(
        text(&both)
            .1
            .contains("`Filters`: must not be set when `DiskBackupIds` is set")
    );
}

/// The demo's output split into its sections (`== N. title ==` up to the next), by title.
fn demo_sections(out: &str) -> Vec<(String, String)> {
    out.split("\n== ")
        .skip(1)
        .map(|s| {
            let (title, body) = s.split_once(" ==\n").unwrap_or((s, ""));
            (title.to_owned(), body.to_owned())
        })
        .collect()
}

#[test]
fn demo_walks_a_backup_lifecycle_per_service_and_the_failures() {
    let o = run(&["demo"], &[]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    let sections = demo_sections(&out);
    // Per service: its title, then what its lifecycle printed, in order: the start, every
    // waiter reaching its success state (after polls shown one by one), the paginator's pages,
    // and the restore or delete.
    let lifecycles: &[(&str, &[&str])] = &[
        (
            "1. Tencent CBS",
            &[
                "CreateDiskBackup of disk-demo0001",
                "created backup point dbp-",
                "poll 1 at ",
                " s: CREATING",
                "waiter DiskBackupNormal: reached `NORMAL`",
                "page 1: dbp-",
                "page 2: dbp-",
                "listed 3 in 2 pages",
                "ApplyDiskBackup",
                "is now Rollbacking",
                "DeleteDiskBackups",
                "listed now: dbp-",
            ],
        ),
        (
            "2. Tencent SQL Server, legacy API 2.0",
            &[
                "request: GET /v2/index.php?resourceId=mssql-demo0001",
                "started flow 1",
                "poll 1 at ",
                " s: 2",
                "waiter BackupFlowFinished: reached `0`",
                "page 1: backup_",
                "page 2: backup_",
                "listed 3 in 2 pages",
            ],
        ),
        (
            "3. Tencent SQL Server, API 3.0",
            &[
                "started flow 1",
                "waiter BackupFlowFinished: reached `0`",
                "page 1: #1 Succeeded",
                "listed 3 in 2 pages",
                "RestoreInstance mssql-demo0001 from backup #1",
                "waiter RestoreFlowFinished: reached `0`",
                "RemoveBackups manual_mssql-demo0001_3.bak.tar",
                "listed now: manual_mssql-demo0001_1.bak.tar, manual_mssql-demo0001_2.bak.tar\n",
            ],
        ),
        (
            "4. Tencent Redis, legacy API 2.0",
            &[
                "started task 1",
                "poll 1 at ",
                "waiter BackupTaskSucceeded: reached `2`",
            ],
        ),
        (
            "5. Tencent Redis, API 3.0",
            &[
                "started task 1",
                "poll 1 at ",
                "waiter BackupTaskSucceeded: reached `succeed`",
                "listed 3 in 2 pages",
                "RestoreInstance crs-demo0001 from ",
                "waiter RestoreTaskSucceeded: reached `succeed`",
            ],
        ),
        (
            "6. Alibaba DBS",
            &[
                "bought plan dbs",
                "ConfigureBackupPlan",
                "started; full backup set ",
                "poll 1 at ",
                " s: check_pass",
                "waiter BackupPlanRunning: reached `running`",
                "listed 3 in 1 page\n",
                "CreateRestoreTask from ",
                "waiter RestoreTaskFinished: reached `finish`",
            ],
        ),
        (
            "7. Huawei KooPhone",
            &[
                "error_code 0, task ",
                "job job-",
                "poll 1 at ",
                " s: 1",
                "waiter BackupJobFinished: reached `2`",
                "Succeeded",
            ],
        ),
        (
            "8. Failures, each typed",
            &[
                "Error::Validation",
                "requests the emulator received for it: 0",
                "ManualBackupInstanceError::InstanceNotExists",
                "CreateDiskBackupError::Common(Tc3CommonError::AuthFailureSignatureFailure)",
                "plans created: 1",
            ],
        ),
    ];
    for (title, wants) in lifecycles {
        let (_, body) = sections
            .iter()
            .find(|(t, _)| t.starts_with(title))
            .unwrap_or_else(|| panic!("no section {title:?} in:\n{out}"));
        let mut rest = body.as_str();
        for want in *wants {
            let at = rest
                .find(want)
                .unwrap_or_else(|| panic!("{title}: missing {want:?} (in order) in:\n{body}"));
            rest = &rest[at + want.len()..];
        }
    }
    // Ten waits, each reporting its polls through the progress callback, each successful.
    assert_eq!(out.matches("   poll 1 at ").count(), 10, "{out}");
    assert_eq!(out.matches(": reached `").count(), 10, "{out}");
    assert!(out.contains("demo finished"), "{out}");
    for secret in [
        cloudbackup::emulator::config::DEFAULT_TENCENT_SECRET_KEY,
        cloudbackup::emulator::config::DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
        cloudbackup::emulator::config::DEFAULT_HUAWEI_TOKEN,
    ] {
        assert!(
            !out.contains(secret) && !err.contains(secret),
            "secret printed"
        );
    }
}
