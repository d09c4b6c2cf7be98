//! The differential test of native lowering: each example's committed native crate and
//! the in-process engine must declare the same environment, and give identical results,
//! identical errors, identical verdicts and identical databases for every task solution
//! and for random call sequences (valid and hostile arguments).

use std::sync::{Arc, OnceLock};

use awm_runtime::{Environment, Limits, Session, ToolError};
use awm_tests::root;
use awmc::engine::Engine;
use proptest::prelude::*;

type Constructor = fn() -> Result<Arc<dyn Environment>, ToolError>;

/// Every example, and the hostile spec, with its native crate.
const NATIVE: [(&str, &str, Constructor); 8] = [
    ("shop", "dsl-spec/examples", awm_env_shop::environment),
    ("retail", "dsl-spec/examples", awm_env_retail::environment),
    ("airline", "dsl-spec/examples", awm_env_airline::environment),
    ("library", "dsl-spec/examples", awm_env_library::environment),
    (
        "helpdesk",
        "dsl-spec/examples",
        awm_env_helpdesk::environment,
    ),
    ("clinic", "dsl-spec/examples", awm_env_clinic::environment),
    ("bank", "dsl-spec/examples", awm_env_bank::environment),
    (
        "hostile",
        "tests/specs/native",
        awm_env_hostile::environment,
    ),
];

struct Pair {
    name: &'static str,
    engine: Engine,
    native: Arc<dyn Environment>,
}

/// The examples' pairs, loaded (checked, proved and built) once for all tests.
fn pair(index: usize) -> &'static Pair {
    static PAIRS: OnceLock<Vec<Pair>> = OnceLock::new();
    &PAIRS.get_or_init(|| (0..NATIVE.len()).map(load).collect())[index]
}

fn load(index: usize) -> Pair {
    let (name, folder, constructor) = NATIVE[index];
    let path = root().join(format!("{folder}/{name}.awm"));
    // With its data files, read beside the spec.
    let engine = match awm_tests::engine(&path) {
        Ok(engine) => engine,
        Err(errors) => panic!("{name}: {errors:?}"),
    };
    let native = match constructor() {
        Ok(native) => native,
        Err(error) => panic!("{name}: the native environment fails to load: {error}"),
    };
    Pair {
        name,
        engine,
        native,
    }
}

fn session(env: &dyn Environment) -> Session {
    match Session::open(env.image(), Limits::default()) {
        Ok(session) => session,
        Err(error) => panic!("{}: {error}", env.name()),
    }
}

/// The whole state of a session, as text.
fn dump(env: &dyn Environment, session: &Session) -> String {
    format!("{:?}", session.dump(env.schema()))
}

/// Both backends' outcome of one call: the JSON result or the error.
fn call_both(
    pair: &Pair,
    engine: &Session,
    native: &Session,
    tool: &str,
    arguments: &serde_json::Value,
) -> (String, String) {
    let a = pair.engine.call_json(engine, tool, arguments);
    let b = pair.native.call(native, tool, arguments);
    (format!("{a:?}"), format!("{b:?}"))
}

#[test]
fn native_crates_declare_what_the_engine_does() {
    for example in awm_tests::specs_in("dsl-spec/examples") {
        let stem = example.file_stem().and_then(|s| s.to_str());
        assert!(
            NATIVE.iter().any(|(name, ..)| Some(*name) == stem),
            "{} has no native crate in generated/",
            example.display()
        );
    }
    for index in 0..NATIVE.len() {
        let Pair {
            name,
            engine,
            native,
        } = pair(index);
        assert_eq!(native.name(), engine.ir.name, "{name}");
        assert_eq!(native.title(), engine.ir.title.as_deref(), "{name}");
        assert_eq!(native.description(), engine.ir.description.as_deref());
        assert_eq!(
            native.spec_hash(),
            engine.ir.spec_hash,
            "{name}: stale crate"
        );
        assert_eq!(native.schema(), &engine.ir.schema, "{name}");
        assert_eq!(
            native.image().hash(),
            engine.image.hash(),
            "{name}: seed image"
        );
        let tools: Vec<_> = engine.ir.tools.iter().map(|t| &t.spec).collect();
        assert_eq!(native.tools(), tools, "{name}: tool specs");
        assert_eq!(
            native.tasks(),
            awm_runtime::Environment::tasks(engine),
            "{name}"
        );
    }
}

#[test]
fn every_task_solution_gives_identical_results_verdicts_and_databases() {
    let mut steps = 0;
    for index in 0..NATIVE.len() {
        let pair = pair(index);
        for (task_index, task) in pair.engine.ir.tasks.iter().enumerate() {
            let (engine, native) = (session(&pair.engine), session(&*pair.native));
            let answer = task.answer.as_deref();
            let before = (
                pair.engine.verify(&engine, task_index, answer),
                pair.native.verify(&native, &task.name, answer),
            );
            assert_eq!(
                Some(before.0),
                before.1,
                "{}/{}: verdict on the seed",
                pair.name,
                task.name
            );
            for (step, call) in task.solution.iter().enumerate() {
                let arguments = pair.engine.solution_arguments(&engine, task_index, step);
                let tool = &pair.engine.ir.tools[call.tool].spec.name;
                let (a, b) = call_both(pair, &engine, &native, tool, &arguments);
                assert_eq!(a, b, "{}/{} step {step} `{tool}`", pair.name, task.name);
                steps += 1;
            }
            assert_eq!(
                dump(&pair.engine, &engine),
                dump(&*pair.native, &native),
                "{}/{}: final databases differ",
                pair.name,
                task.name
            );
            let after = (
                pair.engine.verify(&engine, task_index, answer),
                pair.native.verify(&native, &task.name, answer),
            );
            assert!(after.0.passed, "{}/{}", pair.name, task.name);
            assert_eq!(
                Some(after.0),
                after.1,
                "{}/{}: verdict",
                pair.name,
                task.name
            );
        }
    }
    assert!(steps > 100, "only {steps} solution steps were compared");
}

/// Arguments exercising each parameter on its own: the required ones, plus one optional
/// parameter at a time given 30 different values (every enum member, bounds, hostile
/// text, null, the wrong type); then 60 random mixes.
fn argument_sets(tool: &awm_runtime::args::ToolSpec) -> Vec<serde_json::Value> {
    let mut sets = Vec::new();
    for index in 0..tool.params.len() {
        for pick in 0..30u64 {
            let mut args = serde_json::Map::new();
            for (other, p) in tool.params.iter().enumerate() {
                if other == index || p.is_required() {
                    let value = awm_tests::argument(
                        &p.kind,
                        if other == index { pick } else { 11 * pick + 3 },
                    );
                    let value = if p.list {
                        serde_json::json!([value])
                    } else {
                        value
                    };
                    args.insert(p.name.clone(), value);
                }
            }
            sets.push(serde_json::Value::Object(args));
        }
    }
    for pick in 0..60u64 {
        sets.push(awm_tests::arguments(
            tool,
            pick.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ pick,
        ));
    }
    sets
}

/// Every tool of every example, called with [`argument_sets`] in one session pair:
/// identical results and errors, identical databases after each tool.
#[test]
fn every_tool_with_many_arguments_behaves_identically() {
    let mut calls = 0;
    for index in 0..NATIVE.len() {
        let pair = pair(index);
        let (engine, native) = (session(&pair.engine), session(&*pair.native));
        for tool in &pair.engine.ir.tools {
            for arguments in argument_sets(&tool.spec) {
                let (a, b) = call_both(pair, &engine, &native, &tool.spec.name, &arguments);
                assert_eq!(a, b, "{} `{}` {arguments}", pair.name, tool.spec.name);
                calls += 1;
            }
            assert_eq!(
                dump(&pair.engine, &engine),
                dump(&*pair.native, &native),
                "{}: databases differ after `{}`",
                pair.name,
                tool.spec.name
            );
        }
    }
    assert!(calls > 5_000, "only {calls} calls were compared");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// Random call sequences: each call's result or error, and the database after it, are
    /// the same in both backends; every task's verdict at the end too.
    #[test]
    fn random_call_sequences_behave_identically(
        example in 0..NATIVE.len(),
        steps in proptest::collection::vec(any::<(u64, u64)>(), 1..40),
    ) {
        let pair = pair(example);
        let (engine, native) = (session(&pair.engine), session(&*pair.native));
        for (tool_pick, arg_pick) in steps {
            let tools = &pair.engine.ir.tools;
            let tool = &tools[(tool_pick % tools.len() as u64) as usize].spec;
            let arguments = awm_tests::arguments(tool, arg_pick);
            let (a, b) = call_both(pair, &engine, &native, &tool.name, &arguments);
            prop_assert_eq!(&a, &b, "{} `{}` {}", pair.name, tool.name, arguments);
            prop_assert_eq!(
                dump(&pair.engine, &engine),
                dump(&*pair.native, &native),
                "{}: databases differ after `{}` {}", pair.name, tool.name, arguments
            );
        }
        for (index, task) in pair.engine.ir.tasks.iter().enumerate() {
            let a = pair.engine.verify(&engine, index, Some("42"));
            let b = pair.native.verify(&native, &task.name, Some("42"));
            prop_assert_eq!(Some(a), b, "{}/{}", pair.name, task.name);
        }
    }
}

/// The committed crate of each example is exactly what the compiler emits now, file for
/// file (`awmc build --no-build dsl-spec/examples tests/specs/native` rewrites them; CI
/// also runs `awmc build --check`).
#[test]
fn committed_crates_are_what_awmc_emits() {
    for (name, folder, _) in NATIVE {
        let spec = root().join(format!("{folder}/{name}.awm"));
        let engine = awm_tests::engine(&spec).unwrap_or_else(|e| panic!("{e:?}"));
        let generated = awmc::backend::generate(&engine.ir, &awmc::backend::Manifest::Workspace);
        assert_eq!(generated.files.len(), 6, "{name}");
        for (file, emitted) in generated.files {
            let path = root().join("generated").join(name).join(file);
            assert!(
                std::fs::read(&path).ok() == Some(emitted),
                "{} is stale: run `awmc build --no-build dsl-spec/examples tests/specs/native`",
                path.display()
            );
        }
    }
}

/// The hostile spec's strings come back from the native crate exactly as written in the
/// spec (independently of the engine): descriptions, prompts, stored rows and messages.
#[test]
fn hostile_strings_round_trip_exactly() {
    let pair = pair(NATIVE.len() - 1);
    let native = &pair.native;
    assert_eq!(
        native.title(),
        Some("Hostile \"# strings */ } { \\ \n and \t é中文🦀")
    );
    assert_eq!(
        native.description(),
        Some("\"); std::process::exit(1); // r#\"raw\"# /* open comment")
    );
    let tools = native.tools();
    let store = tools
        .iter()
        .find(|t| t.name == "impl")
        .unwrap_or_else(|| panic!("no `impl`"));
    assert_eq!(store.description, "Stores `fn` \"verbatim\" */ }");
    assert_eq!(
        store.params[0].description.as_deref(),
        Some("\"# */ the text to store")
    );
    assert_eq!(
        native.tasks()[0].prompt,
        "Store \"\"); std::process::exit(1); //\" — with the quotes — then stop. é中文🦀"
    );
    let session = session(&**native);
    let call = |tool: &str, args: serde_json::Value| native.call(&session, tool, &args);
    for (id, text) in [
        (1, "\"); std::process::exit(1); //"),
        (2, "*/ } { \\ \\\" \n\t"),
        (3, "é中文🦀 r#\"x\"# '\\'' \r"),
    ] {
        let framed = call("self", serde_json::json!({ "id": id }));
        assert_eq!(
            framed,
            Ok(serde_json::json!(format!("<\"{text}\"#> {{braces}} \\ \n")))
        );
    }
    let refused = call(
        "impl",
        serde_json::json!({ "fn": "\"); std::process::exit(1); //" }),
    );
    assert_eq!(
        refused.map_err(|e| e.message),
        Err("refused: \"\"); std::process::exit(1); //\" */ { } \\".to_string())
    );
    let stored = "\u{0}\"#}*/\\ fn main() {}";
    let row = call(
        "impl",
        serde_json::json!({ "fn": stored, "match": "self_" }),
    );
    assert_eq!(row.map(|r| r["fn"].clone()), Ok(serde_json::json!(stored)));
}

/// What cannot be a name never reaches generated code: the checker rejects it.
#[test]
fn hostile_names_are_rejected_by_the_checker() {
    let base = "env e { clock: 2026-01-01T00:00:00Z }\ntable t { id: int primary }\n";
    for (snippet, code) in [
        ("tool r#struct() -> int \"x\" { return 1 }", "E0101"),
        ("tool café() -> int \"x\" { return 1 }", "E0101"),
        ("tool a\"b() -> int \"x\" { return 1 }", "E0101"),
        ("tool x() -> text \"\\u{0}\" { return \"\" }", "E0104"),
        ("table \"); exit(1); // { id: int primary }", "E0101"),
        ("tool x() -> int \"d\" { return 1 } } fn main() {", "E0101"),
    ] {
        let analysis = awmc::driver::analyze(&format!("{base}{snippet}\n"));
        assert!(!analysis.is_accepted(), "accepted: {snippet}");
        let codes = awm_tests::codes(&analysis);
        assert!(codes.contains(code), "{snippet}: {codes:?}");
    }
}

/// The code generated for a small spec (the spec, then the generated `args.rs` and
/// `env.rs`): a readable record of what each construct lowers to.
#[test]
fn generated_code_of_a_small_spec() {
    let source = r#"env tiny {
  user: users(1)
  clock: 2026-01-01T00:00:00Z
}

enum state { open, closed }

table users { id: int primary  name: text }
table notes {
  id: int primary auto
  owner_id: int -> users.id
  text: text
  state: state = open
}

seed users [{ id: 1, name: "Ada" }]
seed notes [{ owner_id: 1, text: "first" }]

tool add_note(text: text check(length(text) > 0) "The note") -> notes "Adds a note." {
  return insert notes { owner_id: me.id, text: text }
}

tool close_notes(containing: text?) -> int "Closes my open notes, or those containing a text." {
  require (notes where owner_id == me.id).count() > 0 else "{me.name} has no notes"
  return update notes where owner_id == me.id and state == open
    and text contains containing if containing set { state: closed }
}

task close_all "Close every note." {
  solution { close_notes() }
  verify {
    expect (final.notes where state == open).count() == 0
    expect final == initial except [notes]
  }
}
"#;
    let engine = Engine::from_source(source).unwrap_or_else(|e| panic!("{e:?}"));
    let sources = awmc::backend::rust::sources(&engine.ir);
    let file = |name: &str| {
        sources
            .iter()
            .find(|(file, _)| *file == name)
            .map(|(_, text)| text.as_str())
            .unwrap_or_default()
    };
    insta::assert_snapshot!(
        "generated_code_of_a_small_spec",
        format!(
            "{source}\n----- src/args.rs -----\n{}\n----- src/env.rs -----\n{}",
            file("src/args.rs"),
            file("src/env.rs")
        )
    );
}
