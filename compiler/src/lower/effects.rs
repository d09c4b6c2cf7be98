//! What a tool body does to the database, inferred from its IR for MCP's tool annotations:
//! whether it writes at all (`readOnlyHint`), deletes (`destructiveHint`), and whether a
//! second identical call changes nothing more (`idempotentHint`).

use awm_runtime::args::ToolEffects;

use super::ir::{Expr, Stmt};
use super::sql::visit;

/// The effects of a tool with `params` parameters (slots `0..params`) and this body.
///
/// A writing tool counts as idempotent when it inserts nothing and every value it writes
/// is computed from constants and its parameters alone: repeating the call then writes
/// the same values to the same rows. Values read from the database (a stock level, a
/// counter, a loop's row) may have changed after the first call, so they make it not
/// idempotent.
pub(super) fn infer(body: &[Stmt], params: usize) -> ToolEffects {
    let mut effects = ToolEffects::default();
    let mut repeatable = true;
    for stmt in body {
        stmt_exprs(stmt, &mut |expr| {
            visit(expr, &mut |e| match e {
                Expr::Insert { .. } => {
                    effects.writes = true;
                    repeatable = false;
                }
                Expr::Update { set, .. } => {
                    effects.writes = true;
                    repeatable &= set.iter().all(|(_, value)| stable(value, params));
                }
                Expr::Upsert { fields, set, .. } => {
                    effects.writes = true;
                    repeatable &= fields
                        .iter()
                        .chain(set.iter().flatten())
                        .all(|(_, value)| stable(value, params));
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

/// Whether a value depends on nothing but constants, parameters and the signed-in user.
fn stable(value: &Expr, params: usize) -> bool {
    let mut stable = true;
    visit(value, &mut |e| match e {
        Expr::Slot(slot) => stable &= *slot < params,
        Expr::Const(_)
        | Expr::Me
        | Expr::Unary(..)
        | Expr::Binary { .. }
        | Expr::Call { .. }
        | Expr::Record(_)
        | Expr::List(_)
        | Expr::Field { .. }
        | Expr::Format(_)
        | Expr::Between { .. }
        | Expr::In { .. }
        | Expr::Present(_) => {}
        _ => stable = false,
    });
    stable
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
