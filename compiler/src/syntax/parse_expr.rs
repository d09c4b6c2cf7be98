//! Expressions: from the precedence ladder of the grammar to `Expr` trees, including query
//! clauses, mutations and message interpolations.

use pest::Parser as _;
use pest::iterators::Pair;

use super::ast::*;
use super::grammar::{AwmParser, Rule};
use super::parse_decl::{children, column_list, missing};
use super::pratt::null;
use super::{MAX_CHAIN, SpecParser, ident, span};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;

/// Parses the text of one `{…}` interpolation found at `offset` in the source.
pub fn parse_interpolation(text: &str, offset: u32) -> Result<Expr, Diagnostic> {
    // Strings are skipped by the spec's nesting scan, so their interpolations get their own.
    if let Err(mut diagnostic) = super::scan::declaration_starts(text) {
        diagnostic.primary.span = diagnostic.primary.span.shifted(offset);
        return Err(diagnostic);
    }
    let mut parser = SpecParser::default();
    let parsed = AwmParser::parse(Rule::interpolation, text)
        .ok()
        .and_then(|mut pairs| pairs.next())
        .and_then(|whole| whole.into_inner().next());
    match parsed {
        Some(pair) => {
            let mut expr = parser.expr(pair);
            parser.report_reserved_names(text, 0);
            super::shift::shift(&mut expr, offset);
            match parser.diagnostics.into_iter().next() {
                Some(mut diagnostic) => {
                    diagnostic.primary.span = diagnostic.primary.span.shifted(offset);
                    Err(diagnostic)
                }
                None => Ok(expr),
            }
        }
        None => Err(Diagnostic::new(
            Code::InvalidInterpolation,
            format!("`{{{text}}}` is not an expression"),
            Span::new(offset as usize, offset as usize + text.len()),
            "cannot be read as an expression",
        )
        .with_help(r"interpolate a name or path such as {p.name}; write \{ for a literal brace")),
    }
}

impl SpecParser {
    pub(crate) fn expr(&mut self, pair: Pair<Rule>) -> Expr {
        let span = span(&pair);
        let kind = match pair.as_rule() {
            Rule::expr => {
                let mut parts = pair.into_inner();
                let Some(value) = parts.next() else {
                    return null(span);
                };
                let value = self.expr(value);
                match parts.next().and_then(|or_else| children(or_else).next()) {
                    Some(message) => ExprKind::OrElse {
                        value: Box::new(value),
                        message: self.string(message),
                    },
                    None => return value,
                }
            }
            Rule::value => {
                let mut parts = pair.into_inner();
                let Some(first) = parts.next() else {
                    return null(span);
                };
                let source = self.expr(first);
                let clauses: Vec<Clause> = parts.map(|c| self.clause(c)).collect();
                if clauses.is_empty() {
                    return source;
                }
                ExprKind::Query {
                    source: Box::new(source),
                    clauses,
                }
            }
            Rule::insert_expr => {
                let mut parts = children(pair);
                let table = parts.next().map(ident).unwrap_or_else(|| missing(span));
                let record = self.record_or_empty(parts.next(), span);
                ExprKind::Insert { table, record }
            }
            Rule::update_expr => {
                let mut target = None;
                let mut filter = None;
                let mut set = None;
                for part in children(pair) {
                    match part.as_rule() {
                        Rule::where_clause => filter = self.where_filter(part),
                        Rule::record => set = Some(self.record(part)),
                        _ => target = Some(self.expr(part)),
                    }
                }
                ExprKind::Update {
                    target: Box::new(target.unwrap_or_else(|| null(span))),
                    filter: filter.map(Box::new),
                    set: set.unwrap_or(RecordLit {
                        fields: Vec::new(),
                        span,
                    }),
                }
            }
            Rule::delete_expr => {
                let mut target = None;
                let mut filter = None;
                for part in children(pair) {
                    match part.as_rule() {
                        Rule::where_clause => filter = self.where_filter(part),
                        _ => target = Some(self.expr(part)),
                    }
                }
                ExprKind::Delete {
                    target: Box::new(target.unwrap_or_else(|| null(span))),
                    filter: filter.map(Box::new),
                }
            }
            Rule::upsert_expr => {
                let mut parts = children(pair);
                let table = parts.next().map(ident).unwrap_or_else(|| missing(span));
                let record = self.record_or_empty(parts.next(), span);
                let mut on = None;
                let mut set = None;
                for part in parts {
                    match part.as_rule() {
                        Rule::column_list => on = Some(column_list(part)),
                        _ => set = Some(self.record(part)),
                    }
                }
                ExprKind::Upsert {
                    table,
                    record,
                    on,
                    set,
                }
            }
            Rule::chain | Rule::filter | Rule::arith | Rule::comparison => return self.pratt(pair),
            Rule::postfix => return self.postfix(pair),
            Rule::int_lit => ExprKind::Int(self.int(&pair)),
            Rule::real_lit => ExprKind::Real(self.real(&pair)),
            Rule::string => ExprKind::Str(self.string(pair)),
            Rule::true_lit => ExprKind::Bool(true),
            Rule::false_lit => ExprKind::Bool(false),
            Rule::null_lit => ExprKind::Null,
            Rule::datetime_lit => ExprKind::DateTime(self.date_or_time(&pair)),
            Rule::date_lit => ExprKind::Date(self.date_or_time(&pair)),
            Rule::paren => match pair.into_inner().next() {
                Some(inner) => ExprKind::Paren(Box::new(self.expr(inner))),
                None => ExprKind::Null,
            },
            Rule::record => ExprKind::Record(self.record(pair)),
            Rule::list => ExprKind::List(pair.into_inner().map(|e| self.expr(e)).collect()),
            Rule::name_or_call => {
                let mut parts = pair.into_inner();
                let name = parts.next().map(ident).unwrap_or_else(|| missing(span));
                match parts.next() {
                    Some(args) => ExprKind::Call {
                        callee: name,
                        args: self.call_args(args),
                    },
                    None => ExprKind::Name(name),
                }
            }
            _ => ExprKind::Null,
        };
        Expr { kind, span }
    }

    fn record_or_empty(&mut self, pair: Option<Pair<Rule>>, span: Span) -> RecordLit {
        match pair {
            Some(record) => self.record(record),
            None => RecordLit {
                fields: Vec::new(),
                span,
            },
        }
    }

    fn postfix(&mut self, pair: Pair<Rule>) -> Expr {
        let span = span(&pair);
        let mut parts = pair.into_inner();
        let Some(primary) = parts.next() else {
            return null(span);
        };
        let mut expr = self.expr(primary);
        for (count, member) in parts.enumerate() {
            if count >= MAX_CHAIN {
                self.too_long(span);
                return null(span);
            }
            let member_span = super::span(&member);
            let mut inner = member.into_inner();
            let name = inner
                .next()
                .map(ident)
                .unwrap_or_else(|| missing(member_span));
            let receiver = Box::new(expr);
            let span = receiver.span.to(member_span);
            expr = match inner.next() {
                Some(args) => Expr {
                    kind: ExprKind::Method {
                        receiver,
                        name,
                        args: self.call_args(args),
                    },
                    span,
                },
                None => Expr {
                    kind: ExprKind::Field { receiver, name },
                    span,
                },
            };
        }
        expr
    }

    pub(crate) fn call_args(&mut self, pair: Pair<Rule>) -> Vec<Arg> {
        pair.into_inner()
            .filter_map(|arg| {
                let mut inner = arg.into_inner();
                let first = inner.next()?;
                Some(match inner.next() {
                    Some(value) => Arg {
                        name: Some(ident(first)),
                        value: self.expr(value),
                    },
                    None => Arg {
                        name: None,
                        value: self.expr(first),
                    },
                })
            })
            .collect()
    }

    fn where_filter(&mut self, pair: Pair<Rule>) -> Option<Expr> {
        children(pair).next().map(|f| self.expr(f))
    }

    fn clause(&mut self, pair: Pair<Rule>) -> Clause {
        let span = span(&pair);
        let kind = match pair.as_rule() {
            Rule::where_clause => {
                ClauseKind::Where(self.where_filter(pair).unwrap_or_else(|| null(span)))
            }
            Rule::order_clause => ClauseKind::OrderBy(
                children(pair)
                    .filter_map(|key| {
                        let mut inner = key.into_inner();
                        let key = self.expr(inner.next()?);
                        let descending = inner.next().is_some_and(|d| d.as_rule() == Rule::desc);
                        Some(OrderKey { key, descending })
                    })
                    .collect(),
            ),
            Rule::limit_clause => ClauseKind::Limit(self.first_child(pair, span)),
            Rule::offset_clause => ClauseKind::Offset(self.first_child(pair, span)),
            Rule::group_clause => ClauseKind::GroupBy(
                children(pair)
                    .filter_map(|key| {
                        let mut inner = key.into_inner();
                        let first = inner.next()?;
                        Some(match inner.next() {
                            Some(value) => GroupKey {
                                name: Some(ident(first)),
                                key: self.expr(value),
                            },
                            None => GroupKey {
                                name: None,
                                key: self.expr(first),
                            },
                        })
                    })
                    .collect(),
            ),
            _ => ClauseKind::Select(self.first_child(pair, span)),
        };
        Clause { kind, span }
    }

    fn first_child(&mut self, pair: Pair<Rule>, span: Span) -> Expr {
        children(pair)
            .next()
            .map(|e| self.expr(e))
            .unwrap_or_else(|| null(span))
    }

    pub(crate) fn too_long(&mut self, span: Span) {
        self.error(
            Diagnostic::new(
                Code::NestingTooDeep,
                format!("expression chains more than {MAX_CHAIN} operators"),
                span,
                "this expression is too long",
            )
            .with_help("split the expression with `let` bindings"),
        );
    }
}
