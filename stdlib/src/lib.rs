//! The awm standard library: the language's built-in scalar types and functions, defined
//! once. The checker reads their signatures from here; the backends read how each one
//! lowers to SQL and to Rust.

pub mod functions;
pub mod operators;
pub mod time;
pub mod types;

pub use functions::{Function, FunctionKind, TypePattern};
pub use types::{Scalar, ScalarType};
