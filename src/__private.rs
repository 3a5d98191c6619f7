//! The only surface generated code uses. Not part of the public API; may change at any time.

pub use std::sync::LazyLock;

pub use regex::Regex;
pub use serde_json::{Map as JsonMap, Value};

#[cfg(feature = "blocking")]
pub use crate::client::BlockingRuntime;
pub use crate::client::{Config, ConfigError, Error, ServiceClient};
pub use crate::codec::{
    FieldError, FromJson, FromParam, ToJson, ToParam, WireBuilder, WireReader, optional, required,
};
pub use crate::error_meta::{ErrorMeta, ServiceError};
pub use crate::meta::{ActionInfo, CallLimit, Family, FollowUp, ServiceInfo};
pub use crate::operation::Operation;
pub use crate::registry::{
    ActionEntry, ErrorInfo, FieldInfo, FieldLocation, ResponseFieldInfo, call_dyn, check_wire,
    prepare_dyn,
};
pub use crate::runtime::request::{HttpMethod, WireRequest};
pub use crate::validation::{ValidationErrors, Validator};
