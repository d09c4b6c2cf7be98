//! `awmc call` and `awmc run`: execute a spec in process, without building it. `call` runs
//! one tool call on a fresh session; `run` replays a task's reference solution or an
//! agent's recorded trajectory, then verifies, and can export the run in the layout of
//! the Agent World Model tools.

use std::path::{Path, PathBuf};

use awm_runtime::exec::run::call_tool;
use awm_runtime::export::{self, Recorder, Trajectory};
use awm_runtime::{Session, Verdict};

use crate::diagnostic::render::{self, SourceFile};
use crate::engine::Engine;
use crate::lower;

/// Checks and loads a spec; prints why not and returns the exit code on failure.
pub(super) fn load(path: &Path, limits: awm_runtime::Limits) -> Result<Engine, i32> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("error: {}: {error}", path.display());
            return Err(2);
        }
    };
    let analysis = super::inputs::analyze_in(
        &text,
        Some(&super::inputs::spec_dir(path)),
        &crate::driver::Options { limits },
    );
    if !analysis.is_accepted() {
        let name = path.display().to_string();
        eprint!(
            "{}",
            render::to_text(&SourceFile::new(&name, &text), &analysis.diagnostics, false)
        );
        eprintln!("error: {name} has errors; fix them before running it");
        return Err(2);
    }
    let ir = lower::lower(&analysis.spec, &analysis.checked, &text);
    let mut engine = Engine::new(ir).map_err(|error| {
        eprintln!("error: cannot build the seed database: {}", error.message);
        2
    })?;
    engine.limits = limits;
    Ok(engine)
}

fn open(engine: &Engine) -> Result<Session, i32> {
    engine.open_session().map_err(|error| {
        eprintln!("error: cannot open a session: {}", error.message);
        2
    })
}

/// `awmc call SPEC TOOL [JSON]`: exit 0 with the result, 1 with a tool error.
pub fn call(path: &Path, tool: &str, arguments: Option<&str>, limits: awm_runtime::Limits) -> i32 {
    let arguments: serde_json::Value = match serde_json::from_str(arguments.unwrap_or("{}")) {
        Ok(arguments) => arguments,
        Err(error) => {
            eprintln!("error: the arguments are not JSON: {error}");
            return 2;
        }
    };
    let (engine, session) = match load(path, limits)
        .and_then(|engine| open(&engine).map(|session| (engine, session)))
    {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    match engine.call_json(&session, tool, &arguments) {
        Ok(result) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&result).unwrap_or_default()
            );
            0
        }
        Err(error) => {
            println!("Error: {}", error.message);
            1
        }
    }
}

/// What `awmc run` replays.
pub enum Replay {
    Solution,
    Trajectory(PathBuf),
}

/// `awmc run SPEC --task NAME | --trajectory FILE [--export DIR]`: exit 0 when the
/// verifier passes, 1 when it fails.
pub fn run(
    path: &Path,
    task: Option<&str>,
    replay: Replay,
    export_dir: Option<&Path>,
    json: bool,
    limits: awm_runtime::Limits,
) -> i32 {
    let engine = match load(path, limits) {
        Ok(engine) => engine,
        Err(code) => return code,
    };
    let (calls, answer, recorded_task) = match &replay {
        Replay::Solution => (Vec::new(), None, None),
        Replay::Trajectory(file) => match read_trajectory(file) {
            Ok(recorded) => (recorded.calls, recorded.answer, recorded.task),
            Err(message) => {
                eprintln!("error: {}: {message}", file.display());
                return 2;
            }
        },
    };
    let task_name = task.map(str::to_string).or(recorded_task);
    let Some(task_name) = task_name else {
        let names: Vec<&str> = engine.ir.tasks.iter().map(|t| t.name.as_str()).collect();
        eprintln!(
            "error: name a task with --task (the tasks are {})",
            names.join(", ")
        );
        return 2;
    };
    let Some(index) = engine.task_index(&task_name) else {
        eprintln!("error: there is no task `{task_name}`");
        return 2;
    };
    let mut session = match open(&engine) {
        Ok(session) => session,
        Err(code) => return code,
    };
    let task = &engine.ir.tasks[index];
    let model = match replay {
        Replay::Solution => "reference-solution",
        Replay::Trajectory(_) => "replay",
    };
    let (calls, answer) = match replay {
        Replay::Solution => {
            let calls = (0..task.solution.len())
                .map(|step| {
                    let tool = engine.ir.tools[task.solution[step].tool].spec.name.clone();
                    (tool, engine.solution_arguments(&session, index, step))
                })
                .collect();
            (calls, task.answer.clone())
        }
        Replay::Trajectory(_) => (calls, answer),
    };
    let mut recorder = Recorder::default();
    for (number, (tool, arguments)) in calls.iter().enumerate() {
        let result = call_tool(&engine, &mut session, tool, arguments);
        recorder.call(tool, arguments, &result);
        if !json {
            let content = match &result {
                Ok(value) => value.to_string(),
                Err(error) => format!("Error: {}", error.message),
            };
            println!("{}. {tool}({arguments})", number + 1);
            println!("   → {content}");
        }
    }
    if let (Some(answer), false) = (&answer, json) {
        println!("answer: {answer}");
    }
    let steps = recorder.finish(answer.as_deref());
    let verdict = engine.verify(&session, index, answer.as_deref());
    if json {
        println!(
            "{}",
            serde_json::json!({ "task": task.name, "passed": verdict.passed, "evidence": verdict.evidence })
        );
    } else {
        print_verdict(&verdict);
    }
    if let Some(dir) = export_dir {
        let trajectory = Trajectory {
            scenario: engine.ir.name.clone(),
            task_id: task.name.clone(),
            task: task.prompt.clone(),
            model: model.to_string(),
            api_url: String::new(),
            max_iterations: steps.len(),
            temperature: 0.0,
            total_iterations: steps.len(),
            timestamp: engine.ir.clock.clone(),
            messages: vec![serde_json::json!({ "role": "user", "content": task.prompt })],
            trajectory: steps,
            spec_hash: engine.ir.spec_hash.clone(),
            seed_hash: engine.image.hash().to_string(),
        };
        if let Err(error) = export::write_run(dir, &engine.ir.schema, &session, &trajectory) {
            eprintln!("error: {}", error.message);
            return 2;
        }
        if !json {
            println!(
                "exported initial.db, final.db and trajectory.json to {}",
                dir.display()
            );
        }
    }
    if verdict.passed { 0 } else { 1 }
}

fn print_verdict(verdict: &Verdict) {
    println!(
        "verdict: {}",
        if verdict.passed {
            "complete"
        } else {
            "incomplete"
        }
    );
    for evidence in &verdict.evidence {
        let mark = if evidence.held { "✓" } else { "✗" };
        println!(
            "  {mark} {}",
            evidence
                .expectation
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        );
        for (text, value) in &evidence.observed {
            println!("      {text} = {}", value.to_json());
        }
        if let Some(error) = &evidence.error {
            println!("      error: {error}");
        }
    }
}

/// A recorded run: its calls (tool and arguments), final answer and task.
struct Recorded {
    calls: Vec<(String, serde_json::Value)>,
    answer: Option<String>,
    task: Option<String>,
}

/// The calls, final answer and task of a recorded trajectory: AWM's `trajectory.json`, or a
/// plain list of `{"name", "arguments"}`.
fn read_trajectory(path: &Path) -> Result<Recorded, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))?;
    let (steps, task) = match &json {
        serde_json::Value::Array(steps) => (steps.clone(), None),
        serde_json::Value::Object(object) => (
            object
                .get("trajectory")
                .and_then(|t| t.as_array())
                .cloned()
                .unwrap_or_default(),
            object
                .get("task_id")
                .and_then(|t| t.as_str())
                .map(str::to_string),
        ),
        _ => return Err("expected a trajectory object or a list of calls".to_string()),
    };
    let mut calls = Vec::new();
    let mut answer = None;
    for step in steps {
        let step_calls = match step.get("tool_calls").and_then(|c| c.as_array()) {
            Some(calls) => calls.clone(),
            None if step.get("name").is_some() => vec![step.clone()],
            None => Vec::new(),
        };
        for call in step_calls {
            let name = call
                .get("name")
                .and_then(|n| n.as_str())
                .ok_or("a call has no `name`")?
                .to_string();
            // OpenAI-style records hold the arguments as a JSON string.
            let arguments = match call.get("arguments") {
                Some(serde_json::Value::String(text)) => {
                    serde_json::from_str(text).unwrap_or(serde_json::Value::String(text.clone()))
                }
                Some(value) => value.clone(),
                None => serde_json::json!({}),
            };
            calls.push((name, arguments));
        }
        if step.get("is_final").and_then(|f| f.as_bool()) == Some(true) {
            answer = step
                .get("content")
                .and_then(|c| c.as_str())
                .map(str::to_string);
        }
    }
    Ok(Recorded {
        calls,
        answer,
        task,
    })
}
