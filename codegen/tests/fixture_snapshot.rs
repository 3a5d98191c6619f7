//! The fixture service (`tests/fixtures/lifecycle/`), which uses every construct of the spec
//! format, generated with the runtime path `::cloudbackup::__private` so the snapshot compiles
//! outside the crate: the main crate's `tests/fixture_service.rs` compiles it under
//! `#![deny(warnings)]` and runs it against the emulator. Bless with
//! `EXPECTORATE=overwrite cargo test -p cloudbackup-codegen --test fixture_snapshot`.

use cloudbackup_codegen::{Settings, generate};

#[test]
fn fixture_service_matches_its_snapshot() {
    let mut settings = Settings::new("tests/fixtures/lifecycle");
    settings.runtime_path = "::cloudbackup::__private".to_owned();
    let generated = generate(&settings).unwrap_or_else(|f| panic!("{}", f.rendered));
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    std::fs::create_dir_all("tests/fixture_snapshot").unwrap();
    expectorate::assert_contents(
        "tests/fixture_snapshot/widgets.rs",
        &generated.files["fixture/widgets.rs"],
    );
    // The same specs, the same bytes.
    let again = generate(&settings).unwrap_or_else(|f| panic!("{}", f.rendered));
    assert_eq!(generated.files, again.files);
}
