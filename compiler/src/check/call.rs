//! Calls: built-in functions and aggregates (signatures from `awm-stdlib`), list methods,
//! and lookups of one row by primary key (`products(3)`, `final.orders(order_id)`).

use awm_stdlib::functions::{self, Function, FunctionKind, TypePattern};

use super::model::TableId;
use super::scope::Row;
use super::symbols::Symbol;
use super::types::Ty;
use super::{Checker, Mode};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast::{Arg, Expr, Ident};

impl Checker<'_> {
    pub fn infer_call(&mut self, expr: &Expr, callee: &Ident, args: &[Arg]) -> Ty {
        if let Some(table) = self.model.table(&callee.name) {
            self.record(callee.span, Symbol::Table(table), false);
            match self.mode {
                Mode::Verify => self.report(
                    Diagnostic::new(
                        Code::UnqualifiedTableInVerify,
                        format!(
                            "a verifier must say which state of `{}` it reads",
                            callee.name
                        ),
                        callee.span,
                        "initial or final?",
                    )
                    .with_help(format!(
                        "write `final.{0}(…)` or `initial.{0}(…)`",
                        callee.name
                    )),
                ),
                Mode::Schema => {
                    self.table_read_in_schema(&callee.name, callee.span);
                    return Ty::Error;
                }
                Mode::Tool => {}
            }
            return self.lookup_by_key(table, callee, args, expr.span);
        }
        if let Some(function) = functions::lookup(&callee.name, FunctionKind::Scalar) {
            let arg_types = self.infer_args(args);
            return self.apply(function, &arg_types, expr.span);
        }
        if let Some(function) = functions::lookup(&callee.name, FunctionKind::Aggregate) {
            let Some(rows) = self.group_rows.clone() else {
                self.report(
                    Diagnostic::new(
                        Code::MisplacedAggregate,
                        format!(
                            "`{}(…)` aggregates a group, but there is no `group by` here",
                            callee.name
                        ),
                        callee.span,
                        "not inside `group by … select`",
                    )
                    .with_help(format!(
                        "aggregate a list with a method instead: `(query select value).{}()`",
                        if callee.name == "count_distinct" {
                            "count"
                        } else {
                            &callee.name
                        }
                    )),
                );
                for arg in args {
                    self.infer(&arg.value, None);
                }
                return Ty::Error;
            };
            // Aggregate arguments range over the rows of the group.
            match rows {
                Ty::Row(table) => self.scope.push_row(Row::Table(table)),
                Ty::Record(fields) => self.scope.push_row(Row::Record(fields)),
                _ => self.scope.push(),
            }
            let saved = self.group_rows.take();
            let arg_types = self.infer_args(args);
            self.group_rows = saved;
            self.scope.pop();
            return self.apply(function, &arg_types, expr.span);
        }
        let mut candidates: Vec<String> = functions::names(FunctionKind::Scalar)
            .map(String::from)
            .collect();
        if self.group_rows.is_some() {
            candidates.extend(functions::names(FunctionKind::Aggregate).map(String::from));
        }
        if self.mode == Mode::Tool {
            candidates.extend(self.model.table_names().map(String::from));
        }
        if self.model.tool(&callee.name).is_some() {
            self.report(
                Diagnostic::new(
                    Code::UnknownFunction,
                    format!("`{}` is a tool; tools cannot call other tools", callee.name),
                    callee.span,
                    "a tool, not a function",
                )
                .with_help("repeat the queries and updates the other tool makes, or let the agent call both"),
            );
            for arg in args {
                self.infer(&arg.value, None);
            }
            return Ty::Error;
        }
        match function_alias(&callee.name) {
            Some(alias) => self.report(
                Diagnostic::new(
                    Code::UnknownFunction,
                    format!("unknown function `{}`", callee.name),
                    callee.span,
                    format!("did you mean `{alias}`?"),
                )
                .with_help(format!(
                    "the built-in for this is `{alias}`; `awmc prompt` lists them all"
                )),
            ),
            None => self.unknown(Code::UnknownFunction, "function", callee, candidates),
        }
        for arg in args {
            self.infer(&arg.value, None);
        }
        Ty::Error
    }

    pub fn infer_method(&mut self, receiver: &Expr, name: &Ident, args: &[Arg]) -> Ty {
        let receiver_ty = self.infer(receiver, None);
        match receiver_ty.required() {
            Ty::Error => {
                for arg in args {
                    self.infer(&arg.value, None);
                }
                return Ty::Error;
            }
            Ty::State => {
                return match self.model.table(&name.name) {
                    Some(table) => {
                        self.used_tables.insert(table);
                        self.record(name.span, Symbol::Table(table), false);
                        self.lookup_by_key(table, name, args, name.span)
                    }
                    None => {
                        let candidates = self.model.table_names().map(String::from).collect();
                        self.unknown(Code::UnknownTable, "table", name, candidates);
                        Ty::Error
                    }
                };
            }
            Ty::List(_) => {
                if let Some(function) = functions::lookup(&name.name, FunctionKind::ListMethod) {
                    let mut arg_types = vec![(receiver_ty.clone(), receiver.span)];
                    arg_types.extend(self.infer_args(args));
                    return self.apply(function, &arg_types, name.span);
                }
            }
            _ => {}
        }
        if let Some(function) = functions::lookup(&name.name, FunctionKind::Scalar) {
            let mut arg_types = vec![(receiver_ty, receiver.span)];
            arg_types.extend(self.infer_args(args));
            return self.apply(function, &arg_types, name.span);
        }
        let is_list = matches!(receiver_ty.required(), Ty::List(_));
        let candidates: Vec<String> = if is_list {
            functions::names(FunctionKind::ListMethod)
                .map(String::from)
                .collect()
        } else {
            functions::names(FunctionKind::Scalar)
                .map(String::from)
                .collect()
        };
        let what = if is_list { "list method" } else { "method" };
        let alias = match (is_list, name.name.as_str()) {
            (true, "length" | "len" | "size" | "count_all") => Some("count"),
            (true, "average" | "mean") => Some("avg"),
            (true, "total") => Some("sum"),
            (true, "any" | "is_empty" | "has_any") => Some("exists"),
            (false, other) => function_alias(other),
            _ => None,
        };
        match alias {
            Some(alias) => self.report(
                Diagnostic::new(Code::UnknownFunction, format!("unknown {what} `{}`", name.name), name.span, format!("did you mean `{alias}`?"))
                    .with_help(if is_list {
                        format!("lists have `.count()`, `.sum()`, `.avg()`, `.min()`, `.max()`, `.first()` and `.one()`; here: `.{alias}()`")
                    } else {
                        format!("write `.{alias}()`")
                    }),
            ),
            None => self.unknown(Code::UnknownFunction, what, name, candidates),
        }
        Ty::Error
    }

    fn infer_args(&mut self, args: &[Arg]) -> Vec<(Ty, Span)> {
        args.iter()
            .map(|arg| (self.infer(&arg.value, None), arg.value.span))
            .collect()
    }

    /// A table read where only constants or the row in scope may be used.
    pub fn table_read_in_schema(&mut self, table: &str, span: Span) {
        if self.in_solution {
            self.not_constant(
                span,
                &format!("a read of `{table}`"),
                "write the value the agent would pass, e.g. `product_id: 3`",
            );
            return;
        }
        self.report(
            Diagnostic::new(
                Code::InvalidQuery,
                format!("table `{table}` cannot be read here"),
                span,
                "defaults, checks and seed values are computed without reading tables",
            )
            .with_help("use a constant, or move the logic into a tool"),
        );
    }

    /// `table(key)`: the row with that primary key, or null.
    fn lookup_by_key(&mut self, table: TableId, callee: &Ident, args: &[Arg], span: Span) -> Ty {
        self.used_tables.insert(table);
        let info = &self.model.tables[table.0];
        let Some(pk) = info.primary_key else {
            for arg in args {
                self.infer(&arg.value, None);
            }
            return Ty::Error;
        };
        let pk_name = info.columns[pk].name.clone();
        let pk_ty = info.columns[pk].ty.clone();
        let table_name = info.name.clone();
        match args {
            [arg] => {
                if let Some(name) = &arg.name
                    && name.name == pk_name
                {
                    self.record(name.span, Symbol::Column(table, pk), false);
                }
                if let Some(name) = &arg.name
                    && name.name != pk_name
                {
                    self.report(
                        Diagnostic::new(
                            Code::UnknownParameter,
                            format!("a lookup in `{table_name}` takes its primary key `{pk_name}`"),
                            name.span,
                            "not the primary key",
                        )
                        .with_help(format!(
                            "to find rows by another column, query: `{table_name} where {} == …`",
                            name.name
                        )),
                    );
                }
                // A verifier may look up with a key that may be missing: the row is then
                // missing too, and so is everything read from it.
                let key_ty = if self.mode == Mode::Verify {
                    pk_ty.optional()
                } else {
                    pk_ty
                };
                self.expect_type(&arg.value, &key_ty, &format!("the key of `{table_name}`"));
            }
            [] => self.report(
                Diagnostic::new(
                    Code::MissingArgument,
                    format!("a lookup in `{table_name}` needs the primary key `{pk_name}`"),
                    span,
                    "no key given",
                )
                .with_help(format!("write `{}({pk_name})`", callee.name)),
            ),
            [_, extra, ..] => self.report(
                Diagnostic::new(
                    Code::TooManyArguments,
                    format!("a lookup in `{table_name}` takes one key, `{pk_name}`"),
                    extra.value.span,
                    "extra argument",
                )
                .with_help(format!(
                    "to filter on more columns, query: `{table_name} where … and …`"
                )),
            ),
        }
        Ty::Row(table).optional()
    }

    /// Applies a built-in signature to argument types; reports what does not fit.
    fn apply(&mut self, function: &Function, args: &[(Ty, Span)], span: Span) -> Ty {
        // Where nulls propagate, a scalar function of a missing value is missing.
        if function.kind == FunctionKind::Scalar
            && self.nulls_propagate()
            && args.iter().any(|(ty, _)| ty.is_optional())
        {
            let required: Vec<(Ty, Span)> = args
                .iter()
                .map(|(ty, span)| (ty.required().clone(), *span))
                .collect();
            return self.apply_exactly(function, &required, span).optional();
        }
        self.apply_exactly(function, args, span)
    }

    fn apply_exactly(&mut self, function: &Function, args: &[(Ty, Span)], span: Span) -> Ty {
        let max = function.params.len();
        let min = max - function.optional_params;
        let method_receiver = usize::from(function.kind == FunctionKind::ListMethod);
        if args.len() < min {
            self.report(
                Diagnostic::new(
                    Code::MissingArgument,
                    format!(
                        "`{}` takes {} argument{}, but {} given",
                        function.name,
                        min - method_receiver,
                        if min - method_receiver == 1 { "" } else { "s" },
                        args.len() - method_receiver.min(args.len())
                    ),
                    span,
                    "missing arguments",
                )
                .with_help(format!("for example: {}", function.example)),
            );
            return Ty::Error;
        }
        if args.len() > max {
            self.report(
                Diagnostic::new(
                    Code::TooManyArguments,
                    format!(
                        "`{}` takes at most {} argument{}",
                        function.name,
                        max - method_receiver,
                        if max - method_receiver == 1 { "" } else { "s" }
                    ),
                    args[max].1,
                    "extra argument",
                )
                .with_help(format!("for example: {}", function.example)),
            );
            return Ty::Error;
        }
        let mut bound: Option<Ty> = None;
        for ((ty, arg_span), pattern) in args.iter().zip(function.params) {
            if ty.is_error() {
                return Ty::Error;
            }
            let what = format!("an argument of `{}`", function.name);
            let ok = match pattern {
                TypePattern::Exact(s) => {
                    self.require_assignable(ty, &Ty::Scalar(*s), *arg_span, &what)
                }
                TypePattern::OptionalExact(s) => {
                    self.require_assignable(ty, &Ty::Scalar(*s).optional(), *arg_span, &what)
                }
                TypePattern::Numeric | TypePattern::Ordered | TypePattern::Any => {
                    if ty.is_optional() && *pattern != TypePattern::Any {
                        self.require_assignable(ty, ty.required(), *arg_span, &what)
                    } else {
                        let fits = match pattern {
                            TypePattern::Numeric => ty.is_numeric(),
                            TypePattern::Ordered => {
                                ty.scalar().is_some_and(awm_stdlib::Scalar::is_ordered)
                            }
                            _ => true,
                        };
                        if fits {
                            bound = Some(numeric_result(ty));
                        } else {
                            self.invalid_operands(function.name, &[ty], *arg_span);
                        }
                        fits
                    }
                }
                TypePattern::ListOfAny
                | TypePattern::ListOfOrdered
                | TypePattern::ListOfNumeric => match ty.required() {
                    Ty::List(element) => {
                        let fits = match pattern {
                            TypePattern::ListOfNumeric => element.required().is_numeric(),
                            TypePattern::ListOfOrdered => element
                                .required()
                                .scalar()
                                .is_some_and(awm_stdlib::Scalar::is_ordered),
                            _ => true,
                        };
                        if fits {
                            bound = Some(match pattern {
                                TypePattern::ListOfAny => (**element).clone(),
                                _ => numeric_result(element.required()),
                            });
                        } else {
                            let kind = if *pattern == TypePattern::ListOfNumeric {
                                "numbers"
                            } else {
                                "values with an order"
                            };
                            self.report(
                                    Diagnostic::new(
                                        Code::InvalidOperands,
                                        format!(
                                            "`{}` needs a list of {kind}, found `{}`",
                                            function.name,
                                            ty.display(&self.model)
                                        ),
                                        *arg_span,
                                        "wrong element type",
                                    )
                                    .with_help("select the column to aggregate first: `(query select price).sum()`"),
                                );
                        }
                        fits
                    }
                    _ => {
                        self.report(
                            Diagnostic::new(
                                Code::NotAList,
                                format!(
                                    "`{}` needs a list, found `{}`",
                                    function.name,
                                    ty.display(&self.model)
                                ),
                                *arg_span,
                                "not a list",
                            )
                            .with_help(format!("for example: {}", function.example)),
                        );
                        false
                    }
                },
                TypePattern::Same | TypePattern::OptionalSame => match &bound {
                    Some(expected) => {
                        let expected = expected.clone();
                        self.require_assignable(ty, &expected, *arg_span, &what)
                    }
                    None => true,
                },
            };
            if !ok {
                return Ty::Error;
            }
        }
        match function.returns {
            TypePattern::Exact(s) => Ty::Scalar(s),
            TypePattern::OptionalExact(s) => Ty::Scalar(s).optional(),
            TypePattern::Same => bound.unwrap_or(Ty::Error),
            TypePattern::OptionalSame => bound.map_or(Ty::Error, Ty::optional),
            _ => Ty::Error,
        }
    }
}

/// Foreign-key values aggregate as their key's scalar type.
fn numeric_result(ty: &Ty) -> Ty {
    match ty {
        Ty::Ref { key, .. } => (**key).clone(),
        other => other.clone(),
    }
}

/// The built-in that another language's name for it means (`len` is `length`).
fn function_alias(name: &str) -> Option<&'static str> {
    Some(match name {
        "len" | "strlen" | "char_length" | "size" => "length",
        "strip" | "trim_spaces" => "trim",
        "str" | "string" | "to_string" | "to_text" | "format" => "text",
        "lowercase" | "to_lower" | "tolower" | "lcase" => "lower",
        "uppercase" | "to_upper" | "toupper" | "ucase" => "upper",
        "current_timestamp" | "current_time" | "utcnow" | "datetime" | "timestamp" => "now",
        "current_date" => "today",
        "day" | "interval_days" => "days",
        "int" | "integer" | "to_int" | "trunc" => "floor",
        "coalesce" | "ifnull" | "nvl" => "??",
        "any" | "count_if" => "exists",
        _ => return None,
    })
}
