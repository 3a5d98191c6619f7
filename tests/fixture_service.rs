//! The fixture service, which uses every construct of the spec format: its generated code (the
//! committed snapshot `codegen/tests/fixture_snapshot/widgets.rs`, kept fresh by the codegen's
//! `fixture_snapshot` test) compiles under `#![deny(warnings)]` outside the crate and, with the
//! program in `tests/fixtures/lifecycle_service/main.rs`, runs against the emulator (which
//! serves it through `EmulatorConfig::with_actions`). trybuild builds and runs the file.

#![cfg(all(feature = "emulator", feature = "huawei"))]

use std::path::PathBuf;

#[test]
fn fixture_service_compiles_deny_warnings_and_runs_against_the_emulator() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let generated = std::fs::read_to_string(root.join("codegen/tests/fixture_snapshot/widgets.rs"))
        .expect("the fixture snapshot");
    let program = std::fs::read_to_string(root.join("tests/fixtures/lifecycle_service/main.rs"))
        .expect("the fixture program");
    let file = format!(
        "#![deny(warnings)]\n\n/// The fixture provider.\npub mod fixture {{\n    /// The fixture service.\n    pub mod widgets {{\n{generated}\n    }}\n}}\n\n{program}"
    );
    let dir = root.join("target/fixture-service");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("widgets.rs");
    std::fs::write(&path, file).unwrap();
    trybuild::TestCases::new().pass(&path);
}
