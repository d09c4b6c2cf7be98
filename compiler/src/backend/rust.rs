//! The Rust backend: a lowered environment to the sources of a native environment crate.
//! The crate is data (the environment's declaration), one typed argument struct per tool,
//! and one function per tool and per verifier; control flow is Rust, SQL is constant text,
//! and everything generic is a call into `awm_runtime::exec`. No name or text of a spec
//! becomes Rust syntax except through `proc_macro2::Literal` (strings), a prefixed ASCII
//! identifier (`tool_x`), or a struct or field name checked against Rust's keywords.

mod args;
mod body;
mod decl;
mod expr;
mod lit;

use quote::quote;

use crate::lower::ir::EnvIr;

/// The crate's Rust sources (without the header [`super::generate`] puts first):
/// `src/lib.rs`, a few lines, and `src/env.rs`, the environment formatted by prettyplease
/// (rustfmt skips both, so `cargo fmt` never disagrees with what awmc emits).
pub fn sources(ir: &EnvIr) -> Vec<(&'static str, String)> {
    let library = format!(
        "//! The `{name}` environment, compiled from its spec by awmc.\n\n\
         // Bodies mirror the spec: a `return` in every branch leaves the final `Ok`\n\
         // unreachable, a parameter may go unused, nested `if`s stay as written, and\n\
         // functions are named after the spec's tools and tasks, whatever their case.\n\
         #[allow(unreachable_code, unused_variables, non_snake_case)]\n\
         #[allow(clippy::collapsible_if, clippy::collapsible_else_if)]\n\
         mod env;\n\n\
         /// The typed arguments of every tool, one struct each (serde, with the spec's\n\
         /// parameter names); call a tool with them through `awm_runtime::exec::typed::call`.\n\
         #[allow(non_snake_case)]\n\
         pub mod args;\n\n\
         pub use env::{{DECLARATION, environment}};\n",
        name = ir.name
    );
    let names = args::Names::new(ir);
    vec![
        ("src/lib.rs", library),
        ("src/args.rs", format(args::module(ir, &names))),
        ("src/env.rs", module(ir, &names)),
    ]
}

/// The environment module: its declaration, tools and verifiers, formatted.
fn module(ir: &EnvIr, names: &args::Names) -> String {
    let declaration = decl::declaration(ir);
    let tools = ir
        .tools
        .iter()
        .zip(&names.tools)
        .map(|(tool, (ty, fields))| body::tool(tool, ty, fields));
    let verifiers = ir.tasks.iter().map(body::verifier);
    let doc = lit::str(&format!(
        " The `{}` environment: its declaration, and one function per tool and verifier.",
        ir.name
    ));
    let file = quote! {
        #![doc = #doc]

        /// The environment, ready to serve; fails only if SQLite rejects the seed rows.
        pub fn environment() -> ::std::result::Result<
            ::std::sync::Arc<dyn ::awm_runtime::Environment>,
            ::awm_runtime::ToolError,
        > {
            let native = ::awm_runtime::exec::native::Native::new(&DECLARATION)?;
            ::std::result::Result::Ok(::std::sync::Arc::new(native))
        }

        #declaration
        #(#tools)*
        #(#verifiers)*
    };
    format(file)
}

/// A module's tokens formatted by prettyplease.
fn format(file: proc_macro2::TokenStream) -> String {
    match syn::parse2::<syn::File>(file.clone()) {
        Ok(parsed) => prettyplease::unparse(&parsed),
        // Not reachable for well-formed IR; the unformatted tokens still compile.
        Err(_) => file.to_string(),
    }
}
