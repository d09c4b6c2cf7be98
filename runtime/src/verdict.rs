//! Verdicts: whether a task was completed, with evidence per expectation (what was
//! compared and what was found) that a person or an LLM judge can read.

use serde::Serialize;

use crate::value::Value;

/// One `expect` of a verifier, evaluated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// The expectation as written in the spec.
    pub expectation: String,
    pub held: bool,
    /// The values compared, by the text of the side that produced them.
    pub observed: Vec<(String, Value)>,
    /// Why the expectation could not be evaluated, if it could not.
    pub error: Option<String>,
}

/// The result of a verifier.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub passed: bool,
    pub evidence: Vec<Evidence>,
}

impl Verdict {
    pub fn new(evidence: Vec<Evidence>) -> Verdict {
        Verdict {
            passed: evidence.iter().all(|e| e.held),
            evidence,
        }
    }

    /// The first expectation that did not hold.
    pub fn first_failure(&self) -> Option<&Evidence> {
        self.evidence.iter().find(|e| !e.held)
    }
}

impl Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}
