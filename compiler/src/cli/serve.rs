//! `awmc serve`: checks and loads specs (files or folders of them) into the in-process
//! engine and serves them with the runtime's server: MCP over streamable HTTP or stdio,
//! and the control API. No build step; native builds serve the same API.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use awm_runtime::serve::{Host, HostConfig, HttpOptions};
use awm_runtime::{Environment, Limits};
use rayon::prelude::*;

use crate::diagnostic::render::{self, SourceFile};
use crate::engine::Engine;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Spec files and folders (every *.awm inside is served).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// The port (0 picks a free one; the address is printed).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Serve MCP on stdin/stdout instead of HTTP (one environment's default session).
    #[arg(long)]
    pub stdio: bool,
    /// With --stdio and several specs: the environment to serve.
    #[arg(long)]
    pub env: Option<String>,
    /// The most sessions trainers may have open at once.
    #[arg(long, default_value_t = 4096)]
    pub max_sessions: usize,
    /// Seconds after which an unused session is deleted.
    #[arg(long, default_value_t = 1800)]
    pub idle_timeout: u64,
    /// Where POST /sessions/{id}/export writes run folders (off when not given).
    #[arg(long)]
    pub export_dir: Option<PathBuf>,
    /// Also accept this Host header (a name or name:port); repeatable. Only loopback names
    /// are accepted by default; `*` accepts any.
    #[arg(long = "allow-host")]
    pub allow_hosts: Vec<String>,
    /// The log level when RUST_LOG is not set (error, warn, info, debug, trace).
    #[arg(long, default_value = "info")]
    pub log: String,
}

pub fn run(args: &ServeArgs) -> i32 {
    init_logs(&args.log);
    let started = Instant::now();
    let engines = match load_all(&args.paths) {
        Ok(engines) => engines,
        Err(code) => return code,
    };
    let count = engines.len();
    let config = HostConfig {
        max_sessions: args.max_sessions,
        idle_timeout: Duration::from_secs(args.idle_timeout.max(1)),
        limits: Limits::default(),
        export_root: args.export_dir.clone(),
    };
    let host = match Host::new(engines, config) {
        Ok(host) => Arc::new(host),
        Err(message) => {
            eprintln!("error: {message}");
            return 2;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return 2;
        }
    };
    let loaded = started.elapsed();
    let result = if args.stdio {
        runtime.block_on(stdio(&host, args.env.as_deref()))
    } else {
        runtime.block_on(http(host, args, count, loaded))
    };
    match result {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("error: {message}");
            2
        }
    }
}

async fn stdio(host: &Arc<Host>, env: Option<&str>) -> Result<(), String> {
    let served = match env {
        Some(name) => host.env(name),
        None => host.single_env(),
    }
    .map_err(|e| format!("{e} (choose one with --env)"))?;
    let session = host.default_session(served).map_err(|e| e.to_string())?;
    tracing::info!(env = served.env.name(), "serving MCP on stdio");
    awm_runtime::serve::serve_stdio(session).await
}

async fn http(
    host: Arc<Host>,
    args: &ServeArgs,
    count: usize,
    loaded: Duration,
) -> Result<(), String> {
    let address = format!("{}:{}", args.host, args.port);
    let listener = tokio::net::TcpListener::bind(&address)
        .await
        .map_err(|e| format!("cannot listen on {address}: {e}"))?;
    let local: SocketAddr = listener.local_addr().map_err(|e| e.to_string())?;
    let mut options = HttpOptions::default();
    if args.allow_hosts.iter().any(|h| h == "*") {
        options.allowed_hosts.clear();
    } else {
        options
            .allowed_hosts
            .extend(args.allow_hosts.iter().cloned());
    }
    let only = host.single_env().ok().map(|s| s.env.name().to_string());
    eprintln!(
        "awmc: serving {count} environment{} on http://{local} (loaded in {} ms)",
        if count == 1 { "" } else { "s" },
        loaded.as_millis()
    );
    match only {
        Some(name) => eprintln!(
            "awmc: MCP at http://{local}/mcp ({name}); control API at http://{local}/openapi.json"
        ),
        None => eprintln!(
            "awmc: MCP at http://{local}/envs/<env>/mcp; control API at http://{local}/openapi.json"
        ),
    }
    awm_runtime::serve::serve_http(host, listener, options, shutdown_signal())
        .await
        .map_err(|e| e.to_string())
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
}

fn init_logs(level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        // rmcp narrates every request at info; keep it to warnings unless RUST_LOG asks.
        .or_else(|_| tracing_subscriber::EnvFilter::try_new(format!("{level},rmcp=warn")))
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
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
        .map(|input| (input.name.clone(), load_one(&input.name, &input.text)))
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

fn load_one(name: &str, text: &str) -> Result<Engine, String> {
    let analysis = crate::driver::analyze(text);
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
