use cloudbackup::tencent::cbs::CreateDiskBackupInput;

fn main() {
    // The field is `DiskBackupName`; there is no `disk_name`.
    let _ = CreateDiskBackupInput::new("disk-1").disk_name("nightly");
}
