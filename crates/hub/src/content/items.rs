//! An item of a tabular kind made from what staff wrote, a spreadsheet's row or a form's fields,
//! column by column (`import::columns`), on top of the item as the workspace has it, and
//! checked by the bundle checker's own rules. Problems are told by column, so that a sheet
//! names the cell and a form the field.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use super::{
    check_options,
    documents::{Refused, in_chinese},
    field_label,
    lists,
    references::{self, References},
    import::{
        self,
        cells::{self, Lookups},
        columns::{Column, Form, List, Table},
        sheet::Cell,
    },
};
use crate::submissions::store::{Store, StoreError, WorkspaceEntry};
use gongkai_core::{
    content::{
        check::{CheckOptions, Place, check_item},
        workspace::{Item, Kind},
    },
    handoff::is_id,
};

/// An item as made, its key when the key columns could be read, and each problem with the
/// column it is at (`None`: the item as a whole, the field named in the reason).
pub struct Made {
    pub id: Option<String>,
    pub body: Value,
    pub problems: Vec<(Option<usize>, String)>,
    /// Problems in the table's lists, by the form's input name.
    pub in_lists: Vec<(String, String)>,
}

/// Makes an item of `table` from `cells`, one a column (`None`: the source has no such column,
/// and the field stays as the item has it), and its lists from `form` (a form's fields; with
/// `None` they stay as the item has them), on top of the item `existing` gives for the key
/// the cells make (`None` when they make none).
pub fn make(
    table: &Table,
    cells: &[Option<&Cell>],
    form: Option<&HashMap<String, String>>,
    existing: impl FnOnce(Option<&str>) -> Option<Value>,
    lookups: &Lookups,
    options: &CheckOptions,
    references: &References,
) -> Made {
    let kind = table.kind;
    let mut problems: Vec<(Option<usize>, String)> = Vec::new();
    let mut values: Vec<Option<Value>> = Vec::with_capacity(cells.len());
    for (column, (spec, cell)) in table.columns.iter().zip(cells).enumerate() {
        match cells::value(spec.form, cell.unwrap_or(&Cell::Empty), lookups) {
            Ok(None) if spec.required && cell.is_some() => problems.push((Some(column), format!("请填写{}", spec.label))),
            Ok(value) => {
                values.push(value);
                continue;
            }
            Err(reason) => problems.push((Some(column), reason)),
        }
        values.push(None);
    }
    let mut key = Value::Object(Map::new());
    for (column, spec) in table.key_columns() {
        set_field(&mut key, spec.field, values[column].clone());
    }
    let id = kind.id_of(&key);
    let saved = existing(id.as_deref());
    // A new item's key goes into the QR links that open it.
    if let (Some(id), None, Some((column, Column { form: Form::Key, label, .. }))) = (&id, &saved, table.key_columns().next())
        && !is_id(id)
    {
        problems.push((Some(column), unlinkable(label)));
    }
    let is_saved = saved.is_some();
    let mut body = saved.unwrap_or_else(|| Value::Object(Map::new()));
    for ((spec, cell), value) in table.columns.iter().zip(cells).zip(&values) {
        if cell.is_some() {
            set_field(&mut body, spec.field, value.clone());
        }
    }
    for name in table.optional_objects {
        if get_field(&body, name).and_then(Value::as_object).is_some_and(Map::is_empty) {
            set_field(&mut body, name, None);
        }
    }
    // A list longer than a form shows stays as the item has it.
    let edited = table.lists.iter().filter(|list| !is_saved || lists::too_long(list, &body).is_none());
    let read: Vec<(&List, lists::Read)> = form.map(|form| edited.map(|list| (list, lists::read(list, form, lookups))).collect()).unwrap_or_default();
    let mut in_lists: Vec<(String, String)> = Vec::new();
    for (list, read) in &read {
        // An empty list stays out of a saved item that has none (a 解读 without 问答).
        let stays_out = is_saved && get_field(&body, list.field).is_none() && read.value.as_array().is_some_and(Vec::is_empty);
        if !stays_out {
            set_field(&mut body, list.field, Some(read.value.clone()));
        }
        in_lists.extend(read.problems.iter().cloned());
    }
    let refused_cells = !problems.is_empty() || !in_lists.is_empty();
    for (path, reason) in found(kind, &body, options, references) {
        let path = path.as_str();
        // A problem within a list the form edits is told under the row's input.
        let in_list = read.iter().find_map(|(list, read)| path.strip_prefix(list.field).filter(|rest| rest.starts_with('[')).map(|rest| (list.field, read.name_at(list, rest))));
        if let Some((list, name)) = in_list {
            if !refused_cells || (name != list && !in_lists.iter().any(|(at, _)| *at == name)) {
                in_lists.push((name, reason));
            }
            continue;
        }
        let field = path.split('[').next().unwrap_or_default().to_string();
        let column = table.column_of(&field);
        // With a refused cell the item is incomplete: only what the checker finds in the
        // other cells is news.
        if refused_cells && (column.is_none() || problems.iter().any(|(at, _)| *at == column)) {
            continue;
        }
        let named = if column.is_none() && !field.is_empty() { format!("{}：{reason}", field_label(&field)) } else { reason };
        problems.push((column, named));
    }
    Made { id, body, problems, in_lists }
}

/// Why a new key `label` (编号) is refused when it does not fit a QR link.
pub fn unlinkable(label: &str) -> String {
    format!("{label}只能由 1 至 24 个小写字母、数字或连字符组成（它会写进二维码链接）")
}

/// What the bundle checker's rules and the references find in `body`, an item of `kind`, each
/// at its path within the item (`items[2].id`; empty for the item as a whole), in Chinese.
pub fn found(kind: Kind, body: &Value, options: &CheckOptions, references: &References) -> Vec<(String, String)> {
    let checked = check_item(kind, body, options).into_iter().map(|problem| match problem.place {
        Place::Json(path) => (path, in_chinese(&problem.reason)),
        _ => (String::new(), in_chinese(&problem.reason)),
    });
    checked.chain(references.check(kind, body)).map(|(path, reason)| (path.trim_start_matches('$').trim_start_matches('.').to_string(), reason)).collect()
}

/// Saves an item of `table` from a form's fields (by field name): a new one when `saved` is
/// `None`, else the item `saved` (whose key does not change) if it is still at revision
/// `expected`. Returns its key and revision now; refusals by field, as the form shows them.
pub fn save_from_form(store: &dyn Store, table: &Table, saved: Option<(&str, i64)>, form: &HashMap<String, String>, staff: &str) -> Result<(String, i64), Refused> {
    let kind = table.kind;
    let (lookups, options) = (import::lookups(store)?, check_options(store)?);
    let current = match saved {
        Some((id, _)) => Some(store.workspace_item(kind, id)?.ok_or(Refused::Gone)?),
        None => None,
    };
    let keys: Vec<usize> = table.key_columns().map(|(column, _)| column).collect();
    let texts: Vec<Cell> = table.columns.iter().map(|spec| Cell::Text(form.get(spec.field).cloned().unwrap_or_default())).collect();
    // A saved item keeps its key as stored: its key columns are not read from the form.
    let present: Vec<Option<&Cell>> = texts.iter().enumerate().map(|(column, cell)| (current.is_none() || !keys.contains(&column)).then_some(cell)).collect();
    let body = current.as_ref().map(|entry| entry.item.body.clone());
    let references = References::load(store, kind, current.as_ref().map(|entry| &entry.item.body))?;
    let made = make(table, &present, Some(form), |_| body, &lookups, &options, &references);
    let mut problems: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let by_column = made.problems.into_iter().map(|(column, reason)| (column.map_or_else(String::new, |c| table.columns[c].field.to_string()), reason));
    for (name, reason) in by_column.chain(made.in_lists) {
        problems.entry(name).or_default().push(reason);
    }
    let id = match &current {
        Some(entry) => Some(entry.item.id.clone()),
        None => made.id,
    };
    let Some(id) = id.filter(|_| problems.is_empty()) else { return Err(Refused::Invalid(problems)) };
    // Opened and saved as it was: nothing to write.
    if let Some(entry) = current.as_ref().filter(|entry| same(&entry.item.body, &made.body)) {
        return Ok((id, entry.revision));
    }
    let (file, position) = place(store, kind, current.as_ref())?;
    let title = kind.title_of(&made.body, &id);
    let action = if current.is_some() { "修改内容" } else { "新建内容" };
    let detail = format!("{action}：{} {id}「{title}」", kind.label());
    let item = Item { kind, id: id.clone(), file, position, body: made.body };
    match store.workspace_save(item, saved.map(|(_, revision)| revision), staff, (action, &detail)) {
        Err(StoreError::Refused(reason)) => Err(Refused::Invalid(BTreeMap::from([(keys.first().map_or("", |&key| table.columns[key].field).to_string(), vec![reason])]))),
        saved => Ok((id, saved?)),
    }
}

/// Where an item of `kind` is written: where `current` is, or after the last of its file.
pub fn place(store: &dyn Store, kind: Kind, current: Option<&WorkspaceEntry>) -> Result<(String, i64), StoreError> {
    Ok(match current {
        Some(entry) => (entry.item.file.clone(), entry.item.position),
        None => (kind.file().unwrap_or_default().to_string(), store.workspace_fills(kind)?.iter().map(|f| f.last_position + 1).max().unwrap_or(0)),
    })
}

/// Deletes item `id` of `table`'s kind if it is still at revision `expected`.
pub fn delete(store: &dyn Store, table: &Table, id: &str, expected: i64, staff: &str) -> Result<(), Refused> {
    let kind = table.kind;
    let Some(entry) = store.workspace_item(kind, id)? else { return Err(Refused::Gone) };
    if let Some(reason) = references::deletion_refused(store, kind, id, &entry.item.body)? {
        return Err(Refused::Invalid(BTreeMap::from([(String::new(), vec![reason])])));
    }
    let detail = format!("删除内容：{} {id}「{}」", kind.label(), kind.title_of(&entry.item.body, id));
    Ok(store.workspace_delete(kind, id, expected, staff, ("删除内容", &detail))?)
}

/// Equal as staff read them: numbers by value, so 99 in a sheet is the 99.0 of the workspace.
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
        (Value::Object(x), Value::Object(y)) => x.len() == y.len() && x.iter().all(|(name, v)| y.get(name).is_some_and(|w| same(v, w))),
        _ => a == b,
    }
}

/// Sets (or, for `None`, removes) the field `path` (`party.name`), making the object it lies
/// within: an item whose counts are all empty still has its `counts`.
pub fn set_field(body: &mut Value, path: &str, value: Option<Value>) {
    let mut target = body;
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        let Value::Object(fields) = target else { return };
        if parts.peek().is_none() {
            match value {
                Some(value) => fields.insert(part.to_string(), value),
                None => fields.remove(part),
            };
            return;
        }
        target = fields.entry(part).or_insert_with(|| Value::Object(Map::new()));
    }
}

pub fn get_field<'a>(body: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(body, |value, part| value.get(part))
}

