//! The credential sources that fetch, each against the emulator's stand-ins on loopback: the
//! three instance metadata services and the three STS role assumptions, the refresh before
//! expiry on a shared manual clock, roles and instance roles designated by profile files, and
//! a provider of the caller's.
#![cfg(feature = "emulator")]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use cloudbackup::alibaba::dbs::create_backup_plan::{
    BackupMethod, CreateBackupPlanInput, DatabaseType, InstanceClass, Period, Region,
};
use cloudbackup::client::{
    AssumeRole, Env, FetchContext, InstanceMetadata, ProvideCredentials, ProvideFuture,
    ProvidedCredentials,
};
use cloudbackup::emulator::config::{
    DEFAULT_ALIBABA_ACCESS_KEY_ID, DEFAULT_ALIBABA_ACCESS_KEY_SECRET, DEFAULT_HUAWEI_ACCESS_KEY,
    DEFAULT_HUAWEI_SECRET_KEY, DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY,
};
use cloudbackup::emulator::{Emulator, EmulatorConfig, EmulatorHandle};
use cloudbackup::runtime::{
    AlibabaCredentials, HuaweiCredentials, ManualClock, TencentCredentials,
};
use cloudbackup::tencent::cbs::CreateDiskBackupInput;
use cloudbackup::{Config, Error, alibaba, huawei, tencent};

const START: i64 = 1_800_000_000;
const NO_VARS: [(&str, &str); 0] = [];
const TENCENT_ROLE: &str = "qcs::cam::uin/100000000001:roleName/backup";
const ALIBABA_ROLE: &str = "acs:ram::1000000000000001:role/backup";

struct Setup {
    emu: EmulatorHandle,
    clock: Arc<ManualClock>,
}

fn setup(cfg: EmulatorConfig) -> Setup {
    let clock = Arc::new(ManualClock::new(START));
    let emu = Emulator::start(cfg.with_clock(clock.clone())).unwrap();
    Setup { emu, clock }
}

impl Setup {
    /// A config on the emulator, with no environment, no home and the shared clock.
    fn config(&self, region: &str) -> Config {
        Config::new()
            .env(Env::new(NO_VARS, None))
            .endpoint(self.emu.base_url())
            .region(region)
            .clock(self.clock.clone())
    }

    fn issued(&self, key: &str) -> u64 {
        self.emu
            .state()
            .credentials_issued
            .get(key)
            .copied()
            .unwrap_or(0)
    }

    fn metadata(&self) -> InstanceMetadata {
        InstanceMetadata::new().endpoint(self.emu.base_url())
    }
}

fn disk() -> CreateDiskBackupInput {
    CreateDiskBackupInput::new("disk-1")
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

#[tokio::test]
async fn tencent_cvm_role_is_fetched_once_and_refreshed_five_minutes_before_expiry() {
    let s = setup(EmulatorConfig::default());
    let cbs = tencent::cbs::Client::new(s.config("ap-guangzhou").instance_metadata(s.metadata()))
        .unwrap();
    for _ in 0..3 {
        cbs.create_disk_backup(disk()).await.unwrap();
    }
    assert_eq!(s.issued("tencent/metadata"), 1, "cached between calls");
    // The emulator's credentials last an hour; at 55 min they are still used...
    s.clock.advance(3_300 - 1);
    cbs.create_disk_backup(disk()).await.unwrap();
    assert_eq!(s.issued("tencent/metadata"), 1);
    // ...and from 5 minutes before expiry, new ones are fetched.
    s.clock.advance(1);
    cbs.create_disk_backup(disk()).await.unwrap();
    assert_eq!(s.issued("tencent/metadata"), 2);
}

#[tokio::test]
async fn concurrent_first_calls_fetch_once() {
    let s = setup(EmulatorConfig::default());
    let cbs = tencent::cbs::Client::new(s.config("ap-guangzhou").instance_metadata(s.metadata()))
        .unwrap();
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let c = cbs.clone();
            tokio::spawn(async move { c.create_disk_backup(disk()).await })
        })
        .collect();
    for c in calls {
        c.await.unwrap().unwrap();
    }
    assert_eq!(s.issued("tencent/metadata"), 1);
}

#[tokio::test]
async fn alibaba_ecs_role_uses_the_imdsv2_token_and_huawei_the_securitykey() {
    let s = setup(EmulatorConfig {
        metadata_token_required: true,
        ..EmulatorConfig::default()
    });
    let dbs = alibaba::dbs::Client::new(
        s.config("cn-hangzhou")
            .instance_metadata(s.metadata().require_token(true)),
    )
    .unwrap();
    dbs.create_backup_plan(plan()).await.unwrap();
    assert_eq!(s.issued("alibaba/metadata"), 1);
    let kp =
        huawei::koophone::Client::new(s.config("ap-southeast-1").instance_metadata(s.metadata()))
            .unwrap();
    kp.batch_backup_instances(huawei::koophone::BatchBackupInstancesInput::new(["i-1"]))
        .await
        .unwrap();
    assert_eq!(s.issued("huawei/metadata"), 1);
    // A role the instance does not have: a credentials error naming the role, nothing sent.
    let wrong = alibaba::dbs::Client::new(
        s.config("cn-hangzhou")
            .instance_metadata(s.metadata().role_name("not-attached")),
    )
    .unwrap();
    let err = wrong.create_backup_plan(plan()).await.unwrap_err();
    assert!(matches!(err, Error::Credentials(_)), "{err:?}");
    assert!(err.to_string().contains("not-attached"), "{err}");
}

#[tokio::test]
async fn off_the_cloud_the_metadata_address_fails_fast_as_a_credentials_error() {
    // Port 9 on loopback: nothing listens.
    let cbs = tencent::cbs::Client::new(
        Config::new()
            .env(Env::new(NO_VARS, None))
            .region("ap-guangzhou")
            .endpoint("http://127.0.0.1:9")
            .instance_metadata(InstanceMetadata::new().endpoint("http://127.0.0.1:9")),
    )
    .unwrap();
    let err = cbs.create_disk_backup(disk()).await.unwrap_err();
    let Error::Credentials(e) = &err else {
        panic!("{err:?}");
    };
    assert!(
        e.problem.as_deref().unwrap().contains("instance metadata"),
        "{err}"
    );
}

#[tokio::test]
async fn tencent_sts_assume_role_with_long_term_keys() {
    let s = setup(EmulatorConfig::default());
    let role = AssumeRole::role_arn(TENCENT_ROLE)
        .session_name("nightly")
        .endpoint(s.emu.base_url());
    let cbs = tencent::cbs::Client::new(
        s.config("ap-guangzhou")
            .credentials(TencentCredentials::new(
                DEFAULT_TENCENT_SECRET_ID,
                DEFAULT_TENCENT_SECRET_KEY,
            ))
            .assume_role(role.clone()),
    )
    .unwrap();
    cbs.create_disk_backup(disk()).await.unwrap();
    cbs.create_disk_backup(disk()).await.unwrap();
    assert_eq!(s.issued("tencent/sts"), 1);
    // Default duration 7200 s: refreshed from 5 minutes before.
    s.clock.advance(7_200 - 300);
    cbs.create_disk_backup(disk()).await.unwrap();
    assert_eq!(s.issued("tencent/sts"), 2);
    // A malformed role: STS refuses, with its request id.
    let bad = tencent::cbs::Client::new(
        s.config("ap-guangzhou")
            .credentials(TencentCredentials::new(
                DEFAULT_TENCENT_SECRET_ID,
                DEFAULT_TENCENT_SECRET_KEY,
            ))
            .assume_role(AssumeRole::role_arn("not-an-arn").endpoint(s.emu.base_url())),
    )
    .unwrap();
    let err = bad.create_disk_backup(disk()).await.unwrap_err();
    let Error::Credentials(e) = &err else {
        panic!("{err:?}");
    };
    assert!(e.request_id.is_some(), "{e:?}");
    assert!(err.to_string().contains("InvalidParameterValue"), "{err}");
    assert!(
        err.raw_response().is_none(),
        "captured without asking: {err:?}"
    );
    // Wrong long-term keys: STS refuses the signature.
    let forged = tencent::cbs::Client::new(
        s.config("ap-guangzhou")
            .credentials(TencentCredentials::new(
                DEFAULT_TENCENT_SECRET_ID,
                "wrong-key",
            ))
            .assume_role(role),
    )
    .unwrap();
    let err = forged.create_disk_backup(disk()).await.unwrap_err();
    assert!(
        err.to_string().contains("AuthFailure.SignatureFailure"),
        "{err}"
    );
    assert!(!format!("{err} {err:?}").contains("wrong-key"));
    // With capture on, STS's refusal is kept whole (it is the raw answer of a credentials
    // error), the caller's keys redacted.
    let captured = tencent::cbs::Client::new(
        s.config("ap-guangzhou")
            .capture_raw_response(true)
            .credentials(TencentCredentials::new(
                DEFAULT_TENCENT_SECRET_ID,
                DEFAULT_TENCENT_SECRET_KEY,
            ))
            .assume_role(AssumeRole::role_arn("not-an-arn").endpoint(s.emu.base_url())),
    )
    .unwrap();
    let err = captured.create_disk_backup(disk()).await.unwrap_err();
    let raw = err.raw_response().expect("STS's refusal is kept");
    assert!(raw.body.contains("InvalidParameterValue"), "{raw:?}");
    assert!(
        raw.header("content-type")
            .is_some_and(|v| v.contains("json")),
        "{raw:?}"
    );
    assert!(!format!("{raw:?} {err:?}").contains(DEFAULT_TENCENT_SECRET_KEY));
}

#[tokio::test]
async fn alibaba_and_huawei_sts() {
    let s = setup(EmulatorConfig::default());
    let dbs = alibaba::dbs::Client::new(
        s.config("cn-hangzhou")
            .credentials(AlibabaCredentials::new(
                DEFAULT_ALIBABA_ACCESS_KEY_ID,
                DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
            ))
            .assume_role(
                AssumeRole::role_arn(ALIBABA_ROLE)
                    .duration(std::time::Duration::from_secs(900))
                    .endpoint(s.emu.base_url()),
            ),
    )
    .unwrap();
    dbs.create_backup_plan(plan()).await.unwrap();
    // 900 s credentials: refreshed 5 minutes before (less than half their life).
    s.clock.advance(600);
    dbs.create_backup_plan(plan()).await.unwrap();
    assert_eq!(s.issued("alibaba/sts"), 2);
    let kp = huawei::koophone::Client::new(
        s.config("ap-southeast-1")
            .credentials(HuaweiCredentials::ak_sk(
                DEFAULT_HUAWEI_ACCESS_KEY,
                DEFAULT_HUAWEI_SECRET_KEY,
            ))
            .assume_role(
                AssumeRole::huawei_agency("cloudbackup-emulator-domain", "backup-agency")
                    .endpoint(s.emu.base_url()),
            ),
    )
    .unwrap();
    let backup =
        || kp.batch_backup_instances(huawei::koophone::BatchBackupInstancesInput::new(["i-1"]));
    backup().await.unwrap();
    backup().await.unwrap();
    assert_eq!(s.issued("huawei/sts"), 1);
    // Default duration 3600 s: refreshed from 5 minutes before.
    s.clock.advance(3_600 - 300);
    backup().await.unwrap();
    assert_eq!(s.issued("huawei/sts"), 2);
}

fn temp_home(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("sources-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(home: &Path, rel: &str, text: &str) {
    let p = home.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[tokio::test]
async fn roles_and_instance_roles_designated_by_profiles_and_variables() {
    let s = setup(EmulatorConfig::default());
    let home = temp_home("designated");
    write(
        &home,
        ".tccli/default.credential",
        &format!(
            r#"{{"secretId": "{DEFAULT_TENCENT_SECRET_ID}", "secretKey": "{DEFAULT_TENCENT_SECRET_KEY}", "role-arn": "{TENCENT_ROLE}", "role-session-name": "tccli"}}"#
        ),
    );
    write(&home, ".tccli/cvm.credential", r#"{"type": "cvm-role"}"#);
    write(
        &home,
        ".aliyun/config.json",
        &format!(
            r#"{{"current": "role", "profiles": [
                {{"name": "role", "mode": "RamRoleArn", "access_key_id": "{DEFAULT_ALIBABA_ACCESS_KEY_ID}", "access_key_secret": "{DEFAULT_ALIBABA_ACCESS_KEY_SECRET}", "ram_role_arn": "{ALIBABA_ROLE}"}},
                {{"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "cloudbackup-emulator-role"}}
            ]}}"#
        ),
    );
    let env = Env::new(NO_VARS, Some(home.clone()));
    let base = |region: &str| {
        s.config(region)
            .env(env.clone())
            .identity_endpoint(s.emu.base_url())
    };
    tencent::cbs::Client::new(base("ap-guangzhou"))
        .unwrap()
        .create_disk_backup(disk())
        .await
        .unwrap();
    tencent::cbs::Client::new(base("ap-guangzhou").profile("cvm"))
        .unwrap()
        .create_disk_backup(disk())
        .await
        .unwrap();
    alibaba::dbs::Client::new(base("cn-hangzhou"))
        .unwrap()
        .create_backup_plan(plan())
        .await
        .unwrap();
    alibaba::dbs::Client::new(base("cn-hangzhou").profile("ecs"))
        .unwrap()
        .create_backup_plan(plan())
        .await
        .unwrap();
    // The vendors' own variables: TCCLI's role pair, Alibaba's ECS role name.
    let vars = Env::new(
        [
            ("TENCENTCLOUD_SECRET_ID", DEFAULT_TENCENT_SECRET_ID),
            ("TENCENTCLOUD_SECRET_KEY", DEFAULT_TENCENT_SECRET_KEY),
            ("TENCENTCLOUD_ROLE_ARN", TENCENT_ROLE),
            ("TENCENTCLOUD_ROLE_SESSION_NAME", "from-env"),
            ("ALIBABA_CLOUD_ECS_METADATA", "cloudbackup-emulator-role"),
        ],
        None,
    );
    let with_vars = |region: &str| {
        s.config(region)
            .env(vars.clone())
            .identity_endpoint(s.emu.base_url())
    };
    tencent::cbs::Client::new(with_vars("ap-guangzhou"))
        .unwrap()
        .create_disk_backup(disk())
        .await
        .unwrap();
    alibaba::dbs::Client::new(with_vars("cn-hangzhou"))
        .unwrap()
        .create_backup_plan(plan())
        .await
        .unwrap();
    let issued = s.emu.state().credentials_issued;
    assert_eq!(issued.get("tencent/sts"), Some(&2), "{issued:?}");
    assert_eq!(issued.get("tencent/metadata"), Some(&1), "{issued:?}");
    assert_eq!(issued.get("alibaba/sts"), Some(&1), "{issued:?}");
    assert_eq!(issued.get("alibaba/metadata"), Some(&2), "{issued:?}");
}

/// Hands out the emulator's long-term Tencent keys as if they expired 10 minutes after each
/// fetch; fails every fetch after the first `ok` ones.
#[derive(Debug)]
struct Flaky {
    fetches: AtomicU32,
    ok: u32,
}

impl ProvideCredentials for Flaky {
    fn provide<'a>(&'a self, cx: &'a FetchContext) -> ProvideFuture<'a> {
        Box::pin(async move {
            let n = self.fetches.fetch_add(1, Ordering::SeqCst);
            if n >= self.ok {
                return Err(cloudbackup::client::CredentialsError::fetch(
                    "tencent",
                    "the vault is sealed",
                ));
            }
            let c = TencentCredentials::new(DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY);
            Ok(ProvidedCredentials::expiring(
                c,
                cx.clock().now_unix() + 600,
            ))
        })
    }
}

#[tokio::test]
async fn a_custom_provider_is_refreshed_and_a_failed_refresh_keeps_valid_credentials() {
    let s = setup(EmulatorConfig::default());
    let provider = Arc::new(Flaky {
        fetches: AtomicU32::new(0),
        ok: 1,
    });
    let cbs = tencent::cbs::Client::new(
        s.config("ap-guangzhou")
            .credentials_provider(provider.clone()),
    )
    .unwrap();
    // Before the first call, a dry run has nothing to sign with.
    let err = cbs.service_client().prepare(disk()).unwrap_err();
    assert!(matches!(err, Error::Credentials(_)), "{err:?}");
    cbs.create_disk_backup(disk()).await.unwrap();
    cbs.service_client().prepare(disk()).unwrap();
    let shown = format!("{cbs:?} {provider:?}");
    assert!(!shown.contains(DEFAULT_TENCENT_SECRET_KEY), "{shown}");
    // In the refresh window (5 min before expiry) the refresh fails: the old ones still work.
    s.clock.advance(400);
    cbs.create_disk_backup(disk()).await.unwrap();
    assert_eq!(provider.fetches.load(Ordering::SeqCst), 2);
    // Past expiry they are not used: the error is the provider's.
    s.clock.advance(200);
    let err = cbs.create_disk_backup(disk()).await.unwrap_err();
    assert!(err.to_string().contains("the vault is sealed"), "{err}");
}

#[tokio::test]
async fn temporary_credentials_are_checked_by_the_emulator_token_and_expiry_included() {
    let s = setup(EmulatorConfig::default());
    let url = format!(
        "{}/latest/meta-data/cam/security-credentials/cloudbackup-emulator-role",
        s.emu.base_url()
    );
    let text = reqwest::get(url).await.unwrap().text().await.unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let field = |k: &str| v[k].as_str().unwrap().to_owned();
    let creds = |token: &str| {
        TencentCredentials::new(field("TmpSecretId"), field("TmpSecretKey")).with_token(token)
    };
    let call = |c: TencentCredentials| {
        let cfg = s.config("ap-guangzhou").credentials(c);
        async move {
            tencent::cbs::Client::new(cfg)
                .unwrap()
                .create_disk_backup(disk())
                .await
        }
    };
    call(creds(&field("Token"))).await.unwrap();
    let err = call(creds("not-the-token")).await.unwrap_err();
    assert!(
        err.to_string().contains("AuthFailure.TokenFailure"),
        "{err}"
    );
    s.clock.advance(3_600);
    let err = call(creds(&field("Token"))).await.unwrap_err();
    assert!(err.to_string().contains("expired"), "{err}");
    assert_eq!(s.emu.state().live_temporary_keys, 0);
}
