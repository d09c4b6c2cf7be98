//! `answer mentions value`: whether a text (an agent's answer) mentions a value,
//! case-insensitively, with numbers matched however they are written (`48247`, `48,247`,
//! `48247.0`; `420.0` also as `420` or `420.00`).

use super::Datum;

/// Whether `text` mentions `value`.
pub fn mentions(text: &str, value: &Datum) -> bool {
    let haystack = normalise_numbers(&text.to_lowercase());
    let needles: Vec<String> = match value {
        Datum::Int(i) => vec![i.to_string()],
        Datum::Real(r) if r.fract() == 0.0 && r.abs() < 1e15 => {
            vec![format!("{}", *r as i64), format!("{r:.2}")]
        }
        Datum::Real(r) => vec![format!("{r:.2}"), format!("{}", (r * 1e6).round() / 1e6)],
        Datum::Null => return false,
        Datum::Bool(b) => vec![b.to_string()],
        Datum::Text(t) => vec![t.to_lowercase()],
    };
    needles
        .iter()
        .any(|needle| contains_number_or_text(&haystack, needle))
}

/// Removes thousands separators between digits (`48,247` → `48247`).
fn normalise_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, c) in chars.iter().enumerate() {
        let separator = *c == ','
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars
                .get(i + 1..i + 4)
                .is_some_and(|next| next.iter().all(char::is_ascii_digit))
            && !chars.get(i + 4).is_some_and(char::is_ascii_digit);
        if !separator {
            out.push(*c);
        }
    }
    out
}

/// A number must not be part of a longer number (`12` is not mentioned by `120`).
fn contains_number_or_text(haystack: &str, needle: &str) -> bool {
    let numeric = needle
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == '-');
    if !numeric {
        return haystack.contains(needle);
    }
    haystack.match_indices(needle).any(|(start, _)| {
        let before = haystack[..start].chars().next_back();
        let after = haystack[start + needle.len()..].chars().next();
        let after_is_decimal = after == Some('.')
            && haystack[start + needle.len() + 1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
            && !haystack[start + needle.len() + 1..].starts_with('0');
        !before.is_some_and(|c| c.is_ascii_digit() || c == '.')
            && !after.is_some_and(|c| c.is_ascii_digit())
            && !after_is_decimal
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_matches_numbers_however_written() {
        assert!(mentions("You have 48,247 points.", &Datum::Int(48247)));
        assert!(mentions("It costs $420.00", &Datum::Real(420.0)));
        assert!(mentions("The total is 420.", &Datum::Real(420.0)));
        assert!(!mentions("Order 120 shipped", &Datum::Int(12)));
        assert!(!mentions("about 2.5 stars", &Datum::Int(2)));
        assert!(mentions("The ZenBook 14", &Datum::text("zenbook")));
    }
}
