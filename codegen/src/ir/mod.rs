//! Stage "resolve" output: the validated model. No serde, no tokens; every name is final.

mod lifecycle;

pub use lifecycle::{
    CreateOp, DeleteOp, EmulatorOps, FilterOp, FromSource, IdStyle, ListOp, OpCondition, OutPath,
    OutStep, PageStyle, Paginate, ReadOp, Resource, Transition, WaitResult, Waiter, WaiterFrom,
};

use crate::naming::Ident;
use crate::source::Loc;

/// Every provider, sorted by id.
#[derive(Debug, Clone)]
pub struct Model {
    /// Providers.
    pub providers: Vec<Provider>,
}

/// One provider (`tencent`).
#[derive(Debug, Clone)]
pub struct Provider {
    /// Directory name and module name.
    pub id: Ident,
    /// Display name.
    pub name: String,
    /// Docs.
    pub description: Option<String>,
    /// Services, sorted by id.
    pub services: Vec<Service>,
    /// The common errors of each family some service uses, sorted by family; families with
    /// no common errors are left out.
    pub common_errors: Vec<CommonErrors>,
}

impl Provider {
    /// The common errors of a family, if the provider declares any.
    pub fn common(&self, family: Family) -> Option<&CommonErrors> {
        self.common_errors.iter().find(|c| c.family == family)
    }
}

/// The errors every action of a family shares (`common_errors:` in `_provider.yaml`), generated
/// once per provider as `crate::<provider>::<Family>CommonError`.
#[derive(Debug, Clone)]
pub struct CommonErrors {
    /// The family.
    pub family: Family,
    /// The errors, in spec order (never empty).
    pub errors: Vec<ErrorDef>,
}

/// The four API families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    /// Tencent legacy API 2.0 (`tencent-api2`).
    TencentApi2,
    /// Tencent API 3.0, TC3-HMAC-SHA256 (`tencent-tc3`).
    TencentTc3,
    /// Alibaba Cloud RPC (`alibaba-rpc`).
    AlibabaRpc,
    /// Huawei Cloud REST (`huawei-rest`).
    HuaweiRest,
}

impl Family {
    /// Every family with its spec id.
    pub const ALL: &'static [(&'static str, Family)] = &[
        ("tencent-api2", Family::TencentApi2),
        ("tencent-tc3", Family::TencentTc3),
        ("alibaba-rpc", Family::AlibabaRpc),
        ("huawei-rest", Family::HuaweiRest),
    ];

    /// The spec id.
    pub fn id(self) -> &'static str {
        Family::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("", |(id, _)| id)
    }

    /// The name of the provider-level enum of the family's common errors.
    pub fn common_error_name(self) -> &'static str {
        match self {
            Family::TencentApi2 => "Api2CommonError",
            Family::TencentTc3 => "Tc3CommonError",
            Family::AlibabaRpc => "RpcCommonError",
            Family::HuaweiRest => "RestCommonError",
        }
    }

    /// The Rust variant name of `cloudbackup::meta::Family`.
    pub fn variant(self) -> &'static str {
        match self {
            Family::TencentApi2 => "TencentApi2",
            Family::TencentTc3 => "TencentTc3",
            Family::AlibabaRpc => "AlibabaRpc",
            Family::HuaweiRest => "HuaweiRest",
        }
    }

    /// Where request fields go when the spec does not say; `None` for a `GET` of a family
    /// whose fields travel in the JSON body by default (the spec must say where each goes).
    pub fn default_location(self, method: Method) -> Option<Location> {
        match (self, method) {
            (Family::TencentApi2, Method::Get) | (Family::AlibabaRpc, _) => Some(Location::Query),
            (Family::TencentApi2, Method::Post) => Some(Location::Form),
            (Family::TencentTc3, Method::Get) => Some(Location::Query),
            (Family::TencentTc3 | Family::HuaweiRest, Method::Post) => Some(Location::Json),
            (Family::HuaweiRest, Method::Get) => None,
        }
    }

    /// How arrays of scalars become query/form parameters when the spec does not say.
    pub fn default_param_style(self) -> Style {
        match self {
            Family::TencentApi2 => Style::Indexed0,
            _ => Style::Indexed1,
        }
    }
}

/// The Cargo feature of a service: `<provider>-<service>` with `_` written `-`
/// (`tencent-cbs`, `tencent-sqlserver-v3`).
pub fn feature_name(provider: &str, service: &str) -> String {
    format!("{provider}-{}", service.replace('_', "-"))
}

/// One service (`cbs`).
#[derive(Debug, Clone)]
pub struct Service {
    /// Directory name and module name.
    pub id: Ident,
    /// Display title.
    pub title: String,
    /// Docs.
    pub description: Option<String>,
    /// API family.
    pub family: Family,
    /// API version.
    pub version: Option<String>,
    /// Name used in signatures.
    pub signing_name: String,
    /// Host for unlisted regions.
    pub global_host: Option<String>,
    /// Known regions and their hosts, in spec order.
    pub regions: Vec<(String, String)>,
    /// Actions, sorted by name.
    pub actions: Vec<Action>,
    /// Enumerations and objects shared by the actions (`types:` in `_service.yaml`), in spec
    /// order; [`TypeRef::Service`] indexes them.
    pub types: Vec<NamedType>,
    /// The resources the emulator keeps (`resources:` in `_service.yaml`).
    pub resources: Vec<Resource>,
    /// Spec directory, for the generated header (`specs/tencent/cbs/`).
    pub dir: String,
}

/// HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
}

/// One action.
#[derive(Debug, Clone)]
pub struct Action {
    /// PascalCase name, also the type prefix.
    pub name: Ident,
    /// snake_case module and method name.
    pub snake: Ident,
    /// One line.
    pub summary: String,
    /// Markdown.
    pub description: Option<String>,
    /// Vendor page.
    pub source_url: String,
    /// Date read.
    pub source_read: String,
    /// Method.
    pub method: Method,
    /// Path.
    pub path: String,
    /// Whether a repeated call is harmless.
    pub idempotent: bool,
    /// Request fields, in spec order.
    pub request: Vec<Field>,
    /// Cross-field rules.
    pub rules: Vec<Rule>,
    /// Response fields, in spec order.
    pub response: Vec<Field>,
    /// Errors: the action's own, then the service's, then the family's common ones not shadowed
    /// by a code of the action or the service. The common ones are generated once per provider
    /// ([`Provider::common_errors`]); the action's error wraps them in its `Common` variant.
    pub errors: Vec<ErrorDef>,
    /// Call limits.
    pub limits: Vec<Limit>,
    /// Follow-up hints.
    pub follow_ups: Vec<FollowUp>,
    /// Examples.
    pub examples: Vec<Example>,
    /// Named types (enums, objects) this action declares, in first-use order.
    pub types: Vec<NamedType>,
    /// Shared types of the service this action uses (directly or through other shared
    /// types), sorted; re-exported from the action's module.
    pub shared_types: Vec<usize>,
    /// How the action pages, for list actions.
    pub paginate: Option<Paginate>,
    /// Waiters polling this action.
    pub waiters: Vec<Waiter>,
    /// What the emulator does with the service's resources for this action.
    pub emulator: EmulatorOps,
}

/// Where a request field goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// URL query parameter.
    Query,
    /// `application/x-www-form-urlencoded` body parameter.
    Form,
    /// JSON body member.
    Json,
    /// HTTP header.
    Header,
    /// A `{name}` segment of the path.
    Path,
}

/// How a list is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Parameters `name.0`, `name.1`, ...
    Indexed0,
    /// Parameters `name.1`, `name.2`, ...
    Indexed1,
    /// A JSON array (one parameter holding it, or the JSON member).
    Json,
    /// One text value `a,b,c` (a parameter, a JSON string member, a response string).
    Comma,
}

/// A value the client generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generated {
    /// Once per logical call, reused across retries.
    IdempotencyToken,
    /// Fresh per attempt.
    RequestId,
}

/// A field of a request, response or object.
#[derive(Debug, Clone)]
pub struct Field {
    /// Wire name.
    pub wire: String,
    /// Rust field name.
    pub rust: Ident,
    /// Type.
    pub ty: Ty,
    /// Required.
    pub required: bool,
    /// Docs.
    pub doc: Option<String>,
    /// Where it goes (request fields).
    pub location: Location,
    /// How an array is written on the wire.
    pub style: Style,
    /// The service's default (request fields).
    pub default: Option<RuleValue>,
    /// Whether the client sends the default when the field is unset.
    pub send_default: bool,
    /// A secret: never shown by `Debug`, the CLI or the emulator's state.
    pub sensitive: bool,
    /// Path in the payload (response fields).
    pub path: Vec<String>,
    /// Lenient decoding (response fields).
    pub lenient: bool,
    /// Generated value.
    pub generated: Option<Generated>,
    /// Constraints on the value.
    pub constraints: Constraints,
    /// Spec location of the name.
    pub loc: Loc,
}

/// A field type.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// `String`.
    String,
    /// `i32`.
    Int32,
    /// `i64`.
    Int64,
    /// `f64`.
    Float64,
    /// `bool`.
    Bool,
    /// A date-time with its wire format.
    Timestamp(TsFormat),
    /// A named enum or object type.
    Named(TypeRef),
    /// `Vec<item>`, with constraints on each item.
    Array(Box<Ty>, Box<Constraints>),
}

/// Where a named type is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    /// By the action: index into `Action::types`.
    Action(usize),
    /// By the service (`types:` in `_service.yaml`): index into `Service::types`.
    Service(usize),
}

/// Wire formats of timestamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TsFormat {
    /// `2026-12-04T03:39:43Z` (`jiff::Timestamp`).
    Rfc3339,
    /// `2026-12-04 11:39:43`, no zone (`jiff::civil::DateTime`).
    LocalDateTime,
    /// `2026-12-04` (`jiff::civil::Date`).
    Date,
    /// Seconds since the Unix epoch (`jiff::Timestamp`).
    EpochSeconds,
    /// Milliseconds since the Unix epoch (`jiff::Timestamp`).
    EpochMillis,
}

impl TsFormat {
    /// Every format with its spec id.
    pub const ALL: &'static [(&'static str, TsFormat)] = &[
        ("rfc3339", TsFormat::Rfc3339),
        ("local-datetime", TsFormat::LocalDateTime),
        ("date", TsFormat::Date),
        ("epoch-seconds", TsFormat::EpochSeconds),
        ("epoch-millis", TsFormat::EpochMillis),
    ];

    /// The spec id.
    pub fn id(self) -> &'static str {
        TsFormat::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("", |(id, _)| id)
    }

    /// The runtime's format marker type (`cloudbackup::codec::<Name>`).
    pub fn marker(self) -> &'static str {
        match self {
            TsFormat::Rfc3339 => "Rfc3339",
            TsFormat::LocalDateTime => "LocalDateTime",
            TsFormat::Date => "Date",
            TsFormat::EpochSeconds => "EpochSeconds",
            TsFormat::EpochMillis => "EpochMillis",
        }
    }
}

/// Inclusive bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Bounds {
    /// Minimum.
    pub min: Option<i64>,
    /// Maximum.
    pub max: Option<i64>,
}

/// Constraints on one value.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Constraints {
    /// Length in characters.
    pub length: Option<Bounds>,
    /// Numeric range.
    pub range: Option<Bounds>,
    /// Regular expression.
    pub pattern: Option<String>,
    /// Item count.
    pub count: Option<Bounds>,
}

/// An enum or object type declared by a field.
#[derive(Debug, Clone)]
pub enum NamedType {
    /// String enumeration.
    StrEnum(EnumDef),
    /// Integer enumeration.
    IntEnum(EnumDef),
    /// Object.
    Object(ObjectDef),
}

impl NamedType {
    /// The Rust type name.
    pub fn name(&self) -> &Ident {
        match self {
            NamedType::StrEnum(e) | NamedType::IntEnum(e) => &e.name,
            NamedType::Object(o) => &o.name,
        }
    }
}

/// An enumeration.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    /// Rust type name.
    pub name: Ident,
    /// Docs.
    pub doc: Option<String>,
    /// Values.
    pub values: Vec<EnumValue>,
}

/// One enumeration value.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// Wire value (decimal for integer enums).
    pub wire: String,
    /// Integer value for integer enums.
    pub int: Option<i64>,
    /// Rust variant name.
    pub variant: Ident,
    /// Docs.
    pub doc: Option<String>,
}

/// An object type.
#[derive(Debug, Clone)]
pub struct ObjectDef {
    /// Rust type name.
    pub name: Ident,
    /// Docs.
    pub doc: Option<String>,
    /// Fields.
    pub fields: Vec<Field>,
}

/// A condition of a rule.
#[derive(Debug, Clone)]
pub enum Condition {
    /// The field is set and equals the value.
    Equals(usize, RuleValue),
    /// The field is unset or differs from the value.
    NotEquals(usize, RuleValue),
    /// The field is set (`true`) or unset (`false`).
    Present(usize, bool),
}

/// A value compared in a condition, or a field's default.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleValue {
    /// An integer (for ints and integer enums).
    Int(i64),
    /// A string (for strings and string enums: the wire value).
    Str(String),
    /// A boolean.
    Bool(bool),
}

/// What a rule demands.
#[derive(Debug, Clone)]
pub enum Demand {
    /// A range.
    Range(Bounds),
    /// A length.
    Length(Bounds),
    /// An item count.
    Count(Bounds),
    /// The field must be set.
    Required,
    /// The field must not be set.
    Absent,
    /// The field compares with another request field (checked when both are set).
    Compare(CompareOp, usize),
}

/// A comparison operator of a `compare:` rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// `lt`.
    Lt,
    /// `le`.
    Le,
    /// `gt`.
    Gt,
    /// `ge`.
    Ge,
    /// `eq`.
    Eq,
    /// `ne`.
    Ne,
}

impl CompareOp {
    /// Every operator with its spec word.
    pub const ALL: &'static [(&'static str, CompareOp)] = &[
        ("lt", CompareOp::Lt),
        ("le", CompareOp::Le),
        ("gt", CompareOp::Gt),
        ("ge", CompareOp::Ge),
        ("eq", CompareOp::Eq),
        ("ne", CompareOp::Ne),
    ];

    /// The runtime's `validation::Compare` variant name.
    pub fn variant(self) -> &'static str {
        match self {
            CompareOp::Lt => "Lt",
            CompareOp::Le => "Le",
            CompareOp::Gt => "Gt",
            CompareOp::Ge => "Ge",
            CompareOp::Eq => "Eq",
            CompareOp::Ne => "Ne",
        }
    }
}

/// A cross-field rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Index of the constrained request field.
    pub field: usize,
    /// Condition; `None`: the rule always applies.
    pub when: Option<Condition>,
    /// Demands.
    pub demands: Vec<Demand>,
    /// Human description of the condition, for messages: "`Period` is `Year`" (empty without
    /// a condition).
    pub condition_text: String,
    /// Docs.
    pub doc: Option<String>,
}

/// An error of an action.
#[derive(Debug, Clone)]
pub struct ErrorDef {
    /// Wire code.
    pub code: String,
    /// Other spellings.
    pub aliases: Vec<String>,
    /// Rust variant name.
    pub variant: Ident,
    /// Docs.
    pub doc: Option<String>,
    /// HTTP status.
    pub status: Option<u16>,
    /// Retryable.
    pub retryable: bool,
    /// Where it came from.
    pub origin: ErrorOrigin,
    /// Spec location.
    pub loc: Loc,
}

/// Which spec file declared an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorOrigin {
    /// The action's file.
    Action,
    /// The service's `_service.yaml`.
    Service,
    /// The provider's common errors of the family.
    Common,
}

/// Period of a call limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Per {
    /// Per second.
    Second,
    /// Per minute.
    Minute,
    /// Per hour.
    Hour,
    /// Per day.
    Day,
}

impl Per {
    /// Length in seconds.
    pub fn seconds(self) -> u64 {
        match self {
            Per::Second => 1,
            Per::Minute => 60,
            Per::Hour => 3600,
            Per::Day => 86_400,
        }
    }

    /// Word for docs.
    pub fn word(self) -> &'static str {
        match self {
            Per::Second => "second",
            Per::Minute => "minute",
            Per::Hour => "hour",
            Per::Day => "day",
        }
    }
}

/// A call limit.
#[derive(Debug, Clone)]
pub struct Limit {
    /// Calls.
    pub max_calls: u32,
    /// Per.
    pub per: Per,
    /// Docs.
    pub doc: Option<String>,
}

/// A follow-up hint.
#[derive(Debug, Clone)]
pub struct FollowUp {
    /// Next action.
    pub action: String,
    /// Seconds to wait.
    pub wait_seconds: Option<u32>,
    /// Docs.
    pub doc: Option<String>,
}

/// An example.
#[derive(Debug, Clone)]
pub struct Example {
    /// Title.
    pub title: String,
    /// Request text.
    pub request: Option<String>,
    /// Response text.
    pub response: Option<String>,
    /// Status.
    pub status: Option<u16>,
    /// Note.
    pub note: Option<String>,
}
