//! The in-process engine: runs a lowered environment on the shared runtime, so awmc can
//! call tools, replay solutions and verify tasks of any spec without building it.

mod eval;
mod verify;
mod write;

use awm_runtime::args::ToolSpec;
use awm_runtime::exec::{self, Ctx, Env};
use awm_runtime::{Limits, SeedImage, Session, ToolError, Value, Verdict};

use crate::lower::ir::EnvIr;

/// A lowered environment with its seed image, ready to open sessions.
pub struct Engine {
    pub ir: EnvIr,
    pub image: SeedImage,
    pub limits: Limits,
}

impl Engine {
    /// Builds the seed image. Fails only if SQLite rejects what the checker accepted.
    pub fn new(ir: EnvIr) -> Result<Engine, ToolError> {
        let image = SeedImage::build(ir.schema.ddl(), &ir.seed)?;
        Ok(Engine {
            ir,
            image,
            limits: Limits::default(),
        })
    }

    /// Checks, lowers and loads a spec's text; the diagnostics' messages when it has errors.
    pub fn from_source(source: &str) -> Result<Engine, Vec<String>> {
        let analysis = crate::driver::analyze(source);
        if !analysis.is_accepted() {
            return Err(analysis
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| format!("{} {}", d.code.code(), d.message))
                .collect());
        }
        let ir = crate::lower::lower(&analysis.spec, &analysis.checked, source);
        Engine::new(ir).map_err(|error| vec![error.message])
    }

    /// A new session in the seed state.
    pub fn open_session(&self) -> Result<Session, ToolError> {
        Session::open(&self.image, self.limits)
    }

    pub fn tool_index(&self, name: &str) -> Option<usize> {
        self.ir.tools.iter().position(|t| t.spec.name == name)
    }

    pub fn task_index(&self, name: &str) -> Option<usize> {
        self.ir.tasks.iter().position(|t| t.name == name)
    }

    /// Calls a tool by name with JSON arguments, as an agent would; the result as JSON.
    pub fn call_json(
        &self,
        session: &Session,
        tool: &str,
        arguments: &serde_json::Value,
    ) -> Result<serde_json::Value, ToolError> {
        let Some(index) = self.tool_index(tool) else {
            let names = self.ir.tools.iter().map(|t| t.spec.name.as_str());
            return Err(exec::native::unknown_tool(tool, names));
        };
        self.call(session, index, arguments)
            .map(|value| value.to_json())
    }

    /// Calls the tool at `index`: validates the arguments, then runs the body in one
    /// transaction of the session.
    pub fn call(
        &self,
        session: &Session,
        index: usize,
        arguments: &serde_json::Value,
    ) -> Result<Value, ToolError> {
        let tool = &self.ir.tools[index];
        exec::run::call(
            self.env(session),
            session,
            &tool.spec,
            arguments,
            |ctx, values| {
                let mut interp = eval::Interp::new(tool.slots);
                for (slot, value) in values.iter().enumerate() {
                    interp.slots[slot] = value.clone();
                }
                for (check, message) in &tool.checks {
                    if interp.eval(ctx, check)? == Value::Bool(false) {
                        return Err(ToolError::arguments(message.clone()));
                    }
                }
                Ok(interp.run(ctx, &tool.body)?.unwrap_or(Value::Null))
            },
        )
    }

    /// What bodies of this environment see of it, with the session's limits.
    fn env(&self, session: &Session) -> Env<'_> {
        Env {
            schema: &self.ir.schema,
            clock: &self.ir.clock,
            user: self.ir.user.as_ref().map(|(table, key)| (table.0, key)),
            limits: session.limits(),
        }
    }

    /// Runs the verifier of the task at `index` against a session (`final`) and the seed
    /// state (`initial`), with the agent's final answer.
    pub fn verify(&self, session: &Session, task: usize, answer: Option<&str>) -> Verdict {
        let task = &self.ir.tasks[task];
        exec::run::verify(self.env(session), session, answer, |ctx, evidence| {
            eval::Interp::new(task.slots).verify(ctx, &task.verify, evidence);
        })
    }

    /// The arguments of a solution's call, as the JSON an agent would send (they are
    /// constants; `session` is only there because evaluation needs one).
    pub fn solution_arguments(
        &self,
        session: &Session,
        task: usize,
        step: usize,
    ) -> serde_json::Value {
        let call = &self.ir.tasks[task].solution[step];
        let env = Env {
            schema: &self.ir.schema,
            clock: &self.ir.clock,
            user: None,
            limits: self.limits,
        };
        let mut ctx = Ctx::new(env, session);
        let interp = eval::Interp::new(0);
        let object = call
            .arguments
            .iter()
            .map(|(name, value)| {
                (
                    name.clone(),
                    interp
                        .eval(&mut ctx, value)
                        .unwrap_or(Value::Null)
                        .to_json(),
                )
            })
            .collect();
        serde_json::Value::Object(object)
    }
}

impl awm_runtime::Environment for Engine {
    fn name(&self) -> &str {
        &self.ir.name
    }

    fn title(&self) -> Option<&str> {
        self.ir.title.as_deref()
    }

    fn description(&self) -> Option<&str> {
        self.ir.description.as_deref()
    }

    fn schema(&self) -> &awm_runtime::EnvSchema {
        &self.ir.schema
    }

    fn image(&self) -> &SeedImage {
        &self.image
    }

    fn spec_hash(&self) -> &str {
        &self.ir.spec_hash
    }

    fn tools(&self) -> Vec<&ToolSpec> {
        self.ir.tools.iter().map(|t| &t.spec).collect()
    }

    fn tasks(&self) -> Vec<awm_runtime::TaskSpec> {
        self.ir
            .tasks
            .iter()
            .map(|t| awm_runtime::TaskSpec {
                name: t.name.clone(),
                prompt: t.prompt.clone(),
            })
            .collect()
    }

    fn call(
        &self,
        session: &Session,
        tool: &str,
        arguments: &serde_json::Value,
    ) -> Result<serde_json::Value, ToolError> {
        self.call_json(session, tool, arguments)
    }

    fn verify(&self, session: &Session, task: &str, answer: Option<&str>) -> Option<Verdict> {
        self.task_index(task)
            .map(|index| Engine::verify(self, session, index, answer))
    }
}
