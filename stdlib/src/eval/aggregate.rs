//! `sum` and `avg` over a sequence of numbers, fed one value at a time (as SQLite feeds an
//! aggregate, and as a list method walks a list). Nulls are skipped.

use super::{Datum, Fault};

/// A running sum: exact while every value is an int (overflow is a fault), a real from
/// the first real on. The sum of nothing is 0.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sum {
    int: i64,
    real: Option<f64>,
}

impl Sum {
    pub fn add(&mut self, value: &Datum) -> Result<(), Fault> {
        match (value, self.real) {
            (Datum::Null, _) => {}
            (Datum::Int(i), None) => {
                self.int = self.int.checked_add(*i).ok_or_else(Fault::out_of_range)?;
            }
            (Datum::Int(i), Some(total)) => self.real = Some(total + *i as f64),
            (Datum::Real(r), None) => self.real = Some(self.int as f64 + r),
            (Datum::Real(r), Some(total)) => self.real = Some(total + r),
            _ => return Err(Fault::not_applicable("sum")),
        }
        Ok(())
    }

    pub fn total(&self) -> Result<Datum<'static>, Fault> {
        match self.real {
            None => Ok(Datum::Int(self.int)),
            Some(total) if total.is_finite() => Ok(Datum::Real(total)),
            Some(_) => Err(Fault::out_of_range()),
        }
    }
}

/// A running mean; null when no value was given.
#[derive(Debug, Clone, Copy, Default)]
pub struct Avg {
    total: f64,
    count: u64,
}

impl Avg {
    pub fn add(&mut self, value: &Datum) -> Result<(), Fault> {
        match value {
            Datum::Null => {}
            other => {
                self.total += other.as_f64().ok_or_else(|| Fault::not_applicable("avg"))?;
                self.count += 1;
            }
        }
        Ok(())
    }

    pub fn mean(&self) -> Result<Datum<'static>, Fault> {
        if self.count == 0 {
            return Ok(Datum::Null);
        }
        let mean = self.total / self.count as f64;
        if mean.is_finite() {
            Ok(Datum::Real(mean))
        } else {
            Err(Fault::out_of_range())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_are_exact_for_ints_and_real_from_the_first_real() {
        let mut sum = Sum::default();
        assert_eq!(sum.total(), Ok(Datum::Int(0)));
        for value in [Datum::Int(2), Datum::Null, Datum::Int(3)] {
            assert_eq!(sum.add(&value), Ok(()));
        }
        assert_eq!(sum.total(), Ok(Datum::Int(5)));
        assert_eq!(sum.add(&Datum::Real(0.5)), Ok(()));
        assert_eq!(sum.total(), Ok(Datum::Real(5.5)));
        let mut overflow = Sum::default();
        assert_eq!(overflow.add(&Datum::Int(i64::MAX)), Ok(()));
        assert_eq!(overflow.add(&Datum::Int(1)), Err(Fault::out_of_range()));
    }

    #[test]
    fn the_mean_of_nothing_is_missing() {
        let mut avg = Avg::default();
        assert_eq!(avg.mean(), Ok(Datum::Null));
        assert_eq!(avg.add(&Datum::Int(1)), Ok(()));
        assert_eq!(avg.add(&Datum::Real(2.0)), Ok(()));
        assert_eq!(avg.mean(), Ok(Datum::Real(1.5)));
    }
}
