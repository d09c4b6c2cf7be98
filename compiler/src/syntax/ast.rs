//! The abstract syntax tree of a spec: what was written, with a span on every node. Nothing
//! here is resolved or typed; the checker does that.

use crate::span::Span;

/// An identifier as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A string literal: its value after escapes, and its span including the quotes.
#[derive(Debug, Clone, PartialEq)]
pub struct StrLit {
    pub value: String,
    /// The text between the quotes exactly as written (escapes not yet applied); message
    /// interpolations are parsed from it so their spans point into the source.
    pub raw: String,
    pub span: Span,
}

/// A whole spec file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Spec {
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Env(EnvDecl),
    Enum(EnumDecl),
    Table(TableDecl),
    Seed(SeedDecl),
    Tool(ToolDecl),
    Task(TaskDecl),
}

/// `env shop { title: "…" user: users(1) clock: 2026-03-14T09:30:00Z }`
#[derive(Debug, Clone, PartialEq)]
pub struct EnvDecl {
    pub name: Ident,
    pub fields: Vec<EnvField>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnvField {
    pub key: Ident,
    pub value: Expr,
}

/// `enum order_status { pending, paid }`
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDecl {
    pub name: Ident,
    pub description: Option<StrLit>,
    pub members: Vec<EnumMember>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumMember {
    pub name: Ident,
    pub description: Option<StrLit>,
}

/// A type as written: `int`, `text?`, `[products]`, `{ total: real }`.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeExpr {
    pub kind: TypeExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeExprKind {
    Named(Ident),
    List(Box<TypeExpr>),
    Record(Vec<(Ident, TypeExpr)>),
    Optional(Box<TypeExpr>),
}

/// `table products "Items for sale" { … }`
#[derive(Debug, Clone, PartialEq)]
pub struct TableDecl {
    pub name: Ident,
    pub description: Option<StrLit>,
    pub columns: Vec<Column>,
    pub uniques: Vec<ColumnList>,
    pub indexes: Vec<ColumnList>,
    pub checks: Vec<Expr>,
    pub span: Span,
}

/// `(user_id, product_id)` in `unique (…)`, `index (…)` and `upsert … on (…)`.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnList {
    pub columns: Vec<Ident>,
    pub span: Span,
}

/// `price: real check(price >= 0) "Unit price in dollars"`
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: Ident,
    pub ty: TypeExpr,
    /// The span of `primary`, and of `auto` when the key is generated.
    pub primary: Option<Span>,
    pub auto: Option<Span>,
    pub unique: Option<Span>,
    pub foreign_key: Option<ForeignKey>,
    pub default: Option<Expr>,
    pub check: Option<Expr>,
    pub description: Option<StrLit>,
    pub span: Span,
}

/// `-> categories.id`, or `-> categories` for its primary key.
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKey {
    pub table: Ident,
    pub column: Option<Ident>,
    pub span: Span,
}

/// `seed products [ { … }, … ]`, or `seed products from "retail/products.csv"`.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedDecl {
    pub table: Ident,
    /// The inline rows (none when the rows come from a file).
    pub rows: Vec<RecordLit>,
    /// The data file the rows come from, as written (relative to the spec's folder).
    pub file: Option<StrLit>,
    pub span: Span,
}

/// `{ name: value, … }`
#[derive(Debug, Clone, PartialEq)]
pub struct RecordLit {
    pub fields: Vec<FieldInit>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldInit {
    pub name: Ident,
    pub value: Expr,
}

/// `tool get_product(product_id: int) -> products "Get one product." { … }`
#[derive(Debug, Clone, PartialEq)]
pub struct ToolDecl {
    pub name: Ident,
    pub params: Vec<Param>,
    pub result: Option<TypeExpr>,
    pub description: Option<StrLit>,
    pub body: Block,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: Ident,
    pub ty: TypeExpr,
    pub default: Option<Expr>,
    pub check: Option<Expr>,
    pub description: Option<StrLit>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    /// `let name = value` (the value may end in `else "message"`).
    Let {
        name: Ident,
        ty: Option<TypeExpr>,
        value: Expr,
    },
    /// `require condition else "message"`
    Require { condition: Expr, message: StrLit },
    /// `for item in items { … }`
    For {
        var: Ident,
        iterable: Expr,
        body: Block,
    },
    /// `if condition { … } else { … }`
    If {
        condition: Expr,
        then_block: Block,
        else_block: Option<Block>,
    },
    /// `return value`, or a bare `return` in a tool without a result.
    Return(Option<Expr>),
    /// A mutation run for its effect: `insert …`, `update …`, `delete …`, `upsert …`.
    Expr(Expr),
    /// `expect condition [except [tables or queries]]` (verifiers only).
    Expect {
        condition: Expr,
        except: Option<Vec<Expr>>,
    },
}

/// `task name "prompt" { solution { … } verify { … } }`
#[derive(Debug, Clone, PartialEq)]
pub struct TaskDecl {
    pub name: Ident,
    pub prompt: StrLit,
    pub solutions: Vec<Solution>,
    pub verifies: Vec<Block>,
    pub span: Span,
}

/// The reference solution: tool calls in order, then optionally the final answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    pub steps: Vec<SolutionStep>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SolutionStep {
    Call(CallStep),
    Answer(StrLit),
}

/// `add_to_cart(product_id: 4, quantity: 2)`
#[derive(Debug, Clone, PartialEq)]
pub struct CallStep {
    pub tool: Ident,
    pub args: Vec<Arg>,
    pub span: Span,
}

/// A call argument, named (`quantity: 2`) or positional (`2`).
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub name: Option<Ident>,
    pub value: Expr,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

pub use awm_stdlib::operators::{BinaryOp, UnaryOp};

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Int(i64),
    Real(f64),
    Str(StrLit),
    Bool(bool),
    Null,
    DateTime(String),
    Date(String),
    /// A bare name: a binding, a parameter, a column of the row in scope, a table, an enum
    /// member, or one of `me`, `initial`, `final`, `answer`, `excluded`.
    Name(Ident),
    /// `f(args)`: a built-in function, or a table lookup by key `products(3)`.
    Call {
        callee: Ident,
        args: Vec<Arg>,
    },
    /// `receiver.name`: a field, a column reached through a foreign key, or a table of a
    /// state (`final.orders`).
    Field {
        receiver: Box<Expr>,
        name: Ident,
    },
    /// `receiver.name(args)`: a list method (`.count()`), a scalar function called as a
    /// method, or a lookup in a state (`final.products(3)`).
    Method {
        receiver: Box<Expr>,
        name: Ident,
        args: Vec<Arg>,
    },
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `value between low and high`
    Between {
        value: Box<Expr>,
        low: Box<Expr>,
        high: Box<Expr>,
    },
    /// `value in list`, `value not in list`
    In {
        value: Box<Expr>,
        list: Box<Expr>,
        negated: bool,
    },
    /// `condition if guard` inside a filter: the condition applies only when the guard
    /// (an optional parameter, or a boolean) is given.
    Guarded {
        condition: Box<Expr>,
        guard: Box<Expr>,
    },
    Record(RecordLit),
    List(Vec<Expr>),
    /// `source where … order by … limit … select …`
    Query {
        source: Box<Expr>,
        clauses: Vec<Clause>,
    },
    /// `value else "message"`: fails the tool call with the message when the value is
    /// missing (null, or no row).
    OrElse {
        value: Box<Expr>,
        message: StrLit,
    },
    Insert {
        table: Ident,
        record: RecordLit,
    },
    Update {
        target: Box<Expr>,
        filter: Option<Box<Expr>>,
        set: RecordLit,
    },
    Delete {
        target: Box<Expr>,
        filter: Option<Box<Expr>>,
    },
    Upsert {
        table: Ident,
        record: RecordLit,
        on: Option<ColumnList>,
        set: Option<RecordLit>,
    },
    /// `(expr)`, kept so the formatter and spans see what was written.
    Paren(Box<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub kind: ClauseKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ClauseKind {
    Where(Expr),
    OrderBy(Vec<OrderKey>),
    Limit(Expr),
    Offset(Expr),
    GroupBy(Vec<GroupKey>),
    Select(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrderKey {
    pub key: Expr,
    pub descending: bool,
}

/// `category: product_id.category_id.name` in `group by`; the name may be omitted when the
/// key is a plain column (`group by status`).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupKey {
    pub name: Option<Ident>,
    pub key: Expr,
}

impl Expr {
    /// The expression without any parentheses around it.
    pub fn unparen(&self) -> &Expr {
        match &self.kind {
            ExprKind::Paren(inner) => inner.unparen(),
            _ => self,
        }
    }
}

impl Item {
    /// The span of the whole declaration.
    pub fn span(&self) -> Span {
        match self {
            Item::Env(e) => e.span,
            Item::Enum(e) => e.span,
            Item::Table(t) => t.span,
            Item::Seed(s) => s.span,
            Item::Tool(t) => t.span,
            Item::Task(t) => t.span,
        }
    }

    /// The declared name and the keyword that introduced it.
    pub fn name(&self) -> (&Ident, &'static str) {
        match self {
            Item::Env(e) => (&e.name, "env"),
            Item::Enum(e) => (&e.name, "enum"),
            Item::Table(t) => (&t.name, "table"),
            Item::Seed(s) => (&s.table, "seed"),
            Item::Tool(t) => (&t.name, "tool"),
            Item::Task(t) => (&t.name, "task"),
        }
    }
}
