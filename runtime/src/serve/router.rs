//! The HTTP server: MCP at `/mcp` (the only environment's default session),
//! `/envs/{env}/mcp` (an environment's default session) and `/sessions/{id}/mcp` (a
//! session a trainer created), the control API beside it, request ids and logs, Host
//! checks against DNS rebinding, idle expiry, and graceful shutdown.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use tokio_util::sync::CancellationToken;
use tower::ServiceExt as _;
use tracing::Instrument as _;

use super::error::{ErrorCode, ServeError};
use super::host::Host;
use super::mcp::{McpHandler, Target};
use super::session::HostedSession;

/// The largest request body accepted (an MCP message or a control request). Larger than
/// any argument limit, so oversized arguments get the validator's precise message.
pub const MAX_BODY_BYTES: usize = 4 << 20;

/// How the HTTP server is reached.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// `Host` header values accepted (a name matches any port); empty accepts any host.
    /// The default accepts only loopback names, so web pages cannot reach the server
    /// through DNS rebinding.
    pub allowed_hosts: Vec<String>,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            allowed_hosts: vec!["localhost".into(), "127.0.0.1".into(), "::1".into()],
        }
    }
}

type Mcp = StreamableHttpService<McpHandler, NeverSessionManager>;

#[derive(Clone)]
struct App {
    host: Arc<Host>,
    mcp: Mcp,
}

/// The whole HTTP application for a host.
pub fn app(host: Arc<Host>, options: &HttpOptions, cancel: CancellationToken) -> Router {
    // Stateless MCP: the session lives with the URL (resolved below), not with an
    // `Mcp-Session-Id`, so every connection to the same URL sees the same state.
    let config = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_sse_keep_alive(None)
        .with_max_request_body_bytes(MAX_BODY_BYTES)
        .disable_allowed_hosts()
        .with_cancellation_token(cancel);
    let mcp = StreamableHttpService::new(
        || Ok(McpHandler::routed()),
        Arc::new(NeverSessionManager::default()),
        config,
    );
    let app = App {
        host: Arc::clone(&host),
        mcp,
    };
    let mcp_routes = Router::new()
        .route("/mcp", any(mcp_default))
        .route("/envs/{env}/mcp", any(mcp_env))
        .route("/sessions/{id}/mcp", any(mcp_session))
        .with_state(app);
    let allowed = Arc::new(options.allowed_hosts.clone());
    super::control::routes()
        .route(
            "/openapi.json",
            axum::routing::get(super::openapi::document),
        )
        .with_state(host)
        .merge(mcp_routes)
        .fallback(not_found)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(move |request, next| {
            check_host(Arc::clone(&allowed), request, next)
        }))
        .layer(middleware::from_fn(trace))
}

async fn mcp_default(State(app): State<App>, request: Request) -> Response {
    let target = app
        .host
        .single_env()
        .and_then(|served| app.host.default_session(served));
    forward(&app, target, request).await
}

async fn mcp_env(State(app): State<App>, Path(env): Path<String>, request: Request) -> Response {
    let target = app
        .host
        .env(&env)
        .and_then(|served| app.host.default_session(served));
    forward(&app, target, request).await
}

async fn mcp_session(State(app): State<App>, Path(id): Path<String>, request: Request) -> Response {
    let target = app.host.session(&id);
    forward(&app, target, request).await
}

/// Hands an MCP request to rmcp with its session attached, or answers with a JSON-RPC
/// error when the URL names no session.
async fn forward(
    app: &App,
    target: Result<Arc<HostedSession>, ServeError>,
    mut request: Request,
) -> Response {
    match target {
        Ok(session) => {
            request.extensions_mut().insert(Target(session));
            let response = match app.mcp.clone().oneshot(request).await {
                Ok(response) => response.into_response(),
                Err(never) => match never {},
            };
            as_json_rpc(response).await
        }
        Err(error) => (
            error.code.status(),
            axum::Json(error.json_rpc(serde_json::Value::Null)),
        )
            .into_response(),
    }
}

/// rmcp answers transport-level mistakes (a body that is not JSON, a wrong `Accept`) in
/// plain text; clients are owed a JSON-RPC error, so wrap those.
async fn as_json_rpc(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/event-stream"));
    if !status.is_client_error() || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let code = if text.contains("deserialize") {
        -32700
    } else {
        -32600
    };
    let message = if text.is_empty() {
        status
            .canonical_reason()
            .unwrap_or("bad request")
            .to_string()
    } else {
        text
    };
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": { "code": code, "message": message },
    });
    let mut response = (parts.status, axum::Json(body)).into_response();
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            response.headers_mut().insert(name, value.clone());
        }
    }
    response
}

async fn not_found(request: Request) -> ServeError {
    ServeError::new(
        ErrorCode::NotFound,
        format!(
            "no route {} {}; GET /openapi.json describes the API",
            request.method(),
            request.uri().path()
        ),
    )
}

/// Refuses requests whose `Host` is not allowed.
async fn check_host(allowed: Arc<Vec<String>>, request: Request, next: Next) -> Response {
    if !allowed.is_empty() {
        // Exactly one Host header (RFC 9112 says to refuse more).
        let mut hosts = request.headers().get_all(header::HOST).iter();
        let host = match (hosts.next(), hosts.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.parse::<http::uri::Authority>().ok());
        let ok = host.is_some_and(|authority| {
            let name = authority
                .host()
                .trim_matches(['[', ']'])
                .to_ascii_lowercase();
            allowed.iter().any(|a| {
                let (a_host, a_port) = match a.parse::<http::uri::Authority>() {
                    Ok(parsed) => (
                        parsed.host().trim_matches(['[', ']']).to_ascii_lowercase(),
                        parsed.port_u16(),
                    ),
                    Err(_) => (a.to_ascii_lowercase(), None),
                };
                a_host == name && a_port.is_none_or(|p| Some(p) == authority.port_u16())
            })
        });
        if !ok {
            return (
                StatusCode::FORBIDDEN,
                axum::Json(
                    ServeError::bad_request(
                        "this Host is not allowed; start the server with --allow-host NAME to accept it",
                    )
                    .body(),
                ),
            )
                .into_response();
        }
    }
    next.run(request).await
}

/// Gives every request an id (the client's `x-request-id` when it is short and plain),
/// logs it with its outcome, and returns the id in the response.
async fn trace(request: Request, next: Next) -> Response {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|h| h.to_str().ok())
        .filter(|id| {
            id.len() <= 64
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
        .map_or_else(
            || format!("r{}", NEXT.fetch_add(1, Ordering::Relaxed)),
            str::to_string,
        );
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %request.method(),
        path = %request.uri().path()
    );
    let start = Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status();
    let micros = start.elapsed().as_micros() as u64;
    span.in_scope(|| {
        if status.is_server_error() {
            tracing::warn!(status = status.as_u16(), micros, "served");
        } else {
            tracing::debug!(status = status.as_u16(), micros, "served");
        }
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// Serves HTTP on `listener` until `shutdown` completes, then finishes the requests in
/// flight. Idle sessions are swept in the background.
pub async fn serve_http(
    host: Arc<Host>,
    listener: tokio::net::TcpListener,
    options: HttpOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let cancel = CancellationToken::new();
    let sweeper = {
        let host = Arc::clone(&host);
        let cancel = cancel.clone();
        let every = (host.config.idle_timeout / 4)
            .clamp(Duration::from_millis(100), Duration::from_secs(30));
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            loop {
                tokio::select! {
                    _ = ticks.tick() => {
                        let expired = host.sweep();
                        if expired > 0 {
                            tracing::info!(expired, "idle sessions expired");
                        }
                    }
                    _ = cancel.cancelled() => break,
                }
            }
        })
    };
    let router = app(host, &options, cancel.clone());
    let stop = cancel.clone();
    let result = axum::serve(listener, router)
        .with_graceful_shutdown(async move {
            shutdown.await;
            tracing::info!("shutting down: finishing requests in flight");
            stop.cancel();
        })
        .await;
    cancel.cancel();
    let _ = sweeper.await;
    result
}
