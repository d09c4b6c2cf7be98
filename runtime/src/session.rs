//! Sessions: one isolated in-memory SQLite database per agent episode, started from the
//! seed image, with the seed state attached read-only as `initial`. The whole session
//! lives inside a `SAVEPOINT seed`, so resetting it is a `ROLLBACK TO seed` (microseconds,
//! whatever was changed); every tool call runs in a nested savepoint that is released on
//! success and rolled back on any error.
//!
//! Every statement runs through [`Session::statement`], which meters its work against the
//! call's budget (see [`crate::meter`]) and, for writes, checks the session's size. Writes
//! are never stopped part-way: SQLite answers a stopped write by rolling back the whole
//! transaction, which would lose every earlier call. Should SQLite roll back more than a
//! call anyway (it may, on some errors), the session notices and can be restored exactly
//! by replaying its recorded calls ([`crate::exec::run::call_tool`]).

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rusqlite::limits::Limit;
use rusqlite::{Connection, MAIN_DB, Params, Row, StatementStatus};

use crate::error::{ErrorKind, ToolError};
use crate::image::SeedImage;
use crate::limits::Limits;
use crate::meter::{Meter, PROGRESS_STEPS, Stop};
use crate::schema::EnvSchema;
use crate::value::Value;

/// SQLite's page size for session databases (the image's; SQLite's default).
const PAGE_BYTES: u64 = 4096;

/// A successful call that wrote something: replayed to restore a session.
#[derive(Debug, Clone, PartialEq)]
pub struct CallRecord {
    pub tool: String,
    pub arguments: serde_json::Value,
}

/// The rows each table had written since the seed state, by rowid (a superset: rolled
/// back writes count). Kept by SQLite's update hook.
type Touched = BTreeMap<String, BTreeSet<i64>>;

/// A fault to inject (for tests of the restore): interrupt SQLite in the middle of the
/// write of this many more rows, from inside the write statement, which makes SQLite roll
/// back the whole transaction. 0 is off.
#[derive(Debug, Default)]
struct Fault {
    rows: AtomicU64,
}

/// One episode's database.
pub struct Session {
    conn: Connection,
    image: SeedImage,
    meter: Arc<Meter>,
    limits: Limits,
    touched: Arc<Mutex<Touched>>,
    fault: Arc<Fault>,
    /// Steps the running call has used.
    used: Cell<u64>,
    /// The calls since the seed state that wrote something.
    journal: RefCell<Vec<CallRecord>>,
    /// Set when SQLite rolled back more than a call: the session must be restored.
    lost: Cell<bool>,
    /// Whether the seed state is attached as `initial` (on first need: attaching reads
    /// its schema, which a session that never verifies does not need).
    initial: Cell<bool>,
    /// Whether SQLite's own page limit is set (on the first write).
    hard_limit: Cell<bool>,
}

impl Session {
    /// A new session holding the seed state.
    pub fn open(image: &SeedImage, limits: Limits) -> Result<Session, ToolError> {
        let meter = Arc::new(Meter::default());
        let touched = Arc::new(Mutex::new(Touched::new()));
        let fault = Arc::new(Fault::default());
        let conn = connect(image, &limits, &meter, &touched, &fault)?;
        Ok(Session {
            conn,
            image: image.clone(),
            meter,
            limits,
            touched,
            fault,
            used: Cell::new(0),
            journal: RefCell::new(Vec::new()),
            lost: Cell::new(false),
            initial: Cell::new(false),
            hard_limit: Cell::new(false),
        })
    }

    /// The connection with the seed state attached as `initial` (verifiers, exports).
    pub fn with_initial(&self) -> Result<&Connection, ToolError> {
        if !self.initial.get() {
            // One attachment is allowed, this one: afterwards none.
            self.conn.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 1)?;
            self.conn
                .execute("ATTACH ?1 AS initial", [self.image.shared_uri()?])?;
            self.conn.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 0)?;
            self.initial.set(true);
        }
        Ok(&self.conn)
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The connection: `main` is the session (and, once [`Session::with_initial`] attached
    /// it, `initial` the seed state).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The seed image the session started from.
    pub fn image(&self) -> &SeedImage {
        &self.image
    }

    /// Back to the seed state.
    pub fn reset(&mut self) -> Result<(), ToolError> {
        if self.lost.get() || self.conn.execute_batch("ROLLBACK TO seed;").is_err() {
            self.reopen()?;
        }
        self.touched_mut().clear();
        self.journal.borrow_mut().clear();
        Ok(())
    }

    /// A fresh connection in the seed state, the journal kept (for a restore to replay).
    pub fn reopen(&mut self) -> Result<(), ToolError> {
        self.conn = connect(
            &self.image,
            &self.limits,
            &self.meter,
            &self.touched,
            &self.fault,
        )?;
        self.touched_mut().clear();
        self.lost.set(false);
        self.initial.set(false);
        self.hard_limit.set(false);
        Ok(())
    }

    fn touched_mut(&self) -> std::sync::MutexGuard<'_, Touched> {
        self.touched
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The tables any call wrote to since the seed state (or the last reset). Tables not
    /// listed are exactly as seeded.
    pub fn touched_tables(&self) -> BTreeSet<String> {
        self.touched_mut().keys().cloned().collect()
    }

    /// The rowids written in one table since the seed state (a superset of those that
    /// differ).
    pub fn touched_rows(&self, table: &str) -> Vec<i64> {
        self.touched_mut()
            .get(table)
            .map(|rows| rows.iter().copied().collect())
            .unwrap_or_default()
    }

    /// Whether SQLite rolled back more than a call, so that the session's state is gone
    /// until [`crate::exec::run::call_tool`] restores it.
    pub fn is_lost(&self) -> bool {
        self.lost.get()
    }

    /// Fault injection, for tests: SQLite is interrupted from inside the write of the
    /// `rows`-th row written from now on (1 is the next), as no budget ever does, which
    /// makes it roll back the whole session's transaction. The session notices, and
    /// [`crate::exec::run::call_tool`] restores it.
    pub fn interrupt_at_write(&self, rows: u64) {
        self.fault.rows.store(rows, Ordering::Relaxed);
    }

    /// The calls that wrote something since the seed state.
    pub fn journal(&self) -> Vec<CallRecord> {
        self.journal.borrow().clone()
    }

    pub fn set_journal(&self, journal: Vec<CallRecord>) {
        *self.journal.borrow_mut() = journal;
    }

    /// Runs one tool call as a unit: on error, nothing it wrote remains, and everything
    /// earlier does. `record` names the call for the journal.
    pub fn call<T>(
        &self,
        record: Option<(&str, &serde_json::Value)>,
        body: impl FnOnce(&Session) -> Result<T, ToolError>,
    ) -> Result<T, ToolError> {
        self.run("SAVEPOINT call")?;
        let changes = self.conn.total_changes();
        let result = self.metered(|| body(self));
        match result.and_then(|value| self.run("RELEASE call").map(|()| value)) {
            Ok(value) => {
                if let Some((tool, arguments)) = record
                    && self.conn.total_changes() != changes
                {
                    self.journal.borrow_mut().push(CallRecord {
                        tool: tool.to_string(),
                        arguments: arguments.clone(),
                    });
                }
                Ok(value)
            }
            Err(error) => {
                self.undo("call")?;
                Err(error)
            }
        }
    }

    /// Runs read-only work (a verifier) with `initial` attached: whatever it might write
    /// is always rolled back.
    pub fn read<T>(
        &self,
        body: impl FnOnce(&Session) -> Result<T, ToolError>,
    ) -> Result<T, ToolError> {
        self.with_initial()?;
        self.run("SAVEPOINT read")?;
        let result = self.metered(|| body(self));
        self.undo("read")?;
        result
    }

    /// Runs a call's body with a fresh budget and the wall-clock net armed.
    fn metered<T>(&self, body: impl FnOnce() -> Result<T, ToolError>) -> Result<T, ToolError> {
        self.used.set(0);
        self.meter.arm(self.limits.wall_clock_net);
        let result = body();
        self.meter.disarm();
        result
    }

    /// Rolls back to a savepoint and releases it; notices when SQLite already rolled back
    /// the whole session.
    fn undo(&self, savepoint: &str) -> Result<(), ToolError> {
        if self.conn.is_autocommit() {
            self.lost.set(true);
            return Ok(());
        }
        let undone = self
            .run(&format!("ROLLBACK TO {savepoint}"))
            .and_then(|()| self.run(&format!("RELEASE {savepoint}")));
        if undone.is_err() || self.conn.is_autocommit() {
            self.lost.set(true);
        }
        Ok(())
    }

    /// Runs a statement with no result through the statement cache (parsing it on every
    /// call would cost more than many tool bodies).
    fn run(&self, sql: &str) -> Result<(), ToolError> {
        self.conn.prepare_cached(sql)?.execute([])?;
        Ok(())
    }

    /// The steps of work the last call or verifier run took (as far as it got): the same
    /// call on the same state always takes the same number.
    pub fn steps_used(&self) -> u64 {
        self.used.get()
    }

    /// Charges steps of work done outside SQLite to the running call.
    pub fn charge(&self, steps: u64) -> Result<(), ToolError> {
        let used = self.used.get().saturating_add(steps);
        self.used.set(used);
        if used > self.limits.call_budget {
            return Err(self.over_budget());
        }
        Ok(())
    }

    fn over_budget(&self) -> ToolError {
        ToolError::limit(format!(
            "the call needed more than its budget of {} steps of work and was stopped \
             (nothing it did was kept); narrow the request",
            self.limits.call_budget
        ))
    }

    /// Runs one statement, calling `each` on every row it gives, metered: its
    /// instructions are charged to the call, and it is stopped when the budget runs out
    /// (never while writing: a write's work is bounded, and stopping it would cost the
    /// session). A write is refused afterwards when the session grew past its size limit.
    pub fn statement<P: Params>(
        &self,
        sql: &str,
        params: P,
        writing: bool,
        mut each: impl FnMut(&Row<'_>) -> Result<(), ToolError>,
    ) -> Result<(), ToolError> {
        let mut statement = self.conn.prepare_cached(sql)?;
        let allowance = self.limits.call_budget.saturating_sub(self.used.get());
        self.meter.start_statement(allowance, writing);
        let outcome = (|| {
            let mut rows = statement.query(params)?;
            while let Some(row) = rows.next()? {
                each(row)?;
            }
            Ok(())
        })();
        self.meter.end_statement();
        let steps = u64::try_from(statement.get_status(StatementStatus::VmStep)).unwrap_or(0);
        statement.reset_status(StatementStatus::VmStep);
        drop(statement);
        let outcome = outcome.map_err(|error: ToolError| match self.meter.stopped() {
            Stop::Budget => self.over_budget(),
            Stop::WallClock => ToolError::new(
                ErrorKind::Timeout,
                format!(
                    "the call ran for more than {} s of wall-clock time and was stopped by \
                     the safety net; this is not a budget decision, and should not happen",
                    self.limits.wall_clock_net.map_or(0, |net| net.as_secs())
                ),
            ),
            Stop::None => error,
        });
        self.charge(steps)?;
        outcome?;
        if writing {
            self.check_size()?;
        }
        Ok(())
    }

    /// Refuses a session larger than its limit.
    fn check_size(&self) -> Result<(), ToolError> {
        if !self.hard_limit.get() {
            // The hard limit SQLite enforces is far above the size limit checked here
            // after each write, so that SQLite never fails a write for lack of room (which
            // would roll back the whole session): no single write adds more than a row
            // and its index entries, each at most `max_value_bytes`. Set before the first
            // write is checked (setting it reads the schema, which an unused session
            // never needs).
            let margin = (self.limits.max_value_bytes as u64).saturating_mul(64);
            let hard = self
                .limits
                .max_session_bytes
                .saturating_add(margin)
                .div_ceil(PAGE_BYTES);
            self.conn.pragma_update(
                Some("main"),
                "max_page_count",
                i64::try_from(hard).unwrap_or(i64::MAX),
            )?;
            self.hard_limit.set(true);
        }
        let pages: u64 = self
            .conn
            .prepare_cached("PRAGMA main.page_count")?
            .query_row([], |row| row.get::<_, i64>(0))
            .map(|pages| u64::try_from(pages).unwrap_or(0))?;
        if pages.saturating_mul(PAGE_BYTES) > self.limits.max_session_bytes {
            return Err(ToolError::limit(format!(
                "the session's data would grow past its limit of {} bytes; this call was \
                 undone (the session keeps working)",
                self.limits.max_session_bytes
            )));
        }
        Ok(())
    }

    /// Every row of every table, ordered by primary key: the session's whole state.
    pub fn dump(&self, schema: &EnvSchema) -> Result<Dump, ToolError> {
        dump(&self.conn, schema)
    }
}

/// A connection holding the seed state, set up for a session.
fn connect(
    image: &SeedImage,
    limits: &Limits,
    meter: &Arc<Meter>,
    touched: &Arc<Mutex<Touched>>,
    fault: &Arc<Fault>,
) -> Result<Connection, ToolError> {
    let mut conn = Connection::open_in_memory()?;
    conn.deserialize_read_exact(MAIN_DB, image.bytes(), image.bytes().len(), false)?;
    // Without QPSG, SQLite re-prepares some statements with bound parameters on every
    // run (twice the latency of an indexed read), and a plan could depend on the values.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_limit(
        Limit::SQLITE_LIMIT_LENGTH,
        i32::try_from(limits.max_value_bytes).unwrap_or(i32::MAX),
    )?;
    crate::functions::register(&conn)?;
    conn.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 0)?;
    conn.set_prepared_statement_cache_capacity(256);
    let watched = Arc::clone(meter);
    conn.progress_handler(
        i32::try_from(PROGRESS_STEPS).unwrap_or(i32::MAX),
        Some(move || watched.progress()),
    )?;
    let recorder = Arc::clone(touched);
    let (fault, interrupt) = (Arc::clone(fault), conn.get_interrupt_handle());
    conn.update_hook(Some(move |_action, database: &str, table: &str, rowid| {
        let countdown = fault.rows.load(Ordering::Relaxed);
        if countdown > 0 {
            fault.rows.store(countdown - 1, Ordering::Relaxed);
            if countdown == 1 {
                interrupt.interrupt();
            }
        }
        if database == "main" {
            let mut tables = recorder.lock().unwrap_or_else(|p| p.into_inner());
            match tables.get_mut(table) {
                Some(rows) => {
                    rows.insert(rowid);
                }
                None => {
                    tables.insert(table.to_string(), BTreeSet::from([rowid]));
                }
            }
        }
    }))?;
    conn.execute_batch("PRAGMA foreign_keys = ON; SAVEPOINT seed;")?;
    Ok(conn)
}

/// A whole database state: each table's name and rows.
pub type Dump = Vec<(String, Vec<Vec<Value>>)>;

/// Every row of every table of a database, ordered by primary key.
pub fn dump(conn: &Connection, schema: &EnvSchema) -> Result<Dump, ToolError> {
    schema
        .tables
        .iter()
        .map(|table| Ok((table.name.clone(), dump_table(conn, table)?)))
        .collect()
}

/// Every row of one table, ordered by primary key.
pub fn dump_table(
    conn: &Connection,
    table: &crate::schema::TableSchema,
) -> Result<Vec<Vec<Value>>, ToolError> {
    let key = quote(&table.columns[table.primary_key].name);
    let sql = format!("SELECT * FROM main.{} ORDER BY {key}", quote(&table.name));
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement
        .query_map([], |row| table.read_row(row))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A quoted SQL identifier. Names come from checked specs (ASCII letters, digits and
/// underscores), so this only guards against keywords.
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
