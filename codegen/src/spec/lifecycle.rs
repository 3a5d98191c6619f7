//! The lifecycle parts of the spec files: paging, waiters, and what the emulator keeps.

use serde::Deserialize;

use super::{ConditionSpec, S, Scalar};

/// How a list action pages (`paginate:`).
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PaginateSpec {
    /// `page-number`, `offset` or `marker`.
    pub style: S<String>,
    /// Request field holding the page number, the offset or the marker.
    pub page: S<String>,
    /// Request field holding the page size.
    #[serde(default)]
    pub size: Option<S<String>>,
    /// `page-number`: the number of the first page (0 or 1).
    #[serde(default)]
    pub first_page: Option<S<i64>>,
    /// Output path (response field names, dotted) to the array of items.
    pub items: S<String>,
    /// Output path to the total number of items.
    #[serde(default)]
    pub total: Option<S<String>>,
    /// `page-number`: output path to the total number of pages.
    #[serde(default)]
    pub total_pages: Option<S<String>>,
    /// `marker`: output path to the next marker.
    #[serde(default)]
    pub next: Option<S<String>>,
}

/// A waiter that polls the action until a state is reached (`waiters:`).
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WaiterSpec {
    /// UpperCamelCase name: `wait_until_<name in snake_case>`.
    pub name: S<String>,
    /// Docs.
    #[serde(default)]
    pub doc: Option<S<String>>,
    /// Output path to the state; `[]` after a list field means every item.
    pub state: S<String>,
    /// States that end the wait successfully.
    pub success: Vec<S<Scalar>>,
    /// States that end the wait as failed.
    #[serde(default)]
    pub failure: Vec<S<Scalar>>,
    /// States that keep polling; when given, any other state fails the wait.
    #[serde(default)]
    pub retry: Option<Vec<S<Scalar>>>,
    /// Service error codes that end or continue the wait.
    #[serde(default)]
    pub errors: Vec<WaiterErrorSpec>,
    /// Seconds between polls (default 5).
    #[serde(default)]
    pub interval: Option<S<i64>>,
    /// Seconds in all (default 300).
    #[serde(default)]
    pub timeout: Option<S<i64>>,
    /// How the input is built from another action's output.
    #[serde(default)]
    pub from: Option<WaiterFromSpec>,
}

/// `errors:` of a waiter: what a service error code means for the wait.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WaiterErrorSpec {
    /// The code.
    pub code: S<Scalar>,
    /// `success`, `failure` or `retry`.
    pub result: S<String>,
}

/// `from:` of a waiter.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WaiterFromSpec {
    /// The action of the same service whose output starts the wait.
    pub action: S<String>,
    /// Input fields of the polled action and the output fields they come from.
    pub fields: Vec<WaiterFieldSpec>,
}

/// One `{ input, output }` (or `{ input, request }`) pair of `from.fields`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WaiterFieldSpec {
    /// Request field of the polled action.
    pub input: S<String>,
    /// Output path of the `from` action.
    #[serde(default)]
    pub output: Option<S<String>>,
    /// Request field of the `from` action (a path parameter such as `project_id`).
    #[serde(default)]
    pub request: Option<S<String>>,
}

/// A resource kind the emulator keeps (`resources:` in `_service.yaml`).
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ResourceSpec {
    /// UpperCamelCase name, unique in the service.
    pub kind: S<String>,
    /// Docs.
    #[serde(default)]
    pub doc: Option<S<String>>,
    /// How new ids look.
    pub id: IdSpec,
    /// The attribute holding the resource's state.
    #[serde(default)]
    pub state: Option<S<String>>,
    /// The state of a new resource.
    #[serde(default)]
    pub initial: Option<S<Scalar>>,
    /// Timed moves between states, on the emulator's clock.
    #[serde(default)]
    pub transitions: Vec<TransitionSpec>,
    /// The attribute set to the creation time.
    #[serde(default)]
    pub created: Option<S<String>>,
}

/// How the emulator mints ids: `prefix` and `length` hex digits, or a counter.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IdSpec {
    /// Text before the digits (`dbp-`).
    #[serde(default)]
    pub prefix: Option<S<String>>,
    /// Number of lowercase hex digits after the prefix (default 8).
    #[serde(default)]
    pub length: Option<S<i64>>,
    /// `true`: ids are 1, 2, 3, ... (integers where the field is one).
    #[serde(default)]
    pub counter: Option<S<bool>>,
}

/// `{ from, to, after }`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TransitionSpec {
    /// The state left.
    pub from: S<Scalar>,
    /// The state reached.
    pub to: S<Scalar>,
    /// Seconds after entering `from`.
    pub after: S<i64>,
}

/// `emulator:` of an action.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EmulatorSpec {
    /// Resources that must exist (and may be updated); they answer the action.
    #[serde(default)]
    pub read: Vec<ReadSpec>,
    /// Resources the action creates.
    #[serde(default)]
    pub create: Vec<CreateSpec>,
    /// Resources the action deletes.
    #[serde(default)]
    pub delete: Vec<DeleteSpec>,
    /// The resources the action lists.
    #[serde(default)]
    pub list: Option<ListSpec>,
}

/// `read:` entry: a resource by id.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReadSpec {
    /// Resource kind.
    pub kind: S<String>,
    /// Request field holding the id.
    pub id: S<String>,
    /// Error code for an unknown id. Without one (where the vendor documents none), an unknown
    /// id is no error: the read is skipped and the schema completes the answer.
    #[serde(default)]
    pub not_found: Option<S<Scalar>>,
    /// States the resource must be in.
    #[serde(default)]
    pub require: Vec<S<Scalar>>,
    /// Error code when it is in another state.
    #[serde(default)]
    pub conflict: Option<S<Scalar>>,
    /// Output path of the object the resource answers (default: the payload).
    #[serde(default)]
    pub into: Option<S<String>>,
    /// The state the resource moves to.
    #[serde(default)]
    pub state: Option<S<Scalar>>,
    /// `true`: the request's fields are stored into the resource.
    #[serde(default)]
    pub set: Option<S<bool>>,
    /// The read happens only when this condition on the request holds.
    #[serde(default)]
    pub when: Option<ConditionSpec>,
}

/// `create:` entry.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateSpec {
    /// Resource kind.
    pub kind: S<String>,
    /// Output path receiving the new id (with `each`: the member of each item of `items`).
    /// Without it the answer does not show the id (another action does).
    #[serde(default)]
    pub id: Option<S<String>>,
    /// The attribute holding the new id, where it differs from the last segment of `id` (or
    /// `id` is absent): the name the list and read actions show it under.
    #[serde(default)]
    pub attribute: Option<S<String>>,
    /// Attributes the new resource gets besides the request's fields, its id, state and
    /// creation time.
    #[serde(default)]
    pub attributes: Vec<AttributeSpec>,
    /// The resource is created only when this condition on the request holds.
    #[serde(default)]
    pub when: Option<ConditionSpec>,
    /// One resource per item of this request list.
    #[serde(default)]
    pub each: Option<S<String>>,
    /// With `each`: the attribute holding the item.
    #[serde(default, rename = "as")]
    pub as_: Option<S<String>>,
    /// With `each`: output path of one id shared by the created resources.
    #[serde(default)]
    pub group: Option<S<String>>,
    /// With `each`: output path of the list of created resources.
    #[serde(default)]
    pub items: Option<S<String>>,
}

/// `{ name, value }` of a created resource's `attributes`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AttributeSpec {
    /// The attribute.
    pub name: S<String>,
    /// Its value: a scalar, or text with `{Name}` placeholders for the new resource's other
    /// attributes (request fields, id, state, creation time, earlier `attributes`); a value
    /// that is one placeholder alone copies that attribute as it is (a list stays a list).
    pub value: S<Scalar>,
}

/// `delete:` entry: the resources named by a request field, or those a selection picks.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DeleteSpec {
    /// Resource kind.
    pub kind: S<String>,
    /// Request field holding the id (or a list of ids).
    #[serde(default)]
    pub id: Option<S<String>>,
    /// With `id`: the attribute its values name resources by (default: the resource's id).
    #[serde(default)]
    pub attribute: Option<S<String>>,
    /// With `id`: error code for an unknown id. Without one (where the vendor documents
    /// none), unknown ids are ignored.
    #[serde(default)]
    pub not_found: Option<S<Scalar>>,
    /// Without `id`: request fields that select resources by an attribute's value.
    #[serde(default, rename = "match")]
    pub match_: Vec<MatchSpec>,
    /// Without `id`: request field giving the earliest time of an attribute.
    #[serde(default)]
    pub after: Option<MatchSpec>,
    /// Without `id`: request field giving the latest time of an attribute.
    #[serde(default)]
    pub before: Option<MatchSpec>,
    /// The deletion happens only when this condition on the request holds.
    #[serde(default)]
    pub when: Option<ConditionSpec>,
}

/// `list:`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ListSpec {
    /// Resource kind.
    pub kind: S<String>,
    /// Output path of the items (default: `paginate.items`).
    #[serde(default)]
    pub items: Option<S<String>>,
    /// Request fields that select resources by an attribute's value.
    #[serde(default, rename = "match")]
    pub match_: Vec<MatchSpec>,
    /// A list of `{Name, Values}` filter objects.
    #[serde(default)]
    pub filters: Option<FiltersSpec>,
    /// Request field giving the earliest time of an attribute.
    #[serde(default)]
    pub after: Option<MatchSpec>,
    /// Request field giving the latest time of an attribute.
    #[serde(default)]
    pub before: Option<MatchSpec>,
}

/// `{ field, attribute }`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MatchSpec {
    /// Request field.
    pub field: S<String>,
    /// Resource attribute.
    pub attribute: S<String>,
}

/// `filters:` of a list.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FiltersSpec {
    /// Request field holding the filter objects.
    pub field: S<String>,
    /// Filter names and the attributes they select on.
    pub names: Vec<FilterNameSpec>,
}

/// `{ name, attribute }` of a filter.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FilterNameSpec {
    /// The filter's name on the wire.
    pub name: S<String>,
    /// The attribute it selects on.
    pub attribute: S<String>,
}
