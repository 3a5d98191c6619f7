//! The action's registry entry (`ENTRY`) and `from_wire`, which the emulator and the CLI use to
//! read typed inputs back out of requests.

use proc_macro2::TokenStream;
use quote::quote;

use super::Emit;
use super::input::is_ctor_arg;
use crate::docs::text::{constraints, rule_sentence};
use crate::ir::{ErrorDef, ErrorOrigin, Field, Flatten, Generated, Location, NamedType, Ty};

fn ty_text(e: &Emit<'_>, ty: &Ty) -> String {
    match ty {
        Ty::String => "string".to_owned(),
        Ty::Int32 => "int32".to_owned(),
        Ty::Int64 => "int64".to_owned(),
        Ty::Bool => "bool".to_owned(),
        Ty::Named(i) => match e.named(*i) {
            NamedType::StrEnum(d) => {
                let values: Vec<&str> = d.values.iter().map(|v| v.wire.as_str()).collect();
                format!("enum: {}", values.join("|"))
            }
            NamedType::IntEnum(d) => {
                let values: Vec<&str> = d.values.iter().map(|v| v.wire.as_str()).collect();
                format!("integer enum: {}", values.join("|"))
            }
            NamedType::Object(o) => format!("object {}", o.name),
        },
        Ty::Array(item, _) => format!("array of {}", ty_text(e, item)),
    }
}

fn is_scalar(e: &Emit<'_>, ty: &Ty) -> bool {
    match ty {
        Ty::Named(i) => !matches!(e.named(*i), NamedType::Object(_)),
        Ty::Array(..) => false,
        _ => true,
    }
}

/// How a field is flattened into parameters: `Some(start)` for indexed arrays.
fn flatten_from(e: &Emit<'_>, f: &Field) -> Option<usize> {
    match (&f.ty, f.location, f.flatten) {
        (Ty::Array(item, _), Location::Query | Location::Form, Flatten::Indexed0)
            if is_scalar(e, item) =>
        {
            Some(0)
        }
        (Ty::Array(item, _), Location::Query | Location::Form, Flatten::Indexed1)
            if is_scalar(e, item) =>
        {
            Some(1)
        }
        _ => None,
    }
}

fn first_line(s: Option<&str>) -> String {
    s.and_then(|d| d.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or("")
        .trim()
        .to_owned()
}

/// The whole doc, trimmed (the CLI's help shows all of it).
fn full_doc(s: Option<&str>) -> String {
    s.map_or("", str::trim).to_owned()
}

/// The field's constraints as the reference pages word them, items' ones and the cross-field
/// rules on it included: `items 1..=100; each item: length 1..=32 chars`.
fn constraints_text(e: &Emit<'_>, index: usize, f: &Field) -> String {
    let mut parts = constraints(&f.constraints);
    if let Ty::Array(_, each) = &f.ty {
        let each = constraints(each);
        if !each.is_empty() {
            parts.push(format!("each item: {}", each.join(", ")));
        }
    }
    let mut text = parts.join("; ");
    for r in e.action.rules.iter().filter(|r| r.field == index) {
        if !text.is_empty() {
            text.push_str(if text.ends_with('.') { " " } else { ". " });
        }
        text.push_str(&rule_sentence(e.action, r));
    }
    text
}

/// What is used when the caller leaves the field unset, if anything.
fn default_text(f: &Field) -> Option<&'static str> {
    match f.generated? {
        Generated::IdempotencyToken => {
            Some("generated: a new UUID per call, sent unchanged on every retry")
        }
        Generated::RequestId => Some("generated: a new UUID for every attempt"),
    }
}

fn enum_values(e: &Emit<'_>, ty: &Ty) -> Vec<String> {
    match ty {
        Ty::Named(i) => match e.named(*i) {
            NamedType::StrEnum(d) | NamedType::IntEnum(d) => {
                d.values.iter().map(|v| v.wire.clone()).collect()
            }
            NamedType::Object(_) => Vec::new(),
        },
        Ty::Array(item, _) => enum_values(e, item),
        _ => Vec::new(),
    }
}

fn object_fields<'t>(e: &'t Emit<'_>, ty: &Ty) -> &'t [Field] {
    match ty {
        Ty::Named(i) => match e.named(*i) {
            NamedType::Object(o) => &o.fields,
            _ => &[],
        },
        Ty::Array(item, _) => object_fields(e, item),
        _ => &[],
    }
}

fn response_fields(e: &Emit<'_>, fields: &[Field]) -> TokenStream {
    let rt = &e.rt;
    let items = fields.iter().map(|f| {
        let path = f.path.join(".");
        let ty = ty_text(e, &f.ty);
        let members = response_fields(e, object_fields(e, &f.ty));
        let values = enum_values(e, &f.ty);
        quote! { #rt::ResponseFieldInfo { path: #path, ty: #ty, fields: #members, values: &[#(#values),*] } }
    });
    quote!(&[#(#items),*])
}

/// `&[ErrorInfo { .. }, ..]` for these errors.
pub(super) fn error_infos<'a>(
    rt: &TokenStream,
    defs: impl Iterator<Item = &'a ErrorDef>,
) -> TokenStream {
    let items = defs.map(|d| {
        let code = &d.code;
        let status = match d.status {
            Some(s) => quote!(#rt::Some(#s)),
            None => quote!(#rt::None),
        };
        let retryable = d.retryable;
        let doc = first_line(d.doc.as_deref());
        quote! { #rt::ErrorInfo { code: #code, status: #status, retryable: #retryable, doc: #doc } }
    });
    quote!(&[#(#items),*])
}

/// `pub const ENTRY: ActionEntry`.
pub(super) fn entry(e: &Emit<'_>) -> TokenStream {
    let rt = &e.rt;
    let a = e.action;
    let input = e.ty_name("Input");
    let summary = &a.summary;
    let fields = a.request.iter().enumerate().map(|(index, f)| {
        let wire = &f.wire;
        let ty = ty_text(e, &f.ty);
        let required = is_ctor_arg(f);
        let location = match f.location {
            Location::Json => quote!(#rt::FieldLocation::Json),
            Location::Header => quote!(#rt::FieldLocation::Header),
            Location::Query | Location::Form => quote!(#rt::FieldLocation::Param),
        };
        let flatten = match flatten_from(e, f) {
            Some(n) => quote!(#rt::Some(#n)),
            None => quote!(#rt::None),
        };
        let doc = full_doc(f.doc.as_deref());
        let constraints = constraints_text(e, index, f);
        let default = match default_text(f) {
            Some(d) => quote!(#rt::Some(#d)),
            None => quote!(#rt::None),
        };
        quote! {
            #rt::FieldInfo {
                wire: #wire, ty: #ty, required: #required, location: #location,
                flatten_from: #flatten, doc: #doc, constraints: #constraints, default: #default,
            }
        }
    });
    let errors = error_infos(
        rt,
        a.errors.iter().filter(|d| d.origin != ErrorOrigin::Common),
    );
    let common_errors = match &e.common {
        Some(c) => {
            let path = &c.path;
            quote!(#path::ERRORS)
        }
        None => quote!(&[]),
    };
    let response = response_fields(e, &a.response);
    let example = match a.examples.iter().find_map(|x| x.response.as_deref()) {
        Some(r) => quote!(#rt::Some(#r)),
        None => quote!(#rt::None),
    };
    quote! {
        /// This action's registry entry (for the emulator and the CLI).
        pub const ENTRY: #rt::ActionEntry = #rt::ActionEntry {
            service: &super::SERVICE,
            action: &ACTION,
            summary: #summary,
            fields: &[#(#fields),*],
            response: #response,
            errors: #errors,
            common_errors: #common_errors,
            example_response: #example,
            check_wire: #rt::check_wire::<#input>,
            call: #rt::call_dyn::<#input>,
            prepare: #rt::prepare_dyn::<#input>,
        };
    }
}

/// Body of `Operation::from_wire`.
pub(super) fn from_wire(e: &Emit<'_>) -> TokenStream {
    let rt = &e.rt;
    let a = e.action;
    let reads = a.request.iter().map(|f| {
        let n = f.rust.tokens();
        let wire = &f.wire;
        let read = match (f.location, flatten_from(e, f)) {
            (Location::Json, _) => quote!(r.json(#wire)?),
            (Location::Header, _) => quote!(r.header(#wire)?),
            (_, Some(start)) => quote!(r.param_list(#wire, #start)?),
            (_, None) if is_scalar(e, &f.ty) => quote!(r.param(#wire)?),
            (_, None) => quote!(r.param_json(#wire)?),
        };
        if is_ctor_arg(f) {
            quote! { #n: #rt::WireReader::need(#read, #wire)?, }
        } else {
            quote! { #n: #read, }
        }
    });
    let reader = if a.request.is_empty() {
        quote! { #rt::WireReader::new(wire)?; }
    } else {
        quote! { let r = #rt::WireReader::new(wire)?; }
    };
    quote! {
        fn from_wire(wire: &#rt::WireRequest) -> #rt::Result<Self, #rt::FieldError> {
            #reader
            #rt::Ok(Self { #(#reads)* })
        }
    }
}
