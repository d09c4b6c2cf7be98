//! Typed arguments: the crate's `src/args.rs`, one serde struct per tool whose fields are
//! its parameters (`int` → `i64`, `float` → `f64`, `bool`, text, dates and enums →
//! `String`, lists → `Vec`, optional without a default → `Option`), with the runtime's
//! `Arguments` impl that moves validated values into it. Spec names are ASCII identifiers;
//! the few that are not valid Rust names here (keywords, `_`) or that collide after case
//! conversion get a suffix, and serde keeps the spec's name on the wire.

use std::collections::BTreeSet;

use awm_runtime::Value;
use awm_runtime::args::ParamSpec;
use awm_runtime::schema::ColumnKind;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::lit;
use crate::lower::ir::{EnvIr, ToolIr};

/// The Rust names of every tool's struct and fields, decided once for the whole crate.
pub struct Names {
    /// Per tool, in tool order: the struct's name and one field name per parameter.
    pub tools: Vec<(Ident, Vec<Ident>)>,
}

impl Names {
    pub fn new(ir: &EnvIr) -> Names {
        let mut types = BTreeSet::new();
        let tools = ir
            .tools
            .iter()
            .map(|tool| {
                let ty = unique(upper_camel(&tool.spec.name), &mut types, |name, n| {
                    format!("{name}{n}")
                });
                let mut fields = BTreeSet::new();
                let fields = tool
                    .spec
                    .params
                    .iter()
                    .map(|p| {
                        let field = unique(p.name.clone(), &mut fields, |name, n| {
                            format!("{name}{}", "_".repeat(n - 1))
                        });
                        format_ident!("{}", field)
                    })
                    .collect();
                (format_ident!("{}", ty), fields)
            })
            .collect();
        Names { tools }
    }
}

/// `name`, or the first of `next(name, 2)`, `next(…, 3)`, … that is a valid Rust name not
/// taken yet; the result is taken.
fn unique(
    name: String,
    taken: &mut BTreeSet<String>,
    next: impl Fn(&str, usize) -> String,
) -> String {
    let mut candidate = name.clone();
    let mut n = 2;
    while is_reserved(&candidate) || taken.contains(&candidate) {
        candidate = next(&name, n);
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

/// Words that cannot name a field or struct (edition 2024's strict and reserved keywords,
/// and `_`).
fn is_reserved(name: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "_", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
        "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
        "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv",
        "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true",
        "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
    ];
    KEYWORDS.contains(&name)
}

/// `get_product` → `GetProduct`; a name of underscores only → `Tool`, and one whose
/// first letter after underscores is a digit (`_2fa`) starts with `Tool` too.
fn upper_camel(name: &str) -> String {
    let camel: String = name
        .split('_')
        .flat_map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
        })
        .collect();
    if camel.chars().next().is_none_or(|c| c.is_ascii_digit()) {
        format!("Tool{camel}")
    } else {
        camel
    }
}

/// The `src/args.rs` module.
pub fn module(ir: &EnvIr, names: &Names) -> TokenStream {
    let structs = ir
        .tools
        .iter()
        .zip(&names.tools)
        .map(|(tool, (ty, fields))| arguments(tool, ty, fields));
    let doc = lit::str(&format!(
        " The typed arguments of every tool of `{}`, one struct per tool.",
        ir.name
    ));
    quote! {
        #![doc = #doc]
        #(#structs)*
    }
}

/// One tool's struct, its defaults and its `Arguments` impl.
fn arguments(tool: &ToolIr, ty: &Ident, fields: &[Ident]) -> TokenStream {
    let spec = &tool.spec;
    let doc = lit::str(&format!(
        " The arguments of `{}`: {}",
        spec.name, spec.description
    ));
    let tool_name = lit::str(&spec.name);
    let mut defaults = Vec::new();
    let members = spec.params.iter().zip(fields).map(|(param, field)| {
        let rust = rust_type(param);
        let doc = lit::str(&field_doc(param));
        let rename = (field != param.name.as_str()).then(|| {
            let name = lit::str(&param.name);
            quote!(#[serde(rename = #name)])
        });
        let default = match default(param) {
            Some(value) => {
                let function = format_ident!("default_{}", field);
                let path = lit::str(&format!("{ty}::{function}"));
                defaults.push(quote! {
                    fn #function() -> #rust { #value }
                });
                quote!(#[serde(default = #path)])
            }
            None if param.optional => quote!(#[serde(default)]),
            None => quote!(),
        };
        quote! {
            #[doc = #doc]
            #rename
            #default
            pub #field: #rust
        }
    });
    let members: Vec<TokenStream> = members.collect();
    let defaults = (!defaults.is_empty()).then(|| quote!(impl #ty { #(#defaults)* }));
    let (values, body) = if fields.is_empty() {
        (quote!(_values), quote!(::std::result::Result::Ok(Self {})))
    } else {
        let takes = spec.params.iter().zip(fields).map(|(param, field)| {
            let name = lit::str(&param.name);
            quote!(#field: ::awm_runtime::exec::typed::take(&mut values, Self::TOOL, #name)?)
        });
        (
            quote!(values),
            quote! {
                let mut values = values.into_iter();
                ::std::result::Result::Ok(Self { #(#takes),* })
            },
        )
    };
    quote! {
        #[doc = #doc]
        #[derive(
            ::std::fmt::Debug,
            ::std::clone::Clone,
            ::std::cmp::PartialEq,
            ::awm_runtime::serde::Serialize,
            ::awm_runtime::serde::Deserialize,
        )]
        #[serde(crate = "::awm_runtime::serde", deny_unknown_fields)]
        pub struct #ty { #(#members),* }

        #defaults

        impl ::awm_runtime::exec::typed::Arguments for #ty {
            const TOOL: &'static str = #tool_name;

            fn from_values(
                #values: ::std::vec::Vec<::awm_runtime::Value>,
            ) -> ::std::result::Result<Self, ::awm_runtime::ToolError> {
                #body
            }
        }
    }
}

/// A parameter's Rust type: what its validated value always is.
fn rust_type(param: &ParamSpec) -> TokenStream {
    let one = match param.kind {
        ColumnKind::Int => quote!(::std::primitive::i64),
        ColumnKind::Real => quote!(::std::primitive::f64),
        ColumnKind::Bool => quote!(::std::primitive::bool),
        ColumnKind::Text | ColumnKind::DateTime | ColumnKind::Date | ColumnKind::Enum(_) => {
            quote!(::std::string::String)
        }
    };
    let ty = if param.list {
        quote!(::std::vec::Vec<#one>)
    } else {
        one
    };
    if param.optional && default(param).is_none() {
        quote!(::std::option::Option<#ty>)
    } else {
        ty
    }
}

/// The default as a Rust expression of the field's type; `None` without one (a null
/// default is none).
fn default(param: &ParamSpec) -> Option<TokenStream> {
    match param.default.as_ref()? {
        Value::Null => None,
        Value::List(items) => {
            let items: Option<Vec<TokenStream>> = items.iter().map(scalar).collect();
            let items = items?;
            Some(quote!(::std::vec::Vec::from([#(#items),*])))
        }
        value => scalar(value),
    }
}

/// A scalar constant as a Rust value of its field type.
fn scalar(value: &Value) -> Option<TokenStream> {
    let value = match value {
        Value::Null | Value::List(_) | Value::Record(_) => return None,
        Value::Int(i) => {
            let i = Literal::i64_suffixed(*i);
            quote!(#i)
        }
        Value::Real(r) => lit::f64(*r),
        Value::Bool(b) => quote!(#b),
        Value::Text(t) => {
            let t = lit::str(t);
            quote!(::std::string::String::from(#t))
        }
    };
    Some(value)
}

/// A field's documentation: the parameter's description, and what its text must be.
fn field_doc(param: &ParamSpec) -> String {
    let mut doc = format!(" `{}`", param.name);
    if let Some(description) = &param.description {
        doc.push_str(": ");
        doc.push_str(description);
    }
    let format = match &param.kind {
        ColumnKind::DateTime => Some("a date and time like `2026-03-14T09:30:00Z`".to_string()),
        ColumnKind::Date => Some("a date like `2026-03-14`".to_string()),
        ColumnKind::Enum(members) => Some(format!(
            "one of {}",
            members
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        _ => None,
    };
    if let Some(format) = format {
        doc.push_str(if param.list { " (each " } else { " (" });
        doc.push_str(&format);
        doc.push(')');
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_avoid_keywords_and_collisions() {
        let mut taken = BTreeSet::new();
        let field = |name: &str, taken: &mut BTreeSet<String>| {
            unique(name.to_string(), taken, |n, k| {
                format!("{n}{}", "_".repeat(k - 1))
            })
        };
        assert_eq!(field("loop", &mut taken), "loop_");
        assert_eq!(field("loop_", &mut taken), "loop__");
        assert_eq!(field("self", &mut taken), "self_");
        assert_eq!(field("_", &mut taken), "__");
        assert_eq!(field("id", &mut taken), "id");
        let mut types = BTreeSet::new();
        let ty = |name: &str, types: &mut BTreeSet<String>| {
            unique(upper_camel(name), types, |n, k| format!("{n}{k}"))
        };
        assert_eq!(ty("get_product", &mut types), "GetProduct");
        assert_eq!(ty("getProduct", &mut types), "GetProduct2");
        assert_eq!(ty("self", &mut types), "Self2");
        assert_eq!(ty("___", &mut types), "Tool");
        assert_eq!(ty("_2fa", &mut types), "Tool2fa");
    }
}
