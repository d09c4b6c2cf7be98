//! Walking the syntax tree: whether any expression in a tree (or in a block of statements)
//! satisfies a test. Interpolations inside strings are not parsed here.

use super::ast::{Block, ClauseKind, Expr, ExprKind, StmtKind};

/// Whether `test` holds for `expr` or any expression inside it.
pub fn any(expr: &Expr, test: &mut impl FnMut(&Expr) -> bool) -> bool {
    if test(expr) {
        return true;
    }
    let mut sub = |e: &Expr| any(e, test);
    match &expr.kind {
        ExprKind::Int(_)
        | ExprKind::Real(_)
        | ExprKind::Str(_)
        | ExprKind::Bool(_)
        | ExprKind::Null
        | ExprKind::DateTime(_)
        | ExprKind::Date(_)
        | ExprKind::Name(_) => false,
        ExprKind::Call { args, .. } => args.iter().any(|a| sub(&a.value)),
        ExprKind::Field { receiver, .. } => sub(receiver),
        ExprKind::Method { receiver, args, .. } => {
            sub(receiver) || args.iter().any(|a| sub(&a.value))
        }
        ExprKind::Unary { operand, .. } => sub(operand),
        ExprKind::Binary { lhs, rhs, .. } => sub(lhs) || sub(rhs),
        ExprKind::Between { value, low, high } => sub(value) || sub(low) || sub(high),
        ExprKind::In { value, list, .. } => sub(value) || sub(list),
        ExprKind::Guarded { condition, guard } => sub(condition) || sub(guard),
        ExprKind::Record(record) => record.fields.iter().any(|f| sub(&f.value)),
        ExprKind::List(items) => items.iter().any(sub),
        ExprKind::Query { source, clauses } => {
            sub(source)
                || clauses.iter().any(|clause| match &clause.kind {
                    ClauseKind::Where(e)
                    | ClauseKind::Limit(e)
                    | ClauseKind::Offset(e)
                    | ClauseKind::Select(e) => sub(e),
                    ClauseKind::OrderBy(keys) => keys.iter().any(|k| sub(&k.key)),
                    ClauseKind::GroupBy(keys) => keys.iter().any(|k| sub(&k.key)),
                })
        }
        ExprKind::OrElse { value, .. } => sub(value),
        ExprKind::Insert { record, .. } => record.fields.iter().any(|f| sub(&f.value)),
        ExprKind::Update {
            target,
            filter,
            set,
        } => {
            sub(target)
                || filter.as_deref().is_some_and(&mut sub)
                || set.fields.iter().any(|f| sub(&f.value))
        }
        ExprKind::Delete { target, filter } => {
            sub(target) || filter.as_deref().is_some_and(&mut sub)
        }
        ExprKind::Upsert { record, set, .. } => {
            record.fields.iter().any(|f| sub(&f.value))
                || set.iter().flat_map(|s| &s.fields).any(|f| sub(&f.value))
        }
        ExprKind::Paren(inner) => sub(inner),
    }
}

/// Whether `test` holds for any expression of a block's statements, nested blocks included.
pub fn block_any(block: &Block, test: &mut impl FnMut(&Expr) -> bool) -> bool {
    block.stmts.iter().any(|stmt| match &stmt.kind {
        StmtKind::Let { value, .. } => any(value, test),
        StmtKind::Require { condition, .. } => any(condition, test),
        StmtKind::For { iterable, body, .. } => any(iterable, test) || block_any(body, test),
        StmtKind::If {
            condition,
            then_block,
            else_block,
        } => {
            any(condition, test)
                || block_any(then_block, test)
                || else_block.as_ref().is_some_and(|b| block_any(b, test))
        }
        StmtKind::Return(value) => value.as_ref().is_some_and(|v| any(v, test)),
        StmtKind::Expr(expr) => any(expr, test),
        StmtKind::Expect { condition, except } => {
            any(condition, test) || except.iter().flatten().any(|e| any(e, test))
        }
    })
}

/// Whether a block writes to the database anywhere.
pub fn writes(block: &Block) -> bool {
    block_any(block, &mut |e| {
        matches!(
            e.kind,
            ExprKind::Insert { .. }
                | ExprKind::Update { .. }
                | ExprKind::Delete { .. }
                | ExprKind::Upsert { .. }
        )
    })
}
