//! The editor integrations in `dsl-spec/editors/` stay valid and in step with the
//! language: the VS Code files are valid JSON, and the TextMate grammar highlights every
//! keyword of the grammar.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn json(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not valid JSON: {e}"))
}

#[test]
fn vscode_extension_files_are_valid() {
    let package = json("dsl-spec/editors/vscode/package.json");
    assert_eq!(
        package["contributes"]["languages"][0]["extensions"][0],
        ".awm"
    );
    let grammar_path = package["contributes"]["grammars"][0]["path"]
        .as_str()
        .unwrap_or_default();
    assert!(
        root()
            .join("dsl-spec/editors/vscode")
            .join(grammar_path)
            .exists()
    );
    json("dsl-spec/editors/vscode/language-configuration.json");
    assert!(root().join("dsl-spec/editors/vscode/extension.js").exists());
}

#[test]
fn the_textmate_grammar_knows_every_keyword() {
    let grammar = json("dsl-spec/editors/vscode/syntaxes/awm.tmLanguage.json").to_string();
    let pest = std::fs::read_to_string(root().join("dsl-spec/awm.pest")).unwrap_or_default();
    let start = pest
        .find("HARD_KEYWORD = @{")
        .unwrap_or_else(|| panic!("no HARD_KEYWORD"));
    let end = start + pest[start..].find('}').unwrap_or(0);
    let keywords: Vec<&str> = pest[start..end].split('"').skip(1).step_by(2).collect();
    assert!(keywords.len() > 20, "{keywords:?}");
    let soft: Vec<&str> = pest
        .lines()
        .filter(|l| l.starts_with("KW_"))
        .filter_map(|l| l.split('"').nth(1))
        .collect();
    for keyword in keywords.iter().chain(&soft) {
        assert!(
            grammar.contains(&format!("|{keyword}|"))
                || grammar.contains(&format!("({keyword}|"))
                || grammar.contains(&format!("|{keyword})")),
            "the TextMate grammar does not highlight `{keyword}`"
        );
    }
}
