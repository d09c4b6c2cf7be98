//! The checker's symbol index (what the language server's definition, references and
//! rename read): exact occurrences on a small spec, names matching their symbols in every
//! example, lookups by offset, renames that keep every corpus spec valid, and broken specs
//! that still index what resolved.

use std::collections::{BTreeMap, HashSet};

use awm_tests::{read, specs_in};
use awmc::check::resolution::NameRes;
use awmc::check::symbols::{Occurrence, Symbol};
use awmc::driver::Analysis;
use awmc::span::{LineIndex, Span};

const MINI: &str = r#"env helpdesk {
  user: users(1)
  clock: 2026-01-01T00:00:00Z
}

enum state { open, closed }

table users {
  id: int primary
  name: text
}

table tickets {
  id: int primary auto
  owner_id: int -> users.id
  title: text check(length(title) > 0)
  status: state = open
}

seed users [ { id: 1, name: "Ann" } ]
seed tickets [ { owner_id: 1, title: "Printer", status: closed } ]

// Opens a ticket; a title is never empty.
tool open_ticket(title: text "The subject") -> tickets "Open a ticket." {
  let mine = tickets where owner_id == me.id and status == open
  require mine.count() < 5 else "Too many open tickets to add {title}"
  return insert tickets { owner_id: me.id, title: title }
}

tool close_ticket(ticket_id: int) -> tickets "Close one of your tickets." {
  let t = tickets(ticket_id) where owner_id == me.id else "No ticket {ticket_id}"
  return update t set { status: closed }
}

task file_ticket "Open a ticket titled Scanner." {
  solution {
    open_ticket(title: "Scanner")
  }
  verify {
    let added = (final.tickets where title == "Scanner").one()
    expect added.status == open and added.owner_id == 1
    expect final == initial except [tickets]
  }
}
"#;

/// Analyses a spec named by its path (its data files are read beside it; names that are
/// not paths have none).
fn analyze_at(name: &str, source: &str) -> Analysis {
    awm_tests::analyze(std::path::Path::new(name), source)
}

fn analyze_clean(name: &str, source: &str) -> Analysis {
    let analysis = analyze_at(name, source);
    let errors: Vec<String> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {}", d.code.code(), d.message))
        .collect();
    assert!(errors.is_empty(), "{name} has errors: {errors:#?}");
    analysis
}

fn text(source: &str, span: Span) -> &str {
    source.get(span.range()).unwrap_or("<out of bounds>")
}

/// The occurrences of `symbol` in source order, as (line, text, is declaration).
fn shown(analysis: &Analysis, source: &str, symbol: Symbol) -> Vec<(usize, String, bool)> {
    let lines = LineIndex::new(source);
    let mut found: Vec<&Occurrence> = analysis.checked.resolutions.occurrences(symbol).collect();
    found.sort_by_key(|o| o.span);
    found
        .iter()
        .map(|o| {
            let (line, _) = lines.line_column(source, o.span.start as usize);
            (line, text(source, o.span).to_string(), o.declaration)
        })
        .collect()
}

fn lines_of(occurrences: &[(usize, String, bool)]) -> Vec<(usize, bool)> {
    occurrences.iter().map(|(l, _, d)| (*l, *d)).collect()
}

/// The symbol declared by the identifier starting at the `nth` (0-based) match of `needle`.
fn declared_at(analysis: &Analysis, source: &str, needle: &str, nth: usize) -> Symbol {
    let offset = source
        .match_indices(needle)
        .nth(nth)
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("no {nth}th `{needle}`"));
    let occurrence = analysis
        .checked
        .resolutions
        .symbol_at(offset)
        .unwrap_or_else(|| panic!("nothing at `{needle}`"));
    assert!(occurrence.declaration, "`{needle}` is not a declaration");
    occurrence.symbol
}

#[test]
fn a_small_spec_has_exactly_the_expected_occurrences() {
    let analysis = analyze_clean("mini", MINI);
    let model = &analysis.checked.model;
    let resolutions = &analysis.checked.resolutions;
    let tickets = Symbol::Table(table_id(model, "tickets"));

    // The table: its declaration, the seed block, the tool result types, the query, the
    // insert target, the lookup, the verifier's `final.tickets` and the `except` list.
    let table = shown(&analysis, MINI, tickets);
    assert!(table.iter().all(|(_, text, _)| text == "tickets"));
    assert_eq!(
        lines_of(&table),
        vec![
            (13, true),
            (21, false),
            (24, false),
            (25, false),
            (27, false),
            (30, false),
            (31, false),
            (40, false),
            (42, false),
        ]
    );
    assert_eq!(resolutions.declaration(tickets), table_decl_span(MINI));

    // A column: declared, referenced by the check, the seed row, the filters, the insert
    // record, a field access, and `added.owner_id` in the verifier.
    let owner = declared_at(&analysis, MINI, "owner_id", 0);
    let Symbol::Column(owner_table, _) = owner else {
        panic!("owner_id is {owner:?}")
    };
    assert_eq!(Symbol::Table(owner_table), tickets);
    assert_eq!(
        lines_of(&shown(&analysis, MINI, owner)),
        vec![
            (15, true),
            (21, false),
            (25, false),
            (27, false),
            (31, false),
            (41, false)
        ]
    );
    // `title` the column (checked, seeded, inserted, filtered in the verifier) is not
    // `title` the parameter (interpolated, inserted, passed by the solution).
    let title_column = declared_at(&analysis, MINI, "title:", 0);
    assert_eq!(
        lines_of(&shown(&analysis, MINI, title_column)),
        vec![
            (16, true),
            (16, false),
            (21, false),
            (27, false),
            (40, false)
        ]
    );
    let title_param = declared_at(&analysis, MINI, "title:", 2);
    assert!(
        matches!(title_param, Symbol::Param(_, 0)),
        "{title_param:?}"
    );
    assert_eq!(
        lines_of(&shown(&analysis, MINI, title_param)),
        vec![(24, true), (26, false), (27, false), (37, false)]
    );

    // An enum member: declared, the column default, the filters and the verifier; `closed`
    // in the seed row and the update is the other member.
    let open = declared_at(&analysis, MINI, "open", 0);
    assert!(matches!(open, Symbol::Member(_, 0)), "{open:?}");
    let shown_open = shown(&analysis, MINI, open);
    assert!(shown_open.iter().all(|(_, text, _)| text == "open"));
    assert_eq!(
        lines_of(&shown_open),
        vec![(6, true), (17, false), (25, false), (41, false)]
    );
    let closed = declared_at(&analysis, MINI, "closed", 0);
    assert_eq!(
        lines_of(&shown(&analysis, MINI, closed)),
        vec![(6, true), (21, false), (32, false)]
    );
    // The enum itself, named by the column type.
    let state = declared_at(&analysis, MINI, "state", 0);
    assert_eq!(
        lines_of(&shown(&analysis, MINI, state)),
        vec![(6, true), (17, false)]
    );

    // A tool: declared, and called by the solution.
    let tool = declared_at(&analysis, MINI, "open_ticket", 0);
    assert!(matches!(tool, Symbol::Tool(_)));
    assert_eq!(
        lines_of(&shown(&analysis, MINI, tool)),
        vec![(24, true), (37, false)]
    );

    // A parameter used in a lookup and in a message.
    let ticket_id = declared_at(&analysis, MINI, "ticket_id", 0);
    assert_eq!(
        shown(&analysis, MINI, ticket_id),
        vec![
            (30, "ticket_id".to_string(), true),
            (31, "ticket_id".to_string(), false),
            (31, "ticket_id".to_string(), false),
        ]
    );

    // A task: only its declaration.
    let task = declared_at(&analysis, MINI, "file_ticket", 0);
    assert!(matches!(task, Symbol::Task(_)));
    assert_eq!(lines_of(&shown(&analysis, MINI, task)), vec![(35, true)]);

    // `let` bindings, in a tool and in a verifier.
    let mine = declared_at(&analysis, MINI, "mine", 0);
    assert_eq!(mine, Symbol::Binding(span_of(MINI, "mine", 0)));
    assert_eq!(
        lines_of(&shown(&analysis, MINI, mine)),
        vec![(25, true), (26, false)]
    );
    let t = declared_at(&analysis, MINI, "t = tickets", 0);
    assert!(matches!(t, Symbol::Binding(_)));
    let added = declared_at(&analysis, MINI, "added", 0);
    assert_eq!(
        lines_of(&shown(&analysis, MINI, added)),
        vec![(40, true), (41, false), (41, false)]
    );

    // The users table: the env's signed-in user, the foreign key, the seed block.
    let users = Symbol::Table(table_id(model, "users"));
    assert_eq!(
        lines_of(&shown(&analysis, MINI, users)),
        vec![(2, false), (8, true), (15, false), (20, false)]
    );
}

fn table_id(model: &awmc::check::Model, name: &str) -> awmc::check::model::TableId {
    model
        .table(name)
        .unwrap_or_else(|| panic!("no table {name}"))
}

fn span_of(source: &str, needle: &str, nth: usize) -> Span {
    let start = source.match_indices(needle).nth(nth).map_or(0, |(i, _)| i);
    Span::new(start, start + needle.len())
}

fn table_decl_span(source: &str) -> Option<Span> {
    let start = source.find("table tickets")? + "table ".len();
    Some(Span::new(start, start + "tickets".len()))
}

#[test]
fn symbol_at_finds_identifiers_and_nothing_between_them() {
    let analysis = analyze_clean("mini", MINI);
    let resolutions = &analysis.checked.resolutions;
    let model = &analysis.checked.model;
    // Inside a reference: the `ticket_id` in `tickets(ticket_id)`, at its middle.
    let lookup = MINI.find("tickets(ticket_id)").unwrap_or(0);
    let at = resolutions.symbol_at(lookup + "tickets(".len() + 3);
    assert_eq!(
        at.map(|o| (o.symbol.name(model), o.declaration)),
        Some((Some("ticket_id"), false))
    );
    // Its first and last characters are in it; the `)` after it is not.
    let start = lookup + "tickets(".len();
    assert!(resolutions.symbol_at(start).is_some());
    assert!(
        resolutions
            .symbol_at(start + "ticket_id".len() - 1)
            .is_some()
    );
    assert!(resolutions.symbol_at(start + "ticket_id".len()).is_none());
    // The table name right before it.
    assert_eq!(
        resolutions.symbol_at(lookup).map(|o| o.symbol),
        model.table("tickets").map(Symbol::Table)
    );
    // A column reached through a row: `me.id` is `users.id`.
    let me_id = MINI.find("me.id").unwrap_or(0) + "me.".len();
    let users = table_id(model, "users");
    assert_eq!(
        resolutions.symbol_at(me_id).map(|o| o.symbol),
        Some(Symbol::Column(users, 0))
    );
    // `me` is no declared entity, and keywords, whitespace, comments, string contents
    // and punctuation are nothing.
    let me = MINI.find("me.id").unwrap_or(0);
    for (needle, offset) in [
        ("me.id", 0),
        ("// Opens", 4),
        ("\n\nenum", 0),
        ("enum state", 1),
        ("\"The subject\"", 3),
        (" { owner_id: 1", 1),
        ("    open_ticket", 1),
    ] {
        let at = MINI.find(needle).unwrap_or(me) + offset;
        assert_eq!(
            resolutions.symbol_at(at),
            None,
            "found something at {needle:?}+{offset}"
        );
    }
    // Past the end.
    assert_eq!(resolutions.symbol_at(MINI.len() + 10), None);
}

fn corpus() -> Vec<(String, String)> {
    let mut specs = specs_in("dsl-spec/examples");
    specs.extend(specs_in("tests/specs/valid"));
    assert!(!specs.is_empty(), "no specs");
    specs
        .iter()
        .map(|path| (path.display().to_string(), read(path)))
        .collect()
}

/// The name an occurrence must spell: the model's name, or a binding's declared text.
fn expected_name<'a>(analysis: &'a Analysis, source: &'a str, symbol: Symbol) -> &'a str {
    match symbol {
        Symbol::Binding(declared) => text(source, declared),
        other => other
            .name(&analysis.checked.model)
            .unwrap_or("<no name in the model>"),
    }
}

/// Every occurrence spells its symbol's name, lies within the text, is recorded once, and
/// every symbol declared in the spec has exactly one declaration.
fn assert_well_formed(name: &str, source: &str, analysis: &Analysis) {
    let symbols = &analysis.checked.resolutions.symbols;
    let mut spans = HashSet::new();
    let mut declarations: BTreeMap<String, usize> = BTreeMap::new();
    for occurrence in symbols {
        let spelled = text(source, occurrence.span);
        let expected = expected_name(analysis, source, occurrence.symbol);
        assert_eq!(
            spelled, expected,
            "{name}: {occurrence:?} spells `{spelled}`, not `{expected}`"
        );
        assert!(
            spans.insert(occurrence.span),
            "{name}: two occurrences at {:?} (`{spelled}`)",
            occurrence.span
        );
        if occurrence.declaration {
            *declarations
                .entry(format!("{:?}", occurrence.symbol))
                .or_default() += 1;
        }
    }
    for (symbol, count) in declarations {
        assert_eq!(count, 1, "{name}: {symbol} is declared {count} times");
    }
}

#[test]
fn every_occurrence_spells_its_symbol_in_every_example() {
    for (name, source) in corpus() {
        let analysis = analyze_clean(&name, &source);
        assert_well_formed(&name, &source, &analysis);
        let model = &analysis.checked.model;
        let resolutions = &analysis.checked.resolutions;
        // Everything the model declares is in the index, with its declaration.
        for (index, table) in model.tables.iter().enumerate() {
            let id = awmc::check::model::TableId(index);
            assert_eq!(
                resolutions.declaration(Symbol::Table(id)),
                Some(table.span),
                "{name}: table {}",
                table.name
            );
            for (column, info) in table.columns.iter().enumerate() {
                assert_eq!(
                    resolutions.declaration(Symbol::Column(id, column)),
                    Some(info.span),
                    "{name}: column {}.{}",
                    table.name,
                    info.name
                );
            }
        }
        for (index, tool) in model.tools.iter().enumerate() {
            let id = awmc::check::model::ToolId(index);
            assert_eq!(resolutions.declaration(Symbol::Tool(id)), Some(tool.span));
            for (param, info) in tool.params.iter().enumerate() {
                assert_eq!(
                    resolutions.declaration(Symbol::Param(id, param)),
                    Some(info.span),
                    "{name}: parameter {}.{}",
                    tool.name,
                    info.name
                );
            }
        }
        for (index, info) in model.enums.iter().enumerate() {
            let id = awmc::check::model::EnumId(index);
            assert_eq!(resolutions.declaration(Symbol::Enum(id)), Some(info.span));
            for member in 0..info.members.len() {
                assert!(
                    resolutions
                        .declaration(Symbol::Member(id, member))
                        .is_some(),
                    "{name}: member {}.{}",
                    info.name,
                    info.members[member]
                );
            }
        }
        for (index, task) in model.tasks.iter().enumerate() {
            let id = awmc::check::model::TaskId(index);
            assert_eq!(resolutions.declaration(Symbol::Task(id)), Some(task.span));
        }
    }
}

/// How many symbols of one spec the rename test renames, at most; with the environment
/// variable `AWM_RENAME_ALL` set, every declared symbol is renamed (minutes, not seconds).
const RENAMES_PER_SPEC: usize = 40;

fn renames_per_spec() -> usize {
    if std::env::var_os("AWM_RENAME_ALL").is_some() {
        usize::MAX
    } else {
        RENAMES_PER_SPEC
    }
}

/// The declared symbols of a spec to rename: round-robin over kinds (tables, columns,
/// enums, members, tools, parameters, tasks, bindings), each kind in source order, so
/// every kind is covered and the choice is deterministic.
fn sample(analysis: &Analysis) -> Vec<(Symbol, Span)> {
    let limit = renames_per_spec();
    let mut by_kind: BTreeMap<u8, Vec<(Span, Symbol)>> = BTreeMap::new();
    for occurrence in &analysis.checked.resolutions.symbols {
        if occurrence.declaration {
            let kind = match occurrence.symbol {
                Symbol::Table(_) => 0,
                Symbol::Column(..) => 1,
                Symbol::Enum(_) => 2,
                Symbol::Member(..) => 3,
                Symbol::Tool(_) => 4,
                Symbol::Param(..) => 5,
                Symbol::Task(_) => 6,
                Symbol::Binding(_) => 7,
            };
            by_kind
                .entry(kind)
                .or_default()
                .push((occurrence.span, occurrence.symbol));
        }
    }
    let mut queues: Vec<Vec<(Span, Symbol)>> = by_kind
        .into_values()
        .map(|mut symbols| {
            symbols.sort_by_key(|(span, _)| *span);
            // Spread the picks over the whole spec, not its first declarations.
            let stride = (symbols.len() / limit).max(1);
            symbols.into_iter().step_by(stride).rev().collect()
        })
        .collect();
    let mut picked = Vec::new();
    while picked.len() < limit && queues.iter().any(|q| !q.is_empty()) {
        for queue in &mut queues {
            if picked.len() < limit
                && let Some((span, symbol)) = queue.pop()
            {
                picked.push((symbol, span));
            }
        }
    }
    picked
}

/// The source with the text at `spans` replaced by `name`.
fn renamed(source: &str, spans: &[Span], name: &str) -> String {
    let mut spans = spans.to_vec();
    spans.sort();
    let mut out = String::with_capacity(source.len() + spans.len() * name.len());
    let mut at = 0;
    for span in spans {
        out.push_str(&source[at..span.start as usize]);
        out.push_str(name);
        at = span.end as usize;
    }
    out.push_str(&source[at..]);
    out
}

/// Renames one symbol at every occurrence the index records; the spec must stay valid
/// (its tasks are proved again, so the environment behaves the same), and the new name
/// must have as many occurrences as the old one had.
fn check_rename(
    name: &str,
    source: &str,
    analysis: &Analysis,
    (symbol, declared): (Symbol, Span),
    index: usize,
) -> Result<(), String> {
    let spans: Vec<Span> = analysis
        .checked
        .resolutions
        .occurrences(symbol)
        .map(|o| o.span)
        .collect();
    let old = expected_name(analysis, source, symbol).to_string();
    let fresh = format!("zz_renamed_{index}");
    let text = renamed(source, &spans, &fresh);
    let after = analyze_at(name, &text);
    let errors: Vec<String> = after
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        // Data files name columns and enum members too, and a rename of the spec does not
        // reach them: their rows then rightly disagree with it (reported with their line).
        // Such rows are left out of the seed's constraints, so nothing else follows.
        .filter(|d| d.data_line.is_none())
        // An enum member's name is also its value: what agents read, what an interpolation
        // shows and what `answer mentions` looks for. Renaming one changes the data, so a
        // verifier may then rightly fail after the solution (`last.genre` is no longer
        // "poetry"). Every other error, and above all an unknown name (a missed
        // occurrence), still fails the test.
        .filter(|d| {
            !(matches!(symbol, Symbol::Member(..))
                && d.code == awmc::diagnostic::Code::VerifierFailsAfterSolution)
        })
        .map(|d| {
            let (line, _) = LineIndex::new(&text).line_column(&text, d.primary.span.start as usize);
            format!("line {line}: {} {}", d.code.code(), d.message)
        })
        .collect();
    if !errors.is_empty() {
        return Err(format!(
            "{name}: renaming {symbol:?} `{old}` ({} occurrences) to `{fresh}` breaks the spec: {errors:#?}",
            spans.len()
        ));
    }
    let declaration = renamed_offset(&spans, declared, &fresh, &old);
    let Some(new_symbol) = after.checked.resolutions.symbol_at(declaration) else {
        return Err(format!(
            "{name}: nothing at the renamed declaration of `{old}`"
        ));
    };
    let count = after
        .checked
        .resolutions
        .occurrences(new_symbol.symbol)
        .count();
    if count != spans.len() {
        return Err(format!(
            "{name}: `{old}` had {} occurrences, `{fresh}` has {count}",
            spans.len()
        ));
    }
    Ok(())
}

/// Where the text at `span` starts once every span in `spans` says `fresh`, not `old`.
fn renamed_offset(spans: &[Span], span: Span, fresh: &str, old: &str) -> usize {
    let before = spans.iter().filter(|s| s.start < span.start).count();
    span.start as usize + before * fresh.len() - before * old.len()
}

#[test]
fn renaming_any_symbol_at_its_occurrences_keeps_every_spec_valid() {
    let corpus = corpus();
    let failures = std::sync::Mutex::new(Vec::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    // Two workers: the machine has two cores, and each rename re-proves the spec.
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let at = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((name, source)) = corpus.get(at) else {
                        break;
                    };
                    let analysis = analyze_clean(name, source);
                    for (index, picked) in sample(&analysis).into_iter().enumerate() {
                        assert!(!source.contains(&format!("zz_renamed_{index}")));
                        if let Err(problem) = check_rename(name, source, &analysis, picked, index)
                            && let Ok(mut failures) = failures.lock()
                        {
                            failures.push(problem);
                        }
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap_or_default();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The source without about one line in twenty, chosen by `seed`.
fn without_some_lines(source: &str, seed: u64) -> String {
    let mut rng = awm_tests::XorShift(seed | 1);
    source
        .lines()
        .filter(|_| !rng.next().is_multiple_of(20))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn specs_with_many_errors_still_index_what_resolved() {
    let mut examples = specs_in("dsl-spec/examples");
    examples.sort();
    for (index, path) in examples.iter().enumerate() {
        let source = read(path);
        let mut resolved = 0;
        for seed in 0..6u64 {
            let broken = without_some_lines(&source, 0x5EED ^ ((index as u64) << 8) ^ seed);
            let name = format!("{} without some lines (seed {seed})", path.display());
            let analysis =
                std::panic::catch_unwind(|| analyze_at(&path.display().to_string(), &broken))
                    .unwrap_or_else(|_| panic!("{name}: the analysis panicked"));
            assert!(
                analysis.diagnostics.iter().any(|d| d.is_error()),
                "{name}: expected errors"
            );
            assert_well_formed(&name, &broken, &analysis);
            // Whatever was declared is indexed, and so is every resolved name in it.
            let resolutions = &analysis.checked.resolutions;
            for (table, info) in analysis.checked.model.tables.iter().enumerate() {
                let id = awmc::check::model::TableId(table);
                assert_eq!(
                    resolutions.declaration(Symbol::Table(id)),
                    Some(info.span),
                    "{name}: table {}",
                    info.name
                );
            }
            let indexed: BTreeMap<Span, Symbol> = resolutions
                .symbols
                .iter()
                .map(|o| (o.span, o.symbol))
                .collect();
            for (span, meaning) in &resolutions.names {
                let found = indexed.get(span);
                let indexed_right = match meaning {
                    NameRes::Column { table, column, .. } => {
                        found == Some(&Symbol::Column(*table, *column))
                    }
                    NameRes::Table(table) => found == Some(&Symbol::Table(*table)),
                    // (An unknown member of the expected enum is reported, and has no symbol.)
                    NameRes::EnumMember(_) if resolutions.ty(*span).is_error() => continue,
                    NameRes::EnumMember(_) => matches!(found, Some(Symbol::Member(..))),
                    // A parameter, `let` or loop variable (a group key is declared by its
                    // clause, and named after nothing when its key did not resolve).
                    NameRes::Binding { declared, .. } if indexed.contains_key(declared) => {
                        found.is_some()
                    }
                    _ => continue,
                };
                resolved += 1;
                assert!(
                    indexed_right,
                    "{name}: `{}` resolved as {meaning:?} but is indexed as {found:?}",
                    text(&broken, *span)
                );
            }
        }
        assert!(resolved > 0, "{}: nothing resolved", path.display());
    }
}
