//! The control API: session lifecycle, reset, verify, export (files that open with
//! SQLite), downloads, idle expiry, the session limit, and the OpenAPI document.

use serde_json::{Value, json};

use crate::harness::{Server, request, result_json};

const SHOP: &str = "dsl-spec/examples/shop.awm";

fn create(server: &Server, body: Value) -> Value {
    let (status, created) = server.json("POST", "/sessions", Some(&body));
    assert_eq!(status, 201, "{created}");
    created
}

fn mcp_path(session: &Value) -> String {
    format!(
        "/sessions/{}/mcp",
        session["id"].as_str().unwrap_or_default()
    )
}

#[test]
fn lists_environments_tasks_and_tools() {
    let server = Server::start(&["dsl-spec/examples"], &[]);
    let (status, envs) = server.json("GET", "/envs", None);
    assert_eq!(status, 200);
    let names: Vec<&str> = envs["envs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert!(
        names.contains(&"shop") && names.contains(&"airline"),
        "{names:?}"
    );
    let (_, tasks) = server.json("GET", "/envs/airline/tasks", None);
    assert!(tasks["tasks"][0]["prompt"].is_string(), "{tasks}");
    let (_, openai) = server.json("GET", "/envs/shop/tools?format=openai", None);
    assert_eq!(openai["tools"][0]["type"], "function");
    assert!(openai["tools"][0]["function"]["parameters"].is_object());
    let (status, missing) = server.json("GET", "/envs/shopp", None);
    assert_eq!(status, 404);
    assert_eq!(missing["error"]["code"], "unknown_env");
    assert!(
        missing["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("did you mean `shop`")),
        "{missing}"
    );
    // With several environments, a plain /mcp cannot choose one.
    let (status, reply) = server.mcp(
        "/mcp",
        &json!({ "jsonrpc": "2.0", "id": 1, "method": "tools/list" }),
    );
    assert_eq!(status, 404);
    assert!(
        reply["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("/envs/<env>/mcp"))
    );
    // Each environment's own URL works.
    let (status, reply) = server.mcp(
        "/envs/library/mcp",
        &json!({ "jsonrpc": "2.0", "id": 1, "method": "tools/list" }),
    );
    assert_eq!(status, 200);
    assert!(
        reply["result"]["tools"]
            .as_array()
            .is_some_and(|t| !t.is_empty())
    );
}

#[test]
fn session_lifecycle_reset_verify_and_delete() {
    let server = Server::start(&[SHOP], &[]);
    let session = create(&server, json!({ "task": "checkout_best_coupon" }));
    let id = session["id"].as_str().unwrap_or_default().to_string();
    assert!(session["prompt"].is_string(), "{session}");
    assert_eq!(session["task"], "checkout_best_coupon");
    let seed_cart = result_json(&server.call(&mcp_path(&session), "get_cart", json!({})));

    // Before the agent acts, the task is not done: the verdict says which expectation failed.
    let (status, verdict) =
        server.json("POST", &format!("/sessions/{id}/verify"), Some(&json!({})));
    assert_eq!(status, 200, "{verdict}");
    assert_eq!(verdict["passed"], false);
    assert!(
        verdict["evidence"]
            .as_array()
            .is_some_and(|e| !e.is_empty())
    );

    // Calls through the control API change the session, and show in its info.
    let (_, added) = server.json(
        "POST",
        &format!("/sessions/{id}/call"),
        Some(&json!({ "tool": "add_to_cart", "arguments": { "product_id": 5, "quantity": 1 } })),
    );
    assert_eq!(added["is_error"], false, "{added}");
    let (_, refused) = server.json(
        "POST",
        &format!("/sessions/{id}/call"),
        Some(&json!({ "tool": "add_to_cart", "arguments": { "product_id": 5, "quantity": 0 } })),
    );
    assert_eq!(refused["is_error"], true);
    assert_eq!(refused["error"]["kind"], "invalid_arguments", "{refused}");
    let (_, info) = server.json("GET", &format!("/sessions/{id}"), None);
    assert_eq!(info["calls"], 3, "{info}");
    assert!(
        info["touched_tables"].to_string().contains("cart_items"),
        "{info}"
    );

    // Reset restores the seed state exactly.
    let (status, _) = server.json("POST", &format!("/sessions/{id}/reset"), None);
    assert_eq!(status, 200);
    let after = result_json(&server.call(&mcp_path(&session), "get_cart", json!({})));
    assert_eq!(after, seed_cart);
    let (_, info) = server.json("GET", &format!("/sessions/{id}"), None);
    assert_eq!(info["touched_tables"], json!([]), "{info}");

    // Delete: afterwards every use says so precisely, over the API and over MCP.
    let (status, _) = server.json("DELETE", &format!("/sessions/{id}"), None);
    assert_eq!(status, 204);
    let (status, gone) = server.json("GET", &format!("/sessions/{id}"), None);
    assert_eq!(status, 410);
    assert_eq!(gone["error"]["code"], "session_deleted");
    let (status, reply) = server.mcp(
        &mcp_path(&session),
        &json!({ "jsonrpc": "2.0", "id": 7, "method": "tools/list" }),
    );
    assert_eq!(status, 410);
    assert_eq!(reply["error"]["data"]["code"], "session_deleted", "{reply}");
    let (status, unknown) = server.json("POST", "/sessions/nosuchsession/reset", None);
    assert_eq!(status, 404);
    assert_eq!(unknown["error"]["code"], "unknown_session");
    // The default session can be reset but not deleted.
    let (status, _) = server.json("DELETE", "/sessions/shop.default", None);
    assert_eq!(status, 400);
}

#[test]
fn a_trainer_runs_the_whole_loop_and_exports_an_awm_run() {
    let export = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("serve-export-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&export);
    let export_arg = export.display().to_string();
    let server = Server::start(&[SHOP], &["--export-dir", &export_arg]);
    let session = create(
        &server,
        json!({ "env": "shop", "task": "checkout_best_coupon" }),
    );
    let id = session["id"].as_str().unwrap_or_default().to_string();
    // The reference solution of the task, as an agent would call it.
    let text = std::fs::read_to_string(crate::harness::root().join(SHOP)).unwrap_or_default();
    let engine = awmc::engine::Engine::from_source(&text).unwrap_or_else(|e| panic!("{e:?}"));
    let task = engine
        .task_index("checkout_best_coupon")
        .unwrap_or_else(|| panic!("no task"));
    let scratch = engine.open_session().unwrap_or_else(|e| panic!("{e}"));
    for step in 0..engine.ir.tasks[task].solution.len() {
        let name = engine.ir.tools[engine.ir.tasks[task].solution[step].tool]
            .spec
            .name
            .clone();
        let arguments = engine.solution_arguments(&scratch, task, step);
        let result = server.call(&mcp_path(&session), &name, arguments);
        assert_eq!(result["isError"], false, "{name}: {result}");
    }
    let answer = engine.ir.tasks[task].answer.clone();
    let (_, verdict) = server.json(
        "POST",
        &format!("/sessions/{id}/verify"),
        Some(&json!({ "answer": answer })),
    );
    assert_eq!(verdict["passed"], true, "{verdict}");

    let (status, written) = server.json(
        "POST",
        &format!("/sessions/{id}/export"),
        Some(&json!({ "dir": "run-1", "answer": answer, "model": "test-agent" })),
    );
    assert_eq!(status, 200, "{written}");
    let dir = export.join("run-1");
    let initial =
        rusqlite::Connection::open(dir.join("initial.db")).unwrap_or_else(|e| panic!("{e}"));
    let final_ = rusqlite::Connection::open(dir.join("final.db")).unwrap_or_else(|e| panic!("{e}"));
    let count = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row("SELECT count(*) FROM orders", [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert_eq!(
        count(&final_),
        count(&initial) + 1,
        "the order is in final.db only"
    );
    let trajectory: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("trajectory.json")).unwrap_or_default(),
    )
    .unwrap_or(Value::Null);
    assert_eq!(trajectory["scenario"], "shop");
    assert_eq!(trajectory["task_id"], "checkout_best_coupon");
    assert_eq!(trajectory["model"], "test-agent");
    let steps = trajectory["trajectory"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(steps.len(), engine.ir.tasks[task].solution.len() + 1);
    assert_eq!(
        steps.last().map(|s| s["is_final"].clone()),
        Some(json!(true))
    );

    // The same files can be downloaded.
    let download = request(
        &server.address,
        "GET",
        &format!("/sessions/{id}/files/final.db"),
        &[],
        None,
    );
    assert_eq!(download.status, 200);
    assert!(download.body.starts_with(b"SQLite format 3\0"));
    let path = export.join("downloaded.db");
    std::fs::write(&path, &download.body).unwrap_or_else(|e| panic!("{e}"));
    let downloaded = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(count(&downloaded), count(&final_));
    // A folder name cannot escape the export directory.
    let (status, refused) = server.json(
        "POST",
        &format!("/sessions/{id}/export"),
        Some(&json!({ "dir": "../outside" })),
    );
    assert_eq!(status, 400, "{refused}");
    let _ = std::fs::remove_dir_all(&export);
}

#[test]
fn export_without_a_directory_is_refused_clearly() {
    let server = Server::start(&[SHOP], &[]);
    let session = create(&server, json!({}));
    let (status, refused) = server.json(
        "POST",
        &format!(
            "/sessions/{}/export",
            session["id"].as_str().unwrap_or_default()
        ),
        None,
    );
    assert_eq!(status, 403);
    assert_eq!(refused["error"]["code"], "export_disabled");
}

#[test]
fn idle_sessions_expire() {
    let server = Server::start(&[SHOP], &["--idle-timeout", "1"]);
    let session = create(&server, json!({}));
    let id = session["id"].as_str().unwrap_or_default().to_string();
    std::thread::sleep(std::time::Duration::from_millis(2500));
    let (status, gone) = server.json("GET", &format!("/sessions/{id}"), None);
    assert_eq!(status, 410, "{gone}");
    assert_eq!(gone["error"]["code"], "session_expired");
    // The default session never expires.
    let (status, _) = server.json("GET", "/sessions/shop.default", None);
    assert_eq!(status, 200);
}

#[test]
fn the_session_limit_is_a_clear_error() {
    let server = Server::start(&[SHOP], &["--max-sessions", "2"]);
    let first = create(&server, json!({}));
    create(&server, json!({}));
    let (status, refused) = server.json("POST", "/sessions", Some(&json!({})));
    assert_eq!(status, 429);
    assert_eq!(refused["error"]["code"], "session_limit");
    assert!(
        refused["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("--max-sessions")),
        "{refused}"
    );
    let id = first["id"].as_str().unwrap_or_default();
    let (status, _) = server.json("DELETE", &format!("/sessions/{id}"), None);
    assert_eq!(status, 204);
    create(&server, json!({}));
}

#[test]
fn the_openapi_document_describes_every_route() {
    let server = Server::start(&[SHOP], &[]);
    let (status, document) = server.json("GET", "/openapi.json", None);
    assert_eq!(status, 200);
    assert_eq!(document["openapi"], "3.1.0");
    let session = create(&server, json!({ "task": "checkout_best_coupon" }));
    let id = session["id"].as_str().unwrap_or_default();
    let paths = document["paths"].as_object().cloned().unwrap_or_default();
    assert!(paths.len() >= 12, "{paths:?}");
    for (path, operations) in &paths {
        let concrete = path
            .replace("{env}", "shop")
            .replace("{id}", id)
            .replace("{file}", "trajectory.json");
        for method in operations.as_object().into_iter().flat_map(|o| o.keys()) {
            if method == "delete" {
                continue;
            }
            let body = (method == "post").then(|| json!({}));
            let (status, reply) = server.json(&method.to_uppercase(), &concrete, body.as_ref());
            assert!(
                reply["error"]["code"] != "not_found" || status != 404,
                "{method} {path} is documented but not routed: {reply}"
            );
        }
    }
}
