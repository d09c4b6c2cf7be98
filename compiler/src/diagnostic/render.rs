//! Renders diagnostics: to text with codespan-reporting (with or without colour), and to
//! the JSON objects of `awmc check --format json`.

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use super::{Diagnostic, Label, Severity};
use crate::span::LineIndex;

/// A spec's name (its path, or `file.jsonl:LINE`) and text, with its line index.
pub struct SourceFile<'a> {
    pub name: &'a str,
    pub text: &'a str,
    lines: LineIndex,
}

impl<'a> SourceFile<'a> {
    pub fn new(name: &'a str, text: &'a str) -> Self {
        SourceFile {
            name,
            text,
            lines: LineIndex::new(text),
        }
    }
}

fn to_codespan(diagnostic: &Diagnostic, text_len: usize) -> cs::Diagnostic<()> {
    let clamp = |label: &Label| {
        let start = (label.span.start as usize).min(text_len);
        start..(label.span.end as usize).clamp(start, text_len)
    };
    let severity = match diagnostic.severity() {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let mut labels = vec![
        cs::Label::primary((), clamp(&diagnostic.primary))
            .with_message(&diagnostic.primary.message),
    ];
    labels.extend(
        diagnostic
            .secondary
            .iter()
            .map(|label| cs::Label::secondary((), clamp(label)).with_message(&label.message)),
    );
    let mut notes = Vec::new();
    if let Some(help) = &diagnostic.help {
        notes.push(format!("help: {help}"));
    }
    cs::Diagnostic::new(severity)
        .with_code(format!(
            "{} {}",
            diagnostic.code.code(),
            diagnostic.code.name()
        ))
        .with_message(&diagnostic.message)
        .with_labels(labels)
        .with_notes(notes)
}

/// Renders diagnostics as text, with ANSI colours when `colour` is set.
pub fn to_text(file: &SourceFile, diagnostics: &[Diagnostic], colour: bool) -> String {
    let files = SimpleFile::new(file.name, file.text);
    let config = term::Config::default();
    let mut buffer = if colour {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    for diagnostic in diagnostics {
        let rendered = to_codespan(diagnostic, file.text.len());
        // Writing into an in-memory buffer cannot fail for I/O reasons; a rendering error
        // (a span outside the file) falls back to a plain line rather than losing it.
        if term::emit_to_write_style(&mut buffer, &config, &files, &rendered).is_err() {
            let (line, column) = file
                .lines
                .line_column(file.text, diagnostic.primary.span.start as usize);
            let plain = format!(
                "{}[{}]: {} at {}:{line}:{column}\n",
                if diagnostic.is_error() {
                    "error"
                } else {
                    "warning"
                },
                diagnostic.code.code(),
                diagnostic.message,
                file.name
            );
            let _ = std::io::Write::write_all(&mut buffer, plain.as_bytes());
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// A position range in JSON output: byte offsets plus 1-based lines and columns.
#[derive(Debug, Serialize)]
pub struct JsonRange {
    pub start: u32,
    pub end: u32,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

#[derive(Debug, Serialize)]
pub struct JsonLabel {
    pub message: String,
    #[serde(flatten)]
    pub range: JsonRange,
}

/// One diagnostic as `awmc check --format json` prints it.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    pub file: String,
    #[serde(flatten)]
    pub range: JsonRange,
    pub labels: Vec<JsonLabel>,
    pub help: Option<String>,
    /// For a problem in a data file: its path as the spec writes it, and the line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_line: Option<usize>,
}

fn range(file: &SourceFile, label: &Label) -> JsonRange {
    let (line, column) = file.lines.line_column(file.text, label.span.start as usize);
    let (end_line, end_column) = file.lines.line_column(file.text, label.span.end as usize);
    JsonRange {
        start: label.span.start,
        end: label.span.end,
        line,
        column,
        end_line,
        end_column,
    }
}

pub fn to_json(file: &SourceFile, diagnostic: &Diagnostic) -> JsonDiagnostic {
    let mut labels = vec![JsonLabel {
        message: diagnostic.primary.message.clone(),
        range: range(file, &diagnostic.primary),
    }];
    labels.extend(diagnostic.secondary.iter().map(|label| JsonLabel {
        message: label.message.clone(),
        range: range(file, label),
    }));
    JsonDiagnostic {
        code: diagnostic.code.code(),
        name: diagnostic.code.name(),
        severity: diagnostic.severity(),
        message: diagnostic.message.clone(),
        file: file.name.to_string(),
        range: range(file, &diagnostic.primary),
        labels,
        help: diagnostic.help.clone(),
        data_file: diagnostic.data_line.as_ref().map(|d| d.path.clone()),
        data_line: diagnostic.data_line.as_ref().map(|d| d.line),
    }
}
