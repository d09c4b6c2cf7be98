//! Same input, same outcome: a call's budget counts work, never time, so the same calls
//! and verifiers on the same state give identical results, errors and verdicts on an idle
//! machine and on one whose every CPU is busy. The calls include ones that run out of
//! budget, and ones that take long enough that a wall-clock limit would stop them only
//! under load.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use awm_runtime::Limits;
use awm_runtime::exec::run::call_tool;
use awmc::engine::Engine;
use serde_json::{Value as Json, json};

const SPEC: &str = r#"
env work { clock: 2026-03-14T09:30:00Z }

table parents {
  id: int primary
  name: text
}

table kids {
  id: int primary auto
  parent_id: int -> parents.id
  label: text
  size: int
}

table tags {
  id: int primary auto
  word: text
}

tool grow(parent: int, count: int) -> int "Give a parent `count` more kids." {
  if (parents where id == parent).count() == 0 {
    insert parents { id: parent, name: "p{parent}" }
  }
  for i in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20] {
    if i <= count {
      insert kids { parent_id: parent, label: "k{i}", size: i * parent % 7 }
      insert tags { word: "w{i * parent}" }
    }
  }
  return (kids where parent_id == parent).count()
}

tool families() -> [{ name: text, kids: int, sizes: [int] }] "Every parent with its kids." {
  return parents order by id
    select { name: name, kids: (kids where parent_id == id).count(), sizes: (kids where parent_id == id order by size desc, id limit 5).size }
}

tool quadratic(most: int) -> int "Every kid against every kid: slow on purpose." {
  return (kids where size <= most select (tags where word != label).count()).sum()
}

tool loop_heavy(times: int) -> int "Work done by the body itself." {
  let all = kids order by id
  let total = 0
  for k in all {
    for j in all {
      require times >= 0 else "no"
    }
  }
  return all.count()
}

task grow_one "Give parent 1 three kids." {
  solution { grow(parent: 1, count: 3) }
  verify { expect (final.kids where parent_id == 1).count() == 3 }
}
"#;

/// The calls of one run and what each gave.
fn run(engine: &Engine) -> Vec<Json> {
    let mut session = engine.open_session().unwrap_or_else(|e| panic!("{e}"));
    let mut outcomes = Vec::new();
    let mut call = |session: &mut awm_runtime::Session, tool: &str, arguments: Json| {
        let result = call_tool(engine, session, tool, &arguments);
        let steps = session.steps_used();
        outcomes.push(match result {
            Ok(value) => json!({ "result": value, "steps": steps }),
            Err(error) => json!({ "error": error.kind, "message": error.message, "steps": steps }),
        })
    };
    for parent in 1..=30 {
        call(
            &mut session,
            "grow",
            json!({ "parent": parent, "count": 20 }),
        );
    }
    for _ in 0..3 {
        call(&mut session, "families", json!({}));
        for most in [0, 3, 6] {
            call(&mut session, "quadratic", json!({ "most": most }));
        }
        call(&mut session, "loop_heavy", json!({ "times": 1 }));
    }
    let task = engine.task_index("grow_one").unwrap_or_default();
    let verdict = engine.verify(&session, task, None);
    outcomes
        .push(json!({ "passed": verdict.passed, "evidence": format!("{:?}", verdict.evidence) }));
    outcomes
}

#[test]
fn outcomes_do_not_depend_on_the_machines_load() {
    let mut engine = Engine::from_source(SPEC).unwrap_or_else(|e| panic!("{e:?}"));
    // A budget the heavy calls exceed; the rest fit.
    engine.limits = Limits {
        call_budget: 500_000,
        ..Limits::default()
    };
    let idle = run(&engine);
    if std::env::var_os("AWMC_SHOW_STEPS").is_some() {
        for outcome in &idle {
            eprintln!(
                "{} {}",
                outcome["steps"],
                outcome.get("message").unwrap_or(&Json::Null)
            );
        }
    }
    let stopped = idle
        .iter()
        .filter(|o| o["message"].as_str().is_some_and(|m| m.contains("budget")))
        .count();
    assert!(
        stopped > 0,
        "no call ran out of budget: the test proves nothing"
    );
    assert!(stopped < idle.len() / 2, "most calls ran out of budget");
    // Load every CPU twice over.
    let busy = Arc::new(AtomicBool::new(true));
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let burners: Vec<_> = (0..2 * cores)
        .map(|_| {
            let busy = Arc::clone(&busy);
            std::thread::spawn(move || {
                let mut x: u64 = 1;
                while busy.load(Ordering::Relaxed) {
                    x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    std::hint::black_box(x);
                }
            })
        })
        .collect();
    let loaded: Vec<Vec<Json>> = (0..2).map(|_| run(&engine)).collect();
    busy.store(false, Ordering::Relaxed);
    for burner in burners {
        burner.join().ok();
    }
    for outcomes in &loaded {
        assert_eq!(outcomes.len(), idle.len());
        for (number, (a, b)) in idle.iter().zip(outcomes).enumerate() {
            assert_eq!(a, b, "call {number}: idle, then loaded");
        }
    }
}
