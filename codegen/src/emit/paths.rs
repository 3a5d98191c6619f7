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
        let f = step.rust.tokens();
        let v = Ident::internal(&format!("v{depth}")).tokens();
        let item = Ident::internal(&format!("item{depth}")).tokens();
        let value = quote!(#v);
        let inner = if step.each {
            let rest = go(depth + 1, &quote!(#item), path, leaf);
            quote! {
                for #item in #value {
                    #rest
                }
            }
        } else {
            go(depth + 1, &value, path, leaf)
        };
        if step.optional {
            quote! {
                if let #rt::Some(#v) = &#at.#f {
                    #inner
                }
            }
        } else {
            quote! {
                let #v = &#at.#f;
                #inner
            }
        }
    }
    go(0, root, path, leaf)
}
