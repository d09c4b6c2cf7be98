//! What tool bodies and verifiers do at run time, shared by awmc's in-process engine and
//! the native crates it generates: operators and built-ins ([`ops`]), the context a body
//! runs in ([`Ctx`]: the session, `me`, `answer`, the work meter), queries (one SQL
//! statement each, decoded by its [`Shape`]), writes, verifier evidence, the static
//! declaration a native crate makes ([`native`]) and its typed tool arguments
//! ([`typed`]). One implementation of the language's meaning, so both backends agree by
//! construction.

mod ctx;
pub mod native;
pub mod ops;
mod query;
pub mod run;
pub mod shape;
pub mod typed;
pub mod verify;
mod write;

pub use awm_stdlib::operators::{BinaryOp, Operands, UnaryOp};
pub use ctx::{Ctx, Env};
pub use query::{Mode, Query};
pub use shape::Shape;
pub use write::{Delete, Update, Upsert};
