//! The emulator's declarations as generated data: `SERVICE.resources` and `ENTRY.emulator`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::ir::{EmulatorOps, IdStyle, Resource, RuleValue};

fn state(rt: &TokenStream, v: &RuleValue) -> TokenStream {
    match v {
        RuleValue::Str(s) => quote!(#rt::StateValue::Str(#s)),
        RuleValue::Int(i) => {
            let i = Literal::i64_unsuffixed(*i);
            quote!(#rt::StateValue::Int(#i))
        }
        RuleValue::Bool(b) => {
            let s = b.to_string();
            quote!(#rt::StateValue::Str(#s))
        }
    }
}

fn opt_state(rt: &TokenStream, v: Option<&RuleValue>) -> TokenStream {
    match v {
        Some(v) => {
            let v = state(rt, v);
            quote!(#rt::Some(#v))
        }
        None => quote!(#rt::None),
    }
}

fn opt_str(rt: &TokenStream, v: Option<&str>) -> TokenStream {
    match v {
        Some(s) => quote!(#rt::Some(#s)),
        None => quote!(#rt::None),
    }
}

fn opt_pair(rt: &TokenStream, v: Option<&(String, String)>) -> TokenStream {
    match v {
        Some((a, b)) => quote!(#rt::Some((#a, #b))),
        None => quote!(#rt::None),
    }
}

/// `&[ResourceKind { .. }, ..]` of `SERVICE.resources`.
pub(super) fn resources(rt: &TokenStream, resources: &[Resource]) -> TokenStream {
    let items = resources.iter().map(|r| {
        let kind = r.kind.as_str();
        let id = match &r.id {
            IdStyle::Prefixed { prefix, length } => {
                let length = Literal::u32_unsuffixed(*length);
                quote!(#rt::IdStyle::Prefixed { prefix: #prefix, length: #length })
            }
            IdStyle::Counter => quote!(#rt::IdStyle::Counter),
        };
        let st = opt_str(rt, r.state.as_deref());
        let initial = opt_state(rt, r.initial.as_ref());
        let transitions = r.transitions.iter().map(|t| {
            let (from, to) = (state(rt, &t.from), state(rt, &t.to));
            let after = Literal::u32_unsuffixed(t.after);
            quote!(#rt::Transition { from: #from, to: #to, after_secs: #after })
        });
        let created = opt_str(rt, r.created.as_deref());
        quote! {
            #rt::ResourceKind {
                kind: #kind,
                id: #id,
                state: #st,
                initial: #initial,
                transitions: &[#(#transitions),*],
                created: #created,
            }
        }
    });
    quote!(&[#(#items),*])
}

/// `EmulatorOps { .. }` of `ENTRY.emulator`.
pub(super) fn ops(rt: &TokenStream, ops: &EmulatorOps) -> TokenStream {
    let read = ops.read.iter().map(|r| {
        let (kind, id, nf, into, set) = (&r.kind, &r.id, &r.not_found, &r.into, r.set);
        let require = r.require.iter().map(|v| state(rt, v));
        let conflict = opt_str(rt, r.conflict.as_deref());
        let st = opt_state(rt, r.state.as_ref());
        quote! {
            #rt::ReadOp { kind: #kind, id: #id, not_found: #nf, require: &[#(#require),*], conflict: #conflict, into: #into, state: #st, set: #set }
        }
    });
    let create = ops.create.iter().map(|c| {
        let (kind, id) = (&c.kind, &c.id);
        let each = opt_str(rt, c.each.as_deref());
        let as_attr = opt_str(rt, c.as_attr.as_deref());
        let group = opt_str(rt, c.group.as_deref());
        let items = opt_str(rt, c.items.as_deref());
        quote! {
            #rt::CreateOp { kind: #kind, id: #id, each: #each, as_attr: #as_attr, group: #group, items: #items }
        }
    });
    let delete = ops.delete.iter().map(|d| {
        let (kind, id, nf) = (&d.kind, &d.id, &d.not_found);
        quote!(#rt::DeleteOp { kind: #kind, id: #id, not_found: #nf })
    });
    let list = match &ops.list {
        Some(l) => {
            let (kind, items) = (&l.kind, &l.items);
            let matches = l.matches.iter().map(|(a, b)| quote!((#a, #b)));
            let filters = match &l.filters {
                Some(f) => {
                    let field = &f.field;
                    let names = f.names.iter().map(|(a, b)| quote!((#a, #b)));
                    quote!(#rt::Some(#rt::FilterOp { field: #field, names: &[#(#names),*] }))
                }
                None => quote!(#rt::None),
            };
            let after = opt_pair(rt, l.after.as_ref());
            let before = opt_pair(rt, l.before.as_ref());
            quote! {
                #rt::Some(#rt::ListOp { kind: #kind, items: #items, matches: &[#(#matches),*], filters: #filters, after: #after, before: #before })
            }
        }
        None => quote!(#rt::None),
    };
    quote! {
        #rt::EmulatorOps {
            read: &[#(#read),*],
            create: &[#(#create),*],
            delete: &[#(#delete),*],
            list: #list,
        }
    }
}
