//! Bad input to a running server: malformed JSON-RPC, unknown tools and sessions, wrong
//! argument types, a 1 MiB argument, bad control requests, foreign Host headers. Each
//! gets a precise error, the server keeps serving, and no session is touched.

use serde_json::{Value, json};

use crate::harness::{Server, request, result_json};

const SHOP: &str = "dsl-spec/examples/shop.awm";

fn rpc(method: &str, params: Value) -> Value {
    json!({ "jsonrpc": "2.0", "id": 42, "method": method, "params": params })
}

#[test]
fn malformed_json_rpc_gets_json_rpc_errors() {
    let mut server = Server::start(&[SHOP], &[]);
    let before = result_json(&server.call("/mcp", "get_cart", json!({})));

    let (status, reply) = server.mcp_raw("/mcp", b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"meth");
    assert!(status >= 400, "{status}");
    assert_eq!(reply["error"]["code"], -32700, "{reply}");

    let (_, reply) = server.mcp_raw("/mcp", b"[1, 2, 3]");
    assert!(reply["error"]["code"].is_i64(), "{reply}");

    let (_, reply) = server.mcp("/mcp", &rpc("tools/unknown", json!({})));
    assert_eq!(reply["error"]["code"], -32601, "{reply}");

    let (_, reply) = server.mcp("/mcp", &rpc("tools/call", json!({ "arguments": {} })));
    assert!(
        reply["error"]["code"].is_i64(),
        "a call without a name: {reply}"
    );

    // No Accept header: still a JSON-RPC error, not a dropped connection.
    let raw = request(
        &server.address,
        "POST",
        "/mcp",
        &[("Content-Type", "application/json")],
        Some(rpc("tools/list", json!({})).to_string().as_bytes()),
    );
    let reply: Value = serde_json::from_slice(&raw.body).unwrap_or(Value::Null);
    assert!(reply["error"]["message"].is_string(), "{}", raw.headers);

    assert!(server.is_running());
    assert_eq!(
        result_json(&server.call("/mcp", "get_cart", json!({}))),
        before
    );
}

#[test]
fn unknown_tools_and_wrong_arguments_are_precise() {
    let server = Server::start(&[SHOP], &[]);
    let (_, reply) = server.mcp(
        "/mcp",
        &rpc(
            "tools/call",
            json!({ "name": "get_prodcut", "arguments": {} }),
        ),
    );
    assert_eq!(reply["error"]["code"], -32602);
    assert!(
        reply["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("did you mean `get_product`")),
        "{reply}"
    );
    let cases = [
        (
            json!({ "product_id": "7" }),
            "`product_id` must be an integer",
        ),
        (
            json!({ "product_id": 7.5 }),
            "`product_id` must be an integer",
        ),
        (json!({}), "missing required parameter `product_id`"),
        (
            json!({ "product_id": 7, "colour": "red" }),
            "has no parameter `colour`",
        ),
        (
            json!({ "product_id": null }),
            "missing required parameter `product_id`",
        ),
    ];
    for (arguments, expected) in cases {
        let result = server.call("/mcp", "get_product", arguments.clone());
        assert_eq!(result["isError"], true, "{arguments}: {result}");
        let text = result["content"][0]["text"].as_str().unwrap_or_default();
        assert!(text.contains(expected), "{arguments}: {text}");
    }
    let result = server.call("/mcp", "get_product", json!({ "product_id": 987654 }));
    assert_eq!(result["isError"], true, "{result}");
}

#[test]
fn a_one_mebibyte_argument_is_refused_and_nothing_changes() {
    let server = Server::start(&[SHOP], &[]);
    let before = result_json(&server.call("/mcp", "get_current_user", json!({})));
    let huge = "x".repeat(1 << 20);
    let result = server.call("/mcp", "update_profile", json!({ "full_name": huge }));
    assert_eq!(result["isError"], true, "{}", result.to_string().len());
    let text = result["content"][0]["text"].as_str().unwrap_or_default();
    assert!(text.contains("bytes; at most"), "{text}");
    assert_eq!(
        result_json(&server.call("/mcp", "get_current_user", json!({}))),
        before
    );
    // Past the body limit the transport refuses it, still as JSON.
    let body = format!(
        "{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{{\"name\":\"get_cart\",\"arguments\":{{\"x\":\"{}\"}}}}}}",
        "y".repeat(5 << 20)
    );
    let (status, _) = server.mcp_raw("/mcp", body.as_bytes());
    assert_eq!(status, 413);
    assert_eq!(
        result_json(&server.call("/mcp", "get_current_user", json!({}))),
        before
    );
}

#[test]
fn bad_control_requests_get_json_errors() {
    let server = Server::start(&[SHOP], &[]);
    let (status, reply) = server.json("POST", "/sessions", Some(&json!({ "env": 5 })));
    assert_eq!(status, 400);
    assert_eq!(reply["error"]["code"], "bad_request");
    let raw = request(
        &server.address,
        "POST",
        "/sessions",
        &[],
        Some(b"{not json"),
    );
    assert_eq!(raw.status, 400);
    let reply: Value = serde_json::from_slice(&raw.body).unwrap_or(Value::Null);
    assert_eq!(
        reply["error"]["code"],
        "bad_request",
        "{}",
        String::from_utf8_lossy(&raw.body)
    );
    let (status, reply) = server.json(
        "POST",
        "/sessions",
        Some(&json!({ "env": "shop", "colour": 1 })),
    );
    assert_eq!(status, 400, "unknown fields are refused: {reply}");
    let (status, reply) = server.json("GET", "/no/such/route", None);
    assert_eq!(status, 404);
    assert_eq!(reply["error"]["code"], "not_found");
    let (status, reply) = server.json(
        "POST",
        "/sessions",
        Some(&json!({ "task": "no_such_task" })),
    );
    assert_eq!(status, 404);
    assert_eq!(reply["error"]["code"], "unknown_task");
    let session = server.json("POST", "/sessions", Some(&json!({}))).1;
    let id = session["id"].as_str().unwrap_or_default();
    let (status, reply) = server.json("POST", &format!("/sessions/{id}/verify"), Some(&json!({})));
    assert_eq!(status, 400, "no task to verify: {reply}");
    let (status, reply) = server.json(
        "POST",
        &format!("/sessions/{id}/verify"),
        Some(&json!({ "task": "checkout_best_copon" })),
    );
    assert_eq!(status, 404);
    assert!(
        reply["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("did you mean `checkout_best_coupon`")),
        "{reply}"
    );
    let (status, _) = server.json("GET", &format!("/sessions/{id}/files/passwd"), None);
    assert_eq!(status, 404);
    let (status, reply) = server.json("GET", "/envs/shop/tools?format=xml", None);
    assert_eq!(status, 400);
    assert!(
        reply["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("`mcp` or `openai`"))
    );
    let (status, reply) = server.json("GET", "/envs/shop/tools?colour=red", None);
    assert_eq!(status, 400);
    assert_eq!(reply["error"]["code"], "bad_request", "{reply}");
}

#[test]
fn foreign_host_headers_are_refused() {
    let server = Server::start(&[SHOP], &[]);
    let refused = request(
        &server.address,
        "GET",
        "/envs",
        &[("Host", "attacker.example")],
        None,
    );
    // The harness sends its own Host first; a second one must not get through either.
    assert!(
        refused.status == 403 || refused.status == 400,
        "{}",
        refused.headers
    );
    let allowed = Server::start(&[SHOP], &["--allow-host", "envs.internal"]);
    let raw = raw_with_host(&allowed.address, "envs.internal:9000");
    assert!(raw.starts_with("HTTP/1.1 200"), "{raw}");
    let raw = raw_with_host(&server.address, "attacker.example");
    assert!(raw.starts_with("HTTP/1.1 403"), "{raw}");
}

fn raw_with_host(address: &str, host: &str) -> String {
    use std::io::{Read, Write};
    let mut stream =
        std::net::TcpStream::connect(address).unwrap_or_else(|e| panic!("connect: {e}"));
    let _ = write!(
        stream,
        "GET /envs HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    );
    let mut out = String::new();
    let _ = stream.read_to_string(&mut out);
    out
}
