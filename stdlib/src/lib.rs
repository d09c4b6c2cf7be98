//! The awm standard library: the language's built-in scalar types and functions, defined
//! once. The checker reads their signatures from here, and [`eval`] is what each one
//! computes, in Rust and (registered as SQL functions) inside SQLite alike.

pub mod eval;
pub mod functions;
pub mod operators;
pub mod time;
pub mod types;

pub use functions::{Function, FunctionKind, TypePattern};
pub use types::{Scalar, ScalarType};
