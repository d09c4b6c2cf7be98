//! The checker's diagnostics as LSP diagnostics: the same values `awmc check` prints, with
//! the code linking to its page of the diagnostic index, secondary labels as related
//! information, and the help line in the message (and in `data`, for quick fixes).

use lsp_types::{
    CodeDescription, Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity,
    Location, NumberOrString, Uri,
};

use super::document::{Document, Encoding};
use crate::diagnostic::{Diagnostic, Severity};

/// Where a code's documentation is: its section of `dsl-spec/diagnostics.md` in the
/// repository awmc was built from (`awmc explain CODE` prints the same text).
pub fn documentation_uri(diagnostic: &Diagnostic) -> Option<Uri> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let root = root.canonicalize().unwrap_or(root);
    let anchor = format!(
        "{}-{}",
        diagnostic.code.code().to_ascii_lowercase(),
        diagnostic.code.name()
    );
    format!("file://{}/dsl-spec/diagnostics.md#{anchor}", root.display())
        .parse()
        .ok()
}

/// One diagnostic for the client.
pub fn to_lsp(
    diagnostic: &Diagnostic,
    document: &Document,
    uri: &Uri,
    encoding: Encoding,
) -> LspDiagnostic {
    let mut message = diagnostic.message.clone();
    if !diagnostic.primary.message.is_empty() && diagnostic.primary.message != message {
        message.push_str(&format!(" ({})", diagnostic.primary.message));
    }
    if let Some(help) = &diagnostic.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let mut related: Vec<DiagnosticRelatedInformation> = diagnostic
        .secondary
        .iter()
        .map(|label| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), document.range(label.span, encoding)),
            message: label.message.clone(),
        })
        .collect();
    // A problem in a data file links to its line there.
    if let Some(data) = &diagnostic.data_line
        && let Some(file) = document.data_file_uri(&data.path)
    {
        let line = data.line.saturating_sub(1) as u32;
        related.push(DiagnosticRelatedInformation {
            location: Location::new(
                file,
                lsp_types::Range::new(
                    lsp_types::Position::new(line, 0),
                    lsp_types::Position::new(line + 1, 0),
                ),
            ),
            message: format!("line {} of {}", data.line, data.path),
        });
    }
    LspDiagnostic {
        range: document.range(diagnostic.primary.span, encoding),
        severity: Some(match diagnostic.severity() {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(diagnostic.code.code().to_string())),
        code_description: documentation_uri(diagnostic).map(|href| CodeDescription { href }),
        source: Some("awmc".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: diagnostic
            .help
            .as_ref()
            .map(|help| serde_json::json!({ "name": diagnostic.code.name(), "help": help })),
    }
}
