//! Stage "load": serde structs mirroring the YAML files one to one, locations kept.
//!
//! Nothing here is interpreted; `resolve` turns these into the validated model in `ir`.
//! Every struct denies unknown keys, so a typo is a diagnostic with a location.

use serde::Deserialize;
use serde_saphyr::Spanned;

mod lifecycle;

pub use lifecycle::{
    AttributeSpec, CreateSpec, DeleteSpec, EmulatorSpec, FilterNameSpec, FiltersSpec, IdSpec,
    ListSpec, MatchSpec, PaginateSpec, ReadSpec, ResourceSpec, TransitionSpec, WaiterErrorSpec,
    WaiterFieldSpec, WaiterFromSpec, WaiterSpec,
};

/// A YAML value with its location.
///
/// A newtype rather than an alias so the spec model can describe itself as a JSON Schema
/// (feature `schema`): the schema of `S<T>` is the schema of `T`.
#[derive(Debug)]
pub struct S<T>(pub Spanned<T>);

impl<T> std::ops::Deref for S<T> {
    type Target = Spanned<T>;
    fn deref(&self) -> &Spanned<T> {
        &self.0
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for S<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Spanned::deserialize(d).map(S)
    }
}

#[cfg(feature = "schema")]
impl<T: schemars::JsonSchema> schemars::JsonSchema for S<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
    fn inline_schema() -> bool {
        T::inline_schema()
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for EnumValueSpec {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "EnumValue".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let bare = generator.subschema_for::<Scalar>();
        let full = generator.subschema_for::<EnumValueFull>();
        schemars::json_schema!({
            "description": "An enumeration value: a bare scalar, or `{ value, name, doc }`.",
            "anyOf": [bare, full]
        })
    }
}

/// A scalar that may be written as an integer, a boolean or a string (error codes, enum values).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Scalar {
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A string.
    Str(String),
}

/// `specs/<provider>/_provider.yaml`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProviderFile {
    /// Provider id, equal to the directory name.
    pub provider: S<String>,
    /// Display name.
    pub name: S<String>,
    /// Markdown docs for the provider module.
    #[serde(default)]
    pub description: Option<S<String>>,
    /// Common errors of each API family this provider uses.
    #[serde(default)]
    pub common_errors: Vec<FamilyErrors>,
}

/// The common errors of one API family.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FamilyErrors {
    /// Family id, for example `tencent-api2`.
    pub family: S<String>,
    /// The errors.
    pub errors: Vec<ErrorSpec>,
}

/// `specs/<provider>/<service>/_service.yaml`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ServiceFile {
    /// Service id, equal to the directory name.
    pub service: S<String>,
    /// Display title.
    pub title: S<String>,
    /// Markdown docs for the service module.
    #[serde(default)]
    pub description: Option<S<String>>,
    /// API family id.
    pub family: S<String>,
    /// API version (`2017-03-12`), for families that send one.
    #[serde(default)]
    pub version: Option<S<String>>,
    /// Name used in signatures (TC3 credential scope); defaults to the service id.
    #[serde(default)]
    pub signing_name: Option<S<String>>,
    /// Endpoints.
    #[serde(default)]
    pub endpoints: Option<EndpointsSpec>,
    /// Errors shared by every action of this service.
    #[serde(default)]
    pub errors: Vec<ErrorSpec>,
    /// Enumerations and objects shared by the service's actions (`name:` is the Rust type
    /// name; actions use them with `type: <name>`).
    #[serde(default)]
    pub types: Vec<FieldSpec>,
    /// The resources the emulator keeps for the service's actions.
    #[serde(default)]
    pub resources: Vec<ResourceSpec>,
}

/// Region to host resolution.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EndpointsSpec {
    /// Host used for regions not listed (and when no region is given).
    #[serde(default)]
    pub global: Option<S<String>>,
    /// Known regions and their hosts.
    #[serde(default)]
    pub regions: Vec<RegionSpec>,
}

/// One region's host.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RegionSpec {
    /// Region id.
    pub region: S<String>,
    /// Host name.
    pub host: S<String>,
}

/// `specs/<provider>/<service>/<Action>.yaml`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ActionFile {
    /// Schema modeline target; ignored by the generator.
    #[serde(default, rename = "$schema")]
    pub schema: Option<S<String>>,
    /// Action name (PascalCase), equal to the file stem.
    pub action: S<String>,
    /// One-line summary.
    pub summary: S<String>,
    /// Markdown description.
    #[serde(default)]
    pub description: Option<S<String>>,
    /// The vendor page.
    pub source: SourceSpec,
    /// Method and path.
    pub http: HttpSpec,
    /// Whether repeating the call is harmless (read-only actions). Actions with an
    /// idempotency-token field are idempotent without saying so.
    #[serde(default)]
    pub idempotent: Option<S<bool>>,
    /// Request fields.
    #[serde(default)]
    pub request: Vec<FieldSpec>,
    /// Cross-field rules.
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
    /// Response fields.
    #[serde(default)]
    pub response: Vec<FieldSpec>,
    /// Documented errors.
    #[serde(default)]
    pub errors: Vec<ErrorSpec>,
    /// Documented call limits.
    #[serde(default)]
    pub limits: Vec<LimitSpec>,
    /// Follow-up hints.
    #[serde(default)]
    pub follow_ups: Vec<FollowUpSpec>,
    /// The page's examples.
    #[serde(default)]
    pub examples: Vec<ExampleSpec>,
    /// How a list action pages.
    #[serde(default)]
    pub paginate: Option<PaginateSpec>,
    /// Waiters that poll this action.
    #[serde(default)]
    pub waiters: Vec<WaiterSpec>,
    /// What the emulator does with the service's resources when it answers this action.
    #[serde(default)]
    pub emulator: Option<EmulatorSpec>,
    /// Deliberate differences from the vendor's metadata (read by `cloudbackup-codegen drift`
    /// only; nothing is generated from it).
    #[serde(default)]
    pub drift: Option<ActionDriftSpec>,
}

/// An action's deliberate differences from the vendor metadata, each with its reason.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ActionDriftSpec {
    /// Why the vendor metadata has no such action (e.g. the page documents it, the SDK not).
    #[serde(default)]
    pub absent: Option<S<String>>,
    /// Vendor fields the spec leaves out on purpose.
    #[serde(default)]
    pub omit: Vec<OmitSpec>,
}

/// A vendor field the spec leaves out: exactly one of `request`/`response` (a dotted path of
/// wire names, `Items.BackupPlanDetail.OSSBucketName`), and why.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OmitSpec {
    /// Path of a request field of the vendor model.
    #[serde(default)]
    pub request: Option<S<String>>,
    /// Path of a response field of the vendor model.
    #[serde(default)]
    pub response: Option<S<String>>,
    /// Why the spec leaves it out.
    pub reason: S<String>,
}

/// A field's deliberate differences from the vendor metadata: one reason per kind of
/// difference it explains.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FieldDriftSpec {
    /// Why the vendor metadata has no such field.
    #[serde(default)]
    pub absent: Option<S<String>>,
    /// Why the type differs from the vendor's.
    #[serde(default, rename = "type")]
    pub ty: Option<S<String>>,
    /// Why `required` differs from the vendor's.
    #[serde(default)]
    pub required: Option<S<String>>,
    /// Why the nesting differs (a list or an object on one side, not on the other).
    #[serde(default)]
    pub nesting: Option<S<String>>,
    /// Objects (inline, or a shared type of `types:`): vendor members this object leaves
    /// out on purpose.
    #[serde(default)]
    pub omit: Vec<MemberOmitSpec>,
}

/// A vendor member an object leaves out: its wire name, and why.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MemberOmitSpec {
    /// Wire name of the vendor member.
    pub field: S<String>,
    /// Why the object leaves it out.
    pub reason: S<String>,
}

/// The vendor page an action was written from.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    /// URL of the page.
    pub url: S<String>,
    /// Date it was read, `YYYY-MM-DD`.
    pub read: S<String>,
}

/// Method and path.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HttpSpec {
    /// `GET` or `POST`.
    pub method: S<String>,
    /// Path, starting with `/`.
    pub path: S<String>,
}

/// A request or response field, or (without `name`) an array item.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// Wire name.
    #[serde(default)]
    pub name: Option<S<String>>,
    /// Override of the Rust field name.
    #[serde(default)]
    pub rust_name: Option<S<String>>,
    /// Type name: `string`, `int32`, `int64`, `float64`, `bool`, `timestamp`, `array`,
    /// `object`, or the name of a shared type of the service.
    #[serde(rename = "type")]
    pub ty: S<String>,
    /// Timestamps: the wire format (`rfc3339`, `local-datetime`, `date`, `epoch-seconds`,
    /// `epoch-millis`).
    #[serde(default)]
    pub format: Option<S<String>>,
    /// Required (request) or always present (response).
    #[serde(default)]
    pub required: Option<S<bool>>,
    /// Markdown docs.
    #[serde(default)]
    pub doc: Option<S<String>>,
    /// Request: where the field goes (`query`, `form`, `json`, `header`, `path`).
    #[serde(default, rename = "in")]
    pub location: Option<S<String>>,
    /// Arrays: how the list is written on the wire (`indexed0`, `indexed1`, `json`, `comma`).
    #[serde(default)]
    pub style: Option<S<String>>,
    /// Request: the value the service uses when the field is not sent.
    #[serde(default)]
    pub default: Option<S<Scalar>>,
    /// Request: send `default` when the field is unset (the vendor requires the field).
    #[serde(default)]
    pub send_default: Option<S<bool>>,
    /// A secret (a password): never shown by `Debug`, logs, the CLI or the emulator's state.
    #[serde(default)]
    pub sensitive: Option<S<bool>>,
    /// Response: dotted path of the field in the payload (defaults to `name`).
    #[serde(default)]
    pub path: Option<S<String>>,
    /// Response: accept a number for a string and a numeric string for a number.
    #[serde(default)]
    pub lenient: Option<S<bool>>,
    /// Request: a value the client generates (`idempotency-token`, `request-id`).
    #[serde(default)]
    pub generated: Option<S<String>>,
    /// Enumeration values.
    #[serde(default, rename = "enum")]
    pub enum_values: Option<Vec<S<EnumValueSpec>>>,
    /// Rust name of the enum or object type (defaults to the field name in PascalCase).
    #[serde(default)]
    pub type_name: Option<S<String>>,
    /// String length in characters.
    #[serde(default)]
    pub length: Option<S<BoundsSpec>>,
    /// Numeric range.
    #[serde(default)]
    pub range: Option<S<BoundsSpec>>,
    /// Regular expression the whole string must match.
    #[serde(default)]
    pub pattern: Option<S<String>>,
    /// Array item count.
    #[serde(default)]
    pub count: Option<S<BoundsSpec>>,
    /// Array item type and constraints.
    #[serde(default)]
    pub items: Option<Box<FieldSpec>>,
    /// Object fields.
    #[serde(default)]
    pub fields: Option<Vec<FieldSpec>>,
    /// Deliberate differences from the vendor metadata (read by `cloudbackup-codegen drift`
    /// only; nothing is generated from it).
    #[serde(default)]
    pub drift: Option<FieldDriftSpec>,
}

/// One enumeration value: either a bare scalar or a mapping with a Rust name and docs.
///
/// Deserialized by hand rather than with `#[serde(untagged)]`: an untagged enum buffers its
/// input, which loses the locations of the values inside it and turns a misspelled key into
/// "data did not match any variant".
#[derive(Debug)]
pub enum EnumValueSpec {
    /// `- value: 0` with `name:` and `doc:`.
    Full(Box<EnumValueFull>),
    /// `- MySQL` (its location is the one of the enclosing [`S`]).
    Bare(Scalar),
}

impl<'de> Deserialize<'de> for EnumValueSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = EnumValueSpec;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string, an integer, or a mapping with `value:`, `name:` and `doc:`")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(EnumValueSpec::Bare(Scalar::Bool(v)))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(EnumValueSpec::Bare(Scalar::Int(v)))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                i64::try_from(v)
                    .map(|v| EnumValueSpec::Bare(Scalar::Int(v)))
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(EnumValueSpec::Bare(Scalar::Str(v.to_owned())))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                EnumValueFull::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(|f| EnumValueSpec::Full(Box::new(f)))
            }
        }
        d.deserialize_any(V)
    }
}

/// A documented enumeration value.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EnumValueFull {
    /// Wire value.
    pub value: S<Scalar>,
    /// Rust variant name.
    #[serde(default)]
    pub name: Option<S<String>>,
    /// Docs.
    #[serde(default)]
    pub doc: Option<S<String>>,
}

/// `{ min: .., max: .. }`, both optional, inclusive.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BoundsSpec {
    /// Inclusive minimum.
    #[serde(default)]
    pub min: Option<S<i64>>,
    /// Inclusive maximum.
    #[serde(default)]
    pub max: Option<S<i64>>,
}

/// A cross-field rule: when a condition holds, a field gets an extra constraint.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// The field the rule constrains.
    pub field: S<String>,
    /// The condition; without one the rule always applies.
    #[serde(default)]
    pub when: Option<ConditionSpec>,
    /// A comparison with another field, checked when both are set.
    #[serde(default)]
    pub compare: Option<S<CompareSpec>>,
    /// Range that applies when the condition holds.
    #[serde(default)]
    pub range: Option<S<BoundsSpec>>,
    /// Length that applies when the condition holds.
    #[serde(default)]
    pub length: Option<S<BoundsSpec>>,
    /// Item count that applies when the condition holds.
    #[serde(default)]
    pub count: Option<S<BoundsSpec>>,
    /// `true`: the field must be set when the condition holds.
    #[serde(default)]
    pub required: Option<S<bool>>,
    /// `true`: the field must not be set when the condition holds.
    #[serde(default)]
    pub absent: Option<S<bool>>,
    /// Why the rule exists.
    #[serde(default)]
    pub doc: Option<S<String>>,
}

/// `compare: { op: ge, field: StartTime }`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CompareSpec {
    /// `lt`, `le`, `gt`, `ge`, `eq` or `ne`.
    pub op: S<String>,
    /// The other request field.
    pub field: S<String>,
}

/// A condition on another field's value.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ConditionSpec {
    /// The field looked at.
    pub field: S<String>,
    /// Holds when the field is set and equals this value.
    #[serde(default)]
    pub equals: Option<S<Scalar>>,
    /// Holds when the field is unset or differs from this value.
    #[serde(default)]
    pub not_equals: Option<S<Scalar>>,
    /// Holds when the field is set (`true`) or unset (`false`).
    #[serde(default)]
    pub present: Option<S<bool>>,
}

/// A documented error.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ErrorSpec {
    /// The code on the wire, an integer or a string.
    pub code: S<Scalar>,
    /// Rust variant name (defaults to the code in PascalCase for string codes).
    #[serde(default)]
    pub name: Option<S<String>>,
    /// Other spellings of the code on the wire.
    #[serde(default)]
    pub aliases: Vec<S<String>>,
    /// What it means.
    #[serde(default)]
    pub doc: Option<S<String>>,
    /// HTTP status it comes with.
    #[serde(default)]
    pub status: Option<S<i64>>,
    /// Whether trying again later can succeed.
    #[serde(default)]
    pub retryable: Option<S<bool>>,
}

/// A documented call limit.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LimitSpec {
    /// Calls allowed per period.
    pub max_calls: S<i64>,
    /// `second`, `minute`, `hour` or `day`.
    pub per: S<String>,
    /// Docs.
    #[serde(default)]
    pub doc: Option<S<String>>,
}

/// A hint about the next call.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FollowUpSpec {
    /// The action to call next.
    pub action: S<String>,
    /// Seconds to wait first.
    #[serde(default)]
    pub wait_seconds: Option<S<i64>>,
    /// Docs.
    #[serde(default)]
    pub doc: Option<S<String>>,
}

/// An example from the vendor page, kept verbatim.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExampleSpec {
    /// Title.
    pub title: S<String>,
    /// The request as printed on the page.
    #[serde(default)]
    pub request: Option<S<String>>,
    /// The response as printed on the page.
    #[serde(default)]
    pub response: Option<S<String>>,
    /// HTTP status of the response.
    #[serde(default)]
    pub status: Option<S<i64>>,
    /// Notes (for example: the page's JSON is invalid).
    #[serde(default)]
    pub note: Option<S<String>>,
}
