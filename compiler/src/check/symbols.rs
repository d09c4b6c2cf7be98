//! The symbol index: every place a spec names a declared entity (table, column, enum,
//! member, tool, parameter, task, binding), declarations included, for the language server
//! (go to definition, find references, rename, hover). The checker records an occurrence
//! wherever it resolves a name, so the index costs one push per resolved identifier.

use super::Model;
use super::model::{EnumId, TableId, TaskId, ToolId};
use super::resolution::Resolutions;
use crate::span::Span;

/// A declared entity of a spec. Indices are positions in the model's lists (a column's in
/// its table's `columns`, a member's in its enum's `members`, a parameter's in its tool's
/// `params`); a name declared twice has no index of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Symbol {
    Table(TableId),
    Column(TableId, usize),
    Enum(EnumId),
    Member(EnumId, usize),
    Tool(ToolId),
    Param(ToolId, usize),
    Task(TaskId),
    /// A `let`, loop variable or group key, identified by the span of its declaring name.
    Binding(Span),
}

impl Symbol {
    /// The declared name, from the model; `None` for a binding (its name is the source
    /// text at its span) and for an index the model does not have.
    pub fn name(self, model: &Model) -> Option<&str> {
        let name = match self {
            Symbol::Table(table) => &model.tables.get(table.0)?.name,
            Symbol::Column(table, column) => &model.tables.get(table.0)?.columns.get(column)?.name,
            Symbol::Enum(id) => &model.enums.get(id.0)?.name,
            Symbol::Member(id, member) => model.enums.get(id.0)?.members.get(member)?,
            Symbol::Tool(tool) => &model.tools.get(tool.0)?.name,
            Symbol::Param(tool, param) => &model.tools.get(tool.0)?.params.get(param)?.name,
            Symbol::Task(task) => &model.tasks.get(task.0)?.name,
            Symbol::Binding(_) => return None,
        };
        Some(name)
    }
}

/// One place a symbol is named. The span covers exactly the identifier's text, so a
/// rename replaces exactly that text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Occurrence {
    pub span: Span,
    pub symbol: Symbol,
    /// Whether this is the declaring name (`table products`, `let p = …`).
    pub declaration: bool,
}

impl Resolutions {
    /// The occurrence whose identifier contains the byte `offset` (half-open: the offset
    /// just past an identifier's last character is not in it; a cursor there may ask again
    /// with `offset - 1`).
    pub fn symbol_at(&self, offset: usize) -> Option<&Occurrence> {
        let offset = u32::try_from(offset).ok()?;
        self.symbols
            .iter()
            .find(|o| o.span.start <= offset && offset < o.span.end)
    }

    /// Every occurrence of `symbol`, declaration included, in the order the checker met
    /// them (not sorted by position).
    pub fn occurrences(&self, symbol: Symbol) -> impl Iterator<Item = &Occurrence> + '_ {
        self.symbols.iter().filter(move |o| o.symbol == symbol)
    }

    /// The span of the name that declares `symbol`, if the spec declares it.
    pub fn declaration(&self, symbol: Symbol) -> Option<Span> {
        self.symbols
            .iter()
            .find(|o| o.declaration && o.symbol == symbol)
            .map(|o| o.span)
    }
}
