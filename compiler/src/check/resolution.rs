//! What the checker decided about each expression, kept for the stages after it: the type
//! of every expression and what every bare name means. Lowering reads these instead of
//! resolving names a second time. Keys are spans, which are unique per expression in a
//! spec that checks clean.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::model::TableId;
use super::symbols::Occurrence;
use super::types::Ty;
use crate::span::Span;

/// What a bare name refers to.
#[derive(Debug, Clone, PartialEq)]
pub enum NameRes {
    /// A parameter, `let`, loop variable or group key, by where and how it was declared.
    Binding {
        declared: Span,
        name: String,
    },
    /// A column of the table row `depth` row scopes out (0 is the innermost).
    Column {
        table: TableId,
        column: usize,
        depth: usize,
    },
    /// A field of the record row `depth` row scopes out.
    Field {
        name: String,
        depth: usize,
    },
    /// A table in the current state (tools).
    Table(TableId),
    EnumMember(String),
    Me,
    Initial,
    Final,
    Answer,
    /// The row an `upsert` was about to insert.
    Excluded(TableId),
}

/// A map keyed by spans. Spans are two small integers from the spec itself, so a
/// multiplicative hash is enough (SipHash was a tenth of check time here).
pub type SpanMap<V> = HashMap<Span, V, BuildHasherDefault<SpanHasher>>;

#[derive(Debug, Default)]
pub struct SpanHasher(u64);

impl Hasher for SpanHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 =
                (self.0.rotate_left(5) ^ u64::from(*byte)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn write_u32(&mut self, value: u32) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(value)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

#[derive(Debug, Default)]
pub struct Resolutions {
    pub types: SpanMap<Ty>,
    pub names: SpanMap<NameRes>,
    /// Every occurrence of every declared entity, declarations included, in the order the
    /// checker met them (see [`super::symbols`]).
    pub symbols: Vec<Occurrence>,
}

impl Resolutions {
    /// The type the checker gave the expression at `span` (`Ty::Error` if it never saw it).
    pub fn ty(&self, span: Span) -> &Ty {
        self.types.get(&span).unwrap_or(&Ty::Error)
    }
}
