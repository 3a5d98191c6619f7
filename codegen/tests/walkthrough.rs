//! `docs/adding-an-action.md` stays true: its YAML is kept in `tests/fixtures/walkthrough/` (a
//! spec tree), every YAML block of the page is a named part of a fixture file, the generator
//! accepts the tree and generates the paginator, the waiters and the path parameter the page
//! describes, and the diagnostic the page shows is the one the generator prints.
//!
//! A YAML block of the page starts with `# specs/<path>`, naming the fixture file
//! `tests/fixtures/walkthrough/<path>`; the rest of the block is one or more consecutive
//! top-level parts of that file (a top-level key with everything under it; the file's leading
//! comments are the part before its first key).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use cloudbackup_codegen::ir::{Location, PageStyle};
use cloudbackup_codegen::{Settings, check, generate};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/walkthrough")
}

fn page() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/adding-an-action.md");
    std::fs::read_to_string(path).expect("docs/adding-an-action.md is readable")
}

/// The fenced blocks of a Markdown text with the given info string, in order.
fn blocks<'a>(text: &'a str, info: &str) -> Vec<&'a str> {
    let open = format!("```{info}\n");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(&open) {
        let body = &rest[at + open.len()..];
        let end = body.find("```\n").expect("a fenced block is closed");
        out.push(&body[..end]);
        rest = &body[end..];
    }
    out
}

/// The top-level parts of a YAML file: (key, text), the leading comments as `""`.
fn parts(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        let starts_key = line.starts_with(|c: char| c.is_ascii_alphabetic() || c == '$');
        if starts_key || out.is_empty() {
            let key = if starts_key {
                line.split(':').next().unwrap_or_default().to_owned()
            } else {
                String::new()
            };
            out.push((key, String::new()));
        }
        out.last_mut().expect("a part was pushed").1.push_str(line);
    }
    out
}

/// Whether `block` is one or more consecutive parts of `text`; the keys it spans.
fn named_part(text: &str, block: &str) -> Option<Vec<String>> {
    let parts = parts(text);
    for start in 0..parts.len() {
        let mut joined = String::new();
        for end in start..parts.len() {
            joined.push_str(&parts[end].1);
            if joined == block {
                return Some(parts[start..=end].iter().map(|p| p.0.clone()).collect());
            }
            if !block.starts_with(&joined) {
                break;
            }
        }
    }
    None
}

#[test]
fn every_yaml_block_of_the_page_is_part_of_the_fixture() {
    let page = page();
    let yaml = blocks(&page, "yaml");
    assert!(yaml.len() >= 10, "the walk-through shows its YAML");
    let mut shown: BTreeSet<(String, String)> = BTreeSet::new();
    for block in yaml {
        let (first, body) = block.split_once('\n').unwrap_or((block, ""));
        let Some(rel) = first.strip_prefix("# specs/") else {
            panic!("a YAML block must start with `# specs/<path>` naming its file:\n{block}");
        };
        let file = fixture().join(rel);
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let Some(keys) = named_part(&text, body) else {
            panic!(
                "this block is not a run of whole top-level parts of {}:\n{body}",
                file.display()
            );
        };
        shown.extend(keys.into_iter().map(|k| (rel.to_owned(), k)));
    }
    // The page walks through the list action's paging and waiter, and the path parameter.
    for (file, key) in [
        ("tencent/cbs/DescribeDiskBackups.yaml", "request"),
        ("tencent/cbs/DescribeDiskBackups.yaml", "response"),
        ("tencent/cbs/DescribeDiskBackups.yaml", "paginate"),
        ("tencent/cbs/DescribeDiskBackups.yaml", "waiters"),
        ("tencent/cbs/_service.yaml", "types"),
        ("huawei/koophone/GetTask.yaml", "http"),
        ("huawei/koophone/GetTask.yaml", "request"),
        ("huawei/koophone/GetTask.yaml", "waiters"),
    ] {
        assert!(
            shown.contains(&(file.to_owned(), key.to_owned())),
            "the page does not show `{key}` of {file}"
        );
    }
}

#[test]
fn the_fixture_generates_the_paginator_waiters_and_path_parameter() {
    let settings = Settings::new(fixture());
    let generated = match generate(&settings) {
        Ok(g) => g,
        Err(f) => panic!("the walk-through's specs do not generate:\n{}", f.rendered),
    };
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);

    // The model: what the page says each spec means.
    let (model, _, diags, _) = check(&settings).expect("the fixture is readable");
    assert!(diags.is_empty());
    let model = model.expect("no errors");
    let service = |p: &str, s: &str| {
        model
            .providers
            .iter()
            .find(|x| x.id.as_str() == p)
            .and_then(|x| x.services.iter().find(|y| y.id.as_str() == s))
            .unwrap_or_else(|| panic!("{p}/{s} in the fixture"))
    };
    let action = |p: &str, s: &str, a: &str| {
        service(p, s)
            .actions
            .iter()
            .find(|x| x.name.as_str() == a)
            .unwrap_or_else(|| panic!("{a} in {p}/{s}"))
            .clone()
    };
    let describe = action("tencent", "cbs", "DescribeDiskBackups");
    let paging = describe
        .paginate
        .as_ref()
        .expect("DescribeDiskBackups pages");
    assert_eq!(paging.style, PageStyle::Offset);
    assert_eq!(describe.request[paging.page].wire, "Offset");
    assert_eq!(paging.items.text, "DiskBackupSet");
    let normal = &describe.waiters[0];
    assert_eq!(normal.name.as_str(), "DiskBackupNormal");
    assert_eq!(
        normal.from.as_ref().map(|f| f.action.as_str()),
        Some("CreateDiskBackup")
    );
    let get_task = action("huawei", "koophone", "GetTask");
    assert_eq!(get_task.path, "/v1/instances/tasks/{task_id}");
    let task_id = &get_task.request[0];
    assert_eq!(
        (task_id.wire.as_str(), task_id.location),
        ("task_id", Location::Path)
    );
    assert_eq!(get_task.waiters[0].success, ["2"]);

    // The code: the methods and items the page uses.
    let cbs = items(&generated.files["tencent/cbs.rs"]);
    for want in [
        "fn Client::describe_disk_backups_paginator",
        "fn Client::wait_until_disk_backup_normal",
        "fn Client::wait_until_disk_backup_normal_with",
        "fn blocking::Client::describe_disk_backups_paginator",
        "fn blocking::Client::items",
        "fn blocking::Client::wait_until_disk_backup_normal",
        "impl Paginated for describe_disk_backups::DescribeDiskBackupsInput",
        "const describe_disk_backups::DISK_BACKUP_NORMAL_WAITER",
        "fn describe_disk_backups::DescribeDiskBackupsInput::for_disk_backup_normal",
        "const describe_disk_backups::DescribeDiskBackupsInput::LIMIT_DEFAULT",
        "fn describe_disk_backups::DescribeDiskBackupsInput::limit_or_default",
        "struct Filter",
        "use super::Filter in describe_disk_backups",
    ] {
        assert!(cbs.contains(want), "tencent/cbs.rs has no `{want}`");
    }
    let koophone = items(&generated.files["huawei/koophone.rs"]);
    for want in [
        "fn Client::wait_until_backup_job_finished",
        "fn Client::wait_until_backup_job_finished_with",
        "const get_task::BACKUP_JOB_FINISHED_WAITER",
        "fn get_task::GetTaskInput::for_backup_job_finished",
        "fn get_task::GetTaskInput::new",
    ] {
        assert!(
            koophone.contains(want),
            "huawei/koophone.rs has no `{want}`"
        );
    }
    // `GetTask` has no paging.
    assert!(!koophone.iter().any(|i| i.contains("_paginator")));
}

#[test]
fn the_pages_diagnostic_is_the_generators() {
    // The page's mistake: `items: DiskBackupSets` in `paginate:`.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("walkthrough-mistake");
    let _ = std::fs::remove_dir_all(&dir);
    copy_tree(&fixture(), &dir);
    let file = dir.join("tencent/cbs/DescribeDiskBackups.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let wrong = text.replacen(
        "\n  items: DiskBackupSet\n",
        "\n  items: DiskBackupSets\n",
        1,
    );
    assert_ne!(wrong, text, "the fixture pages `items: DiskBackupSet`");
    std::fs::write(&file, wrong).unwrap();
    let Err(failure) = generate(&Settings::new(&dir)) else {
        panic!("the misspelled path must fail");
    };
    let page = page();
    let shown = blocks(&page, "text");
    assert!(
        shown.iter().any(|b| *b == failure.rendered),
        "the page does not show the generator's output:\n{}",
        failure.rendered
    );
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

/// The items of a generated file, as `fn Type::method`, `fn module::Type::method`,
/// `impl Trait for module::Type`, `const module::NAME`, `struct Name`, `use path in module`.
fn items(code: &str) -> BTreeSet<String> {
    let file = syn::parse_file(code).expect("generated code parses");
    let mut out = BTreeSet::new();
    collect(&file.items, "", &mut out);
    out
}

fn last_segment(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn use_paths(tree: &syn::UseTree, prefix: &str, out: &mut BTreeSet<String>, at: &str) {
    match tree {
        syn::UseTree::Path(p) => {
            use_paths(&p.tree, &format!("{prefix}{}::", p.ident), out, at);
        }
        syn::UseTree::Name(n) => {
            out.insert(format!("use {prefix}{} in {at}", n.ident));
        }
        syn::UseTree::Group(g) => {
            for t in &g.items {
                use_paths(t, prefix, out, at);
            }
        }
        syn::UseTree::Rename(_) | syn::UseTree::Glob(_) => {}
    }
}

fn collect(items: &[syn::Item], at: &str, out: &mut BTreeSet<String>) {
    for item in items {
        match item {
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    collect(inner, &format!("{at}{}::", m.ident), out);
                }
            }
            syn::Item::Impl(i) => {
                let ty = last_segment(&i.self_ty);
                if let Some((tr, _)) = &i.trait_ {
                    let name = tr
                        .segments
                        .last()
                        .map(|s| s.ident.to_string())
                        .unwrap_or_default();
                    out.insert(format!("impl {name} for {at}{ty}"));
                }
                for member in &i.items {
                    match member {
                        syn::ImplItem::Fn(f) => {
                            out.insert(format!("fn {at}{ty}::{}", f.sig.ident));
                        }
                        syn::ImplItem::Const(c) => {
                            out.insert(format!("const {at}{ty}::{}", c.ident));
                        }
                        _ => {}
                    }
                }
            }
            syn::Item::Const(c) => {
                out.insert(format!("const {at}{}", c.ident));
            }
            syn::Item::Struct(s) => {
                out.insert(format!("struct {at}{}", s.ident));
            }
            syn::Item::Use(u) => {
                use_paths(&u.tree, "", out, at.strip_suffix("::").unwrap_or("<root>"));
            }
            _ => {}
        }
    }
}
