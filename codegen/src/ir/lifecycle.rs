//! The lifecycle parts of the model: paging, waiters, and the emulator's resources.

use super::{RuleValue, Ty};
use crate::naming::Ident;

/// A path through the output: response fields by index, then members of object types.
#[derive(Debug, Clone, PartialEq)]
pub struct OutPath {
    /// The steps.
    pub steps: Vec<OutStep>,
    /// The path as written (`Items.BackupPlanDetail`).
    pub text: String,
}

/// One step of an [`OutPath`].
#[derive(Debug, Clone, PartialEq)]
pub struct OutStep {
    /// Wire name of the field.
    pub wire: String,
    /// The field's path in the payload (its `path:`, else its name).
    pub json: Vec<String>,
    /// Rust name of the field.
    pub rust: Ident,
    /// Whether the field is `Option<T>` (not `required`).
    pub optional: bool,
    /// The field's type.
    pub ty: Ty,
    /// `[]`: every item of the list continues the path.
    pub each: bool,
}

impl OutPath {
    /// The path in the JSON payload (`Items.BackupPlanDetail`, `DiskBackupSet[].State`).
    pub fn json_text(&self) -> String {
        self.steps
            .iter()
            .map(|s| {
                let mut t = s.json.join(".");
                if s.each {
                    t.push_str("[]");
                }
                t
            })
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// The paging styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    /// Page number and page size; the first page's number.
    PageNumber {
        /// 0 or 1.
        first: i64,
    },
    /// Offset and limit.
    Offset,
    /// An opaque marker (next token).
    Marker,
}

/// How a list action pages.
#[derive(Debug, Clone)]
pub struct Paginate {
    /// The style.
    pub style: PageStyle,
    /// Index of the request field holding the page number, offset or marker.
    pub page: usize,
    /// Index of the request field holding the page size.
    pub size: Option<usize>,
    /// Path to the array of items.
    pub items: OutPath,
    /// Path to the total number of items.
    pub total: Option<OutPath>,
    /// Path to the total number of pages.
    pub total_pages: Option<OutPath>,
    /// Path to the next marker.
    pub next: Option<OutPath>,
}

/// What a service error code means for a wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitResult {
    /// The wait ends successfully.
    Success,
    /// The wait ends as failed.
    Failure,
    /// The waiter polls again.
    Retry,
}

/// A waiter polling an action.
#[derive(Debug, Clone)]
pub struct Waiter {
    /// UpperCamelCase name.
    pub name: Ident,
    /// snake_case name (`wait_until_<snake>`).
    pub snake: Ident,
    /// Docs.
    pub doc: Option<String>,
    /// Path to the state.
    pub state: OutPath,
    /// Success states (wire text).
    pub success: Vec<String>,
    /// Failure states.
    pub failure: Vec<String>,
    /// Retry states; when `Some`, any other state fails the wait.
    pub retry: Option<Vec<String>>,
    /// Error codes and what they mean.
    pub errors: Vec<(String, WaitResult)>,
    /// Seconds between polls.
    pub interval: u32,
    /// Seconds in all.
    pub timeout: u32,
    /// How the input is built from another action's output.
    pub from: Option<WaiterFrom>,
}

/// `from:` of a waiter, resolved.
#[derive(Debug, Clone)]
pub struct WaiterFrom {
    /// The other action's name.
    pub action: Ident,
    /// Its snake_case module.
    pub action_snake: Ident,
    /// (index of the polled action's request field, where its value comes from).
    pub fields: Vec<(usize, FromSource)>,
}

/// Where a `from:` value comes from.
#[derive(Debug, Clone)]
pub enum FromSource {
    /// A path in the other action's output.
    Output(OutPath),
    /// A request field of the other action, by index.
    Request(usize),
}

impl WaiterFrom {
    /// Whether some value comes from the other action's request (the input constructor then
    /// takes that request too).
    pub fn uses_request(&self) -> bool {
        self.fields
            .iter()
            .any(|(_, s)| matches!(s, FromSource::Request(_)))
    }
}

/// How the emulator mints ids of a resource kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdStyle {
    /// `prefix` followed by `length` lowercase hex digits.
    Prefixed {
        /// Text before the digits.
        prefix: String,
        /// Number of digits.
        length: u32,
    },
    /// 1, 2, 3, ...
    Counter,
}

/// A timed move between two states.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    /// The state left.
    pub from: RuleValue,
    /// The state reached.
    pub to: RuleValue,
    /// Seconds after entering `from`.
    pub after: u32,
}

/// A resource kind the emulator keeps.
#[derive(Debug, Clone)]
pub struct Resource {
    /// UpperCamelCase name.
    pub kind: String,
    /// Docs.
    pub doc: Option<String>,
    /// How ids look.
    pub id: IdStyle,
    /// The attribute holding the state.
    pub state: Option<String>,
    /// The state of a new resource.
    pub initial: Option<RuleValue>,
    /// Timed moves.
    pub transitions: Vec<Transition>,
    /// The attribute set to the creation time.
    pub created: Option<String>,
}

/// A resource read (and maybe updated) by id.
#[derive(Debug, Clone)]
pub struct ReadOp {
    /// Resource kind.
    pub kind: String,
    /// Wire name of the request field holding the id.
    pub id: String,
    /// Error code for an unknown id; `None`: an unknown id skips the read.
    pub not_found: Option<String>,
    /// States the resource must be in.
    pub require: Vec<RuleValue>,
    /// Error code for another state.
    pub conflict: Option<String>,
    /// JSON path of the output object the resource answers (empty: the payload).
    pub into: String,
    /// The state it moves to.
    pub state: Option<RuleValue>,
    /// Whether the request's fields are stored into it.
    pub set: bool,
    /// The condition on the request for the read to happen.
    pub when: Option<OpCondition>,
}

/// A condition on the request an operation depends on (`when:`), by wire name.
#[derive(Debug, Clone, PartialEq)]
pub enum OpCondition {
    /// The field is set and equals the value.
    Equals(String, RuleValue),
    /// The field is unset or differs from the value.
    NotEquals(String, RuleValue),
    /// The field is set (`true`) or unset (`false`).
    Present(String, bool),
}

/// A resource created.
#[derive(Debug, Clone)]
pub struct CreateOp {
    /// Resource kind.
    pub kind: String,
    /// JSON path receiving the new id (with `each`: the member of each item); `None`: the
    /// answer does not show it.
    pub id: Option<String>,
    /// The attribute holding the id.
    pub attribute: String,
    /// Further attributes: (name, value or `{Name}` template).
    pub attributes: Vec<(String, RuleValue)>,
    /// The condition on the request for the creation to happen.
    pub when: Option<OpCondition>,
    /// Wire name of the request list with one resource per item.
    pub each: Option<String>,
    /// The attribute holding the item.
    pub as_attr: Option<String>,
    /// JSON path of the shared id.
    pub group: Option<String>,
    /// JSON path of the list of created resources.
    pub items: Option<String>,
}

/// A resource deleted.
#[derive(Debug, Clone)]
pub struct DeleteOp {
    /// Resource kind.
    pub kind: String,
    /// Wire name of the request field with the id or ids; `None`: a selection deletes.
    pub id: Option<String>,
    /// The attribute the ids name resources by; `None`: the resource's id.
    pub attribute: Option<String>,
    /// Error code for an unknown id; `None`: unknown ids are ignored.
    pub not_found: Option<String>,
    /// Selection: (request field, attribute) with equal values.
    pub matches: Vec<(String, String)>,
    /// Selection: (request field, attribute) at or after the field's time.
    pub after: Option<(String, String)>,
    /// Selection: (request field, attribute) at or before the field's time.
    pub before: Option<(String, String)>,
    /// The condition on the request for the deletion to happen.
    pub when: Option<OpCondition>,
}

/// `{Name, Values}` filters of a list.
#[derive(Debug, Clone)]
pub struct FilterOp {
    /// Wire name of the request field holding the filters.
    pub field: String,
    /// (filter name, attribute).
    pub names: Vec<(String, String)>,
}

/// The resources a list action answers with.
#[derive(Debug, Clone)]
pub struct ListOp {
    /// Resource kind.
    pub kind: String,
    /// JSON path of the items.
    pub items: String,
    /// (request field, attribute): equal values select.
    pub matches: Vec<(String, String)>,
    /// Filter objects.
    pub filters: Option<FilterOp>,
    /// (request field, attribute): the attribute's time is at or after the field's.
    pub after: Option<(String, String)>,
    /// (request field, attribute): the attribute's time is at or before the field's.
    pub before: Option<(String, String)>,
}

/// What the emulator does for an action.
#[derive(Debug, Clone, Default)]
pub struct EmulatorOps {
    /// Resources read by id.
    pub read: Vec<ReadOp>,
    /// Resources created.
    pub create: Vec<CreateOp>,
    /// Resources deleted.
    pub delete: Vec<DeleteOp>,
    /// The list answered.
    pub list: Option<ListOp>,
}
