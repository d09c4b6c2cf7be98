//! `awmc build`: checks specs, writes each accepted one's native crate to `OUT/<env>/`
//! (default `generated/`), and compiles one binary serving it — or, given a folder or
//! several specs, one host binary serving all of them — in awmc's build cache; prints
//! the binary's path. `--check` compares the crates on disk with what would be written.
//! Exit codes as `awmc check`: 0 all accepted, 1 a spec rejected or skipped (the others
//! are still built), 2 I/O or build failures.

mod cache;
mod cargo;
mod disk;
mod prune;

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::check::{self, Outcome};
use super::{Format, inputs};
use crate::backend::{self, GeneratedCrate, HOST_PACKAGE, Manifest};
use disk::Difference;

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Spec files and folders (every *.awm inside). A folder or several specs build one
    /// host binary serving every accepted spec.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Where the crates go: each environment's crate is the folder `OUT/<env>`.
    #[arg(long, default_value = "generated")]
    pub out: PathBuf,
    /// Write and build nothing: compare the crates in OUT with what awmc generates, list
    /// every differing, missing or extra file, and exit 1 if there is any.
    #[arg(long)]
    pub check: bool,
    /// Write the crates to OUT but compile nothing (to regenerate `generated/` quickly).
    #[arg(long, conflicts_with = "check")]
    pub no_build: bool,
    /// One JSON object per spec per line on stdout (as `awmc check --format json`), then
    /// one for the build (or the comparison).
    #[arg(long)]
    pub json: bool,
    /// Build without optimisations: faster when the cache is cold, slower binaries.
    #[arg(long)]
    pub debug: bool,
}

/// An accepted spec's crates: as written to OUT, and as compiled in the cache.
struct Crates {
    out: GeneratedCrate,
    cache: GeneratedCrate,
}

pub fn run(args: &BuildArgs) -> i32 {
    let started = Instant::now();
    let bulk = args.paths.len() > 1 || args.paths.iter().any(|p| p.is_dir());
    let in_repository =
        disk::resolve(&args.out) == disk::resolve(&cache::repository().join("generated"));
    let manifest = if in_repository {
        Manifest::Workspace
    } else {
        match cache::runtime_dir() {
            Ok(runtime) => Manifest::Standalone { runtime },
            Err(message) => {
                eprintln!("error: {message}");
                return 2;
            }
        }
    };
    let (inputs, errors) = inputs::collect(&args.paths, None);
    let mut failed = !errors.is_empty();
    for error in &errors {
        eprintln!("error: {error}");
    }
    let verb = if args.check { "checking" } else { "generating" };
    let outcomes = check::analyze_all(
        inputs,
        verb,
        &crate::driver::Options::default(),
        |input, analysis| {
            let ir = crate::lower::lower(&analysis.spec, &analysis.checked, &input.text);
            let out = backend::generate(&ir, &manifest);
            let cache = match manifest {
                Manifest::Workspace => out.clone(),
                Manifest::Standalone { .. } => backend::generate(&ir, &Manifest::Workspace),
            };
            Crates { out, cache }
        },
    );
    let skipped = duplicates(&outcomes);
    if report(&outcomes, &skipped, args.json).is_err() {
        return 2;
    }
    check::summarise(&outcomes, started.elapsed().as_millis());
    let left_out =
        outcomes.iter().filter(|o| !o.accepted()).count() + skipped.iter().flatten().count();
    let crates: Vec<&Crates> = outcomes
        .iter()
        .zip(&skipped)
        .filter(|(_, skip)| skip.is_none())
        .filter_map(|(outcome, _)| outcome.product.as_ref())
        .collect();
    let result = if args.check {
        compare(args, &crates)
    } else {
        write_and_build(args, bulk, &crates, started)
    };
    failed |= result == Step::Failed;
    if failed {
        2
    } else if left_out > 0 || result == Step::Differs {
        1
    } else {
        0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Done,
    /// `--check` found differences, or there was nothing to build.
    Differs,
    Failed,
}

/// Why each accepted spec is skipped: a second spec of an environment already built.
fn duplicates(outcomes: &[Outcome<Crates>]) -> Vec<Option<String>> {
    let mut first: HashMap<&str, &str> = HashMap::new();
    outcomes
        .iter()
        .map(|outcome| {
            let env = outcome.product.as_ref()?.out.env.as_str();
            match first.get(env) {
                Some(file) => Some(format!(
                    "environment `{env}` is already defined by {file}; skipped"
                )),
                None => {
                    first.insert(env, &outcome.input.name);
                    None
                }
            }
        })
        .collect()
}

/// Diagnostics as `awmc check` prints them, on stderr (stdout is for the binary's
/// path), or JSON lines on stdout; duplicates as errors.
fn report(
    outcomes: &[Outcome<Crates>],
    skipped: &[Option<String>],
    json: bool,
) -> std::io::Result<()> {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for (outcome, skip) in outcomes.iter().zip(skipped) {
        if json {
            check::report(
                &mut std::io::stdout().lock(),
                outcome,
                Format::Json,
                false,
                false,
                skip.as_deref(),
            )?;
        } else {
            check::report(
                &mut std::io::stderr().lock(),
                outcome,
                Format::Text,
                colour,
                false,
                None,
            )?;
        }
        if let Some(skip) = skip {
            eprintln!("error: {}: {skip}", outcome.input.name);
        }
    }
    Ok(())
}

/// `--check`: every difference between the generated crates and OUT. With a folder
/// among the inputs, crates in OUT that no spec generates are differences too.
fn compare(args: &BuildArgs, crates: &[&Crates]) -> Step {
    let mut differences: Vec<(PathBuf, Difference)> = Vec::new();
    for crates in crates {
        differences.extend(disk::compare(&crates.out, &args.out.join(&crates.out.env)));
    }
    if args.paths.iter().any(|p| p.is_dir()) {
        for dir in disk::generated_crates(&args.out) {
            let known = crates
                .iter()
                .any(|c| dir.file_name().is_some_and(|name| *name == *c.out.env));
            if !known {
                differences.push((dir, Difference::Extra));
            }
        }
    }
    let mut out = std::io::stdout().lock();
    for (path, difference) in &differences {
        let _ = if args.json {
            let line = serde_json::json!({ "path": path, "difference": difference });
            writeln!(out, "{line}")
        } else {
            writeln!(out, "{}: {}", path.display(), difference.word())
        };
    }
    if args.json {
        let line = serde_json::json!({ "crates": crates.len(), "differences": differences.len() });
        let _ = writeln!(out, "{line}");
    }
    eprintln!(
        "{} crate{} compared with {}: {} difference{}",
        crates.len(),
        if crates.len() == 1 { "" } else { "s" },
        args.out.display(),
        differences.len(),
        if differences.len() == 1 { "" } else { "s" }
    );
    if differences.is_empty() {
        Step::Done
    } else {
        Step::Differs
    }
}

/// Writes the crates to OUT, then builds in the cache and prints the binary's path.
fn write_and_build(args: &BuildArgs, bulk: bool, crates: &[&Crates], started: Instant) -> Step {
    for crates in crates {
        if let Err(message) = disk::write(&crates.out, &args.out.join(&crates.out.env)) {
            eprintln!("error: {message}");
            return Step::Failed;
        }
    }
    if crates.is_empty() {
        eprintln!("error: no spec to build");
        return Step::Differs;
    }
    if args.no_build {
        eprintln!(
            "awmc: wrote {} crate{} to {}",
            crates.len(),
            if crates.len() == 1 { "" } else { "s" },
            args.out.display()
        );
        return Step::Done;
    }
    match build(args, bulk, crates) {
        Ok((binary, envs)) => {
            eprintln!(
                "awmc: built {} in {:.1} s",
                binary.display(),
                started.elapsed().as_secs_f64()
            );
            let line = if args.json {
                serde_json::json!({ "binary": binary, "envs": envs }).to_string()
            } else {
                binary.display().to_string()
            };
            let _ = writeln!(std::io::stdout().lock(), "{line}");
            Step::Done
        }
        Err(message) => {
            eprintln!("error: {message}");
            Step::Failed
        }
    }
}

/// Compiles in the cache: one environment's binary, or in bulk the host binary.
fn build(
    args: &BuildArgs,
    bulk: bool,
    crates: &[&Crates],
) -> Result<(PathBuf, Vec<String>), String> {
    let runtime = cache::runtime_dir()?;
    let cache = cache::Cache::open(cache::cache_dir()?)?;
    let envs: Vec<String> = crates.iter().map(|c| c.cache.env.clone()).collect();
    let mut members = Vec::new();
    for crates in crates {
        disk::write_files(&crates.cache, &cache.env_dir(&crates.cache.env))?;
        prune::mark_built(&cache, &crates.cache.env)?;
        members.push(format!("envs/{}", crates.cache.env));
    }
    let (package, bin) = if bulk {
        let host = backend::host(&envs, "../envs", &Manifest::Workspace);
        disk::write_files(&host, &cache.host_dir())?;
        members.push("host".to_string());
        (HOST_PACKAGE.to_string(), HOST_PACKAGE.to_string())
    } else {
        let env = envs.first().map(String::as_str).unwrap_or_default();
        (backend::package_name(env), backend::bin_name(env))
    };
    cache.prepare(&runtime, &members)?;
    let profile = if args.debug { "debug" } else { "release" };
    eprintln!(
        "awmc: compiling {bin} ({profile}, {} environment{}) in {}",
        envs.len(),
        if envs.len() == 1 { "" } else { "s" },
        cache.dir.display()
    );
    let binary = cargo::build(&cargo::Build {
        manifest: &cache.manifest(),
        target_dir: &cache.target_dir(),
        package: &package,
        bin: &bin,
        release: !args.debug,
    })?;
    let kept = cache.keep(&binary, &bin, &build_key(profile, crates))?;
    let pruned = prune::prune(&cache, &envs, prune::kept_envs());
    if !pruned.envs.is_empty() {
        eprintln!(
            "awmc: removed the crates of {} least recently built environment{} from the cache ({} files)",
            pruned.envs.len(),
            if pruned.envs.len() == 1 { "" } else { "s" },
            pruned.files
        );
    }
    Ok((absolute(&kept), envs))
}

/// What a build compiled, as 16 hex digits: the profile and every generated file (which
/// carry each spec's hash), so the same specs give the same name.
fn build_key(profile: &str, crates: &[&Crates]) -> String {
    let mut bytes = Vec::from(profile.as_bytes());
    for crates in crates {
        for (path, content) in &crates.cache.files {
            bytes.push(0);
            bytes.extend_from_slice(path.to_string_lossy().as_bytes());
            bytes.push(0);
            bytes.extend_from_slice(content);
        }
    }
    let mut key = awm_runtime::hash::sha256_hex(&bytes);
    key.truncate(16);
    key
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
