//! Reading content files: bytes → JSON value (syntax errors with line and column) →
//! typed items (schema errors with their JSON path). Array files are typed item by item so
//! that one bad document does not hide the problems of the others.

use std::{fs, path::Path};

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::problem::{Place, Problem, Problems};
use crate::content::bundle_files::MAX_JSON_BYTES;

/// An item of an array file with the place it came from.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub file: String,
    pub index: usize,
    pub item: T,
}

impl<T> Located<T> {
    /// JSON path of a field of this item, e.g. `field(".title")` → `$[3].title`.
    pub fn field(&self, suffix: &str) -> String {
        format!("$[{}]{}", self.index, suffix)
    }
}

/// Reads and parses a JSON file; problems are recorded and `None` returned on failure.
pub fn read_json(root: &Path, file: &str, size: u64, problems: &mut Problems) -> Option<Value> {
    if size > MAX_JSON_BYTES {
        problems.whole(
            file,
            format!(
                "file is {size} bytes; a content file may be at most {MAX_JSON_BYTES} bytes \
                 (split documents into more shards)"
            ),
        );
        return None;
    }
    let bytes = match fs::read(root.join(file)) {
        Ok(bytes) => bytes,
        Err(e) => {
            problems.whole(file, format!("cannot read: {e}"));
            return None;
        }
    };
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(e) => {
            problems.whole(
                file,
                format!("not valid UTF-8 (first bad byte at offset {})", e.valid_up_to()),
            );
            return None;
        }
    };
    match serde_json::from_str::<Value>(text) {
        Ok(value) => Some(value),
        Err(e) => {
            problems.push(Problem {
                file: file.to_string(),
                place: Place::LineColumn(e.line(), e.column()),
                reason: without_position(&e.to_string()),
            });
            None
        }
    }
}

/// Types a whole JSON value; on failure records the first schema error with its path.
pub fn typed<T: DeserializeOwned>(
    value: Value,
    file: &str,
    base: &str,
    problems: &mut Problems,
) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(item) => Some(item),
        Err(e) => {
            let path = json_path(base, &e.path().to_string());
            problems.at(file, path, explain(&e.inner().to_string()));
            None
        }
    }
}

/// Types every element of an array file, skipping (and reporting) the bad ones. The flag
/// says whether every element was typed.
pub fn typed_items<T: DeserializeOwned>(
    value: Value,
    file: &str,
    what: &str,
    problems: &mut Problems,
) -> (Vec<Located<T>>, bool) {
    let Value::Array(items) = value else {
        problems.at(file, "$", format!("expected an array of {what}, found {}", kind_of(&value)));
        return (Vec::new(), false);
    };
    let count = items.len();
    let typed: Vec<Located<T>> = items
        .into_iter()
        .enumerate()
        .filter_map(|(index, value)| {
            let base = format!("$[{index}]");
            typed(value, file, &base, problems)
                .map(|item| Located { file: file.to_string(), index, item })
        })
        .collect();
    let complete = typed.len() == count;
    (typed, complete)
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `base` + the path reported by serde (`.` for the value itself).
fn json_path(base: &str, inner: &str) -> String {
    match inner {
        "." | "" => base.to_string(),
        p if p.starts_with('[') => format!("{base}{p}"),
        p => format!("{base}.{p}"),
    }
}

/// serde_json appends " at line L column C", which the problem's place already says.
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(pos) => message[..pos].to_string(),
        None => message.to_string(),
    }
}

/// chrono's date parse errors do not say what was expected.
fn explain(reason: &str) -> String {
    const DATE_ERRORS: [&str; 5] = [
        "input contains invalid characters",
        "input is out of range",
        "premature end of input",
        "trailing input",
        "input is not enough for unique date and time",
    ];
    let reason = without_position(reason);
    if DATE_ERRORS.iter().any(|e| reason.starts_with(e)) {
        format!("{reason}: expected a date YYYY-MM-DD (a moment YYYY-MM-DDTHH:MM:SS)")
    } else {
        reason
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_cleanly() {
        assert_eq!(json_path("$[3]", "."), "$[3]");
        assert_eq!(json_path("$[3]", "title"), "$[3].title");
        assert_eq!(json_path("$", "domains[2].items[0].mode"), "$.domains[2].items[0].mode");
    }

    #[test]
    fn strips_serde_position() {
        assert_eq!(without_position("expected `,` or `}` at line 3 column 7"), "expected `,` or `}`");
    }
}
