//! The diagnostics catalog of `codegen/README.md` (section 7) stays true to the generator: every
//! code of `Code::ALL` has its section, and every output it quotes ("From
//! `codegen/tests/spec_errors/<case>.stderr`:" and the `text` block after it) is the blessed
//! `.stderr` of that case, byte for byte. After blessing a changed message, copy the new
//! `.stderr` into the README.

use std::path::Path;

use cloudbackup_codegen::diagnostics::Code;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("codegen/README.md is readable")
}

/// The section of the catalog for each code: its heading line and the text up to the next
/// heading.
fn sections(readme: &str) -> Vec<(String, String)> {
    let catalog = readme
        .split_once("\n## 7. Diagnostics catalog\n")
        .expect("section 7 exists")
        .1;
    let catalog = catalog.split("\n## ").next().unwrap_or(catalog);
    catalog
        .split("\n### ")
        .skip(1)
        .map(|part| {
            let (heading, body) = part.split_once('\n').unwrap_or((part, ""));
            (heading.to_owned(), body.to_owned())
        })
        .collect()
}

/// Every quoted case of a text and its `text` block.
fn quotes(text: &str) -> Vec<(String, String)> {
    const LEAD: &str = "From `codegen/tests/spec_errors/";
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(LEAD) {
        rest = &rest[at + LEAD.len()..];
        let (case, after) = rest
            .split_once(".stderr`:\n\n```text\n")
            .unwrap_or_else(|| panic!("a quote must be `{LEAD}<case>.stderr`:` and a text block"));
        let (block, after) = after.split_once("```\n").expect("the text block is closed");
        out.push((case.to_owned(), block.to_owned()));
        rest = after;
    }
    out
}

#[test]
fn every_code_has_a_catalog_section_with_a_quote() {
    let readme = readme();
    let sections = sections(&readme);
    for code in Code::ALL {
        let prefix = format!("{}: ", code.as_str());
        let Some((_, body)) = sections.iter().find(|(h, _)| h.starts_with(&prefix)) else {
            panic!("codegen/README.md has no `### {prefix}...` section");
        };
        assert!(
            !quotes(body).is_empty(),
            "the catalog section of {} quotes no blessed .stderr",
            code.as_str()
        );
    }
    // And no section for a code that does not exist.
    for (heading, _) in &sections {
        let code = heading.split(':').next().unwrap_or_default();
        assert!(
            Code::ALL.iter().any(|c| c.as_str() == code),
            "section `{heading}` names no code of the catalog"
        );
    }
}

#[test]
fn every_quoted_output_is_the_blessed_stderr() {
    let readme = readme();
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/spec_errors");
    let all = quotes(&readme);
    assert!(
        all.len() >= Code::ALL.len(),
        "too few quotes: {}",
        all.len()
    );
    let mut stale = Vec::new();
    for (case, block) in all {
        let path = cases.join(format!("{case}.stderr"));
        let blessed = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("README quotes {}: {e}", path.display()));
        if blessed != block {
            stale.push(case);
        }
    }
    assert!(
        stale.is_empty(),
        "README quotes differ from the blessed .stderr of: {stale:?}"
    );
}

/// The code a quoted case is named after is the code of the section that quotes it.
#[test]
fn quotes_sit_in_their_code_section() {
    let readme = readme();
    for (heading, body) in sections(&readme) {
        let code = heading
            .split(':')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        for (case, _) in quotes(&body) {
            assert!(
                case.starts_with(&format!("{code}-")),
                "section `{heading}` quotes `{case}`, a case of another code"
            );
        }
    }
}
