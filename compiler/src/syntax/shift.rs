//! Moving spans: an expression parsed out of a string literal (an interpolation) gets the
//! spans of its place in the source.

use super::ast::*;

/// Moves every span in an expression parsed out of a string to its place in the source.
pub(crate) fn shift(expr: &mut Expr, offset: u32) {
    fn ident(name: &mut Ident, offset: u32) {
        name.span = name.span.shifted(offset);
    }
    fn record(record: &mut RecordLit, offset: u32) {
        record.span = record.span.shifted(offset);
        for field in &mut record.fields {
            ident(&mut field.name, offset);
            shift(&mut field.value, offset);
        }
    }
    expr.span = expr.span.shifted(offset);
    match &mut expr.kind {
        ExprKind::Int(_)
        | ExprKind::Real(_)
        | ExprKind::Bool(_)
        | ExprKind::Null
        | ExprKind::DateTime(_)
        | ExprKind::Date(_) => {}
        ExprKind::Str(s) => s.span = s.span.shifted(offset),
        ExprKind::Name(name) => ident(name, offset),
        ExprKind::Call { callee, args } => {
            ident(callee, offset);
            for arg in args {
                if let Some(name) = &mut arg.name {
                    ident(name, offset);
                }
                shift(&mut arg.value, offset);
            }
        }
        ExprKind::Field { receiver, name } => {
            ident(name, offset);
            shift(receiver, offset);
        }
        ExprKind::Method {
            receiver,
            name,
            args,
        } => {
            ident(name, offset);
            shift(receiver, offset);
            for arg in args {
                if let Some(name) = &mut arg.name {
                    ident(name, offset);
                }
                shift(&mut arg.value, offset);
            }
        }
        ExprKind::Unary { operand, .. } | ExprKind::Paren(operand) => shift(operand, offset),
        ExprKind::Binary { lhs, rhs, .. } => {
            shift(lhs, offset);
            shift(rhs, offset);
        }
        ExprKind::Between { value, low, high } => {
            shift(value, offset);
            shift(low, offset);
            shift(high, offset);
        }
        ExprKind::In { value, list, .. } => {
            shift(value, offset);
            shift(list, offset);
        }
        ExprKind::Guarded { condition, guard } => {
            shift(condition, offset);
            shift(guard, offset);
        }
        ExprKind::Record(r) => record(r, offset),
        ExprKind::List(items) => items.iter_mut().for_each(|item| shift(item, offset)),
        ExprKind::Query { source, clauses } => {
            shift(source, offset);
            for clause in clauses {
                clause.span = clause.span.shifted(offset);
                match &mut clause.kind {
                    ClauseKind::Where(e)
                    | ClauseKind::Limit(e)
                    | ClauseKind::Offset(e)
                    | ClauseKind::Select(e) => shift(e, offset),
                    ClauseKind::OrderBy(keys) => {
                        keys.iter_mut().for_each(|k| shift(&mut k.key, offset))
                    }
                    ClauseKind::GroupBy(keys) => {
                        for key in keys {
                            if let Some(name) = &mut key.name {
                                ident(name, offset);
                            }
                            shift(&mut key.key, offset);
                        }
                    }
                }
            }
        }
        ExprKind::OrElse { value, message } => {
            shift(value, offset);
            message.span = message.span.shifted(offset);
        }
        ExprKind::Insert { table, record: r } => {
            ident(table, offset);
            record(r, offset);
        }
        ExprKind::Update {
            target,
            filter,
            set,
        } => {
            shift(target, offset);
            if let Some(filter) = filter {
                shift(filter, offset);
            }
            record(set, offset);
        }
        ExprKind::Delete { target, filter } => {
            shift(target, offset);
            if let Some(filter) = filter {
                shift(filter, offset);
            }
        }
        ExprKind::Upsert {
            table,
            record: r,
            on,
            set,
        } => {
            ident(table, offset);
            record(r, offset);
            if let Some(on) = on {
                on.span = on.span.shifted(offset);
                on.columns.iter_mut().for_each(|c| ident(c, offset));
            }
            if let Some(set) = set {
                record(set, offset);
            }
        }
    }
}
