// Starts `awmc lsp` for .awm files.
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("awm").get("server.path") || "awmc";
  const server = { command, args: ["lsp"], transport: TransportKind.stdio };
  client = new LanguageClient(
    "awmc",
    "awmc",
    { run: server, debug: server },
    { documentSelector: [{ scheme: "file", language: "awm" }, { scheme: "untitled", language: "awm" }] },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
