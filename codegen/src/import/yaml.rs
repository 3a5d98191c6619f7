//! A small YAML writer for the specs the importer makes: block mappings and sequences in the
//! layout of the hand-written specs, short scalar maps in flow style (`{ type: string }`),
//! multi-line text as literal blocks, and every string that could be read as something else
//! (`yes`, `2017-03-12`, `a: b`) double-quoted.

/// A YAML value.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// A string.
    Str(String),
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, keys in order.
    Map(Vec<(String, Node)>),
}

impl Node {
    /// A string node.
    pub fn str(s: impl Into<String>) -> Node {
        Node::Str(s.into())
    }

    fn is_scalar(&self) -> bool {
        matches!(self, Node::Str(_) | Node::Int(_) | Node::Bool(_))
    }
}

/// A mapping built entry by entry.
#[derive(Default)]
pub struct MapBuilder(Vec<(String, Node)>);

impl MapBuilder {
    /// Adds `key: value`.
    pub fn put(mut self, key: &str, value: Node) -> Self {
        self.0.push((key.to_owned(), value));
        self
    }

    /// Adds `key: value` when there is a value.
    pub fn opt(self, key: &str, value: Option<Node>) -> Self {
        match value {
            Some(v) => self.put(key, v),
            None => self,
        }
    }

    /// The mapping.
    pub fn build(self) -> Node {
        Node::Map(self.0)
    }
}

/// The document for a top-level mapping, ending with a newline.
pub fn to_string(node: &Node) -> String {
    let mut out = String::new();
    match node {
        Node::Map(entries) => map(&mut out, entries, 0),
        other => {
            out.push_str(&scalar(other, 0, false));
            out.push('\n');
        }
    }
    out
}

fn map(out: &mut String, entries: &[(String, Node)], indent: usize) {
    for (i, (k, v)) in entries.iter().enumerate() {
        if i > 0 {
            out.push_str(&" ".repeat(indent));
        }
        entry(out, k, v, indent);
    }
}

/// `key: value` whose key starts at column `indent` (the caller wrote the indentation).
fn entry(out: &mut String, key: &str, value: &Node, indent: usize) {
    out.push_str(key);
    out.push(':');
    match value {
        Node::Map(e) if e.is_empty() => out.push_str(" {}\n"),
        Node::Seq(s) if s.is_empty() => out.push_str(" []\n"),
        Node::Map(e) => match flow(value) {
            Some(f) if indent + key.len() + f.len() < 100 => {
                out.push(' ');
                out.push_str(&f);
                out.push('\n');
            }
            _ => {
                out.push('\n');
                out.push_str(&" ".repeat(indent + 2));
                map(out, e, indent + 2);
            }
        },
        Node::Seq(items) => {
            out.push('\n');
            seq(out, items, indent + 2);
        }
        scalar_node => {
            out.push(' ');
            out.push_str(&scalar(scalar_node, indent + 2, false));
            out.push('\n');
        }
    }
}

fn seq(out: &mut String, items: &[Node], indent: usize) {
    for item in items {
        out.push_str(&" ".repeat(indent));
        out.push_str("- ");
        match item {
            Node::Map(e) if !e.is_empty() => match flow(item) {
                Some(f) if indent + f.len() < 100 && e.len() <= 4 => {
                    out.push_str(&f);
                    out.push('\n');
                }
                _ => map(out, e, indent + 2),
            },
            Node::Seq(s) if !s.is_empty() => {
                out.push('\n');
                seq(out, s, indent + 2);
            }
            Node::Map(_) => out.push_str("{}\n"),
            Node::Seq(_) => out.push_str("[]\n"),
            s => {
                out.push_str(&scalar(s, indent + 2, false));
                out.push('\n');
            }
        }
    }
}

/// `{ a: b, c: [d, e] }` when every value is a scalar or a list of scalars that fit on a line.
fn flow(node: &Node) -> Option<String> {
    match node {
        Node::Map(entries) => {
            let parts: Option<Vec<String>> = entries
                .iter()
                .map(|(k, v)| flow(v).map(|v| format!("{k}: {v}")))
                .collect();
            Some(format!("{{ {} }}", parts?.join(", ")))
        }
        Node::Seq(items) if items.iter().all(Node::is_scalar) => {
            let parts: Vec<String> = items.iter().map(|i| scalar(i, 0, true)).collect();
            if parts.iter().any(|p| p.contains('\n')) {
                return None;
            }
            Some(format!("[{}]", parts.join(", ")))
        }
        Node::Seq(_) => None,
        Node::Str(s) if s.contains('\n') || s.len() > 60 => None,
        s => Some(scalar(s, 0, true)),
    }
}

/// A scalar; multi-line strings become literal blocks indented to `indent`.
fn scalar(node: &Node, indent: usize, in_flow: bool) -> String {
    match node {
        Node::Int(i) => i.to_string(),
        Node::Bool(b) => b.to_string(),
        Node::Str(s) if plain_ok(s, in_flow) => s.clone(),
        Node::Str(s) if !in_flow && literal_ok(s) => literal(s, indent),
        Node::Str(s) => quoted(s),
        Node::Seq(_) | Node::Map(_) => unreachable!("invariant: only scalars reach scalar()"),
    }
}

/// Whether `s` reads back as the same string when written bare.
fn plain_ok(s: &str, in_flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let reserved = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ];
    !s.starts_with(char::is_whitespace)
        && !s.ends_with(char::is_whitespace)
        && !s.ends_with(':')
        && !"-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !first.is_ascii_digit()
        && !matches!(first, '+' | '.')
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.chars().any(|c| c.is_control() || c == '\u{feff}')
        && !(in_flow && s.contains([',', '[', ']', '{', '}']))
        && !reserved.contains(&s.to_ascii_lowercase().as_str())
}

/// Whether `s` can be a literal block: several lines, printable, no trailing spaces, no tabs.
fn literal_ok(s: &str) -> bool {
    s.contains('\n')
        && !s
            .chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{feff}')
        && s.lines().all(|l| !l.ends_with(' '))
        && !s.trim().is_empty()
}

fn literal(s: &str, indent: usize) -> String {
    let trailing = s.len() - s.trim_end_matches('\n').len();
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let first = s.lines().find(|l| !l.is_empty()).unwrap_or_default();
    let indicator = if first.starts_with(' ') { "2" } else { "" };
    let pad = " ".repeat(indent);
    let mut out = format!("|{indicator}{chomp}");
    let body = s.strip_suffix('\n').unwrap_or(s);
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    out
}

/// A double-quoted scalar (JSON string escapes are YAML escapes).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("invariant: a string serialises")
}

#[cfg(test)]
mod tests {
    use super::{MapBuilder, Node, to_string};

    const TRICKY: &[&str] = &[
        "",
        " ",
        "yes",
        "No",
        "ON",
        "null",
        "~",
        "1.0",
        "0x1F",
        "+1",
        ".5",
        "2017-03-12",
        "- a",
        "a: b",
        "a #b",
        "#x",
        "'q'",
        "\"q\"",
        "key:",
        "  lead",
        "trail  ",
        "tab\tin",
        "multi\nline",
        "multi\n  indented\n",
        "\n\nleading newlines",
        "end\n\n",
        "  \n  x",
        "line\r\nwin",
        "a\u{85}b",
        "a\u{2028}b",
        "--- doc",
        "...",
        "@at",
        "`tick`",
        "%pct",
        "a,b",
        "[x]",
        "{y}",
        "*star",
        "&amp",
        "!bang",
        "|pipe",
        ">gt",
        "? q",
        "中文：冒号",
        "x:y",
        "http://a.b/c",
        "a\n#not a comment",
        "- item\n- item2",
        "emoji 😀",
        "\\back\\slash",
        "\u{1}ctrl",
        "trailing space \nnext",
    ];

    /// Every tricky string reads back as itself, as a block value, in a flow mapping and
    /// as a sequence item.
    #[test]
    fn strings_read_back_unchanged() {
        for s in TRICKY {
            let short = MapBuilder::default().put("doc", Node::str(*s)).build();
            let doc = MapBuilder::default()
                .put("value", Node::str(*s))
                .put("flow", Node::Seq(vec![short]))
                .put("list", Node::Seq(vec![Node::str(*s), Node::Int(1)]))
                .build();
            let text = to_string(&doc);
            let back: serde_json::Value =
                serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{s:?} as\n{text}\n{e}"));
            assert_eq!(back["value"], *s, "{text}");
            assert_eq!(back["flow"][0]["doc"], *s, "{text}");
            assert_eq!(back["list"][0], *s, "{text}");
        }
    }

    #[test]
    fn layout_matches_the_hand_written_specs() {
        let field = MapBuilder::default()
            .put("name", Node::str("DiskId"))
            .put("type", Node::str("string"))
            .put("required", Node::Bool(true))
            .put("doc", Node::str("Line one.\nLine two."))
            .build();
        let doc = MapBuilder::default()
            .put("action", Node::str("CreateDiskBackup"))
            .put("read", Node::str("2026-12-04"))
            .put(
                "items",
                MapBuilder::default()
                    .put("type", Node::str("string"))
                    .build(),
            )
            .put("request", Node::Seq(vec![field]))
            .build();
        assert_eq!(
            to_string(&doc),
            "action: CreateDiskBackup\nread: \"2026-12-04\"\nitems: { type: string }\nrequest:\n  - name: DiskId\n    type: string\n    required: true\n    doc: |-\n      Line one.\n      Line two.\n"
        );
    }
}
