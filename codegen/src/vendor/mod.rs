//! Vendor metadata in one normalized shape: the actions a vendor publishes, their request and
//! response models, and the object types those use.
//!
//! Two readers fill it: [`tccli`] reads the API 3.0 metadata Tencent's `tccli` package ships
//! (`api.json`, `examples.json`), and [`sdk`] runs `codegen/src/vendor/sdk_models.py` in the
//! vendor SDK venv, which introspects an SDK's model classes and prints this shape as JSON.
//! `import` writes specs from it; `drift` compares specs with it.

pub mod sdk;
pub mod tccli;

use std::collections::BTreeMap;

use serde::Deserialize;

/// The metadata of one service version.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// The package it was read from (`tccli`, `alibabacloud-dbs20190306`).
    pub package: String,
    /// The package's version (`3.1.175.1`).
    pub version: String,
    /// The file or module inside the package (`tccli/services/cbs/v20170312/api.json`).
    pub file: String,
    /// The actions, by name.
    pub actions: BTreeMap<String, Action>,
    /// Every object type the actions use (request and response models included), by name.
    pub objects: BTreeMap<String, Object>,
}

/// One action.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// A short title (Tencent: the action's display name), if any.
    #[serde(default)]
    pub title: String,
    /// The action's description.
    #[serde(default)]
    pub doc: String,
    /// `online`, `deprecated`, `offline`, or empty when the metadata says nothing.
    #[serde(default)]
    pub status: String,
    /// Name of the request model in [`Metadata::objects`].
    pub request: String,
    /// Name of the response model in [`Metadata::objects`] (Tencent: the members of
    /// `Response`; Alibaba: the response body).
    pub response: String,
    /// The metadata's examples.
    #[serde(default)]
    pub examples: Vec<Example>,
}

/// An example call.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// Title.
    pub title: String,
    /// Explanation.
    #[serde(default)]
    pub doc: String,
    /// The request, verbatim.
    #[serde(default)]
    pub request: String,
    /// The response, verbatim.
    #[serde(default)]
    pub response: String,
}

/// An object type (a model).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Object {
    /// Docs.
    #[serde(default)]
    pub doc: String,
    /// Members, in the metadata's order.
    pub fields: Vec<Field>,
}

/// A member of an object.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Wire name.
    pub name: String,
    /// Type.
    #[serde(rename = "type")]
    pub kind: Kind,
    /// In a request: the field must be set.
    #[serde(default)]
    pub required: bool,
    /// In a response: the field is always present (Tencent `output_required`).
    #[serde(default)]
    pub output_required: bool,
    /// The value may be `null` (Tencent `value_allowed_null`).
    #[serde(default)]
    pub nullable: bool,
    /// Hidden by the vendor's tools (Tencent `disabled`).
    #[serde(default)]
    pub disabled: bool,
    /// Docs.
    #[serde(default)]
    pub doc: String,
    /// An example value, as text.
    #[serde(default)]
    pub example: String,
}

/// A field's type.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum Kind {
    /// A string.
    String,
    /// An integer: `bits` 32 or 64 when the metadata says (Tencent: 64), else unknown
    /// (Python SDKs only say `int`).
    Integer {
        /// Width, when known.
        #[serde(default)]
        bits: Option<u8>,
        /// Unsigned (Tencent `uint64`).
        #[serde(default)]
        unsigned: bool,
    },
    /// A floating-point number.
    Float,
    /// A boolean.
    Bool,
    /// A date or time carried as a string.
    Timestamp {
        /// `rfc3339`, `local-datetime` or `date` (the spec format's names).
        format: String,
    },
    /// Binary data.
    Binary,
    /// A map with free-form keys (`Dict[str, Any]`).
    Map,
    /// A list.
    Array {
        /// The item type.
        items: Box<Kind>,
    },
    /// An object type of [`Metadata::objects`].
    Object {
        /// Its name.
        name: String,
    },
}

impl Kind {
    /// A short description for messages: `string`, `int64`, `array of Filter`.
    pub fn describe(&self) -> String {
        match self {
            Kind::String => "string".to_owned(),
            Kind::Integer { bits, unsigned } => match (bits, unsigned) {
                (Some(b), false) => format!("int{b}"),
                (Some(b), true) => format!("uint{b}"),
                (None, _) => "integer".to_owned(),
            },
            Kind::Float => "float".to_owned(),
            Kind::Bool => "bool".to_owned(),
            Kind::Timestamp { format } => format!("timestamp ({format})"),
            Kind::Binary => "binary".to_owned(),
            Kind::Map => "map".to_owned(),
            Kind::Array { items } => format!("array of {}", items.describe()),
            Kind::Object { name } => format!("object {name}"),
        }
    }
}

impl Metadata {
    /// The object named `name`, if the metadata has it.
    pub fn object(&self, name: &str) -> Option<&Object> {
        self.objects.get(name)
    }

    /// Parses the normalized JSON that `codegen/src/vendor/sdk_models.py` prints.
    pub fn from_json(text: &str) -> Result<Metadata, String> {
        serde_json::from_str(text).map_err(|e| format!("not vendor metadata JSON: {e}"))
    }

    /// Names of the object types reachable from `roots` (the roots themselves included), in
    /// first-reached order.
    pub fn reachable<'a>(&'a self, roots: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
        let mut seen: Vec<&str> = Vec::new();
        let mut stack: Vec<&str> = roots.into_iter().collect();
        stack.reverse();
        while let Some(name) = stack.pop() {
            if seen.contains(&name) {
                continue;
            }
            seen.push(name);
            if let Some(obj) = self.objects.get(name) {
                for f in obj.fields.iter().rev() {
                    if let Some(inner) = f.kind.object_name() {
                        stack.push(inner);
                    }
                }
            }
        }
        seen
    }
}

impl Kind {
    /// The object type this kind names, directly or as list items.
    pub fn object_name(&self) -> Option<&str> {
        match self {
            Kind::Object { name } => Some(name),
            Kind::Array { items } => items.object_name(),
            _ => None,
        }
    }
}
