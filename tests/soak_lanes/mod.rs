//! The lanes of the lifecycle soak (`soak_lifecycle.rs`): the lane itself (its emulator, its
//! virtual time, its calls under faults), the waits, the ledger of what the client saw, the
//! figures, and one module per service.

pub(crate) mod figures;
pub(crate) mod lane;
pub(crate) mod ledger;
pub(crate) mod waiting;

pub(crate) mod cbs;
pub(crate) mod dbs;
pub(crate) mod koophone;
pub(crate) mod redis;
pub(crate) mod redis_v3;
pub(crate) mod sqlserver;
pub(crate) mod sqlserver_v3;
