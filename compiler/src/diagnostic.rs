//! Diagnostics as data: a code, a message, a primary label on the narrowest span,
//! secondary labels and one help line. Rendering (terminal, JSON, LSP) happens elsewhere,
//! always from the same value.

pub mod codes;
pub mod render;
pub mod suggest;

pub use codes::{Code, Severity};

use crate::span::Span;

/// One labelled span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// A problem found in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    /// For a problem in a data file (`seed t from "…"`): the file as written and the line.
    pub data_line: Option<Box<DataLine>>,
}

/// A line of a data file a diagnostic is about (the spans point into the spec).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataLine {
    pub path: String,
    pub line: usize,
}

impl Diagnostic {
    /// A diagnostic whose primary label at `span` says `label`.
    pub fn new(
        code: Code,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            primary: Label {
                span,
                message: label.into(),
            },
            secondary: Vec::new(),
            help: None,
            data_line: None,
        }
    }

    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the help line unless one is already there.
    pub fn or_help(mut self, help: Option<String>) -> Self {
        if self.help.is_none() {
            self.help = help;
        }
        self
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }
}

/// Sorts diagnostics by position (the line of a data file after the span that names it),
/// then code, so output is stable whatever order the passes found them in.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    let line = |d: &Diagnostic| d.data_line.as_ref().map(|data| data.line);
    diagnostics.sort_by(|a, b| {
        (
            a.primary.span.start,
            a.primary.span.end,
            line(a),
            a.code,
            &a.message,
        )
            .cmp(&(
                b.primary.span.start,
                b.primary.span.end,
                line(b),
                b.code,
                &b.message,
            ))
    });
}
