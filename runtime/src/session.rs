//! Sessions: one isolated in-memory SQLite database per agent episode, started from the
//! seed image. The whole session lives inside a `SAVEPOINT seed`, so resetting it is a
//! `ROLLBACK TO seed` (microseconds, whatever was changed); every tool call runs in a
//! nested savepoint that is released on success and rolled back on any error.

use std::collections::BTreeSet;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rusqlite::limits::Limit;
use rusqlite::{Connection, MAIN_DB};

use crate::error::ToolError;
use crate::image::SeedImage;
use crate::limits::Limits;
use crate::schema::EnvSchema;
use crate::value::Value;

/// How many virtual-machine steps SQLite runs between deadline checks.
const PROGRESS_STEPS: i32 = 1000;

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// One episode's database.
pub struct Session {
    conn: Connection,
    /// Microseconds since [`epoch`] at which the running call must stop; 0 when idle.
    deadline: Arc<AtomicU64>,
    limits: Limits,
    /// The tables written since the seed state (a superset: rolled-back writes count).
    touched: Arc<Mutex<BTreeSet<String>>>,
}

impl Session {
    /// A new session holding the seed state.
    pub fn open(image: &SeedImage, limits: Limits) -> Result<Session, ToolError> {
        let mut conn = Connection::open_in_memory()?;
        conn.deserialize_read_exact(MAIN_DB, image.bytes(), image.bytes().len(), false)?;
        // Without QPSG, SQLite re-prepares some statements with bound parameters on every
        // run (twice the latency of an indexed read).
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )?;
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
        conn.set_limit(
            Limit::SQLITE_LIMIT_LENGTH,
            i32::try_from(limits.max_text_bytes).unwrap_or(i32::MAX),
        )?;
        conn.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 0)?;
        conn.set_prepared_statement_cache_capacity(256);
        let deadline = Arc::new(AtomicU64::new(0));
        let watched = Arc::clone(&deadline);
        conn.progress_handler(
            PROGRESS_STEPS,
            Some(move || {
                let until = watched.load(Ordering::Relaxed);
                until != 0 && epoch().elapsed().as_micros() as u64 > until
            }),
        )?;
        let touched = Arc::new(Mutex::new(BTreeSet::new()));
        let recorder = Arc::clone(&touched);
        conn.update_hook(Some(move |_action, _database: &str, table: &str, _row| {
            if let Ok(mut tables) = recorder.lock()
                && !tables.contains(table)
            {
                tables.insert(table.to_string());
            }
        }))?;
        conn.execute_batch("PRAGMA foreign_keys = ON; SAVEPOINT seed;")?;
        Ok(Session {
            conn,
            deadline,
            limits,
            touched,
        })
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The connection, for running statements inside [`Session::call`] or
    /// [`Session::read`].
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Back to the seed state.
    pub fn reset(&self) -> Result<(), ToolError> {
        self.conn.execute_batch("ROLLBACK TO seed;")?;
        if let Ok(mut tables) = self.touched.lock() {
            tables.clear();
        }
        Ok(())
    }

    /// The tables any call wrote to since the seed state (or the last reset). Tables not
    /// listed are exactly as seeded.
    pub fn touched_tables(&self) -> BTreeSet<String> {
        self.touched.lock().map(|t| t.clone()).unwrap_or_default()
    }

    /// Runs one tool call as a unit: on error, nothing it wrote remains.
    pub fn call<T>(
        &self,
        body: impl FnOnce(&Connection) -> Result<T, ToolError>,
    ) -> Result<T, ToolError> {
        self.run("SAVEPOINT call")?;
        self.arm_deadline();
        let result = body(&self.conn);
        self.deadline.store(0, Ordering::Relaxed);
        match result {
            Ok(value) => {
                self.run("RELEASE call")?;
                Ok(value)
            }
            Err(error) => {
                self.run("ROLLBACK TO call")?;
                self.run("RELEASE call")?;
                Err(error)
            }
        }
    }

    /// Runs read-only work (a verifier): whatever it might write is always rolled back.
    pub fn read<T>(
        &self,
        body: impl FnOnce(&Connection) -> Result<T, ToolError>,
    ) -> Result<T, ToolError> {
        self.run("SAVEPOINT read")?;
        self.arm_deadline();
        let result = body(&self.conn);
        self.deadline.store(0, Ordering::Relaxed);
        self.run("ROLLBACK TO read")?;
        self.run("RELEASE read")?;
        result
    }

    /// Runs a statement with no result through the statement cache (parsing it on every
    /// call would cost more than many tool bodies).
    fn run(&self, sql: &str) -> Result<(), ToolError> {
        self.conn.prepare_cached(sql)?.execute([])?;
        Ok(())
    }

    fn arm_deadline(&self) {
        let until = epoch().elapsed() + self.limits.call_time;
        self.deadline
            .store(until.as_micros() as u64, Ordering::Relaxed);
    }

    /// Every row of every table, ordered by primary key: the session's whole state.
    pub fn dump(&self, schema: &EnvSchema) -> Result<Dump, ToolError> {
        dump(&self.conn, schema)
    }
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
    let sql = format!("SELECT * FROM {} ORDER BY {key}", quote(&table.name));
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

/// A read-only database holding an image (the `initial` state a verifier reads).
pub fn open_image(image: &SeedImage) -> Result<Connection, ToolError> {
    let mut conn = Connection::open_in_memory()?;
    conn.deserialize_read_exact(MAIN_DB, image.bytes(), image.bytes().len(), true)?;
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    conn.set_prepared_statement_cache_capacity(256);
    Ok(conn)
}
