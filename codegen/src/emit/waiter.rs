//! Waiters of an action: a `WaiterDef` constant and its state reader per waiter, the
//! `for_<waiter>` input constructors of `from:`, and the registry's waiter entries.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::doc;
use super::input::is_ctor_arg;
use super::{Emit, paths};
use crate::ir::{FromSource, NamedType, Ty, WaitResult, Waiter};
use crate::naming::Ident;

/// `<NAME>_WAITER`.
pub(super) fn const_name(w: &Waiter) -> proc_macro2::Ident {
    Ident::internal(&format!("{}_WAITER", w.snake.as_str().to_uppercase())).tokens()
}

fn classify_name(w: &Waiter) -> proc_macro2::Ident {
    Ident::internal(&format!("classify_{}", w.snake)).tokens()
}

fn dyn_name(w: &Waiter) -> proc_macro2::Ident {
    Ident::internal(&format!("wait_dyn_{}", w.snake)).tokens()
}

fn strs(v: &[String]) -> TokenStream {
    quote!(&[#(#v),*])
}

/// The text of a state value `v` (a `&T`) for comparison with the spec's values.
fn state_text(e: &Emit<'_>, ty: &Ty, v: &TokenStream) -> TokenStream {
    let rt = &e.rt;
    match ty {
        Ty::Named(r) => match e.named(*r) {
            NamedType::StrEnum(_) => quote!(#rt::ToOwned::to_owned(#v.as_str())),
            _ => quote!(#rt::ToString::to_string(&#v.value())),
        },
        Ty::String => quote!(#rt::Clone::clone(#v)),
        _ => quote!(#rt::ToString::to_string(#v)),
    }
}

fn waiter(e: &Emit<'_>, w: &Waiter) -> TokenStream {
    let rt = &e.rt;
    let input = e.ty_name("Input");
    let output = e.ty_name("Output");
    let name = w.name.as_str();
    let c = const_name(w);
    let classify = classify_name(w);
    let leaf_ty = w.state.leaf().clone();
    let push = |v: &TokenStream| {
        let t = state_text(e, &leaf_ty, v);
        quote! { states.push(#t); }
    };
    let walk = paths::for_each(&quote!(output), &w.state, &push);
    let (success, failure) = (strs(&w.success), strs(&w.failure));
    let retry = match &w.retry {
        Some(r) => {
            let r = strs(r);
            quote!(#rt::Some(#r))
        }
        None => quote!(#rt::None),
    };
    let (interval, timeout) = (
        Literal::u64_unsuffixed(u64::from(w.interval)),
        Literal::u64_unsuffixed(u64::from(w.timeout)),
    );
    let errors = w.errors.iter().map(|(code, r)| {
        let r = match r {
            WaitResult::Success => quote!(#rt::WaitResult::Success),
            WaitResult::Failure => quote!(#rt::WaitResult::Failure),
            WaitResult::Retry => quote!(#rt::WaitResult::Retry),
        };
        quote!((#code, #r))
    });
    let mut text = format!(
        "Waiter `{name}`: polls [`{input}`] every {} s for at most {} s until `{}` is {}.",
        w.interval,
        w.timeout,
        w.state.text,
        w.success
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(" or ")
    );
    if let Some(d) = &w.doc {
        text.push_str("\n\n");
        text.push_str(d.trim_end());
    }
    let d = doc(&text);
    let dyn_fn = dyn_name(w);
    let for_input = from_ctor(e, w);
    quote! {
        #d
        pub const #c: #rt::WaiterDef<#input> = #rt::WaiterDef {
            name: #name,
            interval: #rt::Duration::from_secs(#interval),
            timeout: #rt::Duration::from_secs(#timeout),
            classify: #classify,
            errors: &[#(#errors),*],
        };

        fn #classify(output: &#output) -> #rt::Acceptance {
            let mut states: #rt::Vec<#rt::String> = #rt::Vec::new();
            #walk
            #rt::classify(&states, #success, #failure, #retry)
        }

        fn #dyn_fn(
            client: &#rt::ServiceClient,
            wire: #rt::WireRequest,
            options: #rt::WaitOptions,
        ) -> #rt::DynWait<'_> {
            #rt::wait_dyn(client, wire, &#c, options)
        }

        #for_input
    }
}

/// `<Action>Input::for_<waiter>(&<From>Output) -> Option<Self>`, or
/// `for_<waiter>(&<From>Input, &<From>Output)` when a value comes from the other request.
fn from_ctor(e: &Emit<'_>, w: &Waiter) -> TokenStream {
    let Some(from) = &w.from else {
        return quote!();
    };
    let rt = &e.rt;
    let a = e.action;
    let Some(other) = e.service.actions.iter().find(|x| x.name == from.action) else {
        return quote!();
    };
    let input = e.ty_name("Input");
    let module = from.action_snake.tokens();
    let out = Ident::internal(&format!("{}Output", from.action)).tokens();
    let other_input = Ident::internal(&format!("{}Input", from.action)).tokens();
    let method = Ident::internal(&format!("for_{}", w.snake)).tokens();
    let root = quote!(output);
    let fields = a.request.iter().enumerate().map(|(i, f)| {
        let n = f.rust.tokens();
        let mapped = from.fields.iter().find(|(j, _)| *j == i);
        let Some((_, source)) = mapped else {
            return quote!(#n: #rt::None,);
        };
        let (value, leaf) = match source {
            FromSource::Output(path) => (paths::borrow(&root, path), path.leaf().clone()),
            FromSource::Request(ri) => {
                let rf = &other.request[*ri];
                let rn = rf.rust.tokens();
                let v = if is_ctor_arg(rf) {
                    quote!(#rt::Some(&request.#rn))
                } else {
                    quote!(request.#rn.as_ref())
                };
                (v, rf.ty.clone())
            }
        };
        let one = if matches!(f.ty, Ty::Array(..)) && !matches!(leaf, Ty::Array(..)) {
            quote!(#rt::Vec::from([#rt::Clone::clone(#value?)]))
        } else {
            quote!(#rt::Clone::clone(#value?))
        };
        if is_ctor_arg(f) {
            quote!(#n: #one,)
        } else {
            quote!(#n: #rt::Some(#one),)
        }
    });
    let (params, built) = if from.uses_request() {
        (
            quote!(request: &super::#module::#other_input, output: &super::#module::#out),
            "its request and output",
        )
    } else {
        (quote!(output: &super::#module::#out), "its output")
    };
    let d = doc(&format!(
        "The input that waits, with [`{}_WAITER`], for what `{}` started: built from {built} \
         (`None` when a field the waiter needs is missing).",
        w.snake.as_str().to_uppercase(),
        from.action
    ));
    quote! {
        impl #input {
            #d
            #[must_use]
            pub fn #method(#params) -> #rt::Option<Self> {
                #rt::Some(Self { #(#fields)* })
            }
        }
    }
}

/// Every waiter of the action.
pub(super) fn waiters(e: &Emit<'_>) -> TokenStream {
    let items = e.action.waiters.iter().map(|w| waiter(e, w));
    quote! { #(#items)* }
}

/// The registry's `waiters` field of `ENTRY`.
pub(super) fn entries(e: &Emit<'_>) -> TokenStream {
    let rt = &e.rt;
    let items = e.action.waiters.iter().map(|w| {
        let name = w.name.as_str();
        let doc = w
            .doc
            .as_deref()
            .and_then(|d| d.lines().find(|l| !l.trim().is_empty()))
            .unwrap_or("")
            .trim();
        let state = w.state.json_text();
        let (success, failure) = (strs(&w.success), strs(&w.failure));
        let retry = match &w.retry {
            Some(r) => {
                let r = strs(r);
                quote!(#rt::Some(#r))
            }
            None => quote!(#rt::None),
        };
        let from = match &w.from {
            Some(f) => {
                let n = f.action.as_str();
                quote!(#rt::Some(#n))
            }
            None => quote!(#rt::None),
        };
        let (interval, timeout) = (
            Literal::u32_unsuffixed(w.interval),
            Literal::u32_unsuffixed(w.timeout),
        );
        let run = dyn_name(w);
        quote! {
            #rt::WaiterEntry {
                name: #name,
                doc: #doc,
                state: #state,
                success: #success,
                failure: #failure,
                retry: #retry,
                interval_secs: #interval,
                timeout_secs: #timeout,
                from: #from,
                run: #run,
            }
        }
    });
    quote!(&[#(#items),*])
}
