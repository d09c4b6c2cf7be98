//! Hostile input: every example truncated at many points and corrupted in many ways is
//! analysed without a panic and without hanging.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use awm_tests::{read, specs_in};

/// How long one analysis may take before the test calls it a hang (a debug build on a
/// busy 2-core machine; real checks take milliseconds).
const HANG: Duration = Duration::from_secs(20);

const NOISE: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "\"",
    "\\",
    "\n",
    ":",
    ".",
    ",",
    "=",
    "->",
    "?",
    "??",
    "where",
    "else",
    "if",
    "for",
    "let",
    "return",
    "table",
    "seed",
    "tool",
    "task",
    "verify",
    "solution",
    "expect",
    "{x}",
    "\"{",
    "//",
    "0",
    "-1",
    "99999999999999999999",
    "2026-02-30",
    "é",
    "\u{0}",
    "((((((((",
    "not not",
    "null",
    "me.",
    "final.",
    "..",
];

fn variants(source: &str, seed: u64, count: usize) -> Vec<String> {
    let mut rng = awm_tests::XorShift(seed | 1);
    let boundaries: Vec<usize> = source
        .char_indices()
        .map(|(i, _)| i)
        .chain([source.len()])
        .collect();
    let lines: Vec<&str> = source.lines().collect();
    let mut out = Vec::with_capacity(count * 2);
    // Truncations at evenly spread points.
    for k in 0..count {
        let at = boundaries[k * (boundaries.len() - 1) / count.max(1)];
        out.push(source[..at].to_string());
    }
    // Corruptions.
    for _ in 0..count {
        let mut text = source.to_string();
        for _ in 0..1 + rng.below(3) {
            let bounds: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            let at = bounds[rng.below(bounds.len())];
            match rng.below(4) {
                0 => text.insert_str(at, NOISE[rng.below(NOISE.len())]),
                1 => {
                    let end = bounds[(bounds.partition_point(|&b| b <= at) + rng.below(8))
                        .min(bounds.len() - 1)];
                    text.replace_range(at..end.max(at), "");
                }
                2 if !lines.is_empty() => {
                    let line = lines[rng.below(lines.len())];
                    text.insert_str(at, line);
                }
                _ => text.insert_str(at, &NOISE[rng.below(NOISE.len())].repeat(1 + rng.below(40))),
            }
        }
        out.push(text);
    }
    out
}

fn analyse_with_timeout(text: String) -> Result<(), String> {
    let shown = text.clone();
    let (sender, receiver) = mpsc::channel();
    let worker = thread::Builder::new().stack_size(8 << 20).spawn(move || {
        let outcome = std::panic::catch_unwind(|| awmc::driver::analyze(&text).diagnostics.len());
        let _ = sender.send(outcome.is_ok());
        text
    });
    let Ok(worker) = worker else {
        return Err("could not start a thread".into());
    };
    match receiver.recv_timeout(HANG) {
        Ok(true) => {
            let _ = worker.join();
            Ok(())
        }
        Ok(false) => Err(format!(
            "panicked on:\n{}",
            worker.join().unwrap_or_default()
        )),
        Err(_) => Err(format!("did not finish (hang) on:\n{shown}")),
    }
}

#[test]
fn truncated_and_corrupted_specs_never_panic_or_hang() {
    let specs = specs_in("dsl-spec/examples");
    assert!(!specs.is_empty(), "no examples to corrupt");
    let mut failures = Vec::new();
    for (index, path) in specs.iter().enumerate() {
        let source = read(path);
        for variant in variants(&source, 0x9E37_79B9_7F4A_7C15 ^ index as u64, 60) {
            if let Err(problem) = analyse_with_timeout(variant) {
                failures.push(format!("{}: {problem}", path.display()));
                break;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn pathological_inputs_are_diagnosed_quickly() {
    let cases = [
        "(".repeat(50_000),
        "[".repeat(50_000),
        format!("tool t() -> int {{ return {}1 }}", "1 + ".repeat(5_000)),
        format!("tool t() -> int {{ return {}x }}", "-".repeat(5_000)),
        format!("tool t() -> int {{ return a{} }}", ".b".repeat(5_000)),
        "table t {\n".repeat(5_000),
        format!(
            "tool t() -> int {{\n  if a {{ return 1 }}{}\n  return 2\n}}",
            " else if a { return 1 }".repeat(20_000)
        ),
        "\"".repeat(10_000),
        format!("env e {{\n  title: \"a\"{}\n}}", "{\"".repeat(60)),
        format!("tool t() {{\n  {}\n}}", "{ (".repeat(30)),
        format!(
            "tool t() -> int {{\n  require true else \"{{{}x}}\"\n  return 1\n}}",
            "(".repeat(20_000)
        ),
        "env e { clock: 2026-01-01T00:00:00Z }\n".repeat(2_000),
        String::from_utf8_lossy(&(0u8..=255).cycle().take(20_000).collect::<Vec<u8>>())
            .into_owned(),
    ];
    for case in cases {
        let head: String = case.chars().take(40).collect();
        assert_eq!(
            analyse_with_timeout(case),
            Ok(()),
            "input starting {head:?}"
        );
    }
}

/// The deepest nesting the parser accepts, checked on a thread with the stack of a rayon
/// worker (2 MiB, as `awmc check` uses), in this unoptimised test build.
#[test]
fn the_deepest_allowed_nesting_fits_a_worker_stack() {
    let depth = awmc::syntax::MAX_NESTING - 2;
    let cases = [
        format!(
            "tool t() -> int {{ return {}1{} }}",
            "(".repeat(depth),
            ")".repeat(depth)
        ),
        format!(
            "tool t() -> int {{ return {}1{} }}",
            "f(".repeat(depth),
            ")".repeat(depth)
        ),
        format!(
            "tool t() -> int {{ return {}1{} }}",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
        format!(
            "tool t() -> int {{ return {}1{} }}",
            "{a: ".repeat(depth),
            "}".repeat(depth)
        ),
        format!(
            "tool t() -> int {{ return {}1{} }}",
            "(x.f(a: [".repeat(depth / 3),
            "]))".repeat(depth / 3)
        ),
    ];
    for case in cases {
        let worker = thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || awmc::driver::analyze(&case).diagnostics.len());
        let finished = worker.map(|w| w.join().is_ok()).unwrap_or(false);
        assert!(finished, "analysis overflowed or panicked");
    }
}
