//! "Did you mean" in diagnostics: the closest known name (found by the runtime's
//! [`did_you_mean`], which agents' unknown tools share), or a short list of what exists.

pub use awm_runtime::suggest::did_you_mean;

/// The help line for an unknown name: "did you mean `x`?", or the list of what exists when
/// it is short.
pub fn help_for<'a>(
    wrong: &str,
    what: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    if let Some(best) = did_you_mean(wrong, candidates.iter().copied()) {
        return Some(format!("did you mean `{best}`?"));
    }
    match candidates.len() {
        0 => None,
        1..=8 => Some(format!(
            "the {what}s here are {}",
            candidates
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_a_short_set_of_candidates_when_nothing_is_close() {
        let help = help_for("qqqq", "column", ["id", "name"]);
        assert_eq!(help.as_deref(), Some("the columns here are `id`, `name`"));
    }
}
