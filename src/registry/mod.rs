//! Every generated action, described for tools that work on any of them: the emulator (which
//! decodes and validates requests server-side) and the CLI (help text, parameters).

pub mod emulation;
mod lifecycle;

pub use lifecycle::{
    DynCollect, DynWait, DynWaitError, DynWaited, PaginateEntry, WaiterEntry, collect_dyn, wait_dyn,
};

use crate::codec::FieldError;
pub use crate::codec::TimeFormat;
use crate::error_meta::{ErrorMeta, ServiceError};
use crate::meta::{ActionInfo, ServiceInfo};
use crate::runtime::request::WireRequest;
use crate::validation::ValidationErrors;

/// Where a request field travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldLocation {
    /// Query or form parameter (the family decides which by method).
    Param,
    /// JSON body member.
    Json,
    /// HTTP header.
    Header,
    /// A `{name}` segment of the path.
    Path,
}

/// How a list field travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListStyle {
    /// Parameters `Name.<start>`, `Name.<start+1>`, ...
    Indexed(usize),
    /// One value `a,b,c`.
    Comma,
    /// A JSON array (a JSON member, or one parameter holding the array's JSON text).
    Json,
}

/// The shape of a value, for tools that build or read values of any action (the emulator's
/// answers, the CLI's parameters): the one structured description of a field's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    /// A string.
    String,
    /// A 32-bit integer.
    Int32,
    /// A 64-bit integer.
    Int64,
    /// A floating-point number.
    Float64,
    /// A boolean.
    Bool,
    /// A date-time in a wire format.
    Timestamp(TimeFormat),
    /// A string enumeration: its values.
    Enum(&'static [&'static str]),
    /// An integer enumeration: its values.
    IntEnum(&'static [i64]),
    /// An object: its members.
    Object(&'static [ResponseFieldInfo]),
    /// A list of items, written as the style says.
    List(&'static ValueType, ListStyle),
}

/// A request field, for help texts and for building requests from `Name=value` pairs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldInfo {
    /// Wire name.
    pub wire: &'static str,
    /// Type, as a spec author writes it (`string`, `int32`, `array of string`, `enum: Year|Month`,
    /// `integer enum: 0|1`, `object Filter`).
    pub ty: &'static str,
    /// Whether the user must give it (generated values are not required of the user).
    pub required: bool,
    /// Where it goes.
    pub location: FieldLocation,
    /// How the list travels, for list fields.
    pub list: Option<ListStyle>,
    /// The value's shape.
    pub value: ValueType,
    /// The service's default, as wire text (`default:` in the spec).
    pub default: Option<&'static str>,
    /// A secret (`sensitive: true`): tools never show or store its value.
    pub sensitive: bool,
    /// How a generated value is made (`generated:` in the spec), for generated fields.
    pub generated: Option<&'static str>,
    /// The spec's whole doc (trimmed; may span lines).
    pub doc: &'static str,
    /// The constraints, worded as the reference pages word them (`length 1..=60 chars`,
    /// `items 1..=100; each item: length 1..=32 chars`); empty when there are none.
    pub constraints: &'static str,
}

/// A response field (or a member of an object), for the emulator (which builds answers) and
/// for docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResponseFieldInfo {
    /// Wire name.
    pub name: &'static str,
    /// Dotted path in the family's payload (`data.flowId`), relative to the enclosing object for
    /// members of objects.
    pub path: &'static str,
    /// Type, as a spec author writes it (`string`, `int64`, `array of object CmdJob`).
    pub ty: &'static str,
    /// Whether the field is always present (`required`).
    pub required: bool,
    /// The value's shape.
    pub value: ValueType,
}

/// A documented error, for the emulator's fault injection and for docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorInfo {
    /// Code on the wire.
    pub code: &'static str,
    /// HTTP status it comes with, if documented.
    pub status: Option<u16>,
    /// Retryable per the spec.
    pub retryable: bool,
    /// Doc.
    pub doc: &'static str,
}

/// Why a received request was refused before any work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WireCheckError {
    /// A field is missing or does not parse.
    Decode(FieldError),
    /// The fields parse but break the spec's constraints.
    Invalid(ValidationErrors),
}

impl std::fmt::Display for WireCheckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WireCheckError::Decode(e) => write!(f, "{e}"),
            WireCheckError::Invalid(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for WireCheckError {}

/// One generated action.
#[derive(Clone, Copy, Debug)]
pub struct ActionEntry {
    /// Its service.
    pub service: &'static ServiceInfo,
    /// The action.
    pub action: &'static ActionInfo,
    /// One-line summary.
    pub summary: &'static str,
    /// Request fields, in spec order.
    pub fields: &'static [FieldInfo],
    /// Response fields, in spec order.
    pub response: &'static [ResponseFieldInfo],
    /// Documented errors of the action and its service (the variants of its own).
    pub errors: &'static [ErrorInfo],
    /// The API family's common errors, one table shared by every action of the family (the
    /// `Common` variant of the action's error). A code also in `errors` is the action's.
    pub common_errors: &'static [ErrorInfo],
    /// The first example response of the spec, verbatim.
    pub example_response: Option<&'static str>,
    /// Decodes a request into the typed input and validates it.
    pub check_wire: fn(&WireRequest) -> Result<(), WireCheckError>,
    /// Reads the family's success payload into the typed output (`parse_output`), returned as
    /// JSON (see [`parse_output_dyn`]).
    pub parse_output: fn(&serde_json::Value) -> Result<serde_json::Value, FieldError>,
    /// Maps a service error to the action's typed error (`parse_error`), boxed (see
    /// [`parse_error_dyn`]).
    pub parse_error: fn(ErrorMeta) -> Box<dyn ServiceError + Send + Sync>,
    /// Runs the action through a client of its service (see [`call_dyn`]).
    pub call: for<'a> fn(&'a crate::client::ServiceClient, WireRequest) -> DynCall<'a>,
    /// Signs the action without sending it (see [`prepare_dyn`]).
    pub prepare: fn(
        &crate::client::ServiceClient,
        WireRequest,
    ) -> Result<crate::runtime::request::SignedRequest, DynError>,
    /// The request as JSON members by wire name, in their wire formats (`from_wire`, then the
    /// typed input's JSON): what the emulator stores.
    pub request_json: fn(&WireRequest) -> Result<serde_json::Value, FieldError>,
    /// What the emulator does with the service's resources for this action.
    pub emulator: emulation::EmulatorOps,
    /// How the action pages, for list actions (`paginate:`).
    pub paginate: Option<PaginateEntry>,
    /// The waiters polling this action (`waiters:`).
    pub waiters: &'static [WaiterEntry],
}

impl ActionEntry {
    /// Every documented error of the action: its own and its service's, then the family's
    /// common ones it does not redefine.
    pub fn documented_errors(&self) -> impl Iterator<Item = &'static ErrorInfo> + 'static {
        let own = self.errors;
        own.iter().chain(
            self.common_errors
                .iter()
                .filter(move |c| !own.iter().any(|e| e.code == c.code)),
        )
    }

    /// The documented error with this code, the action's own first.
    pub fn error(&self, code: &str) -> Option<&'static ErrorInfo> {
        self.errors
            .iter()
            .chain(self.common_errors)
            .find(|e| e.code == code)
    }

    /// `provider/service/Action`.
    pub fn path(&self) -> String {
        format!(
            "{}/{}/{}",
            self.service.provider, self.service.service, self.action.name
        )
    }
}

/// Reads a request back with `O`'s typed input and returns its JSON; used by generated entries.
pub fn request_json<O: crate::Operation + crate::codec::ToJson>(
    w: &WireRequest,
) -> Result<serde_json::Value, FieldError> {
    O::from_wire(w).map(|i| i.to_json())
}

/// Decodes and validates a request with the action's typed input; used by generated entries.
pub fn check_wire<O: crate::Operation>(w: &WireRequest) -> Result<(), WireCheckError> {
    let input = O::from_wire(w).map_err(WireCheckError::Decode)?;
    input.validate().map_err(WireCheckError::Invalid)
}

/// Every generated action of the enabled services, sorted by provider, service and action.
pub fn all() -> Vec<&'static ActionEntry> {
    crate::generated_registry()
}

/// The action `provider/service/Action`, if generated.
pub fn find(provider: &str, service: &str, action: &str) -> Option<&'static ActionEntry> {
    all().into_iter().find(|e| {
        e.service.provider == provider && e.service.service == service && e.action.name == action
    })
}

/// What a type-erased call ([`ActionEntry::call`]) failed with: the kind, and one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DynError {
    /// Which kind of failure.
    pub kind: DynErrorKind,
    /// One line: code, message and request id for service errors.
    pub message: String,
    /// The service's code, for service errors.
    pub code: Option<String>,
    /// The request id, when known.
    pub request_id: Option<String>,
}

/// The kinds of [`DynError`] (the variants of [`crate::Error`], plus bad input).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DynErrorKind {
    /// Parameters that do not parse (wrong type, missing, unknown).
    BadInput,
    /// The spec's validators refused the request.
    Validation,
    /// The service answered with an error.
    Service,
    /// The client's rate limiter refused the call.
    Throttled,
    /// Connect, send or timeout failure.
    Transport,
    /// The answer could not be decoded.
    Decode,
    /// No usable credentials.
    Credentials,
    /// Endpoint, region or signing configuration.
    Config,
}

impl std::fmt::Display for DynError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DynError {}

impl DynError {
    /// A [`DynErrorKind::BadInput`] error.
    pub fn bad_input(message: impl Into<String>) -> Self {
        DynError {
            kind: DynErrorKind::BadInput,
            message: message.into(),
            code: None,
            request_id: None,
        }
    }
}

impl<E: crate::ServiceError> From<crate::Error<E>> for DynError {
    fn from(e: crate::Error<E>) -> Self {
        use crate::Error as X;
        let kind = match &e {
            X::Validation(_) => DynErrorKind::Validation,
            X::Service(_) => DynErrorKind::Service,
            X::Throttled(_) => DynErrorKind::Throttled,
            X::Transport(_) => DynErrorKind::Transport,
            X::Decode(_) => DynErrorKind::Decode,
            X::Credentials(_) => DynErrorKind::Credentials,
            _ => DynErrorKind::Config,
        };
        DynError {
            kind,
            message: e.to_string(),
            code: e.service_meta().map(|m| m.code.clone()),
            request_id: e.request_id().map(str::to_owned),
        }
    }
}

/// A boxed future of a type-erased call.
pub type DynCall<'a> = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<serde_json::Value, DynError>> + Send + 'a>,
>;

/// Reads `O`'s typed output from a success payload, as JSON; used by generated entries (tools
/// and tests that read any action's answer, such as the `decode` fuzz target).
///
/// # Errors
///
/// The field that does not parse, as `O::parse_output` reports it.
pub fn parse_output_dyn<O>(payload: &serde_json::Value) -> Result<serde_json::Value, FieldError>
where
    O: crate::Operation,
    O::Output: crate::codec::ToJson,
{
    O::parse_output(payload).map(|out| crate::codec::ToJson::to_json(&out))
}

/// Maps a service error to `O`'s typed error, boxed: its `Debug` form names the variant, and
/// [`ServiceError::is_retryable`] says what the spec says; used by generated entries.
pub fn parse_error_dyn<O>(meta: ErrorMeta) -> Box<dyn ServiceError + Send + Sync>
where
    O: crate::Operation,
    O::Error: Send + Sync + 'static,
{
    Box::new(O::parse_error(meta))
}

/// Runs `O` through the typed client from a request read back with `from_wire`, returning the
/// typed output as JSON; used by generated entries (the CLI's `call`).
pub fn call_dyn<O>(client: &crate::client::ServiceClient, wire: WireRequest) -> DynCall<'_>
where
    O: crate::Operation + Send + Sync + 'static,
    O::Output: crate::codec::ToJson + Send,
    O::Error: Send,
{
    Box::pin(async move {
        let input = O::from_wire(&wire).map_err(|e| DynError::bad_input(e.to_string()))?;
        let out = client.call(input).await.map_err(DynError::from)?;
        Ok(crate::codec::ToJson::to_json(&out))
    })
}

/// Signs `O` without sending it (the CLI's `--dry-run`); used by generated entries.
pub fn prepare_dyn<O: crate::Operation>(
    client: &crate::client::ServiceClient,
    wire: WireRequest,
) -> Result<crate::runtime::request::SignedRequest, DynError> {
    let input = O::from_wire(&wire).map_err(|e| DynError::bad_input(e.to_string()))?;
    client.prepare(input).map_err(DynError::from)
}
