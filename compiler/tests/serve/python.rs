//! The official Python MCP SDK against `awmc serve`: listing, calling, tool errors as
//! `isError`, protocol errors, state kept across reconnects, isolation, stdio, and an
//! agent doing every example task.

use serde_json::{Value, json};

use crate::harness::{Server, python_client, root};

const SHOP: &str = "dsl-spec/examples/shop.awm";

fn tool<'a>(tools: &'a Value, name: &str) -> &'a Value {
    tools["tools"]
        .as_array()
        .and_then(|all| all.iter().find(|t| t["name"] == name))
        .unwrap_or_else(|| panic!("no tool {name} in {tools}"))
}

#[test]
fn lists_tools_with_schemas_and_annotations() {
    let server = Server::start(&[SHOP], &[]);
    let results = python_client(
        "http",
        &json!({ "url": server.url("/mcp"), "steps": [{ "op": "list" }] }),
    );
    let tools = &results[0];
    assert_eq!(tools["tools"].as_array().map(Vec::len), Some(48));
    let add = tool(tools, "add_to_cart");
    let schema = &add["inputSchema"];
    assert_eq!(schema["required"], json!(["product_id"]));
    assert_eq!(schema["properties"]["quantity"]["default"], 1);
    assert_eq!(schema["properties"]["quantity"]["minimum"], 1.0);
    assert!(
        schema["properties"]["product_id"]["description"].is_string(),
        "{schema}"
    );
    assert_eq!(add["annotations"]["readOnlyHint"], false);
    assert_eq!(add["annotations"]["idempotentHint"], false);
    let search = tool(tools, "search_products");
    let sort = &search["inputSchema"]["properties"]["sort_by"];
    assert!(
        sort.to_string().contains("price_asc"),
        "enum members: {sort}"
    );
    let get = tool(tools, "get_product");
    assert_eq!(get["annotations"]["readOnlyHint"], true);
    assert_eq!(get["outputSchema"]["type"], "object");
    let remove = tool(tools, "remove_cart_item");
    assert_eq!(remove["annotations"]["destructiveHint"], true);
    assert_eq!(remove["annotations"]["idempotentHint"], true);
}

#[test]
fn calls_return_json_and_failures_are_is_error_results() {
    let server = Server::start(&[SHOP], &[]);
    let results = python_client(
        "http",
        &json!({ "url": server.url("/mcp"), "steps": [
            { "op": "call", "name": "get_product", "arguments": { "product_id": 7 } },
            { "op": "call", "name": "add_to_cart", "arguments": { "product_id": "seven" } },
            { "op": "call", "name": "add_to_cart", "arguments": { "product_id": 7, "quantity": 0 } },
            { "op": "call", "name": "get_product", "arguments": { "product_id": 999999 } },
            { "op": "call", "name": "add_to_crt", "arguments": {} },
        ]}),
    );
    let product: Value = serde_json::from_str(results[0]["text"].as_str().unwrap_or_default())
        .unwrap_or(Value::Null);
    assert_eq!(product["id"], 7, "{}", results[0]);
    assert_eq!(results[0]["is_error"], false);
    assert_eq!(
        results[0]["structured"], product,
        "structuredContent = text"
    );
    assert_eq!(results[1]["is_error"], true);
    assert!(
        results[1]["text"]
            .as_str()
            .is_some_and(|t| t.contains("`product_id` must be an integer")),
        "{}",
        results[1]
    );
    assert_eq!(results[2]["is_error"], true);
    assert!(
        results[2]["text"]
            .as_str()
            .is_some_and(|t| t.contains("quantity")),
        "{}",
        results[2]
    );
    assert_eq!(results[3]["is_error"], true, "{}", results[3]);
    assert!(
        results[4]["protocol_error"]
            .as_str()
            .is_some_and(|m| m.contains("did you mean `add_to_cart`")),
        "{}",
        results[4]
    );
}

#[test]
fn state_persists_across_connections_to_the_same_url() {
    let server = Server::start(&[SHOP], &[]);
    // Each step opens a new MCP connection, as AWM's agent does.
    let results = python_client(
        "http",
        &json!({ "url": server.url("/mcp"), "steps": [
            { "op": "call", "name": "clear_cart", "arguments": {} },
            { "op": "call", "name": "add_to_cart", "arguments": { "product_id": 12, "quantity": 2 } },
            { "op": "call", "name": "get_cart", "arguments": {} },
        ]}),
    );
    let cart: Value = serde_json::from_str(results[2]["text"].as_str().unwrap_or_default())
        .unwrap_or(Value::Null);
    assert_eq!(cart["total_items"], 2, "{cart}");
    assert_eq!(cart["items"][0]["product_id"], 12, "{cart}");
    // The environment URL reaches the same default session.
    let again = python_client(
        "http",
        &json!({ "url": server.url("/envs/shop/mcp"), "steps": [
            { "op": "call", "name": "get_cart", "arguments": {} },
        ]}),
    );
    assert_eq!(again[0]["text"], results[2]["text"]);
}

#[test]
fn sessions_created_by_a_trainer_are_isolated() {
    let server = Server::start(&[SHOP], &[]);
    let (_, a) = server.json("POST", "/sessions", Some(&json!({ "env": "shop" })));
    let (_, b) = server.json("POST", "/sessions", Some(&json!({ "env": "shop" })));
    let url = |s: &Value| s["mcp_url"].as_str().unwrap_or_default().to_string();
    let steps = |quantity: i64| {
        json!([
            { "op": "call", "name": "clear_cart", "arguments": {} },
            { "op": "call", "name": "add_to_cart", "arguments": { "product_id": 3, "quantity": quantity } },
            { "op": "call", "name": "get_cart", "arguments": {} },
        ])
    };
    let results = python_client(
        "http",
        &json!([
            { "url": url(&a), "steps": steps(1) },
            { "url": url(&b), "steps": steps(5) },
            { "url": url(&a), "steps": [{ "op": "call", "name": "get_cart", "arguments": {} }] },
        ]),
    );
    let total = |r: &Value| {
        serde_json::from_str::<Value>(r["text"].as_str().unwrap_or_default()).unwrap_or(Value::Null)
            ["total_items"]
            .clone()
    };
    assert_eq!(total(&results[0][2]), 1);
    assert_eq!(total(&results[1][2]), 5);
    assert_eq!(total(&results[2][0]), 1, "session b's calls leaked into a");
    // The default session was not touched either.
    let (_, default) = server.json("GET", "/sessions/shop.default", None);
    assert_eq!(default["calls"], 0, "{default}");
}

#[test]
fn stdio_transport_serves_one_session() {
    let results = python_client(
        "stdio",
        &json!({
            "command": [crate::harness::awmc_path(), "serve", root().join(SHOP), "--stdio", "--log", "error"],
            "reuse": true,
            "steps": [
                { "op": "list" },
                { "op": "call", "name": "add_to_cart", "arguments": { "product_id": 9, "quantity": 1 } },
                { "op": "call", "name": "get_cart", "arguments": {} },
                { "op": "call", "name": "add_to_cart", "arguments": { "product_id": 9, "quantity": -1 } },
            ]
        }),
    );
    assert_eq!(results[0]["tools"].as_array().map(Vec::len), Some(48));
    assert_eq!(results[1]["is_error"], false, "{}", results[1]);
    assert!(
        results[2]["text"]
            .as_str()
            .is_some_and(|t| t.contains("\"product_id\":9")),
        "{}",
        results[2]
    );
    assert_eq!(results[3]["is_error"], true);
}

/// An agent on the Python SDK does every task of every example (its reference
/// solution, one MCP connection per call, as AWM's agent), and the control API's
/// verifier passes each.
#[test]
fn a_python_agent_completes_every_example_task() {
    let server = Server::start(&["dsl-spec/examples"], &[]);
    let mut plans = Vec::new();
    let mut runs = Vec::new();
    let mut dir: Vec<_> = std::fs::read_dir(root().join("dsl-spec/examples"))
        .unwrap_or_else(|e| panic!("examples: {e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "awm"))
        .collect();
    dir.sort();
    for path in dir {
        let engine = awmc::cli::inputs::load_engine(&path)
            .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        let session = engine
            .open_session()
            .unwrap_or_else(|e| panic!("session: {e}"));
        for (index, task) in engine.ir.tasks.iter().enumerate() {
            let steps: Vec<Value> = (0..task.solution.len())
                .map(|step| {
                    json!({
                        "op": "call",
                        "name": engine.ir.tools[task.solution[step].tool].spec.name,
                        "arguments": engine.solution_arguments(&session, index, step),
                    })
                })
                .collect();
            let (status, created) = server.json(
                "POST",
                "/sessions",
                Some(&json!({ "env": engine.ir.name, "task": task.name })),
            );
            assert_eq!(status, 201, "{created}");
            assert_eq!(created["prompt"], task.prompt.as_str());
            plans.push(json!({ "url": created["mcp_url"], "steps": steps }));
            runs.push((
                created["id"].as_str().unwrap_or_default().to_string(),
                format!("{}/{}", engine.ir.name, task.name),
                task.answer.clone(),
            ));
        }
    }
    let (_, envs) = server.json("GET", "/envs", None);
    let listed: usize = envs["envs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["tasks"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(runs.len(), listed, "every served task is run");
    assert!(runs.len() >= 70, "only {} tasks found", runs.len());
    let results = python_client("http", &Value::Array(plans));
    for ((id, name, answer), calls) in runs.iter().zip(results.as_array().into_iter().flatten()) {
        for call in calls.as_array().into_iter().flatten() {
            assert_eq!(call["is_error"], false, "{name}: {call}");
        }
        let (status, verdict) = server.json(
            "POST",
            &format!("/sessions/{id}/verify"),
            Some(&json!({ "answer": answer })),
        );
        assert_eq!(status, 200, "{name}: {verdict}");
        assert_eq!(verdict["passed"], true, "{name}: {verdict}");
    }
}
