//! The blocking client (feature `blocking`) against the loopback server.
#![cfg(feature = "blocking")]

mod support;

use std::sync::Arc;

use cloudbackup::runtime::{AlibabaCredentials, ManualTimer};
use cloudbackup::{Config, alibaba};
use support::{Server, ali_err, ali_ok};

#[test]
fn blocking_client_calls_and_retries() {
    // The server runs on its own runtime; the blocking client on its private one.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(Server::start(vec![
        ali_err(503, "ServiceUnavailable"),
        ali_ok(),
    ]));
    let client = alibaba::dbs::blocking::Client::new(
        Config::new()
            .endpoint(server.endpoint())
            .credentials(AlibabaCredentials::new("LTAIblock", "block-secret"))
            .timer(Arc::new(ManualTimer::new())),
    )
    .unwrap();
    let input = alibaba::dbs::CreateBackupPlanInput::new(
        alibaba::dbs::create_backup_plan::Region::CnHangzhou,
        alibaba::dbs::create_backup_plan::DatabaseType::MySql,
        alibaba::dbs::create_backup_plan::InstanceClass::Small,
        alibaba::dbs::create_backup_plan::BackupMethod::Logical,
        alibaba::dbs::create_backup_plan::Period::Month,
        1,
    );
    let out = client.create_backup_plan(input).unwrap();
    assert_eq!(out.backup_plan_id.as_deref(), Some("dbs1"));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].query("ClientToken"), reqs[1].query("ClientToken"));
    drop(server);
    drop(rt);
}
