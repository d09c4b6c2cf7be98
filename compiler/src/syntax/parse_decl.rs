//! Declarations: `env`, `enum`, `table`, `seed` and `task`, plus the shared pieces (types,
//! column lists, records). Tools and their statements are in `parse_tool.rs`.

use pest::iterators::Pair;

use super::ast::*;
use super::grammar::Rule;
use super::recovery::Context;
use super::{SpecParser, ident, span};

/// The children of a pair without its keyword tokens, which carry no information.
pub(crate) fn children(pair: Pair<Rule>) -> impl Iterator<Item = Pair<Rule>> {
    pair.into_inner().filter(|p| !is_keyword(p.as_rule()))
}

pub(crate) fn is_keyword(rule: Rule) -> bool {
    use Rule::*;
    matches!(
        rule,
        KW_ENV
            | KW_ENUM
            | KW_TABLE
            | KW_SEED
            | KW_TOOL
            | KW_TASK
            | KW_LET
            | KW_REQUIRE
            | KW_ELSE
            | KW_FOR
            | KW_IN
            | KW_IF
            | KW_RETURN
            | KW_INSERT
            | KW_UPDATE
            | KW_DELETE
            | KW_UPSERT
            | KW_WHERE
            | KW_AND
            | KW_OR
            | KW_NOT
            | KW_TRUE
            | KW_FALSE
            | KW_NULL
            | KW_EXPECT
            | KW_SOLUTION
            | KW_VERIFY
            | KW_SET
            | KW_ON
            | KW_SELECT
            | KW_ORDER
            | KW_GROUP
            | KW_BY
            | KW_ASC
            | KW_DESC
            | KW_LIMIT
            | KW_OFFSET
            | KW_PRIMARY
            | KW_AUTO
            | KW_UNIQUE
            | KW_INDEX
            | KW_CHECK
            | KW_BETWEEN
            | KW_CONTAINS
            | KW_STARTS
            | KW_ENDS
            | KW_MENTIONS
            | KW_EXCEPT
            | KW_ANSWER
            | KW_FROM
    )
}

impl SpecParser {
    pub(crate) fn decl(&mut self, pair: Pair<Rule>) -> Option<Item> {
        match pair.as_rule() {
            Rule::env_decl => Some(Item::Env(self.env_decl(pair))),
            Rule::enum_decl => Some(Item::Enum(self.enum_decl(pair))),
            Rule::table_decl => Some(Item::Table(self.table_decl(pair))),
            Rule::seed_decl => Some(Item::Seed(self.seed_decl(pair))),
            Rule::tool_decl => Some(Item::Tool(self.tool_decl(pair))),
            Rule::task_decl => Some(Item::Task(self.task_decl(pair))),
            _ => None,
        }
    }

    fn env_decl(&mut self, pair: Pair<Rule>) -> EnvDecl {
        let span = span(&pair);
        let mut parts = children(pair);
        let name = parts.next().map(ident).unwrap_or_else(|| missing(span));
        let mut fields = Vec::new();
        for part in parts {
            match part.as_rule() {
                Rule::env_field => {
                    let mut inner = part.into_inner();
                    if let (Some(key), Some(value)) = (inner.next(), inner.next()) {
                        fields.push(EnvField {
                            key: ident(key),
                            value: self.expr(value),
                        });
                    }
                }
                Rule::BAD_LINE => self.bad_line(part, Context::EnvField),
                _ => {}
            }
        }
        EnvDecl { name, fields, span }
    }

    fn enum_decl(&mut self, pair: Pair<Rule>) -> EnumDecl {
        let span = span(&pair);
        let mut parts = children(pair);
        let name = parts.next().map(ident).unwrap_or_else(|| missing(span));
        let mut description = None;
        let mut members = Vec::new();
        for part in parts {
            match part.as_rule() {
                Rule::string => description = Some(self.string(part)),
                Rule::enum_member => {
                    let mut inner = part.into_inner();
                    if let Some(member) = inner.next() {
                        members.push(EnumMember {
                            name: ident(member),
                            description: inner.next().map(|d| self.string(d)),
                        });
                    }
                }
                _ => {}
            }
        }
        EnumDecl {
            name,
            description,
            members,
            span,
        }
    }

    pub(crate) fn type_expr(&mut self, pair: Pair<Rule>) -> TypeExpr {
        let span = span(&pair);
        let mut inner = pair.into_inner();
        let base = match inner.next() {
            Some(base) => self.type_base(base),
            None => TypeExpr {
                kind: TypeExprKind::Named(missing(span)),
                span,
            },
        };
        if inner.next().is_some() {
            TypeExpr {
                kind: TypeExprKind::Optional(Box::new(base)),
                span,
            }
        } else {
            base
        }
    }

    fn type_base(&mut self, pair: Pair<Rule>) -> TypeExpr {
        let span = span(&pair);
        let kind = match pair.as_rule() {
            Rule::list_type => match pair.into_inner().next() {
                Some(element) => TypeExprKind::List(Box::new(self.type_expr(element))),
                None => TypeExprKind::Named(missing(span)),
            },
            Rule::record_type => TypeExprKind::Record(
                pair.into_inner()
                    .filter_map(|field| {
                        let mut inner = field.into_inner();
                        let name = ident(inner.next()?);
                        Some((name, self.type_expr(inner.next()?)))
                    })
                    .collect(),
            ),
            _ => TypeExprKind::Named(
                pair.into_inner()
                    .next()
                    .map(ident)
                    .unwrap_or_else(|| missing(span)),
            ),
        };
        TypeExpr { kind, span }
    }

    fn table_decl(&mut self, pair: Pair<Rule>) -> TableDecl {
        let span = span(&pair);
        let mut parts = children(pair);
        let name = parts.next().map(ident).unwrap_or_else(|| missing(span));
        let mut table = TableDecl {
            name,
            description: None,
            columns: Vec::new(),
            uniques: Vec::new(),
            indexes: Vec::new(),
            checks: Vec::new(),
            span,
        };
        for part in parts {
            match part.as_rule() {
                Rule::string => table.description = Some(self.string(part)),
                Rule::column_decl => table.columns.push(self.column(part)),
                Rule::unique_decl => table.uniques.extend(children(part).next().map(column_list)),
                Rule::index_decl => table.indexes.extend(children(part).next().map(column_list)),
                Rule::table_check => {
                    if let Some(check) = children(part).next() {
                        table.checks.push(self.expr(check));
                    }
                }
                Rule::BAD_LINE => self.bad_line(part, Context::TableItem),
                _ => {}
            }
        }
        table
    }

    fn column(&mut self, pair: Pair<Rule>) -> Column {
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
        let mut column = Column {
            name,
            ty,
            primary: None,
            auto: None,
            unique: None,
            foreign_key: None,
            default: None,
            check: None,
            description: None,
            span,
        };
        for attr in parts {
            let attr_span = super::span(&attr);
            match attr.as_rule() {
                Rule::primary_attr => {
                    column.primary = Some(attr_span);
                    column.auto = attr
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::auto_attr)
                        .map(|p| super::span(&p));
                }
                Rule::unique_attr => column.unique = Some(attr_span),
                Rule::fk_attr => {
                    let mut inner = attr.into_inner();
                    if let Some(table) = inner.next() {
                        column.foreign_key = Some(ForeignKey {
                            table: ident(table),
                            column: inner.next().map(ident),
                            span: attr_span,
                        });
                    }
                }
                Rule::default_attr => {
                    column.default = attr.into_inner().next().map(|e| self.expr(e))
                }
                Rule::check_attr => column.check = children(attr).next().map(|e| self.expr(e)),
                Rule::string => column.description = Some(self.string(attr)),
                _ => {}
            }
        }
        column
    }

    fn seed_decl(&mut self, pair: Pair<Rule>) -> SeedDecl {
        let span = span(&pair);
        let mut parts = children(pair);
        let table = parts.next().map(ident).unwrap_or_else(|| missing(span));
        let mut rows = Vec::new();
        let mut file = None;
        for part in parts {
            match part.as_rule() {
                Rule::seed_file => file = children(part).next().map(|path| self.string(path)),
                _ => rows.extend(part.into_inner().next().map(|record| self.record(record))),
            }
        }
        SeedDecl {
            table,
            rows,
            file,
            span,
        }
    }

    pub(crate) fn record(&mut self, pair: Pair<Rule>) -> RecordLit {
        let span = span(&pair);
        let fields = pair
            .into_inner()
            .filter_map(|field| {
                let mut inner = field.into_inner();
                let name = ident(inner.next()?);
                Some(FieldInit {
                    name,
                    value: self.expr(inner.next()?),
                })
            })
            .collect();
        RecordLit { fields, span }
    }

    fn task_decl(&mut self, pair: Pair<Rule>) -> TaskDecl {
        let span = span(&pair);
        let mut parts = children(pair);
        let name = parts.next().map(ident).unwrap_or_else(|| missing(span));
        let prompt = match parts.next() {
            Some(prompt) => self.string(prompt),
            None => StrLit {
                value: String::new(),
                raw: String::new(),
                span,
            },
        };
        let mut task = TaskDecl {
            name,
            prompt,
            solutions: Vec::new(),
            verifies: Vec::new(),
            span,
        };
        for part in parts {
            match part.as_rule() {
                Rule::solution => task.solutions.push(self.solution(part)),
                Rule::verify => {
                    let verify_span = super::span(&part);
                    let stmts = self.stmts(children(part), Context::VerifyStatement);
                    task.verifies.push(Block {
                        stmts,
                        span: verify_span,
                    });
                }
                Rule::BAD_LINE => self.bad_line(part, Context::TaskItem),
                _ => {}
            }
        }
        task
    }

    fn solution(&mut self, pair: Pair<Rule>) -> Solution {
        let span = span(&pair);
        let mut steps = Vec::new();
        for part in children(pair) {
            match part.as_rule() {
                Rule::call_step => {
                    let step_span = super::span(&part);
                    let mut inner = part.into_inner();
                    if let Some(tool) = inner.next() {
                        let args = inner.next().map(|a| self.call_args(a)).unwrap_or_default();
                        steps.push(SolutionStep::Call(CallStep {
                            tool: ident(tool),
                            args,
                            span: step_span,
                        }));
                    }
                }
                Rule::answer_step => {
                    if let Some(text) = children(part).next() {
                        steps.push(SolutionStep::Answer(self.string(text)));
                    }
                }
                Rule::BAD_LINE => self.bad_line(part, Context::SolutionStep),
                _ => {}
            }
        }
        Solution { steps, span }
    }
}

pub(crate) fn column_list(pair: Pair<Rule>) -> ColumnList {
    let span = span(&pair);
    ColumnList {
        columns: pair.into_inner().map(ident).collect(),
        span,
    }
}

/// A placeholder name for a part the grammar guarantees but a broken tree lacks.
pub(crate) fn missing(span: Span) -> Ident {
    Ident {
        name: String::new(),
        span,
    }
}

use crate::span::Span;
