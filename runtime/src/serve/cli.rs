//! The serving command line every server shares: `awmc serve` and the binaries
//! `awmc build` emits. [`ServeOptions`] are the flags (address, stdio, session limits,
//! exports, allowed hosts, logs); [`main`] parses them and serves environments over HTTP
//! (MCP and the control API) or MCP on stdio until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Args, FromArgMatches};

use super::{Host, HostConfig, HttpOptions};
use crate::Environment;

/// How to serve: everything but the environments themselves.
#[derive(Debug, Clone, Args)]
pub struct ServeOptions {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// The port (0 picks a free one; the address is printed).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Serve MCP on stdin/stdout instead of HTTP (one environment's default session).
    #[arg(long)]
    pub stdio: bool,
    /// With --stdio and several environments: the environment to serve.
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
    #[command(flatten)]
    pub limits: crate::limits::LimitOptions,
}

/// The whole `main` of a server binary: parses the command line (`--help` lists the
/// flags of [`ServeOptions`]) and serves `envs`.
pub fn main(envs: Vec<Arc<dyn Environment>>) -> ExitCode {
    let name = program_name();
    // The about line is set after the options, whose own doc comment would replace it.
    let command = ServeOptions::augment_args(clap::Command::new("serve").bin_name(name))
        .about("Serves environments over MCP (agents) and an HTTP control API (trainers).");
    let options = match command
        .try_get_matches()
        .and_then(|matches| ServeOptions::from_arg_matches(&matches))
    {
        Ok(options) => options,
        // `--help` and usage errors: clap prints them and says how to exit.
        Err(error) => error.exit(),
    };
    exit_code(run(envs, &options))
}

/// Builds an environment (a native crate's `environment` function).
pub type Constructor = fn() -> Result<Arc<dyn Environment>, crate::ToolError>;

/// The `main` of a native binary: builds each environment (one that fails to load is
/// reported and left out, as `awmc serve` leaves out a rejected spec), then [`main`].
/// Exits with 2 when none loads.
pub fn main_native(constructors: &[Constructor]) -> ExitCode {
    let mut envs = Vec::with_capacity(constructors.len());
    for constructor in constructors {
        match constructor() {
            Ok(env) => envs.push(env),
            Err(error) => eprintln!("error: an environment failed to load: {error}"),
        }
    }
    if envs.is_empty() {
        eprintln!("error: no environment to serve");
        return ExitCode::from(2);
    }
    main(envs)
}

/// Serves `envs` with `options`; the exit code (0, or 2 when serving failed).
pub fn run(envs: Vec<Arc<dyn Environment>>, options: &ServeOptions) -> i32 {
    run_since(envs, options, Instant::now())
}

/// [`run`], reporting the load time as the time since `started` (when the caller loaded
/// the environments itself, as `awmc serve` does from specs).
pub fn run_since(envs: Vec<Arc<dyn Environment>>, options: &ServeOptions, started: Instant) -> i32 {
    init_logs(&options.log);
    let count = envs.len();
    let config = HostConfig {
        max_sessions: options.max_sessions,
        idle_timeout: Duration::from_secs(options.idle_timeout.max(1)),
        limits: options.limits.limits(),
        export_root: options.export_dir.clone(),
    };
    let host = match Host::new(envs, config) {
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
    let result = if options.stdio {
        runtime.block_on(stdio(&host, options.env.as_deref()))
    } else {
        runtime.block_on(http(host, options, count, loaded))
    };
    match result {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("error: {message}");
            2
        }
    }
}

/// Logs to stderr at `level` (unless `RUST_LOG` says otherwise), with rmcp's per-request
/// narration kept to warnings. Does nothing when logging is already set up.
pub fn init_logs(level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .or_else(|_| tracing_subscriber::EnvFilter::try_new(format!("{level},rmcp=warn")))
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}

async fn stdio(host: &Arc<Host>, env: Option<&str>) -> Result<(), String> {
    let served = match env {
        Some(name) => host.env(name),
        None => host.single_env(),
    }
    .map_err(|e| format!("{e} (choose one with --env)"))?;
    let session = host.default_session(served).map_err(|e| e.to_string())?;
    tracing::info!(env = served.env.name(), "serving MCP on stdio");
    super::serve_stdio(session).await
}

async fn http(
    host: Arc<Host>,
    options: &ServeOptions,
    count: usize,
    loaded: Duration,
) -> Result<(), String> {
    let address = format!("{}:{}", options.host, options.port);
    let listener = tokio::net::TcpListener::bind(&address)
        .await
        .map_err(|e| format!("cannot listen on {address}: {e}"))?;
    let local: SocketAddr = listener.local_addr().map_err(|e| e.to_string())?;
    let mut http_options = HttpOptions::default();
    if options.allow_hosts.iter().any(|h| h == "*") {
        http_options.allowed_hosts.clear();
    } else {
        http_options
            .allowed_hosts
            .extend(options.allow_hosts.iter().cloned());
    }
    let only = host.single_env().ok().map(|s| s.env.name().to_string());
    let name = program_name();
    eprintln!(
        "{name}: serving {count} environment{} on http://{local} (loaded in {} ms)",
        if count == 1 { "" } else { "s" },
        loaded.as_millis()
    );
    match only {
        Some(env) => eprintln!(
            "{name}: MCP at http://{local}/mcp ({env}); control API at http://{local}/openapi.json"
        ),
        None => eprintln!(
            "{name}: MCP at http://{local}/envs/<env>/mcp; control API at http://{local}/openapi.json"
        ),
    }
    super::serve_http(host, listener, http_options, shutdown_signal())
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

/// The running binary's file name (`awmc`, `shop`, `awm-host`), for messages.
fn program_name() -> String {
    std::env::args_os()
        .next()
        .map(PathBuf::from)
        .and_then(|path| path.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "awm".to_string())
}

fn exit_code(code: i32) -> ExitCode {
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}
