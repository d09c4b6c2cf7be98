//! Hover: what the name under the cursor is (a table, column, enum member, tool,
//! parameter, binding or built-in function, with its type and description), or else the
//! type of the smallest expression around the cursor.

use crate::check::model::ToolId;
use crate::check::resolution::NameRes;
use crate::driver::Analysis;
use crate::span::Span;
use crate::syntax::ast::Item;

use super::describe;

/// Markdown for the hover at byte `offset`, with the span it describes.
pub fn hover(text: &str, offset: usize, analysis: &Analysis) -> Option<(String, Span)> {
    let model = &analysis.checked.model;
    let resolutions = &analysis.checked.resolutions;
    if let Some(found) = symbol_hover(offset, analysis) {
        return Some(found);
    }
    let at = offset as u32;
    let innermost = |spans: &mut dyn Iterator<Item = Span>| {
        spans
            .filter(|s| s.start <= at && at < s.end.max(s.start + 1))
            .min_by_key(|s| s.end - s.start)
    };
    // A bare name the checker resolved.
    if let Some(span) = innermost(&mut resolutions.names.keys().copied()) {
        let ty = resolutions.ty(span).display(model);
        let markdown = match resolutions.names.get(&span) {
            Some(NameRes::Column { table, column, .. }) => describe::column(model, *table, *column),
            Some(NameRes::Table(table)) => describe::table(model, *table),
            Some(NameRes::Binding { name, .. }) => format!("```awm\n{name}: {ty}\n```"),
            Some(NameRes::EnumMember(member)) => {
                format!("```awm\n{member}: {ty}\n```\nenum member")
            }
            _ => format!(
                "```awm\n{}: {ty}\n```",
                text.get(span.range()).unwrap_or_default()
            ),
        };
        return Some((markdown, span));
    }
    let (word, span) = word_at(text, offset)?;
    // A field after a dot: the column of the row (or referenced row) on its left.
    if let Some((table, column)) = describe::dotted_column(text, span, word, analysis) {
        return Some((describe::column(model, table, column), span));
    }
    // A declared name.
    if let Some(table) = model.table(word) {
        return Some((describe::table(model, table), span));
    }
    if let Some(tool) = model.tool(word) {
        return Some((describe::tool(model, &analysis.spec, tool), span));
    }
    if let Some(id) = model.enum_named(word) {
        return Some((describe::enumeration(model, id), span));
    }
    if let Some(task) = analysis
        .spec
        .items
        .iter()
        .position(|item| matches!(item, Item::Task(t) if t.name.name == word))
    {
        return Some((describe::task(&analysis.spec, task), span));
    }
    if let Some((tool, param)) = declared_param(analysis, span) {
        return Some((describe::param(model, &analysis.spec, tool, param), span));
    }
    if let Some(function) = awm_stdlib::functions::FUNCTIONS
        .iter()
        .find(|f| f.name == word)
    {
        return Some((describe::function(function), span));
    }
    // The type of the expression around the cursor.
    let span = innermost(&mut resolutions.types.keys().copied())?;
    let ty = resolutions.ty(span).display(model);
    Some((format!("```awm\n{ty}\n```"), span))
}

/// The description of the declared entity at `offset`, from the symbol index.
fn symbol_hover(offset: usize, analysis: &Analysis) -> Option<(String, Span)> {
    use crate::check::symbols::Symbol;
    let model = &analysis.checked.model;
    let at = super::navigation::occurrence_at(offset, analysis)?;
    let markdown = match at.symbol {
        Symbol::Table(table) => describe::table(model, table),
        Symbol::Column(table, column) => describe::column(model, table, column),
        Symbol::Enum(id) => describe::enumeration(model, id),
        Symbol::Member(id, member) => describe::member(model, id, member),
        Symbol::Tool(tool) => describe::tool(model, &analysis.spec, tool),
        Symbol::Param(tool, param) => describe::param(model, &analysis.spec, tool, param),
        Symbol::Task(task) => describe::task(&analysis.spec, model.tasks.get(task.0)?.item),
        // Bindings: their type where used (below), from the name resolutions.
        Symbol::Binding(_) => return None,
    };
    Some((markdown, at.span))
}

/// The parameter declared at `span`, if any.
fn declared_param(analysis: &Analysis, span: Span) -> Option<(ToolId, usize)> {
    analysis.spec.items.iter().find_map(|item| match item {
        Item::Tool(tool) => {
            let index = tool.params.iter().position(|p| p.name.span == span)?;
            analysis
                .checked
                .model
                .tool(&tool.name.name)
                .map(|id| (id, index))
        }
        _ => None,
    })
}

/// The identifier around byte `offset`.
pub fn word_at(text: &str, offset: usize) -> Option<(&str, Span)> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let offset = offset.min(text.len());
    let start = text
        .get(..offset)?
        .rfind(|c: char| !is_word(c))
        .map_or(0, |i| i + 1);
    let end = text
        .get(offset..)?
        .find(|c: char| !is_word(c))
        .map_or(text.len(), |i| offset + i);
    (start < end).then(|| {
        (
            &text[start..end],
            Span {
                start: start as u32,
                end: end as u32,
            },
        )
    })
}
