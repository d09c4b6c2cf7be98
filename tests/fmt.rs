//! The formatter (`awmc fmt`): over every example and valid spec it is idempotent, keeps
//! every comment and string literal in order, and never changes what a spec means (the
//! lowered IR is the same, spans aside); specs laid out at random format just as safely;
//! broken text is refused; and the layout rules hold on small cases.

use std::fmt::Write as _;

use std::path::Path;

use awm_tests::{analyze, codes, read, specs_in};
use awmc::fmt::{FormatError, format};
use awmc::lower::ir::{Expect, Stmt};

fn corpus() -> Vec<(String, String)> {
    let mut specs = specs_in("dsl-spec/examples");
    specs.extend(specs_in("tests/specs/valid"));
    assert!(specs.len() >= 20, "the corpus is missing");
    specs
        .iter()
        .map(|path| (path.display().to_string(), read(path)))
        .collect()
}

fn formatted(name: &str, source: &str) -> String {
    format(source).unwrap_or_else(|error| panic!("{name}: {error}: {:?}", error.diagnostics()))
}

/// The comments and string literals of a text, in order, found by a scan of its own (not
/// the formatter's lexer): `//` outside strings to the end of the line, `"…"` with escapes.
fn comments_and_strings(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c == '/' && chars.peek().is_some_and(|&(_, n)| n == '/') {
            let end = text[start..].find('\n').map_or(text.len(), |n| start + n);
            found.push(text[start..end].trim_end().to_string());
            while chars.peek().is_some_and(|&(i, _)| i < end) {
                chars.next();
            }
        } else if c == '"' {
            let mut end = text.len();
            while let Some((i, n)) = chars.next() {
                if n == '\\' {
                    chars.next();
                } else if n == '"' {
                    end = i + 1;
                    break;
                }
            }
            found.push(text[start..end].to_string());
        }
    }
    found
}

/// What a spec means: its lowered IR without spans, hashes of the text, or the layout of
/// the source snippets kept for evidence (expectations as written, their sides).
fn meaning(name: &str, source: &str) -> String {
    let analysis = analyze(Path::new(name), source);
    assert!(analysis.is_accepted(), "{name} is not accepted");
    let ir = awmc::lower::lower(&analysis.spec, &analysis.checked, source);
    let squeeze = |text: &str| text.split_whitespace().collect::<String>();
    let mut out = format!(
        "{:?} {:?} {:?} {:?} {:?} {:?}\n{:?}\n{:?}\n",
        ir.name, ir.title, ir.description, ir.user, ir.clock, ir.enums, ir.schema, ir.seed
    );
    for tool in &ir.tools {
        let _ = writeln!(
            out,
            "tool {:?} {:?} slots {} returns {}",
            tool.spec, tool.body, tool.slots, tool.returns_value
        );
        for (check, message) in &tool.checks {
            let _ = writeln!(out, "  check {check:?} {}", squeeze(message));
        }
    }
    for task in &ir.tasks {
        let _ = writeln!(
            out,
            "task {} {:?} {:?} slots {}",
            task.name, task.prompt, task.answer, task.slots
        );
        for call in &task.solution {
            let _ = writeln!(out, "  call {} {:?}", call.tool, call.arguments);
        }
        for stmt in &task.verify {
            let line = match stmt {
                Stmt::Expect(expectation) => {
                    let condition = match &expectation.condition {
                        Expect::Holds { condition, sides } => {
                            let sides: Vec<(String, String)> = sides
                                .iter()
                                .map(|(text, side)| (squeeze(text), format!("{side:?}")))
                                .collect();
                            format!("{condition:?} sides {sides:?}")
                        }
                        Expect::Unchanged { except } => format!("unchanged {except:?}"),
                    };
                    format!("expect {} {condition}", squeeze(&expectation.text))
                }
                other => format!("{other:?}"),
            };
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}

#[test]
fn formatting_is_idempotent_over_the_corpus() {
    for (name, source) in corpus() {
        let once = formatted(&name, &source);
        let twice = formatted(&name, &once);
        assert!(once == twice, "{name}: formatting twice changes it again");
    }
}

#[test]
fn formatting_keeps_every_comment_and_string_in_order() {
    for (name, source) in corpus() {
        let once = formatted(&name, &source);
        assert_eq!(
            comments_and_strings(&source),
            comments_and_strings(&once),
            "{name}"
        );
        let squeeze = |text: &str| text.split_whitespace().collect::<String>();
        assert!(
            squeeze(&source) == squeeze(&once),
            "{name}: more than whitespace changed"
        );
        assert!(once.ends_with('\n') && !once.ends_with("\n\n"), "{name}");
        assert!(
            once.lines().all(|line| line == line.trim_end()),
            "{name}: trailing whitespace"
        );
        assert!(!once.contains("\n\n\n"), "{name}: two blank lines");
    }
}

#[test]
fn the_meaning_comparison_sees_a_changed_operator_but_not_moved_text() {
    let (name, source) = corpus()
        .into_iter()
        .find(|(name, _)| name.ends_with("arithmetic_and_precedence.awm"))
        .unwrap_or_else(|| panic!("arithmetic_and_precedence.awm is missing"));
    let changed = source.replacen("diff: a - b - 1", "diff: a - b + 1", 1);
    assert_ne!(
        changed, source,
        "the spec no longer has the line this test edits"
    );
    assert_ne!(meaning(&name, &source), meaning(&name, &changed));
    let moved = format!("\n\n{}", source.replace("\n", "\n  "));
    assert_eq!(meaning(&name, &source), meaning(&name, &moved));
}

#[test]
fn formatting_never_changes_what_a_spec_means() {
    for (name, source) in corpus() {
        let once = formatted(&name, &source);
        let before = analyze(Path::new(&name), &source);
        let after = analyze(Path::new(&name), &once);
        assert!(after.is_accepted(), "{name}: rejected after formatting");
        assert_eq!(codes(&before), codes(&after), "{name}: other warnings");
        assert!(
            meaning(&name, &source) == meaning(&name, &once),
            "{name}: the lowered IR changed"
        );
    }
}

/// The corpus with every run of whitespace between tokens replaced by another: spaces,
/// tabs, line breaks and blank lines at random (a line break always follows a comment).
fn scrambled(source: &str, seed: u64) -> String {
    const RUNS: &[&str] = &[
        " ", "  ", "\n", "\n\n\n", "\t", "\n      ", "\r\n ", "\n\t\t",
    ];
    let mut state = seed | 1;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = String::with_capacity(source.len() * 2);
    let mut in_string = false;
    let mut in_comment = false;
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        let outside = !in_string && !in_comment;
        if outside && c.is_whitespace() {
            let mut newline = c == '\n';
            while chars.peek().is_some_and(|n| n.is_whitespace()) {
                newline |= chars.next() == Some('\n');
            }
            // Keep line breaks where they were half of the time, so comments stay
            // terminated and lines of every length occur.
            let run = RUNS[(next() % RUNS.len() as u64) as usize];
            if newline && !run.contains('\n') {
                out.push('\n');
            }
            out.push_str(run);
            continue;
        }
        out.push(c);
        if in_comment {
            in_comment = c != '\n';
        } else if in_string {
            if c == '\\' {
                out.extend(chars.next());
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        } else if c == '/' && chars.peek() == Some(&'/') {
            in_comment = true;
        }
    }
    out
}

#[test]
fn specs_laid_out_at_random_format_idempotently_with_the_same_meaning() {
    for (index, (name, source)) in corpus().into_iter().enumerate() {
        let expected = meaning(&name, &source);
        let mess = scrambled(&source, 0x2545_F491_4F6C_DD1D ^ index as u64);
        let once = formatted(&name, &mess);
        assert!(
            formatted(&name, &once) == once,
            "{name}: not idempotent after scrambling"
        );
        assert_eq!(comments_and_strings(&source), comments_and_strings(&once));
        assert!(
            meaning(&name, &once) == expected,
            "{name}: the lowered IR changed"
        );
    }
}

#[test]
fn invalid_specs_are_refused_or_formatted_without_changing_their_diagnostics() {
    for path in specs_in("tests/specs/invalid") {
        let name = path.display().to_string();
        let source = read(&path);
        match format(&source) {
            Err(FormatError::Syntax(diagnostics)) => {
                assert!(diagnostics.iter().any(|d| d.is_error()), "{name}");
            }
            Err(FormatError::Internal(message)) => panic!("{name}: {message}"),
            Ok(once) => {
                assert_eq!(format(&once).as_ref(), Ok(&once), "{name}");
                assert_eq!(
                    codes(&analyze(&path, &source)),
                    codes(&analyze(&path, &once)),
                    "{name}"
                );
            }
        }
    }
}

/// The ```` ```awm ```` blocks of the manuals.
fn manual_examples() -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    for manual in ["reference.md", "diagnostics.md", "llm-guide.md"] {
        let text = read(&awm_tests::root().join("dsl-spec").join(manual));
        let mut current: Option<Vec<&str>> = None;
        for (number, line) in text.lines().enumerate() {
            match (line.trim_start(), current.as_mut()) {
                ("```awm", None) => current = Some(Vec::new()),
                ("```", Some(_)) => blocks.extend(
                    current
                        .take()
                        .map(|b| (format!("{manual}:{number}"), b.join("\n"))),
                ),
                (_, Some(block)) => block.push(line),
                _ => {}
            }
        }
    }
    blocks
}

#[test]
fn manual_examples_are_refused_or_formatted_safely() {
    let examples = manual_examples();
    assert!(examples.len() >= 100, "only {} examples", examples.len());
    for (name, source) in examples {
        match format(&source) {
            Err(FormatError::Syntax(_)) => {}
            Err(FormatError::Internal(message)) => panic!("{name}: {message}"),
            Ok(once) => {
                assert_eq!(format(&once).as_ref(), Ok(&once), "{name}");
                assert_eq!(comments_and_strings(&source), comments_and_strings(&once));
                let squeeze = |text: &str| text.split_whitespace().collect::<String>();
                assert_eq!(squeeze(&source), squeeze(&once), "{name}");
            }
        }
    }
}

#[test]
fn corrupted_text_never_panics_and_formats_idempotently_when_it_parses() {
    let (_, source) = corpus()
        .into_iter()
        .find(|(name, _)| name.ends_with("library.awm"))
        .unwrap_or_else(|| panic!("library.awm is missing"));
    let noise = [
        "{", "}", "(", ")", "\"", "\\", "\n", "//", "-", "é", "\t", ",", ":",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..60 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let mut text = source.clone();
        let mut at = (state % text.len() as u64) as usize;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.insert_str(at, noise[(state >> 32) as usize % noise.len()]);
        if let Ok(once) = format(&text) {
            assert_eq!(format(&once).as_ref(), Ok(&once));
        }
        let cut = &text[..at];
        if let Ok(once) = format(cut) {
            assert_eq!(format(&once).as_ref(), Ok(&once));
        }
    }
}

// ---- layout rules ----------------------------------------------------------------------

/// Formats, checks that formatting again changes nothing, and returns the result.
fn fmt(source: &str) -> String {
    let once = formatted("case", source);
    assert_eq!(formatted("case again", &once), once, "not idempotent");
    once
}

#[test]
fn blocks_are_indented_two_spaces_per_level() {
    let source = "env e {\ntitle: \"x\"\n      clock: 2026-01-01T00:00:00Z\n}\n\ntool t(a: int) -> int \"d\" {\nif a > 1 {\nfor x in [1, 2] {\nlet y = x\n}\nreturn 1\n}\n    else {\nreturn 2\n}\n}\n";
    let expected = "env e {\n  title: \"x\"\n  clock: 2026-01-01T00:00:00Z\n}\n\ntool t(a: int) -> int \"d\" {\n  if a > 1 {\n    for x in [1, 2] {\n      let y = x\n    }\n    return 1\n  }\n  else {\n    return 2\n  }\n}\n";
    assert_eq!(fmt(source), expected);
}

#[test]
fn spacing_around_operators_commas_colons_and_brackets() {
    let cases = [
        (
            "tool t(a:int,b : int?)->[int]\"d\"{return [a,-b,( a+b )*2,f( a ) ,x . y]}",
            "tool t(a: int, b: int?) -> [int] \"d\" { return [a, -b, (a + b) * 2, f(a), x.y] }",
        ),
        (
            "table t {\n  id:int primary\n  n:int=-1 check (n>=0)\n  index(id,n)\n  unique( n )\n}",
            "table t {\n  id: int primary\n  n: int = -1 check(n >= 0)\n  index (id, n)\n  unique (n)\n}",
        ),
        (
            "tool t(limit:int)->int\"d\"{ return limit-1 }",
            "tool t(limit: int) -> int \"d\" { return limit - 1 }",
        ),
        (
            "tool t()->{a:bool}\"d\"{ return {a:not(1==2)and x!=y} }",
            "tool t() -> { a: bool } \"d\" { return { a: not (1 == 2) and x != y } }",
        ),
        (
            "tool t() \"d\" { insert t { } }",
            "tool t() \"d\" { insert t {} }",
        ),
        (
            "tool t() \"d\" { upsert c {a:1} on(a) set {b:excluded.b} }",
            "tool t() \"d\" { upsert c { a: 1 } on (a) set { b: excluded.b } }",
        ),
    ];
    for (source, expected) in cases {
        assert_eq!(fmt(source), format!("{expected}\n"), "{source}");
    }
}

#[test]
fn blank_lines_are_at_most_one_and_declarations_are_separated() {
    let source = "\n\n// leading comment\n\n\n\nenum a { x }\nenum b { y }\ntable t {\n\n  id: int primary\n\n\n  n: int\n\n}\n// belongs to the seed\nseed t [\n  { id: 1, n: 2 },\n]\n\n\n\ntool f() \"d\" {\n}\n";
    let expected = "// leading comment\n\nenum a { x }\nenum b { y }\n\ntable t {\n  id: int primary\n\n  n: int\n}\n\n// belongs to the seed\nseed t [\n  { id: 1, n: 2 },\n]\n\ntool f() \"d\" {\n}\n";
    assert_eq!(fmt(source), expected);
}

#[test]
fn seed_from_a_file_keeps_its_path_and_layout() {
    assert_eq!(
        fmt(
            "seed   orders\n   from\"data/orders.jsonl\"\nseed users from \"u.csv\"   // people\nseed t [\n]"
        ),
        "seed orders\n   from \"data/orders.jsonl\"\n\nseed users from \"u.csv\"   // people\n\nseed t [\n]\n"
    );
}

#[test]
fn declarations_sharing_a_line_are_split() {
    assert_eq!(
        fmt("enum a { x } table t {\n  id: int primary\n} enum b { y }"),
        "enum a { x }\n\ntable t {\n  id: int primary\n}\n\nenum b { y }\n"
    );
}

#[test]
fn comments_keep_their_place() {
    let source = "env e {   // after the brace\n  title: \"x\",      // aligned\n        clock: 2026-01-01T00:00:00Z // moved with its line\n      // own line, before the brace\n}  // after the declaration\n// at the end\n";
    let expected = "env e {   // after the brace\n  title: \"x\",      // aligned\n  clock: 2026-01-01T00:00:00Z // moved with its line\n  // own line, before the brace\n}  // after the declaration\n\n// at the end\n";
    assert_eq!(fmt(source), expected);
    // A comment the code has grown into moves right; one on its own line takes the
    // indentation of the line after it.
    let source = "tool t() -> int \"d\" {\n  return 1+2 // sum\n      // why\n  }\n";
    let expected = "tool t() -> int \"d\" {\n  return 1 + 2 // sum\n  // why\n}\n";
    assert_eq!(fmt(source), expected);
    let source =
        "tool t() -> int \"d\" {\n// first\n  let a = 1\n          // second\n  return a\n}\n";
    let expected = "tool t() -> int \"d\" {\n  // first\n  let a = 1\n  // second\n  return a\n}\n";
    assert_eq!(fmt(source), expected);
}

#[test]
fn continuation_lines_keep_their_offset_and_alignment() {
    // The tool header's continuation and body; a query's clauses two and four columns in;
    // a record aligned after its brace, which follows when the line moves.
    let source = "tool t(q: text?) -> [p]\n  \"Search.\" {\n      let m = p\n        where a == 1\n          and b == 2 if q\n        select { id: id,\n                 n: n }\n      return m\n}\n";
    let expected = "tool t(q: text?) -> [p]\n  \"Search.\" {\n  let m = p\n    where a == 1\n      and b == 2 if q\n    select { id: id,\n             n: n }\n  return m\n}\n";
    assert_eq!(fmt(source), expected);
    // A continuation written at or left of its item is indented one level.
    assert_eq!(
        fmt("tool t() -> int \"d\" {\n  return a\n  + b\n}\n"),
        "tool t() -> int \"d\" {\n  return a\n    + b\n}\n"
    );
}

#[test]
fn brackets_that_end_a_line_open_a_block() {
    let source = "tool t(\n    a: int,\n b: int = 2,\n) -> { x: int, ys: [int] } \"d\" {\n  return {\n        x: a,\n    ys: [\n  1,\n      2,\n    ],\n  }\n}\n\ntask k \"p\" {\n solution {\n t(a: 1)\n answer \"x\"\n }\n verify {\n expect final == initial except [\n final.t where id == 1,\n ]\n }\n}\n";
    let expected = "tool t(\n  a: int,\n  b: int = 2,\n) -> { x: int, ys: [int] } \"d\" {\n  return {\n    x: a,\n    ys: [\n      1,\n      2,\n    ],\n  }\n}\n\ntask k \"p\" {\n  solution {\n    t(a: 1)\n    answer \"x\"\n  }\n  verify {\n    expect final == initial except [\n      final.t where id == 1,\n    ]\n  }\n}\n";
    assert_eq!(fmt(source), expected);
}

#[test]
fn line_endings_tabs_and_the_final_newline_are_normalised() {
    assert_eq!(
        fmt("env e {\r\n\ttitle: \"a\tb\"   \r\n}"),
        "env e {\n  title: \"a\tb\"\n}\n"
    );
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("\n \n"), "");
    assert_eq!(fmt("// only a comment   "), "// only a comment\n");
}

#[test]
fn string_literals_are_kept_byte_for_byte() {
    let source = "tool t(x: int) -> text \"  two  spaces \\\" and {x}  \" {\n  return \"a  {x}\\{  \\n\"\n}\n";
    assert_eq!(fmt(source), source);
}

#[test]
fn text_with_syntax_errors_is_refused() {
    for source in [
        "table t {\n  id int\n}\n",
        "env e { title: \"bad \\q escape\" }\n",
        "tool t( -> int { return 1 }\n",
        "tabel t {}\n",
    ] {
        match format(source) {
            Err(FormatError::Syntax(diagnostics)) => {
                assert!(
                    diagnostics.iter().any(|d| d.is_error()),
                    "{source}: no error"
                );
            }
            other => panic!("{source}: expected a syntax error, got {other:?}"),
        }
    }
}
