//! Tool errors: what an agent sees when a call fails. Every failure is a value, never a
//! panic: a `require` that does not hold, a missing row, invalid arguments, a broken
//! constraint, a limit.

use std::fmt;

/// Why a call failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// A `require … else` or `value else` of the spec: the message is the spec's.
    Rejected,
    /// The arguments do not match the tool's parameters.
    InvalidArguments,
    /// The call would break a table constraint (unique, foreign key, check).
    Constraint,
    /// A limit was reached (the call's work budget, rows, sizes).
    Limit,
    /// The wall-clock safety net stopped a runaway call (far above any budget).
    Timeout,
    /// No such tool.
    UnknownTool,
    /// Anything else the database reported.
    Internal,
}

/// A failed tool call; the call's writes were rolled back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ToolError {
    pub kind: ErrorKind,
    pub message: String,
}

impl ToolError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> ToolError {
        ToolError {
            kind,
            message: message.into(),
        }
    }

    pub fn rejected(message: impl Into<String>) -> ToolError {
        ToolError::new(ErrorKind::Rejected, message)
    }

    pub fn arguments(message: impl Into<String>) -> ToolError {
        ToolError::new(ErrorKind::InvalidArguments, message)
    }

    pub fn limit(message: impl Into<String>) -> ToolError {
        ToolError::new(ErrorKind::Limit, message)
    }

    pub fn internal(message: impl Into<String>) -> ToolError {
        ToolError::new(ErrorKind::Internal, message)
    }
}

impl fmt::Display for ToolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ToolError {}

impl From<rusqlite::Error> for ToolError {
    /// Database errors in words an agent can act on.
    fn from(error: rusqlite::Error) -> ToolError {
        use rusqlite::ffi::ErrorCode;
        match &error {
            rusqlite::Error::SqliteFailure(_, Some(message))
                if message.starts_with(crate::functions::FAULT_MARK) =>
            {
                ToolError::rejected(&message[crate::functions::FAULT_MARK.len()..])
            }
            rusqlite::Error::SqliteFailure(failure, message) => {
                let detail = message.clone().unwrap_or_default();
                match failure.code {
                    ErrorCode::ConstraintViolation => {
                        let message = if detail.contains("UNIQUE") {
                            format!(
                                "that would duplicate an existing entry ({})",
                                detail.trim_start_matches("UNIQUE constraint failed: ")
                            )
                        } else if detail.contains("FOREIGN KEY") {
                            "that refers to something that does not exist, or is still referred to"
                                .to_string()
                        } else if detail.contains("CHECK") {
                            format!(
                                "that value is not allowed ({})",
                                detail.trim_start_matches("CHECK constraint failed: ")
                            )
                        } else if detail.contains("NOT NULL") {
                            format!(
                                "a required value is missing ({})",
                                detail.trim_start_matches("NOT NULL constraint failed: ")
                            )
                        } else {
                            detail
                        };
                        ToolError::new(ErrorKind::Constraint, message)
                    }
                    ErrorCode::OperationInterrupted => {
                        ToolError::limit("the call was stopped before it finished")
                    }
                    ErrorCode::DiskFull => ToolError::limit("the session's data is too large"),
                    ErrorCode::TooBig => ToolError::limit("a value is too large"),
                    _ => ToolError::new(ErrorKind::Internal, format!("database error: {error}")),
                }
            }
            _ => ToolError::new(ErrorKind::Internal, format!("database error: {error}")),
        }
    }
}
