//! What a change to the content does, item by item and field by field, and file by file:
//! what a reviewer reads before approving it for the screens.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::workspace::{Item, Kind, StoredFile};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    Added,
    Changed,
    Removed,
}

impl Change {
    pub fn label(self) -> &'static str {
        match self {
            Change::Added => "新增",
            Change::Changed => "修改",
            Change::Removed => "删除",
        }
    }
}

/// One field of a changed item, before and after (absent when the field is not there), as
/// text: a string as it is, anything else as compact JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemChange {
    pub kind: Kind,
    pub id: String,
    pub title: String,
    pub change: Change,
    /// For a changed item only: the fields that differ.
    pub fields: Vec<FieldChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileChange {
    pub path: String,
    pub change: Change,
    /// Its size now, or before when removed.
    pub bytes: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changes {
    pub items: Vec<ItemChange>,
    pub files: Vec<FileChange>,
}

impl Changes {
    /// What turns `before` into `after`, in the order of kinds and then keys. An item that
    /// only moved (another shard, another place in its file) is not a change.
    pub fn between(before: (&[Item], &[StoredFile]), after: (&[Item], &[StoredFile])) -> Changes {
        let keyed = |items: &[Item]| -> BTreeMap<(Kind, String), Value> { items.iter().map(|i| ((i.kind, i.id.clone()), i.body.clone())).collect() };
        let (old, new) = (keyed(before.0), keyed(after.0));
        let mut items = Vec::new();
        for (key, body) in &new {
            match old.get(key) {
                None => items.push(item_change(key, body, Change::Added, Vec::new())),
                Some(was) if was != body => items.push(item_change(key, body, Change::Changed, field_changes(was, body))),
                Some(_) => {}
            }
        }
        for (key, body) in old.iter().filter(|(key, _)| !new.contains_key(*key)) {
            items.push(item_change(key, body, Change::Removed, Vec::new()));
        }
        items.sort_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));

        let files_of = |files: &[StoredFile]| -> BTreeMap<String, Vec<u8>> { files.iter().map(|f| (f.path.clone(), f.bytes.clone())).collect() };
        let (old, new) = (files_of(before.1), files_of(after.1));
        let mut files: Vec<FileChange> = new
            .iter()
            .filter_map(|(path, bytes)| {
                let change = match old.get(path) {
                    None => Change::Added,
                    Some(was) if was != bytes => Change::Changed,
                    Some(_) => return None,
                };
                Some(FileChange { path: path.clone(), change, bytes: bytes.len() as u64 })
            })
            .collect();
        files.extend(old.iter().filter(|(path, _)| !new.contains_key(*path)).map(|(path, bytes)| FileChange { path: path.clone(), change: Change::Removed, bytes: bytes.len() as u64 }));
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Changes { items, files }
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.files.is_empty()
    }

    /// How many items are added, changed and removed.
    pub fn count(&self, change: Change) -> usize {
        self.items.iter().filter(|item| item.change == change).count()
    }
}

fn item_change((kind, id): &(Kind, String), body: &Value, change: Change, fields: Vec<FieldChange>) -> ItemChange {
    ItemChange { kind: *kind, id: id.clone(), title: kind.title_of(body, id), change, fields }
}

fn field_changes(before: &Value, after: &Value) -> Vec<FieldChange> {
    let (Value::Object(old), Value::Object(new)) = (before, after) else {
        return vec![FieldChange { field: String::new(), before: Some(as_text(before)), after: Some(as_text(after)) }];
    };
    let mut names: Vec<&String> = old.keys().chain(new.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|name| old.get(*name) != new.get(*name))
        .map(|name| FieldChange { field: name.clone(), before: old.get(name).map(as_text), after: new.get(name).map(as_text) })
        .collect()
}

fn as_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn item(kind: Kind, file: &str, position: i64, body: Value) -> Item {
        Item { kind, id: kind.id_of(&body).unwrap(), file: file.into(), position, body }
    }

    #[test]
    fn items_are_added_changed_and_removed_field_by_field_and_a_move_is_no_change() {
        let before = vec![
            item(Kind::Documents, "documents/a.json", 0, json!({"id": "d1", "title": "旧标题", "validity": "有效"})),
            item(Kind::Documents, "documents/a.json", 1, json!({"id": "d2", "title": "不变"})),
            item(Kind::Notices, "notices.json", 0, json!({"id": "n1", "title": "将删除"})),
        ];
        let after = vec![
            item(Kind::Documents, "documents/a.json", 0, json!({"id": "d1", "title": "新标题", "attachments": ["a.pdf"]})),
            item(Kind::Documents, "documents/b.json", 0, json!({"id": "d2", "title": "不变"})),
            item(Kind::KeyWork, "key-work.json", 0, json!({"id": "k1", "title": "新增工作", "progress": 40})),
        ];
        let files_before = vec![StoredFile { path: "attachments/a.pdf".into(), bytes: b"%PDF-1".to_vec() }, StoredFile { path: "images/old.png".into(), bytes: vec![1] }];
        let files_after = vec![StoredFile { path: "attachments/a.pdf".into(), bytes: b"%PDF-2!".to_vec() }, StoredFile { path: "images/new.png".into(), bytes: vec![1, 2] }];
        let changes = Changes::between((&before, &files_before), (&after, &files_after));

        let summary: Vec<(Kind, &str, Change)> = changes.items.iter().map(|c| (c.kind, c.id.as_str(), c.change)).collect();
        assert_eq!(summary, [(Kind::Documents, "d1", Change::Changed), (Kind::KeyWork, "k1", Change::Added), (Kind::Notices, "n1", Change::Removed)]);
        assert_eq!(
            changes.items[0].fields,
            [
                FieldChange { field: "attachments".into(), before: None, after: Some("[\"a.pdf\"]".into()) },
                FieldChange { field: "title".into(), before: Some("旧标题".into()), after: Some("新标题".into()) },
                FieldChange { field: "validity".into(), before: Some("有效".into()), after: None },
            ]
        );
        assert_eq!(changes.items[1].title, "新增工作");
        assert_eq!(changes.items[2].title, "将删除");
        let files: Vec<(&str, Change, u64)> = changes.files.iter().map(|f| (f.path.as_str(), f.change, f.bytes)).collect();
        assert_eq!(files, [("attachments/a.pdf", Change::Changed, 7), ("images/new.png", Change::Added, 2), ("images/old.png", Change::Removed, 1)]);
        assert_eq!((changes.count(Change::Added), changes.count(Change::Changed), changes.count(Change::Removed)), (1, 1, 1));

        let round_trip: Changes = serde_json::from_str(&serde_json::to_string(&changes).unwrap()).unwrap();
        assert_eq!(round_trip, changes);
        assert!(Changes::between((&after, &files_after), (&after, &files_after)).is_empty());
    }
}
