//! Bounds on every call and every session, so no agent input can make a call run away or
//! a session grow without end. Every bound that decides an outcome counts work, never
//! time: the same call on the same state has the same outcome on an idle machine and on a
//! loaded one.

use std::time::Duration;

/// The default work budget of one call, in steps (see [`Limits::call_budget`]).
pub const DEFAULT_CALL_BUDGET: u64 = 20_000_000;

/// The limits a session enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The work one tool call or one verifier run may do, in steps: SQLite
    /// virtual-machine instructions (counted exactly per statement), plus one step per
    /// statement the body runs, per loop iteration and per value a query returns. A call
    /// that needs more fails with a `limit` error and changes nothing. The same call on the
    /// same state always takes the same number of steps.
    pub call_budget: u64,
    /// The most rows one query may give back: what a tool returns or a verifier
    /// materialises. Rows a query only looks at inside SQLite (to filter, join, count,
    /// sort or nest) do not count.
    pub max_rows: usize,
    /// The most bytes of text and nested lists one query may give back, all rows together.
    pub max_result_bytes: usize,
    /// The largest a session's database may grow, in bytes (SQLite pages). A write that
    /// would pass it fails with a `limit` error and changes nothing.
    pub max_session_bytes: u64,
    /// The largest JSON argument object, in bytes.
    pub max_argument_bytes: usize,
    /// The longest value SQLite will hold: a text, a row, or a nested list in a result.
    pub max_value_bytes: usize,
    /// How deeply argument JSON may nest.
    pub max_argument_depth: usize,
    /// A safety net for runaway calls, in wall-clock time, far above what any budget
    /// allows; `None` turns it off. It never decides an outcome the budget would have
    /// decided, it is reported with its own error, and `awmc check` runs without it.
    pub wall_clock_net: Option<Duration>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            call_budget: DEFAULT_CALL_BUDGET,
            max_rows: 10_000,
            max_result_bytes: 32 << 20,
            max_session_bytes: 256 << 20,
            max_argument_bytes: 64 * 1024,
            max_value_bytes: 4 << 20,
            max_argument_depth: 16,
            wall_clock_net: Some(Duration::from_secs(30)),
        }
    }
}

impl Limits {
    /// The limits as JSON, for trainers to read (`GET /envs`, session info).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "call_budget": self.call_budget,
            "max_rows": self.max_rows,
            "max_result_bytes": self.max_result_bytes,
            "max_session_bytes": self.max_session_bytes,
            "max_argument_bytes": self.max_argument_bytes,
            "max_value_bytes": self.max_value_bytes,
            "wall_clock_net_ms": self
                .wall_clock_net
                .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
        })
    }
}

/// The limits as command-line flags, shared by `awmc check`, `run`, `call`, `serve` and
/// every native binary, so one environment runs under the same bounds everywhere.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct LimitOptions {
    /// The work budget of one call or verifier run, in steps (SQLite instructions plus
    /// the body's own steps); a call that needs more fails and changes nothing.
    #[arg(long, default_value_t = DEFAULT_CALL_BUDGET, value_name = "STEPS")]
    pub call_budget: u64,
    /// The most rows one query may give back.
    #[arg(long, default_value_t = 10_000, value_name = "ROWS")]
    pub max_rows: usize,
    /// The largest a session's database may grow, in bytes.
    #[arg(long, default_value_t = 256 << 20, value_name = "BYTES")]
    pub max_session_bytes: u64,
}

impl LimitOptions {
    /// The limits these flags set, the others at their defaults.
    pub fn limits(&self) -> Limits {
        Limits {
            call_budget: self.call_budget.max(1),
            max_rows: self.max_rows.max(1),
            max_session_bytes: self.max_session_bytes,
            ..Limits::default()
        }
    }
}
