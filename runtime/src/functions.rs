//! The built-ins inside SQLite: every [`Builtin`] of `awm_stdlib::eval` is registered on
//! each session's connection as an application-defined function (`awm_round`, …), and
//! `sum` and `avg` as aggregates (`awm_sum`, `awm_avg`), so SQL evaluates exactly the
//! code the runtime evaluates. A built-in's fault becomes the statement's error, marked so
//! that it reaches the agent as the built-in's message.

use awm_stdlib::eval::{Avg, Builtin, Datum, Fault, Sum};
use rusqlite::Connection;
use rusqlite::functions::{Aggregate, Context, FunctionFlags};
use rusqlite::types::{Value as SqlValue, ValueRef};

/// Marks the message of an error raised by a built-in inside SQLite.
pub const FAULT_MARK: &str = "\u{1}awm fault: ";

fn flags() -> FunctionFlags {
    FunctionFlags::SQLITE_UTF8
        | FunctionFlags::SQLITE_DETERMINISTIC
        | FunctionFlags::SQLITE_INNOCUOUS
}

/// A SQLite value as a built-in's argument.
pub fn datum(value: ValueRef<'_>) -> Datum<'_> {
    match value {
        ValueRef::Null => Datum::Null,
        ValueRef::Integer(i) => Datum::Int(i),
        ValueRef::Real(r) => Datum::Real(r),
        ValueRef::Text(t) | ValueRef::Blob(t) => Datum::Text(String::from_utf8_lossy(t)),
    }
}

/// A built-in's result as a SQLite value (booleans as 0 and 1).
pub fn sql_value(datum: Datum<'_>) -> SqlValue {
    match datum {
        Datum::Null => SqlValue::Null,
        Datum::Int(i) => SqlValue::Integer(i),
        Datum::Real(r) => SqlValue::Real(r),
        Datum::Text(t) => SqlValue::Text(t.into_owned()),
        Datum::Bool(b) => SqlValue::Integer(i64::from(b)),
    }
}

fn fault(fault: Fault) -> rusqlite::Error {
    rusqlite::Error::UserFunctionError(format!("{FAULT_MARK}{}", fault.0).into())
}

/// Registers every built-in on a connection.
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    for &builtin in Builtin::ALL {
        let arity = i32::try_from(builtin.arity()).unwrap_or(-1);
        conn.create_scalar_function(builtin.sql_name(), arity, flags(), move |ctx| {
            apply(builtin, ctx)
        })?;
        if builtin == Builtin::Round {
            // `round(x)`: no places.
            conn.create_scalar_function(builtin.sql_name(), 1, flags(), move |ctx| {
                apply(builtin, ctx)
            })?;
        }
    }
    conn.create_aggregate_function("awm_sum", 1, flags(), SumAggregate)?;
    conn.create_aggregate_function("awm_avg", 1, flags(), AvgAggregate)?;
    Ok(())
}

fn apply(builtin: Builtin, ctx: &Context<'_>) -> rusqlite::Result<SqlValue> {
    let args: Vec<Datum<'_>> = (0..ctx.len()).map(|i| datum(ctx.get_raw(i))).collect();
    builtin.apply(&args).map(sql_value).map_err(fault)
}

struct SumAggregate;

impl Aggregate<Sum, SqlValue> for SumAggregate {
    fn init(&self, _: &mut Context<'_>) -> rusqlite::Result<Sum> {
        Ok(Sum::default())
    }

    fn step(&self, ctx: &mut Context<'_>, sum: &mut Sum) -> rusqlite::Result<()> {
        sum.add(&datum(ctx.get_raw(0))).map_err(fault)
    }

    fn finalize(&self, _: &mut Context<'_>, sum: Option<Sum>) -> rusqlite::Result<SqlValue> {
        sum.unwrap_or_default()
            .total()
            .map(sql_value)
            .map_err(fault)
    }
}

struct AvgAggregate;

impl Aggregate<Avg, SqlValue> for AvgAggregate {
    fn init(&self, _: &mut Context<'_>) -> rusqlite::Result<Avg> {
        Ok(Avg::default())
    }

    fn step(&self, ctx: &mut Context<'_>, avg: &mut Avg) -> rusqlite::Result<()> {
        avg.add(&datum(ctx.get_raw(0))).map_err(fault)
    }

    fn finalize(&self, _: &mut Context<'_>, avg: Option<Avg>) -> rusqlite::Result<SqlValue> {
        avg.unwrap_or_default().mean().map(sql_value).map_err(fault)
    }
}
