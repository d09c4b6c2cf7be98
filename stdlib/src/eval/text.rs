//! Text functions and operators. Case mapping is Unicode's (`lower("ÉCOLE")` is `école`),
//! `trim` removes Unicode white space, `length` counts characters, and the matching
//! operators compare exactly (case-sensitively).

use super::{Datum, Fault, number};

fn text<'d>(datum: &'d Datum, function: &str) -> Result<&'d str, Fault> {
    datum
        .as_str()
        .ok_or_else(|| Fault::not_applicable(function))
}

pub fn lower(a: &Datum) -> Result<Datum<'static>, Fault> {
    Ok(Datum::text(text(a, "lower")?.to_lowercase()))
}

pub fn upper(a: &Datum) -> Result<Datum<'static>, Fault> {
    Ok(Datum::text(text(a, "upper")?.to_uppercase()))
}

pub fn trim(a: &Datum) -> Result<Datum<'static>, Fault> {
    Ok(Datum::text(text(a, "trim")?.trim()))
}

pub fn length(a: &Datum) -> Result<Datum<'static>, Fault> {
    let count = text(a, "length")?.chars().count();
    Ok(Datum::Int(i64::try_from(count).unwrap_or(i64::MAX)))
}

pub fn contains(a: &Datum, b: &Datum) -> Result<Datum<'static>, Fault> {
    Ok(Datum::Bool(
        text(a, "contains")?.contains(text(b, "contains")?),
    ))
}

pub fn starts_with(a: &Datum, b: &Datum) -> Result<Datum<'static>, Fault> {
    Ok(Datum::Bool(
        text(a, "starts_with")?.starts_with(text(b, "starts_with")?),
    ))
}

pub fn ends_with(a: &Datum, b: &Datum) -> Result<Datum<'static>, Fault> {
    Ok(Datum::Bool(
        text(a, "ends_with")?.ends_with(text(b, "ends_with")?),
    ))
}

/// Any scalar as text, as a message shows it: `null` for a missing value, reals without
/// binary noise, booleans as `true`/`false` (an int is shown as a number: a boolean stored
/// by SQLite as 0/1 is shown as a boolean only through [`text_of_bool`]).
pub fn to_text(a: &Datum) -> String {
    match a {
        Datum::Null => "null".to_string(),
        Datum::Int(i) => i.to_string(),
        Datum::Real(r) => number::format_real(*r),
        Datum::Text(t) => t.to_string(),
        Datum::Bool(b) => b.to_string(),
    }
}

/// A boolean as text (`true`/`false`), from either of its stored forms.
pub fn text_of_bool(a: &Datum) -> String {
    match a.as_bool() {
        Some(b) => b.to_string(),
        None => to_text(a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_mapping_is_unicode() {
        assert_eq!(
            lower(&Datum::text("ÉCOLE Ünd")),
            Ok(Datum::text("école ünd"))
        );
        assert_eq!(upper(&Datum::text("straße")), Ok(Datum::text("STRASSE")));
        assert_eq!(trim(&Datum::text("\t a b \n")), Ok(Datum::text("a b")));
        assert_eq!(length(&Datum::text("héllo")), Ok(Datum::Int(5)));
    }

    #[test]
    fn matching_is_exact() {
        let hay = Datum::text("Sony WH-1000XM5");
        assert_eq!(contains(&hay, &Datum::text("WH")), Ok(Datum::Bool(true)));
        assert_eq!(contains(&hay, &Datum::text("wh")), Ok(Datum::Bool(false)));
        assert_eq!(ends_with(&hay, &Datum::text("")), Ok(Datum::Bool(true)));
        assert_eq!(
            starts_with(&Datum::text("ab"), &Datum::text("abc")),
            Ok(Datum::Bool(false))
        );
    }
}
