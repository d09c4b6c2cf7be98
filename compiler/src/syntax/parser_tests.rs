//! Parser tests: operator precedence and associativity, shown as s-expressions.

use super::ast::*;
use super::parse;

fn sexpr(expr: &Expr) -> String {
    match &expr.kind {
        ExprKind::Int(i) => i.to_string(),
        ExprKind::Name(n) => n.name.clone(),
        ExprKind::Str(s) => format!("{:?}", s.value),
        ExprKind::Paren(inner) => sexpr(inner),
        ExprKind::Unary { op, operand } => format!("({op:?} {})", sexpr(operand)),
        ExprKind::Binary { op, lhs, rhs } => {
            format!("({} {} {})", op.symbol(), sexpr(lhs), sexpr(rhs))
        }
        ExprKind::Field { receiver, name } => format!("(. {} {})", sexpr(receiver), name.name),
        ExprKind::Method { receiver, name, .. } => {
            format!("(.{}() {})", name.name, sexpr(receiver))
        }
        ExprKind::Call { callee, args } => {
            let args: Vec<String> = args.iter().map(|a| sexpr(&a.value)).collect();
            format!("({} {})", callee.name, args.join(" "))
        }
        ExprKind::Between { value, low, high } => {
            format!("(between {} {} {})", sexpr(value), sexpr(low), sexpr(high))
        }
        ExprKind::In {
            value,
            list,
            negated,
        } => format!(
            "({} {} {})",
            if *negated { "not-in" } else { "in" },
            sexpr(value),
            sexpr(list)
        ),
        ExprKind::Guarded { condition, guard } => {
            format!("(if {} {})", sexpr(condition), sexpr(guard))
        }
        ExprKind::List(items) => format!(
            "[{}]",
            items.iter().map(sexpr).collect::<Vec<_>>().join(" ")
        ),
        ExprKind::Query { source, clauses } => {
            let clauses: Vec<String> = clauses
                .iter()
                .map(|c| match &c.kind {
                    ClauseKind::Where(e) => format!("where {}", sexpr(e)),
                    ClauseKind::Limit(e) => format!("limit {}", sexpr(e)),
                    ClauseKind::Select(e) => format!("select {}", sexpr(e)),
                    other => format!("{other:?}")
                        .split('(')
                        .next()
                        .unwrap_or_default()
                        .to_lowercase(),
                })
                .collect();
            format!("(query {} {})", sexpr(source), clauses.join(" "))
        }
        ExprKind::OrElse { value, message } => {
            format!("(else {} {:?})", sexpr(value), message.value)
        }
        other => format!("{other:?}"),
    }
}

/// The s-expression of the value returned by a one-statement tool.
fn parse_return(expression: &str) -> String {
    let (spec, diagnostics) = parse(&format!("tool t() {{ return {expression} }}"));
    assert!(diagnostics.is_empty(), "{expression}: {diagnostics:?}");
    let Some(Item::Tool(tool)) = spec.items.first() else {
        panic!("no tool")
    };
    let Some(StmtKind::Return(Some(value))) = tool.body.stmts.first().map(|s| &s.kind) else {
        panic!("no return")
    };
    sexpr(value)
}

#[test]
fn arithmetic_binds_tighter_than_fallback_tighter_than_comparison() {
    assert_eq!(parse_return("a + b * c"), "(+ a (* b c))");
    assert_eq!(parse_return("a - b - c"), "(- (- a b) c)");
    assert_eq!(parse_return("a ?? b + 1"), "(?? a (+ b 1))");
    assert_eq!(parse_return("a ?? 0 >= b"), "(>= (?? a 0) b)");
    assert_eq!(parse_return("x.sum() ?? 0"), "(?? (.sum() x) 0)");
}

#[test]
fn logic_binds_looser_than_comparison() {
    assert_eq!(
        parse_return("a == 1 or b == 2 and not c"),
        "(or (== a 1) (and (== b 2) (Not c)))"
    );
    assert_eq!(
        parse_return("x between 1 and 5 and y"),
        "(and (between x 1 5) y)"
    );
    assert_eq!(parse_return("s not in [a, b]"), "(not-in s [a b])");
    assert_eq!(parse_return("-5"), "-5");
    assert_eq!(parse_return("- - a"), "(Neg (Neg a))");
}

#[test]
fn clauses_take_whole_filters_and_guards_bind_to_one_condition() {
    assert_eq!(
        parse_return("products where a == 1 and b <= m if m limit limit"),
        "(query products where (and (== a 1) (if (<= b m) m)) limit limit)"
    );
    assert_eq!(
        parse_return("orders(3) where u == me.id else \"no\""),
        "(else (query (orders 3) where (== u (. me id))) \"no\")"
    );
}

#[test]
fn soft_keywords_are_names_where_no_clause_is_expected() {
    assert_eq!(parse_return("order + limit"), "(+ order limit)");
    assert_eq!(parse_return("select"), "select");
}
