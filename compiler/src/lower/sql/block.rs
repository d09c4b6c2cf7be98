//! Lists inside a statement: a query's source and clauses become one `SELECT` (a
//! [`Block`]), which is then the whole statement (a tool's list of rows), a nested JSON
//! list (`json_group_array` in a correlated sub-select), an aggregate (`count(*)`,
//! `awm_sum`, `EXISTS`, …) or the values of an `in`.
//!
//! Clauses apply in order. A `where` or `order by` after a `select` reads the selected
//! fields, which are expressions over the same rows, so it stays in the same `SELECT`; a
//! `where` after `group by … select` is a `HAVING`. Only a clause after `limit`/`offset`
//! (or a second `group by`) needs the rows so far as a sub-select, which carries their
//! order along as columns: the order of a list never depends on how SQLite plans it.
//! Every list has a total order: its `order by` keys, then its rows' primary keys (a
//! table), positions (a list the body holds) or group keys (`group by`).

use awm_runtime::session::quote;

use super::val::{Json, Val, is_scalar};
use super::{Compiled, Db, Group, SqlCx};
use crate::check::model::TableId;
use crate::check::resolution::NameRes;
use crate::check::types::Ty;
use crate::syntax::ast::{self, ClauseKind, ExprKind};

/// One `SELECT` being built.
#[derive(Debug, Clone)]
pub(super) struct Block {
    from: String,
    wheres: Vec<String>,
    group: Vec<String>,
    grouped: bool,
    havings: Vec<String>,
    /// `order by` keys, the first most significant, and whether each is descending.
    order: Vec<(String, bool)>,
    /// What orders rows the keys leave tied.
    tiebreak: Vec<String>,
    limit: Option<String>,
    offset: Option<String>,
    element: Val,
}

impl Block {
    fn limited(&self) -> bool {
        self.limit.is_some() || self.offset.is_some()
    }

    fn order_by(&self) -> Vec<String> {
        let keys = self.order.iter().map(|(key, descending)| {
            if *descending {
                format!("{key} DESC")
            } else {
                key.clone()
            }
        });
        // A tiebreak already among the keys breaks no tie.
        let tiebreak = self
            .tiebreak
            .iter()
            .filter(|t| !self.order.iter().any(|(key, _)| key == *t))
            .cloned();
        keys.chain(tiebreak).collect()
    }
}

impl SqlCx<'_, '_> {
    /// The `SELECT` of `columns` over a block, with every clause it has.
    fn select(&self, block: &Block, columns: &str) -> String {
        let mut sql = format!("SELECT {columns} FROM {}", block.from);
        if !block.wheres.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&block.wheres.join(" AND "));
        }
        if !block.group.is_empty() {
            sql.push_str(" GROUP BY ");
            sql.push_str(&block.group.join(", "));
        }
        if !block.havings.is_empty() {
            sql.push_str(" HAVING ");
            sql.push_str(&block.havings.join(" AND "));
        }
        let order = block.order_by();
        if !order.is_empty() {
            sql.push_str(" ORDER BY ");
            sql.push_str(&order.join(", "));
        }
        match (&block.limit, &block.offset) {
            (Some(limit), Some(offset)) => sql.push_str(&format!(" LIMIT {limit} OFFSET {offset}")),
            (Some(limit), None) => sql.push_str(&format!(" LIMIT {limit}")),
            (None, Some(offset)) => sql.push_str(&format!(" LIMIT -1 OFFSET {offset}")),
            (None, None) => {}
        }
        sql
    }

    /// The columns of a top-level element, as the runtime reads them (by its shape): a
    /// row's columns, a record's fields, or one.
    pub(super) fn layout(&mut self, element: &Val) -> Compiled<Vec<String>> {
        let span = crate::span::Span::new(0, 0);
        let names: Vec<String> = match element {
            Val::Row { table, alias, .. } => {
                return Ok(self.lowerer.model.tables[table.0]
                    .columns
                    .iter()
                    .map(|c| format!("{alias}.{}", quote(&c.name)))
                    .collect());
            }
            Val::Record(fields) => {
                return Ok(fields.iter().map(|(_, value)| self.flat(value)).collect());
            }
            Val::Lookup { table, .. } => self.column_names(*table),
            Val::Sql { ty, json, .. } if *json != Json::No => match ty.required() {
                Ty::Row(table) => self.column_names(*table),
                Ty::Record(fields) => fields.iter().map(|(name, _)| name.clone()).collect(),
                _ => return Ok(vec![self.flat(element)]),
            },
            Val::Sql { .. } | Val::Nav { .. } => return Ok(vec![self.flat(element)]),
        };
        names
            .iter()
            .map(|name| {
                let field = self.field(element, name, span)?;
                Ok(self.flat(&field))
            })
            .collect()
    }

    fn column_names(&self, table: TableId) -> Vec<String> {
        self.lowerer.model.tables[table.0]
            .columns
            .iter()
            .map(|c| c.name.clone())
            .collect()
    }

    /// A block as the whole statement: one result row per element.
    pub(super) fn rows(&mut self, block: Block) -> Compiled<String> {
        let columns = self.layout(&block.element)?.join(", ");
        Ok(self.select(&block, &columns))
    }

    /// A list-typed expression as a block.
    pub(super) fn block(&mut self, expr: &ast::Expr) -> Compiled<Block> {
        let expr = expr.unparen();
        if let ExprKind::Query { source, clauses } = &expr.kind {
            let block = self.source(source)?;
            return self.clauses(block, clauses);
        }
        if !self.is_free(expr) {
            match &expr.kind {
                ExprKind::Name(name) => {
                    if let Some(NameRes::Table(table)) =
                        self.lowerer.resolutions.names.get(&name.span)
                    {
                        return Ok(self.table(*table, Db::Main));
                    }
                    if let Some(value) = self.lowerer.inlined(name).cloned() {
                        return self.block(&value);
                    }
                }
                ExprKind::Field { receiver, name } => {
                    if let Some(db) = self.state_of(receiver) {
                        let table = self.lowerer.table_id(&name.name);
                        return Ok(self.table(table, db));
                    }
                    if matches!(self.ty(receiver).required(), Ty::List(_)) {
                        let mut block = self.block(receiver)?;
                        block.element = self.field(&block.element, &name.name, name.span)?;
                        return Ok(block);
                    }
                }
                _ => {}
            }
        }
        // A list the body holds (bound as JSON), or one computed in SQL.
        let element = match self.ty(expr).required() {
            Ty::List(element) => (**element).clone(),
            other => other.clone(),
        };
        let list = self.sql(expr)?;
        let list = self.flat(&list);
        Ok(self.json_each(&list, element))
    }

    /// Every row of a table.
    fn table(&mut self, table: TableId, db: Db) -> Block {
        let alias = self.alias();
        let db = self.db(db);
        let info = &self.lowerer.model.tables[table.0];
        let key = quote(&info.columns[info.primary_key.unwrap_or(0)].name);
        Block {
            from: format!("{} AS {alias}", self.qualified(table, db)),
            wheres: Vec::new(),
            group: Vec::new(),
            grouped: false,
            havings: Vec::new(),
            order: Vec::new(),
            tiebreak: vec![format!("{alias}.{key}")],
            limit: None,
            offset: None,
            element: Val::Row { table, alias, db },
        }
    }

    /// The elements of a JSON list, in order.
    fn json_each(&mut self, list: &str, element: Ty) -> Block {
        let alias = self.alias();
        let value = format!("{alias}.value");
        let element = if is_scalar(&element) {
            Val::scalar(value, element, Db::Main)
        } else {
            Val::Sql {
                sql: value,
                ty: element,
                json: Json::Text,
                db: Db::Main,
            }
        };
        Block {
            from: format!("json_each({list}) AS {alias}"),
            wheres: Vec::new(),
            group: Vec::new(),
            grouped: false,
            havings: Vec::new(),
            order: Vec::new(),
            tiebreak: vec![format!("{alias}.key")],
            limit: None,
            offset: None,
            element,
        }
    }

    /// A query's source: a table, a list, or one optional row (`orders(id) where …`).
    fn source(&mut self, source: &ast::Expr) -> Compiled<Block> {
        let ty = self.ty(source);
        let Ty::Optional(inner) = &ty else {
            return self.block(source);
        };
        let lookup = match &source.unparen().kind {
            ExprKind::Call { callee, args } => self
                .lowerer
                .model
                .table(&callee.name)
                .map(|table| (table, Db::Main, args.first().map(|a| &a.value))),
            ExprKind::Method {
                receiver,
                name,
                args,
            } => self.state_of(receiver).map(|db| {
                (
                    self.lowerer.table_id(&name.name),
                    db,
                    args.first().map(|a| &a.value),
                )
            }),
            _ => None,
        };
        if let Some((table, db, Some(key))) = lookup {
            let key = self.scalar(key)?;
            let mut block = self.table(table, db);
            let Val::Row { alias, .. } = &block.element else {
                return Self::unsupported(source.span, "a lookup");
            };
            let info = &self.lowerer.model.tables[table.0];
            let pk = quote(&info.columns[info.primary_key.unwrap_or(0)].name);
            block.wheres.push(format!("{alias}.{pk} = {key}"));
            return Ok(block);
        }
        // An optional row the body or the statement holds: a list of it, or of nothing.
        let row = self.sql(source)?;
        let row = self.nested(&row);
        let mut block = self.json_each(&format!("json_array({row})"), (**inner).clone());
        if let Val::Sql { sql, .. } = &block.element {
            block.wheres.push(format!("{sql} IS NOT NULL"));
        }
        Ok(block)
    }

    /// Applies a query's clauses, in order.
    fn clauses(&mut self, mut block: Block, clauses: &[ast::Clause]) -> Compiled<Block> {
        // `limit n offset m` means what it means in SQL: skip m, then take n. Clauses
        // apply in order, so the pair is read as `offset m`, `limit n`.
        let mut ordered: Vec<&ast::Clause> = clauses.iter().collect();
        for index in 1..ordered.len() {
            if matches!(
                (&ordered[index - 1].kind, &ordered[index].kind),
                (ClauseKind::Limit(_), ClauseKind::Offset(_))
            ) {
                ordered.swap(index - 1, index);
            }
        }
        let clauses = ordered;
        let mut index = 0;
        while index < clauses.len() {
            let clause = clauses[index];
            match &clause.kind {
                ClauseKind::Where(condition) => {
                    if block.limited() {
                        block = self.wrap(block)?;
                    }
                    self.scopes.push(block.element.clone());
                    let condition = self.scalar(condition);
                    self.scopes.pop();
                    if block.grouped {
                        block.havings.push(condition?);
                    } else {
                        block.wheres.push(condition?);
                    }
                }
                ClauseKind::OrderBy(keys) => {
                    if block.limited() {
                        block = self.wrap(block)?;
                    }
                    self.scopes.push(block.element.clone());
                    let ordered = self.order_keys(keys);
                    self.scopes.pop();
                    // A later sort is stable: the earlier order breaks its ties.
                    let mut order = ordered?;
                    order.append(&mut block.order);
                    block.order = order;
                }
                ClauseKind::Limit(count) => {
                    if block.limit.is_some() {
                        block = self.wrap(block)?;
                    }
                    block.limit = Some(self.scalar(count)?);
                }
                ClauseKind::Offset(count) => {
                    if block.limited() {
                        block = self.wrap(block)?;
                    }
                    block.offset = Some(self.scalar(count)?);
                }
                ClauseKind::GroupBy(keys) => {
                    let Some(select) = clauses
                        .get(index + 1)
                        .filter(|c| matches!(c.kind, ClauseKind::Select(_)))
                    else {
                        return Self::unsupported(clause.span, "`group by` without `select`");
                    };
                    let ClauseKind::Select(projection) = &select.kind else {
                        return Self::unsupported(clause.span, "`group by` without `select`");
                    };
                    index += 1;
                    block = self.group(block, keys, select.span, projection)?;
                }
                ClauseKind::Select(projection) => {
                    self.scopes.push(block.element.clone());
                    let element = self.sql(projection);
                    self.scopes.pop();
                    block.element = element?;
                }
            }
            index += 1;
        }
        Ok(block)
    }

    fn order_keys(&mut self, keys: &[ast::OrderKey]) -> Compiled<Vec<(String, bool)>> {
        keys.iter()
            .map(|key| {
                let mut sql = self.scalar(&key.key)?;
                if let Ty::Enum(id) = self.ty(&key.key).required().unref() {
                    // Enums sort in declaration order.
                    let cases: Vec<String> = self.lowerer.model.enums[id.0]
                        .members
                        .iter()
                        .enumerate()
                        .map(|(rank, member)| format!("WHEN '{member}' THEN {rank}"))
                        .collect();
                    sql = format!("(CASE {sql} {} END)", cases.join(" "));
                }
                Ok((sql, key.descending))
            })
            .collect()
    }

    /// `group by keys select projection`.
    fn group(
        &mut self,
        mut block: Block,
        keys: &[ast::GroupKey],
        select: crate::span::Span,
        projection: &ast::Expr,
    ) -> Compiled<Block> {
        if block.grouped || block.limited() {
            block = self.wrap(block)?;
        }
        self.scopes.push(block.element.clone());
        let mut named = Vec::new();
        for key in keys {
            let name = match (&key.name, &key.key.unparen().kind) {
                (Some(name), _) => name.name.clone(),
                (None, ExprKind::Name(name)) | (None, ExprKind::Field { name, .. }) => {
                    name.name.clone()
                }
                _ => String::new(),
            };
            match self.sql(&key.key) {
                Ok(value) => named.push((name, value)),
                Err(error) => {
                    self.scopes.pop();
                    return Err(error);
                }
            }
        }
        self.scopes.pop();
        let mut group_sql = Vec::new();
        for (_, value) in &named {
            group_sql.push(self.scalar_sql(value, select)?);
        }
        self.groups.push(Group {
            select,
            keys: named,
            rows: block.element.clone(),
        });
        let element = self.sql(projection);
        self.groups.pop();
        block.element = element?;
        // Groups come out in the order of their keys.
        block.order.clear();
        block.tiebreak = group_sql.clone();
        block.group = group_sql;
        block.grouped = true;
        Ok(block)
    }

    /// The rows so far as a sub-select, for clauses that must come after its `limit`.
    fn wrap(&mut self, block: Block) -> Compiled<Block> {
        let alias = self.alias();
        let mut columns = Vec::new();
        let element = self.export(&block.element, &alias, &mut columns);
        let order = block
            .order
            .iter()
            .enumerate()
            .map(|(i, (sql, descending))| {
                columns.push(format!("{sql} AS \"#o{i}\""));
                (format!("{alias}.\"#o{i}\""), *descending)
            })
            .collect();
        let tiebreak = block
            .tiebreak
            .iter()
            .enumerate()
            .map(|(i, sql)| {
                columns.push(format!("{sql} AS \"#t{i}\""));
                format!("{alias}.\"#t{i}\"")
            })
            .collect();
        let inner = self.select(&block, &columns.join(", "));
        Ok(Block {
            from: format!("({inner}) AS {alias}"),
            wheres: Vec::new(),
            group: Vec::new(),
            grouped: false,
            havings: Vec::new(),
            order,
            tiebreak,
            limit: None,
            offset: None,
            element,
        })
    }

    /// An element as columns of a sub-select `alias`, and the element read back from them.
    fn export(&self, element: &Val, alias: &str, columns: &mut Vec<String>) -> Val {
        match element {
            Val::Row {
                table,
                alias: inner,
                db,
            } => {
                for column in &self.lowerer.model.tables[table.0].columns {
                    let name = quote(&column.name);
                    columns.push(format!("{inner}.{name} AS {name}"));
                }
                Val::Row {
                    table: *table,
                    alias: alias.to_string(),
                    db: *db,
                }
            }
            Val::Record(fields) => Val::Record(
                fields
                    .iter()
                    .map(|(name, value)| (name.clone(), self.export(value, alias, columns)))
                    .collect(),
            ),
            Val::Sql { sql, ty, json, db } => {
                let name = format!("\"#e{}\"", columns.len());
                columns.push(format!("{sql} AS {name}"));
                Val::Sql {
                    sql: format!("{alias}.{name}"),
                    ty: ty.clone(),
                    json: if *json == Json::No {
                        Json::No
                    } else {
                        Json::Text
                    },
                    db: *db,
                }
            }
            Val::Nav { ty, db, .. } => {
                let name = format!("\"#e{}\"", columns.len());
                columns.push(format!("{} AS {name}", self.flat(element)));
                Val::Sql {
                    sql: format!("{alias}.{name}"),
                    ty: ty.clone(),
                    json: Json::No,
                    db: *db,
                }
            }
            Val::Lookup { table, .. } => {
                let name = format!("\"#e{}\"", columns.len());
                columns.push(format!("{} AS {name}", self.flat(element)));
                Val::Sql {
                    sql: format!("{alias}.{name}"),
                    ty: Ty::Row(*table).optional(),
                    json: Json::Text,
                    db: Db::Main,
                }
            }
        }
    }

    /// A list-typed expression as a nested JSON list.
    pub(super) fn nested_list(&mut self, expr: &ast::Expr) -> Compiled<Val> {
        let mut block = self.block(expr)?;
        if block.grouped || block.limited() {
            block = self.wrap(block)?;
        }
        let order = block.order_by();
        let element = self.nested(&block.element);
        let aggregate = if order.is_empty() {
            format!("json_group_array({element})")
        } else {
            format!("json_group_array({element} ORDER BY {})", order.join(", "))
        };
        let mut unordered = block;
        unordered.order.clear();
        unordered.tiebreak.clear();
        let sql = format!("({})", self.select(&unordered, &aggregate));
        Ok(Val::Sql {
            sql,
            ty: self.ty(expr),
            json: Json::Text,
            db: Db::Main,
        })
    }

    /// A query of one optional row (`orders(id) where …`) inside SQL: the row, or null.
    pub(super) fn single_value(&mut self, expr: &ast::Expr) -> Compiled<Val> {
        let mut block = self.block(expr)?;
        block.limit = Some("1".to_string());
        let element = self.flat(&block.element);
        let sql = format!("({})", self.select(&block, &element));
        Ok(self.subselect_value(sql, self.ty(expr)))
    }

    /// A list method of a list-typed expression, inside SQL.
    pub(super) fn aggregate_of(&mut self, name: &str, list: &ast::Expr, ty: Ty) -> Compiled<Val> {
        let mut block = self.block(list)?;
        if name == "exists" {
            let sql = format!("EXISTS ({})", self.select(&block, "1"));
            return Ok(Val::scalar(sql, Ty::BOOL, Db::Main));
        }
        if name == "first" {
            if block.limit.is_some() {
                block = self.wrap(block)?;
            }
            block.limit = Some("1".to_string());
            let element = self.flat(&block.element);
            let sql = format!("({})", self.select(&block, &element));
            return Ok(self.subselect_value(sql, ty));
        }
        if block.grouped || block.limited() {
            block = self.wrap(block)?;
        }
        block.order.clear();
        block.tiebreak.clear();
        let element = self.flat(&block.element);
        let aggregate = match name {
            "count" => "count(*)".to_string(),
            "sum" => format!("awm_sum({element})"),
            "avg" => format!("awm_avg({element})"),
            "min" => format!("min({element})"),
            "max" => format!("max({element})"),
            "one" => {
                let inner = self.select(&block, &format!("{element} AS \"#v\""));
                let sql = format!(
                    "(SELECT {}(count(*), min(\"#v\")) FROM ({inner}))",
                    awm_stdlib::eval::Builtin::One.sql_name()
                );
                return Ok(self.subselect_value(sql, ty));
            }
            other => return Self::unsupported(list.span, format!("`.{other}()` here")),
        };
        let sql = format!("({})", self.select(&block, &aggregate));
        Ok(Val::scalar(sql, ty, Db::Main))
    }

    /// A value a sub-select gives: a scalar, or JSON text that lost its JSON-ness.
    fn subselect_value(&self, sql: String, ty: Ty) -> Val {
        if is_scalar(&ty) {
            Val::scalar(sql, ty, Db::Main)
        } else {
            Val::Sql {
                sql,
                ty,
                json: Json::Text,
                db: Db::Main,
            }
        }
    }

    /// An aggregate over the rows of the group in scope.
    pub(super) fn group_aggregate(
        &mut self,
        name: &str,
        arg: Option<&ast::Expr>,
        expr: &ast::Expr,
    ) -> Compiled<Val> {
        let ty = self.ty(expr);
        let Some(group) = self.groups.last().cloned() else {
            return Self::unsupported(expr.span, format!("`{name}(…)` outside `group by`"));
        };
        let arg = match arg {
            Some(arg) => {
                // The argument ranges over the group's rows: outside the group's scope.
                let saved = std::mem::take(&mut self.groups);
                self.scopes.push(group.rows.clone());
                let value = self.scalar(arg);
                self.scopes.pop();
                self.groups = saved;
                Some(value?)
            }
            None => None,
        };
        let sql = match (name, arg) {
            ("count", None) => "count(*)".to_string(),
            ("count", Some(arg)) => format!("count({arg})"),
            ("count_distinct", Some(arg)) => format!("count(DISTINCT {arg})"),
            ("sum", Some(arg)) => format!("awm_sum({arg})"),
            ("avg", Some(arg)) => format!("awm_avg({arg})"),
            ("min", Some(arg)) => format!("min({arg})"),
            ("max", Some(arg)) => format!("max({arg})"),
            (other, _) => return Self::unsupported(expr.span, format!("`{other}(…)` here")),
        };
        Ok(Val::scalar(sql, ty, Db::Main))
    }

    /// The values of a list, as a `FROM` and the element: for `in`.
    pub(super) fn values_of(&mut self, list: &ast::Expr) -> Compiled<(String, String)> {
        let mut block = self.block(list)?;
        if block.grouped || block.limited() {
            block = self.wrap(block)?;
        }
        block.order.clear();
        block.tiebreak.clear();
        let element = self.flat(&block.element);
        let alias = self.alias();
        let inner = self.select(&block, &format!("{element} AS \"#v\""));
        Ok((format!("({inner}) AS {alias}"), format!("{alias}.\"#v\"")))
    }

    /// A non-list expression that reads tables, as a statement and how to read it.
    pub(super) fn single(
        &mut self,
        expr: &ast::Expr,
    ) -> Compiled<(String, awm_runtime::exec::Mode)> {
        use awm_runtime::exec::Mode;
        let inner = expr.unparen();
        match &inner.kind {
            // `orders(id) where …`: one row, filtered.
            ExprKind::Query { .. } => {
                let mut block = self.block(inner)?;
                block.limit = Some("1".to_string());
                return Ok((self.rows(block)?, Mode::First));
            }
            ExprKind::Call { .. } | ExprKind::Method { .. } => {
                if let Some(found) = self.single_read(inner)? {
                    return Ok(found);
                }
            }
            _ => {}
        }
        let value = self.sql(inner)?;
        let columns = self.layout(&value)?.join(", ");
        Ok((format!("SELECT {columns}"), Mode::First))
    }

    /// Lookups, `.first()` and `.one()` read as rows of their own statement.
    fn single_read(
        &mut self,
        expr: &ast::Expr,
    ) -> Compiled<Option<(String, awm_runtime::exec::Mode)>> {
        use awm_runtime::exec::Mode;
        match &expr.kind {
            ExprKind::Call { callee, args } if self.lowerer.model.table(&callee.name).is_some() => {
                let _ = args;
                let block = self.source(expr)?;
                Ok(Some((self.rows(block)?, Mode::First)))
            }
            ExprKind::Method { receiver, .. } if self.state_of(receiver).is_some() => {
                let block = self.source(expr)?;
                Ok(Some((self.rows(block)?, Mode::First)))
            }
            ExprKind::Method { receiver, name, .. }
                if matches!(self.ty(receiver).required(), Ty::List(_))
                    && matches!(name.name.as_str(), "first" | "one") =>
            {
                let mut block = self.block(receiver)?;
                if block.limit.is_some() || (name.name == "one" && block.limited()) {
                    block = self.wrap(block)?;
                }
                if name.name == "first" {
                    block.limit = Some("1".to_string());
                    return Ok(Some((self.rows(block)?, Mode::First)));
                }
                block.limit = Some("2".to_string());
                let mut columns = self.layout(&block.element)?;
                columns.push("count(*) OVER ()".to_string());
                Ok(Some((self.select(&block, &columns.join(", ")), Mode::One)))
            }
            _ => Ok(None),
        }
    }
}
