//! The only surface generated code uses. Not part of the public API; may change at any time.

pub use std::sync::LazyLock;

pub use regex_lite::Regex;
pub use serde_json::{Map as JsonMap, Value};

pub use jiff::Timestamp;
pub use jiff::civil::{Date as CivilDate, DateTime};

#[cfg(feature = "blocking")]
pub use crate::client::BlockingRuntime;
#[cfg(feature = "blocking")]
pub use crate::client::paginate::{BlockingItems, BlockingPages};
pub use crate::client::paginate::{Cursor, PageInfo, PageStyle, Paginated, Paginator};
pub use crate::client::waiter::{
    Acceptance, WaitError, WaitOptions, WaitResult, Waited, WaiterDef, classify, wait,
};
pub use crate::client::{Config, ConfigError, Error, ServiceClient};
pub use crate::codec::{
    Comma, Date, EpochMillis, EpochSeconds, FieldError, FromJson, FromParam, JsonFormat, JsonList,
    LocalDateTime, ParamFormat, Plain, Rfc3339, ToJson, ToParam, WireBuilder, WireReader, optional,
    optional_as, required, required_as, to_json_as,
};
pub use crate::error_meta::{ErrorMeta, ServiceError};
pub use crate::meta::{ActionInfo, CallLimit, Family, FollowUp, ServiceInfo};
pub use crate::operation::Operation;
pub use crate::registry::emulation::{
    CreateOp, DeleteOp, EmulatorOps, FilterOp, IdStyle, ListOp, Literal, ReadOp, ResourceKind,
    StateValue, Transition, When,
};
pub use crate::registry::{
    ActionEntry, DynWait, ErrorInfo, FieldInfo, FieldLocation, ListStyle, PaginateEntry,
    ResponseFieldInfo, TimeFormat, ValueType, WaiterEntry, call_dyn, check_wire, collect_dyn,
    parse_error_dyn, parse_output_dyn, prepare_dyn, request_json, wait_dyn,
};
pub use crate::runtime::request::{HttpMethod, WireRequest};
pub use crate::validation::{Compare, ValidationErrors, Validator};

// Standard names under the runtime path: generated code names them `__rt::Some`,
// `__rt::String`, … (short, and still independent of the prelude, which a spec type named
// `Option` or `Result` would shadow).
pub use ::core::clone::Clone;
pub use ::core::convert::{Into, TryFrom};
pub use ::core::fmt;
pub use ::core::option::Option::{self, None, Some};
pub use ::core::result::Result::{self, Err, Ok};
pub use ::core::time::Duration;
pub use ::std::borrow::ToOwned;
pub use ::std::string::{String, ToString};
pub use ::std::vec::Vec;
