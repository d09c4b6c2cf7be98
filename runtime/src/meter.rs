//! The work meter of a session: how many steps the running call has used, and the
//! progress handler that stops a SQLite statement when its share of the budget is spent.
//!
//! Steps are SQLite virtual-machine instructions, read exactly from each statement after
//! it ran (and reset, so the next run of a cached statement counts from zero), plus the
//! steps the Rust side of a body charges. The progress handler is called every
//! [`PROGRESS_STEPS`] instructions of a statement; whether it stops the statement depends
//! only on how many instructions the statement has run, so the same call on the same state
//! is stopped at the same place whatever else the machine does.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::time::Instant;

/// Instructions between two progress-handler calls.
pub const PROGRESS_STEPS: u64 = 256;

/// Why the progress handler stopped a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    None = 0,
    Budget = 1,
    WallClock = 2,
}

/// What the progress handler shares with the session.
#[derive(Debug, Default)]
pub struct Meter {
    /// Progress-handler calls during the running statement.
    callbacks: AtomicU64,
    /// The instructions the running statement may still take.
    allowance: AtomicU64,
    /// While a write statement runs it is never stopped: writes are bounded by
    /// construction, and stopping one would make SQLite roll back the whole session.
    writing: AtomicBool,
    /// Whether a metered statement is running (the runtime's own statements, such as
    /// savepoints, dumps and exports, are not metered).
    active: AtomicBool,
    /// Microseconds since [`epoch`] after which the wall-clock net stops a statement; 0
    /// when it is off.
    deadline: AtomicU64,
    stopped: AtomicU8,
}

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn now_micros() -> u64 {
    u64::try_from(epoch().elapsed().as_micros()).unwrap_or(u64::MAX)
}

impl Meter {
    /// The progress handler: `true` stops the statement.
    pub fn progress(&self) -> bool {
        if !self.active.load(Ordering::Relaxed) {
            return false;
        }
        let calls = self.callbacks.fetch_add(1, Ordering::Relaxed) + 1;
        if self.writing.load(Ordering::Relaxed) {
            return false;
        }
        if calls.saturating_mul(PROGRESS_STEPS) > self.allowance.load(Ordering::Relaxed) {
            self.stopped.store(Stop::Budget as u8, Ordering::Relaxed);
            return true;
        }
        // The clock is read rarely: it is a net for runaways, not a measure.
        if calls.is_multiple_of(64) {
            let deadline = self.deadline.load(Ordering::Relaxed);
            if deadline != 0 && now_micros() > deadline {
                self.stopped.store(Stop::WallClock as u8, Ordering::Relaxed);
                return true;
            }
        }
        false
    }

    /// Prepares for a statement that may take `allowance` more instructions.
    pub fn start_statement(&self, allowance: u64, writing: bool) {
        self.callbacks.store(0, Ordering::Relaxed);
        self.allowance.store(allowance, Ordering::Relaxed);
        self.writing.store(writing, Ordering::Relaxed);
        self.stopped.store(Stop::None as u8, Ordering::Relaxed);
        self.active.store(true, Ordering::Relaxed);
    }

    pub fn end_statement(&self) {
        self.active.store(false, Ordering::Relaxed);
        self.writing.store(false, Ordering::Relaxed);
    }

    /// Why the last statement was stopped.
    pub fn stopped(&self) -> Stop {
        match self.stopped.load(Ordering::Relaxed) {
            1 => Stop::Budget,
            2 => Stop::WallClock,
            _ => Stop::None,
        }
    }

    /// Arms the wall-clock net for a call (`None`: off).
    pub fn arm(&self, net: Option<std::time::Duration>) {
        let deadline = net.map_or(0, |net| {
            now_micros().saturating_add(u64::try_from(net.as_micros()).unwrap_or(u64::MAX))
        });
        self.deadline.store(deadline, Ordering::Relaxed);
    }

    pub fn disarm(&self) {
        self.deadline.store(0, Ordering::Relaxed);
    }
}
