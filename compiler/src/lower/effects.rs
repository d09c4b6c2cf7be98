//! What a tool body does to the database, inferred from its IR for MCP's tool annotations:
//! whether it writes at all (`readOnlyHint`), deletes (`destructiveHint`), and whether a
//! second identical call changes nothing more (`idempotentHint`).

use awm_runtime::args::ToolEffects;

use super::ir::{Expr, Stmt};

/// The effects of a tool with `params` parameters (slots `0..params`) and this body.
///
/// A writing tool counts as idempotent when it inserts nothing and every value it writes
/// is computed from constants and its parameters alone: repeating the call then writes
/// the same values to the same rows. Values read from the database (a stock level, a
/// counter, a loop's row) may have changed after the first call, so they make it not
/// idempotent.
pub(super) fn infer(body: &[Stmt], params: usize) -> ToolEffects {
    let _ = params;
    let mut effects = ToolEffects::default();
    let mut repeatable = true;
    for stmt in body {
        stmt_exprs(stmt, &mut |expr| {
            visit(expr, &mut |e| match e {
                Expr::Insert { .. } => {
                    effects.writes = true;
                    repeatable = false;
                }
                Expr::Update {
                    repeatable: stable, ..
                }
                | Expr::Upsert {
                    repeatable: stable, ..
                } => {
                    effects.writes = true;
                    repeatable &= *stable;
                }
                Expr::Delete { .. } => {
                    effects.writes = true;
                    effects.deletes = true;
                }
                _ => {}
            })
        });
    }
    effects.idempotent = !effects.writes || repeatable;
    effects
}

/// Calls `f` on every expression in a tree, parameters of statements included.
pub fn visit<'e>(expr: &'e Expr, f: &mut impl FnMut(&'e Expr)) {
    f(expr);
    let each = |exprs: &'e [Expr], f: &mut dyn FnMut(&'e Expr)| {
        for e in exprs {
            visit_dyn(e, f);
        }
    };
    match expr {
        Expr::Const(_) | Expr::Slot(_) | Expr::Me | Expr::Answer => {}
        Expr::Field { base: e, .. }
        | Expr::Project { list: e, .. }
        | Expr::ListMethod { list: e, .. }
        | Expr::Unary(_, e)
        | Expr::Present(e) => visit(e, f),
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
        Expr::Call { args, .. } | Expr::List(args) => each(args, f),
        Expr::Record(fields) => fields.iter().for_each(|(_, v)| visit(v, f)),
        Expr::OrElse { value, message } => {
            visit(value, f);
            message_values(message, f);
        }
        Expr::Format(message) => message_values(message, f),
        Expr::Query(query) => each(&query.params, f),
        Expr::Insert { values, .. } => each(values, f),
        Expr::Update { params, .. } | Expr::Delete { params, .. } => each(params, f),
        Expr::Upsert { values, params, .. } => {
            each(values, f);
            each(params, f);
        }
    }
}

fn visit_dyn<'e>(expr: &'e Expr, f: &mut dyn FnMut(&'e Expr)) {
    visit(expr, &mut |e| f(e));
}

fn message_values<'e>(message: &'e super::ir::Message, f: &mut impl FnMut(&'e Expr)) {
    for part in &message.parts {
        if let super::ir::MessagePart::Value(value) = part {
            visit(value, f);
        }
    }
}

/// Calls `f` on each expression directly in a statement, recursing into nested blocks.
pub(super) fn stmt_exprs(stmt: &Stmt, f: &mut impl FnMut(&Expr)) {
    match stmt {
        Stmt::Let { value, .. } | Stmt::Eval(value) | Stmt::Return(Some(value)) => f(value),
        Stmt::Require { condition, .. } => f(condition),
        Stmt::For { list, body, .. } => {
            f(list);
            body.iter().for_each(|s| stmt_exprs(s, f));
        }
        Stmt::If {
            condition,
            then_body,
            else_body,
        } => {
            f(condition);
            then_body
                .iter()
                .chain(else_body)
                .for_each(|s| stmt_exprs(s, f));
        }
        Stmt::Return(None) | Stmt::Expect(_) => {}
    }
}
