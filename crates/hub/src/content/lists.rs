//! The lists within an item (问答, 条文, 部门, 公开事项, 财务公开) as a form edits them: one
//! block of inputs a row, named `{list}.{row}.{column}`, blank rows for new ones; a row left
//! blank or marked 删除 is dropped. 财务公开's lines are edited one a row and grouped back
//! into their periods.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{
    import::{
        cells::{self, Lookups},
        columns::{Column, Form, List},
        sheet::Cell,
    },
    items::get_field,
};

/// Blank rows a form offers below a list's rows, for new ones.
pub const BLANK_ROWS: usize = 3;
/// Rows a form shows and reads a list up to (a community's 财务公开 over years of quarters);
/// a longer list, as an import can make, is kept as it is and changed by import only.
pub const MAX_ROWS: usize = 2_000;

/// The name of a row's input for `column`.
pub fn cell_name(list: &List, row: usize, column: &Column) -> String {
    format!("{}.{row}.{}", list.field, column.field)
}

/// The name of the hidden input that says how many rows the form shows.
pub fn rows_name(list: &List) -> String {
    format!("{}.rows", list.field)
}

/// The name of a row's 删除 checkbox.
pub fn remove_name(list: &List, row: usize) -> String {
    format!("{}.{row}.remove", list.field)
}

/// A list's rows as the item has them, one object of the list's columns a row.
pub fn rows_of(list: &List, body: &Value) -> Vec<Map<String, Value>> {
    let items = get_field(body, list.field).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let object = |value: &Value| value.as_object().cloned().unwrap_or_default();
    match list.group {
        None => items.iter().map(object).collect(),
        Some((name, lines)) => items
            .iter()
            .flat_map(|group| {
                let label = group.get(name).cloned().unwrap_or_default();
                group.get(lines).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default().iter().map(move |line| {
                    let mut row = object(line);
                    row.insert(name.to_string(), label.clone());
                    row
                })
            })
            .collect(),
    }
}

/// Whether the item's list is longer than a form edits (`Some` of its length).
pub fn too_long(list: &List, body: &Value) -> Option<usize> {
    Some(rows_of(list, body).len()).filter(|rows| *rows > MAX_ROWS)
}

/// The form's texts of a saved item's list, by input name, with the rows to show.
pub fn texts_of(list: &List, body: &Value, lookups: &Lookups) -> HashMap<String, String> {
    let rows = rows_of(list, body);
    let mut texts: HashMap<String, String> = HashMap::from([(rows_name(list), (rows.len() + BLANK_ROWS).to_string())]);
    for (row, fields) in rows.iter().enumerate() {
        for column in list.columns {
            texts.insert(cell_name(list, row, column), cells::as_text(column.form, fields.get(column.field), lookups));
        }
    }
    texts
}

/// How many rows a form shows, from the texts it holds.
pub fn shown_rows(list: &List, texts: &HashMap<String, String>) -> usize {
    texts.get(&rows_name(list)).and_then(|n| n.parse().ok()).unwrap_or(BLANK_ROWS).min(MAX_ROWS)
}

/// A list read from a form.
pub struct Read {
    /// The list as the item keeps it.
    pub value: Value,
    /// What is wrong, by input name (the list's field for the list as a whole).
    pub problems: Vec<(String, String)>,
    /// The form's row of each place in `value` (`[2]`, `[1].lines[0]`, `[1]` for a group's
    /// first row), so that a problem the checker finds there is told under its input.
    rows_at: HashMap<String, usize>,
}

/// Reads `list` from the form's fields.
pub fn read(list: &List, form: &HashMap<String, String>, lookups: &Lookups) -> Read {
    let mut problems = Vec::new();
    let mut rows: Vec<(usize, Map<String, Value>)> = Vec::new();
    for row in 0..shown_rows(list, form) {
        let text = |column: &Column| form.get(&cell_name(list, row, column)).map(|t| t.trim().to_string()).unwrap_or_default();
        if form.get(&remove_name(list, row)).is_some_and(|v| v == "1") || list.columns.iter().all(|column| text(column).is_empty()) {
            continue;
        }
        let (fields, refused) = read_row(list.columns, |_, column| Cell::Text(text(column)), lookups);
        problems.extend(refused.into_iter().map(|(column, reason)| (cell_name(list, row, &list.columns[column]), reason)));
        rows.push((row, fields));
    }
    let (value, rows_at) = assemble(list, rows);
    Read { value, problems, rows_at }
}

/// A row's fields from its cells, and what is wrong, by column.
pub fn read_row(columns: &[Column], cell: impl Fn(usize, &Column) -> Cell, lookups: &Lookups) -> (Map<String, Value>, Vec<(usize, String)>) {
    let mut fields = Map::new();
    let mut problems = Vec::new();
    for (at, column) in columns.iter().enumerate() {
        match cells::value(column.form, &cell(at, column), lookups) {
            Ok(Some(value)) => {
                fields.insert(column.field.to_string(), value);
            }
            Ok(None) if column.required => problems.push((at, format!("请填写{}", column.label))),
            // A list within a row is kept even when empty (相关文件: none yet).
            Ok(None) if column.form == Form::Lines => {
                fields.insert(column.field.to_string(), Value::Array(Vec::new()));
            }
            Ok(None) => {}
            Err(reason) => problems.push((at, reason)),
        }
    }
    (fields, problems)
}

/// The list as the item keeps it from its rows, each tagged with where it came from, and the
/// tag of each place in it (`[2]`, `[1].lines[0]`, `[1]` for a group's first row).
pub fn assemble(list: &List, rows: Vec<(usize, Map<String, Value>)>) -> (Value, HashMap<String, usize>) {
    let mut rows_at = HashMap::new();
    let value = match list.group {
        None => {
            rows_at.extend(rows.iter().enumerate().map(|(place, (row, _))| (format!("[{place}]"), *row)));
            Value::Array(rows.into_iter().map(|(_, fields)| Value::Object(fields)).collect())
        }
        Some((name, lines)) => {
            // Rows of the same period make one report, in the order the periods first appear.
            let mut groups: Vec<(Value, Vec<Value>)> = Vec::new();
            let mut group_of: HashMap<String, usize> = HashMap::new();
            for (row, mut fields) in rows {
                let label = fields.remove(name).unwrap_or_default();
                let group = *group_of.entry(label.to_string()).or_insert_with(|| {
                    rows_at.insert(format!("[{}]", groups.len()), row);
                    groups.push((label, Vec::new()));
                    groups.len() - 1
                });
                rows_at.insert(format!("[{group}].{lines}[{}]", groups[group].1.len()), row);
                groups[group].1.push(Value::Object(fields));
            }
            let report = |(label, rows): (Value, Vec<Value>)| Value::Object(Map::from_iter([(name.to_string(), label), (lines.to_string(), Value::Array(rows))]));
            Value::Array(groups.into_iter().map(report).collect())
        }
    };
    (value, rows_at)
}

/// The row a problem at `rest` of the list's path (`[1].lines[0].amount`) lies in, by the
/// tags `assemble` gave, and the list's column that holds the field, if any.
pub fn row_at(list: &List, rows_at: &HashMap<String, usize>, rest: &str) -> Option<(usize, Option<usize>)> {
    let mut place = rest;
    loop {
        if let Some(row) = rows_at.get(place) {
            let field = rest[place.len()..].trim_start_matches('.').split(['.', '[']).next().unwrap_or_default();
            return Some((*row, list.columns.iter().position(|column| column.field == field)));
        }
        match place.rfind(['.', '[']) {
            Some(end) if end > 0 => place = &place[..end],
            _ => return None,
        }
    }
}

impl Read {
    /// The input a problem at `rest` of the list's path (`[1].lines[0].amount`) is told under:
    /// the row's input for the field, or the list's field when no input holds it.
    pub fn name_at(&self, list: &List, rest: &str) -> String {
        match row_at(list, &self.rows_at, rest) {
            Some((row, Some(column))) => cell_name(list, row, &list.columns[column]),
            _ => list.field.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::import::columns::COMMUNITIES;

    fn form(fields: &[(&str, &str)]) -> HashMap<String, String> {
        fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn finance_lines_are_edited_one_a_row_and_kept_by_period() {
        let finance = &COMMUNITIES.lists[0];
        let body = serde_json::json!({"finance": [
            {"period": "第二季度", "lines": [{"subject": "经费", "flow": "收入", "amount": 300.0}]},
            {"period": "第三季度", "lines": [{"subject": "水电", "flow": "支出", "amount": 41.5}, {"subject": "经费", "flow": "收入", "amount": 300.0}]},
        ]});
        let lookups = Lookups::default();
        let mut texts = texts_of(finance, &body, &lookups);
        assert_eq!(texts["finance.rows"], (3 + BLANK_ROWS).to_string());
        assert_eq!(texts["finance.1.period"], "第三季度");
        assert_eq!(texts["finance.1.amount"], "41.5");
        let read = super::read(finance, &texts, &lookups);
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        assert!(super::super::items::same(&read.value, &body["finance"]), "{}", read.value);
        // The first row removed, a new row of the third quarter in a blank row, a blank
        // amount in another.
        texts.insert("finance.0.remove".into(), "1".into());
        texts.extend(form(&[("finance.3.period", "第三季度"), ("finance.3.subject", "绿化"), ("finance.3.flow", "支出"), ("finance.3.amount", "1000")]));
        texts.extend(form(&[("finance.4.period", "第四季度"), ("finance.4.subject", "经费"), ("finance.4.flow", "收入")]));
        let read = super::read(finance, &texts, &lookups);
        assert_eq!(read.problems, vec![("finance.4.amount".to_string(), "请填写金额（元）".to_string())]);
        assert_eq!(read.value[0]["period"], "第三季度");
        assert_eq!(read.value[0]["lines"].as_array().unwrap().len(), 3);
        assert_eq!(read.value[0]["lines"][2]["amount"], 1000);
        assert_eq!(read.value[1]["period"], "第四季度");
        assert_eq!(read.name_at(finance, "[0].lines[2].amount"), "finance.3.amount");
        assert_eq!(read.name_at(finance, "[1].period"), "finance.4.period");
        assert_eq!(read.name_at(finance, "[0].lines"), "finance", "a place no input holds is the list's");
    }
}
