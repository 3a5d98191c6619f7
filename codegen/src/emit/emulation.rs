//! The emulator's declarations as generated data: `SERVICE.resources` and `ENTRY.emulator`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::ir::{EmulatorOps, IdStyle, OpCondition, Resource, RuleValue};

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

fn literal(rt: &TokenStream, v: &RuleValue) -> TokenStream {
    match v {
        RuleValue::Str(s) => quote!(#rt::Literal::Str(#s)),
        RuleValue::Int(i) => {
            let i = Literal::i64_unsuffixed(*i);
            quote!(#rt::Literal::Int(#i))
        }
        RuleValue::Bool(b) => quote!(#rt::Literal::Bool(#b)),
    }
}

fn when(rt: &TokenStream, c: Option<&OpCondition>) -> TokenStream {
    match c {
        Some(OpCondition::Equals(f, v)) => {
            let v = literal(rt, v);
            quote!(#rt::Some(#rt::When::Equals(#f, #v)))
        }
        Some(OpCondition::NotEquals(f, v)) => {
            let v = literal(rt, v);
            quote!(#rt::Some(#rt::When::NotEquals(#f, #v)))
        }
        Some(OpCondition::Present(f, p)) => quote!(#rt::Some(#rt::When::Present(#f, #p))),
        None => quote!(#rt::None),
    }
}

fn pairs(v: &[(String, String)]) -> TokenStream {
    let items = v.iter().map(|(a, b)| quote!((#a, #b)));
    quote!(&[#(#items),*])
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
        let (kind, id, into, set) = (&r.kind, &r.id, &r.into, r.set);
        let nf = opt_str(rt, r.not_found.as_deref());
        let require = r.require.iter().map(|v| state(rt, v));
        let conflict = opt_str(rt, r.conflict.as_deref());
        let st = opt_state(rt, r.state.as_ref());
        let w = when(rt, r.when.as_ref());
        quote! {
            #rt::ReadOp { kind: #kind, id: #id, not_found: #nf, require: &[#(#require),*], conflict: #conflict, into: #into, state: #st, set: #set, when: #w }
        }
    });
    let create = ops.create.iter().map(|c| {
        let (kind, attribute) = (&c.kind, &c.attribute);
        let id = opt_str(rt, c.id.as_deref());
        let attributes = c.attributes.iter().map(|(n, v)| {
            let v = literal(rt, v);
            quote!((#n, #v))
        });
        let each = opt_str(rt, c.each.as_deref());
        let as_attr = opt_str(rt, c.as_attr.as_deref());
        let group = opt_str(rt, c.group.as_deref());
        let items = opt_str(rt, c.items.as_deref());
        let w = when(rt, c.when.as_ref());
        quote! {
            #rt::CreateOp { kind: #kind, id: #id, attribute: #attribute, attributes: &[#(#attributes),*], when: #w, each: #each, as_attr: #as_attr, group: #group, items: #items }
        }
    });
    let delete = ops.delete.iter().map(|d| {
        let kind = &d.kind;
        let id = opt_str(rt, d.id.as_deref());
        let attribute = opt_str(rt, d.attribute.as_deref());
        let nf = opt_str(rt, d.not_found.as_deref());
        let matches = pairs(&d.matches);
        let after = opt_pair(rt, d.after.as_ref());
        let before = opt_pair(rt, d.before.as_ref());
        let w = when(rt, d.when.as_ref());
        quote! {
            #rt::DeleteOp { kind: #kind, id: #id, attribute: #attribute, not_found: #nf, matches: #matches, after: #after, before: #before, when: #w }
        }
    });
    let list = match &ops.list {
        Some(l) => {
            let (kind, items) = (&l.kind, &l.items);
            let matches = pairs(&l.matches);
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
                #rt::Some(#rt::ListOp { kind: #kind, items: #items, matches: #matches, filters: #filters, after: #after, before: #before })
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
