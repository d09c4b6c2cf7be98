//! `awmc lsp`: a language server over stdio (lsp-server, the synchronous crate
//! rust-analyzer uses). Diagnostics come from the same `driver::analyze` and the same
//! diagnostic values as `awmc check`, so an editor never disagrees with the CLI.

mod actions;
mod completion;
mod describe;
pub mod diagnostics;
pub mod document;
mod hover;
mod navigation;
mod outline;
mod requests;
mod server;

pub use server::{run, serve};
