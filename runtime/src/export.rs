//! Exports in the layout of an Agent World Model run folder: `initial.db` and `final.db`
//! (real SQLite files) and `trajectory.json`, which `awm verify --input DIR` reads.

use std::path::Path;

use rusqlite::Connection;
use serde::Serialize;

use crate::error::ToolError;
use crate::schema::EnvSchema;
use crate::session::{Session, quote};

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

/// Builds a trajectory's steps as calls are made: each call one step with its response
/// (the result's JSON, or `Error: message` as AWM's agent shows a failed call), then the
/// final answer.
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    steps: Vec<Step>,
}

impl Recorder {
    /// Records one call and what the agent saw.
    pub fn call(
        &mut self,
        name: &str,
        arguments: &serde_json::Value,
        result: &Result<serde_json::Value, ToolError>,
    ) {
        let content = match result {
            Ok(value) => value.to_string(),
            Err(error) => format!("Error: {}", error.message),
        };
        self.record(name, arguments.clone(), content);
    }

    /// Records one call with the response text the agent saw.
    pub fn record(&mut self, name: &str, arguments: serde_json::Value, content: String) {
        let number = self.steps.len() + 1;
        let id = format!("call_{number}");
        self.steps.push(Step {
            iteration: number,
            role: "assistant",
            content: String::new(),
            tool_calls: vec![ToolCall {
                id: id.clone(),
                name: name.to_string(),
                arguments,
            }],
            tool_response: Some(ToolResponse {
                tool_call_id: id,
                content,
            }),
            is_final: false,
        });
    }

    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The recorded steps.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The steps, ending with the final answer when there is one.
    pub fn finish(mut self, answer: Option<&str>) -> Vec<Step> {
        if let Some(answer) = answer {
            self.steps.push(Step {
                iteration: self.steps.len() + 1,
                role: "assistant",
                content: answer.to_string(),
                tool_calls: Vec::new(),
                tool_response: None,
                is_final: true,
            });
        }
        self.steps
    }
}

/// Writes `initial.db`, `final.db` and `trajectory.json` into `dir` (created if missing).
pub fn write_run(
    dir: &Path,
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
    for (state, name) in [(State::Initial, "initial.db"), (State::Final, "final.db")] {
        // Written beside, then renamed: a file of the run is whole or absent.
        let partial = dir.join(format!(".{name}.partial"));
        let _ = std::fs::remove_file(&partial);
        let mut target = Connection::open(&partial)?;
        copy_state(schema, session.with_initial()?, state, &mut target)?;
        target
            .close()
            .map_err(|(_, error)| ToolError::from(error))?;
        std::fs::rename(&partial, dir.join(name)).map_err(io)?;
    }
    std::fs::write(dir.join("trajectory.json"), trajectory_json(trajectory)?).map_err(io)?;
    Ok(())
}

/// `trajectory.json`'s text.
pub fn trajectory_json(trajectory: &Trajectory) -> Result<String, ToolError> {
    serde_json::to_string_pretty(trajectory)
        .map_err(|e| ToolError::new(crate::error::ErrorKind::Internal, e.to_string()))
}

/// Which state of a session an exported file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// The seed state (`initial.db`).
    Initial,
    /// The session's state now, its uncommitted changes included (`final.db`).
    Final,
}

/// A state of a session's connection as the bytes of a SQLite file with the
/// environment's export schema, which any SQLite can read and write. Rows are copied one
/// at a time into a temporary file, which is then read: the bytes returned are the only
/// copy of the data in memory.
pub fn database_bytes(
    schema: &EnvSchema,
    source: &Connection,
    state: State,
) -> Result<Vec<u8>, ToolError> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let io = |error: std::io::Error| ToolError::internal(format!("cannot export: {error}"));
    let path = std::env::temp_dir().join(format!(
        "awmc-export-{}-{}.db",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let written = (|| {
        let mut target = Connection::open(&path)?;
        copy_state(schema, source, state, &mut target)?;
        target
            .close()
            .map_err(|(_, error)| ToolError::from(error))?;
        std::fs::read(&path).map_err(io)
    })();
    let _ = std::fs::remove_file(&path);
    written
}

/// Creates the export schema in `target` and copies one state's rows into it.
fn copy_state(
    schema: &EnvSchema,
    source: &Connection,
    state: State,
    target: &mut Connection,
) -> Result<(), ToolError> {
    let database = match state {
        State::Initial => "initial",
        State::Final => "main",
    };
    let tx = target.transaction()?;
    for statement in schema.export_ddl() {
        tx.execute_batch(statement)?;
    }
    for table in &schema.tables {
        let name = quote(&table.name);
        let placeholders = vec!["?"; table.columns.len()].join(", ");
        let mut insert = tx.prepare(&format!("INSERT INTO {name} VALUES ({placeholders})"))?;
        let mut read = source.prepare(&format!("SELECT * FROM {database}.{name}"))?;
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            let values = (0..table.columns.len())
                .map(|i| row.get::<_, rusqlite::types::Value>(i))
                .collect::<Result<Vec<_>, _>>()?;
            insert.execute(rusqlite::params_from_iter(values))?;
        }
    }
    tx.commit()?;
    Ok(())
}
