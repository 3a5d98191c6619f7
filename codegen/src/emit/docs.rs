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
        } else {
            line.to_owned()
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

/// Doc attributes for optional text, with a fallback when the spec has none.
pub(super) fn doc_or(text: Option<&str>, fallback: &str) -> TokenStream {
    doc(text.unwrap_or(fallback))
}
