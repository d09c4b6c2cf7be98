//! Seed rows from data files (`seed t from "path"`), part of the seed pass: each line of a
//! JSONL file or record of a CSV file is typed by its table's columns straight from the
//! file's cells (no expressions are built), then completed and checked with the inline
//! rows by `seed.rs`. Diagnostics about a file's rows name the file and line in their
//! message and point at the declaration's path string; at most [`REPORTS_PER_FILE`] are
//! reported per file, then one note counts the rest.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use awm_stdlib::Scalar;
use rayon::prelude::*;

use super::Checker;
use super::model::{ColumnInfo, EnumId, Model, RowOrigin, SeedFile, SeedRow, TableId};
use super::types::Ty;
use super::value::Value;
use crate::data_files::{self, Cell, Format, csv, jsonl};
use crate::diagnostic::suggest;
use crate::diagnostic::{Code, DataLine, Diagnostic};
use crate::span::Span;
use crate::syntax::ast::StrLit;

/// Diagnostics reported per data file before the rest are only counted.
pub const REPORTS_PER_FILE: usize = 20;

/// Lines typed in parallel at a time.
const CHUNK: usize = 4096;

/// The seed pass's bookkeeping.
#[derive(Debug, Default)]
pub(crate) struct Seeding {
    /// The largest value of each `auto` key so far, by (table, column).
    pub auto_keys: HashMap<(usize, usize), i64>,
    /// Diagnostics reported and held back, per data file.
    pub reports: Vec<FileReports>,
    /// Tables that may lack rows the spec meant them to have: a data file that could not
    /// be read, a malformed line, a row whose key could not be read. References into them
    /// (and the signed-in user's row) are not reported missing: they would be echoes.
    pub lost_rows: HashSet<usize>,
}

#[derive(Debug, Default)]
pub(crate) struct FileReports {
    reported: usize,
    held_back: BTreeMap<Code, usize>,
    /// The first and last lines of the rows held back.
    lines: Option<(usize, usize)>,
}

impl Checker<'_> {
    /// Reads the rows of one `seed … from` declaration into the table's seed.
    pub(super) fn seed_from_file(&mut self, table: TableId, columns: &[ColumnInfo], path: &StrLit) {
        let span = path.span;
        if let Some(problem) = data_files::path_problem(&path.value) {
            self.report(
                Diagnostic::new(
                    Code::InvalidSeedPath,
                    format!("`{}` cannot name a data file: {problem}", path.value),
                    span,
                    "not a valid data file path",
                )
                .with_help("name a `.jsonl` or `.csv` file in the spec's folder or below it, e.g. `seed orders from \"data/orders.jsonl\"`"),
            );
            self.seeding.lost_rows.insert(table.0);
            return;
        }
        let files = self.files;
        let text = match files.get(&path.value) {
            Ok(text) if text.len() > data_files::MAX_BYTES => Err(format!(
                "the file is {} MiB, more than the {} MiB a data file may have",
                text.len() / (1024 * 1024),
                data_files::MAX_BYTES / (1024 * 1024)
            )),
            Ok(text) => Ok(text),
            Err(reason) => Err(reason.to_string()),
        };
        let text = match text {
            Ok(text) => text,
            Err(reason) => {
                self.report(
                    Diagnostic::new(
                        Code::SeedFileUnreadable,
                        format!("cannot read the seed rows of `{}` from `{}`: {reason}", self.model.tables[table.0].name, path.value),
                        span,
                        "this file could not be read",
                    )
                    .with_help("put the file at this path, relative to the spec's folder, or write the rows inline: `seed t [ { … } ]`"),
                );
                // Its rows are missing: references to them would only echo this.
                self.seeding.lost_rows.insert(table.0);
                return;
            }
        };
        let file = self.model.seed_files.len();
        self.model.seed_files.push(SeedFile {
            path: path.value.clone(),
            table,
            span,
            rows: 0,
        });
        self.seeding.reports.push(FileReports::default());
        let rows = match Format::of(&path.value) {
            Some(Format::Csv) => self.csv_rows(table, columns, text, file, span),
            _ => self.jsonl_rows(table, columns, text, file, span),
        };
        self.model.seed_files[file].rows = rows;
    }

    fn jsonl_rows(
        &mut self,
        table: TableId,
        columns: &[ColumnInfo],
        text: &str,
        file: usize,
        span: Span,
    ) -> usize {
        let lines: Vec<(usize, &str)> = data_files::numbered_lines(text)
            .filter(|(_, content)| !content.trim().is_empty())
            .collect();
        let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        let mut count = 0;
        // Parsing and typing a line reads only the model: the lines of a chunk are done in
        // parallel, then added in order (chunks keep the memory in flight small).
        for chunk in lines.chunks(CHUNK) {
            let context = FileContext {
                model: &self.model,
                table,
                columns,
                names: &names,
                span,
                file,
                format: Format::Jsonl,
            };
            let rows: Vec<TypedRow> = chunk
                .par_iter()
                .with_min_len(512)
                .map(|&(line, content)| context.jsonl_line(line, content))
                .collect();
            count += self.take_rows(table, columns, rows);
        }
        count
    }

    fn csv_rows(
        &mut self,
        table: TableId,
        columns: &[ColumnInfo],
        text: &str,
        file: usize,
        span: Span,
    ) -> usize {
        let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        let context = FileContext {
            model: &self.model,
            table,
            columns,
            names: &names,
            span,
            file,
            format: Format::Csv,
        };
        let mut records = csv::records(text);
        let header = match records.next() {
            None => return 0,
            Some(Err(error)) => {
                let row = context.malformed_row(
                    error.line,
                    format!("the header row is not valid CSV: {}", error.message),
                );
                return self.take_rows(table, columns, vec![row]);
            }
            Some(Ok(record)) => record,
        };
        let (header, problems) = context.csv_header(&header);
        let records: Vec<Result<csv::Record, csv::Error>> = records.collect();
        let mut rows = vec![problems];
        rows.par_extend(
            records
                .into_par_iter()
                .with_min_len(512)
                .map(|record| match record {
                    Ok(record) => context.csv_record(&header, record),
                    Err(error) => context.malformed_row(error.line, error.message),
                }),
        );
        self.take_rows(table, columns, rows)
    }

    /// Reports what was wrong with each typed row, completes the rows and adds them to
    /// the table's seed; the number of rows added.
    fn take_rows(&mut self, table: TableId, columns: &[ColumnInfo], rows: Vec<TypedRow>) -> usize {
        let mut count = 0;
        for row in rows {
            for problem in row.problems {
                self.report_row(Some(row.origin), problem);
            }
            let Some(values) = row.values else {
                if row.lost {
                    self.seeding.lost_rows.insert(table.0);
                }
                continue;
            };
            let span = self.model.seed_files[row.origin.file].span;
            let (values, complete) =
                self.complete_row(table, columns, values, row.complete, span, Some(row.origin));
            // A row whose key could not be read (a wrong value, a misnamed column) is one
            // that rows elsewhere may have meant: do not report them as dangling.
            let primary = self.model.tables[table.0].primary_key;
            if !complete && primary.is_some_and(|pk| values[pk].is_null()) {
                self.seeding.lost_rows.insert(table.0);
            }
            self.push_seed_row(
                table,
                SeedRow {
                    values,
                    span,
                    complete,
                    origin: Some(row.origin),
                },
            );
            count += 1;
        }
        count
    }

    /// `retail/orders.jsonl:17`: where a row of a data file is.
    pub(super) fn row_place(&self, origin: RowOrigin) -> String {
        let path = self
            .model
            .seed_files
            .get(origin.file)
            .map_or("?", |f| f.path.as_str());
        format!("{path}:{}", origin.line)
    }

    /// Reports a diagnostic about a seed row: as it is for an inline row; for a row of a
    /// data file, with the file and line in front of the message, and only while the file
    /// has had fewer than [`REPORTS_PER_FILE`].
    pub(super) fn report_row(&mut self, origin: Option<RowOrigin>, mut diagnostic: Diagnostic) {
        let Some(origin) = origin else {
            self.report(diagnostic);
            return;
        };
        let Some(reports) = self.seeding.reports.get_mut(origin.file) else {
            self.report(diagnostic);
            return;
        };
        if reports.reported >= REPORTS_PER_FILE {
            *reports.held_back.entry(diagnostic.code).or_default() += 1;
            let (first, last) = reports.lines.get_or_insert((origin.line, origin.line));
            *first = (*first).min(origin.line);
            *last = (*last).max(origin.line);
            return;
        }
        reports.reported += 1;
        diagnostic.message = format!("{}: {}", self.row_place(origin), diagnostic.message);
        diagnostic.primary.message =
            format!("line {}: {}", origin.line, diagnostic.primary.message);
        diagnostic.data_line = self.model.seed_files.get(origin.file).map(|file| {
            Box::new(DataLine {
                path: file.path.clone(),
                line: origin.line,
            })
        });
        self.report(diagnostic);
    }

    /// One note per data file whose diagnostics were held back, counting them.
    pub(super) fn finish_seed_files(&mut self) {
        let reports = std::mem::take(&mut self.seeding.reports);
        for (file, report) in reports.iter().enumerate() {
            let held: usize = report.held_back.values().sum();
            if held == 0 {
                continue;
            }
            let Some(info) = self.model.seed_files.get(file) else {
                continue;
            };
            let mut counts: Vec<(&Code, &usize)> = report.held_back.iter().collect();
            counts.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let code = *counts[0].0;
            let listed: Vec<String> = counts
                .iter()
                .map(|(code, n)| format!("{} {} ×{n}", code.code(), code.name()))
                .collect();
            let plural = if held == 1 { "" } else { "s" };
            let (first, last) = report.lines.unwrap_or_default();
            let lines = if first == last {
                format!("line {first}")
            } else {
                format!("lines {first} to {last}")
            };
            let mut note = Diagnostic::new(
                code,
                format!(
                    "{}: {held} more problem{plural} on {lines} ({}); only the first {REPORTS_PER_FILE} of a file are reported",
                    info.path,
                    listed.join(", ")
                ),
                info.span,
                format!("{held} more problem{plural} in this file"),
            )
            .with_help("fix the problems above and check again: a mistake on every row is usually one mistake in whatever wrote the file");
            // Sorted after the problems it follows.
            note.data_line = Some(Box::new(DataLine {
                path: info.path.clone(),
                line: last,
            }));
            self.diagnostics.push(note);
        }
    }
}

/// What typing the rows of one data file needs: only reads, so lines are typed in
/// parallel.
struct FileContext<'c> {
    model: &'c Model,
    table: TableId,
    columns: &'c [ColumnInfo],
    names: &'c [&'c str],
    /// The declaration's path string.
    span: Span,
    file: usize,
    format: Format,
}

/// One line or record of a data file, typed, with its diagnostics (not yet reported).
struct TypedRow {
    origin: RowOrigin,
    /// The values by column (`None` where not given), or `None` for no row at all.
    values: Option<Vec<Option<Value>>>,
    complete: bool,
    /// Whether a row was lost to a malformed line (references to it would dangle).
    lost: bool,
    problems: Vec<Diagnostic>,
}

/// The header of a CSV file: which column each field fills (`None` for a name the table
/// does not have, or one given twice), and whether any name was unknown.
struct CsvHeader {
    targets: Vec<Option<usize>>,
    broken: bool,
}

impl FileContext<'_> {
    fn row(&self, line: usize) -> TypedRow {
        TypedRow {
            origin: RowOrigin {
                file: self.file,
                line,
            },
            values: None,
            complete: true,
            lost: false,
            problems: Vec::new(),
        }
    }

    fn jsonl_line(&self, line: usize, content: &str) -> TypedRow {
        let cells = match jsonl::parse_line(content, self.names) {
            Ok(cells) => cells,
            Err(message) => return self.malformed_row(line, message),
        };
        let mut row = self.row(line);
        let mut values = vec![None; self.columns.len()];
        for (key, cell) in cells {
            match key {
                jsonl::Key::Column(index) => {
                    if values[index].is_some() {
                        let name = self.names[index];
                        row.problems.push(
                            Diagnostic::new(
                                Code::DuplicateField,
                                format!("field `{name}` is given twice"),
                                self.span,
                                format!("`{name}` is given twice"),
                            )
                            .with_help("remove one of them"),
                        );
                        continue;
                    }
                    self.cell(&mut row, &mut values, index, cell);
                }
                jsonl::Key::Unknown(name) => {
                    row.problems.push(self.unknown_column(&name));
                    row.complete = false;
                }
            }
        }
        row.values = Some(values);
        row
    }

    fn csv_header(&self, header: &csv::Record) -> (CsvHeader, TypedRow) {
        let mut row = self.row(header.line);
        let mut targets: Vec<Option<usize>> = Vec::with_capacity(header.fields.len());
        let mut broken = false;
        for field in &header.fields {
            let name = field.text.trim();
            match self.names.iter().position(|n| *n == name) {
                Some(index) if targets.contains(&Some(index)) => {
                    row.problems.push(
                        Diagnostic::new(
                            Code::DuplicateField,
                            format!("the header names column `{name}` twice"),
                            self.span,
                            format!("`{name}` is given twice"),
                        )
                        .with_help("remove one of the two columns"),
                    );
                    targets.push(None);
                }
                Some(index) => targets.push(Some(index)),
                None => {
                    row.problems.push(self.unknown_column(name));
                    targets.push(None);
                    broken = true;
                }
            }
        }
        (CsvHeader { targets, broken }, row)
    }

    fn csv_record(&self, header: &CsvHeader, record: csv::Record) -> TypedRow {
        let line = record.line;
        if record.fields.len() != header.targets.len() {
            return self.malformed_row(
                line,
                format!(
                    "the record has {} fields, but the header names {} columns",
                    record.fields.len(),
                    header.targets.len()
                ),
            );
        }
        let mut row = self.row(line);
        row.complete = !header.broken;
        let mut values = vec![None; self.columns.len()];
        for (field, target) in record.fields.into_iter().zip(&header.targets) {
            let Some(index) = *target else {
                continue;
            };
            // An empty field without quotes is no value: the default, or null.
            if field.text.is_empty() && !field.quoted {
                continue;
            }
            self.cell(&mut row, &mut values, index, Cell::Field(field.text));
        }
        row.values = Some(values);
        row
    }

    /// Types one cell by its column and stores it, or records why it does not fit.
    fn cell(&self, row: &mut TypedRow, values: &mut [Option<Value>], index: usize, cell: Cell) {
        let column = &self.columns[index];
        match self.cell_value(&cell, &column.ty) {
            Ok(value) => values[index] = Some(value),
            Err(problem) => {
                row.complete = false;
                row.problems
                    .push(self.cell_diagnostic(problem, &cell, column));
            }
        }
    }

    /// A line that is not a row: no values, one diagnostic.
    fn malformed_row(&self, line: usize, message: String) -> TypedRow {
        let help = match self.format {
            Format::Csv => {
                "write a header row of column names, then one record per line with as many comma-separated fields; quote fields holding commas, quotes or line breaks (\"a \"\"b\"\", c\")"
            }
            Format::Jsonl => {
                "write one JSON object per line, column name to value: {\"id\": 1, \"name\": \"Ada\"}"
            }
        };
        let mut row = self.row(line);
        row.lost = true;
        row.problems.push(
            Diagnostic::new(Code::MalformedSeedFile, message, self.span, "not a row")
                .with_help(help),
        );
        row
    }

    /// A column name in a data file that the table does not have.
    fn unknown_column(&self, name: &str) -> Diagnostic {
        let info = &self.model.tables[self.table.0];
        let help = suggest::help_for(name, "column", info.columns.iter().map(|c| c.name.as_str()));
        Diagnostic::new(
            Code::UnknownColumn,
            format!("table `{}` has no column `{name}`", info.name),
            self.span,
            format!("`{name}` is not a column of `{}`", info.name),
        )
        .or_help(help)
    }

    fn cell_value(&self, cell: &Cell, ty: &Ty) -> Result<Value, Problem> {
        let base = ty.required().unref();
        let csv = matches!(cell, Cell::Field(_));
        let text = match cell {
            Cell::Null => {
                return if ty.is_optional() {
                    Ok(Value::Null)
                } else {
                    Err(Problem::Null)
                };
            }
            Cell::Bool(b) => {
                return match base {
                    Ty::Scalar(Scalar::Bool) => Ok(Value::Bool(*b)),
                    _ => Err(Problem::Type("bool")),
                };
            }
            Cell::Int(i) => {
                return match base {
                    Ty::Scalar(Scalar::Int) => Ok(Value::Int(*i)),
                    Ty::Scalar(Scalar::Real) => Ok(Value::Real(*i as f64)),
                    _ => Err(Problem::Type("int")),
                };
            }
            Cell::BigInt => return Err(Problem::TooLarge),
            Cell::Real(r) => {
                return match base {
                    Ty::Scalar(Scalar::Real) => Ok(Value::Real(*r)),
                    _ => Err(Problem::Type("real")),
                };
            }
            Cell::Nested(what) => return Err(Problem::Type(what)),
            Cell::Str(text) | Cell::Field(text) => text.as_ref(),
        };
        match base {
            Ty::Scalar(Scalar::Text) => Ok(Value::Text(text.to_string())),
            Ty::Scalar(Scalar::DateTime) => datetime_text(text)
                .map(Value::DateTime)
                .ok_or(Problem::Format),
            Ty::Scalar(Scalar::Date) => date_text(text).map(Value::Date).ok_or(Problem::Format),
            Ty::Enum(id) => {
                if self.model.enums[id.0].members.iter().any(|m| m == text) {
                    Ok(Value::Enum(text.to_string()))
                } else {
                    Err(Problem::NotAMember(*id))
                }
            }
            // In CSV every field is text: numbers and booleans are read from it.
            Ty::Scalar(Scalar::Int) if csv => match text.parse::<i64>() {
                Ok(i) => Ok(Value::Int(i)),
                Err(_)
                    if !text.is_empty()
                        && text.bytes().all(|b| b.is_ascii_digit() || b == b'-') =>
                {
                    Err(Problem::TooLarge)
                }
                Err(_) => Err(Problem::Format),
            },
            Ty::Scalar(Scalar::Real) if csv => match text.parse::<f64>() {
                Ok(r) if r.is_finite() && text.bytes().any(|b| b.is_ascii_digit()) => {
                    Ok(Value::Real(r))
                }
                _ => Err(Problem::Format),
            },
            Ty::Scalar(Scalar::Bool) if csv => match text {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                _ => Err(Problem::Format),
            },
            _ => Err(Problem::Type("text")),
        }
    }

    fn cell_diagnostic(&self, problem: Problem, cell: &Cell, column: &ColumnInfo) -> Diagnostic {
        let span = self.span;
        let table_name = &self.model.tables[self.table.0].name;
        let name = &column.name;
        let expected = column.ty.required().display(self.model);
        let base = column.ty.required().unref();
        let csv = matches!(cell, Cell::Field(_));
        let shown = show_cell(cell);
        match problem {
            Problem::Null => Diagnostic::new(
                Code::SeedMissingColumn,
                format!(
                    "column `{name}` of `{table_name}` is required, but this row sets it to null"
                ),
                span,
                "null in a required column",
            )
            .with_help(format!(
                "give `{name}` a value, or declare it optional with `?`"
            )),
            Problem::TooLarge => Diagnostic::new(
                Code::InvalidLiteral,
                format!(
                    "column `{name}` of `{table_name}`: {shown} does not fit in a 64-bit integer"
                ),
                span,
                "integer too large",
            )
            .with_help("use a number between -9223372036854775808 and 9223372036854775807"),
            Problem::NotAMember(id) => {
                let info = &self.model.enums[id.0];
                let text = match cell {
                    Cell::Str(t) | Cell::Field(t) => t.as_ref(),
                    _ => "",
                };
                Diagnostic::new(
                    Code::UnknownEnumMember,
                    format!(
                        "column `{name}` of `{table_name}`: `{text}` is not a member of `{}`",
                        info.name
                    ),
                    span,
                    format!("not a member of `{}`", info.name),
                )
                .or_help(suggest::help_for(
                    text,
                    "member",
                    info.members.iter().map(String::as_str),
                ))
            }
            Problem::Format | Problem::Type(_) => {
                let found = match problem {
                    Problem::Type(found) => found,
                    _ => "text",
                };
                let help = match base {
                    Ty::Scalar(Scalar::DateTime) => {
                        "write datetimes as ISO text in UTC: 2026-03-14T09:30:00Z"
                    }
                    Ty::Scalar(Scalar::Date) => "write dates as ISO text: 2026-03-14",
                    Ty::Scalar(Scalar::Int) if found == "real" => {
                        "an `int` cannot hold a fraction; use a whole number"
                    }
                    Ty::Scalar(Scalar::Int | Scalar::Real) if csv => {
                        "write a number such as 42 or 4.5"
                    }
                    Ty::Scalar(Scalar::Int | Scalar::Real) => {
                        "write numbers without quotes: \"price\": 4.5"
                    }
                    Ty::Scalar(Scalar::Bool) if csv => "write `true` or `false`",
                    Ty::Scalar(Scalar::Bool) => "write `true` or `false` without quotes",
                    Ty::Scalar(Scalar::Text) if found == "a list" || found == "an object" => {
                        "a column holds one value; rows of a list belong in a table of their own"
                    }
                    Ty::Scalar(Scalar::Text) => {
                        "put the value in double quotes: JSON text is a string"
                    }
                    Ty::Enum(_) => "write the member's name as a string",
                    _ => "give the column a value of its type",
                };
                let found_text = match (problem, cell) {
                    (Problem::Format, _) => shown,
                    (_, Cell::Nested(what)) => (*what).to_string(),
                    _ => format!("`{found}` {shown}"),
                };
                Diagnostic::new(
                    Code::TypeMismatch,
                    format!(
                        "column `{name}` of `{table_name}` must be `{expected}`, found {found_text}"
                    ),
                    span,
                    format!("`{name}` is not `{expected}`"),
                )
                .with_help(help)
            }
        }
    }
}

/// Why a cell does not fit its column.
#[derive(Debug, Clone, Copy)]
enum Problem {
    /// `null` in a required column.
    Null,
    /// A value of another type (what it is).
    Type(&'static str),
    /// Text that does not spell a value of the column's type.
    Format,
    TooLarge,
    NotAMember(EnumId),
}

/// A cell as a diagnostic quotes it (long text shortened).
fn show_cell(cell: &Cell) -> String {
    let text: Cow<str> = match cell {
        Cell::Null => return "null".into(),
        Cell::Bool(b) => return b.to_string(),
        Cell::Int(i) => return i.to_string(),
        Cell::BigInt => return "the number".into(),
        Cell::Real(r) => return r.to_string(),
        Cell::Nested(what) => return (*what).to_string(),
        Cell::Str(text) | Cell::Field(text) => Cow::Borrowed(text.as_ref()),
    };
    let short: String = text.chars().take(40).collect();
    let ellipsis = if short.len() < text.len() { "…" } else { "" };
    format!("{:?}", format!("{short}{ellipsis}"))
}

/// A datetime written as ISO text in UTC (`2026-03-14T09:30:00Z`, seconds and `Z`
/// optional), in canonical form. Checked by position: it runs once per cell.
fn datetime_text(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let bytes = bytes.strip_suffix(b"Z").unwrap_or(bytes);
    let shaped = |pattern: &[u8]| {
        bytes.len() == pattern.len()
            && bytes.iter().zip(pattern).all(|(b, p)| match p {
                b'9' => b.is_ascii_digit(),
                other => b == other,
            })
    };
    if !(shaped(b"9999-99-99T99:99:99") || shaped(b"9999-99-99T99:99")) {
        return None;
    }
    let number = |at: usize| u32::from(bytes[at] - b'0') * 10 + u32::from(bytes[at + 1] - b'0');
    let second = if bytes.len() == 19 { number(17) } else { 0 };
    if !valid_day(bytes) || number(11) > 23 || number(14) > 59 || second > 59 {
        return None;
    }
    let mut canonical = String::with_capacity(20);
    canonical.push_str(&text[..16]);
    canonical.push(':');
    canonical.push(char::from(b'0' + (second / 10) as u8));
    canonical.push(char::from(b'0' + (second % 10) as u8));
    canonical.push('Z');
    Some(canonical)
}

/// A date written as ISO text (`2026-03-14`).
fn date_text(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    (shaped && valid_day(bytes)).then(|| text.to_string())
}

/// Whether `YYYY-MM-DD` at the start of `bytes` (digits already checked) is a real day.
fn valid_day(bytes: &[u8]) -> bool {
    let digits = |range: std::ops::Range<usize>| {
        bytes[range]
            .iter()
            .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'))
    };
    let (year, month, day) = (digits(0..4), digits(5..7), digits(8..10));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_and_dates_must_be_iso_text() {
        assert_eq!(
            datetime_text("2026-03-14T09:30:00Z").as_deref(),
            Some("2026-03-14T09:30:00Z")
        );
        assert_eq!(
            datetime_text("2026-03-14T09:30").as_deref(),
            Some("2026-03-14T09:30:00Z")
        );
        for bad in [
            "2026-03-14",
            "2026-3-14T09:30:00Z",
            "2026-02-30T00:00:00Z",
            "2026-03-14T25:00:00Z",
            "2026-03-14T09:30:00+01:00",
            "yesterday",
        ] {
            assert_eq!(datetime_text(bad), None, "{bad}");
        }
        assert_eq!(date_text("2024-02-29").as_deref(), Some("2024-02-29"));
        for bad in [
            "2023-02-29",
            "2026-03-14T00:00:00Z",
            "14/03/2026",
            "2026-3-4",
        ] {
            assert_eq!(date_text(bad), None, "{bad}");
        }
    }
}
