//! A session as a host keeps it: the episode's database behind a lock (calls to one
//! session run one at a time; sessions run in parallel), the calls made so far for the
//! trajectory, and when it was last used, for idle expiry.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value as Json, json};

use super::error::ServeError;
use super::host::Served;
use crate::error::ToolError;
use crate::exec::run::{call_tool, verify_task};
use crate::export::{self, Recorder, Trajectory};
use crate::session::Session;
use crate::verdict::Verdict;

/// The most bytes of arguments and responses a session keeps for its trajectory; calls
/// beyond it still run, and are counted as not recorded.
pub const MAX_RECORDED_BYTES: usize = 4 << 20;

/// One hosted session.
pub struct HostedSession {
    pub id: String,
    pub served: Arc<Served>,
    /// The task the session was created for, if any.
    pub task: Option<String>,
    /// Whether idle expiry applies (an environment's default session never expires).
    pub expires: bool,
    created: u64,
    /// Milliseconds on the host's clock when the session was last used.
    last_used: AtomicU64,
    state: Mutex<State>,
}

struct State {
    session: Session,
    recorder: Recorder,
    recorded_bytes: usize,
    unrecorded_calls: usize,
}

/// A tool call's outcome: the result (or the tool's error) and its text as the agent
/// sees it (the result's JSON, or the error's message).
pub struct Called {
    pub result: Result<Json, ToolError>,
    pub text: String,
}

/// About the bytes a JSON value takes, without serializing it.
fn json_size(value: &Json) -> usize {
    match value {
        Json::Null | Json::Bool(_) | Json::Number(_) => 8,
        Json::String(s) => s.len() + 2,
        Json::Array(items) => 2 + items.iter().map(|v| json_size(v) + 1).sum::<usize>(),
        Json::Object(fields) => {
            2 + fields
                .iter()
                .map(|(k, v)| k.len() + 4 + json_size(v))
                .sum::<usize>()
        }
    }
}

/// The three files of an AWM run folder.
pub struct RunFiles {
    pub initial_db: Vec<u8>,
    pub final_db: Vec<u8>,
    pub trajectory_json: String,
}

impl HostedSession {
    pub fn new(
        id: String,
        served: Arc<Served>,
        task: Option<String>,
        expires: bool,
        session: Session,
        now: u64,
    ) -> HostedSession {
        HostedSession {
            id,
            served,
            task,
            expires,
            created: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            last_used: AtomicU64::new(now),
            state: Mutex::new(State {
                session,
                recorder: Recorder::default(),
                recorded_bytes: 0,
                unrecorded_calls: 0,
            }),
        }
    }

    pub fn touch(&self, now: u64) {
        self.last_used.store(now, Ordering::Relaxed);
    }

    /// Milliseconds since the session was last used.
    pub fn idle_for(&self, now: u64) -> u64 {
        now.saturating_sub(self.last_used.load(Ordering::Relaxed))
    }

    fn lock(&self) -> Result<MutexGuard<'_, State>, ServeError> {
        // A panic while holding the lock would leave the database mid-call; refuse it
        // rather than serve a state nobody can vouch for.
        self.state.lock().map_err(|_| {
            ServeError::internal(format!(
                "session `{}` failed during an earlier call; delete it and create a new one",
                self.id
            ))
        })
    }

    /// Calls a tool as an agent would; the call is recorded for the trajectory.
    pub fn call(&self, tool: &str, arguments: &Json) -> Result<Called, ServeError> {
        let mut state = self.lock()?;
        let result = call_tool(
            self.served.env.as_ref(),
            &mut state.session,
            tool,
            arguments,
        );
        // The result is serialized once: for the agent and for the trajectory.
        let text = match &result {
            Ok(value) => value.to_string(),
            Err(error) => error.message.clone(),
        };
        let size = json_size(arguments) + text.len();
        if state.recorded_bytes + size <= MAX_RECORDED_BYTES {
            state.recorded_bytes += size;
            let content = if result.is_ok() {
                text.clone()
            } else {
                format!("Error: {text}")
            };
            state.recorder.record(tool, arguments.clone(), content);
        } else {
            state.unrecorded_calls += 1;
        }
        Ok(Called { result, text })
    }

    /// Back to the seed state, with an empty trajectory.
    pub fn reset(&self) -> Result<(), ServeError> {
        let mut state = self.lock()?;
        state.session.reset()?;
        state.recorder = Recorder::default();
        state.recorded_bytes = 0;
        state.unrecorded_calls = 0;
        Ok(())
    }

    /// Runs a task's verifier on the session's current state; `None` for no such task.
    pub fn verify(&self, task: &str, answer: Option<&str>) -> Result<Option<Verdict>, ServeError> {
        let mut state = self.lock()?;
        Ok(verify_task(
            self.served.env.as_ref(),
            &mut state.session,
            task,
            answer,
        )?)
    }

    /// The session as an AWM run folder's files.
    pub fn run_files(
        &self,
        task: Option<&str>,
        answer: Option<&str>,
        model: &str,
        api_url: &str,
    ) -> Result<RunFiles, ServeError> {
        let state = self.lock()?;
        let env = &self.served.env;
        let prompt = task
            .and_then(|name| env.tasks().into_iter().find(|t| t.name == name))
            .map(|t| t.prompt)
            .unwrap_or_default();
        let steps = state.recorder.clone().finish(answer);
        let trajectory = Trajectory {
            scenario: env.name().to_string(),
            task_id: task.unwrap_or_default().to_string(),
            task: prompt.clone(),
            model: model.to_string(),
            api_url: api_url.to_string(),
            max_iterations: steps.len(),
            temperature: 0.0,
            total_iterations: steps.len(),
            timestamp: now_rfc3339(),
            messages: vec![json!({ "role": "user", "content": prompt })],
            trajectory: steps,
            spec_hash: env.spec_hash().to_string(),
            seed_hash: env.image().hash().to_string(),
        };
        Ok(RunFiles {
            initial_db: export::database_bytes(
                env.schema(),
                state.session.with_initial()?,
                export::State::Initial,
            )?,
            final_db: export::database_bytes(
                env.schema(),
                state.session.connection(),
                export::State::Final,
            )?,
            trajectory_json: export::trajectory_json(&trajectory)?,
        })
    }

    /// What the control API says about the session.
    pub fn info(&self, now: u64, mcp_url: &str) -> Json {
        let (calls, unrecorded, touched) = match self.lock() {
            Ok(state) => (
                state.recorder.len(),
                state.unrecorded_calls,
                state.session.touched_tables().into_iter().collect(),
            ),
            Err(_) => (0, 0, Vec::new()),
        };
        json!({
            "id": self.id,
            "env": self.served.env.name(),
            "task": self.task,
            "mcp_url": mcp_url,
            "created_at": self.created,
            "idle_ms": self.idle_for(now),
            "expires": self.expires,
            "calls": calls + unrecorded,
            "unrecorded_calls": unrecorded,
            "touched_tables": touched,
        })
    }
}

/// The wall-clock time as `YYYY-MM-DDTHH:MM:SSZ` (the export's timestamp).
fn now_rfc3339() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    awm_stdlib::time::format_datetime(secs)
}
