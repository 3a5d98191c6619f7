//! Printing results in the three `--output` formats: `text` for people, `json` (one document
//! on one line, keys sorted, the same members as the typed output) for scripts, and `table`.

use cloudbackup::registry::ActionEntry;
use cloudbackup::runtime::request::SignedRequest;
use comfy_table::{Table, presets};
use serde_json::{Map, Value};

use crate::cli::Format;
use crate::out::outln;

/// Token-like values that must never be printed.
const SECRET_HEADERS: &[&str] = &[
    "x-tc-token",
    "x-acs-security-token",
    "x-auth-token",
    "x-security-token",
    "x-subject-token",
];
const SECRET_PARAMS: &[&str] = &["Token", "SecurityToken"];

/// A table in the house style: ASCII, no lines between rows.
pub(crate) fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::ASCII_FULL_CONDENSED);
    t.set_header(header.to_vec());
    t
}

fn redact_url(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|kv| match kv.split_once('=') {
            Some((k, _)) if SECRET_PARAMS.contains(&k) => format!("{k}=***"),
            _ => kv.to_owned(),
        })
        .collect();
    format!("{base}?{}", parts.join("&"))
}

/// A signed request (`--dry-run`), tokens replaced by `***`.
pub(crate) fn signed(s: &SignedRequest, format: Format) {
    let headers: Vec<(String, String)> = s
        .headers
        .iter()
        .map(|(k, v)| {
            let shown = if SECRET_HEADERS.contains(&k.to_ascii_lowercase().as_str()) {
                "***"
            } else {
                v
            };
            (k.to_string(), shown.to_owned())
        })
        .collect();
    let body = String::from_utf8_lossy(&s.body);
    let url = redact_url(&s.url);
    match format {
        Format::Json => {
            let v = serde_json::json!({
                "method": s.method.as_str(),
                "url": url,
                "headers": headers,
                "body": body,
            });
            outln!("{v}");
        }
        Format::Text => {
            outln!("{} {url}", s.method.as_str());
            for (k, v) in headers {
                outln!("{k}: {v}");
            }
            outln!();
            if !body.is_empty() {
                outln!("{body}");
            }
        }
        Format::Table => {
            let mut t = table(&["part", "value"]);
            t.add_row(vec!["method", s.method.as_str()]);
            t.add_row(vec!["url", url.as_str()]);
            for (k, v) in &headers {
                t.add_row(vec![format!("header {k}"), v.clone()]);
            }
            t.add_row(vec!["body", &*body]);
            outln!("{t}");
        }
    }
}

/// A scalar as a cell; anything else as compact JSON.
fn cell(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn is_object_list(v: &Value) -> bool {
    matches!(v, Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_object))
}

/// Rows `path | value` of an object; lists of objects are set aside for their own tables.
fn flatten<'v>(
    obj: &'v Map<String, Value>,
    prefix: &str,
    rows: &mut Vec<(String, String)>,
    lists: &mut Vec<(String, &'v [Value])>,
) {
    for (k, v) in obj {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            Value::Object(inner) => flatten(inner, &path, rows, lists),
            Value::Array(items) if is_object_list(v) => lists.push((path, items)),
            other => rows.push((path, cell(other))),
        }
    }
}

/// One table for a list of objects: a column per member, in order of first appearance.
fn list_table(items: &[Value]) -> Table {
    let mut columns: Vec<&str> = Vec::new();
    for item in items {
        for k in item.as_object().into_iter().flat_map(Map::keys) {
            if !columns.contains(&k.as_str()) {
                columns.push(k);
            }
        }
    }
    let mut t = table(&columns);
    for item in items {
        t.add_row(
            columns
                .iter()
                .map(|c| item.get(*c).map(cell).unwrap_or_default())
                .collect::<Vec<_>>(),
        );
    }
    t
}

/// The typed output of a call.
pub(crate) fn result(entry: &ActionEntry, out: &Value, format: Format) {
    match format {
        Format::Json => outln!("{out}"),
        Format::Text => {
            outln!(
                "{} {} {}: ok",
                entry.service.provider,
                entry.service.service,
                entry.action.name
            );
            outln!("{}", serde_json::to_string_pretty(out).unwrap_or_default());
        }
        Format::Table => {
            let empty = Map::new();
            let obj = out.as_object().unwrap_or(&empty);
            let (mut rows, mut lists) = (Vec::new(), Vec::new());
            flatten(obj, "", &mut rows, &mut lists);
            let mut t = table(&["field", "value"]);
            for (k, v) in rows {
                t.add_row(vec![k, v]);
            }
            outln!("{t}");
            for (path, items) in lists {
                let n = items.len();
                outln!("\n{path} ({n} item{}):", if n == 1 { "" } else { "s" });
                outln!("{}", list_table(items));
            }
        }
    }
}

/// The items of every page of a paged call (`--all-pages`).
pub(crate) fn items(entry: &ActionEntry, items: &[Value], format: Format) {
    match format {
        Format::Json => outln!("{}", Value::Array(items.to_vec())),
        Format::Text => {
            let n = items.len();
            outln!(
                "{} {} {}: ok",
                entry.service.provider,
                entry.service.service,
                entry.action.name
            );
            outln!("{n} item{} from every page:", if n == 1 { "" } else { "s" });
            outln!(
                "{}",
                serde_json::to_string_pretty(&Value::Array(items.to_vec())).unwrap_or_default()
            );
        }
        Format::Table => {
            if items.iter().all(Value::is_object) {
                outln!("{}", list_table(items));
            } else {
                let mut t = table(&["item"]);
                for item in items {
                    t.add_row(vec![cell(item)]);
                }
                outln!("{t}");
            }
        }
    }
}
