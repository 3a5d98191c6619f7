//! Generates the typed API from `specs/` into `OUT_DIR` (see `codegen/README.md`).
//!
//! Only the services whose Cargo feature (`<provider>-<service>`) is enabled get code; every
//! spec is still loaded and checked, so a spec error fails the build whatever the features.
//! The features this manifest declares are checked too: a service without its feature (or not
//! a default one) fails the build with the line to add to `Cargo.toml`.
//! Cargo reruns this script when the features change (they are part of its fingerprint and
//! of `OUT_DIR`), so no `rerun-if-env-changed` is needed for `CARGO_FEATURE_*`.
#![forbid(unsafe_code)]

use std::collections::BTreeSet;
use std::path::PathBuf;

fn main() {
    let Some(out_dir) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        eprintln!("error: OUT_DIR is not set; build this crate with cargo");
        std::process::exit(1);
    };
    let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from) else {
        eprintln!("error: CARGO_MANIFEST_DIR is not set; build this crate with cargo");
        std::process::exit(1);
    };
    println!("cargo:rerun-if-changed=specs");
    println!("cargo:rerun-if-changed=Cargo.toml");
    let mut settings = cloudbackup_codegen::Settings::new("specs");
    settings.services = Some(enabled_features());
    let manifest = manifest_dir.join("Cargo.toml");
    match cloudbackup_codegen::features::CargoFeatures::read(&manifest, "Cargo.toml") {
        Ok(features) => settings.cargo_features = Some(features),
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", manifest.display());
            std::process::exit(1);
        }
    }
    match cloudbackup_codegen::generate(&settings) {
        Ok(generated) => {
            for path in &generated.read {
                println!("cargo:rerun-if-changed={}", path.display());
            }
            for warning in &generated.warnings {
                println!("cargo:warning={warning}");
            }
            if let Err(e) = cloudbackup_codegen::write_if_changed(&out_dir, &generated) {
                eprintln!(
                    "error: cannot write generated code to {}: {e}",
                    out_dir.display()
                );
                std::process::exit(1);
            }
        }
        Err(failure) => {
            eprint!("{}", failure.rendered);
            std::process::exit(1);
        }
    }
}

/// The enabled features, from Cargo's `CARGO_FEATURE_<NAME>` variables (`tencent_cbs`).
fn enabled_features() -> BTreeSet<String> {
    std::env::vars_os()
        .filter_map(|(name, _)| {
            let name = name.into_string().ok()?;
            Some(name.strip_prefix("CARGO_FEATURE_")?.to_ascii_lowercase())
        })
        .collect()
}
