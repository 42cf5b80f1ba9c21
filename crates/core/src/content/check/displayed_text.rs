//! Checks every displayed string of a content file: not blank, no unmasked personal data,
//! every character drawable by the shipped font.

use serde_json::Value;

use super::problem::Problems;
use crate::content::text_scan::{describe_chars, find_personal_data, missing_glyphs};

/// Keys whose values are never shown as text: ids, references, paths, links and dates.
const NOT_DISPLAYED: &[&str] = &[
    "id", "document", "documents", "interpretations", "domain", "lead", "co", "department",
    "authority", "file", "logo", "online_url", "written_on", "published_on", "decided_on",
    "updated_on", "open_on", "close_on", "published_at", "expires_at", "date", "month",
];

pub fn check(value: &Value, file: &str, problems: &mut Problems) {
    let mut path = String::from("$");
    walk(value, &mut path, file, problems);
}

fn walk(value: &Value, path: &mut String, file: &str, problems: &mut Problems) {
    let len = path.len();
    match value {
        Value::String(text) => check_text(text, path, file, problems),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push_str(&format!("[{i}]"));
                walk(item, path, file, problems);
                path.truncate(len);
            }
        }
        Value::Object(fields) => {
            for (key, item) in fields.iter().filter(|(k, _)| !NOT_DISPLAYED.contains(&k.as_str())) {
                path.push('.');
                path.push_str(key);
                walk(item, path, file, problems);
                path.truncate(len);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

fn check_text(text: &str, path: &str, file: &str, problems: &mut Problems) {
    if text.trim().is_empty() {
        problems.at(file, path, "must not be blank (leave optional fields out instead)");
        return;
    }
    for found in find_personal_data(text) {
        problems.at(file, path, found.to_string());
    }
    let missing = missing_glyphs(text);
    if !missing.is_empty() {
        problems.at(
            file,
            path,
            format!("characters missing from the font: {}", describe_chars(&missing)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems_of(json: &str) -> Vec<String> {
        let mut problems = Problems::default();
        check(&serde_json::from_str(json).unwrap(), "x.json", &mut problems);
        problems.0.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn reports_paths_of_bad_text() {
        let found = problems_of(r#"[{"title": "ok"}, {"title": "电话13812345678", "body": " "}]"#);
        assert_eq!(found.len(), 2, "{found:?}");
        // Fields of an object are visited in key order.
        assert!(found[0].starts_with("x.json: $[1].body: must not be blank"));
        assert!(found[1].starts_with("x.json: $[1].title: unmasked mobile number"));
    }

    #[test]
    fn skips_ids_references_and_dates() {
        assert!(problems_of(r#"{"id": "13812345678", "published_on": "", "co": ["x"]}"#).is_empty());
    }

    #[test]
    fn reports_missing_glyphs() {
        let found = problems_of(r#"{"title": "好😀"}"#);
        assert_eq!(found, ["x.json: $.title: characters missing from the font: '😀' U+1F600"]);
    }
}
