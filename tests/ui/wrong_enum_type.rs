use cloudbackup::alibaba::dbs::create_backup_plan::{
    BackupMethod, CreateBackupPlanInput, InstanceClass, Period, Region,
};

fn main() {
    // A `Period` where the `DatabaseType` goes.
    let _ = CreateBackupPlanInput::new(
        Region::CnHangzhou,
        Period::Year,
        InstanceClass::Small,
        BackupMethod::Logical,
        Period::Year,
        1,
    );
}
