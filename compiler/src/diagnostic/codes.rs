//! The registry of diagnostic codes: every code, its kebab-case name and its severity,
//! defined once. Each code is documented in `dsl-spec/diagnostics.md`, and a test keeps the
//! two in step (every code documented, every documented example producing its code).

use serde::Serialize;

/// How bad a diagnostic is: errors reject a spec, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

macro_rules! codes {
    ($( $variant:ident = $code:literal $name:literal $severity:ident, )*) => {
        /// A stable diagnostic code. Codes are never renumbered or reused.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $( $variant, )* }

        impl Code {
            /// Every code, in index order.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The stable code, e.g. `E0310`.
            pub fn code(self) -> &'static str {
                match self { $( Code::$variant => $code, )* }
            }

            /// The kebab-case name, e.g. `unknown-table`.
            pub fn name(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            pub fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }
        }
    };
}

codes! {
    // ---- syntax -------------------------------------------------------------
    SyntaxError = "E0100" "syntax-error" Error,
    InvalidDeclaration = "E0101" "invalid-declaration" Error,
    InvalidTableItem = "E0102" "invalid-table-item" Error,
    InvalidStatement = "E0103" "invalid-statement" Error,
    InvalidLiteral = "E0104" "invalid-literal" Error,
    InvalidInterpolation = "E0105" "invalid-interpolation" Error,
    NestingTooDeep = "E0106" "nesting-too-deep" Error,
    // ---- the env header -----------------------------------------------------
    MissingEnv = "E0200" "missing-env" Error,
    DuplicateEnv = "E0201" "duplicate-env" Error,
    UnknownEnvField = "E0202" "unknown-env-field" Error,
    MissingEnvField = "E0203" "missing-env-field" Error,
    InvalidUser = "E0204" "invalid-user" Error,
    // ---- names --------------------------------------------------------------
    DuplicateTable = "E0300" "duplicate-table" Error,
    DuplicateColumn = "E0301" "duplicate-column" Error,
    DuplicateType = "E0302" "duplicate-type" Error,
    DuplicateEnumMember = "E0303" "duplicate-enum-member" Error,
    DuplicateTool = "E0304" "duplicate-tool" Error,
    DuplicateParameter = "E0305" "duplicate-parameter" Error,
    DuplicateTask = "E0306" "duplicate-task" Error,
    DuplicateField = "E0307" "duplicate-field" Error,
    DuplicateBinding = "E0308" "duplicate-binding" Error,
    UnknownTable = "E0310" "unknown-table" Error,
    UnknownColumn = "E0311" "unknown-column" Error,
    UnknownType = "E0312" "unknown-type" Error,
    UnknownEnumMember = "E0313" "unknown-enum-member" Error,
    UnknownTool = "E0314" "unknown-tool" Error,
    UnknownParameter = "E0315" "unknown-parameter" Error,
    UnknownName = "E0316" "unknown-name" Error,
    UnknownFunction = "E0317" "unknown-function" Error,
    UnknownField = "E0318" "unknown-field" Error,
    // ---- types --------------------------------------------------------------
    TypeMismatch = "E0400" "type-mismatch" Error,
    OptionalUsedAsRequired = "E0401" "optional-used-as-required" Error,
    InvalidOperands = "E0402" "invalid-operands" Error,
    MissingArgument = "E0403" "missing-argument" Error,
    TooManyArguments = "E0404" "too-many-arguments" Error,
    NotAList = "E0405" "not-a-list" Error,
    MisplacedAggregate = "E0406" "misplaced-aggregate" Error,
    MisplacedGuard = "E0407" "misplaced-guard" Error,
    NotConstant = "E0408" "not-constant" Error,
    InvalidQuery = "E0409" "invalid-query" Error,
    // ---- tables -------------------------------------------------------------
    MissingPrimaryKey = "E0500" "missing-primary-key" Error,
    MultiplePrimaryKeys = "E0501" "multiple-primary-keys" Error,
    ForeignKeyToNonKey = "E0502" "foreign-key-to-non-key" Error,
    ForeignKeyTypeMismatch = "E0503" "foreign-key-type-mismatch" Error,
    InvalidAuto = "E0504" "invalid-auto" Error,
    InvalidColumnType = "E0505" "invalid-column-type" Error,
    OptionalPrimaryKey = "E0506" "optional-primary-key" Error,
    // ---- seed data ----------------------------------------------------------
    SeedDuplicateKey = "E0600" "seed-duplicate-key" Error,
    SeedUniqueViolation = "E0601" "seed-unique-violation" Error,
    SeedDanglingReference = "E0602" "seed-dangling-reference" Error,
    SeedMissingColumn = "E0603" "seed-missing-column" Error,
    SeedCheckViolation = "E0604" "seed-check-violation" Error,
    SeedFileUnreadable = "E0605" "seed-file-unreadable" Error,
    InvalidSeedPath = "E0606" "invalid-seed-path" Error,
    MalformedSeedFile = "E0607" "malformed-seed-file" Error,
    // ---- tools --------------------------------------------------------------
    InsertMissingColumn = "E0700" "insert-missing-column" Error,
    ReturnMismatch = "E0701" "return-mismatch" Error,
    MissingReturn = "E0702" "missing-return" Error,
    UnexpectedReturnValue = "E0703" "unexpected-return-value" Error,
    InvalidMutationTarget = "E0704" "invalid-mutation-target" Error,
    UpsertWithoutUniqueKey = "E0705" "upsert-without-unique-key" Error,
    MutationOutsideTool = "E0706" "mutation-outside-tool" Error,
    AssignToKey = "E0707" "assign-to-key" Error,
    // ---- tasks --------------------------------------------------------------
    MissingSolution = "E0800" "missing-solution" Error,
    MissingVerify = "E0801" "missing-verify" Error,
    TrivialVerifier = "E0802" "trivial-verifier" Error,
    UnqualifiedTableInVerify = "E0803" "unqualified-table-in-verify" Error,
    StateOutsideVerify = "E0804" "state-outside-verify" Error,
    NonConstantArgument = "E0805" "non-constant-argument" Error,
    // ---- proving tasks by running them --------------------------------------
    VerifierPassesInitially = "E0900" "verifier-passes-initially" Error,
    SolutionStepFailed = "E0901" "solution-step-failed" Error,
    VerifierFailsAfterSolution = "E0902" "verifier-fails-after-solution" Error,
    SeedImageFailed = "E0903" "seed-image-failed" Error,
    CannotRun = "E0904" "cannot-run" Error,
    // ---- warnings -----------------------------------------------------------
    UnusedParameter = "W0001" "unused-parameter" Warning,
    UnusedBinding = "W0002" "unused-binding" Warning,
    UnusedEnum = "W0003" "unused-enum" Warning,
    UnusedTable = "W0004" "unused-table" Warning,
    UnreachableCode = "W0005" "unreachable-code" Warning,
    SelfComparison = "W0006" "self-comparison" Warning,
    GuardAlwaysTrue = "W0007" "guard-always-true" Warning,
    ShadowedName = "W0008" "shadowed-name" Warning,
}

impl Code {
    /// The code whose stable code (`E0310`) or name (`unknown-table`) is `text`,
    /// ignoring case.
    pub fn find(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|code| {
            code.code().eq_ignore_ascii_case(text) || code.name().eq_ignore_ascii_case(text)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique() {
        let codes: HashSet<_> = Code::ALL.iter().map(|c| c.code()).collect();
        let names: HashSet<_> = Code::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(codes.len(), Code::ALL.len());
        assert_eq!(names.len(), Code::ALL.len());
    }

    #[test]
    fn severity_matches_the_code_letter() {
        for code in Code::ALL {
            let expected = if code.code().starts_with('E') {
                Severity::Error
            } else {
                Severity::Warning
            };
            assert_eq!(code.severity(), expected, "{}", code.code());
        }
    }

    #[test]
    fn find_accepts_code_or_name() {
        assert_eq!(Code::find("e0310"), Some(Code::UnknownTable));
        assert_eq!(Code::find("unknown-table"), Some(Code::UnknownTable));
        assert_eq!(Code::find("nope"), None);
    }
}
