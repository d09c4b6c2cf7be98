//! Tool semantics through the in-process engine: a call is one transaction, writes do what
//! the spec says, queries filter, group, sort and navigate foreign keys, and hostile
//! arguments are refused with a clear message without touching the state.

use awm_runtime::Session;
use awmc::engine::Engine;
use serde_json::{Value as Json, json};

const SHOP: &str = r#"
env shop {
  title: "Test shop"
  user: users(1)
  clock: 2026-03-14T09:30:00Z
}

enum status { pending, paid, cancelled }

table users { id: int primary  name: text }
table categories { id: int primary  name: text unique }
table products {
  id: int primary
  name: text
  category_id: int -> categories.id
  price: real check(price >= 0)
  stock: int = 0 check(stock >= 0)
}
table cart_items {
  id: int primary auto
  user_id: int -> users.id
  product_id: int -> products.id
  quantity: int = 1 check(quantity > 0)
  unique (user_id, product_id)
}
table orders {
  id: int primary auto
  user_id: int -> users.id
  status: status = pending
  total: real
}
table order_items {
  id: int primary auto
  order_id: int -> orders.id
  product_id: int -> products.id
  quantity: int
}

seed users [ { id: 1, name: "Ada" }, { id: 2, name: "Bo" } ]
seed categories [ { id: 1, name: "Laptops" }, { id: 2, name: "Audio" } ]
seed products [
  { id: 1, name: "ZenBook", category_id: 1, price: 899.0, stock: 4 },
  { id: 2, name: "ThinkPad", category_id: 1, price: 1299.0, stock: 2 },
  { id: 3, name: "AirPods", category_id: 2, price: 249.0, stock: 0 },
  { id: 4, name: "Sony XM5", category_id: 2, price: 349.0, stock: 7 },
]

tool search(query: text = "", category: text?, max_price: real?) -> [products] "Search." {
  return products
    where name contains query
      and category_id.name == category if category
      and price <= max_price if max_price
    order by price desc
}

tool add_to_cart(product_id: int, quantity: int = 1 check(quantity > 0)) -> cart_items "Add." {
  let p = products(product_id) else "No product with id {product_id}"
  require p.stock >= quantity else "Only {p.stock} of {p.name} in stock"
  return upsert cart_items { user_id: me.id, product_id: p.id, quantity: quantity }
    on (user_id, product_id) set { quantity: quantity + excluded.quantity }
}

tool place_order() -> orders "Order the cart." {
  let items = cart_items where user_id == me.id
  require items.count() > 0 else "Your cart is empty"
  let order = insert orders { user_id: me.id, total: (items select quantity * product_id.price).sum() }
  for item in items {
    insert order_items { order_id: order.id, product_id: item.product_id, quantity: item.quantity }
    update products where id == item.product_id set { stock: stock - item.quantity }
  }
  delete cart_items where user_id == me.id
  return order
}

tool stock_by_category() -> [{ category: text, units: int, products: int }] "Stock per category." {
  return products
    group by category: category_id.name
    select { category: category, units: sum(stock), products: count() }
    order by units desc
}

tool cancel(order_id: int) -> orders "Cancel an order." {
  let o = orders(order_id) where user_id == me.id else "No order {order_id} of yours"
  require o.status == pending else "Order {order_id} is already {o.status}"
  for line in order_items where order_id == o.id {
    update products where id == line.product_id set { stock: stock + line.quantity }
  }
  return update o set { status: cancelled }
}

tool greet(name: text) -> text "Say hello." {
  return "Hello, {name}! I am {me.name}."
}
"#;

fn engine() -> Engine {
    match Engine::from_source(SHOP) {
        Ok(engine) => engine,
        Err(errors) => panic!("the test spec does not check: {errors:?}"),
    }
}

fn session(engine: &Engine) -> Session {
    engine.open_session().unwrap_or_else(|e| panic!("{e}"))
}

fn call(engine: &Engine, session: &Session, tool: &str, args: Json) -> Result<Json, String> {
    engine
        .call_json(session, tool, &args)
        .map_err(|e| e.message)
}

fn dump(engine: &Engine, session: &Session) -> String {
    format!("{:?}", session.dump(&engine.ir.schema).unwrap_or_default())
}

fn names(result: &Json) -> Vec<String> {
    result
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["name"].as_str().map(String::from))
        .collect()
}

#[test]
fn optional_filters_apply_only_when_given() {
    let engine = engine();
    let s = session(&engine);
    assert_eq!(
        names(&call(&engine, &s, "search", json!({})).unwrap_or_default()),
        ["ThinkPad", "ZenBook", "Sony XM5", "AirPods"]
    );
    let laptops = call(&engine, &s, "search", json!({ "category": "Laptops" })).unwrap_or_default();
    assert_eq!(names(&laptops), ["ThinkPad", "ZenBook"]);
    let cheap = call(
        &engine,
        &s,
        "search",
        json!({ "max_price": 400, "query": "o" }),
    )
    .unwrap_or_default();
    assert_eq!(names(&cheap), ["Sony XM5", "AirPods"]);
}

#[test]
fn upsert_adds_to_the_existing_row() {
    let engine = engine();
    let s = session(&engine);
    let first = call(&engine, &s, "add_to_cart", json!({ "product_id": 1 })).unwrap_or_default();
    assert_eq!(first["quantity"], json!(1));
    let second = call(
        &engine,
        &s,
        "add_to_cart",
        json!({ "product_id": 1, "quantity": 2 }),
    )
    .unwrap_or_default();
    assert_eq!(second["quantity"], json!(3));
    assert_eq!(second["id"], first["id"]);
}

#[test]
fn a_failed_require_rolls_back_every_write_of_the_call() {
    let engine = engine();
    let s = session(&engine);
    call(
        &engine,
        &s,
        "add_to_cart",
        json!({ "product_id": 4, "quantity": 2 }),
    )
    .unwrap_or_default();
    let order = call(&engine, &s, "place_order", json!({})).unwrap_or_default();
    assert_eq!(order["total"], json!(698.0));
    let before = dump(&engine, &s);
    // The cart is empty now: the order would be inserted, then the require fails.
    assert_eq!(
        call(&engine, &s, "place_order", json!({})),
        Err("Your cart is empty".to_string())
    );
    assert_eq!(dump(&engine, &s), before);
}

#[test]
fn loops_update_each_row_and_messages_interpolate() {
    let engine = engine();
    let s = session(&engine);
    call(
        &engine,
        &s,
        "add_to_cart",
        json!({ "product_id": 1, "quantity": 3 }),
    )
    .unwrap_or_default();
    call(
        &engine,
        &s,
        "add_to_cart",
        json!({ "product_id": 4, "quantity": 1 }),
    )
    .unwrap_or_default();
    let order = call(&engine, &s, "place_order", json!({})).unwrap_or_default();
    let stock = |id: i64| {
        call(&engine, &s, "search", json!({}))
            .unwrap_or_default()
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["id"] == json!(id))
            .map(|p| p["stock"].clone())
    };
    assert_eq!(stock(1), Some(json!(1)));
    assert_eq!(stock(4), Some(json!(6)));
    let cancelled =
        call(&engine, &s, "cancel", json!({ "order_id": order["id"] })).unwrap_or_default();
    assert_eq!(cancelled["status"], json!("cancelled"));
    assert_eq!(stock(1), Some(json!(4)));
    let again = call(&engine, &s, "cancel", json!({ "order_id": order["id"] }));
    assert_eq!(
        again,
        Err(format!("Order {} is already cancelled", order["id"]))
    );
    assert_eq!(
        call(&engine, &s, "add_to_cart", json!({ "product_id": 3 })),
        Err("Only 0 of AirPods in stock".to_string())
    );
    assert_eq!(
        call(&engine, &s, "greet", json!({ "name": "you" })),
        Ok(json!("Hello, you! I am Ada."))
    );
}

#[test]
fn group_by_aggregates_and_follows_foreign_keys() {
    let engine = engine();
    let s = session(&engine);
    let groups = call(&engine, &s, "stock_by_category", json!({})).unwrap_or_default();
    assert_eq!(
        groups,
        json!([{ "category": "Audio", "units": 7, "products": 2 }, { "category": "Laptops", "units": 6, "products": 2 }])
    );
}

#[test]
fn hostile_arguments_get_precise_errors_and_change_nothing() {
    let engine = engine();
    let s = session(&engine);
    let before = dump(&engine, &s);
    let huge = "x".repeat(2 * 1024 * 1024);
    let mut deep = json!(1);
    for _ in 0..100 {
        deep = json!([deep]);
    }
    let cases = [
        (
            "add_to_cart",
            json!({}),
            "missing required parameter `product_id`",
        ),
        (
            "add_to_cart",
            json!({ "product_id": "1" }),
            "must be an integer",
        ),
        (
            "add_to_cart",
            json!({ "product_id": 1.5 }),
            "must be an integer",
        ),
        (
            "add_to_cart",
            json!({ "product_id": 1, "qty": 2 }),
            "has no parameter `qty`",
        ),
        (
            "add_to_cart",
            json!({ "product_id": 1, "quantity": 0 }),
            "at least 1",
        ),
        (
            "add_to_cart",
            json!({ "product_id": 99999999999i64 }),
            "No product",
        ),
        ("add_to_cart", json!([1, 2]), "must be a JSON object"),
        ("search", json!({ "query": huge }), "bytes"),
        ("search", json!({ "query": deep }), "nested too deeply"),
        (
            "greet",
            json!({ "name": null }),
            "missing required parameter `name`",
        ),
        ("cancel", json!({ "order_id": 1 }), "No order 1 of yours"),
    ];
    for (tool, args, expected) in cases {
        match call(&engine, &s, tool, args) {
            Err(message) => assert!(
                message.contains(expected),
                "{tool}: `{message}` does not say `{expected}`"
            ),
            Ok(result) => panic!("{tool} accepted hostile arguments: {result}"),
        }
    }
    // SQL metacharacters are data, never SQL.
    let sneaky = call(
        &engine,
        &s,
        "search",
        json!({ "query": "' OR 1=1; DROP TABLE products; --" }),
    );
    assert_eq!(sneaky, Ok(json!([])));
    assert_eq!(
        call(&engine, &s, "greet", json!({ "name": "{me.id}\"); --" })),
        Ok(json!("Hello, {me.id}\"); --! I am Ada."))
    );
    assert_eq!(dump(&engine, &s), before);
}

/// `limit n offset m` skips `m` rows, then takes `n`, as SQL does — also when the query
/// runs over a list in Rust rather than in SQL (the shop's sorted search pages).
#[test]
fn limit_then_offset_pages_like_sql() {
    let path = awm_tests::root().join("dsl-spec/examples/shop.awm");
    let engine = match Engine::from_source(&awm_tests::read(&path)) {
        Ok(engine) => engine,
        Err(errors) => panic!("{errors:?}"),
    };
    let s = session(&engine);
    let ids = |args: Json| -> Vec<i64> {
        let result = call(&engine, &s, "search_products", args).unwrap_or_default();
        result["products"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["id"].as_i64())
            .collect()
    };
    let all = ids(json!({ "sort_by": "price_asc", "page_size": 50 }));
    assert!(all.len() > 6, "{all:?}");
    let page2 = ids(json!({ "sort_by": "price_asc", "page": 2, "page_size": 3 }));
    assert_eq!(page2, all[3..6]);
}

/// `limit n offset m` and `offset m limit n` both skip `m` then take `n`, whether the
/// clauses run in SQL (a table read) or over a list in Rust.
#[test]
fn limit_and_offset_mean_the_same_in_sql_and_over_lists() {
    let spec = r#"
env pages { clock: 2026-01-01T00:00:00Z }
table items { id: int primary }
seed items [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }, { id: 5 }, { id: 6 }]
tool in_sql(n: int, m: int) -> [items] "Read with SQL." {
  return items order by id limit n offset m
}
tool in_sql_offset_first(n: int, m: int) -> [items] "Read with SQL, offset first." {
  return items order by id offset m limit n
}
tool over_list(n: int, m: int) -> [items] "Over a list." {
  let all = items order by id
  return all limit n offset m
}
"#;
    let engine = Engine::from_source(spec).unwrap_or_else(|e| panic!("{e:?}"));
    let s = session(&engine);
    for tool in ["in_sql", "in_sql_offset_first", "over_list"] {
        let page = call(&engine, &s, tool, json!({ "n": 2, "m": 3 })).unwrap_or_default();
        let ids: Vec<i64> = page
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["id"].as_i64())
            .collect();
        assert_eq!(ids, [4, 5], "{tool}");
    }
}
