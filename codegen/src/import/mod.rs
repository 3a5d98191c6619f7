//! `cloudbackup-codegen import tencent <api.json> --service <dir> [--action NAME...]`: spec
//! YAML from vendor metadata, in the spec format of `docs/design/spec-format-lifecycle.md`.
//!
//! Files are planned first, then written: a new file is written; an existing action file that
//! would change is shown as a diff and written only with `force` (hand edits are never
//! overwritten silently); `_service.yaml` only ever gains shared types at the end of its
//! `types:` list, so it is written without `force` and the addition is shown. Prose
//! constraints come back as suggestions ([`prose`]).

pub mod diff;
pub mod html;
pub mod names;
pub mod prose;
pub mod service;
pub mod tencent;
pub mod yaml;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::vendor::tccli;
use prose::Suggestion;

/// What to import.
#[derive(Clone, Debug)]
pub struct Options {
    /// `tccli/services/<service>/<version>/api.json`.
    pub api_json: PathBuf,
    /// The spec service directory name (`cbs`).
    pub service: String,
    /// Actions to import; all the metadata's online and deprecated actions when empty.
    pub actions: Vec<String>,
    /// The spec tree (`specs`).
    pub out: PathBuf,
    /// Overwrite action files that differ.
    pub force: bool,
    /// Leave existing action files alone without comparing them (import only new actions).
    pub skip_existing: bool,
    /// The date the metadata is read, `YYYY-MM-DD` (`source.read`).
    pub read: String,
}

/// What happened to one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It did not exist and was written.
    Created,
    /// It exists with the same text.
    Unchanged,
    /// It existed, differed, and was overwritten (`force`).
    Overwritten,
    /// `_service.yaml` gained shared types.
    Extended,
    /// It exists and was left alone without comparing (`skip_existing`).
    Kept,
    /// It exists and differs; not written (no `force`).
    Differs,
}

/// One file of the import.
#[derive(Clone, Debug)]
pub struct FileReport {
    /// Path, as given under [`Options::out`].
    pub path: PathBuf,
    /// What happened.
    pub outcome: Outcome,
    /// The change, as a unified diff (empty for new and unchanged files).
    pub diff: String,
}

/// The result of an import.
#[derive(Debug, Default)]
pub struct Report {
    /// Every file, action files first (sorted), `_service.yaml` last.
    pub files: Vec<FileReport>,
    /// Suggestions, as `(file name, suggestion)`.
    pub suggestions: Vec<(String, Suggestion)>,
    /// Other notes (actions skipped, shared types kept as they are).
    pub notes: Vec<String>,
}

impl Report {
    /// Whether some file differs and was not written.
    pub fn needs_force(&self) -> bool {
        self.files.iter().any(|f| f.outcome == Outcome::Differs)
    }

    /// The report as the command prints it.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for f in &self.files {
            out.push_str(&f.diff);
        }
        for f in &self.files {
            let what = match f.outcome {
                Outcome::Created => "created",
                Outcome::Unchanged => "unchanged",
                Outcome::Overwritten => "overwritten (--force)",
                Outcome::Extended => "extended (shared types added)",
                Outcome::Kept => "exists: kept (--skip-existing)",
                Outcome::Differs => "differs: not written; rerun with --force to overwrite",
            };
            out.push_str(&format!("{}: {what}\n", f.path.display()));
        }
        for n in &self.notes {
            out.push_str(&format!("note: {n}\n"));
        }
        for (file, s) in &self.suggestions {
            out.push_str(&format!(
                "suggest: {file} {}: {:?}: {}\n",
                s.place, s.phrase, s.advice
            ));
        }
        out
    }
}

/// Imports Tencent API 3.0 actions from tccli's `api.json`.
pub fn tencent(opts: &Options) -> Result<Report, String> {
    let svc = tccli::read(&opts.api_json)?;
    let meta = &svc.metadata;
    let dir = opts.out.join("tencent").join(&opts.service);
    let mut report = Report::default();
    let names: Vec<String> = if opts.actions.is_empty() {
        let mut names = Vec::new();
        for (name, a) in &meta.actions {
            if a.status == "offline" {
                report
                    .notes
                    .push(format!("{name}: skipped: the metadata marks it offline"));
            } else {
                names.push(name.clone());
            }
        }
        names
    } else {
        let mut names = opts.actions.clone();
        names.sort();
        names.dedup();
        names
    };

    let service_path = dir.join("_service.yaml");
    let old_service = read_opt(&service_path)?;
    let existing = match &old_service {
        Some(text) => {
            service::existing(text).map_err(|e| format!("{}: {e}", service_path.display()))?
        }
        None => service::Existing::default(),
    };
    check_service(&existing, &svc, &service_path)?;

    let mut kept = Vec::new();
    let mut imported_names = Vec::new();
    for name in &names {
        let file = format!("{name}.yaml");
        if opts.skip_existing && dir.join(&file).exists() {
            kept.push(FileReport {
                path: dir.join(&file),
                outcome: Outcome::Kept,
                diff: String::new(),
            });
        } else {
            imported_names.push(name);
        }
    }
    // The action files that stay as they are keep their inline types; `--force` replaces
    // the imported ones.
    let replaced: BTreeSet<String> = if opts.force {
        imported_names.iter().map(|n| (*n).clone()).collect()
    } else {
        BTreeSet::new()
    };
    let taken = names::Taken::read(old_service.as_deref(), &dir, &replaced)
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut needed: BTreeSet<String> = BTreeSet::new();
    for name in &imported_names {
        needed.extend(tencent::reached(meta, name)?);
    }
    let usage = tencent::Usage::of(meta);
    let prefix = crate::naming::upper_camel(&opts.service)
        .map_or_else(|| "Vendor".to_owned(), |i| i.as_str().to_owned());
    let choices = names::choose(meta, &taken, &needed, &prefix, |o| usage.in_request(o));
    let renames = names::renames(&choices);

    let mut planned: Vec<(PathBuf, String)> = Vec::new();
    for name in imported_names {
        let file = format!("{name}.yaml");
        let imported = tencent::action(&svc, name, &opts.read, &renames)?;
        report
            .suggestions
            .extend(imported.suggestions.into_iter().map(|s| (file.clone(), s)));
        planned.push((dir.join(&file), imported.yaml));
    }

    let mut entries = Vec::new();
    for (object, choice) in &choices {
        match choice {
            names::Choice::Reuse(name) => {
                let stands = if name == object {
                    String::new()
                } else {
                    format!(" for the vendor's `{object}`")
                };
                report.notes.push(format!(
                    "shared type `{name}` is already in _service.yaml: kept as it is{stands} (the drift check compares it)"
                ));
                continue;
            }
            names::Choice::New(name) if name != object => {
                report.notes.push(format!(
                    "the vendor's `{object}` is imported as `{name}`: `{object}` is taken in the service by a type that cannot stand for it"
                ));
            }
            names::Choice::New(_) => {}
        }
        let mut sink = Vec::new();
        entries.push(tencent::shared_type(
            meta, &usage, object, &renames, &mut sink,
        )?);
        report
            .suggestions
            .extend(sink.into_iter().map(|s| ("_service.yaml".to_owned(), s)));
    }
    let base = match &old_service {
        Some(text) => text.clone(),
        None => {
            report.notes.push(
                "_service.yaml is new: add `endpoints:` (the metadata names none) and check `title:`"
                    .to_owned(),
            );
            service::new_file(&opts.service, &svc.service, &svc.api_version, &title(&svc))
        }
    };
    let new_service = service::append_types(&base, &entries)
        .map_err(|e| format!("{}: {e}", service_path.display()))?;

    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    report.files.extend(kept);
    for (path, text) in planned {
        report.files.push(write_action(&path, &text, opts.force)?);
    }
    report.files.sort_by(|a, b| a.path.cmp(&b.path));
    report.files.push(write_service(
        &service_path,
        old_service.as_deref(),
        &new_service,
    )?);
    Ok(report)
}

fn title(svc: &tccli::Service) -> String {
    format!(
        "Tencent Cloud {} ({})",
        svc.service.to_uppercase(),
        svc.service
    )
}

/// The import must match the service it goes into: TC3, same API version.
fn check_service(e: &service::Existing, svc: &tccli::Service, path: &Path) -> Result<(), String> {
    if let Some(f) = e.family.as_ref().filter(|f| *f != "tencent-tc3") {
        return Err(format!(
            "{}: `family: {f}`, but tccli metadata describes API 3.0 (`tencent-tc3`)",
            path.display()
        ));
    }
    if let Some(v) = e.version.as_ref().filter(|v| **v != svc.api_version) {
        return Err(format!(
            "{}: `version: {v}`, but the metadata is version {}",
            path.display(),
            svc.api_version
        ));
    }
    Ok(())
}

fn read_opt(path: &Path) -> Result<Option<String>, String> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn write_action(path: &Path, text: &str, force: bool) -> Result<FileReport, String> {
    let old = read_opt(path)?;
    let (outcome, diff) = match old {
        None => {
            write(path, text)?;
            (Outcome::Created, String::new())
        }
        Some(old) if old == text => (Outcome::Unchanged, String::new()),
        Some(old) => {
            let diff = diff::unified(&path.display().to_string(), &old, text);
            if force {
                write(path, text)?;
                (Outcome::Overwritten, diff)
            } else {
                (Outcome::Differs, diff)
            }
        }
    };
    Ok(FileReport {
        path: path.to_path_buf(),
        outcome,
        diff,
    })
}

fn write_service(path: &Path, old: Option<&str>, new: &str) -> Result<FileReport, String> {
    let (outcome, diff) = match old {
        None => (Outcome::Created, String::new()),
        Some(old) if old == new => (Outcome::Unchanged, String::new()),
        Some(old) => (
            Outcome::Extended,
            diff::unified(&path.display().to_string(), old, new),
        ),
    };
    if outcome != Outcome::Unchanged {
        write(path, new)?;
    }
    Ok(FileReport {
        path: path.to_path_buf(),
        outcome,
        diff,
    })
}
