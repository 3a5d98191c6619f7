//! The trait every generated `<Action>Input` implements: what a client needs to run an action.

use serde_json::Value;

use crate::codec::FieldError;
use crate::error_meta::{ErrorMeta, ServiceError};
use crate::meta::{ActionInfo, ServiceInfo};
use crate::runtime::request::WireRequest;
use crate::validation::ValidationErrors;

/// One action's request type, with everything a client needs to send it and read the answer.
pub trait Operation {
    /// The typed success.
    type Output;
    /// The typed error.
    type Error: ServiceError;
    /// The service the action belongs to.
    const SERVICE: &'static ServiceInfo;
    /// The action.
    const ACTION: &'static ActionInfo;
    /// Every violation of the spec's constraints and rules.
    fn validate(&self) -> Result<(), ValidationErrors>;
    /// Fills the idempotency token, if the action has one and it is unset. Call once per
    /// logical call, before the first attempt, so every attempt carries the same token.
    fn fill_idempotency_token(&mut self, make: &mut dyn FnMut() -> String);
    /// The unsigned request. `fresh_id` supplies request ids that are new for every attempt.
    fn to_wire(&self, fresh_id: &mut dyn FnMut() -> String) -> WireRequest;
    /// Reads the typed input back from a request (the emulator's and the CLI's side).
    fn from_wire(wire: &WireRequest) -> Result<Self, FieldError>
    where
        Self: Sized;
    /// Reads the typed success from the family's payload.
    fn parse_output(payload: &Value) -> Result<Self::Output, FieldError>;
    /// Maps a service error to the action's typed error.
    fn parse_error(meta: ErrorMeta) -> Self::Error;
}
