//! `awmc serve`: checks and loads specs (files or folders of them) into the in-process
//! engine and serves them with the runtime's server: MCP over streamable HTTP or stdio,
//! and the control API. No build step; native builds serve the same API.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use awm_runtime::Environment;
use awm_runtime::serve::cli::{self as serve_cli, ServeOptions};
use rayon::prelude::*;

use crate::diagnostic::render::{self, SourceFile};
use crate::engine::Engine;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Spec files and folders (every *.awm inside is served).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub options: ServeOptions,
}

pub fn run(args: &ServeArgs) -> i32 {
    serve_cli::init_logs(&args.options.log);
    let started = Instant::now();
    let engines = match load_all(&args.paths) {
        Ok(engines) => engines,
        Err(code) => return code,
    };
    serve_cli::run_since(engines, &args.options, started)
}

/// Checks and loads every spec in parallel. Specs with errors are reported and left out;
/// it fails when none is left, or when two share an environment name.
fn load_all(paths: &[PathBuf]) -> Result<Vec<Arc<dyn Environment>>, i32> {
    let (inputs, errors) = super::inputs::collect(paths, None);
    for error in &errors {
        eprintln!("error: {error}");
    }
    let loaded: Vec<(String, Result<Engine, String>)> = inputs
        .par_iter()
        .map(|input| (input.name.clone(), load_one(input)))
        .collect();
    let mut engines: Vec<Arc<dyn Environment>> = Vec::new();
    let mut names: std::collections::HashMap<String, String> = Default::default();
    let mut rejected = 0;
    for (file, result) in loaded {
        match result {
            Ok(engine) => {
                if let Some(first) = names.insert(engine.ir.name.clone(), file.clone()) {
                    eprintln!(
                        "error: {file} and {first} both define environment `{}`",
                        engine.ir.name
                    );
                    return Err(2);
                }
                engines.push(Arc::new(engine));
            }
            Err(report) => {
                rejected += 1;
                eprint!("{report}");
            }
        }
    }
    if rejected > 0 {
        eprintln!("warning: {rejected} spec(s) with errors are not served");
    }
    if engines.is_empty() {
        eprintln!("error: no spec to serve");
        return Err(2);
    }
    Ok(engines)
}

fn load_one(input: &super::inputs::Input) -> Result<Engine, String> {
    let (name, text) = (input.name.as_str(), input.text.as_str());
    let analysis = input.analyze(&crate::driver::Options::default());
    if !analysis.is_accepted() {
        return Err(render::to_text(
            &SourceFile::new(name, text),
            &analysis.diagnostics,
            false,
        ));
    }
    let ir = crate::lower::lower(&analysis.spec, &analysis.checked, text);
    Engine::new(ir).map_err(|e| {
        format!(
            "error: {name}: cannot build the seed database: {}\n",
            e.message
        )
    })
}
