//! Snapshots of the code generated from the real specs (`specs/`), one file per service.
//! Bless with `EXPECTORATE=overwrite cargo test -p cloudbackup-codegen --test snapshots`.

use std::path::Path;

use cloudbackup_codegen::{Settings, check, emit, generate, render};

fn specs() -> Settings {
    Settings::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs"))
}

#[test]
fn seed_services_match_snapshots() {
    let generated = match generate(&specs()) {
        Ok(g) => g,
        Err(f) => panic!("the real specs must generate:\n{}", f.rendered),
    };
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    let names: Vec<&str> = generated
        .files
        .keys()
        .map(String::as_str)
        .filter(|f| f.ends_with(".rs"))
        .collect();
    assert_eq!(
        names,
        [
            "_generated.rs",
            "alibaba/dbs.rs",
            "huawei/koophone.rs",
            "tencent/cbs.rs",
            "tencent/redis.rs",
            "tencent/redis_v3.rs",
            "tencent/sqlserver.rs",
            "tencent/sqlserver_v3.rs"
        ]
    );
    for (rel, code) in generated.files.iter().filter(|(f, _)| f.ends_with(".rs")) {
        let path = format!("tests/snapshots/{rel}");
        if let Some(parent) = Path::new(&path).parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        expectorate::assert_contents(format!("tests/snapshots/{rel}"), code);
    }
}

#[test]
fn same_specs_same_bytes() {
    let a = generate(&specs()).map_err(|f| f.rendered).unwrap();
    let b = generate(&specs()).map_err(|f| f.rendered).unwrap();
    assert_eq!(a.files, b.files);
}

#[test]
fn every_spec_file_is_listed_for_rerun() {
    let g = generate(&specs()).map_err(|f| f.rendered).unwrap();
    let read: Vec<String> = g
        .read
        .iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    for want in [
        "specs/tencent/_provider.yaml",
        "specs/tencent/cbs/_service.yaml",
        "specs/tencent/cbs/CreateDiskBackup.yaml",
        "specs/huawei/koophone/BatchBackupInstances.yaml",
    ] {
        assert!(
            read.iter().any(|r| r.ends_with(want)),
            "{want} not in {read:?}"
        );
    }
}

#[test]
fn committed_reference_docs_are_current() {
    let generated = generate(&specs()).map_err(|f| f.rendered).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/api");
    let mut stale = Vec::new();
    for (rel, page) in generated
        .files
        .iter()
        .filter_map(|(f, p)| Some((f.strip_prefix("docs/")?, p)))
    {
        if std::fs::read_to_string(root.join(rel)).ok().as_deref() != Some(page.as_str()) {
            stale.push(rel.to_owned());
        }
    }
    let mut committed = Vec::new();
    collect(&root, &root, &mut committed);
    for rel in committed {
        if !generated.files.contains_key(&format!("docs/{rel}")) {
            stale.push(format!("{rel} (no longer generated)"));
        }
    }
    assert!(
        stale.is_empty(),
        "docs/api is stale: {stale:?}\nregenerate it with `cargo run -p cloudbackup-codegen -- docs` and commit the result"
    );
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
