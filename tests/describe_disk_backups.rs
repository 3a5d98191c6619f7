//! `DescribeDiskBackups`, added with nothing but `specs/tencent/cbs/DescribeDiskBackups.yaml`:
//! its constraints, its cross-field rule, nested request objects and nested response objects.

use cloudbackup::Operation;
use cloudbackup::registry;
use cloudbackup::tencent::cbs::describe_disk_backups::{
    DescribeDiskBackupsInput, DiskBackupState, DiskUsage, Filter, SortOrder,
};

fn filter(name: &str, values: &[&str]) -> Filter {
    use cloudbackup::codec::FromJson;
    Filter::from_json(
        &serde_json::json!({ "Name": name, "Values": values }),
        false,
    )
    .unwrap()
}

#[test]
fn ids_and_filters_are_exclusive() {
    let both = DescribeDiskBackupsInput::new()
        .disk_backup_ids(["dbp-1"])
        .filters([filter("disk-id", &["disk-1"])]);
    let err = both.validate().unwrap_err();
    assert_eq!(err.violations().len(), 1);
    assert_eq!(
        err.violations()[0].to_string(),
        "`Filters`: must not be set when `DiskBackupIds` is set (got a value)"
    );
    assert_eq!(
        DescribeDiskBackupsInput::new()
            .filters([filter("disk-id", &["d"])])
            .validate(),
        Ok(())
    );
    assert_eq!(DescribeDiskBackupsInput::default().validate(), Ok(()));
}

#[test]
fn limit_is_at_most_100() {
    assert_eq!(
        DescribeDiskBackupsInput::new().limit(100).validate(),
        Ok(())
    );
    let err = DescribeDiskBackupsInput::new()
        .limit(101)
        .offset(-1)
        .validate()
        .unwrap_err();
    let fields: Vec<&str> = err.violations().iter().map(|v| v.field.as_str()).collect();
    assert_eq!(fields, ["Offset", "Limit"]);
}

#[test]
fn nested_filters_go_into_the_json_body() {
    let input = DescribeDiskBackupsInput::new()
        .filters([filter("disk-usage", &["DATA_DISK"])])
        .order(SortOrder::Descending)
        .limit(5);
    let wire = input.to_wire(&mut String::new);
    assert_eq!(
        String::from_utf8(wire.body.unwrap()).unwrap(),
        r#"{"Filters":[{"Name":"disk-usage","Values":["DATA_DISK"]}],"Limit":5,"Order":"DESC"}"#
    );
    let back = DescribeDiskBackupsInput::from_wire(&input.to_wire(&mut String::new)).unwrap();
    assert_eq!(back, input);
}

#[test]
fn the_example_response_decodes_with_typed_enums() {
    let entry = registry::find("tencent", "cbs", "DescribeDiskBackups").unwrap();
    let example: serde_json::Value = serde_json::from_str(entry.example_response.unwrap()).unwrap();
    let out = DescribeDiskBackupsInput::parse_output(&example["Response"]).unwrap();
    assert_eq!(out.total_count, Some(1));
    let set = out.disk_backup_set.unwrap();
    assert_eq!(set[0].disk_backup_state, Some(DiskBackupState::Normal));
    assert_eq!(set[0].disk_usage, Some(DiskUsage::DataDisk));
    // A state the spec does not know yet decodes as `Unknown`, not as an error.
    let newer = serde_json::json!({"DiskBackupSet": [{"DiskBackupState": "COPYING"}]});
    let out = DescribeDiskBackupsInput::parse_output(&newer).unwrap();
    assert_eq!(
        out.disk_backup_set.unwrap()[0].disk_backup_state,
        Some(DiskBackupState::Unknown("COPYING".to_owned()))
    );
    assert!(DescribeDiskBackupsInput::ACTION.idempotent);
}

#[cfg(feature = "emulator")]
#[tokio::test]
async fn typed_client_against_the_emulator() {
    use cloudbackup::emulator::config::{DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY};
    use cloudbackup::emulator::{Emulator, EmulatorConfig};
    use cloudbackup::runtime::credentials::TencentCredentials;
    use cloudbackup::tencent::cbs::Client;

    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = Client::new(
        cloudbackup::Config::new()
            .endpoint(emu.base_url())
            .region("ap-guangzhou")
            .credentials(TencentCredentials::new(
                DEFAULT_TENCENT_SECRET_ID,
                DEFAULT_TENCENT_SECRET_KEY,
            )),
    )
    .unwrap();
    // An id the emulator never made matches nothing; one it made is listed.
    let none = client
        .describe_disk_backups(
            DescribeDiskBackupsInput::new()
                .disk_backup_ids(["dbp-1"])
                .limit(5),
        )
        .await
        .expect("the emulator serves the new action");
    assert!(none.request_id.is_some());
    assert_eq!(none.total_count, Some(0));
    let made = client
        .create_disk_backup(cloudbackup::tencent::cbs::CreateDiskBackupInput::new(
            "disk-1",
        ))
        .await
        .unwrap()
        .disk_backup_id
        .unwrap();
    let out = client
        .describe_disk_backups(DescribeDiskBackupsInput::new().disk_backup_ids([made.clone()]))
        .await
        .unwrap();
    let set = out.disk_backup_set.unwrap();
    assert_eq!(set.len(), 1);
    assert_eq!(set[0].disk_backup_id.as_deref(), Some(made.as_str()));
    assert_eq!(set[0].disk_id.as_deref(), Some("disk-1"));
    // The rule holds client-side: nothing reaches the emulator.
    let before = emu
        .state()
        .calls
        .get("tencent/cbs/DescribeDiskBackups")
        .map_or(0, |c| c.received);
    let err = client
        .describe_disk_backups(
            DescribeDiskBackupsInput::new()
                .disk_backup_ids(["dbp-1"])
                .filters([filter("disk-id", &["d"])]),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, cloudbackup::Error::Validation(_)), "{err}");
    let after = emu
        .state()
        .calls
        .get("tencent/cbs/DescribeDiskBackups")
        .map_or(0, |c| c.received);
    assert_eq!(before, after);
    emu.shutdown();
}
