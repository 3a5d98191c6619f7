//! `_service.yaml` for an import: a new file for a new service, or new shared types appended
//! to the `types:` list of an existing one. Existing entries are never rewritten (the drift
//! check compares them with the metadata), so the change to an existing file only adds.

use std::collections::BTreeSet;

use super::yaml::{MapBuilder, Node, to_string};

/// The names in the `types:` list of a `_service.yaml`, and its `family:` and `version:`.
#[derive(Debug, Default)]
pub struct Existing {
    /// `family:`.
    pub family: Option<String>,
    /// `version:`.
    pub version: Option<String>,
    /// Names of the shared types.
    pub types: BTreeSet<String>,
}

/// Reads what the importer needs from a `_service.yaml` without the strict spec model (which
/// does not know `types:` yet).
pub fn existing(text: &str) -> Result<Existing, String> {
    let v: serde_json::Value =
        serde_saphyr::from_str(text).map_err(|e| format!("not valid YAML: {e}"))?;
    let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_owned);
    let types = match v.get("types") {
        None | Some(serde_json::Value::Null) => BTreeSet::new(),
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|t| {
                t.get("name")
                    .and_then(|n| n.as_str())
                    .map(str::to_owned)
                    .ok_or_else(|| "a `types:` entry without `name:`".to_owned())
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("`types:` is not a list".to_owned()),
    };
    Ok(Existing {
        family: s("family"),
        version: s("version"),
        types,
    })
}

/// A new `_service.yaml` for a Tencent API 3.0 service.
pub fn new_file(service: &str, signing_name: &str, version: &str, title: &str) -> String {
    let doc = MapBuilder::default()
        .put("service", Node::str(service))
        .put("title", Node::str(title))
        .put("family", Node::str("tencent-tc3"))
        .put("version", Node::str(version))
        .put("signing_name", Node::str(signing_name))
        .build();
    format!(
        "# yaml-language-server: $schema=../../_schema/service.schema.json\n{}",
        to_string(&doc)
    )
}

/// `text` with `entries` added at the end of its `types:` list (a new `types:` key at the end
/// of the file when it has none).
pub fn append_types(text: &str, entries: &[Node]) -> Result<String, String> {
    if entries.is_empty() {
        return Ok(text.to_owned());
    }
    let block = to_string(
        &MapBuilder::default()
            .put("types", Node::Seq(entries.to_vec()))
            .build(),
    );
    let items = block
        .split_once('\n')
        .map(|(_, rest)| rest)
        .unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines.iter().position(|l| l.starts_with("types:")) else {
        let mut out = text.to_owned();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&block);
        return Ok(out);
    };
    let inline = lines[start]["types:".len()..].trim();
    if !(inline.is_empty() || inline.starts_with('#') || inline == "[]") {
        return Err("`types:` is written in flow style; add the imported types by hand".to_owned());
    }
    // The block runs to the next line that starts a top-level key.
    let mut end = start + 1;
    let mut last = start;
    while end < lines.len() {
        let l = lines[end];
        if !(l.is_empty() || l.starts_with([' ', '-', '#'])) {
            break;
        }
        if !l.trim().is_empty() && !l.starts_with('#') {
            last = end;
        }
        end += 1;
    }
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i == start && inline == "[]" {
            out.push_str("types:\n");
        } else {
            out.push_str(l);
            out.push('\n');
        }
        if i == last {
            out.push_str(items);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{append_types, existing};
    use crate::import::yaml::{MapBuilder, Node};

    fn t(name: &str) -> Node {
        MapBuilder::default()
            .put("name", Node::str(name))
            .put("type", Node::str("object"))
            .put("fields", Node::Seq(vec![]))
            .build()
    }

    #[test]
    fn appends_after_existing_entries() {
        let text = "service: cbs\ntypes:\n  - name: A\n    type: object\n    fields: []\nendpoints:\n  global: x\n";
        let out = append_types(text, &[t("B")]).unwrap();
        assert_eq!(
            out,
            "service: cbs\ntypes:\n  - name: A\n    type: object\n    fields: []\n  - { name: B, type: object, fields: [] }\nendpoints:\n  global: x\n"
        );
        let names: Vec<String> = existing(&out).unwrap().types.into_iter().collect();
        assert_eq!(names, ["A", "B"]);
    }

    #[test]
    fn adds_the_key_when_missing() {
        let out = append_types("service: cbs\n", &[t("B")]).unwrap();
        assert_eq!(
            out,
            "service: cbs\ntypes:\n  - { name: B, type: object, fields: [] }\n"
        );
    }
}
