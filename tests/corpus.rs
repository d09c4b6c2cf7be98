//! The spec corpora: every example and valid spec is accepted; every invalid spec is
//! rejected with exactly the codes its `// expect:` line names, and its rendered
//! diagnostics match the snapshot (source, then output).

use awm_tests::{codes, expected_codes, read, rendered, root, specs_in};

#[test]
fn examples_and_valid_specs_are_accepted() {
    let mut specs = specs_in("dsl-spec/examples");
    specs.extend(specs_in("tests/specs/valid"));
    assert!(specs.len() >= 5, "the corpus is missing");
    for path in specs {
        let name = path.display().to_string();
        let (analysis, text) = rendered(&name, &path, &read(&path));
        assert!(analysis.is_accepted(), "{name} was rejected:\n{text}");
    }
}

#[test]
fn invalid_specs_are_rejected_with_their_expected_codes() {
    let specs = specs_in("tests/specs/invalid");
    assert!(specs.len() >= 100, "only {} invalid specs", specs.len());
    let mut failures = Vec::new();
    for path in &specs {
        let source = read(path);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (analysis, text) = rendered(&name, path, &source);
        let Some(expected) = expected_codes(&source) else {
            failures.push(format!("{name}: no `// expect:` line"));
            continue;
        };
        if analysis.is_accepted() {
            failures.push(format!("{name}: accepted, but should be rejected"));
        } else if codes(&analysis) != expected {
            failures.push(format!(
                "{name}: expected {expected:?}, got {:?}\n{text}",
                codes(&analysis)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_error_code_is_exercised_by_the_invalid_corpus() {
    let mut seen = std::collections::BTreeSet::new();
    for path in specs_in("tests/specs/invalid") {
        seen.extend(expected_codes(&read(&path)).unwrap_or_default());
    }
    // Safety nets for gaps in the checker (documented as such) cannot have a spec.
    let internal = [awmc::diagnostic::Code::SeedImageFailed];
    let missing: Vec<&str> = awmc::diagnostic::Code::ALL
        .iter()
        .filter(|c| !internal.contains(c))
        .map(|c| c.code())
        .filter(|code| !seen.contains(*code))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without an invalid spec: {missing:?}"
    );
}

#[test]
fn invalid_spec_diagnostics_match_snapshots() {
    insta::glob!("specs/invalid/*.awm", |path| {
        let source = read(path);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (_, text) = rendered(&name, path, &source);
        insta::assert_snapshot!(format!(
            "----- SOURCE CODE\n{source}\n----- DIAGNOSTICS\n{text}"
        ));
    });
}

#[test]
fn no_snapshot_is_orphaned() {
    let snapshots = root().join("tests/snapshots");
    let Ok(entries) = std::fs::read_dir(&snapshots) else {
        return;
    };
    let mut orphans = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(spec) = file
            .strip_prefix("corpus__invalid_spec_diagnostics_match_snapshots@")
            .and_then(|f| f.strip_suffix(".snap"))
        else {
            // Snapshots of other tests, named after them.
            const OTHERS: [&str; 1] = ["native__generated_code_of_a_small_spec.snap"];
            if file.ends_with(".snap") && !OTHERS.contains(&file.as_str()) {
                orphans.push(file);
            }
            continue;
        };
        if !root().join("tests/specs/invalid").join(spec).exists() {
            orphans.push(file);
        }
    }
    assert!(
        orphans.is_empty(),
        "snapshots without a spec (delete them): {orphans:?}"
    );
}
