//! Importing rows of the lists within items: the catalogue's 公开事项, each row naming its
//! domain, and a community's 财务公开 lines, 居(村)务公开事项 and 惠民政策, each row naming
//! its community. A row whose owner and key are those of a row the item has changes it; any
//! other row is added to the item's list. Each item changed is checked whole by the bundle
//! checker, and a problem in an imported row is told at its cell.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use super::{
    Located, Plan, Planned, Unreadable, Workspace,
    cells::{self, Lookups},
    columns::{Column, Form, RowTable},
    differences,
    sheet::{Cell, Sheet},
};
use crate::content::{
    field_label,
    items::{self, set_field},
    lists,
    references::References,
};
use gongkai_core::{content::workspace::Item, handoff::is_id};

/// Where a row of an item's list came from.
#[derive(Clone, Copy)]
enum Source {
    /// The item had it; the import leaves it as it is.
    Kept,
    /// A row of the sheet: which sheet (by its place in the plan) and row.
    Sheet(usize, u32),
}

/// One list of one item as the import makes it: its rows, each with where it came from, the
/// rows the item had by key, with how many of them sheet rows have matched, and the groups
/// (periods) by their plain name.
struct Rows {
    rows: Vec<(Source, Map<String, Value>)>,
    by_key: HashMap<String, (Vec<usize>, usize)>,
    groups: HashMap<String, Value>,
}

pub(super) fn plan(tables: &'static [RowTable], sheets: &[Sheet], workspace: &Workspace, references: &References) -> Result<Plan, Unreadable> {
    let kind = tables[0].parent;
    let lookups = &workspace.lookups;
    let owner = &tables[0].owner;
    let key_labels = |table: &RowTable| table.key_columns().into_iter().skip(1).map(|at| table.columns()[at].label).collect::<Vec<_>>().join("、");
    let heads = if tables.len() == 1 { key_labels(&tables[0]) } else { "条目".into() };
    let mut plan = Plan::new(kind, (heads, owner.label.into()));
    let columns: Vec<Vec<&Column>> = tables.iter().map(RowTable::columns).collect();
    let mut located: Vec<(usize, Located)> = Vec::new();
    for (at, table) in tables.iter().enumerate() {
        let named = (tables.len() > 1).then_some(table.list.label);
        if let Some(found) = Located::find(sheets, &columns[at], &table.key_columns(), named)? {
            located.push((at, found));
        }
    }
    if located.is_empty() {
        return Err(if tables.len() == 1 {
            super::no_header(&columns[0])
        } else {
            let names: Vec<&str> = tables.iter().map(|table| table.list.label).collect();
            format!("没有找到工作表：表格中应有名为“{}”的工作表（CSV 文件以其名称命名），其中一行是列名（请下载模板填写）", names.join("”“"))
        });
    }
    // Each list of each item the sheets touch, by (owner, table).
    let mut lists: BTreeMap<(String, usize), Rows> = BTreeMap::new();
    let mut seen: HashMap<(usize, String, String), u32> = HashMap::new();
    for (place, (at, sheet)) in located.iter().enumerate() {
        let table = &tables[*at];
        let keys = table.key_columns();
        // Keys unique in the whole catalogue are compared whatever their owner.
        let compared: Vec<usize> = keys.iter().copied().filter(|&k| k > 0 || !table.unique_everywhere).collect();
        for row in plan.read(sheet) {
            let cell = |column: usize| sheet.cell(row, column).cloned().unwrap_or(Cell::Empty);
            let mut problems: Vec<(usize, String)> = Vec::new();
            let owner_id = match cells::value(owner.form, &cell(0), lookups) {
                Ok(Some(Value::String(id))) if workspace.items.contains_key(&id) => Some(id),
                Ok(Some(_)) => {
                    problems.push((0, format!("{}已不在工作区中，请刷新后重新导入", owner.label)));
                    None
                }
                Ok(_) => {
                    problems.push((0, format!("请填写{}", owner.label)));
                    None
                }
                Err(reason) => {
                    problems.push((0, reason));
                    None
                }
            };
            let (mut fields, refused) = lists::read_row(table.list.columns, |column, _| cell(column + 1), lookups);
            problems.extend(refused.into_iter().map(|(column, reason)| (column + 1, reason)));
            let key = key_of(table, &fields);
            let scope = |owner_id: &String| if table.unique_everywhere { String::new() } else { owner_id.clone() };
            let first = match &owner_id {
                Some(owner_id) if !table.repeats && problems.iter().all(|(column, _)| !keys.contains(column)) => *seen.entry((*at, scope(owner_id), key.clone())).or_insert(row),
                _ => row,
            };
            if first != row {
                let labels: Vec<&str> = compared.iter().map(|&k| columns[*at][k].label).collect();
                problems.push((keys.get(1).copied().unwrap_or(0), format!("{}与第 {} 行相同", labels.join("、"), first + 1)));
            }
            let Some(owner_id) = owner_id.filter(|_| problems.is_empty()) else {
                plan.problems.extend(problems.into_iter().map(|(column, reason)| sheet.at(row, Some(column), &reason)));
                continue;
            };
            let list = lists.entry((owner_id.clone(), *at)).or_insert_with(|| Rows::of(table, &workspace.items[&owner_id].0.body));
            let owner_name = cells::shown(owner.form, Some(&Value::from(owner_id.clone())), lookups);
            let shown_key = |fields: &Map<String, Value>| match tables.len() {
                1 => shown_key(table, fields, lookups),
                _ => format!("{}：{}", table.list.label, shown_key(table, fields, lookups)),
            };
            match list.take(&key) {
                Some(existing) => {
                    let before = &list.rows[existing].1;
                    for field in table.key {
                        // The key as the item writes it (`2026年第三季度` for `２０２６年第三季度`).
                        if let Some(value) = before.get(*field) {
                            fields.insert(field.to_string(), value.clone());
                        }
                    }
                    for (column, spec) in table.list.columns.iter().enumerate() {
                        // Columns the sheet lacks keep what the item has; an empty list stays
                        // out of a row that has none.
                        match before.get(spec.field) {
                            Some(value) if sheet.header.columns[column + 1].is_none() => {
                                fields.insert(spec.field.to_string(), value.clone());
                            }
                            None if fields.get(spec.field).is_some_and(|value| value.as_array().is_some_and(Vec::is_empty)) => {
                                fields.remove(spec.field);
                            }
                            _ => {}
                        }
                    }
                    let (before, after) = (Value::Object(before.clone()), Value::Object(fields.clone()));
                    if items::same(&before, &after) {
                        plan.unchanged += 1;
                        continue;
                    }
                    let fields_changed = differences(table.list.columns.iter(), &before, &after, lookups);
                    plan.changed.push(Planned { row: row + 1, id: shown_key(&fields), title: owner_name, fields: fields_changed, changes: true });
                    list.rows[existing] = (Source::Sheet(place, row), fields);
                }
                None => {
                    // A new key goes into the QR links that open it.
                    let bad_key = table.list.columns.iter().position(|c| c.form == Form::Key && fields.get(c.field).and_then(Value::as_str).is_some_and(|id| !is_id(id)));
                    if let Some(column) = bad_key {
                        let label = table.list.columns[column].label;
                        plan.problems.push(sheet.at(row, Some(column + 1), &items::unlinkable(label)));
                        continue;
                    }
                    list.same_group(table, &mut fields);
                    let fields_added = differences(table.list.columns.iter(), &Value::Null, &Value::Object(fields.clone()), lookups);
                    plan.added.push(Planned { row: row + 1, id: shown_key(&fields), title: owner_name, fields: fields_added, changes: false });
                    list.rows.push((Source::Sheet(place, row), fields));
                }
            }
        }
    }
    // Each item with its lists made again, checked whole.
    // Per item: its body, and for each list made again, the place of each row and its source.
    type Placed = Vec<(usize, HashMap<String, usize>, Vec<Source>)>;
    let mut made: BTreeMap<String, (Value, Placed)> = BTreeMap::new();
    for ((owner_id, at), list) in lists {
        let table = &tables[at];
        let (item, _) = &workspace.items[&owner_id];
        let entry = made.entry(owner_id).or_insert_with(|| (item.body.clone(), Vec::new()));
        let sources: Vec<Source> = list.rows.iter().map(|(source, _)| *source).collect();
        let (value, rows_at) = lists::assemble(table.list, list.rows.into_iter().enumerate().map(|(tag, (_, fields))| (tag, fields)).collect());
        set_field(&mut entry.0, table.list.field, Some(value));
        entry.1.push((at, rows_at, sources));
    }
    for (owner_id, (body, placed)) in made {
        let (item, revision) = &workspace.items[&owner_id];
        if items::same(&item.body, &body) {
            continue;
        }
        let owner_name = cells::shown(owner.form, Some(&Value::from(owner_id.clone())), lookups);
        for (path, reason) in items::found(kind, &body, &workspace.options, references) {
            let path = path.as_str();
            let in_row = placed.iter().find_map(|(at, rows_at, sources)| {
                let list = tables[*at].list;
                let rest = path.strip_prefix(list.field).filter(|rest| rest.starts_with('['))?;
                let (tag, column) = lists::row_at(list, rows_at, rest)?;
                Some((sources[tag], column))
            });
            plan.problems.push(match in_row {
                // The list's columns follow the owner's in the sheet.
                Some((Source::Sheet(place, row), column)) => located[place].1.at(row, column.map(|column| column + 1), &reason),
                _ => {
                    let field = path.split('[').next().unwrap_or_default();
                    format!("{}“{owner_name}”（不在表格中的内容）：{}：{reason}", owner.label, field_label(field))
                }
            });
        }
        plan.writes.push((Item { body, ..item.clone() }, Some(*revision)));
    }
    Ok(plan)
}

impl Rows {
    fn of(table: &RowTable, body: &Value) -> Self {
        let rows: Vec<(Source, Map<String, Value>)> = lists::rows_of(table.list, body).into_iter().map(|fields| (Source::Kept, fields)).collect();
        let mut by_key: HashMap<String, (Vec<usize>, usize)> = HashMap::new();
        for (at, (_, fields)) in rows.iter().enumerate() {
            by_key.entry(key_of(table, fields)).or_default().0.push(at);
        }
        let mut groups: HashMap<String, Value> = HashMap::new();
        if let Some((name, _)) = table.list.group {
            for label in rows.iter().filter_map(|(_, fields)| fields.get(name)) {
                groups.entry(plain(label)).or_insert_with(|| label.clone());
            }
        }
        Rows { rows, by_key, groups }
    }

    /// Puts a new row into the group (period) of the same plain name, as the item writes it.
    fn same_group(&mut self, table: &RowTable, fields: &mut Map<String, Value>) {
        let Some((name, _)) = table.list.group else { return };
        let Some(label) = fields.get(name) else { return };
        let written = self.groups.entry(plain(label)).or_insert_with(|| label.clone());
        fields.insert(name.to_string(), written.clone());
    }

    /// The row the next sheet row with `key` changes: the n-th of the item's rows with the key
    /// for the n-th such sheet row (two payments of one 科目 in a period stay two).
    fn take(&mut self, key: &str) -> Option<usize> {
        let (rows, taken) = self.by_key.get_mut(key)?;
        let row = rows.get(*taken).copied()?;
        *taken += 1;
        Some(row)
    }
}

/// What tells a row apart within its item: its key fields' values, full-width letters and
/// digits as their ASCII selves and spaces left out, so `２０２６年 第三季度` is `2026年第三季度`.
fn key_of(table: &RowTable, fields: &Map<String, Value>) -> String {
    table.key.iter().map(|field| fields.get(*field).map(plain).unwrap_or_default()).collect::<Vec<_>>().join("\u{0}")
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => cells::half_width(text).chars().filter(|c| !c.is_whitespace()).collect(),
        other => other.to_string(),
    }
}

/// The key as the preview shows it: `2026年第三季度 · 水电费 · 支出`.
fn shown_key(table: &RowTable, fields: &Map<String, Value>, lookups: &Lookups) -> String {
    let shown = |field: &&str| table.list.columns.iter().find(|c| c.field == *field).map(|c| cells::shown(c.form, fields.get(*field), lookups)).unwrap_or_default();
    table.key.iter().map(shown).collect::<Vec<_>>().join(" · ")
}
