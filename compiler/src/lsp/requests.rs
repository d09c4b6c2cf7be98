//! One function per request: each gets the open document and the cursor's byte offset
//! (found by the server) and returns the result as LSP values; `None` is a `null` result.

use std::collections::HashMap;

use lsp_types::{
    CompletionResponse, Hover, HoverContents, Location, MarkupContent, MarkupKind, Position, Range,
    TextEdit, Uri, WorkspaceEdit,
};

use super::document::{Document, Encoding};
use super::{completion, hover, navigation};

/// A request failed: the JSON-RPC error's message (the server picks the code).
pub type Refusal = String;

pub fn hover(document: &mut Document, offset: usize, encoding: Encoding) -> Option<Hover> {
    let text = document.text.clone();
    let (markdown, span) = hover::hover(&text, offset, document.analysis())?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: Some(document.range(span, encoding)),
    })
}

pub fn completion(document: &mut Document, offset: usize) -> CompletionResponse {
    let text = document.text.clone();
    CompletionResponse::Array(completion::complete(&text, offset, document.analysis()))
}

pub fn definition(
    uri: &Uri,
    document: &mut Document,
    offset: usize,
    encoding: Encoding,
) -> Option<Location> {
    let text = document.text.clone();
    let span = navigation::definition(&text, offset, document.analysis())?;
    Some(Location::new(uri.clone(), document.range(span, encoding)))
}

pub fn references(
    uri: &Uri,
    document: &mut Document,
    offset: usize,
    encoding: Encoding,
    with_declaration: bool,
) -> Vec<Location> {
    navigation::references(offset, document.analysis(), with_declaration)
        .into_iter()
        .map(|span| Location::new(uri.clone(), document.range(span, encoding)))
        .collect()
}

pub fn prepare_rename(
    document: &mut Document,
    offset: usize,
    encoding: Encoding,
) -> Result<Range, Refusal> {
    match navigation::occurrence_at(offset, document.analysis()) {
        Some(at) => Ok(document.range(at.span, encoding)),
        None => Err(
            "only a declared name (table, column, enum, member, tool, parameter, \
                     task, binding) can be renamed"
                .into(),
        ),
    }
}

pub fn rename(
    uri: &Uri,
    document: &mut Document,
    offset: usize,
    encoding: Encoding,
    new_name: &str,
) -> Result<WorkspaceEdit, Refusal> {
    if !navigation::is_identifier(new_name) {
        return Err(format!(
            "`{new_name}` is not a name (letters, digits and `_`, not a keyword)"
        ));
    }
    let spans = navigation::references(offset, document.analysis(), true);
    if spans.is_empty() {
        return Err("there is no declared name here to rename".into());
    }
    let edits = spans
        .into_iter()
        .map(|span| TextEdit::new(document.range(span, encoding), new_name.to_string()))
        .collect();
    Ok(WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    })
}

/// The whole document in `awmc fmt`'s layout: one edit, none when it is formatted, and
/// `None` when it has syntax errors (the diagnostics say why).
pub fn formatting(document: &Document, encoding: Encoding) -> Option<Vec<TextEdit>> {
    let formatted = crate::fmt::format(&document.text).ok()?;
    if formatted == document.text {
        return Some(Vec::new());
    }
    let whole = Range::new(
        Position::new(0, 0),
        document.position(document.text.len(), encoding),
    );
    Some(vec![TextEdit::new(whole, formatted)])
}
