//! The metadata's docs are HTML fragments (`<p>`, `<br>`, `<li>`, `<a href>`, entities such
//! as `&lt;`); spec docs are Markdown that becomes rustdoc. This turns one into the other so
//! the generated docs pass `RUSTDOCFLAGS=-Dwarnings`: lists become `- ` items, paragraphs and
//! line breaks become newlines, text after a list item a paragraph of its own, links
//! `[text](url)` (site-relative ones absolute), bare URLs `<url>`, a `<` or `[` that is not
//! markup is escaped, and no line is indented enough to become a code block.

/// The site that relative links of the metadata's docs (`/document/...`) are on; they become
/// absolute, so the docs link to it wherever they are read.
pub const SITE: &str = "https://cloud.tencent.com";

/// Markdown for an HTML fragment.
pub fn to_markdown(html: &str) -> String {
    let mut out = String::new();
    let mut lists = 0usize;
    let mut href: Vec<Option<String>> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            text(&mut out, rest);
            break;
        };
        text(&mut out, &rest[..lt]);
        rest = &rest[lt..];
        match tag(rest) {
            Some((len, t)) => {
                rest = &rest[len..];
                apply(&mut out, &t, &mut lists, &mut href);
            }
            None => {
                out.push_str("\\<");
                rest = &rest[1..];
            }
        }
    }
    tidy(&out)
}

/// A parsed tag: name (lowercase), closing, and its `href`.
struct Tag {
    name: String,
    closing: bool,
    href: Option<String>,
}

/// Parses `<name ...>` or `</name>` at the start of `s`; `None` when it is not a tag.
fn tag(s: &str) -> Option<(usize, Tag)> {
    let end = s.find('>')?;
    let inner = &s[1..end];
    if inner.contains('<') {
        return None;
    }
    let (closing, body) = match inner.trim_start().strip_prefix('/') {
        Some(b) => (true, b),
        None => (false, inner),
    };
    let name: String = body
        .trim_start()
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let after = &body.trim_start()[name.len()..];
    let ok = !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && (after.is_empty() || after.starts_with([' ', '/', '\t', '\n']));
    if !ok || !KNOWN.contains(&name.to_ascii_lowercase().as_str()) {
        return None;
    }
    let href = attr(after, "href");
    Some((
        end + 1,
        Tag {
            name: name.to_ascii_lowercase(),
            closing,
            href,
        },
    ))
}

/// HTML tags the metadata uses; anything else in angle brackets is text (`<instanceId>`).
const KNOWN: &[&str] = &[
    "p",
    "br",
    "ul",
    "ol",
    "li",
    "b",
    "strong",
    "i",
    "em",
    "code",
    "a",
    "font",
    "span",
    "div",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "blockquote",
    "img",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "del",
    "sup",
    "sub",
    "hr",
];

fn attr(s: &str, name: &str) -> Option<String> {
    let i = s.to_ascii_lowercase().find(&format!("{name}="))?;
    let v = &s[i + name.len() + 1..];
    let quote = v.chars().next()?;
    if quote == '"' || quote == '\'' {
        let v = &v[1..];
        v.find(quote).map(|e| v[..e].to_owned())
    } else {
        Some(
            v.split_whitespace()
                .next()?
                .trim_end_matches('/')
                .to_owned(),
        )
    }
}

fn apply(out: &mut String, t: &Tag, lists: &mut usize, href: &mut Vec<Option<String>>) {
    match (t.name.as_str(), t.closing) {
        ("br" | "tr" | "hr", _) => out.push('\n'),
        ("p" | "div" | "table" | "blockquote" | "pre", _)
        | ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", _) => out.push_str("\n\n"),
        ("ul" | "ol", false) => *lists += 1,
        ("ul" | "ol", true) => {
            *lists = lists.saturating_sub(1);
            out.push('\n');
        }
        ("li", false) => {
            out.push('\n');
            // Two levels at most: deeper indentation would turn into a code block.
            if *lists >= 2 {
                out.push_str("  ");
            }
            out.push_str("- ");
        }
        ("li", true) => out.push('\n'),
        ("b" | "strong", _) => out.push_str("**"),
        ("i" | "em", _) => out.push('*'),
        ("code", _) => out.push('`'),
        ("td" | "th", false) => out.push(' '),
        ("a", false) => {
            let link = t.href.clone().filter(|h| !h.is_empty());
            if link.is_some() {
                out.push('[');
            }
            href.push(link);
        }
        ("a", true) => {
            if let Some(Some(h)) = href.pop() {
                out.push_str("](");
                out.push_str(&h);
                out.push(')');
            }
        }
        _ => {}
    }
}

/// Appends text with entities decoded and Markdown-significant `<` escaped.
fn text(out: &mut String, s: &str) {
    let decoded = s
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    for c in decoded.chars() {
        match c {
            '<' => out.push_str("\\<"),
            '\r' => {}
            _ => out.push(c),
        }
    }
}

/// Trims lines, drops indentation that would make code blocks, collapses blank lines, turns
/// bare URLs into autolinks and escapes `[` that does not start a link.
fn tidy(s: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in s.lines() {
        let t = line.trim();
        let keep_indent = line.starts_with("  - ") && !t.is_empty();
        let line = if keep_indent {
            format!("  {t}")
        } else {
            t.to_owned()
        };
        // Site-relative link targets (`/document/product/362/2413`, from an `<a href>` or
        // written in the text) point into Tencent Cloud's documentation site, whose pages the
        // metadata's docs come from.
        let line = links(&line)
            .replace("](//", "](\u{0}")
            .replace("](/", &format!("]({SITE}/"))
            .replace("](\u{0}", "](//");
        if line.is_empty() && lines.last().is_none_or(String::is_empty) {
            continue;
        }
        // Text right after a list item is a paragraph of its own (in the HTML it follows the
        // `<li>`, or a `<br>` in it); without a blank line Markdown would continue the item
        // lazily, which clippy's `doc_lazy_continuation` rejects.
        let item = |l: &str| l.trim_start().starts_with("- ");
        if !line.is_empty() && !item(&line) && lines.last().is_some_and(|l| item(l)) {
            lines.push(String::new());
        }
        // Items of one list stay together (a tight list).
        let n = lines.len();
        if item(&line) && n >= 2 && lines[n - 1].is_empty() && item(&lines[n - 2]) {
            lines.pop();
        }
        lines.push(line);
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    // A bare `-` line (an empty list item) renders as a rule or a heading underline.
    lines.retain(|l| l.trim() != "-");
    lines.join("\n")
}

/// Escapes `[` not followed by `](` after its `]`, and wraps bare URLs in `<...>`.
fn links(line: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let rest: String = chars[i..].iter().collect();
        if c == '[' {
            let close = chars[i..].iter().position(|&c| c == ']').map(|p| p + i);
            let is_link = close.is_some_and(|j| chars.get(j + 1) == Some(&'('));
            let escaped = i > 0 && chars[i - 1] == '\\';
            if !(is_link || escaped) {
                out.push('\\');
            }
            out.push(c);
            i += 1;
        } else if (rest.starts_with("https://") || rest.starts_with("http://"))
            && !(i > 0 && matches!(chars[i - 1], '(' | '<'))
        {
            let len = rest
                .char_indices()
                .find(|&(_, c)| c.is_whitespace() || !c.is_ascii() || matches!(c, ')' | '>'))
                .map_or(rest.len(), |(p, _)| p);
            let url = rest[..len].trim_end_matches(['.', ',', ';', ':']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            i += url.chars().count();
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::to_markdown;

    #[test]
    fn lists_paragraphs_and_links() {
        assert_eq!(
            to_markdown("取值范围：<br><li>ASC：升序排列<br></li><li>DESC：降序排列。</li>"),
            "取值范围：\n\n- ASC：升序排列\n- DESC：降序排列。"
        );
        assert_eq!(
            to_markdown("<p>a</p><p>b <a href=\"https://x.y/z\">see</a></p>"),
            "a\n\nb [see](https://x.y/z)"
        );
        assert_eq!(
            to_markdown("<ul><li>a<ul><li>b</li></ul></li></ul>"),
            "- a\n  - b"
        );
        assert_eq!(
            to_markdown("<li>a</li><li>b<br>注意：null。</li>"),
            "- a\n- b\n\n注意：null。"
        );
        assert_eq!(
            to_markdown("<li>a</li>see <a href=\"/document/product/362/2413\">prices</a>"),
            "- a\n\nsee [prices](https://cloud.tencent.com/document/product/362/2413)"
        );
    }

    #[test]
    fn text_that_is_not_markup_is_escaped() {
        assert_eq!(to_markdown("&lt;li&gt;x"), "\\<li>x");
        assert_eq!(
            to_markdown("<公共请求参数> and <instanceId>"),
            "\\<公共请求参数> and \\<instanceId>"
        );
        assert_eq!(
            to_markdown("range [0, 100] see [doc](/d)"),
            "range \\[0, 100] see [doc](https://cloud.tencent.com/d)"
        );
        assert_eq!(
            to_markdown("see https://a.b/c. then"),
            "see <https://a.b/c>. then"
        );
        assert_eq!(to_markdown("      indented"), "indented");
    }
}
