//! The `[features]` reader (`cloudbackup_codegen::manifest`): what TOML it reads (and what is
//! not a feature), where it stops, and, against Cargo itself, on the workspace's real
//! manifests the features and what each enables are what `cargo metadata` reports.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use cloudbackup_codegen::manifest::{FeatureTable, ManifestError, features};

fn err_at(line: u32, col: u32, message: &str) -> ManifestError {
    ManifestError {
        line,
        col,
        message: message.to_owned(),
    }
}

#[test]
fn the_reader_agrees_with_cargo_on_the_real_manifests() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--no-deps",
            "--offline",
            "--format-version",
            "1",
        ])
        .current_dir(&repo)
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut compared = 0;
    for package in metadata["packages"].as_array().unwrap() {
        let manifest = package["manifest_path"].as_str().unwrap();
        let by_cargo: BTreeMap<String, Vec<String>> =
            serde_json::from_value(package["features"].clone()).unwrap();
        let text = std::fs::read_to_string(manifest).unwrap();
        let ours: BTreeMap<String, Vec<String>> = features(&text)
            .unwrap_or_else(|e| panic!("{manifest}: {e:?}"))
            .features
            .into_iter()
            .map(|(name, f)| (name, f.enables))
            .collect();
        assert_eq!(ours, by_cargo, "{manifest}");
        compared += usize::from(!ours.is_empty());
    }
    assert!(compared >= 2, "both manifests declare features");
}

fn names(t: &FeatureTable) -> Vec<(&str, u32, Vec<&str>)> {
    t.features
        .iter()
        .map(|(k, f)| {
            (
                k.as_str(),
                f.line,
                f.enables.iter().map(String::as_str).collect(),
            )
        })
        .collect()
}

#[test]
fn strings_comments_and_other_tables_are_not_features() {
    let toml = r#"
# [features] in a comment
[package]
description = """
[features]
x = ["no"]
"""
note = '''
[features]'''
name = 'a "quoted" [features] name'
version = "0.1.0"
pi = 3.14
when = 1979-05-27 07:32:00.999
flags = [true, 1, [2, 3], { a = 1 }]

[dependencies]
tokio = { version = "1", features = [
"rt", # not a feature of this crate
] }

[[bin]]
name = "features"

[features]
default = ["a-b", 'c-d'] # trailing comment
a-b = [
"a", # the provider
"dep:x",
]
"c-d" = ["c"]
empty = []
"esc\"aped" = ["\u00e9\n"]

[target.'cfg(unix)'.features]
nope = ["x"]
"#;
    let t = features(toml).unwrap();
    assert_eq!(t.header, Some(24));
    assert_eq!(
        names(&t),
        [
            ("a-b", 26, vec!["a", "dep:x"]),
            ("c-d", 30, vec!["c"]),
            ("default", 25, vec!["a-b", "c-d"]),
            ("empty", 31, vec![]),
            ("esc\"aped", 32, vec!["é\n"]),
        ]
    );
}

#[test]
fn dotted_keys_and_inline_tables_at_the_root() {
    let t = features("features.default = [\"x\"]\nfeatures.x = []\n").unwrap();
    assert_eq!(t.header, None);
    assert_eq!(names(&t), [("default", 1, vec!["x"]), ("x", 2, vec![])]);
    let t = features("features = { default = [\"x\"], x = [] }\n").unwrap();
    assert_eq!(names(&t), [("default", 1, vec!["x"]), ("x", 1, vec![])]);
    assert_eq!(
        features("[package]\nname = \"x\"\n").unwrap(),
        FeatureTable::default()
    );
    // A line-ending backslash, quotes closing a multi-line string, CRLF line ends.
    let t = features("x = \"\"\"a \\\r\n  b\"\"\"\"\r\n[features]\r\nf = []\r\n").unwrap();
    assert_eq!(names(&t), [("f", 4, vec![])]);
}

#[test]
fn what_cannot_be_read_is_an_error_with_its_position() {
    let err = |t: &str| features(t).unwrap_err();
    assert_eq!(
        err("[features]\na = [\"x\"\nb = []\n"),
        err_at(3, 1, "expected `,` or `]`")
    );
    assert_eq!(
        err("[features]\na = \"x\"\n"),
        err_at(2, 1, "feature `a` is not an array of strings")
    );
    assert_eq!(
        err("[features]\na = [1]\n"),
        err_at(2, 1, "feature `a` is not an array of strings")
    );
    assert_eq!(
        err("[features]\na = []\na = [\"b\"]\n"),
        err_at(3, 1, "feature `a` is defined twice")
    );
    assert_eq!(err("x = \"open\n"), err_at(1, 5, "unterminated string"));
    assert_eq!(err("[features]\na.b = []\n").line, 2);
    assert_eq!(err("[features]\n[features]\n").line, 2);
    assert_eq!(err("a = \"\\q\"\n").message, "invalid escape in a string");
    assert_eq!(
        err("a = 1 b\n"),
        err_at(1, 7, "expected the end of the line")
    );
}
