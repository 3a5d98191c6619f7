use cloudbackup::tencent::cbs::CreateDiskBackupInput;

fn main() {
    // Inputs are `#[non_exhaustive]`: build them with `new`, so a new required field is a
    // compile error in the constructor, not a silent default.
    let _ = CreateDiskBackupInput {
        disk_id: "disk-1".to_owned(),
        disk_backup_name: None,
    };
}
