//! The action's registry entry (`ENTRY`) and `from_wire`, which the emulator and the CLI use to
//! read typed inputs back out of requests.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::input::{indexed_start, is_ctor_arg, is_scalar};
use super::{Emit, Scope, formats};
use crate::docs::text::{constraints, rule_sentence};
use crate::ir::{ErrorDef, ErrorOrigin, Field, Generated, Location, NamedType, Style, Ty};

pub(super) fn ty_text(e: &Scope<'_>, ty: &Ty) -> String {
    match ty {
        Ty::String => "string".to_owned(),
        Ty::Int32 => "int32".to_owned(),
        Ty::Int64 => "int64".to_owned(),
        Ty::Float64 => "float64".to_owned(),
        Ty::Bool => "bool".to_owned(),
        Ty::Timestamp(f) => format!("timestamp {}", f.id()),
        Ty::Named(r) => match e.named(*r) {
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

/// How a list field travels, for the registry (`None` for other fields).
fn list_style(e: &Emit<'_>, f: &Field) -> TokenStream {
    let rt = &e.rt;
    let Ty::Array(item, _) = &f.ty else {
        return quote!(#rt::None);
    };
    let param = matches!(f.location, Location::Query | Location::Form) && is_scalar(e, item);
    match (f.style, param) {
        (Style::Comma, _) => quote!(#rt::Some(#rt::ListStyle::Comma)),
        (Style::Indexed0 | Style::Indexed1, true) => {
            let start = Literal::usize_unsuffixed(indexed_start(f.style).unwrap_or(0));
            quote!(#rt::Some(#rt::ListStyle::Indexed(#start)))
        }
        _ => quote!(#rt::Some(#rt::ListStyle::Json)),
    }
}

/// The wire text of a default.
fn default_text(f: &Field) -> Option<String> {
    f.default.as_ref().map(|v| match v {
        crate::ir::RuleValue::Int(i) => i.to_string(),
        crate::ir::RuleValue::Str(s) => s.clone(),
        crate::ir::RuleValue::Bool(b) => b.to_string(),
    })
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

/// How a generated field's value is made, if it is one.
fn generated_text(f: &Field) -> Option<&'static str> {
    match f.generated? {
        Generated::IdempotencyToken => {
            Some("generated: a new UUID per call, sent unchanged on every retry")
        }
        Generated::RequestId => Some("generated: a new UUID for every attempt"),
    }
}

/// The registry's `ValueType` of a value of `ty` written with `style`.
pub(super) fn value_type(e: &Scope<'_>, ty: &Ty, style: Style) -> TokenStream {
    let rt = &e.rt;
    match ty {
        Ty::String => quote!(#rt::ValueType::String),
        Ty::Int32 => quote!(#rt::ValueType::Int32),
        Ty::Int64 => quote!(#rt::ValueType::Int64),
        Ty::Float64 => quote!(#rt::ValueType::Float64),
        Ty::Bool => quote!(#rt::ValueType::Bool),
        Ty::Timestamp(f) => {
            let m = crate::naming::Ident::internal(f.marker()).tokens();
            quote!(#rt::ValueType::Timestamp(#rt::TimeFormat::#m))
        }
        Ty::Named(r) => match e.named(*r) {
            NamedType::StrEnum(d) => {
                let v = d.values.iter().map(|v| v.wire.as_str());
                quote!(#rt::ValueType::Enum(&[#(#v),*]))
            }
            NamedType::IntEnum(d) => {
                let v = d
                    .values
                    .iter()
                    .map(|v| Literal::i64_unsuffixed(v.int.unwrap_or_default()));
                quote!(#rt::ValueType::IntEnum(&[#(#v),*]))
            }
            NamedType::Object(o) => {
                let members = response_fields(e, &o.fields);
                quote!(#rt::ValueType::Object(#members))
            }
        },
        Ty::Array(item, _) => {
            let item = value_type(e, item, Style::Json);
            let style = match style {
                Style::Comma => quote!(#rt::ListStyle::Comma),
                Style::Indexed0 => quote!(#rt::ListStyle::Indexed(0)),
                Style::Indexed1 => quote!(#rt::ListStyle::Indexed(1)),
                Style::Json => quote!(#rt::ListStyle::Json),
            };
            quote!(#rt::ValueType::List(&#item, #style))
        }
    }
}

fn response_fields(e: &Scope<'_>, fields: &[Field]) -> TokenStream {
    let rt = &e.rt;
    let items = fields.iter().map(|f| {
        let name = f.wire.as_str();
        let path = f.path.join(".");
        let ty = ty_text(e, &f.ty);
        let required = f.required;
        let value = value_type(e, &f.ty, f.style);
        quote! { #rt::ResponseFieldInfo { name: #name, path: #path, ty: #ty, required: #required, value: #value } }
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
            Location::Path => quote!(#rt::FieldLocation::Path),
            Location::Query | Location::Form => quote!(#rt::FieldLocation::Param),
        };
        let list = list_style(e, f);
        let default = match default_text(f) {
            Some(d) => quote!(#rt::Some(#d)),
            None => quote!(#rt::None),
        };
        let doc = full_doc(f.doc.as_deref());
        let value = value_type(e, &f.ty, f.style);
        let sensitive = f.sensitive;
        let constraints = constraints_text(e, index, f);
        let generated = match generated_text(f) {
            Some(d) => quote!(#rt::Some(#d)),
            None => quote!(#rt::None),
        };
        quote! {
            #rt::FieldInfo {
                wire: #wire, ty: #ty, required: #required, location: #location, list: #list,
                value: #value, default: #default, generated: #generated, sensitive: #sensitive,
                doc: #doc, constraints: #constraints,
            }
        }
    });
    let paginate = super::paginate::entry(e);
    let emulator = super::emulation::ops(rt, &a.emulator);
    let waiters = super::waiter::entries(e);
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
            parse_output: #rt::parse_output_dyn::<#input>,
            parse_error: #rt::parse_error_dyn::<#input>,
            call: #rt::call_dyn::<#input>,
            prepare: #rt::prepare_dyn::<#input>,
            request_json: #rt::request_json::<#input>,
            emulator: #emulator,
            paginate: #paginate,
            waiters: #waiters,
        };
    }
}

/// Body of `Operation::from_wire`.
pub(super) fn from_wire(e: &Emit<'_>) -> TokenStream {
    let rt = &e.rt;
    let a = e.action;
    let template = a.path.as_str();
    let reads = a.request.iter().map(|f| {
        let n = f.rust.tokens();
        let wire = &f.wire;
        let fmt = formats::value(e, &f.ty, f.style);
        let with = |plain: TokenStream, formatted: TokenStream| match &fmt {
            Some(fmt) => quote!(r.#formatted::<#fmt, _>(#wire)?),
            None => quote!(r.#plain(#wire)?),
        };
        let read = match f.location {
            Location::Json => with(quote!(json), quote!(json_as)),
            Location::Header => with(quote!(header), quote!(header_as)),
            Location::Path => match &fmt {
                Some(fmt) => quote!(r.path_param_as::<#fmt, _>(#template, #wire)?),
                None => quote!(r.path_param(#template, #wire)?),
            },
            Location::Query | Location::Form => match &f.ty {
                Ty::Array(item, _) if is_scalar(e, item) => {
                    match indexed_start(f.style).map(Literal::usize_unsuffixed) {
                        Some(start) => match formats::item(e, &f.ty) {
                            Some(fmt) => quote!(r.param_list_as::<#fmt, _>(#wire, #start)?),
                            None => quote!(r.param_list(#wire, #start)?),
                        },
                        None => with(quote!(param_json), quote!(param_as)),
                    }
                }
                ty if is_scalar(e, ty) => with(quote!(param), quote!(param_as)),
                _ => quote!(r.param_json(#wire)?),
            },
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
