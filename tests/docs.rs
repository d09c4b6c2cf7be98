//! The diagnostic index (`dsl-spec/diagnostics.md`) can never go stale: every code has a
//! section, every section names a real code, each section's first example produces its
//! code, and its second (the fix) is accepted. Examples that read data files
//! (`seed … from "PATH"`) get them from the ```` ```jsonl PATH ```` and ```` ```csv PATH ````
//! blocks before them.

use awmc::data_files::DataFiles;
use awmc::diagnostic::Code;
use awmc::docs;
use awmc::driver;

/// Examples without an `env` header are checked after this prelude.
const PRELUDE: &str = "env doc {\n  clock: 2026-01-01T00:00:00Z\n  user: users(1)\n}\ntable users {\n  id: int primary\n  name: text\n}\nseed users [ { id: 1, name: \"Ada\" } ]\ntool whoami() -> users \"The signed-in user.\" { return me }\n";

fn examples(section: &str) -> Vec<String> {
    examples_with_files(section)
        .into_iter()
        .map(|(spec, _)| spec)
        .collect()
}

/// The ```` ```awm ```` blocks of a section, each with the data files declared before it
/// (since the previous one) by blocks headed ```` ```jsonl PATH ```` or ```` ```csv PATH ````:
/// the files a `seed … from "PATH"` in the example reads. Other paths do not exist.
fn examples_with_files(section: &str) -> Vec<(String, DataFiles)> {
    let mut blocks = Vec::new();
    let mut files = DataFiles::unavailable("no such file in the spec's folder");
    let mut current: Option<(Option<String>, Vec<&str>)> = None;
    for line in section.lines() {
        let trimmed = line.trim_start();
        match current.as_mut() {
            None if trimmed == "```awm" => current = Some((None, Vec::new())),
            None => {
                let file = trimmed
                    .strip_prefix("```jsonl ")
                    .or_else(|| trimmed.strip_prefix("```csv "));
                if let Some(path) = file {
                    current = Some((Some(path.trim().to_string()), Vec::new()));
                }
            }
            Some(_) if trimmed == "```" => match current.take() {
                Some((Some(path), lines)) => {
                    files.insert(path, Ok(lines.join("\n") + "\n"));
                }
                Some((None, lines)) => {
                    let given = std::mem::replace(
                        &mut files,
                        DataFiles::unavailable("no such file in the spec's folder"),
                    );
                    blocks.push((lines.join("\n"), given));
                }
                None => {}
            },
            Some((_, lines)) => lines.push(line),
        }
    }
    blocks
}

/// Examples without an `env` header get the prelude, unless they start with
/// `// no prelude` (to show what happens without a header).
fn with_prelude(example: &str) -> String {
    let standalone =
        example.starts_with("// no prelude") || example.lines().any(|l| l.starts_with("env "));
    if standalone {
        example.to_string()
    } else {
        format!("{PRELUDE}{example}\n")
    }
}

#[test]
fn every_code_is_documented_and_every_heading_is_a_code() {
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| docs::diagnostic_section(c.code()).is_none())
        .map(|c| c.code())
        .collect();
    assert!(missing.is_empty(), "undocumented codes: {missing:?}");
    for line in docs::DIAGNOSTICS.lines().filter(|l| l.starts_with("## ")) {
        let mut words = line[3..].split_whitespace();
        let (code, name) = (
            words.next().unwrap_or_default(),
            words.next().unwrap_or_default(),
        );
        let known = Code::find(code);
        assert!(
            known.is_some_and(|c| c.name() == name),
            "heading `{line}` does not match a code"
        );
    }
}

/// Codes no spec is known to produce: safety nets for gaps in the checker. Their pages
/// say so instead of giving an example.
const INTERNAL: &[Code] = &[Code::SeedImageFailed];

#[test]
fn each_example_produces_its_code_and_each_fix_is_accepted() {
    let mut failures = Vec::new();
    for code in Code::ALL.iter().filter(|c| !INTERNAL.contains(c)) {
        let Some(section) = docs::diagnostic_section(code.code()) else {
            continue;
        };
        let blocks = examples_with_files(section);
        let [(example, example_files), (fix, fix_files), ..] = blocks.as_slice() else {
            failures.push(format!(
                "{}: needs an example and a fix (two ```awm blocks)",
                code.code()
            ));
            continue;
        };
        let analysis = driver::analyze_with(&with_prelude(example), example_files);
        if !analysis.diagnostics.iter().any(|d| d.code == *code) {
            let got: Vec<&str> = analysis.diagnostics.iter().map(|d| d.code.code()).collect();
            failures.push(format!(
                "{}: the example does not produce it (got {got:?})",
                code.code()
            ));
        }
        let fixed = driver::analyze_with(&with_prelude(fix), fix_files);
        let still: Vec<String> = fixed
            .diagnostics
            .iter()
            .filter(|d| d.is_error() || d.code == *code)
            .map(|d| format!("{} {}", d.code.code(), d.message))
            .collect();
        if !still.is_empty() {
            failures.push(format!("{}: the fix still reports {still:?}", code.code()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_llm_guide_example_is_accepted_without_warnings() {
    let blocks = examples(docs::LLM_GUIDE);
    let [spec, ..] = blocks.as_slice() else {
        panic!("the guide has no ```awm example")
    };
    let analysis = driver::analyze(spec);
    let found: Vec<String> = analysis
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code.code(), d.message))
        .collect();
    assert!(found.is_empty(), "the guide's example reports {found:?}");
}
