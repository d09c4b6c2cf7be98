//! Dates and times: durations added to and subtracted from them, their parts, and whole
//! distances between them, on the proleptic Gregorian calendar of [`crate::time`].

use super::{Datum, Fault};
use crate::time;

fn seconds(a: &Datum) -> Result<i64, Fault> {
    let text = a
        .as_str()
        .ok_or_else(|| Fault::not_applicable("a date and time"))?;
    time::parse_datetime(text).ok_or_else(|| Fault(format!("`{text}` is not a date and time")))
}

fn days(a: &Datum) -> Result<i64, Fault> {
    let text = a.as_str().ok_or_else(|| Fault::not_applicable("a date"))?;
    time::parse_date(text).ok_or_else(|| Fault(format!("`{text}` is not a date")))
}

fn duration(a: &Datum) -> Result<i64, Fault> {
    match a {
        Datum::Int(s) => Ok(*s),
        _ => Err(Fault::not_applicable("a duration")),
    }
}

/// A datetime moved by a duration (seconds; negative moves back).
pub fn shift_datetime(at: &Datum, by: &Datum) -> Result<Datum<'static>, Fault> {
    let moved = seconds(at)?
        .checked_add(duration(by)?)
        .ok_or_else(Fault::out_of_range)?;
    Ok(Datum::text(time::format_datetime(moved)))
}

/// A date moved by a duration: the day on which its midnight, so moved, falls.
pub fn shift_date(at: &Datum, by: &Datum) -> Result<Datum<'static>, Fault> {
    let moved = days(at)?
        .checked_add(duration(by)?.div_euclid(time::DAY))
        .ok_or_else(Fault::out_of_range)?;
    Ok(Datum::text(time::format_date(moved)))
}

/// A datetime moved back by a duration.
pub fn unshift_datetime(at: &Datum, by: &Datum) -> Result<Datum<'static>, Fault> {
    let back = duration(by)?
        .checked_neg()
        .ok_or_else(Fault::out_of_range)?;
    shift_datetime(at, &Datum::Int(back))
}

/// A date moved back by a duration.
pub fn unshift_date(at: &Datum, by: &Datum) -> Result<Datum<'static>, Fault> {
    let back = duration(by)?
        .checked_neg()
        .ok_or_else(Fault::out_of_range)?;
    shift_date(at, &Datum::Int(back))
}

/// The duration from `b` to `a` (`a - b` of two datetimes), in seconds.
pub fn datetime_difference(a: &Datum, b: &Datum) -> Result<Datum<'static>, Fault> {
    seconds(a)?
        .checked_sub(seconds(b)?)
        .map(Datum::Int)
        .ok_or_else(Fault::out_of_range)
}

/// The duration from `b` to `a` of two dates, in seconds (whole days).
pub fn date_difference(a: &Datum, b: &Datum) -> Result<Datum<'static>, Fault> {
    days(a)?
        .checked_sub(days(b)?)
        .and_then(|d| d.checked_mul(time::DAY))
        .map(Datum::Int)
        .ok_or_else(Fault::out_of_range)
}

/// The calendar day of a datetime.
pub fn date_of(a: &Datum) -> Result<Datum<'static>, Fault> {
    Ok(Datum::text(time::format_date(
        seconds(a)?.div_euclid(time::DAY),
    )))
}

pub fn year(a: &Datum) -> Result<Datum<'static>, Fault> {
    let (year, _, _) = time::civil_from_days(seconds(a)?.div_euclid(time::DAY));
    Ok(Datum::Int(year))
}

pub fn month(a: &Datum) -> Result<Datum<'static>, Fault> {
    let (_, month, _) = time::civil_from_days(seconds(a)?.div_euclid(time::DAY));
    Ok(Datum::Int(i64::from(month)))
}

/// Whole `unit`s (in seconds) from `a` to `b`, rounded down (towards the past).
pub fn between(a: &Datum, b: &Datum, unit: i64) -> Result<Datum<'static>, Fault> {
    let span = seconds(b)?
        .checked_sub(seconds(a)?)
        .ok_or_else(Fault::out_of_range)?;
    Ok(Datum::Int(span.div_euclid(unit)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(text: &str) -> Datum<'static> {
        Datum::text(text)
    }

    #[test]
    fn arithmetic_follows_the_calendar() {
        assert_eq!(
            shift_datetime(&dt("2024-02-28T12:00:00Z"), &Datum::Int(time::DAY)),
            Ok(dt("2024-02-29T12:00:00Z"))
        );
        assert_eq!(
            unshift_date(&dt("2026-03-01"), &Datum::Int(time::DAY)),
            Ok(dt("2026-02-28"))
        );
        assert_eq!(
            between(
                &dt("2026-01-31T10:00:00Z"),
                &dt("2026-03-01T09:00:00Z"),
                time::DAY
            ),
            Ok(Datum::Int(28))
        );
        assert_eq!(
            between(
                &dt("2026-01-02T00:00:00Z"),
                &dt("2026-01-01T12:00:00Z"),
                time::DAY
            ),
            Ok(Datum::Int(-1))
        );
        assert_eq!(date_of(&dt("1969-12-31T23:59:59Z")), Ok(dt("1969-12-31")));
        assert_eq!(month(&dt("2026-12-31T23:59:59Z")), Ok(Datum::Int(12)));
        assert!(seconds(&dt("yesterday")).is_err());
    }
}
