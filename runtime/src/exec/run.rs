//! Running a tool call or a verifier on a session: the parts every environment shares,
//! around the body the environment supplies, and the restore of a session SQLite rolled
//! back further than one call.

use super::ctx::{Ctx, Env};
use crate::args::ToolSpec;
use crate::environment::Environment;
use crate::error::ToolError;
use crate::session::Session;
use crate::value::Value;
use crate::verdict::{Evidence, Verdict};

/// Validates an agent's arguments against the tool's spec, then runs `body` with them in
/// one transaction of the session (rolled back if it fails).
pub fn call(
    env: Env<'_>,
    session: &Session,
    spec: &ToolSpec,
    arguments: &serde_json::Value,
    body: impl FnOnce(&mut Ctx<'_>, Vec<Value>) -> Result<Value, ToolError>,
) -> Result<Value, ToolError> {
    let values = spec.validate(arguments, &session.limits())?;
    session.call(Some((&spec.name, arguments)), |session| {
        let mut ctx = Ctx::new(env, session);
        body(&mut ctx, values)
    })
}

/// Runs a verifier on a session (`final`) against the seed state (`initial`), read-only:
/// whatever it might write is rolled back.
pub fn verify(
    env: Env<'_>,
    session: &Session,
    answer: Option<&str>,
    body: impl FnOnce(&mut Ctx<'_>, &mut Vec<Evidence>),
) -> Verdict {
    let outcome = session.read(|session| {
        let mut ctx = Ctx::new(env, session);
        ctx.set_answer(answer);
        let mut evidence = Vec::new();
        body(&mut ctx, &mut evidence);
        Ok(evidence)
    });
    match outcome {
        Ok(evidence) => Verdict::new(evidence),
        Err(error) => Verdict::new(vec![Evidence {
            expectation: "the verifier runs".to_string(),
            held: false,
            observed: Vec::new(),
            error: Some(error.message),
        }]),
    }
}

/// Calls a tool of an environment on a session, as every host does: if SQLite rolled
/// back more than this call (it may, on some errors), the session is restored exactly by
/// replaying its earlier calls from the seed state, which is deterministic, and the call's
/// own error is returned. Earlier calls are never lost.
pub fn call_tool(
    env: &dyn Environment,
    session: &mut Session,
    tool: &str,
    arguments: &serde_json::Value,
) -> Result<serde_json::Value, ToolError> {
    let result = env.call(session, tool, arguments);
    if session.is_lost() {
        restore(env, session)?;
    }
    result
}

/// Runs a task's verifier, restoring the session first if needed.
pub fn verify_task(
    env: &dyn Environment,
    session: &mut Session,
    task: &str,
    answer: Option<&str>,
) -> Result<Option<Verdict>, ToolError> {
    if session.is_lost() {
        restore(env, session)?;
    }
    let verdict = env.verify(session, task, answer);
    if session.is_lost() {
        restore(env, session)?;
        return Ok(env.verify(session, task, answer));
    }
    Ok(verdict)
}

/// Rebuilds a lost session from the seed state and its journal.
pub fn restore(env: &dyn Environment, session: &mut Session) -> Result<(), ToolError> {
    let journal = session.journal();
    session.reopen()?;
    session.set_journal(Vec::new());
    for record in &journal {
        let replayed = env.call(session, &record.tool, &record.arguments);
        if let Err(error) = replayed.as_ref().map(|_| ()) {
            return Err(ToolError::internal(format!(
                "the session's state was rolled back by SQLite and could not be restored: \
                 replaying `{}` failed ({error})",
                record.tool
            )));
        }
        if session.is_lost() {
            return Err(ToolError::internal(
                "the session's state was rolled back by SQLite and could not be restored",
            ));
        }
    }
    Ok(())
}
