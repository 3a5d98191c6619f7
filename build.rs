//! Build script: generates the typed API from `specs/` into `OUT_DIR`.
use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    println!("cargo:rerun-if-changed=specs");
    if let Err(e) = cloudbackup_codegen::generate(std::path::Path::new("specs"), &out) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
