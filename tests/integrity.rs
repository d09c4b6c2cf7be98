//! Sessions that cannot be lost: a call that fails for any reason (its budget, a
//! constraint, a `require`, the session's size limit, SQLite rolling back the whole
//! transaction under it) undoes that call alone; every earlier call stays, `reset` keeps
//! working, and the verifier judges the right state.

use awm_runtime::error::ErrorKind;
use awm_runtime::exec::run::call_tool;
use awm_runtime::{Limits, Session, ToolError};
use awmc::engine::Engine;
use serde_json::{Value as Json, json};

const NOTES: &str = r#"
env notes { clock: 2026-03-14T09:30:00Z }

table notes {
  id: int primary auto
  body: text
  n: int = 0
}

table tags {
  id: int primary auto
  note_id: int -> notes.id
  tag: text
  unique (note_id, tag)
}

seed notes [ { body: "seed" } ]

tool add(body: text) -> notes "Add a note." {
  return insert notes { body: body }
}

tool add_many(count: int, body: text) -> int "Add `count` notes." {
  for i in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] {
    if i <= count {
      insert notes { body: body }
    }
  }
  return notes.count()
}

tool bump(id: int) -> notes "Bump one note." {
  let note = notes(id) else "No note {id}"
  return update note set { n: n + 1 }
}

tool bump_all() -> int "Bump every note." {
  return update notes where id > 0 set { n: n + 1 }
}

tool tag(note_id: int, tag: text) -> tags "Tag a note, once per tag." {
  return upsert tags { note_id: note_id, tag: tag } on (note_id, tag)
}

tool forget(id: int) -> int "Delete a note and its tags." {
  delete tags where note_id == id
  return delete notes where id == id
}

table words {
  id: int primary auto
  word: text
}

tool add_words(word: text) -> int "Add ten words." {
  for i in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] {
    insert words { word: word }
  }
  return words.count()
}

tool crawl() -> int "Expensive on purpose: every note against every word." {
  return (notes select (words where word != body).count()).sum()
}

tool count() -> int "How many notes." {
  return notes.count()
}

task bump_first "Bump the first note." {
  solution { bump(id: 1) }
  verify {
    expect final.notes(1).n == 1
    expect final == initial except [final.notes where id == 1]
  }
}
"#;

fn engine(limits: Limits) -> Engine {
    let mut engine = Engine::from_source(NOTES).unwrap_or_else(|e| panic!("{e:?}"));
    engine.limits = limits;
    engine
}

fn call(engine: &Engine, session: &mut Session, tool: &str, args: Json) -> Result<Json, ToolError> {
    call_tool(engine, session, tool, &args)
}

fn state(engine: &Engine, session: &Session) -> String {
    format!("{:?}", session.dump(&engine.ir.schema).unwrap_or_default())
}

/// Earlier calls the session must keep: a note, a tag, a bump.
fn history(engine: &Engine, session: &mut Session) {
    for (tool, args) in [
        ("add", json!({ "body": "kept" })),
        ("tag", json!({ "note_id": 2, "tag": "red" })),
        ("bump", json!({ "id": 1 })),
    ] {
        let result = call(engine, session, tool, args);
        assert!(result.is_ok(), "{tool}: {result:?}");
    }
}

/// Every kind of write, each stopped by SQLite rolling back the whole transaction from
/// inside the write statement (what an interrupt does to a write): the call fails, the
/// session's earlier calls are restored exactly, and it keeps working.
#[test]
fn a_write_rolled_back_by_sqlite_loses_nothing_earlier() {
    let engine = engine(Limits::default());
    // Whether SQLite can be stopped inside the write: a write that returns its row keeps
    // running after the row is written; one that only writes by rowid ends right there,
    // and SQLite clears an interrupt that comes too late for a statement when the next
    // one starts (so such calls simply succeed).
    let writes: &[(&str, Json, bool)] = &[
        ("add", json!({ "body": "lost" }), true),
        ("add_many", json!({ "count": 5, "body": "lost" }), true),
        ("bump", json!({ "id": 2 }), true),
        ("bump_all", json!({}), false),
        ("tag", json!({ "note_id": 1, "tag": "blue" }), true),
        // The tag exists and the upsert has nothing to change: it writes nothing.
        ("tag", json!({ "note_id": 2, "tag": "red" }), false),
        ("forget", json!({ "id": 2 }), false),
    ];
    for (tool, args, stoppable) in writes {
        let mut restored = 0;
        for nth in 1..=3 {
            let mut session = engine.open_session().unwrap_or_else(|e| panic!("{e}"));
            history(&engine, &mut session);
            let before = state(&engine, &session);
            session.interrupt_at_write(nth);
            let result = call(&engine, &mut session, tool, args.clone());
            session.interrupt_at_write(0);
            if result.is_ok() {
                // This call writes fewer rows than `nth`: nothing was stopped.
                continue;
            }
            assert!(!session.is_lost(), "{tool}: the session was not restored");
            restored += 1;
            assert_eq!(
                state(&engine, &session),
                before,
                "{tool} (stopped at row {nth}): earlier calls were lost"
            );
            // The session keeps working, and the restored calls are still undoable.
            let again = call(&engine, &mut session, tool, args.clone());
            assert!(
                again.is_ok()
                    || !matches!(
                        again,
                        Err(ToolError {
                            kind: ErrorKind::Internal,
                            ..
                        })
                    ),
                "{tool} again: {again:?}"
            );
            session
                .reset()
                .unwrap_or_else(|e| panic!("{tool}: reset: {e}"));
            let fresh = engine.open_session().unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                state(&engine, &session),
                state(&engine, &fresh),
                "{tool}: reset"
            );
        }
        assert!(
            restored > 0 || !stoppable,
            "{tool}: no write was stopped, the test proves nothing"
        );
    }
}

/// A call that runs out of budget halfway through its writes fails as a whole; the
/// earlier calls stay and the verifier judges the right state.
#[test]
fn a_call_out_of_budget_undoes_itself_alone() {
    // `bump_all` writes 300 rows at some twenty steps each: it runs out of budget after it has
    // written some of them; `crawl` runs out while it reads.
    let limits = Limits {
        call_budget: 5_000,
        ..Limits::default()
    };
    let engine = engine(limits);
    let mut session = engine.open_session().unwrap_or_else(|e| panic!("{e}"));
    history(&engine, &mut session);
    for _ in 0..30 {
        let added = call(
            &engine,
            &mut session,
            "add_many",
            json!({ "count": 10, "body": "x" }),
        );
        assert!(added.is_ok(), "{added:?}");
        let added = call(&engine, &mut session, "add_words", json!({ "word": "y" }));
        assert!(added.is_ok(), "{added:?}");
    }
    let before = state(&engine, &session);
    for tool in ["crawl", "bump_all"] {
        let result = call(&engine, &mut session, tool, json!({}));
        eprintln!("{tool}: {} steps", session.steps_used());
        match result {
            Err(ToolError {
                kind: ErrorKind::Limit,
                message,
            }) => assert!(
                message.contains("budget of 5000 steps"),
                "{tool}: {message}"
            ),
            other => panic!("`{tool}` should run out of budget: {other:?}"),
        }
        assert_eq!(
            state(&engine, &session),
            before,
            "a stopped `{tool}` changed the state"
        );
        assert!(!session.is_lost());
    }
    // The bump of note 1 is still there for the verifier.
    let task = engine.task_index("bump_first").unwrap_or_default();
    let verdict = engine.verify(&session, task, None);
    assert!(
        !verdict.passed,
        "other notes were added, so the task is not done cleanly"
    );
    assert!(
        verdict.evidence[0].held,
        "the earlier bump was lost: {:?}",
        verdict.evidence
    );
    session.reset().unwrap_or_else(|e| panic!("{e}"));
    let bumped = call(&engine, &mut session, "bump", json!({ "id": 1 }));
    assert!(bumped.is_ok());
    assert!(engine.verify(&session, task, None).passed);
}

/// The session's size limit: a write that would pass it fails with a `limit` error, the
/// session keeps everything before it and keeps working.
#[test]
fn a_session_cannot_grow_past_its_size_limit() {
    let limits = Limits {
        max_session_bytes: 2 << 20,
        ..Limits::default()
    };
    let engine = engine(limits);
    let mut session = engine.open_session().unwrap_or_else(|e| panic!("{e}"));
    history(&engine, &mut session);
    let body = "x".repeat(60_000);
    let mut added = 0;
    let error = loop {
        match call(&engine, &mut session, "add", json!({ "body": body })) {
            Ok(_) => added += 1,
            Err(error) => break error,
        }
        assert!(added < 1_000, "the session grew without bound");
    };
    assert_eq!(error.kind, ErrorKind::Limit, "{error:?}");
    assert!(
        error.message.contains("limit of 2097152 bytes"),
        "{}",
        error.message
    );
    assert!(added > 10, "only {added} notes fit");
    let count = call(&engine, &mut session, "count", json!({}));
    assert_eq!(
        count.ok(),
        Some(json!(2 + added)),
        "the notes before the limit were lost"
    );
    // Small writes still fit.
    assert!(call(&engine, &mut session, "bump", json!({ "id": 1 })).is_ok());
    session.reset().unwrap_or_else(|e| panic!("{e}"));
    assert!(call(&engine, &mut session, "add", json!({ "body": body })).is_ok());
}
