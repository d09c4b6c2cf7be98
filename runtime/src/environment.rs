//! The environment interface: what any environment — interpreted by awmc's engine or
//! compiled to a native crate — offers to whoever serves it (the CLI, an MCP server, a
//! trainer's control API).

use crate::args::ToolSpec;
use crate::error::ToolError;
use crate::image::SeedImage;
use crate::schema::EnvSchema;
use crate::session::Session;
use crate::verdict::Verdict;

/// A task as a trainer sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskSpec {
    pub name: String,
    /// What the agent is asked to do.
    pub prompt: String,
}

/// One environment.
pub trait Environment: Send + Sync {
    /// The environment's name (the spec's `env`).
    fn name(&self) -> &str;
    fn title(&self) -> Option<&str>;
    fn description(&self) -> Option<&str>;
    fn schema(&self) -> &EnvSchema;
    /// The seed state every session starts from.
    fn image(&self) -> &SeedImage;
    /// SHA-256 of the spec the environment was built from.
    fn spec_hash(&self) -> &str;
    fn tools(&self) -> Vec<&ToolSpec>;
    fn tasks(&self) -> Vec<TaskSpec>;
    /// Runs one tool call with an agent's JSON arguments; the result as JSON. Hosts call
    /// it through [`crate::exec::run::call_tool`], which restores a session SQLite rolled
    /// back further than the call.
    fn call(
        &self,
        session: &Session,
        tool: &str,
        arguments: &serde_json::Value,
    ) -> Result<serde_json::Value, ToolError>;
    /// Runs a task's verifier on a session (`final`) against the seed (`initial`), with the
    /// agent's final answer; `None` when there is no such task.
    fn verify(&self, session: &Session, task: &str, answer: Option<&str>) -> Option<Verdict>;
}
