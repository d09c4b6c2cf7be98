//! TOML basic strings: every name and path written into a generated `Cargo.toml` goes
//! through [`quote`], so no value can end its string or start a new key.

use std::fmt::Write as _;

/// `text` as a TOML basic string, quotes included.
pub fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            // Other control characters (and DEL) are not allowed raw in a basic string.
            c if c.is_control() => {
                let _ = write!(quoted, "\\u{:04X}", u32::from(c));
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn escapes_what_could_end_the_string() {
        assert_eq!(quote("plain"), "\"plain\"");
        assert_eq!(quote("a\"b\\c\nd\u{7}é"), "\"a\\\"b\\\\c\\nd\\u0007é\"");
        assert_eq!(quote("\"]\n[x]\na = \""), "\"\\\"]\\n[x]\\na = \\\"\"");
    }
}
