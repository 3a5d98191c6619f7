//! Secret hygiene: the library (every family, success and failure, a dropped connection, the
//! Huawei IAM password flow) with `tracing` at TRACE and a `log` logger capturing everything
//! (the crate's, the emulator's, reqwest's and hyper's events), the CLI (success, service
//! failure, `--dry-run`, bad input) and the demo, all with distinctive secrets: none appears in
//! any trace, log record, output, error (`Display` and `Debug`), panic message or in the
//! `Debug` of any public config, credential or error type.

#![cfg(feature = "cli")]

use std::fmt::Debug;
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use cloudbackup::alibaba::dbs::create_backup_plan::{
    BackupMethod, CreateBackupPlanInput, DatabaseType, InstanceClass, Period, Region,
};
use cloudbackup::client::{AlibabaSignature, Credentials, Env, RetryPolicy};
use cloudbackup::emulator::config::{
    DEFAULT_ALIBABA_ACCESS_KEY_SECRET, DEFAULT_HUAWEI_IAM_PASSWORD, DEFAULT_HUAWEI_SECRET_KEY,
    DEFAULT_HUAWEI_TOKEN, DEFAULT_TENCENT_SECRET_KEY,
};
use cloudbackup::emulator::{
    Emulator, EmulatorConfig, EmulatorHandle, FaultKind, FaultSpec, IamUser, KeyPair,
};
use cloudbackup::runtime::huawei_iam::{
    IamPasswordAuth, IamScope, IamTokenCache, iam_token_request, parse_iam_token_response,
};
use cloudbackup::runtime::tc3::{Tc3KeyCache, derive_tc3_keys};
use cloudbackup::runtime::{
    AlibabaCredentials, Endpoint, HuaweiCredentials, RawResponse, Secret, SystemClock,
    TencentCredentials,
};
use cloudbackup::tencent::sqlserver::create_backup::{BackupStrategy, CreateBackupInput};
use cloudbackup::{Config, alibaba, huawei, tencent};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

const TENCENT_ID: &str = "AKIDhygieneTencentId";
const TENCENT_KEY: &str = "HYGIENE-tencent-secret-key-8c1f";
const TENCENT_TOKEN: &str = "HYGIENE-tencent-session-token-4e2a";
const ALIBABA_ID: &str = "LTAIhygieneAlibabaId";
const ALIBABA_SECRET: &str = "HYGIENE-alibaba-secret-9d0b";
const ALIBABA_STS: &str = "HYGIENE-alibaba-sts-token-1a7c";
const HUAWEI_AK: &str = "HWHYGIENEACCESSKEY";
const HUAWEI_SK: &str = "HYGIENE-huawei-sk-55e3";
const HUAWEI_TOKEN: &str = "HYGIENE-huawei-iam-token-6b6b";
const HUAWEI_STS: &str = "HYGIENE-huawei-security-token-2f2f";
const IAM_PASSWORD: &str = "HYGIENE-iam-password-0c0c";
const WRONG_KEY: &str = "HYGIENE-wrong-secret-3d3d";

const SECRETS: &[&str] = &[
    TENCENT_KEY,
    TENCENT_TOKEN,
    ALIBABA_SECRET,
    ALIBABA_STS,
    HUAWEI_SK,
    HUAWEI_TOKEN,
    HUAWEI_STS,
    IAM_PASSWORD,
    WRONG_KEY,
];

#[track_caller]
fn assert_clean(what: &str, text: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "{s} leaked in {what}:\n{text}");
    }
}

/// Everything traced and logged in this process, as text.
fn captured() -> Arc<Mutex<Vec<String>>> {
    static LINES: OnceLock<Arc<Mutex<Vec<String>>>> = OnceLock::new();
    LINES
        .get_or_init(|| {
            let lines = Arc::new(Mutex::new(Vec::new()));
            tracing::subscriber::set_global_default(Capture {
                lines: lines.clone(),
                next: AtomicU64::new(0),
            })
            .expect("first subscriber");
            log::set_logger(Box::leak(Box::new(LogCapture(lines.clone())))).expect("first logger");
            log::set_max_level(log::LevelFilter::Trace);
            lines
        })
        .clone()
}

struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    next: AtomicU64,
}

struct Line<'a>(&'a mut String);

impl Visit for Line<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.next.fetch_add(1, Ordering::SeqCst) + 1;
        let mut line = format!(
            "span {} {}",
            span.metadata().target(),
            span.metadata().name()
        );
        span.record(&mut Line(&mut line));
        self.lines.lock().unwrap().push(line);
        Id::from_u64(id)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut line = "record".to_owned();
        values.record(&mut Line(&mut line));
        self.lines.lock().unwrap().push(line);
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut line = format!("event {}", event.metadata().target());
        event.record(&mut Line(&mut line));
        self.lines.lock().unwrap().push(line);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

struct LogCapture(Arc<Mutex<Vec<String>>>);

impl log::Log for LogCapture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, r: &log::Record<'_>) {
        let line = format!("log {} {}", r.target(), r.args());
        self.0.lock().unwrap().push(line);
    }
    fn flush(&self) {}
}

fn emulator() -> EmulatorHandle {
    let c = EmulatorConfig {
        tencent: KeyPair::new(TENCENT_ID, TENCENT_KEY),
        alibaba: KeyPair::new(ALIBABA_ID, ALIBABA_SECRET),
        huawei: KeyPair::new(HUAWEI_AK, HUAWEI_SK),
        huawei_token: Some(HUAWEI_TOKEN.into()),
        huawei_iam: IamUser {
            domain: "hygiene-domain".into(),
            user: "hygiene-user".into(),
            password: IAM_PASSWORD.into(),
        },
        ..EmulatorConfig::default()
    };
    Emulator::start(c).unwrap()
}

fn config(emu: &EmulatorHandle, region: &str) -> Config {
    Config::new()
        .endpoint(emu.base_url())
        .region(region)
        .attempt_timeout(Duration::from_secs(5))
        .retry(
            RetryPolicy::standard()
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(5)),
        )
}

fn tencent_creds(key: &str) -> TencentCredentials {
    TencentCredentials::new(TENCENT_ID, key).with_token(TENCENT_TOKEN)
}

fn plan() -> CreateBackupPlanInput {
    CreateBackupPlanInput::new(
        Region::CnHangzhou,
        DatabaseType::MySql,
        InstanceClass::Small,
        BackupMethod::Logical,
        Period::Month,
        1,
    )
}

/// `Display` and `Debug` of a result, and the message of the panic an `unwrap` would raise.
fn outputs<T: Debug, E: Debug + std::fmt::Display>(r: &Result<T, E>) -> String {
    let mut s = format!("{r:?}");
    if let Err(e) = r {
        s.push_str(&format!("\n{e}"));
        let msg = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            // What `Result::unwrap` on this error would print.
            panic!("called `Result::unwrap()` on an `Err` value: {e:?}");
        }))
        .unwrap_err();
        let msg = msg
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| msg.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        s.push_str(&format!("\n{msg}"));
    }
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_library_at_trace_level_never_shows_a_secret() {
    let lines = captured();
    let emu = emulator();
    let mut seen = Vec::new();

    // Tencent TC3 and API 2.0: success, wrong secret, dropped connection.
    let cbs = tencent::cbs::Client::new(
        config(&emu, "ap-guangzhou").credentials(tencent_creds(TENCENT_KEY)),
    )
    .unwrap();
    seen.push(format!("{cbs:?}"));
    let ok = cbs
        .create_disk_backup(tencent::cbs::CreateDiskBackupInput::new("disk-1"))
        .await;
    assert!(ok.is_ok(), "{ok:?}");
    seen.push(outputs(&ok));
    emu.inject(FaultSpec::new(
        "tencent/cbs/CreateDiskBackup",
        1,
        FaultKind::DropBeforeApply,
    ))
    .unwrap();
    emu.inject(FaultSpec::new(
        "tencent/cbs/CreateDiskBackup",
        1,
        FaultKind::DropAfterApply,
    ))
    .unwrap();
    let dropped = cbs
        .create_disk_backup(tencent::cbs::CreateDiskBackupInput::new("disk-2"))
        .await;
    assert!(dropped.is_err(), "{dropped:?}");
    seen.push(outputs(&dropped));
    let wrong = tencent::cbs::Client::new(
        config(&emu, "ap-guangzhou").credentials(tencent_creds(WRONG_KEY)),
    )
    .unwrap();
    let denied = wrong
        .create_disk_backup(tencent::cbs::CreateDiskBackupInput::new("disk-3"))
        .await;
    assert!(denied.is_err(), "{denied:?}");
    seen.push(outputs(&denied));
    let sql = tencent::sqlserver::Client::new(
        config(&emu, "ap-guangzhou").credentials(tencent_creds(TENCENT_KEY)),
    )
    .unwrap();
    let input = CreateBackupInput::new("mssql-1")
        .strategy(BackupStrategy::MultiDatabase)
        .db_list(["a"]);
    seen.push(outputs(&sql.create_backup(input).await));
    let sql_wrong = tencent::sqlserver::Client::new(
        config(&emu, "ap-guangzhou").credentials(tencent_creds(WRONG_KEY)),
    )
    .unwrap();
    let input = CreateBackupInput::new("mssql-1")
        .strategy(BackupStrategy::MultiDatabase)
        .db_list(["a"]);
    seen.push(outputs(&sql_wrong.create_backup(input).await));

    // Alibaba V3 and V2, with an STS token; a wrong secret.
    for sig in [AlibabaSignature::V3, AlibabaSignature::V2] {
        for secret in [ALIBABA_SECRET, WRONG_KEY] {
            let creds =
                AlibabaCredentials::new(ALIBABA_ID, secret).with_security_token(ALIBABA_STS);
            let dbs = alibaba::dbs::Client::new(
                config(&emu, "cn-hangzhou")
                    .credentials(creds)
                    .alibaba_signature(sig),
            )
            .unwrap();
            let r = dbs.create_backup_plan(plan()).await;
            assert_eq!(r.is_ok(), secret == ALIBABA_SECRET, "{sig:?}: {r:?}");
            seen.push(outputs(&r));
        }
    }

    // Huawei AK/SK (temporary, and wrong) and token.
    for creds in [
        HuaweiCredentials::AkSk {
            access_key: HUAWEI_AK.into(),
            secret_key: HUAWEI_SK.into(),
            security_token: Some(HUAWEI_STS.into()),
        },
        HuaweiCredentials::ak_sk(HUAWEI_AK, WRONG_KEY),
        HuaweiCredentials::token(HUAWEI_TOKEN),
        HuaweiCredentials::token(WRONG_KEY),
    ] {
        seen.push(format!("{creds:?}"));
        let kp = huawei::koophone::Client::new(config(&emu, "ap-southeast-1").credentials(creds))
            .unwrap();
        let r = kp
            .batch_backup_instances(huawei::koophone::BatchBackupInstancesInput::new(["i-1"]))
            .await;
        seen.push(outputs(&r));
    }

    // The Huawei IAM password flow, sent with reqwest, parsed and cached.
    let endpoint = Endpoint {
        scheme: "http".into(),
        host: emu.addr().to_string(),
    };
    let auth = IamPasswordAuth {
        domain_name: "hygiene-domain".into(),
        user_name: "hygiene-user".into(),
        password: IAM_PASSWORD.into(),
    };
    seen.push(format!("{auth:?}"));
    let req = iam_token_request(
        &endpoint,
        &auth,
        &IamScope::ProjectName("ap-southeast-1".into()),
    );
    seen.push(format!("{req:?}"));
    let mut http = reqwest::Client::new().post(&req.url).body(req.body.clone());
    for (k, v) in &req.headers {
        http = http.header(k.as_ref(), v);
    }
    let resp = http.send().await.unwrap();
    let raw = RawResponse {
        status: resp.status().as_u16(),
        headers: resp
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_owned()))
            .collect(),
        body: resp.bytes().await.unwrap().to_vec(),
    };
    let token = parse_iam_token_response(&raw);
    assert!(token.is_ok(), "{token:?}");
    seen.push(outputs(&token));
    let issued = token.unwrap().token.expose().to_owned();
    let cache = IamTokenCache::new(Arc::new(SystemClock));
    seen.push(format!("{cache:?}"));

    // The emulator's own view.
    seen.push(format!("{:?}", emu.config()));
    seen.push(format!("{:?}", emu.state()));
    seen.push(serde_json::to_string(&emu.state()).unwrap());
    emu.shutdown();

    for (i, s) in seen.iter().enumerate() {
        assert_clean(&format!("output #{i}"), s);
        assert!(
            !s.contains(&issued),
            "issued IAM token in output #{i}:\n{s}"
        );
    }
    let all = lines.lock().unwrap().join("\n");
    assert!(
        all.contains("cloudbackup.call"),
        "the subscriber saw the calls"
    );
    let targets: std::collections::BTreeSet<&str> = all
        .lines()
        .filter(|l| ["event ", "span ", "log "].iter().any(|p| l.starts_with(p)))
        .filter_map(|l| l.split(' ').nth(1))
        .map(|t| t.split("::").next().unwrap_or(t))
        .collect();
    println!(
        "captured {} trace/log lines from {targets:?}",
        all.lines().count()
    );
    assert_clean("traces and logs", &all);
    assert!(!all.contains(&issued), "issued IAM token in traces");
}

#[test]
fn debug_of_every_public_config_credential_and_error_type_hides_secrets() {
    let mut seen = vec![
        format!("{:?}", Secret::new(TENCENT_KEY)),
        format!("{:?}", tencent_creds(TENCENT_KEY)),
        format!(
            "{:?}",
            AlibabaCredentials::new(ALIBABA_ID, ALIBABA_SECRET).with_security_token(ALIBABA_STS)
        ),
        format!(
            "{:?}",
            HuaweiCredentials::AkSk {
                access_key: HUAWEI_AK.into(),
                secret_key: HUAWEI_SK.into(),
                security_token: Some(HUAWEI_STS.into()),
            }
        ),
        format!("{:?}", HuaweiCredentials::token(HUAWEI_TOKEN)),
        format!("{:?}", Credentials::from(tencent_creds(TENCENT_KEY))),
        format!(
            "{:?}",
            Config::new()
                .region("ap-guangzhou")
                .credentials(tencent_creds(TENCENT_KEY))
        ),
        format!("{:?}", KeyPair::new(TENCENT_ID, TENCENT_KEY)),
        format!(
            "{:?}",
            IamUser {
                domain: "d".into(),
                user: "u".into(),
                password: IAM_PASSWORD.into(),
            }
        ),
        format!("{:?}", derive_tc3_keys(TENCENT_KEY, "2026-11-25", "cbs")),
    ];
    let cache = Tc3KeyCache::new();
    let _ = cache.signing_key(TENCENT_KEY, "2026-11-25", "cbs");
    seen.push(format!("{cache:?}"));
    // Environment lookups: values (also malformed ones) never shown.
    let env = Env::new(
        [
            ("TENCENTCLOUD_SECRET_ID", TENCENT_ID),
            ("TENCENTCLOUD_SECRET_KEY", TENCENT_KEY),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ALIBABA_SECRET),
            ("HUAWEICLOUD_SDK_SK", HUAWEI_SK),
            ("HUAWEICLOUD_SDK_SECURITY_TOKEN", HUAWEI_STS),
        ],
        None,
    );
    seen.push(format!("{env:?}"));
    for provider in ["tencent", "alibaba", "huawei", "nope"] {
        seen.push(outputs(&Credentials::from_env(provider, &env)));
    }
    // A config error with credentials set.
    let r = tencent::cbs::Client::new(
        Config::new()
            .endpoint("ftp://nowhere")
            .credentials(tencent_creds(TENCENT_KEY)),
    );
    seen.push(outputs(&r.map(|_| ())));
    // Emulator config files: a bad one never echoes the secret it holds.
    let bad = format!(
        r#"{{"tencent": {{"id": "x", "secret": "{TENCENT_KEY}"}}, "huawei_token": 5, "x": "{HUAWEI_SK}"}}"#
    );
    seen.push(outputs(&EmulatorConfig::from_json(&bad).map(|_| ())));
    let good = format!(r#"{{"tencent": {{"id": "x", "secret": "{TENCENT_KEY}"}}}}"#);
    seen.push(outputs(&EmulatorConfig::from_json(&good)));
    let iam_denied = RawResponse {
        status: 401,
        headers: vec![("x-subject-token".into(), HUAWEI_TOKEN.into())],
        body: format!(r#"{{"error": {{"code": "401", "message": "bad"}}, "t": "{HUAWEI_TOKEN}"}}"#)
            .into_bytes(),
    };
    seen.push(outputs(&parse_iam_token_response(&iam_denied)));
    for (i, s) in seen.iter().enumerate() {
        assert_clean(&format!("Debug #{i}"), s);
    }
}

fn run_cli(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cloudbackup"));
    cmd.args(args)
        .env("RUST_LOG", "trace")
        .env("RUST_BACKTRACE", "1");
    let home = std::env::temp_dir().join("cloudbackup-hygiene-home");
    std::fs::create_dir_all(&home).unwrap();
    cmd.env("HOME", &home);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().expect("the binary runs");
    format!(
        "exit {:?}\n{}\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn the_cli_and_the_demo_never_print_a_secret() {
    let emu = emulator();
    let url = emu.base_url();
    let tencent = [
        ("TENCENTCLOUD_SECRET_ID", TENCENT_ID),
        ("TENCENTCLOUD_SECRET_KEY", TENCENT_KEY),
        ("TENCENTCLOUD_SESSION_TOKEN", TENCENT_TOKEN),
    ];
    let tencent_wrong = [
        ("TENCENTCLOUD_SECRET_ID", TENCENT_ID),
        ("TENCENTCLOUD_SECRET_KEY", WRONG_KEY),
    ];
    let alibaba = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", ALIBABA_ID),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ALIBABA_SECRET),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", ALIBABA_STS),
    ];
    let huawei = [
        ("HUAWEICLOUD_SDK_AK", HUAWEI_AK),
        ("HUAWEICLOUD_SDK_SK", HUAWEI_SK),
        ("HUAWEICLOUD_SDK_SECURITY_TOKEN", HUAWEI_STS),
    ];
    let cbs = |extra: &[&'static str]| {
        let mut a = vec![
            "call",
            "tencent",
            "cbs",
            "CreateDiskBackup",
            "--endpoint",
            url.as_str(),
            "--region",
            "ap-guangzhou",
            "--param",
            "DiskId=disk-1",
        ];
        a.extend_from_slice(extra);
        a
    };
    let mut outs = vec![
        ("cbs ok", run_cli(&cbs(&[]), &tencent)),
        ("cbs -vvv", run_cli(&cbs(&["-vvv"]), &tencent)),
        ("cbs -v", run_cli(&cbs(&["-v"]), &tencent)),
        ("cbs json", run_cli(&cbs(&["--output", "json"]), &tencent)),
        ("cbs table", run_cli(&cbs(&["--output", "table"]), &tencent)),
        ("cbs dry-run", run_cli(&cbs(&["--dry-run"]), &tencent)),
        ("cbs wrong secret", run_cli(&cbs(&[]), &tencent_wrong)),
        ("cbs bad option", run_cli(&cbs(&["--bogus"]), &tencent)),
        (
            "cbs bad param",
            run_cli(&cbs(&["--param", "Nope=1"]), &tencent),
        ),
    ];
    let dbs = [
        "call",
        "alibaba",
        "dbs",
        "CreateBackupPlan",
        "--endpoint",
        url.as_str(),
        "--region",
        "cn-hangzhou",
        "--param",
        "Region=cn-hangzhou",
        "--param",
        "DatabaseType=MySQL",
        "--param",
        "InstanceClass=small",
        "--param",
        "BackupMethod=logical",
        "--param",
        "Period=Month",
        "--param",
        "UsedTime=1",
    ];
    outs.push(("dbs", run_cli(&dbs, &alibaba)));
    let mut dry = dbs.to_vec();
    dry.push("--dry-run");
    outs.push(("dbs dry-run", run_cli(&dry, &alibaba)));
    let kp = [
        "call",
        "huawei",
        "koophone",
        "BatchBackupInstances",
        "--endpoint",
        url.as_str(),
        "--region",
        "ap-southeast-1",
        "--param",
        "instance_ids=i-1",
    ];
    outs.push(("koophone", run_cli(&kp, &huawei)));
    let mut dry = kp.to_vec();
    dry.push("--dry-run");
    outs.push(("koophone dry-run", run_cli(&dry, &huawei)));
    emu.shutdown();
    assert!(outs[0].1.starts_with("exit Some(0)"), "{}", outs[0].1);
    // The runs were traced (RUST_LOG=trace, -vvv): spans, events and the HTTP client's records.
    for (what, out) in &outs[..2] {
        for want in [
            "cloudbackup.call{",
            "cloudbackup.attempt{",
            "call succeeded",
            "hyper_util::",
        ] {
            assert!(out.contains(want), "{what} lacks {want:?}:\n{out}");
        }
    }
    for (what, out) in &outs {
        assert_clean(what, out);
    }

    // The demo runs on the emulator's default test credentials: none of them is printed.
    let demo = run_cli(&["demo"], &[]);
    assert!(demo.starts_with("exit Some(0)"), "{demo}");
    for s in [
        DEFAULT_TENCENT_SECRET_KEY,
        DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
        DEFAULT_HUAWEI_SECRET_KEY,
        DEFAULT_HUAWEI_TOKEN,
        DEFAULT_HUAWEI_IAM_PASSWORD,
    ] {
        assert!(!demo.contains(s), "{s} printed by the demo:\n{demo}");
    }
}
