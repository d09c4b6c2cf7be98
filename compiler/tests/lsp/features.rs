//! Diagnostics (the same codes as `awmc check`, cleared by a fix, quick fixes), hover,
//! completion and the outline, on the shop example.

use serde_json::json;

use crate::client::{Client, example, position_after, position_of};

const URI: &str = "file:///work/shop.awm";

fn codes(diagnostics: &[serde_json::Value]) -> Vec<String> {
    let mut codes: Vec<String> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect();
    codes.sort();
    codes
}

#[test]
fn diagnostics_match_awmc_check_and_clear_when_fixed() {
    let good = example("shop.awm");
    // Two mistakes: a misspelt column and an unknown table.
    let bad = good
        .replacen(
            "require p.stock_quantity >= already",
            "require p.stok_quantity >= already",
            1,
        )
        .replacen(
            "let p = products(product_id)",
            "let p = prodcts(product_id)",
            1,
        );
    let mut client = Client::start();
    client.open(URI, &bad);
    let published = client.diagnostics(URI, 1);
    let mut expected: Vec<String> = awmc::driver::analyze(&bad)
        .diagnostics
        .iter()
        .map(|d| d.code.code().to_string())
        .collect();
    expected.sort();
    assert!(!expected.is_empty());
    assert_eq!(codes(&published), expected, "{published:?}");
    let first = &published[0];
    assert_eq!(first["source"], "awmc");
    assert!(
        first["codeDescription"]["href"]
            .as_str()
            .is_some_and(|href| href.contains("diagnostics.md#e")),
        "{first}"
    );
    // The range is the misspelt name, in UTF-16 positions.
    let stok = published
        .iter()
        .find(|d| {
            d["message"]
                .as_str()
                .is_some_and(|m| m.contains("stok_quantity"))
        })
        .cloned()
        .unwrap_or_else(|| panic!("no diagnostic for stok_quantity: {published:?}"));
    assert_eq!(
        stok["range"]["start"],
        position_of(&bad, "stok_quantity", 0)
    );

    // The quick fix replaces the name with the suggestion.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": URI },
            "range": stok["range"],
            "context": { "diagnostics": [stok] },
        }),
    );
    let edit = &actions["result"][0]["edit"]["changes"][URI][0];
    assert_eq!(edit["newText"], "stock_quantity", "{actions}");

    client.change(URI, 2, &good);
    assert_eq!(client.diagnostics(URI, 2), Vec::<serde_json::Value>::new());
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn hover_shows_types_and_descriptions() {
    let text = example("shop.awm");
    let mut client = Client::start();
    client.open(URI, &text);
    let hover = |client: &mut Client, needle: &str, skip: usize| {
        let reply = client.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": URI }, "position": position_of(&text, needle, skip) }),
        );
        reply["result"]["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let column = hover(&mut client, "require p.stock_quantity", 12);
    assert!(column.contains("products.stock_quantity: int"), "{column}");
    assert!(column.contains("Units in stock"), "{column}");
    let table = hover(&mut client, "let p = products(product_id)", 9);
    assert!(table.contains("table products"), "{table}");
    let binding = hover(&mut client, "require p.is_active", 8);
    assert!(binding.contains("p: products"), "{binding}");
    let tool = hover(&mut client, "tool add_to_cart(", 6);
    assert!(
        tool.contains("tool add_to_cart(product_id: int, quantity: int) -> cart_items"),
        "{tool}"
    );
    assert!(tool.contains("Units to add"), "{tool}");
    let function = hover(&mut client, ".quantity.sum()", 11);
    assert!(function.contains("sum"), "{function}");
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn completion_offers_columns_after_a_dot_and_tools_in_solutions() {
    let text = example("shop.awm");
    // Half-typed: `p.` with nothing after it.
    let typed = text.replacen("require p.is_active else", "require p. else", 1);
    let mut client = Client::start();
    client.open(URI, &typed);
    let reply = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": URI }, "position": position_of(&typed, "require p. else", 10) }),
    );
    let labels: Vec<&str> = reply["result"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(
        labels.contains(&"stock_quantity") && labels.contains(&"is_active"),
        "{labels:?}"
    );
    assert!(
        !labels.contains(&"require"),
        "only columns after a dot: {labels:?}"
    );

    let solution = text
        .find("solution {")
        .unwrap_or_else(|| panic!("no solution"));
    let inside = &text[solution..];
    let call = inside.find('(').unwrap_or_else(|| panic!("no call")) + solution + 1;
    let before = &text[..call];
    let position = json!({
        "line": before.matches('\n').count(),
        "character": before.rsplit('\n').next().unwrap_or_default().encode_utf16().count(),
    });
    let reply = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": URI }, "position": position }),
    );
    let kinds: Vec<i64> = reply["result"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["kind"].as_i64())
        .collect();
    assert!(!kinds.is_empty(), "{reply}");
    assert!(
        kinds.iter().all(|k| *k == 6),
        "parameters (variables) only: {reply}"
    );
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn the_outline_lists_tables_tools_and_tasks() {
    let text = example("shop.awm");
    let mut client = Client::start();
    client.open(URI, &text);
    let reply = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": URI } }),
    );
    let symbols = reply["result"].as_array().cloned().unwrap_or_default();
    let named = |name: &str| symbols.iter().find(|s| s["name"] == name).cloned();
    let products = named("products").unwrap_or_else(|| panic!("no products: {symbols:?}"));
    assert!(
        products["children"]
            .as_array()
            .is_some_and(|c| c.iter().any(|col| col["name"] == "stock_quantity")),
        "{products}"
    );
    assert!(named("add_to_cart").is_some());
    assert!(named("checkout_best_coupon").is_some());
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn definition_finds_declarations() {
    let text = example("shop.awm");
    let mut client = Client::start();
    client.open(URI, &text);
    let tool = "tool add_to_cart(";
    let definition = |client: &mut Client, position: serde_json::Value| {
        let reply = client.request(
            "textDocument/definition",
            json!({ "textDocument": { "uri": URI }, "position": position }),
        );
        reply["result"]["range"]["start"].clone()
    };
    // A column after a dot, a bare binding, a table and a tool name in a solution.
    let column = definition(
        &mut client,
        position_after(&text, tool, "require p.stock_quantity", 12),
    );
    assert_eq!(column, position_of(&text, "stock_quantity: int", 0));
    let binding = definition(
        &mut client,
        position_after(&text, tool, "require p.is_active", 8),
    );
    assert_eq!(binding, position_after(&text, tool, "let p = products", 4));
    let table = definition(
        &mut client,
        position_after(&text, tool, "let p = products", 9),
    );
    assert_eq!(table, position_of(&text, "table products", 6));
    let tool_use = definition(
        &mut client,
        position_of(&text, "    top_rated_products(category_id", 4),
    );
    assert_eq!(tool_use, position_of(&text, "tool top_rated_products(", 5));
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn formatting_returns_the_canonical_layout() {
    let text = example("library.awm");
    let messy = text.replacen("\n", "\n\n\n", 3).replace("{ ", "{    ");
    let expected = awmc::fmt::format(&messy).unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(messy, expected);
    let mut client = Client::start();
    client.open(URI, &messy);
    let reply = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": URI }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    let edits = reply["result"].as_array().cloned().unwrap_or_default();
    assert_eq!(edits.len(), 1, "{reply}");
    assert_eq!(edits[0]["newText"], expected.as_str());
    assert_eq!(
        edits[0]["range"]["start"],
        json!({ "line": 0, "character": 0 })
    );
    // Formatted text needs no edits; broken text gets none.
    client.change(URI, 2, &expected);
    let reply = client.request("textDocument/formatting", json!({ "textDocument": { "uri": URI }, "options": { "tabSize": 2, "insertSpaces": true } }));
    assert_eq!(reply["result"], json!([]));
    client.change(URI, 3, "tool (");
    let reply = client.request("textDocument/formatting", json!({ "textDocument": { "uri": URI }, "options": { "tabSize": 2, "insertSpaces": true } }));
    assert_eq!(reply["result"], serde_json::Value::Null);
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn references_and_rename_cover_every_occurrence() {
    let text = example("shop.awm");
    let mut client = Client::start();
    client.open(URI, &text);
    let at = position_after(&text, "tool add_to_cart(", "require p.stock_quantity", 12);
    let reply = client.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": URI }, "position": at, "context": { "includeDeclaration": true } }),
    );
    let locations = reply["result"].as_array().cloned().unwrap_or_default();
    let declaration = position_of(&text, "stock_quantity: int", 0);
    assert!(
        locations.iter().any(|l| l["range"]["start"] == declaration),
        "{reply}"
    );
    let use_start = position_after(&text, "tool add_to_cart(", "require p.stock_quantity", 10);
    assert!(
        locations.iter().any(|l| l["range"]["start"] == use_start),
        "{reply}"
    );
    let seed_rows = text.matches("stock_quantity: ").count() - 1;
    assert!(
        locations.len() > seed_rows,
        "seed fields and uses: {}",
        locations.len()
    );
    for location in &locations {
        let start = crate::client::offset_of(&text, &location["range"]["start"]);
        assert!(text[start..].starts_with("stock_quantity"), "{location}");
    }

    let prepared = client.request(
        "textDocument/prepareRename",
        json!({ "textDocument": { "uri": URI }, "position": at }),
    );
    assert_eq!(prepared["result"]["start"], use_start, "{prepared}");
    let reply = client.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": URI }, "position": at, "newName": "units_in_stock" }),
    );
    let edits = reply["result"]["changes"][URI]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(edits.len(), locations.len());
    let renamed = crate::client::apply(&text, &edits);
    // Every occurrence in code is renamed (a missed one would be an unknown column below);
    // prose in descriptions is left as written.
    assert!(renamed.matches("units_in_stock").count() >= locations.len());
    let analysis = awmc::driver::analyze(&renamed);
    assert!(analysis.is_accepted(), "{:?}", analysis.diagnostics.first());

    // A rename to something that is not a name is refused; so is renaming a keyword.
    let reply = client.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": URI }, "position": at, "newName": "stock quantity" }),
    );
    assert!(reply["error"]["message"].is_string(), "{reply}");
    let keyword = position_of(&text, "require p.stock_quantity", 0);
    let reply = client.request(
        "textDocument/prepareRename",
        json!({ "textDocument": { "uri": URI }, "position": keyword }),
    );
    assert!(reply["error"].is_object(), "{reply}");
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn data_files_are_read_beside_the_document_and_their_lines_linked() {
    let root = crate::client::root();
    let root = root.canonicalize().unwrap_or(root);
    // The valid corpus spec reads its rows from files beside it: no errors.
    let valid = root.join("tests/specs/valid/seed_from_files.awm");
    let text = std::fs::read_to_string(&valid).unwrap_or_default();
    let uri = format!("file://{}", valid.display());
    let mut client = Client::start();
    client.open(&uri, &text);
    let published = client.diagnostics(&uri, 1);
    assert!(published.is_empty(), "{published:?}");
    // A bad row of a data file: reported on the path, linked to its line in the file.
    let dir = std::env::temp_dir().join(format!("awmc-lsp-seed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let dir = dir.canonicalize().unwrap_or(dir);
    std::fs::write(
        dir.join("items.jsonl"),
        "{\"id\": 1, \"price\": 2.0}\n{\"id\": 2, \"price\": \"x\"}\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let spec = "env e {\n  clock: 2026-01-01T00:00:00Z\n}\n\ntable items {\n  id: int primary\n  price: real\n}\n\nseed items from \"items.jsonl\"\n\ntool all() -> [items] \"All items.\" {\n  return items\n}\n";
    let uri = format!("file://{}/spec.awm", dir.display());
    client.open(&uri, spec);
    let published = client.diagnostics(&uri, 1);
    assert_eq!(codes(&published), vec!["E0400"], "{published:?}");
    assert_eq!(
        published[0]["range"]["start"],
        position_of(spec, "\"items.jsonl\"", 0)
    );
    let related = &published[0]["relatedInformation"][0];
    assert_eq!(
        related["location"]["uri"],
        format!("file://{}/items.jsonl", dir.display()),
        "{related}"
    );
    assert_eq!(related["location"]["range"]["start"]["line"], 1);
    // A document that is not a file has no folder to read from.
    client.open("untitled:Untitled-1", spec);
    let published = client.diagnostics("untitled:Untitled-1", 1);
    assert_eq!(codes(&published), vec!["E0605"], "{published:?}");
    client.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}
