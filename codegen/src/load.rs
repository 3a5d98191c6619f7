//! Stages "discover" and "load": walk the spec tree in sorted order and parse every file,
//! reporting every problem of a file the parse allows (`crate::recover`). A file that does not
//! load is left out of the tree, which records it (`file_failed`, `failed_actions`): the files
//! that did load are still resolved and checked.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::source::{FileId, Loc, SourceMap};
use crate::spec::{ActionFile, ProviderFile, ServiceFile};

/// A parsed file with its id.
#[derive(Debug)]
pub struct Loaded<T> {
    /// Source id.
    pub file: FileId,
    /// File stem (`CreateDiskBackup`).
    pub stem: String,
    /// Parsed content.
    pub spec: T,
}

/// A provider directory.
#[derive(Debug)]
pub struct ProviderDir {
    /// Directory name.
    pub dir_name: String,
    /// `_provider.yaml`, if present and valid.
    pub file: Option<Loaded<ProviderFile>>,
    /// Whether `_provider.yaml` is present but did not load (its problems are reported).
    pub file_failed: bool,
    /// Location to blame for a missing `_provider.yaml`.
    pub dir_loc: Loc,
    /// Services, sorted.
    pub services: Vec<ServiceDir>,
}

/// A service directory.
#[derive(Debug)]
pub struct ServiceDir {
    /// Directory name.
    pub dir_name: String,
    /// Display path (`specs/tencent/cbs/`).
    pub display: String,
    /// `_service.yaml`, if present and valid.
    pub file: Option<Loaded<ServiceFile>>,
    /// Whether `_service.yaml` is present but did not load (its problems are reported).
    pub file_failed: bool,
    /// Location to blame for a missing `_service.yaml`.
    pub dir_loc: Loc,
    /// Actions, sorted by file name: the files that loaded.
    pub actions: Vec<Loaded<ActionFile>>,
    /// Stems of the action files that did not load (their problems are reported), so that
    /// checks across actions can tell a missing action from a broken one.
    pub failed_actions: Vec<String>,
}

/// Everything read.
#[derive(Debug)]
pub struct Tree {
    /// Providers, sorted.
    pub providers: Vec<ProviderDir>,
    /// Every file and directory read, in order: for `rerun-if-changed`, and for
    /// [`crate::stamp`] to tell whether a run would read the same again.
    pub read: Vec<Input>,
}

/// One input of a load: a directory (its listing, as the loader sees it: sorted, without
/// dot-files) or a file (its text), with a digest of what was read. The loader's output is a
/// function of these, so when every input still reads the same ([`Input::unchanged`]), so
/// does everything generated from them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// The path, as the loader was given it (relative to the spec tree's parent, in a build).
    pub path: PathBuf,
    /// A directory's listing or a file's contents.
    pub kind: InputKind,
    /// Digest of the listing or of the bytes; `None` when the path could not be read.
    pub digest: Option<u64>,
}

/// What an [`Input`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// A directory: its listing is what the loader depends on.
    Dir,
    /// A file: its bytes are.
    File,
}

impl Input {
    fn dir(path: &Path, listing: &[(String, PathBuf, bool)]) -> Input {
        Input {
            path: path.to_path_buf(),
            kind: InputKind::Dir,
            digest: Some(listing_digest(listing)),
        }
    }

    fn file(path: &Path, text: Option<&str>) -> Input {
        Input {
            path: path.to_path_buf(),
            kind: InputKind::File,
            digest: text.map(|t| bytes_digest(t.as_bytes())),
        }
    }

    /// Whether the path reads as it did: the same listing, or the same bytes. An input that
    /// could not be read, or cannot be now, is never unchanged.
    pub fn unchanged(&self) -> bool {
        let now = match self.kind {
            InputKind::Dir => sorted_entries(&self.path).ok().map(|l| listing_digest(&l)),
            InputKind::File => std::fs::read(&self.path).ok().map(|b| bytes_digest(&b)),
        };
        now.is_some() && now == self.digest
    }
}

/// A 64-bit digest (SipHash with fixed keys: the same within one build of the generator,
/// which is all a stamp needs; a rebuilt generator invalidates its stamps anyway).
fn bytes_digest(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

fn listing_digest(listing: &[(String, PathBuf, bool)]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    for (name, _, is_dir) in listing {
        name.hash(&mut h);
        is_dir.hash(&mut h);
    }
    h.finish()
}

fn sorted_entries(dir: &Path) -> std::io::Result<Vec<(String, PathBuf, bool)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let is_dir = entry.file_type()?.is_dir();
        out.push((name, entry.path(), is_dir));
    }
    out.sort();
    Ok(out)
}

/// Parses YAML into `T`, turning the parser's error (the first problem) into a diagnostic.
/// The loader reports every problem of a file instead (see `codegen/README.md`, section 3).
pub fn parse_yaml<T: DeserializeOwned>(
    text: &str,
    file: FileId,
    diags: &mut Diagnostics,
) -> Option<T> {
    match serde_saphyr::from_str::<T>(text) {
        Ok(v) => Some(v),
        Err(e) => {
            diags.push(diagnostic(&e, file));
            None
        }
    }
}

/// A parser error as a diagnostic (S0001 or S0002) in the spec format's words.
pub(crate) fn diagnostic(e: &serde_saphyr::Error, file: FileId) -> Diagnostic {
    let loc = e.location().map_or(Loc::file_start(file), |l| Loc {
        file,
        line: u32::try_from(l.line()).unwrap_or(1).max(1),
        col: u32::try_from(l.column()).unwrap_or(1).max(1),
    });
    let (code, msg, help) = classify(e.without_snippet());
    Diagnostic::new(code, loc, msg).help(help)
}

const SHAPE_HELP: &str =
    "this value has the wrong shape; codegen/README.md shows an example of each key";

/// Sorts a parser error into "not YAML" (S0001) or "YAML of the wrong shape" (S0002), with a
/// message in the spec format's words.
fn classify(e: &serde_saphyr::Error) -> (Code, String, &'static str) {
    use serde_saphyr::Error as E;
    let shape = |msg: String| (Code::BadShape, msg, SHAPE_HELP);
    match e {
        E::SerdeUnknownField {
            field, expected, ..
        } => (
            Code::BadShape,
            format!(
                "unknown key `{field}`; expected one of: {}",
                expected.join(", ")
            ),
            if field.contains(' ') || field.ends_with(['.', ')', ';']) {
                "a `{ ... }` mapping splits at every comma: this looks like the rest of a value \
                 after a comma; quote the value (`doc: \"a, b\"`)"
            } else {
                "remove the key or fix its spelling; codegen/README.md lists every key"
            },
        ),
        E::SerdeMissingField { field, .. } => (
            Code::BadShape,
            format!("missing key `{field}`"),
            "add the key; codegen/README.md says which keys are required",
        ),
        E::InvalidScalar { ty, .. } => shape(format!(
            "invalid value: expected {}",
            match *ty {
                "boolean" => "`true` or `false`",
                "floating point" => "a number",
                "char" => "a single character",
                _ => "an integer",
            }
        )),
        E::SerdeInvalidType { .. }
        | E::SerdeInvalidValue { .. }
        | E::SerdeInvalidLength { .. }
        | E::SerdeUnknownVariant { .. }
        | E::NullIntoString { .. }
        | E::Unexpected { .. } => shape(message(e)),
        E::DuplicateMappingKey { key, .. } => (
            Code::YamlSyntax,
            match key {
                Some(k) => format!("duplicate key `{k}`"),
                None => "duplicate key".to_owned(),
            },
            "a key may appear once per mapping: remove or merge the repeated one",
        ),
        // Errors raised by `Deserialize` impls through `serde::de::Error::custom`.
        E::Message { msg, .. } if msg.starts_with("data did not match") => shape(message(e)),
        _ => (
            Code::YamlSyntax,
            message(e),
            "the file is not valid YAML: check indentation, quotes and brackets near this position",
        ),
    }
}

/// The parser's message without its trailing " at line L column C".
fn message(e: &serde_saphyr::Error) -> String {
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(i) => full[..i].to_owned(),
        None => full,
    }
}

fn load_file<T: DeserializeOwned>(
    path: &Path,
    display: String,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
    read: &mut Vec<Input>,
) -> Option<(FileId, T)> {
    let id = read_file(path, display, sources, diags, read)?;
    let spec = crate::recover::parse::<T>(sources.text(id), id, diags)?;
    Some((id, spec))
}

/// Reads a file into `sources`; a read error is a diagnostic.
fn read_file(
    path: &Path,
    display: String,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
    read: &mut Vec<Input>,
) -> Option<FileId> {
    let text = std::fs::read_to_string(path);
    read.push(Input::file(path, text.as_deref().ok()));
    match text {
        Ok(text) => Some(sources.add(display, text)),
        Err(e) => {
            let id = sources.add(display, String::new());
            diags.push(
                Diagnostic::new(
                    Code::Io,
                    Loc::file_start(id),
                    format!("cannot read file: {e}"),
                )
                .help("check the file's permissions and that it is UTF-8"),
            );
            None
        }
    }
}

/// Parses files already in `sources`, in order, on up to `available_parallelism()` scoped
/// threads for large directories. Diagnostics are sorted before they are shown, so the result
/// does not depend on the number of threads.
fn parse_all<T: DeserializeOwned + Send>(
    ids: &[FileId],
    sources: &SourceMap,
    diags: &mut Diagnostics,
) -> Vec<Option<T>> {
    const PER_THREAD: usize = 32;
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(ids.len() / PER_THREAD)
        .max(1);
    let parse_run = |run: &[FileId]| {
        let mut d = Diagnostics::default();
        let specs: Vec<Option<T>> = run
            .iter()
            .map(|&id| crate::recover::parse::<T>(sources.text(id), id, &mut d))
            .collect();
        (specs, d)
    };
    if threads == 1 {
        let (specs, d) = parse_run(ids);
        diags.append(d);
        return specs;
    }
    let runs: Vec<(Vec<Option<T>>, Diagnostics)> = std::thread::scope(|scope| {
        let handles: Vec<_> = ids
            .chunks(ids.len().div_ceil(threads))
            .map(|run| scope.spawn(move || parse_run(run)))
            .collect();
        handles
            .into_iter()
            .map(|h| match h.join() {
                Ok(r) => r,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    let mut specs = Vec::with_capacity(ids.len());
    for (s, d) in runs {
        specs.extend(s);
        diags.append(d);
    }
    specs
}

/// Walks `root` (the `specs` directory), displayed with the prefix `display_root`.
pub fn discover(
    root: &Path,
    display_root: &str,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> std::io::Result<Tree> {
    let listing = sorted_entries(root)?;
    let mut read = vec![Input::dir(root, &listing)];
    let mut providers = Vec::new();
    for (pname, ppath, is_dir) in listing {
        // `_schema/` and other `_`-prefixed directories hold tooling, not providers.
        if !is_dir || pname.starts_with('_') {
            continue;
        }
        let listing = sorted_entries(&ppath)?;
        read.push(Input::dir(&ppath, &listing));
        let pdisplay = format!("{display_root}/{pname}");
        let dir_loc = Loc::file_start(sources.add(format!("{pdisplay}/"), String::new()));
        let mut file = None;
        let mut file_failed = false;
        let mut services = Vec::new();
        for (name, path, is_dir) in listing {
            if is_dir {
                services.push(load_service(
                    &path, &name, &pdisplay, sources, diags, &mut read,
                )?);
            } else if name == "_provider.yaml" {
                file = load_file(
                    &path,
                    format!("{pdisplay}/{name}"),
                    sources,
                    diags,
                    &mut read,
                )
                .map(|(file, spec)| Loaded {
                    file,
                    stem: "_provider".into(),
                    spec,
                });
                file_failed = file.is_none();
            }
        }
        providers.push(ProviderDir {
            dir_name: pname,
            file,
            file_failed,
            dir_loc,
            services,
        });
    }
    Ok(Tree { providers, read })
}

fn load_service(
    dir: &Path,
    name: &str,
    pdisplay: &str,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
    read: &mut Vec<Input>,
) -> std::io::Result<ServiceDir> {
    let listing = sorted_entries(dir)?;
    read.push(Input::dir(dir, &listing));
    let display = format!("{pdisplay}/{name}/");
    let dir_loc = Loc::file_start(sources.add(display.clone(), String::new()));
    let mut file = None;
    let mut file_failed = false;
    let mut actions = Vec::new();
    let mut failed_actions = Vec::new();
    let mut pending = Vec::new();
    for (fname, path, is_dir) in listing {
        let Some(stem) = fname.strip_suffix(".yaml") else {
            continue;
        };
        if is_dir {
            continue;
        }
        let fdisplay = format!("{display}{fname}");
        if stem == "_service" {
            file = load_file(&path, fdisplay, sources, diags, read).map(|(file, spec)| Loaded {
                file,
                stem: stem.to_owned(),
                spec,
            });
            file_failed = file.is_none();
        } else if let Some(id) = read_file(&path, fdisplay, sources, diags, read) {
            pending.push((stem.to_owned(), id));
        } else {
            failed_actions.push(stem.to_owned());
        }
    }
    let ids: Vec<FileId> = pending.iter().map(|(_, id)| *id).collect();
    let specs = parse_all(&ids, sources, diags);
    for ((stem, file), spec) in pending.into_iter().zip(specs) {
        match spec {
            Some(spec) => actions.push(Loaded { file, stem, spec }),
            None => failed_actions.push(stem),
        }
    }
    failed_actions.sort();
    Ok(ServiceDir {
        dir_name: name.to_owned(),
        display,
        file,
        file_failed,
        dir_loc,
        actions,
        failed_actions,
    })
}
