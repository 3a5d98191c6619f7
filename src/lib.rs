#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

// A build without any provider has no client to offer (and `Credentials` no variant).
#[cfg(not(any(feature = "tencent", feature = "alibaba", feature = "huawei")))]
compile_error!(
    "cloudbackup needs at least one service feature (`tencent-cbs`, `alibaba-dbs`, ...) \
     or provider feature (`tencent`, `alibaba`, `huawei`)"
);

pub mod client;
pub mod codec;
#[cfg(feature = "emulator")]
pub mod emulator;
pub mod error_meta;
pub mod meta;
pub mod operation;
pub mod registry;
pub mod runtime;
pub mod validation;

#[doc(hidden)]
pub mod __private;

pub use client::{Config, ConfigError, Credentials, Error};
pub use error_meta::{ErrorMeta, ServiceError};
/// The date-time crate of timestamp fields (`jiff::Timestamp`, `jiff::civil::DateTime`,
/// `jiff::civil::Date`), re-exported so callers use the same version.
pub use jiff;
pub use operation::Operation;
pub use validation::{ValidationErrors, ValidationMode, Violation};

include!(concat!(env!("OUT_DIR"), "/_generated.rs"));

// The walk-through's Rust examples, compiled as doctests.
#[cfg(all(doctest, feature = "tencent-cbs", feature = "huawei-koophone"))]
#[doc = include_str!("../docs/adding-an-action.md")]
mod adding_an_action {}
