//! `awmc check`: checks every input in parallel, prints diagnostics (text or JSON lines)
//! and a summary. Exit code 0 when all are accepted, 1 when any is rejected, 2 on I/O or
//! usage errors.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;

use super::inputs::{self, Input};
use super::{CheckArgs, Colour, Format};
use crate::diagnostic::render::{self, JsonDiagnostic, SourceFile};
use crate::diagnostic::{Code, Diagnostic};
use crate::driver;

/// Inputs from which on a progress bar is shown (on a terminal only).
const PROGRESS_FROM: usize = 20;

struct Outcome {
    input: Input,
    diagnostics: Vec<Diagnostic>,
    micros: u128,
}

impl Outcome {
    fn accepted(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// One line of `--format json`.
#[derive(Serialize)]
struct JsonReport<'a> {
    spec: &'a str,
    status: &'static str,
    diagnostics: Vec<JsonDiagnostic>,
    micros: u128,
}

pub fn run(args: &CheckArgs) -> i32 {
    let started = Instant::now();
    let (inputs, errors) = inputs::collect(&args.paths, args.field.as_deref());
    for error in &errors {
        eprintln!("error: {error}");
    }
    let progress = progress_bar(inputs.len());
    let outcomes: Vec<Outcome> = inputs
        .into_par_iter()
        .map(|input| {
            let analysis = driver::analyze(&input.text);
            progress.inc(1);
            Outcome {
                input,
                diagnostics: analysis.diagnostics,
                micros: analysis.micros,
            }
        })
        .collect();
    progress.finish_and_clear();

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let colour = match args.color {
        Colour::Always => true,
        Colour::Never => false,
        Colour::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    for outcome in &outcomes {
        let file = SourceFile::new(&outcome.input.name, &outcome.input.text);
        let written = match args.format {
            Format::Json => {
                let report = JsonReport {
                    spec: &outcome.input.name,
                    status: if outcome.accepted() {
                        "accepted"
                    } else {
                        "rejected"
                    },
                    diagnostics: outcome
                        .diagnostics
                        .iter()
                        .map(|d| render::to_json(&file, d))
                        .collect(),
                    micros: outcome.micros,
                };
                serde_json::to_string(&report)
                    .map_err(std::io::Error::other)
                    .and_then(|line| writeln!(out, "{line}"))
            }
            Format::Text if args.quiet || outcome.diagnostics.is_empty() => Ok(()),
            Format::Text => write!(
                out,
                "{}",
                render::to_text(&file, &outcome.diagnostics, colour)
            ),
        };
        if written.is_err() {
            // stdout closed (e.g. piped into `head`): stop quietly.
            return if errors.is_empty() { 1 } else { 2 };
        }
    }
    let _ = out.flush();
    summarise(&outcomes, started.elapsed().as_millis());
    if !errors.is_empty() {
        2
    } else if outcomes.iter().all(Outcome::accepted) {
        0
    } else {
        1
    }
}

fn progress_bar(count: usize) -> ProgressBar {
    if count < PROGRESS_FROM || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(count as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} checking {pos}/{len} specs {wide_bar} {eta}")
    {
        bar.set_style(style);
    }
    bar
}

/// The closing summary on stderr: counts and the most frequent codes.
fn summarise(outcomes: &[Outcome], millis: u128) {
    let accepted = outcomes.iter().filter(|o| o.accepted()).count();
    let rejected = outcomes.len() - accepted;
    let warnings = outcomes
        .iter()
        .flat_map(|o| &o.diagnostics)
        .filter(|d| !d.is_error())
        .count();
    let mut counts: BTreeMap<Code, usize> = BTreeMap::new();
    for diagnostic in outcomes.iter().flat_map(|o| &o.diagnostics) {
        *counts.entry(diagnostic.code).or_default() += 1;
    }
    let mut top: Vec<(Code, usize)> = counts.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let specs = if outcomes.len() == 1 { "spec" } else { "specs" };
    eprintln!(
        "checked {} {specs} in {millis} ms: {accepted} accepted, {rejected} rejected, {warnings} warnings",
        outcomes.len()
    );
    if !top.is_empty() {
        let shown: Vec<String> = top
            .iter()
            .take(5)
            .map(|(code, n)| format!("{} {} ×{n}", code.code(), code.name()))
            .collect();
        eprintln!("top codes: {}", shown.join(", "));
    }
}
