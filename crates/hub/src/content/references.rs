//! References across items, which the bundle checker finds only in the whole bundle: a
//! department the content names, a 公开事项's key unique in the catalogue, the documents a
//! 公开事项 or a 解读 names, a domain documents are filed under. They are checked as one item
//! is saved or deleted, so that staff hear of a broken one at its field, not at 送审.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::submissions::store::{Store, StoreError, WorkspaceQuery};
use gongkai_core::content::workspace::Kind;

/// Who uses a department: each kind, with the fields that name one.
const DEPARTMENT_USERS: [(Kind, &[&str]); 5] = [
    (Kind::KeyWork, &["lead", "co"]),
    (Kind::AdminRecords, &["authority"]),
    (Kind::AdminMonthly, &["department"]),
    (Kind::Consultations, &["department"]),
    (Kind::ServiceGuides, &["department"]),
];

/// What an item of one kind is checked against, read from the workspace before it is made.
#[derive(Default)]
pub struct References {
    /// Items that name each department, as staff read them.
    department_users: HashMap<String, Vec<String>>,
    /// Each 公开事项's key, with its domain's name.
    catalogue_items: HashMap<String, (String, String)>,
    documents: HashSet<String>,
    /// The item as saved (`None` for a new one).
    before: Option<Value>,
    /// The document a saved 解读 interpreted lists it among its 解读.
    listed_by_its_document: bool,
}

/// A problem at a path of the item (`$.items[2].id`), in Chinese.
pub type Found = (String, String);

impl References {
    /// What an item of `kind`, saved as `before`, is checked against.
    pub fn load(store: &dyn Store, kind: Kind, before: Option<&Value>) -> Result<Self, StoreError> {
        let mut references = References { before: before.cloned(), ..Self::default() };
        match kind {
            Kind::Site => {
                for (user, fields) in DEPARTMENT_USERS {
                    for item in store.workspace_kind(user)? {
                        let named = fields.iter().filter_map(|field| item.body.get(field)).flat_map(|value| value.as_array().cloned().unwrap_or_else(|| vec![value.clone()]));
                        let ids: HashSet<String> = named.filter_map(|id| id.as_str().map(str::to_string)).collect();
                        for id in ids {
                            references.department_users.entry(id).or_default().push(format!("{} {}「{}」", user.label(), item.id, user.title_of(&item.body, &item.id)));
                        }
                    }
                }
            }
            Kind::Domains => {
                for domain in store.workspace_kind(Kind::Domains)? {
                    let name = text(&domain.body, "name");
                    for item in domain.body.get("items").and_then(Value::as_array).into_iter().flatten() {
                        references.catalogue_items.insert(text(item, "id"), (domain.id.clone(), name.clone()));
                    }
                }
                references.documents = documents(store)?;
            }
            Kind::Interpretations => {
                references.documents = documents(store)?;
                if let Some(before) = before
                    && let Some(document) = store.workspace_item(Kind::Documents, &text(before, "document"))?
                {
                    references.listed_by_its_document = lists(&document.item.body, "interpretations", &text(before, "id"));
                }
            }
            _ => {}
        }
        Ok(references)
    }

    /// What `body`, an item of `kind`, would leave broken.
    pub fn check(&self, kind: Kind, body: &Value) -> Vec<Found> {
        let mut found = Vec::new();
        match kind {
            Kind::Site => {
                let ids = key_rows(body, "departments");
                found.extend(repeated(body, "departments", "部门编号", "name"));
                let kept: HashSet<&str> = ids.iter().map(String::as_str).collect();
                for department in self.before.as_ref().and_then(|before| before.get("departments")).and_then(Value::as_array).into_iter().flatten() {
                    let id = text(department, "id");
                    if let Some(users) = self.department_users.get(&id).filter(|_| !kept.contains(id.as_str())) {
                        let reason = format!(
                            "部门“{}”（编号 {id}）仍被 {} 条内容使用，如{}；请先把这些内容改为其他部门，再删除这个部门或改它的编号",
                            text(department, "name"),
                            users.len(),
                            users.iter().take(3).cloned().collect::<Vec<_>>().join("、")
                        );
                        found.push(("$.departments".into(), reason));
                    }
                }
            }
            Kind::Domains => {
                let ids = key_rows(body, "items");
                found.extend(repeated(body, "items", "事项编号", "level2"));
                let domain = text(body, "id");
                for (row, id) in ids.iter().enumerate() {
                    if let Some((_, name)) = self.catalogue_items.get(id).filter(|(other, _)| *other != domain) {
                        found.push((format!("$.items[{row}].id"), format!("事项编号“{id}”已用于领域“{name}”的公开事项，请换一个编号")));
                    }
                }
                for (row, item) in body.get("items").and_then(Value::as_array).into_iter().flatten().enumerate() {
                    let unknown: Vec<&str> = item.get("documents").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).filter(|id| !self.documents.contains(*id)).collect();
                    if !unknown.is_empty() {
                        found.push((format!("$.items[{row}].documents"), format!("政府信息中没有编号为“{}”的文件", unknown.join("”“"))));
                    }
                }
            }
            Kind::Interpretations => {
                let document = text(body, "document");
                if !document.is_empty() && !self.documents.contains(&document) {
                    found.push(("$.document".into(), format!("政府信息中没有编号为“{document}”的文件")));
                }
                if let Some(before) = self.before.as_ref().filter(|before| self.listed_by_its_document && text(before, "document") != document) {
                    found.push(("$.document".into(), format!("文件“{}”的“解读”中仍列着本解读；请先在那份文件中去掉它，再改这里", text(before, "document"))));
                }
            }
            _ => {}
        }
        found
    }
}

/// Why item `id` of `kind` (as `body`) cannot be deleted, if something refers to it.
/// Documents are refused by `documents::delete`.
pub fn deletion_refused(store: &dyn Store, kind: Kind, id: &str, body: &Value) -> Result<Option<String>, StoreError> {
    Ok(match kind {
        Kind::Domains => {
            let documents = store.workspace_list(&WorkspaceQuery { domain: id.to_string(), ..WorkspaceQuery::all(Kind::Documents) }, 0, 1)?.1;
            let guides = store.workspace_kind(Kind::ServiceGuides)?.iter().filter(|guide| text(&guide.body, "domain") == id).count();
            (documents + guides as u64 > 0).then(|| format!("有 {documents} 份政府信息、{guides} 项办事指南属于这个领域，请先把它们改到其他领域，再删除"))
        }
        Kind::Interpretations => {
            let document = text(body, "document");
            let listed = store.workspace_item(Kind::Documents, &document)?.is_some_and(|entry| lists(&entry.item.body, "interpretations", id));
            listed.then(|| format!("文件“{document}”的“解读”中列着这篇解读，请先在那份文件中去掉它，再删除"))
        }
        _ => None,
    })
}

fn text(value: &Value, field: &str) -> String {
    value.get(field).and_then(Value::as_str).unwrap_or_default().to_string()
}

/// Whether the list `field` of `body` holds `id`.
fn lists(body: &Value, field: &str, id: &str) -> bool {
    body.get(field).and_then(Value::as_array).is_some_and(|ids| ids.iter().any(|other| other.as_str() == Some(id)))
}

/// The keys of the rows of the list `field`.
fn key_rows(body: &Value, field: &str) -> Vec<String> {
    body.get(field).and_then(Value::as_array).into_iter().flatten().map(|row| text(row, "id")).collect()
}

/// A key that an earlier row of the list `field` has, named by that row's `name`.
fn repeated(body: &Value, field: &str, label: &str, name: &str) -> Vec<Found> {
    let rows = body.get(field).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let mut first: HashMap<String, &Value> = HashMap::new();
    let mut found = Vec::new();
    for (at, row) in rows.iter().enumerate() {
        let id = text(row, "id");
        if id.is_empty() {
            continue;
        }
        match first.get(&id) {
            Some(earlier) => found.push((format!("$.{field}[{at}].id"), format!("{label}“{id}”已被“{}”使用", text(earlier, name)))),
            None => {
                first.insert(id, row);
            }
        }
    }
    found
}

fn documents(store: &dyn Store) -> Result<HashSet<String>, StoreError> {
    Ok(store.workspace_list(&WorkspaceQuery::all(Kind::Documents), 0, usize::MAX)?.0.into_iter().map(|row| row.id).collect())
}
