//! Sessions: isolated from each other, reset exactly to the seed, deterministic seed images;
//! and, as a property, random call sequences on every example never panic, never break a
//! declared constraint, and a failed call never changes the state.

use awm_tests::specs_in;
use awmc::engine::Engine;
use proptest::prelude::*;

/// Every example, checked and loaded with its data files once for all tests (the retail
/// example's 27,685 rows take a while to prove).
fn examples() -> &'static [(String, Engine)] {
    static EXAMPLES: std::sync::OnceLock<Vec<(String, Engine)>> = std::sync::OnceLock::new();
    EXAMPLES.get_or_init(|| {
        specs_in("dsl-spec/examples")
            .iter()
            .map(|path| {
                let engine =
                    awm_tests::engine(path).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
                (path.display().to_string(), engine)
            })
            .collect()
    })
}

fn dump(engine: &Engine, session: &awm_runtime::Session) -> String {
    match session.dump(&engine.ir.schema) {
        Ok(dump) => format!("{dump:?}"),
        Err(error) => panic!("the session cannot be read: {error}"),
    }
}

#[test]
fn sessions_are_isolated_and_reset_restores_the_seed_exactly() {
    for (name, engine) in examples() {
        let (Ok(mut a), Ok(b)) = (engine.open_session(), engine.open_session()) else {
            panic!("{name}: no session")
        };
        let seed = dump(engine, &a);
        // Run every task's solution in session a.
        for (index, task) in engine.ir.tasks.iter().enumerate() {
            for step in 0..task.solution.len() {
                let args = engine.solution_arguments(&a, index, step);
                let _ = engine.call(&a, task.solution[step].tool, &args);
            }
        }
        assert_ne!(
            dump(engine, &a),
            seed,
            "{name}: the solutions changed nothing"
        );
        assert_eq!(
            dump(engine, &b),
            seed,
            "{name}: writes in one session are visible in another"
        );
        a.reset().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            dump(engine, &a),
            seed,
            "{name}: reset did not restore the seed"
        );
    }
}

#[test]
fn seed_images_depend_on_the_spec_alone() {
    for path in specs_in("dsl-spec/examples") {
        let (Ok(one), Ok(two)) = (awm_tests::engine(&path), awm_tests::engine(&path)) else {
            panic!()
        };
        assert_eq!(one.image.bytes(), two.image.bytes(), "{}", path.display());
        assert_eq!(one.image.hash(), two.image.hash());
        assert_eq!(one.ir.spec_hash, two.ir.spec_hash);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    #[test]
    fn random_call_sequences_keep_every_constraint(seed in any::<u64>(), steps in proptest::collection::vec(any::<(u64, u64)>(), 1..40)) {
        let engines = examples();
        let (_, engine) = &engines[(seed % engines.len() as u64) as usize];
        let session = engine.open_session().map_err(|e| TestCaseError::fail(e.message))?;
        for (tool_pick, arg_pick) in steps {
            let tool = &engine.ir.tools[(tool_pick % engine.ir.tools.len() as u64) as usize];
            let args = awm_tests::arguments(&tool.spec, arg_pick);
            let before = dump(engine, &session);
            let result = engine.call_json(&session, &tool.spec.name, &args);
            if result.is_err() {
                prop_assert_eq!(&dump(engine, &session), &before, "a failed `{}` changed the state", tool.spec.name);
            }
            let conn = session.connection();
            let violations: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap_or(-1);
            prop_assert_eq!(violations, 0, "foreign keys broken after `{}`", tool.spec.name);
            let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap_or_default();
            prop_assert_eq!(integrity, "ok");
        }
    }
}
