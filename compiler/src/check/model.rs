//! The resolved model of a spec: enums, tables, tools and tasks with typed IDs, built by
//! the checker's passes and read by every later stage (lowering, the language server).

use std::collections::HashMap;

use super::types::Ty;
use super::value::Value;
use crate::span::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EnumId(pub usize);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TableId(pub usize);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ToolId(pub usize);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskId(pub usize);

/// Everything the checker resolved. Indices into the AST's `items` link back to syntax.
#[derive(Debug, Default)]
pub struct Model {
    pub env: Option<EnvInfo>,
    pub enums: Vec<EnumInfo>,
    pub tables: Vec<TableInfo>,
    pub tools: Vec<ToolInfo>,
    pub tasks: Vec<TaskInfo>,
    /// Seed rows per table, after defaults and auto keys were filled in.
    pub seed: Vec<Vec<SeedRow>>,
    /// The data files seed rows were read from (`seed t from "…"`), in declaration order.
    pub seed_files: Vec<SeedFile>,
    enum_names: HashMap<String, EnumId>,
    table_names: HashMap<String, TableId>,
    tool_names: HashMap<String, ToolId>,
}

#[derive(Debug, Clone)]
pub struct EnvInfo {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The signed-in user: the table and the primary key of its row.
    pub user: Option<(TableId, Value)>,
    /// Whether the header has a `user` field at all (valid or not).
    pub declares_user: bool,
    /// The logical clock, canonical `YYYY-MM-DDTHH:MM:SSZ`.
    pub clock: String,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct EnumInfo {
    pub name: String,
    pub members: Vec<String>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct TableInfo {
    pub name: String,
    pub description: Option<String>,
    pub columns: Vec<ColumnInfo>,
    /// The primary key column, once resolved.
    pub primary_key: Option<usize>,
    /// Unique keys, single and composite, by column index (the primary key not included).
    pub uniques: Vec<Vec<usize>>,
    pub item: usize,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct ColumnInfo {
    pub name: String,
    /// The column's type: a scalar, an enum or a foreign key, possibly optional.
    pub ty: Ty,
    pub primary: bool,
    pub auto: bool,
    pub unique: bool,
    pub foreign_key: Option<(TableId, usize)>,
    /// The default value, when it is a constant; `now()` defaults are folded to the clock.
    pub default: Option<Value>,
    pub description: Option<String>,
    pub span: Span,
}

impl ColumnInfo {
    /// Whether an insert or a seed row must give this column a value.
    pub fn is_required(&self) -> bool {
        !self.ty.is_optional() && self.default.is_none() && !self.auto
    }
}

#[derive(Debug, Clone)]
pub struct ToolInfo {
    pub name: String,
    pub params: Vec<ParamInfo>,
    pub result: Option<Ty>,
    pub item: usize,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct ParamInfo {
    pub name: String,
    pub ty: Ty,
    pub has_default: bool,
    /// The default's value, when it is a constant.
    pub default: Option<Value>,
    pub span: Span,
}

impl ParamInfo {
    /// Whether a call must pass this parameter.
    pub fn is_required(&self) -> bool {
        !self.has_default && !self.ty.is_optional()
    }
}

#[derive(Debug, Clone)]
pub struct TaskInfo {
    pub name: String,
    pub item: usize,
    pub span: Span,
}

/// One seed row: a value per column (null where none was given).
#[derive(Debug, Clone)]
pub struct SeedRow {
    pub values: Vec<Value>,
    /// The row's record, or for a row from a data file the declaration's path string.
    pub span: Span,
    /// Whether every value was given or defaulted and well typed; incomplete rows have a
    /// diagnostic and are left out of constraint checks.
    pub complete: bool,
    /// Where in a data file the row was read, when it was.
    pub origin: Option<RowOrigin>,
}

/// A line of a data file: `file` indexes [`Model::seed_files`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowOrigin {
    pub file: usize,
    pub line: usize,
}

/// A data file seed rows were read from.
#[derive(Debug, Clone)]
pub struct SeedFile {
    /// The path as written in the spec.
    pub path: String,
    pub table: TableId,
    /// The path string of the `seed … from` declaration.
    pub span: Span,
    /// How many rows it gave.
    pub rows: usize,
}

impl Model {
    pub fn table(&self, name: &str) -> Option<TableId> {
        self.table_names.get(name).copied()
    }

    pub fn enum_named(&self, name: &str) -> Option<EnumId> {
        self.enum_names.get(name).copied()
    }

    pub fn tool(&self, name: &str) -> Option<ToolId> {
        self.tool_names.get(name).copied()
    }

    /// Adds a table; returns `None` (and keeps the first) when the name is taken.
    pub(crate) fn add_table(&mut self, table: TableInfo) -> Option<TableId> {
        let id = TableId(self.tables.len());
        if self.table_names.contains_key(&table.name) {
            return None;
        }
        self.table_names.insert(table.name.clone(), id);
        self.tables.push(table);
        self.seed.push(Vec::new());
        Some(id)
    }

    pub(crate) fn add_enum(&mut self, info: EnumInfo) -> Option<EnumId> {
        let id = EnumId(self.enums.len());
        if self.enum_names.contains_key(&info.name) {
            return None;
        }
        self.enum_names.insert(info.name.clone(), id);
        self.enums.push(info);
        Some(id)
    }

    pub(crate) fn add_tool(&mut self, tool: ToolInfo) -> Option<ToolId> {
        let id = ToolId(self.tools.len());
        if self.tool_names.contains_key(&tool.name) {
            return None;
        }
        self.tool_names.insert(tool.name.clone(), id);
        self.tools.push(tool);
        Some(id)
    }

    pub fn column(&self, table: TableId, name: &str) -> Option<(usize, &ColumnInfo)> {
        self.tables[table.0]
            .columns
            .iter()
            .enumerate()
            .find(|(_, c)| c.name == name)
    }

    pub fn table_names(&self) -> impl Iterator<Item = &str> {
        self.tables.iter().map(|t| t.name.as_str())
    }

    pub fn column_names(&self, table: TableId) -> impl Iterator<Item = &str> {
        self.tables[table.0].columns.iter().map(|c| c.name.as_str())
    }

    /// The type of a column as read from a row.
    pub fn column_type(&self, table: TableId, column: usize) -> Ty {
        self.tables[table.0].columns[column].ty.clone()
    }

    /// The enum with a member called `name`, if exactly one enum has one.
    pub fn enum_with_member(&self, name: &str) -> Option<EnumId> {
        let mut found = self
            .enums
            .iter()
            .enumerate()
            .filter(|(_, e)| e.members.iter().any(|m| m == name));
        let first = found.next().map(|(i, _)| EnumId(i));
        if found.next().is_some() { None } else { first }
    }
}
