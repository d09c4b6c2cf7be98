//! Navigation over the checker's symbol index: go to definition, find references, and
//! rename (every occurrence of a declared entity, declaration included). Definition falls
//! back on names and types when the index has nothing at the cursor (half-typed text).

use crate::check::resolution::NameRes;
use crate::check::symbols::Occurrence;
use crate::driver::Analysis;
use crate::span::Span;
use crate::syntax::ast::Item;

use super::describe;
use super::hover::word_at;

/// The occurrence of a declared entity at byte `offset` (or just before it, so a cursor
/// at the end of a name counts).
pub fn occurrence_at(offset: usize, analysis: &Analysis) -> Option<Occurrence> {
    let resolutions = &analysis.checked.resolutions;
    resolutions
        .symbol_at(offset)
        .or_else(|| offset.checked_sub(1).and_then(|o| resolutions.symbol_at(o)))
        .copied()
}

/// Every occurrence of the entity at `offset`, in text order.
pub fn references(offset: usize, analysis: &Analysis, with_declaration: bool) -> Vec<Span> {
    let Some(at) = occurrence_at(offset, analysis) else {
        return Vec::new();
    };
    let mut spans: Vec<Span> = analysis
        .checked
        .resolutions
        .occurrences(at.symbol)
        .filter(|o| with_declaration || !o.declaration)
        .map(|o| o.span)
        .collect();
    spans.sort_by_key(|s| (s.start, s.end));
    spans.dedup();
    spans
}

/// Whether `name` can replace an identifier: letters, digits and `_`, not starting with a
/// digit, and not a keyword.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !super::completion::KEYWORDS.contains(&name)
}

/// The span of the declaration of what is at byte `offset`.
pub fn definition(text: &str, offset: usize, analysis: &Analysis) -> Option<Span> {
    let model = &analysis.checked.model;
    let resolutions = &analysis.checked.resolutions;
    if let Some(at) = occurrence_at(offset, analysis)
        && let Some(declared) = resolutions.declaration(at.symbol)
    {
        return Some(declared);
    }
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
    if let Some((table, column)) = describe::dotted_column(text, span, word, analysis) {
        return model.tables[table.0].columns.get(column).map(|c| c.span);
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
