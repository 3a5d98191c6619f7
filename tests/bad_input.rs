//! Malformed input at every entry point — empty, huge (1 MB), unicode, wrong type, out of
//! range — gives a clear, bounded error naming the parameter, and nothing is sent: the
//! library's typed inputs (`validate()` through a client), `from_wire`/`check_wire`, client
//! `Config` endpoint and region, the CLI's `--param`, the emulator's admin endpoint and its
//! config file parser. The emulator is asked afterwards what it received.

#![cfg(feature = "cli")]

use std::process::Command;
use std::sync::Arc;

use cloudbackup::alibaba::dbs::create_backup_plan::{
    BackupMethod, CreateBackupPlanInput, DatabaseType, InstanceClass, Period, Region,
};
use cloudbackup::client::parse_endpoint;
use cloudbackup::emulator::config::{
    DEFAULT_ALIBABA_ACCESS_KEY_ID, DEFAULT_ALIBABA_ACCESS_KEY_SECRET, DEFAULT_TENCENT_SECRET_ID,
    DEFAULT_TENCENT_SECRET_KEY,
};
use cloudbackup::emulator::{Emulator, EmulatorConfig, EmulatorHandle};
use cloudbackup::runtime::{AlibabaCredentials, SequenceNonce, TencentCredentials, WireRequest};
use cloudbackup::{Config, Error, Operation, alibaba, huawei, registry, tencent};
use serde_json::Value;

/// A clear error is a short one: the bad value is not echoed in full.
const MAX_MESSAGE: usize = 1024;

fn huge() -> String {
    "x".repeat(1 << 20)
}

/// Bad string values for any field.
fn bad_strings() -> Vec<String> {
    vec![
        String::new(),
        huge(),
        "未命名\u{0}\u{202e}🙂".to_owned(),
        "-1".to_owned(),
        "99999999999999999999999".to_owned(),
        "not-a-number".to_owned(),
        "[".to_owned(),
    ]
}

/// Bad JSON values for any body field.
fn bad_json() -> Vec<Value> {
    let mut v: Vec<Value> = bad_strings().into_iter().map(Value::String).collect();
    v.extend([
        Value::Null,
        Value::Bool(true),
        serde_json::json!(-1),
        serde_json::json!(1e300),
        serde_json::json!(u64::MAX),
        serde_json::json!([]),
        serde_json::json!([1, {"a": 2}]),
        serde_json::json!({}),
    ]);
    v
}

#[track_caller]
fn assert_clear(message: &str, names: &[&str]) {
    assert!(
        names.iter().any(|n| message.contains(n)),
        "error does not name any of {names:?}: {message:.300}"
    );
    assert!(
        message.len() <= MAX_MESSAGE,
        "error of {} bytes: {message:.300}",
        message.len()
    );
}

/// The base name of a flattened or nested wire name (`dbList.0` → `dbList`).
fn base(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
}

/// Every parameter, header and top-level body field of a valid request, replaced by each bad
/// value: `check_wire` never panics, and a refusal names the field.
fn check_every_field(entry: &registry::ActionEntry, valid: &WireRequest) {
    assert!((entry.check_wire)(valid).is_ok(), "{}", entry.path());
    let mut checked = 0;
    for i in 0..valid.params.len() {
        for bad in bad_strings() {
            let mut w = valid.clone();
            w.params[i].1 = bad;
            let name = valid.params[i].0.clone();
            if let Err(e) = (entry.check_wire)(&w) {
                assert_clear(&e.to_string(), &[base(&name)]);
                checked += 1;
            }
        }
    }
    for i in 0..valid.headers.len() {
        for bad in bad_strings() {
            let mut w = valid.clone();
            w.headers[i].1 = bad;
            let _ = (entry.check_wire)(&w);
        }
    }
    if let Some(body) = &valid.body {
        let Value::Object(obj) = serde_json::from_slice::<Value>(body).unwrap() else {
            panic!("body is an object")
        };
        for key in obj.keys() {
            for bad in bad_json() {
                let mut o = obj.clone();
                o.insert(key.clone(), bad);
                let mut w = valid.clone();
                w.body = Some(serde_json::to_vec(&o).unwrap());
                if let Err(e) = (entry.check_wire)(&w) {
                    assert_clear(&e.to_string(), &[key]);
                    checked += 1;
                }
            }
        }
        // Not JSON, not an object, a huge body.
        for raw in [
            b"".to_vec(),
            b"[1]".to_vec(),
            b"{".to_vec(),
            huge().into_bytes(),
        ] {
            let mut w = valid.clone();
            w.body = Some(raw);
            let _ = (entry.check_wire)(&w);
        }
    }
    // (Some actions take only free text: nothing to refuse there.)
    let free_text = ["tencent/redis/ManualBackupInstance"];
    assert!(
        checked > 0 || free_text.contains(&entry.path().as_str()),
        "{}: no bad value refused",
        entry.path()
    );
}

fn wire_of<O: Operation>(input: &O) -> WireRequest {
    input.to_wire(&mut || "fresh-id".to_owned())
}

fn find(path: &str) -> &'static registry::ActionEntry {
    let mut it = path.split('/');
    let (p, s, a) = (it.next().unwrap(), it.next().unwrap(), it.next().unwrap());
    registry::find(p, s, a).unwrap()
}

fn plan(used_time: i32) -> CreateBackupPlanInput {
    CreateBackupPlanInput::new(
        Region::CnHangzhou,
        DatabaseType::MySql,
        InstanceClass::Small,
        BackupMethod::Logical,
        Period::Year,
        used_time,
    )
}

#[test]
fn from_wire_and_check_wire_name_the_bad_field_of_every_action() {
    let mut sql = tencent::sqlserver::CreateBackupInput::new("mssql-1")
        .strategy(tencent::sqlserver::create_backup::BackupStrategy::MultiDatabase)
        .db_list(["a", "b"]);
    sql.fill_idempotency_token(&mut || "t".into());
    check_every_field(find("tencent/sqlserver/CreateBackup"), &wire_of(&sql));
    check_every_field(
        find("tencent/redis/ManualBackupInstance"),
        &wire_of(&tencent::redis::ManualBackupInstanceInput::new("crs-1")),
    );
    check_every_field(
        find("tencent/cbs/CreateDiskBackup"),
        &wire_of(&tencent::cbs::CreateDiskBackupInput::new("disk-1").disk_backup_name("n")),
    );
    check_every_field(
        find("tencent/cbs/DescribeDiskBackups"),
        &wire_of(
            &tencent::cbs::DescribeDiskBackupsInput::new()
                .disk_backup_ids(["dbp-1"])
                .limit(5)
                .offset(0),
        ),
    );
    let mut p = plan(1);
    p.fill_idempotency_token(&mut || "token-1".into());
    check_every_field(find("alibaba/dbs/CreateBackupPlan"), &wire_of(&p));
    check_every_field(
        find("huawei/koophone/BatchBackupInstances"),
        &wire_of(&huawei::koophone::BatchBackupInstancesInput::new(["i-1"])),
    );
}

fn emulator() -> EmulatorHandle {
    Emulator::start(EmulatorConfig::default()).unwrap()
}

fn config(emu: &EmulatorHandle, region: &str) -> Config {
    Config::new()
        .endpoint(emu.base_url())
        .region(region)
        .nonce_source(Arc::new(SequenceNonce::new(11)))
}

#[tokio::test]
async fn invalid_typed_inputs_are_refused_before_sending() {
    let emu = emulator();
    let cbs = tencent::cbs::Client::new(config(&emu, "ap-guangzhou").credentials(
        TencentCredentials::new(DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY),
    ))
    .unwrap();
    let name_cases = [huge(), "名".repeat(101), "x".repeat(101)];
    for name in name_cases {
        let e = cbs
            .create_disk_backup(
                tencent::cbs::CreateDiskBackupInput::new("d").disk_backup_name(name),
            )
            .await
            .unwrap_err();
        assert!(matches!(e, Error::Validation(_)), "{e:?}");
        assert_clear(&e.to_string(), &["DiskBackupName"]);
    }
    for limit in [-1, 101, i64::MIN, i64::MAX] {
        let e = cbs
            .describe_disk_backups(tencent::cbs::DescribeDiskBackupsInput::new().limit(limit))
            .await
            .unwrap_err();
        assert!(matches!(e, Error::Validation(_)), "{limit}: {e:?}");
        assert_clear(&e.to_string(), &["Limit"]);
    }
    let dbs = alibaba::dbs::Client::new(config(&emu, "cn-hangzhou").credentials(
        AlibabaCredentials::new(
            DEFAULT_ALIBABA_ACCESS_KEY_ID,
            DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
        ),
    ))
    .unwrap();
    for used in [0, -1, 10, i32::MIN, i32::MAX] {
        let e = dbs.create_backup_plan(plan(used)).await.unwrap_err();
        assert!(matches!(e, Error::Validation(_)), "{used}: {e:?}");
        assert_clear(&e.to_string(), &["UsedTime"]);
    }
    let kp = huawei::koophone::Client::new(
        config(&emu, "ap-southeast-1")
            .credentials(cloudbackup::runtime::HuaweiCredentials::token("t")),
    )
    .unwrap();
    let e = cbs
        .create_disk_backup(tencent::cbs::CreateDiskBackupInput::new(""))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Validation(_)), "{e:?}");
    assert_clear(&e.to_string(), &["DiskId"]);
    let many: Vec<String> = (0..10_000).map(|i| format!("i-{i}")).collect();
    for ids in [
        many,
        vec![],
        vec![String::new()],
        vec![huge()],
        vec!["名".repeat(33)],
    ] {
        let e = kp
            .batch_backup_instances(huawei::koophone::BatchBackupInstancesInput::new(ids))
            .await
            .unwrap_err();
        assert!(matches!(e, Error::Validation(_)), "{e:?}");
        assert_clear(&e.to_string(), &["instance_ids"]);
    }
    let st = emu.state();
    assert!(st.calls.is_empty(), "the emulator received {:?}", st.calls);
}

#[test]
fn bad_endpoints_and_regions_name_themselves() {
    for ep in [
        String::new(),
        "ftp://host".into(),
        "http://".into(),
        "http://host/path".into(),
        "http://user@host".into(),
        "http://host:notaport".into(),
        "http://host:99999".into(),
        "http://[::1".into(),
        format!("http://{}", huge()),
        "http://bad host".into(),
    ] {
        let e = parse_endpoint(&ep).unwrap_err();
        assert_clear(&e.to_string(), &["endpoint"]);
        let e = tencent::cbs::Client::new(
            Config::new()
                .endpoint(ep.clone())
                .credentials(TencentCredentials::new("id", "key")),
        )
        .unwrap_err();
        assert_clear(&e.to_string(), &["endpoint"]);
    }
    // (An unlisted but well-formed region is fine for CBS: its spec sends those to the
    // international endpoint.)
    for region in [
        String::new(),
        huge(),
        "区域".into(),
        "ap guangzhou".into(),
        "AP-GUANGZHOU".into(),
        "ap-guangzhou\n".into(),
    ] {
        let e = tencent::cbs::Client::new(
            Config::new()
                .region(region.clone())
                .credentials(TencentCredentials::new("id", "key")),
        )
        .unwrap_err();
        assert_clear(&e.to_string(), &["region"]);
    }
}

fn cli(args: &[&str]) -> (Option<i32>, String) {
    let home = std::env::temp_dir().join("cloudbackup-bad-input-home");
    std::fs::create_dir_all(&home).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_cloudbackup"))
        .args(args)
        .env("HOME", &home)
        .env("TENCENTCLOUD_SECRET_ID", DEFAULT_TENCENT_SECRET_ID)
        .env("TENCENTCLOUD_SECRET_KEY", DEFAULT_TENCENT_SECRET_KEY)
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", DEFAULT_ALIBABA_ACCESS_KEY_ID)
        .env(
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
            DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
        )
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn cli_params_that_are_malformed_are_refused_and_nothing_is_sent() {
    let emu = emulator();
    let url = emu.base_url();
    // A single argument is at most 128 KiB on Linux: the "huge" value is 100 KB here.
    let big = "y".repeat(100_000);
    let cbs = |param: &str| -> Vec<String> {
        let mut a: Vec<String> = [
            "call",
            "tencent",
            "cbs",
            "CreateDiskBackup",
            "--endpoint",
            &url,
            "--region",
            "ap-guangzhou",
            "--param",
            param,
        ]
        .map(str::to_owned)
        .to_vec();
        if !param.starts_with("DiskBackupName=x") {
            a.extend(["--param".to_owned(), "DiskId=disk-1".to_owned()]);
        }
        a
    };
    let describe = |param: &str| -> Vec<String> {
        [
            "call",
            "tencent",
            "cbs",
            "DescribeDiskBackups",
            "--endpoint",
            &url,
            "--region",
            "ap-guangzhou",
            "--param",
            param,
        ]
        .map(str::to_owned)
        .to_vec()
    };
    // `--param` items are text: JSON (arrays, objects) goes through `--json`.
    let describe_json = |param: &str| -> Vec<String> {
        let mut a = describe(param);
        let n = a.len();
        a[n - 2] = "--json".to_owned();
        a
    };
    let dbs = |used: &str| -> Vec<String> {
        let mut a: Vec<String> = [
            "call",
            "alibaba",
            "dbs",
            "CreateBackupPlan",
            "--endpoint",
            &url,
            "--region",
            "cn-hangzhou",
        ]
        .map(str::to_owned)
        .to_vec();
        for p in [
            "Region=cn-hangzhou",
            "DatabaseType=MySQL",
            "InstanceClass=small",
            "BackupMethod=logical",
            "Period=Year",
        ] {
            a.push("--param".into());
            a.push(p.into());
        }
        a.push("--param".into());
        a.push(format!("UsedTime={used}"));
        a
    };
    let cases: Vec<(Vec<String>, &str)> = vec![
        (cbs("DiskBackupName=x"), "DiskId"),
        (cbs(&format!("DiskBackupName={big}")), "DiskBackupName"),
        (
            cbs(&format!("DiskBackupName={}", "名".repeat(101))),
            "DiskBackupName",
        ),
        (cbs("NoSuchParam=1"), "NoSuchParam"),
        (cbs("=value"), "is not a parameter"),
        (cbs("DiskId"), "--param"),
        (describe("Limit=abc"), "Limit"),
        (describe("Limit=-1"), "Limit"),
        (describe("Limit=99999999999999999999999"), "Limit"),
        (describe("Limit=1.5"), "Limit"),
        (describe_json("DiskBackupIds=[1,2"), "DiskBackupIds"),
        (describe_json("DiskBackupIds={}"), "DiskBackupIds"),
        (describe("Filters={}"), "Filters"),
        (describe_json("Filters={}"), "Filters"),
        (describe_json("Filters=[1"), "Filters"),
        (dbs("10"), "UsedTime"),
        (dbs("ten"), "UsedTime"),
        (dbs("🙂"), "UsedTime"),
        (dbs(""), "UsedTime"),
    ];
    for (args, name) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, err) = cli(&args);
        assert_eq!(code, Some(2), "{name}: {err:.300}");
        assert_clear(&err, &[name]);
    }
    let st = emu.state();
    assert!(st.calls.is_empty(), "the emulator received {:?}", st.calls);
}

#[tokio::test]
async fn the_admin_endpoint_and_the_config_parser_name_the_bad_member() {
    let emu = emulator();
    let url = format!("{}/_emulator/faults", emu.base_url());
    let http = reqwest::Client::new();
    let cases: Vec<(String, &str)> =
        vec![
        (String::new(), "body"),
        ("[".into(), "body"),
        ("42".into(), "body"),
        (r#"{"action": "CreateDiskBackup", "kind": "latency"}"#.into(), "millis"),
        (r#"{"action": "CreateDiskBackup", "kind": "bogus"}"#.into(), "bogus"),
        (r#"{"action": "CreateDiskBackup"}"#.into(), "kind"),
        (r#"{"action": "Nope", "kind": "drop_before_apply"}"#.into(), "Nope"),
        (r#"{"action": 7, "kind": "drop_before_apply"}"#.into(), "fault"),
        (
            r#"{"action": "CreateDiskBackup", "kind": "http5xx", "status": 200}"#.into(),
            "200",
        ),
        (
            r#"{"action": "CreateDiskBackup", "kind": "latency", "millis": -5}"#.into(),
            "fault",
        ),
        (
            r#"{"action": "CreateDiskBackup", "count": 99999999999, "kind": "drop_before_apply"}"#
                .into(),
            "fault",
        ),
        (
            r#"[{"action": "CreateDiskBackup", "kind": "drop_before_apply"}, {"kind": "latency"}]"#
                .into(),
            "faults[1]",
        ),
        (r#"{"faults": 3}"#.into(), "faults"),
        (
            r#"{"action": "CreateDiskBackup", "kind": "error", "code": "Undocumented"}"#.into(),
            "Undocumented",
        ),
        (format!(r#"{{"action": "{}", "kind": "drop_before_apply"}}"#, huge()), "action"),
    ];
    for (body, name) in &cases {
        let r = http.post(&url).body(body.clone()).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 400, "{body:.100}");
        let v: Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
        assert_clear(v["error"].as_str().unwrap(), &[name]);
    }
    assert!(emu.state().faults.is_empty(), "nothing armed");
    assert!(emu.state().calls.is_empty());

    let configs: Vec<(String, &str)> = vec![
        (String::new(), "EOF"),
        ("[]".into(), "object"),
        (r#"{"tencent": "x"}"#.into(), "tencent"),
        (r#"{"tencent": {"id": "a"}}"#.into(), "tencent"),
        (r#"{"huawei_token": 5}"#.into(), "huawei_token"),
        (
            r#"{"token_lifetime_secs": -1}"#.into(),
            "token_lifetime_secs",
        ),
        (
            r#"{"token_lifetime_secs": "day"}"#.into(),
            "token_lifetime_secs",
        ),
        (r#"{"nope": 1}"#.into(), "nope"),
        (r#"{"faults": {}}"#.into(), "faults"),
        (
            r#"{"faults": [{"action": "CreateDiskBackup"}]}"#.into(),
            "faults[0]",
        ),
        (
            r#"{"faults": [{"action": "Nope", "kind": "drop_before_apply"}]}"#.into(),
            "Nope",
        ),
        (
            format!(r#"{{"huawei_iam": {{"domain": "{}"}}}}"#, huge()),
            "huawei_iam",
        ),
    ];
    for (text, name) in &configs {
        let e = EmulatorConfig::from_json(text).unwrap_err();
        assert_clear(&e.to_string(), &[name]);
    }
}
