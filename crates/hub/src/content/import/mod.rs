//! Importing a kind's items from a spreadsheet (XLSX or CSV) into the workspace: one item a
//! row, or rows of the lists within items (the catalogue's 公开事项, a community's 财务公开),
//! see `rows`. A file is first made into a plan: the rows that add items, the rows that change them (field by
//! field), the unchanged rows, and every problem as `工作表!C12（列名）：reason`. Only a plan
//! without problems is applied, all of it in one transaction, and only while the workspace is
//! as it was when the plan was shown (its digest says so). Rows are never deleted by an import.

pub mod cells;
pub mod columns;
mod rows;
pub mod sheet;
pub mod template;

use std::collections::HashMap;

use serde_json::Value;
use sha2::{Digest, Sha256};

use cells::Lookups;
use columns::{Column, Import, Table};
use gongkai_core::content::{
    check::CheckOptions,
    workspace::{Item, Kind},
};
use sheet::{Cell, Sheet, cell_name};

use super::{
    documents::ShardPlacer,
    items::{self, Made},
    references::References,
};
use crate::submissions::store::{Store, StoreError, WorkspaceQuery};

/// Problems a preview lists; the rest are counted.
pub const SHOWN_PROBLEMS: usize = 200;
/// Rows searched for the header (a title row or two may come first).
const HEADER_SEARCH_ROWS: u32 = 20;

/// One row that adds or changes an item (or a row of a list within one).
#[derive(Debug, Clone)]
pub struct Planned {
    /// The row's number as Excel shows it.
    pub row: u32,
    pub id: String,
    pub title: String,
    /// What changes, by column: its label, the value before and after (as staff read them).
    pub fields: Vec<(&'static str, String, String)>,
    /// Whether it changes what is there (else it adds).
    pub changes: bool,
}

/// What importing a file would do.
#[derive(Debug, Clone)]
pub struct Plan {
    pub kind: Kind,
    /// The sheets read.
    pub sheets: Vec<String>,
    /// What the preview heads a row's `id` and `title` with.
    pub heads: (String, String),
    /// The items written, each with the revision it changes (`None`: a new item).
    pub writes: Vec<(Item, Option<i64>)>,
    pub added: Vec<Planned>,
    pub changed: Vec<Planned>,
    pub unchanged: usize,
    pub problems: Vec<String>,
    /// Headers of the sheet that no column of the kind takes.
    pub ignored: Vec<String>,
    /// Rows left out as the template's example (their first cell starts with 示例), by sheet.
    pub examples: Vec<(String, u32)>,
}

impl Plan {
    /// What applying it writes, in a few hex digits: a plan made again over a changed
    /// workspace has another digest, so staff apply only what they saw.
    pub fn digest(&self) -> String {
        let mut hash = Sha256::new();
        for (item, expected) in &self.writes {
            hash.update(format!("{}\u{0}{expected:?}\u{0}{}\u{0}", item.id, item.body));
        }
        hex::encode(&hash.finalize()[..12])
    }
}

/// Why a file cannot be planned at all.
pub type Unreadable = String;

/// The plan for importing the spreadsheet `name` into the workspace's items of `kind`.
pub fn plan(store: &dyn Store, kind: Kind, name: &str, bytes: &[u8]) -> Result<Result<Plan, Unreadable>, StoreError> {
    let Some(import) = columns::import(kind) else { return Ok(Err(format!("{}不能从表格导入", kind.label()))) };
    let sheets = match sheet::read(name, bytes) {
        Ok(sheets) => sheets,
        Err(reason) => return Ok(Err(reason)),
    };
    let mut workspace = Workspace::read(store, kind)?;
    Ok(match import {
        Import::Items(table) => {
            let columns: Vec<&Column> = table.columns.iter().collect();
            let keys: Vec<usize> = table.key_columns().map(|(column, _)| column).collect();
            match Located::find(&sheets, &columns, &keys, None) {
                Ok(Some(located)) => Ok(plan_rows(table, &located, &mut workspace)),
                Ok(None) => Err(no_header(&columns)),
                Err(reason) => Err(reason),
            }
        }
        Import::Rows(tables) => rows::plan(tables, &sheets, &workspace, &References::load(store, kind, None)?),
    })
}

fn no_header(columns: &[&Column]) -> Unreadable {
    let wanted: Vec<&str> = columns.iter().filter(|c| c.required).map(|c| c.label).collect();
    format!("没有找到表头：表格中应有一行列名：{}（请下载模板填写）", wanted.join("、"))
}

/// A sheet's header: which sheet column each of the columns is in.
struct Header {
    row: u32,
    columns: Vec<Option<u32>>,
    ignored: Vec<String>,
}

/// A sheet with the columns it is read by, where its header is.
struct Located<'a> {
    sheet: &'a Sheet,
    columns: &'a [&'a Column],
    header: Header,
}

impl<'a> Located<'a> {
    /// The first of `sheets` (or the one named `named`) with a header of `columns` that has
    /// the `keys`; an error when that header lacks a required column.
    fn find(sheets: &'a [Sheet], columns: &'a [&'a Column], keys: &[usize], named: Option<&str>) -> Result<Option<Self>, Unreadable> {
        let same_name = |sheet: &Sheet| named.is_none_or(|named| sheet_name(&sheet.name) == sheet_name(named));
        let Some((sheet, header)) = sheets.iter().filter(|sheet| same_name(sheet)).find_map(|sheet| find_header(columns, keys, sheet).map(|header| (sheet, header))) else {
            // A sheet named for the table is meant for it: without its header it is not passed over.
            return match sheets.iter().find(|sheet| named.is_some() && same_name(sheet)) {
                Some(sheet) => Err(format!("工作表“{}”中{}", sheet.name, no_header(columns))),
                None => Ok(None),
            };
        };
        let missing: Vec<&str> = columns.iter().zip(&header.columns).filter(|(c, at)| c.required && at.is_none()).map(|(c, _)| c.label).collect();
        if !missing.is_empty() {
            return Err(format!("工作表“{}”第 {} 行的表头缺少必填的列：{}", sheet.name, header.row + 1, missing.join("、")));
        }
        Ok(Some(Located { sheet, columns, header }))
    }

    /// The rows below the header that hold something and are not the template's example.
    fn rows(&self, examples: &mut Vec<u32>) -> Vec<u32> {
        let mut rows = Vec::new();
        for (&row, _) in self.sheet.rows.range(self.header.row + 1..) {
            if self.header.columns.iter().all(|at| at.is_none_or(|at| self.sheet.cell(row, at).is_empty())) {
                continue; // An empty row, such as the trailing ones Excel keeps.
            }
            match self.cell(row, 0) {
                Some(Cell::Text(text)) if text.trim_start().starts_with(template::EXAMPLE_MARK) => examples.push(row + 1),
                _ => rows.push(row),
            }
        }
        rows
    }

    /// The cell of `column` in `row`; `None` when the sheet has no such column.
    fn cell(&self, row: u32, column: usize) -> Option<&'a Cell> {
        self.header.columns[column].map(|at| self.sheet.cell(row, at))
    }

    /// A problem at the cell of `column` (the row as a whole for `None`).
    fn at(&self, row: u32, column: Option<usize>, reason: &str) -> String {
        let sheet = &self.sheet.name;
        match column {
            Some(column) => {
                let label = self.columns[column].label;
                match self.header.columns[column] {
                    Some(at) => format!("{sheet}!{}（{label}）：{reason}", cell_name(row, at)),
                    None => format!("{sheet}!第 {} 行（{label}）：{reason}", row + 1),
                }
            }
            None => format!("{sheet}!第 {} 行：{reason}", row + 1),
        }
    }
}

/// A sheet's name as it is matched: `居(村)务公开事项` is also `居村务公开事项`.
fn sheet_name(name: &str) -> String {
    cells::half_width(name).chars().filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')')).collect()
}

/// A header without spaces, marks of a required column or a unit in brackets.
fn plain_label(text: &str) -> String {
    let text: String = cells::half_width(text).chars().filter(|c| !c.is_whitespace() && *c != '*').collect();
    match text.find('(') {
        Some(at) if at > 0 && text.ends_with(')') => text[..at].to_string(),
        _ => text,
    }
}

fn find_header(columns: &[&Column], keys: &[usize], sheet: &Sheet) -> Option<Header> {
    let wanted: Vec<Vec<String>> = columns.iter().map(|c| std::iter::once(c.label).chain(c.aliases.iter().copied()).map(plain_label).collect()).collect();
    for (&row, cells) in sheet.rows.range(..HEADER_SEARCH_ROWS) {
        let mut found = vec![None; columns.len()];
        let mut ignored = Vec::new();
        for (at, cell) in cells.iter().enumerate() {
            let Cell::Text(text) = cell else { continue };
            let label = plain_label(text);
            match wanted.iter().position(|names| names.contains(&label)) {
                Some(column) if found[column].is_none() => found[column] = Some(at as u32),
                _ if !label.is_empty() => ignored.push(text.trim().to_string()),
                _ => {}
            }
        }
        let keys_found = keys.iter().all(|&column| found[column].is_some());
        if keys_found && found.iter().flatten().count() >= 3.min(columns.len()) {
            return Some(Header { row, columns: found, ignored });
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

/// The site's departments, the catalogue's domains and the communities, by id and name.
pub fn lookups(store: &dyn Store) -> Result<Lookups, StoreError> {
    let named = |body: &Value| Some((body.get("id")?.as_str()?.to_string(), body.get("name")?.as_str()?.to_string()));
    let departments = store
        .workspace_item(Kind::Site, "site")?
        .and_then(|site| site.item.body.get("departments").and_then(Value::as_array).map(|list| list.iter().filter_map(named).collect()))
        .unwrap_or_default();
    let of_kind = |kind: Kind| Ok::<_, StoreError>(store.workspace_kind(kind)?.iter().filter_map(|item| named(&item.body)).collect());
    Ok(Lookups { departments, domains: of_kind(Kind::Domains)?, communities: of_kind(Kind::Communities)? })
}

impl Plan {
    fn new(kind: Kind, heads: (String, String)) -> Self {
        Plan { kind, sheets: Vec::new(), heads, writes: Vec::new(), added: Vec::new(), changed: Vec::new(), unchanged: 0, problems: Vec::new(), ignored: Vec::new(), examples: Vec::new() }
    }

    /// Takes note of a sheet read.
    fn read(&mut self, located: &Located) -> Vec<u32> {
        self.sheets.push(located.sheet.name.clone());
        self.ignored.extend(located.header.ignored.iter().cloned());
        let mut examples = Vec::new();
        let rows = located.rows(&mut examples);
        self.examples.extend(examples.into_iter().map(|row| (located.sheet.name.clone(), row)));
        rows
    }
}

/// The fields that differ between `before` and `after`, as staff read them.
fn differences<'c>(columns: impl Iterator<Item = &'c Column>, before: &Value, after: &Value, lookups: &Lookups) -> Vec<(&'static str, String, String)> {
    columns
        .filter_map(|spec| {
            let (before, after) = (items::get_field(before, spec.field), items::get_field(after, spec.field));
            let changed = match (before, after) {
                (Some(before), Some(after)) => !items::same(before, after),
                (before, after) => before != after,
            };
            changed.then(|| (spec.label, cells::shown(spec.form, before, lookups), cells::shown(spec.form, after, lookups)))
        })
        .collect()
}

fn plan_rows(table: &'static Table, located: &Located, workspace: &mut Workspace) -> Plan {
    let kind = table.kind;
    let mut plan = Plan::new(kind, ("编号".into(), "标题".into()));
    let mut seen: HashMap<String, u32> = HashMap::new();
    for row in plan.read(located) {
        let sheet_cells: Vec<Option<&Cell>> = (0..table.columns.len()).map(|column| located.cell(row, column)).collect();
        let existing = |id: Option<&str>| id.and_then(|id| workspace.items.get(id)).map(|(item, _)| item.body.clone());
        let Made { id, body, mut problems, .. } = items::make(table, &sheet_cells, None, existing, &workspace.lookups, &workspace.options, &References::default());
        if let Some(id) = &id
            && let Some(first) = seen.insert(id.clone(), row)
        {
            let (column, spec) = table.key_columns().next().expect("every table has a key");
            problems.push((Some(column), format!("{}与第 {} 行重复", spec.label, first + 1)));
        }
        let problems: Vec<String> = problems.into_iter().map(|(column, reason)| located.at(row, column, &reason)).collect();
        let existing = id.as_ref().and_then(|id| workspace.items.get(id));
        let (Some(id), true) = (id, problems.is_empty()) else {
            plan.problems.extend(problems);
            continue;
        };
        let title = kind.title_of(&body, &id);
        match existing {
            Some((item, _)) if items::same(&item.body, &body) => plan.unchanged += 1,
            Some((item, revision)) => {
                let fields = differences(table.columns.iter(), &item.body, &body, &workspace.lookups);
                plan.writes.push((Item { body, ..item.clone() }, Some(*revision)));
                plan.changed.push(Planned { row: row + 1, id, title, fields, changes: true });
            }
            None => {
                let fields = differences(table.columns.iter(), &Value::Null, &body, &workspace.lookups);
                let (file, position) = workspace.placer.next_place();
                plan.writes.push((Item { kind, id: id.clone(), file, position, body }, None));
                plan.added.push(Planned { row: row + 1, id, title, fields, changes: false });
            }
        }
    }
    plan
}

/// Applies a plan without problems: every added and changed item in one transaction, with
/// one audit entry; nothing when any item changed since the plan was made.
pub fn apply(store: &dyn Store, plan: &Plan, file_name: &str, staff: &str) -> Result<(), StoreError> {
    let detail = format!("导入表格：{}，文件“{file_name}”工作表“{}”，新增 {} 条，修改 {} 条", plan.kind.label(), plan.sheets.join("”“"), plan.added.len(), plan.changed.len());
    store.workspace_apply(plan.writes.clone(), staff, ("导入表格", &detail))
}

