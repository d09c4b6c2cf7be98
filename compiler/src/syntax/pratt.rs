//! Operator precedence: the grammar reads an expression as a flat chain of operands and
//! operators (cheap to parse with pest), and this Pratt parser builds the tree.
//!
//! Binding powers, loosest first (`dsl-spec/awm.pest` lists the same order):
//! `or` < `and` < `if` guard < `not` < comparisons < `??` < `+ -` < `* / %` < unary `-`.

use pest::iterators::Pair;

use super::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use super::grammar::Rule;
use super::parse_decl::children;
use super::{MAX_CHAIN, SpecParser, span};
use crate::span::Span;

/// A binary operator as the chain spells it.
enum Infix {
    Binary(BinaryOp),
    In {
        negated: bool,
    },
    /// `between low and`: the low bound travels with the operator.
    Between(Box<Expr>),
}

enum Token {
    Prefix(UnaryOp, Span),
    Operand(Expr),
    Infix(Infix),
    /// `if guard` after a filter condition.
    Guard(Expr),
}

/// How tightly a guard holds the condition on its left.
const GUARD_POWER: u8 = 6;

impl Infix {
    /// Left and right binding powers; left-associative operators bind tighter on the right.
    fn power(&self) -> (u8, u8) {
        use BinaryOp::*;
        match self {
            Infix::Binary(Or) => (2, 3),
            Infix::Binary(And) => (4, 5),
            Infix::Binary(
                Eq | Ne | Lt | Le | Gt | Ge | Contains | StartsWith | EndsWith | Mentions,
            )
            | Infix::In { .. }
            | Infix::Between(_) => (8, 9),
            Infix::Binary(Coalesce) => (10, 11),
            Infix::Binary(Add | Sub) => (12, 13),
            Infix::Binary(Mul | Div | Rem) => (14, 15),
        }
    }
}

fn prefix_power(op: UnaryOp) -> u8 {
    match op {
        UnaryOp::Not => 7,
        UnaryOp::Neg => 16,
    }
}

impl SpecParser {
    /// Builds the tree of a `chain`, `filter`, `comparison` or `arith` pair.
    pub(crate) fn pratt(&mut self, pair: Pair<Rule>) -> Expr {
        let whole = span(&pair);
        let mut tokens = Vec::new();
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::operand => {
                    for piece in part.into_inner() {
                        if piece.as_rule() == Rule::prefix_op {
                            let op = if piece.as_str() == "-" {
                                UnaryOp::Neg
                            } else {
                                UnaryOp::Not
                            };
                            tokens.push(Token::Prefix(op, span(&piece)));
                        } else {
                            tokens.push(Token::Operand(self.expr(piece)));
                        }
                    }
                }
                Rule::guard => {
                    let guard = children(part)
                        .next()
                        .map(|g| self.pratt(g))
                        .unwrap_or_else(|| null(whole));
                    tokens.push(Token::Guard(guard));
                }
                _ => tokens.push(Token::Infix(self.infix(part, whole))),
            }
        }
        if tokens.len() > 2 * MAX_CHAIN {
            self.too_long(whole);
            return null(whole);
        }
        tokens.reverse();
        climb(&mut tokens, 0, whole)
    }

    fn infix(&mut self, pair: Pair<Rule>, whole: Span) -> Infix {
        let text = pair.as_str().trim();
        let inner = pair.into_inner().next();
        match inner.as_ref().map(Pair::as_rule) {
            Some(Rule::between_op) => {
                let low = inner
                    .and_then(|between| children(between).next())
                    .map(|low| self.pratt(low))
                    .unwrap_or_else(|| null(whole));
                Infix::Between(Box::new(low))
            }
            Some(Rule::not_in) => Infix::In { negated: true },
            Some(Rule::KW_IN) => Infix::In { negated: false },
            _ => Infix::Binary(match text {
                "??" => BinaryOp::Coalesce,
                "+" => BinaryOp::Add,
                "-" => BinaryOp::Sub,
                "*" => BinaryOp::Mul,
                "/" => BinaryOp::Div,
                "%" => BinaryOp::Rem,
                "==" => BinaryOp::Eq,
                "!=" => BinaryOp::Ne,
                "<=" => BinaryOp::Le,
                ">=" => BinaryOp::Ge,
                "<" => BinaryOp::Lt,
                ">" => BinaryOp::Gt,
                "contains" => BinaryOp::Contains,
                "starts_with" => BinaryOp::StartsWith,
                "ends_with" => BinaryOp::EndsWith,
                "mentions" => BinaryOp::Mentions,
                "and" => BinaryOp::And,
                _ => BinaryOp::Or,
            }),
        }
    }
}

/// Precedence climbing over the tokens (reversed, so the next token is at the end).
fn climb(tokens: &mut Vec<Token>, min_power: u8, whole: Span) -> Expr {
    let mut lhs = match tokens.pop() {
        Some(Token::Prefix(op, prefix_span)) => {
            let operand = climb(tokens, prefix_power(op), whole);
            negate_or_wrap(op, prefix_span, operand)
        }
        Some(Token::Operand(expr)) => expr,
        Some(Token::Guard(expr)) => expr,
        Some(Token::Infix(_)) | None => null(whole),
    };
    loop {
        match tokens.last() {
            Some(Token::Infix(infix)) => {
                let (left, right) = infix.power();
                if left < min_power {
                    break;
                }
                let Some(Token::Infix(infix)) = tokens.pop() else {
                    break;
                };
                let rhs = climb(tokens, right, whole);
                lhs = combine(infix, lhs, rhs);
            }
            Some(Token::Guard(_)) => {
                if GUARD_POWER < min_power {
                    break;
                }
                let Some(Token::Guard(guard)) = tokens.pop() else {
                    break;
                };
                let span = lhs.span.to(guard.span);
                lhs = Expr {
                    kind: ExprKind::Guarded {
                        condition: Box::new(lhs),
                        guard: Box::new(guard),
                    },
                    span,
                };
            }
            _ => break,
        }
    }
    lhs
}

fn combine(infix: Infix, lhs: Expr, rhs: Expr) -> Expr {
    let span = lhs.span.to(rhs.span);
    let kind = match infix {
        Infix::Binary(op) => ExprKind::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        },
        Infix::In { negated } => ExprKind::In {
            value: Box::new(lhs),
            list: Box::new(rhs),
            negated,
        },
        Infix::Between(low) => ExprKind::Between {
            value: Box::new(lhs),
            low,
            high: Box::new(rhs),
        },
    };
    Expr { kind, span }
}

/// A negated literal is folded into the literal, so `-5` is a constant.
fn negate_or_wrap(op: UnaryOp, prefix: Span, operand: Expr) -> Expr {
    let span = prefix.to(operand.span);
    let kind = match (op, operand.kind) {
        (UnaryOp::Neg, ExprKind::Int(value)) => ExprKind::Int(value.wrapping_neg()),
        (UnaryOp::Neg, ExprKind::Real(value)) => ExprKind::Real(-value),
        (op, kind) => ExprKind::Unary {
            op,
            operand: Box::new(Expr {
                kind,
                span: operand.span,
            }),
        },
    };
    Expr { kind, span }
}

pub(crate) fn null(span: Span) -> Expr {
    Expr {
        kind: ExprKind::Null,
        span,
    }
}
