//! The Alibaba Cloud seed action through the typed client, against the loopback emulator: DBS
//! `CreateBackupPlan` (RPC), signed with ACS3-HMAC-SHA256 and then with the V2 HMAC-SHA1
//! signature; the emulator checks both the way Alibaba does.
//!
//! Run with `cargo run --example alibaba --features emulator`.

use cloudbackup::Config;
use cloudbackup::alibaba::dbs::Client;
use cloudbackup::alibaba::dbs::create_backup_plan::{
    BackupMethod, CreateBackupPlanInput, DatabaseType, InstanceClass, Period, Region,
};
use cloudbackup::client::AlibabaSignature;
use cloudbackup::emulator::config::{
    DEFAULT_ALIBABA_ACCESS_KEY_ID, DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
};
use cloudbackup::emulator::{Emulator, EmulatorConfig};
use cloudbackup::runtime::AlibabaCredentials;

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

pub(crate) fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emu = Emulator::start(EmulatorConfig::default())?;
    // The emulator's documented test keys; a real program leaves credentials to the chain
    // (environment variables, the aliyun CLI profile, the ECS RAM role, ...).
    let config = Config::new()
        .endpoint(emu.base_url())
        .region("cn-hangzhou")
        .credentials(AlibabaCredentials::new(
            DEFAULT_ALIBABA_ACCESS_KEY_ID,
            DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
        ));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        for signature in [AlibabaSignature::V3, AlibabaSignature::V2] {
            let dbs = Client::new(config.clone().alibaba_signature(signature))?;
            let out = dbs.create_backup_plan(plan()).await?;
            println!(
                "DBS CreateBackupPlan ({signature:?}): plan {:?}, order {:?}",
                out.backup_plan_id, out.order_id
            );
        }
        Ok::<_, Box<dyn std::error::Error>>(())
    })?;
    let plans = emu
        .state()
        .resources
        .get("alibaba/dbs/CreateBackupPlan")
        .map_or(0, Vec::len);
    if plans != 2 {
        return Err(format!("expected 2 backup plans, the emulator has {plans}").into());
    }
    Ok(())
}
