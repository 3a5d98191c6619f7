//! Skipping a build-script run whose inputs read the same as at the last run.
//!
//! Cargo re-runs a build script when a `rerun-if-changed` path's modification time changes, so
//! a `touch`, a `git checkout` there and back, or an editor saving an unchanged file re-runs
//! generation. A [`Stamp`], kept in `OUT_DIR` beside the generated files, records what the last
//! successful run read ([`Input`]: each directory's listing and each file's bytes, as digests),
//! a key for everything else it depended on ([`key`]: the settings, the manifest, the
//! generator binary), the warnings it printed, and the files it wrote. When the key is the same,
//! every input still reads the same and every file is there, the generated files are what a
//! new run would write, and the build script prints the stamp's `rerun-if-changed` paths and
//! warnings again instead of generating.
//!
//! Only digests of what the loader actually read are recorded, so a file edited while a run
//! reads it is seen as changed by the next run: the stamp can make a run unnecessary, never
//! stale.

use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};

use crate::load::{Input, InputKind};
use crate::{Generated, Settings};

/// A digest of what generation depends on besides the spec tree: the settings, the bytes of
/// each of `extra` (the files the settings were read from, e.g. the manifest behind
/// [`Settings::cargo_features`]), and the running program's size and modification time (a
/// rebuilt generator changes it). `None` when one of them cannot be read: then no stamp applies.
///
/// The generator is identified by size and modification time rather than by its bytes (hashing
/// a debug build script's tens of megabytes would cost more than the run it saves). Cargo
/// relinks the build script whenever the generator changes, so its modification time changes
/// too, on any file system with sub-second timestamps.
///
/// Compute it *before* reading any of the inputs, so an edit made during a run changes the
/// key of the next run.
pub fn key(settings: &Settings, extra: &[&Path]) -> Option<u64> {
    let mut h = std::hash::DefaultHasher::new();
    let exe = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    exe.len().hash(&mut h);
    exe.modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos()
        .hash(&mut h);
    // Every field, destructured: a field added to `Settings` must be added here to compile.
    let Settings {
        specs_dir,
        display_root,
        runtime_path,
        services,
        cargo_features,
    } = settings;
    specs_dir.hash(&mut h);
    display_root.hash(&mut h);
    runtime_path.hash(&mut h);
    services.hash(&mut h);
    format!("{cargo_features:?}").hash(&mut h);
    for path in extra {
        path.hash(&mut h);
        std::fs::read(path).ok()?.hash(&mut h);
    }
    Some(h.finish())
}

/// What a successful run read, printed and wrote (see the module documentation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    key: u64,
    read: Vec<Input>,
    warnings: Vec<String>,
    files: Vec<String>,
}

const HEADER: &str = "cloudbackup-codegen stamp 1";

/// An input kind's tag in the stamp file (read back by finding the kind with the tag).
fn kind_tag(kind: InputKind) -> &'static str {
    match kind {
        InputKind::Dir => "dir",
        InputKind::File => "file",
    }
}

impl Stamp {
    /// The stamp's file name in `OUT_DIR`.
    pub const FILE: &'static str = ".cloudbackup-codegen.stamp";

    /// The stamp of a run with `key` that produced `generated`.
    pub fn new(key: u64, generated: &Generated) -> Stamp {
        Stamp {
            key,
            read: generated.read.clone(),
            warnings: generated.warnings.clone(),
            files: generated.files.keys().cloned().collect(),
        }
    }

    /// What the run read (for `rerun-if-changed`).
    pub fn read(&self) -> &[Input] {
        &self.read
    }

    /// The warnings the run printed.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Whether a new run with `key` would write what `out_dir` holds: the same key, every
    /// input reads the same, and every file the run wrote is still there.
    pub fn is_current(&self, key: u64, out_dir: &Path) -> bool {
        self.key == key
            && self.read.iter().all(Input::unchanged)
            && self.files.iter().all(|rel| out_dir.join(rel).is_file())
    }

    /// The stamp in `out_dir`, if there is one and it parses.
    pub fn load(out_dir: &Path) -> Option<Stamp> {
        let text = std::fs::read_to_string(out_dir.join(Self::FILE)).ok()?;
        let mut lines = text.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let key = u64::from_str_radix(lines.next()?.strip_prefix("key ")?, 16).ok()?;
        let mut stamp = Stamp {
            key,
            read: Vec::new(),
            warnings: Vec::new(),
            files: Vec::new(),
        };
        for line in lines {
            let (tag, rest) = line.split_once(' ')?;
            match tag {
                "warning" => stamp.warnings.push(rest.to_owned()),
                "out" => stamp.files.push(rest.to_owned()),
                _ => {
                    let kind = [InputKind::Dir, InputKind::File]
                        .into_iter()
                        .find(|kind| kind_tag(*kind) == tag)?;
                    let (digest, path) = rest.split_once(' ')?;
                    stamp.read.push(Input {
                        path: PathBuf::from(path),
                        kind,
                        digest: match digest {
                            "-" => None,
                            hex => Some(u64::from_str_radix(hex, 16).ok()?),
                        },
                    });
                }
            }
        }
        Some(stamp)
    }

    /// Writes the stamp into `out_dir` (through a temporary file, renamed). Returns `false`,
    /// writing nothing, when a path or warning cannot be kept on one line of UTF-8: the next
    /// run then generates.
    pub fn save(&self, out_dir: &Path) -> io::Result<bool> {
        let one_line = |s: &str| !s.contains(['\n', '\r']);
        let mut text = format!("{HEADER}\nkey {:016x}\n", self.key);
        for input in &self.read {
            let Some(path) = input.path.to_str().filter(|p| one_line(p)) else {
                return Ok(false);
            };
            let tag = kind_tag(input.kind);
            let digest = input
                .digest
                .map_or_else(|| "-".to_owned(), |d| format!("{d:016x}"));
            text.push_str(&format!("{tag} {digest} {path}\n"));
        }
        for (tag, items) in [("warning", &self.warnings), ("out", &self.files)] {
            for item in items {
                if !one_line(item) {
                    return Ok(false);
                }
                text.push_str(&format!("{tag} {item}\n"));
            }
        }
        let tmp = out_dir.join(format!("{}.tmp", Self::FILE));
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, out_dir.join(Self::FILE))?;
        Ok(true)
    }

    /// Removes the stamp from `out_dir` (done before generated files are rewritten, so a run
    /// that stops half-way leaves none).
    pub fn remove(out_dir: &Path) -> io::Result<()> {
        match std::fs::remove_file(out_dir.join(Self::FILE)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}
