//! How two values of one type compare: numbers by value across int and real (exactly, as
//! SQLite compares them, never through a rounding conversion), text by its UTF-8 bytes,
//! booleans with `false` first. Across types, or with a null, there is no order.

use std::cmp::Ordering;

use super::Datum;

pub fn compare(a: &Datum, b: &Datum) -> Option<Ordering> {
    use Datum::*;
    match (a, b) {
        (Int(x), Int(y)) => Some(x.cmp(y)),
        (Real(x), Real(y)) => x.partial_cmp(y),
        (Int(x), Real(y)) => int_real(*x, *y),
        (Real(x), Int(y)) => int_real(*y, *x).map(Ordering::reverse),
        (Text(x), Text(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        (Bool(_) | Int(_), Bool(_) | Int(_)) => {
            let (x, y) = (a.as_bool()?, b.as_bool()?);
            Some(x.cmp(&y))
        }
        _ => None,
    }
}

/// An integer against a real, exactly.
fn int_real(int: i64, real: f64) -> Option<Ordering> {
    if real.is_nan() {
        return None;
    }
    // Every i64 lies strictly inside (-2^63 - 1, 2^63).
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if real >= TWO_63 {
        return Some(Ordering::Less);
    }
    if real < -TWO_63 {
        return Some(Ordering::Greater);
    }
    let whole = real.trunc();
    // |whole| < 2^63, so the conversion is exact.
    let order = i128::from(int).cmp(&(whole as i128));
    Some(order.then_with(|| {
        let fraction = real - whole;
        0.0_f64.partial_cmp(&fraction).unwrap_or(Ordering::Equal)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_and_reals_compare_exactly() {
        let big = Datum::Int(9_007_199_254_740_993);
        let near = Datum::Real(9_007_199_254_740_992.0);
        assert_eq!(compare(&big, &near), Some(Ordering::Greater));
        assert_eq!(
            compare(&Datum::Int(2), &Datum::Real(2.0)),
            Some(Ordering::Equal)
        );
        assert_eq!(
            compare(&Datum::Int(2), &Datum::Real(2.5)),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare(&Datum::Int(-3), &Datum::Real(-2.5)),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare(&Datum::Int(i64::MAX), &Datum::Real(9.3e18)),
            Some(Ordering::Less)
        );
        assert_eq!(compare(&Datum::Int(1), &Datum::Null), None);
    }

    #[test]
    fn text_compares_by_bytes() {
        let upper = Datum::text("Z");
        let lower = Datum::text("a");
        assert_eq!(compare(&upper, &lower), Some(Ordering::Less));
        assert_eq!(
            compare(&Datum::text("é"), &Datum::text("z")),
            Some(Ordering::Greater)
        );
    }
}
