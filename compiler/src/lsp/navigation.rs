//! Go to definition: the declaration of the name under the cursor — a binding, a column
//! (bare or after a dot), a table, an enum, a tool, a parameter or a task.

use crate::check::resolution::NameRes;
use crate::driver::Analysis;
use crate::span::Span;
use crate::syntax::ast::Item;

use super::describe;
use super::hover::word_at;

/// The span of the declaration of what is at byte `offset`.
pub fn definition(text: &str, offset: usize, analysis: &Analysis) -> Option<Span> {
    let model = &analysis.checked.model;
    let resolutions = &analysis.checked.resolutions;
    let (word, span) = word_at(text, offset)?;
    match resolutions.names.get(&span) {
        Some(NameRes::Binding { declared, .. }) => return Some(*declared),
        Some(NameRes::Column { table, column, .. }) => {
            return model.tables[table.0].columns.get(*column).map(|c| c.span);
        }
        Some(NameRes::Table(table) | NameRes::Excluded(table)) => {
            return Some(model.tables[table.0].span);
        }
        _ => {}
    }
    if text.as_bytes().get((span.start as usize).wrapping_sub(1)) == Some(&b'.') {
        let base = resolutions
            .types
            .iter()
            .filter(|(s, _)| s.end + 1 == span.start)
            .min_by_key(|(s, _)| s.end - s.start)
            .map(|(_, ty)| ty);
        if let Some(table) = base.and_then(describe::row_table) {
            return model.tables[table.0]
                .columns
                .iter()
                .find(|c| c.name == word)
                .map(|c| c.span);
        }
    }
    if let Some(table) = model.table(word) {
        return Some(model.tables[table.0].span);
    }
    if let Some(tool) = model.tool(word) {
        return Some(model.tools[tool.0].span);
    }
    if let Some(id) = model.enum_named(word) {
        return Some(model.enums[id.0].span);
    }
    analysis.spec.items.iter().find_map(|item| match item {
        Item::Task(task) if task.name.name == word => Some(task.name.span),
        _ => None,
    })
}
