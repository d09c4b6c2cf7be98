//! Completion: after `x.`, the columns of the table `x` names or of the row `x` holds;
//! inside a task's `solution`, tools and (inside a call's parentheses) that tool's
//! parameters; elsewhere keywords, types, tables, enums and members, tools and built-in
//! functions. Names come from the last analysis that got as far as a model, so completion
//! keeps working while the text is half-typed.

use lsp_types::{CompletionItem, CompletionItemKind, Documentation, MarkupContent, MarkupKind};

use super::describe;
use crate::check::model::{Model, TableId};
use crate::driver::Analysis;

pub(super) const KEYWORDS: &[&str] = &[
    "env",
    "enum",
    "table",
    "seed",
    "tool",
    "task",
    "let",
    "require",
    "else",
    "for",
    "in",
    "if",
    "return",
    "insert",
    "update",
    "delete",
    "upsert",
    "where",
    "and",
    "or",
    "not",
    "true",
    "false",
    "null",
    "expect",
    "solution",
    "verify",
    "set",
    "on",
    "select",
    "order",
    "group",
    "by",
    "asc",
    "desc",
    "limit",
    "offset",
    "primary",
    "auto",
    "unique",
    "index",
    "check",
    "between",
    "contains",
    "starts_with",
    "ends_with",
    "mentions",
    "except",
    "answer",
    "me",
    "initial",
    "final",
    "unchanged",
];

const TYPES: &[&str] = &["int", "real", "text", "bool", "datetime", "date"];

/// The completions at byte `offset` of `text`.
pub fn complete(text: &str, offset: usize, analysis: &Analysis) -> Vec<CompletionItem> {
    let model = &analysis.checked.model;
    let before = text.get(..offset).unwrap_or_default();
    let word_start = before
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    let ahead = &before[..word_start];
    if let Some(base) = ahead.strip_suffix('.') {
        let base_start = base
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        return members(&base[base_start..], text, analysis);
    }
    if let Some(tool) = open_solution_call(ahead, model) {
        return model.tools[tool]
            .params
            .iter()
            .map(|p| {
                item(
                    &p.name,
                    CompletionItemKind::VARIABLE,
                    Some(p.ty.display(model)),
                    None,
                )
            })
            .collect();
    }
    let mut items: Vec<CompletionItem> = Vec::new();
    if in_solution(ahead) {
        items.extend(model.tools.iter().enumerate().map(|(index, t)| {
            let doc = describe::tool(model, &analysis.spec, crate::check::model::ToolId(index));
            item(
                &t.name,
                CompletionItemKind::FUNCTION,
                Some("tool".into()),
                Some(doc),
            )
        }));
        return items;
    }
    items.extend(
        KEYWORDS
            .iter()
            .map(|k| item(k, CompletionItemKind::KEYWORD, None, None)),
    );
    items.extend(TYPES.iter().map(|t| {
        item(
            t,
            CompletionItemKind::TYPE_PARAMETER,
            Some("type".into()),
            None,
        )
    }));
    items.extend(model.tables.iter().enumerate().map(|(index, t)| {
        item(
            &t.name,
            CompletionItemKind::STRUCT,
            Some("table".into()),
            Some(describe::table(model, TableId(index))),
        )
    }));
    for (index, e) in model.enums.iter().enumerate() {
        let id = crate::check::model::EnumId(index);
        items.push(item(
            &e.name,
            CompletionItemKind::ENUM,
            Some("enum".into()),
            Some(describe::enumeration(model, id)),
        ));
        items.extend(e.members.iter().map(|m| {
            item(
                m,
                CompletionItemKind::ENUM_MEMBER,
                Some(e.name.clone()),
                None,
            )
        }));
    }
    items.extend(model.tools.iter().map(|t| {
        item(
            &t.name,
            CompletionItemKind::FUNCTION,
            Some("tool".into()),
            None,
        )
    }));
    items.extend(awm_stdlib::functions::FUNCTIONS.iter().map(|f| {
        item(
            f.name,
            CompletionItemKind::FUNCTION,
            Some("built-in".into()),
            Some(describe::function(f)),
        )
    }));
    items.dedup_by(|a, b| a.label == b.label && a.kind == b.kind);
    items
}

/// The columns after `base.`: of the table `base` names, or of the row a binding holds.
fn members(base: &str, text: &str, analysis: &Analysis) -> Vec<CompletionItem> {
    let model = &analysis.checked.model;
    let table = model.table(base).or_else(|| {
        // A binding or column named `base` whose type is a row or a foreign key.
        analysis
            .checked
            .resolutions
            .names
            .keys()
            .filter_map(|span| {
                let name = text.get(span.range())?;
                (name == base).then(|| analysis.checked.resolutions.ty(*span).clone())
            })
            .find_map(|ty| describe::row_table(&ty))
    });
    let mut items = Vec::new();
    if let Some(table) = table {
        items.extend(
            model.tables[table.0]
                .columns
                .iter()
                .enumerate()
                .map(|(index, c)| {
                    item(
                        &c.name,
                        CompletionItemKind::FIELD,
                        Some(c.ty.display(model)),
                        Some(describe::column(model, table, index)),
                    )
                }),
        );
    }
    if let Some(id) = model.enum_named(base) {
        items.extend(model.enums[id.0].members.iter().map(|m| {
            item(
                m,
                CompletionItemKind::ENUM_MEMBER,
                Some(base.to_string()),
                None,
            )
        }));
    }
    items
}

/// Whether the text before the cursor is inside a `solution { … }` block.
fn in_solution(before: &str) -> bool {
    let Some(start) = before.rfind("solution") else {
        return false;
    };
    let rest = &before[start..];
    let opened = rest.matches('{').count();
    let closed = rest.matches('}').count();
    opened > closed && !rest.contains("verify")
}

/// The tool whose call's parentheses the cursor is in, inside a solution.
fn open_solution_call(before: &str, model: &Model) -> Option<usize> {
    if !in_solution(before) {
        return None;
    }
    let open = before.rfind('(')?;
    if before[open..].contains(')') {
        return None;
    }
    let head = before[..open].trim_end();
    let start = head
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    // Only at a parameter name's position: after `(` or `,`.
    let last = before[open..].rfind([',', '(', ':'])?;
    if before.as_bytes().get(open + last) == Some(&b':') {
        return None;
    }
    model.tool(&head[start..]).map(|id| id.0)
}

fn item(
    label: &str,
    kind: CompletionItemKind,
    detail: Option<String>,
    doc: Option<String>,
) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail,
        documentation: doc.map(|value| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            })
        }),
        ..CompletionItem::default()
    }
}
