//! Every service needs its Cargo feature: the index compiles a service's module only under
//! `#[cfg(feature = "<provider>-<service>")]`, so a service whose feature the crate does not
//! declare is silently never built. The check reads the crate's `[features]`
//! ([`crate::manifest`]) and reports each service whose feature is missing, is not a default
//! feature, or does not enable its provider's runtime (the feature named after the provider),
//! naming the line to write (S0501).

use std::path::Path;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load::Tree;
use crate::manifest::{FeatureTable, ManifestError, features};
use crate::source::{FileId, Loc, SourceMap};

/// The Cargo features the generated code is compiled against, as the crate's manifest declares
/// them ([`crate::Settings::cargo_features`]).
#[derive(Clone, Debug)]
pub struct CargoFeatures {
    /// How the manifest is named in diagnostics (`Cargo.toml`).
    pub display: String,
    /// The manifest's text, quoted by diagnostics.
    pub text: String,
    /// Its `[features]` table, or why it could not be read.
    pub table: Result<FeatureTable, ManifestError>,
}

impl CargoFeatures {
    /// The features of a manifest's text, displayed as `display`.
    pub fn parse(display: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        CargoFeatures {
            display: display.into(),
            table: features(&text),
            text,
        }
    }

    /// The features of the manifest at `path`, displayed as `display`.
    ///
    /// # Errors
    ///
    /// The manifest cannot be read.
    pub fn read(path: &Path, display: impl Into<String>) -> std::io::Result<Self> {
        Ok(Self::parse(display, std::fs::read_to_string(path)?))
    }
}

/// The Cargo feature of a service: `<provider>-<service>` with `_` written `-` (`tencent-cbs`,
/// `tencent-sqlserver-v3`); see [`crate::ir::feature_name`].
pub fn service_feature(provider: &str, service: &str) -> String {
    crate::ir::feature_name(provider, service)
}

/// The feature of every service directory of the tree, in tree order.
pub fn service_features(tree: &Tree) -> Vec<String> {
    tree.providers
        .iter()
        .flat_map(|p| {
            p.services
                .iter()
                .map(|s| service_feature(&p.dir_name, &s.dir_name))
        })
        .collect()
}

/// `"a", "b"`: a TOML array's items.
fn items(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
    quoted.join(", ")
}

/// Reports every service of `tree` whose feature `cargo` lacks, does not list in `default`, or
/// that does not enable the provider's feature (S0501). The manifest is added to `sources`
/// when a diagnostic quotes it.
pub fn check(tree: &Tree, cargo: &CargoFeatures, sources: &mut SourceMap, diags: &mut Diagnostics) {
    let mut manifest: Option<FileId> = None;
    let mut at = |line: u32, col: u32| Loc {
        file: *manifest
            .get_or_insert_with(|| sources.add(cargo.display.clone(), cargo.text.clone())),
        line,
        col,
    };
    let toml = &cargo.display;
    let table = match &cargo.table {
        Ok(table) => table,
        Err(e) => {
            diags.push(
                Diagnostic::new(
                    Code::CargoFeature,
                    at(e.line, e.col),
                    format!(
                        "cannot read the `[features]` table of {toml}: {}",
                        e.message
                    ),
                )
                .help(
                    "every service needs a Cargo feature, which the generator checks in \
                     `[features]`: write each feature as `name = [\"feature\", ...]`",
                ),
            );
            return;
        }
    };
    let default = table.features.get("default");
    for p in &tree.providers {
        for s in &p.services {
            let feature = service_feature(&p.dir_name, &s.dir_name);
            let service = format!("{}/{}", p.dir_name, s.dir_name);
            let primary = s
                .file
                .as_ref()
                .map_or(s.dir_loc, |f| Loc::of(f.file, &f.spec.service));
            let line = format!("{feature} = [{:?}]", p.dir_name);
            let Some(declared) = table.features.get(&feature) else {
                let d = Diagnostic::new(
                    Code::CargoFeature,
                    primary,
                    format!("service `{service}` has no Cargo feature `{feature}`"),
                );
                let d = match (table.header, default) {
                    (Some(header), Some(_)) => d
                        .related(at(header, 1), format!("add `{line}` to this table"))
                        .help(format!(
                            "add the line `{line}` to `[features]` in {toml}, and `{feature:?}` \
                             to its `default` list"
                        )),
                    (Some(header), None) => d
                        .related(at(header, 1), format!("add `{line}` to this table"))
                        .help(format!(
                            "add the lines `{line}` and `default = [{feature:?}]` to \
                             `[features]` in {toml}"
                        )),
                    (None, _) => d.help(format!(
                        "add a `[features]` table to {toml} with the lines `{line}` and \
                         `default = [{feature:?}]` (every service is a default feature)"
                    )),
                };
                diags.push(d);
                continue;
            };
            if !default.is_some_and(|d| d.enables.contains(&feature)) {
                let d = Diagnostic::new(
                    Code::CargoFeature,
                    primary,
                    format!(
                        "Cargo feature `{feature}` of service `{service}` is not a default feature"
                    ),
                );
                diags.push(match (default, table.header) {
                    (Some(default), _) => {
                        let mut names = default.enables.clone();
                        names.push(feature.clone());
                        d.related(at(default.line, 1), "the default features")
                            .help(format!(
                                "every service is built by default: add `{feature:?}` to \
                                 `default` in {toml} (`default = [{}]`)",
                                items(&names)
                            ))
                    }
                    (None, Some(header)) => d
                        .related(at(header, 1), "this table has no `default`")
                        .help(format!(
                            "every service is built by default: add the line \
                             `default = [{feature:?}]` to `[features]` in {toml}"
                        )),
                    (None, None) => d.help(format!(
                        "every service is built by default: add `default = [{feature:?}]` to \
                         the features of {toml}"
                    )),
                });
            }
            if !declared.enables.contains(&p.dir_name) {
                let mut names = vec![p.dir_name.clone()];
                names.extend(declared.enables.iter().cloned());
                diags.push(
                    Diagnostic::new(
                        Code::CargoFeature,
                        primary,
                        format!(
                            "Cargo feature `{feature}` does not enable its provider's runtime, \
                             feature `{}`",
                            p.dir_name
                        ),
                    )
                    .related(
                        at(declared.line, 1),
                        format!("`{feature}` is declared here"),
                    )
                    .help(format!(
                        "write the line as `{feature} = [{}]`",
                        items(&names)
                    )),
                );
            }
        }
    }
}
