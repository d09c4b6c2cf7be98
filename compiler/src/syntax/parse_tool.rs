//! Tools: the signature, the body's block and its statements (also used by verifiers).

use pest::iterators::Pair;

use super::ast::*;
use super::grammar::Rule;
use super::parse_decl::{children, missing};
use super::recovery::Context;
use super::{MAX_CHAIN, SpecParser, ident, span};

impl SpecParser {
    pub(crate) fn tool_decl(&mut self, pair: Pair<Rule>) -> ToolDecl {
        let span = span(&pair);
        let mut parts = children(pair);
        let name = parts.next().map(ident).unwrap_or_else(|| missing(span));
        let mut tool = ToolDecl {
            name,
            params: Vec::new(),
            result: None,
            description: None,
            body: Block {
                stmts: Vec::new(),
                span,
            },
            span,
        };
        for part in parts {
            match part.as_rule() {
                Rule::param => tool.params.push(self.param(part)),
                Rule::result_type => {
                    tool.result = part.into_inner().next().map(|t| self.type_expr(t))
                }
                Rule::string => tool.description = Some(self.string(part)),
                Rule::block => tool.body = self.block(part, Context::Statement),
                _ => {}
            }
        }
        tool
    }

    fn param(&mut self, pair: Pair<Rule>) -> Param {
        let span = span(&pair);
        let mut parts = pair.into_inner();
        let name = parts.next().map(ident).unwrap_or_else(|| missing(span));
        let ty = match parts.next() {
            Some(ty) => self.type_expr(ty),
            None => TypeExpr {
                kind: TypeExprKind::Named(missing(span)),
                span,
            },
        };
        let mut param = Param {
            name,
            ty,
            default: None,
            check: None,
            description: None,
            span,
        };
        for attr in parts {
            match attr.as_rule() {
                Rule::default_attr => {
                    param.default = attr.into_inner().next().map(|e| self.expr(e))
                }
                Rule::check_attr => param.check = children(attr).next().map(|e| self.expr(e)),
                Rule::string => param.description = Some(self.string(attr)),
                _ => {}
            }
        }
        param
    }

    pub(crate) fn block(&mut self, pair: Pair<Rule>, context: Context) -> Block {
        let span = span(&pair);
        let stmts = self.stmts(pair.into_inner(), context);
        Block { stmts, span }
    }

    pub(crate) fn stmts<'i>(
        &mut self,
        pairs: impl Iterator<Item = Pair<'i, Rule>>,
        context: Context,
    ) -> Vec<Stmt> {
        let mut stmts = Vec::new();
        for pair in pairs {
            if pair.as_rule() == Rule::BAD_STMT {
                self.bad_line(pair, context);
            } else if let Some(stmt) = self.stmt(pair) {
                stmts.push(stmt);
            }
        }
        stmts
    }

    fn stmt(&mut self, pair: Pair<Rule>) -> Option<Stmt> {
        let span = span(&pair);
        let kind = match pair.as_rule() {
            Rule::let_stmt => {
                let mut parts = children(pair);
                let name = ident(parts.next()?);
                let mut ty = None;
                let mut value = None;
                for part in parts {
                    match part.as_rule() {
                        Rule::type_expr => ty = Some(self.type_expr(part)),
                        _ => value = Some(self.expr(part)),
                    }
                }
                StmtKind::Let {
                    name,
                    ty,
                    value: value?,
                }
            }
            Rule::require_stmt => {
                let mut parts = children(pair);
                let condition = self.expr(parts.next()?);
                let message = self.string(parts.next()?);
                StmtKind::Require { condition, message }
            }
            Rule::for_stmt => {
                let mut parts = children(pair);
                let var = ident(parts.next()?);
                let iterable = self.expr(parts.next()?);
                let body = self.block(parts.next()?, Context::Statement);
                StmtKind::For {
                    var,
                    iterable,
                    body,
                }
            }
            Rule::if_stmt => self.if_stmt(pair)?,
            Rule::return_stmt => StmtKind::Return(children(pair).next().map(|e| self.expr(e))),
            Rule::expect_stmt => {
                let mut parts = children(pair);
                let condition = self.expr(parts.next()?);
                let except = parts
                    .next()
                    .map(|clause| children(clause).map(|e| self.expr(e)).collect());
                StmtKind::Expect { condition, except }
            }
            _ => StmtKind::Expr(self.expr(pair)),
        };
        Some(Stmt { kind, span })
    }

    fn if_stmt(&mut self, pair: Pair<Rule>) -> Option<StmtKind> {
        let whole = span(&pair);
        let mut parts = children(pair);
        let condition = self.expr(parts.next()?);
        let then_block = self.block(parts.next()?, Context::Statement);
        let mut branches = Vec::new();
        let mut else_block = None;
        for part in parts {
            let part_span = span(&part);
            let mut inner = children(part.clone());
            match part.as_rule() {
                Rule::else_if => {
                    let condition = self.expr(inner.next()?);
                    let block = self.block(inner.next()?, Context::Statement);
                    branches.push((condition, block, part_span));
                }
                _ => else_block = inner.next().map(|b| self.block(b, Context::Statement)),
            }
        }
        if branches.len() > MAX_CHAIN {
            self.too_long(whole);
            return None;
        }
        // `else if` is an `if` statement alone in the `else` block.
        for (condition, then_block, branch_span) in branches.into_iter().rev() {
            let kind = StmtKind::If {
                condition,
                then_block,
                else_block,
            };
            let span = match &kind {
                StmtKind::If {
                    else_block: Some(rest),
                    ..
                } => branch_span.to(rest.span),
                _ => branch_span,
            };
            else_block = Some(Block {
                stmts: vec![Stmt { kind, span }],
                span,
            });
        }
        Some(StmtKind::If {
            condition,
            then_block,
            else_block,
        })
    }
}
