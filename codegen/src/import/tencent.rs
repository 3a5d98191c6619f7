//! Spec YAML from Tencent API 3.0 metadata: one action file per action, and the shared object
//! types (`_service.yaml` `types:`) its fields use.
//!
//! What is written, from what the metadata states and nothing else:
//! - `type:` from `type`/`member`: `string`, `int64` (`int64` and `uint64`), `float64`,
//!   `bool`, `timestamp` with `format:` (`datetime` → `local-datetime`, `datetime_iso` →
//!   `rfc3339`, `date` → `date`), `array` with `items:`, and an object by its shared type name;
//! - `required: true` on request fields the metadata marks required; `range: { min: 0 }` on
//!   unsigned request integers (the metadata's `uint64`); response fields are never required
//!   and carry no constraints (a client does not fail on an answer);
//! - docs converted from HTML to Markdown ([`super::html`]); the action's examples verbatim;
//!   `source:` naming the metadata file at the tccli release it was read from.
//!
//! Anything stated only in prose becomes a [`Suggestion`], never a rule.

use std::collections::BTreeSet;

use super::html::to_markdown;
use super::names::{self, Renames};
use super::prose::{Side, Suggestion, suggest};
use super::yaml::{MapBuilder, Node};
use crate::vendor::tccli::Service;
use crate::vendor::{Field, Kind, Metadata};

/// Where tccli's releases are published: `<base>/<version>/<file>` names the metadata file at
/// the release that was read (the repository tags each release with its version).
pub const TCCLI_SOURCE: &str = "https://github.com/TencentCloud/tencentcloud-cli/blob";

/// An action turned into spec YAML.
#[derive(Debug)]
pub struct ImportedAction {
    /// Action name (the file stem).
    pub name: String,
    /// The file's text.
    pub yaml: String,
    /// Shared types its fields name (directly or through other types).
    pub types: BTreeSet<String>,
    /// Prose constraints and other remarks for the author.
    pub suggestions: Vec<Suggestion>,
}

/// Which shared types requests reach: their members may take request constraints.
#[derive(Debug)]
pub struct Usage {
    request: BTreeSet<String>,
}

impl Usage {
    /// The object types reachable from any action's request, over the whole metadata (so a
    /// type's YAML does not depend on which actions are imported).
    pub fn of(meta: &Metadata) -> Usage {
        let roots = meta.actions.values().map(|a| a.request.as_str());
        Usage {
            request: meta
                .reachable(roots)
                .into_iter()
                .map(str::to_owned)
                .collect(),
        }
    }

    /// Whether some request reaches the object type.
    pub fn in_request(&self, object: &str) -> bool {
        self.request.contains(object)
    }

    fn side(&self, object: &str) -> Side {
        if self.request.contains(object) {
            Side::Request
        } else {
            Side::Response
        }
    }
}

/// The vendor object types an action's fields use, directly or through other types.
pub fn reached(meta: &Metadata, name: &str) -> Result<BTreeSet<String>, String> {
    let a = meta
        .actions
        .get(name)
        .ok_or_else(|| format!("the metadata has no action `{name}`"))?;
    let roots: Vec<&str> = [&a.request, &a.response]
        .into_iter()
        .flat_map(|o| meta.object(o).into_iter().flat_map(|o| &o.fields))
        .filter_map(|f| f.kind.object_name())
        .collect();
    Ok(meta
        .reachable(roots)
        .into_iter()
        .map(str::to_owned)
        .collect())
}

/// The spec of one action; `names` gives the shared type name of each vendor object whose
/// name is taken in the service ([`names`]).
pub fn action(
    svc: &Service,
    name: &str,
    read: &str,
    names: &Renames,
) -> Result<ImportedAction, String> {
    let meta = &svc.metadata;
    let a = meta
        .actions
        .get(name)
        .ok_or_else(|| format!("the metadata has no action `{name}`"))?;
    let mut sink = Vec::new();
    let request = fields(meta, &a.request, Side::Request, "request", names, &mut sink)?;
    let response = fields(
        meta,
        &a.response,
        Side::Response,
        "response",
        names,
        &mut sink,
    )?;
    let mut description = to_markdown(&a.doc);
    if a.status == "deprecated" {
        description.push_str("\n\nThe metadata marks this action deprecated.");
    }
    let summary = one_line(if a.title.trim().is_empty() {
        &description
    } else {
        &a.title
    });
    let examples: Vec<Node> = a
        .examples
        .iter()
        .map(|e| {
            MapBuilder::default()
                .put("title", Node::str(one_line(&e.title)))
                .opt("note", non_empty(&to_markdown(&e.doc)))
                .opt("request", non_empty(&e.request))
                .opt("response", non_empty(&e.response))
                .build()
        })
        .collect();
    let doc = MapBuilder::default()
        .put("action", Node::str(name))
        .put("summary", Node::str(summary))
        .opt("description", non_empty(&description))
        .put(
            "source",
            MapBuilder::default()
                .put(
                    "url",
                    Node::str(format!("{TCCLI_SOURCE}/{}/{}", meta.version, meta.file)),
                )
                .put("read", Node::str(read))
                .build(),
        )
        .put(
            "http",
            MapBuilder::default()
                .put("method", Node::str("POST"))
                .put("path", Node::str("/"))
                .build(),
        )
        .opt(
            "request",
            (!request.is_empty()).then_some(Node::Seq(request)),
        )
        .opt(
            "response",
            (!response.is_empty()).then_some(Node::Seq(response)),
        )
        .opt(
            "examples",
            (!examples.is_empty()).then_some(Node::Seq(examples)),
        )
        .build();
    let types = reached(meta, name)?;
    let yaml = format!(
        "# yaml-language-server: $schema=../../_schema/action.schema.json\n{}",
        super::yaml::to_string(&doc)
    );
    Ok(ImportedAction {
        name: name.to_owned(),
        yaml,
        types,
        suggestions: sink,
    })
}

/// One `types:` entry of `_service.yaml`: the vendor object `object`, named as `names` says.
pub fn shared_type(
    meta: &Metadata,
    usage: &Usage,
    object: &str,
    names: &Renames,
    sink: &mut Vec<Suggestion>,
) -> Result<Node, String> {
    let obj = meta
        .object(object)
        .ok_or_else(|| format!("the metadata names object `{object}` but does not define it"))?;
    let side = usage.side(object);
    let name = names::of(names, object);
    let members = fields(meta, object, side, &format!("types.{name}"), names, sink)?;
    Ok(MapBuilder::default()
        .put("name", Node::str(name))
        .put("type", Node::str("object"))
        .opt("doc", non_empty(&to_markdown(&obj.doc)))
        .put("fields", Node::Seq(members))
        .build())
}

fn fields(
    meta: &Metadata,
    object: &str,
    side: Side,
    place: &str,
    names: &Renames,
    sink: &mut Vec<Suggestion>,
) -> Result<Vec<Node>, String> {
    let obj = meta
        .object(object)
        .ok_or_else(|| format!("the metadata names object `{object}` but does not define it"))?;
    let mut out = Vec::new();
    for f in &obj.fields {
        let at = format!("{place}.{}", f.name);
        if f.disabled {
            sink.push(remark(
                &at,
                "the metadata marks the member disabled",
                "not imported",
            ));
            continue;
        }
        out.push(field(f, side, &at, names, sink));
    }
    Ok(out)
}

fn field(f: &Field, side: Side, place: &str, names: &Renames, sink: &mut Vec<Suggestion>) -> Node {
    let doc = to_markdown(&f.doc);
    sink.extend(suggest(place, &doc, &f.kind, side));
    check_example(f, place, sink);
    let mut m = MapBuilder::default().put("name", Node::str(&f.name));
    for (k, v) in type_keys(&f.kind, side, place, names, sink) {
        m = m.put(k, v);
    }
    if side == Side::Request && f.required {
        m = m.put("required", Node::Bool(true));
    }
    if doc.is_empty() {
        sink.push(remark(
            place,
            "the metadata has no doc",
            "write `doc:` from the page",
        ));
    }
    m.opt("doc", non_empty(&doc)).build()
}

/// `type:` and what goes with it (`format:`, `items:`, `range:`).
fn type_keys(
    kind: &Kind,
    side: Side,
    place: &str,
    names: &Renames,
    sink: &mut Vec<Suggestion>,
) -> Vec<(&'static str, Node)> {
    let t = |s: &str| ("type", Node::str(s));
    match kind {
        Kind::String => vec![t("string")],
        Kind::Integer { unsigned, .. } => {
            let mut v = vec![t("int64")];
            if *unsigned && side == Side::Request {
                v.push((
                    "range",
                    MapBuilder::default().put("min", Node::Int(0)).build(),
                ));
            }
            v
        }
        Kind::Float => vec![t("float64")],
        Kind::Bool => vec![t("bool")],
        Kind::Timestamp { format } => vec![t("timestamp"), ("format", Node::str(format))],
        Kind::Binary | Kind::Map => {
            sink.push(remark(
                place,
                &format!("the metadata says {}", kind.describe()),
                "imported as `type: string`; check the page",
            ));
            vec![t("string")]
        }
        Kind::Object { name } => vec![t(names::of(names, name))],
        Kind::Array { items } => {
            let mut item = MapBuilder::default();
            for (k, v) in type_keys(items, side, place, names, sink) {
                item = item.put(k, v);
            }
            vec![t("array"), ("items", item.build())]
        }
    }
}

/// Remarks on timestamps: the zone of a `local-datetime`, and an example that contradicts
/// the stated format.
fn check_example(f: &Field, place: &str, sink: &mut Vec<Suggestion>) {
    let Kind::Timestamp { format } = &f.kind else {
        return;
    };
    let ex = f.example.trim();
    let shape: String = ex
        .chars()
        .map(|c| if c.is_ascii_digit() { '9' } else { c })
        .collect();
    let fits = match format.as_str() {
        "local-datetime" => shape == "9999-99-99 99:99:99",
        "date" => shape == "9999-99-99",
        _ => shape.starts_with("9999-99-99T99:99:99"),
    };
    if !ex.is_empty() && !fits {
        sink.push(remark(
            place,
            &format!("format `{format}` but the metadata's example is `{ex}`"),
            "check the page for the real format",
        ));
    }
    if format == "local-datetime" {
        sink.push(remark(
            place,
            "a date and time without a zone",
            "say in `doc:` which zone the page means (Tencent's pages: UTC+8), or that it does not say",
        ));
    }
}

fn remark(place: &str, phrase: &str, advice: &str) -> Suggestion {
    Suggestion {
        place: place.to_owned(),
        phrase: phrase.to_owned(),
        advice: advice.to_owned(),
    }
}

fn non_empty(s: &str) -> Option<Node> {
    let s = s.trim();
    (!s.is_empty()).then(|| Node::str(s))
}

/// The first line, trimmed (`summary:` is one line).
fn one_line(s: &str) -> String {
    s.trim()
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned()
}
