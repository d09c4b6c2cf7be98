//! The shared runtime every awm environment links, whether it is interpreted by awmc's
//! in-process engine or compiled to a native crate. It knows nothing about any one
//! environment: an environment describes itself with a [`schema::EnvSchema`] and tool
//! specs, and the runtime gives it sessions, transactions, argument validation, limits,
//! verdicts and exports.

pub mod args;
pub mod environment;
pub mod error;
pub mod exec;
pub mod export;
pub mod functions;
pub mod hash;
pub mod image;
pub mod limits;
pub mod meter;
pub mod schema;
pub mod serve;
pub mod session;
pub mod suggest;
pub mod value;
pub mod verdict;

// Generated crates depend on the runtime alone: the crates its interface names are
// re-exported for them.
pub use rusqlite;
pub use serde;
pub use serde_json;

pub use environment::{Environment, TaskSpec};
pub use error::ToolError;
pub use image::SeedImage;
pub use limits::Limits;
pub use schema::{ColumnKind, ColumnSchema, EnvSchema, TableSchema};
pub use session::Session;
pub use value::Value;
pub use verdict::{Evidence, Verdict};
