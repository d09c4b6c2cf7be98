//! Seed images: the bytes of a database holding an environment's seed rows, built once
//! from the spec alone (so the same spec always gives the same bytes), the hash that names
//! that exact state, and one shared read-only copy of it in memory that every session
//! attaches as its `initial` state.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rusqlite::backup::Backup;
use rusqlite::{Connection, MAIN_DB, OpenFlags};

use crate::error::ToolError;
use crate::hash::sha256_hex;
use crate::value::Value;

/// One seed row to insert: the statement and its bound values.
#[derive(Debug, Clone)]
pub struct SeedInsert {
    pub sql: String,
    pub values: Vec<Value>,
}

/// A serialized SQLite database: the state every session starts from.
#[derive(Debug, Clone)]
pub struct SeedImage {
    bytes: Arc<[u8]>,
    /// Computed on first use: checking a spec never needs it.
    hash: Arc<OnceLock<String>>,
    /// The shared in-memory copy sessions attach, made on first use.
    shared: Arc<OnceLock<Result<Shared, String>>>,
}

/// A database in SQLite's `memdb` file system under a process-wide name, which every
/// connection of the process can attach without copying it. It lives while the keeper
/// connection (or any connection that attached it) is open.
struct Shared {
    name: String,
    _keeper: Mutex<Connection>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared").field("name", &self.name).finish()
    }
}

impl SeedImage {
    /// Runs the DDL and the inserts in a fresh in-memory database and serializes it.
    pub fn build<'a>(
        ddl: impl IntoIterator<Item = &'a str>,
        inserts: &[SeedInsert],
    ) -> Result<SeedImage, ToolError> {
        let mut conn = Connection::open_in_memory()?;
        // Check constraints call the built-ins.
        crate::functions::register(&conn)?;
        // Foreign keys are checked when sessions write; the seed rows' references were
        // checked by the compiler, so they are not checked again row by row here (the
        // bundled SQLite turns them on by default).
        conn.execute_batch("PRAGMA foreign_keys = OFF")?;
        let tx = conn.transaction()?;
        // Indexes are built after the rows are in: one sort each, instead of an index
        // update per row.
        let (indexes, tables): (Vec<&str>, Vec<&str>) = ddl
            .into_iter()
            .partition(|statement| statement.starts_with("CREATE INDEX"));
        for statement in tables {
            tx.execute_batch(statement)?;
        }
        // Rows of one table come together: one statement each.
        let mut current: Option<(&str, rusqlite::Statement<'_>)> = None;
        for insert in inserts {
            let statement = match &mut current {
                Some((sql, statement)) if *sql == insert.sql => statement,
                _ => {
                    let statement = tx.prepare(&insert.sql)?;
                    &mut current.insert((insert.sql.as_str(), statement)).1
                }
            };
            statement.execute(rusqlite::params_from_iter(insert.values.iter()))?;
        }
        drop(current);
        for statement in indexes {
            tx.execute_batch(statement)?;
        }
        tx.commit()?;
        let data = conn.serialize(MAIN_DB)?;
        Ok(SeedImage::from_bytes(&data[..]))
    }

    /// An image from the bytes of a database file (a native crate's embedded seed).
    pub fn from_bytes(bytes: &[u8]) -> SeedImage {
        SeedImage {
            bytes: Arc::from(bytes),
            hash: Arc::new(OnceLock::new()),
            shared: Arc::new(OnceLock::new()),
        }
    }

    /// The database file's bytes (a valid SQLite file: this is what `initial.db` holds).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The SHA-256 of the bytes.
    pub fn hash(&self) -> &str {
        self.hash.get_or_init(|| sha256_hex(&self.bytes))
    }

    /// The URI under which the shared copy can be attached.
    pub(crate) fn shared_uri(&self) -> Result<String, ToolError> {
        match self
            .shared
            .get_or_init(|| self.share().map_err(|e| e.message))
        {
            Ok(shared) => Ok(format!("file:{}?vfs=memdb", shared.name)),
            Err(message) => Err(ToolError::internal(format!(
                "the seed state cannot be shared: {message}"
            ))),
        }
    }

    fn share(&self) -> Result<Shared, ToolError> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let name = format!(
            "/awm-seed-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut keeper = Connection::open_with_flags(
            format!("file:{name}?vfs=memdb"),
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let mut source = Connection::open_in_memory()?;
        source.deserialize_read_exact(MAIN_DB, self.bytes(), self.bytes.len(), true)?;
        Backup::new(&source, &mut keeper)?.run_to_completion(
            i32::MAX,
            std::time::Duration::ZERO,
            None,
        )?;
        Ok(Shared {
            name,
            _keeper: Mutex::new(keeper),
        })
    }
}
