//! The spec format as JSON Schema, generated from the `spec` model (feature `schema`), one
//! schema per kind of file. Checked in under `specs/_schema/` and referenced from every spec
//! through a `yaml-language-server` modeline, so editors validate and complete while typing.

use std::collections::BTreeMap;

use crate::spec::{ActionFile, ProviderFile, ServiceFile};

/// Directory of the schemas, relative to the repository root.
pub const SCHEMA_DIR: &str = "specs/_schema";

fn render<T: schemars::JsonSchema>(title: &str) -> String {
    let mut schema = schemars::schema_for!(T);
    schema.insert("title".to_owned(), title.into());
    let mut text = serde_json::to_string_pretty(&schema).expect("invariant: a schema serialises");
    text.push('\n');
    text
}

/// `provider.schema.json`, `service.schema.json` and `action.schema.json`.
pub fn schemas() -> BTreeMap<&'static str, String> {
    BTreeMap::from([
        (
            "action.schema.json",
            render::<ActionFile>("cloudbackup action spec (<Action>.yaml)"),
        ),
        (
            "provider.schema.json",
            render::<ProviderFile>("cloudbackup provider spec (_provider.yaml)"),
        ),
        (
            "service.schema.json",
            render::<ServiceFile>("cloudbackup service spec (_service.yaml)"),
        ),
    ])
}

/// The schema file a spec file should reference: by file name.
pub fn schema_for_file(file_name: &str) -> &'static str {
    match file_name {
        "_provider.yaml" => "provider.schema.json",
        "_service.yaml" => "service.schema.json",
        _ => "action.schema.json",
    }
}
