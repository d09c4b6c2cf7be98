//! The task proof: every task is run at check time. On a fresh session its verifier must
//! fail (a reward that is already earned teaches nothing), its reference solution must run
//! without a tool error, and its verifier must pass afterwards (a reward that cannot be
//! earned teaches nothing either). Each way to fail is its own diagnostic, with what was
//! observed.

use awm_runtime::exec::run::call_tool;
use awm_runtime::{Evidence, Verdict};

use crate::check::Checked;
use crate::diagnostic::{Code, Diagnostic};
use crate::engine::Engine;

use crate::lower::{self, ir};
use crate::span::Span;
use crate::syntax::ast::Spec;

/// Runs every task of a spec that checked clean; returns what went wrong.
pub fn prove(
    spec: &Spec,
    checked: &Checked,
    source: &str,
    limits: awm_runtime::Limits,
) -> Vec<Diagnostic> {
    let ir = lower::lower(spec, checked, source);
    let mut diagnostics: Vec<Diagnostic> = ir
        .unsupported
        .iter()
        .map(|unsupported| {
            Diagnostic::new(
                Code::CannotRun,
                format!("this cannot run: {}", unsupported.reason),
                unsupported.span,
                "cannot be evaluated",
            )
            .with_help("write in a statement of the tool instead, one row at a time: `for row in rows { insert … }` (`awmc explain E0904`)")
        })
        .collect();
    let env_span = checked
        .model
        .env
        .as_ref()
        .map_or(Span::new(0, 0), |e| e.span);
    let engine = match Engine::new(ir) {
        Ok(mut engine) => {
            // A proof is decided by the work budget alone, never by the wall clock: the
            // same spec gets the same verdict on an idle and on a loaded machine.
            engine.limits = awm_runtime::Limits {
                wall_clock_net: None,
                ..limits
            };
            engine
        }
        Err(error) => {
            diagnostics.push(Diagnostic::new(
                Code::SeedImageFailed,
                format!("SQLite rejected the seed data: {}", error.message),
                Span::new(env_span.start as usize, env_span.start as usize),
                "building the seed database failed here",
            )
            .with_help("this is a gap in the checker: please report the spec; meanwhile change the seed rows the message names"));
            return diagnostics;
        }
    };
    let mut session = match engine.open_session() {
        Ok(session) => session,
        Err(error) => {
            diagnostics.push(Diagnostic::new(
                Code::SeedImageFailed,
                format!("cannot open the seed database: {}", error.message),
                env_span,
                "here",
            ));
            return diagnostics;
        }
    };
    for (index, task) in engine.ir.tasks.iter().enumerate() {
        if session.reset().is_err() {
            break;
        }
        let before = engine.verify(&session, index, None);
        if before.passed {
            diagnostics.push(
                Diagnostic::new(
                    Code::VerifierPassesInitially,
                    format!("the verifier of task `{}` already passes before the solution runs, so the reward is free", task.name),
                    task.verify_span,
                    "passes on the seed data",
                )
                .with_secondary(task.span, "this task")
                .with_help(format!(
                    "expect something that only the solution makes true; on the seed data: {}",
                    evidence_summary(&before)
                )),
            );
            continue;
        }
        let mut failed = false;
        for (step, call) in task.solution.iter().enumerate() {
            let arguments = engine.solution_arguments(&session, index, step);
            let tool = &engine.ir.tools[call.tool].spec.name;
            if let Err(error) = call_tool(&engine, &mut session, tool, &arguments) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::SolutionStepFailed,
                        format!("step {} of task `{}`'s solution fails: `{tool}` answered \"{}\"", step + 1, task.name, error.message),
                        call.span,
                        format!("this call fails: {}", error.message),
                    )
                    .with_secondary(task.span, "in this task")
                    .with_help("fix the call's arguments, or the seed data or tool it depends on; the solution runs on the seed data, one call after another"),
                );
                failed = true;
                break;
            }
        }
        if failed {
            continue;
        }
        let after = engine.verify(&session, index, task.answer.as_deref());
        if !after.passed {
            let (span, text) = failing_expectation(task, &after);
            diagnostics.push(
                Diagnostic::new(
                    Code::VerifierFailsAfterSolution,
                    format!("after the reference solution of task `{}`, `expect {text}` does not hold", task.name),
                    span,
                    after.first_failure().map_or_else(|| "fails".to_string(), evidence_line),
                )
                .with_secondary(task.span, "in this task")
                .with_help("the reward cannot be earned as written: fix the solution, or the expectation so that it describes the solved state"),
            );
        }
    }
    diagnostics
}

/// The span and text of the expectation the verdict failed on.
fn failing_expectation(task: &ir::TaskIr, verdict: &Verdict) -> (Span, String) {
    let expectations: Vec<&ir::Expectation> = task
        .verify
        .iter()
        .filter_map(|stmt| match stmt {
            ir::Stmt::Expect(expectation) => Some(expectation),
            _ => None,
        })
        .collect();
    let failed = verdict.first_failure();
    let found =
        failed.and_then(|evidence| expectations.iter().find(|e| e.text == evidence.expectation));
    match (found, failed) {
        (Some(expectation), _) => (
            expectation.span,
            expectation
                .text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        ),
        (None, Some(evidence)) => (task.verify_span, evidence.expectation.clone()),
        (None, None) => (task.verify_span, "…".to_string()),
    }
}

/// "`lhs` was 3, `rhs` was 5" — what an expectation saw.
fn evidence_line(evidence: &Evidence) -> String {
    if let Some(error) = &evidence.error {
        return format!("could not be evaluated: {error}");
    }
    if evidence.observed.is_empty() {
        return "does not hold".to_string();
    }
    let parts: Vec<String> = evidence
        .observed
        .iter()
        .map(|(text, value)| format!("`{text}` is {}", shown(value)))
        .collect();
    parts.join(", ")
}

fn shown(value: &awm_runtime::Value) -> String {
    let text = match value {
        awm_runtime::Value::Text(s) => format!("{s:?}"),
        other => other.to_string(),
    };
    if text.chars().count() > 120 {
        format!("{}…", text.chars().take(120).collect::<String>())
    } else {
        text
    }
}

fn evidence_summary(verdict: &Verdict) -> String {
    let parts: Vec<String> = verdict
        .evidence
        .iter()
        .map(|e| {
            if e.observed.is_empty() {
                format!("`{}` holds", e.expectation)
            } else {
                evidence_line(e)
            }
        })
        .collect();
    parts.join("; ")
}
