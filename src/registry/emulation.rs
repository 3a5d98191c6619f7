//! What the emulator keeps for each service (`resources:` in `_service.yaml`) and does for each
//! action (`emulator:` in its spec), as generated data the emulator reads.

/// A state value: a string or an integer, as the response field holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateValue {
    /// A string state (`NORMAL`).
    Str(&'static str),
    /// An integer state (`2`).
    Int(i64),
}

/// A value written in a spec: a string, an integer or a boolean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Literal {
    /// A string; in an attribute's value, `{Name}` stands for attribute `Name`.
    Str(&'static str),
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
}

/// A condition on the request that an operation depends on (`when:`), by wire name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// The field is set and equals the value.
    Equals(&'static str, Literal),
    /// The field is unset or differs from the value.
    NotEquals(&'static str, Literal),
    /// The field is set (`true`) or unset (`false`).
    Present(&'static str, bool),
}

/// How the emulator mints ids of a resource kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdStyle {
    /// `prefix` followed by `length` lowercase hex digits.
    Prefixed {
        /// Text before the digits.
        prefix: &'static str,
        /// Number of digits.
        length: u32,
    },
    /// 1, 2, 3, ...
    Counter,
}

/// A timed move between two states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition {
    /// The state left.
    pub from: StateValue,
    /// The state reached.
    pub to: StateValue,
    /// Seconds after entering `from`, on the emulator's clock (the emulator's configuration
    /// can override it).
    pub after_secs: u32,
}

/// A resource kind of a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResourceKind {
    /// Name (`DiskBackup`).
    pub kind: &'static str,
    /// How ids look.
    pub id: IdStyle,
    /// The attribute holding the state.
    pub state: Option<&'static str>,
    /// The state of a new resource.
    pub initial: Option<StateValue>,
    /// Timed moves.
    pub transitions: &'static [Transition],
    /// The attribute set to the creation time.
    pub created: Option<&'static str>,
}

/// A resource read (and maybe updated) by id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadOp {
    /// Kind.
    pub kind: &'static str,
    /// Request field holding the id.
    pub id: &'static str,
    /// Error code for an unknown id; `None`: an unknown id skips the read (the response
    /// schema completes the answer).
    pub not_found: Option<&'static str>,
    /// States it must be in (empty: any).
    pub require: &'static [StateValue],
    /// Error code for another state.
    pub conflict: Option<&'static str>,
    /// JSON path of the output object it answers (empty: the payload).
    pub into: &'static str,
    /// The state it moves to.
    pub state: Option<StateValue>,
    /// Whether the request's fields are stored into it.
    pub set: bool,
    /// The condition on the request for the read to happen.
    pub when: Option<When>,
}

/// A resource (or one per item of a request list) created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CreateOp {
    /// Kind.
    pub kind: &'static str,
    /// JSON path receiving the id (with `each`: the member of each item of `items`); `None`:
    /// the answer does not show it.
    pub id: Option<&'static str>,
    /// The attribute holding the id.
    pub attribute: &'static str,
    /// Further attributes of the new resource: a value, or a `{Name}` template.
    pub attributes: &'static [(&'static str, Literal)],
    /// The condition on the request for the creation to happen.
    pub when: Option<When>,
    /// Request list with one resource per item.
    pub each: Option<&'static str>,
    /// Attribute holding the item.
    pub as_attr: Option<&'static str>,
    /// JSON path of an id shared by the created resources.
    pub group: Option<&'static str>,
    /// JSON path of the list of created resources.
    pub items: Option<&'static str>,
}

/// Resources deleted: by id (or another attribute), or every resource a selection picks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeleteOp {
    /// Kind.
    pub kind: &'static str,
    /// Request field holding the id or ids; `None`: the selection deletes.
    pub id: Option<&'static str>,
    /// The attribute the ids name resources by; `None`: the resource's id.
    pub attribute: Option<&'static str>,
    /// Error code for an unknown id; `None`: unknown ids are ignored.
    pub not_found: Option<&'static str>,
    /// Selection: (request field, attribute) with equal values.
    pub matches: &'static [(&'static str, &'static str)],
    /// Selection: (request field, attribute) at or after the field's time.
    pub after: Option<(&'static str, &'static str)>,
    /// Selection: (request field, attribute) at or before the field's time.
    pub before: Option<(&'static str, &'static str)>,
    /// The condition on the request for the deletion to happen.
    pub when: Option<When>,
}

/// `{Name, Values}` filters of a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FilterOp {
    /// Request field holding the filter objects.
    pub field: &'static str,
    /// (filter name, attribute).
    pub names: &'static [(&'static str, &'static str)],
}

/// The resources a list action answers with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListOp {
    /// Kind.
    pub kind: &'static str,
    /// JSON path of the items.
    pub items: &'static str,
    /// (request field, attribute): equal values select (any value of a list field).
    pub matches: &'static [(&'static str, &'static str)],
    /// Filter objects.
    pub filters: Option<FilterOp>,
    /// (request field, attribute): the attribute's time is at or after the field's.
    pub after: Option<(&'static str, &'static str)>,
    /// (request field, attribute): the attribute's time is at or before the field's.
    pub before: Option<(&'static str, &'static str)>,
}

/// What the emulator does for an action; empty for actions the spec says nothing about (the
/// emulator answers them from the response schema alone).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EmulatorOps {
    /// Resources read by id.
    pub read: &'static [ReadOp],
    /// Resources created.
    pub create: &'static [CreateOp],
    /// Resources deleted.
    pub delete: &'static [DeleteOp],
    /// The list answered.
    pub list: Option<ListOp>,
}

impl EmulatorOps {
    /// Whether the action touches resources at all.
    pub fn is_empty(&self) -> bool {
        self.read.is_empty()
            && self.create.is_empty()
            && self.delete.is_empty()
            && self.list.is_none()
    }
}
