//! The OpenAPI 3.1 description of the control API, served at `GET /openapi.json`.

use axum::Json;
use serde_json::{Value as Json_, json};

fn error_response(description: &str) -> Json_ {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn ok(description: &str, schema: Json_) -> Json_ {
    json!({ "description": description, "content": { "application/json": { "schema": schema } } })
}

fn body(schema: Json_) -> Json_ {
    json!({ "required": false, "content": { "application/json": { "schema": schema } } })
}

fn path_param(name: &str, description: &str) -> Json_ {
    json!({ "name": name, "in": "path", "required": true, "description": description, "schema": { "type": "string" } })
}

fn query_param(name: &str, description: &str) -> Json_ {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": { "type": "string" } })
}

/// The document.
pub fn spec() -> Json_ {
    let id = path_param(
        "id",
        "A session id (or `<env>.default`, an environment's default session)",
    );
    let env = path_param("env", "An environment's name");
    let object = json!({ "type": "object" });
    let gone = error_response("The session was deleted or expired");
    let missing = error_response("No such session, environment or task");
    let bad = error_response("The request body is not valid");
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "awm control API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Environments served by awm: create isolated sessions, reset them, call tools, verify tasks and export runs in the Agent World Model layout. Agents reach a session over MCP (streamable HTTP) at /sessions/{id}/mcp; /envs/{env}/mcp and /mcp reach an environment's default session."
        },
        "paths": {
            "/health": { "get": { "summary": "Liveness", "responses": { "200": ok("Serving", object.clone()) } } },
            "/envs": { "get": { "summary": "The environments served", "responses": { "200": ok("Names, descriptions, hashes, tool counts and task names", object.clone()) } } },
            "/envs/{env}": { "get": { "summary": "One environment with its tools (MCP format) and tasks", "parameters": [env], "responses": { "200": ok("The environment", object.clone()), "404": missing } } },
            "/envs/{env}/tasks": { "get": { "summary": "An environment's tasks and prompts", "parameters": [env], "responses": { "200": ok("Tasks", object.clone()), "404": missing } } },
            "/envs/{env}/tools": { "get": { "summary": "An environment's tools", "parameters": [env, { "name": "format", "in": "query", "required": false, "schema": { "type": "string", "enum": ["mcp", "openai"] } }], "responses": { "200": ok("Tools", object.clone()), "400": bad, "404": missing } } },
            "/sessions": {
                "get": { "summary": "Open sessions", "responses": { "200": ok("Sessions", object.clone()) } },
                "post": {
                    "summary": "Create a session in the seed state, optionally for a task",
                    "requestBody": body(json!({ "type": "object", "properties": { "env": { "type": "string", "description": "Optional when one environment is served" }, "task": { "type": "string" } }, "additionalProperties": false })),
                    "responses": { "201": ok("The session, with its MCP URL (and the task's prompt)", json!({ "$ref": "#/components/schemas/Session" })), "400": bad, "404": missing, "429": error_response("The session limit is reached") }
                }
            },
            "/sessions/{id}": {
                "get": { "summary": "A session", "parameters": [id], "responses": { "200": ok("The session", json!({ "$ref": "#/components/schemas/Session" })), "404": missing, "410": gone } },
                "delete": { "summary": "Delete a session", "parameters": [id], "responses": { "204": { "description": "Deleted" }, "400": bad, "404": missing, "410": gone } }
            },
            "/sessions/{id}/reset": { "post": { "summary": "Back to the seed state (the trajectory is cleared)", "parameters": [id], "responses": { "200": ok("Reset", object.clone()), "404": missing, "410": gone } } },
            "/sessions/{id}/call": { "post": {
                "summary": "Call a tool as an agent would",
                "parameters": [id],
                "requestBody": body(json!({ "type": "object", "required": ["tool"], "properties": { "tool": { "type": "string" }, "arguments": { "type": "object" } }, "additionalProperties": false })),
                "responses": { "200": ok("The result, or the tool's error (`is_error`)", json!({ "type": "object", "properties": { "is_error": { "type": "boolean" }, "result": {}, "error": { "type": "object", "properties": { "kind": { "type": "string", "enum": ["rejected", "invalid_arguments", "constraint", "limit", "unknown_tool", "internal"] }, "message": { "type": "string" } } } } })), "400": bad, "404": missing, "410": gone }
            } },
            "/sessions/{id}/verify": { "post": {
                "summary": "Run a task's verifier on the session with the agent's final answer",
                "parameters": [id],
                "requestBody": body(json!({ "type": "object", "properties": { "task": { "type": "string", "description": "Defaults to the session's task" }, "answer": { "type": "string" } }, "additionalProperties": false })),
                "responses": { "200": ok("The verdict with evidence per expectation", json!({ "$ref": "#/components/schemas/Verdict" })), "400": bad, "404": missing, "410": gone }
            } },
            "/sessions/{id}/export": { "post": {
                "summary": "Write initial.db, final.db and trajectory.json (AWM's run layout) under the server's export directory",
                "parameters": [id],
                "requestBody": body(json!({ "type": "object", "properties": { "dir": { "type": "string", "description": "Folder name; defaults to the session id" }, "task": { "type": "string" }, "answer": { "type": "string" }, "model": { "type": "string" } }, "additionalProperties": false })),
                "responses": { "200": ok("Where the files were written", object.clone()), "400": bad, "403": error_response("The server was started without --export-dir"), "404": missing, "410": gone }
            } },
            "/sessions/{id}/files/{file}": { "get": {
                "summary": "Download one file of the run: initial.db, final.db (SQLite) or trajectory.json",
                "parameters": [id, path_param("file", "initial.db, final.db or trajectory.json"), query_param("task", "For trajectory.json"), query_param("answer", "The final answer, for trajectory.json"), query_param("model", "For trajectory.json")],
                "responses": { "200": { "description": "The file", "content": { "application/vnd.sqlite3": {}, "application/json": {} } }, "404": missing, "410": gone }
            } },
            "/openapi.json": { "get": { "summary": "This document", "responses": { "200": ok("OpenAPI 3.1", object.clone()) } } }
        },
        "components": { "schemas": {
            "Error": { "type": "object", "required": ["error"], "properties": { "error": { "type": "object", "required": ["code", "message"], "properties": {
                "code": { "type": "string", "enum": ["unknown_env", "unknown_session", "session_deleted", "session_expired", "unknown_task", "session_limit", "bad_request", "export_disabled", "not_found", "internal"] },
                "message": { "type": "string" } } } } },
            "Session": { "type": "object", "properties": {
                "id": { "type": "string" }, "env": { "type": "string" }, "task": { "type": ["string", "null"] }, "prompt": { "type": "string" },
                "mcp_url": { "type": "string", "description": "Point the agent's MCP client here" },
                "created_at": { "type": "integer", "description": "Unix seconds" }, "idle_ms": { "type": "integer" }, "expires": { "type": "boolean" },
                "calls": { "type": "integer" }, "unrecorded_calls": { "type": "integer" }, "touched_tables": { "type": "array", "items": { "type": "string" } } } },
            "Verdict": { "type": "object", "properties": {
                "task": { "type": "string" }, "passed": { "type": "boolean" },
                "evidence": { "type": "array", "items": { "type": "object", "properties": { "expectation": { "type": "string" }, "held": { "type": "boolean" }, "observed": { "type": "array" }, "error": { "type": ["string", "null"] } } } } } }
        } }
    })
}

pub async fn document() -> Json<Json_> {
    Json(spec())
}
