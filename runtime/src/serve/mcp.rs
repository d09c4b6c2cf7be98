//! The MCP face of a host: `tools/list` and `tools/call` for the session a request
//! targets. Over HTTP the router resolves the session from the URL and hands it over in
//! the request's extensions, so state belongs to the URL and survives reconnects (AWM's
//! agent opens a new MCP connection for every call). Over stdio there is one session.

use std::sync::Arc;

use rmcp::handler::server::ServerHandler;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    InitializeRequestParams, InitializeResult, ListToolsResult, PaginatedRequestParams,
    ServerCapabilities, ServerConfig,
};
use rmcp::service::{RequestContext, RoleServer};
use serde_json::Value as Json;

use super::error::{ErrorCode, ServeError};
use super::session::HostedSession;
use crate::error::ErrorKind;

/// The session an MCP request over HTTP acts on, put in the request's extensions by the
/// router.
#[derive(Clone)]
pub struct Target(pub Arc<HostedSession>);

/// Serves MCP for one session: the one in the request's [`Target`], or a fixed one.
#[derive(Clone, Default)]
pub struct McpHandler {
    fixed: Option<Arc<HostedSession>>,
}

impl McpHandler {
    /// A handler that reads its session from each HTTP request.
    pub fn routed() -> McpHandler {
        McpHandler { fixed: None }
    }

    /// A handler bound to one session (stdio).
    pub fn fixed(session: Arc<HostedSession>) -> McpHandler {
        McpHandler {
            fixed: Some(session),
        }
    }

    fn target(
        &self,
        context: &RequestContext<RoleServer>,
    ) -> Result<Arc<HostedSession>, rmcp::ErrorData> {
        if let Some(session) = &self.fixed {
            return Ok(Arc::clone(session));
        }
        context
            .extensions
            .get::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Target>())
            .map(|target| Arc::clone(&target.0))
            .ok_or_else(|| {
                ServeError::new(ErrorCode::NotFound, "this URL serves no session").to_mcp()
            })
    }
}

impl ServerHandler for McpHandler {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("awm", env!("CARGO_PKG_VERSION")))
    }

    /// The handshake names the environment and gives its description as instructions.
    async fn initialize(
        &self,
        request: InitializeRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<InitializeResult, rmcp::ErrorData> {
        let session = self.target(&context)?;
        context.peer.set_peer_info(request.clone());
        let mut result = self.negotiate_initialize(&request)?;
        let env = &session.served.env;
        let mut implementation = Implementation::new(env.name(), env!("CARGO_PKG_VERSION"));
        implementation.title = env.title().map(str::to_string);
        result.server_info = implementation;
        result.instructions = env.description().map(str::to_string);
        Ok(result)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, rmcp::ErrorData> {
        let session = self.target(&context)?;
        Ok(ListToolsResult::with_all_items(
            session.served.mcp_tools.clone(),
        ))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, rmcp::ErrorData> {
        let session = self.target(&context)?;
        let arguments = Json::Object(request.arguments.unwrap_or_default());
        let called = session
            .call(&request.name, &arguments)
            .map_err(|e| e.to_mcp())?;
        let text = called.text;
        Ok(CallToolResponse::Complete(match called.result {
            Ok(value) => {
                let structured = session
                    .served
                    .mcp_tools
                    .iter()
                    .any(|t| t.name == request.name && t.output_schema.is_some());
                let mut result = CallToolResult::success(vec![ContentBlock::text(text)]);
                if structured {
                    result.structured_content = Some(value);
                }
                result
            }
            // An unknown tool is the client's protocol mistake, not a tool failure.
            Err(error) if error.kind == ErrorKind::UnknownTool => {
                return Err(rmcp::ErrorData::invalid_params(error.message, None));
            }
            Err(_) => CallToolResult::error(vec![ContentBlock::text(text)]),
        }))
    }
}

/// Serves one session over MCP on stdin and stdout until the client closes them.
pub async fn serve_stdio(session: Arc<HostedSession>) -> Result<(), String> {
    use rmcp::ServiceExt as _;
    let running = McpHandler::fixed(session)
        .serve(rmcp::transport::stdio())
        .await
        .map_err(|e| format!("MCP over stdio: {e}"))?;
    running
        .waiting()
        .await
        .map_err(|e| format!("MCP over stdio: {e}"))?;
    Ok(())
}
