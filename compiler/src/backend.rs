//! Backends: lowered environments to native Rust crates.

pub mod rust;
