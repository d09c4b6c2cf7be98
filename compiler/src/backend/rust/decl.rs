//! The environment's static declaration (`exec::native::Declaration`): tables, the seed
//! image (`src/seed.db`, which the compiler builds), tool descriptions with their
//! functions, and tasks with their verifiers.

use proc_macro2::TokenStream;
use quote::quote;

use super::body::{tool_name, verify_name};
use super::lit;
use crate::lower::ir::EnvIr;

pub fn declaration(ir: &EnvIr) -> TokenStream {
    let name = lit::str(&ir.name);
    let title = lit::option(ir.title.as_deref(), |t| {
        let t = lit::str(t);
        quote!(#t)
    });
    let description = lit::option(ir.description.as_deref(), |d| {
        let d = lit::str(d);
        quote!(#d)
    });
    let (spec_hash, clock) = (lit::str(&ir.spec_hash), lit::str(&ir.clock));
    let user = lit::option(ir.user.as_ref(), |(table, key)| {
        let (table, key) = (lit::usize(table.0), lit::constant(key));
        quote!((#table, #key))
    });
    let tables = ir.schema.tables.iter().map(|table| {
        let name = lit::str(&table.name);
        let columns = table.columns.iter().map(|column| {
            let (name, kind) = (lit::str(&column.name), lit::kind(&column.kind));
            let optional = column.optional;
            quote!(::awm_runtime::exec::native::Column { name: #name, kind: #kind, optional: #optional })
        });
        let primary_key = lit::usize(table.primary_key);
        let ddl = table.ddl.iter().map(|s| lit::str(s));
        let export_ddl = table.export_ddl.iter().map(|s| lit::str(s));
        quote!(::awm_runtime::exec::native::Table {
            name: #name,
            columns: &[#(#columns),*],
            primary_key: #primary_key,
            ddl: &[#(#ddl),*],
            export_ddl: &[#(#export_ddl),*],
        })
    });
    let tools = ir.tools.iter().map(|tool| {
        let spec = &tool.spec;
        let (name, description) = (lit::str(&spec.name), lit::str(&spec.description));
        let params = spec.params.iter().map(|p| {
            let name = lit::str(&p.name);
            let description = lit::option(p.description.as_deref(), |d| {
                let d = lit::str(d);
                quote!(#d)
            });
            let kind = lit::kind(&p.kind);
            let (list, optional) = (p.list, p.optional);
            let default = lit::option(p.default.as_ref(), lit::constant);
            let minimum = lit::option(p.minimum, lit::f64);
            let maximum = lit::option(p.maximum, lit::f64);
            quote!(::awm_runtime::exec::native::Param {
                name: #name,
                description: #description,
                kind: #kind,
                list: #list,
                optional: #optional,
                default: #default,
                minimum: #minimum,
                maximum: #maximum,
            })
        });
        let effects = spec.effects;
        let (writes, deletes, idempotent) = (effects.writes, effects.deletes, effects.idempotent);
        let output_schema = lit::option(spec.output_schema.as_ref(), |schema| {
            let text = lit::str(&schema.to_string());
            quote!(#text)
        });
        // The runtime's `ToolFn` takes validated values; the struct is built from them.
        let function = tool_name(tool);
        let run = quote!(|ctx, values| {
            #function(ctx, ::awm_runtime::exec::typed::Arguments::from_values(values)?)
        });
        quote!(::awm_runtime::exec::native::Tool {
            name: #name,
            description: #description,
            params: &[#(#params),*],
            writes: #writes,
            deletes: #deletes,
            idempotent: #idempotent,
            output_schema: #output_schema,
            run: #run,
        })
    });
    let tasks = ir.tasks.iter().map(|task| {
        let (name, prompt) = (lit::str(&task.name), lit::str(&task.prompt));
        let verify = verify_name(task);
        quote!(::awm_runtime::exec::native::Task { name: #name, prompt: #prompt, verify: #verify })
    });
    quote! {
        /// Everything this environment declares; the runtime builds the environment from it.
        pub static DECLARATION: ::awm_runtime::exec::native::Declaration =
            ::awm_runtime::exec::native::Declaration {
                name: #name,
                title: #title,
                description: #description,
                spec_hash: #spec_hash,
                clock: #clock,
                user: #user,
                tables: &[#(#tables),*],
                seed: ::std::include_bytes!("seed.db"),
                tools: &[#(#tools),*],
                tasks: &[#(#tasks),*],
            };
    }
}
