//! Every shape problem of a spec file in one run, where the parse allows. The YAML parser stops
//! at a file's first problem; after an unknown key or a value of the wrong shape (S0002) at a
//! mapping entry, that entry is blanked out (line and column numbers of the rest unchanged)
//! and the file parsed again, until it parses or a problem cannot be stepped over: invalid
//! YAML (S0001), a missing key, an entry that cannot be found, or a problem that the blanking
//! itself caused (reported at a blanked line or right before one, a missing key that was
//! blanked for its value's shape, a syntax error the original text does not have), which is
//! dropped, not reported.
//!
//! The file's spec goes on to resolution only when every blanked entry was an unknown key:
//! then it is what the author wrote, less the misspelt keys, and its later problems (S01xx to
//! S03xx) are worth reporting; a value of the wrong shape leaves nothing trustworthy to check.

use std::collections::BTreeSet;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Code, Diagnostics};
use crate::load::diagnostic;
use crate::source::FileId;

/// How many entries of one file may be blanked before its parse gives up.
const MAX_RECOVERIES: usize = 64;

/// Parses `text` into `T`, reporting every problem the parse allows (see the module docs).
/// The spec, when every problem was an unknown key (or there was none).
pub(crate) fn parse<T: DeserializeOwned>(
    text: &str,
    file: FileId,
    diags: &mut Diagnostics,
) -> Option<T> {
    let first = match serde_saphyr::from_str::<T>(text) {
        Ok(v) => return Some(v),
        Err(e) => e,
    };
    // Where the original text stops being YAML, if it does.
    let syntax = serde_saphyr::from_str::<serde::de::IgnoredAny>(text)
        .err()
        .map(|e| diagnostic(&e, file).loc);
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let mut blanked: BTreeSet<usize> = BTreeSet::new();
    let mut removed: Vec<String> = Vec::new();
    let mut only_unknown_keys = true;
    let mut err = first;
    for round in 0..=MAX_RECOVERIES {
        let d = diagnostic(&err, file);
        let line = d.loc.line as usize - 1;
        let inner = err.without_snippet();
        let missing = match inner {
            serde_saphyr::Error::SerdeMissingField { field, .. } => Some(*field),
            _ => None,
        };
        if round > 0 {
            // (The parser places a missing key near the mapping's end, wherever that is.)
            let caused = missing.is_none() && touches_blanked(&lines, &blanked, line)
                || missing.is_some_and(|f| removed.iter().any(|r| r == f))
                || d.code == Code::YamlSyntax && syntax != Some(d.loc);
            if caused {
                return None;
            }
        }
        let unknown_key = matches!(inner, serde_saphyr::Error::SerdeUnknownField { .. });
        let step_over = d.code == Code::BadShape && missing.is_none() && err.location().is_some();
        let col = d.loc.col as usize - 1;
        diags.push(d);
        if !step_over || round == MAX_RECOVERIES {
            return None;
        }
        let entry = find_entry(&lines, line, col)?;
        removed.push(entry.key.clone());
        blanked.extend(entry.blank(&mut lines));
        only_unknown_keys &= unknown_key;
        err = match serde_saphyr::from_str::<T>(&lines.join("\n")) {
            Ok(v) => return only_unknown_keys.then_some(v),
            Err(e) => e,
        };
    }
    None
}

/// Whether a problem reported at `line` may come from the blanking: the line was blanked, or
/// blanked lines lie between it and the next line with content (a mapping that lost its only
/// entry is reported at its key).
fn touches_blanked(lines: &[String], blanked: &BTreeSet<usize>, line: usize) -> bool {
    if blanked.contains(&line) {
        return true;
    }
    let next = (line + 1..lines.len())
        .find(|&l| !lines[l].trim().is_empty())
        .unwrap_or(lines.len());
    line + 1 < next && blanked.range(line + 1..next).next().is_some()
}

/// A mapping entry to blank: its key, where it starts, and where it ends.
#[derive(Debug, PartialEq, Eq)]
struct Entry {
    key: String,
    line: usize,
    /// Char index of the key (or of a comma before it, in a flow mapping).
    start: usize,
    end: End,
}

#[derive(Debug, PartialEq, Eq)]
enum End {
    /// In a flow mapping: char index after the entry (and its comma) on the same line.
    Flow(usize),
    /// In a block mapping: the last line of the entry's value (more indented lines, or a
    /// sequence at the key's indentation).
    Block(usize),
}

impl Entry {
    /// Blanks the entry with spaces, keeping every line; returns the lines touched.
    fn blank(&self, lines: &mut [String]) -> Vec<usize> {
        let spaces = |s: &str, from: usize, to: Option<usize>| -> String {
            s.chars()
                .enumerate()
                .map(|(i, c)| {
                    let inside = i >= from && to.is_none_or(|t| i < t);
                    if inside && c != '\r' { ' ' } else { c }
                })
                .collect()
        };
        match self.end {
            End::Flow(end) => {
                lines[self.line] = spaces(&lines[self.line], self.start, Some(end));
                vec![self.line]
            }
            End::Block(last) => {
                lines[self.line] = spaces(&lines[self.line], self.start, None);
                for l in &mut lines[self.line + 1..=last] {
                    *l = spaces(l, 0, None);
                }
                (self.line..=last).collect()
            }
        }
    }
}

fn indent(s: &str) -> usize {
    s.chars().take_while(|&c| c == ' ').count()
}

/// The end (exclusive) of a plain or quoted key starting at `at`, if a `:` and a space (or the
/// end of the line) follow it.
fn key_end(chars: &[char], at: usize) -> Option<usize> {
    let c = *chars.get(at)?;
    let end = match c {
        '"' | '\'' => at + 1 + chars[at + 1..].iter().position(|&x| x == c)? + 1,
        ' ' | '\t' | ',' | '{' | '}' | '[' | ']' | '#' | ':' => return None,
        '-' if chars.get(at + 1).is_none_or(|&n| n == ' ') => return None,
        _ => {
            // A plain key runs to the `:` followed by a space or the end of the line.
            let colon = (at..chars.len()).find(|&i| {
                chars[i] == ':' && chars.get(i + 1).is_none_or(|&n| n == ' ' || n == '\r')
            })?;
            let end = colon
                - chars[at..colon]
                    .iter()
                    .rev()
                    .take_while(|&&c| c == ' ')
                    .count();
            if chars[at..end].contains(&'#') {
                return None;
            }
            end
        }
    };
    let colon = end + chars[end..].iter().take_while(|&&c| c == ' ').count();
    (chars.get(colon) == Some(&':') && chars.get(colon + 1).is_none_or(|&c| c == ' ' || c == '\r'))
        .then_some(end)
}

/// Where the brackets opened before `at` on this line are still open (a flow collection),
/// outside quotes.
fn flow_depth(chars: &[char]) -> i32 {
    let mut depth = 0;
    let mut quote = None;
    for &c in chars {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{' | '[') => depth += 1,
            (None, '}' | ']') => depth -= 1,
            _ => {}
        }
    }
    depth
}

/// The entry whose key or value is at `col` of `line` (0-based char index), or, for a block
/// value on lines of its own, the entry of the nearest less indented `key:` line above.
fn find_entry(lines: &[String], line: usize, col: usize) -> Option<Entry> {
    let chars: Vec<char> = lines.get(line)?.chars().collect();
    let before: String = chars[..col.min(chars.len())].iter().collect();
    let at_key = {
        // After the indentation and sequence markers of a block line, or in a flow mapping.
        let b = before.trim_end();
        (b.ends_with(['{', ',']) || b.chars().all(|c| c == '-' || c == ' '))
            && key_end(&chars, col).is_some()
    };
    let start = if at_key {
        col
    } else {
        // A value: the key before its `:` on this line.
        let mut i = before.trim_end().chars().count();
        if i > 0 && chars[i - 1] == ':' {
            i -= 1;
            let mut k = i;
            while k > 0 && chars[k - 1] == ' ' {
                k -= 1;
            }
            if k > 0 && (chars[k - 1] == '"' || chars[k - 1] == '\'') {
                let q = chars[k - 1];
                k = chars[..k - 1].iter().rposition(|&c| c == q)?;
            } else {
                while k > 0 && !" \t{,[".contains(chars[k - 1]) {
                    k -= 1;
                }
            }
            k
        } else {
            return block_parent(lines, line);
        }
    };
    entry_from(lines, line, start)
}

/// The `key:` line a block value starting on `line` belongs to.
fn block_parent(lines: &[String], line: usize) -> Option<Entry> {
    let own = indent(&lines[line]);
    let item = lines[line].trim_start().starts_with("- ");
    for l in (0..line).rev() {
        let s = &lines[l];
        let trimmed = s.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let ind = indent(s);
        if ind < own || ind == own && item {
            let chars: Vec<char> = s.chars().collect();
            let start = ind
                + s[ind..]
                    .chars()
                    .take_while(|&c| c == '-' || c == ' ')
                    .count();
            key_end(&chars, start)?;
            return entry_from(lines, l, start);
        }
    }
    None
}

/// The entry whose key starts at `start` of `line`.
fn entry_from(lines: &[String], line: usize, start: usize) -> Option<Entry> {
    let chars: Vec<char> = lines[line].chars().collect();
    let kend = key_end(&chars, start)?;
    let key: String = chars[start..kend]
        .iter()
        .collect::<String>()
        .trim_matches(['"', '\''])
        .to_owned();
    if flow_depth(&chars[..start]) > 0 {
        // Up to the next `,` or closing bracket at this depth, on this line.
        let mut depth = 0;
        let mut quote = None;
        let mut i = kend;
        let end = loop {
            let c = *chars.get(i)?;
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '{' | '[') => depth += 1,
                (None, '}' | ']') if depth == 0 => break i,
                (None, '}' | ']') => depth -= 1,
                (None, ',') if depth == 0 => break i + 1,
                _ => {}
            }
            i += 1;
        };
        // The last entry takes the comma before it.
        let start = if chars[end - 1] == ',' {
            start
        } else {
            let b = chars[..start].iter().rposition(|&c| c != ' ')?;
            if chars[b] == ',' { b } else { start }
        };
        return Some(Entry {
            key,
            line,
            start,
            end: End::Flow(end),
        });
    }
    let mut last = line;
    for (l, s) in lines.iter().enumerate().skip(line + 1) {
        if s.trim().is_empty() {
            continue;
        }
        let ind = indent(s);
        if ind > start || ind == start && s.trim_start().starts_with("- ") {
            last = l;
        } else {
            break;
        }
    }
    Some(Entry {
        key,
        line,
        start,
        end: End::Block(last),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.split('\n').map(str::to_owned).collect()
    }

    fn blanked(text: &str, line: usize, col: usize) -> String {
        let mut l = lines(text);
        let e = find_entry(&l, line, col).expect("an entry");
        e.blank(&mut l);
        l.join("\n")
    }

    #[test]
    fn block_entries_with_their_values() {
        let t = "a:\n  x: 1\n  bad:\n    - 1\n    - 2\n  y: 2\n";
        assert_eq!(
            blanked(t, 2, 2),
            "a:\n  x: 1\n      \n       \n       \n  y: 2\n"
        );
        // At the value, and a sequence at the key's indentation.
        let t = "bad: |\n  text\nitems:\n- 1\n- 2\nok: 1\n";
        assert_eq!(
            blanked(t, 0, 5),
            "      \n      \nitems:\n- 1\n- 2\nok: 1\n"
        );
        assert_eq!(
            blanked(t, 2, 0),
            "bad: |\n  text\n      \n   \n   \nok: 1\n"
        );
        // The first key of a sequence item keeps the item's `-`.
        let t = "- bad: 1\n  name: x\n";
        assert_eq!(blanked(t, 0, 2), "-       \n  name: x\n");
        // A block value reported on its own line belongs to the key above.
        let t = "k: 1\nrequest:\n  - 5\nz: 1\n";
        assert_eq!(blanked(t, 2, 4), "k: 1\n        \n     \nz: 1\n");
    }

    #[test]
    fn flow_entries_with_their_comma() {
        let t = "s: { url: x, bad: 1, read: y }";
        assert_eq!(blanked(t, 0, 13), "s: { url: x,         read: y }");
        assert_eq!(blanked(t, 0, 18), "s: { url: x,         read: y }");
        let t = "s: { url: x, bad: [1, 2] }";
        assert_eq!(blanked(t, 0, 13), "s: { url: x              }");
        let t = "- { bad: 'a, b', name: x }";
        assert_eq!(blanked(t, 0, 4), "- {              name: x }");
    }

    fn parse_all(text: &str) -> (Option<crate::spec::ActionFile>, Vec<String>) {
        let mut diags = Diagnostics::default();
        let spec = parse::<crate::spec::ActionFile>(text, FileId(0), &mut diags);
        let found = diags
            .into_sorted()
            .iter()
            .map(|d| {
                format!(
                    "{}:{} {} {}",
                    d.loc.line,
                    d.loc.col,
                    d.code.as_str(),
                    d.message
                )
            })
            .collect();
        (spec, found)
    }

    const HEAD: &str = "action: A\nsummary: s\nsource: { url: 'https://x', read: '2026-01-01' }\nhttp: { method: GET, path: / }\n";

    #[test]
    fn every_unknown_key_at_once_and_the_spec_without_them() {
        let text = format!(
            "{HEAD}request:\n  - name: x\n    type: string\n    requierd: true\n    doc: d\n  - {{ name: y, type: string, dco: e }}\nerrros: []\n"
        );
        let (spec, found) = parse_all(&text);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(
            found[0].starts_with("8:5 S0002 unknown key `requierd`"),
            "{found:?}"
        );
        assert!(
            found[1].starts_with("10:30 S0002 unknown key `dco`"),
            "{found:?}"
        );
        assert!(
            found[2].starts_with("11:1 S0002 unknown key `errros`"),
            "{found:?}"
        );
        let spec = spec.expect("only unknown keys: the spec goes on");
        assert_eq!(spec.request.len(), 2);
    }

    #[test]
    fn wrong_shapes_are_all_reported_but_stop_the_spec() {
        let text = format!(
            "{HEAD}request:\n  - name: x\n    type: string\n    required: yes please\n    length: {{ max: many }}\n"
        );
        let (spec, found) = parse_all(&text);
        assert!(spec.is_none());
        assert_eq!(
            found,
            [
                "8:15 S0002 invalid value: expected `true` or `false`",
                "9:20 S0002 invalid value: expected an integer"
            ]
        );
    }

    #[test]
    fn consequences_of_the_blanking_are_not_reported() {
        // `http` loses its only key: no "expected a mapping" about it.
        let text = "action: A\nsummary: s\nsource: { url: 'https://x', read: '2026-01-01' }\nhttp:\n  mthod: GET\n";
        let (spec, found) = parse_all(text);
        assert!(spec.is_none());
        assert_eq!(found.len(), 1, "{found:?}");
        // A misspelt required key: unknown, and then missing (both true).
        let (_, found) = parse_all(&HEAD.replace("action: A", "acton: A"));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found.iter().any(|f| f.contains("missing key `action`")),
            "{found:?}"
        );
        // Invalid YAML after a shape problem: the syntax error is the text's own.
        let text = format!(
            "{HEAD}request:\n  - name: x\n    type: string\n    requierd: true\n   bad: indent\n"
        );
        let (_, found) = parse_all(&text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[1].starts_with("9:4 S0001"), "{found:?}");
        // A missing key is reported and ends the file.
        let (spec, found) = parse_all("action: A\nsummary: s\nbogus: 1\n");
        assert!(spec.is_none());
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found.iter().any(|f| f.contains("missing key `source`")),
            "{found:?}"
        );
    }

    /// Mutations of lines of the real specs: an unknown key inserted before it (at its
    /// indentation), its value replaced by an unclosed or wrongly shaped one, the line cut in
    /// half. Recovery never panics, a failure reports something, a spec that comes back had
    /// only unknown keys reported, and an inserted unknown key reported alone leaves a spec.
    #[test]
    fn mutations_of_the_real_specs_never_panic() {
        use crate::spec::{ActionFile, ProviderFile, ServiceFile};
        fn run<T: DeserializeOwned>(text: &str) -> (bool, Vec<String>) {
            let mut diags = Diagnostics::default();
            let ok = parse::<T>(text, FileId(0), &mut diags).is_some();
            (
                ok,
                diags.into_sorted().into_iter().map(|d| d.message).collect(),
            )
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
        let mut files = Vec::new();
        for p in std::fs::read_dir(&root)
            .unwrap()
            .flatten()
            .map(|e| e.path())
        {
            if p.is_dir() && !p.ends_with("_schema") {
                files.push(p.join("_provider.yaml"));
                for s in std::fs::read_dir(&p).unwrap().flatten().map(|e| e.path()) {
                    if s.is_dir() {
                        files.extend(std::fs::read_dir(&s).unwrap().flatten().map(|e| e.path()));
                    }
                }
            }
        }
        let mut mutated = 0;
        let mut recovered = 0;
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let check = |t: &str| {
                let (ok, found) = match name.as_str() {
                    "_provider.yaml" => run::<ProviderFile>(t),
                    "_service.yaml" => run::<ServiceFile>(t),
                    _ => run::<ActionFile>(t),
                };
                let unknown = |m: &String| m.starts_with("unknown key");
                assert!(
                    ok || !found.is_empty(),
                    "{}: nothing reported",
                    file.display()
                );
                assert!(
                    !ok || found.iter().all(unknown),
                    "{}: {found:?}",
                    file.display()
                );
                (ok, found)
            };
            assert_eq!(check(&text), (true, Vec::new()), "{}", file.display());
            let lines: Vec<&str> = text.lines().collect();
            // Every fifth line (a few seconds in a debug build), a different fifth per file.
            let offset = text.len() % 5;
            for (i, line) in lines.iter().enumerate().skip(offset).step_by(5) {
                let with = |new: &[String]| {
                    let mut l: Vec<String> = lines.iter().map(|s| (*s).to_owned()).collect();
                    l.splice(i..=i, new.iter().cloned());
                    l.join("\n")
                };
                let indent: String = line
                    .chars()
                    .take_while(|c| *c == ' ' || *c == '-')
                    .map(|_| ' ')
                    .collect();
                let (ok, found) = check(&with(&[
                    format!("{indent}zz_unknown: 1"),
                    (*line).to_owned(),
                ]));
                if let [only] = found.as_slice()
                    && only.starts_with("unknown key `zz_unknown`")
                {
                    assert!(ok, "{}:{}", file.display(), i + 1);
                    recovered += 1;
                }
                if let Some((key, _)) = line.split_once(": ") {
                    for bad in ["[1", "{ a: [ }", "- x"] {
                        check(&with(&[format!("{key}: {bad}")]));
                    }
                }
                check(&with(&[line
                    .chars()
                    .take(line.chars().count() / 2)
                    .collect()]));
                mutated += 1;
            }
        }
        assert!(
            mutated > 100 && recovered > 20,
            "{mutated} lines, {recovered} recovered"
        );
    }
}
