//! Generates the typed API from `specs/` into `OUT_DIR` (see `codegen/README.md`).
#![forbid(unsafe_code)]

use std::path::PathBuf;

fn main() {
    let Some(out_dir) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        eprintln!("error: OUT_DIR is not set; build this crate with cargo");
        std::process::exit(1);
    };
    println!("cargo:rerun-if-changed=specs");
    let settings = cloudbackup_codegen::Settings::new("specs");
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
