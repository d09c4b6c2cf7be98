//! SQL for reads of tables: a `where` filter, `order by`, `limit` and `offset` over the
//! table's own row become one parameterised `SELECT`. Whatever does not depend on the row
//! (parameters, bindings, `me`, constants) is a bound parameter, evaluated before the
//! statement runs; no value is ever written into SQL text, except the spec's own constants
//! in DDL check constraints, which cannot bind. What cannot be lowered (a nested query
//! over the row, date arithmetic on a column) stays an expression the engine applies to
//! the rows read, so lowering is an optimisation and never changes a result.

use awm_runtime::Value;
use awm_runtime::session::quote;
use awm_stdlib::functions::{self, FunctionKind};

use super::Lowerer;
use super::ir::{Clause, Expr, Filter, Operands, OrderKey, SqlSelect};
use super::schema::literal;
use crate::check::model::TableId;
use crate::syntax::ast::{BinaryOp, UnaryOp};

/// Where a translated expression's outside values go.
enum Params<'p> {
    /// Bound parameters (queries).
    Bound(&'p mut Vec<Expr>),
    /// Constants written as literals (DDL); anything else cannot be translated.
    Literal,
}

struct Translator<'l, 'p> {
    /// The alias of the row, or `None` to name columns bare (DDL).
    alias: Option<&'static str>,
    params: Params<'p>,
    /// How many parameters the statement already has before these.
    offset: usize,
    lowerer: &'l Lowerer<'l>,
}

/// `SELECT * FROM table` with as many of the leading clauses as lower to SQL.
pub(super) fn select(lowerer: &Lowerer, table: TableId, clauses: &[Clause]) -> SqlSelect {
    let name = quote(&lowerer.model.tables[table.0].name);
    let mut params = Vec::new();
    let mut conditions = Vec::new();
    let mut order = None;
    let mut limit = None;
    let mut offset = None;
    let mut done = 0;
    for clause in clauses {
        let mut clause_params = Vec::new();
        let before = params.len();
        let mut translator = Translator {
            alias: Some("t0"),
            params: Params::Bound(&mut clause_params),
            offset: before,
            lowerer,
        };
        let lowered = match clause {
            Clause::Where(condition) if order.is_none() && limit.is_none() && offset.is_none() => {
                translator.expr(condition).map(|sql| conditions.push(sql))
            }
            Clause::OrderBy(keys) if order.is_none() && limit.is_none() && offset.is_none() => {
                translator.order(keys).map(|sql| order = Some(sql))
            }
            // Clauses apply in order: `offset` then `limit` is SQL's `LIMIT … OFFSET …`;
            // an `offset` after a `limit` is not (lowering orders `limit n offset m` as
            // offset first).
            Clause::Limit(count) if limit.is_none() && is_free(count) => {
                limit = Some(translator.param(count.clone()));
                Some(())
            }
            Clause::Offset(count) if offset.is_none() && limit.is_none() && is_free(count) => {
                offset = Some(translator.param(count.clone()));
                Some(())
            }
            _ => None,
        };
        if lowered.is_none() {
            break;
        }
        params.extend(clause_params);
        done += 1;
    }
    let mut text = format!("SELECT * FROM {name} AS t0");
    if !conditions.is_empty() {
        text.push_str(" WHERE ");
        text.push_str(&conditions.join(" AND "));
    }
    if let Some(order) = order {
        text.push_str(" ORDER BY ");
        text.push_str(&order);
    }
    match (limit, offset) {
        (Some(limit), Some(offset)) => text.push_str(&format!(" LIMIT {limit} OFFSET {offset}")),
        (Some(limit), None) => text.push_str(&format!(" LIMIT {limit}")),
        (None, Some(offset)) => text.push_str(&format!(" LIMIT -1 OFFSET {offset}")),
        (None, None) => {}
    }
    SqlSelect {
        text,
        params,
        clauses_done: done,
    }
}

fn table_name(lowerer: &Lowerer, table: TableId) -> String {
    quote(&lowerer.model.tables[table.0].name)
}

fn primary_key(lowerer: &Lowerer, table: TableId) -> String {
    let info = &lowerer.model.tables[table.0];
    quote(&info.columns[info.primary_key.unwrap_or(0)].name)
}

/// The row with a given primary key.
pub(super) fn lookup(lowerer: &Lowerer, table: TableId) -> String {
    format!(
        "SELECT * FROM {} WHERE {} = ?1",
        table_name(lowerer, table),
        primary_key(lowerer, table)
    )
}

/// One column of the row a foreign key refers to.
pub(super) fn navigate(lowerer: &Lowerer, table: TableId, by: &str, column: &str) -> String {
    format!(
        "SELECT {} FROM {} WHERE {} = ?1",
        quote(column),
        table_name(lowerer, table),
        quote(by)
    )
}

pub(super) fn insert(lowerer: &Lowerer, table: TableId, columns: &[String]) -> String {
    let names: Vec<String> = columns.iter().map(|c| quote(c)).collect();
    let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
    if columns.is_empty() {
        return format!(
            "INSERT INTO {} DEFAULT VALUES RETURNING *",
            table_name(lowerer, table)
        );
    }
    format!(
        "INSERT INTO {} ({}) VALUES ({}) RETURNING *",
        table_name(lowerer, table),
        names.join(", "),
        placeholders.join(", ")
    )
}

/// Updates `columns` of the row whose primary key is the last parameter.
pub(super) fn update(lowerer: &Lowerer, table: TableId, columns: &[String]) -> String {
    let sets: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} = ?{}", quote(c), i + 1))
        .collect();
    if sets.is_empty() {
        return format!(
            "SELECT * FROM {} WHERE {} = ?1",
            table_name(lowerer, table),
            primary_key(lowerer, table)
        );
    }
    format!(
        "UPDATE {} SET {} WHERE {} = ?{} RETURNING *",
        table_name(lowerer, table),
        sets.join(", "),
        primary_key(lowerer, table),
        columns.len() + 1
    )
}

pub(super) fn delete(lowerer: &Lowerer, table: TableId) -> String {
    format!(
        "DELETE FROM {} WHERE {} = ?1",
        table_name(lowerer, table),
        primary_key(lowerer, table)
    )
}

/// The row with the same values in `key` columns.
pub(super) fn find(lowerer: &Lowerer, table: TableId, key: &[String]) -> String {
    let conditions: Vec<String> = key
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} IS ?{}", quote(c), i + 1))
        .collect();
    let conditions = if conditions.is_empty() {
        "0".to_string()
    } else {
        conditions.join(" AND ")
    };
    format!(
        "SELECT * FROM {} WHERE {conditions}",
        table_name(lowerer, table)
    )
}

/// The rows of a table an `update` or `delete` acts on.
pub(super) fn select_rows(lowerer: &Lowerer, table: TableId, filter: Option<&Filter>) -> String {
    match filter {
        Some(Filter::Sql { text, .. }) => format!(
            "SELECT * FROM {} AS t0 WHERE {text}",
            table_name(lowerer, table)
        ),
        _ => format!("SELECT * FROM {} AS t0", table_name(lowerer, table)),
    }
}

/// The filter of an `update` or `delete` of a table.
pub(super) fn filter(lowerer: &Lowerer, table: TableId, condition: Expr) -> Filter {
    let _ = table;
    let mut params = Vec::new();
    let mut translator = Translator {
        alias: Some("t0"),
        params: Params::Bound(&mut params),
        offset: 0,
        lowerer,
    };
    match translator.expr(&condition) {
        Some(text) => Filter::Sql { text, params },
        None => Filter::Rows(condition),
    }
}

/// A check constraint for DDL, or `None` when it cannot be written in SQL.
pub(super) fn constraint(lowerer: &Lowerer, table: TableId, condition: &Expr) -> Option<String> {
    let _ = table;
    Translator {
        alias: None,
        params: Params::Literal,
        offset: 0,
        lowerer,
    }
    .expr(condition)
}

/// Whether an expression is the same for every row: it reads no row of the query being
/// lowered (nor any outer row, group or upsert). Rows a nested table query reads itself
/// are its own.
fn is_free(expr: &Expr) -> bool {
    free_within(expr, 0)
}

/// `local` counts the row scopes opened inside the expression examined so far.
fn free_within(expr: &Expr, local: usize) -> bool {
    match expr {
        Expr::RowField { depth, .. } => *depth < local,
        Expr::Aggregate { .. } | Expr::GroupKey(_) | Expr::Excluded => false,
        Expr::Query(query) => {
            let source_free = match &query.source {
                super::ir::Source::Table { sql, .. } => {
                    sql.params.iter().all(|p| free_within(p, local))
                }
                super::ir::Source::List(list) | super::ir::Source::Single(list) => {
                    free_within(list, local)
                }
            };
            // A table's rows are a row scope until a `select` or `group by` changes what
            // the elements are; after that, be conservative and open none.
            let mut inner = match query.source {
                super::ir::Source::Table { .. } => local + 1,
                _ => local,
            };
            source_free
                && query.clauses.iter().all(|clause| {
                    let clause_free = match clause {
                        Clause::Where(e) | Clause::Select(e) => free_within(e, inner),
                        Clause::Limit(e) | Clause::Offset(e) => free_within(e, local),
                        Clause::OrderBy(keys) => keys.iter().all(|k| free_within(&k.key, inner)),
                        Clause::GroupBy(keys) => keys.iter().all(|(_, k)| free_within(k, inner)),
                    };
                    if matches!(clause, Clause::Select(_) | Clause::GroupBy(_)) {
                        inner = local;
                    }
                    clause_free
                })
        }
        other => {
            let mut free = true;
            children(other, &mut |child| free &= free_within(child, local));
            free
        }
    }
}

/// Calls `f` on each direct child expression (not for queries: callers handle those).
fn children(expr: &Expr, f: &mut impl FnMut(&Expr)) {
    match expr {
        Expr::Field { base: e, .. }
        | Expr::Navigate { key: e, .. }
        | Expr::Project { list: e, .. }
        | Expr::ProjectNavigate { list: e, .. }
        | Expr::ListMethod { list: e, .. }
        | Expr::Unary(_, e)
        | Expr::Present(e)
        | Expr::Lookup { key: e, .. } => f(e),
        Expr::Binary { lhs, rhs, .. } => {
            f(lhs);
            f(rhs);
        }
        Expr::Between { value, low, high } => {
            f(value);
            f(low);
            f(high);
        }
        Expr::In { value, list, .. } => {
            f(value);
            f(list);
        }
        Expr::Guarded { condition, guard } => {
            f(condition);
            f(guard);
        }
        Expr::Call { args, .. } | Expr::List(args) => args.iter().for_each(f),
        Expr::Record(fields) => fields.iter().for_each(|(_, v)| f(v)),
        Expr::OrElse { value, message } => {
            f(value);
            message_values(message, f);
        }
        Expr::Format(message) => message_values(message, f),
        // Writes are never moved into a parameter; a query is handled by the caller.
        Expr::Insert { .. } | Expr::Update { .. } | Expr::Delete { .. } | Expr::Upsert { .. } => {
            f(&Expr::Excluded)
        }
        _ => {}
    }
}

fn message_values(message: &super::ir::Message, f: &mut impl FnMut(&Expr)) {
    for part in &message.parts {
        if let super::ir::MessagePart::Value(value) = part {
            f(value);
        }
    }
}

impl Translator<'_, '_> {
    /// A bound parameter (or a literal in DDL) for a value computed outside SQL.
    fn param(&mut self, expr: Expr) -> String {
        match &mut self.params {
            Params::Bound(params) => {
                params.push(expr);
                format!("?{}", self.offset + params.len())
            }
            Params::Literal => match expr {
                Expr::Const(value) => literal(&value),
                _ => "NULL".to_string(),
            },
        }
    }

    fn column(&self, name: &str) -> String {
        match self.alias {
            Some(alias) => format!("{alias}.{}", quote(name)),
            None => quote(name),
        }
    }

    fn expr(&mut self, expr: &Expr) -> Option<String> {
        if is_free(expr) {
            return match (&self.params, expr) {
                (Params::Literal, Expr::Const(_)) | (Params::Bound(_), _) => {
                    Some(self.param(expr.clone()))
                }
                (Params::Literal, Expr::List(items))
                    if items.iter().all(|i| matches!(i, Expr::Const(_))) =>
                {
                    let items: Vec<String> = items
                        .iter()
                        .map(|i| match i {
                            Expr::Const(value) => literal(value),
                            _ => "NULL".to_string(),
                        })
                        .collect();
                    Some(format!("({})", items.join(", ")))
                }
                _ => None,
            };
        }
        Some(match expr {
            Expr::RowField { depth: 0, name } => self.column(name),
            Expr::Navigate {
                key,
                table,
                by,
                column,
                ..
            } => {
                let key = self.expr(key)?;
                let target = quote(&self.lowerer.model.tables[table.0].name);
                format!(
                    "(SELECT {} FROM {target} WHERE {} = {key})",
                    quote(column),
                    quote(by)
                )
            }
            Expr::Unary(UnaryOp::Not, operand) => format!("(NOT {})", self.expr(operand)?),
            Expr::Unary(UnaryOp::Neg, operand) => format!("(- {})", self.expr(operand)?),
            Expr::Binary {
                op,
                lhs,
                rhs,
                operands,
                ..
            } => self.binary(*op, *operands, lhs, rhs)?,
            Expr::Between { value, low, high } => {
                format!(
                    "({} BETWEEN {} AND {})",
                    self.expr(value)?,
                    self.expr(low)?,
                    self.expr(high)?
                )
            }
            Expr::In {
                value,
                list,
                negated,
            } if is_free(list) => {
                let value = self.expr(value)?;
                let not = if *negated { "NOT " } else { "" };
                match self.params {
                    Params::Bound(_) => {
                        let list = self.param((**list).clone());
                        format!("({value} {not}IN (SELECT value FROM json_each({list})))")
                    }
                    Params::Literal => format!("({value} {not}IN {})", self.expr(list)?),
                }
            }
            Expr::Guarded { condition, guard } if is_free(guard) => {
                let active = self.param(Expr::Present(guard.clone()));
                format!("(NOT {active} OR {})", self.expr(condition)?)
            }
            Expr::Call { name, args, .. } => {
                let function = functions::lookup(name, FunctionKind::Scalar)?;
                let mut sql = function.sql.to_string();
                if sql.contains('?') {
                    return None;
                }
                for (index, arg) in args.iter().enumerate() {
                    sql = sql.replace(&format!("{{{index}}}"), &self.expr(arg)?);
                }
                // Optional trailing arguments left out.
                for index in args.len()..function.params.len() {
                    sql = sql.replace(&format!(", {{{index}}}"), "");
                }
                sql
            }
            _ => return None,
        })
    }

    fn binary(
        &mut self,
        op: BinaryOp,
        operands: Operands,
        lhs: &Expr,
        rhs: &Expr,
    ) -> Option<String> {
        use BinaryOp::*;
        let (l, r) = (self.expr(lhs)?, self.expr(rhs)?);
        Some(match op {
            And => format!("({l} AND {r})"),
            Or => format!("({l} OR {r})"),
            // `IS` is SQL's null-safe equality, as the language's `==` is.
            Eq => format!("({l} IS {r})"),
            Ne => format!("({l} IS NOT {r})"),
            Lt => format!("({l} < {r})"),
            Le => format!("({l} <= {r})"),
            Gt => format!("({l} > {r})"),
            Ge => format!("({l} >= {r})"),
            Contains => format!("(instr({l}, {r}) > 0)"),
            StartsWith => format!("(substr({l}, 1, length({r})) = {r})"),
            EndsWith => format!("(length({r}) = 0 OR substr({l}, -length({r})) = {r})"),
            Coalesce => format!("coalesce({l}, {r})"),
            Add if operands == Operands::Text => format!("({l} || {r})"),
            Add | Sub | Mul if operands == Operands::Number => format!("({l} {} {r})", op.symbol()),
            Div if operands == Operands::Number => format!("(CAST({l} AS REAL) / {r})"),
            Rem if operands == Operands::Number => format!("({l} % {r})"),
            _ => return None,
        })
    }

    fn order(&mut self, keys: &[OrderKey]) -> Option<String> {
        let mut parts = Vec::new();
        for key in keys {
            let mut sql = self.expr(&key.key)?;
            if let Some(members) = &key.enum_order {
                // Enums sort in declaration order.
                let cases: Vec<String> = members
                    .iter()
                    .enumerate()
                    .map(|(i, m)| format!("WHEN {} THEN {i}", literal(&Value::Text(m.clone()))))
                    .collect();
                sql = format!("CASE {sql} {} END", cases.join(" "));
            }
            parts.push(if key.descending {
                format!("{sql} DESC")
            } else {
                sql
            });
        }
        Some(parts.join(", "))
    }
}

/// Calls `f` on every expression in a tree (a query's clauses included).
pub(crate) fn visit(expr: &Expr, f: &mut impl FnMut(&Expr)) {
    f(expr);
    match expr {
        Expr::Const(_)
        | Expr::Slot(_)
        | Expr::RowField { .. }
        | Expr::Me
        | Expr::Answer
        | Expr::Excluded
        | Expr::GroupKey(_) => {}
        Expr::Field { base, .. } => visit(base, f),
        Expr::Navigate { key, .. } => visit(key, f),
        Expr::Project { list, .. }
        | Expr::ProjectNavigate { list, .. }
        | Expr::ListMethod { list, .. } => visit(list, f),
        Expr::Unary(_, operand) | Expr::Present(operand) => visit(operand, f),
        Expr::Binary { lhs, rhs, .. } => {
            visit(lhs, f);
            visit(rhs, f);
        }
        Expr::Between { value, low, high } => {
            visit(value, f);
            visit(low, f);
            visit(high, f);
        }
        Expr::In { value, list, .. } => {
            visit(value, f);
            visit(list, f);
        }
        Expr::Guarded { condition, guard } => {
            visit(condition, f);
            visit(guard, f);
        }
        Expr::Call { args, .. } | Expr::List(args) => args.iter().for_each(|a| visit(a, f)),
        Expr::Record(fields) | Expr::Insert { fields, .. } => {
            fields.iter().for_each(|(_, v)| visit(v, f))
        }
        Expr::OrElse { value, message } => {
            visit(value, f);
            visit_message(message, f);
        }
        Expr::Format(message) => visit_message(message, f),
        Expr::Query(query) => {
            match &query.source {
                super::ir::Source::Table { sql, .. } => sql.params.iter().for_each(|p| visit(p, f)),
                super::ir::Source::List(list) | super::ir::Source::Single(list) => visit(list, f),
            }
            for clause in &query.clauses {
                match clause {
                    Clause::Where(e) | Clause::Limit(e) | Clause::Offset(e) | Clause::Select(e) => {
                        visit(e, f)
                    }
                    Clause::OrderBy(keys) => keys.iter().for_each(|k| visit(&k.key, f)),
                    Clause::GroupBy(keys) => keys.iter().for_each(|(_, k)| visit(k, f)),
                }
            }
        }
        Expr::Lookup { key, .. } => visit(key, f),
        Expr::Update { target, set, .. } => {
            visit_target(target, f);
            set.iter().for_each(|(_, v)| visit(v, f));
        }
        Expr::Delete { target, .. } => visit_target(target, f),
        Expr::Upsert { fields, set, .. } => {
            fields.iter().for_each(|(_, v)| visit(v, f));
            set.iter().flatten().for_each(|(_, v)| visit(v, f));
        }
        Expr::Aggregate { arg, .. } => {
            if let Some(arg) = arg {
                visit(arg, f);
            }
        }
    }
}

fn visit_message(message: &super::ir::Message, f: &mut impl FnMut(&Expr)) {
    for part in &message.parts {
        if let super::ir::MessagePart::Value(value) = part {
            visit(value, f);
        }
    }
}

fn visit_target(target: &super::ir::Target, f: &mut impl FnMut(&Expr)) {
    match target {
        super::ir::Target::Rows { filter, .. } => match filter {
            Some(Filter::Sql { params, .. }) => params.iter().for_each(|p| visit(p, f)),
            Some(Filter::Rows(e)) => visit(e, f),
            None => {}
        },
        super::ir::Target::List { list, filter, .. } => {
            visit(list, f);
            if let Some(filter) = filter {
                visit(filter, f);
            }
        }
        super::ir::Target::Row { row, .. } => visit(row, f),
    }
}
