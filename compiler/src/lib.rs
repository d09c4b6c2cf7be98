//! awmc: the compiler for awm environment specs.
//!
//! The pipeline runs one way: [`syntax`] (text to AST) → [`check`] (names, types,
//! constraints, tasks) → backends. [`driver`] ties the stages together for the CLI and
//! the language server; [`diagnostic`] is the data every stage reports with.

pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod docs;
pub mod driver;
pub mod span;
pub mod syntax;
