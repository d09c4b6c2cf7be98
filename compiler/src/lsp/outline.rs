//! The document outline (`textDocument/documentSymbol`): tables with their columns, enums
//! with their members, tools with their parameters, tasks, seed blocks and the header.

use lsp_types::{DocumentSymbol, SymbolKind};

use super::document::{Document, Encoding};
use crate::span::Span;
use crate::syntax::ast::{Ident, Item, Spec};

pub fn outline(spec: &Spec, document: &Document, encoding: Encoding) -> Vec<DocumentSymbol> {
    let symbol =
        |name: &Ident, detail: Option<String>, kind, span: Span, children: Vec<DocumentSymbol>| {
            // The selection must lie inside the whole range; recovered items may disagree.
            let whole = if span.start <= name.span.start && name.span.end <= span.end {
                span
            } else {
                name.span
            };
            #[allow(deprecated)]
            DocumentSymbol {
                name: if name.name.is_empty() {
                    "?".into()
                } else {
                    name.name.clone()
                },
                detail,
                kind,
                tags: None,
                deprecated: None,
                range: document.range(whole, encoding),
                selection_range: document.range(name.span, encoding),
                children: (!children.is_empty()).then_some(children),
            }
        };
    spec.items
        .iter()
        .map(|item| match item {
            Item::Env(env) => symbol(
                &env.name,
                Some("env".into()),
                SymbolKind::MODULE,
                env.span,
                Vec::new(),
            ),
            Item::Enum(decl) => {
                let members = decl
                    .members
                    .iter()
                    .map(|m| {
                        symbol(
                            &m.name,
                            None,
                            SymbolKind::ENUM_MEMBER,
                            m.name.span,
                            Vec::new(),
                        )
                    })
                    .collect();
                symbol(
                    &decl.name,
                    Some("enum".into()),
                    SymbolKind::ENUM,
                    decl.span,
                    members,
                )
            }
            Item::Table(table) => {
                let columns = table
                    .columns
                    .iter()
                    .map(|c| symbol(&c.name, None, SymbolKind::FIELD, c.span, Vec::new()))
                    .collect();
                symbol(
                    &table.name,
                    Some("table".into()),
                    SymbolKind::STRUCT,
                    table.span,
                    columns,
                )
            }
            Item::Seed(seed) => symbol(
                &seed.table,
                Some(format!("seed, {} rows", seed.rows.len())),
                SymbolKind::ARRAY,
                seed.span,
                Vec::new(),
            ),
            Item::Tool(tool) => {
                let params = tool
                    .params
                    .iter()
                    .map(|p| symbol(&p.name, None, SymbolKind::VARIABLE, p.span, Vec::new()))
                    .collect();
                symbol(
                    &tool.name,
                    Some("tool".into()),
                    SymbolKind::FUNCTION,
                    tool.span,
                    params,
                )
            }
            Item::Task(task) => symbol(
                &task.name,
                Some("task".into()),
                SymbolKind::EVENT,
                task.span,
                Vec::new(),
            ),
        })
        .collect()
}
