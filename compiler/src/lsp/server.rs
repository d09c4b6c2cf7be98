//! The server loop: the handshake (capabilities, position encoding), open documents,
//! diagnostics published after each burst of changes (messages already queued are handled
//! first, so a burst of edits is analysed once), and one handler per request. A handler
//! that panics answers with an error and the server keeps going.

use std::collections::{BTreeSet, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest,
    PrepareRenameRequest, References, Rename, Request as _,
};
use lsp_types::{
    CodeActionParams, CodeActionProviderCapability, CompletionOptions, CompletionParams,
    CompletionResponse, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DocumentSymbolParams, DocumentSymbolResponse, Hover, HoverContents,
    HoverParams, HoverProviderCapability, InitializeParams, MarkupContent, MarkupKind, OneOf,
    PositionEncodingKind, PublishDiagnosticsParams, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, Uri,
};
use serde_json::Value;

use super::document::{Document, Encoding};
use super::{actions, completion, diagnostics, hover, navigation, outline};

/// Serves on stdin/stdout until the client exits; the process exit code.
pub fn run() -> i32 {
    let (connection, threads) = Connection::stdio();
    let result = serve(&connection);
    drop(connection);
    let joined = threads.join();
    match (result, joined) {
        (Ok(()), Ok(())) => 0,
        (Err(message), _) => {
            eprintln!("awmc lsp: {message}");
            1
        }
        (_, Err(error)) => {
            eprintln!("awmc lsp: {error}");
            1
        }
    }
}

/// Runs the protocol on a connection (stdio, or in memory for tests).
pub fn serve(connection: &Connection) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let encoding = negotiate(&params);
    let capabilities = ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".into(), "(".into()]),
            ..CompletionOptions::default()
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(lsp_types::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: lsp_types::WorkDoneProgressOptions::default(),
        })),
        ..ServerCapabilities::default()
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": { "name": "awmc", "version": env!("CARGO_PKG_VERSION") },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    let mut server = Server {
        documents: HashMap::new(),
        encoding,
        changed: BTreeSet::new(),
    };
    loop {
        let Ok(first) = connection.receiver.recv() else {
            return Ok(());
        };
        let mut batch = vec![first];
        batch.extend(connection.receiver.try_iter());
        for message in batch {
            match message {
                Message::Request(request) => {
                    if connection
                        .handle_shutdown(&request)
                        .map_err(|e| e.to_string())?
                    {
                        return Ok(());
                    }
                    // Requests see the latest text: publish what changed before answering.
                    server.publish(connection)?;
                    let response = server.respond(request);
                    send(connection, Message::Response(response))?;
                }
                Message::Notification(notification) => {
                    if notification.method == "exit" {
                        return Ok(());
                    }
                    server.notify(notification);
                }
                Message::Response(_) => {}
            }
        }
        server.publish(connection)?;
    }
}

fn send(connection: &Connection, message: Message) -> Result<(), String> {
    connection
        .sender
        .send(message)
        .map_err(|e| format!("the client went away: {e}"))
}

/// UTF-8 positions when the client offers them (no conversion), else UTF-16.
fn negotiate(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    if offered.is_some_and(|kinds| kinds.contains(&PositionEncodingKind::UTF8)) {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    }
}

struct Server {
    documents: HashMap<String, (Uri, Document)>,
    encoding: Encoding,
    /// Documents whose diagnostics are out of date.
    changed: BTreeSet<String>,
}

impl Server {
    fn notify(&mut self, notification: Notification) {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(params) =
                    notification.extract::<DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                {
                    let key = params.text_document.uri.as_str().to_string();
                    let document =
                        Document::new(params.text_document.text, params.text_document.version);
                    self.documents
                        .insert(key.clone(), (params.text_document.uri, document));
                    self.changed.insert(key);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(params) = notification
                    .extract::<DidChangeTextDocumentParams>(DidChangeTextDocument::METHOD)
                {
                    let key = params.text_document.uri.as_str().to_string();
                    // Full synchronisation: the last change holds the whole text.
                    if let (Some((_, document)), Some(change)) = (
                        self.documents.get_mut(&key),
                        params.content_changes.into_iter().last(),
                    ) {
                        document.set_text(change.text, params.text_document.version);
                        self.changed.insert(key);
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(params) =
                    notification.extract::<DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                {
                    let key = params.text_document.uri.as_str().to_string();
                    self.documents.remove(&key);
                    self.changed.remove(&key);
                }
            }
            _ => {}
        }
    }

    /// Analyses the changed documents and publishes their diagnostics.
    fn publish(&mut self, connection: &Connection) -> Result<(), String> {
        let encoding = self.encoding;
        for key in std::mem::take(&mut self.changed) {
            let Some((uri, document)) = self.documents.get_mut(&key) else {
                continue;
            };
            let uri = uri.clone();
            let analysed = catch_unwind(AssertUnwindSafe(|| {
                let found = document.analysis().diagnostics.clone();
                found
                    .iter()
                    .map(|d| diagnostics::to_lsp(d, document, &uri, encoding))
                    .collect::<Vec<_>>()
            }));
            let list = analysed.unwrap_or_default();
            let params = PublishDiagnosticsParams::new(uri, list, Some(document.version));
            send(
                connection,
                Message::Notification(Notification::new(PublishDiagnostics::METHOD.into(), params)),
            )?;
        }
        Ok(())
    }

    fn respond(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let method = request.method.clone();
        match catch_unwind(AssertUnwindSafe(|| self.handle(request))) {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err((code, message))) => Response::new_err(id, code as i32, message),
            Err(_) => Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                format!("awmc failed while handling {method}; the server keeps running"),
            ),
        }
    }

    fn handle(&mut self, request: Request) -> Result<Value, (ErrorCode, String)> {
        let encoding = self.encoding;
        let invalid =
            |e: lsp_server::ExtractError<Request>| (ErrorCode::InvalidParams, e.to_string());
        match request.method.as_str() {
            HoverRequest::METHOD => {
                let params: HoverParams = request.extract(HoverRequest::METHOD).map_err(invalid)?.1;
                let position = params.text_document_position_params;
                let Some((_, document)) =
                    self.documents.get_mut(position.text_document.uri.as_str())
                else {
                    return Ok(Value::Null);
                };
                let offset = document.offset(position.position, encoding);
                let text = document.text.clone();
                let found = hover::hover(&text, offset, document.analysis());
                Ok(match found {
                    Some((markdown, span)) => serde_json::to_value(Hover {
                        contents: HoverContents::Markup(MarkupContent {
                            kind: MarkupKind::Markdown,
                            value: markdown,
                        }),
                        range: Some(document.range(span, encoding)),
                    })
                    .unwrap_or(Value::Null),
                    None => Value::Null,
                })
            }
            Completion::METHOD => {
                let params: CompletionParams =
                    request.extract(Completion::METHOD).map_err(invalid)?.1;
                let position = params.text_document_position;
                let Some((_, document)) =
                    self.documents.get_mut(position.text_document.uri.as_str())
                else {
                    return Ok(Value::Null);
                };
                let offset = document.offset(position.position, encoding);
                let text = document.text.clone();
                let items = completion::complete(&text, offset, document.analysis());
                Ok(serde_json::to_value(CompletionResponse::Array(items)).unwrap_or(Value::Null))
            }
            DocumentSymbolRequest::METHOD => {
                let params: DocumentSymbolParams = request
                    .extract(DocumentSymbolRequest::METHOD)
                    .map_err(invalid)?
                    .1;
                let Some((_, document)) = self.documents.get_mut(params.text_document.uri.as_str())
                else {
                    return Ok(Value::Null);
                };
                let spec = document.analysis().spec.clone();
                let symbols = outline::outline(&spec, document, encoding);
                Ok(
                    serde_json::to_value(DocumentSymbolResponse::Nested(symbols))
                        .unwrap_or(Value::Null),
                )
            }
            GotoDefinition::METHOD => {
                let params: lsp_types::GotoDefinitionParams =
                    request.extract(GotoDefinition::METHOD).map_err(invalid)?.1;
                let position = params.text_document_position_params;
                let uri = position.text_document.uri;
                let Some((_, document)) = self.documents.get_mut(uri.as_str()) else {
                    return Ok(Value::Null);
                };
                let offset = document.offset(position.position, encoding);
                let text = document.text.clone();
                let found = navigation::definition(&text, offset, document.analysis());
                Ok(match found {
                    Some(span) => serde_json::to_value(lsp_types::Location::new(
                        uri,
                        document.range(span, encoding),
                    ))
                    .unwrap_or(Value::Null),
                    None => Value::Null,
                })
            }
            References::METHOD => {
                let params: lsp_types::ReferenceParams =
                    request.extract(References::METHOD).map_err(invalid)?.1;
                let position = params.text_document_position;
                let uri = position.text_document.uri;
                let Some((_, document)) = self.documents.get_mut(uri.as_str()) else {
                    return Ok(Value::Null);
                };
                let offset = document.offset(position.position, encoding);
                let spans = navigation::references(
                    offset,
                    document.analysis(),
                    params.context.include_declaration,
                );
                let locations: Vec<lsp_types::Location> = spans
                    .into_iter()
                    .map(|span| {
                        lsp_types::Location::new(uri.clone(), document.range(span, encoding))
                    })
                    .collect();
                Ok(serde_json::to_value(locations).unwrap_or(Value::Null))
            }
            PrepareRenameRequest::METHOD => {
                let params: lsp_types::TextDocumentPositionParams = request
                    .extract(PrepareRenameRequest::METHOD)
                    .map_err(invalid)?
                    .1;
                let Some((_, document)) = self.documents.get_mut(params.text_document.uri.as_str())
                else {
                    return Ok(Value::Null);
                };
                let offset = document.offset(params.position, encoding);
                match navigation::occurrence_at(offset, document.analysis()) {
                    Some(at) => Ok(serde_json::to_value(document.range(at.span, encoding))
                        .unwrap_or(Value::Null)),
                    None => Err((
                        ErrorCode::InvalidRequest,
                        "only a declared name (table, column, enum, member, tool, parameter, task, binding) can be renamed".into(),
                    )),
                }
            }
            Rename::METHOD => {
                let params: lsp_types::RenameParams =
                    request.extract(Rename::METHOD).map_err(invalid)?.1;
                let position = params.text_document_position;
                let uri = position.text_document.uri;
                if !navigation::is_identifier(&params.new_name) {
                    return Err((
                        ErrorCode::InvalidParams,
                        format!(
                            "`{}` is not a name (letters, digits and `_`, not a keyword)",
                            params.new_name
                        ),
                    ));
                }
                let Some((_, document)) = self.documents.get_mut(uri.as_str()) else {
                    return Ok(Value::Null);
                };
                let offset = document.offset(position.position, encoding);
                let spans = navigation::references(offset, document.analysis(), true);
                if spans.is_empty() {
                    return Err((
                        ErrorCode::InvalidRequest,
                        "there is no declared name here to rename".into(),
                    ));
                }
                let edits: Vec<lsp_types::TextEdit> = spans
                    .into_iter()
                    .map(|span| {
                        lsp_types::TextEdit::new(
                            document.range(span, encoding),
                            params.new_name.clone(),
                        )
                    })
                    .collect();
                let edit = lsp_types::WorkspaceEdit {
                    changes: Some(HashMap::from([(uri, edits)])),
                    ..lsp_types::WorkspaceEdit::default()
                };
                Ok(serde_json::to_value(edit).unwrap_or(Value::Null))
            }
            Formatting::METHOD => {
                let params: lsp_types::DocumentFormattingParams =
                    request.extract(Formatting::METHOD).map_err(invalid)?.1;
                let Some((_, document)) = self.documents.get_mut(params.text_document.uri.as_str())
                else {
                    return Ok(Value::Null);
                };
                // Text with syntax errors is left alone (the diagnostics say why).
                let Ok(formatted) = crate::fmt::format(&document.text) else {
                    return Ok(Value::Null);
                };
                if formatted == document.text {
                    return Ok(serde_json::json!([]));
                }
                let whole = lsp_types::Range::new(
                    lsp_types::Position::new(0, 0),
                    document.position(document.text.len(), encoding),
                );
                Ok(
                    serde_json::to_value(vec![lsp_types::TextEdit::new(whole, formatted)])
                        .unwrap_or(Value::Null),
                )
            }
            CodeActionRequest::METHOD => {
                let params: CodeActionParams = request
                    .extract(CodeActionRequest::METHOD)
                    .map_err(invalid)?
                    .1;
                let fixes =
                    actions::quick_fixes(&params.text_document.uri, &params.context.diagnostics);
                Ok(serde_json::to_value(fixes).unwrap_or(Value::Null))
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("awmc lsp does not handle {other}"),
            )),
        }
    }
}
