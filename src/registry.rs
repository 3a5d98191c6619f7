//! Every generated action, described for tools that work on any of them: the emulator (which
//! decodes and validates requests server-side) and the CLI (help text, parameters).

use crate::codec::FieldError;
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
}

/// A request field, for help texts and for building requests from `Name=value` pairs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldInfo {
    /// Wire name.
    pub wire: &'static str,
    /// Type, as a spec author writes it (`string`, `int32`, `array of string`, `enum: Year|Month`).
    pub ty: &'static str,
    /// Whether the user must give it (generated values are not required of the user).
    pub required: bool,
    /// Where it goes.
    pub location: FieldLocation,
    /// First index of a flattened array (`Some(0)` for `name.0`), `None` when not flattened.
    pub flatten_from: Option<usize>,
    /// One-line doc.
    pub doc: &'static str,
}

/// A response field, for the emulator (which synthesises successes) and for docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResponseFieldInfo {
    /// Dotted path in the family's payload (`data.flowId`), relative to the enclosing object for
    /// members of objects.
    pub path: &'static str,
    /// Type, as a spec author writes it (`string`, `int64`, `array of object CmdJob`).
    pub ty: &'static str,
    /// Members, for objects and arrays of objects.
    pub fields: &'static [ResponseFieldInfo],
    /// Enumeration values, for enums and arrays of enums.
    pub values: &'static [&'static str],
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
    /// Documented errors (the action's, the service's and the family's).
    pub errors: &'static [ErrorInfo],
    /// The first example response of the spec, verbatim.
    pub example_response: Option<&'static str>,
    /// Decodes a request into the typed input and validates it.
    pub check_wire: fn(&WireRequest) -> Result<(), WireCheckError>,
}

impl ActionEntry {
    /// `provider/service/Action`.
    pub fn path(&self) -> String {
        format!(
            "{}/{}/{}",
            self.service.provider, self.service.service, self.action.name
        )
    }
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
