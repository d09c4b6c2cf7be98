//! A bounded load test on loopback: 64 concurrent clients, each on its own session
//! (and a few sharing the default one), a fixed number of calls each. No call may fail,
//! and every session ends in exactly the state its own calls produce.

use serde_json::json;

use crate::harness::{Server, result_json};

const CLIENTS: usize = 64;
const ROUNDS: usize = 25;

#[test]
fn sixty_four_concurrent_clients_see_no_errors_and_no_interference() {
    let server = Server::start(&["dsl-spec/examples/shop.awm"], &[]);
    let sessions: Vec<String> = (0..CLIENTS)
        .map(|_| {
            let (status, created) = server.json("POST", "/sessions", Some(&json!({})));
            assert_eq!(status, 201, "{created}");
            format!(
                "/sessions/{}/mcp",
                created["id"].as_str().unwrap_or_default()
            )
        })
        .collect();
    // Products in stock and active, so every add succeeds.
    let products: Vec<i64> = (1..=60)
        .filter(|id| {
            let product =
                result_json(&server.call("/mcp", "get_product", json!({ "product_id": id })));
            product["stock_quantity"].as_i64().unwrap_or(0) >= 2 && product["is_active"] == true
        })
        .collect();
    assert!(products.len() >= 10, "{products:?}");
    let product_of = |client: usize| products[client % products.len()];
    let errors = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for (client, path) in sessions.iter().enumerate() {
            let (server, errors) = (&server, &errors);
            let product = product_of(client);
            scope.spawn(move || {
                let fail = |what: &str| {
                    errors.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    eprintln!("client {client}: {what}");
                };
                let cleared = server.call(path, "clear_cart", json!({}));
                if cleared["isError"] != false {
                    fail(&cleared.to_string());
                }
                for _ in 0..ROUNDS {
                    for (tool, arguments) in [
                        ("get_product", json!({ "product_id": product })),
                        ("search_products", json!({ "q": "wireless" })),
                        (
                            "add_to_cart",
                            json!({ "product_id": product, "quantity": 1 }),
                        ),
                        ("get_cart", json!({})),
                        ("remove_cart_item", json!({ "product_id": product })),
                    ] {
                        let result = server.call(path, tool, arguments);
                        if result["isError"] != false {
                            fail(&format!("{tool}: {result}"));
                        }
                    }
                }
                let added = server.call(
                    path,
                    "add_to_cart",
                    json!({ "product_id": product, "quantity": 1 }),
                );
                if added["isError"] != false {
                    fail(&added.to_string());
                }
                // Shared default session: reads only, so its state stays the seed's.
                let shared = server.call("/mcp", "list_categories", json!({}));
                if shared["isError"] != false {
                    fail(&shared.to_string());
                }
            });
        }
    });
    assert_eq!(
        errors.load(std::sync::atomic::Ordering::Relaxed),
        0,
        "{}",
        server.log()
    );
    for (client, path) in sessions.iter().enumerate() {
        let cart = result_json(&server.call(path, "get_cart", json!({})));
        assert_eq!(cart["total_items"], 1, "client {client}: {cart}");
        assert_eq!(
            cart["items"].as_array().map(Vec::len),
            Some(1),
            "client {client} saw another client's cart: {cart}"
        );
        assert_eq!(cart["items"][0]["product_id"], product_of(client));
    }
    let (_, default) = server.json("GET", "/sessions/shop.default", None);
    assert_eq!(default["touched_tables"], json!([]), "{default}");
}
