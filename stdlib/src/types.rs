//! Built-in scalar types: their names in specs, their SQLite storage and their JSON shape.

/// A built-in scalar type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scalar {
    Int,
    Real,
    Text,
    Bool,
    DateTime,
    Date,
    /// A span of time (`days(3)`); it exists only in expressions, never in a column.
    Duration,
}

/// Documentation and lowering of one built-in scalar type.
#[derive(Debug)]
pub struct ScalarType {
    pub scalar: Scalar,
    /// The name written in specs (`int`), or `None` for types that cannot be written.
    pub name: &'static str,
    /// Whether a column or parameter may have this type.
    pub storable: bool,
    /// The SQLite column type it is stored as.
    pub sql: &'static str,
    /// The JSON Schema `type` of its values.
    pub json: &'static str,
    /// The Rust type generated code uses for it.
    pub rust: &'static str,
    pub doc: &'static str,
}

/// Every built-in scalar type, in the order the reference manual lists them.
pub const SCALAR_TYPES: &[ScalarType] = &[
    ScalarType {
        scalar: Scalar::Int,
        name: "int",
        storable: true,
        sql: "INTEGER",
        json: "integer",
        rust: "i64",
        doc: "A 64-bit signed integer.",
    },
    ScalarType {
        scalar: Scalar::Real,
        name: "real",
        storable: true,
        sql: "REAL",
        json: "number",
        rust: "f64",
        doc: "A 64-bit floating point number. An `int` is accepted wherever a `real` is expected.",
    },
    ScalarType {
        scalar: Scalar::Text,
        name: "text",
        storable: true,
        sql: "TEXT",
        json: "string",
        rust: "::std::string::String",
        doc: "A UTF-8 string.",
    },
    ScalarType {
        scalar: Scalar::Bool,
        name: "bool",
        storable: true,
        sql: "INTEGER",
        json: "boolean",
        rust: "bool",
        doc: "`true` or `false`.",
    },
    ScalarType {
        scalar: Scalar::DateTime,
        name: "datetime",
        storable: true,
        sql: "TEXT",
        json: "string",
        rust: "::std::string::String",
        doc: "A UTC instant, written `2026-03-14T09:30:00Z`; stored as ISO-8601 text so it sorts correctly.",
    },
    ScalarType {
        scalar: Scalar::Date,
        name: "date",
        storable: true,
        sql: "TEXT",
        json: "string",
        rust: "::std::string::String",
        doc: "A calendar day, written `2026-03-14`.",
    },
    ScalarType {
        scalar: Scalar::Duration,
        name: "duration",
        storable: false,
        sql: "INTEGER",
        json: "integer",
        rust: "i64",
        doc: "A span of time in seconds, made by `days(n)`, `hours(n)`, `minutes(n)` or `weeks(n)`; add it to or subtract it from a `datetime` or `date`.",
    },
];

impl Scalar {
    /// The type's documentation and lowering.
    pub fn info(self) -> &'static ScalarType {
        // The table lists every variant in declaration order.
        &SCALAR_TYPES[self as usize]
    }

    /// The name written in specs.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The storable scalar type spelled `name`, if any.
    pub fn from_name(name: &str) -> Option<Scalar> {
        SCALAR_TYPES
            .iter()
            .find(|t| t.storable && t.name == name)
            .map(|t| t.scalar)
    }

    /// Whether values of this type are numbers.
    pub fn is_numeric(self) -> bool {
        matches!(self, Scalar::Int | Scalar::Real)
    }

    /// Whether values of this type have a meaningful order (`<`, `order by`, `min`).
    pub fn is_ordered(self) -> bool {
        !matches!(self, Scalar::Bool)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_variant_order() {
        for (index, info) in SCALAR_TYPES.iter().enumerate() {
            assert_eq!(info.scalar as usize, index, "{} is out of order", info.name);
        }
    }

    #[test]
    fn only_storable_types_have_spellable_names() {
        assert_eq!(Scalar::from_name("int"), Some(Scalar::Int));
        assert_eq!(Scalar::from_name("datetime"), Some(Scalar::DateTime));
        assert_eq!(Scalar::from_name("duration"), None);
        assert_eq!(Scalar::from_name("integer"), None);
    }
}
