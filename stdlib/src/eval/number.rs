//! Arithmetic: integers never wrap, reals stay finite, and `round` rounds the number as it
//! is written.

use super::{Datum, Fault};

/// A real result, or the fault when it is not a finite number.
fn finite(value: f64) -> Result<Datum<'static>, Fault> {
    if value.is_finite() {
        // There is one zero: `-0.0` would print as "-0.0".
        Ok(Datum::Real(if value == 0.0 { 0.0 } else { value }))
    } else {
        Err(Fault::out_of_range())
    }
}

fn checked(value: Option<i64>) -> Result<Datum<'static>, Fault> {
    value.map(Datum::Int).ok_or_else(Fault::out_of_range)
}

fn numbers(a: &Datum, b: &Datum, function: &str) -> Result<(f64, f64), Fault> {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => Ok((x, y)),
        _ => Err(Fault::not_applicable(function)),
    }
}

pub fn add(a: &Datum, b: &Datum) -> Result<Datum<'static>, Fault> {
    match (a, b) {
        (Datum::Int(x), Datum::Int(y)) => checked(x.checked_add(*y)),
        _ => numbers(a, b, "+").and_then(|(x, y)| finite(x + y)),
    }
}

pub fn sub(a: &Datum, b: &Datum) -> Result<Datum<'static>, Fault> {
    match (a, b) {
        (Datum::Int(x), Datum::Int(y)) => checked(x.checked_sub(*y)),
        _ => numbers(a, b, "-").and_then(|(x, y)| finite(x - y)),
    }
}

pub fn mul(a: &Datum, b: &Datum) -> Result<Datum<'static>, Fault> {
    match (a, b) {
        (Datum::Int(x), Datum::Int(y)) => checked(x.checked_mul(*y)),
        _ => numbers(a, b, "*").and_then(|(x, y)| finite(x * y)),
    }
}

/// `/` always gives a real.
pub fn div(a: &Datum, b: &Datum) -> Result<Datum<'static>, Fault> {
    let (x, y) = numbers(a, b, "/")?;
    if y == 0.0 {
        return Err(Fault::division_by_zero());
    }
    finite(x / y)
}

/// `%`: the remainder with the sign of the dividend (an int for ints).
pub fn rem(a: &Datum, b: &Datum) -> Result<Datum<'static>, Fault> {
    match (a, b) {
        (Datum::Int(_), Datum::Int(0)) => Err(Fault::division_by_zero()),
        // i64::MIN % -1 overflows in the machine, though its remainder is 0.
        (Datum::Int(x), Datum::Int(y)) => Ok(Datum::Int(x.checked_rem(*y).unwrap_or(0))),
        _ => {
            let (x, y) = numbers(a, b, "%")?;
            if y == 0.0 {
                return Err(Fault::division_by_zero());
            }
            finite(x % y)
        }
    }
}

pub fn neg(a: &Datum) -> Result<Datum<'static>, Fault> {
    match a {
        Datum::Int(x) => checked(x.checked_neg()),
        Datum::Real(r) => finite(-r),
        _ => Err(Fault::not_applicable("-")),
    }
}

pub fn abs(a: &Datum) -> Result<Datum<'static>, Fault> {
    match a {
        Datum::Int(x) => checked(x.checked_abs()),
        Datum::Real(r) => finite(r.abs()),
        _ => Err(Fault::not_applicable("abs")),
    }
}

/// The whole number at or below (`floor`) or at or above (`ceil`) a number, as an int.
pub fn floor(a: &Datum) -> Result<Datum<'static>, Fault> {
    whole(a, f64::floor, "floor")
}

pub fn ceil(a: &Datum) -> Result<Datum<'static>, Fault> {
    whole(a, f64::ceil, "ceil")
}

fn whole(a: &Datum, f: fn(f64) -> f64, function: &str) -> Result<Datum<'static>, Fault> {
    match a {
        Datum::Int(x) => Ok(Datum::Int(*x)),
        Datum::Real(r) => {
            let value = f(*r);
            // Exactly the reals in [-2^63, 2^63) convert.
            if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&value) {
                Ok(Datum::Int(value as i64))
            } else {
                Err(Fault::out_of_range())
            }
        }
        _ => Err(Fault::not_applicable(function)),
    }
}

/// `round(x, places)`: `x` rounded to `places` decimal places (negative places round to
/// tens, hundreds, …), **half away from zero, on the number as it is written**: the
/// shortest decimal that reads back as `x`, the digits awmc prints. So `round(2.675, 2)`
/// is 2.68 and `round(1.005, 2)` is 1.01, as on paper, although the binary values nearest
/// 2.675 and 1.005 lie a hair below them.
pub fn round(x: f64, places: i64) -> Result<f64, Fault> {
    if !x.is_finite() {
        return Err(Fault::out_of_range());
    }
    if x == 0.0 {
        return Ok(0.0);
    }
    // Shortest round-trip digits: `d.ddde±x`.
    let written = format!("{:e}", x.abs());
    let (mantissa, exponent) = written.split_once('e').unwrap_or((&written, "0"));
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    // How many of the digits stay: those before the point, plus `places`.
    let kept = (exponent + 1).saturating_add(places.clamp(-1000, 1000));
    if kept >= digits.len() as i64 {
        return Ok(x);
    }
    let sign = if x < 0.0 { "-" } else { "" };
    if kept < 0 {
        return Ok(0.0);
    }
    let kept = kept as usize;
    let mut rounded: Vec<u8> = digits[..kept].to_vec();
    let mut scale = exponent + 1 - kept as i64; // the power of ten of the last kept digit
    if digits[kept] >= b'5' {
        // Add one unit in the last kept place, carrying.
        let mut index = rounded.len();
        loop {
            if index == 0 {
                rounded.insert(0, b'1');
                break;
            }
            index -= 1;
            if rounded[index] == b'9' {
                rounded[index] = b'0';
            } else {
                rounded[index] += 1;
                break;
            }
        }
    }
    if rounded.is_empty() {
        return Ok(0.0);
    }
    // Trailing zeros carry no value.
    while rounded.len() > 1 && rounded.last() == Some(&b'0') {
        rounded.pop();
        scale += 1;
    }
    let text = format!("{sign}{}e{scale}", String::from_utf8_lossy(&rounded));
    let value: f64 = text.parse().map_err(|_| Fault::out_of_range())?;
    if value.is_finite() {
        Ok(if value == 0.0 { 0.0 } else { value })
    } else {
        Err(Fault::out_of_range())
    }
}

/// A real as messages and `text()` show it: a whole number with one decimal (`249.0`),
/// otherwise at most nine decimals, without the noise of binary fractions (`0.1 + 0.2` is
/// `0.3`).
pub fn format_real(value: f64) -> String {
    let value = if value == 0.0 { 0.0 } else { value };
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.1}")
    } else if value.abs() >= 1e15 || !value.is_finite() {
        format!("{value}")
    } else {
        match round(value, 9) {
            Ok(rounded) => format!("{rounded}"),
            Err(_) => format!("{value}"),
        }
    }
}

/// A duration of `n` units of `seconds` each (`days(n)`, `hours(n)`, …).
pub fn duration(n: &Datum, seconds: i64) -> Result<Datum<'static>, Fault> {
    match n {
        Datum::Int(n) => checked(n.checked_mul(seconds)),
        _ => Err(Fault::not_applicable("a duration")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_is_half_away_from_zero_as_written() {
        assert_eq!(round(2.675, 2), Ok(2.68));
        assert_eq!(round(1.005, 2), Ok(1.01));
        assert_eq!(round(0.125, 2), Ok(0.13));
        assert_eq!(round(0.285, 2), Ok(0.29));
        assert_eq!(round(-2.5, 0), Ok(-3.0));
        assert_eq!(round(2.5, 0), Ok(3.0));
        assert_eq!(round(0.49999999999999994, 0), Ok(0.0));
        assert_eq!(round(9.995, 2), Ok(10.0));
        assert_eq!(round(1234.5, -2), Ok(1200.0));
        assert_eq!(round(1250.0, -2), Ok(1300.0));
        assert_eq!(round(49.0, -2), Ok(0.0));
        assert_eq!(round(51.0, -2), Ok(100.0));
        assert_eq!(round(0.001, 2), Ok(0.0));
        assert_eq!(round(1e300, 2), Ok(1e300));
        assert_eq!(round(123.456, 10), Ok(123.456));
        assert_eq!(round(-0.004, 2), Ok(0.0));
        assert_eq!(
            round(1.7976931348623157e308, -308),
            Err(Fault::out_of_range())
        );
        assert_eq!(round(5e-324, 400), Ok(5e-324));
    }

    #[test]
    fn integer_arithmetic_never_wraps() {
        assert_eq!(
            add(&Datum::Int(i64::MAX), &Datum::Int(1)),
            Err(Fault::out_of_range())
        );
        assert_eq!(neg(&Datum::Int(i64::MIN)), Err(Fault::out_of_range()));
        assert_eq!(
            rem(&Datum::Int(i64::MIN), &Datum::Int(-1)),
            Ok(Datum::Int(0))
        );
        assert_eq!(
            div(&Datum::Int(1), &Datum::Int(0)),
            Err(Fault::division_by_zero())
        );
        assert_eq!(
            mul(&Datum::Real(1e308), &Datum::Int(10)),
            Err(Fault::out_of_range())
        );
        assert_eq!(div(&Datum::Int(7), &Datum::Int(2)), Ok(Datum::Real(3.5)));
    }

    #[test]
    fn reals_print_without_noise() {
        assert_eq!(format_real(249.0), "249.0");
        assert_eq!(format_real(0.1 + 0.2), "0.3");
        assert_eq!(format_real(-0.0), "0.0");
        assert_eq!(format_real(2.675), "2.675");
        assert_eq!(format_real(1e20), "100000000000000000000");
    }
}
