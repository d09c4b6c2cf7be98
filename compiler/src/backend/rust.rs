//! The Rust backend: a lowered environment to the `lib.rs` of a native environment crate.
//! The crate is data (the environment's declaration) plus one function per tool and per
//! verifier; control flow is Rust, SQL is constant text, and everything generic is a call
//! into `awm_runtime::exec`. No name or text of a spec becomes Rust syntax except through
//! `proc_macro2::Literal` (strings) or a prefixed ASCII identifier (`tool_x`).

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
         // unreachable, a parameter may go unused, and nested `if`s stay as written.\n\
         #[allow(unreachable_code, unused_variables)]\n\
         #[allow(clippy::collapsible_if, clippy::collapsible_else_if)]\n\
         mod env;\n\n\
         pub use env::{{DECLARATION, environment}};\n",
        name = ir.name
    );
    vec![("src/lib.rs", library), ("src/env.rs", module(ir))]
}

/// The environment module: its declaration, tools and verifiers, formatted.
fn module(ir: &EnvIr) -> String {
    let declaration = decl::declaration(ir);
    let tools = ir.tools.iter().map(body::tool);
    let verifiers = ir.tasks.iter().map(body::verifier);
    let file = quote! {
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
    match syn::parse2::<syn::File>(file.clone()) {
        Ok(parsed) => prettyplease::unparse(&parsed),
        // Not reachable for well-formed IR; the unformatted tokens still compile.
        Err(_) => file.to_string(),
    }
}
