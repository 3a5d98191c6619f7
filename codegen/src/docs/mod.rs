//! Markdown reference pages generated from the model: one page per action, an index per
//! provider and service, and a root index. Same specs, same bytes.

mod action;
mod lifecycle;
pub(crate) mod text;

use std::collections::BTreeMap;

use crate::ir::Model;

/// Root of the generated pages, relative to the repository (`docs/api`).
pub const DOCS_ROOT: &str = "docs/api";

/// Every page, keyed by path relative to [`DOCS_ROOT`].
pub fn pages(model: &Model) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut root = String::from(
        "# API reference\n\n> Generated from `specs/` by `cloudbackup-codegen docs`. Do not edit.\n\n\
         | provider | service | action | summary |\n| --- | --- | --- | --- |\n",
    );
    for p in &model.providers {
        let mut pindex = format!(
            "# {}\n\n> Generated from `specs/{}/` by `cloudbackup-codegen docs`. Do not edit.\n\n",
            p.name, p.id
        );
        if let Some(d) = &p.description {
            pindex.push_str(d.trim_end());
            pindex.push_str("\n\n");
        }
        pindex.push_str("| service | family | actions |\n| --- | --- | --- |\n");
        for s in &p.services {
            let names: Vec<String> = s
                .actions
                .iter()
                .map(|a| format!("[`{}`]({}/{}.md)", a.name, s.id, a.name))
                .collect();
            pindex.push_str(&format!(
                "| [{}]({}/README.md) | `{}` | {} |\n",
                s.title,
                s.id,
                s.family.id(),
                names.join(", ")
            ));
            let mut sindex = format!(
                "# {}\n\n> Generated from `specs/{}/{}/` by `cloudbackup-codegen docs`. Do not edit.\n\n",
                s.title, p.id, s.id
            );
            if let Some(d) = &s.description {
                sindex.push_str(d.trim_end());
                sindex.push_str("\n\n");
            }
            sindex.push_str(&text::service_facts(s));
            sindex.push_str("\n| action | method | summary |\n| --- | --- | --- |\n");
            for a in &s.actions {
                sindex.push_str(&format!(
                    "| [`{}`]({}.md) | `{} {}` | {} |\n",
                    a.name,
                    a.name,
                    text::method(a.method),
                    a.path,
                    text::cell(&a.summary)
                ));
                root.push_str(&format!(
                    "| {} | {} | [`{}`]({}/{}/{}.md) | {} |\n",
                    p.name,
                    s.title,
                    a.name,
                    p.id,
                    s.id,
                    a.name,
                    text::cell(&a.summary)
                ));
                out.insert(
                    format!("{}/{}/{}.md", p.id, s.id, a.name),
                    action::page(p, s, a),
                );
            }
            out.insert(format!("{}/{}/README.md", p.id, s.id), sindex);
        }
        out.insert(format!("{}/README.md", p.id), pindex);
    }
    out.insert("README.md".to_owned(), root);
    out
}

/// Writes pages under `root`, replacing the whole tree so removed actions lose their pages.
pub fn write_tree(root: &std::path::Path, pages: &BTreeMap<String, String>) -> std::io::Result<()> {
    if root.exists() {
        std::fs::remove_dir_all(root)?;
    }
    for (rel, text) in pages {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    Ok(())
}
