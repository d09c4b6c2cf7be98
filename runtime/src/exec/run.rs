//! Running a tool call or a verifier on a session: the parts every environment shares,
//! around the body the environment supplies.

use std::collections::BTreeSet;

use rusqlite::Connection;

use super::ctx::{Ctx, Env};
use crate::args::ToolSpec;
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
    session.call(|conn| {
        let mut ctx = Ctx::new(env, conn, None);
        body(&mut ctx, values)
    })
}

/// Runs a verifier on a session (`final`) against the seed state (`initial`), read-only:
/// whatever it might write is rolled back.
pub fn verify(
    env: Env<'_>,
    session: &Session,
    initial: &Connection,
    answer: Option<&str>,
    body: impl FnOnce(&mut Ctx<'_>, &BTreeSet<String>, &mut Vec<Evidence>),
) -> Verdict {
    let touched = session.touched_tables();
    let outcome = session.read(|conn| {
        let mut ctx = Ctx::new(env, conn, Some(initial));
        ctx.set_answer(answer);
        let mut evidence = Vec::new();
        body(&mut ctx, &touched, &mut evidence);
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
