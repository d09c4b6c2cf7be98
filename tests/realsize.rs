//! Queries at real size run entirely inside SQLite: a nested query over a table of more
//! than 10,000 rows gives the rows it matches (the row limit counts what a query returns,
//! never the rows it looks at), a verifier counts such a table, a query correlated with
//! its outer row uses the foreign key's index (its work follows the rows it matches, not
//! the table's size), and `round` has one meaning wherever it is evaluated.

use awm_runtime::Session;
use awm_runtime::exec::run::call_tool;
use awmc::engine::Engine;
use serde_json::{Value as Json, json};

/// Parents and kids: parent 1 has three kids, the others share `kids - 3`.
fn family(parents: usize, kids: usize) -> String {
    let parent_rows: Vec<String> = (1..=parents).map(|p| format!("{{ pid: {p} }}")).collect();
    let kid_rows: Vec<String> = (0..kids)
        .map(|k| {
            let parent = if k < 3 {
                1
            } else {
                2 + k % parents.saturating_sub(1).max(1)
            };
            format!("{{ parent: {}, v: \"x{k}\" }}", parent.min(parents))
        })
        .collect();
    format!(
        r#"env family {{ clock: 2026-01-01T00:00:00Z }}
table parents {{ pid: int primary }}
table kids {{
  kid: int primary auto
  parent: int -> parents.pid
  v: text
}}
seed parents [ {parents} ]
seed kids [ {kids} ]
tool nested() -> [{{ pid: int, vs: [text] }}] "Each parent with its kids' values." {{
  return parents order by pid select {{ pid: pid, vs: (kids where parent == pid order by kid).v }}
}}
tool counts() -> [{{ pid: int, n: int }}] "Each parent with its number of kids." {{
  return parents order by pid select {{ pid: pid, n: (kids where parent == pid).count() }}
}}
tool direct(p: int) -> [text] "One parent's kids' values." {{
  return (kids where parent == p order by kid).v
}}
tool touch(p: int) -> kids "Add a kid." {{
  return insert kids {{ parent: p, v: "c" }}
}}
task add_one "Add a kid to parent 1." {{
  solution {{ touch(p: 1) }}
  verify {{
    expect final.kids.count() == {total}
    expect (final.kids where parent == 1).count() == 4
  }}
}}
"#,
        parents = parent_rows.join(", "),
        kids = kid_rows.join(", "),
        total = kids + 1,
    )
}

fn load(spec: &str) -> (Engine, Session) {
    let engine = Engine::from_source(spec).unwrap_or_else(|e| panic!("{e:?}"));
    let session = engine.open_session().unwrap_or_else(|e| panic!("{e}"));
    (engine, session)
}

fn call(engine: &Engine, session: &mut Session, tool: &str, args: Json) -> Json {
    call_tool(engine, session, tool, &args).unwrap_or_else(|e| panic!("`{tool}`: {e}"))
}

#[test]
fn nested_queries_over_large_tables_give_their_rows() {
    let (engine, mut session) = load(&family(2, 10_001));
    let nested = call(&engine, &mut session, "nested", json!({}));
    assert_eq!(nested[0]["vs"], json!(["x0", "x1", "x2"]));
    assert_eq!(nested[1]["vs"].as_array().map(Vec::len), Some(9_998));
    let direct = call(&engine, &mut session, "direct", json!({ "p": 1 }));
    assert_eq!(direct, json!(["x0", "x1", "x2"]));
    // The verifier counts a table of 10,001 rows: the proof passes.
    let analysis = awmc::driver::analyze(&family(2, 10_001));
    assert!(
        analysis.is_accepted(),
        "{:?}",
        analysis
            .diagnostics
            .iter()
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
    );
}

/// A query correlated with its outer row is one indexed lookup per outer row: its work
/// grows with the rows it matches, not with the size of the table it looks in.
#[test]
fn correlated_queries_use_the_foreign_key_index() {
    let steps = |kids: usize| {
        let (engine, mut session) = load(&family(200, kids));
        let counts = call(&engine, &mut session, "counts", json!({}));
        let total: i64 = counts
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|row| row["n"].as_i64())
            .sum();
        assert_eq!(total, kids as i64);
        session.steps_used()
    };
    let (small, large) = (steps(1_000), steps(9_000));
    // Counting uses the index's entries: nine times the kids may cost up to nine times
    // the steps, but a scan of the whole table per parent would cost 200 times that.
    assert!(
        large < small * 12,
        "counting 9,000 kids took {large} steps, 1,000 took {small}: the work grows with the table"
    );
    assert!(large < 9_000 * 40, "{large} steps for 200 indexed counts");
}

#[test]
fn round_has_one_meaning_in_sql_and_in_rust() {
    let spec = r#"env t { clock: 2026-01-01T00:00:00Z }
table nums {
  nid: int primary
  x: real
}
table marks {
  mid: int primary auto
  n: int -> nums.nid
}
seed nums [ { nid: 1, x: 1.005 }, { nid: 2, x: 2.675 }, { nid: 3, x: 0.125 }, { nid: 4, x: 0.285 }, { nid: 5, x: -2.5 } ]
seed marks [ { n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }, { n: 5 } ]
tool sql_where() -> [{ nid: int, r: real }] "round inside a query's where and select" {
  return nums where round(x, 2) > x order by nid select { nid: nid, r: round(x, 2) }
}
tool correlated() -> [{ nid: int, up: int }] "round inside a correlated query" {
  return marks order by mid select { nid: n, up: (nums where nid == n and round(x, 2) > x).count() }
}
tool in_body(v: real) -> real "round of a parameter" {
  return round(v, 2)
}
"#;
    let (engine, mut session) = load(spec);
    let rounded = call(&engine, &mut session, "sql_where", json!({}));
    assert_eq!(
        rounded,
        json!([
            { "nid": 1, "r": 1.01 },
            { "nid": 2, "r": 2.68 },
            { "nid": 3, "r": 0.13 },
            { "nid": 4, "r": 0.29 }
        ]),
        "half away from zero, as written"
    );
    let correlated = call(&engine, &mut session, "correlated", json!({}));
    let ups: Vec<i64> = correlated
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|row| row["up"].as_i64())
        .collect();
    assert_eq!(ups, [1, 1, 1, 1, 0]);
    for (value, expected) in [(2.675, 2.68), (1.005, 1.01), (-2.5, -2.5), (0.125, 0.13)] {
        let body = call(&engine, &mut session, "in_body", json!({ "v": value }));
        assert_eq!(body, json!(expected), "round({value}, 2) in a body");
    }
}
