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
    std::fs::write(
        dir.join("final.db"),
        database_bytes(schema, session.connection())?,
    )
    .map_err(io)?;
    std::fs::write(dir.join("trajectory.json"), trajectory_json(trajectory)?).map_err(io)?;
    Ok(())
}

/// `trajectory.json`'s text.
pub fn trajectory_json(trajectory: &Trajectory) -> Result<String, ToolError> {
    serde_json::to_string_pretty(trajectory)
        .map_err(|e| ToolError::new(crate::error::ErrorKind::Internal, e.to_string()))
}

/// The state visible to `source` (uncommitted session changes included) as the bytes of
/// a SQLite file with the environment's schema.
pub fn database_bytes(schema: &EnvSchema, source: &Connection) -> Result<Vec<u8>, ToolError> {
    let mut target = Connection::open_in_memory()?;
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
    let bytes = target.serialize(rusqlite::MAIN_DB)?;
    Ok(bytes.to_vec())
}
