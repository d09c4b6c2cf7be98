//! Exports in the layout of an Agent World Model run folder: `initial.db` and `final.db`
//! (real SQLite files) and `trajectory.json`, which `awm verify --input DIR` reads.

use std::path::Path;

use rusqlite::Connection;
use serde::Serialize;

use crate::error::ToolError;
use crate::image::SeedImage;
use crate::schema::EnvSchema;
use crate::session::{Session, dump, quote};

/// One tool call of a trajectory.
#[derive(Debug, Clone, Serialize)]
pub struct ToolCall {
    pub id: String,
    pub name: String,
    pub arguments: serde_json::Value,
}

/// A tool's response to a call.
#[derive(Debug, Clone, Serialize)]
pub struct ToolResponse {
    pub tool_call_id: String,
    pub content: String,
}

/// One step of a trajectory: a tool call and its response, or the final answer.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub iteration: usize,
    pub role: &'static str,
    pub content: String,
    pub tool_calls: Vec<ToolCall>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_response: Option<ToolResponse>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub is_final: bool,
}

/// `trajectory.json` as AWM writes it, plus the hashes that name the environment version.
#[derive(Debug, Clone, Serialize)]
pub struct Trajectory {
    pub scenario: String,
    pub task_id: String,
    pub task: String,
    pub model: String,
    pub api_url: String,
    pub max_iterations: usize,
    pub temperature: f64,
    pub total_iterations: usize,
    pub timestamp: String,
    pub trajectory: Vec<Step>,
    pub messages: Vec<serde_json::Value>,
    pub spec_hash: String,
    pub seed_hash: String,
}

/// Writes `initial.db`, `final.db` and `trajectory.json` into `dir` (created if missing).
pub fn write_run(
    dir: &Path,
    image: &SeedImage,
    schema: &EnvSchema,
    session: &Session,
    trajectory: &Trajectory,
) -> Result<(), ToolError> {
    let io = |error: std::io::Error| {
        ToolError::new(
            crate::error::ErrorKind::Internal,
            format!("cannot write the export: {error}"),
        )
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    std::fs::write(dir.join("initial.db"), image.bytes()).map_err(io)?;
    write_database(&dir.join("final.db"), schema, session.connection())?;
    let json = serde_json::to_string_pretty(trajectory)
        .map_err(|e| ToolError::new(crate::error::ErrorKind::Internal, e.to_string()))?;
    std::fs::write(dir.join("trajectory.json"), json).map_err(io)?;
    Ok(())
}

/// Copies the state visible to `source` (uncommitted session changes included) into a
/// new SQLite file with the environment's schema.
pub fn write_database(
    path: &Path,
    schema: &EnvSchema,
    source: &Connection,
) -> Result<(), ToolError> {
    if path.exists() {
        std::fs::remove_file(path).map_err(|e| {
            ToolError::new(
                crate::error::ErrorKind::Internal,
                format!("cannot replace {}: {e}", path.display()),
            )
        })?;
    }
    let mut target = Connection::open(path)?;
    for statement in schema.ddl() {
        target.execute_batch(statement)?;
    }
    let tables = dump(source, schema)?;
    let tx = target.transaction()?;
    for (table, (name, rows)) in schema.tables.iter().zip(tables) {
        let placeholders = vec!["?"; table.columns.len()].join(", ");
        let sql = format!("INSERT INTO {} VALUES ({placeholders})", quote(&name));
        let mut statement = tx.prepare(&sql)?;
        for row in rows {
            statement.execute(rusqlite::params_from_iter(row.iter()))?;
        }
    }
    tx.commit()?;
    Ok(())
}
