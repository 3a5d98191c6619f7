//! Build-time generator for the `cloudbackup` crate: YAML action specs to typed Rust.
//!
//! Stages: **discover** and **load** ([`load`]) → **resolve** and **check** ([`resolve`]) →
//! **emit** ([`emit`]) → **render** ([`render`]). Each stage collects every problem it finds
//! as a [`diagnostics::Diagnostic`]; the files that loaded are resolved and checked even when
//! others did not, and the pipeline stops before emitting when any problem is an error.
//! The spec format and the diagnostics catalog are documented in `codegen/README.md`.
#![forbid(unsafe_code)]

pub mod diagnostics;
pub mod docs;
#[cfg(feature = "vendor")]
pub mod drift;
pub mod emit;
pub mod features;
pub mod fresh;
#[cfg(feature = "vendor")]
pub mod import;
pub mod ir;
pub mod load;
pub mod manifest;
pub mod naming;
mod recover;
pub mod render;
pub mod resolve;
#[cfg(feature = "schema")]
pub mod schema;
pub mod source;
pub mod spec;
pub mod stamp;
#[cfg(feature = "vendor")]
pub mod vendor;

use std::collections::{BTreeMap, BTreeSet};
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
    /// Which services get code and reference pages: `None` for all; else the names of the
    /// enabled Cargo features, and a service is generated when its feature
    /// ([`ir::feature_name`], e.g. `tencent-cbs`) is among them (compared the way Cargo names
    /// `CARGO_FEATURE_*` variables: case-insensitive, `-` and `_` alike). Other names are
    /// ignored. Every service is still loaded and checked, so a spec error in any of them
    /// fails generation, and the index (`_generated.rs`) still names every service, each
    /// behind its feature.
    pub services: Option<BTreeSet<String>>,
    /// The features the crate declares (its manifest's `[features]`), to check that every
    /// service has its own (S0501); `None` skips the check (spec trees outside a crate).
    pub cargo_features: Option<features::CargoFeatures>,
}

impl Settings {
    /// Settings for a spec tree, displayed as `specs`, with the runtime at `crate::__private`.
    pub fn new(specs_dir: impl Into<PathBuf>) -> Self {
        Settings {
            specs_dir: specs_dir.into(),
            display_root: "specs".to_owned(),
            runtime_path: "crate::__private".to_owned(),
            services: None,
            cargo_features: None,
        }
    }

    /// Whether `provider`/`service` gets code and pages (see [`Settings::services`]).
    pub fn generates(&self, provider: &str, service: &str) -> bool {
        let Some(enabled) = &self.services else {
            return true;
        };
        let feature = cargo_feature_env(&ir::feature_name(provider, service));
        enabled.iter().any(|f| cargo_feature_env(f) == feature)
    }
}

/// A feature name the way Cargo spells it in `CARGO_FEATURE_<NAME>`.
fn cargo_feature_env(feature: &str) -> String {
    feature.to_ascii_uppercase().replace('-', "_")
}

/// Generated files, keyed by path relative to the output directory.
#[derive(Debug)]
pub struct Generated {
    /// `_generated.rs` (the index), `<provider>/<service>.rs`, and the reference pages under
    /// `docs/` (their Rust examples are compiled as doctests); service files and service
    /// pages only for the services [`Settings::services`] selects.
    pub files: BTreeMap<String, String>,
    /// Every file and directory read, with digests of what was read: for
    /// `cargo:rerun-if-changed` (their paths) and for a [`stamp::Stamp`].
    pub read: Vec<load::Input>,
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

/// Loads, resolves and checks a spec tree (every file that loads, whatever the problems of the
/// others): the diagnostics and the model, if there were no errors.
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
    if let Some(cargo) = &settings.cargo_features {
        features::check(&tree, cargo, &mut sources, &mut diags);
    }
    // Every file that loaded is resolved and checked, whatever the other files' problems: one
    // run reports them all. The model exists only when there is no error at all.
    let model = resolve::resolve(&tree, &mut diags);
    Ok((model, tree, diags.into_sorted(), sources))
}

/// Runs the whole pipeline. Same specs, same bytes.
///
/// ```
/// use cloudbackup_codegen::{Settings, generate};
///
/// // Doctests run in `codegen/`; the real specs are next door.
/// let generated = generate(&Settings::new("../specs")).map_err(|f| f.rendered).unwrap();
/// assert!(generated.files.contains_key("tencent/cbs.rs"));
/// assert!(generated.files["tencent/cbs.rs"].starts_with("// @generated by cloudbackup-codegen"));
/// assert_eq!(generated.files, generate(&Settings::new("../specs")).unwrap().files);
/// ```
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
    let runtime_path = |path: &str| {
        syn::parse_str::<syn::Path>(path)
            .map(|p| quote::ToTokens::to_token_stream(&p))
            .map_err(|e| format!("error: invalid runtime path {path:?}: {e}"))
    };
    runtime_path(&settings.runtime_path).map_err(fail)?;
    let skipped: Vec<String> = model
        .providers
        .iter()
        .flat_map(|p| p.services.iter().map(move |s| (p, s)))
        .filter(|(p, s)| !settings.generates(p.id.as_str(), s.id.as_str()))
        .map(|(p, s)| format!("{}/{}/", p.id.as_str(), s.id.as_str()))
        .collect();
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    // The index and the docs pages are rendered on a thread of their own while the service
    // files are rendered on `threads` more: the result does not depend on the interleaving.
    let (side, services) =
        std::thread::scope(|scope| {
            let side = scope.spawn(|| -> Result<Vec<(String, String)>, String> {
                let rt = runtime_path(&settings.runtime_path)?;
                let mut files = vec![(
                    "_generated.rs".to_owned(),
                    render::render(
                        emit::index(&model, &rt),
                        &format!("{}/", settings.display_root),
                    )?,
                )];
                for (rel, page) in docs::pages(&model) {
                    if !skipped.iter().any(|dir| rel.starts_with(dir.as_str())) {
                        files.push((format!("docs/{rel}"), page));
                    }
                }
                Ok(files)
            });
            let services = render::services(&model, &settings.runtime_path, threads, |p, s| {
                settings.generates(p, s)
            });
            let side = side.join().unwrap_or_else(|_| {
            Err("internal error: the index thread panicked; this is a bug in cloudbackup-codegen"
                .to_owned())
        });
            (side, services)
        });
    let mut files: BTreeMap<String, String> = side.map_err(fail)?.into_iter().collect();
    files.extend(services.map_err(fail)?);
    Ok(Generated {
        files,
        read: tree.read,
        warnings,
    })
}

/// Writes generated files under `out_dir`, leaving unchanged files untouched: how many it
/// wrote.
pub fn write_if_changed(out_dir: &Path, generated: &Generated) -> std::io::Result<usize> {
    let mut written = 0;
    for (rel, code) in &generated.files {
        let path = out_dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        if std::fs::read_to_string(&path).ok().as_deref() != Some(code.as_str()) {
            std::fs::write(&path, code)?;
            written += 1;
        }
    }
    Ok(written)
}
