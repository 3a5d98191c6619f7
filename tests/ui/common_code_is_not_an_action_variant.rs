use cloudbackup::tencent::cbs::CreateDiskBackupError;

fn is_bad_signature(e: &CreateDiskBackupError) -> bool {
    // The TC3 family's common codes are not repeated in every action's error: they are
    // `tencent::Tc3CommonError`, inside `CreateDiskBackupError::Common`.
    matches!(e, CreateDiskBackupError::AuthFailureSignatureFailure(_))
}

fn main() {
    let _ = is_bad_signature;
}
