//! `cloudbackup-codegen drift [SPECS]`: every spec against the vendor metadata of its service
//! ([`sources`]), action by action ([`compare`]). A difference the spec explains with a
//! `drift:` marker is listed with its reason; any other difference, a marker that explains
//! nothing, and metadata that should exist but cannot be read fail the check.

pub mod compare;
pub mod kinds;
pub mod sources;

use std::path::Path;

use crate::diagnostics::{Severity, render_all};
use crate::{Settings, check};
use compare::{Finding, What};
pub use sources::Source;

/// One finding, located.
#[derive(Clone, Debug)]
pub struct Located {
    /// Spec file, as displayed (`specs/alibaba/dbs/CreateBackupPlan.yaml`).
    pub file: String,
    /// The finding.
    pub finding: Finding,
}

/// What a run found.
#[derive(Debug, Default)]
pub struct Report {
    /// Services compared: display directory and the metadata (`package version (file)`).
    pub checked: Vec<(String, String)>,
    /// Services with no metadata to compare with, and why.
    pub unchecked: Vec<(String, String)>,
    /// Services whose metadata should exist but could not be read.
    pub errors: Vec<(String, String)>,
    /// Every difference, in spec order.
    pub findings: Vec<Located>,
}

impl Report {
    /// Differences no `drift:` marker explains (and markers that explain nothing).
    pub fn unexplained(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.finding.reason.is_none())
            .count()
    }

    /// Whether the check passes.
    pub fn passed(&self) -> bool {
        self.unexplained() == 0 && self.errors.is_empty()
    }

    /// The report as the command prints it: failures first, then what is explained, then
    /// what was compared.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (dir, e) in &self.errors {
            out.push_str(&format!("error: {dir}: {e}\n"));
        }
        for f in self.findings.iter().filter(|f| f.finding.reason.is_none()) {
            out.push_str(&format!(
                "error: {}:{}: {}: {}: {}\n",
                f.file,
                f.finding.line,
                f.finding.place,
                label(f.finding.what),
                f.finding.message
            ));
        }
        for f in &self.findings {
            if let Some(reason) = &f.finding.reason {
                out.push_str(&format!(
                    "explained: {}:{}: {}: {}: {} ({reason})\n",
                    f.file,
                    f.finding.line,
                    f.finding.place,
                    label(f.finding.what),
                    f.finding.message
                ));
            }
        }
        for (dir, meta) in &self.checked {
            out.push_str(&format!("checked: {dir} against {meta}\n"));
        }
        for (dir, why) in &self.unchecked {
            out.push_str(&format!("not checked: {dir}: {why}\n"));
        }
        out.push_str(&format!(
            "drift: {} unexplained difference(s), {} explained, {} service(s) checked, {} without metadata, {} unreadable\n",
            self.unexplained(),
            self.findings.len() - self.unexplained(),
            self.checked.len(),
            self.unchecked.len(),
            self.errors.len()
        ));
        out
    }
}

fn label(w: What) -> &'static str {
    match w {
        What::Missing => "missing from the spec",
        What::Absent => "absent from the vendor",
        What::Type => "type",
        What::Required => "required",
        What::Nesting => "nesting",
        What::Stale => "stale marker",
        What::Unsupported => "not compared",
    }
}

/// Compares the spec tree at `specs` (displayed as `display`) with the vendor metadata.
/// `Err` holds the rendered spec errors when the tree does not load.
pub fn run(specs: &Path, display: &str, source: &Source) -> Result<Report, String> {
    let mut settings = Settings::new(specs);
    settings.display_root = display.to_owned();
    let (_, tree, diags, sources) = check(&settings)?;
    if diags.iter().any(|d| d.code.severity() == Severity::Error) {
        return Err(render_all(&diags, &sources));
    }
    let mut report = Report::default();
    for p in &tree.providers {
        for s in &p.services {
            let Some(file) = &s.file else { continue };
            let spec = &file.spec;
            let family = spec.family.value.as_str();
            let facts = sources::Service {
                service: &s.dir_name,
                family,
                version: spec.version.as_ref().map(|v| v.value.as_str()),
                signing_name: spec
                    .signing_name
                    .as_ref()
                    .map_or(s.dir_name.as_str(), |n| n.value.as_str()),
                actions: s.actions.iter().map(|a| a.stem.as_str()).collect(),
            };
            let meta = match sources::find(source, &facts) {
                sources::Found::Metadata(m) => m,
                sources::Found::None(why) => {
                    report.unchecked.push((s.display.clone(), why));
                    continue;
                }
                sources::Found::Error(e) => {
                    report.errors.push((s.display.clone(), e));
                    continue;
                }
            };
            report.checked.push((
                s.display.clone(),
                format!("{} {} ({})", meta.package, meta.version, meta.file),
            ));
            let service_path = sources.path(file.file).to_owned();
            let mut compare = compare::Service::new(&meta, &spec.types, family);
            let located = |finding: compare::Finding, action_path: &str| Located {
                file: if finding.in_service {
                    service_path.clone()
                } else {
                    action_path.to_owned()
                },
                finding,
            };
            for a in &s.actions {
                let line = a.spec.action.referenced.line();
                let path = sources.path(a.file);
                for finding in compare.action(&a.spec, line) {
                    report.findings.push(located(finding, path));
                }
            }
            for finding in compare.finish() {
                report.findings.push(located(finding, &service_path));
            }
        }
    }
    Ok(report)
}
