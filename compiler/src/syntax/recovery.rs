//! Error recovery. The grammar's catch-all rules swallow a broken declaration, line or
//! statement; here each swallowed slice is parsed again with the rule it was meant to
//! match, so the diagnostic points at the exact token pest stopped at and says what it
//! expected there.

use pest::Parser as _;
use pest::error::{Error, InputLocation};
use pest::iterators::Pair;

use super::grammar::{AwmParser, Rule};
use super::{SpecParser, span};
use crate::diagnostic::suggest::did_you_mean;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;

/// Where a broken slice was found, which decides what it was meant to be.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Context {
    Declaration,
    EnvField,
    TableItem,
    Statement,
    VerifyStatement,
    TaskItem,
    SolutionStep,
}

impl Context {
    fn rule(self) -> Rule {
        match self {
            Context::Declaration => Rule::decl_only,
            Context::EnvField => Rule::env_field_only,
            Context::TableItem => Rule::table_item_only,
            Context::Statement => Rule::stmt_only,
            Context::VerifyStatement => Rule::verify_stmt_only,
            Context::TaskItem => Rule::task_item_only,
            Context::SolutionStep => Rule::solution_step_only,
        }
    }

    fn code(self) -> Code {
        match self {
            Context::Declaration => Code::InvalidDeclaration,
            Context::TableItem => Code::InvalidTableItem,
            Context::Statement | Context::VerifyStatement | Context::SolutionStep => {
                Code::InvalidStatement
            }
            Context::EnvField | Context::TaskItem => Code::SyntaxError,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Context::Declaration => "declaration",
            Context::EnvField => "env field",
            Context::TableItem => "column or table constraint",
            Context::Statement => "statement",
            Context::VerifyStatement => "verifier statement",
            Context::TaskItem => "part of a task",
            Context::SolutionStep => "solution step",
        }
    }

    /// The words that may start a slice of this kind, for "did you mean" on the first word.
    fn leading_words(self) -> &'static [&'static str] {
        match self {
            Context::Declaration => &["env", "enum", "table", "seed", "tool", "task"],
            Context::TableItem => &["unique", "index", "check"],
            Context::Statement => &[
                "let", "require", "for", "if", "return", "insert", "update", "delete", "upsert",
            ],
            Context::VerifyStatement => &["let", "expect"],
            Context::TaskItem => &["solution", "verify"],
            Context::SolutionStep => &["answer"],
            Context::EnvField => &["title", "description", "user", "clock"],
        }
    }

    fn help(self) -> &'static str {
        match self {
            Context::Declaration => {
                "a spec is a list of `env`, `enum`, `table`, `seed`, `tool` and `task` declarations"
            }
            Context::EnvField => {
                "env fields are `title: \"…\"`, `description: \"…\"`, `user: table(id)` and `clock: 2026-01-01T00:00:00Z`"
            }
            Context::TableItem => {
                "a column is `name: type` followed by any of `primary [auto]`, `unique`, `-> table.column`, `= default`, `check(condition)` and a description string; constraints are `unique (a, b)`, `index (a, b)` and `check(condition)`"
            }
            Context::Statement => {
                "statements are `let`, `require … else \"message\"`, `for … in … { }`, `if … { }`, `return …`, `insert`, `update`, `delete` and `upsert`"
            }
            Context::VerifyStatement => {
                "a verifier holds `let name = value` and `expect condition` lines"
            }
            Context::TaskItem => "a task holds a `solution { … }` block and a `verify { … }` block",
            Context::SolutionStep => {
                "a solution is a list of tool calls such as `get_product(product_id: 3)`, optionally ending with `answer \"…\"`"
            }
        }
    }
}

impl SpecParser {
    pub(crate) fn bad_decl(&mut self, pair: Pair<Rule>) {
        self.bad_line(pair, Context::Declaration);
    }

    /// Reports one slice swallowed by a catch-all rule.
    pub(crate) fn bad_line(&mut self, pair: Pair<Rule>, context: Context) {
        let whole = span(&pair);
        let text = pair.as_str();
        let trimmed = text.trim_end();
        let whole = Span::new(whole.start as usize, whole.start as usize + trimmed.len());
        let diagnostic =
            match super::with_error_detail(|| AwmParser::parse(context.rule(), trimmed)) {
                Err(error) => {
                    let what = context.what();
                    let mut diagnostic = pest_error(
                        trimmed,
                        whole.start,
                        &error,
                        context.code(),
                        &format!("this is not a valid {what}"),
                    );
                    if diagnostic.primary.span != whole {
                        diagnostic =
                            diagnostic.with_secondary(whole, format!("this {what} was skipped"));
                    }
                    diagnostic
                }
                // The slice is fine on its own but not where it stands (a statement in a table).
                Ok(_) => Diagnostic::new(
                    context.code(),
                    format!("this is not a valid {} here", context.what()),
                    whole,
                    "not allowed here",
                ),
            };
        let first_word: String = trimmed
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let diagnostic = diagnostic.or_help(specific_help(context, trimmed, &first_word));
        let suggestion = did_you_mean(&first_word, context.leading_words().iter().copied())
            .filter(|word| !first_word.is_empty() && *word != first_word)
            .map(|word| format!("did you mean `{word}`?"));
        let diagnostic = diagnostic
            .or_help(suggestion)
            .or_help(Some(context.help().to_string()));
        self.error(diagnostic);
    }
}

/// Help for the mistakes that have one obvious fix.
fn specific_help(context: Context, text: &str, first_word: &str) -> Option<String> {
    let help = if text.starts_with("```") {
        "this is a markdown code fence: the spec is only what is between the fences, so remove the ``` lines"
    } else if first_word == "expect" && matches!(context, Context::Statement) {
        "tools check conditions with `require condition else \"message\"`; `expect` belongs in a task's `verify` block"
    } else if matches!(first_word, "raise" | "throw" | "assert" | "error") {
        "to fail the call with a message, write `require condition else \"message\"`"
    } else if text.contains("+=") || text.contains("-=") {
        "to change a stored value, write `update row set { column: column + amount }`"
    } else if matches!(context, Context::SolutionStep | Context::Statement)
        && text.contains('=')
        && text.contains('(')
        && !text.contains("==")
    {
        "arguments are written `name: value`, e.g. `get_product(product_id: 3)`"
    } else if matches!(context, Context::TableItem)
        && matches!(
            first_word.to_ascii_lowercase().as_str(),
            "key" | "not" | "null" | "autoincrement" | "auto_increment" | "default" | "references"
        )
    {
        "SQL column options are written differently here: `id: int primary auto`, `name: text` (required unless `text?`), `stock: int = 0`, `user_id: int -> users.id`"
    } else if matches!(context, Context::TableItem)
        && (text.contains("varchar") || text.contains("VARCHAR"))
    {
        "columns are `name: type`: use `text` for strings (no length), `int`, `real`, `bool`, `datetime`, `date`"
    } else if matches!(context, Context::TableItem)
        && (text.contains("primary key")
            || text.contains("PRIMARY KEY")
            || text.contains("not null")
            || text.contains("NOT NULL"))
    {
        "write `id: int primary`; columns are required unless their type ends in `?`, so `not null` is not needed"
    } else {
        return None;
    };
    Some(help.to_string())
}

/// A pest error in `text` (which starts at `offset` in the source) as a diagnostic.
pub(crate) fn pest_error(
    text: &str,
    offset: u32,
    error: &Error<Rule>,
    code: Code,
    what: &str,
) -> Diagnostic {
    let reported = match error.location {
        InputLocation::Pos(position) => position,
        InputLocation::Span((start, _)) => start,
    };
    // The farthest point any alternative reached is where the writer went wrong (`env
    // airline:` fails at `:`, not at `env`).
    let position = error
        .parse_attempts()
        .map_or(reported, |attempts| attempts.max_position.max(reported));
    let position = position.min(text.len());
    let found = found_token(&text[position..]);
    let expected = expected(error);
    let start = offset as usize + position;
    let span = Span::new(
        start,
        start + found.len().max(usize::from(position < text.len())),
    );
    let found_text = if found.is_empty() {
        "the end of the line".to_string()
    } else if found.contains('`') {
        "a backquote".to_string()
    } else {
        format!("`{found}`")
    };
    let (message, label) = match expected {
        Some(expected) => (
            format!("{what}: expected {expected}, found {found_text}"),
            format!("expected {expected}"),
        ),
        None => (
            format!("{what}: unexpected {found_text}"),
            "unexpected here".to_string(),
        ),
    };
    Diagnostic::new(code, message, span, label)
}

/// The token at the start of `rest`: a word, a number, or one character.
fn found_token(rest: &str) -> &str {
    let word = rest
        .char_indices()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
        .last()
        .map_or(0, |(i, c)| i + c.len_utf8());
    if word > 0 {
        return &rest[..word];
    }
    match rest.chars().next() {
        Some(c) if !c.is_whitespace() => &rest[..c.len_utf8()],
        _ => "",
    }
}

/// What pest expected, in words: literal tokens in backquotes, rules by their user name.
fn expected(error: &Error<Rule>) -> Option<String> {
    let mut items: Vec<String> = Vec::new();
    if let Some(attempts) = error.parse_attempts() {
        for token in attempts.expected_tokens() {
            // Ranges (`a..z`) and built-in rules print as such; only literal tokens help.
            let token = token.to_string();
            // `//` (a comment may start anywhere) and `_` (an identifier's first character)
            // are always possible and never what the writer meant.
            // Single letters come from the grammar's one-character lookaheads.
            let single_letter = token.len() == 1 && token.chars().all(|c| c.is_ascii_lowercase());
            let literal = !token.is_empty()
                && !token.contains("..")
                && !single_letter
                && !matches!(token.as_str(), "BUILTIN_RULE" | "//" | "_");
            if literal && !token.trim().is_empty() {
                push_unique(&mut items, format!("`{token}`"));
            }
        }
        for stack in attempts.call_stacks() {
            if let Some(name) = stack.deepest.get_rule().and_then(|rule| rule_name(*rule)) {
                push_unique(&mut items, name.to_string());
            }
        }
    }
    if let pest::error::ErrorVariant::ParsingError { positives, .. } = &error.variant {
        for rule in positives {
            if let Some(name) = rule_name(*rule) {
                push_unique(&mut items, name.to_string());
            }
        }
    }
    // Operators are always possible after an operand: say "an operator" once. When a rule
    // name says it better ("an expression"), drop long lists of literal first tokens.
    const OPERATORS: &[&str] = &[
        "`%`",
        "`*`",
        "`+`",
        "`-`",
        "`.`",
        "`/`",
        "`==`",
        "`!=`",
        "`<`",
        "`>`",
        "`<=`",
        "`>=`",
        "`??`",
        "`and`",
        "`or`",
        "`between`",
        "`contains`",
        "`in`",
        "`not`",
        "`starts_with`",
        "`ends_with`",
        "`mentions`",
    ];
    let had_operator = items.iter().any(|item| OPERATORS.contains(&item.as_str()));
    items.retain(|item| !OPERATORS.contains(&item.as_str()));
    let literals = items.iter().filter(|item| item.starts_with('`')).count();
    let rules = items.len() - literals;
    if rules > 0 && literals > 4 {
        items.retain(|item| {
            !item.starts_with('`') || matches!(item.as_str(), "`)`" | "`]`" | "`}`")
        });
    }
    items.sort_by_key(|item| !item.starts_with('`'));
    items.truncate(9);
    if had_operator {
        items.push("an operator".to_string());
    }
    match items.len() {
        0 => None,
        1 => Some(items.remove(0)),
        n => {
            let last = items.remove(n - 1);
            Some(format!("{} or {last}", items.join(", ")))
        }
    }
}

fn push_unique(items: &mut Vec<String>, item: String) {
    if !items.contains(&item) {
        items.push(item);
    }
}

/// The name of a rule as a user would say it, or `None` for rules too internal to name.
fn rule_name(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        ident | name_or_call => "a name",
        string | string_inner => "a string",
        type_expr | named_type | list_type | record_type => "a type",
        expr | value | chain | filter | arith | comparison | operand | postfix | paren => {
            "an expression"
        }
        int_lit | real_lit => "a number",
        record => "a record `{ … }`",
        block => "a block `{ … }`",
        column_list => "a column list `(a, b)`",
        param => "a parameter",
        column_decl => "a column",
        env_decl | enum_decl | table_decl | seed_decl | tool_decl | task_decl => "a declaration",
        KW_ENV => "`env`",
        KW_ENUM => "`enum`",
        KW_TABLE => "`table`",
        KW_SEED => "`seed`",
        KW_TOOL => "`tool`",
        KW_TASK => "`task`",
        KW_ELSE => "`else`",
        KW_SET => "`set`",
        KW_IN => "`in`",
        KW_BY => "`by`",
        KW_AND => "`and`",
        KW_SOLUTION => "`solution`",
        KW_VERIFY => "`verify`",
        KW_ANSWER => "`answer`",
        KW_FROM => "`from`",
        seed_file => "`from \"file\"`",
        KW_EXPECT => "`expect`",
        let_stmt | require_stmt | for_stmt | if_stmt | return_stmt => "a statement",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn found_token_is_a_word_or_a_character() {
        assert_eq!(found_token("text rest"), "text");
        assert_eq!(found_token("{ a }"), "{");
        assert_eq!(found_token(""), "");
        assert_eq!(found_token("é9x"), "é9x");
    }
}
