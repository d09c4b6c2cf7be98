//! Calendar arithmetic on the language's `datetime` and `date` values, shared by the
//! checker (seed data, defaults) and the runtime so both compute the same instants.
//!
//! Datetimes are canonical ISO-8601 UTC text (`2026-03-14T09:30:00Z`), dates are
//! `2026-03-14`; durations are whole seconds.

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a count of days since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn parse_ymd(text: &str) -> Option<(i64, u32, u32)> {
    let mut parts = text.splitn(3, '-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    Some((year, month, day))
}

/// Seconds since the epoch of a canonical datetime.
pub fn parse_datetime(text: &str) -> Option<i64> {
    let (date, time) = text.split_once('T')?;
    let (year, month, day) = parse_ymd(date)?;
    let mut hms = time.trim_end_matches('Z').splitn(3, ':');
    let hour: i64 = hms.next()?.parse().ok()?;
    let minute: i64 = hms.next()?.parse().ok()?;
    let second: i64 = hms.next().map_or(Some(0), |s| s.parse().ok())?;
    Some(days_from_civil(year, month, day) * DAY + hour * 3600 + minute * 60 + second)
}

/// The canonical text of an instant.
pub fn format_datetime(seconds: i64) -> String {
    let (year, month, day) = civil_from_days(seconds.div_euclid(DAY));
    let rest = seconds.rem_euclid(DAY);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Days since the epoch of a date.
pub fn parse_date(text: &str) -> Option<i64> {
    let (year, month, day) = parse_ymd(text)?;
    Some(days_from_civil(year, month, day))
}

pub fn format_date(days: i64) -> String {
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_seconds() {
        for text in [
            "1970-01-01T00:00:00Z",
            "2026-03-14T09:30:00Z",
            "2024-02-29T23:59:59Z",
            "1969-12-31T12:00:00Z",
        ] {
            let seconds = parse_datetime(text);
            assert_eq!(seconds.map(format_datetime).as_deref(), Some(text));
        }
    }

    #[test]
    fn date_arithmetic_crosses_months_and_leap_days() {
        let clock = parse_datetime("2026-03-14T09:30:00Z").unwrap_or_default();
        assert_eq!(format_datetime(clock - 20 * DAY), "2026-02-22T09:30:00Z");
        let leap = parse_date("2024-02-28").unwrap_or_default();
        assert_eq!(format_date(leap + 1), "2024-02-29");
        assert_eq!(format_date(leap + 2), "2024-03-01");
    }
}
