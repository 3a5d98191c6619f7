//! Derived files committed to the repository (the reference pages under `docs/api/`, the
//! generated-code snapshots under `codegen/tests/snapshots/`): what they should hold, and how
//! the committed tree differs. `scripts/regen.sh` rewrites them all; the freshness tests name it.

use std::collections::BTreeMap;
use std::path::Path;

use crate::Generated;

/// The one command that regenerates every derived, committed file.
pub const REGEN: &str = "scripts/regen.sh";

/// Directory of the generated-code snapshots, relative to the repository root.
pub const SNAPSHOTS_ROOT: &str = "codegen/tests/snapshots";

/// The generated-code snapshots: `_generated.rs` and `<provider>/<service>.rs` of every
/// service `generated` holds.
pub fn snapshot_files(generated: &Generated) -> BTreeMap<String, String> {
    generated
        .files
        .iter()
        .filter(|(rel, _)| rel.ends_with(".rs"))
        .map(|(rel, code)| (rel.clone(), code.clone()))
        .collect()
}

/// The reference pages, keyed by path relative to `docs/api/`.
pub fn doc_files(generated: &Generated) -> BTreeMap<String, String> {
    generated
        .files
        .iter()
        .filter_map(|(rel, page)| Some((rel.strip_prefix("docs/")?.to_owned(), page.clone())))
        .collect()
}

/// How the tree under `root` differs from `files` (keyed by path relative to `root`): each
/// file that is missing or different, then each committed file that is no longer generated
/// (`<path> (no longer generated)`), sorted.
pub fn stale(root: &Path, files: &BTreeMap<String, String>) -> Vec<String> {
    let mut out: Vec<String> = files
        .iter()
        .filter(|(rel, text)| {
            std::fs::read_to_string(root.join(rel)).ok().as_deref() != Some(text.as_str())
        })
        .map(|(rel, _)| rel.clone())
        .collect();
    let mut committed = Vec::new();
    collect(root, root, &mut committed);
    committed.sort();
    out.extend(
        committed
            .into_iter()
            .filter(|rel| !files.contains_key(rel))
            .map(|rel| format!("{rel} (no longer generated)")),
    );
    out
}

/// The failure message of a freshness test: what is stale and the command that fixes it.
pub fn stale_message(tree: &str, stale: &[String]) -> String {
    format!(
        "{tree} is stale: {}\nrun `{REGEN}` from the repository root, read the diff and commit it",
        stale.join(", ")
    )
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(root, &p, out);
        } else if let Ok(rel) = p.strip_prefix(root) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}
