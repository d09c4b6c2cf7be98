//! The lowered IR: what both backends consume. Names are resolved to slots, rows and
//! tables; every read of a table is a query whose filter, order and bounds are SQL text
//! with bound parameters wherever they could be lowered (a Rust filter otherwise); the
//! rest of each body is a small tree the engine evaluates (and the code generator will
//! emit as Rust).

use awm_runtime::Value;
use awm_runtime::args::ToolSpec;
use awm_runtime::image::SeedInsert;
use awm_runtime::schema::EnvSchema;

use crate::check::model::TableId;
use crate::syntax::ast::{BinaryOp, UnaryOp};
pub use awm_runtime::exec::State;
pub use awm_stdlib::operators::Operands;

/// A lowered environment.
#[derive(Debug)]
pub struct EnvIr {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub schema: EnvSchema,
    pub seed: Vec<SeedInsert>,
    /// The signed-in user's table and key.
    pub user: Option<(TableId, Value)>,
    pub clock: String,
    pub tools: Vec<ToolIr>,
    pub tasks: Vec<TaskIr>,
    /// Members of each enum, in declaration order (for sorting by enum).
    pub enums: Vec<Vec<String>>,
    /// SHA-256 of the spec's text.
    pub spec_hash: String,
}

#[derive(Debug)]
pub struct ToolIr {
    pub spec: ToolSpec,
    /// Parameter checks beyond what the JSON Schema says, with their messages.
    pub checks: Vec<(Expr, String)>,
    pub body: Vec<Stmt>,
    /// How many binding slots a call needs (parameters first).
    pub slots: usize,
    pub returns_value: bool,
}

#[derive(Debug)]
pub struct TaskIr {
    pub name: String,
    /// Where the task is declared, its verifier, for diagnostics.
    pub span: crate::span::Span,
    pub verify_span: crate::span::Span,
    pub prompt: String,
    pub solution: Vec<SolutionCall>,
    pub answer: Option<String>,
    pub verify: Vec<Stmt>,
    pub slots: usize,
}

#[derive(Debug)]
pub struct SolutionCall {
    pub tool: usize,
    /// The arguments by parameter name (constants; they become the call's JSON).
    pub arguments: Vec<(String, Expr)>,
    /// Where the call is written, for diagnostics.
    pub span: crate::span::Span,
}

#[derive(Debug)]
pub enum Stmt {
    Let {
        slot: usize,
        value: Expr,
    },
    Require {
        condition: Expr,
        message: Message,
    },
    For {
        slot: usize,
        list: Expr,
        body: Vec<Stmt>,
    },
    If {
        condition: Expr,
        then_body: Vec<Stmt>,
        else_body: Vec<Stmt>,
    },
    Return(Option<Expr>),
    Eval(Expr),
    Expect(Expectation),
}

/// One `expect` of a verifier.
#[derive(Debug)]
pub struct Expectation {
    /// The expectation as written.
    pub text: String,
    pub condition: Expect,
    pub span: crate::span::Span,
}

#[derive(Debug)]
pub enum Expect {
    /// A condition; for a comparison, the two sides are kept to show as evidence.
    Holds {
        condition: Expr,
        sides: Vec<(String, Expr)>,
    },
    /// `final == initial`, except the listed tables or rows.
    Unchanged { except: Vec<Except> },
}

/// What an `except` entry excuses.
#[derive(Debug)]
pub enum Except {
    Table(TableId),
    /// Rows of a table matched by a query, in whichever state they exist.
    Rows {
        table: TableId,
        query: Box<Query>,
    },
}

/// A message with `{interpolations}`.
#[derive(Debug, Clone)]
pub struct Message {
    pub parts: Vec<MessagePart>,
}

#[derive(Debug, Clone)]
pub enum MessagePart {
    Text(String),
    Value(Expr),
}

#[derive(Debug, Clone)]
pub enum Expr {
    Const(Value),
    /// A binding slot.
    Slot(usize),
    /// A field of the row `depth` row scopes out.
    RowField {
        depth: usize,
        name: String,
    },
    Me,
    Answer,
    /// A record field (rows are records).
    Field {
        base: Box<Expr>,
        name: String,
    },
    /// A foreign key followed to a column of the referenced row (`by` is the referenced
    /// key column).
    Navigate {
        key: Box<Expr>,
        table: TableId,
        by: String,
        column: String,
        sql: String,
    },
    /// A field of every element of a list.
    Project {
        list: Box<Expr>,
        name: String,
    },
    /// A foreign key followed through every element of a list.
    ProjectNavigate {
        list: Box<Expr>,
        table: TableId,
        by: String,
        column: String,
        sql: String,
    },
    Unary(UnaryOp, Box<Expr>),
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
        operands: Operands,
        nulls_propagate: bool,
    },
    /// The row an `upsert` was about to insert.
    Excluded,
    /// Whether a guard is given: not null and not false.
    Present(Box<Expr>),
    Between {
        value: Box<Expr>,
        low: Box<Expr>,
        high: Box<Expr>,
    },
    In {
        value: Box<Expr>,
        list: Box<Expr>,
        negated: bool,
    },
    /// `condition if guard`: true when the guard is absent or false.
    Guarded {
        condition: Box<Expr>,
        guard: Box<Expr>,
    },
    /// A built-in scalar function.
    Call {
        name: &'static str,
        args: Vec<Expr>,
        nulls_propagate: bool,
    },
    /// A list method (`count`, `sum`, `first`, …).
    ListMethod {
        name: &'static str,
        list: Box<Expr>,
    },
    Record(Vec<(String, Expr)>),
    List(Vec<Expr>),
    /// `value else "message"`.
    OrElse {
        value: Box<Expr>,
        message: Message,
    },
    /// A string with interpolations.
    Format(Message),
    Query(Box<Query>),
    /// The row of a table with a primary key.
    Lookup {
        state: State,
        table: TableId,
        key: Box<Expr>,
        sql: String,
    },
    /// `INSERT … RETURNING *` of the given columns.
    Insert {
        table: TableId,
        fields: Vec<(String, Expr)>,
        sql: String,
    },
    /// Each target row is updated by primary key: `sql` sets the `set` columns in order,
    /// then binds the key.
    Update {
        target: Box<Target>,
        set: Vec<(String, Expr)>,
        sql: String,
    },
    /// Each target row is deleted by primary key.
    Delete {
        target: Box<Target>,
        sql: String,
    },
    /// Finds the row with the same key (`find`), then updates it (`update`, binding the
    /// `set` values or else the record's non-key values, then the primary key) or inserts
    /// the record (`insert`).
    Upsert {
        table: TableId,
        fields: Vec<(String, Expr)>,
        key: Vec<String>,
        set: Option<Vec<(String, Expr)>>,
        find: String,
        update: String,
        insert: String,
    },
    /// An aggregate over the rows of the group in scope (`group by … select`).
    Aggregate {
        name: &'static str,
        arg: Option<Box<Expr>>,
    },
    /// A `group by` key of the group in scope.
    GroupKey(String),
}

/// What an `update` or `delete` acts on.
#[derive(Debug, Clone)]
pub enum Target {
    /// The rows of a table matching a filter (the result is a count). `select` reads them.
    Rows {
        table: TableId,
        filter: Option<Filter>,
        select: String,
    },
    /// Rows given by a list value (the result is a count).
    List {
        table: TableId,
        list: Expr,
        filter: Option<Expr>,
    },
    /// One row (the result is the updated row).
    Row { table: TableId, row: Expr },
}

impl Target {
    pub fn table(&self) -> TableId {
        match self {
            Target::Rows { table, .. } | Target::List { table, .. } | Target::Row { table, .. } => {
                *table
            }
        }
    }
}

/// A read: a table (in a state) or a list, then clauses.
#[derive(Debug, Clone)]
pub struct Query {
    pub source: Source,
    pub clauses: Vec<Clause>,
}

#[derive(Debug, Clone)]
pub enum Source {
    /// A table, read with one SQL statement (its `where`, `order by`, `limit` and `offset`
    /// when they lower to SQL; the rest applies to the rows read).
    Table {
        state: State,
        table: TableId,
        sql: SqlSelect,
    },
    List(Box<Expr>),
    /// A single optional row (a lookup) filtered further.
    Single(Box<Expr>),
}

/// A `SELECT * FROM table …` with its bound parameters.
#[derive(Debug, Clone)]
pub struct SqlSelect {
    pub text: String,
    pub params: Vec<Expr>,
    /// How many of the query's leading clauses the SQL already applies.
    pub clauses_done: usize,
}

/// A filter of a table lowered to SQL, or kept as an expression over each row.
#[derive(Debug, Clone)]
pub enum Filter {
    /// The condition in SQL (a `WHERE` over alias `t0`) with its parameters.
    Sql { text: String, params: Vec<Expr> },
    /// The condition evaluated over each row.
    Rows(Expr),
}

#[derive(Debug, Clone)]
pub enum Clause {
    Where(Expr),
    OrderBy(Vec<OrderKey>),
    /// Clauses apply in order; lowering writes `limit n offset m` as `Offset(m)`,
    /// `Limit(n)`, which is what it means (as in SQL).
    Limit(Expr),
    Offset(Expr),
    GroupBy(Vec<(String, Expr)>),
    Select(Expr),
}

#[derive(Debug, Clone)]
pub struct OrderKey {
    pub key: Expr,
    pub descending: bool,
    /// For enum keys: members in declaration order, which is their sort order.
    pub enum_order: Option<Vec<String>>,
}
