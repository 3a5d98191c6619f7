//! `pattern:` must match the whole value: the emitted check anchors the expression.

use std::path::Path;

#[test]
fn emitted_pattern_is_anchored() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pattern");
    let generated = cloudbackup_codegen::generate(&cloudbackup_codegen::Settings::new(specs))
        .unwrap_or_else(|f| panic!("{}", f.rendered));
    let code = &generated.files["demo/disk.rs"];
    assert!(
        code.contains(r#"Regex::new("^(?:disk-[a-z0-9]+)$")"#),
        "pattern not anchored:\n{code}"
    );
    // The spec's own text is what violations show.
    assert!(code.contains(r#""disk-[a-z0-9]+""#), "{code}");
}
