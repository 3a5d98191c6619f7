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
    parse_error_dyn, parse_output_dyn, prepare_dyn,
};
pub use crate::runtime::request::{HttpMethod, WireRequest};
pub use crate::validation::{ValidationErrors, Validator};

// Standard names under the runtime path: generated code names them `__rt::Some`,
// `__rt::String`, … (short, and still independent of the prelude, which a spec type named
// `Option` or `Result` would shadow).
pub use ::core::convert::{Into, TryFrom};
pub use ::core::fmt;
pub use ::core::option::Option::{self, None, Some};
pub use ::core::result::Result::{self, Err, Ok};
pub use ::std::borrow::ToOwned;
pub use ::std::string::{String, ToString};
pub use ::std::vec::Vec;
