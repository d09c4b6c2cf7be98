//! The run-time meaning of every built-in function and operator, implemented once.
//!
//! Each built-in is a [`Builtin`] applied to [`Datum`]s, the scalar values SQLite and the
//! runtime share. The runtime evaluates tool bodies with these functions, and registers the
//! very same functions in SQLite as application-defined functions (`awm_add`,
//! `awm_round`, …), so a query evaluated inside SQLite and an expression evaluated in Rust
//! cannot disagree: there is only one implementation to disagree with.
//!
//! Rules that hold for every built-in: a missing (null) argument gives a missing result
//! (except where a function says otherwise: `text` shows `null`); integer arithmetic never
//! wraps or silently turns into a real (overflow is the fault "a number is out of range");
//! a real result is always finite; division by zero is a fault.

mod aggregate;
mod builtin;
mod calendar;
mod datum;
mod mentions;
mod number;
mod order;
mod text;

pub use aggregate::{Avg, Sum};
pub use builtin::Builtin;
pub use datum::{Datum, Fault};
pub use mentions::mentions;
pub use number::{format_real, round};
pub use order::compare;
