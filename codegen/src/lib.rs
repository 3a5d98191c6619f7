//! Build-time generator for the `cloudbackup` crate: YAML action specs to typed Rust.
//!
//! Stages: **discover** and **load** ([`load`]) → **resolve** and **check** ([`resolve`]) →
//! **emit** ([`emit`]) → **render** ([`render`]). Each stage collects every problem it finds
//! as a [`diagnostics::Diagnostic`] and the pipeline stops between stages when any is an error.
//! The spec format and the diagnostics catalog are documented in `codegen/README.md`.
#![forbid(unsafe_code)]

pub mod diagnostics;
pub mod docs;
pub mod emit;
pub mod ir;
pub mod load;
pub mod naming;
pub mod render;
pub mod resolve;
#[cfg(feature = "schema")]
pub mod schema;
pub mod source;
pub mod spec;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use diagnostics::{Diagnostic, Diagnostics, Severity, render_all};
use source::SourceMap;

/// What to generate from where.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The spec tree (`specs/`).
    pub specs_dir: PathBuf,
    /// How the spec tree is named in diagnostics and headers (`specs`).
    pub display_root: String,
    /// Path of the runtime module generated code uses (`crate::__private`); snapshots compiled
    /// outside the crate use `::cloudbackup::__private`.
    pub runtime_path: String,
}

impl Settings {
    /// Settings for a spec tree, displayed as `specs`, with the runtime at `crate::__private`.
    pub fn new(specs_dir: impl Into<PathBuf>) -> Self {
        Settings {
            specs_dir: specs_dir.into(),
            display_root: "specs".to_owned(),
            runtime_path: "crate::__private".to_owned(),
        }
    }
}

/// Generated files, keyed by path relative to the output directory.
#[derive(Debug)]
pub struct Generated {
    /// `_generated.rs` (the index), `<provider>/<service>.rs`, and the reference pages under
    /// `docs/` (their Rust examples are compiled as doctests).
    pub files: BTreeMap<String, String>,
    /// Every file and directory read, for `cargo:rerun-if-changed`.
    pub read: Vec<PathBuf>,
    /// Warnings, one line each (`path:line:col: message [code]`).
    pub warnings: Vec<String>,
}

/// Why generation failed: rendered diagnostics, ready for stderr.
#[derive(Debug)]
pub struct Failure {
    /// Rendered diagnostics (no colour), ending with a summary line.
    pub rendered: String,
    /// The diagnostics themselves (empty for I/O and internal errors).
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads, resolves and checks a spec tree: the diagnostics and the model, if there were no errors.
pub fn check(
    settings: &Settings,
) -> Result<(Option<ir::Model>, load::Tree, Vec<Diagnostic>, SourceMap), String> {
    let mut sources = SourceMap::default();
    let mut diags = Diagnostics::default();
    let tree = load::discover(
        &settings.specs_dir,
        &settings.display_root,
        &mut sources,
        &mut diags,
    )
    .map_err(|e| {
        format!(
            "error: cannot read the spec tree {}: {e}",
            settings.specs_dir.display()
        )
    })?;
    let model = if diags.has_errors() {
        None
    } else {
        resolve::resolve(&tree, &mut diags)
    };
    Ok((model, tree, diags.into_sorted(), sources))
}

/// Runs the whole pipeline. Same specs, same bytes.
pub fn generate(settings: &Settings) -> Result<Generated, Failure> {
    let fail = |rendered: String| Failure {
        rendered,
        diagnostics: Vec::new(),
    };
    let (model, tree, diags, sources) = check(settings).map_err(fail)?;
    let warnings = diags
        .iter()
        .filter(|d| d.code.severity() == Severity::Warning)
        .map(|d| d.one_line(&sources))
        .collect();
    let Some(model) = model else {
        return Err(Failure {
            rendered: render_all(&diags, &sources),
            diagnostics: diags,
        });
    };
    let rt: syn::Path = syn::parse_str(&settings.runtime_path).map_err(|e| {
        fail(format!(
            "error: invalid runtime path {:?}: {e}",
            settings.runtime_path
        ))
    })?;
    let rt = quote::ToTokens::to_token_stream(&rt);
    let mut files = BTreeMap::new();
    files.insert(
        "_generated.rs".to_owned(),
        render::render(emit::index(&model), &format!("{}/", settings.display_root))
            .map_err(fail)?,
    );
    for (rel, page) in docs::pages(&model) {
        files.insert(format!("docs/{rel}"), page);
    }
    for p in &model.providers {
        for s in &p.services {
            let code = render::render(emit::service_file(p, s, &rt), &s.dir).map_err(fail)?;
            files.insert(format!("{}/{}.rs", p.id.as_str(), s.id.as_str()), code);
        }
    }
    Ok(Generated {
        files,
        read: tree.read,
        warnings,
    })
}

/// Writes generated files under `out_dir`, leaving unchanged files untouched.
pub fn write_if_changed(out_dir: &Path, generated: &Generated) -> std::io::Result<()> {
    for (rel, code) in &generated.files {
        let path = out_dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        if std::fs::read_to_string(&path).ok().as_deref() != Some(code.as_str()) {
            std::fs::write(&path, code)?;
        }
    }
    Ok(())
}
