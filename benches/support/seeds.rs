//! The five seed requests of `examples/seeds.rs`, ready to sign: wire form, context,
//! credentials and a fixed nonce.
#![allow(dead_code, unreachable_pub)] // shared by several bench targets, each using a part

use cloudbackup::Operation;
use cloudbackup::alibaba::dbs::create_backup_plan::{
    BackupMethod, CreateBackupPlanInput, DatabaseType, InstanceClass, Period, Region,
};
use cloudbackup::huawei::koophone::BatchBackupInstancesInput;
use cloudbackup::runtime::{
    AlibabaCredentials, Endpoint, FixedNonce, HuaweiCredentials, OperationContext,
    TencentCredentials, WireRequest,
};
use cloudbackup::tencent::cbs::CreateDiskBackupInput;
use cloudbackup::tencent::redis::ManualBackupInstanceInput;

/// Signing time of every seed (2019-02-25, the TC3 worked example's).
pub const TS: i64 = 1_551_113_065;
pub const TENCENT_SECRET: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
pub const ALIBABA_SECRET: &str = "testsecret";
pub const HUAWEI_SECRET: &str = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";

pub struct Seeds {
    pub tencent: TencentCredentials,
    pub alibaba: AlibabaCredentials,
    pub huawei: HuaweiCredentials,
    pub nonce: FixedNonce,
    pub tc3_ctx: OperationContext,
    pub tc3_wire: WireRequest,
    pub api2_ctx: OperationContext,
    pub api2_wire: WireRequest,
    pub ali_ctx: OperationContext,
    pub ali_wire: WireRequest,
    pub hw_ctx: OperationContext,
    pub hw_wire: WireRequest,
}

/// The request and context of one seed input, as `ServiceClient` would build them.
pub fn wire_of<O: Operation>(
    mut input: O,
    host: &str,
    region: Option<&str>,
) -> (OperationContext, WireRequest) {
    let mut n = 0u32;
    let mut ids = move || {
        n += 1;
        format!("00000000-0000-4000-8000-{n:012}")
    };
    input.validate().expect("seed is valid");
    input.fill_idempotency_token(&mut ids);
    let wire = input.to_wire(&mut ids);
    let ctx = OperationContext {
        endpoint: Endpoint::https(host),
        action: O::ACTION.name.to_owned(),
        version: O::SERVICE.version.map(str::to_owned),
        region: region.map(str::to_owned),
        service: O::SERVICE.signing_name.to_owned(),
    };
    (ctx, wire)
}

impl Seeds {
    pub fn new() -> Self {
        let (tc3_ctx, tc3_wire) = wire_of(
            CreateDiskBackupInput::new("disk-xxxxxxxx").disk_backup_name("nightly"),
            "cbs.tencentcloudapi.com",
            Some("ap-guangzhou"),
        );
        let (api2_ctx, api2_wire) = wire_of(
            ManualBackupInstanceInput::new("crs-izbob1wh").remark("test_api"),
            "redis.api.qcloud.com",
            Some("gz"),
        );
        let (ali_ctx, ali_wire) = wire_of(
            CreateBackupPlanInput::new(
                Region::CnHangzhou,
                DatabaseType::MySql,
                InstanceClass::Small,
                BackupMethod::Logical,
                Period::Month,
                3,
            ),
            "dbs-api.cn-hangzhou.aliyuncs.com",
            Some("cn-hangzhou"),
        );
        let (hw_ctx, hw_wire) = wire_of(
            BatchBackupInstancesInput::new(["iRJEVP9"]),
            "koophone.cn-north-4.myhuaweicloud.com",
            None,
        );
        Self {
            tencent: TencentCredentials::new(
                "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
                TENCENT_SECRET,
            ),
            alibaba: AlibabaCredentials::new("YourAccessKeyId", ALIBABA_SECRET),
            huawei: HuaweiCredentials::ak_sk("QTWAOYTTINDUT2QVKYUC", HUAWEI_SECRET),
            nonce: FixedNonce {
                number: 11886,
                hex: "3156853299f313e23d1673dc12e1703d".into(),
                uuid: "45e25e9b-0a6f-4070-8c85-2956eda1b466".into(),
            },
            tc3_ctx,
            tc3_wire,
            api2_ctx,
            api2_wire,
            ali_ctx,
            ali_wire,
            hw_ctx,
            hw_wire,
        }
    }
}
