//! cloudbackup: typed, validated, correctly signed clients for cloud backup APIs.
#![forbid(unsafe_code)]

pub mod runtime;

include!(concat!(env!("OUT_DIR"), "/_generated.rs"));
