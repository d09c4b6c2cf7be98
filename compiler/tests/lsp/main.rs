//! `awmc lsp` driven as a process over stdio with JSON-RPC, as an editor drives it:
//! diagnostics identical to `awmc check`, hover, completion, outline, quick fixes, and
//! garbage that never crashes the server.

mod client;
mod features;
mod neovim;
mod robustness;
