//! Static types of expressions, and when one type may stand where another is expected.

use awm_stdlib::Scalar;

use super::model::{EnumId, Model, TableId};

/// The static type of an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    Scalar(Scalar),
    Enum(EnumId),
    /// A row of a table.
    Row(TableId),
    /// A foreign-key value: behaves as the referenced key's type (a scalar or an enum),
    /// and `.column` navigates to the referenced row.
    /// `column` is the referenced key column of `table`.
    Ref {
        table: TableId,
        column: usize,
        key: Box<Ty>,
    },
    List(Box<Ty>),
    Record(Vec<(String, Ty)>),
    Optional(Box<Ty>),
    /// The type of `null`.
    Null,
    /// A database state in a verifier: `initial` or `final`.
    State,
    /// What a statement or a tool without a result produces.
    Unit,
    /// An expression already reported as wrong; compatible with everything so one mistake
    /// yields one diagnostic.
    Error,
}

impl Ty {
    pub const INT: Ty = Ty::Scalar(Scalar::Int);
    pub const REAL: Ty = Ty::Scalar(Scalar::Real);
    pub const TEXT: Ty = Ty::Scalar(Scalar::Text);
    pub const BOOL: Ty = Ty::Scalar(Scalar::Bool);
    pub const DATETIME: Ty = Ty::Scalar(Scalar::DateTime);
    pub const DATE: Ty = Ty::Scalar(Scalar::Date);
    pub const DURATION: Ty = Ty::Scalar(Scalar::Duration);

    pub fn list(element: Ty) -> Ty {
        Ty::List(Box::new(element))
    }

    /// `T?`; optional types and `null` stay as they are.
    pub fn optional(self) -> Ty {
        match self {
            Ty::Optional(_) | Ty::Null | Ty::Error => self,
            other => Ty::Optional(Box::new(other)),
        }
    }

    pub fn is_optional(&self) -> bool {
        matches!(self, Ty::Optional(_) | Ty::Null)
    }

    /// The type without `?`.
    pub fn required(&self) -> &Ty {
        match self {
            Ty::Optional(inner) => inner,
            other => other,
        }
    }

    pub fn is_error(&self) -> bool {
        matches!(self, Ty::Error)
    }

    /// Whether an already reported error is part of this type (`[unknown]`).
    pub fn has_error(&self) -> bool {
        match self {
            Ty::Error => true,
            Ty::List(inner) | Ty::Optional(inner) => inner.has_error(),
            Ty::Record(fields) => fields.iter().any(|(_, ty)| ty.has_error()),
            _ => false,
        }
    }

    /// The referenced key's type for a foreign key; the type itself otherwise.
    pub fn unref(&self) -> &Ty {
        match self {
            Ty::Ref { key, .. } => key,
            other => other,
        }
    }

    /// The scalar a value of this type is stored as, looking through foreign keys.
    pub fn scalar(&self) -> Option<Scalar> {
        match self {
            Ty::Scalar(s) => Some(*s),
            Ty::Ref { key, .. } => key.scalar(),
            _ => None,
        }
    }

    pub fn is_numeric(&self) -> bool {
        self.scalar().is_some_and(Scalar::is_numeric)
    }

    pub fn is_bool(&self) -> bool {
        matches!(self, Ty::Scalar(Scalar::Bool) | Ty::Error)
    }

    /// The element type of a list.
    pub fn element(&self) -> Option<&Ty> {
        match self {
            Ty::List(element) => Some(element),
            _ => None,
        }
    }

    /// Whether values of this type can be stored in a column or passed as an argument.
    pub fn is_storable(&self) -> bool {
        match self.required() {
            Ty::Scalar(s) => s.info().storable,
            Ty::Enum(_) | Ty::Ref { .. } | Ty::Error => true,
            _ => false,
        }
    }

    /// The type as a user would write it.
    pub fn display(&self, model: &Model) -> String {
        match self {
            Ty::Scalar(s) => s.name().to_string(),
            Ty::Enum(id) => model.enums[id.0].name.clone(),
            Ty::Row(id) => model.tables[id.0].name.clone(),
            Ty::Ref { key, .. } => key.display(model),
            Ty::List(element) => format!("[{}]", element.display(model)),
            Ty::Record(fields) => {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|(name, ty)| format!("{name}: {}", ty.display(model)))
                    .collect();
                format!("{{ {} }}", fields.join(", "))
            }
            Ty::Optional(inner) => format!("{}?", inner.display(model)),
            Ty::Null => "null".to_string(),
            Ty::State => "database state".to_string(),
            Ty::Unit => "nothing".to_string(),
            Ty::Error => "unknown".to_string(),
        }
    }
}

/// Why a value does not fit where it is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mismatch {
    /// The value may be null where a value is required.
    Optional,
    /// The types differ.
    Type,
}

/// Whether a value of type `from` may be used where `to` is expected.
pub fn assignable(from: &Ty, to: &Ty) -> Result<(), Mismatch> {
    use Ty::*;
    if from.has_error() || to.has_error() {
        return Ok(());
    }
    let fits = match (from, to) {
        (a, b) if a == b => true,
        (Null, Optional(_)) => true,
        (Optional(a), Optional(b)) => return assignable(a, b),
        (Null, _) => return Err(Mismatch::Optional),
        (Optional(a), b) => {
            return match assignable(a, b) {
                Ok(()) => Err(Mismatch::Optional),
                Err(_) => Err(Mismatch::Type),
            };
        }
        (a, Optional(b)) => return assignable(a, b),
        (Scalar(awm_stdlib::Scalar::Int), Scalar(awm_stdlib::Scalar::Real)) => true,
        (Ref { table: a, .. }, Ref { table: b, .. }) => a == b,
        (Ref { key, .. }, other) => return assignable(key, other),
        (other, Ref { key, .. }) => return assignable(other, key),
        (List(a), List(b)) => return assignable(a, b),
        (Record(a), Record(b)) => {
            a.len() == b.len()
                && a.iter().all(|(name, ty)| {
                    b.iter()
                        .find(|(other, _)| other == name)
                        .is_some_and(|(_, expected)| assignable(ty, expected).is_ok())
                })
        }
        _ => false,
    };
    if fits { Ok(()) } else { Err(Mismatch::Type) }
}

/// Whether two values can be compared with `==`: one must fit the other, ignoring `?`.
pub fn comparable(a: &Ty, b: &Ty) -> bool {
    let (a, b) = (a.required(), b.required());
    matches!(a, Ty::Null)
        || matches!(b, Ty::Null)
        || assignable(a, b).is_ok()
        || assignable(b, a).is_ok()
        || (a.is_numeric() && b.is_numeric())
}

/// The common type of two branches or list elements, if any.
pub fn unify(a: &Ty, b: &Ty) -> Option<Ty> {
    if a.is_error() {
        return Some(b.clone());
    }
    if assignable(a, b).is_ok() {
        return Some(b.clone());
    }
    if assignable(b, a).is_ok() {
        return Some(a.clone());
    }
    match (a, b) {
        (Ty::Null, other) | (other, Ty::Null) => Some(other.clone().optional()),
        (Ty::Optional(inner), other) | (other, Ty::Optional(inner)) => {
            unify(inner, other).map(Ty::optional)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_fits_real_but_not_the_other_way() {
        assert_eq!(assignable(&Ty::INT, &Ty::REAL), Ok(()));
        assert_eq!(assignable(&Ty::REAL, &Ty::INT), Err(Mismatch::Type));
    }

    #[test]
    fn optional_values_do_not_fit_required_slots() {
        let optional_int = Ty::INT.optional();
        assert_eq!(assignable(&optional_int, &Ty::INT), Err(Mismatch::Optional));
        assert_eq!(assignable(&Ty::Null, &Ty::INT), Err(Mismatch::Optional));
        assert_eq!(assignable(&Ty::INT, &optional_int), Ok(()));
        assert_eq!(assignable(&Ty::Null, &optional_int), Ok(()));
        assert_eq!(
            assignable(&Ty::TEXT.optional(), &Ty::INT),
            Err(Mismatch::Type)
        );
    }

    #[test]
    fn foreign_keys_behave_as_their_key() {
        let reference = Ty::Ref {
            table: TableId(0),
            column: 0,
            key: Box::new(Ty::INT),
        };
        assert_eq!(assignable(&Ty::INT, &reference), Ok(()));
        assert_eq!(assignable(&reference, &Ty::INT), Ok(()));
        assert_eq!(assignable(&Ty::TEXT, &reference), Err(Mismatch::Type));
    }

    #[test]
    fn records_match_by_field_name() {
        let a = Ty::Record(vec![("x".into(), Ty::INT), ("y".into(), Ty::TEXT)]);
        let b = Ty::Record(vec![("y".into(), Ty::TEXT), ("x".into(), Ty::REAL)]);
        assert_eq!(assignable(&a, &b), Ok(()));
        let c = Ty::Record(vec![("x".into(), Ty::INT)]);
        assert_eq!(assignable(&a, &c), Err(Mismatch::Type));
    }

    #[test]
    fn null_unifies_to_optional() {
        assert_eq!(unify(&Ty::Null, &Ty::INT), Some(Ty::INT.optional()));
        assert_eq!(unify(&Ty::INT, &Ty::REAL), Some(Ty::REAL));
        assert_eq!(unify(&Ty::INT, &Ty::TEXT), None);
    }
}
