//! In-process engine and native benchmarks, each beside its physical floor (the same SQLite
//! work done directly with rusqlite, in the same run): an indexed read, a write, a filtered
//! search — through the engine and through the shop's generated native crate —, reset,
//! opening a session, and checking a spec with all its task proofs.

use criterion::{Criterion, criterion_group, criterion_main};
use rusqlite::{Connection, params};
use serde_json::json;

use awmc::engine::Engine;

fn shop() -> Engine {
    let text = include_str!("../../dsl-spec/examples/shop.awm");
    match Engine::from_source(text) {
        Ok(engine) => engine,
        Err(errors) => panic!("shop.awm does not check: {errors:?}"),
    }
}

/// A connection holding the shop's seed, for the floors.
fn raw(engine: &Engine) -> Connection {
    let mut conn = Connection::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
    let image = engine.image.bytes();
    conn.deserialize_read_exact(rusqlite::MAIN_DB, image, image.len(), false)
        .unwrap_or_else(|e| panic!("{e}"));
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )
    .unwrap_or_default();
    conn
}

fn calls(c: &mut Criterion) {
    let engine = shop();
    let session = engine.open_session().unwrap_or_else(|e| panic!("{e}"));
    let native = awm_env_shop::environment().unwrap_or_else(|e| panic!("{e}"));
    let native_session = awm_runtime::Session::open(native.image(), awm_runtime::Limits::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let conn = raw(&engine);
    let mut group = c.benchmark_group("call");

    let read = json!({ "product_id": 7 });
    group.bench_function("get_product (engine)", |b| {
        b.iter(|| engine.call_json(&session, "get_product", &read))
    });
    group.bench_function("get_product (native)", |b| {
        b.iter(|| native.call(&native_session, "get_product", &read))
    });
    group.bench_function("get_product (floor: rusqlite, row to JSON)", |b| {
        b.iter(|| {
            let mut statement = conn
                .prepare_cached("SELECT * FROM products WHERE id = ?1")
                .unwrap_or_else(|e| panic!("{e}"));
            statement
                .query_row([7], |row| {
                    let mut object = serde_json::Map::new();
                    for i in 0..row.as_ref().column_count() {
                        let name = row.as_ref().column_name(i).unwrap_or_default().to_string();
                        object.insert(
                            name,
                            awm_runtime::Value::from_sql(row.get_ref(i)?).to_json(),
                        );
                    }
                    Ok(serde_json::Value::Object(object))
                })
                .ok()
        })
    });

    let search =
        json!({ "category_id": 2, "max_price": 200, "sort_by": "price_asc", "page_size": 10 });
    group.bench_function("search_products (engine)", |b| {
        b.iter(|| engine.call_json(&session, "search_products", &search))
    });
    group.bench_function("search_products (native)", |b| {
        b.iter(|| native.call(&native_session, "search_products", &search))
    });

    let write = json!({ "product_id": 7, "quantity": 3 });
    group.bench_function("update_cart_item (engine, write)", |b| {
        b.iter(|| engine.call_json(&session, "update_cart_item", &write))
    });
    group.bench_function("update_cart_item (native, write)", |b| {
        b.iter(|| native.call(&native_session, "update_cart_item", &write))
    });
    group.bench_function("update in a transaction (floor)", |b| {
        b.iter(|| {
            conn.execute_batch("BEGIN").ok();
            conn.prepare_cached("UPDATE cart_items SET quantity = ?1 WHERE user_id = ?2 AND product_id = ?3 RETURNING *")
                .and_then(|mut s| s.query_row(params![3, 1, 7], |r| r.get::<_, i64>(0)))
                .ok();
            conn.execute_batch("COMMIT").ok();
        })
    });
    group.finish();
}

fn sessions(c: &mut Criterion) {
    let engine = shop();
    let mut group = c.benchmark_group("session");
    let mut session = engine.open_session().unwrap_or_else(|e| panic!("{e}"));
    let dirty = json!({ "product_id": 7, "quantity": 3 });
    group.bench_function("reset after a write (engine)", |b| {
        b.iter(|| {
            engine.call_json(&session, "update_cart_item", &dirty).ok();
            session.reset().ok();
        })
    });
    group.bench_function("write only (to subtract from the line above)", |b| {
        b.iter(|| engine.call_json(&session, "update_cart_item", &dirty).ok())
    });
    group.bench_function("open a session (deserialize the seed image)", |b| {
        b.iter(|| engine.open_session().ok())
    });
    group.finish();
}

fn check(c: &mut Criterion) {
    let mut group = c.benchmark_group("check_with_proofs");
    let awm_sized = include_str!("awm_sized.awm");
    group.bench_function("awm_sized (parse, check, prove 10 tasks)", |b| {
        b.iter(|| awmc::driver::analyze(awm_sized))
    });
    let shop = include_str!("../../dsl-spec/examples/shop.awm");
    group.bench_function("shop (parse, check, prove 18 tasks)", |b| {
        b.iter(|| awmc::driver::analyze(shop))
    });
    group.finish();
}

criterion_group!(benches, calls, sessions, check);
criterion_main!(benches);
