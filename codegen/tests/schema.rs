//! The JSON Schemas of the spec format (feature `schema`): current, referenced by every spec,
//! and every spec validates against its schema. Regenerate with `scripts/regen.sh`.
#![cfg(feature = "schema")]

use std::path::{Path, PathBuf};

use cloudbackup_codegen::fresh::{stale, stale_message};
use cloudbackup_codegen::schema::{SCHEMA_DIR, schema_for_file, schemas};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn spec_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() && !p.file_name().unwrap().to_string_lossy().starts_with('_') {
            spec_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "yaml") {
            out.push(p);
        }
    }
}

fn compile(name: &str) -> (boon::Schemas, boon::SchemaIndex) {
    let text = &schemas()[name];
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    let mut compiler = boon::Compiler::new();
    let url = format!("file:///cloudbackup/{name}");
    compiler.add_resource(&url, value).unwrap();
    let mut all = boon::Schemas::new();
    let index = compiler.compile(&url, &mut all).unwrap();
    (all, index)
}

fn validate(name: &str, yaml: &str) -> Result<(), String> {
    let (all, index) = compile(name);
    let value: serde_json::Value = serde_saphyr::from_str(yaml).map_err(|e| e.to_string())?;
    all.validate(&value, index).map_err(|e| format!("{e:#}"))
}

#[test]
fn committed_schemas_are_current() {
    let files = schemas()
        .into_iter()
        .map(|(name, text)| (name.to_owned(), text))
        .collect();
    let stale = stale(&repo().join(SCHEMA_DIR), &files);
    assert!(stale.is_empty(), "{}", stale_message(SCHEMA_DIR, &stale));
}

#[test]
fn every_spec_references_and_validates_against_its_schema() {
    let root = repo().join("specs");
    let mut files = Vec::new();
    spec_files(&root, &mut files);
    assert!(files.len() >= 12, "{files:?}");
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let name = schema_for_file(&f.file_name().unwrap().to_string_lossy());
        let depth = f.strip_prefix(&root).unwrap().components().count() - 1;
        let modeline = format!(
            "# yaml-language-server: $schema={}_schema/{name}",
            "../".repeat(depth)
        );
        assert_eq!(
            text.lines().next(),
            Some(modeline.as_str()),
            "{}",
            f.display()
        );
        if let Err(e) = validate(name, &text) {
            panic!("{} does not validate against {name}:\n{e}", f.display());
        }
    }
}

#[test]
fn the_schema_rejects_what_the_generator_rejects() {
    let ok = "action: A\nsummary: s\nsource: { url: 'https://x', read: '2026-01-01' }\nhttp: { method: GET, path: / }\n";
    assert_eq!(validate("action.schema.json", ok), Ok(()));
    let unknown_key = format!("{ok}requets: []\n");
    assert!(validate("action.schema.json", &unknown_key).is_err());
    let missing = "action: A\nsummary: s\n";
    assert!(validate("action.schema.json", missing).is_err());
    let bad_bound =
        format!("{ok}request:\n  - {{ name: x, type: string, length: {{ max: many }} }}\n");
    assert!(validate("action.schema.json", &bad_bound).is_err());
    let enum_forms = format!(
        "{ok}request:\n  - name: x\n    type: string\n    enum: [a, {{ value: b, name: Bee, doc: d }}]\n"
    );
    assert_eq!(validate("action.schema.json", &enum_forms), Ok(()));
}
