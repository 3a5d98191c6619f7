//! Named types of an action: string enums, integer enums and objects, with their codecs.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{doc, doc_or};
use super::{Emit, Scope, formats, rust_ty};
use crate::ir::{EnumDef, Field, NamedType};

fn named_type(e: &Scope<'_>, t: &NamedType) -> TokenStream {
    match t {
        NamedType::StrEnum(d) => str_enum(e, d),
        NamedType::IntEnum(d) => int_enum(e, d),
        NamedType::Object(o) => object(e, &o.name.tokens(), o.doc.as_deref(), &o.fields),
    }
}

/// Every named type of the action.
pub(super) fn named_types(e: &Emit<'_>) -> TokenStream {
    let items = e.action.types.iter().map(|t| named_type(e, t));
    quote! { #(#items)* }
}

/// The service's shared types, in the service module.
pub(super) fn shared_types(e: &Scope<'_>) -> TokenStream {
    let items = e.service.types.iter().map(|t| named_type(e, t));
    quote! { #(#items)* }
}

/// `pub use super::{Region, ..};`: the shared types the action uses, so the action's module
/// names every type of its API.
pub(super) fn shared_reexports(e: &Emit<'_>) -> TokenStream {
    if e.action.shared_types.is_empty() {
        return quote!();
    }
    let names = e
        .action
        .shared_types
        .iter()
        .map(|i| e.service.types[*i].name().tokens());
    quote! { pub use super::{#(#names),*}; }
}

fn variant_docs(d: &EnumDef) -> Vec<TokenStream> {
    d.values
        .iter()
        .map(|v| match &v.doc {
            Some(text) => doc(&format!("`{}`: {text}", v.wire)),
            None => doc(&format!("`{}`.", v.wire)),
        })
        .collect()
}

fn str_enum(e: &Scope<'_>, d: &EnumDef) -> TokenStream {
    let rt = &e.rt;
    let name = d.name.tokens();
    let docs = doc_or(d.doc.as_deref(), &format!("Values of `{}`.", d.name));
    let variants: Vec<_> = d.values.iter().map(|v| v.variant.tokens()).collect();
    let vdocs = variant_docs(d);
    let wires: Vec<_> = d.values.iter().map(|v| v.wire.as_str()).collect();
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #vdocs #variants, )*
            /// A value the spec does not list: rejected by `validate()` in requests, kept as
            /// received in responses.
            Unknown(#rt::String),
        }

        impl #name {
            /// Every value the spec lists, as sent on the wire.
            pub const VALUES: &'static [&'static str] = &[#(#wires),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::Unknown(value) => value,
                }
            }

            /// Whether the spec lists this value.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl ::core::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#variants, )*
                    other => Self::Unknown(#rt::ToOwned::to_owned(other)),
                }
            }
        }

        impl ::core::str::FromStr for #name {
            type Err = ::core::convert::Infallible;
            fn from_str(value: &str) -> #rt::Result<Self, Self::Err> {
                #rt::Ok(Self::from(value))
            }
        }

        impl #rt::fmt::Display for #name {
            fn fmt(&self, f: &mut #rt::fmt::Formatter<'_>) -> #rt::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl #rt::ToParam for #name {
            fn to_param(&self) -> #rt::String {
                #rt::ToOwned::to_owned(self.as_str())
            }
        }

        impl #rt::ToJson for #name {
            fn to_json(&self) -> #rt::Value {
                #rt::Value::String(#rt::ToOwned::to_owned(self.as_str()))
            }
        }

        impl #rt::FromParam for #name {
            fn from_param(value: &str) -> #rt::Result<Self, #rt::String> {
                #rt::Ok(Self::from(value))
            }
        }

        impl #rt::FromJson for #name {
            fn from_json(value: &#rt::Value, lenient: bool) -> #rt::Result<Self, #rt::String> {
                let text: #rt::String = #rt::FromJson::from_json(value, lenient)?;
                #rt::Ok(Self::from(text.as_str()))
            }
        }
    }
}

fn int_enum(e: &Scope<'_>, d: &EnumDef) -> TokenStream {
    let rt = &e.rt;
    let name = d.name.tokens();
    let docs = doc_or(d.doc.as_deref(), &format!("Values of `{}`.", d.name));
    let variants: Vec<_> = d.values.iter().map(|v| v.variant.tokens()).collect();
    let vdocs = variant_docs(d);
    let wires: Vec<_> = d.values.iter().map(|v| v.wire.as_str()).collect();
    let ints: Vec<_> = d
        .values
        .iter()
        .map(|v| Literal::i64_unsuffixed(v.int.expect("invariant: integer enum value has an int")))
        .collect();
    quote! {
        #docs
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #vdocs #variants, )*
            /// A value the spec does not list: rejected by `validate()` in requests, kept as
            /// received in responses.
            Unknown(i64),
        }

        impl #name {
            /// Every value the spec lists, as sent on the wire.
            pub const VALUES: &'static [&'static str] = &[#(#wires),*];

            /// The value as sent on the wire.
            pub fn value(self) -> i64 {
                match self {
                    #( Self::#variants => #ints, )*
                    Self::Unknown(value) => value,
                }
            }

            /// Whether the spec lists this value.
            pub fn is_known(self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl ::core::convert::From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #( #ints => Self::#variants, )*
                    other => Self::Unknown(other),
                }
            }
        }

        impl #rt::fmt::Display for #name {
            fn fmt(&self, f: &mut #rt::fmt::Formatter<'_>) -> #rt::fmt::Result {
                #rt::fmt::Display::fmt(&self.value(), f)
            }
        }

        impl #rt::ToParam for #name {
            fn to_param(&self) -> #rt::String {
                #rt::ToString::to_string(&self.value())
            }
        }

        impl #rt::ToJson for #name {
            fn to_json(&self) -> #rt::Value {
                #rt::Value::from(self.value())
            }
        }

        impl #rt::FromParam for #name {
            fn from_param(value: &str) -> #rt::Result<Self, #rt::String> {
                let number: i64 = #rt::FromParam::from_param(value)?;
                #rt::Ok(Self::from(number))
            }
        }

        impl #rt::FromJson for #name {
            fn from_json(value: &#rt::Value, lenient: bool) -> #rt::Result<Self, #rt::String> {
                let number: i64 = #rt::FromJson::from_json(value, lenient)?;
                #rt::Ok(Self::from(number))
            }
        }
    }
}

/// Field declarations of a struct: `Option<T>` unless required.
pub(super) fn field_decls(
    e: &Scope<'_>,
    fields: &[Field],
    always_optional: impl Fn(&Field) -> bool,
) -> Vec<TokenStream> {
    let rt = &e.rt;
    fields
        .iter()
        .map(|f| {
            let name = f.rust.tokens();
            let ty = rust_ty(e, &f.ty);
            let docs = doc_or(f.doc.as_deref(), &format!("`{}`.", f.wire));
            let wire = doc(&format!("Wire name: `{}`.", f.wire));
            if f.required && !always_optional(f) {
                quote! { #docs #[doc = ""] #wire pub #name: #ty, }
            } else {
                quote! { #docs #[doc = ""] #wire pub #name: #rt::Option<#ty>, }
            }
        })
        .collect()
}

/// Expressions reading each field from `value` (a JSON object) for a struct literal.
pub(super) fn field_reads(
    e: &Scope<'_>,
    fields: &[Field],
    value: &TokenStream,
) -> Vec<TokenStream> {
    let rt = &e.rt;
    fields
        .iter()
        .map(|f| {
            let name = f.rust.tokens();
            let path: Vec<&str> = f.path.iter().map(String::as_str).collect();
            let lenient = f.lenient;
            let read = match (f.required, formats::value(e, &f.ty, f.style)) {
                (true, None) => quote!(#rt::required),
                (false, None) => quote!(#rt::optional),
                (true, Some(fmt)) => quote!(#rt::required_as::<#fmt, _>),
                (false, Some(fmt)) => quote!(#rt::optional_as::<#fmt, _>),
            };
            quote! { #name: #read(#value, &[#(#path),*], #lenient)?, }
        })
        .collect()
}

fn object(
    e: &Scope<'_>,
    name: &proc_macro2::Ident,
    docs: Option<&str>,
    fields: &[Field],
) -> TokenStream {
    let rt = &e.rt;
    let docs = doc_or(docs, "An object of the action.");
    let derives = e.derives(fields);
    let debug = e.debug_impl(name, fields, |f| !f.required);
    let decls = field_decls(e, fields, |_| false);
    let reads = field_reads(e, fields, &quote!(value));
    let checks = super::validate::object_checks(e, fields);
    let (ctor, default) = super::input::constructors(e, name, fields);
    let to_json = json_impl(e, name, fields, |_| false);
    quote! {
        #docs
        #derives
        #[non_exhaustive]
        pub struct #name {
            #(#decls)*
        }

        #ctor

        #default

        impl #name {
            #checks
        }

        impl #rt::FromJson for #name {
            fn from_json(value: &#rt::Value, _lenient: bool) -> #rt::Result<Self, #rt::String> {
                let read = || -> #rt::Result<Self, #rt::FieldError> {
                    #rt::Ok(Self { #(#reads)* })
                };
                read().map_err(|e| #rt::ToString::to_string(&e))
            }
        }

        #to_json

        #debug
    }
}

/// `impl ToJson`: present members by wire name (objects in requests, outputs for the CLI).
pub(super) fn json_impl(
    e: &Scope<'_>,
    name: &proc_macro2::Ident,
    fields: &[Field],
    always_optional: impl Fn(&Field) -> bool,
) -> TokenStream {
    let rt = &e.rt;
    let writes = fields.iter().map(|f| {
        let n = f.rust.tokens();
        let wire = &f.wire;
        let to_json = match formats::value(e, &f.ty, f.style) {
            Some(fmt) => quote!(#rt::to_json_as::<#fmt, _>),
            None => quote!(#rt::ToJson::to_json),
        };
        if f.required && !always_optional(f) {
            quote! { map.insert(#rt::ToOwned::to_owned(#wire), #to_json(&self.#n)); }
        } else {
            quote! {
                if let #rt::Some(v) = &self.#n {
                    map.insert(#rt::ToOwned::to_owned(#wire), #to_json(v));
                }
            }
        }
    });
    let decl = if fields.is_empty() {
        quote! { let map = #rt::JsonMap::new(); }
    } else {
        quote! { let mut map = #rt::JsonMap::new(); }
    };
    quote! {
        impl #rt::ToJson for #name {
            fn to_json(&self) -> #rt::Value {
                #decl
                #(#writes)*
                #rt::Value::Object(map)
            }
        }
    }
}
