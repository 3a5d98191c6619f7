//! `<Action>Input`: required fields as constructor arguments, optional ones through setters,
//! and the conversion to a `WireRequest`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc;
use super::types::field_decls;
use super::{Emit, rust_ty};
use crate::ir::{Field, Flatten, Generated, Location, Method, NamedType, Ty};

/// Whether a field is a constructor argument.
pub(super) fn is_ctor_arg(f: &Field) -> bool {
    f.required && f.generated.is_none()
}

/// Parameter type and conversion for a value of `ty` passed by a user.
pub(super) fn arg(e: &Emit<'_>, ty: &Ty) -> (TokenStream, TokenStream) {
    let rt = &e.rt;
    match ty {
        Ty::String => (quote!(impl #rt::Into<#rt::String>), quote!(.into())),
        Ty::Array(item, _) if **item == Ty::String => (
            quote!(
                impl ::core::iter::IntoIterator<
                    Item = impl #rt::Into<#rt::String>,
                >
            ),
            quote!(.into_iter().map(#rt::Into::into).collect()),
        ),
        Ty::Array(item, _) => {
            let item = rust_ty(e, item);
            (
                quote!(impl ::core::iter::IntoIterator<Item = #item>),
                quote!(.into_iter().collect()),
            )
        }
        other => (rust_ty(e, other), quote!()),
    }
}

/// The input struct and its inherent methods (except `validate`).
pub(super) fn input(e: &Emit<'_>) -> TokenStream {
    let a = e.action;
    let name = e.ty_name("Input");
    let decls = field_decls(e, &a.request, |f| f.generated.is_some());
    let (ctor, default) = constructors(e, &name, &a.request);
    let summary = doc(&format!(
        "Request of `{}`: {}\n\nBuild it with [`Self::new`] and the setters; check it with [`Self::validate`].",
        a.name, a.summary
    ));
    quote! {
        #summary
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct #name {
            #(#decls)*
        }

        #ctor

        #default
    }
}

/// Body of `Operation::fill_idempotency_token`.
pub(super) fn fill_token(e: &Emit<'_>) -> TokenStream {
    let rt = &e.rt;
    let token = e
        .action
        .request
        .iter()
        .find(|f| f.generated == Some(Generated::IdempotencyToken));
    match token {
        Some(f) => {
            let n = f.rust.tokens();
            quote! {
                fn fill_idempotency_token(&mut self, make: &mut dyn ::core::ops::FnMut() -> #rt::String) {
                    if self.#n.is_none() {
                        self.#n = #rt::Some(make());
                    }
                }
            }
        }
        None => quote! {
            fn fill_idempotency_token(&mut self, _make: &mut dyn ::core::ops::FnMut() -> #rt::String) {}
        },
    }
}

fn is_scalar(e: &Emit<'_>, ty: &Ty) -> bool {
    match ty {
        Ty::Named(i) => !matches!(e.named(*i), NamedType::Object(_)),
        Ty::Array(..) => false,
        _ => true,
    }
}

/// One statement adding a present value `v` of field `f` to the builder `w`.
fn put(e: &Emit<'_>, f: &Field, v: &TokenStream) -> TokenStream {
    let wire = &f.wire;
    match (f.location, &f.ty) {
        (Location::Json, _) => quote! { w.json(#wire, #v); },
        (Location::Header, _) => quote! { w.header(#wire, #v); },
        (Location::Query | Location::Form, Ty::Array(item, _)) if is_scalar(e, item) => {
            match f.flatten {
                Flatten::Indexed0 => quote! { w.param_list(#wire, #v, 0); },
                Flatten::Indexed1 => quote! { w.param_list(#wire, #v, 1); },
                Flatten::Json => quote! { w.param_json(#wire, #v); },
            }
        }
        (Location::Query | Location::Form, ty) if is_scalar(e, ty) => {
            quote! { w.param(#wire, #v); }
        }
        (Location::Query | Location::Form, _) => quote! { w.param_json(#wire, #v); },
    }
}

/// Body of `Operation::to_wire`.
pub(super) fn to_wire(e: &Emit<'_>) -> TokenStream {
    let rt = &e.rt;
    let a = e.action;
    let method = match a.method {
        Method::Get => quote!(#rt::HttpMethod::Get),
        Method::Post => quote!(#rt::HttpMethod::Post),
    };
    let path = &a.path;
    let json_body = e.service.family.default_location(a.method) == Location::Json
        || a.request.iter().any(|f| f.location == Location::Json);
    let uses_fresh = a
        .request
        .iter()
        .any(|f| f.generated == Some(Generated::RequestId));
    let puts = a.request.iter().map(|f| {
        let n = f.rust.tokens();
        if is_ctor_arg(f) {
            put(e, f, &quote!(&self.#n))
        } else if f.generated == Some(Generated::RequestId) {
            let some = put(e, f, &quote!(v));
            let fresh = put(e, f, &quote!(&fresh_id()));
            quote! {
                match &self.#n {
                    #rt::Some(v) => { #some }
                    #rt::None => { #fresh }
                }
            }
        } else {
            let some = put(e, f, &quote!(v));
            quote! {
                if let #rt::Some(v) = &self.#n {
                    #some
                }
            }
        }
    });
    let fresh_param = if uses_fresh {
        quote!(fresh_id)
    } else {
        quote!(_fresh_id)
    };
    let json_body = if json_body {
        quote!(true)
    } else {
        quote!(false)
    };
    let builder = if a.request.is_empty() {
        quote! { let w = #rt::WireBuilder::new(#method, #path, #json_body); }
    } else {
        quote! { let mut w = #rt::WireBuilder::new(#method, #path, #json_body); }
    };
    quote! {
        fn to_wire(&self, #fresh_param: &mut dyn ::core::ops::FnMut() -> #rt::String) -> #rt::WireRequest {
            #builder
            #(#puts)*
            w.finish()
        }
    }
}

/// `impl T { new(required...) + setters }` and, without required fields, `Default`; for inputs
/// and for request objects alike.
pub(super) fn constructors(
    e: &Emit<'_>,
    name: &proc_macro2::Ident,
    fields: &[Field],
) -> (TokenStream, TokenStream) {
    let rt = &e.rt;
    let ctor_fields: Vec<&Field> = fields.iter().filter(|f| is_ctor_arg(f)).collect();
    let params = ctor_fields.iter().map(|f| {
        let n = f.rust.tokens();
        let (ty, _) = arg(e, &f.ty);
        quote! { #n: #ty }
    });
    let inits = fields.iter().map(|f| {
        let n = f.rust.tokens();
        if is_ctor_arg(f) {
            let (_, conv) = arg(e, &f.ty);
            if conv.is_empty() {
                quote! { #n, }
            } else {
                quote! { #n: #n #conv, }
            }
        } else {
            quote! { #n: #rt::None, }
        }
    });
    let mut new_doc = String::from("Creates the value with its required fields.\n");
    for f in &ctor_fields {
        new_doc.push_str(&format!("\n- `{}`: wire name `{}`.", f.rust, f.wire));
    }
    let new_doc = doc(&new_doc);
    let setters = fields.iter().filter(|f| !is_ctor_arg(f)).map(|f| {
        let n = f.rust.tokens();
        let (ty, conv) = arg(e, &f.ty);
        let d = doc(&format!("Sets [`Self::{}`].", f.rust));
        quote! {
            #d
            #[must_use]
            pub fn #n(mut self, value: #ty) -> Self {
                self.#n = #rt::Some(value #conv);
                self
            }
        }
    });
    let default = if ctor_fields.is_empty() {
        quote! {
            impl ::core::default::Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    } else {
        quote!()
    };
    (
        quote! {
            impl #name {
                #new_doc
                #[must_use]
                pub fn new(#(#params),*) -> Self {
                    Self { #(#inits)* }
                }

                #(#setters)*
            }
        },
        default,
    )
}
