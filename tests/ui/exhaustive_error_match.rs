use cloudbackup::tencent::redis::ManualBackupInstanceError;

fn describe(e: &ManualBackupInstanceError) -> &'static str {
    // Error enums are `#[non_exhaustive]`: a new documented code must not break callers.
    match e {
        ManualBackupInstanceError::InvalidParameter(_) => "bad parameter",
        ManualBackupInstanceError::Unhandled(_) => "other",
    }
}

fn main() {
    let _ = describe;
}
