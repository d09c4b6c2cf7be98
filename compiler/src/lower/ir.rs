//! The lowered IR: what both backends consume. Names are resolved to slots; every read of
//! a table is one SQL statement ([`SqlQuery`]) whose parameters are expressions of the
//! body, and every write a few statements; the rest of each body is a small tree the
//! engine evaluates and the code generator emits as Rust.

use awm_runtime::Value;
use awm_runtime::args::ToolSpec;
use awm_runtime::image::SeedInsert;
use awm_runtime::schema::EnvSchema;

use crate::check::model::TableId;
use crate::syntax::ast::{BinaryOp, UnaryOp};
pub use awm_runtime::exec::{Mode, Shape};
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
    /// Expressions that cannot run (each one fails its call, and is a check diagnostic).
    pub unsupported: Vec<super::sql::Unsupported>,
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
    /// Rows of a table matched by a query, in whichever state they exist: the query as
    /// read in `initial`, then in `final`.
    Rows {
        table: TableId,
        queries: Vec<Expr>,
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
    Me,
    Answer,
    /// A record field of a value the body holds (rows are records).
    Field {
        base: Box<Expr>,
        name: String,
    },
    /// A field of every element of a list the body holds.
    Project {
        list: Box<Expr>,
        name: String,
    },
    Unary(UnaryOp, Box<Expr>),
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
        operands: Operands,
    },
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
    /// A built-in scalar function.
    Call {
        name: &'static str,
        args: Vec<Expr>,
    },
    /// A list method (`count`, `sum`, `first`, …) of a list the body holds.
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
    /// Anything that reads tables: one SQL statement.
    Query(Box<SqlQuery>),
    /// `insert`: the values of `columns`, then `INSERT … RETURNING *`.
    Insert {
        table: TableId,
        values: Vec<Expr>,
        sql: String,
    },
    /// `update`: `select` gives each target's rowid and new values (parameters
    /// `params`), `update` writes one row by rowid.
    Update {
        table: TableId,
        select: String,
        update: String,
        params: Vec<Expr>,
        single: bool,
        /// Whether the values written depend only on constants and parameters.
        repeatable: bool,
    },
    /// `delete`: `select` gives each target's rowid, `delete` removes one.
    Delete {
        select: String,
        delete: String,
        params: Vec<Expr>,
        single: bool,
    },
    /// `upsert`: the record's `values` (the first parameters of `find`, then `params`);
    /// `find` gives the existing row's rowid and new values, `update` writes them, and
    /// `insert` inserts the record when there is none.
    Upsert {
        table: TableId,
        values: Vec<Expr>,
        params: Vec<Expr>,
        find: String,
        update: String,
        insert: String,
        repeatable: bool,
    },
}

/// One SQL statement that reads: its text, the values bound to `?1`, `?2`, …, and how
/// its rows become a value.
#[derive(Debug, Clone)]
pub struct SqlQuery {
    pub sql: String,
    pub params: Vec<Expr>,
    pub mode: Mode,
    /// The shape of one element (of the list, in `Rows` mode).
    pub shape: Shape,
}
