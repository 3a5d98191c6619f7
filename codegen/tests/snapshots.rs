//! Snapshots of the code generated from the real specs (`specs/`), one file per service, and
//! the committed reference pages (`docs/api/`): both hold exactly what the specs generate now,
//! for every service of the spec tree. Regenerate both with `scripts/regen.sh`.

use std::path::{Path, PathBuf};

use cloudbackup_codegen::fresh::{self, doc_files, snapshot_files, stale, stale_message};
use cloudbackup_codegen::{Settings, check, emit, generate, render};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn specs() -> Settings {
    Settings::new(repo().join("specs"))
}

/// The entries of a spec directory that are not tooling (`_schema/`, `_service.yaml`) or
/// hidden, sorted: `(name, path)`.
fn entries(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut v: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .filter(|(name, _)| !name.starts_with(['_', '.']))
        .collect();
    v.sort();
    v
}

/// `<provider>/<service>` of every service directory of the spec tree.
fn spec_services() -> Vec<String> {
    let mut out = Vec::new();
    for (provider, pdir) in entries(&repo().join("specs"))
        .into_iter()
        .filter(|(_, p)| p.is_dir())
    {
        for (service, _) in entries(&pdir).into_iter().filter(|(_, p)| p.is_dir()) {
            out.push(format!("{provider}/{service}"));
        }
    }
    out
}

#[test]
fn snapshots_are_current_for_every_service() {
    let generated = match generate(&specs()) {
        Ok(g) => g,
        Err(f) => panic!("the real specs must generate:\n{}", f.rendered),
    };
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    let files = snapshot_files(&generated);
    let services = spec_services();
    assert!(
        services.len() >= 5,
        "the seed services at least: {services:?}"
    );
    let want: Vec<String> = std::iter::once("_generated.rs".to_owned())
        .chain(services.iter().map(|s| format!("{s}.rs")))
        .collect();
    assert_eq!(
        files.keys().cloned().collect::<Vec<_>>(),
        want,
        "one file per service directory of specs/, and the index"
    );
    let stale = stale(&repo().join(fresh::SNAPSHOTS_ROOT), &files);
    assert!(
        stale.is_empty(),
        "{}",
        stale_message(fresh::SNAPSHOTS_ROOT, &stale)
    );
}

#[test]
fn same_specs_same_bytes() {
    let a = generate(&specs()).map_err(|f| f.rendered).unwrap();
    let b = generate(&specs()).map_err(|f| f.rendered).unwrap();
    assert_eq!(a.files, b.files);
}

/// Every file and directory of the spec tree (but `_schema/`) is listed for `rerun-if-changed`.
#[test]
fn every_spec_file_is_listed_for_rerun() {
    let g = generate(&specs()).map_err(|f| f.rendered).unwrap();
    let read: Vec<PathBuf> = g.read.iter().map(|i| i.path.clone()).collect();
    let mut want = vec![repo().join("specs")];
    for (provider, pdir) in entries(&repo().join("specs"))
        .into_iter()
        .filter(|(_, p)| p.is_dir())
    {
        want.push(pdir.clone());
        want.push(pdir.join("_provider.yaml"));
        for (_, sdir) in entries(&pdir).into_iter().filter(|(_, p)| p.is_dir()) {
            want.push(sdir.clone());
            want.push(sdir.join("_service.yaml"));
            want.extend(
                entries(&sdir)
                    .into_iter()
                    .filter(|(name, _)| name.ends_with(".yaml"))
                    .map(|(_, p)| p),
            );
        }
        assert!(want.len() > 3, "{provider}: no service");
    }
    for path in want {
        assert!(read.contains(&path), "{} not in {read:?}", path.display());
    }
}

#[test]
fn committed_reference_docs_are_current() {
    let generated = generate(&specs()).map_err(|f| f.rendered).unwrap();
    let pages = doc_files(&generated);
    assert!(pages.contains_key("README.md"));
    let stale = stale(&repo().join("docs/api"), &pages);
    assert!(stale.is_empty(), "{}", stale_message("docs/api", &stale));
}

#[test]
fn rendering_in_parts_on_threads_gives_the_same_bytes() {
    let (model, ..) = check(&specs()).unwrap();
    let model = model.expect("the real specs resolve");
    let rt = "crate::__private";
    let one = render::services(&model, rt, 1, |_, _| true).unwrap();
    for threads in [2, 3, 64] {
        assert_eq!(
            one,
            render::services(&model, rt, threads, |_, _| true).unwrap(),
            "{threads} threads"
        );
    }
    // Printing part by part is printing the whole file.
    let tokens: proc_macro2::TokenStream = rt.parse().unwrap();
    let mut whole = Vec::new();
    for p in &model.providers {
        for s in &p.services {
            let code = render::render(emit::service_file(p, s, &tokens), &s.dir).unwrap();
            whole.push((format!("{}/{}.rs", p.id.as_str(), s.id.as_str()), code));
        }
    }
    assert_eq!(one, whole);
}
