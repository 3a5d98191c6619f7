//! Expressions that follow an output path through the typed output: to one value
//! ([`borrow`], [`take`]) or, with `[]` steps, to every value ([`for_each`]).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::OutPath;
use crate::naming::Ident;

/// `Option<&T>` of the value at `path` (no `[]` step) below `root`, an expression of the
/// output type (a place, borrowed here).
pub(super) fn borrow(root: &TokenStream, path: &OutPath) -> TokenStream {
    let rt = super::local_rt();
    let mut expr: Option<TokenStream> = None;
    for step in &path.steps {
        let f = step.rust.tokens();
        expr = Some(match (expr, step.optional) {
            (None, true) => quote!(#root.#f.as_ref()),
            (None, false) => quote!(#rt::Some(&#root.#f)),
            (Some(e), true) => quote!(#e.and_then(|x| x.#f.as_ref())),
            (Some(e), false) => quote!(#e.map(|x| &x.#f)),
        });
    }
    expr.expect("invariant: an output path has a step")
}

/// `Option<T>` of the value at `path` (no `[]` step), moved out of `root` (an owned output).
pub(super) fn take(root: &TokenStream, path: &OutPath) -> TokenStream {
    let rt = super::local_rt();
    let mut expr: Option<TokenStream> = None;
    for step in &path.steps {
        let f = step.rust.tokens();
        expr = Some(match (expr, step.optional) {
            (None, true) => quote!(#root.#f),
            (None, false) => quote!(#rt::Some(#root.#f)),
            (Some(e), true) => quote!(#e.and_then(|x| x.#f)),
            (Some(e), false) => quote!(#e.map(|x| x.#f)),
        });
    }
    expr.expect("invariant: an output path has a step")
}

/// Statements running `leaf` (given an expression of type `&T` for the value) for every value
/// at `path` below `root` (a reference to the output): absent optional fields are skipped,
/// `[]` steps go through every item.
pub(super) fn for_each(
    root: &TokenStream,
    path: &OutPath,
    leaf: &dyn Fn(&TokenStream) -> TokenStream,
) -> TokenStream {
    fn go(
        depth: usize,
        at: &TokenStream,
        path: &OutPath,
        leaf: &dyn Fn(&TokenStream) -> TokenStream,
    ) -> TokenStream {
        let Some(step) = path.steps.get(depth) else {
            return leaf(at);
        };
        let rt = super::local_rt();
        let v = |d: usize| -> TokenStream {
            let i = Ident::internal(&format!("v{d}")).tokens();
            quote!(#i)
        };
        let item = |d: usize| -> TokenStream {
            let i = Ident::internal(&format!("item{d}")).tokens();
            quote!(#i)
        };
        // The loop over a `[]` step's items, or the steps after `d`.
        let after = |d: usize| {
            let value = v(d);
            if path.steps[d].each {
                let it = item(d);
                let rest = go(d + 1, &it, path, leaf);
                quote! {
                    for #it in #value {
                        #rest
                    }
                }
            } else {
                go(d + 1, &value, path, leaf)
            }
        };
        if !step.optional {
            let f = step.rust.tokens();
            let value = v(depth);
            let inner = after(depth);
            return quote! {
                let #value = &#at.#f;
                #inner
            };
        }
        // Consecutive optional steps make one `if let ... && let ...` chain.
        let mut conditions = Vec::new();
        let mut d = depth;
        let mut at = at.clone();
        loop {
            let s = &path.steps[d];
            let f = s.rust.tokens();
            let value = v(d);
            conditions.push(quote!(let #rt::Some(#value) = &#at.#f));
            match path.steps.get(d + 1) {
                Some(next) if next.optional && !s.each => {
                    at = value;
                    d += 1;
                }
                _ => break,
            }
        }
        let inner = after(d);
        quote! {
            if #(#conditions)&&* {
                #inner
            }
        }
    }
    go(0, root, path, leaf)
}
