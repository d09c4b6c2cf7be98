//! Seed images: the bytes of a database holding an environment's seed rows, built once
//! from the spec alone (so the same spec always gives the same bytes), and the hash that
//! names that exact state.

use std::sync::{Arc, OnceLock};

use rusqlite::{Connection, MAIN_DB};

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
}

impl SeedImage {
    /// Runs the DDL and the inserts in a fresh in-memory database and serializes it.
    pub fn build<'a>(
        ddl: impl IntoIterator<Item = &'a str>,
        inserts: &[SeedInsert],
    ) -> Result<SeedImage, ToolError> {
        let mut conn = Connection::open_in_memory()?;
        // Foreign keys are checked when sessions write; the seed rows' references were
        // checked by the compiler, so they are not checked again row by row here.
        let tx = conn.transaction()?;
        for statement in ddl {
            tx.execute_batch(statement)?;
        }
        for insert in inserts {
            let mut statement = tx.prepare_cached(&insert.sql)?;
            statement.execute(rusqlite::params_from_iter(insert.values.iter()))?;
        }
        tx.commit()?;
        let data = conn.serialize(MAIN_DB)?;
        let bytes: Arc<[u8]> = Arc::from(&data[..]);
        Ok(SeedImage {
            bytes,
            hash: Arc::new(OnceLock::new()),
        })
    }

    /// The database file's bytes (a valid SQLite file: this is what `initial.db` holds).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The SHA-256 of the bytes.
    pub fn hash(&self) -> &str {
        self.hash.get_or_init(|| sha256_hex(&self.bytes))
    }
}
