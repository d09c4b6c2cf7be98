//! "Did you mean": the closest known name to an unknown one (a table, a tool, an
//! environment). A case-insensitive match wins; then `x_id` for `x`; then the only name
//! `x` begins; then the nearest name within an edit distance of max(len/3, 1) (as Gleam
//! does), preferring a shared prefix on ties.

/// The best suggestion for `wrong` among `candidates`, if any is close enough.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let candidates: Vec<&str> = candidates.into_iter().filter(|c| *c != wrong).collect();
    if let Some(exact) = candidates.iter().find(|c| c.eq_ignore_ascii_case(wrong)) {
        return Some(exact);
    }
    // `user` for `user_id`: the most common slip with foreign keys.
    let with_id = format!("{wrong}_id");
    if let Some(id) = candidates.iter().find(|c| **c == with_id) {
        return Some(id);
    }
    // `search` for `search_books`: the only name it begins.
    if wrong.len() >= 4 {
        let mut prefixed = candidates.iter().filter(|c| c.starts_with(wrong));
        if let (Some(only), None) = (prefixed.next(), prefixed.next()) {
            return Some(only);
        }
    }
    let limit = (wrong.chars().count() / 3).max(1);
    let mut best: Option<(usize, usize, &str)> = None;
    for candidate in &candidates {
        let distance =
            strsim::damerau_levenshtein(&wrong.to_lowercase(), &candidate.to_lowercase());
        let shares_prefix =
            usize::from(!candidate.starts_with(wrong.chars().next().unwrap_or(' ')));
        let plural_or_singular = candidate.trim_end_matches('s') == wrong.trim_end_matches('s');
        let distance = if plural_or_singular { 0 } else { distance };
        if distance <= limit && best.is_none_or(|(d, p, _)| (distance, shares_prefix) < (d, p)) {
            best = Some((distance, shares_prefix, candidate));
        }
    }
    best.map(|(_, _, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_name() {
        let tables = ["users", "orders", "order_items", "products"];
        assert_eq!(did_you_mean("ordrs", tables), Some("orders"));
        assert_eq!(did_you_mean("product", tables), Some("products"));
        assert_eq!(did_you_mean("Users", tables), Some("users"));
        assert_eq!(did_you_mean("zzzzzz", tables), None);
        assert_eq!(
            did_you_mean("user", ["user_id", "product_id"]),
            Some("user_id")
        );
        assert_eq!(
            did_you_mean("search", ["search_books", "get_book"]),
            Some("search_books")
        );
    }

    #[test]
    fn does_not_suggest_the_wrong_name_itself() {
        assert_eq!(did_you_mean("a", ["a"]), None);
    }
}
