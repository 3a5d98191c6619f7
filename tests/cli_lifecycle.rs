//! The command line through a lifecycle against the emulator: `call --all-pages` (and
//! `--max-items`) collects every page of a paged action, and `wait` polls a waiter to its
//! success state, to a failure state and to its timeout, with the documented exit codes; and
//! `--profile` takes credentials and region from each vendor's own profile files. The
//! emulator runs in this process on the real clock; its transitions are shortened to seconds.
#![cfg(feature = "cli")]

use std::process::{Command, Output};

use cloudbackup::emulator::config::{
    DEFAULT_ALIBABA_ACCESS_KEY_ID, DEFAULT_ALIBABA_ACCESS_KEY_SECRET, DEFAULT_HUAWEI_ACCESS_KEY,
    DEFAULT_HUAWEI_SECRET_KEY, DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY,
};
use cloudbackup::emulator::{Emulator, EmulatorConfig, EmulatorHandle, TransitionOverride};
use serde_json::Value;

mod cli_support;

fn cli(emu: &EmulatorHandle, args: &[&str]) -> Output {
    let home = std::env::temp_dir().join("cloudbackup-cli-lifecycle-home");
    std::fs::create_dir_all(&home).unwrap();
    Command::new(env!("CARGO_BIN_EXE_cloudbackup"))
        .args(args)
        .args(["--endpoint", &emu.base_url(), "--region", "ap-guangzhou"])
        .env("HOME", &home)
        .env("TENCENTCLOUD_SECRET_ID", DEFAULT_TENCENT_SECRET_ID)
        .env("TENCENTCLOUD_SECRET_KEY", DEFAULT_TENCENT_SECRET_KEY)
        .env_remove("TENCENTCLOUD_SESSION_TOKEN")
        .env_remove("CLOUDBACKUP_ENDPOINT")
        .output()
        .expect("the binary runs")
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

/// Creates a backup of `disk` and returns its id.
fn create(emu: &EmulatorHandle, disk: &str) -> String {
    let o = cli(
        emu,
        &[
            "call",
            "tencent",
            "cbs",
            "CreateDiskBackup",
            "--param",
            &format!("DiskId={disk}"),
            "--output",
            "json",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    json(&o)["DiskBackupId"]
        .as_str()
        .expect("the new backup's id")
        .to_owned()
}

fn transition(emu: &EmulatorHandle, to: Option<&str>, after: u32) {
    emu.set_transition(TransitionOverride {
        resource: "tencent/cbs/DiskBackup".into(),
        from: "CREATING".into(),
        to: to.map(Value::from),
        after,
    })
    .unwrap();
}

#[test]
fn all_pages_collects_every_page_and_max_items_stops_early() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let ids: Vec<String> = (0..5).map(|i| create(&emu, &format!("disk-{i}"))).collect();
    let list = |extra: &[&str]| {
        let mut args = vec![
            "call",
            "tencent",
            "cbs",
            "DescribeDiskBackups",
            "--param",
            "Limit=2",
            "--output",
            "json",
        ];
        args.extend_from_slice(extra);
        cli(&emu, &args)
    };
    // One call: the first page only.
    let one = json(&list(&[]));
    assert_eq!(one["DiskBackupSet"].as_array().unwrap().len(), 2);
    assert_eq!(one["TotalCount"], 5);
    // Every page: three requests, five items.
    let before = emu.state().calls["tencent/cbs/DescribeDiskBackups"].received;
    let all = json(&list(&["--all-pages"]));
    let mut got: Vec<String> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["DiskBackupId"].as_str().unwrap().to_owned())
        .collect();
    got.sort();
    let mut want = ids.clone();
    want.sort();
    assert_eq!(got, want);
    assert_eq!(
        emu.state().calls["tencent/cbs/DescribeDiskBackups"].received - before,
        3
    );
    let three = json(&list(&["--all-pages", "--max-items", "3"]));
    assert_eq!(three.as_array().unwrap().len(), 3);
    // Not on an action that does not page, and not with --dry-run.
    let o = cli(
        &emu,
        &[
            "call",
            "tencent",
            "cbs",
            "CreateDiskBackup",
            "--param",
            "DiskId=d",
            "--all-pages",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let o = list(&["--all-pages", "--dry-run"]);
    assert_eq!(o.status.code(), Some(2));
    emu.shutdown();
}

#[test]
fn wait_ends_in_success_failure_or_timeout_with_its_exit_code() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let wait = |id: &str, extra: &[&str]| {
        let mut args = vec!["wait", "tencent", "cbs", "DiskBackupNormal", "--param"];
        let param = format!("DiskBackupIds={id}");
        args.push(&param);
        args.extend_from_slice(&["--interval", "1", "--output", "json"]);
        args.extend_from_slice(extra);
        cli(&emu, &args)
    };

    // CREATING for 2 s, then NORMAL: success, exit 0, the last output shown.
    transition(&emu, None, 2);
    let id = create(&emu, "disk-ok");
    let o = wait(&id, &["--progress"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v = json(&o);
    assert_eq!(v["result"], "succeeded");
    assert_eq!(v["state"], "NORMAL");
    assert!(v["attempts"].as_u64().unwrap() >= 2, "{v}");
    assert_eq!(v["output"]["DiskBackupSet"][0]["DiskBackupId"], id.as_str());
    // --progress: one line per poll on stderr.
    let progress = String::from_utf8_lossy(&o.stderr);
    assert!(
        progress.contains("DiskBackupNormal: poll 1 after 0 s: CREATING"),
        "{progress}"
    );

    // A Redis backup task whose `running` ends in `failed` (CBS backups have no failure
    // state): failure, exit 6.
    for (from, after) in [("preparing", 0), ("running", 1)] {
        emu.set_transition(TransitionOverride {
            resource: "tencent/redis_v3/Task".into(),
            from: from.into(),
            to: (from == "running").then(|| Value::from("failed")),
            after,
        })
        .unwrap();
    }
    let o = cli(
        &emu,
        &[
            "call",
            "tencent",
            "redis_v3",
            "ManualBackupInstance",
            "--param",
            "InstanceId=crs-1",
            "--output",
            "json",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let task = json(&o)["TaskId"].to_string();
    let o = cli(
        &emu,
        &[
            "wait",
            "tencent",
            "redis_v3",
            "BackupTaskSucceeded",
            "--param",
            &format!("TaskId={task}"),
            "--interval",
            "1",
            "--output",
            "json",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(6),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(json(&o)["result"], "failed");
    assert_eq!(json(&o)["state"], "failed");

    // CREATING for an hour: timeout after 2 s, exit 7.
    transition(&emu, None, 3600);
    let id = create(&emu, "disk-slow");
    let o = wait(&id, &["--timeout", "2"]);
    assert_eq!(
        o.status.code(),
        Some(7),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v = json(&o);
    assert_eq!(v["result"], "timed_out");
    assert_eq!(v["state"], "CREATING");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("timed out"), "{err}");

    // Bad input is refused before anything is sent.
    let o = cli(
        &emu,
        &[
            "wait",
            "tencent",
            "cbs",
            "DiskBackupNormal",
            "--param",
            "Nope=1",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    emu.shutdown();
}

/// One provider's profile files in a temporary HOME, a call that needs its credentials, the
/// environment it is run with, and where its live resource should be.
struct ProfileCase {
    name: &'static str,
    files: Vec<(&'static str, String)>,
    call: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
    /// `provider/service/Kind` of the resource the call creates.
    kind: &'static str,
    /// How the region shows: the live resource's region (Tencent and Huawei send it), or the
    /// endpoint host of a dry run (Alibaba's region is only in the host, which `--endpoint`
    /// replaces).
    region: Region,
}

enum Region {
    Live(&'static str),
    DryRunHost(&'static str),
    /// KooPhone's requests carry no region and its endpoint is given explicitly; the region
    /// variable is checked by the library test `credentials_lookup`.
    NotSent,
}

#[test]
fn profiles_give_credentials_and_region_for_every_provider() {
    let cases = [
        // A TCCLI profile `backup`: keys in `.credential`, region in `.configure`.
        ProfileCase {
            name: "tencent",
            files: vec![
                (
                    ".tccli/backup.credential",
                    serde_json::json!({
                        "secretId": DEFAULT_TENCENT_SECRET_ID,
                        "secretKey": DEFAULT_TENCENT_SECRET_KEY,
                    })
                    .to_string(),
                ),
                (
                    ".tccli/backup.configure",
                    r#"{"_sys_param": {"region": "ap-shanghai", "output": "json"}}"#.to_owned(),
                ),
            ],
            call: &[
                "tencent",
                "cbs",
                "CreateDiskBackup",
                "--param",
                "DiskId=disk-p",
            ],
            env: &[],
            kind: "tencent/cbs/DiskBackup",
            region: Region::Live("ap-shanghai"),
        },
        // An aliyun CLI profile `backup` (not the current one) with keys and region.
        ProfileCase {
            name: "alibaba",
            files: vec![(
                ".aliyun/config.json",
                serde_json::json!({
                    "current": "other",
                    "profiles": [
                        {"name": "other", "mode": "AK", "access_key_id": "LTAIother",
                         "access_key_secret": "other-secret", "region_id": "cn-beijing"},
                        {"name": "backup", "mode": "AK",
                         "access_key_id": DEFAULT_ALIBABA_ACCESS_KEY_ID,
                         "access_key_secret": DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
                         "region_id": "ap-southeast-1"},
                    ],
                })
                .to_string(),
            )],
            call: &[
                "alibaba",
                "dbs",
                "CreateBackupPlan",
                "--param",
                "Region=ap-southeast-1",
                "--param",
                "DatabaseType=MySQL",
                "--param",
                "InstanceClass=micro",
                "--param",
                "BackupMethod=logical",
                "--param",
                "Period=Month",
                "--param",
                "UsedTime=1",
            ],
            env: &[],
            kind: "alibaba/dbs/BackupPlan",
            region: Region::DryRunHost("dbs-api.ap-southeast-1.aliyuncs.com"),
        },
        // The Huawei SDK's credentials file (section `[basic]`; Huawei's files hold no
        // region).
        ProfileCase {
            name: "huawei",
            files: vec![(
                ".huaweicloud/credentials",
                format!(
                    "[basic]\nak = {DEFAULT_HUAWEI_ACCESS_KEY}\nsk = {DEFAULT_HUAWEI_SECRET_KEY}\n"
                ),
            )],
            call: &[
                "huawei",
                "koophone",
                "BatchBackupInstances",
                "--param",
                "instance_ids=phone-1",
            ],
            env: &[],
            kind: "huawei/koophone/Job",
            region: Region::NotSent,
        },
    ];
    for case in &cases {
        let emu = Emulator::start(EmulatorConfig::default()).unwrap();
        let home = std::env::temp_dir().join(format!(
            "cloudbackup-cli-profile-{}-{}",
            case.name,
            std::process::id()
        ));
        for (path, text) in &case.files {
            let path = home.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let home_text = home.to_str().unwrap();
        let url = emu.base_url();
        let run = |extra: &[&str]| {
            let mut args = vec!["call"];
            args.extend_from_slice(case.call);
            args.extend_from_slice(&["--output", "json"]);
            args.extend_from_slice(extra);
            let mut env = vec![("HOME", home_text)];
            env.extend_from_slice(case.env);
            cli_support::command(&args, &env)
                .output()
                .expect("the binary runs")
        };
        let o = run(&["--endpoint", &url, "--profile", "backup"]);
        assert!(
            o.status.success(),
            "{}: {}",
            case.name,
            String::from_utf8_lossy(&o.stderr)
        );
        let state = emu.state();
        let live = state.live.get(case.kind).unwrap_or_else(|| {
            panic!("{}: no {} in {:?}", case.name, case.kind, state.live.keys())
        });
        assert_eq!(live.len(), 1, "{}", case.name);
        match case.region {
            Region::Live(region) => assert_eq!(live[0].region, region, "{}", case.name),
            Region::DryRunHost(host) => {
                let o = run(&["--profile", "backup", "--dry-run"]);
                let out = String::from_utf8_lossy(&o.stdout);
                assert!(o.status.success(), "{}: {out}", case.name);
                assert!(
                    out.lines().next().is_some_and(|l| l.contains(host)),
                    "{}: {out}",
                    case.name
                );
            }
            Region::NotSent => {}
        }
        if case.name != "huawei" {
            // Without the named profile the keys are missing (Tencent: no default profile)
            // or wrong (Alibaba: the current profile's): exit 3 or a refused signature.
            let o = run(&["--endpoint", &url]);
            assert!(
                matches!(o.status.code(), Some(3 | 4)),
                "{}: {:?} {}",
                case.name,
                o.status.code(),
                String::from_utf8_lossy(&o.stderr)
            );
        }
        let _ = std::fs::remove_dir_all(&home);
        emu.shutdown();
    }
}
