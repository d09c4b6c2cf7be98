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

/// One analysed input, with what the caller made of it when it was accepted.
pub(super) struct Outcome<T = ()> {
    pub input: Input,
    pub diagnostics: Vec<Diagnostic>,
    pub micros: u128,
    /// `None` for a rejected spec.
    pub product: Option<T>,
}

impl<T> Outcome<T> {
    pub fn accepted(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// One line of `--format json` (and of `awmc build --json`).
#[derive(Serialize)]
struct JsonReport<'a> {
    spec: &'a str,
    status: &'static str,
    diagnostics: Vec<JsonDiagnostic>,
    micros: u128,
    /// Why an accepted spec was left out (`awmc build`: a second spec of one environment).
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<&'a str>,
}

pub fn run(args: &CheckArgs) -> i32 {
    let started = Instant::now();
    let (inputs, errors) = inputs::collect(&args.paths, args.field.as_deref());
    for error in &errors {
        eprintln!("error: {error}");
    }
    let options = crate::driver::Options {
        limits: args.limits.limits(),
    };
    let outcomes = analyze_all(inputs, "checking", &options, |_, _| ());

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let colour = match args.color {
        Colour::Always => true,
        Colour::Never => false,
        Colour::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    for outcome in &outcomes {
        if report(&mut out, outcome, args.format, colour, args.quiet, None).is_err() {
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

/// Analyses every input on the rayon pool, behind a progress bar (`verb` names the work),
/// and runs `accept` on each accepted spec's analysis; outcomes keep the inputs' order.
pub(super) fn analyze_all<T: Send>(
    inputs: Vec<Input>,
    verb: &str,
    options: &driver::Options,
    accept: impl Fn(&Input, &driver::Analysis) -> T + Sync,
) -> Vec<Outcome<T>> {
    let progress = progress_bar(inputs.len(), verb);
    let outcomes = inputs
        .into_par_iter()
        .map(|input| {
            let analysis = input.analyze(options);
            let product = analysis.is_accepted().then(|| accept(&input, &analysis));
            progress.inc(1);
            Outcome {
                input,
                diagnostics: analysis.diagnostics,
                micros: analysis.micros,
                product,
            }
        })
        .collect();
    progress.finish_and_clear();
    outcomes
}

/// Writes one outcome: its diagnostics as text (nothing when there are none, or when
/// `quiet`), or its JSON line. `skipped` says why an accepted spec is left out.
pub(super) fn report<T>(
    out: &mut dyn Write,
    outcome: &Outcome<T>,
    format: Format,
    colour: bool,
    quiet: bool,
    skipped: Option<&str>,
) -> std::io::Result<()> {
    let file = SourceFile::new(&outcome.input.name, &outcome.input.text);
    match format {
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
                skipped,
            };
            let line = serde_json::to_string(&report).map_err(std::io::Error::other)?;
            writeln!(out, "{line}")
        }
        Format::Text if quiet || outcome.diagnostics.is_empty() => Ok(()),
        Format::Text => write!(
            out,
            "{}",
            render::to_text(&file, &outcome.diagnostics, colour)
        ),
    }
}

fn progress_bar(count: usize, verb: &str) -> ProgressBar {
    if count < PROGRESS_FROM || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(count as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {msg} {pos}/{len} specs {wide_bar} {eta}")
    {
        bar.set_style(style);
    }
    bar.set_message(verb.to_string());
    bar
}

/// The closing summary on stderr: counts and the most frequent codes.
pub(super) fn summarise<T>(outcomes: &[Outcome<T>], millis: u128) {
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
