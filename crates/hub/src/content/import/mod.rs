//! Importing a kind's items from a spreadsheet (XLSX or CSV) into the workspace. A file is
//! first made into a plan: the rows that add items, the rows that change them (field by
//! field), the unchanged rows, and every problem as `工作表!C12（列名）：reason`. Only a plan
//! without problems is applied, all of it in one transaction, and only while the workspace is
//! as it was when the plan was shown (its digest says so). Rows are never deleted by an import.

pub mod cells;
pub mod columns;
pub mod sheet;
pub mod template;

use std::collections::HashMap;

use serde_json::Value;
use sha2::{Digest, Sha256};

use cells::Lookups;
use columns::{Column, Table};
use gongkai_core::content::{
    check::CheckOptions,
    workspace::{Item, Kind},
};
use sheet::{Cell, Sheet, cell_name};

use super::{
    documents::ShardPlacer,
    items::{self, Made},
};
use crate::submissions::store::{Store, StoreError, WorkspaceQuery};

/// Problems a preview lists; the rest are counted.
pub const SHOWN_PROBLEMS: usize = 200;
/// Rows searched for the header (a title row or two may come first).
const HEADER_SEARCH_ROWS: u32 = 20;

/// One row that adds or changes an item.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The row's number as Excel shows it.
    pub row: u32,
    pub id: String,
    pub title: String,
    /// What changes, by column: its label, the value before and after (as staff read them).
    pub fields: Vec<(&'static str, String, String)>,
    pub item: Item,
    /// The revision it changes; `None` for a new item.
    pub expected: Option<i64>,
}

/// What importing a file would do.
#[derive(Debug, Clone)]
pub struct Plan {
    pub kind: Kind,
    pub sheet: String,
    pub added: Vec<Planned>,
    pub changed: Vec<Planned>,
    pub unchanged: usize,
    pub problems: Vec<String>,
    /// Headers of the sheet that no column of the kind takes.
    pub ignored: Vec<String>,
    /// Rows left out as the template's example (their key starts with 示例).
    pub examples: Vec<u32>,
}

impl Plan {
    /// What applying it writes, in a few hex digits: a plan made again over a changed
    /// workspace has another digest, so staff apply only what they saw.
    pub fn digest(&self) -> String {
        let mut hash = Sha256::new();
        for planned in self.added.iter().chain(&self.changed) {
            hash.update(format!("{}\u{0}{:?}\u{0}{}\u{0}", planned.id, planned.expected, planned.item.body));
        }
        hex::encode(&hash.finalize()[..12])
    }
}

/// Why a file cannot be planned at all.
pub type Unreadable = String;

/// The plan for importing the spreadsheet `name` into the workspace's items of `kind`.
pub fn plan(store: &dyn Store, kind: Kind, name: &str, bytes: &[u8]) -> Result<Result<Plan, Unreadable>, StoreError> {
    let Some(table) = columns::table(kind) else { return Ok(Err(format!("{}不能从表格导入", kind.label()))) };
    let sheets = match sheet::read(name, bytes) {
        Ok(sheets) => sheets,
        Err(reason) => return Ok(Err(reason)),
    };
    let Some((sheet, header)) = sheets.iter().find_map(|sheet| find_header(table, sheet).map(|header| (sheet, header))) else {
        let wanted: Vec<&str> = table.columns.iter().filter(|c| c.required).map(|c| c.label).collect();
        return Ok(Err(format!("没有找到表头：表格中应有一行列名：{}（请下载模板填写）", wanted.join("、"))));
    };
    let missing: Vec<&str> = table.columns.iter().zip(&header.columns).filter(|(c, at)| c.required && at.is_none()).map(|(c, _)| c.label).collect();
    if !missing.is_empty() {
        return Ok(Err(format!("工作表“{}”第 {} 行的表头缺少必填的列：{}", sheet.name, header.row + 1, missing.join("、"))));
    }
    let mut workspace = Workspace::read(store, kind)?;
    Ok(Ok(plan_rows(table, sheet, &header, &mut workspace)))
}

/// Where the header is, and which sheet column each of the table's columns is in.
struct Header {
    row: u32,
    columns: Vec<Option<u32>>,
    ignored: Vec<String>,
}

/// A header without spaces, marks of a required column or a unit in brackets.
fn plain_label(text: &str) -> String {
    let text: String = cells::half_width(text).chars().filter(|c| !c.is_whitespace() && *c != '*').collect();
    match text.find('(') {
        Some(at) if at > 0 && text.ends_with(')') => text[..at].to_string(),
        _ => text,
    }
}

fn find_header(table: &Table, sheet: &Sheet) -> Option<Header> {
    let wanted: Vec<Vec<String>> = table.columns.iter().map(|c| std::iter::once(c.label).chain(c.aliases.iter().copied()).map(plain_label).collect()).collect();
    for (&row, cells) in sheet.rows.range(..HEADER_SEARCH_ROWS) {
        let mut columns = vec![None; table.columns.len()];
        let mut ignored = Vec::new();
        for (at, cell) in cells.iter().enumerate() {
            let Cell::Text(text) = cell else { continue };
            let label = plain_label(text);
            match wanted.iter().position(|names| names.contains(&label)) {
                Some(column) if columns[column].is_none() => columns[column] = Some(at as u32),
                _ if !label.is_empty() => ignored.push(text.trim().to_string()),
                _ => {}
            }
        }
        let keys_found = table.key_columns().all(|(column, _)| columns[column].is_some());
        if keys_found && columns.iter().flatten().count() >= 3.min(table.columns.len()) {
            return Some(Header { row, columns, ignored });
        }
    }
    None
}

/// The workspace's items of the kind, with their revisions, what names are looked up in, and
/// where new items go.
struct Workspace {
    items: HashMap<String, (Item, i64)>,
    lookups: Lookups,
    placer: Placer,
    options: CheckOptions,
}

/// Where new items go: documents into shards with room, other kinds after the last item of
/// their file.
enum Placer {
    Shards(ShardPlacer),
    File { file: String, next: i64 },
}

impl Placer {
    fn next_place(&mut self) -> (String, i64) {
        match self {
            Placer::Shards(shards) => shards.next_place(),
            Placer::File { file, next } => {
                *next += 1;
                (file.clone(), *next - 1)
            }
        }
    }
}

impl Workspace {
    fn read(store: &dyn Store, kind: Kind) -> Result<Self, StoreError> {
        let revisions: HashMap<String, i64> = store.workspace_list(&WorkspaceQuery::all(kind), 0, usize::MAX)?.0.into_iter().map(|row| (row.id, row.revision)).collect();
        let items: HashMap<String, (Item, i64)> = store.workspace_kind(kind)?.into_iter().map(|item| (item.id.clone(), (item.clone(), revisions.get(&item.id).copied().unwrap_or(1)))).collect();
        let placer = match kind.file() {
            Some(file) => Placer::File { file: file.to_string(), next: items.values().map(|(item, _)| item.position + 1).max().unwrap_or(0) },
            None => Placer::Shards(ShardPlacer::read(store)?),
        };
        Ok(Self { items, lookups: lookups(store)?, placer, options: super::check_options(store)? })
    }
}

/// The site's departments and the catalogue's domains, by id and name.
pub fn lookups(store: &dyn Store) -> Result<Lookups, StoreError> {
    let named = |body: &Value| Some((body.get("id")?.as_str()?.to_string(), body.get("name")?.as_str()?.to_string()));
    let departments = store
        .workspace_item(Kind::Site, "site")?
        .and_then(|site| site.item.body.get("departments").and_then(Value::as_array).map(|list| list.iter().filter_map(named).collect()))
        .unwrap_or_default();
    let domains = store.workspace_kind(Kind::Domains)?.iter().filter_map(|domain| named(&domain.body)).collect();
    Ok(Lookups { departments, domains })
}

fn plan_rows(table: &'static Table, sheet: &Sheet, header: &Header, workspace: &mut Workspace) -> Plan {
    let kind = table.kind;
    let mut plan = Plan { kind, sheet: sheet.name.clone(), added: Vec::new(), changed: Vec::new(), unchanged: 0, problems: Vec::new(), ignored: header.ignored.clone(), examples: Vec::new() };
    let mut seen: HashMap<String, u32> = HashMap::new();
    for (&row, _) in sheet.rows.range(header.row + 1..) {
        let cells: Vec<(&Column, Option<u32>)> = table.columns.iter().zip(header.columns.iter().copied()).collect();
        if cells.iter().all(|(_, at)| at.is_none_or(|at| sheet.cell(row, at).is_empty())) {
            continue; // An empty row, such as the trailing ones Excel keeps.
        }
        let key_cell = table.key_columns().next().and_then(|(column, _)| header.columns[column]).map(|at| sheet.cell(row, at));
        if matches!(key_cell, Some(Cell::Text(text)) if text.trim_start().starts_with(template::EXAMPLE_MARK)) {
            plan.examples.push(row + 1);
            continue;
        }
        let at_cell = |column: usize, reason: &str| {
            let label = table.columns[column].label;
            match header.columns[column] {
                Some(at) => format!("{}!{}（{label}）：{reason}", sheet.name, cell_name(row, at)),
                None => format!("{}!第 {} 行（{label}）：{reason}", sheet.name, row + 1),
            }
        };
        let sheet_cells: Vec<Option<&Cell>> = cells.iter().map(|(_, at)| at.map(|at| sheet.cell(row, at))).collect();
        let existing = |id: Option<&str>| id.and_then(|id| workspace.items.get(id)).map(|(item, _)| item.body.clone());
        let Made { id, body, mut problems, .. } = items::make(table, &sheet_cells, None, existing, &workspace.lookups, &workspace.options);
        if let Some(id) = &id
            && let Some(first) = seen.insert(id.clone(), row)
        {
            let (column, spec) = table.key_columns().next().expect("every table has a key");
            problems.push((Some(column), format!("{}与第 {} 行重复", spec.label, first + 1)));
        }
        let problems: Vec<String> = problems
            .into_iter()
            .map(|(column, reason)| match column {
                Some(column) => at_cell(column, &reason),
                None => format!("{}!第 {} 行：{reason}", sheet.name, row + 1),
            })
            .collect();
        let existing = id.as_ref().and_then(|id| workspace.items.get(id));
        let (Some(id), true) = (id, problems.is_empty()) else {
            plan.problems.extend(problems);
            continue;
        };
        let title = kind.title_of(&body, &id);
        match existing {
            Some((item, _)) if items::same(&item.body, &body) => plan.unchanged += 1,
            Some((item, revision)) => {
                let fields = table
                    .columns
                    .iter()
                    .filter_map(|spec| {
                        let (before, after) = (items::get_field(&item.body, spec.field), items::get_field(&body, spec.field));
                        let changed = match (before, after) {
                            (Some(before), Some(after)) => !items::same(before, after),
                            (before, after) => before != after,
                        };
                        changed.then(|| (spec.label, cells::shown(spec.form, before, &workspace.lookups), cells::shown(spec.form, after, &workspace.lookups)))
                    })
                    .collect();
                let item = Item { body, ..item.clone() };
                plan.changed.push(Planned { row: row + 1, id, title, fields, item, expected: Some(*revision) });
            }
            None => {
                let fields = table.columns.iter().filter_map(|spec| items::get_field(&body, spec.field).map(|value| (spec.label, String::new(), cells::shown(spec.form, Some(value), &workspace.lookups)))).collect();
                let (file, position) = workspace.placer.next_place();
                let item = Item { kind, id: id.clone(), file, position, body };
                plan.added.push(Planned { row: row + 1, id, title, fields, item, expected: None });
            }
        }
    }
    plan
}

/// Applies a plan without problems: every added and changed item in one transaction, with
/// one audit entry; nothing when any item changed since the plan was made.
pub fn apply(store: &dyn Store, plan: &Plan, file_name: &str, staff: &str) -> Result<(), StoreError> {
    let writes: Vec<(Item, Option<i64>)> = plan.added.iter().chain(&plan.changed).map(|p| (p.item.clone(), p.expected)).collect();
    let detail = format!("导入表格：{}，文件“{file_name}”工作表“{}”，新增 {} 条，修改 {} 条", plan.kind.label(), plan.sheet, plan.added.len(), plan.changed.len());
    store.workspace_apply(writes, staff, ("导入表格", &detail))
}

