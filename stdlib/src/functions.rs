//! Built-in functions: scalar functions, aggregates inside `group by … select`, and methods
//! on lists. Each entry carries its signature (read by the checker), its documentation
//! (shown by hover and the manual) and its SQL and Rust lowering (used by the backends).

use crate::types::Scalar;

/// Where a function may be called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunctionKind {
    /// An ordinary function of its arguments: `lower(name)`, `now()`. May also be called as
    /// a method on its first argument: `name.lower()`.
    Scalar,
    /// An aggregate over the rows of a group, only inside `group by … select`:
    /// `sum(quantity * unit_price)`.
    Aggregate,
    /// A method on a list (a query, a `let` bound to one, a list literal): `items.count()`.
    ListMethod,
}

/// The type of a parameter or result, possibly generic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypePattern {
    /// Exactly this scalar type (an `int` is accepted for a `real`).
    Exact(Scalar),
    /// `T?` for an exact scalar type.
    OptionalExact(Scalar),
    /// `int` or `real`; binds the numeric type `N`.
    Numeric,
    /// Any scalar type with an order; binds `T`.
    Ordered,
    /// Any type at all; binds `T`.
    Any,
    /// A list of anything: `[T]`, binding `T` to the element type.
    ListOfAny,
    /// A list of ordered scalars: `[T]`, binding `T`.
    ListOfOrdered,
    /// A list of numbers: `[N]`, binding `N`.
    ListOfNumeric,
    /// The type bound by an earlier parameter (`N` or `T`).
    Same,
    /// The type bound by an earlier parameter, made optional.
    OptionalSame,
}

/// One built-in function.
#[derive(Debug)]
pub struct Function {
    pub name: &'static str,
    pub kind: FunctionKind,
    /// Parameter types; for list methods the receiver is not listed.
    pub params: &'static [TypePattern],
    /// How many trailing parameters may be omitted.
    pub optional_params: usize,
    pub returns: TypePattern,
    pub doc: &'static str,
    pub example: &'static str,
    /// SQL lowering: `{0}`, `{1}` stand for the arguments (for list methods, `{0}` is the
    /// element expression inside the aggregate).
    pub sql: &'static str,
    /// Rust lowering: the `awm_runtime` function that evaluates it outside SQL.
    pub rust: &'static str,
}

use FunctionKind::{Aggregate, ListMethod};
use TypePattern::*;

const fn scalar(
    name: &'static str,
    params: &'static [TypePattern],
    returns: TypePattern,
    doc: &'static str,
    example: &'static str,
    sql: &'static str,
    rust: &'static str,
) -> Function {
    Function {
        name,
        kind: FunctionKind::Scalar,
        params,
        optional_params: 0,
        returns,
        doc,
        example,
        sql,
        rust,
    }
}

/// Every built-in function.
pub const FUNCTIONS: &[Function] = &[
    // ---- time ---------------------------------------------------------------
    scalar(
        "now",
        &[],
        Exact(Scalar::DateTime),
        "The environment's logical clock (the `clock` in the `env` header). Never the wall clock, so runs are reproducible.",
        "created_at: datetime = now()",
        "?clock",
        "stdlib::now",
    ),
    scalar(
        "today",
        &[],
        Exact(Scalar::Date),
        "The calendar day of the logical clock.",
        "due: date = today()",
        "date(?clock)",
        "stdlib::today",
    ),
    scalar(
        "days",
        &[Exact(Scalar::Int)],
        Exact(Scalar::Duration),
        "A duration of `n` days.",
        "now() - days(30)",
        "({0} * 86400)",
        "stdlib::days",
    ),
    scalar(
        "hours",
        &[Exact(Scalar::Int)],
        Exact(Scalar::Duration),
        "A duration of `n` hours.",
        "now() + hours(2)",
        "({0} * 3600)",
        "stdlib::hours",
    ),
    scalar(
        "minutes",
        &[Exact(Scalar::Int)],
        Exact(Scalar::Duration),
        "A duration of `n` minutes.",
        "now() + minutes(15)",
        "({0} * 60)",
        "stdlib::minutes",
    ),
    scalar(
        "weeks",
        &[Exact(Scalar::Int)],
        Exact(Scalar::Duration),
        "A duration of `n` weeks.",
        "today() + weeks(2)",
        "({0} * 604800)",
        "stdlib::weeks",
    ),
    scalar(
        "date",
        &[Exact(Scalar::DateTime)],
        Exact(Scalar::Date),
        "The calendar day of a datetime.",
        "date(created_at) == today()",
        "date({0})",
        "stdlib::date_of",
    ),
    scalar(
        "year",
        &[Exact(Scalar::DateTime)],
        Exact(Scalar::Int),
        "The year of a datetime.",
        "year(created_at) == 2026",
        "CAST(strftime('%Y', {0}) AS INTEGER)",
        "stdlib::year",
    ),
    scalar(
        "month",
        &[Exact(Scalar::DateTime)],
        Exact(Scalar::Int),
        "The month (1–12) of a datetime.",
        "month(created_at) == 3",
        "CAST(strftime('%m', {0}) AS INTEGER)",
        "stdlib::month",
    ),
    scalar(
        "days_between",
        &[Exact(Scalar::DateTime), Exact(Scalar::DateTime)],
        Exact(Scalar::Int),
        "Whole days from the first datetime to the second (negative when the second is earlier).",
        "days_between(check_in, check_out) * nightly_rate",
        "CAST(julianday({1}) - julianday({0}) AS INTEGER)",
        "stdlib::days_between",
    ),
    scalar(
        "hours_between",
        &[Exact(Scalar::DateTime), Exact(Scalar::DateTime)],
        Exact(Scalar::Int),
        "Whole hours from the first datetime to the second (negative when the second is earlier).",
        "hours_between(opened_at, now()) > 48",
        "CAST((julianday({1}) - julianday({0})) * 24 AS INTEGER)",
        "stdlib::hours_between",
    ),
    scalar(
        "minutes_between",
        &[Exact(Scalar::DateTime), Exact(Scalar::DateTime)],
        Exact(Scalar::Int),
        "Whole minutes from the first datetime to the second.",
        "minutes_between(departs_at, arrives_at)",
        "CAST((julianday({1}) - julianday({0})) * 1440 AS INTEGER)",
        "stdlib::minutes_between",
    ),
    // ---- text ---------------------------------------------------------------
    scalar(
        "lower",
        &[Exact(Scalar::Text)],
        Exact(Scalar::Text),
        "The text with ASCII letters in lower case (other letters are kept, as SQLite does).",
        "lower(email) == lower(address)",
        "lower({0})",
        "stdlib::lower",
    ),
    scalar(
        "upper",
        &[Exact(Scalar::Text)],
        Exact(Scalar::Text),
        "The text with ASCII letters in upper case (other letters are kept, as SQLite does).",
        "upper(code)",
        "upper({0})",
        "stdlib::upper",
    ),
    scalar(
        "trim",
        &[Exact(Scalar::Text)],
        Exact(Scalar::Text),
        "The text without leading and trailing spaces.",
        "trim(name) != \"\"",
        "trim({0})",
        "stdlib::trim",
    ),
    scalar(
        "length",
        &[Exact(Scalar::Text)],
        Exact(Scalar::Int),
        "The number of characters in the text.",
        "check(length(code) == 3)",
        "length({0})",
        "stdlib::length",
    ),
    scalar(
        "text",
        &[Any],
        Exact(Scalar::Text),
        "Any value as text, as it appears in a message.",
        "text(order_id)",
        "CAST({0} AS TEXT)",
        "stdlib::to_text",
    ),
    // ---- numbers ------------------------------------------------------------
    scalar(
        "abs",
        &[Numeric],
        Same,
        "The absolute value.",
        "abs(balance)",
        "abs({0})",
        "stdlib::abs",
    ),
    Function {
        name: "round",
        kind: FunctionKind::Scalar,
        params: &[Exact(Scalar::Real), Exact(Scalar::Int)],
        optional_params: 1,
        returns: Exact(Scalar::Real),
        doc: "The number rounded to the given count of decimal places (0 when omitted).",
        example: "round(price * 0.9, 2)",
        sql: "round({0}, {1})",
        rust: "stdlib::round",
    },
    scalar(
        "floor",
        &[Exact(Scalar::Real)],
        Exact(Scalar::Int),
        "The largest whole number not above the number.",
        "floor(total / 3)",
        "CAST(floor({0}) AS INTEGER)",
        "stdlib::floor",
    ),
    scalar(
        "ceil",
        &[Exact(Scalar::Real)],
        Exact(Scalar::Int),
        "The smallest whole number not below the number.",
        "ceil(nights * 1.5)",
        "CAST(ceil({0}) AS INTEGER)",
        "stdlib::ceil",
    ),
    // ---- lists --------------------------------------------------------------
    scalar(
        "exists",
        &[ListOfAny],
        Exact(Scalar::Bool),
        "Whether the query or list has at least one element.",
        "exists(reviews where product_id == p.id)",
        "EXISTS({0})",
        "stdlib::exists",
    ),
    list_method(
        "count",
        &[],
        Exact(Scalar::Int),
        ListOfAny,
        "The number of elements.",
        "(cart_items where user_id == me.id).count()",
        "count(*)",
    ),
    list_method(
        "sum",
        &[],
        Same,
        ListOfNumeric,
        "The sum of the numbers; 0 for an empty list.",
        "(items select quantity).sum()",
        "total({0})",
    ),
    list_method(
        "avg",
        &[],
        OptionalExact(Scalar::Real),
        ListOfNumeric,
        "The mean of the numbers, or null for an empty list.",
        "(reviews select stars).avg() ?? 0.0",
        "avg({0})",
    ),
    list_method(
        "min",
        &[],
        OptionalSame,
        ListOfOrdered,
        "The least element, or null for an empty list.",
        "(products select price).min()",
        "min({0})",
    ),
    list_method(
        "max",
        &[],
        OptionalSame,
        ListOfOrdered,
        "The greatest element, or null for an empty list.",
        "(products select price).max()",
        "max({0})",
    ),
    list_method(
        "first",
        &[],
        OptionalSame,
        ListOfAny,
        "The first element, or null for an empty list.",
        "(products order by price).first()",
        "LIMIT 1",
    ),
    list_method(
        "one",
        &[],
        Same,
        ListOfAny,
        "The only element; the call fails when there is none or more than one.",
        "(products where name == \"ZenBook 14\").one()",
        "LIMIT 2",
    ),
    // ---- aggregates inside `group by … select` -----------------------------
    aggregate(
        "count",
        &[],
        Exact(Scalar::Int),
        "The number of rows in the group.",
        "count()",
        "count(*)",
    ),
    aggregate(
        "count_distinct",
        &[Any],
        Exact(Scalar::Int),
        "The number of distinct values in the group.",
        "count_distinct(order_id)",
        "count(DISTINCT {0})",
    ),
    aggregate(
        "sum",
        &[Numeric],
        Same,
        "The sum over the group.",
        "sum(quantity * unit_price)",
        "total({0})",
    ),
    aggregate(
        "avg",
        &[Numeric],
        Exact(Scalar::Real),
        "The mean over the group.",
        "avg(stars)",
        "avg({0})",
    ),
    aggregate(
        "min",
        &[Ordered],
        Same,
        "The least value in the group.",
        "min(price)",
        "min({0})",
    ),
    aggregate(
        "max",
        &[Ordered],
        Same,
        "The greatest value in the group.",
        "max(price)",
        "max({0})",
    ),
];

const fn list_method(
    name: &'static str,
    params: &'static [TypePattern],
    returns: TypePattern,
    receiver: TypePattern,
    doc: &'static str,
    example: &'static str,
    sql: &'static str,
) -> Function {
    // The receiver's pattern is stored as the first (implicit) parameter.
    let params: &'static [TypePattern] = match (params.len(), receiver) {
        (0, ListOfNumeric) => &[ListOfNumeric],
        (0, ListOfOrdered) => &[ListOfOrdered],
        _ => &[ListOfAny],
    };
    Function {
        name,
        kind: ListMethod,
        params,
        optional_params: 0,
        returns,
        doc,
        example,
        sql,
        rust: "stdlib::list_method",
    }
}

const fn aggregate(
    name: &'static str,
    params: &'static [TypePattern],
    returns: TypePattern,
    doc: &'static str,
    example: &'static str,
    sql: &'static str,
) -> Function {
    Function {
        name,
        kind: Aggregate,
        params,
        optional_params: 0,
        returns,
        doc,
        example,
        sql,
        rust: "stdlib::aggregate",
    }
}

/// The function called `name` of the given kind.
pub fn lookup(name: &str, kind: FunctionKind) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name == name && f.kind == kind)
}

/// The names of all functions of one kind, for "did you mean" suggestions and completion.
pub fn names(kind: FunctionKind) -> impl Iterator<Item = &'static str> {
    FUNCTIONS
        .iter()
        .filter(move |f| f.kind == kind)
        .map(|f| f.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_per_kind() {
        for (i, a) in FUNCTIONS.iter().enumerate() {
            for b in &FUNCTIONS[i + 1..] {
                assert!(
                    !(a.name == b.name && a.kind == b.kind),
                    "{} is defined twice",
                    a.name
                );
            }
        }
    }

    #[test]
    fn list_methods_take_their_receiver_as_first_parameter() {
        let sum = lookup("sum", ListMethod).map(|f| f.params);
        assert_eq!(sum, Some(&[ListOfNumeric][..]));
        let first = lookup("first", ListMethod).map(|f| f.params);
        assert_eq!(first, Some(&[ListOfAny][..]));
    }

    #[test]
    fn every_function_is_documented_with_an_example() {
        for f in FUNCTIONS {
            assert!(!f.doc.is_empty() && !f.example.is_empty(), "{}", f.name);
        }
    }
}
