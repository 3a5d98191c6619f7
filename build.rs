//! Generates the typed API from `specs/` into `OUT_DIR` (see `codegen/README.md`).
//!
//! Only the services whose Cargo feature (`<provider>-<service>`) is enabled get code; every
//! spec is still loaded and checked, so a spec error fails the build whatever the features.
//! The features this manifest declares are checked too: a service without its feature (or not
//! a default one) fails the build with the line to add to `Cargo.toml`.
//! Cargo reruns this script when the features change (they are part of its fingerprint and
//! of `OUT_DIR`), so no `rerun-if-env-changed` is needed for `CARGO_FEATURE_*`.
//! A run whose inputs all read as at the last successful one (a `touch`, a checkout there and
//! back) generates nothing: see `cloudbackup_codegen::stamp`. Either way the script prints one
//! line saying which (`cargo build -vv` shows it).
#![forbid(unsafe_code)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use cloudbackup_codegen::load::Input;
use cloudbackup_codegen::stamp::{self, Stamp};

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
    // Before anything is read: an edit made during this run changes the next run's key.
    let key = stamp::key(&settings, &[&manifest]);
    // A `touch` or a checkout there and back re-runs this script; when every input reads as
    // at the last run, OUT_DIR already holds what generation would write.
    if let Some(stamp) =
        key.and_then(|key| Stamp::load(&out_dir).filter(|stamp| stamp.is_current(key, &out_dir)))
    {
        announce(stamp.read(), stamp.warnings());
        println!("cloudbackup-codegen: every input reads as at the last run; nothing generated");
        return;
    }
    match cloudbackup_codegen::features::CargoFeatures::read(&manifest, "Cargo.toml") {
        Ok(features) => settings.cargo_features = Some(features),
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", manifest.display());
            std::process::exit(1);
        }
    }
    match cloudbackup_codegen::generate(&settings) {
        Ok(generated) => {
            announce(&generated.read, &generated.warnings);
            let written = Stamp::remove(&out_dir)
                .and_then(|()| cloudbackup_codegen::write_if_changed(&out_dir, &generated));
            match written {
                Ok(n) => println!(
                    "cloudbackup-codegen: generated {} files, {n} of them changed",
                    generated.files.len()
                ),
                Err(e) => {
                    eprintln!(
                        "error: cannot write generated code to {}: {e}",
                        out_dir.display()
                    );
                    std::process::exit(1);
                }
            }
            match key.map(|key| Stamp::new(key, &generated).save(&out_dir)) {
                Some(Ok(true)) => {}
                Some(Ok(false)) => println!(
                    "cloudbackup-codegen: a path or warning does not fit on one line of UTF-8; no stamp, so the next run generates again"
                ),
                None => println!(
                    "cloudbackup-codegen: the generator or Cargo.toml could not be read for the stamp's key; the next run generates again"
                ),
                Some(Err(e)) => println!(
                    "cargo:warning=cannot record this run's inputs in {}: {e} (the next build generates again)",
                    out_dir.display()
                ),
            }
        }
        Err(failure) => {
            eprint!("{}", failure.rendered);
            std::process::exit(1);
        }
    }
}

/// Tells Cargo what the generated code depends on, and shows the generator's warnings.
fn announce(read: &[Input], warnings: &[String]) {
    for input in read {
        println!("cargo:rerun-if-changed={}", input.path.display());
    }
    for warning in warnings {
        println!("cargo:warning={warning}");
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
