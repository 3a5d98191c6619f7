//! The Huawei Cloud seed action through the typed client, against the loopback emulator:
//! KooPhone `BatchBackupInstances` (REST), once with an IAM token the client obtains itself
//! (password authentication against the emulated IAM) and once signed with AK/SK
//! (`SDK-HMAC-SHA256`); the emulator checks both the way Huawei does.
//!
//! Run with `cargo run --example huawei --features emulator`.

use cloudbackup::Config;
use cloudbackup::client::HuaweiIam;
use cloudbackup::emulator::config::{
    DEFAULT_HUAWEI_ACCESS_KEY, DEFAULT_HUAWEI_IAM_DOMAIN, DEFAULT_HUAWEI_IAM_PASSWORD,
    DEFAULT_HUAWEI_IAM_USER, DEFAULT_HUAWEI_SECRET_KEY,
};
use cloudbackup::emulator::{Emulator, EmulatorConfig};
use cloudbackup::huawei::koophone::{BatchBackupInstancesInput, Client};
use cloudbackup::runtime::HuaweiCredentials;
use cloudbackup::runtime::huawei_iam::{IamPasswordAuth, IamScope};

pub(crate) fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emu = Emulator::start(EmulatorConfig::default())?;
    // KooPhone publishes no endpoint: the emulator's address is the one to give.
    let config = Config::new()
        .endpoint(emu.base_url())
        .region("ap-southeast-1");
    // The emulator's documented test user and keys; a real program leaves credentials to the
    // chain (environment variables, the SDK credentials file, the ECS agency, ...).
    let iam = HuaweiIam::new(
        IamPasswordAuth {
            domain_name: DEFAULT_HUAWEI_IAM_DOMAIN.into(),
            user_name: DEFAULT_HUAWEI_IAM_USER.into(),
            password: DEFAULT_HUAWEI_IAM_PASSWORD.into(),
        },
        IamScope::ProjectName("ap-southeast-1".into()),
    )
    .endpoint(emu.base_url());
    let with_token = Client::new(config.clone().huawei_iam(iam))?;
    let with_aksk = Client::new(config.credentials(HuaweiCredentials::ak_sk(
        DEFAULT_HUAWEI_ACCESS_KEY,
        DEFAULT_HUAWEI_SECRET_KEY,
    )))?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        for (how, client) in [("IAM token", &with_token), ("AK/SK", &with_aksk)] {
            let out = client
                .batch_backup_instances(BatchBackupInstancesInput::new(["iRJEVP9"]))
                .await?;
            println!(
                "KooPhone BatchBackupInstances ({how}): error_code {:?}, task {:?}",
                out.error_code,
                out.data.and_then(|d| d.task_id)
            );
        }
        Ok::<_, Box<dyn std::error::Error>>(())
    })?;
    let calls = emu
        .state()
        .calls
        .get("huawei/koophone/BatchBackupInstances")
        .map_or(0, |c| c.succeeded);
    if calls != 2 {
        return Err(format!("expected 2 successful calls, the emulator saw {calls}").into());
    }
    Ok(())
}
