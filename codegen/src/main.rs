//! `cloudbackup-codegen`: the generator's command line.
//!
//! ```text
//! cloudbackup-codegen check [SPECS]          print every diagnostic of the spec tree (default `specs`)
//! cloudbackup-codegen docs  [SPECS] [OUT]    regenerate the Markdown reference (default `docs/api`)
//! cloudbackup-codegen dump  PROVIDER SERVICE print the Rust generated for one service
//! cloudbackup-codegen snapshots [SPECS] [OUT] regenerate the generated-code snapshots (default
//!                                            `codegen/tests/snapshots`)
//! cloudbackup-codegen schema [OUT]           regenerate the JSON Schemas (default `specs/_schema`;
//!                                            needs `--features schema`)
//! cloudbackup-codegen import tencent API_JSON --service DIR [--action NAME]... [--out SPECS]
//!                                            [--force | --skip-existing] [--read YYYY-MM-DD]
//!                                            spec YAML from tccli's API 3.0 metadata
//! cloudbackup-codegen drift [SPECS] [--python PY | --vendor DIR]
//!                                            compare the specs with the vendor metadata
//! cloudbackup-codegen features [SPECS]       print the Cargo feature of every service, one a line
//! ```
//!
//! Run from the repository root, for example `cargo run -p cloudbackup-codegen -- check specs`.
//! The crate's `Cargo.toml` next to `SPECS` is read for its `[features]`: every service must
//! have its feature there (S0501), as in the build.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cloudbackup_codegen::diagnostics::{Severity, render_all};
use cloudbackup_codegen::features::{CargoFeatures, service_features};
use cloudbackup_codegen::{Settings, check, docs, fresh, generate};

#[cfg(feature = "vendor")]
mod vendor_cli;

fn usage() -> ExitCode {
    eprintln!(
        "usage: cloudbackup-codegen check [SPECS]\n       cloudbackup-codegen docs [SPECS] [OUT]\n       cloudbackup-codegen snapshots [SPECS] [OUT]\n       cloudbackup-codegen schema [OUT]\n       cloudbackup-codegen dump PROVIDER SERVICE\n       cloudbackup-codegen features [SPECS]\n       cloudbackup-codegen import tencent API_JSON --service DIR [--action NAME]... [--out SPECS] [--force | --skip-existing] [--read YYYY-MM-DD]\n       cloudbackup-codegen drift [SPECS] [--python PY | --vendor DIR]"
    );
    ExitCode::from(2)
}

/// Settings for the spec tree `specs`, with the features of the crate's manifest next to it
/// (`specs/../Cargo.toml`), when there is one.
fn settings(specs: &Path) -> Result<Settings, ExitCode> {
    let mut settings = Settings::new(specs);
    let manifest = specs.parent().unwrap_or(Path::new("")).join("Cargo.toml");
    if manifest.is_file() {
        match CargoFeatures::read(&manifest, manifest.display().to_string()) {
            Ok(features) => settings.cargo_features = Some(features),
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", manifest.display());
                return Err(ExitCode::FAILURE);
            }
        }
    } else {
        eprintln!(
            "note: no {} next to {}: the services' Cargo features are not checked",
            manifest.display(),
            specs.display()
        );
    }
    Ok(settings)
}

fn run_features(specs: &Path) -> ExitCode {
    match check(&Settings::new(specs)) {
        Ok((_, tree, ..)) => {
            for feature in service_features(&tree) {
                println!("{feature}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn run_check(specs: &Path) -> ExitCode {
    let settings = match settings(specs) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match check(&settings) {
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
        Ok((_, _, diags, sources)) => {
            let errors = diags
                .iter()
                .filter(|d| d.code.severity() == Severity::Error)
                .count();
            let warnings = diags.len() - errors;
            eprint!("{}", render_all(&diags, &sources));
            eprintln!(
                "checked {}: {errors} error(s), {warnings} warning(s)",
                specs.display()
            );
            if errors == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

fn run_docs(specs: &Path, out: &Path) -> ExitCode {
    let settings = match settings(specs) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let model = match check(&settings) {
        Ok((Some(model), ..)) => model,
        Ok((None, _, diags, sources)) => {
            eprint!("{}", render_all(&diags, &sources));
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let pages = docs::pages(&model);
    if let Err(e) = docs::write_tree(out, &pages) {
        eprintln!("error: cannot write {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    eprintln!("wrote {} pages to {}", pages.len(), out.display());
    ExitCode::SUCCESS
}

fn run_snapshots(specs: &Path, out: &Path) -> ExitCode {
    let settings = match settings(specs) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let generated = match generate(&settings) {
        Ok(g) => g,
        Err(f) => {
            eprint!("{}", f.rendered);
            return ExitCode::FAILURE;
        }
    };
    let files = fresh::snapshot_files(&generated);
    if let Err(e) = docs::write_tree(out, &files) {
        eprintln!("error: cannot write {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    eprintln!("wrote {} snapshots to {}", files.len(), out.display());
    ExitCode::SUCCESS
}

fn run_dump(provider: &str, service: &str) -> ExitCode {
    match generate(&Settings::new("specs")) {
        Ok(g) => match g.files.get(&format!("{provider}/{service}.rs")) {
            Some(code) => {
                print!("{code}");
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("error: no service {provider}/{service} in specs/");
                ExitCode::FAILURE
            }
        },
        Err(f) => {
            eprint!("{}", f.rendered);
            ExitCode::FAILURE
        }
    }
}

#[cfg(feature = "schema")]
fn run_schema(out: &Path) -> ExitCode {
    let schemas = cloudbackup_codegen::schema::schemas();
    for (name, text) in &schemas {
        if let Err(e) =
            std::fs::create_dir_all(out).and_then(|()| std::fs::write(out.join(name), text))
        {
            eprintln!("error: cannot write {}: {e}", out.join(name).display());
            return ExitCode::FAILURE;
        }
    }
    eprintln!("wrote {} schemas to {}", schemas.len(), out.display());
    ExitCode::SUCCESS
}

#[cfg(not(feature = "schema"))]
fn run_schema(_out: &Path) -> ExitCode {
    eprintln!(
        "error: build with `--features schema`: cargo run -p cloudbackup-codegen --features schema -- schema"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, default: &str| PathBuf::from(args.get(i).map_or(default, String::as_str));
    match args.first().map(String::as_str) {
        Some("check") if args.len() <= 2 => run_check(&arg(1, "specs")),
        Some("docs") if args.len() <= 3 => run_docs(&arg(1, "specs"), &arg(2, docs::DOCS_ROOT)),
        Some("snapshots") if args.len() <= 3 => {
            run_snapshots(&arg(1, "specs"), &arg(2, fresh::SNAPSHOTS_ROOT))
        }
        Some("schema") if args.len() <= 2 => run_schema(&arg(1, "specs/_schema")),
        Some("dump") if args.len() == 3 => run_dump(&args[1], &args[2]),
        #[cfg(feature = "vendor")]
        Some("import") => vendor_cli::import(&args[1..]).unwrap_or_else(|()| usage()),
        #[cfg(feature = "vendor")]
        Some("drift") => vendor_cli::drift(&args[1..]).unwrap_or_else(|()| usage()),
        Some("features") if args.len() <= 2 => run_features(&arg(1, "specs")),
        _ => usage(),
    }
}
