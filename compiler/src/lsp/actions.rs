//! Quick fixes: a diagnostic whose help says "did you mean `x`?" offers to replace the text
//! it points at with `x`.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Diagnostic, TextEdit, Uri, WorkspaceEdit,
};

/// The quick fixes for the diagnostics a client sent with its code-action request.
pub fn quick_fixes(uri: &Uri, diagnostics: &[Diagnostic]) -> Vec<CodeActionOrCommand> {
    diagnostics
        .iter()
        .filter_map(|diagnostic| {
            let help = diagnostic.data.as_ref()?.get("help")?.as_str()?;
            let replacement = suggestion(help)?;
            let edit = TextEdit::new(diagnostic.range, replacement.to_string());
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Replace with `{replacement}`"),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(true),
                ..CodeAction::default()
            }))
        })
        .collect()
}

/// `x` from a help line "did you mean `x`?" (and nothing from any other help).
pub fn suggestion(help: &str) -> Option<&str> {
    let rest = help.strip_prefix("did you mean `")?;
    let (name, tail) = rest.split_once('`')?;
    (tail.starts_with('?') && !name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::suggestion;

    #[test]
    fn only_did_you_mean_helps_are_fixes() {
        assert_eq!(suggestion("did you mean `stock`?"), Some("stock"));
        assert_eq!(suggestion("the columns here are `id`, `name`"), None);
        assert_eq!(suggestion("did you mean ``?"), None);
    }
}
