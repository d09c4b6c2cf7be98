//! Errors of the serving layer (an unknown environment, session or task, a full host, a
//! bad request), as one value rendered both as an HTTP JSON body for the control API and
//! as a JSON-RPC error for MCP clients.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Why a request to the host could not be served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeError {
    pub code: ErrorCode,
    pub message: String,
}

/// The kinds of [`ServeError`], each with a stable snake_case name clients can match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    UnknownEnv,
    UnknownSession,
    SessionDeleted,
    SessionExpired,
    UnknownTask,
    SessionLimit,
    BadRequest,
    ExportDisabled,
    NotFound,
    Internal,
}

impl ErrorCode {
    pub fn name(self) -> &'static str {
        match self {
            ErrorCode::UnknownEnv => "unknown_env",
            ErrorCode::UnknownSession => "unknown_session",
            ErrorCode::SessionDeleted => "session_deleted",
            ErrorCode::SessionExpired => "session_expired",
            ErrorCode::UnknownTask => "unknown_task",
            ErrorCode::SessionLimit => "session_limit",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::ExportDisabled => "export_disabled",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Internal => "internal",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::UnknownEnv
            | ErrorCode::UnknownSession
            | ErrorCode::UnknownTask
            | ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::SessionDeleted | ErrorCode::SessionExpired => StatusCode::GONE,
            ErrorCode::SessionLimit => StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::BadRequest => StatusCode::BAD_REQUEST,
            ErrorCode::ExportDisabled => StatusCode::FORBIDDEN,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The JSON-RPC error code MCP clients get (in the range reserved for servers).
    pub fn json_rpc(self) -> i32 {
        match self {
            ErrorCode::BadRequest => -32602,
            ErrorCode::Internal => -32603,
            _ => -32001,
        }
    }
}

impl ServeError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ServeError {
        ServeError {
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ServeError {
        ServeError::new(ErrorCode::BadRequest, message)
    }

    pub fn internal(message: impl Into<String>) -> ServeError {
        ServeError::new(ErrorCode::Internal, message)
    }

    /// The JSON body of the control API's error responses.
    pub fn body(&self) -> serde_json::Value {
        json!({ "error": { "code": self.code.name(), "message": self.message } })
    }

    /// A JSON-RPC error response to the request `id`.
    pub fn json_rpc(&self, id: serde_json::Value) -> serde_json::Value {
        json!({
            "jsonrpc": "2.0",
            "id": id,
            "error": {
                "code": self.code.json_rpc(),
                "message": self.message,
                "data": { "code": self.code.name() },
            }
        })
    }

    pub fn to_mcp(&self) -> rmcp::ErrorData {
        rmcp::ErrorData::new(
            rmcp::model::ErrorCode(self.code.json_rpc()),
            self.message.clone(),
            Some(json!({ "code": self.code.name() })),
        )
    }
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ServeError {}

impl IntoResponse for ServeError {
    fn into_response(self) -> Response {
        (self.code.status(), axum::Json(self.body())).into_response()
    }
}

impl From<crate::error::ToolError> for ServeError {
    fn from(error: crate::error::ToolError) -> ServeError {
        ServeError::internal(error.message)
    }
}
