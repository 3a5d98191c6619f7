//! Doc comments: one `#[doc = " line"]` per line, code fences tagged `text` so they never run.

use proc_macro2::TokenStream;
use quote::quote;

/// Doc attributes for Markdown text. Untagged code fences become `text` fences.
pub(super) fn doc(text: &str) -> TokenStream {
    let mut in_fence = false;
    let lines = text.trim_end().lines().map(|line| {
        let trimmed = line.trim_start();
        let line = if trimmed.starts_with("```") {
            in_fence = !in_fence;
            if in_fence && trimmed.trim() == "```" {
                format!("{line}text")
            } else {
                line.to_owned()
            }
        } else if in_fence {
            line.to_owned()
        } else {
            link_bare_urls(line)
        };
        let line = if line.is_empty() {
            line
        } else {
            format!(" {line}")
        };
        quote! { #[doc = #line] }
    });
    let out: Vec<TokenStream> = lines.collect();
    quote! { #(#out)* }
}

/// `line` with each bare `http(s)://` URL written `<url>`, so rustdoc links it instead of
/// warning (`rustdoc::bare_urls`). URLs already in `<...>`, in a Markdown link target `](...)`
/// or in inline code are left alone; trailing punctuation stays outside the brackets.
fn link_bare_urls(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut in_code = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
        }
        let starts_url = rest.starts_with("https://") || rest.starts_with("http://");
        let linked = out.ends_with('<') || out.ends_with("](");
        if starts_url && !in_code && !linked {
            let end = rest
                .find(|ch: char| ch.is_whitespace() || ch == '>' || ch == '`')
                .unwrap_or(rest.len());
            let mut url = &rest[..end];
            while let Some(stripped) = url.strip_suffix(['.', ',', ';', ':', ')', '"', '\'']) {
                // A `)` closes the URL's own `(` (Wikipedia-style) only when one is open.
                if url.ends_with(')') && url.matches('(').count() >= url.matches(')').count() {
                    break;
                }
                url = stripped;
            }
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Doc attributes for optional text, with a fallback when the spec has none.
pub(super) fn doc_or(text: Option<&str>, fallback: &str) -> TokenStream {
    doc(text.unwrap_or(fallback))
}

#[cfg(test)]
mod tests {
    use super::link_bare_urls;

    #[test]
    fn bare_urls_get_angle_brackets_and_others_stay() {
        assert_eq!(
            link_bare_urls("page (https://a.example/x/1, read 2026)."),
            "page (<https://a.example/x/1>, read 2026)."
        );
        assert_eq!(
            link_bare_urls("see https://a.example/p."),
            "see <https://a.example/p>."
        );
        for same in [
            "already <https://a.example/p>",
            "a [link](https://a.example/p)",
            "code `https://a.example/p` here",
            "no url at all",
        ] {
            assert_eq!(link_bare_urls(same), same);
        }
    }
}
