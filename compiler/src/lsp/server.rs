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
    CodeActionProviderCapability, CompletionOptions, DidChangeTextDocumentParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DocumentSymbolResponse,
    HoverProviderCapability, InitializeParams, OneOf, PositionEncodingKind,
    PublishDiagnosticsParams, ServerCapabilities, TextDocumentPositionParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};
use serde_json::Value;

use super::document::{Document, Encoding};
use super::{actions, diagnostics, outline, requests};

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
                    let document = Document::at(
                        &key,
                        params.text_document.text,
                        params.text_document.version,
                    );
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
        let refused = |message: requests::Refusal| (ErrorCode::InvalidRequest, message);
        match request.method.as_str() {
            HoverRequest::METHOD => {
                let p = params::<HoverRequest>(request)?.text_document_position_params;
                Ok(self.at(&p, |_, d, at| json(requests::hover(d, at, encoding))))
            }
            Completion::METHOD => {
                let p = params::<Completion>(request)?.text_document_position;
                Ok(self.at(&p, |_, d, at| json(requests::completion(d, at))))
            }
            GotoDefinition::METHOD => {
                let p = params::<GotoDefinition>(request)?.text_document_position_params;
                Ok(self.at(&p, |uri, d, at| {
                    json(requests::definition(uri, d, at, encoding))
                }))
            }
            References::METHOD => {
                let p = params::<References>(request)?;
                let with_declaration = p.context.include_declaration;
                Ok(self.at(&p.text_document_position, |uri, d, at| {
                    json(requests::references(uri, d, at, encoding, with_declaration))
                }))
            }
            PrepareRenameRequest::METHOD => {
                let p = params::<PrepareRenameRequest>(request)?;
                self.try_at(&p, |_, d, at| requests::prepare_rename(d, at, encoding))
                    .map_err(refused)
            }
            Rename::METHOD => {
                let p = params::<Rename>(request)?;
                let name = p.new_name.clone();
                self.try_at(&p.text_document_position, |uri, d, at| {
                    requests::rename(uri, d, at, encoding, &name)
                })
                .map_err(|m| (ErrorCode::InvalidParams, m))
            }
            Formatting::METHOD => {
                let p = params::<Formatting>(request)?;
                Ok(match self.documents.get(p.text_document.uri.as_str()) {
                    Some((_, document)) => json(requests::formatting(document, encoding)),
                    None => Value::Null,
                })
            }
            DocumentSymbolRequest::METHOD => {
                let p = params::<DocumentSymbolRequest>(request)?;
                Ok(match self.documents.get_mut(p.text_document.uri.as_str()) {
                    Some((_, document)) => {
                        let spec = document.analysis().spec.clone();
                        json(DocumentSymbolResponse::Nested(outline::outline(
                            &spec, document, encoding,
                        )))
                    }
                    None => Value::Null,
                })
            }
            CodeActionRequest::METHOD => {
                let p = params::<CodeActionRequest>(request)?;
                Ok(json(actions::quick_fixes(
                    &p.text_document.uri,
                    &p.context.diagnostics,
                )))
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("awmc lsp does not handle {other}"),
            )),
        }
    }

    /// Runs `f` on the document and byte offset a request points at; `null` when the
    /// document is not open.
    fn at(
        &mut self,
        position: &TextDocumentPositionParams,
        f: impl FnOnce(&Uri, &mut Document, usize) -> Value,
    ) -> Value {
        let encoding = self.encoding;
        match self.documents.get_mut(position.text_document.uri.as_str()) {
            Some((uri, document)) => {
                let offset = document.offset(position.position, encoding);
                f(&uri.clone(), document, offset)
            }
            None => Value::Null,
        }
    }

    /// Like [`Server::at`], for requests that can be refused.
    fn try_at<T: serde::Serialize>(
        &mut self,
        position: &TextDocumentPositionParams,
        f: impl FnOnce(&Uri, &mut Document, usize) -> Result<T, requests::Refusal>,
    ) -> Result<Value, requests::Refusal> {
        let encoding = self.encoding;
        match self.documents.get_mut(position.text_document.uri.as_str()) {
            Some((uri, document)) => {
                let offset = document.offset(position.position, encoding);
                f(&uri.clone(), document, offset).map(json)
            }
            None => Ok(Value::Null),
        }
    }
}

/// A request's parameters, or an invalid-params error.
fn params<R: lsp_types::request::Request>(
    request: Request,
) -> Result<R::Params, (ErrorCode, String)> {
    request
        .extract(R::METHOD)
        .map(|(_, params)| params)
        .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

/// A result as JSON (`null` for `None`).
fn json(value: impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
