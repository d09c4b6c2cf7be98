//! Bounds on every call, so no agent input can make a call run away.

use std::time::Duration;

/// The limits a session enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most rows one query may return to a tool (more is a tool error).
    pub max_rows: usize,
    /// The longest a call may run inside SQLite.
    pub call_time: Duration,
    /// The largest JSON argument object, in bytes.
    pub max_argument_bytes: usize,
    /// The longest text value SQLite will store.
    pub max_text_bytes: usize,
    /// How deeply argument JSON may nest.
    pub max_argument_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_rows: 10_000,
            call_time: Duration::from_millis(200),
            max_argument_bytes: 64 * 1024,
            max_text_bytes: 1024 * 1024,
            max_argument_depth: 16,
        }
    }
}
