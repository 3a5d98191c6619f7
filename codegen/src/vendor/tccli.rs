//! Tencent Cloud API 3.0 metadata as `tccli` ships it:
//! `tccli/services/<service>/v<YYYYMMDD>/api.json` with `examples.json` beside it, and the
//! package version in `tccli/__init__.py` (`__version__ = '3.1.175.1'`).
//!
//! `api.json` has `actions` (each naming its `input` and `output` objects), `objects` (each
//! with `members`) and `metadata` (`apiVersion`, `serviceShortName`). A member's `type` is
//! `string`, `int`, `float`, `bool`, `binary`, `list` or `object`, and `member` refines it:
//! `int64`/`uint64` for integers, `datetime` (`2026-12-04 11:39:43`), `datetime_iso`
//! (ISO 8601 with an offset) or `date` for strings, and the item or object type for lists and
//! objects. Request members have `required`; response members `output_required` and
//! `value_allowed_null`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Action, Example, Field, Kind, Metadata, Object};

#[derive(Deserialize)]
struct ApiJson {
    actions: BTreeMap<String, ApiAction>,
    metadata: ApiMeta,
    objects: BTreeMap<String, ApiObject>,
}

#[derive(Deserialize)]
struct ApiMeta {
    #[serde(rename = "apiVersion")]
    api_version: String,
    #[serde(rename = "serviceShortName")]
    service: String,
}

#[derive(Deserialize)]
struct ApiAction {
    #[serde(default)]
    document: String,
    input: String,
    #[serde(default)]
    name: String,
    output: String,
    #[serde(default)]
    status: Option<String>,
}

#[derive(Deserialize)]
struct ApiObject {
    #[serde(default)]
    document: String,
    members: Vec<ApiMember>,
}

#[derive(Deserialize)]
struct ApiMember {
    name: String,
    #[serde(default)]
    document: String,
    member: String,
    #[serde(rename = "type")]
    ty: String,
    #[serde(default)]
    required: Option<bool>,
    #[serde(default)]
    output_required: Option<bool>,
    #[serde(default)]
    value_allowed_null: Option<bool>,
    #[serde(default)]
    disabled: Option<bool>,
    #[serde(default)]
    example: Option<String>,
}

#[derive(Deserialize)]
struct ExamplesJson {
    actions: BTreeMap<String, Vec<ApiExample>>,
}

#[derive(Deserialize)]
struct ApiExample {
    #[serde(default)]
    title: String,
    #[serde(default)]
    document: String,
    #[serde(default)]
    input: String,
    #[serde(default)]
    output: String,
}

/// What `api.json` names besides its actions.
#[derive(Clone, Debug)]
pub struct Service {
    /// `serviceShortName` (`cbs`).
    pub service: String,
    /// `apiVersion` (`2017-03-12`).
    pub api_version: String,
    /// The metadata.
    pub metadata: Metadata,
}

/// Where a service version's `api.json` lives under a `tccli` package directory.
pub fn api_json_path(tccli_dir: &Path, service: &str, version: &str) -> PathBuf {
    let digits: String = version.chars().filter(char::is_ascii_digit).collect();
    tccli_dir
        .join("services")
        .join(service)
        .join(format!("v{digits}"))
        .join("api.json")
}

/// Reads `api.json` (and `examples.json` beside it, when present). The package version comes
/// from `tccli/__init__.py` three directories up; `file` is the path from `tccli/` on.
pub fn read(api_json: &Path) -> Result<Service, String> {
    let text = std::fs::read_to_string(api_json)
        .map_err(|e| format!("cannot read {}: {e}", api_json.display()))?;
    let api: ApiJson = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not tccli API metadata: {e}", api_json.display()))?;
    let examples = match std::fs::read_to_string(api_json.with_file_name("examples.json")) {
        Ok(text) => {
            serde_json::from_str::<ExamplesJson>(&text)
                .map_err(|e| {
                    format!(
                        "{} is not tccli examples: {e}",
                        api_json.with_file_name("examples.json").display()
                    )
                })?
                .actions
        }
        Err(_) => BTreeMap::new(),
    };
    let (tccli_dir, file) = package_path(api_json)?;
    let version = package_version(&tccli_dir)?;
    Ok(convert(api, examples, version, file))
}

/// The `tccli/` directory above `services/<svc>/<ver>/api.json` and the file's path from it.
fn package_path(api_json: &Path) -> Result<(PathBuf, String), String> {
    let err = || {
        format!(
            "{} is not at tccli/services/<service>/<version>/api.json inside a tccli package",
            api_json.display()
        )
    };
    let ver_dir = api_json.parent().ok_or_else(err)?;
    let svc_dir = ver_dir.parent().ok_or_else(err)?;
    let services = svc_dir.parent().ok_or_else(err)?;
    let tccli = services.parent().ok_or_else(err)?;
    if services.file_name().and_then(|n| n.to_str()) != Some("services") {
        return Err(err());
    }
    let name = |p: &Path| {
        p.file_name()
            .and_then(|n| n.to_str())
            .map(str::to_owned)
            .ok_or_else(err)
    };
    let file = format!(
        "tccli/services/{}/{}/{}",
        name(svc_dir)?,
        name(ver_dir)?,
        name(api_json)?
    );
    Ok((tccli.to_path_buf(), file))
}

/// `__version__` of `tccli/__init__.py`.
pub fn package_version(tccli_dir: &Path) -> Result<String, String> {
    let init = tccli_dir.join("__init__.py");
    let text = std::fs::read_to_string(&init)
        .map_err(|e| format!("cannot read {} for the tccli version: {e}", init.display()))?;
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("__version__"))
        .filter_map(|rest| rest.trim().strip_prefix('='))
        .map(|v| v.trim().trim_matches(|c| c == '\'' || c == '"').to_owned())
        .find(|v| !v.is_empty())
        .ok_or_else(|| format!("{} has no `__version__ = '...'`", init.display()))
}

fn convert(
    api: ApiJson,
    mut examples: BTreeMap<String, Vec<ApiExample>>,
    version: String,
    file: String,
) -> Service {
    let actions = api
        .actions
        .into_iter()
        .map(|(name, a)| {
            let examples = examples
                .remove(&name)
                .unwrap_or_default()
                .into_iter()
                .map(|e| Example {
                    title: e.title,
                    doc: e.document,
                    request: e.input,
                    response: e.output,
                })
                .collect();
            let action = Action {
                title: a.name,
                doc: a.document,
                status: a.status.unwrap_or_default(),
                request: a.input,
                response: a.output,
                examples,
            };
            (name, action)
        })
        .collect();
    let objects = api
        .objects
        .into_iter()
        .map(|(name, o)| {
            let fields = o.members.into_iter().map(member).collect();
            let object = Object {
                doc: o.document,
                fields,
            };
            (name, object)
        })
        .collect();
    Service {
        service: api.metadata.service,
        api_version: api.metadata.api_version,
        metadata: Metadata {
            package: "tccli".to_owned(),
            version,
            file,
            actions,
            objects,
        },
    }
}

fn member(m: ApiMember) -> Field {
    let kind = match m.ty.as_str() {
        "list" => Kind::Array {
            items: Box::new(scalar_or_object(&m.member, &m.member)),
        },
        "object" => Kind::Object {
            name: m.member.clone(),
        },
        other => scalar_or_object(other, &m.member),
    };
    Field {
        name: m.name,
        kind,
        required: m.required.unwrap_or(false),
        output_required: m.output_required.unwrap_or(false),
        nullable: m.value_allowed_null.unwrap_or(false),
        disabled: m.disabled.unwrap_or(false),
        doc: m.document,
        example: m.example.unwrap_or_default(),
    }
}

/// The kind of a member from its `type` and `member` (for lists, both are the item type).
fn scalar_or_object(ty: &str, member: &str) -> Kind {
    let timestamp = |format: &str| Kind::Timestamp {
        format: format.to_owned(),
    };
    match (ty, member) {
        (_, "datetime") => timestamp("local-datetime"),
        (_, "datetime_iso") => timestamp("rfc3339"),
        (_, "date") => timestamp("date"),
        (_, "int64") => Kind::Integer {
            bits: Some(64),
            unsigned: false,
        },
        (_, "uint64") => Kind::Integer {
            bits: Some(64),
            unsigned: true,
        },
        ("int" | "integer", _) => Kind::Integer {
            bits: Some(64),
            unsigned: false,
        },
        (_, "float" | "double") | ("float", _) => Kind::Float,
        (_, "bool") | ("bool", _) => Kind::Bool,
        (_, "binary") | ("binary", _) => Kind::Binary,
        (_, "string") | ("string", _) => Kind::String,
        (_, name) => Kind::Object {
            name: name.to_owned(),
        },
    }
}
