//! Tool bodies and verifiers to Rust functions: statements become Rust control flow,
//! bindings become local variables (`s0`, `s1`, … by slot); a tool takes its typed
//! arguments (`args`), a verifier has the runtime's `VerifyFn` signature.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::expr::{borrowed, closure, expr, message, slot};
use super::lit;
use crate::lower::ir::{Except, Expect, Expectation, Stmt, TaskIr, ToolIr};

/// The Rust name of a tool's function (spec names are ASCII identifiers; the prefix keeps
/// them clear of Rust keywords).
pub fn tool_name(tool: &ToolIr) -> proc_macro2::Ident {
    format_ident!("tool_{}", tool.spec.name)
}

pub fn verify_name(task: &TaskIr) -> proc_macro2::Ident {
    format_ident!("verify_{}", task.name)
}

/// `fn tool_x(ctx, args: crate::args::X) -> Result<Value, ToolError>`: the fields of the
/// typed arguments (`ty`, with `fields` in parameter order) become the first slots.
pub fn tool(tool: &ToolIr, ty: &Ident, fields: &[Ident]) -> TokenStream {
    let name = tool_name(tool);
    let doc = lit::str(&format!(" `{}`", tool.spec.name));
    let params: Vec<_> = (0..tool.spec.params.len()).map(slot).collect();
    let checks = tool.checks.iter().map(|(check, text)| {
        let (check, text) = (expr(check), lit::str(text));
        quote!(if #check == ::awm_runtime::Value::Bool(false) {
            return ::std::result::Result::Err(::awm_runtime::ToolError::arguments(#text));
        })
    });
    let checks = quote!(#(#checks)*);
    let body = block(&tool.body, true);
    let arguments = if params.is_empty() {
        quote!(_args)
    } else {
        quote!(args)
    };
    quote! {
        #[doc = #doc]
        fn #name(
            ctx: &mut ::awm_runtime::exec::Ctx<'_>,
            #arguments: crate::args::#ty,
        ) -> ::std::result::Result<::awm_runtime::Value, ::awm_runtime::ToolError> {
            #(let #params = ::awm_runtime::exec::typed::IntoValue::into_value(args.#fields);)*
            #checks
            #body
        }
    }
}

/// Statements; at the top of a body, a final `Ok(Value::Null)` unless it returns.
fn block(stmts: &[Stmt], top: bool) -> TokenStream {
    let mut out = Vec::new();
    let mut returned = false;
    for (index, stmt) in stmts.iter().enumerate() {
        let last = index + 1 == stmts.len();
        // Every statement is a step of the work meter, as in the engine.
        out.push(quote!(ctx.tick()?;));
        match stmt {
            Stmt::Return(value) => {
                let value = value
                    .as_ref()
                    .map_or_else(|| quote!(::awm_runtime::Value::Null), expr);
                let value = super::expr::result(value);
                out.push(if top && last {
                    value
                } else {
                    quote!(return #value;)
                });
                returned = true;
                // Nothing after a `return` runs.
                break;
            }
            other => out.push(statement(other)),
        }
    }
    if top && !returned {
        out.push(quote!(::std::result::Result::Ok(
            ::awm_runtime::Value::Null
        )));
    }
    quote!(#(#out)*)
}

fn statement(stmt: &Stmt) -> TokenStream {
    match stmt {
        Stmt::Let { slot: n, value } => {
            let (name, value) = (slot(*n), expr(value));
            quote!(let #name = #value;)
        }
        Stmt::Require {
            condition,
            message: text,
        } => {
            let (condition, text) = (borrowed(condition), message(text));
            quote!(if !::awm_runtime::exec::ops::holds(#condition) {
                return ::std::result::Result::Err(::awm_runtime::ToolError::rejected(#text));
            })
        }
        Stmt::For {
            slot: n,
            list,
            body,
        } => {
            let (name, list, body) = (slot(*n), expr(list), block(body, false));
            quote!({
                let list = #list;
                for #name in ctx.iterate(list) {
                    ctx.tick()?;
                    #body
                }
            })
        }
        Stmt::If {
            condition,
            then_body,
            else_body,
        } => {
            let condition = borrowed(condition);
            let (then_body, else_body) = (block(then_body, false), block(else_body, false));
            if else_body.is_empty() {
                quote!(if ::awm_runtime::exec::ops::holds(#condition) {
                    #then_body
                })
            } else {
                quote!(if ::awm_runtime::exec::ops::holds(#condition) {
                    #then_body
                } else {
                    #else_body
                })
            }
        }
        Stmt::Eval(value) => {
            let value = expr(value);
            quote!(let _ = #value;)
        }
        // `return` is handled by `block`; expectations only occur in verifiers.
        Stmt::Return(_) | Stmt::Expect(_) => quote!(),
    }
}

/// `fn verify_x(ctx, evidence)`: one piece of evidence per `expect`; a failing `let` ends
/// the verifier with a failure.
pub fn verifier(task: &TaskIr) -> TokenStream {
    let name = verify_name(task);
    let doc = lit::str(&format!(" The verifier of task `{}`.", task.name));
    let stmts = task.verify.iter().map(|stmt| match stmt {
        Stmt::Let { slot: n, value } => {
            let (name, value) = (slot(*n), closure(expr(value)));
            quote!(let outcome = ctx.attempt(#value);
            let #name = match outcome {
                ::std::result::Result::Ok(value) => value,
                ::std::result::Result::Err(error) => {
                    evidence.push(::awm_runtime::exec::verify::let_failed(error));
                    return;
                }
            };)
        }
        Stmt::Expect(expectation) => expect(expectation),
        _ => quote!(),
    });
    quote! {
        #[doc = #doc]
        fn #name(
            ctx: &mut ::awm_runtime::exec::Ctx<'_>,
            evidence: &mut ::std::vec::Vec<::awm_runtime::Evidence>,
        ) {
            #(#stmts)*
        }
    }
}

fn expect(expectation: &Expectation) -> TokenStream {
    let text = lit::str(&expectation.text);
    match &expectation.condition {
        Expect::Holds { condition, sides } => {
            let sides = sides.iter().map(|(side_text, side)| {
                let (side_text, side) = (lit::str(side_text), closure(expr(side)));
                quote!(::awm_runtime::exec::verify::observed(#side_text, ctx.attempt(#side)))
            });
            let condition = closure(expr(condition));
            quote!({
                let observed: ::std::vec::Vec<(::std::string::String, ::awm_runtime::Value)> =
                    ::std::vec::Vec::from([#(#sides),*]);
                let outcome = ctx.attempt(#condition);
                evidence.push(::awm_runtime::exec::verify::holds(#text, observed, outcome));
            })
        }
        Expect::Unchanged { except } => {
            let tables = except.iter().filter_map(|e| match e {
                Except::Table(table) => Some(lit::usize(table.0)),
                Except::Rows { .. } => None,
            });
            let rows: Vec<TokenStream> = except
                .iter()
                .filter_map(|e| match e {
                    Except::Rows { table, queries } => {
                        let table = lit::usize(table.0);
                        let queries = super::expr::values(queries);
                        // Rows of a table the session never wrote cannot have changed.
                        Some(quote!(if ctx.is_touched(#table) {
                            let found = #queries;
                            rows.push(ctx.excused_keys(#table, &found)?);
                        }))
                    }
                    Except::Table(_) => None,
                })
                .collect();
            let declare = if rows.is_empty() {
                quote!(let rows = ::std::vec::Vec::new();)
            } else {
                quote!(let mut rows = ::std::vec::Vec::new();)
            };
            quote!({
                let changes = ctx.attempt(|ctx| {
                    #declare
                    #(#rows)*
                    ctx.changes(&[#(#tables),*], &rows)
                });
                evidence.push(::awm_runtime::exec::verify::unchanged(#text, changes));
            })
        }
    }
}
