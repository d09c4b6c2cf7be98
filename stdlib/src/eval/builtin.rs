//! Every built-in that has a meaning of its own, as one enum: its name in SQL, its
//! arity, and what it computes.

use std::borrow::Cow;

use super::{Datum, Fault, calendar, mentions, number, text};
use crate::time;

/// A built-in function or operator, evaluated by [`Builtin::apply`] in Rust and
/// registered in SQLite under [`Builtin::sql_name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Builtin {
    // Numbers.
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Neg,
    Abs,
    Floor,
    Ceil,
    Round,
    // Durations, in seconds.
    Days,
    Hours,
    Minutes,
    Weeks,
    // Dates and times.
    ShiftDateTime,
    UnshiftDateTime,
    ShiftDate,
    UnshiftDate,
    DateTimeDifference,
    DateDifference,
    DateOf,
    Year,
    Month,
    DaysBetween,
    HoursBetween,
    MinutesBetween,
    // Text.
    Concat,
    Lower,
    Upper,
    Trim,
    Length,
    Contains,
    StartsWith,
    EndsWith,
    Mentions,
    Text,
    TextOfBool,
    // Control.
    /// Fails with its argument as the message (`value else "message"` inside SQL).
    Fail,
    /// `one(count, value)`: the value when the count is 1, else the fault of `.one()`.
    One,
}

impl Builtin {
    /// Every built-in, for registering them all.
    pub const ALL: &'static [Builtin] = &[
        Builtin::Add,
        Builtin::Sub,
        Builtin::Mul,
        Builtin::Div,
        Builtin::Rem,
        Builtin::Neg,
        Builtin::Abs,
        Builtin::Floor,
        Builtin::Ceil,
        Builtin::Round,
        Builtin::Days,
        Builtin::Hours,
        Builtin::Minutes,
        Builtin::Weeks,
        Builtin::ShiftDateTime,
        Builtin::UnshiftDateTime,
        Builtin::ShiftDate,
        Builtin::UnshiftDate,
        Builtin::DateTimeDifference,
        Builtin::DateDifference,
        Builtin::DateOf,
        Builtin::Year,
        Builtin::Month,
        Builtin::DaysBetween,
        Builtin::HoursBetween,
        Builtin::MinutesBetween,
        Builtin::Concat,
        Builtin::Lower,
        Builtin::Upper,
        Builtin::Trim,
        Builtin::Length,
        Builtin::Contains,
        Builtin::StartsWith,
        Builtin::EndsWith,
        Builtin::Mentions,
        Builtin::Text,
        Builtin::TextOfBool,
        Builtin::Fail,
        Builtin::One,
    ];

    /// The application-defined SQL function that evaluates it.
    pub fn sql_name(self) -> &'static str {
        use Builtin::*;
        match self {
            Add => "awm_add",
            Sub => "awm_sub",
            Mul => "awm_mul",
            Div => "awm_div",
            Rem => "awm_rem",
            Neg => "awm_neg",
            Abs => "awm_abs",
            Floor => "awm_floor",
            Ceil => "awm_ceil",
            Round => "awm_round",
            Days => "awm_days",
            Hours => "awm_hours",
            Minutes => "awm_minutes",
            Weeks => "awm_weeks",
            ShiftDateTime => "awm_shift_datetime",
            UnshiftDateTime => "awm_unshift_datetime",
            ShiftDate => "awm_shift_date",
            UnshiftDate => "awm_unshift_date",
            DateTimeDifference => "awm_datetime_difference",
            DateDifference => "awm_date_difference",
            DateOf => "awm_date",
            Year => "awm_year",
            Month => "awm_month",
            DaysBetween => "awm_days_between",
            HoursBetween => "awm_hours_between",
            MinutesBetween => "awm_minutes_between",
            Concat => "awm_concat",
            Lower => "awm_lower",
            Upper => "awm_upper",
            Trim => "awm_trim",
            Length => "awm_length",
            Contains => "awm_contains",
            StartsWith => "awm_starts_with",
            EndsWith => "awm_ends_with",
            Mentions => "awm_mentions",
            Text => "awm_text",
            TextOfBool => "awm_text_of_bool",
            Fail => "awm_fail",
            One => "awm_one",
        }
    }

    /// How many arguments it takes.
    pub fn arity(self) -> usize {
        use Builtin::*;
        match self {
            Neg | Abs | Floor | Ceil | Days | Hours | Minutes | Weeks | DateOf | Year | Month
            | Lower | Upper | Trim | Length | Text | TextOfBool | Fail => 1,
            _ => 2,
        }
    }

    /// Whether the result is a boolean (SQLite stores it as 0/1; the runtime as a bool).
    pub fn returns_bool(self) -> bool {
        matches!(
            self,
            Builtin::Contains | Builtin::StartsWith | Builtin::EndsWith | Builtin::Mentions
        )
    }

    /// The built-in a scalar function of the language is, by its name (`round`,
    /// `lower`, …); `None` for those that are not computed from their arguments alone
    /// (`now`, `today`, `exists`).
    pub fn function(name: &str) -> Option<Builtin> {
        use Builtin::*;
        Some(match name {
            "abs" => Abs,
            "floor" => Floor,
            "ceil" => Ceil,
            "round" => Round,
            "days" => Days,
            "hours" => Hours,
            "minutes" => Minutes,
            "weeks" => Weeks,
            "date" => DateOf,
            "year" => Year,
            "month" => Month,
            "days_between" => DaysBetween,
            "hours_between" => HoursBetween,
            "minutes_between" => MinutesBetween,
            "lower" => Lower,
            "upper" => Upper,
            "trim" => Trim,
            "length" => Length,
            "text" => Text,
            _ => return None,
        })
    }

    /// Applies it. A null argument gives null, except for `text` (which shows `null`),
    /// `mentions` (nothing mentions a missing value, and a missing answer mentions
    /// nothing) and the control built-ins.
    pub fn apply(self, args: &[Datum]) -> Result<Datum<'static>, Fault> {
        use Builtin::*;
        if args.len() != self.arity() && !(self == Round && args.len() == 1) {
            return Err(Fault(format!(
                "`{}` takes {} arguments, not {}",
                self.sql_name(),
                self.arity(),
                args.len()
            )));
        }
        let null_tolerant = matches!(self, Text | TextOfBool | Mentions | Fail | One);
        if !null_tolerant && args.iter().any(Datum::is_null) {
            return Ok(Datum::Null);
        }
        let a = &args[0];
        let b = args.get(1).unwrap_or(&Datum::Null);
        match self {
            Add => number::add(a, b),
            Sub => number::sub(a, b),
            Mul => number::mul(a, b),
            Div => number::div(a, b),
            Rem => number::rem(a, b),
            Neg => number::neg(a),
            Abs => number::abs(a),
            Floor => number::floor(a),
            Ceil => number::ceil(a),
            Round => {
                let x = a.as_f64().ok_or_else(|| Fault::not_applicable("round"))?;
                let places = match args.get(1) {
                    None => 0,
                    Some(Datum::Int(places)) => *places,
                    Some(_) => return Err(Fault::not_applicable("round")),
                };
                number::round(x, places).map(Datum::Real)
            }
            Days => number::duration(a, time::DAY),
            Hours => number::duration(a, 3600),
            Minutes => number::duration(a, 60),
            Weeks => number::duration(a, 7 * time::DAY),
            ShiftDateTime => {
                let (at, by) = text_first(a, b);
                calendar::shift_datetime(at, by)
            }
            ShiftDate => {
                let (at, by) = text_first(a, b);
                calendar::shift_date(at, by)
            }
            UnshiftDateTime => calendar::unshift_datetime(a, b),
            UnshiftDate => calendar::unshift_date(a, b),
            DateTimeDifference => calendar::datetime_difference(a, b),
            DateDifference => calendar::date_difference(a, b),
            DateOf => calendar::date_of(a),
            Year => calendar::year(a),
            Month => calendar::month(a),
            DaysBetween => calendar::between(a, b, time::DAY),
            HoursBetween => calendar::between(a, b, 3600),
            MinutesBetween => calendar::between(a, b, 60),
            Concat => match (a, b) {
                (Datum::Text(x), Datum::Text(y)) => {
                    let mut joined = String::with_capacity(x.len() + y.len());
                    joined.push_str(x);
                    joined.push_str(y);
                    Ok(Datum::Text(Cow::Owned(joined)))
                }
                _ => Err(Fault::not_applicable("+")),
            },
            Lower => text::lower(a),
            Upper => text::upper(a),
            Trim => text::trim(a),
            Length => text::length(a),
            Contains => text::contains(a, b),
            StartsWith => text::starts_with(a, b),
            EndsWith => text::ends_with(a, b),
            Mentions => Ok(Datum::Bool(match a {
                Datum::Text(haystack) => mentions::mentions(haystack, b),
                _ => false,
            })),
            Text => Ok(Datum::text(text::to_text(a))),
            TextOfBool => Ok(Datum::text(text::text_of_bool(a))),
            Fail => Err(Fault(text::to_text(a))),
            One => match a {
                Datum::Int(1) => Ok(b.clone().into_owned()),
                Datum::Int(count) => {
                    Err(Fault(format!("expected exactly one match, found {count}")))
                }
                _ => Err(Fault::not_applicable("one")),
            },
        }
    }
}

/// A shift's instant and duration, in whichever order they were written
/// (`now() + days(1)` and `days(1) + now()`).
fn text_first<'d>(a: &'d Datum<'d>, b: &'d Datum<'d>) -> (&'d Datum<'d>, &'d Datum<'d>) {
    match a {
        Datum::Int(_) => (b, a),
        _ => (a, b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_every_builtin_is_listed() {
        for (i, a) in Builtin::ALL.iter().enumerate() {
            for b in &Builtin::ALL[i + 1..] {
                assert_ne!(a.sql_name(), b.sql_name());
            }
            assert!(a.sql_name().starts_with("awm_"));
        }
        assert_eq!(Builtin::ALL.len(), 39);
    }

    #[test]
    fn nulls_propagate_except_where_said() {
        assert_eq!(
            Builtin::Add.apply(&[Datum::Null, Datum::Int(1)]),
            Ok(Datum::Null)
        );
        assert_eq!(Builtin::Text.apply(&[Datum::Null]), Ok(Datum::text("null")));
        assert_eq!(
            Builtin::Mentions.apply(&[Datum::Null, Datum::Int(1)]),
            Ok(Datum::Bool(false))
        );
        assert_eq!(
            Builtin::TextOfBool.apply(&[Datum::Int(1)]),
            Ok(Datum::text("true"))
        );
        assert_eq!(
            Builtin::One.apply(&[Datum::Int(3), Datum::Null]),
            Err(Fault("expected exactly one match, found 3".into()))
        );
    }

    #[test]
    fn every_function_name_maps_to_a_builtin_of_its_arity() {
        for function in crate::functions::FUNCTIONS
            .iter()
            .filter(|f| f.kind == crate::FunctionKind::Scalar)
        {
            match (function.name, Builtin::function(function.name)) {
                ("now" | "today" | "exists", None) => {}
                (name, Some(builtin)) => {
                    assert_eq!(builtin.arity(), function.params.len(), "{name}")
                }
                (name, None) => panic!("`{name}` has no implementation"),
            }
        }
    }
}
