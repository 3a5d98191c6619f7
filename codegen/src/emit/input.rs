//! `<Action>Input`: required fields as constructor arguments, optional ones through setters,
//! and the conversion to a `WireRequest`.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};

use super::docs::doc;
use super::types::field_decls;
use super::{Emit, Scope, formats, rust_ty};
use crate::ir::{Field, Generated, Location, Method, NamedType, RuleValue, Style, Ty};
use crate::naming::Ident;

/// Whether a field is a constructor argument.
pub(super) fn is_ctor_arg(f: &Field) -> bool {
    f.required && f.generated.is_none()
}

/// Parameter type and conversion for a value of `ty` passed by a user.
pub(super) fn arg(e: &Scope<'_>, ty: &Ty) -> (TokenStream, TokenStream) {
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
    let defaults = defaults(e, &a.request);
    let json = super::types::json_impl(e, &name, &a.request, |f| f.generated.is_some());
    let derives = e.derives(&a.request);
    let debug = e.debug_impl(&name, &a.request, |f| !is_ctor_arg(f));
    let summary = doc(&format!(
        "Request of `{}`: {}\n\nBuild it with [`Self::new`] and the setters; check it with [`Self::validate`].",
        a.name, a.summary
    ));
    quote! {
        #summary
        #derives
        #[non_exhaustive]
        pub struct #name {
            #(#decls)*
        }

        #ctor

        #defaults

        #default

        #json

        #debug
    }
}

/// `<FIELD>_DEFAULT` of a field with a `default:`.
pub(super) fn default_const(f: &Field) -> proc_macro2::Ident {
    let base = f.rust.as_str().trim_start_matches("r#").to_uppercase();
    Ident::internal(&format!("{base}_DEFAULT")).tokens()
}

/// The constant's type and value for a default.
fn default_value(e: &Scope<'_>, f: &Field, v: &RuleValue) -> (TokenStream, TokenStream) {
    match (&f.ty, v) {
        (Ty::String, RuleValue::Str(s)) => (quote!(&'static str), quote!(#s)),
        (Ty::Named(r), v) => {
            let t = e.named(*r);
            let variant = match (t, v) {
                (NamedType::StrEnum(d), RuleValue::Str(s)) => {
                    d.values.iter().find(|x| x.wire == *s)
                }
                (NamedType::IntEnum(d), RuleValue::Int(i)) => {
                    d.values.iter().find(|x| x.int == Some(*i))
                }
                _ => None,
            };
            let name = t.name().tokens();
            let variant = variant
                .expect("invariant: a default enum value is one of its values (checked by resolve)")
                .variant
                .tokens();
            (quote!(#name), quote!(#name::#variant))
        }
        (ty, RuleValue::Int(i)) => (
            rust_ty(e, ty),
            Literal::i64_unsuffixed(*i).into_token_stream(),
        ),
        (ty, RuleValue::Bool(b)) => (rust_ty(e, ty), quote!(#b)),
        (ty, RuleValue::Str(s)) => (rust_ty(e, ty), quote!(#s)),
    }
}

/// The default constants and `<field>_or_default()` accessors.
fn defaults(e: &Emit<'_>, fields: &[Field]) -> TokenStream {
    let rt = &e.rt;
    let items: Vec<TokenStream> = fields
        .iter()
        .filter_map(|f| {
            let v = f.default.as_ref()?;
            let c = default_const(f);
            let n = f.rust.tokens();
            let (ty, value) = default_value(e, f, v);
            let getter = Ident::internal(&format!(
                "{}_or_default",
                f.rust.as_str().trim_start_matches("r#")
            ))
            .tokens();
            let sent = if f.send_default {
                "the client sends it when the field is unset (the service requires the field)"
            } else {
                "the service applies it when the field is not sent"
            };
            let cdoc = doc(&format!(
                "The default of {} (`{}`): {sent}.",
                f.rust.self_link(),
                f.wire
            ));
            let gdoc = doc(&format!("{}, or its default.", f.rust.self_link()));
            let (ret, body) = match &f.ty {
                Ty::String => (quote!(&str), quote!(self.#n.as_deref().unwrap_or(Self::#c))),
                Ty::Named(r) if matches!(e.named(*r), NamedType::StrEnum(_)) => (
                    ty.clone(),
                    quote!(#rt::Clone::clone(&self.#n).unwrap_or(Self::#c)),
                ),
                _ => (ty.clone(), quote!(self.#n.unwrap_or(Self::#c))),
            };
            Some(quote! {
                #cdoc
                pub const #c: #ty = #value;
                #gdoc
                #[must_use]
                pub fn #getter(&self) -> #ret {
                    #body
                }
            })
        })
        .collect();
    if items.is_empty() {
        return quote!();
    }
    let name = e.ty_name("Input");
    quote! {
        impl #name {
            #(#items)*
        }
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

/// Whether a type is a scalar (not a list, not an object).
pub(super) fn is_scalar(e: &Scope<'_>, ty: &Ty) -> bool {
    match ty {
        Ty::Named(r) => !matches!(e.named(*r), NamedType::Object(_)),
        Ty::Array(..) => false,
        _ => true,
    }
}

/// The first index of an indexed list style.
pub(super) fn indexed_start(style: Style) -> Option<usize> {
    match style {
        Style::Indexed0 => Some(0),
        Style::Indexed1 => Some(1),
        Style::Json | Style::Comma => None,
    }
}

/// One statement adding a present value `v` of field `f` to the builder `w`.
fn put(e: &Emit<'_>, f: &Field, v: &TokenStream) -> TokenStream {
    let wire = &f.wire;
    let fmt = formats::value(e, &f.ty, f.style);
    let with = |plain: TokenStream, formatted: TokenStream| match &fmt {
        Some(fmt) => quote! { w.#formatted::<#fmt, _>(#wire, #v); },
        None => quote! { w.#plain(#wire, #v); },
    };
    match f.location {
        Location::Json => with(quote!(json), quote!(json_as)),
        Location::Header => with(quote!(header), quote!(header_as)),
        Location::Path => with(quote!(path_param), quote!(path_param_as)),
        Location::Query | Location::Form => match &f.ty {
            Ty::Array(item, _) if is_scalar(e, item) => match indexed_start(f.style) {
                Some(start) => match formats::item(e, &f.ty) {
                    Some(fmt) => {
                        let start = Literal::usize_unsuffixed(start);
                        quote! { w.param_list_as::<#fmt, _>(#wire, #v, #start); }
                    }
                    None => {
                        let start = Literal::usize_unsuffixed(start);
                        quote! { w.param_list(#wire, #v, #start); }
                    }
                },
                None => with(quote!(param_json), quote!(param_as)),
            },
            ty if is_scalar(e, ty) => with(quote!(param), quote!(param_as)),
            _ => quote! { w.param_json(#wire, #v); },
        },
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
    let json_body = e.service.family.default_location(a.method) == Some(Location::Json)
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
        } else if f.send_default && f.default.is_some() {
            let some = put(e, f, &quote!(v));
            let c = default_const(f);
            let value = if f.ty == Ty::String {
                quote!(&#rt::ToOwned::to_owned(Self::#c))
            } else {
                quote!(&Self::#c)
            };
            let default = put(e, f, &value);
            quote! {
                match &self.#n {
                    #rt::Some(v) => { #some }
                    #rt::None => { #default }
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
    e: &Scope<'_>,
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
        let d = doc(&format!("Sets {}.", f.rust.self_link()));
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
