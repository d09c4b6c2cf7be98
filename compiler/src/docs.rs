//! The language's documents, embedded so `awmc explain` and `awmc prompt` work from any
//! directory: the diagnostic index and the LLM authoring guide.

/// `dsl-spec/diagnostics.md`: every diagnostic code with its meaning, an example and the fix.
pub const DIAGNOSTICS: &str = include_str!("../../dsl-spec/diagnostics.md");

/// `dsl-spec/llm-guide.md`: what an LLM is prompted with to write specs.
pub const LLM_GUIDE: &str = include_str!("../../dsl-spec/llm-guide.md");

/// The section of the diagnostic index about one code: from its `## CODE name` heading to
/// the next heading of that level.
pub fn diagnostic_section(code: &str) -> Option<&'static str> {
    let heading = format!("## {code} ");
    let start = DIAGNOSTICS.find(&heading)?;
    let rest = &DIAGNOSTICS[start..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 4);
    Some(rest[..end].trim_end())
}
