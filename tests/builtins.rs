//! One meaning per built-in: every operator and built-in function evaluated on random and
//! edge inputs (ties, overflow, infinities, i64 extremes, unicode, month ends, leap days)
//! both by a tool body, in Rust, and inside SQLite, on the same values read from a table
//! row, through the whole pipeline (checker, lowering, engine). The two must give the same
//! value, or fail with the same message.
//!
//! Each case is a spec with a table `cases` of the operands, a tool `put` that stores
//! them, a tool `rust(a, b, c)` that computes the expression on its parameters, and a tool
//! `sql(id)` that computes it in a query over the stored row.

use awm_runtime::Session;
use awm_runtime::exec::run::call_tool;
use awm_tests::XorShift;
use awmc::engine::Engine;
use serde_json::{Value as Json, json};

/// The operand types of a case, and the expression over `a`, `b`, `c`.
struct Case {
    types: &'static [&'static str],
    result: &'static str,
    expr: &'static str,
}

const fn case(types: &'static [&'static str], result: &'static str, expr: &'static str) -> Case {
    Case {
        types,
        result,
        expr,
    }
}

const CASES: &[Case] = &[
    // Arithmetic, all kinds.
    case(&["int", "int"], "int", "a + b"),
    case(&["int", "int"], "int", "a - b"),
    case(&["int", "int"], "int", "a * b"),
    case(&["int", "int"], "real", "a / b"),
    case(&["int", "int"], "int", "a % b"),
    case(&["int"], "int", "-a"),
    case(&["real", "real"], "real", "a + b"),
    case(&["real", "real"], "real", "a - b"),
    case(&["real", "real"], "real", "a * b"),
    case(&["real", "real"], "real", "a / b"),
    case(&["real", "int"], "real", "a * b"),
    case(&["real"], "real", "-a"),
    // Comparisons and logic.
    case(&["int", "real"], "bool", "a < b"),
    case(&["int", "real"], "bool", "a == b"),
    case(&["real", "int"], "bool", "a >= b"),
    case(&["text", "text"], "bool", "a < b"),
    case(&["text", "text"], "bool", "a == b"),
    case(&["text", "text"], "bool", "a != b"),
    case(&["bool", "bool"], "bool", "a == b"),
    case(&["bool", "bool"], "bool", "a and b"),
    case(&["bool", "bool"], "bool", "a or b"),
    case(&["bool"], "bool", "not a"),
    case(&["int", "int", "int"], "bool", "a between b and c"),
    case(&["real", "int", "real"], "bool", "a between b and c"),
    case(&["int", "int", "int"], "bool", "a in [b, c]"),
    case(&["text", "text", "text"], "bool", "a not in [b, c]"),
    case(&["datetime", "datetime"], "bool", "a < b"),
    // Text.
    case(&["text", "text"], "text", "a + b"),
    case(&["text", "text"], "bool", "a contains b"),
    case(&["text", "text"], "bool", "a starts_with b"),
    case(&["text", "text"], "bool", "a ends_with b"),
    case(&["text", "text"], "bool", "a mentions b"),
    case(&["text", "int"], "bool", "a mentions b"),
    case(&["text", "real"], "bool", "a mentions b"),
    case(&["text"], "text", "lower(a)"),
    case(&["text"], "text", "upper(a)"),
    case(&["text"], "text", "trim(a)"),
    case(&["text"], "int", "length(a)"),
    case(&["int"], "text", "text(a)"),
    case(&["real"], "text", "text(a)"),
    case(&["bool"], "text", "text(a)"),
    case(&["datetime"], "text", "text(a)"),
    case(&["real", "bool"], "text", "\"{a} and {b}\""),
    // Numbers.
    case(&["real", "int"], "real", "round(a, b)"),
    case(&["real"], "real", "round(a)"),
    case(&["real"], "int", "floor(a)"),
    case(&["real"], "int", "ceil(a)"),
    case(&["int"], "int", "abs(a)"),
    case(&["real"], "real", "abs(a)"),
    case(&["real", "real"], "bool", "round(a, 2) > b"),
    // Dates and times.
    case(&["datetime", "int"], "datetime", "a + days(b)"),
    case(&["datetime", "int"], "datetime", "a - hours(b)"),
    case(&["datetime", "int"], "datetime", "a + minutes(b)"),
    case(&["date", "int"], "date", "a + weeks(b)"),
    case(&["date", "int"], "date", "a - days(b)"),
    case(&["datetime", "int"], "datetime", "days(b) + a"),
    case(&["datetime", "datetime"], "int", "days_between(a, b)"),
    case(&["datetime", "datetime"], "int", "hours_between(a, b)"),
    case(&["datetime", "datetime"], "int", "minutes_between(a, b)"),
    case(&["datetime"], "date", "date(a)"),
    case(&["datetime"], "int", "year(a)"),
    case(&["datetime"], "int", "month(a)"),
    // Missing values.
    case(&["int?", "int?"], "bool", "a == b"),
    case(&["text?", "text"], "bool", "a != b"),
    case(&["real?", "int?"], "bool", "a == b"),
    case(&["int?", "int"], "int", "a ?? b"),
    case(&["text?", "text?"], "text?", "a ?? b"),
    case(&["real?"], "text", "text(a)"),
    case(&["bool?"], "text", "text(a)"),
    case(&["int?"], "text", "\"[{a}]\""),
    case(&["int?", "int?", "int"], "bool", "a in [b, c]"),
    case(&["text?", "text?", "text"], "bool", "a not in [b, c]"),
];

const INTS: &[i64] = &[
    0,
    1,
    -1,
    2,
    7,
    -7,
    100,
    i64::MAX,
    i64::MIN,
    i64::MAX - 1,
    i64::MIN + 1,
    4_294_967_296,
    9_007_199_254_740_993,
    -9_007_199_254_740_993,
];

const REALS: &[f64] = &[
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    -0.5,
    2.5,
    -2.5,
    2.675,
    1.005,
    0.125,
    0.285,
    9.995,
    0.1,
    0.30000000000000004,
    1e300,
    -1e300,
    1e-300,
    5e-324,
    1.7976931348623157e308,
    9_007_199_254_740_992.0,
    9.223_372_036_854_776e18,
    -9.223_372_036_854_776e18,
    123456.789,
];

const TEXTS: &[&str] = &[
    "",
    "a",
    "A",
    "Zebra",
    "zebra",
    "  padded\t",
    "ÉCOLE",
    "école",
    "straße",
    "İstanbul",
    "日本語",
    "emoji 🎉",
    "48,247 points",
    "costs $420.00",
    "Puzzle 1,000 pieces",
    "it's \"quoted\"",
    "null",
    "0",
    "12",
    "ab",
    "b",
];

const DATETIMES: &[&str] = &[
    "2026-03-14T09:30:00Z",
    "2024-02-29T23:59:59Z",
    "2024-03-01T00:00:00Z",
    "2023-12-31T23:59:59Z",
    "1970-01-01T00:00:00Z",
    "1969-12-31T12:00:00Z",
    "2026-01-31T10:00:00Z",
    "2100-02-28T00:00:00Z",
];

const DATES: &[&str] = &[
    "2026-03-14",
    "2024-02-29",
    "2024-02-28",
    "2023-12-31",
    "1970-01-01",
    "2026-01-31",
    "2000-02-29",
];

/// A random operand of a type: edge values first, then random ones; a missing one a
/// quarter of the time for an optional type.
fn operand(ty: &str, rng: &mut XorShift) -> Json {
    if let Some(required) = ty.strip_suffix('?') {
        return if rng.below(4) == 0 {
            Json::Null
        } else {
            operand(required, rng)
        };
    }
    let edge = rng.below(3) != 0;
    match ty {
        "int" if edge => json!(INTS[rng.below(INTS.len())]),
        "int" => json!((rng.next() as i64) >> rng.below(64)),
        "real" if edge => json!(REALS[rng.below(REALS.len())]),
        "real" => {
            let scale = [1.0, 100.0, 1e6, 1e-3][rng.below(4)];
            let value = (rng.next() % 2_000_001) as f64 / 1000.0 - 1000.0;
            json!(value * scale)
        }
        "text" => json!(TEXTS[rng.below(TEXTS.len())]),
        "bool" => json!(rng.below(2) == 0),
        "datetime" => json!(DATETIMES[rng.below(DATETIMES.len())]),
        "date" => json!(DATES[rng.below(DATES.len())]),
        other => panic!("no operands of type {other}"),
    }
}

/// The spec of one case.
fn spec(case: &Case) -> String {
    let names = ["a", "b", "c"];
    let columns: Vec<String> = case
        .types
        .iter()
        .zip(names)
        .map(|(ty, name)| format!("  {name}: {ty}"))
        .collect();
    let params: Vec<String> = case
        .types
        .iter()
        .zip(names)
        .map(|(ty, name)| format!("{name}: {ty}"))
        .collect();
    let fields: Vec<String> = names[..case.types.len()]
        .iter()
        .map(|name| format!("{name}: {name}"))
        .collect();
    format!(
        r#"env diff {{
  clock: 2026-03-14T09:30:00Z
}}
table cases {{
  id: int primary
{columns}
}}
tool put(id: int, {params}) -> cases "Store the operands." {{
  return insert cases {{ id: id, {fields} }}
}}
tool rust({params}) -> {result} "The expression on the parameters." {{
  return {expr}
}}
tool sql(id: int) -> [{result}] "The expression on the stored row." {{
  return cases where id == id select ({expr})
}}
task store "Store a case." {{
  solution {{ put(id: 1, {args}) }}
  verify {{ expect final.cases.count() == 1 }}
}}
"#,
        columns = columns.join("\n"),
        params = params.join(", "),
        fields = fields.join(", "),
        result = case.result,
        expr = case.expr,
        args = case
            .types
            .iter()
            .zip(names)
            .map(|(ty, name)| format!(
                "{name}: {}",
                match ty.trim_end_matches('?') {
                    "int" => "1",
                    "real" => "1.0",
                    "text" => "\"x\"",
                    "bool" => "true",
                    "datetime" => "2026-01-01T00:00:00Z",
                    _ => "2026-01-01",
                }
            ))
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// A call's result as the agent sees it: the JSON, or the error's kind and message.
fn outcome(result: Result<Json, awm_runtime::ToolError>) -> Json {
    match result {
        Ok(value) => value,
        Err(error) => json!({ "error": error.kind, "message": error.message }),
    }
}

#[test]
fn every_builtin_means_the_same_in_sql_and_in_rust() {
    let mut rng = XorShift(0x5eed_1234_abcd_0001);
    let mut compared = 0;
    let mut faults = 0;
    for case in CASES {
        let text = spec(case);
        let engine = Engine::from_source(&text)
            .unwrap_or_else(|errors| panic!("`{}` does not check: {errors:?}\n{text}", case.expr));
        let mut session: Session = engine.open_session().unwrap_or_else(|e| panic!("{e}"));
        for id in 0..150 {
            let mut arguments = serde_json::Map::new();
            for (ty, name) in case.types.iter().zip(["a", "b", "c"]) {
                arguments.insert(name.to_string(), operand(ty, &mut rng));
            }
            let operands = Json::Object(arguments.clone());
            arguments.insert("id".to_string(), json!(id));
            let stored = call_tool(&engine, &mut session, "put", &Json::Object(arguments));
            assert!(
                stored.is_ok(),
                "`{}`: storing {operands}: {stored:?}",
                case.expr
            );
            let rust = outcome(call_tool(&engine, &mut session, "rust", &operands));
            let sql = outcome(call_tool(
                &engine,
                &mut session,
                "sql",
                &json!({ "id": id }),
            ));
            // The query gives a list of the one stored row's value.
            let sql = match sql {
                Json::Array(mut items) if items.len() == 1 => items.remove(0),
                other => other,
            };
            assert_eq!(
                rust, sql,
                "`{}` on {operands}: in Rust, then in SQL",
                case.expr
            );
            if rust.get("error").is_some() {
                faults += 1;
            }
            compared += 1;
        }
    }
    assert!(compared >= 9_000, "only {compared} evaluations compared");
    // Overflow, division by zero and out-of-range results are among the cases.
    assert!(faults > 100, "only {faults} faults compared");
}
