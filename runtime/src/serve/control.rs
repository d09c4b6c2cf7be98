//! The control API for trainers (HTTP + JSON): environments and their tasks and tools;
//! sessions created, inspected, reset, called, verified, exported and deleted. Every
//! failure is a JSON body `{"error": {"code", "message"}}` with a fitting status.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value as Json_, json};

use super::catalog;
use super::error::{ErrorCode, ServeError};
use super::host::{Host, Served, unknown_task};
use super::session::HostedSession;

/// The control API's routes.
pub fn routes() -> Router<Arc<Host>> {
    Router::new()
        .route("/health", get(|| async { Json(json!({ "status": "ok" })) }))
        .route("/envs", get(list_envs))
        .route("/envs/{env}", get(env_detail))
        .route("/envs/{env}/tasks", get(env_tasks))
        .route("/envs/{env}/tools", get(env_tools))
        .route("/sessions", get(list_sessions).post(create_session))
        .route("/sessions/{id}", get(session_info).delete(delete_session))
        .route("/sessions/{id}/reset", post(reset_session))
        .route("/sessions/{id}/call", post(call_tool))
        .route("/sessions/{id}/verify", post(verify_session))
        .route("/sessions/{id}/export", post(export_session))
        .route("/sessions/{id}/files/{file}", get(download_file))
}

type Reply = Result<Response, ServeError>;

/// A JSON request body; an empty body is the type's default.
fn body<T: DeserializeOwned + Default>(bytes: &Bytes) -> Result<T, ServeError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(bytes)
        .map_err(|e| ServeError::bad_request(format!("the request body is not valid: {e}")))
}

fn bad_query(rejection: QueryRejection) -> ServeError {
    ServeError::bad_request(rejection.body_text())
}

/// The base URL clients used to reach this server, for the URLs in replies.
fn base_url(headers: &HeaderMap) -> String {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map_or_else(String::new, |host| format!("http://{host}"))
}

fn env_summary(served: &Served, limits: &crate::Limits) -> Json_ {
    let env = &served.env;
    json!({
        "name": env.name(),
        "title": env.title(),
        "description": env.description(),
        "spec_hash": env.spec_hash(),
        "seed_hash": env.image().hash(),
        "tools": env.tools().len(),
        "tasks": env.tasks().into_iter().map(|t| t.name).collect::<Vec<_>>(),
        "mcp_path": format!("/envs/{}/mcp", env.name()),
        // The bounds every call runs under: the same call on the same state always has
        // the same outcome under them.
        "limits": limits.to_json(),
    })
}

async fn list_envs(State(host): State<Arc<Host>>) -> Json<Json_> {
    Json(
        json!({ "envs": host.envs().map(|s| env_summary(s, &host.config.limits)).collect::<Vec<_>>() }),
    )
}

async fn env_detail(State(host): State<Arc<Host>>, Path(env): Path<String>) -> Reply {
    let served = host.env(&env)?;
    let mut detail = env_summary(served, &host.config.limits);
    detail["tasks"] = tasks_json(served);
    detail["tools"] = json!(
        served
            .env
            .tools()
            .into_iter()
            .map(catalog::mcp_tool)
            .collect::<Vec<_>>()
    );
    Ok(Json(detail).into_response())
}

fn tasks_json(served: &Served) -> Json_ {
    json!(
        served
            .env
            .tasks()
            .into_iter()
            .map(|t| json!({ "name": t.name, "prompt": t.prompt }))
            .collect::<Vec<_>>()
    )
}

async fn env_tasks(State(host): State<Arc<Host>>, Path(env): Path<String>) -> Reply {
    let served = host.env(&env)?;
    Ok(Json(json!({ "tasks": tasks_json(served) })).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ToolsQuery {
    format: Option<String>,
}

async fn env_tools(
    State(host): State<Arc<Host>>,
    Path(env): Path<String>,
    query: Result<Query<ToolsQuery>, QueryRejection>,
) -> Reply {
    let Query(query) = query.map_err(bad_query)?;
    let served = host.env(&env)?;
    let tools = served.env.tools();
    let list: Vec<Json_> = match query.format.as_deref().unwrap_or("mcp") {
        "mcp" => tools.into_iter().map(catalog::mcp_tool).collect(),
        "openai" => tools.into_iter().map(catalog::openai_tool).collect(),
        other => {
            return Err(ServeError::bad_request(format!(
                "unknown format `{other}`; use `mcp` or `openai`"
            )));
        }
    };
    Ok(Json(json!({ "tools": list })).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateSession {
    /// Optional when the server hosts one environment.
    env: Option<String>,
    task: Option<String>,
}

async fn create_session(State(host): State<Arc<Host>>, headers: HeaderMap, bytes: Bytes) -> Reply {
    let request: CreateSession = body(&bytes)?;
    let env = match request.env {
        Some(env) => env,
        None => host
            .single_env()
            .map_err(|_| ServeError::bad_request("name the environment: {\"env\": \"…\"}"))?
            .env
            .name()
            .to_string(),
    };
    let session = host.create(&env, request.task)?;
    let mut info = session_json(&host, &session, &headers);
    if let Some(task) = &session.task {
        info["prompt"] = json!(
            session
                .served
                .env
                .tasks()
                .into_iter()
                .find(|t| &t.name == task)
                .map(|t| t.prompt)
        );
    }
    Ok((StatusCode::CREATED, Json(info)).into_response())
}

fn session_json(host: &Host, session: &HostedSession, headers: &HeaderMap) -> Json_ {
    let url = format!("{}/sessions/{}/mcp", base_url(headers), session.id);
    session.info(host.now(), &url)
}

async fn list_sessions(State(host): State<Arc<Host>>, headers: HeaderMap) -> Json<Json_> {
    let sessions: Vec<Json_> = host
        .sessions()
        .iter()
        .map(|s| session_json(&host, s, &headers))
        .collect();
    Json(json!({ "sessions": sessions, "max_sessions": host.config.max_sessions }))
}

async fn session_info(
    State(host): State<Arc<Host>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Reply {
    let session = host.session(&id)?;
    Ok(Json(session_json(&host, &session, &headers)).into_response())
}

async fn delete_session(State(host): State<Arc<Host>>, Path(id): Path<String>) -> Reply {
    host.delete(&id)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn reset_session(State(host): State<Arc<Host>>, Path(id): Path<String>) -> Reply {
    let session = host.session(&id)?;
    session.reset()?;
    Ok(Json(json!({ "id": id, "reset": true })).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CallRequest {
    tool: String,
    #[serde(default)]
    arguments: Json_,
}

async fn call_tool(State(host): State<Arc<Host>>, Path(id): Path<String>, bytes: Bytes) -> Reply {
    let session = host.session(&id)?;
    let request: CallRequest = body(&bytes)?;
    if request.tool.is_empty() {
        return Err(ServeError::bad_request(
            "name the tool: {\"tool\": \"…\", \"arguments\": {…}}",
        ));
    }
    let reply = match session.call(&request.tool, &request.arguments)?.result {
        Ok(result) => json!({ "is_error": false, "result": result }),
        Err(error) => json!({ "is_error": true, "error": error }),
    };
    Ok(Json(reply).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct VerifyRequest {
    /// Defaults to the session's task.
    task: Option<String>,
    /// The agent's final answer.
    answer: Option<String>,
}

/// The task a request names, or else the session's.
fn task_of(session: &HostedSession, task: Option<String>) -> Result<String, ServeError> {
    task.or_else(|| session.task.clone()).ok_or_else(|| {
        ServeError::bad_request(
            "this session was not created for a task; name one: {\"task\": \"…\"}",
        )
    })
}

async fn verify_session(
    State(host): State<Arc<Host>>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Reply {
    let session = host.session(&id)?;
    let request: VerifyRequest = body(&bytes)?;
    let task = task_of(&session, request.task)?;
    let verdict = session
        .verify(&task, request.answer.as_deref())?
        .ok_or_else(|| {
            let tasks = session.served.env.tasks();
            unknown_task(
                &task,
                session.served.env.name(),
                tasks.iter().map(|t| t.name.as_str()),
            )
        })?;
    Ok(
        Json(json!({ "task": task, "passed": verdict.passed, "evidence": verdict.evidence }))
            .into_response(),
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportRequest {
    /// The run folder's name under the server's export directory (default: the id).
    dir: Option<String>,
    task: Option<String>,
    answer: Option<String>,
    model: Option<String>,
}

async fn export_session(
    State(host): State<Arc<Host>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Reply {
    let session = host.session(&id)?;
    let request: ExportRequest = body(&bytes)?;
    let Some(root) = &host.config.export_root else {
        return Err(ServeError::new(
            ErrorCode::ExportDisabled,
            "this server writes no files (start it with --export-dir DIR); \
             download them instead from GET /sessions/{id}/files/{initial.db|final.db|trajectory.json}",
        ));
    };
    let name = request.dir.unwrap_or_else(|| id.clone());
    if !is_plain_name(&name) {
        return Err(ServeError::bad_request(format!(
            "`{name}` is not a plain folder name (letters, digits, `.`, `_` and `-`, not starting with `.`)"
        )));
    }
    let files = run_files(
        &session,
        &headers,
        request.task,
        request.answer.as_deref(),
        request.model.as_deref(),
    )?;
    let dir = root.join(&name);
    let write = |file: &str, bytes: &[u8]| {
        std::fs::write(dir.join(file), bytes).map_err(|e| {
            ServeError::internal(format!("cannot write {}: {e}", dir.join(file).display()))
        })
    };
    std::fs::create_dir_all(&dir)
        .map_err(|e| ServeError::internal(format!("cannot create {}: {e}", dir.display())))?;
    write("initial.db", &files.initial_db)?;
    write("final.db", &files.final_db)?;
    write("trajectory.json", files.trajectory_json.as_bytes())?;
    Ok(Json(json!({
        "dir": dir.display().to_string(),
        "files": ["initial.db", "final.db", "trajectory.json"],
    }))
    .into_response())
}

/// The session's run files; the task defaults to the session's, and the trajectory's
/// `api_url` is the session's MCP URL.
fn run_files(
    session: &HostedSession,
    headers: &HeaderMap,
    task: Option<String>,
    answer: Option<&str>,
    model: Option<&str>,
) -> Result<super::session::RunFiles, ServeError> {
    let task = task.or_else(|| session.task.clone());
    let api_url = format!("{}/sessions/{}/mcp", base_url(headers), session.id);
    session.run_files(
        task.as_deref(),
        answer,
        model.unwrap_or("unknown"),
        &api_url,
    )
}

/// A single path component that cannot escape the export directory.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileQuery {
    task: Option<String>,
    answer: Option<String>,
    model: Option<String>,
}

async fn download_file(
    State(host): State<Arc<Host>>,
    Path((id, file)): Path<(String, String)>,
    query: Result<Query<FileQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Reply {
    let Query(query) = query.map_err(bad_query)?;
    let session = host.session(&id)?;
    if !matches!(file.as_str(), "initial.db" | "final.db" | "trajectory.json") {
        return Err(ServeError::new(
            ErrorCode::NotFound,
            format!(
                "there is no file `{file}`; the files are initial.db, final.db and trajectory.json"
            ),
        ));
    }
    let files = run_files(
        &session,
        &headers,
        query.task,
        query.answer.as_deref(),
        query.model.as_deref(),
    )?;
    Ok(match file.as_str() {
        "trajectory.json" => (
            [(header::CONTENT_TYPE, "application/json")],
            files.trajectory_json,
        )
            .into_response(),
        "initial.db" => sqlite_file(files.initial_db),
        _ => sqlite_file(files.final_db),
    })
}

fn sqlite_file(bytes: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/vnd.sqlite3")], bytes).into_response()
}
