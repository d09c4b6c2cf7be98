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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Checked, check};
    use crate::syntax::parse;

    const SPEC: &str = r#"env t {
  user: users(id: 1)
  clock: 2026-01-01T00:00:00Z
}
enum tier { basic, gold }
table users {
  id: int primary
  name: text
  level: tier = basic
}
table points {
  id: int primary auto
  user_id: int -> users
  amount: int check(amount > 0)
  index (user_id)
  unique (user_id, amount)
}
table counters {
  owner: int primary -> users
  total: int = 0
}
seed users [ { id: 1, name: "Ann", level: gold } ]
tool add(amount: int check(amount between 1 and 100)) -> counters "Add points." {
  insert points { user_id: me.id, amount: amount }
  return upsert counters { owner: me.id, total: amount } on (owner) set { total: total + excluded.total }
}
tool by_level() -> [{ level: tier, n: int }] "Count users by level." {
  return users group by level select { level: level, n: count() }
}
tool reset(owner_id: int) -> int "Reset one user's points." {
  let gone: int = delete points where user_id == owner_id
  update counters where owner == owner_id set { total: 0 }
  return gone
}
tool find(key: int) -> users? "Look a user up." {
  return users(id: key)
}
task add_five "Add 5 points." {
  solution { add(amount: 5) }
  verify { expect final.counters(1).total == 5 }
}
"#;

    fn checked() -> Checked {
        let (spec, syntax) = parse(SPEC);
        assert!(syntax.is_empty(), "{syntax:?}");
        let checked = check(&spec);
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        checked
    }

    /// What the identifier `offset` bytes into the first `needle` names: the symbol's
    /// name (a binding's is its declared text) and whether it is declared there.
    fn at(checked: &Checked, needle: &str, offset: usize) -> Option<(String, bool)> {
        let start = SPEC.find(needle)? + offset;
        let occurrence = checked.resolutions.symbol_at(start)?;
        let name = match occurrence.symbol {
            Symbol::Binding(span) => SPEC.get(span.range())?,
            symbol => symbol.name(&checked.model)?,
        };
        Some((name.to_string(), occurrence.declaration))
    }

    #[test]
    fn less_common_places_are_indexed() {
        let checked = checked();
        let reference = |name: &str| Some((name.to_string(), false));
        // The env's user, by its named key.
        assert_eq!(at(&checked, "users(id: 1)", 6), reference("id"));
        // `-> users` without a column, key lists, a parameter in its own check.
        assert_eq!(at(&checked, "-> users\n", 3), reference("users"));
        assert_eq!(at(&checked, "index (user_id)", 7), reference("user_id"));
        assert_eq!(
            at(&checked, "unique (user_id, amount)", 17),
            reference("amount")
        );
        let param_check = at(&checked, "check(amount between", 6);
        assert_eq!(param_check, reference("amount"));
        let param = checked
            .resolutions
            .symbol_at(SPEC.find("check(amount between").map_or(0, |i| i + 6));
        assert!(matches!(param.map(|o| o.symbol), Some(Symbol::Param(_, 0))));
        // Upsert: the `on` key, and `excluded.total`.
        assert_eq!(at(&checked, "on (owner)", 4), reference("owner"));
        assert_eq!(at(&checked, "excluded.total", 9), reference("total"));
        assert_eq!(at(&checked, "excluded.total", 0), None);
        // A group key named after its column: its use names the column; the record
        // field of the same name is no entity.
        assert_eq!(at(&checked, "group by level", 9), reference("level"));
        assert_eq!(at(&checked, "{ level: level", 9), reference("level"));
        assert_eq!(at(&checked, "{ level: level", 2), None);
        assert_eq!(at(&checked, "[{ level: tier", 10), reference("tier"));
        // Typed `let`, `delete` and `update` targets, their filters.
        assert_eq!(
            at(&checked, "gone: int", 0),
            Some(("gone".to_string(), true))
        );
        assert_eq!(at(&checked, "return gone", 7), reference("gone"));
        assert_eq!(at(&checked, "delete points", 7), reference("points"));
        assert_eq!(at(&checked, "update counters", 7), reference("counters"));
        assert_eq!(at(&checked, "owner == owner_id", 0), reference("owner"));
        assert_eq!(at(&checked, "owner == owner_id", 9), reference("owner_id"));
        // A lookup by its named key; a state's table and its column.
        assert_eq!(at(&checked, "users(id: key)", 6), reference("id"));
        assert_eq!(
            at(&checked, "final.counters(1).total", 6),
            reference("counters")
        );
        assert_eq!(
            at(&checked, "final.counters(1).total", 18),
            reference("total")
        );
        assert_eq!(at(&checked, "final.counters", 0), None);
    }

    #[test]
    fn lookups_by_symbol() {
        let checked = checked();
        let Some(points) = checked.model.table("points") else {
            panic!("no table points");
        };
        let declared = SPEC.find("table points").map(|i| i + "table ".len());
        assert_eq!(
            checked.resolutions.declaration(Symbol::Table(points)),
            declared.map(|start| Span::new(start, start + "points".len()))
        );
        // Declared, inserted into, deleted from.
        assert_eq!(
            checked
                .resolutions
                .occurrences(Symbol::Table(points))
                .count(),
            3
        );
        assert_eq!(Symbol::Binding(Span::new(0, 1)).name(&checked.model), None);
        assert_eq!(Symbol::Table(points).name(&checked.model), Some("points"));
        assert_eq!(Symbol::Task(TaskId(7)).name(&checked.model), None);
    }
}
